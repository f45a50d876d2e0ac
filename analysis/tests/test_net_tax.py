"""Spending net of the profit tax (docs/analysis.md "Net of the profit tax"): compare's
tax_revenue outcome, net_spending (per seed: extra spending less extra tax revenue, paired by
seed), net_cost_per_job_year and job_years_per_million_net under honest_cost's rules, older run
files without /timeseries/tax_revenue, the discount rate, the summary's words, the demo's reading
and the league table's columns.

The fake economy (fakerun.make_run): the profit tax is 0.01 x output + 0.19 x spending
(+ tax_extra at every step >= 1), so with +x London jobs (output 10 a job) and 1000 spent a
quarter a policy run pays 0.1 x + 190 + tax_extra more tax a quarter than its baseline."""
import csv
import math

import numpy as np
import pytest

from analysis import compare, demo, runs, stats, sweep
from analysis.tests import fakerun
from analysis.tests.test_discount import W

STEPS = 12


def _pairs(tmp_path, jobs, tax_extra, spend=1000.0, tax=True, base_tax=None, steps=STEPS):
    """One (baseline, policy) pair per seed: +jobs[i] London jobs, 1000 spent a quarter and
    tax_extra[i] more profit tax a quarter in seed i + 1. tax: whether the policy runs have
    /timeseries/tax_revenue (base_tax: the baselines; default the same)."""
    pairs = []
    for s, (j, x) in enumerate(zip(jobs, tax_extra), 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, steps=steps, tax=tax if base_tax is None else base_tax)
        fakerun.make_run(p, seed=s, steps=steps, scenario="tech_city",
                         policies=[fakerun.LONDON_SUBSIDY], effects={"London": j},
                         spending_per_step=spend, tax=tax, tax_extra=x)
        pairs.append((runs.Run(b), runs.Run(p)))
    return pairs


def _rows(pairs, **kw):
    rows, target = compare.compare(pairs, **kw)
    return {(r["outcome"], r["scope"], r["measure"]): r for r in rows}, rows, target


def _net(jobs, tax_extra, steps=STEPS, spend=1000.0):
    """Per-seed net spending by hand: steps x (spend - (0.1 x jobs + 0.19 spend + tax_extra))."""
    return [steps * (spend - (0.1 * j + 0.19 * spend + x)) for j, x in zip(jobs, tax_extra)]


# ---------------------------------------------------------------- the rows

def test_net_spending_is_extra_spending_less_extra_tax_per_seed(tmp_path):
    jobs, extra = [100.0, 120.0, 80.0], [50.0, -30.0, 200.0]
    k, rows, _ = _rows(_pairs(tmp_path, jobs, extra))
    tax = k[("tax_revenue", "national", "cumulative")]
    d_tax = [STEPS * (0.1 * j + 190.0 + x) for j, x in zip(jobs, extra)]
    assert tax["difference"] == pytest.approx(np.mean(d_tax))
    assert (tax["ci_low"], tax["ci_high"]) == pytest.approx(stats.paired_ci(d_tax)[1:3])
    assert tax["unit"] == "GBP 2018, total over the run"
    fin = k[("tax_revenue", "national", "final")]
    assert fin["difference"] == pytest.approx(np.mean([0.1 * j + 190.0 + x
                                                       for j, x in zip(jobs, extra)]))
    assert fin["unit"] == "GBP 2018 per quarter"
    net = k[("net_spending", "national", "cumulative")]
    want = _net(jobs, extra)
    # paired by seed: the mean and the CI of the per-seed nets (not a difference of two CIs)
    mean, lo, hi, n = stats.paired_ci(want)
    assert (net["difference"], net["ci_low"], net["ci_high"], net["n_seeds"]) == \
        pytest.approx((mean, lo, hi, 3))
    assert net["difference"] == pytest.approx(
        k[("spending", "national", "cumulative")]["difference"] - tax["difference"])
    assert math.isnan(net["baseline"]) and math.isnan(net["policy"])
    assert net["unit"] == "GBP 2018, total over the run, less the extra profit tax"
    assert net["note"] == ""
    # the gross rows are untouched
    assert k[("spending", "national", "cumulative")]["difference"] == pytest.approx(12000.0)
    assert k[("cost_per_job_year", "national", "cumulative")]["difference"] == pytest.approx(40.0)
    # and it is reported in the cost section of summary.md
    md = compare.markdown(rows, "t")
    cost_sec = md.split("## Cost and displacement")[1].split("## Target area")[0]
    for name in ("| tax_revenue | national | cumulative |", "| net_spending | national |",
                 "| net_cost_per_job_year | national |", "| job_years_per_million_net |"):
        assert name in cost_sec, name


def test_window_measure_nets_the_tax_over_the_period(tmp_path):
    # a policy paying at steps 8..15: the window (8, 36) holds all of it; 8 quarters of it
    pol = dict(fakerun.LONDON_SUBSIDY, start=8, end=16)
    pairs = []
    for s, x in enumerate([40.0, 60.0, 20.0], 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, steps=40)
        fakerun.make_run(p, seed=s, steps=40, scenario="tech_city", policies=[pol],
                         effects={"London": 100.0}, spending_per_step=1000.0, active=(8, 16),
                         tax_extra=x)
        pairs.append((runs.Run(b), runs.Run(p)))
    k, _, target = _rows(pairs)
    assert target.window == (8, 36)
    # tax: 8 x (10 + 190) in the window, and tax_extra at every step >= 1: 28 of them in it
    per = [8 * (1000.0 - 200.0) - 28 * x for x in (40.0, 60.0, 20.0)]
    w = k[("net_spending", "national", "window")]
    assert w["difference"] == pytest.approx(np.mean(per)) and w["steps"] == "8-35"
    assert (w["ci_low"], w["ci_high"]) == pytest.approx(stats.paired_ci(per)[1:3])
    assert k[("tax_revenue", "national", "window")]["unit"] == "GBP 2018, total over the window"
    c = k[("net_cost_per_job_year", "national", "window")]
    r, lo, hi, _ = stats.fieller_ci(per, [200.0] * 3)
    assert (c["difference"], c["ci_low"], c["ci_high"]) == pytest.approx((r, lo, hi))


# ---------------------------------------------------------------- honest_cost's rules, net

def test_net_cost_with_a_detectable_job_effect(tmp_path):
    jobs, extra = [100.0, 120.0, 80.0], [50.0, -30.0, 200.0]
    k, _, _ = _rows(_pairs(tmp_path, jobs, extra))
    J = [3.0 * j for j in jobs]   # 12 quarters / 4
    N = _net(jobs, extra)
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    r, lo, hi, _ = stats.fieller_ci(N, J)
    assert (c["difference"], c["ci_low"], c["ci_high"]) == pytest.approx((r, lo, hi))
    assert c["note"] == "" and c["n_seeds"] == 3
    assert c["difference"] == pytest.approx(np.mean(N) / np.mean(J))   # a ratio of means
    jpm = k[("job_years_per_million_net", "national", "cumulative")]
    r, lo, hi, _ = stats.fieller_ci(J, N)
    assert (jpm["difference"], jpm["ci_low"], jpm["ci_high"]) == \
        pytest.approx((1e6 * r, 1e6 * lo, 1e6 * hi))
    assert c["unit"] == "GBP 2018 of net spending (less the profit tax) per net job-year over " \
        "the run"
    # net of the tax, each job-year costs less than gross
    assert c["difference"] < k[("cost_per_job_year", "national", "cumulative")]["difference"]


def test_net_cost_reuses_honest_cost(tmp_path):
    """The net rows are honest_cost's, parameterised: given the gross spending, kind=NET sets
    the net rows exactly as the gross ones (but for the spending's name in the notes)."""
    for jobs in ([100.0, 120.0, 80.0], [10.0, -15.0, 6.0], [-100.0, -120.0, -80.0]):
        _, rows, _ = _rows(_pairs(tmp_path, jobs, [0.0] * 3))
        per = [3.0 * j for j in jobs]
        compare.honest_cost(rows, per, [12000.0] * 3, "cumulative", kind=compare.NET)
        k = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
        for gross, net in (("cost_per_job_year", "net_cost_per_job_year"),
                           ("job_years_per_million", "job_years_per_million_net")):
            g, n = k[(gross, "national", "cumulative")], k[(net, "national", "cumulative")]
            for col in ("difference", "ci_low", "ci_high", "n_seeds"):
                assert g[col] == n[col] or (math.isnan(g[col]) and math.isnan(n[col])), (col, g, n)
            assert g["note"] == n["note"].replace("net spending", "extra spending")


def test_net_cost_not_stated_without_a_detectable_job_effect(tmp_path):
    # +10, -15, +6 jobs: net job-years' CI includes 0, so neither cost is stated
    k, rows, target = _rows(_pairs(tmp_path, [10.0, -15.0, 6.0], [50.0, 60.0, 40.0]))
    for name in ("cost_per_job_year", "net_cost_per_job_year"):
        c = k[(name, "national", "cumulative")]
        assert math.isnan(c["difference"]) and c["note"].startswith(compare.NO_JOB_EFFECT)
    jpm = k[("job_years_per_million_net", "national", "cumulative")]
    assert jpm["note"] == compare.NO_JOB_EFFECT and jpm["ci_low"] < 0 < jpm["ci_high"]
    # the summary says so once, of the gross figure, and gives the net spending beside it
    text = " ".join(compare.summary_sentences(rows, target.label, target.window_source, STEPS))
    assert text.count("no cost per job can be stated") == 1
    assert "net of the profit tax it brought back (£" in text


def test_net_cost_not_stated_when_jobs_were_lost(tmp_path):
    k, _, _ = _rows(_pairs(tmp_path, [-100.0, -120.0, -80.0], [0.0] * 3))
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert math.isnan(c["difference"]) and c["note"].startswith(compare.JOBS_LOST)
    assert k[("job_years_per_million_net", "national", "cumulative")]["note"] == compare.JOBS_LOST


def test_no_net_cost_when_the_tax_brought_back_more_than_was_spent(tmp_path):
    # 1000 spent a quarter, 190 + 10 + 1000-1200 more tax: net spending's CI lies below 0; a
    # negative cost per job-year would read as a price, so it is blank with "no net cost"
    jobs, extra = [100.0, 120.0, 80.0], [1000.0, 1100.0, 1200.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    net = k[("net_spending", "national", "cumulative")]
    assert net["ci_high"] < 0
    for name in compare.NET_COST:
        r = k[(name, "national", "cumulative")]
        assert math.isnan(r["difference"]) and math.isnan(r["ci_low"]), r
        assert r["note"].startswith(compare.NET_SAVING + ": the 95% CI of net spending lies "
                                    "below 0 (the profit tax brought back more than was spent)")
    # the gross cost is still stated
    assert k[("cost_per_job_year", "national", "cumulative")]["difference"] > 0
    text = " ".join(compare.summary_sentences(rows, target.label, target.window_source, STEPS))
    assert "the Exchequer gained £" in text and "so there is no net cost" in text


def test_wide_net_spending_is_not_overclaimed(tmp_path):
    # the tax moves with each seed's whole economy: extra tax -3000 to +2500 a quarter swamps
    # the 810 a quarter net of the payments' own tax; the jobs are detectable
    jobs, extra = [100.0, 120.0, 80.0], [-3000.0, 2500.0, 400.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    net = k[("net_spending", "national", "cumulative")]
    tax = k[("tax_revenue", "national", "cumulative")]
    assert net["ci_low"] < 0 < net["ci_high"] and tax["ci_low"] < 0 < tax["ci_high"]
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    # stated (the job effect is detectable), its Fieller CI includes 0 as net spending's does
    assert math.isfinite(c["difference"]) and c["ci_low"] < 0 < c["ci_high"]
    assert c["note"] == (f"{compare.COST_INCLUDES_ZERO}: the 95% CI of net spending includes 0")
    jpm = k[("job_years_per_million_net", "national", "cumulative")]
    assert math.isnan(jpm["ci_low"]) and \
        jpm["note"] == "CI unbounded: the 95% CI of net spending includes 0"
    text = " ".join(compare.summary_sentences(rows, target.label, target.window_source, STEPS))
    # the tax is not said to have been "brought back", and the net figure is said to include 0
    assert "brought back (" not in text
    assert "net of the change in profit tax (" in text and "not told from zero" in text
    assert "which includes zero: the seeds cannot tell whether, net of the tax, the Exchequer " \
        "lost or gained" in text
    assert text.count("includes 0") == 0   # the cost's own note is not repeated in the sentence
    # the league cell says it too
    cell = sweep._cost_cell(c["difference"], c["ci_low"], c["ci_high"], c["note"])
    assert cell.endswith("(cannot be told from zero)")


def test_summary_and_caveat(tmp_path):
    jobs, extra = [100.0, 120.0, 80.0], [50.0, 30.0, 70.0]   # the tax's CI excludes 0
    pairs = _pairs(tmp_path, jobs, extra)
    k, rows, target = _rows(pairs)
    text = compare.summary_sentences(rows, target.label, target.window_source, STEPS)
    # the policy acts throughout: its programme period is the whole run, said first
    assert text[0].startswith("Over the programme period, steps 1 to 12")
    whole = text[0]
    tax, net = k[("tax_revenue", "national", "window")], \
        k[("net_spending", "national", "window")]
    c = k[("net_cost_per_job_year", "national", "window")]
    # after the gross spending and cost, the net figure
    g = whole.index("extra public spending was £12,000, £40 per net job-year nationally")
    n = whole.index(f"net of the profit tax it brought back ({compare.gbp(tax['difference'])}, "
                    f"95% CI {compare.gbp(tax['ci_low'])} to {compare.gbp(tax['ci_high'])}), "
                    f"{compare.gbp(net['difference'])} (95% CI {compare.gbp(net['ci_low'])} to "
                    f"{compare.gbp(net['ci_high'])}), {compare.gbp(c['difference'])} per net "
                    "job-year nationally, 95% CI")
    assert g < n
    md = compare.markdown(rows, "t", compare.notes(pairs, target), text)
    caveat = ("The cost net of tax counts only the model's profit tax on firms: income tax and "
              "National Insurance on the extra jobs' wages")
    assert md.count(caveat) == 1 and "overstates the cost to the Exchequer" in md
    assert any(n.startswith("net of tax: net_spending is, seed by seed, the extra spending less "
                            "the extra profit tax") for n in compare.notes(pairs, target))


# ---------------------------------------------------------------- older run files

@pytest.mark.parametrize("which", ["both", "policy", "baseline"])
def test_run_files_without_tax_revenue(tmp_path, which):
    tax = which == "baseline"          # the policy runs have it only when the baseline lacks it
    base_tax = which == "policy"
    pairs = _pairs(tmp_path, [100.0, 120.0, 80.0], [0.0] * 3, tax=tax, base_tax=base_tax)
    k, rows, target = _rows(pairs)
    assert not target.has_tax
    assert not any(r["outcome"] == "tax_revenue" for r in rows)
    for name in compare.NET_ROWS:
        for m in ("cumulative", "window"):
            r = k.get((name, "national", m))
            if r is None:
                assert m == "window"   # no window rows without a policy period
                continue
            assert math.isnan(r["difference"]) and math.isnan(r["ci_low"]), r
            assert r["note"] == compare.NO_TAX and r["n_seeds"] == 0
    # every gross figure as before
    assert k[("cost_per_job_year", "national", "cumulative")]["difference"] == pytest.approx(
        12000.0 / 300.0, rel=0.2)
    notes = compare.notes(pairs, target)
    assert any(n.startswith(compare.NO_TAX) for n in notes)
    text = " ".join(compare.summary_sentences(rows, target.label, target.window_source, STEPS))
    assert "no figure net of the profit tax can be given: the run files predate " \
        "/timeseries/tax_revenue" in text
    assert compare.NO_TAX == ("no net-of-tax figure: run files without /timeseries/tax_revenue "
                              "(written before it existed)")


def test_compare_command_on_older_files(tmp_path, run_main):
    b, p = str(tmp_path / "b"), str(tmp_path / "p")
    for d in (b, p):
        (tmp_path / d).mkdir()
    for s in (1, 2, 3):
        fakerun.make_run(f"{b}/s{s}.h5", seed=s, tax=False)
        fakerun.make_run(f"{p}/s{s}.h5", seed=s, scenario="tech_city", tax=False,
                         policies=[fakerun.LONDON_SUBSIDY], effects={"London": 100.0},
                         spending_per_step=1000.0)
    r = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "out" / "summary.csv") as f:
        k = {(x["outcome"], x["scope"], x["measure"]): x for x in csv.DictReader(f)}
    net = k[("net_spending", "national", "cumulative")]
    assert net["difference"] == "" and net["note"] == compare.NO_TAX
    assert float(k[("cost_per_job_year", "national", "cumulative")]["difference"]) == \
        pytest.approx(40.0)
    assert "| net_spending | national | cumulative | 1-12 |" in r.stdout
    assert compare.NO_TAX in r.stdout


# ---------------------------------------------------------------- discounting

def test_net_spending_is_discounted_as_spending(tmp_path):
    R = 0.1
    jobs, extra = [100.0, 120.0, 80.0], [50.0, -30.0, 200.0]
    pairs = _pairs(tmp_path, jobs, extra)
    k, rows, _ = _rows(pairs, discount=R)
    w = W(1, STEPS, R)
    d_tax = [w * (0.1 * j + 190.0 + x) for j, x in zip(jobs, extra)]
    tax = k[("tax_revenue", "national", "cumulative")]
    assert tax["difference"] == pytest.approx(np.mean(d_tax))
    per = [w * 1000.0 - t for t in d_tax]
    net = k[("net_spending", "national", "cumulative")]
    assert net["difference"] == pytest.approx(np.mean(per))
    assert (net["ci_low"], net["ci_high"]) == pytest.approx(stats.paired_ci(per)[1:3])
    J = [w * j / 4.0 for j in jobs]
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert c["difference"] == pytest.approx(np.mean(per) / np.mean(J))
    pv = "present value in 2018, discounted at 10% a year"
    assert net["unit"] == f"GBP 2018, total over the run, less the extra profit tax, {pv}"
    assert tax["unit"] == f"GBP 2018, total over the run, {pv}"
    assert c["unit"].endswith("both present values in 2018, discounted at 10% a year")
    # undiscounted it differs: the rate is applied
    plain = _rows(pairs)[0][("net_spending", "national", "cumulative")]
    assert plain["difference"] == pytest.approx(np.mean(_net(jobs, extra)))
    assert net["difference"] < plain["difference"]


# ---------------------------------------------------------------- the demo's reading

def test_demo_reading_mentions_the_net_cost(tmp_path):
    jobs, extra = [100.0, 120.0, 80.0], [50.0, 30.0, 70.0]   # the tax's CI excludes 0
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    text = demo.reading(rows, "London", 3, 3, 0.001)
    line = next(s for s in text.split(". The") if "policy spent £12,000" in s)
    assert "£40 per net job-year nationally" in line
    assert "; net of the profit tax it brought back (£" in line
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert f"{compare.gbp(c['difference'])} per net job-year nationally" in line
    assert "only the model's profit tax" in text
    # older files: one short clause
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra, tax=False))
    text = demo.reading(rows, "London", 3, 3, 0.001)
    assert "no figure net of the profit tax can be given" in text


# ---------------------------------------------------------------- the league table

K = "policies.[0].per_worker"


def _policy(v):
    x = v[K]
    return dict(policies=[dict(fakerun.LONDON_SUBSIDY, per_worker=x)],
                effects={"London": 1000.0 * x}, spending_per_step=1000.0)


def _flat(v):   # spends and changes nothing
    return dict(policies=[fakerun.LONDON_SUBSIDY], effects={}, spending_per_step=500.0)


def test_league_net_cost_columns(tmp_path, run_main):
    d = str(tmp_path / "sw")
    fakerun.make_sweep(d, [("baseline", [], lambda v: {}), ("tech_city", [K], _policy),
                           ("flat", [], _flat)], vary=[(K, [0.1, 0.2])], seeds=(1, 2, 3),
                       steps=STEPS)
    lg = sweep.league(sweep.run_table(d), quiet=True)
    for col in ("net_spending", "net_spending_ci_low", "net_spending_ci_high",
                "net_cost_per_job_year", "net_cost_ci_low", "net_cost_ci_high", "net_note",
                "window_net_spending", "window_net_cost_per_job_year", "window_net_note"):
        assert col in lg.columns and col in sweep.LEAGUE_COLS, col
    top = lg.iloc[0]
    assert top["varied"] == f"{K}=0.2"
    # 200 jobs (output 2000, tax 20 a quarter) and 1000 spent (tax 190): net 790 a quarter
    assert top["net_spending"] == pytest.approx(12 * 790.0)
    assert top["net_cost_per_job_year"] == pytest.approx(12 * 790.0 / 600.0)
    assert top["cost_per_job_year"] == pytest.approx(12000.0 / 600.0)
    # the same figures as compare's for the same pairs
    pairs = runs.pair(runs.load_side([d], "baseline", [("scenario", "baseline")]),
                      runs.load_side([d], "policy", [("scenario", "tech_city"), (K, "0.2")]))
    k, _, _ = _rows(pairs)
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert (top["net_cost_ci_low"], top["net_cost_ci_high"]) == \
        pytest.approx((c["ci_low"], c["ci_high"]))
    flat = lg[lg["scenario"] == "flat"].iloc[0]
    assert bool(flat["changed_nothing"]) and flat["net_spending"] == pytest.approx(12 * 405.0)
    out = tmp_path / "out"
    r = run_main("sweep", d, "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    md = (out / "league.md").read_text()
    whole, period = md.split("## Over each policy's programme period")
    head = "| cost per net job-year (95% CI) | cost per net job-year net of tax (95% CI) |"
    assert head in whole and head in period
    row = next(x for x in whole.splitlines() if x.startswith("| 1 | tech_city |"))
    assert row.endswith(f"| 20 [20, 20] | {compare.fmt(12 * 790.0 / 600.0)} [15.8, 15.8] |")
    assert sweep.CHANGED_NOTHING in md and "and the profit tax on the payments, in every " \
        "seed" in sweep.CHANGED_NOTHING
    assert sweep.CHANGED_NOTHING == ('a scenario marked "(changed nothing)": '
                                     + compare.UNCHANGED + ", so its zeros are exact, not "
                                     "estimates")
    with open(out / "league.csv") as f:
        rows = {x["varied"]: x for x in csv.DictReader(f)}
    assert float(rows[f"{K}=0.2"]["net_spending"]) == pytest.approx(12 * 790.0)


def test_league_on_older_files(tmp_path):
    d = str(tmp_path / "sw")
    fakerun.make_sweep(d, [("baseline", [], lambda v: {"tax": False}),
                           ("tech_city", [K], lambda v: dict(_policy(v), tax=False))],
                       vary=[(K, [0.2])], seeds=(1, 2, 3), steps=STEPS)
    lg = sweep.league(sweep.run_table(d), quiet=True)
    r = lg.iloc[0]
    assert r["cost_per_job_year"] == pytest.approx(20.0)
    assert math.isnan(r["net_cost_per_job_year"]) and r["net_note"] == compare.NO_TAX
    md = sweep.league_markdown(lg, "t")
    assert f"| 20 [20, 20] | {compare.NO_TAX} |" in md
