/* test_policies.c: the policy levers (sim/policies.c) on small real simulations whose firms and
 * workers are then set by hand, so that every payment can be checked against hand numbers. */
#include <omp.h>
#include <stdlib.h>

#include "check.h"
#include "clustersim.h"
#include "config.h"
#include "internal.h"
#include "policies.h"

/* Exported by policies.c for tests and tools (not yet in policies.h). */
int cs_policy_active(const cs_policy *p, int step);
int cs_policy_announced(const cs_policy *p, int step, int t_plan);
const uint8_t *cs_policies_area(const cs_sim *sim, int q);

#define SCALE 0.001

static void base_params(cs_params *p) {
    cs_params_defaults(p);
    p->scale = SCALE;
    p->grid.width = 40, p->grid.height = 64;
    p->seed = 7;
    p->steps = 10;
}

static cs_policy *add_policy(cs_params *p, int type) {
    cs_policy *q = &p->policies[p->n_policies];
    cs_policy_defaults(q, type, p->n_policies);
    p->n_policies++;
    return q;
}

/* Clears what phase 4 resets before policies pay (support, kept, counters). */
static void reset_support(cs_sim *sim) {
    for (int32_t i = 0; i < sim->firms.n; i++) sim->firms.pay[i] = 0, sim->firms.kept[i] = 0;
    memset(&sim->cnt, 0, sizeof sim->cnt);
}

static void begin(cs_sim *sim, int step) {
    sim->step = step;
    memset(&sim->cnt, 0, sizeof sim->cnt);
    cs_policies_begin_step(sim);
}

/* ---------------------------------------------------------------- activity windows */

static void test_active_windows(void) {
    cs_policy p;
    cs_policy_defaults(&p, CS_POL_LOCATION_SUBSIDY, 0);
    p.start = 4, p.end = 20, p.cycle_on = 3, p.cycle_off = 2;
    /* on 4-6, off 7-8, on 9-11, off 12-13, on 14-16, off 17-18, on 19, end 20 */
    static const int on[] = {0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0};
    for (int t = 0; t < 22; t++) CHECK_MSG(cs_policy_active(&p, t) == on[t], "step %d", t);
    p.cycle_on = p.cycle_off = 0;
    for (int t = 0; t < 22; t++) CHECK(cs_policy_active(&p, t) == (t >= 4 && t < 20));
    p.end = -1;
    CHECK(cs_policy_active(&p, 100000));
    CHECK(!cs_policy_active(&p, 3));
    /* announced t_plan steps ahead, until the end */
    p.end = 20;
    CHECK(!cs_policy_announced(&p, 0, 3));
    CHECK(cs_policy_announced(&p, 1, 3));
    CHECK(cs_policy_announced(&p, 19, 3));
    CHECK(!cs_policy_announced(&p, 20, 3));
    /* start == end: it never pays, so firms never hear of it (a zone would otherwise still add
     * a candidate cell to every review and move the run) */
    p.end = p.start;
    for (int t = 0; t < 22; t++) CHECK(!cs_policy_announced(&p, t, 3) && !cs_policy_active(&p, t));
}

/* ---------------------------------------------------------------- area masks */

static void test_area_masks(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_LOCATION_SUBSIDY); /* 0: everywhere */
    q = add_policy(p, CS_POL_LOCATION_SUBSIDY);            /* 1: regions */
    q->area_kind = CS_AREA_REGIONS, q->n_area_regions = 2;
    strcpy(q->area_regions[0], "North East");
    strcpy(q->area_regions[1], "Wales");
    q = add_policy(p, CS_POL_LOCATION_SUBSIDY); /* 2: circle */
    q->area_kind = CS_AREA_CIRCLE, q->cx = 30.5, q->cy = 50, q->r = 2.5;
    q = add_policy(p, CS_POL_LOCATION_SUBSIDY); /* 3: rect */
    q->area_kind = CS_AREA_RECT, q->x0 = 20, q->y0 = 40, q->x1 = 25, q->y1 = 44;
    q = add_policy(p, CS_POL_LOCATION_SUBSIDY); /* 4: city centres */
    q->area_kind = CS_AREA_CITY_CENTRES;
    cs_sim *sim = calloc(1, sizeof *sim);
    CHECK(cs_sim_init(sim, p) == 0);
    const cs_landscape *l = &sim->land;
    int ne = -1, wa = -1;
    for (int r = 0; r < l->n_regions; r++) {
        if (!strcmp(l->region_names[r], "North East")) ne = r;
        if (!strcmp(l->region_names[r], "Wales")) wa = r;
    }
    int n[5] = {0};
    for (int y = 0; y < l->H; y++)
        for (int x = 0; x < l->W; x++) {
            int c = y * l->W + x, land = l->land[c];
            int want[5] = {land, land && (l->region[c] == ne || l->region[c] == wa),
                           land && (x - 30.5) * (x - 30.5) + (y - 50.0) * (y - 50.0) <= 6.25,
                           land && x >= 20 && x <= 25 && y >= 40 && y <= 44, land && l->centre[c]};
            for (int k = 0; k < 5; k++) {
                CHECK_MSG(cs_policies_area(sim, k)[c] == want[k], "area %d cell (%d,%d)", k, x, y);
                n[k] += want[k];
            }
        }
    for (int k = 0; k < 5; k++) CHECK_MSG(n[k] > 0, "area %d is empty in this landscape", k);
    cs_sim_free(sim);
    free(sim);
    free(p);
}

/* ---------------------------------------------------------------- budgets and windows */

/* A sim with one location subsidy (per_worker 1) on the circle around cell (cx, cy); firms 0-2
 * are put in the area with 10, 20 and 70 workers, firm 3 outside with 50, all others empty. */
static cs_sim *subsidy_sim(double budget, int start, int end, int on, int off, int *inside) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_LOCATION_SUBSIDY);
    q->per_worker = 1.0, q->budget = budget, q->start = start, q->end = end;
    q->cycle_on = on, q->cycle_off = off;
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    /* the area: a circle of radius 1.5 around the first city's cell */
    const cs_landscape *l = &sim->land;
    int c0 = l->cities[0].y * l->W + l->cities[0].x;
    sim->par.policies[0].area_kind = CS_AREA_CIRCLE;
    sim->par.policies[0].cx = l->cities[0].x, sim->par.policies[0].cy = l->cities[0].y;
    sim->par.policies[0].r = 1.5;
    cs_policies_free(sim);
    cs_policies_init(sim);
    int outside = -1;
    for (int c = 0; c < l->ncell && outside < 0; c++)
        if (l->land[c] && cs_dist(l, c, c0) > 5) outside = c;
    cs_firms *F = &sim->firms;
    for (int32_t i = 0; i < F->n; i++) F->n_emp[i] = 0;
    static const int emp[4] = {10, 20, 70, 50};
    for (int i = 0; i < 4; i++) {
        F->n_emp[i] = emp[i];
        F->cell[i] = i < 3 ? c0 : outside;
    }
    *inside = c0;
    return sim;
}

static void test_prorata_budget(void) {
    int c0;
    /* claims 10 + 20 + 70 = 100 pounds (simulated); budget 40000 full scale = 40 simulated */
    cs_sim *sim = subsidy_sim(40000.0, 1, -1, 0, 0, &c0);
    begin(sim, 2);
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->firms.pay[0], 4.0, 1e-12);
    CHECK_CLOSE(sim->firms.pay[1], 8.0, 1e-12);
    CHECK_CLOSE(sim->firms.pay[2], 28.0, 1e-12);
    CHECK(sim->firms.pay[3] == 0); /* outside the area */
    CHECK_CLOSE(sim->cnt.spending[0], 40.0, 1e-12);
    CHECK(sim->cnt.spending[0] <= 40.0);
    CHECK_CLOSE(sim->cnt.spending_total, 40.0, 1e-12);
    /* a budget above the claims pays them in full */
    sim->par.policies[0].budget = 1e6;
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->firms.pay[2], 70.0, 1e-12);
    CHECK_CLOSE(sim->cnt.spending[0], 100.0, 1e-12);
    /* uncapped */
    sim->par.policies[0].budget = 0;
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[0], 100.0, 1e-12);
    /* firms value the support: inside the area only */
    CHECK(cs_policies_location_value(sim, 0, c0) > 0);
    CHECK(cs_policies_location_value(sim, 0, sim->firms.cell[3]) == 0);
    cs_sim_free(sim);
    free(sim);
}

/* Before a capped zone first pays, firms expect the factor today's claims would get (the budget
 * is public), not the nominal rate; after the first payment, the factor paid. */
static void test_expected_factor_before_the_first_payment(void) {
    int c0;
    /* claims 10 + 20 + 70 = 100 simulated; budget 25000 full scale = 25 simulated */
    cs_sim *sim = subsidy_sim(25000.0, 10, -1, 0, 0, &c0);
    int tp = sim->par.firms.t_plan;
    begin(sim, 5); /* announced, not yet paying: steps 10..25 of 6..25 pay */
    CHECK_CLOSE(cs_policies_location_value(sim, 2, c0), 70.0 * 0.25 * 16 / tp, 1e-12);
    /* half the claims gone: the expectation follows */
    sim->firms.n_emp[2] = 20; /* claims 50 */
    begin(sim, 6);
    CHECK_CLOSE(cs_policies_location_value(sim, 2, c0), 20.0 * 0.5 * 17 / tp, 1e-12);
    /* a budget above the claims: the nominal rate */
    sim->par.policies[0].budget = 1e6;
    begin(sim, 7);
    CHECK_CLOSE(cs_policies_location_value(sim, 2, c0), 20.0 * 18 / tp, 1e-12);
    /* paid at step 10 with claims 50 against 25: from then on the factor paid, 0.5, even when
     * the claims change before the next payment */
    sim->par.policies[0].budget = 25000.0;
    begin(sim, 10);
    reset_support(sim);
    cs_policies_firm_support(sim);
    sim->firms.n_emp[2] = 70;
    begin(sim, 11);
    CHECK_CLOSE(cs_policies_location_value(sim, 2, c0), 70.0 * 0.5 * 1.0, 1e-12);
    cs_sim_free(sim);
    free(sim);
    /* start = 0 first pays at step 1, as start = 1: at step 1 the expected share (a quarter) */
    sim = subsidy_sim(25000.0, 0, -1, 0, 0, &c0);
    begin(sim, 1);
    const double capped = cs_policies_location_value(sim, 2, c0);
    sim->par.policies[0].budget = 1e6;
    begin(sim, 1);
    CHECK_CLOSE(capped, 0.25 * cs_policies_location_value(sim, 2, c0), 1e-12);
    CHECK(capped > 0);
    cs_sim_free(sim);
    free(sim);
}

static void test_nothing_outside_window(void) {
    int c0;
    cs_sim *sim = subsidy_sim(0, 5, 9, 0, 0, &c0);
    for (int t = 1; t <= 12; t++) {
        begin(sim, t);
        reset_support(sim);
        cs_policies_firm_support(sim);
        int paying = t >= 5 && t < 9;
        CHECK_MSG((sim->cnt.spending[0] > 0) == paying, "step %d", t);
        CHECK_MSG((sim->firms.pay[0] > 0) == paying, "step %d", t);
        CHECK(sim->firms.pay[3] == 0);
        if (paying) CHECK_CLOSE(sim->cnt.spending[0], 100.0, 1e-12);
    }
    cs_sim_free(sim);
    free(sim);
}

static void test_stop_go_pays_on_windows(void) {
    int c0;
    cs_sim *sim = subsidy_sim(0, 2, -1, 3, 4, &c0);
    int tp = sim->par.firms.t_plan;
    for (int t = 1; t <= 30; t++) {
        begin(sim, t);
        reset_support(sim);
        cs_policies_firm_support(sim);
        int on = t >= 2 && (t - 2) % 7 < 3;
        CHECK_MSG((sim->cnt.spending[0] > 0) == on, "step %d", t);
    }
    /* firms value stop-go support by the steps it will pay within their horizon */
    begin(sim, 2);
    double v = cs_policies_location_value(sim, 0, c0);
    int paid = 0;
    for (int t = 3; t < 3 + tp; t++) paid += (t - 2) % 7 < 3;
    CHECK_CLOSE(v, 10.0 * paid / tp, 1e-9);
    cs_sim_free(sim);
    free(sim);
}

static void test_location_value_horizon(void) {
    int c0;
    cs_sim *sim = subsidy_sim(0, 10, 16, 0, 0, &c0);
    int tp = sim->par.firms.t_plan; /* default 20 */
    sim->par.policies[0].credibility = 0.5;
    begin(sim, 10 - tp - 1); /* not yet announced */
    CHECK(cs_policies_location_value(sim, 0, c0) == 0);
    begin(sim, 12); /* 13, 14, 15 left */
    CHECK_CLOSE(cs_policies_location_value(sim, 0, c0), 10.0 * 0.5 * 3 / tp, 1e-12);
    begin(sim, 5); /* announced: pays 10..15 of 6..25 */
    CHECK_CLOSE(cs_policies_location_value(sim, 2, c0), 70.0 * 0.5 * 6 / tp, 1e-12);
    /* a zone candidate cell lies in the area */
    int32_t cells[4];
    sim->firms.cell[3] = sim->firms.cell[3];
    int n = cs_policies_zone_cells(sim, 3, cells, 4);
    CHECK(n == 1);
    if (n == 1) CHECK(cs_policies_area(sim, 0)[cells[0]]);
    begin(sim, 16); /* ended */
    CHECK(cs_policies_zone_cells(sim, 3, cells, 4) == 0);
    CHECK(cs_policies_location_value(sim, 0, c0) == 0);
    cs_sim_free(sim);
    free(sim);
}

static void test_tax_zone_and_startup_space(void) {
    int c0;
    cs_sim *sim = subsidy_sim(0, 1, -1, 0, 0, &c0);
    cs_policy *q = &sim->par.policies[0];
    q->type = CS_POL_TAX_ZONE, q->profit_tax_cut = 0.5, q->rates_relief = 0.25;
    cs_policies_free(sim);
    cs_policies_init(sim);
    cs_firms *F = &sim->firms;
    const double t = sim->par.firms.tax, bill = sim->f.rent[c0] * sim->par.firms.phi_space;
    CHECK(bill > 0);
    F->profit[0] = 100.0, F->profit[1] = -50.0, F->profit[2] = 0, F->profit[3] = 100.0;
    begin(sim, 3);
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(F->pay[0], 0.5 * t * 100.0 / (1 - t) + 0.25 * bill * 10, 1e-12);
    CHECK_CLOSE(F->pay[1], 0.25 * bill * 20, 1e-12);
    CHECK(F->pay[3] == 0); /* outside */
    /* after the tax charged on profit plus support, the firm keeps half the tax on 100 */
    double pre = F->profit[0] + 0.5 * t * 100.0 / (1 - t);
    CHECK_CLOSE(pre - t * pre, 100.0 - 0.5 * t * 100.0, 1e-9);
    /* startup space: only firms younger than max_age */
    q->type = CS_POL_STARTUP_SPACE, q->rent_discount = 0.5, q->max_age = 4;
    cs_policies_free(sim);
    cs_policies_init(sim);
    F->birth[0] = 2, F->birth[1] = -1, F->birth[2] = 0;
    begin(sim, 4);
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(F->pay[0], 0.5 * bill * 10, 1e-12); /* age 2 */
    CHECK(F->pay[1] == 0);                          /* age 5 */
    CHECK(F->pay[2] == 0);                          /* age 4: too old */
    /* it values the discount only for the steps it will still be young (5 only, of 5..24) */
    CHECK_CLOSE(cs_policies_location_value(sim, 0, c0),
                0.5 * bill * 10 * 1.0 / sim->par.firms.t_plan, 1e-12);
    cs_sim_free(sim);
    free(sim);
}

/* ---------------------------------------------------------------- firm subsidy */

static void test_firm_subsidy_keeps_by_id(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_FIRM_SUBSIDY);
    q->count = 3000; /* x scale 0.001 = 3 firms */
    q->amount = 2.0;
    q->start = 3, q->end = 6;
    q->sector_mask = 1u << 2;
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    cs_firms *F = &sim->firms;
    /* brute force: the three largest of sector 2, ties by id */
    int64_t top[3] = {-1, -1, -1};
    int topn[3] = {-1, -1, -1};
    for (int32_t i = 0; i < F->n; i++) {
        if (F->sector[i] != 2) continue;
        for (int k = 0; k < 3; k++)
            if (F->n_emp[i] > topn[k]) {
                for (int m = 2; m > k; m--) top[m] = top[m - 1], topn[m] = topn[m - 1];
                top[k] = F->id[i], topn[k] = F->n_emp[i];
                break;
            }
    }
    begin(sim, 2);
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK(sim->cnt.spending[0] == 0); /* before start */
    begin(sim, 3);
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[0], 6.0, 1e-12);
    int kept = 0;
    for (int32_t i = 0; i < F->n; i++)
        if (F->kept[i]) {
            kept++;
            CHECK(F->id[i] == top[0] || F->id[i] == top[1] || F->id[i] == top[2]);
            CHECK_CLOSE(F->pay[i], 2.0, 1e-12);
        }
    CHECK(kept == 3);
    /* every firm broke: only the kept ones survive exit; the others are compacted away */
    for (int32_t i = 0; i < F->n; i++) F->cash[i] = -1e12, F->Y[i] = 1.0;
    int32_t before = F->n;
    cs_exit(sim);
    CHECK(F->n == 3);
    CHECK(sim->cnt.deaths == before - 3);
    /* indices have moved; the next step still finds and pays the same firms, by id */
    begin(sim, 4);
    reset_support(sim);
    cs_policies_firm_support(sim);
    for (int32_t i = 0; i < F->n; i++) {
        CHECK(F->kept[i]);
        CHECK_CLOSE(F->pay[i], 2.0, 1e-12);
    }
    /* after the end: not paid, not kept */
    begin(sim, 6);
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK(sim->cnt.spending[0] == 0);
    for (int32_t i = 0; i < F->n; i++) CHECK(!F->kept[i] && F->pay[i] == 0);
    cs_sim_free(sim);
    free(sim);
}

/* ---------------------------------------------------------------- R&D */

static void test_rd_credit(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_RD_CREDIT);
    q->rate = 0.25, q->sme_only = 1, q->sme_size = 50, q->start = 1;
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    cs_firms *F = &sim->firms;
    begin(sim, 1);
    cs_policies_rd_credit(sim);
    for (int32_t i = 0; i < F->n; i++) CHECK(F->credit[i] == (F->n_emp[i] < 50 ? 0.25 : 0.0));
    /* the refund: rate x rho x Y of eligible firms, booked */
    double want = 0;
    for (int32_t i = 0; i < F->n; i++) {
        F->rho[i] = 0.1, F->Y[i] = 10.0 + i % 7;
        if (F->n_emp[i] < 50) want += 0.25 * 0.1 * F->Y[i];
    }
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[0], want, 1e-9 * want);
    for (int32_t i = 0; i < F->n; i++)
        CHECK_CLOSE(F->pay[i], F->n_emp[i] < 50 ? 0.25 * 0.1 * F->Y[i] : 0.0, 1e-12);
    /* a budget of 40% of the claims: refunds paid pro rata, and the next step's credit, what
     * firms can count on, is the rate times that factor (1 above: paid in full) */
    sim->par.policies[0].budget = 0.4 * want / SCALE;
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[0], 0.4 * want, 1e-9 * want);
    begin(sim, 2);
    cs_policies_rd_credit(sim);
    for (int32_t i = 0; i < F->n; i++)
        CHECK_CLOSE(F->credit[i], F->n_emp[i] < 50 ? 0.25 * 0.4 : 0.0, 1e-12);
    /* before its first payment a capped credit is expected to pay what the budget covers of
     * the claims firms would make at the full rate (their R&D at that rate, last step's output),
     * not the full rate: here a quarter of them */
    const cs_params *par = &sim->par;
    double expect = 0;
    for (int32_t i = 0; i < F->n; i++) {
        double rho_e = par->sectors.rd_intensity[F->sector[i]] * pow(0.75, -par->innovation.eps_rd);
        if (rho_e > par->innovation.rd_cap) rho_e = par->innovation.rd_cap;
        if (F->alive[i] && F->n_emp[i] < 50) expect += 0.25 * rho_e * F->Y[i];
    }
    CHECK(expect > 0);
    /* (start, step, budget as a share of those claims, the credit expected, stop-go on, off) */
    static const double cases[][6] = {
        {3, 3, 0.25, 0.25 * 0.25, 0, 0}, /* a quarter of the claims: a quarter of the rate */
        {3, 3, 2.0, 0.25, 0, 0},         /* a budget above them: the full rate */
        {0, 1, 0.25, 0.25 * 0.25, 0, 0}, /* start = 0 first pays at step 1, as start = 1 */
        {3, 3, 2.0, 0.25, 0, 0},         /* (the factor back to 1) */
        {0, 3, 0.25, 0.25 * 0.25, 1, 2}, /* on at steps 0, 3, 6, ...: first paid at step 3 */
    };
    for (int k = 0; k < 5; k++) {
        sim->par.policies[0].start = (int)cases[k][0];
        sim->par.policies[0].cycle_on = (int)cases[k][4];
        sim->par.policies[0].cycle_off = (int)cases[k][5];
        sim->par.policies[0].budget = cases[k][2] * expect / SCALE;
        begin(sim, (int)cases[k][1]);
        cs_policies_rd_credit(sim);
        for (int32_t i = 0; i < F->n; i++)
            CHECK_CLOSE(F->credit[i], F->n_emp[i] < 50 ? cases[k][3] : 0.0, 1e-12);
    }
    cs_sim_free(sim);
    free(sim);
}

static void test_rd_grants(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_RD_CREDIT);
    q->rate = 0.0, q->grant_budget = 30000.0, q->budget = 30000.0, q->start = 1; /* 30 sim */
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    cs_firms *F = &sim->firms;
    for (int32_t i = 0; i < F->n; i++) F->Y[i] = 1.0 + i % 13;
    begin(sim, 1);
    cs_policies_rd_credit(sim);
    int winners = 0;
    double committed = 0;
    for (int32_t i = 0; i < F->n; i++) {
        double rho = sim->par.sectors.rd_intensity[F->sector[i]] / (1.0 - F->credit[i]);
        F->rho[i] = rho < 0.5 ? rho : 0.5;
        if (F->credit[i] > 0) {
            winners++;
            CHECK_CLOSE(F->credit[i], 0.5, 1e-15);
            committed += 0.5 * F->rho[i] * F->Y[i];
        }
    }
    CHECK(winners > 0 && winners < F->n);
    CHECK(committed <= 30.0 + 1e-9);
    /* a budget below the grant budget caps the grants awarded too (10 simulated) */
    {
        double *Y0 = malloc((size_t)F->n * sizeof *Y0);
        for (int32_t i = 0; i < F->n; i++) Y0[i] = F->Y[i];
        sim->par.policies[0].budget = 10000.0;
        cs_policies_rd_credit(sim);
        double c10 = 0;
        int w10 = 0;
        for (int32_t i = 0; i < F->n; i++)
            if (F->credit[i] > 0) {
                double rho = sim->par.sectors.rd_intensity[F->sector[i]] / (1.0 - F->credit[i]);
                c10 += 0.5 * (rho < 0.5 ? rho : 0.5) * F->Y[i], w10++;
            }
        CHECK(w10 > 0 && w10 < winners && c10 <= 10.0 + 1e-9);
        sim->par.policies[0].budget = 30000.0;
        cs_policies_rd_credit(sim);
        for (int32_t i = 0; i < F->n; i++) F->Y[i] = Y0[i];
        free(Y0);
    }
    /* output grew after the award: the grants are then paid pro rata within the budget */
    for (int32_t i = 0; i < F->n; i++) F->Y[i] *= 1.5;
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK(sim->cnt.spending[0] <= 30.0 + 1e-9);
    CHECK_CLOSE(sim->cnt.spending[0], committed * 1.5 < 30.0 ? committed * 1.5 : 30.0, 1e-9);
    for (int32_t i = 0; i < F->n; i++) CHECK((F->pay[i] > 0) == (F->credit[i] > 0));
    cs_sim_free(sim);
    free(sim);
}

/* What one firm is refunded by all R&D policies together stays within the 0.9 cap on its
 * credit: two credits of 0.6 and 0.5 pay 0.6 and 0.3 of its R&D; a grant (0.5) beside a credit
 * of 0.6 pays the grant and 0.4; budgets that pay pro rata leave the rest for the next policy. */
static void test_rd_refund_cap(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *a = add_policy(p, CS_POL_RD_CREDIT);
    a->rate = 0.6, a->start = 1;
    cs_policy *b = add_policy(p, CS_POL_RD_CREDIT);
    b->rate = 0.5, b->start = 1;
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    cs_firms *F = &sim->firms;
    begin(sim, 1);
    cs_policies_rd_credit(sim);
    double rd = 0;
    for (int32_t i = 0; i < F->n; i++) {
        CHECK(F->credit[i] == 0.9);
        F->rho[i] = 0.1, F->Y[i] = 10.0 + i % 7;
        rd += F->rho[i] * F->Y[i];
    }
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[0], 0.6 * rd, 1e-9 * rd);
    CHECK_CLOSE(sim->cnt.spending[1], 0.3 * rd, 1e-9 * rd);
    for (int32_t i = 0; i < F->n; i++) CHECK_CLOSE(F->pay[i], 0.9 * F->rho[i] * F->Y[i], 1e-12);
    /* the second credit, cut to 0.3 by the first, under a budget of half that: it pays 0.15 of
     * their R&D, and the next step's credit, what firms count on, is what they were paid */
    sim->par.policies[1].budget = 0.15 * rd / SCALE;
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[1], 0.15 * rd, 1e-9 * rd);
    begin(sim, 2);
    cs_policies_rd_credit(sim);
    for (int32_t i = 0; i < F->n; i++) CHECK_CLOSE(F->credit[i], 0.75, 1e-12);
    sim->par.policies[1].budget = 0;
    /* the first credit paid at half its rate (its budget): the second may pay its full 0.5 */
    sim->par.policies[0].budget = 0.3 * rd / SCALE;
    reset_support(sim);
    cs_policies_firm_support(sim);
    CHECK_CLOSE(sim->cnt.spending[0], 0.3 * rd, 1e-9 * rd);
    CHECK_CLOSE(sim->cnt.spending[1], 0.5 * rd, 1e-9 * rd);
    /* a grant and a credit of 0.6 (no budget now; firms still count on the 0.3 last paid):
     * winners, whose credit the grant raised by 0.5, get 0.9 of their R&D, the others 0.6 */
    sim->par.policies[0].budget = 0;
    sim->par.policies[1].rate = 0, sim->par.policies[1].grant_budget = 0.2 * rd / SCALE;
    begin(sim, 2);
    cs_policies_rd_credit(sim);
    int winners = 0;
    reset_support(sim);
    cs_policies_firm_support(sim);
    for (int32_t i = 0; i < F->n; i++) {
        const int won = F->credit[i] > 0.5;
        winners += won;
        CHECK_CLOSE(F->pay[i], (won ? 0.9 : 0.6) * F->rho[i] * F->Y[i], 1e-12);
    }
    CHECK(winners > 0 && winners < F->n);
    cs_sim_free(sim);
    free(sim);
}

/* ---------------------------------------------------------------- land, universities, links */

static void test_density_fund(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_DENSITY_FUND);
    q->area_kind = CS_AREA_CITY_CENTRES;
    q->spend = 1000.0, q->lag = 2, q->start = 1, q->end = 3;
    q->capacity_per_pound = 2.0, q->amenity_per_pound = 0.001, q->access_per_pound = 0.01;
    q->budget = 600.0; /* binds: 600 a step */
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    cs_landscape *l = &sim->land;
    const uint8_t *m = cs_policies_area(sim, 0);
    int ncen = 0, c0 = -1, cout = -1;
    for (int c = 0; c < l->ncell; c++) {
        ncen += m[c];
        if (m[c] && c0 < 0) c0 = c;
        if (!m[c] && l->land[c] && cout < 0) cout = c;
    }
    double K0 = l->K[c0], a0 = l->amenity[c0], Kout = l->K[cout];
    begin(sim, 1);
    begin(sim, 2);
    CHECK(l->K[c0] == K0); /* lag: nothing built yet */
    CHECK_CLOSE(sim->cnt.spending[0], 600.0 * SCALE, 1e-12);
    begin(sim, 3); /* spend of step 1 built; no more spending (end 3) */
    CHECK(sim->cnt.spending[0] == 0);
    CHECK_CLOSE(l->K[c0], K0 + 600.0 * 2.0 / ncen, 1e-9);
    CHECK_CLOSE(l->amenity[c0], a0 + 600.0 * 0.001 / ncen, 1e-12);
    begin(sim, 4);
    CHECK_CLOSE(l->K[c0], K0 + 2 * 600.0 * 2.0 / ncen, 1e-9);
    CHECK_CLOSE(l->reach[c0], 2 * 600.0 * 0.01 / ncen < 4 ? 2 * 600.0 * 0.01 / ncen : 4, 1e-12);
    begin(sim, 5);
    CHECK_CLOSE(l->K[c0], K0 + 2 * 600.0 * 2.0 / ncen, 1e-9);
    CHECK(l->K[cout] == Kout);
    cs_sim_free(sim);
    free(sim);
}

static void test_university_funding(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_UNIVERSITY_FUNDING);
    q->n_universities = 2;
    strcpy(q->universities[0], "Sheffield");
    strcpy(q->universities[1], "Glasgow");
    q->amount = 3.0, q->knowledge_transfer = 0.5, q->spinout_support = 1.0;
    q->start = 2, q->end = 4, q->budget = 4.0; /* claims 6: pays 2 each */
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    int us = -1, ug = -1;
    for (int u = 0; u < sim->land.n_univ; u++) {
        if (!strcmp(sim->land.univ[u].name, "Sheffield")) us = u;
        if (!strcmp(sim->land.univ[u].name, "Glasgow")) ug = u;
    }
    CHECK(us >= 0 && ug >= 0);
    if (us < 0 || ug < 0) return;
    begin(sim, 1);
    CHECK(sim->land.univ[us].funding == 0);
    begin(sim, 2);
    CHECK_CLOSE(sim->land.univ[us].funding, 2.0, 1e-12);
    CHECK_CLOSE(sim->land.univ[ug].funding, 2.0, 1e-12);
    CHECK(sim->land.univ[us].k_uplift == 0.5 && sim->land.univ[us].spinout_support == 1.0);
    CHECK(sim->land.univ[0].funding == 0 || us == 0);
    CHECK_CLOSE(sim->cnt.spending[0], 4.0 * SCALE, 1e-15);
    begin(sim, 4);
    CHECK(sim->land.univ[us].funding == 0 && sim->land.univ[us].k_uplift == 0);
    CHECK(sim->land.univ[us].spinout_support == 0 && sim->cnt.spending[0] == 0);
    cs_sim_free(sim);
    free(sim);
}

/* Steps 1..tmax of the link of test_transport_link (start 2): cost `per_step` (full scale) is
 * booked in steps [2, paid_until), nothing otherwise; the link is open from step open_from. */
static void check_link(cs_sim *sim, int tmax, int paid_until, int open_from, double per_step,
                       const char *what) {
    const cs_link *k = &sim->links[0];
    for (int t = 1; t <= tmax; t++) {
        begin(sim, t);
        CHECK_MSG(k->open == (t >= open_from), "%s, step %d", what, t);
        CHECK_MSG(t >= 2 && t < paid_until ? fabs(sim->cnt.spending[0] - per_step * SCALE) < 1e-12
                                           : sim->cnt.spending[0] == 0,
                  "%s, step %d", what, t);
    }
}

static void test_transport_link(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_TRANSPORT_LINK);
    q->from_x = 10, q->from_y = 20, q->to_x = 30.7, q->to_y = 50;
    q->radius = 3, q->efficiency = 0.4, q->build_steps = 3, q->cost = 100.0, q->start = 2;
    q->end = 9;
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    CHECK(sim->n_links == 1);
    const cs_link *k = &sim->links[0];
    CHECK(k->ax == 10 && k->ay == 20 && k->bx == 30 && k->by == 50);
    CHECK(k->radius == 3 && k->kappa == 0.4);
    /* once built (step 5, before the end at 9) a link stays open */
    check_link(sim, 10, 5, 5, 100.0, "full budget");
    /* a budget of half the cost builds at half the pace: 6 steps (2-7) of 50, open from 8 */
    sim->par.policies[0].budget = 50.0;
    check_link(sim, 10, 8, 8, 50.0, "half budget");
    /* a quarter: 12 steps needed, the funding ends at 9 first, so it never opens */
    sim->par.policies[0].budget = 25.0;
    check_link(sim, 20, 9, 21, 25.0, "quarter budget");
    cs_sim_free(sim);
    free(sim);
}

static void test_skills_programme(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_SKILLS_PROGRAMME);
    q->area_kind = CS_AREA_CITY_CENTRES;
    q->max_workers = 2500; /* 2.5 a step at this scale: 2, 3, 2, 3 ... */
    q->skill_gain = 0.1, q->cost = 4.0, q->start = 1;
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_sim_init(sim, p);
    free(p);
    cs_workers *Wk = &sim->workers;
    const uint8_t *m = cs_policies_area(sim, 0);
    float *old = malloc(sizeof(float) * (size_t)Wk->n);
    int total = 0;
    for (int t = 1; t <= 4; t++) {
        begin(sim, t);
        memcpy(old, Wk->skill, sizeof(float) * (size_t)Wk->n);
        cs_policies_skills(sim);
        int trained = 0;
        float maxt = 0, minrest = 2;
        for (int32_t j = 0; j < Wk->n; j++) {
            if (Wk->skill[j] != old[j]) {
                trained++;
                CHECK(m[Wk->home[j]]);
                CHECK(fabsf(Wk->skill[j] - (old[j] + 0.1f > 1 ? 1 : old[j] + 0.1f)) < 1e-6f);
                if (old[j] > maxt) maxt = old[j];
            } else if (m[Wk->home[j]] && old[j] < minrest) {
                minrest = old[j];
            }
        }
        CHECK_MSG(trained == (t % 2 ? 2 : 3), "step %d: %d trained", t, trained);
        CHECK(maxt <= minrest); /* the least skilled first */
        CHECK_CLOSE(sim->cnt.spending[0], 4.0 * trained, 1e-12);
        total += trained;
    }
    CHECK(total == 10);
    free(old);
    cs_sim_free(sim);
    free(sim);
}

/* The trainees are searched in each thread's share of the workers and merged: the same
 * workers for any thread count, ties in skill (here most of the area's) by worker index. */
static void test_skills_programme_threads(void) {
    float *after[2] = {NULL, NULL};
    int32_t nw = 0;
    for (int k = 0; k < 2; k++) {
        cs_params *p = malloc(sizeof *p);
        base_params(p);
        cs_policy *q = add_policy(p, CS_POL_SKILLS_PROGRAMME);
        q->area_kind = CS_AREA_CITY_CENTRES;
        q->max_workers = 40000; /* 40 a step at this scale */
        q->skill_gain = 0.1, q->cost = 4.0, q->start = 1;
        omp_set_num_threads(k == 0 ? 1 : 3); /* before the set-up, which sizes the heaps */
        cs_sim *sim = calloc(1, sizeof *sim);
        cs_sim_init(sim, p);
        free(p);
        cs_workers *Wk = &sim->workers;
        nw = Wk->n;
        /* ties decide: every worker at 0.5 but every third, at 0.9 (none of whom is trained) */
        for (int32_t j = 0; j < Wk->n; j++) Wk->skill[j] = j % 3 ? 0.5f : 0.9f;
        for (int t = 1; t <= 3; t++) {
            begin(sim, t);
            cs_policies_skills(sim);
        }
        after[k] = malloc(sizeof(float) * (size_t)Wk->n);
        memcpy(after[k], Wk->skill, sizeof(float) * (size_t)Wk->n);
        CHECK_CLOSE(sim->cnt.spending[0], 4.0 * 40, 1e-12);
        cs_sim_free(sim);
        free(sim);
    }
    omp_set_num_threads(1);
    CHECK_MSG(nw >= 32768, "%d workers: the search runs in one thread below 32768", nw);
    CHECK(memcmp(after[0], after[1], sizeof(float) * (size_t)nw) == 0);
    int trained = 0;
    for (int32_t j = 0; j < nw; j++) trained += after[0][j] == 0.6f;
    CHECK_MSG(trained == 120, "%d trained from the tied group, not 120", trained);
    free(after[0]), free(after[1]);
}

/* ---------------------------------------------------------------- determinism */

static void run_steps(cs_sim *sim, const cs_params *p, int threads, int steps) {
    omp_set_num_threads(threads);
    cs_sim_init(sim, p);
    for (int t = 0; t < steps; t++) cs_step(sim);
}

static void test_thread_invariance(void) {
    cs_params *p = malloc(sizeof *p);
    base_params(p);
    cs_policy *q = add_policy(p, CS_POL_LOCATION_SUBSIDY);
    q->area_kind = CS_AREA_CITY_CENTRES, q->per_worker = 0.2, q->budget = 5000;
    q = add_policy(p, CS_POL_RD_CREDIT);
    q->rate = 0.3, q->grant_budget = 2000;
    q = add_policy(p, CS_POL_TAX_ZONE);
    q->area_kind = CS_AREA_RECT, q->x0 = 10, q->x1 = 30, q->y0 = 30, q->y1 = 60;
    q = add_policy(p, CS_POL_FIRM_SUBSIDY);
    q->count = 5000, q->amount = 3, q->start = 2;
    q = add_policy(p, CS_POL_SKILLS_PROGRAMME);
    q->max_workers = 3000, q->cost = 1;
    cs_sim *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    run_steps(a, p, 1, 6);
    run_steps(b, p, 4, 6);
    CHECK(a->firms.n == b->firms.n);
    if (a->firms.n == b->firms.n) {
        CHECK(!memcmp(a->firms.cash, b->firms.cash, sizeof(double) * (size_t)a->firms.n));
        CHECK(!memcmp(a->firms.A, b->firms.A, sizeof(double) * (size_t)a->firms.n));
        CHECK(!memcmp(a->firms.cell, b->firms.cell, sizeof(int32_t) * (size_t)a->firms.n));
    }
    CHECK(!memcmp(a->workers.skill, b->workers.skill, sizeof(float) * (size_t)a->workers.n));
    CHECK(!memcmp(a->cnt.spending, b->cnt.spending, sizeof a->cnt.spending));
    CHECK(a->cnt.spending_total > 0);
    cs_sim_free(a);
    cs_sim_free(b);
    free(a), free(b), free(p);
    omp_set_num_threads(2);
}

/* Entry weighs zone support against the local wage (docs/model.md, phase 6). With
 * labour.w_min = 0 a cell with no wage within reach has wbar 0: the support's appeal was
 * infinite and every resident of the cell founded a firm. There is no boost there now: the
 * cell's startups are those of the same cell without the policy, Poisson with mean
 * lambda_e x residents (10 here, against 1000 residents). */
static void test_entry_support_where_no_wage_is_paid(void) {
    int c0;
    cs_sim *sim = subsidy_sim(0, 1, -1, 0, 0, &c0);
    sim->par.labour.w_min = 0;
    sim->par.firms.lambda_sp = 0, sim->par.universities.lambda_u = 0;
    sim->par.firms.lambda_e = 0.01, sim->par.firms.b_k = 0;
    begin(sim, 2);
    CHECK(cs_policies_entry_value(sim, c0, 0) > 0); /* announced support in the cell */
    for (int32_t c = 0; c < sim->land.ncell; c++) sim->f.N[c] = 0, sim->f.P[c] = 0;
    sim->f.N[c0] = 1000.0 / sim->scale; /* full scale: 1000 simulated residents */
    sim->f.wbar[c0] = 0;
    int32_t base = sim->firms.n;
    cs_entry(sim);
    int32_t born = sim->firms.n - base;
    CHECK_MSG(born < 40, "%d startups among 1000 residents, where about 10 are expected", born);
    cs_sim_free(sim);
    free(sim);
}

int main(void) {
    RUN(test_active_windows);
    RUN(test_area_masks);
    RUN(test_prorata_budget);
    RUN(test_nothing_outside_window);
    RUN(test_stop_go_pays_on_windows);
    RUN(test_location_value_horizon);
    RUN(test_tax_zone_and_startup_space);
    RUN(test_firm_subsidy_keeps_by_id);
    RUN(test_expected_factor_before_the_first_payment);
    RUN(test_rd_credit);
    RUN(test_rd_refund_cap);
    RUN(test_rd_grants);
    RUN(test_entry_support_where_no_wage_is_paid);
    RUN(test_density_fund);
    RUN(test_university_funding);
    RUN(test_transport_link);
    RUN(test_skills_programme);
    RUN(test_skills_programme_threads);
    RUN(test_thread_invariance);
    return CHECK_DONE();
}
