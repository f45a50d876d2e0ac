/* metrics.c: the metrics of MODEL.md section 7 (formulas and units in docs/metrics.md).
 *
 * Everything is recomputed from the agents after the step (sim->f holds fields from the start
 * of the step, before entry, exit, moves and hiring). All loops are serial and run in agent or
 * cell order, so every sum has one fixed order and results do not depend on the thread count;
 * the cost is O(workers + firms + S x cells) once per step, small next to the phases. */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    [CS_TS_OUTPUT] = {"output", "pounds per step (full scale)",
                      "Total output of all firms this step."},
    [CS_TS_MEAN_PRODUCTIVITY] = {"mean_productivity", "index",
                                 "Mean firm productivity A_f weighted by headcount."},
    [CS_TS_INNOVATIONS] = {"innovations", "firms per step (full scale)",
                           "Successful innovations (productivity jumps) this step."},
    [CS_TS_RD_SPEND] = {"rd_spend", "pounds per step (full scale)",
                        "Total R&D spending of firms this step."},
    [CS_TS_MEAN_WAGE] = {"mean_wage", "pounds per step",
                         "Mean wage w_f h_i over employed workers."},
    [CS_TS_WAGE_GINI] = {"wage_gini", "index",
                         "Gini coefficient of the wages of employed workers."},
    [CS_TS_RENT_INDEX] =
        {"rent_index", "index",
         "Mean commercial rent of the cells of jobs, weighted by headcount, relative "
         "to the base rent r0."},
    [CS_TS_SPENDING] = {"spending", "pounds per step (full scale)",
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
};

const cs_series_info cs_sec_info[CS_SEC_N] = {
    [CS_SEC_EMPLOYMENT] = {"employment", "workers (full scale)",
                           "Workers employed in the sector (headcount)."},
    [CS_SEC_FIRMS] = {"firms", "firms (full scale)", "Firms of the sector alive after the step."},
    [CS_SEC_OUTPUT] = {"output", "pounds per step (full scale)",
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
    [CS_REG_OUTPUT] = {"output", "pounds per step (full scale)",
                       "Output of the firms located in the region."},
    [CS_REG_MEAN_WAGE] = {"mean_wage", "pounds per step",
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

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
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
    qsort(work, (size_t)n, sizeof *work, cmp_double);
    return gini_sorted(work, (size_t)n);
}

/* LSD radix sort of non-negative doubles (their bit patterns order like the values), 16 bits a
 * pass: O(n), where qsort of a full-scale labour force (33 million wages) would take seconds. */
static void sort_nonneg(double *a, double *tmp, size_t n) {
    if (n < 4096) {
        qsort(a, n, sizeof *a, cmp_double);
        return;
    }
    size_t(*count)[65536] = cs_xcalloc(4, sizeof *count); /* heap: 2 MB, and reentrant */
    for (size_t i = 0; i < n; i++) {
        uint64_t k;
        memcpy(&k, &a[i], sizeof k);
        for (int p = 0; p < 4; p++) count[p][(k >> (16 * p)) & 0xffff]++;
    }
    double *src = a, *dst = tmp;
    for (int p = 0; p < 4; p++) {
        size_t off = 0;
        for (int d = 0; d < 65536; d++) {
            size_t c = count[p][d];
            count[p][d] = off;
            off += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k;
            memcpy(&k, &src[i], sizeof k);
            dst[count[p][(k >> (16 * p)) & 0xffff]++] = src[i];
        }
        double *t = src;
        src = dst;
        dst = t;
    }
    free(count); /* four passes: the sorted data is back in a */
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
        T += (y[g] / Y) * log((y[g] / l[g]) / (Y / L));
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

/* ---- cs_metrics_compute ---- */

/* Clusters of one sector (section 7): cells whose smoothed location quotient and window sector
 * employment pass the thresholds, joined 4-connected. Es: sector employment by cell (full
 * scale); Esbar, Ebar: their window averages; Es_tot, E_tot: national totals. */
static void sector_clusters(const cs_sim *sim, const double *Es, const double *Esbar,
                            const double *Ebar, double Es_tot, double E_tot, uint8_t *mask,
                            int32_t *label, int32_t *work, double *comp, double *out_count,
                            double *out_emp, double *out_x, double *out_y) {
    int W = sim->land.W, H = sim->land.H, ncell = W * H;
    double side = 2.0 * sim->par.land.rk + 1.0;
    double share = (E_tot > 0.0) ? Es_tot / E_tot : 0.0;
    for (int c = 0; c < ncell; c++) {
        int in = 0;
        if (share > 0.0 && Ebar[c] > 0.0) {
            double lq = (Esbar[c] / Ebar[c]) / share;
            in = lq >= sim->par.output.lq_min && Esbar[c] * side * side >= sim->par.output.e_min;
        }
        mask[c] = (uint8_t)in;
    }
    int n = cs_label_components(mask, W, H, label, work);
    *out_count = n;
    *out_emp = 0.0;
    *out_x = *out_y = NAN;
    if (n == 0) return;
    for (int k = 0; k < n; k++) comp[k] = 0.0;
    for (int c = 0; c < ncell; c++)
        if (label[c] >= 0) comp[label[c]] += Es[c];
    int best = 0; /* ties go to the first in scan order */
    for (int k = 1; k < n; k++)
        if (comp[k] > comp[best]) best = k;
    double sw = 0.0, sx = 0.0, sy = 0.0, cnt = 0.0, ux = 0.0, uy = 0.0;
    for (int c = 0; c < ncell; c++) {
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

/* The wage list and its sort buffer (a labour force each) are kept from step to step: fresh
 * ones each step cost page faults on tens of megabytes. Every entry read is written first. */
static double *wage_buf, *wtmp_buf;
static size_t wage_cap;

static double *wage_buffers(size_t n, double **tmp) {
    if (n > wage_cap) {
        free(wage_buf);
        free(wtmp_buf);
        wage_buf = cs_xcalloc(n, sizeof *wage_buf);
        wtmp_buf = cs_xcalloc(n, sizeof *wtmp_buf);
        wage_cap = n;
    }
    *tmp = wtmp_buf;
    return wage_buf;
}

void cs_metrics_compute(cs_sim *sim, cs_metrics *m) {
    const cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    const cs_landscape *land = &sim->land;
    const int W = land->W, H = land->H, ncell = W * H, S = sim->S;
    const int R = land->n_regions < CS_MAX_REGIONS ? land->n_regions : CS_MAX_REGIONS;
    const double sc = sim->scale;
    const int nf = F->n;

    memset(m, 0, sizeof *m);

    /* Headcount per firm from the workers (the authority on who works where); a worker whose
     * employer has exited but not yet been compacted counts as unemployed. */
    int32_t *emp = cs_xcalloc((size_t)nf, sizeof *emp);
    double *wtmp;
    double *wage = wage_buffers((size_t)Wk->n, &wtmp);
    int64_t n_emp = 0, n_unemp = 0;
    double wage_sum = 0.0;
    double reg_wage[CS_MAX_REGIONS] = {0}, reg_nemp[CS_MAX_REGIONS] = {0};
    double reg_lf[CS_MAX_REGIONS] = {0}, reg_unemp[CS_MAX_REGIONS] = {0};
    for (int32_t i = 0; i < Wk->n; i++) {
        int32_t f = Wk->employer[i];
        int employed = f >= 0 && f < nf && F->alive[f];
        int hr = land->region[Wk->home[i]];
        if (hr >= 0 && hr < R) {
            reg_lf[hr] += 1.0;
            if (!employed) reg_unemp[hr] += 1.0;
        }
        if (!employed) {
            n_unemp++;
            continue;
        }
        emp[f]++;
        double w = F->w[f] * (double)Wk->skill[i];
        wage[n_emp++] = w;
        wage_sum += w;
        int wr = land->region[F->cell[f]];
        if (wr >= 0 && wr < R) {
            reg_wage[wr] += w;
            reg_nemp[wr] += 1.0;
        }
    }

    /* Firm sums: national, by sector, by region; employment by cell. */
    double *Ecell = cs_xcalloc((size_t)ncell, sizeof *Ecell); /* headcount by cell, full scale */
    double n_firms = 0.0, output = 0.0, prod_sum = 0.0, rent_sum = 0.0;
    double sec_emp[CS_MAX_SECTORS] = {0}, sec_firms[CS_MAX_SECTORS] = {0};
    double sec_out[CS_MAX_SECTORS] = {0};
    double reg_emp[CS_MAX_REGIONS] = {0}, reg_out[CS_MAX_REGIONS] = {0};
    double reg_firms[CS_MAX_REGIONS] = {0};
    for (int32_t f = 0; f < nf; f++) {
        if (!F->alive[f]) continue;
        int s = F->sector[f], c = F->cell[f], r = land->region[c];
        double n = emp[f];
        n_firms += 1.0;
        output += F->Y[f];
        prod_sum += n * F->A[f];
        if (sim->f.rent) rent_sum += n * sim->f.rent[c];
        Ecell[c] += n / sc;
        if (s < S) {
            sec_emp[s] += n;
            sec_firms[s] += 1.0;
            sec_out[s] += F->Y[f];
        }
        if (r >= 0 && r < R) {
            reg_emp[r] += n;
            reg_out[r] += F->Y[f];
            reg_firms[r] += 1.0;
        }
    }

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
    ts[CS_TS_EMPLOYMENT] = (double)n_emp / sc;
    ts[CS_TS_UNEMPLOYMENT_RATE] = Wk->n > 0 ? (double)n_unemp / Wk->n : NAN;
    ts[CS_TS_OUTPUT] = output / sc;
    ts[CS_TS_MEAN_PRODUCTIVITY] = n_emp > 0 ? prod_sum / (double)n_emp : NAN;
    ts[CS_TS_RD_SPEND] = k->rd_spend / sc;
    ts[CS_TS_MEAN_WAGE] = n_emp > 0 ? wage_sum / (double)n_emp : NAN;
    sort_nonneg(wage, wtmp, (size_t)n_emp);
    ts[CS_TS_WAGE_GINI] = gini_sorted(wage, (size_t)n_emp);
    ts[CS_TS_RENT_INDEX] = (n_emp > 0 && sim->f.rent && sim->par.land.r0 > 0.0)
                               ? rent_sum / (double)n_emp / sim->par.land.r0
                               : NAN;
    ts[CS_TS_SPENDING] = k->spending_total / sc;
    ts[CS_TS_EMPLOYMENT_HERFINDAHL] = cs_herfindahl(Ecell, ncell);
    ts[CS_TS_REGIONAL_THEIL] = cs_theil(reg_out, reg_emp, R);

    for (int r = 0; r < R; r++) {
        m->reg[CS_REG_EMPLOYMENT][r] = reg_emp[r] / sc;
        m->reg[CS_REG_OUTPUT][r] = reg_out[r] / sc;
        m->reg[CS_REG_MEAN_WAGE][r] = reg_nemp[r] > 0.0 ? reg_wage[r] / reg_nemp[r] : NAN;
        m->reg[CS_REG_FIRMS][r] = reg_firms[r] / sc;
        m->reg[CS_REG_UNEMPLOYMENT_RATE][r] = reg_lf[r] > 0.0 ? reg_unemp[r] / reg_lf[r] : NAN;
    }
    int np = sim->par.n_policies < CS_MAX_POLICIES ? sim->par.n_policies : CS_MAX_POLICIES;
    for (int p = 0; p < np; p++) m->spending[p] = k->spending[p] / sc;

    /* Per-sector concentration. One set of grid buffers reused sector by sector. */
    int tile = sim->par.output.eg_tile > 0 ? sim->par.output.eg_tile : 1;
    int ntx = (W + tile - 1) / tile, nty = (H + tile - 1) / tile, ntile = ntx * nty;
    double *e_tile = cs_xcalloc((size_t)ntile, sizeof *e_tile);
    double *es_tile = cs_xcalloc((size_t)ntile, sizeof *es_tile);
    double *firm_emp = cs_xcalloc((size_t)nf, sizeof *firm_emp);
    double *Es = cs_xcalloc((size_t)ncell, sizeof *Es);
    double *Esbar = cs_xcalloc((size_t)ncell, sizeof *Esbar);
    double *Ebar = cs_xcalloc((size_t)ncell, sizeof *Ebar);
    double *comp = cs_xcalloc((size_t)ncell, sizeof *comp);
    double *sat = cs_xcalloc(CS_WINDOW_SAT_LEN(W, H), sizeof *sat);
    uint8_t *mask = cs_xcalloc((size_t)ncell, 1);
    int32_t *label = cs_xcalloc((size_t)ncell, sizeof *label);
    int32_t *work = cs_xcalloc((size_t)ncell, sizeof *work);

    double E_tot = 0.0;
    for (int c = 0; c < ncell; c++) {
        E_tot += Ecell[c];
        e_tile[(c / W / tile) * ntx + (c % W) / tile] += Ecell[c];
    }
    cs_window_avg(Ecell, W, H, sim->par.land.rk, Ebar, sat);

    for (int s = 0; s < S; s++) {
        m->sec[CS_SEC_EMPLOYMENT][s] = sec_emp[s] / sc;
        m->sec[CS_SEC_FIRMS][s] = sec_firms[s] / sc;
        m->sec[CS_SEC_OUTPUT][s] = sec_out[s] / sc;

        memset(Es, 0, (size_t)ncell * sizeof *Es);
        memset(es_tile, 0, (size_t)ntile * sizeof *es_tile);
        int nfs = 0;
        for (int32_t f = 0; f < nf; f++) {
            if (!F->alive[f] || F->sector[f] != s) continue;
            Es[F->cell[f]] += emp[f] / sc;
            firm_emp[nfs++] = emp[f];
        }
        double Es_tot = 0.0;
        for (int c = 0; c < ncell; c++) {
            Es_tot += Es[c];
            es_tile[(c / W / tile) * ntx + (c % W) / tile] += Es[c];
        }
        m->sec[CS_SEC_EG_INDEX][s] = cs_eg_index(es_tile, e_tile, ntile, firm_emp, nfs);

        cs_window_avg(Es, W, H, sim->par.land.rk, Esbar, sat);
        sector_clusters(sim, Es, Esbar, Ebar, Es_tot, E_tot, mask, label, work, comp,
                        &m->sec[CS_SEC_CLUSTER_COUNT][s],
                        &m->sec[CS_SEC_LARGEST_CLUSTER_EMPLOYMENT][s],
                        &m->sec[CS_SEC_LARGEST_CLUSTER_X][s], &m->sec[CS_SEC_LARGEST_CLUSTER_Y][s]);
    }

    free(emp);
    free(Ecell);
    free(e_tile);
    free(es_tile);
    free(firm_emp);
    free(Es);
    free(Esbar);
    free(Ebar);
    free(comp);
    free(sat);
    free(mask);
    free(label);
    free(work);
}
