"""Statistics for scenario comparison: Student t quantiles, paired confidence intervals, the
policy ratios of means (delta-method and Fieller intervals), displacement, and the engine's
cluster rule of MODEL.md section 7 (t quantiles from scipy)."""
import math

import numpy as np
import scipy.stats as _sps


def t_quantile(p, df):
    """Quantile of Student's t with df degrees of freedom (scipy.stats.t; df = inf: normal)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie in (0, 1)")
    if df is None or math.isinf(df):
        return float(_sps.norm.ppf(p))
    if df < 1:
        raise ValueError("df must be >= 1")
    return float(_sps.t.ppf(p, df))


def paired_ci(diffs, level=0.95):
    """Mean of paired differences with a t confidence interval.
    Returns (mean, ci_low, ci_high, n); the CI is (nan, nan) when n < 2 or any value is not finite."""
    d = np.asarray(diffs, dtype=float).ravel()
    n = d.size
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(d.mean())
    if n < 2 or not np.all(np.isfinite(d)):
        return mean, math.nan, math.nan, n
    sd = float(d.std(ddof=1))
    half = t_quantile(0.5 + level / 2.0, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half, n


def ci_band(samples, level=0.95):
    """Per-column mean and CI half width of samples [n][T] (half width 0 when n == 1)."""
    s = np.asarray(samples, dtype=float)
    n = s.shape[0]
    mean = s.mean(axis=0)
    if n < 2:
        return mean, np.zeros_like(mean)
    half = t_quantile(0.5 + level / 2.0, n - 1) * s.std(axis=0, ddof=1) / math.sqrt(n)
    return mean, half


def _finite_pairs(num, den):
    """The pairs (seeds) where both values are finite, as two float arrays, and their count."""
    a, b = np.asarray(num, float).ravel(), np.asarray(den, float).ravel()
    ok = np.isfinite(a) & np.isfinite(b)
    return a[ok], b[ok], int(ok.sum())


def ratio_ci(num, den, level=0.95):
    """Ratio of means mean(num) / mean(den) over paired samples (seeds), with a delta-method t
    interval: R ± t_{n-1} · sd(num - R·den) / (sqrt(n) · |mean(den)|). Stable when some den or
    num are near zero, unlike a mean of per-seed ratios. Returns (ratio, ci_low, ci_high, n);
    all nan when mean(den) is 0, the CI nan when n < 2."""
    a, b, n = _finite_pairs(num, den)
    if n == 0 or b.mean() == 0:
        return math.nan, math.nan, math.nan, n
    r = float(a.mean() / b.mean())
    if n < 2:
        return r, math.nan, math.nan, n
    half = t_quantile(0.5 + level / 2.0, n - 1) * float((a - r * b).std(ddof=1)) / \
        (math.sqrt(n) * abs(float(b.mean())))
    return r, r - half, r + half, n


def excludes_zero(lo, hi):
    """True when the interval [lo, hi] is finite and does not contain 0."""
    return math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0)


def fieller_ci(num, den, level=0.95):
    """Ratio of means mean(num) / mean(den) over paired samples (seeds) with Fieller's t
    interval: every rho with |mean(num) - rho mean(den)| <= t_{n-1} se(mean(num) - rho mean(den)).
    Unlike the delta method it is exact for normal means and agrees with the two t tests: the
    interval is bounded exactly when the CI of mean(den) excludes 0, and it contains 0 exactly
    when the CI of mean(num) does, so a ratio "with no detectable effect" never gets an interval
    that excludes 0. Returns (ratio, ci_low, ci_high, n); the CI nan when n < 2 or unbounded
    (mean(den)'s CI includes 0); all nan when mean(den) is 0."""
    a, b, n = _finite_pairs(num, den)
    if n == 0 or b.mean() == 0:
        return math.nan, math.nan, math.nan, n
    ma, mb = float(a.mean()), float(b.mean())
    r = ma / mb
    if n < 2:
        return r, math.nan, math.nan, n
    t2 = t_quantile(0.5 + level / 2.0, n - 1) ** 2
    c = np.cov(a, b, ddof=1) / n          # covariance of the two means
    A = mb * mb - t2 * c[1, 1]
    if A <= 0:
        return r, math.nan, math.nan, n   # mean(den) not told apart from 0: unbounded
    B = ma * mb - t2 * c[0, 1]
    C = ma * ma - t2 * c[0, 0]
    root = math.sqrt(max(B * B - A * C, 0.0))  # >= 0 in exact arithmetic: r lies inside
    return r, (B - root) / A, (B + root) / A, n


def displacement(target_diffs, outside_diffs, level=0.95):
    """Displacement over paired seeds: the share of the target area's job gain lost elsewhere,
    -mean(outside change) / mean(target change), a ratio of means with Fieller's CI
    (fieller_ci). 0 = all additional, 1 = every job moved from elsewhere, negative = jobs also
    gained elsewhere (spillover). Defined only where the target area's gain is detectable (its
    95% CI lies above 0): without a gain the share of it lost elsewhere means nothing, and a mean
    of per-seed ratios (or one conditional on the gain's sign) blows up near zero gains. Then the
    Fieller interval is always bounded. Returns (value, ci_low, ci_high, n, note); value nan and
    note saying why when undefined."""
    t = np.asarray(target_diffs, float).ravel()
    o = np.asarray(outside_diffs, float).ravel()
    ok = np.isfinite(t) & np.isfinite(o)
    t, o = t[ok], o[ok]
    n = t.size
    nan = (math.nan, math.nan, math.nan, n)
    if n == 0:
        return nan + (NO_TARGET_GAIN,)
    mean, lo, hi, _ = paired_ci(t, level)
    if n >= 2 and np.all(t == t[0]):
        lo = hi = mean    # identical gains: the interval has zero width
    if not mean > 0:
        return nan + (NO_TARGET_GAIN,)
    if n < 2:
        return nan + (NO_DETECTABLE_GAIN + " (one seed: no confidence interval)",)
    if not lo > 0:
        return nan + (NO_DETECTABLE_GAIN + " (its 95% CI includes 0)",)
    r, lo, hi, n = fieller_ci(-o, t, level)
    return r, lo, hi, n, ""


NO_TARGET_GAIN = "target area did not gain jobs on average"
NO_DETECTABLE_GAIN = "no detectable target-area gain"


def box_mean(x, radius):
    """Window average <X>_R over the (2R+1)^2 box, cells off the grid counting as 0 (sea),
    via a summed-area table (MODEL.md section 1)."""
    x = np.asarray(x, dtype=float)
    H, W = x.shape
    k = 2 * radius + 1
    p = np.zeros((H + 2 * radius + 1, W + 2 * radius + 1))
    p[radius + 1:radius + 1 + H, radius + 1:radius + 1 + W] = x
    s = p.cumsum(0).cumsum(1)
    return (s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]) / (k * k)


def smoothed_lq(e_s, e, radius=2):
    """Smoothed location quotient (<E_s>/<E>) / (E_s,total / E_total); 0 where <E> = 0."""
    ls, le = box_mean(e_s, radius), box_mean(e, radius)
    tot_s, tot = float(np.sum(e_s)), float(np.sum(e))
    if tot_s <= 0 or tot <= 0:
        return np.zeros_like(ls)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.where(le > 0, ls / np.where(le > 0, le, 1.0), 0.0) / (tot_s / tot)
    return lq


def label_components(mask):
    """4-connected components of a boolean [H][W] mask: labels (-1 outside) and the count.
    Components are numbered in scan order, as cs_label_components does."""
    mask = np.asarray(mask, dtype=bool)
    H, W = mask.shape
    lab = np.full((H, W), -1, dtype=np.int32)
    n = 0
    for y0, x0 in zip(*np.nonzero(mask)):
        if lab[y0, x0] >= 0:
            continue
        lab[y0, x0] = n
        stack = [(y0, x0)]
        while stack:
            y, x = stack.pop()
            for yy, xx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= yy < H and 0 <= xx < W and mask[yy, xx] and lab[yy, xx] < 0:
                    lab[yy, xx] = n
                    stack.append((yy, xx))
        n += 1
    return lab, n


def cluster_mask(e_s, e, rk=2, lq_min=1.25, e_min=0.0):
    """Cluster cells of one sector, the engine's rule (cs_cluster_cell in sim/metrics.h,
    docs/metrics.md "Clusters"): <E>(c) > 0, (<E_s>/<E>) / (E_s,total/E_total) >= lq_min and
    <E_s>(c) (2rk+1)^2 >= e_min, i.e. the window *total* of sector employment reaches e_min;
    box windows of Chebyshev radius rk with off-grid cells empty. Every cell is a candidate, sea
    included, as in the engine (sea cells hold no jobs, but their windows can). All False when
    either national total is 0."""
    e_s = np.nan_to_num(np.asarray(e_s, dtype=float))
    e = np.nan_to_num(np.asarray(e, dtype=float))
    tot_s, tot = float(e_s.sum()), float(e.sum())
    if not (tot_s > 0 and tot > 0):
        return np.zeros(e.shape, dtype=bool)
    share = tot_s / tot
    side = 2.0 * rk + 1.0
    ls, le = box_mean(e_s, rk), box_mean(e, rk)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.where(le > 0, ls / np.where(le > 0, le, 1.0), 0.0) / share
    # the same operations in the same order as the engine, so a window exactly at a threshold
    # (common: full-scale jobs are multiples of 1 / scale) falls on the same side
    return (le > 0) & (lq >= lq_min) & (ls * side * side >= e_min)


def clusters(e_s, e, radius=2, lq_min=1.25, e_min=0.0):
    """Clusters of one sector by the engine's rule (cluster_mask; MODEL.md section 7,
    docs/metrics.md): the 4-connected components of the cluster cells. e_s, e: the sector's and
    all sectors' headcount per cell (full scale, e.g. the last /snapshots/sector_employment and
    its sum over sectors). On a run's snapshot at step t this reproduces the engine's
    /sectors cluster_count, largest_cluster_employment and largest_cluster_x, _y at t.
    Returns (mask, list of dicts with employment (the sector's own E_s summed over the cells), x,
    y (employment-weighted centroid; the plain mean of the cells if they hold no sector jobs),
    cells), largest first (ties: the first in scan order, as the engine)."""
    e_s = np.nan_to_num(np.asarray(e_s, dtype=float))
    mask = cluster_mask(e_s, e, radius, lq_min, e_min)
    lab, n = label_components(mask)
    out = []
    ys, xs = np.indices(mask.shape)
    for k in range(n):
        sel = lab == k
        emp = float(e_s[sel].sum())
        if emp > 0:
            cx = float((xs[sel] * e_s[sel]).sum() / emp)
            cy = float((ys[sel] * e_s[sel]).sum() / emp)
        else:
            cx, cy = float(xs[sel].mean()), float(ys[sel].mean())
        out.append({"employment": emp, "x": cx, "y": cy, "cells": int(sel.sum())})
    out.sort(key=lambda c: -c["employment"])   # stable: ties keep scan order
    return mask, out
