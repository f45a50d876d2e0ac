"""Faults (docs/reliability.md): a full disk, a missing or unwritable output directory, kill -9
at random moments of a run and of a checkpoint write, and SIGTERM each leave a complete run file
(complete = 1), a clearly incomplete one (OUT.h5.incomplete, or OUT.h5.tmp.PID after kill -9), or
nothing under the final name; never a file at the final name that is truncated or reads as
incomplete. Each failure is a one-line message with exit status 1 (2 for a bad path), and a
checkpoint left behind always resumes to the uninterrupted run's file.
Run from the repository root: /usr/bin/python3 -m pytest tests/test_faults.py."""
import glob
import os
import random
import re
import resource
import signal
import subprocess
import time

import h5py
import pytest

from test_restart import BASE, BIN, CFG, ROOT, assert_same, clustersim

ENV = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}


def check_invariant(out):
    """Nothing at the final name, or a file that opens and says complete = 1."""
    if os.path.exists(out):
        with h5py.File(out, "r") as f:
            assert int(f.attrs["complete"]) == 1
            assert int(f.attrs["steps_done"]) == int(f.attrs["steps"])
    if os.path.exists(out + ".incomplete"):
        with h5py.File(out + ".incomplete", "r") as f:
            assert int(f.attrs["complete"]) == 0


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("fref") / "ref.h5")
    clustersim("run", CFG, "-o", out, *BASE, check=0)
    return out


def limited(nbytes):
    def pre():
        # write() past the limit then fails with EFBIG instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return pre


@pytest.mark.parametrize("limit", [1, 20_000, 200_000])
def test_full_disk_run_file(tmp_path, limit):
    out = str(tmp_path / "full.h5")
    p = subprocess.run([BIN, "run", CFG, "-o", out, *BASE], cwd=ROOT, env=ENV,
                       preexec_fn=limited(limit), capture_output=True, text=True, timeout=300)
    assert p.returncode == 1, p.stderr
    assert len(p.stderr.splitlines()) == 1 and p.stderr.startswith("clustersim: error: ")
    if limit == 1:   # not even the file's first bytes: creating it fails (which left it behind)
        assert "cannot create file: File too large" in p.stderr, p.stderr
    else:
        assert "disk full?" in p.stderr, p.stderr  # HDF5 writes its buffers at the close
    assert not os.path.exists(out)
    assert not glob.glob(out + ".tmp.*"), "a failed run removes its temporary file"
    check_invariant(out)


def test_full_disk_checkpoint(tmp_path, reference):
    """The run file fits but the checkpoint does not: exit 1, the temporary checkpoint is gone,
    and an earlier complete checkpoint (made without the limit) is untouched and resumes."""
    out = str(tmp_path / "c.h5")
    ckpt = str(tmp_path / "c.ckpt.h5")
    clustersim("run", CFG, "-o", out, "--stop-after", "3", *BASE, check=1)
    size = os.path.getsize(ckpt)
    before = open(ckpt, "rb").read()
    p = subprocess.run([BIN, "resume", ckpt, "--checkpoint-every", "1", "--quiet"], cwd=ROOT,
                       env=ENV, preexec_fn=limited(size // 2), capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 1, p.stderr
    assert len(p.stderr.splitlines()) == 1 and "checkpoint" in p.stderr, p.stderr
    assert open(ckpt, "rb").read() == before
    assert not glob.glob(ckpt + ".tmp.*") and not os.path.exists(out)
    clustersim("resume", ckpt, "--quiet", check=0)
    assert_same(reference, out)


def test_missing_directory(tmp_path):
    out = str(tmp_path / "no" / "such" / "x.h5")
    p = clustersim("run", CFG, "-o", out, *BASE)
    assert p.returncode == 2 and "does not exist" in p.stderr and len(p.stderr.splitlines()) == 1


def test_unwritable_directory(tmp_path):
    if os.geteuid() == 0:
        # root writes through permission bits; a read-only file system still refuses
        out = "/proc/clustersim-test.h5"
    else:
        d = tmp_path / "ro"
        d.mkdir()
        d.chmod(0o555)
        out = str(d / "x.h5")
    p = clustersim("run", CFG, "-o", out, *BASE)
    assert p.returncode in (1, 2) and len(p.stderr.splitlines()) == 1, p.stderr
    assert not os.path.exists(out)


def kill9_when(tmp_path, name, ready, extra=()):
    out = str(tmp_path / f"{name}.h5")
    proc = subprocess.Popen([BIN, "run", CFG, "-o", out, "--checkpoint-every", "1", *BASE,
                             *extra], cwd=ROOT, env=ENV, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while proc.poll() is None and not ready(out) and time.time() - t0 < 120:
        time.sleep(0.0005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return out


def resume_after_kill(out, reference):
    check_invariant(out)
    ckpt = out[:-3] + ".ckpt.h5"
    if os.path.exists(out):
        assert_same(reference, out)
    elif os.path.exists(ckpt):
        clustersim("resume", ckpt, "--quiet", check=0)
        assert_same(reference, out)


def test_kill9_random_moments(tmp_path, reference):
    rng = random.Random(2026)
    for k in range(3):
        delay = rng.uniform(0.05, 2.5)
        t_end = time.time() + delay
        out = kill9_when(tmp_path, f"k{k}", lambda o: time.time() >= t_end)
        resume_after_kill(out, reference)


def test_kill9_during_checkpoint_write(tmp_path, reference):
    """Killed while a checkpoint is being written (its temporary file exists): the previous
    checkpoint is intact and resumes to the right file."""
    hit = 0
    for k in range(2):
        out = kill9_when(tmp_path, f"w{k}",
                         lambda o: glob.glob(o[:-3] + ".ckpt.h5.tmp.*") != [] and
                         os.path.exists(o[:-3] + ".ckpt.h5"))
        hit += glob.glob(out[:-3] + ".ckpt.h5.tmp.*") != []
        resume_after_kill(out, reference)
    assert hit > 0, "no kill landed inside a checkpoint write"


def test_sigterm_invariant(tmp_path, reference):
    out = str(tmp_path / "t.h5")
    proc = subprocess.Popen([BIN, "run", CFG, "-o", out, *BASE], cwd=ROOT, env=ENV,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode in (0, 1)
    check_invariant(out)
    if proc.returncode == 1:
        assert len(err.splitlines()) == 1 and "clustersim resume" in err
        assert os.path.exists(out + ".incomplete")
    resume_after_kill(out, reference)


def test_second_sigterm_keeps_the_checkpoint(tmp_path):
    """A batch system signals every process of a job and a sweep forwards the signal to its
    runs, so a run may get SIGTERM twice: the second must not kill it before its checkpoint."""
    out = str(tmp_path / "t.h5")
    # the default scale, so that the checkpoint takes long enough for the second signal to land
    # while it is written
    proc = subprocess.Popen([BIN, "run", CFG, "-o", out, *BASE, "--steps", "100000", "--set",
                             "scale=0.002"], cwd=ROOT, env=ENV, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not glob.glob(out + ".tmp.*") and time.time() < deadline:  # in its loop by then
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.01)  # two signals sent at once would be delivered as one
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    m = re.search(r"interrupted at step (\d+) of 100000; checkpoint in .*t\.ckpt\.h5", err)
    assert m and len(err.splitlines()) == 1, err
    assert sorted(os.listdir(tmp_path)) == ["t.ckpt.h5", "t.h5.incomplete"]
    check_invariant(out)
    # the checkpoint resumes (one more step, then stopped again)
    step = int(m.group(1))
    p = subprocess.run([BIN, "resume", str(tmp_path / "t.ckpt.h5"), "--stop-after",
                        str(step + 1), "--quiet"], cwd=ROOT, env=ENV, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 1 and f"at step {step + 1} of 100000" in p.stderr, p.stderr
