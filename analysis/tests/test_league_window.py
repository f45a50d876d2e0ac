"""The league table's programme-period figures (league.csv's window_* columns, league.md's second
table) on fake sweeps: the same figures as `analysis compare`'s measure `window` for the same
pairs, and the honesty rules of the whole-run figures applied over the period."""
import csv
import math

import pytest

from analysis import compare, runs, sweep
from analysis.tests import fakerun

STEPS = 40
# a London subsidy paying at steps 4-11: its programme period (no firms.t_plan in the fake
# config, so it starts when the policy does) is steps 4 to 11 + 20 = 31, window (4, 32)
TIMED = dict(fakerun.LONDON_SUBSIDY, start=4, end=12)
WINDOW = (4, 32)
# paying only after the run's end: no policy acts within the run, so no programme period
NEVER = dict(fakerun.LONDON_SUBSIDY, start=100, end=120)

# (window column, (outcome, scope, measure) of compare's window row, its field)
WINDOW_FIGURES = [
    ("window_job_years", ("employment", "national", "window"), "difference"),
    ("window_job_years_ci_low", ("employment", "national", "window"), "ci_low"),
    ("window_job_years_ci_high", ("employment", "national", "window"), "ci_high"),
    ("window_target_job_years", ("employment", "target area", "window"), "difference"),
    ("window_target_ci_low", ("employment", "target area", "window"), "ci_low"),
    ("window_target_ci_high", ("employment", "target area", "window"), "ci_high"),
    ("window_spending", ("spending", "national", "window"), "difference"),
    ("window_spending_ci_low", ("spending", "national", "window"), "ci_low"),
    ("window_spending_ci_high", ("spending", "national", "window"), "ci_high"),
    ("window_jpm_ci_low", ("job_years_per_million", "national", "window"), "ci_low"),
    ("window_jpm_ci_high", ("job_years_per_million", "national", "window"), "ci_high"),
    ("window_opp_ci_low", ("output_per_pound", "national", "window"), "ci_low"),
    ("window_opp_ci_high", ("output_per_pound", "national", "window"), "ci_high"),
    ("window_displacement", ("displacement", "target area", "window"), "difference"),
    ("window_disp_ci_low", ("displacement", "target area", "window"), "ci_low"),
    ("window_disp_ci_high", ("displacement", "target area", "window"), "ci_high"),
    ("window_cost_per_job_year", ("cost_per_job_year", "national", "window"), "difference"),
    ("window_cost_ci_low", ("cost_per_job_year", "national", "window"), "ci_low"),
    ("window_cost_ci_high", ("cost_per_job_year", "national", "window"), "ci_high"),
]


def _per_seed(values):
    """A make_sweep scenario maker that gives seed 1, 2, 3 (called in that order) its own
    value: values[i] -> make_run keyword arguments."""
    it = iter(values)
    return lambda v: next(it)


def _same(a, b):
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-9)


@pytest.fixture(scope="module")
def window_sweep(tmp_path_factory):
    """baseline, and against it:
    timed: +100 jobs in London while it pays (steps 4-11) and nothing else, but after its
      programme period (steps 32-40) London's employment moves by a different amount in each
      seed: detectable over the period, not over the whole run;
    noisy: a timed policy whose effect in the period differs by seed (300, -200, 320 jobs): not
      detectable over the period either (the cost reads what it rules out), and the national
      figures are not all exact, so the CIs compared with compare's have width;
    never: pays only after the run's end: no programme period."""
    d = str(tmp_path_factory.mktemp("wsweep") / "sw")
    late = (1000.0, -1000.0, 400.0)
    timed = _per_seed([dict(policies=[TIMED], effects={"London": 100.0}, active=(4, 12),
                            spending_per_step=1000.0,
                            shocks=[("London", WINDOW[1], STEPS + 1, x)]) for x in late])
    noisy = _per_seed([dict(policies=[TIMED], effects={"London": x, "Wales": -x / 2},
                            active=(4, 12), spending_per_step=500.0,
                            shocks=[("Wales", 20, 30, y)])
                       for x, y in ((300.0, 10.0), (-200.0, -40.0), (320.0, 25.0))])
    never = lambda v: dict(policies=[NEVER])   # noqa: E731
    fakerun.make_sweep(d, [("baseline", [], lambda v: {}), ("timed", [], timed),
                           ("noisy", [], noisy), ("never", [], never)],
                       seeds=(1, 2, 3), steps=STEPS, name="window_sweep")
    return d


def _compare_rows(d, scenario, discount=0.0):
    pairs = runs.pair(runs.load_side([d], "baseline", [("scenario", "baseline")]),
                      runs.load_side([d], "policy", [("scenario", scenario)]))
    rows, target = compare.compare(pairs, discount=discount)
    return {(r["outcome"], r["scope"], r["measure"]): r for r in rows}, target


@pytest.mark.parametrize("discount", [0.0, 0.035])
def test_league_window_figures_equal_compare(window_sweep, discount):
    """Every programme-period figure of the league is compare's window row for the same pairs,
    with the same (default) window, discounted alike."""
    lg = sweep.league(sweep.run_table(window_sweep), quiet=True, discount=discount)
    lg = lg.set_index("scenario")
    for sc in ("timed", "noisy"):
        got, target = _compare_rows(window_sweep, sc, discount)
        r = lg.loc[sc]
        assert target.window == WINDOW
        assert r["window_steps"] == got[("employment", "national", "window")]["steps"] == "4-31"
        assert (r["window_first_step"], r["window_last_step"], r["window_years"]) == (4, 31, 7.0)
        for col, key, field in WINDOW_FIGURES:
            assert _same(r[col], got[key][field]), (sc, col, r[col], got[key][field])
        for col, key in (("window_note", ("cost_per_job_year", "national", "window")),
                         ("window_disp_note", ("displacement", "target area", "window")),
                         ("window_opp_note", ("output_per_pound", "national", "window"))):
            assert r[col] == got[key]["note"], (sc, col)
        # the whole-run target-area columns are compare's cumulative ones
        tgt = got[("employment", "target area", "cumulative")]
        assert _same(r["target_job_years"], tgt["difference"])
        assert _same(r["target_ci_low"], tgt["ci_low"])
    # the noisy scenario's CIs have width: a real comparison, not two zeros
    n = lg.loc["noisy"]
    assert n["window_job_years_ci_low"] < n["window_job_years"] < n["window_job_years_ci_high"]
    if discount:
        plain = sweep.league(sweep.run_table(window_sweep), quiet=True).set_index("scenario")
        assert lg.loc["timed", "window_job_years"] < plain.loc["timed", "window_job_years"]
        assert set(lg["discount_rate"]) == {discount}


def test_league_window_matches_analysis_compare_cli(window_sweep, tmp_path, run_main):
    """league.csv's window columns read as summary.csv's window rows of `analysis compare` on
    the same runs (the printed, rounded-to-CSV figures)."""
    r = run_main("sweep", window_sweep, "-o", tmp_path / "lg", "--quiet")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "lg" / "league.csv") as f:
        lg = {x["scenario"]: x for x in csv.DictReader(f)}
    r = run_main("compare", window_sweep, "--where", "scenario=baseline", "--", window_sweep,
                 "--where", "scenario=timed", "-o", tmp_path / "cmp")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "cmp" / "summary.csv") as f:
        got = {(x["outcome"], x["scope"], x["measure"]): x for x in csv.DictReader(f)}
    t = lg["timed"]
    assert t["window_steps"] == got[("employment", "national", "window")]["steps"]
    for col, key, field in WINDOW_FIGURES:
        a, b = t[col], got[key][field]
        assert (a == "" and b == "") or _same(a, b), (col, a, b)
    assert t["window_note"] == got[("cost_per_job_year", "national", "window")]["note"]


def test_league_effect_only_inside_programme_period(window_sweep, tmp_path, run_main):
    """A policy whose effect lies only inside its programme period (100 jobs in London while it
    pays; after the period, seed noise in London) is detectable there and not over the whole
    run: over the period its cost per net job-year and job-years per million are stated and
    its target-area gain is detectable; over the whole run it is unranked, with the per-pound
    figures blank and the cost reading what the data rule out."""
    lg = sweep.league(sweep.run_table(window_sweep), quiet=True).set_index("scenario")
    t = lg.loc["timed"]
    # whole run: 200 job-years in the period plus the late noise (2,250, -2,250, 900): not
    # detectable
    assert t["job_years"] == pytest.approx(200.0 + (2250.0 - 2250.0 + 900.0) / 3)
    assert t["job_years_ci_low"] < 0 < t["job_years_ci_high"]
    assert not bool(t["detectable"]) and t["rank"] is pd_na()
    assert math.isnan(t["job_years_per_million"]) and math.isnan(t["cost_per_job_year"])
    assert t["note"].startswith(sweep.NO_JOB)
    assert t["target_ci_low"] < 0 < t["target_ci_high"]
    # programme period: 100 jobs x 8 quarters / 4 = 200 job-years for 8 x 1,000 spent, exactly
    # in every seed
    assert bool(t["window_detectable"])
    assert t["window_job_years"] == pytest.approx(200.0)
    assert t["window_job_years_ci_low"] == pytest.approx(200.0)
    assert t["window_target_job_years"] == pytest.approx(200.0)
    assert t["window_target_ci_low"] > 0
    assert t["window_spending"] == pytest.approx(8000.0)
    assert t["window_job_years_per_million"] == pytest.approx(1e6 * 200 / 8000)
    assert t["window_cost_per_job_year"] == pytest.approx(40.0) and t["window_note"] == ""
    assert t["window_displacement"] == pytest.approx(0.0)
    # noisy: not detectable over the period either: the same rules (blank per-pound figures,
    # the cost the data rule out, no displacement of a gain that is not detectable)
    n = lg.loc["noisy"]
    assert not bool(n["window_detectable"])
    assert math.isnan(n["window_job_years_per_million"]) and n["window_jpm_ci_high"] > 0
    assert math.isnan(n["window_cost_per_job_year"])
    assert n["window_note"].startswith(sweep.NO_JOB) and "less than about" in n["window_note"]
    assert math.isnan(n["window_displacement"]) and n["window_disp_note"]
    # never: no policy acts within the run, so there is no programme period
    v = lg.loc["never"]
    assert v["window_steps"] == "" and math.isnan(v["window_job_years"])
    assert v["window_note"] == sweep.NO_WINDOW and not bool(v["window_detectable"])

    # league.md: the whole-run table, then the programme-period table with each window
    r = run_main("sweep", window_sweep, "-o", tmp_path / "o", "--quiet")
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "o" / "league.md").read_text()
    whole, period = md.split("## Over each policy's programme period")
    assert "## Over the whole run" in whole
    row = next(x for x in whole.splitlines() if x.startswith("| not detectable | timed |"))
    assert "| not detectable; rules out below" in row
    row = next(x for x in period.splitlines() if "| timed |" in x)
    assert row.startswith("| not detectable | timed | — | steps 4-31 (2019 Q1 to 2025 Q4, 7 "
                          "years) | 200 [200, 200] | 200 [200, 200] | 0 [0, 0] | £8,000 | "
                          "25,000 [25,000, 25,000] | 40 [40, 40] |"), row
    row = next(x for x in period.splitlines() if "| noisy |" in x)
    bound = 1e6 / n["window_jpm_ci_high"]
    assert f"| not detectable; rules out below £{compare.fmt(bound)} |" in row
    assert f"| not detectable [{compare.fmt(n['window_jpm_ci_low'])}, " in row
    # never acted: marked so, and footnoted as zeros by construction, not blamed on the scale
    row = next(x for x in period.splitlines()
               if "| never (changed nothing: no policy acted) |" in x)
    assert "none (no policy acts within the run)" in row and sweep.NO_WINDOW in row
    assert f"- no policy acted: {sweep.NEVER_ACTED}" in md
    with open(tmp_path / "o" / "league.csv") as f:
        head = next(csv.reader(f))
    assert head == sweep.LEAGUE_COLS and set(sweep.WINDOW_COLS) <= set(head)


def pd_na():
    import pandas as pd
    return pd.NA
