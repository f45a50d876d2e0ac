/* step.c: one step of the simulation, one quarter, reading top to bottom as the phases of
 * MODEL.md section 4. Policies (phase 13) act inside the phases they name; metrics (phase 14)
 * and output are the caller's (main.c, bench.c). */
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "landscape.h"
#include "policies.h"

#define TIMED(k, call)                                                                             \
    do {                                                                                           \
        double t0_ = omp_get_wtime();                                                              \
        call;                                                                                      \
        sim->phase_seconds[k] += omp_get_wtime() - t0_;                                            \
    } while (0)

const char *const cs_phase_names[CS_NPHASES] = {
    "fields",   "productivity", "production", "exit",         "entry",        "relocation",
    "matching", "residence",    "skills",     "demographics", "universities", "policies"};

void cs_step(cs_sim *sim) {
    sim->step++;
    memset(&sim->cnt, 0, sizeof(sim->cnt));
    cs_landscape_step(sim);                 /*  0. the landscape: natural assets decline */
    TIMED(11, cs_policies_begin_step(sim)); /* 13. policies announced and in force this step */
    TIMED(0, cs_fields_compute(sim));       /*  1. fields */
    TIMED(1, cs_productivity(sim));         /*  2. productivity and innovation */
    TIMED(2, cs_production(sim));           /*  3-4. production, labour demand, wages, profit */
#ifdef CS_DEBUG
    cs_check_invariants(sim);
#endif
    TIMED(3, cs_exit(sim));       /*  5. exit */
    TIMED(4, cs_entry(sim));      /*  6. entry: startups, spinoffs, spinouts */
    TIMED(5, cs_relocation(sim)); /*  7. firm relocation */
#ifdef CS_DEBUG
    cs_check_invariants(sim);
#endif
    TIMED(6, cs_matching(sim));      /*  8. labour market */
    TIMED(7, cs_residence(sim));     /*  9. residential relocation */
    TIMED(8, cs_skills(sim));        /* 10. skills */
    TIMED(9, cs_demographics(sim));  /* 11. demographics */
    TIMED(10, cs_universities(sim)); /* 12. universities */
#ifdef CS_DEBUG
    cs_check_invariants(sim);
#endif
}

void cs_check_invariants(const cs_sim *sim) {
    const cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    const char *bad = NULL;
    if (Wk->n != cs_population_workers(&sim->par)) bad = "labour force changed";
    for (int32_t j = 0; j < Wk->n && !bad; j++) {
        int32_t e = Wk->employer[j];
        if (e >= F->n)
            bad = "employer index out of range";
        else if (e >= 0 && !F->alive[e])
            bad = "worker employed by a dead firm";
        else if (!(Wk->skill[j] >= 0x1p-7f && Wk->skill[j] <= 1)) /* the fields' exact sums */
            bad = "skill outside [2^-7, 1]";
        else if (Wk->home[j] < 0 || Wk->home[j] >= sim->land.ncell)
            bad = "home off the grid";
    }
    for (int32_t i = 0; i < F->n && !bad; i++) {
        if (!isfinite(F->A[i]) || !isfinite(F->cash[i]) || !isfinite(F->Y[i]) || F->A[i] <= 0)
            bad = "firm state not finite";
        else if (F->cell[i] < 0 || F->cell[i] >= sim->land.ncell)
            bad = "firm off the grid";
        else if (!isfinite(F->profit[i]) || !isfinite(F->pay[i]))
            bad = "cash flow not finite";
    }
    if (!bad && sim->buf && sim->buf->plan_misses)
        bad = "the workers compaction gathered missed a planned firm's (storage.c)";
    if (!bad) {
        /* headcounts kept up as workers come and go (layoffs, relocation quits, spinoff
         * founders, hires, separations, retirements) must equal a recount from the workers:
         * employed workers = sum of firm headcounts */
        int32_t *count = cs_xcalloc((size_t)F->n + 1, sizeof(int32_t));
        int64_t employed = 0, sum = 0;
        for (int32_t j = 0; j < Wk->n; j++)
            if (Wk->employer[j] >= 0) count[Wk->employer[j]]++, employed++;
        for (int32_t i = 0; i < F->n && !bad; i++) {
            sum += F->n_emp[i];
            if (count[i] != F->n_emp[i]) bad = "firm headcount differs from its workers";
        }
        if (!bad && sum != employed) bad = "employed workers differ from the sum of headcounts";
        free(count);
    }
    if (bad) {
        fprintf(stderr, "clustersim: invariant violated at step %d: %s\n", sim->step, bad);
        abort();
    }
}
