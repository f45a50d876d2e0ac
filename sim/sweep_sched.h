/* sweep_sched.h: running a sweep's runs (sweep.h). Every mode (one machine, a Slurm shard, an MPI
 * task farm) starts each run as its own process, `clustersim run` with the run's overrides
 * (sweep_run.c), so a crash or kill -9 of one run cannot take the sweep down and a run's file is
 * what a lone `clustersim run` writes. The modes differ only in who picks the next run.
 *
 * The sweep directory DIR holds:
 *   sweep.cfg            the sweep file's text; plan.txt the runs and their overrides (a rerun
 *                        with a different plan is refused); origin.txt where the file was
 *   runs/<id>.h5         one file per finished run (complete or absent: written under a
 *                        temporary name, renamed when complete)
 *   logs/<id>.log        what a failed run printed (removed when the run succeeds)
 *   status/<who>.log     one line per finished attempt: index, id, ok|failed, wall seconds,
 *                        reason; one file per scheduling process, so shards never share one
 *   failed.log           the runs that failed, with the reason ("<id>\t<reason>")
 *   sweep.h5             one row per run and a link to each run file (sweep_collect.c) */
#ifndef CS_SWEEP_SCHED_H
#define CS_SWEEP_SCHED_H

#include <stdio.h>
#include <sys/types.h>

#include "sweep.h"

typedef struct cs_sweep_opts {
    const char *dir;
    int jobs;    /* runs at a time on this machine (local mode) */
    int threads; /* threads per run; 0: the sweep file's, else cores / jobs */
    int shard;   /* this process runs the runs whose index % nshards == shard */
    int nshards;
    int quiet; /* no progress line, no summary */
} cs_sweep_opts;

/* Creates DIR (and its subfolders), or checks that it belongs to this sweep: 0; 2 with a message
 * when DIR was made by a different sweep; 1 on an I/O error. */
int cs_sweep_prepare_dir(const cs_sweep *sw, const char *dir);

/* The same refusals as cs_sweep_prepare_dir (2 with its message) for a DIR that exists, with
 * nothing written: for --dry-run. 0 when DIR holds this sweep's runs, some of them, or none. */
int cs_sweep_check_dir(const cs_sweep *sw, const char *dir);

/* Calls fn(path, name, arg) for each entry of folder whose name starts with prefix and ends with
 * suffix (longer than both together), until fn returns nonzero, which it returns; 0 when the
 * folder cannot be read. */
int cs_sweep_each_entry(const char *folder, const char *prefix, const char *suffix,
                        int (*fn)(const char *path, const char *name, void *arg), void *arg);

/* Whether run r's file is its finished run: 1 when DIR/runs/<id>.h5 is a complete clustersim
 * run file of r's scenario and seed; 0 when there is no file; -1 when a file there is not
 * (empty, truncated or damaged, not HDF5, a checkpoint, a run left incomplete, or another
 * run's file: a scenario or seed other than r's), said in why (n bytes; may be NULL). Such a
 * file is not counted done: the run is retried (and writes over it, or fails with advice to
 * remove it), and --collect reports it failed, never its numbers as r's. One open of the file's
 * header and root attributes a run. */
int cs_sweep_run_state(const cs_sweep *sw, int r, const char *dir, char *why, size_t n);
/* cs_sweep_run_state == 1 */
int cs_sweep_run_done(const cs_sweep *sw, int r, const char *dir);
/* Whether run r left a checkpoint in DIR (stopped earlier: its next start continues it). */
int cs_sweep_run_checkpointed(const cs_sweep *sw, int r, const char *dir);
/* Prints ", K of them from their checkpoints" for the K runs of todo[0..ntodo) that left one
 * (nothing when none did): the start line's count of runs to run. */
void cs_sweep_print_resumed(const cs_sweep *sw, const int *todo, int ntodo, const char *dir);

/* Starts run r as a child process writing DIR/runs/<id>.h5 with the given threads; its output
 * goes to DIR/logs/<id>.log. claims: this process's descriptor of the run claims (below), or
 * -1; the child takes the run's own claim. Returns the child's pid, or -1 (message in reason). */
pid_t cs_sweep_spawn(const cs_sweep *sw, int r, const char *dir, int threads, int claims,
                     char *reason, size_t n);

/* The outcome of run r, process pid, from its waitpid status: 0 ok (its log and any partial file
 * of an earlier attempt removed), 1 failed with the reason (exit status or signal, and the last
 * line the run printed); the temporary file of a killed run is removed. */
int cs_sweep_outcome(const cs_sweep *sw, int r, const char *dir, pid_t pid, int wstatus,
                     char *reason, size_t n);

/* Holds DIR/status/WHO.lock for as long as this process (the whole sweep, one shard, or MPI
 * rank 0) or a run it started runs WHO's runs, so that a second copy of the same command on the
 * folder (a resubmission while the first still runs, a second terminal) is refused instead of
 * running every run twice. Returns the descriptor; -2 where the file system has no locks (said
 * on stderr: the sweep goes on unguarded); -1 with the message printed and the exit status in
 * *rc (2: held by another). */
int cs_sweep_lock(const char *dir, const char *who, int *rc);
void cs_sweep_unlock(int fd);

/* Claims on single runs, so that no run is run by two processes at once whatever started them
 * (a whole sweep beside a shard of it, shards of two counts, an MPI farm beside a plain
 * sweep): in DIR/status/runs.lock (fcntl locks, which NFS carries between nodes), byte 2r is
 * locked by the process that starts run r, and byte 2r+1 by the run itself (cs_sweep_spawn's
 * child), each for as long as it lives. A claim needs both free, so a run outlives the death of
 * its sweep (SIGKILL: the run still writes its checkpoint on the SIGTERM it is sent) without
 * another sweep starting it beside it. cs_sweep_claims_open: the descriptor, or -1 where the
 * file system has no locks (then every claim succeeds); open it once per process (closing any
 * descriptor of the file drops every claim). cs_sweep_claim: 1 claimed, 0 another process or
 * a run runs it. */
int cs_sweep_claims_open(const char *dir);
int cs_sweep_claim(int fd, int r);
void cs_sweep_unclaim(int fd, int r);
/* The message (status 1) of a sweep that left n of its runs to another sweep of the folder. */
int cs_sweep_left_elsewhere(int n);

/* The error that ends a sweep whose nfail runs failed (exit 1): see DIR/failed.log, or where it
 * could not be written (a full disk), the first failed run's id and reason. */
int cs_sweep_failed(const char *dir, int nfail, const char *first_id, const char *first_reason);

/* DIR/status/<who>.log, opened for appending (NULL with a message on error). */
FILE *cs_sweep_status_open(const char *dir, const char *who);

/* Records an attempt: a line in the status log and, when it failed, in DIR/failed.log. */
void cs_sweep_record(const cs_sweep *sw, int r, const char *dir, FILE *status, int ok, double wall,
                     const char *reason);

/* Cores this process may use (its CPU affinity, which Slurm and mpirun set). */
int cs_sweep_cores(void);
/* Warns when jobs runs of threads threads each outnumber the cores this process may use (the
 * runs' own warning goes to their logs, removed when they end well). */
void cs_sweep_warn_cores(int jobs, int threads);

/* The sweep on this machine: --jobs runs at a time, the runs of this shard not finished yet.
 * Exit status: 0 all ran, 1 some failed or interrupted (Ctrl-C, SIGTERM). Writes sweep.h5 at the
 * end when it is the only shard or the last shard to finish. */
int cs_sweep_local(const cs_sweep *sw, const cs_sweep_opts *o);

/* DIR/sweep.h5 and DIR/failed.log from the run files and status logs. 0, or 1 with a message.
 * *left (when not NULL): the runs not finished, failed or not run yet. */
int cs_sweep_collect(const cs_sweep *sw, const char *dir, int quiet, int *left);

#ifdef CS_MPI
/* The MPI task farm: rank 0 hands out run indices as ranks ask for work, records each outcome
 * and writes sweep.h5; with one rank, rank 0 does the runs itself. Call between MPI_Init and
 * MPI_Finalize on every rank. */
int cs_sweep_mpi(const cs_sweep *sw, const cs_sweep_opts *o);
#endif

#endif
