"""The Makefile's contract for building on a cluster (docs/hpc.md, "Building on a cluster"):
the HDF5 and libconfig locations, CPPFLAGS, LDFLAGS, CC and WERROR given on make's command line
reach the compile and link lines without dropping the project's own flags. Checked with
`make -n -B` (prints the commands, runs none) into a scratch build folder."""
import os
import shlex
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def commands(tmp_path, target, *assign):
    """The commands `make` would run for target (a path under a scratch BUILD), as word lists."""
    p = subprocess.run(["make", "-n", "-B", "--no-print-directory", f"BUILD={tmp_path}", *assign,
                        target.format(b=tmp_path)], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    return [shlex.split(line) for line in p.stdout.splitlines() if line.strip()]


def compile_line(cmds, source):
    lines = [c for c in cmds if source in c and "-c" in c]
    assert len(lines) == 1, cmds
    return lines[0]


def test_cppflags_from_the_command_line_add_to_the_projects(tmp_path):
    c = compile_line(commands(tmp_path, "{b}/sim/version.o", "CPPFLAGS=-I/opt/hdf5/include"),
                     "sim/version.c")
    assert c[0] == "gcc"  # make's own default, cc, is not used
    for flag in ("-I/opt/hdf5/include", "-Isim", "-Iconfig", "-D_DEFAULT_SOURCE", "-Werror",
                 "-ffp-contract=off"):
        assert flag in c, (flag, c)
    assert any(w.startswith("-DCS_GIT_HASH=") for w in c), c  # the target's own addition too


def test_hdf5_location_ldflags_werror_and_cc(tmp_path):
    cmds = commands(tmp_path, "clustersim", "CC=cc", "WERROR=",
                    "HDF5_CPPFLAGS=-I/opt/hdf5/include", "HDF5_LIBS=-L/opt/hdf5/lib -lhdf5",
                    "LDFLAGS=-Wl,-rpath,/opt/hdf5/lib")
    c = compile_line(cmds, "sim/pcg32.c")
    assert c[0] == "cc" and "-I/opt/hdf5/include" in c and "-Isim" in c
    assert "-I/usr/include/hdf5/serial" not in c and "-Werror" not in c and "-Wall" in c
    link = [x for x in cmds if "-o" in x and x[x.index("-o") + 1] == "clustersim"]
    assert len(link) == 1, cmds
    link = link[0]
    assert link[0] == "cc"
    for w in ("-Wl,-rpath,/opt/hdf5/lib", "-L/opt/hdf5/lib", "-lhdf5", "-lconfig", "-lm"):
        assert w in link, (w, link)
    assert "-L/usr/lib/x86_64-linux-gnu/hdf5/serial" not in link
    # libraries after the objects, so that static ones resolve
    assert link.index("-lhdf5") > max(i for i, w in enumerate(link) if w.endswith(".o"))


def test_ldlibs_from_the_command_line_add_to_the_projects(tmp_path):
    cmds = commands(tmp_path, "clustersim", "LDLIBS=-lsz")
    link = [x for x in cmds if "-o" in x and x[x.index("-o") + 1] == "clustersim"][0]
    for w in ("-lsz", "-lhdf5", "-lconfig", "-lm"):
        assert w in link, (w, link)


def test_cflags_from_the_command_line_or_environment_add_to_the_projects(tmp_path):
    """make CFLAGS=-O2 (or CFLAGS in the environment, as a packaging script sets it) used to
    replace the project's flags, dropping -fopenmp (the link then fails) and -ffp-contract=off
    (results then differ by machine)."""
    for how in ("line", "env"):
        if how == "line":
            cmds = commands(tmp_path, "clustersim", "CFLAGS=-O2 -march=x86-64-v2")
        else:
            env = dict(os.environ, CFLAGS="-O2 -march=x86-64-v2")
            p = subprocess.run(["make", "-n", "-B", "--no-print-directory", f"BUILD={tmp_path}",
                                "clustersim"], cwd=ROOT, capture_output=True, text=True,
                               timeout=60, env=env)
            assert p.returncode == 0, p.stderr
            cmds = [shlex.split(line) for line in p.stdout.splitlines() if line.strip()]
        for line in (compile_line(cmds, "sim/pcg32.c"),
                     [x for x in cmds if "-o" in x and x[x.index("-o") + 1] == "clustersim"][0]):
            for flag in ("-std=c11", "-fopenmp", "-Wall", "-Werror", "-ffp-contract=off",
                         "-march=x86-64-v2"):
                assert flag in line, (how, flag, line)
            # the user's optimisation level comes after the project's, so it is the one used
            assert line.index("-O2") > line.index("-O3"), (how, line)
