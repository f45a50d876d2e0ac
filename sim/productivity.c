/* productivity.c: phase 2. Agglomeration (sharing, matching, learning: Duranton & Puga 2004),
 * R&D and innovation, imitation of the local frontier, and idiosyncratic shocks. */
#include "counting.h"
#include "fields.h"
#include "internal.h"
#include "policies.h"

/* phi of MODEL.md phase 2 given its localisation term lk = ln(1 + L_s / l0) */
static inline double phi_of(const cs_sim *sim, int s, int32_t c, double lk) {
    const cs_params *p = &sim->par;
    const cs_fields *f = &sim->f;
    const cs_landscape *l = &sim->land;
    int64_t sc = (int64_t)s * l->ncell + c;
    double phi = p->sectors.beta_loc[s] * lk +
                 p->land.beta_urb * f->D[c] * cs_log1p(f->P[c] / p->land.p0) +
                 p->land.beta_uni * f->U_s[sc] + l->asset[sc] + l->fund[sc];
    /* landscape.asset_offset = "released": the fundamental's offset of a declining asset goes
     * with it */
    if (l->offset_kept < 1.0 && l->fund_asset) phi -= (1.0 - l->offset_kept) * l->fund_asset[sc];
    return phi;
}

double cs_phi(const cs_sim *sim, int s, int32_t c) {
    int64_t sc = (int64_t)s * sim->land.ncell + c;
    return phi_of(sim, s, c, cs_log1p(sim->f.L_s[sc] / sim->par.land.l0));
}

/* The distinct (sector, cell) pairs the firms stand on, as s ncell + c in b->pair_list (in
 * order of first appearance), each marked in b->pair_mark with this call's number seq: how
 * many. A serial pass over the firms, made only where firms are few (small scales). */
static int32_t firm_pairs(cs_sim *sim, int32_t seq) {
    cs_buffers *b = sim->buf;
    const cs_firms *F = &sim->firms;
    const int32_t nc = sim->land.ncell;
    b->pair_list =
        cs_grow_only(b->pair_list, &b->pair_list_cap, (size_t)F->n + 1, sizeof *b->pair_list);
    int32_t np = 0;
    for (int32_t i = 0; i < F->n; i++) {
        const int32_t sc = F->sector[i] * nc + F->cell[i];
        if (b->pair_mark[sc] == seq) continue;
        b->pair_mark[sc] = seq;
        b->pair_list[np++] = sc;
    }
    return np;
}

/* Phi, its localisation term and exp(Phi) depend on a firm's sector and cell alone within a
 * step, and so does the local frontier Abar_s(c) that firms imitate. They are computed once a
 * pair (cs_phi_pair in b->phi_tab, for production too) instead of once a firm: two log1p and
 * an exp a firm were 3% of a late 1:1 step, and at the default scale about 4,300 firms stand
 * on 2,200 pairs. Where firms outnumber the pairs they can stand on (S times the fields'
 * cells with firms) by two to one or more (at 1:1 about 17 firms a pair), every such pair is
 * filled in parallel; elsewhere the pairs of firm_pairs. The same expressions, so the same
 * bits. Filled pairs are marked with the call's number, so that relocation can take exp(Phi)
 * from the table at the candidate cells it holds (cs_exp_phi). Returns the frontier by pair where
 * the fields left it to be computed at the cells asked (abar_lazy, small scales; cs_fields_abar
 * reads it otherwise), else NULL. */
static const double *pair_tables(cs_sim *sim) {
    cs_buffers *b = sim->buf;
    const int32_t nc = sim->land.ncell, nfc = b->n_firm_cells;
    const int32_t ncells = nfc >= 0 ? nfc : nc, S = sim->S;
    const size_t sn = (size_t)S * (size_t)nc;
    if (b->pair_cap < sn) { /* the marks start at 0, below any call's number */
        free(b->pair_mark);
        free(b->abar_memo);
        b->pair_mark = cs_xcalloc(sn, sizeof *b->pair_mark);
        b->abar_memo = cs_xcalloc(sn, sizeof *b->abar_memo);
        b->pair_cap = sn;
        b->pair_seq = 0;
    }
    const int32_t seq = ++b->pair_seq; /* marks the pairs filled in this call */
    const int all = (int64_t)sim->firms.n >= 2 * (int64_t)S * ncells;
    const int32_t np = all && !sim->f.abar_lazy ? 0 : firm_pairs(sim, seq);
    b->phi_tab =
        cs_grow_only(b->phi_tab, &b->phi_tab_cap, (size_t)S * (size_t)nc, sizeof *b->phi_tab);
    cs_phi_pair *t = b->phi_tab;
    const int32_t *fc = nfc >= 0 ? b->firm_cells : NULL, *pl = b->pair_list;
    const double l0 = sim->par.land.l0;
    const int64_t nq = all ? (int64_t)S * ncells : np;
#pragma omp parallel for schedule(guided) if (nq >= CS_PAR_MIN)
    for (int64_t q = 0; q < nq; q++) {
        int s;
        int32_t c;
        if (all) {
            s = (int)(q / ncells);
            const int32_t k = (int32_t)(q - (int64_t)s * ncells);
            c = fc ? fc[k] : k;
        } else {
            s = pl[q] / nc;
            c = pl[q] - s * nc;
        }
        const int64_t sc = (int64_t)s * nc + c;
        cs_phi_pair *e = &t[sc];
        e->lk = cs_log1p(sim->f.L_s[sc] / l0);
        e->phi = phi_of(sim, s, c, e->lk);
        e->ephi = cs_exp(e->phi);
        b->pair_mark[sc] = seq;
    }
    b->has_phi_tab = 1;
    b->phi_tab_step = sim->step;
    if (!sim->f.abar_lazy) return NULL;
    double *memo = b->abar_memo;
#pragma omp parallel for schedule(guided) if (np >= CS_PAR_MIN)
    for (int32_t k = 0; k < np; k++) memo[pl[k]] = cs_fields_abar(sim, pl[k] / nc, pl[k] % nc);
    return memo;
}

void cs_productivity(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    const cs_fields *f = &sim->f;
    int32_t nc = sim->land.ncell;
    cs_policies_rd_credit(sim);
    const double *abar = pair_tables(sim);
    const cs_phi_pair *tab = sim->buf->phi_tab;
    int64_t innovations = 0;
    const double sa = p->innovation.sigma_a;
    const cs_rng_key key =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_PRODUCTIVITY);
#pragma omp parallel for schedule(guided) reduction(+ : innovations)
    for (int32_t i = 0; i < F->n; i++) {
        int s = F->sector[i];
        int32_t c = F->cell[i];
        int64_t sc = (int64_t)s * nc + c;
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, key, (uint64_t)F->id[i]);
        /* the localisation term is the hazard's too */
        const double lk = tab[sc].lk;
        F->phi[i] = tab[sc].phi;
        /* R&D responds to its after-credit price with elasticity eps_rd (pow(1, y) is 1
         * exactly: most firms have no credit) */
        const double price = 1.0 - F->credit[i];
        double rho = p->sectors.rd_intensity[s] *
                     (price == 1.0 ? 1.0 : cs_pow(price, -p->innovation.eps_rd));
        F->rho[i] = rho < p->innovation.rd_cap ? rho : p->innovation.rd_cap;
        double hazard = p->innovation.theta * F->rho[i] *
                        (1.0 + p->innovation.mu_k * lk + p->innovation.mu_u * f->U_s[sc]);
        if (cs_hazard_hit(cs_pcg32_uniform(&rng), hazard)) {
            F->A[i] *= 1.0 + p->innovation.delta;
            innovations++;
        }
        /* learning: close part of the gap to the local frontier (never learn backwards) */
        double gap = (abar ? abar[sc] : cs_fields_abar(sim, s, c)) - F->A[i];
        if (gap > 0) F->A[i] += p->innovation.iota * gap;
        /* mean-one log-normal shock */
        F->A[i] *= cs_exp(sa * cs_pcg32_normal(&rng) - 0.5 * sa * sa);
    }
    sim->cnt.innovations += innovations;
}
