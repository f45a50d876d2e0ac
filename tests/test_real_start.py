"""The real UK start (MODEL.md section 10, docs/model.md "The real start") and money in 2018
pounds, end to end on the real binary ($CLUSTERSIM or ./clustersim):

- the initial economy's regional location quotients equal the data's (ONS BRES 2018, data/),
  each region's jobs by sector equal to the worker, and the ITL2 areas place Cambridge's life
  sciences in East Anglia and the City's finance in London;
- the emergent start stays available and the real one is refused off the UK map;
- the location fundamentals carry every place-level difference of the initial firms'
  required productivity, so that firms differ only by their own size draws (and are zero on
  the emergent start);
- rescaling every money key by 2 changes no real outcome, bit for bit;
- sim/uk_data.c is what data/gen_uk_data.py makes of the CSV files."""
import csv
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))
BASELINE = os.path.join(ROOT, "scenarios", "baseline.cfg")
sys.path.insert(0, os.path.join(ROOT, "data"))
import gen_uk_data  # noqa: E402  (the generator is the one reader of the data files)
sys.path.insert(0, ROOT)
from analysis import libcfg  # noqa: E402


def run(tmp, name, *args):
    out = os.path.join(tmp, name + ".h5")
    p = subprocess.run([BIN, "run", BASELINE, "-o", out, "--quiet", *args], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return out


def data_jobs():
    """[region][sector] jobs of the data in the run file's region order (NI as generated)."""
    areas, _, _ = gen_uk_data.read()
    rows = areas + [{"region": "Northern Ireland", "jobs": gen_uk_data.ni_jobs(areas)}]
    x = np.zeros((len(gen_uk_data.REGIONS), len(gen_uk_data.SECTORS)))
    for a in rows:
        x[gen_uk_data.REGIONS.index(a["region"])] += a["jobs"]
    return x


def step0(path):
    """(jobs [region][sector] at step 0 in simulated workers, region names, sector names)."""
    with h5py.File(path, "r") as f:
        se = f["snapshots/sector_employment"][0].astype(float) * float(f.attrs["scale"])
        reg = f["landscape/region"][()]
        regions = [str(n) for n in f["landscape/region"].attrs["names"].astype(str)]
        sectors = [str(n) for n in f["sectors/employment"].attrs["names"].astype(str)]
    x = np.zeros((len(regions), se.shape[0]))
    for g in range(len(regions)):
        x[g] = se[:, reg == g].sum(axis=1)
    return np.rint(x), regions, sectors


def lq(x):
    return (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0) / x.sum())


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    tmp = str(tmp_path_factory.mktemp("real"))
    return run(tmp, "real", "--steps", "1", "--set", "scale=0.01")


def test_step0_regional_jobs_and_lq_equal_the_data(real):
    x, regions, sectors = step0(real)
    assert regions == gen_uk_data.REGIONS and sectors == gen_uk_data.SECTORS
    d = data_jobs()
    # each (region, sector) holds the data's share of the employed, to the worker: the
    # largest-remainder quotas of docs/model.md
    total = x.sum()
    want = d / d.sum() * total
    assert np.all(np.abs(x - want) < 1.0), np.abs(x - want).max()
    # so the location quotients are the data's, up to that rounding
    err = np.abs(lq(x) - lq(d))
    bound = lq(d) * (1.0 / np.maximum(want, 1.0) + 1.0 / want.sum(axis=1, keepdims=True)) * 2
    assert np.all(err <= bound + 1e-9), err.max()
    # regional totals too
    np.testing.assert_allclose(x.sum(axis=1) / total, d.sum(axis=1) / d.sum(), atol=1.0 / total * 12)


def test_no_initial_firm_is_most_of_its_region_and_sector(tmp_path):
    """landscape.firm_share_max (default 0.2) bounds the share of its region and sector's jobs
    one initial firm holds; a bucket's largest firm also absorbs its rounding remainder, hence
    the slack. Without the bound (1.0) single firms hold most of a small region-sector."""
    def max_share(value):
        out = run(str(tmp_path), f"share{value}", "--steps", "0", "--set", "scale=0.01",
                  "--set", f"landscape.firm_share_max={value}")
        with h5py.File(out, "r") as f:
            F = f["final/firms"]
            reg = f["landscape/region"][()]
            e = F["employees"][()].astype(float)
            bucket = reg[F["y"][()].astype(int), F["x"][()].astype(int)] * 100 + F["sector"][()]
        _, inv = np.unique(bucket, return_inverse=True)
        return float((e / np.bincount(inv, weights=e)[inv]).max())

    assert max_share(0.2) <= 0.25
    assert max_share(1.0) > 0.5


def test_itl2_areas_place_the_known_clusters(real):
    with h5py.File(real, "r") as f:
        se = f["snapshots/sector_employment"][0].astype(float)
        sectors = [str(n) for n in f["sectors/employment"].attrs["names"].astype(str)]
        c = f["landscape/cities"]
        cities = {n: (int(x), int(y)) for n, x, y in zip(c["name"].asstr()[()], c["x"][()],
                                                           c["y"][()])}
    h, w = se.shape[1:]
    yy, xx = np.mgrid[0:h, 0:w]

    def near(city, sector, r=3):
        cx, cy = cities[city]
        m = np.maximum(abs(xx - cx), abs(yy - cy)) <= r
        return se[sectors.index(sector)][m].sum()

    ls = sectors.index("life_sciences")
    # Cambridge is most of East Anglia's life sciences; Oxford's area (UKJ1) also holds Reading,
    # Slough and Milton Keynes, so the grid sees it less sharply
    for city, factor in (("Cambridge", 2.0), ("Oxford", 1.5)):
        share = near(city, "life_sciences") / se[ls].sum()
        pop_share = se[:, :, :].sum(axis=0)[
            np.maximum(abs(xx - cities[city][0]), abs(yy - cities[city][1])) <= 3].sum() / se.sum()
        assert share > factor * pop_share, (city, share, pop_share)  # a life-sciences cluster
    for sector, city in (("finance", "London"), ("digital", "London"), ("energy", "Aberdeen")):
        k = sectors.index(sector)
        assert near(city, sector) / se[k].sum() > near(city, "local_services") / se[-1].sum()


def test_emergent_start_and_refusal_off_the_map(tmp_path):
    em = run(str(tmp_path), "em", "--steps", "1", "--set", "scale=0.01",
             "--set", 'landscape.initial_sectors="emergent"')
    x, _, _ = step0(em)
    # sectors drawn independently of place: London's finance LQ near 1, far from the data's 2
    assert abs(lq(x)[0, gen_uk_data.SECTORS.index("finance")] - 1.0) < 0.3
    p = subprocess.run([BIN, "check", BASELINE, "--set", 'landscape.kind="uniform"'],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert "landscape.initial_sectors" in p.stderr and "emergent" in p.stderr


def initial_firms(path):
    """The step-0 firms of a --steps 0 run: sector, region, log A - (1 - alpha) log H, and the
    location fundamental at each firm's cell."""
    with h5py.File(path, "r") as f:
        F = f["final/firms"]
        x, y, s = F["x"][()], F["y"][()], F["sector"][()]
        a, h = F["productivity"][()], F["effective_labour"][()]
        fund = f["landscape/location_fundamental"][()]
        reg = f["landscape/region"][()]
        alpha = float(libcfg.parse(str(f.attrs["config"].decode() if isinstance(
            f.attrs["config"], bytes) else f.attrs["config"]))["firms"]["alpha"])
    return s, reg[y, x], np.log(a) - (1.0 - alpha) * np.log(h), fund[s, y, x], fund


def test_location_fundamentals_carry_the_place(tmp_path):
    s, g, own, at, fund = initial_firms(run(str(tmp_path), "r0", "--steps", "0",
                                            "--set", "scale=0.01"))
    assert np.isfinite(fund).all() and np.abs(fund).max() < 2.0 and np.abs(fund).max() > 0.01
    for k in np.unique(s):
        m = s == k
        # fitted as deviations from the sector's national mean over the initial firms
        assert abs(at[m].mean()) < 1e-9
        # what is left in the firms' own productivity has no regional pattern: each region's
        # mean equals the national one (each of its ITL2 areas' does, by construction)
        means = [own[m & (g == r)].mean() for r in np.unique(g[m])]
        assert np.ptp(means) < 1e-9, (k, means)
    # the emergent start has no fitted places
    _, _, _, _, fund_em = initial_firms(run(str(tmp_path), "e0", "--steps", "0",
                                            "--set", "scale=0.01",
                                            "--set", 'landscape.initial_sectors="emergent"'))
    assert not fund_em.any()


MONEY = ["landscape.amenity_city", "workers.tau_h", "labour.w_min", "labour.c_d", "land.r0",
         "land.h0"]
PER_POUND = ["universities.phi_q"]


def test_money_rescaling_changes_no_real_outcome(tmp_path):
    """Every money key x 2 (every per-pound key / 2): the same economy, money series doubled,
    bit for bit (doubling is exact in binary floating point)."""
    def value(key):
        p = subprocess.run([BIN, "check", BASELINE], capture_output=True, text=True)
        group, name = key.split(".")
        block = p.stdout.split(f"\n{group} =", 1)[1]
        line = [ln for ln in block.splitlines() if ln.strip().startswith(name + " =")][0]
        return float(line.split("=")[1].strip().rstrip(";"))
    sets = []
    for k in MONEY:
        sets += ["--set", f"{k}={2 * value(k)!r}"]
    for k in PER_POUND:
        sets += ["--set", f"{k}={value(k) / 2!r}"]
    args = ["--steps", "12", "--set", "scale=0.001"]
    a = run(str(tmp_path), "a", *args)
    b = run(str(tmp_path), "b", *args, *sets)
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for k in ("employment", "firms", "births", "deaths", "unemployment_rate",
                  "innovations", "relocations"):
            np.testing.assert_array_equal(fa["timeseries/" + k][()], fb["timeseries/" + k][()], k)
        for k in ("output", "mean_wage"):
            np.testing.assert_array_equal(2 * fa["timeseries/" + k][()], fb["timeseries/" + k][()],
                                          k)
        mw = fa["timeseries/mean_wage"][0] * 4
        assert 28000 < mw < 32000, mw  # ASHE 2018: about GBP 29,800 a year per job


def test_generated_tables_are_current():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "data", "gen_uk_data.py"), "--check"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
