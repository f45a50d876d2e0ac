/* demographics.c: phase 11. Jobs end for reasons outside the firms (labour.separation), and
 * workers retire and are replaced at once, so the labour force is constant: by a graduate of a
 * university (placed at it, more skilled) or by a school leaver placed in proportion to
 * residents. Firms' headcounts follow at once (the metrics read them); their effective labour
 * from the workers at the next step's fields. */
#include "internal.h"

static float draw_skill(cs_pcg32 *rng, double mean, double sd) {
    double h = mean + sd * cs_pcg32_normal(rng);
    return (float)(h < CS_SKILL_MIN ? CS_SKILL_MIN : (h > 1.0 ? 1.0 : h));
}

/* The workers an event reaches are taken DEMO_GROUP at a time: their records are asked for
 * first, then each is changed in order, so that the cache misses of a group overlap (at 1:1 the
 * 1% separated and 0.6% retired are spread over 130 MB of worker arrays). */
#define DEMO_GROUP 32

/* The headcounts of group g[0..n)'s employers, asked for once the employers are in (after
 * prefetch_group): a job that ends takes one from its firm's count. */
static void prefetch_heads(const cs_firms *F, const cs_workers *Wk, const int64_t *g, int n) {
    for (int k = 0; k < n; k++) {
        const int32_t e = Wk->employer[g[k]];
        if (e >= 0) __builtin_prefetch(&F->n_emp[e], 1);
    }
}

/* Asks for the job records of group g[0..n) (with whole: every record a replacement
 * rewrites). */
static void prefetch_group(const cs_workers *Wk, const int64_t *g, int n, int whole) {
    for (int k = 0; k < n; k++) {
        __builtin_prefetch(&Wk->employer[g[k]], 1);
        __builtin_prefetch(&Wk->unemp[g[k]], 1);
        if (whole) {
            __builtin_prefetch(&Wk->hired[g[k]], 1);
            __builtin_prefetch(&Wk->home[g[k]], 1);
            __builtin_prefetch(&Wk->skill[g[k]], 1);
            __builtin_prefetch(&Wk->graduate[g[k]], 1);
        }
    }
}

void cs_demographics(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_workers *Wk = &sim->workers;
    const cs_landscape *l = &sim->land;
    int32_t nc = l->ncell;
    /* sampling weights: residents by cell, universities by graduates x quality */
    double *rescdf = sim->buf->c_cdf + (int64_t)(sim->S + 1) * nc;
    double acc = 0;
    for (int32_t c = 0; c < nc; c++) rescdf[c] = (acc += sim->f.N[c]);
    double ucdf[sizeof(l->univ) / sizeof(l->univ[0])], uacc = 0; /* one per table slot */
    for (int u = 0; u < l->n_univ; u++) ucdf[u] = (uacc += l->univ[u].g * l->univ[u].q);
    int has_univ = l->n_univ > 0 && uacc > 0;
    const cs_rng_key key =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_DEMOGRAPHICS);
    const cs_rng_key skey =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_SEPARATION);
    /* The few whose job ends (labour.separation) and the few who retire (1/160) are found by
     * geometric gaps, block by block; a retiree then draws its replacement from its own
     * stream. */
    const int64_t nblock = cs_skip_blocks(Wk->n);
    int64_t separated = 0;
#pragma omp parallel for schedule(guided) reduction(+ : separated)
    for (int64_t bk = 0; bk < nblock; bk++) {
        const int64_t end = cs_skip_block_end(bk, Wk->n);
        cs_skip skip;
        int64_t grp[DEMO_GROUP];
        if (p->labour.separation > 0) {
            cs_skip_start(&skip, skey, bk, p->labour.separation);
            int64_t j = cs_skip_next(&skip, bk * CS_SKIP_BLOCK, end);
            while (j < end) {
                const int ng = cs_skip_take(&skip, &j, end, grp, DEMO_GROUP);
                prefetch_group(Wk, grp, ng, 0);
                prefetch_heads(&sim->firms, Wk, grp, ng);
                /* the group's headcounts first: an atomic update waits for the stores before
                 * it, and the workers' own entries are scattered */
                for (int g = 0; g < ng; g++) {
                    const int32_t e = Wk->employer[grp[g]];
                    if (e < 0) continue;
#pragma omp atomic update
                    sim->firms.n_emp[e]--;
                }
                for (int g = 0; g < ng; g++) {
                    if (Wk->employer[grp[g]] < 0) continue;
                    Wk->employer[grp[g]] = -1;
                    Wk->unemp[grp[g]] = 0;
                    separated++;
                }
            }
        }
        cs_skip_start(&skip, key, bk, p->workers.retire);
        int64_t jn = cs_skip_next(&skip, bk * CS_SKIP_BLOCK, end);
        while (jn < end) {
            const int ng = cs_skip_take(&skip, &jn, end, grp, DEMO_GROUP);
            prefetch_group(Wk, grp, ng, 1);
            prefetch_heads(&sim->firms, Wk, grp, ng);
            for (int g = 0; g < ng; g++) { /* the headcounts first, as above */
                const int32_t e = Wk->employer[grp[g]];
                if (e < 0) continue;
#pragma omp atomic update
                sim->firms.n_emp[e]--;
            }
            for (int g = 0; g < ng; g++) {
                const int32_t j = (int32_t)grp[g];
                cs_pcg32 rng;
                cs_rng_stream_keyed(&rng, key, (uint64_t)j);
                Wk->employer[j] = -1;
                Wk->unemp[j] = 0;
                Wk->hired[j] = sim->step;
                if (has_univ && cs_pcg32_uniform(&rng) < p->workers.grad_share) {
                    int u = cs_cdf_pick(ucdf, l->n_univ, cs_pcg32_uniform(&rng));
                    Wk->home[j] = l->univ[u].cell;
                    Wk->skill[j] = draw_skill(&rng, p->workers.grad_skill, p->workers.skill_sd);
                    Wk->graduate[j] = 1;
                } else {
                    if (acc > 0) Wk->home[j] = cs_cdf_pick(rescdf, nc, cs_pcg32_uniform(&rng));
                    Wk->skill[j] = draw_skill(&rng, p->workers.leaver_skill, p->workers.skill_sd);
                    Wk->graduate[j] = 0;
                }
            }
        }
    }
    sim->cnt.job_losses += separated;
}
