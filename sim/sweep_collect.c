/* sweep_collect.c: DIR/sweep.h5, one row per run, from the run files and the status logs
 * (layout in docs/output.md "Sweep file"), and DIR/failed.log rewritten to the runs still failed.
 * Written under a temporary name and renamed, so two shards finishing together are harmless. */
#include <dirent.h>
#include <errno.h>
#include <hdf5.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "metrics.h"
#include "output.h"
#include "clustersim.h"
#include "sweep_sched.h"

enum { ST_MISSING = 0, ST_OK, ST_FAILED };
static const char *const status_names[] = {"missing", "ok", "failed"};

enum { M_EMP, M_OUT, M_PROD, M_UNEMP, M_INNOV, M_SPEND, M_EG, M_N };
static const char *const metric_names[M_N] = {"employment",        "output",
                                              "mean_productivity", "unemployment_rate",
                                              "innovations",       "spending_cumulative",
                                              "eg_tradable_mean"};
static const char *const series[M_SPEND + 1] = {
    "employment", "output", "mean_productivity", "unemployment_rate", "innovations", "spending"};
/* units and descriptions of /runs/final/<metric_names[m]> */
static const char *const metric_units[M_N] = {"workers (full scale)",
                                              "2018 pounds per step (full scale)",
                                              CS_PRODUCTIVITY_UNITS,
                                              "fraction",
                                              "innovations per step (full scale)",
                                              "2018 pounds (full scale)",
                                              "index"};
static const char *const metric_desc[M_N] = {
    "national employment at the run's last step (/timeseries/employment)",
    "national output at the last step (/timeseries/output)",
    "mean firm productivity, weighted by headcount, at the last step "
    "(/timeseries/mean_productivity)",
    "unemployment rate at the last step (/timeseries/unemployment_rate)",
    "innovations in the last step (/timeseries/innovations)",
    "policy spending summed over the run (/timeseries/spending)",
    "mean over the tradable sectors of the Ellison-Glaeser index at the last step"};

typedef struct row {
    int status;
    double wall;
    char build[48]; /* the run file's git_hash: the build that made it ("" when not ok) */
    double m[M_N];
    double *eg; /* per tradable sector of the union, NaN where absent */
} row;

typedef struct status_ctx {
    const cs_sweep *sw;
    row *rows;
    char **reasons;
} status_ctx;

/* One status log (read_status). */
static int read_status_log(const char *path, const char *name, void *arg) {
    (void)name;
    const status_ctx *c = arg;
    FILE *in = fopen(path, "r");
    if (!in) return 0;
    char line[8192];
    while (fgets(line, sizeof line, in)) {
        char *save = NULL, *idx = strtok_r(line, "\t\n", &save);
        char *id = strtok_r(NULL, "\t\n", &save), *st = strtok_r(NULL, "\t\n", &save);
        char *wall = strtok_r(NULL, "\t\n", &save), *why = strtok_r(NULL, "\n", &save);
        if (!idx || !id || !st || !wall) continue;
        int r = atoi(idx);
        if (r < 0 || r >= c->sw->nrun || strcmp(c->sw->runs[r].id, id) != 0) continue;
        if (strcmp(st, "ok") == 0) {
            c->rows[r].wall = atof(wall);
            c->rows[r].status = ST_OK;
        } else {
            c->rows[r].status = ST_FAILED;
            free(c->reasons[r]);
            c->reasons[r] = strdup(why ? why : "");
        }
    }
    fclose(in);
    return 0;
}

/* The status logs: for each run the last attempt recorded, and the wall time of its last ok. */
static void read_status(const cs_sweep *sw, const char *dir, row *rows, char **reasons) {
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/status", dir);
    status_ctx c = {sw, rows, reasons};
    cs_sweep_each_entry(p, "", ".log", read_status_log, &c);
}

/* Reads dataset name of a run file: the last row (or the sum of all rows), or column col of the
 * last row of a 2-D dataset. NaN when absent. */
static double read_last(hid_t f, const char *name, int sum, int col) {
    double v = NAN;
    if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return v;
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0) return v;
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    int rank = H5Sget_simple_extent_ndims(sp);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    if (rank == 1 && dims[0] > 0) {
        double *buf = malloc(dims[0] * sizeof *buf);
        if (buf && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
            if (sum) {
                v = 0;
                for (hsize_t i = 0; i < dims[0]; i++) v += buf[i];
            } else {
                v = buf[dims[0] - 1];
            }
        }
        free(buf);
    } else if (rank == 2 && dims[0] > 0 && col >= 0 && (hsize_t)col < dims[1]) {
        hsize_t start[2] = {dims[0] - 1, (hsize_t)col}, count[2] = {1, 1};
        hid_t mem = H5Screate_simple(1, count, NULL);
        H5Sselect_hyperslab(sp, H5S_SELECT_SET, start, NULL, count, NULL);
        if (H5Dread(d, H5T_NATIVE_DOUBLE, mem, sp, H5P_DEFAULT, &v) < 0) v = NAN;
        H5Sclose(mem);
    }
    H5Sclose(sp);
    H5Dclose(d);
    return v;
}

/* A run file's root string attribute name into buf ("unknown" when absent or not a string). */
static void read_attr_str(hid_t f, const char *name, char *buf, size_t n) {
    char *v = cs_h5_attr_text(f, name);
    snprintf(buf, n, "%s", v ? v : "unknown");
    free(v);
}

static int read_run(const cs_sweep *sw, int r, const char *dir, int neg,
                    char (*eg_names)[CS_NAME_LEN], row *rw) {
    char rel[PATH_MAX], p[2 * PATH_MAX];
    cs_sweep_run_rel(sw, r, rel, sizeof rel);
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return -1;
    for (int m = 0; m <= M_SPEND; m++) {
        char name[128];
        snprintf(name, sizeof name, "/timeseries/%s", series[m]);
        rw->m[m] = read_last(f, name, m == M_SPEND, -1);
    }
    const cs_sweep_scenario *sc = &sw->scen[sw->runs[r].scen];
    double sum = 0;
    int nt = 0;
    for (int s = 0; s < sc->n_sectors; s++) {
        if (!sc->tradable[s]) continue;
        double eg = read_last(f, "/sectors/eg_index", 0, s);
        sum += eg;
        nt++;
        for (int q = 0; q < neg; q++)
            if (strcmp(eg_names[q], sc->sectors[s]) == 0) rw->eg[q] = eg;
    }
    rw->m[M_EG] = nt ? sum / nt : NAN;
    read_attr_str(f, "git_hash", rw->build, sizeof rw->build);
    H5Fclose(f);
    return 0;
}

/* ---------------------------------------------------------------- writing */

static hid_t str_type(void) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static int attr_str(hid_t loc, const char *name, const char *v);

/* A 1-D dataset of one value per run, with its units and description (as every dataset of a
 * run file has them). */
static int write_data(hid_t loc, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                      const void *data, const char *units, const char *desc) {
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int rc = d < 0 || (n > 0 && H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) ||
             attr_str(d, "units", units) || attr_str(d, "description", desc);
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    return rc;
}

static int write_strs(hid_t loc, const char *name, hsize_t n, const char *const *v,
                      const char *desc) {
    hid_t t = str_type();
    int rc = write_data(loc, name, t, t, n, v, "text", desc);
    H5Tclose(t);
    return rc;
}

static int write_f64(hid_t loc, const char *name, hsize_t n, const double *v, const char *units,
                     const char *desc) {
    return write_data(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, v, units, desc);
}

static int attr_strs(hid_t loc, const char *name, hsize_t n, const char *const *v, int scalar) {
    hid_t t = str_type();
    hid_t sp = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int rc = a < 0 || ((scalar || n > 0) && H5Awrite(a, t, v) < 0);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return rc;
}

static int attr_str(hid_t loc, const char *name, const char *v) {
    return attr_strs(loc, name, 1, &v, 1);
}

/* /runs/git_hash: the build of each ok run ("" for the others). */
static int write_builds(hid_t g, const row *rows, int n) {
    const char **b = calloc((size_t)n + 1, sizeof *b);
    if (!b) return 1;
    for (int r = 0; r < n; r++) b[r] = rows[r].build;
    int rc = write_strs(g, "git_hash", (hsize_t)n, b,
                        "the build (its git_hash) that made each ok run; empty for the others");
    free(b);
    return rc;
}

/* A folder whose runs were made by more than one build (a resubmission with a newer binary)
 * mixes outputs that may differ for the same config and seed: said on stderr, with how many
 * runs each build made (sweep.h5's /runs/git_hash says which). */
static void warn_mixed_builds(const char *dir, const row *rows, int n) {
    enum { SHOW = 4 };
    const char *seen[SHOW];
    int count[SHOW] = {0}, nb = 0, more = 0;
    for (int r = 0; r < n; r++) {
        if (rows[r].status != ST_OK) continue;
        int k = 0;
        while (k < nb && strcmp(seen[k], rows[r].build) != 0) k++;
        if (k == nb) {
            if (nb == SHOW) {
                more++;
                continue;
            }
            seen[nb++] = rows[r].build;
        }
        count[k]++;
    }
    if (nb + (more > 0) < 2) return;
    fprintf(stderr, "clustersim: warning: %s: the runs come from %s%d builds (", dir,
            more ? "more than " : "", nb);
    for (int k = 0; k < nb; k++)
        fprintf(stderr, "%s%s: %d run%s", k ? ", " : "", seen[k], count[k],
                count[k] == 1 ? "" : "s");
    fprintf(stderr,
            "%s); their results may differ for the same config and seed: sweep.h5's "
            "runs/git_hash says which made each, and removing the others' run files "
            "reruns them with this build\n",
            more ? ", ..." : "");
}

/* Removes the empty folders under p, deepest first (not p itself); returns whether p is left
 * with nothing in it. */
static int prune_empty(const char *p) {
    DIR *d = opendir(p);
    if (!d) return 0;
    int empty = 1;
    char q[PATH_MAX];
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        struct stat st;
        int n = snprintf(q, sizeof q, "%s/%s", p, e->d_name);
        if (n > 0 && (size_t)n < sizeof q && lstat(q, &st) == 0 && S_ISDIR(st.st_mode) &&
            prune_empty(q) && rmdir(q) == 0)
            continue;
        empty = 0;
    }
    closedir(d);
    return empty;
}

int cs_sweep_collect(const cs_sweep *sw, const char *dir, int quiet, int *left) {
    const int n = sw->nrun;
    if (left) *left = 0;
    /* tradable sectors of every scenario, in order of first appearance */
    char(*eg_names)[CS_NAME_LEN] = calloc((size_t)sw->nscen * CS_MAX_SECTORS + 1, CS_NAME_LEN);
    row *rows = calloc((size_t)n + 1, sizeof *rows);
    char **reasons = calloc((size_t)n + 1, sizeof *reasons);
    double *egbuf = NULL;
    if (!eg_names || !rows || !reasons) {
        free(eg_names), free(rows), free(reasons);
        return cs_cli_fail(1, "out of memory");
    }
    int neg = 0;
    for (int s = 0; s < sw->nscen; s++)
        for (int q = 0; q < sw->scen[s].n_sectors; q++) {
            if (!sw->scen[s].tradable[q]) continue;
            int seen = 0;
            for (int k = 0; k < neg; k++) seen |= strcmp(eg_names[k], sw->scen[s].sectors[q]) == 0;
            if (!seen) snprintf(eg_names[neg++], CS_NAME_LEN, "%s", sw->scen[s].sectors[q]);
        }
    egbuf = malloc(((size_t)n * (size_t)neg + 1) * sizeof *egbuf);
    if (!egbuf) {
        free(eg_names), free(rows), free(reasons);
        return cs_cli_fail(1, "out of memory");
    }
    for (int r = 0; r < n; r++) {
        rows[r].wall = NAN;
        rows[r].eg = egbuf + (size_t)r * (size_t)neg;
    }
    read_status(sw, dir, rows, reasons);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int nok = 0, nfailed = 0;
    for (int r = 0; r < n; r++) {
        row *rw = &rows[r];
        for (int m = 0; m < M_N; m++) rw->m[m] = NAN;
        for (int q = 0; q < neg; q++) rw->eg[q] = NAN;
        char why[256];
        const int state = cs_sweep_run_state(sw, r, dir, why, sizeof why);
        if (state == 1 && read_run(sw, r, dir, neg, eg_names, rw) != 0)
            snprintf(why, sizeof why, "run file unreadable");
        else if (state == 1) {
            rw->status = ST_OK;
            nok++;
            continue;
        }
        if (state != 0) { /* a file that is not this run's finished run: never its numbers */
            rw->status = ST_FAILED;
            free(reasons[r]);
            reasons[r] = strdup(why);
        } else if (rw->status == ST_OK) {
            rw->status = ST_MISSING; /* finished once, its file since removed */
            rw->wall = NAN;
        }
        if (rw->status == ST_FAILED) nfailed++;
    }

    char path[PATH_MAX], tmp[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/sweep.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    errno = 0; /* the system's reason for a failure below, not a stale one */
    hid_t f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    int bad = f < 0;
    const char **ids = calloc((size_t)n + 1, sizeof *ids),
               **scen = calloc((size_t)n + 1, sizeof *scen),
               **sfile = calloc((size_t)n + 1, sizeof *sfile),
               **st = calloc((size_t)n + 1, sizeof *st);
    char **files = calloc((size_t)n + 1, sizeof *files);
    int64_t *seeds = calloc((size_t)n + 1, sizeof *seeds);
    double *col = calloc((size_t)n + 1, sizeof *col);
    bad |= !ids || !scen || !sfile || !st || !files || !seeds || !col;
    if (!bad) {
        char created[64];
        time_t now = time(NULL);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tmv);
        hid_t t = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "format_version", H5T_STD_I32LE, t, H5P_DEFAULT, H5P_DEFAULT);
        int one = 1;
        bad |= a < 0 || H5Awrite(a, H5T_NATIVE_INT, &one) < 0;
        if (a >= 0) H5Aclose(a);
        H5Sclose(t);
        const char **keys = calloc((size_t)sw->nkeys + 1, sizeof *keys);
        for (int k = 0; keys && k < sw->nkeys; k++) keys[k] = sw->keys[k].key;
        bad |= !keys || attr_str(f, "format", "clustersim-sweep") ||
               attr_str(f, "name", sw->name) || attr_str(f, "sweep_config", sw->text) ||
               attr_str(f, "software_version", CS_VERSION) ||
               attr_str(f, "git_hash", cs_git_hash) || attr_str(f, "created", created) ||
               attr_strs(f, "varied_keys", (hsize_t)sw->nkeys, keys, 0);
        free(keys);
    }
    hid_t g = bad ? -1 : H5Gcreate2(f, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t gl = bad ? -1 : H5Gcreate2(f, "links", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    bad |= g < 0 || gl < 0;
    for (int r = 0; !bad && r < n; r++) {
        const cs_sweep_run *ru = &sw->runs[r];
        ids[r] = ru->id;
        scen[r] = sw->scen[ru->scen].name;
        sfile[r] = sw->scen[ru->scen].file;
        st[r] = status_names[rows[r].status];
        seeds[r] = ru->seed;
        char rel[PATH_MAX];
        cs_sweep_run_rel(sw, r, rel, sizeof rel);
        files[r] = strdup(rows[r].status == ST_OK ? rel : "");
        bad |= !files[r];
        if (!bad && rows[r].status == ST_OK) {
            char ln[32];
            snprintf(ln, sizeof ln, "%06d", r);
            /* relative: HDF5 looks for it next to sweep.h5, wherever DIR is moved */
            bad |= H5Lcreate_external(rel, "/", gl, ln, H5P_DEFAULT, H5P_DEFAULT) < 0;
        }
    }
    if (!bad) {
        bad |= write_strs(g, "id", (hsize_t)n, ids, "run id: its file's path under runs/") ||
               write_strs(g, "scenario", (hsize_t)n, scen, "scenario name") ||
               write_strs(g, "scenario_file", (hsize_t)n, sfile, "scenario file as given") ||
               write_data(g, "seed", H5T_STD_I64LE, H5T_NATIVE_INT64, (hsize_t)n, seeds, "1",
                          "random seed") ||
               write_strs(g, "status", (hsize_t)n, st, "ok, failed or missing") ||
               write_builds(g, rows, n) ||
               write_strs(g, "file", (hsize_t)n, (const char *const *)files,
                          "the run file, relative to the sweep directory (empty unless ok)");
        for (int r = 0; r < n; r++) col[r] = rows[r].wall;
        bad |= write_f64(g, "wall_seconds", (hsize_t)n, col, "seconds",
                         "wall time of the run's successful attempt as its sweep recorded it: "
                         "for a run resumed from a checkpoint, its last leg only (NaN unless "
                         "ok)");
    }
    for (int k = 0; !bad && k < sw->nkeys; k++) {
        const cs_sweep_key *key = &sw->keys[k];
        char name[32];
        snprintf(name, sizeof name, "vary_%d", k);
        if (key->is_string) {
            for (int r = 0; r < n; r++)
                ids[r] = sw->runs[r].vi[k] >= 0 ? key->v[sw->runs[r].vi[k]].str : "";
            bad |= write_strs(g, name, (hsize_t)n, ids,
                              "the varied key's value in each run (empty where it does not apply)");
        } else {
            for (int r = 0; r < n; r++)
                col[r] = sw->runs[r].vi[k] >= 0 ? key->v[sw->runs[r].vi[k]].num : NAN;
            bad |= write_f64(g, name, (hsize_t)n, col, "as the key (config units)",
                             "the varied key's value in each run (NaN where it does not apply)");
        }
        if (!bad) {
            hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
            bad |= d < 0 || attr_str(d, "key", key->key);
            if (d >= 0) H5Dclose(d);
        }
    }
    hid_t gf = bad ? -1 : H5Gcreate2(g, "final", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    bad |= gf < 0;
    for (int m = 0; !bad && m < M_N; m++) {
        for (int r = 0; r < n; r++) col[r] = rows[r].m[m];
        bad |= write_f64(gf, metric_names[m], (hsize_t)n, col, metric_units[m], metric_desc[m]);
    }
    for (int q = 0; !bad && q < neg; q++) {
        char name[CS_NAME_LEN + 8];
        snprintf(name, sizeof name, "eg_%s", eg_names[q]);
        for (int r = 0; r < n; r++) col[r] = rows[r].eg[q];
        bad |= write_f64(gf, name, (hsize_t)n, col, "index",
                         "the sector's Ellison-Glaeser index at the last step (NaN where the "
                         "run's scenario has no such sector)");
    }
    if (gf >= 0) H5Gclose(gf);
    if (g >= 0) H5Gclose(g);
    if (gl >= 0) H5Gclose(gl);
    if (f >= 0 && H5Fclose(f) < 0) bad = 1;
    /* on disk before the name says complete, as a run file: a power cut leaves the old
     * sweep.h5 or the new one, never an empty file at its name */
    if (!bad && cs_sync_file(tmp) != 0) bad = 1;
    if (!bad && rename(tmp, path) != 0) bad = 1;
    if (!bad) (void)cs_sync_dir_of(path); /* the name's durability: the file itself is whole */
    const int werr = bad ? errno : 0; /* the system's reason (a full disk, say), when it has one */
    if (bad) remove(tmp);

    /* failed.log: the runs that are still failed, each with its last reason */
    char fl[PATH_MAX], ftmp[PATH_MAX + 32];
    snprintf(fl, sizeof fl, "%s/failed.log", dir);
    snprintf(ftmp, sizeof ftmp, "%s.tmp.%ld", fl, (long)getpid());
    FILE *out = nfailed ? fopen(ftmp, "w") : NULL;
    int logged = !nfailed, why = nfailed && !out ? errno : 0;
    if (out) {
        for (int r = 0; r < n; r++)
            if (rows[r].status == ST_FAILED)
                fprintf(out, "%s\t%s\n", sw->runs[r].id, reasons[r] ? reasons[r] : "");
        logged = fclose(out) == 0 && rename(ftmp, fl) == 0;
        if (!logged) {
            why = errno;
            remove(ftmp); /* a failed.log.tmp.PID was left beside it each time */
        }
    } else if (!nfailed) {
        remove(fl);
    }
    if (!logged) { /* a failed.log of an earlier pass would now be stale: gone, if a file */
        remove(fl);
        fprintf(stderr, "clustersim: warning: %s: cannot write it (%s)%s%s%s\n", fl, strerror(why),
                bad ? "" : "; the failed runs are in ", bad ? "" : path,
                bad ? "" : "'s runs/status");
    }

    if (!bad) warn_mixed_builds(dir, rows, n);
    for (int r = 0; r < n; r++) {
        free(reasons[r]);
        if (files) free(files[r]);
    }
    free(ids), free(scen), free(sfile), free(st), free(files), free(seeds), free(col);
    free(reasons), free(rows), free(egbuf), free(eg_names);
    if (bad)
        return cs_cli_fail(1, "%s: cannot write the sweep file%s%s%s", path, werr ? " (" : "",
                           werr ? strerror(werr) : "", werr ? ")" : "");
    /* every run ended well: no run will write to logs/ again, and the folders of the logs that
     * the runs removed as they ended would stay, empty, one for each value of a varied key (a
     * cost in file quotas, docs/hpc.md) */
    if (nok == n) {
        char logs[PATH_MAX];
        if ((size_t)snprintf(logs, sizeof logs, "%s/logs", dir) < sizeof logs) prune_empty(logs);
    }
    if (!quiet)
        printf("wrote %s (%d runs: %d ok, %d failed, %d missing)\n", path, n, nok, nfailed,
               n - nok - nfailed);
    if (left) *left = n - nok;
    return 0;
}
