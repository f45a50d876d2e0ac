"""Validation: measures the stylised facts 1-7 of MODEL.md section 9 on an ensemble of seeds.

    /usr/bin/python3 -m analysis.validate [--seeds N] [--scale X] [--steps N] [--jobs N]
                                         [--keep DIR] [--reuse] [--bin PATH] [--scenario CFG]

Runs the scenario (default scenarios/baseline.cfg, the default economy) for seeds 1..N on its own
landscape ("uk") and on the uniform landscape (fact 2), reads the run files and prints one table
row per fact (measured figures, target, PASS/FAIL), then `validate: N of 7 PASS`. Exit status 0
when every fact passes, 1 otherwise (or when a run fails). Every measurement is defined in
docs/validation.md; the pure functions below (hill_alpha, ols_slope, modal_index, share_within,
cluster_employments, annual_rates, mean_last, expected_distance) are unit-tested in
analysis/tests/test_validate.py."""
import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np

from . import libcfg, stats
from .runs import tradable_sectors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SEEDS = 10
DEFAULT_SCALE = 0.002
DEFAULT_STEPS = 160
DEFAULT_JOBS = 2
NEAR = 10.0            # cells: "within 10 cells" (facts 2)
N_TOP_UNIVERSITIES = 5  # fact 7
MIN_CELL_JOBS = 20      # fact 4: simulated (model-agent) jobs in a cell
LAST_STEPS = 40         # fact 6: unemployment window
LANDSCAPES = ("uk", "uniform")


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


def cluster_mask(e_s, e, rk, lq_min, e_min):
    """Cluster cells of one sector, as sector_clusters in sim/metrics.c (docs/metrics.md):
    <E>(c) > 0, (<E_s>/<E>) / (E_s,total/E_total) >= lq_min and <E_s>(c) (2rk+1)^2 >= e_min,
    box windows of Chebyshev radius rk with off-grid cells empty."""
    e_s = np.nan_to_num(np.asarray(e_s, dtype=float))
    e = np.nan_to_num(np.asarray(e, dtype=float))
    tot_s, tot = float(e_s.sum()), float(e.sum())
    if not (tot_s > 0 and tot > 0):
        return np.zeros(e.shape, dtype=bool)
    share = tot_s / tot
    side = 2.0 * rk + 1.0
    ls, le = stats.box_mean(e_s, rk), stats.box_mean(e, rk)
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.where(le > 0, ls / np.where(le > 0, le, 1.0), 0.0) / share
    return (le > 0) & (lq >= lq_min) & (ls * side * side >= e_min)


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
                   f"share at modal position: {per}; mean {_f(mean, '.2f')} (a cluster in "
                   f"{_f(100 * with_cluster, '.0f')}% of sector-seeds); "
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
    """(log <E>_Rk, log mean wage) of the cells with at least MIN_CELL_JOBS simulated jobs."""
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
    sim_jobs = np.rint(r["emp"].ravel() * r["scale"])
    dens = stats.box_mean(r["emp"], r["rk"]).ravel()
    sel = (sim_jobs >= MIN_CELL_JOBS) & (jobs > 0) & (dens > 0)
    wage = np.where(sel, bill / np.where(jobs > 0, jobs, 1.0), 0.0)
    sel &= wage > 0
    return np.log(dens[sel]), np.log(wage[sel])


def fact4(runs):
    xs, ys, gs = [], [], []
    for i, r in enumerate(runs):
        x, y = cell_wage_data(r)
        xs.append(x)
        ys.append(y)
        gs.append(np.full(len(x), i))
    x, y, g = np.concatenate(xs), np.concatenate(ys), np.concatenate(gs)
    slope = ols_slope(x, y, g)
    ok = math.isfinite(slope) and 0.02 <= slope <= 0.08
    return _result(4, "urban wage premium",
                   f"slope {_f(slope)} ({len(x)} cells with >= {MIN_CELL_JOBS} jobs)",
                   "0.02 .. 0.08", ok, {"slope": slope, "cells": float(len(x))})


def fact5(runs):
    n = np.concatenate([r["firms"]["employees"].astype(float) for r in runs])
    alpha = hill_alpha(n)
    mean = float(n.mean()) if len(n) else math.nan
    median = float(np.median(n)) if len(n) else math.nan
    ok = math.isfinite(alpha) and 0.7 <= alpha <= 1.8 and mean >= 2.0 * median
    return _result(5, "firm sizes",
                   f"Hill alpha {_f(alpha)} ({len(n)} firms); mean {_f(mean)}, "
                   f"median {_f(median)}", "alpha 0.7 .. 1.8; mean >= 2 x median", ok,
                   {"alpha": alpha, "mean": mean, "median": median})


def fact6(runs):
    u = float(np.mean([mean_last(r["ts"]["unemployment_rate"]) for r in runs]))
    b = float(np.mean([annual_rates(r["ts"]["births"], r["ts"]["firms"]) for r in runs]))
    d = float(np.mean([annual_rates(r["ts"]["deaths"], r["ts"]["firms"]) for r in runs]))

    def inside(v, lo, hi):
        return math.isfinite(v) and lo <= v <= hi
    ok = inside(u, 0.03, 0.12) and inside(b, 0.05, 0.20) and inside(d, 0.05, 0.20)
    return _result(6, "labour market, demography",
                   f"unemployment {_f(100 * u)}%; births {_f(100 * b)}%/yr, "
                   f"deaths {_f(100 * d)}%/yr",
                   "unemployment 3..12%; births, deaths 5..20%/yr", ok,
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


def measure(uk_runs, uniform_runs):
    """The seven results (dicts: fact, name, measured, target, pass, values) from the run dicts
    of read_run: uk_runs on the scenario's own landscape, uniform_runs on the uniform one."""
    return [fact1(uk_runs), fact2(uniform_runs, uk_runs), fact3(uk_runs), fact4(uk_runs),
            fact5(uk_runs), fact6(uk_runs), fact7(uk_runs)]


def table(results):
    lines = ["| fact | measured | target | result |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['fact']} {r['name']} | {r['measured']} | {r['target']} | "
                     f"{'PASS' if r['pass'] else 'FAIL'} |")
    n = sum(r["pass"] for r in results)
    lines.append(f"validate: {n} of {len(results)} PASS")
    return "\n".join(lines)


# ---------------------------------------------------------------- running the ensemble

def run_path(outdir, landscape, seed):
    return os.path.join(outdir, landscape, f"seed{seed}.h5")


def _command(binary, scenario, out, landscape, seed, scale, steps):
    cmd = [binary, "run", scenario, "-o", out, "--seed", str(seed), "--steps", str(steps),
           "--quiet", "--threads", "1", "--set", f"scale={scale!r}",
           "--set", f"output.snapshot_every={steps}"]
    if landscape == "uniform":
        cmd += ["--set", 'landscape.kind="uniform"']
    return cmd


def _reusable(path, seed, steps, scale):
    try:
        with h5py.File(path, "r") as f:
            return (int(f.attrs.get("complete", 0)) == 1 and int(f.attrs["seed"]) == seed
                    and int(f.attrs["steps"]) == steps
                    and abs(float(f.attrs["scale"]) - scale) <= 1e-12 * scale)
    except (OSError, KeyError):
        return False


def run_ensemble(binary, scenario, seeds, scale, steps, jobs, outdir, reuse=False, log=None):
    """Runs every (landscape, seed) with `jobs` runs at a time; returns {landscape: [paths]}."""
    tasks = [(ls, s) for s in seeds for ls in LANDSCAPES]
    for ls in LANDSCAPES:
        os.makedirs(os.path.join(outdir, ls), exist_ok=True)

    def one(task):
        ls, seed = task
        out = run_path(outdir, ls, seed)
        if reuse and _reusable(out, seed, steps, scale):
            return None
        proc = subprocess.run(_command(binary, scenario, out, ls, seed, scale, steps),
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return (f"run {ls} seed {seed} failed (exit {proc.returncode}): "
                    + proc.stderr.strip()[-2000:])
        return None

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        errors = [e for e in ex.map(one, tasks) if e]
    if errors:
        raise ValidationError("\n".join(errors))
    return {ls: [run_path(outdir, ls, s) for s in seeds] for ls in LANDSCAPES}


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m analysis.validate",
                                 description="Measure the stylised facts 1-7 of MODEL.md "
                                 "section 9 on an ensemble of seeds (docs/validation.md).")
    ap.add_argument("--seeds", type=int, default=DEFAULT_SEEDS, help="seeds 1..N (default 10)")
    ap.add_argument("--scale", type=float, default=DEFAULT_SCALE, help="default 0.002")
    ap.add_argument("--steps", type=int, default=DEFAULT_STEPS, help="default 160")
    ap.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help="runs at a time (default 2)")
    ap.add_argument("--keep", metavar="DIR", help="keep the run files in DIR/uk, DIR/uniform")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: skip runs whose complete file (same seed, steps, scale) "
                    "is already there")
    ap.add_argument("--bin", default=os.environ.get("CLUSTERSIM") or os.path.join(ROOT,
                                                                                  "clustersim"))
    ap.add_argument("--scenario", default=os.path.join(ROOT, "scenarios", "baseline.cfg"))
    a = ap.parse_args(argv)
    if a.seeds < 1 or a.steps < 1 or not a.scale > 0:
        ap.error("--seeds and --steps must be >= 1 and --scale > 0")
    if not os.path.exists(a.bin):
        print(f"validate: error: {a.bin}: no such binary (run make)", file=sys.stderr)
        return 1
    seeds = list(range(1, a.seeds + 1))
    outdir = a.keep or tempfile.mkdtemp(prefix="clustersim-validate-")
    t0 = time.time()
    print(f"validate: {a.scenario}, seeds 1..{a.seeds}, scale {a.scale:g}, {a.steps} steps, "
          f"landscapes {' and '.join(LANDSCAPES)}, {a.jobs} jobs", flush=True)
    try:
        paths = run_ensemble(os.path.abspath(a.bin), a.scenario, seeds, a.scale, a.steps,
                             a.jobs, outdir, reuse=a.reuse)
        uk = [read_run(p) for p in paths["uk"]]
        uni = [read_run(p) for p in paths["uniform"]]
        results = measure(uk, uni)
    except (ValidationError, libcfg.ConfigError, KeyError) as e:
        print(f"validate: error: {e}", file=sys.stderr)
        return 1
    finally:
        if not a.keep:
            shutil.rmtree(outdir, ignore_errors=True)
    print(f"({2 * len(seeds)} runs in {time.time() - t0:.0f} s"
          + (f"; run files in {outdir}" if a.keep else "") + ")")
    print(table(results))
    return 0 if all(r["pass"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
