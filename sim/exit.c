/* exit.c: phase 5. A firm exits when its losses exceed a share of a year's output, or when it
 * has had no employee for t_empty quarters, unless a policy keeps it alive (a soft budget
 * constraint). Its workers become unemployed when the firm table is compacted. The compaction
 * also makes the survivors' plan for this step: which firms will spin off (phase 6) and which
 * will review their location (phase 7), decided here because it gathers their workers. */
#include "internal.h"

/* The plan of the survivors (internal.h): which will spin off in entry and which will review
 * their location in relocation. Both need those firms' workers, and compaction passes over
 * every worker anyway: it gathers them there, which spares entry and relocation a pass over
 * every worker each (31 million at 1:1). The draws are the firms' own, so deciding here
 * changes nothing: nothing between here and those phases changes what they depend on. */
static void plan(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    cs_buffers *b = sim->buf;
    uint8_t *plan = b->f_plan;
    const cs_rng_key skey =
        cs_rng_key_make((uint64_t)sim->par.seed, (uint32_t)sim->step, CS_PH_ENTRY_SPINOFF);
    const cs_rng_key rkey =
        cs_rng_key_make((uint64_t)sim->par.seed, (uint32_t)sim->step, CS_PH_RELOCATION);
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < F->n; i++)
        plan[i] = !F->alive[i]
                      ? 0
                      : (uint8_t)((cs_spinoff_decides(sim, skey, i) ? CS_PLAN_SPINOFF : 0) |
                                  (cs_relocation_reviews(sim, rkey, i) ? CS_PLAN_REVIEW : 0));
    b->has_plan = 1;
    b->plan_step = sim->step;
}

void cs_exit(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    int64_t deaths = 0;
#pragma omp parallel for schedule(guided) reduction(+ : deaths)
    for (int32_t i = 0; i < F->n; i++) {
        int broke = F->cash[i] < -p->firms.x_exit * 4.0 * F->Y[i];
        int idle = F->empty[i] >= p->firms.t_empty;
        if ((broke || idle) && !F->kept[i]) {
            F->alive[i] = 0;
            deaths++;
        }
    }
    sim->cnt.deaths += deaths;
    plan(sim);
    cs_firms_compact(sim);
}
