/* window.c: box-window averages and transport links.
 *
 * Window sums use the van Herk / Gil-Werman block scheme instead of differences of summed-area
 * tables: the padded line is cut into blocks of k = 2R+1 cells, and every window is a suffix of
 * one block plus a prefix of the next. Each output adds at most k terms and nothing is ever
 * subtracted, so there is no catastrophic cancellation next to large values and an empty
 * window is exactly 0 (fields test for that). Cost O(cells) whatever R.
 *
 * Each pass treats G lines (rows, then columns) at once, their running sums side by side, so
 * the work is element-wise across lines (the column pass vectorises, the row pass overlaps G
 * independent chains) and every input and output is touched once per direction. Each sum is
 * formed by the same additions in the same order as a pass along one line at a time would form
 * it (suffix from the block's end, prefix from its start, output = suffix + prefix), so the
 * results are bitwise those of that scalar pass.
 *
 * Most fields are sparse (at scale 0.002 a sector's jobs sit in a few hundred of the 16,000
 * cells), so each group of lines is reduced to the span between its first and last term that is
 * not +0.0, widened to the block boundaries the passes start from: outside it every window holds
 * only +0.0 terms and so is exactly +0.0, and inside it every running sum is formed by the
 * same additions as over the whole line (a block's sums restart at its boundary). */
#include "window.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "counting.h"

#define G 8 /* lines per group (the unroll pragmas below match it) */

/* Window sums of radius R (<= n - 1) along g <= G lines of n elements: element p of line j is
 * in[j ls + p ps], its sum goes to out[j ls + p ps] (same layout), divided by d if div. Every
 * element outside [lo, hi] (0 <= lo <= hi < n) of every line is +0.0. */
static inline __attribute__((always_inline)) void window_lines(const double *restrict in,
                                                               double *restrict out, int g,
                                                               size_t ls, size_t ps, int n, int R,
                                                               int div, double d, int lo, int hi) {
    const int k = 2 * R + 1;
    int pend = ((n - 1) / k) * k + k - 1;   /* last position of the block holding output n-1 */
    if (pend > R + n - 1) pend = R + n - 1; /* padding beyond the grid adds nothing */
    /* outputs whose window meets the span (padded positions lo + R .. hi + R); the rest are 0 */
    const int ilo = lo - R > 0 ? lo - R : 0, ihi = hi + R < n - 1 ? hi + R : n - 1;
    for (int p = 0; p < n; p++) {
        if (p == ilo) p = ihi + 1;
        if (p >= n) break;
        double *o = out + (size_t)p * ps;
#pragma GCC unroll 8
        for (int j = 0; j < g; j++) o[j * ls] = 0.0;
    }
    double acc[G] = {0.0};
    /* backward: suffix sums within each block, padded position p = element + R, from the end
     * of the block holding the span's last term */
    int pstart = ((hi + R) / k) * k + k - 1;
    if (pstart > pend) pstart = pend;
    int pm = pstart % k;
    for (int p = pstart; p >= ilo; p--) {
        const int in_grid = p >= R && p < R + n;
        const double *x = in + (size_t)(in_grid ? p - R : 0) * ps;
        if (pm == k - 1) {
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) acc[j] = in_grid ? x[j * ls] : 0.0;
        } else if (in_grid) {
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) acc[j] = x[j * ls] + acc[j];
        }
        if (p < n) {
            double *o = out + (size_t)p * ps;
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) o[j * ls] = acc[j];
        }
        pm = pm == 0 ? k - 1 : pm - 1;
    }
    /* forward: prefix sums within each block, from the start of the block holding the span's
     * first term; output i = suffix(i) + prefix(i + 2R) */
    int qm = 0;
    for (int q = ((lo + R) / k) * k; q <= ihi + 2 * R; q++) {
        const int in_grid = q >= R && q < R + n;
        const double *x = in + (size_t)(in_grid ? q - R : 0) * ps;
        if (qm == 0) {
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) acc[j] = in_grid ? x[j * ls] : 0.0;
        } else if (in_grid) {
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) acc[j] = acc[j] + x[j * ls];
        }
        if (q - 2 * R >= ilo) {
            double *o = out + (size_t)(q - 2 * R) * ps;
            /* qm == k-1: the window of output q-2R is exactly one block, the suffix alone */
            if (qm != k - 1) {
                if (div) {
#pragma GCC unroll 8
                    for (int j = 0; j < g; j++) o[j * ls] = (o[j * ls] + acc[j]) / d;
                } else {
#pragma GCC unroll 8
                    for (int j = 0; j < g; j++) o[j * ls] = o[j * ls] + acc[j];
                }
            } else if (div) {
#pragma GCC unroll 8
                for (int j = 0; j < g; j++) o[j * ls] = o[j * ls] / d;
            }
        }
        qm = qm == k - 1 ? 0 : qm + 1;
    }
}

/* Whether x may be skipped: +0.0 only (x + 0.0 is not x for x = -0.0, and NaN is never 0) */
static inline int pzero(double x) {
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b == 0;
}

/* The first index in [a, z) whose element is not +0.0, else z; four at a time (an OR of their
 * bits is 0 only when all four are +0.0). */
static inline int first_term(const double *x, int a, int z) {
    for (; a + 4 <= z; a += 4) {
        uint64_t u[4];
        memcpy(u, x + a, sizeof u);
        if (u[0] | u[1] | u[2] | u[3]) break;
    }
    while (a < z && pzero(x[a])) a++;
    return a;
}

/* The last index in [a, z) whose element is not +0.0, else a - 1; four at a time. */
static inline int last_term(const double *x, int a, int z) {
    for (; z - 4 >= a; z -= 4) {
        uint64_t u[4];
        memcpy(u, x + z - 4, sizeof u);
        if (u[0] | u[1] | u[2] | u[3]) break;
    }
    while (z > a && pzero(x[z - 1])) z--;
    return z - 1;
}

/* Row pass: hs = horizontal window sums of X (radius rx), rows [y0, y0 + g); span[2y],
 * span[2y + 1] = the columns of row y of hs that may differ from +0.0 (empty: hi < lo). */
static void rows_pass(const double *X, double *hs, int32_t *span, int W, int y0, int g, int rx) {
    const size_t off = (size_t)y0 * W;
    int lo = W, hi = -1;
    for (int j = 0; j < g; j++) {
        const double *row = X + off + (size_t)j * W;
        const int a = first_term(row, 0, lo);
        if (a < lo) lo = a;
        /* row[0, a) is +0.0: a row with no term there (a == W) has none at all */
        const int b = a < W ? last_term(row, hi > a ? hi : a, W) : -1;
        if (b > hi) hi = b;
    }
    if (hi < lo) {
        memset(hs + off, 0, (size_t)g * W * sizeof *hs);
    } else if (g == G) {
        window_lines(X + off, hs + off, G, (size_t)W, 1, W, rx, 0, 1.0, lo, hi);
    } else {
        window_lines(X + off, hs + off, g, (size_t)W, 1, W, rx, 0, 1.0, lo, hi);
    }
    const int32_t slo = hi < lo ? 0 : (lo - rx > 0 ? lo - rx : 0);
    const int32_t shi = hi < lo ? -1 : (hi + rx < W - 1 ? hi + rx : W - 1);
    for (int j = 0; j < g; j++) span[2 * (y0 + j)] = slo, span[2 * (y0 + j) + 1] = shi;
}

/* Column pass: out = vertical window sums of hs (radius ry) / d, columns [x0, x0 + g). */
static void cols_pass(const double *hs, const int32_t *span, double *out, int W, int H, int x0,
                      int g, int ry, double d) {
    int lo = H, hi = -1;
    for (int y = 0; y < H; y++)
        if (span[2 * y] <= x0 + g - 1 && span[2 * y + 1] >= x0) {
            if (lo == H) lo = y;
            hi = y;
        }
    if (hi < lo) {
        for (int y = 0; y < H; y++) memset(out + (size_t)y * W + x0, 0, (size_t)g * sizeof *out);
    } else if (g == G) {
        window_lines(hs + x0, out + x0, G, 1, (size_t)W, H, ry, 1, d, lo, hi);
    } else {
        window_lines(hs + x0, out + x0, g, 1, (size_t)W, H, ry, 1, d, lo, hi);
    }
}

void cs_window_avg(const double *X, int W, int H, int R, double *out, double *sat) {
    if (W <= 0 || H <= 0) return;
    if (R < 0) R = 0;
    /* a radius beyond the grid covers the same cells as W-1 (H-1); the divisor keeps R */
    const int rx = R < W - 1 ? R : W - 1, ry = R < H - 1 ? R : H - 1;
    const double d = (2.0 * R + 1.0) * (2.0 * R + 1.0);
    double *hs = sat; /* [H][W] horizontal sums, then per row the span of hs to read */
    int32_t *span = (int32_t *)(sat + (size_t)W * H);
    const int par = (size_t)W * H >= CS_PAR_MIN;
    const int nry = (H + G - 1) / G, ncx = (W + G - 1) / G;
#pragma omp parallel if (par)
    {
#pragma omp for schedule(guided)
        for (int b = 0; b < nry; b++)
            rows_pass(X, hs, span, W, b * G, b * G + G <= H ? G : H - b * G, rx);
#pragma omp for schedule(guided)
        for (int b = 0; b < ncx; b++)
            cols_pass(hs, span, out, W, H, b * G, b * G + G <= W ? G : W - b * G, ry, d);
    }
}

int cs_window_avg_counts(const double *X, int W, int H, int R, const int32_t *cells, int32_t n,
                         double *out, double *sat) {
    if (W <= 0 || H <= 0) return 1;
    if (R < 0) R = 0;
    double total = 0.0; /* exact while below 2^53 */
    for (int32_t k = 0; k < n; k++) {
        const double v = X[cells[k]];
        /* whole and >= +0 (no -0.0: a window of -0.0 alone sums to -0.0 in the grid passes) */
        if (!(v >= 0.0 && v < 0x1p53) || signbit(v) || v != (double)(int64_t)v) return 0;
        total += v;
        if (!(total < 0x1p53)) return 0;
    }
    const int rx = R < W - 1 ? R : W - 1, ry = R < H - 1 ? R : H - 1;
    const double d = (2.0 * R + 1.0) * (2.0 * R + 1.0);
    int32_t *lo = (int32_t *)(void *)sat, *hi = lo + H; /* per row, the columns added to */
    for (int y = 0; y < H; y++) lo[y] = W, hi[y] = -1;
    memset(out, 0, (size_t)W * (size_t)H * sizeof *out);
    for (int32_t k = 0; k < n; k++) {
        const int32_t c = cells[k];
        const double v = X[c];
        if (v == 0.0) continue;
        const int cx = c % W, cy = c / W;
        const int xa = cx - rx > 0 ? cx - rx : 0, xb = cx + rx < W - 1 ? cx + rx : W - 1;
        const int ya = cy - ry > 0 ? cy - ry : 0, yb = cy + ry < H - 1 ? cy + ry : H - 1;
        for (int y = ya; y <= yb; y++) {
            double *o = out + (size_t)y * W;
            for (int x = xa; x <= xb; x++) o[x] += v;
            lo[y] = xa < lo[y] ? xa : lo[y];
            hi[y] = xb > hi[y] ? xb : hi[y];
        }
    }
    /* one division a sum, as the column pass ends; the cells no term reaches stay +0.0, as
     * an empty window does */
    for (int y = 0; y < H; y++) {
        double *o = out + (size_t)y * W;
        for (int x = lo[y]; x <= hi[y]; x++) o[x] = o[x] / d;
    }
    return 1;
}

/* Element i's window sum along one line of n elements, radius R, formed as
 * window_lines forms it: the suffix of the block holding padded position i, from the block's end
 * backwards, plus (unless the window is that whole block) the prefix of the next block up to
 * padded position i + 2R. Positions off the line add nothing. */
static double line_at(const double *in, int n, int R, int i) {
    const int k = 2 * R + 1, pm = i % k, bend = i - pm + k - 1;
    double s = 0.0;
    for (int q = bend; q >= i; q--) {
        const int in_grid = q >= R && q < R + n;
        if (q == bend)
            s = in_grid ? in[q - R] : 0.0;
        else if (in_grid)
            s = in[q - R] + s;
    }
    if (pm == 0) return s;
    double a = 0.0;
    for (int q = bend + 1; q <= i + 2 * R; q++) {
        const int in_grid = q >= R && q < R + n;
        if (q == bend + 1)
            a = in_grid ? in[q - R] : 0.0;
        else if (in_grid)
            a = a + in[q - R];
    }
    return s + a;
}

/* line_at for a window wholly on the line: elements [lo, be] backwards plus [be + 1, hi]
 * forwards (be = hi: the whole block, the suffix alone). */
static inline double line_in(const double *in, int lo, int be, int hi) {
    double s = in[be];
    for (int e = be - 1; e >= lo; e--) s = in[e] + s;
    if (be == hi) return s;
    double a = in[be + 1];
    for (int e = be + 2; e <= hi; e++) a = a + in[e];
    return s + a;
}

double cs_window_at(const double *X, int W, int H, int R, int x, int y) {
    if (W <= 0 || H <= 0) return 0.0;
    if (R < 0) R = 0;
    const int rx = R < W - 1 ? R : W - 1, ry = R < H - 1 ? R : H - 1;
    const double d = (2.0 * R + 1.0) * (2.0 * R + 1.0);
    if (x >= rx && x + rx < W && y >= ry && y + ry < H) {
        /* the window lies on the grid (most cells): no padding to test. Element e of a line is
         * padded position e + r, so the block end of the window starting at padded x is
         * element x - x % k + k - 1 - r. */
        const int kx = 2 * rx + 1, bx = x - x % kx + kx - 1 - rx;
        const int ky = 2 * ry + 1, by = y - y % ky + ky - 1 - ry;
        const double *col = X + (size_t)(x - rx);
        const int xlo = 0, xbe = bx - (x - rx), xhi = 2 * rx;
        double s = line_in(col + (size_t)by * W, xlo, xbe, xhi);
        for (int r = by - 1; r >= y - ry; r--) s = line_in(col + (size_t)r * W, xlo, xbe, xhi) + s;
        if (by == y + ry) return s / d;
        double a = line_in(col + (size_t)(by + 1) * W, xlo, xbe, xhi);
        for (int r = by + 2; r <= y + ry; r++) a = a + line_in(col + (size_t)r * W, xlo, xbe, xhi);
        return (s + a) / d;
    }
    /* the column pass of cs_window_avg over the row sums it needs, each as the row pass forms
     * it */
    const int k = 2 * ry + 1, pm = y % k, bend = y - pm + k - 1;
    double s = 0.0;
    for (int q = bend; q >= y; q--) {
        const int in_grid = q >= ry && q < ry + H;
        const double v = in_grid ? line_at(X + (size_t)(q - ry) * W, W, rx, x) : 0.0;
        if (q == bend)
            s = v;
        else if (in_grid)
            s = v + s;
    }
    if (pm == 0) return s / d;
    double a = 0.0;
    for (int q = bend + 1; q <= y + 2 * ry; q++) {
        const int in_grid = q >= ry && q < ry + H;
        const double v = in_grid ? line_at(X + (size_t)(q - ry) * W, W, rx, x) : 0.0;
        if (q == bend + 1)
            a = v;
        else if (in_grid)
            a = a + v;
    }
    return (s + a) / d;
}

/* Adds v to every grid cell within Euclidean distance r of (cx, cy). */
static void disc_add(double *out, int W, int H, int cx, int cy, double r, double v) {
    if (!(r >= 0.0)) return;
    double ylo = fmax(0.0, ceil(cy - r)), yhi = fmin(H - 1.0, floor(cy + r));
    double xlo = fmax(0.0, ceil(cx - r)), xhi = fmin(W - 1.0, floor(cx + r));
    const double r2 = r * r;
    for (int y = (int)ylo; y <= (int)yhi; y++) {
        double dy = (double)(y - cy);
        for (int x = (int)xlo; x <= (int)xhi; x++) {
            double dx = (double)(x - cx);
            if (dx * dx + dy * dy <= r2) out[(size_t)y * W + x] += v;
        }
    }
}

void cs_links_apply(const cs_link *links, int nlinks, int W, int H, const double *win,
                    double *out) {
    if (W <= 0 || H <= 0) return;
    memcpy(out, win, (size_t)W * H * sizeof *out);
    for (int l = 0; l < nlinks; l++) {
        const cs_link *k = &links[l];
        if (!k->open) continue;
        int ina = k->ax >= 0 && k->ax < W && k->ay >= 0 && k->ay < H;
        int inb = k->bx >= 0 && k->bx < W && k->by >= 0 && k->by < H;
        double va = ina ? win[(size_t)k->ay * W + k->ax] : 0.0;
        double vb = inb ? win[(size_t)k->by * W + k->bx] : 0.0;
        disc_add(out, W, H, k->ax, k->ay, k->radius, k->kappa * vb);
        disc_add(out, W, H, k->bx, k->by, k->radius, k->kappa * va);
    }
}
