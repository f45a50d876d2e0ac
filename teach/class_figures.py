"""Every figure that the three class plans of docs/teaching.md quote, from the current engine:

    /usr/bin/python3 teach/class_figures.py [--dir DIR] [--binary ./clustersim] [--jobs 1]

runs the plans' fifteen runs (emergence, baseline, tech_city, short_term_funding and
long_term_funding at scale 0.001, seeds 1 to 3, as the loop in docs/teaching.md does) into DIR
(default /tmp/clustersim-class-figures; a run whose file is already there is not run again: remove DIR after a
change to the engine), then prints the figures, plan by plan, with those of
scenarios/teaching/baseline.md and the unemployment of the baseline and emergence runs. About
15 runs of 3-10 s each, one at a time by default.
"""
import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ["emergence", "baseline", "tech_city", "short_term_funding", "long_term_funding"]
SEEDS = [1, 2, 3]
SCALE = 0.001
CIRCLE = (79.0, 129.5, 1.5)  # tech_city's area (scenarios/tech_city.cfg)
REGION = "North East"  # the funding presets' area


def run_all(binary, out, jobs):
    todo = [(sc, s) for s in SEEDS for sc in SCENARIOS
            if not os.path.exists(os.path.join(out, f"{sc}-{s}.h5"))]

    def one(job):
        sc, s = job
        path = os.path.join(out, f"{sc}-{s}.h5")
        subprocess.run([binary, "run", os.path.join(ROOT, "scenarios", sc + ".cfg"), "--set",
                        f"scale={SCALE}", "--seed", str(s), "--quiet", "-o", path + ".part"],
                       check=True)
        os.replace(path + ".part", path)  # only a whole run counts as done

    if todo:
        print(f"running {len(todo)} runs into {out} ...", file=sys.stderr)
        with ThreadPoolExecutor(max(1, jobs)) as ex:
            list(ex.map(one, todo))


class Run:
    """The parts of a run file the plans use."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.git = f.attrs.get("git_hash", "")
            self.sectors = [str(n) for n in f["sectors/employment"].attrs["names"]]
            self.sec = {k: f["sectors/" + k][()] for k in
                        ("employment", "eg_index", "cluster_count",
                         "largest_cluster_employment", "largest_cluster_x",
                         "largest_cluster_y")}
            self.year = f["timeseries/year"][()]
            self.employment = f["timeseries/employment"][()]
            self.spending = f["timeseries/spending"][()]
            self.unemployment = f["timeseries/unemployment_rate"][()]
            self.migrations = f["timeseries/migrations"][()]
            self.region_names = [str(n) for n in f["regions/employment"].attrs["names"]]
            self.regions = f["regions/employment"][()]
            self.snap_step = f["snapshots/step"][()]
            self.snap_emp = f["snapshots/employment"][()]
            self.snap_sec = f["snapshots/sector_employment"][()]
            self.land = f["landscape/land"][()].astype(bool)

    def s(self, name):
        return self.sectors.index(name)

    def snap(self, step):
        k = list(self.snap_step).index(step)
        return k

    def region(self, name):
        return self.regions[:, self.region_names.index(name)]


def k(v):
    """Thousands, rounded: 12,345 -> '+12,000' style without the sign."""
    return f"{round(v / 1000) * 1000:,.0f}"


def sk(v):
    return ("+" if v > 0 else "") + k(v)


def rng(vals, fmt="{:.3f}"):
    lo, hi = min(vals), max(vals)
    return fmt.format(lo) + (" to " + fmt.format(hi) if fmt.format(hi) != fmt.format(lo) else "")


def plan1(runs):
    print("== Plan 1: emergence ==")
    em = [runs["emergence", s] for s in SEEDS]
    for s, r in zip(SEEDS, em):
        shares = []
        for yr in (0, 10, 20, 40):
            e = r.snap_emp[r.snap(4 * yr)][r.land]
            n = max(1, int(round(0.01 * e.size)))
            shares.append(np.sort(e)[::-1][:n].sum() / e.sum())
        print(f"seed {s}: jobs in the busiest 1% of land cells, year 0/10/20/40: "
              + " / ".join(f"{v:.3f}" for v in shares))
    d = em[0].s("digital")
    for s, r in zip(SEEDS, em):
        egs = r.sec["eg_index"][:, :]
        others = [(r.sectors[j], egs[-1, j]) for j in range(len(r.sectors))
                  if r.sectors[j] != "energy"]
        top = max(others, key=lambda t: t[1])
        print(f"seed {s}: digital EG step 0 {egs[0, d]:.3f}, year 40 {egs[-1, d]:.3f}; "
              f"energy EG year 40 {egs[-1, r.s('energy')]:.3f}; highest other sector at year "
              f"40: {top[0]} {top[1]:.3f}")
        print(f"seed {s}: digital clusters step 0 {r.sec['cluster_count'][0, d]:.0f} -> year 40 "
              f"{r.sec['cluster_count'][-1, d]:.0f}; largest digital cluster "
              f"{k(r.sec['largest_cluster_employment'][0, d])} -> "
              f"{k(r.sec['largest_cluster_employment'][-1, d])} jobs")
        for name in ("digital", "life_sciences"):
            j = r.s(name)
            print(f"seed {s}: largest {name} cluster at year 40 at cell "
                  f"({r.sec['largest_cluster_x'][-1, j]:.0f}, "
                  f"{r.sec['largest_cluster_y'][-1, j]:.0f})")
    print()


def circle_mask(r):
    H, W = r.land.shape
    ys, xs = np.mgrid[0:H, 0:W]
    cx, cy, rad = CIRCLE
    return ((xs - cx) ** 2 + (ys - cy) ** 2 <= rad * rad) & r.land


def plan2(runs, compare_dir):
    print("== Plan 2: tech_city against baseline (digital jobs) ==")
    base_year40 = []
    for s in SEEDS:
        b, p = runs["baseline", s], runs["tech_city", s]
        d, m = b.s("digital"), circle_mask(b)
        cells = []
        for yr in (10, 15, 40):
            cb = b.snap_sec[b.snap(4 * yr), d][m].sum()
            cp = p.snap_sec[p.snap(4 * yr), d][m].sum()
            cells.append((cb, cp))
        nat = [p.sec["employment"][4 * yr, d] - b.sec["employment"][4 * yr, d] for yr in (10, 40)]
        base_year40.append(b.sec["employment"][160, d])
        (b10, p10), (b15, p15), (b40, p40) = cells
        print(f"seed {s} ({m.sum()} cells): circle year 10 {k(b10)} -> {k(p10)} "
              f"({sk(p10 - b10)}), year 15 {sk(p15 - b15)}, year 40 {sk(p40 - b40)} "
              f"(baseline {k(b40)}); national digital year 10 {sk(nat[0])}, year 40 "
              f"{sk(nat[1])}")
    print(f"baseline national digital employment at year 40: {k(min(base_year40))} to "
          f"{k(max(base_year40))} (seeds differ by {k(max(base_year40) - min(base_year40))})")
    out = os.path.join(compare_dir, "compare")
    r = subprocess.run(
        ["/usr/bin/python3", "-m", "analysis", "compare"]
        + [os.path.join(compare_dir, f"baseline-{s}.h5") for s in SEEDS] + ["--"]
        + [os.path.join(compare_dir, f"tech_city-{s}.h5") for s in SEEDS] + ["-o", out],
        cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        print("analysis compare failed:", r.stderr.strip())
    else:
        import csv
        with open(os.path.join(out, "summary.csv")) as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            if row["scope"] == "national" and row["outcome"] in ("employment", "output",
                                                                  "spending"):
                print(f"compare: {row['outcome']} {row['measure']}: difference "
                      f"{row['difference']} [{row['ci_low']}, {row['ci_high']}] "
                      f"{row['note']}".rstrip())
        notes = {row["note"] for row in rows if row["note"]}
        for n in sorted(notes):
            print("compare note:", n)
    print()


def plan3(runs):
    print(f"== Plan 3: stop-go against steady funding ({REGION} employment, policy minus "
          "baseline) ==")
    for s in SEEDS:
        b, sg, st = (runs[n, s] for n in ("baseline", "short_term_funding", "long_term_funding"))
        nb, nsg, nst = b.region(REGION), sg.region(REGION), st.region(REGION)
        steps = np.arange(len(nb))
        funded_years = (steps >= 4) & (steps < 100)  # years 1-25
        on = funded_years & (sg.spending > 0)
        off = funded_years & (sg.spending == 0)
        d_sg, d_st = nsg - nb, nst - nb
        print(f"seed {s}: stop-go years 1-25 {sk(d_sg[funded_years].mean())}: on phases "
              f"{sk(d_sg[on].mean())}, off phases "
              f"{sk(d_sg[off].mean())} (on - off {sk(d_sg[on].mean() - d_sg[off].mean())}), "
              f"year 40 {sk(d_sg[160])}; steady years 1-25 {sk(d_st[funded_years].mean())}, "
              f"year 40 {sk(d_st[160])}")
        print(f"seed {s}: spending stop-go {sg.spending.sum() / 1e9:.2f}bn, steady "
              f"{st.spending.sum() / 1e9:.2f}bn; baseline {REGION} year 1 {k(nb[4])}, year 40 "
              f"{k(nb[160])}; steady {REGION} year 24 {k(nst[96])}, year 28 {k(nst[112])}, "
              f"year 40 {k(nst[160])}; stop-go year 40 {k(nsg[160])}")
    print()


def unemployment(runs):
    print("== Unemployment: the start settling (docs/teaching.md, baseline.md, emergence.md) ==")
    for sc in ("baseline", "emergence"):
        for s in SEEDS:
            u = 100 * runs[sc, s].unemployment
            late = u[40:]  # from year 10
            print(f"{sc} seed {s}: peak {u.max():.1f}% at year {u.argmax() / 4:g}, year 2 "
                  f"{u[8]:.1f}%, year 10 {u[40]:.1f}%, years 10-40 {late.min():.1f}% to "
                  f"{late.max():.1f}% (mean {late.mean():.1f}%)")
    for s in SEEDS:
        moves = [runs[sc, s].migrations[1:33].sum() for sc in ("baseline", "emergence")]
        print(f"seed {s}: home moves in the first eight years, emergence against baseline: "
              f"{100 * (moves[1] / moves[0] - 1):+.0f}%")
    print()


def baseline_note(runs):
    print("== scenarios/teaching/baseline.md: EG index at year 40 ==")
    for s in SEEDS:
        r = runs["baseline", s]
        print(f"seed {s}: " + ", ".join(f"{n} {r.sec['eg_index'][-1, j]:.3f}"
                                         for j, n in enumerate(r.sectors)))
    print()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].rstrip(":") + ".")
    ap.add_argument("--dir", help="folder of the runs (kept and reused)",
                    default=os.path.join(tempfile.gettempdir(), "clustersim-class-figures"))
    ap.add_argument("--binary", default=os.path.join(ROOT, "clustersim"),
                    help="the clustersim binary that makes the runs (default: ./clustersim)")
    ap.add_argument("--jobs", type=int, default=1, help="runs at once (default 1)")
    a = ap.parse_args(argv)
    out = os.path.abspath(a.dir)
    os.makedirs(out, exist_ok=True)
    run_all(os.path.abspath(a.binary), out, a.jobs)
    runs = {(sc, s): Run(os.path.join(out, f"{sc}-{s}.h5")) for sc in SCENARIOS for s in SEEDS}
    ver = subprocess.run([os.path.abspath(a.binary), "--version"], capture_output=True,
                         text=True).stdout.strip()
    print(f"figures of docs/teaching.md's class plans: scale {SCALE}, seeds 1-3, "
          f"runs in {out} ({ver or 'engine ' + str(runs['baseline', 1].git)})\n")
    plan1(runs)
    with tempfile.TemporaryDirectory() as tmp:
        for s in SEEDS:
            for sc in ("baseline", "tech_city"):
                os.symlink(os.path.join(out, f"{sc}-{s}.h5"), os.path.join(tmp, f"{sc}-{s}.h5"))
        plan2(runs, tmp)
    plan3(runs)
    unemployment(runs)
    baseline_note(runs)


if __name__ == "__main__":
    main()
