"""Checkpoint and exact restart (docs/reliability.md): a run interrupted any number of times and
resumed, on other thread counts, writes a run file identical, dataset by dataset and attribute by
attribute, to the uninterrupted run's. Only the provenance attributes may differ: root `created`
and `resumed_from`, and /code `threads`. Every policy type is active (tests/data/determinism/
all_policies.cfg); the tax zone runs a stop-go cycle [2, 1] from step 1, so steps 3, 6 and 9 are
its off-gaps. Checkpoints that are truncated, corrupted, or from another build or format version
are refused with exit status 2.
Run from the repository root: /usr/bin/python3 -m pytest tests/test_restart.py."""
import os
import random
import shutil
import signal
import subprocess
import time

import h5py
import numpy as np
import pytest
from runfile_compare import contents, equal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("CLUSTERSIM") or os.path.join(ROOT, "clustersim"))
CFG = os.path.join(ROOT, "tests", "data", "determinism", "all_policies.cfg")
STEPS = 12
BASE = ["--seed", "7", "--steps", str(STEPS), "--set", "scale=0.0003", "--quiet"]
PROVENANCE = {("/", "created"), ("/", "resumed_from"), ("/code", "threads")}


def clustersim(*args, check=None, timeout=300):
    env = dict(os.environ)
    env.pop("OMP_NUM_THREADS", None)
    p = subprocess.run([BIN, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=timeout)
    if check is not None:
        assert p.returncode == check, f"{args}: exit {p.returncode}\n{p.stderr[-2000:]}"
    return p


def assert_same(ref, got, ignore=()):
    skip = PROVENANCE | set(ignore)
    a, b = contents(ref, skip), contents(got, skip)
    assert sorted(a) == sorted(b), f"objects differ: {set(a) ^ set(b)}"
    bad = [k for k in a if not equal(a[k], b[k])]
    assert not bad, f"{len(bad)} of {len(a)} differ, e.g. {bad[:5]}"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("ref") / "ref.h5")
    clustersim("run", CFG, "-o", out, "--threads", "1", *BASE, check=0)
    return out


def interrupted(tmp_path, stops, threads, extra=()):
    """Runs with --stop-after stops[0], resumes with --stop-after stops[k] ..., then to the end;
    threads[k] is the thread count of leg k. Returns the run file."""
    out = str(tmp_path / "run.h5")
    ckpt = str(tmp_path / "run.ckpt.h5")
    p = clustersim("run", CFG, "-o", out, "--threads", str(threads[0]), "--stop-after",
                   str(stops[0]), *BASE, *extra, check=1)
    assert f"resume {ckpt}" in p.stderr and f"step {stops[0]} of {STEPS}" in p.stderr
    assert os.path.exists(ckpt) and os.path.exists(out + ".incomplete")
    assert not os.path.exists(out)
    for k, stop in enumerate(list(stops[1:]) + [None]):
        extra = ["--stop-after", str(stop)] if stop is not None else []
        p = clustersim("resume", ckpt, "--threads", str(threads[k + 1]), "--quiet", *extra,
                       check=1 if stop is not None else 0)
    assert os.path.exists(out)
    assert not os.path.exists(ckpt), "the checkpoint is removed once the run file is complete"
    assert not os.path.exists(out + ".incomplete")
    with h5py.File(out, "r") as f:
        assert f.attrs["complete"] == 1
        lines = [s.decode() if isinstance(s, bytes) else s for s in f.attrs["resumed_from"]]
    assert len(lines) == len(stops)
    for line, stop, t in zip(lines, stops, threads[1:]):
        assert line.startswith(f"step {stop} at ") and line.endswith(f"threads {t}"), line
    return out


@pytest.mark.parametrize("stops,threads", [
    ([0], [1, 2]),            # before the first step
    ([3], [2, 1]),            # in the tax zone's stop-go gap (off at steps 3, 6, 9)
    ([6], [1, 1]),            # another gap; the density fund's lagged spend in flight
    ([STEPS - 1], [2, 1]),    # before the last step
    ([1, 2, 5, 9], [2, 1, 2, 1, 2]),  # several interruptions, threads alternating
])
def test_resume_identical(reference, tmp_path, stops, threads):
    assert_same(reference, interrupted(tmp_path, stops, threads))


def test_stop_after_the_last_step_completes_the_run(reference, tmp_path):
    """--stop-after at the last step (as a signal during it) leaves no checkpoint to resume: the
    run file is closed complete, equal to the uninterrupted run's."""
    out = str(tmp_path / "run.h5")
    clustersim("run", CFG, "-o", out, "--threads", "2", "--stop-after", str(STEPS), *BASE,
               check=0)
    assert sorted(os.listdir(tmp_path)) == ["run.h5"]
    assert_same(reference, out)


def test_resume_identical_with_snapshots(tmp_path):
    """Snapshots every 4 steps: stopped on a snapshot step and on the step after one, the
    snapshot maps written before the stop are carried over exactly."""
    extra = ["--set", "output.snapshot_every=4"]
    ref = str(tmp_path / "ref.h5")
    clustersim("run", CFG, "-o", ref, *BASE, *extra, check=0)
    with h5py.File(ref, "r") as f:
        assert list(f["snapshots/step"][()]) == [0, 4, 8, 12]
    d = tmp_path / "r"
    d.mkdir()
    assert_same(ref, interrupted(d, [4, 5], [1, 2, 1], extra))


def test_resume_identical_while_an_asset_declines(tmp_path):
    """A natural asset declining from step 2, and with it the fitted fundamentals' offset of it
    (landscape.asset_offset = "released": the share left is kept in the checkpoint): stopped
    mid-decline, the resumed run equals the uninterrupted one."""
    extra = ["--set", "landscape.asset_decline_start=2", "--set",
             "landscape.asset_decline_rate=0.2", "--set", 'landscape.asset_offset="released"',
             "--set", "scale=0.002"]  # (a later --set wins) Aberdeen's energy firms on the asset
    ref = str(tmp_path / "ref.h5")
    clustersim("run", CFG, "-o", ref, *BASE, *extra, check=0)
    with h5py.File(ref, "r") as f:  # the real start: fitted fundamentals to release
        assert np.abs(f["landscape/location_fundamental"][()]).max() > 0.1
    d = tmp_path / "r"
    d.mkdir()
    assert_same(ref, interrupted(d, [5], [2, 1], extra))


def test_periodic_checkpoint_and_sigterm(reference, tmp_path):
    """A real SIGTERM during a run with --checkpoint-every 1: the run finishes its step, writes a
    checkpoint and exits 1; the resumed run file equals the uninterrupted one."""
    out, ckpt = str(tmp_path / "sig.h5"), str(tmp_path / "sig.ckpt.h5")
    env = dict(os.environ)
    env.pop("OMP_NUM_THREADS", None)
    proc = subprocess.Popen([BIN, "run", CFG, "-o", out, "--threads", "2",
                             "--checkpoint-every", "1", *BASE], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, text=True)
    t0 = time.time()
    while not os.path.exists(ckpt) and proc.poll() is None and time.time() - t0 < 120:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 1, err
    assert "interrupted at step" in err and f"clustersim resume {ckpt}" in err
    clustersim("resume", ckpt, "--threads", "1", "--quiet", check=0)
    assert_same(reference, out)


def test_checkpoint_every_keeps_one_file(tmp_path):
    out = str(tmp_path / "e.h5")
    p = clustersim("run", CFG, "-o", out, "--checkpoint-every", "2", "--stop-after", "7", *BASE,
                   check=1)
    files = sorted(os.listdir(tmp_path))
    assert files == ["e.ckpt.h5", "e.h5.incomplete"], files
    with h5py.File(str(tmp_path / "e.ckpt.h5"), "r") as f:
        assert f.attrs["format"] == b"clustersim-checkpoint" or f.attrs["format"] == "clustersim-checkpoint"
        assert int(f.attrs["format_version"]) == 6 and int(f.attrs["step"]) == 7
    assert "step 7 of" in p.stderr


# ---- refusals: never a crash, always exit 2 with the reason ----

@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    d = tmp_path_factory.mktemp("ck")
    clustersim("run", CFG, "-o", str(d / "c.h5"), "--stop-after", "4", *BASE, check=1)
    return str(d / "c.ckpt.h5")


def refused(path, tmp_path, words):
    p = clustersim("resume", path, "-o", str(tmp_path / "never.h5"), "--quiet")
    assert p.returncode == 2, f"exit {p.returncode}\n{p.stderr[-2000:]}"
    assert p.stderr.startswith("clustersim: error: ") and len(p.stderr.splitlines()) == 1, p.stderr
    assert any(w in p.stderr for w in words), p.stderr
    assert not os.path.exists(str(tmp_path / "never.h5"))


def test_refuses_missing_and_not_checkpoint(tmp_path, reference):
    refused(str(tmp_path / "nothing.h5"), tmp_path, ["cannot read"])
    refused(reference, tmp_path, ["not a clustersim checkpoint"])
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"not hdf5 at all\n" * 100)
    refused(str(junk), tmp_path, ["not an HDF5 file"])
    fifo = tmp_path / "fifo.h5"  # a named pipe blocked the open until a writer came
    os.mkfifo(fifo)
    refused(str(fifo), tmp_path, ["not a regular file"])
    refused(str(tmp_path), tmp_path, ["not a regular file"])


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_refuses_truncated(checkpoint, tmp_path, keep):
    bad = tmp_path / "t.ckpt.h5"
    data = open(checkpoint, "rb").read()
    bad.write_bytes(data[:int(len(data) * keep)])
    refused(str(bad), tmp_path, ["truncated", "corrupted", "not an HDF5"])


def test_refuses_flipped_bytes(checkpoint, reference, tmp_path):
    """Single flipped bytes at seeded random places: refused (exit 2) or, where the byte is
    unused padding, a resume that still ends in the right file; never a crash."""
    data = bytearray(open(checkpoint, "rb").read())
    rng = random.Random(12)
    positions = [rng.randrange(len(data)) for _ in range(12)] + [40, 200, len(data) - 10]
    refused_n = 0
    for k, pos in enumerate(positions):
        bad = tmp_path / f"f{k}.ckpt.h5"
        d = bytearray(data)
        d[pos] ^= 0x5A
        bad.write_bytes(bytes(d))
        out = tmp_path / f"f{k}.h5"
        p = clustersim("resume", str(bad), "-o", str(out), "--quiet")
        assert p.returncode in (0, 2), f"byte {pos}: exit {p.returncode}\n{p.stderr[-2000:]}"
        if p.returncode == 2:
            refused_n += 1
            assert len(p.stderr.splitlines()) == 1 and not out.exists(), p.stderr
        else:
            assert_same(reference, str(out))
    assert refused_n >= len(positions) // 2


def test_refuses_other_build_and_version(checkpoint, tmp_path):
    for attr, value, words in [("git_hash", np.bytes_("0123456789ab"), ["build"]),
                               ("format_version", np.int32(99), ["format version 99"])]:
        bad = str(tmp_path / f"{attr}.ckpt.h5")
        shutil.copy(checkpoint, bad)
        with h5py.File(bad, "r+") as f:
            del f.attrs[attr]
            f.attrs[attr] = value
        refused(bad, tmp_path, words)


def test_refuses_array_attributes(checkpoint, tmp_path):
    """An attribute that should hold one value but holds many (edited, or another tool's file)
    is refused; read into a single value it overran the reader's stack (exit 139)."""
    cases = [("format_version", np.full(1000, 4, dtype="i4")),
             ("format", np.array([b"clustersim-checkpoint"] * 200)),
             ("git_hash", np.array([b"0123456789ab"] * 50))]
    for k, (attr, value) in enumerate(cases):
        bad = str(tmp_path / f"a{k}.ckpt.h5")
        shutil.copy(checkpoint, bad)
        with h5py.File(bad, "r+") as f:
            del f.attrs[attr]
            f.attrs[attr] = value
        refused(bad, tmp_path, ["not a clustersim checkpoint", "format version", "git_hash"])
    bad = str(tmp_path / "hash.ckpt.h5")
    shutil.copy(checkpoint, bad)
    with h5py.File(bad, "r+") as f:
        name = next(n for n in f if isinstance(f[n], h5py.Dataset) and "hash" in f[n].attrs)
        del f[name].attrs["hash"]
        f[name].attrs["hash"] = np.arange(10000, dtype="u8")
    refused(bad, tmp_path, ["truncated or corrupted", "checksum"])
    # a dataset of another rank (written by another tool): said so, not "wrong size (0 bytes)"
    bad = str(tmp_path / "rank.ckpt.h5")
    shutil.copy(checkpoint, bad)
    with h5py.File(bad, "r+") as f:
        data = f["config_source"][...]
        del f["config_source"]
        f["config_source"] = np.stack([data, data])
    refused(bad, tmp_path, ["config_source has 2 dimensions where a checkpoint has 1"])


def test_completed_run_leaves_other_files_at_the_checkpoint_name(tmp_path):
    """A file at the checkpoint's name that is no checkpoint (notes) is refused before the run;
    a run that wrote no checkpoint does not remove another run's checkpoint at its name; one
    that did write it removes it when complete."""
    notes = tmp_path / "notes.txt"
    notes.write_text("notes\n")
    p = clustersim("run", CFG, "-o", str(tmp_path / "y.h5"), "--checkpoint", str(notes), *BASE)
    assert p.returncode == 2 and "is not a clustersim checkpoint" in p.stderr, p.stderr
    assert notes.read_text() == "notes\n"
    other = tmp_path / "other.ckpt.h5"
    clustersim("run", CFG, "-o", str(tmp_path / "o.h5"), "--stop-after", "2", *BASE)
    os.rename(tmp_path / "o.ckpt.h5", other)
    before = other.read_bytes()
    clustersim("run", CFG, "-o", str(tmp_path / "y.h5"), "--checkpoint", str(other), *BASE,
               check=0)
    assert other.read_bytes() == before
    ck = tmp_path / "z.ckpt.h5"
    clustersim("run", CFG, "-o", str(tmp_path / "z.h5"), "--checkpoint-every", "5", *BASE,
               check=0)
    assert not ck.exists()


def test_checkpoint_named_like_the_partial_file_refused(tmp_path):
    out = str(tmp_path / "w.h5")
    p = clustersim("run", CFG, "-o", out, "--checkpoint", out + ".incomplete", "--stop-after", "3",
                   *BASE)
    assert p.returncode == 2 and "partial run file" in p.stderr, p.stderr
    assert os.listdir(tmp_path) == []


def test_resume_from_another_directory(reference, tmp_path):
    """Without -o, resume writes the run file where the run would have (the checkpoint records
    its absolute path), whatever directory it is called from."""
    (tmp_path / "a" / "out").mkdir(parents=True)
    p = subprocess.run([BIN, "run", CFG, "-o", "out/x.h5", "--stop-after", "5", *BASE],
                       cwd=tmp_path / "a", capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    p = subprocess.run([BIN, "resume", "a/out/x.ckpt.h5", "--quiet"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert sorted(os.listdir(tmp_path / "a" / "out")) == ["x.h5"]
    assert sorted(os.listdir(tmp_path)) == ["a"]
    assert_same(reference, str(tmp_path / "a" / "out" / "x.h5"), ignore={("/", "scenario_file")})


def test_run_resume_option(reference, tmp_path):
    """run --resume continues from an existing checkpoint of the same config (the file equals
    an uninterrupted run's), refuses one of another config, and starts afresh without one."""
    out, ck = str(tmp_path / "r.h5"), str(tmp_path / "r.ckpt.h5")
    clustersim("run", CFG, "-o", out, "--stop-after", "5", *BASE, check=1)
    p = clustersim("run", CFG, "-o", out, "--resume", *BASE, "--seed", "8")
    assert p.returncode == 2 and "checkpoint of another configuration" in p.stderr, p.stderr
    assert os.path.exists(ck) and not os.path.exists(out)
    clustersim("run", CFG, "-o", out, "--resume", *BASE, check=0)
    assert not os.path.exists(ck)
    assert_same(reference, out)
    fresh = str(tmp_path / "f.h5")
    clustersim("run", CFG, "-o", fresh, "--resume", *BASE, check=0)
    assert_same(reference, fresh)


def test_continue_command_can_be_pasted(reference, tmp_path):
    """The 'continue with:' command of a stopped run is one shell word per argument, also for a
    folder with a space and a quote: pasted into a shell it finishes the run."""
    import shlex
    d = tmp_path / "my runs's"
    d.mkdir()
    p = clustersim("run", CFG, "-o", str(d / "x.h5"), "--stop-after", "4", *BASE, check=1)
    cmd = shlex.split(p.stderr.split("continue with: ")[1].strip())
    assert cmd[:2] == ["clustersim", "resume"] and cmd[2] == str(d / "x.ckpt.h5")
    clustersim(*cmd[1:], "--quiet", check=0)
    assert_same(reference, str(d / "x.h5"))


def test_run_resume_says_how_to_go_on_past_an_unreadable_checkpoint(checkpoint, tmp_path):
    """A checkpoint this build cannot read (another build, say after git pull; make) would stop
    the run at every resubmission of a sweep: the refusal says to remove it."""
    bad = str(tmp_path / "c.ckpt.h5")
    shutil.copy(checkpoint, bad)
    with h5py.File(bad, "r+") as f:
        f.attrs.modify("git_hash", np.bytes_("0123456789ab"))
    p = clustersim("run", CFG, "-o", str(tmp_path / "c.h5"), "--resume", *BASE)
    assert p.returncode == 2, p.stderr
    assert "written by build 0123456789ab" in p.stderr
    assert f"remove {bad} to start this run afresh" in p.stderr


def test_run_resume_keeps_the_recorded_interval(tmp_path):
    """run --resume without --checkpoint-every keeps the interval the checkpoint recorded (as
    resume does): a sweep resubmitted without it still checkpoints periodically."""
    out = str(tmp_path / "i.h5")
    clustersim("run", CFG, "-o", out, "--checkpoint-every", "3", "--stop-after", "4", *BASE,
               check=1)
    clustersim("run", CFG, "-o", out, "--resume", "--stop-after", "7", *BASE, check=1)
    with h5py.File(str(tmp_path / "i.ckpt.h5"), "r") as f:
        nums = np.frombuffer(f["numbers"][...].tobytes(), dtype="<i4")
    assert list(nums) == [3, 7, STEPS], nums


def test_bad_resume_usage():
    p = clustersim("resume")
    assert p.returncode == 2 and "needs a checkpoint" in p.stderr
    p = clustersim("resume", "a.h5", "--threads", "0")
    assert p.returncode == 2
