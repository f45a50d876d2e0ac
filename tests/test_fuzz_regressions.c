/* test_fuzz_regressions.c: every committed fuzz input (tests/fuzz/regressions/: inputs that once
 * crashed, hung or tripped a sanitizer, now fixed; tests/fuzz/corpus/config/: the minimised
 * corpus) through the config loader exactly as the fuzz target runs it (tests/fuzz/
 * fuzz_config.c), and the sweep corpus (tests/fuzz/corpus/sweep/) through the sweep-file parser
 * (tests/fuzz/fuzz_sweep.c): each must load (0) or be refused (2), under the sanitizers in make
 * sanitize. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fuzz/fuzz_config.c"
#define CS_FUZZ_REPLAY
#include "fuzz/fuzz_sweep.c"

static int files_run;

static void run_dir_with(const char *dir, int need, int (*one)(const uint8_t *, size_t)) {
    DIR *d = opendir(dir);
    if (need) CHECK_MSG(d != NULL, "%s missing", dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static uint8_t buf[65536];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        int rc = one(buf, n);
        CHECK_MSG(rc == 0 || rc == 2, "%s: loader returned %d", path, rc);
        files_run++;
    }
    closedir(d);
}

static void run_dir(const char *dir, int need) {
    run_dir_with(dir, need, fuzz_config_one);
}

static void test_regressions(void) {
    run_dir("tests/fuzz/regressions", 1);
}

static void test_corpus(void) {
    int before = files_run;
    run_dir("tests/fuzz/corpus/config", 1);
    CHECK(files_run - before > 10);
}

static void test_sweep_corpus(void) {
    setenv("CLUSTERSIM_SCENARIOS", "scenarios", 1); /* preset names, as make fuzz resolves them */
    int before = files_run;
    run_dir_with("tests/fuzz/corpus/sweep", 1, fuzz_sweep_one);
    CHECK(files_run - before > 10);
}

/* the input layout itself: scenario, --set lines, base file */
static void test_split(void) {
    const char in[] = "steps = 2;\n--set\nseed=3L\nscale=0.5\n--base\nname = \"b\";\n";
    cs_fuzz_input fz;
    cs_fuzz_split((const uint8_t *)in, sizeof in - 1, &fz);
    CHECK(strcmp(fz.main_text, "steps = 2;\n") == 0);
    CHECK(fz.nset == 2 && strcmp(fz.sets[0], "seed=3L") == 0 &&
          strcmp(fz.sets[1], "scale=0.5") == 0);
    CHECK(fz.base_text && strcmp(fz.base_text, "name = \"b\";\n") == 0);
    cs_fuzz_free(&fz);
}

int main(void) {
    RUN(test_split);
    RUN(test_regressions);
    RUN(test_corpus);
    RUN(test_sweep_corpus);
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}
