/* config.c: loading a scenario. Layers are merged in code, later wins: compiled-in defaults,
 * the chain of `base = "file";`, the scenario, then --set overrides. Each libconfig tree is
 * walked and every setting applied to cs_params through the schema, so each key is checked
 * (type, range) where it is written and errors can name file, line and key. Checks that span
 * keys (array lengths, shares, policy sector names) run once all layers are merged. */
#include <ctype.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cfg_internal.h"
#include "config.h"
#include "landscape.h"
#include "uk_data.h"

#define MAX_DEPTH 32 /* base chain length */
#define MAX_KEYS  160
#define MAX_PKEYS 64

/* Where a value came from; line 0 for --set and defaults (file is then the whole text). */
typedef struct origin {
    const char *file;
    int line;
} origin;

typedef struct pol_extra {
    origin at;                /* the policy's group */
    origin key_at[MAX_PKEYS]; /* last setting of each policy key */
    int key_set[MAX_PKEYS];
    int n_sec; /* sector names, resolved after merging */
    char sec[CS_MAX_SECTORS][CS_NAME_LEN];
} pol_extra;

typedef struct loader {
    cs_params p;
    origin key_at[MAX_KEYS]; /* last setting of each schema key */
    int arr_len[MAX_KEYS];   /* length of each array key as last set */
    int n_given;             /* sectors.n if given (-1 not given) */
    origin n_at;
    pol_extra pol[CS_MAX_POLICIES];
    char **strings; /* file names and --set texts that origins point to */
    int n_strings;
    char *chain[MAX_DEPTH]; /* real paths of the files being loaded, for cycles */
    int depth;
    const char *top_file; /* the scenario file itself (not a base), as origins name it */
    const char *cur_file; /* origin of settings being applied: a file ... */
    const char *cur_set;  /* ... or a --set text */
    const char *bare;     /* a --set value read as a bare word (not a libconfig value), else NULL */
    char *err;
    size_t errlen;
} loader;

static const origin defaults_origin = {"(defaults)", 0};

/* ---------------------------------------------------------------- errors and helpers */

static int fail(loader *L, origin o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(loader *L, origin o, const char *key, const char *fmt, ...) {
    char what[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (L->err && L->errlen > 0) cs_config_error(L->err, L->errlen, o.file, o.line, key, what);
    return 2;
}

void cs_config_error(char *err, size_t errlen, const char *file, int line, const char *key,
                     const char *what) {
    char where[1200];
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d", file, line);
    else
        snprintf(where, sizeof where, "%s", file);
    if (key && *key)
        snprintf(err, errlen, "%s: %s: %s", where, key, what);
    else
        snprintf(err, errlen, "%s: %s", where, what);
}

static const char *keep_string(loader *L, const char *s) {
    char **v = realloc(L->strings, (size_t)(L->n_strings + 1) * sizeof *v);
    if (!v) return "(out of memory)";
    L->strings = v;
    v[L->n_strings] = strdup(s);
    if (!v[L->n_strings]) return "(out of memory)";
    return v[L->n_strings++];
}

static origin at(const loader *L, const config_setting_t *s) {
    origin o;
    if (L->cur_set) {
        o.file = L->cur_set;
        o.line = 0;
    } else {
        o.file = L->cur_file;
        o.line = s ? (int)config_setting_source_line(s) : 0;
    }
    return o;
}

const char *cs_config_type_name(const config_setting_t *s) {
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        return "int";
    case CONFIG_TYPE_INT64:
        return "int64";
    case CONFIG_TYPE_FLOAT:
        return "float";
    case CONFIG_TYPE_STRING:
        return "string";
    case CONFIG_TYPE_BOOL:
        return "bool";
    case CONFIG_TYPE_ARRAY:
        return "array";
    case CONFIG_TYPE_LIST:
        return "list";
    case CONFIG_TYPE_GROUP:
        return "group";
    default:
        return "nothing";
    }
}

static int is_number(const config_setting_t *s) {
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

static double number(const config_setting_t *s) {
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        return config_setting_get_int(s);
    case CONFIG_TYPE_INT64:
        return (double)config_setting_get_int64(s);
    default:
        return config_setting_get_float(s);
    }
}

static int is_seq(const config_setting_t *s) {
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST;
}

static int in_range(const cs_key *k, double v) {
    if (isnan(v)) return 0;
    if (v < k->min || (v == k->min && (k->flags & CS_KEY_LO_OPEN))) return 0;
    if (v > k->max || (v == k->max && (k->flags & CS_KEY_HI_OPEN))) return 0;
    return 1;
}

static int lev(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na > 255 || nb > 255) return 1000;
    int row[256];
    for (size_t j = 0; j <= nb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* Keeps the nearest candidate to key in *best; call for each candidate. */
static void consider(const char *key, const char *cand, const char **best, int *bestd) {
    int d = lev(key, cand);
    if (d < *bestd) {
        *bestd = d;
        *best = cand;
    }
}

/* ", did you mean 'x'?" when a candidate is close enough to be a typo, else "": a few edits, or
 * the same first five letters or more but for at most the key's last letter (policy for
 * policies, which is three edits away). */
static void did_you_mean(const char *key, const char *best, int bestd, char *out, size_t n) {
    int limit = (int)strlen(key) / 3;
    if (limit < 2) limit = 2;
    size_t same = 0;
    while (best && key[same] && key[same] == best[same]) same++;
    if (best && (bestd <= limit || (same >= 5 && same + 1 >= strlen(key))))
        snprintf(out, n, ", did you mean '%s'?", best);
    else
        out[0] = 0;
}

/* For a university name with no near spelling ("Newcastle University"): the table's names that
 * are one of its words (4 letters or more, any case), else where the table is documented. */
static void university_by_word(const char *v, char *out, size_t n) {
    size_t k = (size_t)snprintf(out, n, ", did you mean");
    int found = 0;
    for (int u = 0; cs_university_name(u) && k < n; u++) {
        const char *name = cs_university_name(u);
        size_t len = strlen(name);
        if (len < 4) continue;
        for (const char *w = v; *w; w++) {
            int starts = w == v || w[-1] == ' ';
            if (starts && strncasecmp(w, name, len) == 0 && (w[len] == 0 || w[len] == ' ')) {
                k += (size_t)snprintf(out + k, n - k, "%s '%s'", found++ ? " or" : "", name);
                break;
            }
        }
    }
    if (found && k < n)
        snprintf(out + k, n - k, "?");
    else if (!found)
        snprintf(out, n,
                 " (the table's short names, such as 'Cambridge' or 'Imperial', are "
                 "listed in docs/landscape.md, Universities)");
}

void cs_config_did_you_mean(const char *word, const char *const *cands, int n, char *out,
                            size_t len) {
    const char *best = NULL;
    int bestd = 1000;
    for (int i = 0; i < n; i++)
        if (cands[i]) consider(word, cands[i], &best, &bestd);
    did_you_mean(word, best, bestd, out, len);
}

void cs_config_suggest_key(const char *key, char *out, size_t len) {
    const char *best = NULL;
    int bestd = 1000;
    const char *last = strrchr(key, '.');
    if (strncmp(key, "policies.[", 10) == 0 && last && last[-1] == ']') {
        for (int r = 0; r < cs_policy_schema_n; r++)
            consider(last + 1, cs_policy_schema[r].path, &best, &bestd);
        char name[CS_NAME_LEN];
        did_you_mean(last + 1, best, bestd, name, sizeof name);
        /* the suggestion names the whole path: policies.[N].rate */
        if (best && name[0])
            snprintf(out, len, ", did you mean '%.*s%s'?", (int)(last + 1 - key), key, best);
        else
            out[0] = 0;
        return;
    }
    for (int i = 0; i < cs_schema_n; i++) consider(key, cs_schema[i].path, &best, &bestd);
    did_you_mean(key, best, bestd, out, len);
}

static void suggest_choice(const char *s, const char *choices, char *out, size_t n) {
    const char *best = NULL;
    int bestd = 1000;
    char name[CS_NAME_LEN];
    static char keep[CS_NAME_LEN];
    for (int i = 0;; i++) {
        cs_cfg_choice_name(choices, i, name, sizeof name);
        if (!name[0]) break;
        int d = lev(s, name);
        if (d < bestd) {
            bestd = d;
            memcpy(keep, name, sizeof keep);
            best = keep;
        }
    }
    did_you_mean(s, best, bestd, out, n);
}

/* "a|b|c" as "a, b, c" */
static void list_choices(const char *choices, char *out, size_t n) {
    size_t j = 0;
    for (const char *c = choices; *c && j + 3 < n; c++) {
        if (*c == '|') {
            out[j++] = ',';
            out[j++] = ' ';
        } else
            out[j++] = *c;
    }
    out[j] = 0;
}

static int schema_row(const cs_key *k) {
    return (int)(k - cs_schema);
}
static int policy_row(const cs_key *k) {
    return (int)(k - cs_policy_schema);
}

/* ---------------------------------------------------------------- applying one value */

static int check_region(loader *L, origin o, const char *path, const char *name) {
    for (int r = 0; r < CS_MAX_REGIONS; r++)
        if (cs_region_names[r] && strcmp(cs_region_names[r], name) == 0) return 0;
    const char *best = NULL;
    int bestd = 1000;
    for (int r = 0; r < CS_MAX_REGIONS; r++)
        if (cs_region_names[r]) consider(name, cs_region_names[r], &best, &bestd);
    char dym[512];
    did_you_mean(name, best, bestd, dym, sizeof dym);
    /* a region's first word(s) ("Yorkshire", "East"): the regions that begin so */
    size_t len = strlen(name);
    if (!dym[0] && len >= 4) {
        int found = 0;
        for (int r = 0; r < CS_MAX_REGIONS; r++)
            if (cs_region_names[r] && strncasecmp(cs_region_names[r], name, len) == 0) {
                size_t k = strlen(dym);
                snprintf(dym + k, sizeof dym - k, "%s'%s'", found++ ? " or " : ", did you mean ",
                         cs_region_names[r]);
            }
        if (found) strncat(dym, "?", sizeof dym - strlen(dym) - 1);
    }
    if (!dym[0]) { /* none near: every name, as the config must spell it */
        snprintf(dym, sizeof dym, "; the regions are");
        for (int r = 0, k = 0; r < CS_MAX_REGIONS; r++)
            if (cs_region_names[r]) {
                size_t m = strlen(dym);
                snprintf(dym + m, sizeof dym - m, "%s'%s'", k++ ? ", " : " ", cs_region_names[r]);
            }
    }
    return fail(L, o, path, "unknown region '%s'%s", name, dym);
}

/* Reads a sequence of exactly n numbers into v. */
static int get_numbers(loader *L, const config_setting_t *s, const char *path, int n, double *v,
                       const char *form) {
    if (!is_seq(s) || config_setting_length(s) != n)
        return fail(L, at(L, s), path, "expected %s, got %s%s", form, cs_config_type_name(s),
                    is_seq(s) ? " of another length" : "");
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        if (!is_number(e))
            return fail(L, at(L, s), path, "expected %s, element %d is a %s", form, i,
                        cs_config_type_name(e));
        v[i] = number(e);
        if (!isfinite(v[i])) return fail(L, at(L, s), path, "element %d is not finite", i);
    }
    return 0;
}

static int apply_area(loader *L, cs_policy *pol, const char *path, const config_setting_t *s) {
    pol->area_kind = CS_AREA_EVERYWHERE;
    pol->n_area_regions = 0;
    memset(pol->area_regions, 0, sizeof pol->area_regions);
    pol->cx = pol->cy = pol->r = 0;
    pol->x0 = pol->y0 = pol->x1 = pol->y1 = 0;
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        const char *v = config_setting_get_string(s);
        if (strcmp(v, "everywhere") == 0) return 0;
        if (strcmp(v, "city_centres") == 0) {
            pol->area_kind = CS_AREA_CITY_CENTRES;
            return 0;
        }
        return fail(L, at(L, s), path,
                    "'%s' is not an area: use \"everywhere\", \"city_centres\" or a group with "
                    "one of regions, circle, rect (a region: area = { regions = [\"%s\"]; };)",
                    v, v);
    }
    if (config_setting_type(s) != CONFIG_TYPE_GROUP)
        return fail(L, at(L, s), path,
                    "expected a string or a group { regions | circle | rect }, got %s",
                    cs_config_type_name(s));
    int n = config_setting_length(s);
    if (n != 1)
        return fail(L, at(L, s), path, "give exactly one of regions, circle, rect (got %d keys)",
                    n);
    const config_setting_t *c = config_setting_get_elem(s, 0);
    const char *name = config_setting_name(c);
    char sub[256];
    snprintf(sub, sizeof sub, "%s.%s", path, name);
    if (strcmp(name, "regions") == 0) {
        int m = is_seq(c) ? config_setting_length(c) : -1;
        if (m < 1 || m > CS_MAX_AREA)
            return fail(L, at(L, c), sub, "expected an array of 1 to %d region names, got %s",
                        CS_MAX_AREA, m < 0 ? cs_config_type_name(c) : "a wrong length");
        for (int i = 0; i < m; i++) {
            const config_setting_t *e = config_setting_get_elem(c, (unsigned)i);
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                return fail(L, at(L, c), sub, "element %d: expected string, got %s", i,
                            cs_config_type_name(e));
            const char *rn = config_setting_get_string(e);
            if (check_region(L, at(L, c), sub, rn)) return 2;
            for (int j = 0; j < i; j++)
                if (strcmp(pol->area_regions[j], rn) == 0)
                    return fail(L, at(L, c), sub, "'%s' appears twice", rn);
            cs_cfg_copy_name(pol->area_regions[i], CS_NAME_LEN, rn);
        }
        pol->area_kind = CS_AREA_REGIONS;
        pol->n_area_regions = m;
        return 0;
    }
    double v[4];
    if (strcmp(name, "circle") == 0) {
        if (get_numbers(L, c, sub, 3, v, "[x, y, r]")) return 2;
        if (!(v[2] > 0)) return fail(L, at(L, c), sub, "radius %g must be > 0", v[2]);
        pol->area_kind = CS_AREA_CIRCLE;
        pol->cx = v[0], pol->cy = v[1], pol->r = v[2];
        return 0;
    }
    if (strcmp(name, "rect") == 0) {
        if (get_numbers(L, c, sub, 4, v, "[x0, y0, x1, y1]")) return 2;
        if (v[0] > v[2] || v[1] > v[3])
            return fail(L, at(L, c), sub, "needs x0 <= x1 and y0 <= y1");
        pol->area_kind = CS_AREA_RECT;
        pol->x0 = v[0], pol->y0 = v[1], pol->x1 = v[2], pol->y1 = v[3];
        return 0;
    }
    const char *best = NULL;
    int bestd = 1000;
    consider(name, "regions", &best, &bestd);
    consider(name, "circle", &best, &bestd);
    consider(name, "rect", &best, &bestd);
    char dym[128];
    did_you_mean(name, best, bestd, dym, sizeof dym);
    return fail(L, at(L, c), sub, "unknown key%s", dym);
}

/* The first control character of a text (other than a tab or a newline), or -1: texts are
 * printed on terminals (describe, list, the live view), where an escape sequence would drive
 * the terminal (set its title, clear it). */
static int control_char(const char *v) {
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if ((*c < 0x20 && *c != '\t' && *c != '\n') || *c == 0x7f) return *c;
    return -1;
}
static const char control_msg[] =
    "a control character (0x%02x) in the text: write plain text (tabs and newlines are fine)";

/* A string value as the run file and the terminal take it: no control character, UTF-8 (the
 * file's text is checked as a whole, but a \\xNN escape makes any byte), and for a name, which
 * becomes a file name and a column label, no tab or new line either. */
static int check_text(loader *L, const config_setting_t *s, const char *path, const char *v,
                      int name) {
    const int cc = control_char(v);
    if (cc >= 0) return fail(L, at(L, s), path, control_msg, cc);
    if (cs_config_not_utf8_line(v))
        return fail(L, at(L, s), path,
                    "not UTF-8 text (a \\x escape?): write the characters themselves, in UTF-8");
    if (name && strpbrk(v, "\t\n"))
        return fail(L, at(L, s), path,
                    "a tab or new line in a name: names become file names and column labels");
    return 0;
}

/* 1 if s is a string holding a number the key would take without its quotes: a decimal
 * integer for an int key, a decimal number for a float key (" 0.3 "; not hex, nan or inf). */
static int quoted_number(const config_setting_t *s, int integer) {
    if (config_setting_type(s) != CONFIG_TYPE_STRING) return 0;
    const char *v = config_setting_get_string(s);
    if (!v || !*v || strpbrk(v, "xXnNiI")) return 0;
    char *end;
    errno = 0;
    if (integer)
        (void)strtoll(v, &end, 10);
    else
        (void)strtod(v, &end);
    if (end == v || errno) return 0;
    while (isspace((unsigned char)*end)) end++;
    return *end == 0;
}

/* The error for a value that is not a number where key path wants one (want: "int", "int64"
 * or "float"): a --set's bare word named as it is (nan and inf as the file's syntax hint says
 * them), a number in quotes told to lose them, else the type libconfig read. */
static int not_a_number(loader *L, const config_setting_t *s, const char *path, const char *want,
                        int integer) {
    if (L->bare) {
        const char *w = L->bare[0] == '-' || L->bare[0] == '+' ? L->bare + 1 : L->bare;
        if (strcasecmp(w, "nan") == 0 || strcasecmp(w, "inf") == 0 ||
            strcasecmp(w, "infinity") == 0)
            return fail(L, at(L, s), path, "%s is not a value a scenario takes: write a number",
                        L->bare);
        return fail(L, at(L, s), path, "expected a number, got %s",
                    *L->bare ? L->bare : "an empty value");
    }
    return fail(L, at(L, s), path, "expected %s, got %s%s", want, cs_config_type_name(s),
                quoted_number(s, integer) ? " (a number in quotes: write it without them)" : "");
}

/* Writes setting s into the field of key k in base (cs_params or cs_policy). pidx is the policy
 * index for policy keys, -1 otherwise; row indexes arr_len for schema keys. */
static int apply_value(loader *L, const cs_key *k, char *base, const char *path,
                       const config_setting_t *s, int pidx, int row) {
    char *f = base + k->off;
    int t = config_setting_type(s);
    char range[96], dym[128], ch[512];
    cs_cfg_range_text(k, range, sizeof range);
    switch (k->type) {
    case CS_KEY_INT:
    case CS_KEY_INT64: {
        const char *want = k->type == CS_KEY_INT ? "int" : "int64";
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            return not_a_number(L, s, path, want, 1);
        long long v =
            t == CONFIG_TYPE_INT ? config_setting_get_int(s) : config_setting_get_int64(s);
        if ((!isinf(k->min) || !isinf(k->max)) && !in_range(k, (double)v))
            return fail(L, at(L, s), path, "%lld is outside %s", v, range);
        if (k->type == CS_KEY_INT)
            *(int *)f = (int)v;
        else
            *(int64_t *)f = v;
        return 0;
    }
    case CS_KEY_FLOAT: {
        if (!is_number(s)) return not_a_number(L, s, path, "float", 0);
        double v = number(s);
        char vs[40];
        cs_cfg_fmt_double(vs, sizeof vs, v);
        if (!isfinite(v)) return fail(L, at(L, s), path, "%s is not a finite number", vs);
        if (!in_range(k, v)) return fail(L, at(L, s), path, "%s is outside %s", vs, range);
        *(double *)f = v;
        return 0;
    }
    case CS_KEY_BOOL:
        if (t != CONFIG_TYPE_BOOL && L->bare)
            return fail(L, at(L, s), path, "expected true or false, got %s",
                        *L->bare ? L->bare : "an empty value");
        if (t != CONFIG_TYPE_BOOL)
            return fail(L, at(L, s), path, "expected bool (true or false), got %s",
                        cs_config_type_name(s));
        *(int *)f = config_setting_get_bool(s) ? 1 : 0;
        return 0;
    case CS_KEY_STRING: {
        if (t != CONFIG_TYPE_STRING)
            return fail(L, at(L, s), path, "expected string, got %s", cs_config_type_name(s));
        const char *v = config_setting_get_string(s);
        size_t len = strlen(v);
        if (check_text(L, s, path, v, strcmp(k->path, "name") == 0)) return 2;
        if ((double)len > k->max)
            return fail(L, at(L, s), path, "string of %zu bytes is too long (at most %.0f)", len,
                        k->max);
        if ((double)len < k->min) return fail(L, at(L, s), path, "must not be empty");
        if (k->choices && cs_cfg_choice_index(k->choices, v) < 0) {
            list_choices(k->choices, ch, sizeof ch);
            suggest_choice(v, k->choices, dym, sizeof dym);
            return fail(L, at(L, s), path, "'%s' is not one of %s%s", v, ch, dym);
        }
        cs_cfg_copy_name(f, (size_t)k->cap, v);
        return 0;
    }
    case CS_KEY_ENUM: {
        if (t != CONFIG_TYPE_STRING)
            return fail(L, at(L, s), path, "expected string, got %s", cs_config_type_name(s));
        const char *v = config_setting_get_string(s);
        int idx = cs_cfg_choice_index(k->choices, v);
        if (idx < 0) {
            list_choices(k->choices, ch, sizeof ch);
            suggest_choice(v, k->choices, dym, sizeof dym);
            return fail(L, at(L, s), path, "'%s' is not one of %s%s", v, ch, dym);
        }
        *(int *)f = idx;
        return 0;
    }
    case CS_KEY_FLOAT_ARRAY:
    case CS_KEY_BOOL_ARRAY:
    case CS_KEY_STRING_ARRAY: {
        const char *want = k->type == CS_KEY_FLOAT_ARRAY  ? "float"
                           : k->type == CS_KEY_BOOL_ARRAY ? "bool"
                                                          : "string";
        if (!is_seq(s))
            return fail(L, at(L, s), path, "expected an array of %ss, got %s", want,
                        cs_config_type_name(s));
        int n = config_setting_length(s);
        if (n < 1 || n > k->cap)
            return fail(L, at(L, s), path, "has %d elements; give 1 to %d", n, k->cap);
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            int et = config_setting_type(e);
            if (k->type == CS_KEY_FLOAT_ARRAY) {
                if (!is_number(e))
                    return fail(L, at(L, s), path, "element %d: expected float, got %s", i,
                                cs_config_type_name(e));
                double v = number(e);
                char vs[40];
                cs_cfg_fmt_double(vs, sizeof vs, v);
                if (!isfinite(v) || !in_range(k, v))
                    return fail(L, at(L, s), path, "element %d: %s is outside %s", i, vs, range);
                ((double *)f)[i] = v;
            } else if (k->type == CS_KEY_BOOL_ARRAY) {
                int ok = et == CONFIG_TYPE_BOOL ||
                         (et == CONFIG_TYPE_INT && (unsigned)config_setting_get_int(e) <= 1);
                if (!ok)
                    return fail(L, at(L, s), path,
                                "element %d: expected bool (true or false; 0 or 1 also read), "
                                "got %s",
                                i, cs_config_type_name(e));
                ((int *)f)[i] = et == CONFIG_TYPE_BOOL ? config_setting_get_bool(e) != 0
                                                       : config_setting_get_int(e);
            } else {
                if (et != CONFIG_TYPE_STRING)
                    return fail(L, at(L, s), path, "element %d: expected string, got %s", i,
                                cs_config_type_name(e));
                const char *v = config_setting_get_string(e);
                size_t len = strlen(v);
                if (check_text(L, s, path, v, 1)) return 2;
                if (len < 1 || (double)len > k->max)
                    return fail(L, at(L, s), path, "element %d: '%s' must have 1 to %.0f bytes", i,
                                v, k->max);
                for (int j = 0; j < i; j++)
                    if (strcmp(config_setting_get_string(config_setting_get_elem(s, (unsigned)j)),
                               v) == 0)
                        return fail(L, at(L, s), path, "'%s' appears twice", v);
                if (pidx >= 0 && cs_university_index(v) < 0) {
                    const char *best = NULL;
                    int bestd = 1000;
                    for (int u = 0; cs_university_name(u); u++)
                        consider(v, cs_university_name(u), &best, &bestd);
                    char dym[256];
                    did_you_mean(v, best, bestd, dym, sizeof dym);
                    if (!dym[0]) university_by_word(v, dym, sizeof dym);
                    return fail(L, at(L, s), path, "unknown university '%s'%s", v, dym);
                }
            }
        }
        if (k->type == CS_KEY_STRING_ARRAY) {
            memset(f, 0, (size_t)k->cap * CS_NAME_LEN);
            for (int i = 0; i < n; i++)
                cs_cfg_copy_name(
                    f + (size_t)i * CS_NAME_LEN, CS_NAME_LEN,
                    config_setting_get_string(config_setting_get_elem(s, (unsigned)i)));
            *(int *)(base + k->off2) = n;
        }
        if (row >= 0) L->arr_len[row] = n;
        return 0;
    }
    case CS_KEY_INT_PAIR: {
        if (!is_seq(s) || config_setting_length(s) != 2)
            return fail(L, at(L, s), path, "expected [on, off], got %s", cs_config_type_name(s));
        int v[2];
        for (int i = 0; i < 2; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (config_setting_type(e) != CONFIG_TYPE_INT)
                return fail(L, at(L, s), path, "element %d: expected int, got %s", i,
                            cs_config_type_name(e));
            v[i] = config_setting_get_int(e);
            if (!in_range(k, v[i]))
                return fail(L, at(L, s), path, "element %d: %d is outside %s", i, v[i], range);
        }
        *(int *)f = v[0];
        *(int *)(base + k->off2) = v[1];
        return 0;
    }
    case CS_KEY_POINT: {
        double v[2];
        if (get_numbers(L, s, path, 2, v, "[x, y]")) return 2;
        for (int i = 0; i < 2; i++)
            if (!in_range(k, v[i]))
                return fail(L, at(L, s), path, "element %d: %g is outside %s", i, v[i], range);
        *(double *)f = v[0];
        *(double *)(base + k->off2) = v[1];
        return 0;
    }
    case CS_KEY_AREA:
        return apply_area(L, (cs_policy *)base, path, s);
    case CS_KEY_SECTORS: {
        if (!is_seq(s))
            return fail(L, at(L, s), path, "expected an array of sector names, got %s",
                        cs_config_type_name(s));
        int n = config_setting_length(s);
        if (n > CS_MAX_SECTORS)
            return fail(L, at(L, s), path, "has %d names, at most %d", n, CS_MAX_SECTORS);
        pol_extra *x = &L->pol[pidx];
        memset(x->sec, 0, sizeof x->sec);
        for (int i = 0; i < n; i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (config_setting_type(e) != CONFIG_TYPE_STRING)
                return fail(L, at(L, s), path, "element %d: expected string, got %s", i,
                            cs_config_type_name(e));
            cs_cfg_copy_name(x->sec[i], CS_NAME_LEN, config_setting_get_string(e));
            for (int j = 0; j < i; j++) /* as the lists of universities and regions refuse it */
                if (strcmp(x->sec[j], x->sec[i]) == 0)
                    return fail(L, at(L, s), path, "'%s' appears twice", x->sec[i]);
        }
        x->n_sec = n;
        return 0;
    }
    }
    return fail(L, at(L, s), path, "internal error: key type %d", k->type);
}

/* ---------------------------------------------------------------- policies */

static void type_list_of(unsigned types, char *out, size_t n) {
    out[0] = 0;
    for (int t = 0; t < CS_POL_NTYPES; t++)
        if (types & (1u << t)) {
            size_t len = strlen(out);
            snprintf(out + len, n - len, "%s%s", len ? ", " : "", cs_policy_type_names[t]);
        }
}

static int apply_policy_key(loader *L, int i, const char *name, const config_setting_t *s) {
    cs_policy *pol = &L->p.policies[i];
    char path[256];
    snprintf(path, sizeof path, "policies.[%d].%s", i, name);
    const cs_key *k = cs_policy_key_find(name);
    if (k && k->types && !(k->types & (1u << pol->type))) {
        char owners[256];
        type_list_of(k->types, owners, sizeof owners);
        return fail(L, at(L, s), path, "not a key of %s (it belongs to %s)",
                    cs_policy_type_names[pol->type], owners);
    }
    const char *dotp = strchr(name, '.');
    if (!k && dotp) { /* --set policies.[0].area.circle=...: a part of a key's value */
        const cs_key *whole = NULL;
        char head[64];
        snprintf(head, sizeof head, "%.*s", (int)(dotp - name), name);
        whole = cs_policy_key_find(head);
        /* the whole value to write, from the part given: area.regions=["Wales"] is
         * area={ regions = ["Wales"]; } */
        const char *eq = L->cur_set ? strchr(L->cur_set, '=') : NULL;
        char whole_value[300] = "";
        if (whole && strcmp(head, "area") == 0 && eq)
            snprintf(whole_value, sizeof whole_value,
                     ": --set 'policies.[%d].area={ %s = %.200s; }'", i, dotp + 1, eq + 1);
        if (whole)
            return fail(L, at(L, s), path,
                        "--set changes a policy's key as a whole, not a part of its value: "
                        "--set 'policies.[%d].%s=...' with the whole value%s",
                        i, head, whole_value);
    }
    if (!k) {
        const char *best = NULL;
        int bestd = 1000;
        for (int r = 0; r < cs_policy_schema_n; r++) {
            const cs_key *c = &cs_policy_schema[r];
            if (!c->types || (c->types & (1u << pol->type))) consider(name, c->path, &best, &bestd);
        }
        char dym[128];
        did_you_mean(name, best, bestd, dym, sizeof dym);
        return fail(L, at(L, s), path, "unknown key for %s%s", cs_policy_type_names[pol->type],
                    dym);
    }
    if (k->type == CS_KEY_ENUM && k->off == offsetof(cs_policy, type))
        return fail(L, at(L, s), path,
                    "a policy's type cannot be changed on its own: replace the whole policy, "
                    "policies.[%d]={ type = \"...\"; ... }",
                    i);
    if (apply_value(L, k, (char *)pol, path, s, i, -1)) return 2;
    L->pol[i].key_at[policy_row(k)] = at(L, s);
    L->pol[i].key_set[policy_row(k)] = 1;
    return 0;
}

static int parse_policy(loader *L, int i, const config_setting_t *g) {
    char path[64];
    snprintf(path, sizeof path, "policies.[%d]", i);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return fail(L, at(L, g), path, "expected a group { type = \"...\"; ... }, got %s",
                    cs_config_type_name(g));
    const config_setting_t *ts = config_setting_get_member(g, "type");
    char types[512];
    list_choices(cs_policy_schema[0].choices, types, sizeof types);
    if (!ts) return fail(L, at(L, g), path, "missing type (one of %s)", types);
    char tpath[80];
    snprintf(tpath, sizeof tpath, "%s.type", path);
    if (config_setting_type(ts) != CONFIG_TYPE_STRING)
        return fail(L, at(L, ts), tpath, "expected string, got %s", cs_config_type_name(ts));
    const char *tn = config_setting_get_string(ts);
    int type = cs_policy_type_index(tn);
    if (type < 0) {
        char dym[128];
        suggest_choice(tn, cs_policy_schema[0].choices, dym, sizeof dym);
        return fail(L, at(L, ts), tpath, "unknown policy type '%s'%s", tn, dym);
    }
    cs_policy_defaults(&L->p.policies[i], type, i);
    pol_extra *x = &L->pol[i];
    memset(x, 0, sizeof *x);
    x->at = at(L, g);
    for (int r = 0; r < MAX_PKEYS; r++) x->key_at[r] = x->at;
    int n = config_setting_length(g);
    for (int c = 0; c < n; c++) {
        const config_setting_t *e = config_setting_get_elem(g, (unsigned)c);
        if (e == ts) continue;
        if (apply_policy_key(L, i, config_setting_name(e), e)) return 2;
    }
    return 0;
}

static int apply_policy_list(loader *L, const config_setting_t *s) {
    int t = config_setting_type(s);
    int n = is_seq(s) ? config_setting_length(s) : -1;
    if (t != CONFIG_TYPE_LIST && n != 0)
        return fail(L, at(L, s), "policies",
                    "expected a list ( { type = \"...\"; ... }, ... ), got %s",
                    cs_config_type_name(s));
    if (n > CS_MAX_POLICIES)
        return fail(L, at(L, s), "policies", "%d policies, at most %d", n, CS_MAX_POLICIES);
    /* a later layer's list replaces the earlier one as a whole */
    memset(L->p.policies, 0, sizeof L->p.policies);
    memset(L->pol, 0, sizeof L->pol);
    L->p.n_policies = n;
    for (int i = 0; i < n; i++)
        if (parse_policy(L, i, config_setting_get_elem(s, (unsigned)i))) return 2;
    return 0;
}

/* "policies.[N]" or "policies.[N].key" (from --set). */
static int apply_policy_path(loader *L, const char *path, const config_setting_t *s) {
    const char *p = path + strlen("policies.[");
    char *end;
    long idx = strtol(p, &end, 10);
    if (end == p || *end != ']' || idx < 0 || (end[1] != 0 && end[1] != '.'))
        return fail(L, at(L, s), path, "expected policies.[N] or policies.[N].key");
    const char *key = end[1] == '.' ? end + 2 : NULL;
    int n = L->p.n_policies;
    if (!key) {
        if (idx >= CS_MAX_POLICIES)
            return fail(L, at(L, s), path, "a scenario has at most %d policies (N from 0 to %d)",
                        CS_MAX_POLICIES, CS_MAX_POLICIES - 1);
        if (idx > n)
            return fail(L, at(L, s), path,
                        "there are %d policies: N must be at most %d (%d adds one)", n, n, n);
        if (idx == n) L->p.n_policies = n + 1;
        return parse_policy(L, (int)idx, s);
    }
    if (idx >= n && n == 0) return fail(L, at(L, s), path, "there are no policies");
    if (idx >= n)
        return fail(L, at(L, s), path, "there are %d policies (policies.[0] to policies.[%d])", n,
                    n - 1);
    return apply_policy_key(L, (int)idx, key, s);
}

/* ---------------------------------------------------------------- the schema walk */

static int is_group_name(const char *path) {
    for (int g = 0; g < cs_groups_n; g++)
        if (cs_groups[g].name[0] && strcmp(cs_groups[g].name, path) == 0) return 1;
    return 0;
}

static int unknown_key(loader *L, const char *path, const config_setting_t *s) {
    const char *best = NULL;
    int bestd = 1000;
    for (int i = 0; i < cs_schema_n; i++) consider(path, cs_schema[i].path, &best, &bestd);
    for (int g = 0; g < cs_groups_n; g++)
        if (cs_groups[g].name[0]) consider(path, cs_groups[g].name, &best, &bestd);
    consider(path, "policies", &best, &bestd);
    if (!L->cur_set) consider(path, "base", &best, &bestd);
    char dym[128];
    did_you_mean(path, best, bestd, dym, sizeof dym);
    if (strcmp(path, "sweep") == 0 && !L->cur_set) /* a sweep file given to run or check */
        return fail(L, at(L, s), path,
                    "unknown key: this is a sweep file, not a scenario (run it with clustersim "
                    "sweep FILE -o DIR)");
    if (strcmp(path, "base") == 0 && L->cur_set)
        return fail(L, at(L, s), path,
                    "a scenario's base is set in its file only: give the other scenario instead, "
                    "or a file of your own with base = \"...\";");
    if (strncmp(path, "policies.", 9) == 0 && isdigit((unsigned char)path[9]))
        return fail(L, at(L, s), path,
                    "unknown key: a policy's index goes in brackets, "
                    "policies.[%d]...",
                    atoi(path + 9));
    return fail(L, at(L, s), path, "unknown key%s", dym);
}

static int apply_setting(loader *L, const char *path, const config_setting_t *s) {
    if (strcmp(path, "policies") == 0) return apply_policy_list(L, s);
    if (strncmp(path, "policies.[", 10) == 0) return apply_policy_path(L, path, s);
    const cs_key *k = cs_schema_find(path);
    if (k) {
        int row = schema_row(k);
        if (k->flags & CS_KEY_DERIVED) {
            /* checked against what it derives from once all layers are in */
            int saved = *(int *)((char *)&L->p + k->off);
            if (apply_value(L, k, (char *)&L->p, path, s, -1, row)) return 2;
            L->n_given = *(int *)((char *)&L->p + k->off);
            L->n_at = at(L, s);
            *(int *)((char *)&L->p + k->off) = saved;
            return 0;
        }
        if (apply_value(L, k, (char *)&L->p, path, s, -1, row)) return 2;
        L->key_at[row] = at(L, s);
        return 0;
    }
    if (is_group_name(path)) {
        if (config_setting_type(s) != CONFIG_TYPE_GROUP)
            return fail(L, at(L, s), path, "expected a group { ... }, got %s",
                        cs_config_type_name(s));
        int n = config_setting_length(s);
        for (int i = 0; i < n; i++) {
            const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
            char sub[256];
            snprintf(sub, sizeof sub, "%s.%s", path, config_setting_name(c));
            if (apply_setting(L, sub, c)) return 2;
        }
        return 0;
    }
    return unknown_key(L, path, s);
}

/* ---------------------------------------------------------------- 32-bit integer literals */

/* Magnitude of the digits [b, e) in base; saturates at UINT64_MAX. */
static uint64_t magnitude(const char *b, const char *e, int base) {
    uint64_t v = 0;
    for (const char *c = b; c < e; c++) {
        int d = isdigit((unsigned char)*c) ? *c - '0' : tolower((unsigned char)*c) - 'a' + 10;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return UINT64_MAX;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    return v;
}

/* Finds the first integer literal libconfig 1.5 would wrap silently (no L suffix and wider than
 * 32 bits, or wider than 64 bits with it), or an @include, or a string or block comment never
 * closed (libconfig 1.5 takes the end of the text inside one as its end, so a stray quote or
 * slash-star dropped the rest of a file without a word; *line_out is where it opens). Strings
 * and comments are skipped; digits inside names (x0) and floats are not integers. */
static int scan_text(const char *t, int *line_out, char *lit, size_t litlen) {
    int line = 1;
    size_t i = 0;
    while (t[i]) {
        char c = t[i];
        if (c == '\n') {
            line++;
            i++;
        } else if (c == '"') {
            const int open = line;
            for (i++; t[i] && t[i] != '"'; i++) {
                if (t[i] == '\\' && t[i + 1]) i++;
                if (t[i] == '\n') line++;
            }
            if (!t[i]) {
                *line_out = open;
                return CS_SCAN_OPEN_STRING;
            }
            i++;
        } else if (c == '#' || (c == '/' && t[i + 1] == '/')) {
            while (t[i] && t[i] != '\n') i++;
        } else if (c == '/' && t[i + 1] == '*') {
            const int open = line;
            for (i += 2; t[i] && !(t[i] == '*' && t[i + 1] == '/'); i++)
                if (t[i] == '\n') line++;
            if (!t[i]) {
                *line_out = open;
                return CS_SCAN_OPEN_COMMENT;
            }
            i += 2;
        } else if (c == '@' && strncmp(t + i, "@include", 8) == 0) {
            *line_out = line;
            return CS_SCAN_INCLUDE;
        } else if (isalpha((unsigned char)c) || c == '_' || c == '*') {
            while (isalnum((unsigned char)t[i]) || t[i] == '_' || t[i] == '-' || t[i] == '*') i++;
        } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)t[i + 1]))) {
            size_t s = i;
            int neg = s > 0 && t[s - 1] == '-';
            uint64_t mag;
            if (c == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X') &&
                isxdigit((unsigned char)t[i + 2])) {
                i += 2;
                size_t d0 = i;
                while (isxdigit((unsigned char)t[i])) i++;
                mag = magnitude(t + d0, t + i, 16);
                neg = 0; /* libconfig reads hex as unsigned bits */
            } else {
                while (isdigit((unsigned char)t[i])) i++;
                if (t[i] == '.' || t[i] == 'e' || t[i] == 'E') {
                    if (t[i] == '.')
                        for (i++; isdigit((unsigned char)t[i]);) i++;
                    if (t[i] == 'e' || t[i] == 'E') {
                        i++;
                        if (t[i] == '+' || t[i] == '-') i++;
                        while (isdigit((unsigned char)t[i])) i++;
                    }
                    continue;
                }
                mag = magnitude(t + s, t + i, 10);
            }
            int is64 = t[i] == 'L';
            uint64_t lim32 = neg ? 2147483648u : 2147483647u;
            uint64_t lim64 = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
            /* too wide for 64 bits: no L would help */
            int bad = mag > lim64 ? CS_SCAN_WIDE64 : !is64 && mag > lim32 ? CS_SCAN_WIDE32 : 0;
            if (bad) {
                size_t b = neg ? s - 1 : s;
                size_t len = i - b < litlen - 1 ? i - b : litlen - 1;
                memcpy(lit, t + b, len);
                lit[len] = 0;
                *line_out = line;
                return bad;
            }
            while (t[i] == 'L') i++;
        } else {
            i++;
        }
    }
    return CS_SCAN_OK;
}

int cs_config_scan_literals(const char *text, int *line, char *lit, size_t litlen) {
    return scan_text(text, line, lit, litlen);
}

const char *cs_config_open_message(int kind) {
    return kind == CS_SCAN_OPEN_STRING
               ? "a string opens here (\") and is never closed: close it, or the rest of the "
                 "file would be ignored"
               : "a comment opens here (/*) and is never closed: close it with */, or the rest of "
                 "the file would be ignored";
}

/* Whether setting c (not a group or list) is what find_key looks for on line: written there,
 * and when v is given an integer of value *v. */
static int key_matches(const config_setting_t *c, int line, const long long *v) {
    if ((int)config_setting_source_line(c) != line) return 0;
    if (!v) return 1;
    int t = config_setting_type(c);
    return (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) &&
           (long long)config_setting_get_int64(c) == *v;
}

/* Path of the setting written on the given line ("firms.k_f", "policies.[0].budget"); with v,
 * of the integer setting there whose value is *v (what a wide integer literal became:
 * "amount" in `{ type = "x"; amount = 3000000000; }`, not the line's first key). An array
 * element has no name: the array is the key. */
static int find_key(const config_setting_t *s, const char *prefix, int line, const long long *v,
                    char *out, size_t n) {
    int len = config_setting_length(s);
    for (int i = 0; i < len; i++) {
        const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(c);
        char path[256];
        if (name)
            snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", name);
        else
            snprintf(path, sizeof path, "%s.[%d]", prefix, i);
        int t = config_setting_type(c);
        if (t == CONFIG_TYPE_GROUP || t == CONFIG_TYPE_LIST) {
            if (find_key(c, path, line, v, out, n)) return 1;
        } else if (t == CONFIG_TYPE_ARRAY) {
            int m = config_setting_length(c);
            for (int j = 0; j < m; j++)
                if (key_matches(config_setting_get_elem(c, (unsigned)j), line, v)) {
                    snprintf(out, n, "%s", path);
                    return 1;
                }
        }
        if (t != CONFIG_TYPE_GROUP && (t != CONFIG_TYPE_LIST || !v) && key_matches(c, line, v)) {
            snprintf(out, n, "%s", path);
            return 1;
        }
    }
    return 0;
}

static int key_at_line(const config_setting_t *s, const char *prefix, int line, char *out,
                       size_t n) {
    return find_key(s, prefix, line, NULL, out, n);
}

/* The key of a wide literal lit on the line: the integer setting holding its wrapped value,
 * else the line's first. */
void cs_config_wide_key_at_line(const struct config_setting_t *root, int line, const char *lit,
                                char *out, size_t n) {
    errno = 0;
    long long full = strtoll(lit, NULL, 0);
    if (errno == 0) {
        /* libconfig 1.5 keeps the low 32 bits; 1.7 and later keep the value as a 64-bit int */
        const long long low = (long long)(int32_t)(uint32_t)(unsigned long long)full;
        if (find_key(root, "", line, &low, out, n) || find_key(root, "", line, &full, out, n))
            return;
    }
    key_at_line(root, "", line, out, n);
}

static int wide_error(loader *L, origin o, const char *key, int kind, const char *lit) {
    if (kind == CS_SCAN_WIDE64) return fail(L, o, key, "integer %s does not fit 64 bits", lit);
    /* a money or count key is a float: the literal then wants a decimal point */
    const cs_key *k = cs_schema_find(key);
    const char *last = strrchr(key, '.');
    if (!k && strncmp(key, "policies.[", 10) == 0 && last) k = cs_policy_key_find(last + 1);
    if (k &&
        (k->type == CS_KEY_FLOAT || k->type == CS_KEY_FLOAT_ARRAY || k->type == CS_KEY_POINT)) {
        /* in decimal: 0xB2D05E00.0 is no number */
        char dec[32];
        snprintf(dec, sizeof dec, "%llu", strtoull(lit, NULL, 0));
        return fail(L, o, key, "integer %s does not fit 32 bits: write %s.0 (or in e notation)",
                    lit, dec);
    }
    return fail(L, o, key, "integer %s does not fit 32 bits: write %sL", lit, lit);
}

/* ---------------------------------------------------------------- files and --set */

/* Whether the setting name [b, e) is set ("name =" or "name :") earlier in the same group as
 * b: scanning back from b to the bracket that opens the group (brackets inside strings are
 * rare enough in a config to be ignored). */
static int set_before(const char *text, const char *b, const char *e) {
    const size_t len = (size_t)(e - b);
    int depth = 0;
    for (const char *q = b - 1; q >= text; q--) {
        if (*q == '}' || *q == ')' || *q == ']') depth++;
        if (*q == '{' || *q == '(' || *q == '[') {
            if (depth == 0) return 0;
            depth--;
        }
        if (depth || strncmp(q, b, len) != 0) continue;
        if (q > text && (isalnum((unsigned char)q[-1]) || q[-1] == '_' || q[-1] == '-')) continue;
        /* not in a comment (an old value kept as "# seed = 4") */
        const char *ls = q;
        while (ls > text && ls[-1] != '\n') ls--;
        int commented = 0;
        for (const char *c = ls; c < q && !commented; c++)
            commented = *c == '#' || (c[0] == '/' && (c[1] == '/' || c[1] == '*'));
        if (commented) continue;
        const char *a = q + len;
        while (*a == ' ' || *a == '\t') a++;
        if (*a == '=' || *a == ':') return 1;
    }
    return 0;
}

/* A hint for libconfig's bare "syntax error" from the line's text: the slips an economist
 * makes writing a scenario (a --set's dotted key in a file, a decimal comma, 70%, 1/500,
 * 1_000, nan or inf, single quotes). Strings and comments are not looked into. */
static void syntax_slip(const char *p, const char *end, char *hint, size_t n) {
    char buf[512];
    size_t k = 0;
    for (const char *q = p; q < end && k + 1 < sizeof buf; q++) {
        if (*q == '#' || (q[0] == '/' && q + 1 < end && q[1] == '/')) break;
        if (*q == '"') { /* a string: its text is not the slip */
            for (q++; q < end && *q != '"'; q++)
                if (*q == '\\' && q + 1 < end) q++;
            buf[k++] = 'S';
            continue;
        }
        buf[k++] = *q;
    }
    buf[k] = 0;
    const char *b = buf;
    while (*b == ' ' || *b == '\t') b++;
    /* a dotted key before '=': firms.alpha = 0.7; */
    const char *e = b;
    while (isalnum((unsigned char)*e) || *e == '_' || *e == '-' || *e == '.') e++;
    const char *dot = memchr(b, '.', (size_t)(e - b));
    const char *a = e;
    while (*a == ' ' || *a == '\t') a++;
    if (dot && dot > b && isalpha((unsigned char)*b) && (*a == '=' || *a == ':')) {
        snprintf(hint, n,
                 " (a dotted key is --set's form; in a file a key goes in its group: "
                 "%.*s = { %.*s = ...; };)",
                 (int)(dot - b), b, (int)(e - dot - 1), dot + 1);
        return;
    }
    for (const char *q = buf; *q; q++) {
        const int num = isdigit((unsigned char)*q);
        if (num && q[1] == ',' && isdigit((unsigned char)q[2]) && !strchr(buf, '[') &&
            !strchr(buf, '(')) {
            snprintf(hint, n, " (a decimal comma? write 0.7, with a point)");
            return;
        }
        if (num && q[1] == '%') {
            snprintf(hint, n, " (write a share as a fraction: 0.7, not 70%%)");
            return;
        }
        if (num && q[1] == '/' && isdigit((unsigned char)q[2])) {
            snprintf(hint, n, " (write the number itself: 0.002, not 1/500)");
            return;
        }
        if (num && q[1] == '_' && isdigit((unsigned char)q[2])) {
            snprintf(hint, n, " (write 1000, not 1_000: no separators in numbers)");
            return;
        }
        if (*q == '\'') {
            snprintf(hint, n, " (a string takes double quotes: \"...\")");
            return;
        }
    }
    /* nan or inf where a value goes (after any '=' or ':' of the line) */
    for (const char *eq = buf; *eq; eq++) {
        if (*eq != '=' && *eq != ':') continue;
        const char *v = eq + 1;
        while (*v == ' ' || *v == '\t' || *v == '-' || *v == '+') v++;
        if ((!strncasecmp(v, "nan", 3) || !strncasecmp(v, "inf", 3)) &&
            !isalnum((unsigned char)v[3]) && v[3] != '_') {
            snprintf(hint, n, " (nan and inf are not values a scenario takes: write a number)");
            return;
        }
    }
}

/* The first character of line `line` (from 1) of text, NULL past its end; *end its end. */
static const char *line_of_text(const char *text, int line, const char **end) {
    const char *p = text;
    for (int l = 1; l < line && p; l++) p = (p = strchr(p, '\n')) ? p + 1 : NULL;
    if (!p) return NULL;
    *end = strchr(p, '\n');
    if (!*end) *end = p + strlen(p);
    return p;
}

void cs_config_syntax_hint(const char *text, const char *why, int line, char *hint, size_t n) {
    hint[0] = 0;
    if (!why) return;
    const char *end = NULL;
    if (strstr(why, "syntax error") && line > 0 && strncmp(text, "\xEF\xBB\xBF", 3) != 0) {
        const char *p = line_of_text(text, line, &end);
        if (p) syntax_slip(p, end, hint, n);
        return;
    }
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0) {
        /* libconfig stops at the first byte and says no more */
        snprintf(hint, n,
                 " (the file starts with a UTF-8 byte-order mark, as some Windows "
                 "editors save it: save it as plain UTF-8 without one)");
    } else if (strstr(why, "mismatched element type")) {
        /* libconfig's array rule surprises users: [70, 82, 1.5] mixes integers and floats */
        snprintf(hint, n,
                 " (the elements of a [...] array must be of one type: all floats (70.0, not "
                 "70, beside 1.5), all integers (with L on all or none), or all strings; lists "
                 "of groups or of mixed values use ( ... ))");
    } else if (strstr(why, "duplicate setting")) {
        /* libconfig does not say which name on the line is repeated */
        const char *p = line_of_text(text, line, &end);
        if (!p) return;
        for (const char *q = p; q < end; q++) {
            if (*q == '#' || (q[0] == '/' && q + 1 < end && q[1] == '/')) break; /* a comment */
            if (*q == '"') {                                                     /* skip strings */
                for (q++; q < end && *q != '"'; q++)
                    if (*q == '\\' && q + 1 < end) q++;
                continue;
            }
            if (!(isalpha((unsigned char)*q) || *q == '_' || *q == '*') ||
                (q > p && (isalnum((unsigned char)q[-1]) || q[-1] == '_' || q[-1] == '-')))
                continue;
            const char *e = q;
            while (e < end && (isalnum((unsigned char)*e) || *e == '_' || *e == '-' || *e == '*'))
                e++;
            const char *a = e;
            while (a < end && (*a == ' ' || *a == '\t')) a++;
            /* the first name on the line that its group already set */
            if (a < end && (*a == '=' || *a == ':') && set_before(text, q, e)) {
                snprintf(hint, n, ": '%.*s' is given twice in one group (keep one)", (int)(e - q),
                         q);
                return;
            }
            q = e - 1;
        }
    }
}

const char *cs_config_read_error(int e) {
    if (e == EINVAL) return "not a regular file";
    if (e == EFBIG) return "larger than 64 MB: not a scenario file";
    return strerror(e);
}

char *cs_config_read_text(const char *path, int *nul_line) {
    *nul_line = 0;
    struct stat st;
    /* before opening: opening a pipe waits for a writer */
    if (stat(path, &st) != 0) return NULL;
    if (!S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    if (st.st_size > CS_CONFIG_MAX_BYTES) {
        errno = EFBIG;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
        if (n > (size_t)CS_CONFIG_MAX_BYTES) { /* grew while read (a log being written) */
            free(buf);
            fclose(f);
            errno = EFBIG;
            return NULL;
        }
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) free(buf);
            buf = nb;
            cap *= 2;
        }
    }
    /* a read error (a directory, an I/O error) is no file, not an empty or a cut one */
    const int bad = ferror(f), e = errno;
    fclose(f);
    if (bad || !buf) {
        free(buf);
        errno = bad ? e : ENOMEM;
        return NULL;
    }
    buf[n] = 0;
    /* the parser would stop at a NUL and silently drop the rest */
    const char *z = memchr(buf, 0, n);
    if (z) {
        *nul_line = 1;
        for (const char *c = buf; c < z; c++) *nul_line += *c == '\n';
    }
    return buf;
}

/* (config.h) The run file declares its strings UTF-8 (HDF5's cset), so a Latin-1 name would
 * make it unreadable to h5py's asstr() and the live stream invalid JSON. */
int cs_config_not_utf8_line(const char *text) {
    int line = 1;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (*p < 0x80) {
            line += *p++ == '\n';
            continue;
        }
        /* the well-formed sequences of Unicode 15, table 3-7: no overlongs, surrogates or
         * code points above U+10FFFF */
        const unsigned c = *p;
        int n;
        unsigned lo = 0x80, hi = 0xBF; /* the second byte's range */
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else
            return line;
        if (p[1] < lo || p[1] > hi) return line;
        for (int k = 2; k <= n; k++)
            if ((p[k] & 0xC0) != 0x80) return line;
        p += n + 1;
    }
    return 0;
}

static int load_file(loader *L, const char *path, origin from, char **text_out) {
    const char *fname = keep_string(L, path);
    if (!from.file) L->top_file = fname;
    int nul;
    char *text = cs_config_read_text(path, &nul);
    if (!text) {
        const char *why = cs_config_read_error(errno);
        if (from.file) return fail(L, from, "base", "cannot open %s: %s", path, why);
        /* FILE: first, as every other error about a file */
        snprintf(L->err, L->errlen, "%s: cannot open it: %s", path, why);
        return 2;
    }
    if (nul) {
        free(text);
        return fail(L, (origin){fname, nul}, NULL, "a NUL byte: not a text file");
    }
    int bad8 = cs_config_not_utf8_line(text);
    if (bad8) {
        free(text);
        return fail(L, (origin){fname, bad8}, NULL,
                    "not UTF-8 text (saved as Latin-1 or Windows-1252?): save the file as UTF-8");
    }
    char *real = realpath(path, NULL);
    if (!real) real = strdup(path);
    for (int d = 0; d < L->depth; d++)
        if (real && strcmp(L->chain[d], real) == 0) {
            char cyc[1024] = "";
            for (int e = d; e < L->depth; e++) {
                size_t len = strlen(cyc);
                snprintf(cyc + len, sizeof cyc - len, "%s -> ", L->chain[e]);
            }
            size_t len = strlen(cyc);
            snprintf(cyc + len, sizeof cyc - len, "%s", real);
            free(real);
            free(text);
            return fail(L, from, "base", "cycle of base files: %s", cyc);
        }
    if (L->depth >= MAX_DEPTH || !real) {
        free(real);
        free(text);
        return fail(L, from, "base", "base files nested deeper than %d", MAX_DEPTH);
    }
    L->chain[L->depth++] = real;

    int rc = 0, wline = 0;
    char lit[64];
    int wide = scan_text(text, &wline, lit, sizeof lit);
    config_t cf;
    config_init(&cf);
    if (wide == CS_SCAN_INCLUDE) {
        rc = fail(L, (origin){fname, wline}, NULL,
                  "@include is not supported: write base = \"FILE\"; to extend another file");
    } else if (wide == CS_SCAN_OPEN_STRING || wide == CS_SCAN_OPEN_COMMENT) {
        rc = fail(L, (origin){fname, wline}, NULL, "%s", cs_config_open_message(wide));
    } else if (!config_read_string(&cf, text)) {
        char hint[512];
        cs_config_syntax_hint(text, config_error_text(&cf), config_error_line(&cf), hint,
                              sizeof hint);
        rc = fail(L, (origin){fname, config_error_line(&cf)}, NULL, "%s%s", config_error_text(&cf),
                  hint);
    } else if (wide) {
        char key[256] = "";
        cs_config_wide_key_at_line(config_root_setting(&cf), wline, lit, key, sizeof key);
        rc = wide_error(L, (origin){fname, wline}, key, wide, lit);
    } else {
        const config_setting_t *root = config_root_setting(&cf);
        const config_setting_t *b = config_setting_get_member(root, "base");
        L->cur_file = fname;
        L->cur_set = NULL;
        if (b) {
            origin bo = at(L, b);
            if (config_setting_type(b) != CONFIG_TYPE_STRING) {
                rc = fail(L, bo, "base", "expected string, got %s", cs_config_type_name(b));
            } else if (!*config_setting_get_string(b)) {
                rc = fail(L, bo, "base", "empty: name a scenario file, or leave base out");
            } else {
                const char *bp = config_setting_get_string(b);
                /* relative to the including file's own directory, not the working directory's
                 * nor a symbolic link's to it: a preset linked into a job folder still extends
                 * the baseline beside it, not a baseline.cfg that happens to sit in that folder.
                 * The path as the user wrote it where that is the same folder (messages name
                 * it so), else the real one. */
                const char *dir = path, *slash = strrchr(path, '/');
                const char *rslash = strrchr(L->chain[L->depth - 1], '/');
                char here[PATH_MAX] = ".", *hreal = NULL;
                if (slash) snprintf(here, sizeof here, "%.*s", (int)(slash - path), path);
                if (slash == path) snprintf(here, sizeof here, "/");
                hreal = realpath(here, NULL);
                if (rslash &&
                    (!hreal || strlen(hreal) != (size_t)(rslash - L->chain[L->depth - 1]) ||
                     strncmp(hreal, L->chain[L->depth - 1], strlen(hreal)) != 0)) {
                    dir = L->chain[L->depth - 1];
                    slash = rslash;
                }
                free(hreal);
                size_t dlen = slash && bp[0] != '/' ? (size_t)(slash - dir) + 1 : 0;
                char *full = malloc(dlen + strlen(bp) + 1);
                if (!full) {
                    rc = fail(L, bo, "base", "out of memory");
                } else {
                    memcpy(full, dir, dlen);
                    strcpy(full + dlen, bp);
                    rc = load_file(L, full, bo, NULL);
                    free(full);
                }
            }
            L->cur_file = fname;
            L->cur_set = NULL;
        }
        int n = config_setting_length(root);
        for (int i = 0; i < n && !rc; i++) {
            const config_setting_t *c = config_setting_get_elem(root, (unsigned)i);
            if (c != b) rc = apply_setting(L, config_setting_name(c), c);
        }
    }
    config_destroy(&cf);
    free(L->chain[--L->depth]);
    if (!rc && text_out)
        *text_out = text;
    else
        free(text);
    return rc;
}

static int apply_set(loader *L, const char *arg) {
    char *label = malloc(strlen(arg) + 8);
    if (!label) return fail(L, defaults_origin, NULL, "out of memory");
    sprintf(label, "--set %s", arg);
    L->cur_set = keep_string(L, label);
    free(label);
    origin o = {L->cur_set, 0};
    if (cs_config_not_utf8_line(arg)) return fail(L, o, NULL, "not UTF-8 text");
    const char *eq = strchr(arg, '=');
    if (!eq) return fail(L, o, NULL, "expected key.path=value");
    const char *kb = arg, *ke = eq;
    while (kb < ke && isspace((unsigned char)*kb)) kb++;
    while (ke > kb && isspace((unsigned char)ke[-1])) ke--;
    if (ke == kb) return fail(L, o, NULL, "expected key.path=value");
    char key[256];
    if ((size_t)(ke - kb) >= sizeof key) return fail(L, o, NULL, "key too long");
    memcpy(key, kb, (size_t)(ke - kb));
    key[ke - kb] = 0;
    const char *val = eq + 1;
    while (isspace((unsigned char)*val)) val++;

    /* a string key takes a bare value as the string itself: name=123 is "123" */
    const cs_key *k = cs_schema_find(key);
    const char *last = strrchr(key, '.');
    if (!k && strncmp(key, "policies.[", 10) == 0 && last && last[-1] == ']')
        k = cs_policy_key_find(last + 1);
    int string_key =
        k && (k->type == CS_KEY_STRING || k->type == CS_KEY_ENUM || k->type == CS_KEY_AREA);
    size_t vlen = strlen(val);
    char *quoted = malloc(2 * vlen + 16), *text = malloc(2 * vlen + 16);
    if (!quoted || !text) {
        free(quoted);
        free(text);
        return fail(L, o, key, "out of memory");
    }
    char *q = quoted;
    *q++ = '"';
    for (const char *c = val; *c; c++) {
        if (*c == '"' || *c == '\\') *q++ = '\\';
        *q++ = *c;
    }
    *q++ = '"';
    *q = 0;

    int rc = 0, wline = 0;
    char lit[64];
    config_t cf;
    config_init(&cf);
    int bare = string_key && val[0] != '"' && val[0] != '{';
    int parsed = 0;
    if (!bare) {
        sprintf(text, "v = %s;", val);
        int wide = scan_text(text, &wline, lit, sizeof lit);
        if (wide == CS_SCAN_WIDE32 || wide == CS_SCAN_WIDE64) {
            /* in a group value, the key inside it that holds the literal */
            char sub[256] = "", full[512];
            if (wide == CS_SCAN_WIDE32 && config_read_string(&cf, text))
                cs_config_wide_key_at_line(config_root_setting(&cf), 1, lit, sub, sizeof sub);
            snprintf(full, sizeof full, "%s%s", key, strncmp(sub, "v.", 2) == 0 ? sub + 1 : "");
            config_destroy(&cf);
            free(quoted);
            free(text);
            return wide_error(L, o, full, wide, lit);
        }
        /* an open string or comment (steps=5 then slash-star) is no value: read as a bare
         * string, which a number key refuses */
        const int read = wide == CS_SCAN_OK && config_read_string(&cf, text);
        parsed = read && config_setting_length(config_root_setting(&cf)) == 1;
        /* a group that libconfig cannot read (a key twice in it, a missing ';') is no bare
         * string: its own error says what is wrong, where "expected a group, got string" did
         * not; a ';' after a value is a file's habit that --set does not take */
        const char *why = wide == CS_SCAN_OK && !read ? config_error_text(&cf) : NULL;
        if (why && (val[0] == '{' || val[0] == '(' || val[0] == '['))
            rc = fail(L, o, key, "cannot read the %s: %s (line %d of the value)",
                      val[0] == '{'   ? "group"
                      : val[0] == '(' ? "list"
                                      : "array",
                      why, config_error_line(&cf));
        else if (!parsed && !string_key && strchr(val, ';'))
            rc = fail(L, o, key,
                      "a value with no ';' after it: --set takes one key=value, "
                      "so give each key its own --set");
        if (rc) {
            config_destroy(&cf);
            free(quoted);
            free(text);
            return rc;
        }
        if (!parsed) {
            config_destroy(&cf);
            config_init(&cf);
        }
    }
    if (!parsed) {
        /* not a libconfig value: take it as a bare string */
        sprintf(text, "v = %s;", quoted);
        if (!config_read_string(&cf, text))
            rc = fail(L, o, key, "cannot read the value: %s", config_error_text(&cf));
    }
    L->bare = parsed ? NULL : val; /* said as the word it is where a number goes */
    if (!rc) rc = apply_setting(L, key, config_lookup(&cf, "v"));
    L->bare = NULL;
    config_destroy(&cf);
    free(quoted);
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- cross-key checks */

/* What a circle or rectangle policy area holds: AREA_LAND a land cell, by the land mask the
 * landscape builds (cs_landscape_land_row: the same for every landscape kind), row by row over
 * the area's bounding box; AREA_SEA only cells at sea; AREA_NO_CELL no cell's centre at all (a
 * radius below half a cell between centres). A policy that would act nowhere is a typing
 * mistake, refused here with its line rather than when run builds the map. */
enum { AREA_LAND, AREA_SEA, AREA_NO_CELL };
static int area_cells(const cs_params *p, const cs_policy *pol) {
    const int W = p->grid.width, H = p->grid.height;
    const int circle = pol->area_kind == CS_AREA_CIRCLE;
    const double bx0 = circle ? pol->cx - pol->r : pol->x0,
                 bx1 = circle ? pol->cx + pol->r : pol->x1;
    const double by0 = circle ? pol->cy - pol->r : pol->y0,
                 by1 = circle ? pol->cy + pol->r : pol->y1;
    const int x0 = (int)fmax(0, ceil(bx0)), x1 = (int)fmin(W - 1, floor(bx1));
    const int y0 = (int)fmax(0, ceil(by0)), y1 = (int)fmin(H - 1, floor(by1));
    uint8_t *row = malloc((size_t)W);
    if (!row) return AREA_LAND; /* out of memory: left to the run's own check */
    int found = 0, any = 0;
    for (int y = y0; y <= y1 && !found; y++) {
        cs_landscape_land_row(W, H, y, row);
        for (int xx = x0; xx <= x1 && !found; xx++)
            if (cs_area_shape_has(pol, xx, y)) any = 1, found = row[xx];
    }
    free(row);
    return found ? AREA_LAND : any ? AREA_SEA : AREA_NO_CELL;
}

/* Whether a key's value came from a --set argument (its origin's file is "--set ARG"). */
static int from_set(origin o) {
    return o.file && strncmp(o.file, "--set ", 6) == 0;
}

static int finalize(loader *L) {
    cs_params *p = &L->p;
    const cs_key *kn = cs_schema_find("sectors.names");
    const cs_key *ks = cs_schema_find("sectors.share");
    int nrow = schema_row(kn), n = p->sectors.n;
    if (L->n_given >= 0 && L->n_given != n)
        return fail(L, L->n_at, "sectors.n", "is %d but sectors.names has %d names", L->n_given, n);
    for (int r = 0; r < cs_schema_n; r++) {
        const cs_key *k = &cs_schema[r];
        int arr = k->type == CS_KEY_FLOAT_ARRAY || k->type == CS_KEY_BOOL_ARRAY;
        if (!arr || L->arr_len[r] == n) continue;
        if (L->key_at[r].file == defaults_origin.file)
            return fail(L, L->key_at[nrow], kn->path,
                        "has %d names but %s has %d elements (its default): give %s too", n,
                        k->path, L->arr_len[r], k->path);
        return fail(L, L->key_at[r], k->path, "has %d elements but sectors.names has %d",
                    L->arr_len[r], n);
    }
    double sum = 0;
    for (int s = 0; s < n; s++) sum += p->sectors.share[s];
    if (fabs(sum - 1.0) > 1e-6)
        return fail(L, L->key_at[schema_row(ks)], ks->path, "sums to %.10g, not 1", sum);
    /* a job must cost something: with no wage floor and no rent on space (or no space per
     * worker) the unit labour cost is 0, target sizes infinite and the output NaN */
    if (p->labour.w_min == 0 && (p->land.r0 == 0 || p->firms.phi_space == 0)) {
        const cs_key *kw = cs_schema_find("labour.w_min");
        return fail(L, L->key_at[schema_row(kw)], kw->path,
                    "is 0 while %s is 0 too: a job would cost nothing and firms grow without "
                    "bound; give a wage floor, a rent or space per worker",
                    p->land.r0 == 0 ? "land.r0" : "firms.phi_space");
    }
    /* one local-services sector: a second non-tradable one would be priced as a tradable */
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (!p->sectors.tradable[a] && !p->sectors.tradable[b]) {
                const cs_key *kt = cs_schema_find("sectors.tradable");
                return fail(L, L->key_at[schema_row(kt)], kt->path,
                            "'%s' and '%s' are both non-tradable; the model has one "
                            "local-services sector (the others sell nationally)",
                            p->sectors.names[a], p->sectors.names[b]);
            }
    /* unused tails are zero, so equal configurations compare equal with memcmp */
    for (int s = n; s < CS_MAX_SECTORS; s++) {
        memset(p->sectors.names[s], 0, CS_NAME_LEN);
        p->sectors.share[s] = p->sectors.beta_loc[s] = p->sectors.rd_intensity[s] = 0;
        p->sectors.tradable[s] = 0;
    }

    /* the real start places the data's sectors on the UK map */
    if (strcmp(p->landscape.initial_sectors, "real") == 0) {
        int rk = schema_row(cs_schema_find("landscape.kind"));
        int ri = schema_row(cs_schema_find("landscape.initial_sectors"));
        origin at = L->key_at[ri].file == defaults_origin.file ? L->key_at[rk] : L->key_at[ri];
        if (strcmp(p->landscape.kind, "uk") != 0)
            return fail(L, at, "landscape.initial_sectors",
                        "\"real\" needs landscape.kind = \"uk\" (landscape.kind is \"%s\"): "
                        "set landscape.initial_sectors = \"emergent\"",
                        p->landscape.kind);
        for (int s = 0; s < n; s++) {
            int found = 0;
            for (int k = 0; k < CS_UK_NSECT; k++)
                found |= !strcmp(p->sectors.names[s], cs_uk_sectors[k]);
            if (!found || n != CS_UK_NSECT)
                return fail(L, L->key_at[nrow], kn->path,
                            "the real start needs the data's %d sectors (digital, life_sciences, "
                            "advanced_manufacturing, finance, creative, energy, local_services); "
                            "set landscape.initial_sectors = \"emergent\" for other sectors",
                            CS_UK_NSECT);
        }
    }

    int r_start = policy_row(cs_policy_key_find("start"));
    int r_end = policy_row(cs_policy_key_find("end"));
    int r_cycle = policy_row(cs_policy_key_find("cycle"));
    int r_sec = policy_row(cs_policy_key_find("sectors"));
    int r_from = policy_row(cs_policy_key_find("from"));
    int r_to = policy_row(cs_policy_key_find("to"));
    int r_univ = policy_row(cs_policy_key_find("universities"));
    int r_area = policy_row(cs_policy_key_find("area"));
    for (int i = 0; i < p->n_policies; i++) {
        cs_policy *pol = &p->policies[i];
        pol_extra *x = &L->pol[i];
        char path[80];
        if (pol->end != -1 && pol->start > pol->end) {
            int r = x->key_set[r_start] ? r_start : r_end;
            /* the one a --set changed, when one did: the file's own line was right before */
            if (x->key_set[r_end] && from_set(x->key_at[r_end]) &&
                !(x->key_set[r_start] && from_set(x->key_at[r_start])))
                r = r_end;
            snprintf(path, sizeof path, "policies.[%d].%s", i, cs_policy_schema[r].path);
            return fail(L, x->key_at[r], path, "start after end (start %d, end %d)", pol->start,
                        pol->end);
        }
        if (pol->cycle_off > 0 && pol->cycle_on == 0) {
            snprintf(path, sizeof path, "policies.[%d].cycle", i);
            return fail(L, x->key_at[r_cycle], path,
                        "[0, %d] would never act: on must be > 0 when off > 0", pol->cycle_off);
        }
        /* a circle or rectangle that misses the grid is a typing mistake (one at sea is found
         * when run builds the landscape) */
        const double gw = p->grid.width - 1, gh = p->grid.height - 1;
        int off = 0;
        if (pol->area_kind == CS_AREA_CIRCLE) {
            double dx = pol->cx - fmin(fmax(pol->cx, 0), gw),
                   dy = pol->cy - fmin(fmax(pol->cy, 0), gh);
            off = dx * dx + dy * dy > pol->r * pol->r;
        } else if (pol->area_kind == CS_AREA_RECT) {
            off = pol->x1 < 0 || pol->x0 > gw || pol->y1 < 0 || pol->y0 > gh;
        }
        if (off) {
            snprintf(path, sizeof path, "policies.[%d].area", i);
            return fail(L, x->key_at[r_area], path,
                        "lies off the %d x %d grid (x 0 to %d, y 0 to %d, y = 0 in the north)",
                        p->grid.width, p->grid.height, p->grid.width - 1, p->grid.height - 1);
        }
        const int held = pol->area_kind == CS_AREA_CIRCLE || pol->area_kind == CS_AREA_RECT
                             ? area_cells(p, pol)
                             : AREA_LAND;
        if (held != AREA_LAND) {
            snprintf(path, sizeof path, "policies.[%d].area", i);
            return fail(L, x->key_at[r_area], path,
                        "holds no land cell of the %d x %d grid (x 0 to %d, y 0 to %d, y = 0 in "
                        "the north): %s",
                        p->grid.width, p->grid.height, p->grid.width - 1, p->grid.height - 1,
                        held == AREA_SEA ? "it is all at sea"
                                         : "it contains no cell's centre (cell x, y has its "
                                           "centre at x, y; widen the area)");
        }
        snprintf(path, sizeof path, "policies.[%d]", i);
        if (pol->type == CS_POL_TRANSPORT_LINK && !(x->key_set[r_from] && x->key_set[r_to]))
            return fail(L, x->at, path, "transport_link needs from = [x, y] and to = [x, y]");
        /* a link's ends are cells (x in [0, width), y in [0, height)): one off the grid is a
         * typing mistake, said here with its line rather than when the run starts */
        for (int e = 0; pol->type == CS_POL_TRANSPORT_LINK && e < 2; e++) {
            const double ex = e ? pol->to_x : pol->from_x, ey = e ? pol->to_y : pol->from_y;
            if (ex >= 0 && ey >= 0 && ex < p->grid.width && ey < p->grid.height) continue;
            const int r = e ? r_to : r_from;
            snprintf(path, sizeof path, "policies.[%d].%s", i, cs_policy_schema[r].path);
            return fail(L, x->key_at[r], path,
                        "[%g, %g] lies off the %d x %d grid (x 0 to %d, y 0 to %d, y = 0 in the "
                        "north)",
                        ex, ey, p->grid.width, p->grid.height, p->grid.width - 1,
                        p->grid.height - 1);
        }
        if (pol->type == CS_POL_TRANSPORT_LINK) {
            /* the cells the engine joins: ends floored (docs/policies.md) */
            const double fx = floor(pol->from_x), fy = floor(pol->from_y);
            const double tx = floor(pol->to_x), ty = floor(pol->to_y);
            snprintf(path, sizeof path, "policies.[%d].to", i);
            if (fx == tx && fy == ty)
                return fail(L, x->key_at[r_to], path,
                            "[%g, %g] is the cell of from: a link joins two places (it would "
                            "add a place's own jobs to it again)",
                            pol->to_x, pol->to_y);
            /* an end whose catchment is all sea reaches no one: the link would cost and do
             * nothing */
            for (int e = 0; e < 2; e++) {
                cs_policy disc = *pol;
                disc.area_kind = CS_AREA_CIRCLE;
                disc.cx = e ? tx : fx, disc.cy = e ? ty : fy, disc.r = pol->radius;
                if (area_cells(p, &disc) == AREA_LAND) continue;
                const int r = e ? r_to : r_from;
                snprintf(path, sizeof path, "policies.[%d].%s", i, cs_policy_schema[r].path);
                return fail(L, x->key_at[r], path,
                            "[%g, %g] is at sea, with no land cell within its radius %g: the "
                            "link would reach no one there",
                            e ? pol->to_x : pol->from_x, e ? pol->to_y : pol->from_y, pol->radius);
            }
            snprintf(path, sizeof path, "policies.[%d]", i);
        }
        /* the uk landscape alone has city centres and (with uniform) universities: an area or
         * a funding that finds none would act nowhere */
        if (pol->area_kind == CS_AREA_CITY_CENTRES && strcmp(p->landscape.kind, "uk") != 0) {
            snprintf(path, sizeof path, "policies.[%d].area", i);
            return fail(L, x->key_at[r_area], path,
                        "\"city_centres\" holds no cell: the %s landscape (landscape.kind) has "
                        "no city centres; give a circle, rect or regions",
                        p->landscape.kind);
        }
        if (pol->type == CS_POL_UNIVERSITY_FUNDING && strcmp(p->landscape.kind, "empty") == 0) {
            snprintf(path, sizeof path, "policies.[%d].universities", i);
            return fail(L, x->key_set[r_univ] ? x->key_at[r_univ] : x->at, path,
                        "the empty landscape (landscape.kind) has no universities to fund");
        }
        if (pol->type == CS_POL_UNIVERSITY_FUNDING && !x->key_set[r_univ])
            return fail(L, x->at, path, "university_funding needs universities = [\"...\"]");
        uint32_t mask = 0;
        for (int j = 0; j < x->n_sec; j++) {
            int s = cs_config_sector_index(p, x->sec[j]);
            if (s < 0) {
                const char *best = NULL;
                int bestd = 1000;
                for (int t = 0; t < n; t++) consider(x->sec[j], p->sectors.names[t], &best, &bestd);
                char dym[128];
                did_you_mean(x->sec[j], best, bestd, dym, sizeof dym);
                snprintf(path, sizeof path, "policies.[%d].sectors", i);
                return fail(L, x->key_at[r_sec], path, "unknown sector '%s'%s", x->sec[j], dym);
            }
            mask |= 1u << s;
        }
        pol->sector_mask = mask;
        for (int j = 0; j < i; j++)
            if (strcmp(p->policies[j].name, pol->name) == 0) {
                snprintf(path, sizeof path, "policies.[%d].name", i);
                return fail(L, x->key_at[policy_row(cs_policy_key_find("name"))], path,
                            "'%s' is also the name of policies.[%d]: names label output columns",
                            pol->name, j);
            }
    }
    for (int i = p->n_policies; i < CS_MAX_POLICIES; i++)
        memset(&p->policies[i], 0, sizeof p->policies[i]);
    return 0;
}

/* A scenario file that sets no name of its own is named after the file, not after the base it
 * extends: mine.cfg on baseline.cfg writes mine-seed1.h5 and is labelled
 * "mine" in comparisons, instead of overwriting and passing for the baseline's runs. A stem
 * that could not be a name (too long, a tab or control character, not UTF-8) keeps the
 * inherited one. --set name=... still overrides either. */
static void name_from_file(loader *L, const char *path) {
    const int row = schema_row(cs_schema_find("name"));
    /* only a name a base gave: without one the name stays "default", so that an empty
     * scenario's resolved configuration is config/defaults.cfg */
    if (L->key_at[row].file == L->top_file || L->key_at[row].file == defaults_origin.file) return;
    const char *stem = strrchr(path, '/');
    stem = stem ? stem + 1 : path;
    size_t n = strlen(stem);
    const char *dot = strrchr(stem, '.');
    if (dot && dot != stem) n = (size_t)(dot - stem);
    if (n == 0 || n >= CS_NAME_LEN) return;
    char name[CS_NAME_LEN];
    memcpy(name, stem, n);
    name[n] = 0;
    if (control_char(name) >= 0 || cs_config_not_utf8_line(name) || strpbrk(name, "\t\n")) return;
    memcpy(L->p.name, name, n + 1);
}

int cs_config_load(cs_params *p, const char *path, int nset, char *const *sets, char **source_text,
                   char *err, size_t errlen) {
    char dummy[8];
    if (!err || errlen == 0) err = dummy, errlen = sizeof dummy;
    err[0] = 0;
    if (source_text) *source_text = NULL;
    if (cs_schema_n > MAX_KEYS || cs_policy_schema_n > MAX_PKEYS) {
        snprintf(err, errlen, "config: schema larger than the loader's tables");
        return 2;
    }
    loader *L = calloc(1, sizeof *L);
    if (!L) {
        snprintf(err, errlen, "config: out of memory");
        return 2;
    }
    L->err = err;
    L->errlen = errlen;
    L->n_given = -1;
    cs_params_defaults(&L->p);
    for (int r = 0; r < cs_schema_n; r++) {
        L->key_at[r] = defaults_origin;
        const cs_key *k = &cs_schema[r];
        if (k->type == CS_KEY_FLOAT_ARRAY || k->type == CS_KEY_BOOL_ARRAY ||
            k->type == CS_KEY_STRING_ARRAY)
            L->arr_len[r] = k->def_n;
    }
    char *text = NULL;
    int rc = path ? load_file(L, path, (origin){NULL, 0}, &text) : 0;
    if (!rc && path) name_from_file(L, path);
    for (int i = 0; i < nset && !rc; i++) rc = apply_set(L, sets[i]);
    if (!rc) rc = finalize(L);
    if (!rc) {
        memcpy(p, &L->p, sizeof *p);
        if (source_text) {
            *source_text = text ? text : strdup("");
            text = NULL;
        }
    }
    free(text);
    for (int i = 0; i < L->n_strings; i++) free(L->strings[i]);
    free(L->strings);
    free(L);
    return rc;
}
