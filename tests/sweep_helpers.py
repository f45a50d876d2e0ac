"""Shared by the sweep tests (test_sweep.py, test_sweep_slurm.py): the binaries, the small sweep,
lone `clustersim run`s of its runs, and the comparison of run files dataset by dataset."""
import os
import subprocess

import numpy as np
from runfile_compare import contents

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))
MPI_BIN = os.path.abspath(os.environ.get("CLUSTERSIM_MPI") or os.path.join(ROOT, "clustersim-mpi"))
DATA = os.path.join(ROOT, "tests", "data", "sweep")
SMALL = os.path.join(DATA, "small.cfg")  # 2 scenarios x 2 values x 2 seeds
# a test run inside a Slurm array task must not shard the test sweeps by that task
ENV = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_ARRAY_")}
ENV.setdefault("CLUSTERSIM_SCENARIOS", os.path.join(ROOT, "scenarios"))
# Open MPI refuses root without these (mpirun --allow-run-as-root covers only mpirun itself)
ENV.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
ENV.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
# the per-run settings of tests/data/sweep/small.cfg, as `clustersim run` options
SMALL_SETS = ["scale=0.0005", "steps=6"]


def cs(*args, binary=None, timeout=300, **kw):
    b = binary or BIN
    assert os.path.exists(b), f"{b} not found (run make test)"
    return subprocess.run([b, *args], cwd=kw.pop("cwd", ROOT), capture_output=True, text=True,
                          timeout=timeout, env=kw.pop("env", ENV), **kw)


def dry_run(sweep):
    """The runs of a sweep from --dry-run: list of dicts (index, id, scenario, seed, values)."""
    p = cs("sweep", sweep, "--dry-run")
    assert p.returncode == 0, p.stderr
    lines = [l for l in p.stdout.splitlines() if l and l[0].isdigit()]
    header = next(l for l in p.stdout.splitlines() if l.startswith("index\t")).split("\t")
    runs = []
    for l in lines:
        cols = l.split("\t")
        runs.append(dict(zip(header, cols)))
    return runs, header[4:]


def lone_runs(sweep, sets, outdir):
    """Each run of the sweep as a lone `clustersim run SCENARIO --seed S --set ...`, written to
    outdir/<id>.h5. Returns {id: path}."""
    runs, keys = dry_run(sweep)
    out = {}
    for r in runs:
        path = os.path.join(outdir, r["id"] + ".h5")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        args = ["run", r["scenario"], "--seed", r["seed"], "--threads", "1", "--quiet", "-o", path]
        for s in sets:
            args += ["--set", s]
        for k in keys:
            if r[k] != "-":
                args += ["--set", f"{k}={r[k]}"]
        p = cs(*args)
        assert p.returncode == 0, p.stderr
        out[r["id"]] = path
    return out


# attributes that say when and how a run was made, not what it computed (on any object)
VOLATILE_ATTRS = {"created", "scenario_file", "threads"}


def assert_same_run(a, b):
    """Two run files hold the same datasets, bit for bit, and the same attributes."""
    skip = {("*", k) for k in VOLATILE_ATTRS}
    ca, cb = contents(a, skip), contents(b, skip)
    assert sorted(ca) == sorted(cb), f"{a} and {b} differ in objects: {set(ca) ^ set(cb)}"
    for name in ca:
        x, y = np.asarray(ca[name]), np.asarray(cb[name])
        if "@" in name:
            assert np.array_equal(x, y), f"attribute {name} differs"
            continue
        assert x.dtype == y.dtype and x.shape == y.shape, f"{name} differs in type or shape"
        if x.dtype.kind == "f":
            assert np.array_equal(x.view(np.uint8), y.view(np.uint8)), f"{name} differs: {a} {b}"
        else:
            assert np.array_equal(x, y), f"{name} differs between {a} and {b}"


def assert_dir_matches(sweep_dir, lone):
    """Every run of the sweep is in sweep_dir/runs and equals its lone run."""
    for rid, path in lone.items():
        f = os.path.join(sweep_dir, "runs", rid + ".h5")
        assert os.path.exists(f), f"{f} missing"
        assert_same_run(f, path)
