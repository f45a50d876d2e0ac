/* population.c: the initial economy of MODEL.md section 8. Firms are placed in proportion to
 * population with national sector shares (no sector starts concentrated), with skewed sizes;
 * their workers live near them; capacities start at the initial jobs and residents plus
 * headroom; and each firm's productivity is set so that its drawn size is its optimal size at
 * the initial fields, so the economy starts near a steady state. */
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "internal.h"

#define UK_WORKERS 33.0e6
#define UK_FIRMS   1.4e6

void cs_population_init(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_landscape *l = &sim->land;
    int32_t nc = l->ncell;
    int32_t nworkers = (int32_t)llround(UK_WORKERS * p->scale);
    int32_t nfirms = (int32_t)llround(UK_FIRMS * p->scale);
    if (nworkers < 10) nworkers = 10;
    if (nfirms < 1) nfirms = 1;

    /* population CDF over cells and sector shares */
    double *popcdf = cs_xcalloc((size_t)nc, sizeof(double));
    double acc = 0;
    for (int32_t c = 0; c < nc; c++) popcdf[c] = (acc += l->land[c] ? l->pop_weight[c] : 0.0);
    double scdf[CS_MAX_SECTORS], sacc = 0;
    for (int s = 0; s < sim->S; s++) scdf[s] = (sacc += p->sectors.share[s]);

    /* firm sizes: Pareto with tail size_tail, rescaled so the firms employ the initially
     * employed share of the labour force */
    double *size = cs_xcalloc((size_t)nfirms, sizeof(double));
    double a = p->firms.size_tail, tot = 0;
    int32_t employed = (int32_t)llround(nworkers * (1.0 - p->workers.unemployed0));
    /* truncated so that the largest firm holds at most size_cap of the employed: with a tail
     * exponent near 1 an untruncated draw over a few thousand firms can give one firm most of
     * the workforce. The raw cap X solves X = size_cap x nfirms x E[size | size <= X]. */
    double xmax = 2.0;
    for (int it = 0; it < 50; it++) {
        double m = fabs(a - 1.0) < 1e-9
                       ? log(xmax) / (1.0 - 1.0 / xmax)
                       : a / (a - 1.0) * (1.0 - pow(xmax, 1.0 - a)) / (1.0 - pow(xmax, -a));
        double next = p->firms.size_cap * nfirms * m;
        xmax = next > 2.0 ? next : 2.0;
    }
    double tail = 1.0 - pow(xmax, -a); /* CDF of the Pareto(1, a) at xmax */
    for (int32_t i = 0; i < nfirms; i++) {
        cs_pcg32 rng;
        cs_rng_stream(&rng, (uint64_t)p->seed, 0, CS_PH_INIT_FIRMS, (uint64_t)i);
        size[i] = pow(1.0 - tail * cs_pcg32_uniform(&rng), -1.0 / a);
        tot += size[i];
    }
    cs_firms_reserve(sim, nfirms * 2 + 1024);
    cs_firms *F = &sim->firms;
    int32_t *fsize = cs_xcalloc((size_t)nfirms, sizeof(int32_t));
    int32_t placed = 0;
    for (int32_t i = 0; i < nfirms; i++) {
        int32_t n = (int32_t)floor(size[i] / tot * employed + 0.5);
        if (n < 1) n = 1;
        if (placed + n > employed) n = employed - placed > 1 ? employed - placed : 1;
        fsize[i] = n;
        placed += n;
    }
    if (placed > nworkers) placed = nworkers;

    /* workers: the employed live near their firm, the rest where people live */
    cs_workers *Wk = &sim->workers;
    Wk->n = nworkers;
    Wk->home = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->employer = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->hired = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->unemp = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->skill = cs_xcalloc((size_t)nworkers, sizeof(float));
    Wk->graduate = cs_xcalloc((size_t)nworkers, sizeof(uint8_t));
    sim->wi.worker = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    cs_buffers *b = sim->buf;
    b->w_choice = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    b->w_order = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    b->w_app = cs_xcalloc((size_t)nworkers, sizeof(cs_applicant));
    b->w_search = cs_xcalloc((size_t)nworkers, sizeof(uint8_t));

    int32_t j = 0;
    for (int32_t i = 0; i < nfirms; i++) {
        cs_pcg32 rng;
        cs_rng_stream(&rng, (uint64_t)p->seed, 0, CS_PH_INIT_FIRMS, (uint64_t)i);
        (void)cs_pcg32_uniform_pos(&rng); /* the size draw */
        int32_t c = cs_cdf_pick(popcdf, nc, cs_pcg32_uniform(&rng));
        int s = cs_cdf_pick(scdf, sim->S, cs_pcg32_uniform(&rng));
        int32_t f = cs_firm_new(sim, c, s, CS_ORIGIN_INITIAL, -1, 1.0, 0.0);
        /* an age drawn up to 20 years, so the initial firms are not all newborn */
        F->birth[f] = -(int32_t)cs_pcg32_bounded(&rng, 80);
        for (int32_t k = 0; k < fsize[i] && j < nworkers; k++, j++) {
            int32_t h = cs_random_cell_near(l, &rng, c, 0.5 * p->labour.rc);
            Wk->home[j] = h >= 0 && cs_pcg32_uniform(&rng) < 0.7 ? h : c;
            Wk->employer[j] = f;
            Wk->hired[j] = -(int32_t)cs_pcg32_bounded(&rng, 40);
        }
    }
    for (; j < nworkers; j++) {
        cs_pcg32 rng;
        cs_rng_stream(&rng, (uint64_t)p->seed, 0, CS_PH_INIT_WORKERS, (uint64_t)j);
        Wk->home[j] = cs_cdf_pick(popcdf, nc, cs_pcg32_uniform(&rng));
        Wk->employer[j] = -1;
        Wk->unemp[j] = (int32_t)cs_pcg32_bounded(&rng, 4);
    }
    for (j = 0; j < nworkers; j++) {
        cs_pcg32 rng;
        cs_rng_stream(&rng, (uint64_t)p->seed, 1, CS_PH_INIT_WORKERS, (uint64_t)j);
        double h = p->workers.skill_mean + p->workers.skill_sd * cs_pcg32_normal(&rng);
        Wk->skill[j] = (float)(h < 0.05 ? 0.05 : (h > 1.0 ? 1.0 : h));
    }
    free(size);
    free(fsize);
    free(popcdf);

    /* capacities from the initial jobs and residents (full scale) */
    double *jobs = cs_xcalloc((size_t)nc, sizeof(double)),
           *res = cs_xcalloc((size_t)nc, sizeof(double));
    for (j = 0; j < nworkers; j++) {
        res[Wk->home[j]] += 1.0 / p->scale;
        if (Wk->employer[j] >= 0) jobs[F->cell[Wk->employer[j]]] += 1.0 / p->scale;
    }
    for (int32_t c = 0; c < nc; c++) {
        double land = l->land[c] ? 1.0 : 0.0;
        l->K[c] = jobs[c] * (1.0 + p->land.headroom) + p->land.floor_jobs * land;
        l->Kh[c] = res[c] * (1.0 + p->land.headroom) + p->land.floor_homes * land;
    }
    free(jobs);
    free(res);

    /* wages start at the fixed point of the wage rule at optimal size, w = omega c_L =
     * omega (w + r phi / hbar), so that the first steps are not a jolt: fields give rent,
     * then local mean wages */
    cs_fields_compute(sim);
    double om = p->firms.omega;
    for (int32_t i = 0; i < F->n; i++) {
        double hb = F->n_emp[i] > 0 && F->H[i] > 0 ? F->H[i] / F->n_emp[i] : p->workers.skill_mean;
        double w = om * sim->f.rent[F->cell[i]] * p->firms.phi_space / hb / (1.0 - om);
        F->w[i] = w > p->labour.w_min ? w : p->labour.w_min;
    }
    cs_fields_compute(sim);

    /* productivity: A such that the firm's current effective labour is its optimal size */
    double alpha = p->firms.alpha;
    for (int32_t i = 0; i < F->n; i++) {
        int32_t c = F->cell[i];
        int s = F->sector[i];
        double phi = cs_phi(sim, s, c);
        double H = F->H[i] > 0 ? F->H[i] : p->workers.skill_mean;
        double hbar =
            F->n_emp[i] > 0 && F->H[i] > 0 ? F->H[i] / F->n_emp[i] : p->workers.skill_mean;
        F->A[i] = cs_unit_labour_cost(sim, c, hbar) * pow(H, 1.0 - alpha) /
                  (alpha * cs_price(sim, s, c) * exp(phi));
        F->phi[i] = phi;
        F->Y[i] = F->H[i] > 0 ? cs_price(sim, s, c) * F->A[i] * exp(phi) * pow(F->H[i], alpha) : 0;
        double w = F->H[i] > 0 ? om * alpha * F->Y[i] / F->H[i] : p->labour.w_min;
        F->w[i] = w > p->labour.w_min ? w : p->labour.w_min;
        F->cash[i] = p->firms.seed_capital * cs_fixed_cost(sim, c);
    }
    /* the frontier and national means now reflect the calibrated productivities */
    cs_fields_compute(sim);
    cs_tradable_prices(sim, 1);
}
