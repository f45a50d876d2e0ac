/* cmd_describe.c: `clustersim describe`: what a scenario does and the question it answers,
 * with a line per policy. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "cli.h"
#include "config.h"

static const char usage_describe[] =
    "usage: clustersim describe NAME|FILE\n"
    "\n"
    "Prints a scenario's name, description, question and a one-line summary of each policy.\n"
    "NAME is a preset (see clustersim list); FILE is a path to a .cfg file.\n";

/* Appends printf-style text to buf (bounded). */
static void cat(char *buf, size_t len, const char *fmt, ...) {
    size_t n = strlen(buf);
    if (n + 1 >= len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, len - n, fmt, ap);
    va_end(ap);
}

/* An amount of money in the config's prices (2018 pounds, docs/model.md): "£293", "£58.6
 * million", "£1.2 billion". */
static const char *money(double v, char *buf, size_t len) {
    const double a = v < 0 ? -v : v;
    /* the unit from the value as rounded to four figures, so that 999,999,999 reads "£1
     * billion", not "£1e+03 million" */
    if (a >= 999.95e6)
        snprintf(buf, len, "£%.4g billion", v / 1e9);
    else if (a >= 999999.5)
        snprintf(buf, len, "£%.4g million", v / 1e6);
    else if (a >= 1000 && v == (double)(long long)v) /* £14,650 */
        snprintf(buf, len, "£%s%lld,%03lld", v < 0 ? "-" : "", (long long)a / 1000,
                 (long long)a % 1000);
    else
        snprintf(buf, len, "£%.6g", v);
    return buf;
}

/* One line: what the policy pays or builds, where, for whom and when (money in 2018 pounds,
 * a step a quarter). */
static void policy_summary(const cs_params *par, const cs_policy *p, char *b, size_t len) {
    char m[64];
    b[0] = 0;
    switch (p->type) {
    case CS_POL_LOCATION_SUBSIDY:
        cat(b, len, "pays %s per worker a quarter%s", money(p->per_worker, m, sizeof m),
            p->new_entrants_only ? " to new entrants only" : "");
        break;
    case CS_POL_TAX_ZONE:
        /* rates_relief is a share of the whole rent bill, business rates being about half of
         * it (docs/policies.md): "rates relief 50%" read as half the rates */
        cat(b, len, "profit tax cut %g%%, rent relief %g%% of the rent bill",
            100 * p->profit_tax_cut, 100 * p->rates_relief);
        break;
    case CS_POL_DENSITY_FUND:
        cat(b, len, "spends %s a quarter on space, amenity and access (lag %d quarters)",
            money(p->spend, m, sizeof m), p->lag);
        break;
    case CS_POL_RD_CREDIT:
        cat(b, len, "refunds %g%% of R&D spend", 100 * p->rate);
        if (p->sme_only) cat(b, len, " for firms under %d employees", p->sme_size);
        if (p->grant_budget > 0)
            cat(b, len, ", grants of %s a quarter", money(p->grant_budget, m, sizeof m));
        break;
    case CS_POL_UNIVERSITY_FUNDING:
        cat(b, len, "funds %s a quarter", money(p->amount, m, sizeof m));
        for (int i = 0; i < p->n_universities; i++)
            cat(b, len, "%s%s", i ? ", " : " to ", p->universities[i]);
        if (p->knowledge_transfer > 0)
            cat(b, len, ", knowledge transfer +%g%%", 100 * p->knowledge_transfer);
        if (p->spinout_support > 0)
            cat(b, len, ", spinout support +%g%%", 100 * p->spinout_support);
        break;
    case CS_POL_TRANSPORT_LINK:
        cat(b, len,
            "links (%g,%g) and (%g,%g), radius %g, efficiency %g, built over %d quarters (%g "
            "years)",
            p->from_x, p->from_y, p->to_x, p->to_y, p->radius, p->efficiency, p->build_steps,
            p->build_steps / 4.0);
        if (p->cost > 0) cat(b, len, " at %s a quarter", money(p->cost, m, sizeof m));
        break;
    case CS_POL_SKILLS_PROGRAMME:
        cat(b, len, "trains up to %d workers a quarter (skill +%g, %s per worker)", p->max_workers,
            p->skill_gain, money(p->cost, m, sizeof m));
        break;
    case CS_POL_FIRM_SUBSIDY:
        cat(b, len, "pays %s a quarter to each of the %d %s firms", money(p->amount, m, sizeof m),
            p->count, p->by_productivity ? "most productive" : "largest");
        break;
    case CS_POL_STARTUP_SPACE:
        cat(b, len, "rent discount %g%% for firms younger than %d quarters", 100 * p->rent_discount,
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
    /* steps as calendar quarters, as analysis compare gives them: step s is s quarters after
     * 2018 Q1, the start; "years 2 to 12" for steps 8 to 47 read as eleven years */
    const int s0 = p->start > 1 ? p->start : 1; /* start 0 acts from step 1 */
    if (p->end >= 0 && p->end > s0) {
        const int n = p->end - s0;
        char span[48];
        if (n % 4 == 0)
            snprintf(span, sizeof span, "%d year%s", n / 4, n == 4 ? "" : "s");
        else
            snprintf(span, sizeof span, "%d quarter%s", n, n == 1 ? "" : "s");
        cat(b, len, "; steps %d to %d (%s: %d Q%d to %d Q%d)", s0, p->end - 1, span, 2018 + s0 / 4,
            s0 % 4 + 1, 2018 + (p->end - 1) / 4, (p->end - 1) % 4 + 1);
    } else if (p->end >= 0) {
        cat(b, len, "; in no step (start %d, end %d)", p->start, p->end);
    } else {
        cat(b, len, "; from step %d (%d Q%d) on", s0, 2018 + s0 / 4, s0 % 4 + 1);
    }
    if (p->cycle_on > 0)
        cat(b, len, " (in turns: %d quarters on, %d off)", p->cycle_on, p->cycle_off);
    if (p->budget > 0) cat(b, len, "; budget %s a quarter", money(p->budget, m, sizeof m));
    if (p->credibility < 1) cat(b, len, "; credibility %g", p->credibility);
}

/* When the scenario file at path extends another (base = ...) without giving key itself, its
 * key is a base's and describes the base (the baseline's "no policies"), not it: "(inherited
 * from FILE) " into buf, FILE the base up the chain that gives it (a base found beside the file
 * naming it, as the loader finds it); else "". */
static void inherited(const char *path, const char *key, char *buf, size_t len) {
    buf[0] = 0;
    char cur[PATH_MAX];
    snprintf(cur, sizeof cur, "%s", path);
    for (int depth = 0; depth < 32; depth++) { /* the loader refuses deeper chains */
        int nul = 0, more = 0;
        char *text = cs_config_read_text(cur, &nul);
        if (!text) return;
        config_t cf;
        config_init(&cf);
        if (config_read_string(&cf, text)) {
            const config_setting_t *root = config_root_setting(&cf);
            const config_setting_t *b = config_setting_get_member(root, "base");
            if (config_setting_get_member(root, key)) {
                if (depth > 0) snprintf(buf, len, "(inherited from %s) ", cur);
            } else if (b && config_setting_type(b) == CONFIG_TYPE_STRING) {
                const char *bp = config_setting_get_string(b), *slash = strrchr(cur, '/');
                char next[PATH_MAX];
                if (bp[0] == '/' || !slash)
                    snprintf(next, sizeof next, "%s", bp);
                else
                    snprintf(next, sizeof next, "%.*s/%s", (int)(slash - cur), cur, bp);
                snprintf(cur, sizeof cur, "%s", next);
                more = 1;
            }
        }
        config_destroy(&cf);
        free(text);
        if (!more) return;
    }
}

static int cmd_describe(int argc, char **argv) {
    if (argc < 3)
        return cs_cli_fail(2, "describe needs a scenario name or file (see clustersim list)");
    if (argc > 3) return cs_cli_fail(2, "describe takes one scenario (got '%s')", argv[3]);
    char *path = cs_cli_resolve_scenario(argv[2]);
    cs_params *par = malloc(sizeof *par);
    int rc = 0;
    if (!path || !par) rc = cs_cli_fail(1, "out of memory");
    if (!rc && !cs_cli_is_file(path) && access(path, F_OK) != 0) { /* else cs_cli_load says */
        char dir[PATH_MAX];
        cs_cli_scenarios_dir(dir, sizeof dir);
        rc = cs_cli_fail(2, "%s: no such scenario file or preset in %s (see clustersim list)",
                         argv[2], dir);
    }
    if (!rc) rc = cs_cli_load(par, path, 0, NULL, NULL);
    if (!rc) {
        printf("name:        %s\n", par->name);
        printf("file:        %s\n", path);
        /* a scenario that extends another and says nothing of itself shows the other's words,
         * marked as such */
        char from[PATH_MAX + 32];
        inherited(path, "description", from, sizeof from);
        printf("description: %s%s\n", par->description[0] ? from : "",
               par->description[0] ? par->description : "(none)");
        inherited(path, "question", from, sizeof from);
        printf("question:    %s%s\n", par->question[0] ? from : "",
               par->question[0] ? par->question : "(none)");
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

static int cmd_describe_checked(int argc, char **argv) {
    return cs_cli_printed(cmd_describe(argc, argv));
}

const cs_command cs_cmd_describe = {"describe", usage_describe, cmd_describe_checked};
