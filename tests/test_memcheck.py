"""Memory safety of checkpoint and resume (docs/reliability.md): a tiny run stopped with a
checkpoint and resumed, under valgrind memcheck (the normal build) and under ASan + UBSan with the
per-step invariant checks (build-san/clustersim, built by `make test` and `make sanitize`).
Any memory error fails the run; the resumed file must equal the uninterrupted one.
Run from the repository root: /usr/bin/python3 -m pytest tests/test_memcheck.py."""
import os
import shutil
import subprocess

import pytest

from test_restart import BIN, CFG, ROOT, assert_same

ARGS = ["--steps", "4", "--set", "scale=0.0001", "--seed", "3", "--threads", "1", "--quiet"]
SAN = os.path.join(ROOT, "build-san", "clustersim")


def stop_and_resume(tmp_path, prefix, binary, ignore=()):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    env.pop("OMP_NUM_THREADS", None)
    ref, out = str(tmp_path / "ref.h5"), str(tmp_path / "run.h5")
    p = subprocess.run([BIN, "run", CFG, "-o", ref, *ARGS], cwd=ROOT, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([*prefix, binary, "run", CFG, "-o", out, "--stop-after", "2", *ARGS],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 1 and "stopped" in p.stderr, p.stderr[-4000:]
    p = subprocess.run([*prefix, binary, "resume", str(tmp_path / "run.ckpt.h5"), "--quiet"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-4000:]
    assert_same(ref, out, ignore)


def test_valgrind_checkpoint_resume(tmp_path):
    if not shutil.which("valgrind"):
        pytest.skip("valgrind is not installed (make deps installs it)")
    prefix = ["valgrind", "-q", "--tool=memcheck", "--error-exitcode=99", "--leak-check=full",
              "--errors-for-leak-kinds=definite"]
    stop_and_resume(tmp_path, prefix, BIN)


def test_asan_checkpoint_resume(tmp_path):
    if not os.path.exists(SAN):
        pytest.skip("build-san/clustersim not built (make test and make sanitize build it)")
    # another build: its git hash (built at another commit) and compiler flags differ
    stop_and_resume(tmp_path, [], SAN, {("/", "git_hash"), ("/code", "cflags")})
