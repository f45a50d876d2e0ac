/* invariants.c: what every step must leave true of the state (headcounts match the workers,
 * indices in range, values finite). cs_step checks it after each group of phases in CS_DEBUG
 * builds (`make sanitize`), so that a phase that breaks the state is named at its own step
 * rather than found, corrupted, steps later. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

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
