/* metrics.c: the metrics of MODEL.md section 7 (formulas and units in docs/metrics.md).
 *
 * Everything is recomputed from the agents after the step (sim->f holds fields from the start
 * of the step, before entry, exit, moves and hiring). The cost is O(workers + firms + S x cells)
 * once per step. Results do not depend on the thread count, bit for bit: the worker pass and
 * the wage Gini's class counts and offset sums are integers, its double sums run in class order;
 * integer counts are exact in any order; sectors are independent of one another; firm and cell
 * sums are serial, in firm or cell order. */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "counting.h"
#include "internal.h"
#include "window.h"

const cs_series_info cs_ts_info[CS_TS_N] = {
    [CS_TS_STEP] = {"step", "steps", "Step (quarter) of the simulation; 0 is the initial state."},
    [CS_TS_YEAR] = {"year", "years", "Years since the start (step / 4)."},
    [CS_TS_FIRMS] = {"firms", "firms (full scale)", "Number of firms alive after the step."},
    [CS_TS_BIRTHS] = {"births", "firms per step (full scale)",
                      "Firms born this step (startups, spinoffs and university spinouts)."},
    [CS_TS_DEATHS] = {"deaths", "firms per step (full scale)", "Firms that exited this step."},
    [CS_TS_RELOCATIONS] = {"relocations", "firms per step (full scale)",
                           "Firms that moved to another cell this step."},
    [CS_TS_EMPLOYMENT] = {"employment", "workers (full scale)",
                          "Employed workers (headcount) after the step."},
    [CS_TS_UNEMPLOYMENT_RATE] = {"unemployment_rate", "fraction",
                                 "Unemployed workers divided by the labour force."},
    [CS_TS_OUTPUT] = {"output", "2018 pounds per step (full scale)",
                      "Total output of all firms this step."},
    [CS_TS_MEAN_PRODUCTIVITY] = {"mean_productivity", CS_PRODUCTIVITY_UNITS,
                                 "Mean firm productivity A_f weighted by headcount (output per "
                                 "effective worker^alpha at price 1 and Phi 0: money, so it "
                                 "scales with the money level)."},
    [CS_TS_INNOVATIONS] = {"innovations", "innovations per step (full scale)",
                           "Successful innovations (productivity jumps) this step."},
    [CS_TS_RD_SPEND] = {"rd_spend", "2018 pounds per step (full scale)",
                        "Total R&D spending of firms this step."},
    [CS_TS_MEAN_WAGE] = {"mean_wage", "2018 pounds per step",
                         "Mean wage w_f h_i over employed workers."},
    [CS_TS_WAGE_GINI] = {"wage_gini", "index",
                         "Gini coefficient of the wages of employed workers: exact (sorted "
                         "wages) up to 2^18 of them, else from a histogram of the wages, within "
                         "1e-9 of the exact value (docs/metrics.md)."},
    [CS_TS_RENT_INDEX] =
        {"rent_index", "index",
         "Mean commercial rent of the cells of jobs, weighted by headcount, relative "
         "to the base rent r0."},
    [CS_TS_SPENDING] = {"spending", "2018 pounds per step (full scale)",
                        "Total policy spending this step."},
    [CS_TS_EMPLOYMENT_HERFINDAHL] = {"employment_herfindahl", "index",
                                     "Herfindahl index of the cells' shares of employment."},
    [CS_TS_REGIONAL_THEIL] = {"regional_theil", "index",
                              "Theil T index of output per worker across regions (by workplace)."},
    [CS_TS_SPINOFFS] = {"spinoffs", "firms per step (full scale)",
                        "Spinoff firms founded this step."},
    [CS_TS_SPINOUTS] = {"spinouts", "firms per step (full scale)",
                        "University spinout firms founded this step."},
    [CS_TS_MIGRATIONS] = {"migrations", "workers per step (full scale)",
                          "Unemployed workers who migrated to another place this step."},
    [CS_TS_LINK_HIRES] = {"link_hires", "workers per step (full scale)",
                          "Hires made across a transport link this step."},
    [CS_TS_JOB_TO_JOB] = {"job_to_job", "workers per step (full scale)",
                          "Employed workers hired by another firm this step (job-to-job moves; "
                          "ONS LFS flows are about 2.7% of the employed a quarter)."},
    [CS_TS_JOB_FINDS] = {"job_finds", "workers per step (full scale)",
                         "Unemployed workers hired this step (flow from unemployment to "
                         "employment)."},
    [CS_TS_JOB_LOSSES] = {"job_losses", "workers per step (full scale)",
                          "Employed workers who became unemployed this step: laid off, their firm "
                          "exited or moved beyond their commute, or their job ended "
                          "(labour.separation); retirements not counted."},
    [CS_TS_TAX_REVENUE] = {"tax_revenue", "2018 pounds per step (full scale)",
                           "Profit tax paid by firms this step: firms.tax times each firm's "
                           "positive pre-tax profit, policy payments included (the only tax in "
                           "the model)."},
    [CS_TS_TAX_ON_PAYMENTS] = {"tax_on_payments", "2018 pounds per step (full scale)",
                               "The part of tax_revenue the policies' payments to firms raise "
                               "themselves: firms.tax times each firm's positive pre-tax profit "
                               "with the payments less that without them (the first-round "
                               "return on the spending, holding what firms do fixed: what a "
                               "policy changes in it, such as an R&D credit's extra R&D, which "
                               "is deducted from profit, moves the rest of tax_revenue)."},
};

const cs_series_info cs_sec_info[CS_SEC_N] = {
    [CS_SEC_EMPLOYMENT] = {"employment", "workers (full scale)",
                           "Workers employed in the sector (headcount)."},
    [CS_SEC_FIRMS] = {"firms", "firms (full scale)", "Firms of the sector alive after the step."},
    [CS_SEC_OUTPUT] = {"output", "2018 pounds per step (full scale)",
                       "Output of the sector's firms this step."},
    [CS_SEC_EG_INDEX] = {"eg_index", "index",
                         "Ellison-Glaeser concentration index over square tiles of eg_tile cells."},
    [CS_SEC_CLUSTER_COUNT] = {"cluster_count", "clusters",
                              "Number of 4-connected clusters of cells with high smoothed location "
                              "quotient and sector employment."},
    [CS_SEC_LARGEST_CLUSTER_EMPLOYMENT] =
        {"largest_cluster_employment", "workers (full scale)",
         "Sector employment in the cells of the largest cluster."},
    [CS_SEC_LARGEST_CLUSTER_X] =
        {"largest_cluster_x", "cells",
         "Employment-weighted x of the largest cluster's cells (NaN if none)."},
    [CS_SEC_LARGEST_CLUSTER_Y] =
        {"largest_cluster_y", "cells",
         "Employment-weighted y of the largest cluster's cells (NaN if none)."},
};

const cs_series_info cs_reg_info[CS_REG_N] = {
    [CS_REG_EMPLOYMENT] = {"employment", "workers (full scale)",
                           "Workers employed by firms located in the region (headcount)."},
    [CS_REG_OUTPUT] = {"output", "2018 pounds per step (full scale)",
                       "Output of the firms located in the region."},
    [CS_REG_MEAN_WAGE] = {"mean_wage", "2018 pounds per step",
                          "Mean wage of the workers employed in the region (NaN if none)."},
    [CS_REG_FIRMS] = {"firms", "firms (full scale)", "Firms located in the region."},
    [CS_REG_UNEMPLOYMENT_RATE] =
        {"unemployment_rate", "fraction",
         "Unemployed residents of the region divided by its resident labour "
         "force (NaN if none)."},
};

/* ---- building blocks ---- */

double cs_eg_index(const double *e_s, const double *e, int n, const double *firm_emp, int nfirms) {
    double Es = 0.0, E = 0.0;
    for (int a = 0; a < n; a++) {
        Es += e_s[a];
        E += e[a];
    }
    if (!(Es > 0.0) || !(E > 0.0)) return 0.0;
    double G = 0.0, sx2 = 0.0;
    for (int a = 0; a < n; a++) {
        double s = e_s[a] / Es, x = e[a] / E;
        G += (s - x) * (s - x);
        sx2 += x * x;
    }
    double F = 0.0, Hf = 0.0;
    for (int k = 0; k < nfirms; k++) F += firm_emp[k];
    if (!(F > 0.0)) return 0.0;
    for (int k = 0; k < nfirms; k++) Hf += (firm_emp[k] / F) * (firm_emp[k] / F);
    /* One firm, or all employment in one area: the index is undefined; report no excess. */
    if (Hf >= 1.0 || !(1.0 - sx2 > 0.0)) return 0.0;
    return (G / (1.0 - sx2) - Hf) / (1.0 - Hf);
}

int cs_cmp_double(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Gini of an ascending array: sum_i (2i - n - 1) x_(i) / (n sum x), 1-based i, which equals
 * sum_ij |x_i - x_j| / (2 n^2 mean). */
static double gini_sorted(const double *v, size_t n) {
    if (n < 2) return 0.0;
    double num = 0.0, sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        num += (2.0 * (double)(i + 1) - (double)n - 1.0) * v[i];
        sum += v[i];
    }
    if (!(sum > 0.0)) return 0.0;
    return num / ((double)n * sum);
}

double cs_gini(const double *x, int n, double *work) {
    if (n < 2) return 0.0;
    memcpy(work, x, (size_t)n * sizeof *work);
    qsort(work, (size_t)n, sizeof *work, cs_cmp_double);
    return gini_sorted(work, (size_t)n);
}

double cs_theil(const double *y, const double *l, int n) {
    /* Groups without workers have no output per worker and are left out; a group with workers
     * but no output contributes 0 (the limit of s ln s) but its workers count in L. */
    double Y = 0.0, L = 0.0;
    for (int g = 0; g < n; g++) {
        if (!(l[g] > 0.0)) continue;
        Y += y[g];
        L += l[g];
    }
    if (!(Y > 0.0) || !(L > 0.0)) return 0.0;
    double T = 0.0;
    for (int g = 0; g < n; g++) {
        if (!(l[g] > 0.0) || !(y[g] > 0.0)) continue;
        T += (y[g] / Y) * cs_log((y[g] / l[g]) / (Y / L));
    }
    return T;
}

double cs_herfindahl(const double *x, int n) {
    double sum = 0.0, h = 0.0;
    for (int i = 0; i < n; i++) sum += x[i];
    if (!(sum > 0.0)) return 0.0;
    for (int i = 0; i < n; i++) h += (x[i] / sum) * (x[i] / sum);
    return h;
}

static int32_t uf_find(int32_t *parent, int32_t c) {
    while (parent[c] != c) {
        parent[c] = parent[parent[c]]; /* path halving keeps trees shallow without recursion */
        c = parent[c];
    }
    return c;
}

static void uf_union(int32_t *parent, int32_t a, int32_t b) {
    int32_t ra = uf_find(parent, a), rb = uf_find(parent, b);
    /* The smaller index becomes the root, so a root is its component's first cell in scan
     * order and the labelling pass meets it before any other cell of the component. */
    if (ra < rb)
        parent[rb] = ra;
    else if (rb < ra)
        parent[ra] = rb;
}

int cs_label_components(const uint8_t *mask, int W, int H, int32_t *label, int32_t *work) {
    int32_t *parent = work;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            int32_t c = (int32_t)y * W + x;
            if (!mask[c]) continue;
            parent[c] = c;
            if (x > 0 && mask[c - 1]) uf_union(parent, c, c - 1);
            if (y > 0 && mask[c - W]) uf_union(parent, c, c - W);
        }
    }
    int n = 0;
    for (int32_t c = 0; c < (int32_t)W * H; c++) {
        if (!mask[c]) {
            label[c] = -1;
            continue;
        }
        int32_t r = uf_find(parent, c);
        label[c] = (r == c) ? n++ : label[r];
    }
    return n;
}

int cs_label_cells(const uint8_t *mask, int W, const int32_t *cells, int32_t n, int32_t *label,
                   int32_t *work) {
    /* the unions and finds of cs_label_components, in the same order: it meets only these
     * cells' masks */
    int32_t *parent = work;
    for (int32_t k = 0; k < n; k++) {
        const int32_t c = cells[k];
        parent[c] = c;
        if (c % W > 0 && mask[c - 1]) uf_union(parent, c, c - 1);
        if (c >= W && mask[c - W]) uf_union(parent, c, c - W);
    }
    int count = 0;
    for (int32_t k = 0; k < n; k++) {
        const int32_t c = cells[k], r = uf_find(parent, c);
        label[c] = (r == c) ? count++ : label[r];
    }
    return count;
}

const char *cs_metrics_nonfinite(const cs_metrics *m) {
    const int nobody = !(m->ts[CS_TS_EMPLOYMENT] > 0.0);
    for (int k = 0; k < CS_TS_N; k++) {
        const double v = m->ts[k];
        if (isinf(v)) return cs_ts_info[k].name;
        /* NaN by definition: no labour force, no one employed, or no rents */
        int may_nan = k == CS_TS_UNEMPLOYMENT_RATE ||
                      (nobody && (k == CS_TS_MEAN_PRODUCTIVITY || k == CS_TS_MEAN_WAGE)) ||
                      k == CS_TS_RENT_INDEX;
        if (isnan(v) && !may_nan) return cs_ts_info[k].name;
    }
    return NULL;
}

/* ---- cs_metrics_compute ---- */

/* Clusters of one sector (section 7): cells whose smoothed location quotient and window sector
 * employment pass the thresholds, joined 4-connected. Es: sector employment by cell (full
 * scale); Esbar, Ebar: their window averages; Es_tot, E_tot: national totals. */
static void sector_clusters(const cs_sim *sim, const double *Es, const double *Esbar,
                            const double *Ebar, double Es_tot, double E_tot, const uint64_t *cand,
                            uint8_t *mask, int32_t *cells, int32_t *label, int32_t *work,
                            double *comp, double *out_count, double *out_emp, double *out_x,
                            double *out_y) {
    int W = sim->land.W, H = sim->land.H, ncell = W * H;
    double share = (E_tot > 0.0) ? Es_tot / E_tot : 0.0;
    /* with either threshold above 0 an empty window is never a cluster cell, so most cells are
     * settled by one comparison instead of the rule's two divisions */
    const int skip_empty = sim->par.output.lq_min > 0.0 || sim->par.output.e_min > 0.0;
    int32_t nm = 0; /* cluster cells, listed in scan order */
    if (cand && skip_empty) {
        /* only the cells whose window holds a job (cand, in ascending order); every other
         * cell's window is exactly 0 and its mask already 0 */
        for (int wd = 0; wd < (ncell + 63) / 64; wd++)
            for (uint64_t b = cand[wd]; b; b &= b - 1) {
                const int c = wd * 64 + __builtin_ctzll(b);
                const int in =
                    Esbar[c] > 0.0 && cs_cluster_cell(&sim->par, Esbar[c], Ebar[c], share);
                mask[c] = (uint8_t)in;
                if (in) cells[nm++] = c;
            }
    } else {
        for (int c = 0; c < ncell; c++) {
            const int in = (skip_empty && !(Esbar[c] > 0.0))
                               ? 0
                               : cs_cluster_cell(&sim->par, Esbar[c], Ebar[c], share);
            mask[c] = (uint8_t)in;
            if (in) cells[nm++] = c;
        }
    }
    /* no cluster cell (common for small sectors at small scales): nothing to label */
    int n = nm ? cs_label_cells(mask, W, cells, nm, label, work) : 0;
    for (int32_t k = 0; k < nm; k++) mask[cells[k]] = 0; /* the mask is all 0 between calls */
    *out_count = n;
    *out_emp = 0.0;
    *out_x = *out_y = NAN;
    if (n == 0) return;
    /* every loop below visits the cluster cells in scan order, as a pass over the grid would */
    for (int k = 0; k < n; k++) comp[k] = 0.0;
    for (int32_t k = 0; k < nm; k++) comp[label[cells[k]]] += Es[cells[k]];
    int best = 0; /* ties go to the first in scan order */
    for (int k = 1; k < n; k++)
        if (comp[k] > comp[best]) best = k;
    double sw = 0.0, sx = 0.0, sy = 0.0, cnt = 0.0, ux = 0.0, uy = 0.0;
    for (int32_t k = 0; k < nm; k++) {
        const int c = cells[k];
        if (label[c] != best) continue;
        int x = c % W, y = c / W;
        sw += Es[c];
        sx += Es[c] * x;
        sy += Es[c] * y;
        cnt += 1.0;
        ux += x;
        uy += y;
    }
    *out_emp = comp[best];
    if (sw > 0.0) {
        *out_x = sx / sw;
        *out_y = sy / sw;
    } else { /* a cluster with no sector jobs in its own cells (possible only if e_min <= 0) */
        *out_x = ux / cnt;
        *out_y = uy / cnt;
    }
}

/* Sets in out (a bitmap of the W x H cells) every cell within Chebyshev distance r of a cell
 * set in in: where a window of radius r can hold what in marks. */
static void dilate_cells(const uint64_t *in, uint64_t *out, size_t nwords, int W, int H, int r) {
    for (size_t wd = 0; wd < nwords; wd++)
        for (uint64_t b = in[wd]; b; b &= b - 1) {
            const int c = (int)(wd * 64) + __builtin_ctzll(b), x = c % W, y = c / W;
            const int x0 = x - r > 0 ? x - r : 0, x1 = x + r < W - 1 ? x + r : W - 1;
            for (int yy = y - r > 0 ? y - r : 0; yy <= y + r && yy < H; yy++)
                for (int xx = x0; xx <= x1; xx++) {
                    const int cc = yy * W + xx;
                    out[cc >> 6] |= UINT64_C(1) << (cc & 63);
                }
        }
}

/* ---- work space ---- */

/* Grow-only work space kept from step to step (fresh buffers each step cost page faults on tens
 * of megabytes), one slot per buffer. Contents are undefined on return: every entry read is
 * written first. Used only outside parallel regions; one simulation steps at a time per
 * process, as everywhere in clustersim (counting.h). */
enum {
    WS_KEY,      /* wage keys by worker [workers], then sorted [employed] */
    WS_SORTED,   /* scratch of the wage sort [employed] */
    WS_WBLOCK,   /* partials of the worker blocks */
    WS_HIST,     /* per-chunk bucket counts of the wage sort */
    WS_BSTART,   /* bucket starts of the wage sort */
    WS_GINI,     /* block partials of the Gini sums */
    WS_EMP,      /* headcount by firm */
    WS_FREG,     /* region of each firm's workplace, or not alive */
    WS_SECSTART, /* start of each sector's firms in WS_SECFIRM */
    WS_SECFIRM,  /* alive firms grouped by sector, in firm order */
    WS_FIRMEMP,  /* their headcounts */
    WS_FCELL,    /* bitmap of the cells of alive firms */
    WS_ETILE,    /* employment by tile */
    WS_TILEOF,   /* tile of each cell */
    WS_ESTILE,   /* by tile, */
    WS_SAT,      /* window work space, */
    WS_MASK,     /* cluster cells, */
    WS_CELLS,    /* their list, */
    WS_LABEL,    /* cluster labels, */
    WS_WORK,     /* labelling work space, */
    WS_COMP,     /* cluster employment */
    WS_GBIN,     /* per-chunk wage classes of the Gini */
    WS_GTOT,     /* their totals */
    WS_GCLASS,   /* per class: wage sum, within-class term, its error bound */
    WS_GTOT2,    /* the same with sub-classes */
    WS_GCLASS2,
    WS_GMARK,  /* classes to refine */
    WS_GSPLIT, /* per top class: index among the split ones, or -1 */
    WS_GTOP,   /* per split class: its top class */
    WS_GIDX,   /* per class: index among the sorted ones, or -1 */
    WS_GREF,   /* sorted classes: class, start, then per-chunk gather positions */
    WS_GCNT,   /* their per-chunk counts */
    WS_TOUCH,  /* per thread of the sector pass: bitmap of cells with sector jobs, */
    WS_CAND,   /* and of cells within land.rk of one, */
    WS_TLIST,  /* and the list of the first */
    WS_N
};
_Static_assert(WS_N <= CS_METRICS_WS, "cs_buffers has too few metrics work-space slots");

/* Grow-only work space of slot `slot`, kept in the simulation's buffers (freed with it), so that
 * two simulations can compute their metrics in one process. */
static void *ws_get(cs_buffers *b, int slot, size_t n, size_t size) {
    return b->metrics_ws[slot] =
               cs_grow_only(b->metrics_ws[slot], &b->metrics_ws_bytes[slot], (n ? n : 1) * size, 1);
}

/* ---- the wage sort ---- */

/* Order-preserving map of a double to an unsigned key: negative values get all bits flipped,
 * the others their sign bit set, so keys compare like the values (NaNs at the ends). The all-ones
 * key marks "no wage" (an unemployed worker) in the key list; the one NaN payload that maps to it
 * is moved a key down, still a NaN. */
#define NO_WAGE UINT64_MAX

static inline uint64_t wage_key(double w) {
    uint64_t k;
    memcpy(&k, &w, sizeof k);
    k = (k >> 63) ? ~k : k | (UINT64_C(1) << 63);
    return k == NO_WAGE ? NO_WAGE - 1 : k;
}

static inline double key_wage(uint64_t k) {
    k = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
    double w;
    memcpy(&w, &k, sizeof w);
    return w;
}

/* Number of significant bits of x (0 for 0). */
static inline int bit_width(uint64_t x) {
    return x ? 64 - __builtin_clzll(x) : 0;
}

#define INSERTION_MAX 16 /* runs up to this long are insertion-sorted */
#define LOCAL_BITS    12 /* at most 2^12 sub-buckets a level within a bucket (16 KB of counts) */
/* The exact sort's radix digits have at most WAGE_DIGIT bits: two passes of 8,192 counts (32 KB
 * a chunk) order the keys on the top 26 bits of their range. */
#define WAGE_DIGIT 13

/* Insertion sort of y[0..m): O(m + inversions), so cheap on runs already in order. */
static void insertion_sort(uint64_t *y, size_t m) {
    for (size_t i = 1; i < m; i++) {
        uint64_t v = y[i];
        size_t j = i;
        for (; j > 0 && y[j - 1] > v; j--) y[j] = y[j - 1];
        y[j] = v;
    }
}

/* Sorts the keys x[0..m) into y[0..m) ascending (x is clobbered), in cache: one counting pass
 * into m / 4 to m / 2 sub-buckets by the top bits of the range actually present (so any
 * distribution splits), long sub-buckets recursively, then one insertion pass puts the short
 * ones in order (keys move only within their sub-bucket). Equal keys end at once, so ties cost
 * O(m); each level takes at least 3 bits off the range, so the depth is at most 22 (16 KB of
 * stack a level). */
static void sort_into(uint64_t *restrict x, uint64_t *restrict y, size_t m) {
    if (m <= INSERTION_MAX) {
        memcpy(y, x, m * sizeof *y);
        insertion_sort(y, m);
        return;
    }
    uint64_t lo = x[0], hi = x[0];
    for (size_t i = 1; i < m; i++) {
        lo = x[i] < lo ? x[i] : lo;
        hi = x[i] > hi ? x[i] : hi;
    }
    if (lo == hi) {
        memcpy(y, x, m * sizeof *y);
        return;
    }
    /* m / 4 to m / 2 sub-buckets: the passes over the sub-buckets then cost less than the
     * keys, and the insertion pass sorts runs of two to four keys (17% fewer instructions than
     * with m to 2 m sub-buckets when this was the default scale's wage sort, item 60) */
    int bits = bit_width(hi - lo), lb = bit_width(m) - 2;
    if (lb > LOCAL_BITS) lb = LOCAL_BITS;
    if (lb > bits) lb = bits;
    const int shift = bits - lb;
    const size_t nsub = (size_t)1 << lb;
    uint32_t cnt[((size_t)1 << LOCAL_BITS) + 1];
    memset(cnt, 0, (nsub + 1) * sizeof *cnt);
    for (size_t i = 0; i < m; i++) cnt[((x[i] - lo) >> shift) + 1]++;
    for (size_t j = 1; j < nsub; j++) cnt[j] += cnt[j - 1]; /* cnt[j]: start of sub-bucket j */
    for (size_t i = 0; i < m; i++) y[cnt[(x[i] - lo) >> shift]++] = x[i];
    size_t s = 0; /* now cnt[j] is the end of sub-bucket j */
    for (size_t j = 0; j < nsub; j++) {
        if (cnt[j] - s > INSERTION_MAX) {
            sort_into(y + s, x + s, cnt[j] - s);
            memcpy(y + s, x + s, (cnt[j] - s) * sizeof *y);
        }
        s = cnt[j];
    }
    insertion_sort(y, m);
}

/* The digits of key k in sort_wages: (k - lo) >> sh, monotone in k. */
static inline uint64_t wage_digits(uint64_t k, uint64_t lo, int sh) {
    return (k - lo) >> sh;
}

/* The first index from i on (up to n) that starts a run of equal digits in the sorted list. */
static size_t run_start(const uint64_t *list, size_t i, size_t n, uint64_t lo, int sh) {
    while (i > 0 && i < n && wage_digits(list[i], lo, sh) == wage_digits(list[i - 1], lo, sh)) i++;
    return i;
}

/* Orders each run of list[0..n) whose keys share their digits (they are adjacent once the
 * digits are sorted), with tmp[0..n) as scratch. One insertion pass does it while runs are
 * short (a key moves only within its run: keys of different digits are in order already); past
 * n moves, which only long runs of close wages can cause, each run is ordered on its own, short
 * ones by insertion and long ones by sort_into. */
static void order_runs(uint64_t *list, uint64_t *tmp, size_t n, uint64_t lo, int sh) {
    size_t moves = 0;
    for (size_t i = 1; i < n; i++) {
        const uint64_t v = list[i];
        if (list[i - 1] <= v) continue;
        size_t j = i;
        for (; j > 0 && list[j - 1] > v; j--) list[j] = list[j - 1];
        list[j] = v;
        moves += i - j;
        if (moves > n) break;
    }
    if (moves <= n) return;
    uint64_t d = wage_digits(list[0], lo, sh), dj = d;
    for (size_t i = 0, j = 1; i < n; i = j++, d = dj) {
        while (j < n && (dj = wage_digits(list[j], lo, sh)) == d) j++;
        if (j - i > INSERTION_MAX) {
            memcpy(tmp + i, list + i, (j - i) * sizeof *list);
            sort_into(tmp + i, list + i, j - i);
        } else if (j - i > 1) {
            insertion_sort(list + i, j - i);
        }
    }
}

/* A chunk's part of radix_pass: counts (dst NULL) or scatters the keys src[i0..i1) by their
 * digit ((k - lo) >> shift) & mask, with its counts h. Its own function so that the bounds and
 * shifts are values in registers: inside an OpenMP region the stores through h and dst could alias
 * the region's shared copies and made the compiler reload them for every key. */
static void radix_chunk(const uint64_t *restrict src, size_t i0, size_t i1, uint64_t *restrict dst,
                        int32_t *restrict h, uint64_t lo, int shift, uint64_t mask) {
    if (!dst) {
        for (size_t i = i0; i < i1; i++)
            if (src[i] != NO_WAGE) h[wage_digits(src[i], lo, shift) & mask]++;
        return;
    }
    for (size_t i = i0; i < i1; i++)
        if (src[i] != NO_WAGE) dst[h[wage_digits(src[i], lo, shift) & mask]++] = src[i];
}

/* One stable counting pass of sort_wages: the keys of src[0..ns) (NO_WAGE left out) into dst
 * by their digit (wage_digits >> dsh) & (nb - 1); chunk k takes items [ns k / nch, ns (k + 1)
 * / nch), and the chunks' counts are combined in chunk order as in cs_counting_sort. With
 * counted, hist (one chunk) holds the counts already. */
static void radix_pass(int32_t *hist, int32_t *start, int nch, size_t nb, const uint64_t *src,
                       size_t ns, uint64_t *dst, uint64_t lo, int sh, int dsh, int counted) {
    if (!counted) {
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
        for (int k = 0; k < nch; k++) {
            int32_t *h = hist + (size_t)k * nb;
            memset(h, 0, nb * sizeof *h);
            radix_chunk(src, ns * (size_t)k / (size_t)nch, ns * (size_t)(k + 1) / (size_t)nch, NULL,
                        h, lo, sh + dsh, nb - 1);
        }
    }
    cs_counting_offsets(hist, nch, nb, start);
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++)
        radix_chunk(src, ns * (size_t)k / (size_t)nch, ns * (size_t)(k + 1) / (size_t)nch, dst,
                    hist + (size_t)k * nb, lo, sh + dsh, nb - 1);
}

/* Sorts the n wage keys in list[0..nlist) (entries NO_WAGE left out; all in [lo, hi]) into
 * list[0..n), ascending, with tmp[0..n) as scratch. A least-significant-digit radix sort on
 * the top 2 db bits of key - lo: two stable counting passes, the low digit from list into tmp,
 * the high digit back (chunk counts combined in chunk order as in cs_counting_sort); keys that
 * share both digits then sit side by side, and each such run is ordered on the whole key. The
 * sorted array is unique, so the result does not depend on the thread count. At the default
 * scale (62,000 wages, narrowly spread) the bucket sort it replaced recursed into insertion
 * sorts whose branches follow the data: the metrics took 1.56-1.80 ms a step with it, 1.07-1.35
 * with this (docs/performance-log.md item 63). */
static void sort_wages(cs_buffers *ws, uint64_t *list, size_t nlist, uint64_t *tmp, size_t n,
                       uint64_t lo, uint64_t hi) {
    if (n == 0) return;
    int db = (bit_width(n) + 10) / 2; /* fewer counts for few keys */
    if (db > WAGE_DIGIT) db = WAGE_DIGIT;
    const int bits = bit_width(hi - lo), sh = bits > 2 * db ? bits - 2 * db : 0;
    const size_t nb = (size_t)1 << db;
    const uint64_t mask = nb - 1;
    int nch = nlist >= CS_PAR_MIN ? omp_get_max_threads() : 1;
    if (nch > 64) nch = 64; /* the offset pass is serial in chunks x digits */
    /* counts fit int32: there are fewer wages than workers, and workers are counted in int32;
     * with one chunk the first count pass counts both digits (hist2 the high one's) */
    int32_t *hist = ws_get(ws, WS_HIST, (size_t)(nch + 1) * nb, sizeof *hist);
    int32_t *hist2 = hist + (size_t)nch * nb;
    int32_t *start = ws_get(ws, WS_BSTART, nb + 1, sizeof *start);
    /* the low digit from list into tmp, then the high digit back; with one chunk, both
     * digits' counts in one pass first */
    if (nch == 1) {
        memset(hist, 0, 2 * nb * sizeof *hist);
        for (size_t i = 0; i < nlist; i++) {
            if (list[i] == NO_WAGE) continue;
            const uint64_t d = wage_digits(list[i], lo, sh);
            hist[d & mask]++;
            hist2[d >> db]++;
        }
    }
    radix_pass(hist, start, nch, nb, list, nlist, tmp, lo, sh, 0, nch == 1);
    if (nch == 1) memcpy(hist, hist2, nb * sizeof *hist);
    radix_pass(hist, start, nch, nb, tmp, n, list, lo, sh, db, nch == 1);
    /* the runs of equal digits, each chunk from the first run starting in it; none when the
     * digits were the whole offset (equal digits, equal keys) */
    if (sh == 0) return;
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        const size_t a = run_start(list, n * (size_t)k / (size_t)nch, n, lo, sh);
        const size_t b = run_start(list, n * (size_t)(k + 1) / (size_t)nch, n, lo, sh);
        if (b > a) order_runs(list + a, tmp + a, b - a, lo, sh);
    }
}

/* ---- the wage Gini from a histogram ---- */

/* At most 2^GINI_BITS wage classes, 32 bytes each per chunk, so the counting pass scatters into
 * 4 MB (the sort it replaces moved every key twice: 0.47 s of CPU a step at 1:1), and twice as
 * many from GINI_MANY wages on. At 1:1 (31 million wages), 2^17 classes left the bound above
 * CS_GINI_BOUND after 15 steps (up to 3.9e-9), so that pass 2, a second read of every key, ran
 * in nine steps of ten; 2^18 classes keep it within (0.6-0.7e-9 at step 120). At 0.1 (3
 * million) 2^17 suffice, and 2^18 made the metrics 6-7 ms a step slower (`clustersim bench
 * --scale 0.1`). */
#define GINI_BITS 17
#define GINI_MANY ((size_t)1 << 23)
/* A class split by the second pass gets 2^GINI_SUB sub-classes: its error bound falls about
 * 2^12-fold (it is quadratic in the class width). */
#define GINI_SUB 6
/* Up to this many wages the exact sort is cheaper than the classes (which are sized for tens
 * of millions): at scale 0.002, 66,000 workers, metrics took 6.0 ms a step with the histogram
 * and 2.1 ms with the sort (`clustersim bench --scale 0.002 --steps 20 --threads 1`); at 0.01
 * (about 320,000 wages) the two cost the same. The radix sort of item 63 would be a little
 * cheaper at 0.01 (metrics 3.1-3.2 against 3.5-3.7 ms on two threads) and dearer at 0.03; the
 * limit stays where it was, so that no output changed. */
#define GINI_EXACT_MAX ((int64_t)1 << 18)

/* Offsets within a class are also kept to their top GINI_QBITS bits, q = offset >> qs, whose
 * squares add up exactly in 64 bits (q^2 < 2^32, fewer than 2^31 wages): with the count and the
 * offsets' sum they bound how spread the class's wages are (wb_bounds). */
#define GINI_QBITS 16

typedef struct gbin {
    uint64_t c;      /* keys in the class */
    uint64_t lo, hi; /* sums of the low 32 and the high bits of their offsets: exact for any n */
    uint64_t qq;     /* sum of q^2, q the offset's top GINI_QBITS bits (gq_shift) */
} gbin;

/* The shift that keeps GINI_QBITS bits of an offset in a class of 2^sh keys. */
static inline int gq_shift(int sh) {
    return sh > GINI_QBITS ? sh - GINI_QBITS : 0;
}

typedef struct gini_out {
    double gini, sum, bound;
} gini_out;

/* Class layout: top classes of 2^shift keys aligned to 2^shift from key b0 << shift, ids
 * [0, nb); top class j with split[j] = q >= 0 is also cut into 2^sub sub-classes of 2^(shift -
 * sub) keys, ids nb + q 2^sub + the key's next sub bits, and top[q] = j. */
typedef struct glayout {
    uint64_t b0;
    int shift, sub;
    size_t nb;
    const int32_t *split; /* NULL: no sub-classes */
    const size_t *top;
} glayout;

/* The finest class of key. */
static inline size_t gclass(const glayout *L, uint64_t key) {
    const size_t j = (size_t)((key >> L->shift) - L->b0);
    if (!L->split || L->split[j] < 0) return j;
    const uint64_t m = (UINT64_C(1) << L->sub) - 1;
    return L->nb + ((size_t)L->split[j] << L->sub) + (size_t)((key >> (L->shift - L->sub)) & m);
}

/* One pass of the refinement's gather over the keys in nch fixed chunks: with out == NULL
 * it counts each marked class's keys per chunk into cnt[r][k]; otherwise it writes them to
 * out at the cursors ref[r][2 + k] (advancing them). Both passes visit the keys alike, so the
 * counts are the scatter's sizes. */
static void gather_pass(const glayout *L, const uint64_t *list, size_t nlist, int nch,
                        const int32_t *idx, uint64_t *cnt, uint64_t *ref, size_t rw,
                        uint64_t *out) {
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        size_t i1 = nlist * (size_t)(k + 1) / (size_t)nch;
        for (size_t i = nlist * (size_t)k / (size_t)nch; i < i1; i++) {
            if (list[i] == NO_WAGE) continue;
            const int32_t r = idx[gclass(L, list[i])];
            if (r < 0) continue;
            if (out)
                out[ref[(size_t)r * rw + 2 + (size_t)k]++] = list[i];
            else
                cnt[(size_t)r * (size_t)nch + (size_t)k]++;
        }
    }
}

/* First key and width (log2 keys) of class id. */
static inline uint64_t gstart(const glayout *L, size_t id, int *sh) {
    if (id < L->nb) {
        *sh = L->shift;
        return (L->b0 + id) << L->shift;
    }
    const size_t q = (id - L->nb) >> L->sub, s = (id - L->nb) & (((size_t)1 << L->sub) - 1);
    *sh = L->shift - L->sub;
    return ((L->b0 + L->top[q]) << L->shift) | ((uint64_t)s << *sh);
}

/* Bins per chunk for classes [c0, c1): in pass 2 one more block of 2^sub takes the keys of the
 * classes not split, so that counting them needs no branch (whether a key's class is split is
 * as unpredictable as the wage: the branch made pass 2 cost 2.5 times pass 1 at 1:1). */
static size_t gstride(const glayout *L, size_t c0, size_t c1) {
    return c1 - c0 + (L->split ? (size_t)1 << L->sub : 0);
}

/* Counts and offset sums of the keys of list[0..nlist) by class, per chunk: chunk k, items
 * [nlist k / nch, nlist (k+1) / nch), into bin[k gstride ..]. Pass 1 (L->split NULL) counts
 * the top classes, [c0, c1) = [0, nb); pass 2 the sub-classes of the split ones, [nb, ncls). */
static void gcount(const glayout *L, const uint64_t *list, size_t nlist, int nch, size_t c0,
                   size_t c1, gbin *bin) {
    const size_t w = gstride(L, c0, c1);
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        gbin *h = bin + (size_t)k * w;
        memset(h, 0, w * sizeof *h);
        size_t i0 = nlist * (size_t)k / (size_t)nch, i1 = nlist * (size_t)(k + 1) / (size_t)nch;
        if (!L->split) { /* the first pass: top classes only, the key's offset its low bits */
            const uint64_t b0 = L->b0, m = (UINT64_C(1) << L->shift) - 1;
            const int shift = L->shift, qs = gq_shift(shift);
            for (size_t i = i0; i < i1; i++) {
                const uint64_t key = list[i];
                if (key == NO_WAGE) continue;
                gbin *g = h + ((key >> shift) - b0); /* c0 = 0, c1 = nb here */
                const uint64_t off = key & m, q = off >> qs;
                g->c++;
                g->lo += off & UINT32_MAX;
                g->hi += off >> 32;
                g->qq += q * q;
            }
            continue;
        }
        /* the second pass: the sub-classes only (c0 = nb, c1 = ncls), each key's offset its low
         * shift - sub bits; keys of top classes not split go to the spare block nr */
        const uint64_t b0 = L->b0, smask = (UINT64_C(1) << L->sub) - 1;
        const int shift = L->shift, ssh = shift - L->sub, sub = L->sub, qs = gq_shift(ssh);
        const uint64_t m = (UINT64_C(1) << ssh) - 1;
        const uint32_t nr = (uint32_t)((c1 - c0) >> sub);
        const int32_t *split = L->split;
        for (size_t i = i0; i < i1; i++) {
            const uint64_t key = list[i];
            if (key == NO_WAGE) continue;
            const uint32_t r = (uint32_t)split[(key >> shift) - b0]; /* -1: not split */
            const size_t rb = r < nr ? r : nr;
            gbin *g = h + ((rb << sub) | (size_t)((key >> ssh) & smask));
            const uint64_t off = key & m, q = off >> qs;
            g->c++;
            g->lo += off & UINT32_MAX;
            g->hi += off >> 32;
            g->qq += q * q;
        }
    }
}

/* Bounds [*lo, *hi] on W = sum over pairs k < l of |x_k - x_l| for the offsets x (in keys) of a
 * class of 2^sh keys, all within [a, z], from their count c, exact sum M and q^2 sum (gbin).
 * With q = x >> qs and u = 2^qs, D = sum over pairs of (q_k - q_l)^2 = c sum q^2 - (sum q)^2,
 * where sum q lies within [(M - c (u - 1)) / u, M / u] and [c qa, c qz] (exact in 128 bits).
 * Over pairs of q: |d| >= d^2 / (qz - qa) and, by Cauchy-Schwarz, sum |d| <= sqrt(pairs D); each
 * |x_k - x_l| is within u - 1 of u |q_k - q_l|; and 0 <= W <= floor(c^2 / 4) (z - a). The
 * doubles are widened by 1e-12 for their rounding. */
static void wb_bounds(const gbin *t, int sh, uint64_t a, uint64_t z, double *lo, double *hi) {
    *lo = *hi = 0.0;
    if (t->c < 2 || z <= a) return; /* one key, or all equal: W = 0 */
    const uint64_t c = t->c;
    const int qs = gq_shift(sh);
    const unsigned __int128 M = ((unsigned __int128)t->hi << 32) + t->lo, u = (uint64_t)1 << qs;
    const uint64_t qa = a >> qs, qz = z >> qs;
    unsigned __int128 mq_hi = M >> qs,
                      mq_lo = M > c * (u - 1) ? (M - c * (u - 1) + u - 1) >> qs : 0;
    if (mq_hi > (unsigned __int128)c * qz) mq_hi = (unsigned __int128)c * qz;
    if (mq_lo < (unsigned __int128)c * qa) mq_lo = (unsigned __int128)c * qa;
    const unsigned __int128 cq = (unsigned __int128)c * t->qq;
    const double d_lo = cq > mq_hi * mq_hi ? (double)(cq - mq_hi * mq_hi) : 0.0;
    const double d_hi = cq > mq_lo * mq_lo ? (double)(cq - mq_lo * mq_lo) : 0.0;
    const double pairs = (double)c * (double)(c - 1) / 2.0, ud = (double)u;
    const double wq_lo = qz > qa ? d_lo / (double)(qz - qa) : 0.0, wq_hi = sqrt(pairs * d_hi);
    const double ext = (double)(c * c / 4) * (double)(z - a);
    double l = ud * wq_lo - pairs * (ud - 1.0), h = ud * wq_hi + pairs * (ud - 1.0);
    l = l > 0.0 ? l * (1.0 - 1e-12) : 0.0;
    h = h < ext ? h * (1.0 + 1e-12) : ext;
    *lo = l < h ? l : h;
    *hi = h;
}

/* Adds the chunks' bins of classes [c0, c1) into tot[] (integers: exact in any order), then per
 * class cls[3 id ..]: its wage sum S_b (keys of a class share a binade, where a wage is base +
 * offset x ulp exactly; one rounding), the estimate of W_b and that estimate's error bound: the
 * middle of wb_bounds' [lo, hi] and half its width, which hold however the wages lie in the
 * class (see gini_hist). */
static void gfill(const glayout *L, int nch, size_t c0, size_t c1, const gbin *bin, gbin *tot,
                  double *cls, uint64_t klo, uint64_t khi) {
    const size_t w = c1 - c0, stride = gstride(L, c0, c1);
#pragma omp parallel for schedule(guided) if (w >= CS_PAR_MIN)
    for (size_t id = c0; id < c1; id++) {
        gbin t = bin[id - c0];
        for (int k = 1; k < nch; k++) {
            const gbin *g = bin + (size_t)k * stride + (id - c0);
            t.c += g->c;
            t.lo += g->lo;
            t.hi += g->hi;
            t.qq += g->qq;
        }
        tot[id] = t;
        int sh;
        const uint64_t kb = gstart(L, id, &sh), ke = kb | ((UINT64_C(1) << sh) - 1);
        const uint64_t ka = kb > klo ? kb : klo, kz = ke < khi ? ke : khi;
        const int e = (int)((kb >> 52) & 0x7ff);
        const double ulp = ldexp(1.0, (e ? e : 1) - 1075), dc = (double)t.c;
        double wlo, whi; /* in keys, as the estimate below (a key is one ulp of the binade) */
        wb_bounds(&t, sh, ka - kb, kz - kb, &wlo, &whi);
        const double west = 0.5 * (wlo + whi);
        cls[3 * id] = dc * key_wage(kb) + ulp * ((double)t.hi * 4294967296.0 + (double)t.lo);
        cls[3 * id + 1] = west * ulp;
        cls[3 * id + 2] = (west - wlo > whi - west ? west - wlo : whi - west) * ulp;
    }
}

/* Marks for refinement (mark[id - c0] = 1) the classes among ids [c0, c1) with the largest
 * errors cls[3 id + 2], so that the errors of the others add to at most lim: all those at or
 * above a power of two, the largest such that the errors below it fit (at most twice as many
 * classes as the fewest possible, in O(classes): a sort took longer than the pass it saves).
 * Returns how many. */
static size_t gselect(const double *cls, size_t c0, size_t c1, double lim, uint8_t *mark) {
    enum { EMIN = -1100, EMAX = 1030 }; /* frexp exponents of positive doubles */
    double by_exp[EMAX - EMIN] = {0};
    double E = 0.0;
    for (size_t id = c0; id < c1; id++) {
        const double err = cls[3 * id + 2];
        if (!(err > 0.0)) continue;
        int e;
        frexp(err, &e); /* err in [2^(e-1), 2^e) */
        by_exp[e - EMIN] += err;
        E += err;
    }
    memset(mark, 0, c1 - c0);
    if (E <= lim) return 0;
    int e = 0;
    double rest = 0.0;
    while (e < EMAX - EMIN && rest + by_exp[e] <= lim) rest += by_exp[e++];
    if (e == EMAX - EMIN) return 0;            /* fits after all (the sums' rounding differs) */
    const double t = ldexp(1.0, e + EMIN - 1); /* errors >= t are marked */
    size_t nm = 0;
    for (size_t id = c0; id < c1; id++)
        if (cls[3 * id + 2] >= t) {
            mark[id - c0] = 1;
            nm++;
        }
    return nm;
}

/* Gini, total and error bound of the n wages whose keys are in list[0..nlist) (NO_WAGE left
 * out), all finite and >= +0 with keys in [klo, khi], without a full sort; list and tmp[0..n)
 * may be clobbered. The keys fall in classes of consecutive keys, each within one binade; with
 * c_b keys and wage sum S_b in class b and R_b wages in the classes below it,
 *   sum_i (2i - n - 1) x_(i) = sum_b (2 R_b + c_b - n) S_b + sum_b W_b,
 *   W_b = sum_k (2k - c_b - 1) x_(b,k) over the class sorted, 0 <= W_b <= floor(c_b^2 / 4) h_b,
 * h_b the spread of the class's wages. W_b is taken as the middle of the interval that the
 * class's count, sum and sum of squares confine it to (wb_bounds), off by at most half its width;
 * the bound is the sum of these over n sum x. Pass 1 counts up to 2^GINI_BITS classes; while the
 * bound exceeds CS_GINI_BOUND, pass 2 cuts the classes with the largest errors into
 * 2^GINI_SUB, and pass 3 (rare) sorts the worst remaining classes and sums their W_b exactly.
 * Integer sums, and double sums in class order: the same bits for any thread count. */
static gini_out gini_hist(cs_buffers *ws, uint64_t *list, size_t nlist, uint64_t *tmp, size_t n,
                          uint64_t klo, uint64_t khi) {
    gini_out o = {0.0, 0.0, 0.0};
    if (n == 0) return o;
    int bits = bit_width(khi - klo), lb = bit_width(n) + 4; /* mostly 0-1 keys a class if small */
    const int maxb = GINI_BITS + (n >= GINI_MANY);
    if (lb > maxb) lb = maxb;
    int shift = bits - lb;
    shift = shift < 0 ? 0 : shift > 52 ? 52 : shift; /* <= 52: a class lies in one binade */
    glayout L = {klo >> shift, shift, 0, (size_t)((khi >> shift) - (klo >> shift)) + 1, NULL, NULL};
    const size_t nb = L.nb;
    int nch = nlist >= CS_PAR_MIN ? omp_get_max_threads() : 1;
    if (nch > 16) nch = 16; /* up to 8 MB of classes per chunk */

    /* pass 1 */
    gbin *bin = ws_get(ws, WS_GBIN, (size_t)nch * nb, sizeof *bin);
    gbin *tot = ws_get(ws, WS_GTOT, nb, sizeof *tot);
    double *cls = ws_get(ws, WS_GCLASS, 3 * nb, sizeof *cls);
    gcount(&L, list, nlist, nch, 0, nb, bin);
    gfill(&L, nch, 0, nb, bin, tot, cls, klo, khi);
    double S = 0.0;
    for (size_t j = 0; j < nb; j++) S += cls[3 * j];
    o.sum = S;
    if (n < 2 || !(S > 0.0)) return o;
    const double norm = (double)n * S, lim = CS_GINI_BOUND * norm;
    size_t ncls = nb;

    double E1 = 0.0; /* the bound after pass 1 (times norm) */
    for (size_t j = 0; j < nb; j++) E1 += cls[3 * j + 2];
#ifdef GINI_DEBUG
    fprintf(stderr, "gini pass1 bound %.3g\n", E1 / norm);
#endif
    /* pass 2, only when pass 1 is not within the bound (at 1:1 it mostly is: 1e-10 to 7e-10,
     * and a second read of 31 million keys costs 40-60 ms): the worst classes (keeping the
     * others within lim / 2) in sub-classes */
    uint8_t *mark = ws_get(ws, WS_GMARK, nb, 1);
    L.sub = shift < GINI_SUB ? shift : GINI_SUB;
    if (E1 > lim && L.sub > 0 && gselect(cls, 0, nb, 0.5 * lim, mark) > 0) {
        int32_t *split = ws_get(ws, WS_GSPLIT, nb, sizeof *split);
        size_t *top = ws_get(ws, WS_GTOP, nb, sizeof *top);
        size_t nr = 0;
        for (size_t j = 0; j < nb; j++) {
            split[j] = mark[j] ? (int32_t)nr : -1;
            if (mark[j]) top[nr++] = j;
        }
        L.split = split;
        L.top = top;
        ncls = nb + (nr << L.sub);
        bin = ws_get(ws, WS_GBIN, (size_t)nch * gstride(&L, nb, ncls), sizeof *bin);
        /* tot and cls keep the top classes' figures; grown copies keep them */
        gbin *tot2 = ws_get(ws, WS_GTOT2, ncls, sizeof *tot2);
        double *cls2 = ws_get(ws, WS_GCLASS2, 3 * ncls, sizeof *cls2);
        memcpy(tot2, tot, nb * sizeof *tot);
        memcpy(cls2, cls, 3 * nb * sizeof *cls);
        tot = tot2;
        cls = cls2;
        gcount(&L, list, nlist, nch, nb, ncls, bin);
        gfill(&L, nch, nb, ncls, bin, tot, cls, klo, khi);
        for (size_t q = 0; q < nr; q++) cls[3 * top[q] + 2] = 0.0; /* replaced by its parts */
    }

    /* pass 3: still over the bound, the worst classes sorted: W_b exact */
    double E = 0.0;
    for (size_t id = 0; id < ncls; id++) E += cls[3 * id + 2];
#ifdef GINI_DEBUG
    {
        double E1 = 0.0;
        for (size_t j = 0; j < nb; j++) E1 += cls[3 * j + 2];
        fprintf(stderr, "gini n=%zu nb=%zu ncls=%zu shift=%d after1+2=%.3g\n", n, nb, ncls, shift,
                E / norm);
        (void)E1;
    }
#endif
    if (E > lim) {
        mark = ws_get(ws, WS_GMARK, ncls, 1);
        const size_t nr = gselect(cls, 0, ncls, lim, mark);
        int32_t *idx = ws_get(ws, WS_GIDX, ncls, sizeof *idx);
        const size_t rw = 2 + (size_t)nch; /* per refined class: id, start, chunk positions */
        uint64_t *ref = ws_get(ws, WS_GREF, nr * rw, sizeof *ref);
        /* chunk counts of every marked class, as gcount would give them */
        size_t q = 0;
        uint64_t start = 0;
        for (size_t id = 0; id < ncls; id++) {
            idx[id] = mark[id] ? (int32_t)q : -1;
            if (!mark[id]) continue;
            uint64_t *r = ref + q++ * rw;
            r[0] = id;
            r[1] = start;
            start += tot[id].c;
        }
        /* gather: each chunk's keys of class q from ref[q][1] + the counts of chunks below */
        uint64_t *cnt = ws_get(ws, WS_GCNT, nr * (size_t)nch, sizeof *cnt);
        memset(cnt, 0, nr * (size_t)nch * sizeof *cnt);
        gather_pass(&L, list, nlist, nch, idx, cnt, NULL, 0, NULL);
        for (size_t r = 0; r < nr; r++) {
            uint64_t p = ref[r * rw + 1];
            for (int k = 0; k < nch; k++) {
                ref[r * rw + 2 + (size_t)k] = p;
                p += cnt[r * (size_t)nch + (size_t)k];
            }
        }
        gather_pass(&L, list, nlist, nch, idx, NULL, ref, rw, tmp);
        /* each marked class sorted (a unique order) into list, its W_b summed in that order
         * (list is no longer read: the gather is done) */
#pragma omp parallel for schedule(dynamic, 16) if (start >= CS_PAR_MIN)
        for (size_t r = 0; r < nr; r++) {
            const size_t id = ref[r * rw], s0 = ref[r * rw + 1], c = tot[id].c;
            sort_into(tmp + s0, list + s0, c);
            int sh;
            const uint64_t kb = gstart(&L, id, &sh);
            const int e = (int)((kb >> 52) & 0x7ff);
            double w = 0.0;
            for (size_t i = 0; i < c; i++)
                w += (2.0 * (double)(i + 1) - (double)c - 1.0) * (double)(list[s0 + i] - kb);
            cls[3 * id + 1] = w * ldexp(1.0, (e ? e : 1) - 1075);
            cls[3 * id + 2] = 0.0;
        }
        E = 0.0;
        for (size_t id = 0; id < ncls; id++) E += cls[3 * id + 2];
#ifdef GINI_DEBUG
        fprintf(stderr, "  sorted %zu classes, %llu keys, bound %.3g\n", nr,
                (unsigned long long)start, E / norm);
#endif
    }

    /* the sorted-order sum, class by class in wage order (a split class by its sub-classes) */
    double num = 0.0;
    uint64_t below = 0;
    for (size_t j = 0; j < nb; j++) {
        const int split = L.split && L.split[j] >= 0;
        const size_t a = split ? nb + ((size_t)L.split[j] << L.sub) : j;
        const size_t z = split ? a + ((size_t)1 << L.sub) : j + 1;
        for (size_t id = a; id < z; id++) {
            const uint64_t c = tot[id].c;
            if (c == 0) continue;
            num += (2.0 * (double)below + (double)c - (double)n) * cls[3 * id] + cls[3 * id + 1];
            below += c;
        }
    }
    o.gini = num / norm;
    o.bound = E / norm;
    return o;
}

/* ---- cs_metrics_compute ---- */

/* Workers are cut into fixed blocks of this many; each block's sums are kept apart and added
 * in block order, so no sum depends on the thread count. */
#define WORKER_BLOCK 16384

/* Workers ahead whose employer's figures the worker pass prefetches: 24, not CS_AHEAD, since
 * its three prefetches a worker already fill the line-fill buffers and 128 ahead gained nothing
 * (docs/performance-log.md item 33). */
#define METRICS_AHEAD 24

typedef struct wblock {
    double reg_wage[CS_MAX_REGIONS]; /* wages by region of the workplace */
    int64_t reg_nemp[CS_MAX_REGIONS], reg_lf[CS_MAX_REGIONS], reg_unemp[CS_MAX_REGIONS];
    int64_t n_emp;
    uint64_t lo, hi; /* least and greatest wage key of the block's employed */
} wblock;

/* Headcount by firm: the firms' own (the phases keep them as workers come and go, an invariant
 * of -DCS_DEBUG builds) where they add up to the n_emp workers of alive firms, as in every
 * step; else (a state made by hand) counted from the workers. Dead firms' entries are not
 * read. */
static const int32_t *headcounts(cs_sim *sim, int64_t n_emp) {
    const cs_firms *F = &sim->firms;
    const int32_t nf = F->n;
    int64_t sum = 0;
#pragma omp parallel for schedule(guided) reduction(+ : sum) if (nf >= CS_PAR_MIN)
    for (int32_t f = 0; f < nf; f++) sum += F->alive[f] ? F->n_emp[f] : 0;
    if (sum == n_emp) return F->n_emp;
    int32_t *emp = ws_get(sim->buf, WS_EMP, (size_t)nf, sizeof *emp);
    cs_count_heads(sim, emp);
    return emp;
}

/* The metrics' sums over the alive firms (firm_sums). */
typedef struct fsums {
    double n_firms, output, prod_sum, rent_sum;
    double sec_emp[CS_MAX_SECTORS], sec_firms[CS_MAX_SECTORS], sec_out[CS_MAX_SECTORS];
    double reg_emp[CS_MAX_REGIONS], reg_out[CS_MAX_REGIONS], reg_firms[CS_MAX_REGIONS];
    int32_t njc; /* cells with alive firms, listed in the buffers' jobs_memo_cells */
} fsums;

/* Firm sums with headcounts emp: national, by sector, by region; jobs by sector and cell,
 * counted as the next step's fields count them (a cell's headcounts summed, then divided by
 * the scale; all jobs the sum over sectors in sector order), in the buffers' jobs memo,
 * cleared where the last call set it; and the alive firms grouped by sector (sec_start,
 * sec_firm). Serial in firm order (its double sums keep that order); it reads only firms, so
 * cs_metrics_compute runs it beside the worker pass. fcell: a bitmap of the grid, all 0 and
 * left so. */
static void firm_sums(cs_sim *sim, const int32_t *emp, uint64_t *fcell, int32_t *sec_start,
                      int32_t *sec_firm, fsums *o) {
    cs_buffers *ws = sim->buf;
    const cs_firms *F = &sim->firms;
    const cs_landscape *land = &sim->land;
    const int S = sim->S, nf = F->n;
    const int R = land->n_regions < CS_MAX_REGIONS ? land->n_regions : CS_MAX_REGIONS;
    const size_t ncz = (size_t)land->W * (size_t)land->H, sn = (size_t)S * ncz;
    memset(o, 0, sizeof *o);
    double *SE = ws->jobs_memo, *Ecell = SE + sn; /* full scale */
    int32_t *jcells = ws->jobs_memo_cells, njc = 0;
    /* only the sectors that had firms there: each entry is a line of its own (the counts are
     * sector by sector), the others are +0.0 already */
    uint16_t *jsec = ws->jobs_memo_sec;
    for (int32_t k = 0; k < ws->jobs_memo_ncells; k++) {
        const size_t c = (size_t)jcells[k];
        for (uint32_t mk = jsec[c]; mk; mk &= mk - 1) SE[(size_t)__builtin_ctz(mk) * ncz + c] = 0.0;
        jsec[c] = 0;
        Ecell[c] = 0.0;
    }
    memset(sec_start, 0, ((size_t)S + 1) * sizeof *sec_start);
    for (int32_t f = 0; f < nf; f++) {
        if (!F->alive[f]) continue;
        int s = F->sector[f], c = F->cell[f], r = land->region[c];
        double n = emp[f];
        o->n_firms += 1.0;
        o->output += F->Y[f];
        o->prod_sum += n * F->A[f];
        if (sim->f.rent) o->rent_sum += n * sim->f.rent[c];
        if (!(fcell[c >> 6] & (UINT64_C(1) << (c & 63)))) {
            fcell[c >> 6] |= UINT64_C(1) << (c & 63);
            jcells[njc++] = c;
        }
        if (s < S) {
            jsec[c] |= (uint16_t)(1u << s);
            SE[(size_t)s * ncz + (size_t)c] += n;
            o->sec_emp[s] += n;
            o->sec_firms[s] += 1.0;
            o->sec_out[s] += F->Y[f];
            sec_start[s + 1]++;
        }
        if (r >= 0 && r < R) {
            o->reg_emp[r] += n;
            o->reg_out[r] += F->Y[f];
            o->reg_firms[r] += 1.0;
        }
    }
    const double sc = sim->scale;
    for (int32_t k = 0; k < njc; k++) {
        const size_t c = (size_t)jcells[k];
        double e = 0.0; /* the sectors present, in sector order: the others add +0.0 */
        for (uint32_t mk = jsec[c]; mk; mk &= mk - 1) {
            double *v = &SE[(size_t)__builtin_ctz(mk) * ncz + c];
            *v /= sc;
            e += *v;
        }
        Ecell[c] = e;
        fcell[c >> 6] = 0;
    }
    ws->jobs_memo_ncells = njc;
    o->njc = njc;
    /* alive firms grouped by sector, each sector's in firm order */
    for (int s = 0; s < S; s++) sec_start[s + 1] += sec_start[s];
    int32_t fill[CS_MAX_SECTORS] = {0};
    for (int32_t f = 0; f < nf; f++) {
        if (!F->alive[f] || F->sector[f] >= S) continue;
        int s = F->sector[f];
        sec_firm[sec_start[s] + fill[s]++] = f;
    }
}

void cs_metrics_compute(cs_sim *sim, cs_metrics *m) {
    cs_buffers *ws = sim->buf;
    const cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    const cs_landscape *land = &sim->land;
    const int W = land->W, H = land->H, ncell = W * H, S = sim->S;
    const int R = land->n_regions < CS_MAX_REGIONS ? land->n_regions : CS_MAX_REGIONS;
    const double sc = sim->scale;
    const int nf = F->n;
    const size_t nw = Wk->n > 0 ? (size_t)Wk->n : 0;

    memset(m, 0, sizeof *m);

    /* Per firm, the region of its workplace for the worker pass: -2 not alive, -1 no region
     * (sea, or beyond CS_MAX_REGIONS). */
    int8_t *freg = ws_get(ws, WS_FREG, (size_t)nf, sizeof *freg);
#pragma omp parallel for schedule(guided) if (nf >= CS_PAR_MIN)
    for (int32_t f = 0; f < nf; f++) {
        int r = land->region[F->cell[f]];
        freg[f] = (int8_t)(!F->alive[f] ? -2 : (r >= 0 && r < R) ? r : -1);
    }

    /* the firm sums' jobs memo (fields.c reuses it) and work space */
    const size_t ncz = (size_t)ncell, sn = (size_t)S * ncz;
    if (!ws->jobs_memo) {
        ws->jobs_memo = cs_xcalloc(sn + ncz, sizeof *ws->jobs_memo);
        ws->jobs_win = cs_xcalloc(sn, sizeof *ws->jobs_win);
        ws->jobs_win_all = cs_xcalloc(ncz, sizeof *ws->jobs_win_all);
        ws->jobs_memo_cells = cs_xcalloc(ncz, sizeof *ws->jobs_memo_cells);
        ws->jobs_memo_sec = cs_xcalloc(ncz, sizeof *ws->jobs_memo_sec);
        ws->jobs_memo_ncells = 0;
    }
    ws->jobs_memo_valid = 0;
    const size_t nwords = (ncz + 63) / 64;
    uint64_t *fcell = ws_get(ws, WS_FCELL, nwords, sizeof *fcell); /* all 0 between uses */
    int32_t *sec_start = ws_get(ws, WS_SECSTART, (size_t)S + 1, sizeof *sec_start);
    int32_t *sec_firm = ws_get(ws, WS_SECFIRM, (size_t)nf, sizeof *sec_firm);
    fsums fs;

    /* Workers, in fixed blocks: wage keys and regional partials. The workers are the authority
     * on who works where; a worker whose employer has exited but not yet been compacted counts
     * as unemployed. The serial firm sums run beside it, on the firms' own headcounts (redone
     * below in the rare state where those do not add up), and the first thread done with
     * them takes its share of the blocks: the other thread otherwise waited through them (15
     * ms of a late 1:1 step). */
    uint64_t *key = ws_get(ws, WS_KEY, nw, sizeof *key);
    const int64_t nwb = (int64_t)((nw + WORKER_BLOCK - 1) / WORKER_BLOCK);
    wblock *wb = ws_get(ws, WS_WBLOCK, (size_t)nwb, sizeof *wb);
#pragma omp parallel if (nw >= CS_PAR_MIN)
    {
#pragma omp single nowait
        firm_sums(sim, F->n_emp, fcell, sec_start, sec_firm, &fs);
#pragma omp for schedule(guided) nowait
        for (int64_t b = 0; b < nwb; b++) {
            wblock k;
            memset(&k, 0, sizeof k);
            const size_t i1 =
                (size_t)(b + 1) * WORKER_BLOCK < nw ? (size_t)(b + 1) * WORKER_BLOCK : nw;
            /* prefetch up to ipf (none when the firm arrays are small enough to stay cached) */
            const size_t i0 = (size_t)b * WORKER_BLOCK;
            const size_t ipf =
                nf >= CS_AHEAD_MIN_FIRMS && i1 - i0 > METRICS_AHEAD ? i1 - METRICS_AHEAD : i0;
            /* the block's count and range in registers (k's arrays keep it in memory) */
            int64_t n_emp_b = 0;
            uint64_t lo_b = NO_WAGE, hi_b = 0;
            for (size_t i = i0; i < i1; i++) {
                /* the employer's wage and region are random loads: start them ahead */
                if (i < ipf) {
                    const int32_t fa = Wk->employer[i + METRICS_AHEAD];
                    if (fa >= 0 && fa < nf) {
                        __builtin_prefetch(&F->w[fa]);
                        __builtin_prefetch(&freg[fa]);
                    }
                }
                int32_t f = Wk->employer[i];
                int wr = f >= 0 && f < nf ? freg[f] : -2;
                int hr = land->region[Wk->home[i]];
                if (hr >= 0 && hr < R) {
                    k.reg_lf[hr]++;
                    k.reg_unemp[hr] += wr == -2;
                }
                if (wr == -2) {
                    key[i] = NO_WAGE;
                    continue;
                }
                double w = F->w[f] * (double)Wk->skill[i];
                uint64_t wk = wage_key(w);
                key[i] = wk;
                lo_b = wk < lo_b ? wk : lo_b;
                hi_b = wk > hi_b ? wk : hi_b;
                n_emp_b++;
                if (wr >= 0) {
                    k.reg_wage[wr] += w;
                    k.reg_nemp[wr]++;
                }
            }
            k.n_emp = n_emp_b;
            k.lo = lo_b;
            k.hi = hi_b;
            wb[b] = k;
        }
    }
    int64_t n_emp = 0;
    uint64_t klo = NO_WAGE, khi = 0;
    double reg_wage[CS_MAX_REGIONS] = {0};
    int64_t reg_nemp[CS_MAX_REGIONS] = {0}, reg_lf[CS_MAX_REGIONS] = {0};
    int64_t reg_unemp[CS_MAX_REGIONS] = {0};
    for (int64_t b = 0; b < nwb; b++) {
        n_emp += wb[b].n_emp;
        klo = wb[b].lo < klo ? wb[b].lo : klo;
        khi = wb[b].hi > khi ? wb[b].hi : khi;
        for (int r = 0; r < R; r++) {
            reg_wage[r] += wb[b].reg_wage[r];
            reg_nemp[r] += wb[b].reg_nemp[r];
            reg_lf[r] += wb[b].reg_lf[r];
            reg_unemp[r] += wb[b].reg_unemp[r];
        }
    }
    const int64_t n_unemp = (int64_t)nw - n_emp;
    const int32_t *emp = headcounts(sim, n_emp);
    if (emp != F->n_emp) firm_sums(sim, emp, fcell, sec_start, sec_firm, &fs);

    /* The Gini and the wage total from a histogram of the wages (gini_hist) when there are many;
     * up to GINI_EXACT_MAX wages, and for negative, infinite or NaN wages (none in a run), from
     * the exact sort and block sums. */
    double gini = 0.0, wage_sum = 0.0, gini_bound = 0.0;
    uint64_t *tmp = ws_get(ws, WS_SORTED, (size_t)n_emp, sizeof(uint64_t));
    if (n_emp > GINI_EXACT_MAX && klo >= (UINT64_C(1) << 63) && khi < wage_key(INFINITY)) {
        gini_out g = gini_hist(ws, key, nw, tmp, (size_t)n_emp, klo, khi);
        gini = g.gini;
        wage_sum = g.sum;
        gini_bound = g.bound;
    } else {
        sort_wages(ws, key, nw, tmp, (size_t)n_emp, klo, khi);
        const uint64_t *sorted = key;
        const int64_t ngb = (n_emp + CS_BLOCK - 1) / CS_BLOCK;
        double *gp = ws_get(ws, WS_GINI, 2 * (size_t)ngb, sizeof *gp);
#pragma omp parallel for schedule(guided) if (n_emp >= CS_PAR_MIN)
        for (int64_t b = 0; b < ngb; b++) {
            double num = 0.0, sum = 0.0;
            const int64_t i1 = (b + 1) * CS_BLOCK < n_emp ? (b + 1) * CS_BLOCK : n_emp;
            for (int64_t i = b * CS_BLOCK; i < i1; i++) {
                double v = key_wage(sorted[i]);
                num += (2.0 * (double)(i + 1) - (double)n_emp - 1.0) * v;
                sum += v;
            }
            gp[2 * b] = num;
            gp[2 * b + 1] = sum;
        }
        double gini_num = 0.0;
        for (int64_t b = 0; b < ngb; b++) {
            gini_num += gp[2 * b];
            wage_sum += gp[2 * b + 1];
        }
        /* Gini of the ascending list: sum_i (2i - n - 1) x_(i) / (n sum x), as gini_sorted */
        gini = (n_emp >= 2 && wage_sum > 0.0) ? gini_num / ((double)n_emp * wage_sum) : 0.0;
    }
    m->wage_gini_bound = gini_bound;

    /* the jobs memo filled by firm_sums, and its windows */
    const double *SE = ws->jobs_memo, *Ecell = SE + sn; /* full scale */
    double *SEbar = ws->jobs_win, *Ebar = ws->jobs_win_all;
    const int32_t *jcells = ws->jobs_memo_cells, njc = fs.njc;
    const double n_firms = fs.n_firms, output = fs.output, prod_sum = fs.prod_sum;
    const double rent_sum = fs.rent_sum;
    const double *sec_emp = fs.sec_emp, *sec_firms = fs.sec_firms, *sec_out = fs.sec_out;
    const double *reg_emp = fs.reg_emp, *reg_out = fs.reg_out, *reg_firms = fs.reg_firms;

    double *ts = m->ts;
    const cs_counters *k = &sim->cnt;
    ts[CS_TS_STEP] = sim->step;
    ts[CS_TS_YEAR] = sim->step / 4.0;
    ts[CS_TS_FIRMS] = n_firms / sc;
    ts[CS_TS_BIRTHS] = (double)k->births / sc;
    ts[CS_TS_DEATHS] = (double)k->deaths / sc;
    ts[CS_TS_RELOCATIONS] = (double)k->relocations / sc;
    ts[CS_TS_INNOVATIONS] = (double)k->innovations / sc;
    ts[CS_TS_SPINOFFS] = (double)k->spinoffs / sc;
    ts[CS_TS_SPINOUTS] = (double)k->spinouts / sc;
    ts[CS_TS_MIGRATIONS] = (double)k->migrations / sc;
    ts[CS_TS_LINK_HIRES] = (double)k->link_hires / sc;
    ts[CS_TS_JOB_TO_JOB] = (double)k->job_moves / sc;
    ts[CS_TS_JOB_FINDS] = (double)(k->hires - k->job_moves) / sc;
    ts[CS_TS_JOB_LOSSES] = (double)k->job_losses / sc;
    ts[CS_TS_TAX_REVENUE] = k->tax_revenue / sc;
    ts[CS_TS_TAX_ON_PAYMENTS] = k->tax_on_payments / sc;
    ts[CS_TS_EMPLOYMENT] = (double)n_emp / sc;
    ts[CS_TS_UNEMPLOYMENT_RATE] = Wk->n > 0 ? (double)n_unemp / Wk->n : NAN;
    ts[CS_TS_OUTPUT] = output / sc;
    ts[CS_TS_MEAN_PRODUCTIVITY] = n_emp > 0 ? prod_sum / (double)n_emp : NAN;
    ts[CS_TS_RD_SPEND] = k->rd_spend / sc;
    ts[CS_TS_MEAN_WAGE] = n_emp > 0 ? wage_sum / (double)n_emp : NAN;
    ts[CS_TS_WAGE_GINI] = gini;
    ts[CS_TS_RENT_INDEX] = (n_emp > 0 && sim->f.rent && sim->par.land.r0 > 0.0)
                               ? rent_sum / (double)n_emp / sim->par.land.r0
                               : NAN;
    ts[CS_TS_SPENDING] = k->spending_total / sc;
    ts[CS_TS_EMPLOYMENT_HERFINDAHL] = cs_herfindahl(Ecell, ncell);
    ts[CS_TS_REGIONAL_THEIL] = cs_theil(reg_out, reg_emp, R);

    for (int r = 0; r < R; r++) {
        m->reg[CS_REG_EMPLOYMENT][r] = reg_emp[r] / sc;
        m->reg[CS_REG_OUTPUT][r] = reg_out[r] / sc;
        m->reg[CS_REG_MEAN_WAGE][r] = reg_nemp[r] > 0 ? reg_wage[r] / (double)reg_nemp[r] : NAN;
        m->reg[CS_REG_FIRMS][r] = reg_firms[r] / sc;
        m->reg[CS_REG_UNEMPLOYMENT_RATE][r] =
            reg_lf[r] > 0 ? (double)reg_unemp[r] / (double)reg_lf[r] : NAN;
    }
    int np = sim->par.n_policies < CS_MAX_POLICIES ? sim->par.n_policies : CS_MAX_POLICIES;
    for (int p = 0; p < np; p++) m->spending[p] = k->spending[p] / sc;

    /* Per-sector concentration, sectors in parallel (each independent of the others), each
     * thread with its own set of grid buffers. */
    int tile = sim->par.output.eg_tile > 0 ? sim->par.output.eg_tile : 1;
    int ntx = (W + tile - 1) / tile, nty = (H + tile - 1) / tile, ntile = ntx * nty;
    int nset = (size_t)S * (size_t)ncell >= CS_PAR_MIN ? omp_get_max_threads() : 1;
    if (nset > S) nset = S;
    if (nset < 1) nset = 1;
    const size_t nc = (size_t)ncell, ns = (size_t)nset, satlen = CS_WINDOW_SAT_LEN(W, H);
    double *e_tile = ws_get(ws, WS_ETILE, (size_t)ntile, sizeof *e_tile);
    double *sat = ws_get(ws, WS_SAT, ns * satlen, sizeof *sat);
    double *es_tile = ws_get(ws, WS_ESTILE, ns * (size_t)ntile, sizeof *es_tile);
    double *comp = ws_get(ws, WS_COMP, ns * nc, sizeof *comp);
    uint8_t *mask = ws_get(ws, WS_MASK, ns * nc, 1);
    int32_t *cells = ws_get(ws, WS_CELLS, ns * nc, sizeof *cells);
    int32_t *label = ws_get(ws, WS_LABEL, ns * nc, sizeof *label);
    int32_t *work = ws_get(ws, WS_WORK, ns * nc, sizeof *work);
    /* The masks and the bitmaps are all 0 between uses (allocated zeroed, and each use clears
     * what it set), so a sector costs its own cells, not the grid */
    uint64_t *touch = ws_get(ws, WS_TOUCH, ns * nwords, sizeof *touch);
    uint64_t *candb = ws_get(ws, WS_CAND, ns * nwords, sizeof *candb);
    int32_t *tlist = ws_get(ws, WS_TLIST, ns * nc, sizeof *tlist);
    const int rk = sim->par.land.rk > 0 ? sim->par.land.rk : 0;
    double *firm_emp = ws_get(ws, WS_FIRMEMP, (size_t)sec_start[S], sizeof *firm_emp);
    int32_t *tile_of = ws_get(ws, WS_TILEOF, nc, sizeof *tile_of);
    for (int y = 0, ty = 0, ry = 0; y < H; y++) { /* (y / tile) ntx + x / tile, by counting */
        for (int x = 0, tx = 0, rx = 0; x < W; x++) {
            tile_of[y * W + x] = ty * ntx + tx;
            if (++rx == tile) rx = 0, tx++;
        }
        if (++ry == tile) ry = 0, ty++;
    }

    double E_tot = 0.0;
    memset(e_tile, 0, (size_t)ntile * sizeof *e_tile);
    for (int c = 0; c < ncell; c++) {
        E_tot += Ecell[c];
        e_tile[tile_of[c]] += Ecell[c];
    }
    /* jobs are whole numbers at the usual scales (headcounts times 1 / scale): windows from
     * the cells with firms where that is cheaper, else (or when they are not whole) the grid's */
    if (!(cs_window_counts_cheaper(njc, rk, W, H) &&
          cs_window_avg_counts(Ecell, W, H, sim->par.land.rk, jcells, njc, Ebar, sat)))
        cs_window_avg(Ecell, W, H, sim->par.land.rk, Ebar, sat);

#pragma omp parallel num_threads(nset) if (nset > 1)
    {
        const size_t t = (size_t)omp_get_thread_num();
        double *es_t = es_tile + t * (size_t)ntile;
#pragma omp for schedule(dynamic, 1)
        for (int s = 0; s < S; s++) {
            m->sec[CS_SEC_EMPLOYMENT][s] = sec_emp[s] / sc;
            m->sec[CS_SEC_FIRMS][s] = sec_firms[s] / sc;
            m->sec[CS_SEC_OUTPUT][s] = sec_out[s] / sc;

            memset(es_t, 0, (size_t)ntile * sizeof *es_t);
            uint64_t *tb = touch + t * nwords, *cb = candb + t * nwords;
            double *fe = firm_emp + sec_start[s]; /* the sector's firms' headcounts */
            int nfs = 0;
            for (int32_t j = sec_start[s]; j < sec_start[s + 1]; j++) {
                int32_t f = sec_firm[j];
                const int32_t c = F->cell[f];
                fe[nfs++] = emp[f];
                if (emp[f] > 0) tb[c >> 6] |= UINT64_C(1) << (c & 63);
            }
            const double *Es = SE + (size_t)s * nc;
            double *Esbar = SEbar + (size_t)s * nc;
            /* the sums over the cells with jobs in ascending order: the grid's other cells
             * would add +0.0, which changes no sum */
            double Es_tot = 0.0;
            int32_t ntouch = 0, *tl = tlist + t * nc;
            for (size_t wd = 0; wd < nwords; wd++)
                for (uint64_t b = tb[wd]; b; b &= b - 1) {
                    const size_t c = wd * 64 + (size_t)__builtin_ctzll(b);
                    Es_tot += Es[c];
                    es_t[tile_of[c]] += Es[c];
                    tl[ntouch++] = (int32_t)c;
                }
            m->sec[CS_SEC_EG_INDEX][s] = cs_eg_index(es_t, e_tile, ntile, fe, nfs);

            if (!(cs_window_counts_cheaper(ntouch, rk, W, H) &&
                  cs_window_avg_counts(Es, W, H, sim->par.land.rk, tl, ntouch, Esbar,
                                       sat + t * satlen)))
                cs_window_avg(Es, W, H, sim->par.land.rk, Esbar, sat + t * satlen);
            /* the cells a window with a job reaches, where listing them is cheaper than the
             * grid scan of the cluster rule */
            const int side = 2 * rk + 1;
            const int sparse = (int64_t)ntouch * side * side < (int64_t)ncell / 2;
            if (sparse) dilate_cells(tb, cb, nwords, W, H, rk);
            sector_clusters(
                sim, Es, Esbar, Ebar, Es_tot, E_tot, sparse ? cb : NULL, mask + t * nc,
                cells + t * nc, label + t * nc, work + t * nc, comp + t * nc,
                &m->sec[CS_SEC_CLUSTER_COUNT][s], &m->sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][s],
                &m->sec[CS_SEC_LARGEST_CLUSTER_X][s], &m->sec[CS_SEC_LARGEST_CLUSTER_Y][s]);
            /* leave the bitmaps as found: all 0 */
            memset(tb, 0, nwords * sizeof *tb);
            if (sparse) memset(cb, 0, nwords * sizeof *cb);
        }
    }
    ws->jobs_memo_valid = 1; /* counts and windows of this state (fields.c reuses them) */
}
