#!/bin/bash
# Submits a sweep as a job array (docs/hpc/array.sbatch) and, behind it, up to TRIES more
# submissions of the same array, each starting only if the one before ended with a task not ok
# (a time limit, a failed run): every resubmission runs only the runs still missing or failed.
# When a submission ends ok, the ones behind it are cancelled (--kill-on-invalid-dep).
#
#   SWEEP=scenarios/sweeps/policy_league.cfg OUT=league TRIES=3 docs/hpc/resubmit.sh [sbatch options]
set -euo pipefail
: "${SWEEP:?set SWEEP}" "${OUT:?set OUT}"
TRIES=${TRIES:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
jid=$(sbatch --parsable --export=ALL,SWEEP="$SWEEP",OUT="$OUT" "$@" "$HERE/array.sbatch")
echo "submitted $jid"
for ((i = 1; i <= TRIES; i++)); do
    jid=$(sbatch --parsable --dependency=afternotok:"${jid%%;*}" --kill-on-invalid-dep=yes \
        --export=ALL,SWEEP="$SWEEP",OUT="$OUT" "$@" "$HERE/array.sbatch")
    echo "resubmission $i: $jid (runs only if the previous one did not end ok)"
done
