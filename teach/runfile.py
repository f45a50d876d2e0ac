"""An existing run file as the lines of a `clustersim run --live-json` stream (live.h), so the
classroom page replays a file exactly as it plays a live run. Maps come from the file's
/snapshots (every output.snapshot_every steps); the cluster map is recomputed from them with the
definition of MODEL.md section 7 (as sim/live.c and sim/metrics.c apply it). As for a live run
(teach/server.py), the start line carries the sectors' tradable flags and where the policies act
(`areas`, from the file's own resolved config), and a `regions` line follows it (the region of each
land cell, from /landscape/region), for the page's regional chart and policy outlines."""
import json
import math

import h5py
import numpy as np

from analysis import libcfg
from teach.server import policy_areas  # where the policies act, as for a preset's runs


def window_avg(x, r):
    """Mean over the (2r+1)^2 window around each cell, cells off the grid counting as 0."""
    h, w = x.shape
    p = np.zeros((h + 2 * r + 1, w + 2 * r + 1))
    p[r + 1:r + 1 + h, r + 1:r + 1 + w] = x
    s = p.cumsum(0).cumsum(1)
    k = 2 * r + 1
    out = s[k:, k:] - s[:-k, k:] - s[k:, :-k] + s[:-k, :-k]
    return out / (k * k)


def cluster_map(sec, r, e_min, lq_min):
    """Per cell: the sector of the cluster it is in (the sector with most employment there when
    several), -1 none. sec: [S][H][W] full-scale employment."""
    e = sec.sum(0)
    e_tot = e.sum()
    ebar = window_avg(e, r)
    best = np.full(e.shape, -1.0)
    out = np.full(e.shape, -1, dtype=np.int64)
    side = (2 * r + 1) ** 2
    for s in range(sec.shape[0]):
        share = sec[s].sum() / e_tot if e_tot > 0 else 0.0
        if share <= 0:
            continue
        esbar = window_avg(sec[s], r)
        with np.errstate(divide="ignore", invalid="ignore"):
            lq = np.where(ebar > 0, (esbar / np.where(ebar > 0, ebar, 1)) / share, 0.0)
        m = (ebar > 0) & (lq >= lq_min - 1e-12) & (esbar * side >= e_min - 1e-9) & (sec[s] > best)
        best[m] = sec[s][m]
        out[m] = s
    return out


def _num(v):
    v = float(v)
    return v if math.isfinite(v) else None


def regions(f):
    """{"names": [...], "region_map": [region index per land cell]} of an open run file, for the
    page's regional chart and policy outlines (the server's "regions" line), or None when the
    file has no /landscape/region."""
    if "landscape/region" not in f:
        return None
    reg = f["landscape/region"]
    land = f["landscape/land"][()].astype(bool)
    return {"names": [str(n) for n in reg.attrs["names"]],
            "region_map": [int(v) for v in reg[()][land]]}


def lines(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != "clustersim-run":
            raise ValueError("no format = clustersim-run attribute")
        cfg = libcfg.parse(f.attrs["config"])
        land = f["landscape/land"][()].astype(bool)
        H, W = land.shape
        scale = float(f.attrs["scale"])
        sectors = list(f["sectors/employment"].attrs["names"])
        cities = []
        if "landscape/cities/name" in f:
            c = f["landscape/cities"]
            for n, x, y, p in zip(c["name"].asstr()[()], c["x"][()], c["y"][()],
                                  c["population"][()]):
                cities.append({"name": n, "x": int(x), "y": int(y), "population": float(p)})
        tradable = cfg.get("sectors", {}).get("tradable", [True] * len(sectors))
        if len(tradable) != len(sectors):
            tradable = [True] * len(sectors)
        snaps = f["snapshots/step"][()]
        every = int(snaps[1] - snaps[0]) if len(snaps) > 1 else 1
        out = [json.dumps({
            "type": "start", "scenario": str(f.attrs["scenario"]), "steps": int(f.attrs["steps"]),
            "every": every, "W": W, "H": H, "scale": scale, "seed": int(f.attrs["seed"]),
            "sectors": sectors, "tradable": [bool(t) for t in tradable], "cities": cities,
            "land": land.ravel().astype(int).tolist(), "areas": policy_areas(cfg),
            "units": {"employment": "workers (full scale)"}}, separators=(",", ":"))]
        reg = regions(f)
        if reg:  # the region of each land cell, right after the start line as for a live run
            out.append(json.dumps({"type": "regions", **reg}, separators=(",", ":")))
        ts = {k: f["timeseries/" + k][()] for k in ("step", "year", "employment",
                                                       "unemployment_rate", "output")}
        # public spending per step, as the live stream carries it (0 in a file without it)
        spend = f["timeseries/spending"][()] if "spending" in f["timeseries"] else \
            np.zeros(len(ts["step"]))
        eg = f["sectors/eg_index"][()]
        cc = f["sectors/cluster_count"][()]
        snap_of = {int(s): k for k, s in enumerate(snaps)}
        r = int(cfg.get("land", {}).get("rk", 2))
        e_min = float(cfg.get("output", {}).get("e_min", 5000.0))
        lq_min = float(cfg.get("output", {}).get("lq_min", 1.25))
        idx = np.flatnonzero(land.ravel())
        for t in range(len(ts["step"])):
            step = int(ts["step"][t])
            row = {"type": "series", "step": step, "year": _num(ts["year"][t]),
                   "employment": _num(ts["employment"][t]),
                   "unemployment_rate": _num(ts["unemployment_rate"][t]),
                   "output": _num(ts["output"][t]), "spending": _num(spend[t]),
                   "eg_index": [_num(v) for v in eg[t]], "cluster_count": [int(v) for v in cc[t]]}
            if step in snap_of:
                k = snap_of[step]
                emp = f["snapshots/employment"][k].astype(np.float64)
                sec = f["snapshots/sector_employment"][k].astype(np.float64)
                rent = f["snapshots/rent"][k].astype(np.float64)
                row["type"] = "frame"
                row["employment_map"] = np.rint(emp.ravel()[idx] * scale).astype(int).tolist()
                row["sector_map"] = [np.rint(sec[s].ravel()[idx] * scale).astype(int).tolist()
                                     for s in range(sec.shape[0])]
                row["rent_map"] = [float(f"{v:.4g}") for v in rent.ravel()[idx]]
                row["cluster_map"] = cluster_map(sec, r, e_min, lq_min).ravel()[idx].tolist()
            out.append(json.dumps(row, separators=(",", ":")))
        out.append(json.dumps({"type": "end", "step": int(ts["step"][-1]),
                               "complete": int(f.attrs.get("complete", 0))}))
        return out
