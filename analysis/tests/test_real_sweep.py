"""`analysis sweep` and `compare --where` on a real `clustersim sweep` output (2 scenarios, a
varied policy rate, 2 seeds, scale 0.0005, 8 steps), when ./clustersim (or $CLUSTERSIM) has the
sweep command; skipped otherwise."""
import csv
import os
import subprocess

import pytest

from analysis import compare, open_sweep, runs, sweep
from analysis.__main__ import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim")
K = "policies.[0].per_worker"


def _has_sweep():
    if not os.access(BIN, os.X_OK):
        return False
    r = subprocess.run([BIN, "sweep", "--help"], capture_output=True, text=True)
    return r.returncode == 0 and "not available" not in (r.stdout + r.stderr).lower()


@pytest.mark.skipif(not _has_sweep(), reason="needs a clustersim with the sweep command")
def test_real_sweep_analysis(tmp_path, capsys):
    sc = [os.path.join(ROOT, "scenarios", f"{n}.cfg") for n in ("baseline", "tech_city")]
    cfg = tmp_path / "s.cfg"
    cfg.write_text(f'''sweep = {{
  name = "real_small";
  scenarios = ["{sc[0]}", "{sc[1]}"];
  seeds = 2;
  vary = ( {{ key = "{K}"; values = [0.1, 0.5]; }} );
  set = ( {{ key = "scale"; value = 0.0005; }}, {{ key = "steps"; value = 8; }} );
  threads = 1;
}};
''')
    d = tmp_path / "sw"
    r = subprocess.run([BIN, "sweep", str(cfg), "-o", str(d), "--jobs", "2", "--quiet"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    ds = open_sweep(str(d))
    assert ds["employment"].dims == ("scenario", K, "seed")
    assert list(ds[K].values) == [0.1, 0.5] and list(ds["seed"].values) == [1, 2]
    assert (ds["status"] == "ok").all() and bool(ds["employment"].notnull().all())
    assert ds.attrs["name"] == "real_small" and ds.attrs["varied_keys"] == [K]
    run = sweep.load_run(str(d), str(ds["run_id"].sel(scenario="tech_city", seed=2)[0].item()))
    assert run.seed == 2 and len(run.frame()) == 9
    # the sweep table's level is the run file's final value
    assert ds["employment"].sel(scenario="tech_city", seed=2)[0].item() == run.ts["employment"][-1]

    out = tmp_path / "out"
    assert main(["sweep", str(d), "-o", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert (out / "sweep_0_policies.0.per_worker.png").stat().st_size > 1000
    with open(out / "league.csv") as f:
        lg = list(csv.DictReader(f))
    assert [x["scenario"] for x in lg] == ["tech_city", "tech_city"]
    for x in lg:
        # ranked (and job-years per million printed) only where the job effect is detectable
        det = x["detectable"] == "True"
        assert (x["rank"] != "") == det and (x["job_years_per_million"] != "") == det
        assert x["n_seeds"] == "2"
        assert (x["note"] == "") != (x["cost_per_job_year"] == "")
        assert f"| {x['rank'] or 'not detectable'} | tech_city |" in printed
    with open(out / "sweep_table.csv") as f:
        rows = list(csv.DictReader(f))
    emp = [x for x in rows if x["scenario"] == "tech_city" and x["outcome"] == "employment"]
    assert len(emp) == 2 and all(x["n_pairs"] == "2" for x in emp)

    # compare's selections (--where) reproduce the per-value difference of the sweep table
    pairs = runs.pair(runs.load_side([str(d)], "baseline", [("scenario", "baseline")]),
                      runs.load_side([str(d)], "policy", [("scenario", "tech_city"), (K, "0.5")]))
    got = {(x["outcome"], x["scope"], x["measure"]): x for x in compare.compare(pairs)[0]}
    want = [x for x in emp if float(x[K]) == 0.5][0]
    assert got[("employment", "national", "final")]["difference"] == \
        pytest.approx(float(want["difference"]))
