"""Validation: measures the stylised facts 1-9 of MODEL.md section 9 on ensembles of seeds, at
every scale the validation covers.

    /usr/bin/python3 -m analysis.validate [--scales 0.002:10,0.01:10,0.05:4] [--steps N]
                                         [--jobs N] [--keep DIR] [--reuse] [--bin PATH]
                                         [--scenario CFG]
    /usr/bin/python3 -m analysis.validate --scale X --seeds N ...     (one scale)
    /usr/bin/python3 -m analysis.validate --full                     (scale 1.0, one seed)

Each seed runs the scenario (default scenarios/baseline.cfg) on the real start (facts 4-6, 9 and
the baseline of fact 8), on the emergent start of the same map (facts 1, 3, 7: formation) and on
the uniform landscape (fact 2), plus three short policy runs with common random numbers (fact 8).
It prints one table per scale (measured figures, target, PASS/FAIL), then a final line
`validate: 9 of 9 PASS at every scale (...)`. Facts with a two-sided band pass only at least
MARGIN of the band's width inside it. Exit status 0 when every fact passes at every scale, 1
otherwise (or when a run fails). Every measurement is defined in docs/validation.md; the pure
functions below are unit-tested in analysis/tests/test_validate.py."""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np

from . import libcfg, stats
from .runs import tradable_sectors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SEEDS = 10
# fact 2 is a share of seeds ("fewer than half at the modal position"): on 4 seeds two largest
# clusters within 10 cells fail it, which a history-dependent process with a 0.3 chance of the
# modal place does in 35% of sectors. The uniform landscape is run on at least this many seeds.
FACT2_SEEDS = 10
DEFAULT_SCALE = 0.002
DEFAULT_STEPS = 160
DEFAULT_JOBS = 2
NEAR = 10.0            # cells: "within 10 cells" (facts 2)
N_TOP_UNIVERSITIES = 5  # fact 7
MIN_CELL_JOBS = 20      # fact 4: jobs in a cell, full scale as every count of MODEL.md
LAST_STEPS = 40         # fact 6: unemployment window
MARGIN = 0.15           # two-sided bands: pass only this share of the band's width inside
DEFAULT_SCALES = "0.002:10,0.01:10,0.05:4"
POLICY_STEPS = 40       # fact 8: ten years are enough to see a policy act
# run sets of one seed: extra `run` options; the real start is the scenario's own default
EMERGENT = ["--set", 'landscape.initial_sectors="emergent"']
LANDSCAPES = {"uk": [], "emergent": EMERGENT,
              "uniform": ["--set", 'landscape.kind="uniform"', *EMERGENT]}
# fact 8: each policy against the same scenario without it, same seed (common random numbers).
# Manchester is at cell (59, 98) of the default 100 x 160 grid; the link joins Cambridge's and
# London's catchments (cells (78, 130) and (62, 114) lie on the line between them).
SUBSIDY_AREA = (59.0, 98.0, 2.5)
POLICIES = {
    "base40": "",
    "subsidy": ('{ type = "location_subsidy"; area = { circle = [%.1f, %.1f, %.1f]; }; '
                'per_worker = 1172.0; start = 1; }' % SUBSIDY_AREA),
    "rd": '{ type = "rd_credit"; rate = 0.5; start = 1; }',
    "link": ('{ type = "transport_link"; from = [78.0, 130.0]; to = [62.0, 114.0]; '
             'radius = 4.0; efficiency = 0.5; build_steps = 0; start = 1; }'),
}


class ValidationError(Exception):
    """A run failed or a run file lacks what a measurement needs."""


# ---------------------------------------------------------------- measurements (pure functions)

def hill_alpha(x, frac=0.1):
    """Hill maximum-likelihood tail exponent of the largest `frac` of the values x:
    with x_(1) >= x_(2) >= ... and k = floor(frac n), alpha = k / sum_{i<=k} ln(x_(i) / x_(k+1)).
    nan when k < 1, k >= n, x_(k+1) <= 0 or the sum is 0 (all top values tied)."""
    x = np.sort(np.asarray(x, dtype=float).ravel())[::-1]
    n = len(x)
    k = int(math.floor(frac * n + 1e-9))
    if k < 1 or k >= n or not x[k] > 0:
        return math.nan
    s = float(np.log(x[:k] / x[k]).sum())
    return k / s if s > 0 else math.nan


def ols_slope(x, y, groups=None):
    """OLS slope of y on x with an intercept; with `groups`, one intercept per group (the within
    estimator: x and y demeaned per group, pooled slope). nan with fewer than 2 points or no
    variation of x."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if len(x) < 2 or len(x) != len(y):
        return math.nan
    if groups is None:
        g = np.zeros(len(x), dtype=int)
    else:
        _, g = np.unique(np.asarray(groups).ravel(), return_inverse=True)
    cnt = np.bincount(g).astype(float)
    dx = x - (np.bincount(g, weights=x) / cnt)[g]
    dy = y - (np.bincount(g, weights=y) / cnt)[g]
    sxx = float((dx * dx).sum())
    if not sxx > 1e-300:
        return math.nan
    return float((dx * dy).sum()) / sxx


def modal_index(points, radius=NEAR):
    """The "most common position" of a set of points (rows x, y; nan rows = no cluster): the
    index of the finite point with the most other finite points within `radius` (distance
    <= radius); ties go to the first. None when no point is finite."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    ok = np.isfinite(p).all(axis=1)
    if not ok.any():
        return None
    d = np.hypot(p[:, None, 0] - p[None, :, 0], p[:, None, 1] - p[None, :, 1])
    near = (d <= radius) & ok[:, None] & ok[None, :]
    counts = near.sum(axis=1) - 1
    counts[~ok] = -1
    return int(np.argmax(counts))


def share_within(points, centre, radius=NEAR):
    """Share of the points (rows x, y) within `radius` of centre; nan rows count as not within.
    The denominator is every row. nan for no rows or a non-finite centre."""
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(p) == 0 or centre is None or not np.all(np.isfinite(centre)):
        return math.nan
    d = np.hypot(p[:, 0] - centre[0], p[:, 1] - centre[1])
    return float(np.count_nonzero(np.isfinite(d) & (d <= radius))) / len(p)


# Cluster cells of one sector, as sector_clusters in sim/metrics.c (docs/metrics.md): one
# implementation, shared with `analysis show` and compare's cluster maps.
cluster_mask = stats.cluster_mask


def cluster_employments(e_s, e, rk, lq_min, e_min):
    """Employment (the sector's own, unsmoothed E_s summed over the cells) of every cluster of
    the sector: 4-connected components of cluster_mask, in scan order."""
    e_s = np.nan_to_num(np.asarray(e_s, dtype=float))
    lab, n = stats.label_components(cluster_mask(e_s, e, rk, lq_min, e_min))
    if n == 0:
        return np.zeros(0)
    sel = lab >= 0
    return np.bincount(lab[sel], weights=e_s[sel], minlength=n)


def annual_rates(events, firms, skip=4):
    """Mean annual rate of a per-step flow (births or deaths) relative to the firm stock:
    r_t = sum_{j=t-3..t} events_j / mean_{j=t-3..t} firms_j for every step t whose four-step
    window lies after the first `skip` steps (t >= skip + 4; when the run is too short for one
    such window, every full window t >= 4). Arrays are indexed by step (row 0 = initial state).
    nan when there is no window with firms."""
    ev = np.asarray(events, dtype=float)
    fi = np.asarray(firms, dtype=float)
    last = len(ev) - 1
    start = skip + 4 if last >= skip + 4 else 4
    rates = []
    for t in range(start, last + 1):
        den = fi[t - 3:t + 1].mean()
        if den > 0:
            rates.append(ev[t - 3:t + 1].sum() / den)
    return float(np.mean(rates)) if rates else math.nan


def mean_last(series, n=LAST_STEPS):
    """Mean of a per-step series over its last n steps (rows 1..; row 0 the initial state is
    used only if the run has no other); all steps when the run is shorter."""
    s = np.asarray(series, dtype=float)
    body = s[1:] if len(s) > 1 else s
    return float(np.nanmean(body[-n:])) if len(body) else math.nan


def nearest_distance(x, y, targets):
    """Distance (cells) from (x, y) to the nearest of targets (rows x, y)."""
    t = np.asarray(targets, dtype=float).reshape(-1, 2)
    return float(np.min(np.hypot(t[:, 0] - x, t[:, 1] - y)))


def expected_distance(weights, targets):
    """Exact mean distance to the nearest target of a cell drawn in proportion to `weights`
    ([H][W], cell (x, y) = (column, row)): sum_c w_c d_c / sum_c w_c. nan when the weights sum
    to 0."""
    w = np.nan_to_num(np.asarray(weights, dtype=float))
    t = np.asarray(targets, dtype=float).reshape(-1, 2)
    ys, xs = np.indices(w.shape)
    d = np.min(np.hypot(xs[..., None] - t[:, 0], ys[..., None] - t[:, 1]), axis=-1)
    tot = float(w.sum())
    return float((w * d).sum()) / tot if tot > 0 else math.nan


def top_indices(values, n):
    """Indices of the n largest values, largest first (ties: lower index first)."""
    return np.argsort(-np.asarray(values, dtype=float), kind="stable")[:n]


# ---------------------------------------------------------------- reading run files

def _s(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def _names(d):
    v = d.attrs.get("names")
    return [] if v is None else [_s(x) for x in np.atleast_1d(v)]


def _tradable(cfg, names):
    """Tradable sectors: the same rule as the comparison tool (analysis.runs)."""
    return tradable_sectors(cfg, names)


def _cfg_num(cfg, group, key, default):
    g = cfg.get(group, {}) if isinstance(cfg, dict) else {}
    v = g.get(key, default) if isinstance(g, dict) else default
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else default


def read_run(path):
    """What the measurements need from one run file, as a dict."""
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise ValidationError(f"{path}: cannot open ({e})") from None
    with f:
        if int(f.attrs.get("complete", 0)) != 1:
            raise ValidationError(f"{path}: run is incomplete")
        cfg = libcfg.parse(_s(f.attrs["config"]))
        r = {"path": path, "seed": int(f.attrs["seed"]), "steps": int(f.attrs["steps"]),
             "scale": float(f.attrs.get("scale", cfg.get("scale", 1.0))), "config": cfg}
        sec = f["sectors"]
        r["sectors"] = _names(sec["eg_index"])
        r["tradable"] = _tradable(cfg, r["sectors"])
        r["eg"] = sec["eg_index"][()]
        r["lc_x"] = sec["largest_cluster_x"][-1]
        r["lc_y"] = sec["largest_cluster_y"][-1]
        r["ts"] = {k: f["timeseries/" + k][()] for k in
                   ("step", "firms", "births", "deaths", "unemployment_rate")}
        last = int(r["ts"]["step"][-1])
        snap_steps = f["snapshots/step"][()]
        if len(snap_steps) == 0 or int(snap_steps[-1]) != last:
            raise ValidationError(f"{path}: the final step {last} is not a snapshot step "
                                  "(set output.snapshot_every to a divisor of steps)")
        r["emp"] = f["snapshots/employment"][-1].astype(float)
        r["sec_emp"] = f["snapshots/sector_employment"][-1].astype(float)
        r["sec_emp0"] = f["snapshots/sector_employment"][0].astype(float)
        r["region"] = f["landscape/region"][()]
        r["lc0_x"] = sec["largest_cluster_x"][0]
        r["lc0_y"] = sec["largest_cluster_y"][0]
        r["ts"]["rd_spend"] = f["timeseries/rd_spend"][()]
        r["ts"]["innovations"] = f["timeseries/innovations"][()]
        r["ts"]["link_hires"] = (f["timeseries/link_hires"][()] if "link_hires" in f["timeseries"]
                                 else np.zeros(len(r["ts"]["step"])))
        r["firms"] = {k: f["final/firms/" + k][()] for k in ("x", "y", "wage", "employees")}
        if "effective_labour" in f["final/firms"]:
            r["firms"]["effective_labour"] = f["final/firms/effective_labour"][()]
        u = f["landscape/universities"]
        r["univ"] = np.column_stack([u["x"][()], u["y"][()]]).astype(float)
        r["univ_quality"] = u["quality"][()].astype(float)
        c = f["landscape/cities"]
        r["cities"] = {n: (float(x), float(y)) for n, x, y in
                       zip(c["name"].asstr()[()], c["x"][()], c["y"][()])}
    r["rk"] = int(_cfg_num(cfg, "land", "rk", 2))
    r["lq_min"] = _cfg_num(cfg, "output", "lq_min", 1.25)
    r["e_min"] = _cfg_num(cfg, "output", "e_min", 0.0)
    return r


# ---------------------------------------------------------------- the seven facts

def _f(v, fmt=".3g"):
    return "nan" if v is None or not math.isfinite(v) else format(v, fmt)


def _result(num, name, measured, target, ok, values):
    return {"fact": num, "name": name, "measured": measured, "target": target,
            "pass": bool(ok), "values": values}


def fact1(runs):
    rises, trad_final, ls_final = [], [], []
    for r in runs:
        idx = [r["sectors"].index(s) for s in r["tradable"]]
        eg = r["eg"]
        rises.append(float(eg[-1, idx].mean() - eg[0, idx].mean()))
        trad_final.append(float(eg[-1, idx].mean()))
        ls_final.append(float(eg[-1, r["sectors"].index("local_services")])
                        if "local_services" in r["sectors"] else math.nan)
    rmin, tmean, lmean = min(rises), float(np.mean(trad_final)), float(np.mean(ls_final))
    ok = all(x >= 0.01 for x in rises) and lmean < tmean / 3.0
    return _result(1, "concentration",
                   f"EG rise min {_f(rmin)} (mean {_f(float(np.mean(rises)))}); final EG "
                   f"local_services {_f(lmean)} vs tradable {_f(tmean)}",
                   "rise >= 0.01 every seed; local_services < tradable/3", ok,
                   {"rise_min": rmin, "rise_mean": float(np.mean(rises)),
                    "local_services_eg": lmean, "tradable_eg": tmean})


def _asset(uniform_runs, uk_runs):
    for r in list(uniform_runs) + list(uk_runs):
        if "Aberdeen" in r["cities"]:
            return r["cities"]["Aberdeen"]
    return None


def fact2(uniform_runs, uk_runs):
    sectors = [s for s in uniform_runs[0]["tradable"] if s != "energy"]
    shares, found = {}, 0
    for s in sectors:
        pts = np.array([(r["lc_x"][r["sectors"].index(s)], r["lc_y"][r["sectors"].index(s)])
                        for r in uniform_runs])
        found += int(np.isfinite(pts).all(axis=1).sum())
        m = modal_index(pts)
        shares[s] = 0.0 if m is None else share_within(pts, pts[m])
    with_cluster = found / (len(sectors) * len(uniform_runs)) if sectors else math.nan
    asset = _asset(uniform_runs, uk_runs)
    if "energy" in uniform_runs[0]["sectors"] and asset is not None:
        k = uniform_runs[0]["sectors"].index("energy")
        epts = np.array([(r["lc_x"][k], r["lc_y"][k]) for r in uniform_runs])
        energy = share_within(epts, asset)
    else:
        energy = math.nan
    mean = float(np.mean(list(shares.values()))) if shares else math.nan
    ok = bool(shares) and all(v < 0.5 for v in shares.values()) and energy >= 0.9
    per = ", ".join(f"{s} {_f(v, '.2f')}" for s, v in shares.items())
    vals = {"share_" + s: v for s, v in shares.items()}
    vals.update({"share_mean": mean, "with_cluster": with_cluster, "energy_at_asset": energy})
    return _result(2, "history dependence",
                   f"share at modal position ({len(uniform_runs)} seeds): {per}; mean "
                   f"{_f(mean, '.2f')} (a cluster in {_f(100 * with_cluster, '.0f')}% of "
                   f"sector-seeds); "
                   f"energy within {NEAR:g} of asset {_f(energy, '.2f')}",
                   "each sector < 0.5; energy >= 0.9", ok, vals)


def fact3(runs):
    emps = []
    for r in runs:
        for s in r["tradable"]:
            k = r["sectors"].index(s)
            emps.extend(cluster_employments(r["sec_emp"][k], r["emp"], r["rk"], r["lq_min"],
                                            r["e_min"]))
    emps = np.asarray(emps, dtype=float)
    largest = float(emps.max()) if len(emps) else math.nan
    median = float(np.median(emps)) if len(emps) else math.nan
    ratio = largest / median if len(emps) and median > 0 else math.nan
    ok = len(emps) > 0 and largest >= 3.0 * median
    return _result(3, "skewed cluster sizes",
                   f"{len(emps)} clusters; largest {_f(largest)}, median {_f(median)} "
                   f"(ratio {_f(ratio)})", "largest >= 3 x median", ok,
                   {"clusters": float(len(emps)), "largest": largest, "median": median})


def cell_wage_data(r):
    """(log <E>_Rk, log mean wage) of the cells with at least MIN_CELL_JOBS jobs (full scale,
    as MODEL.md counts everything; a threshold in simulated agents would select only dense
    cells at small scales and measure another slope there)."""
    H, W = r["emp"].shape
    fm = r["firms"]
    cell = fm["y"].astype(np.int64) * W + fm["x"].astype(np.int64)
    n = fm["employees"].astype(float)
    jobs = np.bincount(cell, weights=n, minlength=H * W)
    # the wage bill is the wage rate per unit of skill times the firm's effective labour (sum of
    # its workers' skills), so "the mean wage of the jobs" includes who holds them; older run
    # files without effective_labour fall back to headcount (the rate alone)
    units = fm["effective_labour"].astype(float) if "effective_labour" in fm else n
    bill = np.bincount(cell, weights=units * fm["wage"].astype(float), minlength=H * W)
    dens = stats.box_mean(r["emp"], r["rk"]).ravel()
    sel = (r["emp"].ravel() >= MIN_CELL_JOBS) & (jobs > 0) & (dens > 0)
    wage = np.where(sel, bill / np.where(jobs > 0, jobs, 1.0), 0.0)
    sel &= wage > 0
    return np.log(dens[sel]), np.log(wage[sel])


def inside(v, lo, hi, margin=MARGIN):
    """v lies in [lo, hi] at least margin x (hi - lo) from either end."""
    pad = margin * (hi - lo)
    return math.isfinite(v) and lo + pad <= v <= hi - pad


def _band(lo, hi, fmt="g"):
    pad = MARGIN * (hi - lo)
    return f"{lo:{fmt}} .. {hi:{fmt}} (pass {lo + pad:.3g} .. {hi - pad:.3g})"


def fact4(runs):
    xs, ys, gs = [], [], []
    for i, r in enumerate(runs):
        x, y = cell_wage_data(r)
        xs.append(x)
        ys.append(y)
        gs.append(np.full(len(x), i))
    x, y, g = np.concatenate(xs), np.concatenate(ys), np.concatenate(gs)
    slope = ols_slope(x, y, g)
    ok = inside(slope, 0.02, 0.08)
    return _result(4, "urban wage premium",
                   f"slope {_f(slope)} ({len(x)} cells with >= {MIN_CELL_JOBS} jobs)",
                   _band(0.02, 0.08), ok, {"slope": slope, "cells": float(len(x))})


def fact5(runs):
    n = np.concatenate([r["firms"]["employees"].astype(float) for r in runs])
    alpha = hill_alpha(n)
    mean = float(n.mean()) if len(n) else math.nan
    median = float(np.median(n)) if len(n) else math.nan
    ok = inside(alpha, 0.7, 1.8) and mean >= 2.0 * median
    return _result(5, "firm sizes",
                   f"Hill alpha {_f(alpha)} ({len(n)} firms); mean {_f(mean)}, "
                   f"median {_f(median)}", f"alpha {_band(0.7, 1.8)}; mean >= 2 x median", ok,
                   {"alpha": alpha, "mean": mean, "median": median})


def fact6(runs):
    u = float(np.mean([mean_last(r["ts"]["unemployment_rate"]) for r in runs]))
    b = float(np.mean([annual_rates(r["ts"]["births"], r["ts"]["firms"]) for r in runs]))
    d = float(np.mean([annual_rates(r["ts"]["deaths"], r["ts"]["firms"]) for r in runs]))

    ok = inside(u, 0.03, 0.12) and inside(b, 0.05, 0.20) and inside(d, 0.05, 0.20)
    return _result(6, "labour market, demography",
                   f"unemployment {_f(100 * u)}%; births {_f(100 * b)}%/yr, "
                   f"deaths {_f(100 * d)}%/yr",
                   f"unemployment {_band(3, 12)}%; births, deaths {_band(5, 20)}%/yr", ok,
                   {"unemployment": u, "birth_rate": b, "death_rate": d})


def fact7(runs):
    dc, de = [], []
    for r in runs:
        top = r["univ"][top_indices(r["univ_quality"], N_TOP_UNIVERSITIES)]
        base = expected_distance(r["emp"], top)
        for s in ("life_sciences", "digital"):
            if s not in r["sectors"]:
                continue
            k = r["sectors"].index(s)
            x, y = r["lc_x"][k], r["lc_y"][k]
            if math.isfinite(x) and math.isfinite(y):
                dc.append(nearest_distance(x, y, top))
                de.append(base)
    c = float(np.mean(dc)) if dc else math.nan
    e = float(np.mean(de)) if de else math.nan
    ok = bool(dc) and c < e
    return _result(7, "universities seed clusters",
                   f"cluster distance {_f(c)} cells ({len(dc)} centroids) vs "
                   f"employment-weighted {_f(e)}", "cluster < employment-weighted", ok,
                   {"cluster_distance": c, "employment_distance": e,
                    "centroids": float(len(dc))})


def paired_up(w, wo, min_share=0.7):
    """(mean difference, seeds up, pass): w - wo over paired seeds has a positive mean and is
    positive in at least min_share of the seeds."""
    d = np.asarray(w, float) - np.asarray(wo, float)
    up = int((d > 0).sum())
    return float(d.mean()), up, bool(d.mean() > 0 and up >= min_share * len(d))


def circle_employment(r, cx, cy, rad):
    """Full-scale employment at the last snapshot in the circle (cells whose centre index lies
    within rad of (cx, cy)), land only."""
    h, w = r["emp"].shape
    y, x = np.mgrid[0:h, 0:w]
    m = ((x - cx) ** 2 + (y - cy) ** 2 <= rad * rad) & (r["region"] >= 0)
    return float(r["emp"][m].sum())


def fact8(policy_runs):
    """policy_runs: {name: [run dicts by seed]} with the names of POLICIES."""
    base = policy_runs["base40"]
    parts, ok, vals = [], True, {}
    checks = [("subsidy", "area jobs", lambda r: circle_employment(r, *SUBSIDY_AREA)),
              ("rd", "R&D spend", lambda r: float(r["ts"]["rd_spend"][1:].sum())),
              ("rd", "innovations", lambda r: float(r["ts"]["innovations"][1:].sum())),
              ("link", "link hires", lambda r: float(r["ts"]["link_hires"][1:].sum()))]
    for pol, label, m in checks:
        w = [m(r) for r in policy_runs[pol]]
        wo = [m(r) for r in base]
        mean_wo = float(np.mean(wo)) if wo else math.nan
        d, up, good = paired_up(w, wo)
        change = (f"{'+' if d >= 0 else ''}{_f(100 * d / mean_wo, '.2g')}%" if mean_wo
                  else f"{'+' if d >= 0 else ''}{_f(d, '.3g')} (from 0)")
        parts.append(f"{label} {change} ({up}/{len(w)})")
        vals[f"{pol}_{label.replace(' ', '_')}"] = d
        ok &= good
    return _result(8, "policies move what they target", "; ".join(parts),
                   "each up on average and in >= 70% of seeds", ok, vals)


def regional_lq(sec_emp, region, n_regions):
    """Location quotients [region][sector] of per-cell sector employment ([S][H][W]): a
    region's share of a sector's jobs over its share of all jobs. nan where undefined."""
    S = sec_emp.shape[0]
    x = np.zeros((n_regions, S))
    for g in range(n_regions):
        m = region == g
        x[g] = sec_emp[:, m].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0) / x.sum())


def spearman(a, b):
    """Spearman rank correlation of two vectors over the entries finite in both (ties: mean
    ranks); nan with fewer than 3 such entries or no variation."""
    from scipy.stats import spearmanr
    a, b = np.asarray(a, float), np.asarray(b, float)
    m = np.isfinite(a) & np.isfinite(b)
    if m.sum() < 3 or np.ptp(a[m]) == 0 or np.ptp(b[m]) == 0:
        return math.nan
    return float(spearmanr(a[m], b[m]).correlation)


def region_of(r, x, y):
    """Region index of the cell holding point (x, y) of a run, -1 at sea or for a nan point."""
    if not (math.isfinite(x) and math.isfinite(y)):
        return -1
    h, w = r["region"].shape
    return int(r["region"][min(h - 1, max(0, int(y))), min(w - 1, max(0, int(x)))])


def fact9(runs):
    """Persistence on the real start: regional LQs keep their ranks, largest clusters stay."""
    rhos, moved, lq0s, lq1s = [], {}, [], []
    n_reg = int(max(r["region"].max() for r in runs)) + 1
    for r in runs:
        idx = [r["sectors"].index(s) for s in r["tradable"]]
        lq0 = regional_lq(r["sec_emp0"], r["region"], n_reg)
        lq1 = regional_lq(r["sec_emp"], r["region"], n_reg)
        lq0s.append(lq0[:, idx])
        lq1s.append(lq1[:, idx])
        rho = [spearman(lq0[:, k], lq1[:, k]) for k in idx]
        rhos.append(float(np.nanmean(rho)) if np.isfinite(rho).any() else math.nan)
        for s, k in zip(r["tradable"], idx):
            g0 = region_of(r, r["lc0_x"][k], r["lc0_y"][k])
            if g0 < 0:
                continue  # no cluster at the start: nothing to leave
            moved[s] = moved.get(s, 0) + int(region_of(r, r["lc_x"][k], r["lc_y"][k]) != g0)
    rho = float(np.mean(rhos)) if rhos else math.nan
    # Diagnostic, not judged: the same correlation for the seeds' mean quotients. Noise that
    # differs between seeds averages out there and drift common to all seeds does not, so a
    # seed-mean rho well above the per-seed one says the shortfall is noise (docs/validation.md)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a (region, sector) nan in every seed
        m0, m1 = np.nanmean(lq0s, axis=0), np.nanmean(lq1s, axis=0)
    rm = [spearman(m0[:, k], m1[:, k]) for k in range(m0.shape[1])] if runs else []
    rho_mean = float(np.nanmean(rm)) if np.isfinite(rm).any() else math.nan
    allowed = math.floor(0.3 * len(runs) + 1e-9)
    worst = max(moved.values()) if moved else 0
    ok = math.isfinite(rho) and rho >= 0.7 and worst <= allowed
    per = ", ".join(f"{s} {n}" for s, n in moved.items())
    return _result(9, "persistence (real start)",
                   f"LQ rank correlation start-end {_f(rho, '.3f')} (of the seeds' mean "
                   f"quotients: {_f(rho_mean, '.3f')}); largest cluster left its region in: "
                   f"{per} (of {len(runs)} seeds)",
                   f"rho >= 0.7; <= {allowed} of {len(runs)} seeds per sector", ok,
                   {"rho": rho, "moved_max": float(worst), "rho_seed_mean": rho_mean})


def measure(uk_runs, uniform_runs, emergent_runs=None, policy_runs=None):
    """The results (dicts: fact, name, measured, target, pass, values) from the run dicts of
    read_run: uk_runs on the scenario's own start (the real one by default), uniform_runs on
    the uniform landscape, emergent_runs on the emergent start of the scenario's map (facts 1,
    3, 7 are about formation; without them the uk runs serve), policy_runs for fact 8 (left
    out when None)."""
    form = emergent_runs if emergent_runs else uk_runs
    out = [fact1(form), fact2(uniform_runs, form), fact3(form), fact4(uk_runs),
           fact5(uk_runs), fact6(uk_runs), fact7(form)]
    if policy_runs:
        out.append(fact8(policy_runs))
    if emergent_runs:
        out.append(fact9(uk_runs))
    return out


def table(results, last=True):
    lines = ["| fact | measured | target | result |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['fact']} {r['name']} | {r['measured']} | {r['target']} | "
                     f"{'PASS' if r['pass'] else 'FAIL'} |")
    n = sum(r["pass"] for r in results)
    if last:
        lines.append(f"validate: {n} of {len(results)} PASS")
    return "\n".join(lines)


# ---------------------------------------------------------------- running the ensemble

def run_path(outdir, landscape, seed):
    return os.path.join(outdir, landscape, f"seed{seed}.h5")


def policy_scenario(outdir, scenario, name):
    """A scenario file extending `scenario` with fact 8's policy `name` (none for base40)."""
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f"fact8_{name}.cfg")
    pol = POLICIES[name]
    text = (f'base = "{os.path.abspath(scenario)}";\nname = "fact8_{name}";\n'
            + (f"policies = ( {pol} );\n" if pol else ""))
    with open(path, "w") as f:
        f.write(text)
    return path


def _command(binary, scenario, out, landscape, seed, scale, steps, threads=1):
    cmd = [binary, "run", scenario, "-o", out, "--seed", str(seed), "--steps", str(steps),
           "--quiet", "--threads", str(threads), "--set", f"scale={scale!r}",
           "--set", f"output.snapshot_every={steps}"]
    return cmd + LANDSCAPES.get(landscape, [])


def _reusable(path, seed, steps, scale):
    try:
        with h5py.File(path, "r") as f:
            return (int(f.attrs.get("complete", 0)) == 1 and int(f.attrs["seed"]) == seed
                    and int(f.attrs["steps"]) == steps
                    and abs(float(f.attrs["scale"]) - scale) <= 1e-12 * scale)
    except (OSError, KeyError):
        return False


def run_ensemble(binary, scenario, seeds, scale, steps, jobs, outdir, reuse=False, sets=None,
                 policies=True, threads=1, set_seeds=None):
    """Runs every (run set, seed), `jobs` runs at a time: the LANDSCAPES sets for `steps`, and,
    with policies, fact 8's POLICIES for POLICY_STEPS (at most `steps`). set_seeds: {set: seeds}
    for the sets that take other seeds than `seeds`. Returns {set: [paths]}."""
    sets = list(sets or LANDSCAPES)
    set_seeds = set_seeds or {}
    tasks = [(ls, s, scenario, steps) for ls in sets for s in set_seeds.get(ls, seeds)]
    if policies:
        psteps = min(POLICY_STEPS, steps)
        for name in POLICIES:
            cfg = policy_scenario(outdir, scenario, name)
            tasks += [(name, s, cfg, psteps) for s in seeds]
    for ls in {t[0] for t in tasks}:
        os.makedirs(os.path.join(outdir, ls), exist_ok=True)

    def one(task):
        ls, seed, cfg, n = task
        out = run_path(outdir, ls, seed)
        if reuse and _reusable(out, seed, n, scale):
            return None
        proc = subprocess.run(_command(binary, cfg, out, ls, seed, scale, n, threads),
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return (f"run {ls} seed {seed} failed (exit {proc.returncode}): "
                    + proc.stderr.strip()[-2000:])
        return None

    # the longest runs first, so that the pool ends together
    tasks.sort(key=lambda t: -t[3])
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        errors = [e for e in ex.map(one, tasks) if e]
    if errors:
        raise ValidationError("\n".join(errors))
    return {ls: [run_path(outdir, ls, s) for s in set_seeds.get(ls, seeds)]
            for ls in {t[0] for t in tasks}}


def validate_scale(a, scale, nseeds, outdir, full=False):
    """Runs and measures one scale; returns the results."""
    seeds = list(range(1, nseeds + 1))
    sets = ["uk"] if full else list(LANDSCAPES)
    paths = run_ensemble(os.path.abspath(a.bin), a.scenario, seeds, scale, a.steps, a.jobs,
                         outdir, reuse=a.reuse, sets=sets, policies=not full,
                         threads=os.cpu_count() or 1 if full else 1,
                         set_seeds={"uniform": list(range(1, max(nseeds, FACT2_SEEDS) + 1))})
    uk = [read_run(p) for p in paths["uk"]]
    if full:  # what one seed can measure: facts 4-6 and 9's correlation
        res = [fact4(uk), fact5(uk), fact6(uk), fact9(uk)]
        res[-1]["target"] = "rho >= 0.7 (one seed: the cluster count is not measured)"
        res[-1]["pass"] = math.isfinite(res[-1]["values"]["rho"]) and res[-1]["values"]["rho"] >= 0.7
        return res
    uni = [read_run(p) for p in paths["uniform"]]
    em = [read_run(p) for p in paths["emergent"]]
    pol = {n: [read_run(p) for p in paths[n]] for n in POLICIES}
    return measure(uk, uni, em, pol)


def parse_scales(text):
    out = []
    for part in text.split(","):
        sc, _, n = part.partition(":")
        out.append((float(sc), int(n or DEFAULT_SEEDS)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m analysis.validate",
                                 description="Measure the stylised facts 1-9 of MODEL.md "
                                 "section 9 on ensembles of seeds at every scale "
                                 "(docs/validation.md).")
    ap.add_argument("--scales", default=DEFAULT_SCALES,
                    help="scale:seeds pairs (default 0.002:10,0.01:10,0.05:4)")
    ap.add_argument("--scale", type=float, help="one scale instead of --scales")
    ap.add_argument("--seeds", type=int, help="seeds 1..N at --scale (default 10)")
    ap.add_argument("--full", action="store_true",
                    help="scale 1.0, one seed, the facts one seed can measure (4-6, 9)")
    ap.add_argument("--steps", type=int, default=DEFAULT_STEPS, help="default 160")
    ap.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="runs at a time (default 2)")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep the run files in DIR/scale<X>/<set>/seed<S>.h5 (DIR/<set>/ with "
                    "one scale, except --full)")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: skip runs whose complete file (same seed, steps, scale) "
                    "is already there")
    ap.add_argument("--bin", default=os.environ.get("CLUSTERSIM") or os.path.join(ROOT,
                                                                                  "clustersim"))
    ap.add_argument("--scenario", default=os.path.join(ROOT, "scenarios", "baseline.cfg"))
    a = ap.parse_args(argv)
    try:
        if a.full:
            plan = [(1.0, 1)]
        elif a.scale is not None or a.seeds is not None:
            plan = [(a.scale if a.scale is not None else DEFAULT_SCALE,
                     a.seeds if a.seeds is not None else DEFAULT_SEEDS)]
        else:
            plan = parse_scales(a.scales)
    except ValueError:
        ap.error("--scales takes scale:seeds pairs, e.g. 0.002:10,0.01:10")
    if a.steps < 1 or any(n < 1 or not sc > 0 for sc, n in plan):
        ap.error("--seeds and --steps must be >= 1 and scales > 0")
    if not os.path.exists(a.bin):
        print(f"validate: error: {a.bin}: no such binary (run make)", file=sys.stderr)
        return 1
    outdir = a.keep or tempfile.mkdtemp(prefix="clustersim-validate-")
    summary, all_ok = [], True
    try:
        for scale, n in plan:
            t0 = time.time()
            useeds = "" if a.full else f" (uniform landscape 1..{max(n, FACT2_SEEDS)})"
            print(f"\nvalidate: {a.scenario}, scale {scale:g}, seeds 1..{n}{useeds}, {a.steps} steps "
                  f"({'real start only' if a.full else 'real and emergent starts, uniform landscape, fact 8 policies'}), "
                  f"{a.jobs} jobs", flush=True)
            sub = outdir if len(plan) == 1 and not a.full else os.path.join(outdir, f"scale{scale:g}")
            results = validate_scale(a, scale, n, sub, full=a.full)
            print(f"({time.time() - t0:.0f} s" + (f"; run files in {sub}" if a.keep else "") + ")")
            print(table(results, last=False))
            npass = sum(r["pass"] for r in results)
            summary.append((scale, npass, len(results)))
            all_ok &= npass == len(results)
    except (ValidationError, libcfg.ConfigError, KeyError) as e:
        print(f"validate: error: {e}", file=sys.stderr)
        return 1
    finally:
        if not a.keep:
            shutil.rmtree(outdir, ignore_errors=True)
    if len(summary) == 1 and not a.full:
        print(f"validate: {summary[0][1]} of {summary[0][2]} PASS")
    elif all_ok:
        print(f"validate: {summary[0][2]} of {summary[0][2]} PASS at every scale "
              f"({', '.join(f'{s:g}' for s, _, _ in summary)})")
    else:
        print("validate: " + "; ".join(f"{p} of {t} PASS at scale {s:g}" for s, p, t in summary))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
