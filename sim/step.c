/* step.c: one step of the simulation, one quarter, reading top to bottom as the phases of
 * MODEL.md section 4. Policies (phase 13) act inside the phases they name; metrics (phase 14)
 * and output are the caller's (runner.c, cmd_bench.c). */
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

/* the timed phases, as bench reports them (cs_phase_names) */
enum {
    T_FIELDS,
    T_PRODUCTIVITY,
    T_PRODUCTION,
    T_EXIT,
    T_ENTRY,
    T_RELOCATION,
    T_MATCHING,
    T_RESIDENCE,
    T_SKILLS,
    T_DEMOGRAPHICS,
    T_UNIVERSITIES,
    T_POLICIES,
    T_LANDSCAPE
};
const char *const cs_phase_names[CS_NPHASES] = {[T_FIELDS] = "fields",
                                                [T_PRODUCTIVITY] = "productivity",
                                                [T_PRODUCTION] = "production",
                                                [T_EXIT] = "exit",
                                                [T_ENTRY] = "entry",
                                                [T_RELOCATION] = "relocation",
                                                [T_MATCHING] = "matching",
                                                [T_RESIDENCE] = "residence",
                                                [T_SKILLS] = "skills",
                                                [T_DEMOGRAPHICS] = "demographics",
                                                [T_UNIVERSITIES] = "universities",
                                                [T_POLICIES] = "policies",
                                                [T_LANDSCAPE] = "landscape"};

void cs_step(cs_sim *sim) {
    sim->step++;
    memset(&sim->cnt, 0, sizeof(sim->cnt));
    /* 0. the landscape (not a phase of MODEL.md 4; docs/model.md section 4, phase 0):
     * developers build office and housing space where last step's demand exceeded it, and
     * natural assets decline where a scenario says so */
    TIMED(T_LANDSCAPE, cs_landscape_step(sim));
    TIMED(T_POLICIES, cs_policies_begin_step(sim)); /* 13. policies announced and in force */
    TIMED(T_FIELDS, cs_fields_compute(sim));        /*  1. fields */
    TIMED(T_PRODUCTIVITY, cs_productivity(sim));    /*  2. productivity and innovation */
    TIMED(T_PRODUCTION, cs_production(sim)); /* 3-4. production, labour demand, wages, profit */
#ifdef CS_DEBUG
    cs_check_invariants(sim);
#endif
    TIMED(T_EXIT, cs_exit(sim));             /*  5. exit */
    TIMED(T_ENTRY, cs_entry(sim));           /*  6. entry: startups, spinoffs, spinouts */
    TIMED(T_RELOCATION, cs_relocation(sim)); /*  7. firm relocation */
#ifdef CS_DEBUG
    cs_check_invariants(sim);
#endif
    TIMED(T_MATCHING, cs_matching(sim));         /*  8. labour market */
    TIMED(T_RESIDENCE, cs_residence(sim));       /*  9. residential relocation */
    TIMED(T_SKILLS, cs_skills(sim));             /* 10. skills */
    TIMED(T_DEMOGRAPHICS, cs_demographics(sim)); /* 11. demographics */
    TIMED(T_UNIVERSITIES, cs_universities(sim)); /* 12. universities */
#ifdef CS_DEBUG
    cs_check_invariants(sim);
#endif
}
