#!/usr/bin/python3
"""Runs every test of clustersim and ends with one line: N passed, N failed.

C unit tests are the binaries build/tests/test_*; each ends with its own "N passed, N failed".
Python tests (end-to-end CLI and HDF5 checks, analysis) run under pytest from tests/ and
analysis/tests/. Use /usr/bin/python3: Debian's h5py and numpy live there."""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_c_tests(build):
    passed = failed = 0
    bins = sorted(glob.glob(os.path.join(ROOT, build, "tests", "test_*")))
    for b in bins:
        name = os.path.basename(b)
        proc = subprocess.run([b], cwd=ROOT, capture_output=True, text=True)
        m = None
        for line in reversed(proc.stdout.strip().splitlines()):
            m = re.fullmatch(r"(\d+) passed, (\d+) failed", line.strip())
            if m:
                break
        if not m:
            print(f"{name}: no result line (exit {proc.returncode})")
            sys.stdout.write(proc.stderr[-4000:])
            failed += 1
            continue
        p, f = int(m.group(1)), int(m.group(2))
        if proc.returncode != 0 and f == 0:
            f = 1
        passed += p
        failed += f
        status = "ok" if f == 0 else "FAILED"
        print(f"{name}: {p} passed, {f} failed  {status}")
        if f:
            sys.stdout.write(proc.stderr[-4000:])
    return passed, failed


def run_pytest():
    paths = [p for p in ("tests", "analysis/tests") if glob.glob(os.path.join(ROOT, p, "test_*.py"))]
    if not paths:
        return 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        xml = os.path.join(tmp, "junit.xml")
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               f"--junitxml={xml}", *paths], cwd=ROOT)
        if not os.path.exists(xml):
            print(f"pytest did not run (exit {proc.returncode})")
            return 0, 1
        passed = failed = 0
        for case in ET.parse(xml).getroot().iter("testcase"):
            if case.find("skipped") is not None:
                continue
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            else:
                passed += 1
        if proc.returncode not in (0, 1, 5):
            failed += 1
        return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--c-only", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("CLUSTERSIM", os.path.join(ROOT, "clustersim"))
    p, f = run_c_tests(args.build)
    if not args.c_only:
        pp, pf = run_pytest()
        p += pp
        f += pf
    print(f"{p} passed, {f} failed")
    return 1 if f else 0


if __name__ == "__main__":
    sys.exit(main())
