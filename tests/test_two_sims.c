/* test_two_sims.c: two simulations in one process. Their work space is their own (cs_buffers),
 * not file-scope statics, so stepping two simulations in turn, and freeing one while the other
 * goes on, gives each exactly the trajectory it has alone: every step's metrics and the final
 * agents compared byte for byte. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clustersim.h"
#include "config.h"
#include "metrics.h"

#define STEPS 10

typedef struct trace {
    cs_metrics m[STEPS + 1];
} trace;

static int load(cs_params *p, const char *path, const char *seed) {
    char *sets[] = {"scale=0.0005", "steps=10", (char *)seed};
    char err[2048];
    int rc = cs_config_load(p, path, 3, sets, NULL, err, sizeof err);
    if (rc) fprintf(stderr, "%s\n", err);
    return rc;
}

/* Final agents of sim equal those of ref, byte for byte. */
static int same_agents(const cs_sim *a, const cs_sim *b) {
    const cs_firms *fa = &a->firms, *fb = &b->firms;
    if (fa->n != fb->n || a->workers.n != b->workers.n) return 0;
    size_t nf = (size_t)fa->n, nw = (size_t)a->workers.n;
    return memcmp(fa->id, fb->id, nf * sizeof *fa->id) == 0 &&
           memcmp(fa->cell, fb->cell, nf * sizeof *fa->cell) == 0 &&
           memcmp(fa->A, fb->A, nf * sizeof *fa->A) == 0 &&
           memcmp(fa->n_emp, fb->n_emp, nf * sizeof *fa->n_emp) == 0 &&
           memcmp(fa->cash, fb->cash, nf * sizeof *fa->cash) == 0 &&
           memcmp(a->workers.employer, b->workers.employer, nw * sizeof(int32_t)) == 0 &&
           memcmp(a->workers.home, b->workers.home, nw * sizeof(int32_t)) == 0 &&
           memcmp(a->workers.skill, b->workers.skill, nw * sizeof(float)) == 0;
}

static void run_alone(const cs_params *p, trace *t, cs_sim *keep) {
    cs_sim *sim = calloc(1, sizeof *sim);
    CHECK(cs_sim_init(sim, p) == 0);
    cs_metrics_compute(sim, &t->m[0]);
    for (int s = 1; s <= STEPS; s++) {
        cs_step(sim);
        cs_metrics_compute(sim, &t->m[s]);
    }
    *keep = *sim; /* freed by the caller */
    free(sim);
}

static void test_interleaved_equal_alone(void) {
    cs_params *pa = malloc(sizeof *pa), *pb = malloc(sizeof *pb);
    CHECK(load(pa, "tests/data/determinism/all_policies.cfg", "seed=3L") == 0);
    CHECK(load(pb, "scenarios/baseline.cfg", "seed=8L") == 0);
    trace *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);
    cs_sim *alone_a = calloc(1, sizeof *alone_a), *alone_b = calloc(1, sizeof *alone_b);
    omp_set_num_threads(2);
    run_alone(pa, ta, alone_a);
    run_alone(pb, tb, alone_b);

    /* both at once, a step of one then a step of the other, b on another thread count */
    cs_sim *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    cs_metrics *m = malloc(sizeof *m);
    CHECK(cs_sim_init(a, pa) == 0);
    CHECK(cs_sim_init(b, pb) == 0);
    int bad_a = 0, bad_b = 0;
    cs_metrics_compute(a, m);
    bad_a += memcmp(m, &ta->m[0], sizeof *m) != 0;
    cs_metrics_compute(b, m);
    bad_b += memcmp(m, &tb->m[0], sizeof *m) != 0;
    for (int s = 1; s <= STEPS; s++) {
        omp_set_num_threads(2);
        cs_step(a);
        omp_set_num_threads(1);
        cs_step(b);
        cs_metrics_compute(a, m);
        bad_a += memcmp(m, &ta->m[s], sizeof *m) != 0;
        cs_metrics_compute(b, m);
        bad_b += memcmp(m, &tb->m[s], sizeof *m) != 0;
    }
    CHECK(bad_a == 0);
    CHECK(bad_b == 0);
    CHECK(same_agents(a, alone_a));
    CHECK(same_agents(b, alone_b));
    /* freeing one simulation leaves the other's work space alone */
    cs_sim_free(alone_a);
    cs_sim_free(alone_b);
    cs_sim_free(a);
    cs_metrics_compute(b, m);
    CHECK(memcmp(m, &tb->m[STEPS], sizeof *m) == 0);
    cs_step(b);
    cs_metrics_compute(b, m);
    CHECK(m->ts[CS_TS_EMPLOYMENT] > 0);
    cs_sim_free(b);
    free(a), free(b), free(alone_a), free(alone_b), free(m), free(ta), free(tb), free(pa), free(pb);
}

/* Both stepping at the same time, one per thread (what an in-process scheduler would do): with
 * shared work space they would overwrite each other's scratch, the metrics' included. */
static void test_concurrent_equal_alone(void) {
    cs_params *pa = malloc(sizeof *pa), *pb = malloc(sizeof *pb);
    CHECK(load(pa, "tests/data/determinism/all_policies.cfg", "seed=5L") == 0);
    CHECK(load(pb, "tests/data/determinism/all_policies.cfg", "seed=6L") == 0);
    trace *ta = calloc(1, sizeof *ta), *tb = calloc(1, sizeof *tb);
    cs_sim *alone_a = calloc(1, sizeof *alone_a), *alone_b = calloc(1, sizeof *alone_b);
    omp_set_num_threads(1);
    run_alone(pa, ta, alone_a);
    run_alone(pb, tb, alone_b);
    cs_sim *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    cs_metrics *m = malloc(2 * sizeof *m);
    CHECK(cs_sim_init(a, pa) == 0);
    CHECK(cs_sim_init(b, pb) == 0);
    int bad = 0;
    int saved = omp_get_max_active_levels();
    omp_set_max_active_levels(1); /* the model's own parallel loops run on one thread here */
    for (int s = 1; s <= STEPS; s++) {
#pragma omp parallel num_threads(2)
        {
            int t = omp_get_thread_num();
            if (omp_get_num_threads() == 2) {
                cs_step(t == 0 ? a : b);
                cs_metrics_compute(t == 0 ? a : b, &m[t]);
            }
#pragma omp single
            if (omp_get_num_threads() != 2) {
                cs_step(a), cs_metrics_compute(a, &m[0]);
                cs_step(b), cs_metrics_compute(b, &m[1]);
            }
        }
        bad += memcmp(&m[0], &ta->m[s], sizeof *m) != 0;
        bad += memcmp(&m[1], &tb->m[s], sizeof *m) != 0;
    }
    omp_set_max_active_levels(saved);
    CHECK(bad == 0);
    CHECK(same_agents(a, alone_a));
    CHECK(same_agents(b, alone_b));
    cs_sim_free(alone_a), cs_sim_free(alone_b), cs_sim_free(a), cs_sim_free(b);
    free(a), free(b), free(alone_a), free(alone_b), free(m), free(ta), free(tb), free(pa), free(pb);
}

int main(void) {
    RUN(test_interleaved_equal_alone);
    RUN(test_concurrent_equal_alone);
    return CHECK_DONE();
}
