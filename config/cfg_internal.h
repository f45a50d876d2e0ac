/* cfg_internal.h: helpers shared by the config sources (not part of the public API). */
#ifndef CS_CFG_INTERNAL_H
#define CS_CFG_INTERNAL_H

#include <stddef.h>

#include "config.h"

/* "[0, 1]", "(0, inf)": the allowed range of a numeric key. */
void cs_cfg_range_text(const cs_key *k, char *buf, size_t n);

/* Index of s among "a|b|c", or -1. */
int cs_cfg_choice_index(const char *choices, const char *s);

/* Copies choice idx of "a|b|c" into buf ("" if out of range). */
void cs_cfg_choice_name(const char *choices, int idx, char *buf, size_t n);

/* Zero-fills dst[cap] and copies src, truncated; zero fill keeps structs memcmp-comparable. */
void cs_cfg_copy_name(char *dst, size_t cap, const char *src);

#endif
