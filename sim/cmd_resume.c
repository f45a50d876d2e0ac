/* cmd_resume.c: `clustersim resume CKPT.h5`: finishes a run from its checkpoint (runner.c). */
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "runner.h"

static const char usage_resume[] =
    "usage: clustersim resume CHECKPOINT.h5 [-o OUT.h5] [--threads N] [--checkpoint-every N]\n"
    "                         [--stop-after N] [--quiet]\n"
    "\n"
    "Continues an interrupted run from its checkpoint (written by `clustersim run` on SIGTERM,\n"
    "Ctrl-C, --stop-after or every --checkpoint-every steps) to its end. The run file is the one\n"
    "the run was writing (or OUT.h5), identical dataset by dataset to an uninterrupted run's,\n"
    "whatever the thread counts; its attribute resumed_from records each resume. The run keeps\n"
    "checkpointing into CHECKPOINT.h5 at the recorded interval and removes it once complete.\n"
    "A checkpoint from another build or format version, or a corrupted one, is refused (exit 2).\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.h5   run file (default: the one recorded in the checkpoint)\n"
    "  --threads N           OpenMP threads (results do not depend on it)\n"
    "  --checkpoint-every N  checkpoint interval (default: the recorded one)\n"
    "  --stop-after N        stop like SIGTERM once step N is done (testing and operations aid)\n"
    "  -q, --quiet           no progress line and no summary line\n";

static int cmd_resume(int argc, char **argv) {
    const char *ckpt = NULL, *out = NULL, *v;
    int every = -1, stop_after = -1, quiet = 0;
    for (int i = 2; i < argc; i++) {
        int r;
        long long x;
        const char *a = argv[i];
        if ((r = cs_cli_opt_value(argc, argv, &i, "--output", "-o", &v))) {
            if (r < 0 || !*v) return cs_cli_fail(2, "-o needs a file name");
            out = v;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--threads", NULL, &v))) {
            if (r < 0 || cs_cli_parse_ll(v, 1, 4096, &x))
                return cs_cli_fail(2, "--threads needs an integer from 1 to 4096");
            omp_set_num_threads((int)x);
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--checkpoint-every", NULL, &v))) {
            if (r < 0 || cs_cli_parse_ll(v, 1, INT_MAX, &x))
                return cs_cli_fail(2, "--checkpoint-every needs an integer from 1 to %d", INT_MAX);
            every = (int)x;
        } else if ((r = cs_cli_opt_value(argc, argv, &i, "--stop-after", NULL, &v))) {
            if (r < 0 || cs_cli_parse_ll(v, 0, INT_MAX, &x))
                return cs_cli_fail(2, "--stop-after needs an integer from 0 to %d", INT_MAX);
            stop_after = (int)x;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            return cs_cli_fail(2, "unknown option '%s' for resume (see clustersim resume --help)",
                               a);
        } else if (ckpt) {
            return cs_cli_fail(2, "resume takes one checkpoint file (got '%s' and '%s')", ckpt, a);
        } else {
            ckpt = a;
        }
    }
    if (!ckpt)
        return cs_cli_fail(2, "resume needs a checkpoint file (see clustersim resume --help)");
    cs_run_install_signals();
    cs_cli_warn_cores();
    cs_run_job job = {.out = out,
                      .quiet = quiet,
                      .checkpoint_every = every,
                      .stop = stop_after >= 0,
                      .stop_after = stop_after};
    return cs_run_resume(ckpt, &job);
}

const cs_command cs_cmd_resume = {"resume", usage_resume, cmd_resume};
