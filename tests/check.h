/* check.h: a minimal test harness. Each TEST is one case; a case fails if any CHECK in it
 * fails. The binary's last line is "N passed, N failed" (read by tests/run_tests.py). */
#ifndef CS_CHECK_H
#define CS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_case_failed, check_passed, check_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                      \
            check_case_failed = 1;                                                                 \
        }                                                                                          \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "  FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                      \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            check_case_failed = 1;                                                                 \
        }                                                                                          \
    } while (0)

#define CHECK_CLOSE(a, b, tol)                                                                     \
    do {                                                                                           \
        double check_a_ = (a), check_b_ = (b);                                                     \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                                               \
            fprintf(stderr, "  FAIL %s:%d: %s = %.17g, expected %s = %.17g (tol %g)\n", __FILE__,  \
                    __LINE__, #a, check_a_, #b, check_b_, (double)(tol));                          \
            check_case_failed = 1;                                                                 \
        }                                                                                          \
    } while (0)

#define RUN(test)                                                                                  \
    do {                                                                                           \
        check_case_failed = 0;                                                                     \
        test();                                                                                    \
        if (check_case_failed) {                                                                   \
            check_failed++;                                                                        \
            fprintf(stderr, "FAILED %s\n", #test);                                                 \
        } else {                                                                                   \
            check_passed++;                                                                        \
        }                                                                                          \
    } while (0)

#define CHECK_DONE()                                                                               \
    (printf("%d passed, %d failed\n", check_passed, check_failed), check_failed ? 1 : 0)

#endif
