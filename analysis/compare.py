"""Outcomes of a policy scenario against a baseline, paired by seed (docs/analysis.md).

Every figure is computed per seed from a (baseline, policy) pair with the same seed, then
averaged over seeds; the 95% confidence interval comes from the paired differences
(stats.paired_ci). Steps are quarters; sums run over steps 1..steps (step 0 is the initial state)."""
import math
import os

import numpy as np

from . import stats
from .runs import CAPITAL, AnalysisError

# How each outcome is cumulated over the run: "years" (stock: sum / 4, e.g. job-years),
# "sum" (flow per quarter: total), "mean" (rate or ratio: average over the run), None (final only).
CUMULATE = {"employment": "years", "firms": "years", "output": "sum", "innovations": "sum",
            "births": "sum", "deaths": "sum", "spending": "sum", "productivity": "mean",
            "mean_wage": "mean", "unemployment_rate": "mean", "regional_theil": "mean",
            "capital_output_share": "mean", "eg_index": "mean", "cluster_count": "mean",
            "largest_cluster_employment": "mean", "largest_cluster_x": None,
            "largest_cluster_y": None}
NATIONAL = ["employment", "output", "productivity", "mean_wage", "innovations", "firms",
            "births", "deaths", "unemployment_rate", "regional_theil", "capital_output_share",
            "spending"]
REGIONAL = ["employment", "output", "productivity", "mean_wage", "firms", "unemployment_rate"]
SECTORAL = ["eg_index", "cluster_count", "largest_cluster_employment", "largest_cluster_x",
            "largest_cluster_y"]
COLUMNS = ["outcome", "scope", "measure", "baseline", "policy", "difference", "ci_low",
           "ci_high", "percent", "n_seeds", "note"]
NO_JOB_EFFECT = "no detectable job effect"
JOBS_LOST = "net jobs lost"  # the job-years' CI lies below zero: spending bought no jobs
RATIOS = ("cost_per_job_year", "job_years_per_million", "output_per_pound", "displacement")


def money_unit(run):
    """The currency of a run's money, read from /timeseries/spending's units attribute (e.g.
    "GBP 2018 per quarter" -> "GBP 2018", "pounds per step (full scale)" -> "pounds (full
    scale)"); "£" when the attribute is missing."""
    import re
    u = (getattr(run, "ts_units", {}) or {}).get("spending", "").strip()
    u = re.sub(r"\s*(?:\bper\s+|/\s*)(?:quarter|step)\b", "", u).strip()
    return u or "£"


def _div(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)


def _cum(series, how):
    s = np.asarray(series, float)[1:]
    if how == "years":
        return float(s.sum()) / 4.0
    if how == "sum":
        return float(s.sum())
    return float(np.nanmean(s)) if s.size else math.nan


# ---------------------------------------------------------------- target area

class Target:
    """The union of the policy scenario's policy areas.
    kind: "none" (no policy), "everywhere", "regions" (per-step /regions data), "cells" (a cell
    mask, measured on employment snapshots)."""

    def __init__(self, kind, regions=(), mask=None, label=""):
        self.kind, self.regions, self.mask, self.label = kind, list(regions), mask, label


def _xyr(v, keys):
    if isinstance(v, dict):
        return [float(v[k]) for k in keys]
    return [float(x) for x in v]


def target_area(run):
    """Target area of a (policy) run from its config's policies list."""
    pols = run.policies()
    if not pols:
        return Target("none", label="no policy")
    regions, parts, labels = set(), [], []
    H, W = run.region_map.shape if run.region_map is not None else (0, 0)
    ys, xs = np.indices((H, W))
    for p in pols:
        area = p.get("area", "everywhere") if isinstance(p, dict) else "everywhere"
        if isinstance(area, str):
            area = {area: True}
        if not isinstance(area, dict) or area.get("everywhere") or not area:
            return Target("everywhere", label="everywhere")
        if area.get("regions"):
            names = area["regions"] if isinstance(area["regions"], list) else [area["regions"]]
            for n in names:
                if run.region_names and n not in run.region_names:
                    raise AnalysisError(f"{run.path}: policy area names unknown region {n!r}")
            regions.update(names)
            labels.append("+".join(names))
        if "circle" in area:
            cx, cy, r = _xyr(area["circle"], ("x", "y", "r"))
            parts.append((xs - cx) ** 2 + (ys - cy) ** 2 <= r * r)
            labels.append(f"circle ({cx:g}, {cy:g}) r {r:g}")
        if "rect" in area:
            x0, y0, x1, y1 = _xyr(area["rect"], ("x0", "y0", "x1", "y1"))
            parts.append((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1))
            labels.append(f"rect ({x0:g}, {y0:g})-({x1:g}, {y1:g})")
        if area.get("city_centres"):
            if run.city_centre is None:
                raise AnalysisError(f"{run.path}: no /landscape/city_centre for a city_centres area")
            parts.append(run.city_centre.copy())
            labels.append("city centres")
    label = "; ".join(dict.fromkeys(labels))
    if not parts:
        return Target("regions", regions=[n for n in (run.region_names or []) if n in regions]
                      or sorted(regions), label=label)
    if run.region_map is None or run.snap_employment is None:
        raise AnalysisError(f"{run.path}: a circle, rect or city_centres area needs "
                            "/landscape/region and /snapshots/employment")
    mask = np.zeros((H, W), bool)
    for m in parts:
        mask |= m
    for n in regions:
        mask |= run.region_map == run.map_region_names.index(n)
    mask &= run.region_map >= 0
    return Target("cells", regions=sorted(regions), mask=mask, label=label)


def _target_series(run, target):
    """(employment inside, employment outside) per step for a target area."""
    if target.kind == "regions":
        emp = run.regions["employment"]
        idx = [run.region_names.index(n) for n in target.regions]
        inside = emp[:, idx].sum(1)
        return inside, emp.sum(1) - inside
    land = run.region_map >= 0
    snaps = run.snap_employment
    ins = np.array([s[target.mask].sum() for s in snaps])
    out = np.array([s[land & ~target.mask].sum() for s in snaps])
    steps = np.arange(run.T)
    return np.interp(steps, run.snap_steps, ins), np.interp(steps, run.snap_steps, out)


# ---------------------------------------------------------------- per-pair values

def _national(run, name):
    if name == "productivity":
        return _div(run.series("output"), run.series("employment"))
    if name == "capital_output_share":
        out = run.regions.get("output")
        if out is None or CAPITAL not in run.region_names:
            return None
        return _div(out[:, run.region_names.index(CAPITAL)], out.sum(1))
    return run.ts.get(name)


def _regional(run, name, j):
    if name == "productivity":
        return _div(run.regions["output"][:, j], run.regions["employment"][:, j])
    d = run.regions.get(name)
    return None if d is None else d[:, j]


def pair_values(b, p, target):
    """{(outcome, scope, measure): (baseline, policy)} for plain outcomes, and
    {(outcome, scope, measure): value} in a second dict for derived ratios, for one seed."""
    vals, derived = {}, {}

    def add(outcome, scope, sb, sp):
        if sb is None or sp is None:
            return
        vals[(outcome, scope, "final")] = (float(sb[-1]), float(sp[-1]))
        how = CUMULATE.get(outcome)
        if how:
            vals[(outcome, scope, "cumulative")] = (_cum(sb, how), _cum(sp, how))

    for name in NATIONAL:
        add(name, "national", _national(b, name), _national(p, name))
    for j, reg in enumerate(b.region_names):
        if reg not in p.region_names:
            continue
        jp = p.region_names.index(reg)
        for name in REGIONAL:
            sb, sp = _regional(b, name, j), _regional(p, name, jp)
            add(name, f"region {reg}", sb, sp)
    for j, sec in enumerate(b.sector_names):
        if sec not in p.sector_names:
            continue
        jp = p.sector_names.index(sec)
        for name in SECTORAL:
            if name in b.sectors and name in p.sectors:
                add(name, f"sector {sec}", b.sectors[name][:, j], p.sectors[name][:, jp])

    sl = slice(1, None)
    b.series("spending"), p.series("spending")   # both runs must have it
    # ratios of means over seeds, set by money_rows (a mean of per-seed ratios is meaningless
    # when a seed's denominator is near zero)
    derived[("cost_per_job_year", "national", "cumulative")] = math.nan
    derived[("job_years_per_million", "national", "cumulative")] = math.nan
    derived[("output_per_pound", "national", "cumulative")] = math.nan

    if target.kind in ("regions", "cells"):
        ib, ob_ = _target_series(b, target)
        ip, op_ = _target_series(p, target)
        add("employment", "target area", ib, ip)
        add("employment", "outside target", ob_, op_)
        if target.kind == "regions":
            for name in ("output", "firms"):
                idx_b = [b.region_names.index(n) for n in target.regions]
                idx_p = [p.region_names.index(n) for n in target.regions]
                add(name, "target area", b.regions[name][:, idx_b].sum(1),
                    p.regions[name][:, idx_p].sum(1))
        derived[("displacement", "target area", "final")] = stats.displacement(
            ip[-1] - ib[-1], op_[-1] - ob_[-1])
        derived[("displacement", "target area", "cumulative")] = stats.displacement(
            float((ip - ib)[sl].sum()) / 4, float((op_ - ob_)[sl].sum()) / 4)
    return vals, derived


# ---------------------------------------------------------------- aggregation

def compare(pairs):
    """Rows (dicts with COLUMNS) for paired runs [(baseline, policy)], and the target area."""
    target = target_area(pairs[0][1])
    per = [pair_values(b, p, target) for b, p in pairs]
    rows = []
    keys = list(per[0][0])
    for k in keys:
        bv = np.array([v[0][k][0] for v in per if k in v[0]])
        pv = np.array([v[0][k][1] for v in per if k in v[0]])
        d = pv - bv
        mean, lo, hi, n = stats.paired_ci(d)
        if n >= 2 and np.all(d == d[0]):
            lo = hi = mean  # identical differences: the interval has zero width
        base = float(bv.mean())
        pct = 100.0 * mean / base if base != 0 and math.isfinite(base) else math.nan
        rows.append(dict(zip(COLUMNS, [k[0], k[1], k[2], base, float(pv.mean()), mean, lo, hi,
                                       pct, n, ""])))
    for k in per[0][1]:
        v = np.array([x[1][k] for x in per], float)
        v = v[np.isfinite(v)]
        mean, lo, hi, n = stats.paired_ci(v)
        rows.append(dict(zip(COLUMNS, [k[0], k[1], k[2], math.nan, math.nan, mean, lo, hi,
                                       math.nan, n, ""])))
    money_rows(rows, per)
    return rows, target


def money_rows(rows, per):
    """Sets output_per_pound (mean extra output / mean extra spending, delta-method CI) and the
    job rows of honest_cost from the per-seed national cumulative differences."""
    def diffs(key):
        return [v[0][key][1] - v[0][key][0] for v in per] if all(key in v[0] for v in per) \
            else None
    jobs = diffs(("employment", "national", "cumulative"))
    spent = diffs(("spending", "national", "cumulative"))
    gained = diffs(("output", "national", "cumulative"))
    if spent is None:
        return
    opp = next((r for r in rows if (r["outcome"], r["scope"], r["measure"]) ==
                ("output_per_pound", "national", "cumulative")), None)
    if opp is not None and gained is not None:
        r, lo, hi, n = stats.ratio_ci(gained, spent)
        opp.update(difference=r, ci_low=lo, ci_high=hi, n_seeds=n if math.isfinite(r) else 0)
    if jobs is not None:
        honest_cost(rows, jobs, spent)


def honest_cost(rows, job_years, spent):
    """Sets the job_years_per_million and cost_per_job_year rows from the per-seed net job-years
    and extra spending (national, cumulative).
    job_years_per_million = 1e6 · mean(job-years) / mean(spending), with a delta-method CI
    (stats.ratio_ci): finite whenever the policy spends.
    cost_per_job_year only when the job effect is detectable and positive, i.e. the 95% CI of
    national net job-years lies above zero (below zero the note says "net jobs lost"): mean(spending) / mean(job-years), with the inverse of the
    job-years-per-million interval as its CI when that interval excludes zero (else the CI is
    unbounded and the note says so). Otherwise the cost is blank and the note says "no detectable
    job effect". A mean of per-seed costs is never used: a seed with almost no net jobs makes it
    meaningless (10 seeds of tech_city once gave -0.77 pounds per net job-year)."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    cost = get.get(("cost_per_job_year", "national", "cumulative"))
    jpm = get.get(("job_years_per_million", "national", "cumulative"))
    jobs = get.get(("employment", "national", "cumulative"))
    if cost is None or jpm is None or jobs is None:
        return
    r, lo, hi, n = stats.ratio_ci(job_years, spent)
    jpm.update(difference=1e6 * r, ci_low=1e6 * lo, ci_high=1e6 * hi, n_seeds=n, note="")
    nan = dict(difference=math.nan, ci_low=math.nan, ci_high=math.nan)
    if not math.isfinite(r):
        cost.update(nan, n_seeds=0, note="no spending difference")
        jpm.update(n_seeds=0, note="no spending difference")
        return
    if not stats.excludes_zero(jobs["ci_low"], jobs["ci_high"]):
        why = " (one seed: no confidence interval)" if n < 2 else ""
        cost.update(nan, n_seeds=n, note=NO_JOB_EFFECT + why)
        jpm["note"] = NO_JOB_EFFECT + why
        return
    if jobs["ci_high"] < 0:
        # a negative cost per job reads as a bargain; the policy cost jobs instead
        cost.update(nan, n_seeds=n, note=JOBS_LOST + " (the 95% CI of net job-years is below 0)")
        jpm["note"] = JOBS_LOST
        return
    cost.update(nan, difference=float(np.mean(spent) / np.mean(job_years)), n_seeds=n, note="")
    if stats.excludes_zero(jpm["ci_low"], jpm["ci_high"]):
        a, b = 1e6 / jpm["ci_low"], 1e6 / jpm["ci_high"]
        cost.update(ci_low=min(a, b), ci_high=max(a, b))
    else:
        cost["note"] = "CI unbounded: job-years per million's CI includes 0"


def section_of(row):
    s = row["scope"]
    if row["outcome"] in RATIOS or row["outcome"] == "spending":
        return "Cost and displacement"
    if s == "national":
        return "National"
    if s in ("target area", "outside target"):
        return "Target area"
    if s.startswith("region "):
        return "Regions"
    return "Sectors (clusters)"


SECTIONS = ["National", "Cost and displacement", "Target area", "Regions", "Sectors (clusters)"]


# ---------------------------------------------------------------- reports

def fmt(v):
    """A number for a table: n/a for nan, thousands separators for large values."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    a = abs(v)
    if a >= 1e5:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:,.1f}"
    if a == 0:
        return "0"
    return f"{v:.4g}"


def markdown(rows, title, notes=()):
    """The comparison as markdown: one table per section."""
    n = max((r["n_seeds"] for r in rows), default=0)
    single = n < 2
    out = [f"# {title}", ""]
    out += [f"- {x}" for x in notes]
    if single:
        out.append("- One seed: differences are shown without a confidence interval "
                   "(a confidence interval needs at least two paired seeds).")
    else:
        out.append(f"- {n} paired seeds: each figure is the mean over seeds; 95% CI from the "
                   "paired differences (t distribution).")
    out.append("")
    for sec in SECTIONS:
        sel = [r for r in rows if section_of(r) == sec]
        if not sel:
            continue
        out += [f"## {sec}", "",
                "| outcome | scope | measure | baseline | policy | difference | 95% CI | % of baseline | seeds |",
                "|---|---|---|---:|---:|---:|---|---:|---:|"]
        for r in sel:
            ci = "—" if not math.isfinite(r["ci_low"]) else f"[{fmt(r['ci_low'])}, {fmt(r['ci_high'])}]"
            pct = fmt(r["percent"]) + ("%" if math.isfinite(r["percent"]) else "")
            diff = fmt(r["difference"])
            if r.get("note") and not math.isfinite(r["difference"]):
                diff = r["note"]
            elif r.get("note"):
                diff += f" ({r['note']})"
            out.append(f"| {r['outcome']} | {r['scope']} | {r['measure']} | {fmt(r['baseline'])} | "
                       f"{fmt(r['policy'])} | {diff} | {ci} | {pct} | {r['n_seeds']} |")
        out.append("")
    return "\n".join(out)


def frame(rows):
    """The rows as a pandas DataFrame with the COLUMNS of summary.csv."""
    import pandas as pd
    return pd.DataFrame([{c: r.get(c, "") for c in COLUMNS} for r in rows], columns=COLUMNS)


def write_csv(rows, path):
    """summary.csv: one line per row, empty cells for undefined values (nan)."""
    write_frame(frame(rows), path)


def write_frame(df, path, index=False):
    """A DataFrame as CSV (empty cells for nan), written under a temporary name then renamed."""
    df.to_csv(path + ".tmp", index=index, na_rep="")
    os.replace(path + ".tmp", path)


def write_text(text, path):
    """A text file written under a temporary name, then renamed."""
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
