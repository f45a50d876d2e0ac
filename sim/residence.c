/* residence.c: phase 9. Now and then a worker compares its home with a few cells within
 * commuting reach of its job (of its home if unemployed) by commuting cost, housing cost and
 * amenity, and moves by logit choice. */
#include "internal.h"

#define MAX_HOME_CAND 32

void cs_residence(cs_sim *sim) {
    const cs_params *p = &sim->par;
    const cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    const cs_landscape *l = &sim->land;
    if (p->workers.m_w <= 0) return;
    const double cd = p->labour.c_d, tau = p->workers.tau_h;
    const cs_rng_key key = cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_RESIDENCE);
    /* The few who reconsider (m_w, 2 %) are found by geometric gaps, block by block; each then
     * draws its candidates and choice from its own stream. */
    const int64_t nblock = cs_skip_blocks(Wk->n);
#pragma omp parallel for schedule(static)
    for (int64_t bk = 0; bk < nblock; bk++) {
        const int64_t end = cs_skip_block_end(bk, Wk->n);
        cs_skip skip;
        cs_skip_start(&skip, key, bk, p->workers.m_w);
        for (int64_t jj = cs_skip_next(&skip, bk * CS_SKIP_BLOCK, end); jj < end;
             jj = cs_skip_next(&skip, jj + 1, end)) {
            const int32_t j = (int32_t)jj;
            cs_pcg32 rng;
            cs_rng_stream_keyed(&rng, key, (uint64_t)j);
            int32_t home = Wk->home[j];
            int32_t anchor = Wk->employer[j] >= 0 ? F->cell[Wk->employer[j]] : home;
            int32_t cand[MAX_HOME_CAND];
            double val[MAX_HOME_CAND];
            int n = 0;
            cand[n++] = home;
            for (int k = 0; k < p->workers.k_h && n < MAX_HOME_CAND; k++) {
                int32_t c = cs_random_cell_near(l, &rng, anchor, p->labour.rc);
                if (c >= 0) cand[n++] = c;
            }
            for (int k = 0; k < n; k++) {
                int32_t c = cand[k];
                val[k] = -cd * cs_dist(l, c, anchor) - sim->f.house[c] + l->amenity[c];
            }
            int pick = cs_logit_pick(val, n, tau, cs_pcg32_uniform(&rng));
            Wk->home[j] = cand[pick];
        }
    }
}
