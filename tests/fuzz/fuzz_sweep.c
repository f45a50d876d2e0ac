/* fuzz_sweep.c: libFuzzer target over the sweep-file parser (sim/sweep.c): the input's first part
 * is the sweep file, the part after "--base" a scenario base.cfg next to it (input layout in
 * fuzz_common.h; --set parts are ignored: sweeps take no --set). Built and run by
 * `make fuzz FUZZ_TARGET=sweep`; a refused sweep (status 2) is the expected answer to junk,
 * anything else that is not 0 is a finding. Preset names resolve through
 * $CLUSTERSIM_SCENARIOS (the Makefile points it at scenarios/). */
#include <stdlib.h>

#include "fuzz_common.h"
#include "sweep.h"

/* Loads one input as a sweep file; returns the loader's status (0 or 2; else a finding). */
static int fuzz_sweep_one(const uint8_t *data, size_t size) {
    cs_fuzz_input fz;
    cs_fuzz_split(data, size, &fz);
    int rc = 0;
    if (cs_fuzz_write_files(&fz) == 0) {
        cs_sweep sw;
        char err[4096];
        const char *search[1] = {fz.dir};
        rc = cs_sweep_load(&sw, fz.main_path, NULL, search, 1, err, sizeof err);
        if (rc == 0) cs_sweep_free(&sw);
    }
    cs_fuzz_free(&fz);
    return rc;
}

#ifndef CS_FUZZ_REPLAY /* tests/test_fuzz_regressions.c includes this file for fuzz_sweep_one */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 16384) return 0; /* sweep files are small; longer inputs only slow the search */
    int rc = fuzz_sweep_one(data, size);
    if (rc != 0 && rc != 2) abort();
    return 0;
}
#endif
