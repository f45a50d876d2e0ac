"""Compares two short real runs of the engine, when ./clustersim (or $CLUSTERSIM) and the
scenario files exist."""
import csv
import math
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim")
SCEN = [os.path.join(ROOT, "scenarios", f) for f in ("baseline.cfg", "tech_city.cfg")]


@pytest.mark.skipif(not (os.path.isfile(BIN) and os.access(BIN, os.X_OK)
                         and all(os.path.exists(s) for s in SCEN)),
                    reason="needs the clustersim binary and scenarios/{baseline,tech_city}.cfg")
def test_real_runs_compare(tmp_path):
    sides = []
    for scen, side in zip(SCEN, ("base", "policy")):
        d = tmp_path / side
        d.mkdir()
        for seed in (1, 2):
            r = subprocess.run([BIN, "run", scen, "-o", str(d / f"seed{seed}.h5"), "--steps", "12",
                                "--seed", str(seed), "--quiet"], cwd=ROOT, capture_output=True,
                               text=True, timeout=300)
            assert r.returncode == 0, r.stderr
        sides.append(str(d))
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "analysis", "compare", sides[0], "--", sides[1],
                        "-o", str(out)], cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stderr
    with open(out / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        if row["outcome"] in ("cost_per_job_year", "output_per_pound", "displacement"):
            continue   # undefined (empty) when the policy changes nothing
        for col in ("baseline", "policy", "difference"):
            assert row[col] != "" and math.isfinite(float(row[col])), row
        assert row["n_seeds"] == "2"
    pngs = list(out.glob("*.png"))
    assert any(p.name == "map_employment.png" for p in pngs) and len(pngs) >= 6
    assert all(p.stat().st_size > 1000 for p in pngs)
