#!/bin/bash
# Submits a sweep as a job array (docs/hpc/array.sbatch) and, behind it, up to TRIES more
# submissions of the same array, each starting only if every one before it ended with a task not
# ok (a time limit, a failed run): every resubmission runs only the runs still missing or failed.
# Once a submission ends ok, all the ones behind it are cancelled (--kill-on-invalid-dep): each
# depends on all earlier ones, since a cancelled job also counts as "not ok" to afternotok, so a
# dependency on the previous one alone would let every other one run.
#
#   SWEEP=scenarios/sweeps/policy_league.cfg OUT=league TRIES=3 docs/hpc/resubmit.sh [sbatch options]
set -euo pipefail
: "${SWEEP:?set SWEEP}" "${OUT:?set OUT}"
TRIES=${TRIES:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
# SWEEP and OUT reach the jobs through the environment (--export=ALL): --export=ALL,OUT=$OUT
# would cut a path with a comma in it
export SWEEP OUT
jid=$(sbatch --parsable --export=ALL "$@" "$HERE/array.sbatch")
jid=${jid%%;*}
echo "submitted $jid"
after=$jid
for ((i = 1; i <= TRIES; i++)); do
    jid=$(sbatch --parsable --dependency=afternotok:"$after" --kill-on-invalid-dep=yes \
        --export=ALL "$@" "$HERE/array.sbatch")
    jid=${jid%%;*}
    echo "resubmission $i: $jid (runs only if all before it did not end ok)"
    after=$after:$jid
done
