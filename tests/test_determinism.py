"""Thread-count determinism (MODEL.md section 5): the same scenario and seed give the same run
file on 1, 2 and 3 threads, with every policy type active (tests/data/determinism/
all_policies.cfg). Every dataset and attribute is compared exactly (NaN equal to NaN); only the
root attribute `created` and /code `threads` may differ. A last case runs with glibc's FMA copies of
exp, log, pow and cos switched off, as on a processor without FMA: the engine's own functions
(sim/mathlib.c) give the same file.

Scales and grid sizes are chosen so that workers, firms and cells are not multiples of 2, 3 or
of the fixed reduction block (CS_BLOCK = 4096): uneven thread chunks and partial last blocks are
where a thread-count dependence would show. The larger run has about 208 000 workers and over
4096 firms, so fixed-block sums and chunked index builds span many blocks.
Run from the repository root: /usr/bin/python3 -m pytest tests/test_determinism.py."""
import os
import subprocess
import tempfile

import h5py
import numpy as np
import pytest
import runfile_compare
from runfile_compare import equal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))
CFG = os.path.join(ROOT, "tests", "data", "determinism", "all_policies.cfg")
BLOCK = 4096

# (name, scale, width, height, steps): 12 233 workers on a 101 x 163 grid (16 463 cells),
# 208 339 workers on a 103 x 161 grid (16 583 cells) for fewer steps, and 993 305 workers with
# more firms than CS_PAR_MIN (sim/counting.h), where the passes keyed by firm (the counting
# sorts' offsets, spinoffs) run in parallel.
CASES = [
    ("small", 0.0003707, 101, 163, 12),
    ("large", 0.0063133, 103, 161, 5),
    ("firms", 0.03010014, 103, 161, 3),
]
CS_PAR_MIN = 32768


def run(tmp, name, scale, width, height, steps, threads, via_env, extra_env=None, tag=""):
    out = os.path.join(tmp, f"{name}_{threads}_{'env' if via_env else 'opt'}{tag}.h5")
    args = [BIN, "run", CFG, "-o", out, "--quiet", "--seed", "7", "--steps", str(steps),
            "--set", f"scale={scale}", "--set", f"grid.width={width}",
            "--set", f"grid.height={height}"]
    env = dict(os.environ)
    env.pop("OMP_NUM_THREADS", None)
    env.update(extra_env or {})
    if via_env:
        env["OMP_NUM_THREADS"] = str(threads)
    else:
        args += ["--threads", str(threads)]
    p = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, f"{name} on {threads} threads: exit {p.returncode}\n{p.stderr[-2000:]}"
    return out


def contents(path):
    """(every dataset and attribute but the creation time and thread count, the thread count)."""
    with h5py.File(path, "r") as f:
        threads = int(f["/code"].attrs["threads"])
    return runfile_compare.contents(path, {("/", "created"), ("/code", "threads")}), threads


def assert_same(ref_path, path, label):
    ref, _ = contents(ref_path)
    got, _ = contents(path)
    assert sorted(ref) == sorted(got), f"{label}: different objects: " + str(
        sorted(set(ref) ^ set(got))[:10])
    bad = [k for k in ref if not equal(ref[k], got[k])]
    assert not bad, f"{label}: {len(bad)} datasets/attributes differ from the reference run: {bad[:12]}"


@pytest.fixture(scope="module")
def tmp():
    with tempfile.TemporaryDirectory(prefix="cs_determinism_") as d:
        yield d


@pytest.mark.parametrize("name,scale,width,height,steps", CASES, ids=[c[0] for c in CASES])
def test_same_output_on_1_2_3_threads(tmp, name, scale, width, height, steps):
    ref = run(tmp, name, scale, width, height, steps, 1, False)
    items, threads = contents(ref)
    assert threads == 1
    workers = round(33e6 * scale)
    firms = items["/final/firms/id"].shape[0]
    cells = width * height
    # the sizes fixed by the case are uneven for every thread count and the block size (the
    # firm count is whatever the model makes of it; it changes every step anyway)
    for n in (workers, cells):
        assert n % 2 and n % 3 and n % BLOCK, f"{name}: size {n} divides evenly"
    if name == "large":
        assert workers > 10 * BLOCK and firms > BLOCK, (workers, firms)
    if name == "firms":
        assert firms > CS_PAR_MIN, firms
    # every policy type ran and spent something
    spend = items["/policies/spending"]
    assert spend.shape[1] == 9 and np.all(np.nansum(spend, axis=0) > 0), spend
    for threads in (2, 3):
        path = run(tmp, name, scale, width, height, steps, threads, False)
        assert contents(path)[1] == threads
        assert_same(ref, path, f"{name}, --threads {threads}")
    # OMP_NUM_THREADS alone sets the thread count too
    path = run(tmp, name, scale, width, height, steps, 3, True)
    assert contents(path)[1] == 3
    assert_same(ref, path, f"{name}, OMP_NUM_THREADS=3")
    # with OMP_DYNAMIC=true the OpenMP runtime may give a region fewer threads than asked
    # (by the load), which per-thread rows sized by the request must not assume
    path = run(tmp, name, scale, width, height, steps, 3, False, {"OMP_DYNAMIC": "true"},
               "_dynamic")
    assert_same(ref, path, f"{name}, OMP_DYNAMIC=true")


# glibc chooses its exp, log, pow and cos by processor: with FMA and AVX2 it runs copies that
# round differently in the last bit. This switch makes it run the plain copies, as on a
# processor without them (an older node of a cluster).
NO_FMA = {"GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4,-AVX512F"}
LIBM_PROBE = ("import math, struct\n"
              "h = 0\n"
              "for i in range(1, 200000):\n"
              "    x = (i * 0.6180339887498949) % 1 * 40 - 20\n"
              "    for v in (math.exp(x), math.log(abs(x) + 1e-3), math.cos(x), abs(x) ** 1.7):\n"
              "        h = (h * 31 + struct.unpack('<Q', struct.pack('<d', v))[0]) % (1 << 64)\n"
              "print(h)\n")


def libm_hash(extra_env):
    env = dict(os.environ, **extra_env)
    p = subprocess.run(["/usr/bin/python3", "-c", LIBM_PROBE], env=env, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def test_same_output_whatever_the_processors_math(tmp):
    """The engine's exp, log, pow, log1p and cos are its own (sim/mathlib.c), so a run file does
    not depend on which copies of the C library's functions the processor gets."""
    if libm_hash({}) == libm_hash(NO_FMA):
        pytest.skip("the C library gives the same results with and without its FMA copies here "
                    "(a processor without FMA), so the comparison below could not fail")
    name, scale, width, height, steps = CASES[0]
    ref = run(tmp, name, scale, width, height, steps, 2, False, tag="_libm")
    plain = run(tmp, name, scale, width, height, steps, 2, False, NO_FMA, tag="_nofma")
    assert_same(ref, plain, f"{name}, glibc without its FMA copies")

