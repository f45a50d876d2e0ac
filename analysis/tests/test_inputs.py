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
