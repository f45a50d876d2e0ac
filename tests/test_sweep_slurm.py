"""The small sweep through a real Slurm on this machine: the test starts munged, slurmctld and
slurmd from a temporary slurm.conf (docs/hpc/local-slurm.sh's: one node, proctrack/linuxproc,
task/none, root), submits the
documented array script docs/hpc/array.sbatch with `sbatch --wait` as two array tasks (two
shards), and checks that the last shard wrote sweep.h5 and that every run file equals a lone
`clustersim run`; then that docs/hpc/resubmit.sh on the finished sweep runs one submission and
cancels the two behind it. The daemons it started are stopped by their pids whatever happens.
Needs Debian's slurm-wlm and munge (make deps)."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import h5py
import pytest

from sweep_helpers import (BIN, ENV, ROOT, SMALL, SMALL_SETS, assert_dir_matches, cs, lone_runs)

SCRIPT = os.path.join(ROOT, "docs", "hpc", "array.sbatch")
LOCAL = os.path.join(ROOT, "docs", "hpc", "local-slurm.sh")
DEADLINE = 150  # seconds for the whole test: daemons, jobs and checks


def binary(name):
    for d in ("/usr/sbin", "/usr/bin", "/sbin"):
        if os.path.exists(os.path.join(d, name)):
            return os.path.join(d, name)
    p = shutil.which(name)
    assert p, f"{name} missing: make deps installs slurm-wlm and munge"
    return p


def stop(procs):
    """SIGTERM to each daemon we started, SIGKILL to any still there after 10 s."""
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    end = time.time() + 10
    for p in reversed(procs):
        try:
            p.wait(timeout=max(0.1, end - time.time()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def test_slurm_array_sweep_equals_lone_runs():
    start = time.time()
    tmp = tempfile.mkdtemp(prefix="cs-slurm-")  # short: the munge socket path has a limit
    procs = []
    log = {}
    try:
        # the slurm.conf, munge key and folders of docs/hpc/local-slurm.sh, which users try
        # the scripts with; the daemons are started here, to watch and stop them by pid
        conf = subprocess.run([LOCAL, "conf", tmp], capture_output=True, text=True, timeout=30,
                              check=True).stdout.strip()
        assert conf == f"{tmp}/slurm.conf", conf
        env = dict(ENV, SLURM_CONF=conf)
        for k in [k for k in env if k.startswith("SLURM_") and k != "SLURM_CONF"]:
            del env[k]  # a test run inside a Slurm job must not inherit that job's variables
        for name, cmd in [
            ("munged", [binary("munged"), "-F", "-f", f"--key-file={tmp}/munge.key",
                        f"--socket={tmp}/munge.sock", f"--pid-file={tmp}/munged.pid",
                        f"--log-file={tmp}/munged.log", f"--seed-file={tmp}/munge.seed"]),
            ("slurmctld", [binary("slurmctld"), "-D", "-i"]),
            ("slurmd", [binary("slurmd"), "-D"]),
        ]:
            log[name] = open(f"{tmp}/{name}.out", "w")
            procs.append(subprocess.Popen(cmd, env=env, stdout=log[name], stderr=subprocess.STDOUT,
                                          cwd=tmp))
            if name == "munged":
                for _ in range(100):
                    if os.path.exists(f"{tmp}/munge.sock"):
                        break
                    time.sleep(0.05)
        state = ""
        while time.time() - start < 40:
            for p in procs:
                assert p.poll() is None, f"{p.args[0]} exited: " + open(
                    f"{tmp}/{os.path.basename(p.args[0])}.out").read()[-2000:]
            q = subprocess.run(["sinfo", "-h", "-o", "%t"], env=env, capture_output=True,
                               text=True, timeout=10)
            state = q.stdout.strip()
            if state == "idle":
                break
            time.sleep(0.5)
        assert state == "idle", f"node not idle: {state!r}"

        # a comma in the folder's name: sbatch's --export=ALL,OUT=... would cut the path there
        out = f"{tmp}/sweep,b"
        sub = subprocess.run(
            [shutil.which("sbatch", path="/usr/bin:/usr/local/bin:" + os.environ["PATH"]),
             "--wait", "--array=0-1", "--cpus-per-task=1", f"--output={tmp}/slurm-%a.out",
             SCRIPT],
            # the job gets sbatch's environment (--export=ALL, the default); --export=ALL,VAR=...
            # would work too but makes slurmd read root's login environment first (5 s here)
            env=dict(env, SWEEP=SMALL, OUT=out, CLUSTERSIM=BIN), cwd=ROOT, capture_output=True, text=True,
            timeout=max(10, DEADLINE - (time.time() - start)))
        outs = "".join(open(f"{tmp}/slurm-{i}.out").read() for i in (0, 1)
                       if os.path.exists(f"{tmp}/slurm-{i}.out"))
        assert sub.returncode == 0, sub.stdout + sub.stderr + outs
        # both shards ran theirs, the last to finish wrote sweep.h5
        with h5py.File(os.path.join(out, "sweep.h5"), "r") as f:
            assert list(f["runs/status"].asstr()[:]) == ["ok"] * 8
        logs = sorted(os.listdir(os.path.join(out, "status")))
        assert "shard-0-of-2.log" in logs and "shard-1-of-2.log" in logs, logs
        p = cs("sweep", "--collect", out)
        assert p.returncode == 0 and "8 ok" in p.stdout, p.stderr
        lone = lone_runs(SMALL, SMALL_SETS, f"{tmp}/lone")
        assert_dir_matches(out, lone)

        # docs/hpc/resubmit.sh on the finished sweep: the first submission ends ok (nothing left
        # to run), so both resubmissions behind it must be cancelled, not run. Chained on the
        # previous job alone, the second ran: a job cancelled for its dependency is "not ok".
        rs = subprocess.run(
            ["bash", os.path.join(ROOT, "docs", "hpc", "resubmit.sh"), "--array=0-1",
             "--cpus-per-task=1", f"--output={tmp}/rs-%A_%a.out"],
            env=dict(env, SWEEP=SMALL, OUT=out, CLUSTERSIM=BIN, TRIES="2"), cwd=ROOT,
            capture_output=True, text=True, timeout=30)
        assert rs.returncode == 0, rs.stdout + rs.stderr
        jobs = re.findall(r"^(?:submitted|resubmission \d+:) (\d+)", rs.stdout, re.M)
        assert len(jobs) == 3, rs.stdout
        while True:  # until slurmctld has ended all three (run, or cancelled)
            q = subprocess.run(["squeue", "-h", "-o", "%i"], env=env, capture_output=True,
                               text=True, timeout=10)
            if not q.stdout.strip():
                break
            assert time.time() - start < DEADLINE + 60, f"jobs still queued: {q.stdout}"
            time.sleep(1)
        ran = sorted({f.split("-")[1].split("_")[0] for f in os.listdir(tmp)
                      if f.startswith("rs-")})
        assert ran == [jobs[0]], f"jobs that ran: {ran} of {jobs}"
        text = "".join(open(f"{tmp}/{f}").read() for f in os.listdir(tmp) if f.startswith("rs-"))
        # both array tasks of the one that ran found every run done, and said so (no --quiet)
        assert text.count("finished already, 0 to run") == 2, text
    finally:
        stop(procs)
        for f in log.values():
            f.close()
        shutil.rmtree(tmp, ignore_errors=True)


def test_the_scripts_in_docs_hpc_md_are_the_scripts():
    """docs/hpc.md shows each Slurm script "complete": it must be the file, character for
    character, or a user copying it gets another script than the one tested here."""
    with open(os.path.join(ROOT, "docs", "hpc.md")) as f:
        doc = f.read()
    for name in ("array.sbatch", "resubmit.sh", "mpi.sbatch"):
        with open(os.path.join(ROOT, "docs", "hpc", name)) as f:
            body = f.read()
        assert f"```bash\n{body}```\n" in doc, f"docs/hpc.md does not show docs/hpc/{name} as it is"
