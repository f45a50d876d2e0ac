#!/bin/sh
# The build's name for the run files' git_hash and the checkpoints' build check: the commit
# (12 hex digits), and when the sources that go into the binary (sim/, config/, the Makefile)
# differ from it, "-dirty-" and 8 hex digits of a hash of those differences (tracked changes
# and untracked source files), so that two builds of one commit with different changes do not
# look alike. "unknown" outside git. Run from the repository root (the Makefile does).
h=$(git rev-parse --short=12 HEAD 2>/dev/null) || { echo unknown; exit 0; }
paths="sim config Makefile"
# shellcheck disable=SC2086
if [ -n "$(git status --porcelain --untracked-files=normal -- $paths 2>/dev/null)" ]; then
    d=$({
        git diff HEAD -- $paths
        git ls-files --others --exclude-standard -z -- $paths | xargs -0 -r sh -c \
            'for f; do printf "%s\n" "$f"; cat "$f"; done' sh
    } | git hash-object --stdin | cut -c1-8)
    h="$h-dirty-$d"
fi
echo "$h"
