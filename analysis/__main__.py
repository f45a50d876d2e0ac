"""Command line: python3 -m analysis compare|show|export (see docs/analysis.md)."""
import os
import sys

USAGE = """usage:
  python3 -m analysis compare BASELINE... [--where KEY=VALUE] -- POLICY... [--where KEY=VALUE]
                             [--window START:END] [--discount-rate R] [-o DIR]
  python3 -m analysis sweep SWEEP_DIR [--discount-rate R] [-o DIR] [--quiet]
  python3 -m analysis show RUN.h5 [-o DIR]
  python3 -m analysis export RUN.h5 -o DIR
  python3 -m analysis animate RUN.h5 [RUN2.h5] [--field F] [--sector S] [--fps N] [--dpi D]
                             -o FILE.gif

Each side of compare is one or more run files, directories (every *.h5 below), sweep
directories or sweep.h5 files; --where (repeatable, on the side it follows) keeps a sweep's runs
whose column KEY (scenario, seed, id, status, scenario_file, a varied config key or a final
metric) equals VALUE.
Each side must be one scenario (one config but for the seed), both at one scale; runs are
paired by seed; with several seeds every figure is a mean with a 95% CI.
--window START:END (steps, END exclusive like a policy's end) sets the programme period that
compare reports beside the whole run; default: from the first step firms hear of a policy
(its start less firms.t_plan, at least step 1) to 20 steps after the policies' last active step.
--discount-rate R (compare, sweep: an annual real rate as a fraction, e.g. 0.035 for the Green
Book's 3.5%, or green-book for its declining schedule; default 0, undiscounted) makes every
total over steps and the ratios built from them present values in 2018: step t weighted by
(1 + R)^(-t/4), job-years as well as pounds.
compare writes DIR/summary.md, DIR/summary.csv and PNG plots (default DIR ./compare-out);
sweep writes DIR/sweep_table.md, .csv, a PNG per varied key and, when the sweep has a scenario
named baseline, the league table DIR/league.md, .csv, printed too (default DIR ./sweep-out);
show prints a run's summary and writes its plots (default DIR ./show-out);
export writes the run's series as CSV files;
animate writes an animated GIF of the map snapshots (F: employment, firms, rent, residents or
sector with --sector NAME), two runs side by side on one colour scale; --dpi D (default 120:
1200 x 768 pixels for two runs) sets its size."""


class UsageError(Exception):
    pass


def _take_output(args, default):
    rest, out, i = [], default, 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "--output"):
            if i + 1 >= len(args):
                raise UsageError(f"{a} needs a directory")
            out = args[i + 1]
            i += 2
            continue
        if a.startswith("--output="):
            out = a.split("=", 1)[1]
        elif a.startswith("-") and a != "--" and len(a) > 1:
            raise UsageError(f"unknown option {a}")
        else:
            rest.append(a)
        i += 1
    return rest, out


def _parent_ok(path, what):
    """Raises AnalysisError unless `path` could be created: its nearest existing ancestor is a
    directory this user may write to."""
    from .runs import AnalysisError
    parent = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise AnalysisError(f"{path}: cannot create the {what}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise AnalysisError(f"{path}: cannot create the {what}: {parent} is not writable")


def check_outdir(path):
    """Checks an output directory (-o DIR) before any work: an existing directory, or a path
    that can be created; else AnalysisError (exit 2), e.g. for an existing file."""
    from .runs import AnalysisError
    if not path:
        raise AnalysisError("-o needs a directory name")
    if path.endswith(os.sep) and os.path.exists(path.rstrip(os.sep) or os.sep) \
            and not os.path.isdir(path.rstrip(os.sep) or os.sep):
        raise AnalysisError(f"{path}: exists and is not a directory (-o wants a directory)")
    if os.path.isdir(path):
        if not os.access(path, os.W_OK | os.X_OK):
            raise AnalysisError(f"{path}: the output directory is not writable")
        return
    if os.path.exists(path):
        raise AnalysisError(f"{path}: exists and is not a directory (-o wants a directory)")
    _parent_ok(path, "output directory")


def make_outdir(path):
    """Creates the output directory (check_outdir first), with a plain error if that fails."""
    from .runs import AnalysisError
    check_outdir(path)
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise AnalysisError(f"{path}: cannot create the output directory "
                            f"({e.strerror or e})") from None


def _take_opt(args, name):
    """Splits `name VALUE` (or name=VALUE) from args: (rest, value or None)."""
    rest, val, i = [], None, 0
    while i < len(args):
        a = args[i]
        if a == name:
            if i + 1 >= len(args):
                raise UsageError(f"{name} needs a value")
            val = args[i + 1]
            i += 2
            continue
        if a.startswith(name + "="):
            val = a.split("=", 1)[1]
        else:
            rest.append(a)
        i += 1
    return rest, val


def _take_where(args):
    """Splits --where KEY=VALUE (or --where=KEY=VALUE) options from a side's arguments."""
    from .sweep import parse_where
    rest, where, i = [], [], 0
    while i < len(args):
        a = args[i]
        if a == "--where":
            if i + 1 >= len(args):
                raise UsageError("--where needs KEY=VALUE")
            where.append(parse_where(args[i + 1]))
            i += 2
            continue
        if a.startswith("--where="):
            where.append(parse_where(a.split("=", 1)[1]))
        else:
            rest.append(a)
        i += 1
    return rest, where


def _discount(value):
    """--discount-rate's value (compare.parse_discount), 0 (undiscounted) when not given."""
    from .compare import parse_discount
    return 0.0 if value is None else parse_discount(value)


def cmd_compare(args):
    from . import compare, runs
    if "--" not in args:
        raise UsageError("compare needs BASELINE... -- POLICY...")
    k = args.index("--")
    base_in, base_where = _take_where(args[:k])
    pol_in, pol_where = _take_where(args[k + 1:])
    base_in, win1 = _take_opt(base_in, "--window")
    pol_in, win2 = _take_opt(pol_in, "--window")
    base_in, dr1 = _take_opt(base_in, "--discount-rate")
    pol_in, dr2 = _take_opt(pol_in, "--discount-rate")
    discount = _discount(dr2 if dr2 is not None else dr1)   # before loading every run
    base_in, out1 = _take_output(base_in, None)
    pol_in, out2 = _take_output(pol_in, None)
    outdir = out2 or out1 or "compare-out"
    if not base_in or not pol_in:
        raise UsageError("compare needs at least one baseline and one policy run")
    check_outdir(outdir)   # before loading every run
    base = runs.load_side(base_in, "baseline", base_where)
    pol = runs.load_side(pol_in, "policy", pol_where)
    pairs = runs.pair(base, pol)
    diffs = runs.model_differences(pairs)
    if diffs:
        print(f"analysis: warning: {compare.MODEL_DIFFERS}{runs.model_differences_text(diffs)}"
              f"{compare.MODEL_DIFFERS_TAIL}", file=sys.stderr)
    mixed = compare.build_notes(pairs)[1]
    if mixed:
        print(f"analysis: warning: {mixed}", file=sys.stderr)
    for idle in compare.never_acting(pairs[0][1]):
        print(f"analysis: warning: {idle}", file=sys.stderr)
    win = win2 or win1
    window = compare.parse_window(win, pairs[0][1].steps) if win else "default"
    rows, target = compare.compare(pairs, window, discount)
    from . import plots
    b0, p0 = pairs[0]
    notes = compare.notes(pairs, target)
    summary = compare.summary_sentences(rows, target.label, target.window_source, b0.steps)
    md = compare.markdown(rows, compare.title(b0, p0, discount), notes, summary,
                          target.nontradable)
    make_outdir(outdir)
    files = []
    files += plots.timeseries_compare(pairs, outdir, (b0.scenario, p0.scenario))
    files += plots.target_employment(pairs, target, outdir)
    files += plots.region_bars(rows, outdir)
    files += plots.employment_maps(pairs, outdir, target)
    files += plots.cluster_maps([(f"baseline ({b0.scenario})", [b for b, _ in pairs]),
                                 (f"policy ({p0.scenario})", [p for _, p in pairs])], outdir)
    md += "\n## Figures\n\n" + "\n".join(f"![{os.path.basename(f)}]({os.path.basename(f)})"
                                         for f in files) + "\n"
    if any(os.path.basename(f) == "target_employment.png" for f in files):
        md += f"\n{compare.TARGET_FIGURE}\n"
    compare.write_text(md, os.path.join(outdir, "summary.md"))
    compare.write_csv(rows, os.path.join(outdir, "summary.csv"))
    try:
        print(md)
    except BrokenPipeError:
        pass
    print(f"wrote {outdir}/summary.md, summary.csv and {len(files)} figures", file=sys.stderr)
    return 0


def cmd_sweep(args):
    from . import compare, plots, sweep
    quiet = "--quiet" in args or "-q" in args
    args, dr = _take_opt(args, "--discount-rate")
    discount = _discount(dr)
    rest, outdir = _take_output([a for a in args if a not in ("--quiet", "-q")], "sweep-out")
    if len(rest) != 1:
        raise UsageError("sweep needs one sweep directory (or its sweep.h5)")
    check_outdir(outdir)
    df = sweep.run_table(rest[0])
    keys = df.attrs["varied_keys"]
    name = df.attrs.get("name", os.path.basename(os.path.abspath(rest[0])))
    counts = df["status"].value_counts().to_dict()
    if counts.get("ok", 0) == 0:
        raise sweep.AnalysisError(f"{rest[0]}: no finished runs (status: {counts})")
    if len(df) > counts.get("ok", 0):
        print(f"analysis: warning: {rest[0]}: runs not ok are left out: "
              + ", ".join(f"{v} {k}" for k, v in counts.items() if k != "ok"), file=sys.stderr)
    tab = sweep.outcome_table(df)
    make_outdir(outdir)
    files = []
    tnotes = []
    if compare.discounted(discount):
        # the sweep table's figures come from the sweep file's final metrics, not the run files
        tnotes.append("not discounted: --discount-rate applies to the league table's totals; "
                      "spending_cumulative here is the engine's plain total over the run")
    md = sweep.table_markdown(tab, keys, f"Sweep {name}: final outcomes", tnotes)
    compare.write_text(md, os.path.join(outdir, "sweep_table.md"))
    compare.write_frame(sweep.whole_numbers_as_integers(tab, keys),
                        os.path.join(outdir, "sweep_table.csv"))
    files += [os.path.join(outdir, "sweep_table.md"), os.path.join(outdir, "sweep_table.csv")]
    for i, k in enumerate(keys):
        files.append(plots.sweep_key(tab, k, keys, outdir, f"sweep_{i}_{sweep.safe_name(k)}.png"))
    lg = sweep.league(df, quiet=quiet, discount=discount)
    if lg is not None and len(lg):
        words = compare.discount_words(discount)
        lmd = sweep.league_markdown(lg, f"Sweep {name}: league table against the baseline"
                                    + (f" (present values in 2018, {words})" if words else ""))
        compare.write_text(lmd, os.path.join(outdir, "league.md"))
        compare.write_frame(lg, os.path.join(outdir, "league.csv"))
        files += [os.path.join(outdir, "league.md"), os.path.join(outdir, "league.csv")]
        out = lmd
    else:
        out = md if lg is None else md + "\n(no policy runs pair with the baseline)\n"
        if lg is None:
            out += "\n(no scenario named baseline: no differences and no league table)\n"
    try:
        print(out)
    except BrokenPipeError:
        pass
    print("wrote " + ", ".join(files), file=sys.stderr)
    return 0


def _load_one(args, default_out, need_out=False):
    from . import runs
    rest, outdir = _take_output(args, default_out)
    if len(rest) != 1:
        raise UsageError("give exactly one run file")
    if need_out and outdir is None:
        raise UsageError("export needs -o DIR")
    check_outdir(outdir)
    run = runs.Run(rest[0])
    if run.complete != 1:
        print(f"analysis: warning: {run.path}: run is incomplete (complete = {run.complete})",
              file=sys.stderr)
    return run, outdir


def cmd_show(args):
    from . import compare, stats
    run, outdir = _load_one(args, "show-out")
    from . import plots
    fmt = compare.fmt
    print(f"# {run.scenario}, seed {run.seed}\n")
    # a stopped run's file ends where it stopped: its figures are of that step, not the last
    last = int(run.ts["step"][-1]) if "step" in run.ts and len(run.ts["step"]) else run.steps
    done = "" if last == run.steps else f", of which {last} were run (the run stopped there)"
    at = "final step" if last == run.steps else f"step {last}, where the run stopped"
    print(f"- file: {run.path}\n- steps: {run.steps} (quarters){done}\n- complete: {run.complete}")
    pols = [p.get("name", p.get("type", "?")) for p in run.policies() if isinstance(p, dict)]
    print(f"- policies: {', '.join(pols) if pols else 'none'}\n")
    head = "Final national metrics" if last == run.steps else f"National metrics at {at}"
    print(f"## {head}\n\n| metric | {'final' if last == run.steps else f'step {last}'} | units "
          "|\n|---|---:|---|")
    for k in sorted(run.ts):
        if k in ("step", "year"):
            continue
        print(f"| {k} | {fmt(float(run.ts[k][-1]))} | {run.ts_units.get(k, '')} |")
    cum = float(run.ts["spending"][1:].sum()) if "spending" in run.ts else float("nan")
    print(f"| cumulative spending | {fmt(cum)} | {compare.money_unit(run)} |\n")
    print(f"## Clusters per sector ({at})\n")
    # the maps are snapshots (every output.snapshot_every steps and at the final step): a
    # stopped run's last one can be older than the step its series reach
    snap = int(run.snap_steps[-1]) if len(run.snap_steps) else None
    if snap is not None and snap != last:
        print(f"The top clusters and the employment map are of step {snap}, the run's last "
              f"snapshot; the other columns are of step {last}.\n")
    top_at = f"step {snap}" if snap is not None else "last snapshot"
    print("| sector | EG index | clusters | largest cluster employment | at (x, y) | "
          f"top clusters at {top_at} (employment @ x, y) |\n|---|---:|---:|---:|---|---|")
    for j, s in enumerate(run.sector_names):
        g = lambda k: float(run.sectors[k][-1, j]) if k in run.sectors else float("nan")  # noqa
        top = ""
        if "sector_employment" in run.snap:
            se = run.snap["sector_employment"]
            _, cl = stats.clusters(se[j], se.sum(0), *run.cluster_rule())
            top = "; ".join(f"{c['employment']:,.0f} @ {c['x']:.1f}, {c['y']:.1f}"
                            for c in cl[:3] if c["employment"] > 0)
        print(f"| {s} | {fmt(g('eg_index'))} | {fmt(g('cluster_count'))} | "
              f"{fmt(g('largest_cluster_employment'))} | {fmt(g('largest_cluster_x'))}, "
              f"{fmt(g('largest_cluster_y'))} | {top or 'none'} |")
    make_outdir(outdir)
    files = plots.timeseries_single(run, outdir) + plots.employment_map_single(run, outdir)
    files += plots.cluster_maps([(f"{run.scenario}, seed {run.seed}", [run])], outdir)
    print(f"\nwrote {len(files)} figures to {outdir}", file=sys.stderr)
    return 0


def cmd_export(args):
    run, outdir = _load_one(args, None, need_out=True)
    make_outdir(outdir)
    from .compare import write_frame
    write_frame(run.frame("timeseries"), os.path.join(outdir, "timeseries.csv"), index=True)
    for prefix, table in (("sectors", run.sectors), ("regions", run.regions)):
        for k in table:
            write_frame(run.frame(prefix, k), os.path.join(outdir, f"{prefix}_{k}.csv"), index=True)
    if run.policy_spending.shape[1]:
        write_frame(run.frame("policies"), os.path.join(outdir, "policies_spending.csv"),
                    index=True)
    print(f"wrote CSV files to {outdir}", file=sys.stderr)
    return 0


def cmd_animate(args):
    from . import animate
    opts, rest, i = {"--field": "employment", "--sector": None, "--fps": "4",
                     "--dpi": str(animate.DPI), "-o": None}, [], 0
    while i < len(args):
        a = args[i]
        key = a.split("=", 1)[0]
        if key in opts or key == "--output":
            key = "-o" if key == "--output" else key
            if "=" in a:
                opts[key] = a.split("=", 1)[1]
            elif i + 1 < len(args):
                opts[key] = args[i + 1]
                i += 1
            else:
                raise UsageError(f"{a} needs a value")
        elif a.startswith("-"):
            raise UsageError(f"unknown option {a}")
        else:
            rest.append(a)
        i += 1
    if not 1 <= len(rest) <= 2:
        raise UsageError("animate takes one run file, or two to show side by side")
    if not opts["-o"]:
        raise UsageError("animate needs -o FILE.gif")
    if not opts["--fps"].isdigit() or not 1 <= int(opts["--fps"]) <= 50:
        raise UsageError("--fps needs an integer from 1 to 50")
    if not opts["--dpi"].isdigit() or not 40 <= int(opts["--dpi"]) <= 300:
        raise UsageError("--dpi needs an integer from 40 to 300")
    try:
        n = animate.animate(rest, opts["-o"], opts["--field"], opts["--sector"],
                            int(opts["--fps"]), int(opts["--dpi"]))
    except animate.AnimateError as e:
        raise UsageError(str(e)) from None
    print(f"wrote {opts['-o']} ({n} frames)", file=sys.stderr)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    from .runs import AnalysisError
    cmds = {"compare": cmd_compare, "sweep": cmd_sweep, "show": cmd_show, "export": cmd_export,
            "animate": cmd_animate}
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    try:
        if argv[0] not in cmds:
            raise UsageError(f"unknown command {argv[0]!r} (compare, sweep, show, export or animate)")
        if "-h" in argv[1:] or "--help" in argv[1:]:
            print(USAGE)
            return 0
        return cmds[argv[0]](argv[1:])
    except (UsageError, AnalysisError) as e:
        print(f"analysis: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
