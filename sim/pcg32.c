/* pcg32.c: PCG32 (XSH-RR 64/32) after O'Neill's pcg-c "basic" library, derived distributions,
 * and the per-entity stream keying of MODEL.md section 5. */
#include "pcg32.h"

#include <math.h>

void cs_pcg32_advance(cs_pcg32 *rng, uint64_t delta) {
    /* Brown's LCG jump-ahead (pcg_advance_lcg_64): compose the affine step map by squaring. */
    uint64_t cur_mult = CS_PCG_MULT, cur_plus = rng->inc;
    uint64_t acc_mult = 1u, acc_plus = 0u;
    while (delta > 0) {
        if (delta & 1u) {
            acc_mult *= cur_mult;
            acc_plus = acc_plus * cur_mult + cur_plus;
        }
        cur_plus = (cur_mult + 1u) * cur_plus;
        cur_mult *= cur_mult;
        delta >>= 1u;
    }
    rng->state = acc_mult * rng->state + acc_plus;
}

double cs_pcg32_uniform_pos(cs_pcg32 *rng) {
    /* 52 bits plus one half: m + 0.5 is exact, so the result lies in [2^-53, 1 - 2^-53]. With 53
     * bits the top value would round up to 1.0. */
    uint64_t a = cs_pcg32_random(rng) >> 6u;
    uint64_t b = cs_pcg32_random(rng) >> 6u;
    return ((double)((a << 26u) | b) + 0.5) * (1.0 / 4503599627370496.0);
}

double cs_pcg32_normal(cs_pcg32 *rng) {
    double u1 = cs_pcg32_uniform_pos(rng);
    double u2 = cs_pcg32_uniform_pos(rng);
    return sqrt(-2.0 * cs_log(u1)) * cs_cos(6.283185307179586477 * u2);
}

double cs_pcg32_lognormal(cs_pcg32 *rng, double mu, double sigma) {
    return cs_exp(mu + sigma * cs_pcg32_normal(rng));
}

/* log(k!): a table for small k, Stirling's series above (error below 1e-15 for k >= 32). Own code
 * rather than lgamma(), which writes the global signgam and so races under OpenMP. */
static double log_factorial(double k) {
    static const double table[32] = {
        0,
        0,
        0.69314718055994495,
        1.7917594692280554,
        3.1780538303479449,
        4.7874917427820467,
        6.5792512120101021,
        8.5251613610654147,
        10.604602902745249,
        12.801827480081467,
        15.104412573075514,
        17.502307845873887,
        19.987214495661885,
        22.552163853123421,
        25.191221182738683,
        27.89927138384089,
        30.671860106080672,
        33.505073450136891,
        36.395445208033053,
        39.339884187199495,
        42.335616460753485,
        45.380138898476908,
        48.47118135183522,
        51.606675567764377,
        54.784729398112319,
        58.003605222980518,
        61.261701761002008,
        64.557538627006338,
        67.889743137181526,
        71.257038967168,
        74.658236348830172,
        78.092223553315307,
    };
    if (k < 32.0) return table[(int)k];
    double x = k + 1.0, x2 = x * x;
    return (x - 0.5) * cs_log(x) - x + 0.91893853320467274178 +
           (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / (1260.0 * x2)) / x2) / x;
}

uint32_t cs_pcg32_poisson_invert(double u, double lambda) {
    double p = cs_exp(-lambda), F = p;
    uint32_t k = 0;
    while (u > F) {
        k++;
        p *= lambda / k;
        /* F has stopped growing: u lies in the last ulp of rounding error; stop here. */
        if (F + p == F) break;
        F += p;
    }
    return k;
}

uint32_t cs_pcg32_poisson(cs_pcg32 *rng, double lambda) {
    if (!(lambda > 0.0)) return 0; /* also catches NaN */
    /* saturated, as a draw there would be; an infinite rate made k NaN and its cast undefined */
    if (lambda >= 4294967295.0) return UINT32_MAX;
    if (lambda < 10.0) {
        /* Sequential inversion of the CDF: one uniform per draw. */
        double u = cs_pcg32_uniform(rng);
        /* k = 0 without the exp where u is clearly below exp(-lambda) > 1 - lambda: the
         * margin 2^-50 covers the roundings of 1 - lambda, this product and exp (under an ulp
         * each), so the answer is the loop's. Rare events (startups per cell) mostly end here. */
        if (u < (1.0 - lambda) * (1.0 - 0x1p-50)) return 0;
        return cs_pcg32_poisson_invert(u, lambda);
    }
    /* PTRS, Hoermann (1993), constants as in the paper. */
    double slam = sqrt(lambda), loglam = cs_log(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double log_invalpha = cs_log(1.1239 + 1.1328 / (b - 3.4));
    double vr = 0.9277 - 3.6224 / (b - 2.0);
    for (;;) {
        /* uniform_pos keeps us > 0 (no division by zero) and V > 0 (finite log). */
        double U = cs_pcg32_uniform_pos(rng) - 0.5;
        double V = cs_pcg32_uniform_pos(rng);
        double us = 0.5 - fabs(U);
        double k = floor((2.0 * a / us + b) * U + lambda + 0.43);
        if (us >= 0.07 && V <= vr) {
            if (k < 0.0) continue; /* cannot happen for lambda >= 10; guards the cast */
            return k >= 4294967295.0 ? UINT32_MAX : (uint32_t)k;
        }
        if (k < 0.0 || (us < 0.013 && V > us)) continue;
        if (cs_log(V) + log_invalpha - cs_log(a / (us * us) + b) <=
            -lambda + k * loglam - log_factorial(k))
            return k >= 4294967295.0 ? UINT32_MAX : (uint32_t)k;
    }
}

uint64_t cs_hash4_prefix(uint64_t seed, uint64_t step, uint64_t phase) {
    uint64_t h = cs_mix64(seed ^ 0x243f6a8885a308d3ULL);
    h = cs_mix64(h ^ step ^ 0x13198a2e03707344ULL);
    return cs_mix64(h ^ phase ^ 0xa4093822299f31d0ULL);
}

uint64_t cs_hash4(uint64_t seed, uint64_t step, uint64_t phase, uint64_t entity) {
    /* A chain of bijections: for fixed earlier parts, distinct values of any part give distinct
     * hashes. Different constants from cs_rng_stream so the two are not trivially related. */
    return cs_hash4_entity(cs_hash4_prefix(seed, step, phase), entity);
}
