/* relocation.c: phase 7. A firm reviews its location now and then, compares its own cell with
 * cells nearby, cells where its industry already is, and announced policy zones, by expected
 * profit (plus valued policy support, minus the move cost and the workers it would lose), and
 * chooses by multinomial logit (UrbanSim style). Capacity is soft: crowding shows up in rent. */
#include <string.h>

#include "counting.h"
#include "internal.h"
#include "policies.h"

/* a firm's candidates: its own cell, up to k_f drawn, and one per announced zone policy */
#define MAX_CAND (1 + CS_MAX_K_F + CS_MAX_POLICIES)
/* Workers ahead whose home a reviewing firm asks for while it reads its workers' homes. */
#define HOME_AHEAD 16

/* Expected profit per step of firm i at cell c, at its current effective labour H > 0 or 0;
 * Ha = pow(H, alpha), the same at every candidate and so taken once per firm. */
static double expected_profit(const cs_sim *sim, int32_t i, int32_t c, double H, double Ha) {
    const cs_params *p = &sim->par;
    const cs_firms *F = &sim->firms;
    int s = F->sector[i];
    double Y = H > 0 ? cs_price(sim, s, c) * F->A[i] * cs_exp_phi(sim, s, c) * Ha : 0.0;
    double wage = H > 0 ? p->firms.omega * p->firms.alpha * Y : 0.0; /* wage bill w H */
    double wmin = p->labour.w_min * H;
    if (wage < wmin) wage = wmin;
    double rent = sim->f.rent[c] * p->firms.phi_space * F->n_emp[i];
    return Y - wage - rent - F->rho[i] * (1.0 - F->credit[i]) * Y - cs_fixed_cost(sim, c);
}

/* Firms know where their industry is: per sector, the cumulative jobs E_s over the cells the
 * fields listed as holding firms (ascending; E_s is +0.0 elsewhere, and adding +0.0 changes no
 * sum), into c_cdf's row s; returns how many cells, with *cells the list. A draw's first entry
 * above u times the total is then the cell the whole grid's cumulative sums would give. Without
 * a list (the fields' firm cells forgotten), the whole grid. */
static int32_t build_sector_cdfs(cs_sim *sim, const int32_t **cells) {
    const int32_t nc = sim->land.ncell;
    const int32_t nfc = sim->buf->n_firm_cells;
    const int32_t *fc = nfc >= 0 ? sim->buf->firm_cells : NULL;
    double *cdf = sim->buf->c_cdf;
#pragma omp parallel for schedule(guided)
    for (int s = 0; s < sim->S; s++) {
        const double *E = sim->f.E_s + (int64_t)s * nc;
        double *out = cdf + (int64_t)s * nc;
        double acc = 0;
        if (fc)
            for (int32_t k = 0; k < nfc; k++) out[k] = (acc += E[fc[k]]);
        else
            for (int32_t c = 0; c < nc; c++) out[c] = (acc += E[c]);
    }
    *cells = fc;
    return fc ? nfc : nc;
}

int cs_relocation_reviews(const cs_sim *sim, cs_rng_key key, int32_t i) {
    cs_pcg32 rng;
    cs_rng_stream_keyed(&rng, key, (uint64_t)sim->firms.id[i]);
    return cs_pcg32_uniform(&rng) < sim->par.firms.m_f; /* the stream's first draw */
}

void cs_relocation(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    int32_t nc = sim->land.ncell;
    int32_t *move = sim->buf->f_move;
    if (p->firms.m_f <= 0) return;
    const int32_t *cdf_cells;
    const int32_t ncdf = build_sector_cdfs(sim, &cdf_cells);
    const double *cdf = sim->buf->c_cdf;
    /* which firms consider a move (decided in exit, else now): only their workers are
     * indexed */
    int32_t *considers = sim->buf->f_flag;
    const cs_rng_key key =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_RELOCATION);
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < F->n; i++) {
        const int plan = cs_plan_of(sim, i);
        considers[i] =
            plan >= 0 ? (plan & CS_PLAN_REVIEW) != 0 : cs_relocation_reviews(sim, key, i);
        move[i] = -1;
    }
    cs_workerindex_build_planned(sim, considers);
    const cs_landscape *l = &sim->land;
    const size_t nidx = (size_t)sim->wi.start[F->n];
    /* three entries a worker */
    sim->buf->w_reach = cs_grow_only(sim->buf->w_reach, &sim->buf->w_reach_cap, nidx,
                                     3 * sizeof *sim->buf->w_reach);
    int32_t *const reach = sim->buf->w_reach;
    const int links = cs_any_open_link(sim);
#pragma omp parallel for schedule(dynamic, 256)
    for (int32_t i = 0; i < F->n; i++) {
        if (!considers[i]) continue;
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, key, (uint64_t)F->id[i]);
        (void)cs_pcg32_uniform(&rng); /* replay the decision draw */
        int32_t cand[MAX_CAND];
        double val[MAX_CAND];
        int nc_ = 0;
        int32_t own = F->cell[i];
        cand[nc_++] = own;
        int half = p->firms.k_f / 2;
        for (int k = 0; k < half; k++) {
            int32_t c = cs_random_cell_near(&sim->land, &rng, own, p->firms.r_move);
            if (c >= 0 && nc_ < MAX_CAND) cand[nc_++] = c;
        }
        const double *sc = cdf + (int64_t)F->sector[i] * nc;
        if (ncdf > 0 && sc[ncdf - 1] > 0)
            for (int k = 0; k < p->firms.k_f - half && nc_ < MAX_CAND; k++) {
                const int32_t e = cs_cdf_pick(sc, ncdf, cs_pcg32_uniform(&rng));
                cand[nc_++] = cdf_cells ? cdf_cells[e] : e;
            }
        nc_ += cs_policies_zone_cells(sim, i, cand + nc_, MAX_CAND - nc_);
        /* values: profit, valued support, move cost and lost workers, all per step */
        double Y = F->Y[i];
        const double H = F->H[i] > 0 ? F->H[i] : 0, Ha = H > 0 ? cs_pow(H, p->firms.alpha) : 0.0;
        int32_t w0 = sim->wi.start[i], wn = sim->wi.start[i + 1] - w0;
        /* the workers' homes and squared reaches once, for every candidate */
        int32_t *hr = reach + 3 * (size_t)w0;
        double last_r = NAN;
        int32_t last_d2 = -1;
        for (int32_t m = 0; m < wn; m++) {
            /* the workers are scattered over the labour force: their homes asked for ahead */
            if (m + HOME_AHEAD < wn)
                __builtin_prefetch(&Wk->home[sim->wi.worker[w0 + m + HOME_AHEAD]]);
            const int32_t h = Wk->home[sim->wi.worker[w0 + m]], hy = cs_cell_row(l, h);
            const double r = p->labour.rc + l->reach[h];
            if (!(r == last_r)) last_d2 = cs_reach_d2max(r), last_r = r;
            hr[3 * m] = h - hy * l->W;
            hr[3 * m + 1] = hy;
            hr[3 * m + 2] = last_d2;
        }
        for (int k = 0; k < nc_; k++) {
            int32_t c = cand[k];
            double v = expected_profit(sim, i, c, H, Ha) + cs_policies_location_value(sim, i, c);
            if (c != own) {
                v -= p->firms.m_c * Y / p->firms.t_plan;
                const int32_t cy = cs_cell_row(l, c), cx = c - cy * l->W;
                int lost = 0;
                for (int32_t m = 0; m < wn; m++) {
                    /* cs_commutable: within the home's reach, else across an open link */
                    const int64_t dx = cx - hr[3 * m], dy = cy - hr[3 * m + 1];
                    if (dx * dx + dy * dy <= hr[3 * m + 2]) continue;
                    lost += !links || !cs_commutable(sim, Wk->home[sim->wi.worker[w0 + m]], c);
                }
                /* losing a share of the workforce costs that share of a year's output */
                if (wn) v -= 4.0 * Y * ((double)lost / wn) / p->firms.t_plan;
            }
            val[k] = v;
        }
        double scale = p->firms.tau * (fabs(Y) + cs_fixed_cost(sim, own)) + 1e-12;
        int pick = cs_logit_pick(val, nc_, scale, cs_pcg32_uniform(&rng));
        if (cand[pick] != own) move[i] = cand[pick];
    }
    /* apply: workers who can no longer commute to the firm quit (the reach of matching). Each
     * worker belongs to one firm, so firms are independent; a firm's workers are taken in
     * worker order whatever the thread count, and the counts are integers */
    int64_t moves = 0, quits = 0;
#pragma omp parallel for schedule(dynamic, 1024) reduction(+ : moves, quits) if (F->n >= CS_PAR_MIN)
    for (int32_t i = 0; i < F->n; i++) {
        if (move[i] < 0) continue;
        F->cell[i] = move[i];
        moves++;
        for (int32_t m = sim->wi.start[i]; m < sim->wi.start[i + 1]; m++) {
            int32_t j = sim->wi.worker[m];
            if (!cs_commutable(sim, Wk->home[j], move[i])) {
                Wk->employer[j] = -1;
                Wk->unemp[j] = 0;
                quits++;
                F->n_emp[i]--;
                F->H[i] -= Wk->skill[j];
            }
        }
        if (F->n_emp[i] <= 0) F->H[i] = 0;
    }
    sim->cnt.job_losses += quits;
    sim->cnt.relocations += moves;
}
