#!/bin/bash
# Strong scaling on a many-core machine (issue 14, docs/performance.md "Strong scaling").
#
#   scripts/strong_scaling.sh OUTDIR [MAX_THREADS]
#
# Runs, in order of importance, each appending its output to OUTDIR/scaling.txt:
#   machine   what the machine is (cores, CPU model, memory)
#   scale01   bench --scale 0.1 --scaling --repeat 3 (1, 2, 4, ... MAX_THREADS threads)
#   uk160     the whole UK at 1:1 for 160 steps with output, MAX_THREADS threads, /usr/bin/time -v
#   scale1    bench --scale 1.0 --steps 5 --scaling (fresh start: early steps)
#   late      bench --from a step-120 1:1 checkpoint --steps 5 --scaling (late steps), and
#             the same on one thread alone (its phases)
#   det       run files at the default scale and at 0.02 (30 steps) on MAX_THREADS threads,
#             OUTDIR/det-*.h5, to compare with a two-core machine's (any thread count, same bits)
#
# PARTS="uk160 late" runs only those parts (machine always runs). SMALL, BIG and LATE (default
# 0.1, 1.0 and 120) change the scales and the late step, to try the script out.
#
# CS and TIMEV say how to start clustersim and GNU time (default ./clustersim and
# /usr/bin/time -v); a machine without the project's libraries can run a copied binary
# through its copied loader, e.g.
#   L=.devrun/ld-linux-x86-64.so.2; CS="$L --library-path .devrun .devrun/clustersim"
set -u
out=${1:?usage: scripts/strong_scaling.sh OUTDIR [MAX_THREADS]}
max=${2:-16}
CS=${CS:-./clustersim}
TIMEV=${TIMEV:-/usr/bin/time -v}
small=${SMALL:-0.1} big=${BIG:-1.0} late=${LATE:-120}
tmp=${TMPDIR:-/tmp}/cs-scaling.$$
mkdir -p "$out" "$tmp"
trap 'rm -rf "$tmp"' EXIT

step() { # name, command...: run it, append its output to OUTDIR/scaling.txt, show its end
    local name=$1
    shift
    local t0=$SECONDS
    echo "== $name: $* ($(date -u +%H:%M:%S) UTC)" >"$tmp/step.txt"
    "$@" >>"$tmp/step.txt" 2>&1
    local rc=$?
    echo "== exit $rc after $((SECONDS - t0)) s" >>"$tmp/step.txt"
    cat "$tmp/step.txt" >>"$out/scaling.txt"
    tail -n 12 "$tmp/step.txt"
    return $rc
}

machine() {
    date -u
    echo "nproc: $(nproc)"
    lscpu 2>/dev/null || grep -m1 'model name' /proc/cpuinfo
    cat /sys/fs/cgroup/cpu.max 2>/dev/null
    free -g 2>/dev/null || head -3 /proc/meminfo
    $CS --version
}

want() { [ -z "${PARTS:-}" ] || [[ " $PARTS " == *" $1 "* ]]; }

step machine machine || exit 1
# shellcheck disable=SC2086 # CS and TIMEV are command lines
if want scale01; then
    step scale01 $CS bench --scale "$small" --threads "$max" --scaling --repeat 3
fi
if want uk160; then
    step uk160 $TIMEV $CS run scenarios/baseline.cfg --set scale="$big" --threads "$max" -o "$tmp/uk.h5" --quiet
    rm -f "$tmp/uk.h5"
fi
if want scale1; then
    step scale1 $CS bench --scale "$big" --steps 5 --threads "$max" --scaling
fi
if want late; then
    # exits 1 as --stop-after does; what counts is the checkpoint it leaves
    step late120 $CS run scenarios/baseline.cfg --set scale="$big" --threads "$max" -o "$tmp/late.h5" --stop-after "$late" --quiet
    if [ -s "$tmp/late.ckpt.h5" ]; then
        step late $CS bench --from "$tmp/late.ckpt.h5" --steps 5 --threads "$max" --scaling
        # the phases on one thread too (--scaling breaks down only the last row's)
        step late1 $CS bench --from "$tmp/late.ckpt.h5" --steps 5 --threads 1
    else
        echo "== late120 left no checkpoint: no late steps" | tee -a "$out/scaling.txt"
    fi
    rm -f "$tmp"/late*
fi
if want det; then
    step det $CS run scenarios/baseline.cfg --threads "$max" -o "$out/det-default.h5" --quiet
    step det02 $CS run scenarios/baseline.cfg --set scale=0.02 --steps 30 --threads "$max" -o "$out/det-002.h5" --quiet
fi
date -u
