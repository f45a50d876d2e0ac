"""`python3 -m analysis animate RUN.h5 [RUN2.h5] [--field F] [--sector S] [--fps N] [--dpi D]
-o FILE.gif`: an animated GIF of a run's map snapshots for slides (docs/teaching.md), with a
title, a year counter and a colour bar with units; with a second run, the two side by side on
one colour scale (for example a policy against the baseline at the same seed).

Frames are the run file's /snapshots (every output.snapshot_every steps and the last step); with
two runs, the steps both have. Written with matplotlib's PillowWriter (python3-pil)."""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402
from matplotlib.colors import LogNorm, Normalize  # noqa: E402

from . import libcfg, maplabels  # noqa: E402
from .runs import AnalysisError, _scale, label_with_units, open_h5  # noqa: E402

FIELDS = ("employment", "firms", "rent", "residents", "sector")
# 120 dots per inch: two maps side by side are 1200 x 768 pixels, city names 15 pixels high
# (at 80, 656 x 432 and 6 pixels: too small for a slide)
DPI = 120


class AnimateError(ValueError):
    pass


def _load(path, field, sector):
    try:
        f = open_h5(path, "a run file")
    except AnalysisError as e:
        raise AnimateError(str(e)) from None
    with f:
        if f.attrs.get("format") != "clustersim-run":
            raise AnimateError(f"{path}: not a clustersim run file")
        snap = f["snapshots"]
        steps = snap["step"][()]
        if field == "sector":
            names = list(snap["sector_employment"].attrs["names"])
            if sector not in names:
                raise AnimateError(f"{path}: no sector {sector!r} (sectors: {', '.join(names)})")
            maps = snap["sector_employment"][:, names.index(sector)]
            units = snap["sector_employment"].attrs.get("units", "")
        else:
            maps = snap[field][()]
            units = snap[field].attrs.get("units", "")
        year = dict(zip(f["timeseries/step"][()].astype(int), f["timeseries/year"][()]))
        land = f["landscape/land"][()].astype(bool)
        cities = []
        if "landscape/cities/name" in f:
            c = f["landscape/cities"]
            order = np.argsort(-c["population"][()])[:8]
            names = c["name"].asstr()[()]
            cities = [(names[i], int(c["x"][i]), int(c["y"][i])) for i in order]
        try:
            cfg = libcfg.parse(f.attrs.get("config", ""))
        except (libcfg.ConfigError, TypeError):
            cfg = {}
        return {"path": path, "scenario": f.attrs["scenario"], "seed": int(f.attrs["seed"]),
                "steps": [int(s) for s in steps], "maps": maps.astype(np.float64),
                "units": units, "year": year, "land": land, "cities": cities,
                "scale": _scale(f.attrs, cfg)}


def check_out(out):
    """Checks the GIF's path before any work: a file name ending in .gif (what PillowWriter
    writes), not a directory, in an existing, writable directory; else AnimateError."""
    if os.path.isdir(out) or out.endswith(os.sep):
        raise AnimateError(f"{out}: is a directory (-o wants a file name, e.g. film.gif)")
    if not out.lower().endswith(".gif"):
        raise AnimateError(f"{out}: -o wants a .gif file name (e.g. film.gif)")
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise AnimateError(f"{out}: no such directory {os.path.dirname(out) or parent} "
                           "(create it first)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise AnimateError(f"{out}: cannot write in {parent}")


def mixed_scales(runs):
    """The warning for runs at different scales side by side ("" for one scale): a smaller
    scale samples fewer agents, so more land cells are empty (grey) and the maps differ in a way
    that reads as a policy's effect. compare refuses such runs; a film may show them on
    purpose (what the scale does), so animate warns."""
    scales = [r["scale"] for r in runs]
    if len(runs) < 2 or len(set(scales)) < 2:
        return ""
    words = "; ".join(f"{r['path']} at " + ("unknown scale" if r["scale"] is None
                                              else f"scale {r['scale']:g}") for r in runs)
    return (f"the runs are at different scales ({words}): the maps differ by the scale as well "
            "as by any policy (a smaller scale has fewer agents, so more empty land); run both "
            "at one scale to show a policy's effect")


def animate(paths, out, field="employment", sector=None, fps=4, dpi=DPI):
    """Writes the GIF; returns the number of frames. dpi: dots per inch (the frames' size:
    DPI gives 1200 x 768 pixels for two runs)."""
    check_out(out)
    if field not in FIELDS:
        raise AnimateError(f"unknown field {field!r} (one of {', '.join(FIELDS)})")
    if (field == "sector") != (sector is not None):
        raise AnimateError("--sector NAME goes with --field sector (and only with it)")
    runs = [_load(p, field, sector) for p in paths]
    mixed = mixed_scales(runs)
    if mixed:
        print(f"analysis: warning: {mixed}", file=sys.stderr)
    steps = sorted(set.intersection(*(set(r["steps"]) for r in runs)))
    if not steps:
        raise AnimateError("the runs have no snapshot step in common")
    idx = [[r["steps"].index(s) for s in steps] for r in runs]
    vals = np.concatenate([r["maps"][i][:, r["land"]].ravel() for r, i in zip(runs, idx)])
    if field == "rent":
        norm = Normalize(vmin=float(np.min(vals)), vmax=float(np.max(vals)))
    else:
        pos = vals[vals > 0]
        lo = float(pos.min()) if pos.size else 1.0
        norm = LogNorm(vmin=lo, vmax=max(float(vals.max()), lo * 10))
    cmap = matplotlib.colormaps["viridis"].copy()
    cmap.set_bad("#c6dbe8")    # sea
    cmap.set_under("#ececE6")  # land with none
    what = f"{sector} employment" if field == "sector" else field
    fig, axes = plt.subplots(1, len(runs), figsize=(4.2 * len(runs) + 1.6, 6.4), squeeze=False,
                             dpi=dpi)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9, wspace=0.06)
    ims = []
    for ax, r, i in zip(axes[0], runs, idx):
        grid = np.where(r["land"], r["maps"][i[0]], np.nan)
        if field != "rent":
            grid = np.where(r["land"] & (grid <= 0), norm.vmin * 0.5, grid)
        ims.append(ax.imshow(grid, cmap=cmap, norm=norm, interpolation="nearest"))
        # with mixed scales each map names its own (mixed_scales)
        at = f", scale {r['scale']:g}" if mixed and r["scale"] is not None else ""
        ax.set_title(f"{r['scenario']}, seed {r['seed']}{at}", fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
        for name, x, y in r["cities"]:
            ax.plot(x, y, "k.", ms=4)
    cb = fig.colorbar(ims[0], ax=axes[0].tolist(), shrink=0.8)
    cb.set_label(label_with_units(what, runs[0]["units"]), fontsize=11)
    cb.ax.tick_params(labelsize=10)
    for ax, r in zip(axes[0], runs):
        # once the colour bar has sized the maps; largest city first, a name with no room
        # clear of the others left out (its dot stays): Liverpool ran over Manchester, Bradford
        # over Leeds
        maplabels.place(ax, [(x, y, name) for name, x, y in r["cities"]], skip=True, pad=7.0,
                        fontsize=9, bbox=dict(boxstyle="round,pad=0.15", fc="white", alpha=0.6,
                                              lw=0))
    title = fig.suptitle("", fontsize=14)

    def frame(k):
        for im, r, i in zip(ims, runs, idx):
            grid = np.where(r["land"], r["maps"][i[k]], np.nan)
            if field != "rent":
                grid = np.where(r["land"] & (grid <= 0), norm.vmin * 0.5, grid)
            im.set_data(grid)
        title.set_text(f"{what}: year {runs[0]['year'].get(steps[k], steps[k] / 4):.1f} "
                       f"(step {steps[k]})")
        return ims + [title]

    anim = FuncAnimation(fig, frame, frames=len(steps), blit=False)
    try:
        anim.save(out, writer=PillowWriter(fps=fps), dpi=dpi)
    except (OSError, ValueError) as e:
        raise AnimateError(f"{out}: cannot write the GIF ({getattr(e, 'strerror', None) or e})") \
            from None
    finally:
        plt.close(fig)
    return len(steps)
