/* population.c: the initial economy (MODEL.md sections 8 and 10), in the order it is built:
 * - firms, with skewed sizes, placed by the emergent start in proportion to population with
 *   national sector shares (no sector starts concentrated), or by the real start so that each
 *   region's and ITL2 area's jobs by sector are ONS BRES 2018's ("the real start" below);
 * - their workers, living near them; capacities at the initial jobs and residents plus
 *   headroom;
 * - the wages, at the fixed point of the wage rule (converge_wages);
 * - on the real start, the location fundamentals (fit_fundamentals);
 * - each firm's productivity, set so that its drawn size is its optimal size at the initial
 *   fields, so the economy starts near a steady state. */
#include <assert.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "counting.h"
#include "fields.h"
#include "internal.h"
#include "uk_data.h"

#define UK_WORKERS 33.0e6
#define UK_FIRMS   1.4e6

/* ---- the real start (MODEL.md section 10) ----
 *
 * Firms keep their drawn sizes; what the data fix is where their jobs are. Each (region, sector)
 * gets a quota of jobs, the data's share of the employed (largest remainders, so the quotas add
 * up exactly); firms, largest first, go to a bucket drawn in proportion to its remaining quota
 * among those it fits in; the last firm of each bucket is then resized so that every quota is
 * met to the worker. Within its region a firm's cell is drawn in proportion to population times
 * its ITL2 area's jobs in the sector per head, so Cambridge's life sciences start in East Anglia
 * and the City's finance in Inner London wherever the grid resolves them. */

#define NB (CS_MAX_REGIONS * CS_MAX_SECTORS) /* buckets: region x sector */

/* Data sector of each model sector (the config's check makes them the same set). */
static void data_sectors(const cs_sim *sim, int *k_of) {
    for (int s = 0; s < sim->S; s++)
        for (int k = 0; k < CS_UK_NSECT; k++)
            if (!strcmp(sim->par.sectors.names[s], cs_uk_sectors[k])) k_of[s] = k;
}

/* Quotas in simulated jobs, by bucket r * S + s, adding up to `total`: the data's regional jobs
 * by sector, over the regions the grid has land in. */
static void real_quotas(const cs_sim *sim, const int *k_of, int32_t total, int32_t *quota) {
    const cs_landscape *l = &sim->land;
    int has_land[CS_MAX_REGIONS] = {0};
    for (int32_t c = 0; c < l->ncell; c++)
        if (l->land[c] && l->region[c] >= 0) has_land[l->region[c]] = 1;
    double share[NB] = {0}, sum = 0, frac[NB];
    for (int a = 0; a < CS_UK_NAREAS; a++) {
        int r = cs_uk_areas[a].region;
        if (!has_land[r]) continue;
        for (int s = 0; s < sim->S; s++) share[r * sim->S + s] += cs_uk_areas[a].jobs[k_of[s]];
    }
    for (int b = 0; b < NB; b++) sum += share[b];
    int32_t given = 0;
    for (int b = 0; b < NB; b++) {
        double q = sum > 0 ? total * share[b] / sum : 0;
        quota[b] = (int32_t)floor(q);
        frac[b] = q - quota[b];
        given += quota[b];
    }
    /* the remaining jobs to the largest remainders, ties to the lower bucket */
    for (; given < total; given++) {
        int best = 0;
        for (int b = 1; b < NB; b++)
            if (frac[b] > frac[best]) best = b;
        quota[best]++;
        frac[best] = -1.0;
    }
}

/* Buckets (r * S + s) of the firms, sizes adjusted so that each bucket holds its quota. A firm
 * fits a bucket with room for it (left >= size) if it would hold at most
 * landscape.firm_share_max of the bucket's quota. Without that bound the largest firms (drawn
 * for the whole country) fill whichever bucket has room, and at small scales one firm can be
 * most of a region's life sciences, so that the region's location quotient is one firm's
 * fortune (docs/model.md). */
static void real_buckets(const cs_sim *sim, int32_t nfirms, int32_t *fsize, const int32_t *quota,
                         int *bucket) {
    int32_t *order = cs_xcalloc((size_t)nfirms, sizeof *order);
    int32_t left[NB], largest[NB];
    const double share_max = sim->par.landscape.firm_share_max;
    for (int b = 0; b < NB; b++) left[b] = quota[b], largest[b] = -1;
    /* the share bound as whole jobs (a size is whole: size <= x exactly when size <=
     * floor(x)), so that the buckets' pass per firm is integer tests and an integer sum (1.4
     * million firms by NB buckets at 1:1: the doubles took 0.45 s of the start) */
    int32_t capb[NB];
    for (int b = 0; b < NB; b++) {
        const double x = share_max * quota[b];
        capb[b] = !(x >= 0.0) ? -1 : x >= (double)INT32_MAX ? INT32_MAX : (int32_t)floor(x);
    }
    /* largest first, ties by index: a counting sort on size (a Shell sort took a second of a
     * 1:1 run's start); every size is at least 1 */
    int32_t smax = 0;
    for (int32_t i = 0; i < nfirms; i++) smax = fsize[i] > smax ? fsize[i] : smax;
    int32_t *pos = cs_xcalloc((size_t)smax + 2, sizeof *pos);
    for (int32_t i = 0; i < nfirms; i++) pos[fsize[i]]++;
    for (int32_t sz = smax, at = 0; sz >= 0; sz--) { /* pos[sz]: first slot of size sz */
        const int32_t c = pos[sz];
        pos[sz] = at;
        at += c;
    }
    for (int32_t i = 0; i < nfirms; i++) order[pos[fsize[i]]++] = i;
    free(pos);
    const cs_rng_key key = cs_rng_key_make((uint64_t)sim->par.seed, 2, CS_PH_INIT_FIRMS);
    for (int32_t k = 0; k < nfirms; k++) {
        int32_t i = order[k];
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, key, (uint64_t)i);
        const int32_t sz = fsize[i];
        int64_t tot = 0; /* what is left in the buckets it fits: whole jobs, exact */
        for (int b = 0; b < NB; b++) tot += left[b] >= sz && sz <= capb[b] ? left[b] : 0;
        int best = 0;
        if (tot > 0) { /* drawn in proportion to what is left, among the buckets it fits */
            double u = cs_pcg32_uniform(&rng) * (double)tot;
            for (int b = 0; b < NB; b++) {
                if (!(left[b] >= sz && sz <= capb[b])) continue;
                best = b;
                if (u < left[b]) break;
                u -= left[b];
            }
        } else { /* fits nowhere: the bucket with the most left */
            for (int b = 1; b < NB; b++)
                if (left[b] > left[best]) best = b;
        }
        bucket[i] = best;
        left[best] -= fsize[i];
        if (largest[best] < 0) largest[best] = i;
    }
    /* what is left (positive or negative) goes to each bucket's largest firm, down to one job;
     * the sizes still add up to the total, as the quotas do */
    for (int b = 0; b < NB; b++) {
        int32_t i = largest[b];
        if (i < 0 || left[b] == 0) continue;
        int32_t n = fsize[i] + left[b];
        if (n < 1) n = 1;
        left[b] -= n - fsize[i];
        fsize[i] = n;
    }
    free(order);
}

/* Per data sector, a CDF over the land cells sorted by region (regions contiguous, start[r] to
 * start[r + 1]): each ITL2 area's jobs in that sector (the data), spread over the area's cells
 * in proportion to population times a university pull. The data stop at ITL2 areas, and East
 * Anglia's life sciences spread by population would put most of them in Norwich and Ipswich
 * rather than Cambridge: within an area, a sector's jobs lean towards universities strong in it,
 * by 1 + landscape.university_pull x sum over universities of q sigma_s (1 - d / (Ru / 4)). */
typedef struct real_cells {
    int32_t *cell; /* land cells, by region then cell index */
    int32_t start[CS_MAX_REGIONS + 1];
    double *cdf[CS_UK_NSECT]; /* cumulative weights over `cell` */
} real_cells;

/* pull[k * ncell + c]: the university pull of cell c for data sector k (1 where no university
 * is near, or the sector is not the model's), each university adding to the cells around it. */
static double *university_pull(const cs_sim *sim, const int *s_of) {
    const cs_landscape *l = &sim->land;
    const double rad = sim->par.universities.ru / 4.0, pull = sim->par.landscape.university_pull;
    double *g = cs_xcalloc((size_t)CS_UK_NSECT * (size_t)l->ncell, sizeof *g);
    for (int64_t m = 0; m < (int64_t)CS_UK_NSECT * l->ncell; m++) g[m] = 1.0;
    const int r = (int)ceil(rad);
    for (int u = 0; u < l->n_univ; u++) {
        const cs_university *un = &l->univ[u];
        for (int y = un->y - r; y <= un->y + r; y++)
            for (int x = un->x - r; x <= un->x + r; x++) {
                if (x < 0 || y < 0 || x >= l->W || y >= l->H) continue;
                int32_t c = y * l->W + x;
                double d = cs_dist(l, c, un->cell);
                if (d >= rad) continue;
                for (int k = 0; k < CS_UK_NSECT; k++)
                    if (s_of[k] >= 0)
                        g[(int64_t)k * l->ncell + c] +=
                            pull * un->q * un->sigma[s_of[k]] * (1.0 - d / rad);
            }
    }
    return g;
}

static void real_cells_build(const cs_sim *sim, const int *k_of, real_cells *rc) {
    const cs_landscape *l = &sim->land;
    double area_w[CS_UK_NSECT][CS_UK_NAREAS];
    memset(area_w, 0, sizeof area_w);
    int s_of[CS_UK_NSECT]; /* the model sector of each data sector (-1: none) */
    for (int k = 0; k < CS_UK_NSECT; k++) s_of[k] = -1;
    for (int s = 0; s < sim->S; s++) s_of[k_of[s]] = s;
    double *pull = university_pull(sim, s_of);
    int32_t n = 0, cnt[CS_MAX_REGIONS] = {0};
    for (int32_t c = 0; c < l->ncell; c++) {
        if (!l->land[c] || l->region[c] < 0) continue;
        cnt[l->region[c]]++, n++;
        if (l->area[c] >= 0)
            for (int k = 0; k < CS_UK_NSECT; k++)
                area_w[k][l->area[c]] += l->pop_weight[c] * pull[(int64_t)k * l->ncell + c];
    }
    rc->cell = cs_xcalloc((size_t)n + 1, sizeof *rc->cell);
    rc->start[0] = 0;
    for (int r = 0; r < CS_MAX_REGIONS; r++) rc->start[r + 1] = rc->start[r] + cnt[r];
    int32_t at[CS_MAX_REGIONS];
    memcpy(at, rc->start, sizeof at);
    for (int32_t c = 0; c < l->ncell; c++)
        if (l->land[c] && l->region[c] >= 0) rc->cell[at[l->region[c]]++] = c;
    for (int k = 0; k < CS_UK_NSECT; k++) {
        rc->cdf[k] = cs_xcalloc((size_t)n + 1, sizeof(double));
        double acc = 0;
        for (int32_t m = 0; m < n; m++) {
            int32_t c = rc->cell[m];
            int a = l->area[c];
            double g = pull[(int64_t)k * l->ncell + c];
            double w = a >= 0 && area_w[k][a] > 0
                           ? l->pop_weight[c] * g * cs_uk_areas[a].jobs[k] / area_w[k][a]
                           : 0.0;
            rc->cdf[k][m] = (acc += w);
        }
    }
    free(pull);
}

static void real_cells_free(real_cells *rc) {
    free(rc->cell);
    for (int k = 0; k < CS_UK_NSECT; k++) free(rc->cdf[k]);
}

/* A cell of region r for data sector k; by population where the region's areas have no such
 * jobs on this grid (a grid too coarse to hold them). */
static int32_t real_cell(const cs_landscape *l, const real_cells *rc, int r, int k, double u) {
    int32_t a = rc->start[r], b = rc->start[r + 1];
    if (a == b) return -1;
    const double *cdf = rc->cdf[k];
    double lo = a > 0 ? cdf[a - 1] : 0.0, tot = cdf[b - 1] - lo;
    if (tot > 0) {
        double t = lo + u * tot;
        while (a + 1 < b) { /* first m in [a, b) with cdf[m] > t */
            int32_t m = a + (b - 1 - a) / 2;
            if (cdf[m] > t)
                b = m + 1;
            else
                a = m + 1;
        }
        return rc->cell[a];
    }
    double pop = 0;
    for (int32_t m = a; m < b; m++) pop += l->pop_weight[rc->cell[m]];
    double t = u * pop;
    for (int32_t m = a; m < b; m++) {
        t -= l->pop_weight[rc->cell[m]];
        if (t < 0) return rc->cell[m];
    }
    return rc->cell[b - 1];
}

/* 0.0 + x + x + ... (k terms, left to right): k x where every partial sum is exact (x whole
 * and k x below 2^53), else added up term by term. */
static double repeated_sum(double x, int64_t k) {
    if (x == floor(x) && x >= 0.0 && x * (double)k < 0x1p53) return x * (double)k;
    double v = 0.0;
    for (int64_t m = 0; m < k; m++) v += x;
    return v;
}

/* A firm's mean skill (the national mean for a firm with no one yet), as labour demand uses it. */
static double firm_hbar(const cs_sim *sim, int32_t i) {
    const cs_firms *F = &sim->firms;
    return F->n_emp[i] > 0 && F->H[i] > 0 ? F->H[i] / F->n_emp[i] : sim->par.workers.skill_mean;
}

/* Depth of the wage fixed point's Anderson acceleration: differences kept. */
#define WAGE_AA_DEPTH 6

/* out[r] = sum_i u_r[i] v[i] and out2[r] = sum_i u_r[i] v2[i] for the k vectors u_r = u + r n,
 * over blocks of CS_BLOCK items summed in block order (the same bits for any thread count);
 * part holds 2 k doubles a block. Both in one pass: the u_r are most of what is read. */
static void dots(const double *u, int k, const double *v, const double *v2, int32_t n, double *part,
                 double *out, double *out2) {
    const int64_t nb = ((int64_t)n + CS_BLOCK - 1) / CS_BLOCK;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (int64_t b = 0; b < nb; b++) {
        const int32_t i0 = (int32_t)(b * CS_BLOCK), i1 = i0 + CS_BLOCK < n ? i0 + CS_BLOCK : n;
        for (int r = 0; r < k; r++) {
            const double *x = u + (size_t)r * n;
            double t = 0, t2 = 0;
            for (int32_t i = i0; i < i1; i++) t += x[i] * v[i], t2 += x[i] * v2[i];
            part[2 * (b * k + r)] = t;
            part[2 * (b * k + r) + 1] = t2;
        }
    }
    for (int r = 0; r < k; r++) out[r] = out2[r] = 0;
    for (int64_t b = 0; b < nb; b++)
        for (int r = 0; r < k; r++)
            out[r] += part[2 * (b * k + r)], out2[r] += part[2 * (b * k + r) + 1];
}

/* gamma[0..m) solving (A + 1e-10 diag A) gamma = rhs by elimination with partial pivoting (A
 * symmetric, m x m, row stride WAGE_AA_DEPTH); 0 when singular or not finite. */
static int solve_small(const double A[][WAGE_AA_DEPTH], const double *rhs, int m, double *gamma) {
    double M[WAGE_AA_DEPTH][WAGE_AA_DEPTH + 1];
    for (int r = 0; r < m; r++) {
        for (int c = 0; c < m; c++) M[r][c] = A[r][c];
        M[r][r] *= 1.0 + 1e-10; /* Tikhonov, relative: near-parallel differences stay solvable */
        M[r][m] = rhs[r];
    }
    for (int r = 0; r < m; r++) {
        int piv = r;
        for (int q = r + 1; q < m; q++)
            if (fabs(M[q][r]) > fabs(M[piv][r])) piv = q;
        if (!(fabs(M[piv][r]) > 0)) return 0;
        for (int c = 0; c <= m; c++) {
            double t = M[r][c];
            M[r][c] = M[piv][c];
            M[piv][c] = t;
        }
        for (int q = r + 1; q < m; q++) {
            const double e = M[q][r] / M[r][r];
            for (int c = r; c <= m; c++) M[q][c] -= e * M[r][c];
        }
    }
    for (int r = m - 1; r >= 0; r--) {
        double t = M[r][m];
        for (int c = r + 1; c < m; c++) t -= M[r][c] * gamma[c];
        gamma[r] = t / M[r][r];
        if (!isfinite(gamma[r])) return 0;
    }
    return 1;
}

/* The wage rule's fixed point, w_f = max(w_min, omega c_L(w)) with c_L's local mean wage wbar
 * itself the mean of the w_f around: iterated from the wages in F->w (wbar computed from them)
 * until an application changes no wage by more than 1e-12 of itself; that last application is
 * kept, so the wages satisfy the rule to that precision. The map is a contraction with factor
 * omega (0.9), and plain iteration took 194 passes at scale 0.002, most of the start's time:
 * its slow directions are wage levels shared by whole areas, which wbar averages back. Anderson
 * acceleration (Walker & Ni 2011, type II) removes them by combining the last WAGE_AA_DEPTH
 * steps: the next iterate is g - dG gamma, gamma the least-squares fit of the residual f = g - w
 * by its recent differences dF (46-49 passes on every preset and scale tried). Sums in fixed
 * blocks: the same bits for any thread count. */
static void converge_wages(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_firms *F = &sim->firms;
    const int32_t n = F->n;
    const double om = p->firms.omega, w_min = p->labour.w_min;
    enum { M = WAGE_AA_DEPTH };
    const size_t nz = n > 0 ? (size_t)n : 1, nb = (nz + CS_BLOCK - 1) / CS_BLOCK;
    /* g, f, their previous values, M differences of each, block partials of 2 M dots */
    double *buf = cs_xcalloc((4 + 2 * M) * nz + 2 * nb * M, sizeof *buf);
    double *g = buf, *f = g + nz, *gp = f + nz, *fp = gp + nz, *dG = fp + nz, *dF = dG + M * nz;
    double *part = dF + M * nz;
    double gram[M][M], rhs[M], gam[M];
    int mk = 0, head = 0; /* differences held; the slot of the next */
    double best = INFINITY;
    for (int it = 0; it < 1000; it++) {
        double change = 0;
#pragma omp parallel for schedule(guided) reduction(max : change) if (n >= CS_PAR_MIN)
        for (int32_t i = 0; i < n; i++) {
            double w = om * cs_unit_labour_cost(sim, F->cell[i], firm_hbar(sim, i));
            g[i] = w < w_min ? w_min : w;
            f[i] = g[i] - F->w[i];
            change = fmax(change, fabs(f[i]) / g[i]);
        }
        if (change < 1e-12) {
            memcpy(F->w, g, (size_t)n * sizeof *g);
            cs_fields_wbar(sim, 1); /* the firms' H, and so the skill sums, are fixed here */
            break;
        }
        /* a step that made things much worse (the floor switching on or off for many firms)
         * starts the history afresh */
        if (change > 100.0 * best) mk = head = 0;
        if (change < best) best = change;
        /* after the first pass: the newest differences into slot head, their row of the
         * Gram and the residual's fit against the differences (mk >= 1) */
        int ok = it > 0;
        if (ok) {
            double *a = dF + (size_t)head * nz, *b = dG + (size_t)head * nz;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
            for (int32_t i = 0; i < n; i++) a[i] = f[i] - fp[i], b[i] = g[i] - gp[i];
            if (mk < M) mk++;
            double row[M];
            dots(dF, mk, a, f, n, part, row, rhs);
            for (int r = 0; r < mk; r++) gram[r][head] = gram[head][r] = row[r];
            head = (head + 1) % M;
            ok = solve_small((const double(*)[M])gram, rhs, mk, gam);
        }
        if (!ok) mk = head = 0;
        const int m = mk;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
        for (int32_t i = 0; i < n; i++) {
            double w = g[i];
            for (int r = 0; r < m; r++) w -= gam[r] * dG[(size_t)r * nz + i];
            F->w[i] = w < w_min ? w_min : w;
        }
        cs_fields_wbar(sim, 1);
        /* this pass's g and f are the next one's previous values (the next overwrites g, f) */
        double *t = gp;
        gp = g, g = t;
        t = fp;
        fp = f, f = t;
    }
    free(buf);
}

/* Location fundamentals of the real start (quantitative spatial economics: Redding &
 * Rossi-Hansberg 2017 back out each place's productivity so that the observed map is the
 * model's equilibrium). The productivity calibration below gives each initial firm the A that
 * makes its drawn size optimal where it stands, so without this step every advantage a place
 * shows in 2018 would be carried by its firms: a firm from a place whose jobs the model's
 * agglomeration terms do not explain would take that edge wherever it moved, and the
 * geography would drift from the data for reasons the data never had. Here the location part
 * of the required productivity, log c_L - log(alpha p) - Phi, is averaged over the initial
 * firms of each ITL2 area and sector (the region's where an area has none); its deviation from
 * the sector's national mean is the fundamental a place adds to every firm of that sector, its
 * incumbents, entrants and arrivals alike. Firms' own A then keep their size draws, skills and
 * cells within the area, but no area-level pattern. Where the area's firms sat on a natural
 * asset, Phi counted it, so the area's fundamental holds minus their mean asset: that part is
 * kept as fund_asset. By default it stays when the asset declines: the asset is a known term of
 * Phi, so the rest is the place's own suitability, which the asset outweighed. With
 * landscape.asset_offset = "released" it goes with the asset (phase 2), as the asset's mirror,
 * and a place whose asset has gone ends level with places that never had one. (The nation's
 * mean asset stays in every place's fundamental: a level that moves no firm.) */
static void fit_fundamentals(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_landscape *l = &sim->land;
    const cs_firms *F = &sim->firms;
    const int S = sim->S, NR = CS_MAX_REGIONS;
    const int32_t nc = l->ncell;
    const size_t nslot = (size_t)(CS_UK_NAREAS + NR + 1) * S;
    double *sum = cs_xcalloc(nslot, sizeof *sum), *cnt = cs_xcalloc(nslot, sizeof *cnt);
    double *asum = cs_xcalloc(nslot, sizeof *asum); /* the same sums of the natural asset */
    double *reg = sum + (size_t)CS_UK_NAREAS * S, *nat = reg + (size_t)NR * S;
    double *areg = asum + (size_t)CS_UK_NAREAS * S, *anat = areg + (size_t)NR * S;
    double *rcnt = cnt + (size_t)CS_UK_NAREAS * S, *ncnt = rcnt + (size_t)NR * S;
    /* labour costs relative to the first firm's, so that rescaling money leaves every
     * fundamental the same bit for bit (a ratio of doubled numbers is exact; a log is not) */
    double c_ref = 0;
    for (int32_t i = 0; i < F->n; i++) { /* sequential: a fixed order of the sums */
        int32_t c = F->cell[i];
        int s = F->sector[i], a = l->area[c], r = l->region[c];
        double hbar = firm_hbar(sim, i);
        double cl = cs_unit_labour_cost(sim, c, hbar);
        if (!(cl > 0)) continue; /* no labour cost (every money key 0): no edge to measure */
        if (c_ref == 0) c_ref = cl;
        if (a < 0 || r < 0) continue;
        double x = cs_log(cl / c_ref / (p->firms.alpha * cs_price(sim, s, c))) - cs_phi(sim, s, c);
        double as = l->asset[(int64_t)s * nc + c];
        sum[a * S + s] += x, cnt[a * S + s] += 1, asum[a * S + s] += as;
        reg[r * S + s] += x, rcnt[r * S + s] += 1, areg[r * S + s] += as;
        nat[s] += x, ncnt[s] += 1, anat[s] += as;
    }
    for (int32_t c = 0; c < nc; c++) {
        int a = l->area[c], r = l->region[c];
        if (!l->land[c] || a < 0 || r < 0) continue;
        for (int s = 0; s < S; s++) {
            if (ncnt[s] == 0) continue;
            double m = nat[s] / ncnt[s], ma = anat[s] / ncnt[s];
            if (cnt[a * S + s] > 0)
                m = sum[a * S + s] / cnt[a * S + s], ma = asum[a * S + s] / cnt[a * S + s];
            else if (rcnt[r * S + s] > 0)
                m = reg[r * S + s] / rcnt[r * S + s], ma = areg[r * S + s] / rcnt[r * S + s];
            l->fund[(int64_t)s * nc + c] = m - nat[s] / ncnt[s];
            l->fund_asset[(int64_t)s * nc + c] = -ma;
        }
    }
    free(sum);
    free(cnt);
    free(asum);
}

/* The workers at a scale: their number never changes in a run (demographics replaces each
 * one who leaves). */
int32_t cs_population_workers(const cs_params *p) {
    int32_t n = (int32_t)llround(UK_WORKERS * p->scale);
    return n < 10 ? 10 : n;
}

void cs_population_alloc(cs_sim *sim) {
    const int32_t nworkers = cs_population_workers(&sim->par);
    cs_workers *Wk = &sim->workers;
    Wk->n = nworkers;
    Wk->home = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->employer = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->hired = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->unemp = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    Wk->skill = cs_xcalloc((size_t)nworkers, sizeof(float));
    Wk->graduate = cs_xcalloc((size_t)nworkers, sizeof(uint8_t));
    sim->wi.worker = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    cs_buffers *b = sim->buf;
    b->w_choice = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    b->w_order = cs_xcalloc((size_t)nworkers, sizeof(int32_t));
    b->w_app = cs_xcalloc((size_t)nworkers, sizeof(cs_applicant));
    b->w_search = cs_xcalloc((size_t)nworkers, sizeof(uint8_t));
    b->w_unemp = cs_xcalloc(((size_t)nworkers + 63) / 64, sizeof(uint64_t));
}

void cs_population_init(cs_sim *sim) {
    const cs_params *p = &sim->par;
    cs_landscape *l = &sim->land;
    int32_t nc = l->ncell;
    int32_t nworkers = cs_population_workers(p);
    int32_t nfirms = (int32_t)llround(UK_FIRMS * p->scale);
    if (nfirms < 1) nfirms = 1;

    /* population CDF over cells and sector shares */
    double *popcdf = cs_xcalloc((size_t)nc, sizeof(double));
    double acc = 0;
    for (int32_t c = 0; c < nc; c++) popcdf[c] = (acc += l->land[c] ? l->pop_weight[c] : 0.0);
    double scdf[CS_MAX_SECTORS], sacc = 0;
    for (int s = 0; s < sim->S; s++) scdf[s] = (sacc += p->sectors.share[s]);

    /* firm sizes: Pareto with tail size_tail, rescaled so the firms employ the initially
     * employed share of the labour force */
    double *size = cs_xcalloc((size_t)nfirms, sizeof(double));
    double a = p->firms.size_tail, tot = 0;
    int32_t employed = (int32_t)llround(nworkers * (1.0 - p->workers.unemployed0));
    /* truncated so that the largest firm holds at most size_cap of the employed: with a tail
     * exponent near 1 an untruncated draw over a few thousand firms can give one firm most of
     * the workforce. The raw cap X solves X = size_cap x nfirms x E[size | size <= X]. */
    double xmax = 2.0;
    for (int it = 0; it < 50; it++) {
        double m = fabs(a - 1.0) < 1e-9
                       ? cs_log(xmax) / (1.0 - 1.0 / xmax)
                       : a / (a - 1.0) * (1.0 - cs_pow(xmax, 1.0 - a)) / (1.0 - cs_pow(xmax, -a));
        double next = p->firms.size_cap * nfirms * m;
        xmax = next > 2.0 ? next : 2.0;
    }
    double tail = 1.0 - cs_pow(xmax, -a); /* CDF of the Pareto(1, a) at xmax */
    const cs_rng_key fkey = cs_rng_key_make((uint64_t)p->seed, 0, CS_PH_INIT_FIRMS);
    for (int32_t i = 0; i < nfirms; i++) {
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, fkey, (uint64_t)i);
        size[i] = cs_pow(1.0 - tail * cs_pcg32_uniform(&rng), -1.0 / a);
        tot += size[i];
    }
    cs_firms_reserve(sim, nfirms * 2 + 1024);
    cs_firms *F = &sim->firms;
    int32_t *fsize = cs_xcalloc((size_t)nfirms, sizeof(int32_t));
    int32_t placed = 0;
    for (int32_t i = 0; i < nfirms; i++) {
        int32_t n = (int32_t)floor(size[i] / tot * employed + 0.5);
        if (n < 1) n = 1;
        if (placed + n > employed) n = employed - placed > 1 ? employed - placed : 1;
        fsize[i] = n;
        placed += n;
    }
    if (placed > nworkers) placed = nworkers;

    /* the real start: each firm's region and sector from the data (see above) */
    const int real = strcmp(p->landscape.initial_sectors, "real") == 0;
    int *bucket = NULL, k_of[CS_MAX_SECTORS] = {0};
    real_cells rcells;
    if (real) {
        int32_t quota[NB];
        data_sectors(sim, k_of);
        real_quotas(sim, k_of, placed, quota);
        bucket = cs_xcalloc((size_t)nfirms, sizeof *bucket);
        real_buckets(sim, nfirms, fsize, quota, bucket);
        real_cells_build(sim, k_of, &rcells);
    }

    /* workers: the employed live near their firm, the rest where people live */
    cs_workers *Wk = &sim->workers;
    cs_population_alloc(sim);

    /* The firms' draws in parallel, each firm from its own streams, keeping the first where
     * its workers' draws continue; the firms then appended in order; then the workers of all
     * firms in parallel: firm i's are workers wstart[i] .. wstart[i + 1] - 1, drawn from its
     * stream in the same order as one serial pass. */
    cs_pcg32 *frng = cs_xcalloc((size_t)nfirms, sizeof *frng);
    int32_t *wstart = cs_xcalloc((size_t)nfirms + 1, sizeof *wstart);
    int32_t *fcell = cs_xcalloc((size_t)nfirms, sizeof *fcell);
    int32_t *fsec = cs_xcalloc((size_t)nfirms, sizeof *fsec);
    int32_t *fbirth = cs_xcalloc((size_t)nfirms, sizeof *fbirth);
    const cs_rng_key rkey = cs_rng_key_make((uint64_t)p->seed, 3, CS_PH_INIT_FIRMS);
#pragma omp parallel for schedule(guided) if (nfirms >= CS_PAR_MIN)
    for (int32_t i = 0; i < nfirms; i++) {
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, fkey, (uint64_t)i);
        (void)cs_pcg32_uniform_pos(&rng); /* the size draw */
        int32_t c = cs_cdf_pick(popcdf, nc, cs_pcg32_uniform(&rng));
        int s = cs_cdf_pick(scdf, sim->S, cs_pcg32_uniform(&rng));
        if (real) {
            cs_pcg32 r2;
            cs_rng_stream_keyed(&r2, rkey, (uint64_t)i);
            s = bucket[i] % sim->S;
            int32_t rc = real_cell(l, &rcells, bucket[i] / sim->S, k_of[s], cs_pcg32_uniform(&r2));
            if (rc >= 0) c = rc;
        }
        fcell[i] = c;
        fsec[i] = s;
        /* an age drawn up to 20 years, so the initial firms are not all newborn */
        fbirth[i] = -(int32_t)cs_pcg32_bounded(&rng, 80);
        frng[i] = rng;
    }
    int32_t j = 0;
    for (int32_t i = 0; i < nfirms; i++) {
        int32_t f = cs_firm_new(sim, fcell[i], fsec[i], CS_ORIGIN_INITIAL, -1, 1.0, 0.0);
        assert(f == i); /* the first firms of the run: firm i is initial firm i */
        F->birth[f] = fbirth[i];
        wstart[i] = j;
        j = fsize[i] < nworkers - j ? j + fsize[i] : nworkers;
    }
    wstart[nfirms] = j;
    free(fcell);
    free(fsec);
    free(fbirth);
    const cs_bound span = cs_cell_span(0.5 * p->labour.rc);
#pragma omp parallel for schedule(dynamic, 256) if (nworkers >= CS_PAR_MIN)
    for (int32_t i = 0; i < nfirms; i++) {
        cs_pcg32 rng = frng[i];
        const int32_t c = sim->firms.cell[i];
        for (int32_t k = wstart[i]; k < wstart[i + 1]; k++) {
            int32_t h = cs_random_cell_in(l, &rng, c, 0.5 * p->labour.rc, &span);
            Wk->home[k] = h >= 0 && cs_pcg32_uniform(&rng) < 0.7 ? h : c;
            Wk->employer[k] = i;
            Wk->hired[k] = -(int32_t)cs_pcg32_bounded(&rng, 40);
        }
    }
    free(frng);
    free(wstart);
    const cs_rng_key ukey = cs_rng_key_make((uint64_t)p->seed, 0, CS_PH_INIT_WORKERS);
#pragma omp parallel for schedule(guided) if (nworkers >= CS_PAR_MIN)
    for (int32_t w = j; w < nworkers; w++) {
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, ukey, (uint64_t)w);
        Wk->home[w] = cs_cdf_pick(popcdf, nc, cs_pcg32_uniform(&rng));
        Wk->employer[w] = -1;
        Wk->unemp[w] = (int32_t)cs_pcg32_bounded(&rng, 4);
    }
    const cs_rng_key skey = cs_rng_key_make((uint64_t)p->seed, 1, CS_PH_INIT_WORKERS);
#pragma omp parallel for schedule(guided) if (nworkers >= CS_PAR_MIN)
    for (int32_t w = 0; w < nworkers; w++) {
        cs_pcg32 rng;
        cs_rng_stream_keyed(&rng, skey, (uint64_t)w);
        double h = p->workers.skill_mean + p->workers.skill_sd * cs_pcg32_normal(&rng);
        Wk->skill[w] = (float)(h < CS_SKILL_MIN ? CS_SKILL_MIN : (h > 1.0 ? 1.0 : h));
    }
    free(size);
    free(fsize);
    free(popcdf);
    if (real) {
        free(bucket);
        real_cells_free(&rcells);
    }

    /* capacities from the initial jobs and residents (full scale): each the sum, in worker
     * order, of 1 / scale for each of the cell's jobs or residents, which depends on their
     * count only; so the counts by cell in parallel (integers), then the sums */
    double *jobs = cs_xcalloc((size_t)nc, sizeof(double)),
           *res = cs_xcalloc((size_t)nc, sizeof(double));
    {
        const int nt = nworkers >= CS_PAR_MIN ? omp_get_max_threads() : 1;
        int32_t *cnt = cs_xcalloc(2 * (size_t)nc * (size_t)nt, sizeof *cnt);
#pragma omp parallel num_threads(nt)
        {
            int32_t *nres = cnt + 2 * (size_t)nc * (size_t)omp_get_thread_num(), *njob = nres + nc;
#pragma omp for schedule(static)
            for (int32_t w = 0; w < nworkers; w++) {
                nres[Wk->home[w]]++;
                if (Wk->employer[w] >= 0) njob[F->cell[Wk->employer[w]]]++;
            }
        }
        const double inv = 1.0 / p->scale;
#pragma omp parallel for schedule(guided) if (nc >= CS_PAR_MIN)
        for (int32_t c = 0; c < nc; c++) {
            int64_t kr = 0, kj = 0;
            for (int t = 0; t < nt; t++) {
                kr += cnt[2 * (size_t)nc * (size_t)t + (size_t)c];
                kj += cnt[2 * (size_t)nc * (size_t)t + (size_t)nc + (size_t)c];
            }
            res[c] = repeated_sum(inv, kr);
            jobs[c] = repeated_sum(inv, kj);
        }
        free(cnt);
    }
    for (int32_t c = 0; c < nc; c++) {
        double land = l->land[c] ? 1.0 : 0.0;
        l->K[c] = jobs[c] * (1.0 + p->land.headroom) + p->land.floor_jobs * land;
        l->Kh[c] = res[c] * (1.0 + p->land.headroom) + p->land.floor_homes * land;
    }
    memcpy(l->K0, l->K, (size_t)nc * sizeof *l->K0);
    memcpy(l->Kh0, l->Kh, (size_t)nc * sizeof *l->Kh0);
    free(jobs);
    free(res);

    /* wages start at the fixed point of the wage rule at optimal size, w_f = omega c_L =
     * omega (wbar + r phi / hbar_f), where wbar is itself the local mean of the w_f, so that
     * the first steps are not a jolt: optimal size goes as c_L^(-1/(1-alpha)), and a local
     * mean wage 15% off the fixed point halves it, so a whole town's firms would lay off half
     * their workers in the first step (one pass from w = omega r phi / (hbar (1 - omega)) was
     * 15-25% off around large high-rent firms at scale 0.2 and above). */
    cs_fields_compute(sim);
    double om = p->firms.omega;
    for (int32_t i = 0; i < F->n; i++) {
        double hb = firm_hbar(sim, i);
        double w = om * sim->f.rent[F->cell[i]] * p->firms.phi_space / hb / (1.0 - om);
        F->w[i] = w > p->labour.w_min ? w : p->labour.w_min;
    }
    cs_fields_wbar(sim, 0);
    converge_wages(sim);
    cs_fields_compute(sim);

    if (real && strcmp(p->landscape.fundamentals, "fitted") == 0) fit_fundamentals(sim);

    /* productivity: A such that the firm's current effective labour is its optimal size */
    double alpha = p->firms.alpha;
    for (int32_t i = 0; i < F->n; i++) {
        int32_t c = F->cell[i];
        int s = F->sector[i];
        double phi = cs_phi(sim, s, c);
        double H = F->H[i] > 0 ? F->H[i] : p->workers.skill_mean;
        double hbar = firm_hbar(sim, i);
        F->A[i] = cs_unit_labour_cost(sim, c, hbar) * cs_pow(H, 1.0 - alpha) /
                  (alpha * cs_price(sim, s, c) * cs_exp(phi));
        F->phi[i] = phi;
        F->Y[i] =
            F->H[i] > 0 ? cs_price(sim, s, c) * F->A[i] * cs_exp(phi) * cs_pow(F->H[i], alpha) : 0;
        double w = F->H[i] > 0 ? om * alpha * F->Y[i] / F->H[i] : p->labour.w_min;
        F->w[i] = w > p->labour.w_min ? w : p->labour.w_min;
        F->cash[i] = p->firms.seed_capital * cs_fixed_cost(sim, c);
    }
    /* the frontier and national means now reflect the calibrated productivities */
    cs_fields_compute(sim);
    cs_tradable_prices(sim, 1);
}
