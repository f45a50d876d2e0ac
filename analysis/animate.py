"""`python3 -m analysis animate RUN.h5 [RUN2.h5] [--field F] [--sector S] [--fps N] -o FILE.gif`:
an animated GIF of a run's map snapshots for slides (docs/teaching.md), with a title, a year
counter and a colour bar with units; with a second run, the two side by side on one colour scale
(for example a policy against the baseline at the same seed).

Frames are the run file's /snapshots (every output.snapshot_every steps and the last step); with
two runs, the steps both have. Written with matplotlib's PillowWriter (python3-pil)."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FuncAnimation, PillowWriter  # noqa: E402
from matplotlib.colors import LogNorm, Normalize  # noqa: E402

from .runs import AnalysisError, label_with_units, open_h5  # noqa: E402

FIELDS = ("employment", "firms", "rent", "residents", "sector")


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
        return {"path": path, "scenario": f.attrs["scenario"], "seed": int(f.attrs["seed"]),
                "steps": [int(s) for s in steps], "maps": maps.astype(np.float64),
                "units": units, "year": year, "land": land, "cities": cities}


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


def animate(paths, out, field="employment", sector=None, fps=4):
    """Writes the GIF; returns the number of frames."""
    check_out(out)
    if field not in FIELDS:
        raise AnimateError(f"unknown field {field!r} (one of {', '.join(FIELDS)})")
    if (field == "sector") != (sector is not None):
        raise AnimateError("--sector NAME goes with --field sector (and only with it)")
    runs = [_load(p, field, sector) for p in paths]
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
    fig, axes = plt.subplots(1, len(runs), figsize=(3.6 * len(runs) + 1.0, 5.4), squeeze=False)
    ims = []
    for ax, r, i in zip(axes[0], runs, idx):
        grid = np.where(r["land"], r["maps"][i[0]], np.nan)
        if field != "rent":
            grid = np.where(r["land"] & (grid <= 0), norm.vmin * 0.5, grid)
        ims.append(ax.imshow(grid, cmap=cmap, norm=norm, interpolation="nearest"))
        ax.set_title(f"{r['scenario']}, seed {r['seed']}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        for name, x, y in r["cities"]:
            ax.plot(x, y, "k.", ms=3)
            ax.annotate(name, (x, y), xytext=(3, 2), textcoords="offset points", fontsize=6)
    cb = fig.colorbar(ims[0], ax=axes[0].tolist(), shrink=0.8)
    cb.set_label(label_with_units(what, runs[0]["units"]), fontsize=8)
    title = fig.suptitle("", fontsize=11)

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
        anim.save(out, writer=PillowWriter(fps=fps), dpi=80)
    except (OSError, ValueError) as e:
        raise AnimateError(f"{out}: cannot write the GIF ({getattr(e, 'strerror', None) or e})") \
            from None
    finally:
        plt.close(fig)
    return len(steps)
