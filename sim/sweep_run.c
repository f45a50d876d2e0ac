/* sweep_run.c: what every sweep mode shares (see sweep_sched.h): the sweep directory, starting
 * one run as a child process and recording how it ended. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "output.h"
#include "sweep_sched.h"

/* mkdir -p of the directory part of path (or of path itself when whole = 1). */
static int mkdirs(const char *path, int whole) {
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    if (!whole) {
        char *s = strrchr(buf, '/');
        if (!s) return 0;
        *s = 0;
    }
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
            *p = c;
            if (!c) break;
        }
    }
    return 0;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[8192];
    size_t got;
    while (m && (got = fread(chunk, 1, sizeof chunk, f)) > 0) fwrite(chunk, 1, got, m);
    fclose(f);
    if (m) fclose(m);
    return buf;
}

/* Writes text to path atomically (temporary name with the pid, then rename). */
static int write_atomic(const char *path, const char *text) {
    char tmp[PATH_MAX + 128];
    /* the host too: shards on two nodes of a shared file system can have the same pid */
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(tmp, sizeof tmp, "%s.tmp.%s.%ld", path, host, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return -1;
    int bad = fputs(text, f) < 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* Scenario i's config as its runs are checked, from the file at path (the scenario, or DIR's
 * copy of it): loaded with the overrides of the scenario's first run (the sweep's `set`
 * entries, its varied values, its seed: a combination the sweep checked loads), as resolved
 * text (malloc'd); NULL if it does not load or out of memory. */
static char *scenario_text(const cs_sweep *sw, int i, const char *path) {
    int r = 0;
    while (r < sw->nrun && sw->runs[r].scen != i) r++;
    char **sets = NULL, err[2048];
    int n = r < sw->nrun ? cs_sweep_run_sets(sw, r, &sets) : 0;
    cs_params *par = malloc(sizeof *par);
    char *text = NULL;
    if (par && n >= 0 && cs_config_load(par, path, n, sets, NULL, err, sizeof err) == 0)
        text = cs_config_to_string(par);
    cs_sweep_free_sets(sets, n);
    free(par);
    return text;
}

/* Whether scenario i now differs from the copy the sweep took of it (DIR/scenarios/N.cfg):
 * edited, or its base, or a preset name now finding another file, or this build's defaults
 * differ. Both are resolved by this build, so a key a newer build added is no difference. A
 * directory without copies (an older sweep) is not checked; one whose copy was removed while
 * its N.path stayed is (2: nothing says what the runs there were run with). */
static int scenario_differs(const cs_sweep *sw, const char *dir, int i) {
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/scenarios/%d.cfg", dir, i + 1);
    if (!cs_cli_is_file(p)) {
        snprintf(p, sizeof p, "%s/scenarios/%d.path", dir, i + 1);
        return cs_cli_is_file(p) ? 2 : 0;
    }
    if (strcmp(p, sw->scen[i].path) == 0) return 0;
    char *then = scenario_text(sw, i, p), *now = scenario_text(sw, i, sw->scen[i].path);
    int differ = !then || !now || strcmp(then, now) != 0;
    free(then);
    free(now);
    return differ;
}

/* DIR/scenarios/N.cfg: each scenario resolved into one standalone text (defaults, bases, file)
 * and N.path, the file it came from, so that `--collect DIR` needs neither the scenario files
 * nor their bases where they were, nor their state now, and a rerun can tell an edit. */
static int write_scenarios(const cs_sweep *sw, const char *dir) {
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/scenarios", dir);
    if (mkdir(p, 0777) != 0 && errno != EEXIST) return -1;
    int rc = 0;
    for (int i = 0; i < sw->nscen && !rc; i++) {
        char *text = scenario_text(sw, i, sw->scen[i].path);
        snprintf(p, sizeof p, "%s/scenarios/%d.cfg", dir, i + 1);
        rc = !text || write_atomic(p, text) ? -1 : 0;
        free(text);
        snprintf(p, sizeof p, "%s/scenarios/%d.path", dir, i + 1);
        if (!rc) rc = write_atomic(p, sw->scen[i].file) ? -1 : 0;
    }
    return rc;
}

/* The non-empty lines of text, split in place (newlines become NULs) and sorted; *n set. NULL
 * when out of memory. */
static char **sorted_lines(char *text, size_t *n) {
    size_t cap = 1;
    for (const char *c = text; *c; c++) cap += *c == '\n';
    char **v = malloc(cap * sizeof *v), *save = NULL;
    if (!v) return NULL;
    *n = 0;
    for (char *s = strtok_r(text, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) v[(*n)++] = s;
    qsort(v, *n, sizeof *v, cs_cmp_str);
    return v;
}

/* The first run line of plan `old` (in sorted order) that plan `now` lacks, copied into buf, or
 * "" when every one is there (`now` only adds runs); "?" when out of memory. Returns buf. */
static const char *first_missing(const char *old, const char *now, char *buf, size_t len) {
    char *a = strdup(old), *b = strdup(now);
    size_t na = 0, nb = 0;
    char **va = a ? sorted_lines(a, &na) : NULL, **vb = b ? sorted_lines(b, &nb) : NULL;
    snprintf(buf, len, "%s", va && vb ? "" : "?");
    for (size_t i = 0, j = 0; va && vb && i < na; i++) {
        while (j < nb && strcmp(vb[j], va[i]) < 0) j++;
        if (j == nb || strcmp(vb[j], va[i]) != 0) {
            snprintf(buf, len, "%s", va[i]);
            break;
        }
    }
    free(va), free(vb), free(a), free(b);
    return buf;
}

/* For folder_busy: 1 when a process holds a lock on path, a sweep's status/<who>.lock (flock)
 * or the runs' claims, runs.lock (fcntl byte ranges). */
static int locked(const char *path, const char *name, void *arg) {
    (void)arg;
    int fd = open(path, O_RDWR | O_CLOEXEC), busy = 0;
    if (fd < 0) return 0;
    if (strcmp(name, "runs.lock") == 0) {
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        busy = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    } else if (flock(fd, LOCK_EX | LOCK_NB) != 0)
        busy = errno == EWOULDBLOCK;
    close(fd); /* drops the test lock, if taken */
    return busy;
}

/* 1 when a process holds a lock in DIR/status: a sweep or a run. */
static int folder_busy(const char *dir) {
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/status", dir);
    return cs_sweep_each_entry(p, "", ".lock", locked, NULL);
}

static int remove_path(const char *path, const char *name, void *arg) {
    (void)name, (void)arg;
    unlink(path);
    return 0;
}

/* Removes the shards' done markers (status/shard-I-of-N.done): runs were added, so no shard
 * has done all of its own. */
static void remove_done_markers(const char *dir) {
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/status", dir);
    cs_sweep_each_entry(p, "shard-", ".done", remove_path, NULL);
}

static int dir_status(int err) {
    return err == ENOSPC || err == EIO || err == ENOMEM || err == EDQUOT ? 1 : 2;
}

/* The refusal of a folder whose plan has run `missing` (a plan line), which sw lacks. */
static int different_sweep(const cs_sweep *sw, const char *dir, char *missing) {
    for (char *t = missing; *t; t++)
        if (*t == '\t') *t = ' ';
    return cs_cli_fail(2,
                       "%s was made by a different sweep: its run '%s' (id, scenario, "
                       "overrides) is not among the runs of %s, which can only add runs "
                       "to it (more seeds or values); use another -o DIR",
                       dir, missing, sw->file);
}

/* The refusal of a folder whose copy of scenario i differs from sw's (how: scenario_differs):
 * runs of one sweep share their scenario's config, and a second config would be mixed in. */
static int scenario_changed(const cs_sweep *sw, const char *dir, int i, int how) {
    if (how == 2)
        return cs_cli_fail(2,
                           "%s: %s/scenarios/%d.cfg, the copy of scenario %s taken when this "
                           "sweep started, is missing, so nothing shows what its runs there were "
                           "run with: restore it, or use another -o DIR",
                           dir, dir, i + 1, sw->scen[i].arg);
    return cs_cli_fail(2,
                       "%s: scenario %s (%s) has changed since this sweep started (its resolved "
                       "config, with this build's defaults, differs from %s/scenarios/%d.cfg): "
                       "restore it, or use another -o DIR",
                       dir, sw->scen[i].arg, sw->scen[i].path, dir, i + 1);
}

int cs_sweep_check_dir(const cs_sweep *sw, const char *dir) {
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/plan.txt", dir);
    char *old = slurp(p);
    if (!old) return 0;
    char *plan = cs_sweep_plan(sw);
    int rc = plan ? 0 : cs_cli_fail(1, "out of memory");
    char missing[1024] = "";
    if (!rc && strcmp(old, plan) != 0 && *first_missing(old, plan, missing, sizeof missing))
        rc = different_sweep(sw, dir, missing);
    for (int i = 0; !rc && i < sw->nscen; i++) {
        const int how = scenario_differs(sw, dir, i);
        if (how) rc = scenario_changed(sw, dir, i, how);
    }
    free(old);
    free(plan);
    return rc;
}

/* 1 when dir is a sweep's folder: its sweep.cfg or plan.txt is there. */
static int sweep_folder(const char *dir) {
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/sweep.cfg", dir);
    if (access(p, F_OK) == 0) return 1;
    snprintf(p, sizeof p, "%s/plan.txt", dir);
    return access(p, F_OK) == 0;
}

/* 1 when the directory holds an entry other than . and .. (name: the first). */
static int holds_entries(const char *dir, char *name, size_t n) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(name, n, "%s", e->d_name);
            found = 1;
        }
    closedir(d);
    return found;
}

/* An existing folder that is not a sweep's and holds something the sweep would write over or
 * among (a user's files, a copy of the repository): 1, with that entry's name. A new or empty
 * folder is fine, and so is one that another shard of the same sweep is setting up now: it
 * makes runs/, logs/ and status/ (empty until plan.txt is there) and writes sweep.cfg, through
 * a temporary file, before anything else, so whatever else is found means sweep.cfg is there
 * when looked for again. */
static int foreign_folder(const char *dir, char *name, size_t n) {
    DIR *d = opendir(dir);
    if (!d || sweep_folder(dir)) {
        if (d) closedir(d);
        return 0;
    }
    static const char *const own[] = {"runs", "logs", "status"};
    struct dirent *e;
    int found = 0;
    while (!found && (e = readdir(d))) {
        const char *f = e->d_name;
        if (strcmp(f, ".") == 0 || strcmp(f, "..") == 0 || strncmp(f, "sweep.cfg.tmp.", 14) == 0)
            continue;
        int k = 0;
        while (k < 3 && strcmp(f, own[k]) != 0) k++;
        char sub[PATH_MAX + 256], inner[256];
        snprintf(sub, sizeof sub, "%s/%s", dir, f);
        if (k == 3) {
            snprintf(name, n, "%s", f);
            found = 1;
        } else if (holds_entries(sub, inner, sizeof inner)) {
            snprintf(name, n, "%s/%s", f, inner);
            found = 1;
        }
    }
    closedir(d);
    return found && !sweep_folder(dir);
}

int cs_sweep_prepare_dir(const cs_sweep *sw, const char *dir) {
    char p[PATH_MAX];
    char foreign[512];
    /* a folder the sweep cannot write (read-only, another user's) is the user's to fix, as
     * for `run -o` (2); it failed later, at the lock, with status 1 */
    if (!sw->collecting && access(dir, F_OK) == 0 && access(dir, W_OK) != 0)
        return cs_cli_fail(2, "%s: the sweep's folder is not writable (%s)", dir, strerror(errno));
    struct stat dst;
    if (!sw->collecting && stat(dir, &dst) == 0 && !S_ISDIR(dst.st_mode))
        return cs_cli_fail(2,
                           "%s: is a file, not a folder: give a new or empty folder for the "
                           "sweep's output",
                           dir);
    if (!sw->collecting && foreign_folder(dir, foreign, sizeof foreign))
        return cs_cli_fail(2,
                           "%s: holds %s but is not a sweep's folder (no sweep.cfg): give a new "
                           "or empty folder for the sweep's output",
                           dir, foreign);
    /* a path the user gave that cannot be a directory is bad input (2); a full or failing
     * disk is not (1) */
    if (mkdirs(dir, 1) != 0)
        return cs_cli_fail(dir_status(errno), "%s: cannot create directory: %s", dir,
                           strerror(errno));
    static const char *const subs[] = {"runs", "logs", "status"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, subs[i]);
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return cs_cli_fail(dir_status(errno), "%s: cannot create directory: %s", p,
                               strerror(errno));
    }
    char *plan = cs_sweep_plan(sw);
    if (!plan) return cs_cli_fail(1, "out of memory");
    snprintf(p, sizeof p, "%s/plan.txt", dir);
    char *old = slurp(p);
    int rc = 0;
    int changed = 0;
    char missing[1024] = "";
    int extend = 0;
    /* runs first: a sweep file whose runs differ (another `set`, say) changes the scenarios'
     * resolved configs too, and "scenario changed" would blame a file nobody edited */
    if (old && strcmp(old, plan) != 0) {
        /* a sweep file that keeps every run of the folder (id, scenario, overrides) and adds
         * others (more seeds, another value) extends it, when nothing runs there: the runs'
         * numbers, by which runs are claimed and shards formed, change */
        if (!*first_missing(old, plan, missing, sizeof missing)) {
            /* every run kept and none added: the same runs listed in another order (values
             * or seeds reordered), which renumbers them too */
            char added[1024];
            size_t nold = 0, nnow = 0;
            for (const char *t = old; *t; t++) nold += *t == '\n';
            for (const char *t = plan; *t; t++) nnow += *t == '\n';
            extend = *first_missing(plan, old, added, sizeof added) || nold != nnow ? 1 : 2;
            if (folder_busy(dir))
                rc = cs_cli_fail(2,
                                 "%s %s the sweep in %s, which a sweep or run is using now: run "
                                 "this once nothing runs there",
                                 sw->file, extend == 1 ? "adds runs to" : "reorders the runs of",
                                 dir);
        } else {
            rc = different_sweep(sw, dir, missing);
        }
    }
    int how = 0;
    for (int i = 0; old && !rc && !changed && i < sw->nscen; i++) {
        how = scenario_differs(sw, dir, i);
        if (how == 2 && sw->collecting) /* reading mixes nothing: said, not refused */
            fprintf(stderr,
                    "clustersim: warning: %s/scenarios/%d.cfg, the copy of scenario %s taken "
                    "when the sweep started, is missing: its runs are collected without it\n",
                    dir, i + 1, sw->scen[i].arg);
        else if (how)
            changed = i + 1;
    }
    if (rc) {
        /* refused above */
    } else if (changed) {
        rc = scenario_changed(sw, dir, changed - 1, how);
    } else if (!old || extend) {
        char q[PATH_MAX], cwd[PATH_MAX], *real = realpath(sw->file, NULL);
        snprintf(q, sizeof q, "%s/sweep.cfg", dir);
        char origin[3 * PATH_MAX];
        snprintf(origin, sizeof origin, "%s\n%s\n", real ? real : sw->file,
                 getcwd(cwd, sizeof cwd) ? cwd : ".");
        free(real);
        char r[PATH_MAX];
        snprintf(r, sizeof r, "%s/origin.txt", dir);
        if (extend) remove_done_markers(dir);
        /* the plan last: its presence says the directory is complete */
        if (write_atomic(q, sw->text) || write_atomic(r, origin) || write_scenarios(sw, dir) ||
            write_atomic(p, plan))
            rc = cs_cli_fail(1, "%s: cannot write: %s", dir, strerror(errno));
        else if (extend)
            fprintf(stderr, "clustersim: note: %s: %s %s; its finished runs are kept\n", dir,
                    sw->file,
                    extend == 1 ? "adds runs to this folder's sweep"
                                : "lists this folder's runs in another order, adding none");
    } else {
        /* the same runs from a sweep file edited since (its name, threads, a comment): the
         * folder keeps the newest, so that sweep.h5 says the same whoever writes it (a run, or
         * --collect from the folder's copy) */
        char q[PATH_MAX];
        snprintf(q, sizeof q, "%s/sweep.cfg", dir);
        char *stored = slurp(q);
        if ((!stored || strcmp(stored, sw->text) != 0) && write_atomic(q, sw->text))
            rc = cs_cli_fail(1, "%s: cannot write: %s", q, strerror(errno));
        free(stored);
    }
    free(old);
    free(plan);
    return rc;
}

int cs_sweep_run_state(const cs_sweep *sw, int r, const char *dir, char *why, size_t n) {
    char rel[PATH_MAX], p[2 * PATH_MAX], dummy[8];
    if (!why) why = dummy, n = sizeof dummy;
    why[0] = 0;
    cs_sweep_run_rel(sw, r, rel, sizeof rel);
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    if (!cs_cli_is_file(p)) return 0;
    static const unsigned char hdf5_sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t got = read(fd, head, sizeof head);
    close(fd);
    if (got == 0) { /* a run writes over it (cs_sweep_run_done): no need to remove it */
        snprintf(why, n, "run file is empty: the next run of the sweep writes it");
        return -1;
    }
    if (got != (ssize_t)sizeof head || memcmp(head, hdf5_sig, sizeof head) != 0) {
        snprintf(why, n, "run file is not an HDF5 file (foreign: remove it to run the run again)");
        return -1;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* a damaged file is said here, once */
    hid_t f = H5Fopen(p, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        snprintf(why, n,
                 "run file unreadable (truncated or damaged: remove it to run the run again)");
        return -1;
    }
    char *format = cs_h5_attr_text(f, "format"), *scen = cs_h5_attr_text(f, "scenario");
    const long long complete = cs_h5_attr_int(f, "complete", 0),
                    seed = cs_h5_attr_int(f, "seed", -1);
    H5Fclose(f);
    const cs_sweep_run *run = &sw->runs[r];
    /* the run's name: its scenario's, or the value of a varied `name` */
    const char *want = sw->scen[run->scen].name;
    for (int k = 0; k < sw->nkeys; k++)
        if (run->vi[k] >= 0 && strcmp(sw->keys[k].key, "name") == 0 &&
            sw->keys[k].v[run->vi[k]].str)
            want = sw->keys[k].v[run->vi[k]].str;
    int state = -1;
    if (!format || strcmp(format, CS_FORMAT_NAME) != 0)
        snprintf(why, n, "run file is a %s file, not a run file (remove it to run the run again)",
                 format ? format : "foreign");
    else if (complete != 1)
        snprintf(why, n, "run file is of a run left incomplete");
    else if (!scen || strcmp(scen, want) != 0 || seed != (long long)run->seed)
        snprintf(why, n,
                 "run file is another run's (scenario %s, seed %lld; this run is %s, seed "
                 "%lld)",
                 scen ? scen : "unknown", seed, want, (long long)run->seed);
    else
        state = 1;
    free(format);
    free(scen);
    return state;
}

int cs_sweep_run_done(const cs_sweep *sw, int r, const char *dir) {
    return cs_sweep_run_state(sw, r, dir, NULL, 0) == 1;
}

int cs_sweep_run_checkpointed(const cs_sweep *sw, int r, const char *dir) {
    char rel[PATH_MAX], p[2 * PATH_MAX + 16];
    cs_sweep_run_rel(sw, r, rel, sizeof rel);
    snprintf(p, sizeof p, "%s/%s.ckpt.h5", dir, rel);
    return access(p, F_OK) == 0;
}

void cs_sweep_print_resumed(const cs_sweep *sw, const int *todo, int ntodo, const char *dir) {
    int k = 0;
    for (int i = 0; i < ntodo; i++) k += cs_sweep_run_checkpointed(sw, todo[i], dir);
    if (k)
        printf(", %d of them from %s checkpoint%s", k, k == 1 ? "its" : "their", k == 1 ? "" : "s");
}

static void log_path(const cs_sweep *sw, int r, const char *dir, char *buf, size_t n) {
    snprintf(buf, n, "%s/logs/%s.log", dir, sw->runs[r].id);
}

static int claim_in_child(const char *dir, int claims, int r);

int cs_sweep_each_entry(const char *folder, const char *prefix, const char *suffix,
                        int (*fn)(const char *path, const char *name, void *arg), void *arg) {
    DIR *d = opendir(folder);
    if (!d) return 0;
    const size_t np = strlen(prefix), ns = strlen(suffix);
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        const size_t n = strlen(e->d_name);
        if (n <= np + ns || strncmp(e->d_name, prefix, np) != 0 ||
            strcmp(e->d_name + n - ns, suffix) != 0)
            continue;
        char path[2 * PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        rc = fn(path, e->d_name, arg);
    }
    closedir(d);
    return rc;
}

/* For remove_stale_temps: removes path when what follows the prefix arg is a pid. */
static int remove_if_pid(const char *path, const char *name, void *arg) {
    const char *pid = name + strlen((const char *)arg);
    if (strspn(pid, "0123456789") == strlen(pid)) unlink(path);
    return 0;
}

/* Removes what earlier attempts of the run writing `out` left when killed outright (a node
 * failure, mpirun ending a farm): OUT.tmp.PID and OUT.ckpt.h5.tmp.PID. The caller holds the
 * run's claim, so no live process of this build writes them; nothing reads them. */
static void remove_stale_temps(const char *out) {
    const char *slash = strrchr(out, '/');
    char folder[2 * PATH_MAX];
    snprintf(folder, sizeof folder, "%.*s", slash ? (int)(slash - out) : 1, slash ? out : ".");
    const char *base = slash ? slash + 1 : out;
    char pre[2][2 * PATH_MAX + 16];
    snprintf(pre[0], sizeof pre[0], "%s.tmp.", base);
    snprintf(pre[1], sizeof pre[1], "%s.ckpt.h5.tmp.", base);
    for (int k = 0; k < 2; k++) cs_sweep_each_entry(folder, pre[k], "", remove_if_pid, pre[k]);
}

pid_t cs_sweep_spawn(const cs_sweep *sw, int r, const char *dir, int threads, int claims,
                     char *reason, size_t n) {
    char exe[PATH_MAX], out[2 * PATH_MAX], rel[PATH_MAX], logp[2 * PATH_MAX], th[32];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        snprintf(reason, n, "cannot find the clustersim executable: %s", strerror(errno));
        return -1;
    }
    exe[len] = 0;
    /* a scenario edited while the sweep runs would give this run another config than its
     * siblings: checked at each start, not only when the sweep starts */
    const int sc = sw->runs[r].scen;
    const int how = scenario_differs(sw, dir, sc);
    if (how) {
        snprintf(reason, n,
                 how == 2 ? "scenario %s: its copy %s/scenarios/%d.cfg, taken when the sweep "
                            "started, is missing: restore it, or use another -o DIR"
                          : "scenario %s changed since the sweep started (its config differs "
                            "from %s/scenarios/%d.cfg): restore it, or use another -o DIR",
                 sw->scen[sc].arg, dir, sc + 1);
        return -1;
    }
    cs_sweep_run_rel(sw, r, rel, sizeof rel);
    snprintf(out, sizeof out, "%s/%s", dir, rel);
    log_path(sw, r, dir, logp, sizeof logp);
    if (mkdirs(out, 0) || mkdirs(logp, 0)) {
        snprintf(reason, n, "cannot create the run's directory: %s", strerror(errno));
        return -1;
    }
    remove_stale_temps(out);
    char **sets = NULL;
    int nset = cs_sweep_run_sets(sw, r, &sets);
    char **argv = nset < 0 ? NULL : calloc((size_t)(2 * nset + 16), sizeof *argv);
    if (!argv) {
        cs_sweep_free_sets(sets, nset);
        snprintf(reason, n, "out of memory");
        return -1;
    }
    snprintf(th, sizeof th, "%d", threads > 0 ? threads : 1);
    /* a run stopped earlier (SIGTERM before a time limit, or its periodic checkpoint before a
     * crash) left OUT.ckpt.h5: --resume continues it rather than start again (docs/hpc.md),
     * and refuses a checkpoint of another config (a file copied or left by another sweep) */
    char ckpt[2 * PATH_MAX + 16], every[32];
    snprintf(ckpt, sizeof ckpt, "%s.ckpt.h5", out);
    snprintf(every, sizeof every, "%d", sw->checkpoint_every);
    int a = 0;
    argv[a++] = exe;
    argv[a++] = "run";
    argv[a++] = sw->scen[sw->runs[r].scen].path;
    argv[a++] = "-o";
    argv[a++] = out;
    argv[a++] = "--checkpoint";
    argv[a++] = ckpt;
    argv[a++] = "--resume";
    for (int i = 0; i < nset; i++) {
        argv[a++] = "--set";
        argv[a++] = sets[i];
    }
    argv[a++] = "--quiet";
    argv[a++] = "--threads";
    argv[a++] = th;
    if (sw->checkpoint_every > 0) {
        argv[a++] = "--checkpoint-every";
        argv[a++] = every;
    }
    argv[a] = NULL;
    fflush(NULL);
    const pid_t parent = getpid();
    /* the sweep's handlers are not the child's: a SIGTERM before exec (the sweep's death, or
     * its forwarding of a Ctrl-C) must end it, not set the sweep's flag in the child's copy and
     * be lost while the run goes on. Blocked across the fork, such a signal waits until the
     * child has the default handlers (the run installs its own). */
    sigset_t stops, mask;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGHUP);
    sigprocmask(SIG_BLOCK, &stops, &mask);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        /* the sweep's handler off; ignored (a sweep under nohup) stays ignored for the run */
        struct sigaction hup;
        if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
            signal(SIGHUP, SIG_DFL);
        sigprocmask(SIG_SETMASK, &mask, NULL);
        /* the run's own claim while the sweep, alive, still holds its byte: no gap for
         * another sweep. Checked alive only after: a sweep dead before the claim may have let
         * another start the run, so this child then leaves it. */
        int claim_err = claim_in_child(dir, claims, r);
        /* a sweep killed outright (SIGKILL, an OOM killer) stops its runs as SIGTERM does: each
         * writes its checkpoint, which a resubmission resumes, instead of running on unseen */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(1); /* it died before the claim or prctl */
        int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0) dup2(nul, 0);
        if (claim_err)
            fprintf(stderr,
                    "clustersim: warning: %s/status/runs.lock: the run's own claim failed (%s): "
                    "if its sweep is killed, another sweep of the folder could start it while "
                    "it stops\n",
                    dir, strerror(claim_err));
        /* the sweep's own binary, even if a rebuild has since replaced the file at its path
         * (then named "PATH (deleted)"): one sweep, one build */
        execv("/proc/self/exe", argv);
        fprintf(stderr, "clustersim: error: cannot execute %s: %s\n", exe, strerror(errno));
        _exit(127);
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
    if (pid < 0) snprintf(reason, n, "cannot start a process: %s", strerror(errno));
    cs_sweep_free_sets(sets, nset);
    free(argv);
    return pid;
}

/* Free space under which a failed run's empty log is put down to the disk (bytes): a run file
 * at the default scale is about 1 MB and its checkpoint a few. */
#define LOW_DISK (64.0 * 1024 * 1024)

int cs_sweep_outcome(const cs_sweep *sw, int r, const char *dir, pid_t pid, int wstatus,
                     char *reason, size_t n) {
    char logp[2 * PATH_MAX], rel[PATH_MAX], p[3 * PATH_MAX];
    log_path(sw, r, dir, logp, sizeof logp);
    cs_sweep_run_rel(sw, r, rel, sizeof rel);
    /* what a run writes besides its file: OUT.tmp.PID while running, and OUT.ckpt.h5.tmp.PID
     * while it checkpoints (left by kill -9) */
    snprintf(p, sizeof p, "%s/%s.tmp.%ld", dir, rel, (long)pid);
    remove(p);
    snprintf(p, sizeof p, "%s/%s.ckpt.h5.tmp.%ld", dir, rel, (long)pid);
    remove(p);
    char why[256] = "";
    const int ok = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0,
              state = ok ? cs_sweep_run_state(sw, r, dir, why, sizeof why) : 0;
    if (ok && state == 1) {
        remove(logp);
        /* and OUT.incomplete from an interrupted earlier attempt */
        snprintf(p, sizeof p, "%s/%s.incomplete", dir, rel);
        remove(p);
        reason[0] = 0;
        return 0;
    }
    if (WIFSIGNALED(wstatus))
        snprintf(reason, n, "killed by signal %d (%s)", WTERMSIG(wstatus),
                 strsignal(WTERMSIG(wstatus)));
    else if (ok)
        snprintf(reason, n, "exit status 0 but %s", state ? why : "no run file");
    else
        snprintf(reason, n, "exit status %d", WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    /* the last line the run printed says why: its last error where it printed one, else its
     * last line that is not a warning (one of threads sharing a core, printed at the start,
     * is no reason for a run killed later) */
    char *text = slurp(logp);
    const int log_empty = !text || !text[strspn(text, "\r\n")];
    if (text) {
        const char *last = "", *error = NULL;
        for (char *line = text, *next; line; line = next) {
            next = strchr(line, '\n');
            if (next) *next++ = 0;
            size_t len = strlen(line);
            if (len && line[len - 1] == '\r') line[--len] = 0;
            if (strncmp(line, "clustersim: error: ", 19) == 0)
                error = line;
            else if (len && strncmp(line, "clustersim: warning: ", 21) != 0)
                last = line;
        }
        if (error) last = error;
        if (*last) {
            size_t used = strlen(reason);
            snprintf(reason + used, n - used, ": %s", last);
        }
        free(text);
    }
    /* a run that failed on a full disk could not write its log either: where the log is empty
     * (not a run killed by a signal, which may print nothing), say what the disk has left */
    struct statvfs fs;
    if (log_empty && WIFEXITED(wstatus) && statvfs(dir, &fs) == 0 &&
        (double)fs.f_bavail * (double)fs.f_frsize < LOW_DISK) {
        size_t used = strlen(reason);
        snprintf(reason + used, n - used,
                 ": no message (its log is empty), and the disk holding %s has %.0f KB free", dir,
                 (double)fs.f_bavail * (double)fs.f_frsize / 1024.0);
    }
    for (char *c = reason; *c; c++)
        if (*c == '\t' || *c == '\n' || *c == '\r') *c = ' ';
    return 1;
}

/* (sweep_sched.h) flock, not fcntl: a flock belongs to the open file description, which the
 * runs a sweep starts inherit (the descriptor is not close-on-exec), so the lock lasts while any
 * of them runs, even after the sweep itself was killed with SIGKILL. */
int cs_sweep_lock(const char *dir, const char *who, int *rc) {
    char p[PATH_MAX + 300];
    snprintf(p, sizeof p, "%s/status/%s.lock", dir, who);
    int fd = open(p, O_RDWR | O_CREAT, 0666);
    if (fd < 0) {
        *rc = cs_cli_fail(1, "%s: cannot open: %s", p, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int why = errno;
        if (why == ENOSYS || why == ENOLCK || why == EOPNOTSUPP || why == EINVAL) {
            /* a file system without locks (Lustre without -o flock, NFS without lockd): run,
             * as before there was a lock, and say what is not guarded */
            close(fd);
            fprintf(stderr,
                    "clustersim: warning: %s: this file system does not lock files (%s); a second "
                    "copy of this sweep on the folder would not be refused\n",
                    p, strerror(why));
            return -2;
        }
        char holder[256] = "";
        ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        close(fd);
        if (why != EWOULDBLOCK) {
            *rc = cs_cli_fail(1, "%s: cannot lock: %s", p, strerror(why));
            return -1;
        }
        *rc = cs_cli_fail(2,
                          "%s: another sweep (%s), or a run it started, is running these runs in "
                          "this folder; wait for it to finish, or stop it and run this command "
                          "again",
                          dir, holder[0] ? holder : "pid unknown");
        return -1;
    }
    char host[128] = "?", line[256];
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    int len = snprintf(line, sizeof line, "pid %ld on %s\n", (long)getpid(), host);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) < 0) {
        /* the lock holds without its note; the message then says "pid unknown" */
    }
    return fd;
}

void cs_sweep_unlock(int fd) {
    if (fd >= 0) close(fd);
}

int cs_sweep_left_elsewhere(int n) {
    return cs_cli_fail(1,
                       "%d run%s left to another sweep of this folder that is running %s; run "
                       "this command again once it has ended, to run what it did not finish "
                       "and write sweep.h5",
                       n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}

int cs_sweep_failed(const char *dir, int nfail, const char *first_id, const char *first_reason) {
    char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/failed.log", dir);
    struct stat sb; /* an empty one is a record a full disk cut short */
    if ((stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) || !first_id)
        return cs_cli_fail(1, "%d run%s failed: see %s", nfail, nfail == 1 ? "" : "s", p);
    return cs_cli_fail(1, "%d run%s failed, and %s could not be written; the first, %s: %s", nfail,
                       nfail == 1 ? "" : "s", p, first_id, first_reason);
}

int cs_sweep_claims_open(const char *dir) {
    char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/status/runs.lock", dir);
    /* close-on-exec: the runs need not hold it (fcntl locks are not inherited anyway) */
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0)
        fprintf(stderr,
                "clustersim: warning: %s: cannot open (%s); runs are not claimed, so another "
                "sweep of this folder could run one at the same time\n",
                p, strerror(errno));
    return fd;
}

/* fcntl(fd, cmd) on the one byte at off; 0 or -1 with errno in *err (and fl's answer for
 * F_GETLK in *type) */
static int claim_op(int fd, off_t off, int cmd, short *type, int *err) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = *type;
    fl.l_whence = SEEK_SET;
    fl.l_start = off;
    fl.l_len = 1;
    int rc;
    do /* the sweep's quarter-second tick may interrupt a lock request to an NFS server */
        rc = fcntl(fd, cmd, &fl);
    while (rc != 0 && errno == EINTR);
    *err = rc ? errno : 0;
    *type = fl.l_type;
    return rc;
}

int cs_sweep_claim(int fd, int r) {
    int err;
    short type = F_WRLCK;
    if (fd < 0 || claim_op(fd, 2 * (off_t)r, F_SETLK, &type, &err) != 0)
        /* held: another process runs it; a file system without locks: no claims to make */
        return fd < 0 || !(err == EAGAIN || err == EACCES);
    /* a run whose sweep died still holds its own byte while it stops. A run's process takes
     * 2r+1 while its sweep still holds 2r, and leaves without running if the sweep died
     * before that (cs_sweep_spawn): so with 2r held here, a free 2r+1 means no run of r is
     * going on, and a test suffices. */
    type = F_WRLCK;
    if (claim_op(fd, 2 * (off_t)r + 1, F_GETLK, &type, &err) == 0 && type != F_UNLCK) {
        cs_sweep_unclaim(fd, r);
        return 0;
    }
    return 1;
}

void cs_sweep_unclaim(int fd, int r) {
    int err;
    short type = F_UNLCK;
    if (fd >= 0) claim_op(fd, 2 * (off_t)r, F_SETLK, &type, &err);
}

/* In the child of cs_sweep_spawn, before exec: the run's own claim, byte 2r+1, on a descriptor
 * the run keeps open. The sweep's descriptor is closed first: exec closes it (close-on-exec),
 * and closing any descriptor of a file drops every fcntl lock the process holds on it.
 * Returns 0, or the errno of a failed claim (none where the file system has no locks). */
static int claim_in_child(const char *dir, int claims, int r) {
    if (claims < 0) return 0;
    close(claims);
    char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s/status/runs.lock", dir);
    int fd = open(p, O_RDWR);
    if (fd < 0) return errno;
    short type = F_WRLCK;
    int err = 0;
    claim_op(fd, 2 * (off_t)r + 1, F_SETLK, &type, &err);
    return err == ENOLCK ? 0 : err;
}

FILE *cs_sweep_status_open(const char *dir, const char *who) {
    char p[PATH_MAX + 300];
    snprintf(p, sizeof p, "%s/status/%s.log", dir, who);
    FILE *f = fopen(p, "a");
    if (!f) cs_cli_fail(1, "%s: cannot open: %s", p, strerror(errno));
    return f;
}

void cs_sweep_record(const cs_sweep *sw, int r, const char *dir, FILE *status, int ok, double wall,
                     const char *reason) {
    if (status) {
        fprintf(status, "%d\t%s\t%s\t%.3f\t%s\n", r, sw->runs[r].id, ok ? "ok" : "failed", wall,
                ok ? "" : reason);
        fflush(status);
    }
    if (ok) return;
    char p[PATH_MAX + 32], line[4096];
    snprintf(p, sizeof p, "%s/failed.log", dir);
    int len = snprintf(line, sizeof line, "%s\t%s\n", sw->runs[r].id, reason);
    if (len >= (int)sizeof line) len = (int)sizeof line - 1, line[len - 1] = '\n';
    /* one write() per line with O_APPEND: shards appending at once do not interleave */
    int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd >= 0) {
        if (write(fd, line, (size_t)len) < 0) { /* failed.log is rewritten by the collection */
        }
        close(fd);
    }
}

void cs_sweep_warn_cores(int jobs, int threads) {
    const int allowed = cs_sweep_cores();
    const long online = sysconf(_SC_NPROCESSORS_ONLN);
    if ((long)jobs * threads <= allowed || allowed >= online) return;
    /* each run would warn too, but into its log, which a run that ends well removes */
    fprintf(stderr,
            "clustersim: warning: %d run%s at a time with %d thread%s each on %d core%s: this "
            "process may use %d of the machine's %ld cores (mpirun binds each rank to one core "
            "unless given --bind-to none; taskset or a batch system's binding do the same), so "
            "the threads share them and the runs are slower than asked for (their output is the "
            "same)\n",
            jobs, jobs == 1 ? "" : "s", threads, threads == 1 ? "" : "s", allowed,
            allowed == 1 ? "" : "s", allowed, online);
}

int cs_sweep_cores(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
