"""clustersim analysis: scenario comparison with common random numbers, run summaries, export.

    python3 -m analysis compare BASELINE... -- POLICY... [-o DIR]
    python3 -m analysis show RUN.h5 [-o DIR]
    python3 -m analysis export RUN.h5 -o DIR

Modules: runs (loading, validation, pairing), stats (t quantiles, paired CIs, cost ratios,
cluster rule), compare (outcome table), plots (figures), libcfg (libconfig parser).
See docs/analysis.md."""
from . import compare, libcfg, runs, stats  # noqa: F401
from .runs import AnalysisError, Run, load_side, pair  # noqa: F401
