#!/bin/sh
# The build's name for the run files' git_hash and the checkpoints' build check: the commit
# (12 hex digits), and when the sources that go into the binary (sim/, config/, the Makefile)
# differ from it, "-dirty-" and 8 hex digits of the git tree those sources make (tracked changes
# and untracked source files alike), so that two builds of one commit with different changes do
# not look alike, and two of the same changes do, whatever the git settings. "unknown" outside a
# git checkout of this repository (a tarball, or one unpacked inside another repository). Run
# from the repository root (the Makefile does).
top=$(git rev-parse --show-toplevel 2>/dev/null) && [ "$top" = "$(pwd -P)" ] &&
    h=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo unknown; exit 0; }
paths="sim config Makefile"
# shellcheck disable=SC2086
if [ -n "$(git status --porcelain --untracked-files=normal -- $paths 2>/dev/null)" ]; then
    # the tree of HEAD with these paths as they are on disk, in a scratch index: its id depends
    # on the files' contents only (a diff's text would follow diff.* settings)
    d=$(mktemp -d) || { echo "$h-dirty"; exit 0; }
    t=$(GIT_INDEX_FILE="$d/index" git read-tree HEAD &&
        for p in $paths; do # one at a time: a path that is nowhere is no error
            GIT_INDEX_FILE="$d/index" git add -A -- "$p" 2>/dev/null
        done
        GIT_INDEX_FILE="$d/index" git write-tree) 2>/dev/null
    rm -rf "$d"
    h="$h-dirty${t:+-$(printf %.8s "$t")}"
fi
echo "$h"
