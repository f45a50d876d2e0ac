"""`make demo`: run baseline and tech_city over a few seeds at a small scale, compare them and
say in plain English what the comparison found.

    /usr/bin/python3 -m analysis.demo [--bin ./clustersim] [--out demo-out] [--seeds 20]
                                      [--scale 0.002] [--steps N] [--jobs 2]

Writes DIR/runs/<scenario>/seed<N>.h5 and DIR/compare/ (summary.md, summary.csv, PNG figures).
The reading printed at the end is generated from DIR/compare/summary.csv."""
import argparse
import csv
import math
import os
import shlex
import shutil
import subprocess
import sys
import time

from .compare import (CAVEATS, NO_OUTPUT_EFFECT, OUTPUT_LOST, UNCHANGED, economy_sentence, fmt,
                      gbp, net_words, summary_sentences)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = ("baseline", "tech_city")


def run_all(args, rundir):
    """Runs every (scenario, seed), args.jobs at a time, one thread each."""
    todo = [(sc, s) for s in range(1, args.seeds + 1) for sc in SCENARIOS]
    running, t0, total, done = [], time.time(), len(todo), 0
    print(f"  writing {os.path.relpath(rundir)}/<scenario>/seed<N>.h5", flush=True)
    while todo or running:
        while todo and len(running) < args.jobs:
            sc, s = todo.pop(0)
            os.makedirs(os.path.join(rundir, sc), exist_ok=True)
            out = os.path.join(rundir, sc, f"seed{s}.h5")
            cmd = [args.bin, "run", os.path.join(ROOT, "scenarios", sc + ".cfg"), "-o", out,
                   "--seed", str(s), "--threads", "1", "--quiet", "--set", f"scale={args.scale}"]
            if args.steps is not None:
                cmd += ["--steps", str(args.steps)]
            running.append((subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                             text=True), cmd, out))
        p, cmd, out = running.pop(0)
        so, se = p.communicate()
        if p.returncode != 0:
            sys.exit(f"demo: run failed ({p.returncode}): {' '.join(cmd)}\n{so}{se}")
        done += 1
        # a line per seed's pair of runs would scroll the class's screen: a few instead
        if done == total or done % max(1, total // 4) == 0:
            print(f"  {done} of {total} runs done ({time.time() - t0:.0f} s)", flush=True)


def signed(v):
    return ("+" if v > 0 else "") + fmt(v)


def ci_text(r):
    """The row's 95% CI in words: "95% CI +a to +b", "95% CI unbounded" where compare left it
    empty because it is unbounded (a ratio per pound whose extra spending's CI includes 0; the
    note says why), else "no confidence interval" (one seed)."""
    if not math.isfinite(r["ci_low"]):
        note = str(r.get("note", ""))
        if note.startswith("CI unbounded"):
            return "95% CI unbounded" + note[len("CI unbounded"):]
        return "no confidence interval"
    return f"95% CI {signed(r['ci_low'])} to {signed(r['ci_high'])}"


def verdict(r):
    if not math.isfinite(r["ci_low"]):
        return ""
    if r["ci_low"] > 0 or r["ci_high"] < 0:
        return "; the interval excludes zero, so this is larger than seed-to-seed noise"
    return "; the interval includes zero, so it cannot be told apart from seed-to-seed noise"


def difference_words(v, unit):
    """A policy - baseline difference as one, not as a level: "8,700 fewer jobs than without the
    policy" ("ended with -8,700 jobs" read as a negative headcount)."""
    if v == 0:
        return f"the same number of {unit} as without the policy"
    return f"{fmt(abs(v))} {'more' if v > 0 else 'fewer'} {unit} than without the policy"


def pct_text(r):
    return f", {signed(r['percent'])}% of the baseline" if math.isfinite(r["percent"]) else ""


def displacement_text(d, n_seeds):
    """The displacement row (cumulative) in words, qualified by its 95% CI: a statement about
    more or fewer job-years lost elsewhere than gained (1) or about jobs moved or also gained
    elsewhere (0) is made only where the interval excludes that value. compare states it only
    where the target area's gain is detectable (stats.displacement); otherwise its note says
    why, and so does this."""
    v, lo, hi = d["difference"], d["ci_low"], d["ci_high"]
    if not math.isfinite(v):
        why = d.get("note") or "the target area did not gain job-years"
        return (f"Displacement (the share of the target area's gain lost elsewhere) is not "
                f"stated: {why}, so there is no gain to share out.")
    head = (f"Displacement was {fmt(v)} (job-years lost outside the target area per job-year "
            f"gained in it, means over the {d['n_seeds']} seeds, ")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        head += "no confidence interval): "
        if v < 0:
            return head + ("on this seed jobs were gained outside the target area too, not "
                           "moved from it; with one seed the data cannot tell more.")
        if v <= 1:
            return head + (f"on this seed about {100 * v:.0f}% of the target area's gain was lost "
                           "elsewhere; with one seed the data cannot tell more.")
        return head + ("on this seed more job-years were lost elsewhere than the target area "
                       "gained; with one seed the data cannot tell more.")
    head += f"95% CI {fmt(lo)} to {fmt(hi)}): "
    if hi < 0:
        return head + "jobs were gained outside the target area too, not moved from it."
    if lo > 1:
        return head + "more job-years were lost elsewhere than the target area gained."
    if lo > 0 and hi < 1:
        return head + (f"about {100 * v:.0f}% of the target area's gain was lost elsewhere, and "
                       "the rest was added.")
    if lo <= 0 and hi >= 1:
        return head + ("the interval includes both 0 and 1, so the data cannot tell whether the "
                       "target area's gain was added or moved from elsewhere.")
    if lo <= 0:   # and hi < 1
        return head + ("the interval includes 0, so the data cannot tell whether any of the "
                       "target area's gain was moved from elsewhere (or jobs were gained "
                       "elsewhere too); it was not all moved.")
    # 0 < lo <= 1 <= hi
    return head + ("the interval includes 1, so the data cannot tell whether more or fewer "
                   "job-years were lost elsewhere than the target area gained; jobs were moved "
                   "from elsewhere, and perhaps all of the gain.")


def output_text(o):
    """The output-per-pound row in words, qualified as compare's note qualifies it: with "no
    detectable output effect" the figure is seed noise divided by the spending."""
    line = (f"Each pound spent changed national output by {gbp(o['difference'])} over the run "
            f"({ci_text(o)})")
    note = str(o.get("note", ""))
    if note.startswith(NO_OUTPUT_EFFECT):
        line += (", but with no detectable output effect (the 95% CI of cumulative national "
                 "output includes zero), so this is not a return on the money")
    elif note.startswith(OUTPUT_LOST):
        line += ": national output fell (the 95% CI of cumulative output lies below zero)"
    return line + "."


def _detected(r):
    """+1 or -1 where the row's 95% CI excludes zero (above, below), 0 where it includes it,
    None without a row or a CI."""
    if r is None or not math.isfinite(r["difference"]) or not math.isfinite(r["ci_low"]):
        return None
    return 1 if r["ci_low"] > 0 else -1 if r["ci_high"] < 0 else 0


# the lower end of displacement's 95% CI above which "nearly all" of a gain was moved
NEARLY_ALL = 0.85


def moved_words(d):
    """How much of the target area's gain was moved from elsewhere, from the displacement row's
    95% CI (d: its difference, ci_low, ci_high): "nearly all" where the lower end is at least
    NEARLY_ALL, "most" above 0.5, "some" above 0 (with "fewer than half" where the upper end is
    below 0.5), and no claim where the interval reaches 0 or below. The interval follows."""
    lo, hi = d["ci_low"], d["ci_high"]
    ci = f" (displacement {fmt(d['difference'])}, 95% CI {fmt(lo)} to {fmt(hi)})"
    if lo >= NEARLY_ALL:
        return ("so nearly all of the jobs it added there were moved from elsewhere, not "
                "created" + ci)
    if lo > 0.5:
        return "so most of the jobs it added there were moved from elsewhere, not created" + ci
    if lo > 0 and hi < 0.5:
        return "so some of the jobs it added there, fewer than half, were moved from elsewhere" + ci
    if lo > 0:
        return "so some of the jobs it added there, perhaps most, were moved from elsewhere" + ci
    return ("so these seeds cannot tell whether the jobs it added there were created or moved "
            "from elsewhere" + ci)


def headline(rows, target):
    """What a reader takes away, in two or three sentences before the figures: from the
    job-years in the target area and nationally over the programme period (where compare has
    one: the policies' steps and a tail), else over the whole run, each read only as far as its
    95% CI allows. "" where either has no CI (one seed)."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    m = "window" if ("employment", "national", "window") in get else "cumulative"
    loc = _detected(get.get(("employment", "target area", m)))
    nat = _detected(get.get(("employment", "national", m)))
    if loc is None or nat is None:
        return ""
    area = f"the target area ({target})"
    here = {1: f"the policy added jobs in {area}", -1: f"the policy cost jobs in {area}",
            0: f"these seeds cannot tell the policy's effect on jobs in {area} from chance"}
    whole = {1: "added jobs in the economy as a whole", -1: "cost jobs in the economy as a whole",
             0: "had no effect on the economy's jobs that these seeds can detect"}
    if loc:
        s = f"In short: {here[loc]}, and it {whole[nat]}"
    else:
        s = f"In short: {here[loc]}" + (f", though it {whole[nat]}" if nat else "")
    tr, nr = get[("employment", "target area", m)], get[("employment", "national", m)]
    d = get.get(("displacement", "target area", m))
    if (loc, nat) == (1, 0) and d is not None and math.isfinite(d["difference"]) and \
            math.isfinite(d["ci_low"]) and math.isfinite(d["ci_high"]):
        # how much was moved follows the displacement interval compare has computed (its lower
        # end: at least that share of the area's gain was lost elsewhere); "some" for 0.87 to
        # 1.44 understated it
        so = moved_words(d)
    elif (loc, nat) == (1, 0):
        # no displacement row (an older summary.csv): "moved" only where the economy's gain is
        # surely below the area's: a national interval that includes zero may also reach above
        # the area's gain
        if nr["ci_high"] < 0.5 * tr["ci_low"]:
            so = "so most of the jobs it added there were moved from elsewhere, not created"
        elif nr["ci_high"] < tr["ci_low"]:
            so = "so some of the jobs it added there were moved from elsewhere"
        else:
            so = ("so these seeds cannot tell whether the jobs it added there were created or "
                  "moved from elsewhere")
    else:
        so = {(1, 1): "so it created jobs, not only moved them",
              (1, -1): "so more jobs were lost elsewhere than it added there"}.get((loc, nat))
    s += (f"; {so}." if so else ".")
    over = "the programme period" if m == "window" else "the whole run"
    return s + f" (Job-years over {over}, each read from its 95% confidence interval; the " \
               "figures follow.)"


def reading(rows, target, years, n_seeds, scale, notes=()):
    """One paragraph in plain English, built from the summary rows (and summary.md's notes:
    a policy that changed nothing but spending is said so first)."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    ok = lambda r: r is not None and math.isfinite(r["difference"])  # noqa: E731
    s = []
    if any(UNCHANGED in n for n in notes):
        s.append(f"Note: {UNCHANGED[0].upper() + UNCHANGED[1:]}; the zeros below are exact, "
                 "not estimates.")
    # the programme period first: the policy acts for part of the run only, and the whole-run
    # and final-step figures dilute its effect (tech_city acts in steps 8-47 of 160)
    said = summary_sentences(rows, target, total_steps=int(years * 4))
    s += [x for x in said if x.startswith("Over the programme period")]
    t = get.get(("employment", "target area", "final"))
    if ok(t):
        s.append(f"After {years:g} years, employment in the target area ({target}) changed by "
                 f"{signed(t['difference'])} jobs ({ci_text(t)}{pct_text(t)}){verdict(t)}.")
    tc = get.get(("employment", "target area", "cumulative"))
    if ok(tc):
        s.append(f"Summed over the whole run that is {signed(tc['difference'])} job-years "
                 f"({ci_text(tc)}){verdict(tc)}.")
    n = get.get(("employment", "national", "final"))
    if ok(n):
        s.append(f"National employment changed by {signed(n['difference'])} jobs "
                 f"({ci_text(n)}){verdict(n)}.")
    d = get.get(("displacement", "target area", "cumulative"))
    if d is not None:
        s.append(displacement_text(d, n_seeds))
    sp = get.get(("spending", "national", "cumulative"))
    c = get.get(("cost_per_job_year", "national", "cumulative"))
    if ok(sp):
        line = f"The policy spent {gbp(sp['difference'])} (2018 pounds) in all"
        if c is not None and c.get("note", "").startswith("no detectable job effect"):
            # a cost per job is meaningless when the net jobs' CI includes zero
            # (compare.honest_cost); say how small an effect the seeds cannot see and what cost
            # the data rule out, rather than "no jobs"
            line += (" over the whole run, with no detectable job effect nationally (the 95% CI "
                     "of net job-years includes zero), so no cost per job can be stated")
            detail = c["note"].split(": ", 1)[1] if ": " in c["note"] else ""
            if detail:
                line += ": " + detail.replace("this experiment", "the experiment")
        elif c is not None and c.get("note", "").startswith("net jobs lost"):
            line += (", and national net job-years fell (their 95% CI lies below zero), so "
                     "there is no cost per job to state")
        elif ok(c) and c["n_seeds"] > 0:
            line += f", {gbp(c['difference'])} per net job-year nationally ({ci_text(c)})"
        # the same money net of the profit tax the payments bring back (compare's words, CIs)
        net = net_words(get, "cumulative")
        s.append(line + ("; " + net if net else "") + ".")
    o = get.get(("output_per_pound", "national", "cumulative"))
    if ok(o):
        s.append(output_text(o))
    # national output, output per worker and the mean wage where their 95% CIs exclude zero,
    # over the run and at its end (compare's words): a cost per job is not the whole story
    econ = economy_sentence(get, "cumulative", "over the whole run, ")
    if econ:
        s.append(econ)
    s += [x for x in said if x.startswith("At the end of the run")]
    g = get.get(("largest_cluster_employment", "sector digital", "final"))
    if ok(g):
        s.append(f"The subsidy goes to digital firms: the largest digital cluster (wherever it is) "
                 f"ended with {difference_words(g['difference'], 'jobs')} ({ci_text(g)})"
                 f"{verdict(g)}.")
    u = get.get(("unemployment_rate", "national", "final"))
    if u is not None and math.isfinite(u["baseline"]):
        s.append(f"For context, the baseline economy ends with {100 * u['baseline']:.1f}% "
                 "unemployment.")
    body = " ".join(s)
    s = []
    s.append("Caveats: " + "; ".join(CAVEATS) + ".")
    if any(n.startswith("zones (") for n in notes):  # compare's zone_note
        s.append("Part of a zone's effect is being announced: a cell of it joins the relocation "
                 "choices of eligible firms whatever it pays, and payments per worker do not "
                 "change how many a firm hires, so the cost per job is that of the money and "
                 "the announcement together (docs/policies.md, \"Part of a zone's effect\").")
    if n_seeds >= 20:
        s.append(f"Jobs are full-scale counts from runs at scale {scale:g} with {n_seeds} paired "
                 "seeds: a small economy standing for the UK's, so check a finding at a larger "
                 "scale before relying on it (docs/analysis.md).")
    else:
        # five seeds gave tech_city's target area -13%, an interval excluding zero, where twenty
        # give +4% with an interval including it: one reading in many can be chance
        s.append(f"Jobs are full-scale counts from a run at scale {scale:g} with {n_seeds} seeds, "
                 "so this demo checks that the pipeline works; it is not evidence about the "
                 "policy (for that, run 20 or more seeds of each scenario: docs/analysis.md).")
    # the take-away first, then the figures, then what limits them: three paragraphs (a policy
    # that changed nothing but money has its note first, and no take-away about jobs)
    head = "" if any(UNCHANGED in n for n in notes) else headline(rows, target)
    return "\n\n".join(p for p in (head, body, " ".join(s)) if p)


def load_rows(path):
    rows = []
    with open(path) as f:
        for r in csv.DictReader(f):
            for k in ("baseline", "policy", "difference", "ci_low", "ci_high", "percent"):
                r[k] = float(r[k]) if r[k] != "" else math.nan
            r["n_seeds"] = int(r["n_seeds"])
            rows.append(r)
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m analysis.demo",
                                 description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--bin", default=os.path.join(ROOT, "clustersim"))
    ap.add_argument("--out", default="demo-out")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--scale", type=float, default=0.002)
    ap.add_argument("--steps", type=int, default=None, help="default: the scenario's (160)")
    ap.add_argument("--jobs", type=int, default=2, help="runs at a time")
    args = ap.parse_args(argv)
    if args.seeds < 1 or args.jobs < 1:
        ap.error("--seeds and --jobs must be at least 1")
    t0 = time.time()
    rundir, cmpdir = os.path.join(args.out, "runs"), os.path.join(args.out, "compare")
    for d in (rundir, cmpdir):
        shutil.rmtree(d, ignore_errors=True)
    print(f"== running {', '.join(SCENARIOS)} x {args.seeds} seeds at scale {args.scale:g}, "
          f"{args.jobs} at a time", flush=True)
    run_all(args, rundir)
    print(f"== comparing: /usr/bin/python3 -m analysis compare {rundir}/baseline -- {rundir}/tech_city "
          f"-o {cmpdir}", flush=True)
    r = subprocess.run([sys.executable, "-m", "analysis", "compare", os.path.join(rundir, "baseline"),
                        "--", os.path.join(rundir, "tech_city"), "-o", cmpdir],
                       cwd=os.getcwd(), capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")))
    if r.returncode != 0:
        sys.exit(f"demo: compare failed:\n{r.stderr}")
    md = r.stdout
    # The national, cost and target-area tables; regions and sectors are in summary.md.
    # (summary.md's own Summary section is left out: the reading below says it in full)
    tables = md.split("\n## Regions")[0]
    if "\n## Summary" in tables:
        head, rest = tables.split("\n## Summary", 1)
        tables = head + "\n## " + rest.split("\n## ", 1)[1] if "\n## " in rest else head
    print(tables.rstrip() + "\n")
    rows = load_rows(os.path.join(cmpdir, "summary.csv"))
    target = next((line.split(": ", 1)[1] for line in md.splitlines()
                   if line.startswith("- target area: ")), "the policy's area")
    import h5py
    with h5py.File(os.path.join(rundir, "baseline", "seed1.h5"), "r") as f:
        years = int(f.attrs["steps"]) / 4
    pngs = sorted(f for f in os.listdir(cmpdir) if f.endswith(".png"))
    print("== what it found\n")
    notes = [line[2:] for line in md.split("\n## ")[0].splitlines() if line.startswith("- ")]
    print(reading(rows, target, years, args.seeds, args.scale, notes) + "\n")
    print(f"== files (in {time.time() - t0:.0f} s)\n")
    print(f"  full tables: {os.path.join(cmpdir, 'summary.md')}, {os.path.join(cmpdir, 'summary.csv')}")
    print("  plots:")
    for p in pngs:
        print(f"    {os.path.join(cmpdir, p)}")
    print(f"  runs: {rundir}/<scenario>/seed<N>.h5  (/usr/bin/python3 -m analysis show FILE)")
    print(f"\nopen a plot:  xdg-open {shlex.quote(os.path.join(cmpdir, 'map_employment.png'))}")


if __name__ == "__main__":
    main()
