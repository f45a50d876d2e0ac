/* numerics.c: draws and sums the phases share: a logit choice, and a sum in a fixed order
 * whatever the thread count. */
#include <math.h>
#include <omp.h>

#include "counting.h"
#include "internal.h"

/* Blocks summed per parallel pass: their partials fit on the stack, so no call allocates. */
#define SUM_GROUP 512

int cs_logit_pick(double *v, int n, double scale, double u) {
    double vmax = -INFINITY;
    for (int k = 0; k < n; k++)
        if (v[k] > vmax) vmax = v[k];
    double tot = 0;
    /* relative to the best value, so exp never overflows */
    for (int k = 0; k < n; k++) tot += (v[k] = cs_exp((v[k] - vmax) / scale));
    u *= tot;
    /* the first k whose weight exceeds what is left of u, else the last: walked to the end
     * without a branch on the draw (where the walk stops is random, so that branch
     * mispredicted about once a choice) */
    int pick = n - 1, found = 0;
    for (int k = 0; k < n; k++) {
        const int hit = !found & (u < v[k]);
        pick = hit ? k : pick;
        found |= hit;
        u -= v[k];
    }
    return pick;
}

double cs_sum_fixed(const double *x, int64_t n) {
    int64_t nb = (n + CS_BLOCK - 1) / CS_BLOCK;
    double total = 0;
    /* small inputs: one block, no parallel overhead */
    if (nb <= 1) {
        for (int64_t i = 0; i < n; i++) total += x[i];
        return total;
    }
    double part[SUM_GROUP];
    /* groups of blocks, each group's partials added in block order: the same additions in
     * the same order as one pass over all blocks */
    for (int64_t g0 = 0; g0 < nb; g0 += SUM_GROUP) {
        int64_t g1 = g0 + SUM_GROUP < nb ? g0 + SUM_GROUP : nb;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
        for (int64_t b = g0; b < g1; b++) {
            double s = 0;
            int64_t end = (b + 1) * CS_BLOCK < n ? (b + 1) * CS_BLOCK : n;
            for (int64_t i = b * CS_BLOCK; i < end; i++) s += x[i];
            part[b - g0] = s;
        }
        for (int64_t b = g0; b < g1; b++) total += part[b - g0];
    }
    return total;
}
