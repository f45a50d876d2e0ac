/* live.c: the live terminal map and the JSON-lines stream of a run (see live.h). Reads the state
 * only; all buffers are sized once in cs_live_open. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "mathlib.h"
#include "progress.h"
#include "window.h"

/* Smallest window the map is drawn in; a smaller one shows a message instead. */
#define MIN_COLS    40
#define MIN_ROWS    12
#define HEADER_ROWS 1

/* Sequential ramp (256-colour indices), dark to bright, and the colours of sea and empty land. */
static const int ramp[] = {24, 30, 36, 72, 114, 149, 185, 221, 226};
#define NRAMP    ((int)(sizeof ramp / sizeof ramp[0]))
#define COL_SEA  17
#define COL_LAND 238
/* Categorical colours of sectors on the cluster map (cycled beyond 8 sectors). */
static const int sector_col[] = {33, 170, 208, 226, 201, 46, 250, 51};

/* One line of the side panel: an optional colour swatch and text. */
typedef struct panel_line {
    int swatch; /* 256-colour index, -1 none */
    char text[96];
} panel_line;

#define PANEL_MAX 64

struct cs_live {
    cs_live_opts o;
    int field, sector; /* enum cs_live_field; sector index for CS_LIVE_SECTOR */
    int W, H, S;
    size_t nc;
    int32_t *cnt;             /* employed agents by workplace cell [nc] */
    int32_t *scnt;            /* by sector and cell [S][nc] */
    double *es;               /* one sector's employment by cell, full scale [nc] */
    double *ecell;            /* employment by cell, full scale [nc] */
    double *esbar;            /* window averages [nc] */
    double *ebar;             /* [nc] */
    double *sat;              /* cs_window_avg work space */
    double *best;             /* employment of the sector whose cluster owns a cell [nc] */
    int16_t *clus;            /* sector of the cluster a cell is in, -1 none [nc] */
    double *block;            /* downsampled values [nc] */
    int16_t *bcat;            /* downsampled categories [nc] */
    uint8_t *bland;           /* downsampled land [nc] */
    struct panel_line *panel; /* the side panel of one frame */
    char *buf;                /* one terminal frame */
    size_t cap, len;
    int drawn;    /* the terminal was cleared and the cursor hidden */
    double next;  /* cs_wall_seconds() before which the next redraw waits (o.fps) */
    int json_err; /* the stream failed: stop writing it */
    int started;  /* the "start" line is written (at the first step shown, 0 or a resume's) */
};

int cs_live_parse_field(const cs_params *par, const char *name, int *field, int *sector) {
    *sector = 0;
    if (!name || !*name || strcmp(name, "employment") == 0)
        *field = CS_LIVE_EMPLOYMENT;
    else if (strcmp(name, "rent") == 0)
        *field = CS_LIVE_RENT;
    else if (strcmp(name, "clusters") == 0)
        *field = CS_LIVE_CLUSTERS;
    else {
        for (int s = 0; s < par->sectors.n; s++)
            if (strcmp(name, par->sectors.names[s]) == 0) {
                *field = CS_LIVE_SECTOR;
                *sector = s;
                return 0;
            }
        return -1;
    }
    return 0;
}

cs_live *cs_live_open(const cs_live_opts *o, const cs_sim *sim) {
    cs_live *lv = calloc(1, sizeof *lv);
    if (!lv) return NULL;
    lv->o = *o;
    if (lv->o.every < 1) lv->o.every = 1;
    if (cs_live_parse_field(&sim->par, o->field, &lv->field, &lv->sector)) lv->field = 0;
    lv->W = sim->land.W;
    lv->H = sim->land.H;
    lv->S = sim->S;
    lv->nc = (size_t)lv->W * (size_t)lv->H;
    size_t nc = lv->nc;
    lv->cnt = malloc(nc * sizeof *lv->cnt);
    lv->scnt = malloc(nc * (size_t)lv->S * sizeof *lv->scnt);
    lv->es = malloc(nc * sizeof *lv->es);
    lv->ecell = malloc(nc * sizeof *lv->ecell);
    lv->esbar = malloc(nc * sizeof *lv->esbar);
    lv->ebar = malloc(nc * sizeof *lv->ebar);
    lv->sat = malloc(CS_WINDOW_SAT_LEN(lv->W, lv->H) * sizeof *lv->sat);
    lv->best = malloc(nc * sizeof *lv->best);
    lv->clus = malloc(nc * sizeof *lv->clus);
    lv->block = malloc(nc * sizeof *lv->block);
    lv->bcat = malloc(nc * sizeof *lv->bcat);
    lv->bland = malloc(nc);
    /* a frame: at most ~40 bytes of escapes per character of a generous window */
    lv->cap = 64 * 1024 + (size_t)lv->W * (size_t)lv->H * 48;
    lv->buf = malloc(lv->cap);
    lv->panel = malloc(PANEL_MAX * sizeof(struct panel_line));
    if (!lv->cnt || !lv->scnt || !lv->es || !lv->ecell || !lv->esbar || !lv->ebar || !lv->sat ||
        !lv->best || !lv->clus || !lv->block || !lv->bcat || !lv->bland || !lv->buf || !lv->panel) {
        cs_live_close(lv, NULL, 0);
        return NULL;
    }
    return lv;
}

int cs_live_on_terminal(const cs_live *lv) {
    return lv && lv->o.term;
}

/* ---- the state, read ---- */

/* Employed agents by workplace cell and by sector, as output.c's snapshots count them. */
static void count_employment(cs_live *lv, const cs_sim *sim) {
    const cs_firms *f = &sim->firms;
    const cs_workers *w = &sim->workers;
    memset(lv->cnt, 0, lv->nc * sizeof *lv->cnt);
    memset(lv->scnt, 0, lv->nc * (size_t)lv->S * sizeof *lv->scnt);
    for (int32_t i = 0; i < w->n; i++) {
        int32_t e = w->employer[i];
        if (e < 0 || e >= f->n) continue;
        int32_t c = f->cell[e];
        if (c < 0 || (size_t)c >= lv->nc) continue;
        lv->cnt[c]++;
        if (f->sector[e] < lv->S) lv->scnt[(size_t)f->sector[e] * lv->nc + (size_t)c]++;
    }
}

/* Cluster cells by the definition of MODEL.md section 7 (as metrics.c applies it): smoothed
 * location quotient >= lq_min and smoothed sector employment x window area >= e_min. A cell in
 * clusters of several sectors is shown as the sector with most employment there. */
static void find_clusters(cs_live *lv, const cs_sim *sim) {
    const size_t nc = lv->nc;
    const int rk = sim->par.land.rk;
    const double sc = sim->scale;
    double E_tot = 0.0;
    for (size_t c = 0; c < nc; c++) {
        lv->ecell[c] = lv->cnt[c] / sc;
        E_tot += lv->ecell[c];
        lv->clus[c] = -1;
        lv->best[c] = -1.0;
    }
    cs_window_avg(lv->ecell, lv->W, lv->H, rk, lv->ebar, lv->sat);
    for (int s = 0; s < lv->S; s++) {
        double Es_tot = 0.0;
        const int32_t *sc_s = lv->scnt + (size_t)s * nc;
        for (size_t c = 0; c < nc; c++) {
            lv->es[c] = sc_s[c] / sc;
            Es_tot += lv->es[c];
        }
        double share = E_tot > 0.0 ? Es_tot / E_tot : 0.0;
        if (share <= 0.0) continue;
        cs_window_avg(lv->es, lv->W, lv->H, rk, lv->esbar, lv->sat);
        for (size_t c = 0; c < nc; c++) {
            if (cs_cluster_cell(&sim->par, lv->esbar[c], lv->ebar[c], share) &&
                lv->es[c] > lv->best[c]) {
                lv->best[c] = lv->es[c];
                lv->clus[c] = (int16_t)s;
            }
        }
    }
}

/* ---- JSON stream ---- */

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* A finite double, or null (JSON has no NaN). */
static void json_num(FILE *f, double v) {
    if (isfinite(v))
        fprintf(f, "%.9g", v);
    else
        fputs("null", f);
}

static void json_start(cs_live *lv, const cs_sim *sim) {
    FILE *f = lv->o.json;
    const cs_landscape *l = &sim->land;
    fputs("{\"type\":\"start\",\"scenario\":", f);
    json_str(f, sim->par.name);
    fprintf(f, ",\"steps\":%d,\"every\":%d,\"W\":%d,\"H\":%d,\"scale\":%.9g,\"seed\":%lld",
            sim->par.steps, lv->o.every, lv->W, lv->H, sim->par.scale, (long long)sim->par.seed);
    fputs(",\"sectors\":[", f);
    for (int s = 0; s < lv->S; s++) {
        if (s) fputc(',', f);
        json_str(f, sim->par.sectors.names[s]);
    }
    fputs("],\"cities\":[", f);
    for (int i = 0; i < l->n_cities; i++) {
        fprintf(f, "%s{\"name\":", i ? "," : "");
        json_str(f, l->cities[i].name);
        fprintf(f, ",\"x\":%d,\"y\":%d,\"population\":%.6g}", l->cities[i].x, l->cities[i].y,
                l->cities[i].pop);
    }
    fputs("],\"land\":[", f);
    for (size_t c = 0; c < lv->nc; c++) fprintf(f, c ? ",%d" : "%d", l->land[c]);
    fputs(
        "],\"units\":{\"employment\":\"workers (full scale)\",\"rent\":\"2018 pounds per job-space "
        "per step\",\"output\":\"2018 pounds per step (full scale)\",\"unemployment_rate\":"
        "\"fraction\",\"eg_index\":\"Ellison-Glaeser index\",\"map_count\":\"agents; "
        "multiply by 1/scale for full-scale workers\"}}\n",
        f);
}

static void json_series(cs_live *lv, const cs_sim *sim, const cs_metrics *m, const char *type) {
    FILE *f = lv->o.json;
    fprintf(f, "{\"type\":\"%s\",\"step\":%d,\"year\":", type, sim->step);
    json_num(f, m->ts[CS_TS_YEAR]);
    fputs(",\"employment\":", f);
    json_num(f, m->ts[CS_TS_EMPLOYMENT]);
    fputs(",\"unemployment_rate\":", f);
    json_num(f, m->ts[CS_TS_UNEMPLOYMENT_RATE]);
    fputs(",\"output\":", f);
    json_num(f, m->ts[CS_TS_OUTPUT]);
    fputs(",\"spending\":", f); /* public spending this step, what a policy costs */
    json_num(f, m->ts[CS_TS_SPENDING]);
    fputs(",\"eg_index\":[", f);
    for (int s = 0; s < lv->S; s++) {
        if (s) fputc(',', f);
        json_num(f, m->sec[CS_SEC_EG_INDEX][s]);
    }
    fputs("],\"cluster_count\":[", f);
    for (int s = 0; s < lv->S; s++)
        fprintf(f, s ? ",%.0f" : "%.0f", m->sec[CS_SEC_CLUSTER_COUNT][s]);
    fputc(']', f);
}

/* Maps list land cells only, in cell order (the "start" line's land mask places them): sea cells
 * are empty and would double the stream. */
static void json_frame(cs_live *lv, const cs_sim *sim, const cs_metrics *m) {
    FILE *f = lv->o.json;
    const uint8_t *land = sim->land.land;
    json_series(lv, sim, m, "frame");
    fputs(",\"employment_map\":[", f);
    const char *sep = "";
    for (size_t c = 0; c < lv->nc; c++)
        if (land[c]) {
            fprintf(f, "%s%d", sep, lv->cnt[c]);
            sep = ",";
        }
    fputs("],\"sector_map\":[", f);
    for (int s = 0; s < lv->S; s++) {
        fputs(s ? ",[" : "[", f);
        const int32_t *p = lv->scnt + (size_t)s * lv->nc;
        sep = "";
        for (size_t c = 0; c < lv->nc; c++)
            if (land[c]) {
                fprintf(f, "%s%d", sep, p[c]);
                sep = ",";
            }
        fputc(']', f);
    }
    fputs("],\"rent_map\":[", f);
    sep = "";
    for (size_t c = 0; c < lv->nc; c++)
        if (land[c]) {
            fprintf(f, "%s%.4g", sep, sim->f.rent ? sim->f.rent[c] : 0.0);
            sep = ",";
        }
    fputs("],\"cluster_map\":[", f);
    sep = "";
    for (size_t c = 0; c < lv->nc; c++)
        if (land[c]) {
            fprintf(f, "%s%d", sep, lv->clus[c]);
            sep = ",";
        }
    fputs("]}\n", f);
}

/* ---- terminal ---- */

static void put(cs_live *lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(cs_live *lv, const char *fmt, ...) {
    if (lv->len >= lv->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(lv->buf + lv->len, lv->cap - lv->len, fmt, ap);
    va_end(ap);
    if (n > 0) lv->len += (size_t)n < lv->cap - lv->len ? (size_t)n : lv->cap - lv->len - 1;
}

/* 12.3k, 4.56M: a count in a few characters. */
static void human(char *b, size_t n, double v) {
    const char *u = "";
    double a = fabs(v);
    if (a >= 1e9) {
        v /= 1e9;
        u = "G";
    } else if (a >= 1e6) {
        v /= 1e6;
        u = "M";
    } else if (a >= 1e3) {
        v /= 1e3;
        u = "k";
    }
    snprintf(b, n, fabs(v) >= 100 || !*u ? "%.0f%s" : "%.3g%s", v, u);
}

/* Thresholds of the colour ramp: workers per cell (full scale) or rent per job-space. */
static void thresholds(const cs_live *lv, const cs_sim *sim, double *t) {
    if (lv->field == CS_LIVE_RENT) {
        double r0 = sim->par.land.r0;
        static const double k[NRAMP] = {0.0, 1.05, 1.1, 1.2, 1.35, 1.5, 1.75, 2.0, 2.5};
        for (int i = 0; i < NRAMP; i++) t[i] = r0 * k[i];
    } else { /* a log scale of full-scale workers per cell, fixed so colours compare over time */
        double base = lv->field == CS_LIVE_SECTOR ? 100.0 : 300.0;
        t[0] = 0.0;
        for (int i = 1; i < NRAMP; i++) t[i] = base * cs_pow(3.0, i - 1);
    }
}

static int colour_of(double v, const double *t) {
    int k = 0;
    while (k + 1 < NRAMP && v >= t[k + 1]) k++;
    return ramp[k];
}

/* Downsamples the grid by factor fct into mw x mh blocks: a sum per land cell for employment,
 * a mean for rent, the most frequent cluster sector for clusters. */
static void downsample(cs_live *lv, const cs_sim *sim, int fct, int mw, int mh) {
    const int W = lv->W, H = lv->H;
    const double sc = sim->scale;
    for (int by = 0; by < mh; by++)
        for (int bx = 0; bx < mw; bx++) {
            double sum = 0.0;
            int nland = 0, votes[CS_MAX_SECTORS] = {0}, any = 0;
            for (int y = by * fct; y < (by + 1) * fct && y < H; y++)
                for (int x = bx * fct; x < (bx + 1) * fct && x < W; x++) {
                    size_t c = (size_t)y * W + x;
                    if (!sim->land.land[c]) continue;
                    nland++;
                    if (lv->field == CS_LIVE_EMPLOYMENT)
                        sum += lv->cnt[c] / sc;
                    else if (lv->field == CS_LIVE_SECTOR)
                        sum += lv->scnt[(size_t)lv->sector * lv->nc + c] / sc;
                    else if (lv->field == CS_LIVE_RENT)
                        sum += sim->f.rent ? sim->f.rent[c] : 0.0;
                    else if (lv->clus[c] >= 0) {
                        votes[lv->clus[c]]++;
                        any = 1;
                    }
                }
            size_t b = (size_t)by * mw + bx;
            lv->bland[b] = nland > 0;
            lv->block[b] = nland ? sum / nland : 0.0;
            int cat = -1;
            if (any)
                for (int s = 0; s < lv->S; s++)
                    if (votes[s] && (cat < 0 || votes[s] > votes[cat])) cat = s;
            lv->bcat[b] = (int16_t)cat;
        }
}

static int block_colour(const cs_live *lv, int bx, int by, int mw, int mh, const double *t) {
    if (bx >= mw || by >= mh) return -1; /* outside the map: the terminal's own background */
    size_t b = (size_t)by * mw + bx;
    if (!lv->bland[b]) return COL_SEA;
    if (lv->field == CS_LIVE_CLUSTERS)
        return lv->bcat[b] >= 0 ? sector_col[lv->bcat[b] % 8] : COL_LAND;
    if (lv->block[b] <= 0.0) return COL_LAND;
    return colour_of(lv->block[b], t);
}

static void field_name(const cs_live *lv, const cs_sim *sim, char *b, size_t n) {
    if (lv->field == CS_LIVE_EMPLOYMENT)
        snprintf(b, n, "employment");
    else if (lv->field == CS_LIVE_SECTOR)
        snprintf(b, n, "%s employment", sim->par.sectors.names[lv->sector]);
    else if (lv->field == CS_LIVE_RENT)
        snprintf(b, n, "rent");
    else
        snprintf(b, n, "clusters");
}

/* Ends a line: reset colours, clear to the end of the line. */
static void eol(cs_live *lv) {
    put(lv, "\033[0m\033[K\r\n");
}

static void panel_add(panel_line *p, int *n, int swatch, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void panel_add(panel_line *p, int *n, int swatch, const char *fmt, ...) {
    if (*n >= PANEL_MAX) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p[*n].text, sizeof p[*n].text, fmt, ap);
    va_end(ap);
    p[(*n)++].swatch = swatch;
}

/* Unique one-letter marks for the largest cities that fit on the map apart from each other: the
 * initial, or the next letter of the name when a larger city has that one. */
static int city_marks(const cs_landscape *l, int fct, int mw, int map_rows, int *id, int *cx,
                      int *cy, char *mark, int maxn) {
    int order[64], nc = l->n_cities < 64 ? l->n_cities : 64, n = 0;
    for (int i = 0; i < nc; i++) order[i] = i;
    for (int i = 1; i < nc; i++) /* insertion sort by population, descending */
        for (int j = i; j > 0 && l->cities[order[j]].pop > l->cities[order[j - 1]].pop; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int k = 0; k < nc && n < maxn; k++) {
        const cs_city *ct = &l->cities[order[k]];
        int x = ct->x / fct, y = ct->y / fct / 2, clash = 0;
        if (x >= mw || y >= map_rows) continue;
        for (int j = 0; j < n; j++)
            if (abs(cx[j] - x) <= 1 && cy[j] == y) clash = 1;
        if (clash) continue;
        char ch = 0;
        for (const char *p = ct->name; *p && !ch; p++) {
            char u = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
            if (u < 'A' || u > 'Z') continue;
            int used = 0;
            for (int j = 0; j < n; j++) used |= mark[j] == u;
            if (!used) ch = u;
        }
        if (!ch) continue;
        id[n] = order[k];
        cx[n] = x;
        cy[n] = y;
        mark[n++] = ch;
    }
    return n;
}

static void draw(cs_live *lv, const cs_sim *sim, const cs_metrics *m) {
    struct winsize ws;
    int cols = 80, rows = 24;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
        cols = ws.ws_col;
        rows = ws.ws_row;
    }
    lv->len = 0;
    if (!lv->drawn) put(lv, "\033[?25l\033[2J"); /* hide the cursor, clear once */
    lv->drawn = 1;
    put(lv, "\033[H");
    char fname[64], a[32], line[256];
    field_name(lv, sim, fname, sizeof fname);
    snprintf(line, sizeof line, "clustersim live: %s  step %d/%d  year %.1f", sim->par.name,
             sim->step, sim->par.steps, m->ts[CS_TS_YEAR]);
    put(lv, "\033[1m%.*s", cols, line);
    eol(lv);
    if (cols < MIN_COLS || rows < MIN_ROWS) {
        put(lv, "%.*s", cols, "window too small for the map");
        eol(lv);
        snprintf(line, sizeof line, "(%dx%d; it needs %dx%d)", cols, rows, MIN_COLS, MIN_ROWS);
        put(lv, "%.*s", cols, line);
        eol(lv);
        put(lv, "\033[J");
        fwrite(lv->buf, 1, lv->len, stdout);
        fflush(stdout);
        return;
    }
    /* the map on the left, as large as the window allows with square cells (one column and half
     * a row each), the panel on its right with at least PANEL_MIN columns */
    const int map_rows = rows - HEADER_ROWS - 2, panel_min = 24; /* room for "wrote" */
    int fct = 1;
    while ((lv->W + fct - 1) / fct > cols - panel_min - 1 || (lv->H + fct - 1) / fct > 2 * map_rows)
        fct++;
    int mw = (lv->W + fct - 1) / fct, mh = (lv->H + fct - 1) / fct;
    int pw = cols - mw - 2; /* panel width */
    downsample(lv, sim, fct, mw, mh);
    double t[NRAMP];
    thresholds(lv, sim, t);
    const cs_landscape *l = &sim->land;
    int cid[16], cx[16], cy[16];
    char mark[16];

    panel_line *p = lv->panel;
    int np = 0;
    human(a, sizeof a, m->ts[CS_TS_EMPLOYMENT]);
    panel_add(p, &np, -1, "employment   %s", a);
    panel_add(p, &np, -1, "unemployment %.1f%%", 100.0 * m->ts[CS_TS_UNEMPLOYMENT_RATE]);
    human(a, sizeof a, m->ts[CS_TS_OUTPUT]);
    panel_add(p, &np, -1, "output       %s/quarter", a);
    panel_add(p, &np, -1, "clusters per sector:");
    if (lv->field == CS_LIVE_CLUSTERS) { /* one a line: the swatches are the legend */
        for (int s = 0; s < lv->S; s++)
            panel_add(p, &np, sector_col[s % 8], "%-15.15s %3.0f", sim->par.sectors.names[s],
                      m->sec[CS_SEC_CLUSTER_COUNT][s]);
    } else { /* packed, so the legend and the city marks fit in 24 rows */
        char buf[96] = "";
        int used = 0;
        for (int s = 0; s < lv->S; s++) {
            char item[40];
            int n = snprintf(item, sizeof item, "%s%.10s %.0f", used ? "  " : "",
                             sim->par.sectors.names[s], m->sec[CS_SEC_CLUSTER_COUNT][s]);
            if (used && (used + n > pw - 1 || used + n >= (int)sizeof buf)) {
                panel_add(p, &np, -1, "%s", buf);
                used = 0;
                n = snprintf(item, sizeof item, "%.10s %.0f", sim->par.sectors.names[s],
                             m->sec[CS_SEC_CLUSTER_COUNT][s]);
            }
            memcpy(buf + used, item, (size_t)n + 1);
            used += n;
        }
        if (used) panel_add(p, &np, -1, "%s", buf);
    }
    panel_add(p, &np, -1, "map: %s", fname);
    if (lv->field == CS_LIVE_CLUSTERS) {
        panel_add(p, &np, COL_LAND, "land, no cluster");
    } else {
        panel_add(p, &np, -1, "%s",
                  lv->field == CS_LIVE_RENT ? "(pounds/job-space/quarter)"
                                            : "(workers per cell, full scale)");
        for (int i = NRAMP - 1; i >= 0; i -= 2) {
            if (lv->field == CS_LIVE_RENT)
                snprintf(a, sizeof a, "%.3g", t[i]);
            else
                human(a, sizeof a, t[i]);
            panel_add(p, &np, ramp[i], "%s%s", i ? ">= " : "> ", a);
        }
        panel_add(p, &np, COL_LAND, "none");
    }
    panel_add(p, &np, COL_SEA, "sea");
    /* a city is marked on the map only where the panel has a row left to name it: a mark
     * without a key means nothing to a class */
    const int room = map_rows - np < 12 ? map_rows - np : 12;
    int ncity = room > 0 ? city_marks(l, fct, mw, map_rows, cid, cx, cy, mark, room) : 0;
    for (int j = 0; j < ncity; j++) panel_add(p, &np, -1, "%c %s", mark[j], l->cities[cid[j]].name);

    for (int r = 0; r < map_rows; r++) {
        int pf = -2, pb = -2;
        for (int x = 0; x < mw; x++) {
            int top = block_colour(lv, x, 2 * r, mw, mh, t);
            int bot = block_colour(lv, x, 2 * r + 1, mw, mh, t);
            int city = -1;
            for (int j = 0; j < ncity; j++)
                if (cx[j] == x && cy[j] == r) city = j;
            if (city >= 0) { /* bold white mark on the cell's colour */
                put(lv, "\033[1;38;5;231;48;5;%dm%c\033[22m", top < 0 ? 16 : top, mark[city]);
                pf = pb = -2;
                continue;
            }
            if (top != pf) put(lv, top < 0 ? "\033[39m" : "\033[38;5;%dm", top);
            if (bot != pb) put(lv, bot < 0 ? "\033[49m" : "\033[48;5;%dm", bot);
            pf = top;
            pb = bot;
            put(lv, top < 0 && bot < 0 ? " " : "\xe2\x96\x80");
        }
        put(lv, "\033[0m  ");
        if (r < np && pw > 2) {
            if (p[r].swatch >= 0)
                put(lv, "\033[38;5;%dm\xe2\x96\x88\033[0m %.*s", p[r].swatch, pw - 2, p[r].text);
            else
                put(lv, "%.*s", pw, p[r].text);
        }
        eol(lv);
    }
    put(lv, "\033[J");
    fwrite(lv->buf, 1, lv->len, stdout);
    fflush(stdout);
}

/* Waits until the next redraw is due (none for the first); a signal (Ctrl-C) cuts the wait
 * short, and the run then stops after its step as without --live. */
static void pace(cs_live *lv) {
    if (lv->o.fps <= 0) return;
    double now = cs_wall_seconds();
    if (lv->drawn && now < lv->next) {
        const double d = lv->next - now;
        struct timespec w = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
        nanosleep(&w, NULL);
        now = cs_wall_seconds();
    }
    lv->next = now + 1.0 / lv->o.fps;
}

/* The stream could not be written (a full disk, a file size limit, its reader gone): it stops
 * there, said once; the run goes on, since the run file is its result and the stream a view of
 * it. The stream then has no "end" line, so no reader takes it for complete. */
static void json_failed(cs_live *lv, int step) {
    const int e = errno;
    lv->json_err = 1;
    fprintf(stderr,
            "clustersim: warning: --live-json %s: cannot write at step %d (%s): the stream stops "
            "there; the run goes on\n",
            lv->o.json_name && strcmp(lv->o.json_name, "-") != 0 ? lv->o.json_name : "(stdout)",
            step, e ? strerror(e) : "write error");
}

int cs_live_step(cs_live *lv, const cs_sim *sim, const cs_metrics *m) {
    int due = sim->step % lv->o.every == 0 || sim->step >= sim->par.steps;
    if (lv->o.json && !lv->json_err) {
        if (!lv->started) json_start(lv, sim); /* a resumed run's stream needs it too */
        lv->started = 1;
        if (!due) {
            json_series(lv, sim, m, "series");
            fputs("}\n", lv->o.json);
        }
    }
    if (due) {
        count_employment(lv, sim);
        if (lv->o.json || lv->field == CS_LIVE_CLUSTERS) find_clusters(lv, sim);
        if (lv->o.json && !lv->json_err) json_frame(lv, sim, m);
        if (lv->o.term) {
            pace(lv);
            draw(lv, sim, m);
        }
    }
    if (lv->o.json && !lv->json_err && (fflush(lv->o.json) != 0 || ferror(lv->o.json)))
        json_failed(lv, sim->step);
    return lv->json_err ? -1 : 0;
}

void cs_live_restore(cs_live *lv) {
    if (lv && lv->drawn) {
        fputs("\033[0m\033[?25h", stdout); /* cursor back; it is on the line below the frame */
        fflush(stdout);
        lv->drawn = 0;
    }
}

void cs_live_close(cs_live *lv, const cs_sim *sim, int complete) {
    if (!lv) return;
    cs_live_restore(lv);
    if (sim && lv->o.json && !lv->json_err) {
        fprintf(lv->o.json, "{\"type\":\"end\",\"step\":%d,\"complete\":%d}\n", sim->step,
                complete);
        if (fflush(lv->o.json) != 0 || ferror(lv->o.json)) json_failed(lv, sim->step);
    }
    free(lv->cnt);
    free(lv->scnt);
    free(lv->es);
    free(lv->ecell);
    free(lv->esbar);
    free(lv->ebar);
    free(lv->sat);
    free(lv->best);
    free(lv->clus);
    free(lv->block);
    free(lv->bcat);
    free(lv->bland);
    free(lv->buf);
    free(lv->panel);
    free(lv);
}
