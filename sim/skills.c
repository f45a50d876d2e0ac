/* skills.c: phase 10. Workers learn on the job, faster in dense places (learning economies);
 * skills decay in unemployment. */
#include "counting.h"
#include "internal.h"
#include "policies.h"

void cs_skills(cs_sim *sim) {
    const cs_params *p = &sim->par;
    const cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    const double eta = p->workers.eta_l, lam = p->workers.lambda_h, decay = p->workers.eta_d;
    /* the learning rate depends on the workplace cell only: one log1p per cell that holds a
     * firm (the same product, (eta (1 + lam log1p(P / p0))) (1 - h), as before), kept per
     * firm so that a worker reads its employer's rate alone */
    const int32_t nc = sim->land.ncell, nf = F->n;
    double *rate = cs_scratch_doubles(sim->buf, (size_t)nc + (size_t)nf), *frate = rate + nc;
    for (int32_t c = 0; c < nc; c++) rate[c] = NAN; /* not yet needed */
    for (int32_t i = 0; i < nf; i++) {              /* serial: firms share cells */
        const int32_t c = F->cell[i];
        if (isnan(rate[c])) {
            const double x = sim->f.P[c] / p->land.p0;
            /* log1p(+-0) is +-0 exactly: empty cells skip the call */
            rate[c] = eta * (1.0 + lam * (x == 0.0 ? x : log1p(x)));
        }
        frate[i] = rate[c];
    }
#pragma omp parallel for schedule(static)
    for (int32_t j = 0; j < Wk->n; j++) {
        double h = Wk->skill[j];
        int32_t i = Wk->employer[j];
        if (i >= 0)
            h += frate[i] * (1.0 - h);
        else
            h *= 1.0 - decay;
        Wk->skill[j] = (float)(h < CS_SKILL_MIN ? CS_SKILL_MIN : (h > 1.0 ? 1.0 : h));
    }
    cs_policies_skills(sim);
}
