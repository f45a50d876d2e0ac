import csv
import os
import subprocess
import sys

import pytest

from analysis.tests import fakerun

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PNG = b"\x89PNG\r\n\x1a\n"


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=ROOT, MPLBACKEND="Agg"))


def _png_ok(path):
    with open(path, "rb") as f:
        head = f.read(8)
    return head == PNG and os.path.getsize(path) > 1000


def test_compare_end_to_end(tmp_path):
    b, p = fakerun.make_pair(str(tmp_path))
    out = tmp_path / "out"
    r = cli("compare", b, "--", p, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "| employment | national | final |" in r.stdout
    md = (out / "summary.md").read_text()
    assert "95% CI" in md and "cost_per_job_year" in md
    with open(out / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["outcome", "scope", "measure", "baseline", "policy", "difference",
                             "ci_low", "ci_high", "percent", "n_seeds", "note", "steps", "unit",
                             "baseline_build", "policy_build"]
    emp = [x for x in rows if (x["outcome"], x["scope"], x["measure"]) ==
           ("employment", "national", "final")][0]
    assert float(emp["difference"]) == pytest.approx(100.0) and emp["n_seeds"] == "3"
    pngs = sorted(x.name for x in out.glob("*.png"))
    for want in ("timeseries_employment.png", "timeseries_output.png", "timeseries_mean_wage.png",
                 "timeseries_unemployment_rate.png", "timeseries_innovations.png",
                 "timeseries_firms.png", "regions_employment.png", "map_employment.png",
                 "clusters_digital.png", "clusters_finance.png"):
        assert want in pngs
    assert "clusters_local_services.png" not in pngs   # not tradable
    assert all(_png_ok(out / x) for x in pngs)


def _err(r, text):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.startswith("analysis: error: ") and text in r.stderr, r.stderr


def test_bad_inputs(tmp_path):
    b, p = fakerun.make_pair(str(tmp_path), seeds=(1, 2))
    _err(cli("compare", tmp_path / "missing.h5", "--", p), "no such file")
    notrun = tmp_path / "notrun.h5"
    fakerun.make_run(str(notrun), fmt="something-else")
    _err(cli("compare", notrun, "--", p), "not a clustersim run file")
    text = tmp_path / "text.h5"
    text.write_text("hello")
    _err(cli("compare", text, "--", p), "not an HDF5 file")
    extra = tmp_path / "extra.h5"   # a policy run (same scenario and config) of a 9th seed
    fakerun.make_run(str(extra), seed=9, scenario="tech_city", policies=[fakerun.LONDON_SUBSIDY])
    _err(cli("compare", b, "--", p, extra), "policy seeds without a baseline run: 9")
    _err(cli("compare", os.path.join(b, "baseline-seed1.h5"), "--", p),
         "policy seeds without a baseline run: 2")
    longer = tmp_path / "longer.h5"
    fakerun.make_run(str(longer), seed=1, steps=16)
    _err(cli("compare", os.path.join(b, "baseline-seed1.h5"), "--", longer), "different numbers of steps")
    inc = tmp_path / "inc.h5"
    fakerun.make_run(str(inc), seed=1, complete=0)
    _err(cli("compare", inc, "--", os.path.join(p, "policy-seed1.h5")), "incomplete")
    _err(cli("compare", b, p), "BASELINE... -- POLICY...")
    _err(cli("frobnicate"), "unknown command")


def test_show_of_a_stopped_run_says_at_which_step(tmp_path):
    """A run stopped at step 6 of 12 (--stop-after) has rows up to step 6 only: show says its
    figures are of step 6, not "final"."""
    import h5py
    run = tmp_path / "run.h5.incomplete"
    fakerun.make_run(str(run), seed=4, complete=0)
    with h5py.File(run, "a") as f:
        for name in list(f["timeseries"]):
            data = f["timeseries"][name][:7]
            attrs = dict(f["timeseries"][name].attrs)
            del f["timeseries"][name]
            f["timeseries"].create_dataset(name, data=data).attrs.update(attrs)
        # its snapshots (every 4 steps here) end at step 4
        keep = f["snapshots/step"][:] <= 6
        for name in list(f["snapshots"]):
            data = f["snapshots"][name][keep]
            del f["snapshots"][name]
            f["snapshots"].create_dataset(name, data=data)
    r = cli("show", run, "-o", tmp_path / "show")
    assert r.returncode == 0, r.stderr
    assert "steps: 12 (quarters), of which 6 were run (the run stopped there)" in r.stdout
    assert "## National metrics at step 6, where the run stopped" in r.stdout
    assert "| metric | step 6 | units |" in r.stdout and "Final" not in r.stdout
    assert "## Clusters per sector (step 6, where the run stopped)" in r.stdout
    # the maps are of the last snapshot, an older step: said above the table and in its header
    assert ("The top clusters and the employment map are of step 4, the run's last snapshot; "
            "the other columns are of step 6.") in r.stdout
    assert "| top clusters at step 4 (employment @ x, y) |" in r.stdout


def test_show_and_export(tmp_path):
    run = tmp_path / "run.h5"
    fakerun.make_run(str(run), seed=4, policies=[fakerun.LONDON_SUBSIDY], effects={"London": 50},
                     spending_per_step=10.0)
    r = cli("show", run, "-o", tmp_path / "show")
    assert r.returncode == 0, r.stderr
    for text in ("baseline, seed 4", "steps: 12 (quarters)\n", "complete: 1", "| employment |",
                 "## Final national metrics", "## Clusters per sector (final step)",
                 "| digital |", "tech_city", "| cumulative spending | 120 |"):
        assert text in r.stdout
    for name in ("timeseries.png", "map_employment.png", "clusters_digital.png"):
        assert _png_ok(tmp_path / "show" / name)
    out = tmp_path / "csv"
    r = cli("export", run, "-o", out)
    assert r.returncode == 0, r.stderr
    with open(out / "timeseries.csv") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["step", "year"] and "employment" in rows[0] and len(rows) == 14
    with open(out / "regions_employment.csv") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step"] + fakerun.REGIONS and len(rows) == 14
    with open(out / "sectors_eg_index.csv") as f:
        assert next(csv.reader(f)) == ["step"] + fakerun.SECTORS
    assert (out / "policies_spending.csv").exists()
    _err(cli("export", run), "export needs -o DIR")
    _err(cli("show", tmp_path / "nope.h5"), "no such file")



def test_a_damaged_run_file_is_an_error_not_a_traceback(tmp_path):
    """A run file with a damaged chunk (a byte changed on disk) gave h5py's OSError as a
    traceback (exit 1): it is an analysis error naming the file (exit 2)."""
    import h5py
    run = tmp_path / "run.h5"
    fakerun.make_run(str(run), seed=1)
    with h5py.File(run, "r+") as f:  # a chunked, checksummed series, as the engine writes
        d = f["timeseries"]["employment"]
        data, attrs = d[()], dict(d.attrs)
        del f["timeseries"]["employment"]
        e = f["timeseries"].create_dataset("employment", data=data, chunks=(4,), fletcher32=True)
        e.attrs.update(attrs)
    with h5py.File(run, "r") as f:
        offset = f["timeseries"]["employment"].id.get_chunk_info(0).byte_offset
    with open(run, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0x10]))
    r = cli("show", run, "-o", tmp_path / "show")
    assert r.returncode == 2 and r.stderr.startswith(f"analysis: error: {run}: cannot read it (") \
        and "the file is damaged or truncated" in r.stderr and "Traceback" not in r.stderr, \
        r.stderr


def test_a_truncated_run_file_is_said_to_be_truncated(tmp_path):
    """A run file cut short (a copy that stopped half-way) was "not an HDF5 file", which sent
    its reader looking for the wrong kind of file: it is damaged or truncated, with h5py's
    reason. A file without HDF5's signature is still not an HDF5 file."""
    run = tmp_path / "run.h5"
    fakerun.make_run(str(run), seed=1)
    data = run.read_bytes()
    cut = tmp_path / "cut.h5"
    cut.write_bytes(data[:len(data) // 2])
    r = cli("show", cut)
    _err(r, "the file is damaged or truncated")
    assert "truncated file" in r.stderr and "not an HDF5 file" not in r.stderr, r.stderr
    block = tmp_path / "userblock.h5"   # the signature after a 512-byte user block
    block.write_bytes(b"\0" * 512 + data[:len(data) // 2])
    from analysis import runs
    assert runs.has_hdf5_signature(str(block)) and runs.has_hdf5_signature(str(cut))
    text = tmp_path / "text.h5"
    text.write_bytes(b"x" * 4096)
    assert not runs.has_hdf5_signature(str(text))
    _err(cli("show", text), "not an HDF5 file")


def test_a_damaged_map_read_on_demand_is_an_error_too(tmp_path):
    """/maps/employment is read only when compare measures a target of cells: a damaged chunk
    there still gave h5py's traceback."""
    import h5py
    circle = {"type": "location_subsidy", "name": "c", "area": {"circle": [5.0, 5.0, 3.0]},
              "per_worker": 500.0}
    for side, pol in (("b", ()), ("p", (circle,))):
        os.makedirs(tmp_path / side)
        for s in (1, 2):
            fakerun.make_run(str(tmp_path / side / f"s{s}.h5"), seed=s, policies=pol, maps=True,
                             scenario="baseline" if side == "b" else "circle")
    bad = tmp_path / "p" / "s2.h5"
    with h5py.File(bad, "r") as f:
        info = f["maps/employment"].id.get_chunk_info(0)
    with open(bad, "r+b") as fh:  # the middle of the first chunk's deflated bytes
        fh.seek(info.byte_offset + info.size // 2)
        b = fh.read(4)
        fh.seek(info.byte_offset + info.size // 2)
        fh.write(bytes(x ^ 0xFF for x in b))
    r = cli("compare", tmp_path / "b", "--", tmp_path / "p", "-o", tmp_path / "out")
    assert r.returncode == 2 and f"analysis: error: {bad}: cannot read it (" in r.stderr and \
        "Traceback" not in r.stderr, r.stderr


def test_an_interpreter_without_numpy_is_told_which_to_use(tmp_path):
    """Run by a python3 that lacks Debian's packages (one first on PATH, say), `-m analysis`
    says what is missing and names /usr/bin/python3, with exit status 2 and no traceback; a
    script's `import analysis` gets the same words as an ImportError. A numpy that cannot be
    imported stands in for the missing one."""
    (tmp_path / "numpy").mkdir()
    (tmp_path / "numpy" / "__init__.py").write_text(
        "raise ImportError(\"No module named 'numpy'\")\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}", MPLBACKEND="Agg")
    want = ("clustersim's analysis needs Debian's python3-h5py and python3-numpy (No module "
            "named 'numpy'): run it with /usr/bin/python3 (make deps installs them)")
    r = subprocess.run([sys.executable, "-m", "analysis", "show", "x.h5"], cwd=tmp_path,
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and r.stderr == f"analysis: error: {want}\n", r.stderr
    r = subprocess.run([sys.executable, "-c", "import analysis"], cwd=tmp_path,
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1 and r.stderr.rstrip().endswith(f"ImportError: {want}"), r.stderr
