/* sweep_mpi.c: the MPI task farm (compiled only into clustersim-mpi, -DCS_MPI; see sweep_sched.h).
 * Rank 0 hands out run indices one at a time as ranks report back, so long and short runs
 * balance; ranks > 0 run each run as a child process, as the other modes do (Open MPI allows a
 * rank to fork and exec a program that does not use MPI). Rank 0 alone writes the status log and
 * sweep.h5. With one rank, rank 0 runs the sweep as on one machine. */
#ifdef CS_MPI
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "progress.h"
#include "sweep_sched.h"

enum { TAG_RESULT = 1, TAG_WORK = 2 };

/* A worker's message to rank 0: the outcome of its last run (run -1: first request). */
typedef struct result_msg {
    int run;
    int ok;
    int elsewhere; /* not run: another sweep of the folder is running it (or has finished it) */
    double wall;
    char reason[1024];
} result_msg;

static int worker(const cs_sweep *sw, const cs_sweep_opts *o, int threads) {
    result_msg msg;
    memset(&msg, 0, sizeof msg);
    msg.run = -1;
    int claims = cs_sweep_claims_open(o->dir);
    for (;;) {
        MPI_Send(&msg, (int)sizeof msg, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        int r;
        MPI_Recv(&r, 1, MPI_INT, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (r < 0) {
            if (claims >= 0) close(claims);
            return 0;
        }
        memset(&msg, 0, sizeof msg);
        msg.run = r;
        const int claimed = cs_sweep_claim(claims, r);
        msg.ok = cs_sweep_run_done(sw, r, o->dir); /* an open: once */
        if (!claimed || msg.ok) {
            msg.elsewhere = !msg.ok;
            cs_sweep_unclaim(claims, r);
            continue;
        }
        double t0 = cs_wall_seconds();
        pid_t pid = cs_sweep_spawn(sw, r, o->dir, threads, claims, msg.reason, sizeof msg.reason);
        int ws = 0;
        if (pid > 0 && waitpid(pid, &ws, 0) == pid)
            msg.ok = !cs_sweep_outcome(sw, r, o->dir, pid, ws, msg.reason, sizeof msg.reason);
        else if (pid > 0)
            snprintf(msg.reason, sizeof msg.reason, "lost track of the run's process");
        msg.wall = cs_wall_seconds() - t0;
        cs_sweep_unclaim(claims, r);
    }
}

static int master(const cs_sweep *sw, const cs_sweep_opts *o, int size) {
    int *todo = malloc(((size_t)sw->nrun + 1) * sizeof *todo);
    if (!todo) return cs_cli_fail(1, "out of memory");
    int ntodo = 0, before = 0;
    /* a second farm on the folder: its ranks are sent home with nothing to run */
    int lrc = 0, lock = cs_sweep_lock(o->dir, "mpi", &lrc);
    for (int r = 0; r < sw->nrun && lock != -1; r++) {
        if (cs_sweep_run_done(sw, r, o->dir))
            before++;
        else
            todo[ntodo++] = r;
    }
    FILE *st = lock == -1 ? NULL : cs_sweep_status_open(o->dir, "mpi");
    if (!o->quiet && lock != -1) {
        printf("sweep %s: %d runs, %d finished already, %d to run", sw->name, sw->nrun, before,
               ntodo);
        cs_sweep_print_resumed(sw, todo, ntodo, o->dir);
        printf(" on %d MPI worker rank%s (rank 0 hands them out)\n", size - 1,
               size - 1 == 1 ? "" : "s");
        fflush(stdout);
    }
    const double t0 = cs_wall_seconds();
    int next = 0, active = size - 1, nok = before, nfail = 0, elsewhere = 0;
    char first_reason[1024] = ""; /* the first failed run's (first_id) */
    const char *first_id = NULL;
    while (active > 0) {
        int flag = 0;
        MPI_Status s;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &s);
        if (!flag) {
            /* a blocking receive would spin a core that the runs need */
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
            continue;
        }
        result_msg msg;
        MPI_Recv(&msg, (int)sizeof msg, MPI_BYTE, s.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        if (msg.run >= 0 && msg.run < sw->nrun && msg.elsewhere) {
            elsewhere++;
        } else if (msg.run >= 0 && msg.run < sw->nrun) {
            msg.reason[sizeof msg.reason - 1] = 0;
            if (msg.wall > 0.0 || !msg.ok) /* not one another sweep finished meanwhile */
                cs_sweep_record(sw, msg.run, o->dir, st, msg.ok, msg.wall, msg.reason);
            if (!msg.ok && !nfail) {
                first_id = sw->runs[msg.run].id;
                snprintf(first_reason, sizeof first_reason, "%s", msg.reason);
            }
            if (msg.ok)
                nok++;
            else
                nfail++;
        }
        int r = next < ntodo ? todo[next++] : -1;
        if (r < 0) active--;
        MPI_Send(&r, 1, MPI_INT, s.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
    }
    if (st) fclose(st);
    free(todo);
    if (lock == -1) return lrc;
    /* runs left to another sweep are not done: that sweep, or this command run again after
     * it, collects them */
    int rc = !elsewhere && cs_sweep_collect(sw, o->dir, o->quiet, NULL) ? 1 : 0;
    cs_sweep_unlock(lock);
    if (!o->quiet)
        printf("sweep %s: %d of %d runs ok, %d failed%s (%.1f s)\n", sw->name, nok, sw->nrun, nfail,
               nfail ? " (see failed.log)" : "", cs_wall_seconds() - t0);
    if (nfail) return cs_sweep_failed(o->dir, nfail, first_id, first_reason);
    if (elsewhere) return cs_sweep_left_elsewhere(elsewhere);
    return rc;
}

int cs_sweep_mpi(const cs_sweep *sw, const cs_sweep_opts *o) {
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size == 1) {
        cs_sweep_opts one = *o;
        one.nshards = 1;
        one.shard = 0;
        return cs_sweep_local(sw, &one);
    }
    /* one run per rank: threads from --threads or the sweep file, else 1 */
    int threads = o->threads ? o->threads : sw->threads ? sw->threads : 1;
    if (rank == 1) cs_sweep_warn_cores(1, threads); /* said once, by the first worker rank */
    return rank == 0 ? master(sw, o, size) : worker(sw, o, threads);
}
#endif
