/* output.c: the HDF5 run file (INTERFACES.md, format_version 1; documented in docs/output.md).
 *
 * Series rows are buffered CS_OUT_ROWS at a time and appended with one H5Dwrite per dataset per
 * block, so the per-step cost does not grow with the number of series. Snapshots are written as
 * they are taken (one chunk per map). Object timestamps are switched off so that two runs of the
 * same (config, seed) differ only in the `created` attribute. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <libconfig.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "counting.h"
#include "internal.h"

#ifndef CS_CFLAGS
#define CS_CFLAGS "unknown"
#endif

#define CS_OUT_ROWS  64    /* rows buffered before a write */
#define CS_OUT_CHUNK 65536 /* max elements in a 1-D chunk of a fixed dataset */
#define N_MAPS       4     /* employment, firms, rent, residents */

struct cs_output {
    char *path, *tmp;
    hid_t file;
    hid_t ts[CS_TS_N], sec[CS_SEC_N], reg[CS_REG_N], pol;
    hid_t snap_step, snap_map[N_MAPS], snap_sec;
    hid_t emp_map; /* /maps/employment: every step */
    int S, R, P, W, H, ncell;
    int steps, snapshot_every, level;
    double scale;
    hsize_t rows;                                 /* rows already in the file */
    int nbuf;                                     /* rows waiting in the buffers */
    double *buf_ts, *buf_sec, *buf_reg, *buf_pol; /* [series][row][column] */
    hsize_t nsnap;
    hsize_t nmap;   /* rows of /maps/employment written */
    int last_snap;  /* step of the last snapshot, -1 none */
    int32_t *count; /* snapshot counts, [(3 + S) * ncell] */
    int32_t *trows; /* the threads' own counts, [thread][(3 + S) * ncell], made when needed */
    size_t trows_len;
    float *map; /* one map, [ncell] */
};

static char cs_out_err[1024];

static void set_err(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cs_out_err, sizeof cs_out_err, fmt, ap);
    va_end(ap);
}

const char *cs_output_error(void) {
    return cs_out_err;
}

const char *cs_output_temp_path(const cs_output *o) {
    return o ? o->tmp : NULL;
}

static const char *const map_names[N_MAPS] = {"employment", "firms", "rent", "residents"};
static const char *const map_units[N_MAPS] = {"workers (full scale)", "firms (full scale)",
                                              "2018 pounds per job-space per step",
                                              "residents (full scale)"};
static const char *const map_desc[N_MAPS] = {
    "employed headcount by workplace cell, divided by scale",
    "alive firms by cell, divided by scale",
    "commercial rent r(c) of the step",
    "workers by home cell, divided by scale",
};

static const char *const origin_names[] = {"initial", "startup", "spinoff", "university_spinout"};

/* ---- small HDF5 helpers; each returns 0 or -1 and sets the message ---- */

static hid_t str_type(void) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return t;
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Writes (or overwrites) an attribute of n elements (n < 0: scalar). */
static int attr_write(hid_t loc, const char *name, hid_t ftype, hid_t mtype, long n,
                      const void *buf) {
    hsize_t dim = n < 0 ? 0 : (hsize_t)n;
    hid_t sp = n < 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    int rc = -1;
    if (sp < 0) goto done;
    if (H5Aexists(loc, name) > 0) H5Adelete(loc, name);
    hid_t a = H5Acreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        rc = (n == 0 || H5Awrite(a, mtype, buf) >= 0) ? 0 : -1;
        H5Aclose(a);
    }
    H5Sclose(sp);
done:
    if (rc) set_err("cannot write attribute %s", name);
    return rc;
}

static int attr_str(hid_t loc, const char *name, const char *value) {
    hid_t t = str_type();
    const char *v = value ? value : "";
    int rc = attr_write(loc, name, t, t, -1, &v);
    H5Tclose(t);
    return rc;
}

static int attr_strs(hid_t loc, const char *name, const char *const *v, int n) {
    hid_t t = str_type();
    int rc = attr_write(loc, name, t, t, n, v);
    H5Tclose(t);
    return rc;
}

static int attr_i32(hid_t loc, const char *name, int32_t v) {
    return attr_write(loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, -1, &v);
}

static int attr_i64(hid_t loc, const char *name, int64_t v) {
    return attr_write(loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, -1, &v);
}

static int attr_f64(hid_t loc, const char *name, double v) {
    return attr_write(loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, -1, &v);
}

static int describe(hid_t d, const char *units, const char *description) {
    if (attr_str(d, "units", units) || attr_str(d, "description", description)) return -1;
    return 0;
}

static hid_t make_group(hid_t loc, const char *name) {
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0) set_err("cannot create group %s", name);
    return g;
}

/* A dataset creation list: chunked (when chunk != NULL), shuffled, deflated and checksummed, no
 * timestamps. The Fletcher-32 checksum of each chunk is checked before it is inflated: a
 * damaged chunk is then an error to a reader, where HDF5 1.10 could crash inflating it. */
static hid_t make_dcpl(int rank, const hsize_t *chunk, int level) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    if (chunk) {
        H5Pset_chunk(dcpl, rank, chunk);
        if (level > 0) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, (unsigned)level);
        }
        H5Pset_fletcher32(dcpl);
    }
    return dcpl;
}

/* An extendible dataset [0][tail...] growing along its first dimension. A tail dimension of 0
 * (no policies) is made unlimited so that its chunk can be 1 wide. */
static hid_t make_series(hid_t loc, const char *name, hid_t ftype, int rank, const hsize_t *tail,
                         hsize_t chunk_rows, int level, const char *units, const char *desc) {
    hsize_t dims[4] = {0}, maxd[4] = {H5S_UNLIMITED}, chunk[4] = {chunk_rows};
    for (int k = 1; k < rank; k++) {
        dims[k] = tail[k - 1];
        maxd[k] = tail[k - 1] ? tail[k - 1] : H5S_UNLIMITED;
        chunk[k] = tail[k - 1] ? tail[k - 1] : 1;
    }
    hid_t sp = H5Screate_simple(rank, dims, maxd);
    hid_t dcpl = make_dcpl(rank, chunk, level);
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(sp);
    if (d < 0) {
        set_err("cannot create dataset %s", name);
        return d;
    }
    if (describe(d, units, desc)) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

/* Appends n rows (each `row` elements of shape tail) at row `at` of an extendible dataset. */
static int append(hid_t d, int rank, const hsize_t *tail, hsize_t at, hsize_t n, hid_t mtype,
                  const void *buf) {
    hsize_t dims[4] = {at + n}, start[4] = {at}, count[4] = {n};
    hsize_t elems = n;
    for (int k = 1; k < rank; k++) {
        dims[k] = tail[k - 1];
        start[k] = 0;
        count[k] = tail[k - 1];
        elems *= tail[k - 1];
    }
    if (H5Dset_extent(d, dims) < 0) goto fail;
    if (elems == 0) return 0;
    hid_t fs = H5Dget_space(d);
    hid_t ms = H5Screate_simple(rank, count, NULL);
    herr_t e = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    if (e >= 0) e = H5Dwrite(d, mtype, ms, fs, H5P_DEFAULT, buf);
    H5Sclose(ms);
    H5Sclose(fs);
    if (e >= 0) return 0;
fail:
    set_err("cannot append to a dataset (disk full?)");
    return -1;
}

/* A complete dataset written at once; deflated in chunks when it has elements. */
static int write_fixed(hid_t loc, const char *name, hid_t ftype, hid_t mtype, int rank,
                       const hsize_t *dims, const void *buf, int level, const char *units,
                       const char *desc) {
    hsize_t elems = 1, chunk[3];
    for (int k = 0; k < rank; k++) {
        elems *= dims[k];
        chunk[k] = dims[k];
    }
    if (rank == 1 && chunk[0] > CS_OUT_CHUNK) chunk[0] = CS_OUT_CHUNK;
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = make_dcpl(rank, elems > 0 ? chunk : NULL, level);
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    H5Pclose(dcpl);
    H5Sclose(sp);
    int rc = -1;
    if (d >= 0) {
        rc = (elems == 0 || H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) ? 0 : -1;
        if (!rc) rc = describe(d, units, desc);
        H5Dclose(d);
    }
    if (rc) set_err("cannot write dataset %s", name);
    return rc;
}

/* A string dataset, fixed length (the longest string plus its terminator): variable-length
 * strings went through the file's global heap, for which HDF5 allocated and cleared about 6 MB,
 * a tenth of a small run's start-up. Readers see the same text. */
static int write_strings(hid_t loc, const char *name, const char *const *v, hsize_t n,
                         const char *desc) {
    size_t len = 1;
    for (hsize_t k = 0; k < n; k++)
        if (strlen(v[k]) + 1 > len) len = strlen(v[k]) + 1;
    char *buf = calloc(n ? n : 1, len);
    if (!buf) {
        set_err("out of memory");
        return -1;
    }
    for (hsize_t k = 0; k < n; k++) memcpy(buf + k * len, v[k], strlen(v[k]));
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, len);
    H5Tset_strpad(t, H5T_STR_NULLTERM);
    H5Tset_cset(t, H5T_CSET_UTF8);
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t dcpl = make_dcpl(1, NULL, 0);
    hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    int rc = -1;
    if (d >= 0) {
        rc = (n == 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) ? 0 : -1;
        if (!rc) rc = describe(d, "text", desc);
        H5Dclose(d);
    }
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Tclose(t);
    free(buf);
    if (rc) set_err("cannot write dataset %s", name);
    return rc;
}

/* ---- open ---- */

static int write_root_attrs(cs_output *o, const cs_sim *sim, const char *scenario_path,
                            const char *config_text, const char *config_source) {
    const cs_params *p = &sim->par;
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    hid_t f = o->file;
    if (attr_str(f, "format", CS_FORMAT_NAME) || attr_i32(f, "format_version", CS_FORMAT_VERSION) ||
        attr_str(f, "software_version", CS_VERSION) || attr_str(f, "git_hash", cs_git_hash) ||
        attr_str(f, "scenario", p->name) || attr_str(f, "scenario_file", scenario_path) ||
        attr_str(f, "description", p->description) || attr_str(f, "question", p->question) ||
        attr_i64(f, "seed", p->seed) || attr_i32(f, "steps", p->steps) ||
        attr_i32(f, "complete", 0) || attr_str(f, "created", created) ||
        attr_str(f, "config", config_text) || attr_str(f, "config_source", config_source) ||
        attr_f64(f, "scale", p->scale))
        return -1;

    hid_t g = make_group(f, "code");
    if (g < 0) return -1;
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    char hdf5v[32], lcv[32];
    snprintf(hdf5v, sizeof hdf5v, "%u.%u.%u", maj, min, rel);
    snprintf(lcv, sizeof lcv, "%d.%d.%d", LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
             LIBCONFIG_VER_REVISION);
#if defined(__clang__)
    const char *compiler = "clang " __VERSION__;
#elif defined(__GNUC__)
    const char *compiler = "gcc " __VERSION__;
#else
    const char *compiler = "unknown";
#endif
    int rc = attr_str(g, "compiler", compiler) || attr_str(g, "cflags", CS_CFLAGS) ||
             attr_str(g, "hdf5_version", hdf5v) || attr_str(g, "libconfig_version", lcv) ||
             attr_i32(g, "threads", omp_get_max_threads());
    H5Gclose(g);
    return rc ? -1 : 0;
}

static int write_landscape(cs_output *o, const cs_sim *sim) {
    const cs_landscape *l = &sim->land;
    hid_t g = make_group(o->file, "landscape");
    if (g < 0) return -1;
    hsize_t grid[2] = {(hsize_t)o->H, (hsize_t)o->W};
    size_t nc = (size_t)o->ncell;
    int rc = -1;
    int32_t *region = malloc(nc * sizeof *region);
    if (!region) {
        set_err("out of memory");
        goto done;
    }
    for (size_t c = 0; c < nc; c++) region[c] = l->region ? l->region[c] : -1;
    if (write_fixed(g, "region", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, grid, region, o->level,
                    "region id", "region of each cell (index into the names attribute), -1 sea"))
        goto done;
    hid_t d = H5Dopen2(g, "region", H5P_DEFAULT);
    int bad = d < 0 || attr_strs(d, "names", (const char *const *)cs_region_names, CS_MAX_REGIONS);
    if (d >= 0) H5Dclose(d);
    if (bad) goto done;

    /* Optional arrays may be absent in a hand-built state: written as zeros. */
    uint8_t *u8 = calloc(nc, 1);
    double *f64 = calloc(nc, sizeof *f64);
    if (!u8 || !f64) {
        free(u8);
        free(f64);
        set_err("out of memory");
        goto done;
    }
#define U8(arr)  (l->arr ? (const void *)l->arr : (const void *)u8)
#define F64(arr) (l->arr ? (const void *)l->arr : (const void *)f64)
    /* the capacities at the start; a hand-built state may set only the current ones */
    const void *cap = l->K0 ? l->K0 : F64(K), *hcap = l->Kh0 ? l->Kh0 : F64(Kh);
    bad = write_fixed(g, "city_centre", H5T_STD_U8LE, H5T_NATIVE_UINT8, 2, grid, U8(centre),
                      o->level, "flag", "1 for a city-centre cell") ||
          write_fixed(g, "land", H5T_STD_U8LE, H5T_NATIVE_UINT8, 2, grid, U8(land), o->level,
                      "flag", "1 land, 0 sea") ||
          write_fixed(g, "office_capacity", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, grid, cap,
                      o->level, "jobs (full scale)", "office capacity K(c) at the start") ||
          write_fixed(g, "housing_capacity", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, grid, hcap,
                      o->level, "residents (full scale)", "housing capacity Kh(c) at the start") ||
          write_fixed(g, "amenity", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, grid, F64(amenity),
                      o->level, "2018 pounds-equivalent per step", "amenity a(c) at the start");
#undef U8
#undef F64
    free(u8);
    free(f64);
    if (!bad && l->fund) {
        hsize_t sgrid[3] = {(hsize_t)sim->S, (hsize_t)o->H, (hsize_t)o->W};
        bad = write_fixed(g, "location_fundamental", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 3, sgrid,
                          l->fund, o->level, "log productivity",
                          "[sector][y][x] what each place adds to the productivity of a "
                          "sector's firms, fitted at the real start so that its map is the "
                          "start's equilibrium (0 on the emergent start)");
        if (!bad) { /* the sectors' names, like the other [S]-first datasets */
            const char *sn[CS_MAX_SECTORS];
            for (int s = 0; s < sim->S; s++) sn[s] = sim->par.sectors.names[s];
            hid_t d = H5Dopen2(g, "location_fundamental", H5P_DEFAULT);
            bad = d < 0 || attr_strs(d, "names", sn, sim->S);
            if (d >= 0) H5Dclose(d);
        }
    }
    if (bad) goto done;

    /* Universities and cities: one 1-D dataset per column, like /final/firms. */
    int nu = l->n_univ, nci = l->n_cities;
    int nmax = (nu > nci ? nu : nci) + 1;
    const char **names = malloc((size_t)nmax * sizeof *names);
    const char **cities = malloc((size_t)nmax * sizeof *cities);
    int32_t *xs = malloc((size_t)nmax * sizeof *xs), *ys = malloc((size_t)nmax * sizeof *ys);
    double *q = malloc((size_t)nmax * sizeof *q);
    hid_t gu = -1, gc = -1;
    bad = !names || !cities || !xs || !ys || !q;
    if (bad) set_err("out of memory");
    if (!bad) bad = (gu = make_group(g, "universities")) < 0;
    if (!bad) {
        hsize_t n = (hsize_t)nu;
        for (int i = 0; i < nu; i++) {
            names[i] = l->univ[i].name;
            cities[i] = l->univ[i].city;
            xs[i] = l->univ[i].x;
            ys[i] = l->univ[i].y;
            q[i] = l->univ[i].q;
        }
        bad = write_strings(gu, "name", names, n, "university name") ||
              write_strings(gu, "city", cities, n, "city of the university") ||
              write_fixed(gu, "x", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, xs, o->level, "cells",
                          "column of the university's cell") ||
              write_fixed(gu, "y", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, ys, o->level, "cells",
                          "row of the university's cell (0 = north)") ||
              write_fixed(gu, "quality", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, q, o->level,
                          "index", "quality q_u at the start");
    }
    if (!bad) bad = (gc = make_group(g, "cities")) < 0;
    if (!bad) {
        hsize_t n = (hsize_t)nci;
        for (int i = 0; i < nci; i++) {
            names[i] = l->cities[i].name;
            xs[i] = l->cities[i].x;
            ys[i] = l->cities[i].y;
            q[i] = l->cities[i].pop;
        }
        bad = write_strings(gc, "name", names, n, "city name") ||
              write_fixed(gc, "x", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, xs, o->level, "cells",
                          "column of the city centre") ||
              write_fixed(gc, "y", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, &n, ys, o->level, "cells",
                          "row of the city centre (0 = north)") ||
              write_fixed(gc, "population", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n, q, o->level,
                          "millions (real)", "population used to place people");
    }
    if (gu >= 0) H5Gclose(gu);
    if (gc >= 0) H5Gclose(gc);
    free(names);
    free(cities);
    free(xs);
    free(ys);
    free(q);
    rc = bad ? -1 : 0;
done:
    free(region);
    H5Gclose(g);
    return rc;
}

static int create_series(cs_output *o, const cs_sim *sim) {
    const char *sector_names[CS_MAX_SECTORS], *policy_names[CS_MAX_POLICIES];
    for (int s = 0; s < o->S; s++) sector_names[s] = sim->par.sectors.names[s];
    for (int p = 0; p < o->P; p++) policy_names[p] = sim->par.policies[p].name;
    hsize_t S = (hsize_t)o->S, R = (hsize_t)o->R, P = (hsize_t)o->P;

    hid_t g = make_group(o->file, "timeseries");
    if (g < 0) return -1;
    for (int k = 0; k < CS_TS_N; k++) {
        o->ts[k] = make_series(g, cs_ts_info[k].name, H5T_IEEE_F64LE, 1, NULL, 256, o->level,
                               cs_ts_info[k].units, cs_ts_info[k].description);
        if (o->ts[k] < 0) return H5Gclose(g), -1;
    }
    H5Gclose(g);

    if ((g = make_group(o->file, "sectors")) < 0) return -1;
    for (int k = 0; k < CS_SEC_N; k++) {
        o->sec[k] = make_series(g, cs_sec_info[k].name, H5T_IEEE_F64LE, 2, &S, CS_OUT_ROWS,
                                o->level, cs_sec_info[k].units, cs_sec_info[k].description);
        if (o->sec[k] < 0 || attr_strs(o->sec[k], "names", sector_names, o->S))
            return H5Gclose(g), -1;
    }
    H5Gclose(g);

    if ((g = make_group(o->file, "regions")) < 0) return -1;
    for (int k = 0; k < CS_REG_N; k++) {
        o->reg[k] = make_series(g, cs_reg_info[k].name, H5T_IEEE_F64LE, 2, &R, CS_OUT_ROWS,
                                o->level, cs_reg_info[k].units, cs_reg_info[k].description);
        if (o->reg[k] < 0 ||
            attr_strs(o->reg[k], "names", (const char *const *)cs_region_names, o->R))
            return H5Gclose(g), -1;
    }
    H5Gclose(g);

    if ((g = make_group(o->file, "policies")) < 0) return -1;
    o->pol =
        make_series(g, "spending", H5T_IEEE_F64LE, 2, &P, CS_OUT_ROWS, o->level,
                    "2018 pounds per step (full scale)", "spending of each policy in the step");
    int bad = o->pol < 0 || attr_strs(o->pol, "names", policy_names, o->P);
    if (!bad) {
        const char *types[CS_MAX_POLICIES];
        for (int p = 0; p < o->P; p++) {
            int t = sim->par.policies[p].type;
            types[p] = t >= 0 && t < CS_POL_NTYPES ? cs_policy_type_names[t] : "unknown";
        }
        bad = attr_strs(o->pol, "types", types, o->P);
    }
    H5Gclose(g);
    if (bad) return -1;

    if ((g = make_group(o->file, "snapshots")) < 0) return -1;
    hsize_t grid[2] = {(hsize_t)o->H, (hsize_t)o->W};
    o->snap_step = make_series(g, "step", H5T_STD_I32LE, 1, NULL, 64, o->level, "steps",
                               "step of each snapshot (state after that step)");
    bad = o->snap_step < 0;
    for (int k = 0; k < N_MAPS && !bad; k++) {
        o->snap_map[k] = make_series(g, map_names[k], H5T_IEEE_F32LE, 3, grid, 1, o->level,
                                     map_units[k], map_desc[k]);
        bad = o->snap_map[k] < 0;
    }
    if (!bad) {
        /* chunk = one sector's map, so reading one sector does not inflate the others */
        hsize_t dims[4] = {0, S, grid[0], grid[1]};
        hsize_t maxd[4] = {H5S_UNLIMITED, S ? S : H5S_UNLIMITED, grid[0], grid[1]};
        hsize_t chunk[4] = {1, 1, grid[0] ? grid[0] : 1, grid[1] ? grid[1] : 1};
        hid_t sp = H5Screate_simple(4, dims, maxd);
        hid_t dcpl = make_dcpl(4, chunk, o->level);
        o->snap_sec =
            H5Dcreate2(g, "sector_employment", H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        H5Pclose(dcpl);
        H5Sclose(sp);
        bad = o->snap_sec < 0 ||
              describe(o->snap_sec, "workers (full scale)",
                       "employed headcount by sector and workplace cell, divided by scale") ||
              attr_strs(o->snap_sec, "names", sector_names, o->S);
        if (o->snap_sec < 0) set_err("cannot create dataset sector_employment");
    }
    H5Gclose(g);
    if (bad) return -1;

    /* jobs by cell at every step: a policy's target area is a set of cells, and its jobs summed
     * between snapshots every snapshot_every steps would only be interpolated */
    if ((g = make_group(o->file, "maps")) < 0) return -1;
    o->emp_map = make_series(g, "employment", H5T_IEEE_F32LE, 3, grid, 1, o->level, map_units[0],
                             "employed headcount by workplace cell after each step (row = step), "
                             "divided by scale");
    H5Gclose(g);
    return o->emp_map < 0 ? -1 : 0;
}

static void close_ids(cs_output *o) {
    hid_t *ids[] = {&o->pol, &o->snap_step, &o->snap_sec, &o->emp_map};
    for (int k = 0; k < CS_TS_N; k++)
        if (o->ts[k] >= 0) H5Dclose(o->ts[k]), o->ts[k] = -1;
    for (int k = 0; k < CS_SEC_N; k++)
        if (o->sec[k] >= 0) H5Dclose(o->sec[k]), o->sec[k] = -1;
    for (int k = 0; k < CS_REG_N; k++)
        if (o->reg[k] >= 0) H5Dclose(o->reg[k]), o->reg[k] = -1;
    for (int k = 0; k < N_MAPS; k++)
        if (o->snap_map[k] >= 0) H5Dclose(o->snap_map[k]), o->snap_map[k] = -1;
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
        if (*ids[k] >= 0) H5Dclose(*ids[k]), *ids[k] = -1;
}

static void destroy(cs_output *o, int remove_tmp) {
    close_ids(o);
    if (o->file >= 0) H5Fclose(o->file);
    if (remove_tmp && o->tmp) remove(o->tmp);
    free(o->path);
    free(o->tmp);
    free(o->buf_ts);
    free(o->buf_sec);
    free(o->buf_reg);
    free(o->buf_pol);
    free(o->count);
    free(o->trows);
    free(o->map);
    free(o);
}

void cs_hdf5_init(void) {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

cs_output *cs_output_open(const char *path, const cs_sim *sim, const char *scenario_path,
                          const char *config_text, const char *config_source, char *err,
                          size_t errlen) {
    cs_out_err[0] = 0;
    /* HDF5 1.10 crashes in its exit handler when a file failed to close (a full disk): every
     * file is closed explicitly here, so the handler is not needed (no-op once initialised) */
    H5dont_atexit();
    /* HDF5's own error stack dumps are noise for users: failures are reported as messages. */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    cs_output *o = calloc(1, sizeof *o);
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    o->file = o->pol = o->snap_step = o->snap_sec = o->emp_map = -1;
    for (int k = 0; k < CS_TS_N; k++) o->ts[k] = -1;
    for (int k = 0; k < CS_SEC_N; k++) o->sec[k] = -1;
    for (int k = 0; k < CS_REG_N; k++) o->reg[k] = -1;
    for (int k = 0; k < N_MAPS; k++) o->snap_map[k] = -1;
    o->S = sim->S;
    o->R = CS_MAX_REGIONS;
    o->P = sim->par.n_policies;
    o->W = sim->land.W;
    o->H = sim->land.H;
    o->ncell = o->W * o->H;
    o->steps = sim->par.steps;
    o->snapshot_every = sim->par.output.snapshot_every;
    o->level = sim->par.output.compression;
    if (o->level < 0) o->level = 0;
    if (o->level > 9) o->level = 9;
    o->scale = sim->scale > 0 ? sim->scale : sim->par.scale > 0 ? sim->par.scale : 1.0;
    o->last_snap = -1;

    size_t plen = strlen(path);
    o->path = malloc(plen + 1);
    o->tmp = malloc(plen + 32);
    size_t nc = (size_t)o->ncell;
    o->buf_ts = malloc(sizeof(double) * CS_TS_N * CS_OUT_ROWS);
    o->buf_sec = malloc(sizeof(double) * CS_SEC_N * CS_OUT_ROWS * (size_t)(o->S ? o->S : 1));
    o->buf_reg = malloc(sizeof(double) * CS_REG_N * CS_OUT_ROWS * (size_t)o->R);
    o->buf_pol = malloc(sizeof(double) * CS_OUT_ROWS * (size_t)(o->P ? o->P : 1));
    o->count = malloc(sizeof(int32_t) * (3 + (size_t)o->S) * (nc ? nc : 1));
    o->map = malloc(sizeof(float) * (nc ? nc : 1));
    if (!o->path || !o->tmp || !o->buf_ts || !o->buf_sec || !o->buf_reg || !o->buf_pol ||
        !o->count || !o->map) {
        snprintf(err, errlen, "out of memory");
        destroy(o, 0);
        return NULL;
    }
    memcpy(o->path, path, plen + 1);
    /* The pid only names the temporary file; nothing in the contents depends on it. */
    snprintf(o->tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());

    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    /* The HDF5 1.10 file format, whose superblock, object headers and chunk indexes carry
     * checksums: a damaged byte there is an error to a reader, where the oldest format's
     * unchecked headers could crash h5py and h5dump. Pinned to 1.10 (not "latest", which a newer
     * library would move): files are readable by HDF5 1.10 and later (docs/output.md). */
    H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110);
    o->file = H5Fcreate(o->tmp, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    if (o->file < 0) {
        snprintf(err, errlen, "%s: cannot create file: %s", o->tmp, strerror(errno));
        destroy(o, 1); /* HDF5 may have made the file before it failed */
        return NULL;
    }
    if (write_root_attrs(o, sim, scenario_path, config_text, config_source) ||
        write_landscape(o, sim) || create_series(o, sim)) {
        snprintf(err, errlen, "%s: %s", o->tmp, cs_out_err);
        destroy(o, 1);
        return NULL;
    }
    return o;
}

/* ---- step ---- */

static int flush_rows(cs_output *o) {
    if (o->nbuf == 0) return 0;
    hsize_t n = (hsize_t)o->nbuf, S = (hsize_t)o->S, R = (hsize_t)o->R, P = (hsize_t)o->P;
    for (int k = 0; k < CS_TS_N; k++)
        if (append(o->ts[k], 1, NULL, o->rows, n, H5T_NATIVE_DOUBLE,
                   o->buf_ts + (size_t)k * CS_OUT_ROWS))
            return -1;
    for (int k = 0; k < CS_SEC_N; k++)
        if (append(o->sec[k], 2, &S, o->rows, n, H5T_NATIVE_DOUBLE,
                   o->buf_sec + (size_t)k * CS_OUT_ROWS * S))
            return -1;
    for (int k = 0; k < CS_REG_N; k++)
        if (append(o->reg[k], 2, &R, o->rows, n, H5T_NATIVE_DOUBLE,
                   o->buf_reg + (size_t)k * CS_OUT_ROWS * R))
            return -1;
    if (append(o->pol, 2, &P, o->rows, n, H5T_NATIVE_DOUBLE, o->buf_pol)) return -1;
    o->rows += n;
    o->nbuf = 0;
    return 0;
}

/* Rows of counts for nt threads, each [len]: the maps' passes over 33 million workers and 1.9
 * million firms at 1:1 were serial, 3.6 s of CPU in a 160-step run whatever the threads (on 16
 * threads 7% of its wall time). NULL (count serially) when there is no memory for them. */
static int32_t *thread_rows(cs_output *o, int nt, size_t len) {
    const size_t need = (size_t)nt * len;
    if (need > o->trows_len) {
        free(o->trows);
        o->trows = malloc(need * sizeof *o->trows);
        o->trows_len = o->trows ? need : 0;
    }
    return o->trows;
}

/* count[k] = the sum over the team's rows of rows[row][k], k < len: integers, so the same
 * counts for any number of threads. Inside a parallel region, after a barrier. */
static void add_rows(int32_t *count, const int32_t *rows, int team, size_t len) {
#pragma omp for schedule(static)
    for (size_t k = 0; k < len; k++) {
        int32_t v = 0;
        for (int u = 0; u < team; u++) v += rows[(size_t)u * len + k];
        count[k] = v;
    }
}

/* Inside a counting region: this thread's row, cleared (its own in rows, or out itself when
 * counting on one thread), and in *team the team OpenMP gave, which can be smaller than asked:
 * only its rows are added. The single's barrier sees every row clear before any is counted. */
static int32_t *count_row(int32_t *rows, int32_t *out, size_t len, int *team) {
    int32_t *r = rows ? rows + (size_t)omp_get_thread_num() * len : out;
    memset(r, 0, len * sizeof *r);
#pragma omp single
    *team = omp_get_num_threads();
    return r;
}

/* Snapshot counts into count, laid out [employment, firms, residents, employment by sector]:
 * by thread rows where there are enough workers, else straight into count on one thread. */
static void snapshot_counts(cs_output *o, const cs_sim *sim, int32_t *count) {
    const size_t nc = (size_t)o->ncell, len = (3 + (size_t)o->S) * nc;
    const int S = o->S;
    const cs_firms *f = &sim->firms;
    const cs_workers *w = &sim->workers;
    const int nt = cs_counting_chunks(w->n);
    int32_t *rows = nt > 1 ? thread_rows(o, nt, len) : NULL;
    int team = 1;
#pragma omp parallel num_threads(rows ? nt : 1)
    {
        int32_t *emp = count_row(rows, count, len, &team), *nf = emp + nc, *res = nf + nc,
                *sec = res + nc;
#pragma omp for schedule(static) nowait
        for (int32_t i = 0; i < f->n; i++)
            if (f->alive[i] && f->cell[i] >= 0 && (size_t)f->cell[i] < nc) nf[f->cell[i]]++;
#pragma omp for schedule(static)
        for (int32_t i = 0; i < w->n; i++) {
            int32_t h = w->home[i], e = w->employer[i];
            if (h >= 0 && (size_t)h < nc) res[h]++;
            if (e < 0 || e >= f->n) continue;
            int32_t c = f->cell[e];
            if (c < 0 || (size_t)c >= nc) continue;
            emp[c]++;
            if (f->sector[e] < S) sec[(size_t)f->sector[e] * nc + (size_t)c]++;
        }
        if (rows) add_rows(count, rows, team, len);
    }
}

static int snapshot(cs_output *o, const cs_sim *sim) {
    size_t nc = (size_t)o->ncell;
    int S = o->S;
    int32_t *emp = o->count, *nf = emp + nc, *res = nf + nc, *sec = res + nc;
    /* Integer counts first, divided by scale once, so maps are exact multiples of 1/scale. */
    snapshot_counts(o, sim, o->count);
    hsize_t grid[2] = {(hsize_t)o->H, (hsize_t)o->W}, sgrid[3] = {(hsize_t)S, grid[0], grid[1]};
    const int32_t *counts[N_MAPS] = {emp, nf, NULL, res};
    for (int k = 0; k < N_MAPS; k++) {
        for (size_t c = 0; c < nc; c++)
            o->map[c] = counts[k]     ? (float)(counts[k][c] / o->scale)
                        : sim->f.rent ? (float)sim->f.rent[c]
                                      : 0.0f;
        if (append(o->snap_map[k], 3, grid, o->nsnap, 1, H5T_NATIVE_FLOAT, o->map)) return -1;
    }
    /* sector maps: extend once, then write one sector at a time to reuse the one-map buffer */
    hsize_t dims[4] = {o->nsnap + 1, sgrid[0], sgrid[1], sgrid[2]};
    if (H5Dset_extent(o->snap_sec, dims) < 0) goto fail;
    for (int s = 0; s < S; s++) {
        for (size_t c = 0; c < nc; c++) o->map[c] = (float)(sec[(size_t)s * nc + c] / o->scale);
        hsize_t start[4] = {o->nsnap, (hsize_t)s, 0, 0}, count[4] = {1, 1, grid[0], grid[1]};
        hid_t fs = H5Dget_space(o->snap_sec);
        hid_t ms = H5Screate_simple(4, count, NULL);
        herr_t e = nc ? H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) : 0;
        if (e >= 0 && nc) e = H5Dwrite(o->snap_sec, H5T_NATIVE_FLOAT, ms, fs, H5P_DEFAULT, o->map);
        H5Sclose(ms);
        H5Sclose(fs);
        if (e < 0) goto fail;
    }
    int32_t step = sim->step;
    if (append(o->snap_step, 1, NULL, o->nsnap, 1, H5T_NATIVE_INT32, &step)) return -1;
    o->nsnap++;
    o->last_snap = sim->step;
    return 0;
fail:
    set_err("cannot write snapshot (disk full?)");
    return -1;
}

/* /maps/employment's row of this step: the alive firms' headcounts by cell (the phases keep
 * them equal to the workers' employers: the snapshots' employment at the same step), counted
 * in integers and divided by scale once, as the snapshots are. */
static int employment_map(cs_output *o, const cs_sim *sim) {
    const size_t nc = (size_t)o->ncell;
    int32_t *emp = o->count;
    const cs_firms *f = &sim->firms;
    const int nt = cs_counting_chunks(f->n);
    int32_t *rows = nt > 1 ? thread_rows(o, nt, nc) : NULL;
    int team = 1;
#pragma omp parallel num_threads(rows ? nt : 1)
    {
        int32_t *r = count_row(rows, emp, nc, &team);
#pragma omp for schedule(static)
        for (int32_t i = 0; i < f->n; i++)
            if (f->alive[i] && f->cell[i] >= 0 && (size_t)f->cell[i] < nc)
                r[f->cell[i]] += f->n_emp[i];
        if (rows) add_rows(emp, rows, team, nc);
    }
    for (size_t c = 0; c < nc; c++) o->map[c] = (float)(emp[c] / o->scale);
    hsize_t grid[2] = {(hsize_t)o->H, (hsize_t)o->W};
    if (append(o->emp_map, 3, grid, o->nmap, 1, H5T_NATIVE_FLOAT, o->map)) return -1;
    o->nmap++;
    return 0;
}

int cs_output_step(cs_output *o, const cs_sim *sim, const cs_metrics *m) {
    int r = o->nbuf, S = o->S, R = o->R;
    for (int k = 0; k < CS_TS_N; k++) o->buf_ts[(size_t)k * CS_OUT_ROWS + r] = m->ts[k];
    for (int k = 0; k < CS_SEC_N; k++)
        memcpy(o->buf_sec + ((size_t)k * CS_OUT_ROWS + r) * S, m->sec[k], sizeof(double) * S);
    for (int k = 0; k < CS_REG_N; k++)
        memcpy(o->buf_reg + ((size_t)k * CS_OUT_ROWS + r) * R, m->reg[k], sizeof(double) * R);
    memcpy(o->buf_pol + (size_t)r * o->P, m->spending, sizeof(double) * o->P);
    o->nbuf++;
    if (o->nbuf == CS_OUT_ROWS && flush_rows(o)) return -1;
    if (employment_map(o, sim)) return -1;
    int every = o->snapshot_every;
    int due = (every > 0 && sim->step % every == 0) || sim->step >= o->steps;
    if (due && sim->step != o->last_snap && snapshot(o, sim)) return -1;
    return 0;
}

/* ---- close ---- */

/* Per firm, its workers' headcount and the sum of their skills, as one pass in worker order
 * adds them up: in parallel, in fixed point (CS_SKILL_FIX), where the skills are in [2^-7, 1]
 * and no firm has 2^23 workers (at 1:1 the serial pass took 0.4 s of the run's end);
 * otherwise (a state made by hand, or rows too short) in worker order. The threads' rows are
 * the step's own, as the steps left them (the counting sorts' chunk counts, the fields' skill
 * sums), long enough unless firms were added since their last use: the run's end allocates
 * nothing. Rows of its own had made it the run's peak of memory (2.63 GiB at 1:1 on 16
 * threads against 2.2 in the steps), and a job's memory limit may not leave room for them. */
static void final_heads(const cs_sim *sim, int32_t *heads, double *skills) {
    const cs_workers *wk = &sim->workers;
    const int32_t nf = sim->firms.n;
    const size_t nz = nf > 0 ? (size_t)nf : 1;
    const int nt = cs_counting_chunks(wk->n);
    const cs_buffers *b = sim->buf;
    const size_t need = (size_t)nt * nz;
    int ok = nt > 1 && b && b->chunk_cap >= need && b->firm_fix_cap >= need, team = nt;
    if (ok) {
        int32_t *cnt = b->chunk_cnt;
        int64_t *fix = b->firm_fix;
#pragma omp parallel num_threads(nt) reduction(& : ok)
        {
            const size_t t = (size_t)omp_get_thread_num();
            int32_t *c = cnt + t * nz;
            int64_t *x = fix + t * nz;
            memset(c, 0, nz * sizeof *c);
            memset(x, 0, nz * sizeof *x);
            /* the team OpenMP gave, which can be smaller than asked: only its rows are added */
#pragma omp single
            team = omp_get_num_threads();
#pragma omp for schedule(static)
            for (int32_t j = 0; j < wk->n; j++) {
                const int32_t e = wk->employer[j];
                if (e < 0 || e >= nf) continue;
                const double h = wk->skill[j];
                ok &= h >= 0x1p-7 && h <= 1.0;
                c[e]++;
                x[e] += (int64_t)(h * CS_SKILL_FIX);
            }
        }
        if (ok) {
#pragma omp parallel for schedule(static) num_threads(nt) reduction(& : ok)
            for (int32_t i = 0; i < nf; i++) {
                int64_t n = 0, h = 0;
                for (int t = 0; t < team; t++)
                    n += cnt[(size_t)t * nz + (size_t)i], h += fix[(size_t)t * nz + (size_t)i];
                ok &= n < ((int64_t)1 << 23);
                heads[i] = (int32_t)n;
                skills[i] = (double)h / CS_SKILL_FIX;
            }
        }
    }
    if (ok) return;
    memset(heads, 0, nz * sizeof *heads);
    memset(skills, 0, nz * sizeof *skills);
    for (int32_t j = 0; j < wk->n; j++)
        if (wk->employer[j] >= 0 && wk->employer[j] < nf)
            heads[wk->employer[j]]++, skills[wk->employer[j]] += wk->skill[j];
}

static int write_final(cs_output *o, const cs_sim *sim) {
    const cs_firms *f = &sim->firms;
    hid_t g = make_group(o->file, "final");
    if (g < 0) return -1;
    hid_t gf = make_group(g, "firms");
    H5Gclose(g);
    if (gf < 0) return -1;
    size_t n = 0, cap = f->n > 0 ? (size_t)f->n : 1;
    int32_t *x = malloc(cap * 4), *y = malloc(cap * 4), *sector = malloc(cap * 4);
    int32_t *emp = malloc(cap * 4), *age = malloc(cap * 4), *origin = malloc(cap * 4);
    int64_t *id = malloc(cap * 8), *parent = malloc(cap * 8);
    double *A = malloc(cap * 8), *wage = malloc(cap * 8), *Y = malloc(cap * 8);
    int32_t *heads = calloc(cap, 4);
    double *skills = calloc(cap, 8);
    int bad = !x || !y || !sector || !emp || !age || !origin || !id || !parent || !A || !wage ||
              !Y || !heads || !skills;
    if (bad) set_err("out of memory");
    /* headcounts from the workers themselves: firms' n_emp is refreshed at the start of the
     * next step, so after the last step's hiring it would lag the employment series */
    if (!bad) final_heads(sim, heads, skills);
    for (int32_t i = 0; i < f->n && !bad; i++) {
        if (!f->alive[i]) continue;
        x[n] = f->cell[i] % o->W;
        y[n] = f->cell[i] / o->W;
        sector[n] = f->sector[i];
        emp[n] = heads[i];
        skills[n] = skills[i]; /* n <= i: compacts in place */
        age[n] = sim->step - (f->birth ? f->birth[i] : 0);
        origin[n] = f->origin ? f->origin[i] : 0;
        id[n] = f->id ? f->id[i] : i;
        parent[n] = f->parent ? f->parent[i] : -1;
        A[n] = f->A ? f->A[i] : 0;
        wage[n] = f->w ? f->w[i] : 0;
        Y[n] = f->Y ? f->Y[i] : 0;
        n++;
    }
    hsize_t hn = n;
    int L = o->level;
    hid_t I32 = H5T_STD_I32LE, I64 = H5T_STD_I64LE, F64 = H5T_IEEE_F64LE;
    hid_t mI32 = H5T_NATIVE_INT32, mI64 = H5T_NATIVE_INT64, mF64 = H5T_NATIVE_DOUBLE;
    if (!bad)
        bad = write_fixed(gf, "x", I32, mI32, 1, &hn, x, L, "cells", "column of the firm's cell") ||
              write_fixed(gf, "y", I32, mI32, 1, &hn, y, L, "cells",
                          "row of the firm's cell (0 = north)") ||
              write_fixed(gf, "sector", I32, mI32, 1, &hn, sector, L, "sector index",
                          "sector (index into the names attribute)") ||
              write_fixed(gf, "productivity", F64, mF64, 1, &hn, A, L, CS_PRODUCTIVITY_UNITS,
                          "productivity A_f = Y_f / (p e^Phi H_f^alpha): money, scaling with the "
                          "money level") ||
              write_fixed(gf, "employees", I32, mI32, 1, &hn, emp, L, "workers (model agents)",
                          "headcount n_f in model agents (divide by scale for full scale)") ||
              write_fixed(gf, "effective_labour", F64, mF64, 1, &hn, skills, L,
                          "skill units (model agents)",
                          "effective labour H_f: the sum of its workers' skills") ||
              write_fixed(gf, "age", I32, mI32, 1, &hn, age, L, "steps",
                          "steps since birth (initial firms: drawn age plus steps run)") ||
              write_fixed(gf, "origin", I32, mI32, 1, &hn, origin, L, "origin code",
                          "how the firm was born (index into the names attribute)") ||
              write_fixed(gf, "id", I64, mI64, 1, &hn, id, L, "id",
                          "unique firm id, increasing in birth order") ||
              write_fixed(gf, "parent", I64, mI64, 1, &hn, parent, L, "id",
                          "parent firm id (spinoffs), -1 none") ||
              write_fixed(gf, "wage", F64, mF64, 1, &hn, wage, L,
                          "2018 pounds per unit skill per step", "wage rate w_f") ||
              write_fixed(gf, "output", F64, mF64, 1, &hn, Y, L,
                          "2018 pounds per step (model agents)",
                          "output Y_f in the last step, of the firm as sampled: summed over "
                          "firms, divide by scale for full scale");
    if (!bad) {
        const char *sn[CS_MAX_SECTORS];
        for (int s = 0; s < o->S; s++) sn[s] = sim->par.sectors.names[s];
        hid_t d = H5Dopen2(gf, "sector", H5P_DEFAULT);
        bad = d < 0 || attr_strs(d, "names", sn, o->S);
        if (d >= 0) H5Dclose(d);
        d = H5Dopen2(gf, "origin", H5P_DEFAULT);
        bad = bad || d < 0 || attr_strs(d, "names", origin_names, 4);
        if (d >= 0) H5Dclose(d);
    }
    if (!bad) bad = attr_i32(gf, "step", sim->step);
    free(x), free(y), free(sector), free(emp), free(age), free(origin);
    free(id), free(parent), free(A), free(wage), free(Y), free(heads), free(skills);
    H5Gclose(gf);
    return bad ? -1 : 0;
}

int cs_output_close(cs_output *o, const cs_sim *sim, int complete) {
    if (!o) return 0;
    const char *stage = "flush";
    int bad = flush_rows(o);
    if (!bad) stage = "final firms", bad = write_final(o, sim);
    if (!bad) stage = "attributes", bad = attr_i32(o->file, "complete", complete ? 1 : 0);
    if (!bad) bad = attr_i32(o->file, "steps_done", sim->step);
    close_ids(o);
    if (!bad) {
        stage = "close";
        bad = H5Fclose(o->file) < 0;
        if (bad) set_err("cannot close file (disk full?)");
        o->file = -1;
    }
    if (bad) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%.400s: %.500s (%s)", o->tmp, cs_out_err, stage);
        snprintf(cs_out_err, sizeof cs_out_err, "%s", msg);
        destroy(o, 1);
        return -1;
    }
    size_t plen = strlen(o->path);
    char *dest = malloc(plen + 16);
    if (!dest) {
        set_err("out of memory");
        destroy(o, 1);
        return -1;
    }
    snprintf(dest, plen + 16, complete ? "%s" : "%s.incomplete", o->path);
    /* the contents on disk before the name says complete, and the name before the caller
     * removes the checkpoint that could rebuild it: a crash just after a run leaves the
     * finished file or the checkpoint, never an empty file at the final name */
    int rc = cs_sync_file(o->tmp);
    if (rc) set_err("cannot sync %s: %s", o->tmp, strerror(errno));
    if (!rc && (rc = rename(o->tmp, dest)) != 0)
        set_err("cannot rename %s to %s: %s", o->tmp, dest, strerror(errno));
    if (!rc && (rc = cs_sync_dir_of(dest)) != 0)
        set_err("cannot sync the folder of %s: %s", dest, strerror(errno));
    free(dest);
    destroy(o, rc != 0);
    return rc ? -1 : 0;
}

/* ---- durability ---- */

int cs_sync_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int cs_sync_dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    /* some file systems refuse to sync a directory: nothing more can be done there */
    if (rc != 0 && (errno == EINVAL || errno == EBADF)) rc = 0;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* ---- checkpoints ---- */

#define N_BLOCKS (CS_TS_N + CS_SEC_N + CS_REG_N + 1 + 1 + N_MAPS + 1 + 1)

int cs_output_nblocks(const cs_output *o) {
    (void)o;
    return N_BLOCKS;
}

/* Dataset of block k and its memory type: series, spending, snapshot steps, maps, sectors,
 * the employment map of every step. */
static hid_t block_id(const cs_output *o, int k, int *type) {
    *type = CS_OUT_F64;
    if (k < CS_TS_N) return o->ts[k];
    if ((k -= CS_TS_N) < CS_SEC_N) return o->sec[k];
    if ((k -= CS_SEC_N) < CS_REG_N) return o->reg[k];
    if ((k -= CS_REG_N) == 0) return o->pol;
    *type = CS_OUT_I32;
    if (--k == 0) return o->snap_step;
    *type = CS_OUT_F32;
    if (--k < N_MAPS) return o->snap_map[k];
    if (k == N_MAPS) return o->snap_sec;
    return o->emp_map;
}

static hid_t block_mtype(int type) {
    return type == CS_OUT_F64   ? H5T_NATIVE_DOUBLE
           : type == CS_OUT_F32 ? H5T_NATIVE_FLOAT
                                : H5T_NATIVE_INT32;
}

int cs_output_read_block(cs_output *o, int k, cs_output_block *b) {
    memset(b, 0, sizeof *b);
    if (k < 0 || k >= N_BLOCKS || flush_rows(o)) return -1;
    hid_t d = block_id(o, k, &b->type);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[4] = {0};
    int rank = sp < 0 ? -1 : H5Sget_simple_extent_dims(sp, dims, NULL);
    if (sp >= 0) H5Sclose(sp);
    if (rank < 1 || rank > 4) {
        set_err("cannot read a series back");
        return -1;
    }
    size_t elems = 1;
    b->rank = rank;
    for (int r = 0; r < rank; r++) elems *= (size_t)(b->dims[r] = dims[r]);
    b->data = malloc(elems ? elems * 8 : 1);
    if (!b->data) {
        set_err("out of memory");
        return -1;
    }
    if (elems && H5Dread(d, block_mtype(b->type), H5S_ALL, H5S_ALL, H5P_DEFAULT, b->data) < 0) {
        free(b->data);
        b->data = NULL;
        set_err("cannot read a series back");
        return -1;
    }
    return 0;
}

int cs_output_restore_block(cs_output *o, int k, const cs_output_block *b) {
    int type;
    if (k < 0 || k >= N_BLOCKS) return -1;
    hid_t d = block_id(o, k, &type);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[4] = {0};
    int rank = sp < 0 ? -1 : H5Sget_simple_extent_dims(sp, dims, NULL);
    if (sp >= 0) H5Sclose(sp);
    int ok = rank == b->rank && type == b->type && dims[0] == 0;
    for (int r = 1; ok && r < rank; r++) ok = dims[r] == b->dims[r];
    if (!ok) {
        set_err("a series in the checkpoint does not have this run's shape");
        return -1;
    }
    if (append(d, rank, dims + 1, 0, b->dims[0], block_mtype(type), b->data)) return -1;
    /* the rows and snapshots written so far, as cs_output_step left them */
    if (k == 0) o->rows = b->dims[0];
    if (d == o->emp_map) o->nmap = b->dims[0];
    if (d == o->snap_step) {
        o->nsnap = b->dims[0];
        o->last_snap = b->dims[0] ? ((const int32_t *)b->data)[b->dims[0] - 1] : -1;
    }
    return 0;
}

int cs_output_set_resumed(cs_output *o, const char *const *lines, int n) {
    return attr_strs(o->file, "resumed_from", lines, n);
}

void cs_output_abort(cs_output *o) {
    if (o) destroy(o, 1);
}

char *cs_h5_attr_text(hid_t loc, const char *name) {
    if (H5Aexists(loc, name) <= 0) return NULL;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = a >= 0 ? H5Aget_type(a) : -1;
    hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
    char *text = NULL;
    if (t >= 0 && sp >= 0 && H5Tget_class(t) == H5T_STRING &&
        H5Sget_simple_extent_npoints(sp) == 1) {
        if (H5Tis_variable_str(t) > 0) {
            /* read in the attribute's own character set: HDF5 converts none to another */
            hid_t mt = H5Tcopy(H5T_C_S1);
            H5Tset_size(mt, H5T_VARIABLE);
            H5Tset_cset(mt, H5Tget_cset(t));
            char *v = NULL;
            if (H5Aread(a, mt, &v) >= 0 && v) text = strdup(v);
            if (v) H5free_memory(v);
            H5Tclose(mt);
        } else {
            size_t sz = H5Tget_size(t);
            text = sz < ((size_t)1 << 24) ? calloc(sz + 1, 1) : NULL;
            if (text && H5Aread(a, t, text) < 0) {
                free(text);
                text = NULL;
            }
        }
    }
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return text;
}

long long cs_h5_attr_int(hid_t loc, const char *name, long long def) {
    if (H5Aexists(loc, name) <= 0) return def;
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT), t = a >= 0 ? H5Aget_type(a) : -1;
    hid_t sp = a >= 0 ? H5Aget_space(a) : -1;
    long long v = def;
    if (t >= 0 && sp >= 0 && H5Tget_class(t) == H5T_INTEGER &&
        H5Sget_simple_extent_npoints(sp) == 1 && H5Aread(a, H5T_NATIVE_LLONG, &v) < 0)
        v = def;
    if (sp >= 0) H5Sclose(sp);
    if (t >= 0) H5Tclose(t);
    if (a >= 0) H5Aclose(a);
    return v;
}

char *cs_output_read_config(const char *path) {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0 || H5Fis_hdf5(path) <= 0) return NULL;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return NULL;
    char *text = cs_h5_attr_text(f, "config");
    H5Fclose(f);
    return text;
}
