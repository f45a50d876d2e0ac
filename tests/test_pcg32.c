/* test_pcg32.c: PCG32 against published vectors and the C++ reference library, jump-ahead,
 * distributions, and the stream keying of MODEL.md section 5. */
#include "check.h"
#include "pcg32.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCG_MULT 6364136223846793005ULL

static char exe_dir[PATH_MAX];

/* Outputs 1-12 of pcg32 seeded (42, 54). The first six are printed by pcg-c-basic's
 * pcg32-demo; all twelve agree with the C++ library and an independent Python model. */
static const uint32_t vec_42_54[12] = {0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293,
                                       0xbfa4784b, 0xcbed606e, 0xbfc6a3ad, 0x812fff6d,
                                       0xe61f305a, 0xf9384b90, 0x32db86fe, 0x1dc035f9};

static void test_reference_vector(void) {
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 42u, 54u);
    for (int i = 0; i < 12; i++)
        CHECK_MSG(cs_pcg32_random(&rng) == vec_42_54[i], "output %d", i + 1);
}

/* pcg32-demo (pcg-c-basic), round 1 after its six numbers: 65 coins, 33 dice, a 52-card shuffle,
 * then round 2's six numbers 0x74ab93ad ... 0x0fa83bab. Checks boundedrand as well. */
static void test_pcg32_demo(void) {
    static const char coins[] = "HHTTTHTHHHTHTTTHHHHHTTTHHHTHTHTHTTHTTTHHHHHHTTTTHHTTTTTHTTTTTTTHT";
    static const int rolls[33] = {3, 4, 1, 1, 2, 2, 3, 2, 4, 3, 2, 4, 3, 3, 5, 2, 3,
                                  1, 3, 1, 5, 1, 4, 1, 5, 6, 4, 6, 6, 2, 6, 3, 3};
    static const char deal[] = "Qd Ks 6d 3s 3d 4c 3h Td Kc 5c Jh Kd Jd As 4s 4h Ad Th Ac Jc 7s Qs "
                               "2s 7h Kh 2d 6c Ah 4d Qh 9h 6s 5s 2c 9c Ts 8d 9s 3c 8c Js 5d 2h 6h "
                               "7d 8s 9d 5h 8h Qc 7c Tc";
    static const uint32_t round2[6] = {0x74ab93ad, 0x1c1da000, 0x494ff896,
                                       0x34462f2f, 0xd308a3e5, 0x0fa83bab};
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 42u, 54u);
    for (int i = 0; i < 6; i++) CHECK(cs_pcg32_random(&rng) == vec_42_54[i]);
    char got[66];
    for (int i = 0; i < 65; i++) got[i] = cs_pcg32_bounded(&rng, 2) ? 'H' : 'T';
    got[65] = '\0';
    CHECK_MSG(strcmp(got, coins) == 0, "coins %s", got);
    for (int i = 0; i < 33; i++) CHECK(cs_pcg32_bounded(&rng, 6) + 1 == (uint32_t)rolls[i]);
    int cards[52];
    for (int i = 0; i < 52; i++) cards[i] = i;
    for (int i = 52; i > 1; --i) {
        uint32_t chosen = cs_pcg32_bounded(&rng, (uint32_t)i);
        int card = cards[chosen];
        cards[chosen] = cards[i - 1];
        cards[i - 1] = card;
    }
    char dealt[52 * 3];
    for (int i = 0; i < 52; i++) {
        dealt[3 * i] = "A23456789TJQK"[cards[i] / 4];
        dealt[3 * i + 1] = "hcds"[cards[i] % 4];
        dealt[3 * i + 2] = i < 51 ? ' ' : '\0';
    }
    CHECK_MSG(strcmp(dealt, deal) == 0, "cards %s", dealt);
    for (int i = 0; i < 6; i++) CHECK_MSG(cs_pcg32_random(&rng) == round2[i], "round 2, %d", i);
}

static void test_advance_back(void) {
    cs_pcg32 rng;
    cs_pcg32_srandom(&rng, 42u, 54u);
    uint32_t first[6];
    for (int i = 0; i < 6; i++) first[i] = cs_pcg32_random(&rng);
    cs_pcg32_advance(&rng, (uint64_t)-6);
    for (int i = 0; i < 6; i++) CHECK(cs_pcg32_random(&rng) == first[i]);
    /* Advancing by 0 is the identity. */
    cs_pcg32 copy = rng;
    cs_pcg32_advance(&rng, 0);
    CHECK(rng.state == copy.state && rng.inc == copy.inc);
}

static void test_advance_far(void) {
    cs_pcg32 a, b;
    cs_rng_stream(&a, 7u, 3u, CS_PH_TEST, 11u);
    b = a;
    cs_pcg32 start = a;
    cs_pcg32_advance(&a, 1000000u);
    for (int i = 0; i < 1000000; i++) cs_pcg32_random(&b);
    CHECK(a.state == b.state);
    CHECK(a.inc == b.inc);
    for (int i = 0; i < 10; i++) CHECK(cs_pcg32_random(&a) == cs_pcg32_random(&b));
    /* Forward and back again by a huge distance returns to the start. */
    a = start;
    cs_pcg32_advance(&a, 0x8000000000000001ULL);
    CHECK(a.state != start.state);
    cs_pcg32_advance(&a, (uint64_t)0 - 0x8000000000000001ULL);
    CHECK(a.state == start.state);
    /* The full period 2^64 is the identity: two halves of 2^63. */
    cs_pcg32_advance(&a, 1ULL << 63);
    cs_pcg32_advance(&a, 1ULL << 63);
    CHECK(a.state == start.state);
}

/* cs_pcg32_bounded_by (precomputed threshold, multiply-shift remainder) against
 * cs_pcg32_bounded (two divisions): the same values and the same number of draws, for edge
 * bounds (0, 1, powers of two and their neighbours, near 2^32) and 20 000 random bounds. */
static void test_bounded_by(void) {
    const uint32_t edge[] = {0u,          1u,          2u,          3u,          5u,
                             6u,          7u,          10u,         1000u,       65535u,
                             65536u,      65537u,      2147483647u, 2147483648u, 2147483649u,
                             3000000000u, 4294967294u, UINT32_MAX};
    cs_pcg32 pick;
    cs_rng_stream(&pick, 5u, 0u, CS_PH_TEST, 1u);
    int mismatches = 0;
    for (int t = 0; t < 20000 + (int)(sizeof edge / sizeof edge[0]); t++) {
        uint32_t n =
            t < (int)(sizeof edge / sizeof edge[0]) ? edge[t] : cs_pcg32_random(&pick) >> (t % 32);
        cs_bound b = cs_bound_make(n);
        cs_pcg32 r1, r2;
        cs_rng_stream(&r1, 9u, (uint32_t)t, CS_PH_TEST, 2u);
        r2 = r1;
        for (int k = 0; k < 50; k++)
            mismatches += cs_pcg32_bounded(&r1, n) != cs_pcg32_bounded_by(&r2, &b);
        mismatches += r1.state != r2.state;
    }
    CHECK(mismatches == 0);
}

static void test_bounded(void) {
    cs_pcg32 rng;
    cs_rng_stream(&rng, 1u, 0u, CS_PH_TEST, 0u);
    /* Small bound: every value in range, chi-square over 10 bins (9 df; mean 9, sd 4.2). */
    enum { N = 1000000 };
    double counts[10] = {0};
    int out_of_range = 0;
    for (int i = 0; i < N; i++) {
        uint32_t r = cs_pcg32_bounded(&rng, 10u);
        if (r >= 10u)
            out_of_range++;
        else
            counts[r] += 1.0;
    }
    CHECK(out_of_range == 0);
    double chi2 = 0.0;
    for (int k = 0; k < 10; k++)
        chi2 += (counts[k] - N / 10.0) * (counts[k] - N / 10.0) / (N / 10.0);
    CHECK_MSG(chi2 < 40.0, "chi2 %g (bound 10)", chi2);
    /* Large bound, where about 30% of raw draws are rejected: 10 equal-width bins. */
    const uint32_t big = 3000000000u;
    double bc[10] = {0};
    out_of_range = 0;
    for (int i = 0; i < N; i++) {
        uint32_t r = cs_pcg32_bounded(&rng, big);
        if (r >= big)
            out_of_range++;
        else
            bc[r / 300000000u] += 1.0;
    }
    CHECK(out_of_range == 0);
    chi2 = 0.0;
    for (int k = 0; k < 10; k++) chi2 += (bc[k] - N / 10.0) * (bc[k] - N / 10.0) / (N / 10.0);
    CHECK_MSG(chi2 < 40.0, "chi2 %g (bound 3e9)", chi2);
    /* Degenerate bounds. */
    int nonzero = 0;
    for (int i = 0; i < 1000; i++) nonzero += cs_pcg32_bounded(&rng, 1u) != 0;
    for (int i = 0; i < 1000; i++) nonzero += cs_pcg32_bounded(&rng, 0u) != 0;
    CHECK(nonzero == 0);
    /* 2^32 - 1: in range. */
    out_of_range = 0;
    for (int i = 0; i < 1000; i++) out_of_range += cs_pcg32_bounded(&rng, UINT32_MAX) >= UINT32_MAX;
    CHECK(out_of_range == 0);
}

/* A generator whose next two outputs are all ones (bits = 1) or all zeros (bits = 0): the
 * extremes of uniform and uniform_pos. Output bits 0-31 of XSH-RR are a rotation of bits 27-58 of
 * old ^ (old >> 18), so those bits are set from the top down; inc then links the two states. */
static uint64_t craft_state(int bits, uint64_t top) {
    uint64_t s = top & (0x1FULL << 59); /* rotation bits are free */
    for (int i = 58; i >= 27; i--) {
        uint64_t hi = i + 18 <= 63 ? (s >> (i + 18)) & 1u : 0u;
        if (((uint64_t)bits ^ hi) & 1u) s |= 1ULL << i;
    }
    return s;
}

static void craft(cs_pcg32 *rng, int bits) {
    uint64_t s1 = craft_state(bits, 0xA800000000000000ULL);
    uint64_t s2 = craft_state(bits, 0x5000000000000000ULL);
    uint64_t inc = s2 - s1 * PCG_MULT;
    if (!(inc & 1u)) { /* bit 0 of s2 is free: flip it to make inc odd */
        s2 ^= 1u;
        inc = s2 - s1 * PCG_MULT;
    }
    rng->state = s1;
    rng->inc = inc;
}

static void test_uniform_extremes(void) {
    cs_pcg32 rng;
    craft(&rng, 1);
    cs_pcg32 copy = rng;
    CHECK(cs_pcg32_random(&copy) == UINT32_MAX);
    CHECK(cs_pcg32_random(&copy) == UINT32_MAX);
    copy = rng;
    double u = cs_pcg32_uniform(&copy);
    CHECK_MSG(u < 1.0 && u > 0.9999999, "max uniform %.17g", u);
    copy = rng;
    u = cs_pcg32_uniform_pos(&copy);
    CHECK_MSG(u < 1.0 && u > 0.9999999, "max uniform_pos %.17g", u);
    copy = rng;
    CHECK(isfinite(cs_pcg32_normal(&copy)));

    craft(&rng, 0);
    copy = rng;
    CHECK(cs_pcg32_random(&copy) == 0u);
    CHECK(cs_pcg32_random(&copy) == 0u);
    copy = rng;
    CHECK(cs_pcg32_uniform(&copy) == 0.0);
    copy = rng;
    u = cs_pcg32_uniform_pos(&copy);
    CHECK_MSG(u > 0.0 && u < 1e-15, "min uniform_pos %g", u);
    copy = rng;
    double z = cs_pcg32_normal(&copy);
    CHECK_MSG(isfinite(z) && z > 8.0, "normal at u1 = 2^-53: %g", z);
    copy = rng; /* PTRS with U at its lowest: must still terminate with a sane value */
    uint32_t k = cs_pcg32_poisson(&copy, 100.0);
    CHECK(k < 1000u);
}

static void test_uniform(void) {
    cs_pcg32 rng;
    cs_rng_stream(&rng, 2u, 0u, CS_PH_TEST, 0u);
    enum { N = 1000000 };
    double s = 0.0, s2 = 0.0;
    int bad = 0, bad_pos = 0;
    for (int i = 0; i < N; i++) {
        double u = cs_pcg32_uniform(&rng);
        if (!(u >= 0.0 && u < 1.0)) bad++;
        s += u;
        s2 += u * u;
        double v = cs_pcg32_uniform_pos(&rng);
        if (!(v > 0.0 && v < 1.0)) bad_pos++;
    }
    CHECK(bad == 0);
    CHECK(bad_pos == 0);
    double mean = s / N, var = s2 / N - mean * mean;
    CHECK_CLOSE(mean, 0.5, 0.0015); /* sd of the mean 0.00029 */
    CHECK_CLOSE(var, 1.0 / 12.0, 0.0005);
}

static void test_normal(void) {
    cs_pcg32 rng;
    cs_rng_stream(&rng, 3u, 0u, CS_PH_TEST, 0u);
    enum { N = 1000000 };
    double s = 0.0, s2 = 0.0, s4 = 0.0;
    int tail = 0;
    for (int i = 0; i < N; i++) {
        double z = cs_pcg32_normal(&rng);
        s += z;
        s2 += z * z;
        s4 += z * z * z * z;
        if (fabs(z) > 1.959963984540054) tail++;
    }
    double mean = s / N, sd = sqrt(s2 / N - mean * mean);
    CHECK_CLOSE(mean, 0.0, 0.005);
    CHECK_CLOSE(sd, 1.0, 0.005);
    CHECK_CLOSE(s4 / N, 3.0, 0.05);
    CHECK_CLOSE((double)tail / N, 0.05, 0.0015);

    /* Lognormal: mean exp(mu + sigma^2 / 2); median exp(mu). */
    double mu = 0.5, sigma = 0.4, ls = 0.0;
    int below = 0;
    for (int i = 0; i < N; i++) {
        double x = cs_pcg32_lognormal(&rng, mu, sigma);
        ls += x;
        if (x < exp(mu)) below++;
    }
    CHECK_CLOSE(ls / N, exp(mu + 0.5 * sigma * sigma), 0.005); /* sd of the mean 0.00074 */
    CHECK_CLOSE((double)below / N, 0.5, 0.003);
}

static void test_poisson_moments(void) {
    static const double lambdas[] = {0.1, 3.0, 9.9, 10.0, 50.0, 1000.0, 1e6, 1e7, 1e9};
    cs_pcg32 rng;
    for (size_t j = 0; j < sizeof lambdas / sizeof lambdas[0]; j++) {
        double lam = lambdas[j];
        int n = lam >= 1e7 ? 50000 : 200000;
        cs_rng_stream(&rng, 4u, (uint32_t)j, CS_PH_TEST, 0u);
        double s = 0.0, s2 = 0.0;
        for (int i = 0; i < n; i++) {
            double k = cs_pcg32_poisson(&rng, lam);
            s += k;
            s2 += k * k;
        }
        double mean = s / n, var = s2 / n - mean * mean;
        /* Six standard errors: of the mean sqrt(lam / n), of the variance about
         * sqrt((2 lam^2 + lam) / n). */
        CHECK_MSG(fabs(mean - lam) <= 6.0 * sqrt(lam / n), "lambda %g: mean %.10g", lam, mean);
        CHECK_MSG(fabs(var - lam) <= 6.0 * sqrt((2.0 * lam * lam + lam) / n),
                  "lambda %g: variance %.10g", lam, var);
    }
    /* lambda <= 0 (and NaN) give 0. */
    CHECK(cs_pcg32_poisson(&rng, 0.0) == 0u);
    CHECK(cs_pcg32_poisson(&rng, -5.0) == 0u);
    CHECK(cs_pcg32_poisson(&rng, NAN) == 0u);
}

/* The normal's whole distribution, tails included: chi-square of 8 million draws in bins of
 * 0.25 between -4.5 and 4.5 plus the two tails, against Phi; and the two tails beyond 3.5
 * separately (about 1,860 each, sd 43). */
static void test_normal_cdf(void) {
    enum { N = 8000000, NB = 38 }; /* 36 bins of 0.25 in [-4.5, 4.5), two tails */
    double count[NB] = {0};
    long above = 0, below = 0;
    cs_pcg32 rng;
    cs_rng_stream(&rng, 17u, 0u, CS_PH_TEST, 0u);
    for (int i = 0; i < N; i++) {
        const double z = cs_pcg32_normal(&rng);
        int b = z < -4.5 ? 0 : z >= 4.5 ? NB - 1 : 1 + (int)floor((z + 4.5) / 0.25);
        if (z >= -4.5 && z < 4.5 && b > NB - 2) b = NB - 2; /* rounding at the top edge */
        count[b] += 1.0;
        above += z > 3.5;
        below += z < -3.5;
    }
    double chi2 = 0.0;
    int bins = 0;
    for (int b = 0; b < NB; b++) {
        const double lo = b == 0 ? -INFINITY : -4.5 + 0.25 * (b - 1);
        const double hi = b == NB - 1 ? INFINITY : -4.5 + 0.25 * b;
        const double p = 0.5 * (erfc(-hi / sqrt(2.0)) - erfc(-lo / sqrt(2.0)));
        const double e = N * p;
        chi2 += (count[b] - e) * (count[b] - e) / e;
        bins++;
    }
    const int df = bins - 1;
    CHECK_MSG(chi2 < df + 6.0 * sqrt(2.0 * df), "normal: chi2 %.1f with %d df", chi2, df);
    const double et = N * 0.5 * erfc(3.5 / sqrt(2.0)), sd = sqrt(et);
    CHECK_MSG(fabs(above - et) < 5 * sd && fabs(below - et) < 5 * sd,
              "tails beyond 3.5: %ld and %ld, expected %.0f", above, below, et);
}

/* The draw without its shortcut for k = 0 (u clearly below exp(-lambda)): the full inversion
 * at the same uniform. */
static uint32_t poisson_inversion(cs_pcg32 *rng, double lambda) {
    return cs_pcg32_poisson_invert(cs_pcg32_uniform(rng), lambda);
}

/* The shortcut changes no draw: the same counts and stream positions as the full inversion,
 * stream for stream, for small rates (where it acts) and rates near and above 1 (where it must
 * not); and its threshold lies below exp(-lambda) as computed, over a fine grid of rates. */
static void test_poisson_shortcut(void) {
    static const double lambdas[] = {1e-12, 1e-6, 1e-3, 0.01, 0.05, 0.3, 0.999, 1.0, 1.5, 9.9};
    long zeros = 0;
    for (size_t j = 0; j < sizeof lambdas / sizeof lambdas[0]; j++) {
        for (uint64_t e = 0; e < 20000; e++) {
            cs_pcg32 a, b;
            cs_rng_stream(&a, 11u, (uint32_t)j, CS_PH_TEST, e);
            b = a;
            uint32_t ka = cs_pcg32_poisson(&a, lambdas[j]), kb = poisson_inversion(&b, lambdas[j]);
            zeros += ka == 0;
            if (ka != kb || a.state != b.state) {
                CHECK(ka == kb && a.state == b.state);
                return;
            }
        }
    }
    CHECK(zeros > 100000); /* the small rates gave zeros, so the shortcut ran */
    for (int t = 0; t < 2000; t++) {
        double lam = 1e-4 * (t + 1);
        double lim = (1.0 - lam) * (1.0 - 0x1p-50), F = exp(-lam);
        CHECK(lim < F);
    }
}

/* The whole distribution, not just two moments: chi-square of counts against the pmf, in bins of
 * one value where the expected count is at least 20, the rest pooled. */
static void test_poisson_pmf(void) {
    static const double lambdas[] = {0.1, 3.0, 9.9, 10.0, 15.0, 50.0, 1000.0};
    enum { N = 2000000, KMAX = 1400 };
    static double counts[KMAX + 1];
    cs_pcg32 rng;
    for (size_t j = 0; j < sizeof lambdas / sizeof lambdas[0]; j++) {
        double lam = lambdas[j];
        memset(counts, 0, sizeof counts);
        cs_rng_stream(&rng, 5u, (uint32_t)j, CS_PH_TEST, 0u);
        for (int i = 0; i < N; i++) {
            uint32_t k = cs_pcg32_poisson(&rng, lam);
            counts[k > KMAX ? KMAX : k] += 1.0;
        }
        double chi2 = 0.0, pooled_obs = 0.0, pooled_exp = 0.0;
        int bins = 0;
        for (int k = 0; k < KMAX; k++) {
            double e = N * exp(-lam + k * log(lam) - lgamma(k + 1.0));
            if (e >= 20.0) {
                chi2 += (counts[k] - e) * (counts[k] - e) / e;
                bins++;
            } else {
                pooled_obs += counts[k];
                pooled_exp += e;
            }
        }
        pooled_obs += counts[KMAX]; /* expected mass beyond KMAX is negligible here */
        if (pooled_exp >= 5.0) {
            chi2 += (pooled_obs - pooled_exp) * (pooled_obs - pooled_exp) / pooled_exp;
            bins++;
        } else {
            CHECK_MSG(pooled_obs <= 20.0, "lambda %g: %g draws in rare values", lam, pooled_obs);
        }
        double df = bins - 1;
        if (getenv("PCG_VERBOSE")) fprintf(stderr, "lambda %g chi2 %g df %g\n", lam, chi2, df);
        CHECK_MSG(chi2 < df + 5.0 * sqrt(2.0 * df) + 5.0, "lambda %g: chi2 %g, df %g", lam, chi2,
                  df);
    }
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Correlation of neighbouring entries and their mean number of differing bits. */
static void neighbour_stats(const uint32_t *v, int n, double *corr, double *bits) {
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, b = 0;
    for (int i = 0; i + 1 < n; i++) {
        double x = v[i], y = v[i + 1];
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
        b += __builtin_popcount(v[i] ^ v[i + 1]);
    }
    int m = n - 1;
    double cov = sxy / m - (sx / m) * (sy / m);
    *corr = cov / sqrt((sxx / m - (sx / m) * (sx / m)) * (syy / m - (sy / m) * (sy / m)));
    *bits = b / m;
}

static int all_distinct(const uint32_t *v, int n) {
    uint32_t *s = malloc((size_t)n * sizeof *s);
    if (!s) return 0;
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_u32);
    int ok = 1;
    for (int i = 0; i + 1 < n; i++) ok &= s[i] != s[i + 1];
    free(s);
    return ok;
}

static void test_streams(void) {
    enum { N = 1000 };
    uint32_t by_entity[N], by_step[N], by_seed[N], by_phase[N];
    cs_pcg32 rng;
    for (int i = 0; i < N; i++) {
        cs_rng_stream(&rng, 12345u, 7u, CS_PH_MATCH_SEARCH, (uint64_t)i);
        by_entity[i] = cs_pcg32_random(&rng);
        cs_rng_stream(&rng, 12345u, (uint32_t)i, CS_PH_MATCH_SEARCH, 5u);
        by_step[i] = cs_pcg32_random(&rng);
        cs_rng_stream(&rng, (uint64_t)i, 7u, CS_PH_MATCH_SEARCH, 5u);
        by_seed[i] = cs_pcg32_random(&rng);
        cs_rng_stream(&rng, 12345u, 7u, (uint32_t)i, 5u);
        by_phase[i] = cs_pcg32_random(&rng);
    }
    const uint32_t *sets[4] = {by_entity, by_step, by_seed, by_phase};
    const char *names[4] = {"entity", "step", "seed", "phase"};
    for (int j = 0; j < 4; j++) {
        double corr, bits;
        neighbour_stats(sets[j], N, &corr, &bits);
        CHECK_MSG(all_distinct(sets[j], N), "first outputs repeat across neighbouring %s",
                  names[j]);
        /* sd of the correlation is about 0.032; of the mean bit difference about 0.09. */
        CHECK_MSG(fabs(corr) < 0.15, "%s: neighbour correlation %g", names[j], corr);
        CHECK_MSG(fabs(bits - 16.0) < 0.6, "%s: mean differing bits %g", names[j], bits);
    }

    /* Changing any one key part changes the stream; the same key gives the same stream. */
    cs_pcg32 base, other;
    cs_rng_stream(&base, 12345u, 7u, CS_PH_MATCH_SEARCH, 99u);
    cs_rng_stream(&other, 12345u, 7u, CS_PH_MATCH_SEARCH, 99u);
    CHECK(base.state == other.state && base.inc == other.inc);
    const cs_pcg32 b0 = base;
    uint32_t ref[4];
    for (int i = 0; i < 4; i++) ref[i] = cs_pcg32_random(&base);
    cs_pcg32 variants[8];
    cs_rng_stream(&variants[0], 12346u, 7u, CS_PH_MATCH_SEARCH, 99u);
    cs_rng_stream(&variants[1], 12345u, 8u, CS_PH_MATCH_SEARCH, 99u);
    cs_rng_stream(&variants[2], 12345u, 7u, CS_PH_MATCH_TIES, 99u);
    cs_rng_stream(&variants[3], 12345u, 7u, CS_PH_MATCH_SEARCH, 100u);
    cs_rng_stream(&variants[4], 12345u ^ (1ULL << 63), 7u, CS_PH_MATCH_SEARCH, 99u);
    cs_rng_stream(&variants[5], 12345u, 7u | (1u << 31), CS_PH_MATCH_SEARCH, 99u);
    cs_rng_stream(&variants[6], 12345u, 7u, CS_PH_MATCH_SEARCH, 99u ^ (1ULL << 63));
    cs_rng_stream(&variants[7], 12345u, CS_PH_MATCH_SEARCH, 7u, 99u); /* step, phase swapped */
    for (int v = 0; v < 8; v++) {
        CHECK_MSG(variants[v].state != b0.state && variants[v].inc != b0.inc, "variant %d", v);
        int same = 0;
        for (int i = 0; i < 4; i++) same += cs_pcg32_random(&variants[v]) == ref[i];
        CHECK_MSG(same < 2, "variant %d shares %d of 4 outputs", v, same);
    }
    /* The all-zero key is not degenerate. */
    cs_pcg32 z0, z1;
    cs_rng_stream(&z0, 0u, 0u, 0u, 0u);
    cs_rng_stream(&z1, 0u, 0u, 0u, 1u);
    CHECK(z0.state != 0u && z0.inc != 1u && z0.state != z1.state && z0.inc != z1.inc);
}

static void test_mix_and_hash(void) {
    /* splitmix64 from seed 0: outputs are cs_mix64 of multiples of the golden gamma. */
    CHECK(cs_mix64(0x9e3779b97f4a7c15ULL) == 0xe220a8397b1dcdafULL);
    CHECK(cs_mix64(0x9e3779b97f4a7c15ULL * 2u) == 0x6e789e6aa1b965f4ULL);
    CHECK(cs_mix64(0x9e3779b97f4a7c15ULL * 3u) == 0x06c45d188009454fULL);

    uint64_t h = cs_hash4(1u, 2u, 3u, 4u);
    CHECK(h == cs_hash4(1u, 2u, 3u, 4u));
    CHECK(h != cs_hash4(0u, 2u, 3u, 4u));
    CHECK(h != cs_hash4(1u, 3u, 3u, 4u));
    CHECK(h != cs_hash4(1u, 2u, 4u, 4u));
    CHECK(h != cs_hash4(1u, 2u, 3u, 5u));
    CHECK(h != cs_hash4(2u, 1u, 3u, 4u)); /* order of the parts matters */
    CHECK(h != cs_hash4(1u, 2u, 4u, 3u));
    /* Neighbouring entities: distinct, top bit balanced, about half the bits differ. */
    enum { N = 1000 };
    uint32_t hi[N], lo[N];
    int top = 0;
    for (int i = 0; i < N; i++) {
        uint64_t x = cs_hash4(9u, 10u, CS_PH_MATCH_TIES, (uint64_t)i);
        hi[i] = (uint32_t)(x >> 32);
        lo[i] = (uint32_t)x;
        top += (int)(x >> 63);
    }
    CHECK(all_distinct(hi, N));
    CHECK_MSG(abs(top - N / 2) < 80, "top bit set in %d of %d", top, N);
    double corr, bits;
    neighbour_stats(hi, N, &corr, &bits);
    CHECK_MSG(fabs(corr) < 0.15 && fabs(bits - 16.0) < 0.6, "hash hi: corr %g bits %g", corr, bits);
    neighbour_stats(lo, N, &corr, &bits);
    CHECK_MSG(fabs(corr) < 0.15 && fabs(bits - 16.0) < 0.6, "hash lo: corr %g bits %g", corr, bits);
}

/* Runs build/tests/pcg_reference (beside this binary) on `in` and compares its outputs with
 * expected[0..n). Fails (never skips) when the binary is missing or misbehaves. */
static int run_reference(const char *in, const uint32_t *expected, size_t n) {
    char ref[PATH_MAX + 32], tmpl[PATH_MAX], cmd[3 * PATH_MAX];
    snprintf(ref, sizeof ref, "%s/pcg_reference", exe_dir);
    if (access(ref, X_OK) != 0) {
        fprintf(stderr, "  reference binary %s missing: build it with make %s\n", ref, ref);
        return 0;
    }
    const char *tmpdir = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/cs_pcg_ref_XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(tmpl);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmpl);
        return 0;
    }
    int ok = fputs(in, f) >= 0;
    ok &= fclose(f) == 0;
    if (strchr(ref, '\'') || strchr(tmpl, '\'')) ok = 0; /* keep the shell quoting simple */
    FILE *p = NULL;
    if (ok) {
        snprintf(cmd, sizeof cmd, "'%s' < '%s'", ref, tmpl);
        p = popen(cmd, "r");
    }
    size_t got = 0, mismatches = 0;
    if (p) {
        unsigned long long v;
        while (fscanf(p, "%llu", &v) == 1) {
            if (got < n && v != expected[got]) {
                if (mismatches < 5)
                    fprintf(stderr, "  output %zu: reference %llu, ours %u\n", got, v,
                            (unsigned)expected[got]);
                mismatches++;
            }
            got++;
        }
        ok &= pclose(p) == 0;
    } else {
        ok = 0;
    }
    unlink(tmpl);
    if (got != n) fprintf(stderr, "  reference gave %zu outputs, expected %zu\n", got, n);
    return ok && got == n && mismatches == 0;
}

static void test_cross_check(void) {
    static const uint64_t keys[16] = {0u,
                                      1u,
                                      2u,
                                      42u,
                                      54u,
                                      0xFFFFFFFFu,
                                      0x100000000ULL,
                                      0x7FFFFFFFFFFFFFFFULL,
                                      0x8000000000000000ULL,
                                      0x8000000000000001ULL,
                                      0xFFFFFFFFFFFFFFFEULL,
                                      0xFFFFFFFFFFFFFFFFULL,
                                      0xDEADBEEFCAFEBABEULL,
                                      0x0123456789ABCDEFULL,
                                      6364136223846793005ULL,
                                      1442695040888963407ULL};
    static const uint64_t deltas[8] = {1u,
                                       6u,
                                       1000000u,
                                       1000000000000ULL,
                                       0x8000000000000000ULL,
                                       (uint64_t)-6,
                                       0xFFFFFFFFFFFFFFFFULL,
                                       0x0F1E2D3C4B5A6978ULL};
    enum { NPLAIN = 16 * 16 + 64, NOUT = 100, NADV = 8 * 4, NOUT_ADV = 20 };
    size_t n = (size_t)NPLAIN * NOUT + (size_t)NADV * NOUT_ADV;
    uint32_t *expected = malloc(n * sizeof *expected);
    char *in = malloc((size_t)(NPLAIN + NADV) * 80 + 1);
    if (!expected || !in) {
        CHECK(!"out of memory");
        free(expected);
        free(in);
        return;
    }
    size_t len = 0, e = 0;
    in[0] = '\0';
    for (int j = 0; j < NPLAIN; j++) {
        /* All pairs of the special values, then 64 pairs from a mixer for spread. */
        uint64_t s = j < 256 ? keys[j / 16] : cs_mix64((uint64_t)j);
        uint64_t q = j < 256 ? keys[j % 16] : cs_mix64((uint64_t)j * 31u + 7u);
        len += (size_t)sprintf(in + len, "%llu %llu %d\n", (unsigned long long)s,
                               (unsigned long long)q, NOUT);
        cs_pcg32 rng;
        cs_pcg32_srandom(&rng, s, q);
        for (int i = 0; i < NOUT; i++) expected[e++] = cs_pcg32_random(&rng);
    }
    for (int j = 0; j < NADV; j++) {
        uint64_t s = keys[(j * 5 + 3) % 16], q = keys[(j * 7 + 1) % 16], d = deltas[j % 8];
        len += (size_t)sprintf(in + len, "%llu %llu %d %llu\n", (unsigned long long)s,
                               (unsigned long long)q, NOUT_ADV, (unsigned long long)d);
        cs_pcg32 rng;
        cs_pcg32_srandom(&rng, s, q);
        cs_pcg32_advance(&rng, d);
        for (int i = 0; i < NOUT_ADV; i++) expected[e++] = cs_pcg32_random(&rng);
    }
    CHECK(e == n);
    CHECK_MSG(run_reference(in, expected, n), "C++ pcg32 disagrees or did not run");
    /* The 42/54 vector through the C++ library too: its two-argument constructor seeds as
     * pcg32_srandom_r. */
    CHECK_MSG(run_reference("42 54 12\n", vec_42_54, 12), "C++ pcg32(42, 54)");
    free(expected);
    free(in);
}

/* The gap sampler (cs_skip, docs/model.md determinism): every index of a block acts
 * independently with probability p. Over many blocks the count of actors has the binomial mean
 * and variance, every position (first, middle, last) acts with probability p, neighbours act
 * together with probability p^2, and the gaps follow the geometric law (chi-square), for
 * probabilities drawn by inversion and by trials (p > CS_SKIP_DENSE). */
static void skip_check(double p, int nblock) {
    const cs_rng_key key = cs_rng_key_make(7, 3, CS_PH_TEST);
    const int64_t n = CS_SKIP_BLOCK;
    double sum = 0, sum2 = 0, pair = 0;
    double at[3] = {0, 0, 0}; /* positions 0, n / 2, n - 1 */
    for (int b = 0; b < nblock; b++) {
        cs_skip s;
        cs_skip_start(&s, key, b, p);
        int64_t cnt = 0, prev = -2;
        for (int64_t j = cs_skip_next(&s, 0, n); j < n; j = cs_skip_next(&s, j + 1, n)) {
            cnt++;
            if (j == 0) at[0]++;
            if (j == n / 2) at[1]++;
            if (j == n - 1) at[2]++;
            if (j == prev + 1) pair++;
            prev = j;
        }
        sum += (double)cnt;
        sum2 += (double)cnt * (double)cnt;
    }
    const double nb = nblock, mean = sum / nb, var = (sum2 - sum * sum / nb) / (nb - 1);
    const double em = (double)n * p, ev = (double)n * p * (1 - p);
    /* 5 standard errors: the mean's is sqrt(ev / nb), the variance's about ev sqrt(2 / nb) */
    CHECK_MSG(fabs(mean - em) <= 5 * sqrt(ev / nb), "p %g: mean %g, binomial %g", p, mean, em);
    CHECK_MSG(fabs(var - ev) <= 5 * ev * sqrt(2 / nb), "p %g: variance %g, binomial %g", p, var,
              ev);
    for (int k = 0; k < 3; k++)
        CHECK_MSG(fabs(at[k] / nb - p) <= 5 * sqrt(p * (1 - p) / nb), "p %g: position %d: %g", p, k,
                  at[k] / nb);
    const double npair = nb * (double)(n - 1), ep = p * p;
    CHECK_MSG(fabs(pair / npair - ep) <= 5 * sqrt(ep * (1 - ep) / npair), "p %g: pairs %g, %g", p,
              pair / npair, ep);

    /* gaps without a block end: bins 0 .. K - 1 and the tail, against p (1 - p)^k */
    enum { K = 24 };
    double obs[K + 1] = {0};
    const int ngap = 200000;
    cs_skip s;
    cs_skip_start(&s, key, 1000000, p);
    int64_t from = 0;
    for (int g = 0; g < ngap; g++) {
        int64_t j = cs_skip_next(&s, from, INT64_MAX / 2);
        int64_t gap = j - from;
        obs[gap < K ? gap : K]++;
        from = j + 1;
    }
    double chi2 = 0, tail = 1;
    int df = 0;
    for (int k = 0; k <= K; k++) {
        double prob = k < K ? p * tail : tail;
        tail *= 1 - p;
        double e = prob * ngap;
        if (e < 5) continue; /* bins too thin for the chi-square approximation */
        chi2 += (obs[k] - e) * (obs[k] - e) / e;
        df++;
    }
    /* mean df - 1, sd sqrt(2 (df - 1)): 5 sd above is a false alarm once in millions */
    CHECK_MSG(chi2 <= (df - 1) + 5 * sqrt(2.0 * (df - 1)), "p %g: gap chi-square %g, %d bins", p,
              chi2, df);
}

static void test_skip(void) {
    skip_check(0.00625, 20000); /* retirement */
    skip_check(0.02, 8000);     /* residence */
    skip_check(0.1, 4000);      /* on-the-job search, low */
    skip_check(0.3, 2000);      /* by trials */
    skip_check(0.6, 2000);
    /* p = 0 and p = 1 (and NaN): no one, everyone; no draw decides them */
    const cs_rng_key key = cs_rng_key_make(1, 1, CS_PH_TEST);
    cs_skip s;
    cs_skip_start(&s, key, 0, 0.0);
    CHECK(cs_skip_next(&s, 5, 100) == 100);
    cs_skip_start(&s, key, 0, NAN);
    CHECK(cs_skip_next(&s, 5, 100) == 100);
    cs_skip_start(&s, key, 0, 1.0);
    for (int64_t j = 0; j < 100; j++) CHECK(cs_skip_next(&s, j, 100) == j);
    /* one stream per block: the same block gives the same actors, another block others */
    int64_t a[8], b[8], c[8];
    cs_skip sa, sb, sc;
    cs_skip_start(&sa, key, 3, 0.02);
    cs_skip_start(&sb, key, 3, 0.02);
    cs_skip_start(&sc, key, 4, 0.02);
    int same = 1, differ = 0;
    for (int k = 0; k < 8; k++) {
        a[k] = cs_skip_next(&sa, k ? a[k - 1] + 1 : 0, INT64_MAX / 2);
        b[k] = cs_skip_next(&sb, k ? b[k - 1] + 1 : 0, INT64_MAX / 2);
        c[k] = cs_skip_next(&sc, k ? c[k - 1] + 1 : 0, INT64_MAX / 2);
        same &= a[k] == b[k];
        differ |= a[k] != c[k];
    }
    CHECK(same && differ);
    /* the block stream is not the stream of the agent with the block's index */
    cs_pcg32 r1, r2;
    cs_rng_stream_keyed(&r1, key, 3);
    cs_rng_stream_keyed(&r2, key, CS_SKIP_TAG | 3);
    CHECK(r1.inc != r2.inc);
}

/* cs_skip_take in groups gives the indexes cs_skip_next gives one by one, and leaves the
 * stream where they leave it (residence and demographics take their actors 32 at a time). */
static void test_skip_take(void) {
    const cs_rng_key key = cs_rng_key_make(7, 3, CS_PH_TEST);
    const double ps[] = {0.02, 0.2, 0.6, 1.0, 0.0};
    const int maxes[] = {1, 5, 32};
    for (size_t q = 0; q < sizeof ps / sizeof ps[0]; q++) {
        for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
            cs_skip one, grp;
            cs_skip_start(&one, key, 9, ps[q]);
            cs_skip_start(&grp, key, 9, ps[q]);
            const int64_t end = 3000;
            int64_t at = cs_skip_next(&grp, 0, end), j = cs_skip_next(&one, 0, end), out[32];
            int all_same = 1, groups = 0, full = 1;
            while (at < end) {
                const int n = cs_skip_take(&grp, &at, end, out, maxes[m]);
                groups++;
                full &= n >= 1 && n <= maxes[m] && (n == maxes[m] || at >= end);
                for (int k = 0; k < n; k++) {
                    all_same &= out[k] == j;
                    j = cs_skip_next(&one, j + 1, end);
                }
            }
            CHECK_MSG(all_same && full && j >= end, "p %g, max %d", ps[q], maxes[m]);
            CHECK(ps[q] > 0 || groups == 0);
            CHECK(grp.rng.state == one.rng.state);
        }
    }
}

int main(int argc, char **argv) {
    /* The reference binary lives beside this one: find our own directory. */
    ssize_t k = readlink("/proc/self/exe", exe_dir, sizeof exe_dir - 1);
    if (k > 0) {
        exe_dir[k] = '\0';
    } else if (argc > 0 && argv[0]) {
        snprintf(exe_dir, sizeof exe_dir, "%s", argv[0]);
    }
    char *slash = strrchr(exe_dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(exe_dir, sizeof exe_dir, ".");

    RUN(test_reference_vector);
    RUN(test_pcg32_demo);
    RUN(test_advance_back);
    RUN(test_advance_far);
    RUN(test_bounded);
    RUN(test_bounded_by);
    RUN(test_uniform_extremes);
    RUN(test_uniform);
    RUN(test_normal);
    RUN(test_normal_cdf);
    RUN(test_poisson_moments);
    RUN(test_poisson_pmf);
    RUN(test_poisson_shortcut);
    RUN(test_streams);
    RUN(test_mix_and_hash);
    RUN(test_cross_check);
    RUN(test_skip);
    RUN(test_skip_take);
    return CHECK_DONE();
}
