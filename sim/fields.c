/* fields.c: phase 1, the fields of MODEL.md section 3, recomputed from the state each step.
 *
 * Aggregation from the workers runs in parallel with exact integer sums (aggregate), from the
 * firms serially in firm order: no sum depends on the thread count. Per-cell work and the windows
 * run in parallel on grids of at least CS_PAR_MIN cells, each output element written by exactly one
 * thread. All densities are full-scale
 * (counts divided by sim->scale). */
#include "fields.h"

#include <assert.h>
#include <omp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counting.h"
#include "internal.h"
#include "window.h"

/* Doubles in sim->f.scratch: one window work table and two grids. */
static size_t scratch_len(int W, int H) {
    return CS_WINDOW_SAT_LEN(W, H) + 2 * (size_t)W * H;
}

static double *alloc_doubles(size_t n) {
    double *p = calloc(n ? n : 1, sizeof *p);
    if (!p) {
        fprintf(stderr, "clustersim: error: out of memory allocating fields (%zu doubles)\n", n);
        exit(1);
    }
    return p;
}

void cs_fields_alloc(cs_sim *sim) {
    cs_fields *f = &sim->f;
    const size_t n = (size_t)sim->land.W * sim->land.H, ns = n * (size_t)sim->S;
    f->E_s = alloc_doubles(ns);
    f->E = alloc_doubles(n);
    f->N = alloc_doubles(n);
    f->J = alloc_doubles(n);
    f->J_ls = alloc_doubles(n);
    f->AE_s = alloc_doubles(ns);
    f->L_s = alloc_doubles(ns);
    f->P = alloc_doubles(n);
    f->D = alloc_doubles(n);
    f->U_s = alloc_doubles(ns);
    f->Abar_s = alloc_doubles(ns);
    f->A_s = alloc_doubles(ns);
    f->C_s = alloc_doubles(ns);
    f->rent = alloc_doubles(n);
    f->house = alloc_doubles(n);
    f->wbar = alloc_doubles(n);
    f->p_ls = alloc_doubles(n);
    f->vac = alloc_doubles(n);
    f->wage_sum = alloc_doubles(n);
    f->skill_sum = alloc_doubles(n);
    f->scratch = alloc_doubles(scratch_len(sim->land.W, sim->land.H));
}

void cs_fields_free(cs_sim *sim) {
    cs_fields *f = &sim->f;
    double **arrays[] = {&f->E_s,     &f->E,    &f->N,    &f->J,   &f->J_ls,     &f->AE_s,
                         &f->L_s,     &f->P,    &f->D,    &f->U_s, &f->Abar_s,   &f->rent,
                         &f->house,   &f->wbar, &f->p_ls, &f->vac, &f->wage_sum, &f->skill_sum,
                         &f->scratch, &f->A_s,  &f->C_s};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        free(*arrays[i]);
        *arrays[i] = NULL;
    }
}

/* dest = window average of X at radius R, plus the transport links when with_links. */
static void window_field(cs_sim *sim, const double *X, int R, int with_links, double *dest) {
    const int W = sim->land.W, H = sim->land.H;
    double *sat = sim->f.scratch, *tmp = sat + CS_WINDOW_SAT_LEN(W, H);
    if (with_links && cs_any_open_link(sim)) {
        cs_window_avg(X, W, H, R, tmp, sat);
        cs_links_apply(sim->links, sim->n_links, W, H, tmp, dest);
    } else {
        /* identical to applying no link: cs_links_apply would only copy */
        cs_window_avg(X, W, H, R, dest, sat);
    }
}

#define FIRM_AHEAD 8 /* firms ahead whose grid entries the serial firm pass asks for */

/* Per-thread partial sums, [thread][firm] and [thread][cell] (cs_buffers), grown only: each
 * thread adds into its own row (no atomics, no false sharing), and the rows are added afterwards.
 */

/* Worker i's home, and its skill (fixed point, returned) to its employer; *employed counts
 * the employed. */
static inline int64_t tally(const cs_workers *wk, int i, int64_t *fix, int32_t *res,
                            int64_t *employed) {
    const int64_t h = (int64_t)((double)wk->skill[i] * CS_SKILL_FIX);
    res[wk->home[i]]++;
    const int e = wk->employer[i];
    if (e >= 0) {
        fix[e] += h;
        (*employed)++;
    }
    return h;
}

/* The firm grids are +0.0 wherever no alive firm stood at the last firm_jobs, so only the
 * cells that held one are cleared (at small scales a few hundred of the grid's cells); with
 * all, the whole grids (the first time, after a checkpoint wrote them, and before firm_jobs
 * is redone). */
static void clear_firm_grids(cs_sim *sim, int all) {
    cs_fields *f = &sim->f;
    cs_buffers *b = sim->buf;
    const int S = sim->S;
    const size_t n = (size_t)sim->land.ncell;
    if (all) {
        memset(f->E_s, 0, n * S * sizeof *f->E_s);
        memset(f->AE_s, 0, n * S * sizeof *f->AE_s);
        memset(f->A_s, 0, n * S * sizeof *f->A_s);
        memset(f->C_s, 0, n * S * sizeof *f->C_s);
        memset(f->E, 0, n * sizeof *f->E);
        memset(f->J, 0, n * sizeof *f->J);
        memset(f->J_ls, 0, n * sizeof *f->J_ls);
        memset(f->wage_sum, 0, n * sizeof *f->wage_sum);
        memset(f->skill_sum, 0, n * sizeof *f->skill_sum);
        memset(b->firm_cell_mark, 0, n * sizeof *b->firm_cell_mark);
        return;
    }
    /* only the sectors that had firms there: the other entries are +0.0 already, and each
     * entry is a line of its own (the grids are sector by sector) */
    for (int32_t k = 0; k < b->n_firm_cells; k++) {
        const size_t c = (size_t)b->firm_cells[k];
        for (uint32_t m = b->firm_cell_mark[c]; m; m &= m - 1) {
            const size_t sc = (size_t)__builtin_ctz(m) * n + c;
            f->E_s[sc] = f->AE_s[sc] = f->A_s[sc] = f->C_s[sc] = 0.0;
        }
        b->firm_cell_mark[c] = 0;
        f->E[c] = f->J[c] = f->J_ls[c] = f->wage_sum[c] = f->skill_sum[c] = 0.0;
    }
}

/* National sums of firm_jobs. */
typedef struct jobsums {
    double Esum[CS_MAX_SECTORS], Asum[CS_MAX_SECTORS], jobs;
    int64_t cnt[CS_MAX_SECTORS], jls_tot;
} jobsums;

/* The firm grids from the firms' headcounts and productivity (jobs, A by sector and cell, and
 * the cells' marks of their sectors), with national sums: serial, in firm order (its double
 * sums keep that order). It reads no worker, so aggregate runs it beside its worker pass. */
static void firm_jobs(cs_sim *sim, jobsums *o) {
    cs_fields *f = &sim->f;
    const cs_firms *fi = &sim->firms;
    const int S = sim->S;
    const size_t n = (size_t)sim->land.ncell;
    uint16_t *mark = sim->buf->firm_cell_mark;
    memset(o, 0, sizeof *o);
    for (int i = 0; i < fi->n; i++) {
        /* a firm's entries in the (sector, cell) grids are random lines: asked for a few firms
         * ahead, as this loop is serial */
        if (i + FIRM_AHEAD < fi->n) {
            const size_t sca =
                (size_t)fi->sector[i + FIRM_AHEAD] * n + (size_t)fi->cell[i + FIRM_AHEAD];
            __builtin_prefetch(&f->E_s[sca], 1);
            __builtin_prefetch(&f->AE_s[sca], 1);
            __builtin_prefetch(&f->A_s[sca], 1);
            __builtin_prefetch(&f->C_s[sca], 1);
        }
        if (!fi->alive[i]) continue;
        const int s = fi->sector[i];
        const size_t c = (size_t)fi->cell[i];
        assert(s < S && c < n);
        const double e = fi->n_emp[i];
        mark[c] |= (uint16_t)(1u << s);
        /* densities count jobs, as the agglomeration literature and BRES do; skills enter
         * production through the firm's own effective labour H_f (docs/model.md) */
        f->E_s[s * n + c] += e;
        f->AE_s[s * n + c] += fi->A[i] * e;
        f->A_s[s * n + c] += fi->A[i];
        f->C_s[s * n + c] += 1.0;
        f->J[c] += e;
        if (s == sim->ls) {
            f->J_ls[c] += fi->n_emp[i];
            o->jls_tot += fi->n_emp[i];
        }
        o->Esum[s] += e;
        o->jobs += e;
        o->Asum[s] += fi->A[i];
        o->cnt[s]++;
    }
}

/* Firm H from the workers (n_emp where it does not add up), then per-cell sums by workplace
 * and home (raw counts), national sector totals. The worker pass is parallel with exact integer
 * sums (see CS_SKILL_FIX); the firm pass is serial, in firm order. */
static void aggregate(cs_sim *sim, double *Esum, int64_t *ntot, int64_t *jls_tot) {
    cs_fields *f = &sim->f;
    cs_firms *fi = &sim->firms;
    const cs_workers *wk = &sim->workers;
    const int S = sim->S;
    const size_t n = (size_t)sim->land.ncell, nf = (size_t)fi->n;
    jobsums js;

    cs_buffers *b = sim->buf;
    if (!b->firm_cells) {
        b->firm_cells = cs_xcalloc(n, sizeof *b->firm_cells);
        b->firm_cell_mark = cs_xcalloc(n, sizeof *b->firm_cell_mark);
        b->n_firm_cells = -1;
    }
    clear_firm_grids(sim, b->n_firm_cells < 0);
    const int nt = wk->n >= CS_PAR_MIN ? omp_get_max_threads() : 1;
    if (n * (size_t)nt > b->cell_res_cap) {
        free(b->cell_res);
        b->cell_res_cap = n * (size_t)nt;
        b->cell_res = cs_xcalloc(b->cell_res_cap, sizeof *b->cell_res);
    }
    int64_t *const firm_fix = cs_firm_rows(b, nt, nf, (size_t)fi->cap);
    int32_t *const cell_res = b->cell_res;

    const int pf = nf >= CS_AHEAD_MIN_FIRMS;
    const int64_t nblk = ((int64_t)wk->n + CS_BLOCK - 1) / CS_BLOCK;
    int64_t skills = 0; /* fixed point: the national mean skill below */
    int64_t employed = 0;
#pragma omp parallel num_threads(nt) reduction(+ : skills, employed)
    {
        const int t = omp_get_thread_num();
        /* the team OpenMP gave, which can be smaller than asked (OMP_DYNAMIC, a nested
         * call): only its rows are zeroed and filled, so only they are added below */
        const int team = omp_get_num_threads();
        int64_t *fix = firm_fix + (size_t)t * nf;
        int32_t *res = cell_res + (size_t)t * n;
        memset(fix, 0, nf * sizeof *fix);
        memset(res, 0, n * sizeof *res);
        /* the serial firm pass of the grids beside the workers' (it needs no skills), on the
         * firms' own headcounts, redone below where those do not add up */
#pragma omp single nowait
        firm_jobs(sim, &js);
        /* homes on the grid, skills in [2^-7, 1] (exact in CS_SKILL_FIX) and employers below
         * fi->n: the invariants cs_check_invariants asserts each step in CS_DEBUG builds (here
         * asserts per worker cost 1.3% of a default run) */
#pragma omp for schedule(guided)
        for (int64_t b = 0; b < nblk; b++) {
            const int i0 = (int)(b * CS_BLOCK);
            const int i1 = wk->n - i0 < CS_BLOCK ? wk->n : i0 + CS_BLOCK;
            if (pf) {
                /* the employer's sums are random loads at large scales: asked for ahead */
                for (int i = i0; i < i1; i++) {
                    if (i + CS_AHEAD < wk->n && wk->employer[i + CS_AHEAD] >= 0)
                        __builtin_prefetch(&fix[wk->employer[i + CS_AHEAD]], 1);
                    skills += tally(wk, i, fix, res, &employed);
                }
            } else {
                for (int i = i0; i < i1; i++) skills += tally(wk, i, fix, res, &employed);
            }
        }
        /* rows added in thread order (integers: any order gives the same) */
#pragma omp for schedule(guided)
        for (size_t i = 0; i < nf; i++) {
            int64_t hs = 0;
            for (int u = 0; u < team; u++) hs += firm_fix[(size_t)u * nf + i];
            fi->H[i] = (double)hs / CS_SKILL_FIX;
        }
#pragma omp for schedule(guided)
        for (size_t c = 0; c < n; c++) {
            int32_t r = 0;
            for (int u = 0; u < team; u++) r += cell_res[(size_t)u * n + c];
            f->N[c] = r;
        }
    }
    *ntot = wk->n;
    f->mean_skill = wk->n ? ((double)skills / CS_SKILL_FIX) / wk->n : 0.5;
    /* headcounts: the phases keep them as workers join and leave; recounted where they do not
     * add up to the employed (the start, a state made by hand) */
    int64_t heads = 0;
#pragma omp parallel for schedule(guided) reduction(+ : heads) if (nf >= CS_PAR_MIN)
    for (size_t i = 0; i < nf; i++) heads += fi->n_emp[i];

    if (heads != employed) { /* the grids again, from the counted heads */
        cs_count_heads(sim, fi->n_emp);
        clear_firm_grids(sim, 1);
        firm_jobs(sim, &js);
    }
    /* the sums that need the firms' skills H, in firm order */
    double bill = 0.0;
    for (int i = 0; i < fi->n; i++) {
        if (!fi->alive[i]) continue;
        const size_t c = (size_t)fi->cell[i];
        const double h = fi->H[i];
        f->wage_sum[c] += fi->w[i] * h; /* = sum of w_f h_i over its workers */
        f->skill_sum[c] += h;
        bill += fi->w[i] * h;
    }
    const double jobs = js.jobs;
    for (int s = 0; s < S; s++) Esum[s] = js.Esum[s];
    *jls_tot = js.jls_tot;
    f->mean_earnings = jobs > 0 ? bill / jobs : 0.0;
    /* the cells with firms, in ascending order (relocation's national draws walk the list as
     * they would the grid): four marks at a time, most being 0. The marks stay for the next
     * call's clearing and the scaling below. */
    int32_t nfc = 0;
    for (size_t c0 = 0; c0 < n; c0 += 4) {
        const size_t c1 = c0 + 4 < n ? c0 + 4 : n;
        if (c1 - c0 == 4) {
            uint64_t m4;
            memcpy(&m4, b->firm_cell_mark + c0, sizeof m4);
            if (!m4) continue;
        }
        for (size_t c = c0; c < c1; c++)
            if (b->firm_cell_mark[c]) b->firm_cells[nfc++] = (int32_t)c;
    }
    b->n_firm_cells = nfc;
    for (int s = 0; s < S; s++) {
        f->E_tot_s[s] = Esum[s] / sim->scale;
        f->Amean_s[s] = js.cnt[s] > 0 ? js.Asum[s] / (double)js.cnt[s] : 1.0;
    }
}

/* pow(x, y) for the fields' elasticities, x >= 0: the empty cell's x = 1 at once (pow(1, y) is
 * exactly 1, C11 F.10.4.4; most cells are empty at small scales), and the defaults' exponents
 * 1 (housing), 2 (office rent) and 1/2 (local-services price) by x, x * x and sqrt(x), which
 * are correctly rounded where glibc's pow is not always (about 0.08% of arguments differ from
 * x * x and sqrt(x) in the last bit), at a tenth of its cost. */
static inline double pow_cell(double x, double y) {
    return x == 1.0 ? 1.0 : y == 1.0 ? x : y == 2.0 ? x * x : y == 0.5 ? sqrt(x) : cs_pow(x, y);
}

/* The window of radius rr of the office capacity land.K, recomputed only when K or rr has
 * changed since the last call (K moves only with density funds and building; otherwise the
 * same input gives the same bits). */
static const double *office_window(cs_sim *sim, int rr) {
    cs_buffers *b = sim->buf;
    const size_t n = (size_t)sim->land.ncell;
    if (!b->occk_memo) b->occk_memo = cs_xcalloc(2 * n, sizeof *b->occk_memo);
    double *kcopy = b->occk_memo, *win = kcopy + n;
    if (b->occk_valid && b->occk_rr == rr && memcmp(kcopy, sim->land.K, n * sizeof *kcopy) == 0)
        return win;
    memcpy(kcopy, sim->land.K, n * sizeof *kcopy);
    cs_window_avg(sim->land.K, sim->land.W, sim->land.H, rr, win, sim->f.scratch);
    b->occk_rr = rr;
    b->occk_valid = 1;
    return win;
}

/* The inputs of the university field, in the order university_field reads them. */
static size_t univ_inputs(const cs_sim *sim, double *v) {
    const cs_landscape *l = &sim->land;
    size_t m = 0;
    v[m++] = sim->par.universities.ru;
    v[m++] = l->W, v[m++] = l->H, v[m++] = sim->S, v[m++] = l->n_univ;
    for (int u = 0; u < l->n_univ; u++) {
        const cs_university *un = &l->univ[u];
        v[m++] = un->x, v[m++] = un->y, v[m++] = un->k, v[m++] = un->k_uplift, v[m++] = un->q;
        for (int s = 0; s < sim->S; s++) v[m++] = un->sigma[s];
    }
    return m;
}

/* U_s(c) = sum_u k_u (1 + uplift) q_u sigma_{u,s} max(0, 1 - d/Ru). Parallel over rows; each
 * cell adds universities in index order. Recomputed only when an input has changed since the
 * last call (policies move k_uplift and q now and then; otherwise U_s stays as it was). */
static void university_field(cs_sim *sim) {
    cs_fields *f = &sim->f;
    const cs_landscape *l = &sim->land;
    const int W = l->W, H = l->H, S = sim->S;
    const size_t n = (size_t)l->ncell;
    const double ru = sim->par.universities.ru;
    cs_buffers *b = sim->buf;
    const size_t len = 5 + (size_t)l->n_univ * (5 + (size_t)S);
    if (len > b->univ_memo_cap) {
        free(b->univ_memo);
        b->univ_memo = cs_xcalloc(2 * len, sizeof *b->univ_memo);
        b->univ_memo_cap = len;
        b->univ_memo_len = 0; /* nothing computed with this buffer yet */
    }
    double *now = b->univ_memo + len;
    univ_inputs(sim, now);
    if (b->univ_memo_len == len && memcmp(b->univ_memo, now, len * sizeof *now) == 0) return;
    memcpy(b->univ_memo, now, len * sizeof *now);
    b->univ_memo_len = len;
    memset(f->U_s, 0, n * S * sizeof *f->U_s);
    if (!(ru > 0.0)) return;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (int y = 0; y < H; y++) {
        for (int u = 0; u < l->n_univ; u++) {
            const cs_university *un = &l->univ[u];
            const double dy = (double)(y - un->y);
            if (fabs(dy) >= ru) continue;
            const double kq = un->k * (1.0 + un->k_uplift) * un->q;
            const double x0 = fmax(0.0, ceil(un->x - ru)), x1 = fmin(W - 1.0, floor(un->x + ru));
            for (int x = (int)x0; x <= (int)x1; x++) {
                const double dx = (double)(x - un->x);
                const double d = sqrt(dx * dx + dy * dy);
                if (d >= ru) continue;
                const double wgt = 1.0 - d / ru;
                const size_t c = (size_t)y * W + x;
                for (int s = 0; s < S; s++) f->U_s[s * n + c] += kq * un->sigma[s] * wgt;
            }
        }
    }
}

/* wbar: the mean wage per unit of skill within the commuting radius Rc (floored at w_min),
 * from the per-cell sums of w_f H_f and of H_f; the window of the skill sums stays in the
 * scratch after the first (the rest of the scratch holds the wage window's work space), and
 * with skills_kept it is taken from there. */
static void local_wages(cs_sim *sim, int skills_kept) {
    cs_fields *f = &sim->f;
    const size_t n = (size_t)sim->land.ncell;
    double *tmp = f->scratch + CS_WINDOW_SAT_LEN(sim->land.W, sim->land.H);
    int rc = (int)lround(sim->par.labour.rc);
    if (rc < 0) rc = 0;
    const double w_min = sim->par.labour.w_min;
    window_field(sim, f->wage_sum, rc, 0, f->wbar);
    if (!skills_kept) cs_window_avg(f->skill_sum, sim->land.W, sim->land.H, rc, tmp, f->scratch);
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (size_t c = 0; c < n; c++)
        f->wbar[c] = tmp[c] > 0.0 ? fmax(w_min, f->wbar[c] / tmp[c]) : w_min;
}

double cs_fields_abar(const cs_sim *sim, int s, int32_t c) {
    const cs_fields *f = &sim->f;
    const size_t sc = (size_t)s * (size_t)sim->land.ncell + (size_t)c;
    if (!f->abar_lazy) return f->Abar_s[sc];
    const double ls = f->L_s[sc];
    if (!(ls > 0.0)) return f->Amean_s[s];
    const int W = sim->land.W;
    return cs_window_at(f->AE_s + (size_t)s * (size_t)sim->land.ncell, W, sim->land.H,
                        sim->par.land.rk, c % W, c / W) /
           ls;
}

double cs_fields_entry_reference(const cs_sim *sim, int s, int32_t c) {
    if (strcmp(sim->par.firms.entry_reference, "mean") != 0) return cs_fields_abar(sim, s, c);
    /* the sector's firms in the Rk window, unweighted; startups are few, so the two window sums
     * are taken at their cells alone (links are not applied to this mean) */
    const cs_fields *f = &sim->f;
    const int W = sim->land.W, H = sim->land.H, rk = sim->par.land.rk;
    const size_t off = (size_t)s * (size_t)sim->land.ncell;
    const double cnt = cs_window_at(f->C_s + off, W, H, rk, c % W, c / W);
    return cnt > 0.0 ? cs_window_at(f->A_s + off, W, H, rk, c % W, c / W) / cnt : f->Amean_s[s];
}

void cs_fields_forget(cs_sim *sim) {
    if (sim->buf) sim->buf->n_firm_cells = -1;
}

void cs_fields_wbar(cs_sim *sim, int again) {
    cs_fields *f = &sim->f;
    const cs_firms *F = &sim->firms;
    const size_t n = (size_t)sim->land.ncell;
    cs_fields_forget(sim); /* wage_sum gets dead firms' cells too */
    memset(f->wage_sum, 0, n * sizeof *f->wage_sum);
    for (int32_t i = 0; i < F->n; i++) f->wage_sum[F->cell[i]] += F->w[i] * F->H[i];
    for (size_t c = 0; c < n; c++) f->wage_sum[c] /= sim->par.scale;
    local_wages(sim, again);
}

void cs_fields_compute(cs_sim *sim) {
    cs_fields *f = &sim->f;
    const cs_params *par = &sim->par;
    const int S = sim->S;
    const size_t n = (size_t)sim->land.ncell;
    const double scale = sim->scale;
    double Esum[CS_MAX_SECTORS];
    int64_t ntot, jls_tot;

    sim->buf->has_phi_tab = 0; /* Phi by pair (productivity.c) is made from these fields */
    aggregate(sim, Esum, &ntot, &jls_tot);

    /* to full-scale units; E = sum over sectors in sector order. The firm grids only where
     * firms stand (elsewhere they are +0.0, and so would stay) */
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (size_t c = 0; c < n; c++) f->N[c] /= scale;
    const int32_t *fc = sim->buf->firm_cells, nfc = sim->buf->n_firm_cells;
    const uint16_t *sec = sim->buf->firm_cell_mark;
#pragma omp parallel for schedule(guided) if (nfc >= CS_PAR_MIN)
    for (int32_t k = 0; k < nfc; k++) {
        const size_t c = (size_t)fc[k];
        /* the sectors present, in sector order: the others hold +0.0, which neither the
         * division nor the sum would change */
        double e = 0.0;
        for (uint32_t m = sec[c]; m; m &= m - 1) {
            const size_t sc = (size_t)__builtin_ctz(m) * n + c;
            f->E_s[sc] /= scale;
            f->AE_s[sc] /= scale;
            e += f->E_s[sc];
        }
        f->E[c] = e;
        f->J[c] /= scale;
        f->J_ls[c] /= scale;
        f->wage_sum[c] /= scale;
        f->skill_sum[c] /= scale;
    }

    /* agglomeration windows at Rk, with links; Abar_s holds <AE_s> until divided below. The
     * frontier is read only where firms stand and startups are drawn: when those reads cost
     * less than S windows over the grid (about k^2 + 2k terms a read against some 25
     * operations a cell a window), it is computed at each cell asked, with the same bits
     * (cs_fields_abar), and Abar_s is left unset */
    const int rk = par->land.rk, k = 2 * (rk > 0 ? rk : 0) + 1;
    f->abar_lazy = !cs_any_open_link(sim) &&
                   (double)sim->firms.n * (double)(k * k + 2 * k) <= 5.0 * (double)S * (double)n;
    /* The last metrics counted the same jobs from the same state and took the same windows:
     * when their counts are these bits (and no link adds to the windows) they are reused */
    cs_buffers *b = sim->buf;
    const size_t sn = (size_t)S * n;
    const int reuse = b->jobs_memo_valid && !cs_any_open_link(sim) &&
                      memcmp(b->jobs_memo, f->E_s, sn * sizeof *f->E_s) == 0 &&
                      memcmp(b->jobs_memo + sn, f->E, n * sizeof *f->E) == 0;
    if (reuse) { /* taken, not copied: the metrics write their next windows into ours */
        double *t = f->L_s;
        f->L_s = b->jobs_win, b->jobs_win = t;
        t = f->P;
        f->P = b->jobs_win_all, b->jobs_win_all = t;
        b->jobs_memo_valid = 0;
    }
    for (int s = 0; s < S; s++) {
        if (!reuse) window_field(sim, f->E_s + s * n, rk, 1, f->L_s + s * n);
        if (!f->abar_lazy) window_field(sim, f->AE_s + s * n, rk, 1, f->Abar_s + s * n);
    }
    if (!reuse) window_field(sim, f->E, rk, 1, f->P);

    /* office occupancy for the rent: jobs over capacity in the box of radius rent_radius (the
     * cell alone at 0). At small scales each simulated firm stands for 1/scale firms in its
     * cell's counts, so one cell's occupancy is one or two firms' luck (docs/model.md D9). */
    const int rr = par->land.rent_radius;
    double *occ_j = f->scratch + CS_WINDOW_SAT_LEN(sim->land.W, sim->land.H);
    const double *occ_k = NULL;
    if (rr > 0) {
        cs_window_avg(f->J, sim->land.W, sim->land.H, rr, occ_j, f->scratch);
        occ_k = office_window(sim, rr);
    }
    const double r0 = par->land.r0, gamma = par->land.gamma;
    const double h0 = par->land.h0, gamma_h = par->land.gamma_h;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (size_t c = 0; c < n; c++) {
        const double p = f->P[c];
        double sq = 0.0;
        if (p > 0.0) /* most cells have no job within reach at small scales */
            for (int s = 0; s < S; s++) {
                const double ls = f->L_s[s * n + c];
                sq += (ls / p) * (ls / p);
            }
        if (!f->abar_lazy)
            for (int s = 0; s < S; s++) {
                const double ls = f->L_s[s * n + c];
                f->Abar_s[s * n + c] = ls > 0.0 ? f->Abar_s[s * n + c] / ls : f->Amean_s[s];
            }
        /* shares sum to 1 only up to rounding: keep D >= 0 */
        f->D[c] = p > 0.0 ? fmax(0.0, 1.0 - sq) : 0.0;
        const double K = sim->land.K[c] > 0.0 ? sim->land.K[c] : 1.0;
        const double Kh = sim->land.Kh[c] > 0.0 ? sim->land.Kh[c] : 1.0;
        const double occ = rr > 0 ? (occ_k[c] > 0.0 ? occ_j[c] / occ_k[c] : 0.0) : f->J[c] / K;
        f->rent[c] = r0 * pow_cell(1.0 + occ, gamma);
        f->house[c] = h0 * pow_cell(1.0 + f->N[c] / Kh, gamma_h);
    }

    university_field(sim);

    /* labour-market windows at Rc; links enter the Rk agglomeration fields only (commuting
     * across a link is the matching phase's business) */
    double *tmp = f->scratch + CS_WINDOW_SAT_LEN(sim->land.W, sim->land.H);
    int rc = (int)lround(par->labour.rc);
    if (rc < 0) rc = 0;
    local_wages(sim, 0);

    if (sim->ls < 0) {
        for (size_t c = 0; c < n; c++) f->p_ls[c] = 1.0; /* no local-services sector */
        return;
    }
    window_field(sim, f->N, rc, 0, f->p_ls);
    cs_window_avg(f->J_ls, sim->land.W, sim->land.H, rc, tmp, f->scratch);
    /* nu, residents per local-services job, is the benchmark of the initial economy: held
     * fixed, local services face real demand from residents nationally as well as locally
     * (recomputed each step, the price would only move jobs around, never cap their total) */
    if (!(f->nu > 0.0)) f->nu = jls_tot > 0 ? (double)ntot / (double)jls_tot : 0.0;
    const double nu = f->nu;
    const double eps_d = sim->par.land.eps_d, cap = CS_P_LS_CAP;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (size_t c = 0; c < n; c++) {
        double p;
        if (!(tmp[c] > 0.0))
            p = cap; /* no local services nearby */
        else if (!(nu > 0.0))
            p = 1.0 / cap; /* no residents at all: no demand */
        else
            p = pow_cell(f->p_ls[c] / tmp[c] / nu, eps_d);
        f->p_ls[c] = fmin(cap, fmax(1.0 / cap, p));
    }
}
