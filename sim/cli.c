/* cli.c: helpers shared by the command files (cmd_*.c): error messages, option parsing and
 * finding and loading a scenario. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <omp.h>
#include <sched.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "policies.h"

void cs_cli_warn_cores(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) != 0) return;
    const int allowed = CPU_COUNT(&set), threads = omp_get_max_threads();
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    if (threads > allowed && allowed < online)
        fprintf(stderr,
                "clustersim: warning: %d threads on %d core%s: this process may use %d of the "
                "machine's %ld cores (mpirun binds each rank to one core unless given "
                "--bind-to none; taskset or a batch system's binding do the same), so the threads "
                "share them and the run is slower than asked for (its output is the same)\n",
                threads, allowed, allowed == 1 ? "" : "s", allowed, online);
}

/* Prints "clustersim: error: ..." and returns status, so callers can `return cs_cli_fail(2, ...)`.
 */
int cs_cli_fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char msg[8192];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fflush(stdout); /* what was said before comes first in a log of both streams */
    fputs("clustersim: error: ", stderr);
    /* a message echoes what the user typed (a key, a region, a --set argument): a control
     * character there is shown as \xNN, so an escape sequence cannot drive the terminal, and
     * the message stays one line */
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            fprintf(stderr, "\\x%02x", *c);
        else
            fputc(*c, stderr);
    fputc('\n', stderr);
    return status;
}

/* Matches an option that takes a value, as "--name value" or "--name=value" (alt: a short alias).
 * Returns 1 and sets *val when argv[*i] is that option (advancing *i), -1 when the value is
 * missing, 0 when argv[*i] is another argument. A next argument that is an option (-q, --quiet:
 * a dash and a letter, or two dashes) is a missing value, not a file named -q; "-" and a negative
 * number (-5) are values. */
int cs_cli_opt_value(int argc, char **argv, int *i, const char *name, const char *alt,
                     const char **val) {
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strcmp(a, name) == 0 || (alt && strcmp(a, alt) == 0)) {
        if (*i + 1 >= argc) return -1;
        const char *b = argv[*i + 1];
        if (b[0] == '-' && (b[1] == '-' || isalpha((unsigned char)b[1]))) return -1;
        *val = argv[++*i];
        return 1;
    }
    if (strncmp(a, name, n) == 0 && a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    return 0;
}

int cs_cli_set_opt(int argc, char **argv, int *i, char **sets, int *nset) {
    const char *v = NULL;
    int r = cs_cli_opt_value(argc, argv, i, "--set", NULL, &v);
    if (r == 0) return 0;
    if (r < 0) return cs_cli_fail(2, "--set needs key.path=value");
    if (!strchr(v, '=')) return cs_cli_fail(2, "--set %s: expected key.path=value", v);
    sets[(*nset)++] = (char *)v;
    return 1;
}

int cs_cli_printed(int rc) {
    if (fflush(stdout) != 0 || ferror(stdout))
        return rc ? rc : cs_cli_fail(1, "cannot write to standard output");
    return rc;
}

int cs_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cs_cli_parse_ll(const char *s, long long lo, long long hi, long long *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int cs_cli_is_file(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The preset scenarios directory: $CLUSTERSIM_SCENARIOS or <dir of the executable>/scenarios. */
void cs_cli_scenarios_dir(char *buf, size_t len) {
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

void cs_cli_preset_hint(const char *arg, char *out, size_t n) {
    out[0] = 0;
    if (strchr(arg, '/')) return;
    char dir[PATH_MAX], word[256];
    snprintf(word, sizeof word, "%s", arg);
    size_t wl = strlen(word);
    if (wl > 4 && strcmp(word + wl - 4, ".cfg") == 0) word[wl - 4] = 0;
    cs_cli_scenarios_dir(dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d) return;
    enum { MAX_PRESETS = 256 };
    char names[MAX_PRESETS][64];
    const char *cands[MAX_PRESETS];
    int k = 0;
    for (struct dirent *e; k < MAX_PRESETS && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || l - 4 >= sizeof names[0] || strcmp(e->d_name + l - 4, ".cfg") != 0 ||
            e->d_name[0] == '.')
            continue;
        snprintf(names[k], sizeof names[k], "%.*s", (int)(l - 4), e->d_name);
        cands[k] = names[k];
        k++;
    }
    closedir(d);
    cs_config_did_you_mean(word, cands, k, out, n);
}

/* A scenario argument: an existing file as given, else the preset of that name. The result is
 * the path to load (malloc'd); a path that exists nowhere is returned as given, so that the
 * loader reports it by the name the user typed. */
char *cs_cli_resolve_scenario(const char *arg) {
    if (!cs_cli_is_file(arg) && !strchr(arg, '/')) {
        char dir[PATH_MAX], p[PATH_MAX + 300];
        cs_cli_scenarios_dir(dir, sizeof dir);
        size_t n = strlen(arg);
        int has_ext = n > 4 && strcmp(arg + n - 4, ".cfg") == 0;
        snprintf(p, sizeof p, "%s/%s%s", dir, arg, has_ext ? "" : ".cfg");
        if (cs_cli_is_file(p)) return strdup(p);
    }
    return strdup(arg);
}

/* The first step policy p can act in (steps run from 1), and whether it acts in none of a run
 * of the given steps: start = end, or a start after the last step. */
static int first_step(const cs_policy *p) {
    return p->start > 1 ? p->start : 1;
}

static int idle_in_run(const cs_policy *p, int steps) {
    return p->start > steps || (p->end >= 0 && first_step(p) >= p->end);
}

/* A policy that starts after the run's last step is valid (a longer run would see it) but in
 * this run it pays nothing, which a user who wrote a calendar year (start = 2025) would not
 * notice: said on stderr. A run's steps are 1 to steps, so start == steps still pays once. */
static void warn_idle_policies(const cs_params *par, const char *path, FILE *out) {
    if (par->steps == 0 && par->n_policies > 0) {
        fprintf(out,
                "clustersim: warning: %s: the run has no steps (steps = 0): no policy acts; the "
                "run file holds the initial state only\n",
                path);
        return;
    }
    for (int q = 0; q < par->n_policies && q < CS_MAX_POLICIES; q++) {
        const cs_policy *p = &par->policies[q];
        /* active in no step at all: start = end (docs/policies.md), or start 0 with end 1,
         * since the first simulated step is 1 */
        if (p->end >= 0 && first_step(p) >= p->end) {
            fprintf(out,
                    "clustersim: warning: %s: policies.[%d] (%s) has start %d and end %d: it "
                    "acts in no step (end is the first step it no longer acts, and the first "
                    "step simulated is 1), so it pays nothing and firms never hear of it\n",
                    path, q, p->name, p->start, p->end);
            continue;
        }
        if (p->start <= par->steps) continue;
        const int heard = p->start - par->firms.t_plan;
        char also[160] = "";
        if (heard <= par->steps && par->steps >= 1)
            snprintf(also, sizeof also,
                     "; firms hear of it from step %d (firms.t_plan ahead), which can still "
                     "move the run",
                     heard > 1 ? heard : 1);
        fprintf(out,
                "clustersim: warning: %s: policies.[%d] (%s) starts at step %d, after the run's "
                "last step %d: it pays nothing in this run%s (a step is a quarter: step 4k is k "
                "years after the 2018 start)\n",
                path, q, p->name, p->start, par->steps, also);
    }
}

/* A policy whose own amounts are all zero (a location_subsidy without per_worker, a
 * density_fund without spend) is valid and changes nothing; so is a link that is never built
 * or opens after the run: a scenario's author would read the comparison as the policy's
 * effect. Said on stderr. (firm_subsidy with amount 0 still keeps its firms from exit.) */
static void warn_policies_without_effect(const cs_params *par, const char *path, FILE *out) {
    if (par->steps == 0) return; /* no policy acts: warn_idle_policies says so once */
    for (int q = 0; q < par->n_policies && q < CS_MAX_POLICIES; q++) {
        const cs_policy *p = &par->policies[q];
        if (idle_in_run(p, par->steps)) continue; /* warn_idle_policies' */
        const char *what = NULL;
        switch (p->type) {
        case CS_POL_LOCATION_SUBSIDY:
            if (p->per_worker == 0) what = "per_worker is 0: it pays nothing";
            break;
        case CS_POL_TAX_ZONE:
            if (p->profit_tax_cut == 0 && p->rates_relief == 0)
                what = "profit_tax_cut and rates_relief are 0: it pays nothing";
            break;
        case CS_POL_DENSITY_FUND:
            if (p->spend == 0)
                what = "spend is 0: it builds nothing";
            else if (p->capacity_per_pound == 0 && p->amenity_per_pound == 0 &&
                     p->access_per_pound == 0)
                what = "capacity_per_pound, amenity_per_pound and access_per_pound are 0: it "
                       "spends and builds nothing";
            break;
        case CS_POL_RD_CREDIT:
            if (p->rate == 0 && p->grant_budget == 0)
                what = "rate and grant_budget are 0: it pays nothing";
            break;
        case CS_POL_UNIVERSITY_FUNDING:
            if (p->amount == 0 && p->knowledge_transfer == 0 && p->spinout_support == 0)
                what = "amount, knowledge_transfer and spinout_support are 0: it funds nothing";
            break;
        case CS_POL_SKILLS_PROGRAMME:
            if (p->max_workers == 0 || p->skill_gain == 0)
                what = p->max_workers == 0 ? "max_workers is 0: it trains no one"
                                           : "skill_gain is 0: its training adds no skill";
            break;
        case CS_POL_STARTUP_SPACE:
            if (p->rent_discount == 0 || p->max_age == 0)
                what = p->rent_discount == 0 ? "rent_discount is 0: it pays nothing"
                                             : "max_age is 0: no firm is young enough";
            break;
        case CS_POL_TRANSPORT_LINK: {
            const int opens = cs_link_opens(p, par->scale); /* as the run builds it */
            const int slow = p->budget > 0 && p->budget < p->cost;
            if (p->end >= 0 && p->end <= opens)
                fprintf(out,
                        "clustersim: warning: %s: policies.[%d] (%s): it is never built: end %d "
                        "comes before building ends at step %d (start + build_steps%s), so it "
                        "never opens\n",
                        path, q, p->name, p->end, opens, slow ? ", at the budget's pace" : "");
            else if (opens > par->steps)
                fprintf(out,
                        "clustersim: warning: %s: policies.[%d] (%s): it opens at step %d, "
                        "after the run's last step %d: in this run it carries no one\n",
                        path, q, p->name, opens, par->steps);
            break;
        }
        default:
            break;
        }
        if (what)
            fprintf(out, "clustersim: warning: %s: policies.[%d] (%s): %s\n", path, q, p->name,
                    what);
    }
}

/* Settings that act, but not as written: the sample rounds a count, a budget buys whole
 * trainees, money is spent that builds nothing in the run, or a policy costs nothing. Each
 * would make analysis compare's cost per job wrong without a word, so each is said on stderr
 * with what the run does instead. */
static void warn_policies_not_as_written(const cs_params *par, const char *path, FILE *out) {
    if (par->steps == 0) return;
    const char *w = "clustersim: warning";
    const double sc = par->scale;
    for (int q = 0; q < par->n_policies && q < CS_MAX_POLICIES; q++) {
        const cs_policy *p = &par->policies[q];
        if (idle_in_run(p, par->steps)) continue; /* warn_idle_policies says so */
        switch (p->type) {
        case CS_POL_FIRM_SUBSIDY: {
            const int32_t k = cs_firm_subsidy_firms(p, sc);
            const double stands = (double)k / sc;
            if (fabs(stands - p->count) > 0.01 * p->count)
                fprintf(out,
                        "%s: %s: policies.[%d] (%s): count %d at scale %g is %g model firms: it "
                        "subsidises %d, which stand for %.0f firms, and pays and books for "
                        "them (%.0f%% of the count asked); a count that is a multiple of 1/scale "
                        "= %.0f, or a larger scale, gives the count asked\n",
                        w, path, q, p->name, p->count, sc, p->count * sc, (int)k, stands,
                        100.0 * stands / p->count, 1.0 / sc);
            break;
        }
        case CS_POL_SKILLS_PROGRAMME: {
            if (p->cost == 0 && p->max_workers > 0 && p->skill_gain > 0) {
                fprintf(out,
                        "%s: %s: policies.[%d] (%s): cost is 0: it trains for free, so analysis "
                        "compare shows no spending and no cost per job; give the cost of a "
                        "trainee in 2018 pounds\n",
                        w, path, q, p->name);
                break;
            }
            const double most = cs_skills_budget_trainees(p, sc);
            if (most < 0) break; /* no budget cap */
            const double can = p->budget * sc / p->cost;
            const double want = p->max_workers * sc;
            if (most < want && can - most > 0.01 * can)
                fprintf(out,
                        "%s: %s: policies.[%d] (%s): at scale %g its budget buys %.3g model "
                        "trainees a step and a step trains whole ones only, so it trains %.0f "
                        "(%.0f at full scale) and spends %.0f%% of its budget; a larger scale "
                        "comes closer\n",
                        w, path, q, p->name, sc, can, most, most / sc, 100.0 * most / can);
            break;
        }
        case CS_POL_TRANSPORT_LINK:
            if (p->cost == 0)
                fprintf(out,
                        "%s: %s: policies.[%d] (%s): cost is 0: the link is built for free, so "
                        "analysis compare shows no spending and no cost per job; give its cost "
                        "in 2018 pounds\n",
                        w, path, q, p->name);
            break;
        case CS_POL_DENSITY_FUND:
            /* what is spent at step t is built at t + lag */
            if (p->spend > 0 && first_step(p) + p->lag > par->steps)
                fprintf(out,
                        "%s: %s: policies.[%d] (%s): it spends from step %d but builds what it "
                        "spends lag = %d steps later, after the run's last step %d: in this run "
                        "it spends but builds nothing\n",
                        w, path, q, p->name, first_step(p), p->lag, par->steps);
            break;
        case CS_POL_RD_CREDIT: {
            const cs_key *k = cs_policy_key_find("sme_size");
            if (!p->sme_only && k && p->sme_size != (int)k->def)
                fprintf(out,
                        "%s: %s: policies.[%d].sme_size (%s): sme_only is false, so every firm "
                        "is eligible whatever its size: the setting has no effect\n",
                        w, path, q, p->name);
            break;
        }
        default:
            break;
        }
    }
}

/* Keys every policy type accepts (config/schema.c: types 0) that some types never read: a
 * value away from the default there has no effect, which a scenario's author would not
 * notice (a university_funding given an area still funds its universities wherever they are,
 * and analysis compare would take that area for the target). */
static void warn_ignored_policy_keys(const cs_params *par, const char *path, FILE *out) {
#define TY(t) (1u << CS_POL_##t)
    const unsigned zones = TY(LOCATION_SUBSIDY) | TY(TAX_ZONE) | TY(STARTUP_SPACE);
    for (int q = 0; q < par->n_policies && q < CS_MAX_POLICIES; q++) {
        const cs_policy *p = &par->policies[q];
        const struct {
            const char *key;
            int set;          /* away from its default */
            unsigned read_by; /* the types that read it */
            const char *why;  /* what the others do instead */
        } common[] = {
            {"area", p->area_kind != CS_AREA_EVERYWHERE,
             ~(TY(UNIVERSITY_FUNDING) | TY(TRANSPORT_LINK)),
             p->type == CS_POL_UNIVERSITY_FUNDING
                 ? "it funds the named universities, wherever they are"
                 : "it acts around its two ends, from and to, within radius"},
            {"sectors", p->sector_mask != 0, zones | TY(RD_CREDIT) | TY(FIRM_SUBSIDY),
             p->type == CS_POL_SKILLS_PROGRAMME ? "it trains the area's residents, whatever "
                                                  "their sector"
                                                : "it acts on every sector alike"},
            {"credibility", p->credibility != 1.0, zones,
             "firms weigh only the support of location_subsidy, tax_zone and startup_space "
             "policies when they choose where to be"},
            {"cycle", p->cycle_on > 0 || p->cycle_off > 0, ~TY(TRANSPORT_LINK),
             "stop-go does not apply to a link: once built it stays open"},
        };
        for (size_t k = 0; k < sizeof common / sizeof common[0]; k++)
            if (common[k].set && !(common[k].read_by & (1u << p->type)))
                fprintf(out,
                        "clustersim: warning: %s: policies.[%d].%s (%s): %s does not read it "
                        "(%s): the setting has no effect\n",
                        path, q, common[k].key, p->name, cs_policy_type_names[p->type],
                        common[k].why);
    }
#undef TY
}

/* Keys the config accepts but this run's other settings make idle: a value away from its
 * default there is a user's intent that the run would ignore unseen, so it is said on stderr
 * (the SWIFT habit of warning on parameters a run does not use). */
static int away_from_default(const char *key, double num, const char *str) {
    const cs_key *k = cs_schema_find(key);
    if (!k) return 0;
    return str ? strcmp(str, k->def_str ? k->def_str : "") != 0 : num != k->def;
}

static void warn_idle_keys(const cs_params *par, const char *path, FILE *out) {
    const char *w = "clustersim: warning";
    const int real = strcmp(par->landscape.initial_sectors, "real") == 0;
    if (!real) {
        const struct {
            const char *key;
            double num;
            const char *str;
        } only_real[] = {
            {"landscape.fundamentals", 0, par->landscape.fundamentals},
            {"landscape.asset_offset", 0, par->landscape.asset_offset},
            {"landscape.firm_share_max", par->landscape.firm_share_max, NULL},
            {"landscape.university_pull", par->landscape.university_pull, NULL},
        };
        for (size_t i = 0; i < sizeof only_real / sizeof only_real[0]; i++)
            if (away_from_default(only_real[i].key, only_real[i].num, only_real[i].str))
                fprintf(out,
                        "%s: %s: %s is set but acts only on the real start "
                        "(landscape.initial_sectors = \"real\"); here it has no effect\n",
                        w, path, only_real[i].key);
    }
    /* the uk landscape alone has cities (their spread, the rural share, the centres' amenity);
     * the empty one has no universities either */
    const char *kind = par->landscape.kind;
    if (strcmp(kind, "uk") != 0) {
        const struct {
            const char *key;
            double num;
            int uni; /* a university key: idle on the empty landscape only */
        } only_uk[] = {
            {"landscape.city_sigma", par->landscape.city_sigma, 0},
            {"landscape.rural_share", par->landscape.rural_share, 0},
            {"landscape.amenity_city", par->landscape.amenity_city, 0},
            {"universities.ru", par->universities.ru, 1},
            {"universities.k", par->universities.k, 1},
            {"universities.phi_q", par->universities.phi_q, 1},
            {"universities.delta_q", par->universities.delta_q, 1},
            {"universities.lambda_u", par->universities.lambda_u, 1},
            {"universities.spinout_premium", par->universities.spinout_premium, 1},
        };
        for (size_t i = 0; i < sizeof only_uk / sizeof only_uk[0]; i++) {
            if (only_uk[i].uni && strcmp(kind, "empty") != 0) continue;
            if (away_from_default(only_uk[i].key, only_uk[i].num, NULL))
                fprintf(out,
                        "%s: %s: %s is set but the %s landscape (landscape.kind) has no %s; "
                        "here it has no effect\n",
                        w, path, only_uk[i].key, kind, only_uk[i].uni ? "universities" : "cities");
        }
    }
    const int start = par->landscape.asset_decline_start;
    const double rate = par->landscape.asset_decline_rate;
    if (rate > 0 && start < 0)
        fprintf(out,
                "%s: %s: landscape.asset_decline_rate is %g but landscape.asset_decline_start is "
                "-1 (never): no asset declines; set the step it starts\n",
                w, path, rate);
    else if (start >= 0 && rate == 0)
        fprintf(out,
                "%s: %s: landscape.asset_decline_start is %d but landscape.asset_decline_rate is "
                "0: no asset declines\n",
                w, path, start);
    else if (start > par->steps && rate > 0)
        fprintf(out,
                "%s: %s: landscape.asset_decline_start %d is after the run's last step %d: no "
                "asset declines in this run\n",
                w, path, start, par->steps);
    else if (real && (start < 0 || rate == 0) &&
             away_from_default("landscape.asset_offset", 0, par->landscape.asset_offset))
        fprintf(out,
                "%s: %s: landscape.asset_offset is set but acts only while an asset declines "
                "(landscape.asset_decline_start, asset_decline_rate); here it has no effect\n",
                w, path);
    if (real && strcmp(par->landscape.fundamentals, "fitted") != 0 &&
        away_from_default("landscape.asset_offset", 0, par->landscape.asset_offset))
        fprintf(out,
                "%s: %s: landscape.asset_offset is set but acts only on fitted fundamentals "
                "(landscape.fundamentals = \"fitted\"); here it has no effect\n",
                w, path);
}

/* A base that is missing beside the file naming it but is a preset's name (a preset copied
 * elsewhere to edit keeps base = "baseline.cfg"): the message says where the preset is. err
 * holds "...: base: cannot open PATH: No such file or directory". */
static void hint_preset_base(char *err, size_t n) {
    const char *open = strstr(err, ": base: cannot open "), *tail = ": No such file or directory";
    const size_t len = strlen(err), tl = strlen(tail);
    if (!open || len < tl || strcmp(err + len - tl, tail) != 0) return;
    const char *path = open + strlen(": base: cannot open ");
    const char *end = err + len - tl, *name = path;
    for (const char *c = path; c < end; c++)
        if (*c == '/') name = c + 1;
    char base[256];
    if (end - name <= 0 || end - name >= (long)sizeof base) return;
    snprintf(base, sizeof base, "%.*s", (int)(end - name), name);
    char *preset = cs_cli_resolve_scenario(base);
    if (preset && strcmp(preset, base) != 0 && cs_cli_is_file(preset))
        snprintf(err + len, n - len,
                 " (a base is found beside the file that names it; the preset %s is %s: "
                 "base = \"%s\";)",
                 base, preset, preset);
    free(preset);
}

/* The warnings on a loaded config (settings that act not as written, or not at all), each a
 * line "clustersim: warning: PATH: ..." on out: a run says them on stderr, a sweep once per
 * scenario and value when it starts. */
void cs_cli_config_warnings(const cs_params *par, const char *path, FILE *out) {
    warn_idle_policies(par, path, out);
    warn_policies_without_effect(par, path, out);
    warn_policies_not_as_written(par, path, out);
    warn_ignored_policy_keys(par, path, out);
    warn_idle_keys(par, path, out);
}

/* Loads a scenario with --set overrides; returns 0 or prints the message and returns 2. */
int cs_cli_load(cs_params *par, const char *path, int nset, char **sets, char **source) {
    char err[2048] = "";
    struct stat st;
    /* checked here as well as in the loader so that the message is the same everywhere */
    if (stat(path, &st) != 0) {
        const int e = errno;
        char dym[160];
        cs_cli_preset_hint(path, dym, sizeof dym); /* "tech_cty": a preset's name mistyped */
        if (!dym[0] && e == ENOENT && !strchr(path, '/'))
            snprintf(dym, sizeof dym,
                     " (a scenario is a file, or a preset's name: see "
                     "clustersim list)");
        return cs_cli_fail(2, "%s: cannot read scenario file: %s%s", path, strerror(e), dym);
    }
    if (!S_ISREG(st.st_mode)) return cs_cli_fail(2, "%s: not a regular file", path);
    if (cs_config_load(par, path, nset, sets, source, err, sizeof err) != 0) {
        hint_preset_base(err, sizeof err);
        return cs_cli_fail(2, "%s", err[0] ? err : "invalid scenario");
    }
    cs_cli_config_warnings(par, path, stderr);
    return 0;
}
