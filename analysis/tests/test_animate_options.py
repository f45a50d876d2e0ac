"""`analysis animate` on fake run files (fast; tests/test_animate.py runs the engine): the GIF's
size (--dpi), the city names on the maps, and runs at different scales side by side."""
import h5py
import numpy as np
from PIL import Image

from analysis import animate
from analysis.tests import fakerun

# the largest cities of the real landscape, as close as they are on its grid (cells): Liverpool
# 7 cells west of Manchester, Bradford 3 west of Leeds
CITIES = [("London", 12.0, 21.0, 9.8), ("Manchester", 8.0, 11.0, 2.55),
          ("Birmingham", 9.0, 15.0, 2.44), ("Liverpool", 6.0, 11.0, 0.86),
          ("Leeds", 10.0, 10.0, 0.79), ("Bradford", 9.0, 10.0, 0.55)]


def _film_run(path, seed=1, scale=None, scenario="baseline"):
    """A fake run file with what animate reads beyond fakerun's: /landscape/land and the cities'
    populations (and a root attribute scale when given)."""
    fakerun.make_run(str(path), seed=seed, scenario=scenario)
    with h5py.File(path, "r+") as f:
        land = f["landscape"]
        land.create_dataset("land", data=(land["region"][()] >= 0).astype(np.uint8))
        del land["cities"]
        c = land.create_group("cities")
        c.create_dataset("name", data=[n for n, *_ in CITIES])
        c.create_dataset("x", data=[x for _, x, _, _ in CITIES])
        c.create_dataset("y", data=[y for _, _, y, _ in CITIES])
        c.create_dataset("population", data=[p for *_, p in CITIES])
        if scale is not None:
            f.attrs["scale"] = scale
    return path


def test_dpi_sets_the_size_and_the_default_suits_slides(tmp_path, run_main):
    """The GIFs were 656 x 432 pixels (dpi 80, fixed) for two maps: too small for a slide."""
    a, b = _film_run(tmp_path / "a.h5"), _film_run(tmp_path / "b.h5", scenario="tech_city")
    r = run_main("animate", a, b, "-o", tmp_path / "big.gif")
    assert r.returncode == 0, r.stderr
    with Image.open(tmp_path / "big.gif") as im:
        big = im.size
    assert big[0] >= 1100 and big[1] >= 700, big
    r = run_main("animate", a, b, "--dpi", "60", "-o", tmp_path / "small.gif")
    assert r.returncode == 0, r.stderr
    with Image.open(tmp_path / "small.gif") as im:
        small = im.size
    assert abs(big[0] / small[0] - 2.0) < 0.02 and abs(big[1] / small[1] - 2.0) < 0.02
    for bad in ("0", "x", "1000"):
        r = run_main("animate", a, "--dpi", bad, "-o", tmp_path / "x.gif")
        assert r.returncode == 2 and "--dpi needs an integer from 40 to 300" in r.stderr
    assert not (tmp_path / "x.gif").exists()


def test_city_names_stay_apart_inside_the_map(tmp_path, monkeypatch):
    """City names were 6 pixels high and ran over each other (Liverpool over Manchester, Leeds
    over Bradford). Each name placed lies inside its map, clear of the others and nearer its
    own dot than any other; the largest cities are named first."""
    figs, close = [], animate.plt.close
    monkeypatch.setattr(animate.plt, "close", figs.append)   # kept open to be read
    a = _film_run(tmp_path / "a.h5")
    animate.animate([str(a)], str(tmp_path / "a.gif"))
    fig = figs[0]
    ax = fig.axes[0]
    r = fig.canvas.get_renderer()
    names = {t.get_text(): t for t in ax.texts}
    assert {"London", "Manchester", "Birmingham"} <= set(names), list(names)
    assert min(t.get_fontsize() for t in names.values()) * fig.dpi / 72 >= 12  # pixels
    box = ax.get_window_extent(r)
    bbs = {n: t.get_window_extent(r) for n, t in names.items()}
    dots = {n: ax.transData.transform((x, y)) for n, x, y, _ in CITIES}
    for n, bb in bbs.items():
        assert box.x0 <= bb.x0 and bb.x1 <= box.x1 and box.y0 <= bb.y0 and bb.y1 <= box.y1, n
        for m, other in bbs.items():
            assert m == n or not bb.overlaps(other), (n, m)
        near = {m: np.hypot(max(bb.x0 - p[0], 0, p[0] - bb.x1), max(bb.y0 - p[1], 0, p[1] - bb.y1))
                for m, p in dots.items()}
        assert min(near, key=near.get) == n, (n, near)
    close(fig)


def test_runs_at_different_scales_are_warned_of(tmp_path, run_main, monkeypatch):
    """Side by side, a run at scale 0.001 has more empty (grey) land than one at 0.002, which
    looked like a policy's effect, without a word. compare refuses such runs; animate draws
    them (a film may be about the scale) but warns and names each map's scale."""
    a = _film_run(tmp_path / "a.h5", scale=0.002)
    b = _film_run(tmp_path / "b.h5", scale=0.001, scenario="tech_city")
    r = run_main("animate", a, b, "-o", tmp_path / "ab.gif")
    assert r.returncode == 0, r.stderr
    assert "analysis: warning: the runs are at different scales" in r.stderr, r.stderr
    assert f"{a} at scale 0.002" in r.stderr and f"{b} at scale 0.001" in r.stderr
    figs, close = [], animate.plt.close
    monkeypatch.setattr(animate.plt, "close", figs.append)   # kept open to be read
    animate.animate([str(a), str(b)], str(tmp_path / "ab2.gif"))
    titles = [ax.get_title() for ax in figs[0].axes[:2]]
    assert titles == ["baseline, seed 1, scale 0.002", "tech_city, seed 1, scale 0.001"]
    close(figs[0])
    monkeypatch.undo()
    # one scale (here the config's, 0.002, for both): no warning, no scale in the titles
    c = _film_run(tmp_path / "c.h5", scenario="tech_city")
    r = run_main("animate", _film_run(tmp_path / "d.h5"), c, "-o", tmp_path / "cd.gif")
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
