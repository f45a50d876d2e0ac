"""Unit tests of the measurements of analysis/validate.py (MODEL.md section 9), each on small
synthetic inputs with answers computed by hand."""
import math

import numpy as np
import pytest

from analysis import validate as v

NAN = float("nan")


# ---- Hill estimator (fact 5)

def test_hill_by_hand():
    # n = 20, k = floor(0.1 n) = 2: top values 8, 4; x_(k+1) = 2
    x = [1.0] * 17 + [2.0, 8.0, 4.0]
    assert v.hill_alpha(x) == pytest.approx(2.0 / (math.log(4.0) + math.log(2.0)))
    assert v.hill_alpha(x) == pytest.approx(2.0 / (3.0 * math.log(2.0)))


def test_hill_degenerate():
    assert math.isnan(v.hill_alpha([5.0] * 9))        # k = 0
    assert math.isnan(v.hill_alpha([3.0] * 30))       # top values all tied with x_(k+1)
    assert math.isnan(v.hill_alpha([0.0] * 18 + [4.0, 9.0]))  # x_(k+1) = 0


def test_hill_recovers_pareto_exponent():
    rng = np.random.default_rng(7)
    x = (1.0 - rng.random(200000)) ** (-1.0 / 1.2)  # Pareto, alpha 1.2, x >= 1
    assert v.hill_alpha(x) == pytest.approx(1.2, abs=0.05)


# ---- OLS slope (fact 4)

def test_ols_slope_by_hand():
    assert v.ols_slope([0, 1, 2, 3], [1, 3, 5, 7]) == pytest.approx(2.0)
    # x = 0,1,10,11, y = 0,1,0,1: pooled slope sum(dx dy)/sum(dx^2) = 1/101
    x, y, g = [0, 1, 10, 11], [0, 1, 0, 1], [0, 0, 1, 1]
    assert v.ols_slope(x, y) == pytest.approx(1.0 / 101.0)
    # one intercept per group (seed): the within slope is 1
    assert v.ols_slope(x, y, g) == pytest.approx(1.0)


def test_ols_slope_degenerate():
    assert math.isnan(v.ols_slope([2, 2, 2], [1, 2, 3]))
    assert math.isnan(v.ols_slope([1], [1]))
    assert math.isnan(v.ols_slope([0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]))  # no within variation


# ---- modal position and shares (fact 2)

def test_modal_index_by_hand():
    pts = [(30, 30), (0, 0), (5, 0), (8, 0), (12, 0)]
    # neighbours within 10: (0,0): 2; (5,0): 3; (8,0): 3; (12,0): 2; (30,30): 0 -> first of the tie
    assert v.modal_index(pts) == 2
    # within 10 of (5,0): (0,0), (5,0), (8,0), (12,0) -> 4 of 5
    assert v.share_within(pts, pts[2]) == pytest.approx(0.8)


def test_modal_nan_and_boundary():
    pts = [(NAN, NAN), (50, 50), (0, 0), (10, 0), (NAN, NAN)]
    assert v.modal_index(pts) == 2                    # (0,0) and (10,0) are exactly 10 apart
    assert v.share_within(pts, (0, 0)) == pytest.approx(2 / 5)  # nan rows count as not within
    assert v.modal_index([(NAN, NAN), (NAN, NAN)]) is None
    assert v.share_within([(NAN, NAN)], (0, 0)) == 0.0


def _run(sectors, xy, cities=None):
    return {"sectors": sectors, "tradable": [s for s in sectors if s != "local_services"],
            "lc_x": np.array([p[0] for p in xy], float), "lc_y": np.array([p[1] for p in xy], float),
            "cities": cities or {"Aberdeen": (60.0, 20.0)}}


def test_fact2_pass_and_fail():
    secs = ["digital", "energy", "local_services"]
    # digital wanders (share at its modal position 1/4), energy sits at Aberdeen in every seed
    good = [_run(secs, [(0, 0), (60, 21), (5, 5)]), _run(secs, [(40, 40), (61, 20), (5, 5)]),
            _run(secs, [(80, 0), (59, 19), (5, 5)]), _run(secs, [(NAN, NAN), (60, 20), (5, 5)])]
    r = v.fact2(good, [])
    assert r["values"]["share_digital"] == pytest.approx(0.25)
    assert r["values"]["with_cluster"] == pytest.approx(0.75)   # 3 of 4 seeds have a centroid
    assert r["values"]["energy_at_asset"] == pytest.approx(1.0)
    assert r["pass"]
    # digital locks in (3 of 4 seeds near one spot): fails
    bad = [_run(secs, [(0, 0), (60, 20), (5, 5)]), _run(secs, [(3, 3), (60, 20), (5, 5)]),
           _run(secs, [(6, 0), (60, 20), (5, 5)]), _run(secs, [(80, 80), (60, 20), (5, 5)])]
    r = v.fact2(bad, [])
    assert r["values"]["share_digital"] == pytest.approx(0.75)
    assert not r["pass"]
    # energy away from its asset in 1 of 4 seeds: 0.75 < 0.9 fails
    far = [dict(x) for x in good]
    far[0] = _run(secs, [(0, 0), (90, 90), (5, 5)])
    r = v.fact2(far, [])
    assert r["values"]["energy_at_asset"] == pytest.approx(0.75)
    assert not r["pass"]


# ---- cluster extraction (fact 3)

def test_clusters_by_hand_rk0():
    e = np.full((5, 6), 10.0)
    es = np.zeros((5, 6))
    es[0, 0] = es[0, 1] = 10.0  # one cluster of 20
    es[1, 2] = 5.0              # diagonal to (0,1): a separate cluster
    es[2, 3] = 5.0              # diagonal to (1,2): another
    # share = 30/300 = 0.1; LQ = 10 or 5, all >= 1.25
    emp = v.cluster_employments(es, e, rk=0, lq_min=1.25, e_min=0.0)
    assert list(emp) == [20.0, 5.0, 5.0]
    assert list(v.cluster_employments(es, e, rk=0, lq_min=1.25, e_min=6.0)) == [20.0]
    assert list(v.cluster_employments(es, e, rk=0, lq_min=6.0, e_min=0.0)) == [20.0]


def test_clusters_window_total_rk1():
    # rk = 1: e_min compares with the window total <E_s> (2rk+1)^2, not the window average
    e = np.ones((9, 9))
    es = np.zeros((9, 9))
    es[4, 4] = 9.0
    mask = v.cluster_mask(es, e, rk=1, lq_min=1.25, e_min=9.0)
    assert mask.sum() == 9 and mask[3:6, 3:6].all()   # 3x3 block, window total 9 each
    assert list(v.cluster_employments(es, e, 1, 1.25, 9.0)) == [9.0]
    assert len(v.cluster_employments(es, e, 1, 1.25, 9.5)) == 0
    assert len(v.cluster_employments(np.zeros((9, 9)), e, 1, 1.25, 0.0)) == 0


def test_fact3_pooled_largest_and_median():
    e = np.full((5, 6), 10.0)
    es = np.zeros((5, 6))
    es[0, 0] = es[0, 1] = 10.0
    es[1, 2] = 5.0
    es[2, 3] = 5.0
    run = {"sectors": ["digital", "local_services"], "tradable": ["digital"],
           "sec_emp": np.stack([es, e - es]), "emp": e, "rk": 0, "lq_min": 1.25, "e_min": 0.0}
    r = v.fact3([run, run])   # clusters 20, 5, 5 twice: largest 20, median 5
    assert r["values"]["clusters"] == 6
    assert r["values"]["largest"] == 20.0 and r["values"]["median"] == 5.0
    assert r["pass"]
    es2 = es.copy()
    es2[0, 1] = 0.0          # clusters 10, 5, 5: largest 10 < 3 x 5
    run2 = dict(run, sec_emp=np.stack([es2, e - es2]))
    assert not v.fact3([run2])["pass"]


# ---- birth and death rates, unemployment window (fact 6)

def test_annual_rates_excludes_first_four_steps():
    births = np.array([0.0] + [1000.0] * 4 + [10.0] * 8)   # steps 0..12; steps 1-4 warm-up
    firms = np.full(13, 200.0)
    assert v.annual_rates(births, firms) == pytest.approx(40.0 / 200.0)


def test_annual_rates_by_hand_short_run():
    # 6 steps: no window after step 4, so every full window (t = 4, 5, 6)
    births = np.array([0.0, 1, 1, 1, 1, 1, 1])
    firms = np.array([100.0, 100, 100, 100, 100, 200, 300])
    want = (4 / 100 + 4 / 125 + 4 / 175) / 3
    assert v.annual_rates(births, firms) == pytest.approx(want)
    assert math.isnan(v.annual_rates([0.0, 1, 1], [1.0, 1, 1]))


def test_mean_last():
    assert v.mean_last(np.arange(51.0)) == pytest.approx(30.5)   # steps 11..50
    assert v.mean_last(np.arange(11.0)) == pytest.approx(5.5)    # steps 1..10


# ---- distances (fact 7)

def test_expected_and_nearest_distance():
    w = np.array([[1.0, 0.0, 3.0]])
    assert v.expected_distance(w, [(0, 0)]) == pytest.approx(6.0 / 4.0)
    assert v.expected_distance(w, [(0, 0), (2, 0)]) == pytest.approx(0.0)
    assert v.nearest_distance(3, 4, [(0, 0), (10, 10)]) == pytest.approx(5.0)
    assert list(v.top_indices([0.5, 0.9, 0.9, 0.1], 2)) == [1, 2]


def test_fact7_compares_with_employment_weighted_distance():
    emp = np.zeros((1, 21))
    emp[0, 20] = 1.0            # all jobs 20 cells from the only university
    run = {"univ": np.array([[0.0, 0.0]]), "univ_quality": np.array([1.0]), "emp": emp,
           "sectors": ["digital", "life_sciences"], "lc_x": np.array([3.0, NAN]),
           "lc_y": np.array([4.0, NAN])}
    r = v.fact7([run])
    assert r["values"]["cluster_distance"] == pytest.approx(5.0)
    assert r["values"]["employment_distance"] == pytest.approx(20.0)
    assert r["values"]["centroids"] == 1 and r["pass"]
    far = dict(run, lc_x=np.array([20.0, NAN]), lc_y=np.array([0.0, NAN]))
    assert not v.fact7([far])["pass"]


def test_fact6_and_table():
    T = 61
    run = {"ts": {"unemployment_rate": np.full(T, 0.05), "births": np.full(T, 5.0),
                  "deaths": np.full(T, 3.0), "firms": np.full(T, 200.0)}}
    r = v.fact6([run])
    assert r["values"]["birth_rate"] == pytest.approx(0.1)
    assert r["values"]["death_rate"] == pytest.approx(0.06)
    # 6% a year is inside the 5-20% band but not 15% of its width inside it (7.25%)
    assert not r["pass"]
    run["ts"]["deaths"] = np.full(T, 4.0)     # 8% a year: inside with the margin
    r = v.fact6([run])
    assert r["values"]["death_rate"] == pytest.approx(0.08) and r["pass"]
    run["ts"]["deaths"] = np.full(T, 1.0)     # 2% a year: too few deaths
    r2 = v.fact6([run])
    assert not r2["pass"]
    text = v.table([r, r2])
    assert text.splitlines()[-1] == "validate: 1 of 2 PASS"
    assert text.count("| PASS |") == 1 and text.count("| FAIL |") == 1


def test_inside_margin():
    assert v.inside(0.05, 0.02, 0.08) and v.inside(0.029, 0.02, 0.08)
    assert not v.inside(0.0289, 0.02, 0.08) and not v.inside(0.0711, 0.02, 0.08)
    assert not v.inside(float("nan"), 0.02, 0.08)
    assert v.inside(0.021, 0.02, 0.08, margin=0.0)


def test_fact9_persistence_and_regional_lq():
    region = np.array([[0, 0, 1, 1], [2, 2, 3, 3]])
    base = np.zeros((2, 2, 4))
    base[0] = [[4, 1, 2, 1], [3, 1, 1, 1]]      # a tradable sector, uneven across regions
    base[1] = [[10, 10, 10, 10], [10, 10, 10, 10]]
    lq = v.regional_lq(base, region, 4)
    assert lq.shape == (4, 2)
    np.testing.assert_allclose(lq[:, 1] * 0 + 1, 1)  # shares of all jobs: finite everywhere
    run = {"sectors": ["a", "local"], "tradable": ["a"], "region": region,
           "sec_emp0": base, "sec_emp": base * 2,      # the same geography, doubled
           "lc0_x": np.array([0.5, np.nan]), "lc0_y": np.array([0.5, np.nan]),
           "lc_x": np.array([1.5, np.nan]), "lc_y": np.array([0.5, np.nan])}
    r = v.fact9([run] * 10)
    assert r["values"]["rho"] == pytest.approx(1.0) and r["pass"]
    moved = dict(run, lc_x=np.array([3.5, np.nan]), lc_y=np.array([1.5, np.nan]))
    r = v.fact9([run] * 6 + [moved] * 4)        # left its region in 4 of 10 seeds
    assert r["values"]["moved_max"] == 4 and not r["pass"]
    shuffled = dict(run, sec_emp=base[:, :, ::-1].copy())
    assert v.fact9([shuffled] * 10)["values"]["rho"] < 0.7
