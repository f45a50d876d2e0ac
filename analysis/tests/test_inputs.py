"""Input checks of the command line, in this process (no traceback may escape main): sides that
mix scenarios or scales, step mismatches naming sides and paths, unusable output paths and
directories given as run files. Each must end in `analysis: error: ...` and exit status 2."""
import os

from analysis import runs
from analysis.tests import fakerun


def _err(r, text):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.startswith("analysis: error: ") and text in r.stderr, r.stderr


def test_step_mismatch_names_sides_and_paths(tmp_path, run_main):
    b = tmp_path / "b" / "seed1.h5"
    p = tmp_path / "p" / "seed1.h5"
    os.makedirs(b.parent)
    os.makedirs(p.parent)
    fakerun.make_run(str(b), seed=1, steps=12)
    fakerun.make_run(str(p), seed=1, steps=8, scenario="tech_city")
    r = run_main("compare", b, "--", p)
    # both files are called seed1.h5: the message names the side and the path of each
    _err(r, f"different numbers of steps: baseline 12 ({b}); policy 8 ({p})")


def _with_scale(path, scale, **kw):
    fakerun.make_run(str(path), **kw)
    import h5py
    with h5py.File(path, "a") as f:
        f.attrs["scale"] = scale
    return path


def test_compare_refuses_different_scales(tmp_path, run_main):
    b = _with_scale(tmp_path / "b1.h5", 0.002, seed=1)
    p = _with_scale(tmp_path / "p1.h5", 0.01, seed=1, scenario="tech_city",
                    policies=[fakerun.LONDON_SUBSIDY])
    _err(run_main("compare", b, "--", p),
         f"runs have different scales: baseline 0.002 ({b}); policy 0.01 ({p})")
    # the config's scale when the root attribute is missing (fakerun's config says 0.002)
    b2 = fakerun.make_run(str(tmp_path / "b2.h5"), seed=1)
    _err(run_main("compare", b2, "--", p), "different scales: baseline 0.002")
    same = _with_scale(tmp_path / "p2.h5", 0.002, seed=1, scenario="tech_city",
                       policies=[fakerun.LONDON_SUBSIDY])
    assert len(runs.pair(runs.load_side([str(b2)], "baseline"),
                         runs.load_side([str(same)], "policy"))) == 1


def test_compare_refuses_a_side_that_mixes_scenarios(tmp_path, run_main):
    b, p = fakerun.make_pair(str(tmp_path), seeds=(1, 2, 3))
    mixed = [os.path.join(b, "baseline-seed1.h5"), os.path.join(p, "policy-seed2.h5"),
             os.path.join(b, "baseline-seed3.h5")]
    r = run_main("compare", *mixed, "--", p)
    _err(r, "baseline: the runs are of 2 scenarios")
    assert "policy-seed2.h5" in r.stderr and "--where scenario=NAME" in r.stderr
    # one scenario name, but a different policy rate on one seed: a different config
    odd = tmp_path / "odd"
    os.makedirs(odd)
    for s in (1, 2):
        fakerun.make_run(str(odd / f"s{s}.h5"), seed=s, scenario="tech_city",
                         policies=[dict(fakerun.LONDON_SUBSIDY, per_worker=500.0 * s)])
    r = run_main("compare", b, "--", odd)
    _err(r, "policy: the runs' configs differ in more than the seed: policies.[0].per_worker is "
            "500.0 in")
    assert str(odd / "s2.h5") in r.stderr
    # runs of one scenario at several seeds are fine (the configs differ only in seed)
    assert len(runs.pair(runs.load_side([b], "baseline"), runs.load_side([p], "policy"))) == 3


def test_output_paths_are_checked_first(tmp_path, run_main):
    b, p = fakerun.make_pair(str(tmp_path), seeds=(1, 2))
    run = os.path.join(b, "baseline-seed1.h5")
    afile = tmp_path / "afile"
    afile.write_text("x")
    # compare: an existing file as -o is an error before any run is loaded (the missing run
    # below would otherwise be reported first)
    _err(run_main("compare", b, "--", p, "-o", afile), "exists and is not a directory")
    _err(run_main("compare", tmp_path / "missing.h5", "--", p, "-o", afile),
         "exists and is not a directory")
    _err(run_main("show", run, "-o", afile), "exists and is not a directory")
    _err(run_main("export", run, "-o", afile / "sub"), "is not a directory")
    _err(run_main("sweep", tmp_path, "-o", afile), "exists and is not a directory")
    _err(run_main("animate", run, "-o", tmp_path / "nonexist" / "a.gif"), "no such directory")
    _err(run_main("animate", run, "-o", tmp_path), "is a directory")
    _err(run_main("animate", run, "-o", str(tmp_path / "newdir") + "/"), "is a directory")
    _err(run_main("animate", run, "-o", tmp_path / "film"), "wants a .gif file name")
    _err(run_main("show", run, "-o", str(afile) + "/"), "exists and is not a directory")
    for r in (run_main("show", b), run_main("export", b, "-o", tmp_path / "csv"),
              run_main("animate", b, "-o", tmp_path / "a.gif")):
        _err(r, f"{b}: is a directory (want a run file)")
        assert "Errno" not in r.stderr and "Traceback" not in r.stderr
    assert afile.read_text() == "x" and not (tmp_path / "csv").exists()


def test_compare_refuses_a_run_on_both_sides(tmp_path, run_main):
    """A run compared with itself shows nothing by construction: refused, naming the file,
    whether given as the same folder on both sides or the same file by another path."""
    b, p = fakerun.make_pair(str(tmp_path), seeds=(1, 2))
    _err(run_main("compare", b, "--", b), "the same run file is on both sides: "
         + os.path.realpath(os.path.join(b, "baseline-seed1.h5")))
    other = os.path.join(b, "..", os.path.basename(b), "baseline-seed2.h5")
    _err(run_main("compare", os.path.join(b, "baseline-seed2.h5"), "--", other),
         "the same run file is on both sides")


def _set_config(path, old, new):
    import h5py
    with h5py.File(path, "a") as f:
        text = f.attrs["config"]
        text = text.decode() if isinstance(text, bytes) else text
        assert old in text
        f.attrs["config"] = text.replace(old, new)


def test_compare_warns_when_model_settings_differ(tmp_path, run_main):
    """A baseline rerun with a changed parameter (not a policy) is compared, but the warning and
    summary.md's notes name each differing setting: the differences are not the policy's
    alone. Copies of one scenario on both sides are said to be a scenario against itself."""
    b, p = fakerun.make_pair(str(tmp_path), seeds=(1, 2))
    for s in (1, 2):
        _set_config(os.path.join(b, f"baseline-seed{s}.h5"), "land = { rk = 2; };",
                    "land = { rk = 3; };")
    out = tmp_path / "out"
    r = run_main("compare", b, "--", p, "-o", out)
    assert r.returncode == 0, r.stderr
    words = ("the two sides differ in model settings besides their policies: land.rk (3 in the "
             "baseline, 2 in the policy runs); the differences below are the effect of these "
             "settings and the policies together, not of the policies alone")
    assert "analysis: warning: " + words in r.stderr
    assert words in (out / "summary.md").read_text()
    # same settings, same scenario, different files: compared, and said to be one scenario
    import shutil
    c = tmp_path / "copy"
    shutil.copytree(p, c)
    r = run_main("compare", p, "--", c, "-o", tmp_path / "out2")
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "out2" / "summary.md").read_text()
    assert "this compares a scenario with itself" in md and "differ in model settings" not in md
    # a policy against its own baseline: neither note
    b2, p2 = fakerun.make_pair(str(tmp_path / "clean"), seeds=(1, 2))
    r = run_main("compare", b2, "--", p2, "-o", tmp_path / "out3")
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    md3 = (tmp_path / "out3" / "summary.md").read_text()
    assert "with itself" not in md3 and "differ in model settings" not in md3
