/* cmd_bench.c: `clustersim bench`. Builds the UK-like landscape at a given scale, runs N steps
 * and reports time per step by phase, agent-updates per second (workers + firms per step,
 * fields and metrics excluded from the agent figure but reported), peak memory and, with
 * --speedup, the 1-thread to N-thread speedup. With --repeat R each configuration runs R times
 * and the fastest run (least agent-phase time) is reported: on a shared machine the best of
 * a few runs is the figure least disturbed by other processes; with --speedup as well, the
 * median speedup of the alternated pairs follows, which a machine whose speed drifts between
 * runs disturbs less. Each run first does what a run does before its first step (the initial
 * state's metrics) and --warmup steps (default 1) untimed: the first step touches every buffer
 * of the phases for the first time, page faults that a run of 160 steps pays once and a timing
 * of 10 steps would otherwise spread over 10 (at scale 0.1 the first step and its metrics take
 * about 100 ms more than the others). With --scaling, a table of the agent phases on 1, 2, 4,
 * ... threads up to --threads follows (strong scaling). With --from CKPT the timed state is a
 * checkpoint's (say step 120 of a 1:1 run) instead of a fresh start: a fresh start shows only
 * a run's first steps, and late steps can differ (the Gini's second pass ran in nine steps of ten
 * at 1:1 and in none of the first fourteen, docs/performance-log.md item 41). The last line is
 * `agent-updates/s: N`. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "checkpoint.h"
#include "cli.h"
#include "clustersim.h"
#include "config.h"
#include "metrics.h"

typedef struct bench_result {
    double seconds;           /* wall time of the steps */
    double phase[CS_NPHASES]; /* wall time by phase */
    double metrics_seconds;   /* metrics (phase 14), outside the agent figure */
    double agent_updates;     /* sum over steps of workers + firms */
    int32_t workers, firms, cells;
} bench_result;

/* Opens checkpoint `from` and reads its parameters into par; NULL (with a message) if it cannot
 * be used. */
static cs_ckpt *open_from(const char *from, cs_params *par) {
    cs_ckpt_meta meta;
    char err[2048];
    cs_ckpt *ck = cs_checkpoint_open(from, par, &meta, err, sizeof err);
    if (!ck) {
        fprintf(stderr, "clustersim: error: bench: %s\n", err);
        return NULL;
    }
    cs_checkpoint_meta_free(&meta);
    return ck;
}

/* The state to time: a fresh economy from par, or with from the state that checkpoint holds
 * (set up from its own parameters, as `clustersim resume` does). */
static int start(cs_sim *sim, const cs_params *par, const char *from) {
    if (!from) return cs_sim_init(sim, par);
    cs_params *cp = malloc(sizeof *cp);
    cs_ckpt *ck = cp ? open_from(from, cp) : NULL;
    int rc = ck ? cs_sim_init_bare(sim, cp) : 1;
    char err[2048];
    if (ck && rc == 0 && cs_checkpoint_load(ck, sim, NULL, err, sizeof err)) {
        fprintf(stderr, "clustersim: error: bench: %s\n", err);
        cs_sim_free(sim);
        rc = 1;
    }
    if (ck) cs_checkpoint_close(ck);
    free(cp);
    return rc;
}

static int run_once(const cs_params *par, const char *from, int steps, int warmup, int threads,
                    bench_result *r) {
    omp_set_num_threads(threads);
    cs_sim sim;
    if (start(&sim, par, from) != 0) return 1;
    static cs_metrics m;
    memset(r, 0, sizeof(*r));
    cs_metrics_compute(&sim, &m); /* the initial state's, as a run writes them */
    for (int t = 0; t < warmup; t++) {
        cs_step(&sim);
        cs_metrics_compute(&sim, &m);
    }
    memset(sim.phase_seconds, 0, sizeof sim.phase_seconds);
    r->workers = sim.workers.n;
    r->cells = sim.land.ncell;
    double t0 = omp_get_wtime();
    for (int t = 0; t < steps; t++) {
        r->agent_updates += (double)sim.workers.n + sim.firms.n;
        cs_step(&sim);
        double tm = omp_get_wtime();
        cs_metrics_compute(&sim, &m);
        r->metrics_seconds += omp_get_wtime() - tm;
    }
    r->seconds = omp_get_wtime() - t0;
    memcpy(r->phase, sim.phase_seconds, sizeof(r->phase));
    r->firms = sim.firms.n;
    cs_sim_free(&sim);
    return 0;
}

static double agent_seconds(const bench_result *r) {
    return r->seconds - r->phase[0] - r->metrics_seconds;
}

/* The fastest of `repeat` runs (least agent-phase time) on `threads` threads, and when one1 is
 * given also on one thread, the two alternated so that a disturbance of the machine falls on
 * both alike rather than on one side of the speedup; pair[k] is the agent-phase speedup of the
 * k-th pair (a run on one thread and the run on `threads` just before it). The fastest of each
 * side may come from different moments of a machine whose speed drifts, the pairs do not. */
static int run_best(const cs_params *par, const char *from, int steps, int warmup, int threads,
                    int repeat, bench_result *best, bench_result *one1, double *pair) {
    for (int k = 0; k < repeat; k++) {
        bench_result r, r1;
        if (run_once(par, from, steps, warmup, threads, &r)) return 1;
        if (k == 0 || agent_seconds(&r) < agent_seconds(best)) *best = r;
        if (!one1) continue;
        if (run_once(par, from, steps, warmup, 1, &r1)) return 1;
        if (k == 0 || agent_seconds(&r1) < agent_seconds(one1)) *one1 = r1;
        pair[k] = agent_seconds(&r) > 0 ? agent_seconds(&r1) / agent_seconds(&r) : 0.0;
    }
    return 0;
}

static const char usage_bench[] =
    "usage: clustersim bench [--scale X | --from CKPT.h5] [--steps N] [--warmup N] [--threads N]\n"
    "                        [--speedup] [--scaling] [--repeat R]\n"
    "\n"
    "Times each phase of the model on the UK landscape with the documented defaults.\n"
    "\n"
    "  --scale X    agents relative to the UK (default 0.1: 3.3 million workers)\n"
    "  --from CKPT  time the steps after a checkpoint's state instead (its scenario and scale)\n"
    "  --steps N    steps to time (default 10)\n"
    "  --warmup N   untimed steps first, after the initial metrics (default 1)\n"
    "  --threads N  OpenMP threads (default: all available)\n"
    "  --speedup    also run on 1 thread and report the speedup\n"
    "  --scaling    also time 1, 2, 4, ... threads up to N: a strong-scaling table\n"
    "  --repeat R   run each configuration R times, report the fastest (default 1)\n";

/* --scaling: the agent phases on 1, 2, 4, ... threads below `threads`, each the fastest of
 * `repeat` runs, then `top` (the run on `threads` already timed), as a table. */
static int print_scaling(const cs_params *par, const char *from, int steps, int warmup, int threads,
                         int repeat, const bench_result *top) {
    double t1 = 0.0;
    printf("strong scaling (agent phases, the fastest of %d run%s each):\n", repeat,
           repeat > 1 ? "s" : "");
    printf("  threads  ms/step  agent ms/step  agent-updates/s  speedup  efficiency\n");
    for (int t = 1;; t = t * 2 < threads ? t * 2 : threads) {
        bench_result r;
        if (t < threads) {
            if (run_best(par, from, steps, warmup, t, repeat, &r, NULL, NULL)) return 1;
        } else {
            r = *top;
        }
        const double a = agent_seconds(&r);
        if (t == 1) t1 = a;
        const double sp = a > 0 ? t1 / a : 0.0;
        printf("  %7d %8.2f %14.2f %16.0f %8.2f %11.2f\n", t, 1e3 * r.seconds / steps,
               1e3 * a / steps, a > 0 ? r.agent_updates / a : 0.0, sp, sp / t);
        if (t == threads) break;
    }
    return 0;
}

/* An option's whole text as a count; -1 (failing every range check below) when it is not one. */
static int count_arg(const char *s) {
    long long v;
    return cs_cli_parse_ll(s, 0, 1000000, &v) == 0 ? (int)v : -1;
}

static int bench_main(int argc, char **argv) {
    double scale = 0.1;
    int steps = 10, warmup = 1, threads = omp_get_max_threads(), speedup = 0, scaling = 0;
    int repeat = 1, scale_set = 0;
    const char *from = NULL;
    for (int a = 1; a < argc; a++) {
        const char *o = argv[a], *v = NULL;
        int r = 0; /* -1 (an option without its value) falls through to the error below */
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage_bench, stdout);
            return 0;
        } else if (!strcmp(o, "--speedup")) {
            speedup = 1;
        } else if (!strcmp(o, "--scaling")) {
            scaling = 1;
        } else if ((r = cs_cli_opt_value(argc, argv, &a, "--scale", NULL, &v)) > 0) {
            char *end;
            scale = strtod(v, &end);
            if (end == v || *end) scale = NAN;
            scale_set = 1;
        } else if ((r = cs_cli_opt_value(argc, argv, &a, "--from", NULL, &v)) > 0) {
            from = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &a, "--steps", NULL, &v)) > 0) {
            steps = count_arg(v);
        } else if ((r = cs_cli_opt_value(argc, argv, &a, "--warmup", NULL, &v)) > 0) {
            warmup = count_arg(v);
        } else if ((r = cs_cli_opt_value(argc, argv, &a, "--threads", NULL, &v)) > 0) {
            threads = count_arg(v);
        } else if ((r = cs_cli_opt_value(argc, argv, &a, "--repeat", NULL, &v)) > 0) {
            repeat = count_arg(v);
        } else {
            fprintf(stderr, "clustersim: error: bench: unknown or incomplete option '%s'\n", o);
            fputs(usage_bench, stderr);
            return 2;
        }
    }
    if (!(scale > 0 && scale <= 1) || steps < 1 || warmup < 0 || threads < 1 || repeat < 1) {
        fprintf(stderr, "clustersim: error: bench: need 0 < scale <= 1, steps >= 1, warmup >= 0, "
                        "threads >= 1, repeat >= 1\n");
        return 2;
    }
    if (from && scale_set) {
        fprintf(stderr, "clustersim: error: bench: --from times the checkpoint's own scale; "
                        "give --scale or --from, not both\n");
        return 2;
    }
    static cs_params par; /* large: not on the stack */
    cs_params_defaults(&par);
    par.scale = scale;
    if (from) { /* check it before any timing, and report its scale */
        cs_ckpt *ck = open_from(from, &par);
        if (!ck) return 2;
        cs_checkpoint_close(ck);
        scale = par.scale;
    }
    bench_result r;
    bench_result r1;
    const int with_speedup = speedup && threads > 1;
    double *pair = calloc((size_t)repeat, sizeof *pair);
    if (!pair) {
        fprintf(stderr, "clustersim bench: out of memory\n");
        return 1;
    }
    if (run_best(&par, from, steps, warmup, threads, repeat, &r, with_speedup ? &r1 : NULL, pair)) {
        free(pair);
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double peak = (double)ru.ru_maxrss * 1024.0; /* bytes (Linux reports KiB) */
    double agents = (double)r.workers + r.firms;
    double fields = r.phase[0];
    double agent_time = agent_seconds(&r);
    printf("clustersim bench: scale %g, %d steps after %d warm-up, %d threads", scale, steps,
           warmup, threads);
    if (from) printf(", from %s", from);
    if (repeat > 1) printf(", fastest of %d runs", repeat);
    printf("\n");
    printf("agents: %d workers, %d firms (at end); cells: %d\n", r.workers, r.firms, r.cells);
    printf("ms per step: %.2f (agent phases %.2f, fields %.2f, metrics %.2f)\n",
           1e3 * (r.seconds) / steps, 1e3 * agent_time / steps, 1e3 * fields / steps,
           1e3 * r.metrics_seconds / steps);
    for (int k = 0; k < CS_NPHASES; k++)
        printf("  %-13s %8.2f ms/step\n", cs_phase_names[k], 1e3 * r.phase[k] / steps);
    printf("peak resident memory: %.1f MiB (%.0f bytes per agent)\n", peak / 1048576.0,
           peak / agents);
    if (with_speedup)
        printf("speedup 1 -> %d threads: %.2fx (agent phases), %.2fx (whole step)\n", threads,
               agent_seconds(&r1) / agent_time, r1.seconds / r.seconds);
    if (with_speedup && repeat > 1) {
        qsort(pair, (size_t)repeat, sizeof *pair, cs_cmp_double);
        const double med =
            repeat % 2 ? pair[repeat / 2] : 0.5 * (pair[repeat / 2 - 1] + pair[repeat / 2]);
        printf("speedup by alternated pair (agent phases): median %.2fx, %.2f-%.2fx over %d "
               "pairs\n",
               med, pair[0], pair[repeat - 1], repeat);
    }
    free(pair);
    if (scaling && print_scaling(&par, from, steps, warmup, threads, repeat, &r)) return 1;
    printf("agent-updates/s: %.0f\n", agent_time > 0 ? r.agent_updates / agent_time : 0.0);
    return 0;
}

static int cmd_bench(int argc, char **argv) {
    return bench_main(argc - 1, argv + 1);
}

const cs_command cs_cmd_bench = {"bench", usage_bench, cmd_bench};
