/* checkpoint.h: the checkpoint file (docs/reliability.md): the whole state of a run after a step,
 * from which `clustersim resume` finishes the run with a run file identical, dataset by dataset,
 * to that of an uninterrupted run.
 *
 * One HDF5 file, format "clustersim-checkpoint" version CS_CKPT_VERSION, written under a
 * temporary name and renamed over the previous checkpoint only once complete. Every dataset
 * carries a 64-bit hash of its bytes; the root records the build (git hash and struct layout)
 * and a hash of the resolved config, and a checkpoint from another build or format, or one
 * that is truncated or corrupted, is refused with a message (exit status 2), never used. */
#ifndef CS_CHECKPOINT_H
#define CS_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "clustersim.h"
#include "output.h"

#define CS_CKPT_FORMAT  "clustersim-checkpoint"
#define CS_CKPT_VERSION 6
/* Largest text a checkpoint stores (the resolved config, paths, the scenario's own text). */
#define CS_CKPT_TEXT_MAX ((uint64_t)1 << 28)

/* What a checkpoint records besides the state: enough to reopen the run file the same way. */
typedef struct cs_ckpt_meta {
    char *scenario_path; /* the scenario file (run file attribute scenario_file) */
    char *config_text;   /* the resolved config (attribute config) */
    char *config_source; /* the scenario file's own text (attribute config_source) */
    char *out_path;      /* the run file the run writes */
    char *resumed;       /* earlier resumes, one line each ("" none): attribute resumed_from */
    int every;           /* checkpoint interval in steps (0: only when stopped) */
    int step;            /* the step whose end state is stored */
    int steps;           /* steps of the whole run */
} cs_ckpt_meta;

/* Writes the state after sim->step and the rows output o has so far to path (via
 * path.tmp.<pid>, renamed when complete). Returns 0, or -1 with a message in err (the
 * previous checkpoint at path, if any, is untouched). */
int cs_checkpoint_write(const char *path, const cs_sim *sim, cs_output *o, const cs_ckpt_meta *meta,
                        char *err, size_t errlen);

typedef struct cs_ckpt cs_ckpt;

/* What the existing regular file at path is, by its content: CS_FILE_OTHER (not HDF5, or
 * unreadable), CS_FILE_HDF5 (another HDF5 file, or one that cannot be opened now: held open by
 * another process, say), CS_FILE_RUN (a clustersim run file, complete or not) or
 * CS_FILE_CHECKPOINT (a clustersim checkpoint of any version or build). So that a run writes
 * its files only over files of their own kind. */
enum { CS_FILE_OTHER = 0, CS_FILE_HDF5, CS_FILE_RUN, CS_FILE_CHECKPOINT };
int cs_checkpoint_file_kind(const char *path);

/* Opens a checkpoint and checks its format, version and build; then reads its parameters and
 * metadata (strings malloc'd into meta; free with cs_checkpoint_meta_free). Returns NULL with a
 * message in err when the file is missing, not a checkpoint, of another format version or
 * build, or corrupted. */
cs_ckpt *cs_checkpoint_open(const char *path, cs_params *par, cs_ckpt_meta *meta, char *err,
                            size_t errlen);

/* The path ck was opened from. */
const char *cs_checkpoint_path(const cs_ckpt *ck);

/* Reads what /landscape shows of the start (capacities K0, Kh0, fundamentals) into sim set up by
 * cs_sim_init_bare, before the run file is opened. Returns 0, or -1 with a message in err. */
int cs_checkpoint_load_start(cs_ckpt *ck, cs_sim *sim, char *err, size_t errlen);

/* Loads the stored state into sim, set up from the same parameters by cs_sim_init_bare (or
 * cs_sim_init, whose initial economy it overwrites), and appends the stored rows to o (freshly
 * opened; NULL: the state only, as `bench --from` needs). Returns 0, or -1 with a message in
 * err. */
int cs_checkpoint_load(cs_ckpt *ck, cs_sim *sim, cs_output *o, char *err, size_t errlen);

void cs_checkpoint_close(cs_ckpt *ck);
void cs_checkpoint_meta_free(cs_ckpt_meta *meta);

/* 64-bit hash of n bytes (a single changed byte always changes it). */
uint64_t cs_checkpoint_hash(const void *data, size_t n, uint64_t seed);

#endif
