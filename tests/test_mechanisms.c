/* test_mechanisms.c: one mechanism of MODEL.md section 4 at a time, against known answers.
 *
 * Each test starts a small real simulation (cs_params_defaults on a 40 x 64 UK grid at a tiny
 * scale), then overwrites the firms, workers and fields it needs by hand and calls one phase:
 *   1. production and labour demand: hand-computed numbers (printed by a few lines of Python
 *      from the formulas of MODEL.md, 17 significant digits);
 *   2. residential logit choice: frequencies over 10^5 draws against the exact choice
 *      probabilities, enumerated over every possible candidate set;
 *   3. matching: most-skilled-first against the applicant sets reconstructed from a run with
 *      unlimited posts; posts never exceeded; rounds; ties; seeds; thread counts;
 *   4. Poisson startups: mean and variance of the count per step over many steps;
 *   5. exit and compaction; 6. skills. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clustersim.h"
#include "config.h"
#include "counting.h"
#include "fields.h"
#include "internal.h"
#include "landscape.h"
#include "metrics.h"
#include "uk_data.h"

/* cs_counting_sort_for (the worker index of a few firms) against the full cs_counting_sort:
 * every wanted key's slice is the same items in the same order, unwanted keys are empty, on
 * 1, 2 and 3 threads, with unsorted items (key -1) mixed in and chunks that split unevenly. */
static void test_counting_sort_subset(void) {
    enum { N = 100003, NKEY = 5003 };
    int32_t *key = malloc(N * sizeof *key), *want = malloc(NKEY * sizeof *want);
    int32_t *s_all = malloc((NKEY + 1) * sizeof *s_all), *o_all = malloc(N * sizeof *o_all);
    int32_t *s_sub = malloc((NKEY + 1) * sizeof *s_sub), *o_sub = malloc(N * sizeof *o_sub);
    int32_t *tmp = malloc(N * sizeof *tmp);
    cs_pcg32 rng;
    cs_rng_stream(&rng, 11u, 0u, CS_PH_TEST, 0u);
    for (int j = 0; j < N; j++) key[j] = (int32_t)cs_pcg32_bounded(&rng, NKEY + 1) - 1;
    for (int k = 0; k < NKEY; k++) want[k] = cs_pcg32_bounded(&rng, 10) == 0;
    int saved = omp_get_max_threads();
    cs_buffers work = {0}; /* the sorts' work space */
    for (int t = 1; t <= 3; t++) {
        omp_set_num_threads(t);
        cs_counting_sort(&work, key, N, NKEY, s_all, o_all, NULL);
        /* gathering the sorted items first (tmp) gives the same slices */
        cs_counting_sort_for(&work, key, N, NKEY, want, s_sub, o_sub, t == 2 ? NULL : tmp);
        int bad = 0, listed = 0;
        for (int k = 0; k < NKEY; k++) {
            int32_t n_all = s_all[k + 1] - s_all[k], n_sub = s_sub[k + 1] - s_sub[k];
            if (!want[k]) {
                bad += n_sub != 0;
                continue;
            }
            bad += n_sub != n_all;
            for (int32_t m = 0; m < n_sub && m < n_all; m++)
                bad += o_sub[s_sub[k] + m] != o_all[s_all[k] + m];
            listed += n_sub;
        }
        CHECK(bad == 0);
        CHECK(listed == s_sub[NKEY] && listed > 0);
    }
    omp_set_num_threads(saved);
    free(work.chunk_cnt);
    free(key), free(want), free(s_all), free(o_all), free(s_sub), free(o_sub), free(tmp);
}

/* cs_counting_offsets with as many keys as a large run has firms (its parallel ranges) against
 * a plain running sum: each key's start, and each chunk's cursor within the key (earlier chunks
 * first), for 2 and 3 chunks on 1, 2 and 3 threads, with keys that split unevenly. */
static void test_counting_offsets_ranges(void) {
    enum { NKEY = 100003 };
    int32_t *cnt = malloc(3 * NKEY * sizeof *cnt), *orig = malloc(3 * NKEY * sizeof *orig);
    int32_t *start = malloc((NKEY + 1) * sizeof *start);
    cs_pcg32 rng;
    cs_rng_stream(&rng, 12u, 0u, CS_PH_TEST, 0u);
    for (int i = 0; i < 3 * NKEY; i++) orig[i] = (int32_t)cs_pcg32_bounded(&rng, 5);
    int saved = omp_get_max_threads();
    for (int nch = 2; nch <= 3; nch++)
        for (int t = 1; t <= 3; t++) {
            omp_set_num_threads(t);
            memcpy(cnt, orig, (size_t)nch * NKEY * sizeof *cnt);
            cs_counting_offsets(cnt, nch, NKEY, start);
            int bad = 0;
            int32_t acc = 0;
            for (int i = 0; i < NKEY; i++) {
                bad += start[i] != acc;
                for (int k = 0; k < nch; k++) {
                    bad += cnt[k * NKEY + i] != acc;
                    acc += orig[k * NKEY + i];
                }
            }
            CHECK(bad == 0);
            CHECK(start[NKEY] == acc && acc > 0);
        }
    omp_set_num_threads(saved);
    free(cnt), free(orig), free(start);
}

/* cs_cell_row and cs_dist (multiply-shift instead of dividing by W) against division, on every
 * cell of grids of the schema's smallest, largest and some odd widths. */
/* cs_hazard_hit's shortcut gives the full expression's answer: uniforms around the bound and
 * around 1 - exp(-h) itself, for hazards from 0 to past the shortcut's range. */
static void test_hazard_hit(void) {
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 11, 5);
    long mismatches = 0, shortcut = 0, n = 0;
    for (int k = 0; k < 2000000; k++) {
        const double h = k % 7 == 0 ? 0.0
                                    : (k % 5 == 0 ? 0.6 * cs_pcg32_uniform(&rng)
                                                  : 0.05 * cs_pcg32_uniform(&rng));
        const double edge = 1.0 - cs_exp(-h);
        double u;
        switch (k % 4) {
        case 0:
            u = cs_pcg32_uniform(&rng);
            break;
        case 1:
            u = nextafter(edge, (k & 8) ? 0.0 : 1.0);
            break; /* one step either side */
        case 2:
            u = edge;
            break;
        default:
            u = h + 1e-15 * cs_pcg32_uniform(&rng) * 2.0; /* around the bound */
        }
        n++;
        shortcut += h < 0.5 && u >= h + 1e-15;
        mismatches += cs_hazard_hit(u, h) != (u < 1.0 - cs_exp(-h));
    }
    CHECK_MSG(mismatches == 0, "%ld of %ld differ", mismatches, n);
    CHECK(shortcut > n / 4); /* the shortcut is taken, so the comparison above tests it */
}

/* cs_cdf_pick gives a bisection's index (the first entry above the target, else the last) for
 * cumulative sums with flat runs (cells without weight), every length from 1 to 70 and targets
 * at, between and beyond the entries. */
static int32_t cdf_pick_bisect(const double *cdf, int32_t n, double u) {
    const double t = u * cdf[n - 1];
    int32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        const int32_t mid = lo + (hi - lo) / 2;
        if (cdf[mid] > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void test_cdf_pick(void) {
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 3, 9);
    double cdf[70];
    long bad = 0, n_cases = 0;
    for (int n = 1; n <= 70; n++)
        for (int rep = 0; rep < 200; rep++) {
            double acc = 0;
            for (int k = 0; k < n; k++)
                cdf[k] = (acc += cs_pcg32_uniform(&rng) < 0.4 ? 0.0 : (double)(rep % 3 + 1));
            if (!(cdf[n - 1] > 0)) cdf[n - 1] = acc = 1.0;
            for (int q = 0; q < 8; q++) {
                const int32_t at = (int32_t)cs_pcg32_bounded(&rng, (uint32_t)n);
                const double u = q == 0   ? 0.0
                                 : q == 1 ? 1.0
                                 : q < 4  ? cdf[at] / acc
                                          : cs_pcg32_uniform(&rng);
                bad += cs_cdf_pick(cdf, n, u) != cdf_pick_bisect(cdf, n, u);
                n_cases++;
            }
        }
    CHECK_MSG(bad == 0, "%ld of %ld picks differ", bad, n_cases);
}

/* cs_pack8 packs every pattern of eight 0/1 bytes into its bits, at any alignment. */
static void test_pack8(void) {
    uint8_t buf[9];
    int bad = 0;
    for (int off = 0; off < 2; off++)
        for (int v = 0; v < 256; v++) {
            for (int k = 0; k < 8; k++) buf[off + k] = (uint8_t)((v >> k) & 1);
            bad += cs_pack8(buf + off) != (uint64_t)v;
        }
    CHECK_MSG(bad == 0, "%d of 512 patterns packed wrongly", bad);
}

static void test_cell_row_and_dist(void) {
    const int widths[] = {20, 21, 37, 100, 101, 163, 999, 2000};
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        cs_landscape l = {0};
        cs_landscape_set_width(&l, widths[k]);
        l.H = 2000;
        int bad = 0;
        for (int32_t c = 0; c < widths[k] * l.H; c++) bad += cs_cell_row(&l, c) != c / l.W;
        CHECK(bad == 0);
        for (int32_t a = 0, b = widths[k] * l.H - 1; a < b; a += 997, b -= 1009) {
            double dx = (double)(a % l.W - b % l.W), dy = (double)(a / l.W - b / l.W);
            CHECK(cs_dist(&l, a, b) == sqrt(dx * dx + dy * dy));
        }
    }
}

/* cs_reach_d2max(R) is the squared-distance bound of "distance <= R" as cs_commutable measures
 * it (sqrt of an exact integer against R): for radii of every kind, whole, halves, irrational
 * and just below or above a whole root, sqrt(d2max) <= R < sqrt(d2max + 1); -1 below 0. */
static void test_reach_d2max(void) {
    int bad = 0;
    for (int k = 0; k <= 4000; k++) {
        double rs[4] = {k / 100.0, sqrt((double)k), nextafter(sqrt((double)k), 0.0),
                        nextafter(sqrt((double)k), 1e9)};
        for (int q = 0; q < 4; q++) {
            const int32_t d = cs_reach_d2max(rs[q]);
            bad += !(d >= 0 && sqrt((double)d) <= rs[q] && sqrt((double)d + 1.0) > rs[q]);
        }
    }
    CHECK_MSG(bad == 0, "%d radii with a wrong bound", bad);
    CHECK(cs_reach_d2max(-0.5) == -1);
    CHECK(cs_reach_d2max(NAN) == -1);
}

static cs_sim *tiny_sim(int64_t seed, double scale, int rounds) {
    cs_params *p = malloc(sizeof *p);
    cs_params_defaults(p);
    p->scale = scale;
    p->grid.width = 40, p->grid.height = 64;
    p->seed = seed;
    p->labour.rounds = rounds;
    cs_sim *sim = calloc(1, sizeof *sim);
    CHECK(cs_sim_init(sim, p) == 0);
    free(p);
    return sim;
}

static void free_sim(cs_sim *sim) {
    cs_sim_free(sim);
    free(sim);
}

/* The start's capacities (population.c): jobs and homes by cell with headroom, each the sum
 * of 1 / scale over the cell's initial jobs or residents in worker order, as one serial pass
 * adds them. Two threads and more workers than CS_PAR_MIN, so that the start counts them in
 * parallel; at a scale whose 1 / scale is whole (500: products) and one where it is not
 * (term by term). */
static void test_start_capacities(void) {
    const int t = omp_get_max_threads();
    omp_set_num_threads(2);
    const double scales[2] = {0.002, 0.0015};
    for (int k = 0; k < 2; k++) {
        cs_sim *sim = tiny_sim(7, scales[k], 1);
        const cs_landscape *l = &sim->land;
        const cs_workers *Wk = &sim->workers;
        const cs_params *p = &sim->par;
        CHECK(Wk->n >= CS_PAR_MIN);
        double *jobs = calloc((size_t)l->ncell, sizeof *jobs),
               *res = calloc((size_t)l->ncell, sizeof *res);
        for (int32_t j = 0; j < Wk->n; j++) {
            res[Wk->home[j]] += 1.0 / p->scale;
            if (Wk->employer[j] >= 0) jobs[sim->firms.cell[Wk->employer[j]]] += 1.0 / p->scale;
        }
        int bad = 0;
        for (int32_t c = 0; c < l->ncell; c++) {
            const double land = l->land[c] ? 1.0 : 0.0;
            bad += l->K[c] != jobs[c] * (1.0 + p->land.headroom) + p->land.floor_jobs * land;
            bad += l->Kh[c] != res[c] * (1.0 + p->land.headroom) + p->land.floor_homes * land;
        }
        CHECK_MSG(bad == 0, "scale %g: %d capacities differ", scales[k], bad);
        free(jobs);
        free(res);
        free_sim(sim);
    }
    omp_set_num_threads(t);
}

/* A land cell whose (2r + 1)^2 box lies on the grid and is all land (the k-th such cell). */
static int32_t inland_cell(const cs_sim *sim, int r, int k) {
    const cs_landscape *l = &sim->land;
    for (int y = r; y < l->H - r; y++)
        for (int x = r; x < l->W - r; x++) {
            int ok = 1;
            for (int dy = -r; dy <= r && ok; dy++)
                for (int dx = -r; dx <= r && ok; dx++) ok = l->land[(y + dy) * l->W + x + dx];
            if (ok && k-- == 0) return y * l->W + x;
        }
    return -1;
}

/* Sets firm i to a plain state (hand tests then overwrite what they need). */
static void plain_firm(cs_sim *sim, int32_t i, int32_t cell, int sector) {
    cs_firms *F = &sim->firms;
    F->id[i] = 1000 + i, F->parent[i] = -1, F->cell[i] = cell, F->sector[i] = (uint8_t)sector;
    F->origin[i] = CS_ORIGIN_INITIAL, F->birth[i] = -1, F->n_emp[i] = 0, F->empty[i] = 0;
    F->A[i] = 1, F->H[i] = 0, F->w[i] = 1, F->cash[i] = 0, F->Y[i] = 0, F->phi[i] = 0;
    F->hstar[i] = 0, F->vac[i] = 0, F->rho[i] = 0, F->credit[i] = 0, F->profit[i] = 0;
    F->pay[i] = 0, F->kept[i] = 0, F->alive[i] = 1;
}

/* ------------------------------------------------------------- 1. production, labour demand */

/* Tradable sector 0 and the local-services sector. */
static int tradable_sector(const cs_sim *sim) {
    for (int s = 0; s < sim->S; s++)
        if (s != sim->ls) return s;
    return 0;
}

static void firm_params(cs_sim *sim) {
    cs_params *p = &sim->par;
    p->firms.alpha = 0.8, p->firms.omega = 0.9, p->firms.phi_space = 1.0;
    p->firms.fixed_cost = 1.0, p->firms.tax = 0.19, p->firms.payout = 0.05;
    p->firms.buffer = 1.0, p->firms.g_max = 0.25, p->labour.w_min = 0.3;
}

/* c_L = wbar + r phi / hbar; H* = (alpha p A e^phi / c_L)^(1/(1-alpha)); vacancies
 * (H* - H) / hbar capped at g_max max(n, 1) + 1 and floored at 0; hbar = H / n, or the mean
 * skill passed in for a firm with no one. wbar 0.9, rent 0.2, phi_space 1, alpha 0.8,
 * g_max 0.25. */
static void test_labour_demand(void) {
    cs_sim *sim = tiny_sim(1, 0.0005, 1);
    firm_params(sim);
    int st = tradable_sector(sim), ls = sim->ls;
    CHECK(ls >= 0);
    int32_t c = inland_cell(sim, 0, 0);
    sim->f.wbar[c] = 0.9, sim->f.rent[c] = 0.2, sim->f.p_ls[c] = 0.9;
    sim->price[st] = 1.1;
    CHECK_CLOSE(cs_unit_labour_cost(sim, c, 0.75), 1.1666666666666667, 1e-15);
    CHECK_CLOSE(cs_unit_labour_cost(sim, c, 0.6), 1.2333333333333334, 1e-15);
    CHECK_CLOSE(cs_price(sim, st, c), 1.1, 0);
    CHECK_CLOSE(cs_price(sim, ls, c), 0.9, 0);
    static const struct {
        int local;
        double A, phi, H;
        int n;
        double hstar, vac;
    } cases[] = {
        {0, 1.58, 0.1, 3.0, 4, 3.9638032400136334, 1.2850709866848444}, /* uncapped */
        {0, 2.0, 0.1, 3.0, 4, 12.88180236573438, 2.0},                  /* capped at 0.25*4+1 */
        {0, 1.2, 0.1, 3.0, 4, 1.0016889519595049, 0.0},                 /* too big: none */
        {0, 1.0, 0.1, 0.0, 0, 0.30490058313039325, 0.5081676385506555}, /* empty: mean skill */
        {1, 2.0, 0.0, 1.5, 2, 2.864695806543847, 1.5}, /* local services at p_ls, cap 1.5 */
    };
    sim->firms.n = 1;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        plain_firm(sim, 0, c, cases[k].local ? ls : st);
        sim->firms.A[0] = cases[k].A, sim->firms.phi[0] = cases[k].phi;
        sim->firms.H[0] = cases[k].H, sim->firms.n_emp[0] = cases[k].n;
        cs_labour_demand(sim, 0, 0.6);
        CHECK_MSG(fabs(sim->firms.hstar[0] - cases[k].hstar) <= 1e-12 * cases[k].hstar,
                  "case %zu: H* %.17g, expected %.17g", k, sim->firms.hstar[0], cases[k].hstar);
        CHECK_MSG(fabs(sim->firms.vac[0] - cases[k].vac) <= 1e-12,
                  "case %zu: vacancies %.17g, expected %.17g", k, sim->firms.vac[0], cases[k].vac);
    }
    free_sim(sim);
}

/* Through cs_production: firm 0 (4 workers, H = 2.75) is below target and keeps everyone;
 * firm 1 (7 workers, H = 4.5, H* = 2.1885 < H / 2) lays off, last hired first and among the
 * hired-at-step-5 the higher worker id first (workers 8, 6, 5, then 10) until H <= H*; firm 2
 * is in local services at p_ls = 0.9 and pays the wage floor. Cell c1: wbar 1, rent 0.1;
 * cell c2: wbar 0.2, rent 0.01. Hand numbers from Y = p A e^phi H^alpha,
 * w = max(w_min, omega alpha Y / H), profit = Y - w H - r phi n - rho Y - f_c wbar, then
 * cash += profit - tax max(profit, 0), less the payout share of positive cash; the tax paid is
 * counted (cnt.tax_revenue). */
static void test_production(void) {
    cs_sim *sim = tiny_sim(1, 0.0005, 1);
    firm_params(sim);
    sim->par.n_policies = 0;
    int st = tradable_sector(sim), ls = sim->ls;
    int32_t c1 = inland_cell(sim, 0, 0), c2 = inland_cell(sim, 0, 5);
    sim->f.wbar[c1] = 1.0, sim->f.rent[c1] = 0.1;
    sim->f.wbar[c2] = 0.2, sim->f.rent[c2] = 0.01, sim->f.p_ls[c2] = 0.9;
    sim->price[st] = 1.0;
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    F->n = 3;
    plain_firm(sim, 0, c1, st);
    plain_firm(sim, 1, c1, st);
    plain_firm(sim, 2, c2, ls);
    F->A[0] = 2.5, F->phi[0] = 0.05, F->rho[0] = 0.02, F->cash[0] = 5.0;
    F->A[1] = 1.607, F->phi[1] = 0.05, F->rho[1] = 0.03, F->cash[1] = 2.0;
    F->A[2] = 0.25, F->phi[2] = 0.0, F->rho[2] = 0.0, F->cash[2] = -0.1, F->empty[2] = 3;
    static const int emp[13] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, -1};
    static const int hired[13] = {1, 2, 3, 4, 3, 5, 5, 2, 5, 1, 4, 0, 0};
    static const float skill[13] = {0.5f, 0.75f, 0.625f, 0.875f, 0.5f, 0.75f, 0.25f,
                                    1.0f, 0.5f,  0.625f, 0.875f, 0.5f, 0.5f};
    Wk->n = 13;
    for (int j = 0; j < 13; j++) {
        Wk->employer[j] = emp[j], Wk->hired[j] = hired[j], Wk->skill[j] = skill[j];
        Wk->unemp[j] = 0;
        if (emp[j] >= 0) F->n_emp[emp[j]]++, F->H[emp[j]] += skill[j];
    }
    Wk->unemp[12] = 3;
    CHECK_CLOSE(F->H[1], 4.5, 0);
    cs_production(sim);

    /* firm 0: no layoffs (H < H*), vacancies capped at 0.25 * 4 + 1 */
    CHECK_CLOSE(F->hstar[0], 20.836957167847608, 1e-12 * 20.8);
    CHECK_CLOSE(F->vac[0], 2.0, 1e-12);
    CHECK(F->n_emp[0] == 4);
    CHECK_CLOSE(F->Y[0], 5.9036538817622821, 1e-12);
    CHECK_CLOSE(F->w[0], 1.5456839254068522, 1e-12);
    CHECK_CLOSE(F->profit[0], 0.13495000925819278, 1e-12);
    CHECK_CLOSE(F->cash[0], 4.8538440321241794, 1e-12);
    /* firm 1: H* = 2.1885; layoffs 8, 6, 5, 10 leave H = 2.125 <= H*, 3 heads */
    CHECK_CLOSE(F->hstar[1], 2.1885112828440718, 1e-12);
    CHECK(F->n_emp[1] == 3);
    CHECK_CLOSE(F->H[1], 2.125, 1e-12);
    CHECK(F->vac[1] == 0);
    CHECK_CLOSE(F->Y[1], 3.0875766533951325, 1e-12);
    CHECK_CLOSE(F->w[1], 1.0461436190327038, 1e-12);
    CHECK_CLOSE(F->profit[1], -0.52810583665121724, 1e-12);
    CHECK_CLOSE(F->cash[1], 1.3982994551813437, 1e-12);
    static const int laid_off[13] = {0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0};
    for (int j = 0; j < 13; j++) {
        int want = laid_off[j] ? -1 : emp[j];
        CHECK_MSG(Wk->employer[j] == want, "worker %d employer %d, expected %d", j, Wk->employer[j],
                  want);
        if (laid_off[j]) CHECK(Wk->unemp[j] == 0);
    }
    CHECK(Wk->unemp[12] == 3);
    /* firm 2: H* = 0.3666 (0.5 <= 2 H*: no layoffs), wage at the floor, negative cash kept */
    CHECK_CLOSE(F->hstar[2], 0.36664783205320067, 1e-12);
    CHECK(F->n_emp[2] == 1);
    CHECK_CLOSE(F->Y[2], 0.12922856493716642, 1e-12);
    CHECK_CLOSE(F->w[2], 0.3, 1e-15);
    CHECK_CLOSE(F->profit[2], -0.2307714350628336, 1e-12);
    CHECK_CLOSE(F->cash[2], -0.33077143506283357, 1e-12);
    CHECK(F->empty[2] == 0);
    /* the profit tax paid: only firm 0 made a profit (no policy payments here) */
    CHECK(sim->par.firms.tax > 0);
    CHECK_CLOSE(sim->cnt.tax_revenue, sim->par.firms.tax * F->profit[0], 1e-15);
    free_sim(sim);
}

/* ------------------------------------------------------------- 2. residential logit choice */

/* Design: the candidate set is random, so no single draw has a known choice set; but with
 * rc = 1 and k_h = 2 a candidate is one of five cells (the anchor and its 4 neighbours, all
 * land), each with probability (1 - q) / 5, or missing with q = (4/9)^8 (cs_random_cell_near
 * gives up after 8 draws in the corners of its 3 x 3 box). Summing the logit probabilities
 * exp(v_k / tau) / sum exp(v / tau) over all 6 x 6 outcomes of the two draws gives the exact
 * probability of each final home, which 64000 draws per group must match within 5 standard
 * errors. Values v = -c_d d(c, anchor) - ho(c) + a(c) differ by 0.05 to 0.3 at tau_h = 0.1.
 * Group U: unemployed at home c0 (anchor c0). Group E: employed at a firm in c0, living at h1
 * two cells west (anchor c0, the home a candidate at distance 2). */
static void test_residence_logit(void) {
    cs_sim *sim = tiny_sim(5, 0.0005, 1);
    cs_params *p = &sim->par;
    p->workers.m_w = 1.0, p->workers.k_h = 2, p->workers.tau_h = 0.1;
    p->labour.rc = 1.0, p->labour.c_d = 0.05;
    const cs_landscape *l = &sim->land;
    int32_t c0 = inland_cell(sim, 2, 0);
    CHECK(c0 >= 0);
    const int W = l->W;
    int32_t cell[6] = {c0, c0 - W, c0 + W, c0 + 1, c0 - 1, c0 - 2}; /* c0 N S E W h1 */
    static const double house[6] = {0.3, 0.05, 0.2, 0.45, 0.3, 0.0};
    static const double amen[6] = {0.1, 0.0, 0.0, 0.2, 0.0, 0.05};
    static const double dist[6] = {0, 1, 1, 1, 1, 2};
    double v[6];
    for (int k = 0; k < 6; k++) {
        sim->f.house[cell[k]] = house[k], sim->land.amenity[cell[k]] = amen[k];
        v[k] = -0.05 * dist[k] - house[k] + amen[k];
    }
    /* exact probabilities: outcome o of a draw is neighbourhood cell o < 5 or none (o = 5) */
    const double q = pow(4.0 / 9.0, 8), tau = 0.1;
    double expect[2][6] = {{0}};
    for (int g = 0; g < 2; g++) {
        int home = g == 0 ? 0 : 5;
        for (int o1 = 0; o1 < 6; o1++)
            for (int o2 = 0; o2 < 6; o2++) {
                double pr = (o1 < 5 ? (1 - q) / 5 : q) * (o2 < 5 ? (1 - q) / 5 : q);
                int list[3] = {home, -1, -1}, m = 1;
                if (o1 < 5) list[m++] = o1;
                if (o2 < 5) list[m++] = o2;
                double tot = 0;
                for (int k = 0; k < m; k++) tot += exp(v[list[k]] / tau);
                for (int k = 0; k < m; k++) expect[g][list[k]] += pr * exp(v[list[k]] / tau) / tot;
            }
    }
    const int n_group = 8000, steps = 8;
    CHECK(sim->workers.n >= 2 * n_group);
    cs_workers *Wk = &sim->workers;
    Wk->n = 2 * n_group;
    sim->firms.n = 1;
    plain_firm(sim, 0, c0, 0);
    long count[2][6] = {{0}}, other = 0;
    for (int t = 1; t <= steps; t++) {
        sim->step = t;
        for (int32_t j = 0; j < Wk->n; j++) {
            int g = j >= n_group;
            Wk->home[j] = g ? cell[5] : c0;
            Wk->employer[j] = g ? 0 : -1;
        }
        cs_residence(sim);
        for (int32_t j = 0; j < Wk->n; j++) {
            int g = j >= n_group, hit = -1;
            for (int k = 0; k < 6; k++)
                if (Wk->home[j] == cell[k]) hit = k;
            if (hit < 0 || (hit == 5 && !g))
                other++;
            else
                count[g][hit]++;
        }
    }
    CHECK(other == 0);
    const double n = (double)n_group * steps;
    for (int g = 0; g < 2; g++)
        for (int k = 0; k < 6; k++) {
            double pk = expect[g][k], se = sqrt(pk * (1 - pk) / n) + 1e-12;
            double share = count[g][k] / n;
            CHECK_MSG(fabs(share - pk) <= 5 * se,
                      "group %d cell %d: share %.5f, logit %.5f (se %.5f)", g, k, share, pk, se);
        }
    /* review probability m_w: with the home made unaffordable every reviewer moves (unless both
     * candidate draws miss, probability q^2), so the share that moves is m_w (1 - q^2) */
    p->workers.m_w = 0.3;
    sim->f.house[cell[5]] = 100.0;
    long moved = 0;
    for (int t = 1; t <= steps; t++) {
        sim->step = 100 + t;
        for (int32_t j = 0; j < Wk->n; j++) Wk->home[j] = cell[5], Wk->employer[j] = 0;
        cs_residence(sim);
        for (int32_t j = 0; j < Wk->n; j++) moved += Wk->home[j] != cell[5];
    }
    double nn = (double)Wk->n * steps, pm = 0.3 * (1 - q * q);
    CHECK_MSG(fabs(moved / nn - pm) <= 5 * sqrt(pm * (1 - pm) / nn), "moved %.5f, expected %.5f",
              moved / nn, pm);
    free_sim(sim);
}

/* The logit pick shared by residence and relocation (cs_logit_pick): index k for u in
 * [F_(k-1), F_k), F the cumulative logit probabilities. Values 0, -0.1, 0.2, -0.05 at scale 0.1:
 * weights e^-2, e^-3, 1, e^-2.5 relative to the best, so F = 0.10680.., 0.14609.., 0.93522..,
 * 1 (hand numbers); huge values do not overflow. */
static void test_logit_pick(void) {
    static const double vals[4] = {0, -0.1, 0.2, -0.05};
    static const double F[4] = {0.10679805732836274, 0.14608686697651649, 0.93522370383260045, 1};
    double v[4];
    for (int k = 0; k < 4; k++) {
        double lo = k ? F[k - 1] : 0;
        memcpy(v, vals, sizeof v);
        CHECK_MSG(cs_logit_pick(v, 4, 0.1, lo + 1e-9) == k, "just above F_%d", k - 1);
        memcpy(v, vals, sizeof v);
        if (k < 3) CHECK_MSG(cs_logit_pick(v, 4, 0.1, F[k] - 1e-9) == k, "just below F_%d", k);
    }
    memcpy(v, vals, sizeof v);
    CHECK(cs_logit_pick(v, 4, 0.1, 0.0) == 0);
    double big[3] = {1e6, 1e6 + 1, 1e6};
    CHECK(cs_logit_pick(big, 3, 1.0, 0.5) == 1);
    CHECK(isfinite(big[0]) && big[1] == 1.0);
    /* the same index as a walk that stops at the first weight above what is left of u, for
     * random values (ties and a value far below the rest included) and draws at, just below
     * and just above the cumulative weights, 0 and the largest below 1 */
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 7, 1);
    long bad = 0, n_cases = 0;
    for (int rep = 0; rep < 20000; rep++) {
        const int n = 1 + (int)cs_pcg32_bounded(&rng, 8);
        double x[8], w[8], r[8];
        for (int k = 0; k < n; k++)
            x[k] = rep % 5 == 0 && k == 1 ? -1e3 : (double)cs_pcg32_bounded(&rng, 4) * 0.05;
        memcpy(w, x, sizeof w);
        cs_logit_pick(w, n, 0.1, 0.5); /* w: the weights the pick computes */
        double tot = 0, cum = 0;
        for (int k = 0; k < n; k++) tot += w[k];
        for (int q = 0; q < 3 * n + 2; q++) {
            double u = q == 3 * n ? 0.0 : q == 3 * n + 1 ? nextafter(1.0, 0.0) : 0.0;
            if (q < 3 * n) {
                if (q % 3 == 0) cum += w[q / 3];
                u = cum / tot;
                u = q % 3 == 1 ? nextafter(u, 0.0) : q % 3 == 2 ? nextafter(u, 1.0) : u;
            }
            double left = u * tot; /* the walk of the reference */
            int want = n - 1;
            for (int k = 0; k < n; k++) {
                if (left < w[k]) {
                    want = k;
                    break;
                }
                left -= w[k];
            }
            memcpy(r, x, sizeof r);
            bad += cs_logit_pick(r, n, 0.1, u) != want;
            n_cases++;
        }
    }
    CHECK_MSG(bad == 0, "%ld of %ld picks differ from the walk", bad, n_cases);
}

/* ------------------------------------------------------------- 3. matching */

typedef struct {
    int32_t n;
    int32_t *home, *employer, *hired, *unemp;
    float *skill;
} worker_copy;

static void save_workers(const cs_sim *sim, worker_copy *c) {
    const cs_workers *W = &sim->workers;
    size_t n = (size_t)W->n;
    c->n = W->n;
    c->home = malloc(n * sizeof(int32_t)), c->employer = malloc(n * sizeof(int32_t));
    c->hired = malloc(n * sizeof(int32_t)), c->unemp = malloc(n * sizeof(int32_t));
    c->skill = malloc(n * sizeof(float));
    memcpy(c->home, W->home, n * sizeof(int32_t));
    memcpy(c->employer, W->employer, n * sizeof(int32_t));
    memcpy(c->hired, W->hired, n * sizeof(int32_t));
    memcpy(c->unemp, W->unemp, n * sizeof(int32_t));
    memcpy(c->skill, W->skill, n * sizeof(float));
}

static void load_workers(cs_sim *sim, const worker_copy *c) {
    cs_workers *W = &sim->workers;
    size_t n = (size_t)c->n;
    W->n = c->n;
    memcpy(W->home, c->home, n * sizeof(int32_t));
    memcpy(W->employer, c->employer, n * sizeof(int32_t));
    memcpy(W->hired, c->hired, n * sizeof(int32_t));
    memcpy(W->unemp, c->unemp, n * sizeof(int32_t));
    memcpy(W->skill, c->skill, n * sizeof(float));
}

static void free_copy(worker_copy *c) {
    free(c->home), free(c->employer), free(c->hired), free(c->unemp), free(c->skill);
}

static int same_workers(const cs_sim *sim, const worker_copy *c) {
    const cs_workers *W = &sim->workers;
    size_t n = (size_t)c->n;
    return W->n == c->n && !memcmp(W->home, c->home, n * sizeof(int32_t)) &&
           !memcmp(W->employer, c->employer, n * sizeof(int32_t)) &&
           !memcmp(W->hired, c->hired, n * sizeof(int32_t)) &&
           !memcmp(W->unemp, c->unemp, n * sizeof(int32_t));
}

#define NF 4
#define NW 60

/* Four firms share one cell, 60 unemployed workers live within reach. Who applied where is
 * in the matching's choice buffer after a round; each firm must hire the most skilled of
 * exactly its applicants up to its posts (skills 0.30..0.69, workers j and j + 40 tied). */
static cs_sim *matching_sim(int64_t seed, int rounds, int32_t *cf) {
    cs_sim *sim = tiny_sim(seed, 0.0005, rounds);
    cs_params *p = &sim->par;
    p->labour.q_ojs = 0, p->labour.t_mig = 0, p->labour.k_w = 2, p->labour.q_u = 1;
    /* wages below are of order 1: commuting cost on the same scale, and no outside option
     * (MODEL.md's literal rule: an unemployed searcher takes any positive offer) */
    p->labour.c_d = 0.01, p->labour.outside_option = 0;
    int32_t c = inland_cell(sim, 1, 3);
    *cf = c;
    cs_firms *F = &sim->firms;
    F->n = NF;
    static const double wage[NF] = {1.0, 1.2, 1.4, 1.6};
    for (int i = 0; i < NF; i++) plain_firm(sim, i, c, 0), F->w[i] = wage[i];
    cs_workers *Wk = &sim->workers;
    Wk->n = NW;
    const int W = sim->land.W;
    const int32_t near[5] = {c, c - 1, c + 1, c - W, c + W};
    for (int j = 0; j < NW; j++) {
        Wk->home[j] = near[j % 5], Wk->employer[j] = -1, Wk->hired[j] = -5, Wk->unemp[j] = 1;
        Wk->skill[j] = (float)(0.30 + 0.01 * (j % 40));
    }
    sim->step = 1;
    return sim;
}

/* Room for every applicant at every firm. */
static const int many_posts[NF] = {1000, 1000, 1000, 1000};

static void set_posts(cs_sim *sim, const int *posts) {
    for (int i = 0; i < NF; i++) sim->firms.vac[i] = posts[i];
}

/* The unemployed take no offer worth less than outside_option x mean earnings: with the
 * threshold above every offer nobody is hired; just below the best offer only the workers whose
 * skill makes that offer worth it can be. */
static void test_matching_outside_option(void) {
    int32_t cf;
    cs_sim *sim = matching_sim(5, 1, &cf);
    cs_workers *Wk = &sim->workers;
    worker_copy start;
    save_workers(sim, &start);
    sim->f.mean_earnings = 1.0;
    sim->par.labour.outside_option = 2.0; /* best offer 1.6 x 0.69 < 2 */
    set_posts(sim, many_posts);
    cs_matching(sim);
    int hired = 0;
    for (int j = 0; j < NW; j++) hired += Wk->employer[j] >= 0;
    CHECK(hired == 0);
    load_workers(sim, &start);
    sim->par.labour.outside_option = 0.5; /* 1.6 h - c_d d >= 0.5 needs h >= about 0.32 */
    set_posts(sim, many_posts);
    cs_matching(sim);
    int low_hired = 0, high_hired = 0;
    for (int j = 0; j < NW; j++) {
        if (Wk->employer[j] < 0) continue;
        double offer = sim->firms.w[Wk->employer[j]] * Wk->skill[j];
        CHECK(offer >= 0.5);
        if (Wk->skill[j] < 0.31f)
            low_hired++;
        else
            high_hired++;
    }
    CHECK(low_hired == 0 && high_hired > 0);
    free_copy(&start);
    free_sim(sim);
}

/* An unemployed worker applies with probability q_u a step: with q_u 1 and room everywhere
 * every one is hired, with 0 none, and with 0.3 about 30% over 40 steps' draws (binomial,
 * 2400 trials: sd 22 around 720). Each step's draws are its own. */
static void test_matching_unemployed_contact(void) {
    int32_t cf;
    cs_sim *sim = matching_sim(9, 1, &cf);
    cs_workers *Wk = &sim->workers;
    worker_copy start;
    save_workers(sim, &start);
    static const double q[3] = {1.0, 0.0, 0.3};
    int hired[3] = {0, 0, 0}, differ = 0, prev[NW];
    for (int k = 0; k < 3; k++) {
        sim->par.labour.q_u = q[k];
        for (int t = 1; t <= 40; t++) {
            load_workers(sim, &start);
            sim->step = t;
            set_posts(sim, many_posts);
            cs_matching(sim);
            for (int j = 0; j < NW; j++) {
                hired[k] += Wk->employer[j] >= 0;
                if (k == 2 && t > 1) differ += (Wk->employer[j] >= 0) != prev[j];
                prev[j] = Wk->employer[j] >= 0;
            }
        }
    }
    CHECK_MSG(hired[0] == 40 * NW, "q_u 1: %d of %d hired", hired[0], 40 * NW);
    CHECK_MSG(hired[1] == 0, "q_u 0: %d hired", hired[1]);
    CHECK_MSG(hired[2] >= 630 && hired[2] <= 810, "q_u 0.3: %d of 2400 hired", hired[2]);
    CHECK(differ > 0);
    free_copy(&start);
    free_sim(sim);
}

static void test_matching_most_skilled_first(void) {
    int32_t cf;
    cs_sim *sim = matching_sim(11, 1, &cf);
    cs_workers *Wk = &sim->workers;
    worker_copy start;
    save_workers(sim, &start);
    /* few posts; who applied where, from the round's choices */
    static const int posts[NF] = {8, 3, 5, 4};
    set_posts(sim, posts);
    cs_matching(sim);
    /* the round's applications, grouped by firm: firm i's applicants are w_order[f_count[i] ..
     * f_count[i + 1]) */
    int32_t applied[NW];
    int n_applied = 0;
    for (int j = 0; j < NW; j++) applied[j] = -1;
    for (int i = 0; i < sim->firms.n; i++)
        for (int32_t m = sim->buf->f_count[i]; m < sim->buf->f_count[i + 1]; m++) {
            const int32_t j = sim->buf->w_order[m];
            CHECK(j >= 0 && j < NW && applied[j] == -1); /* one application each */
            applied[j] = i;
            n_applied++;
        }
    CHECK(n_applied == NW); /* every searcher reaches a firm with an offer above 0 */
    int refused_somewhere = 0;
    for (int i = 0; i < NF; i++) {
        int napp = 0, nhired = 0;
        float min_hired = 2, max_refused = -1;
        for (int j = 0; j < NW; j++) {
            if (Wk->employer[j] == i) CHECK_MSG(applied[j] == i, "worker %d hired by %d", j, i);
            if (applied[j] != i) continue;
            napp++;
            if (Wk->employer[j] == i) {
                nhired++;
                if (Wk->skill[j] < min_hired) min_hired = Wk->skill[j];
                CHECK(Wk->hired[j] == 1 && Wk->unemp[j] == 0);
            } else {
                CHECK(Wk->employer[j] == -1 && Wk->unemp[j] == 2);
                if (Wk->skill[j] > max_refused) max_refused = Wk->skill[j];
            }
        }
        int want = napp < posts[i] ? napp : posts[i];
        CHECK_MSG(nhired == want, "firm %d hired %d of %d applicants for %d posts", i, nhired, napp,
                  posts[i]);
        CHECK_MSG(min_hired >= max_refused, "firm %d: hired down to skill %g, refused %g", i,
                  min_hired, max_refused);
        CHECK_CLOSE(sim->firms.vac[i], posts[i] - nhired, 0);
        refused_somewhere += napp > posts[i];
    }
    CHECK(refused_somewhere > 0);
    worker_copy one;
    save_workers(sim, &one);
    /* the same seed gives the same hires, on 1 and on 3 threads */
    int threads = omp_get_max_threads();
    for (int nt = 1; nt <= 3; nt += 2) {
        omp_set_num_threads(nt);
        load_workers(sim, &start);
        set_posts(sim, posts);
        cs_matching(sim);
        CHECK_MSG(same_workers(sim, &one), "%d threads", nt);
    }
    omp_set_num_threads(threads);

    /* three rounds: the first round is one round's; the refused try again where posts are
     * still open, and every searcher finds an open firm, so while posts and searchers remain
     * each round hires someone; posts are never exceeded. The cheapest firm has most of the
     * posts, so a searcher who also sees another firm goes there and round 1 leaves posts. */
    static const int posts3[NF] = {50, 3, 5, 4};
    load_workers(sim, &start);
    set_posts(sim, posts3);
    cs_matching(sim);
    free_copy(&one);
    save_workers(sim, &one);
    sim->par.labour.rounds = 3;
    load_workers(sim, &start);
    set_posts(sim, posts3);
    cs_matching(sim);
    int hires1 = 0, hires3 = 0, by_firm[NF] = {0};
    for (int j = 0; j < NW; j++) {
        hires1 += one.employer[j] >= 0;
        hires3 += Wk->employer[j] >= 0;
        if (Wk->employer[j] >= 0) by_firm[Wk->employer[j]]++;
        if (one.employer[j] >= 0) CHECK(Wk->employer[j] == one.employer[j]);
    }
    int total_posts = 0;
    for (int i = 0; i < NF; i++) {
        total_posts += posts3[i];
        CHECK(by_firm[i] <= posts3[i]);
        CHECK_CLOSE(sim->firms.vac[i], posts3[i] - by_firm[i], 0);
    }
    CHECK(hires1 < total_posts); /* otherwise rounds 2 and 3 have nothing to do */
    CHECK_MSG(hires3 >= (hires1 + 2 < total_posts ? hires1 + 2 : total_posts), "%d then %d", hires1,
              hires3);
    free_copy(&start);
    free_copy(&one);
    free_sim(sim);
}

/* A searcher meets a post, not a firm (docs/model.md D10): with one sample each and equal
 * wages, the firms of one cell are applied to in proportion to their posts (uniformly among
 * the firms, 1/4 each, would fail by more than 10 standard deviations). */
static void test_matching_posts_law(void) {
    int32_t cf;
    cs_sim *sim = matching_sim(3, 1, &cf);
    cs_workers *Wk = &sim->workers;
    sim->par.labour.k_w = 1;
    for (int i = 0; i < NF; i++) sim->firms.w[i] = 1.0;
    static const int posts[NF] = {1000, 3000, 5000, 1000};
    worker_copy start;
    save_workers(sim, &start);
    int count[NF] = {0}, total = 0;
    for (int s = 0; s < 40; s++) {
        sim->par.seed = 500 + s;
        load_workers(sim, &start);
        set_posts(sim, posts);
        cs_matching(sim);
        for (int j = 0; j < NW; j++)
            if (Wk->employer[j] >= 0) count[Wk->employer[j]]++, total++;
    }
    CHECK(total == 40 * NW);
    for (int i = 0; i < NF; i++) {
        const double p = posts[i] / 10000.0, sd = sqrt(p * (1 - p) / total);
        CHECK_MSG(fabs(count[i] / (double)total - p) < 4 * sd, "firm %d: %d of %d, expected %.2f",
                  i, count[i], total, p);
    }
    free_copy(&start);
    free_sim(sim);
}

/* Ties: one firm with 5 posts, 50 applicants of equal skill but one. The most skilled is
 * always hired; the others are chosen by the tie hash of (seed, step, worker): the same seed
 * gives the same hires, other seeds other hires, and low worker ids are not favoured. */
static void test_matching_ties(void) {
    int32_t cf;
    cs_sim *sim = matching_sim(1, 1, &cf);
    cs_workers *Wk = &sim->workers;
    sim->firms.n = 1;
    Wk->n = 50;
    for (int j = 0; j < 50; j++) Wk->skill[j] = 0.5f;
    Wk->skill[49] = 0.9f;
    worker_copy start;
    save_workers(sim, &start);
    uint64_t sets[10];
    int high_id = 0;
    for (int s = 0; s < 10; s++) {
        uint64_t set[2];
        for (int rep = 0; rep < 2; rep++) {
            sim->par.seed = 100 + s;
            load_workers(sim, &start);
            sim->firms.vac[0] = 5;
            cs_matching(sim);
            set[rep] = 0;
            int n = 0;
            for (int j = 0; j < 50; j++)
                if (Wk->employer[j] == 0) set[rep] |= 1ull << j, n++;
            CHECK(n == 5);
            CHECK(Wk->employer[49] == 0);
        }
        CHECK(set[0] == set[1]);
        sets[s] = set[0];
        for (int j = 25; j < 49; j++) high_id += (sets[s] >> j) & 1;
    }
    int distinct = 0;
    for (int s = 0; s < 10; s++) {
        int seen = 0;
        for (int t = 0; t < s; t++) seen |= sets[t] == sets[s];
        distinct += !seen;
    }
    CHECK_MSG(distinct >= 5, "%d distinct hire sets over 10 seeds", distinct);
    CHECK_MSG(high_id >= 10, "%d of 40 tied hires among ids 25..48", high_id);
    free_copy(&start);
    free_sim(sim);
}

/* The fields keep the firms' headcounts (the phases maintain them) and recount them where they
 * do not add up to the employed workers: counts wiped, or one firm's count off, come back as
 * the workers say. */
static void test_fields_headcounts(void) {
    cs_sim *sim = tiny_sim(2, 0.0005, 1);
    cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    int32_t *want = calloc((size_t)F->n, sizeof *want);
    for (int32_t j = 0; j < Wk->n; j++)
        if (Wk->employer[j] >= 0) want[Wk->employer[j]]++;
    CHECK(memcmp(want, F->n_emp, (size_t)F->n * sizeof *want) == 0);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            memset(F->n_emp, 0, (size_t)F->n * sizeof *F->n_emp);
        else
            F->n_emp[F->n / 2] += 3;
        cs_fields_compute(sim);
        CHECK_MSG(memcmp(want, F->n_emp, (size_t)F->n * sizeof *want) == 0,
                  "pass %d: headcounts not recounted", pass);
    }
    free(want);
    free_sim(sim);
}

/* Phi by (sector, cell) pair (productivity.c's table, used where firms outnumber the pairs two to
 * one): with every firm on 20 cells the table is made, every firm's Phi is cs_phi's, and
 * production gives the same output, wages and vacancies with or without the table's exp(Phi). */
static cs_sim *crowded_step(int use_table) {
    cs_sim *sim = tiny_sim(5, 0.0015, 1);
    sim->step = 1;
    cs_firms *F = &sim->firms;
    int32_t cells[20], n = 0;
    for (int32_t c = 0; c < sim->land.ncell && n < 20; c++)
        if (sim->land.land[c]) cells[n++] = c;
    CHECK(n == 20);
    for (int32_t i = 0; i < F->n; i++) F->cell[i] = cells[i % 20];
    cs_fields_compute(sim);
    cs_productivity(sim);
    if (!use_table) sim->buf->has_phi_tab = 0;
    cs_production(sim);
    return sim;
}

static void test_phi_table(void) {
    cs_sim *a = crowded_step(1), *b = crowded_step(0);
    const cs_firms *F = &a->firms, *G = &b->firms;
    CHECK_MSG(F->n >= 2 * a->S * 20 && a->buf->has_phi_tab, "%d firms, table %d", F->n,
              a->buf->has_phi_tab);
    int bad = 0;
    for (int32_t i = 0; i < F->n; i++) {
        bad += F->phi[i] != cs_phi(a, F->sector[i], F->cell[i]);
        bad += G->n != F->n || F->Y[i] != G->Y[i] || F->w[i] != G->w[i] || F->vac[i] != G->vac[i] ||
               F->hstar[i] != G->hstar[i];
    }
    CHECK_MSG(bad == 0, "%d differences from the firms' own Phi", bad);
    free_sim(a);
    free_sim(b);
}

/* Where firms are fewer than twice the pairs they could stand on (a tiny economy on its own
 * cells), productivity fills Phi only at the firms' pairs and, with the fields' frontier left
 * lazy, the frontier there: every firm's Phi and every exp(Phi) relocation asks for
 * (cs_exp_phi, at every pair, in the table or not) equal the direct expressions bit for bit,
 * and recomputing the fields withdraws the table. */
static void test_pair_tables(void) {
    cs_sim *sim = tiny_sim(7, 0.0015, 1);
    sim->step = 1;
    cs_fields_compute(sim);
    cs_productivity(sim);
    const cs_firms *F = &sim->firms;
    const cs_buffers *b = sim->buf;
    const int32_t nc = sim->land.ncell, nfc = b->n_firm_cells;
    CHECK_MSG((int64_t)F->n < 2 * (int64_t)sim->S * (nfc >= 0 ? nfc : nc) && sim->f.abar_lazy,
              "%d firms, %d firm cells, lazy %d: not the pairs path", F->n, nfc, sim->f.abar_lazy);
    int bad = 0;
    for (int32_t i = 0; i < F->n; i++) {
        const int s = F->sector[i];
        const int32_t c = F->cell[i];
        bad += F->phi[i] != cs_phi(sim, s, c);
        bad += b->pair_mark[(size_t)s * nc + c] != b->pair_seq;
        bad += b->abar_memo[(size_t)s * nc + c] != cs_fields_abar(sim, s, c);
    }
    CHECK_MSG(bad == 0, "%d differences at the firms' pairs", bad);
    int64_t in = 0, off = 0;
    bad = 0;
    for (int s = 0; s < sim->S; s++)
        for (int32_t c = 0; c < nc; c++) {
            const int held = b->pair_mark[(size_t)s * nc + c] == b->pair_seq;
            in += held, off += !held;
            bad += memcmp(&(double){cs_exp_phi(sim, s, c)}, &(double){cs_exp(cs_phi(sim, s, c))},
                          sizeof(double)) != 0;
        }
    CHECK_MSG(bad == 0 && in > 0 && off > 0, "%d differences; %lld pairs in the table, %lld not",
              bad, (long long)in, (long long)off);
    cs_fields_compute(sim);
    CHECK(!sim->buf->has_phi_tab);
    free_sim(sim);
}

/* A real economy (scale 0.0015, ~50k workers so the counting sorts run in chunks): fields,
 * productivity and production give vacancies, then matching with 3 rounds must be identical
 * on 1 and 3 threads; no firm fills more than its posts; the hires of 1 round are kept. */
typedef struct {
    int32_t n, nf;
    int32_t *employer, *hired, *home;
    int32_t *posts, *hires;
    int64_t total;
} real_run;

static void run_real(int threads, int rounds, real_run *r) {
    int saved = omp_get_max_threads();
    omp_set_num_threads(threads);
    cs_sim *sim = tiny_sim(3, 0.0015, rounds);
    sim->step = 1;
    memset(&sim->cnt, 0, sizeof sim->cnt);
    cs_fields_compute(sim);
    cs_productivity(sim);
    cs_production(sim);
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    r->n = Wk->n, r->nf = F->n;
    r->posts = calloc((size_t)F->n, sizeof(int32_t));
    r->hires = calloc((size_t)F->n, sizeof(int32_t));
    for (int32_t i = 0; i < F->n; i++) r->posts[i] = (int32_t)floor(F->vac[i] + 0.5);
    cs_matching(sim);
    r->employer = malloc(sizeof(int32_t) * (size_t)r->n);
    r->hired = malloc(sizeof(int32_t) * (size_t)r->n);
    r->home = malloc(sizeof(int32_t) * (size_t)r->n);
    memcpy(r->employer, Wk->employer, sizeof(int32_t) * (size_t)r->n);
    memcpy(r->hired, Wk->hired, sizeof(int32_t) * (size_t)r->n);
    memcpy(r->home, Wk->home, sizeof(int32_t) * (size_t)r->n);
    for (int32_t j = 0; j < Wk->n; j++)
        if (Wk->hired[j] == 1) r->hires[Wk->employer[j]]++;
    r->total = sim->cnt.hires;
    free_sim(sim);
    omp_set_num_threads(saved);
}

static void free_run(real_run *r) {
    free(r->employer), free(r->hired), free(r->home), free(r->posts), free(r->hires);
}

static void test_matching_threads_and_rounds(void) {
    real_run a, b, c;
    run_real(1, 3, &a);
    run_real(3, 3, &b);
    run_real(3, 1, &c);
    CHECK(a.n > 32768 && a.n == b.n && a.n == c.n);
    size_t sz = sizeof(int32_t) * (size_t)a.n;
    CHECK(!memcmp(a.employer, b.employer, sz));
    CHECK(!memcmp(a.hired, b.hired, sz));
    CHECK(!memcmp(a.home, b.home, sz));
    CHECK(a.total == b.total);
    int64_t sum_a = 0, sum_c = 0;
    for (int32_t i = 0; i < a.nf; i++) {
        CHECK_MSG(a.hires[i] <= a.posts[i], "firm %d: %d hires, %d posts", i, a.hires[i],
                  a.posts[i]);
        CHECK_MSG(c.hires[i] <= c.posts[i], "firm %d: %d hires, %d posts", i, c.hires[i],
                  c.posts[i]);
        sum_a += a.hires[i], sum_c += c.hires[i];
    }
    CHECK(sum_a == a.total && sum_c == c.total);
    CHECK_MSG(c.total > 0 && a.total > c.total, "hires %lld with 1 round, %lld with 3",
              (long long)c.total, (long long)a.total);
    for (int32_t j = 0; j < a.n; j++)
        if (c.hired[j] == 1) CHECK(a.hired[j] == 1 && a.employer[j] == c.employer[j]);
    free_run(&a), free_run(&b), free_run(&c);
}

/* The closing pass of matching (the unemployed wait a step longer; after labour.t_mig steps
 * they move home) visits only those unemployed when matching began, which round 0's search
 * marks: every worker unemployed after matching has its count raised by one, or was moved
 * with its count reset; every other worker's count and home are as before. */
static void test_matching_closing_pass(void) {
    cs_sim *sim = tiny_sim(21, 0.002, 1);
    for (int t = 0; t < 3; t++) cs_step(sim);
    cs_workers *Wk = &sim->workers;
    const int32_t n = Wk->n;
    int32_t *unemp0 = malloc(sizeof(int32_t) * (size_t)n),
            *home0 = malloc(sizeof(int32_t) * (size_t)n);
    int32_t *emp0 = malloc(sizeof(int32_t) * (size_t)n);
    memcpy(unemp0, Wk->unemp, sizeof(int32_t) * (size_t)n);
    memcpy(home0, Wk->home, sizeof(int32_t) * (size_t)n);
    memcpy(emp0, Wk->employer, sizeof(int32_t) * (size_t)n);
    sim->step++;
    cs_fields_compute(sim);
    cs_productivity(sim);
    cs_production(sim);                                     /* vacancies */
    memcpy(unemp0, Wk->unemp, sizeof(int32_t) * (size_t)n); /* layoffs reset some counts */
    memcpy(emp0, Wk->employer, sizeof(int32_t) * (size_t)n);
    const int64_t mig0 = sim->cnt.migrations;
    cs_matching(sim);
    int still = 0, moved = 0, waited = 0;
    for (int32_t j = 0; j < n; j++) {
        if (emp0[j] >= 0) { /* employed when matching began: still employed, count untouched */
            CHECK(Wk->employer[j] >= 0 && Wk->unemp[j] == unemp0[j] && Wk->home[j] == home0[j]);
            continue;
        }
        if (Wk->employer[j] >= 0) continue; /* hired */
        still++;
        if (Wk->unemp[j] == 0) {
            CHECK(unemp0[j] + 1 >= sim->par.labour.t_mig);
            moved++;
        } else {
            CHECK(Wk->unemp[j] == unemp0[j] + 1 && Wk->home[j] == home0[j]);
            waited++;
        }
    }
    CHECK_MSG(still > 0 && waited > 0, "%d still unemployed, %d waited, %d moved", still, waited,
              moved);
    CHECK(sim->cnt.migrations - mig0 == moved);
    free(unemp0), free(home0), free(emp0);
    free_sim(sim);
}

/* The fields at the start of a step take the agglomeration windows the last metrics left when
 * their own job counts are the same bits (seen here by marking the kept windows: the fields
 * then hold the marks), and those are the windows they would take themselves; after a firm
 * has moved, the counts differ and the kept windows are not used. */
static void test_fields_reuse_metrics_windows(void) {
    cs_sim *sim = tiny_sim(23, 0.002, 1);
    static cs_metrics m;
    for (int t = 0; t < 3; t++) cs_step(sim);
    const size_t n = (size_t)sim->land.ncell, sn = (size_t)sim->S * n, nwin = sn + n;
    double *kept = malloc(sizeof(double) * nwin), *got = malloc(sizeof(double) * nwin);
    for (int moved = 0; moved < 2; moved++) {
        cs_metrics_compute(sim, &m);
        CHECK(sim->buf->jobs_memo_valid);
        double *win = sim->buf->jobs_win, *win_all = sim->buf->jobs_win_all;
        memcpy(kept, win, sizeof(double) * sn);
        memcpy(kept + sn, win_all, sizeof(double) * n);
        for (size_t k = 0; k < sn; k++) win[k] += 1.0; /* marked */
        for (size_t k = 0; k < n; k++) win_all[k] += 1.0;
        if (moved) /* the first alive firm with employees to another land cell */
            for (int32_t i = 0; i < sim->firms.n; i++)
                if (sim->firms.alive[i] && sim->firms.n_emp[i] > 0) {
                    const int32_t c = inland_cell(sim, 2, 5);
                    sim->firms.cell[i] = c != sim->firms.cell[i] ? c : inland_cell(sim, 2, 6);
                    break;
                }
        cs_fields_compute(sim);
        memcpy(got, sim->f.L_s, sizeof(double) * sn);
        memcpy(got + sn, sim->f.P, sizeof(double) * n);
        int marked = 1;
        for (size_t k = 0; k < nwin && marked; k++) marked = got[k] == kept[k] + 1.0;
        CHECK_MSG(marked == !moved, "moved %d: the kept windows %s", moved,
                  marked ? "were used" : "were not used");
        sim->buf->jobs_memo_valid = 0;
        cs_fields_compute(sim); /* every window taken afresh */
        if (!moved) {           /* what the metrics kept is what the fields take */
            CHECK(!memcmp(kept, sim->f.L_s, sizeof(double) * sn));
            CHECK(!memcmp(kept + sn, sim->f.P, sizeof(double) * n));
        } else {
            CHECK(!memcmp(got, sim->f.L_s, sizeof(double) * sn));
            CHECK(!memcmp(got + sn, sim->f.P, sizeof(double) * n));
        }
    }
    free(kept), free(got);
    free_sim(sim);
}

/* ------------------------------------------------------------- 4. Poisson startups */

/* Startups per cell ~ Poisson(lambda_e N scale (1 + b_k ln(1 + P / P0))), spinoffs and
 * spinouts off. Three cells: N 2e6, 2.4e7, 4e5 (full scale) at scale 0.0005, lambda_e 1e-3,
 * b_k 0.5, P / P0 = e - 1, 0, e^2 - 1: rates 1.5, 12 (above 10: the PTRS branch) and 0.4. Over
 * 3000 steps the mean per step must match within 5 standard errors and the variance / mean
 * ratio be 1 within 5 of its standard errors (sqrt((1/mu + 2) / T) for a Poisson count). */
static void test_startup_rates(void) {
    cs_sim *sim = tiny_sim(2, 0.0005, 1);
    cs_params *p = &sim->par;
    p->firms.lambda_e = 1e-3, p->firms.b_k = 0.5, p->firms.lambda_sp = 0;
    p->universities.lambda_u = 0;
    CHECK(sim->scale == 0.0005);
    int32_t nc = sim->land.ncell;
    int32_t cell[3] = {inland_cell(sim, 0, 0), inland_cell(sim, 0, 7), inland_cell(sim, 0, 20)};
    static const double N[3] = {2e6, 2.4e7, 4e5};
    const double P[3] = {p->land.p0 * (M_E - 1), 0, p->land.p0 * (M_E * M_E - 1)};
    static const double mu[3] = {1.5, 12.0, 0.4};
    for (int32_t c = 0; c < nc; c++) sim->f.N[c] = 0, sim->f.P[c] = 0;
    for (int k = 0; k < 3; k++) sim->f.N[cell[k]] = N[k], sim->f.P[cell[k]] = P[k];
    const int T = 3000;
    int32_t base = sim->firms.n;
    double s1[4] = {0}, s2[4] = {0};
    int misplaced = 0;
    for (int t = 1; t <= T; t++) {
        sim->step = t;
        memset(&sim->cnt, 0, sizeof sim->cnt);
        cs_entry(sim);
        int n[4] = {0};
        for (int32_t i = base; i < sim->firms.n; i++) {
            int k = -1;
            for (int m = 0; m < 3; m++)
                if (sim->firms.cell[i] == cell[m]) k = m;
            if (k < 0 || sim->firms.origin[i] != CS_ORIGIN_STARTUP || sim->firms.birth[i] != t)
                misplaced++;
            else
                n[k]++, n[3]++;
        }
        CHECK(sim->cnt.startups == sim->firms.n - base && sim->cnt.births == sim->cnt.startups);
        for (int k = 0; k < 4; k++) s1[k] += n[k], s2[k] += (double)n[k] * n[k];
        sim->firms.n = base; /* drop them: every step starts from the same state */
    }
    CHECK(misplaced == 0);
    for (int k = 0; k < 4; k++) {
        double m = k < 3 ? mu[k] : mu[0] + mu[1] + mu[2];
        double mean = s1[k] / T, var = (s2[k] - s1[k] * s1[k] / T) / (T - 1);
        CHECK_MSG(fabs(mean - m) <= 5 * sqrt(m / T), "cell %d: mean %.4f, rate %.4f", k, mean, m);
        CHECK_MSG(fabs(var / mean - 1) <= 5 * sqrt((1 / m + 2) / T),
                  "cell %d: variance / mean %.4f", k, var / mean);
    }
    free_sim(sim);
}

/* ------------------------------------------------------------- 5. exit and compaction */

/* x_exit 0.25 and Y 10: a firm exits when cash < -10. Firm 0 (cash -10.5) exits, firm 1
 * (-10, on the line) stays, firm 2 (empty 4 = t_empty) exits, firm 3 (empty 3) stays, firms 4
 * (broke) and 5 (empty 9) are kept by a policy, firm 6 (no output, cash -0.01) exits. */
static void test_exit(void) {
    cs_sim *sim = tiny_sim(1, 0.0005, 1);
    sim->par.firms.x_exit = 0.25, sim->par.firms.t_empty = 4;
    cs_firms *F = &sim->firms;
    int32_t c = inland_cell(sim, 0, 0);
    F->n = 7;
    static const double cash[7] = {-10.5, -10.0, 1, 1, -100, 1, -0.01};
    static const double Y[7] = {10, 10, 10, 10, 10, 0, 0};
    static const int empty[7] = {0, 0, 4, 3, 0, 9, 0}, kept[7] = {0, 0, 0, 0, 1, 1, 0};
    for (int i = 0; i < 7; i++) {
        plain_firm(sim, i, c, 0);
        F->id[i] = 100 + i, F->cash[i] = cash[i], F->Y[i] = Y[i], F->empty[i] = empty[i];
        F->kept[i] = (uint8_t)kept[i], F->A[i] = 1.0 + i;
    }
    cs_workers *Wk = &sim->workers;
    Wk->n = 8;
    static const int emp[8] = {0, 1, 3, 4, -1, 6, 1, 0};
    static const int want[8] = {-1, 0, 1, 2, -1, -1, 0, -1};
    for (int j = 0; j < 8; j++) Wk->employer[j] = emp[j], Wk->unemp[j] = 7;
    memset(&sim->cnt, 0, sizeof sim->cnt);
    cs_exit(sim);
    CHECK(sim->cnt.deaths == 3);
    CHECK(F->n == 4);
    static const int64_t ids[4] = {101, 103, 104, 105};
    for (int i = 0; i < 4 && i < F->n; i++) {
        CHECK(F->id[i] == ids[i]);
        CHECK_CLOSE(F->A[i], 1.0 + (double)(ids[i] - 100), 0);
        CHECK_CLOSE(F->cash[i], cash[ids[i] - 100], 0);
        CHECK(F->alive[i]);
    }
    for (int j = 0; j < 8; j++) {
        CHECK_MSG(Wk->employer[j] == want[j], "worker %d: employer %d, expected %d", j,
                  Wk->employer[j], want[j]);
        /* the dead firms' workers are unemployed from now; the others' counters untouched */
        int died = emp[j] >= 0 && want[j] < 0;
        CHECK_MSG(Wk->unemp[j] == (died ? 0 : 7), "worker %d: unemp %d", j, Wk->unemp[j]);
    }
    free_sim(sim);
}

/* Compaction of N firms, enough for the parallel path (runs moved per array), against a plain
 * serial compaction: dead firms alone, in runs of every length, across bitmap words, and at
 * both ends. */
static void compaction_large(int32_t N) {
    cs_sim *sim = tiny_sim(1, 0.0005, 1);
    cs_firms_reserve(sim, N);
    cs_firms *F = &sim->firms;
    F->n = N;
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 42, 7);
    uint8_t *alive = malloc((size_t)N);
    int32_t *newidx = malloc((size_t)N * sizeof *newidx);
    int32_t k = 0;
    for (int32_t i = 0; i < N; i++) {
        /* about 10% dead, some in long runs; the first and last firms dead */
        int dead = i == 0 || i == N - 1 || cs_pcg32_uniform(&rng) < 0.1 ||
                   (i >= 5000 && i < 5300) || (i >= 70000 && i < 70129);
        alive[i] = (uint8_t)!dead;
        newidx[i] = dead ? -1 : k++;
        F->id[i] = 1000 + i, F->parent[i] = -i, F->cell[i] = i % 97;
        F->sector[i] = (uint8_t)(i % 5), F->origin[i] = (uint8_t)(i % 3), F->birth[i] = -i;
        F->n_emp[i] = i % 11, F->empty[i] = i % 2, F->A[i] = 0.5 * i, F->H[i] = 0.25 * i;
        F->w[i] = i + 0.125, F->cash[i] = -i, F->Y[i] = 2.0 * i, F->phi[i] = 0.001 * i;
        F->hstar[i] = 3.0 * i, F->vac[i] = i % 4, F->rho[i] = 1e-6 * i, F->credit[i] = 0;
        F->profit[i] = i - 7.0, F->pay[i] = i % 13, F->kept[i] = (uint8_t)(i % 2);
        F->alive[i] = alive[i];
    }
    cs_workers *Wk = &sim->workers;
    int32_t *emp0 = malloc((size_t)Wk->n * sizeof *emp0);
    for (int32_t j = 0; j < Wk->n; j++) {
        emp0[j] = j % 9 == 0 ? -1 : (int32_t)cs_pcg32_bounded(&rng, (uint32_t)N);
        Wk->employer[j] = emp0[j], Wk->unemp[j] = 5;
    }
    cs_firms_compact(sim);
    CHECK(F->n == k);
    int bad = 0;
    for (int32_t i = 0; i < N; i++) {
        if (!alive[i]) continue;
        const int32_t m = newidx[i];
        bad += F->id[m] != 1000 + i || F->parent[m] != -i || F->cell[m] != i % 97 ||
               F->sector[m] != i % 5 || F->origin[m] != i % 3 || F->birth[m] != -i ||
               F->n_emp[m] != i % 11 || F->empty[m] != i % 2 || F->A[m] != 0.5 * i ||
               F->H[m] != 0.25 * i || F->w[m] != i + 0.125 || F->cash[m] != -i ||
               F->Y[m] != 2.0 * i || F->phi[m] != 0.001 * i || F->hstar[m] != 3.0 * i ||
               F->vac[m] != i % 4 || F->rho[m] != 1e-6 * i || F->profit[m] != i - 7.0 ||
               F->pay[m] != i % 13 || F->kept[m] != i % 2 || !F->alive[m];
    }
    CHECK_MSG(bad == 0, "%d moved firms differ from a serial compaction", bad);
    int wbad = 0, died = 0;
    for (int32_t j = 0; j < Wk->n; j++) {
        const int32_t want = emp0[j] < 0 ? -1 : newidx[emp0[j]];
        const int lost = emp0[j] >= 0 && want < 0;
        died += lost;
        wbad += Wk->employer[j] != want || Wk->unemp[j] != (lost ? 0 : 5);
    }
    CHECK_MSG(wbad == 0, "%d workers' employers differ", wbad);
    CHECK(died > 0);
    free(alive), free(newidx), free(emp0);
    free_sim(sim);
}

/* Both ways of remapping the workers' employers: the table of new indexes (up to 1 MB of them:
 * 262,144 firms) and the dead bitmap with its counts (above), its bits counted both ways (the
 * processor's popcnt where it has one, and the portable count). */
static void test_compaction_large(void) {
    compaction_large(3 * CS_PAR_MIN + 77);
    compaction_large(300001);
    cs_compact_allow_popcnt(0);
    compaction_large(300001);
    cs_compact_allow_popcnt(1);
}

/* Compaction with the step's plan (exit.c) for N firms, deaths or none: the plan moves with
 * its firms, the planned survivors' workers are listed in worker order, and the index made
 * from that list equals the pass over every worker; a list that misses a wanted firm's worker
 * is caught (a pass over everyone instead, counted in plan_misses). */
static void compaction_plan(int32_t N, int deaths) {
    cs_sim *sim = tiny_sim(3, 0.0005, 1);
    cs_firms_reserve(sim, N);
    cs_firms *F = &sim->firms;
    cs_buffers *b = sim->buf;
    F->n = N;
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 9, 2);
    uint8_t *plan0 = malloc((size_t)N), *alive = malloc((size_t)N);
    int32_t *newidx = malloc((size_t)N * sizeof *newidx);
    int32_t k = 0;
    for (int32_t i = 0; i < N; i++) {
        alive[i] = (uint8_t) !(deaths && (i == 0 || cs_pcg32_uniform(&rng) < 0.1));
        plan0[i] = cs_pcg32_uniform(&rng) < 0.05 ? (uint8_t)(1 + cs_pcg32_bounded(&rng, 3)) : 0;
        newidx[i] = alive[i] ? k++ : -1;
        F->id[i] = i, F->alive[i] = alive[i], F->n_emp[i] = 0;
        b->f_plan[i] = plan0[i];
    }
    cs_workers *Wk = &sim->workers;
    for (int32_t j = 0; j < Wk->n; j++)
        Wk->employer[j] = j % 7 == 0 ? -1 : (int32_t)cs_pcg32_bounded(&rng, (uint32_t)N);
    int32_t *emp0 = malloc((size_t)Wk->n * sizeof *emp0);
    memcpy(emp0, Wk->employer, (size_t)Wk->n * sizeof *emp0);
    b->has_plan = 1, b->plan_step = sim->step, b->plan_misses = 0;
    cs_firms_compact(sim);
    CHECK(F->n == k && b->plan_n == k);
    int pbad = 0;
    for (int32_t i = 0; i < N; i++) pbad += alive[i] && b->f_plan[newidx[i]] != plan0[i];
    CHECK_MSG(pbad == 0, "%d firms' plans did not move with them", pbad);
    /* the list: the workers of planned survivors, in worker order */
    int32_t m = 0, lbad = 0;
    for (int32_t j = 0; j < Wk->n; j++) {
        const int32_t e = emp0[j];
        if (e < 0 || !alive[e] || !plan0[e]) continue;
        lbad += m >= b->cand_n || b->w_order[m] != j;
        m++;
    }
    CHECK_MSG(lbad == 0 && m == b->cand_n, "listed %d workers, expected %d (%d differ)", b->cand_n,
              m, lbad);
    /* headcounts as the phases keep them; want: firms with the review bit */
    for (int32_t j = 0; j < Wk->n; j++)
        if (Wk->employer[j] >= 0) F->n_emp[Wk->employer[j]]++;
    int32_t *want = calloc((size_t)k, sizeof *want);
    for (int32_t i = 0; i < k; i++) want[i] = (b->f_plan[i] & CS_PLAN_REVIEW) != 0;
    int32_t *start = malloc(((size_t)k + 1) * sizeof *start);
    int32_t *worker = malloc((size_t)Wk->n * sizeof *worker);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            /* a worker joins a wanted firm from outside the list: the list cannot index it */
            int32_t j = 0, f = 0;
            while (f < k && !want[f]) f++;
            while (j < Wk->n && Wk->employer[j] >= 0) j++;
            CHECK(f < k && j < Wk->n);
            Wk->employer[j] = f;
            F->n_emp[f]++;
        }
        cs_workerindex_build_planned(sim, want);
        memcpy(start, sim->wi.start, ((size_t)k + 1) * sizeof *start);
        memcpy(worker, sim->wi.worker, (size_t)start[k] * sizeof *worker);
        CHECK_MSG(b->plan_misses == pass, "pass %d: %lld misses", pass, (long long)b->plan_misses);
        cs_workerindex_build_for(sim, want);
        int ibad = memcmp(start, sim->wi.start, ((size_t)k + 1) * sizeof *start) != 0 ||
                   memcmp(worker, sim->wi.worker, (size_t)start[k] * sizeof *worker) != 0;
        CHECK_MSG(!ibad, "pass %d: the index from the list differs from the full pass", pass);
        CHECK(start[k] > 0);
    }
    free(plan0), free(alive), free(newidx), free(emp0), free(want), free(start), free(worker);
    free_sim(sim);
}

static void test_compaction_plan(void) {
    compaction_plan(3 * CS_PAR_MIN + 77, 1); /* the remap table */
    compaction_plan(300001, 1);              /* the dead bitmap */
    cs_compact_allow_popcnt(0);              /* its bits counted without popcnt */
    compaction_plan(300001, 1);
    cs_compact_allow_popcnt(1);
    compaction_plan(50000, 0); /* nobody died: the pass only gathers */
}

/* ------------------------------------------------------------- 6. skills */

/* eta_l 0.01, lambda_h 2.5, eta_d 0.005. Employed at a cell with P / P0 = e - 1:
 * h += 0.035 (1 - h); at P = 0: h += 0.01 (1 - h); unemployed h *= 0.995, floored at
 * CS_SKILL_MIN (0.05, the entrants' floor too),
 * capped at 1. */
/* Phase 11's separations: each employed worker's job ends with probability labour.separation
 * (binomial: 9000 employed at 0.1, sd 28 around 900); the unemployed are left alone, the
 * separated keep their skill and home and start a spell of unemployment, and the count goes
 * to job_losses. With no retirement nobody else changes. */
static void test_separations(void) {
    cs_sim *sim = tiny_sim(4, 0.0005, 1);
    cs_params *p = &sim->par;
    p->workers.retire = 0, p->labour.separation = 0.1;
    cs_workers *Wk = &sim->workers;
    CHECK(Wk->n >= 10000);
    Wk->n = 10000;
    sim->firms.n = 1;
    plain_firm(sim, 0, inland_cell(sim, 0, 0), 0);
    for (int j = 0; j < Wk->n; j++) {
        Wk->employer[j] = j % 10 ? 0 : -1;
        Wk->unemp[j] = 3;
    }
    worker_copy before;
    save_workers(sim, &before);
    sim->step = 7;
    memset(&sim->cnt, 0, sizeof sim->cnt);
    cs_demographics(sim);
    int separated = 0, wrong = 0;
    for (int j = 0; j < Wk->n; j++) {
        wrong += Wk->home[j] != before.home[j] || Wk->skill[j] != before.skill[j];
        if (j % 10 == 0) {
            wrong += Wk->employer[j] != -1 || Wk->unemp[j] != 3;
        } else if (Wk->employer[j] < 0) {
            separated++;
            wrong += Wk->unemp[j] != 0;
        } else {
            wrong += Wk->employer[j] != 0 || Wk->unemp[j] != 3;
        }
    }
    CHECK_MSG(wrong == 0, "%d workers changed wrongly", wrong);
    CHECK_MSG(separated >= 810 && separated <= 990, "%d of 9000 separated", separated);
    CHECK(sim->cnt.job_losses == separated);
    /* none at 0 */
    load_workers(sim, &before);
    p->labour.separation = 0;
    cs_demographics(sim);
    CHECK(same_workers(sim, &before));
    free_copy(&before);
    free_sim(sim);
}

static void test_skills(void) {
    cs_sim *sim = tiny_sim(1, 0.0005, 1);
    cs_params *p = &sim->par;
    p->workers.eta_l = 0.01, p->workers.lambda_h = 2.5, p->workers.eta_d = 0.005;
    p->n_policies = 0;
    int32_t c0 = inland_cell(sim, 0, 0), c1 = inland_cell(sim, 0, 9);
    sim->f.P[c0] = p->land.p0 * (M_E - 1), sim->f.P[c1] = 0;
    sim->firms.n = 2;
    plain_firm(sim, 0, c0, 0);
    plain_firm(sim, 1, c1, 0);
    cs_workers *Wk = &sim->workers;
    Wk->n = 6;
    static const int emp[6] = {0, 1, -1, -1, 0, 0};
    static const float h0[6] = {0.5f, 0.5f, 0.5f, 0.05f, 1.0f, 0.2f};
    static const double want[6] = {0.5175, 0.505, 0.4975, 0.05, 1.0, 0.228};
    /* the rate comes from the fields' list of firm cells when the cell is on it, else at the
     * worker (a firm that moved or started since), else, without a list, from every cell */
    cs_buffers *b = sim->buf;
    for (int mode = 0; mode < 3; mode++) {
        if (mode == 0) b->n_firm_cells = 0; /* listed: none */
        if (mode == 1)
            b->firm_cells[0] = c0 < c1 ? c0 : c1, b->firm_cells[1] = c0 < c1 ? c1 : c0,
            b->n_firm_cells = 2;             /* listed: both */
        if (mode == 2) b->n_firm_cells = -1; /* no list */
        for (int j = 0; j < 6; j++) Wk->employer[j] = emp[j], Wk->skill[j] = h0[j];
        cs_skills(sim);
        for (int j = 0; j < 6; j++)
            CHECK_MSG(fabs(Wk->skill[j] - want[j]) <= 1e-7,
                      "mode %d, worker %d: skill %.9f, expected %.9f", mode, j, Wk->skill[j],
                      want[j]);
    }
    free_sim(sim);
}

/* Start of a step (landscape.c): building adds build_rate of the demand beyond capacity, only
 * where demand exceeds it; a declining asset keeps 1 - rate of itself each step from its start. */
static void test_landscape_building_and_asset_decline(void) {
    cs_sim *sim = tiny_sim(1, 0.0005, 1);
    cs_landscape *l = &sim->land;
    int32_t a = 0, b = 1;
    l->K[a] = 100, sim->f.J[a] = 300; /* demand 200 beyond capacity */
    l->K[b] = 500, sim->f.J[b] = 300; /* spare space: nothing built */
    l->Kh[a] = 50, sim->f.N[a] = 150;
    sim->par.land.build_rate = 0.25;
    sim->step = 1; /* the first step has no previous demand: nothing is built */
    cs_landscape_step(sim);
    CHECK(l->K[a] == 100 && l->Kh[a] == 50);
    sim->step = 2;
    cs_landscape_step(sim);
    CHECK_CLOSE(l->K[a], 150.0, 1e-12); /* 100 + 0.25 x 200 */
    CHECK_CLOSE(l->K[b], 500.0, 0);
    CHECK_CLOSE(l->Kh[a], 75.0, 1e-12); /* 50 + 0.25 x 100 */
    sim->par.land.build_rate = 0;
    /* the asset: untouched before the start, then 1 - rate of itself per step */
    int e = cs_config_sector_index(&sim->par, "energy");
    CHECK(e >= 0);
    double *asset = l->asset + (int64_t)e * l->ncell;
    int32_t peak = 0;
    for (int32_t c = 1; c < l->ncell; c++)
        if (asset[c] > asset[peak]) peak = c;
    double a0 = asset[peak];
    CHECK(a0 > 0);
    sim->par.landscape.asset_decline_start = 5, sim->par.landscape.asset_decline_rate = 0.1;
    sim->step = 4;
    cs_landscape_step(sim);
    CHECK_CLOSE(asset[peak], a0, 0);
    sim->step = 5;
    cs_landscape_step(sim);
    sim->step = 6;
    cs_landscape_step(sim);
    CHECK_CLOSE(asset[peak], a0 * 0.9 * 0.9, 1e-12);
    free_sim(sim);
}

/* The start is a steady state: the initial wages are the fixed point of the wage rule (the
 * local mean wage wbar is itself a mean of the wages), so every initial firm's optimal size at
 * the first step's fields is its size. With the wages one pass away from the fixed point the
 * optimum was off by up to a factor of 2-3 around large high-rent firms (a town's firms then
 * laid off half their workers in the first step). Both starts, on the UK map. */
static void test_start_at_optimum(void) {
    const char *starts[] = {"real", "emergent"};
    for (int k = 0; k < 2; k++) {
        cs_params *p = malloc(sizeof *p);
        cs_params_defaults(p);
        p->scale = 0.002;
        p->seed = 5;
        snprintf(p->landscape.initial_sectors, sizeof p->landscape.initial_sectors, "%s",
                 starts[k]);
        cs_sim *sim = calloc(1, sizeof *sim);
        CHECK(cs_sim_init(sim, p) == 0);
        free(p);
        double worst = 0;
        int32_t counted = 0;
        for (int32_t i = 0; i < sim->firms.n; i++) {
            if (sim->firms.H[i] <= 0) continue;
            cs_labour_demand(sim, i, sim->par.workers.skill_mean);
            double r = fabs(sim->firms.hstar[i] / sim->firms.H[i] - 1.0);
            if (r > worst) worst = r;
            counted++;
        }
        CHECK(counted > 100);
        CHECK_MSG(worst < 1e-6, "%s start: largest |H*/H - 1| %.3g", starts[k], worst);
        free_sim(sim);
    }
}

/* The real start's fundamentals offset the natural asset where firms sat on it (Aberdeen's
 * energy: minus the area's mean asset over its firms). By default that offset stays when the
 * asset declines; with landscape.asset_offset = "released" it goes with the asset: after a
 * decline Phi has lost (1 - kept) of both the asset and its offset. */
static void test_fundamentals_release_the_declining_asset(void) {
    cs_params *p = malloc(sizeof *p);
    cs_params_defaults(p);
    p->scale = 0.002;
    p->seed = 5;
    cs_sim *sim = calloc(1, sizeof *sim);
    CHECK(cs_sim_init(sim, p) == 0);
    free(p);
    const cs_landscape *l = &sim->land;
    const cs_firms *F = &sim->firms;
    const int e = cs_config_sector_index(&sim->par, "energy");
    const int32_t nc = l->ncell;
    const double *asset = l->asset + (int64_t)e * nc, *fa = l->fund_asset + (int64_t)e * nc;
    const double *fund = l->fund + (int64_t)e * nc;
    /* the offset recomputed from the initial energy firms, area by area */
    double *sum = calloc(CS_UK_NAREAS, sizeof *sum), *cnt = calloc(CS_UK_NAREAS, sizeof *cnt);
    double nat = 0, ncnt = 0;
    for (int32_t i = 0; i < F->n; i++) {
        if (F->sector[i] != e || l->area[F->cell[i]] < 0) continue;
        sum[l->area[F->cell[i]]] += asset[F->cell[i]], cnt[l->area[F->cell[i]]] += 1;
        nat += asset[F->cell[i]], ncnt += 1;
    }
    CHECK(ncnt > 10);
    int32_t peak = 0;
    for (int32_t c = 1; c < nc; c++)
        if (asset[c] > asset[peak]) peak = c;
    int checked = 0, bad = 0;
    for (int32_t c = 0; c < nc; c++) {
        int a = l->area[c];
        if (!l->land[c] || a < 0 || cnt[a] == 0) continue;
        bad += fabs(fa[c] + sum[a] / cnt[a]) > 1e-12;
        checked++;
    }
    CHECK(checked > 1000 && bad == 0);
    /* at the asset the fitted fundamental is mostly the offset: without it, a small edge */
    CHECK_MSG(fund[peak] < -0.5 && fa[peak] < -0.5 && fabs(fund[peak] - fa[peak]) < 0.5,
              "fund %.3f offset %.3f", fund[peak], fa[peak]);
    /* a cell with neither asset nor offset, whose Phi the decline must leave alone */
    int32_t far = -1;
    for (int32_t c = 0; c < nc && far < 0; c++)
        if (l->land[c] && asset[c] == 0 && fa[c] == 0 && fund[c] != 0) far = c;
    CHECK(far >= 0);
    const double phi0 = cs_phi(sim, e, peak), a0 = asset[peak], f0 = fa[peak];
    const double phi_far = far >= 0 ? cs_phi(sim, e, far) : 0;
    sim->par.land.build_rate = 0;
    sim->par.landscape.asset_decline_start = 1, sim->par.landscape.asset_decline_rate = 0.25;
    /* kept (the default): Phi loses the asset only */
    for (sim->step = 1; sim->step <= 2; sim->step++) cs_landscape_step(sim);
    CHECK(l->offset_kept == 1.0);
    CHECK_CLOSE(cs_phi(sim, e, peak) - phi0, -(1.0 - 0.75 * 0.75) * a0, 1e-9);
    /* released: the offset goes with the asset from then on */
    strcpy(sim->par.landscape.asset_offset, "released");
    for (; sim->step <= 10; sim->step++) cs_landscape_step(sim);
    const double kept = l->offset_kept, left = asset[peak] / a0;
    CHECK_CLOSE(left, pow(0.75, 10), 1e-12);
    CHECK_CLOSE(kept, pow(0.75, 8), 1e-12);
    /* Phi has lost (1 - left) of the asset and given back (1 - kept) of its offset */
    CHECK_CLOSE(cs_phi(sim, e, peak) - phi0, -(1.0 - left) * a0 - (1.0 - kept) * f0, 1e-9);
    if (far >= 0) CHECK(cs_phi(sim, e, far) == phi_far);
    free(sum);
    free(cnt);
    free_sim(sim);
}

/* ------------------------------------------------------------- transport links' commutes */

/* A link between inland cells A and B (radius 2) on the tiny grid; A and B far apart. */
static cs_sim *link_sim(int32_t *A, int32_t *B) {
    cs_sim *sim = tiny_sim(21, 0.0005, 1);
    const cs_landscape *l = &sim->land;
    *A = inland_cell(sim, 3, 0);
    *B = -1;
    for (int k = 1; *B < 0; k++) { /* the first inland cell at least 20 cells from A */
        const int32_t c = inland_cell(sim, 3, k);
        CHECK(c >= 0);
        if (c < 0) break;
        if (cs_dist(l, *A, c) >= 20.0) *B = c;
    }
    sim->n_links = 1;
    sim->links[0] = (cs_link){.ax = *A % l->W,
                              .ay = *A / l->W,
                              .bx = *B % l->W,
                              .by = *B / l->W,
                              .radius = 2.0,
                              .kappa = 0.5,
                              .open = 1};
    sim->par.labour.rc = 2.0, sim->par.labour.c_d = 0.05;
    return sim;
}

/* cs_commute_dist: across the link when home is within its radius of one end and the job of
 * the other (either direction), else the straight line; nothing across a closed link. */
static void test_commute_dist(void) {
    int32_t A, B;
    cs_sim *sim = link_sim(&A, &B);
    const cs_landscape *l = &sim->land;
    const int W = l->W;
    CHECK_CLOSE(cs_commute_dist(sim, A + 1, B - W), 2.0, 0);
    CHECK_CLOSE(cs_commute_dist(sim, B - W, A + 1), 2.0, 0);
    CHECK_CLOSE(cs_commute_dist(sim, A, B), 0.0, 0);
    /* the home beyond the radius, or the job: the straight line */
    CHECK(cs_commute_dist(sim, A + 3, B) == cs_dist(l, A + 3, B));
    CHECK(cs_commute_dist(sim, A, B + 3) == cs_dist(l, A, B + 3));
    /* near one end, a job close by: the straight line is shorter */
    CHECK(cs_commute_dist(sim, A + 1, A - 1) == 2.0);
    sim->links[0].open = 0;
    CHECK(cs_commute_dist(sim, A + 1, B - W) == cs_dist(l, A + 1, B - W));
    free_sim(sim);
}

/* Workers living at one end of a link, employed next to the other: an offer there 3% better is
 * not worth the switching threshold (5%) when the current job is costed by the route they
 * travel (1 cell against 1 for the offer), and one 30% better is. Costed at the straight line
 * (20+ cells), every one of them switched for 3%. */
static void test_matching_link_commuters(void) {
    int32_t A, B;
    cs_sim *sim = link_sim(&A, &B);
    cs_params *p = &sim->par;
    p->labour.q_ojs = 1, p->labour.q_u = 1, p->labour.k_w = 2, p->labour.t_mig = 0;
    p->labour.switch_gain = 0.05, p->labour.outside_option = 0;
    cs_firms *F = &sim->firms;
    F->n = 2;
    plain_firm(sim, 0, B + 1, 0); /* the current employer: 1 cell from B */
    plain_firm(sim, 1, B - 1, 0); /* the offer: 1 cell from B on the other side */
    cs_workers *Wk = &sim->workers;
    const int n = 40;
    Wk->n = n;
    static const double wage[2] = {1.03, 1.3};
    for (int k = 0; k < 2; k++) {
        for (int j = 0; j < n; j++) {
            Wk->home[j] = A, Wk->employer[j] = 0, Wk->hired[j] = -5, Wk->unemp[j] = 0;
            Wk->skill[j] = 0.5f;
        }
        F->n_emp[0] = n, F->n_emp[1] = 0, F->vac[0] = 0, F->vac[1] = 1000;
        F->w[0] = 1.0, F->w[1] = wage[k];
        sim->step = 1 + k;
        cs_matching(sim);
        int moved = 0;
        for (int j = 0; j < n; j++) moved += Wk->employer[j] == 1;
        if (k == 0)
            CHECK_MSG(moved == 0, "3%% better: %d of %d switched", moved, n);
        else
            CHECK_MSG(moved == n, "30%% better: %d of %d switched", moved, n);
    }
    free_sim(sim);
}

/* Residence: a link commuter's home at one end is costed by the route (1 cell), so with homes
 * near the job dear it stays; costed at the straight line it moved next to the job. */
static void test_residence_link_commuters(void) {
    int32_t A, B;
    cs_sim *sim = link_sim(&A, &B);
    cs_params *p = &sim->par;
    p->workers.m_w = 1.0, p->workers.k_h = 4, p->workers.tau_h = 0.01;
    cs_firms *F = &sim->firms;
    F->n = 1;
    plain_firm(sim, 0, B + 1, 0);
    const cs_landscape *l = &sim->land;
    for (int32_t c = 0; c < l->ncell; c++) {
        sim->f.house[c] = cs_dist(l, c, B + 1) <= 2.0 ? 1.0 : 0.0;
        sim->land.amenity[c] = 0;
    }
    cs_workers *Wk = &sim->workers;
    const int n = 200;
    Wk->n = n;
    for (int j = 0; j < n; j++) Wk->home[j] = A, Wk->employer[j] = 0;
    sim->step = 1;
    cs_residence(sim);
    int moved = 0;
    for (int j = 0; j < n; j++) moved += Wk->home[j] != A;
    CHECK_MSG(moved == 0, "%d of %d link commuters moved next to the job", moved, n);
    /* the link closed: the straight line, and homes near the job win */
    sim->links[0].open = 0;
    sim->step = 2;
    cs_residence(sim);
    moved = 0;
    for (int j = 0; j < n; j++) moved += Wk->home[j] != A;
    CHECK_MSG(moved > n / 2, "without the link %d of %d moved", moved, n);
    free_sim(sim);
}

int main(void) {
    RUN(test_commute_dist);
    RUN(test_matching_link_commuters);
    RUN(test_residence_link_commuters);
    RUN(test_labour_demand);
    RUN(test_production);
    RUN(test_logit_pick);
    RUN(test_residence_logit);
    RUN(test_matching_outside_option);
    RUN(test_matching_unemployed_contact);
    RUN(test_matching_most_skilled_first);
    RUN(test_matching_ties);
    RUN(test_matching_posts_law);
    RUN(test_pair_tables);
    RUN(test_matching_threads_and_rounds);
    RUN(test_startup_rates);
    RUN(test_hazard_hit);
    RUN(test_cdf_pick);
    RUN(test_pack8);
    RUN(test_cell_row_and_dist);
    RUN(test_reach_d2max);
    RUN(test_start_capacities);
    RUN(test_counting_sort_subset);
    RUN(test_counting_offsets_ranges);
    RUN(test_exit);
    RUN(test_compaction_large);
    RUN(test_compaction_plan);
    RUN(test_phi_table);
    RUN(test_fields_headcounts);
    RUN(test_separations);
    RUN(test_skills);
    RUN(test_landscape_building_and_asset_decline);
    RUN(test_fundamentals_release_the_declining_asset);
    RUN(test_start_at_optimum);
    RUN(test_matching_closing_pass);
    RUN(test_fields_reuse_metrics_windows);
    return CHECK_DONE();
}
