#!/bin/bash
# The overhead of `clustersim sweep` (docs/performance.md, "Sweep overhead"): 16 runs of the
# baseline (seeds 1-16, scale 0.002, 40 steps) as `clustersim sweep --jobs 2` against the same 16
# runs as a shell loop of `clustersim run --threads 1`, two at a time (xargs -P 2). The two are
# alternated REPEAT times (default 3) so that a disturbance of a shared machine falls on both;
# the fastest of each is reported, and the run files of the two are checked to be the same.
#   scripts/sweep_overhead.sh [REPEAT]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CLUSTERSIM:-./clustersim}
REPEAT=${1:-3}
N=16 STEPS=40 SCALE=0.002
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/bench.cfg" <<CFG
sweep = {
  name = "overhead";
  scenarios = ["baseline"];
  seeds = $N;
  set = ( { key = "scale"; value = $SCALE; }, { key = "steps"; value = $STEPS; } );
  threads = 1;
};
CFG
now() { date +%s.%N; }
best_sweep=999999 best_loop=999999
for ((r = 1; r <= REPEAT; r++)); do
    rm -rf "$tmp/sweep" "$tmp/loop"
    t0=$(now)
    "$BIN" sweep "$tmp/bench.cfg" -o "$tmp/sweep" --jobs 2 > "$tmp/sweep.out"
    t1=$(now)
    tail -1 "$tmp/sweep.out"
    mkdir -p "$tmp/loop"
    seq 1 $N | xargs -P 2 -I{} "$BIN" run baseline --seed {} --threads 1 --quiet \
        --set scale=$SCALE --set steps=$STEPS -o "$tmp/loop/seed{}.h5"
    t2=$(now)
    s=$(echo "$t1 - $t0" | bc) l=$(echo "$t2 - $t1" | bc)
    printf 'round %d: sweep --jobs 2 %.2f s, shell loop (xargs -P 2) %.2f s\n' "$r" "$s" "$l"
    best_sweep=$(echo "if ($s < $best_sweep) $s else $best_sweep" | bc)
    best_loop=$(echo "if ($l < $best_loop) $l else $best_loop" | bc)
done
# the same files either way (every dataset and attribute but the creation time)
/usr/bin/python3 - "$tmp" $N <<'PY'
import sys
sys.path.insert(0, "tests")
from sweep_helpers import assert_same_run
tmp, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    assert_same_run(f"{tmp}/sweep/runs/baseline/seed{i:02d}.h5", f"{tmp}/loop/seed{i}.h5")
print(f"run files: the {n} of the sweep equal the {n} of the shell loop")
PY
printf 'fastest: sweep %.2f s, shell loop %.2f s, overhead %+.1f %%\n' "$best_sweep" "$best_loop" \
    "$(echo "100 * ($best_sweep - $best_loop) / $best_loop" | bc -l)"
