"""Statistics for scenario comparison: Student t quantiles, paired confidence intervals, the
policy cost ratios, and the cluster rule of MODEL.md section 7 (numpy only, no scipy)."""
import math

import numpy as np

# Two-sided 95% critical values t_{0.975, df} for df = 1..30 (standard tables).
_T975 = [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
         2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
         2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
         2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272]


def norm_quantile(p):
    """Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie in (0, 1)")
    a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
         1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
    b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
         6.680131188771972e+01, -1.328068155288572e+01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
         -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
         3.754408661907416e+00)
    lo = 0.02425
    if p < lo:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / \
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    if p > 1 - lo:
        return -norm_quantile(1 - p)
    q = p - 0.5
    r = q * q
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / \
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)


def _hill_upper(P, n):
    """Hill (1970, CACM Algorithm 396): t with two-tailed probability P for n degrees of freedom."""
    if n == 1:
        P *= math.pi / 2
        return math.cos(P) / math.sin(P)
    if n == 2:
        return math.sqrt(2.0 / (P * (2.0 - P)) - 2.0)
    a = 1.0 / (n - 0.5)
    b = 48.0 / (a * a)
    c = ((20700.0 * a / b - 98.0) * a - 16.0) * a + 96.36
    d = ((94.5 / (b + c) - 3.0) / b + 1.0) * math.sqrt(a * math.pi / 2.0) * n
    x = d * P
    y = x ** (2.0 / n)
    if y > 0.05 + a:
        x = norm_quantile(1.0 - 0.5 * P)
        y = x * x
        if n < 5:
            c += 0.3 * (n - 4.5) * (x + 0.6)
        c = (((0.05 * d * x - 5.0) * x - 7.0) * x - 2.0) * x + b + c
        y = (((((0.4 * y + 6.3) * y + 36.0) * y + 94.5) / c - y - 3.0) / b + 1.0) * x
        y = math.expm1(a * y * y)
    else:
        y = ((1.0 / (((n + 6.0) / (n * y) - 0.089 * d - 0.822) * (n + 2.0) * 3.0)
              + 0.5 / (n + 4.0)) * y - 1.0) * (n + 1.0) / (n + 2.0) + 1.0 / y
    return math.sqrt(n * y)


def t_quantile(p, df):
    """Quantile of Student's t with df degrees of freedom (df >= 1 or math.inf) at probability p.
    For p = 0.975 and df <= 30 the tabulated value; otherwise Hill's approximation (error below
    6e-4), polished by Newton steps on the exact CDF for integer df; df = inf: normal quantile."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie in (0, 1)")
    if df is None or math.isinf(df) or df > 1e7:
        return norm_quantile(p)
    if df < 1:
        raise ValueError("df must be >= 1")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.975 and df == int(df) and df <= len(_T975):
        return _T975[int(df) - 1]
    t = _hill_upper(2.0 * (1.0 - p), float(df))
    if df == int(df) and df <= 100000:
        for _ in range(3):  # Newton steps on the exact CDF polish Hill's value
            t -= (t_cdf(t, int(df)) - p) / t_pdf(t, df)
    return t


def t_pdf(t, df):
    """Density of Student's t."""
    return math.exp(math.lgamma((df + 1) / 2.0) - math.lgamma(df / 2.0)
                    - 0.5 * math.log(df * math.pi) - (df + 1) / 2.0 * math.log1p(t * t / df))


def t_cdf(t, df):
    """CDF of Student's t for integer df (Abramowitz and Stegun 26.7.3-4, exact finite series)."""
    n = int(df)
    th = math.atan(abs(t) / math.sqrt(n))
    s, c = math.sin(th), math.cos(th)
    if n % 2 == 1:
        term, acc = c, 0.0
        for k in range(3, n + 1, 2):  # c + (2/3) c^3 + (2*4)/(3*5) c^5 + ...
            acc += term
            term *= c * c * (k - 1) / k
        a = 2.0 / math.pi * (th + s * acc) if n > 1 else 2.0 * th / math.pi
    else:
        term, acc = 1.0, 0.0
        for k in range(2, n + 1, 2):  # 1 + (1/2) c^2 + (1*3)/(2*4) c^4 + ...
            acc += term
            term *= c * c * (k - 1) / k
        a = s * acc
    return 0.5 + 0.5 * a if t >= 0 else 0.5 - 0.5 * a


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


def _ratio(num, den):
    if den == 0 or not math.isfinite(den) or not math.isfinite(num):
        return math.nan
    return num / den


def cost_per_job_year(spend_base, spend_pol, emp_base, emp_pol):
    """(cumulative spending difference) / (net job-years gained): steps are quarters, so
    job-years = sum over steps of the employment difference / 4. nan when no jobs are gained or
    lost. Arguments are per-step series (the caller picks the steps to sum)."""
    spend = float(np.sum(spend_pol) - np.sum(spend_base))
    job_years = float(np.sum(np.asarray(emp_pol, float) - np.asarray(emp_base, float))) / 4.0
    return _ratio(spend, job_years)


def output_per_pound(spend_base, spend_pol, out_base, out_pol):
    """(cumulative output difference) / (cumulative spending difference); nan without spending."""
    spend = float(np.sum(spend_pol) - np.sum(spend_base))
    gained = float(np.sum(np.asarray(out_pol, float) - np.asarray(out_base, float)))
    return _ratio(gained, spend)


def displacement(target_gain, outside_change):
    """Share of the jobs gained in the target area that are lost elsewhere:
    -outside_change / target_gain. 0 = no displacement, 1 = every job moved from elsewhere,
    negative = jobs also gained elsewhere (spillover). nan unless target_gain > 0."""
    if not (target_gain > 0) or not math.isfinite(outside_change):
        return math.nan
    return -outside_change / target_gain


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


def clusters(e_s, e, radius=2, lq_min=1.25, e_min=0.0, land=None):
    """Clusters of one sector (MODEL.md section 7): 4-connected cells whose smoothed location
    quotient >= lq_min and whose smoothed sector employment >= e_min (and > 0).
    Returns (mask, list of dicts with employment, x, y (employment-weighted centroid), cells),
    largest first. land: optional boolean mask of cells that may belong to a cluster (not sea)."""
    e_s = np.nan_to_num(np.asarray(e_s, dtype=float))
    e = np.nan_to_num(np.asarray(e, dtype=float))
    ls = box_mean(e_s, radius)
    mask = (smoothed_lq(e_s, e, radius) >= lq_min) & (ls >= e_min) & (ls > 0)
    if land is not None:
        mask &= land
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
    out.sort(key=lambda c: -c["employment"])
    return mask, out
