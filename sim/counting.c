/* counting.c: the parallel counting sort of counting.h, whose output does not depend on the
 * thread count. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "counting.h"
#include "internal.h"

/* Parallel counting sort (counting.h). Chunk counts live in a grow-only buffer (cs_buffers). */

/* More chunks than this gain nothing: the offset pass is serial in (chunks x keys). */
#define SORT_MAX_CHUNKS 64

int cs_counting_chunks(int32_t n) {
    int nch = n < CS_PAR_MIN ? 1 : omp_get_max_threads();
    return nch > SORT_MAX_CHUNKS ? SORT_MAX_CHUNKS : nch;
}

int32_t *cs_counting_chunk_counts(cs_buffers *b, int nch, size_t nkey) {
    size_t need = (size_t)nch * (nkey > 0 ? nkey : 1);
    return b->chunk_cnt = cs_grow_only(b->chunk_cnt, &b->chunk_cap, need, sizeof *b->chunk_cnt);
}

/* The offsets of keys [k0, k1) from acc, the items before them; returns acc plus theirs. */
static int32_t offsets_range(int32_t *cnt, int nch, size_t nkey, size_t k0, size_t k1, int32_t acc,
                             int32_t *start) {
    for (size_t i = k0; i < k1; i++) {
        start[i] = acc;
        for (int k = 0; k < nch; k++) {
            int32_t c = cnt[(size_t)k * nkey + i];
            cnt[(size_t)k * nkey + i] = acc;
            acc += c;
        }
    }
    return acc;
}

/* Key ranges of the parallel offsets (integers: the same result for any split). */
#define OFFSET_RANGES 64

void cs_counting_offsets(int32_t *cnt, int nch, size_t nkey, int32_t *start) {
    /* a key's items of earlier chunks come first, so within a key items stay in item order
     * whatever the number of chunks */
    int32_t acc = 0;
    if (nch > 1 && nkey >= CS_PAR_MIN) {
        /* the counting sorts over the workers by firm (four a step) have as many keys as firms
         * (1.9 million at 1:1, times the chunks), which one thread ran through while the others
         * waited: each range's total, their running sum, then each range from its start */
        int32_t base[OFFSET_RANGES + 1];
#pragma omp parallel for schedule(static)
        for (int r = 0; r < OFFSET_RANGES; r++) {
            const size_t k0 = nkey * (size_t)r / OFFSET_RANGES,
                         k1 = nkey * (size_t)(r + 1) / OFFSET_RANGES;
            int32_t t = 0;
            for (int k = 0; k < nch; k++)
                for (size_t i = k0; i < k1; i++) t += cnt[(size_t)k * nkey + i];
            base[r + 1] = t;
        }
        base[0] = 0;
        for (int r = 0; r < OFFSET_RANGES; r++) base[r + 1] += base[r];
#pragma omp parallel for schedule(static)
        for (int r = 0; r < OFFSET_RANGES; r++)
            (void)offsets_range(cnt, nch, nkey, nkey * (size_t)r / OFFSET_RANGES,
                                nkey * (size_t)(r + 1) / OFFSET_RANGES, base[r], start);
        start[nkey] = base[OFFSET_RANGES];
        return;
    }
    if (nch == 1) { /* the common case at small scales, without the inner loop */
        for (size_t i = 0; i < nkey; i++) {
            const int32_t c = cnt[i];
            start[i] = cnt[i] = acc;
            acc += c;
        }
        start[nkey] = acc;
        return;
    }
    start[nkey] = offsets_range(cnt, nch, nkey, 0, nkey, 0, start);
}

void cs_counting_sort(cs_buffers *b, const int32_t *key, int32_t n, int32_t nkey, int32_t *start,
                      int32_t *order, int32_t *tmp) {
    cs_counting_sort_for(b, key, n, nkey, NULL, start, order, tmp);
}

/* The keys with want[k] != 0 as a bitmap in b's grow-only space: the scans below look a key up
 * for every item, at random, and the bitmap is 32 times smaller than want (at 1:1, 190 KB
 * against 6 MB: it stays in cache). */
uint64_t *cs_bitmap_space(cs_buffers *b, size_t nwords) {
    return b->want_bits =
               cs_grow_only(b->want_bits, &b->want_bits_cap, nwords, sizeof *b->want_bits);
}

static const uint64_t *want_bitmap(cs_buffers *b, const int32_t *want, int32_t nkey) {
    const size_t nwords = ((size_t)(nkey > 0 ? nkey : 0) + 63) / 64;
    uint64_t *bits = cs_bitmap_space(b, nwords);
#pragma omp parallel for schedule(guided) if (nkey >= CS_PAR_MIN)
    for (size_t q = 0; q < nwords; q++) {
        const size_t k0 = q * 64, k1 = k0 + 64 < (size_t)nkey ? k0 + 64 : (size_t)nkey;
        uint64_t x = 0;
        for (size_t k = k0; k < k1; k++) x |= (uint64_t)(want[k] != 0) << (k - k0);
        bits[q] = x;
    }
    return bits;
}

/* item j is sorted: a key, and a wanted one */
/* Whether an item of key f is sorted: f >= 0 and, with a bitmap, f's bit set. Inlined into
 * loops made once with and once without the bitmap (use_bits a constant), so that no item
 * asks whether there is a bitmap, and the key is loaded once. */
static inline __attribute__((always_inline)) int sorted_key(int32_t f, const uint64_t *bits,
                                                            int use_bits) {
    return f >= 0 && (!use_bits || (bits[f >> 6] >> (f & 63) & 1));
}

/* Pass 1 over items [j0, j1): counts per key into c and, with tmp, the sorted items gathered
 * at tmp[j0 ..] in item order; returns how many were gathered. */
static inline __attribute__((always_inline)) int32_t count_pass(const int32_t *key, int32_t j0,
                                                                int32_t j1, const uint64_t *bits,
                                                                int use_bits, int32_t *c,
                                                                int32_t *tmp) {
    int32_t m = j0, j = j0;
    if (use_bits) {
        /* with a bitmap most items are unwanted (production's layoffs: the workers of 0.2% of
         * the firms): eight items tested at a time without a branch each (an unsorted key
         * reads word 0 and is masked out), and only a group with a wanted one is taken item by
         * item. The branch per item on the key's sign alone mispredicted for the unemployed */
        for (; j + 8 <= j1; j += 8) {
            uint64_t any = 0;
            for (int u = 0; u < 8; u++) {
                const int32_t f = key[j + u];
                const uint32_t g = f < 0 ? 0u : (uint32_t)f;
                any |= (bits[g >> 6] >> (g & 63)) & (uint64_t)(f >= 0);
            }
            if (!(any & 1)) continue;
            for (int u = 0; u < 8; u++) {
                const int32_t f = key[j + u];
                if (sorted_key(f, bits, 1)) {
                    c[f]++;
                    if (tmp) tmp[m++] = j + u;
                }
            }
        }
    }
    for (; j < j1; j++) {
        const int32_t f = key[j];
        if (sorted_key(f, bits, use_bits)) {
            c[f]++;
            if (tmp) tmp[m++] = j;
        }
    }
    return m - j0;
}

/* Pass 3 without gathered items: items [j0, j1) to order at their key's cursor in c. */
static inline __attribute__((always_inline)) void scatter_pass(const int32_t *key, int32_t j0,
                                                               int32_t j1, const uint64_t *bits,
                                                               int use_bits, int32_t *c,
                                                               int32_t *order) {
    for (int32_t j = j0; j < j1; j++) {
        const int32_t f = key[j];
        if (sorted_key(f, bits, use_bits)) order[c[f]++] = j;
    }
}

void cs_counting_sort_for(cs_buffers *b, const int32_t *key, int32_t n, int32_t nkey,
                          const int32_t *want, int32_t *start, int32_t *order, int32_t *tmp) {
    const uint64_t *bits = want ? want_bitmap(b, want, nkey) : NULL;
    const int nch = cs_counting_chunks(n);
    int32_t *cnt = cs_counting_chunk_counts(b, nch, (size_t)(nkey > 0 ? nkey : 0));
    int32_t kept[SORT_MAX_CHUNKS]; /* with tmp: the sorted items chunk k gathered */
    /* 1. counts per chunk; chunk k is items [n k / nch, n (k + 1) / nch), and with tmp the
     * sorted ones are gathered at the chunk's own place in tmp, in item order */
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *c = cnt + (size_t)k * nkey;
        memset(c, 0, sizeof(int32_t) * (size_t)nkey);
        const int32_t j0 = (int32_t)cs_chunk_lo(n, k, nch),
                      j1 = (int32_t)cs_chunk_lo(n, k + 1, nch);
        if (tmp)
            kept[k] = bits ? count_pass(key, j0, j1, bits, 1, c, tmp)
                           : count_pass(key, j0, j1, NULL, 0, c, tmp);
        else if (bits)
            (void)count_pass(key, j0, j1, bits, 1, c, NULL);
        else
            (void)count_pass(key, j0, j1, NULL, 0, c, NULL);
    }
    /* 2. offsets key by key, chunk by chunk */
    cs_counting_offsets(cnt, nch, (size_t)nkey, start);
    /* 3. scatter, each chunk into its own slots: from the gathered items, or a second pass */
#pragma omp parallel for schedule(static) num_threads(nch) if (nch > 1)
    for (int k = 0; k < nch; k++) {
        int32_t *c = cnt + (size_t)k * nkey;
        const int32_t j0 = (int32_t)cs_chunk_lo(n, k, nch),
                      j1 = (int32_t)cs_chunk_lo(n, k + 1, nch);
        if (tmp) {
            for (int32_t m = j0; m < j0 + kept[k]; m++) {
                const int32_t j = tmp[m];
                order[c[key[j]]++] = j;
            }
        } else if (bits) {
            scatter_pass(key, j0, j1, bits, 1, c, order);
        } else {
            scatter_pass(key, j0, j1, NULL, 0, c, order);
        }
    }
}
