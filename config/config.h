/* config.h: scenario configuration: the schema of every key, layered loading (defaults, base
 * files, the scenario, --set overrides) and writing the resolved configuration back as libconfig
 * text. The schema table (schema.c) is the single source of defaults, ranges and documentation;
 * config/defaults.cfg is generated from it (cs_config_write with documented = 1). */
#ifndef CS_CONFIG_H
#define CS_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "params.h"

/* Value types of schema keys. The last five occur only in policy groups. */
enum cs_key_type {
    CS_KEY_INT = 0,
    CS_KEY_INT64,
    CS_KEY_FLOAT,
    CS_KEY_BOOL,         /* stored as int 0/1 */
    CS_KEY_STRING,       /* char[cap]; min/max bound the length */
    CS_KEY_FLOAT_ARRAY,  /* double[cap]; min/max bound each element */
    CS_KEY_BOOL_ARRAY,   /* int[cap] of 0/1 */
    CS_KEY_STRING_ARRAY, /* char[cap][CS_NAME_LEN]; element count stored at off2 */
    CS_KEY_ENUM,         /* a string among `choices` ("a|b|c"), stored as its int index */
    CS_KEY_INT_PAIR,     /* [a, b] of ints stored at off and off2 (policy cycle) */
    CS_KEY_POINT,        /* [x, y] of numbers stored as doubles at off and off2 */
    CS_KEY_AREA,         /* policy area: "everywhere" | "city_centres" | {regions|circle|rect} */
    CS_KEY_SECTORS       /* policy sectors: names, resolved to sector_mask after merging */
};

/* cs_key.flags */
#define CS_KEY_LO_OPEN 1u /* min itself is excluded */
#define CS_KEY_HI_OPEN 2u /* max itself is excluded */
#define CS_KEY_DERIVED 4u /* computed from other keys; accepted if consistent, not written */

/* One config key. min/max are inclusive unless flagged open; +-INFINITY means unbounded. */
typedef struct cs_key {
    const char *path;      /* "firms.alpha"; policy keys are relative to the policy ("rate") */
    int type;              /* enum cs_key_type */
    size_t off;            /* offset of the field in cs_params (policy keys: in cs_policy) */
    size_t off2;           /* second field: count of a string array, second of a pair/point */
    int cap;               /* string buffer size, or array capacity */
    double def;            /* numeric or bool default */
    const char *def_str;   /* string / enum default */
    const double *def_arr; /* float and bool array default */
    const char *const *def_strs; /* string array default */
    int def_n;                   /* array default length */
    double min, max;
    unsigned flags;      /* CS_KEY_* flags */
    const char *choices; /* allowed strings, "a|b|c" (strings and enums) */
    unsigned types;      /* policy keys: mask of (1u << type) accepting it; 0 = all */
    const char *unit;
    const char *meaning;
} cs_key;

/* A top-level group of keys, in the order they are written. */
typedef struct cs_group_doc {
    const char *name;
    const char *meaning;
} cs_group_doc;

extern const cs_key cs_schema[]; /* every key of cs_params except policies */
extern const int cs_schema_n;
extern const cs_key cs_policy_schema[]; /* every key of a policy group, "type" first */
extern const int cs_policy_schema_n;
extern const cs_group_doc cs_groups[];
extern const int cs_groups_n;

/* Compiled-in defaults of every key; zeroes the whole struct first, so two default structs
 * compare equal with memcmp. */
void cs_params_defaults(cs_params *p);

/* Defaults of a policy of the given type at list position index (name "<type>_<index>");
 * type-specific fields get the same defaults whatever the type. */
void cs_policy_defaults(cs_policy *pol, int type, int index);

/* Schema row by full path ("firms.alpha") or NULL. */
const cs_key *cs_schema_find(const char *path);

/* Policy schema row by key name ("rate") or NULL. */
const cs_key *cs_policy_key_find(const char *name);

/* Index of a configured sector by name, -1 if none. */
int cs_config_sector_index(const cs_params *p, const char *name);

/* ", did you mean 'X'?" naming the nearest of the n candidates when it is close enough to be a
 * typo, else "": the suggestion every config error makes (used by sweep files too). */
void cs_config_did_you_mean(const char *word, const char *const *cands, int n, char *out,
                            size_t len);

/* The libconfig type of a setting as config errors name it ("int", "float", "a list", ...):
 * sweep files use the same words. */
struct config_setting_t;
const char *cs_config_type_name(const struct config_setting_t *s);
/* Writes "FILE:LINE: KEY: what" into err (LINE left out when <= 0, KEY when empty or NULL): the
 * one form of every configuration and sweep-file error. */
void cs_config_error(char *err, size_t errlen, const char *file, int line, const char *key,
                     const char *what);

/* The whole text of a file, NUL-terminated (malloc'd); NULL, errno set, if it cannot be read:
 * EISDIR for a directory, EINVAL for another file that is not a regular one (a device, a pipe:
 * /dev/zero would fill memory and a pipe wait for ever), EFBIG for one over CS_CONFIG_MAX_BYTES.
 * *nul_line: the line of the first NUL byte in the file, 0 if none. */
char *cs_config_read_text(const char *path, int *nul_line);

/* The largest config or sweep file read: far more than any scenario needs. */
#define CS_CONFIG_MAX_BYTES (64L * 1024 * 1024)

/* Why cs_config_read_text failed, in words, from its errno. */
const char *cs_config_read_error(int e);

/* The line of the first byte sequence of text that is not UTF-8, 0 if none. */
int cs_config_not_utf8_line(const char *text);

/* What libconfig's syntax error message `why` at `line` of text leaves out, as " (...)" or
 * ": ..." to append to it (a byte-order mark, mixed array elements, which key is repeated);
 * "" when nothing. */
void cs_config_syntax_hint(const char *text, const char *why, int line, char *hint, size_t n);

/* The same over every config key: schema paths, or the policy keys for "policies.[N].key". */
void cs_config_suggest_key(const char *key, char *out, size_t len);

/* What cs_config_scan_literals finds that libconfig 1.5 would misread. */
enum {
    CS_SCAN_OK = 0,       /* nothing */
    CS_SCAN_WIDE32,       /* an integer literal wider than 32 bits without L (wrapped silently) */
    CS_SCAN_WIDE64,       /* one wider than 64 bits */
    CS_SCAN_INCLUDE,      /* an @include */
    CS_SCAN_OPEN_STRING,  /* a string never closed (the rest of the text dropped silently) */
    CS_SCAN_OPEN_COMMENT, /* a block comment never closed (the same) */
};

/* Scans libconfig text for what libconfig 1.5 would misread (CS_SCAN_*): *line and lit (the
 * literal) say where; for an open string or comment, the line where it opens. */
int cs_config_scan_literals(const char *text, int *line, char *lit, size_t litlen);

/* The message for a CS_SCAN_OPEN_STRING or CS_SCAN_OPEN_COMMENT finding. */
const char *cs_config_open_message(int kind);
/* The key (a dotted path, "" if none) of the integer setting on line holding the wide literal
 * lit as libconfig read it, else the line's first key: for messages about lit. */
struct config_setting_t;
void cs_config_wide_key_at_line(const struct config_setting_t *root, int line, const char *lit,
                                char *out, size_t n);

/* Loads a scenario: defaults, then path's base chain, then path itself, then the nset --set
 * overrides ("key.path=value") in order. path may be NULL (defaults plus --set only).
 * Returns 0, or 2 with a message "FILE:LINE: KEY: what is wrong" (or "--set KEY=VALUE: ...")
 * in err; p is written only on success. On success and if source_text is not NULL, it receives
 * a malloc'd copy of the scenario file's own text ("" when path is NULL). */
int cs_config_load(cs_params *p, const char *path, int nset, char *const *sets, char **source_text,
                   char *err, size_t errlen);

/* Writes p as libconfig text that loads back to exactly p. documented = 1 adds group headers
 * and per-key comments (meaning, unit, range, default). Returns 0, or -1 on a write error. */
int cs_config_write(FILE *out, const cs_params *p, int documented);

/* cs_config_write(documented = 0) into a malloc'd string (NULL if out of memory). */
char *cs_config_to_string(const cs_params *p);

/* Shortest decimal text that reads back to exactly v, always with '.' or an exponent so that
 * libconfig reads it as a float (as cs_config_write writes floats; sweeps write --set values
 * with it). */
void cs_cfg_fmt_double(char *buf, size_t n, double v);

#endif
