/* test_window.c: box-window averages and transport links against brute force. */
#include <omp.h>
#include <stdlib.h>

#include "check.h"
#include "window.h"

static uint64_t rng_state = 88172645463325252ull;
static double urand(void) { /* xorshift64: tests need no stream discipline */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) * 0x1p-53;
}

static void brute_window(const double *X, int W, int H, int R, double *out) {
    double d = (2.0 * R + 1) * (2.0 * R + 1);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double s = 0;
            for (int yy = y - R; yy <= y + R; yy++)
                for (int xx = x - R; xx <= x + R; xx++)
                    if (xx >= 0 && xx < W && yy >= 0 && yy < H) s += X[yy * W + xx];
            out[y * W + x] = s / d;
        }
}

/* Random non-negative grid; sparse = most cells 0 and a few huge ones. */
static void fill(double *X, int n, int sparse) {
    for (int i = 0; i < n; i++) {
        if (sparse)
            X[i] = urand() < 0.05 ? 1e9 * urand() : 0.0;
        else
            X[i] = urand() < 0.2 ? 0.0 : urand() * (urand() < 0.1 ? 1e6 : 1.0);
    }
}

static int window_matches(int W, int H, int R, int sparse) {
    int n = W * H, ok = 1;
    double *X = malloc(n * sizeof *X), *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    double *sat = malloc(CS_WINDOW_SAT_LEN(W, H) * sizeof *sat);
    fill(X, n, sparse);
    cs_window_avg(X, W, H, R, a, sat);
    brute_window(X, W, H, R, b);
    for (int i = 0; i < n; i++) {
        /* an empty window must be exactly 0; others within relative 1e-9 */
        int good = b[i] == 0.0 ? a[i] == 0.0 : fabs(a[i] - b[i]) <= 1e-9 * fabs(b[i]);
        if (!good) {
            fprintf(stderr, "  W=%d H=%d R=%d sparse=%d cell %d: %.17g vs %.17g\n", W, H, R, sparse,
                    i, a[i], b[i]);
            ok = 0;
            break;
        }
    }
    free(X), free(a), free(b), free(sat);
    return ok;
}

static void test_window_brute(void) {
    const int dims[][2] = {{1, 1},   {1, 7},  {7, 1},     {10, 8},
                           {13, 29}, {64, 3}, {100, 160}, {130, 17}};
    const int radii[] = {0, 1, 2, 3, 5, 8, 12, 40, 200};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        for (size_t j = 0; j < sizeof radii / sizeof radii[0]; j++)
            for (int sparse = 0; sparse < 2; sparse++)
                CHECK(window_matches(dims[i][0], dims[i][1], radii[j], sparse));
}

/* The window sums one line at a time (the scalar van Herk / Gil-Werman pass cs_window_avg
 * replaced): cs_window_avg must give the same bits, since model results depend on them. */
static void ref_line(const double *x, size_t st, int n, int R, double *s) {
    const int k = 2 * R + 1;
    int pend = ((n - 1) / k) * k + k - 1;
    if (pend > R + n - 1) pend = R + n - 1;
    double acc = 0.0;
    int pm = pend % k;
    for (int p = pend; p >= 0; p--) {
        int in = p >= R && p < R + n;
        if (pm == k - 1)
            acc = in ? x[(p - R) * st] : 0.0;
        else if (in)
            acc = x[(p - R) * st] + acc;
        if (p < n) s[p * st] = acc;
        pm = pm == 0 ? k - 1 : pm - 1;
    }
    double fa = 0.0;
    int qm = 0;
    for (int q = 0; q < n + 2 * R; q++) {
        int in = q >= R && q < R + n;
        if (qm == 0)
            fa = in ? x[(q - R) * st] : 0.0;
        else if (in)
            fa = fa + x[(q - R) * st];
        if (q >= 2 * R && qm != k - 1) s[(q - 2 * R) * st] += fa;
        qm = qm == k - 1 ? 0 : qm + 1;
    }
}

static void ref_window(const double *X, int W, int H, int R, double *out, double *hs) {
    int rx = R < W - 1 ? R : W - 1, ry = R < H - 1 ? R : H - 1;
    double d = (2.0 * R + 1.0) * (2.0 * R + 1.0);
    for (int y = 0; y < H; y++) ref_line(X + (size_t)y * W, 1, W, rx, hs + (size_t)y * W);
    for (int x = 0; x < W; x++) ref_line(hs + x, (size_t)W, H, ry, out + x);
    for (int c = 0; c < W * H; c++) out[c] /= d;
}

/* +0.0 everywhere but in up to four small patches of values, signed zeros among them (one
 * cell, +-0.0 or a value, if single): the window passes skip the lines and spans of +0.0. */
static void clustered(double *X, int W, int H, int single) {
    for (int c = 0; c < W * H; c++) X[c] = 0.0;
    int np = single ? 1 : (int)(urand() * 5);
    for (int k = 0; k < np; k++) {
        int x0 = (int)(urand() * W), y0 = (int)(urand() * H);
        int w = single ? 1 : 1 + (int)(urand() * 5), h = single ? 1 : 1 + (int)(urand() * 5);
        for (int y = y0; y < y0 + h && y < H; y++)
            for (int x = x0; x < x0 + w && x < W; x++) {
                double u = urand();
                X[y * W + x] = u < 0.2 ? -0.0 : u < 0.3 ? 0.0 : u < 0.4 ? -urand() : 1e6 * urand();
            }
    }
}

static void test_window_bitwise(void) {
    const int dims[][2] = {{1, 1}, {1, 7}, {7, 1}, {10, 8}, {13, 29}, {100, 160}, {157, 211}};
    const int radii[] = {0, 1, 2, 3, 8, 40};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        for (size_t j = 0; j < sizeof radii / sizeof radii[0]; j++)
            for (int mode = 0; mode < 5; mode++) {
                const int W = dims[i][0], H = dims[i][1], n = W * H;
                double *X = malloc(n * sizeof *X), *a = malloc(n * sizeof *a);
                double *b = malloc(n * sizeof *b), *hs = malloc(n * sizeof *hs);
                double *sat = malloc(CS_WINDOW_SAT_LEN(W, H) * sizeof *sat);
                fill(X, n, mode == 1);
                if (mode == 2) /* signed zeros and signs: x + 0.0 is not always x */
                    for (int c = 0; c < n; c++) X[c] = urand() < 0.4 ? -0.0 : X[c] - 0.5;
                if (mode >= 3) /* +0.0 but for a few patches (mode 4: one cell, -0.0 or not) */
                    clustered(X, W, H, mode == 4);
                ref_window(X, W, H, radii[j], a, hs);
                cs_window_avg(X, W, H, radii[j], b, sat);
                CHECK_MSG(memcmp(a, b, n * sizeof *a) == 0, "W=%d H=%d R=%d mode=%d", W, H,
                          radii[j], mode);
                /* one cell at a time: every cell where that is cheap, else a sample of them */
                const double side = 2.0 * radii[j] + 1.0;
                const int all = (double)n * side * side <= 4e6, m = all ? n : 3000;
                int same = 1;
                for (int t = 0; t < m && same; t++) {
                    const int c = all ? t : (int)(urand() * n);
                    const double v = cs_window_at(X, W, H, radii[j], c % W, c / W);
                    same = memcmp(&v, &a[c], sizeof v) == 0;
                    if (!same)
                        fprintf(stderr, "  at W=%d H=%d R=%d mode=%d cell %d: %.17g vs %.17g\n", W,
                                H, radii[j], mode, c, v, a[c]);
                }
                CHECK(same);
                free(X), free(a), free(b), free(hs), free(sat);
            }
}

/* cs_window_avg_counts against cs_window_avg, bit for bit, on sparse grids of whole numbers
 * (jobs times 1, 20 or 500: the scale factors of 1.0, 0.05 and 0.002) listed in shuffled order
 * with some +0.0 cells among them; and its refusals, which leave out as it was. */
static void test_window_counts(void) {
    const int dims[][2] = {{1, 1}, {1, 7}, {7, 1}, {10, 8}, {13, 29}, {100, 160}};
    const int radii[] = {0, 1, 2, 3, 8, 40};
    const double factor[] = {1.0, 20.0, 500.0};
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
        for (size_t j = 0; j < sizeof radii / sizeof radii[0]; j++)
            for (int mode = 0; mode < 3; mode++) {
                const int W = dims[i][0], H = dims[i][1], n = W * H, R = radii[j];
                double *X = malloc(n * sizeof *X), *a = malloc(n * sizeof *a);
                double *b = malloc(n * sizeof *b);
                double *sat = malloc(CS_WINDOW_SAT_LEN(W, H) * sizeof *sat);
                int32_t *list = malloc(n * sizeof *list);
                int32_t m = 0;
                for (int c = 0; c < n; c++) {
                    const double u = urand();
                    /* mode 2: a few cells of up to 2^36 (times 500), so that sums need many
                     * bits but stay below 2^53 */
                    const double top = mode == 2 && urand() < 0.02 ? 0x1p36 : 3000.0;
                    X[c] = u < 0.1 ? floor(urand() * top) * factor[mode] : 0.0;
                    if (X[c] != 0.0 || u > 0.97) list[m++] = c;
                }
                for (int32_t k = m - 1; k > 0; k--) { /* any order */
                    const int32_t r = (int32_t)(urand() * (k + 1)), t = list[k];
                    list[k] = list[r], list[r] = t;
                }
                cs_window_avg(X, W, H, R, a, sat);
                for (int c = 0; c < n; c++) b[c] = 7.0; /* every cell must be written */
                CHECK(cs_window_avg_counts(X, W, H, R, list, m, b, sat) == 1);
                CHECK_MSG(memcmp(a, b, n * sizeof *a) == 0, "W=%d H=%d R=%d mode=%d", W, H, R,
                          mode);
                if (m > 0) { /* a term that is not a whole number >= +0: refused, out untouched */
                    const double bad[] = {0.5, -3.0, -0.0, INFINITY, NAN, 0x1p53};
                    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++) {
                        const double keep = X[list[0]];
                        X[list[0]] = bad[q];
                        for (int c = 0; c < n; c++) b[c] = 7.0;
                        CHECK_MSG(cs_window_avg_counts(X, W, H, R, list, m, b, sat) == 0, "bad %g",
                                  bad[q]);
                        int untouched = 1;
                        for (int c = 0; c < n; c++) untouched &= b[c] == 7.0;
                        CHECK(untouched);
                        X[list[0]] = keep;
                    }
                }
                free(X), free(a), free(b), free(sat), free(list);
            }
    /* terms each fine but totalling 2^53 or more: refused */
    double X[4] = {0x1p52, 0x1p52, 0.0, 0.0}, out[4] = {0};
    const int32_t all[2] = {0, 1};
    double sat[CS_WINDOW_SAT_LEN(2, 2)];
    CHECK(cs_window_avg_counts(X, 2, 2, 1, all, 2, out, sat) == 0);
}

static void test_window_hand(void) {
    /* 3x3 ones, R = 1: the centre sees 9 cells, a corner 4, an edge 6; all over 9 */
    double X[9], out[9], sat[16];
    for (int i = 0; i < 9; i++) X[i] = 1.0;
    cs_window_avg(X, 3, 3, 1, out, sat);
    CHECK_CLOSE(out[4], 1.0, 1e-15);
    CHECK_CLOSE(out[0], 4.0 / 9, 1e-15);
    CHECK_CLOSE(out[1], 6.0 / 9, 1e-15);
    /* R beyond the grid still divides by (2R+1)^2 */
    cs_window_avg(X, 3, 3, 4, out, sat);
    CHECK_CLOSE(out[0], 9.0 / 81, 1e-15);
}

static void test_window_threads(void) {
    const int W = 157, H = 211;
    double *X = malloc(W * H * sizeof *X), *a = malloc(W * H * sizeof *a);
    double *b = malloc(W * H * sizeof *b), *sat = malloc(CS_WINDOW_SAT_LEN(W, H) * sizeof *sat);
    fill(X, W * H, 0);
    const int radii[] = {0, 2, 8, 300};
    for (size_t j = 0; j < sizeof radii / sizeof radii[0]; j++) {
        omp_set_num_threads(1);
        cs_window_avg(X, W, H, radii[j], a, sat);
        omp_set_num_threads(3);
        cs_window_avg(X, W, H, radii[j], b, sat);
        CHECK_MSG(memcmp(a, b, W * H * sizeof *a) == 0, "R=%d", radii[j]);
        omp_set_num_threads(7);
        cs_window_avg(X, W, H, radii[j], b, sat);
        CHECK_MSG(memcmp(a, b, W * H * sizeof *a) == 0, "R=%d", radii[j]);
    }
    free(X), free(a), free(b), free(sat);
}

static void brute_links(const cs_link *L, int nl, int W, int H, const double *win, double *out) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            double v = win[y * W + x];
            for (int l = 0; l < nl; l++) {
                if (!L[l].open) continue;
                double da = hypot(x - L[l].ax, y - L[l].ay), db = hypot(x - L[l].bx, y - L[l].by);
                if (da <= L[l].radius) v += L[l].kappa * win[L[l].by * W + L[l].bx];
                if (db <= L[l].radius) v += L[l].kappa * win[L[l].ay * W + L[l].ax];
            }
            out[y * W + x] = v;
        }
}

static void test_links_hand(void) {
    double win[25] = {0}, out[25];
    win[0] = 2.0;   /* A = (0,0) */
    win[24] = 10.0; /* B = (4,4) */
    cs_link l[2] = {{.ax = 0, .ay = 0, .bx = 4, .by = 4, .radius = 1.0, .kappa = 0.5, .open = 1},
                    {.ax = 0, .ay = 0, .bx = 4, .by = 4, .radius = 3.0, .kappa = 9.0, .open = 0}};
    cs_links_apply(l, 2, 5, 5, win, out);
    CHECK_CLOSE(out[0], 2.0 + 5.0, 0);
    CHECK_CLOSE(out[1], 5.0, 0);
    CHECK_CLOSE(out[5], 5.0, 0);
    CHECK_CLOSE(out[6], 0.0, 0); /* (1,1) is sqrt 2 away */
    CHECK_CLOSE(out[24], 10.0 + 1.0, 0);
    CHECK_CLOSE(out[23], 1.0, 0);
    CHECK_CLOSE(out[19], 1.0, 0);
    CHECK_CLOSE(out[12], 0.0, 0);
    /* opening the second link adds on top, from pre-link values only */
    l[1].open = 1;
    cs_links_apply(l, 2, 5, 5, win, out);
    CHECK_CLOSE(out[0], 2.0 + 5.0 + 90.0, 0);
    CHECK_CLOSE(out[12], 90.0 + 18.0, 0); /* (2,2) is within 3 of both ends */
    CHECK_CLOSE(out[24], 10.0 + 1.0 + 18.0, 0);
}

static void test_links_brute(void) {
    const int W = 37, H = 23;
    double win[37 * 23], a[37 * 23], b[37 * 23];
    for (int i = 0; i < W * H; i++) win[i] = urand();
    cs_link l[6];
    for (int i = 0; i < 6; i++)
        l[i] = (cs_link){.ax = (int)(urand() * W),
                         .ay = (int)(urand() * H),
                         .bx = (int)(urand() * W),
                         .by = (int)(urand() * H),
                         .radius = urand() * 9,
                         .kappa = urand(),
                         .open = i != 3};
    l[5].radius = 0.0; /* a zero radius touches the end cells only */
    cs_links_apply(l, 6, W, H, win, a);
    brute_links(l, 6, W, H, win, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
}

int main(void) {
    RUN(test_window_hand);
    RUN(test_window_brute);
    RUN(test_window_bitwise);
    RUN(test_window_counts);
    RUN(test_window_threads);
    RUN(test_links_hand);
    RUN(test_links_brute);
    return CHECK_DONE();
}
