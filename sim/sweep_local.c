/* sweep_local.c: a sweep on one machine, --jobs runs at a time, each its own process; also one
 * shard of a Slurm job array (--shard I/N or SLURM_ARRAY_TASK_ID). See sweep_sched.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"
#include "sweep_sched.h"

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig) {
    stop_sig = sig;
}

/* wakes waitpid so the progress line is redrawn */
static void on_alarm(int sig) {
    (void)sig;
}

/* No SA_RESTART: a signal interrupts waitpid, so the loop sees it at once. SA_RESETHAND on
 * SIGINT: a second Ctrl-C kills the sweep at once; a second SIGTERM (a batch system's, then one
 * forwarded) does not, as for a run (runner.c). */
static void handle(int sig, void (*fn)(int), unsigned flags, struct sigaction *old) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = (int)flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, old);
}

static void eta_text(double secs, char *buf, size_t n) {
    long s = (long)(secs + 0.5);
    if (s >= 3600)
        snprintf(buf, n, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else
        snprintf(buf, n, "%ldm%02lds", s / 60, s % 60);
}

static void progress(int total, int done, int running, int failed, int finished_now, double t0) {
    char eta[32] = "--";
    double el = cs_wall_seconds() - t0;
    int left = total - done - failed;
    if (finished_now > 0 && left > 0) eta_text(el / finished_now * left, eta, sizeof eta);
    if (left == 0) snprintf(eta, sizeof eta, "done");
    fprintf(stderr, "\rruns %d/%d done, %d running, %d failed, ETA %s    ", done, total, running,
            failed, eta);
    fflush(stderr);
}

static void marker(const char *dir, int shard, int n, char *buf, size_t len) {
    snprintf(buf, len, "%s/status/shard-%d-of-%d.done", dir, shard, n);
}

int cs_sweep_local(const cs_sweep *sw, const cs_sweep_opts *o) {
    const int nshards = o->nshards > 0 ? o->nshards : 1, shard = o->shard;
    const int jobs = o->jobs > 0 ? o->jobs : 1;
    int threads = o->threads ? o->threads : sw->threads;
    if (!threads) threads = cs_sweep_cores() / jobs > 0 ? cs_sweep_cores() / jobs : 1;
    char who[64], mark[PATH_MAX + 64];
    if (nshards > 1)
        snprintf(who, sizeof who, "shard-%d-of-%d", shard, nshards);
    else
        snprintf(who, sizeof who, "local");
    int lrc = 0, lock = cs_sweep_lock(o->dir, who, &lrc);
    if (lock == -1) return lrc;
    marker(o->dir, shard, nshards, mark, sizeof mark);
    remove(mark);

    int *todo = malloc(((size_t)sw->nrun + 1) * sizeof *todo);
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    int *slot_run = calloc((size_t)jobs, sizeof *slot_run);
    double *slot_t0 = calloc((size_t)jobs, sizeof *slot_t0);
    if (!todo || !pids || !slot_run || !slot_t0) {
        free(todo), free(pids), free(slot_run), free(slot_t0);
        cs_sweep_unlock(lock);
        return cs_cli_fail(1, "out of memory");
    }
    int ntodo = 0, mine = 0, before = 0;
    for (int r = 0; r < sw->nrun; r++) {
        if (r % nshards != shard) continue;
        mine++;
        if (cs_sweep_run_done(sw, r, o->dir))
            before++;
        else
            todo[ntodo++] = r;
    }
    FILE *st = cs_sweep_status_open(o->dir, who);
    if (!st) {
        free(todo), free(pids), free(slot_run), free(slot_t0);
        cs_sweep_unlock(lock);
        return 1;
    }
    const int show = !o->quiet && isatty(fileno(stderr));
    /* the handlers before the start line: a Ctrl-C as soon as it shows stops the sweep as
     * any other does, with its summary */
    struct sigaction old_int, old_term, old_hup, old_alrm;
    stop_sig = 0;
    handle(SIGINT, on_stop, SA_RESETHAND, &old_int);
    handle(SIGTERM, on_stop, 0, &old_term);
    /* a terminal that closes (a dropped ssh session) stops the sweep as SIGTERM does: its runs,
     * hung up with it, write their checkpoints, and sweep.h5 is written for what is done */
    sigaction(SIGHUP, NULL, &old_hup);
    if (old_hup.sa_handler != SIG_IGN) /* under nohup it stays ignored, as for its runs */
        handle(SIGHUP, on_stop, 0, &old_hup);
    handle(SIGALRM, on_alarm, 0, &old_alrm);
    if (!o->quiet) {
        printf("sweep %s", sw->name);
        if (nshards > 1) printf(" shard %d/%d", shard, nshards);
        printf(": %d runs, %d finished already, %d to run", mine, before, ntodo);
        cs_sweep_print_resumed(sw, todo, ntodo, o->dir);
        printf(" (%d at a time, %d thread%s each)\n", jobs, threads, threads == 1 ? "" : "s");
        fflush(stdout);
    }
    if (ntodo > 0) cs_sweep_warn_cores(jobs < ntodo ? jobs : ntodo, threads);
    struct itimerval tick = {{0, 250000}, {0, 250000}}, off = {{0, 0}, {0, 0}};
    /* the tick wakes waitpid four times a second: for the progress line, and so that a
     * signal that lands between the loop's test of stop_sig and waitpid (which then would not
     * be interrupted) is forwarded to the runs within a quarter of a second, not when they end */
    setitimer(ITIMER_REAL, &tick, NULL);

    const double t0 = cs_wall_seconds();
    int next = 0, running = 0, nok = before, nfail = 0, finished_now = 0, forwarded = 0;
    int nstopped = 0; /* of the failed, runs stopped by the interruption with their checkpoint */
    int elsewhere = 0, claims = cs_sweep_claims_open(o->dir);
    char reason[2048], first_reason[2048] = ""; /* the first failed run's (first_id) */
    const char *first_id = NULL;
    for (;;) {
        while (!stop_sig && running < jobs && next < ntodo) {
            int r = todo[next++];
            /* finished meanwhile by another sweep on the folder, or running in one now */
            const int claimed = cs_sweep_claim(claims, r);
            const int done = cs_sweep_run_done(sw, r, o->dir); /* an open: once */
            if (!claimed || done) {
                if (done)
                    nok++;
                else
                    elsewhere++;
                cs_sweep_unclaim(claims, r);
                continue;
            }
            pid_t pid = cs_sweep_spawn(sw, r, o->dir, threads, claims, reason, sizeof reason);
            if (pid < 0) {
                cs_sweep_unclaim(claims, r);
                cs_sweep_record(sw, r, o->dir, st, 0, 0.0, reason);
                if (!nfail++) {
                    first_id = sw->runs[r].id;
                    snprintf(first_reason, sizeof first_reason, "%s", reason);
                }
                continue;
            }
            for (int j = 0; j < jobs; j++)
                if (!pids[j]) {
                    pids[j] = pid;
                    slot_run[j] = r;
                    slot_t0[j] = cs_wall_seconds();
                    break;
                }
            running++;
        }
        if (show) progress(mine - elsewhere, nok, running, nfail, finished_now, t0);
        if (running == 0) break;
        int ws;
        pid_t pid = waitpid(-1, &ws, 0);
        if (pid < 0) {
            if (errno != EINTR) break;
            if (stop_sig && !forwarded) {
                /* a kill of the sweep alone (not the terminal's Ctrl-C to the whole group) */
                for (int j = 0; j < jobs; j++)
                    if (pids[j]) kill(pids[j], SIGTERM);
                forwarded = 1;
            }
            continue;
        }
        for (int j = 0; j < jobs; j++) {
            if (pids[j] != pid) continue;
            int r = slot_run[j];
            double wall = cs_wall_seconds() - slot_t0[j];
            int failed = cs_sweep_outcome(sw, r, o->dir, pid, ws, reason, sizeof reason);
            /* stopped with its checkpoint (status 1), or killed on the way (say so) */
            if (failed && stop_sig && WIFEXITED(ws)) {
                snprintf(reason, sizeof reason, "interrupted");
                nstopped++;
            } else if (failed && stop_sig && WIFSIGNALED(ws) &&
                       (WTERMSIG(ws) == SIGINT || WTERMSIG(ws) == SIGTERM ||
                        WTERMSIG(ws) == SIGHUP)) {
                /* the stop signal itself, before the run had set its handlers: it was starting
                 * (from scratch, or from the checkpoint an earlier stop left, which is kept) */
                const int kept = cs_sweep_run_checkpointed(sw, r, o->dir);
                snprintf(reason, sizeof reason, "interrupted while starting (%s)",
                         kept ? "its checkpoint is kept" : "no checkpoint");
                nstopped += kept;
            } else if (failed && stop_sig) {
                char why[1024];
                snprintf(why, sizeof why, "%.1000s", reason);
                snprintf(reason, sizeof reason, "interrupted, then %s", why);
            }
            cs_sweep_unclaim(claims, r);
            cs_sweep_record(sw, r, o->dir, st, !failed, wall, reason);
            if (failed && !nfail) {
                first_id = sw->runs[r].id;
                snprintf(first_reason, sizeof first_reason, "%s", reason);
            }
            if (failed)
                nfail++;
            else
                nok++, finished_now++;
            pids[j] = 0;
            running--;
        }
    }
    setitimer(ITIMER_REAL, &off, NULL);
    if (show) {
        progress(mine - elsewhere, nok, running, nfail, finished_now, t0);
        fputc('\n', stderr);
    }
    sigaction(SIGALRM, &old_alrm, NULL);
    int stopped = stop_sig != 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    fclose(st);
    if (claims >= 0) close(claims);
    free(pids), free(slot_run), free(slot_t0), free(todo);

    int rc = 0;
    /* runs left to another sweep are not done: no marker, no sweep.h5 from here (that sweep,
     * or this command run again after it, collects them) */
    if (!stopped && !elsewhere) {
        FILE *m = fopen(mark, "w");
        if (m) fclose(m);
    }
    /* the only shard, or the last to finish, writes sweep.h5 (two at once write the same) */
    int all = 1;
    for (int s = 0; s < nshards && all; s++) {
        char p[PATH_MAX + 64];
        marker(o->dir, s, nshards, p, sizeof p);
        all = nshards == 1 || access(p, F_OK) == 0;
    }
    if (all && !elsewhere && cs_sweep_collect(sw, o->dir, o->quiet, NULL)) rc = 1;
    cs_sweep_unlock(lock); /* after the collection: a resubmission then finds sweep.h5 complete */
    int left = mine - nok - nfail - elsewhere;
    /* the CPU time of the sweep process itself, its runs excluded: its overhead */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
                 (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
    /* a run stopped with its checkpoint is listed as failed (sweep.h5, failed.log: it did not
     * finish), but its work is kept: say so, so that an interruption does not read as a fault */
    char kept[96] = "";
    if (nstopped)
        snprintf(kept, sizeof kept, ", %d of them interrupted with a checkpoint to continue from",
                 nstopped);
    char other[64] = "";
    if (elsewhere) snprintf(other, sizeof other, ", %d left to another sweep", elsewhere);
    if (!o->quiet)
        printf("sweep %s: %d of %d runs ok, %d failed%s%s, %d not run%s (%.1f s; the sweep "
               "process itself %.3f s CPU)\n",
               sw->name, nok, mine, nfail, kept, nfail ? " (see failed.log)" : "", left, other,
               cs_wall_seconds() - t0, cpu);
    /* done only when none of its runs was left to another sweep (no marker was written) */
    if (!o->quiet && all == 0 && !stopped && !elsewhere)
        printf("sweep %s: shard %d/%d done; the other %d of the sweep's %d runs are the other "
               "shards' (the last shard to finish writes sweep.h5)\n",
               sw->name, shard, nshards, sw->nrun - mine, sw->nrun);
    char also[128] = "";
    if (elsewhere)
        snprintf(also, sizeof also,
                 " (%d run%s left to another sweep of this folder that is running %s)", elsewhere,
                 elsewhere == 1 ? "" : "s", elsewhere == 1 ? "it" : "them");
    if (stopped)
        return cs_cli_fail(1,
                           "interrupted: %d run%s finished %s kept%s; run the same command "
                           "again to run the others%s",
                           nok, nok == 1 ? "" : "s", nok == 1 ? "is" : "are", also,
                           nstopped ? " (the interrupted ones continue from their checkpoints)"
                                    : "");
    if (nfail) return cs_sweep_failed(o->dir, nfail, first_id, first_reason);
    if (elsewhere) return cs_sweep_left_elsewhere(elsewhere);
    return rc;
}
