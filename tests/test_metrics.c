/* test_metrics.c: metrics of MODEL.md section 7 against hand-computed answers, and
 * cs_metrics_compute on small hand-built states (the expected values are worked out in the
 * comments) plus a larger random state checked against brute-force references. */
#include <omp.h>
#include <stdlib.h>

#include "check.h"
#include "internal.h"
#include "metrics.h"

/* ---- building blocks ---- */

static void test_eg_hand(void) {
    /* Areas with total employment e = {10,20,30,40}: x = {.1,.2,.3,.4}, sum x^2 = .30.
     * Sector e_s = {5,0,0,5}: s = {.5,0,0,.5}; G = .4^2+.2^2+.3^2+.1^2 = .30,
     * G/(1 - .30) = 3/7. Firms {2,2,3,3}: H = (4+4+9+9)/100 = .26.
     * gamma = (3/7 - 13/50) / (37/50) = (59/350) (50/37) = 59/259. */
    double e[4] = {10, 20, 30, 40}, es[4] = {5, 0, 0, 5}, fe[4] = {2, 2, 3, 3};
    CHECK_CLOSE(cs_eg_index(es, e, 4, fe, 4), 59.0 / 259.0, 1e-14);
}

static void test_eg_limits(void) {
    /* Spread exactly like total employment with 1000 equal firms: G = 0, H = 1/1000,
     * gamma = -0.001/0.999, about 0. */
    double e[4] = {100, 200, 300, 400}, es[4] = {10, 20, 30, 40};
    double *fe = malloc(1000 * sizeof *fe);
    for (int k = 0; k < 1000; k++) fe[k] = 0.1;
    double g = cs_eg_index(es, e, 4, fe, 1000);
    CHECK_CLOSE(g, -0.001 / 0.999, 1e-12);
    CHECK(fabs(g) < 0.002);
    /* All in the last area with 10 one-worker firms: s = {0,0,0,1}, G = .01+.04+.09+.36 = .5,
     * G/.7 = 5/7, H = .1: gamma = (5/7 - 1/10)/(9/10) = 43/63, large. */
    double es2[4] = {0, 0, 0, 10};
    for (int k = 0; k < 10; k++) fe[k] = 1;
    CHECK_CLOSE(cs_eg_index(es2, e, 4, fe, 10), 43.0 / 63.0, 1e-14);
    /* Undefined cases give 0: no employment, one firm (H = 1), a single area. */
    double zero[4] = {0, 0, 0, 0}, one[1] = {10};
    CHECK(cs_eg_index(zero, e, 4, fe, 0) == 0.0);
    CHECK(cs_eg_index(es2, e, 4, one, 1) == 0.0);
    CHECK(cs_eg_index(one, one, 1, fe, 10) == 0.0);
    free(fe);
}

static void test_gini(void) {
    double w[8];
    double a[4] = {1, 1, 1, 1}, b[4] = {0, 0, 0, 1}, c[4] = {4, 1, 3, 2}, z[3] = {0, 0, 0};
    CHECK_CLOSE(cs_gini(a, 4, w), 0.0, 1e-15);
    /* sum_ij |xi-xj| = 6 (ordered pairs), / (2 n^2 mean) = 6 / (2*16*0.25) = 0.75. */
    CHECK_CLOSE(cs_gini(b, 4, w), 0.75, 1e-15);
    /* {1,2,3,4}: ordered-pair sum 2*(1+2+3+1+2+1) = 20, / (2*16*2.5) = 0.25 (input unsorted). */
    CHECK_CLOSE(cs_gini(c, 4, w), 0.25, 1e-15);
    CHECK(c[0] == 4 && c[1] == 1); /* input untouched */
    CHECK(cs_gini(z, 3, w) == 0.0);
    CHECK(cs_gini(b, 1, w) == 0.0);
    CHECK(cs_gini(b, 0, w) == 0.0);
}

static void test_theil(void) {
    /* y = {30,10}, l = {1,1}: Y/L = 20; T = .75 ln(30/20) + .25 ln(10/20). */
    double y[3] = {30, 10, 5}, l[3] = {1, 1, 0};
    CHECK_CLOSE(cs_theil(y, l, 2), 0.75 * log(1.5) + 0.25 * log(0.5), 1e-15);
    /* A group with output but no workers is left out entirely. */
    CHECK_CLOSE(cs_theil(y, l, 3), 0.75 * log(1.5) + 0.25 * log(0.5), 1e-15);
    /* Equal output per worker: 0. A group with workers and no output: its term is 0 but its
     * workers count: y = {10,0}, l = {1,1}: T = 1 * ln(10 / (10/2)) = ln 2. */
    double y2[2] = {10, 20}, l2[2] = {1, 2}, y3[2] = {10, 0};
    CHECK_CLOSE(cs_theil(y2, l2, 2), 0.0, 1e-15);
    CHECK_CLOSE(cs_theil(y3, l2 + 0, 1), 0.0, 1e-15);
    double l3[2] = {1, 1};
    CHECK_CLOSE(cs_theil(y3, l3, 2), log(2.0), 1e-15);
    CHECK(cs_theil(y, l, 0) == 0.0);
}

static void test_herfindahl(void) {
    double a[3] = {1, 1, 2}, b[1] = {5}, z[2] = {0, 0};
    CHECK_CLOSE(cs_herfindahl(a, 3), (1.0 + 1.0 + 4.0) / 16.0, 1e-15);
    CHECK_CLOSE(cs_herfindahl(b, 1), 1.0, 1e-15);
    CHECK(cs_herfindahl(z, 2) == 0.0);
}

/* Labels a grid drawn as strings ('#' in, '.' out) and checks against the expected ids
 * (digits, '.' for -1). */
static int label_grid(const char *const *rows, int W, int H, const char *const *expect) {
    uint8_t mask[256] = {0};
    int32_t label[256] = {0}, work[256] = {0};
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) mask[y * W + x] = rows[y][x] == '#';
    int n = cs_label_components(mask, W, H, label, work);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int want = expect[y][x] == '.' ? -1 : expect[y][x] - '0';
            CHECK_MSG(label[y * W + x] == want, "cell (%d,%d): %d, expected %d", x, y,
                      label[y * W + x], want);
        }
    return n;
}

static void test_label_diagonal(void) {
    /* Diagonal neighbours are not 4-connected. */
    const char *g[] = {"#.", ".#"}, *e[] = {"0.", ".1"};
    CHECK(label_grid(g, 2, 2, e) == 2);
    const char *g2[] = {"#.#", ".#.", "#.#"}, *e2[] = {"0.1", ".2.", "3.4"};
    CHECK(label_grid(g2, 3, 3, e2) == 5);
}

static void test_label_ring(void) {
    const char *g[] = {"#####", "#...#", "#.#.#", "#...#", "#####"};
    const char *e[] = {"00000", "0...0", "0.1.0", "0...0", "00000"};
    CHECK(label_grid(g, 5, 5, e) == 2);
}

static void test_label_fill_and_empty(void) {
    const char *g[] = {"######", "######", "######", "######"};
    const char *e[] = {"000000", "000000", "000000", "000000"};
    CHECK(label_grid(g, 6, 4, e) == 1);
    const char *g0[] = {"...", "..."}, *e0[] = {"...", "..."};
    CHECK(label_grid(g0, 3, 2, e0) == 0);
}

static void test_label_scan_order(void) {
    /* Ids follow the first cell of each component in scan order (row by row). */
    const char *g[] = {".#.#", "##..", "..##"}, *e[] = {".0.1", "00..", "..22"};
    CHECK(label_grid(g, 4, 3, e) == 3);
    /* Two arms that join only in the last row are one component, id 0. */
    const char *g2[] = {"#.#", "#.#", "###"}, *e2[] = {"0.0", "0.0", "000"};
    CHECK(label_grid(g2, 3, 3, e2) == 1);
    /* The component starting later in the first row takes id 1 even though cells of it are
     * met before cells of the other arms in later rows. */
    const char *g3[] = {"..#.#", "#.#.#", "#####", "....#", "##..."};
    const char *e3[] = {"..0.0", "0.0.0", "00000", "....0", "11..."};
    CHECK(label_grid(g3, 5, 5, e3) == 2);
}

/* Flood fill (queue) reference for random masks. */
static int label_reference(const uint8_t *mask, int W, int H, int32_t *label, int32_t *queue) {
    int n = 0;
    for (int c = 0; c < W * H; c++) label[c] = -1;
    for (int c = 0; c < W * H; c++) {
        if (!mask[c] || label[c] >= 0) continue;
        int head = 0, tail = 0;
        queue[tail++] = c;
        label[c] = n;
        while (head < tail) {
            int q = queue[head++], x = q % W, y = q / W;
            int nb[4] = {x > 0 ? q - 1 : -1, x < W - 1 ? q + 1 : -1, y > 0 ? q - W : -1,
                         y < H - 1 ? q + W : -1};
            for (int j = 0; j < 4; j++)
                if (nb[j] >= 0 && mask[nb[j]] && label[nb[j]] < 0) {
                    label[nb[j]] = n;
                    queue[tail++] = nb[j];
                }
        }
        n++;
    }
    return n;
}

static uint64_t lcg_state = 12345;
static double urand(void) {
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(lcg_state >> 11) * (1.0 / 9007199254740992.0);
}

static void test_label_random(void) {
    int W = 97, H = 61;
    uint8_t *mask = malloc((size_t)W * H);
    int32_t *l1 = malloc(sizeof(int32_t) * W * H), *l2 = malloc(sizeof(int32_t) * W * H);
    int32_t *wk = malloc(sizeof(int32_t) * W * H);
    for (int trial = 0; trial < 20; trial++) {
        double p = 0.3 + 0.02 * trial; /* around the percolation threshold: big tangled sets */
        for (int c = 0; c < W * H; c++) mask[c] = urand() < p;
        int n1 = cs_label_components(mask, W, H, l1, wk);
        int n2 = label_reference(mask, W, H, l2, wk);
        CHECK(n1 == n2);
        CHECK(memcmp(l1, l2, sizeof(int32_t) * W * H) == 0);
        /* the sparse labelling: the same labels on the listed cells, the others untouched */
        int32_t *cells = malloc(sizeof(int32_t) * W * H), nm = 0;
        for (int c = 0; c < W * H; c++) {
            l2[c] = -7;
            if (mask[c]) cells[nm++] = c;
        }
        int n3 = cs_label_cells(mask, W, cells, nm, l2, wk);
        CHECK(n3 == n1);
        int same = 1;
        for (int c = 0; c < W * H; c++) same &= l2[c] == (mask[c] ? l1[c] : -7);
        CHECK(same);
        free(cells);
    }
    free(mask);
    free(l1);
    free(l2);
    free(wk);
}

/* ---- cs_metrics_compute ---- */

static cs_sim *sim_alloc(int W, int H, int S, int nf, int nw) {
    cs_sim *sim = calloc(1, sizeof *sim);
    sim->S = S;
    sim->scale = 1.0;
    sim->par.scale = 1.0;
    sim->land.W = W;
    sim->land.H = H;
    sim->land.ncell = W * H;
    sim->land.region = calloc((size_t)W * H, sizeof *sim->land.region);
    sim->f.rent = calloc((size_t)W * H, sizeof *sim->f.rent);
    cs_firms *F = &sim->firms;
    F->n = F->cap = nf;
    F->cell = calloc((size_t)nf, sizeof *F->cell);
    F->sector = calloc((size_t)nf, sizeof *F->sector);
    F->A = calloc((size_t)nf, sizeof *F->A);
    F->Y = calloc((size_t)nf, sizeof *F->Y);
    F->w = calloc((size_t)nf, sizeof *F->w);
    F->alive = calloc((size_t)nf, sizeof *F->alive);
    F->n_emp = calloc((size_t)nf, sizeof *F->n_emp); /* 0: the metrics recount */
    cs_workers *Wk = &sim->workers;
    Wk->n = nw;
    Wk->home = calloc((size_t)nw, sizeof *Wk->home);
    Wk->employer = calloc((size_t)nw, sizeof *Wk->employer);
    Wk->skill = calloc((size_t)nw, sizeof *Wk->skill);
    sim->buf = calloc(1, sizeof *sim->buf); /* the metrics' work space lives there */
    return sim;
}

static void sim_release(cs_sim *sim) {
    free(sim->land.region);
    free(sim->f.rent);
    free(sim->firms.cell);
    free(sim->firms.sector);
    free(sim->firms.A);
    free(sim->firms.Y);
    free(sim->firms.w);
    free(sim->firms.alive);
    free(sim->firms.n_emp);
    free(sim->workers.home);
    free(sim->workers.employer);
    free(sim->workers.skill);
    for (int k = 0; k < CS_METRICS_WS; k++) free(sim->buf->metrics_ws[k]);
    free(sim->buf);
    free(sim);
}

/* The 8x8 state of the hand computation. Regions: x < 4 region 0, x 4-6 region 1, x = 7 sea.
 * Firms (cell (x,y), sector, A, Y, w, alive):
 *   0: (1,1) s0 A2 Y10 w1      1: (2,1) s0 A1 Y4 w2      2: (5,5) s1 A3 Y6 w1
 *   3: (6,6) s1 Y100, dead     4: (5,2) s1 A1 Y0 w1, no workers
 *   5: (1,6) s1 A1 Y2 w1
 * Workers (employer, home, skill): w0 (0,(0,0),1) w1 (0,(1,0),.5) w2 (0,(4,4),1)
 *   w3 (1,(0,1),.5) w4 (2,(6,6),1) w5 (2,(5,5),.5) w6 (-1,(0,0)) w7 (-1,(6,5))
 *   w8 (3 dead,(2,2)) w9 (5,(1,6),1).
 * Rent 1 everywhere except (1,1) 2, (2,1) 4, (5,5) 3; r0 = 2. */
static cs_sim *hand_sim(void) {
    cs_sim *sim = sim_alloc(8, 8, 2, 6, 10);
    sim->step = 8;
    sim->land.n_regions = 2;
    sim->par.land.rk = 1;
    sim->par.land.r0 = 2.0;
    sim->par.output.eg_tile = 4;
    sim->par.output.lq_min = 1.25;
    sim->par.output.e_min = 2.0;
    sim->par.n_policies = 2;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++) {
            sim->land.region[y * 8 + x] = (int16_t)(x < 4 ? 0 : x < 7 ? 1 : -1);
            sim->f.rent[y * 8 + x] = 1.0;
        }
    sim->f.rent[1 * 8 + 1] = 2.0;
    sim->f.rent[1 * 8 + 2] = 4.0;
    sim->f.rent[5 * 8 + 5] = 3.0;
    const int fx[6] = {1, 2, 5, 6, 5, 1}, fy[6] = {1, 1, 5, 6, 2, 6}, fs[6] = {0, 0, 1, 1, 1, 1};
    const double fA[6] = {2, 1, 3, 1, 1, 1}, fY[6] = {10, 4, 6, 100, 0, 2},
                 fw[6] = {1, 2, 1, 1, 1, 1};
    for (int f = 0; f < 6; f++) {
        sim->firms.cell[f] = fy[f] * 8 + fx[f];
        sim->firms.sector[f] = (uint8_t)fs[f];
        sim->firms.A[f] = fA[f];
        sim->firms.Y[f] = fY[f];
        sim->firms.w[f] = fw[f];
        sim->firms.alive[f] = f != 3;
    }
    const int we[10] = {0, 0, 0, 1, 2, 2, -1, -1, 3, 5};
    const int hx[10] = {0, 1, 4, 0, 6, 5, 0, 6, 2, 1}, hy[10] = {0, 0, 4, 1, 6, 5, 0, 5, 2, 6};
    const float sk[10] = {1, 0.5f, 1, 0.5f, 1, 0.5f, 1, 1, 1, 1};
    for (int i = 0; i < 10; i++) {
        sim->workers.employer[i] = we[i];
        sim->workers.home[i] = hy[i] * 8 + hx[i];
        sim->workers.skill[i] = sk[i];
    }
    cs_counters *k = &sim->cnt;
    k->births = 3;
    k->deaths = 2;
    k->relocations = 1;
    k->innovations = 5;
    k->spinoffs = 1;
    k->spinouts = 0;
    k->migrations = 2;
    k->link_hires = 4;
    k->rd_spend = 7.5;
    k->tax_revenue = 2.25;
    k->spending_total = 12.0;
    k->spending[0] = 5.0;
    k->spending[1] = 7.0;
    return sim;
}

static void test_compute_hand(void) {
    cs_sim *sim = hand_sim();
    cs_metrics m;
    cs_metrics_compute(sim, &m);
    const double *ts = m.ts;
    const double tol = 1e-14;
    CHECK(ts[CS_TS_STEP] == 8 && ts[CS_TS_YEAR] == 2.0);
    /* Counters pass through (scale 1). */
    CHECK(ts[CS_TS_BIRTHS] == 3 && ts[CS_TS_DEATHS] == 2 && ts[CS_TS_RELOCATIONS] == 1);
    CHECK(ts[CS_TS_INNOVATIONS] == 5 && ts[CS_TS_SPINOFFS] == 1 && ts[CS_TS_SPINOUTS] == 0);
    CHECK(ts[CS_TS_MIGRATIONS] == 2 && ts[CS_TS_LINK_HIRES] == 4);
    CHECK(ts[CS_TS_RD_SPEND] == 7.5 && ts[CS_TS_SPENDING] == 12.0);
    CHECK(ts[CS_TS_TAX_REVENUE] == 2.25);
    CHECK(m.spending[0] == 5.0 && m.spending[1] == 7.0 && m.spending[2] == 0.0);
    /* Alive firms 0,1,2,4,5. Employed: w0-w5, w9 = 7 (w8's employer is dead); unemployed 3 of
     * 10. Output 10+4+6+0+2 = 22. Productivity (3*2 + 1*1 + 2*3 + 1*1)/7 = 2. */
    CHECK(ts[CS_TS_FIRMS] == 5);
    CHECK(ts[CS_TS_EMPLOYMENT] == 7);
    CHECK_CLOSE(ts[CS_TS_UNEMPLOYMENT_RATE], 0.3, tol);
    CHECK_CLOSE(ts[CS_TS_OUTPUT], 22.0, tol);
    CHECK_CLOSE(ts[CS_TS_MEAN_PRODUCTIVITY], 2.0, tol);
    /* Wages w_f h_i: {1, .5, 1, 2*.5, 1, .5, 1}, mean 6/7. Gini: sorted {.5,.5,1,1,1,1,1},
     * sum_i (2i-8) x_i = -3-2-2+0+2+4+6 = 5, / (7*6) = 5/42. */
    CHECK_CLOSE(ts[CS_TS_MEAN_WAGE], 6.0 / 7.0, tol);
    CHECK_CLOSE(ts[CS_TS_WAGE_GINI], 5.0 / 42.0, tol);
    /* Rent over jobs: (3*2 + 1*4 + 2*3 + 1*1)/7 / r0 = 17/14. */
    CHECK_CLOSE(ts[CS_TS_RENT_INDEX], 17.0 / 14.0, tol);
    /* Cells' employment {3,1,2,1}/7: Herfindahl (9+1+4+1)/49. */
    CHECK_CLOSE(ts[CS_TS_EMPLOYMENT_HERFINDAHL], 15.0 / 49.0, tol);
    /* Regions by workplace: r0 firms 0,1,5: 5 workers, output 16; r1 firms 2,4: 2 workers,
     * output 6. Theil with Y/L = 22/7: (16/22) ln((16/5)/(22/7)) + (6/22) ln(3/(22/7)). */
    CHECK_CLOSE(ts[CS_TS_REGIONAL_THEIL],
                (8.0 / 11.0) * log(56.0 / 55.0) + (3.0 / 11.0) * log(21.0 / 22.0), tol);
    CHECK(m.reg[CS_REG_EMPLOYMENT][0] == 5 && m.reg[CS_REG_EMPLOYMENT][1] == 2);
    CHECK(m.reg[CS_REG_OUTPUT][0] == 16 && m.reg[CS_REG_OUTPUT][1] == 6);
    CHECK(m.reg[CS_REG_FIRMS][0] == 3 && m.reg[CS_REG_FIRMS][1] == 2);
    /* Wages in r0: w0 1, w1 .5, w3 1, w9 1 (w2 lives in r1 but works in r0: 1) = 4.5/5. */
    CHECK_CLOSE(m.reg[CS_REG_MEAN_WAGE][0], 0.9, tol);
    CHECK_CLOSE(m.reg[CS_REG_MEAN_WAGE][1], 0.75, tol);
    /* Residents r0: w0,w1,w3,w6,w8,w9 (w6, w8 unemployed): 2/6; r1: w2,w4,w5,w7: 1/4. */
    CHECK_CLOSE(m.reg[CS_REG_UNEMPLOYMENT_RATE][0], 1.0 / 3.0, tol);
    CHECK_CLOSE(m.reg[CS_REG_UNEMPLOYMENT_RATE][1], 0.25, tol);
    CHECK(m.reg[CS_REG_EMPLOYMENT][2] == 0.0);
    /* Sectors: s0 firms 0,1: 4 workers, output 14; s1 firms 2,4,5: 3 workers, output 8. */
    CHECK(m.sec[CS_SEC_EMPLOYMENT][0] == 4 && m.sec[CS_SEC_EMPLOYMENT][1] == 3);
    CHECK(m.sec[CS_SEC_FIRMS][0] == 2 && m.sec[CS_SEC_FIRMS][1] == 3);
    CHECK_CLOSE(m.sec[CS_SEC_OUTPUT][0], 14.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_OUTPUT][1], 8.0, tol);
    /* EG over 4x4 tiles (a = ty*2 + tx): e = {4,0,1,2}, x = {4,0,1,2}/7, 1 - sum x^2 = 4/7.
     * s0: e_s = {4,0,0,0}: G = (3/7)^2 + (1/7)^2 + (2/7)^2 = 2/7, G/(4/7) = 1/2; firms {3,1}:
     *     H = 5/8; gamma = (1/2 - 5/8)/(3/8) = -1/3.
     * s1: e_s = {0,0,1,2}: G = (4/7)^2 + (1/3-1/7)^2 + (2/3-2/7)^2 = 32/63, G/(4/7) = 8/9;
     *     firms {2,0,1}: H = 5/9; gamma = (8/9 - 5/9)/(4/9) = 3/4. */
    CHECK_CLOSE(m.sec[CS_SEC_EG_INDEX][0], -1.0 / 3.0, 1e-13);
    CHECK_CLOSE(m.sec[CS_SEC_EG_INDEX][1], 0.75, 1e-13);
    /* Clusters, Rk = 1 (3x3 windows). Shares s0 4/7, s1 3/7. No window mixes the sectors, so
     * wherever a window holds sector jobs its LQ is 7/4 (s0) or 7/3 (s1) >= 1.25.
     * s0: window sums of s0 jobs are 3,4,4,1 for x = 0..3 on rows y = 0..2; e_min = 2 keeps
     *     x 0..2, y 0..2: one cluster of 4 jobs, centroid ((3*1 + 1*2)/4, 1) = (1.25, 1).
     * s1: the window sum around (5,5) is 2 (kept: a cluster of 2 jobs at (5,5)); around
     *     (1,6) it is 1 < e_min: no cluster there. */
    CHECK(m.sec[CS_SEC_CLUSTER_COUNT][0] == 1 && m.sec[CS_SEC_CLUSTER_COUNT][1] == 1);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][0], 4.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_X][0], 1.25, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_Y][0], 1.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][1], 2.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_X][1], 5.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_Y][1], 5.0, tol);

    /* e_min = 1: the (1,6) window passes too: s1 has 2 clusters, the one at (5,5) (first in
     * scan order, 2 jobs) still the largest; s0 keeps one cluster (x 0..3 now). */
    sim->par.output.e_min = 1.0;
    cs_metrics_compute(sim, &m);
    CHECK(m.sec[CS_SEC_CLUSTER_COUNT][0] == 1 && m.sec[CS_SEC_CLUSTER_COUNT][1] == 2);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][0], 4.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_X][0], 1.25, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][1], 2.0, tol);
    CHECK_CLOSE(m.sec[CS_SEC_LARGEST_CLUSTER_X][1], 5.0, tol);

    /* lq_min = 2: s0's LQ 7/4 fails (no cluster, NaN centroid); s1's 7/3 passes. */
    sim->par.output.lq_min = 2.0;
    cs_metrics_compute(sim, &m);
    CHECK(m.sec[CS_SEC_CLUSTER_COUNT][0] == 0 && m.sec[CS_SEC_CLUSTER_COUNT][1] == 2);
    CHECK(m.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][0] == 0.0);
    CHECK(isnan(m.sec[CS_SEC_LARGEST_CLUSTER_X][0]) && isnan(m.sec[CS_SEC_LARGEST_CLUSTER_Y][0]));
    sim_release(sim);
}

/* Headcounts: the firms' own where they add up to the employed workers (as the phases keep
 * them), else a recount from the workers (the hand state's zeros); the same metrics either
 * way. Firm 3 is dead: its worker w8 counts as unemployed whatever its count says. */
static void test_compute_headcounts(void) {
    cs_sim *sim = hand_sim();
    cs_metrics a, b;
    cs_metrics_compute(sim, &a);
    const int32_t heads[6] = {3, 1, 2, 1, 0, 1};
    memcpy(sim->firms.n_emp, heads, sizeof heads);
    cs_metrics_compute(sim, &b);
    CHECK(memcmp(a.ts, b.ts, sizeof a.ts) == 0);
    CHECK(memcmp(a.sec, b.sec, sizeof a.sec) == 0 && memcmp(a.reg, b.reg, sizeof a.reg) == 0);
    CHECK(b.ts[CS_TS_EMPLOYMENT] == 7 && b.sec[CS_SEC_EMPLOYMENT][0] == 4);
    sim_release(sim);
}

static void test_compute_scale(void) {
    /* At scale 0.5 every count and sum doubles; rates, means and indices do not change; and
     * e_min is in full-scale jobs, so the (1,6) window (1 agent = 2 full-scale jobs) now
     * passes e_min = 2: s1 has 2 clusters, the largest 4 full-scale jobs. */
    cs_sim *sim = hand_sim();
    cs_metrics a, b;
    cs_metrics_compute(sim, &a);
    sim->scale = 0.5;
    cs_metrics_compute(sim, &b);
    const int counted[] = {CS_TS_FIRMS,  CS_TS_BIRTHS,   CS_TS_DEATHS,   CS_TS_EMPLOYMENT,
                           CS_TS_OUTPUT, CS_TS_RD_SPEND, CS_TS_SPENDING, CS_TS_LINK_HIRES};
    for (size_t j = 0; j < sizeof counted / sizeof *counted; j++)
        CHECK_CLOSE(b.ts[counted[j]], 2.0 * a.ts[counted[j]], 1e-13);
    const int ratios[] = {
        CS_TS_UNEMPLOYMENT_RATE, CS_TS_MEAN_PRODUCTIVITY,     CS_TS_MEAN_WAGE,     CS_TS_WAGE_GINI,
        CS_TS_RENT_INDEX,        CS_TS_EMPLOYMENT_HERFINDAHL, CS_TS_REGIONAL_THEIL};
    for (size_t j = 0; j < sizeof ratios / sizeof *ratios; j++)
        CHECK_CLOSE(b.ts[ratios[j]], a.ts[ratios[j]], 1e-13);
    CHECK(b.spending[1] == 14.0);
    CHECK_CLOSE(b.reg[CS_REG_EMPLOYMENT][0], 10.0, 1e-13);
    CHECK_CLOSE(b.sec[CS_SEC_EG_INDEX][1], 0.75, 1e-13);
    CHECK(b.sec[CS_SEC_CLUSTER_COUNT][1] == 2);
    CHECK_CLOSE(b.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][1], 4.0, 1e-13);
    CHECK_CLOSE(b.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][0], 8.0, 1e-13);
    sim_release(sim);
}

/* Brute-force cluster reference: 3-level loops for the windows and a flood fill. */
static void clusters_reference(const cs_sim *sim, int s, double *count, double *emp) {
    int W = sim->land.W, H = sim->land.H, R = sim->par.land.rk, n = W * H;
    double *Es = calloc((size_t)n, sizeof *Es), *E = calloc((size_t)n, sizeof *E);
    int *cnt = calloc((size_t)sim->firms.n, sizeof *cnt);
    for (int i = 0; i < sim->workers.n; i++) {
        int f = sim->workers.employer[i];
        if (f >= 0 && sim->firms.alive[f]) cnt[f]++;
    }
    double Es_tot = 0, E_tot = 0;
    for (int f = 0; f < sim->firms.n; f++) {
        if (!sim->firms.alive[f]) continue;
        E[sim->firms.cell[f]] += cnt[f] / sim->scale;
        E_tot += cnt[f] / sim->scale;
        if (sim->firms.sector[f] == s) {
            Es[sim->firms.cell[f]] += cnt[f] / sim->scale;
            Es_tot += cnt[f] / sim->scale;
        }
    }
    uint8_t *mask = calloc((size_t)n, 1);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double ws = 0, we = 0;
            for (int yy = y - R; yy <= y + R; yy++)
                for (int xx = x - R; xx <= x + R; xx++)
                    if (xx >= 0 && yy >= 0 && xx < W && yy < H) {
                        ws += Es[yy * W + xx];
                        we += E[yy * W + xx];
                    }
            mask[y * W + x] = we > 0 && (ws / we) / (Es_tot / E_tot) >= sim->par.output.lq_min &&
                              ws >= sim->par.output.e_min;
        }
    int32_t *label = malloc(sizeof(int32_t) * n), *queue = malloc(sizeof(int32_t) * n);
    int nc = label_reference(mask, W, H, label, queue);
    double best = 0;
    for (int k = 0; k < nc; k++) {
        double e = 0;
        for (int c = 0; c < n; c++)
            if (label[c] == k) e += Es[c];
        if (e > best) best = e;
    }
    *count = nc;
    *emp = best;
    free(Es);
    free(E);
    free(cnt);
    free(mask);
    free(label);
    free(queue);
}

/* The jobs memo (jobs by sector and cell, for the next step's fields) is cleared between calls
 * only where firms stood at the last one, in the sectors each cell held then. After firms move,
 * change sector in place and die, a second call must give the bits of a first call on fresh
 * buffers: the memo itself and every metric. */
static void test_jobs_memo_follows_firms(void) {
    const int W = 12, H = 10, S = 3, NF = 40, NW = 600;
    cs_sim *sim[2];
    for (int k = 0; k < 2; k++) {
        sim[k] = sim_alloc(W, H, S, NF, NW);
        sim[k]->scale = 0.5;
        sim[k]->land.n_regions = 2;
        sim[k]->par.land.rk = 1;
        sim[k]->par.output.eg_tile = 4;
        sim[k]->par.output.lq_min = 1.1;
        sim[k]->par.output.e_min = 10.0;
    }
    for (int f = 0; f < NF; f++) {
        const int c = (int)(urand() * 30), s = f % S; /* crowded: cells hold several sectors */
        const double A = 0.5 + urand(), Y = 10.0 * urand(), w = 0.5 + urand();
        for (int k = 0; k < 2; k++) {
            sim[k]->firms.cell[f] = c, sim[k]->firms.sector[f] = (uint8_t)s;
            sim[k]->firms.A[f] = A, sim[k]->firms.Y[f] = Y, sim[k]->firms.w[f] = w;
            sim[k]->firms.alive[f] = 1;
        }
    }
    for (int i = 0; i < NW; i++) {
        const int home = (int)(urand() * W * H), e = urand() < 0.1 ? -1 : (int)(urand() * NF);
        const float h = (float)(0.2 + 0.8 * urand());
        for (int k = 0; k < 2; k++) {
            sim[k]->workers.home[i] = home, sim[k]->workers.employer[i] = e;
            sim[k]->workers.skill[i] = h;
        }
    }
    for (int c = 0; c < W * H; c++)
        for (int k = 0; k < 2; k++) sim[k]->land.region[c] = (int16_t)(c % W < 6 ? 0 : 1);
    cs_metrics m0, m1;
    cs_metrics_compute(sim[0], &m0); /* the first call sets the memo */
    for (int f = 0; f < NF; f++) {
        const int moved = f % 3 == 0, resector = f % 5 == 1, dies = f % 7 == 2;
        const int c = 60 + (int)(urand() * 60);
        for (int k = 0; k < 2; k++) {
            if (moved) sim[k]->firms.cell[f] = c;
            if (resector) sim[k]->firms.sector[f] = (uint8_t)((f + 1) % S);
            if (dies) sim[k]->firms.alive[f] = 0;
        }
    }
    for (int i = 0; i < NW; i++) /* the dead firms' workers leave */
        for (int k = 0; k < 2; k++) {
            const int e = sim[k]->workers.employer[i];
            if (e >= 0 && !sim[k]->firms.alive[e]) sim[k]->workers.employer[i] = -1;
        }
    cs_metrics_compute(sim[0], &m0);
    cs_metrics_compute(sim[1], &m1);
    const size_t nm = (size_t)(S + 1) * (size_t)(W * H);
    CHECK(memcmp(sim[0]->buf->jobs_memo, sim[1]->buf->jobs_memo, nm * sizeof(double)) == 0);
    CHECK(memcmp(&m0, &m1, sizeof m0) == 0);
    for (int k = 0; k < 2; k++) {
        cs_buffers *b = sim[k]->buf;
        free(b->jobs_memo), free(b->jobs_win), free(b->jobs_win_all);
        free(b->jobs_memo_cells), free(b->jobs_memo_sec);
        sim_release(sim[k]);
    }
}

static void test_compute_random(void) {
    /* A larger random state (more than 4096 employed, so the radix sort is used): the wage
     * Gini equals cs_gini of the wages, totals add up across sectors and regions, clusters
     * agree with a brute-force reference, and results are the same for 1 and 4 threads. */
    const int W = 40, H = 30, S = 3, NF = 300, NW = 9000;
    cs_sim *sim = sim_alloc(W, H, S, NF, NW);
    sim->scale = 0.01;
    sim->step = 3;
    sim->land.n_regions = 3;
    sim->par.land.rk = 2;
    sim->par.land.r0 = 1.5;
    sim->par.output.eg_tile = 8;
    sim->par.output.lq_min = 1.3;
    sim->par.output.e_min = 2500.5;
    for (int c = 0; c < W * H; c++) {
        sim->land.region[c] = (int16_t)((c % W) / 14);
        sim->f.rent[c] = 1.0 + urand();
    }
    for (int f = 0; f < NF; f++) {
        /* Sector s firms crowd around their own centre, so clusters form. */
        int s = f % S;
        int cx = 8 + 12 * s, cy = 8 + 7 * s;
        int x = cx + (int)((urand() - 0.5) * (f % 2 ? 10 : 38));
        int y = cy + (int)((urand() - 0.5) * (f % 2 ? 8 : 28));
        x = x < 0 ? 0 : x >= W ? W - 1 : x;
        y = y < 0 ? 0 : y >= H ? H - 1 : y;
        sim->firms.cell[f] = y * W + x;
        sim->firms.sector[f] = (uint8_t)s;
        sim->firms.A[f] = 0.5 + urand();
        sim->firms.Y[f] = 100.0 * urand();
        sim->firms.w[f] = 0.5 + 2.0 * urand();
        sim->firms.alive[f] = f % 37 != 5;
    }
    for (int i = 0; i < NW; i++) {
        sim->workers.home[i] = (int)(urand() * W * H);
        sim->workers.employer[i] = urand() < 0.08 ? -1 : (int)(urand() * NF);
        sim->workers.skill[i] = (float)(0.1 + 0.9 * urand());
    }
    cs_metrics m1, m4;
    omp_set_num_threads(1);
    cs_metrics_compute(sim, &m1);
    omp_set_num_threads(4);
    cs_metrics_compute(sim, &m4);
    CHECK(memcmp(&m1, &m4, sizeof m1) == 0);

    double *wages = malloc(sizeof(double) * NW), *work = malloc(sizeof(double) * NW);
    int ne = 0;
    double wsum = 0;
    for (int i = 0; i < NW; i++) {
        int f = sim->workers.employer[i];
        if (f < 0 || !sim->firms.alive[f]) continue;
        wages[ne] = sim->firms.w[f] * sim->workers.skill[i];
        wsum += wages[ne++];
    }
    CHECK(ne > 4096);
    CHECK(m1.wage_gini_bound <= CS_GINI_BOUND);
    CHECK_CLOSE(m1.ts[CS_TS_WAGE_GINI], cs_gini(wages, ne, work), m1.wage_gini_bound + 1e-14);
    CHECK(m1.ts[CS_TS_WAGE_GINI] > 0.05);
    CHECK_CLOSE(m1.ts[CS_TS_MEAN_WAGE], wsum / ne, 1e-12);
    CHECK_CLOSE(m1.ts[CS_TS_EMPLOYMENT], ne / 0.01, 1e-6);
    double se = 0, so = 0, sf = 0, re = 0, ro = 0, rf = 0;
    for (int s = 0; s < S; s++) {
        se += m1.sec[CS_SEC_EMPLOYMENT][s];
        so += m1.sec[CS_SEC_OUTPUT][s];
        sf += m1.sec[CS_SEC_FIRMS][s];
    }
    for (int r = 0; r < 3; r++) {
        re += m1.reg[CS_REG_EMPLOYMENT][r];
        ro += m1.reg[CS_REG_OUTPUT][r];
        rf += m1.reg[CS_REG_FIRMS][r];
    }
    CHECK_CLOSE(se, m1.ts[CS_TS_EMPLOYMENT], 1e-6);
    CHECK_CLOSE(re, m1.ts[CS_TS_EMPLOYMENT], 1e-6);
    CHECK_CLOSE(so, m1.ts[CS_TS_OUTPUT], 1e-6);
    CHECK_CLOSE(ro, m1.ts[CS_TS_OUTPUT], 1e-6);
    CHECK_CLOSE(sf, m1.ts[CS_TS_FIRMS], 1e-9);
    CHECK_CLOSE(rf, m1.ts[CS_TS_FIRMS], 1e-9);
    int any = 0;
    for (int s = 0; s < S; s++) {
        double cnt, emp;
        clusters_reference(sim, s, &cnt, &emp);
        CHECK_MSG(m1.sec[CS_SEC_CLUSTER_COUNT][s] == cnt, "sector %d: %g clusters, reference %g", s,
                  m1.sec[CS_SEC_CLUSTER_COUNT][s], cnt);
        CHECK_CLOSE(m1.sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][s], emp, 1e-6);
        if (cnt > 0) {
            any = 1;
            CHECK(m1.sec[CS_SEC_LARGEST_CLUSTER_X][s] >= 0 &&
                  m1.sec[CS_SEC_LARGEST_CLUSTER_X][s] < W);
            CHECK(m1.sec[CS_SEC_LARGEST_CLUSTER_Y][s] >= 0 &&
                  m1.sec[CS_SEC_LARGEST_CLUSTER_Y][s] < H);
        }
        /* Sectors crowd around distinct centres: concentrated, positive EG. */
        CHECK(m1.sec[CS_SEC_EG_INDEX][s] > 0.0);
    }
    CHECK(any);
    free(wages);
    free(work);
    sim_release(sim);
}

/* The exact Gini of x[0..n) (sorted in place by qsort): sum_i (2i - n - 1) x_(i) and
 * sum_i x_(i) over fixed blocks of CS_BLOCK sorted wages added in block order, Gini = num /
 * (n sum); *sum gets the sum. */
static double exact_gini(double *x, int n, double *sum) {
    qsort(x, (size_t)n, sizeof *x, cs_cmp_double);
    double num = 0.0;
    *sum = 0.0;
    for (int b0 = 0; b0 < n; b0 += CS_BLOCK) {
        double bn = 0.0, bs = 0.0;
        for (int i = b0; i < n && i < b0 + CS_BLOCK; i++) {
            bn += (2.0 * (double)(i + 1) - (double)n - 1.0) * x[i];
            bs += x[i];
        }
        num += bn;
        *sum += bs;
    }
    return (n >= 2 && *sum > 0.0) ? num / ((double)n * *sum) : 0.0;
}

/* The wage Gini of cs_metrics_compute (a histogram, not a sort) against the exact sorted-sum
 * definition (exact_gini). The fast value must lie within the bound it reports (plus rounding), the
 * bound within CS_GINI_BOUND, the mean wage within rounding of sum / n, and all three bitwise the
 * same on 1 to 3 threads. Inputs: ties (shared wage rates, equal skills), near-ties, zero wages,
 * heavy tails, the unemployed, employers dead or past the last firm; sizes below and above
 * CS_PAR_MIN. */
static void test_gini_reference(void) {
    const int sizes[] = {1, 2, 3, 17, 5000, 70000, 300000, 1000000};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        const int NW = sizes[z], NF = NW / 8 + 2;
        cs_sim *sim = sim_alloc(16, 16, 2, NF, NW);
        for (int f = 0; f < NF; f++) {
            sim->firms.cell[f] = f % 256;
            sim->firms.sector[f] = (uint8_t)(f % 2);
            /* a few distinct rates (ties), zero rates, and a continuum */
            /* zero rates, a few distinct rates (ties), rates 1e-7 apart (near-ties in one
             * class), a Pareto tail, and a continuum */
            sim->firms.w[f] = f % 7 == 0    ? 0.0
                              : f % 3 == 0  ? 1000.0 * (1 + f % 4)
                              : f % 11 == 1 ? 1000.0 * (1.0 + 1e-7 * (f % 5))
                              : f % 5 == 1  ? 500.0 * pow(1.0 - urand(), -1.0 / 1.2)
                                            : 500.0 + 4e4 * urand();
            sim->firms.alive[f] = f % 13 != 5;
        }
        for (int i = 0; i < NW; i++) {
            double u = urand();
            sim->workers.employer[i] = u < 0.08 ? -1 : u < 0.09 ? NF + 1 : (int)(urand() * NF);
            /* quantised skills tie often; the floor and 1 are common */
            sim->workers.skill[i] = i % 4 == 0   ? 1.0f
                                    : i % 4 == 1 ? 0.01f
                                    : i % 4 == 2 ? (float)((int)(urand() * 50) / 50.0 + 0.02)
                                                 : (float)(0.01 + 0.99 * urand());
        }
        double *x = malloc(sizeof(double) * (size_t)NW);
        int n = 0;
        for (int i = 0; i < NW; i++) {
            int f = sim->workers.employer[i];
            if (f >= 0 && f < NF && sim->firms.alive[f])
                x[n++] = sim->firms.w[f] * (double)sim->workers.skill[i];
        }
        double sum;
        const double gini = exact_gini(x, n, &sum);
        const double mean = n > 0 ? sum / (double)n : NAN;
        cs_metrics m1;
        for (int t = 1; t <= 3; t++) {
            omp_set_num_threads(t);
            cs_metrics m;
            cs_metrics_compute(sim, &m);
            const double g = m.ts[CS_TS_WAGE_GINI], bound = m.wage_gini_bound;
            CHECK_MSG(bound >= 0.0 && bound <= CS_GINI_BOUND, "n=%d: bound %g", n, bound);
            /* rounding of either sum: far below the bound's 1e-9 */
            CHECK_MSG(fabs(g - gini) <= bound + 1e-14, "n=%d threads=%d: %.17g vs %.17g (bound %g)",
                      n, t, g, gini, bound);
            CHECK_MSG(n == 0 ? isnan(m.ts[CS_TS_MEAN_WAGE])
                             : fabs(m.ts[CS_TS_MEAN_WAGE] - mean) <= 1e-13 * mean,
                      "n=%d threads=%d: mean %.17g vs %.17g", n, t, m.ts[CS_TS_MEAN_WAGE], mean);
            if (t == 1)
                m1 = m;
            else
                CHECK_MSG(memcmp(&m, &m1, sizeof m) == 0, "n=%d: threads %d differ", n, t);
        }
        free(x);
        sim_release(sim);
    }
}

/* The histogram's stated bound must hold however the wages fall inside a class, in particular
 * when a class holds many equal wages, whose W_b is 0 while an estimate for evenly spread wages
 * is c (c - 1) h / 6, and when they sit at the two ends of a class (W_b at its largest). Each
 * case: n wages on nr distinct rates in [1, 2) (one binade), each rate repeated n / nr times,
 * optionally with a continuum mixed in; or half at each end of the lowest class. */
static void test_gini_bunched(void) {
    const struct {
        int nw, nr, spread; /* workers, distinct rates, a continuum on every 4th worker */
    } cases[] = {{300000, 20000, 0},
                 {300000, 60000, 0},
                 {400000, 4000, 0},
                 {300000, 20000, 1},
                 {300000, 3, 0}};
    for (size_t z = 0; z < sizeof cases / sizeof cases[0]; z++) {
        const int NW = cases[z].nw, NF = cases[z].nr;
        cs_sim *sim = sim_alloc(16, 16, 1, NF, NW);
        for (int f = 0; f < NF; f++) {
            sim->firms.cell[f] = f % 256;
            sim->firms.w[f] = 1.0 + (double)f / NF;
            sim->firms.alive[f] = 1;
        }
        if (NF == 3) {
            /* W_b at its largest: half the wages at each end of the lowest class (2^17 classes
             * over [1, 2] for these n, as gini_hist lays them out; keys of positive doubles are
             * their bits with the sign bit set), one wage at 2 setting the range */
            uint64_t k1, k2;
            double one = 1.0, two = 2.0, end;
            memcpy(&k1, &one, sizeof k1);
            memcpy(&k2, &two, sizeof k2);
            const int shift = (64 - __builtin_clzll(k2 - k1)) - 17;
            const uint64_t kend = (((k1 >> shift) + 1) << shift) - 1;
            memcpy(&end, &kend, sizeof end);
            sim->firms.w[0] = 1.0;
            sim->firms.w[1] = end;
            sim->firms.w[2] = 2.0;
        }
        double *x = malloc(sizeof(double) * (size_t)NW);
        for (int i = 0; i < NW; i++) {
            sim->workers.employer[i] = NF == 3 ? (i == 0 ? 2 : i % 2) : i % NF;
            sim->workers.skill[i] =
                cases[z].spread && i % 4 == 0 ? (float)(0.5 + 0.5 * urand()) : 1.0f;
            x[i] = sim->firms.w[sim->workers.employer[i]] * (double)sim->workers.skill[i];
        }
        double sum;
        const double gini = exact_gini(x, NW, &sum);
        cs_metrics m;
        cs_metrics_compute(sim, &m);
        const double g = m.ts[CS_TS_WAGE_GINI], bound = m.wage_gini_bound;
        CHECK_MSG(bound >= 0.0 && bound <= CS_GINI_BOUND, "case %zu: bound %g", z, bound);
        CHECK_MSG(fabs(g - gini) <= bound + 1e-14,
                  "case %zu: %.17g vs %.17g (error %.3g, bound %.3g)", z, g, gini, fabs(g - gini),
                  bound);
        free(x);
        sim_release(sim);
    }
}

/* The exact path's radix sort orders wages on the top bits of their range only, then each run
 * of wages that share those bits on the whole key: by one insertion pass while runs are short,
 * else run by run. Here the Gini must equal the exact one to rounding on 1 to 3 threads when
 * (a) tens of thousands of distinct wages within 1e-9 of each other share their digits because
 * two outliers stretch the range (long runs in random order: the run-by-run path), (b) short
 * runs (a wage pair a few units in the last place apart, shuffled), and (c) so narrow a range
 * that the digits are the whole key; sizes below and above CS_PAR_MIN, all exact (bound 0). */
static void test_wage_sort_runs(void) {
    const struct {
        int nw, kind;
    } cases[] = {{70000, 0}, {9000, 0}, {70000, 1}, {200000, 1}, {70000, 2}, {300, 2}};
    for (size_t z = 0; z < sizeof cases / sizeof cases[0]; z++) {
        const int NW = cases[z].nw, NF = NW, kind = cases[z].kind;
        cs_sim *sim = sim_alloc(16, 16, 1, NF, NW);
        for (int f = 0; f < NF; f++) {
            double w;
            if (kind == 0) /* one long run between two outliers */
                w = f == 0 ? 1e-3 : f == 1 ? 1e6 : 1000.0 * (1.0 + 1e-9 * urand());
            else if (kind == 1) /* pairs a few ulps apart */
                w = nextafter(500.0 + 1000.0 * (double)(f / 2) / NF, INFINITY);
            else /* keys within 2^20 of each other */
                w = 1000.0 * (1.0 + 2.2e-16 * (double)(int)(urand() * 1e6));
            if (kind == 1 && f % 2) w = nextafter(nextafter(w, INFINITY), INFINITY);
            sim->firms.w[f] = w;
            sim->firms.cell[f] = f % 256;
            sim->firms.alive[f] = 1;
        }
        double *x = malloc(sizeof(double) * (size_t)NW);
        for (int i = 0; i < NW; i++) {
            /* workers in random order of their firms */
            sim->workers.employer[i] = (int)(urand() * NF);
            sim->workers.skill[i] = 1.0f;
            x[i] = sim->firms.w[sim->workers.employer[i]];
        }
        double sum;
        const double gini = exact_gini(x, NW, &sum);
        for (int t = 1; t <= 3; t++) {
            omp_set_num_threads(t);
            cs_metrics m;
            cs_metrics_compute(sim, &m);
            CHECK_MSG(m.wage_gini_bound == 0.0, "case %zu: bound %g", z, m.wage_gini_bound);
            CHECK_MSG(m.ts[CS_TS_WAGE_GINI] == gini || fabs(m.ts[CS_TS_WAGE_GINI] - gini) <= 1e-15,
                      "case %zu threads %d: %.17g vs %.17g", z, t, m.ts[CS_TS_WAGE_GINI], gini);
        }
        free(x);
        sim_release(sim);
    }
}

/* Computes the metrics of sim on 1 to 4 threads (bitwise the same) and checks them against
 * serial brute-force references: the wage Gini (cs_gini, a qsort), the mean wage, headcounts
 * and the regional figures. Returns the Gini. */
static double check_large(cs_sim *sim) {
    const cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    const int R = sim->land.n_regions;
    cs_metrics m[4];
    for (int t = 0; t < 4; t++) {
        omp_set_num_threads(t + 1);
        cs_metrics_compute(sim, &m[t]);
    }
    for (int t = 1; t < 4; t++)
        CHECK_MSG(memcmp(&m[0], &m[t], sizeof m[0]) == 0, "%d threads", t + 1);
    double *wages = malloc(sizeof(double) * Wk->n), *work = malloc(sizeof(double) * Wk->n);
    /* wage sums in long double: a reference more accurate than any order of double sums */
    long double wsum = 0, rw[CS_MAX_REGIONS] = {0};
    double rn[CS_MAX_REGIONS] = {0}, rl[CS_MAX_REGIONS] = {0};
    double ru[CS_MAX_REGIONS] = {0}, sec[CS_MAX_SECTORS] = {0};
    int ne = 0;
    for (int i = 0; i < Wk->n; i++) {
        int f = Wk->employer[i];
        int employed = f >= 0 && f < F->n && F->alive[f];
        int hr = sim->land.region[Wk->home[i]];
        if (hr >= 0) {
            rl[hr] += 1;
            ru[hr] += !employed;
        }
        if (!employed) continue;
        double w = F->w[f] * Wk->skill[i];
        wages[ne++] = w;
        wsum += w;
        sec[F->sector[f]] += 1;
        int wr = sim->land.region[F->cell[f]];
        if (wr >= 0) {
            rw[wr] += w;
            rn[wr] += 1;
        }
    }
    double g = cs_gini(wages, ne, work);
    CHECK(m[0].wage_gini_bound <= CS_GINI_BOUND);
    CHECK_CLOSE(m[0].ts[CS_TS_WAGE_GINI], g, m[0].wage_gini_bound + 1e-12 * fabs(g) + 1e-14);
    double mean = (double)(wsum / ne);
    CHECK_CLOSE(m[0].ts[CS_TS_MEAN_WAGE], mean, 1e-12 * fabs(mean));
    CHECK(m[0].ts[CS_TS_EMPLOYMENT] == ne / sim->scale);
    CHECK(m[0].ts[CS_TS_UNEMPLOYMENT_RATE] == (double)(Wk->n - ne) / Wk->n);
    for (int s = 0; s < sim->S; s++) CHECK(m[0].sec[CS_SEC_EMPLOYMENT][s] == sec[s] / sim->scale);
    for (int r = 0; r < R; r++) {
        CHECK(m[0].reg[CS_REG_UNEMPLOYMENT_RATE][r] == ru[r] / rl[r]);
        double rmean = (double)(rw[r] / rn[r]);
        CHECK_CLOSE(m[0].reg[CS_REG_MEAN_WAGE][r], rmean, 1e-12 * fabs(rmean));
    }
    free(wages);
    free(work);
    return m[0].ts[CS_TS_WAGE_GINI];
}

static void test_compute_parallel(void) {
    /* More workers than CS_PAR_MIN and S x cells above it, so every parallel path runs, with
     * wage distributions that stress the parallel sort: ties, zeros, many binades, a few
     * negative wages (any sign sorts), then all wages equal, then two groups 400 binades
     * apart. Employers past the last firm or dead count as unemployed. */
    const int W = 120, H = 80, S = 4, NF = 5000, NW = 200000;
    cs_sim *sim = sim_alloc(W, H, S, NF, NW);
    sim->scale = 0.1;
    sim->step = 5;
    sim->land.n_regions = 5;
    sim->par.land.rk = 2;
    sim->par.land.r0 = 1.0;
    sim->par.output.eg_tile = 8;
    sim->par.output.lq_min = 1.25;
    sim->par.output.e_min = 200.0;
    for (int c = 0; c < W * H; c++) {
        sim->land.region[c] = (int16_t)(c / W < 5 ? -1 : (c % W) / 24); /* top rows sea */
        sim->f.rent[c] = 1.0 + urand();
    }
    for (int f = 0; f < NF; f++) {
        int s = f % S;
        int x = 10 + 25 * s + (int)(urand() * 20), y = 5 + (int)(urand() * (H - 5));
        sim->firms.cell[f] = y * W + x;
        sim->firms.sector[f] = (uint8_t)s;
        sim->firms.A[f] = 0.5 + urand();
        sim->firms.Y[f] = 100.0 * urand();
        double w;
        switch (f % 5) {
        case 0:
            w = 0.3;
            break; /* the wage floor: many ties */
        case 1:
            w = pow(10.0, 12.0 * urand() - 6.0);
            break; /* 12 decades */
        case 2:
            w = 0.0;
            break;
        case 3:
            w = 0.5 + 2.5 * urand();
            break;
        default:
            w = f % 50 == 4 ? -1.5 * urand() : 1.0 + urand();
            break;
        }
        sim->firms.w[f] = w;
        sim->firms.alive[f] = f % 41 != 7;
    }
    for (int i = 0; i < NW; i++) {
        double u = urand();
        sim->workers.home[i] = (int)(urand() * W * H);
        sim->workers.employer[i] = u < 0.05 ? -1 : u < 0.051 ? NF + 3 : (int)(urand() * NF);
        sim->workers.skill[i] = i % 3 == 0 ? 1.0f : (float)(0.01 + 0.99 * urand());
    }
    CHECK(check_large(sim) > 0.3);
    for (int f = 0; f < NF; f++) sim->firms.w[f] = 0.7;
    for (int i = 0; i < NW; i++) sim->workers.skill[i] = 1.0f;
    CHECK(fabs(check_large(sim)) < 1e-12);
    for (int f = 0; f < NF; f++) sim->firms.w[f] = f % 2 ? 1e-200 * (1 + urand()) : 1e200;
    for (int i = 0; i < NW; i++) sim->workers.skill[i] = (float)(0.5 + 0.5 * urand());
    CHECK(check_large(sim) > 0.4);
    sim_release(sim);
}

static void test_tables(void) {
    /* Every series is named, with units and a description; names unique within a table. */
    const cs_series_info *t[3] = {cs_ts_info, cs_sec_info, cs_reg_info};
    const int n[3] = {CS_TS_N, CS_SEC_N, CS_REG_N};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < n[k]; i++) {
            CHECK_MSG(t[k][i].name && t[k][i].units && t[k][i].description, "table %d row %d", k,
                      i);
            if (!t[k][i].name) continue;
            for (int j = 0; j < i; j++) CHECK(strcmp(t[k][i].name, t[k][j].name) != 0);
        }
    CHECK(strcmp(cs_ts_info[CS_TS_UNEMPLOYMENT_RATE].name, "unemployment_rate") == 0);
    CHECK(strcmp(cs_ts_info[CS_TS_EMPLOYMENT_HERFINDAHL].name, "employment_herfindahl") == 0);
    CHECK(strcmp(cs_ts_info[CS_TS_LINK_HIRES].name, "link_hires") == 0);
    CHECK(strcmp(cs_sec_info[CS_SEC_LARGEST_CLUSTER_X].name, "largest_cluster_x") == 0);
    CHECK(strcmp(cs_reg_info[CS_REG_UNEMPLOYMENT_RATE].name, "unemployment_rate") == 0);
}

int main(void) {
    RUN(test_eg_hand);
    RUN(test_eg_limits);
    RUN(test_gini);
    RUN(test_wage_sort_runs);
    RUN(test_jobs_memo_follows_firms);
    RUN(test_theil);
    RUN(test_herfindahl);
    RUN(test_label_diagonal);
    RUN(test_label_ring);
    RUN(test_label_fill_and_empty);
    RUN(test_label_scan_order);
    RUN(test_label_random);
    RUN(test_tables);
    RUN(test_compute_hand);
    RUN(test_compute_headcounts);
    RUN(test_compute_scale);
    RUN(test_compute_random);
    RUN(test_compute_parallel);
    RUN(test_gini_reference);
    RUN(test_gini_bunched);
    return CHECK_DONE();
}
