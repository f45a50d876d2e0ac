"""Synthetic clustersim run files that follow INTERFACES.md (format_version 1), for tests.

The fake economy: a W x H grid whose left and right columns are sea (region -1); the twelve UK
regions are bands of two rows each (region r owns rows 2r and 2r+1; London is r = 0, in the
north). Region r employs base_r = 1000 (12 - r) people plus seed noise (identical in a baseline
and a policy run of the same seed: common random numbers), spread evenly over its land cells.
`effects` = {region name: jobs} adds that many jobs in the region at every step >= 1, so every
difference is known exactly:
    output       = employment x productivity_r,  productivity_r = 10 + 0.5 r
    firms        = employment / 10;  births = deaths = 0.03 firms;  innovations = 0.001 employment
    labour force = 1.1 base_r (fixed), unemployment_rate = 1 - employment / labour force
    spending     = spending_per_step at every step >= 1 (0 at step 0)
    tax_revenue  = 0.01 output + tax_rate (0.19) x spending + tax_extra (steps >= 1): the profit
                   tax, so a policy's extra tax is 0.01 x its extra output + 0.19 x its spending
                   (+ tax_extra); tax=False leaves the series out (run files from before it)
    tax_on_payments = tax_rate x payments_share (1) x spending: the part of it the payments
                   raise themselves; payments_tax=False leaves it out (default: as tax)
Sectors: digital (40% of London's jobs and of Scotland's, 5% elsewhere), finance (40% in East of
England, 10% elsewhere), local_services (the rest)."""
import h5py
import numpy as np

REGIONS = ["London", "South East", "East of England", "South West", "West Midlands",
           "East Midlands", "Yorkshire and the Humber", "North West", "North East", "Wales",
           "Scotland", "Northern Ireland"]
SECTORS = ["digital", "finance", "local_services"]
TS_UNITS = {"employment": "jobs", "output": "pounds per quarter", "mean_wage": "pounds per quarter",
            "unemployment_rate": "fraction", "innovations": "innovations per quarter",
            "firms": "firms", "spending": "pounds per quarter",
            "tax_revenue": "pounds per quarter", "tax_on_payments": "pounds per quarter"}


def _shares():
    sh = np.zeros((12, 3))
    for r in range(12):
        d = 0.4 if r in (0, 10) else 0.05
        f = 0.4 if r == 2 else 0.1
        sh[r] = (d, f, 1 - d - f)
    return sh


def _cfg_value(v):
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{ " + " ".join(f"{k} = {_cfg_value(x)};" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_cfg_value(x) for x in v) + "]"
    return repr(v)


def config_text(scenario, seed, steps, policies, snapshot_every):
    pol = ",\n".join("  { " + " ".join(f"{k} = {_cfg_value(x)};" for k, x in p.items()) + " }"
                     for p in policies)
    return f"""# resolved configuration (fake)
name = "{scenario}";
description = "fake run /* not a comment */ for tests";
seed = {seed}L;
steps = {steps};
scale = 0.002;
grid = {{ width = 16; height = 24; }};
sectors = {{
  n = 3;
  names = ["digital", "finance", "local_services"];
  tradable = [true, true, false];   // flags in the order of names
  share = [0.1, 0.15, 0.75];
}};
land = {{ rk = 2; }};
/* cluster rule */
output = {{ snapshot_every = {snapshot_every}; e_min = 0.0; lq_min = 1.25; }};
policies = (
{pol}
);
"""


def make_run(path, seed=1, steps=12, scenario="baseline", policies=(), effects=None,
             spending_per_step=0.0, complete=1, snapshot_every=4, W=16, H=24, fmt="clustersim-run",
             maps=False, active=None, shocks=(), tax=True, tax_rate=0.19, tax_extra=0.0,
             payments_tax=None, payments_share=1.0):
    """maps: also write /maps/employment, float32 [T][H][W], the employment map of every step
    (current engines); without it only the snapshots every snapshot_every steps (older ones).
    active: (start, end) steps, end exclusive: the effects and the spending only at those steps
    (default: every step >= 1).
    shocks: [(region name, start, end, jobs)]: jobs added in the region at steps start..end-1 on
    top of the effects, without spending (e.g. seed noise after a policy's programme period).
    tax: write /timeseries/tax_revenue (False: an older engine's run file without it);
    tax_extra: profit tax added at every step >= 1 (e.g. a policy's effect on the tax base that
    differs by seed).
    payments_tax: write /timeseries/tax_on_payments (default: as tax; False with tax=True: a run
    file with tax_revenue alone, as 5d2aced-era engines wrote); payments_share: the share of the
    spending whose tax it counts (e.g. payments to firms without profit bring nothing back)."""
    effects = effects or {}
    T = steps + 1
    rng = np.random.default_rng(seed)
    base = 1000.0 * (12 - np.arange(12))
    emp = base[None, :] + np.round(rng.normal(0, 20, (T, 12)))
    a0, a1 = active if active is not None else (1, T)
    for name, jobs in effects.items():
        emp[a0:a1, REGIONS.index(name)] += jobs
    for name, s0, s1, jobs in shocks:
        emp[s0:s1, REGIONS.index(name)] += jobs
    prod = 10.0 + 0.5 * np.arange(12)
    out = emp * prod[None, :]
    lf = 1.1 * base
    wage_r = 5.0 + 0.1 * np.arange(12)[None, :] + 0.01 * rng.normal(size=(T, 12))
    reg = {"employment": emp, "output": out, "mean_wage": wage_r, "firms": emp / 10.0,
           "unemployment_rate": 1 - emp / lf[None, :]}
    E, Y = emp.sum(1), out.sum(1)
    theil = ((out / Y[:, None]) * np.log((out / emp) / (Y / E)[:, None])).sum(1)
    spend = np.zeros(T)
    spend[a0:a1] = float(spending_per_step)
    spend[0] = 0.0
    ts = {"step": np.arange(T, dtype=float), "year": np.arange(T) / 4.0, "firms": E / 10.0,
          "births": 0.03 * E / 10.0, "deaths": 0.03 * E / 10.0, "relocations": 0.01 * E / 10.0,
          "employment": E, "unemployment_rate": 1 - E / lf.sum(), "output": Y,
          "mean_productivity": Y / E, "innovations": 0.001 * E, "rd_spend": 0.02 * Y,
          "mean_wage": (wage_r * emp).sum(1) / E, "wage_gini": np.full(T, 0.3),
          "rent_index": np.ones(T), "spending": spend, "employment_herfindahl": np.full(T, 0.01),
          "regional_theil": theil}
    if tax:
        taxes = 0.01 * Y + tax_rate * spend
        taxes[1:] += tax_extra
        taxes[0] = 0.0
        ts["tax_revenue"] = taxes
    if tax if payments_tax is None else payments_tax:
        ts["tax_on_payments"] = tax_rate * payments_share * spend
    sh = _shares()
    sec_emp = emp @ sh
    # land: columns 1..W-2; region r: rows 2r, 2r+1
    region = np.full((H, W), -1, np.int32)
    for r in range(12):
        region[2 * r:2 * r + 2, 1:W - 1] = r
    ncell = 2 * (W - 2)
    snap_steps = list(range(0, T, snapshot_every))
    if snap_steps[-1] != steps:
        snap_steps.append(steps)
    K = len(snap_steps)
    emap = np.zeros((K, H, W), np.float32)
    smap = np.zeros((K, 3, H, W), np.float32)
    for k, st in enumerate(snap_steps):
        for r in range(12):
            cell = emp[st, r] / ncell
            emap[k][region == r] = cell
            for s in range(3):
                smap[k, s][region == r] = cell * sh[r, s]
    def emp_map(st):
        m = np.zeros((H, W), np.float32)
        for r in range(12):
            m[region == r] = emp[st, r] / ncell
        return m
    with h5py.File(path, "w") as f:
        if maps:
            f.create_group("maps").create_dataset(
                "employment", data=np.stack([emp_map(t) for t in range(T)]), compression="gzip")
        a = f.attrs
        a["format"] = fmt
        a["format_version"] = 1
        a["software_version"] = "0.0-fake"
        a["git_hash"] = "fake"
        a["scenario"] = scenario
        a["seed"] = np.int64(seed)
        a["steps"] = np.int32(steps)
        a["complete"] = np.int32(complete)
        a["created"] = "2024-01-01T00:00:00Z"
        a["config"] = config_text(scenario, seed, steps, list(policies), snapshot_every)
        a["config_source"] = f'name = "{scenario}";\n'
        c = f.create_group("code")
        c.attrs["compiler"] = "fake"
        c.attrs["threads"] = 1
        g = f.create_group("timeseries")
        for k, v in ts.items():
            d = g.create_dataset(k, data=np.asarray(v, np.float64))
            d.attrs["units"] = TS_UNITS.get(k, "")
            d.attrs["description"] = k.replace("_", " ")
        g = f.create_group("sectors")
        sec = {"employment": sec_emp, "firms": sec_emp / 10, "output": sec_emp * 10,
               "eg_index": np.tile([0.02, 0.015, 0.001], (T, 1)) + 0.001 * np.arange(T)[:, None],
               "cluster_count": np.tile([2.0, 1.0, 0.0], (T, 1)),
               "largest_cluster_employment": np.stack([sec_emp[:, 0] * 0.5, sec_emp[:, 1] * 0.4,
                                                       np.zeros(T)], 1),
               "largest_cluster_x": np.tile([7.5, 7.5, -1.0], (T, 1)),
               "largest_cluster_y": np.tile([0.5, 4.5, -1.0], (T, 1))}
        for k, v in sec.items():
            d = g.create_dataset(k, data=v)
            d.attrs["names"] = SECTORS
        g = f.create_group("regions")
        for k, v in reg.items():
            d = g.create_dataset(k, data=v)
            d.attrs["names"] = REGIONS
        g = f.create_group("policies")
        P = len(policies)
        ps = np.zeros((T, P))
        if P:
            ps[:] = spend[:, None] / P
        d = g.create_dataset("spending", data=ps)
        d.attrs["names"] = [p.get("name", f"p{i}") for i, p in enumerate(policies)]
        g = f.create_group("snapshots")
        g.create_dataset("step", data=np.array(snap_steps, np.int32))
        g.create_dataset("employment", data=emap, compression="gzip")
        g.create_dataset("firms", data=emap / 10, compression="gzip")
        g.create_dataset("rent", data=np.ones_like(emap))
        g.create_dataset("residents", data=emap * 1.1)
        g.create_dataset("sector_employment", data=smap, compression="gzip")
        g = f.create_group("landscape")
        d = g.create_dataset("region", data=region)
        d.attrs["names"] = REGIONS
        cc = np.zeros((H, W), np.uint8)
        cc[0, 7:9] = 1   # London centre
        cc[20, 3] = 1    # a Scottish city centre
        g.create_dataset("city_centre", data=cc)
        g.create_dataset("office_capacity", data=np.ones((H, W)) * 1000)
        g.create_dataset("amenity", data=np.zeros((H, W)))
        u = g.create_group("universities")
        u.create_dataset("name", data=["Cambridge"])
        u.create_dataset("x", data=[8.0])
        u.create_dataset("y", data=[4.0])
        u.create_dataset("quality", data=[1.0])
        c = g.create_group("cities")
        c.create_dataset("name", data=["London", "Glasgow"])
        c.create_dataset("x", data=[7.5, 3.0])
        c.create_dataset("y", data=[0.5, 20.0])
        g = f.create_group("final/firms")
        n = 5
        g.create_dataset("x", data=np.arange(n, dtype=np.int32) + 1)
        g.create_dataset("y", data=np.arange(n, dtype=np.int32))
        g.create_dataset("sector", data=np.arange(n, dtype=np.int32) % 3)
        g.create_dataset("productivity", data=np.ones(n))
        g.create_dataset("employees", data=np.full(n, 10, np.int32))
        g.create_dataset("age", data=np.arange(n, dtype=np.int32))
        g.create_dataset("origin", data=np.zeros(n, np.int32))
    return path


LONDON_SUBSIDY = {"type": "location_subsidy", "name": "tech_city",
                  "area": {"regions": ["London"]}, "per_worker": 500.0}


def make_pair(tmpdir, seeds=(1, 2, 3), effects=None, policies=(LONDON_SUBSIDY,),
              spending_per_step=1000.0, steps=12):
    """Baseline and policy runs for each seed in tmpdir/base and tmpdir/policy."""
    import os
    b, p = os.path.join(tmpdir, "base"), os.path.join(tmpdir, "policy")
    os.makedirs(b, exist_ok=True)
    os.makedirs(p, exist_ok=True)
    effects = {"London": 100.0} if effects is None else effects
    for s in seeds:
        make_run(os.path.join(b, f"baseline-seed{s}.h5"), seed=s, steps=steps)
        make_run(os.path.join(p, f"policy-seed{s}.h5"), seed=s, steps=steps, scenario="tech_city",
                 policies=policies, effects=effects, spending_per_step=spending_per_step)
    return b, p


# the units attributes of /runs/final/<metric> (the engine's, sim/sweep_collect.c)
FINAL_UNITS = {"employment": "workers (full scale)", "output": "pounds per step (full scale)",
               "mean_productivity": "pounds per step per effective worker^alpha",
               "unemployment_rate": "fraction",
               "innovations": "innovations per step (full scale)",
               "spending_cumulative": "pounds (full scale)", "eg_tradable_mean": "index"}


def _finals(path):
    """The sweep table's final metrics of a run file (INTERFACES.md sweep output)."""
    with h5py.File(path, "r") as f:
        ts = {k: f["timeseries"][k][()] for k in f["timeseries"]}
        eg = f["sectors/eg_index"][-1]
    out = {"employment": ts["employment"][-1], "output": ts["output"][-1],
           "mean_productivity": ts["mean_productivity"][-1],
           "unemployment_rate": ts["unemployment_rate"][-1], "innovations": ts["innovations"][-1],
           "spending_cumulative": ts["spending"][1:].sum(), "eg_tradable_mean": eg[:2].mean()}
    for j, s in enumerate(SECTORS[:2]):
        out[f"eg_{s}"] = eg[j]
    return out


def make_sweep(d, scenarios, vary=(), seeds=(1, 2, 3), steps=12, name="fake_sweep",
               failed=(), str_keys=()):
    """A fake sweep directory d (INTERFACES.md sweep output): d/runs/<id>.h5 and d/sweep.h5.
    scenarios: [(name, applies, make)]: applies lists the varied keys the scenario has; make(values)
    returns make_run keyword arguments (policies, effects, spending_per_step) for a dict
    {key: value} of those keys. vary: [(key, [values])], crossed (mode "product"). Runs whose id
    is in `failed` get status "failed", no file and NaN finals. Returns the run ids in order."""
    import itertools
    import os
    rows = []
    for sc, applies, make in scenarios:
        ks = [(k, v) for k, v in vary if k in applies]
        for combo in itertools.product(*[v for _, v in ks]) if ks else [()]:
            vals = {k: x for (k, _), x in zip(ks, combo)}
            for s in seeds:
                rid = "/".join([sc] + [f"{k.split('.')[-1]}={x}" for k, x in vals.items()]
                               + [f"seed{s:02d}"])
                rows.append((rid, sc, vals, s))
    metrics = None
    table = []
    for rid, sc, vals, s in rows:
        rel = f"runs/{rid}.h5"
        ok = rid not in failed
        if ok:
            path = os.path.join(d, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            kw = dict(next(m for n, _, m in scenarios if n == sc)(vals))
            make_run(path, seed=s, steps=steps, scenario=sc, **kw)
            fin = _finals(path)
        else:
            fin = None
        metrics = metrics or (list(fin) if fin else None)
        table.append((rid, sc, vals, s, rel if ok else "", fin))
    metrics = metrics or []
    sdt = h5py.string_dtype()
    with h5py.File(os.path.join(d, "sweep.h5"), "w") as f:
        a = f.attrs
        a["format"] = "clustersim-sweep"
        a["format_version"] = 1
        a["name"] = name
        a["sweep_config"] = f'sweep = {{ name = "{name}"; }};\n'
        a["software_version"] = "0.0-fake"
        a["git_hash"] = "fake"
        a["created"] = "2024-01-01T00:00:00Z"
        a["varied_keys"] = np.array([k for k, _ in vary], dtype=sdt)
        g = f.create_group("runs")
        g.create_dataset("id", data=np.array([t[0] for t in table], dtype=sdt))
        g.create_dataset("scenario", data=np.array([t[1] for t in table], dtype=sdt))
        g.create_dataset("scenario_file", data=np.array([f"scenarios/{t[1]}.cfg" for t in table],
                                                        dtype=sdt))
        g.create_dataset("seed", data=np.array([t[3] for t in table], np.int64))
        g.create_dataset("status", data=np.array(["ok" if t[4] else "failed" for t in table],
                                                 dtype=sdt))
        g.create_dataset("wall_seconds", data=np.array([1.0 if t[4] else np.nan for t in table]))
        g.create_dataset("file", data=np.array([t[4] for t in table], dtype=sdt))
        for i, (k, _) in enumerate(vary):
            if k in str_keys:
                col = np.array([str(t[2].get(k, "")) for t in table], dtype=sdt)
            else:
                col = np.array([float(t[2].get(k, np.nan)) for t in table])
            ds = g.create_dataset(f"vary_{i}", data=col)
            ds.attrs["key"] = k
        fg = g.create_group("final")
        for m in metrics:
            ds = fg.create_dataset(m, data=np.array([t[5][m] if t[5] else np.nan
                                                     for t in table]))
            ds.attrs["units"] = FINAL_UNITS.get(m, "index")
        lg = f.create_group("links")
        for i, t in enumerate(table):
            if t[4]:
                lg[f"{i:06d}"] = h5py.ExternalLink(t[4], "/")
    return [t[0] for t in table]
