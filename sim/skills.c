/* skills.c: phase 10. Workers learn on the job, faster in dense places (learning economies);
 * skills decay in unemployment. */
#include "counting.h"
#include "internal.h"
#include "policies.h"

/* eta (1 + lam ln(1 + x)), x = P / p0: learning is faster in dense places. log1p(+-0) is +-0
 * exactly, so empty cells skip the call. */
static inline double learning_rate(double x, double eta, double lam) {
    return eta * (1.0 + lam * (x == 0.0 ? x : cs_log1p(x)));
}

/* Worker j learns at its workplace's rate (rate[c], NAN: not listed, taken here) or loses
 * skill out of work. */
static inline void learn(cs_workers *Wk, const cs_firms *F, const double *rate, const double *P,
                         int32_t j, double p0, double eta, double lam, double decay) {
    double h = Wk->skill[j];
    const int32_t i = Wk->employer[j];
    if (i >= 0) {
        const int32_t c = F->cell[i];
        const double r = rate[c];
        h += (isnan(r) ? learning_rate(P[c] / p0, eta, lam) : r) * (1.0 - h);
    } else {
        h *= 1.0 - decay;
    }
    Wk->skill[j] = (float)(h < CS_SKILL_MIN ? CS_SKILL_MIN : (h > 1.0 ? 1.0 : h));
}

void cs_skills(cs_sim *sim) {
    const cs_params *p = &sim->par;
    const cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    const double eta = p->workers.eta_l, lam = p->workers.lambda_h, decay = p->workers.eta_d;
    /* the learning rate depends on the workplace cell only: one log1p per cell that held a
     * firm when the fields were computed (the fields' list; every cell without it), and for a
     * firm that has moved or started since, taken at its worker (the same value) */
    const int32_t nc = sim->land.ncell;
    const int32_t nfc = sim->buf->n_firm_cells;
    const int32_t *fc = sim->buf->firm_cells;
    double *rate = cs_scratch_doubles(sim->buf, (size_t)nc);
    const double *P = sim->f.P, p0 = p->land.p0;
#pragma omp parallel for schedule(guided) if (nc >= CS_PAR_MIN)
    for (int32_t c = 0; c < nc; c++) rate[c] = nfc < 0 ? learning_rate(P[c] / p0, eta, lam) : NAN;
#pragma omp parallel for schedule(guided) if (nfc >= CS_PAR_MIN)
    for (int32_t k = 0; k < nfc; k++) rate[fc[k]] = learning_rate(P[fc[k]] / p0, eta, lam);
    /* the employer's cell is a random load at large scales: asked for CS_AHEAD workers ahead,
     * in a loop of its own so that small runs pay nothing for it */
    const int pf = F->n >= CS_AHEAD_MIN_FIRMS;
    const int64_t nblk = ((int64_t)Wk->n + CS_BLOCK - 1) / CS_BLOCK;
#pragma omp parallel for schedule(guided)
    for (int64_t b = 0; b < nblk; b++) {
        const int32_t j0 = (int32_t)(b * CS_BLOCK);
        const int32_t j1 = Wk->n - j0 < CS_BLOCK ? Wk->n : j0 + CS_BLOCK;
        if (pf) {
            for (int32_t j = j0; j < j1; j++) {
                if (j + CS_AHEAD < Wk->n && Wk->employer[j + CS_AHEAD] >= 0)
                    __builtin_prefetch(&F->cell[Wk->employer[j + CS_AHEAD]]);
                learn(Wk, F, rate, P, j, p0, eta, lam, decay);
            }
        } else {
            for (int32_t j = j0; j < j1; j++) learn(Wk, F, rate, P, j, p0, eta, lam, decay);
        }
    }
    cs_policies_skills(sim);
}
