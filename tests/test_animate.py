"""`python3 -m analysis animate` on real runs: a GIF with one frame per snapshot (the steps both
runs have, side by side), and clear usage errors."""
import os
import subprocess

import pytest
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))


def run(out, scenario, steps, every):
    subprocess.run([BIN, "run", os.path.join(ROOT, "scenarios", scenario + ".cfg"), "--quiet",
                    "--set", "scale=0.0005", "--steps", str(steps), "--set",
                    f"output.snapshot_every={every}", "-o", str(out)], check=True, timeout=120)


def animate(*args):
    return subprocess.run(["/usr/bin/python3", "-m", "analysis", "animate", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("anim")
    run(d / "a.h5", "baseline", 8, 2)   # snapshots at 0, 2, 4, 6, 8
    run(d / "b.h5", "tech_city", 6, 3)  # snapshots at 0, 3, 6
    return d


def test_one_run(runs):
    out = runs / "a.gif"
    r = animate(runs / "a.h5", "-o", out)
    assert r.returncode == 0, r.stderr
    assert "(5 frames)" in r.stderr
    with Image.open(out) as im:
        assert im.format == "GIF" and im.n_frames == 5


def test_side_by_side_sector(runs):
    out = runs / "ab.gif"
    r = animate(runs / "a.h5", runs / "b.h5", "--field", "sector", "--sector", "digital",
                "-o", out)
    assert r.returncode == 0, r.stderr
    with Image.open(out) as im:
        assert im.n_frames == 2  # steps 0 and 6, the ones both runs have
    with Image.open(out) as im:
        assert im.size[0] > im.size[1]  # two maps side by side


@pytest.mark.parametrize("args, words", [
    (["{a}"], "needs -o"),
    (["{a}", "--field", "sector", "--sector", "mining", "-o", "{o}"], "no sector 'mining'"),
])
def test_usage_errors(runs, args, words):
    r = animate(*[a.format(a=runs / "a.h5", o=runs / "x.gif") for a in args])
    assert r.returncode == 2 and words in r.stderr
    assert not (runs / "x.gif").exists()
