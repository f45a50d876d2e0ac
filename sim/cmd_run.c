/* cmd_run.c: `clustersim run`: its options, output and checkpoint names. The run itself is
 * runner.c's, shared with sweeps. */
#include <errno.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "output.h"
#include "runner.h"

static const char usage_run[] =
    "usage: clustersim run SCENARIO.cfg [-o OUT.h5] [--seed N] [--steps N] [--threads N]\n"
    "                      [--set key.path=value ...] [--checkpoint-every N]\n"
    "                      [--checkpoint CKPT.h5] [--resume] [--stop-after N] [--quiet]\n"
    "                      [--live[=FIELD]] [--live-json PATH|-] [--live-every N]\n"
    "                      [--live-fps N]\n"
    "\n"
    "Runs the scenario and writes the run file (default: <scenario name>-seed<seed>.h5 in the\n"
    "current directory). The file is written under a temporary name and renamed when the run\n"
    "is complete. An interrupted run (Ctrl-C, SIGTERM) finishes its step, writes a checkpoint\n"
    "(OUT.ckpt.h5 next to OUT.h5) and OUT.h5.incomplete, and exits 1; `clustersim resume\n"
    "OUT.ckpt.h5` finishes it with a run file identical to an uninterrupted run's.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.h5   output file\n"
    "  --seed N              run seed (same as --set seed=NL)\n"
    "  --steps N             quarters to simulate (same as --set steps=N)\n"
    "  --threads N           OpenMP threads (results do not depend on it)\n"
    "  --set key.path=value  override one config key; repeatable, applied in order after the\n"
    "                        scenario file (e.g. --set firms.alpha=0.75)\n"
    "  -q, --quiet           no progress line and no summary line\n"
    "  --checkpoint-every N  also write the checkpoint every N steps (the previous one is\n"
    "                        replaced only once the new one is complete)\n"
    "  --checkpoint CKPT.h5  checkpoint file (default OUT.ckpt.h5; removed once OUT.h5 is "
    "complete)\n"
    "  --resume              if the checkpoint file exists, continue from it instead (it must\n"
    "                        hold this very config, else exit 2): one command for a job that\n"
    "                        may be requeued\n"
    "  --stop-after N        stop like SIGTERM once step N is done (testing and operations aid)\n"
    "  --live[=FIELD]        draw a colour map of the grid on the terminal as the run goes;\n"
    "                        FIELD: employment (default), rent, clusters or a sector name\n"
    "  --live-json PATH|-    write the run's progress as JSON lines (series every step, maps\n"
    "                        every --live-every steps) to PATH or stdout (docs/teaching.md)\n"
    "  --live-every N        steps between live redraws and map frames (default 4)\n"
    "  --live-fps N          at most N redraws of --live a second, so that a small run can be\n"
    "                        watched (default 10; 0: as fast as the run goes)\n"
    "The live outputs only read the state: the run file is the same with or without them.\n";

typedef struct run_opts {
    const char *scenario, *out;
    int nset;
    char **sets; /* argv strings and the two owned below */
    char seed_set[64], steps_set[64];
    int threads, quiet, resume;
    int every, stop_after; /* --checkpoint-every (0 none), --stop-after (-1 none) */
    const char *checkpoint;
    cs_live_opts live; /* --live, --live-json, --live-every, --live-fps */
    const char *live_json;
} run_opts;

/* Parses run's options. Returns 0 or an exit status. */
static int parse_opts(int argc, char **argv, run_opts *o) {
    const char *cmd = argv[1], *seed = NULL, *steps = NULL, *v = NULL;
    o->sets = calloc((size_t)argc + 2, sizeof *o->sets);
    if (!o->sets) return cs_cli_fail(1, "out of memory");
    for (int i = 2; i < argc; i++) {
        int r;
        const char *a = argv[i];
        if ((r = cs_cli_set_opt(argc, argv, &i, o->sets, &o->nset))) {
            if (r != 1) return r;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0 || !*v) return cs_cli_fail(2, "-o needs a file name");
            o->out = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--seed", NULL, &v))) {
            long long x;
            if (r < 0 || cs_cli_parse_ll(v, LLONG_MIN, LLONG_MAX, &x))
                return cs_cli_fail(2, "--seed needs an integer");
            seed = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--steps", NULL, &v))) {
            long long x;
            /* the config key's own range, so that the message names the option given */
            const long long most = (long long)cs_schema_find("steps")->max;
            if (r < 0 || cs_cli_parse_ll(v, 0, most, &x))
                return cs_cli_fail(2, "--steps needs an integer from 0 to %lld", most);
            steps = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--threads", NULL, &v))) {
            long long x;
            if (r < 0 || cs_cli_parse_ll(v, 1, 4096, &x))
                return cs_cli_fail(2, "--threads needs an integer from 1 to 4096");
            o->threads = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--checkpoint-every", NULL, &v))) {
            long long x;
            if (r < 0 || cs_cli_parse_ll(v, 1, INT_MAX, &x))
                return cs_cli_fail(2, "--checkpoint-every needs an integer from 1 to %d", INT_MAX);
            o->every = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--stop-after", NULL, &v))) {
            long long x;
            if (r < 0 || cs_cli_parse_ll(v, 0, INT_MAX, &x))
                return cs_cli_fail(2, "--stop-after needs an integer from 0 to %d", INT_MAX);
            o->stop_after = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--checkpoint", NULL, &v))) {
            if (r < 0 || !*v) return cs_cli_fail(2, "--checkpoint needs a file name");
            o->checkpoint = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--live-json", NULL, &v))) {
            if (r < 0 || !*v) return cs_cli_fail(2, "--live-json needs a file name or -");
            o->live_json = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--live-every", NULL, &v))) {
            long long x;
            if (r < 0 || cs_cli_parse_ll(v, 1, INT_MAX, &x))
                return cs_cli_fail(2, "--live-every needs an integer from 1 to %d", INT_MAX);
            o->live.every = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--live-fps", NULL, &v))) {
            long long x;
            if (r < 0 || cs_cli_parse_ll(v, 0, 1000, &x))
                return cs_cli_fail(2, "--live-fps needs an integer from 0 to 1000");
            o->live.fps = (int)x;
        } else if (strcmp(a, "--live") == 0 || strncmp(a, "--live=", 7) == 0) {
            o->live.term = 1;
            o->live.field = a[6] == '=' ? a + 7 : NULL;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--resume") == 0) {
            o->resume = 1;
        } else if (a[0] == '-' && a[1]) {
            return cs_cli_fail(2, "unknown option '%s' for %s (see clustersim %s --help)", a, cmd,
                               cmd);
        } else if (o->scenario) {
            return cs_cli_fail(2, "%s takes one scenario file (got '%s' and '%s')", cmd,
                               o->scenario, a);
        } else {
            o->scenario = a;
        }
    }
    if (!o->scenario)
        return cs_cli_fail(2, "%s needs a scenario file (see clustersim %s --help)", cmd, cmd);
    if (o->live.term && !isatty(STDOUT_FILENO))
        return cs_cli_fail(2, "--live draws on a terminal and stdout is not one (use --live-json "
                              "PATH for a machine-readable stream)");
    if (o->live.term && o->live_json && strcmp(o->live_json, "-") == 0)
        return cs_cli_fail(2, "--live and --live-json - both want stdout; give --live-json a file");
    /* --seed and --steps are sugar for --set, applied after the other --set options */
    if (seed) {
        snprintf(o->seed_set, sizeof o->seed_set, "seed=%sL", seed);
        o->sets[o->nset++] = o->seed_set;
    }
    if (steps) {
        snprintf(o->steps_set, sizeof o->steps_set, "steps=%s", steps);
        o->sets[o->nset++] = o->steps_set;
    }
    return 0;
}

/* <scenario name>-seed<seed>.h5, with path separators in the name made harmless. */
static void default_output(const cs_params *par, char *buf, size_t len) {
    snprintf(buf, len, "%s-seed%lld.h5", par->name[0] ? par->name : "run", (long long)par->seed);
    for (char *c = buf; *c; c++)
        if (*c == '/') *c = '_';
}

/* OUT.ckpt.h5 for OUT.h5 (OUT.ckpt.h5 appended to other names). */
static void default_checkpoint(const char *out, char *buf, size_t len) {
    size_t n = strlen(out);
    if (n > 3 && strcmp(out + n - 3, ".h5") == 0)
        snprintf(buf, len, "%.*s.ckpt.h5", (int)(n - 3), out);
    else
        snprintf(buf, len, "%s.ckpt.h5", out);
}

static int cmd_run(int argc, char **argv) {
    run_opts opt;
    memset(&opt, 0, sizeof opt);
    opt.stop_after = -1;
    opt.live.fps = CS_LIVE_FPS;
    int rc = parse_opts(argc, argv, &opt);
    cs_params *par = NULL;
    char *path = NULL, *source = NULL, outbuf[PATH_MAX], ckbuf[PATH_MAX + 16];
    if (rc) goto done;
    /* from here on a SIGTERM or Ctrl-C stops the run in order (a batch system may signal a job
     * the moment it starts); one that comes before the run's start leaves nothing */
    cs_run_install_signals();
    if (opt.threads) omp_set_num_threads(opt.threads);
    cs_cli_warn_cores();
    path = cs_cli_resolve_scenario(opt.scenario);
    par = malloc(sizeof *par);
    if (!path || !par) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    if ((rc = cs_cli_load(par, path, opt.nset, opt.sets, &source))) goto done;
    int field, sector;
    if (opt.live.term && cs_live_parse_field(par, opt.live.field, &field, &sector)) {
        rc = cs_cli_fail(2,
                         "--live=%s: unknown field (employment, rent, clusters or a sector of "
                         "the scenario, e.g. %s)",
                         opt.live.field, par->sectors.names[0]);
        goto done;
    }
    if (!opt.live.every) opt.live.every = 4;
    if (opt.out)
        snprintf(outbuf, sizeof outbuf, "%s", opt.out);
    else
        default_output(par, outbuf, sizeof outbuf);
    if (opt.checkpoint)
        snprintf(ckbuf, sizeof ckbuf, "%s", opt.checkpoint);
    else
        default_checkpoint(outbuf, ckbuf, sizeof ckbuf);
    /* before the live stream's file is created: a refused run leaves the folder as it was */
    if ((rc = cs_run_check_paths(outbuf, ckbuf, NULL))) goto done;
    if (cs_run_stop) {
        rc = cs_cli_fail(1, "interrupted before the run started; nothing written");
        goto done;
    }
    if (opt.live_json && strcmp(opt.live_json, "-") != 0 &&
        (rc = cs_run_check_stream(opt.live_json, outbuf, ckbuf)))
        goto done;
    /* the default name says nothing of --set: a second what-if of the same scenario and seed
     * would replace the first's file unnoticed */
    if (!opt.out) {
        char *had = cs_output_read_config(outbuf), *now = had ? cs_config_to_string(par) : NULL;
        if (had && now && strcmp(had, now) != 0)
            fprintf(stderr,
                    "clustersim: warning: %s holds a run of another configuration, which this run "
                    "replaces (give -o NAME to keep both)\n",
                    outbuf);
        free(had);
        free(now);
    }
    if (opt.live_json) {
        opt.live.json_name = opt.live_json;
        if (strcmp(opt.live_json, "-") == 0) {
            opt.live.json = stdout;
            opt.quiet = 1; /* stdout carries the stream alone */
        } else if (!(opt.live.json = fopen(opt.live_json, "w"))) {
            rc = cs_cli_fail(2, "%s: cannot write: %s", opt.live_json, strerror(errno));
            goto done;
        }
        signal(SIGPIPE, SIG_IGN); /* a reader that goes away ends the stream, not the run */
    }
    cs_run_job job = {.path = path,
                      .source = source,
                      .out = outbuf,
                      .quiet = opt.quiet,
                      .checkpoint = ckbuf,
                      .checkpoint_every = opt.every,
                      .resume = opt.resume,
                      .stop = opt.stop_after >= 0,
                      .stop_after = opt.stop_after,
                      .live = opt.live.term || opt.live.json ? &opt.live : NULL};
    rc = cs_run_scenario(par, &job);
done:
    if (opt.live.json && opt.live.json != stdout) fclose(opt.live.json);
    free(source);
    free(par);
    free(path);
    free(opt.sets);
    return rc;
}

const cs_command cs_cmd_run = {"run", usage_run, cmd_run};
