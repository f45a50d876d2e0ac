"""`make demo`'s driver (analysis/demo.py) end to end, kept small: 2 seeds, 12 steps."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "clustersim")


@pytest.mark.skipif(not os.access(BIN, os.X_OK), reason="needs ./clustersim")
def test_demo_small(tmp_path):
    out = tmp_path / "demo"
    r = subprocess.run([sys.executable, "-m", "analysis.demo", "--out", str(out), "--seeds", "2",
                        "--steps", "12"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stdout + r.stderr
    text = r.stdout
    for sc in ("baseline", "tech_city"):
        for s in (1, 2):
            assert (out / "runs" / sc / f"seed{s}.h5").is_file()
    assert "## National" in text and "## Target area" in text and "## Regions" not in text
    # the reading is built from the numbers: target-area jobs with its CI, national jobs
    assert re.search(r"After 3 years, employment in the target area \(circle \([^)]*\) r [\d.]+\) "
                     r"changed by [+-]?[\d,.]+ jobs \(95% CI [+-]?[\d,.]+ to [+-]?[\d,.]+", text), text
    assert re.search(r"National employment changed by [+-]?[\d,.]+ jobs \(95% CI", text), text
    assert "with 2 seeds" in text
    # the money net of the profit tax the payments bring back, beside the gross figure, and the
    # caveat that only that first round of the profit tax is netted
    spent = text[text.index("The policy spent £"):text.index("Caveats: ")]
    money = r"-?£[\d,.]+(?: million| billion)?"
    assert re.search(rf"; net of the profit tax the payments themselves bring back \({money}, 95% "
                     rf"CI {money} to {money}\), {money} \(95% CI ", spent), spent
    assert "not told from zero: the tax moves" not in spent
    assert "the cost net of tax counts only the model's profit tax, and only its first " \
        "round" in text
    pngs = sorted(p.name for p in (out / "compare").glob("*.png"))
    assert "map_employment.png" in pngs and len(pngs) >= 9
    for p in pngs:
        assert os.path.join(str(out / "compare"), p) in text
    assert f"xdg-open {out / 'compare' / 'map_employment.png'}" in text


def test_reading_signs_money_before_the_pound():
    """A negative amount reads "-£0.175", never "£-0.175" (the demo printed the latter)."""
    sys.path.insert(0, ROOT)
    from analysis import demo
    row = {"difference": -0.1753, "ci_low": -0.4, "ci_high": 0.05, "n_seeds": 2, "note": ""}
    line = demo.output_text(row)
    assert "by -£0.175 over the run" in line and "£-" not in line, line
