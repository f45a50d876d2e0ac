"""Discounting of compare's and the league's totals (--discount-rate, docs/analysis.md
"Discounting"): step t of a cumulative or window sum weighs (1 + R)^(-t/4), a present value at
step 0 (2018), for job-years as for pounds; R = 0 leaves every figure exactly as it was."""
import csv
import math

import h5py
import numpy as np
import pytest

from analysis import compare, runs, stats, sweep
from analysis.tests import fakerun
from analysis.tests.test_compare import _by_key, _window_pairs

R = 0.10     # a rate whose factors are easy to write down: 1.1^(-t/4)
STEPS = 12


def w(t, rate=R):
    """The hand-computed weight of step t."""
    return (1.0 + rate) ** (-t / 4.0)


def W(t0, t1, rate=R):
    """Sum of the weights of steps t0..t1 (inclusive)."""
    return sum(w(t, rate) for t in range(t0, t1 + 1))


# ---------------------------------------------------------------- the weights

def test_weights_by_hand():
    f = compare.discount_factors(9, R)
    assert f == pytest.approx([1.1 ** (-t / 4) for t in range(9)], rel=1e-14)
    assert f[4] == pytest.approx(1 / 1.1) and f[0] == 1.0   # a year later: 1/1.1; step 0: 1
    ones = np.ones(9)
    # a constant series of 1 over steps 1..8: the sum of 1.1^(-t/4), t = 1..8 (step 0 left out)
    assert compare._cum(ones, "sum", f) == pytest.approx(sum(1.1 ** (-t / 4) for t in range(1, 9)))
    assert compare._cum(ones, "years", f) == pytest.approx(W(1, 8) / 4)   # job-years: / 4
    assert compare._cum(ones, "sum", f) < 8.0
    # an average over the run is not a total: not discounted
    s = np.arange(9.0)
    assert compare._cum(s, "mean", f) == compare._cum(s, "mean") == pytest.approx(4.5)
    # a window's steps keep their own dates: steps 3..5 weigh 1.1^(-3/4) .. 1.1^(-5/4)
    assert compare._cum_window(ones, "sum", (3, 6), f) == pytest.approx(W(3, 5))
    # a quarter's factor is (1 + R)^(-1/4), not 1 / (1 + R/4)
    assert f[1] == pytest.approx(1.1 ** -0.25) and f[1] != pytest.approx(1 / 1.025)


def test_green_book_schedule():
    f = compare.discount_factors(4 * 130 + 1, compare.GREEN_BOOK)
    assert f[4] == pytest.approx(1 / 1.035)                       # 3.5% in the first 30 years
    assert f[120] == pytest.approx(1.035 ** -30)
    assert f[124] == pytest.approx(1.035 ** -30 / 1.03)            # 3% from year 31
    assert f[300] == pytest.approx(1.035 ** -30 * 1.03 ** -45)     # to year 75
    assert f[304] == pytest.approx(1.035 ** -30 * 1.03 ** -45 / 1.025)   # then 2.5%
    assert f[2] == pytest.approx(1.035 ** -0.5)
    assert np.all(np.diff(f) < 0)
    assert compare.parse_discount("green-book") == compare.GREEN_BOOK
    assert "declining" in compare.discount_words(compare.GREEN_BOOK)


def test_zero_rate_is_undiscounted():
    assert compare.discount_factors(10, 0.0) is None
    assert compare.discount_factors(10, 0) is None
    assert not compare.discounted(0.0) and compare.discounted(0.035)
    assert compare.discount_words(0.0) == ""
    s = np.arange(13.0) * 1.37
    assert compare._cum(s, "years", None) == s[1:].sum() / 4


def test_parse_discount():
    assert compare.parse_discount("0.035") == 0.035
    assert compare.parse_discount("0") == 0.0
    assert compare.parse_discount(" 0.1 ") == 0.1
    for bad, why in (("-0.01", "cannot be negative"), ("1", "give 0.035, not 3.5"),
                     ("3.5", "350% a year"), ("abc", "not a number"), ("nan", "not a number"),
                     ("inf", "not a number"), ("", "not a number"), ("3.5%", "not a number")):
        with pytest.raises(runs.AnalysisError, match="--discount-rate") as e:
            compare.parse_discount(bad)
        assert why in str(e.value), (bad, str(e.value))


# ---------------------------------------------------------------- compare

def _profile_pairs(tmp_path, scale=(1.0, 1.2, 0.8), spend_steps=(1, 4), se_from=7):
    """One (baseline, policy) pair per seed, with effects of different timing, so that a ratio
    of discounted sums differs from the undiscounted one: in seed i the policy adds 100 k_i
    London jobs at every step >= 1 (k = scale[i]) and removes 30 k_i South East jobs from step
    se_from on; it spends 1000 a quarter only in steps spend_steps (inclusive)."""
    pairs = []
    L, SE = fakerun.REGIONS.index("London"), fakerun.REGIONS.index("South East")
    prod = 10.0 + 0.5 * np.arange(12)
    for s, k in enumerate(scale, 1):
        b, p = str(tmp_path / f"b{s}.h5"), str(tmp_path / f"p{s}.h5")
        fakerun.make_run(b, seed=s, steps=STEPS)
        fakerun.make_run(p, seed=s, steps=STEPS, scenario="tech_city",
                         policies=[fakerun.LONDON_SUBSIDY])
        d = np.zeros((STEPS + 1, 12))
        d[1:, L] = 100.0 * k
        d[se_from:, SE] = -30.0 * k
        spend = np.zeros(STEPS + 1)
        spend[spend_steps[0]:spend_steps[1] + 1] = 1000.0
        with h5py.File(p, "a") as f:
            f["regions/employment"][...] = f["regions/employment"][()] + d
            f["regions/output"][...] = f["regions/output"][()] + d * prod
            f["timeseries/employment"][...] = f["timeseries/employment"][()] + d.sum(1)
            f["timeseries/output"][...] = f["timeseries/output"][()] + (d * prod).sum(1)
            f["timeseries/spending"][...] = spend
        pairs.append((runs.Run(b), runs.Run(p)))
    return pairs


def test_discounted_totals_and_ratios_by_hand(tmp_path):
    scale = (1.0, 1.2, 0.8)
    pairs = _profile_pairs(tmp_path, scale)
    k = _by_key(compare.compare(pairs, discount=R)[0])
    # per seed: net jobs 100 k at steps 1-6, 70 k from step 7
    jobs = [k_ * (100 * W(1, 6) + 70 * W(7, STEPS)) / 4 for k_ in scale]
    spent = 1000 * W(1, 4)
    out = [k_ * (1000 * W(1, STEPS) - 30 * 10.5 * W(7, STEPS)) for k_ in scale]
    row = k[("employment", "national", "cumulative")]
    assert row["difference"] == pytest.approx(np.mean(jobs))
    # the CI machinery is that of the per-seed discounted differences
    _, lo, hi, n = stats.paired_ci(jobs)
    assert (row["ci_low"], row["ci_high"], row["n_seeds"]) == pytest.approx((lo, hi, 3))
    assert k[("spending", "national", "cumulative")]["difference"] == pytest.approx(spent)
    assert k[("output", "national", "cumulative")]["difference"] == pytest.approx(np.mean(out))
    # the baseline and policy columns are discounted too
    b = k[("employment", "national", "cumulative")]["baseline"]
    wts = compare.discount_factors(STEPS + 1, R)
    assert b == pytest.approx(np.mean([(x.series("employment")[1:] * wts[1:]).sum() / 4
                                       for x, _ in pairs]))
    # ratios: discounted numerator over discounted denominator (spending is early, jobs last:
    # the discounted cost per job-year is higher than the undiscounted 4000 / 300 = 13.3)
    jpm = k[("job_years_per_million", "national", "cumulative")]
    r, lo, hi, _ = stats.fieller_ci(jobs, [spent] * 3)
    assert jpm["difference"] == pytest.approx(1e6 * np.mean(jobs) / spent)
    assert (jpm["ci_low"], jpm["ci_high"]) == pytest.approx((1e6 * lo, 1e6 * hi))
    cost = k[("cost_per_job_year", "national", "cumulative")]
    assert cost["difference"] == pytest.approx(spent / np.mean(jobs)) and cost["note"] == ""
    assert k[("output_per_pound", "national", "cumulative")]["difference"] == \
        pytest.approx(np.mean(out) / spent)
    # displacement: South East losses from step 7 over London's gains from step 1
    dis = k[("displacement", "target area", "cumulative")]
    assert dis["difference"] == pytest.approx(30 * W(7, STEPS) / (100 * W(1, STEPS)))
    # final values are not discounted
    assert k[("employment", "national", "final")]["difference"] == pytest.approx(70.0)
    assert k[("displacement", "target area", "final")]["difference"] == pytest.approx(0.3)

    plain = _by_key(compare.compare(pairs)[0])
    assert plain[("cost_per_job_year", "national", "cumulative")]["difference"] == \
        pytest.approx(4000 / 255)   # 100 x 12 - 30 x 6 = 1020 job-quarters = 255 job-years
    assert cost["difference"] > plain[("cost_per_job_year", "national", "cumulative")]["difference"]
    assert dis["difference"] < plain[("displacement", "target area", "cumulative")]["difference"]
    # an average over the run is the same either way
    for key in (("unemployment_rate", "national", "cumulative"),
                ("productivity", "national", "cumulative")):
        assert k[key]["difference"] == plain[key]["difference"]


def test_rate_zero_gives_todays_rows_exactly(tmp_path):
    pairs = _profile_pairs(tmp_path)
    plain, _ = compare.compare(pairs)
    zero, target = compare.compare(pairs, discount=0.0)
    assert target.discount == 0.0

    def same(a, b):
        return a == b or (isinstance(a, float) and isinstance(b, float) and
                          math.isnan(a) and math.isnan(b))
    assert len(plain) == len(zero)
    for a, b in zip(plain, zero):
        assert all(same(a[c], b[c]) for c in compare.COLUMNS), (a, b)
    k = _by_key(zero)
    assert k[("employment", "national", "cumulative")]["difference"] == pytest.approx(255.0)
    assert k[("employment", "national", "cumulative")]["unit"] == "job-years"
    # and a rate does change them
    k = _by_key(compare.compare(pairs, discount=R)[0])
    assert k[("employment", "national", "cumulative")]["difference"] < 255.0


def test_window_is_discounted_to_2018_not_to_its_start(tmp_path):
    # +100, +120, +80 London jobs at steps 8..15 and 1000 a quarter then: the window (8, 36)
    # total weighs steps 8..15 by their own dates
    pairs = _window_pairs(tmp_path, [100.0, 120.0, 80.0])
    rows, target = compare.compare(pairs, discount=R)
    k = _by_key(rows)
    assert target.window == (8, 36)
    wn = k[("employment", "national", "window")]
    assert wn["difference"] == pytest.approx(100 * W(8, 15) / 4)
    assert k[("spending", "national", "window")]["difference"] == pytest.approx(1000 * W(8, 15))
    assert k[("cost_per_job_year", "national", "window")]["difference"] == pytest.approx(40.0)
    assert k[("employment", "target area", "window")]["difference"] == \
        pytest.approx(100 * W(8, 15) / 4)
    # nothing differs outside the window: the whole run's totals are the same present values
    assert k[("employment", "national", "cumulative")]["difference"] == \
        pytest.approx(wn["difference"])
    text = compare.summary_sentences(rows, target.label, target.window_source, 40)
    assert "in present values in 2018 discounted at 10% a year (job-years and pounds alike" \
        in text[0]
    assert f"national net employment changed by {compare.signed(wn['difference'])} discounted " \
        "job-years" in text[0]
    assert "extra public spending was £" in text[0] and " in present value" in text[0]


def test_units_title_and_notes_say_discounted(tmp_path):
    pairs = _profile_pairs(tmp_path)
    rows, target = compare.compare(pairs, discount=0.035)
    k = _by_key(rows)
    pv = "present value in 2018, discounted at 3.5% a year"
    assert k[("employment", "national", "cumulative")]["unit"] == f"job-years, {pv}"
    assert k[("spending", "national", "cumulative")]["unit"] == \
        f"GBP 2018, total over the run, {pv}"
    assert k[("cost_per_job_year", "national", "cumulative")]["unit"] == \
        "GBP 2018 per net job-year over the run, both present values in 2018, discounted at " \
        "3.5% a year"
    assert k[("displacement", "target area", "cumulative")]["unit"].endswith(
        "both present values in 2018, discounted at 3.5% a year")
    # not discounted: final values, averages over the run, final displacement
    for key in (("employment", "national", "final"), ("unemployment_rate", "national",
                                                      "cumulative"),
                ("displacement", "target area", "final")):
        assert "discounted" not in k[key]["unit"], key
    b0, p0 = pairs[0]
    assert compare.title(b0, p0, 0.035) == ("tech_city against baseline (totals in present "
                                            "values in 2018, discounted at 3.5% a year)")
    assert compare.title(b0, p0, 0.0) == "tech_city against baseline"
    notes = compare.notes(pairs, target)
    assert any("present values in 2018 (step 0, the run's start), discounted at 3.5% a year: "
               "step t weighted by 1.035^(-t/4), a quarter's factor 0.99144" in n for n in notes)
    plain_notes = compare.notes(pairs, compare.compare(pairs)[1])
    assert any("are undiscounted" in n for n in plain_notes)
    assert not any("discounted at" in n for n in plain_notes)
    # the summary read back from the rows (as from summary.csv) knows the rate
    assert compare._discount_of_rows(rows) == "discounted at 3.5% a year"
    assert compare._discount_of_rows(compare.compare(pairs)[0]) == ""


# ---------------------------------------------------------------- command line

def _csv(path):
    with open(path) as f:
        return {(x["outcome"], x["scope"], x["measure"]): x for x in csv.DictReader(f)}


def test_compare_discount_rate_option(tmp_path, run_main):
    b, p = fakerun.make_pair(str(tmp_path), steps=STEPS)   # +100 London jobs, 1000 a quarter
    out = tmp_path / "out"
    r = run_main("compare", b, "--", p, "--discount-rate", "0.1", "-o", out)
    assert r.returncode == 0, r.stderr
    k = _csv(out / "summary.csv")
    jy = k[("employment", "national", "cumulative")]
    assert float(jy["difference"]) == pytest.approx(100 * W(1, STEPS) / 4)
    assert jy["unit"] == "job-years, present value in 2018, discounted at 10% a year"
    assert float(k[("spending", "national", "cumulative")]["difference"]) == \
        pytest.approx(1000 * W(1, STEPS))
    assert float(k[("employment", "national", "final")]["difference"]) == pytest.approx(100.0)
    md = (out / "summary.md").read_text()
    assert md.startswith("# tech_city against baseline (totals in present values in 2018, "
                         "discounted at 10% a year)")
    assert "discounted job-years" in r.stdout and "step t weighted by 1.1^(-t/4)" in r.stdout
    # the option may follow the baseline side too, and as --discount-rate=VALUE
    r = run_main("compare", b, "--discount-rate=green-book", "--", p, "-o", out)
    assert r.returncode == 0, r.stderr
    gb = float(_csv(out / "summary.csv")[("employment", "national", "cumulative")]["difference"])
    assert gb == pytest.approx(100 * W(1, STEPS, 0.035) / 4)
    # without it: today's undiscounted figures
    r = run_main("compare", b, "--", p, "-o", out)
    assert r.returncode == 0, r.stderr
    k = _csv(out / "summary.csv")
    assert float(k[("employment", "national", "cumulative")]["difference"]) == pytest.approx(300.0)
    assert k[("employment", "national", "cumulative")]["unit"] == "job-years"
    assert "discounted job-years" not in r.stdout and "are undiscounted" in r.stdout


@pytest.mark.parametrize("value, why", [("-0.035", "cannot be negative"),
                                        ("1", "is not a real discount rate"),
                                        ("3.5", "give 0.035, not 3.5"),
                                        ("abc", "not a number"), ("nan", "not a number"),
                                        ("", "not a number")])
def test_bad_discount_rate_is_refused(tmp_path, run_main, value, why):
    # checked before any run is loaded: the runs named here do not exist, and no output
    # directory is made
    out = tmp_path / "out"
    for args in (("compare", tmp_path / "nope.h5", "--", tmp_path / "nope2.h5", "-o", out,
                  "--discount-rate", value),
                 ("sweep", tmp_path / "nosweep", "-o", out, "--discount-rate", value)):
        r = run_main(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("analysis: error: --discount-rate") and why in r.stderr, \
            r.stderr
        assert "Traceback" not in r.stderr and not out.exists()
    r = run_main("compare", tmp_path / "a.h5", "--", tmp_path / "b.h5", "--discount-rate")
    assert r.returncode == 2 and "--discount-rate needs a value" in r.stderr


# ---------------------------------------------------------------- sweep league

K = "policies.[0].per_worker"


def _policy(v):
    x = v[K]
    return dict(policies=[dict(fakerun.LONDON_SUBSIDY, per_worker=x)],
                effects={"London": 1000.0 * x}, spending_per_step=1000.0)


def test_league_discounted(tmp_path, run_main):
    d = str(tmp_path / "sw")
    fakerun.make_sweep(d, [("baseline", [], lambda v: {}), ("tech_city", [K], _policy)],
                       vary=[(K, [0.1, 0.2])], seeds=(1, 2, 3), steps=STEPS)
    df = sweep.run_table(d)
    plain = sweep.league(df, quiet=True).set_index("varied")
    disc = sweep.league(df, quiet=True, discount=R).set_index("varied")
    f = W(1, STEPS) / STEPS   # a constant effect: every total shrinks by the mean weight
    for v, jobs in ((f"{K}=0.1", 100.0), (f"{K}=0.2", 200.0)):
        assert plain.loc[v, "job_years"] == pytest.approx(jobs * 3)
        assert disc.loc[v, "job_years"] == pytest.approx(jobs * 3 * f)
        # both numerator and denominator discounted: a constant effect per constant spend
        # keeps its job-years per million (only one of them discounted would move it by f)
        assert disc.loc[v, "job_years_per_million"] == \
            pytest.approx(plain.loc[v, "job_years_per_million"])
        assert disc.loc[v, "cost_per_job_year"] == pytest.approx(1000 * 4 / jobs)
    assert set(disc["discount_rate"]) == {R} and set(plain["discount_rate"]) == {0.0}
    out = tmp_path / "out"
    r = run_main("sweep", d, "--discount-rate", "0.1", "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    lmd = (out / "league.md").read_text()
    assert lmd.startswith("# Sweep fake_sweep: league table against the baseline (present "
                          "values in 2018, discounted at 10% a year)")
    assert "net job-years (present value) (95% CI)" in lmd and "1.1^(-t/4)" in lmd
    with open(out / "league.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert {x["discount_rate"] for x in rows} == {"0.1"}
    assert float(rows[0]["job_years"]) == pytest.approx(600 * f)
    assert "not discounted" in (out / "sweep_table.md").read_text()
    r = run_main("sweep", d, "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    lmd = (out / "league.md").read_text()
    assert "are undiscounted" in lmd and "(present value)" not in lmd
    assert "not discounted" not in (out / "sweep_table.md").read_text()
