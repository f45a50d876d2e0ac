import math

import numpy as np
import pytest

from analysis import libcfg, stats


@pytest.mark.parametrize("df,want", [(1, 12.706), (4, 2.776), (9, 2.262), (math.inf, 1.960)])
def test_t_quantile_known_values(df, want):
    assert stats.t_quantile(0.975, df) == pytest.approx(want, abs=5e-4)


def test_t_quantile_other_levels_and_beyond_table():
    # standard table values
    assert stats.t_quantile(0.95, 1) == pytest.approx(6.314, abs=1e-3)
    assert stats.t_quantile(0.95, 10) == pytest.approx(1.812, abs=1e-3)
    assert stats.t_quantile(0.995, 5) == pytest.approx(4.032, abs=1e-3)
    assert stats.t_quantile(0.975, 40) == pytest.approx(2.021, abs=1e-3)
    assert stats.t_quantile(0.975, 120) == pytest.approx(1.980, abs=1e-3)
    assert stats.t_quantile(0.025, 4) == pytest.approx(-2.776, abs=1e-3)
    with pytest.raises(ValueError):
        stats.t_quantile(1.0, 3)


def test_paired_ci_by_hand():
    # Three seeds, paired differences d = 1, 2, 6.
    # mean = 9/3 = 3; deviations -2, -1, 3; s^2 = (4 + 1 + 9) / 2 = 7; s = 2.6458
    # standard error = s / sqrt(3) = 1.5275; t_{0.975, 2} = 4.3027
    # half width = 4.3027 * 1.5275 = 6.5724  ->  CI = [-3.5724, 9.5724]
    mean, lo, hi, n = stats.paired_ci([1.0, 2.0, 6.0])
    assert (mean, n) == (3.0, 3)
    assert lo == pytest.approx(-3.5724, abs=1e-3)
    assert hi == pytest.approx(9.5724, abs=1e-3)


def test_paired_ci_one_seed_and_zero():
    mean, lo, hi, n = stats.paired_ci([5.0])
    assert mean == 5.0 and n == 1 and math.isnan(lo) and math.isnan(hi)
    assert stats.paired_ci([0.0, 0.0, 0.0])[:3] == (0.0, 0.0, 0.0)


def test_excludes_zero():
    assert stats.excludes_zero(1.0, 2.0) and stats.excludes_zero(-2.0, -1.0)
    assert not stats.excludes_zero(-1.0, 2.0) and not stats.excludes_zero(math.nan, math.nan)


def test_ratio_ci_by_hand():
    # constant denominator: the paired CI of the numerator, divided (d = 1, 2, 6 as above)
    r, lo, hi, n = stats.ratio_ci([1.0, 2.0, 6.0], [1.0, 1.0, 1.0])
    assert (r, n) == (3.0, 3) and lo == pytest.approx(-3.5724, abs=1e-3)
    # num 2, 4 over den 1, 3: R = 3 / 2 = 1.5; residuals num - R den = 0.5, -0.5, sd 0.70711;
    # half width = t_{0.975, 1} 12.7062 x 0.70711 / (sqrt(2) x mean den 2) = 3.17655
    r, lo, hi, n = stats.ratio_ci([2.0, 4.0], [1.0, 3.0])
    assert r == 1.5 and lo == pytest.approx(1.5 - 3.17655, abs=1e-4)
    assert hi == pytest.approx(1.5 + 3.17655, abs=1e-4)
    assert math.isnan(stats.ratio_ci([1.0, 2.0], [0.0, 0.0])[0])
    r, lo, hi, n = stats.ratio_ci([5.0], [2.0])
    assert r == 2.5 and n == 1 and math.isnan(lo)
    assert stats.excludes_zero(1.0, 2.0) and stats.excludes_zero(-2.0, -1.0)
    assert not stats.excludes_zero(-1.0, 2.0) and not stats.excludes_zero(math.nan, math.nan)


def test_displacement_ratio_of_means():
    # constant gains: -mean(outside) / mean(target), a zero-width interval
    v, lo, hi, n, note = stats.displacement([100.0, 100.0], [-30.0, -30.0])
    assert (v, lo, hi, n, note) == (pytest.approx(0.3), pytest.approx(0.3), pytest.approx(0.3),
                                    2, "")
    assert stats.displacement([100.0, 100.0], [20.0, 20.0])[0] == pytest.approx(-0.2)
    # a seed with a near-zero gain: a mean of per-seed ratios (0.9, 6, 0.83, 0.86, 0.89) gave
    # 1.9; the ratio of means over all seeds is 79 / 85
    t, o = [100.0, 5.0, 120.0, 110.0, 90.0], [-90.0, -30.0, -100.0, -95.0, -80.0]
    v, lo, hi, n, note = stats.displacement(t, o)
    assert v == pytest.approx(79.0 / 85.0) and n == 5 and note == ""
    assert (lo, hi) == pytest.approx(stats.fieller_ci([-x for x in o], t)[1:3])
    assert lo < v < hi and hi - lo < 1.0


def test_displacement_undefined_without_a_detectable_gain():
    # the target lost jobs on average: no share of a gain to state, whatever the seeds' signs
    v, lo, hi, n, note = stats.displacement([50.0, -200.0, 60.0], [-45.0, 100.0, -55.0])
    assert math.isnan(v) and math.isnan(lo) and n == 3 and note == stats.NO_TARGET_GAIN
    # a positive mean gain whose CI includes 0
    v, _, _, _, note = stats.displacement([100.0, -60.0, 20.0], [-90.0, 50.0, -20.0])
    assert math.isnan(v) and note.startswith(stats.NO_DETECTABLE_GAIN) and "includes 0" in note
    v, _, _, n, note = stats.displacement([100.0], [-30.0])
    assert math.isnan(v) and n == 1 and "one seed" in note
    assert math.isnan(stats.displacement([0.0, 0.0], [-5.0, -5.0])[0])


def test_fieller_ci_agrees_with_the_t_tests():
    # constant denominator: the paired CI of the numerator divided by it, as the delta method
    r, lo, hi, n = stats.fieller_ci([1.0, 2.0, 6.0], [2.0, 2.0, 2.0])
    assert r == 1.5 and lo == pytest.approx(-3.5724 / 2, abs=1e-3)
    assert hi == pytest.approx(9.5724 / 2, abs=1e-3)
    # the ends are where the t statistic of mean(num - rho den) equals the t quantile
    a, b = np.array([2.0, 4.0, 6.0]), np.array([2.0, 2.2, 2.5])
    r, lo, hi, n = stats.fieller_ci(a, b)
    t = stats.t_quantile(0.975, 2)
    for rho in (lo, hi):
        d = a - rho * b
        assert abs(d.mean()) == pytest.approx(t * d.std(ddof=1) / math.sqrt(3))
    assert lo < r < hi
    # unbounded (nan) exactly when the denominator's CI includes 0
    assert math.isnan(stats.fieller_ci([1.0, 2.0, 3.0], [1.0, -1.0, 0.5])[1])
    # contains 0 exactly when the numerator's CI does: the delta method can say otherwise
    num, den = [30.0, -45.0, 18.0, 60.0], [1.0, 1.3, 0.7, 1.1]
    assert stats.paired_ci(num)[1] < 0
    assert stats.fieller_ci(num, den)[1] < 0 < stats.fieller_ci(num, den)[2]


def test_box_mean_and_clusters():
    x = np.zeros((7, 7))
    x[3, 3] = 25.0
    m = stats.box_mean(x, 2)
    assert m[3, 3] == pytest.approx(1.0) and m[1, 1] == pytest.approx(1.0) and m[0, 0] == 0
    e = np.ones((20, 20)) * 10
    es = np.ones((20, 20))
    es[2:5, 2:5] = 8.0    # a concentration in the north-west
    es[14:17, 14:17] = 6.0
    mask, cl = stats.clusters(es, e)
    assert len(cl) == 2
    assert cl[0]["x"] == pytest.approx(3.0, abs=0.5) and cl[0]["y"] == pytest.approx(3.0, abs=0.5)
    assert cl[0]["employment"] > cl[1]["employment"]
    lab, n = stats.label_components(np.array([[1, 0, 1], [1, 0, 1], [0, 1, 1]], bool))
    assert n == 2 and lab[0, 0] == 0 and lab[2, 1] == 1


def test_libconfig_parser():
    text = r'''
    # comment
    name = "a" "b";   // concatenated
    /* block
       comment */
    seed = 12345678901L; hex = 0x1F; f = -1.5e-3; g = .5; ok = TRUE;
    sectors : { names = ["x", "y"]; tradable = [1, 0]; };
    policies = ( { type = "tax_zone"; area = { circle = [1.0, 2.0, 3.0]; }; },
                 { type = "rd_credit"; area = "everywhere"; } );
    esc = "q\"u\n";
    '''
    c = libcfg.parse(text)
    assert c["name"] == "ab" and c["seed"] == 12345678901 and c["hex"] == 31
    assert c["f"] == -1.5e-3 and c["g"] == 0.5 and c["ok"] is True
    assert c["sectors"]["tradable"] == [1, 0]
    assert c["policies"][0]["area"]["circle"] == [1.0, 2.0, 3.0]
    assert c["policies"][1]["area"] == "everywhere"
    assert c["esc"] == 'q"u\n'
    with pytest.raises(libcfg.ConfigError):
        libcfg.parse("a = ;")


def test_clusters_use_the_window_total_as_the_engine():
    # rk = 1, e_min = 9: a single cell of 9 sector jobs makes every window that holds it reach a
    # total of 9 (its average is 1), so the 3x3 block around it is one cluster, as in
    # cs_cluster_cell; the window average (1 < 9) would find none
    e = np.ones((9, 9))
    es = np.zeros((9, 9))
    es[4, 4] = 9.0
    mask, cl = stats.clusters(es, e, 1, 1.25, 9.0)
    assert mask.sum() == 9 and mask[3:6, 3:6].all()
    assert cl == [{"employment": 9.0, "x": 4.0, "y": 4.0, "cells": 9}]
    assert stats.clusters(es, e, 1, 1.25, 9.5)[1] == []
    # one implementation: analysis.validate measures the facts with the same rule
    from analysis import validate
    assert validate.cluster_mask is stats.cluster_mask


def test_clusters_include_cells_without_jobs_like_the_engine():
    # cells with no jobs (e.g. sea) next to a concentration are cluster cells when their windows
    # pass the rule: the engine keeps them, so the cluster is 9 cells, not 1
    e = np.zeros((7, 7))
    e[3, 3] = 10.0
    e[0, 0] = 90.0
    es = np.zeros((7, 7))
    es[3, 3] = 10.0
    mask, cl = stats.clusters(es, e, 1, 1.25, 5.0)
    assert mask[2:5, 2:5].all() and mask.sum() == 9
    assert len(cl) == 1 and cl[0]["employment"] == 10.0 and cl[0]["cells"] == 9
    # the largest of equal clusters is the first in scan order, as the engine's
    es2 = np.zeros((7, 7))
    es2[1, 1] = es2[5, 5] = 4.0
    _, cl = stats.clusters(es2, np.ones((7, 7)), 0, 1.0, 0.0)
    assert [(c["x"], c["y"]) for c in cl] == [(1.0, 1.0), (5.0, 5.0)]
