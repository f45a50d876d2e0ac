/* test_fuzz_regressions.c: every committed fuzz input (tests/fuzz/regressions/: inputs that once
 * crashed, hung or tripped a sanitizer, now fixed; tests/fuzz/corpus/config/: the minimised
 * corpus) through the config loader exactly as the fuzz target runs it (tests/fuzz/
 * fuzz_config.c): each must load (0) or be refused (2), under the sanitizers in make sanitize. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fuzz/fuzz_config.c"

static int files_run;

static void run_dir(const char *dir, int need) {
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
        int rc = fuzz_config_one(buf, n);
        CHECK_MSG(rc == 0 || rc == 2, "%s: loader returned %d", path, rc);
        files_run++;
    }
    closedir(d);
}

static void test_regressions(void) {
    run_dir("tests/fuzz/regressions", 1);
}

static void test_corpus(void) {
    int before = files_run;
    run_dir("tests/fuzz/corpus/config", 1);
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
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed != 0;
}
