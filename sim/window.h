/* window.h: box-window averages (MODEL.md section 1) and transport links (section 3). */
#ifndef CS_WINDOW_H
#define CS_WINDOW_H

#include "clustersim.h"

/* Doubles of work space cs_window_avg needs for a W x H grid (the sums of the row pass, then
 * two int32 a row: the columns where they may be nonzero). */
#define CS_WINDOW_SAT_LEN(W, H) ((size_t)(W) * (size_t)(H) + (size_t)(H))

/* out[c] = sum of X over the cells within Chebyshev distance R of c, cells off the grid counting
 * as empty sea, divided by (2R+1)^2. X is [H][W] row-major; sat holds CS_WINDOW_SAT_LEN(W, H)
 * doubles of work space. X, out and sat must not overlap. Cost O(W H) whatever R; no
 * subtraction of prefix sums, so an empty window gives exactly 0. Runs in OpenMP parallel
 * regions of its own; results are bitwise the same for any thread count. */
void cs_window_avg(const double *X, int W, int H, int R, double *out, double *sat);

/* cs_window_avg(X, W, H, R, out, ...), bit for bit, by adding each listed term to the windows
 * it lies in, when every term of X other than +0.0 is at one of the n cells listed (in any order,
 * each once) and each is a whole number >= 0 (a count of jobs times an integer scale factor),
 * their total below 2^53: every partial sum is then an exact integer, so the order of the
 * additions does not matter. Cheaper than the grid's two passes when the terms are few (n
 * (2R+1)^2 against a few times W H). Returns 0 without writing out when a listed term is not
 * such a number (then call cs_window_avg), else 1. sat: work space as for cs_window_avg.
 * Serial. */
int cs_window_avg_counts(const double *X, int W, int H, int R, const int32_t *cells, int32_t n,
                         double *out, double *sat);

/* Whether cs_window_avg_counts over n listed cells (about 8 instructions a term and window
 * cell, n (2R+1)^2 of them, and a memset) is likely cheaper than cs_window_avg's two passes
 * (about 20 a grid cell): with the bound at 2 W H the default run took 8,172 million
 * instructions besides memset's, at 4 W H 8,205 million. */
static inline int cs_window_counts_cheaper(int64_t n, int R, int W, int H) {
    const int64_t side = 2 * (int64_t)(R > 0 ? R : 0) + 1;
    return n * side * side <= 2 * (int64_t)W * (int64_t)H;
}

/* out[y W + x] of cs_window_avg(X, W, H, R, out, ...), bit for bit, computed at that cell alone
 * from the (2R+1)^2 terms around it (the same additions in the same order): for a field read at
 * a few cells, cheaper than the grid. */
double cs_window_at(const double *X, int W, int H, int R, int x, int y);

/* out = win, then for each open link in order: every cell within Euclidean distance radius of
 * end A adds kappa * win[B] and every cell within radius of B adds kappa * win[A] (pre-link
 * values only, no cascading). An end off the grid reads 0 and its disc adds only on the grid.
 * win and out must not overlap. */
void cs_links_apply(const cs_link *links, int nlinks, int W, int H, const double *win, double *out);

#endif
