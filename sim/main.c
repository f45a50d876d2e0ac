/* main.c: the clustersim command line (INTERFACES.md; documented in docs/cli.md).
 *
 * Exit statuses: 0 success; 2 bad usage, bad config or bad input file; 1 failure while running.
 * Errors go to stderr as "clustersim: error: ...". A run's output is opened only after the config
 * loaded and the model initialised, so a bad config never leaves a file behind. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <omp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "clustersim.h"
#include "config.h"
#include "metrics.h"
#include "output.h"
#include "progress.h"

#ifndef CS_GIT_HASH
#define CS_GIT_HASH "unknown"
#endif

static const char usage_main[] =
    "usage: clustersim COMMAND [options]\n"
    "\n"
    "An agent-based simulator of industrial cluster formation.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.cfg [options]   run a scenario and write an HDF5 run file\n"
    "  check SCENARIO.cfg [--set]   validate a scenario and print the resolved config\n"
    "  list                         list the preset scenarios\n"
    "  describe NAME|FILE           what a scenario does and the question it answers\n"
    "  bench [options]              time the model on a synthetic scenario\n"
    "  sweep, resume                not available in this build\n"
    "\n"
    "  clustersim --version         print the version\n"
    "  clustersim COMMAND --help    options of a command\n"
    "\n"
    "Exit status: 0 success, 2 bad usage/config/input, 1 failure while running.\n";

static const char usage_run[] =
    "usage: clustersim run SCENARIO.cfg [-o OUT.h5] [--seed N] [--steps N] [--threads N]\n"
    "                      [--set key.path=value ...] [--quiet]\n"
    "\n"
    "Runs the scenario and writes the run file (default: <scenario name>-seed<seed>.h5 in the\n"
    "current directory). The file is written under a temporary name and renamed when the run\n"
    "is complete; an interrupted run (Ctrl-C, SIGTERM) leaves OUT.h5.incomplete instead.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.h5   output file\n"
    "  --seed N              run seed (same as --set seed=NL)\n"
    "  --steps N             quarters to simulate (same as --set steps=N)\n"
    "  --threads N           OpenMP threads (results do not depend on it)\n"
    "  --set key.path=value  override one config key; repeatable, applied in order after the\n"
    "                        scenario file (e.g. --set firms.alpha=0.75)\n"
    "  --quiet               no progress line and no summary line\n"
    "  --checkpoint-every N, --live   not available in this build\n";

static const char usage_check[] =
    "usage: clustersim check SCENARIO.cfg [--set key.path=value ...]\n"
    "\n"
    "Loads the scenario (defaults, base files, the file, then --set overrides), validates every\n"
    "key and prints the resolved configuration, documented, to stdout. Runs nothing.\n"
    "Exit status 2 with FILE:LINE: KEY: message when the scenario is invalid.\n";

static const char usage_list[] =
    "usage: clustersim list\n"
    "\n"
    "Lists the preset scenarios (every *.cfg in $CLUSTERSIM_SCENARIOS, or in the scenarios/\n"
    "directory next to the executable): name and the first sentence of its description.\n";

static const char usage_describe[] =
    "usage: clustersim describe NAME|FILE\n"
    "\n"
    "Prints a scenario's name, description, question and a one-line summary of each policy.\n"
    "NAME is a preset (see clustersim list); FILE is a path to a .cfg file.\n";

static const char usage_bench[] = "usage: clustersim bench [--scale X] [--steps N] [--threads N]\n"
                                  "\n"
                                  "Times each phase of the model on a synthetic scenario.\n";

static const char usage_sweep[] =
    "usage: clustersim sweep SWEEP.cfg -o DIR [--jobs N] [--shard I/N]\n"
    "\n"
    "Runs an ensemble of scenarios, seeds and varied keys. Not available in this build.\n";

static const char usage_resume[] = "usage: clustersim resume CHECKPOINT.h5 [-o OUT.h5]\n"
                                   "\n"
                                   "Continues a run from a checkpoint. Not available in this "
                                   "build.\n";

/* Prints "clustersim: error: ..." and returns status, so callers can `return fail(2, ...)`. */
static int fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("clustersim: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

/* Matches an option that takes a value, as "--name value" or "--name=value" (alt: a short alias).
 * Returns 1 and sets *val when argv[*i] is that option (advancing *i), -1 when the value is
 * missing, 0 when argv[*i] is another argument. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char *alt,
                     const char **val) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strcmp(a, name) == 0 || (alt && strcmp(a, alt) == 0)) {
        if (*i + 1 >= argc) return -1;
        *val = argv[++*i];
        return 1;
    }
    if (strncmp(a, name, n) == 0 && a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    return 0;
}

static int parse_ll(const char *s, long long lo, long long hi, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The preset scenarios directory: $CLUSTERSIM_SCENARIOS or <dir of the executable>/scenarios. */
static void scenarios_dir(char *buf, size_t len) {
    const char *env = getenv("CLUSTERSIM_SCENARIOS");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char exe[PATH_MAX - 16]; /* room for "/scenarios" in a PATH_MAX buffer */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(buf, len, "scenarios");
        return;
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    snprintf(buf, len, "%s/scenarios", exe);
}

/* A scenario argument: an existing file as given, else the preset of that name. The result is
 * the path to load (malloc'd); a path that exists nowhere is returned as given, so that the
 * loader reports it by the name the user typed. */
static char *resolve_scenario(const char *arg) {
    if (!is_file(arg) && !strchr(arg, '/')) {
        char dir[PATH_MAX], p[PATH_MAX + 300];
        scenarios_dir(dir, sizeof dir);
        size_t n = strlen(arg);
        int has_ext = n > 4 && strcmp(arg + n - 4, ".cfg") == 0;
        snprintf(p, sizeof p, "%s/%s%s", dir, arg, has_ext ? "" : ".cfg");
        if (is_file(p)) return strdup(p);
    }
    return strdup(arg);
}

/* Loads a scenario with --set overrides; returns 0 or prints the message and returns 2. */
static int load(cs_params *par, const char *path, int nset, char **sets, char **source) {
    char err[2048] = "";
    struct stat st;
    /* checked here as well as in the loader so that the message is the same everywhere */
    if (stat(path, &st) != 0)
        return fail(2, "%s: cannot read scenario file: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return fail(2, "%s: not a regular file", path);
    if (cs_config_load(par, path, nset, sets, source, err, sizeof err) != 0)
        return fail(2, "%s", err[0] ? err : "invalid scenario");
    return 0;
}

static int has_help(int argc, char **argv) {
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

/* ---- run ---- */

static volatile sig_atomic_t g_stop;

static void on_signal(int sig) {
    g_stop = sig;
}

/* SA_RESETHAND: a second Ctrl-C kills the process at once, for a user who will not wait. */
static void install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

typedef struct run_opts {
    const char *scenario, *out;
    int nset;
    char **sets; /* argv strings and the two owned below */
    char seed_set[64], steps_set[64];
    int threads, quiet;
} run_opts;

/* Parses run/check options; run = 0 accepts only --set. Returns 0 or an exit status. */
static int parse_opts(int argc, char **argv, int run, run_opts *o) {
    const char *cmd = argv[1], *seed = NULL, *steps = NULL, *v = NULL;
    o->sets = calloc((size_t)argc + 2, sizeof *o->sets);
    if (!o->sets) return fail(1, "out of memory");
    for (int i = 2; i < argc; i++) {
        int r;
        const char *a = argv[i];
        if ((r = opt_value(argc, argv, &i, "--set", NULL, &v))) {
            if (r < 0) return fail(2, "--set needs key.path=value");
            if (!strchr(v, '=')) return fail(2, "--set %s: expected key.path=value", v);
            o->sets[o->nset++] = (char *)v;
            continue;
        }
        if (a[0] == '-' && a[1] && !run)
            return fail(2, "unknown option '%s' for %s (see clustersim %s --help)", a, cmd, cmd);
        if ((r = opt_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0 || !*v) return fail(2, "-o needs a file name");
            o->out = v;
        } else if ((r = opt_value(argc, argv, &i, "--seed", NULL, &v))) {
            long long x;
            if (r < 0 || parse_ll(v, LLONG_MIN, LLONG_MAX, &x))
                return fail(2, "--seed needs an integer");
            seed = v;
        } else if ((r = opt_value(argc, argv, &i, "--steps", NULL, &v))) {
            long long x;
            if (r < 0 || parse_ll(v, 0, INT_MAX, &x))
                return fail(2, "--steps needs an integer from 0 to %d", INT_MAX);
            steps = v;
        } else if ((r = opt_value(argc, argv, &i, "--threads", NULL, &v))) {
            long long x;
            if (r < 0 || parse_ll(v, 1, 4096, &x))
                return fail(2, "--threads needs an integer from 1 to 4096");
            o->threads = (int)x;
        } else if ((r = opt_value(argc, argv, &i, "--checkpoint-every", NULL, &v)) ||
                   strcmp(a, "--live") == 0) {
            return fail(2, "%s is not available in this build", a);
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return fail(2, "unknown option '%s' for %s (see clustersim %s --help)", a, cmd, cmd);
        } else if (o->scenario) {
            return fail(2, "%s takes one scenario file (got '%s' and '%s')", cmd, o->scenario, a);
        } else {
            o->scenario = a;
        }
    }
    if (!o->scenario)
        return fail(2, "%s needs a scenario file (see clustersim %s --help)", cmd, cmd);
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

static int cmd_run(int argc, char **argv) {
    run_opts opt;
    memset(&opt, 0, sizeof opt);
    int rc = parse_opts(argc, argv, 1, &opt);
    cs_params *par = NULL;
    cs_sim *sim = NULL;
    cs_metrics *m = NULL;
    cs_output *out = NULL;
    char *path = NULL, *source = NULL, *config_text = NULL, outbuf[PATH_MAX];
    int inited = 0;
    if (rc) goto done;
    if (opt.threads) omp_set_num_threads(opt.threads);
    path = resolve_scenario(opt.scenario);
    par = malloc(sizeof *par);
    sim = calloc(1, sizeof *sim);
    m = calloc(1, sizeof *m);
    if (!path || !par || !sim || !m) {
        rc = fail(1, "out of memory");
        goto done;
    }
    if ((rc = load(par, path, opt.nset, opt.sets, &source))) goto done;
    if (opt.out)
        snprintf(outbuf, sizeof outbuf, "%s", opt.out);
    else
        default_output(par, outbuf, sizeof outbuf);

    double t0 = cs_wall_seconds();
    inited = 1;
    if (cs_sim_init(sim, par) != 0) {
        rc = fail(1, "%s: could not initialise the simulation (out of memory?)", path);
        goto done;
    }
    config_text = cs_config_to_string(&sim->par);
    if (!config_text) {
        rc = fail(1, "out of memory");
        goto done;
    }
    install_signals();
    char err[2048];
    out = cs_output_open(outbuf, sim, path, config_text, source, err, sizeof err);
    if (!out) {
        rc = fail(1, "%s", err);
        goto done;
    }
    const int steps = sim->par.steps;
    cs_metrics_compute(sim, m);
    if (cs_output_step(out, sim, m)) goto write_failed;
    cs_progress prog;
    cs_progress_start(&prog, steps, opt.quiet);
    /* cs_step advances sim->step at its start: after it, sim->step is the step just finished */
    while (sim->step < steps && !g_stop) {
        cs_step(sim);
        cs_metrics_compute(sim, m);
        if (cs_output_step(out, sim, m)) {
            cs_progress_finish(&prog, sim->step);
            goto write_failed;
        }
        cs_progress_update(&prog, sim->step);
    }
    cs_progress_finish(&prog, sim->step);
    if (g_stop && sim->step < steps) {
        int at = sim->step;
        cs_output *o = out;
        out = NULL;
        if (cs_output_close(o, sim, 0))
            rc = fail(1, "interrupted at step %d of %d; could not save partial output: %s", at,
                      steps, cs_output_error());
        else
            rc = fail(1, "interrupted at step %d of %d; partial output in %s.incomplete", at, steps,
                      outbuf);
        goto done;
    }
    cs_output *o = out;
    out = NULL;
    if (cs_output_close(o, sim, 1)) {
        rc = fail(1, "%s", cs_output_error());
        goto done;
    }
    if (!opt.quiet) printf("wrote %s (%d steps, %.1f s)\n", outbuf, steps, cs_wall_seconds() - t0);
    rc = 0;
    goto done;

write_failed:
    rc = fail(1, "%s: %s", outbuf, cs_output_error());
done:
    if (out) cs_output_abort(out);
    if (inited) cs_sim_free(sim);
    free(config_text);
    free(source);
    free(sim);
    free(m);
    free(par);
    free(path);
    free(opt.sets);
    return rc;
}

/* ---- check ---- */

static int cmd_check(int argc, char **argv) {
    run_opts opt;
    memset(&opt, 0, sizeof opt);
    int rc = parse_opts(argc, argv, 0, &opt);
    cs_params *par = malloc(sizeof *par);
    char *path = NULL;
    if (!rc && !par) rc = fail(1, "out of memory");
    if (!rc) {
        path = resolve_scenario(opt.scenario);
        rc = load(par, path, opt.nset, opt.sets, NULL);
    }
    if (!rc && (cs_config_write(stdout, par, 1) != 0 || fflush(stdout) != 0))
        rc = fail(1, "cannot write the configuration: %s", strerror(errno));
    free(path);
    free(par);
    free(opt.sets);
    return rc;
}

/* ---- list and describe ---- */

/* The first sentence of text: up to the first ". " (or the end), on one line. */
static void first_sentence(const char *text, char *buf, size_t len) {
    size_t n = 0;
    for (const char *c = text; *c && n + 1 < len; c++) {
        buf[n++] = (*c == '\n' || *c == '\t') ? ' ' : *c;
        if (*c == '.' && (c[1] == 0 || c[1] == ' ' || c[1] == '\n')) break;
    }
    buf[n] = 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_list(int argc, char **argv) {
    if (argc > 2) return fail(2, "list takes no arguments (got '%s')", argv[2]);
    char dir[PATH_MAX];
    scenarios_dir(dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d) return fail(1, "cannot open the scenarios directory %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".cfg") != 0 || e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **t = realloc(names, cap * sizeof *t);
            if (!t) break;
            names = t;
        }
        names[n] = strndup(e->d_name, l - 4);
        if (names[n]) n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    int width = 8, rc = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(names[i]) > width) width = (int)strlen(names[i]);
    cs_params *par = malloc(sizeof *par);
    for (size_t i = 0; i < n && par; i++) {
        char path[PATH_MAX + 300], err[2048], sentence[512];
        snprintf(path, sizeof path, "%s/%s.cfg", dir, names[i]);
        /* one broken preset should not hide the others: report it and go on */
        if (cs_config_load(par, path, 0, NULL, NULL, err, sizeof err) != 0) {
            fail(2, "%s", err);
            rc = 2;
        } else {
            first_sentence(par->description, sentence, sizeof sentence);
            printf("%-*s  %s\n", width, names[i], sentence);
        }
    }
    if (!par) rc = fail(1, "out of memory");
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(par);
    return rc;
}

/* Appends printf-style text to buf (bounded). */
static void cat(char *buf, size_t len, const char *fmt, ...) {
    size_t n = strlen(buf);
    if (n + 1 >= len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, len - n, fmt, ap);
    va_end(ap);
}

/* One line: what the policy pays or builds, where, for whom and when. */
static void policy_summary(const cs_params *par, const cs_policy *p, char *b, size_t len) {
    b[0] = 0;
    switch (p->type) {
    case CS_POL_LOCATION_SUBSIDY:
        cat(b, len, "pays %g per worker per step%s", p->per_worker,
            p->new_entrants_only ? " to new entrants only" : "");
        break;
    case CS_POL_TAX_ZONE:
        cat(b, len, "profit tax cut %g%%, rates relief %g%%", 100 * p->profit_tax_cut,
            100 * p->rates_relief);
        break;
    case CS_POL_DENSITY_FUND:
        cat(b, len, "spends %g per step on space, amenity and access (lag %d steps)", p->spend,
            p->lag);
        break;
    case CS_POL_RD_CREDIT:
        cat(b, len, "refunds %g%% of R&D spend", 100 * p->rate);
        if (p->sme_only) cat(b, len, " for firms under %d employees", p->sme_size);
        if (p->grant_budget > 0) cat(b, len, ", grants of %g per step", p->grant_budget);
        break;
    case CS_POL_UNIVERSITY_FUNDING:
        cat(b, len, "funds %g per step", p->amount);
        for (int i = 0; i < p->n_universities; i++)
            cat(b, len, "%s%s", i ? ", " : " to ", p->universities[i]);
        if (p->knowledge_transfer > 0)
            cat(b, len, ", knowledge transfer +%g%%", 100 * p->knowledge_transfer);
        if (p->spinout_support > 0)
            cat(b, len, ", spinout support +%g%%", 100 * p->spinout_support);
        break;
    case CS_POL_TRANSPORT_LINK:
        cat(b, len, "links (%g,%g) and (%g,%g), radius %g, efficiency %g, built over %d steps",
            p->from_x, p->from_y, p->to_x, p->to_y, p->radius, p->efficiency, p->build_steps);
        if (p->cost > 0) cat(b, len, " at %g per step", p->cost);
        break;
    case CS_POL_SKILLS_PROGRAMME:
        cat(b, len, "trains up to %d workers per step (skill +%g, %g per worker)", p->max_workers,
            p->skill_gain, p->cost);
        break;
    case CS_POL_FIRM_SUBSIDY:
        cat(b, len, "pays %g per step to the %d %s firms", p->amount, p->count,
            p->by_productivity ? "most productive" : "largest");
        break;
    case CS_POL_STARTUP_SPACE:
        cat(b, len, "rent discount %g%% for firms younger than %d steps", 100 * p->rent_discount,
            p->max_age);
        break;
    default:
        cat(b, len, "unknown policy type %d", p->type);
    }
    switch (p->area_kind) {
    case CS_AREA_REGIONS:
        for (int i = 0; i < p->n_area_regions; i++)
            cat(b, len, "%s%s", i ? ", " : "; in ", p->area_regions[i]);
        break;
    case CS_AREA_CIRCLE:
        cat(b, len, "; within %g cells of (%g,%g)", p->r, p->cx, p->cy);
        break;
    case CS_AREA_RECT:
        cat(b, len, "; in (%g,%g)-(%g,%g)", p->x0, p->y0, p->x1, p->y1);
        break;
    case CS_AREA_CITY_CENTRES:
        cat(b, len, "; in city centres");
        break;
    default:
        if (p->type != CS_POL_TRANSPORT_LINK && p->type != CS_POL_UNIVERSITY_FUNDING)
            cat(b, len, "; everywhere");
    }
    if (p->sector_mask) {
        int first = 1;
        for (int s = 0; s < par->sectors.n; s++)
            if (p->sector_mask & (1u << s)) {
                cat(b, len, "%s%s", first ? "; sectors " : ", ", par->sectors.names[s]);
                first = 0;
            }
    }
    if (p->end >= 0)
        cat(b, len, "; steps %d to %d", p->start, p->end - 1);
    else
        cat(b, len, "; from step %d", p->start);
    if (p->cycle_on > 0) cat(b, len, " (%d on, %d off)", p->cycle_on, p->cycle_off);
    if (p->budget > 0) cat(b, len, "; budget %g per step", p->budget);
    if (p->credibility < 1) cat(b, len, "; credibility %g", p->credibility);
}

static int cmd_describe(int argc, char **argv) {
    if (argc < 3) return fail(2, "describe needs a scenario name or file (see clustersim list)");
    if (argc > 3) return fail(2, "describe takes one scenario (got '%s')", argv[3]);
    char *path = resolve_scenario(argv[2]);
    cs_params *par = malloc(sizeof *par);
    int rc = 0;
    if (!path || !par) rc = fail(1, "out of memory");
    if (!rc && !is_file(path)) {
        char dir[PATH_MAX];
        scenarios_dir(dir, sizeof dir);
        rc = fail(2, "%s: no such scenario file or preset in %s (see clustersim list)", argv[2],
                  dir);
    }
    if (!rc) rc = load(par, path, 0, NULL, NULL);
    if (!rc) {
        printf("name:        %s\n", par->name);
        printf("file:        %s\n", path);
        printf("description: %s\n", par->description[0] ? par->description : "(none)");
        printf("question:    %s\n", par->question[0] ? par->question : "(none)");
        printf("run:         %d steps (%g years), seed %lld, scale %g, %dx%d grid, %s landscape\n",
               par->steps, par->steps / 4.0, (long long)par->seed, par->scale, par->grid.width,
               par->grid.height, par->landscape.kind);
        if (par->n_policies == 0)
            printf("policies:    none\n");
        else
            printf("policies:\n");
        for (int i = 0; i < par->n_policies; i++) {
            const cs_policy *p = &par->policies[i];
            char line[2048];
            policy_summary(par, p, line, sizeof line);
            int t = p->type;
            printf("  %s (%s): %s\n", p->name,
                   t >= 0 && t < CS_POL_NTYPES ? cs_policy_type_names[t] : "?", line);
        }
    }
    free(par);
    free(path);
    return rc;
}

/* ---- main ---- */

typedef struct command {
    const char *name;
    const char *usage;
    int (*fn)(int argc, char **argv);
} command;

static int cmd_unavailable(int argc, char **argv) {
    (void)argc;
    return fail(2, "%s is not available in this build (see clustersim --help)", argv[1]);
}

static int cmd_bench(int argc, char **argv) {
    return cs_bench_main(argc - 1, argv + 1);
}

static const command commands[] = {
    {"run", usage_run, cmd_run},
    {"check", usage_check, cmd_check},
    {"list", usage_list, cmd_list},
    {"describe", usage_describe, cmd_describe},
    {"bench", usage_bench, cmd_bench},
    {"sweep", usage_sweep, cmd_unavailable},
    {"resume", usage_resume, cmd_unavailable},
};

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("clustersim %s (%s)\n", CS_VERSION, CS_GIT_HASH);
        return 0;
    }
    int ncmd = (int)(sizeof commands / sizeof commands[0]);
    if (strcmp(a, "help") == 0) {
        for (int k = 0; argc > 2 && k < ncmd; k++)
            if (strcmp(argv[2], commands[k].name) == 0) return fputs(commands[k].usage, stdout), 0;
        fputs(usage_main, stdout);
        return argc > 2 ? fail(2, "unknown command '%s'", argv[2]) : 0;
    }
    for (int k = 0; k < ncmd; k++) {
        if (strcmp(a, commands[k].name) != 0) continue;
        if (has_help(argc, argv)) {
            fputs(commands[k].usage, stdout);
            return 0;
        }
        return commands[k].fn(argc, argv);
    }
    return fail(2, "unknown command '%s' (see clustersim --help)", a);
}
