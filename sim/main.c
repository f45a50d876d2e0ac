/* main.c: the clustersim command line (INTERFACES.md; documented in docs/cli.md): --help,
 * --version, and dispatch to one file per command (cmd_run.c, cmd_check.c, cmd_list.c,
 * cmd_describe.c, cmd_bench.c, cmd_sweep.c, cmd_resume.c). */
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

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
    "  bench [options]              time the model on the UK landscape (or a checkpoint)\n"
    "  sweep SWEEP.cfg -o DIR       run an ensemble of scenarios, varied keys and seeds\n"
    "  resume CKPT.h5 [options]     finish an interrupted run from its checkpoint\n"
    "\n"
    "  clustersim --version         print the version\n"
    "  clustersim COMMAND --help    options of a command (or: clustersim help COMMAND)\n"
    "\n"
    "Exit status: 0 success, 2 bad usage/config/input, 1 failure while running.\n";

static const cs_command *const commands[] = {
    &cs_cmd_run,   &cs_cmd_check, &cs_cmd_list,   &cs_cmd_describe,
    &cs_cmd_bench, &cs_cmd_sweep, &cs_cmd_resume,
};

static int has_help(int argc, char **argv) {
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    /* every parallel region gets the team asked for, whatever OMP_DYNAMIC says: per-thread
     * buffers are sized by it (fields.c adds only the rows its team filled, besides) */
    omp_set_dynamic(0);
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
        printf("clustersim %s (%s)\n", CS_VERSION, cs_git_hash);
        return 0;
    }
    cs_memory_init();
    cs_hdf5_init();
    int ncmd = (int)(sizeof commands / sizeof commands[0]);
    if (strcmp(a, "help") == 0) {
        for (int k = 0; argc > 2 && k < ncmd; k++)
            if (strcmp(argv[2], commands[k]->name) == 0)
                return fputs(commands[k]->usage, stdout), 0;
        fputs(usage_main, stdout);
        return argc > 2 ? cs_cli_fail(2, "unknown command '%s'", argv[2]) : 0;
    }
    for (int k = 0; k < ncmd; k++) {
        if (strcmp(a, commands[k]->name) != 0) continue;
        if (has_help(argc, argv)) {
            fputs(commands[k]->usage, stdout);
            return 0;
        }
        return commands[k]->fn(argc, argv);
    }
    return cs_cli_fail(2, "unknown command '%s' (see clustersim --help)", a);
}
