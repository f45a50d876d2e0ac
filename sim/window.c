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
 * results are bitwise those of that scalar pass. */
#include "window.h"

#include <math.h>
#include <string.h>

#include "counting.h"

#define G 8 /* lines per group (the unroll pragmas below match it) */

/* Window sums of radius R (<= n - 1) along g <= G lines of n elements: element p of line j is
 * in[j ls + p ps], its sum goes to out[j ls + p ps] (same layout), divided by d if div. */
static inline __attribute__((always_inline)) void window_lines(const double *restrict in,
                                                               double *restrict out, int g,
                                                               size_t ls, size_t ps, int n, int R,
                                                               int div, double d) {
    const int k = 2 * R + 1;
    int pend = ((n - 1) / k) * k + k - 1;   /* last position of the block holding output n-1 */
    if (pend > R + n - 1) pend = R + n - 1; /* padding beyond the grid adds nothing */
    double acc[G] = {0.0};
    /* backward: suffix sums within each block, padded position p = element + R */
    int pm = pend % k;
    for (int p = pend; p >= 0; p--) {
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
    /* forward: prefix sums within each block; output i = suffix(i) + prefix(i + 2R) */
    int qm = 0;
    for (int q = 0; q < n + 2 * R; q++) {
        const int in_grid = q >= R && q < R + n;
        const double *x = in + (size_t)(in_grid ? q - R : 0) * ps;
        if (qm == 0) {
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) acc[j] = in_grid ? x[j * ls] : 0.0;
        } else if (in_grid) {
#pragma GCC unroll 8
            for (int j = 0; j < g; j++) acc[j] = acc[j] + x[j * ls];
        }
        if (q >= 2 * R) {
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

/* Row pass: hs = horizontal window sums of X (radius rx), rows [y0, y0 + g). */
static void rows_pass(const double *X, double *hs, int W, int y0, int g, int rx) {
    const size_t off = (size_t)y0 * W;
    if (g == G)
        window_lines(X + off, hs + off, G, (size_t)W, 1, W, rx, 0, 1.0);
    else
        window_lines(X + off, hs + off, g, (size_t)W, 1, W, rx, 0, 1.0);
}

/* Column pass: out = vertical window sums of hs (radius ry) / d, columns [x0, x0 + g). */
static void cols_pass(const double *hs, double *out, int W, int H, int x0, int g, int ry,
                      double d) {
    if (g == G)
        window_lines(hs + x0, out + x0, G, 1, (size_t)W, H, ry, 1, d);
    else
        window_lines(hs + x0, out + x0, g, 1, (size_t)W, H, ry, 1, d);
}

void cs_window_avg(const double *X, int W, int H, int R, double *out, double *sat) {
    if (W <= 0 || H <= 0) return;
    if (R < 0) R = 0;
    /* a radius beyond the grid covers the same cells as W-1 (H-1); the divisor keeps R */
    const int rx = R < W - 1 ? R : W - 1, ry = R < H - 1 ? R : H - 1;
    const double d = (2.0 * R + 1.0) * (2.0 * R + 1.0);
    double *hs = sat; /* [H][W] horizontal sums */
    const int par = (size_t)W * H >= CS_PAR_MIN;
    const int nry = (H + G - 1) / G, ncx = (W + G - 1) / G;
#pragma omp parallel if (par)
    {
#pragma omp for schedule(static)
        for (int b = 0; b < nry; b++)
            rows_pass(X, hs, W, b * G, b * G + G <= H ? G : H - b * G, rx);
#pragma omp for schedule(static)
        for (int b = 0; b < ncx; b++)
            cols_pass(hs, out, W, H, b * G, b * G + G <= W ? G : W - b * G, ry, d);
    }
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
