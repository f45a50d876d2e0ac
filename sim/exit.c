/* exit.c: phase 5. A firm exits when its losses exceed a share of a year's output, or when it
 * has had no employee for t_empty quarters, unless a policy keeps it alive (a soft budget
 * constraint). Its workers become unemployed when the firm table is compacted. */
#include "internal.h"

void cs_exit(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    int64_t deaths = 0;
#pragma omp parallel for schedule(static) reduction(+ : deaths)
    for (int32_t i = 0; i < F->n; i++) {
        int broke = F->cash[i] < -p->firms.x_exit * 4.0 * F->Y[i];
        int idle = F->empty[i] >= p->firms.t_empty;
        if ((broke || idle) && !F->kept[i]) {
            F->alive[i] = 0;
            deaths++;
        }
    }
    sim->cnt.deaths += deaths;
    cs_firms_compact(sim);
}
