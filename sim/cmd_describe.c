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

/* When the scenario file at path extends another (base = ...) without giving key itself, its
 * key is its base's and describes the base (the baseline's "no policies"), not it: "(inherited
 * from BASE) " into buf; else "". */
static void inherited(const char *path, const char *key, char *buf, size_t len) {
    buf[0] = 0;
    int nul = 0;
    char *text = cs_config_read_text(path, &nul);
    if (!text) return;
    config_t cf;
    config_init(&cf);
    if (config_read_string(&cf, text)) {
        const config_setting_t *root = config_root_setting(&cf);
        const config_setting_t *b = config_setting_get_member(root, "base");
        if (b && config_setting_type(b) == CONFIG_TYPE_STRING &&
            !config_setting_get_member(root, key))
            snprintf(buf, len, "(inherited from %s) ", config_setting_get_string(b));
    }
    config_destroy(&cf);
    free(text);
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
