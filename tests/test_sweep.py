"""End-to-end tests of `clustersim sweep` with real processes: the same small sweep on one machine
(--jobs 2), as two shards and under `mpirun -np 3` gives run files identical to lone
`clustersim run`s; bad sweep files are refused before any run; a run killed with SIGKILL is
listed in failed.log and only it is rerun; sweep.h5 follows the contract of docs/output.md.
The Slurm job array test is tests/test_sweep_slurm.py."""
import contextlib
import glob
import os
import re
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest

from sweep_helpers import (BIN, DATA, ENV, MPI_BIN, ROOT, SMALL, SMALL_SETS, assert_dir_matches,
                           assert_same_run, cs, dry_run, lone_runs)


@pytest.fixture(scope="module")
def lone(tmp_path_factory):
    return lone_runs(SMALL, SMALL_SETS, str(tmp_path_factory.mktemp("lone")))


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def sweep_folder(sweep, d):
    """d as a folder of the sweep file `sweep` whose set-up has begun (its sweep.cfg written,
    which a sweep writes first): the tests that place files in a sweep's folder before it runs
    (a sweep refuses a folder holding files that is not a sweep's)."""
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(sweep, os.path.join(d, "sweep.cfg"))


def baseline_sweep(tmp_path, file, seeds, steps, name=None):
    """A sweep file of the baseline over `seeds` seeds at scale 0.0005 for `steps` steps, one
    thread a run (and `name`, when given): the shape of the sweeps the interruption tests stop."""
    head = f'  name = "{name}";\n' if name else ""
    return write(tmp_path, file, f"""sweep = {{
{head}  scenarios = ["baseline"];
  seeds = {seeds};
  set = ( {{ key = "scale"; value = 0.0005; }}, {{ key = "steps"; value = {steps}; }} );
  threads = 1;
}};
""")


def test_local_jobs2_equals_lone_runs(lone, tmp_path):
    d = str(tmp_path / "local")
    p = cs("sweep", SMALL, "-o", d, "--jobs", "2")
    assert p.returncode == 0, p.stderr
    assert "8 of 8 runs ok" in p.stdout
    assert_dir_matches(d, lone)
    assert not os.path.exists(os.path.join(d, "failed.log"))
    # every run ended well: no log is left, nor the folders the logs were in (inodes count)
    assert os.listdir(os.path.join(d, "logs")) == []
    # every dataset of sweep.h5 says its units and what it is, as a run file's do
    undescribed = []
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        def check(name, obj):
            if isinstance(obj, h5py.Dataset) and not (obj.attrs.get("units") and
                                                      obj.attrs.get("description")):
                undescribed.append(name)
        f["runs"].visititems(check)
        assert "final" in f["runs"] and len(f["runs/final"]) >= 7
        # a final metric taken from a run file's series has that series' units (productivity
        # is money, not an index)
        one = next(os.path.join(r, x) for r, _, fs in os.walk(os.path.join(d, "runs"))
                   for x in fs if x.endswith(".h5"))
        with h5py.File(one, "r") as run:
            for m in ("employment", "output", "mean_productivity", "unemployment_rate"):
                assert f["runs/final"][m].attrs["units"] == run["timeseries"][m].attrs["units"], m
    assert not undescribed, undescribed
    # a second sweep on the same directory has nothing left to do
    p = cs("sweep", SMALL, "-o", d, "--jobs", "2")
    assert p.returncode == 0 and "8 finished already, 0 to run" in p.stdout


@pytest.mark.parametrize("opt", [["--jobs", "2"], ["--shard", "0/2"]])
def test_mpi_refuses_the_plain_builds_options(tmp_path, opt):
    d = str(tmp_path / "mpi")
    p = subprocess.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "2", MPI_BIN,
                        "sweep", SMALL, "-o", d, *opt], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 2, p.stdout + p.stderr
    assert f"{opt[0]} is for the plain build" in p.stderr, p.stderr
    assert not os.path.exists(d)


def test_two_shards_equal_lone_runs(lone, tmp_path):
    d = str(tmp_path / "shards")
    p0 = cs("sweep", SMALL, "-o", d, "--shard", "0/2", "--quiet")
    assert p0.returncode == 0, p0.stderr
    # shard 0 alone: its runs (even indices) and no sweep.h5 yet
    files = sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d + "/runs")
                   for f in fs)
    assert len(files) == 4
    assert not os.path.exists(os.path.join(d, "sweep.h5"))
    p1 = cs("sweep", SMALL, "-o", d, "--shard", "1/2")
    assert p1.returncode == 0, p1.stderr
    assert "wrote" in p1.stdout and os.path.exists(os.path.join(d, "sweep.h5"))
    assert_dir_matches(d, lone)
    # the shard from SLURM_ARRAY_TASK_ID when no --shard is given
    env = dict(ENV, SLURM_ARRAY_TASK_ID="3", SLURM_ARRAY_TASK_MIN="2", SLURM_ARRAY_TASK_MAX="3",
               SLURM_ARRAY_TASK_COUNT="2")
    p = cs("sweep", SMALL, "-o", d, env=env)
    assert p.returncode == 0 and "shard 1/2: 4 runs, 4 finished already" in p.stdout, p.stdout
    # and says so: a sweep per array task would otherwise run a share and end with success
    assert "note: SLURM_ARRAY_TASK_ID=3 of the array 2-3: this task runs shard 1/2" in p.stderr
    # --array=1,2,5 (a list, not a range): task 2 is off the spacing and is told what to give
    env = dict(ENV, SLURM_ARRAY_TASK_ID="2", SLURM_ARRAY_TASK_MIN="1", SLURM_ARRAY_TASK_MAX="5",
               SLURM_ARRAY_TASK_COUNT="3")
    p = cs("sweep", SMALL, "-o", str(tmp_path / "list"), env=env)
    assert p.returncode == 2 and "SLURM_ARRAY_TASK_ID 2 is not a task of the array 1-5" in \
        p.stderr and "evenly spaced range" in p.stderr and "--shard I/N" in p.stderr, p.stderr
    # a shard done before the others says whose the rest are
    d2 = str(tmp_path / "alone")
    p = cs("sweep", SMALL, "-o", d2, "--shard", "0/2")
    assert p.returncode == 0 and "shard 0/2 done; the other 4 of the sweep's 8 runs are the " \
        "other shards'" in p.stdout, p.stdout


def test_mpi_farm_equals_lone_runs(lone, tmp_path):
    assert shutil.which("mpirun"), "mpirun missing: make deps installs openmpi-bin"
    d = str(tmp_path / "mpi")
    p = subprocess.run(["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", "3", MPI_BIN,
                        "sweep", SMALL, "-o", d], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "on 2 MPI worker ranks" in p.stdout
    assert_dir_matches(d, lone)
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok"] * 8
    # one rank runs the sweep itself
    d1 = str(tmp_path / "mpi1")
    p = subprocess.run(["mpirun", "--allow-run-as-root", "-np", "1", MPI_BIN, "sweep", SMALL,
                        "-o", d1, "--quiet"], cwd=ROOT, env=ENV, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert_dir_matches(d1, lone)


def test_sweep_h5_contract(lone, tmp_path):
    d = str(tmp_path / "contract")
    p = cs("sweep", SMALL, "-o", d, "--jobs", "2", "--quiet")
    assert p.returncode == 0, p.stderr
    runs, keys = dry_run(SMALL)
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        a = f.attrs
        assert a["format"] == "clustersim-sweep" and a["format_version"] == 1
        assert a["name"] == "small"
        assert a["sweep_config"] == open(SMALL).read()
        assert list(a["varied_keys"]) == ["labour.rc"]
        for k in ("software_version", "git_hash"):
            assert a[k]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["created"])
        g = f["runs"]
        assert list(g["id"].asstr()[:]) == [r["id"] for r in runs]
        assert list(g["scenario"].asstr()[:]) == [r["scenario"] for r in runs]
        assert list(g["seed"][:]) == [int(r["seed"]) for r in runs]
        assert g["seed"].dtype == np.int64
        assert list(g["vary_0"][:]) == [float(r["labour.rc"]) for r in runs]
        assert g["vary_0"].attrs["key"] == "labour.rc"
        assert np.all(g["wall_seconds"][:] > 0)
        for i, r in enumerate(runs):
            assert g["file"].asstr()[i] == f"runs/{r['id']}.h5"
            with h5py.File(lone[r["id"]], "r") as run:
                ts = run["timeseries"]
                assert g["final/employment"][i] == ts["employment"][-1]
                assert g["final/output"][i] == ts["output"][-1]
                assert g["final/unemployment_rate"][i] == ts["unemployment_rate"][-1]
                assert g["final/mean_productivity"][i] == ts["mean_productivity"][-1]
                assert g["final/innovations"][i] == ts["innovations"][-1]
                assert g["final/spending_cumulative"][i] == pytest.approx(
                    np.sum(ts["spending"][:]), rel=1e-12)
                names = list(run["sectors/eg_index"].attrs["names"])
                eg = run["sectors/eg_index"][-1]
                tradable = [n for n in names if n != "local_services"]
                assert g["final/eg_tradable_mean"][i] == pytest.approx(
                    np.mean([eg[names.index(n)] for n in tradable]), rel=1e-12)
                for n in tradable:
                    assert g[f"final/eg_{n}"][i] == eg[names.index(n)]
                assert "final/eg_local_services" not in g
            # the external link reaches the run file
            link = f[f"links/{i:06d}"]
            assert np.array_equal(link["timeseries/output"][:], g.file[f"links/{i:06d}"]
                                  ["timeseries/output"][:])
            with h5py.File(lone[r["id"]], "r") as run:
                assert np.array_equal(link["timeseries/output"][:], run["timeseries/output"][:])
    # the links are relative: the sweep directory can move
    moved = str(tmp_path / "moved")
    shutil.move(d, moved)
    with h5py.File(os.path.join(moved, "sweep.h5"), "r") as f:
        assert f["links/000000/timeseries/employment"].shape[0] == 7


def test_dry_run_lists_runs_and_partial_keys(tmp_path):
    s = write(tmp_path, "partial.cfg", """sweep = {
  scenarios = ["baseline", "tech_city"];
  seeds = [3L, 11L];
  vary = ( { key = "policies.[0].per_worker"; values = [0.1, 0.2]; } );
  set = ( { key = "scale"; value = 0.0005; } );
};
""")
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 0, p.stderr
    assert "per_worker applies only to tech_city" in p.stdout
    ids = [l.split("\t")[1] for l in p.stdout.splitlines() if l[:1].isdigit()]
    assert ids == ["baseline/seed03", "baseline/seed11", "tech_city/per_worker=0.1/seed03",
                   "tech_city/per_worker=0.1/seed11", "tech_city/per_worker=0.2/seed03",
                   "tech_city/per_worker=0.2/seed11"]
    assert not os.path.exists(tmp_path / "partial")


def test_zip_mode_pairs_values(tmp_path):
    s = write(tmp_path, "zip.cfg", """sweep = {
  scenarios = ["baseline"];
  seeds = 1;
  mode = "zip";
  vary = ( { key = "labour.rc"; values = [6.0, 8.0]; },
           { key = "labour.c_d"; values = [0.01, 0.02]; } );
};
""")
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 0, p.stderr
    ids = [l.split("\t")[1] for l in p.stdout.splitlines() if l[:1].isdigit()]
    assert ids == ["baseline/rc=6.0/c_d=0.01/seed01", "baseline/rc=8.0/c_d=0.02/seed01"]


BAD = [
    # (name, sweep file text, expected line, expected message part)
    ("typo", 'sweep = {\n  scenarios = ["baseline"];\n  sedes = 2;\n};\n', 3,
     "sweep.sedes: unknown key, did you mean 'seeds'?"),
    ("wrong_type", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = "ten";\n};\n', 3,
     "sweep.seeds: expected a count"),
    ("empty_values", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n'
     '  vary = ( { key = "labour.rc";\n    values = []; } );\n};\n', 5,
     "labour.rc: values is empty"),
    ("empty_vary", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n  vary = ();\n};\n', 4,
     "sweep.vary: is empty"),
    ("zip_unequal", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n  mode = "zip";\n'
     '  vary = ( { key = "labour.rc"; values = [6.0, 8.0]; },\n'
     '           { key = "labour.c_d"; values = [0.01, 0.02, 0.03]; } );\n};\n', 6,
     "mode \"zip\" needs the same number of values"),
    ("unknown_varied_key", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n'
     '  vary = ( { key = "labour.rcc"; values = [6.0]; } );\n};\n', 4,
     "unknown key, did you mean 'labour.rc'?"),
    # "did you mean 'name'?" for a base file to vary: the scenarios list is the way
    ("base_varied", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n'
     '  vary = ( { key = "base"; values = ["a.cfg", "b.cfg"]; } );\n};\n', 4,
     "base is a scenario file's own line, not a key a sweep sets: list the scenarios to run in "
     "sweep.scenarios"),
    ("key_in_no_scenario", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n'
     '  vary = ( { key = "policies.[0].per_worker"; values = [0.1]; } );\n};\n', 4,
     "no scenario of the sweep has this key"),
    ("bad_mode", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n  mode = "prodcut";\n};\n',
     4, "did you mean 'product'?"),
    ("unknown_scenario", 'sweep = {\n  scenarios = ["baseline",\n    "no_such_preset"];\n'
     '  seeds = 2;\n};\n', 3, "'no_such_preset' is neither a scenario file nor a preset"),
    ("mistyped_preset", 'sweep = {\n  scenarios = ["baseline",\n    "tech_cty"];\n'
     '  seeds = 2;\n};\n', 3, "'tech_cty' is neither a scenario file nor a preset, did you mean "
     "'tech_city'? (see clustersim list)"),
    ("wide_seed", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = [1L,\n    5000000000];\n};\n',
     4, "integer 5000000000 does not fit 32 bits: write 5000000000L"),
    # the key named where libconfig can read the file (here [1L, ...] mixes two integer types)
    ("wide_seed_list", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = [1,\n    5000000000];\n};\n',
     4, "sweep.seeds: integer 5000000000 does not fit 32 bits: write 5000000000L"),
    ("wide_seed_range", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = { from = 1;\n'
     '    to = 3000000000; };\n};\n', 4,
     "sweep.seeds.to: integer 3000000000 does not fit 32 bits: write 3000000000L"),
    ("syntax", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = = 2;\n};\n', 3, "syntax error"),
    # 1e999 reads as inf: it went to the run as "inf", refused as "expected float, got string"
    ("value_beyond_a_double", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\n'
     '  vary = ( { key = "firms.alpha";\n    values = [0.5, 1e999]; } );\n};\n', 5,
     "firms.alpha: a value beyond the range of a number"),
    # the parser would stop at the NUL and run what comes before it
    ("nul", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 2;\0 seeds = 1.5;\n};\n', 3,
     "a NUL byte: not a text file"),
]


@pytest.mark.parametrize("name,text,line,msg", BAD, ids=[b[0] for b in BAD])
def test_bad_sweep_file_refused(tmp_path, name, text, line, msg):
    s = write(tmp_path, name + ".cfg", text)
    d = str(tmp_path / "out")
    for args in (["--dry-run"], ["-o", d]):
        p = cs("sweep", s, *args)
        assert p.returncode == 2, p.stderr
        assert p.stderr.startswith(f"clustersim: error: {s}:{line}: "), p.stderr
        assert msg in p.stderr, p.stderr
    assert not os.path.exists(d)


def test_invalid_value_of_one_combination_refused_before_any_run(tmp_path):
    # -1 is out of range for per_worker: found while checking run 3 of 4, before run 1 starts
    s = write(tmp_path, "range.cfg", """sweep = {
  scenarios = ["tech_city"];
  seeds = 2;
  set = ( { key = "scale"; value = 0.0005; }, { key = "steps"; value = 4; } );
  vary = ( { key = "policies.[0].per_worker";
             values = [0.1,
                       -1.0]; } );
};
""")
    d = str(tmp_path / "out")
    p = cs("sweep", s, "-o", d)
    assert p.returncode == 2
    assert p.stderr.startswith(f"clustersim: error: {s}:7: policies.[0].per_worker: value -1.0 "
                               "in scenario tech_city: "), p.stderr
    assert not os.path.exists(d)


def test_other_sweep_on_same_dir_refused_and_more_seeds_extend_it(tmp_path):
    d = str(tmp_path / "out")
    body = ('sweep = {{ scenarios = ["baseline"]; seeds = {};\n'
            '  set = ( {{ key = "scale"; value = 0.0005; }}, {{ key = "steps"; value = {}; }} ); }};\n')
    a = write(tmp_path, "a.cfg", body.format(1, 2))
    b = write(tmp_path, "b.cfg", body.format(3, 2))
    c = write(tmp_path, "c.cfg", body.format(3, 3))
    assert cs("sweep", a, "-o", d, "--quiet").returncode == 0
    first = run_files(d)
    # more seeds: every run of the folder is kept, so the sweep is extended, not refused
    p = cs("sweep", b, "-o", d)
    assert p.returncode == 0, p.stderr
    assert "adds runs to this folder's sweep; its finished runs are kept" in p.stderr
    assert "3 runs, 1 finished already, 2 to run" in p.stdout, p.stdout
    assert run_files(d)["runs/baseline/seed01.h5"] == first["runs/baseline/seed01.h5"]
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok"] * 3
    assert open(os.path.join(d, "sweep.cfg")).read() == open(b).read()
    # the same seeds in another order add nothing (the note said they did) and run nothing
    r = write(tmp_path, "r.cfg", body.format("[3, 1, 2]", 2))
    p = cs("sweep", r, "-o", d)
    assert p.returncode == 0, p.stderr
    assert "lists this folder's runs in another order, adding none" in p.stderr, p.stderr
    assert "adds runs" not in p.stderr and "3 finished already, 0 to run" in p.stdout
    # fewer runs, or other overrides, are another sweep: refused, naming a run it lacks
    p = cs("sweep", a, "-o", d)
    assert p.returncode == 2 and "was made by a different sweep: its run " \
        "'baseline/seed02 baseline scale=0.0005 steps=2 seed=2L'" in p.stderr, p.stderr
    p = cs("sweep", c, "-o", d)
    assert p.returncode == 2 and "was made by a different sweep" in p.stderr, p.stderr
    # without the `set` at all: the runs differ, and no scenario file was edited, so the
    # message is about the runs (it used to blame baseline.cfg for having changed)
    e = write(tmp_path, "e.cfg", 'sweep = { scenarios = ["baseline"]; seeds = 3; };\n')
    p = cs("sweep", e, "-o", d)
    assert p.returncode == 2 and "was made by a different sweep" in p.stderr, p.stderr
    assert "has changed since" not in p.stderr, p.stderr
    # the stored sweep is the extended one: --collect agrees
    p = cs("sweep", "--collect", d)
    assert p.returncode == 0 and "3 ok" in p.stdout, p.stdout + p.stderr


def test_dry_run_with_a_folder_says_which_runs_are_finished(tmp_path):
    s = baseline_sweep(tmp_path, "dry.cfg", 3, 2, name="dry")
    d = str(tmp_path / "out")
    p = cs("sweep", s, "--dry-run", "-o", d)
    assert p.returncode == 0 and not os.path.exists(d)  # looks, writes nothing
    assert p.stdout.splitlines()[-1] == f"{d}: 0 of 3 runs finished, 3 to run (no sweep has " \
        "started there)"
    assert cs("sweep", s, "-o", d, "--quiet").returncode == 0
    os.remove(os.path.join(d, "runs", "baseline", "seed02.h5"))
    lines = cs("sweep", s, "--dry-run", "-o", d).stdout.splitlines()
    assert lines[1].split("\t") == ["index", "id", "scenario", "seed", "finished"]
    assert [ln.split("\t")[-1] for ln in lines[2:5]] == ["yes", "no", "yes"]
    assert lines[-1] == f"{d}: 2 of 3 runs finished, 1 to run"
    # a folder of another sweep (other steps: other runs) is refused as the sweep would refuse
    # it: its runs were counted as this sweep's finished ones
    other = baseline_sweep(tmp_path, "other.cfg", 3, 3, name="dry")
    p = cs("sweep", other, "--dry-run", "-o", d)
    assert p.returncode == 2 and "was made by a different sweep" in p.stderr, p.stderr
    assert "runs finished" not in p.stdout
    # more seeds: the same folder, extended; shown with what is there
    more = baseline_sweep(tmp_path, "more.cfg", 4, 2, name="dry")
    p = cs("sweep", more, "--dry-run", "-o", d)
    assert p.returncode == 0 and p.stdout.splitlines()[-1] == f"{d}: 2 of 4 runs finished, " \
        "2 to run", p.stdout


def test_renamed_sweep_file_is_the_one_the_folder_keeps(tmp_path):
    # the same runs under another name: sweep.h5 said the new name when a sweep wrote it and the
    # old one when --collect did, from the folder's copy of the first sweep file
    d = str(tmp_path / "out")
    a = baseline_sweep(tmp_path, "a.cfg", 1, 2, name="first")
    b = baseline_sweep(tmp_path, "b.cfg", 1, 2, name="second")
    assert cs("sweep", a, "-o", d, "--quiet").returncode == 0
    assert cs("sweep", b, "-o", d, "--quiet").returncode == 0
    assert cs("sweep", "--collect", d).returncode == 0
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert f.attrs["name"] == "second"


def test_extension_refused_while_the_folder_is_in_use(tmp_path):
    d = str(tmp_path / "out")
    a = baseline_sweep(tmp_path, "a.cfg", 2, 100000, name="busy")
    b = baseline_sweep(tmp_path, "b.cfg", 3, 100000, name="busy")
    proc = subprocess.Popen([BIN, "sweep", a, "-o", d, "--jobs", "1"], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        find_run_process("seed01.h5", proc.pid)
        p = cs("sweep", b, "-o", d)
        assert p.returncode == 2 and "which a sweep or run is using now" in p.stderr, p.stderr
        assert open(os.path.join(d, "sweep.cfg")).read() == open(a).read()  # untouched
    finally:
        interrupt(proc)


def test_values_that_give_one_run_id_refused(tmp_path):
    s = write(tmp_path, "coll.cfg", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 1;\n'
              '  vary = ( { key = "name"; values = ["a/b", "a b"]; } );\n};\n')
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 2
    # the line and key of the values (the message named the file alone)
    assert p.stderr.startswith(f"clustersim: error: {s}:4: name: two runs would have the id "
                               "baseline/name=a_b/seed01: "), p.stderr
    assert "values \"a/b\" and \"a b\" both read 'a_b'" in p.stderr
    # two scenarios of one name: the line of the second
    s = write(tmp_path, "twice.cfg", 'sweep = {\n  scenarios = ["baseline",\n'
              '               "baseline"];\n  seeds = 1;\n};\n')
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 2 and p.stderr.startswith(
        f"clustersim: error: {s}:3: sweep.scenarios: two runs would have the id "
        "baseline/seed01: baseline and baseline are both named 'baseline'"), p.stderr


def test_string_value_with_a_tab_or_new_line_refused(tmp_path):
    """The folder's plan.txt is a line a run, its fields split by tabs: a value with a tab or a
    new line in it (legal in libconfig's strings) garbled it."""
    for esc in ("\\t", "\\n"):
        s = write(tmp_path, "ctl.cfg", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 1;\n'
                  '  vary = ( { key = "name";\n    values = ["a", "b%sc"]; } );\n};\n' % esc)
        p = cs("sweep", s, "--dry-run")
        assert p.returncode == 2 and p.stderr.startswith(
            f"clustersim: error: {s}:5: name: a value holds a control character"), p.stderr


def test_scenario_named_dot_dot_stays_inside_runs(tmp_path):
    (tmp_path / "dd.cfg").write_text('base = "%s";\nname = "..";\n'
                                     % os.path.join(ROOT, "scenarios", "baseline.cfg"))
    s = write(tmp_path, "dd_sweep.cfg", 'sweep = { scenarios = ["dd.cfg"]; seeds = 1; };\n')
    runs, _ = dry_run(s)
    assert [r["id"] for r in runs] == ["__/seed01"]


@pytest.mark.parametrize("key,example", [("policies", "policies.[0].amount"),
                                         ("firms", "firms.alpha")])
def test_group_as_a_set_key_refused_with_an_example(tmp_path, key, example):
    s = write(tmp_path, "g.cfg", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 1;\n'
              '  set = ( { key = "%s"; value = 1; } );\n};\n' % key)
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 2, p.stderr
    assert f"'{key}': a group of keys, not one value" in p.stderr and example in p.stderr


def test_zip_repeats_a_value_but_not_a_row(tmp_path):
    s = write(tmp_path, "zip.cfg", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 1;\n'
              '  mode = "zip";\n  vary = ( { key = "landscape.university_pull"; '
              'values = [10.0, 10.0, 20.0]; },\n    { key = "landscape.rural_share"; '
              'values = [0.1, 0.2, 0.1]; } );\n};\n')
    runs, _ = dry_run(s)
    assert len(runs) == 3
    s = write(tmp_path, "zip2.cfg", open(s).read().replace("[0.1, 0.2, 0.1]", "[0.1, 0.1, 0.2]"))
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 2 and p.stderr.startswith(f"clustersim: error: {s}:5: sweep.vary: ") \
        and "the zip repeats a row of values (row 1 and row 2)" in p.stderr, p.stderr


def test_id_part_too_long_for_a_file_name_refused_up_front(tmp_path):
    s = write(tmp_path, "long.cfg", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 1;\n'
              '  vary = ( { key = "description"; values = ["%s"]; } );\n};\n' % ("x" * 300))
    p = cs("sweep", s, "--dry-run")
    assert p.returncode == 2 and "too long for a file name" in p.stderr, p.stderr


def test_rerun_from_another_directory_names_where_it_started(tmp_path):
    sub, s = own_scenario_sweep(tmp_path, seeds=1)
    d = str(tmp_path / "d")
    assert cs("sweep", "x.cfg", "-o", d, "--quiet", cwd=sub).returncode == 0
    os.rename(sub / "my.cfg", tmp_path / "my.cfg")  # found only from where it started, now
    p = cs("sweep", s, "-o", d, cwd=tmp_path / "d")
    assert p.returncode == 2, p.stderr
    assert f"{d} was started in {sub}: run this command there" in p.stderr, p.stderr


def test_sweep_runs_its_own_build_after_a_rebuild(tmp_path):
    """A rebuild that replaces the binary mid-sweep (a new file at its path) does not fail the
    remaining runs: they run the build the sweep started with."""
    b = tmp_path / "bin"
    b.mkdir()
    shutil.copy(BIN, b / "clustersim")
    s = baseline_sweep(tmp_path, "reb.cfg", 4, 60)
    d = str(tmp_path / "out")
    proc = subprocess.Popen([str(b / "clustersim"), "sweep", s, "-o", d, "--jobs", "1"],
                            cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        find_run_process("seed01.h5", proc.pid)
        shutil.copy(BIN, b / "new")
        os.rename(b / "new", b / "clustersim")  # as a linker's output replaces the file
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out + err
    assert "4 of 4 runs ok" in out


def test_output_folder_that_is_a_file_refused(tmp_path):
    f = tmp_path / "afile"
    f.write_text("")
    p = cs("sweep", SMALL, "-o", str(f))
    assert p.returncode == 2 and f"{f}: is a file, not a folder" in p.stderr, p.stderr
    p = cs("sweep", SMALL, "-o", str(f / "sub"))  # a folder under it cannot be made
    assert p.returncode == 2 and "cannot create directory: Not a directory" in p.stderr, p.stderr
    assert f.read_text() == ""


def run_files(d):
    out = {}
    for r, _, fs in os.walk(os.path.join(d, "runs")):
        for f in fs:
            p = os.path.join(r, f)
            out[os.path.relpath(p, d)] = os.stat(p).st_mtime_ns
    return out


def find_run_process(marker, parent, timeout=60):
    """The pid of the `clustersim run` child of process parent (a sweep) whose command line
    contains marker: only the sweep's own, since another test suite may run on the machine."""
    end = time.time() + timeout
    while time.time() < end:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
                ppid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == parent and len(cmd) > 1 and cmd[1] == b"run" and \
                    any(marker.encode() in c for c in cmd):
                return int(pid)
        time.sleep(0.005)
    raise AssertionError(f"no run process for {marker}")


def interrupt(p):
    """Ctrl-C to sweep process p alone (its runs stop on the SIGTERM it forwards), and its
    (stdout, stderr) once it has ended; killed if it has not within two minutes."""
    try:
        p.send_signal(signal.SIGINT)
        return p.communicate(timeout=120)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def wait_gone(pid, why, timeout=120):
    """Waits until process pid has ended (gone, or a zombie its new parent has not reaped)."""
    deadline = time.time() + timeout
    while True:
        try:
            if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
                return
        except OSError:
            return
        assert time.time() < deadline, why
        time.sleep(0.01)


def test_killed_run_is_listed_and_only_it_reruns(tmp_path):
    # runs long enough (a third of a second each; 40 steps took a tenth) for the test to find
    # the second one and kill -9 it while it runs
    # bound to one core with two threads a run, each run's log starts with a warning of
    # threads sharing it: the killed run's reason is the signal, not that warning (its last
    # line, which was given as the reason)
    s = baseline_sweep(tmp_path, "kill.cfg", 3, 120, name="kill")
    d = str(tmp_path / "out")
    proc = subprocess.Popen(["taskset", "-c", "0", BIN, "sweep", s, "-o", d, "--jobs", "1",
                             "--threads", "2"], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        victim = find_run_process("seed02.h5", proc.pid)
        log = os.path.join(d, "logs", "baseline", "seed02.log")
        end = time.time() + 60
        while time.time() < end and "warning" not in (open(log).read()
                                                      if os.path.exists(log) else ""):
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, err
    assert "1 run failed" in err
    failed = open(os.path.join(d, "failed.log")).read().splitlines()
    assert failed == ["baseline/seed02\tkilled by signal 9 (Killed)"], failed
    assert "threads" in open(os.path.join(d, "logs", "baseline", "seed02.log")).read()
    files = run_files(d)
    assert sorted(files) == ["runs/baseline/seed01.h5", "runs/baseline/seed03.h5"]  # no .tmp
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok", "failed", "ok"]
        assert np.isnan(f["runs/final/employment"][1]) and np.isnan(f["runs/wall_seconds"][1])
        assert sorted(f["links"]) == ["000000", "000002"]
    # the rerun recomputes only the failed run
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    assert p.returncode == 0, p.stderr
    assert "2 finished already, 1 to run" in p.stdout
    after = run_files(d)
    assert sorted(after) == ["runs/baseline/seed01.h5", "runs/baseline/seed02.h5",
                             "runs/baseline/seed03.h5"]
    for k in files:
        assert after[k] == files[k], f"{k} was rewritten"
    assert not os.path.exists(os.path.join(d, "failed.log"))
    # deleting one run file: the next sweep recomputes that one only
    os.remove(os.path.join(d, "runs/baseline/seed03.h5"))
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    assert p.returncode == 0 and "2 finished already, 1 to run" in p.stdout
    again = run_files(d)
    assert again["runs/baseline/seed01.h5"] == after["runs/baseline/seed01.h5"]
    assert again["runs/baseline/seed02.h5"] == after["runs/baseline/seed02.h5"]
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok"] * 3


def test_empty_or_foreign_file_at_a_runs_name_is_not_a_finished_run(tmp_path):
    # the sweep once counted any file at a run's name as done ("3 of 3 ok", exit 0) while
    # sweep.h5 said "run file unreadable", and never reran it
    s = baseline_sweep(tmp_path, "foreign.cfg", 3, 4, name="foreign")
    d = str(tmp_path / "out")
    sweep_folder(s, d)
    os.makedirs(os.path.join(d, "runs", "baseline"))
    empty = os.path.join(d, "runs", "baseline", "seed02.h5")
    foreign = os.path.join(d, "runs", "baseline", "seed03.h5")
    open(empty, "w").close()
    with open(foreign, "w") as f:
        f.write("not a run\n")
    # the empty file needs no removal (the run writes over it), the foreign one does
    p = cs("sweep", s, "--dry-run", "-o", d)
    assert "run file is empty: the next run of the sweep writes it" in p.stderr, p.stderr
    assert "not an HDF5 file (foreign: remove it" in p.stderr, p.stderr
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    # the empty file is written over; the foreign one is kept, its run failed with advice
    assert p.returncode == 1, p.stdout + p.stderr
    assert "0 finished already, 3 to run" in p.stdout
    assert "2 of 3 runs ok, 1 failed" in p.stdout, p.stdout
    failed = open(os.path.join(d, "failed.log")).read().splitlines()
    assert len(failed) == 1 and failed[0].startswith("baseline/seed03\t"), failed
    assert "not a clustersim run file" in open(os.path.join(d, "logs", "baseline",
                                                            "seed03.log")).read()
    assert open(foreign).read() == "not a run\n"
    with h5py.File(empty, "r") as f:
        assert f.attrs["complete"] == 1
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok", "ok", "failed"]
    # removed as the advice says, the run is made on the next pass, and nothing else is redone
    os.remove(foreign)
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    assert p.returncode == 0 and "2 finished already, 1 to run" in p.stdout, p.stdout + p.stderr


def test_a_file_that_is_not_the_runs_complete_run_is_not_finished(tmp_path):
    """Any HDF5 file at a run's name counted as done: a truncated run file ("2 of 2 runs ok",
    never rerun, while sweep.h5 said failed), a checkpoint (its row all NaN), a run left
    incomplete, or another run's file (its numbers filed under this run's scenario). Now a run
    is finished only by a complete run file of its scenario and seed: a damaged file fails its
    run with advice, and another run's is replaced by the run."""
    s = baseline_sweep(tmp_path, "strict.cfg", 4, 4, name="strict")
    d = str(tmp_path / "out")
    p = cs("sweep", s, "-o", d, "--jobs", "1", "--quiet")
    assert p.returncode == 0, p.stderr
    runs = os.path.join(d, "runs", "baseline")
    good = open(os.path.join(runs, "seed01.h5"), "rb").read()
    with open(os.path.join(runs, "seed01.h5"), "wb") as f:  # truncated
        f.write(good[:len(good) // 3])
    other = str(tmp_path / "tc.h5")  # another scenario's run, same seed
    assert cs("run", "tech_city", "--set", "scale=0.0005", "--steps", "4", "--seed", "2",
              "-q", "-o", other).returncode == 0
    shutil.copy(other, os.path.join(runs, "seed02.h5"))
    with h5py.File(os.path.join(runs, "seed03.h5"), "r+") as f:  # left incomplete
        f.attrs["complete"] = np.int32(0)
    assert cs("run", "baseline", "--set", "scale=0.0005", "--steps", "4", "--seed", "4",
              "--stop-after", "2", "-q", "-o", str(tmp_path / "ck.h5")).returncode == 1
    shutil.copy(str(tmp_path / "ck.ckpt.h5"), os.path.join(runs, "seed04.h5"))
    # --dry-run lists them unfinished and says why, one note each
    dry = cs("sweep", s, "-o", d, "--dry-run")
    assert dry.returncode == 0 and "0 of 4 runs finished, 4 to run" in dry.stdout, dry.stdout
    assert dry.stderr.count("clustersim: note: baseline/seed0") == 4 and \
        "baseline/seed03: run file is of a run left incomplete" in dry.stderr, dry.stderr
    c = cs("sweep", "--collect", d)
    reasons = dict(l.split("\t", 1) for l in open(os.path.join(d, "failed.log")).read()
                   .splitlines())
    assert reasons == {
        "baseline/seed01": "run file unreadable (truncated or damaged: remove it to run the run "
                           "again)",
        "baseline/seed02": "run file is another run's (scenario tech_city, seed 2; this run is "
                           "baseline, seed 2)",
        "baseline/seed03": "run file is of a run left incomplete",
        "baseline/seed04": "run file is a clustersim-checkpoint file, not a run file (remove it "
                           "to run the run again)"}, reasons
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["failed"] * 4
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    assert "4 runs, 0 finished already, 4 to run" in p.stdout, p.stdout
    # the run files of other runs are replaced; the damaged file and the checkpoint are kept,
    # their runs failed with advice
    assert p.returncode == 1 and "2 of 4 runs ok, 2 failed" in p.stdout, p.stdout + p.stderr
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["failed", "ok", "ok", "failed"]
        assert f["runs/seed"][1] == 2
    with h5py.File(os.path.join(runs, "seed02.h5"), "r") as f:
        assert f.attrs["scenario"] == "baseline" and f.attrs["complete"] == 1


def test_a_sweep_that_varies_the_name_finds_its_runs_finished(tmp_path):
    # a run is finished by a run file of its own scenario name: a varied `name` is that name
    # (each run failed as "another run's", and every rerun ran it again)
    s = write(tmp_path, "named.cfg", 'sweep = {\n  scenarios = ["baseline"];\n  seeds = 1;\n'
              '  vary = ( { key = "name"; values = ["alpha", "beta"]; } );\n'
              '  set = ( { key = "scale"; value = 0.0005; }, { key = "steps"; value = 2; } );\n'
              '  threads = 1;\n};\n')
    d = str(tmp_path / "out")
    p = cs("sweep", s, "-o", d)
    assert p.returncode == 0 and "2 of 2 runs ok" in p.stdout, p.stdout + p.stderr
    p = cs("sweep", s, "-o", d)
    assert p.returncode == 0 and "2 finished already, 0 to run" in p.stdout, p.stdout + p.stderr


def test_a_failed_log_that_cannot_be_written_is_said_and_leaves_nothing(tmp_path):
    # failed.log.tmp.PID was left each time, and the error pointed at a failed.log not written
    s = baseline_sweep(tmp_path, "flog.cfg", 2, 2, name="flog")
    d = str(tmp_path / "out")
    sweep_folder(s, d)
    os.makedirs(os.path.join(d, "failed.log"))
    os.makedirs(os.path.join(d, "runs", "baseline"))
    with open(os.path.join(d, "runs", "baseline", "seed02.h5"), "w") as f:
        f.write("not a run\n")
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    assert p.returncode == 1, p.stdout + p.stderr
    assert f"clustersim: warning: {d}/failed.log: cannot write it (Is a directory); the failed " \
        f"runs are in {d}/sweep.h5's runs/status" in p.stderr, p.stderr
    assert not [f for f in os.listdir(d) if ".tmp." in f], os.listdir(d)


def test_a_folder_that_is_not_a_sweeps_is_refused(tmp_path):
    # `sweep -o DIR` wrote into any folder: a user's DIR/scenarios/1.cfg was replaced, and
    # `-o .` in a copy of the repository added presets "1" and "2" to its scenarios/. A folder
    # holding anything, without a sweep's sweep.cfg, is refused (2) and left as it was; an
    # empty one, or one a sweep made, is fine
    s = baseline_sweep(tmp_path, "nf.cfg", 1, 2, name="nf")
    mine, runsonly = tmp_path / "mine", tmp_path / "runsonly"
    (mine / "scenarios").mkdir(parents=True)
    (mine / "scenarios" / "1.cfg").write_text("mine\n")
    (runsonly / "runs").mkdir(parents=True)
    (runsonly / "runs" / "notes.txt").write_text("x\n")
    for d, held in ((mine, "scenarios"), (runsonly, "runs/notes.txt")):
        before = sorted(str(p.relative_to(d)) for p in d.rglob("*"))
        p = cs("sweep", s, "-o", str(d), "--jobs", "1")
        assert p.returncode == 2, p.stderr
        assert p.stderr == (f"clustersim: error: {d}: holds {held} but is not a sweep's folder "
                            "(no sweep.cfg): give a new or empty folder for the sweep's "
                            "output\n"), p.stderr
        assert sorted(str(p.relative_to(d)) for p in d.rglob("*")) == before
    assert (mine / "scenarios" / "1.cfg").read_text() == "mine\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cs("sweep", s, "-o", str(empty), "--jobs", "1").returncode == 0
    assert cs("sweep", s, "-o", str(empty), "--jobs", "1").returncode == 0  # its own, again


def test_collect_on_a_full_disk_exits_1_with_the_reason(tmp_path):
    # sweep.h5 that does not fit (a file size limit stands for the full disk): HDF5's exit
    # handler then crashed on the file that failed to close (SIGSEGV); now exit 1, the system's
    # reason, the earlier sweep.h5 untouched and no temporary file left
    import resource
    s = baseline_sweep(tmp_path, "fd.cfg", 2, 2, name="fd")
    d = str(tmp_path / "out")
    assert cs("sweep", s, "-o", d, "--jobs", "1").returncode == 0
    with open(os.path.join(d, "sweep.h5"), "rb") as f:
        before = f.read()

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    p = cs("sweep", "--collect", d, preexec_fn=limited)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert p.stderr == (f"clustersim: error: {d}/sweep.h5: cannot write the sweep file (File too "
                        "large)\n"), p.stderr
    with open(os.path.join(d, "sweep.h5"), "rb") as f:
        assert f.read() == before
    assert not [f for f in os.listdir(d) if ".tmp." in f], os.listdir(d)


@contextlib.contextmanager
def tmpfs(tmp_path, size):
    """A tmpfs of `size` mounted at tmp_path/mnt for the test's length (a real full or
    read-only disk); the test is skipped where it cannot be mounted (not root, no mounts)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}",
                                            "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("needs a tmpfs mount (root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_runs_failing_on_a_full_disk_say_so(tmp_path):
    # on a full disk a failed run cannot write its log, nor the sweep its failed.log: the runs'
    # reason was "exit status 1" alone and the error pointed at a failed.log that was not
    # there; now the reason names the disk's free space and the error gives the first one.
    # A real full disk: a small tmpfs (root only, where mounts are allowed)
    with tmpfs(tmp_path, "2m") as mnt:
        s = baseline_sweep(tmp_path, "fd.cfg", 2, 2, name="fd")
        d = str(mnt / "out")
        assert cs("sweep", s, "-o", d, "--dry-run").returncode == 0  # the folder, then fill it
        fd = os.open(mnt / "fill", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        os.close(fd)
        # 20 KB left: enough for the sweep's own small files, not for a run's
        os.truncate(mnt / "fill", os.path.getsize(mnt / "fill") - 20 * 1024)
        p = cs("sweep", s, "-o", d, "--jobs", "1")
        assert p.returncode == 1, p.stderr
        assert re.search(rf"clustersim: error: 2 runs failed, and {re.escape(d)}/failed.log "
                         r"could not be written; the first, baseline/seed01: exit status 1: no "
                         rf"message \(its log is empty\), and the disk holding {re.escape(d)} "
                         r"has \d+ KB free\n$", p.stderr), p.stderr
        # a shard appends its failures to failed.log as they come: on the full disk the file
        # is made but stays empty, and is no record to point at
        p = cs("sweep", s, "-o", d, "--jobs", "1", "--shard", "1/2")
        assert p.returncode == 1, p.stderr
        assert re.search(rf"clustersim: error: 1 run failed, and {re.escape(d)}/failed.log could "
                         r"not be written; the first, baseline/seed02: exit status 1", p.stderr), \
            p.stderr


def test_stale_temporary_files_of_a_run_are_removed_when_it_runs(tmp_path):
    # a run killed outright (a node failure, mpirun ending the farm) leaves OUT.tmp.PID and
    # OUT.ckpt.h5.tmp.PID, and a resume killed so its unlocked OUT.ckpt.h5.lock; the sweep
    # that runs it again removes them (the lock: the run's --resume takes it, finds no
    # checkpoint and lets it go), and nothing else
    s = baseline_sweep(tmp_path, "stale.cfg", 2, 4, name="stale")
    d = str(tmp_path / "out")
    sweep_folder(s, d)
    folder = os.path.join(d, "runs", "baseline")
    os.makedirs(folder)
    stale = ["seed02.h5.tmp.4242", "seed02.h5.ckpt.h5.tmp.4243", "seed02.h5.ckpt.h5.lock"]
    kept = ["seed02.h5.tmp.notes", "seed022.h5.tmp.17", "seed02.h5.tmp."]
    for f in stale + kept:
        open(os.path.join(folder, f), "w").close()
    p = cs("sweep", s, "-o", d, "--jobs", "1")
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(folder)) == sorted(["seed01.h5", "seed02.h5"] + kept)


def test_collect_writes_sweep_h5_from_run_files(lone, tmp_path):
    d = str(tmp_path / "c")
    assert cs("sweep", SMALL, "-o", d, "--shard", "0/2", "--quiet").returncode == 0
    p = cs("sweep", "--collect", d)
    # sweep.h5 written, exit 1: half the runs are missing (it exited 0 whatever it found, so
    # "collect && analyse" took a partial sweep for a whole one)
    assert p.returncode == 1, p.stderr
    assert "8 runs: 4 ok, 0 failed, 4 missing" in p.stdout
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok", "missing"] * 4
        assert list(f["runs/file"].asstr()[:])[1] == ""
    assert cs("sweep", "--collect", str(tmp_path / "nothing")).returncode == 2
    # each ok run's build: all this one's, so no warning
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        builds = list(f["runs/git_hash"].asstr()[:])
        own = f.attrs["git_hash"]
    assert builds == [own, ""] * 4
    assert "warning" not in p.stderr, p.stderr
    assert cs("sweep", SMALL, "-o", d, "--shard", "1/2", "--quiet").returncode == 0
    p = cs("sweep", "--collect", d)
    assert p.returncode == 0 and "8 runs: 8 ok, 0 failed, 0 missing" in p.stdout, p.stdout


def test_collect_warns_of_runs_from_two_builds(tmp_path):
    """A folder whose runs were made by two builds (a resubmission with a newer binary) is
    collected with a warning naming both and how many runs each made."""
    sub, s = own_scenario_sweep(tmp_path, seeds=3)
    d = str(tmp_path / "d")
    assert cs("sweep", s, "-o", d, "--quiet").returncode == 0
    with h5py.File(os.path.join(d, "runs", "my", "seed02.h5"), "r+") as f:
        own = f.attrs["git_hash"]
        f.attrs["git_hash"] = "0ldbu1ld"
    p = cs("sweep", "--collect", d)
    assert p.returncode == 0, p.stderr
    assert f"the runs come from 2 builds ({own}: 2 runs, 0ldbu1ld: 1 run)" in p.stderr, p.stderr
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/git_hash"].asstr()[:]) == [own, "0ldbu1ld", own]


def own_scenario_sweep(tmp_path, seeds):
    """A folder sub/ with a scenario my.cfg (two steps on the baseline) and a sweep x.cfg of it
    over the given seeds: (sub, the sweep file)."""
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "my.cfg").write_text('base = "%s";\nname = "my";\nscale = 0.0005;\nsteps = 2;\n'
                                % os.path.join(ROOT, "scenarios", "baseline.cfg"))
    return sub, write(sub, "x.cfg", 'sweep = {\n  scenarios = ["my.cfg"];\n  seeds = %d;\n};\n'
                      % seeds)


def test_collect_without_the_scenario_files(tmp_path):
    """A sweep directory keeps a resolved copy of each scenario (DIR/scenarios/N.cfg), so it is
    collected wherever it is, after its scenario file (and its base) moved, was edited, or is
    gone: the same sweep.h5 rows. A directory without the copies (an older sweep) says why it
    needs the files."""
    sub, s = own_scenario_sweep(tmp_path, seeds=2)
    d = str(tmp_path / "d")
    assert cs("sweep", s, "-o", d, "--quiet").returncode == 0
    assert sorted(os.listdir(os.path.join(d, "scenarios"))) == ["1.cfg", "1.path"]
    def columns():
        with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
            g = f["runs"]
            return {k: g[k][...] for k in g
                    if isinstance(g.get(k, getlink=True), h5py.HardLink)
                    and isinstance(g[k], h5py.Dataset)}

    before = columns()
    assert "status" in before
    os.rename(sub, tmp_path / "moved")
    p = cs("sweep", "--collect", d)
    assert p.returncode == 0, p.stderr
    after = columns()
    assert sorted(before) == sorted(after)
    for k in before:
        assert np.array_equal(before[k], after[k]), k
    shutil.rmtree(os.path.join(d, "scenarios"))
    p = cs("sweep", "--collect", d)
    assert p.returncode == 2
    assert "'my.cfg' is neither a scenario file nor a preset" in p.stderr, p.stderr
    assert "has no copies of its scenarios" in p.stderr


def test_edited_scenario_refused_on_resubmission(tmp_path):
    """Rerunning a sweep on its directory after its scenario (or the scenario's base) was edited
    is refused before any run: the runs of one sweep would otherwise mix two configs."""
    sub, s = own_scenario_sweep(tmp_path, seeds=1)
    d = str(tmp_path / "d")
    assert cs("sweep", s, "-o", d, "--quiet").returncode == 0
    assert cs("sweep", s, "-o", d, "--quiet").returncode == 0  # unchanged: nothing to do
    (sub / "my.cfg").write_text((sub / "my.cfg").read_text().replace("steps = 2", "steps = 3"))
    p = cs("sweep", s, "-o", d, "--quiet")
    assert p.returncode == 2, p.stderr
    assert "scenario my.cfg" in p.stderr and "has changed since this sweep started" in p.stderr
    # the copy removed as well (with a run file, so that the rerun has a run to make): the
    # check was off, and the folder then mixed two configs
    os.remove(os.path.join(d, "scenarios", "1.cfg"))
    for f in os.listdir(os.path.join(d, "runs", "my")):
        os.remove(os.path.join(d, "runs", "my", f))
    p = cs("sweep", s, "-o", d, "--quiet")
    assert p.returncode == 2 and f"{d}/scenarios/1.cfg, the copy of scenario my.cfg taken when " \
        "this sweep started, is missing" in p.stderr, p.stderr
    assert os.listdir(os.path.join(d, "runs", "my")) == []
    # collecting only reads: it goes on, and says the copy is missing (exit 1: its one run,
    # removed above, is missing)
    p = cs("sweep", "--collect", d)
    assert p.returncode == 1 and "scenarios/1.cfg, the copy of scenario my.cfg taken when the " \
        "sweep started, is missing: its runs are collected without it" in p.stderr, p.stderr


def test_scenario_copies_with_the_sweeps_set_entries(tmp_path):
    """A scenario that loads only with the sweep's `set` entries (a circle beyond the default
    grid, which the sweep enlarges) is copied as its runs see it; a copy written by another
    build (a key missing: its default) is no change; --collect on a directory that lacks its
    plan keeps the recorded scenario file."""
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "big.cfg").write_text(
        'base = "%s";\nname = "big";\nscale = 0.0005;\nsteps = 2;\npolicies = ( { type = '
        '"location_subsidy"; area = { circle = [60.0, 170.0, 3.0]; }; } );\n'
        % os.path.join(ROOT, "scenarios", "baseline.cfg"))
    s = write(sub, "x.cfg", 'sweep = {\n  scenarios = ["big.cfg"];\n  seeds = 1;\n'
                            '  set = ( { key = "grid.height"; value = 200; } );\n};\n')
    d = str(tmp_path / "d")
    p = cs("sweep", s, "-o", d, "--quiet")
    assert p.returncode == 0, p.stderr
    copy = os.path.join(d, "scenarios", "1.cfg")
    text = open(copy).read()
    assert "height = 200" in text
    recorded = open(os.path.join(d, "scenarios", "1.path")).read()
    assert recorded == str(sub / "big.cfg")
    # an older build's copy lacks a key this build added: the default fills it on both sides
    line = next(x for x in text.splitlines() if "rural_share" in x)
    open(copy, "w").write(text.replace(line + "\n", ""))
    assert cs("sweep", s, "-o", d, "--quiet").returncode == 0
    assert cs("sweep", "--collect", d).returncode == 0
    d2 = str(tmp_path / "d2")
    shutil.copytree(d, d2)
    os.remove(os.path.join(d2, "plan.txt"))
    assert cs("sweep", "--collect", d2).returncode == 0
    assert open(os.path.join(d2, "scenarios", "1.path")).read() == recorded


def test_sweep_options_refused():
    assert cs("sweep").returncode == 2
    assert cs("sweep", SMALL).returncode == 2  # no -o
    p = cs("sweep", SMALL, "-o", "/tmp/x", "--shard", "2/2")
    assert p.returncode == 2 and "--shard needs I/N with 0 <= I < N" in p.stderr and \
        "not '2/2'" in p.stderr, p.stderr
    assert cs("sweep", SMALL, "-o", "/tmp/x", "--jobs", "0").returncode == 2
    p = cs("sweep", "--help")
    assert p.returncode == 0 and "--shard I/N" in p.stdout


def test_preset_sweeps_are_valid():
    sweeps = os.path.join(ROOT, "scenarios", "sweeps")
    for name in sorted(os.listdir(sweeps)):
        p = cs("sweep", os.path.join(sweeps, name), "--dry-run")
        assert p.returncode == 0, f"{name}: {p.stderr}"
    # the league: the baseline and every preset scenario with policies, 10 seeds each
    with_policies = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, "scenarios"))
                           if f.endswith(".cfg") and
                           "\npolicies" in "\n" + open(os.path.join(ROOT, "scenarios", f)).read())
    runs, _ = dry_run(os.path.join(sweeps, "policy_league.cfg"))
    assert sorted({r["scenario"] for r in runs}) == sorted(["baseline"] + with_policies)
    assert len(runs) == 10 * (1 + len(with_policies))
    runs, keys = dry_run(os.path.join(sweeps, "rd_credit_rates.cfg"))
    assert keys == ["policies.[0].rate"]
    assert len({r[keys[0]] for r in runs if r["scenario"] == "rd_credits"}) == 5
    assert len(runs) == 10 + 5 * 10


def test_ctrl_c_stops_cleanly_and_keeps_finished_runs(tmp_path):
    s = baseline_sweep(tmp_path, "int.cfg", 4, 120)
    d = str(tmp_path / "out")
    proc = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "1"], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        find_run_process("seed02.h5", proc.pid)  # seed01 finished, seed02 running
        # and writing its file: past its start, so it stops with a checkpoint (a run stopped
        # while its config loads ends before it writes anything, and is merely not run)
        tmp = os.path.join(d, "runs", "baseline", "seed02.h5.tmp.*")
        end = time.time() + 60
        while not glob.glob(tmp) and time.time() < end:
            time.sleep(0.002)
        proc.send_signal(signal.SIGINT)  # to the sweep alone: it stops its running run
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1
    assert "interrupted" in err, err
    # the stopped run is listed as failed (it did not finish), and said to be resumable
    assert "1 of 4 runs ok, 1 failed, 1 of them interrupted with a checkpoint to continue " \
        "from" in out, out
    assert "the interrupted ones continue from their checkpoints" in err, err
    files = run_files(d)
    assert "runs/baseline/seed01.h5" in files
    assert "runs/baseline/seed04.h5" not in files  # nothing started after Ctrl-C
    for f in files:
        assert f.endswith(".h5") or f.endswith(".h5.incomplete"), f  # no temporary file left
    assert "runs/baseline/seed02.h5.ckpt.h5" in files  # what the rerun continues from
    for f in [f for f in files if f.endswith(".h5") and not f.endswith(".ckpt.h5")]:
        with h5py.File(os.path.join(d, f), "r") as h:
            assert h.attrs["complete"] == 1
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        st = list(f["runs/status"].asstr()[:])
        assert st[0] == "ok" and st[3] == "missing"
    # the same command again finishes the sweep
    p = cs("sweep", s, "-o", d, "--jobs", "2", "--quiet")
    assert p.returncode == 0, p.stderr
    assert sorted(f for f in run_files(d) if f.endswith(".h5")) == [
        f"runs/baseline/seed0{i}.h5" for i in range(1, 5)]


def test_second_copy_of_a_running_sweep_refused(tmp_path):
    """The same sweep started again on the same folder while the first still runs (a second
    terminal, a resubmission) is refused, and runs nothing twice; another shard of the folder
    is not, and another layout (the whole sweep) leaves it the runs it is running. A sweep
    killed outright (SIGKILL) stops its run as SIGTERM does (it leaves its
    checkpoint); once that run is gone, the same command goes on."""
    s = baseline_sweep(tmp_path, "lock.cfg", 2, 100000)
    d = str(tmp_path / "out")

    def start(shard):
        return subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "1", "--shard", shard],
                                cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def first_line_then_stop(p):
        first = p.stdout.readline()
        return first, interrupt(p)[1]

    proc = start("0/2")
    try:
        run = find_run_process("seed01.h5", proc.pid)
        p = cs("sweep", s, "-o", d, "--jobs", "1", "--shard", "0/2")
        assert p.returncode == 2, p.stdout + p.stderr
        assert f"pid {proc.pid} on " in p.stderr and "another sweep" in p.stderr, p.stderr
        assert "to run" not in p.stdout  # refused before it counted or ran anything
        first, err = first_line_then_stop(start("1/2"))  # the other shard runs
        assert "shard 1/2: 1 runs, 0 finished already, 1 to run" in first, first + err
        assert "another sweep" not in err, err
        # another layout on the folder (the whole sweep) runs what no one runs, and leaves
        # seed01 to the shard that is running it
        whole = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "2"], cwd=ROOT, env=ENV,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            find_run_process("seed02.h5", whole.pid)
            with pytest.raises(AssertionError):
                find_run_process("seed01.h5", whole.pid, timeout=1)
        finally:
            out, err = interrupt(whole)
        assert "(1 run left to another sweep of this folder that is running it)" in err, out + err
        # with every run taken by the shards, the whole sweep has nothing to run: not a success,
        # no done marker and no sweep.h5 (the runs are not finished)
        other = start("1/2")
        try:
            find_run_process("seed02.h5", other.pid)
            p = cs("sweep", s, "-o", d, "--jobs", "2")
            assert p.returncode == 1, p.stdout + p.stderr
            assert "2 runs left to another sweep of this folder that is running them; run this " \
                "command again once it has ended" in p.stderr, p.stderr
            assert not os.path.exists(os.path.join(d, "status", "shard-0-of-1.done"))
            assert not os.path.exists(os.path.join(d, "sweep.h5"))
        finally:
            interrupt(other)
        proc.kill()  # SIGKILL: its run gets SIGTERM from the kernel (PR_SET_PDEATHSIG)
        proc.wait()
        wait_gone(run, "the run outlived its killed sweep")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    folder = os.path.join(d, "runs", "baseline")
    assert "seed01.h5.ckpt.h5" in os.listdir(folder), os.listdir(folder)
    # the holders are gone: the same command goes on (and resumes the checkpoint)
    first, err = first_line_then_stop(start("0/2"))
    assert "1 runs, 0 finished already, 1 to run" in first, first + err
    assert "another sweep" not in err, err


def test_a_shard_that_left_runs_to_another_sweep_is_not_done(tmp_path):
    """A shard whose runs another sweep of the folder is running leaves them to it and writes no
    done mark; its summary counted them nowhere ("1 of 2 runs ok, 0 failed, 0 not run") and it
    then said "shard 0/2 done", before the error that says otherwise."""
    s = baseline_sweep(tmp_path, "left.cfg", 3, 600)  # about 2 s a run
    d = str(tmp_path / "out")
    whole = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "1"], cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        find_run_process("seed01.h5", whole.pid)
        p = cs("sweep", s, "-o", d, "--jobs", "1", "--shard", "0/2")  # seeds 1 and 3
    finally:
        interrupt(whole)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "1 of 2 runs ok, 0 failed, 0 not run, 1 left to another sweep (" in p.stdout, p.stdout
    assert "done" not in p.stdout, p.stdout
    assert "1 run left to another sweep of this folder that is running it" in p.stderr, p.stderr
    assert not os.path.exists(os.path.join(d, "status", "shard-0-of-2.done"))


def test_run_of_a_killed_sweep_stays_claimed_until_it_ends(tmp_path):
    """A sweep killed outright (SIGKILL) leaves its run to stop on the SIGTERM the kernel sends
    it, writing its checkpoint. Until that run has ended, a sweep of another layout on the folder
    leaves it alone (it holds its own claim), instead of starting it beside the stopping one."""
    s = baseline_sweep(tmp_path, "orphan.cfg", 2, 600)  # about 2 s a run
    d = str(tmp_path / "out")
    shard = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "1", "--shard", "0/2"],
                             cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    run = None
    try:
        run = find_run_process("seed01.h5", shard.pid)
        folder = os.path.join(d, "runs", "baseline")
        deadline = time.time() + 60
        while not any(".tmp." in f for f in os.listdir(folder)):  # in its loop, handlers set
            assert time.time() < deadline, "the run did not start"
            time.sleep(0.005)
        os.kill(run, signal.SIGSTOP)  # held there, the SIGTERM to come pending
        shard.kill()
        shard.communicate(timeout=60)
        p = cs("sweep", s, "-o", d, "--jobs", "2", "--quiet")  # the whole sweep
        assert p.returncode == 1, p.stdout + p.stderr
        assert "1 run left to another sweep of this folder that is running it" in p.stderr, \
            p.stderr
        assert "seed02.h5" in os.listdir(folder)
        assert not os.path.exists(os.path.join(folder, "seed01.h5"))
        assert not os.path.exists(os.path.join(d, "sweep.h5"))
    finally:
        if shard.poll() is None:
            shard.kill()
            shard.wait()
        if run is not None:
            os.kill(run, signal.SIGCONT)  # it takes the SIGTERM: checkpoints and ends
    wait_gone(run, "the run did not stop on its SIGTERM")
    assert "seed01.h5.ckpt.h5" in os.listdir(folder), os.listdir(folder)
    p = cs("sweep", s, "-o", d, "--jobs", "2", "--quiet")  # now it resumes and finishes
    assert p.returncode == 0, p.stdout + p.stderr
    assert os.path.exists(os.path.join(folder, "seed01.h5"))
    assert os.path.exists(os.path.join(d, "sweep.h5"))


def sweep_signalled_in_its_run(s, d, signal_it, preexec_fn=None):
    """Start a one-run sweep of s into d in its own process group, call signal_it(proc,
    running) once the run is in its loop (its temporary file exists, so its handlers are
    installed), and wait for the sweep to end (killed if the test fails first). Returns the
    process and its standard error."""
    proc = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "1", "--quiet"], cwd=ROOT,
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=preexec_fn)
    folder = os.path.join(d, "runs", "baseline")

    def running():
        return os.path.isdir(folder) and any(".tmp." in f for f in os.listdir(folder))
    try:
        deadline = time.time() + 120
        while not running():
            assert time.time() < deadline and proc.poll() is None, "the run did not start"
            time.sleep(0.01)
        signal_it(proc, running)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_to_the_process_group_keeps_checkpoints(tmp_path, sig):
    """Slurm's time limit signals the whole job: the sweep and its run each get SIGTERM, and the
    sweep forwards one more to the run. The run still checkpoints, and the checkpoint resumes.
    A closed terminal (a dropped ssh session) sends SIGHUP to the group: it killed the sweep
    and its runs with no checkpoint; now it stops them as SIGTERM does."""
    s = write(tmp_path, "long.cfg", """sweep = {
  scenarios = ["baseline"];
  seeds = 1;
  set = ( { key = "scale"; value = 0.005; }, { key = "steps"; value = 100000; } );
  threads = 1;
};
""")  # scale 0.005: a step and a checkpoint long enough for the forwarded signal to land in
    d = str(tmp_path / "out")
    run = os.path.join(d, "runs", "baseline", "seed01.h5")

    def signal_it(proc, running):
        os.killpg(proc.pid, sig)
    proc, err = sweep_signalled_in_its_run(s, d, signal_it)
    assert proc.returncode == 1, err
    left = sorted(os.listdir(os.path.dirname(run)))
    assert left == ["seed01.h5.ckpt.h5", "seed01.h5.incomplete"], left
    log = open(os.path.join(d, "failed.log")).read()
    assert "interrupted" in log and "killed" not in log, log
    p = cs("resume", run + ".ckpt.h5", "--quiet", "--stop-after", "0")  # loads, stops at once
    assert p.returncode == 1 and "stopped (--stop-after)" in p.stderr, p.stderr
    # the sweep started again says the run continues from its checkpoint
    again = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "1"], cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = again.stdout.readline()
    try:
        find_run_process("seed01.h5", again.pid)
    finally:  # as soon as the run exists: it may still be loading its checkpoint
        out, err2 = interrupt(again)
    assert "0 finished already, 1 to run, 1 of them from its checkpoint (1 at a time" in first, \
        first
    # stopped, before or after its first step, with its checkpoint kept, and the summary says so
    assert os.path.exists(run + ".ckpt.h5")
    log = open(os.path.join(d, "failed.log")).read()
    assert "baseline/seed01\tinterrupted" in log and "no checkpoint" not in log, log
    assert "continue from their checkpoints" in out + err2, out + err2


def test_a_sweep_under_nohup_goes_on_when_the_terminal_closes(tmp_path):
    """nohup ignores SIGHUP so that a job outlives its terminal: the sweep and its runs keep
    ignoring it (the SIGHUP handler added for a plain terminal took that over, and the sweep
    stopped its runs). A SIGTERM still stops them, with their checkpoints."""
    s = write(tmp_path, "nohup.cfg", """sweep = {
  scenarios = ["baseline"];
  seeds = 1;
  set = ( { key = "scale"; value = 0.0005; }, { key = "steps"; value = 100000; } );
  threads = 1;
};
""")
    d = str(tmp_path / "out")
    folder = os.path.join(d, "runs", "baseline")

    def hang_up_then_terminate(proc, running):
        os.killpg(proc.pid, signal.SIGHUP)
        time.sleep(1.5)
        assert proc.poll() is None and running(), "SIGHUP stopped a sweep under nohup"
        os.killpg(proc.pid, signal.SIGTERM)
    proc, err = sweep_signalled_in_its_run(
        s, d, hang_up_then_terminate,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    assert proc.returncode == 1, err
    assert sorted(os.listdir(folder)) == ["seed01.h5.ckpt.h5", "seed01.h5.incomplete"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2 or not shutil.which("taskset"),
                    reason="needs two cores and taskset")
def test_runs_with_more_threads_than_the_sweeps_cores_are_warned_of(tmp_path):
    """Bound to one core (taskset, mpirun's default binding, a batch system), runs of two
    threads each share it: each run warned into its own log, which a run that ends well
    removes, so no one saw it. The sweep says it once."""
    s = baseline_sweep(tmp_path, "bound.cfg", 1, 2, name="bound")
    d = str(tmp_path / "out")
    p = subprocess.run(["taskset", "-c", "0", BIN, "sweep", s, "-o", d, "--threads", "2",
                        "--quiet"], cwd=ROOT, env=ENV, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    assert ("clustersim: warning: 1 run at a time with 2 threads each on 1 core: this process "
            "may use 1 of the machine's") in p.stderr, p.stderr
    p = subprocess.run(["taskset", "-c", "0", BIN, "sweep", s, "-o", str(tmp_path / "one"),
                        "--threads", "1", "--quiet"], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0 and "warning" not in p.stderr, p.stderr


def test_progress_line_only_on_a_terminal(tmp_path):
    from terminal import run_on_a_terminal
    s = write(tmp_path, "tty.cfg", 'sweep = { scenarios = ["baseline"]; seeds = 3;\n'
              '  set = ( { key = "scale"; value = 0.0005; }, { key = "steps"; value = 20; } ); };\n')
    status, text = run_on_a_terminal([BIN, "sweep", s, "-o", str(tmp_path / "tty"), "--jobs",
                                      "2"], ENV, cwd=ROOT)
    assert status == 0, text
    assert re.search(r"runs 3/3 done, 0 running, 0 failed", text), text
    assert "ETA" in text
    # not on a pipe
    p = cs("sweep", s, "-o", str(tmp_path / "pipe"))
    assert p.returncode == 0 and "ETA" not in p.stderr and "running" not in p.stderr


def test_partial_and_string_keys_in_sweep_h5(tmp_path):
    s = write(tmp_path, "mixed.cfg", """sweep = {
  scenarios = ["baseline", "tech_city"];
  seeds = [4L];
  vary = ( { key = "policies.[0].per_worker"; values = [0.1]; },
           { key = "landscape.kind"; values = ["uk"]; } );
  set = ( { key = "scale"; value = 0.0005; }, { key = "steps"; value = 2; } );
};
""")
    d = str(tmp_path / "out")
    p = cs("sweep", s, "-o", d, "--quiet")
    assert p.returncode == 0, p.stderr
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/id"].asstr()[:]) == ["baseline/kind=uk/seed04",
                                                 "tech_city/per_worker=0.1/kind=uk/seed04"]
        v0 = f["runs/vary_0"][:]
        assert np.isnan(v0[0]) and v0[1] == 0.1
        assert list(f["runs/vary_1"].asstr()[:]) == ["uk", "uk"]
        assert f["runs/vary_1"].attrs["key"] == "landscape.kind"
        assert list(f.attrs["varied_keys"]) == ["policies.[0].per_worker", "landscape.kind"]
        assert list(f["runs/seed"][:]) == [4, 4]


def test_resubmitted_sweep_resumes_checkpointed_runs(tmp_path):
    """Issue 12 item 3: a run stopped before the end (here by --stop-after, as SIGTERM before a
    time limit would) left DIR/runs/<id>.h5.ckpt.h5; the next `clustersim sweep` resumes it from
    there instead of starting again, and its file equals an uninterrupted lone run."""
    s = baseline_sweep(tmp_path, "ck.cfg", 1, 12, name="ck")
    d = str(tmp_path / "out")
    assert cs("sweep", s, "-o", d, "--dry-run").returncode == 0
    sweep_folder(s, d)
    out = os.path.join(d, "runs", "baseline", "seed01.h5")
    os.makedirs(os.path.dirname(out))
    common = ["--set", "scale=0.0005", "--set", "steps=12", "--seed", "1", "--threads", "1",
              "--quiet"]
    p = cs("run", os.path.join(ROOT, "scenarios", "baseline.cfg"), "-o", out, "--checkpoint",
           out + ".ckpt.h5", "--stop-after", "5", *common)
    assert p.returncode == 1 and os.path.exists(out + ".ckpt.h5"), p.stderr
    p = cs("sweep", s, "-o", d, "--jobs", "1", "--checkpoint-every", "4")
    assert p.returncode == 0, p.stderr
    assert not os.path.exists(out + ".ckpt.h5")  # removed once the run file is complete
    lone = str(tmp_path / "lone.h5")
    assert cs("run", os.path.join(ROOT, "scenarios", "baseline.cfg"), "-o", lone,
              *common).returncode == 0
    with h5py.File(out, "r") as f:
        assert "resumed_from" in f.attrs and "step 5" in str(f.attrs["resumed_from"])
        for k in ("employment", "firms", "output", "unemployment_rate"):
            with h5py.File(lone, "r") as g:
                np.testing.assert_array_equal(f["timeseries/" + k][()], g["timeseries/" + k][()])


def processes_with(marker):
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if marker.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                    pids.append(int(pid))
            except OSError:
                pass
    return pids


def test_sweep_killed_by_sigkill_leaves_no_half_written_file(tmp_path):
    """Issue 12 item 4: kill -9 of the sweep itself, while runs are going. Its runs get SIGTERM
    from the kernel (PR_SET_PDEATHSIG) and stop with their checkpoints (or finish first); every
    file under a final name is complete, nothing else looks complete, and the next sweep on the
    directory finishes the rest."""
    s = baseline_sweep(tmp_path, "k9.cfg", 4, 120, name="k9")
    d = str(tmp_path / "out")
    proc = subprocess.Popen([BIN, "sweep", s, "-o", d, "--jobs", "2", "--quiet"], cwd=ROOT,
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        find_run_process("seed01.h5", proc.pid)
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    end = time.time() + 120
    while processes_with(d) and time.time() < end:  # the orphaned runs end on their own
        time.sleep(0.1)
    assert not processes_with(d)
    for root, _, names in os.walk(d):
        for n in names:
            if n.endswith(".h5") and not n.endswith(".ckpt.h5"):
                with h5py.File(os.path.join(root, n), "r") as f:
                    assert int(f.attrs.get("complete", 0)) == 1 or n == "sweep.h5", n
    p = cs("sweep", s, "-o", d, "--jobs", "2", "--quiet")
    assert p.returncode == 0, p.stderr
    with h5py.File(os.path.join(d, "sweep.h5"), "r") as f:
        assert list(f["runs/status"].asstr()[:]) == ["ok"] * 4


def test_a_scenario_given_to_sweep_and_a_sweep_given_to_run_say_so(tmp_path):
    """The two kinds of file mixed up: each said "unknown key" (with a did-you-mean of 'seed'
    for a sweep file's `sweep`), not what the file is."""
    tech = os.path.join(ROOT, "scenarios", "tech_city.cfg")
    p = cs("sweep", tech, "--dry-run")
    assert p.returncode == 2 and f"{tech}:2: base: unknown key: this is a scenario file, not " \
        "a sweep" in p.stderr, p.stderr
    s = baseline_sweep(tmp_path, "s.cfg", 1, 2)
    for cmd in ("run", "check"):
        p = cs(cmd, s, *(["-o", str(tmp_path / "x.h5")] if cmd == "run" else []))
        assert p.returncode == 2 and f"{s}:1: sweep: unknown key: this is a sweep file, not a " \
            "scenario (run it with clustersim sweep FILE -o DIR)" in p.stderr, p.stderr
    # a sweep file's own typo keeps its hint
    t = write(tmp_path, "t.cfg", "sweeep = {};\n")
    p = cs("sweep", t, "--dry-run")
    assert p.returncode == 2 and "did you mean 'sweep'?" in p.stderr, p.stderr
    # a sweep's settings written without their group: said where they go
    t = write(tmp_path, "flat.cfg", 'scenarios = ["baseline"];\nseeds = 2;\n')
    p = cs("sweep", t, "--dry-run")
    assert p.returncode == 2 and p.stderr == (
        f"clustersim: error: {t}:1: scenarios: unknown key at the top of a sweep file: a "
        "sweep's settings (scenarios, seeds, vary, ...) go inside sweep = { ... };\n"), p.stderr
    # more runs than a sweep may have: the limit and what to do
    t = write(tmp_path, "huge.cfg", 'sweep = { scenarios = ["baseline", "tech_city"]; '
              'seeds = 1000000; vary = ( { key = "firms.alpha"; values = [0.7, 0.75, 0.8, '
              '0.85, 0.9, 0.95]; } ); };\n')
    p = cs("sweep", t, "--dry-run")
    assert p.returncode == 2 and p.stderr == (
        f"clustersim: error: {t}: sweep: 12000000 runs: more than the 10000000 a sweep may have "
        "(split it: one sweep a scenario, say, or fewer seeds or values)\n"), p.stderr


def test_a_read_only_sweep_folder_is_refused_with_2(tmp_path):
    # an existing sweep folder that cannot be written (read-only, another user's) failed at its
    # lock file with status 1; like `run -o` into such a folder it is the user's to fix (2).
    # A read-only tmpfs stands for it, since root writes through permission bits
    with tmpfs(tmp_path, "4m") as mnt:
        s = baseline_sweep(tmp_path, "ro.cfg", 1, 2, name="ro")
        d = str(mnt / "out")
        assert cs("sweep", s, "-o", d, "--jobs", "1").returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        p = cs("sweep", s, "-o", d, "--jobs", "1")
        assert p.returncode == 2 and p.stderr == (
            f"clustersim: error: {d}: the sweep's folder is not writable (Read-only file "
            "system)\n"), (p.returncode, p.stderr)


def test_a_sweep_too_big_for_memory_exits_1(tmp_path):
    # out of memory is not bad input: status 1 as elsewhere (it was 2, as for a bad file), the
    # file named; 8 million runs under a 512 MiB address-space limit (a small sweep needs 200)
    import resource
    t = write(tmp_path, "big.cfg", 'sweep = { scenarios = ["baseline", "tech_city"]; '
              'seeds = 1000000; vary = ( { key = "firms.alpha"; values = [0.7, 0.75, 0.8, '
              '0.85]; } ); };\n')

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 29, 1 << 29))
    p = cs("sweep", t, "--dry-run", preexec_fn=limited)
    assert p.returncode == 1 and p.stderr == f"clustersim: error: {t}: out of memory\n", \
        (p.returncode, p.stderr)


def test_output_folder_with_a_trailing_slash_reads_plainly(tmp_path):
    s = baseline_sweep(tmp_path, "s.cfg", 1, 2)
    d = str(tmp_path / "out")
    p = cs("sweep", s, "-o", d + "//")
    assert p.returncode == 0, p.stderr
    assert f"{d}/sweep.h5" in p.stdout and "//" not in p.stdout, p.stdout


def test_sweep_says_its_configs_warnings_once(tmp_path):
    """A run warns when its config acts not as written (a count the scale rounds, a subsidy of
    nothing): docs/configuration.md calls these essential to a cost per job. A sweep's runs
    remove their logs when they end well, so the sweep says them itself when it starts, with
    --dry-run too: each line once (not once per seed), only for the values that cause it (not
    for the preset's own value that a varied one replaces), and none for a clean config."""
    s = write(tmp_path, "w.cfg", """sweep = {
  scenarios = ["picking_winners", "baseline"];
  seeds = 2;
  vary = ( { key = "policies.[0].count"; values = [1000, 1500, 3000]; } );
  set = ( { key = "scale"; value = 0.001; }, { key = "steps"; value = 5; } );
  threads = 1;
};
""")
    rounded = re.compile(r"clustersim: warning: picking_winners: policies\.\[0\] \(\w+\): count "
                         r"(\d+) at scale 0\.001 is [\d.]+ model firms")
    dry = cs("sweep", s, "--dry-run", cwd=str(tmp_path))
    assert dry.returncode == 0, dry.stderr
    assert [m.group(1) for m in rounded.finditer(dry.stderr)] == ["1500"], dry.stderr
    assert "count 500 " not in dry.stderr  # the preset's own count: no run has it
    p = cs("sweep", s, "-o", str(tmp_path / "out"), "--jobs", "2", "--quiet", cwd=str(tmp_path))
    assert p.returncode == 0, p.stderr
    assert [m.group(1) for m in rounded.finditer(p.stderr)] == ["1500"], p.stderr
    assert os.listdir(tmp_path / "out" / "logs") == []  # the runs' own logs went
    zero = write(tmp_path, "z.cfg", """sweep = {
  scenarios = ["tech_city"];
  seeds = 3;
  vary = ( { key = "policies.[0].per_worker"; values = [0.0, 100.0]; } );
  set = ( { key = "scale"; value = 0.001; } );
};
""")
    z = cs("sweep", zero, "--dry-run", cwd=str(tmp_path))
    assert z.returncode == 0, z.stderr
    assert z.stderr.count("per_worker is 0: it pays nothing") == 1, z.stderr
    # a warning that the varied key does not cause is the same line for every value: said once
    same = write(tmp_path, "s.cfg", """sweep = {
  scenarios = ["tech_city"];
  seeds = 2;
  vary = ( { key = "policies.[0].credibility"; values = [0.5, 0.75, 1.0]; } );
  set = ( { key = "scale"; value = 0.001; }, { key = "policies.[0].per_worker"; value = 0.0; } );
};
""")
    z = cs("sweep", same, "--dry-run", cwd=str(tmp_path))
    assert z.returncode == 0, z.stderr
    assert z.stderr.count("per_worker is 0: it pays nothing") == 1, z.stderr
    clean = cs("sweep", baseline_sweep(tmp_path, "b.cfg", 2, 3), "--dry-run")
    assert clean.returncode == 0 and "warning" not in clean.stderr, clean.stderr
    # 80 scales, each rounding the count its own way: the warnings stop at about 16 KB, with
    # one line saying so (it was said twice)
    scales = ", ".join(f"0.00{k}" for k in range(1001, 1081))
    many = write(tmp_path, "m.cfg", f"""sweep = {{
  scenarios = ["picking_winners"];
  seeds = 1;
  vary = ( {{ key = "scale"; values = [{scales}]; }} );
}};
""")
    m = cs("sweep", many, "--dry-run", cwd=str(tmp_path))
    assert m.returncode == 0, m.stderr
    assert m.stderr.count("more warnings on the sweep's configs are not shown") == 1, m.stderr
    assert m.stderr.rstrip("\n").endswith("to see its own") and len(m.stderr) <= 16384 + 200
    assert m.stderr.count("count 500 at scale 0.00") >= 40
