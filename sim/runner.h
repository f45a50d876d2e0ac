/* runner.h: run one loaded scenario to its run file. `clustersim run` and `clustersim resume`
 * call it, and so does every way of running a sweep, so a run's file is the same however it was
 * started, interrupted and resumed. */
#ifndef CS_RUNNER_H
#define CS_RUNNER_H

#include <signal.h>

#include "clustersim.h"
#include "live.h"

typedef struct cs_run_job {
    const char *path;   /* the scenario file, recorded as provenance */
    const char *source; /* the scenario file's own text (may be NULL) */
    const char *out;    /* the run file to write (under a temporary name, renamed when complete);
                         * cs_run_resume: NULL = the run file recorded in the checkpoint */
    int quiet;          /* no progress line and no summary line */
    /* Checkpoints (docs/reliability.md). checkpoint: the checkpoint file, NULL = none (an
     * interrupted run then keeps only OUT.h5.incomplete). It is written every checkpoint_every
     * steps (0: only when the run is stopped) and removed once the run file is complete. */
    const char *checkpoint;
    int checkpoint_every;
    int stop;       /* testing and operations aid: 1 = stop like SIGTERM once step stop_after */
    int stop_after; /* is done (0: before the first step); 0 = never stop (zeroed jobs) */
    int resume;     /* cs_run_scenario: if the checkpoint file exists and holds this config,
                     * continue from it instead of starting again (sweeps) */
    const cs_live_opts *live; /* NULL, or the live map / JSON stream to feed after each step */
} cs_run_job;

/* Set by SIGINT/SIGTERM once cs_run_install_signals ran: the run finishes its step and stops. */
extern volatile sig_atomic_t cs_run_stop;

/* SIGINT and SIGTERM set cs_run_stop; a second SIGINT kills the process at once, a second
 * SIGTERM does not (a batch system and a sweep may both send one). */
void cs_run_install_signals(void);

/* The paths a run will write, checked before anything is opened: the run file's directory
 * exists and is writable, the checkpoint's (NULL: none) exists, neither names a directory, the
 * two differ, and an existing file at either is of its kind (HDF5; a clustersim checkpoint,
 * unless it is `verified`, the checkpoint a resume has open). Returns 0, or 2 with the message
 * printed. */
int cs_run_check_paths(const char *out, const char *checkpoint, const char *verified);

/* The --live-json file (not "-"): refused (a message, status 2) when it is the run file or the
 * checkpoint, or an existing file that is not such a stream (a scenario named by mistake would
 * be cut to nothing); 0 otherwise. */
int cs_run_check_stream(const char *json, const char *out, const char *checkpoint);

/* Initialises the model from par, runs it to par->steps and writes job->out. Returns the exit
 * status (0; 1 with a message: I/O, out of memory, interrupted; 2: the output directory does not
 * exist or is not writable, or job->resume found a checkpoint it refuses). */
int cs_run_scenario(const cs_params *par, const cs_run_job *job);

/* Continues the run stored in the checkpoint file ckpt to its end (job->path and job->source
 * are ignored: the checkpoint has them; job->checkpoint NULL = keep checkpointing into ckpt,
 * checkpoint_every < 0 = the interval recorded in it). Returns the exit status: 2 when the
 * checkpoint is missing, corrupted, or from another build or format version. */
int cs_run_resume(const char *ckpt, const cs_run_job *job);

#endif
