/* window.c: box-window averages and transport links.
 *
 * Window sums use the van Herk / Gil-Werman block scheme instead of differences of summed-area
 * tables: the padded line is cut into blocks of k = 2R+1 cells, and every window is a suffix of
 * one block plus a prefix of the next. Each output adds at most k terms and nothing is ever
 * subtracted, so there is no catastrophic cancellation next to large values and an empty
 * window is exactly 0 (fields test for that). Cost O(cells) whatever R. */
#include "window.h"

#include <math.h>
#include <string.h>

#include "counting.h"

/* Horizontal window sums of one row, radius R (<= n - 1), into s[0..n). */
static void row_sums(const double *x, int n, int R, double *s) {
    const int k = 2 * R + 1;
    int pend = ((n - 1) / k) * k + k - 1;   /* last cell of the block holding output n-1 */
    if (pend > R + n - 1) pend = R + n - 1; /* padding beyond the grid adds nothing */
    /* backward: suffix sums within each block, padded position p = cell + R */
    double acc = 0.0;
    int pm = pend % k;
    for (int p = pend; p >= 0; p--) {
        int in = p >= R && p < R + n;
        if (pm == k - 1)
            acc = in ? x[p - R] : 0.0;
        else if (in)
            acc = x[p - R] + acc;
        if (p < n) s[p] = acc;
        pm = pm == 0 ? k - 1 : pm - 1;
    }
    /* forward: prefix sums within each block; output i = suffix(i) + prefix(i + 2R) */
    double fa = 0.0;
    int qm = 0;
    for (int q = 0; q < n + 2 * R; q++) {
        int in = q >= R && q < R + n;
        if (qm == 0)
            fa = in ? x[q - R] : 0.0;
        else if (in)
            fa = fa + x[q - R];
        /* qm == k-1 means the window of output q-2R is exactly one block: suffix alone */
        if (q >= 2 * R && qm != k - 1) s[q - 2 * R] += fa;
        qm = qm == k - 1 ? 0 : qm + 1;
    }
}

/* Vertical window sums of columns [x0, x1) of hs (radius R <= H - 1), divided by d, into out.
 * Same scheme as row_sums, run on whole row segments so memory is read row by row. */
static void col_sums(const double *hs, int W, int H, int R, int x0, int x1, double d, double *out,
                     double *tmp) {
    const int k = 2 * R + 1;
    int pend = ((H - 1) / k) * k + k - 1;
    if (pend > R + H - 1) pend = R + H - 1;
    for (int x = x0; x < x1; x++) tmp[x] = 0.0;
    int pm = pend % k;
    for (int p = pend; p >= 0; p--) {
        const double *row = (p >= R && p < R + H) ? hs + (size_t)(p - R) * W : NULL;
        if (pm == k - 1) {
            for (int x = x0; x < x1; x++) tmp[x] = row ? row[x] : 0.0;
        } else if (row) {
            for (int x = x0; x < x1; x++) tmp[x] = row[x] + tmp[x];
        }
        if (p < H) {
            double *o = out + (size_t)p * W;
            for (int x = x0; x < x1; x++) o[x] = tmp[x];
        }
        pm = pm == 0 ? k - 1 : pm - 1;
    }
    int qm = 0;
    for (int q = 0; q < H + 2 * R; q++) {
        const double *row = (q >= R && q < R + H) ? hs + (size_t)(q - R) * W : NULL;
        if (qm == 0) {
            for (int x = x0; x < x1; x++) tmp[x] = row ? row[x] : 0.0;
        } else if (row) {
            for (int x = x0; x < x1; x++) tmp[x] = tmp[x] + row[x];
        }
        if (q >= 2 * R) {
            double *o = out + (size_t)(q - 2 * R) * W;
            if (qm != k - 1)
                for (int x = x0; x < x1; x++) o[x] = (o[x] + tmp[x]) / d;
            else
                for (int x = x0; x < x1; x++) o[x] = o[x] / d;
        }
        qm = qm == k - 1 ? 0 : qm + 1;
    }
}

#define COL_BLOCK 64

void cs_window_avg(const double *X, int W, int H, int R, double *out, double *sat) {
    if (W <= 0 || H <= 0) return;
    if (R < 0) R = 0;
    /* a radius beyond the grid covers the same cells as W-1 (H-1); the divisor keeps R */
    const int rx = R < W - 1 ? R : W - 1, ry = R < H - 1 ? R : H - 1;
    const double d = (2.0 * R + 1.0) * (2.0 * R + 1.0);
    double *hs = sat;                  /* [H][W] horizontal sums */
    double *tmp = sat + (size_t)W * H; /* [W] running sums of the vertical pass */
    const int par = (size_t)W * H >= CS_PAR_MIN;
#pragma omp parallel for schedule(static) if (par)
    for (int y = 0; y < H; y++) row_sums(X + (size_t)y * W, W, rx, hs + (size_t)y * W);
    const int nb = (W + COL_BLOCK - 1) / COL_BLOCK;
#pragma omp parallel for schedule(static) if (par)
    for (int b = 0; b < nb; b++) {
        int x0 = b * COL_BLOCK, x1 = x0 + COL_BLOCK < W ? x0 + COL_BLOCK : W;
        col_sums(hs, W, H, ry, x0, x1, d, out, tmp);
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
