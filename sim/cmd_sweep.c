/* cmd_sweep.c: `clustersim sweep` (and `clustersim-mpi sweep`): options, then one of the modes of
 * sweep_sched.h: --dry-run, --collect, one machine or one shard, or (MPI build) the task farm. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#ifdef CS_MPI
#include <mpi.h>
#endif

#include "cli.h"
#include "sweep_sched.h"

static const char usage_sweep[] =
    "usage: clustersim sweep SWEEP.cfg -o DIR [--jobs N] [--threads N] [--shard I/N]\n"
    "                        [--checkpoint-every N] [--quiet]\n"
    "       clustersim sweep SWEEP.cfg --dry-run\n"
    "       clustersim sweep --collect DIR\n"
    "       mpirun -np N clustersim-mpi sweep SWEEP.cfg -o DIR   (MPI build: make clustersim-mpi)\n"
    "\n"
    "Runs an ensemble: every scenario of the sweep file x every combination of its varied keys\n"
    "x every seed (docs/cli.md, docs/hpc.md). Each run is its own process, exactly\n"
    "`clustersim run SCENARIO --set ... --seed S`, writing DIR/runs/<run id>.h5 (complete or\n"
    "absent). At the end DIR/sweep.h5 has one row per run and a link to each run file.\n"
    "Running again on the same DIR skips finished runs and retries failed ones; a DIR made by\n"
    "another sweep file is refused. Every run's config is checked before any run starts.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR  the sweep directory\n"
    "  --jobs N          runs at a time on this machine (default 1)\n"
    "  --threads N       OpenMP threads per run (default: the sweep file's `threads`, else\n"
    "                    cores / jobs, or 1 under MPI; results do not depend on it)\n"
    "  --checkpoint-every N  each run checkpoints every N steps (DIR/runs/<id>.h5.ckpt.h5);\n"
    "                    runs stopped by SIGTERM checkpoint anyway, and a rerun resumes them\n"
    "  --shard I/N       run only the runs whose index modulo N is I (0 <= I < N); without it,\n"
    "                    a Slurm array task takes its shard from SLURM_ARRAY_TASK_ID and\n"
    "                    SLURM_ARRAY_TASK_MIN/MAX/COUNT. The last shard to finish writes sweep.h5\n"
    "  --dry-run         list the runs (index, id, scenario, seed, values); run nothing.\n"
    "                    With -o DIR, also whether each run's file is in DIR (finished)\n"
    "  --collect DIR     write DIR/sweep.h5 and DIR/failed.log from the run files so far\n"
    "                    (exit status 1 while runs are failed or not run yet)\n"
    "  --quiet           no progress line and no summary\n"
    "\n"
    "Exit status: 0 every run ok; 1 a run failed (listed in DIR/failed.log) or interrupted;\n"
    "2 bad sweep file or options (FILE:LINE: KEY: message), before any run starts.\n";

typedef struct sweep_args {
    const char *file, *dir, *collect;
    int jobs, threads, shard, nshards, dry, quiet, shard_given, jobs_given, checkpoint_every;
} sweep_args;

static int parse_shard(const char *v, sweep_args *a) {
    long long i, n;
    const char *slash = strchr(v, '/');
    char head[64];
    if (!slash || (size_t)(slash - v) >= sizeof head) return -1;
    memcpy(head, v, (size_t)(slash - v));
    head[slash - v] = 0;
    if (cs_cli_parse_ll(head, 0, INT_MAX, &i) || cs_cli_parse_ll(slash + 1, 1, INT_MAX, &n) ||
        i >= n)
        return -1;
    a->shard = (int)i;
    a->nshards = (int)n;
    a->shard_given = 1;
    return 0;
}

/* A Slurm array task's shard: its position among the array's tasks. */
static int slurm_shard(sweep_args *a) {
    const char *id = getenv("SLURM_ARRAY_TASK_ID");
    if (!id || !*id) return 0;
    const char *mn = getenv("SLURM_ARRAY_TASK_MIN"), *mx = getenv("SLURM_ARRAY_TASK_MAX"),
               *cnt = getenv("SLURM_ARRAY_TASK_COUNT");
    long long t, lo = 0, hi = -1, count = 0;
    if (cs_cli_parse_ll(id, 0, INT_MAX, &t) || (mn && cs_cli_parse_ll(mn, 0, INT_MAX, &lo)) ||
        (mx && cs_cli_parse_ll(mx, 0, INT_MAX, &hi)) ||
        (cnt && cs_cli_parse_ll(cnt, 1, INT_MAX, &count)))
        return cs_cli_fail(2, "SLURM_ARRAY_TASK_ID/MIN/MAX/COUNT are not integers");
    if (!count) count = hi >= lo ? hi - lo + 1 : 0;
    if (!mn || count < 1)
        return cs_cli_fail(2, "SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_MIN and "
                              "SLURM_ARRAY_TASK_MAX or COUNT: give --shard I/N");
    /* --array=0-9:2 has count 5 and a step of 2 */
    long long step = count > 1 && hi > lo ? (hi - lo) / (count - 1) : 1;
    if (step < 1 || (t - lo) % step || (t - lo) / step >= count || t < lo)
        return cs_cli_fail(2,
                           "SLURM_ARRAY_TASK_ID %lld is not a task of the array %lld-%lld as %lld "
                           "evenly spaced tasks: give --array as an evenly spaced range (0-7, "
                           "1-9:2), or --shard I/N to each task",
                           t, lo, hi, count);
    a->shard = (int)((t - lo) / step);
    a->nshards = (int)count;
    /* a sweep per array task (sweep_$SLURM_ARRAY_TASK_ID.cfg) would otherwise run a share of
     * its runs and end with success (the MPI build shares the runs among ranks instead) */
#ifndef CS_MPI
    if (count > 1 && !a->quiet)
        fprintf(stderr,
                "clustersim: note: SLURM_ARRAY_TASK_ID=%lld of the array %lld-%lld: this task "
                "runs shard %d/%d of the sweep's runs, the array's other tasks the rest (--shard "
                "0/1 runs them all here)\n",
                t, lo, hi, a->shard, a->nshards);
#endif
    return 0;
}

static int parse_args(int argc, char **argv, sweep_args *a) {
    const char *v;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int r;
        long long x;
        if ((r = cs_cli_opt_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0 || !*v) return cs_cli_fail(2, "-o needs a directory");
            /* without trailing slashes, so that paths made from it read DIR/failed.log */
            static char dir[PATH_MAX];
            size_t n = strlen(v);
            while (n > 1 && v[n - 1] == '/') n--;
            if (n >= sizeof dir) return cs_cli_fail(2, "-o %s: the path is too long", v);
            memcpy(dir, v, n);
            dir[n] = 0;
            a->dir = dir;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--jobs", "-j", &v))) {
            if (r < 0 || cs_cli_parse_ll(v, 1, 4096, &x))
                return cs_cli_fail(2, "--jobs needs an integer from 1 to 4096");
            a->jobs = (int)x;
            a->jobs_given = 1;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--threads", NULL, &v))) {
            if (r < 0 || cs_cli_parse_ll(v, 1, 4096, &x))
                return cs_cli_fail(2, "--threads needs an integer from 1 to 4096");
            a->threads = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--checkpoint-every", NULL, &v))) {
            if (r < 0 || cs_cli_parse_ll(v, 1, INT_MAX, &x))
                return cs_cli_fail(2, "--checkpoint-every needs an integer >= 1");
            a->checkpoint_every = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--shard", NULL, &v))) {
            if (r < 0)
                return cs_cli_fail(2, "--shard needs I/N with 0 <= I < N (e.g. --shard 0/4)");
            if (parse_shard(v, a))
                return cs_cli_fail(
                    2, "--shard needs I/N with 0 <= I < N (e.g. --shard 0/4), not '%s'", v);
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--collect", NULL, &v))) {
            if (r < 0 || !*v) return cs_cli_fail(2, "--collect needs a sweep directory");
            a->collect = v;
        } else if (strcmp(s, "--dry-run") == 0 || strcmp(s, "-n") == 0) {
            a->dry = 1;
        } else if (strcmp(s, "--quiet") == 0 || strcmp(s, "-q") == 0) {
            a->quiet = 1;
        } else if (s[0] == '-' && s[1]) {
            return cs_cli_fail(2, "unknown option '%s' for sweep (see clustersim sweep --help)", s);
        } else if (a->file) {
            return cs_cli_fail(2, "sweep takes one sweep file (got '%s' and '%s')", a->file, s);
        } else {
            a->file = s;
        }
    }
    if (a->collect) {
        if (a->file || a->dir || a->dry || a->shard_given)
            return cs_cli_fail(2, "--collect DIR takes no sweep file and no other option");
        return 0;
    }
    if (!a->file) return cs_cli_fail(2, "sweep needs a sweep file (see clustersim sweep --help)");
    if (!a->dry && !a->dir)
        return cs_cli_fail(2, "sweep needs -o DIR (or --dry-run to list the runs)");
    if (!a->shard_given && !a->dry) return slurm_shard(a);
    return 0;
}

/* --collect DIR: the sweep as it was started, from DIR/sweep.cfg and DIR/origin.txt. */
static int load_from_dir(cs_sweep *sw, const char *dir) {
    char p[PATH_MAX + 32], origin[2 * PATH_MAX + 8] = "", *text = NULL;
    snprintf(p, sizeof p, "%s/origin.txt", dir);
    FILE *f = fopen(p, "r");
    size_t got = f ? fread(origin, 1, sizeof origin - 1, f) : 0;
    if (f) fclose(f);
    origin[got] = 0;
    snprintf(p, sizeof p, "%s/sweep.cfg", dir);
    f = fopen(p, "rb");
    if (f) {
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        char chunk[4096];
        size_t n;
        while (m && (n = fread(chunk, 1, sizeof chunk, f)) > 0) fwrite(chunk, 1, n, m);
        if (m) fclose(m);
        fclose(f);
    }
    if (!text || !origin[0]) {
        free(text);
        return cs_cli_fail(2, "%s is not a sweep directory (no sweep.cfg or origin.txt)", dir);
    }
    char *nl = strchr(origin, '\n');
    const char *cwd = ".";
    if (nl) {
        *nl = 0;
        cwd = nl + 1;
        char *e = strchr(nl + 1, '\n');
        if (e) *e = 0;
    }
    const char *search[1] = {cwd};
    char err[4096];
    /* the scenarios from the resolved copies the sweep wrote into DIR when it started; a
     * directory from before those copies loads them as the sweep file named them */
    int rc = cs_sweep_load_dir(sw, origin, text, dir, search, 1, err, sizeof err);
    free(text);
    snprintf(p, sizeof p, "%s/scenarios", dir);
    struct stat st;
    if (rc && (rc != 2 || stat(p, &st) == 0)) return cs_cli_fail(rc, "%s", err);
    if (rc)
        return cs_cli_fail(2,
                           "%s (this sweep directory has no copies of its scenarios: --collect "
                           "loads them as the sweep file named them, next to %s or in %s, as "
                           "origin.txt records: run it where they are)",
                           err, origin, cwd);
    return 0;
}

/* --dry-run: the runs; with DIR, which are finished there and how many, so that the state of a
 * sweep in progress can be seen without writing sweep.h5 (--collect). */
static int dry_run(const cs_sweep *sw, const char *dir) {
    /* a folder of another sweep would count that sweep's runs as this one's */
    int bad = dir ? cs_sweep_check_dir(sw, dir) : 0;
    if (bad) return bad;
    unsigned char *done = dir ? calloc((size_t)sw->nrun + 1, 1) : NULL;
    if (dir && !done) return cs_cli_fail(1, "out of memory");
    int n = 0, odd = 0;
    for (int r = 0; done && r < sw->nrun; r++) {
        char why[256];
        const int state = cs_sweep_run_state(sw, r, dir, why, sizeof why);
        n += done[r] = state == 1;
        /* a file at the run's name that is not its run: the run will be retried, or fail
         * until the file is removed (said on stderr, the listing on stdout staying as it is) */
        if (state < 0 && odd++ < 20)
            fprintf(stderr, "clustersim: note: %s: %s\n", sw->runs[r].id, why);
    }
    if (odd > 20) fprintf(stderr, "clustersim: note: %d more such runs\n", odd - 20);
    int rc = cs_sweep_print(sw, stdout, done);
    if (!rc && dir) {
        char p[PATH_MAX + 16];
        snprintf(p, sizeof p, "%s/plan.txt", dir);
        printf("%s: %d of %d runs finished, %d to run%s\n", dir, n, sw->nrun, sw->nrun - n,
               cs_cli_is_file(p) ? "" : " (no sweep has started there)");
        rc = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
    }
    free(done);
    return rc ? cs_cli_fail(1, "cannot write to standard output") : 0;
}

static int cmd_sweep(int argc, char **argv) {
    sweep_args a;
    memset(&a, 0, sizeof a);
    int rank = 0, mpi = 0;
#ifdef CS_MPI
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    mpi = 1;
#endif
    cs_sweep sw;
    memset(&sw, 0, sizeof sw);
    int rc = parse_args(argc, argv, &a);
    if (!rc && a.collect) {
        rc = load_from_dir(&sw, a.collect);
        sw.collecting = 1;
        if (!rc && rank == 0) rc = cs_sweep_prepare_dir(&sw, a.collect);
        int left = 0;
        if (!rc && rank == 0) rc = cs_sweep_collect(&sw, a.collect, a.quiet, &left);
        /* sweep.h5 is written; the status says whether the sweep is done, as a sweep's does,
         * so that a script's "collect && analyse" does not take a partial sweep for a whole */
        if (!rc && left) rc = 1;
    } else if (!rc) {
        char err[4096];
        const char *search[1] = {"."};
        /* every rank loads the sweep (cheap); only rank 0 speaks */
        const int lrc = cs_sweep_load(&sw, a.file, NULL, search, 1, err, sizeof err);
        if (lrc == 1) { /* out of memory: not the file's fault */
            rc = rank == 0 ? cs_cli_fail(1, "%s", err) : 1;
        } else if (lrc != 0) {
            /* a resubmission from another directory: a scenario named relative to the one the
             * sweep started in is not found from here */
            char p[PATH_MAX + 32], origin[2 * PATH_MAX + 8] = "", here[PATH_MAX];
            snprintf(p, sizeof p, "%s/origin.txt", a.dir ? a.dir : "");
            FILE *f = a.dir && strstr(err, "neither a scenario file") ? fopen(p, "r") : NULL;
            size_t got = f ? fread(origin, 1, sizeof origin - 1, f) : 0;
            if (f) fclose(f);
            origin[got] = 0;
            char *started = strchr(origin, '\n');
            if (started) started[strcspn(started + 1, "\n") + 1] = 0, started++;
            if (started && *started && getcwd(here, sizeof here) && strcmp(here, started) != 0)
                rc = rank == 0 ? cs_cli_fail(2,
                                             "%s (%s was started in %s: run this command there, "
                                             "or name the scenario relative to the sweep file)",
                                             err, a.dir, started)
                               : 2;
            else
                rc = rank == 0 ? cs_cli_fail(2, "%s", err) : 2;
        } else if (rank == 0 && sw.warnings) {
            /* what a lone run of these configs would warn (its log goes when it ends well) */
            fputs(sw.warnings, stderr);
        }
        if (lrc == 0 && a.dry)
            rc = rank == 0 ? dry_run(&sw, a.dir) : 0;
        else if (lrc == 0) {
            sw.checkpoint_every = a.checkpoint_every;
            cs_sweep_opts o = {.dir = a.dir,
                               .jobs = a.jobs,
                               .threads = a.threads,
                               .shard = a.shard,
                               .nshards = a.nshards,
                               .quiet = a.quiet};
#ifdef CS_MPI
            /* options of the plain build, refused before DIR is made */
            if (a.shard_given)
                rc = rank == 0 ? cs_cli_fail(2, "--shard is for the plain "
                                                "build; under MPI the ranks "
                                                "share the runs")
                               : 2;
            else if (a.jobs_given)
                rc = rank == 0 ? cs_cli_fail(2, "--jobs is for the plain build; under MPI "
                                                "each rank runs one run at a time (start "
                                                "more ranks)")
                               : 2;
            if (!rc && rank == 0) rc = cs_sweep_prepare_dir(&sw, a.dir);
            MPI_Bcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD);
            if (!rc) rc = cs_sweep_mpi(&sw, &o);
#else
            rc = cs_sweep_prepare_dir(&sw, a.dir);
            if (!rc) rc = cs_sweep_local(&sw, &o);
#endif
        }
    }
    (void)mpi;
    cs_sweep_free(&sw);
#ifdef CS_MPI
    MPI_Finalize();
#endif
    return rc;
}

const cs_command cs_cmd_sweep = {"sweep", usage_sweep, cmd_sweep};
