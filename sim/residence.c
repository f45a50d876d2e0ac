/* residence.c: phase 9. Now and then a worker compares its home with a few cells within
 * commuting reach of its job (of its home if unemployed) by commuting cost (across an open
 * transport link where that is shorter, as matching costs the job), housing cost and amenity,
 * and moves by logit choice. */
#include "internal.h"

#define MAX_HOME_CAND (1 + CS_MAX_K_H) /* the home and up to k_h candidates */

/* Movers taken together: their employer and home are asked for first, then their employers'
 * cells, then each chooses, so that the cache misses of a group overlap instead of making one
 * mover's chain of three dependent loads at a time (at 1:1, 2% of 33 million workers spread
 * over 130 MB of worker arrays). Each mover's draws are its own stream, so grouping changes
 * nothing but the order of loads. */
#define MOVER_GROUP 32

/* Candidate homes are drawn from a table of the lattice offsets within the commuting radius
 * (up to DISC_MAX_R cells; beyond it, by rejection from the square, cs_random_cell_in): one
 * bounded draw per candidate instead of two per try and a rejection of the square's corners
 * a fifth of the time, whose branch the predictor cannot learn. The same law: uniform over
 * the cells within the radius. */
#define DISC_MAX_R 24
#define DISC_MAX_N ((2 * DISC_MAX_R + 1) * (2 * DISC_MAX_R + 1))

typedef struct disc {
    int16_t dx[DISC_MAX_N], dy[DISC_MAX_N];
    cs_bound draw; /* over the offsets */
} disc;

/* The offsets (dx, dy) with dx^2 + dy^2 <= r^2, row by row; 0 when r is beyond DISC_MAX_R (or
 * not a radius). */
static int disc_make(disc *d, double r) {
    if (!(r >= 0 && r <= DISC_MAX_R)) return 0;
    const int R = (int)floor(r);
    uint32_t n = 0;
    for (int dy = -R; dy <= R; dy++)
        for (int dx = -R; dx <= R; dx++)
            if ((double)(dx * dx + dy * dy) <= r * r) {
                d->dx[n] = (int16_t)dx;
                d->dy[n] = (int16_t)dy;
                n++;
            }
    d->draw = cs_bound_make(n);
    return 1;
}

/* A uniformly random land cell within the disc around cell c, or -1 after a few draws off the
 * grid or at sea. */
static inline int32_t disc_cell(const cs_landscape *l, cs_pcg32 *rng, int32_t c, const disc *d) {
    const int y0 = cs_cell_row(l, c), x0 = c - y0 * l->W;
    for (int tries = 0; tries < 8; tries++) {
        const uint32_t k = cs_pcg32_bounded_by(rng, &d->draw);
        const int x = x0 + d->dx[k], y = y0 + d->dy[k];
        if (x < 0 || y < 0 || x >= l->W || y >= l->H) continue;
        const int32_t cc = y * l->W + x;
        if (l->land[cc]) return cc;
    }
    return -1;
}

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
    const cs_bound span = cs_cell_span(p->labour.rc);
    disc D; /* 9.6 KB, read-only in the parallel loop */
    const int use_disc = disc_make(&D, p->labour.rc);
    /* with a link open, a home is costed by the commute it gives, across the link if shorter */
    const int links = cs_any_open_link(sim);
#pragma omp parallel for schedule(guided)
    for (int64_t bk = 0; bk < nblock; bk++) {
        const int64_t end = cs_skip_block_end(bk, Wk->n);
        cs_skip skip;
        cs_skip_start(&skip, key, bk, p->workers.m_w);
        int64_t jj = cs_skip_next(&skip, bk * CS_SKIP_BLOCK, end);
        while (jj < end) {
            int64_t mv[MOVER_GROUP];
            int32_t anchor[MOVER_GROUP];
            const int nm = cs_skip_take(&skip, &jj, end, mv, MOVER_GROUP);
            for (int k = 0; k < nm; k++) {
                __builtin_prefetch(&Wk->employer[mv[k]]);
                __builtin_prefetch(&Wk->home[mv[k]]);
            }
            for (int k = 0; k < nm; k++) {
                const int32_t e = Wk->employer[mv[k]];
                anchor[k] = e; /* the employer for now; its cell below */
                if (e >= 0) __builtin_prefetch(&F->cell[e]);
            }
            for (int k = 0; k < nm; k++) {
                const int32_t j = (int32_t)mv[k];
                cs_pcg32 rng;
                cs_rng_stream_keyed(&rng, key, (uint64_t)j);
                const int32_t home = Wk->home[j];
                const int32_t a = anchor[k] >= 0 ? F->cell[anchor[k]] : home;
                int32_t cand[MAX_HOME_CAND];
                double val[MAX_HOME_CAND];
                int n = 0;
                cand[n++] = home;
                for (int q = 0; q < p->workers.k_h && n < MAX_HOME_CAND; q++) {
                    int32_t c = use_disc ? disc_cell(l, &rng, a, &D)
                                         : cs_random_cell_in(l, &rng, a, p->labour.rc, &span);
                    if (c >= 0) cand[n++] = c;
                }
                for (int q = 0; q < n; q++) {
                    int32_t c = cand[q];
                    const double d = links ? cs_commute_dist(sim, c, a) : cs_dist(l, c, a);
                    val[q] = -cd * d - sim->f.house[c] + l->amenity[c];
                }
                int pick = cs_logit_pick(val, n, tau, cs_pcg32_uniform(&rng));
                Wk->home[j] = cand[pick];
            }
        }
    }
}
