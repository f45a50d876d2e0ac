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
from . import compare, libcfg, runs, stats, sweep  # noqa: F401
from .runs import AnalysisError, Run, load_side, pair  # noqa: F401
from .sweep import load_run, open_sweep, run_table  # noqa: F401
