/* entry.c: phase 6. Startups in proportion to residents (more in dense places), spinoffs that
 * inherit their parent's productivity (Klepper 2007), and university spinouts. New firms are
 * appended in a fixed order (startups by cell, spinoffs by parent, spinouts by university), and
 * every draw comes from a stream of its cell, parent or university, so the result does not
 * depend on the thread count. */
#include <string.h>

#include "counting.h"
#include "fields.h"
#include "internal.h"
#include "policies.h"

/* Draws the sector of a startup at cell c: the local mix plus an exploration share. */
/* How much announced support raises the appeal of founding a firm of sector s at cell c: one
 * plus entry_response times the support per job relative to the local wage of a job; exactly 1
 * where no policy applies. */
static double policy_boost(const cs_sim *sim, int32_t c, int s, double mean_skill) {
    double v = cs_policies_entry_value(sim, c, s);
    /* support is weighed against the wage a founder's worker would cost; where no wage is paid
     * within reach (only with labour.w_min = 0) there is nothing to weigh it against, and an
     * infinite appeal would make every resident found a firm: no boost there */
    const double wage = sim->f.wbar[c] * mean_skill;
    if (v <= 0 || !(wage > 0)) return 1.0;
    return 1.0 + sim->par.firms.entry_response * v / wage;
}

static int startup_sector(const cs_sim *sim, cs_pcg32 *rng, int32_t c, double mean_skill) {
    const cs_fields *f = &sim->f;
    int S = sim->S;
    double wts[CS_MAX_SECTORS], tot = 0;
    /* exploration sees natural advantages: a sector's share of it grows with what the local
     * asset adds to a firm's optimal size, exp(a_s / (1 - alpha)); 1 where there is none */
    double inv = 1.0 / (1.0 - sim->par.firms.alpha);
    for (int s = 0; s < S; s++) {
        int64_t sc = (int64_t)s * sim->land.ncell + c;
        wts[s] = f->L_s[sc] +
                 sim->par.firms.eps_sector * f->P[c] / S * cs_exp(sim->land.asset[sc] * inv);
        wts[s] *= policy_boost(sim, c, s, mean_skill); /* supported sectors draw more founders */
        tot += wts[s];
    }
    double u = cs_pcg32_uniform(rng) * tot;
    if (tot <= 0) return (int)cs_pcg32_bounded(rng, (uint32_t)S);
    for (int s = 0; s < S; s++) {
        if (u < wts[s]) return s;
        u -= wts[s];
    }
    return S - 1;
}

/* The sectors' shares summed in sector order: startup_rate's weight without support. */
static double share_sum(const cs_sim *sim) {
    double w = 0;
    for (int s = 0; s < sim->S; s++) w += sim->par.sectors.share[s];
    return w;
}

static double startup_rate(const cs_sim *sim, int32_t c, double mean_skill, int zones, double w) {
    const cs_params *p = &sim->par;
    /* announced support raises entry by its share-weighted appeal over sectors, wb / w; with
     * no zone policy at all every boost is 1, so wb is w's sum term for term (w / w) */
    double wb = w;
    if (zones) {
        wb = 0;
        for (int s = 0; s < sim->S; s++)
            wb += p->sectors.share[s] * policy_boost(sim, c, s, mean_skill);
    }
    /* N is full scale: times scale gives the simulated residents */
    const double residents = sim->f.N[c] * sim->scale;
    double rate = p->firms.lambda_e * residents *
                  (1.0 + p->firms.b_k * cs_log1p(sim->f.P[c] / p->land.p0)) * (wb / w);
    /* founders are residents: at most one startup each a step. The model's rates stay far
     * below it (a few in a thousand); a support or boost set absurdly high would otherwise ask
     * for more firms than an int32 counts (a segfault at per_worker = 1e12) */
    return rate < residents ? rate : residents;
}

/* A new firm offers the going local wage until it has produced, and starts with seed capital
 * worth seed_capital steps of its fixed cost. */
static void init_new_firm(cs_sim *sim, int32_t i, int32_t c, int s, int origin, int64_t parent,
                          double A) {
    cs_firm_init(sim, i, c, s, origin, parent, A,
                 sim->par.firms.seed_capital * cs_fixed_cost(sim, c), sim->f.wbar[c]);
    sim->firms.phi[i] = cs_phi(sim, s, c);
}

/* The new firms [i0, i1)'s labour demand (each its own). */
static void labour_demand_of(cs_sim *sim, int32_t i0, int32_t i1, double mean_skill) {
#pragma omp parallel for schedule(guided) if (i1 - i0 >= 1024)
    for (int32_t i = i0; i < i1; i++) cs_labour_demand(sim, i, mean_skill);
}

static void startups(cs_sim *sim, double mean_skill) {
    const cs_params *p = &sim->par;
    const cs_landscape *l = &sim->land;
    int32_t nc = l->ncell;
    int32_t *cnt = sim->buf->c_count;
    double esig = p->firms.entry_sigma;
    const int zones = cs_policies_have_zones(sim);
    const double wsum = share_sum(sim);
    /* each cell's stream from the step's key, made once (cs_rng_stream makes it per call) */
    const cs_rng_key key =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_ENTRY_STARTUP);
#pragma omp parallel for schedule(guided)
    for (int32_t c = 0; c < nc; c++) {
        cnt[c] = 0;
        if (!l->land[c] || sim->f.N[c] <= 0) continue;
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, key, (uint64_t)c);
        cnt[c] = (int32_t)cs_pcg32_poisson(&rng, startup_rate(sim, c, mean_skill, zones, wsum));
    }
    int32_t base = sim->firms.n, total = 0;
    for (int32_t c = 0; c < nc; c++) {
        int32_t k = cnt[c];
        cnt[c] = total;
        total += k;
    }
    if (!total) return;
    cs_firms_reserve(sim, base + total);
    cs_firms *F = &sim->firms;
#pragma omp parallel for schedule(guided)
    for (int32_t c = 0; c < nc; c++) {
        int32_t next = c + 1 < nc ? cnt[c + 1] : total;
        if (next == cnt[c]) continue;
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, key, (uint64_t)c);
        /* replay the count draw */
        (void)cs_pcg32_poisson(&rng, startup_rate(sim, c, mean_skill, zones, wsum));
        for (int32_t k = cnt[c]; k < next; k++) {
            int s = startup_sector(sim, &rng, c, mean_skill);
            double frontier = cs_fields_entry_reference(sim, s, c);
            double A = frontier * (1.0 - p->firms.entry_discount) *
                       cs_exp(esig * cs_pcg32_normal(&rng) - 0.5 * esig * esig);
            init_new_firm(sim, base + k, c, s, CS_ORIGIN_STARTUP, -1, A);
        }
    }
    for (int32_t k = 0; k < total; k++) F->id[base + k] = sim->next_firm_id++;
    F->n = base + total;
    labour_demand_of(sim, base, F->n, mean_skill);
    sim->cnt.births += total;
    sim->cnt.startups += total;
}

int cs_spinoff_decides(const cs_sim *sim, cs_rng_key key, int32_t i) {
    const cs_firms *F = &sim->firms;
    if (F->n_emp[i] < 2) return 0; /* the founder leaves someone behind */
    cs_pcg32 rng;
    cs_rng_stream_keyed(&rng, key, (uint64_t)F->id[i]);
    double prob = sim->par.firms.lambda_sp * F->A[i] / sim->f.Amean_s[F->sector[i]];
    return cs_pcg32_uniform(&rng) < prob;
}

/* Spinoffs: founded by a worker of the parent, near it, inheriting its productivity. */
static void spinoffs(cs_sim *sim, double mean_skill) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    int32_t nparent = F->n;
    int32_t *flag = sim->buf->f_new;
    const cs_rng_key key =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_ENTRY_SPINOFF);
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < nparent; i++) {
        const int plan = cs_plan_of(sim, i); /* decided in exit, else now */
        flag[i] = plan >= 0 ? (plan & CS_PLAN_SPINOFF) != 0 : cs_spinoff_decides(sim, key, i);
    }
    /* each parent's rank among the parents, from 1: its spinoff is firm nparent + rank - 1 */
    int32_t total = 0;
    for (int32_t i = 0; i < nparent; i++) flag[i] = flag[i] ? ++total : 0;
    if (!total) return;
    cs_workerindex_build_planned(sim, flag); /* the parents' workers: founders come from them */
    cs_firms_reserve(sim, nparent + total);
    F = &sim->firms;
    flag = sim->buf->f_new; /* reserving may have moved the buffers */
    const double sig = p->firms.sp_sigma;
    const int64_t id0 = sim->next_firm_id;
    /* each spinoff draws from its parent's stream and writes only its own firm, its parent and
     * its founder (a worker of that parent alone), so the parents are taken in parallel */
#pragma omp parallel for schedule(guided) if (nparent >= CS_PAR_MIN)
    for (int32_t i = 0; i < nparent; i++) {
        if (!flag[i]) continue;
        const int32_t k = nparent + flag[i] - 1;
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, key, (uint64_t)F->id[i]);
        (void)cs_pcg32_uniform(&rng); /* replay the decision draw */
        int32_t c = cs_random_cell_near(&sim->land, &rng, F->cell[i], p->firms.r_sp);
        if (c < 0) c = F->cell[i];
        /* a spinoff inherits its parent's know-how but starts below it: with output
         * elastic in A, an exact copy would want to be as large as its parent at once */
        double A = F->A[i] * (1.0 - p->firms.sp_discount) *
                   cs_exp(sig * cs_pcg32_normal(&rng) - 0.5 * sig * sig);
        init_new_firm(sim, k, c, F->sector[i], CS_ORIGIN_SPINOFF, F->id[i], A);
        F->id[k] = id0 + flag[i] - 1;
        /* the founder is one of the parent's workers and moves with the new firm */
        int32_t n = sim->wi.start[i + 1] - sim->wi.start[i];
        int32_t j = sim->wi.worker[sim->wi.start[i] + (int32_t)cs_pcg32_bounded(&rng, (uint32_t)n)];
        Wk->employer[j] = k;
        Wk->hired[j] = sim->step;
        F->n_emp[k] = 1;
        F->H[k] = Wk->skill[j];
        F->n_emp[i]--;
        F->H[i] -= Wk->skill[j];
    }
    sim->next_firm_id += total;
    F->n = nparent + total;
    labour_demand_of(sim, nparent, F->n, mean_skill);
    sim->cnt.births += total;
    sim->cnt.spinoffs += total;
}

/* University spinouts: more from better and better-supported universities. */
static void spinouts(cs_sim *sim, double mean_skill) {
    const cs_params *p = &sim->par;
    cs_landscape *l = &sim->land;
    for (int u = 0; u < l->n_univ; u++) {
        cs_university *un = &l->univ[u];
        cs_pcg32 rng;
        cs_rng_stream(&rng, (uint64_t)p->seed, (uint32_t)sim->step, CS_PH_ENTRY_SPINOUT,
                      (uint64_t)u);
        double rate = p->universities.lambda_u * un->q * (1.0 + un->spinout_support) * sim->scale;
        /* founders are residents, as for startups: at most the university cell's each step.
         * The model's rates stay far below it; an absurd rate or quality (lambda_u = 1e300)
         * asked for billions of firms */
        const double residents = sim->f.N[un->cell] * sim->scale;
        if (rate > residents) rate = residents;
        uint32_t k = cs_pcg32_poisson(&rng, rate);
        for (uint32_t m = 0; m < k; m++) {
            double r = cs_pcg32_uniform(&rng), acc = 0;
            int s = 0;
            for (s = 0; s < sim->S - 1; s++) {
                acc += un->sigma[s];
                if (r < acc) break;
            }
            int32_t c = cs_random_cell_near(l, &rng, un->cell, 0.5 * p->universities.ru);
            if (c < 0) c = un->cell;
            double sig = p->firms.entry_sigma;
            double A = sim->f.Amean_s[s] * (1.0 + p->universities.spinout_premium) *
                       cs_exp(sig * cs_pcg32_normal(&rng) - 0.5 * sig * sig);
            int32_t i = cs_firm_new(sim, c, s, CS_ORIGIN_SPINOUT, -1, A, 0.0);
            init_new_firm(sim, i, c, s, CS_ORIGIN_SPINOUT, -1, A);
            cs_labour_demand(sim, i, mean_skill);
            sim->cnt.births++;
            sim->cnt.spinouts++;
        }
    }
}

void cs_entry(cs_sim *sim) {
    double mean_skill = sim->f.mean_skill;
    startups(sim, mean_skill);
    spinoffs(sim, mean_skill);
    spinouts(sim, mean_skill);
}
