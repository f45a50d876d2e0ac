/* pcg32.h: PCG32 random numbers (O'Neill 2014, pcg32 = XSH-RR 64/32, LCG multiplier
 * 6364136223846793005) and the per-entity stream keying of MODEL.md section 5.
 *
 * Every random draw in clustersim comes from a generator made by cs_rng_stream() for one
 * (seed, step, phase, entity): no generator is shared between threads or entities, so results
 * never depend on the thread count. */
#ifndef CS_PCG32_H
#define CS_PCG32_H

#include <stdint.h>

typedef struct cs_pcg32 {
    uint64_t state; /* LCG state */
    uint64_t inc;   /* stream selector, always odd */
} cs_pcg32;

/* Seed as pcg32_srandom_r of the reference C library. */
void cs_pcg32_srandom(cs_pcg32 *rng, uint64_t initstate, uint64_t initseq);
/* Next 32 random bits (XSH-RR output of the pre-advance state). */
uint32_t cs_pcg32_random(cs_pcg32 *rng);
/* Unbiased draw in [0, bound) (rejection as in pcg32_boundedrand_r); bound 0 gives 0. */
uint32_t cs_pcg32_bounded(cs_pcg32 *rng, uint32_t bound);
/* Jump ahead by delta steps in O(log delta); a negative delta (as two's complement) goes back. */
void cs_pcg32_advance(cs_pcg32 *rng, uint64_t delta);
/* Uniform double in [0, 1) with 53 random bits (two outputs). */
double cs_pcg32_uniform(cs_pcg32 *rng);
/* Uniform double in (0, 1): never 0, safe for log(). */
double cs_pcg32_uniform_pos(cs_pcg32 *rng);
/* Standard normal (Box-Muller, no cached second value so each call is self-contained). */
double cs_pcg32_normal(cs_pcg32 *rng);
/* exp(mu + sigma * z). */
double cs_pcg32_lognormal(cs_pcg32 *rng, double mu, double sigma);
/* Poisson(lambda): inversion for lambda < 10, PTRS (Hoermann 1993) above; lambda <= 0 gives 0. */
uint32_t cs_pcg32_poisson(cs_pcg32 *rng, double lambda);

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
    CS_PH_TEST = 99
};

/* A strong 64-bit mix (splitmix64 finaliser) so that neighbouring keys give unrelated streams. */
uint64_t cs_mix64(uint64_t x);
/* Seed rng for one (seed, step, phase, entity): initstate = mix(seed, step, phase),
 * initseq = mix(entity, that). */
void cs_rng_stream(cs_pcg32 *rng, uint64_t seed, uint32_t step, uint32_t phase, uint64_t entity);
/* A 64-bit hash of the key without a generator: for tie-breaking orders. */
uint64_t cs_hash4(uint64_t seed, uint64_t step, uint64_t phase, uint64_t entity);

#endif
