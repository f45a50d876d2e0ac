"""PNG figures for `analysis compare` and `analysis show` (matplotlib, Agg backend)."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm, TwoSlopeNorm  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import Formatter, FuncFormatter  # noqa: E402

from . import maplabels, stats  # noqa: E402
from .runs import label_with_units  # noqa: E402

plt.rcParams.update({"font.size": 14, "axes.titlesize": 15, "figure.dpi": 120,
                     "savefig.dpi": 120, "legend.fontsize": 12})

# the x axis of every figure over time: years from the start, which is 2018 Q1 (compare's
# tables give calendar quarters, describe too: "year 8" alone read as a calendar year or a step)
YEAR_AXIS = "years from the 2018 start"

TS_PLOTS = ["employment", "output", "mean_wage", "unemployment_rate", "innovations", "firms"]
DEFAULT_UNITS = {"employment": "jobs", "output": "£ per quarter", "mean_wage": "£ per quarter",
                 "unemployment_rate": "fraction of labour force", "innovations": "per quarter",
                 "firms": "firms"}
BASE_C, POL_C, DIFF_C = "tab:blue", "tab:orange", "tab:green"


def _units(run, name):
    u = run.ts_units.get(name, "") if hasattr(run, "ts_units") else ""
    return u or DEFAULT_UNITS.get(name, "")


def _label(name):
    return name.replace("_", " ")


def _save(fig, outdir, name):
    """Writes the figure under a temporary name, then renames it: never a half-written PNG."""
    path = os.path.join(outdir, name)
    fig.savefig(path + ".tmp", bbox_inches="tight", format="png")
    plt.close(fig)
    os.replace(path + ".tmp", path)
    return path


def _years(run):
    y = run.ts.get("year")
    return y if y is not None else np.arange(run.T) / 4.0


def _band(ax, x, samples, color, label):
    mean, half = stats.ci_band(samples)
    ax.plot(x, mean, color=color, lw=2, label=label)
    if np.any(half > 0):
        ax.fill_between(x, mean - half, mean + half, color=color, alpha=0.25, lw=0)


class Readable(Formatter):
    """Tick labels read without a corner label: "310bn", "30.85m" from a million up, thousands
    separators below ("78,000"), with the decimals the tick spacing needs. matplotlib's default
    put the scale in a corner ("1e7", "1e11") over ticks such as 3.08-3.13."""

    def __init__(self):
        self.div, self.suffix, self.decimals = 1.0, "", 0

    def set_locs(self, locs):
        super().set_locs(locs)
        v = np.asarray(locs, float)
        v = v[np.isfinite(v)]
        top = float(np.abs(v).max()) if v.size else 0.0
        self.div, self.suffix = (1e9, "bn") if top >= 1e9 else (1e6, "m") if top >= 1e6 \
            else (1.0, "")
        self.decimals = 0
        steps = np.diff(np.unique(v)) / self.div
        step = float(steps.min()) if steps.size else 0.0
        while step > 0 and self.decimals < 6 and \
                abs(round(step, self.decimals) - step) > 1e-6 * step:
            self.decimals += 1

    def __call__(self, x, pos=None):
        y = x / self.div
        if abs(y) < 0.5 * 10.0 ** -self.decimals:
            return "0"
        return f"{y:,.{self.decimals}f}{self.suffix}"


def _readable(*axes):
    for ax in axes:
        ax.yaxis.set_major_formatter(Readable())


def timeseries_compare(pairs, outdir, labels=("baseline", "policy")):
    """One figure per national metric: levels (mean over seeds, 95% CI band of the mean) and the
    paired difference policy - baseline (95% CI band from the paired differences)."""
    files = []
    x = _years(pairs[0][0])
    n = len(pairs)
    for name in TS_PLOTS:
        if name not in pairs[0][0].ts or name not in pairs[0][1].ts:
            continue
        b = np.array([bp[0].ts[name] for bp in pairs])
        p = np.array([bp[1].ts[name] for bp in pairs])
        u = _units(pairs[0][0], name)
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(14, 6))
        _band(a1, x, b, BASE_C, labels[0])
        _band(a1, x, p, POL_C, labels[1])
        a1.set(title=f"{_label(name)}: levels", xlabel=YEAR_AXIS,
               ylabel=label_with_units(_label(name), u))
        a1.legend()
        _band(a2, x, p - b, DIFF_C, "policy − baseline" + (" (95% CI)" if n > 1 else ""))
        a2.axhline(0, color="grey", lw=1)
        a2.set(title=f"{_label(name)}: effect", xlabel=YEAR_AXIS,
               ylabel=label_with_units("difference", u))
        a2.legend()
        _readable(a1, a2)
        fig.suptitle(f"National {_label(name)}, {n} seed{'s' if n > 1 else ''}"
                     + ("" if n > 1 else " (no CI with one seed)"))
        fig.tight_layout()
        files.append(_save(fig, outdir, f"timeseries_{name}.png"))
    return files


def target_employment(pairs, target, outdir):
    """The target area's employment difference, policy − baseline, against year: the mean over
    the paired seeds with its 95% CI band (the paired t interval, step by step, as compare's
    target-area rows), the steps any policy acts shaded. [] unless compare found a target area
    (regions or cells)."""
    from . import compare
    if target is None or target.kind not in ("regions", "cells"):
        return []
    d = np.array([compare._target_series(p, target)[0] - compare._target_series(b, target)[0]
                  for b, p in pairs])
    x = np.asarray(_years(pairs[0][0]), float)
    n = len(pairs)
    fig, ax = plt.subplots(figsize=(11, 6))
    periods = compare.active_periods(pairs[0][1])
    words = ", ".join(f"{a} to {b - 1}" if b - 1 > a else f"{a}" for a, b in periods[:3]) + \
        (", ..." if len(periods) > 3 else "")
    for i, (s0, s1) in enumerate(periods):
        ax.axvspan(s0 / 4.0, s1 / 4.0, color="gold", alpha=0.25, lw=0,
                   label=f"policy active (steps {words})" if i == 0 else None)
    _band(ax, x, d, DIFF_C, "policy − baseline, mean over " + (
        f"{n} paired seeds (band: 95% CI)" if n > 1 else "1 seed (no CI)"))
    ax.axhline(0, color="grey", lw=1)
    ax.yaxis.set_major_formatter(FuncFormatter(_plain))
    u = _units(pairs[0][0], "employment")
    ax.set(title=f"Employment in the target area ({target.label}): policy − baseline",
           xlabel=YEAR_AXIS, ylabel=label_with_units("difference in employment", u))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)
    fig.tight_layout()
    return [_save(fig, outdir, "target_employment.png")]


def region_bars(rows, outdir):
    """Bars of the final effect per region with 95% CI error bars, for employment and output."""
    files = []
    for name, unit in (("employment", "jobs"), ("output", "£ per quarter")):
        sel = [r for r in rows if r["outcome"] == name and r["measure"] == "final"
               and r["scope"].startswith("region ")]
        if not sel:
            continue
        names = [r["scope"][len("region "):] for r in sel]
        d = np.array([r["difference"] for r in sel])
        lo, hi = np.array([r["ci_low"] for r in sel]), np.array([r["ci_high"] for r in sel])
        has_ci = np.all(np.isfinite(lo))
        fig, ax = plt.subplots(figsize=(10, 6))
        yerr = np.vstack([d - lo, hi - d]) if has_ci else None
        ax.bar(np.arange(len(d)), d, yerr=yerr, capsize=4,
               color=[POL_C if v >= 0 else BASE_C for v in d])
        ax.axhline(0, color="grey", lw=1)
        ax.set_xticks(np.arange(len(d)))
        ax.set_xticklabels(names, rotation=45, ha="right")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set(title=f"Effect on {name} by region at the end of the run",
               ylabel=f"difference in {name} ({unit})", xlabel="region")
        # one key per colour (the bars below zero are the other colour), and the CI's meaning
        ci = " (bars: 95% CI)" if has_ci else " (one seed: no CI)"
        ax.legend(handles=[Patch(color=POL_C, label="policy above baseline" + ci),
                           Patch(color=BASE_C, label="policy below baseline")])
        if has_ci and len(d) > 1:
            # with a dozen regions and no effect anywhere, 0.6 intervals exclude zero on average
            fig.text(0.01, 0.01, f"{len(d)} regions, each with its own 95% CI: with no effect "
                     f"anywhere, about {0.05 * len(d):.1f} of them would exclude zero by chance "
                     "(on average); read one such region with care.",
                     fontsize=8, color="dimgrey")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        files.append(_save(fig, outdir, f"regions_{name}.png"))
    return files


def _sea(grid, region_map):
    g = np.asarray(grid, float)
    if region_map is not None:
        return np.ma.masked_where(region_map < 0, g)
    return np.ma.masked_invalid(g)


def _cmap(name):
    c = plt.get_cmap(name).copy()
    c.set_bad("#dfe8f0")  # sea
    return c


def _level_map(ax, fig, grid, region_map, title, vmax=None):
    g = _sea(grid, region_map)
    vals = g.compressed()
    pos = vals[vals > 0]
    norm = None
    if pos.size:
        hi = vmax or float(pos.max())
        lo = max(float(pos.min()), hi * 1e-4)
        norm = LogNorm(vmin=lo, vmax=hi)
        g = np.ma.clip(g, lo, None)  # empty land cells show in the lowest colour
    im = ax.imshow(g, cmap=_cmap("viridis"), norm=norm, interpolation="nearest")
    fig.colorbar(im, ax=ax, shrink=0.8, label="jobs per cell (log scale)")
    ax.set(title=title, xlabel="x (cells)", ylabel="y (cells, north at top)")
    return im


def _outline(ax, mask, color="red", label=None):
    if mask is not None and np.any(mask) and not np.all(mask):
        ax.contour(mask.astype(float), levels=[0.5], colors=color, linewidths=1.5)
        if label:
            ax.plot([], [], color=color, lw=1.5, label=label)


def employment_maps(pairs, outdir, target=None):
    """Final employment per cell (last snapshot, mean over seeds) for both scenarios and
    their difference (diverging colours centred at 0), a target of cells or regions outlined
    (compare.Target; none for "everywhere" or no policy)."""
    runs_b = [b for b, _ in pairs if "employment" in b.snap]
    runs_p = [p for _, p in pairs if "employment" in p.snap]
    if not runs_b or len(runs_b) != len(runs_p):
        return []
    rm = pairs[0][0].region_map
    eb = np.mean([r.snap["employment"] for r in runs_b], axis=0)
    ep = np.mean([r.snap["employment"] for r in runs_p], axis=0)
    step = int(pairs[0][0].snap_steps[-1]) if len(pairs[0][0].snap_steps) else -1
    H, W = eb.shape
    fig, axes = plt.subplots(1, 3, figsize=(18, max(6, 18 / 3 * H / W * 0.9)))
    vmax = float(max(eb.max(), ep.max()))
    _level_map(axes[0], fig, eb, rm, "baseline", vmax)
    _level_map(axes[1], fig, ep, rm, "policy", vmax)
    d = ep - eb
    lim = float(np.max(np.abs(d[rm >= 0]))) if rm is not None and np.any(rm >= 0) else float(np.max(np.abs(d)))
    lim = lim if lim > 0 else 1.0
    im = axes[2].imshow(_sea(d, rm), cmap=_cmap("RdBu_r"), norm=TwoSlopeNorm(0, -lim, lim),
                        interpolation="nearest")
    fig.colorbar(im, ax=axes[2], shrink=0.8, label="policy − baseline (jobs per cell)")
    axes[2].set(title="difference", xlabel="x (cells)", ylabel="y (cells, north at top)")
    mask = target.mask if target is not None else None
    if target is not None and mask is None and target.regions and rm is not None:
        # a target of whole regions, outlined as a circle is (it was left unmarked)
        names = pairs[0][0].map_region_names
        mask = np.isin(rm, [names.index(n) for n in target.regions if n in names])
    if mask is not None and mask.any():
        for ax in axes:
            _outline(ax, mask, "black", "target area")
        axes[2].legend(loc="lower left", fontsize=10)
    fig.suptitle(f"Employment at step {step}, mean over {len(pairs)} seed"
                 f"{'s' if len(pairs) > 1 else ''}")
    fig.tight_layout()
    return [_save(fig, outdir, "map_employment.png")]


def _sector_maps(runs, sector):
    """Mean over runs of the last sector_employment snapshot of `sector`, and total employment."""
    got = [r for r in runs if "sector_employment" in r.snap and sector in r.sector_names]
    if not got:
        return None, None
    es = np.mean([r.snap["sector_employment"][r.sector_names.index(sector)] for r in got], axis=0)
    e = np.mean([r.snap["sector_employment"].sum(0) for r in got], axis=0)
    return es, e


def _cluster_panel(ax, fig, run0, es, e, title):
    """One map of cluster_maps; returns the clusters and the starred ones."""
    radius, lq_min, e_min = run0.cluster_rule()
    mask, cl = stats.clusters(es, e, radius, lq_min, e_min)
    _level_map(ax, fig, es, run0.region_map, title)
    _outline(ax, mask, "red", f"cluster (smoothed LQ ≥ {lq_min:g}, "
                              f"≥ {e_min:,.0f} jobs in the window)")
    # a cluster whose cells hold none of the sector's own jobs (its windows reach them) counts,
    # as in the engine, and is outlined, but a star labelled 0 would mislead
    top = [c for c in cl if c["employment"] > 0][:3]
    for k, c in enumerate(top):
        # the employment in the legend, only the number on the map: "2: 21,525" beside each
        # star overlapped its neighbour's or ran off the map
        ax.plot(c["x"], c["y"], "w*", ms=14, mec="k",
                label=f"{k + 1}: {c['employment']:,.0f} jobs")
    if ax.get_legend_handles_labels()[0]:   # no cluster: no legend (and no matplotlib warning)
        # under the map, below its x label (4.5 x 10 points), where it hides no place (in the
        # lower left corner it hid Cornwall and Devon)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=4.5, fontsize=10,
                  ncol=2, frameon=False)
    if not cl:
        ax.text(0.02, 0.02, "no cluster", transform=ax.transAxes, fontsize=10, va="bottom",
                bbox=dict(boxstyle="round", fc="white", alpha=0.7))
    return cl, top


def cluster_maps(sides, outdir, prefix="clusters"):
    """One figure per tradable sector: sector employment (last snapshot, mean over the side's
    runs) with its clusters (stats.clusters, the engine's rule, on that mean map) outlined and
    the three largest starred, numbered on the map and their employment in the legend.
    sides: [(label, [runs])], one panel per side."""
    files = []
    run0 = sides[0][1][0]
    n = max(len(runs) for _, runs in sides)
    for sector in run0.tradable_sectors():
        maps = [(lab, *_sector_maps(runs, sector)) for lab, runs in sides]
        if any(m[1] is None for m in maps):
            continue
        H, W = maps[0][1].shape
        fig, axes = plt.subplots(1, len(maps), figsize=(8 * len(maps), max(6, 8 * H / W * 0.9)),
                                 squeeze=False)
        stars = [(ax, _cluster_panel(ax, fig, run0, es, e, lab)[1])
                 for ax, (lab, es, e) in zip(axes[0], maps)]
        step = int(run0.snap_steps[-1]) if len(run0.snap_steps) else -1
        # the clusters of a mean over seeds are the mean map's, not any one run's (nor /sectors')
        fig.suptitle(f"{sector}: employment per cell and clusters at step {step}"
                     + (f"\nmean over {n} seeds; clusters found on that mean map" if n > 1
                        else ""))
        fig.tight_layout()
        for ax, top in stars:   # once the axes have their final size
            maplabels.place(ax, [(c["x"], c["y"], str(k + 1)) for k, c in enumerate(top)],
                            color="white", fontsize=11,
                            bbox=dict(boxstyle="round", fc="black", alpha=0.5))
        files.append(_save(fig, outdir, f"{prefix}_{sector}.png"))
    return files


def timeseries_single(run, outdir):
    """A run's national series, one panel each."""
    names = [n for n in TS_PLOTS if n in run.ts]
    x = _years(run)
    fig, axes = plt.subplots(2, 3, figsize=(18, 10))
    for ax, name in zip(axes.ravel(), names):
        ax.plot(x, run.ts[name], lw=2, color=BASE_C, label=run.scenario)
        ax.set(title=_label(name), xlabel=YEAR_AXIS,
               ylabel=label_with_units(_label(name), _units(run, name)))
        ax.legend()
        _readable(ax)
    for ax in axes.ravel()[len(names):]:
        ax.axis("off")
    fig.suptitle(f"{run.scenario}, seed {run.seed}: national series")
    fig.tight_layout()
    return [_save(fig, outdir, "timeseries.png")]


def employment_map_single(run, outdir):
    if "employment" not in run.snap:
        return []
    H, W = run.snap["employment"].shape
    fig, ax = plt.subplots(figsize=(8, max(6, 8 * H / W * 0.9)))
    _level_map(ax, fig, run.snap["employment"], run.region_map,
               f"{run.scenario}, seed {run.seed}: employment at step {int(run.snap_steps[-1])}")
    fig.tight_layout()
    return [_save(fig, outdir, "map_employment.png")]


def _plain(v, _pos=None):
    """A tick label in plain numbers: thousands separators from 1,000 up ("520,000,000,000"
    rather than 5.2 under a "1e11" offset), up to 4 significant figures below."""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.4g}"


def _miss(v):
    return (isinstance(v, str) and v == "") or (isinstance(v, float) and np.isnan(v))


def sweep_key(tab, key, keys, outdir, fname):
    """Outcomes against one varied key's values (a sweep's outcome table, sweep.outcome_table):
    one row of panels per outcome; left the mean over seeds with its 95% band, one line per
    scenario (and combination of the other varied keys); right, when the table has differences
    from the baseline, the paired difference with its 95% band. A scenario the key does not apply
    to (e.g. the baseline) is a flat line with its band. x: the key's values (categories for
    string keys)."""
    outcomes = list(dict.fromkeys(tab["outcome"]))
    has_diff = bool(np.any(np.isfinite(tab["difference"].to_numpy(float))))
    applies = tab[tab[key].map(lambda v: not _miss(v))]
    xs = list(dict.fromkeys(sorted(applies[key])))
    is_str = bool(len(xs)) and isinstance(xs[0], str)
    pos = {v: i for i, v in enumerate(xs)}
    xv = (lambda v: pos[v]) if is_str else float
    ncol = 2 if has_diff else 1
    fig, axes = plt.subplots(len(outcomes), ncol, figsize=(7 * ncol + 2, 3.6 * len(outcomes)),
                             squeeze=False)
    others = [k for k in keys if k != key]
    colors = plt.get_cmap("tab10")
    lines = {}
    for _, r in tab.iterrows():
        lab = r["scenario"] + "".join(f", {k}={r[k]:g}" if isinstance(r[k], float) else
                                      f", {k}={r[k]}" for k in others if not _miss(r[k]))
        lines.setdefault(lab, []).append(r)
    for li, (lab, rs) in enumerate(lines.items()):
        c = colors(li % 10)
        for oi, out in enumerate(outcomes):
            sel = [r for r in rs if r["outcome"] == out]
            pts = [r for r in sel if not _miss(r[key])]
            flat = [] if pts else sel
            cols = (("mean", "ci_low", "ci_high"), ("difference", "diff_ci_low", "diff_ci_high"))
            for col, (m, lo, hi) in enumerate(cols[:ncol]):
                ax = axes[oi, col]
                if pts:
                    pts.sort(key=lambda r: xv(r[key]))
                    x = np.array([xv(r[key]) for r in pts], float)
                    y = np.array([r[m] for r in pts], float)
                    if not np.any(np.isfinite(y)):
                        continue
                    ax.plot(x, y, "o-", color=c, lw=2, label=lab)
                    band_lo = np.array([r[lo] for r in pts], float)
                    band_hi = np.array([r[hi] for r in pts], float)
                    if np.any(np.isfinite(band_lo)):
                        ax.fill_between(x, band_lo, band_hi, color=c, alpha=0.2, lw=0)
                elif flat and xs:
                    r = flat[0]
                    if not np.isfinite(r[m]):
                        continue
                    x = np.array([xv(xs[0]), xv(xs[-1])], float)
                    ax.plot(x, [r[m]] * 2, "--", color=c, lw=1.5, label=f"{lab} (not varied)")
                    if np.isfinite(r[lo]):
                        ax.fill_between(x, [r[lo]] * 2, [r[hi]] * 2, color=c, alpha=0.12, lw=0)
    units = {}
    if "unit" in tab:
        for o, u in zip(tab["outcome"], tab["unit"]):
            units.setdefault(o, "" if _miss(u) else str(u))
    for oi, out in enumerate(outcomes):
        for col in range(ncol):
            ax = axes[oi, col]
            if col == 1:
                ax.axhline(0, color="grey", lw=1)
            u = units.get(out, "")
            ylab = label_with_units(_label(out) if col == 0 else f"Δ {_label(out)}", u)
            if len(ylab) > 24 and u:   # the units on a line of their own, within the panel
                ylab = ylab.replace(" (", "\n(", 1)
            ax.set(title=f"{_label(out)}: " + ("mean over seeds" if col == 0 else
                                               "difference from baseline"),
                   xlabel=key, ylabel=ylab)
            # plain numbers, not a bare "1e11" offset above the axis
            ax.yaxis.set_major_formatter(FuncFormatter(_plain))
            if is_str:
                ax.set_xticks(range(len(xs)))
                ax.set_xticklabels(xs, rotation=30, ha="right")
            else:
                ax.xaxis.set_major_formatter(FuncFormatter(_plain))
    h, lab = axes[0, 0].get_legend_handles_labels()
    if h:
        fig.legend(h, lab, loc="upper center", ncol=min(3, len(h)), fontsize=11,
                   bbox_to_anchor=(0.5, 1.0))
    height = 3.6 * len(outcomes)
    fig.suptitle(f"Final outcomes against {key} (95% bands over seeds)", y=1.0 + 0.5 / height)
    fig.tight_layout(rect=(0, 0, 1, 1.0 - 0.6 / height))
    return _save(fig, outdir, fname)
