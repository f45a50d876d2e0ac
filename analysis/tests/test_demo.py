"""The demo's plain-English reading (analysis.demo.reading) on constructed summary rows: every
statement about displacement is qualified by its 95% CI, and an unbounded CI says so."""
import math

from analysis import demo

NAN = math.nan


def _row(outcome, scope, measure, diff, lo=NAN, hi=NAN, n=4, note="", base=NAN):
    return {"outcome": outcome, "scope": scope, "measure": measure, "baseline": base,
            "policy": NAN, "difference": diff, "ci_low": lo, "ci_high": hi, "percent": NAN,
            "n_seeds": n, "note": note}


def _reading(disp=None, cost=None):
    rows = [_row("employment", "target area", "final", 500.0, 100.0, 900.0)]
    if disp is not None:
        rows.append(_row("displacement", "target area", "cumulative", *disp))
    rows.append(_row("spending", "national", "cumulative", 1e6, 1e6, 1e6))
    if cost is not None:
        rows.append(cost)
    return demo.reading(rows, "a circle", 40, 4, 0.002)


def test_displacement_ci_including_one_is_not_read_as_more_lost():
    # the tester's case: 1.006, 95% CI 0.978 to 1.033
    text = _reading((1.006, 0.978, 1.033))
    assert "more job-years were lost elsewhere than the target area gained" not in text
    assert "95% CI 0.978 to 1.03" in text   # 3 significant figures
    assert "cannot tell whether more or fewer job-years were lost elsewhere" in text


def test_displacement_statements_only_where_the_ci_excludes_them():
    assert "more job-years were lost elsewhere than the target area gained." in \
        _reading((1.2, 1.1, 1.3))
    text = _reading((0.4, 0.2, 0.6))
    assert "about 40% of the target area's gain was lost elsewhere" in text
    assert "cannot tell" not in text
    text = _reading((-0.3, -0.5, -0.1))
    assert "jobs were gained outside the target area too" in text
    # the CI includes 0: no claim that jobs were moved, nor that jobs were gained elsewhere
    text = _reading((-0.1, -0.4, 0.2))
    assert "gained outside the target area too" not in text
    assert "includes 0, so the data cannot tell whether any of the target area's gain was " \
        "moved" in text
    text = _reading((0.3, -0.2, 0.8))
    assert "about 30%" not in text and "includes 0" in text
    # both 0 and 1
    text = _reading((0.5, -0.5, 1.5))
    assert "includes both 0 and 1" in text and "about 50%" not in text
    # one seed: no interval, said so
    text = _reading((1.2, NAN, NAN, 1))
    assert "no confidence interval" in text and "with one seed the data cannot tell more" in text
    # not stated where the target area's gain is not detectable: compare's note says why
    text = _reading((NAN, NAN, NAN, 4, "no detectable target-area gain (its 95% CI includes 0)"))
    assert "is not stated: no detectable target-area gain (its 95% CI includes 0)" in text
    assert "Displacement was" not in text


def test_ci_text_says_an_unbounded_interval_is_unbounded():
    c = _row("cost_per_job_year", "national", "cumulative", 40.0,
             note="CI unbounded: job-years per million's CI includes 0")
    assert demo.ci_text(c).startswith("95% CI unbounded")
    text = _reading(cost=c)
    assert "£40 per net job-year nationally (95% CI unbounded" in text
    assert "no confidence interval" not in text
    one = _row("cost_per_job_year", "national", "cumulative", 40.0, n=1)
    assert demo.ci_text(one) == "no confidence interval"
    assert demo.ci_text(_row("x", "y", "z", 1.0, 0.5, 1.5)) == "95% CI +0.5 to +1.5"


def _cum(scope, lo, hi):
    return _row("employment", scope, "cumulative", (lo + hi) / 2, lo, hi)


def test_headline_says_only_what_the_intervals_allow():
    """The reading opens with what a class takes away (the figures followed in one block of
    some 750 words): jobs moved, not created, only where the economy's gain is surely below
    the area's (a national interval that includes zero may also reach above the area's gain)."""
    moved = demo.headline([_cum("target area", 1e5, 3e5), _cum("national", -2e4, 4e4)], "London")
    assert moved.startswith("In short: the policy added jobs in the target area (London), and it "
                            "had no effect on the economy's jobs that these seeds can detect; so "
                            "most of the jobs it added there were moved from elsewhere, not "
                            "created."), moved
    some = demo.headline([_cum("target area", 1e5, 3e5), _cum("national", -2e4, 8e4)], "London")
    assert "so some of the jobs it added there were moved from elsewhere." in some, some
    wide = demo.headline([_cum("target area", 1e5, 3e5), _cum("national", -2e5, 4e5)], "London")
    assert "cannot tell whether the jobs it added there were created or moved" in wide, wide
    made = demo.headline([_cum("target area", 1e5, 3e5), _cum("national", 1e4, 4e5)], "London")
    assert "added jobs in the economy as a whole; so it created jobs" in made
    lost = demo.headline([_cum("target area", 1e5, 3e5), _cum("national", -4e5, -1e4)], "X")
    assert "cost jobs in the economy as a whole; so more jobs were lost elsewhere" in lost, lost
    unclear = demo.headline([_cum("target area", -1e5, 3e5), _cum("national", -2e5, 4e5)], "X")
    assert unclear.startswith("In short: these seeds cannot tell the policy's effect on jobs in "
                              "the target area (X) from chance."), unclear
    assert "moved" not in unclear and "created" not in unclear
    though = demo.headline([_cum("target area", -1e5, 3e5), _cum("national", 1e4, 4e5)], "X")
    assert "from chance, though it added jobs in the economy as a whole." in though, though
    one_seed = [_row("employment", s, "cumulative", 5.0) for s in ("target area", "national")]
    assert demo.headline(one_seed, "X") == ""
    # the reading: the take-away, the figures, the caveats, as three paragraphs
    rows = [_cum("target area", 1e5, 3e5), _cum("national", -2e5, 4e5),
            _row("spending", "national", "cumulative", 1e6, 1e6, 1e6)]
    parts = demo.reading(rows, "London", 40, 20, 0.002).split("\n\n")
    assert len(parts) == 3 and parts[0].startswith("In short:") and \
        parts[2].startswith("Caveats:"), parts


def test_headline_follows_the_displacement_interval():
    """How much of the area's gain was moved follows compare's displacement interval: the demo
    said "some" beside displacement 1.03, 95% CI 0.87 to 1.44 (at least 87% moved), because it
    read the two marginal intervals instead (tech_city, 10 seeds, the programme period)."""
    def head(lo, hi, v=None):
        v = (lo + hi) / 2 if v is None else v
        return demo.headline([_row("employment", "target area", "window", 781262.0, 89012.0,
                                   1473513.0),
                              _row("employment", "national", "window", -21850.0, -111149.0,
                                   67449.0),
                              _row("displacement", "target area", "window", v, lo, hi)], "X")
    h = head(0.870, 1.440, 1.028)
    assert "so nearly all of the jobs it added there were moved from elsewhere, not created " \
        "(displacement 1.03, 95% CI 0.87 to 1.44)" in h, h
    assert "so some of" not in h
    assert "so most of the jobs it added there were moved from elsewhere" in head(0.6, 1.1)
    assert "some of the jobs it added there, fewer than half, were moved" in head(0.1, 0.4)
    assert "some of the jobs it added there, perhaps most, were moved" in head(0.1, 0.9)
    h = head(-0.2, 0.9)
    assert "cannot tell whether the jobs it added there were created or moved" in h, h
    assert "most" not in h and "nearly all" not in h


def test_a_difference_is_not_worded_as_a_level():
    """The largest digital cluster's row is a policy - baseline difference: "ended with -8,700
    jobs" read as a negative headcount."""
    rows = [_row("largest_cluster_employment", "sector digital", "final", -8700.0, -155000.0,
                 138000.0)]
    text = demo.reading(rows, "X", 40, 10, 0.002)
    assert "ended with 8,700 fewer jobs than without the policy (95% CI -155,000 to +138,000)" \
        in text, text
    assert "-8,700 jobs" not in text
    rows[0].update(difference=2850.0)
    assert "ended with 2,850 more jobs than without the policy" in \
        demo.reading(rows, "X", 40, 10, 0.002)


def test_a_zone_policy_is_read_as_money_and_announcement_together():
    """compare's zone note (a zone draws firms by being announced, whatever it pays: 83% of
    enterprise_zones_out_of_town's gain with every payment at 0) reached summary.md but not the
    demo's reading, whose policy, tech_city, is such a zone."""
    from analysis import compare
    rows = [_row("employment", "target area", "final", 500.0, 100.0, 900.0)]
    note = compare.zone_note(type("R", (), {"policies": lambda self: [
        {"type": "location_subsidy", "name": "tc", "area": {"circle": [1, 2, 1.5]}}]})())
    text = demo.reading(rows, "a circle", 40, 4, 0.002, [note])
    assert "Part of a zone's effect is being announced" in text
    assert "money and the announcement together" in text
    assert "Part of a zone's effect" not in demo.reading(rows, "a circle", 40, 4, 0.002, [])
