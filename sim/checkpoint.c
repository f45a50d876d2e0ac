/* checkpoint.c: writing and reading the checkpoint file (checkpoint.h, docs/reliability.md).
 *
 * What is stored is every piece of state read by a step before the step recomputes it: the
 * step, the firm id counter, prices and demand, links, the landscape arrays that policies and
 * development move (capacities, amenity, reach, assets, universities), every firm and worker
 * array, every field (fields of the last step are read by the next one: J, N, wbar, ...), the
 * policy ledgers (policies.c), and the run file's rows so far. The random streams are keyed by
 * (seed, step, phase, entity), so no generator state exists to save. Work buffers and indices
 * rebuilt before use are not stored.
 *
 * Every dataset is a 1-D byte array with a "hash" attribute (cs_checkpoint_hash of its bytes),
 * checked on reading, so a flipped byte is found before anything is used; structs are stored
 * as their bytes, which is why the build (git hash and struct sizes) must match. */
#include "checkpoint.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fields.h"
#include "policies.h"

struct cs_ckpt {
    hid_t file;
    char *path;
};

/* One reader or writer of datasets; the first failure is kept in err. */
typedef struct io {
    hid_t file;
    int writing;
    char *err;
    size_t errlen;
} io;

static int io_fail(io *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

uint64_t cs_checkpoint_hash(const void *data, size_t n, uint64_t seed) {
    /* each step is a bijection of h for a fixed input word, so two inputs that differ in one
     * word (one byte) always hash differently; 8 bytes per step keeps 1 GiB under a second */
    const unsigned char *b = data;
    uint64_t h = seed ^ 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x100000001B3ull;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    if (n > i) memcpy(&w, b + i, n - i); /* b may be NULL when n is 0 */
    h = (h ^ w ^ ((uint64_t)(n - i) << 59)) * 0x100000001B3ull;
    h ^= h >> 32;
    return h;
}

/* ---- datasets ---- */

static int put(io *c, const char *name, const void *data, size_t bytes) {
    hsize_t dim = bytes;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t d =
        H5Dcreate2(c->file, name, H5T_NATIVE_UCHAR, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    int bad =
        d < 0 || (bytes && H5Dwrite(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0);
    if (!bad) {
        uint64_t h = cs_checkpoint_hash(data, bytes, 0);
        hid_t as = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(d, "hash", H5T_STD_U64LE, as, H5P_DEFAULT, H5P_DEFAULT);
        bad = a < 0 || H5Awrite(a, H5T_NATIVE_UINT64, &h) < 0;
        if (a >= 0) H5Aclose(a);
        H5Sclose(as);
    }
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    if (bad) return io_fail(c, "cannot write %s (disk full?)", name);
    return 0;
}

/* 1 if attribute a holds exactly one element (a scalar, or an array of one): every attribute of
 * a checkpoint does, and reading a longer one into a single value would overrun it. */
static int attr_single(hid_t a) {
    hid_t sp = H5Aget_space(a);
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    if (sp >= 0) H5Sclose(sp);
    return n == 1;
}

/* Reads dataset name (its size must be want bytes unless want < 0): into data, or when out is
 * not NULL into a malloc'd buffer with a NUL after it (*out, length *len). Checks the hash. */
static int get(io *c, const char *name, void *data, long long want, void **out, size_t *len) {
    hid_t d = H5Dopen2(c->file, name, H5P_DEFAULT);
    if (d < 0) return io_fail(c, "%s is missing (truncated or not a checkpoint)", name);
    hid_t sp = H5Dget_space(d);
    hsize_t dim = 0;
    int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : -1;
    if (rank == 1) H5Sget_simple_extent_dims(sp, &dim, NULL);
    if (sp >= 0) H5Sclose(sp);
    int rc = 0;
    unsigned char *buf = data;
    /* texts (want < 0: the config, paths) are far below CS_CKPT_TEXT_MAX; a larger one is a
     * damaged header that would otherwise be allocated before its checksum is tried */
    if (rank != 1) {
        rc = io_fail(
            c, "%s has %d dimensions where a checkpoint has 1 (corrupted, or not a checkpoint)",
            name, rank);
        goto done;
    }
    if ((want >= 0 && dim != (hsize_t)want) || dim > ((hsize_t)1 << 40) ||
        (want < 0 && dim > CS_CKPT_TEXT_MAX)) {
        rc = io_fail(c, "%s has the wrong size (%llu bytes; another configuration, or corrupted)",
                     name, (unsigned long long)dim);
        goto done;
    }
    if (out) {
        buf = malloc((size_t)dim + 1);
        if (!buf) {
            rc = io_fail(c, "out of memory reading %s", name);
            goto done;
        }
        buf[dim] = 0;
    }
    uint64_t stored = 0;
    hid_t a = H5Aopen(d, "hash", H5P_DEFAULT);
    int bad = a < 0 || !attr_single(a) || H5Aread(a, H5T_NATIVE_UINT64, &stored) < 0;
    if (a >= 0) H5Aclose(a);
    if (!bad && dim) bad = H5Dread(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0;
    if (bad)
        rc = io_fail(c, "cannot read %s (truncated or corrupted)", name);
    else if (cs_checkpoint_hash(buf, (size_t)dim, 0) != stored)
        rc = io_fail(c, "%s is corrupted (its checksum does not match)", name);
    if (out) {
        if (rc)
            free(buf);
        else
            *out = buf, *len = (size_t)dim;
    }
done:
    H5Dclose(d);
    return rc;
}

/* Writes or reads n elements of size bytes in place (cs_state_fn, also used by policies.c). */
static int item(void *ctx, const char *name, size_t size, void *data, size_t n) {
    io *c = ctx;
    if (c->writing) return put(c, name, data, size * n);
    return get(c, name, data, (long long)(size * n), NULL, NULL);
}

#define ITEM(c, name, ptr, n) item((c), (name), sizeof *(ptr), (void *)(ptr), (size_t)(n))

/* Struct sizes and capacities that byte-stored structs depend on. */
static void layout(int64_t *v) {
    v[0] = (int64_t)sizeof(cs_params);
    v[1] = (int64_t)sizeof(cs_university);
    v[2] = (int64_t)sizeof(cs_city);
    v[3] = (int64_t)sizeof(cs_link);
    v[4] = (int64_t)sizeof(cs_counters);
    v[5] = CS_MAX_POLICIES;
    v[6] = CS_MAX_SECTORS;
    v[7] = CS_MAX_REGIONS;
}
#define N_LAYOUT 8

/* What the initial economy set in the landscape, which the run file's /landscape shows: the
 * capacities at the start (the steps move K and Kh) and the location fundamentals fitted to it
 * (constant in a run). Amenities and universities at the start are the landscape's as built. */
static int start_maps(io *c, cs_sim *sim) {
    const cs_landscape *l = &sim->land;
    const size_t nc = (size_t)l->ncell, ns = nc * (size_t)sim->S;
    return ITEM(c, "land_K0", l->K0, nc) || ITEM(c, "land_Kh0", l->Kh0, nc) ||
           ITEM(c, "land_fund", l->fund, ns) || ITEM(c, "land_fund_asset", l->fund_asset, ns);
}

/* Every piece of state carried from one step to the next, in a fixed order. */
/* The indices a step follows without checking (cells, sectors, employers, link ends) are in
 * range: a checkpoint whose checksums match but whose values were edited is refused rather
 * than read out of bounds. */
static int indices_ok(const cs_sim *sim) {
    const cs_landscape *l = &sim->land;
    const cs_firms *F = &sim->firms;
    const cs_workers *Wk = &sim->workers;
    const int32_t nc = l->ncell;
    for (int m = 0; m < sim->n_links; m++) {
        const cs_link *k = &sim->links[m];
        if (k->ax < 0 || k->ax >= l->W || k->bx < 0 || k->bx >= l->W || k->ay < 0 ||
            k->ay >= l->H || k->by < 0 || k->by >= l->H)
            return 0;
    }
    for (int32_t i = 0; i < F->n; i++)
        if (F->cell[i] < 0 || F->cell[i] >= nc || F->sector[i] >= sim->S || F->n_emp[i] < 0)
            return 0;
    for (int32_t j = 0; j < Wk->n; j++)
        if (Wk->home[j] < 0 || Wk->home[j] >= nc || Wk->employer[j] < -1 || Wk->employer[j] >= F->n)
            return 0;
    return 1;
}

static int state(io *c, cs_sim *sim) {
    const size_t nc = (size_t)sim->land.ncell, ns = nc * (size_t)sim->S;
    cs_landscape *l = &sim->land;
    cs_firms *F = &sim->firms;
    cs_workers *Wk = &sim->workers;
    cs_fields *f = &sim->f;
    int32_t fn[2] = {F->n, F->cap};
    if (ITEM(c, "sim_step", &sim->step, 1) || ITEM(c, "sim_next_firm_id", &sim->next_firm_id, 1) ||
        ITEM(c, "sim_price", sim->price, CS_MAX_SECTORS) ||
        ITEM(c, "sim_demand", sim->demand, CS_MAX_SECTORS) ||
        ITEM(c, "sim_n_links", &sim->n_links, 1) ||
        ITEM(c, "sim_links", sim->links, CS_MAX_POLICIES) || ITEM(c, "sim_counters", &sim->cnt, 1))
        return -1;
    if (!c->writing && (sim->step < 0 || sim->step > sim->par.steps || sim->n_links < 0 ||
                        sim->n_links > CS_MAX_POLICIES))
        return io_fail(c, "sim_step or sim_n_links: impossible values (corrupted)");
    if (ITEM(c, "land_K", l->K, nc) || ITEM(c, "land_Kh", l->Kh, nc) ||
        ITEM(c, "land_amenity", l->amenity, nc) || ITEM(c, "land_reach", l->reach, nc) ||
        ITEM(c, "land_pop_weight", l->pop_weight, nc) || ITEM(c, "land_asset", l->asset, ns) ||
        ITEM(c, "land_offset_kept", &l->offset_kept, 1) ||
        ITEM(c, "land_univ", l->univ, l->n_univ) || ITEM(c, "land_cities", l->cities, l->n_cities))
        return -1;
    if (ITEM(c, "firms_n_cap", fn, 2)) return -1;
    if (!c->writing) {
        if (fn[0] < 0 || fn[1] < fn[0] || fn[1] > (1 << 30))
            return io_fail(c, "firms_n_cap: impossible firm count %d (capacity %d)", fn[0], fn[1]);
        cs_firms_reserve(sim, fn[1]);
        F->n = fn[0];
    }
    const size_t n = (size_t)F->n;
    if (ITEM(c, "firms_id", F->id, n) || ITEM(c, "firms_parent", F->parent, n) ||
        ITEM(c, "firms_cell", F->cell, n) || ITEM(c, "firms_sector", F->sector, n) ||
        ITEM(c, "firms_origin", F->origin, n) || ITEM(c, "firms_birth", F->birth, n) ||
        ITEM(c, "firms_n_emp", F->n_emp, n) || ITEM(c, "firms_empty", F->empty, n) ||
        ITEM(c, "firms_A", F->A, n) || ITEM(c, "firms_H", F->H, n) || ITEM(c, "firms_w", F->w, n) ||
        ITEM(c, "firms_cash", F->cash, n) || ITEM(c, "firms_Y", F->Y, n) ||
        ITEM(c, "firms_phi", F->phi, n) || ITEM(c, "firms_hstar", F->hstar, n) ||
        ITEM(c, "firms_vac", F->vac, n) || ITEM(c, "firms_rho", F->rho, n) ||
        ITEM(c, "firms_credit", F->credit, n) || ITEM(c, "firms_profit", F->profit, n) ||
        ITEM(c, "firms_pay", F->pay, n) || ITEM(c, "firms_kept", F->kept, n) ||
        ITEM(c, "firms_alive", F->alive, n))
        return -1;
    const size_t nw = (size_t)Wk->n;
    if (ITEM(c, "workers_home", Wk->home, nw) || ITEM(c, "workers_employer", Wk->employer, nw) ||
        ITEM(c, "workers_hired", Wk->hired, nw) || ITEM(c, "workers_unemp", Wk->unemp, nw) ||
        ITEM(c, "workers_skill", Wk->skill, nw) || ITEM(c, "workers_graduate", Wk->graduate, nw))
        return -1;
    if (!c->writing && !indices_ok(sim))
        return io_fail(c, "an agent's cell, sector or employer is out of range (corrupted)");
    if (ITEM(c, "fields_E_s", f->E_s, ns) || ITEM(c, "fields_E", f->E, nc) ||
        ITEM(c, "fields_N", f->N, nc) || ITEM(c, "fields_J", f->J, nc) ||
        ITEM(c, "fields_J_ls", f->J_ls, nc) || ITEM(c, "fields_AE_s", f->AE_s, ns) ||
        ITEM(c, "fields_L_s", f->L_s, ns) || ITEM(c, "fields_P", f->P, nc) ||
        ITEM(c, "fields_D", f->D, nc) || ITEM(c, "fields_U_s", f->U_s, ns) ||
        ITEM(c, "fields_Abar_s", f->Abar_s, ns) || ITEM(c, "fields_rent", f->rent, nc) ||
        ITEM(c, "fields_house", f->house, nc) || ITEM(c, "fields_wbar", f->wbar, nc) ||
        ITEM(c, "fields_p_ls", f->p_ls, nc) || ITEM(c, "fields_vac", f->vac, nc) ||
        ITEM(c, "fields_wage_sum", f->wage_sum, nc) ||
        ITEM(c, "fields_skill_sum", f->skill_sum, nc) ||
        ITEM(c, "fields_Amean_s", f->Amean_s, CS_MAX_SECTORS) || ITEM(c, "fields_nu", &f->nu, 1) ||
        ITEM(c, "fields_mean_skill", &f->mean_skill, 1) ||
        ITEM(c, "fields_E_tot_s", f->E_tot_s, CS_MAX_SECTORS))
        return -1;
    return cs_policies_state(sim, item, c);
}

/* The run file's rows so far: per block its shape (type, rank, dims) and its data. */
static int blocks(io *c, cs_output *o) {
    int nb = cs_output_nblocks(o);
    for (int k = 0; k < nb; k++) {
        char name[32], sname[40];
        snprintf(name, sizeof name, "output_%02d", k);
        snprintf(sname, sizeof sname, "output_%02d_shape", k);
        cs_output_block b;
        int64_t shape[6] = {0};
        if (c->writing) {
            if (cs_output_read_block(o, k, &b))
                return io_fail(c, "cannot read the run file back: %s", cs_output_error());
            size_t bytes = b.type == CS_OUT_F64 ? 8 : 4;
            shape[0] = b.type, shape[1] = b.rank;
            for (int r = 0; r < b.rank; r++) shape[2 + r] = (int64_t)b.dims[r], bytes *= b.dims[r];
            int rc = ITEM(c, sname, shape, 6) || put(c, name, b.data, bytes);
            free(b.data);
            if (rc) return -1;
            continue;
        }
        if (ITEM(c, sname, shape, 6)) return -1;
        memset(&b, 0, sizeof b);
        b.type = (int)shape[0], b.rank = (int)shape[1];
        uint64_t bytes = b.type == CS_OUT_F64 ? 8 : 4;
        int ok = b.type >= 0 && b.type <= CS_OUT_I32 && b.rank >= 1 && b.rank <= 4;
        for (int r = 0; ok && r < b.rank; r++) {
            ok = shape[2 + r] >= 0 && shape[2 + r] < ((int64_t)1 << 32);
            b.dims[r] = (uint64_t)shape[2 + r];
            bytes *= b.dims[r];
            ok = ok && bytes < ((uint64_t)1 << 40);
        }
        if (!ok) return io_fail(c, "%s: impossible shape (corrupted)", sname);
        size_t len = 0;
        if (get(c, name, NULL, (long long)bytes, &b.data, &len)) return -1;
        int rc = cs_output_restore_block(o, k, &b);
        free(b.data);
        if (rc) return io_fail(c, "%s: %s", name, cs_output_error());
    }
    return 0;
}

/* ---- root attributes ---- */

static int attr_put_str(hid_t loc, const char *name, const char *v) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(v) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int bad = a < 0 || H5Awrite(a, t, v) < 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return bad ? -1 : 0;
}

static int attr_put_i32(hid_t loc, const char *name, int32_t v) {
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int bad = a < 0 || H5Awrite(a, H5T_NATIVE_INT32, &v) < 0;
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return bad ? -1 : 0;
}

/* A fixed-length string attribute into buf (len bytes); -1 if absent or not a short string. */
static int attr_get_str(hid_t loc, const char *name, char *buf, size_t len) {
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    hid_t t = H5Aget_type(a);
    int rc = -1;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && !H5Tis_variable_str(t) && H5Tget_size(t) < len &&
        attr_single(a)) {
        memset(buf, 0, len);
        rc = H5Aread(a, t, buf) < 0 ? -1 : 0;
        buf[len - 1] = 0;
    }
    if (t >= 0) H5Tclose(t);
    H5Aclose(a);
    return rc;
}

static int attr_get_i32(hid_t loc, const char *name, int32_t *v) {
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0) return -1;
    int rc = !attr_single(a) || H5Aread(a, H5T_NATIVE_INT32, v) < 0 ? -1 : 0;
    H5Aclose(a);
    return rc;
}

static void hash_hex(const char *text, char *out) {
    snprintf(out, 17, "%016llx",
             (unsigned long long)cs_checkpoint_hash(text, strlen(text), 0x636f6e666967ull));
}

/* ---- write ---- */

int cs_checkpoint_write(const char *path, const cs_sim *sim, cs_output *o, const cs_ckpt_meta *meta,
                        char *err, size_t errlen) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    size_t plen = strlen(path) + 32;
    char *tmp = malloc(plen);
    if (!tmp) return snprintf(err, errlen, "out of memory"), -1;
    snprintf(tmp, plen, "%s.tmp.%ld", path, (long)getpid());
    /* the newest file format: object headers and the superblock carry their own checksums */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    io c = {.writing = 1, .err = err, .errlen = errlen};
    c.file = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
    H5Pclose(fapl);
    if (c.file < 0) {
        snprintf(err, errlen, "%s: cannot create checkpoint: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    char chash[17];
    hash_hex(meta->config_text, chash);
    int64_t lay[N_LAYOUT];
    layout(lay);
    int32_t nums[3] = {meta->every, sim->step, sim->par.steps};
    const char *resumed = meta->resumed ? meta->resumed : "";
    int bad = attr_put_str(c.file, "format", CS_CKPT_FORMAT) ||
              attr_put_i32(c.file, "format_version", CS_CKPT_VERSION) ||
              attr_put_str(c.file, "git_hash", cs_git_hash) ||
              attr_put_str(c.file, "config_hash", chash) || attr_put_i32(c.file, "step", sim->step);
    if (bad) io_fail(&c, "cannot write the checkpoint's attributes (disk full?)");
    bad = bad || ITEM(&c, "layout", lay, N_LAYOUT) || ITEM(&c, "params", &sim->par, 1) ||
          ITEM(&c, "numbers", nums, 3) ||
          put(&c, "scenario_path", meta->scenario_path, strlen(meta->scenario_path)) ||
          put(&c, "config_text", meta->config_text, strlen(meta->config_text)) ||
          put(&c, "config_source", meta->config_source, strlen(meta->config_source)) ||
          put(&c, "out_path", meta->out_path, strlen(meta->out_path)) ||
          put(&c, "resumed", resumed, strlen(resumed)) || start_maps(&c, (cs_sim *)sim) ||
          state(&c, (cs_sim *)sim) || blocks(&c, o);
    if (H5Fclose(c.file) < 0 && !bad) bad = io_fail(&c, "cannot close the checkpoint (disk full?)");
    /* on disk before it replaces the previous checkpoint: a crash leaves one or the other */
    if (!bad) {
        int fd = open(tmp, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0) bad = io_fail(&c, "cannot sync: %s", strerror(errno));
        if (fd >= 0) close(fd);
    }
    if (!bad && rename(tmp, path) != 0)
        bad = io_fail(&c, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (!bad && cs_sync_dir_of(path) != 0)
        bad = io_fail(&c, "cannot sync the folder of %s: %s", path, strerror(errno));
    if (bad) {
        char msg[1024];
        snprintf(msg, sizeof msg, "checkpoint %s: %s", path, err);
        snprintf(err, errlen, "%s", msg);
        remove(tmp);
    }
    free(tmp);
    return bad ? -1 : 0;
}

/* ---- read ---- */

void cs_checkpoint_meta_free(cs_ckpt_meta *m) {
    free(m->scenario_path), free(m->config_text), free(m->config_source);
    free(m->out_path), free(m->resumed);
    memset(m, 0, sizeof *m);
}

void cs_checkpoint_close(cs_ckpt *ck) {
    if (!ck) return;
    if (ck->file >= 0) H5Fclose(ck->file);
    free(ck->path);
    free(ck);
}

const char *cs_checkpoint_path(const cs_ckpt *ck) {
    return ck->path;
}

int cs_checkpoint_file_kind(const char *path) {
    H5dont_atexit(); /* see cs_output_open */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (access(path, R_OK) != 0 || H5Fis_hdf5(path) <= 0) return CS_FILE_OTHER;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return CS_FILE_HDF5;
    char *fmt = cs_h5_attr_text(f, "format");
    int kind = !fmt                               ? CS_FILE_HDF5
               : strcmp(fmt, CS_CKPT_FORMAT) == 0 ? CS_FILE_CHECKPOINT
               : strcmp(fmt, CS_FORMAT_NAME) == 0 ? CS_FILE_RUN
                                                  : CS_FILE_HDF5;
    free(fmt);
    H5Fclose(f);
    return kind;
}

cs_ckpt *cs_checkpoint_open(const char *path, cs_params *par, cs_ckpt_meta *meta, char *err,
                            size_t errlen) {
    H5dont_atexit(); /* see cs_output_open */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    memset(meta, 0, sizeof *meta);
    cs_ckpt *ck = calloc(1, sizeof *ck);
    if (!ck || !(ck->path = strdup(path))) {
        free(ck);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ck->file = -1;
    char msg[1024] = "";
    io c = {.writing = 0, .err = msg, .errlen = sizeof msg};
    struct stat st;
    if (access(path, R_OK) != 0 || stat(path, &st) != 0) {
        io_fail(&c, "cannot read: %s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) { /* a FIFO would block the open until a writer came */
        io_fail(&c, "not a regular file");
        goto fail;
    }
    if (H5Fis_hdf5(path) <= 0) {
        io_fail(&c, "not an HDF5 file (truncated or corrupted?)");
        goto fail;
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    ck->file = c.file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    H5Pclose(fapl);
    if (c.file < 0) {
        io_fail(&c, "cannot open as HDF5 (truncated or corrupted?)");
        goto fail;
    }
    char fmt[64], git[64], chash[32];
    int32_t ver = -1;
    if (attr_get_str(c.file, "format", fmt, sizeof fmt) || strcmp(fmt, CS_CKPT_FORMAT) != 0) {
        io_fail(&c, "not a clustersim checkpoint (no format attribute \"%s\")", CS_CKPT_FORMAT);
        goto fail;
    }
    if (attr_get_i32(c.file, "format_version", &ver) || ver != CS_CKPT_VERSION) {
        io_fail(&c, "checkpoint format version %d, this build reads version %d", (int)ver,
                CS_CKPT_VERSION);
        goto fail;
    }
    if (attr_get_str(c.file, "git_hash", git, sizeof git)) {
        io_fail(&c, "no readable git_hash attribute (not written by clustersim, or corrupted)");
        goto fail;
    }
    if (strcmp(git, cs_git_hash) != 0) {
        for (char *g = git; *g; g++) /* a damaged hash is printed, not its control bytes */
            if ((unsigned char)*g < 32 || (unsigned char)*g > 126) *g = '?';
        io_fail(&c, "written by build %s, this is build %s: finish it with that build, or rerun",
                git, cs_git_hash);
        goto fail;
    }
    int64_t lay[N_LAYOUT], want[N_LAYOUT];
    layout(want);
    if (ITEM(&c, "layout", lay, N_LAYOUT)) goto fail;
    if (memcmp(lay, want, sizeof lay) != 0) {
        io_fail(&c, "written by a build with another state layout");
        goto fail;
    }
    int32_t nums[3];
    size_t len;
    void *p;
    if (ITEM(&c, "params", par, 1) || ITEM(&c, "numbers", nums, 3)) goto fail;
    meta->every = nums[0], meta->step = nums[1], meta->steps = nums[2];
#define STR(name, field)                                                                           \
    if (get(&c, name, NULL, -1, &p, &len)) goto fail;                                              \
    meta->field = p;
    STR("scenario_path", scenario_path);
    STR("config_text", config_text);
    STR("config_source", config_source);
    STR("out_path", out_path);
    STR("resumed", resumed);
#undef STR
    char h[17];
    hash_hex(meta->config_text, h);
    if (attr_get_str(c.file, "config_hash", chash, sizeof chash) || strcmp(chash, h) != 0) {
        io_fail(&c, "the stored config does not match its hash (corrupted)");
        goto fail;
    }
    if (meta->every < 0 || meta->step < 0 || meta->step > meta->steps ||
        meta->steps != par->steps) {
        io_fail(&c, "impossible step %d of %d (corrupted)", meta->step, meta->steps);
        goto fail;
    }
    return ck;
fail:
    snprintf(err, errlen, "%s: %s", path, msg);
    cs_checkpoint_meta_free(meta);
    cs_checkpoint_close(ck);
    return NULL;
}

int cs_checkpoint_load_start(cs_ckpt *ck, cs_sim *sim, char *err, size_t errlen) {
    char msg[1024] = "";
    io c = {.file = ck->file, .writing = 0, .err = msg, .errlen = sizeof msg};
    if (start_maps(&c, sim)) {
        snprintf(err, errlen, "%s: %s", ck->path, msg);
        return -1;
    }
    return 0;
}

/* The start maps again, though `resume` read them with cs_checkpoint_load_start: the
 * fundamentals are state a step reads, and `bench --from` and the tests load in one call (the
 * maps are a few grids, the same size at every scale). */
int cs_checkpoint_load(cs_ckpt *ck, cs_sim *sim, cs_output *o, char *err, size_t errlen) {
    char msg[1024] = "";
    io c = {.file = ck->file, .writing = 0, .err = msg, .errlen = sizeof msg};
    if (start_maps(&c, sim) || state(&c, sim) || (o && blocks(&c, o))) {
        snprintf(err, errlen, "%s: %s", ck->path, msg);
        return -1;
    }
    cs_fields_forget(sim); /* the fields' grids are the checkpoint's now */
    return 0;
}
