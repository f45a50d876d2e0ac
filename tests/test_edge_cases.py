"""Degenerate and hostile inputs (docs/reliability.md): each either runs to a complete run file
(exit 0) or is refused with exit 2 and a message naming FILE:LINE: KEY (or the --set argument);
never a crash, a hang or a half-written file. Includes NaN, infinity and overflowing numbers in
every float key, a 1x1 grid, no firms, no workers, zero steps, no universities, a policy area
entirely at sea, a budget of 1e300 and 10^6 policies.
Run from the repository root: /usr/bin/python3 -m pytest tests/test_edge_cases.py."""
import os
import re
import subprocess

import h5py
import numpy as np
import pytest

from test_restart import BIN, ROOT

BASELINE = os.path.join(ROOT, "scenarios", "baseline.cfg")
TINY = ["--steps", "3", "--quiet"]


def run(args, timeout=300):
    return subprocess.run([BIN, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def scenario(tmp_path, body, name="edge.cfg"):
    path = tmp_path / name
    scale = "" if "scale" in body else "scale = 0.0002;\n"
    path.write_text(f'base = "{BASELINE}";\n{scale}{body}\n')
    return str(path)


def finite_series(f):
    """The national series of run file f that are not numbers where they must be: infinite
    anywhere, or NaN outside the ratios that are NaN when no one works."""
    t = f["timeseries"]
    nobody = ~(t["employment"][:] > 0)
    bad = []
    for name in t:
        v = t[name][:]
        may_nan = (np.ones_like(v, bool) if name in ("unemployment_rate", "rent_index") else
                   nobody if name in ("mean_wage", "mean_productivity") else
                   np.zeros_like(v, bool))
        if np.isinf(v).any() or (np.isnan(v) & ~may_nan).any():
            bad.append(name)
    return bad


def sane(p, out, file_key=None):
    """Exit 0 with a complete file, or exit 2 with one clear line (FILE:LINE: KEY when a file
    and key are given) and no file."""
    assert p.returncode in (0, 2), f"exit {p.returncode}\n{p.stderr[-3000:]}"
    if p.returncode == 0:
        with h5py.File(out, "r") as f:
            assert int(f.attrs["complete"]) == 1
            assert finite_series(f) == [], finite_series(f)
    else:
        assert p.stderr.startswith("clustersim: error: ") and len(p.stderr.splitlines()) == 1
        if file_key:
            path, key = file_key
            assert re.search(re.escape(path) + r":\d+: " + re.escape(key), p.stderr), p.stderr
        assert not os.path.exists(out)
    return p.returncode


CASES = [
    # (id, scenario body, expected exit or None for either, key named when refused)
    ("grid_1x1", "grid = { width = 1; height = 1; };", 2, "grid.width"),
    ("no_workers", "workers = { unemployed0 = 1.0; };", 2, "workers.unemployed0"),
    ("all_unemployed_no_firms", "workers = { unemployed0 = 0.9999; };", 0, None),
    ("tiny_scale", "scale = 1e-12;", 2, "scale"),
    ("below_the_smallest_scale", "scale = 9e-5;", 2, "scale"),
    ("smallest_scale", "scale = 1e-4;", 0, None),
    ("zero_steps", "steps = 0;", 0, None),
    ("no_universities", 'landscape = { kind = "uniform"; initial_sectors = "emergent"; };', 0,
     None),
    ("empty_landscape", 'landscape = { kind = "empty"; initial_sectors = "emergent"; };', None,
     None),
    ("real_start_off_the_map", 'landscape = { kind = "empty"; };', 2,
     "landscape.initial_sectors"),
    # an area with no land cell is a mistake (a policy acting nowhere): refused with its line
    # by the config check (run, check), as the landscape's own land mask says
    ("policy_at_sea", 'policies = ( { type = "location_subsidy"; per_worker = 1.0; '
     'area = { circle = [1.0, 1.0, 1.5]; }; } );', 2, "policies.[0].area"),
    ("policy_between_cell_centres", 'policies = ( { type = "location_subsidy"; '
     'per_worker = 1.0; area = { circle = [50.2, 80.2, 0.1]; }; } );', 2, "policies.[0].area"),
    # a city whose centre the outline puts at sea has a land cell all the same (the build makes
    # it land): an area of that one cell acts there, and was refused as "all at sea"
    ("policy_on_a_coastal_city", 'policies = ( { type = "tax_zone"; profit_tax_cut = 0.5; '
     'area = { rect = [52.0, 51.0, 52.0, 51.0]; }; } );', 0, None),
    ("policy_rect_at_sea", 'policies = ( { type = "tax_zone"; '
     'area = { rect = [0.0, 0.0, 3.0, 3.0]; }; } );', 2, "policies.[0].area"),
    ("policy_off_the_map", 'policies = ( { type = "rd_credit"; rate = 0.1; '
     'area = { rect = [500, 500, 600, 600]; }; } );', 2, "policies.[0].area"),
    # a budget is a cap: any size is harmless (the spending is the claims below it)
    ("budget_1e300", 'policies = ( { type = "rd_credit"; rate = 0.1; budget = 1e300; } );', 0,
     None),
    ("spend_1e300", 'policies = ( { type = "density_fund"; area = "city_centres"; '
     'spend = 1e300; capacity_per_pound = 1.0; lag = 0; } );', 2, "policies.[0].spend"),
    ("float_overflow", "firms = { alpha = 1e999; };", 2, None),
    # support or a boost of startups set absurdly high asked for more new firms than an int32
    # counts: a segfault at 1e12 (founders are residents now, at most one startup each a step)
    ("per_worker_1e12", 'policies = ( { type = "location_subsidy"; per_worker = 1e12; } );', 0,
     None),
    # money beyond a trillion pounds a quarter is refused: 1e308 ran to inf spending and NaN
    # output in a file marked complete
    ("per_worker_1e308", 'policies = ( { type = "location_subsidy"; per_worker = 1e308; } );',
     2, "policies.[0].per_worker"),
    ("wage_floor_1e308", "labour = { w_min = 1e308; };", 2, "labour.w_min"),
    ("skills_cost_1e308", 'policies = ( { type = "skills_programme"; cost = 1e308; } );', 2,
     "policies.[0].cost"),
    ("startup_boost_1e300", "firms = { b_k = 1e300; };", 0, None),
    # a job that costs nothing (no wage floor, no rent) made target sizes infinite and the
    # output NaN, with exit 0; a denormal scale made full-scale counts infinite
    ("no_job_cost", "labour = { w_min = 0.0; };\nland = { r0 = 0.0; };", 2, "labour.w_min"),
    ("no_space_cost", "labour = { w_min = 0.0; };\nfirms = { phi_space = 0.0; };", 2,
     "labour.w_min"),
    ("denormal_scale", "scale = 4.9e-324;", 2, "scale"),
    # policies that would act nowhere (session 39's audit): refused with file, line and key
    ("link_to_itself", 'policies = ( { type = "transport_link"; from = [50.0, 120.0]; '
     'to = [50.5, 120.9]; } );', 2, "policies.[0].to"),
    ("link_end_at_sea", 'policies = ( { type = "transport_link"; from = [1.0, 1.0]; '
     'to = [50.0, 120.0]; radius = 2.0; } );', 2, "policies.[0].from"),
    # (35, 100) is sea with land 2 cells away: its catchment reaches people, as radius 1 not
    ("link_end_at_sea_reaching_land", 'policies = ( { type = "transport_link"; '
     'from = [35.0, 100.0]; to = [50.0, 120.0]; radius = 2.0; } );', 0, None),
    ("link_end_at_sea_reaching_no_land", 'policies = ( { type = "transport_link"; '
     'from = [35.0, 100.0]; to = [50.0, 120.0]; radius = 1.0; } );', 2, "policies.[0].from"),
    ("city_centres_on_the_uniform_landscape", 'landscape = { kind = "uniform"; '
     'initial_sectors = "emergent"; };\npolicies = ( { type = "location_subsidy"; '
     'area = "city_centres"; } );', 2, "policies.[0].area"),
    ("university_funding_on_the_empty_landscape", 'landscape = { kind = "empty"; '
     'initial_sectors = "emergent"; };\npolicies = ( { type = "university_funding"; '
     'universities = ["Oxford"]; amount = 1000.0; } );', 2, "policies.[0].universities"),
    # an escape makes any byte: a name that was not UTF-8 went into the file name and the run
    # file's UTF-8 attributes; a new line into the file name
    # a list naming an item twice: universities and sectors.names refused it, a policy's
    # sectors were de-duplicated and its regions kept twice, silently
    ("policy_sector_twice", 'policies = ( { type = "rd_credit"; rate = 0.1; '
     'sectors = ["digital", "digital"]; } );', 2, "policies.[0].sectors"),
    ("area_region_twice", 'policies = ( { type = "rd_credit"; rate = 0.1; '
     'area = { regions = ["London", "London"]; }; } );', 2, "policies.[0].area.regions"),
    ("name_not_utf8", 'name = "caf\\xe9";', 2, "name"),
    ("name_with_a_new_line", 'name = "a\\nb";', 2, "name"),
]


@pytest.mark.parametrize("name,body,expect,key", CASES, ids=[c[0] for c in CASES])
def test_edge_scenario(tmp_path, name, body, expect, key):
    path = scenario(tmp_path, body)
    out = str(tmp_path / "out.h5")
    p = run(["run", path, "-o", out, *TINY])
    rc = sane(p, out, (path, key) if key else None)
    if expect is not None:
        assert rc == expect, p.stderr


def test_an_area_without_land_says_why(tmp_path):
    """At sea, or so small it holds no cell's centre: two mistakes with two remedies."""
    for area, why in (("circle = [1.0, 1.0, 1.5]", "it is all at sea"),
                      ("circle = [50.2, 80.2, 0.1]", "it contains no cell's centre")):
        path = scenario(tmp_path, 'policies = ( { type = "tax_zone"; profit_tax_cut = 0.5; '
                        f'area = {{ {area}; }}; }} );')
        p = run(["check", path])
        assert p.returncode == 2 and why in p.stderr, p.stderr
        other = "it contains no cell's centre" if why == "it is all at sea" else "at sea"
        assert other not in p.stderr


def numeric_keys():
    """(key, literal, the comment line above it) of every number in the resolved default config
    as `check` prints it (the comment gives unit, range and default)."""
    p = run(["check", BASELINE])
    out, group, comment = [], None, ""
    for raw in p.stdout.splitlines():
        s = raw.strip()
        if s.startswith("#"):
            comment = s
            continue
        m = re.match(r"(\w+) = \{$", s)
        if m:
            group = m.group(1)
            continue
        if s.startswith("}"):
            group = None
            continue
        m = re.match(r"(\w+) = (-?[0-9.eL+-]+);$", s)
        if m:
            out.append((f"{group}.{m.group(1)}" if group else m.group(1), m.group(2), comment))
    return out


def float_keys():
    """Every float key of the resolved default config (a number written with a '.' or 'e')."""
    keys = [k for k, lit, _ in numeric_keys() if re.search(r"[.e]", lit)]
    assert len(keys) > 40
    return keys


def test_every_float_key_rejects_non_finite():
    """NaN in every float key, and infinity or an overflowing literal (+-inf, +-1e999 in turn)."""
    others = ["inf", "-inf", "1e999", "-1e999"]
    for k, key in enumerate(float_keys()):
        for value in ("nan", others[k % len(others)]):
            p = run(["check", BASELINE, "--set", f"{key}={value}"], timeout=60)
            assert p.returncode == 2, f"{key}={value}: exit {p.returncode}\n{p.stdout[-500:]}"
            assert p.stderr.startswith(f"clustersim: error: --set {key}={value}: {key}"), p.stderr


def test_non_finite_in_file(tmp_path):
    for k, value in enumerate(["nan", "inf", "1e999", "-1e999"]):
        path = scenario(tmp_path, f"firms = {{ tax = {value}; }};", f"nf{k}.cfg")
        p = run(["check", path])
        assert p.returncode == 2 and p.stderr.startswith(f"clustersim: error: {path}:"), p.stderr


def test_a_million_policies(tmp_path):
    path = tmp_path / "many.cfg"
    item = '{ type = "rd_credit"; rate = 0.01; },\n'
    path.write_text(f'base = "{BASELINE}";\npolicies = (\n' + item * 999_999 +
                    item.rstrip(",\n") + "\n);\n")
    out = str(tmp_path / "many.h5")
    p = run(["run", str(path), "-o", out, *TINY], timeout=600)
    assert sane(p, out, (str(path), "policies")) == 2


def test_startups_are_bounded_by_residents(tmp_path):
    """However high the boost of startups, each step's births are at most the residents (full
    scale: the labour force), and the run ends with a complete file."""
    path = scenario(tmp_path, "firms = { b_k = 1e12; };\nscale = 0.001;")
    out = str(tmp_path / "out.h5")
    p = run(["run", path, "-o", out, "--steps", "4", "--quiet"])
    assert p.returncode == 0, p.stderr
    with h5py.File(out, "r") as f:
        births = f["timeseries/births"][1:]
        labour = f["timeseries/employment"][0] / (1.0 - f["timeseries/unemployment_rate"][0])
        assert births.max() > 0.5 * labour     # the boost binds: nearly every resident founds
        assert births.max() <= labour * 1.001  # and no more than every resident


def range_ends():
    """(key, value) for every numeric key of the resolved default config at each end of the
    range `check` documents for it ("range [a, b]", "(a, b)", "[a, inf)"): an open end is
    nudged inside, an infinite one is 1e300 for a float key (and left out for an int key)."""
    out = []
    for key, lit, comment in numeric_keys():
        r = re.search(r"range ([\[(])([^,]+), ([^\])]+)([\])])", comment)
        if not r or key in ("steps", "scale", "seed"):   # the test's own
            continue
        is_float = bool(re.search(r"[.e]", lit))
        open_lo, lo, hi, open_hi = r.groups()
        for v, openb, side in ((lo.strip(), open_lo == "(", -1), (hi.strip(), open_hi == ")", 1)):
            if v in ("inf", "-inf"):
                if not is_float:
                    continue
                v = "1e300" if v == "inf" else "-1e300"
            elif openb:
                x = float(v)
                v = str(int(x) - side) if not is_float else repr(x - side * 1e-9 * max(1, abs(x)))
            out.append((key, v))
    assert len(out) > 150
    return out


def test_every_numeric_key_at_the_ends_of_its_range(tmp_path):
    """A value the config accepts runs: every numeric key at each end of its range gives a
    complete file in a short run, or a refusal with exit 2; never a crash, a hang or running
    out of memory. Found: universities.lambda_u = 1e300 asked for billions of spinouts (a hang)
    and firms.b_k = 1e300 for more startups than an int32 counts (out of memory)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(kv):
        key, v = kv
        out = str(tmp_path / f"{key}={v}.h5")
        try:
            p = run(["run", BASELINE, "--set", f"{key}={v}", "--set", "scale=0.0002", "--steps",
                     "3", "--quiet", "--threads", "1", "-o", out], timeout=60)
        except subprocess.TimeoutExpired:
            return f"{key}={v}: no end in 60 s"
        if p.returncode not in (0, 2):
            return f"{key}={v}: exit {p.returncode}: {p.stderr[-300:]}"
        if p.returncode == 0:
            with h5py.File(out, "r") as f:
                if int(f.attrs["complete"]) != 1:
                    return f"{key}={v}: incomplete file"
                if finite_series(f):
                    return f"{key}={v}: complete with {finite_series(f)} not finite"
            os.remove(out)
        return None
    with ThreadPoolExecutor(2) as ex:
        bad = [b for b in ex.map(one, range_ends()) if b]
    assert not bad, "\n".join(bad)
