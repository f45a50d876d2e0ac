/* version.c: the commit the binary was built from, marked "-dirty-<8 hex digits>" when its
 * sources differed from that commit (scripts/git_hash.sh). The Makefile rebuilds this one object
 * whenever that name changes (build/.git_hash), so that every object of a binary reports the same
 * build: the hash was compiled into each file that printed it, and an object not rebuilt since
 * an earlier commit kept that commit's hash (in the run files' git_hash and in the checkpoint's
 * build check). */
#include "clustersim.h"

#ifndef CS_GIT_HASH
#define CS_GIT_HASH "unknown"
#endif

const char cs_git_hash[] = CS_GIT_HASH;
