/* test_mathlib.c: the engine's own exp, log, pow, log1p and cos (sim/mathlib.c) against
 * correctly rounded values, at their special values, within one ulp of the C library over the
 * arguments a run gives them, and (on x86-64) exp, log and pow bit for bit against glibc's
 * copies without FMA. */
#include "check.h"
#include "mathlib.h"

#include <gnu/libc-version.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    double x, y, want; /* y: pow's exponent */
} vec;

/* Correctly rounded results, computed to 80-120 digits with Python's decimal module (exp and ln;
 * pow as exp(y ln x); cos by its Taylor series after reduction modulo 2 pi to 200 digits),
 * not with any C library. */
static const vec v_exp[] = {
    {-0x1.e8p+4, 0, 0x1.ff3864232b407p-45},
    {-0x1.dp+2, 0, 0x1.7455fe323fafdp-11},
    {-0x1.0624dd2f1a9fcp-10, 0, 0x1.ff7cfe56f1a9ep-1},
    {0x1.999999999999ap-4, 0, 0x1.1aec7b35a00d4p+0},
    {0x1p-1, 0, 0x1.a61298e1e069cp+0},
    {0x1p+0, 0, 0x1.5bf0a8b145769p+1},
    {0x1.26bb1bbb55516p+1, 0, 0x1.4000000000001p+3},
    {0x1.ep+1, 0, 0x1.542b2d0a266e7p+5},
    {0x1.9p+3, 0, 0x1.060c52565ba66p+18},
    {0x1.5ep+9, 0, 0x1.d945df4f8ec8ep+1009},
    {-0x1.5ep+9, 0, 0x1.14f2b0fb9307fp-1010},
    {0x1.56e1fc2f8f359p-997, 0, 0x1p+0},
};
static const vec v_log[] = {
    {0x1.56e1fc2f8f359p-997, 0, -0x1.5963447f87fb5p+9},
    {0x1.4f8b588e368f1p-17, 0, -0x1.7069e2aa2aa5bp+3},
    {0x1.999999999999ap-4, 0, -0x1.26bb1bbb55515p+1},
    {0x1p-1, 0, -0x1.62e42fefa39efp-1},
    {0x1.ff7ced916872bp-1, 0, -0x1.064670d979b73p-10},
    {0x1.004189374bc6ap+0, 0, 0x1.060354f8c3cc4p-10},
    {0x1.8p+0, 0, 0x1.9f323ecbf984cp-2},
    {0x1.5bf0a8b145769p+1, 0, 0x1p+0},
    {0x1.4p+3, 0, 0x1.26bb1bbb55516p+1},
    {0x1.e240c9fbe76c9p+16, 0, 0x1.77281cad8a844p+3},
    {0x1.7e43c8800759cp+996, 0, 0x1.5963447f87fb5p+9},
    {0x0.0000000000001p-1022, 0, -0x1.74385446d71c3p+9},
};
static const vec v_pow[] = {
    {0x1p+1, 0x1p-1, 0x1.6a09e667f3bcdp+0},
    {0x1.4p+3, -0x1.8p+1, 0x1.0624dd2f1a9fcp-10},
    {0x1.8p-1, 0x1.4p+2, 0x1.e6p-3},
    {0x1.4cccccccccccdp+0, 0x1.999999999999ap-1, 0x1.3bc98be128c8cp+0},
    {0x1.81ccccccccccdp+13, 0x1.999999999999ap-3, 0x1.a531b9227926ap+2},
    {0x1.999999999999ap-5, -0x1p-2, 0x1.0eafe2143519bp+1},
    {0x1.8p+1, 0x1.5555555555555p-2, 0x1.7137449123ef6p+0},
    {0x1.ep+2, 0x1.4p+1, 0x1.34180c5c20783p+7},
    {0x1.4f8b588e368f1p-17, 0x1.999999999999ap-1, 0x1.a36e2eb1c4329p-14},
    {0x1p+1, -0x1.0c8p+10, 0x0.0000000000001p-1022},
};
static const vec v_log1p[] = {
    {-0x1p-1, 0, -0x1.62e42fefa39efp-1},
    {-0x1.5798ee2308c3ap-27, 0, -0x1.5798ee3fdb764p-27},
    {0x1.b7cdfd9d7bdbbp-34, 0, 0x1.b7cdfd9d1d693p-34},
    {0x1.0624dd2f1a9fcp-10, 0, 0x1.060354f8c3ebfp-10},
    {0x1p-2, 0, 0x1.c8ff7c79a9a22p-3},
    {0x1p+0, 0, 0x1.62e42fefa39efp-1},
    {0x1.cp+1, 0, 0x1.810b375dce91ep+0},
    {0x1.8cp+6, 0, 0x1.26bb1bbb55516p+2},
    {0x1.e848p+19, 0, 0x1.ba18abb1dedc8p+3},
};
static const vec v_cos[] = {
    {0x0p+0, 0, 0x1p+0},
    {0x1p-1, 0, 0x1.c1528065b7d5p-1},
    {0x1.921fb54442d18p-1, 0, 0x1.6a09e667f3bcdp-1},
    {0x1p+0, 0, 0x1.14a280fb5068cp-1},
    {0x1.921fb54442d18p+0, 0, 0x1.1a62633145c07p-54},
    {0x1p+1, 0, -0x1.aa22657537205p-2},
    {0x1.921fb54442d18p+1, 0, -0x1p+0},
    {0x1p+2, 0, -0x1.4eaa606db24c1p-1},
    {0x1.6p+2, 0, 0x1.6ad6c3c07d448p-1},
    {0x1.921fb54442d18p+2, 0, 0x1p+0},
    {0x1.9p+6, 0, 0x1.b981dbf665fdfp-1},
    {0x1.e848p+19, 0, 0x1.df9df9906d32cp-1},
    {0x1.d6f3454p+26, 0, 0x1.1f4077c91589fp-3},       /* medium argument reduction */
    {0x1p+60, 0, -0x1.1d146047d6947p-1},              /* large: the multi-word reduction */
    {0x1.0f0cf064dd592p+73, 0, 0x1.0be2cef01c8f4p-1}, /* 1e22 */
};

#define N_OF(a) (int)(sizeof(a) / sizeof(a[0]))

static uint64_t bits(double x) {
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static int same(double a, double b) {
    return bits(a) == bits(b) || (isnan(a) && isnan(b));
}

static void check_table(const char *name, const vec *v, int n, double (*f)(double)) {
    for (int i = 0; i < n; i++) {
        double got = f ? f(v[i].x) : cs_pow(v[i].x, v[i].y);
        CHECK_MSG(same(got, v[i].want), "%s(%a%s%a) = %a, want %a", name, v[i].x, f ? "" : ", ",
                  f ? 0.0 : v[i].y, got, v[i].want);
    }
}

static void test_correctly_rounded_values(void) {
    check_table("cs_exp", v_exp, N_OF(v_exp), cs_exp);
    check_table("cs_log", v_log, N_OF(v_log), cs_log);
    check_table("cs_pow", v_pow, N_OF(v_pow), NULL);
    check_table("cs_log1p", v_log1p, N_OF(v_log1p), cs_log1p);
    check_table("cs_cos", v_cos, N_OF(v_cos), cs_cos);
}

static void test_special_values(void) {
    CHECK(same(cs_exp(0.0), 1.0) && same(cs_exp(-0.0), 1.0));
    CHECK(same(cs_exp(-INFINITY), 0.0) && same(cs_exp(INFINITY), INFINITY));
    CHECK(same(cs_exp(710.0), INFINITY) && same(cs_exp(-746.0), 0.0) && isnan(cs_exp(NAN)));
    CHECK(same(cs_log(1.0), 0.0) && same(cs_log(0.0), -INFINITY) && same(cs_log(-0.0), -INFINITY));
    CHECK(isnan(cs_log(-1.0)) && same(cs_log(INFINITY), INFINITY) && isnan(cs_log(NAN)));
    CHECK(same(cs_pow(2.0, 10.0), 1024.0) && same(cs_pow(-2.0, 3.0), -8.0));
    CHECK(same(cs_pow(0.0, -1.0), INFINITY) && same(cs_pow(-0.0, -1.0), -INFINITY));
    CHECK(same(cs_pow(1.0, NAN), 1.0) && same(cs_pow(NAN, 0.0), 1.0) &&
          isnan(cs_pow(-8.0, 1.0 / 3)));
    CHECK(same(cs_pow(0.5, INFINITY), 0.0) && same(cs_pow(2.0, -INFINITY), 0.0));
    CHECK(same(cs_pow(1e300, 2.0), INFINITY) && same(cs_pow(1e-300, 2.0), 0.0));
    CHECK(same(cs_log1p(0.0), 0.0) && same(cs_log1p(-0.0), -0.0) &&
          same(cs_log1p(-1.0), -INFINITY));
    CHECK(isnan(cs_log1p(-2.0)) && same(cs_log1p(INFINITY), INFINITY) &&
          same(cs_log1p(0x1p-60), 0x1p-60));
    CHECK(same(cs_cos(0.0), 1.0) && same(cs_cos(-0.0), 1.0) && isnan(cs_cos(INFINITY)) &&
          isnan(cs_cos(NAN)));
    CHECK(same(cs_cos(-2.0), cs_cos(2.0)) && same(cs_cos(0x1p-30), 1.0));
}

static uint64_t xs_state = 88172645463325252ULL;
static double u01(void) {
    xs_state ^= xs_state << 13;
    xs_state ^= xs_state >> 7;
    xs_state ^= xs_state << 17;
    return (double)(xs_state >> 11) * 0x1p-53;
}

/* distance in units in the last place between two finite doubles of the same sign */
static int64_t ulps(double a, double b) {
    int64_t d = (int64_t)bits(a) - (int64_t)bits(b);
    return d < 0 ? -d : d;
}

/* Over the ranges a run gives them (normal draws' logs and cosines, exp of productivity terms
 * and shocks, powers of firm sizes, log1p of densities), every result is within one unit in
 * the last place of the C library's: the same functions, not merely the same bits. */
static void test_agrees_with_the_c_library(void) {
    int64_t worst[5] = {0, 0, 0, 0, 0};
    for (int i = 0; i < 200000; i++) {
        double x = u01() * 60.0 - 30.0, u = u01() + 0x1p-53, h = u01() * 2e4, e = u01() * 4 - 2;
        double y = h * u;
        double r[5][2] = {{cs_exp(x), exp(x)},
                          {cs_log(u * 1e6), log(u * 1e6)},
                          {cs_pow(h, e), pow(h, e)},
                          {cs_log1p(y), log1p(y)},
                          {cs_cos(6.283185307179586 * u), cos(6.283185307179586 * u)}};
        for (int k = 0; k < 5; k++) {
            int64_t w = (r[k][0] < 0) == (r[k][1] < 0)
                            ? ulps(r[k][0], r[k][1])
                            : ulps(fabs(r[k][0]), 0) + ulps(fabs(r[k][1]), 0);
            if (w > worst[k]) worst[k] = w;
        }
    }
    static const char *name[5] = {"exp", "log", "pow", "log1p", "cos"};
    for (int k = 0; k < 5; k++)
        CHECK_MSG(worst[k] <= 1, "cs_%s: %lld ulp from the C library's", name[k],
                  (long long)worst[k]);
}

/* exp, log and pow are the algorithms glibc has used since 2.28 (Arm's), so with glibc's FMA
 * copies switched off, as on a processor without FMA, the results are glibc's bit for bit.
 * Returns the number of arguments where they are not (this binary run with --plain). */
static long plain_glibc_differences(void) {
    long bad = 0;
    for (int i = 0; i < 300000; i++) {
        double x = u01() * 1400.0 - 700.0, y = u01() * 1e6 + 0x1p-60, e = u01() * 8 - 4;
        double z = u01() * 50.0;
        bad += bits(cs_exp(x)) != bits(exp(x));
        bad += bits(cs_log(y)) != bits(log(y));
        bad += bits(cs_log(z)) != bits(log(z));
        bad += bits(cs_pow(z, e)) != bits(pow(z, e));
    }
    return bad;
}

static void test_equals_glibc_without_fma(void) {
#if !defined(__x86_64__)
    printf("  (not x86-64: glibc's exp, log and pow here have no plain copy to compare with)\n");
    return;
#endif
    int major = 0, minor = 0;
    if (sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) != 2 || major * 100 + minor < 228) {
        printf(
            "  (glibc %s: before 2.28 its exp, log and pow were other algorithms; not compared)\n",
            gnu_get_libc_version());
        return;
    }
    char self[PATH_MAX], cmd[PATH_MAX + 128];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(n > 0);
    if (n <= 0) return;
    self[n] = 0;
    snprintf(cmd, sizeof cmd, "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4 '%s' --plain",
             self);
    fflush(stdout);
    CHECK_MSG(system(cmd) == 0, "cs_exp, cs_log, cs_pow differ from glibc's plain copies");
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--plain") == 0) {
        long bad = plain_glibc_differences();
        if (bad) fprintf(stderr, "  %ld results differ from glibc's plain copies\n", bad);
        return bad != 0;
    }
    RUN(test_correctly_rounded_values);
    RUN(test_special_values);
    RUN(test_agrees_with_the_c_library);
    RUN(test_equals_glibc_without_fma);
    return CHECK_DONE();
}
