/* skills.c: phase 10. Workers learn on the job, faster in dense places (learning economies);
 * skills decay in unemployment. */
#include "internal.h"
#include "policies.h"

void cs_skills(cs_sim *sim) {
    const cs_params *p = &sim->par;
    const cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    const double eta = p->workers.eta_l, lam = p->workers.lambda_h, decay = p->workers.eta_d;
#pragma omp parallel for schedule(static)
    for (int32_t j = 0; j < Wk->n; j++) {
        double h = Wk->skill[j];
        int32_t i = Wk->employer[j];
        if (i >= 0)
            h += eta * (1.0 + lam * log1p(sim->f.P[F->cell[i]] / p->land.p0)) * (1.0 - h);
        else
            h *= 1.0 - decay;
        Wk->skill[j] = (float)(h < 0.01 ? 0.01 : (h > 1.0 ? 1.0 : h));
    }
    cs_policies_skills(sim);
}
