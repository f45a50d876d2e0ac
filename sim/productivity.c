/* productivity.c: phase 2. Agglomeration (sharing, matching, learning: Duranton & Puga 2004),
 * R&D and innovation, imitation of the local frontier, and idiosyncratic shocks. */
#include "fields.h"
#include "internal.h"
#include "policies.h"

/* phi of MODEL.md phase 2 given its localisation term lk = ln(1 + L_s / l0) */
static inline double phi_of(const cs_sim *sim, int s, int32_t c, double lk) {
    const cs_params *p = &sim->par;
    const cs_fields *f = &sim->f;
    int64_t sc = (int64_t)s * sim->land.ncell + c;
    return p->sectors.beta_loc[s] * lk + p->land.beta_urb * f->D[c] * log1p(f->P[c] / p->land.p0) +
           p->land.beta_uni * f->U_s[sc] + sim->land.asset[sc] + sim->land.fund[sc];
}

double cs_phi(const cs_sim *sim, int s, int32_t c) {
    int64_t sc = (int64_t)s * sim->land.ncell + c;
    return phi_of(sim, s, c, log1p(sim->f.L_s[sc] / sim->par.land.l0));
}

void cs_productivity(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    const cs_fields *f = &sim->f;
    int32_t nc = sim->land.ncell;
    cs_policies_rd_credit(sim);
    int64_t innovations = 0;
    const double sa = p->innovation.sigma_a;
#pragma omp parallel for schedule(static) reduction(+ : innovations)
    for (int32_t i = 0; i < F->n; i++) {
        int s = F->sector[i];
        int32_t c = F->cell[i];
        int64_t sc = (int64_t)s * nc + c;
        cs_pcg32 rng;
        cs_rng_stream(&rng, (uint64_t)p->seed, (uint32_t)sim->step, CS_PH_PRODUCTIVITY,
                      (uint64_t)F->id[i]);
        const double lk = log1p(f->L_s[sc] / p->land.l0); /* the hazard's too */
        F->phi[i] = phi_of(sim, s, c, lk);
        /* R&D responds to its after-credit price with elasticity eps_rd (pow(1, y) is 1
         * exactly: most firms have no credit) */
        const double price = 1.0 - F->credit[i];
        double rho =
            p->sectors.rd_intensity[s] * (price == 1.0 ? 1.0 : pow(price, -p->innovation.eps_rd));
        F->rho[i] = rho < p->innovation.rd_cap ? rho : p->innovation.rd_cap;
        double hazard = p->innovation.theta * F->rho[i] *
                        (1.0 + p->innovation.mu_k * lk + p->innovation.mu_u * f->U_s[sc]);
        if (cs_hazard_hit(cs_pcg32_uniform(&rng), hazard)) {
            F->A[i] *= 1.0 + p->innovation.delta;
            innovations++;
        }
        /* learning: close part of the gap to the local frontier (never learn backwards) */
        double gap = cs_fields_abar(sim, s, c) - F->A[i];
        if (gap > 0) F->A[i] += p->innovation.iota * gap;
        /* mean-one log-normal shock */
        F->A[i] *= exp(sa * cs_pcg32_normal(&rng) - 0.5 * sa * sa);
    }
    sim->cnt.innovations += innovations;
}
