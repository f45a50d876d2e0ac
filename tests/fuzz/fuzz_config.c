/* fuzz_config.c: libFuzzer target over the config loader: scenario text, --set values and a base
 * file (input layout in fuzz_common.h). Built and run by `make fuzz`; crashes, hangs and
 * sanitizer reports are findings, a refused config (status 2) is the expected answer to junk.
 * tests/test_fuzz_regressions.c runs the same function over the committed inputs. */
#include <stdlib.h>

#include "config.h"
#include "fuzz_common.h"

/* Loads one input; returns the loader's status (0 or 2; anything else is a finding). */
static int fuzz_config_one(const uint8_t *data, size_t size) {
    cs_fuzz_input fz;
    cs_fuzz_split(data, size, &fz);
    static cs_params par; /* large: not on the stack */
    char err[2048];
    int rc = 0;
    if (cs_fuzz_write_files(&fz) == 0) {
        char *source = NULL;
        rc = cs_config_load(&par, fz.main_path, fz.nset, fz.sets, &source, err, sizeof err);
        if (rc == 0) {
            /* a loaded config must write back as text (what every run file records) */
            char *text = cs_config_to_string(&par);
            if (!text) rc = -1;
            free(text);
        }
        free(source);
    }
    cs_fuzz_free(&fz);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0; /* configs are small; longer inputs only slow the search */
    int rc = fuzz_config_one(data, size);
    if (rc != 0 && rc != 2) abort();
    return 0;
}
