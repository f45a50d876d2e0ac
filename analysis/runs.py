"""Loading, validating and pairing clustersim run files (docs/analysis.md, INTERFACES.md)."""
import contextlib
import glob
import os
import re
import sys

import h5py
import numpy as np

from . import libcfg

UK_REGIONS = ["London", "South East", "East of England", "South West", "West Midlands",
              "East Midlands", "Yorkshire and the Humber", "North West", "North East", "Wales",
              "Scotland", "Northern Ireland"]
CAPITAL = "London"
CHECKPOINT = "clustersim-checkpoint"   # the root attribute format of OUT.ckpt.h5


class AnalysisError(Exception):
    """A problem with the user's input; the command prints `analysis: error: ...` and exits 2."""


def _s(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.ndarray) and v.shape == ():
        return _s(v[()])
    return v if isinstance(v, str) else str(v)


def _names(obj):
    v = obj.attrs.get("names")
    if v is None:
        return []
    if isinstance(v, (str, bytes)):
        v = [v]
    return [_s(x) for x in np.atleast_1d(v)]


def open_h5(path, what="an HDF5 file"):
    """Opens an HDF5 file for reading, or raises AnalysisError with a plain message for a
    missing path, a directory, an unreadable file or one that is not HDF5; a file with HDF5's
    signature that h5py cannot open (cut short by a copy, damaged) is said to be so, with
    h5py's reason."""
    if not os.path.exists(path):
        raise AnalysisError(f"{path}: no such file")
    if os.path.isdir(path):
        raise AnalysisError(f"{path}: is a directory (want {what})")
    if not os.access(path, os.R_OK):
        raise AnalysisError(f"{path}: cannot read it (permission denied)")
    try:
        return h5py.File(path, "r")
    except OSError as e:
        if _TMP_NAME.search(path):  # a killed run's temporary file: not a run to repair
            raise AnalysisError(f"{path}: {_unfinished(path)}") from None
        if has_hdf5_signature(path):  # an HDF5 file cut short (a copy that stopped) or damaged
            raise AnalysisError(f"{path}: cannot read it ({e}): the file is damaged or "
                                "truncated") from None
        raise AnalysisError(f"{path}: not an HDF5 file") from None


HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def has_hdf5_signature(path):
    """Whether the file holds HDF5's signature where the format puts it: at byte 0, or after a
    user block at 512, 1024, 2048, ... bytes."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            at = 0
            while at + 8 <= size:
                f.seek(at)
                if f.read(8) == HDF5_SIGNATURE:
                    return True
                at = 512 if at == 0 else 2 * at
    except OSError:
        return False
    return False


def label_with_units(label, units):
    """An axis or colour-bar label with its units in one pair of brackets: ("employment",
    "workers (full scale)") -> "employment (workers, full scale)", where putting the units
    attribute in brackets as it stands doubled them; the label alone without units. "per step"
    reads "per quarter" (a step is a quarter): the engine's units say step, compare's tables
    and the figures' other labels quarter."""
    import re
    u = re.sub(r"\s*\(([^()]*)\)", r", \1", (units or "").strip()).strip(", ")
    u = re.sub(r"\bper step\b", "per quarter", u)
    return f"{label} ({u})" if u else label


def _scale(attrs, config):
    """The run's scale: the root attribute `scale`, else the config's top-level `scale`; None
    when neither holds a number."""
    for v in (attrs.get("scale"), config.get("scale") if isinstance(config, dict) else None):
        try:
            x = float(v[()] if isinstance(v, np.ndarray) else v)
        except (TypeError, ValueError):
            continue
        if np.isfinite(x):
            return x
    return None


@contextlib.contextmanager
def damaged_as_error(path):
    """h5py's errors for a damaged file (a chunk that fails its checksum or does not inflate:
    OSError; a header that does not parse: RuntimeError, or KeyError "Unable to open object")
    as an AnalysisError naming the file, rather than a traceback. Wherever a run file is read,
    at load and on demand (the per-step maps)."""
    try:
        yield
    except (OSError, RuntimeError, KeyError) as e:
        if isinstance(e, KeyError) and "nable to" not in str(e):
            raise  # a key this code looked for, not a damaged object
        raise AnalysisError(f"{path}: cannot read it ({e}): the file is damaged or "
                            "truncated") from None


class Run:
    """One run file, read into memory (only the last snapshot of each map). Root attributes:
    .scenario, .seed, .steps, .complete, .scale (the attribute `scale`, else the config's; None
    if neither), .config (parsed)."""

    def __init__(self, path):
        self.path = path
        f = open_h5(path, "a run file")
        with damaged_as_error(path):
            with f:
                fmt = _s(f.attrs.get("format", ""))
                if fmt == CHECKPOINT:
                    raise AnalysisError(f"{path}: a checkpoint of an unfinished run, not a run "
                                        f"file; finish the run with `clustersim resume {path}`")
                if fmt != "clustersim-run":
                    raise AnalysisError(f"{path}: not a clustersim run file "
                                        f"(format attribute is {fmt!r}, want 'clustersim-run')")
                a = f.attrs
                self.scenario = _s(a.get("scenario", "?"))
                self.seed = int(a["seed"]) if "seed" in a else None
                self.steps = int(a["steps"]) if "steps" in a else None
                self.complete = int(a.get("complete", 0))
                # the build that made the run ("" in files without the attributes)
                self.git_hash = _s(a.get("git_hash", ""))
                self.software_version = _s(a.get("software_version", ""))
                self.config_text = _s(a.get("config", ""))
                try:
                    self.config = libcfg.parse(self.config_text) if self.config_text else {}
                except libcfg.ConfigError as e:
                    raise AnalysisError(f"{path}: cannot parse the config attribute: {e}") from None
                self.scale = _scale(a, self.config)
                if "timeseries" not in f:
                    raise AnalysisError(f"{path}: no /timeseries group")
                self.ts = {k: np.asarray(v[()], float) for k, v in f["timeseries"].items()
                           if isinstance(v, h5py.Dataset)}
                self.ts_units = {k: _s(v.attrs.get("units", "")) for k, v in f["timeseries"].items()
                                 if isinstance(v, h5py.Dataset)}
                self.sectors, self.sector_names = self._table(f, "sectors")
                self.regions, self.region_names = self._table(f, "regions")
                self.policy_spending = np.zeros((len(self.ts.get("step", [])), 0))
                self.policy_names = []
                if "policies" in f and "spending" in f["policies"]:
                    d = f["policies/spending"]
                    self.policy_spending = np.asarray(d[()], float)
                    self.policy_names = _names(d)
                self.snap_steps = np.zeros(0, int)
                self.snap = {}
                self.snap_employment = None  # every employment snapshot [K][H][W]
                if "snapshots" in f:
                    g = f["snapshots"]
                    if "step" in g:
                        self.snap_steps = np.asarray(g["step"][()], int)
                    if "employment" in g:
                        self.snap_employment = np.asarray(g["employment"][()], float)
                    for k in ("employment", "firms", "sector_employment"):
                        if k in g and g[k].shape[0] > 0:
                            self.snap[k] = np.asarray(g[k][-1], float)
                # /maps/employment [T][H][W], every step: read on demand (employment_sums), since
                # a full-size run's maps are too large to hold for every run of a sweep
                self.has_employment_maps = "maps" in f and "employment" in f["maps"]
                if self.has_employment_maps:
                    shape = f["maps/employment"].shape
                    T = len(self.ts.get("step", next(iter(self.ts.values()), [])))
                    if len(shape) != 3 or shape[0] != T:
                        raise AnalysisError(f"{path}: /maps/employment has shape {shape}; want "
                                            f"[{T}][H][W], one map per step")
                self.region_map = None
                self.map_region_names = []
                self.city_centre = None
                self.universities = {}
                if "landscape" in f:
                    g = f["landscape"]
                    if "region" in g:
                        self.region_map = np.asarray(g["region"][()], np.int32)
                        self.map_region_names = _names(g["region"]) or UK_REGIONS
                    if "city_centre" in g:
                        self.city_centre = np.asarray(g["city_centre"][()]) != 0
                    # the cell of each university by name, for university_funding's target
                    u = g.get("universities")
                    if isinstance(u, h5py.Group) and all(k in u for k in ("name", "x", "y")):
                        self.universities = {
                            _s(n): (int(x), int(y)) for n, x, y in
                            zip(u["name"][()], u["x"][()], u["y"][()])}
        if self.seed is None or self.steps is None:
            raise AnalysisError(f"{path}: missing root attribute seed or steps")
        self.T = len(self.ts.get("step", next(iter(self.ts.values()), [])))

    @staticmethod
    def _table(f, group):
        out, names = {}, []
        if group in f:
            for k, v in f[group].items():
                if isinstance(v, h5py.Dataset):
                    out[k] = np.asarray(v[()], float)
                    names = names or _names(v)
        return out, names

    def series(self, name):
        if name not in self.ts:
            raise AnalysisError(f"{self.path}: no /timeseries/{name}")
        return self.ts[name]

    def frame(self, group="timeseries", name=None):
        """A table of the run as a pandas DataFrame indexed by step: group "timeseries" (one
        column per national series), or "sectors" / "regions" with name (e.g. "employment":
        one column per sector or region), or "policies" (spending, one column per policy)."""
        import pandas as pd
        step = pd.Index(np.asarray(self.ts.get("step", np.arange(self.T)), int), name="step")
        if group == "timeseries":
            first = [k for k in ("step", "year") if k in self.ts]
            cols = [k for k in first if k != "step"] + sorted(k for k in self.ts if k not in first)
            return pd.DataFrame({k: self.ts[k] for k in cols}, index=step)
        if group == "policies":
            return pd.DataFrame(self.policy_spending, index=step, columns=self.policy_names)
        table, names = {"sectors": (self.sectors, self.sector_names),
                        "regions": (self.regions, self.region_names)}.get(group, (None, None))
        if table is None or name not in table:
            raise AnalysisError(f"{self.path}: no /{group}/{name}")
        return pd.DataFrame(table[name], index=step, columns=names)

    def policies(self):
        p = self.config.get("policies", [])
        return p if isinstance(p, list) else []

    def tradable_sectors(self):
        """Tradable sectors of this run (see tradable_sectors below)."""
        sec = self.config.get("sectors", {}) if isinstance(self.config, dict) else {}
        return tradable_sectors(self.config, self.sector_names or list(sec.get("names", [])))

    def cluster_rule(self):
        """(radius, lq_min, e_min) of the cluster rule, MODEL.md section 7: the config's land.rk,
        output.lq_min and output.e_min (any key of that name) when present, else 2, 1.25, 0."""
        def num(key, default):
            v = libcfg.find_key(self.config, key)
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else default
        return int(num("rk", 2)), float(num("lq_min", 1.25)), float(num("e_min", 0.0))

    def employment_sums(self, masks, chunk=32):
        """Employment summed over each boolean [H][W] mask at every step, from /maps/employment
        (exact, no interpolation between snapshots): an array [len(masks)][T]. Read in chunks of
        steps so that a large run's maps need not fit in memory."""
        if not self.has_employment_maps:
            raise AnalysisError(f"{self.path}: no /maps/employment")
        masks = [np.asarray(m, bool) for m in masks]
        with open_h5(self.path, "a run file") as f, damaged_as_error(self.path):
            d = f["maps/employment"]
            if d.shape[1:] != masks[0].shape:
                raise AnalysisError(f"{self.path}: /maps/employment is {d.shape[1:]} cells, the "
                                    f"target area's grid {masks[0].shape}")
            out = np.zeros((len(masks), d.shape[0]))
            for t0 in range(0, d.shape[0], chunk):
                block = np.asarray(d[t0:t0 + chunk], float)
                for i, m in enumerate(masks):
                    out[i, t0:t0 + block.shape[0]] = block[:, m].sum(1)
        return out

    def land_mask(self):
        if self.region_map is None:
            return None
        return self.region_map >= 0

    def slim(self):
        """Drops what a comparison with this run does not need once it is loaded, for runs kept
        in memory across many comparisons (the baselines of a league table): the last snapshot's
        maps (.snap) and, where the run has /maps/employment (read from the file on demand), the
        employment snapshots, replaced by their digest (snap_digest; compare.unchanged compares
        digests). Returns self."""
        self._snap_digest = self.snap_digest()
        self.snap = {}
        if self.has_employment_maps:
            self.snap_employment = None
            self._slim = True
        return self

    def load_snap_employment(self):
        """The employment snapshots [K][H][W], read again from the file (after slim)."""
        with open_h5(self.path, "a run file") as f, damaged_as_error(self.path):
            return np.asarray(f["snapshots/employment"][()], float)

    def snap_digest(self):
        """A digest of the employment snapshots (shape and bytes), None without them."""
        if getattr(self, "_slim", False):
            return self._snap_digest
        if self.snap_employment is None:
            return None
        import hashlib
        a = np.ascontiguousarray(self.snap_employment)
        return hashlib.sha1(repr(a.shape).encode() + a.tobytes()).hexdigest()

    def check_complete(self):
        if self.complete != 1:
            raise AnalysisError(f"{self.path}: run is incomplete (complete = {self.complete}); "
                                "it stopped before its last step")


def expand(inputs, where=()):
    """Run file paths from arguments: run files, directories (every *.h5 below, recursively,
    sweep files excluded), sweep directories (holding sweep.h5) and sweep files: a sweep stands
    for its finished runs, those matching every (key, value) in `where` (sweep.select)."""
    from . import sweep
    paths = []
    for p in inputs:
        if sweep.sweep_path(p) is not None:
            paths.extend(sweep.members(p, where))
        elif where:
            raise AnalysisError(f"{p}: --where selects runs of a sweep; this is not a sweep "
                                "directory or sweep.h5")
        elif os.path.isdir(p):
            found = sorted(glob.glob(os.path.join(p, "**", "*.h5"), recursive=True))
            formats = {q: _format(q) for q in found}
            found = [q for q in found if formats[q] != "clustersim-sweep"]
            # a leftover checkpoint of an interrupted run (OUT.ckpt.h5) is not a run: skipped,
            # with a note, rather than refusing the whole folder
            for q in found:
                if formats[q] == CHECKPOINT:
                    print(f"analysis: note: {q}: a checkpoint of an unfinished run, not a run "
                          "file: skipped", file=sys.stderr)
            found = [q for q in found if formats[q] != CHECKPOINT]
            # an interrupted run's partial file (OUT.h5.incomplete) or a killed run's temporary
            # one (OUT.h5.tmp.PID) does not end in .h5: said, so that a seed missing from the
            # comparison has a reason beside it
            for q in sorted(glob.glob(os.path.join(p, "**", "*.h5.*"), recursive=True)):
                why = _unfinished(q)
                if why:
                    print(f"analysis: note: {q}: {why}: skipped", file=sys.stderr)
            if not found:
                raise AnalysisError(f"{p}: no .h5 files in this directory")
            paths.extend(found)
        elif not os.path.exists(p):
            raise AnalysisError(f"{p}: no such file or directory")
        else:
            paths.append(p)
    return paths


_TMP_NAME = re.compile(r"\.h5\.tmp\.\d+$")


def _unfinished(path):
    """What an unfinished run's file is, from its name (clustersim's own suffixes), or None."""
    if path.endswith(".h5.incomplete"):
        return "the partial output of an interrupted run (resume it from its checkpoint)"
    if _TMP_NAME.search(path):
        return ("the temporary file of a run still running, or killed before it finished (run "
                "it again; the file of a killed run can be deleted)")
    return None


def _format(p):
    """The root attribute `format` of an HDF5 file ("" when it has none or is not HDF5)."""
    try:
        with h5py.File(p, "r") as f:
            return _s(f.attrs.get("format", ""))
    except OSError:
        return ""


def _is_sweep(p):
    return _format(p) == "clustersim-sweep"


def _config_diff(a, b, prefix=""):
    """The first setting (as `group.key`, `list.[i]`) whose value differs between two parsed
    configs, with both values (None where missing); None when they are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            d = _config_diff(a.get(k), b.get(k), f"{prefix}{k}" if not prefix else f"{prefix}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            d = _config_diff(x, y, f"{prefix}.[{i}]" if prefix else f"[{i}]")
            if d:
                return d
        return None
    return None if a == b else (prefix or "(config)", a, b)


def _paths(runs, n=3):
    """Up to n run paths, then how many more."""
    ps = [r.path for r in runs]
    return ", ".join(ps[:n]) + (f" and {len(ps) - n} more" if len(ps) > n else "")


def check_one_scenario(runs, side):
    """Refuses a side whose runs are not one scenario at several seeds: different root
    `scenario` attributes, or configs that differ in anything but the seed (a policy rate, the
    scale, the steps, ...). Such a side would be averaged as if it were one scenario."""
    by = {}
    for r in runs:
        by.setdefault(r.scenario, []).append(r)
    if len(by) > 1:
        detail = "; ".join(f"{sc}: {_paths(rs)}" for sc, rs in by.items())
        raise AnalysisError(f"{side}: the runs are of {len(by)} scenarios ({detail}); give one "
                            "scenario per side (for a sweep, select one with --where "
                            "scenario=NAME)")
    r0 = runs[0]
    c0 = {k: v for k, v in r0.config.items() if k != "seed"} if isinstance(r0.config, dict) else {}
    for r in runs[1:]:
        c = {k: v for k, v in r.config.items() if k != "seed"} if isinstance(r.config, dict) else {}
        d = _config_diff(c0, c)
        if d:
            key, v0, v1 = d
            raise AnalysisError(f"{side}: the runs' configs differ in more than the seed: {key} is "
                                f"{v0!r} in {r0.path} and {v1!r} in {r.path}; give one scenario "
                                "and one setting per side (for a sweep, narrow it with --where "
                                "KEY=VALUE)")


def load_side(inputs, side, where=()):
    """Loads every run of one side of a comparison; checks completeness, unique seeds and that
    the runs are one scenario (check_one_scenario). Each run's .side is set to `side`."""
    runs = [Run(p) for p in expand(inputs, where)]
    if not runs:
        raise AnalysisError(f"no {side} runs given")
    seen = {}
    for r in runs:
        r.side = side
        r.check_complete()
        if r.seed in seen:
            raise AnalysisError(f"{side}: seed {r.seed} appears twice ({seen[r.seed].path}, "
                                f"{r.path}); give one run per seed and side (for a sweep, "
                                "narrow it with --where KEY=VALUE)")
        seen[r.seed] = r
    check_one_scenario(runs, side)
    return runs


def _mismatch(base, pol, what, value, hint=""):
    """`what` differs between the runs: an AnalysisError naming each side's values and files."""
    groups = {}
    for side, rs in (("baseline", base), ("policy", pol)):
        for r in rs:
            groups.setdefault((getattr(r, "side", None) or side, value(r)), []).append(r)
    detail = "; ".join(f"{side} {v} ({_paths(rs)})" for (side, v), rs in groups.items())
    return AnalysisError(f"runs have different {what}: {detail}" + (f"; {hint}" if hint else ""))


# top-level config groups that do not change the modelled economy, or are what a comparison
# compares (the policies): left out of model_differences
NOT_MODEL = ("policies", "name", "description", "question", "seed", "output")


def _flat_config(c, prefix=""):
    """{"group.key": value} of a parsed config (lists kept whole: a list that differs is one
    setting)."""
    out = {}
    if isinstance(c, dict):
        for k, v in c.items():
            out.update(_flat_config(v, f"{prefix}.{k}" if prefix else k))
    else:
        out[prefix] = c
    return out


def model_differences(pairs):
    """The settings other than the policies (NOT_MODEL) in which the policy runs' config differs
    from the baseline runs': [(key, baseline value, policy value)], sorted by key. Each side is
    one setting (check_one_scenario), so the first pair speaks for all. A difference is the
    effect of these settings and the policies together: a baseline rerun with a changed
    parameter would otherwise be read as the policy's effect."""
    b, p = pairs[0]
    fb, fp = (_flat_config(r.config) if isinstance(r.config, dict) else {} for r in (b, p))
    keep = [k for k in sorted(set(fb) | set(fp)) if k.split(".")[0] not in NOT_MODEL]
    return [(k, fb.get(k), fp.get(k)) for k in keep if fb.get(k) != fp.get(k)]


def policy_differences(baseline, policy):
    """The policy settings in which a policy run's config differs from a baseline run's that has
    policies too (the scenario against itself at another rate, or with its amounts at 0):
    [(key, baseline value, policy value)] with keys "policies.[i].key", in policy order; [] when
    the baseline has no policies (the policies themselves are then the difference)."""
    pb, pp = baseline.policies(), policy.policies()
    if not pb or not pp:
        return []

    def flat(pols):
        out = {}
        for i, pol in enumerate(pols):
            for k, v in (_flat_config(pol) if isinstance(pol, dict) else {"": pol}).items():
                out[f"policies.[{i}].{k}" if k else f"policies.[{i}]"] = v
        return out
    fb, fp = flat(pb), flat(pp)
    keys = list(fb) + [k for k in fp if k not in fb]
    return [(k, fb.get(k), fp.get(k)) for k in keys if fb.get(k) != fp.get(k)]


def model_differences_text(diffs, n=4):
    """model_differences in words: "KEY (A in the baseline, B in the policy runs), ..."."""
    def val(v):
        return "unset" if v is None else repr(v)
    words = [f"{k} ({val(a)} in the baseline, {val(b)} in the policy runs)" for k, a, b in diffs]
    return ", ".join(words[:n]) + (f" and {len(words) - n} more" if len(words) > n else "")


def pair(base, pol):
    """Pairs runs by seed (common random numbers). Every seed needs a partner, and all runs
    must have the same number of steps, grid size and scale (the root attribute `scale`, else
    the config's); a run file may not be on both sides. Returns [(baseline, policy)] sorted by
    seed."""
    same = sorted({os.path.realpath(r.path) for r in base} & {os.path.realpath(r.path)
                                                              for r in pol})
    if same:
        more = f" and {len(same) - 3} more" if len(same) > 3 else ""
        raise AnalysisError("the same run file is on both sides: " + ", ".join(same[:3]) + more
                            + "; a run compared with itself shows no effect by construction: "
                            "give the baseline's runs before -- and the policy's after it")
    bs, ps = {r.seed: r for r in base}, {r.seed: r for r in pol}
    only_b, only_p = sorted(set(bs) - set(ps)), sorted(set(ps) - set(bs))
    if only_b or only_p:
        msg = []
        if only_b:
            msg.append("baseline seeds without a policy run: " + ", ".join(map(str, only_b)))
        if only_p:
            msg.append("policy seeds without a baseline run: " + ", ".join(map(str, only_p)))
        raise AnalysisError("runs are paired by seed; " + "; ".join(msg))
    if len({(r.steps, r.T) for r in base + pol}) > 1:
        raise _mismatch(base, pol, "numbers of steps",
                        lambda r: f"{r.steps}" if r.T == r.steps + 1 else
                        f"{r.steps} ({r.T} rows of /timeseries)")
    if len({None if r.region_map is None else r.region_map.shape for r in base + pol}) > 1:
        raise _mismatch(base, pol, "grid sizes", lambda r: "no /landscape/region"
                        if r.region_map is None else "x".join(map(str, r.region_map.shape[::-1])))
    scales = {r.scale for r in base + pol if getattr(r, "scale", None) is not None}
    if len(scales) > 1:
        raise _mismatch(base, pol, "scales",
                        lambda r: "unknown" if getattr(r, "scale", None) is None
                        else f"{r.scale:g}",
                        "runs at different scales are different economies and do not pair "
                        "(compare runs made at one scale)")
    return [(bs[s], ps[s]) for s in sorted(bs)]


def tradable_sectors(config, names):
    """Sectors among `names` that config sectors.tradable marks tradable (a list of names, or of
    0/1 flags in the order of sectors.names); without it every sector but local_services."""
    sec = config.get("sectors", {}) if isinstance(config, dict) else {}
    trad = sec.get("tradable") if isinstance(sec, dict) else None
    if isinstance(trad, list) and trad:
        if all(isinstance(t, str) for t in trad):
            return [n for n in names if n in trad]
        cfg_names = list(sec.get("names", names))
        flagged = {n for n, t in zip(cfg_names, trad) if t}
        return [n for n in names if n in flagged]
    return [n for n in names if n != "local_services"]
