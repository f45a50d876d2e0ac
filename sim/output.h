/* output.h: the HDF5 run file of INTERFACES.md (format_version 1).
 *
 * A run file is written under a temporary name (<path>.tmp.<pid>) and renamed to <path> only when
 * the run finished, so a file at the final name is always complete (sweeps rely on this). An
 * interrupted run is renamed to <path>.incomplete instead. Every HDF5 call comes from the calling
 * thread: call these functions outside OpenMP parallel regions. Errors are return values; the
 * message of the last failure is available from cs_output_error(). */
#ifndef CS_OUTPUT_H
#define CS_OUTPUT_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "clustersim.h"
#include "metrics.h"

#define CS_FORMAT_NAME    "clustersim-run"
#define CS_FORMAT_VERSION 1

typedef struct cs_output cs_output;

/* Once, before any other HDF5 call (main): HDF5's exit handler off, since it crashes (HDF5 1.10)
 * when a file failed to close, as on a full disk, and every file is closed explicitly; and its
 * error stack dumps off, since failures are reported as messages. */
void cs_hdf5_init(void);

/* Creates the temporary file and writes the root and /code attributes, /landscape and the empty
 * extendible datasets. scenario_path: the scenario file (root attribute scenario); config_text:
 * the resolved config (libconfig text); config_source: the scenario file's own text (either may be
 * NULL: written as ""). Returns NULL with a message in err on failure (nothing is left on disk). */
cs_output *cs_output_open(const char *path, const cs_sim *sim, const char *scenario_path,
                          const char *config_text, const char *config_source, char *err,
                          size_t errlen);

/* Appends one row of every series (m is the metrics of the state after sim->step) and, when
 * sim->step is a multiple of par.output.snapshot_every or the final step, a snapshot of the maps.
 * Rows are buffered and written in blocks. Returns 0, or -1 (see cs_output_error). */
int cs_output_step(cs_output *o, const cs_sim *sim, const cs_metrics *m);

/* Flushes, writes /final/firms from the state, sets the root attribute complete, closes and
 * renames the file: to its final path when complete == 1, to <path>.incomplete when complete == 0.
 * Frees o in every case. Returns 0, or -1 (see cs_output_error; the temporary file is removed). */
int cs_output_close(cs_output *o, const cs_sim *sim, int complete);

/* Closes and deletes the temporary file (a run that failed), and frees o. NULL is a no-op. */
void cs_output_abort(cs_output *o);

/* Checkpoints (checkpoint.c). The extendible datasets (series and snapshots) as blocks in memory:
 * a checkpoint stores every row written so far, and a resumed run appends them to its fresh run
 * file, so the finished file holds exactly the rows of an uninterrupted run. */
enum { CS_OUT_F64 = 0, CS_OUT_F32, CS_OUT_I32 };
typedef struct cs_output_block {
    int type;         /* CS_OUT_F64, CS_OUT_F32 or CS_OUT_I32 */
    int rank;         /* 1 to 4 */
    uint64_t dims[4]; /* dims[0] rows, then the shape of a row */
    void *data;       /* malloc'd, rows x row elements */
} cs_output_block;
/* Number of extendible datasets. */
int cs_output_nblocks(const cs_output *o);
/* Flushes buffered rows, then reads block k (data malloc'd; the caller frees it). 0 or -1. */
int cs_output_read_block(cs_output *o, int k, cs_output_block *b);
/* Appends block k to a run file that has no rows yet (a resumed run); the row shape must match
 * this run's. Returns 0, or -1 (see cs_output_error). */
int cs_output_restore_block(cs_output *o, int k, const cs_output_block *b);
/* Writes the root attribute resumed_from (provenance: one line per resume). 0 or -1. */
int cs_output_set_resumed(cs_output *o, const char *const *lines, int n);

/* The temporary path being written (for messages and tests). */
const char *cs_output_temp_path(const cs_output *o);

/* The message of the last failing cs_output_* call (any object; "" if none). Not thread-safe,
 * like HDF5 itself in this build. */
const char *cs_output_error(void);

/* Durability: fsync of a file's contents, and of the directory that holds path (so that a
 * rename into it survives a crash). 0 or -1 with errno set. */
int cs_sync_file(const char *path);
int cs_sync_dir_of(const char *path);

/* The `config` attribute of the run file at path (malloc'd), or NULL when there is none (no
 * such file, not a run file, unreadable). */
char *cs_output_read_config(const char *path);

/* The single string held by attribute name of loc (fixed or variable length, either character
 * set), malloc'd; NULL when it is absent or holds anything else. For reading other files'
 * provenance: a run file's config and git_hash, a file's format. */
char *cs_h5_attr_text(hid_t loc, const char *name);
/* The single integer held by attribute name of loc, or def when it is absent or holds anything
 * else: a run file's seed and complete flag, read by sweeps. */
long long cs_h5_attr_int(hid_t loc, const char *name, long long def);

#endif
