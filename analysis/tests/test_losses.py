"""What a cost per job leaves out (the economist's finding 1): the summary, the demo's reading
and the league say, where the 95% CI excludes zero, that national output, output per worker or
the mean wage fell (or rose), and where the whole economy's profit tax fell detectably, the cost
per net job-year counting that loss (compare's cost_per_job_year_with_tax_revenue), without
changing the headline cost or the ranking.

The fake economy (fakerun.make_run): London has the lowest output per worker (10) and wage
(5.0) of the twelve regions, so a policy that adds London jobs raises national output (10 a
job a quarter) and lowers national output per worker and the mean wage, by the same amount in
every seed (the runs of a seed share their noise). The profit tax is 0.01 output + 0.19
spending + tax_extra a quarter."""
import math

import pytest

from analysis import compare, demo, stats, sweep
from analysis.tests import fakerun
from analysis.tests.test_net_tax import STEPS, _pairs, _rows, _text

NAN = math.nan


def _row(outcome, measure, diff, lo, hi, n=10, scope="national", note=""):
    return {"outcome": outcome, "scope": scope, "measure": measure, "baseline": 1.0,
            "policy": 1.0, "difference": diff, "ci_low": lo, "ci_high": hi, "percent": NAN,
            "n_seeds": n, "note": note, "steps": {"final": "160", "cumulative": "1-160"}[measure],
            "unit": ""}


def _ccd_rows(**change):
    """city_centre_density against baseline, 10 seeds, over the whole run (the report's figures)."""
    rows = {
        ("employment", "cumulative"): _row("employment", "cumulative", 2.2e6, 2.02e6, 2.38e6),
        ("output", "cumulative"): _row("output", "cumulative", -312e9, -475e9, -150e9),
        ("productivity", "cumulative"): _row("productivity", "cumulative", -99.2, -132.0, -66.0),
        ("mean_wage", "cumulative"): _row("mean_wage", "cumulative", -71.4, -95.6, -47.2),
        ("output", "final"): _row("output", "final", -2.99e9, -6.32e9, 0.35e9),
        ("productivity", "final"): _row("productivity", "final", -161.0, -266.0, -56.7),
        ("mean_wage", "final"): _row("mean_wage", "final", -112.0, -187.0, -36.8),
    }
    for k, v in change.items():
        rows[tuple(k.split("__"))].update(v)
    return list(rows.values())


def test_summary_names_detectable_output_productivity_and_wage_effects():
    text = " ".join(compare.summary_sentences(_ccd_rows(), "city centres", total_steps=160))
    assert ("National output fell by £312 billion (95% CI -£475 billion to -£150 billion), "
            "output per worker fell by £99.2 a quarter on average (95% CI -£132 to -£66) and the "
            "mean wage fell by £71.4 a quarter on average (95% CI -£95.6 to -£47.2).") in text, text
    # at the end of the run: output's CI includes zero, so it is not named
    assert ("At the end of the run (step 160), output per worker was £161 a quarter lower with "
            "the policy than without it (95% CI -£266 to -£56.7) and the mean wage was £112 a "
            "quarter lower (95% CI -£187 to -£36.8).") in text, text
    assert "£2.99 billion" not in text


def test_summary_makes_no_claim_the_interval_does_not_support():
    # output per worker's CI includes zero; the mean wage rose; one seed says nothing
    rows = _ccd_rows(productivity__cumulative=dict(ci_high=10.0),
                     productivity__final=dict(ci_high=5.0),
                     mean_wage__cumulative=dict(difference=30.0, ci_low=10.0, ci_high=50.0))
    text = " ".join(compare.summary_sentences(rows, "X", total_steps=160))
    assert "output per worker fell by" not in text and "output per worker was" not in text
    assert "the mean wage rose by £30 a quarter on average (95% CI +£10 to +£50)" not in text
    assert "the mean wage rose by £30 a quarter on average (95% CI £10 to £50)" in text, text
    one = [dict(r, n_seeds=1, ci_low=NAN, ci_high=NAN) if r["outcome"] != "employment" else r
           for r in _ccd_rows()]
    text = " ".join(compare.summary_sentences(one, "X", total_steps=160))
    assert "National output" not in text and "output per worker" not in text


def test_compare_summary_and_demo_say_what_the_jobs_did_to_output(tmp_path):
    """On runs: London jobs raise national output and lower output per worker and the mean
    wage, all detectably; the summary and the demo's reading say so."""
    k, rows, target = _rows(_pairs(tmp_path, [100.0, 120.0, 80.0], [0.0, 0.0, 0.0]))
    prod = k[("productivity", "national", "cumulative")]
    assert stats.excludes_zero(prod["ci_low"], prod["ci_high"]) and prod["ci_high"] < 0
    text = _text(rows, target)
    assert "national output rose by" in text.lower()
    assert "output per worker fell by" in text and "the mean wage fell by" in text
    assert "At the end of the run (step 12), national output was" in text
    assert "higher with the policy than without it" in text and "output per worker was" in text
    reading = demo.reading(rows, target.label, STEPS / 4, 3, 0.002)
    assert "Over the whole run, national output rose by" in reading, reading
    assert "output per worker fell by" in reading
    assert "At the end of the run (step 12), national output was" in reading


def test_cost_counting_a_detectable_fall_in_profit_tax(tmp_path):
    """The whole economy's profit tax falls by more than the payments bring back: the cost per
    net job-year counting that fall is stated beside the headline one (city_centre_density:
    £5,040 against £2,130), which is unchanged."""
    jobs, extra = [100.0, 120.0, 80.0], [-3000.0, -2900.0, -3100.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    J = [3.0 * j for j in jobs]
    S = [12 * 1000.0] * 3
    dT = [12 * (0.1 * j + 190.0 + x) for j, x in zip(jobs, extra)]
    tax = k[("tax_revenue", "national", "cumulative")]
    assert tax["difference"] == pytest.approx(sum(dT) / 3, rel=1e-6) and tax["ci_high"] < 0
    c = k[(compare.TAX_COST, "national", "cumulative")]
    r, lo, hi, _ = stats.fieller_ci([s - t for s, t in zip(S, dT)], J)
    assert (c["difference"], c["ci_low"], c["ci_high"]) == pytest.approx((r, lo, hi), rel=1e-6)
    g = k[("cost_per_job_year", "national", "cumulative")]
    assert g["difference"] == pytest.approx(12000.0 / 300.0)   # the headline is unchanged
    assert c["difference"] > g["difference"]
    text = _text(rows, target)
    assert (f"the whole economy's profit tax, which is not netted, fell by "
            f"{compare.gbp(-tax['difference'])}") in text
    assert (f"; counting that loss as a cost too, each net job-year cost "
            f"{compare.gbp(r)}, 95% CI {compare.gbp(lo)} to {compare.gbp(hi)}, against "
            f"{compare.gbp(g['difference'])} without it") in text, text
    assert c["unit"] == ("GBP 2018 of extra spending plus the fall in the whole economy's profit "
                         "tax (tax_revenue) per net job-year over the run")


def test_cost_counting_the_tax_not_said_where_the_tax_fall_is_not_detectable(tmp_path):
    k, rows, target = _rows(_pairs(tmp_path, [100.0, 120.0, 80.0], [-3000.0, 2500.0, 400.0]))
    assert k[(compare.TAX_COST, "national", "cumulative")]["n_seeds"] == 3   # the row is there
    assert "counting that loss" not in _text(rows, target)
    # no detectable job effect: no cost counting the tax either, and the headline's reason
    k, rows, target = _rows(_pairs(tmp_path, [10.0, -15.0, 6.0], [-3000.0, -2900.0, -3100.0]))
    c = k[(compare.TAX_COST, "national", "cumulative")]
    assert math.isnan(c["difference"]) and c["note"].startswith(compare.NO_JOB_EFFECT)


K = "policies.[0].per_worker"


def _policy(v):
    return dict(policies=[dict(fakerun.LONDON_SUBSIDY, per_worker=v[K])],
                effects={"London": 1000.0 * v[K]}, spending_per_step=1000.0)


def test_league_flags_detectable_losses_without_reranking(tmp_path, run_main):
    d = str(tmp_path / "sw")
    fakerun.make_sweep(d, [("baseline", [], lambda v: {}), ("tech_city", [K], _policy)],
                       vary=[(K, [0.1, 0.2])], seeds=(1, 2, 3), steps=STEPS)
    lg = sweep.league(sweep.run_table(d), quiet=True)
    assert list(lg["rank"]) == [1, 2]   # ranked by job-years per million, as before
    top = lg.iloc[0]
    assert "output per worker -£" in top["losses"] and "mean wage -£" in top["losses"]
    assert "national output" not in top["losses"]   # it rose
    assert "losses" in sweep.LEAGUE_COLS and "window_losses" in sweep.LEAGUE_COLS
    md = sweep.league_markdown(lg, "t")
    assert "| rank | scenario | varied | seeds | detectable losses (95% CI) |" in md
    row = next(x for x in md.splitlines() if x.startswith("| 1 | tech_city |"))
    assert f"| {top['losses']} |" in row
    assert sweep.LOSSES_NOTE in md


def test_league_losses_cell_names_the_tax_and_its_cost():
    rows = {("output", "national", "cumulative"): _row("output", "cumulative", -312e9, -475e9,
                                                        -150e9),
            ("tax_revenue", "national", "cumulative"): _row("tax_revenue", "cumulative",
                                                             -6.4e9, -11.8e9, -1.03e9),
            (compare.TAX_COST, "national", "cumulative"): _row(compare.TAX_COST, "cumulative",
                                                                5040.0, 2650.0, 7380.0),
            ("mean_wage", "national", "cumulative"): _row("mean_wage", "cumulative", -71.4,
                                                           -95.6, 3.0)}
    nan_row = dict(difference=NAN, ci_low=NAN, ci_high=NAN, n_seeds=0, note="")
    text = sweep.losses_text(lambda k: rows.get(k, nan_row), "cumulative")
    assert text == ("national output -£312 billion [-£475 billion, -£150 billion]; "
                    "whole-economy profit tax -£6.4 billion [-£11.8 billion, -£1.03 billion] "
                    "(cost per net job-year counting it: £5,040 [£2,650, £7,380])"), text


def test_league_losses_cell_names_the_rest_of_the_tax():
    # rd_credits at 20%: the whole economy's tax rose, but by less than the payments' own tax
    rows = {("tax_revenue", "national", "cumulative"): _row("tax_revenue", "cumulative",
                                                             28.5e9, 21.9e9, 35.0e9),
            ("tax_on_payments", "national", "cumulative"): _row("tax_on_payments", "cumulative",
                                                                 46.3e9, 45.5e9, 47.1e9),
            (compare.OTHER_TAX, "national", "cumulative"): _row(compare.OTHER_TAX, "cumulative",
                                                                 -17.8e9, -24.3e9, -11.3e9)}
    nan_row = dict(difference=NAN, ci_low=NAN, ci_high=NAN, n_seeds=0, note="")
    text = sweep.losses_text(lambda k: rows.get(k, nan_row), "cumulative")
    assert text == ("profit tax besides the payments' own (the net figures count more back than "
                    "came) -£17.8 billion [-£24.3 billion, -£11.3 billion]"), text
    # no payments to firms (city_centre_density): the rest is the whole tax, named once
    fell = dict(rows)
    fell[("tax_on_payments", "national", "cumulative")] = _row("tax_on_payments", "cumulative",
                                                               0.0, 0.0, 0.0)
    fell[("tax_revenue", "national", "cumulative")] = _row("tax_revenue", "cumulative", -6.4e9,
                                                           -11.8e9, -1.03e9)
    fell[(compare.OTHER_TAX, "national", "cumulative")] = _row(compare.OTHER_TAX, "cumulative",
                                                               -6.4e9, -11.8e9, -1.03e9)
    text = sweep.losses_text(lambda k: fell.get(k, nan_row), "cumulative")
    assert text.startswith("whole-economy profit tax -£6.4 billion") and "besides" not in text
