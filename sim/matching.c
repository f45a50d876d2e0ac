/* matching.c: phase 8, the labour market. Searchers (the unemployed, and some employed) look at
 * cells within commuting reach where jobs are advertised, take a firm with vacancies in each,
 * and apply to the best offer net of commuting cost; firms take the most skilled applicants up
 * to their vacancies. Long-unemployed workers migrate towards vacancies nationally.
 *
 * A searcher meets a vacancy, not a firm: the cell in proportion to its vacancies (a searcher
 * looks where jobs are advertised), then the firm in proportion to its posts there, so that
 * every post is as likely to be found at any agent scale (docs/model.md D10). All draws come
 * from streams per worker; applications are resolved per firm in a fixed order. */
#include <stdlib.h>
#include <string.h>

#include "counting.h"
#include "internal.h"

/* Vacancies of firm i as a whole number of posts. */
static inline int32_t posts(const cs_firms *F, int32_t i) {
    return (int32_t)floor(F->vac[i] + 0.5);
}

/* Builds the post list (each post of each cell, cells in order), the per-cell vacancy counts,
 * their prefix sums along rows (for window sampling) and the national CDF (for migration). The
 * summed-area table of vacancies (column-major) is sim->buf->vac_sat. */

/* Firms with vacancies grouped by cell, each with its wage: a searcher's sampled firm and the
 * wage of its offer come from one cache line instead of two random loads (a firm index, then its
 * wage). */
typedef struct cs_vac_firm {
    double w;  /* firms.w[i] */
    int32_t i; /* the firm */
} vac_firm;    /* in sim->buf->vac_post, one per post */

/* A commuting radius R as the searchers test it: the half-width (int)R of the box sampled, and
 * the largest squared whole-cell distance k with sqrt(k) <= R, so that "distance > R" is an
 * integer comparison with the same outcome (sqrt is monotone). */
typedef struct reach_t {
    int box;
    int32_t d2max;
} reach_t;

static reach_t reach_make(double R) {
    reach_t r = {(int)R, -1};
    if (!(R >= 0)) return r; /* nothing is within a negative distance */
    double k = floor(R * R);
    int64_t t = k < 1e9 ? (int64_t)k : (int64_t)1e9;
    while (t >= 0 && sqrt((double)t) > R) t--;
    while (t < (int64_t)1e9 && sqrt((double)(t + 1)) <= R) t++;
    r.d2max = (int32_t)t;
    return r;
}

int32_t cs_reach_d2max(double R) {
    return reach_make(R).d2max;
}

/* Whether a worker living at home is within reach of an open link's end (only then can a
 * commute go across it). */
static int near_link(const cs_sim *sim, int32_t home) {
    const cs_landscape *l = &sim->land;
    for (int m = 0; m < sim->n_links; m++) {
        const cs_link *lk = &sim->links[m];
        if (lk->open && (cs_dist(l, home, lk->ay * l->W + lk->ax) <= lk->radius ||
                         cs_dist(l, home, lk->by * l->W + lk->bx) <= lk->radius))
            return 1;
    }
    return 0;
}

/* Per cell, what a searcher needs in one cache line: its coordinates (no divisions by the grid
 * width), its run of the post list, the draw among its posts prepared (cs_bound), and the
 * commuting reach of those who live there. */
typedef struct cs_vac_cell {
    cs_bound draw;  /* bound: the cell's posts */
    int32_t pstart; /* they are vac_post[pstart .. pstart + posts) */
    int16_t x, y;   /* the cell's column and row */
    reach_t reach;  /* labour.rc + landscape reach of the cell (density funding) */
} vac_cell;         /* in sim->buf->vac_cells */

/* The post list, grown only, of at least n entries (contents undefined). It regrows with
 * cs_grow_cap's headroom: the number of posts creeps up over many steps, and filling a fresh
 * allocation faults in every page (at 1:1, 35-100 ms against 3-17 ms into a list already
 * there, `bench --scale 1.0`). */
static vac_firm *vac_post_reserve(cs_buffers *b, size_t n) {
    return b->vac_post = cs_grow_only(b->vac_post, &b->vac_post_cap, n, sizeof *b->vac_post);
}

static double build_vacancy_index(cs_sim *sim, double *vcell, double *natcdf) {
    cs_buffers *b = sim->buf;
    const cs_firms *F = &sim->firms;
    const cs_landscape *l = &sim->land;
    int32_t nc = l->ncell;
    /* the post list: one (wage, firm) entry per post, cells in order and each cell's firms in
     * firm order, so that post r of a cell belongs to the first firm whose cumulative posts
     * exceed r. A uniform post is one draw, and its firm and wage are at an address known at
     * once (no dependent load before the prefetch). It is built as a counting sort weighted by
     * posts: each chunk of firms counts its posts per cell, the offsets run cell by cell and
     * chunk by chunk, and each chunk then writes its firms' entries reading the firms in their
     * own order (no gather of firms by cell, whose loads miss the cache); the list is the same
     * for any number of chunks. Posts are whole, so every count is an exact integer. */
    int32_t *pc = b->f_flag;      /* scratch: each firm's posts */
    int32_t *pstart = b->c_count; /* scratch per cell [nc + 1], free in matching */
    const int nch = cs_counting_chunks(F->n);
    int32_t *cnt = cs_counting_chunk_counts(b, nch, (size_t)nc);
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *ck = cnt + (size_t)k * (size_t)nc;
        memset(ck, 0, (size_t)nc * sizeof *ck);
        const int32_t i0 = (int32_t)cs_chunk_lo(F->n, k, nch),
                      i1 = (int32_t)cs_chunk_lo(F->n, k + 1, nch);
        for (int32_t i = i0; i < i1; i++) {
            const int32_t v = posts(F, i);
            pc[i] = v;
            if (v > 0) ck[F->cell[i]] += v;
        }
    }
    cs_counting_offsets(cnt, nch, (size_t)nc, pstart);
    vac_firm *vp = vac_post_reserve(b, (size_t)pstart[nc]);
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *ck = cnt + (size_t)k * (size_t)nc;
        const int32_t i0 = (int32_t)cs_chunk_lo(F->n, k, nch),
                      i1 = (int32_t)cs_chunk_lo(F->n, k + 1, nch);
        for (int32_t i = i0; i < i1; i++) {
            if (pc[i] <= 0) continue;
            const vac_firm e = {F->w[i], i};
            int32_t q = ck[F->cell[i]];
            for (int32_t m = pc[i]; m > 0; m--) vp[q++] = e;
            ck[F->cell[i]] = q;
        }
    }
#pragma omp parallel for schedule(guided) if (nc >= CS_PAR_MIN)
    for (int32_t c = 0; c < nc; c++) vcell[c] = pstart[c + 1] - pstart[c];
    if (b->vac_cells_n != nc) {
        free(b->vac_cells);
        b->vac_cells = cs_xcalloc((size_t)nc, sizeof *b->vac_cells);
        b->vac_cells_n = nc;
    }
    vac_cell *const vac_cells = b->vac_cells;
#pragma omp parallel if (nc >= CS_PAR_MIN)
    {
        /* most cells share one reach (labour.rc, no density funding): made once per run of
         * equal radii, not per cell (its root search is most of this loop otherwise) */
        double last_r = NAN;
        reach_t last = {0, -1};
#pragma omp for schedule(guided)
        for (int32_t c = 0; c < nc; c++) {
            vac_cell *e = &vac_cells[c];
            e->draw = cs_bound_make((uint32_t)vcell[c]);
            e->pstart = pstart[c];
            e->x = (int16_t)(c % l->W);
            e->y = (int16_t)(c / l->W);
            const double r = sim->par.labour.rc + l->reach[c];
            if (!(r == last_r)) {
                last = reach_make(r);
                last_r = r;
            }
            e->reach = last;
        }
    }
    for (int y = 0; y < l->H; y++) {
        double *pre = b->c_rowpre + (int64_t)y * (l->W + 1);
        pre[0] = 0;
        for (int x = 0; x < l->W; x++) pre[x + 1] = pre[x] + vcell[y * l->W + x];
    }
    /* summed-area table of vacancies, stored by column: sat[x][y] for x in [0, W], y in
     * [0, H], with a zero first row and column, gives box totals in O(1); a searcher's box
     * reads two columns over consecutive rows, a few cache lines. Vacancies are whole posts,
     * so every sum is an exact integer and any order of addition gives the same value. */
    const int W1 = l->W + 1, H1 = l->H + 1;
    double *sat = b->vac_sat;
#pragma omp parallel for schedule(guided) if (nc >= CS_PAR_MIN)
    for (int x = 0; x < W1; x++) {
        double *col = sat + (int64_t)x * H1;
        col[0] = 0;
        for (int y = 0; y < l->H; y++) col[y + 1] = col[y] + b->c_rowpre[(int64_t)y * W1 + x];
    }
    double acc = 0;
    for (int32_t c = 0; c < nc; c++) natcdf[c] = (acc += vcell[c]);
    return acc;
}

/* Vacancies in rows [ya, y] and columns [xa, xb] (summed-area table by column, exact). */
static inline double box(const double *sat, int H1, int ya, int y, int xa, int xb) {
    const double *ca = sat + (int64_t)xa * H1, *cb = sat + (int64_t)(xb + 1) * H1;
    return (cb[y + 1] - ca[y + 1]) - (cb[ya] - ca[ya]);
}

/* Counts over short runs, two doubles at a time (GCC vector extensions: SSE2 on any x86-64, no
 * -march needed), unrolled: the loop's own test and step were a third of its instructions (a
 * run is 2 Rc = 16 cells at the defaults). Comparisons are exact, so the counts are those of
 * the scalar loops. */
typedef double cs_v2d __attribute__((vector_size(16)));
typedef long long cs_v2l __attribute__((vector_size(16)));

static inline cs_v2d load2(const double *p) {
    cs_v2d v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* #{r in [0, n): (b[r] - a[r]) - base <= u} */
static inline int count_diff_le(const double *a, const double *b, int n, double base, double u) {
    const cs_v2d vb = {base, base}, vu = {u, u};
    cs_v2l acc = {0, 0};
    int r = 0;
#pragma GCC unroll 8
    for (; r + 2 <= n; r += 2) acc += ((load2(b + r) - load2(a + r)) - vb <= vu);
    int cnt = (int)-(acc[0] + acc[1]);
    for (; r < n; r++) cnt += (b[r] - a[r]) - base <= u;
    return cnt;
}

/* #{x in [0, n): p[x] <= t} */
static inline int count_le(const double *p, int n, double t) {
    const cs_v2d vt = {t, t};
    cs_v2l acc = {0, 0};
    int x = 0;
#pragma GCC unroll 8
    for (; x + 2 <= n; x += 2) acc += (load2(p + x) <= vt);
    int cnt = (int)-(acc[0] + acc[1]);
    for (; x < n; x++) cnt += p[x] <= t;
    return cnt;
}

/* A cell drawn in the box of radius R around (x0, y0) in proportion to vacancies, in two
 * parts: vac_row finds the row, vac_col the column, so that a batch of searchers can run each
 * part for all of them in turn and the loads of one part (the box's column totals, then the
 * row's prefix sums) overlap across searchers instead of waiting one after another.
 *
 * The draw u in [0, total) picks the first row y whose cumulative box total up to y exceeds
 * u, then the cell of that row by its prefix sums. All totals are exact integers, so this is
 * the same cell, bit for bit, as walking the rows and subtracting each row's total from u
 * (each such subtraction is exact: an integer no larger than u). */
typedef struct vac_draw {
    int xa, xb, y; /* the box's columns, the row drawn */
    double u;      /* the draw, less the rows above y */
} vac_draw;

/* The row of the draw into *v; 0 when the box has no vacancy (no draw made). */
static inline int vac_row(const cs_sim *sim, cs_pcg32 *rng, int x0, int y0, int R, vac_draw *v) {
    const cs_landscape *l = &sim->land;
    const double *sat = sim->buf->vac_sat;
    const int H1 = l->H + 1;
    const int xa = x0 - R < 0 ? 0 : x0 - R, xb = x0 + R >= l->W ? l->W - 1 : x0 + R;
    const int ya = y0 - R < 0 ? 0 : y0 - R, yb = y0 + R >= l->H ? l->H - 1 : y0 + R;
    const double tot = box(sat, H1, ya, yb, xa, xb);
    if (tot <= 0) return 0;
    double u = cs_pcg32_uniform(rng) * tot;
    /* first row whose cumulative total exceeds u (the last row if rounding put u at tot). The
     * totals rise with the row, so that row is ya + the number of rows above yb whose total is
     * at most u: counted with independent loads instead of a binary search's dependent chain
     * (same row, since every total is exact). */
    const double *ca = sat + (int64_t)xa * H1, *cb = sat + (int64_t)(xb + 1) * H1;
    const double base = cb[ya] - ca[ya];
    const int y = ya + count_diff_le(ca + ya + 1, cb + ya + 1, yb - ya, base, u);
    if (y > ya) u -= box(sat, H1, ya, y - 1, xa, xb);
    v->xa = xa, v->xb = xb, v->y = y, v->u = u;
    return 1;
}

/* The row's prefix sums that vac_col reads. */
static inline const double *vac_rowpre(const cs_sim *sim, const vac_draw *v) {
    return sim->buf->c_rowpre + (int64_t)v->y * (sim->land.W + 1);
}

/* The cell of the draw: in its row, the first column whose prefix sum exceeds the draw, else
 * xb. */
static inline int32_t vac_col(const cs_sim *sim, const vac_draw *v, int *cx, int *cy) {
    const double *pre = vac_rowpre(sim, v);
    const double t = pre[v->xa] + v->u;
    const int a = v->xa + count_le(pre + v->xa + 1, v->xb - v->xa, t);
    *cx = a;
    *cy = v->y;
    return v->y * sim->land.W + a;
}

/* Distance between cells (x0, y0) and (x1, y1): cs_dist without its divisions, same value. */
static inline double dist_xy(int x0, int y0, int x1, int y1) {
    double dx = (double)(x0 - x1), dy = (double)(y0 - y1);
    return sqrt(dx * dx + dy * dy);
}

/* Offer value of a job at firm i for worker j commuting distance d. */
static inline double offer(const cs_sim *sim, int32_t i, int32_t j, double d) {
    return sim->firms.w[i] * sim->workers.skill[j] - sim->par.labour.c_d * d;
}

/* Applicant t ranks above applicant u: more skilled, or as skilled with a larger tie hash. */
static inline int ranks_above(const cs_applicant *t, const cs_applicant *u) {
    return t->skill > u->skill || (t->skill == u->skill && t->tie > u->tie);
}

/* Applicants of one firm, best first (Shell sort: in place, no allocation). */
static void sort_applicants(cs_applicant *a, int32_t n) {
    static const int32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (int g = 0; g < 8; g++) {
        int32_t gap = gaps[g];
        for (int32_t i = gap; i < n; i++) {
            cs_applicant t = a[i];
            int32_t j = i;
            while (j >= gap && ranks_above(&t, &a[j - gap])) {
                a[j] = a[j - gap];
                j -= gap;
            }
            a[j] = t;
        }
    }
}

/* Searchers interleaved in one batch: each stage runs over the whole batch before the next,
 * so independent loads (the current employer's wage and cell, the sampled firm) are in flight
 * together instead of one searcher's dependent chain at a time. 64, not 16: at 1:1 the memory
 * latency wants more loads in flight (the per-worker passes' CS_AHEAD likewise). */
#define SEARCH_BATCH 64

/* Applicants ahead whose skill is prefetched while ranking (step 3 of cs_matching). */
#define APP_AHEAD 16

/* Hires ahead whose worker entries are prefetched (step 3): the employer at twice this
 * distance, then, with it loaded, the old employer's headcount and the rest at this one. */
#define HIRE_AHEAD 8

/* Starts the loads of hire(): worker j2's employer, and for worker j1 (whose employer was
 * asked for HIRE_AHEAD hires earlier) the entries hire() writes, with its old employer's
 * headcount when `mine` (j1 applied to this thread's firm: no other thread writes its
 * employer now). */
static inline void hire_prefetch(const cs_sim *sim, int32_t j1, int mine, int32_t j2,
                                 const uint8_t *searching) {
    const cs_workers *Wk = &sim->workers;
    if (j2 >= 0) __builtin_prefetch(&Wk->employer[j2], 1);
    if (j1 >= 0) {
        const int32_t old = mine ? Wk->employer[j1] : -1;
        if (old >= 0) __builtin_prefetch(&sim->firms.n_emp[old], 1);
        __builtin_prefetch(&Wk->hired[j1], 1);
        __builtin_prefetch(&Wk->unemp[j1], 1);
        if (searching) __builtin_prefetch(&searching[j1], 1);
    }
}

/* The drawn cell of v if it is within reach R of (x, y) (*d its distance), else -1; decided
 * without a branch (a fifth of the draws fall in the box's corners, at random). */
static inline int32_t vac_reached(const cs_sim *sim, const vac_draw *v, int x, int y, reach_t R,
                                  double *d) {
    int cx, cy;
    const int32_t c = vac_col(sim, v, &cx, &cy);
    const int32_t d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
    *d = sqrt((double)d2); /* = dist_xy(x, y, cx, cy): the same exact integer under the root */
    return d2 <= R.d2max ? c : -1;
}

/* A post of cell c, uniformly: its entry in vac_post. */
static inline int64_t vac_post_draw(const cs_sim *sim, cs_pcg32 *rng, int32_t c) {
    const vac_cell *e = &sim->buf->vac_cells[c];
    return e->pstart + (int32_t)cs_pcg32_bounded_by(rng, &e->draw);
}

/* Samples the firm with vacancies at a cell drawn in the box of half-width (int)R around
 * (x, y): its entry in vac_post, -1 when the drawn cell is farther than R (no firm drawn), -2
 * when the box has no vacancy. *d is the distance to the drawn cell. */
static inline int64_t sample_vacancy(const cs_sim *sim, cs_pcg32 *rng, int x, int y, reach_t R,
                                     double *d) {
    vac_draw v;
    if (!vac_row(sim, rng, x, y, R.box, &v)) return -2;
    const int32_t c = vac_reached(sim, &v, x, y, R, d);
    return c < 0 ? -1 : vac_post_draw(sim, rng, c);
}

/* The first sample's draw is under way while first is SAMPLE_PENDING. */
#define SAMPLE_PENDING (-3)

typedef struct searcher {
    cs_pcg32 rng;
    int32_t j, cur, home;
    int hx, hy;
    reach_t reach; /* commuting reach of the home cell */
    double d;      /* distance to the first sampled cell */
    int64_t first; /* vac_post entry of the first sample; -1: out of reach; -2: no vacancy */
    vac_draw v;    /* the first sample's draw while it is under way */
    int32_t cell;  /* its cell, once drawn */
} searcher;

/* A block's applications, in worker order: worker w[k] applies to firm f[k], k < n. Each block of
 * workers writes at its own offset of two worker-sized arrays, so only those who apply are
 * grouped by firm afterwards (not every worker). */
typedef struct app_list {
    int32_t *w, *f;
    int32_t n;
} app_list;

/* Round 0's candidates of block bk (workers [j0, end), whole words of w_unemp): searching[j]
 * = 1 for the unemployed, each also marked in w_unemp for matching's closing pass, and for the
 * workers whose index is marked by the block's geometric gaps with probability q_ojs (every
 * index is marked or not, employed or not, so each employed worker searches with probability
 * q_ojs independently). With no vacancy anywhere (any = 0) nobody searches and nobody is
 * marked. search_batch then draws the unemployed's contact (q_u) and searches. The candidates
 * go to lst in worker order (the union of the unemployed and the marked, so that search_batch need
 * not scan the block for them); returns how many. */
static int32_t mark_searchers(const cs_sim *sim, cs_rng_key skey, int64_t bk, int32_t j0,
                              int32_t end, int any, uint8_t *searching, int32_t *lst) {
    const int32_t *emp = sim->workers.employer;
    uint64_t *unemp = sim->buf->w_unemp + j0 / 64;
    const int64_t nwords = (end - j0 + 63) / 64;
    if (!any) {
        memset(searching + j0, 0, (size_t)(end - j0));
        memset(unemp, 0, (size_t)nwords * sizeof *unemp);
        return 0;
    }
    for (int32_t j = j0; j < end; j++) searching[j] = emp[j] < 0;
    for (int32_t j = j0; j < end; j += 64) {
        const int32_t k1 = end - j < 64 ? end - j : 64;
        uint64_t bits = 0;
        int32_t k = 0;
        for (; k + 8 <= k1; k += 8) bits |= cs_pack8(searching + j + k) << k;
        for (; k < k1; k++) bits |= (uint64_t)searching[j + k] << k;
        unemp[(j - j0) / 64] = bits;
    }
    /* the marked as a bitmap of the block, then the list from the union of the two bitmaps:
     * merging the gaps into the unemployed one by one mispredicted a branch at most of them
     * (both are random), which cost as much as drawing the gaps */
    uint64_t marked[CS_SKIP_BLOCK / 64] = {0};
    cs_skip skip;
    cs_skip_start(&skip, skey, bk, sim->par.labour.q_ojs);
    for (int64_t m = cs_skip_next(&skip, j0, end); m < end; m = cs_skip_next(&skip, m + 1, end)) {
        marked[(m - j0) >> 6] |= UINT64_C(1) << ((m - j0) & 63);
        searching[m] = 1;
    }
    int32_t n = 0;
    for (int64_t wd = 0; wd < nwords; wd++)
        for (uint64_t bits = unemp[wd] | marked[wd]; bits; bits &= bits - 1)
            lst[n++] = j0 + (int32_t)(wd * 64) + __builtin_ctzll(bits);
    return n;
}

/* Later rounds' candidates of workers [j0, end): those still searching, into lst in worker
 * order; returns how many. */
static int32_t list_searchers(const uint8_t *searching, int32_t j0, int32_t end, int32_t *lst) {
    int32_t n = 0;
    for (int32_t w = j0; w < end; w++) {
        /* most workers do not search: pass eight of them at a time */
        uint64_t z;
        while (w + 8 <= end && (memcpy(&z, searching + w, sizeof z), z == 0)) w += 8;
        if (w >= end) break;
        if (searching[w]) lst[n++] = w;
    }
    return n;
}

/* Phase 8.1 for the candidates lst[k0 ..] until SEARCH_BATCH of them search or the list ends
 * at nl; returns the next position. The candidates (round 0's from mark_searchers; later
 * rounds' are those refused before) search, an unemployed one in round 0 only when the first
 * draw of its stream is below q_u (else searching[j] is cleared). Per searcher the draws are then
 * k_w own-area samples (a cell, then a firm in it when the cell is in reach), then the link
 * samples. Appends each application to out. */
static int32_t search_batch(const cs_sim *sim, cs_rng_key skey, int round, double natvac,
                            const int32_t *lst, int32_t k0, int32_t nl, app_list *out,
                            uint8_t *searching) {
    const cs_params *p = &sim->par;
    const cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    const cs_landscape *l = &sim->land;
    const double c_d = p->labour.c_d, outside = p->labour.outside_option * sim->f.mean_earnings;
    const double q_u = p->labour.q_u;
    const vac_cell *const vac_cells = sim->buf->vac_cells;
    const vac_firm *const vac_post = sim->buf->vac_post; /* sampled entries are posts */
    searcher sb[SEARCH_BATCH];
    int ns = 0;

    /* stage 1: who searches; start the loads of the current employer. A batch is SEARCH_BATCH
     * searchers, not workers: with a third of the workers searching, a batch of workers held
     * too few searchers for the prefetches of stage 2 to arrive before stage 3 */
    int32_t pos = k0;
    for (; pos < nl && ns < SEARCH_BATCH; pos++) {
        const int32_t w = lst[pos]; /* the worker */
        if (natvac <= 0) {
            searching[w] = 0;
            continue;
        }
        searcher *s = &sb[ns];
        s->cur = Wk->employer[w];
        cs_rng_stream_keyed(&s->rng, skey, (uint64_t)w | ((uint64_t)round << 40));
        /* the unemployed contact an employer with probability q_u a step (first draw) */
        if (round == 0 && s->cur < 0 && q_u < 1.0 && cs_pcg32_uniform(&s->rng) >= q_u) {
            searching[w] = 0;
            continue;
        }
        if (s->cur >= 0) {
            __builtin_prefetch(&F->w[s->cur]);
            __builtin_prefetch(&F->cell[s->cur]);
        }
        s->j = w;
        s->home = Wk->home[w];
        s->reach = vac_cells[s->home].reach;
        s->hx = vac_cells[s->home].x;
        s->hy = vac_cells[s->home].y;
        ns++;
    }
    /* stage 2: the first own-area sample (sample_vacancy), its three dependent steps each
     * taken for the whole batch before the next, so that one searcher's loads (the box's
     * column totals, then its row's prefix sums, then its cell's entry) overlap with the
     * others'; then start the load of the sampled post */
    for (int k = 0; k < ns; k++) {
        searcher *s = &sb[k];
        s->first = -1;
        if (p->labour.k_w > 0) {
            s->first =
                vac_row(sim, &s->rng, s->hx, s->hy, s->reach.box, &s->v) ? SAMPLE_PENDING : -2;
            if (s->first == SAMPLE_PENDING) { /* the run of prefix sums vac_col reads */
                __builtin_prefetch(vac_rowpre(sim, &s->v) + s->v.xa);
                __builtin_prefetch(vac_rowpre(sim, &s->v) + s->v.xb);
            }
        }
    }
    /* whether the drawn cell is in reach (a disc in the square box: a fifth of the draws are
     * not) is a coin toss for the branch predictor, so it is decided once without a branch and
     * the searchers with a cell in reach are listed (pend) for the next steps */
    int pend[SEARCH_BATCH], np = 0;
    for (int k = 0; k < ns; k++) {
        searcher *s = &sb[k];
        if (s->first != SAMPLE_PENDING) continue;
        s->cell = vac_reached(sim, &s->v, s->hx, s->hy, s->reach, &s->d);
        const int in = s->cell >= 0;
        __builtin_prefetch(&vac_cells[in ? s->cell : 0]);
        s->first = in ? SAMPLE_PENDING : -1;
        pend[np] = k;
        np += in;
    }
    for (int q = 0; q < np; q++) {
        searcher *s = &sb[pend[q]];
        s->first = vac_post_draw(sim, &s->rng, s->cell);
        __builtin_prefetch(&vac_post[s->first]);
    }
    /* stage 3: the rest of the samples and the choice. With one sample and no open link, a
     * searcher whose sample missed has nothing to apply to and draws nothing more: only the
     * listed ones are visited */
    const int links = cs_any_open_link(sim);
    const int all = p->labour.k_w != 1 || links;
    const int nvisit = all ? ns : np;
    for (int q = 0; q < nvisit; q++) {
        searcher *s = &sb[all ? q : pend[q]];
        const int32_t j = s->j, cur = s->cur, home = s->home;
        const double skill = Wk->skill[j];
        /* near an open link's end, every job (the current one included) is costed by the
         * shorter of the straight line and the route across the link, so that a job reached
         * over the link is not weighed at a distance its holder does not travel */
        const int near = links && near_link(sim, home);
        double best = 0.0;
        if (cur >= 0) {
            /* the job's column and row from its cell by arithmetic (as vac_cells holds them),
             * not a further random load that waits on the cell's */
            const int32_t cc = F->cell[cur];
            const int cy = cs_cell_row(l, cc);
            best = offer(sim, cur, j,
                         near ? cs_commute_dist(sim, home, cc)
                              : dist_xy(s->hx, s->hy, cc - cy * l->W, cy));
        }
        /* the unemployed weigh an offer against their outside option (benefits and the value
         * of time), the employed against their job */
        double need = cur >= 0 ? best + fabs(best) * p->labour.switch_gain : outside;
        double bestv = -INFINITY;
        int32_t bestf = -1;
        for (int m = 0; m < p->labour.k_w; m++) {
            double d = s->d;
            int64_t e =
                m == 0 ? s->first : sample_vacancy(sim, &s->rng, s->hx, s->hy, s->reach, &d);
            if (e == -2) break;
            if (e < 0) continue;
            const vac_firm *vf = &vac_post[e];
            if (near) d = cs_commute_dist(sim, home, F->cell[vf->i]);
            double v = vf->w * skill - c_d * d;
            if (v > bestv && vf->i != cur) {
                bestv = v;
                bestf = vf->i;
            }
        }
        /* across a transport link: living near one end, jobs near the other are in reach */
        for (int m = 0; m < sim->n_links; m++) {
            const cs_link *lk = &sim->links[m];
            if (!lk->open) continue;
            int32_t a = lk->ay * l->W + lk->ax, bb = lk->by * l->W + lk->bx;
            double da = cs_dist(l, home, a), db = cs_dist(l, home, bb);
            int32_t far;
            if (da <= lk->radius)
                far = bb;
            else if (db <= lk->radius)
                far = a;
            else
                continue;
            int kk = (p->labour.k_w + 1) / 2;
            int fx = vac_cells[far].x, fy = vac_cells[far].y;
            const reach_t lr = reach_make(lk->radius);
            for (int q = 0; q < kk; q++) {
                double dfar = 0;
                int64_t e = sample_vacancy(sim, &s->rng, fx, fy, lr, &dfar);
                if (e == -2) break;
                if (e < 0) continue;
                const vac_firm *vf = &vac_post[e];
                /* d(home, near end) + dfar, or less by another route (the straight line, the
                 * other end) */
                double v = vf->w * skill - c_d * cs_commute_dist(sim, home, F->cell[vf->i]);
                if (v > bestv && vf->i != cur) {
                    bestv = v;
                    bestf = vf->i;
                }
            }
        }
        /* whether it applies is as random: written always, kept when it does (its block's
         * space has room for one more than the block's searchers so far) */
        out->w[out->n] = j;
        out->f[out->n] = bestf;
        out->n += bestf >= 0 && bestv > need;
    }
    return pos;
}

/* The applications' count per block of workers, grow-only. */
static int32_t *blocks_napp(cs_buffers *b, int64_t nblock) {
    if ((size_t)nblock > b->blk_napp_cap) {
        free(b->blk_napp);
        b->blk_napp = cs_xcalloc((size_t)nblock, sizeof *b->blk_napp);
        b->blk_napp_cap = (size_t)nblock;
    }
    return b->blk_napp;
}

/* Applications grouped by firm: start[0..nf] the firms' offsets, order[start[i] ..
 * start[i + 1]) firm i's applicants in worker order. A counting sort over the blocks' lists
 * (each in worker order, blocks in order), chunked by blocks, so the result is that of a
 * serial pass for any number of chunks. */
static void group_applications(cs_buffers *b, int32_t nw, const int32_t *blk_n,
                               const int32_t *app_w, const int32_t *app_f, int32_t nf,
                               int32_t *start, int32_t *order) {
    const int64_t nblock = cs_skip_blocks(nw);
    int nch = cs_counting_chunks(nw); /* chunks of whole blocks */
    if (nch > nblock) nch = nblock > 0 ? (int)nblock : 1;
    int32_t *cnt = cs_counting_chunk_counts(b, nch, (size_t)nf);
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *ck = cnt + (size_t)k * (size_t)nf;
        memset(ck, 0, (size_t)nf * sizeof *ck);
        for (int64_t bk = cs_chunk_lo(nblock, k, nch); bk < cs_chunk_lo(nblock, k + 1, nch); bk++) {
            const int32_t *f = app_f + bk * CS_SKIP_BLOCK;
            for (int32_t m = 0; m < blk_n[bk]; m++) ck[f[m]]++;
        }
    }
    cs_counting_offsets(cnt, nch, (size_t)nf, start);
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *ck = cnt + (size_t)k * (size_t)nf;
        for (int64_t bk = cs_chunk_lo(nblock, k, nch); bk < cs_chunk_lo(nblock, k + 1, nch); bk++) {
            const int32_t *f = app_f + bk * CS_SKIP_BLOCK, *w = app_w + bk * CS_SKIP_BLOCK;
            for (int32_t m = 0; m < blk_n[bk]; m++) order[ck[f[m]]++] = w[m];
        }
    }
}

/* Worker j takes a job at firm i and stops searching (searching NULL: no round follows, so
 * nobody reads it before the next step's round 0 rewrites it); the counts are the step's
 * totals. A job beyond the home's reach was found across a link, so that test (a random load
 * of the home, two divisions and a root) is made only when a link is open (links != 0). The
 * headcounts follow (the metrics read them): firms hire in parallel and a mover's old firm is
 * any firm, so both change atomically, whole numbers in any order. */
static inline void hire(cs_sim *sim, int32_t j, int32_t i, uint8_t *searching, int links,
                        int64_t *hires, int64_t *link_hires, int64_t *job_moves) {
    cs_workers *Wk = &sim->workers;
    int32_t *n_emp = sim->firms.n_emp;
    if (links) {
        const cs_landscape *l = &sim->land;
        const int32_t home = Wk->home[j];
        if (cs_dist(l, home, sim->firms.cell[i]) > sim->par.labour.rc + l->reach[home])
            (*link_hires)++;
    }
    const int32_t old = Wk->employer[j];
    if (old >= 0) { /* an employed searcher changing jobs */
        (*job_moves)++;
#pragma omp atomic update
        n_emp[old]--;
    }
#pragma omp atomic update
    n_emp[i]++;
    Wk->employer[j] = i;
    Wk->hired[j] = sim->step;
    Wk->unemp[j] = 0;
    if (searching) searching[j] = 0;
    (*hires)++;
}

void cs_matching(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    cs_landscape *l = &sim->land;
    cs_buffers *b = sim->buf;
    int32_t nc = l->ncell;
    double *vcell = sim->f.vac;
    double *natcdf = b->c_cdf + (int64_t)sim->S * nc;
    b->vac_sat = cs_scratch_doubles(b, (size_t)(l->H + 1) * (size_t)(l->W + 1));
    double natvac = build_vacancy_index(sim, vcell, natcdf);
    const double natvac0 = natvac;
    /* the applications of each block at the block's offset: firms in w_choice, workers in
     * w_app's space (free until step 3 fills it) */
    int32_t *app_f = b->w_choice, *app_w = (int32_t *)(void *)b->w_app;

    /* Rounds: those refused in one round apply again, to what is still open, in the next (one
     * application per round; a quarter holds several). Round 0 decides who searches at all. */
    uint8_t *searching = b->w_search;
    int64_t hires = 0, link_hires = 0, job_moves = 0;
    const int links = cs_any_open_link(sim); /* only then can a hire be beyond reach */
    for (int round = 0; round < p->labour.rounds; round++) {
        if (round > 0) natvac = build_vacancy_index(sim, vcell, natcdf);
        /* 1. search: in round 0, the employed who search are found by geometric gaps per
         * block of CS_SKIP_BLOCK workers; every searcher draws from its own stream (one per
         * round). Workers are taken SEARCH_BATCH at a time, stage by stage (see search_batch),
         * so that the cache misses of several searchers overlap. */
        const cs_rng_key skey =
            cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_MATCH_SEARCH);
        const int64_t nblock = cs_skip_blocks(Wk->n);
        int32_t *blk_n = blocks_napp(b, nblock);
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t bk = 0; bk < nblock; bk++) {
            const int32_t j0 = (int32_t)(bk * CS_SKIP_BLOCK);
            const int32_t end = (int32_t)cs_skip_block_end(bk, Wk->n);
            int32_t lst[CS_SKIP_BLOCK]; /* the block's searchers (a worker-sized buffer would
                                         * add its pages to the peak memory) */
            const int32_t nl =
                round == 0 ? mark_searchers(sim, skey, bk, j0, end, natvac > 0, searching, lst)
                           : list_searchers(searching, j0, end, lst);
            app_list out = {app_w + j0, app_f + j0, 0};
            for (int32_t k = 0; k < nl;)
                k = search_batch(sim, skey, round, natvac, lst, k, nl, &out, searching);
            blk_n[bk] = out.n;
        }

        /* 2. applications grouped by firm (worker order within a firm) */
        int32_t *start = b->f_count;
        int32_t *order = b->w_order;
        group_applications(b, Wk->n, blk_n, app_w, app_f, F->n, start, order);
        cs_applicant *app = b->w_app;
        const uint64_t tie_prefix =
            cs_hash4_prefix((uint64_t)p->seed, (uint64_t)sim->step, CS_PH_MATCH_TIES);
        const int32_t napp = start[F->n];
        uint8_t *const still = round + 1 < p->labour.rounds ? searching : NULL;

        /* 3. each firm takes the most skilled applicants up to its posts, who stop searching;
         * the rest are refused. Filled posts close. */
#pragma omp parallel for schedule(dynamic, 256) reduction(+ : hires, link_hires, job_moves)
        for (int32_t i = 0; i < F->n; i++) {
            const int32_t n = start[i + 1] - start[i], v = posts(F, i);
            F->vac[i] -= n < v ? n : v;
            if (!n) continue;
            const int32_t *o = order + start[i];
            if (n <= v) {
                /* room for every applicant: ranking them would change nothing (each hire is
                 * the worker's own state, the counts are sums), so skip it. The workers are
                 * scattered over the labour force: their entries are asked for ahead (in this
                 * firm or the next ones' lists) */
                const int32_t s0 = start[i];
                for (int32_t k = 0; k < n; k++) {
                    const int32_t q1 = s0 + k + HIRE_AHEAD, q2 = q1 + HIRE_AHEAD;
                    hire_prefetch(sim, q1 < napp ? order[q1] : -1, k + HIRE_AHEAD < n,
                                  q2 < napp ? order[q2] : -1, still);
                    hire(sim, o[k], i, still, links, &hires, &link_hires, &job_moves);
                }
                continue;
            }
            cs_applicant *a = app + start[i];
            for (int32_t k = 0; k < n; k++) {
                /* the applicants' skills are scattered over the labour force: ask for the ones
                 * a few places ahead (in this firm or the next ones) while hashing this one */
                if (start[i] + k + APP_AHEAD < napp)
                    __builtin_prefetch(&Wk->skill[order[start[i] + k + APP_AHEAD]]);
                int32_t j = o[k];
                /* skill first, then a hash of (seed, step, worker): ties are broken without
                 * favouring low worker ids, and never at the expense of a higher skill */
                a[k].tie = (double)(cs_hash4_entity(tie_prefix, (uint64_t)j) >> 11);
                a[k].skill = Wk->skill[j];
                a[k].j = j;
            }
            sort_applicants(a, n);
            for (int32_t k = 0; k < v; k++) {
                hire_prefetch(sim, k + HIRE_AHEAD < v ? a[k + HIRE_AHEAD].j : -1, 1,
                              k + 2 * HIRE_AHEAD < v ? a[k + 2 * HIRE_AHEAD].j : -1, still);
                hire(sim, a[k].j, i, still, links, &hires, &link_hires, &job_moves);
            }
        }
    }
    sim->cnt.hires += hires;
    sim->cnt.link_hires += link_hires;
    sim->cnt.job_moves += job_moves;

    /* 5. the unemployed who found nothing wait longer; the long unemployed migrate, moving home
     * to where jobs are advertised (one pass: both look at each worker alone) */
    int64_t migrations = 0;
    const int migrate = natvac > 0 && p->labour.t_mig > 0;
    const cs_rng_key mkey =
        cs_rng_key_make((uint64_t)p->seed, (uint32_t)sim->step, CS_PH_MIGRATION);
    /* Only those unemployed when matching began can be unemployed now: with vacancies, round
     * 0's search read every worker's employer and marked them (unemp_marked); else all are
     * looked at */
    const int unemp_marked = natvac0 > 0;
    const int64_t nwords = ((int64_t)Wk->n + 63) / 64;
#pragma omp parallel for schedule(guided) reduction(+ : migrations)
    for (int64_t wd = 0; wd < nwords; wd++) {
        const int64_t inword = Wk->n - wd * 64; /* workers in this word: 64 but in the last */
        const uint64_t all = inword >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << inword) - 1;
        for (uint64_t bits = unemp_marked ? b->w_unemp[wd] : all; bits; bits &= bits - 1) {
            const int32_t j = (int32_t)(wd * 64) + __builtin_ctzll(bits);
            if (Wk->employer[j] >= 0) continue;
            Wk->unemp[j]++;
            if (!migrate || Wk->unemp[j] < p->labour.t_mig) continue;
            cs_pcg32 rng;
            cs_rng_stream_keyed(&rng, mkey, (uint64_t)j);
            Wk->home[j] = cs_cdf_pick(natcdf, nc, cs_pcg32_uniform(&rng));
            Wk->unemp[j] = 0;
            migrations++;
        }
    }
    sim->cnt.migrations += migrations;
}
