/* runner.c: the loop that runs one scenario and writes its run file (see runner.h). The output
 * is opened only after the model initialised, so a run that cannot start leaves no file.
 *
 * A resumed run sets up the model from the checkpoint's parameters without drawing the initial
 * economy (cs_sim_init_bare) and reads the start's capacities and fundamentals from the
 * checkpoint, so that /landscape, written from the start, is the same as a fresh run's; then it
 * loads the stored state and appends the stored rows to its fresh run file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint.h"
#include "cli.h"
#include "config.h"
#include "metrics.h"
#include "output.h"
#include "policies.h"
#include "progress.h"
#include "runner.h"

volatile sig_atomic_t cs_run_stop;

static void on_signal(int sig) {
    cs_run_stop = sig;
}

/* A second Ctrl-C kills the process at once, for a user who will not wait (SA_RESETHAND). A
 * second SIGTERM does not: a batch system signals every process of a job and a sweep forwards
 * the signal to its runs, so a run often gets two, and the second would kill it while it writes
 * its checkpoint (SIGKILL is the batch system's way to insist). */
void cs_run_install_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    /* the terminal closed (a dropped ssh session): as SIGTERM; but a run started under nohup,
     * which ignores SIGHUP so that it goes on, keeps ignoring it */
    struct sigaction hup;
    if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
}

/* The directory of a file the run writes must exist (and for the run file be writable), and
 * the path must not name a directory: paths the user gave (status 2), refused before the model
 * is built rather than when the run ends. A checkpoint's directory may be read-only: a resume
 * from an archive runs, and only a checkpoint it then has to write fails, with its own message. */
static int check_out_path(const char *out, int checkpoint, int verified) {
    const char *what = checkpoint ? "checkpoint" : "run file";
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    struct stat st;
    if (stat(dir, &st) != 0)
        return cs_cli_fail(2, "%s: %s directory %s does not exist (create it first)", out,
                           checkpoint ? "checkpoint" : "output", dir);
    if (!S_ISDIR(st.st_mode)) return cs_cli_fail(2, "%s: %s is not a directory", out, dir);
    if (!checkpoint && access(dir, W_OK | X_OK) != 0)
        return cs_cli_fail(2, "%s: output directory %s is not writable", out, dir);
    if (out[0] && out[strlen(out) - 1] == '/')
        return cs_cli_fail(2, "%s: a directory; the %s needs a file name", out, what);
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return cs_cli_fail(2, "%s: a directory; the %s needs a file name", out, what);
    /* the file is written first as NAME.tmp.PID (and an interrupted run file kept as
     * NAME.incomplete): a name the file system takes only without that suffix fails up front,
     * not when the run is done */
    const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
    long name_max = pathconf(dir, _PC_NAME_MAX);
    if (name_max <= 0) name_max = 255;
    if ((long)strlen(base) + 16 > name_max)
        return cs_cli_fail(2,
                           "%s: file name too long (%zu characters; at most %ld here, since the "
                           "run writes it first under its name plus .tmp.PID)",
                           out, strlen(base), name_max - 16);
    if (strcmp(out, "-") == 0)
        return cs_cli_fail(
            2, "'-': the %s is HDF5, which cannot be streamed to stdout; name a file", what);
    /* the run writes its files over files of their own kind only: an existing run file (any
     * HDF5) or checkpoint is replaced, but a scenario, a CSV or a device named by mistake (as
     * root, -o /dev/null would replace the device with a file) is not */
    if (stat(out, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return cs_cli_fail(2,
                               "%s: exists and is not a regular file (a device, pipe or socket); "
                               "the %s must be a file",
                               out, what);
        /* (the checkpoint a resume has open is not opened again: HDF5 refuses a second open
         * of one file with other settings) */
        int kind = st.st_size == 0 ? -1
                   : verified      ? CS_FILE_CHECKPOINT
                                   : cs_checkpoint_file_kind(out);
        if (!checkpoint && kind >= 0 && kind != CS_FILE_RUN)
            return cs_cli_fail(
                2,
                "%s: exists and is not a clustersim run file (%s); a run replaces only "
                "an earlier run file (choose another -o, or remove it)",
                out,
                kind == CS_FILE_CHECKPOINT ? "a checkpoint"
                : kind == CS_FILE_HDF5     ? "another HDF5 file, a damaged one, or one in use"
                                           : "not HDF5");
        /* a checkpoint that HDF5 cannot open (truncated, damaged) reads as "another HDF5
         * file": said as both, since resume says "truncated or corrupted?" of the same file */
        if (checkpoint && kind >= 0 && kind != CS_FILE_CHECKPOINT)
            return cs_cli_fail(2,
                               "%s: exists and is not a clustersim checkpoint%s; a run writes "
                               "its checkpoint there and removes it when done (choose another "
                               "--checkpoint, or remove it)",
                               out,
                               kind == CS_FILE_HDF5 ? " this build can read (another HDF5 file, "
                                                      "a truncated or damaged checkpoint, or one "
                                                      "in use)"
                                                    : "");
    }
    return 0;
}

/* p with its directory resolved to an absolute path (the file itself need not exist), into r
 * (PATH_MAX + 256 bytes); 0, or -1 when the directory does not resolve. */
static int abs_file(const char *p, char *r) {
    char dir[PATH_MAX], full[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", p);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? p + (slash - dir) + 1 : p;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    if (!realpath(dir, full)) return -1;
    snprintf(r, PATH_MAX + 256, "%s/%s", strcmp(full, "/") ? full : "", base);
    return 0;
}

/* Whether a and b name the same file (the same text, or the same directory and name). Both are
 * written under the name + ".tmp.PID", so they must differ. */
static int same_file(const char *a, const char *b) {
    if (strcmp(a, b) == 0) return 1;
    char ra[PATH_MAX + 256], rb[PATH_MAX + 256];
    return !abs_file(a, ra) && !abs_file(b, rb) && strcmp(ra, rb) == 0;
}

int cs_run_check_paths(const char *out, const char *checkpoint, const char *verified) {
    int rc = 0;
    if ((checkpoint && same_file(out, checkpoint)) || (verified && same_file(out, verified)))
        rc = cs_cli_fail(2, "%s: the run file and the checkpoint need different names", out);
    if (!rc) rc = check_out_path(out, 0, 0);
    if (!rc && checkpoint)
        rc = check_out_path(checkpoint, 1, verified && same_file(checkpoint, verified));
    /* an interrupted run renames its partial file to OUT.incomplete, over such a checkpoint */
    char inc[PATH_MAX + 16];
    snprintf(inc, sizeof inc, "%s.incomplete", out);
    if (!rc && checkpoint && same_file(inc, checkpoint))
        rc = cs_cli_fail(2, "%s: the checkpoint cannot be named like the partial run file %s",
                         checkpoint, inc);
    return rc;
}

int cs_run_check_stream(const char *json, const char *out, const char *checkpoint) {
    if (same_file(json, out) || (checkpoint && same_file(json, checkpoint)))
        return cs_cli_fail(2, "%s: the live stream needs a name of its own (it is the %s)", json,
                           same_file(json, out) ? "run file" : "checkpoint");
    struct stat st;
    if (stat(json, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
        return 0; /* a pipe is fine */
    /* a stream is lines of JSON objects: it starts with '{' */
    FILE *f = fopen(json, "rb");
    int c = f ? fgetc(f) : EOF;
    if (f) fclose(f);
    if (c != '{')
        return cs_cli_fail(2,
                           "%s: exists and is not a live stream (JSON lines); choose another "
                           "--live-json, or remove it",
                           json);
    return 0;
}

/* p as one shell word, to be pasted into a shell: as it is when it holds only safe characters,
 * else in single quotes (a quote inside as '\''). */
static const char *shell_word(const char *p, char *buf, size_t n) {
    int safe = *p != 0;
    for (const char *c = p; *c && safe; c++)
        safe = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
               strchr("/._-+,:=@%", *c);
    if (safe) return p;
    size_t k = 0;
    if (k + 1 < n) buf[k++] = '\'';
    for (const char *c = p; *c && k + 5 < n; c++) {
        if (*c == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *c;
        }
    }
    if (k + 1 < n) buf[k++] = '\'';
    buf[k] = 0;
    return buf;
}

/* "step N at ISO-time, threads T": one line of the run file's resumed_from attribute. */
static char *resume_lines(const char *earlier, int step) {
    char now[32], line[128];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(line, sizeof line, "step %d at %s, threads %d", step, now, omp_get_max_threads());
    size_t n = strlen(earlier) + strlen(line) + 2;
    char *s = malloc(n);
    if (s) snprintf(s, n, "%s%s%s", earlier, *earlier ? "\n" : "", line);
    return s;
}

static int set_resumed(cs_output *o, char *lines) {
    int n = 1;
    for (const char *c = lines; *c; c++) n += *c == '\n';
    const char **v = malloc((size_t)n * sizeof *v);
    char *copy = strdup(lines);
    int rc = -1;
    if (v && copy) {
        int k = 0;
        for (char *tok = strtok(copy, "\n"); tok && k < n; tok = strtok(NULL, "\n")) v[k++] = tok;
        rc = cs_output_set_resumed(o, v, k);
    }
    free(v);
    free(copy);
    return rc;
}

/* Writes the checkpoint; says where, how big and how long it took unless quiet. */
static int write_checkpoint(const cs_run_job *job, const cs_sim *sim, cs_output *o,
                            const cs_ckpt_meta *meta, char *err, size_t errlen) {
    double t0 = cs_wall_seconds();
    if (cs_checkpoint_write(job->checkpoint, sim, o, meta, err, errlen)) return -1;
    struct stat st;
    if (!job->quiet && stat(job->checkpoint, &st) == 0)
        fprintf(stderr, "checkpoint at step %d: %s (%.1f MiB, %.2f s)\n", sim->step,
                job->checkpoint, (double)st.st_size / 1048576.0, cs_wall_seconds() - t0);
    return 0;
}

/* A run whose economy overflowed (cs_metrics_nonfinite) stops with no run file: its numbers
 * would be inf and NaN in a file marked complete. Exit status 2, as for the setting behind it. */
static int overflowed(const cs_metrics *m, int step, int steps) {
    const char *what = cs_metrics_nonfinite(m);
    if (!what) return 0;
    return cs_cli_fail(2,
                       "step %d of %d: /timeseries/%s is not a finite number: the economy "
                       "overflowed, so a setting lies far outside what the model was built for "
                       "(a money amount, rate or boost near the limits of its range?); no run "
                       "file written",
                       step, steps, what);
}

/* Runs par to its end (or to a stop), fresh (ck NULL) or from the checkpoint ck with meta. */
static int run(const cs_params *par, const cs_run_job *job, const char *out, cs_ckpt *ck,
               cs_ckpt_meta *meta) {
    cs_sim *sim = calloc(1, sizeof *sim);
    cs_metrics *m = calloc(1, sizeof *m);
    cs_output *o = NULL;
    cs_live *live = NULL;
    char *config_text = NULL, *resumed = NULL, err[2048];
    int rc = 0, inited = 0;
    if (!sim || !m) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    if ((rc = cs_run_check_paths(out, job->checkpoint, ck ? cs_checkpoint_path(ck) : NULL)))
        goto done;
    double t0 = cs_wall_seconds();
    inited = 1;
    if ((ck ? cs_sim_init_bare(sim, par) : cs_sim_init(sim, par)) != 0) {
        rc = cs_cli_fail(1, "%s: could not initialise the simulation (out of memory?)", job->path);
        goto done;
    }
    cs_policies_warn_stacking(sim, job->path);
    config_text = cs_config_to_string(&sim->par);
    if (!config_text) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    if (ck && strcmp(config_text, meta->config_text) != 0) {
        rc = cs_cli_fail(2,
                         "%s: the checkpoint's config does not load back to itself "
                         "(another build?)",
                         job->checkpoint);
        goto done;
    }
    if (ck && cs_checkpoint_load_start(ck, sim, err, sizeof err)) {
        rc = cs_cli_fail(2, "%s", err);
        goto done;
    }
    const char *spath = ck ? meta->scenario_path : job->path;
    const char *source = ck ? meta->config_source : job->source;
    o = cs_output_open(out, sim, spath, config_text, source, err, sizeof err);
    if (!o) {
        rc = cs_cli_fail(1, "%s", err);
        goto done;
    }
    const int steps = sim->par.steps;
    if (ck) {
        if (cs_checkpoint_load(ck, sim, o, err, sizeof err)) {
            rc = cs_cli_fail(2, "%s", err);
            goto done;
        }
        resumed = resume_lines(meta->resumed, sim->step);
        if (!resumed || set_resumed(o, resumed)) goto write_failed;
    } else {
        cs_metrics_compute(sim, m);
        if ((rc = overflowed(m, 0, steps))) goto done;
        if (cs_output_step(o, sim, m)) goto write_failed;
    }
    /* the run file's absolute path, so that `resume` without -o writes it where this run
     * would have, from whatever directory it is called */
    char abs_out[PATH_MAX + 256];
    if (abs_file(out, abs_out)) snprintf(abs_out, sizeof abs_out, "%s", out);
    cs_ckpt_meta wmeta = {.scenario_path = (char *)spath,
                          .config_text = config_text,
                          .config_source = (char *)(source ? source : ""),
                          .out_path = abs_out,
                          .resumed = resumed ? resumed : (char *)"",
                          .every = job->checkpoint_every > 0 ? job->checkpoint_every : 0};
    if (job->live && !(live = cs_live_open(job->live, sim))) {
        rc = cs_cli_fail(1, "out of memory");
        goto done;
    }
    /* the live view reads the state only: the run file is the same without it. A reader that
     * went away (a closed pipe) stops the stream, not the run. */
    if (live && !ck) cs_live_step(live, sim, m); /* a resumed run shows its next step first */
    cs_progress prog;
    cs_progress_start(&prog, steps, job->quiet || cs_live_on_terminal(live));
    prog.first = sim->step;      /* a resumed run's rate counts only its own steps */
    int stopped = 0, saved = -1; /* step of the checkpoint this process wrote last */
    /* cs_step advances sim->step at its start: after it, sim->step is the step just finished */
    for (;;) {
        /* a run whose last step is done is complete, whatever stop came with it */
        if (sim->step >= steps) break;
        if (cs_run_stop || (job->stop && sim->step >= job->stop_after)) {
            stopped = 1;
            break;
        }
        cs_step(sim);
        cs_metrics_compute(sim, m);
        if ((rc = overflowed(m, sim->step, steps))) {
            cs_progress_finish(&prog, sim->step);
            /* a checkpoint of this run (written here or resumed from) could only overflow
             * again: the run is deterministic */
            if (job->checkpoint && (saved >= 0 || ck)) remove(job->checkpoint);
            if (ck) {
                char inc[4200];
                snprintf(inc, sizeof inc, "%s.incomplete", out);
                remove(inc);
            }
            goto done;
        }
        if (cs_output_step(o, sim, m)) {
            cs_progress_finish(&prog, sim->step);
            goto write_failed;
        }
        if (live) cs_live_step(live, sim, m);
        cs_progress_update(&prog, sim->step);
        int every = job->checkpoint_every;
        if (job->checkpoint && every > 0 && sim->step % every == 0 && sim->step < steps) {
            cs_progress_clear(&prog); /* its line was run into by "checkpoint at step ..." */
            if (write_checkpoint(job, sim, o, &wmeta, err, sizeof err)) {
                cs_progress_finish(&prog, sim->step);
                rc = cs_cli_fail(1, "%s", err);
                goto done;
            }
            saved = sim->step;
        }
    }
    cs_progress_finish(&prog, sim->step);
    cs_live_restore(live); /* its "end" line waits for the run file's outcome (done:) */
    if (stopped) {
        int at = sim->step;
        /* a signal during a periodic checkpoint finds that step's checkpoint already written */
        int ckrc = job->checkpoint && saved != at
                       ? write_checkpoint(job, sim, o, &wmeta, err, sizeof err)
                       : 0;
        cs_output *oo = o;
        o = NULL;
        int orc = cs_output_close(oo, sim, 0);
        const char *why = cs_run_stop ? "interrupted" : "stopped (--stop-after)";
        if (ckrc)
            rc = cs_cli_fail(1, "%s at step %d of %d; could not write the checkpoint: %s", why, at,
                             steps, err);
        else if (job->checkpoint) {
            char q[3 * PATH_MAX];
            rc = cs_cli_fail(1,
                             "%s at step %d of %d; checkpoint in %s; continue with: "
                             "clustersim resume %s",
                             why, at, steps, job->checkpoint,
                             shell_word(job->checkpoint, q, sizeof q));
        } else if (orc)
            rc = cs_cli_fail(1, "%s at step %d of %d; could not save partial output: %s", why, at,
                             steps, cs_output_error());
        else
            rc = cs_cli_fail(1, "%s at step %d of %d; partial output in %s.incomplete", why, at,
                             steps, out);
        goto done;
    }
    cs_output *oo = o;
    o = NULL;
    if (cs_output_close(oo, sim, 1)) {
        rc = cs_cli_fail(1, "%s", cs_output_error());
        goto done;
    }
    /* the run file is complete: what an interruption left is obsolete; a file at the
     * checkpoint's name that this run neither wrote nor resumed from is not its to remove */
    if (job->checkpoint && (saved >= 0 || ck)) remove(job->checkpoint);
    if (ck) {
        char inc[4200];
        snprintf(inc, sizeof inc, "%s.incomplete", out);
        remove(inc);
    }
    if (!job->quiet && prog.first > 0) /* resumed: this process ran the rest only */
        printf("wrote %s (%d steps, of which %d from step %d, %.1f s)\n", out, steps,
               steps - prog.first, prog.first + 1, cs_wall_seconds() - t0);
    else if (!job->quiet)
        printf("wrote %s (%d steps, %.1f s)\n", out, steps, cs_wall_seconds() - t0);
    goto done;

write_failed:
    rc = cs_cli_fail(1, "%s: %s", out, cs_output_error());
done:
    cs_live_close(live, sim, rc == 0); /* complete only with the run file written */
    if (o) cs_output_abort(o);
    if (inited) cs_sim_free(sim);
    free(config_text);
    free(resumed);
    free(sim);
    free(m);
    return rc;
}

/* One resume at a time per checkpoint. Two resumes of one checkpoint (a job requeued while the
 * first still runs, a command typed twice) would both write it and the run file. A resume
 * holds an exclusive flock on CKPT.lock beside the checkpoint for its whole length (the
 * checkpoint itself is replaced at every write, and HDF5 flocks the files it opens), and
 * removes it at the end. A crash leaves the file unlocked, so the next resume takes it. A
 * fresh run takes no lock: it would add a file beside every run. */
static int ckpt_lock = -1;
static char ckpt_lock_path[PATH_MAX + 8];

/* 0: held (or no lock possible there: a read-only folder, a file system without locks, as
 * before locks); -1: another process holds it. */
static int hold_checkpoint(const char *ckpt) {
    char p[sizeof ckpt_lock_path];
    if (snprintf(p, sizeof p, "%s.lock", ckpt) >= (int)sizeof p) return 0;
    /* The holder removes the file as it ends: a lock taken on the file just removed (opened
     * before the removal, locked after the close) holds nothing, since the next run creates
     * and locks a new file. So the lock counts only if the name still leads to the file
     * locked; else try again on the new one. */
    for (int tries = 0; tries < 16; tries++) {
        int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) return 0;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int busy = errno == EWOULDBLOCK;
            close(fd);
            return busy ? -1 : 0;
        }
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(p, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            ckpt_lock = fd;
            memcpy(ckpt_lock_path, p, sizeof p);
            return 0;
        }
        close(fd);
    }
    return -1; /* the lock file replaced again and again: runs are coming and going */
}

static void release_checkpoint(void) {
    if (ckpt_lock < 0) return;
    unlink(ckpt_lock_path); /* while still held: no other run can have taken this one */
    close(ckpt_lock);
    ckpt_lock = -1;
}

static int checkpoint_busy(const char *ckpt, const char *held) {
    return cs_cli_fail(2,
                       "%s is in use by another run resuming it (%s.lock is held): wait for "
                       "that run to end",
                       ckpt, held);
}

/* A checkpoint reached through a symbolic link is the file it leads to: locked under that
 * file's name, as a resume of it by its own name locks it, and written there (a rename onto
 * the link would replace the link, leaving the file it led to behind). Followed link by link,
 * so that a link to a file not there yet (a first run, or one after a resume removed the
 * checkpoint) leads to that file too. p itself when it is no link. r: PATH_MAX bytes. */
static const char *through_link(const char *p, char *r) {
    char cur[PATH_MAX], to[PATH_MAX];
    struct stat st;
    int hops = 0;
    snprintf(cur, sizeof cur, "%s", p);
    for (; hops < 16 && lstat(cur, &st) == 0 && S_ISLNK(st.st_mode); hops++) {
        ssize_t n = readlink(cur, to, sizeof to - 1);
        if (n <= 0) break;
        to[n] = 0;
        char *slash = strrchr(cur, '/');
        if (to[0] == '/' || !slash) { /* absolute, or relative to the working directory */
            memcpy(cur, to, (size_t)n + 1);
        } else { /* relative to the link's own directory */
            const size_t dl = (size_t)(slash - cur) + 1;
            if (dl + (size_t)n >= sizeof cur) break;
            memcpy(cur + dl, to, (size_t)n + 1);
        }
    }
    if (!hops) return p;
    if (!realpath(cur, r)) memcpy(r, cur, strlen(cur) + 1); /* absolute where it exists */
    return r;
}

static int resume_held(const char *ckpt, const cs_run_job *job);

int cs_run_resume(const char *typed, const cs_run_job *job) {
    char real[PATH_MAX];
    const char *ckpt = through_link(typed, real);
    if (hold_checkpoint(ckpt) != 0) return checkpoint_busy(typed, ckpt);
    cs_run_job j = *job;
    if (j.checkpoint && strcmp(j.checkpoint, typed) == 0) j.checkpoint = ckpt;
    int rc = resume_held(ckpt, &j);
    release_checkpoint();
    return rc;
}

static int resume_held(const char *ckpt, const cs_run_job *job) {
    cs_params *par = malloc(sizeof *par);
    if (!par) return cs_cli_fail(1, "out of memory");
    cs_ckpt_meta meta;
    char err[2048];
    cs_ckpt *ck = cs_checkpoint_open(ckpt, par, &meta, err, sizeof err);
    if (!ck) {
        free(par);
        return cs_cli_fail(2, "%s", err);
    }
    cs_run_job j = *job;
    j.path = meta.scenario_path;
    j.source = meta.config_source;
    if (!j.checkpoint) j.checkpoint = ckpt;
    if (j.checkpoint_every < 0) j.checkpoint_every = meta.every;
    const char *out = job->out ? job->out : meta.out_path;
    int rc = 0;
    /* the interrupted run left OUT.incomplete; a complete file at OUT written after the
     * checkpoint came from a later run (the same one rerun to its end, say), and resuming the
     * old state would replace it unasked. One from before (a run that completed, then was run
     * again and interrupted) is what the resume is meant to replace. */
    struct stat so, sc;
    if (!job->out && stat(out, &so) == 0 && stat(ckpt, &sc) == 0 &&
        (so.st_mtim.tv_sec > sc.st_mtim.tv_sec ||
         (so.st_mtim.tv_sec == sc.st_mtim.tv_sec && so.st_mtim.tv_nsec > sc.st_mtim.tv_nsec)))
        rc = cs_cli_fail(2,
                         "%s was written after this checkpoint (by a later run?); resuming would "
                         "replace it: give -o another name, or remove it first",
                         out);
    if (!rc) rc = run(par, &j, out, ck, &meta);
    cs_checkpoint_close(ck);
    cs_checkpoint_meta_free(&meta);
    free(par);
    return rc;
}

static int run_or_resume(const cs_params *par, const cs_run_job *job);

int cs_run_scenario(const cs_params *par, const cs_run_job *job) {
    char real[PATH_MAX];
    cs_run_job j = *job;
    if (j.checkpoint) j.checkpoint = through_link(job->checkpoint, real);
    if (!(job->resume && job->checkpoint)) return run(par, &j, job->out, NULL, NULL);
    /* the lock before the look at the checkpoint: a resume of it that ends meanwhile removes
     * it, and this run then starts afresh instead of failing to open it */
    if (hold_checkpoint(j.checkpoint) != 0) return checkpoint_busy(job->checkpoint, j.checkpoint);
    int rc = run_or_resume(par, &j);
    release_checkpoint();
    return rc;
}

/* cs_run_scenario with --resume, the checkpoint's lock held */
static int run_or_resume(const cs_params *par, const cs_run_job *job) {
    /* a file there that is no checkpoint at all is refused by the path checks, not removed */
    if (access(job->checkpoint, F_OK) == 0 &&
        cs_checkpoint_file_kind(job->checkpoint) == CS_FILE_CHECKPOINT) {
        /* a resubmitted sweep: continue the run only if the checkpoint holds this very config */
        cs_params *cpar = malloc(sizeof *cpar);
        char *text = cs_config_to_string(par);
        cs_ckpt_meta meta;
        char err[2048];
        const int oom = !cpar || !text;
        cs_ckpt *ck =
            oom ? NULL : cs_checkpoint_open(job->checkpoint, cpar, &meta, err, sizeof err);
        int same = ck && strcmp(text, meta.config_text) == 0;
        if (ck) cs_checkpoint_close(ck), cs_checkpoint_meta_free(&meta);
        free(cpar);
        free(text);
        if (oom) return cs_cli_fail(1, "out of memory");
        /* one this build cannot read (another build or format, damaged) would stop the run at
         * every resubmission: say how to go on */
        if (!ck)
            return cs_cli_fail(2, "%s; remove %s to start this run afresh", err, job->checkpoint);
        if (!same)
            return cs_cli_fail(2,
                               "%s: checkpoint of another configuration; remove it to start "
                               "this run afresh",
                               job->checkpoint);
        cs_run_job j = *job;
        j.resume = 0;
        if (j.checkpoint_every <= 0) j.checkpoint_every = -1; /* the interval it recorded */
        return resume_held(job->checkpoint, &j);
    }
    /* no checkpoint: a fresh run, which takes no lock (it would leave a file beside every run
     * a crash ends) */
    release_checkpoint();
    return run(par, job, job->out, NULL, NULL);
}
