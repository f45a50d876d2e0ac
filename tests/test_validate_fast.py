"""Fast end-to-end checks of the validator (analysis/validate.py, docs/validation.md) on the real
binary ($CLUSTERSIM or ./clustersim): the machinery on 2 seeds, 24 steps, tiny scale (table of
7 rows, final line, exit status, finite figures), and the fast subset of `make validate`: the
default parameters reproduce all seven stylised facts on 3 seeds at the default scale."""
import math
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))
ARGS = ["--seeds", "2", "--steps", "24", "--scale", "0.0005", "--jobs", "2"]


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    if not os.path.exists(BIN):
        pytest.skip(f"{BIN} not built")
    keep = str(tmp_path_factory.mktemp("validate"))
    proc = subprocess.run([sys.executable, "-m", "analysis.validate", *ARGS, "--bin", BIN,
                           "--keep", keep], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    return proc, keep


def test_table_and_final_line(validated):
    proc, _ = validated
    assert proc.returncode in (0, 1), proc.stderr
    lines = proc.stdout.strip().splitlines()
    rows = [ln for ln in lines if re.match(r"^\| [1-7] ", ln)]
    assert [int(r.split()[1]) for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    for r in rows:
        cells = [c.strip() for c in r.strip("|").split("|")]
        assert len(cells) == 4 and cells[3] in ("PASS", "FAIL")
        assert re.search(r"\d", cells[1]), r          # a measured figure
    m = re.fullmatch(r"validate: ([0-7]) of 7 PASS", lines[-1])
    assert m, lines[-1]
    n_pass = sum(r.rstrip().endswith("| PASS |") for r in rows)
    assert int(m.group(1)) == n_pass
    assert proc.returncode == (0 if n_pass == 7 else 1)


def test_run_files_kept_and_figures_finite(validated):
    from analysis import validate as v
    _, keep = validated
    uk = [v.read_run(v.run_path(keep, "uk", s)) for s in (1, 2)]
    uni = [v.read_run(v.run_path(keep, "uniform", s)) for s in (1, 2)]
    assert [r["steps"] for r in uk + uni] == [24] * 4
    assert [r["seed"] for r in uk] == [1, 2]
    results = v.measure(uk, uni)
    assert [r["fact"] for r in results] == list(range(1, 8))
    for r in results:
        assert r["values"], r
        for k, x in r["values"].items():
            assert math.isfinite(x), (r["fact"], k, x)
    # fact 2 really ran on the uniform landscape: no city centres there
    import h5py
    with h5py.File(v.run_path(keep, "uniform", 1), "r") as f:
        assert f["landscape/city_centre"][()].sum() == 0
    with h5py.File(v.run_path(keep, "uk", 1), "r") as f:
        assert f["landscape/city_centre"][()].sum() > 0


def test_missing_binary_fails(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "analysis.validate", "--bin",
                           str(tmp_path / "nope"), "--seeds", "1", "--steps", "4"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "validate: error:" in proc.stderr


def test_fast_subset_all_facts_pass():
    """`make validate` in small: seeds 1-3, the default scale and 160 steps (about 12 s on two
    cores). The full ensemble (10 seeds) is `make validate`."""
    if not os.path.exists(BIN):
        pytest.skip(f"{BIN} not built")
    proc = subprocess.run([sys.executable, "-m", "analysis.validate", "--seeds", "3", "--jobs",
                           "2", "--bin", BIN], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    failed = [ln for ln in proc.stdout.splitlines() if ln.rstrip().endswith("| FAIL |")]
    assert not failed, "\n".join(failed)
    assert proc.stdout.strip().splitlines()[-1] == "validate: 7 of 7 PASS", proc.stdout
    assert proc.returncode == 0, proc.stderr
