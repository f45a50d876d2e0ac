/* counting.h: a parallel counting sort whose output does not depend on the thread count
 * (counting.c), and the grow-only work space it and other performance helpers use (storage.c).
 * The work space is the simulation's (cs_buffers in internal.h), so two simulations can live in
 * one process. */
#ifndef CS_COUNTING_H
#define CS_COUNTING_H

#include <stddef.h>
#include <stdint.h>

struct cs_buffers;

/* Groups items [0, n) by key[j] in [0, nkey) (items with key < 0 are left out): start[0..nkey]
 * gets the bucket offsets and order[start[k] .. start[k+1]) the items of key k in increasing
 * item order, exactly as the serial two-pass counting sort. Items are cut into contiguous
 * chunks counted in parallel and offsets are combined in chunk order, so the result is the
 * same for every thread count. */
void cs_counting_sort(struct cs_buffers *b, const int32_t *key, int32_t n, int32_t nkey,
                      int32_t *start, int32_t *order, int32_t *tmp);
/* The chunks a counting pass over n items uses (1 below CS_PAR_MIN), and the grow-only buffer
 * of their counts, nch x nkey int32 (contents undefined): for passes that count and place
 * items as cs_counting_sort does, weighted or gathering more than an index. Chunk k is items
 * [n k / nch, n (k + 1) / nch). */
int cs_counting_chunks(int32_t n);
/* The first item of chunk k of nch over n items (chunk k is [lo(k), lo(k + 1))). */
static inline int64_t cs_chunk_lo(int64_t n, int k, int nch) {
    return n * k / nch;
}
int32_t *cs_counting_chunk_counts(struct cs_buffers *b, int nch, size_t nkey);
/* Grow-only space for a bitmap of nwords 64-bit words (contents undefined), shared by the
 * counting sorts' wanted keys and the firm compaction's dead firms. */
uint64_t *cs_bitmap_space(struct cs_buffers *b, size_t nwords);
/* Pass 2 of a chunked counting sort: cnt[chunk][key] holds each chunk's count of each key on
 * entry and that chunk's first slot for the key on return; start[0..nkey] gets the key
 * offsets. Keys in order, chunks in order within a key, so items keep their order. */
void cs_counting_offsets(int32_t *cnt, int nch, size_t nkey, int32_t *start);
/* The same, leaving out also the items whose key k has want[k] == 0 (want NULL: none).
 * tmp: NULL, or scratch for n items (not key, start or order): the counting pass gathers the
 * sorted items there, so the scatter reads only those instead of all n again; the result is
 * the same. It pays when few of many items are sorted (a few firms' workers, the applicants
 * among all workers). */
void cs_counting_sort_for(struct cs_buffers *b, const int32_t *key, int32_t n, int32_t nkey,
                          const int32_t *want, int32_t *start, int32_t *order, int32_t *tmp);

/* Grow-only scratch of at least n doubles in b (contents undefined), freed by cs_sim_free. */
double *cs_scratch_doubles(struct cs_buffers *b, size_t n);

/* Loops over fewer elements than this run on one thread: below it a parallel region costs
 * more than the work, and far more when another process holds one of the cores (every
 * barrier then waits for a time slice). Results are the same either way. */
#define CS_PAR_MIN 32768

#endif
