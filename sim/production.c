/* production.c: phases 3 and 4. Output, labour demand (target size and vacancies), layoffs,
 * wages, profit and cash. */
#include <string.h>

#include "internal.h"
#include "policies.h"

double cs_price(const cs_sim *sim, int s, int32_t c) {
    return s == sim->ls ? sim->f.p_ls[c] : sim->price[s];
}

/* Each sector's real output into q[0..S): serial, in firm order (a fixed order of the sums). */
static void real_output(const cs_sim *sim, double *q) {
    const cs_firms *F = &sim->firms;
    for (int s = 0; s < sim->S; s++) q[s] = 0.0;
    for (int32_t i = 0; i < F->n; i++)
        if (F->alive[i]) q[F->sector[i]] += F->Y[i] / sim->price[F->sector[i]];
}

/* The prices from the sectors' real output q. */
static void set_prices(cs_sim *sim, const double *q, int init) {
    double qt = 0;
    for (int s = 0; s < sim->S; s++)
        if (s != sim->ls) qt += q[s];
    double el = sim->par.sectors.price_elasticity;
    for (int s = 0; s < sim->S; s++) {
        if (s == sim->ls) continue;
        if (init) {
            sim->demand[s] = qt > 0 ? q[s] / qt : 0;
            sim->price[s] = 1.0;
        } else if (q[s] > 0 && sim->demand[s] > 0 && el > 0) {
            double p = cs_pow(sim->demand[s] * qt / q[s], el);
            /* bounded so that a sector that has all but vanished does not get absurd prices */
            sim->price[s] = p < 0.2 ? 0.2 : (p > 5.0 ? 5.0 : p);
        }
    }
}

/* National prices of tradables for the next step. Spending on tradables is split among them in
 * fixed shares (Cobb-Douglas demand, shares from the initial economy), so a sector that
 * supplies more than its share sees its price fall: p_s = (share_s Q / Q_s)^elasticity, with Q_s
 * the sector's real output and Q their sum. Elasticity 0 gives MODEL.md's p = 1. Without it
 * the sector with the fastest productivity growth absorbs the whole labour force. */
void cs_tradable_prices(cs_sim *sim, int init) {
    double q[CS_MAX_SECTORS];
    real_output(sim, q);
    set_prices(sim, q, init);
}

double cs_unit_labour_cost(const cs_sim *sim, int32_t c, double hbar) {
    /* wages are per unit of skill but space is rented per head: a unit of effective labour
     * takes 1/hbar heads of space, so the rent part is r phi / hbar. MODEL.md writes
     * wbar + r phi; with mean skill below 1 that literal form would leave every firm at its
     * optimum paying more for space than it budgeted and running at a loss. */
    return sim->f.wbar[c] + sim->f.rent[c] * sim->par.firms.phi_space / hbar;
}

double cs_fixed_cost(const cs_sim *sim, int32_t c) {
    return sim->par.firms.fixed_cost * sim->f.wbar[c];
}

/* x^e for the target size's exponent e = 1/(1 - alpha), x > 0. The default alpha 0.8 makes e
 * 5 in exact arithmetic but 5.000000000000001 in doubles, and glibc's pow then costs a fifth
 * of production: an exponent within 1e-12 of a whole number from 1 to 8 is taken as that
 * number, by multiplications (x^5: three); other exponents by pow. */
static inline double pow_target(double x, double e) {
    const double k = nearbyint(e);
    if (!(fabs(e - k) < 1e-12 && k >= 1.0 && k <= 8.0)) return cs_pow(x, e);
    double r = 1.0, b = x;
    for (int m = (int)k; m > 0; m >>= 1) {
        if (m & 1) r *= b;
        b *= b;
    }
    return r;
}

/* cs_labour_demand given ephi = exp(F->phi[i]), which production also needs for output. */
static void labour_demand(cs_sim *sim, int32_t i, double mean_skill, double ephi) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    int32_t c = F->cell[i];
    double alpha = p->firms.alpha;
    /* the firm's own average skill (the national mean for a firm with no one yet) turns
     * heads into effective labour */
    double hbar = F->n_emp[i] > 0 && F->H[i] > 0 ? F->H[i] / F->n_emp[i] : mean_skill;
    double mpl = alpha * cs_price(sim, F->sector[i], c) * F->A[i] * ephi;
    double hstar = pow_target(mpl / cs_unit_labour_cost(sim, c, hbar), 1.0 / (1.0 - alpha));
    F->hstar[i] = hstar;
    /* the skill gap in heads, capped by how fast a firm can grow in a quarter */
    double v = (hstar - F->H[i]) / (hbar > 0.01 ? hbar : 0.01);
    double cap = p->firms.g_max * (F->n_emp[i] > 1 ? F->n_emp[i] : 1) + 1.0;
    F->vac[i] = v < 0 ? 0 : (v < cap ? v : cap);
}

void cs_labour_demand(cs_sim *sim, int32_t i, double mean_skill) {
    labour_demand(sim, i, mean_skill, cs_exp(sim->firms.phi[i]));
}

/* Sorts a firm's workers last hired first, ties by higher worker id first (shell sort: the
 * slice is usually short, and this never allocates). */
static void sort_last_hired_first(int32_t *w, int32_t n, const int32_t *hired) {
    static const int32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (int g = 0; g < 8; g++) {
        int32_t gap = gaps[g];
        for (int32_t i = gap; i < n; i++) {
            int32_t t = w[i], j = i;
            while (j >= gap && (hired[w[j - gap]] < hired[t] ||
                                (hired[w[j - gap]] == hired[t] && w[j - gap] < t))) {
                w[j] = w[j - gap];
                j -= gap;
            }
            w[j] = t;
        }
    }
}

void cs_production(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    const cs_fields *f = &sim->f;
    double mean_skill = sim->f.mean_skill;
    const double alpha = p->firms.alpha;
    /* layoffs, last hired first, only beyond the buffer: firing is costly, so firms keep some
     * excess labour through small shocks. Only the firms that lay off need their workers. */
    int32_t *lays_off = sim->buf->f_flag;
    double *ephi = sim->buf->f_tmp; /* exp(phi), once for demand and output */
    /* this step's Phi by (sector, cell), where productivity made one: exp(Phi) from it when the
     * firm's Phi is the pair's (it is, unless something moved the firm since) */
    const cs_buffers *b = sim->buf;
    const cs_phi_pair *tab = b->has_phi_tab && b->phi_tab_step == sim->step ? b->phi_tab : NULL;
    const int64_t nc = sim->land.ncell;
#pragma omp parallel for schedule(dynamic, 256)
    for (int32_t i = 0; i < F->n; i++) {
        const cs_phi_pair *e = tab ? &tab[F->sector[i] * nc + F->cell[i]] : NULL;
        ephi[i] = e && F->phi[i] == e->phi ? e->ephi : cs_exp(F->phi[i]);
        labour_demand(sim, i, mean_skill, ephi[i]);
        lays_off[i] = F->H[i] > (1.0 + p->firms.buffer) * F->hstar[i];
    }
    cs_workerindex_build_for(sim, lays_off);
    int64_t laid_off = 0;
#pragma omp parallel for schedule(dynamic, 256) reduction(+ : laid_off)
    for (int32_t i = 0; i < F->n; i++) {
        if (lays_off[i]) {
            int32_t *w = sim->wi.worker + sim->wi.start[i];
            int32_t n = sim->wi.start[i + 1] - sim->wi.start[i];
            sort_last_hired_first(w, n, Wk->hired);
            for (int32_t k = 0; k < n && F->H[i] > F->hstar[i]; k++) {
                int32_t j = w[k];
                F->H[i] -= Wk->skill[j];
                F->n_emp[i]--;
                Wk->employer[j] = -1;
                Wk->unemp[j] = 0;
                laid_off++;
            }
            if (F->H[i] < 0 || F->n_emp[i] == 0) F->H[i] = 0;
            F->vac[i] = 0;
        }
        int32_t c = F->cell[i];
        double H = F->H[i];
        /* those laid off this quarter produce nothing in it */
        double Y =
            H > 0 ? cs_price(sim, F->sector[i], c) * F->A[i] * ephi[i] * cs_pow(H, alpha) : 0.0;
        F->Y[i] = Y;
        double w = H > 0 ? p->firms.omega * alpha * Y / H : 0.0;
        F->w[i] = w > p->labour.w_min ? w : p->labour.w_min;
        double rent = f->rent[c] * p->firms.phi_space * F->n_emp[i];
        F->profit[i] = Y - F->w[i] * H - rent - F->rho[i] * Y - cs_fixed_cost(sim, c);
        F->pay[i] = 0;
        F->kept[i] = 0;
    }
    sim->cnt.job_losses += laid_off;
    /* policy support needs every firm's pre-tax profit (pro-rata budgets) */
    cs_policies_firm_support(sim);
    double *rd = sim->buf->f_tmp; /* exp(phi) no longer needed */
    double *tax = sim->buf->f_tax, *ptax = sim->buf->f_ptax;
    /* only policies pay firms: without them the payments' tax is 0, and not summed */
    const int paid = sim->par.n_policies > 0;
    /* the next step's prices need the sectors' real output, a serial sum over the firms: it
     * runs beside the cash pass (which writes nothing it reads), and the thread done first
     * takes its share of the firms */
    double q[CS_MAX_SECTORS];
#pragma omp parallel
    {
#pragma omp single nowait
        real_output(sim, q);
#pragma omp for schedule(guided) nowait
        for (int32_t i = 0; i < F->n; i++) {
            double pre = F->profit[i] + F->pay[i];
            tax[i] = p->firms.tax * (pre > 0 ? pre : 0);
            if (paid) {
                double own = F->profit[i]; /* pre-tax profit without the payments */
                ptax[i] = tax[i] - p->firms.tax * (own > 0 ? own : 0);
            }
            double cash = F->cash[i] + pre - tax[i];
            /* dividends: owners take a share of positive cash, so cash does not pile up */
            if (cash > 0) cash -= p->firms.payout * cash;
            F->cash[i] = cash;
            F->empty[i] = F->n_emp[i] > 0 ? 0 : F->empty[i] + 1;
            rd[i] = F->rho[i] * F->Y[i];
        }
    }
    sim->cnt.rd_spend += cs_sum_fixed(rd, F->n);
    sim->cnt.tax_revenue += cs_sum_fixed(tax, F->n);
    if (paid) sim->cnt.tax_on_payments += cs_sum_fixed(ptax, F->n);
    set_prices(sim, q, 0);
}
