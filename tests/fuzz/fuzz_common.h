/* fuzz_common.h: shared by the libFuzzer targets (tests/fuzz/fuzz_*.c; `make fuzz`).
 *
 * An input is split into parts at lines that are exactly "--set" or "--base": the first part is
 * the scenario file, each line after "--set" one --set value, and the text after "--base" the
 * file base.cfg next to the scenario (so `base = "base.cfg";` exercises base chains). A new target
 * (the sweep-file parser) is one file: include this header, call cs_fuzz_split and
 * cs_fuzz_write_files, then the parser on fz.main_path. */
#ifndef CS_FUZZ_COMMON_H
#define CS_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CS_FUZZ_MAX_SETS 16

typedef struct cs_fuzz_input {
    char *main_text, *base_text;  /* NUL-terminated copies (base_text may be NULL) */
    char *sets[CS_FUZZ_MAX_SETS]; /* --set values */
    int nset;
    char dir[64], main_path[96], base_path[96];
} cs_fuzz_input;

/* Splits data into its parts (see above); everything is malloc'd, freed by cs_fuzz_free. */
static void cs_fuzz_split(const uint8_t *data, size_t size, cs_fuzz_input *fz) {
    memset(fz, 0, sizeof *fz);
    char *all = malloc(size + 1);
    memcpy(all, data, size);
    all[size] = 0;
    int mode = 0; /* 0 main, 1 sets, 2 base */
    char *line = all, *main_end = NULL, *base_start = NULL;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        if (len == 5 && strncmp(line, "--set", 5) == 0) {
            if (!main_end) main_end = line;
            mode = 1;
        } else if (len == 6 && strncmp(line, "--base", 6) == 0) {
            if (!main_end) main_end = line;
            mode = 2;
            base_start = nl ? nl + 1 : line + len;
            break;
        } else if (mode == 1 && fz->nset < CS_FUZZ_MAX_SETS) {
            fz->sets[fz->nset] = malloc(len + 1);
            memcpy(fz->sets[fz->nset], line, len);
            fz->sets[fz->nset++][len] = 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    size_t mlen = main_end ? (size_t)(main_end - all) : size;
    fz->main_text = malloc(mlen + 1);
    memcpy(fz->main_text, all, mlen);
    fz->main_text[mlen] = 0;
    if (base_start) fz->base_text = strdup(base_start);
    free(all);
}

static int cs_fuzz_put(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fwrite(text, 1, strlen(text), f);
    return fclose(f);
}

/* Writes the scenario (and base.cfg) into a fresh directory under /tmp. Returns 0 or -1. */
static int cs_fuzz_write_files(cs_fuzz_input *fz) {
    snprintf(fz->dir, sizeof fz->dir, "/tmp/cs_fuzz.XXXXXX");
    if (!mkdtemp(fz->dir)) return -1;
    snprintf(fz->main_path, sizeof fz->main_path, "%s/scenario.cfg", fz->dir);
    snprintf(fz->base_path, sizeof fz->base_path, "%s/base.cfg", fz->dir);
    if (cs_fuzz_put(fz->main_path, fz->main_text)) return -1;
    if (fz->base_text && cs_fuzz_put(fz->base_path, fz->base_text)) return -1;
    return 0;
}

static void cs_fuzz_free(cs_fuzz_input *fz) {
    if (fz->dir[0]) {
        unlink(fz->main_path);
        unlink(fz->base_path);
        rmdir(fz->dir);
    }
    for (int k = 0; k < fz->nset; k++) free(fz->sets[k]);
    free(fz->main_text);
    free(fz->base_text);
}

#endif
