/* policies.c: the policy levers of MODEL.md section 6 (see policies.h and docs/policies.md).
 *
 * Money. Policy amounts in the configuration that are national totals (budget, density spend,
 * university funding, link cost, grant budget) are full-scale pounds per step: they are booked in
 * simulated units (times scale), so that the metrics, which divide by scale, show the configured
 * number at any scale. Payments to a firm or per worker (per_worker, firm_subsidy amount, cost
 * per trainee) are the same for a sampled agent as for a real one and are booked as paid.
 *
 * Determinism. Claims of firms are computed in parallel loops that write only the firm's own
 * slot, summed in a fixed order (cs_sum_fixed), and paid pro rata in a second parallel loop.
 * Rankings (grants, chosen firms, trainees) are total orders with ties broken by id. The only
 * random draws (zone candidate cells) come from cs_rng_stream(seed, step, CS_PH_POLICY, firm id).
 * Nothing here allocates inside a per-agent loop: buffers are sized in cs_policies_init and
 * grown between phases when the firm table has grown. */
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "counting.h"
#include "internal.h"
#include "policies.h"

/* A grant pays this share of the winner's R&D, and lowers its R&D price by as much. */
#define GRANT_RATE 0.5
/* Combined credit never makes R&D free (rho = rho_s (1 - credit)^-eps would blow up). */
#define CREDIT_CAP 0.9
/* The refund rate a firm claims at: `rate`, or what is left of its CREDIT_CAP if less (phase
 * 4 pays so, and phase 2's credit, what firms count on, adds up the same way). */
static inline double rd_rate(double rate, double left) {
    return rate < left ? rate : left;
}
/* Density funding cannot stretch commuting reach beyond this (cells). */
#define REACH_CAP 4.0

typedef struct pol_item {
    uint8_t *mask;   /* [ncell] 1 inside the area (land cells only) */
    int32_t *cells;  /* the area's land cells, in cell order */
    int32_t n_cells; /* land cells in the area */
    int active;      /* pays (or spends) this step */
    int announced;   /* firms see it this step */
    double factor;   /* last pro-rata factor paid (1 under budget): firms expect the same;
                      * before a capped zone first pays, the one today's claims would get */
    int n_univ;      /* university_funding: indices into land.univ */
    int univ[CS_MAX_AREA];
    double *ring; /* density_fund: simulated spend of the last lag + 1 steps */
    int ring_n;
    int64_t *chosen; /* firm_subsidy: ids of the chosen firms, ascending */
    int32_t n_chosen, cap_chosen;
    int chosen_done; /* firm_subsidy: choice made */
    int link;        /* transport_link: index into sim->links */
    double carry;    /* skills_programme: fractional trainees carried to the next step */
} pol_item;

typedef struct rank_t {
    double key;
    int64_t id;
    int32_t i;
} rank_t;

struct cs_policy_state {
    int n;
    pol_item it[CS_MAX_POLICIES];
    int n_type[CS_POL_NTYPES];
    int n_zone; /* location_subsidy, tax_zone, startup_space */
    /* per firm, capacity fcap (>= firms.cap) */
    double *claim;
    uint8_t *grant;  /* 1 + policy index of the R&D grant won this step, 0 none */
    double *rd_left; /* share of its R&D a firm may still be refunded this step (phase 4): starts
                        at CREDIT_CAP, less each grant and credit paid, in policy order */
    rank_t *rank;
    int32_t fcap;
    /* skills_programme: max-heap of trainees, and one per thread for the search */
    int32_t *heap;
    int32_t heap_cap;
    int32_t *heaps;   /* [heap_threads][heap_cap] */
    int32_t *heaps_n; /* [heap_threads] candidates kept in each */
    int heap_threads;
};

static void *pcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "clustersim: error: out of memory (policies)\n");
        exit(1);
    }
    return p;
}

static void fail_config(const cs_policy *p, const char *what) {
    /* Called at init, before any output file is opened: a bad scenario writes nothing. */
    fprintf(stderr, "clustersim: error: policy %s: %s\n", p->name, what);
    exit(2);
}

/* ---------- activity ---------- */

/* 1 if policy p pays at step: start <= step < end, and inside an on-window of a stop-go cycle. */
int cs_policy_active(const cs_policy *p, int step) {
    if (step < p->start) return 0;
    if (p->end >= 0 && step >= p->end) return 0;
    if (p->cycle_on > 0 && p->cycle_off > 0)
        return (step - p->start) % (p->cycle_on + p->cycle_off) < p->cycle_on;
    return 1;
}

/* The step of a policy's first payment: the first simulated step (1 or later) at which it is
 * active (start = 0 first pays at step 1, or later in a stop-go cycle whose first on-window
 * step 0 used up); its start when it never is. */
static int first_pay(const cs_policy *p) {
    const int t0 = p->start > 1 ? p->start : 1;
    for (int t = t0; t <= t0 + p->cycle_on + p->cycle_off; t++)
        if (cs_policy_active(p, t)) return t;
    return t0;
}

/* 1 if firms know of policy p at step: from t_plan steps before its start until its end. */
int cs_policy_announced(const cs_policy *p, int step, int t_plan) {
    if (p->end >= 0 && p->end <= p->start) return 0; /* never pays: nothing to announce */
    if (step < p->start - t_plan) return 0;
    return p->end < 0 || step < p->end;
}

/* Steps in [from, to) on which p pays (stop-go windows and the end counted). */
static int paying_steps(const cs_policy *p, int from, int to) {
    int n = 0;
    for (int t = from; t < to; t++) n += cs_policy_active(p, t);
    return n;
}

/* ---------- eligibility ---------- */

static inline int sector_ok(const cs_policy *p, int s) {
    return p->sector_mask == 0 || ((p->sector_mask >> s) & 1u);
}

/* Eligible for a zone-type or firm payment at cell c, sector and age conditions. */
static int zone_eligible(const cs_sim *sim, int q, int32_t i, int32_t c) {
    const cs_policy *p = &sim->par.policies[q];
    const cs_firms *F = &sim->firms;
    if (!sector_ok(p, F->sector[i]) || !sim->pol->it[q].mask[c]) return 0;
    if (p->type == CS_POL_LOCATION_SUBSIDY && p->new_entrants_only && F->birth[i] < p->start)
        return 0;
    if (p->type == CS_POL_STARTUP_SPACE && sim->step - F->birth[i] >= p->max_age) return 0;
    return 1;
}

static inline double rent_bill(const cs_sim *sim, int32_t i, int32_t c) {
    return sim->f.rent[c] * sim->par.firms.phi_space * sim->firms.n_emp[i];
}

/* Support per step policy q gives firm i at cell c (assumed eligible), before any budget. */
static double zone_support(const cs_sim *sim, int q, int32_t i, int32_t c) {
    const cs_policy *p = &sim->par.policies[q];
    const cs_firms *F = &sim->firms;
    switch (p->type) {
    case CS_POL_LOCATION_SUBSIDY:
        return p->per_worker * F->n_emp[i];
    case CS_POL_TAX_ZONE: {
        /* support is taxed with profit (phase 4), so the tax cut is grossed up: after that tax
         * the firm keeps exactly profit_tax_cut of the tax on its own profit */
        double pr = F->profit[i] > 0 ? F->profit[i] : 0.0, t = sim->par.firms.tax;
        return p->profit_tax_cut * t * pr / (1.0 - t) + p->rates_relief * rent_bill(sim, i, c);
    }
    case CS_POL_STARTUP_SPACE:
        return p->rent_discount * rent_bill(sim, i, c);
    default:
        return 0;
    }
}

static int is_zone_type(int t) {
    return t == CS_POL_LOCATION_SUBSIDY || t == CS_POL_TAX_ZONE || t == CS_POL_STARTUP_SPACE;
}

/* The area mask of policy q ([ncell], 1 inside), for tests and tools. */
const uint8_t *cs_policies_area(const cs_sim *sim, int q) {
    return sim->pol->it[q].mask;
}

/* ---------- buffers ---------- */

static void fit_firms(cs_sim *sim) {
    struct cs_policy_state *st = sim->pol;
    int32_t cap = sim->firms.cap > sim->firms.n ? sim->firms.cap : sim->firms.n;
    if (st->fcap >= cap) return;
    free(st->claim), free(st->grant), free(st->rd_left), free(st->rank);
    st->claim = pcalloc((size_t)cap, sizeof *st->claim);
    st->grant = pcalloc((size_t)cap, sizeof *st->grant);
    st->rd_left = pcalloc((size_t)cap, sizeof *st->rd_left);
    st->rank = pcalloc((size_t)cap, sizeof *st->rank);
    st->fcap = cap;
}

static int rank_cmp(const void *a, const void *b) {
    const rank_t *x = a, *y = b;
    if (x->key != y->key) return x->key > y->key ? -1 : 1; /* descending key */
    return x->id < y->id ? -1 : (x->id > y->id);           /* ties: lower id first */
}

static int id_cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : (x > y);
}

/* Index of the firm with this id (firms are kept sorted by id), -1 if gone. */
static int32_t find_firm(const cs_firms *F, int64_t id) {
    int32_t lo = 0, hi = F->n - 1;
    while (lo <= hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (F->id[mid] == id) return F->alive[mid] ? mid : -1;
        if (F->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static void book(cs_sim *sim, int q, double amount) {
    sim->cnt.spending[q] += amount;
    sim->cnt.spending_total += amount;
}

/* Pro-rata factor for claims against a budget (simulated units); 0 = uncapped. */
static double prorata(double claims, double cap) {
    if (cap <= 0 || claims <= cap) return 1.0;
    return cap / claims;
}

int32_t cs_firm_subsidy_firms(const cs_policy *p, double scale) {
    long long k = llround(p->count * scale);
    return (int32_t)(k < 1 ? 1 : k);
}

double cs_skills_budget_trainees(const cs_policy *p, double scale) {
    /* no carry, unlike max_workers: never spend above the budget */
    if (!(p->budget > 0 && p->cost > 0)) return -1;
    return floor(p->budget * scale / p->cost + 1e-9);
}

int cs_link_opens(const cs_policy *p, double scale) {
    const double f = prorata(p->cost * scale, p->budget * scale);
    const double need = f > 0 ? ceil(p->build_steps / f - 1e-9) : INFINITY;
    return need < (double)(INT_MAX / 2) ? p->start + (int)need : INT_MAX;
}

/* ---------- init ---------- */

static void build_area(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    const cs_landscape *l = &sim->land;
    pol_item *it = &sim->pol->it[q];
    int16_t rid[CS_MAX_AREA];
    if (p->area_kind == CS_AREA_REGIONS) {
        for (int k = 0; k < p->n_area_regions; k++) {
            rid[k] = -1;
            for (int r = 0; r < l->n_regions; r++)
                if (strcmp(l->region_names[r], p->area_regions[k]) == 0) rid[k] = (int16_t)r;
            if (rid[k] < 0) {
                char msg[160];
                snprintf(msg, sizeof msg, "unknown region \"%s\"", p->area_regions[k]);
                fail_config(p, msg);
            }
        }
    }
    it->mask = pcalloc((size_t)l->ncell, 1);
    int32_t n = 0;
    for (int y = 0; y < l->H; y++)
        for (int x = 0; x < l->W; x++) {
            int32_t c = y * l->W + x;
            if (!l->land[c]) continue;
            int in = 0;
            switch (p->area_kind) {
            case CS_AREA_EVERYWHERE:
                in = 1;
                break;
            case CS_AREA_REGIONS:
                for (int k = 0; k < p->n_area_regions; k++) in |= l->region[c] == rid[k];
                break;
            case CS_AREA_CIRCLE:
            case CS_AREA_RECT:
                in = cs_area_shape_has(p, x, y);
                break;
            case CS_AREA_CITY_CENTRES:
                in = l->centre[c] != 0;
                break;
            }
            it->mask[c] = (uint8_t)in;
            n += in;
        }
    /* a circle or rectangle off the map, or over the sea, is a typing mistake (a policy that
     * would silently act nowhere) */
    if (n == 0 && (p->area_kind == CS_AREA_CIRCLE || p->area_kind == CS_AREA_RECT)) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "its area holds no land cell of the %d x %d grid (x 0 to %d, y 0 to %d, y = 0 in "
                 "the north)",
                 l->W, l->H, l->W - 1, l->H - 1);
        fail_config(p, msg);
    }
    it->cells = pcalloc((size_t)n, sizeof *it->cells);
    it->n_cells = 0;
    for (int32_t c = 0; c < l->ncell; c++)
        if (it->mask[c]) it->cells[it->n_cells++] = c;
}

/* Policies add up: a firm in two zones gets both. That is the model (docs/policies.md), but
 * two zones whose profit tax cuts, or rent reliefs, add to more than the whole tax or rent
 * (an enterprise zone inside an investment zone, each at 100%) pay firms more than they owe,
 * which a scenario's author rarely means: said for each such pair that shares cells, sectors
 * and steps. */
static void warn_stacked_zones(const cs_sim *sim, const char *path) {
    const cs_params *par = &sim->par;
    const int ncell = sim->land.W * sim->land.H;
    for (int a = 0; a < par->n_policies; a++)
        for (int b = a + 1; b < par->n_policies; b++) {
            const cs_policy *p = &par->policies[a], *r = &par->policies[b];
            int zp = p->type == CS_POL_TAX_ZONE || p->type == CS_POL_STARTUP_SPACE;
            int zr = r->type == CS_POL_TAX_ZONE || r->type == CS_POL_STARTUP_SPACE;
            if (!zp || !zr) continue;
            double tax = (p->type == CS_POL_TAX_ZONE ? p->profit_tax_cut : 0) +
                         (r->type == CS_POL_TAX_ZONE ? r->profit_tax_cut : 0);
            double rent = (p->type == CS_POL_TAX_ZONE ? p->rates_relief : p->rent_discount) +
                          (r->type == CS_POL_TAX_ZONE ? r->rates_relief : r->rent_discount);
            if (tax <= 1.0 && rent <= 1.0) continue;
            int first = p->start > r->start ? p->start : r->start;
            if (first < 1) first = 1;      /* start = 0 acts from the first step, step 1 */
            int last = sim->par.steps + 1; /* exclusive: steps run 1..steps */
            if (p->end >= 0 && p->end < last) last = p->end;
            if (r->end >= 0 && r->end < last) last = r->end;
            if (first >= last) continue;
            if (p->sector_mask && r->sector_mask && !(p->sector_mask & r->sector_mask)) continue;
            const uint8_t *ma = sim->pol->it[a].mask, *mb = sim->pol->it[b].mask;
            int32_t shared = 0;
            for (int32_t c = 0; c < ncell; c++) shared += ma[c] && mb[c];
            if (shared == 0) continue;
            fprintf(stderr,
                    "clustersim: warning: %s: policies.[%d] (%s) and policies.[%d] (%s) overlap "
                    "(%d cells, steps %d-%d): firms there get %.0f%% of their profit tax and "
                    "%.0f%% of their rent bill back, since policies add up\n",
                    path, a, p->name, b, r->name, (int)shared, first, last - 1, 100.0 * tax,
                    100.0 * rent);
        }
}

/* A set of policies (bit q: policies[q]) and the first step they act in together. */
typedef struct {
    uint64_t set;
    int first;
} policy_set;

static int policy_set_cmp(const void *a, const void *b) {
    const policy_set *x = a, *y = b;
    if (x->set != y->set) return x->set < y->set ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

/* Sorts v and keeps one entry a set, with its earliest step; returns the count. */
static size_t distinct_sets(policy_set *v, size_t n) {
    if (n == 0) return 0;
    qsort(v, n, sizeof *v, policy_set_cmp);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i].set != v[m - 1].set) v[m++] = v[i];
    return m;
}

/* The rates of a set of R&D credits added up, in policy order. */
static double rate_sum(const cs_params *par, uint64_t set) {
    double sum = 0.0;
    for (uint64_t m = set; m; m &= m - 1) sum += par->policies[__builtin_ctzll(m)].rate;
    return sum;
}

/* R&D credits add up to at most CREDIT_CAP on a firm (cs_policies_rd_credit): a set of credits
 * whose rates pass it in some step, sector and cell (a single rate of 0.95 included) pays less
 * than its rates say. Said once, for the set with the largest sum. Rather than every step,
 * sector and cell, it looks at the distinct sets of credits active together (by step and
 * sector) against the distinct sets whose areas hold a cell: both are few in any scenario a
 * person writes, and stop-go cycles of many credits make many of the first kind but not of
 * their sums past the cap. A grant winner's extra GRANT_RATE is not counted (docs/policies.md). */
static void warn_stacked_credits(const cs_sim *sim, const char *path) {
    const cs_params *par = &sim->par;
    const int np = par->n_policies < CS_MAX_POLICIES ? par->n_policies : CS_MAX_POLICIES;
    const int32_t ncell = sim->land.W * sim->land.H;
    uint64_t any = 0;
    for (int q = 0; q < np; q++)
        if (par->policies[q].type == CS_POL_RD_CREDIT && par->policies[q].rate > 0)
            any |= UINT64_C(1) << q;
    if (!any || par->steps < 1) return;
    const int S = sim->S < CS_MAX_SECTORS ? sim->S : CS_MAX_SECTORS;
    uint64_t sec[CS_MAX_SECTORS] = {0}; /* the credits a sector's firms are eligible for */
    for (int s = 0; s < S; s++)
        for (uint64_t m = any; m; m &= m - 1)
            if (sector_ok(&par->policies[__builtin_ctzll(m)], s))
                sec[s] |= UINT64_C(1) << __builtin_ctzll(m);
    /* the sets acting together in a step, by sector, each with its first step */
    policy_set *act = pcalloc((size_t)par->steps * (size_t)(S > 0 ? S : 1), sizeof *act);
    size_t na = 0;
    uint64_t prev = 0;
    for (int t = 1; t <= par->steps; t++) {
        uint64_t a = 0;
        for (uint64_t m = any; m; m &= m - 1)
            if (cs_policy_active(&par->policies[__builtin_ctzll(m)], t))
                a |= UINT64_C(1) << __builtin_ctzll(m);
        if (a == prev) continue; /* the same set as the step before: its first step is earlier */
        prev = a;
        for (int s = 0; s < S; s++)
            if (rate_sum(par, a & sec[s]) > CREDIT_CAP)
                act[na++] = (policy_set){.set = a & sec[s], .first = t};
    }
    na = distinct_sets(act, na);
    /* the sets of credits whose areas hold a cell */
    policy_set *cov = pcalloc((size_t)ncell, sizeof *cov);
    size_t nc = 0;
    for (int32_t c = 0; c < ncell && na; c++) {
        uint64_t v = 0;
        for (uint64_t m = any; m; m &= m - 1)
            if (sim->pol->it[__builtin_ctzll(m)].mask[c]) v |= UINT64_C(1) << __builtin_ctzll(m);
        if (v) cov[nc++] = (policy_set){.set = v, .first = 0};
    }
    nc = distinct_sets(cov, nc);
    double worst = CREDIT_CAP;
    uint64_t wset = 0;
    for (size_t k = 0; k < na; k++)
        for (size_t j = 0; j < nc; j++) {
            const uint64_t x = act[k].set & cov[j].set;
            const double sum = rate_sum(par, x);
            if (sum > worst) worst = sum, wset = x;
        }
    int wstep = INT_MAX; /* the first step all of them act in */
    for (size_t k = 0; k < na; k++)
        if ((act[k].set & wset) == wset && act[k].first < wstep) wstep = act[k].first;
    free(act);
    free(cov);
    if (!wset) return;
    int32_t wcells = 0; /* the cells where all of them apply */
    for (int32_t c = 0; c < ncell; c++) {
        int all = 1;
        for (uint64_t m = wset; m && all; m &= m - 1)
            all = sim->pol->it[__builtin_ctzll(m)].mask[c];
        wcells += all;
    }
    /* the first four named, then how many more: a list of 64 long names was cut mid-name */
    enum { NAMED = 4 };
    char names[8 * CS_NAME_LEN + 64];
    size_t len = 0;
    const int total = __builtin_popcountll(wset);
    int n = 0;
    for (uint64_t m = wset; m && n < NAMED; m &= m - 1, n++) {
        const int q = __builtin_ctzll(m);
        const char *sep = n == 0 ? "" : n + 1 == total ? " and " : ", ";
        len += (size_t)snprintf(names + len, sizeof names - len, "%spolicies.[%d] (%s)", sep, q,
                                par->policies[q].name);
        if (len >= sizeof names) len = sizeof names - 1;
    }
    if (total > NAMED) snprintf(names + len, sizeof names - len, " and %d more", total - NAMED);
    if (total == 1)
        fprintf(stderr,
                "clustersim: warning: %s: %s: R&D credit rate %g is above the cap of %g on a "
                "firm's credit: firms get %g\n",
                path, names, worst, CREDIT_CAP, CREDIT_CAP);
    else
        fprintf(stderr,
                "clustersim: warning: %s: %s: R&D credit rates add up to %g where they all "
                "apply (%d cells from step %d), but a firm's credit is capped at %g\n",
                path, names, worst, (int)wcells, wstep, CREDIT_CAP);
}

void cs_policies_warn_stacking(const cs_sim *sim, const char *path) {
    if (!sim->pol) return;
    warn_stacked_zones(sim, path);
    warn_stacked_credits(sim, path);
}

void cs_policies_init(cs_sim *sim) {
    const cs_params *par = &sim->par;
    struct cs_policy_state *st = pcalloc(1, sizeof *st);
    sim->pol = st;
    st->n = par->n_policies;
    const cs_landscape *l = &sim->land;
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &par->policies[q];
        pol_item *it = &st->it[q];
        if (p->type < 0 || p->type >= CS_POL_NTYPES) fail_config(p, "unknown policy type");
        st->n_type[p->type]++;
        st->n_zone += is_zone_type(p->type);
        it->factor = 1.0;
        it->link = -1;
        build_area(sim, q);
        switch (p->type) {
        case CS_POL_DENSITY_FUND:
            it->ring_n = p->lag + 1;
            it->ring = pcalloc((size_t)it->ring_n, sizeof *it->ring);
            break;
        case CS_POL_UNIVERSITY_FUNDING:
            /* an empty landscape has no universities: the policy then funds nothing */
            for (int k = 0; k < p->n_universities; k++)
                for (int u = 0; u < l->n_univ; u++)
                    if (strcmp(l->univ[u].name, p->universities[k]) == 0) {
                        it->univ[it->n_univ++] = u;
                        break;
                    }
            break;
        case CS_POL_TRANSPORT_LINK: {
            int ax = (int)floor(p->from_x), ay = (int)floor(p->from_y);
            int bx = (int)floor(p->to_x), by = (int)floor(p->to_y);
            if (ax < 0 || ay < 0 || ax >= l->W || ay >= l->H || bx < 0 || by < 0 || bx >= l->W ||
                by >= l->H) {
                char msg[200];
                snprintf(msg, sizeof msg, "link end (%g, %g) or (%g, %g) is off the %d x %d grid",
                         p->from_x, p->from_y, p->to_x, p->to_y, l->W, l->H);
                fail_config(p, msg);
            }
            if (sim->n_links >= CS_MAX_POLICIES) fail_config(p, "too many transport links");
            it->link = sim->n_links++;
            sim->links[it->link] = (cs_link){.ax = ax,
                                             .ay = ay,
                                             .bx = bx,
                                             .by = by,
                                             .radius = p->radius,
                                             .kappa = p->efficiency,
                                             .open = 0};
            break;
        }
        case CS_POL_FIRM_SUBSIDY: {
            it->cap_chosen = cs_firm_subsidy_firms(p, sim->scale);
            it->chosen = pcalloc((size_t)it->cap_chosen, sizeof *it->chosen);
            break;
        }
        case CS_POL_SKILLS_PROGRAMME: {
            int32_t h = (int32_t)ceil(p->max_workers * sim->scale) + 1;
            if (h > st->heap_cap) st->heap_cap = h;
            break;
        }
        default:
            break;
        }
    }
    if (st->heap_cap > 0) {
        st->heap = pcalloc((size_t)st->heap_cap, sizeof *st->heap);
        st->heap_threads = omp_get_max_threads();
        st->heaps = pcalloc((size_t)st->heap_threads * (size_t)st->heap_cap, sizeof *st->heaps);
        st->heaps_n = pcalloc((size_t)st->heap_threads, sizeof *st->heaps_n);
    }
    fit_firms(sim);
}

void cs_policies_free(cs_sim *sim) {
    struct cs_policy_state *st = sim->pol;
    if (!st) return;
    for (int q = 0; q < st->n; q++) {
        pol_item *it = &st->it[q];
        free(it->mask), free(it->cells), free(it->ring), free(it->chosen);
    }
    free(st->claim), free(st->grant), free(st->rd_left), free(st->rank), free(st->heap);
    free(st->heaps), free(st->heaps_n);
    free(st);
    sim->pol = NULL;
}

/* ---------- checkpoints ---------- */

int cs_policies_state(cs_sim *sim, cs_state_fn fn, void *ctx) {
    struct cs_policy_state *st = sim->pol;
    if (!st) return 0;
    /* active and announced are recomputed at the start of each step; masks, cells and
     * university lists are built from the config at init; claims, grants, ranks and the heap
     * are work space of one step */
    for (int q = 0; q < st->n; q++) {
        pol_item *it = &st->it[q];
        char name[64];
        int rc;
#define STATE(field, ptr, size, n)                                                                 \
    snprintf(name, sizeof name, "policy%d_" field, q);                                             \
    if ((rc = fn(ctx, name, size, ptr, n))) return rc;
        STATE("factor", &it->factor, sizeof it->factor, 1);
        STATE("carry", &it->carry, sizeof it->carry, 1);
        STATE("ring", it->ring, sizeof *it->ring, (size_t)it->ring_n);
        STATE("chosen", it->chosen, sizeof *it->chosen, (size_t)it->cap_chosen);
        STATE("n_chosen", &it->n_chosen, sizeof it->n_chosen, 1);
        STATE("chosen_done", &it->chosen_done, sizeof it->chosen_done, 1);
#undef STATE
    }
    return 0;
}

/* ---------- start of a step ---------- */

/* The count (scaled) largest or most productive eligible firms, remembered by id. */
static void choose_firms(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    const cs_firms *F = &sim->firms;
    pol_item *it = &sim->pol->it[q];
    rank_t *r = sim->pol->rank;
    int32_t n = 0;
    for (int32_t i = 0; i < F->n; i++) {
        if (!F->alive[i] || !sector_ok(p, F->sector[i]) || !it->mask[F->cell[i]]) continue;
        r[n++] = (rank_t){
            .key = p->by_productivity ? F->A[i] : (double)F->n_emp[i], .id = F->id[i], .i = i};
    }
    qsort(r, (size_t)n, sizeof *r, rank_cmp);
    it->n_chosen = n < it->cap_chosen ? n : it->cap_chosen;
    for (int32_t k = 0; k < it->n_chosen; k++) it->chosen[k] = r[k].id;
    qsort(it->chosen, (size_t)it->n_chosen, sizeof *it->chosen, id_cmp);
    it->chosen_done = 1;
}

static void density_fund_step(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    pol_item *it = &sim->pol->it[q];
    cs_landscape *l = &sim->land;
    double spend = 0;
    if (it->active) {
        double want = p->spend * sim->scale;
        spend = want * prorata(want, p->budget * sim->scale);
        book(sim, q, spend);
    }
    it->ring[sim->step % it->ring_n] = spend;
    /* what was spent lag steps ago is built now (lag 0: this step) */
    int from = sim->step - p->lag; /* steps start at 1: nothing was spent before */
    double built = from >= 1 ? it->ring[from % it->ring_n] : 0.0;
    if (built <= 0 || it->n_cells == 0) return;
    double full = built / sim->scale / it->n_cells; /* full-scale pounds per cell */
    for (int32_t k = 0; k < it->n_cells; k++) {
        int32_t c = it->cells[k];
        l->K[c] += full * p->capacity_per_pound;
        l->amenity[c] += full * p->amenity_per_pound;
        double r = l->reach[c] + full * p->access_per_pound;
        l->reach[c] = r < REACH_CAP ? r : REACH_CAP;
    }
}

/* Before a capped zone policy first pays, the factor firms expect: its budget over what today's
 * eligible firms would claim (at most 1). The budget is public, so firms do not count on the
 * nominal rate only to learn at the first payment that claims were many times the budget.
 * Summed serially in firm order (the same bits for any thread count). */
static void expected_factor(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    const cs_firms *F = &sim->firms;
    double total = 0;
    for (int32_t i = 0; i < F->n; i++) {
        const int32_t c = F->cell[i];
        if (F->alive[i] && zone_eligible(sim, q, i, c)) total += zone_support(sim, q, i, c);
    }
    const double cap = p->budget * sim->scale;
    sim->pol->it[q].factor = total > cap ? cap / total : 1.0;
}

void cs_policies_begin_step(cs_sim *sim) {
    struct cs_policy_state *st = sim->pol;
    if (!st || st->n == 0) return;
    const cs_params *par = &sim->par;
    const int step = sim->step, tp = par->firms.t_plan;
    fit_firms(sim);
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &par->policies[q];
        pol_item *it = &st->it[q];
        it->active = cs_policy_active(p, step);
        it->announced = cs_policy_announced(p, step, tp);
        /* not paid yet: an announced policy pays at its start (a stop-go cycle begins "on"),
         * in phase 4, so before that step's phase 4 nothing has been paid */
        if (is_zone_type(p->type) && p->budget > 0 && it->announced && step <= first_pay(p))
            expected_factor(sim, q);
    }
    if (st->n_type[CS_POL_UNIVERSITY_FUNDING])
        for (int u = 0; u < sim->land.n_univ; u++) {
            cs_university *un = &sim->land.univ[u];
            un->funding = un->spinout_support = un->k_uplift = 0;
        }
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &par->policies[q];
        pol_item *it = &st->it[q];
        switch (p->type) {
        case CS_POL_DENSITY_FUND:
            density_fund_step(sim, q);
            break;
        case CS_POL_UNIVERSITY_FUNDING: {
            if (!it->active || it->n_univ == 0) break;
            double want = p->amount * it->n_univ; /* full scale */
            double fac = prorata(want, p->budget);
            for (int k = 0; k < it->n_univ; k++) {
                cs_university *un = &sim->land.univ[it->univ[k]];
                un->funding += p->amount * fac;
                un->k_uplift += p->knowledge_transfer;
                un->spinout_support += p->spinout_support;
            }
            it->factor = fac;
            book(sim, q, want * fac * sim->scale);
            break;
        }
        case CS_POL_TRANSPORT_LINK: {
            /* stop-go does not apply to a link: once built it stays open (MODEL.md section 3);
             * a project whose funding ends before it is finished is never opened. A budget
             * below the cost pays a share f of each step's work, so the link takes
             * build_steps / f steps (the same money in all); a constant share, so the step it
             * opens follows from the parameters and needs no state */
            const double want = p->cost * sim->scale;
            const double f = prorata(want, p->budget * sim->scale);
            const int built_at = cs_link_opens(p, sim->scale);
            int open = step >= built_at && (p->end < 0 || built_at < p->end);
            sim->links[it->link].open = open;
            if (step >= p->start && step < built_at && (p->end < 0 || step < p->end))
                book(sim, q, want * f);
            break;
        }
        case CS_POL_FIRM_SUBSIDY:
            if (!it->chosen_done && step >= p->start && (p->end < 0 || step < p->end))
                choose_firms(sim, q);
            break;
        default:
            break;
        }
    }
}

/* ---------- phase 2: R&D credits and grants ---------- */

static int rd_eligible(const cs_sim *sim, const cs_policy *p, int q, int32_t i) {
    const cs_firms *F = &sim->firms;
    if (!sector_ok(p, F->sector[i]) || !sim->pol->it[q].mask[F->cell[i]]) return 0;
    return !p->sme_only || F->n_emp[i] < p->sme_size;
}

/* Competitive grants: the eligible firms with the highest expected return of R&D (expected
 * output gain of an innovation, delta x Y x innovation probability, at last step's output) win
 * a grant of GRANT_RATE of their R&D until the grant budget is committed. */
static void award_grants(cs_sim *sim, int q) {
    const cs_params *par = &sim->par;
    const cs_policy *p = &par->policies[q];
    cs_firms *F = &sim->firms;
    struct cs_policy_state *st = sim->pol;
    rank_t *r = st->rank;
    const int32_t nc = sim->land.ncell;
    int32_t n = 0;
    for (int32_t i = 0; i < F->n; i++) {
        if (st->grant[i] || F->Y[i] <= 0 || !rd_eligible(sim, p, q, i)) continue;
        int s = F->sector[i];
        int64_t sc = (int64_t)s * nc + F->cell[i];
        double hazard = par->innovation.theta * par->sectors.rd_intensity[s] *
                        (1.0 + par->innovation.mu_k * cs_log1p(sim->f.L_s[sc] / par->land.l0) +
                         par->innovation.mu_u * sim->f.U_s[sc]);
        double key = par->innovation.delta * F->Y[i] * (1.0 - cs_exp(-hazard));
        r[n++] = (rank_t){.key = key, .id = F->id[i], .i = i};
    }
    qsort(r, (size_t)n, sizeof *r, rank_cmp);
    /* grants commit at most what the policy may pay: its budget, if lower, caps them too */
    double left =
        (p->budget > 0 && p->budget < p->grant_budget ? p->budget : p->grant_budget) * sim->scale;
    for (int32_t k = 0; k < n && left > 0; k++) {
        int32_t i = r[k].i;
        double c = F->credit[i] + GRANT_RATE;
        if (c > CREDIT_CAP) c = CREDIT_CAP;
        double rho =
            par->sectors.rd_intensity[F->sector[i]] * cs_pow(1.0 - c, -par->innovation.eps_rd);
        if (rho > par->innovation.rd_cap) rho = par->innovation.rd_cap;
        double cost = GRANT_RATE * rho * F->Y[i];
        if (cost > left) continue; /* too big for what is left: the next may fit */
        left -= cost;
        st->grant[i] = (uint8_t)(q + 1);
        F->credit[i] = c;
    }
}

/* Before a capped credit first pays (phase 4 of its start step), the factor firms expect: what
 * the budget leaves after the grants (paid first, and taken as fully committed) over what
 * today's eligible firms would claim at the nominal rate, with last step's output (at most 1).
 * As for zones (expected_factor): the budget is public, so firms do not count on the full rate
 * for a step only to be paid a fraction. Serial in firm order. */
static double rd_expected_factor(const cs_sim *sim, int q) {
    const cs_params *par = &sim->par;
    const cs_policy *p = &par->policies[q];
    const cs_firms *F = &sim->firms;
    const double cap = p->budget * sim->scale;
    const double grants = p->grant_budget > 0 ? fmin(cap, p->grant_budget * sim->scale) : 0.0;
    const double room = cap - grants, c = p->rate < CREDIT_CAP ? p->rate : CREDIT_CAP;
    if (room <= 0) return 0.0;
    double claims = 0;
    for (int32_t i = 0; i < F->n; i++) {
        if (!F->alive[i] || !rd_eligible(sim, p, q, i)) continue;
        double rho =
            par->sectors.rd_intensity[F->sector[i]] * cs_pow(1.0 - c, -par->innovation.eps_rd);
        /* at the rate phase 4 would pay after the policies before it (F->credit so far) */
        claims += rd_rate(p->rate, CREDIT_CAP - F->credit[i]) *
                  (rho < par->innovation.rd_cap ? rho : par->innovation.rd_cap) * F->Y[i];
    }
    return claims > room ? room / claims : 1.0;
}

void cs_policies_rd_credit(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    struct cs_policy_state *st = sim->pol;
    const int32_t n = F->n;
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < n; i++) F->credit[i] = 0;
    if (!st || !st->n_type[CS_POL_RD_CREDIT]) return;
    fit_firms(sim);
    memset(st->grant, 0, (size_t)n);
    int any_grant = 0;
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &sim->par.policies[q];
        if (p->type != CS_POL_RD_CREDIT || !st->it[q].active) continue;
        any_grant |= p->grant_budget > 0;
        if (p->budget > 0 && sim->step <= first_pay(p))
            st->it[q].factor = rd_expected_factor(sim, q);
        /* the rate firms can count on: under a budget the refund is paid pro rata, so they
         * expect the last factor paid (1 while claims fit), or before the first payment the
         * factor today's claims would get, as zone policies do in phase 7; and, as phase 4
         * pays, a rate cut to what the policies before it leave of the cap */
        const double factor = st->it[q].factor;
#pragma omp parallel for schedule(guided)
        for (int32_t i = 0; i < n; i++)
            if (rd_eligible(sim, p, q, i)) {
                double c = F->credit[i] + rd_rate(p->rate, CREDIT_CAP - F->credit[i]) * factor;
                F->credit[i] = c < CREDIT_CAP ? c : CREDIT_CAP;
            }
    }
    if (!any_grant) return;
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &sim->par.policies[q];
        if (p->type == CS_POL_RD_CREDIT && st->it[q].active && p->grant_budget > 0)
            award_grants(sim, q);
    }
}

/* ---------- phase 4: payments to firms ---------- */

/* Pays claim[0..n) pro rata within cap (simulated units, 0 = uncapped) into firms.pay; returns
 * the amount booked. */
static double pay_claims(cs_sim *sim, double cap, double *factor_out) {
    cs_firms *F = &sim->firms;
    double *claim = sim->pol->claim;
    const int32_t n = F->n;
    double total = cs_sum_fixed(claim, n);
    double fac = prorata(total, cap);
    if (factor_out) *factor_out = fac;
    if (total <= 0) return 0;
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < n; i++) F->pay[i] += claim[i] * fac;
    return fac < 1.0 ? cap : total;
}

static void pay_zone(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    cs_firms *F = &sim->firms;
    double *claim = sim->pol->claim;
    const int32_t n = F->n;
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < n; i++) {
        int32_t c = F->cell[i];
        claim[i] = F->alive[i] && zone_eligible(sim, q, i, c) ? zone_support(sim, q, i, c) : 0.0;
    }
    book(sim, q, pay_claims(sim, p->budget * sim->scale, &sim->pol->it[q].factor));
}

/* Takes from each firm's rd_left what it was just paid: its claim (made at rd_rate(rate, left))
 * times the pro-rata factor fac, as a share of its R&D. Firms without a claim keep theirs. */
static void rd_spent(cs_sim *sim, double rate, double fac) {
    const cs_firms *F = &sim->firms;
    struct cs_policy_state *st = sim->pol;
    const double *claim = st->claim;
    double *left = st->rd_left;
    const int32_t n = F->n;
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < n; i++)
        if (claim[i] > 0) left[i] -= rd_rate(rate, left[i]) * fac;
}

/* Grants first, then the credit's refunds, each pro rata within its budget. What one firm is
 * refunded by all R&D policies together stays within CREDIT_CAP of its R&D, the cap phase 2
 * puts on its credit: rates that add up to more (stacked credits, or a credit of 0.4 or more
 * beside a grant) would otherwise pay a firm more than its R&D cost. */
static void pay_rd(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    cs_firms *F = &sim->firms;
    struct cs_policy_state *st = sim->pol;
    double *claim = st->claim;
    const double *left = st->rd_left;
    const int32_t n = F->n;
    const double cap = p->budget * sim->scale;
    double booked = 0, fac = 1.0;
    if (p->grant_budget > 0) {
        /* grants first, within the grant budget and the policy's budget */
#pragma omp parallel for schedule(guided)
        for (int32_t i = 0; i < n; i++)
            claim[i] =
                st->grant[i] == q + 1 ? rd_rate(GRANT_RATE, left[i]) * F->rho[i] * F->Y[i] : 0.0;
        double gcap = p->grant_budget * sim->scale;
        if (cap > 0 && cap < gcap) gcap = cap;
        booked = pay_claims(sim, gcap, &fac);
        rd_spent(sim, GRANT_RATE, fac);
    }
#pragma omp parallel for schedule(guided)
    for (int32_t i = 0; i < n; i++)
        claim[i] =
            rd_eligible(sim, p, q, i) ? rd_rate(p->rate, left[i]) * F->rho[i] * F->Y[i] : 0.0;
    double rest = cap > 0 ? cap - booked : 0.0;
    if (cap > 0 && rest <= 0) {
        st->it[q].factor = 0;
    } else {
        booked += pay_claims(sim, rest, &st->it[q].factor);
        rd_spent(sim, p->rate, st->it[q].factor);
    }
    book(sim, q, booked);
}

static void pay_chosen(cs_sim *sim, int q) {
    const cs_policy *p = &sim->par.policies[q];
    cs_firms *F = &sim->firms;
    pol_item *it = &sim->pol->it[q];
    int32_t found = 0;
    for (int32_t k = 0; k < it->n_chosen; k++) found += find_firm(F, it->chosen[k]) >= 0;
    double want = p->amount * found;
    double fac = prorata(want, p->budget * sim->scale);
    for (int32_t k = 0; k < it->n_chosen; k++) {
        int32_t i = find_firm(F, it->chosen[k]);
        if (i < 0) continue;
        F->pay[i] += p->amount * fac;
        F->kept[i] = 1; /* a soft budget constraint: it does not exit while paid */
    }
    it->factor = fac;
    if (found) book(sim, q, fac < 1.0 ? p->budget * sim->scale : want);
}

void cs_policies_firm_support(cs_sim *sim) {
    struct cs_policy_state *st = sim->pol;
    if (!st || st->n == 0) return;
    fit_firms(sim);
    if (st->n_type[CS_POL_RD_CREDIT]) {
        double *left = st->rd_left;
        const int32_t n = sim->firms.n;
#pragma omp parallel for schedule(guided)
        for (int32_t i = 0; i < n; i++) left[i] = CREDIT_CAP;
    }
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &sim->par.policies[q];
        if (!st->it[q].active) continue;
        switch (p->type) {
        case CS_POL_LOCATION_SUBSIDY:
        case CS_POL_TAX_ZONE:
        case CS_POL_STARTUP_SPACE:
            pay_zone(sim, q);
            break;
        case CS_POL_RD_CREDIT:
            pay_rd(sim, q);
            break;
        case CS_POL_FIRM_SUBSIDY:
            pay_chosen(sim, q);
            break;
        default:
            break;
        }
    }
}

/* ---------- phase 7: what firms expect ---------- */

double cs_policies_location_value(const cs_sim *sim, int32_t i, int32_t c) {
    const struct cs_policy_state *st = sim->pol;
    if (!st || st->n_zone == 0) return 0;
    const cs_firms *F = &sim->firms;
    const int tp = sim->par.firms.t_plan, step = sim->step;
    double v = 0;
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &sim->par.policies[q];
        const pol_item *it = &st->it[q];
        if (!is_zone_type(p->type) || !it->announced || !zone_eligible(sim, q, i, c)) continue;
        /* support from the next step over the planning horizon, counting only the steps it
         * will pay (its end, stop-go windows and, for startup space, the firm's youth) */
        int to = step + 1 + tp;
        if (p->type == CS_POL_STARTUP_SPACE && F->birth[i] + p->max_age < to)
            to = F->birth[i] + p->max_age;
        int paid = paying_steps(p, step + 1, to);
        if (paid <= 0) continue;
        v += zone_support(sim, q, i, c) * it->factor * p->credibility * paid / tp;
    }
    return v;
}

int cs_policies_have_zones(const cs_sim *sim) {
    return sim->pol && sim->pol->n_zone > 0;
}

double cs_policies_entry_value(const cs_sim *sim, int32_t c, int s) {
    if (!cs_policies_have_zones(sim)) return 0;
    const struct cs_policy_state *st = sim->pol;
    const int tp = sim->par.firms.t_plan, step = sim->step;
    const double rent = sim->f.rent[c] * sim->par.firms.phi_space; /* per head per step */
    double v = 0;
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &sim->par.policies[q];
        const pol_item *it = &st->it[q];
        if (!is_zone_type(p->type) || !it->announced || !it->mask[c] || !sector_ok(p, s)) continue;
        /* a firm founded now: new_entrants_only pays it only once the policy has started */
        if (p->type == CS_POL_LOCATION_SUBSIDY && p->new_entrants_only && step < p->start) continue;
        int to = step + 1 + tp;
        if (p->type == CS_POL_STARTUP_SPACE && step + p->max_age < to) to = step + p->max_age;
        int paid = paying_steps(p, step + 1, to);
        if (paid <= 0) continue;
        /* per job; a newborn has no profit yet, so a tax zone offers its rates relief only */
        double per_job = p->type == CS_POL_LOCATION_SUBSIDY ? p->per_worker
                         : p->type == CS_POL_TAX_ZONE       ? p->rates_relief * rent
                                                            : p->rent_discount * rent;
        v += per_job * it->factor * p->credibility * paid / tp;
    }
    return v;
}

int cs_policies_zone_cells(const cs_sim *sim, int32_t i, int32_t *cells, int max) {
    const struct cs_policy_state *st = sim->pol;
    if (!st || st->n_zone == 0 || max <= 0) return 0;
    const cs_firms *F = &sim->firms;
    int n = 0, seeded = 0;
    cs_pcg32 rng = {0, 1}; /* seeded below before its first draw */
    for (int q = 0; q < st->n && n < max; q++) {
        const cs_policy *p = &sim->par.policies[q];
        const pol_item *it = &st->it[q];
        if (!is_zone_type(p->type) || !it->announced || it->n_cells == 0) continue;
        if (p->area_kind == CS_AREA_EVERYWHERE) continue; /* no place is special */
        if (!sector_ok(p, F->sector[i])) continue;
        if (p->type == CS_POL_LOCATION_SUBSIDY && p->new_entrants_only && F->birth[i] < p->start)
            continue;
        if (p->type == CS_POL_STARTUP_SPACE && sim->step - F->birth[i] >= p->max_age) continue;
        if (!seeded) {
            cs_rng_stream(&rng, (uint64_t)sim->par.seed, (uint32_t)sim->step, CS_PH_POLICY,
                          (uint64_t)F->id[i]);
            seeded = 1;
        }
        cells[n++] = it->cells[cs_pcg32_bounded(&rng, (uint32_t)it->n_cells)];
    }
    return n;
}

/* ---------- phase 10: skills programmes ---------- */

/* Max-heap on (skill, worker index): the root is the most skilled of those kept. */
static inline int heap_above(const float *h, int32_t a, int32_t b) {
    return h[a] > h[b] || (h[a] == h[b] && a > b);
}

static void heap_down(int32_t *hp, int32_t n, const float *h, int32_t k) {
    for (;;) {
        int32_t l = 2 * k + 1, r = l + 1, m = k;
        if (l < n && heap_above(h, hp[l], hp[m])) m = l;
        if (r < n && heap_above(h, hp[r], hp[m])) m = r;
        if (m == k) return;
        int32_t t = hp[k];
        hp[k] = hp[m], hp[m] = t;
        k = m;
    }
}

static void heap_up(int32_t *hp, const float *h, int32_t k) {
    while (k > 0) {
        int32_t up = (k - 1) / 2;
        if (!heap_above(h, hp[k], hp[up])) return;
        int32_t t = hp[k];
        hp[k] = hp[up], hp[up] = t;
        k = up;
    }
}

/* Offers worker j to the heap hp of *n (at most quota): it keeps the quota least skilled
 * offered, ties by worker index. */
static inline void heap_offer(int32_t *hp, int32_t *n, int32_t quota, const float *h, int32_t j) {
    if (*n < quota) {
        hp[*n] = j;
        heap_up(hp, h, *n);
        (*n)++;
    } else if (heap_above(h, hp[0], j)) {
        hp[0] = j;
        heap_down(hp, *n, h, 0);
    }
}

void cs_policies_skills(cs_sim *sim) {
    struct cs_policy_state *st = sim->pol;
    if (!st || !st->n_type[CS_POL_SKILLS_PROGRAMME]) return;
    cs_workers *Wk = &sim->workers;
    for (int q = 0; q < st->n; q++) {
        const cs_policy *p = &sim->par.policies[q];
        pol_item *it = &st->it[q];
        if (p->type != CS_POL_SKILLS_PROGRAMME || !it->active) continue;
        /* trainees this step: max_workers x scale, the fraction carried over so that a small
         * sample trains the right number on average */
        it->carry += p->max_workers * sim->scale;
        int32_t quota = (int32_t)floor(it->carry);
        it->carry -= quota;
        if (quota > st->heap_cap) quota = st->heap_cap;
        /* a budget is a hard cap on the count (no carry: never spend above it) */
        const double most = cs_skills_budget_trainees(p, sim->scale);
        if (most >= 0 && most < quota) quota = (int32_t)most;
        if (quota <= 0) continue;
        /* the least skilled residents of the area, ties by worker index: each thread keeps
         * its share's quota least skilled, and those are merged; (skill, index) orders the
         * workers strictly, so the trainees are the same for any thread count */
        const int nt = Wk->n >= CS_PAR_MIN
                           ? (st->heap_threads < omp_get_max_threads() ? st->heap_threads
                                                                       : omp_get_max_threads())
                           : 1;
        memset(st->heaps_n, 0, (size_t)st->heap_threads * sizeof *st->heaps_n);
#pragma omp parallel num_threads(nt)
        {
            const int t = omp_get_thread_num(), T = omp_get_num_threads();
            int32_t *hp = st->heaps + (size_t)t * (size_t)st->heap_cap, c = 0;
            const int32_t j0 = (int32_t)((int64_t)Wk->n * t / T),
                          j1 = (int32_t)((int64_t)Wk->n * (t + 1) / T);
            for (int32_t j = j0; j < j1; j++)
                if (it->mask[Wk->home[j]] && Wk->skill[j] < 1.0f)
                    heap_offer(hp, &c, quota, Wk->skill, j);
            st->heaps_n[t] = c;
        }
        int32_t n = 0;
        for (int t = 0; t < nt; t++)
            for (int32_t k = 0; k < st->heaps_n[t]; k++)
                heap_offer(st->heap, &n, quota, Wk->skill,
                           st->heaps[(size_t)t * (size_t)st->heap_cap + (size_t)k]);
        for (int32_t k = 0; k < n; k++) {
            int32_t j = st->heap[k];
            double h = Wk->skill[j] + p->skill_gain;
            Wk->skill[j] = (float)(h > 1.0 ? 1.0 : h);
        }
        if (n) book(sim, q, p->cost * n);
    }
}
