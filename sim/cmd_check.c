/* cmd_check.c: `clustersim check`: loads and validates a scenario and prints the resolved
 * configuration, documented; runs nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clustersim.h"
#include "config.h"
#include "policies.h"

/* Tax zones (or startup spaces) whose cuts or reliefs add to more than the whole tax or rent
 * where they overlap, and R&D credits past their cap where they meet, are found on the
 * landscape the policies are set up on (policies.c): check sets them up too, without the
 * economy, so that the warning does not wait for a run. */
static void warn_as_run_would(const cs_params *par, const char *path) {
    int zones = 0, credits = 0;
    for (int q = 0; q < par->n_policies; q++) {
        zones += par->policies[q].type == CS_POL_TAX_ZONE ||
                 par->policies[q].type == CS_POL_STARTUP_SPACE;
        credits += par->policies[q].type == CS_POL_RD_CREDIT;
    }
    if (zones < 2 && credits == 0) return;
    cs_sim *sim = calloc(1, sizeof *sim);
    if (!sim) return;
    if (cs_sim_init_bare(sim, par) == 0) {
        cs_policies_warn_stacking(sim, path);
        cs_sim_free(sim);
    }
    free(sim);
}

static const char usage_check[] =
    "usage: clustersim check SCENARIO.cfg [--set key.path=value ...]\n"
    "\n"
    "Loads the scenario (defaults, base files, the file, then --set overrides), validates every\n"
    "key and prints the resolved configuration, documented, to stdout. Runs nothing.\n"
    "Exit status 2 with FILE:LINE: KEY: message when the scenario is invalid.\n";

/* The scenario argument and the --set overrides, as run takes them. Returns 0 or an exit
 * status. */
static int parse_opts(int argc, char **argv, const char **scenario, char **sets, int *nset) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int r = cs_cli_set_opt(argc, argv, &i, sets, nset);
        if (r) {
            if (r != 1) return r;
        } else if (a[0] == '-' && a[1]) {
            return cs_cli_fail(2, "unknown option '%s' for check (see clustersim check --help)", a);
        } else if (*scenario) {
            return cs_cli_fail(2, "check takes one scenario file (got '%s' and '%s')", *scenario,
                               a);
        } else {
            *scenario = a;
        }
    }
    if (!*scenario)
        return cs_cli_fail(2, "check needs a scenario file (see clustersim check --help)");
    return 0;
}

static int cmd_check(int argc, char **argv) {
    const char *scenario = NULL;
    int nset = 0, rc = 0;
    char **sets = calloc((size_t)argc + 1, sizeof *sets);
    cs_params *par = malloc(sizeof *par);
    char *path = NULL;
    if (!sets || !par) rc = cs_cli_fail(1, "out of memory");
    if (!rc) rc = parse_opts(argc, argv, &scenario, sets, &nset);
    if (!rc) {
        path = cs_cli_resolve_scenario(scenario);
        rc = path ? cs_cli_load(par, path, nset, sets, NULL) : cs_cli_fail(1, "out of memory");
    }
    if (!rc) warn_as_run_would(par, path);
    if (!rc && (cs_config_write(stdout, par, 1) != 0 || fflush(stdout) != 0))
        rc = cs_cli_fail(1, "cannot write the configuration: %s", strerror(errno));
    free(path);
    free(par);
    free(sets);
    return rc;
}

const cs_command cs_cmd_check = {"check", usage_check, cmd_check};
