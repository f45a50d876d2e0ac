/* runner.c: the loop that runs one scenario and writes its run file (see runner.h). The output
 * is opened only after the model initialised, so a run that cannot start leaves no file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "metrics.h"
#include "output.h"
#include "progress.h"
#include "runner.h"

volatile sig_atomic_t cs_run_stop;

static void on_signal(int sig) {
    cs_run_stop = sig;
}

/* SA_RESETHAND: a second Ctrl-C kills the process at once, for a user who will not wait. */
void cs_run_install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cs_run_scenario(const cs_params *par, const cs_run_job *job) {
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_metrics *m = calloc(1, sizeof *m);
    cs_output *out = NULL;
    cs_live *live = NULL;
    char *config_text = NULL;
    int rc = 0, inited = 0;
    if (!sim || !m) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    double t0 = cs_wall_seconds();
    inited = 1;
    if (cs_sim_init(sim, par) != 0) {
        rc = cs_cli_fail(1, "%s: could not initialise the simulation (out of memory?)", job->path);
        goto done;
    }
    config_text = cs_config_to_string(&sim->par);
    if (!config_text) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    char err[2048];
    out = cs_output_open(job->out, sim, job->path, config_text, job->source, err, sizeof err);
    if (!out) {
        rc = cs_cli_fail(1, "%s", err);
        goto done;
    }
    if (job->live && !(live = cs_live_open(job->live, sim))) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    const int steps = sim->par.steps;
    cs_metrics_compute(sim, m);
    if (cs_output_step(out, sim, m)) goto write_failed;
    /* the live view reads the state only: the run file is the same without it. A reader that
     * went away (a closed pipe) stops the stream, not the run. */
    if (live) cs_live_step(live, sim, m);
    cs_progress prog;
    cs_progress_start(&prog, steps, job->quiet || cs_live_on_terminal(live));
    /* cs_step advances sim->step at its start: after it, sim->step is the step just finished */
    while (sim->step < steps && !cs_run_stop) {
        cs_step(sim);
        cs_metrics_compute(sim, m);
        if (cs_output_step(out, sim, m)) {
            cs_progress_finish(&prog, sim->step);
            goto write_failed;
        }
        if (live) cs_live_step(live, sim, m);
        cs_progress_update(&prog, sim->step);
    }
    cs_progress_finish(&prog, sim->step);
    cs_live_close(live, sim);
    live = NULL;
    if (cs_run_stop && sim->step < steps) {
        int at = sim->step;
        cs_output *o = out;
        out = NULL;
        if (cs_output_close(o, sim, 0))
            rc = cs_cli_fail(1, "interrupted at step %d of %d; could not save partial output: %s",
                             at, steps, cs_output_error());
        else
            rc = cs_cli_fail(1, "interrupted at step %d of %d; partial output in %s.incomplete", at,
                             steps, job->out);
        goto done;
    }
    cs_output *o = out;
    out = NULL;
    if (cs_output_close(o, sim, 1)) {
        rc = cs_cli_fail(1, "%s", cs_output_error());
        goto done;
    }
    if (!job->quiet)
        printf("wrote %s (%d steps, %.1f s)\n", job->out, steps, cs_wall_seconds() - t0);
    goto done;

write_failed:
    rc = cs_cli_fail(1, "%s: %s", job->out, cs_output_error());
done:
    cs_live_close(live, sim);
    if (out) cs_output_abort(out);
    if (inited) cs_sim_free(sim);
    free(config_text);
    free(sim);
    free(m);
    return rc;
}
