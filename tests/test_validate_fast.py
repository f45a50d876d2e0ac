"""Fast end-to-end checks of the validator (analysis/validate.py, docs/validation.md) on the real
binary ($CLUSTERSIM or ./clustersim): the machinery on 2 seeds, 24 steps, tiny scale (table of
9 rows, final line, exit status, finite figures), and the fast subset of `make validate`: the
default parameters reproduce the stylised facts on 3 seeds at the default scale."""
import math
import os
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
from analysis import validate as v  # noqa: E402

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
    rows = [ln for ln in lines if re.match(r"^\| [1-9] ", ln)]
    assert [int(r.split()[1]) for r in rows] == list(range(1, 10))
    for r in rows:
        cells = [c.strip() for c in r.strip("|").split("|")]
        assert len(cells) == 4 and cells[3] in ("PASS", "FAIL")
        assert re.search(r"\d", cells[1]), r          # a measured figure
    m = re.fullmatch(r"validate: ([0-9]) of 9 PASS", lines[-1])
    assert m, lines[-1]
    n_pass = sum(r.rstrip().endswith("| PASS |") for r in rows)
    assert int(m.group(1)) == n_pass
    assert proc.returncode == (0 if n_pass == 9 else 1)


def test_run_files_kept_and_figures_finite(validated):
    from analysis import validate as v
    _, keep = validated
    uk = [v.read_run(v.run_path(keep, "uk", s)) for s in (1, 2)]
    uni = [v.read_run(v.run_path(keep, "uniform", s)) for s in (1, 2)]
    em = [v.read_run(v.run_path(keep, "emergent", s)) for s in (1, 2)]
    pol = {n: [v.read_run(v.run_path(keep, n, s)) for s in (1, 2)] for n in v.POLICIES}
    assert [r["steps"] for r in uk + uni + em] == [24] * 6
    assert [r["steps"] for r in pol["subsidy"]] == [min(24, v.POLICY_STEPS)] * 2
    assert [r["seed"] for r in uk] == [1, 2]
    results = v.measure(uk, uni, em, pol)
    assert [r["fact"] for r in results] == list(range(1, 10))
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
    # facts 1-3 and 7 ran on the emergent start, the others on the real one
    for name, start in (("uk", "real"), ("emergent", "emergent"), ("uniform", "emergent")):
        with h5py.File(v.run_path(keep, name, 1), "r") as f:
            assert f'initial_sectors = "{start}"' in f.attrs["config"], name


def _lq_run(sec_emp0, sec_emp, region):
    """A run dict as fact9 reads it: one tradable sector and its complement, no clusters."""
    nan2 = np.array([math.nan, math.nan])
    return {"sectors": ["a", "rest"], "tradable": ["a"], "region": region,
            "sec_emp0": sec_emp0, "sec_emp": sec_emp,
            "lc0_x": nan2, "lc0_y": nan2, "lc_x": nan2, "lc_y": nan2}


def test_fact9_seed_mean_diagnostic():
    """Per-seed noise that cancels between seeds lowers the judged rho but not the seed-mean
    one; a change common to every seed lowers both alike. Six regions of 100 jobs each."""
    region = np.arange(6).reshape(1, 6)
    start = np.array([0.05, 0.10, 0.15, 0.20, 0.25, 0.30])  # sector a's share of each region

    def grid(share):
        return np.array([share * 100.0, (1 - share) * 100.0]).reshape(2, 1, 6)

    def run(final):
        return _lq_run(grid(start), grid(np.array(final)), region)

    swap = [0.12, 0.10, 0.15, 0.20, 0.25, 0.30]  # region 0 overtakes region 1
    # seed 1 swaps, seed 2 loses region 0's jobs: their mean quotients keep the start's order
    noise = v.fact9([run(swap), run([0.0, 0.10, 0.15, 0.20, 0.25, 0.30])])["values"]
    assert noise["rho"] == pytest.approx((1 - 12 / 210 + 1) / 2)
    assert noise["rho_seed_mean"] == pytest.approx(1.0)
    drift = v.fact9([run(swap), run(swap)])["values"]
    assert drift["rho"] == pytest.approx(1 - 12 / 210)
    assert drift["rho_seed_mean"] == pytest.approx(drift["rho"])


def test_missing_binary_fails(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "analysis.validate", "--bin",
                           str(tmp_path / "nope"), "--seeds", "1", "--steps", "4"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "validate: error:" in proc.stderr


# Facts the recalibration of issue 10 has not yet brought inside their margins on the real start
# (docs/validation.md, "Known failures"): none passes or fails silently, reported as xfail.
# (Facts 4 and 5 at 0.002 pass since rents follow the box's occupancy, docs/model.md D9.)
KNOWN_FAILING = {9: "regional specialisation does not persist enough (rank correlation about 0.35 at this scale, 0.55-0.65 at 0.01 and up)"}


@pytest.fixture(scope="module")
def fast_subset(tmp_path_factory):
    """`make validate` in small: seeds 1-3, the default scale and 160 steps. The full ensembles
    (three scales) are `make validate`. Fact 2 alone is measured on 10 seeds of the uniform
    landscape, as `make validate` does at this scale: it is a share of seeds ("fewer than half
    near the modal position"), and with 3 seeds two centroids within 10 cells fail it by chance,
    so any change of trajectories flipped it (runs of 2 s each)."""
    if not os.path.exists(BIN):
        pytest.skip(f"{BIN} not built")
    keep = str(tmp_path_factory.mktemp("fast"))
    proc = subprocess.run([sys.executable, "-m", "analysis.validate", "--seeds", "3", "--jobs",
                           "2", "--bin", BIN, "--keep", keep], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    rows = {int(ln.split()[1]): ln for ln in proc.stdout.splitlines()
            if re.match(r"^\| [1-9] ", ln)}
    assert sorted(rows) == list(range(1, 10)), proc.stdout
    scenario = os.path.join(ROOT, "scenarios", "baseline.cfg")
    paths = v.run_ensemble(BIN, scenario, range(1, 11), 0.002, 160, 2, keep, reuse=True,
                           sets=["uniform"], policies=False)
    uni = [v.read_run(p) for p in paths["uniform"]]
    emergent = [v.read_run(v.run_path(keep, "emergent", s)) for s in (1, 2, 3)]
    rows[2] = v.table([v.fact2(uni, emergent)], last=False).splitlines()[-1]
    return rows, keep


@pytest.mark.parametrize("fact", range(1, 10))
def test_fast_subset_fact(fast_subset, fact):
    row = fast_subset[0][fact]
    if fact in KNOWN_FAILING and row.rstrip().endswith("| FAIL |"):
        pytest.xfail(KNOWN_FAILING[fact])
    assert row.rstrip().endswith("| PASS |"), row


def test_unemployment_is_a_steady_state(fast_subset):
    """Unemployment comes from the flows (docs/model.md D12), so it settles within a few years
    and stays: in every seed of the fast subset's real-start runs the mean rate over the last
    ten years is within half a point of the mean over years 10-20. (With the flat outside
    option of before, low-skill entrants piled up and it rose from 4.2% to 6.7% between those
    windows.)"""
    _, keep = fast_subset
    for s in (1, 2, 3):
        r = v.read_run(v.run_path(keep, "uk", s))
        u = r["ts"]["unemployment_rate"]
        early, late = float(np.mean(u[40:80])), float(np.mean(u[120:160]))
        assert 0.03 < late < 0.12, (s, late)
        assert abs(late - early) < 0.005, (s, early, late)
