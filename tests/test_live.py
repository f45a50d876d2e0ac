"""`clustersim run --live` in a real terminal (tmux: send-keys, capture-pane) and
`--live-json`: the map and header appear and update, a too-small window gets a clear message,
a non-terminal stdout is refused with exit 2, and the run file is the same with or without the
live outputs."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import h5py
import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))
SCEN = os.path.join(ROOT, "scenarios", "tech_city.cfg")
TMUX = shutil.which("tmux")


class Tmux:
    """A private tmux server (its own socket) with one window of the given size."""

    def __init__(self, cols, rows):
        self.sock = "cs-live-" + uuid.uuid4().hex[:8]
        self.t(["new-session", "-d", "-s", "t", "-x", str(cols), "-y", str(rows)])

    def t(self, args):
        return subprocess.run([TMUX, "-L", self.sock, *args], capture_output=True, text=True,
                              timeout=30, env={**os.environ, "TERM": "xterm-256color"})

    def type(self, line):
        self.t(["send-keys", "-t", "t", line, "Enter"])

    def screen(self, escapes=False):
        return self.t(["capture-pane", "-p", "-t", "t"] + (["-e"] if escapes else [])).stdout

    def close(self):
        self.t(["kill-server"])


@pytest.fixture
def tmux():
    assert TMUX, "tmux is not installed (make deps)"
    made = []

    def make(cols, rows):
        made.append(Tmux(cols, rows))
        return made[-1]
    yield make
    for m in made:
        m.close()


def wait_for(cond, timeout=60):
    t0 = time.time()
    while time.time() - t0 < timeout:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    return None


def test_live_map_appears_and_updates(tmux, tmp_path):
    tm = tmux(80, 24)
    out = tmp_path / "live.h5"
    tm.type(f"{BIN} run {SCEN} --set scale=0.001 --steps 60 --threads 1 --live --live-every 2 "
            f"-o {out}; echo LIVE-$((1+1))DONE")
    headers = set()
    grabbed = None

    def progressed():
        nonlocal grabbed
        s = tm.screen()
        for line in s.splitlines():
            if line.startswith("clustersim live: tech_city  step "):
                headers.add(line)
                if grabbed is None and "step 0/" not in line:
                    grabbed = (s, tm.screen(escapes=True))
        return "LIVE-2DONE" in s  # the typed line shows $((1+1)), not 2
    assert wait_for(progressed, 120)
    # the header changed as the run went: several distinct steps were on screen
    assert len(headers) >= 3, headers
    screen, coloured = grabbed
    lines = screen.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "year " in lines[0]
    body = "\n".join(lines[1:])
    for word in ("employment", "unemployment", "output", "clusters per sector", "digital",
                 "workers per cell", "sea", "L London"):
        assert word in body, word
    assert body.count("\u2580") > 200  # the half-block map
    # every city letter on the map is named in the panel (at 80x24 six were not: the panel's
    # rows ran out before their names)
    start = lines[1].index("employment")
    on_map = {c for line in lines[1:] for c in line[:start - 2] if "A" <= c <= "Z"}
    named = {m.group(1) for line in lines[1:]
             for m in [re.match(r"([A-Z]) [A-Z]", line[start:])] if m}
    assert on_map and on_map <= named, (on_map, named)
    assert "\x1b[38;5;" in coloured and "\x1b[48;5;" in coloured  # 256-colour cells
    # the run finished and wrote its file; the final frame said step 60 (in the scrollback now)
    final = tm.t(["capture-pane", "-p", "-J", "-S", "-200", "-t", "t"]).stdout
    assert "step 60/60" in final and f"wrote {out}" in final
    assert out.exists()


def test_live_too_small_window(tmux, tmp_path):
    tm = tmux(30, 8)
    tm.type(f"{BIN} run {SCEN} --set scale=0.0005 --steps 8 --live -o {tmp_path / 's.h5'}; "
            "echo LIVE-$((1+1))DONE")
    s = wait_for(lambda: (lambda x: x if "LIVE-2DONE" in x else None)(tm.screen()), 60)
    assert s and "window too small for the map\n(30x8; it needs 40x12)" in s


def test_live_refuses_non_terminal(tmp_path):
    out = tmp_path / "x.h5"
    r = subprocess.run([BIN, "run", SCEN, "--live", "--steps", "2", "-o", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.startswith("clustersim: error: --live draws on a terminal")
    assert not out.exists() and r.stdout == ""


def run_on_pty(args, timeout=120):
    """Runs the binary with stdout on a pseudo-terminal, reading it as it comes (a frame is
    larger than the terminal's buffer); returns (exit status, seconds, bytes written)."""
    import pty
    import select
    master, slave = pty.openpty()
    t0 = time.monotonic()
    p = subprocess.Popen(args, stdout=slave, stderr=subprocess.DEVNULL, close_fds=True)
    os.close(slave)
    got = bytearray()
    while time.monotonic() - t0 < timeout:
        if select.select([master], [], [], 0.1)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed its end
                chunk = b""
            if not chunk and p.poll() is not None:
                break
            got += chunk
        elif p.poll() is not None:
            break
    rc = p.wait(timeout=10)
    os.close(master)
    return rc, time.monotonic() - t0, bytes(got)


def test_live_paces_its_frames(tmp_path):
    """--live waits between redraws so a small run can be watched: 21 frames (steps 0-20) at
    20 a second take at least a second, however fast the steps are (a lower bound: waiting
    guarantees it). --live-fps 0 draws the same frames without waiting; bad values exit 2."""
    common = [BIN, "run", SCEN, "--set", "scale=0.0005", "--steps", "20", "--live",
              "--live-every", "1", "--quiet"]
    rc, secs, out = run_on_pty(common + ["--live-fps", "20", "-o", str(tmp_path / "a.h5")])
    assert rc == 0 and secs >= 1.0, (rc, secs)
    assert out.count(b"clustersim live: tech_city  step ") == 21
    rc, secs, out = run_on_pty(common + ["--live-fps", "0", "-o", str(tmp_path / "b.h5")])
    assert rc == 0 and out.count(b"clustersim live: tech_city  step ") == 21
    for bad in ("-1", "1001", "x"):
        r = subprocess.run([BIN, "run", SCEN, "--live-fps", bad, "--steps", "1", "-o",
                            str(tmp_path / "c.h5")], capture_output=True, text=True, timeout=60)
        assert r.returncode == 2 and "--live-fps needs an integer from 0 to 1000" in r.stderr


def test_live_unknown_field(tmux, tmp_path):
    tm = tmux(80, 24)
    tm.type(f"{BIN} run {SCEN} --live=nonsense --steps 2 -o {tmp_path / 'x.h5'}; echo R''C=$?")
    s = wait_for(lambda: (lambda x: x if "RC=" in x else None)(tm.screen()), 60)
    assert "--live=nonsense: unknown field" in s and "RC=2" in s


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
        attrs = {k: v for k, v in f.attrs.items() if k != "created"}
    return out, attrs


def test_live_json_stream_and_same_run_file(tmp_path):
    a, b, js = tmp_path / "a.h5", tmp_path / "b.h5", tmp_path / "s.jsonl"
    common = [BIN, "run", SCEN, "--set", "scale=0.0005", "--steps", "12", "--quiet"]
    subprocess.run(common + ["-o", str(a), "--live-json", str(js), "--live-every", "3"],
                   check=True, timeout=120)
    subprocess.run(common + ["-o", str(b)], check=True, timeout=120)
    da, aa = datasets(a)
    db, ab = datasets(b)
    assert aa == ab and da.keys() == db.keys()
    for k in da:
        assert np.array_equal(da[k], db[k], equal_nan=da[k].dtype.kind == "f"), k
    lines = [json.loads(x) for x in js.read_text().splitlines()]
    assert lines[0]["type"] == "start" and lines[-1] == {"type": "end", "step": 12,
                                                         "complete": 1}
    frames = [m for m in lines if m["type"] == "frame"]
    series = [m for m in lines if m["type"] in ("frame", "series")]
    assert [f["step"] for f in frames] == [0, 3, 6, 9, 12]
    assert [s["step"] for s in series] == list(range(13))
    with h5py.File(a, "r") as f:
        emp = f["timeseries/employment"][()]
        spend = f["timeseries/spending"][()]
        cc = f["sectors/cluster_count"][()]
        final = f["snapshots/employment"][-1]
        land = f["landscape/land"][()].ravel().astype(bool)
    for s in series:
        assert s["employment"] == pytest.approx(emp[s["step"]], rel=1e-9)
        # what the policy costs, which the classroom page adds up
        assert s["spending"] == pytest.approx(spend[s["step"]], rel=1e-9, abs=0)
        assert s["cluster_count"] == [int(v) for v in cc[s["step"]]]
    assert any(s["spending"] > 0 for s in series)  # tech_city pays from its start, step 8
    scale = lines[0]["scale"]
    assert np.allclose(np.array(frames[-1]["employment_map"]) / scale, final.ravel()[land])


def test_live_json_end_says_whether_the_run_file_was_written(tmp_path):
    """The stream's end line said complete 1 once the last step was run, even where the run
    file then could not be written (a full disk: here a file size limit) and the run failed
    with no file; a reader took the run as done."""
    import resource
    import signal

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (250 * 1024, 250 * 1024))
    out, js = tmp_path / "full.h5", tmp_path / "s.jsonl"
    p = subprocess.run([BIN, "run", SCEN, "--set", "scale=0.0005", "--steps", "8", "--quiet",
                        "-o", str(out), "--live-json", "-"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=120, preexec_fn=limited)
    assert p.returncode == 1 and "disk full?" in p.stderr, p.stderr
    assert not out.exists()
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert lines[-1] == {"type": "end", "step": 8, "complete": 0}


def test_live_json_of_a_resumed_run_starts_with_its_start_line(tmp_path):
    """A resumed run's stream began at its first frame, without the start line (grid size,
    land, sectors) a reader needs to draw it."""
    out, ck = tmp_path / "r.h5", tmp_path / "r.ckpt.h5"
    common = [BIN, "run", SCEN, "--set", "scale=0.0005", "--steps", "8", "--quiet", "-o",
              str(out), "--checkpoint", str(ck)]
    p = subprocess.run(common + ["--stop-after", "3"], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 1 and ck.exists(), p.stderr
    p = subprocess.run(common + ["--resume", "--live-json", "-", "--live-every", "1"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert lines[0]["type"] == "start" and lines[0]["W"] > 0 and len(lines[0]["land"]) > 0
    assert [m["step"] for m in lines if m["type"] == "frame"] == [4, 5, 6, 7, 8]
    assert lines[-1] == {"type": "end", "step": 8, "complete": 1}


def test_run_file_replays_as_the_live_stream(tmp_path):
    """teach/runfile.py turns a run file into the stream's lines; at the snapshot steps its maps,
    the cluster map included (recomputed in numpy), equal the engine's live frames."""
    sys.path.insert(0, ROOT)
    from teach import runfile
    a, js = tmp_path / "a.h5", tmp_path / "s.jsonl"
    subprocess.run([BIN, "run", SCEN, "--set", "scale=0.0005", "--steps", "10", "--quiet",
                    "--set", "output.snapshot_every=5", "-o", str(a), "--live-json", str(js),
                    "--live-every", "5"], check=True, timeout=120)
    live = [json.loads(x) for x in js.read_text().splitlines()]
    replay = [json.loads(x) for x in runfile.lines(str(a))]
    lf = {m["step"]: m for m in live if m["type"] == "frame"}
    rf = {m["step"]: m for m in replay if m["type"] == "frame"}
    assert sorted(lf) == sorted(rf) == [0, 5, 10]
    for step in lf:
        for key in ("employment_map", "sector_map", "cluster_map"):
            assert lf[step][key] == rf[step][key], (step, key)
        assert np.allclose(lf[step]["rent_map"], rf[step]["rent_map"], rtol=1e-3)
    assert any(c >= 0 for c in lf[10]["cluster_map"])  # clusters were found
    # every step's spending, as the live stream carries it
    ls = [(m["step"], m["spending"]) for m in live if m["type"] in ("series", "frame")]
    rs = [(m["step"], m["spending"]) for m in replay if m["type"] in ("series", "frame")]
    assert [s for s, _ in ls] == [s for s, _ in rs] and \
        np.allclose([v for _, v in ls], [v for _, v in rs], rtol=1e-9, atol=0), (ls, rs)
