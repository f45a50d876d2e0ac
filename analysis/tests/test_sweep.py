"""Sweep analysis on fake sweep directories (fakerun.make_sweep, INTERFACES.md sweep output)."""
import csv
import math
import os

import h5py
import numpy as np
import pytest

import pandas as pd

from analysis import compare, open_sweep, runs, sweep
from analysis.tests import fakerun
from analysis.tests.test_cli import _png_ok, cli

K = "policies.[0].per_worker"
S = "output.label"   # a string-valued varied key


def _err(r, text):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "analysis: error: " in r.stderr and text in r.stderr, r.stderr


def _policy(v):
    w = v[K]
    return dict(policies=[dict(fakerun.LONDON_SUBSIDY, per_worker=w)],
                effects={"London": 1000.0 * w}, spending_per_step=1000.0)


def _flat(v):   # spends without a job effect
    return dict(policies=[fakerun.LONDON_SUBSIDY], effects={}, spending_per_step=500.0)


SCENARIOS = [("baseline", [S], lambda v: {}), ("tech_city", [K, S], _policy),
             ("flat", [S], _flat)]
FAILED = "tech_city/per_worker=0.4/label=b/seed03"


@pytest.fixture(scope="module")
def fake_sweep(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    ids = fakerun.make_sweep(str(d), SCENARIOS, vary=[(K, [0.1, 0.2, 0.4]), (S, ["a", "b"])],
                             seeds=(1, 2, 3), failed=(FAILED,), str_keys=(S,))
    assert FAILED in ids and len(ids) == 3 * 2 + 3 * 2 * 3 + 3 * 2
    return str(d)


def test_run_table(fake_sweep):
    df = sweep.run_table(fake_sweep)
    assert df.attrs["varied_keys"] == [K, S] and df.attrs["name"] == "fake_sweep"
    assert len(df) == 30 and list(df.columns[:8]) == sweep.BASE_COLS
    base = df[df["scenario"] == "baseline"]
    assert base[K].isna().all() and set(base[S]) == {"a", "b"}
    assert df.loc[df["scenario"] == "flat", K].isna().all()
    # a scenario without a key the baseline varies has no unambiguous baseline run per seed
    with pytest.raises(runs.AnalysisError, match="appears twice"):
        sweep.baseline_rows(df, [K, S], (math.nan, ""))
    assert sorted(sweep.baseline_rows(df, [K, S], (0.1, "a"))) == [1, 2, 3]
    bad = df[df["id"] == FAILED].iloc[0]
    assert bad["status"] == "failed" and bad["file"] == "" and math.isnan(bad["employment"])
    # a run's full series and tables, through the run table's file path
    run = sweep.load_run(fake_sweep, "tech_city/per_worker=0.2/label=a/seed02")
    ts = run.frame()
    assert run.seed == 2 and ts.index.name == "step" and len(ts) == 13
    assert list(run.frame("regions", "employment").columns) == fakerun.REGIONS
    with pytest.raises(runs.AnalysisError, match="no run with id"):
        sweep.load_run(fake_sweep, "nope")


def test_open_sweep_dataset(fake_sweep):
    ds = open_sweep(fake_sweep)
    assert ds["employment"].dims == ("scenario", K, S, "seed")
    assert list(ds["scenario"].values) == ["baseline", "tech_city", "flat"]
    assert list(ds[K].values) == [0.1, 0.2, 0.4] and list(ds[S].values) == ["a", "b"]
    assert list(ds["seed"].values) == [1, 2, 3]
    assert ds.attrs["format"] == "clustersim-sweep"
    # the baseline does not have K: it fills every K value, so differences pair by seed
    d = ds["employment"] - ds["employment"].sel(scenario="baseline")
    for w in (0.1, 0.2, 0.4):
        got = d.sel(scenario="tech_city", **{K: w}).values
        want = np.full((2, 3), 1000.0 * w)
        if w == 0.4:
            want[1, 2] = np.nan   # the failed run
        np.testing.assert_allclose(got, want)
    assert ds["status"].sel(scenario="tech_city", **{K: 0.4, S: "b", "seed": 3}).item() == "failed"
    assert np.all(d.sel(scenario="flat").values == 0)
    assert ds["key_applies"].sel(scenario="baseline").values.tolist() == [False, True]
    assert ds["run_id"].sel(scenario="baseline", **{K: 0.2, S: "a", "seed": 1}).item() == \
        "baseline/label=a/seed01"


def test_open_sweep_difference_of_datasets(fake_sweep):
    # docs/analysis.md: `ds - ds.sel(scenario="baseline")` is the difference paired by seed;
    # run_id, status and key_applies are coordinates, so every data variable is numeric
    ds = open_sweep(fake_sweep)
    assert {"run_id", "status", "key_applies"} <= set(ds.coords)
    assert all(ds[v].dtype.kind == "f" for v in ds.data_vars)
    effect = ds - ds.sel(scenario="baseline")
    got = effect["employment"].sel(scenario="tech_city", **{S: "a"}).mean("seed")
    np.testing.assert_allclose(got.values, [100.0, 200.0, 400.0])
    assert set(effect.data_vars) == set(ds.data_vars)
    assert float(abs(effect["output"].sel(scenario="baseline")).max()) == 0.0
    # the coordinates still select runs
    ok = ds["employment"].where(ds["status"] == "ok")
    assert int(ok.notnull().sum()) == int((ds["status"] == "ok").sum())


def test_outcome_table_pairs_with_baseline(fake_sweep):
    tab = sweep.outcome_table(sweep.run_table(fake_sweep))
    r = tab[(tab["scenario"] == "tech_city") & (tab[K] == 0.2) & (tab[S] == "b")
            & (tab["outcome"] == "employment")].iloc[0]
    assert r["n_seeds"] == 3 and r["n_pairs"] == 3
    assert r["difference"] == pytest.approx(200.0)
    assert r["diff_ci_low"] == pytest.approx(200.0) and r["diff_ci_high"] == pytest.approx(200.0)
    assert r["ci_low"] < r["mean"] < r["ci_high"]          # seed noise in the levels
    r = tab[(tab["scenario"] == "tech_city") & (tab[K] == 0.4) & (tab[S] == "b")
            & (tab["outcome"] == "employment")].iloc[0]
    assert r["n_seeds"] == 2 and r["n_pairs"] == 2           # the failed run is left out
    # flat lacks K: it pairs with the baseline run of its seed and label; spending 12 x 500
    r = tab[(tab["scenario"] == "flat") & (tab["outcome"] == "spending_cumulative")]
    assert len(r) == 2 and np.allclose(r["difference"], 6000.0)
    assert tab[tab["scenario"] == "baseline"]["difference"].isna().all()


def test_sweep_command(fake_sweep, tmp_path, run_main):
    out = tmp_path / "out"
    r = run_main("sweep", fake_sweep, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "runs not ok are left out: 1 failed" in r.stderr
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == ["sweep_0_policies.0.per_worker.png", "sweep_1_output.label.png"]
    assert "runs not ok are left out: 1 failed" in r.stderr
    assert all(_png_ok(out / p) for p in pngs)
    with open(out / "sweep_table.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:4] == ["scenario", K, S, "outcome"]
    emp = [x for x in rows if x["scenario"] == "tech_city" and x[K] == "0.4" and x[S] == "a"
           and x["outcome"] == "employment"][0]
    assert float(emp["difference"]) == pytest.approx(400.0) and emp["n_pairs"] == "3"
    assert "| tech_city | 0.4 | a | employment |" in (out / "sweep_table.md").read_text()
    # the league table: ranked by job-years per million, printed and written
    with open(out / "league.csv") as f:
        lg = list(csv.DictReader(f))
    # the six tech_city rows are detectable and ranked; flat (changed nothing: 0 [0, 0]) is not
    assert [x["rank"] for x in lg] == [str(i) for i in range(1, 7)] + ["", ""]
    assert [x["detectable"] for x in lg] == ["True"] * 6 + ["False"] * 2
    assert [x["scenario"] for x in lg] == ["tech_city"] * 6 + ["flat"] * 2
    assert [float(x["job_years_per_million"]) for x in lg[:6:2]] == [1e5, 5e4, 2.5e4]
    top = lg[0]
    assert top["varied"].startswith(f"{K}=0.4") and top["n_seeds"] in ("2", "3")
    # 400 jobs x 12 quarters / 4 = 1200 job-years for 12000 spent: 100000 per million,
    # 10 per job-year
    assert float(top["job_years"]) == pytest.approx(1200.0)
    assert float(top["job_years_per_million"]) == pytest.approx(1e5)
    assert float(top["cost_per_job_year"]) == pytest.approx(10.0) and top["note"] == ""
    assert float(top["output_per_pound"]) == pytest.approx(4.0)
    assert float(top["displacement"]) == pytest.approx(0.0)
    assert lg[7]["note"] == "no detectable job effect" and lg[7]["cost_per_job_year"] == ""
    # not detectable: the per-pound figure is blank, its CI kept
    assert lg[7]["job_years_per_million"] == "" and float(lg[7]["jpm_ci_high"]) == 0.0
    assert "| 1 | tech_city |" in r.stdout and "| not detectable | flat (changed nothing) |" in r.stdout
    assert r.stdout == (out / "league.md").read_text() + "\n"


def test_compare_with_where(fake_sweep, tmp_path, run_main):
    cli = run_main
    out = tmp_path / "cmp"
    r = cli("compare", fake_sweep, "--where", "scenario=baseline", "--where", f"{S}=a", "--",
            fake_sweep, "--where", "scenario=tech_city", "--where", f"{K}=0.2",
            f"--where={S}=a", "-o", out)
    assert r.returncode == 0, r.stderr
    with open(out / "summary.csv") as f:
        rows = {(x["outcome"], x["scope"], x["measure"]): x for x in csv.DictReader(f)}
    assert float(rows[("employment", "national", "final")]["difference"]) == pytest.approx(200.0)
    assert rows[("employment", "national", "final")]["n_seeds"] == "3"
    # the sweep.h5 file works as well as its directory; failed runs are left out with a warning
    r = cli("compare", os.path.join(fake_sweep, "sweep.h5"), "--where", "scenario=baseline",
            "--where", f"{S}=b", "--", fake_sweep, "--where", "scenario=tech_city",
            "--where", f"{K}=0.4", "--where", f"{S}=b", "-o", out)
    assert r.returncode == 2 and "1 selected run(s) not ok" in r.stderr
    assert "baseline seeds without a policy run: 3" in r.stderr
    _err(cli("compare", fake_sweep, "--", fake_sweep, "--where", "scenario=flat"),
         "narrow it with --where")
    _err(cli("compare", fake_sweep, "--where", "colour=red", "--", fake_sweep), "no such column")
    _err(cli("compare", fake_sweep, "--where", "scenario", "--", fake_sweep), "want KEY=VALUE")
    _err(cli("compare", fake_sweep, "--where", "scenario=nope", "--", fake_sweep),
         "no finished runs match scenario=nope; scenario has baseline, ")
    # a value no run has: the column's values are listed (a matching one is not)
    r = cli("compare", fake_sweep, "--where", "scenario=tech_city", "--where", f"{K}=0.7",
            "--", fake_sweep)
    assert r.returncode == 2 and f"; {K} has 0." in r.stderr and "scenario has" not in r.stderr, \
        r.stderr
    # the values as they can be typed back (select matches to a relative 1e-9)
    import pandas as pd
    t = pd.DataFrame({"scenario": ["a", "a"], "k": [1234567.0, 2500000.5]})
    hint = sweep._values_hint(t, [("k", "7")])
    assert hint == "; k has 1234567.0, 2500000.5", hint
    assert all(len(sweep.select(t, [("k", v)])) == 1 for v in ("1234567.0", "2500000.5"))
    b, _ = fakerun.make_pair(str(tmp_path), seeds=(1,))
    _err(cli("compare", b, "--where", "seed=1", "--", fake_sweep), "not a sweep directory")


def test_sweep_errors(tmp_path, run_main):
    cli = run_main
    _err(cli("sweep", tmp_path), "not a sweep")
    # a sweep folder whose sweep stopped before sweep.h5 (a time limit, an ended MPI farm)
    (tmp_path / "plan.txt").write_text("baseline/seed01\tbaseline\tseed=1L\n")
    _err(cli("sweep", tmp_path), f"a sweep folder without sweep.h5 (its sweep has not "
         f"finished): write it from the run files there with `./clustersim sweep --collect "
         f"{tmp_path}`")
    _err(cli("sweep", tmp_path / "nope"), "no such file or directory")
    _err(cli("sweep"), "one sweep directory")


def test_sweep_without_baseline(tmp_path):   # through `python3 -m analysis`, as users run it
    d = tmp_path / "nb"
    fakerun.make_sweep(str(d), [("tech_city", [K], _policy)], vary=[(K, [0.1, 0.2])], seeds=(1, 2))
    r = cli("sweep", d, "-o", tmp_path / "o")
    assert r.returncode == 0, r.stderr
    assert "no scenario named baseline" in r.stdout and not (tmp_path / "o" / "league.csv").exists()
    assert _png_ok(tmp_path / "o" / "sweep_0_policies.0.per_worker.png")
    with h5py.File(d / "sweep.h5", "r") as f:
        assert f["links/000000"].attrs.get("format") is not None   # external links resolve


def test_league_marks_notes(fake_sweep):
    # flat spends and moves nothing: "changed nothing", its output per pound (0) marked "no
    # detectable output effect" and its displacement not stated (the target gained nothing)
    df = sweep.run_table(fake_sweep)
    lg = sweep.league(df, quiet=True)
    flat = lg[lg["scenario"] == "flat"].iloc[0]
    assert bool(flat["changed_nothing"]) and flat["opp_note"] == "no detectable output effect"
    assert math.isnan(flat["displacement"])
    assert flat["disp_note"] == "target area did not gain jobs on average"
    top = lg.iloc[0]
    assert not top["changed_nothing"] and top["opp_note"] == "" and top["disp_note"] == ""
    md = sweep.league_markdown(lg, "t")
    assert "| flat (changed nothing) |" in md
    assert "| not detectable [0, 0] | target area did not gain jobs on average | not detectable |" \
        in md


def test_league_ranks_only_detectable_effects(tmp_path):
    """A scenario whose job effect the seeds cannot tell from zero is listed after the ranked
    ones, unranked, with its per-pound figures blank, even when its point estimate of job-years
    per million is the largest; the cost cell says what cost the data rule out."""
    effects = iter([300.0, -200.0, 320.0])   # one call per seed, in seed order: CI includes 0

    def noisy(v):
        return dict(policies=[fakerun.LONDON_SUBSIDY], effects={"London": next(effects)},
                    spending_per_step=100.0)

    def sure(v):
        return dict(policies=[fakerun.LONDON_SUBSIDY], effects={"London": 10.0},
                    spending_per_step=1000.0)
    d = str(tmp_path / "sw")
    fakerun.make_sweep(d, [("baseline", [], lambda v: {}), ("noisy", [], noisy),
                           ("sure", [], sure)], seeds=(1, 2, 3))
    lg = sweep.league(sweep.run_table(d), quiet=True)
    assert list(lg["scenario"]) == ["sure", "noisy"]
    sure_r, noisy_r = lg.iloc[0], lg.iloc[1]
    assert sure_r["rank"] == 1 and bool(sure_r["detectable"])
    assert sure_r["job_years_per_million"] == pytest.approx(1e6 * 30 / 12000)
    assert noisy_r["rank"] is pd.NA and not bool(noisy_r["detectable"])
    assert math.isnan(noisy_r["job_years_per_million"]) and noisy_r["jpm_ci_high"] > 0
    assert math.isnan(noisy_r["output_per_pound"]) and noisy_r["opp_ci_high"] > 0
    md = sweep.league_markdown(lg, "t")
    row = next(x for x in md.splitlines() if "| noisy |" in x)
    assert row.startswith("| not detectable | noisy |")
    bound = 1e6 / noisy_r["jpm_ci_high"]
    assert f"| not detectable; rules out below £{compare.fmt(bound)} |" in row
    assert f"| not detectable [{compare.fmt(noisy_r['jpm_ci_low'])}, " in row
    assert "| 1 | sure |" in md


def test_league_keeps_only_slim_baselines(tmp_path, monkeypatch):
    """The league's baseline runs are kept for every policy group, so without their maps and
    snapshots (a 1,000-run sweep's took 1.1 GB); the results do not change."""
    d = str(tmp_path / "sw")
    fakerun.make_sweep(d, [("baseline", [], lambda v: {"maps": True}),
                           ("a", [], lambda v: dict(_flat(v), maps=True)),
                           ("b", [], lambda v: dict(_policy({K: 0.2}), maps=True))], seeds=(1, 2))
    kept = []
    real = runs.Run.slim

    def spy(self):
        kept.append(self)
        return real(self)
    monkeypatch.setattr(runs.Run, "slim", spy)
    lg = sweep.league(sweep.run_table(d), quiet=True)
    assert len(kept) == 2   # the two baselines, each once
    for r in kept:
        assert r.snap == {} and r.snap_employment is None and r.snap_digest() is not None
    a = lg[lg["scenario"] == "a"].iloc[0]
    assert bool(a["changed_nothing"])   # compared on the digests
    assert lg[lg["scenario"] == "b"].iloc[0]["job_years"] == pytest.approx(200.0 * 12 / 4)


def test_sweep_table_and_plots_have_units(fake_sweep, tmp_path, run_main, monkeypatch):
    """sweep_table.md and .csv give each outcome's unit (its /runs/final dataset's units
    attribute), so output per step (a quarter) does not read as a year's; the sweep plots' y axes
    carry the units, and both axes plain numbers (no "1e7" offset above them)."""
    from analysis import plots
    out = tmp_path / "out"
    r = run_main("sweep", fake_sweep, "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    with open(out / "sweep_table.csv") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[3:5] == ["outcome", "unit"]
    unit = {x["outcome"]: x["unit"] for x in rows}
    assert unit["output"] == "pounds per step (full scale)"
    assert unit["employment"] == "workers (full scale)"
    assert unit["unemployment_rate"] == "fraction"
    md = (out / "sweep_table.md").read_text()
    assert "| output | pounds per step (full scale) |" in md
    assert "- " + sweep.PER_STEP in md
    # the plots: units on the y axes, plain numbers on both, even for a key in the millions
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: figs.append(fig) or name)
    tab = sweep.outcome_table(sweep.run_table(fake_sweep))
    tab[K] = tab[K] * 1e7   # 1,000,000 to 4,000,000
    tab.loc[tab["outcome"] == "output", ["mean", "ci_low", "ci_high"]] *= 1e6
    plots.sweep_key(tab, K, [K, S], str(tmp_path), "k.png")
    fig = figs[0]
    fig.canvas.draw()
    labels = [ax.get_ylabel().replace("\n", " ") for ax in fig.axes]
    assert "output (pounds per quarter, full scale)" in labels   # a step is a quarter
    assert "Δ employment (workers, full scale)" in labels
    for ax in fig.axes:
        assert ax.xaxis.get_offset_text().get_text() == "", ax.get_title()
        assert ax.yaxis.get_offset_text().get_text() == "", ax.get_title()
    assert "1,000,000" in [t.get_text() for t in fig.axes[0].get_xticklabels()]


def test_whole_number_keys_are_integers_in_the_csv(tmp_path):
    """sweep.h5 keeps varied numbers as float64: steps = [12, 16] read 12.0 and 16.0 in
    sweep_table.csv (session 39's HPC user). Whole numbers are written as integers, other
    values and empty cells as they were."""
    tab = pd.DataFrame({"scenario": ["a", "a", "b"], "steps": [12.0, 16.0, np.nan],
                        "firms.alpha": [0.5, 0.75, 0.5], "name": ["x", "y", "z"],
                        "mean": [1.5, 2.0, 3.0]})
    out = sweep.whole_numbers_as_integers(tab, ["steps", "firms.alpha", "name"])
    path = str(tmp_path / "t.csv")
    compare.write_frame(out, path)
    rows = list(csv.DictReader(open(path)))
    assert [r["steps"] for r in rows] == ["12", "16", ""]
    assert [r["firms.alpha"] for r in rows] == ["0.5", "0.75", "0.5"]
    assert [r["name"] for r in rows] == ["x", "y", "z"] and rows[0]["mean"] == "1.5"
    assert tab["steps"].dtype == float  # the table itself is left as it was
    # whole numbers past 2^53 (an unbounded budget of 1e19) stay floats: no int64 holds 1e20
    big = pd.DataFrame({"budget": [1e19, 1e20], "mean": [1.0, 2.0]})
    assert sweep.whole_numbers_as_integers(big, ["budget"])["budget"].tolist() == [1e19, 1e20]
