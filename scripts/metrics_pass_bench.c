/* metrics_pass_bench.c: a standalone copy of the metrics' worker pass (sim/metrics.c,
 * cs_metrics_compute) on synthetic arrays of the 1:1 sizes, with variants that leave parts out
 * or do them differently (docs/performance-log.md item 85). It tells how much of the pass is
 * its own instructions, how much the employer's random loads and how much streaming memory.
 *
 *   gcc -std=c11 -O3 -fopenmp -ffp-contract=off -o /tmp/mpb scripts/metrics_pass_bench.c -lm
 *   OMP_NUM_THREADS=2 /tmp/mpb                  # every variant, 1.86 million firms
 *   OMP_NUM_THREADS=2 /tmp/mpb --firms 1000     # the firm tables in the level-1 cache
 *
 * Workers: 33 million, 6% unemployed, employers uniform over the firms, homes uniform over
 * 16,000 cells (5% sea), skills in [2^-7, 1]. Each variant runs --reps times (default 5); the
 * times printed are the last three (the first touch the pages). The variants that compute the
 * pass's whole result (keys, range, counts and regional sums) must equal `engine` bit for bit:
 * the program says so, and exits 1 when one does not. */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define R       12 /* regions; slot R: no region */
#define NO_WAGE UINT64_MAX
#define BLOCK   16384 /* workers a block, as WORKER_BLOCK */
#define AHEAD   24    /* prefetch distance, as METRICS_AHEAD */
#define NCELL   16000

typedef struct wblock {
    double reg_wage[R + 1];
    int64_t reg_nemp[R + 1], reg_lf[R + 1], reg_unemp[R + 1];
    int64_t n_emp;
    uint64_t lo, hi;
} wblock;

typedef struct data {
    size_t nw;
    int nf;
    int32_t *employer, *home;
    int32_t *rslot32; /* home cell's region as a slot, R for none (the table and the gathers) */
    float *skill;
    double *w;
    int8_t *freg;    /* employer's region, -1 none, -2 dead; padded for four-byte gathers */
    int16_t *region; /* home cell's region, -1 sea */
    uint64_t *key;
} data;

static inline uint64_t wage_key(double w) {
    uint64_t k;
    memcpy(&k, &w, sizeof k);
    k = (k >> 63) ? ~k : k | (UINT64_C(1) << 63);
    return k == NO_WAGE ? NO_WAGE - 1 : k;
}

static uint64_t rng_state = 88172645463325252ULL;
static uint64_t xorshift(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* The engine's loop (sim/metrics.c), with or without its prefetches. */
static void engine(const data *d, size_t i0, size_t i1, int pf, int sums, wblock *k) {
    const size_t ipf = pf && i1 - i0 > AHEAD ? i1 - AHEAD : i0;
    int64_t n_emp = 0;
    uint64_t lo = NO_WAGE, hi = 0;
    for (size_t i = i0; i < i1; i++) {
        if (i < ipf) {
            const int32_t fa = d->employer[i + AHEAD];
            if (fa >= 0 && fa < d->nf) {
                __builtin_prefetch(&d->w[fa]);
                __builtin_prefetch(&d->freg[fa]);
            }
        }
        const int32_t f = d->employer[i];
        const int wr = f >= 0 && f < d->nf ? d->freg[f] : -2;
        const int hr = d->region[d->home[i]];
        if (sums && hr >= 0 && hr < R) {
            k->reg_lf[hr]++;
            k->reg_unemp[hr] += wr == -2;
        }
        if (wr == -2) {
            d->key[i] = NO_WAGE;
            continue;
        }
        const double w = d->w[f] * (double)d->skill[i];
        const uint64_t wk = wage_key(w);
        d->key[i] = wk;
        lo = wk < lo ? wk : lo;
        hi = wk > hi ? wk : hi;
        n_emp++;
        if (sums && wr >= 0) {
            k->reg_wage[wr] += w;
            k->reg_nemp[wr]++;
        }
    }
    k->n_emp = n_emp, k->lo = lo, k->hi = hi;
}

/* Branchless: one count table by (home slot, workplace slot) instead of four counters. */
static void table(const data *d, size_t i0, size_t i1, wblock *k) {
    const size_t ipf = i1 - i0 > AHEAD ? i1 - AHEAD : i0;
    int32_t cnt[(R + 1) * (R + 2)] = {0};
    double wg[R + 2] = {0};
    uint64_t lo = NO_WAGE, hi = 0;
    for (size_t i = i0; i < i1; i++) {
        if (i < ipf) {
            const int32_t fa = d->employer[i + AHEAD];
            if ((uint32_t)fa < (uint32_t)d->nf) {
                __builtin_prefetch(&d->w[fa]);
                __builtin_prefetch(&d->freg[fa]);
            }
        }
        const int32_t f = d->employer[i];
        const int ok = (uint32_t)f < (uint32_t)d->nf;
        const int32_t g = ok ? f : 0;
        const int wr = ok ? d->freg[g] : -2;
        const int ws = wr >= 0 ? wr : wr == -2 ? R : R + 1; /* R: unemployed, R + 1: no region */
        const int emp = wr != -2;
        cnt[d->rslot32[d->home[i]] * (R + 2) + ws]++;
        const double w = d->w[g] * (double)d->skill[i];
        const uint64_t wk = emp ? wage_key(w) : NO_WAGE, wh = emp ? wk : 0;
        d->key[i] = wk;
        lo = wk < lo ? wk : lo;
        hi = wh > hi ? wh : hi;
        wg[ws] += w;
    }
    for (int h = 0; h <= R; h++)
        for (int x = 0; x < R + 2; x++) {
            const int c = cnt[h * (R + 2) + x];
            if (x != R) k->n_emp += c;
            if (x < R) k->reg_nemp[x] += c;
            if (h < R) {
                k->reg_lf[h] += c;
                if (x == R) k->reg_unemp[h] += c;
            }
        }
    for (int r = 0; r < R; r++) k->reg_wage[r] = wg[r];
    k->lo = lo, k->hi = hi;
}

/* Streaming only: the arrays the pass reads and writes, no random load, no sums. */
static void stream(const data *d, size_t i0, size_t i1, wblock *k) {
    for (size_t i = i0; i < i1; i++)
        d->key[i] = (uint64_t)(uint32_t)d->employer[i] + (uint64_t)d->home[i] +
                    (uint64_t)(d->skill[i] > 0.5f);
    k->n_emp = 0;
}

#if defined(__x86_64__)
/* Keys, range and counts eight workers at a time with AVX2 gathers; the regional sums scalar,
 * in worker order (the same bits). */
__attribute__((target("avx2"))) static void avx2(const data *d, size_t i0, size_t i1, wblock *k) {
    const __m256i nfv = _mm256_set1_epi32(d->nf), m1 = _mm256_set1_epi32(-1),
                  m2 = _mm256_set1_epi32(-2), zero = _mm256_setzero_si256(),
                  ones = _mm256_set1_epi64x(-1),
                  sgn = _mm256_set1_epi64x((long long)(UINT64_C(1) << 63));
    __m256i lo = _mm256_xor_si256(ones, sgn), hi = sgn; /* sign-flipped NO_WAGE and 0 */
    int64_t ne = 0;
    size_t i = i0;
    for (; i + 8 <= i1; i += 8) {
        if (i + 8 + AHEAD <= i1)
            for (int q = 0; q < 8; q++) {
                const int32_t fa = d->employer[i + AHEAD + q];
                if ((uint32_t)fa < (uint32_t)d->nf) {
                    __builtin_prefetch(&d->w[fa]);
                    __builtin_prefetch(&d->freg[fa]);
                }
            }
        const __m256i f = _mm256_loadu_si256((const __m256i *)(d->employer + i));
        const __m256i ok = _mm256_and_si256(_mm256_cmpgt_epi32(nfv, f), _mm256_cmpgt_epi32(f, m1));
        const __m256i g = _mm256_and_si256(f, ok);
        __m256i fr = _mm256_i32gather_epi32((const int *)d->freg, g, 1);
        fr = _mm256_srai_epi32(_mm256_slli_epi32(fr, 24), 24);
        const __m256i wr = _mm256_blendv_epi8(m2, fr, ok);
        const __m256i emp = _mm256_xor_si256(_mm256_cmpeq_epi32(wr, m2), m1);
        const __m256i hs = _mm256_i32gather_epi32(
            d->rslot32, _mm256_loadu_si256((const __m256i *)(d->home + i)), 4);
        const __m256d w0 = _mm256_i32gather_pd(d->w, _mm256_castsi256_si128(g), 8);
        const __m256d w1 = _mm256_i32gather_pd(d->w, _mm256_extracti128_si256(g, 1), 8);
        const __m256 sk = _mm256_loadu_ps(d->skill + i);
        const __m256d x0 = _mm256_mul_pd(w0, _mm256_cvtps_pd(_mm256_castps256_ps128(sk)));
        const __m256d x1 = _mm256_mul_pd(w1, _mm256_cvtps_pd(_mm256_extractf128_ps(sk, 1)));
        const __m256i e0 = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(emp));
        const __m256i e1 = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(emp, 1));
        __m256i b0 = _mm256_castpd_si256(x0), b1 = _mm256_castpd_si256(x1);
        b0 = _mm256_xor_si256(b0, _mm256_or_si256(_mm256_cmpgt_epi64(zero, b0), sgn));
        b1 = _mm256_xor_si256(b1, _mm256_or_si256(_mm256_cmpgt_epi64(zero, b1), sgn));
        b0 = _mm256_add_epi64(b0, _mm256_cmpeq_epi64(b0, ones)); /* NO_WAGE -> NO_WAGE - 1 */
        b1 = _mm256_add_epi64(b1, _mm256_cmpeq_epi64(b1, ones));
        const __m256i k0 = _mm256_or_si256(b0, _mm256_xor_si256(e0, ones));
        const __m256i k1 = _mm256_or_si256(b1, _mm256_xor_si256(e1, ones));
        _mm256_storeu_si256((__m256i *)(d->key + i), k0);
        _mm256_storeu_si256((__m256i *)(d->key + i + 4), k1);
        const __m256i f0 = _mm256_xor_si256(k0, sgn), f1 = _mm256_xor_si256(k1, sgn);
        lo = _mm256_blendv_epi8(lo, f0, _mm256_cmpgt_epi64(lo, f0));
        lo = _mm256_blendv_epi8(lo, f1, _mm256_cmpgt_epi64(lo, f1));
        const __m256i h0 = _mm256_xor_si256(_mm256_and_si256(b0, e0), sgn);
        const __m256i h1 = _mm256_xor_si256(_mm256_and_si256(b1, e1), sgn);
        hi = _mm256_blendv_epi8(hi, h0, _mm256_cmpgt_epi64(h0, hi));
        hi = _mm256_blendv_epi8(hi, h1, _mm256_cmpgt_epi64(h1, hi));
        ne += __builtin_popcount((unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(emp)));
        int32_t wrs[8], hss[8];
        double ws[8];
        _mm256_storeu_si256((__m256i *)wrs, wr);
        _mm256_storeu_si256((__m256i *)hss, hs);
        _mm256_storeu_pd(ws, x0);
        _mm256_storeu_pd(ws + 4, x1);
        for (int q = 0; q < 8; q++) {
            const int h = hss[q], r = wrs[q];
            if (h < R) {
                k->reg_lf[h]++;
                k->reg_unemp[h] += r == -2;
            }
            if (r >= 0) {
                k->reg_wage[r] += ws[q];
                k->reg_nemp[r]++;
            }
        }
    }
    uint64_t lv[4], hv[4], l = NO_WAGE, h = 0;
    _mm256_storeu_si256((__m256i *)lv, lo);
    _mm256_storeu_si256((__m256i *)hv, hi);
    for (int q = 0; q < 4; q++) {
        const uint64_t a = lv[q] ^ (UINT64_C(1) << 63), b = hv[q] ^ (UINT64_C(1) << 63);
        l = a < l ? a : l;
        h = b > h ? b : h;
    }
    /* the tail (fewer than eight) by the engine's loop, which continues k's sums in order */
    if (i < i1) {
        engine(d, i, i1, 0, 1, k);
        ne += k->n_emp;
        l = k->lo < l ? k->lo : l;
        h = k->hi > h ? k->hi : h;
    }
    k->n_emp = ne, k->lo = l, k->hi = h;
}
#endif

enum { V_ENGINE, V_NOPREFETCH, V_NOSUMS, V_TABLE, V_AVX2, V_STREAM, V_N };
static const char *const vname[V_N] = {"engine", "noprefetch", "nosums", "table", "avx2", "stream"};
static const int vfull[V_N] = {1, 1, 0, 1, 1, 0}; /* computes the whole result */

/* One pass in fixed blocks; returns seconds, and the result's digest in *sig. */
static double pass(const data *d, int v, wblock *wb, uint64_t sig[6]) {
    const int64_t nwb = (int64_t)((d->nw + BLOCK - 1) / BLOCK);
    const double t0 = omp_get_wtime();
#pragma omp parallel for schedule(guided)
    for (int64_t b = 0; b < nwb; b++) {
        const size_t i0 = (size_t)b * BLOCK, i1 = i0 + BLOCK < d->nw ? i0 + BLOCK : d->nw;
        wblock k;
        memset(&k, 0, sizeof k);
        switch (v) {
        case V_ENGINE:
            engine(d, i0, i1, 1, 1, &k);
            break;
        case V_NOPREFETCH:
            engine(d, i0, i1, 0, 1, &k);
            break;
        case V_NOSUMS:
            engine(d, i0, i1, 1, 0, &k);
            break;
        case V_TABLE:
            table(d, i0, i1, &k);
            break;
#if defined(__x86_64__)
        case V_AVX2:
            avx2(d, i0, i1, &k);
            break;
#endif
        default:
            stream(d, i0, i1, &k);
            break;
        }
        wb[b] = k;
    }
    const double t = omp_get_wtime() - t0;
    /* the digest: keys in order, the range, the sums in block order */
    uint64_t h = 0, lo = NO_WAGE, hi = 0, n = 0, cnt = 0;
    for (size_t i = 0; i < d->nw; i++) h = h * 1099511628211ULL + d->key[i];
    double ws = 0.0;
    for (int64_t b = 0; b < nwb; b++) {
        lo = wb[b].lo < lo ? wb[b].lo : lo;
        hi = wb[b].hi > hi ? wb[b].hi : hi;
        n += (uint64_t)wb[b].n_emp;
        for (int r = 0; r < R; r++) {
            ws += wb[b].reg_wage[r] * (r + 1);
            cnt = cnt * 31 +
                  (uint64_t)(wb[b].reg_lf[r] + 7 * wb[b].reg_unemp[r] + 13 * wb[b].reg_nemp[r]);
        }
    }
    uint64_t wsb;
    memcpy(&wsb, &ws, sizeof wsb);
    sig[0] = h, sig[1] = lo, sig[2] = hi, sig[3] = n, sig[4] = cnt, sig[5] = wsb;
    return t;
}

int main(int argc, char **argv) {
    data d = {.nw = 33000000, .nf = 1864440};
    long long nw = (long long)d.nw;
    int reps = 5, ok = 1;
    const char *only = NULL;
    for (int a = 1; a < argc && ok; a++) {
        if (a + 1 < argc && !strcmp(argv[a], "--firms"))
            d.nf = atoi(argv[++a]);
        else if (a + 1 < argc && !strcmp(argv[a], "--workers"))
            nw = atoll(argv[++a]);
        else if (a + 1 < argc && !strcmp(argv[a], "--reps"))
            reps = atoi(argv[++a]);
        else if (a + 1 < argc && !strcmp(argv[a], "--variant"))
            only = argv[++a];
        else
            ok = 0;
    }
    if (!ok || d.nf < 1 || nw < 1 || nw > INT32_MAX || reps < 1) {
        fprintf(stderr,
                "usage: %s [--firms N] [--workers N] [--reps R] [--variant NAME]\n"
                "  (N and R positive; workers below 2^31)\n",
                argv[0]);
        return 2;
    }
    d.nw = (size_t)nw;
    d.employer = malloc(d.nw * sizeof *d.employer);
    d.home = malloc(d.nw * sizeof *d.home);
    d.skill = malloc(d.nw * sizeof *d.skill);
    d.key = malloc(d.nw * sizeof *d.key);
    d.w = malloc((size_t)d.nf * sizeof *d.w);
    d.freg = malloc((size_t)d.nf + 4);
    d.region = malloc(NCELL * sizeof *d.region);
    d.rslot32 = malloc(NCELL * sizeof *d.rslot32);
    wblock *wb = malloc((d.nw / BLOCK + 1) * sizeof *wb);
    if (!d.employer || !d.home || !d.skill || !d.key || !d.w || !d.freg || !d.region ||
        !d.rslot32 || !wb) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    for (int c = 0; c < NCELL; c++) {
        d.region[c] = xorshift() % 20 == 0 ? -1 : (int16_t)(xorshift() % R);
        d.rslot32[c] = d.region[c] >= 0 ? d.region[c] : R;
    }
    for (int f = 0; f < d.nf; f++) {
        d.w[f] = 3000.0 + (double)(xorshift() % 100000) * 0.37;
        const int r = d.region[xorshift() % NCELL];
        d.freg[f] = xorshift() % 50 == 0 ? -2 : (int8_t)(r >= 0 ? r : -1);
    }
    memset(d.freg + d.nf, 0, 4);
    for (size_t i = 0; i < d.nw; i++) {
        d.employer[i] = xorshift() % 100 < 6 ? -1 : (int32_t)(xorshift() % (uint64_t)d.nf);
        d.home[i] = (int32_t)(xorshift() % NCELL);
        d.skill[i] = (float)ldexp((double)(xorshift() % (1u << 23)), -23) * 0.9921875f + 0.0078125f;
    }
    printf("%zu workers, %d firms, %d threads; ms a pass, the last three of %d\n", d.nw, d.nf,
           omp_get_max_threads(), reps);
    uint64_t ref[6];
    int have_ref = 0, bad = 0;
    for (int v = 0; v < V_N; v++) {
        if (only && strcmp(only, vname[v]) && v != V_ENGINE) continue; /* engine: the reference */
#if defined(__x86_64__)
        if (v == V_AVX2 && !__builtin_cpu_supports("avx2")) continue;
#else
        if (v == V_AVX2) continue;
#endif
        uint64_t sig[6];
        printf("%-11s", vname[v]);
        for (int r = 0; r < reps; r++) {
            const double t = pass(&d, v, wb, sig);
            if (r >= reps - 3) printf(" %7.1f", t * 1e3);
        }
        if (v == V_ENGINE) memcpy(ref, sig, sizeof ref), have_ref = 1;
        if (vfull[v] && have_ref) {
            const int eq = !memcmp(ref, sig, sizeof ref);
            printf("   %s", eq ? "equal to engine" : "DIFFERS from engine");
            bad |= !eq;
        }
        printf("\n");
    }
    return bad;
}
