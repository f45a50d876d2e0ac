/* sweep.c: sweep files (see sweep.h). Errors have the scenario loader's form,
 * FILE:LINE: KEY: message, with its did-you-mean suggestions (cs_config_did_you_mean). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "sweep.h"

typedef struct ctx {
    cs_sweep *sw;
    char *err;
    size_t errlen;
    const char *dir; /* a sweep directory whose scenarios/ copies replace the files, or NULL */
} ctx;

static int fail(ctx *c, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(ctx *c, int line, const char *key, const char *fmt, ...) {
    char what[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    cs_config_error(c->err, c->errlen, c->sw->file, line, key, what);
    return 2;
}

/* Out of memory: the message, as fail's, with exit status 1 (not bad input). */
static int oom(ctx *c, int line, const char *key) {
    fail(c, line, key, "out of memory");
    return 1;
}

static int line_of(const config_setting_t *s) {
    return s ? (int)config_setting_source_line(s) : 0;
}

static int is_seq(const config_setting_t *s) {
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
}

/* Characters kept in run ids (they are also file names); others become '_'. */
static void id_clean(char *s) {
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._+-=", *s)) *s = '_';
}

/* A scalar setting as a value: its --set text, its id label and number or string. */
static int scalar_value(ctx *c, const config_setting_t *s, const char *key, cs_sweep_value *v) {
    char buf[512];
    v->num = NAN;
    v->line = line_of(s);
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        snprintf(buf, sizeof buf, "%d", config_setting_get_int(s));
        v->num = config_setting_get_int(s);
        v->text = strdup(buf);
        v->label = strdup(buf);
        break;
    case CONFIG_TYPE_INT64:
        snprintf(buf, sizeof buf, "%lldL", (long long)config_setting_get_int64(s));
        v->num = (double)config_setting_get_int64(s);
        v->text = strdup(buf);
        buf[strlen(buf) - 1] = 0;
        v->label = strdup(buf);
        break;
    case CONFIG_TYPE_FLOAT:
        v->num = config_setting_get_float(s);
        /* 1e999 reads as inf, which then went to the run as "inf" and came back as "expected
         * float, got string" */
        if (!isfinite(v->num))
            return fail(c, v->line, key,
                        "a value beyond the range of a number (1e308 at most): not a finite "
                        "number");
        cs_cfg_fmt_double(buf, sizeof buf, v->num);
        v->text = strdup(buf);
        v->label = strdup(buf);
        break;
    case CONFIG_TYPE_BOOL:
        v->num = config_setting_get_bool(s);
        v->text = strdup(v->num != 0 ? "true" : "false");
        v->label = strdup(v->text);
        break;
    case CONFIG_TYPE_STRING: {
        const char *str = config_setting_get_string(s);
        size_t n = strlen(str);
        /* the folder's plan.txt has a line a run and a tab between fields */
        for (const char *p = str; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return fail(c, v->line, key,
                            "a value holds a control character (a tab or a new line?): a value "
                            "of a sweep is one line of text");
        char *q = malloc(2 * n + 3), *o = q;
        if (q) {
            *o++ = '"';
            for (const char *p = str; *p; p++) {
                if (*p == '"' || *p == '\\') *o++ = '\\';
                *o++ = *p;
            }
            *o++ = '"';
            *o = 0;
        }
        v->text = q;
        v->str = strdup(str);
        v->label = strdup(n ? str : "empty");
        if (v->label) id_clean(v->label);
        if (!v->str) return oom(c, v->line, key);
        break;
    }
    default:
        return fail(c, v->line, key, "expected a number, bool or string, got %s",
                    cs_config_type_name(s));
    }
    if (!v->text || !v->label) return oom(c, v->line, key);
    return 0;
}

static const char *const sweep_keys[] = {"name", "scenarios", "seeds",  "vary",
                                         "mode", "set",       "threads"};
#define N_SWEEP_KEYS ((int)(sizeof sweep_keys / sizeof sweep_keys[0]))

static int unknown(ctx *c, const config_setting_t *s, const char *where, const char *const *cands,
                   int n) {
    char dym[160], path[300];
    const char *name = config_setting_name(s);
    cs_config_did_you_mean(name, cands, n, dym, sizeof dym);
    snprintf(path, sizeof path, "%s%s", where, name);
    return fail(c, line_of(s), path, "unknown key%s", dym);
}

/* ---------------------------------------------------------------- parts of the file */

static int parse_seeds(ctx *c, const config_setting_t *s) {
    cs_sweep *sw = c->sw;
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        long long n =
            t == CONFIG_TYPE_INT ? config_setting_get_int(s) : config_setting_get_int64(s);
        if (n < 1 || n > 1000000)
            return fail(c, line_of(s), "sweep.seeds", "a count must be from 1 to 1000000, got %lld",
                        n);
        sw->nseeds = (int)n;
        sw->seeds = malloc((size_t)n * sizeof *sw->seeds);
        if (!sw->seeds) return oom(c, line_of(s), "sweep.seeds");
        for (int i = 0; i < n; i++) sw->seeds[i] = i + 1;
        return 0;
    }
    if (!is_seq(s))
        return fail(c, line_of(s), "sweep.seeds",
                    "expected a count (seeds 1..N) or a list of seeds [1L, 2L, ...], got %s",
                    cs_config_type_name(s));
    int n = config_setting_length(s);
    if (n == 0) return fail(c, line_of(s), "sweep.seeds", "the list of seeds is empty");
    sw->nseeds = n;
    sw->seeds = malloc((size_t)n * sizeof *sw->seeds);
    if (!sw->seeds) return oom(c, line_of(s), "sweep.seeds");
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        int et = config_setting_type(e);
        if (et != CONFIG_TYPE_INT && et != CONFIG_TYPE_INT64)
            return fail(c, line_of(e), "sweep.seeds", "element %d: expected an integer, got %s", i,
                        cs_config_type_name(e));
        sw->seeds[i] =
            et == CONFIG_TYPE_INT ? config_setting_get_int(e) : config_setting_get_int64(e);
        for (int j = 0; j < i; j++)
            if (sw->seeds[j] == sw->seeds[i])
                return fail(c, line_of(e), "sweep.seeds", "seed %" PRId64 " is listed twice",
                            sw->seeds[i]);
    }
    return 0;
}

/* A varied or set key must name one scalar config key. */
static int check_key(ctx *c, const char *key, int line, const char *what) {
    char dym[200];
    if (strcmp(key, "seed") == 0)
        return fail(c, line, what, "seed is set by sweep.seeds (a count or a list), not here");
    if (strcmp(key, "base") == 0) /* a scenario's own line, read before any key is set */
        return fail(c, line, what,
                    "base is a scenario file's own line, not a key a sweep sets: list the "
                    "scenarios to run in sweep.scenarios (files or presets)");
    if (strncmp(key, "policies.[", 10) == 0) {
        const char *p = key + 10;
        char *end;
        long idx = strtol(p, &end, 10);
        if (end == p || idx < 0 || idx >= CS_MAX_POLICIES || strncmp(end, "].", 2) != 0 || !end[2])
            return fail(c, line, what, "'%s': expected policies.[N].key with N from 0 to %d", key,
                        CS_MAX_POLICIES - 1);
        if (cs_policy_key_find(end + 2)) return 0;
        cs_config_suggest_key(key, dym, sizeof dym);
        return fail(c, line, what, "'%s': unknown policy key%s", key, dym);
    }
    if (cs_schema_find(key)) return 0;
    /* a group (firms, policies): a config key, but not one value */
    size_t kl = strlen(key);
    const char *eg = strcmp(key, "policies") == 0 ? "policies.[0].amount" : NULL;
    for (int k = 0; k < cs_schema_n && !eg; k++)
        if (strncmp(cs_schema[k].path, key, kl) == 0 && cs_schema[k].path[kl] == '.')
            eg = cs_schema[k].path;
    if (eg)
        return fail(c, line, what,
                    "'%s': a group of keys, not one value; a sweep sets or varies one key at a "
                    "time (such as %s)",
                    key, eg);
    cs_config_suggest_key(key, dym, sizeof dym);
    return fail(c, line, what, "'%s': unknown key%s", key, dym);
}

static int parse_vary(ctx *c, const config_setting_t *s) {
    cs_sweep *sw = c->sw;
    if (config_setting_type(s) != CONFIG_TYPE_LIST)
        return fail(c, line_of(s), "sweep.vary",
                    "expected a list ( { key = \"...\"; values = [...]; }, ... ), got %s",
                    cs_config_type_name(s));
    int n = config_setting_length(s);
    if (n == 0)
        return fail(c, line_of(s), "sweep.vary",
                    "is empty: give at least one { key; values; } or remove vary");
    sw->keys = calloc((size_t)n, sizeof *sw->keys);
    if (!sw->keys) return oom(c, line_of(s), "sweep.vary");
    static const char *const entry_keys[] = {"key", "values"};
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        char where[64];
        snprintf(where, sizeof where, "sweep.vary.[%d]", i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            return fail(c, line_of(e), where, "expected { key = \"...\"; values = [...]; }, got %s",
                        cs_config_type_name(e));
        for (int m = 0; m < config_setting_length(e); m++) {
            const config_setting_t *x = config_setting_get_elem(e, (unsigned)m);
            const char *nm = config_setting_name(x);
            if (strcmp(nm, "key") && strcmp(nm, "values")) {
                char pre[80];
                snprintf(pre, sizeof pre, "%s.", where);
                return unknown(c, x, pre, entry_keys, 2);
            }
        }
        const config_setting_t *k = config_setting_get_member(e, "key");
        const config_setting_t *v = config_setting_get_member(e, "values");
        if (!k) return fail(c, line_of(e), where, "missing key = \"config.key\"");
        if (!v) return fail(c, line_of(e), where, "missing values = [...]");
        if (config_setting_type(k) != CONFIG_TYPE_STRING)
            return fail(c, line_of(k), where, "key: expected a string, got %s",
                        cs_config_type_name(k));
        cs_sweep_key *sk = &sw->keys[i];
        sw->nkeys = i + 1;
        sk->key = strdup(config_setting_get_string(k));
        sk->line = line_of(e);
        if (!sk->key) return oom(c, sk->line, where);
        int bad = check_key(c, sk->key, line_of(k), where);
        if (bad) return bad;
        for (int j = 0; j < i; j++)
            if (strcmp(sw->keys[j].key, sk->key) == 0)
                return fail(c, line_of(k), sk->key, "is varied twice (sweep.vary.[%d] and [%d])", j,
                            i);
        if (!is_seq(v))
            return fail(c, line_of(v), sk->key, "values: expected a list [a, b, ...], got %s",
                        cs_config_type_name(v));
        sk->n = config_setting_length(v);
        if (sk->n == 0) return fail(c, line_of(v), sk->key, "values is empty");
        sk->v = calloc((size_t)sk->n, sizeof *sk->v);
        if (!sk->v) return oom(c, line_of(v), sk->key);
        for (int j = 0; j < sk->n; j++) {
            int e = scalar_value(c, config_setting_get_elem(v, (unsigned)j), sk->key, &sk->v[j]);
            if (e) return e;
            int str = sk->v[j].str != NULL;
            if (j == 0) sk->is_string = str;
            if (str != sk->is_string)
                return fail(c, sk->v[j].line, sk->key,
                            "values mix strings and numbers (value %d is %s)", j + 1,
                            str ? "a string" : "a number");
        }
    }
    /* ids name a key by its last part (per_worker) unless two varied keys share it */
    for (int i = 0; i < sw->nkeys; i++) {
        const char *d = strrchr(sw->keys[i].key, '.');
        const char *last = d ? d + 1 : sw->keys[i].key;
        int clash = 0;
        for (int j = 0; j < sw->nkeys; j++) {
            const char *dj = strrchr(sw->keys[j].key, '.');
            if (j != i && strcmp(dj ? dj + 1 : sw->keys[j].key, last) == 0) clash = 1;
        }
        sw->keys[i].label = strdup(clash ? sw->keys[i].key : last);
        if (!sw->keys[i].label) return oom(c, 0, NULL);
        id_clean(sw->keys[i].label);
    }
    return 0;
}

static int parse_set(ctx *c, const config_setting_t *s) {
    cs_sweep *sw = c->sw;
    if (config_setting_type(s) != CONFIG_TYPE_LIST)
        return fail(c, line_of(s), "sweep.set",
                    "expected a list ( { key = \"...\"; value = ...; }, ... ), got %s",
                    cs_config_type_name(s));
    int n = config_setting_length(s);
    sw->set_text = calloc((size_t)n + 1, sizeof *sw->set_text);
    sw->set_line = calloc((size_t)n + 1, sizeof *sw->set_line);
    if (!sw->set_text || !sw->set_line) return oom(c, line_of(s), "sweep.set");
    static const char *const entry_keys[] = {"key", "value"};
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        char where[64];
        snprintf(where, sizeof where, "sweep.set.[%d]", i);
        if (config_setting_type(e) != CONFIG_TYPE_GROUP)
            return fail(c, line_of(e), where, "expected { key = \"...\"; value = ...; }, got %s",
                        cs_config_type_name(e));
        for (int m = 0; m < config_setting_length(e); m++) {
            const config_setting_t *x = config_setting_get_elem(e, (unsigned)m);
            const char *nm = config_setting_name(x);
            if (strcmp(nm, "key") && strcmp(nm, "value")) {
                char pre[80];
                snprintf(pre, sizeof pre, "%s.", where);
                return unknown(c, x, pre, entry_keys, 2);
            }
        }
        const config_setting_t *k = config_setting_get_member(e, "key");
        const config_setting_t *v = config_setting_get_member(e, "value");
        if (!k || config_setting_type(k) != CONFIG_TYPE_STRING)
            return fail(c, line_of(k ? k : e), where, "needs key = \"config.key\"");
        if (!v) return fail(c, line_of(e), where, "missing value = ...");
        const char *key = config_setting_get_string(k);
        int bad = check_key(c, key, line_of(k), where);
        if (bad) return bad;
        cs_sweep_value val = {0};
        int rc = scalar_value(c, v, key, &val);
        if (!rc) {
            size_t len = strlen(key) + strlen(val.text) + 2;
            sw->set_text[i] = malloc(len);
            if (sw->set_text[i]) snprintf(sw->set_text[i], len, "%s=%s", key, val.text);
        }
        free(val.text);
        free(val.label);
        free(val.str);
        if (rc) return rc;
        if (!sw->set_text[i]) return oom(c, line_of(e), where);
        sw->set_line[i] = line_of(e);
        sw->nset = i + 1;
    }
    return 0;
}

/* A scenario entry: an absolute path; a path relative to the sweep file's directory or to one
 * of the search directories; or a preset name. */
static char *find_scenario(const char *arg, const char *sweep_path, const char *const *search,
                           int nsearch) {
    if (arg[0] == '/') return strdup(arg);
    char buf[PATH_MAX * 2];
    const char *slash = strrchr(sweep_path, '/');
    if (slash) {
        snprintf(buf, sizeof buf, "%.*s/%s", (int)(slash - sweep_path), sweep_path, arg);
        if (cs_cli_is_file(buf)) return strdup(buf);
    }
    for (int i = 0; i < nsearch; i++) {
        snprintf(buf, sizeof buf, "%s/%s", search[i], arg);
        if (cs_cli_is_file(buf)) return strdup(buf);
    }
    return cs_cli_resolve_scenario(arg);
}

static int parse_scenarios(ctx *c, const config_setting_t *s, const char *const *search,
                           int nsearch) {
    cs_sweep *sw = c->sw;
    int t = config_setting_type(s);
    int n = t == CONFIG_TYPE_STRING ? 1 : is_seq(s) ? config_setting_length(s) : -1;
    if (n < 0)
        return fail(c, line_of(s), "sweep.scenarios",
                    "expected a list of scenario files or preset names, got %s",
                    cs_config_type_name(s));
    if (n == 0) return fail(c, line_of(s), "sweep.scenarios", "the list is empty");
    sw->scen = calloc((size_t)n, sizeof *sw->scen);
    if (!sw->scen) return oom(c, line_of(s), "sweep.scenarios");
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = t == CONFIG_TYPE_STRING ? s : config_setting_get_elem(s, i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return fail(c, line_of(e), "sweep.scenarios",
                        "entry %d: expected a file name or preset name, got %s", i + 1,
                        cs_config_type_name(e));
        cs_sweep_scenario *sc = &sw->scen[i];
        sw->nscen = i + 1;
        sc->arg = strdup(config_setting_get_string(e));
        sc->line = line_of(e);
        if (!sc->arg) return oom(c, sc->line, "sweep.scenarios");
        char copy[PATH_MAX], named[PATH_MAX];
        snprintf(copy, sizeof copy, "%s/scenarios/%d.cfg", c->dir ? c->dir : "", i + 1);
        snprintf(named, sizeof named, "%s/scenarios/%d.path", c->dir ? c->dir : "", i + 1);
        if (c->dir && cs_cli_is_file(copy)) {
            sc->path = strdup(copy);
            int nul = 0;
            sc->file = cs_config_read_text(named, &nul);
            if (sc->file) sc->file[strcspn(sc->file, "\n")] = 0;
        } else {
            sc->path = find_scenario(sc->arg, sw->file, search, nsearch);
        }
        /* the file as an absolute path, so that it means the same wherever DIR is read */
        if (!sc->file && sc->path) sc->file = realpath(sc->path, NULL);
        if (!sc->file && sc->path) sc->file = strdup(sc->path);
        if (!sc->path || !sc->file) return oom(c, sc->line, "sweep.scenarios");
        if (!cs_cli_is_file(sc->path)) {
            char dym[160];
            cs_cli_preset_hint(sc->arg, dym, sizeof dym);
            return fail(c, sc->line, "sweep.scenarios",
                        "'%s' is neither a scenario file nor a preset%s (see clustersim list)",
                        sc->arg, dym);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- runs */

/* Whether a scenario (loaded with the sweep's `set` entries) has a varied key: every scenario has
 * the non-policy keys; policies.[N].key needs policy N, of a type that has the key. */
static int scenario_has(const cs_params *p, const char *key) {
    if (strncmp(key, "policies.[", 10) != 0) return 1;
    long idx = strtol(key + 10, NULL, 10);
    if (idx >= p->n_policies) return 0;
    const cs_key *k = cs_policy_key_find(strchr(key, ']') + 2);
    return k && (!k->types || (k->types & (1u << p->policies[idx].type)));
}

/* The --set list of scenario s with value indices vi (-1: not applied) and one seed. */
static int build_sets(const cs_sweep *sw, const int *vi, int64_t seed, char ***out) {
    int n = 0;
    char **sets = calloc((size_t)(sw->nset + sw->nkeys + 1), sizeof *sets);
    if (!sets) return -1;
    for (int i = 0; i < sw->nset; i++)
        if (!(sets[n++] = strdup(sw->set_text[i]))) goto oom;
    for (int k = 0; k < sw->nkeys; k++) {
        if (vi[k] < 0) continue;
        const char *key = sw->keys[k].key, *val = sw->keys[k].v[vi[k]].text;
        size_t len = strlen(key) + strlen(val) + 2;
        if (!(sets[n] = malloc(len))) goto oom;
        snprintf(sets[n++], len, "%s=%s", key, val);
    }
    char sb[64];
    snprintf(sb, sizeof sb, "seed=%" PRId64 "L", seed);
    if (!(sets[n++] = strdup(sb))) goto oom;
    *out = sets;
    return n;
oom:
    cs_sweep_free_sets(sets, n);
    return -1;
}

void cs_sweep_free_sets(char **sets, int n) {
    if (!sets) return;
    for (int i = 0; i < n; i++) free(sets[i]);
    free(sets);
}

int cs_sweep_run_sets(const cs_sweep *sw, int r, char ***sets) {
    return build_sets(sw, sw->runs[r].vi, sw->runs[r].seed, sets);
}

/* The warnings a run of scenario sc with this config would print (a count rounded by the
 * scale, a policy that pays nothing, ...), added to sw->warnings where not there already: the
 * runs' own logs are removed when they end well, and a cost per job read from a sweep needs
 * them as much as one from a run. At most WARN_MAX bytes, then one line saying more were cut. */
enum { WARN_MAX = 16384 };
static const char warn_cut[] = "clustersim: warning: more warnings on the sweep's configs are not "
                               "shown: run one with clustersim check to see its own\n";
static void add_warnings(cs_sweep *sw, const cs_sweep_scenario *sc, const cs_params *par) {
    if (sw->warnings && strstr(sw->warnings, warn_cut)) return; /* full: said once */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return;
    cs_cli_config_warnings(par, sc->arg, m);
    if (fclose(m) != 0 || !buf) {
        free(buf);
        return;
    }
    size_t have = sw->warnings ? strlen(sw->warnings) : 0;
    for (const char *line = buf; *line;) {
        const char *nl = strchr(line, '\n');
        const size_t ll = nl ? (size_t)(nl - line) + 1 : strlen(line);
        int seen = 0;
        for (const char *h = sw->warnings; h && !seen && *h;) {
            const char *e = strchr(h, '\n');
            const size_t hl = e ? (size_t)(e - h) + 1 : strlen(h);
            seen = hl == ll && memcmp(h, line, ll) == 0;
            h += hl;
        }
        if (!seen) {
            const int full = have + ll > WARN_MAX;
            const size_t add = full ? sizeof warn_cut - 1 : ll;
            char *w = realloc(sw->warnings, have + add + 1);
            if (!w) break;
            memcpy(w + have, full ? warn_cut : line, add);
            have += add;
            w[have] = 0;
            sw->warnings = w;
            if (full) break; /* nothing more is added */
        }
        line += ll;
    }
    free(buf);
}

/* Loads scenario s with value indices vi; on error, the message points at the sweep file line
 * that caused it: a varied value, a `set` entry, or the scenario entry. With warn, the config's
 * warnings join sw->warnings. */
static int check_combo(ctx *c, int s, const int *vi, cs_params *par, int warn) {
    cs_sweep *sw = c->sw;
    cs_sweep_scenario *sc = &sw->scen[s];
    char **sets = NULL;
    int n = build_sets(sw, vi, sw->seeds[0], &sets);
    if (n < 0) return oom(c, 0, NULL);
    char err[2048] = "";
    int rc = cs_config_load(par, sc->path, n, sets, NULL, err, sizeof err);
    if (rc == 0) {
        cs_sweep_free_sets(sets, n);
        if (warn) add_warnings(sw, sc, par);
        return 0;
    }
    /* which override failed: the loader names it "--set KEY=VALUE: KEY: message" */
    int line = sc->line, k_bad = -1;
    const char *key = "sweep.scenarios", *msg = err;
    for (int i = 0; i < n - 1; i++) {
        char pre[1024];
        snprintf(pre, sizeof pre, "--set %s: ", sets[i]);
        if (strncmp(err, pre, strlen(pre)) != 0) continue;
        msg = err + strlen(pre);
        if (i < sw->nset) {
            line = sw->set_line[i];
            key = "sweep.set";
        } else {
            int j = i - sw->nset;
            for (int k = 0; k < sw->nkeys; k++)
                if (vi[k] >= 0 && j-- == 0) k_bad = k;
            key = sw->keys[k_bad].key;
            line = sw->keys[k_bad].v[vi[k_bad]].line;
            size_t kl = strlen(key);
            if (strncmp(msg, key, kl) == 0 && msg[kl] == ':' && msg[kl + 1] == ' ') msg += kl + 2;
        }
        break;
    }
    if (k_bad >= 0)
        fail(c, line, key, "value %s in scenario %s: %s", sw->keys[k_bad].v[vi[k_bad]].label,
             sc->arg, msg);
    else if (msg != err)
        fail(c, line, key, "in scenario %s: %s", sc->arg, msg);
    else
        fail(c, line, key, "scenario %s: %s", sc->arg, msg);
    cs_sweep_free_sets(sets, n);
    return 2;
}

static int add_run(ctx *c, int s, const int *vi) {
    cs_sweep *sw = c->sw;
    int digits = 2;
    for (int i = 0; i < sw->nseeds; i++) {
        char b[32];
        uint64_t m =
            sw->seeds[i] < 0 ? (uint64_t)0 - (uint64_t)sw->seeds[i] : (uint64_t)sw->seeds[i];
        int d = snprintf(b, sizeof b, "%" PRIu64, m);
        if (d > digits) digits = d;
    }
    for (int q = 0; q < sw->nseeds; q++) {
        cs_sweep_run *r = &sw->runs[sw->nrun];
        r->scen = s;
        r->seed = sw->seeds[q];
        r->vi = malloc((size_t)(sw->nkeys + 1) * sizeof *r->vi);
        size_t len = strlen(sw->scen[s].name) + 64;
        for (int k = 0; k < sw->nkeys; k++)
            if (vi[k] >= 0)
                len += strlen(sw->keys[k].label) + strlen(sw->keys[k].v[vi[k]].label) + 2;
        r->id = malloc(len);
        if (!r->vi || !r->id) {
            free(r->vi);
            free(r->id);
            return oom(c, 0, NULL);
        }
        sw->nrun++;
        memcpy(r->vi, vi, (size_t)sw->nkeys * sizeof *vi);
        size_t o = (size_t)snprintf(r->id, len, "%s", sw->scen[s].name);
        id_clean(r->id);
        /* the name is a folder of runs/: ".." (or "." or "") would leave it */
        if (strspn(r->id, ".") == o) {
            memset(r->id, '_', o ? o : 1);
            o = o ? o : 1;
            r->id[o] = 0;
        }
        for (int k = 0; k < sw->nkeys; k++)
            if (vi[k] >= 0)
                o += (size_t)snprintf(r->id + o, len - o, "/%s=%s", sw->keys[k].label,
                                      sw->keys[k].v[vi[k]].label);
        char num[32], pad[32] = "";
        int nd = snprintf(num, sizeof num, "%" PRIu64,
                          r->seed < 0 ? (uint64_t)0 - (uint64_t)r->seed : (uint64_t)r->seed);
        for (int z = nd; z < digits && z < 30; z++) strcat(pad, "0");
        snprintf(r->id + o, len - o, "/seed%s%s%s", r->seed < 0 ? "-" : "", pad, num);
    }
    return 0;
}

/* A run id and the run's index, ordered by id, then index. */
typedef struct run_order {
    const char *id;
    int r;
} run_order;

static int cmp_run_order(const void *x, const void *y) {
    const run_order *a = x, *b = y;
    int d = strcmp(a->id, b->id);
    return d ? d : (a->r > b->r) - (a->r < b->r);
}

/* Runs a and b (a < b) would have one id: said at the line that makes them one. */
static int same_id(ctx *c, int a, int b) {
    const cs_sweep *sw = c->sw;
    const cs_sweep_run *ra = &sw->runs[a], *rb = &sw->runs[b];
    if (ra->scen != rb->scen) {
        const cs_sweep_scenario *sa = &sw->scen[ra->scen], *sb = &sw->scen[rb->scen];
        return fail(c, sb->line, "sweep.scenarios",
                    "two runs would have the id %s: %s and %s are both named '%s' (list a "
                    "scenario once, or set name in each)",
                    ra->id, sa->arg, sb->arg, sb->name);
    }
    for (int k = 0; k < sw->nkeys; k++) {
        if (ra->vi[k] < 0 || rb->vi[k] < 0 || ra->vi[k] == rb->vi[k]) continue;
        const cs_sweep_key *K = &sw->keys[k];
        const cs_sweep_value *va = &K->v[ra->vi[k]], *vb = &K->v[rb->vi[k]];
        if (strcmp(va->text, vb->text) != 0) /* else the same value in two rows of a zip */
            return fail(c, vb->line, K->key,
                        "two runs would have the id %s: values %s and %s both read '%s' once "
                        "made safe for a file name (letters, digits and . _ + - = only)",
                        ra->id, va->text, vb->text, vb->label);
    }
    if (sw->mode == CS_SWEEP_ZIP && sw->nkeys > 0)
        return fail(c, sw->keys[0].line, "sweep.vary",
                    "two runs would have the id %s: the zip repeats a row of values (row %d "
                    "and row %d)",
                    ra->id, ra->vi[0] + 1, rb->vi[0] + 1);
    return fail(c, 0, NULL, "two runs would have the id %s", ra->id);
}

static int build_runs(ctx *c) {
    cs_sweep *sw = c->sw;
    cs_params *par = malloc(sizeof *par);
    int *vi = malloc((size_t)(sw->nkeys + 1) * sizeof *vi);
    int maxlen = 1;
    for (int k = 0; k < sw->nkeys; k++)
        if (sw->keys[k].n > maxlen) maxlen = sw->keys[k].n;
    /* a value twice in one key: in a product, twice the same runs; in a zip only a repeated
     * tuple is (10.0 beside 0.1 and 10.0 beside 0.2 are two runs), which the ids then catch */
    for (int k = 0; k < sw->nkeys && sw->mode != CS_SWEEP_ZIP; k++) {
        const cs_sweep_key *sk = &sw->keys[k];
        for (int j = 1; j < sk->n; j++)
            for (int q = 0; q < j; q++)
                if (strcmp(sk->v[q].text, sk->v[j].text) == 0) {
                    free(par);
                    free(vi);
                    return fail(c, sk->v[j].line, sk->key, "value %s is listed twice",
                                sk->v[j].label);
                }
    }
    if (sw->mode == CS_SWEEP_ZIP)
        for (int k = 1; k < sw->nkeys; k++)
            if (sw->keys[k].n != sw->keys[0].n) {
                free(par);
                free(vi);
                return fail(c, sw->keys[k].line, sw->keys[k].key,
                            "mode \"zip\" needs the same number of values for every key: %s has "
                            "%d, %s has %d",
                            sw->keys[0].key, sw->keys[0].n, sw->keys[k].key, sw->keys[k].n);
            }
    /* the largest run count: every scenario takes every combination */
    size_t combos = 1;
    for (int k = 0; k < sw->nkeys; k++) {
        if (sw->mode == CS_SWEEP_ZIP) break;
        combos *= (size_t)sw->keys[k].n;
        if (combos > 10000000) break;
    }
    if (sw->mode == CS_SWEEP_ZIP) combos = sw->nkeys ? (size_t)sw->keys[0].n : 1;
    size_t cap = combos * (size_t)sw->nscen * (size_t)sw->nseeds;
    if (!par || !vi || cap > 10000000) {
        free(par);
        free(vi);
        if (cap > 10000000)
            return fail(c, 0, "sweep",
                        "%zu runs: more than the 10000000 a sweep may have (split it: one sweep "
                        "a scenario, say, or fewer seeds or values)",
                        cap);
        return oom(c, 0, NULL);
    }
    sw->runs = calloc(cap, sizeof *sw->runs);
    int rc = sw->runs ? 0 : oom(c, 0, NULL);

    /* the scenarios as loaded with the sweep's `set` entries: names, sectors, which keys apply */
    for (int s = 0; s < sw->nscen && !rc; s++) {
        cs_sweep_scenario *sc = &sw->scen[s];
        for (int k = 0; k < sw->nkeys; k++) vi[k] = -1;
        if ((rc = check_combo(c, s, vi, par, 0))) break; /* no run has just this config */
        snprintf(sc->name, sizeof sc->name, "%s", par->name);
        sc->n_sectors = par->sectors.n;
        for (int q = 0; q < par->sectors.n; q++) {
            snprintf(sc->sectors[q], CS_NAME_LEN, "%s", par->sectors.names[q]);
            sc->tradable[q] = par->sectors.tradable[q];
        }
        sc->applies = calloc((size_t)sw->nkeys + 1, 1);
        if (!sc->applies) rc = oom(c, 0, NULL);
        for (int k = 0; k < sw->nkeys && !rc; k++)
            sc->applies[k] = (unsigned char)scenario_has(par, sw->keys[k].key);
    }
    for (int k = 0; k < sw->nkeys && !rc; k++) {
        int any = 0;
        for (int s = 0; s < sw->nscen; s++) any |= sw->scen[s].applies[k];
        if (!any) {
            const char *key = sw->keys[k].key;
            long idx = strtol(key + 10, NULL, 10);
            rc = fail(c, sw->keys[k].line, key,
                      "no scenario of the sweep has this key (policies.[%ld] is absent, or of a "
                      "type without '%s')",
                      idx, strchr(key, ']') + 2);
        }
    }
    /* every combination of every scenario, each checked by loading its config */
    for (int s = 0; s < sw->nscen && !rc; s++) {
        const unsigned char *ap = sw->scen[s].applies;
        int napp = 0;
        for (int k = 0; k < sw->nkeys; k++) napp += ap[k];
        if (sw->mode == CS_SWEEP_ZIP) {
            int m = napp ? sw->keys[0].n : 1;
            for (int j = 0; j < m && !rc; j++) {
                for (int k = 0; k < sw->nkeys; k++) vi[k] = ap[k] ? j : -1;
                rc = check_combo(c, s, vi, par, 1);
                if (!rc) rc = add_run(c, s, vi);
            }
        } else {
            for (int k = 0; k < sw->nkeys; k++) vi[k] = ap[k] ? 0 : -1;
            for (;;) {
                if ((rc = check_combo(c, s, vi, par, 1)) || (rc = add_run(c, s, vi))) break;
                /* odometer over the applicable keys, the last key fastest */
                int k = sw->nkeys - 1;
                for (; k >= 0; k--) {
                    if (vi[k] < 0) continue;
                    if (++vi[k] < sw->keys[k].n) break;
                    vi[k] = 0;
                }
                if (k < 0) break;
            }
        }
    }
    free(par);
    free(vi);
    if (rc) return rc;
    run_order *ids = malloc((size_t)sw->nrun * sizeof *ids);
    if (!ids) return oom(c, 0, NULL);
    for (int r = 0; r < sw->nrun; r++) ids[r] = (run_order){sw->runs[r].id, r};
    qsort(ids, (size_t)sw->nrun, sizeof *ids, cmp_run_order);
    for (int r = 1; r < sw->nrun && !rc; r++)
        if (strcmp(ids[r - 1].id, ids[r].id) == 0) rc = same_id(c, ids[r - 1].r, ids[r].r);
    free(ids);
    /* each part of an id is a folder or file name (with .h5.ckpt.h5.tmp.PID after the last):
     * one too long for the file system fails its run only when it starts */
    for (int r = 0; r < sw->nrun && !rc; r++)
        for (const char *p = sw->runs[r].id; *p && !rc;) {
            size_t len = strcspn(p, "/");
            if (len > 200)
                rc = fail(c, 0, NULL,
                          "run id %.60s...: a part of %zu characters, too long for a file name "
                          "(at most 200; a long varied string value makes it so: shorten it)",
                          sw->runs[r].id, len);
            p += len + (p[len] == '/');
        }
    return rc;
}

/* ---------------------------------------------------------------- load */

static int parse(ctx *c, const config_setting_t *root, const char *const *search, int nsearch) {
    cs_sweep *sw = c->sw;
    for (int i = 0; i < config_setting_length(root); i++) {
        const config_setting_t *e = config_setting_get_elem(root, (unsigned)i);
        if (strcmp(config_setting_name(e), "sweep") != 0) {
            /* a scenario file given to sweep: its keys are a scenario's */
            const char *nm = config_setting_name(e);
            int scen = cs_schema_find(nm) || !strcmp(nm, "base") || !strcmp(nm, "policies");
            for (int g = 0; g < cs_groups_n && !scen; g++) scen = !strcmp(cs_groups[g].name, nm);
            if (scen && !config_setting_get_member(root, "sweep"))
                return fail(c, line_of(e), nm,
                            "unknown key: this is a scenario file, not a sweep (run it with "
                            "clustersim run, or list it in a sweep file's scenarios)");
            for (int k = 0; k < N_SWEEP_KEYS; k++)
                if (!strcmp(nm, sweep_keys[k]) && !config_setting_get_member(root, "sweep"))
                    return fail(c, line_of(e), nm,
                                "unknown key at the top of a sweep file: a sweep's settings "
                                "(scenarios, seeds, vary, ...) go inside sweep = { ... };");
            static const char *const top[] = {"sweep"};
            return unknown(c, e, "", top, 1);
        }
    }
    const config_setting_t *g = config_setting_get_member(root, "sweep");
    if (!g)
        return fail(c, 0, "sweep", "missing: a sweep file is sweep = { scenarios = [...]; ... };");
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return fail(c, line_of(g), "sweep", "expected a group { ... }, got %s",
                    cs_config_type_name(g));
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)i);
        int known = 0;
        for (int k = 0; k < N_SWEEP_KEYS; k++)
            known |= strcmp(config_setting_name(e), sweep_keys[k]) == 0;
        if (!known) return unknown(c, e, "sweep.", sweep_keys, N_SWEEP_KEYS);
    }
    const config_setting_t *s;
    const char *slash = strrchr(sw->file, '/');
    char base[CS_NAME_LEN];
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : sw->file);
    char *dot = strrchr(base, '.');
    if (dot && strcmp(dot, ".cfg") == 0) *dot = 0;
    snprintf(sw->name, sizeof sw->name, "%s", base);
    if ((s = config_setting_get_member(g, "name"))) {
        if (config_setting_type(s) != CONFIG_TYPE_STRING)
            return fail(c, line_of(s), "sweep.name", "expected a string, got %s",
                        cs_config_type_name(s));
        if (strlen(config_setting_get_string(s)) >= CS_NAME_LEN)
            return fail(c, line_of(s), "sweep.name", "longer than %d characters", CS_NAME_LEN - 1);
        snprintf(sw->name, sizeof sw->name, "%s", config_setting_get_string(s));
    }
    if ((s = config_setting_get_member(g, "mode"))) {
        if (config_setting_type(s) != CONFIG_TYPE_STRING)
            return fail(c, line_of(s), "sweep.mode", "expected \"product\" or \"zip\", got %s",
                        cs_config_type_name(s));
        const char *m = config_setting_get_string(s);
        static const char *const modes[] = {"product", "zip"};
        if (strcmp(m, "product") == 0)
            sw->mode = CS_SWEEP_PRODUCT;
        else if (strcmp(m, "zip") == 0)
            sw->mode = CS_SWEEP_ZIP;
        else {
            char dym[128];
            cs_config_did_you_mean(m, modes, 2, dym, sizeof dym);
            return fail(c, line_of(s), "sweep.mode", "'%s': expected product or zip%s", m, dym);
        }
    }
    if ((s = config_setting_get_member(g, "threads"))) {
        if (config_setting_type(s) != CONFIG_TYPE_INT || config_setting_get_int(s) < 1 ||
            config_setting_get_int(s) > 4096)
            return fail(c, line_of(s), "sweep.threads", "expected an integer from 1 to 4096");
        sw->threads = config_setting_get_int(s);
    }
    if (!(s = config_setting_get_member(g, "scenarios")))
        return fail(c, line_of(g), "sweep.scenarios",
                    "missing: scenarios = [\"file.cfg\" or preset, ...];");
    int e;
    if ((e = parse_scenarios(c, s, search, nsearch))) return e;
    if (!(s = config_setting_get_member(g, "seeds")))
        return fail(c, line_of(g), "sweep.seeds", "missing: seeds = N; (seeds 1..N) or a list");
    if ((e = parse_seeds(c, s))) return e;
    if ((s = config_setting_get_member(g, "set")) && (e = parse_set(c, s))) return e;
    if ((s = config_setting_get_member(g, "vary")) && (e = parse_vary(c, s))) return e;
    return build_runs(c);
}

int cs_sweep_load(cs_sweep *sw, const char *path, const char *text, const char *const *search,
                  int nsearch, char *err, size_t errlen) {
    return cs_sweep_load_dir(sw, path, text, NULL, search, nsearch, err, errlen);
}

int cs_sweep_load_dir(cs_sweep *sw, const char *path, const char *text, const char *dir,
                      const char *const *search, int nsearch, char *err, size_t errlen) {
    memset(sw, 0, sizeof *sw);
    ctx c = {sw, err, errlen, dir};
    err[0] = 0;
    sw->file = strdup(path);
    int nul = 0;
    sw->text = text ? strdup(text) : cs_config_read_text(path, &nul);
    if (!sw->file || !sw->text) {
        const int read_failed = sw->file && !text;
        snprintf(err, errlen, "%s: cannot read sweep file: %s", path,
                 read_failed ? cs_config_read_error(errno) : "out of memory");
        cs_sweep_free(sw);
        return read_failed ? 2 : 1;
    }
    if (nul) {
        cs_config_error(err, errlen, path, nul, NULL, "a NUL byte: not a text file");
        cs_sweep_free(sw);
        return 2;
    }
    config_t cf;
    config_init(&cf);
    int rc, wline = 0;
    char lit[64];
    int scan = cs_config_scan_literals(sw->text, &wline, lit, sizeof lit);
    if (scan == CS_SCAN_INCLUDE)
        rc = fail(&c, wline, NULL, "@include is not supported in sweep files");
    else if (scan == CS_SCAN_OPEN_STRING || scan == CS_SCAN_OPEN_COMMENT)
        rc = fail(&c, wline, NULL, "%s", cs_config_open_message(scan));
    else if (scan == CS_SCAN_WIDE32 || scan == CS_SCAN_WIDE64) {
        /* libconfig reads the file all the same (the value wrapped): it finds the key */
        char key[256] = "";
        if (config_read_string(&cf, sw->text))
            cs_config_wide_key_at_line(config_root_setting(&cf), wline, lit, key, sizeof key);
        if (scan == CS_SCAN_WIDE32)
            rc = fail(&c, wline, key[0] ? key : NULL, "integer %s does not fit 32 bits: write %sL",
                      lit, lit);
        else
            rc = fail(&c, wline, key[0] ? key : NULL, "integer %s does not fit 64 bits", lit);
    } else if (cs_config_not_utf8_line(sw->text))
        rc = fail(&c, cs_config_not_utf8_line(sw->text), NULL,
                  "not UTF-8 text (saved as Latin-1 or Windows-1252?): save the file as UTF-8");
    else if (!config_read_string(&cf, sw->text)) {
        char hint[512];
        cs_config_syntax_hint(sw->text, config_error_text(&cf), config_error_line(&cf), hint,
                              sizeof hint);
        rc = fail(&c, config_error_line(&cf), NULL, "%s%s", config_error_text(&cf), hint);
    } else
        rc = parse(&c, config_root_setting(&cf), search, nsearch);
    config_destroy(&cf);
    if (rc) cs_sweep_free(sw);
    return rc;
}

void cs_sweep_free(cs_sweep *sw) {
    free(sw->warnings);
    for (int i = 0; i < sw->nscen; i++) {
        free(sw->scen[i].arg);
        free(sw->scen[i].file);
        free(sw->scen[i].path);
        free(sw->scen[i].applies);
    }
    free(sw->scen);
    for (int k = 0; k < sw->nkeys; k++) {
        for (int j = 0; j < sw->keys[k].n; j++) {
            free(sw->keys[k].v[j].text);
            free(sw->keys[k].v[j].label);
            free(sw->keys[k].v[j].str);
        }
        free(sw->keys[k].v);
        free(sw->keys[k].key);
        free(sw->keys[k].label);
    }
    free(sw->keys);
    for (int i = 0; i < sw->nset; i++) free(sw->set_text[i]);
    free(sw->set_text);
    free(sw->set_line);
    for (int r = 0; r < sw->nrun; r++) {
        free(sw->runs[r].id);
        free(sw->runs[r].vi);
    }
    free(sw->runs);
    free(sw->seeds);
    free(sw->file);
    free(sw->text);
    memset(sw, 0, sizeof *sw);
}

void cs_sweep_run_rel(const cs_sweep *sw, int r, char *buf, size_t len) {
    snprintf(buf, len, "runs/%s.h5", sw->runs[r].id);
}

int cs_sweep_print(const cs_sweep *sw, FILE *out, const unsigned char *done) {
    fprintf(out, "sweep %s: %d run%s (%d scenario%s, %d seed%s, mode %s)\n", sw->name, sw->nrun,
            sw->nrun == 1 ? "" : "s", sw->nscen, sw->nscen == 1 ? "" : "s", sw->nseeds,
            sw->nseeds == 1 ? "" : "s", sw->mode == CS_SWEEP_ZIP ? "zip" : "product");
    for (int k = 0; k < sw->nkeys; k++) {
        int nap = 0;
        for (int s = 0; s < sw->nscen; s++) nap += sw->scen[s].applies[k];
        if (nap == sw->nscen) continue;
        fprintf(out, "note: %s applies only to", sw->keys[k].key);
        for (int s = 0; s < sw->nscen; s++)
            if (sw->scen[s].applies[k]) fprintf(out, " %s", sw->scen[s].name);
        fprintf(out, "; the other scenarios run once per seed, not once per value\n");
    }
    fprintf(out, "index\tid\tscenario\tseed");
    for (int k = 0; k < sw->nkeys; k++) fprintf(out, "\t%s", sw->keys[k].key);
    fputs(done ? "\tfinished\n" : "\n", out);
    for (int r = 0; r < sw->nrun; r++) {
        const cs_sweep_run *ru = &sw->runs[r];
        fprintf(out, "%d\t%s\t%s\t%" PRId64, r, ru->id, sw->scen[ru->scen].arg, ru->seed);
        for (int k = 0; k < sw->nkeys; k++)
            fprintf(out, "\t%s", ru->vi[k] >= 0 ? sw->keys[k].v[ru->vi[k]].label : "-");
        fputs(!done ? "\n" : done[r] ? "\tyes\n" : "\tno\n", out);
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

char *cs_sweep_plan(const cs_sweep *sw) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    for (int r = 0; r < sw->nrun; r++) {
        char **sets = NULL;
        int n = cs_sweep_run_sets(sw, r, &sets);
        fprintf(f, "%s\t%s", sw->runs[r].id, sw->scen[sw->runs[r].scen].arg);
        for (int i = 0; i < n; i++) fprintf(f, "\t%s", sets[i]);
        fputc('\n', f);
        cs_sweep_free_sets(sets, n);
        if (n < 0) {
            fclose(f);
            free(buf);
            return NULL;
        }
    }
    if (fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}
