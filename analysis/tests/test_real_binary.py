"""Compares short real runs of the engine (scale 0.001, 12 steps, 2 seeds a side), when
./clustersim (or $CLUSTERSIM) and the scenario files exist.

What must hold whatever the model's calibration:
- national employment and output (and the national counts) are finite, with a finite 95% CI;
- every other empty (undefined) cell of summary.csv is one docs/metrics.md allows: a mean or
  ratio over nobody (mean_wage, productivity, capital_output_share, a region's
  unemployment_rate) or the centroid of a sector with no cluster, and the run files confirm it
  (no jobs, no output, no residents or no cluster in some run of that side);
- a difference is empty exactly when its baseline or policy is;
- every figure is written."""
import csv
import glob
import math
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim")
SCEN = [os.path.join(ROOT, "scenarios", f) for f in ("baseline.cfg", "tech_city.cfg")]
SEEDS = (1, 2)
DERIVED = ("cost_per_job_year", "job_years_per_million", "output_per_pound", "displacement",
           "net_spending", "net_cost_per_job_year", "job_years_per_million_net",
           "cost_per_job_year_with_tax_revenue", "profit_tax_besides_payments",
           "cost_per_target_job_year")
ALWAYS_FINITE = ("employment", "output", "firms", "births", "deaths", "innovations", "spending",
                 "tax_revenue", "tax_on_payments")
TS_FIGS = ("employment", "output", "mean_wage", "unemployment_rate", "innovations", "firms")


def _num(cell, row):
    """A summary.csv cell: None when empty, else a float that must be finite."""
    if cell == "":
        return None
    v = float(cell)
    assert math.isfinite(v), row
    return v


def _why_undefined(files, outcome, scope, measure):
    """True when the run files show the value is legitimately undefined in some run."""
    import h5py
    import numpy as np
    for path in files:
        with h5py.File(path, "r") as f:
            t = slice(-1, None) if measure == "final" else slice(1, None)
            regions = [str(n) for n in f["regions/employment"].attrs["names"]]
            sectors = [str(n) for n in f["sectors/employment"].attrs["names"]]
            if scope.startswith("sector ") and outcome in ("largest_cluster_x", "largest_cluster_y"):
                count = f["sectors/cluster_count"][:, sectors.index(scope[7:])]
                if np.all(count[t] == 0):
                    return True
            elif outcome in ("mean_wage", "productivity") and scope == "national":
                if np.all(f["timeseries/employment"][t] == 0):
                    return True
            elif outcome in ("mean_wage", "productivity") and scope.startswith("region "):
                if np.all(f["regions/employment"][:, regions.index(scope[7:])][t] == 0):
                    return True
            elif outcome == "capital_output_share" and scope == "national":
                if np.all(f["timeseries/output"][t] == 0):
                    return True
            elif outcome == "unemployment_rate" and scope.startswith("region ") and measure == "final":
                # no labour force: no residents in the region at the final snapshot
                rmap = f["landscape/region"][:]
                res = f["snapshots/residents"][-1]
                code = [str(n) for n in f["landscape/region"].attrs["names"]].index(scope[7:])
                if res[rmap == code].sum() == 0:
                    return True
    return False


def run_seeds(scen, d):
    """The scenario's SEEDS, 12 steps at scale 0.001, in parallel, into d/seed<S>.h5."""
    d.mkdir()
    procs = [subprocess.Popen([BIN, "run", scen, "-o", str(d / f"seed{s}.h5"), "--steps", "12",
                               "--seed", str(s), "--threads", "1", "--quiet",
                               "--set", "scale=0.001"], cwd=ROOT, stderr=subprocess.PIPE,
                              text=True) for s in SEEDS]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err


@pytest.mark.skipif(not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)
                         and all(os.path.exists(s) for s in SCEN)),
                    reason="needs the clustersim binary and scenarios/{baseline,tech_city}.cfg")
def test_real_runs_compare(tmp_path):
    sides, files = [], {}
    for scen, side in zip(SCEN, ("base", "policy")):
        d = tmp_path / side
        run_seeds(scen, d)
        sides.append(str(d))
        files[side] = sorted(glob.glob(str(d / "*.h5")))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "analysis", "compare", sides[0], "--", sides[1],
                        "-o", str(out)], cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stderr
    with open(out / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    seen = {(row["outcome"], row["scope"], row["measure"]) for row in rows}
    for outcome in ALWAYS_FINITE + ("unemployment_rate",):
        for measure in ("final", "cumulative"):
            assert (outcome, "national", measure) in seen, (outcome, measure)
    assert ("employment", "target area", "final") in seen       # tech_city's circle

    for row in rows:
        vals = {c: _num(row[c], row) for c in ("baseline", "policy", "difference", "ci_low",
                                               "ci_high", "percent")}
        if row["outcome"] in DERIVED:
            continue   # undefined (empty) when the policy changes nothing; finite otherwise
        assert row["n_seeds"] == str(len(SEEDS)), row
        key = (row["outcome"], row["scope"], row["measure"])
        if row["scope"] == "national" and row["outcome"] in ALWAYS_FINITE:
            assert None not in (vals["baseline"], vals["policy"], vals["difference"],
                                vals["ci_low"], vals["ci_high"]), row
            assert vals["ci_low"] <= vals["difference"] <= vals["ci_high"], row
        for side, col in (("base", "baseline"), ("policy", "policy")):
            if vals[col] is None:
                assert _why_undefined(files[side], *key), f"{col} undefined without cause: {row}"
        assert (vals["difference"] is None) == (vals["baseline"] is None or vals["policy"] is None), row
        if vals["difference"] is not None:
            assert vals["ci_low"] is not None and vals["ci_low"] <= vals["difference"] <= vals["ci_high"], row

    # a cost per net job-year only beside a detectable job effect (docs/analysis.md)
    get = {(row["outcome"], row["scope"], row["measure"]): row for row in rows}
    cost = get[("cost_per_job_year", "national", "cumulative")]
    jobs = get[("employment", "national", "cumulative")]
    lo, hi = float(jobs["ci_low"]), float(jobs["ci_high"])
    if lo <= 0 <= hi:
        assert cost["note"].startswith("no detectable job effect") and cost["difference"] == "", cost
    elif cost["difference"] != "":
        c = float(cost["difference"])
        if cost["note"].startswith("CI unbounded"):
            # jobs detectable, but job-years per million's delta-method CI includes 0
            jpm = get[("job_years_per_million", "national", "cumulative")]
            assert float(jpm["ci_low"]) <= 0 <= float(jpm["ci_high"]), (cost, jpm)
            assert cost["ci_low"] == cost["ci_high"] == "", cost
        else:
            assert float(cost["ci_low"]) <= c <= float(cost["ci_high"]), cost
            # with 2 seeds the extra spending's own CI may include 0 (t = 12.7): the cost's then
            # does too, and the note says so
            sp = get[("spending", "national", "cumulative")]
            if float(sp["ci_low"]) <= 0 <= float(sp["ci_high"]):
                assert cost["note"] == ("the cost cannot be told from zero: the 95% CI of extra "
                                        "spending includes 0"), cost
                assert float(cost["ci_low"]) <= 0 <= float(cost["ci_high"]), cost
            else:
                assert cost["note"] == "", cost

    # net of the profit tax the payments bring back: per seed extra spending less extra
    # tax_on_payments, so its mean is the difference of the two rows' means (tax_revenue, the
    # whole economy's, is reported but not netted); the net cost under the same rule as the gross
    for m in ("cumulative", "window"):
        net = get[("net_spending", "national", m)]
        sp, top = get[("spending", "national", m)], get[("tax_on_payments", "national", m)]
        assert float(top["baseline"]) == 0 and float(top["difference"]) > 0, top
        # the payments' own tax is at most the rate times the spending
        assert float(top["difference"]) <= 0.19 * float(sp["difference"]) * (1 + 1e-9), (top, sp)
        assert float(net["difference"]) == pytest.approx(
            float(sp["difference"]) - float(top["difference"]), rel=1e-9, abs=1e-3), (net, sp, top)
        assert float(net["ci_low"]) <= float(net["difference"]) <= float(net["ci_high"]), net
    ncost = get[("net_cost_per_job_year", "national", "cumulative")]
    if lo <= 0 <= hi:
        assert ncost["note"].startswith("no detectable job effect") and ncost["difference"] == ""

    sys.path.insert(0, ROOT)
    from analysis import runs
    tradable = runs.Run(files["base"][0]).tradable_sectors()
    assert tradable
    want = {f"timeseries_{m}.png" for m in TS_FIGS} | {"regions_employment.png",
                                                        "regions_output.png", "map_employment.png"}
    want |= {f"clusters_{s}.png" for s in tradable}
    pngs = {p.name: p for p in out.glob("*.png")}
    assert want <= set(pngs), sorted(want - set(pngs))
    assert all(p.stat().st_size > 1000 for p in pngs.values())
    assert f"{len(pngs)} figures" in r.stdout + r.stderr


@pytest.mark.skipif(not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)
                         and os.path.exists(SCEN[0])),
                    reason="needs the clustersim binary and scenarios/baseline.cfg")
def test_tax_zone_net_spending_is_the_tax_forgone(tmp_path):
    """A tax zone's profit tax cut is paid grossed up for the tax it bears (docs/metrics.md
    tax_on_payments), so net of the payments' own tax its cost is the tax the firms did not pay:
    compare's net_spending is exactly (1 - 0.19) x the extra spending, seed by seed (so its mean
    and CI too), and tax_on_payments 0.19 x it, on real runs."""
    sys.path.insert(0, ROOT)
    from analysis import compare, runs
    zone = tmp_path / "zone.cfg"
    zone.write_text(f'base = "{SCEN[0]}";\nname = "zone";\npolicies = ( {{ type = "tax_zone"; '
                    'name = "zone"; area = { regions = ["London"]; }; profit_tax_cut = 0.5; '
                    'rates_relief = 0.0; start = 2; end = 10; } );\n')
    sides = {}
    for scen, side in ((SCEN[0], "base"), (str(zone), "zone")):
        d = tmp_path / side
        run_seeds(scen, d)
        sides[side] = str(d)
    pairs = runs.pair(runs.load_side([sides["base"]], "baseline"),
                      runs.load_side([sides["zone"]], "policy"))
    rows, _ = compare.compare(pairs)
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    for m in ("cumulative", "window"):
        sp, top, net = (get[(n, "national", m)]
                        for n in ("spending", "tax_on_payments", compare.NET_SPENDING))
        assert sp["difference"] > 0 and sp["baseline"] == 0, sp
        for col in ("difference", "ci_low", "ci_high"):
            assert top[col] == pytest.approx(0.19 * sp[col], rel=1e-9), (col, top, sp)
            assert net[col] == pytest.approx(0.81 * sp[col], rel=1e-9), (col, net, sp)
        assert net["n_seeds"] == len(SEEDS)


@pytest.mark.skipif(not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)
                         and os.path.exists(SCEN[1])),
                    reason="needs the clustersim binary and scenarios/tech_city.cfg")
def test_cluster_rule_reproduces_the_engine(tmp_path):
    """stats.clusters on the last snapshot gives the engine's /sectors cluster_count,
    largest_cluster_employment and centroid at the last step, for every sector (the engine's
    rule: window total >= e_min, sea cells included; docs/metrics.md)."""
    sys.path.insert(0, ROOT)
    import numpy as np

    from analysis import runs, stats
    out = tmp_path / "run.h5"
    r = subprocess.run([BIN, "run", SCEN[1], "-o", str(out), "--steps", "20", "--seed", "3",
                        "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    run = runs.Run(str(out))
    assert int(run.snap_steps[-1]) == run.steps   # the last snapshot is the last step
    se = run.snap["sector_employment"]
    rk, lq_min, e_min = run.cluster_rule()
    assert e_min > 0   # the default rule, where window total and average differ
    several = 0
    for j, name in enumerate(run.sector_names):
        _, cl = stats.clusters(se[j], se.sum(0), rk, lq_min, e_min)
        count = run.sectors["cluster_count"][-1, j]
        assert len(cl) == count, (name, len(cl), count)
        several += len(cl) >= 2
        if not cl:
            assert run.sectors["largest_cluster_employment"][-1, j] == 0
            assert np.isnan(run.sectors["largest_cluster_x"][-1, j])
            continue
        assert cl[0]["employment"] == run.sectors["largest_cluster_employment"][-1, j], name
        assert cl[0]["x"] == pytest.approx(run.sectors["largest_cluster_x"][-1, j], rel=1e-12)
        assert cl[0]["y"] == pytest.approx(run.sectors["largest_cluster_y"][-1, j], rel=1e-12)
    assert several >= 3   # the comparison is not vacuous
