/* internal.h: work buffers and small helpers shared by the phase files (not part of the API).
 * Buffers are sized once at init and grown only between phases, never inside agent loops. */
#ifndef CS_INTERNAL_H
#define CS_INTERNAL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clustersim.h"
#include "mathlib.h"

/* An applicant as a firm ranks it (matching): copied next to the firm's other applicants, so
 * that ranking reads one contiguous run instead of random workers. */
typedef struct cs_applicant {
    double tie;  /* tie-break hash of (seed, step, worker), 53 bits */
    float skill; /* workers.skill */
    int32_t j;   /* the worker */
} cs_applicant;

#define CS_METRICS_WS 40 /* metrics.c's work-space slots */

typedef struct cs_buffers {
    /* per worker */
    int32_t *w_choice;   /* matching: firms applied to, per block of workers at its offset */
    int32_t *w_order;    /* matching: applicants grouped by firm */
    cs_applicant *w_app; /* matching: applicants by firm, in w_order's positions */
    uint8_t *w_search;   /* matching: still searching this step */
    uint64_t *w_unemp;   /* matching: bitmap of the workers unemployed when it began */
    int32_t *w_reach;    /* relocation: per indexed worker, home x, y and squared reach */
    size_t w_reach_cap;  /* its capacity in workers */
    /* per firm (capacity firms.cap) */
    int32_t *f_count; /* counts for counting sorts */
    int32_t *f_new;   /* entry: births per parent */
    int32_t *f_move;  /* relocation: chosen cell, -1 stay */
    double *f_tmp;    /* policies and misc */
    double *f_tax;    /* production: profit tax paid by each firm this step */
    double *f_ptax;   /* production: the part of it raised by the policies' payments */
    int32_t *f_flag;  /* per-firm scratch: production and relocation (firms whose workers are
                       * indexed), matching (posts per firm) */
    uint8_t *f_plan;  /* exit -> entry, relocation: the step's spinoff and review decisions
                       * (CS_PLAN_*), moved with the firms by compaction */
    int32_t fcap;
    /* The plan's validity, and the workers of its firms: compaction's pass over every worker
     * gathers them (in worker order, in w_order), so that entry and relocation index them
     * from that list instead of another pass over everyone (cs_workerindex_build_planned) */
    int has_plan, plan_step; /* a plan was made, at this step */
    int32_t plan_n;          /* the firms it covers: those alive after compaction */
    int32_t cand_n;          /* the gathered workers in w_order; -1: none gathered */
    int64_t plan_misses;     /* indexes the gathered workers could not make (a pass over
                              * everyone instead): none in a step, an invariant (step.c) */
    uint64_t *plan_bits;     /* compaction: the planned firms as a bitmap, by index before it */
    size_t plan_bits_cap;
    struct cs_phi_pair *phi_tab; /* productivity -> production: Phi by (sector, cell) [S][ncell],
                                  * filled at the cells with firms (productivity.c) */
    size_t phi_tab_cap;
    int has_phi_tab, phi_tab_step; /* filled, at this step */
    int32_t *pair_list; /* productivity: the (sector, cell) pairs of the firms, s ncell + c */
    int32_t *pair_mark; /* [S][ncell]: in phi_tab (and listed) by productivity's call pair_seq */
    double *abar_memo;  /* productivity: the local frontier at the listed pairs [S][ncell] */
    size_t pair_cap, pair_list_cap;
    int32_t pair_seq;
    /* per cell */
    int32_t *c_count; /* entry: startups per cell; matching: cell starts in vac_post */
    double *c_cdf; /* national sampling CDFs: [S + 2][ncell] (sector jobs, vacancies, residents) */
    double *c_rowpre; /* vacancy prefix sums along rows, [H][W + 1] */
    /* grow-only work space, per simulation so that two simulations can live in one process */
    int32_t *chunk_cnt; /* counting sorts (counting.h): per-chunk key counts */
    size_t chunk_cap;
    uint64_t *want_bits; /* counting sorts: the wanted keys as a bitmap; compaction: the dead */
    size_t want_bits_cap;
    int32_t *compact_ws; /* compaction: dead firms before each bitmap word, runs of the alive */
    size_t compact_cap;
    double *scratch; /* cs_scratch_doubles */
    size_t scratch_cap;
    int64_t *firm_fix; /* cs_firm_rows: per-thread fixed-point sums by firm [thread][firm] */
    int32_t *cell_res; /* fields: per-thread residents by cell [thread][cell] */
    size_t firm_fix_cap, cell_res_cap;
    double *vac_sat;              /* matching: summed-area table of vacancies (in scratch) */
    struct cs_vac_firm *vac_post; /* matching: per post, its firm and wage, cells in order */
    size_t vac_post_cap;
    int32_t *blk_napp; /* matching: applications per block of CS_SKIP_BLOCK workers */
    size_t blk_napp_cap;
    struct cs_vac_cell *vac_cells; /* matching: per-cell draw data [ncell] */
    int32_t vac_cells_n;
    void *metrics_ws[CS_METRICS_WS]; /* metrics.c: grow-only work space by slot */
    size_t metrics_ws_bytes[CS_METRICS_WS];
    double *univ_memo; /* fields: inputs of the last university field, then scratch */
    size_t univ_memo_cap, univ_memo_len;
    int32_t *firm_cells;      /* fields: the cells that held alive firms at the last compute,
                                 ascending */
    int32_t n_firm_cells;     /* how many; -1: unknown, the firm grids are cleared whole */
    uint16_t *firm_cell_mark; /* fields: the sectors (bit s) of the alive firms at a cell of
                               * firm_cells, kept until the next compute clears them [ncell] */
    double *occk_memo;       /* fields: land.K at the last office-capacity window [ncell], then that
                              * window [ncell] (capacity changes only with policies and building) */
    int occk_rr, occk_valid; /* its radius; whether it holds one */
    /* metrics -> the next step's fields: jobs by sector and cell [S][ncell] and all jobs
     * [ncell] (full scale) as the fields count them, and their windows at land.rk; when their
     * own counts are the same bits the fields take the windows, swapping these arrays with
     * their L_s and P (so the two sets of buffers change hands, each freed once) */
    double *jobs_memo;
    double *jobs_win;         /* windows of jobs by sector [S][ncell] */
    double *jobs_win_all;     /* window of all jobs [ncell] */
    int32_t *jobs_memo_cells; /* the cells of alive firms in it [ncell], */
    int32_t jobs_memo_ncells; /* how many */
    uint16_t *jobs_memo_sec;  /* the sectors (bit s) with firms at each of those cells [ncell] */
    int jobs_memo_valid;      /* whether it holds a step's counts and windows */
} cs_buffers;
_Static_assert(CS_MAX_SECTORS <= 16, "firm_cell_mark and jobs_memo_sec hold a sector a bit");

/* Sizes of fixed reduction blocks: results never depend on the thread count because sums run
 * over fixed blocks of this many items, combined in block order. */
#define CS_BLOCK 4096

/* How many items ahead a pass over the workers asks for the random load of a later worker's
 * firm (its cell, its sums). A per-worker pass does little work per worker, so about a hundred
 * loads must be in flight to cover the memory latency at 1:1, where the firm arrays (6-19 MB)
 * miss the cache (`bench --scale 1.0`: 24 ahead gained a quarter of what 128 did; 256 less). */
#define CS_AHEAD 128
/* Firms from which such passes prefetch at all: below, the firm arrays stay in L1 or L2 (the
 * default scale has about 3,500 firms) and the prefetches would be 2% more instructions. */
#define CS_AHEAD_MIN_FIRMS 8192

/* Euclidean distance between cells. */
/* Row of cell c (c / W) by Lemire's exact multiply-shift: cells are visited millions of times a
 * step and an integer division costs as much as the rest of a distance. */
static inline int32_t cs_cell_row(const cs_landscape *l, int32_t c) {
    return (int32_t)(((unsigned __int128)l->w_magic * (uint32_t)c) >> 64);
}

static inline double cs_dist(const cs_landscape *l, int32_t a, int32_t b) {
    const int32_t ya = cs_cell_row(l, a), yb = cs_cell_row(l, b);
    const int32_t xa = a - ya * l->W, xb = b - yb * l->W;
    double dx = (double)(xa - xb), dy = (double)(ya - yb);
    return sqrt(dx * dx + dy * dy);
}

/* Index in cdf[0..n) of the first entry > u * cdf[n-1] (cdf non-decreasing, last > 0), n - 1
 * when none before it is: the number of entries of cdf[0..n-1) at most the target. Halved
 * without a branch: which half holds the draw is a coin toss, so a bisection's branch
 * mispredicted half of its 14 steps over the 16,000 cells (migration, demographics,
 * relocation). The same index as a bisection (test_cdf_pick). */
static inline int32_t cs_cdf_pick(const double *cdf, int32_t n, double u) {
    const double t = u * cdf[n - 1];
    const double *b = cdf;
    int32_t m = n - 1; /* the answer is in [b - cdf, b - cdf + m] */
    if (m <= 0) return 0;
    while (m > 1) {
        const int32_t half = m / 2;
        b += half * (b[half - 1] <= t);
        m -= half;
    }
    return (int32_t)(b - cdf) + (b[0] <= t);
}

/* Whether any transport link is open (the fields' link terms, the searchers' and the
 * relocating firms' reach across links, and link hires all need one). */
static inline int cs_any_open_link(const cs_sim *sim) {
    for (int m = 0; m < sim->n_links; m++)
        if (sim->links[m].open) return 1;
    return 0;
}

/* The draw of an offset in [-floor(r), floor(r)], for cs_random_cell_in: made once for many
 * calls, since making it takes two integer divisions (at 1:1 residence alone draws 3 million
 * cells a step). */
static inline cs_bound cs_cell_span(double r) {
    return cs_bound_make((uint32_t)(2 * (int)floor(r) + 1));
}

/* Whether an event of hazard h happens for the uniform u: u < 1 - exp(-h), decided without exp
 * when u >= h + 1e-15, which happens for most draws (innovation: h is about 0.01). For 0 <= h <
 * 0.5 the computed 1 - exp(-h) is at most h + 1e-15: the true value is below h, cs_exp
 * errs by under one unit in the last place (2.2e-16 here) and 1 - x is exact for x in [0.5, 1]
 * (Sterbenz). So the answer is always the full expression's (test_mechanisms compares them). */
static inline int cs_hazard_hit(double u, double h) {
    if (h >= 0.0 && h < 0.5 && u >= h + 1e-15) return 0;
    return u < 1.0 - cs_exp(-h);
}

/* Eight bytes of 0 or 1 as the low eight bits of a word, byte k as bit k, with one multiply:
 * in the product each byte's bit lands in the top byte at its own place, and 0/1 bytes leave no
 * carries to disturb it (test_mechanisms checks all 256 patterns). */
static inline uint64_t cs_pack8(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t z;
    memcpy(&z, p, sizeof z);
    return (z * UINT64_C(0x0102040810204080)) >> 56;
#else
    uint64_t b = 0;
    for (int k = 0; k < 8; k++) b |= (uint64_t)p[k] << k;
    return b;
#endif
}

/* A uniformly random land cell within Euclidean radius r of cell c, or -1 after a few misses
 * (sea, off the grid); span = cs_cell_span(r). */
static inline int32_t cs_random_cell_in(const cs_landscape *l, cs_pcg32 *rng, int32_t c, double r,
                                        const cs_bound *span) {
    const int y0 = cs_cell_row(l, c), x0 = c - y0 * l->W;
    const int R = (int)floor(r);
    for (int tries = 0; tries < 8; tries++) {
        const int dx = (int)cs_pcg32_bounded_by(rng, span) - R;
        const int dy = (int)cs_pcg32_bounded_by(rng, span) - R;
        if ((double)(dx * dx + dy * dy) > r * r) continue;
        const int x = x0 + dx, y = y0 + dy;
        if (x < 0 || y < 0 || x >= l->W || y >= l->H) continue;
        const int32_t cc = y * l->W + x;
        if (l->land[cc]) return cc;
    }
    return -1;
}

/* cs_random_cell_in for a single draw. */
static inline int32_t cs_random_cell_near(const cs_landscape *l, cs_pcg32 *rng, int32_t c,
                                          double r) {
    const cs_bound span = cs_cell_span(r);
    return cs_random_cell_in(l, rng, c, r, &span);
}

/* Lowest skill a worker can have: entrants are drawn above it and unemployed skills decay no
 * further (one floor for both; the fields' exact skill sums need skills >= 2^-7). */
#define CS_SKILL_MIN 0.05

/* Skills as whole multiples of 2^-30: every skill is a float in [2^-7, 1] (an invariant of
 * -DCS_DEBUG builds), so this is exact, and integer sums of them are the same in any order. A
 * double accumulating the same floats in worker order is also exact while the total stays
 * below 2^23, so where that holds a fixed-point sum is bit-identical to the serial one (the
 * fields' firm sums, the run file's final tables). */
#define CS_SKILL_FIX 0x1p30

/* commuting.c. 1 if a worker living at `home` can take a job at cell c: within the commuting
 * radius plus the home cell's density-fund reach, or across a built transport link, as
 * matching searches. */
int cs_commutable(const cs_sim *sim, int32_t home, int32_t c);
/* The length of the commute from home to cell c: the straight line, or across a built
 * transport link where home is within its radius of one end and c of the other (d(home, near
 * end) + d(far end, c)), whichever is shorter (cells). */
double cs_commute_dist(const cs_sim *sim, int32_t home, int32_t c);
/* The largest integer d2 with sqrt(d2) <= R (-1 for R < 0): a cell at squared distance d2 is
 * within R exactly when d2 <= this, as cs_commutable measures it. */
int32_t cs_reach_d2max(double R);

/* Multinomial logit choice (UrbanSim style): picks index k of values v[0..n) with probability
 * exp(v_k / scale) / sum_j exp(v_j / scale), using one uniform draw u in [0, 1). v is
 * overwritten with the unnormalised weights. */
int cs_logit_pick(double *v, int n, double scale, double u);

/* calloc that ends the run with a message (exit status 1) when memory runs out. */
void *cs_xcalloc(size_t n, size_t size);
void *cs_xrealloc(void *p, size_t n, size_t size); /* exits on failure, like cs_xcalloc */

/* The capacity for a grow-only buffer that held cap elements and now needs need (> cap): need
 * the first time, a quarter more when it grows again. Buffers sized by the firms grow with the
 * economy (1.4 to 2.2 million firms over a 1:1 run): sized exactly, they were allocated anew
 * almost every step, and each new block's pages were faulted in and cleared by the kernel
 * again (about 5,000 page faults a step at 1:1). */
static inline size_t cs_grow_cap(size_t cap, size_t need) {
    return cap ? need + need / 4 : need;
}

/* A grow-only buffer p of *cap elements of `size` bytes, with room for at least need: p itself,
 * or (need > *cap) a new zeroed block of cs_grow_cap elements, p freed and its contents not
 * copied (callers treat the contents as undefined). */
void *cs_grow_only(void *p, size_t *cap, size_t need, size_t size);

/* Rows of int64 by firm, nrows of at least nf each, [row][firm], contents undefined: the
 * fields' per-thread skill sums, reused by the run file's final headcounts (storage.c). */
int64_t *cs_firm_rows(cs_buffers *b, int nrows, size_t nf, size_t firm_cap);

/* Fixed-order sum of x[0..n) (block partials combined in block order). */
double cs_sum_fixed(const double *x, int64_t n);

/* Agglomeration term Phi of sector s at cell c from this step's fields (productivity.c). */
double cs_phi(const cs_sim *sim, int s, int32_t c);
/* Output price of sector s at cell c: 1 for tradables, the local-services price otherwise
 * (production.c). */
double cs_price(const cs_sim *sim, int s, int32_t c);
/* National tradable prices from this step's output (init: demand shares, prices 1). */
void cs_tradable_prices(cs_sim *sim, int init);
/* Unit labour cost c_L per unit of effective labour at cell c for a workforce of mean skill
 * hbar: local mean wage plus rent on the space its heads take (production.c). */
double cs_unit_labour_cost(const cs_sim *sim, int32_t c, double hbar);
/* Target effective labour H* and vacancies of firm i at its cell (production.c). */
void cs_labour_demand(cs_sim *sim, int32_t i, double mean_skill);
/* Fixed operating cost F of a firm at cell c (production.c). */
double cs_fixed_cost(const cs_sim *sim, int32_t c);

/* Phi of a (sector, cell) pair this step, with its localisation term ln(1 + L_s / l0) and
 * exp(Phi): the same for every firm of the pair (productivity.c). */
typedef struct cs_phi_pair {
    double lk, phi, ephi;
} cs_phi_pair;

/* exp(Phi) of sector s at cell c this step: from productivity's table where this step's call
 * filled the pair (the fields, its only inputs, are not recomputed until the next step, and
 * cs_fields_compute withdraws the table), else computed: the same bits either way. */
static inline double cs_exp_phi(const cs_sim *sim, int s, int32_t c) {
    const cs_buffers *b = sim->buf;
    const size_t sc = (size_t)s * (size_t)sim->land.ncell + (size_t)c;
    if (b->has_phi_tab && b->phi_tab_step == sim->step && b->pair_mark[sc] == b->pair_seq)
        return b->phi_tab[sc].ephi;
    return cs_exp(cs_phi(sim, s, c));
}

/* The step's plan (exit.c): which firms spin off (entry) and which review their location
 * (relocation), decided where compaction can gather their workers. Each decision is its
 * firm's own draw, the same whenever it is made. */
enum { CS_PLAN_SPINOFF = 1, CS_PLAN_REVIEW = 2 };
int cs_spinoff_decides(const cs_sim *sim, cs_rng_key key, int32_t i);    /* entry.c */
int cs_relocation_reviews(const cs_sim *sim, cs_rng_key key, int32_t i); /* relocation.c */
/* Firm i's plan this step (CS_PLAN_* bits), or -1 when it has none: a firm born since, or a
 * phase called outside a step (tests), which then decides for itself. */
static inline int cs_plan_of(const cs_sim *sim, int32_t i) {
    const cs_buffers *b = sim->buf;
    return b->has_plan && b->plan_step == sim->step && i < b->plan_n ? b->f_plan[i] : -1;
}
/* Each firm's workers counted from the workers (employer in [0, firms.n)) into heads, in one
 * serial pass: for states whose kept headcounts do not add up (the start, states made by hand in
 * tests); in a run the phases keep firms.n_emp (storage.c). */
void cs_count_heads(const cs_sim *sim, int32_t *heads);
/* The worker index for the firms with want[i] != 0, as cs_workerindex_build_for makes it, from
 * the planned firms' workers that compaction gathered where they cover every wanted firm's
 * workers (checked against the headcounts), else by a pass over every worker (storage.c). */
void cs_workerindex_build_planned(cs_sim *sim, const int32_t *want);
/* Whether compaction may count bits with the processor's popcnt where it has one (1, the
 * default) or must use the portable count (0): both give the same result, and tests run both
 * (storage.c). Not for use while a step runs. */
void cs_compact_allow_popcnt(int allow);

/* Invariant checks (step.c), run each step in builds with -DCS_DEBUG (make sanitize): abort
 * with a message. Firm headcounts are checked against a recount from the workers. */
void cs_check_invariants(const cs_sim *sim);

#endif
