/* sim.c: the life cycle of a simulation and agent storage (allocation, appending, stable
 * compaction, the firm-by-cell and worker-by-firm indices). */
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "counting.h"
#include "fields.h"
#include "internal.h"
#include "landscape.h"
#include "policies.h"

void *cs_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "clustersim: error: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return p;
}

static void *xrealloc(void *p, size_t n, size_t size) {
    void *q = realloc(p, (n ? n : 1) * size);
    if (!q) {
        fprintf(stderr, "clustersim: error: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return q;
}

#define GROW(ptr, n) ((ptr) = xrealloc((ptr), (n), sizeof(*(ptr))))

void cs_firms_reserve(cs_sim *sim, int32_t n) {
    cs_firms *F = &sim->firms;
    if (n <= F->cap) return;
    int32_t cap = F->cap ? F->cap : 1024;
    while (cap < n) cap += cap / 2;
    GROW(F->id, cap);
    GROW(F->parent, cap);
    GROW(F->cell, cap);
    GROW(F->sector, cap);
    GROW(F->origin, cap);
    GROW(F->birth, cap);
    GROW(F->n_emp, cap);
    GROW(F->empty, cap);
    GROW(F->A, cap);
    GROW(F->H, cap);
    GROW(F->w, cap);
    GROW(F->cash, cap);
    GROW(F->Y, cap);
    GROW(F->phi, cap);
    GROW(F->hstar, cap);
    GROW(F->vac, cap);
    GROW(F->rho, cap);
    GROW(F->credit, cap);
    GROW(F->profit, cap);
    GROW(F->pay, cap);
    GROW(F->kept, cap);
    GROW(F->alive, cap);
    F->cap = cap;
    cs_buffers_fit_firms(sim);
}

void cs_buffers_fit_firms(cs_sim *sim) {
    cs_buffers *b = sim->buf;
    int32_t cap = sim->firms.cap;
    if (!b || b->fcap >= cap) return;
    GROW(b->f_count, cap + 1);
    GROW(b->f_new, cap + 1);
    GROW(b->f_move, cap);
    GROW(b->f_remap, cap);
    GROW(b->f_tmp, cap);
    GROW(b->f_flag, cap);
    GROW(sim->wi.start, cap + 1);
    b->fcap = cap;
    sim->wi.cap = cap;
}

void cs_firm_init(cs_sim *sim, int32_t i, int cell, int sector, int origin, int64_t parent,
                  double A, double cash, double w) {
    cs_firms *F = &sim->firms;
    F->parent[i] = parent;
    F->cell[i] = cell;
    F->sector[i] = (uint8_t)sector;
    F->origin[i] = (uint8_t)origin;
    F->birth[i] = sim->step;
    F->n_emp[i] = 0;
    F->empty[i] = 0;
    F->A[i] = A;
    F->H[i] = 0;
    F->w[i] = w;
    F->cash[i] = cash;
    F->Y[i] = 0;
    F->phi[i] = 0;
    F->hstar[i] = 0;
    F->vac[i] = 0;
    F->rho[i] = sim->par.sectors.rd_intensity[sector];
    F->credit[i] = 0;
    F->profit[i] = 0;
    F->pay[i] = 0;
    F->kept[i] = 0;
    F->alive[i] = 1;
}

int32_t cs_firm_new(cs_sim *sim, int cell, int sector, int origin, int64_t parent, double A,
                    double cash) {
    cs_firms *F = &sim->firms;
    if (F->n >= F->cap) cs_firms_reserve(sim, F->n + 1);
    int32_t i = F->n++;
    F->id[i] = sim->next_firm_id++;
    cs_firm_init(sim, i, cell, sector, origin, parent, A, cash, sim->par.labour.w_min);
    return i;
}

void cs_firms_compact(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    int32_t *remap = sim->buf->f_remap;
    int32_t k = 0;
    for (int32_t i = 0; i < F->n; i++) {
        if (!F->alive[i]) {
            remap[i] = -1;
            continue;
        }
        remap[i] = k;
        if (k != i) {
            F->id[k] = F->id[i];
            F->parent[k] = F->parent[i];
            F->cell[k] = F->cell[i];
            F->sector[k] = F->sector[i];
            F->origin[k] = F->origin[i];
            F->birth[k] = F->birth[i];
            F->n_emp[k] = F->n_emp[i];
            F->empty[k] = F->empty[i];
            F->A[k] = F->A[i];
            F->H[k] = F->H[i];
            F->w[k] = F->w[i];
            F->cash[k] = F->cash[i];
            F->Y[k] = F->Y[i];
            F->phi[k] = F->phi[i];
            F->hstar[k] = F->hstar[i];
            F->vac[k] = F->vac[i];
            F->rho[k] = F->rho[i];
            F->credit[k] = F->credit[i];
            F->profit[k] = F->profit[i];
            F->pay[k] = F->pay[i];
            F->kept[k] = F->kept[i];
            F->alive[k] = 1;
        }
        k++;
    }
    if (k == F->n) return;
    F->n = k;
    cs_workers *Wk = &sim->workers;
    int32_t *emp = Wk->employer;
#pragma omp parallel for schedule(static)
    for (int32_t j = 0; j < Wk->n; j++) {
        if (emp[j] >= 0) {
            int32_t r = remap[emp[j]];
            if (r < 0) {
                /* employer died: the worker is unemployed from this step */
                emp[j] = -1;
                Wk->unemp[j] = 0;
            } else {
                emp[j] = r;
            }
        }
    }
}

/* Parallel counting sort (counting.h). Chunk counts live in a grow-only buffer (cs_buffers). */

/* More chunks than this gain nothing: the offset pass is serial in (chunks x keys). */
#define SORT_MAX_CHUNKS 64

void cs_counting_offsets(int32_t *cnt, int nch, size_t nkey, int32_t *start) {
    /* a key's items of earlier chunks come first, so within a key items stay in item order
     * whatever the number of chunks */
    int32_t acc = 0;
    for (size_t i = 0; i < nkey; i++) {
        start[i] = acc;
        for (int k = 0; k < nch; k++) {
            int32_t c = cnt[(size_t)k * nkey + i];
            cnt[(size_t)k * nkey + i] = acc;
            acc += c;
        }
    }
    start[nkey] = acc;
}

void cs_counting_sort(cs_buffers *b, const int32_t *key, int32_t n, int32_t nkey, int32_t *start,
                      int32_t *order, int32_t *tmp) {
    cs_counting_sort_for(b, key, n, nkey, NULL, start, order, tmp);
}

/* item j is sorted: a key, and a wanted one */
#define SORTED(j) (key[j] >= 0 && (!want || want[key[j]]))

void cs_counting_sort_for(cs_buffers *b, const int32_t *key, int32_t n, int32_t nkey,
                          const int32_t *want, int32_t *start, int32_t *order, int32_t *tmp) {
    int nch = n < CS_PAR_MIN ? 1 : omp_get_max_threads();
    if (nch > SORT_MAX_CHUNKS) nch = SORT_MAX_CHUNKS;
    size_t need = (size_t)nch * (size_t)(nkey > 0 ? nkey : 1);
    if (need > b->chunk_cap) {
        b->chunk_cnt = xrealloc(b->chunk_cnt, need, sizeof *b->chunk_cnt);
        b->chunk_cap = need;
    }
    int32_t *cnt = b->chunk_cnt;
    int32_t kept[SORT_MAX_CHUNKS]; /* with tmp: the sorted items chunk k gathered */
    /* 1. counts per chunk; chunk k is items [n k / nch, n (k + 1) / nch), and with tmp the
     * sorted ones are gathered at the chunk's own place in tmp, in item order */
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *c = cnt + (size_t)k * nkey;
        memset(c, 0, sizeof(int32_t) * (size_t)nkey);
        const int32_t j0 = (int32_t)((int64_t)n * k / nch),
                      j1 = (int32_t)((int64_t)n * (k + 1) / nch);
        if (tmp) {
            int32_t m = j0;
            for (int32_t j = j0; j < j1; j++)
                if (SORTED(j)) {
                    c[key[j]]++;
                    tmp[m++] = j;
                }
            kept[k] = m - j0;
        } else {
            for (int32_t j = j0; j < j1; j++)
                if (SORTED(j)) c[key[j]]++;
        }
    }
    /* 2. offsets key by key, chunk by chunk */
    cs_counting_offsets(cnt, nch, (size_t)nkey, start);
    /* 3. scatter, each chunk into its own slots: from the gathered items, or a second pass */
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *c = cnt + (size_t)k * nkey;
        const int32_t j0 = (int32_t)((int64_t)n * k / nch),
                      j1 = (int32_t)((int64_t)n * (k + 1) / nch);
        if (tmp) {
            for (int32_t m = j0; m < j0 + kept[k]; m++) {
                const int32_t j = tmp[m];
                order[c[key[j]]++] = j;
            }
        } else {
            for (int32_t j = j0; j < j1; j++)
                if (SORTED(j)) order[c[key[j]]++] = j;
        }
    }
}

double *cs_scratch_doubles(cs_buffers *b, size_t n) {
    if (n > b->scratch_cap) {
        b->scratch = xrealloc(b->scratch, n, sizeof *b->scratch);
        b->scratch_cap = n;
    }
    return b->scratch;
}

void cs_workerindex_build_for(cs_sim *sim, const int32_t *want) {
    /* matching's choices are scratch outside matching: the wanted workers are gathered there */
    cs_counting_sort_for(sim->buf, sim->workers.employer, sim->workers.n, sim->firms.n, want,
                         sim->wi.start, sim->wi.worker, sim->buf->w_choice);
}

int32_t cs_random_cell_near(const cs_landscape *l, cs_pcg32 *rng, int32_t c, double r) {
    int y0 = cs_cell_row(l, c), x0 = c - y0 * l->W;
    int R = (int)floor(r);
    const cs_bound span = cs_bound_make((uint32_t)(2 * R + 1));
    for (int tries = 0; tries < 8; tries++) {
        int dx = (int)cs_pcg32_bounded_by(rng, &span) - R;
        int dy = (int)cs_pcg32_bounded_by(rng, &span) - R;
        if ((double)(dx * dx + dy * dy) > r * r) continue;
        int x = x0 + dx, y = y0 + dy;
        if (x < 0 || y < 0 || x >= l->W || y >= l->H) continue;
        int32_t cc = y * l->W + x;
        if (l->land[cc]) return cc;
    }
    return -1;
}

/* Blocks summed per parallel pass: their partials fit on the stack, so no call allocates. */
#define SUM_GROUP 512

int cs_logit_pick(double *v, int n, double scale, double u) {
    double vmax = -INFINITY;
    for (int k = 0; k < n; k++)
        if (v[k] > vmax) vmax = v[k];
    double tot = 0;
    /* relative to the best value, so exp never overflows */
    for (int k = 0; k < n; k++) tot += (v[k] = exp((v[k] - vmax) / scale));
    u *= tot;
    for (int k = 0; k < n; k++) {
        if (u < v[k]) return k;
        u -= v[k];
    }
    return n - 1;
}

double cs_sum_fixed(const double *x, int64_t n) {
    int64_t nb = (n + CS_BLOCK - 1) / CS_BLOCK;
    double total = 0;
    /* small inputs: one block, no parallel overhead */
    if (nb <= 1) {
        for (int64_t i = 0; i < n; i++) total += x[i];
        return total;
    }
    double part[SUM_GROUP];
    /* groups of blocks, each group's partials added in block order: the same additions in
     * the same order as one pass over all blocks */
    for (int64_t g0 = 0; g0 < nb; g0 += SUM_GROUP) {
        int64_t g1 = g0 + SUM_GROUP < nb ? g0 + SUM_GROUP : nb;
#pragma omp parallel for schedule(static) if (n >= CS_PAR_MIN)
        for (int64_t b = g0; b < g1; b++) {
            double s = 0;
            int64_t end = (b + 1) * CS_BLOCK < n ? (b + 1) * CS_BLOCK : n;
            for (int64_t i = b * CS_BLOCK; i < end; i++) s += x[i];
            part[b - g0] = s;
        }
        for (int64_t b = g0; b < g1; b++) total += part[b - g0];
    }
    return total;
}

int cs_sim_init(cs_sim *sim, const cs_params *par) {
    memset(sim, 0, sizeof(*sim));
    sim->par = *par;
    sim->S = par->sectors.n;
    sim->scale = par->scale;
    sim->ls = -1;
    for (int s = 0; s < CS_MAX_SECTORS; s++) sim->price[s] = 1.0;
    for (int s = 0; s < sim->S; s++)
        if (!par->sectors.tradable[s]) {
            if (strcmp(par->sectors.names[s], "local_services") == 0 || sim->ls < 0) sim->ls = s;
        }
    sim->buf = cs_xcalloc(1, sizeof(cs_buffers));
    cs_landscape_build(sim);
    int32_t nc = sim->land.ncell;
    cs_buffers *b = sim->buf;
    b->c_count = cs_xcalloc((size_t)nc + 1, sizeof(int32_t));
    b->c_cdf = cs_xcalloc((size_t)nc * (size_t)(sim->S + 2), sizeof(double));
    b->c_rowpre = cs_xcalloc((size_t)sim->land.H * (size_t)(sim->land.W + 1), sizeof(double));
    b->c_vstart = cs_xcalloc((size_t)nc + 1, sizeof(int32_t));
    cs_fields_alloc(sim);
    cs_population_init(sim);
    cs_policies_init(sim);
    return 0;
}

void cs_sim_free(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    void *fp[] = {F->id,  F->parent, F->cell,   F->sector, F->origin, F->birth, F->n_emp, F->empty,
                  F->A,   F->H,      F->w,      F->cash,   F->Y,      F->phi,   F->hstar, F->vac,
                  F->rho, F->credit, F->profit, F->pay,    F->kept,   F->alive};
    for (size_t k = 0; k < sizeof(fp) / sizeof(fp[0]); k++) free(fp[k]);
    cs_workers *W = &sim->workers;
    free(W->home);
    free(W->employer);
    free(W->hired);
    free(W->unemp);
    free(W->skill);
    free(W->graduate);
    cs_buffers *b = sim->buf;
    if (b) {
        void *bp[] = {b->w_choice, b->w_order,  b->w_app,     b->w_search, b->f_count,  b->f_new,
                      b->f_move,   b->f_remap,  b->f_tmp,     b->f_flag,   b->c_count,  b->c_cdf,
                      b->c_rowpre, b->c_vstart, b->chunk_cnt, b->scratch,  b->firm_fix, b->firm_cnt,
                      b->cell_res, b->vac_list, b->vac_cells, b->univ_memo};
        for (size_t k = 0; k < sizeof(bp) / sizeof(bp[0]); k++) free(bp[k]);
        for (int k = 0; k < CS_METRICS_WS; k++) free(b->metrics_ws[k]);
        free(b);
    }
    free(sim->wi.start);
    free(sim->wi.worker);
    cs_policies_free(sim);
    cs_fields_free(sim);
    cs_landscape_free(&sim->land);
    memset(sim, 0, sizeof(*sim));
}
