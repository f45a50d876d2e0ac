"""clustersim analysis: scenario comparison with common random numbers, sweeps, run summaries,
export.

    python3 -m analysis compare BASELINE... [--where K=V] -- POLICY... [--where K=V] [-o DIR]
    python3 -m analysis sweep SWEEP_DIR [-o DIR]
    python3 -m analysis show RUN.h5 [-o DIR]
    python3 -m analysis export RUN.h5 -o DIR

Modules: runs (loading, validation, pairing; Run.frame gives pandas tables), sweep (sweep
outputs: run_table, open_sweep, outcome and league tables), stats (t quantiles via scipy, paired
CIs, cost ratios, cluster rule), compare (outcome table), plots (figures), libcfg (the run
config through python3-libconf). See docs/analysis.md."""
import sys

try:  # Debian's packages (docs/analysis.md): another interpreter lacks them
    import h5py  # noqa: F401
    import numpy  # noqa: F401
except ImportError as _e:
    _why = (f"clustersim's analysis needs Debian's python3-h5py and python3-numpy ({_e}): run "
            "it with /usr/bin/python3 (make deps installs them)")
    if sys.argv[:1] == ["-m"]:  # `python3 -m analysis`: a message, not a traceback
        print(f"analysis: error: {_why}", file=sys.stderr)
        sys.exit(2)
    raise ImportError(_why) from None
from . import compare, libcfg, runs, stats, sweep  # noqa: E402,F401
from .runs import AnalysisError, Run, load_side, pair  # noqa: E402,F401
from .sweep import load_run, open_sweep, run_table  # noqa: E402,F401
