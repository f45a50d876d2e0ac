/* sweep.h: sweep files (INTERFACES.md "Sweep file"): parsing, the list of runs with their ids and
 * --set overrides, and the checks made before any run starts. How the runs are scheduled (one
 * machine, Slurm shards, MPI) is in sweep_sched.h; every mode runs a run as `clustersim run` does.
 *
 * A run's config is its scenario, then the sweep's `set` entries, then its varied values, then
 * seed = its listed seed, all as --set overrides through the scenario loader, so a run file is
 * exactly what `clustersim run SCENARIO --set ... --seed S` writes. */
#ifndef CS_SWEEP_H
#define CS_SWEEP_H

#include <stdint.h>
#include <stdio.h>

#include "params.h"

enum { CS_SWEEP_PRODUCT = 0, CS_SWEEP_ZIP = 1 };

typedef struct cs_sweep_value {
    char *text;  /* as a --set value: 0.2, 5, 5L, true, "a name" */
    char *label; /* as written in run ids: 0.2, 5, true, a_name */
    double num;  /* numeric value (bools 0/1); NaN for strings */
    char *str;   /* string value (NULL for numbers) */
    int line;    /* line in the sweep file */
} cs_sweep_value;

typedef struct cs_sweep_key {
    char *key;   /* config key, "policies.[0].per_worker" */
    char *label; /* its name in run ids: the last part of the key, or the whole key if ambiguous */
    int line;    /* line of the vary entry */
    int is_string;
    int n; /* number of values */
    cs_sweep_value *v;
} cs_sweep_key;

typedef struct cs_sweep_scenario {
    char *arg;              /* as written in the sweep file */
    char *path;             /* the scenario file it resolved to (for --collect: DIR's copy) */
    char *file;             /* the scenario file the sweep resolved when it started */
    int line;               /* line in the sweep file */
    char name[CS_NAME_LEN]; /* the scenario's name (first part of its run ids) */
    int n_sectors;
    char sectors[CS_MAX_SECTORS][CS_NAME_LEN];
    int tradable[CS_MAX_SECTORS];
    unsigned char *applies; /* per varied key: 1 when the scenario has the key */
} cs_sweep_scenario;

typedef struct cs_sweep_run {
    char *id;     /* "tech_city/per_worker=0.2/seed07": stable however the sweep is run */
    int scen;     /* index into scen */
    int64_t seed; /* the listed seed itself */
    int *vi;      /* per varied key: value index, -1 where the key does not apply */
} cs_sweep_run;

typedef struct cs_sweep {
    char *file; /* the sweep file as named in messages */
    char *text; /* its text */
    char name[CS_NAME_LEN];
    int mode; /* CS_SWEEP_PRODUCT or CS_SWEEP_ZIP */
    int nscen;
    cs_sweep_scenario *scen;
    int nkeys;
    cs_sweep_key *keys;
    int nseeds;
    int64_t *seeds;
    int nset;
    char **set_text; /* "key=value" of each `set` entry, applied to every run */
    int *set_line;
    int threads;          /* threads per run from the file; 0 when not given */
    int checkpoint_every; /* runs checkpoint every N steps (`sweep --checkpoint-every`); 0: only
                           * when stopped by SIGTERM/SIGINT */
    int collecting;       /* `sweep --collect`: it reads the runs only, and starts none */
    char *warnings;       /* the config warnings of its scenarios and values (cs_cli_load's),
                           * each line once, for the sweep to say when it starts; NULL: none */
    int nrun;
    cs_sweep_run *runs; /* scenario-major, then varied values, then seeds */
} cs_sweep;

/* Loads and checks a sweep: the file, its scenarios (relative paths are looked up in the sweep
 * file's directory, then in each of the nsearch directories, then among the presets), every varied
 * key and every run's resolved config. text may be NULL (read from path). Returns 0, or 2 with
 * "FILE:LINE: KEY: message" in err; nothing is left to free on error. */
int cs_sweep_load(cs_sweep *sw, const char *path, const char *text, const char *const *search,
                  int nsearch, char *err, size_t errlen);
/* cs_sweep_load for `--collect DIR`: scenario i is read from DIR/scenarios/<i + 1>.cfg, the
 * resolved copy the sweep wrote when it started (cs_sweep_prepare_dir), where that exists, so
 * that a sweep directory is collected wherever it is, and as it was run. */
int cs_sweep_load_dir(cs_sweep *sw, const char *path, const char *text, const char *dir,
                      const char *const *search, int nsearch, char *err, size_t errlen);
void cs_sweep_free(cs_sweep *sw);

/* The --set overrides of run r (malloc'd strings); returns their number, -1 if out of memory. */
int cs_sweep_run_sets(const cs_sweep *sw, int r, char ***sets);
void cs_sweep_free_sets(char **sets, int n);

/* The run file of run r relative to the sweep directory: "runs/<id>.h5". */
void cs_sweep_run_rel(const cs_sweep *sw, int r, char *buf, size_t len);

/* The dry-run listing: one line per run (index, id, scenario, seed, varied values) and notes;
 * with done (one flag a run, or NULL) a last column `finished` (yes/no). */
int cs_sweep_print(const cs_sweep *sw, FILE *out, const unsigned char *done);

/* A text naming every run and its overrides: two sweeps with the same plan write the same files
 * (stored in the sweep directory to refuse a different sweep on it). malloc'd, NULL if OOM. */
char *cs_sweep_plan(const cs_sweep *sw);

#endif
