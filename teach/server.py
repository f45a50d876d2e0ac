"""The classroom page's server (docs/teaching.md): `make teach`, or

    /usr/bin/python3 teach/server.py [--host 127.0.0.1] [--port 8765] [--max-runs N]
                                     [--max-queue N] [--keep-maps N]

Serves teach/static/ on 127.0.0.1 only unless --host says otherwise (--host 0.0.0.0: a class on
their own laptops; it then warns that anyone who can reach the address can start runs and prints
the addresses to type), lists the presets of scenarios/teaching/levers.cfg, and starts real
`clustersim run` processes on request (a preset name and slider values, each checked against its
bounds: never a path or a command line), at most --max-runs at once (the others wait in a queue
of at most --max-queue, and start in order as runs end), streaming each run's
progress to the page from the engine's `--live-json -` output as Server-Sent Events, and keeping
the maps of the --keep-maps runs that finished last (the others' charts only). Runs live in
a temporary session folder that is removed, with any run still going, when the server stops.
"""
import argparse
import asyncio
import errno
import ipaddress
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import textwrap

from aiohttp import web

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from analysis import libcfg  # noqa: E402

STATIC = os.path.join(ROOT, "teach", "static")
TEACHING = os.path.join(ROOT, "scenarios", "teaching")
SEED_MIN, SEED_MAX = 1, 1000
KEEP_MAPS = 40  # finished runs whose maps the server keeps (--keep-maps; docs/teaching.md)
WARNING = "clustersim: warning: "  # how the engine starts a warning on stderr
ID_RE = re.compile(r"^[a-z0-9]{1,32}$")


class PresetError(Exception):
    pass


def policy_areas(cfg):
    """Where a preset's policies act, for the page to outline on the map: circles and
    rectangles (cells), lists of regions, a transport link's two ends and funded universities."""
    out = []
    for p in cfg.get("policies", []) or []:
        if not isinstance(p, dict):
            continue
        name = str(p.get("name", p.get("type", "policy")))
        area = p.get("area")
        if isinstance(area, dict):
            if "circle" in area:
                x, y, r = (float(v) for v in area["circle"])
                out.append({"name": name, "kind": "circle", "x": x, "y": y, "r": r})
            elif "rect" in area:
                out.append({"name": name, "kind": "rect", "rect": [float(v) for v in area["rect"]]})
            elif "regions" in area:
                out.append({"name": name, "kind": "regions",
                            "regions": [str(v) for v in area["regions"]]})
        if p.get("type") == "transport_link" and "from" in p and "to" in p:
            out.append({"name": name, "kind": "link", "from": [float(v) for v in p["from"]],
                        "to": [float(v) for v in p["to"]], "radius": float(p.get("radius", 0))})
        if p.get("type") == "university_funding" and p.get("universities"):
            out.append({"name": name, "kind": "places",
                        "places": [str(v) for v in p["universities"]]})
    return out


def _lookup(cfg, key):
    """The value at a --set path such as policies.[0].per_worker in a parsed config, or None."""
    cur = cfg
    for part in key.split("."):
        m = re.fullmatch(r"\[(\d+)\]", part)
        if m:
            i = int(m.group(1))
            if not isinstance(cur, list) or i >= len(cur):
                return None
            cur = cur[i]
        else:
            if not isinstance(cur, dict) or part not in cur:
                return None
            cur = cur[part]
    return cur


def load_scenario(name):
    """A scenario file merged over its base chain (enough for names, texts and lever values)."""
    path = os.path.join(ROOT, "scenarios", name + ".cfg")
    with open(path) as f:
        cfg = libcfg.parse(f.read())
    base = cfg.get("base")
    if base:
        parent = load_scenario(os.path.splitext(os.path.basename(base))[0])
        for k, v in cfg.items():
            if isinstance(v, dict) and isinstance(parent.get(k), dict):
                parent[k] = {**parent[k], **v}
            else:
                parent[k] = v
        cfg = parent
    return cfg


def load_presets():
    """Presets and their levers, with bounds resolved against the preset files (read once)."""
    with open(os.path.join(TEACHING, "levers.cfg")) as f:
        spec = libcfg.parse(f.read())
    defaults = libcfg.parse(open(os.path.join(ROOT, "config", "defaults.cfg")).read())
    presets = {}
    for p in spec["presets"]:
        name = p["name"]
        cfg = load_scenario(name)
        look = ""
        md = os.path.join(TEACHING, name + ".md")
        if os.path.exists(md):
            with open(md) as f:
                look = f.read().strip()
        levers = []
        for lv in p.get("levers", []):
            key = lv["key"]
            cur = _lookup(cfg, key)
            if cur is None:
                cur = _lookup(defaults, key)
            if cur is None and "default" not in lv:
                raise PresetError(f"levers.cfg: {name}: {key}: not in the preset or the defaults")
            per = int(lv.get("per_unit", 1))
            integer = isinstance(cur, int) and not isinstance(cur, bool) or per > 1
            if lv.get("relative"):
                if not cur or cur < 0:
                    raise PresetError(f"levers.cfg: {name}: {key}: relative lever needs a "
                                      "positive value in the preset")
                # a round step (25 pounds, not 0.1 x 293 = 29.3, whose stops read 380.9) and
                # bounds on it; the page's slider stops at the preset's own value too
                step = nice_step(lv["step"] * cur)
                lo = _on_grid(math.ceil(lv["min"] * cur / step - 1e-9) * step)
                hi = _on_grid(math.floor(lv["max"] * cur / step + 1e-9) * step)
                default = float(cur)
                integer = False
            else:
                lo, hi, step = lv["min"], lv["max"], lv["step"]
                default = lv.get("default", cur / per if cur is not None else lo)
            default = min(max(default, lo), hi)
            levers.append({"key": key, "label": lv["label"], "unit": lv.get("unit", ""),
                           "min": lo, "max": hi, "step": step, "default": default,
                           "per_unit": per, "integer": bool(integer),
                           "percent": bool(lv.get("percent", False))})
        # which sectors are tradable: the page's cluster layer shows their clusters only
        sec = {**defaults.get("sectors", {}), **cfg.get("sectors", {})}
        names = sec.get("names", [])
        tradable = sec.get("tradable", [True] * len(names))
        own = p.get("scale")  # a preset whose story needs more agents than the page's scale
        if own is not None and (isinstance(own, bool) or not isinstance(own, (int, float))
                                or not 0 < own <= 1):
            raise PresetError(f"levers.cfg: {name}: scale must be a number in (0, 1]")
        presets[name] = {"name": name, "description": cfg.get("description", ""),
                         "question": cfg.get("question", ""), "look_for": look,
                         "levers": levers, "tradable": [bool(t) for t in tradable],
                         "areas": policy_areas(cfg),
                         "own_scale": float(own) if own is not None else None}
    teaching = spec.get("teaching", {})
    return presets, float(teaching.get("scale", 0.001)), int(teaching.get("every", 4))


def short(value, percent=False):
    """A lever's value in a run's label, as the page's slider shows it (app.js leverText): six
    significant figures, millions as M (1.34M, where :g gave 1.34e+06), a share as a percentage
    for a lever with percent = true (levers.cfg)."""
    if percent:
        return f"{value * 100:.6g}%"
    if abs(value) >= 1e6:
        return f"{value / 1e6:.6g}M"
    return f"{value:.6g}"


def nice_step(x):
    """The largest of 1, 2, 2.5 and 5 times a power of ten that is not above x (x > 0): a
    relative lever's step, so that its slider stops at round amounts."""
    x *= 1 + 1e-9  # 0.1 x 10 computed as 0.9999999999 is a step of 1
    p = 10.0 ** math.floor(math.log10(x))
    m = next(m for m in (5, 2.5, 2, 1) if m * p <= x)
    return _on_grid(m * p)


def _on_grid(v):
    """v without float noise (0.30000000000000004 is 0.3)."""
    return float(f"{v:.12g}")


def _fmt(value, integer):
    """A --set value: an int for int keys, a float with a decimal point otherwise."""
    if integer:
        return str(int(round(value)))
    return repr(float(value))


def with_tradable(line, tradable):
    """The engine's start line with the preset's tradable flags added ("tradable": [bool] per
    sector), which the page's cluster layer needs and the stream does not carry."""
    msg = json.loads(line)
    if len(tradable) == len(msg.get("sectors", [])):
        msg["tradable"] = tradable
    return json.dumps(msg, separators=(",", ":"))


class Run:
    def __init__(self, rid, label, preset, seed, values):
        self.id, self.label, self.preset, self.seed, self.values = rid, label, preset, seed, values
        self.lines = []          # the JSON lines received so far
        self.done = False
        self.status = "running"  # queued | running | complete | failed | stopped
        self.error = ""
        self.proc = None
        self.tradable = []       # per sector, added to the start line (with_tradable)
        self.regions = None       # {"names", "region_map"}: the "regions" line after the start
        self.changed = asyncio.Event()
        # what stops the run: given only to the page that started it, so that a page on the
        # class's network cannot stop another group's run
        self.stop_token = secrets.token_hex(16)
        self.stop_asked = False
        self.stopped_by = None  # "page" (its Stop) or "server" (shut down), once stopped
        self.queue = None  # the server's queue, while this run waits in it
        self.on_finish = None  # the server's bookkeeping of finished runs (Teach._finished)
        self.maps_dropped = False  # its frames' maps were let go (--keep-maps)
        self.warnings = []  # the engine's warnings on stderr (a count the scale rounds, say)

    def ahead(self):
        """Runs before this one in the queue (0: it starts next), None when not queued."""
        return self.queue.index(self) if self.queue is not None and self in self.queue else None

    def info(self):
        out = {"id": self.id, "label": self.label, "preset": self.preset, "seed": self.seed,
               "values": self.values, "status": self.status, "error": self.error,
               "frames": sum(1 for ln in self.lines if ln.startswith('{"type":"frame"'))}
        if self.status == "queued":
            out["ahead"] = self.ahead()
        if self.stopped_by:
            out["stopped_by"] = self.stopped_by
        if self.maps_dropped:
            out["maps_dropped"] = True
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

    def warn(self, text):
        """An engine warning: kept in the run's info and sent to the page as a "warning" line
        of its stream, as it comes (the engine says them before its first step)."""
        self.warnings.append(text)
        self.push(json.dumps({"type": "warning", "text": text}, separators=(",", ":")))

    def push(self, line):
        self.lines.append(line)
        self.changed.set()
        self.changed = asyncio.Event()

    def finish(self, status, error="", stopped_by=None):
        self.status, self.error, self.done = status, error, True
        self.stopped_by = stopped_by
        self.changed.set()
        if self.on_finish:
            self.on_finish(self)

    def drop_maps(self):
        """Lets its frames' maps go (about 5 MB a run at the page's scale): each frame line
        becomes the series line of its step, so the charts keep every point and a page
        replaying the run mid-stream gets as many lines as before."""
        out = []
        for ln in self.lines:
            if ln.startswith('{"type":"frame"'):
                msg = {k: v for k, v in json.loads(ln).items() if not k.endswith("_map")}
                msg["type"] = "series"
                ln = json.dumps(msg, separators=(",", ":"))
            out.append(ln)
        self.lines = out
        self.maps_dropped = True


class Teach:
    def __init__(self, binary, max_runs, presets, scale, every, max_open_bytes=1024 ** 3,
                 forced_scale=False, max_queue=30, keep_maps=KEEP_MAPS):
        self.binary, self.max_runs = binary, max_runs
        # runs asked for while --max-runs are going wait here, in order, and start as runs end
        # (a class pressing Run together on a laptop with a few cores), up to max_queue of them
        self.queue, self.max_queue = [], max_queue
        self.max_open_bytes = max_open_bytes  # the largest run file a page may open
        self.closing = False  # the server is shutting down (stop_all)
        self.opening = 0  # files being received or converted: each holds a core as a run does
        self.presets, self.scale, self.every = presets, scale, every
        # each preset's scale: its own from levers.cfg, unless --scale set one for all
        for p in presets.values():
            p["scale"] = p["own_scale"] if p["own_scale"] and not forced_scale else scale
        self.runs = {}
        self.order = []
        # the stream lines of every run stay for the session (the list replays them), but the
        # maps, most of a run's lines, only for the keep_maps runs that finished last: a
        # teacher's class had 207 MB held after 55 runs
        self.keep_maps, self.finished = keep_maps, []
        self.session = tempfile.mkdtemp(prefix="clustersim-teach-")
        self.counter = 0
        # names this server's session to the pages: a page that finds another one (the server
        # restarted) drops the runs it listed, which are gone
        self.session_id = secrets.token_hex(8)
        self.region_cache = {}
        self.region_locks = {}

    def running(self):
        """Runs going and files being opened: --max-runs bounds the two together."""
        return sum(1 for r in self.runs.values() if not r.done and r.status != "queued") + \
            self.opening

    def full(self):
        """No core free and no room in the queue: a run asked for now is refused."""
        return self.running() >= self.max_runs and len(self.queue) >= self.max_queue

    def validate(self, body):
        """(preset, seed, [(lever, value)]) from a request body, or a ValueError saying why."""
        if not isinstance(body, dict):
            raise ValueError("the request must be a JSON object")
        unknown = set(body) - {"preset", "seed", "levers"}
        if unknown:
            raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")
        name = body.get("preset")
        if not isinstance(name, str):  # null, a number, a list: said so, in JSON's words
            raise ValueError("preset must be a text, the name of one of: "
                             + ", ".join(self.presets))
        if name not in self.presets:
            raise ValueError(f"unknown preset {json.dumps(name)}; choose one of: "
                             + ", ".join(self.presets))
        preset = self.presets[name]
        seed = body.get("seed", 1)
        if isinstance(seed, bool) or not isinstance(seed, int) or not SEED_MIN <= seed <= SEED_MAX:
            raise ValueError(f"seed must be an integer from {SEED_MIN} to {SEED_MAX}")
        given = body.get("levers", {})  # left out: the preset's own values; null is refused
        if not isinstance(given, dict):
            raise ValueError("levers must be an object of key: number")
        by_key = {lv["key"]: lv for lv in preset["levers"]}
        out = []
        for key, value in given.items():
            if key not in by_key:
                raise ValueError(f"{name} has no lever {key!r}")
            lv = by_key[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{lv['label']}: the value must be a number")
            try:
                value = float(value)  # a JSON integer too large for a float: out of range
            except OverflowError:
                value = math.inf if value > 0 else -math.inf
            if math.isnan(value):
                raise ValueError(f"{lv['label']}: the value must be a number")
            # a value off a bound by float rounding (within 1e-9) is taken as the bound itself,
            # so that what the engine gets is always within its own range check
            eps = 1e-9 * max(1.0, abs(lv["max"]))
            if not lv["min"] - eps <= value <= lv["max"] + eps:
                shown = f"{value:g}" if math.isfinite(value) else "the value"
                raise ValueError(f"{lv['label']}: {shown} is out of range "
                                 f"({lv['min']:g} to {lv['max']:g})")
            value = min(max(value, lv["min"]), lv["max"])
            if lv["integer"]:
                if abs(value - round(value)) > 1e-9:
                    raise ValueError(f"{lv['label']}: must be a whole number")
                value = int(round(value))
            out.append((lv, value))
        return name, seed, out

    def command(self, name, seed, levers, out):
        cmd = [self.binary, "run", os.path.join(ROOT, "scenarios", name + ".cfg"),
               "--set", f"scale={self.presets[name]['scale']!r}"]
        for lv, value in levers:
            cmd += ["--set", f"{lv['key']}={_fmt(value * lv['per_unit'], lv['integer'])}"]
        cmd += ["--seed", str(seed), "--threads", "1", "--live-json", "-",
                "--live-every", str(self.every), "-o", out]
        return cmd

    async def start(self, name, seed, levers):
        """A run of the preset: started now if a core is free, else queued (full() is checked
        by the caller). The check and the count of a run being started have no await between
        them, so requests at the same moment keep to the limit."""
        self.counter += 1
        rid = f"r{self.counter}{secrets.token_hex(3)}"
        parts = [f"{lowered(lv['label'].split(' (')[0])} {short(value, lv['percent'])}"
                 for lv, value in levers if abs(value - lv["default"]) > 1e-12]
        # numbered, so that two runs of the same settings can be told apart on the page
        label = f"#{self.counter} {name} seed {seed}" + (f" ({', '.join(parts)})" if parts else "")
        run = Run(rid, label, name, seed, {lv["key"]: value for lv, value in levers})
        run.on_finish = self._finished
        run.tradable = self.presets[name]["tradable"]
        # the preset's regions (cached: the request handler has already read them)
        run.regions = await self.regions_of(name)
        run.command = self.command(name, seed, levers, os.path.join(self.session, rid + ".h5"))
        busy = self.running() >= self.max_runs  # before the run itself counts
        self.runs[rid] = run
        self.order.append(rid)
        if busy:
            run.status, run.queue = "queued", self.queue
            self.queue.append(run)
            return run
        await self._launch(run)
        return run

    def _finished(self, run):
        """A run ended (or a file was opened): the maps of finished runs past the latest
        keep_maps are let go, the oldest first."""
        self.finished.append(run)
        kept = [r for r in self.finished if not r.maps_dropped]
        for old in kept[:max(0, len(kept) - self.keep_maps)]:
            old.drop_maps()

    async def _launch(self, run):
        # counted as running from here (running()), before the await that starts it
        run.status = "running"
        try:
            run.proc = await asyncio.create_subprocess_exec(
                *run.command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, limit=64 * 1024 * 1024, start_new_session=True)
        except OSError as e:
            run.finish("failed", f"cannot start clustersim: {e}")
            return
        if run.stop_asked:  # stopped while its process was being started
            self.stop(run)
        run.changed.set()  # a page waiting on the queued run hears that it started
        run.changed = asyncio.Event()
        asyncio.ensure_future(self._pump(run))

    async def start_queued(self):
        """Starts queued runs, in order, while cores are free (a run ended, a file opened)."""
        while self.queue and self.running() < self.max_runs:
            run = self.queue.pop(0)
            run.queue = None
            await self._launch(run)

    async def regions_of(self, name):
        """{"names": [...], "region_map": [region index per land cell]} of a preset's landscape,
        read from a run of 0 steps (a twentieth of a second; cached per preset), or None."""
        if name in self.region_cache:
            return self.region_cache[name]
        lock = self.region_locks.setdefault(name, asyncio.Lock())
        async with lock:
            if name in self.region_cache:
                return self.region_cache[name]
            out = os.path.join(self.session, f"landscape-{name}.h5")
            found = None
            try:
                proc = await asyncio.create_subprocess_exec(
                    self.binary, "run", os.path.join(ROOT, "scenarios", name + ".cfg"),
                    "--steps", "0", "--set", "scale=0.0002", "--threads", "1", "--quiet",
                    "-o", out, stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
                    start_new_session=True)
                if await proc.wait() == 0:
                    import h5py
                    from teach import runfile  # imports this module: not at the top
                    with h5py.File(out, "r") as f:
                        found = runfile.regions(f)
            except Exception:  # no regional chart or outlines, nothing worse
                found = None
            finally:
                if os.path.exists(out):
                    os.unlink(out)
            self.region_cache[name] = found
            return found

    async def _read_stderr(self, run):
        """The engine's stderr, read while it runs: each warning ("clustersim: warning: ...")
        goes to the page at once (Run.warn), without the words "clustersim: warning:" and with
        paths relative to the repository, unless it comes after the run was asked to stop; the
        whole text is returned, for the reason of a run that fails. (It was read only at the end, and dropped when the run succeeded, so a
        rounded count or a forced --scale never reached the page.)"""
        lines = []
        while True:
            line = await run.proc.stderr.readline()
            if not line:
                break
            text = line.decode(errors="replace").rstrip("\n")
            lines.append(text)
            # not those a stop causes (the engine's stream cut short as its pipeline ends)
            if text.startswith(WARNING) and not run.stop_asked and not self.closing:
                run.warn(text[len(WARNING):].replace(ROOT + os.sep, ""))
        return "\n".join(lines).strip()

    async def _pump(self, run):
        proc = run.proc
        err_task = asyncio.ensure_future(self._read_stderr(run))
        try:
            while True:
                line = await proc.stdout.readline()
                if not line:
                    break
                text = line.decode(errors="replace").rstrip("\n")
                if text.startswith('{"type":"start"'):
                    run.push(with_tradable(text, run.tradable))
                    if run.regions:  # the region of each land cell, right after the start line
                        run.push(json.dumps({"type": "regions", **run.regions},
                                            separators=(",", ":")))
                    continue
                run.push(text)
            err = await err_task
            rc = await proc.wait()
        except asyncio.CancelledError:  # the server is shutting down: start nothing more
            err_task.cancel()
            raise
        except Exception as e:  # the run ends, and its slot is given back, whatever happened
            if proc.returncode is None:
                try:
                    proc.kill()
                except ProcessLookupError:
                    pass
            await proc.wait()
            err_task.cancel()
            run.finish("failed", f"the server could not read the run's output "
                                 f"({type(e).__name__}: {e})")
        else:
            self._ended(run, rc, err)
        await self.start_queued()

    def _ended(self, run, rc, err):
        if rc == 0:
            run.finish("complete")
        elif run.stop_asked:
            # the engine, stopped by SIGTERM, left its checkpoint and partial file, which no
            # one here can use: gone, rather than piling up in the session folder
            # (`run -o ID.h5` checkpoints to ID.ckpt.h5: the name this removed before,
            # ID.h5.ckpt.h5, is a sweep's, so a stopped run's 16 MB checkpoint stayed)
            for leftover in (".ckpt.h5", ".h5.incomplete"):
                try:
                    os.unlink(os.path.join(self.session, run.id + leftover))
                except OSError:
                    pass
            run.finish("stopped", "stopped from the page that started it", "page")
        elif self.closing:
            run.finish("stopped", "the classroom server was stopped", "server")
        else:
            # not asked to stop: a crash or a kill (a signal, rc < 0) is a failure too
            why = err.splitlines()[-1] if err else (
                f"clustersim was killed by signal {-rc}" if rc is not None and rc < 0
                else f"clustersim exited with status {rc}")
            run.finish("failed", why)

    async def add_file(self, path, label):
        """Registers an existing run file, converted to the stream's lines. The conversion reads
        the whole file: it runs in a worker thread, so that the other pages' streams go on."""
        from teach import runfile
        lines = await asyncio.to_thread(runfile.lines, path)
        self.counter += 1
        rid = f"f{self.counter}{secrets.token_hex(3)}"
        # named as a live run is, by its scenario and seed (a file name like seed2.h5 says
        # little in a class's list), with the file's name after them
        start = json.loads(lines[0])
        run = Run(rid, f"#{self.counter} {start['scenario']} seed {start['seed']} ({label})", None,
                  None, {})
        run.lines = lines
        run.on_finish = self._finished
        run.finish("complete")
        self.runs[rid] = run
        self.order.append(rid)
        return run

    def stop(self, run):
        """Ends a running run as Ctrl-C would (SIGTERM to its process group: the engine and,
        under a wrapper, its pipeline); _pump then records it as stopped. A queued run leaves
        the queue."""
        run.stop_asked = True
        if run.status == "queued":
            self.queue.remove(run)
            run.queue = None
            if self.closing:  # stop_all: the server's doing, not the page's
                run.finish("stopped", "the classroom server was stopped", "server")
            else:
                run.finish("stopped", "stopped from the page that started it while it waited "
                                      "in the queue: it never ran", "page")
            return
        if run.proc is None:  # its process is being started: _launch stops it once it is
            return
        try:
            os.killpg(run.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    async def stop_all(self):
        self.closing = True  # its runs end "stopped", not "failed", as it kills them
        for run in list(self.queue):
            self.stop(run)
        for run in self.runs.values():
            if run.proc and run.proc.returncode is None:
                try:
                    os.killpg(run.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for run in self.runs.values():
            if run.proc and run.proc.returncode is None:
                try:
                    await asyncio.wait_for(run.proc.wait(), 5)
                except asyncio.TimeoutError:
                    pass
        shutil.rmtree(self.session, ignore_errors=True)


# the largest body of a run or stop request (a few levers, a token): larger ones are refused
# before they are read, since --max-open-mb (for opened run files) bounds every request
SMALL_BODY = 64 * 1024


def error(status, message):
    return web.json_response({"error": message}, status=status)


async def small_json(request):
    """The JSON body of a run or stop request; None when it passes SMALL_BODY, read no further
    than that (a chunked body has no length to check first: it was read up to --max-open-mb).
    Raises ValueError for a body that is not JSON, or nested too deeply to parse."""
    if (request.content_length or 0) > SMALL_BODY:
        return None
    data = bytearray()
    while True:
        chunk = await request.content.read(SMALL_BODY + 1 - len(data))
        if not chunk:
            break
        data += chunk
        if len(data) > SMALL_BODY:
            return None
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:  # '[' * 30000: a 500 and a traceback in the teacher's terminal
        raise ValueError("nested too deeply") from None


def make_app(teach):
    app = web.Application(client_max_size=teach.max_open_bytes)
    routes = web.RouteTableDef()

    @routes.get("/")
    async def index(request):
        return web.FileResponse(os.path.join(STATIC, "index.html"))

    @routes.get("/api/presets")
    async def presets(request):
        return web.json_response({"presets": list(teach.presets.values()),
                                  "seed": {"min": SEED_MIN, "max": SEED_MAX},
                                  "scale": teach.scale, "max_runs": teach.max_runs,
                                  "keep_maps": teach.keep_maps})

    @routes.post("/api/run")
    async def run(request):
        try:
            body = await small_json(request)
        except ValueError:
            return error(400, "the request must be JSON: {preset, seed, levers}")
        if body is None:
            return error(413, "the request is too large for a run: {preset, seed, levers}")
        try:
            name, seed, levers = teach.validate(body)
        except ValueError as e:
            return error(400, str(e))
        # the preset's regions (a 0-step run, once per preset) before the limit is checked, so
        # that nothing waits between the check and the start
        await teach.regions_of(name)
        if teach.full():
            return error(429, f"too many runs at once: {teach.running()} running (the limit is "
                              f"{teach.max_runs}, one per core) and {len(teach.queue)} waiting "
                              f"(the queue's limit, --max-queue); wait for one to finish")
        # start() decides between starting and queueing with no await before it counts the
        # run, so requests that came at the same moment (a class pressing Run together) keep
        # to the limit
        r = await teach.start(name, seed, levers)
        return web.json_response({**r.info(), "stop_token": r.stop_token,
                                  "session": teach.session_id})

    @routes.get("/api/runs")
    async def runs(request):
        return web.json_response({"runs": [teach.runs[i].info() for i in teach.order],
                                  "running": teach.running(), "session": teach.session_id})

    def get_run(request):
        rid = request.match_info["rid"]
        if not ID_RE.match(rid) or rid not in teach.runs:
            raise web.HTTPNotFound(text=json.dumps({"error": "no such run"}),
                                   content_type="application/json")
        return teach.runs[rid]

    @routes.post("/api/runs/{rid}/stop")
    async def stop(request):
        """Stops a run, for the page that started it: the body is {"token": its stop_token}."""
        run = get_run(request)
        try:  # read, no further than SMALL_BODY, before the token is checked
            body = await small_json(request)
        except ValueError:
            return error(400, "the request must be JSON: {token}")
        if body is None:
            return error(413, "the request is too large: {token}")
        token = body.get("token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not secrets.compare_digest(token, run.stop_token):
            return error(403, "only the page that started a run can stop it")
        if run.done or (run.proc is not None and run.proc.returncode is not None):
            return error(409, f"{run.label} has ended already ({run.status})")
        teach.stop(run)
        return web.json_response(run.info())

    @routes.get("/api/runs/{rid}/events")
    async def events(request):
        """Server-Sent Events: every line so far, then each new one, then an 'end' event."""
        run = get_run(request)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                           "Cache-Control": "no-cache"})
        await resp.prepare(request)
        sent = 0
        try:
            while True:
                while sent < len(run.lines):
                    await resp.write(f"data: {run.lines[sent]}\n\n".encode())
                    sent += 1
                if run.done and sent >= len(run.lines):
                    break
                await run.changed.wait()
            await resp.write(("event: status\ndata: " + json.dumps(run.info()) + "\n\n")
                             .encode())
        except ConnectionError:
            # the page went away (a tab closed or reloaded): its stream ends, the run goes on
            # (a reloaded page replays it from the start), and the terminal stays quiet
            pass
        return resp

    @routes.post("/api/open")
    async def open_file(request):
        """An existing run file, posted as the request body (the page's file picker). Bounded
        as the runs are, since a page on the class's network may post any number: by
        --max-runs together with the runs (receiving and converting a file holds a core), and
        by --max-open-mb in size, checked while it streams to the session folder."""
        name = os.path.basename(request.headers.get("X-File-Name", "run.h5"))[:100] or "run.h5"
        limit = teach.max_open_bytes
        too_big = f"{name}: larger than the limit of {limit / 1024 ** 2:g} MB (--max-open-mb)"
        if request.content_length is not None and request.content_length > limit:
            return error(413, too_big)
        if teach.running() >= teach.max_runs:
            return error(429, f"too many runs at once: {teach.running()} running or opening, "
                              f"the limit is {teach.max_runs}; wait for one to finish")
        teach.opening += 1
        fd, path = tempfile.mkstemp(suffix=".h5", dir=teach.session)
        try:
            size = 0
            with os.fdopen(fd, "wb") as f:
                async for chunk in request.content.iter_chunked(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        return error(413, too_big)
                    f.write(chunk)
            try:
                r = await teach.add_file(path, name)
            except Exception as e:  # not HDF5, or not a clustersim run file
                return error(400, f"{name}: not a clustersim run file ({e})")
            return web.json_response(r.info())
        finally:
            # the stream's lines hold what the page shows; the file itself is not needed again
            # (nor a part of one, when the page went away mid-upload)
            teach.opening -= 1
            if os.path.exists(path):
                os.unlink(path)
            asyncio.ensure_future(teach.start_queued())  # the core it held is free again

    routes.static("/static", STATIC)
    app.add_routes(routes)

    async def stop_runs(app):
        # on_shutdown comes before aiohttp waits for open requests: killing the runs first ends
        # their event streams at once instead of when the runs would have finished
        await teach.stop_all()
    app.on_shutdown.append(stop_runs)
    app.on_cleanup.append(stop_runs)
    return app


def _ip(text):
    """An IP address, or None for a host name."""
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None


def is_loopback(host):
    """Whether listening on host reaches this machine only: a loopback address, or a name all of
    whose addresses are loopback (localhost). An unknown name counts as not (it cannot be bound
    anyway)."""
    ip = _ip(host)
    if ip is not None:
        return ip.is_loopback
    try:
        found = {i[4][0] for i in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except OSError:
        return False
    return bool(found) and all(_ip(a) is not None and _ip(a).is_loopback for a in found)


def own_addresses(family=socket.AF_INET):
    """This machine's addresses that other machines may reach it on (not loopback, not IPv6
    link-local), as far as the standard library finds them: the address of the interface that
    routes outwards (a UDP socket's connect sends nothing) and the addresses of the host name."""
    found = []
    probe = "192.0.2.1" if family == socket.AF_INET else "2001:db8::1"  # documentation ranges
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.connect((probe, 9))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    for name in {socket.gethostname(), socket.getfqdn()}:
        try:
            found += [i[4][0] for i in socket.getaddrinfo(name, None, family, socket.SOCK_STREAM)]
        except OSError:
            pass
    out = []
    for a in found:
        ip = _ip(a)
        if ip is None or ip.is_loopback or ip.is_unspecified or a in out or \
                (ip.version == 6 and ip.is_link_local):  # fe80::: a URL would need the interface
            continue
        out.append(a)
    return out


def host_port(host, port):
    """HOST:PORT, an IPv6 address in brackets."""
    ip = _ip(host)
    return f"[{host}]:{port}" if ip is not None and ip.version == 6 else f"{host}:{port}"


def _local(host):
    """The address to open on this machine: loopback when listening on every address."""
    ip = _ip(host)
    return "127.0.0.1" if ip is not None and ip.is_unspecified else host


def url_of(host, port):
    return f"http://{host_port(host, port)}/"


def exposure_notice(host, port, max_runs):
    """What the server says at start when it listens on more than this machine (host not
    loopback): a warning, and the address(es) the students type."""
    ip = _ip(host)
    if ip is not None and ip.is_unspecified and ip.version == 4:
        where = f"{host} (every IPv4 address of this machine)"
        addrs = own_addresses(socket.AF_INET)
    elif ip is not None and ip.is_unspecified:   # :: listens on 0.0.0.0 too (serve)
        where = f"{host} and 0.0.0.0 (every IPv6 and IPv4 address of this machine)"
        addrs = list(dict.fromkeys(own_addresses(socket.AF_INET) +
                                   own_addresses(socket.AF_INET6)))
    else:
        where, addrs = host, [host]
    text = textwrap.fill(
        f"WARNING: the page is open to other machines. Listening on {where}, not on 127.0.0.1 "
        f"only: anyone who can reach this machine on port {port} can open the page and start "
        "runs. Runs are bounded by "
        f"--max-runs ({max_runs} at once), and each takes only a preset's name and slider values "
        "checked against their bounds, never a path or a command. Use it on a network you trust, "
        "and stop it (Ctrl-C) after the class.", width=96, break_on_hyphens=False) + "\n"
    if len(addrs) == 1:
        text += f"students type: {url_of(addrs[0], port)}"
    elif addrs:
        text += "students type one of: " + "  ".join(url_of(a, port) for a in addrs) + \
            "  (the one on their network)"
    else:
        text += (f"students type: http://ADDRESS:{port}/ with this machine's address on the "
                 "classroom network\n(no address but loopback was found here: see the network "
                 "settings, or `ip addr`)")
    return text


async def serve(args):
    presets, scale, every = load_presets()
    teach = Teach(args.binary, args.max_runs, presets, args.scale or scale, every,
                  int(args.max_open_mb * 1024 ** 2), forced_scale=args.scale is not None,
                  max_queue=args.max_queue, keep_maps=args.keep_maps)
    try:
        app = make_app(teach)
        runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, args.host, args.port)
            await site.start()  # OSError when the port is taken
            port = site._server.sockets[0].getsockname()[1]
            ip = _ip(args.host)
            if ip is not None and ip.is_unspecified and ip.version == 6:
                # asyncio binds :: for IPv6 only (IPV6_V6ONLY): every address means IPv4's too,
                # as a teacher who typed :: would expect, on the same port
                await web.TCPSite(runner, "0.0.0.0", port).start()
            print(f"clustersim classroom: {url_of(_local(args.host), port)}  (Ctrl-C stops it "
                  f"and removes its runs)\nsession folder: {teach.session}", flush=True)
            if not is_loopback(args.host):
                print(exposure_notice(args.host, port, teach.max_runs), flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()
        finally:
            await runner.cleanup()
    finally:
        # the session folder goes whatever the way out (stopped, or the port was taken)
        shutil.rmtree(teach.session, ignore_errors=True)


def lowered(label):
    """A lever's label inside a run's label: its first word in lower case, unless it is an
    acronym ("R&D credit rate" stays so; "Subsidy per worker" becomes "subsidy per worker")."""
    first, _, rest = label.partition(" ")
    if sum(c.isupper() for c in first) < 2:
        first = first.lower()
    return first + (" " + rest if rest else "")


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="clustersim classroom page server (on 127.0.0.1 only, unless --host says "
                    "otherwise)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: "
                         "every address, for students on their own laptops: anyone who can "
                         "reach it can start runs, up to --max-runs at once)")
    ap.add_argument("--port", type=int, default=8765, help="port (0: any free one)")
    ap.add_argument("--max-runs", type=int, default=os.cpu_count() or 1,
                    help="runs at once (default: the number of cores)")
    ap.add_argument("--max-queue", type=int, default=30,
                    help="runs that wait for a free core, beyond which a run is refused "
                         "(default 30; 0: none wait)")
    ap.add_argument("--keep-maps", type=int, default=KEEP_MAPS,
                    help=f"finished runs whose maps the server keeps, the latest (default "
                         f"{KEEP_MAPS}, about 5 MB each at the page's scale); older runs keep "
                         "their charts")
    ap.add_argument("--max-open-mb", type=float, default=1024,
                    help="largest run file a page may open, in MB (default 1024)")
    ap.add_argument("--binary", default=os.path.join(ROOT, "clustersim"))
    ap.add_argument("--scale", type=float, default=None,
                    help="override the teaching scale of levers.cfg")
    args = ap.parse_args(argv)
    if args.max_runs < 1:
        ap.error("--max-runs must be at least 1")
    if args.max_queue < 0:
        ap.error("--max-queue must be 0 or more")
    if args.keep_maps < 0:
        ap.error("--keep-maps must be 0 or more")
    # clustersim's own range for scale: a mistyped one made every pupil's Run an error
    if args.scale is not None and not 0.0001 <= args.scale <= 1:
        ap.error("--scale must be from 0.0001 to 1 (agents relative to the UK; the page's "
                 "default is levers.cfg's 0.001)")
    if not args.max_open_mb > 0 or not math.isfinite(args.max_open_mb):
        ap.error("--max-open-mb must be a positive number")
    if not args.host.strip():
        ap.error("--host must be an address (0.0.0.0 for every address of this machine)")
    if not os.access(args.binary, os.X_OK):
        print(f"clustersim: error: {args.binary}: not built (run make)", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(args))
    except PresetError as e:
        print(f"clustersim: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        msg = f"clustersim: error: cannot listen on {host_port(args.host, args.port)}: {e}"
        if e.errno == errno.EADDRINUSE:
            # the usual case: the page started twice (a second `make teach`)
            msg += (f"\na classroom page (or another program) is probably already running on "
                    f"port {args.port}: open {url_of(_local(args.host), args.port)} in a "
                    f"browser, or start this one on another port (--port {args.port + 1}; "
                    f"`make teach TEACH_ARGS=\"--port {args.port + 1}\"`)")
        print(msg, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
