/* test_checkpoint.c: the checkpoint file (sim/checkpoint.c) in process: the checksum notices any
 * single changed bit; a state written after a few steps and loaded into a freshly initialised
 * model equals the original, and both go on to the same next step bit for bit. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "check.h"
#include "config.h"
#include "metrics.h"

static void test_hash_sees_every_bit(void) {
    unsigned char buf[67];
    for (size_t k = 0; k < sizeof buf; k++) buf[k] = (unsigned char)(k * 37 + 11);
    uint64_t h0 = cs_checkpoint_hash(buf, sizeof buf, 0);
    int same = 0;
    for (size_t k = 0; k < sizeof buf; k++)
        for (int b = 0; b < 8; b++) {
            buf[k] ^= (unsigned char)(1u << b);
            same += cs_checkpoint_hash(buf, sizeof buf, 0) == h0;
            buf[k] ^= (unsigned char)(1u << b);
        }
    CHECK(same == 0);
    CHECK(cs_checkpoint_hash(buf, sizeof buf - 1, 0) != h0);
    CHECK(cs_checkpoint_hash(NULL, 0, 0) == cs_checkpoint_hash(buf, 0, 0));
}

static int same_state(const cs_sim *a, const cs_sim *b) {
    const cs_firms *fa = &a->firms, *fb = &b->firms;
    size_t n = (size_t)fa->n, nw = (size_t)a->workers.n, nc = (size_t)a->land.ncell;
    if (a->step != b->step || fa->n != fb->n || a->next_firm_id != b->next_firm_id) return 0;
    return memcmp(fa->id, fb->id, n * sizeof *fa->id) == 0 &&
           memcmp(fa->A, fb->A, n * sizeof *fa->A) == 0 &&
           memcmp(fa->cash, fb->cash, n * sizeof *fa->cash) == 0 &&
           memcmp(fa->cell, fb->cell, n * sizeof *fa->cell) == 0 &&
           memcmp(a->workers.employer, b->workers.employer, nw * sizeof(int32_t)) == 0 &&
           memcmp(a->workers.skill, b->workers.skill, nw * sizeof(float)) == 0 &&
           memcmp(a->workers.home, b->workers.home, nw * sizeof(int32_t)) == 0 &&
           memcmp(a->f.wbar, b->f.wbar, nc * sizeof(double)) == 0 &&
           memcmp(a->land.K, b->land.K, nc * sizeof(double)) == 0 &&
           memcmp(a->price, b->price, sizeof a->price) == 0;
}

/* A temporary folder dir (a template, filled in) with the names of two run files and a
 * checkpoint in it, and the small every-policy scenario both tests run. */
static void setup(char *dir, char *out_a, char *out_b, char *ck, cs_params *par) {
    CHECK(mkdtemp(dir) != NULL);
    snprintf(out_a, 96, "%s/a.h5", dir);
    snprintf(out_b, 96, "%s/b.h5", dir);
    snprintf(ck, 96, "%s/a.ckpt.h5", dir);
    char err[2048];
    char *sets[] = {"scale=0.0002", "steps=6", "seed=5L"};
    CHECK(cs_config_load(par, "tests/data/determinism/all_policies.cfg", 3, sets, NULL, err,
                         sizeof err) == 0);
}

/* Writes a's state (its run file oa, the config text, the run file's name out, a checkpoint
 * interval) to the checkpoint ck and opens it again, its parameters into back and its metadata
 * into rm: as a run stops and `clustersim resume` starts. NULL (with err) if refused. */
static cs_ckpt *write_then_open(const char *ck, cs_sim *a, cs_output *oa, char *text, char *out,
                                int every, cs_params *back, cs_ckpt_meta *rm, char *err,
                                size_t errlen) {
    cs_ckpt_meta meta = {.scenario_path = "x.cfg",
                         .config_text = text,
                         .config_source = "",
                         .out_path = out,
                         .resumed = "",
                         .every = every};
    CHECK(cs_checkpoint_write(ck, a, oa, &meta, err, errlen) == 0);
    return cs_checkpoint_open(ck, back, rm, err, errlen);
}

static void test_round_trip(void) {
    char dir[] = "/tmp/cs_ckpt_test.XXXXXX", out_a[96], out_b[96], ck[96];
    static cs_params par, back;
    char err[2048];
    setup(dir, out_a, out_b, ck, &par);
    cs_sim *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    cs_metrics *m = calloc(1, sizeof *m);
    CHECK(cs_sim_init(a, &par) == 0);
    char *text = cs_config_to_string(&a->par);
    cs_output *oa = cs_output_open(out_a, a, "x.cfg", text, "", err, sizeof err);
    CHECK(oa != NULL);
    for (int k = 0; k < 3; k++) {
        cs_step(a);
        cs_metrics_compute(a, m);
        CHECK(cs_output_step(oa, a, m) == 0);
    }
    cs_ckpt_meta rm;
    cs_ckpt *c = write_then_open(ck, a, oa, text, out_a, 2, &back, &rm, err, sizeof err);
    CHECK_MSG(c != NULL, "%s", err);
    if (c) {
        CHECK(memcmp(&back, &a->par, sizeof back) == 0);
        CHECK(rm.step == 3 && rm.steps == 6 && rm.every == 2);
        CHECK(strcmp(rm.config_text, text) == 0 && strcmp(rm.out_path, out_a) == 0);
        /* as `clustersim resume` does: no initial economy drawn, the start's capacities read
         * before the run file is opened, then the state loaded and the rows appended */
        CHECK(cs_sim_init_bare(b, &back) == 0);
        CHECK(b->workers.n == a->workers.n && b->firms.n == 0);
        CHECK(!same_state(a, b));
        CHECK_MSG(cs_checkpoint_load_start(c, b, err, sizeof err) == 0, "%s", err);
        /* the start's capacities (the run file's maps), which the steps have since moved */
        const size_t nc = (size_t)a->land.ncell;
        CHECK(memcmp(a->land.K0, b->land.K0, nc * sizeof(double)) == 0 &&
              memcmp(a->land.Kh0, b->land.Kh0, nc * sizeof(double)) == 0);
        CHECK(memcmp(a->land.K0, a->land.K, nc * sizeof(double)) != 0);
        /* and the location fundamentals fitted at the real start (nonzero: a real check) */
        const size_t ns = nc * (size_t)a->S;
        int fitted = 0;
        for (size_t q = 0; q < ns; q++) fitted |= a->land.fund[q] != 0.0;
        CHECK(fitted && memcmp(a->land.fund, b->land.fund, ns * sizeof(double)) == 0);
        cs_output *ob = cs_output_open(out_b, b, "x.cfg", text, "", err, sizeof err);
        CHECK(ob != NULL);
        CHECK_MSG(cs_checkpoint_load(c, b, ob, err, sizeof err) == 0, "%s", err);
        CHECK(same_state(a, b));
        for (int k = 0; k < 3; k++) {
            cs_step(a);
            cs_step(b);
            CHECK(same_state(a, b)); /* and the next steps are the same, bit for bit */
        }
        cs_output_abort(ob);
        cs_checkpoint_close(c);
        cs_checkpoint_meta_free(&rm);
        cs_sim_free(b);
    }
    cs_output_abort(oa);
    cs_sim_free(a);
    free(a), free(b), free(m), free(text);
    unlink(ck);
    rmdir(dir);
}

/* A checkpoint whose checksums match but whose state holds an index out of range (edited, or
 * written by a faulty build) is refused with a message, not followed out of bounds: a worker's
 * employer, a firm's cell, the link count. */
static void test_refuses_impossible_indices(void) {
    char dir[] = "/tmp/cs_ckpt_bad.XXXXXX", out[96], out2[96], ck[96];
    static cs_params par, back;
    char err[2048];
    setup(dir, out, out2, ck, &par);
    for (int k = 0; k < 3; k++) {
        cs_sim *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        cs_metrics *m = calloc(1, sizeof *m);
        CHECK(cs_sim_init(a, &par) == 0);
        char *text = cs_config_to_string(&a->par);
        cs_output *oa = cs_output_open(out, a, "x.cfg", text, "", err, sizeof err);
        cs_step(a);
        cs_metrics_compute(a, m);
        CHECK(cs_output_step(oa, a, m) == 0);
        /* the value edited, and an impossible one for it */
        int32_t *field = k == 0   ? &a->workers.employer[0]
                         : k == 1 ? &a->firms.cell[0]
                                  : &a->n_links;
        const int32_t bad = k == 0 ? a->firms.n + 5 : k == 1 ? a->land.ncell : CS_MAX_POLICIES + 1;
        const int32_t keep = *field;
        *field = bad;
        cs_ckpt_meta rm;
        cs_ckpt *c = write_then_open(ck, a, oa, text, out, 0, &back, &rm, err, sizeof err);
        *field = keep; /* the simulation itself stays sound (it is freed below) */
        CHECK_MSG(c != NULL, "%s", err);
        if (c) {
            CHECK(cs_sim_init_bare(b, &back) == 0);
            CHECK(cs_checkpoint_load_start(c, b, err, sizeof err) == 0);
            cs_output *ob = cs_output_open(out2, b, "x.cfg", text, "", err, sizeof err);
            err[0] = 0;
            CHECK(cs_checkpoint_load(c, b, ob, err, sizeof err) != 0);
            CHECK_MSG(strstr(err, "out of range") || strstr(err, "impossible"), "case %d: %s", k,
                      err);
            cs_output_abort(ob);
            cs_checkpoint_close(c);
            cs_checkpoint_meta_free(&rm);
            cs_sim_free(b);
        }
        cs_output_abort(oa);
        cs_sim_free(a);
        free(a), free(b), free(m), free(text);
        unlink(ck);
    }
    rmdir(dir);
}

static void test_missing_file(void) {
    static cs_params par;
    cs_ckpt_meta meta;
    char err[512] = "";
    CHECK(cs_checkpoint_open("/nonexistent/x.ckpt.h5", &par, &meta, err, sizeof err) == NULL);
    CHECK(strstr(err, "/nonexistent/x.ckpt.h5: cannot read") == err);
}

int main(void) {
    RUN(test_hash_sees_every_bit);
    RUN(test_round_trip);
    RUN(test_missing_file);
    RUN(test_refuses_impossible_indices);
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}
