"""The classroom server (teach/server.py) refuses what it must not run: a path, an unknown
preset, a lever out of range and more runs than its limit, each with a clear error and no process
started; and it removes its runs when stopped, and its session folder when it cannot listen. It
listens on 127.0.0.1 only unless --host says otherwise, and then warns and says the addresses to
type."""
import json
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from teach_helpers import ROOT, BIN, Server


def post(url, body, path="api/run"):
    """(status, answer) of POST url+path (a run, by default) with body (JSON, or bytes)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def post_stop(url, rid, body):
    """(status, answer) of POST /api/runs/RID/stop with body."""
    return post(url, body, f"api/runs/{rid}/stop")


@pytest.fixture(scope="module")
def server():
    s = Server("--max-runs", "1")
    yield s
    s.stop()


def listening_on(port):
    """The local addresses of the sockets listening on a TCP port (Linux's /proc/net/tcp and
    tcp6), or None where there is no /proc/net/tcp."""
    if not os.path.exists("/proc/net/tcp"):
        return None
    out = []
    for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        if not os.path.exists(f"/proc/net/{name}"):
            continue
        with open(f"/proc/net/{name}") as f:
            next(f)
            for line in f:
                local, _, state = line.split()[1:4]
                addr, p = local.split(":")
                if int(p, 16) == port and state == "0A":  # LISTEN
                    raw = bytes.fromhex(addr)  # 32-bit words in host (little-endian) order
                    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                    out.append(socket.inet_ntop(family, raw))
    return out


def non_loopback_addresses():
    """This machine's IPv4 addresses other than loopback, on interfaces that are up (`ip -4
    addr`; without iproute2, the source address of a UDP socket connected outwards), found
    independently of the server's own search; [] when there is none."""
    try:
        r = subprocess.run(["ip", "-4", "-o", "addr", "show", "up"], capture_output=True,
                           text=True, timeout=30)
        found = re.findall(r"\binet (\d+\.\d+\.\d+\.\d+)/", r.stdout)
    except OSError:
        found = []
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                u.connect(("192.0.2.1", 9))
                found.append(u.getsockname()[0])
        except OSError:
            pass
    return sorted({a for a in found if not a.startswith("127.")})


def get_page(url):
    """The page's HTML from url, bypassing any proxy the environment names."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=30) as r:
        return r.status, r.read().decode()


def rest_of_output(s):
    """What the server prints after its first two lines, collected by a thread until it stops."""
    rest = []
    threading.Thread(target=lambda: rest.extend(s.proc.stdout), daemon=True).start()
    return rest


def test_listens_on_loopback_only_by_default():
    """Without --host: the URL is 127.0.0.1's, the only socket listening on the port is bound to
    127.0.0.1, the page cannot be reached on the machine's other addresses, and there is no
    warning."""
    s = Server("--max-runs", "1")
    try:
        assert s.url.startswith("http://127.0.0.1:")
        port = int(s.url.rstrip("/").rsplit(":", 1)[1])
        assert get_page(s.url)[0] == 200
        listening = listening_on(port)
        if listening is None:
            print("no /proc/net/tcp: the listening address was not read")
        else:
            assert listening == ["127.0.0.1"]
        addrs = non_loopback_addresses()
        if not addrs:
            print("this machine has no address but loopback: the page was not tried from one")
        for a in addrs:
            with pytest.raises(ConnectionRefusedError):
                socket.create_connection((a, port), timeout=10).close()
    finally:
        rc = s.stop()
    assert rc == 0
    rest = s.proc.stdout.read()
    assert "WARNING" not in rest and "students" not in rest


def test_host_every_address_warns_and_is_reachable():
    """--host 0.0.0.0 (a class on their own laptops): one warning that anyone who can reach the
    address can start runs, bounded by --max-runs and never with a path or a command; the URLs
    to type, on the machine's own addresses, through which the page is reachable (and it still
    is on 127.0.0.1)."""
    s = Server("--max-runs", "1", "--host", "0.0.0.0")
    rest = rest_of_output(s)
    try:
        deadline = time.time() + 30
        while not any(ln.startswith("students type") for ln in rest) and time.time() < deadline:
            time.sleep(0.05)
        text = "".join(rest)
        port = int(s.url.rstrip("/").rsplit(":", 1)[1])
        words = " ".join(text.split())  # the warning is wrapped
        assert words.startswith("WARNING: the page is open to other machines. Listening on "
                                "0.0.0.0 (every IPv4 address of this machine)"), text
        assert f"anyone who can reach this machine on port {port} can open the page and start " \
               "runs" in words
        assert "--max-runs (1 at once)" in words and "never a path or a command" in words
        assert text.count("WARNING") == 1
        assert get_page(s.url)[0] == 200  # the teacher's own browser, on 127.0.0.1
        listening = listening_on(port)
        if listening is not None:
            assert listening == ["0.0.0.0"]
        students = next(ln for ln in rest if ln.startswith("students type"))
        urls = re.findall(r"http://\d+\.\d+\.\d+\.\d+:\d+/", students)
        addrs = non_loopback_addresses()
        if not addrs:
            print("this machine has no address but loopback: the page was not tried from one")
            assert urls == [] and "this machine's address" in text
        else:
            assert urls, "no address to type, though the machine has " + ", ".join(addrs)
            for url in urls + [f"http://{a}:{port}/" for a in addrs]:
                assert not url.startswith("http://127.")
                status, html = get_page(url)
                assert status == 200 and "clustersim classroom" in html, url
    finally:
        rc = s.stop()
    assert rc == 0
    assert not os.path.exists(s.session)


def test_every_ipv6_address_means_ipv4_too():
    """--host :: listens on :: and on 0.0.0.0 (asyncio alone would bind IPv6 only): the page is
    reached on 127.0.0.1 and on ::1, and the warning says both."""
    s = Server("--max-runs", "1", "--host", "::")
    try:
        port = int(s.url.rstrip("/").rsplit(":", 1)[1])
        listening = listening_on(port)
        if listening is None:
            print("no /proc/net/tcp: the listening addresses were not read")
        else:
            assert sorted(listening) == ["0.0.0.0", "::"], listening
        assert get_page(f"http://127.0.0.1:{port}/")[0] == 200
        assert get_page(f"http://[::1]:{port}/")[0] == 200
    finally:
        rc = s.stop()
    assert rc == 0
    words = " ".join(s.proc.stdout.read().split())
    assert "Listening on :: and 0.0.0.0 (every IPv6 and IPv4 address of this machine)" in words


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.0.2.7", False), ("no.such.host.invalid", False),
])
def test_which_hosts_warn(host, loopback):
    """The warning is for every address but loopback ones (and names of loopback only)."""
    sys.path.insert(0, ROOT)
    from teach import server as srv
    assert srv.is_loopback(host) == loopback


def test_warning_without_an_address_to_type(monkeypatch):
    """Where no address of the machine is found, the warning says to use its address."""
    sys.path.insert(0, ROOT)
    from teach import server as srv
    monkeypatch.setattr(srv, "own_addresses", lambda family: [])
    text = srv.exposure_notice("0.0.0.0", 8765, 2)
    assert "students type: http://ADDRESS:8765/ with this machine's address" in text
    monkeypatch.setattr(srv, "own_addresses", lambda family: ["fd00::5"])
    assert srv.exposure_notice("::", 8765, 2).endswith("students type: http://[fd00::5]:8765/")
    assert srv.exposure_notice("192.0.2.7", 80, 2).endswith("students type: "
                                                             "http://192.0.2.7:80/")


def test_presets_carry_texts_and_bounded_levers(server):
    with urllib.request.urlopen(server.url + "api/presets", timeout=30) as r:
        data = json.loads(r.read())
    names = [p["name"] for p in data["presets"]]
    assert "tech_city" in names and "baseline" in names
    tc = next(p for p in data["presets"] if p["name"] == "tech_city")
    assert "Shoreditch" in tc["description"] and tc["question"].endswith("?")
    assert len(tc["look_for"]) > 100
    pw = next(lv for lv in tc["levers"] if lv["key"] == "policies.[0].per_worker")
    # a money lever: bounds relative to the preset's own value (0 to 3x), on a round step (it
    # was 0.1x the preset's 293 pounds, and the slider read 380.9)
    step = pw["step"]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(mantissa == pytest.approx(m) for m in (1, 2, 2.5, 5)), step
    assert 0.05 * pw["default"] < step <= 0.1 * pw["default"], pw
    assert pw["min"] == 0 and pw["default"] > 0 and \
        3 * pw["default"] - step < pw["max"] <= 3 * pw["default"], pw
    assert (pw["max"] / step) == pytest.approx(round(pw["max"] / step)), pw
    # a share shown as a percentage; a year lever says after how long
    iz = {lv["label"]: lv for lv in next(p for p in data["presets"]
                                         if p["name"] == "investment_zones")["levers"]}
    assert iz["Profit tax cut"]["percent"] and iz["Profit tax cut"]["unit"] == ""
    assert not pw["percent"] and "Zones close after" in iz
    assert data["keep_maps"] == 40  # finished runs whose maps the server keeps
    # every preset runs at the page's scale but those whose story needs more agents
    scales = {p["name"]: p["scale"] for p in data["presets"]}
    assert scales["aberdeen_energy"] == 0.002 and scales["tech_city"] == data["scale"] == 0.001


def test_a_preset_runs_at_its_own_scale_unless_the_server_sets_one():
    """aberdeen_energy's cluster fades at the page's 0.001 even in the baseline (about 30 energy
    agents), so the preset runs at 0.002; --scale, a teacher's choice, still sets every one."""
    def start_scale(s, preset):
        code, info = post(s.url, {"preset": preset})
        assert code == 200, info
        for line in events_of(s.url, info["id"]):
            if line.get("type") == "start":
                return line["scale"]
    s = Server("--max-runs", "1")
    try:
        assert start_scale(s, "aberdeen_energy") == 0.002
    finally:
        s.stop()
    s = Server("--max-runs", "1", "--scale", "0.0005")
    try:
        assert start_scale(s, "aberdeen_energy") == 0.0005
    finally:
        s.stop()


@pytest.mark.parametrize("body, words", [
    ({"preset": "/etc/passwd"}, "unknown preset"),
    ({"preset": "../scenarios/tech_city"}, "unknown preset"),
    ({"preset": "tech_city; rm -rf /"}, "unknown preset"),
    ({"preset": "no_such_preset"}, "unknown preset"),
    ({"preset": "tech_city", "levers": {"policies.[0].per_worker": 1e9}}, "out of range"),
    ({"preset": "tech_city", "levers": {"policies.[0].per_worker": -0.1}}, "out of range"),
    ({"preset": "tech_city", "levers": {"policies.[0].end": 2}}, "out of range"),
    ({"preset": "tech_city", "levers": {"output.compression": 1}}, "no lever"),
    ({"preset": "tech_city", "levers": {"policies.[0].per_worker": "0.1 --set x=1"}},
     "must be a number"),
    ({"preset": "tech_city", "levers": {"policies.[0].end": 10 ** 400}}, "out of range"),
    ({"preset": "tech_city", "levers": {"policies.[0].end": -10 ** 400}}, "out of range"),
    ({"preset": "tech_city", "levers": {"policies.[0].credibility": 1.001}}, "out of range"),
    ({"preset": "tech_city", "levers": 0}, "levers must be an object"),
    ({"preset": "tech_city", "levers": False}, "levers must be an object"),
    ({"preset": "tech_city", "levers": None}, "levers must be an object"),
    ({"preset": "tech_city", "levers": ""}, "levers must be an object"),
    ({"preset": "tech_city", "levers": [1]}, "levers must be an object"),
    ({"preset": "tech_city", "seed": 0}, "seed must be"),
    ({"preset": "tech_city", "seed": 1.5}, "seed must be"),
    ({"preset": "tech_city", "command": "ls"}, "unknown field"),
])
def test_refuses_bad_requests_without_starting_anything(server, body, words):
    code, data = post(server.url, body)
    assert code == 400
    assert words in data["error"]
    assert server.children() == []
    assert os.listdir(server.session) == []


@pytest.mark.parametrize("scale", ["5", "0", "nan", "-0.001", "1e-6"])
def test_a_scale_outside_clustersims_range_is_refused_at_start(scale):
    """A mistyped --scale started the server, and then every pupil's Run failed with the
    engine's range error in place of the map."""
    r = subprocess.run([sys.executable, os.path.join(ROOT, "teach", "server.py"), "--scale",
                        scale, "--port", "0"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--scale must be from 0.0001 to 1" in r.stderr, r.stderr


def test_refuses_non_json(server):
    code, data = post(server.url, b"preset=tech_city")
    assert code == 400 and "JSON" in data["error"]


def test_deep_json_and_a_preset_not_a_text_are_refused_with_400():
    """JSON nested deeper than Python's parser goes ('[' * 30000, within the 64 KB limit) gave
    a 500 and a RecursionError traceback in the teacher's terminal, to a run or a stop request:
    now 400, as any body that is not JSON. {"preset": null} answered "unknown preset None",
    Python's spelling: now that the preset must be a text."""
    s = Server("--max-runs", "1", "--scale", "0.004")  # a run that outlasts the requests
    try:
        deep = b"[" * 30000 + b"]" * 30000
        code, data = post(s.url, deep)
        assert code == 400 and "must be JSON" in data["error"], data
        code, run = post(s.url, {"preset": "baseline"})
        assert code == 200, run
        for body in (deep, b'{"token": ' + deep + b"}", b"token=x"):
            code, data = post_stop(s.url, run["id"], body)
            assert code == 400 and "must be JSON" in data["error"], data
        for preset in (None, 5, ["baseline"], {"name": "baseline"}):
            code, data = post(s.url, {"preset": preset})
            assert code == 400 and data["error"].startswith(
                "preset must be a text, the name of one of: baseline, "), data
            assert "None" not in data["error"]
        code, data = post(s.url, {"preset": "no such"})
        assert code == 400 and data["error"].startswith('unknown preset "no such"; '), data
        assert len(s.children()) == 1  # the one run, going on
    finally:
        rc = s.stop()
    err = s.proc.stderr.read()
    assert rc == 0
    assert "Traceback" not in err and "RecursionError" not in err, err[-3000:]


def test_caps_concurrent_runs_and_cleans_up_on_stop():
    # a run that outlasts the test's requests; no queue, so a second run is refused
    s = Server("--max-runs", "1", "--max-queue", "0", "--scale", "0.004")
    events = []

    def listen(rid):
        with urllib.request.urlopen(s.url + f"api/runs/{rid}/events", timeout=120) as r:
            for raw in r:
                events.append(raw.decode().strip())
    try:
        code, first = post(s.url, {"preset": "baseline", "seed": 3})
        assert code == 200 and first["status"] == "running"
        assert len(s.children()) == 1
        code, data = post(s.url, {"preset": "tech_city"})
        assert code == 429
        assert "too many runs at once" in data["error"] and "limit is 1" in data["error"] and \
            "0 waiting" in data["error"], data
        assert len(s.children()) == 1  # no second process
        # opening a run file holds a core as a run does: refused too, and nothing is kept
        code, data = post_open(s.url, b"\x89HDF\r\n\x1a\n" + b"0" * 4096)
        assert code == 429 and "too many runs at once" in data["error"], data
        assert all(n.startswith(first["id"] + ".h5") for n in os.listdir(s.session)), \
            os.listdir(s.session)   # the run's own file (its temporary name while it runs)
        reader = threading.Thread(target=listen, args=(first["id"],))
        reader.start()
        deadline = time.time() + 60
        while not any(e.startswith("data: ") for e in events) and time.time() < deadline:
            time.sleep(0.05)
        assert len(s.children()) == 1  # still running while the page watches
    finally:
        rc = s.stop()
    reader.join(30)
    assert rc == 0
    # the page watching the run was told it stopped, by the server (not by a Stop), and why;
    # nothing is left
    status = json.loads(next(e for e in events if e.startswith('data: {"id"'))[6:])
    assert status["status"] == "stopped" and status["stopped_by"] == "server" and \
        status["error"] == "the classroom server was stopped", status
    assert s.children() == []
    assert not os.path.exists(s.session)


def test_runs_asked_for_at_the_same_moment_keep_to_the_limit():
    """A class pressing Run together: the limit was checked before a run's process started but
    a run counted only once it had, so requests at the same moment all passed the check (five
    runs on a limit of two)."""
    from concurrent.futures import ThreadPoolExecutor
    # runs that outlast the requests; two may wait in the queue
    s = Server("--max-runs", "2", "--max-queue", "2", "--scale", "0.004")
    try:
        with ThreadPoolExecutor(6) as ex:
            got = list(ex.map(lambda i: post(s.url, {"preset": "baseline", "seed": 100 + i}),
                              range(6)))
        codes = sorted(c for c, _ in got)
        assert codes == [200, 200, 200, 200, 429, 429], got
        assert sorted(d.get("status") for c, d in got if c == 200) == \
            ["queued", "queued", "running", "running"], got
        assert len(s.children()) == 2
    finally:
        rc = s.stop()
    assert rc == 0 and s.children() == []


def test_stream_of_a_run(server):
    """A run's events: start, a frame every few steps, then its status; the maps add up."""
    code, info = post(server.url, {"preset": "tech_city", "seed": 2,
                                   "levers": {"policies.[0].end": 10}})
    assert code == 200
    lines = []
    with urllib.request.urlopen(server.url + f"api/runs/{info['id']}/events", timeout=120) as r:
        for raw in r:
            raw = raw.decode().strip()
            if raw.startswith("data: "):
                lines.append(json.loads(raw[6:]))
    start, status = lines[0], lines[-1]
    assert start["type"] == "start" and start["scenario"] == "tech_city" and start["seed"] == 2
    # the server adds which sectors are tradable (the page's cluster layer shows those only)
    assert start["tradable"] == [n != "local_services" for n in start["sectors"]]
    assert status["status"] == "complete"
    frames = [m for m in lines if m.get("type") == "frame"]
    assert [f["step"] for f in frames] == list(range(0, start["steps"] + 1, start["every"]))
    for f in frames:
        assert sum(f["employment_map"]) / start["scale"] == pytest.approx(f["employment"])
    time.sleep(0.2)
    assert server.children() == []


def events_of(url, rid):
    """The data lines of a run's event stream, read to its end."""
    lines = []
    with urllib.request.urlopen(url + f"api/runs/{rid}/events", timeout=120) as r:
        for raw in r:
            raw = raw.decode().strip()
            if raw.startswith("data: "):
                lines.append(json.loads(raw[6:]))
    return lines


@pytest.mark.parametrize("key, given, used", [
    ("policies.[0].credibility", 1.0000000005, 1.0),
    ("policies.[0].credibility", -5e-10, 0.0),
    ("policies.[0].end", 40.00000001, 40),
])
def test_value_off_a_bound_by_rounding_is_taken_as_the_bound(server, key, given, used):
    """Within 1e-9 of a bound (float rounding) is accepted and the engine gets the bound itself:
    the run completes instead of failing on the engine's own range check."""
    code, info = post(server.url, {"preset": "tech_city", "levers": {key: given}})
    assert code == 200
    assert info["values"][key] == used
    status = events_of(server.url, info["id"])[-1]
    assert status["status"] == "complete", status["error"]


@pytest.mark.parametrize("host", [None, "0.0.0.0"])
def test_port_in_use_exits_1_and_leaves_no_session_folder(tmp_path, host):
    """The message names the address the server tried (127.0.0.1 without --host)."""
    busy = socket.socket()
    busy.bind((host or "127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "teach", "server.py"),
                            "--port", str(port), "--binary", BIN]
                           + (["--host", host] if host else []),
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "TMPDIR": str(tmp_path)})
    finally:
        busy.close()
    assert r.returncode == 1
    assert f"cannot listen on {host or '127.0.0.1'}:{port}" in r.stderr
    # the likely cause and the way out (it was only "address already in use")
    words = " ".join(r.stderr.split())
    assert f"a classroom page (or another program) is probably already running on port {port}: " \
           f"open http://127.0.0.1:{port}/ in a browser, or start this one on another port " \
           f"(--port {port + 1};" in words, r.stderr
    assert os.listdir(tmp_path) == []  # no clustersim-teach-* session folder left behind


def test_run_file_start_line_says_which_sectors_are_tradable(tmp_path):
    """An opened run file's stream carries the tradable flags of the file's own config."""
    import sys
    sys.path.insert(0, ROOT)
    from teach import runfile
    path = str(tmp_path / "short.h5")
    subprocess.run([BIN, "run", os.path.join(ROOT, "scenarios", "baseline.cfg"), "--steps", "4",
                    "--set", "scale=0.0005", "--quiet", "-o", path], check=True, timeout=120)
    start = json.loads(runfile.lines(path)[0])
    assert start["tradable"] == [n != "local_services" for n in start["sectors"]]


def post_open(url, data, name="run.h5"):
    """POST bytes to /api/open as the page's file picker does: (status, JSON answer)."""
    req = urllib.request.Request(url + "api/open", data=data, headers={"X-File-Name": name})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_open_refuses_a_file_over_the_size_limit_and_keeps_nothing(tmp_path):
    """--max-open-mb bounds what a page may post: a larger file is refused with 413 whether the
    request says its length (checked first) or not (checked as it streams), and no part of it
    is left in the session folder; a file within the limit but not a run file gets 400, and is
    not kept either."""
    s = Server("--max-runs", "1", "--max-open-mb", "0.25")
    try:
        big = b"\x89HDF\r\n\x1a\n" + os.urandom(400 * 1024)
        code, data = post_open(s.url, big, "big.h5")
        assert code == 413 and "big.h5" in data["error"] and "0.25 MB" in data["error"], data
        # without Content-Length (chunked): the limit is met while the body streams in

        def chunks():
            for i in range(0, len(big), 64 * 1024):
                yield big[i:i + 64 * 1024]
        req = urllib.request.Request(s.url + "api/open", data=chunks(),
                                     headers={"X-File-Name": "big2.h5",
                                              "Transfer-Encoding": "chunked"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        except (ConnectionError, urllib.error.URLError):
            code = 413   # the server may close the connection while the client still sends
        assert code == 413
        code, data = post_open(s.url, b"not a run file", "junk.h5")
        assert code == 400 and "junk.h5: not a clustersim run file" in data["error"]
        assert os.listdir(s.session) == []
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            listed = json.loads(r.read())
            assert listed["runs"] == [] and listed["running"] == 0, listed
    finally:
        assert s.stop() == 0


def open_file(url, path):
    """POST a run file to the server as the page's file picker does; the run's info."""
    with open(path, "rb") as f:
        req = urllib.request.Request(url + "api/open", data=f.read(),
                                     headers={"X-File-Name": os.path.basename(path)})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def test_opened_file_gets_regions_and_policy_areas(server, tmp_path):
    """An opened run file's stream carries what a live run's does for the page's regional chart
    and policy outlines: a regions line right after the start line, the same as a live run of
    the preset gets, and where the file's policies act (from the file's own config, as the
    preset's areas); the regions' employment from its frames is the file's /regions/employment."""
    import h5py
    path = str(tmp_path / "ltf.h5")
    subprocess.run([BIN, "run", os.path.join(ROOT, "scenarios", "long_term_funding.cfg"),
                    "--steps", "8", "--set", "scale=0.0005", "--set", "output.snapshot_every=4",
                    "--quiet", "-o", path], check=True, timeout=120)
    info = open_file(server.url, path)
    assert info["status"] == "complete" and info["preset"] is None
    # labelled by its scenario and seed, as a live run is, then the file's name
    assert re.fullmatch(r"#\d+ long_term_funding seed 1 \(ltf\.h5\)", info["label"]), info
    lines = events_of(server.url, info["id"])
    start, reg = lines[0], lines[1]
    assert start["type"] == "start" and reg["type"] == "regions"
    with urllib.request.urlopen(server.url + "api/presets", timeout=30) as r:
        presets = {p["name"]: p for p in json.loads(r.read())["presets"]}
    assert start["areas"] == presets["long_term_funding"]["areas"] == [
        {"name": "steady", "kind": "regions", "regions": ["North East"]}]
    # the regions line of a live run of the same preset
    code, live = post(server.url, {"preset": "long_term_funding"})
    assert code == 200
    live_reg = next(m for m in events_of(server.url, live["id"]) if m.get("type") == "regions")
    assert reg == live_reg
    # the page's regional chart (a region's cells of each frame's map) against the file
    frames = [m for m in lines if m.get("type") == "frame"]
    assert [f["step"] for f in frames] == [0, 4, 8]
    with h5py.File(path, "r") as f:
        emp = f["regions/employment"][()]
        names = [str(n) for n in f["regions/employment"].attrs["names"]]
    for fr in frames:
        for k, name in enumerate(reg["names"]):
            got = sum(e for e, r in zip(fr["employment_map"], reg["region_map"]) if r == k)
            assert got / start["scale"] == pytest.approx(emp[fr["step"]][names.index(name)])


def test_opened_file_without_policies_has_no_areas(tmp_path):
    """A file of a preset with no policies: an empty area list (and still its regions)."""
    sys.path.insert(0, ROOT)
    from teach import runfile
    path = str(tmp_path / "base.h5")
    subprocess.run([BIN, "run", os.path.join(ROOT, "scenarios", "baseline.cfg"), "--steps", "4",
                    "--set", "scale=0.0005", "--quiet", "-o", path], check=True, timeout=120)
    lines = [json.loads(ln) for ln in runfile.lines(path)]
    assert lines[0]["areas"] == []
    assert lines[1]["type"] == "regions" and len(lines[1]["region_map"]) == sum(lines[0]["land"])


def wait_done(url, rid, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with urllib.request.urlopen(url + "api/runs", timeout=30) as r:
            info = next(x for x in json.loads(r.read())["runs"] if x["id"] == rid)
        if info["status"] != "running":
            return info
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def test_a_page_that_goes_away_leaves_no_traceback():
    """A tab closed or reloaded while its run streams: the stream ends quietly (no traceback in
    the teacher's terminal) and the run goes on to the end."""
    s = Server("--max-runs", "2", "--scale", "0.004")
    try:
        code, info = post(s.url, {"preset": "baseline", "seed": 1})
        assert code == 200
        host, port = s.url.split("//")[1].strip("/").split(":")
        for _ in range(3):  # a few pages, each gone after its first lines
            sock = socket.create_connection((host, int(port)), timeout=30)
            sock.sendall(f"GET /api/runs/{info['id']}/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
                         .encode())
            got = b""
            while got.count(b"data: ") < 2:
                got += sock.recv(65536)
            # a reset, as a browser closing the tab sends when data is still arriving
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
            time.sleep(0.3)
        done = wait_done(s.url, info["id"])
        assert done["status"] == "complete"
    finally:
        rc = s.stop()
    err = s.proc.stderr.read()
    assert rc == 0
    assert "Traceback" not in err and "Error" not in err, err[-3000:]


def test_runs_are_numbered_and_carry_their_regions():
    """Two runs of the same settings get different labels (#1, #2); a run's stream carries the
    region of each land cell (the page's regional chart and policy outlines) before its status;
    a preset says where its policies act."""
    s = Server("--max-runs", "2")
    try:
        with urllib.request.urlopen(s.url + "api/presets", timeout=30) as r:
            presets = {p["name"]: p for p in json.loads(r.read())["presets"]}
        assert presets["tech_city"]["areas"] == [
            {"name": "tech_city", "kind": "circle", "x": 79.0, "y": 129.5, "r": 1.5}]
        assert presets["long_term_funding"]["areas"][0]["regions"] == ["North East"]
        assert presets["baseline"]["areas"] == []
        labels = []
        for _ in range(2):
            code, info = post(s.url, {"preset": "baseline", "seed": 1})
            assert code == 200
            labels.append(info["label"])
            lines = events_of(s.url, info["id"])
        assert labels == ["#1 baseline seed 1", "#2 baseline seed 1"]
        # a lever's value in the label as the page's slider shows it: 2.68M, not 2.68e+06
        code, info = post(s.url, {"preset": "university_clusters", "seed": 1,
                                  "levers": {"policies.[0].amount": 2680000.0}})
        assert code == 200 and info["label"] == \
            "#3 university_clusters seed 1 (funding per university 2.68M)", info
        # an acronym keeps its capitals ("r&d credit rate" was lower-cased whole)
        code, info = post(s.url, {"preset": "rd_credits", "seed": 1,
                                  "levers": {"policies.[0].rate": 0.6}})
        # a share as the page's slider shows it, a percentage
        assert code == 200 and info["label"] == "#4 rd_credits seed 1 (R&D credit rate 60%)", info
        kinds = [m.get("type", "status") for m in lines]
        assert "regions" in kinds and kinds[-1] == "status"
        reg = next(m for m in lines if m.get("type") == "regions")
        start = lines[0]
        assert len(reg["region_map"]) == sum(start["land"])
        assert "North East" in reg["names"] and "London" in reg["names"]
        assert max(reg["region_map"]) < len(reg["names"]) and min(reg["region_map"]) >= 0
    finally:
        s.stop()


def test_stop_a_run_only_with_its_token():
    """A run is stopped for the page that started it (it alone got the run's stop_token): a
    wrong or missing token is refused (403) and the run goes on; the right one ends its
    process, the stream ends "stopped", and the run no longer counts to the limit. The list of
    runs, which every page reads, carries no token, and it names the server's session."""
    s = Server("--max-runs", "1", "--scale", "0.004")  # a run that outlasts the requests

    def stop(rid, body):
        return post_stop(s.url, rid, body)
    try:
        code, run = post(s.url, {"preset": "baseline", "seed": 5})
        assert code == 200 and len(run["stop_token"]) == 32, run
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            listed = json.loads(r.read())
        assert "stop_token" not in json.dumps(listed) and re.fullmatch(r"[0-9a-f]{16}",
                                                                        listed["session"])
        for body in ({}, {"token": "0" * 32}, {"token": 5}):
            code, data = stop(run["id"], body)
            assert code == 403 and "only the page that started a run" in data["error"], data
        assert len(s.children()) == 1
        code, data = stop("r999abcdef", {"token": run["stop_token"]})
        assert code == 404
        # stopped once it streams frames: in its loop, so it writes a checkpoint as it stops
        # (the server removed ID.h5.ckpt.h5, a sweep's name, and left this ID.ckpt.h5)
        deadline = time.time() + 60
        while True:
            with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
                mine = [x for x in json.loads(r.read())["runs"] if x["id"] == run["id"]]
            if mine and mine[0]["frames"] > 0:
                break
            assert time.time() < deadline, mine
            time.sleep(0.05)
        code, data = stop(run["id"], {"token": run["stop_token"]})
        assert code == 200 and data["id"] == run["id"], data
        lines = []
        with urllib.request.urlopen(s.url + f"api/runs/{run['id']}/events", timeout=120) as r:
            for raw in r:
                lines.append(raw.decode().strip())
        status = json.loads([x for x in lines if x.startswith('data: {"id"')][-1][6:])
        assert status["status"] == "stopped" and "stopped from the page" in status["error"]
        assert status["stopped_by"] == "page"
        assert status["frames"] < 40  # 160 steps, a frame every 4: it did not run to its end
        assert s.children() == []
        # the engine's checkpoint and partial file, of no use to anyone, are gone
        assert not [n for n in os.listdir(s.session) if n.startswith(run["id"])], \
            os.listdir(s.session)
        # a large body is refused before it is read
        code, data = stop(run["id"], {"token": "x" * 100000})
        assert code == 413, data
        code, data = stop(run["id"], {"token": run["stop_token"]})
        assert code == 409 and "has ended already (stopped)" in data["error"], data
        code, second = post(s.url, {"preset": "baseline", "seed": 6})  # the limit is free
        assert code == 200, second
    finally:
        rc = s.stop()
    assert rc == 0 and s.children() == []


def test_runs_past_the_limit_wait_in_a_queue_and_start_in_order():
    """A class pressing Run together on a laptop of two cores: the runs past --max-runs wait
    in a queue (status queued, how many are ahead) and start in order as runs end, never more
    at once than the limit; a queued run stopped by its page leaves the queue unstarted."""
    s = Server("--max-runs", "1", "--scale", "0.002")

    def stop(rid, token):
        return post_stop(s.url, rid, {"token": token})
    try:
        got = [post(s.url, {"preset": "baseline", "seed": i}) for i in (1, 2, 3, 4)]
        assert [c for c, _ in got] == [200] * 4, got
        first, second, third, fourth = (d for _, d in got)
        assert first["status"] == "running" and "ahead" not in first
        assert [(d["status"], d["ahead"]) for d in (second, third, fourth)] == \
            [("queued", 0), ("queued", 1), ("queued", 2)]
        # the third leaves the queue; the fourth moves up
        code, data = stop(third["id"], third["stop_token"])
        assert code == 200 and data["status"] == "stopped" and data["stopped_by"] == "page", data
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            listed = {d["id"]: d for d in json.loads(r.read())["runs"]}
        assert listed[fourth["id"]]["ahead"] == 1 and listed[third["id"]]["status"] == "stopped"
        peak = 0
        # the fourth's stream waits through the queue, then streams the run to its end
        lines = []
        done = threading.Event()

        def watch():
            while not done.is_set():
                nonlocal peak
                peak = max(peak, len(s.children()))
                time.sleep(0.02)
        threading.Thread(target=watch, daemon=True).start()
        lines = events_of(s.url, fourth["id"])
        done.set()
        assert lines[0]["type"] == "start" and lines[-1]["status"] == "complete", lines[-1]
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            listed = {d["id"]: d for d in json.loads(r.read())["runs"]}
        assert [listed[d["id"]]["status"] for d in (first, second, third, fourth)] == \
            ["complete", "complete", "stopped", "complete"]
        assert peak == 1, peak  # one run at a time, as the limit says
        assert not any(n.startswith(third["id"]) for n in os.listdir(s.session))  # never ran
    finally:
        rc = s.stop()
    assert rc == 0 and s.children() == []


def test_a_chunked_body_too_large_is_refused_unread():
    """A body sent chunked has no length to check first: it was read whole, up to
    --max-open-mb (1 GiB), before being refused or run. Now reading stops past 64 KB: 413, and
    no run."""
    import http.client
    s = Server("--max-runs", "1")
    try:
        host, port = s.url.split("//")[1].rstrip("/").split(":")
        c = http.client.HTTPConnection(host, int(port), timeout=60)
        body = json.dumps({"preset": "baseline", "seed": 1, "pad": "x" * 300000}).encode()
        chunks = (body[i:i + 8192] for i in range(0, len(body), 8192))
        try:
            c.request("POST", "/api/run", body=chunks,
                      headers={"Content-Type": "application/json"}, encode_chunked=True)
            r = c.getresponse()
            code, data = r.status, json.loads(r.read())
        except (BrokenPipeError, ConnectionResetError):
            code, data = 413, {}  # it may close the connection while the client still sends
        assert code == 413, data
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            assert json.loads(r.read())["runs"] == []
    finally:
        s.stop()


def _final_status(url, rid):
    with urllib.request.urlopen(url + f"api/runs/{rid}/events", timeout=120) as r:
        lines = [raw.decode().strip() for raw in r]
    return json.loads([x for x in lines if x.startswith('data: {"id"')][-1][6:])


def test_a_crashed_or_unreadable_run_fails_and_frees_its_slot(tmp_path):
    """A run that no one stopped but that died by a signal (a crash, the out-of-memory killer)
    read as "stopped", as if a pupil had stopped it; and a run whose output the server could
    not read (a start line cut short) left its slot taken for good, so queued runs never
    started. Both now end "failed", with the reason, and the next run in the queue starts."""
    fake = tmp_path / "fake.sh"
    fake.write_text(f"""#!/bin/sh
case " $* " in
  *" --seed 7 "*"--live-json"*|*"--live-json"*" --seed 7 "*) kill -SEGV $$ ;;
  *" --seed 8 "*"--live-json"*|*"--live-json"*" --seed 8 "*) printf '{{"type":"start"\\n'; exit 0 ;;
esac
exec {BIN} "$@"
""")
    fake.chmod(0o755)
    s = Server("--max-runs", "1", "--binary", str(fake))
    try:
        code, crashed = post(s.url, {"preset": "baseline", "seed": 7})
        assert code == 200, crashed
        code, cut = post(s.url, {"preset": "baseline", "seed": 8})
        assert code == 200, cut
        code, fine = post(s.url, {"preset": "baseline", "seed": 9})
        assert code == 200, fine
        st = _final_status(s.url, crashed["id"])
        assert st["status"] == "failed" and st["error"] == "clustersim was killed by signal 11", st
        st = _final_status(s.url, cut["id"])
        assert st["status"] == "failed" and st["error"].startswith(
            "the server could not read the run's output (JSONDecodeError"), st
        assert _final_status(s.url, fine["id"])["status"] == "complete"
    finally:
        s.stop()


def test_only_the_latest_finished_runs_keep_their_maps(tmp_path):
    """The server kept every run's stream for the session, about 5 MB of maps a run at the
    page's scale (207 MB after a class's 55 runs). Now only the --keep-maps (40) runs that
    finished last keep their maps: an older run's stream has a series line in place of each
    frame (its charts keep every point), no maps, and says maps_dropped. An opened file counts
    as a finished run."""
    s = Server("--max-runs", "1", "--keep-maps", "1", "--scale", "0.0005")
    try:
        code, first = post(s.url, {"preset": "baseline", "seed": 1})
        assert code == 200
        full = events_of(s.url, first["id"])
        assert full[-1]["status"] == "complete" and "maps_dropped" not in full[-1]
        code, second = post(s.url, {"preset": "baseline", "seed": 2})
        assert code == 200
        assert wait_done(s.url, second["id"])["status"] == "complete"
        kept = events_of(s.url, first["id"])
        assert kept[-1]["maps_dropped"] is True and kept[-1]["frames"] == 0, kept[-1]
        assert not any(m.get("type") == "frame" for m in kept)
        assert len(kept) == len(full)
        for was, now in zip(full[:-1], kept[:-1]):
            if was.get("type") == "frame":
                assert now == {**{k: v for k, v in was.items() if not k.endswith("_map")},
                               "type": "series"}
            else:
                assert now == was
        assert any(m.get("type") == "frame" for m in events_of(s.url, second["id"]))
        # an opened file finishes at once: the second run's maps go
        path = str(tmp_path / "base.h5")
        subprocess.run([BIN, "run", os.path.join(ROOT, "scenarios", "baseline.cfg"), "--steps",
                        "4", "--set", "scale=0.0005", "--quiet", "-o", path], check=True,
                       timeout=120)
        opened = open_file(s.url, path)
        assert opened["frames"] > 0 and "maps_dropped" not in opened
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            listed = {d["id"]: d for d in json.loads(r.read())["runs"]}
        assert listed[second["id"]].get("maps_dropped") and listed[second["id"]]["frames"] == 0
        assert not listed[opened["id"]].get("maps_dropped")
        with urllib.request.urlopen(s.url + "api/presets", timeout=30) as r:
            assert json.loads(r.read())["keep_maps"] == 1
    finally:
        rc = s.stop()
    assert rc == 0


def test_the_engines_warnings_reach_the_page():
    """The server dropped the engine's stderr when a run succeeded, so its warnings never
    reached the page: picking_winners' 500 firms at a forced --scale 0.001 are half a simulated
    firm, which the engine rounds to one (1,000 firms, paid for: "200% of the count asked"),
    and the page said 500. Each warning is now a "warning" line of the run's stream, as it
    comes, and in the run's info (the list's and the stream's final status), in the engine's
    words after "clustersim: warning: ", with paths relative to the repository."""
    s = Server("--max-runs", "1", "--scale", "0.001")
    try:
        code, info = post(s.url, {"preset": "picking_winners", "seed": 1})
        assert code == 200, info
        lines = events_of(s.url, info["id"])
        status = lines[-1]
        assert status["status"] == "complete", status
        warned = [m["text"] for m in lines if m.get("type") == "warning"]
        assert len(warned) == 1, warned
        w = warned[0]
        assert w.startswith("scenarios/picking_winners.cfg: policies.[0] (champions): count 500 "
                            "at scale 0.001 is 0.5 model firms") and \
            "(200% of the count asked)" in w and ROOT not in w, w
        assert status["warnings"] == [w]
        with urllib.request.urlopen(s.url + "api/runs", timeout=30) as r:
            listed = next(x for x in json.loads(r.read())["runs"] if x["id"] == info["id"])
        assert listed["warnings"] == [w]
        # a run the engine does not warn of has none
        code, quiet = post(s.url, {"preset": "baseline", "seed": 1})
        assert code == 200, quiet
        lines = events_of(s.url, quiet["id"])
        assert lines[-1]["status"] == "complete" and "warnings" not in lines[-1]
        assert not any(m.get("type") == "warning" for m in lines)
    finally:
        s.stop()


def test_picking_winners_pays_for_the_firms_its_lever_says():
    """At the page's 0.001 a simulated firm stands for 1,000, so "Firms chosen: 500" (and every
    odd multiple of 500) was rounded up and paid for twice. picking_winners runs at its own
    scale, 0.002 (levers.cfg), where every stop of the lever is a whole number of simulated
    firms: the engine warns of none, and the default spends the preset's 14,650 pounds x 500
    firms x 40 quarters."""
    s = Server("--max-runs", "2")
    try:
        with urllib.request.urlopen(s.url + "api/presets", timeout=30) as r:
            pw = next(p for p in json.loads(r.read())["presets"]
                      if p["name"] == "picking_winners")
        count = next(lv for lv in pw["levers"] if lv["key"] == "policies.[0].count")
        stops = [count["min"] + i * count["step"]
                 for i in range(round((count["max"] - count["min"]) / count["step"]) + 1)]
        assert count["default"] == 500 and stops[-1] == count["max"] == 100000
        # every stop is whole simulated firms (the engine's own test is within 1%)
        for n in stops:
            assert abs(n * pw["scale"] - round(n * pw["scale"])) < 1e-9, (n, pw["scale"])
        runs = []
        for n in (None, 1500, 2500, 49500):
            levers = {} if n is None else {"policies.[0].count": n}
            code, info = post(s.url, {"preset": "picking_winners", "seed": 1, "levers": levers})
            assert code == 200, info
            runs.append((n, info["id"]))
        for n, rid in runs:
            lines = events_of(s.url, rid)
            assert lines[-1]["status"] == "complete", lines[-1]
            assert "warnings" not in lines[-1] and \
                not any(m.get("type") == "warning" for m in lines), (n, lines[-1])
            spent = sum(m["spending"] for m in lines if m.get("type") in ("series", "frame"))
            assert spent == pytest.approx(14650.0 * (n or 500) * 40, rel=1e-9), (n, spent)
    finally:
        s.stop()
