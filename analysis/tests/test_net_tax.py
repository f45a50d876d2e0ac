"""Spending net of the profit tax the payments bring back (docs/analysis.md "Net of the profit
tax"): compare's tax_revenue and tax_on_payments outcomes, net_spending (per seed: extra
spending less extra tax on payments, paired by seed), net_cost_per_job_year and
job_years_per_million_net under honest_cost's rules, older run files without
/timeseries/tax_on_payments (with or without tax_revenue), the discount rate, the summary's
words, the demo's reading and the league table's columns.

The fake economy (fakerun.make_run): the profit tax is 0.01 x output + 0.19 x spending
(+ tax_extra at every step >= 1), so with +x London jobs (output 10 a job) and 1000 spent a
quarter a policy run pays 0.1 x + 190 + tax_extra more tax a quarter than its baseline; the
tax on the payments is 0.19 x share x spending (share 1 unless given), 190 a quarter: the net
spending is 810 a quarter whatever the jobs and tax_extra (the whole economy's tax, not
netted)."""
import csv
import math
import re

import numpy as np
import pytest

from analysis import compare, demo, runs, stats, sweep
from analysis.tests import fakerun
from analysis.tests.test_discount import W

STEPS = 12


def _pairs(tmp_path, jobs, tax_extra, spend=1000.0, tax=True, base_tax=None, share=None,
           payments_tax=None, base_payments_tax=None, base_spend=0.0, steps=STEPS):
    """One (baseline, policy) pair per seed: +jobs[i] London jobs, spend (a number, or one per
    seed) a quarter, tax_extra[i] more profit tax a quarter and share[i] of the spending taxed
    as payments in seed i + 1. tax, payments_tax: whether the policy runs have
    /timeseries/tax_revenue and /timeseries/tax_on_payments (base_tax, base_payments_tax: the
    baselines; default the same). base_spend: the baseline's spending a quarter (a dearer
    policy scenario as the "baseline")."""
    n = len(jobs)
    spend = spend if isinstance(spend, (list, tuple)) else [spend] * n
    share = share or [1.0] * n
    pairs = []
    for s, (j, x) in enumerate(zip(jobs, tax_extra), 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, steps=steps, tax=tax if base_tax is None else base_tax,
                         payments_tax=payments_tax if base_payments_tax is None
                         else base_payments_tax, spending_per_step=base_spend,
                         policies=[fakerun.LONDON_SUBSIDY] if base_spend else ())
        fakerun.make_run(p, seed=s, steps=steps, scenario="tech_city",
                         policies=[fakerun.LONDON_SUBSIDY], effects={"London": j},
                         spending_per_step=spend[s - 1], tax=tax, tax_extra=x,
                         payments_tax=payments_tax, payments_share=share[s - 1])
        pairs.append((runs.Run(b), runs.Run(p)))
    return pairs


def _rows(pairs, **kw):
    rows, target = compare.compare(pairs, **kw)
    return {(r["outcome"], r["scope"], r["measure"]): r for r in rows}, rows, target


def _net(share, steps=STEPS, spend=1000.0):
    """Per-seed net spending by hand: steps x spend x (1 - 0.19 share); the jobs and tax_extra
    (the whole economy's tax) do not enter it."""
    return [steps * spend * (1.0 - 0.19 * sh) for sh in share]


def _text(rows, target):
    return " ".join(compare.summary_sentences(rows, target.label, target.window_source, STEPS))


# ---------------------------------------------------------------- the rows

def test_net_spending_is_extra_spending_less_extra_tax_on_payments_per_seed(tmp_path):
    jobs, extra, share = [100.0, 120.0, 80.0], [50.0, -30.0, 200.0], [1.0, 0.9, 0.95]
    k, rows, _ = _rows(_pairs(tmp_path, jobs, extra, share=share))
    # the whole economy's tax is still reported, with its CI, as before
    tax = k[("tax_revenue", "national", "cumulative")]
    d_tax = [STEPS * (0.1 * j + 190.0 + x) for j, x in zip(jobs, extra)]
    assert tax["difference"] == pytest.approx(np.mean(d_tax))
    assert (tax["ci_low"], tax["ci_high"]) == pytest.approx(stats.paired_ci(d_tax)[1:3])
    assert tax["unit"] == "GBP 2018, total over the run"
    fin = k[("tax_revenue", "national", "final")]
    assert fin["difference"] == pytest.approx(np.mean([0.1 * j + 190.0 + x
                                                       for j, x in zip(jobs, extra)]))
    # the payments' own tax: a national outcome summed like spending
    top = k[("tax_on_payments", "national", "cumulative")]
    d_top = [STEPS * 190.0 * sh for sh in share]
    assert top["difference"] == pytest.approx(np.mean(d_top))
    assert (top["ci_low"], top["ci_high"]) == pytest.approx(stats.paired_ci(d_top)[1:3])
    assert top["baseline"] == 0 and top["unit"] == "GBP 2018, total over the run"
    tfin = k[("tax_on_payments", "national", "final")]
    assert tfin["difference"] == pytest.approx(np.mean([190.0 * sh for sh in share]))
    assert tfin["unit"] == "GBP 2018 per quarter"
    net = k[("net_spending", "national", "cumulative")]
    want = _net(share)
    # paired by seed: the mean and the CI of the per-seed nets (not a difference of two CIs)
    mean, lo, hi, n = stats.paired_ci(want)
    assert (net["difference"], net["ci_low"], net["ci_high"], net["n_seeds"]) == \
        pytest.approx((mean, lo, hi, 3))
    assert net["difference"] == pytest.approx(
        k[("spending", "national", "cumulative")]["difference"] - top["difference"])
    assert math.isnan(net["baseline"]) and math.isnan(net["policy"])
    assert net["unit"] == "GBP 2018, total over the run, less the extra profit tax on the payments"
    assert net["note"] == ""
    # the gross rows are untouched
    assert k[("spending", "national", "cumulative")]["difference"] == pytest.approx(12000.0)
    assert k[("cost_per_job_year", "national", "cumulative")]["difference"] == pytest.approx(40.0)
    # and it is reported in the cost section of summary.md
    md = compare.markdown(rows, "t")
    cost_sec = md.split("## Cost and displacement")[1].split("## Target area")[0]
    for name in ("| tax_revenue | national | cumulative |", "| tax_on_payments | national | "
                 "cumulative |", "| net_spending | national |", "| net_cost_per_job_year | "
                 "national |", "| job_years_per_million_net |"):
        assert name in cost_sec, name


def test_the_whole_economy_tax_does_not_enter_the_net(tmp_path):
    # the same seeds but for the whole economy's tax (tax_extra): the same net rows
    jobs = [100.0, 120.0, 80.0]
    (tmp_path / "a").mkdir()
    (tmp_path / "c").mkdir()
    ka = _rows(_pairs(tmp_path / "a", jobs, [0.0] * 3))[0]
    kc = _rows(_pairs(tmp_path / "c", jobs, [-3000.0, 2500.0, 400.0]))[0]
    assert ka[("tax_revenue", "national", "cumulative")]["difference"] != \
        pytest.approx(kc[("tax_revenue", "national", "cumulative")]["difference"])
    for name in compare.NET_ROWS:
        a, c = ka[(name, "national", "cumulative")], kc[(name, "national", "cumulative")]
        for col in ("difference", "ci_low", "ci_high", "note"):
            assert a[col] == c[col] or a[col] == pytest.approx(c[col]), (name, col, a, c)
    # 810 a quarter, in every seed: the interval has zero width
    n = kc[("net_spending", "national", "cumulative")]
    assert n["difference"] == n["ci_low"] == n["ci_high"] == pytest.approx(12 * 810.0)


def test_window_measure_nets_the_tax_over_the_period(tmp_path):
    # a policy paying at steps 8..15: the window (8, 36) holds all of it; 8 quarters of it
    pol = dict(fakerun.LONDON_SUBSIDY, start=8, end=16)
    pairs = []
    for s, (x, sh) in enumerate(zip([40.0, 60.0, 20.0], [1.0, 0.8, 0.9]), 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, steps=40)
        fakerun.make_run(p, seed=s, steps=40, scenario="tech_city", policies=[pol],
                         effects={"London": 100.0}, spending_per_step=1000.0, active=(8, 16),
                         tax_extra=x, payments_share=sh)
        pairs.append((runs.Run(b), runs.Run(p)))
    k, _, target = _rows(pairs)
    assert target.window == (8, 36)
    per = [8 * 1000.0 * (1 - 0.19 * sh) for sh in (1.0, 0.8, 0.9)]
    w = k[("net_spending", "national", "window")]
    assert w["difference"] == pytest.approx(np.mean(per)) and w["steps"] == "8-35"
    assert (w["ci_low"], w["ci_high"]) == pytest.approx(stats.paired_ci(per)[1:3])
    assert k[("tax_revenue", "national", "window")]["unit"] == "GBP 2018, total over the window"
    tw = k[("tax_on_payments", "national", "window")]
    assert tw["unit"] == "GBP 2018, total over the window" and tw["steps"] == "8-35"
    assert tw["difference"] == pytest.approx(8 * 190.0 * 0.9)
    c = k[("net_cost_per_job_year", "national", "window")]
    r, lo, hi, _ = stats.fieller_ci(per, [200.0] * 3)
    assert (c["difference"], c["ci_low"], c["ci_high"]) == pytest.approx((r, lo, hi))


# ---------------------------------------------------------------- honest_cost's rules, net

def test_net_cost_with_a_detectable_job_effect(tmp_path):
    jobs, extra, share = [100.0, 120.0, 80.0], [50.0, -30.0, 200.0], [1.0, 0.9, 0.95]
    k, _, _ = _rows(_pairs(tmp_path, jobs, extra, share=share))
    J = [3.0 * j for j in jobs]   # 12 quarters / 4
    N = _net(share)
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    r, lo, hi, _ = stats.fieller_ci(N, J)
    assert (c["difference"], c["ci_low"], c["ci_high"]) == pytest.approx((r, lo, hi))
    assert c["note"] == "" and c["n_seeds"] == 3
    assert c["difference"] == pytest.approx(np.mean(N) / np.mean(J))   # a ratio of means
    jpm = k[("job_years_per_million_net", "national", "cumulative")]
    r, lo, hi, _ = stats.fieller_ci(J, N)
    assert (jpm["difference"], jpm["ci_low"], jpm["ci_high"]) == \
        pytest.approx((1e6 * r, 1e6 * lo, 1e6 * hi))
    assert c["unit"] == "GBP 2018 of net spending (less the profit tax on the payments) per net " \
        "job-year over the run"
    # net of the payments' tax, each job-year costs less than gross
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
    text = _text(rows, target)
    assert text.count("no cost per job can be stated") == 1
    assert "net of the profit tax the payments themselves bring back (£2,280, 95% CI £2,280 to " \
        "£2,280), £9,720 (95% CI £9,720 to £9,720)" in text
    # and the cost the data rule out, gross and net: the net bound is the net row's, lower
    gross = re.search(r"bought net job-years for less than about (.+?) each",
                      k[("cost_per_job_year", "national", "cumulative")]["note"]).group(1)
    net = re.search(r"bought net job-years for less than about (.+?) each",
                    k[("net_cost_per_job_year", "national", "cumulative")]["note"]).group(1)
    assert f"net job-years for less than about {gross} each" in text
    assert f"; net of that tax the data rule out less than about {net} a net job-year" in text
    assert float(net.strip("£").replace(",", "")) < float(gross.strip("£").replace(",", ""))


def test_net_cost_not_stated_when_jobs_were_lost(tmp_path):
    k, _, _ = _rows(_pairs(tmp_path, [-100.0, -120.0, -80.0], [0.0] * 3))
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert math.isnan(c["difference"]) and c["note"].startswith(compare.JOBS_LOST)
    assert k[("job_years_per_million_net", "national", "cumulative")]["note"] == compare.JOBS_LOST


def test_no_net_cost_against_a_dearer_scenario(tmp_path):
    # a policy scenario against one that spends 2000 a quarter (both pay firms): the policy run
    # spends 1000 a quarter less, and 810 less net of the payments' tax; a negative cost per
    # job-year would read as a price, so both costs are blank with "no net cost"
    jobs = [100.0, 120.0, 80.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, [0.0] * 3, spend=[1000.0, 900.0, 1100.0],
                                   base_spend=2000.0))
    net = k[("net_spending", "national", "cumulative")]
    assert net["ci_high"] < 0
    assert net["difference"] == pytest.approx(np.mean([12 * 0.81 * (x - 2000.0)
                                                       for x in (1000.0, 900.0, 1100.0)]))
    for name, what in ((compare.NET_COST, "net spending"),
                       (("cost_per_job_year", "job_years_per_million"), "extra spending")):
        for n in name:
            r = k[(n, "national", "cumulative")]
            assert math.isnan(r["difference"]) and math.isnan(r["ci_low"]), r
            assert r["note"] == f"{compare.NET_SAVING}: the 95% CI of {what} lies below 0", r
    text = _text(rows, target)
    assert f"{compare.gbp(net['difference'])} (95% CI {compare.gbp(net['ci_low'])} to " \
        f"{compare.gbp(net['ci_high'])}): there is no net cost" in text


def test_whole_economy_tax_noise_is_not_netted_and_not_overclaimed(tmp_path):
    # the whole economy's tax moves by -3000 to +2500 a quarter: once it swamped the net
    # figure; now the net is the spending less the payments' own tax, detectable, and its cost
    # is stated without a "cannot be told from zero" note
    jobs, extra = [100.0, 120.0, 80.0], [-3000.0, 2500.0, 400.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    net = k[("net_spending", "national", "cumulative")]
    tax = k[("tax_revenue", "national", "cumulative")]
    assert tax["ci_low"] < 0 < tax["ci_high"]
    assert net["ci_low"] == net["ci_high"] == pytest.approx(12 * 810.0)
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert c["difference"] == pytest.approx(12 * 810.0 / 300.0) and c["note"] == ""
    assert 0 < c["ci_low"] < c["ci_high"]
    text = _text(rows, target)
    assert "not told from zero" not in text and "whole economy" not in text
    assert "which includes zero" not in text
    cell = sweep._cost_cell(c["difference"], c["ci_low"], c["ci_high"], c["note"])
    assert "cannot be told from zero" not in cell


def test_the_rest_of_the_tax_falling_is_said_and_netted_for_the_exchequer(tmp_path):
    """An R&D credit's extra R&D is deducted from profit: the whole economy's profit tax rises by
    less than the payments' own tax (rd_credits at 20%, 10 seeds: +28.5 against 46.3 billion).
    profit_tax_besides_payments is, per seed, the change in tax_revenue less that in
    tax_on_payments; where it falls detectably the summary says so, and gives the cost per
    net job-year netting the whole economy's tax change instead."""
    jobs, extra = [100.0, 120.0, 80.0], [-150.0, -160.0, -140.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    other = k[(compare.OTHER_TAX, "national", "cumulative")]
    want = [STEPS * (0.1 * j + x) for j, x in zip(jobs, extra)]   # 190 a quarter netted out
    assert (other["difference"], other["ci_low"], other["ci_high"], other["n_seeds"]) == \
        pytest.approx(stats.paired_ci(want))
    assert other["difference"] == pytest.approx(
        k[("tax_revenue", "national", "cumulative")]["difference"] -
        k[("tax_on_payments", "national", "cumulative")]["difference"])
    assert other["unit"] == "GBP 2018, total over the run" and other["ci_high"] < 0
    assert k[("tax_revenue", "national", "cumulative")]["ci_low"] > 0   # the total still rose
    md = compare.markdown(rows, "t")
    assert f"| {compare.OTHER_TAX} | national | cumulative |" in \
        md.split("## Cost and displacement")[1].split("## Target area")[0]
    text = _text(rows, target)
    assert f"the rest of the profit tax fell by {compare.gbp(abs(other['difference']))}" in text
    assert "so less came back than the payments' own tax" in text
    tc = k[(compare.TAX_COST, "national", "cumulative")]
    assert math.isfinite(tc["difference"])
    assert ("netting the whole economy's change in profit tax instead, each net job-year cost "
            f"{compare.gbp(tc['difference'])}") in text
    # the rest of the tax unchanged (but for the jobs' own output): not said
    (tmp_path / "flat").mkdir()
    k2, rows2, target2 = _rows(_pairs(tmp_path / "flat", jobs, [-10.0, 15.0, -5.0]))
    assert k2[(compare.OTHER_TAX, "national", "cumulative")]["ci_low"] < 0 < \
        k2[(compare.OTHER_TAX, "national", "cumulative")]["ci_high"]
    assert "the rest of the profit tax" not in _text(rows2, target2)


def test_wide_net_spending_is_not_overclaimed(tmp_path):
    # the spending itself varies so much between seeds that its CI includes 0: so does the net
    # figure's (net of the payments' tax it is 0.81 of it), and the summary says so
    jobs, spend = [100.0, 120.0, 80.0], [3000.0, -2500.0, 400.0]
    k, rows, target = _rows(_pairs(tmp_path, jobs, [0.0] * 3, spend=spend))
    net = k[("net_spending", "national", "cumulative")]
    assert net["ci_low"] < 0 < net["ci_high"]
    assert net["difference"] == pytest.approx(12 * 0.81 * np.mean(spend))
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    # stated (the job effect is detectable), its Fieller CI includes 0 as net spending's does
    assert math.isfinite(c["difference"]) and c["ci_low"] < 0 < c["ci_high"]
    assert c["note"] == (f"{compare.COST_INCLUDES_ZERO}: the 95% CI of net spending includes 0")
    jpm = k[("job_years_per_million_net", "national", "cumulative")]
    assert math.isnan(jpm["ci_low"]) and \
        jpm["note"] == "CI unbounded: the 95% CI of net spending includes 0"
    text = _text(rows, target)
    assert f"{compare.gbp(net['difference'])} (95% CI {compare.gbp(net['ci_low'])} to " \
        f"{compare.gbp(net['ci_high'])}, which includes zero)" in text
    # the net cost's own note is not repeated after the net figure; the gross cost's is said
    net_part = text[text.index("net of the profit tax the payments"):]
    assert "cannot be told from zero" not in net_part.split(".")[0]
    cell = sweep._cost_cell(c["difference"], c["ci_low"], c["ci_high"], c["note"])
    assert cell.endswith("(cannot be told from zero)")


def test_summary_and_caveat(tmp_path):
    jobs, extra, share = [100.0, 120.0, 80.0], [50.0, 30.0, 70.0], [1.0, 0.9, 0.95]
    pairs = _pairs(tmp_path, jobs, extra, share=share)   # the whole economy's tax: CI > 0
    k, rows, target = _rows(pairs)
    text = compare.summary_sentences(rows, target.label, target.window_source, STEPS)
    # the policy acts throughout: its programme period is the whole run, said first
    assert text[0].startswith("Over the programme period, steps 1 to 12")
    whole = text[0]
    top, net, tax = (k[(n, "national", "window")]
                     for n in ("tax_on_payments", "net_spending", "tax_revenue"))
    assert tax["ci_low"] > 0
    c = k[("net_cost_per_job_year", "national", "window")]
    m = compare.gbp
    # after the gross spending and cost, the net figure, then the whole economy's tax change
    # (its CI excludes 0), said not to be netted
    g = whole.index("extra public spending was £12,000, £40 per net job-year nationally")
    n = whole.index(f"net of the profit tax the payments themselves bring back "
                    f"({m(top['difference'])}, 95% CI {m(top['ci_low'])} to {m(top['ci_high'])}), "
                    f"{m(net['difference'])} (95% CI {m(net['ci_low'])} to {m(net['ci_high'])}), "
                    f"{m(c['difference'])} per net job-year nationally, 95% CI "
                    f"{m(c['ci_low'])} to {m(c['ci_high'])}; the whole economy's profit tax, "
                    f"which is not netted, rose by {m(tax['difference'])} (95% CI "
                    f"{m(tax['ci_low'])} to {m(tax['ci_high'])})")
    assert g < n
    assert "not told from zero: the tax moves" not in " ".join(text)
    md = compare.markdown(rows, "t", compare.notes(pairs, target), text)
    caveat = ("The cost net of tax counts only the model's profit tax, and only its first round: "
              "the tax the payments themselves bring back at once (tax_on_payments); the change "
              "in the whole economy's profit tax is reported (tax_revenue) but not netted")
    assert md.count(caveat) == 1 and "income tax and National Insurance on the extra jobs' " \
        "wages" in md
    assert "overstates the cost to the Exchequer" not in md
    assert any(n.startswith("net of tax: net_spending is, seed by seed, the extra spending less "
                            "the extra profit tax the payments themselves raise "
                            "(/timeseries/tax_on_payments") for n in compare.notes(pairs, target))


# ---------------------------------------------------------------- older run files

@pytest.mark.parametrize("era", ["tax_revenue only", "neither"])
@pytest.mark.parametrize("which", ["both", "policy", "baseline"])
def test_run_files_without_tax_on_payments(tmp_path, which, era):
    # which side lacks the series (its runs are those of an older engine); with "tax_revenue
    # only" every run has /timeseries/tax_revenue (5d2aced-era files) and tax_revenue is kept
    old = dict(tax=era != "neither", payments_tax=False)
    new = dict(tax=True, payments_tax=True)
    pol, base = (old, old) if which == "both" else (old, new) if which == "policy" else (new, old)
    pairs = _pairs(tmp_path, [100.0, 120.0, 80.0], [0.0] * 3, tax=pol["tax"],
                   payments_tax=pol["payments_tax"], base_tax=base["tax"],
                   base_payments_tax=base["payments_tax"])
    k, rows, target = _rows(pairs)
    assert not target.has_payments_tax and target.has_tax == (era != "neither")
    assert not any(r["outcome"] == "tax_on_payments" for r in rows)
    assert any(r["outcome"] == "tax_revenue" for r in rows) == (era != "neither")
    if era != "neither":
        assert k[("tax_revenue", "national", "cumulative")]["difference"] == \
            pytest.approx(12 * 200.0)
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
    assert any("no tax_revenue rows" in n for n in notes) == (era == "neither")
    text = _text(rows, target)
    assert "no figure net of the profit tax can be given: the run files predate " \
        "/timeseries/tax_on_payments" in text
    assert compare.NO_TAX == ("no net-of-tax figure: run files without "
                              "/timeseries/tax_on_payments (written before it existed)")


@pytest.mark.parametrize("tax", [True, False])
def test_compare_command_on_older_files(tmp_path, run_main, tax):
    b, p = str(tmp_path / "b"), str(tmp_path / "p")
    for d in (b, p):
        (tmp_path / d).mkdir()
    for s in (1, 2, 3):
        fakerun.make_run(f"{b}/s{s}.h5", seed=s, tax=tax, payments_tax=False)
        fakerun.make_run(f"{p}/s{s}.h5", seed=s, scenario="tech_city", tax=tax,
                         payments_tax=False, policies=[fakerun.LONDON_SUBSIDY],
                         effects={"London": 100.0}, spending_per_step=1000.0)
    r = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    with open(tmp_path / "out" / "summary.csv") as f:
        k = {(x["outcome"], x["scope"], x["measure"]): x for x in csv.DictReader(f)}
    net = k[("net_spending", "national", "cumulative")]
    assert net["difference"] == "" and net["note"] == compare.NO_TAX
    assert float(k[("cost_per_job_year", "national", "cumulative")]["difference"]) == \
        pytest.approx(40.0)
    assert (("tax_revenue", "national", "cumulative") in k) == tax
    assert ("tax_on_payments", "national", "cumulative") not in k
    assert "| net_spending | national | cumulative | 1-12 |" in r.stdout
    assert compare.NO_TAX in r.stdout


# ---------------------------------------------------------------- discounting

def test_net_spending_is_discounted_as_spending(tmp_path):
    R = 0.1
    jobs, extra, share = [100.0, 120.0, 80.0], [50.0, -30.0, 200.0], [1.0, 0.9, 0.95]
    pairs = _pairs(tmp_path, jobs, extra, share=share)
    k, rows, _ = _rows(pairs, discount=R)
    w = W(1, STEPS, R)
    d_tax = [w * (0.1 * j + 190.0 + x) for j, x in zip(jobs, extra)]
    tax = k[("tax_revenue", "national", "cumulative")]
    assert tax["difference"] == pytest.approx(np.mean(d_tax))
    d_top = [w * 190.0 * sh for sh in share]
    top = k[("tax_on_payments", "national", "cumulative")]
    assert top["difference"] == pytest.approx(np.mean(d_top))
    per = [w * 1000.0 - t for t in d_top]
    net = k[("net_spending", "national", "cumulative")]
    assert net["difference"] == pytest.approx(np.mean(per))
    assert (net["ci_low"], net["ci_high"]) == pytest.approx(stats.paired_ci(per)[1:3])
    J = [w * j / 4.0 for j in jobs]
    c = k[("net_cost_per_job_year", "national", "cumulative")]
    assert c["difference"] == pytest.approx(np.mean(per) / np.mean(J))
    pv = "present value in 2018, discounted at 10% a year"
    assert net["unit"] == ("GBP 2018, total over the run, less the extra profit tax on the "
                           f"payments, {pv}")
    assert tax["unit"] == f"GBP 2018, total over the run, {pv}"
    assert top["unit"] == f"GBP 2018, total over the run, {pv}"
    assert c["unit"].endswith("both present values in 2018, discounted at 10% a year")
    # undiscounted it differs: the rate is applied
    plain = _rows(pairs)[0][("net_spending", "national", "cumulative")]
    assert plain["difference"] == pytest.approx(np.mean(_net(share)))
    assert net["difference"] < plain["difference"]


# ---------------------------------------------------------------- the demo's reading

def test_demo_reading_mentions_the_net_cost(tmp_path):
    jobs, extra = [100.0, 120.0, 80.0], [-3000.0, 2500.0, 400.0]   # a noisy whole-economy tax
    k, rows, target = _rows(_pairs(tmp_path, jobs, extra))
    text = demo.reading(rows, "London", 3, 3, 0.001)
    line = next(s for s in text.split(". The") if "policy spent £12,000" in s)
    assert "£40 per net job-year nationally" in line
    assert "; net of the profit tax the payments themselves bring back (£2,280, 95% CI " \
        "£2,280 to £2,280), £9,720 (95% CI £9,720 to £9,720), £32.4 per net job-year " \
        "nationally" in line
    assert "whole economy" not in line   # its CI includes 0
    assert "only the model's profit tax, and only its first round" in text
    # older files: one short clause
    (tmp_path / "old").mkdir()
    k, rows, target = _rows(_pairs(tmp_path / "old", jobs, extra, payments_tax=False))
    text = demo.reading(rows, "London", 3, 3, 0.001)
    assert "no figure net of the profit tax can be given: the run files predate " \
        "/timeseries/tax_on_payments" in text


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
    # 200 jobs (output 2000, whole-economy tax 20 a quarter, not netted) and 1000 spent (the
    # payments' tax 190): net 810 a quarter
    assert top["net_spending"] == pytest.approx(12 * 810.0)
    assert top["net_cost_per_job_year"] == pytest.approx(12 * 810.0 / 600.0)
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
    head = "| cost per net job-year (95% CI) | cost per net job-year net of tax on payments (95% " \
        "CI) |"
    assert head in whole and head in period
    assert "the extra /timeseries/tax_on_payments" in whole
    row = next(x for x in whole.splitlines() if x.startswith("| 1 | tech_city |"))
    assert row.endswith(f"| 20 [20, 20] | {compare.fmt(12 * 810.0 / 600.0)} [16.2, 16.2] |")
    assert sweep.CHANGED_NOTHING in md and "and the profit tax on the payments, in every " \
        "seed" in sweep.CHANGED_NOTHING
    assert sweep.CHANGED_NOTHING == ('a scenario marked "(changed nothing)": '
                                     + compare.UNCHANGED + ", so its zeros are exact, not "
                                     "estimates")
    with open(out / "league.csv") as f:
        rows = {x["varied"]: x for x in csv.DictReader(f)}
    assert float(rows[f"{K}=0.2"]["net_spending"]) == pytest.approx(12 * 810.0)
    # the pieces of the net figure are columns too: the extra spending, the payments' own tax
    # (netted) and the whole economy's change in profit tax (reported, not netted)
    r2 = rows[f"{K}=0.2"]
    assert float(r2["spending"]) == pytest.approx(12 * 1000.0)
    assert float(r2["tax_on_payments"]) == pytest.approx(12 * 190.0)
    # (all the profit tax firms paid: the payments' 190 and the extra output's 20 a quarter)
    assert float(r2["tax_revenue"]) == pytest.approx(12 * 210.0)
    assert float(r2["spending"]) - float(r2["tax_on_payments"]) == \
        pytest.approx(float(r2["net_spending"]))
    for col in ("spending_ci_low", "tax_on_payments_ci_high", "tax_revenue_ci_low",
                "window_tax_on_payments", "window_tax_revenue_ci_high"):
        assert col in r2, col
    assert float(r2["window_tax_on_payments"]) == pytest.approx(float(r2["tax_on_payments"]))


@pytest.mark.parametrize("tax", [True, False])
def test_league_on_older_files(tmp_path, tax):
    d = str(tmp_path / "sw")
    old = dict(tax=tax, payments_tax=False)
    fakerun.make_sweep(d, [("baseline", [], lambda v: dict(old)),
                           ("tech_city", [K], lambda v: dict(_policy(v), **old))],
                       vary=[(K, [0.2])], seeds=(1, 2, 3), steps=STEPS)
    lg = sweep.league(sweep.run_table(d), quiet=True)
    r = lg.iloc[0]
    assert r["cost_per_job_year"] == pytest.approx(20.0)
    assert math.isnan(r["net_cost_per_job_year"]) and r["net_note"] == compare.NO_TAX
    md = sweep.league_markdown(lg, "t")
    assert f"| 20 [20, 20] | {compare.NO_TAX} |" in md
