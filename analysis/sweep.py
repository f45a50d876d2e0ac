"""Sweep outputs (`clustersim sweep`, INTERFACES.md): the run table, the sweep as an xarray
Dataset, selections, and `analysis sweep` (outcome against each varied value, paired differences
from the baseline scenario, the league table). See docs/analysis.md.

A sweep directory holds DIR/sweep.h5 (root attributes format = "clustersim-sweep", name,
varied_keys, ...; group /runs with one row per run: id, scenario, scenario_file, seed, status,
wall_seconds, file, vary_<i> (attribute key), final/<metric>) and DIR/runs/<id>.h5."""
import math
import os
import re
import sys
import time

import h5py
import numpy as np

from . import compare, stats
from .runs import AnalysisError, Run, _s

FORMAT = "clustersim-sweep"
BASELINE = "baseline"
HEADLINE = ["employment", "output", "mean_productivity", "unemployment_rate", "innovations",
            "spending_cumulative", "eg_tradable_mean"]
BASE_COLS = ["id", "scenario", "scenario_file", "seed", "status", "wall_seconds", "file",
             "git_hash"]


def sweep_path(path):
    """DIR/sweep.h5 for a sweep directory, or the sweep file itself; None when path is neither."""
    p = os.path.join(path, "sweep.h5") if os.path.isdir(path) else path
    if not os.path.isfile(p):
        return None
    try:
        with h5py.File(p, "r") as f:
            return p if _s(f.attrs.get("format", "")) == FORMAT else None
    except OSError:
        return None


def _need(path):
    p = sweep_path(path)
    if p is None:
        if not os.path.exists(path):
            raise AnalysisError(f"{path}: no such file or directory")
        if os.path.isfile(os.path.join(path, "plan.txt")):
            # a sweep folder whose sweep stopped before writing sweep.h5: a time limit, an MPI
            # farm ended, an array not all done
            raise AnalysisError(f"{path}: a sweep folder without sweep.h5 (its sweep has not "
                                f"finished): write it from the run files there with "
                                f"`./clustersim sweep --collect {path}`")
        raise AnalysisError(f"{path}: not a sweep (want a directory holding sweep.h5, or a file "
                            f"whose root attribute format is {FORMAT!r})")
    return p


def _col(d):
    v = d[()]
    if d.dtype.kind in ("S", "O", "U"):
        return np.array([_s(x) for x in np.atleast_1d(v)], dtype=object)
    return np.asarray(v)


def run_table(path):
    """The sweep's /runs table as a pandas DataFrame, one row per run: id, scenario,
    scenario_file, seed, status, wall_seconds, file, git_hash ("" in sweep files from before it
    was written), one column per varied key (named by the
    key; NaN or "" where it does not apply) and one per final metric. attrs: varied_keys,
    metrics, units ({metric: its units attribute, "" where none}), dir (the sweep directory) and
    the sweep file's root attributes."""
    import pandas as pd
    p = _need(path)
    with h5py.File(p, "r") as f:
        if "runs" not in f or "id" not in f["runs"]:
            raise AnalysisError(f"{p}: no /runs/id table")
        g = f["runs"]
        data = {}
        for c in BASE_COLS:
            if c in g:
                data[c] = _col(g[c])
        n = len(data["id"])
        for c in BASE_COLS:
            if c not in data:
                data[c] = np.full(n, np.nan) if c == "wall_seconds" else np.full(n, "", object)
        keys = [_s(k) for k in np.atleast_1d(f.attrs.get("varied_keys", []))]
        vary = sorted((k for k in g if re.fullmatch(r"vary_\d+", k)), key=lambda k: int(k[5:]))
        for i, k in enumerate(vary):
            key = _s(g[k].attrs.get("key", keys[i] if i < len(keys) else k))
            data[key] = _col(g[k])
            if key not in keys:
                keys.append(key)
        metrics, units = [], {}
        if "final" in g:
            for m in g["final"]:
                data[m] = np.asarray(g["final"][m][()], float)
                metrics.append(m)
                units[m] = _s(g["final"][m].attrs.get("units", ""))
        attrs = {}
        for k, v in f.attrs.items():
            attrs[k] = [_s(x) for x in v] if isinstance(v, np.ndarray) and v.ndim else \
                (_s(v) if isinstance(v, (bytes, str)) else (v.item() if hasattr(v, "item") else v))
    for k, v in data.items():
        if len(v) != n:
            raise AnalysisError(f"{p}: /runs columns have different lengths (id {n}, {k} {len(v)})")
    df = pd.DataFrame(data)
    df["seed"] = df["seed"].astype("int64")
    df.attrs.update(attrs)
    df.attrs.update(varied_keys=keys, metrics=metrics, units=units,
                    dir=os.path.dirname(os.path.abspath(p)))
    return df


def _missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and v == "")


def _is_str_key(df, key):
    return df[key].dtype == object


# ---------------------------------------------------------------- selections

def parse_where(text):
    """`KEY=VALUE` -> (KEY, VALUE)."""
    if "=" not in text:
        raise AnalysisError(f"--where {text!r}: want KEY=VALUE (e.g. scenario=baseline)")
    k, v = text.split("=", 1)
    return k.strip(), v.strip()


def select(df, where):
    """Rows of the run table matching every (key, value) of `where`: key is a column (id,
    scenario, scenario_file, seed, status, a varied config key or a final metric); numbers match
    to a relative 1e-9, strings exactly."""
    mask = np.ones(len(df), bool)
    for key, val in where:
        if key not in df.columns:
            raise AnalysisError(f"--where {key}={val}: no such column; the sweep has "
                                + ", ".join(c for c in df.columns))
        col = df[key]
        if col.dtype == object:
            mask &= (col == val).to_numpy()
        else:
            try:
                x = float(val)
            except ValueError:
                raise AnalysisError(f"--where {key}={val}: {key} is numeric") from None
            mask &= np.isclose(col.to_numpy(float), x, rtol=1e-9, atol=0.0)
    return df[mask]


def _values_hint(table, where):
    """For the keys of `where` whose value no run has: "; scenario has baseline, ne_subsidy"
    (up to 10 distinct values each), so that a mistyped value shows what to write."""
    out = []
    for key, val in where:
        if key not in table.columns or len(select(table, [(key, val)])):
            continue
        vals = [v for v in table[key].unique() if not _missing(v)]
        # as they can be typed back (select matches numbers to a relative 1e-9)
        shown = ", ".join(repr(float(v)) if isinstance(v, (float, np.floating)) else str(v)
                          for v in vals[:10])
        out.append(f"{key} has {shown or 'no values'}" + (", ..." if len(vals) > 10 else ""))
    return "; " + "; ".join(out) if out else ""


def members(path, where=()):
    """Run file paths of the sweep's finished runs (status "ok") that match `where`; warns on
    stderr about selected runs that are not ok."""
    table = run_table(path)
    df = select(table, where)
    bad = df[df["status"] != "ok"]
    if len(bad):
        print(f"analysis: warning: {path}: {len(bad)} selected run(s) not ok, left out: "
              + ", ".join(f"{i} ({s})" for i, s in zip(bad["id"][:5], bad["status"][:5]))
              + (" ..." if len(bad) > 5 else ""), file=sys.stderr)
    ok = df[(df["status"] == "ok") & (df["file"] != "")]
    if not len(ok):
        raise AnalysisError(f"{path}: no finished runs match "
                            + (" and ".join(f"{k}={v}" for k, v in where) or "(no selection)")
                            + _values_hint(table, where))
    d = df.attrs["dir"]
    return [os.path.join(d, f) for f in ok["file"]]


def load_run(path, run_id):
    """A run of the sweep, by id, as an analysis.runs.Run (its full time series in .ts, tables
    as DataFrames via .frame())."""
    df = run_table(path)
    row = df[df["id"] == run_id]
    if not len(row):
        raise AnalysisError(f"{path}: no run with id {run_id!r}")
    f = row["file"].iloc[0]
    if not f:
        raise AnalysisError(f"{path}: run {run_id!r} has no file (status {row['status'].iloc[0]})")
    return Run(os.path.join(df.attrs["dir"], f))


# ---------------------------------------------------------------- xarray

def open_sweep(path):
    """The sweep as an xarray Dataset with dimensions (scenario, <each varied key>, seed) whose
    data variables are every final metric (float, NaN where a combination does not exist), with
    the coordinates run_id and status (strings, "" where none) on those dimensions and
    key_applies (scenario x varied_key: whether the key applies to the scenario). A run whose
    scenario lacks a varied key (e.g. the baseline of a policy-rate sweep) fills every value of
    that key's dimension, so `ds - ds.sel(scenario="baseline")` is the difference from the
    baseline paired by seed (every data variable is numeric; the result drops the coordinates
    that differ between the two sides: run_id always, status where it differs). attrs: the sweep
    file's root attributes."""
    import xarray as xr
    df = run_table(path)
    keys, metrics = df.attrs["varied_keys"], df.attrs["metrics"]
    scen = list(dict.fromkeys(df["scenario"]))
    coords = {"scenario": scen}
    for k in keys:
        vals = [v for v in dict.fromkeys(df[k]) if not _missing(v)]
        coords[k] = sorted(vals)
    coords["seed"] = sorted(set(int(s) for s in df["seed"]))
    dims = ["scenario"] + keys + ["seed"]
    shape = [len(coords[d]) for d in dims]
    idx = {d: {v: i for i, v in enumerate(coords[d])} for d in dims}
    arrays = {m: np.full(shape, np.nan) for m in metrics}
    rid = np.full(shape, "", dtype=object)
    status = np.full(shape, "", dtype=object)
    # broadcast rows first, so that a run with its own value always wins its cell
    order = sorted(range(len(df)), key=lambda i: -sum(_missing(df[k].iloc[i]) for k in keys))
    owner = np.full(shape, -1, dtype=np.int64)
    for i in order:
        row = df.iloc[i]
        sl = [idx["scenario"][row["scenario"]]]
        broad = False
        for k in keys:
            v = row[k]
            if _missing(v):
                sl.append(slice(None))
                broad = True
            else:
                sl.append(idx[k][v])
        sl.append(idx["seed"][int(row["seed"])])
        sl = tuple(sl)
        if not broad and owner[sl] >= 0 and not np.any(owner[sl] == -2):
            raise AnalysisError(f"{path}: runs {df['id'].iloc[int(owner[sl])]} and {row['id']} "
                                "have the same scenario, varied values and seed")
        for m in metrics:
            arrays[m][sl] = row[m]
        rid[sl] = row["id"]
        status[sl] = row["status"]
        owner[sl] = -2 if broad else i
    applies = np.array([[any(not _missing(v) for v in df.loc[df["scenario"] == s, k]) for k in keys]
                        for s in scen], bool).reshape(len(scen), len(keys))
    # run_id, status and key_applies are (non-index) coordinates, not data variables: the data
    # variables are then all numeric, so arithmetic on the whole Dataset works (a difference
    # from the baseline drops the coordinates that disagree)
    ds = xr.Dataset({m: (dims, a) for m, a in arrays.items()}, coords=coords)
    ds = ds.assign_coords(run_id=(dims, rid), status=(dims, status), varied_key=keys)
    ds = ds.assign_coords(key_applies=(("scenario", "varied_key"), applies))
    ds.attrs.update({k: v for k, v in df.attrs.items() if k not in ("metrics",)})
    return ds


# ---------------------------------------------------------------- analysis

def _groups(df, keys):
    """(scenario, values tuple) -> sub-table, in the sweep's order."""
    out = {}
    for i in range(len(df)):
        row = df.iloc[i]
        g = (row["scenario"], tuple(_blank(df, k) if _missing(row[k]) else row[k] for k in keys))
        out.setdefault(_gkey(g), (g, []))[1].append(i)
    return {g: df.iloc[ix] for g, ix in out.values()}


def _blank(df, key):
    """The "does not apply" value of a varied key's column: "" for strings, nan for numbers."""
    return "" if _is_str_key(df, key) else math.nan


def _gkey(g):
    """A hashable group key in which every missing value is equal (nan != nan)."""
    return (g[0], tuple(None if _missing(v) else v for v in g[1]))


def _same(a, b):
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return a == b if isinstance(a, str) else bool(np.isclose(a, b, rtol=1e-9, atol=0.0))


def baseline_rows(df, keys, values):
    """Baseline runs to pair with a policy group's varied values: by key, the baseline runs with
    the same value where the baseline has that key, all of them where it has not. {seed: row}."""
    b = df[(df["scenario"] == BASELINE) & (df["status"] == "ok")]
    for k, v in zip(keys, values):
        has = [not _missing(x) for x in b[k]]
        if any(has) and not _missing(v):
            b = b[[_same(x, v) for x in b[k]]]
    out = {}
    for i in range(len(b)):
        s = int(b["seed"].iloc[i])
        if s in out:
            raise AnalysisError(f"baseline seed {s} appears twice for varied values "
                                f"{dict(zip(keys, values))} (the baseline varies a key that "
                                "this scenario does not have)")
        out[s] = b.iloc[i]
    return out


def _baseline_or_warn(df, keys, vals, sc, warn=True):
    """baseline_rows, or None with a warning when the pairing is ambiguous (the baseline varies a
    key that this scenario lacks, so a seed has several baseline runs)."""
    try:
        return baseline_rows(df, keys, vals)
    except AnalysisError as e:
        if warn:
            print(f"analysis: warning: {sc}: no difference from the baseline: {e}",
                  file=sys.stderr)
        return None


TABLE_COLS = ["outcome", "unit", "n_seeds", "mean", "ci_low", "ci_high", "difference", "diff_ci_low",
              "diff_ci_high", "n_pairs"]


def whole_numbers_as_integers(tab, keys):
    """tab with each varied key's column of whole numbers as integers: sweep.h5 keeps every
    numeric value as float64, so steps = 12 read 12.0 in sweep_table.csv (sweep_table.md
    already printed 12). Empty cells (a key a scenario lacks) stay empty."""
    import pandas as pd
    out = tab.copy()
    for k in keys:
        if k not in out.columns:
            continue
        col = pd.to_numeric(out[k], errors="coerce")
        known = col.dropna()
        # up to 2^53, where a float64 holds every whole number (1e19, a budget, is no int64)
        if len(known) and known.eq(known.round()).all() and known.abs().le(2.0 ** 53).all() \
                and out[k].notna().eq(col.notna()).all():
            out[k] = col.astype("Int64")
    return out


def outcome_table(df, metrics=HEADLINE):
    """One row per (scenario, varied values, outcome): the outcome's unit (the units attribute
    of its /runs/final dataset, "" where none), the mean over ok seeds with a 95% CI, and,
    when the sweep has a baseline scenario, the difference from it paired by seed (95% CI)."""
    import pandas as pd
    keys = df.attrs["varied_keys"]
    metrics = [m for m in metrics if m in df.columns]
    has_base = BASELINE in set(df["scenario"])
    rows = []
    for (sc, vals), g in _groups(df, keys).items():
        g = g[g["status"] == "ok"]
        base = _baseline_or_warn(df, keys, vals, sc) if has_base and sc != BASELINE else None
        for m in metrics:
            v = g[m].to_numpy(float)
            v = v[np.isfinite(v)]
            mean, lo, hi, n = stats.paired_ci(v)
            r = {"scenario": sc, **dict(zip(keys, vals)), "outcome": m,
                 "unit": df.attrs.get("units", {}).get(m, ""), "n_seeds": n,
                 "mean": mean, "ci_low": lo, "ci_high": hi, "difference": math.nan,
                 "diff_ci_low": math.nan, "diff_ci_high": math.nan, "n_pairs": 0}
            if base is not None:
                d = [float(x) - float(base[int(s)][m]) for s, x in zip(g["seed"], g[m])
                     if int(s) in base and np.isfinite(x) and np.isfinite(base[int(s)][m])]
                dm, dl, dh, dn = stats.paired_ci(d)
                r.update(difference=dm, diff_ci_low=dl, diff_ci_high=dh, n_pairs=dn)
            rows.append(r)
    return pd.DataFrame(rows, columns=["scenario"] + keys + TABLE_COLS)


def _fmt_val(v):
    if _missing(v):
        return "—"
    return v if isinstance(v, str) else f"{v:g}"


def _ci(lo, hi, fmt):
    return "—" if not math.isfinite(lo) else f"[{fmt(lo)}, {fmt(hi)}]"


# said under sweep_table.md's title when an outcome's unit is per step
PER_STEP = ("a step is a quarter: an outcome \"per step\" is a quarter's (output per step is a "
            "quarter's output, about a quarter of a year's); \"(full scale)\": counted for the "
            "whole economy whatever the run's scale")


def table_markdown(tab, keys, title, notes=()):
    from .compare import fmt
    out = [f"# {title}", "",
           "- mean over seeds with its 95% CI (t distribution); difference: scenario − baseline "
           "paired by seed (same varied values where the baseline has them), with its 95% CI"]
    if "unit" in tab and tab["unit"].astype(str).str.contains(r"\bper step\b").any():
        out.append("- " + PER_STEP)
    out += [f"- {n}" for n in notes]
    out += ["", "| scenario | " + " | ".join(keys) + " | outcome | unit | seeds | mean | 95% CI | "
           "difference from baseline | 95% CI | pairs |",
           "|---|" + "---:|" * len(keys) + "---|---|---:|---:|---|---:|---|---:|"]
    for _, r in tab.iterrows():
        out.append(f"| {r['scenario']} | " + " | ".join(_fmt_val(r[k]) for k in keys)
                   + f" | {r['outcome']} | {r.get('unit', '')} | {r['n_seeds']} | "
                   f"{fmt(r['mean'])} | "
                   f"{_ci(r['ci_low'], r['ci_high'], fmt)} | {fmt(r['difference'])} | "
                   f"{_ci(r['diff_ci_low'], r['diff_ci_high'], fmt)} | {r['n_pairs']} |")
    return "\n".join(out) + "\n"


def safe_name(key):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", re.sub(r"[\[\]]", "", key)).strip("_") or "key"


# ---------------------------------------------------------------- league table

# the programme-period (compare's measure "window") columns of league.csv: each policy
# scenario's own compare.programme_window, figures as compare's window rows
WINDOW_COLS = ["window_steps", "window_first_step", "window_last_step", "window_years",
               "window_job_years", "window_job_years_ci_low", "window_job_years_ci_high",
               "window_detectable", "window_target_job_years", "window_target_ci_low",
               "window_target_ci_high", "window_spending", "window_spending_ci_low",
               "window_spending_ci_high", "window_job_years_per_million", "window_jpm_ci_low",
               "window_jpm_ci_high", "window_output_per_pound", "window_opp_ci_low",
               "window_opp_ci_high", "window_opp_note", "window_displacement",
               "window_disp_ci_low", "window_disp_ci_high", "window_disp_note",
               "window_cost_per_job_year", "window_cost_ci_low", "window_cost_ci_high",
               "window_note", "window_tax_on_payments", "window_tax_on_payments_ci_low",
               "window_tax_on_payments_ci_high", "window_tax_revenue",
               "window_tax_revenue_ci_low", "window_tax_revenue_ci_high", "window_net_spending", "window_net_spending_ci_low",
               "window_net_spending_ci_high", "window_net_cost_per_job_year",
               "window_net_cost_ci_low", "window_net_cost_ci_high", "window_net_note",
               "window_tax_cost_per_job_year", "window_tax_cost_ci_low",
               "window_tax_cost_ci_high", "window_losses"]
NO_WINDOW = "no programme period: no policy of the scenario acts within the run"

LEAGUE_COLS = ["rank", "scenario", "varied", "n_seeds", "job_years", "job_years_ci_low",
               "job_years_ci_high", "job_years_per_million", "jpm_ci_low", "jpm_ci_high",
               "output_per_pound", "opp_ci_low", "opp_ci_high", "opp_note", "displacement",
               "disp_ci_low", "disp_ci_high", "disp_n_seeds", "disp_note", "cost_per_job_year",
               "cost_ci_low", "cost_ci_high", "note", "spending", "spending_ci_low",
               "spending_ci_high", "tax_on_payments", "tax_on_payments_ci_low",
               "tax_on_payments_ci_high", "tax_revenue", "tax_revenue_ci_low",
               "tax_revenue_ci_high", "net_spending", "net_spending_ci_low",
               "net_spending_ci_high", "net_cost_per_job_year", "net_cost_ci_low",
               "net_cost_ci_high", "net_note", "tax_cost_per_job_year", "tax_cost_ci_low",
               "tax_cost_ci_high", "losses", "changed_nothing", "never_acted", "money",
               "detectable", "discount_rate", "target_job_years", "target_ci_low", "target_ci_high"] + \
    WINDOW_COLS


class _Progress:
    def __init__(self, total, quiet):
        self.total, self.done, self.t0 = total, 0, time.time()
        self.on = not quiet and sys.stderr.isatty() and total > 0

    def step(self, n=1):
        self.done += n
        if self.on:
            el = time.time() - self.t0
            eta = el / self.done * (self.total - self.done) if self.done else 0
            print(f"\r  league: {self.done}/{self.total} runs loaded, ETA {eta:.0f} s   ",
                  end="", file=sys.stderr, flush=True)

    def end(self):
        if self.on:
            print(file=sys.stderr)



def _blank_noise(tab, prefix):
    """Marks tab[prefix + "detectable"] (the 95% CI of net job-years, and so of job-years per
    million, excludes 0) and blanks the per-pound figures whose numerator is not detectable:
    seed noise per pound (their CIs are kept, to show what the data rule out). prefix: "" for
    the whole run, "window_" for the programme period. Returns the detectable mask."""
    det = np.array([stats.excludes_zero(lo, hi) for lo, hi in
                    zip(tab[prefix + "job_years_ci_low"], tab[prefix + "job_years_ci_high"])],
                   bool)
    tab[prefix + "detectable"] = det
    tab.loc[~det, prefix + "job_years_per_million"] = math.nan
    out = np.array([not str(n).startswith(NO_OUTPUT) for n in tab[prefix + "opp_note"]], bool)
    tab.loc[~out, prefix + "output_per_pound"] = math.nan
    return det

def league(df, quiet=False, discount=0.0):
    """The league table: for every policy scenario and varied values, against the baseline paired
    by seed, from the run files (compare.compare): net job-years, net job-years per million spent,
    output per pound (opp_note: compare's "no detectable output effect") and displacement
    (cumulative, 95% CIs; n/a with disp_note where the target area's gain is not detectable),
    the cost per net job-year only where the job effect is detectable, and changed_nothing where
    the policy runs equal the baseline in everything but spending (compare.unchanged). Ranked by
    job-years per million, best first. discount: compare.parse_discount's value (0:
    undiscounted); every total and ratio is then a present value in 2018 (compare.compare), and
    the column discount_rate says which (0, the rate, or "green-book").
    Over each policy's programme period (WINDOW_COLS): the window figures of the same
    compare.compare call (its default window, compare.programme_window of the group's policy
    runs, as `analysis compare` uses for the same pairs), under the same rules: job-years per
    million blank unless the period's net job-years are detectable (window_detectable), output
    per pound blank unless its output effect is, cost per job-year or compare's note. The
    ranking stays on the whole run (docs/analysis.md says why).
    A pandas DataFrame (LEAGUE_COLS); None without a baseline scenario."""
    import pandas as pd

    keys = df.attrs["varied_keys"]
    if BASELINE not in set(df["scenario"]):
        return None
    d = df.attrs["dir"]
    groups = [(g, t[t["status"] == "ok"]) for g, t in _groups(df, keys).items() if g[0] != BASELINE]
    prog = _Progress(sum(len(t) for _, t in groups), quiet)
    cache, rows = {}, []

    def get(row):
        f = row["file"]
        if f not in cache:
            # kept for every policy group, so only what a comparison needs (Run.slim): the
            # maps and snapshots of a 1,000-run sweep's baselines took 1.1 GB
            cache[f] = Run(os.path.join(d, f))
            cache[f].check_complete()
            cache[f].slim()
        return cache[f]

    for (sc, vals), t in groups:
        base = _baseline_or_warn(df, keys, vals, sc, warn=False)  # outcome_table warned
        if base is None:
            prog.step(len(t))
            continue
        pairs = []
        for i in range(len(t)):
            r = t.iloc[i]
            s = int(r["seed"])
            if s in base and r["file"] and base[s]["file"]:
                pol = Run(os.path.join(d, r["file"]))
                pol.check_complete()
                pairs.append((get(base[s]), pol))
            prog.step()
        varied = ", ".join(f"{k}={_fmt_val(v)}" for k, v in zip(keys, vals) if not _missing(v))
        if not pairs:
            continue
        pairs.sort(key=lambda bp: bp[0].seed)
        # the default window is the policy run's own compare.programme_window, as `analysis
        # compare` uses for the same pairs: target.window, None when no policy acts in the run
        res, target = compare.compare(pairs, discount=discount)
        get_r = {(x["outcome"], x["scope"], x["measure"]): x for x in res}
        nan_row = dict(difference=math.nan, ci_low=math.nan, ci_high=math.nan, n_seeds=0, note="")

        def pick(k):
            return get_r.get(k, nan_row)
        rows.append({"rank": 0, "scenario": sc, "varied": varied, "n_seeds": len(pairs),
                     **_effect_cols(pick, "cumulative", ""),
                     "disp_n_seeds": pick(("displacement", "target area",
                                           "cumulative"))["n_seeds"],
                     "changed_nothing": compare.unchanged(pairs),
                     # no policy of it acted within the runs: its zeros hold at any scale
                     "never_acted": compare.unchanged(pairs) and
                     bool(compare.never_acting(pairs[0][1])) and
                     compare.programme_window(pairs[0][1]) is None,
                     "money": compare.money_unit(pairs[0][1]),
                     "discount_rate": discount if compare.discounted(discount) else 0.0,
                     **_target_cols(pick(("employment", "target area", "cumulative"))),
                     **_window_cols(pick, target.window)})
    prog.end()
    tab = pd.DataFrame(rows, columns=LEAGUE_COLS)
    # only effects the seeds can tell from zero are ranked (the 95% CI of net job-years, and so
    # of job-years per million, excludes 0); the rest follow, unranked, in scenario order: a
    # ranking of noise would read as a finding
    det = _blank_noise(tab, "")
    # the same rules over each policy's programme period, on its own window's figures
    _blank_noise(tab, "window_")
    key = tab["job_years_per_million"].to_numpy(float)
    # ranked: detectable gains; a detectable loss of jobs follows them, unranked ("net loss"),
    # then the rest
    gain = det & (tab["job_years_ci_low"].to_numpy(float) > 0)
    ranked = sorted(np.flatnonzero(gain), key=lambda i: -key[i])
    lost = sorted(np.flatnonzero(det & ~gain), key=lambda i: (tab["scenario"].iloc[i], i))
    rest = sorted(np.flatnonzero(~det), key=lambda i: (tab["scenario"].iloc[i], i))
    tab = tab.iloc[list(ranked) + list(lost) + list(rest)].reset_index(drop=True)
    tab["rank"] = pd.array([i + 1 for i in range(len(ranked))] + [pd.NA] * (len(lost) +
                           len(rest)), dtype="Int64")
    return tab


def _effect_cols(pick, measure, prefix):
    """The national effect columns of a league row for one measure ("cumulative": the whole
    run, prefix ""; "window": the programme period, prefix "window_"): net job-years, job-years
    per million, output per pound, displacement and cost per net job-year, each with its CI,
    and their notes; the extra spending, the extra profit tax the payments bring back
    (tax_on_payments) and the change in the whole economy's profit tax (tax_revenue, reported,
    not netted), and the spending and the cost per net job-year net of tax_on_payments
    (compare's net_spending and net_cost_per_job_year), from compare's rows (pick: (outcome,
    scope, measure) -> row)."""
    jy = pick(("employment", "national", measure))
    jpm = pick(("job_years_per_million", "national", measure))
    opp = pick(("output_per_pound", "national", measure))
    dis = pick(("displacement", "target area", measure))
    cost = pick(("cost_per_job_year", "national", measure))
    sp = pick(("spending", "national", measure))
    tp = pick(("tax_on_payments", "national", measure))
    tx = pick(("tax_revenue", "national", measure))
    net = pick((compare.NET_SPENDING, "national", measure))
    ncost = pick((compare.NET_COST[0], "national", measure))
    tcost = pick((compare.TAX_COST, "national", measure))
    return {prefix + k: v for k, v in {
        "job_years": jy["difference"], "job_years_ci_low": jy["ci_low"],
        "job_years_ci_high": jy["ci_high"],
        "job_years_per_million": jpm["difference"], "jpm_ci_low": jpm["ci_low"],
        "jpm_ci_high": jpm["ci_high"],
        "output_per_pound": opp["difference"], "opp_ci_low": opp["ci_low"],
        "opp_ci_high": opp["ci_high"], "opp_note": opp["note"],
        "displacement": dis["difference"], "disp_ci_low": dis["ci_low"],
        "disp_ci_high": dis["ci_high"], "disp_note": dis["note"],
        "cost_per_job_year": cost["difference"], "cost_ci_low": cost["ci_low"],
        "cost_ci_high": cost["ci_high"], "note": cost["note"],
        "spending": sp["difference"], "spending_ci_low": sp["ci_low"],
        "spending_ci_high": sp["ci_high"],
        "tax_on_payments": tp["difference"], "tax_on_payments_ci_low": tp["ci_low"],
        "tax_on_payments_ci_high": tp["ci_high"],
        "tax_revenue": tx["difference"], "tax_revenue_ci_low": tx["ci_low"],
        "tax_revenue_ci_high": tx["ci_high"],
        "net_spending": net["difference"], "net_spending_ci_low": net["ci_low"],
        "net_spending_ci_high": net["ci_high"],
        "net_cost_per_job_year": ncost["difference"], "net_cost_ci_low": ncost["ci_low"],
        "net_cost_ci_high": ncost["ci_high"], "net_note": ncost["note"],
        "tax_cost_per_job_year": tcost["difference"], "tax_cost_ci_low": tcost["ci_low"],
        "tax_cost_ci_high": tcost["ci_high"], "losses": losses_text(pick, measure)}.items()}


# the national outcomes whose detectable fall a league row flags (LOSSES_NOTE): the ranking is on
# jobs per pound, and a policy that buys jobs cheaply while national output, output per worker,
# the mean wage and the profit tax fall (city_centre_density, 10 seeds) was ranked first
# without a word of it
LOSSES = (("output", "national output"), ("productivity", "output per worker"),
          ("mean_wage", "mean wage"), ("tax_revenue", "whole-economy profit tax"),
          (compare.OTHER_TAX, "profit tax besides the payments' own (the net figures count "
                              "more back than came)"))
LOSSES_NOTE = ("detectable losses: the national outcomes whose 95% CI lies below 0 over the "
               "run (or the period), with that CI: national output and the whole economy's "
               "profit tax as totals, output per worker and the mean wage as the mean "
               "difference per quarter; where the profit tax fell, the cost per net job-year "
               "counting that fall as a cost too (compare's cost_per_job_year_with_tax_revenue); "
               "where the profit tax besides the payments' own fell (an R&D credit's extra R&D "
               "is deducted from profit), that fall, since the net-of-tax columns then count "
               "more back than came. They do not change the ranking")


def losses_text(pick, measure):
    """A league row's flag of detectable losses (LOSSES_NOTE) for a measure: "national output
    -£312 billion [-£475 billion, -£150 billion]; ..."; "" where none is detectable."""
    from .compare import gbp
    out = []
    named = set()
    for name, what in LOSSES:
        r = pick((name, "national", measure))
        if r["n_seeds"] < 2 or not math.isfinite(r["difference"]) or \
                not math.isfinite(r["ci_high"]) or r["ci_high"] >= 0:
            continue
        # the rest of the tax only where the payments brought some back and the whole
        # economy's tax did not fall (that fall, named, says it already: without payments to
        # firms the two are one figure)
        paid = pick(("tax_on_payments", "national", measure))["difference"]
        if name == compare.OTHER_TAX and ("tax_revenue" in named or not paid > 0):
            continue
        named.add(name)
        item = f"{what} {gbp(r['difference'])} [{gbp(r['ci_low'])}, {gbp(r['ci_high'])}]"
        t = pick((compare.TAX_COST, "national", measure))
        if name == "tax_revenue" and math.isfinite(t["difference"]):
            ci = f" [{gbp(t['ci_low'])}, {gbp(t['ci_high'])}]" if math.isfinite(t["ci_low"]) \
                else ""
            item += f" (cost per net job-year counting it: {gbp(t['difference'])}{ci})"
        out.append(item)
    return "; ".join(out)


def _target_cols(t):
    """The target area's net job-years over the whole run (NaN for a policy applied everywhere)."""
    return {"target_job_years": t["difference"], "target_ci_low": t["ci_low"],
            "target_ci_high": t["ci_high"]}


def _window_cols(pick, window):
    """The WINDOW_COLS of a league row from compare's window rows (pick: (outcome, scope,
    measure) -> row, a NaN row when absent) over window = (start, end), end exclusive, or None
    when no policy acts within the run (then every figure is NaN and window_note says so)."""
    ta = pick(("employment", "target area", "window"))
    out = {"window_steps": "", "window_first_step": math.nan, "window_last_step": math.nan,
           "window_years": math.nan}
    if window is not None:
        s0, s1 = window
        out.update(window_steps=f"{s0}-{s1 - 1}", window_first_step=s0,
                   window_last_step=s1 - 1, window_years=(s1 - s0) / 4.0)
    out.update(_effect_cols(pick, "window", "window_"))
    out.update({
        "window_detectable": False,
        "window_target_job_years": ta["difference"], "window_target_ci_low": ta["ci_low"],
        "window_target_ci_high": ta["ci_high"]})
    if window is None:
        out["window_note"] = NO_WINDOW
    return out


def _cell(v, lo, hi):
    """"value [low, high]", or "not detectable [low, high]" for a blanked (NaN) value."""
    from .compare import fmt
    ci = "" if not math.isfinite(lo) else f"[{fmt(lo)}, {fmt(hi)}]"
    if not math.isfinite(v):
        return ("not detectable " + ci).strip()
    return fmt(v) + (" " + ci if ci else "")


def _cost_cell(v, lo, hi, note):
    """The cost per net job-year's cell: the cost with its CI where the job effect is detectable,
    else "not detectable; rules out below £Y" (compare's bound) or the note (e.g. "net jobs
    lost")."""
    cost = _cell(v, lo, hi)
    note = str(note or "")
    if note.startswith(compare.COST_INCLUDES_ZERO) and math.isfinite(v):
        return f"{cost} (cannot be told from zero)"
    if note.startswith(NO_JOB):
        bound = re.search(r"bought net job-years for less than about (.+?) each", note)
        cost = "not detectable" + (f"; rules out below {bound.group(1)}" if bound else "")
    elif note:
        cost = note if not math.isfinite(v) else f"{cost} ({note})"
    return cost


def _disp_cell(v, lo, hi, note):
    if note and not math.isfinite(v):
        return note   # why it is not stated, as the cost cell says why
    if not math.isfinite(v):
        return "n/a"
    return _cell(v, lo, hi)


def _rank_cell(r):
    return str(int(r["rank"])) if not _missing_rank(r["rank"]) else \
        "net loss" if r["detectable"] else "not detectable"


def period_text(r):
    """A row's programme period: "steps 1-67 (2018 Q2 to 2034 Q4, 16.75 years)"."""
    from .compare import quarter
    if not r["window_steps"] or not math.isfinite(r["window_first_step"]):
        return "none (no policy acts within the run)"
    s0, s1 = int(r["window_first_step"]), int(r["window_last_step"])
    return (f"steps {s0}-{s1} ({quarter(s0)} to {quarter(s1)}, {r['window_years']:g} years)")


def league_markdown(tab, title):
    from .compare import CAVEATS, WINDOW_TAIL, discount_note, discount_words, gbp
    money = next((m for m in tab["money"] if m), "£") if len(tab) else "£"
    discount = tab["discount_rate"].iloc[0] if len(tab) and "discount_rate" in tab else 0.0
    pv = " (present value)" if discount_words(discount) else ""
    out = [f"# {title}", "",
           f"- every policy scenario against the baseline, paired by seed; money in {money}; "
           "95% CIs over seeds; two tables: over the whole run (ranked), then over each "
           "policy's programme period (a policy that acts for part of the run is diluted in "
           "whole-run totals by the years around it)",
           f"- {discount_note(discount)}",
           "- ranked by net job-years per million spent over the whole run (national employment "
           "difference summed over the run / 4, per 1,000,000 of extra spending), **only where "
           "the job gain is detectable** (the 95% CI of net job-years lies above 0); a "
           "detectable loss follows, unranked (\"net loss\"), then the others, unranked "
           "(rank \"not detectable\", in scenario order): ranking seed noise would read as a "
           "finding. The ranking uses the whole run, not the programme period: the whole run is "
           "the same span for every policy and holds all of a policy's effect, including what "
           "persists or reverses after its period, while the periods differ in length from "
           "policy to policy and end 5 years after the policy stops",
           "- a per-pound figure whose numerator is not detectable (net job-years for job-years "
           "per million, national output for output per pound) is not printed: the "
           "cell says \"not detectable\" with the 95% CI, which shows what the data rule out",
           "- cost per net job-year is given only where the job effect is detectable; otherwise "
           "\"not detectable\" and the cost per net job-year the data rule out (10^6 / the upper "
           "end of the CI of job-years per million); job-years per million is the ratio of mean "
           "net job-years to mean extra spending (Fieller CI: it includes 0 exactly when net "
           "job-years' CI does; the cost's CI is Fieller's too)",
           "- cost per net job-year net of tax on payments: the same rules on the spending net "
           "of the profit tax the payments themselves bring back at once, seed by seed the "
           "extra spending less the extra /timeseries/tax_on_payments (net_spending in "
           "league.csv); the change in the whole economy's profit tax is not netted, being far "
           "noisier than the spending (caveat below); \"cannot be told from zero\" where the "
           "net spending's CI includes 0, \"no net cost\" where it lies below 0; empty, with a "
           "note, for run files without /timeseries/tax_on_payments",
           "- output per pound: mean extra output / mean extra spending (Fieller CI)",
           "- displacement: share of the target area's job-years lost elsewhere, −mean(outside "
           "change) / mean(target change) over all seeds (Fieller CI); n/a where the target "
           "area's gain is not detectable (its 95% CI does not lie above 0) and for policies "
           "applied everywhere",
           f"- {LOSSES_NOTE}",
           f"- changed nothing: {CHANGED_NOTHING}",
           f"- no policy acted: {NEVER_ACTED}"]
    out += [f"- caveat: {c}" for c in CAVEATS]
    out += ["", "## Over the whole run", "",
            f"| rank | scenario | varied | seeds | detectable losses (95% CI) | net "
            f"job-years{pv} (95% CI) | job-years "
            f"per million{pv} (95% CI) | output per pound{pv} (95% CI) | displacement (95% CI) | "
            f"cost per net job-year{pv} (95% CI) | cost per net job-year net of tax on payments"
            f"{pv} (95% CI) |",
            "|---:|---|---|---:|---|---|---|---|---|---|---|"]
    for _, r in tab.iterrows():
        cost = _cost_cell(r["cost_per_job_year"], r["cost_ci_low"], r["cost_ci_high"], r["note"])
        ncost = _cost_cell(r["net_cost_per_job_year"], r["net_cost_ci_low"],
                           r["net_cost_ci_high"], r["net_note"])
        opp = _cell(r["output_per_pound"], r["opp_ci_low"], r["opp_ci_high"])
        onote = str(r.get("opp_note") or "")
        if onote and math.isfinite(r["output_per_pound"]):
            opp += f" ({onote})"
        elif onote and not onote.startswith(NO_OUTPUT) and not math.isfinite(r["opp_ci_low"]):
            opp = onote
        jpm = _cell(r["job_years_per_million"], r["jpm_ci_low"], r["jpm_ci_high"])
        dis = _disp_cell(r["displacement"], r["disp_ci_low"], r["disp_ci_high"],
                         r.get("disp_note"))
        sc = r["scenario"] + _nothing_mark(r)
        out.append(f"| {_rank_cell(r)} | {sc} | {r['varied'] or '—'} | {r['n_seeds']} | "
                   f"{r.get('losses') or 'none detectable'} | "
                   f"{_cell(r['job_years'], r['job_years_ci_low'], r['job_years_ci_high'])} | "
                   f"{jpm} | {opp} | {dis} | {cost} | {ncost} |")
    when = ("present values in 2018 like the whole run's: a period keeps its steps' own dates, "
            "so its total is the part of the whole run's that falls in it"
            if discount_words(discount) else "plain sums over the period's steps")
    out += ["", "## Over each policy's programme period", "",
            "- each policy scenario's own programme period, as `analysis compare` reports it for "
            "the same runs (its measure `window`, compare.programme_window): from the earliest "
            "step firms hear of a policy (its start less firms.t_plan; at least step 1) to "
            f"{WINDOW_TAIL} steps (5 years) after the last step any policy acts (a policy "
            "without an end, and a transport link, to the run's end), clipped to the run; steps "
            "are quarters, step 4k begins year 2018 + k; the figures are " + when,
            "- the same rules as the whole run's, on the period's figures (the cost net of tax "
            "on payments too, on the period's spending less its payments' extra tax): job-years "
            "per million only where national net job-years over the period are detectable, the "
            "cost per net "
            "job-year only where they are detectable and positive (otherwise \"not detectable\" "
            "and the cost the data rule out), displacement only where the target area's gain "
            "over the period is detectable; rows in the order of the whole-run table, with its "
            "rank (the period does not re-rank them: see the ranking note above)",
            "- target-area job-years: net job-years inside the policy's area (n/a for policies "
            "applied everywhere); extra spending: the policy runs' extra public spending over "
            "the period, mean over seeds (its CI is in league.csv)"]
    out += ["", f"| rank (whole run) | scenario | varied | programme period | net job-years{pv} "
            f"(95% CI) | target-area job-years{pv} (95% CI) | displacement (95% CI) | extra "
            f"spending{pv} | job-years per million{pv} (95% CI) | cost per net job-year{pv} "
            f"(95% CI) | cost per net job-year net of tax on payments{pv} (95% CI) |",
            "|---:|---|---|---|---|---|---|---|---|---|---|"]
    for _, r in tab.iterrows():
        sc = r["scenario"] + _nothing_mark(r)
        head = f"| {_rank_cell(r)} | {sc} | {r['varied'] or '—'} | {period_text(r)} | "
        if not r["window_steps"]:
            out.append(head + " | ".join(["—"] * 5) + f" | {r['window_note'] or '—'} | — |")
            continue
        ta = "n/a (applied everywhere)" if not math.isfinite(r["window_target_job_years"]) \
            else _cell(r["window_target_job_years"], r["window_target_ci_low"],
                       r["window_target_ci_high"])
        dis = _disp_cell(r["window_displacement"], r["window_disp_ci_low"],
                         r["window_disp_ci_high"], r.get("window_disp_note"))
        jy = _cell(r["window_job_years"], r["window_job_years_ci_low"],
                   r["window_job_years_ci_high"])
        jpm = _cell(r["window_job_years_per_million"], r["window_jpm_ci_low"],
                    r["window_jpm_ci_high"])
        cost = _cost_cell(r["window_cost_per_job_year"], r["window_cost_ci_low"],
                          r["window_cost_ci_high"], r["window_note"])
        ncost = _cost_cell(r["window_net_cost_per_job_year"], r["window_net_cost_ci_low"],
                           r["window_net_cost_ci_high"], r["window_net_note"])
        out.append(head + f"{jy} | {ta} | {dis} | {gbp(r['window_spending'])} | {jpm} | "
                   f"{cost} | {ncost} |")
    return "\n".join(out) + "\n"


def _missing_rank(v):
    try:
        return v is None or v is np.nan or bool(v != v) or str(v) == "<NA>"
    except TypeError:
        return True


NO_JOB = "no detectable job effect"
NO_OUTPUT = "no detectable output effect"
# compare.UNCHANGED's words: "the policy runs equal the baseline in every outcome but ..."
CHANGED_NOTHING = ("a scenario marked \"(changed nothing)\": " + compare.UNCHANGED
                   + ", so its zeros are exact, not estimates")
NEVER_ACTED = ("a scenario marked \"(changed nothing: no policy acted)\": its policies start "
               "after the runs' last step or act in no step (analysis compare names them), so "
               "its zeros hold by construction, not because of the scale")


def _nothing_mark(r):
    """The league's mark after a scenario that changed nothing, and why when it never acted
    (compare.never_acting: a larger scale would not help)."""
    if not r.get("changed_nothing"):
        return ""
    return " (changed nothing: no policy acted)" if r.get("never_acted") else " (changed nothing)"
