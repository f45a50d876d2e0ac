import math
import os

import numpy as np
import pytest

from analysis import compare, runs, stats
from analysis.tests import fakerun


def _rows(tmp_path, **kw):
    b, p = fakerun.make_pair(str(tmp_path), **kw)
    pairs = runs.pair(runs.load_side([b], "baseline"), runs.load_side([p], "policy"))
    rows, target = compare.compare(pairs)
    return {(r["outcome"], r["scope"], r["measure"]): r for r in rows}, target


def test_self_comparison_is_zero(tmp_path):
    # copies of the same runs on both sides (the same files are refused: test_inputs)
    for d in ("a", "b"):
        os.makedirs(tmp_path / d)
        for s in (1, 2, 3):
            fakerun.make_run(str(tmp_path / d / f"b{s}.h5"), seed=s,
                             policies=[fakerun.LONDON_SUBSIDY], spending_per_step=100.0)
    pairs = runs.pair(runs.load_side([str(tmp_path / "a")], "baseline"),
                      runs.load_side([str(tmp_path / "b")], "policy"))
    rows, target = compare.compare(pairs)
    assert target.kind == "regions" and len(rows) > 100
    for r in rows:
        if r["outcome"] in compare.RATIOS:
            # ratios of zero effects are undefined, except output per pound: 0 / spending... but
            # the spending difference is 0 as well
            assert math.isnan(r["difference"]), r
            continue
        assert r["difference"] == 0.0, r
        assert r["ci_low"] == 0.0 and r["ci_high"] == 0.0, r
        assert r["percent"] == 0.0 or math.isnan(r["percent"]), r
        assert r["n_seeds"] == 3


def test_plus_100_jobs_in_london(tmp_path):
    rows, target = _rows(tmp_path)   # +100 jobs in London at steps 1..12, 1000 spent per step
    assert target.kind == "regions" and target.regions == ["London"]
    r = rows[("employment", "national", "final")]
    assert r["difference"] == pytest.approx(100.0)
    assert r["ci_low"] == pytest.approx(100.0) and r["ci_high"] == pytest.approx(100.0)
    assert r["percent"] == pytest.approx(100.0 * 100.0 / r["baseline"])
    # 12 quarters x 100 jobs = 300 job-years
    assert rows[("employment", "national", "cumulative")]["difference"] == pytest.approx(300.0)
    # London productivity is 10, so output +1000 per quarter, 12000 in all
    assert rows[("output", "region London", "final")]["difference"] == pytest.approx(1000.0)
    assert rows[("output", "national", "cumulative")]["difference"] == pytest.approx(12000.0)
    assert rows[("employment", "region Wales", "final")]["difference"] == pytest.approx(0.0)
    assert rows[("spending", "national", "cumulative")]["difference"] == pytest.approx(12000.0)
    # 12000 pounds / 300 job-years = 40; 12000 output / 12000 pounds = 1
    assert rows[("cost_per_job_year", "national", "cumulative")]["difference"] == pytest.approx(40.0)
    assert rows[("output_per_pound", "national", "cumulative")]["difference"] == pytest.approx(1.0)
    assert rows[("employment", "target area", "final")]["difference"] == pytest.approx(100.0)
    assert rows[("employment", "outside target", "final")]["difference"] == pytest.approx(0.0)
    assert rows[("displacement", "target area", "final")]["difference"] == pytest.approx(0.0)
    base_share = rows[("capital_output_share", "national", "final")]
    assert base_share["difference"] > 0


def test_displacement_from_regions(tmp_path):
    rows, _ = _rows(tmp_path, effects={"London": 100.0, "South East": -30.0})
    assert rows[("employment", "national", "final")]["difference"] == pytest.approx(70.0)
    assert rows[("employment", "outside target", "final")]["difference"] == pytest.approx(-30.0)
    assert rows[("displacement", "target area", "final")]["difference"] == pytest.approx(0.3)
    assert rows[("displacement", "target area", "cumulative")]["difference"] == pytest.approx(0.3)
    # 12000 / (70 x 12 / 4 = 210 job-years)
    assert rows[("cost_per_job_year", "national", "cumulative")]["difference"] == \
        pytest.approx(12000.0 / 210.0)


def test_gross_cost_per_target_area_job_year(tmp_path):
    """UK additionality guidance reports the cost per gross local job beside displacement: the
    extra spending per job-year gained in the target area, before the jobs lost elsewhere."""
    rows, target = _rows(tmp_path, effects={"London": 100.0, "South East": -30.0})
    c = rows[(compare.TARGET_COST, "target area", "cumulative")]
    # 12000 pounds / (100 x 12 / 4 = 300 target-area job-years); every seed alike: a zero-width CI
    assert c["difference"] == pytest.approx(40.0) and c["note"] == ""
    assert c["ci_low"] == pytest.approx(40.0) and c["ci_high"] == pytest.approx(40.0)
    assert c["unit"] == "GBP 2018 per gross job-year gained in the target area over the run"
    text = " ".join(compare.summary_sentences(list(rows.values()), target.label,
                                              target.window_source, 12))
    assert "each job-year gained in the target area cost £40 of extra spending" in text
    assert "gross (before the jobs lost elsewhere)" in text


def test_no_gross_target_cost_without_a_detectable_target_gain(tmp_path):
    (tmp_path / "a").mkdir()
    rows, target = _rows(tmp_path / "a", effects={"Wales": 100.0})   # London gains nothing
    c = rows[(compare.TARGET_COST, "target area", "cumulative")]
    assert math.isnan(c["difference"]) and c["note"] == "no detectable gain in the target area"
    text = " ".join(compare.summary_sentences(list(rows.values()), target.label,
                                              target.window_source, 12))
    assert "each job-year gained in the target area" not in text


def test_displacement_from_snapshots_rect(tmp_path):
    pol = dict(fakerun.LONDON_SUBSIDY, area={"rect": [0, 0, 15, 1]})  # London's two rows
    rows, target = _rows(tmp_path, policies=(pol,), effects={"London": 100.0, "South East": -30.0})
    assert target.kind == "cells" and target.mask.sum() == 28
    assert rows[("employment", "target area", "final")]["difference"] == pytest.approx(100.0, rel=1e-5)
    assert rows[("employment", "outside target", "final")]["difference"] == pytest.approx(-30.0, rel=1e-4)
    assert rows[("displacement", "target area", "final")]["difference"] == pytest.approx(0.3, rel=1e-4)


def test_circle_and_city_centres_targets(tmp_path):
    p = str(tmp_path / "p.h5")
    pols = [dict(fakerun.LONDON_SUBSIDY, area={"circle": [7.0, 10.0, 1.0]}),
            dict(fakerun.LONDON_SUBSIDY, name="cc", area="city_centres")]
    fakerun.make_run(p, policies=pols)
    t = compare.target_area(runs.Run(p))
    assert t.kind == "cells" and t.mask.sum() == 5 + 3   # a plus-shaped circle, 3 centre cells


def test_everywhere_has_no_displacement(tmp_path):
    pol = dict(fakerun.LONDON_SUBSIDY, area="everywhere")
    rows, target = _rows(tmp_path, policies=(pol,))
    assert target.kind == "everywhere"
    assert not any(k[0] == "displacement" or k[1] == "target area" for k in rows)


def test_one_seed_has_no_ci(tmp_path):
    rows, _ = _rows(tmp_path, seeds=(7,))
    r = rows[("employment", "national", "final")]
    assert r["difference"] == pytest.approx(100.0) and r["n_seeds"] == 1
    assert math.isnan(r["ci_low"]) and math.isnan(r["ci_high"])
    md = compare.markdown(list(rows.values()), "t")
    assert "One seed" in md


def test_tradable_sectors_from_config(tmp_path):
    p = str(tmp_path / "p.h5")
    fakerun.make_run(p)
    assert runs.Run(p).tradable_sectors() == ["digital", "finance"]
    assert runs.Run(p).cluster_rule() == (2, 1.25, 0.0)
    assert os.path.getsize(p) > 0


def _noisy(tmp_path, effects, spend=None):
    """Baseline and policy runs with a per-seed London job effect; 1000 spent per quarter unless
    spend gives each seed's spending per quarter."""
    pairs = []
    for s, jobs in enumerate(effects, 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s)
        fakerun.make_run(p, seed=s, scenario="tech_city", policies=[fakerun.LONDON_SUBSIDY],
                         effects={"London": jobs},
                         spending_per_step=1000.0 if spend is None else spend[s - 1])
        pairs.append((runs.Run(b), runs.Run(p)))
    rows, _ = compare.compare(pairs)
    return {(r["outcome"], r["scope"], r["measure"]): r for r in rows}


def test_no_detectable_job_effect(tmp_path):
    # job effects +10, -15, +6 jobs: net job-years 30, -45, 18, CI includes zero
    rows = _noisy(tmp_path, [10.0, -15.0, 6.0])
    jobs = rows[("employment", "national", "cumulative")]
    assert jobs["ci_low"] < 0 < jobs["ci_high"]
    cost = rows[("cost_per_job_year", "national", "cumulative")]
    assert cost["note"].startswith(compare.NO_JOB_EFFECT) and math.isnan(cost["difference"])
    assert math.isnan(cost["ci_low"]) and cost["n_seeds"] == 3
    # the finite companion: net job-years per million spent (12000 spent): 2500, -3750, 1500
    jpm = rows[("job_years_per_million", "national", "cumulative")]
    assert jpm["difference"] == pytest.approx((2500 - 3750 + 1500) / 3)
    assert jpm["ci_low"] < 0 < jpm["ci_high"] and jpm["note"] == compare.NO_JOB_EFFECT
    # not "no jobs": how small an effect the seeds cannot tell from zero (the CI's half width)
    # and the cost the data rule out (10^6 / the upper end of job-years per million)
    hw = (jobs["ci_high"] - jobs["ci_low"]) / 2
    bound = 1e6 / jpm["ci_high"]
    assert (f"net effects smaller than about {compare.fmt(hw)} job-years would usually not be "
            "told from zero here (the 95% CI's half width); the data rule out that it bought net "
            f"job-years for less than about £{compare.fmt(bound)} each (net job losses are not "
            "ruled out)") in cost["note"]
    md = compare.markdown(list(rows.values()), "t")
    assert ("| cost_per_job_year | national | cumulative | 1-12 | GBP 2018 per net job-year "
            "over the run | n/a | n/a | no detectable job effect: net effects smaller than about") in md
    # the demo's plain reading says so instead of a cost
    from analysis import demo
    text = demo.reading(list(rows.values()), "London", 3, 3, 0.001)
    assert "no detectable job effect" in text and "no jobs" not in text
    assert f"bought net job-years for less than about £{compare.fmt(bound)} each" in text
    assert f"net effects smaller than about {compare.fmt(hw)} job-years" in text


def test_jobs_lost_gives_no_cost(tmp_path):
    # -100, -120, -80 jobs: the net job-years' CI lies below zero; a negative "cost per job"
    # would read as a bargain, so the cost is blank and the note says jobs were lost
    rows = _noisy(tmp_path, [-100.0, -120.0, -80.0])
    jobs = rows[("employment", "national", "cumulative")]
    assert jobs["ci_high"] < 0
    cost = rows[("cost_per_job_year", "national", "cumulative")]
    assert cost["note"].startswith(compare.JOBS_LOST) and math.isnan(cost["difference"])
    jpm = rows[("job_years_per_million", "national", "cumulative")]
    assert jpm["difference"] < 0 and jpm["note"] == compare.JOBS_LOST
    from analysis import demo
    text = demo.reading(list(rows.values()), "London", 3, 3, 0.001)
    assert "net job-years fell" in text and "per net job-year" not in text


def test_detectable_job_effect_cost_and_ci(tmp_path):
    # +100, +120, +80 jobs: 300, 360, 240 job-years for 12000: 25000, 30000, 20000 per million
    rows = _noisy(tmp_path, [100.0, 120.0, 80.0])
    jpm = rows[("job_years_per_million", "national", "cumulative")]
    assert jpm["difference"] == pytest.approx(25000.0)
    half = stats.t_quantile(0.975, 2) * 5000.0 / math.sqrt(3)
    assert jpm["ci_low"] == pytest.approx(25000.0 - half)
    cost = rows[("cost_per_job_year", "national", "cumulative")]
    # 1e6 / 25000 = 40 per job-year; the CI is the inverse of the per-million interval
    assert cost["difference"] == pytest.approx(40.0) and cost["note"] == ""
    assert cost["ci_low"] == pytest.approx(1e6 / (25000.0 + half))
    assert cost["ci_high"] == pytest.approx(1e6 / (25000.0 - half))
    from analysis import demo
    text = demo.reading(list(rows.values()), "London", 3, 3, 0.001)
    assert "£40 per net job-year nationally (95% CI +" in text
    # fewer than 20 seeds: a pipeline check, not evidence; 20 or more: a caution about the scale
    assert "with 3 seeds" in text and "it is not evidence about the policy" in text
    text = demo.reading(list(rows.values()), "London", 3, 20, 0.002)
    assert "with 20 paired seeds" in text and "at a larger scale" in text
    assert "not evidence" not in text


def test_money_unit_from_attribute(tmp_path):
    p = str(tmp_path / "p.h5")
    fakerun.make_run(p)
    # the engine's money is 2018 pounds: the unit says so (docs/scenarios.md)
    assert compare.money_unit(runs.Run(p)) == "2018 pounds"
    import h5py
    with h5py.File(p, "a") as f:
        f["timeseries/spending"].attrs["units"] = "GBP 2018 per quarter"
    assert compare.money_unit(runs.Run(p)) == "GBP 2018"
    with h5py.File(p, "a") as f:
        f["timeseries/spending"].attrs["units"] = "pounds per step (full scale)"
    assert compare.money_unit(runs.Run(p)) == "2018 pounds (full scale)"


def test_detectable_jobs_with_erratic_spending(tmp_path):
    # 300 job-years in every seed, but 12000, 120 and 60000 spent: the jobs are detectable, the
    # cost is mean spending / mean job-years = 24040 / 300 with Fieller's CI, bounded because
    # its denominator (the job-years) is detectable; job-years per million's Fieller interval is
    # unbounded (the spending's own CI includes 0), so it is left empty and noted
    rows = _noisy(tmp_path, [100.0, 100.0, 100.0], spend=[1000.0, 10.0, 5000.0])
    jpm = rows[("job_years_per_million", "national", "cumulative")]
    assert jpm["difference"] == pytest.approx(1e6 * 300.0 / 24040.0)
    assert math.isnan(jpm["ci_low"]) and jpm["note"] == compare.SPENDING_UNBOUNDED
    cost = rows[("cost_per_job_year", "national", "cumulative")]
    assert cost["difference"] == pytest.approx(24040.0 / 300.0)
    # constant job-years: the spending's paired CI divided by 300; it includes 0 as the
    # spending's does, and the note says so (a negative lower end is not a price)
    _, lo, hi, _ = stats.paired_ci([12000.0, 120.0, 60000.0])
    assert (cost["ci_low"], cost["ci_high"]) == pytest.approx((lo / 300.0, hi / 300.0))
    assert cost["ci_low"] < 0 and cost["note"] == (
        "the cost cannot be told from zero: the 95% CI of extra spending includes 0")
    from analysis import demo
    assert demo.ci_text(jpm).startswith("95% CI unbounded: the 95% CI of extra spending")


def test_job_years_per_million_interval_agrees_with_its_label(tmp_path):
    # net jobs roughly proportional to a varying spend: net job-years' CI includes 0 (t = 2.9
    # with 4 seeds), but the delta method's interval of the ratio excluded 0 (t = 4.3) and
    # read "x [a, b] (no detectable job effect)" with a, b > 0; Fieller's includes 0
    rows = _noisy(tmp_path, [183.3, 96.7, 103.3, 16.7], spend=[1433.0, 567.0, 1433.0, 567.0])
    jobs = rows[("employment", "national", "cumulative")]
    assert jobs["ci_low"] < 0 < jobs["ci_high"]
    jpm = rows[("job_years_per_million", "national", "cumulative")]
    assert jpm["note"] == compare.NO_JOB_EFFECT
    assert jpm["ci_low"] < 0 < jpm["ci_high"], jpm
    J = [3 * x for x in (183.3, 96.7, 103.3, 16.7)]
    S = [12 * x for x in (1433.0, 567.0, 1433.0, 567.0)]
    assert stats.ratio_ci(J, S)[1] > 0   # the old interval excluded 0


def test_cluster_map_without_clusters_has_no_empty_legend(tmp_path, caplog):
    # a map with no cluster must not call legend() on nothing (matplotlib logs the warning "No
    # artists with labels found to put in legend"); it says "no cluster" instead
    import logging
    import warnings

    from analysis import plots
    p = str(tmp_path / "p.h5")
    fakerun.make_run(p)
    run = runs.Run(p)
    run.cluster_rule = lambda: (2, 1e9, 0.0)   # an LQ no cell reaches
    with warnings.catch_warnings(), caplog.at_level(logging.WARNING):
        warnings.simplefilter("error")
        files = plots.cluster_maps([("none", [run])], str(tmp_path))
    assert [os.path.basename(f) for f in files] == ["clusters_digital.png", "clusters_finance.png"]
    assert not [r for r in caplog.records if "legend" in r.getMessage()], caplog.text


def _pairs(tmp_path, effects, spend=1000.0, maps=True, policies=(fakerun.LONDON_SUBSIDY,)):
    """Baseline and policy runs, one pair per seed; effects: one make_run effects dict per seed;
    maps: whether the runs have /maps/employment (True, False, or one flag per run as
    [(baseline, policy)] per seed)."""
    pairs = []
    for s, eff in enumerate(effects, 1):
        mb, mp = maps[s - 1] if isinstance(maps, list) else (maps, maps)
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, maps=mb)
        fakerun.make_run(p, seed=s, scenario="tech_city", policies=list(policies), effects=eff,
                         spending_per_step=spend, maps=mp)
        pairs.append((runs.Run(b), runs.Run(p)))
    return pairs


def _by_key(rows):
    return {(r["outcome"], r["scope"], r["measure"]): r for r in rows}


def test_displacement_is_a_ratio_of_means_over_all_seeds(tmp_path):
    # London gains 100, 5, 120, 110, 90 jobs, the South East loses 90, 30, 100, 95, 80: the
    # mean of per-seed ratios was 1.9 (seed 2's 30 / 5 = 6 dominates); the ratio of means over
    # every seed is 79 / 85, with Fieller's CI
    gain, loss = [100.0, 5.0, 120.0, 110.0, 90.0], [-90.0, -30.0, -100.0, -95.0, -80.0]
    rows = _by_key(compare.compare(_pairs(
        tmp_path, [{"London": g, "South East": x} for g, x in zip(gain, loss)]))[0])
    for m in ("final", "cumulative"):
        d = rows[("displacement", "target area", m)]
        assert d["difference"] == pytest.approx(79.0 / 85.0), d
        assert d["n_seeds"] == 5 and d["note"] == ""
        assert 0 < d["ci_low"] < 79.0 / 85.0 < d["ci_high"] < 2
    text = compare.markdown(list(rows.values()), "t")
    assert "| displacement | target area | cumulative | 1-12 | " in text
    assert "| n/a | n/a | 0.929 |" in text


def test_displacement_undefined_when_the_target_did_not_gain(tmp_path):
    # London +50, -200, +60 (mean -30): the old rule averaged seeds 1 and 3 only and printed a
    # displacement from n = 2 although the target area lost jobs on average
    eff = [{"London": 50.0, "South East": -45.0}, {"London": -200.0, "South East": 100.0},
           {"London": 60.0, "South East": -55.0}]
    rows = _by_key(compare.compare(_pairs(tmp_path, eff))[0])
    d = rows[("displacement", "target area", "cumulative")]
    assert math.isnan(d["difference"]) and math.isnan(d["ci_low"])
    assert d["note"] == "target area did not gain jobs on average" and d["n_seeds"] == 3
    md = compare.markdown(list(rows.values()), "t")
    assert "| n/a | n/a | target area did not gain jobs on average | — |" in md
    from analysis import demo
    text = demo.reading(list(rows.values()), "London", 3, 3, 0.001)
    assert "Displacement (the share of the target area's gain lost elsewhere) is not stated: " \
        "target area did not gain jobs on average" in text
    # a gain whose CI includes 0: not detectable, so not stated either
    eff[1] = {"London": -60.0, "South East": 50.0}
    rows = _by_key(compare.compare(_pairs(tmp_path, eff))[0])
    d = rows[("displacement", "target area", "cumulative")]
    assert math.isnan(d["difference"]) and d["note"].startswith("no detectable target-area gain")


def test_output_per_pound_says_when_the_output_effect_is_not_detectable(tmp_path):
    # job effects +10, -15, +6 in London (output 10 per job): cumulative output's CI includes 0
    rows = _noisy(tmp_path, [10.0, -15.0, 6.0])
    out = rows[("output", "national", "cumulative")]
    assert out["ci_low"] < 0 < out["ci_high"]
    opp = rows[("output_per_pound", "national", "cumulative")]
    assert math.isfinite(opp["difference"]) and opp["note"].startswith(compare.NO_OUTPUT_EFFECT)
    hw = (out["ci_high"] - out["ci_low"]) / 2
    assert (f": output effects smaller than about £{compare.fmt(hw)} would usually not be told "
            f"from zero here; it rules out more than £{compare.fmt(opp['ci_high'])} of output per "
            "pound spent") in opp["note"]
    md = compare.markdown(list(rows.values()), "t")
    assert "(no detectable output effect: output effects smaller than about" in md
    from analysis import demo
    text = demo.reading(list(rows.values()), "London", 3, 3, 0.001)
    assert "Each pound spent changed national output by" in text
    assert "no detectable output effect" in text
    # detectable: no qualifier; lost: said so
    opp = _noisy(tmp_path, [100.0, 120.0, 80.0])[("output_per_pound", "national", "cumulative")]
    assert opp["note"] == ""
    opp = _noisy(tmp_path, [-100.0, -120.0, -80.0])[("output_per_pound", "national", "cumulative")]
    assert opp["note"] == compare.OUTPUT_LOST


def test_policy_that_changed_nothing_is_noted(tmp_path, run_main):
    # the policy spends but moves nothing (picking_winners at small scales): every row reads
    # 0 [0, 0], and the notes say that the runs are equal, not that the effect is estimated 0
    pairs = _pairs(tmp_path, [{}, {}, {}])
    rows, target = compare.compare(pairs)
    assert compare.unchanged(pairs)
    assert compare.UNCHANGED in compare.notes(pairs, target)
    # a zone that changed nothing gets no note on what its announcement does; one that moved
    # jobs does (fakerun's policy: a location subsidy in London)
    assert not any(n.startswith("zones (") for n in compare.notes(pairs, target))
    (tmp_path / "moved").mkdir()
    moved = _pairs(tmp_path / "moved", [{"London": 100.0}] * 3)
    assert any(n.startswith("zones (tech_city): part of their effect is being announced")
               for n in compare.notes(moved, compare.compare(moved)[1]))
    b, p = fakerun.make_pair(str(tmp_path / "cli"), effects={})
    r = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert "- " + compare.UNCHANGED in r.stdout
    assert compare.UNCHANGED in (tmp_path / "out" / "summary.md").read_text()
    from analysis import demo
    text = demo.reading(rows, "London", 3, 3, 0.001, compare.notes(pairs, target))
    assert text.startswith("Note: The policy runs equal the baseline in every outcome but "
                           "spending, R&D spending and the profit tax on the payments, in every "
                           "seed")
    # one seed with an effect is enough to drop the note
    pairs = _pairs(tmp_path, [{}, {"Wales": 1.0}, {}])
    assert not compare.unchanged(pairs)
    assert compare.UNCHANGED not in compare.notes(pairs, compare.compare(pairs)[1])


RECT_LONDON = dict(fakerun.LONDON_SUBSIDY, area={"rect": [0, 0, 15, 1]})  # London's two rows


def _london_job_years(path):
    import h5py
    with h5py.File(path, "r") as f:
        return float(f["regions/employment"][1:, 0].sum()) / 4


def _one_region_run(policies):
    """A stand-in for a run of a 16 x 24 grid, all of it London, with these policies: what
    compare.target_area reads."""
    class R:
        region_map = np.zeros((24, 16), int)
        region_names = map_region_names = ["London"]
        snap_employment = np.zeros((1, 24, 16))
        city_centre = None

        def policies(self):
            return policies
    return R()


@pytest.mark.parametrize("policy, kind, label", [
    ({"type": "university_funding", "universities": ["Newcastle"],
      "area": {"regions": ["London"]}}, "everywhere", "everywhere"),
    ({"type": "transport_link", "area": {"regions": ["London"]}, "from": [3.0, 4.0],
      "to": [12.0, 20.0], "radius": 2.0}, "cells", "link ends (3, 4) and (12, 20) r 2"),
])
def test_an_area_the_engine_does_not_read_is_no_target(policy, kind, label):
    """university_funding and transport_link do not read `area` (clustersim warns of it): compare
    took a London area given to Newcastle's funding for its target, and measured London's gain
    and displacement for money that went to Newcastle."""
    t = compare.target_area(_one_region_run([policy]))
    assert t.kind == kind and t.label == label, (t.kind, t.label)


def test_university_funding_target_is_around_its_universities():
    """University funding acts around the universities it names (knowledge spillover within
    universities.ru, spinouts within half of it): its target is the discs of ru around them,
    so that league and compare measure a local gain and its displacement (it was "everywhere",
    with no local effect reported)."""
    run = _one_region_run([{"type": "university_funding", "universities": ["Newcastle", "Leeds"],
                            "area": {"regions": ["London"]}}])
    run.universities = {"Newcastle": (4, 5), "Leeds": (10, 18), "Bristol": (2, 2)}
    run.config = {"universities": {"ru": 3.0}}
    t = compare.target_area(run)
    assert t.kind == "cells" and t.label == "within r 3 of Newcastle, Leeds", (t.kind, t.label)
    ys, xs = np.indices((24, 16))
    # the cells the spillover reaches: nearer than ru (sim/fields.c skips d >= ru)
    want = ((xs - 4) ** 2 + (ys - 5) ** 2 < 9) | ((xs - 10) ** 2 + (ys - 18) ** 2 < 9)
    assert np.array_equal(t.mask, want)
    # the engine's default reach when the config does not say it
    run.config = {}
    assert compare.target_area(run).label == "within r 12 of Newcastle, Leeds"
    # naming no university of the run's table adds no area: a zone's stays the target
    run.policies = lambda: [{"type": "university_funding", "universities": ["Nowhere"]},
                            {"type": "tax_zone", "area": {"regions": ["London"]}}]
    t = compare.target_area(run)
    assert t.kind == "regions" and t.regions == ["London"], (t.kind, t.label)
    run.policies = lambda: [{"type": "university_funding", "universities": ["Nowhere"]}]
    assert compare.target_area(run).kind == "everywhere"


def test_university_table_read_from_a_run_file(tmp_path):
    """The universities' cells come from the run file's /landscape/universities (name, x, y)."""
    import h5py
    from analysis import runs
    path = tmp_path / "run.h5"
    fakerun.make_run(str(path), seed=1)
    with h5py.File(path, "r+") as f:
        land = f.require_group("landscape")
        if "universities" in land:
            del land["universities"]
        g = land.create_group("universities")
        g.create_dataset("name", data=np.array([b"Leeds", b"York"]))
        g.create_dataset("x", data=np.array([10, 12], np.int32))
        g.create_dataset("y", data=np.array([18, 3], np.int32))
    assert runs.Run(str(path)).universities == {"Leeds": (10, 18), "York": (12, 3)}


def test_zones_of_their_own_area_carry_the_announcement_note():
    """A zone's cell joins eligible firms' relocation choices whatever it pays (MODEL.md 4.7):
    in enterprise_zones_out_of_town that alone gave 83% of the sites' gain, which the cost per
    job credited to the money. Said for zones with an area of their own; not for a zone applied
    everywhere (no cell is added) nor for other policy types."""
    def note(policies):
        return compare.zone_note(_one_region_run(policies))
    text = note([{"type": "location_subsidy", "name": "ez", "area": {"circle": [3, 4, 1.5]}},
                 {"type": "rd_credit", "name": "rd"},
                 {"type": "tax_zone", "name": "iz", "area": {"regions": ["London"]}}])
    assert text.startswith("zones (ez, iz): part of their effect is being announced"), text
    assert "whatever the zone pays" in text and "money and the announcement together" in text
    assert note([{"type": "tax_zone", "name": "all", "area": "everywhere"},
                 {"type": "startup_space", "name": "all2"},
                 {"type": "density_fund", "name": "d", "area": "city_centres"}]) == ""
    many = note([{"type": "location_subsidy", "name": f"z{i}", "area": "city_centres"}
                 for i in range(6)])
    assert many.startswith("zones (z0, z1, z2, z3 and 2 more):"), many


def test_zones_announced_alike_on_both_sides_are_the_money_s_own_part(tmp_path, run_main):
    """The docs' way to the money's own part, the scenario with its amounts at 0 against itself
    as it is, got the note that the cost per job is "that of the money and the announcement
    together": both sides announce the zone, so the differences are the money's own part."""
    zero = dict(fakerun.LONDON_SUBSIDY, per_worker=0.0)
    for d in ("zero", "paid"):
        os.makedirs(tmp_path / d)
    for s in (1, 2, 3):
        fakerun.make_run(str(tmp_path / "zero" / f"z{s}.h5"), seed=s, scenario="tech_city",
                         policies=[zero], effects={"London": 40.0})
        fakerun.make_run(str(tmp_path / "paid" / f"p{s}.h5"), seed=s, scenario="tech_city",
                         policies=[fakerun.LONDON_SUBSIDY], effects={"London": 100.0},
                         spending_per_step=1000.0)
    r = run_main("compare", tmp_path / "zero", "--", tmp_path / "paid", "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert "money and the announcement together" not in r.stdout
    assert "- zones announced alike on both sides (tech_city: the same types, areas, sectors and " \
        "dates in the baseline run)" in r.stdout
    assert "they are the money's own part" in r.stdout and "the cost per job is the money's " \
        "alone" in r.stdout
    # the note as it was where the baseline's zone differs in place, sectors or dates, or has none
    for other in (dict(zero, area={"regions": ["Wales"]}), dict(zero, sectors=["digital"]),
                  dict(zero, start=8)):
        note = compare.zone_note(_one_region_run([fakerun.LONDON_SUBSIDY]),
                                 _one_region_run([other]))
        assert note.startswith("zones (tech_city): part of their effect is being announced") \
            and "money and the announcement together" in note, (other, note)
    assert compare.zone_note(_one_region_run([fakerun.LONDON_SUBSIDY]),
                             _one_region_run([])).startswith("zones (tech_city): part of")
    # only the zones the baseline lacks are named
    iz = {"type": "tax_zone", "name": "iz", "area": {"circle": [3, 4, 1.5]}}
    note = compare.zone_note(_one_region_run([fakerun.LONDON_SUBSIDY, iz]),
                             _one_region_run([zero]))
    assert note.startswith("zones (iz): part of their effect"), note
    # another policy type on one side: its difference is not the money's, so only that the
    # announcement is not in the differences
    note = compare.zone_note(_one_region_run([fakerun.LONDON_SUBSIDY, {"type": "rd_credit"}]),
                             _one_region_run([zero]))
    assert note.startswith("zones announced alike") and "money's own part" not in note, note
    # a zone of the baseline's own: its announcement is in the differences
    note = compare.zone_note(_one_region_run([fakerun.LONDON_SUBSIDY]),
                             _one_region_run([zero, iz]))
    assert note.endswith("not in the differences; that of the baseline's other zones (iz) is"), \
        note
    # defaults written or left out are the same zone
    written = dict(zero, sectors=[], new_entrants_only=False, start=0, end=-1)
    assert "money's own part" in compare.zone_note(_one_region_run([fakerun.LONDON_SUBSIDY]),
                                                   _one_region_run([written]))


def test_target_area_note_says_every_sector_counts():
    """A policy limited to digital firms has target-area rows of every sector's jobs there (the
    per-step data have no sector split): the notes say so and name the policies' sectors."""
    circle = {"circle": [3, 4, 1.5]}
    run = _one_region_run([{"type": "location_subsidy", "name": "tc", "area": circle,
                            "sectors": ["digital"]}])
    target = compare.target_area(run)
    assert compare.sectors_note(run, target) == (
        "the target area's rows count the jobs of every sector in it, not only of the sector the "
        "policies are limited to (digital)")
    two = _one_region_run([{"type": "location_subsidy", "area": circle, "sectors": ["finance"]},
                           {"type": "tax_zone", "area": circle, "sectors": ["digital", "finance"]}])
    assert compare.sectors_note(two, compare.target_area(two)).endswith(
        "of the sectors the policies are limited to (finance, digital)")
    # a policy of the area for every sector (a type that does not read `sectors` is): nothing
    # to say
    for pols in ([{"type": "location_subsidy", "area": circle, "sectors": []}],
                 [{"type": "location_subsidy", "area": circle, "sectors": ["digital"]},
                  {"type": "tax_zone", "area": circle}],
                 [{"type": "density_fund", "area": circle, "sectors": ["digital"]}]):
        r = _one_region_run(pols)
        assert compare.sectors_note(r, compare.target_area(r)) == ""


def test_target_area_line_of_the_notes_names_the_sector_limit(tmp_path):
    pairs = _pairs(tmp_path, [{"London": 100.0}] * 2,
                   policies=(dict(fakerun.LONDON_SUBSIDY, sectors=["digital"]),))
    rows, target = compare.compare(pairs)
    notes = compare.notes(pairs, target)
    at = notes.index("target area: London")   # as it was: the demo reads the name from it
    assert notes[at + 1] == ("the target area's rows count the jobs of every sector in it, not "
                             "only of the sector the policies are limited to (digital)")


def test_transport_link_target_is_its_ends_catchment():
    """A transport link acts where it reaches: its target area is the discs of `radius` around
    its two ends, so that displacement is defined (it was "everywhere")."""
    t = compare.target_area(_one_region_run([{"type": "transport_link", "area": "everywhere",
                                              "from": [3.0, 4.0], "to": [12.0, 20.0],
                                              "radius": 2.0}]))
    assert t.kind == "cells" and t.label == "link ends (3, 4) and (12, 20) r 2"
    ys, xs = np.nonzero(t.mask)
    assert t.mask.sum() == 2 * 13   # two discs of radius 2: 13 cells each
    assert all(min((x - 3) ** 2 + (y - 4) ** 2, (x - 12) ** 2 + (y - 20) ** 2) <= 4
               for x, y in zip(xs, ys))


def test_transport_link_target_floors_fractional_ends_as_the_engine_does():
    """The engine floors a link's ends to their cells (sim/policies.c: ax = (int)floor(from_x)),
    and its catchment is the discs of `radius` around those cells: compare's target area is the
    same cells. It drew the discs around the unfloored ends, so with ends at (3.7, 4.7) and
    (12.7, 20.7) it counted cells where the link does not act and missed some where it does."""
    t = compare.target_area(_one_region_run([{"type": "transport_link", "from": [3.7, 4.7],
                                              "to": [12.7, 20.7], "radius": 2.0}]))
    ys, xs = np.indices((24, 16))
    engine = ((xs - 3) ** 2 + (ys - 4) ** 2 <= 4) | ((xs - 12) ** 2 + (ys - 20) ** 2 <= 4)
    assert t.kind == "cells"
    assert np.array_equal(t.mask, engine), (int(t.mask.sum()), int(engine.sum()))
    assert t.label == "link ends (3, 4) and (12, 20) r 2"


def test_few_agents_in_the_target_area_warned():
    class Run:
        scale = 0.002
        snap_employment = np.full((2, 4, 4), 100_000.0)   # 200 sampled jobs a cell

    class T:
        mask = np.zeros((4, 4), bool)
    T.mask[0, :3] = True                                  # 600 sampled jobs
    note = compare.few_agents_note(Run(), T())
    assert note.startswith("the target area holds about 600 sampled jobs at the start (scale "
                           "0.002, each standing for 500 real ones)")
    T.mask[:3, :] = True                                  # 2,400: enough
    assert compare.few_agents_note(Run(), T()) == ""


def test_target_area_from_maps_is_exact(tmp_path):
    # /maps/employment holds every step: the rect's job-years equal London's exactly, where
    # interpolating between snapshots every 4 steps misses the steps' noise
    pairs = _pairs(tmp_path, [{"London": 100.0}] * 3, policies=(RECT_LONDON,))
    rows, target = compare.compare(pairs)
    assert target.kind == "cells" and target.exact
    want = sum(_london_job_years(b.path) for b, _ in pairs) / 3
    got = _by_key(rows)[("employment", "target area", "cumulative")]
    assert got["baseline"] == pytest.approx(want, rel=1e-6)
    assert got["difference"] == pytest.approx(300.0, rel=1e-5)
    notes = compare.notes(pairs, target)
    assert "target-area employment comes from /maps/employment (every step)" in notes
    assert not any("interpolated" in n for n in notes)


def test_target_area_without_maps_is_interpolated_and_says_so(tmp_path):
    # an older engine's runs (no /maps/employment), or a pair where one run lacks it: every run
    # falls back to the snapshots, so no paired difference mixes exact and interpolated figures
    for maps in (False, [(True, True), (True, False), (True, True)]):
        pairs = _pairs(tmp_path, [{"London": 100.0}] * 3, policies=(RECT_LONDON,), maps=maps)
        rows, target = compare.compare(pairs)
        assert target.exact is False
        want = sum(_london_job_years(b.path) for b, _ in pairs) / 3
        got = _by_key(rows)[("employment", "target area", "cumulative")]["baseline"]
        assert got != pytest.approx(want, rel=1e-6)
        assert ("target-area figures interpolated between map snapshots every 4 steps; rerun "
                "with a current clustersim for exact ones (/maps/employment)"
                in compare.notes(pairs, target))


def test_maps_with_the_wrong_shape_are_refused(tmp_path):
    import h5py
    p = str(tmp_path / "p.h5")
    fakerun.make_run(p, maps=True)
    with h5py.File(p, "a") as f:
        del f["maps/employment"]
        f["maps"].create_dataset("employment", data=np.zeros((3, 24, 16), np.float32))
    with pytest.raises(runs.AnalysisError, match="/maps/employment has shape"):
        runs.Run(p)


# ---------------------------------------------------------------- programme-period window

def _window_pairs(tmp_path, jobs, start=8, end=16, steps=40, maps=True, extra=None):
    """A subsidy active at steps start..end-1 (its config says so) that adds jobs[i] London jobs
    in seed i+1 while active, and 1000 pounds per step; extra: per-seed job noise over the whole
    run (a long tail that dilutes the whole-run figures)."""
    pol = dict(fakerun.LONDON_SUBSIDY, start=start, end=end)
    pairs = []
    for s, j in enumerate(jobs, 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, steps=steps, maps=maps)
        fakerun.make_run(p, seed=s, steps=steps, scenario="tech_city", policies=[pol],
                         effects={"London": j}, spending_per_step=1000.0, maps=maps,
                         active=(start, end))
        if extra is not None:   # noise after the programme period, in the policy run only
            import h5py
            with h5py.File(p, "a") as f:
                e = f["timeseries/employment"][()]
                e[end + 20:] += extra[s - 1]
                f["timeseries/employment"][...] = e
        pairs.append((runs.Run(b), runs.Run(p)))
    return pairs


def test_programme_window_from_the_policies():
    class R:
        steps = 160

        def __init__(self, pols, t_plan=None):
            self._p = pols
            self.config = {} if t_plan is None else {"firms": {"t_plan": t_plan}}

        def policies(self):
            return self._p
    tc = {"type": "location_subsidy", "start": 8, "end": 48}
    assert compare.programme_window(R([tc])) == (8, 68)          # 20 steps after the end
    assert compare.programme_window(R([dict(tc, end=150)])) == (8, 161)   # clipped to the run
    assert compare.programme_window(R([dict(tc, end=-1)])) == (8, 161)    # no end: run's end
    # several policies: from the earliest start to 20 steps after the latest end
    assert compare.programme_window(R([tc, dict(tc, start=20, end=60)])) == (8, 80)
    # a transport link's end stops spending, not the link: to the run's end
    assert compare.programme_window(R([{"type": "transport_link", "start": 4, "end": 24}])) == \
        (4, 161)
    assert compare.programme_window(R([dict(tc, start=0, end=4)])) == (1, 24)  # step 0 = state
    assert compare.programme_window(R([dict(tc, start=8, end=8)])) is None     # never acts
    assert compare.programme_window(R([dict(tc, start=0, end=1)])) is None     # nor this one
    assert compare.programme_window(R([])) is None
    # firms hear of a policy t_plan steps ahead and may move before it starts
    assert compare.programme_window(R([dict(tc, start=30)], t_plan=20)) == (10, 68)
    assert compare.programme_window(R([tc], t_plan=20)) == (1, 68)
    # a stop-go cycle: 20 steps after its last on-step before its end (12 on, 12 off from 4:
    # on 4-15, 28-39, 52-63, 76-87, then off to 99; end 100)
    assert compare.programme_window(R([dict(tc, start=4, end=100, cycle=[12, 12])])) == \
        (4, 108)
    assert compare.window_text((8, 68)) == "steps 8 to 67 (2020 Q1 to 2034 Q4)"
    assert compare.parse_window("8:48", 160) == (8, 48)
    assert compare.parse_window("8:", 160) == (8, 161)
    for bad in ("0:10", "10:5", "8:200", "x", "8-48"):
        with pytest.raises(runs.AnalysisError):
            compare.parse_window(bad, 160)
    # calendar years for steps: the error says what they are in steps
    with pytest.raises(runs.AnalysisError, match=r"so 2019:2029 in years is 4:44$"):
        compare.parse_window("2019:2029", 160)
    with pytest.raises(runs.AnalysisError) as e:
        compare.parse_window("8:200", 160)
    assert "in years" not in str(e.value)
    # a suggestion is itself a window the runs take, or says there is none
    with pytest.raises(runs.AnalysisError, match=r"so 2018:2020 in years is 1:8 within the runs$"):
        compare.parse_window("2018:2020", 160)
    with pytest.raises(runs.AnalysisError, match=r"is 128:161 within the runs$"):
        compare.parse_window("2050:2070", 160)
    with pytest.raises(runs.AnalysisError, match=r"lies outside the runs \(steps 1 to 160\)$"):
        compare.parse_window("2070:2080", 160)


def test_window_rows_report_the_programme_period(tmp_path):
    # +100, +120, +80 London jobs at steps 8..15: 200, 240, 160 job-years, 8000 spent, and
    # noise of +-3000 jobs per seed from step 36 on dilutes the whole run
    pairs = _window_pairs(tmp_path, [100.0, 120.0, 80.0], extra=[3000.0, -2500.0, -400.0])
    rows, target = compare.compare(pairs)
    k = _by_key(rows)
    assert target.window == (8, 36)
    w = k[("employment", "national", "window")]
    assert w["difference"] == pytest.approx(200.0) and w["steps"] == "8-35"
    assert w["unit"] == "job-years" and w["ci_low"] > 0
    assert k[("employment", "target area", "window")]["difference"] == pytest.approx(200.0)
    assert k[("spending", "national", "window")]["difference"] == pytest.approx(8000.0)
    c = k[("cost_per_job_year", "national", "window")]
    assert c["difference"] == pytest.approx(40.0) and c["note"] == ""
    assert k[("job_years_per_million", "national", "window")]["difference"] == \
        pytest.approx(25000.0)
    assert k[("displacement", "target area", "window")]["difference"] == pytest.approx(0.0)
    # the whole run is diluted by the noise: not detectable there
    cum = k[("employment", "national", "cumulative")]
    assert cum["ci_low"] < 0 < cum["ci_high"] and cum["steps"] == "1-40"
    # the summary leads with the programme period and says which steps
    text = compare.summary_sentences(rows, target.label, target.window_source, 40)
    assert text[0].startswith("Over the programme period, steps 8 to 35 (2020 Q1 to 2026 Q4), "
                              "from when firms hear of the policies (firms.t_plan steps before they start) to 5 years after they last act")
    assert "national net employment changed by +200 job-years" in text[0]
    assert "£40 per net job-year" in text[0]
    assert text[1].startswith("Over the whole run (steps 1 to 40, 10 years)")
    assert "would usually not be told from zero here" in text[1]
    md = compare.markdown(rows, "t", compare.notes(pairs, target), text)
    assert md.index("## Summary") < md.index("## National")
    assert "programme period (measure `window`): steps 8 to 35 (2020 Q1 to 2026 Q4)" in md
    assert "| employment | national | window | 8-35 | job-years |" in md
    for c in compare.CAVEATS:
        assert c[0].upper() + c[1:] in md
    from analysis import demo
    reading = demo.reading(rows, target.label, 10, 3, 0.002)
    # after the take-away (from the same programme period), the figures open with it
    head, body = reading.split("\n\n")[:2]
    assert head.startswith("In short:") and "over the programme period" in head, head
    assert body.startswith("Over the programme period, steps 8 to 35")
    assert "frictional unemployment" in reading and "seed uncertainty only" in reading


def test_compare_window_option(tmp_path, run_main):
    pairs = _window_pairs(tmp_path, [100.0, 120.0, 80.0])
    out = tmp_path / "out"
    base = [str(tmp_path / f"b{s}.h5") for s in (1, 2, 3)]
    pol = [str(tmp_path / f"p{s}.h5") for s in (1, 2, 3)]
    r = run_main("compare", *base, "--", *pol, "--window", "8:12", "-o", out)
    assert r.returncode == 0, r.stderr
    import csv
    with open(out / "summary.csv") as f:
        k = {(x["outcome"], x["scope"], x["measure"]): x for x in csv.DictReader(f)}
    w = k[("employment", "national", "window")]
    assert w["steps"] == "8-11" and float(w["difference"]) == pytest.approx(100.0)
    assert "chosen with --window" in r.stdout
    r = run_main("compare", *base, "--", *pol, "--window", "30:99", "-o", out)
    assert r.returncode == 2 and "--window 30:99" in r.stderr
    del pairs


def test_summary_rounds_to_three_significant_figures_with_units(tmp_path):
    rows, target = compare.compare(_window_pairs(tmp_path, [123.456, 120.0, 80.0]))
    md = compare.markdown(rows, "t")
    k = _by_key(rows)
    r = k[("employment", "national", "window")]
    assert r["difference"] == pytest.approx((123.456 + 120 + 80) / 3 * 8 / 4)  # CSV: full
    assert f"| {compare.fmt(r['difference'])} |" in md and compare.fmt(215.637) == "216"
    assert compare.fmt(1234567.0) == "1,230,000" and compare.fmt(0.0123456) == "0.0123"
    for row in rows:
        assert row["unit"], row   # every row has a unit
    assert k[("output", "national", "cumulative")]["unit"] == "GBP 2018, total over the run"
    assert k[("spending", "national", "final")]["unit"] == "GBP 2018 per quarter"
    assert k[("employment", "national", "final")]["unit"] == "jobs"


def test_percent_keeps_the_sign_of_the_difference_for_a_negative_baseline(tmp_path):
    """percent is of the baseline's size: a rise of a negative index (an EG index below zero)
    reads +, not - as 100 * difference / baseline had it."""
    import h5py
    b, p = fakerun.make_pair(str(tmp_path), seeds=(1, 2))
    for d, level in ((b, -0.002), (p, -0.001)):
        for f in sorted(os.listdir(d)):
            with h5py.File(os.path.join(d, f), "a") as h:
                ts = h["timeseries/unemployment_rate"]
                ts[...] = np.full(ts.shape, level)
    pairs = runs.pair(runs.load_side([b], "baseline"), runs.load_side([p], "policy"))
    rows, _ = compare.compare(pairs)
    r = next(x for x in rows if x["outcome"] == "unemployment_rate" and x["measure"] == "final")
    assert r["baseline"] == pytest.approx(-0.002) and r["difference"] == pytest.approx(0.001)
    assert r["percent"] == pytest.approx(50.0)


def test_policy_that_never_acts_is_said_so_not_blamed_on_scale(tmp_path, run_main):
    # a policy starting after the runs' last step (or with start >= end) never acts: the notes
    # and a warning say so, not "at this scale the policy changed no ..." (which invites a
    # larger-scale rerun that would change nothing)
    late = dict(fakerun.LONDON_SUBSIDY, start=200, end=240)
    for side, scen, pols in (("A", "baseline", ()), ("B", "tech_city", (late,))):
        os.makedirs(tmp_path / side)
        for s in (1, 2, 3):
            fakerun.make_run(str(tmp_path / side / f"s{s}.h5"), seed=s, steps=40,
                             scenario=scen, policies=pols, active=(200, 240),
                             spending_per_step=1000.0)
    r = run_main("compare", tmp_path / "A", "--", tmp_path / "B", "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    said = "policy tech_city starts at step 200, after the runs' 40 steps, so it never acted"
    assert "analysis: warning: " + said in r.stderr
    md = (tmp_path / "out" / "summary.md").read_text()
    assert said in md
    assert compare.NEVER_ACTED in md
    assert compare.UNCHANGED not in md and "at this scale" not in md
    # start not before end: acts in no step
    os.makedirs(tmp_path / "w")
    pairs = _window_pairs(tmp_path / "w", [0, 0, 0], start=20, end=10, steps=40)
    idle = compare.never_acting(pairs[0][1])
    assert idle == ["policy tech_city acts in no step (its start, step 20, is not before its "
                    "end, step 10), so it never acted in these runs"]
    assert compare.NEVER_ACTED in compare.notes(pairs, compare.compare(pairs)[1])
    # a policy that acts, even once at the last step, is not flagged
    os.makedirs(tmp_path / "x")
    pairs = _window_pairs(tmp_path / "x", [0, 0, 0], start=40, end=41, steps=40)
    assert compare.never_acting(pairs[0][1]) == []


def test_runs_from_different_builds_are_warned_and_recorded(tmp_path, run_main):
    # the two sides' run files differ in git_hash (or software_version): compare warns, as
    # `clustersim sweep --collect` does of mixed builds, and summary.md and summary.csv name
    # each side's build
    import csv

    import h5py
    b, p = fakerun.make_pair(str(tmp_path / "runs"))
    r = run_main("compare", b, "--", p, "-o", tmp_path / "same")
    assert r.returncode == 0, r.stderr
    assert "different builds" not in r.stderr
    md = (tmp_path / "same" / "summary.md").read_text()
    assert "- builds: baseline runs git fake, version 0.0-fake; policy runs git fake, version " \
        "0.0-fake" in md
    for name in os.listdir(p):
        with h5py.File(os.path.join(p, name), "a") as f:
            f.attrs["git_hash"] = "abc1234"
            f.attrs["software_version"] = "0.2.0"
    r = run_main("compare", b, "--", p, "-o", tmp_path / "mixed")
    assert r.returncode == 0, r.stderr
    want = ("the run files come from different builds (baseline runs git fake, version "
            "0.0-fake; policy runs git abc1234, version 0.2.0)")
    assert "analysis: warning: " + want in r.stderr
    assert want in (tmp_path / "mixed" / "summary.md").read_text()
    with open(tmp_path / "mixed" / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    assert {(x["baseline_build"], x["policy_build"]) for x in rows} == \
        {("git fake, version 0.0-fake", "git abc1234, version 0.2.0")}


def test_a_leftover_checkpoint_in_a_run_folder_is_skipped(tmp_path, run_main):
    # an interrupted run leaves OUT.ckpt.h5 (root attribute format "clustersim-checkpoint")
    # beside the finished runs: compare skips it with a one-line note, as it skips sweep files,
    # instead of refusing the whole folder
    import h5py
    b, p = fakerun.make_pair(str(tmp_path / "runs"))
    ckpt = os.path.join(b, "baseline-seed9.ckpt.h5")
    with h5py.File(ckpt, "w") as f:
        f.attrs["format"] = "clustersim-checkpoint"
        f.attrs["seed"] = np.int64(9)
    r = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    notes = [x for x in r.stderr.splitlines() if x.startswith("analysis: ")]
    assert notes == [f"analysis: note: {ckpt}: a checkpoint of an unfinished run, not a run "
                     "file: skipped"]
    assert "seeds 1, 2, 3" in (tmp_path / "out" / "summary.md").read_text()
    # named on its own, it is refused with a plain message that says how to finish it
    r = run_main("compare", ckpt, "--", p, "-o", tmp_path / "out2")
    assert r.returncode == 2
    assert "a checkpoint of an unfinished run, not a run file; finish the run with " \
        "`clustersim resume" in r.stderr


def test_unfinished_run_files_in_a_run_folder_are_named(tmp_path, run_main):
    # an interrupted run's OUT.h5.incomplete and a killed run's OUT.h5.tmp.PID do not end in
    # .h5, so they are not runs; each gets a note saying what it is, so that a seed missing
    # from the comparison has its reason beside it
    import shutil
    b, p = fakerun.make_pair(str(tmp_path / "runs"))
    inc = os.path.join(p, "policy-seed4.h5.incomplete")
    tmp = os.path.join(p, "policy-seed5.h5.tmp.4242")
    shutil.copy(os.path.join(p, "policy-seed1.h5"), inc)
    with open(os.path.join(p, "policy-seed1.h5"), "rb") as f, open(tmp, "wb") as g:
        g.write(f.read(4096))  # cut short, as kill -9 leaves it
    r = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    notes = [x for x in r.stderr.splitlines() if x.startswith("analysis: ")]
    assert notes == [
        f"analysis: note: {inc}: the partial output of an interrupted run (resume it from its "
        "checkpoint): skipped",
        f"analysis: note: {tmp}: the temporary file of a run still running, or killed before "
        "it finished (run it again; the file of a killed run can be deleted): skipped"]
    assert "seeds 1, 2, 3" in (tmp_path / "out" / "summary.md").read_text()
    # named on its own, the temporary file is said to be one (not "damaged": no h5clear)
    r = run_main("show", tmp, "-o", tmp_path / "show")
    assert r.returncode == 2
    assert r.stderr.strip() == (f"analysis: error: {tmp}: the temporary file of a run still "
                                "running, or killed before it finished (run it again; the file "
                                "of a killed run can be deleted)")


def test_non_tradable_sector_has_no_cluster_rows(tmp_path, run_main):
    # local_services (sectors.tradable false in the run files) is spread everywhere: the cluster
    # rule's count for it is noise, so its cluster rows are left out, with a note under the
    # Sectors table; its EG index and the tradable sectors' cluster rows stay
    rows, target = _rows(tmp_path)
    scopes = {(k[0], k[1]) for k in rows}
    for name in ("cluster_count", "largest_cluster_employment", "largest_cluster_x",
                 "largest_cluster_y"):
        assert (name, "sector local_services") not in scopes
        assert (name, "sector digital") in scopes and (name, "sector finance") in scopes
    assert ("eg_index", "sector local_services") in scopes
    assert target.nontradable == ["local_services"]
    b, p = fakerun.make_pair(str(tmp_path / "cli"))
    r = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "out" / "summary.md").read_text()
    sectors = md.split("## Sectors (clusters)")[1].split("\n## ")[0]
    assert "| cluster_count | sector local_services |" not in sectors
    assert "| cluster_count | sector digital |" in sectors
    assert "Note: local_services is a non-tradable sector (sectors.tradable): its cluster rows " \
        "(cluster_count, largest_cluster_employment, largest_cluster_x, largest_cluster_y) are " \
        "left out, being not meaningful" in sectors


def test_target_area_figure_shows_the_difference_over_time(tmp_path, run_main, monkeypatch):
    # a time-limited policy (steps 8 to 15 of 40) is invisible at the last step: the figure
    # plots the target area's employment difference by year, the mean over the paired seeds
    # with the 95% CI of compare's target-area rows (the paired t interval, at every step), and
    # shades the steps the policy acts
    from matplotlib.collections import PolyCollection

    from analysis import plots
    pairs = _window_pairs(tmp_path, [100.0, 130.0, 70.0], start=8, end=16, steps=40)
    rows, target = compare.compare(pairs)
    figs = []
    monkeypatch.setattr(plots, "_save", lambda fig, outdir, name: figs.append(fig) or name)
    assert plots.target_employment(pairs, target, str(tmp_path)) == ["target_employment.png"]
    ax = figs[0].axes[0]
    x, y = ax.lines[0].get_data()
    assert x[0] == 0.0 and x[-1] == 10.0
    assert np.allclose(y[8:16], 100.0) and np.allclose(y[16:], 0.0) and np.allclose(y[:8], 0.0)
    d = [p.ts["employment"] - b.ts["employment"] for b, p in pairs]  # London is the target
    mean, lo, hi, n = stats.paired_ci([v[10] for v in d])
    band = [c for c in ax.collections if isinstance(c, PolyCollection)][0]
    verts = band.get_paths()[0].vertices
    assert any(np.allclose(v, (2.5, hi)) for v in verts) and \
        any(np.allclose(v, (2.5, lo)) for v in verts)
    figs[0].canvas.draw()
    r = figs[0].canvas.get_renderer()
    span = [p for p in ax.patches if p.get_label().startswith("policy active")][0]
    x0, x1 = ax.transData.inverted().transform(span.get_window_extent(r).get_points())[:, 0]
    assert (round(x0, 6), round(x1, 6)) == (2.0, 4.0)
    assert span.get_label() == "policy active (steps 8 to 15)"
    assert "difference in employment (jobs)" == ax.get_ylabel()
    # no target area (a policy everywhere): no figure
    assert plots.target_employment(pairs, compare.Target("everywhere"), str(tmp_path)) == []
    # compare draws it and names it in summary.md
    monkeypatch.undo()
    b, p = fakerun.make_pair(str(tmp_path / "cli"))
    out = run_main("compare", b, "--", p, "-o", tmp_path / "out")
    assert out.returncode == 0, out.stderr
    md = (tmp_path / "out" / "summary.md").read_text()
    assert "![target_employment.png](target_employment.png)" in md
    assert compare.TARGET_FIGURE in md
    assert (tmp_path / "out" / "target_employment.png").stat().st_size > 0


def test_regions_and_sectors_tables_carry_a_multiple_comparisons_note():
    """summary.md gives every region x outcome x measure and every sector row its own 95% CI
    (144 and 50 rows for the presets): a note under each table says how many rows there are,
    how many would exclude zero by chance at 95% and how many do (it was only in the regional
    figure's footnote)."""
    def row(outcome, scope, lo, hi, n=10):
        return dict(zip(compare.COLUMNS, [outcome, scope, "final", 1.0, 1.0, (lo + hi) / 2, lo,
                                          hi, math.nan, n, "", "160", "jobs", "", ""]))
    regions = [row("employment", f"region R{i}", -1.0, 1.0) for i in range(38)] + \
        [row("employment", "region A", 0.5, 2.0), row("output", "region B", -3.0, -1.0)]
    sectors = [row("eg_index", f"sector S{i}", -1.0, 1.0) for i in range(20)]
    md = compare.markdown(regions + sectors + [row("employment", "national", 1.0, 2.0)], "t")
    assert ("Note: 40 rows here, each with its own 95% CI, not adjusted for multiple "
            "comparisons: with no effect anywhere about 2.0 of them would exclude zero by chance "
            "(5%, on average); 2 of the 40 do") in md.split("## Regions")[1].split("## Sectors")[0]
    assert ("Note: 20 rows here, each with its own 95% CI, not adjusted for multiple "
            "comparisons: with no effect anywhere about 1.0 of them would exclude zero by chance "
            "(5%, on average); 0 of the 20 do") in md.split("## Sectors")[1]
    assert md.count("not adjusted for multiple comparisons") == 2   # not under National
    # one seed: no intervals, no note
    one = [dict(r, ci_low=math.nan, ci_high=math.nan, n_seeds=1) for r in regions]
    assert "multiple comparisons" not in compare.markdown(one, "t")


def test_summary_md_of_a_comparison_has_the_note(tmp_path):
    rows, _ = _rows(tmp_path)
    md = compare.markdown(list(rows.values()), "t")
    n = sum(1 for k in rows if k[1].startswith("region "))
    assert f"Note: {n} rows here, each with its own 95% CI, not adjusted for multiple " \
        "comparisons" in md.split("## Regions")[1]


def test_one_scenario_at_two_settings_says_which(tmp_path):
    """rd_credits at 10% against itself at 20% was headed "rd_credits against rd_credits" and
    said nowhere which rate each side had: the title and the notes now name the policy keys that
    differ, with both values; a baseline without policies gets no such line."""
    zero = dict(fakerun.LONDON_SUBSIDY, per_worker=0.0)
    for d in ("zero", "paid", "none"):
        os.makedirs(tmp_path / d)
    for s in (1, 2):
        fakerun.make_run(str(tmp_path / "zero" / f"z{s}.h5"), seed=s, scenario="tech_city",
                         policies=[zero], effects={"London": 40.0})
        fakerun.make_run(str(tmp_path / "paid" / f"p{s}.h5"), seed=s, scenario="tech_city",
                         policies=[fakerun.LONDON_SUBSIDY], effects={"London": 100.0},
                         spending_per_step=1000.0)
        fakerun.make_run(str(tmp_path / "none" / f"n{s}.h5"), seed=s)
    paid = fakerun.LONDON_SUBSIDY["per_worker"]

    def title_notes(base, pol):
        pairs = runs.pair(runs.load_side([str(tmp_path / base)], "baseline"),
                          runs.load_side([str(tmp_path / pol)], "policy"))
        _, target = compare.compare(pairs)
        return compare.title(*pairs[0]), compare.notes(pairs, target)
    title, notes = title_notes("zero", "paid")
    assert title == f"tech_city against tech_city (policies.[0].per_worker {paid!r} against 0.0)"
    assert (f"the two sides' policies differ in policies.[0].per_worker (0.0 in the baseline, "
            f"{paid!r} in the policy runs)") in notes, notes
    title, notes = title_notes("none", "paid")
    assert title == "tech_city against baseline"
    assert not any("policies differ in" in n for n in notes), notes
