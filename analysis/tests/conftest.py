import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pytest  # noqa: E402


class _Res:
    def __init__(self, rc, out, err):
        self.returncode, self.stdout, self.stderr = rc, out, err


@pytest.fixture
def run_main(capsys):
    """`python3 -m analysis ARGS` in this process (faster than a subprocess per call): an object
    with returncode, stdout and stderr."""
    from analysis.__main__ import main

    def go(*args):
        capsys.readouterr()
        rc = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return _Res(rc, out, err)
    return go
