/* pcg32.h: PCG32 random numbers (O'Neill 2014, pcg32 = XSH-RR 64/32, LCG multiplier
 * 6364136223846793005) and the per-entity stream keying of MODEL.md section 5.
 *
 * Every random draw in clustersim comes from a generator made by cs_rng_stream() for one
 * (seed, step, phase, entity): no generator is shared between threads or entities, so results
 * never depend on the thread count. */
#ifndef CS_PCG32_H
#define CS_PCG32_H

#include <math.h>
#include <stdint.h>

#include "mathlib.h"

typedef struct cs_pcg32 {
    uint64_t state; /* LCG state */
    uint64_t inc;   /* stream selector, always odd */
} cs_pcg32;

#define CS_PCG_MULT 6364136223846793005ULL

/* The hot functions below are static inline: they run several times per agent and step, and a
 * call per 32 random bits cost about an eighth of all instructions. */

/* Next 32 random bits (XSH-RR output of the pre-advance state). */
static inline uint32_t cs_pcg32_random(cs_pcg32 *rng) {
    uint64_t old = rng->state;
    rng->state = old * CS_PCG_MULT + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    /* (-rot) & 31 keeps the left shift below 32 when rot is 0 (no undefined shift). */
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

/* Seed as pcg32_srandom_r of the reference C library. */
static inline void cs_pcg32_srandom(cs_pcg32 *rng, uint64_t initstate, uint64_t initseq) {
    /* Exactly pcg32_srandom_r, so results can be cross-checked with the reference libraries. */
    rng->state = 0U;
    rng->inc = (initseq << 1u) | 1u;
    cs_pcg32_random(rng);
    rng->state += initstate;
    cs_pcg32_random(rng);
}
/* Unbiased draw in [0, bound) (rejection as in pcg32_boundedrand_r); bound 0 gives 0. Inline:
 * matching draws one per searcher. */
static inline uint32_t cs_pcg32_bounded(cs_pcg32 *rng, uint32_t bound) {
    if (bound == 0) return 0; /* -0 % 0 would divide by zero */
    /* Values below 2^32 mod bound would bias r % bound toward small results: reject them. */
    uint32_t threshold = (uint32_t)(-bound) % bound;
    for (;;) {
        uint32_t r = cs_pcg32_random(rng);
        if (r >= threshold) return r % bound;
    }
}
/* A bound prepared for many draws: cs_pcg32_bounded_by(rng, &b) is exactly
 * cs_pcg32_bounded(rng, n) (the same draws, the same result) without its two integer divisions:
 * the rejection threshold 2^32 mod n is precomputed, and r mod n is Lemire's exact
 * multiply-shift ("Faster remainder by direct computation", Lemire, Kaser and Kurz 2019). */
typedef struct cs_bound {
    uint64_t M;   /* 2^64 / n rounded up (wraps to 0 for n = 1, which still gives r mod 1 = 0) */
    uint32_t n;   /* the bound */
    uint32_t thr; /* 2^32 mod n: draws below it are rejected */
} cs_bound;

static inline cs_bound cs_bound_make(uint32_t n) {
    cs_bound b = {n ? UINT64_C(0xFFFFFFFFFFFFFFFF) / n + 1 : 0, n, n ? (uint32_t)(-n) % n : 0};
    return b;
}

static inline uint32_t cs_pcg32_bounded_by(cs_pcg32 *rng, const cs_bound *b) {
    if (b->n == 0) return 0;
    for (;;) {
        uint32_t r = cs_pcg32_random(rng);
        if (r >= b->thr) return (uint32_t)(((unsigned __int128)(b->M * r) * b->n) >> 64);
    }
}
/* Jump ahead by delta steps in O(log delta); a negative delta (as two's complement) goes back. */
void cs_pcg32_advance(cs_pcg32 *rng, uint64_t delta);
/* Uniform double in [0, 1) with 53 random bits (two outputs). */
static inline double cs_pcg32_uniform(cs_pcg32 *rng) {
    /* 27 + 26 = 53 bits, the full mantissa; the first draw gives the high bits. */
    uint64_t a = cs_pcg32_random(rng) >> 5u;
    uint64_t b = cs_pcg32_random(rng) >> 6u;
    return (double)((a << 26u) | b) * (1.0 / 9007199254740992.0);
}
/* Uniform double in (0, 1): never 0, safe for log(). */
double cs_pcg32_uniform_pos(cs_pcg32 *rng);
/* Standard normal (Box-Muller, no cached second value so each call is self-contained). */
double cs_pcg32_normal(cs_pcg32 *rng);
/* exp(mu + sigma * z). */
double cs_pcg32_lognormal(cs_pcg32 *rng, double mu, double sigma);
/* Poisson(lambda): inversion for lambda < 10, PTRS (Hoermann 1993) above; lambda <= 0 gives 0. */
uint32_t cs_pcg32_poisson(cs_pcg32 *rng, double lambda);
/* The smallest k whose Poisson(lambda) CDF reaches u (lambda < 10): cs_pcg32_poisson's
 * small-rate inversion, less its shortcut for k = 0. */
uint32_t cs_pcg32_poisson_invert(double u, double lambda);

/* Phases that draw random numbers: part of every stream key. Append only (changing the order
 * changes every result). */
enum cs_phase {
    CS_PH_INIT_LANDSCAPE = 1,
    CS_PH_INIT_FIRMS,
    CS_PH_INIT_WORKERS,
    CS_PH_PRODUCTIVITY,
    CS_PH_ENTRY_STARTUP,
    CS_PH_ENTRY_SPINOFF,
    CS_PH_ENTRY_SPINOUT,
    CS_PH_RELOCATION,
    CS_PH_MATCH_SEARCH,
    CS_PH_MATCH_TIES,
    CS_PH_MIGRATION,
    CS_PH_RESIDENCE,
    CS_PH_DEMOGRAPHICS,
    CS_PH_POLICY,
    CS_PH_SWEEP,
    CS_PH_SEPARATION,
    CS_PH_TEST = 99
};

/* A strong 64-bit mix (splitmix64 finaliser) so that neighbouring keys give unrelated streams. */
static inline uint64_t cs_mix64(uint64_t x) {
    x = (x ^ (x >> 30u)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27u)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31u);
}

/* The part of a stream key shared by every entity of one (seed, step, phase): computed once per
 * phase, it saves three of the four mixes per stream (cs_rng_stream_keyed). */
typedef struct cs_rng_key {
    uint64_t initstate; /* mix(seed, step, phase) */
    uint64_t seqmix;    /* mix(initstate ^ constant), xored with the entity before its mix */
} cs_rng_key;

static inline cs_rng_key cs_rng_key_make(uint64_t seed, uint32_t step, uint32_t phase) {
    /* Step and phase share one word without overlap; the odd constants keep cs_mix64(0) = 0 from
     * making the all-zero key degenerate. Each cs_mix64 is a bijection, so distinct keys in one
     * word never collide, and its avalanche makes neighbouring values unrelated. */
    cs_rng_key k;
    uint64_t sp = cs_mix64((((uint64_t)step << 32u) | phase) ^ 0x9e3779b97f4a7c15ULL);
    k.initstate = cs_mix64(seed ^ sp);
    k.seqmix = cs_mix64(k.initstate ^ 0xd1b54a32d192ed03ULL);
    return k;
}

/* The stream of one entity under a precomputed key: the same generator as cs_rng_stream. */
static inline void cs_rng_stream_keyed(cs_pcg32 *rng, cs_rng_key key, uint64_t entity) {
    cs_pcg32_srandom(rng, key.initstate, cs_mix64(entity ^ key.seqmix));
}

/* Seed rng for one (seed, step, phase, entity): initstate = mix(seed, step, phase),
 * initseq = mix(entity, that). */
static inline void cs_rng_stream(cs_pcg32 *rng, uint64_t seed, uint32_t step, uint32_t phase,
                                 uint64_t entity) {
    cs_rng_stream_keyed(rng, cs_rng_key_make(seed, step, phase), entity);
}
/* Per-agent events of probability p by gaps (docs/model.md, determinism). Agents are cut into
 * fixed blocks of CS_SKIP_BLOCK indexes (the same on any thread count); one stream per block,
 * keyed as entity CS_SKIP_TAG | block under the phase key (never an agent's own stream), gives
 * the gaps between the agents that act, each acting independently with probability p. A phase
 * then finds its 2 % of actors with a few draws per block instead of a keyed stream per agent.
 * Above CS_SKIP_DENSE a gap is drawn by trials, one uniform per index (a log per actor would
 * cost more than that). */
#define CS_SKIP_BLOCK 4096
#define CS_SKIP_TAG   (UINT64_C(1) << 62)
#define CS_SKIP_DENSE 0.25

typedef struct cs_skip {
    cs_pcg32 rng;
    double p;
    double inv_log1mp; /* 1 / log1p(-p): the gap is floor(log(u) / log(1 - p)) */
    int mode; /* 0: gaps by inversion; 2: by trials; 1: p >= 1, all act; -1: p <= 0, none */
} cs_skip;

/* The number of blocks over n agents, and the end of block b (its start is b * CS_SKIP_BLOCK). */
static inline int64_t cs_skip_blocks(int64_t n) {
    return (n + CS_SKIP_BLOCK - 1) / CS_SKIP_BLOCK;
}
static inline int64_t cs_skip_block_end(int64_t b, int64_t n) {
    return n - b * CS_SKIP_BLOCK > CS_SKIP_BLOCK ? b * CS_SKIP_BLOCK + CS_SKIP_BLOCK : n;
}

static inline void cs_skip_start(cs_skip *s, cs_rng_key key, int64_t block, double p) {
    cs_rng_stream_keyed(&s->rng, key, CS_SKIP_TAG | (uint64_t)block);
    s->p = p;
    s->mode = p >= 1.0 ? 1 : (p > CS_SKIP_DENSE ? 2 : (p > 0.0 ? 0 : -1)); /* NaN: none */
    s->inv_log1mp = s->mode == 0 ? 1.0 / cs_log1p(-p) : 0.0;
}

/* The first acting index in [from, end), or end when none acts there. Inversion: with u uniform
 * on (0, 1], P(gap >= k) = P(u <= (1 - p)^k) = (1 - p)^k, the geometric law of the number of
 * agents passed over; each index acts independently with probability p. Trials: index by index,
 * acting when a uniform on [0, 1) is below p. */
static inline int64_t cs_skip_next(cs_skip *s, int64_t from, int64_t end) {
    if (s->mode == 2) {
        while (from < end && cs_pcg32_uniform(&s->rng) >= s->p) from++;
        return from;
    }
    if (s->mode != 0) return s->mode > 0 ? from : end;
    double u = 1.0 - cs_pcg32_uniform(&s->rng); /* (0, 1]: log(u) is finite */
    double g = cs_log(u) * s->inv_log1mp;
    /* compared as a double first: a huge gap must not overflow the integer */
    return g < (double)(end - from) ? from + (int64_t)g : end;
}

/* The next acting indexes, up to max of them, from *at (an acting index or end) into out, *at
 * moving to the one after them; how many. A phase then asks for the records of a whole group
 * before changing any, so that their cache misses overlap (the draws are those of
 * cs_skip_next, in the same order). */
static inline int cs_skip_take(cs_skip *s, int64_t *at, int64_t end, int64_t *out, int max) {
    int n = 0;
    for (; *at < end && n < max; *at = cs_skip_next(s, *at + 1, end)) out[n++] = *at;
    return n;
}

/* A 64-bit hash of the key without a generator: for tie-breaking orders. */
uint64_t cs_hash4(uint64_t seed, uint64_t step, uint64_t phase, uint64_t entity);
/* cs_hash4 in two parts, for many entities of one (seed, step, phase): the prefix once, then
 * cs_hash4_entity(prefix, entity) == cs_hash4(seed, step, phase, entity). */
uint64_t cs_hash4_prefix(uint64_t seed, uint64_t step, uint64_t phase);
static inline uint64_t cs_hash4_entity(uint64_t prefix, uint64_t entity) {
    return cs_mix64(prefix ^ entity ^ 0x082efa98ec4e6c89ULL);
}

#endif
