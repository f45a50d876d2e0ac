/* runner.h: run one loaded scenario to its run file. `clustersim run` calls it, and so does
 * every way of running a sweep, so a run's file is the same however it was started. */
#ifndef CS_RUNNER_H
#define CS_RUNNER_H

#include <signal.h>

#include "clustersim.h"
#include "live.h"

typedef struct cs_run_job {
    const char *path;   /* the scenario file, recorded as provenance */
    const char *source; /* the scenario file's own text (may be NULL) */
    const char *out;    /* the run file to write (under a temporary name, renamed when complete) */
    int quiet;          /* no progress line and no summary line */
    const cs_live_opts *live; /* NULL, or the live map / JSON stream to feed after each step */
} cs_run_job;

/* Set by SIGINT/SIGTERM once cs_run_install_signals ran: the run finishes its step and stops. */
extern volatile sig_atomic_t cs_run_stop;

/* SIGINT and SIGTERM set cs_run_stop; a second signal kills the process at once. */
void cs_run_install_signals(void);

/* Initialises the model from par, runs it to par->steps and writes job->out. Returns the exit
 * status (0, or 1 with a message: I/O, out of memory, interrupted). */
int cs_run_scenario(const cs_params *par, const cs_run_job *job);

#endif
