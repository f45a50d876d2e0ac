/* metrics.h: the metrics of MODEL.md section 7, computed each step (metrics.c) and appended to
 * the run file (output.c). The tables below name every series with its units and description;
 * output.c writes one dataset per entry, so adding a metric is one enum value and one table row. */
#ifndef CS_METRICS_H
#define CS_METRICS_H

#include "clustersim.h"

typedef struct cs_series_info {
    const char *name;
    const char *units;
    const char *description;
} cs_series_info;

/* National time series: /timeseries/<name> [T]. */
enum cs_ts {
    CS_TS_STEP = 0,
    CS_TS_YEAR,
    CS_TS_FIRMS,
    CS_TS_BIRTHS,
    CS_TS_DEATHS,
    CS_TS_RELOCATIONS,
    CS_TS_EMPLOYMENT,
    CS_TS_UNEMPLOYMENT_RATE,
    CS_TS_OUTPUT,
    CS_TS_MEAN_PRODUCTIVITY,
    CS_TS_INNOVATIONS,
    CS_TS_RD_SPEND,
    CS_TS_MEAN_WAGE,
    CS_TS_WAGE_GINI,
    CS_TS_RENT_INDEX,
    CS_TS_SPENDING,
    CS_TS_EMPLOYMENT_HERFINDAHL,
    CS_TS_REGIONAL_THEIL,
    CS_TS_SPINOFFS,
    CS_TS_SPINOUTS,
    CS_TS_MIGRATIONS,
    CS_TS_LINK_HIRES,
    CS_TS_JOB_TO_JOB,
    CS_TS_JOB_FINDS,
    CS_TS_JOB_LOSSES,
    CS_TS_TAX_REVENUE,
    CS_TS_TAX_ON_PAYMENTS,
    CS_TS_N
};
extern const cs_series_info cs_ts_info[CS_TS_N];

/* Per-sector series: /sectors/<name> [T][S]. */
enum cs_sec {
    CS_SEC_EMPLOYMENT = 0,
    CS_SEC_FIRMS,
    CS_SEC_OUTPUT,
    CS_SEC_EG_INDEX,
    CS_SEC_CLUSTER_COUNT,
    CS_SEC_LARGEST_CLUSTER_EMPLOYMENT,
    CS_SEC_LARGEST_CLUSTER_X,
    CS_SEC_LARGEST_CLUSTER_Y,
    CS_SEC_N
};
extern const cs_series_info cs_sec_info[CS_SEC_N];

/* Per-region series: /regions/<name> [T][R]. */
enum cs_reg {
    CS_REG_EMPLOYMENT = 0,
    CS_REG_OUTPUT,
    CS_REG_MEAN_WAGE,
    CS_REG_FIRMS,
    CS_REG_UNEMPLOYMENT_RATE,
    CS_REG_N
};
extern const cs_series_info cs_reg_info[CS_REG_N];

/* One step's metrics. Counts and money are in full-scale units (divided by scale), so a run
 * at scale 0.01 reads as a sample of the UK economy. */
typedef struct cs_metrics {
    double ts[CS_TS_N];
    double sec[CS_SEC_N][CS_MAX_SECTORS];
    double reg[CS_REG_N][CS_MAX_REGIONS];
    double spending[CS_MAX_POLICIES]; /* per policy this step */
    /* Bound on |wage_gini - exact Gini| from the histogram method (not written to the run
     * file: at most CS_GINI_BOUND by construction; see docs/metrics.md). */
    double wage_gini_bound;
} cs_metrics;

/* Units of productivity A_f (Y = p A e^Phi H^alpha, Y in money, p a price index, H effective
 * workers): money, so A doubles with every money key (it is not a unit-free index). */
#define CS_PRODUCTIVITY_UNITS "2018 pounds per step per effective worker^alpha"

/* The wage Gini is exact up to this (plus rounding of order 1e-15): see docs/metrics.md. */
#define CS_GINI_BOUND 1e-9

/* Computes every metric from the state after a step (phase 14). Reads sim->cnt. */
void cs_metrics_compute(cs_sim *sim, cs_metrics *m);

/* The first national series of m that is not a number where it must be one (infinite, or NaN
 * outside the ratios that are NaN by definition when no one works), or NULL: a setting far
 * outside what the model was built for (a wage floor or a subsidy near the double range)
 * overflows the economy, and such a run must not end as a complete file. */
const char *cs_metrics_nonfinite(const cs_metrics *m);

/* Building blocks, exposed for tests. */
/* Ellison-Glaeser (1997) index of one sector over n areas: e_s[a] sector employment, e[a]
 * total employment per area, firm_emp[k] the sector's firm employments (for the Herfindahl). */
double cs_eg_index(const double *e_s, const double *e, int n, const double *firm_emp, int nfirms);
/* Gini of x[0..n) (x >= 0); sorts a copy in work[n]. */
double cs_gini(const double *x, int n, double *work);
/* qsort comparator: doubles in ascending order (the exact Gini's sort; the bench's medians). */
int cs_cmp_double(const void *a, const void *b);
/* Theil T index of output per worker across groups: y[g] output, l[g] workers. */
double cs_theil(const double *y, const double *l, int n);
/* Herfindahl of shares x[i]/sum x. */
double cs_herfindahl(const double *x, int n);
/* 4-connected components of mask[W*H] (nonzero = in); label[c] = component id >= 0 or -1.
 * Components are numbered in scan order. Returns the count. work: W*H ints. */
int cs_label_components(const uint8_t *mask, int W, int H, int32_t *label, int32_t *work);
/* The same labels for the n mask cells listed in cells[] in ascending order, every other cell's
 * mask being 0 (a sparse mask costs its cells, not the grid); label[] of other cells is left
 * as it was. Returns the count. work: W*H ints. */
int cs_label_cells(const uint8_t *mask, int W, const int32_t *cells, int32_t n, int32_t *label,
                   int32_t *work);

/* The cluster rule of MODEL.md section 7 for one cell of one sector: smoothed location quotient
 * (esbar / ebar) / share >= output.lq_min and smoothed sector employment times the window's area
 * >= output.e_min. esbar, ebar: window averages (radius land.rk) of the sector's and all
 * employment (full scale); share: the sector's national share of employment. Used by the
 * metrics and by the live view, so both draw the same clusters. */
static inline int cs_cluster_cell(const cs_params *p, double esbar, double ebar, double share) {
    if (!(share > 0.0) || !(ebar > 0.0)) return 0;
    const double side = 2.0 * p->land.rk + 1.0;
    return (esbar / ebar) / share >= p->output.lq_min && esbar * side * side >= p->output.e_min;
}

#endif
