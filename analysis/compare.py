"""Outcomes of a policy scenario against a baseline, paired by seed (docs/analysis.md).

Every figure is computed per seed from a (baseline, policy) pair with the same seed, then
averaged over seeds; the 95% confidence interval comes from the paired differences
(stats.paired_ci). Steps are quarters; sums run over steps 1..steps (step 0 is the initial state)."""
import json
import math
import os
import re

import numpy as np

from . import libcfg, stats
from .runs import (CAPITAL, AnalysisError, _flat_config, model_differences,
                   model_differences_text, policy_differences)

# How each outcome is cumulated over the run: "years" (stock: sum / 4, e.g. job-years),
# "sum" (flow per quarter: total), "mean" (rate or ratio: average over the run), None (final only).
CUMULATE = {"employment": "years", "firms": "years", "output": "sum", "innovations": "sum",
            "rd_spend": "sum",
            "births": "sum", "deaths": "sum", "spending": "sum", "tax_revenue": "sum",
            "tax_on_payments": "sum", "productivity": "mean",
            "mean_wage": "mean", "unemployment_rate": "mean", "regional_theil": "mean",
            "capital_output_share": "mean", "eg_index": "mean", "cluster_count": "mean",
            "largest_cluster_employment": "mean", "largest_cluster_x": None,
            "largest_cluster_y": None}
NATIONAL = ["employment", "output", "productivity", "mean_wage", "innovations", "rd_spend",
            "firms", "births", "deaths", "unemployment_rate", "regional_theil",
            "capital_output_share", "spending", "tax_revenue", "tax_on_payments"]
REGIONAL = ["employment", "output", "productivity", "mean_wage", "firms", "unemployment_rate"]
SECTORAL = ["eg_index", "cluster_count", "largest_cluster_employment", "largest_cluster_x",
            "largest_cluster_y"]
# the cluster rows, left out for a non-tradable sector (sectors.tradable; runs.tradable_sectors):
# a sector spread everywhere with local demand has no clusters to speak of, and the cluster
# rule's count for it jumps between 0 and dozens from quarter to quarter (noise of the rule)
CLUSTER_ROWS = SECTORAL[1:]


def nontradable_note(names):
    """The note under the Sectors table naming the non-tradable sectors left out of its cluster
    rows ("" for none)."""
    if not names:
        return ""
    s = ", ".join(names)
    return (f"{s} {'is a non-tradable sector' if len(names) == 1 else 'are non-tradable sectors'}"
            " (sectors.tradable): its cluster rows (cluster_count, largest_cluster_employment, "
            "largest_cluster_x, largest_cluster_y) are left out, being not meaningful for a "
            "sector spread everywhere to serve local demand, where the cluster rule's count "
            "jumps between 0 and dozens from one quarter to the next; its eg_index is kept")
COLUMNS = ["outcome", "scope", "measure", "baseline", "policy", "difference", "ci_low",
           "ci_high", "percent", "n_seeds", "note", "steps", "unit", "baseline_build",
           "policy_build"]
# measures: "final" (the last step), "cumulative" (steps 1..steps), "window" (the programme
# period: by default the policies' active steps and WINDOW_TAIL steps after, programme_window)
MEASURES = ("final", "cumulative", "window")
WINDOW_TAIL = 20   # steps (5 years) after the policies end that the default window still counts
WINDOW_SCOPES = ("national", "target area", "outside target")
NO_JOB_EFFECT = "no detectable job effect"
JOBS_LOST = "net jobs lost"  # the job-years' CI lies below zero: spending bought no jobs
NO_OUTPUT_EFFECT = "no detectable output effect"
OUTPUT_LOST = "net output lost"  # cumulative output's CI lies below zero
SPENDING_UNBOUNDED = "CI unbounded: the 95% CI of extra spending includes 0"
# net of the profit tax the payments themselves bring back: per seed, extra spending less the
# extra /timeseries/tax_on_payments (the first-round return, read from each run itself; the
# change in the whole economy's tax_revenue is reported but not netted: it moves with each
# seed's whole economy); the net cost rows follow honest_cost's rules on it
NET_SPENDING = "net_spending"
NET_COST = ("net_cost_per_job_year", "job_years_per_million_net")
NET_ROWS = (NET_SPENDING,) + NET_COST
# per seed, the change in the whole economy's profit tax less the payments' own tax: what firms'
# changed behaviour did to the rest of the tax. Below 0 where the net figure overstates what
# came back (rd_credits at 20%, 10 seeds: the payments' own tax GBP 46.3 billion, the whole
# economy's tax +28.5 billion: the credit's extra R&D is deducted from profit)
OTHER_TAX = "profit_tax_besides_payments"
# the cost per net job-year counting the change in the whole economy's profit tax too: per seed,
# extra spending less the change in /timeseries/tax_revenue (a fall adds to the cost). Not the
# headline cost (cost_per_job_year is): the economy's profit tax is far noisier than the
# spending; the summary quotes it where that tax fell detectably (city_centre_density, 10
# seeds: GBP 5,040 [2,650, 7,380] per net job-year against the headline GBP 2,130)
TAX_COST = "cost_per_job_year_with_tax_revenue"
NO_TAX_REVENUE = "no figure: run files without /timeseries/tax_revenue"
NO_TAX = ("no net-of-tax figure: run files without /timeseries/tax_on_payments (written before "
          "it existed)")
# the spending's 95% CI lies below 0 (e.g. a policy scenario against a dearer one): there is no
# cost to state
NET_SAVING = "no net cost"
# a cost per job-year stated (the job effect is detectable) whose spending's CI includes 0
COST_INCLUDES_ZERO = "the cost cannot be told from zero"
# outcomes a policy moves by spending alone (its own books, and the profit tax its payments
# raise): a run that differs from the baseline only in these changed no innovation, job, firm or
# location
SPENDING_ONLY = ("spending", "rd_spend", "tax_revenue", "tax_on_payments")
UNCHANGED = ("the policy runs equal the baseline in every outcome but spending, R&D spending and "
             "the profit tax on the payments, "
             "in every seed: at this scale the policy changed no innovation, job, firm or "
             "location")
# said instead of UNCHANGED when no policy of the policy runs acts within them (never_acting)
NEVER_ACTED = ("the policy runs equal the baseline in every outcome because no policy acted "
               "within the runs: every difference is zero by construction, whatever the scale; "
               "run more steps (at least to the policies' start) to see their effect")
# said under summary.md's figures when compare draws plots.target_employment
TARGET_FIGURE = ("target_employment.png: the target area's employment, policy − baseline, by "
                 "year: the mean over the paired seeds with its 95% CI band (the paired t "
                 "interval of the target-area rows, step by step); shaded: the steps the "
                 "policies act. It shows a time-limited policy's effect while it acts and after, "
                 "which the final-step and national figures hide")
# the two sides' model settings (all but the policies, runs.NOT_MODEL) differ: said in the notes
# and as a warning, since the differences are then not the policies' effect alone
MODEL_DIFFERS = "the two sides differ in model settings besides their policies: "
MODEL_DIFFERS_TAIL = ("; the differences below are the effect of these settings and the policies "
                      "together, not of the policies alone")
SAME_SETTINGS = ("the two sides are the same scenario with the same settings, policies included: "
                 "this compares a scenario with itself, so every difference is zero by "
                 "construction")
# extra spending per gross job-year gained in the target area (before displacement), as UK
# additionality guidance reports beside the net figure: per pound, what the place got
TARGET_COST = "cost_per_target_job_year"
RATIOS = ("cost_per_job_year", "job_years_per_million", "output_per_pound", "displacement") + \
    NET_COST + (TAX_COST, TARGET_COST)
# said once in every summary (summary.md, compare's output, the demo's reading, README.md)
CAVEATS = ("national employment moves only through frictional unemployment: the labour force is "
           "fixed and there are no multipliers, supply chains or financing of the spending, so "
           "national net job effects are small by construction and a displacement near 1 is "
           "close to automatic (a job gained in the target area is mostly a job not filled "
           "elsewhere)",
           "the 95% CIs are simulation-seed uncertainty only (how much the result moves between "
           "random seeds of one model), not uncertainty about the model's parameters or "
           "structure",
           "the cost net of tax counts only the model's profit tax, and only its first round: "
           "the tax the payments themselves bring back at once (tax_on_payments); the change in "
           "the whole economy's profit tax is reported (tax_revenue) but not netted, being much "
           "noisier than the spending, and income tax and National Insurance on the extra jobs' "
           "wages (and every other tax and benefit) are not modelled")


def money_unit(run):
    """The currency of a run's money, read from /timeseries/spending's units attribute (e.g.
    "GBP 2018 per quarter" -> "GBP 2018", "pounds per step (full scale)" -> "2018 pounds (full
    scale)"): the engine's policy amounts are 2018 pounds (docs/scenarios.md), and a reader
    comparing with published costs needs the price year, so plain "pounds" gain it; "£" when the
    attribute is missing."""
    import re
    u = (getattr(run, "ts_units", {}) or {}).get("spending", "").strip()
    u = re.sub(r"\s*(?:\bper\s+|/\s*)(?:quarter|step)\b", "", u).strip()
    if re.match(r"pounds\b", u, re.I):
        u = "2018 " + u
    return u or "£"


def _div(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)


def _cum(series, how, weights=None):
    """A series cumulated over steps 1..: "years" (sum / 4), "sum", or "mean". weights (one per
    step, discount_factors) weight the sums, never the means: an average rate is not a total and
    has no present value. None (undiscounted) keeps the plain sums exactly."""
    s = np.asarray(series, float)[1:]
    if weights is not None and how in ("years", "sum"):
        s = s * np.asarray(weights, float)[1:]
    if how == "years":
        return float(s.sum()) / 4.0
    if how == "sum":
        return float(s.sum())
    return float(np.nanmean(s)) if s.size else math.nan


def _cum_window(series, how, window, weights=None):
    """_cum over the steps of window = (start, end), end exclusive (start >= 1). The weights stay
    those of the steps' own dates (present value at step 0, as the whole run's), so a window's
    total is the part of the run's total that falls in it."""
    s0, s1 = window
    s = np.asarray(series, float)[s0:s1]
    w = None if weights is None else np.concatenate([[1.0], np.asarray(weights, float)[s0:s1]])
    return _cum(np.concatenate([[0.0], s]), how, w)


# ---------------------------------------------------------------- discounting

GREEN_BOOK = "green-book"
# HM Treasury, The Green Book (2022): the social time preference rate (STPR), real, by year
# from the base year: 3.5% for years 0-30, then declining (until the year, rate)
GREEN_BOOK_SCHEDULE = ((30, 0.035), (75, 0.030), (125, 0.025), (200, 0.020), (300, 0.015),
                       (math.inf, 0.010))


def parse_discount(text):
    """--discount-rate's value: an annual real rate as a fraction (0.035 for 3.5%; 0 =
    undiscounted) -> float, or "green-book" (the Green Book's declining schedule) -> GREEN_BOOK.
    AnalysisError (exit 2) for anything else: a negative rate, a rate of 1 (100% a year) or more
    (most likely a percentage given as 3.5), or not a number."""
    t = (text or "").strip()
    if t.lower() in (GREEN_BOOK, "greenbook", "green_book"):
        return GREEN_BOOK
    want = ("want an annual real rate as a fraction from 0 up to (not including) 1, e.g. 0.035 "
            f"for the Green Book's 3.5%, or {GREEN_BOOK} for its declining schedule")
    try:
        r = float(t)
    except ValueError:
        raise AnalysisError(f"--discount-rate {text!r}: not a number; {want}") from None
    if not math.isfinite(r):
        raise AnalysisError(f"--discount-rate {text!r}: not a number; {want}")
    if r < 0:
        raise AnalysisError(f"--discount-rate {text}: a discount rate cannot be negative; {want}")
    if r >= 1:
        raise AnalysisError(f"--discount-rate {text}: {100 * r:g}% a year is not a real discount "
                            f"rate (give 0.035, not 3.5, for 3.5%); {want}")
    return r


def discounted(discount):
    """Whether a discount (parse_discount's value) discounts at all (0: undiscounted)."""
    return discount == GREEN_BOOK or (discount is not None and float(discount) > 0)


def discount_factors(T, discount):
    """The weight of each step t = 0..T-1 in a discounted sum: its present value at step 0
    (2018 Q1, the run's start), (1 + R)^(-t/4) for an annual rate R (steps are quarters, so a
    quarter's factor is (1 + R)^(-1/4): 3.5% a year is 0.864% a quarter, not 3.5% / 4), or
    under GREEN_BOOK the product of each schedule band's factor over the years t/4 spends in it.
    None when undiscounted, so that the plain sums stay exactly as they were."""
    if not discounted(discount):
        return None
    years = np.arange(T, dtype=float) / 4.0
    if discount != GREEN_BOOK:
        return (1.0 + float(discount)) ** (-years)
    log_f, lo = np.zeros(T), 0.0
    for hi, r in GREEN_BOOK_SCHEDULE:
        log_f -= np.log1p(r) * np.clip(years - lo, 0.0, hi - lo)
        lo = hi
    return np.exp(log_f)


def discount_words(discount):
    """"discounted at 3.5% a year" for a unit or a sentence ("" when undiscounted)."""
    if not discounted(discount):
        return ""
    if discount == GREEN_BOOK:
        return ("discounted at the Green Book's declining rate (3.5% a year for years 0-30, 3% "
                "for years 31-75, lower after)")
    return f"discounted at {100 * float(discount):g}% a year"


def discount_note(discount):
    """The note that says whether and how a comparison's totals are discounted (summary.md,
    the league table): which figures, the base year, the per-quarter factor, and why job-years
    are discounted as pounds are."""
    if not discounted(discount):
        return ("totals over steps (job-years, firm-years, output, spending, tax revenue, tax "
                "on payments, net spending, innovations, R&D spend, births, deaths) and the "
                "ratios built from them are undiscounted: plain sums over the steps "
                "(--discount-rate R gives present values)")
    if discount == GREEN_BOOK:
        how = ("at the Green Book's declining schedule, 3.5% a year for years 0-30, 3% for "
               "years 31-75, 2.5% for 76-125: step t (year t/4) weighted by 1.035^(-t/4) to "
               "year 30, then by a further 1/1.03 a year")
    else:
        r = float(discount)
        how = (f"at {100 * r:g}% a year: step t weighted by {1 + r:g}^(-t/4), a quarter's "
               f"factor {(1 + r) ** -0.25:.5f}")
    return ("totals over steps (job-years, firm-years, output, spending, tax revenue, tax on "
            "payments, net spending, innovations, R&D spend, births, deaths) and the ratios "
            "built from them (cost per net job-year, gross and net of tax, job-years per million, "
            "output per pound, cumulative and window displacement) are present values "
            f"in 2018 (step 0, the run's start), discounted {how}; job-years are discounted "
            "as pounds are, as cost-effectiveness analysis does (HM Treasury, The Green Book, "
            "2022): otherwise a cost per job-year would improve simply by being postponed; "
            "final values and averages over the run are not discounted")


def active_steps(p, steps):
    """The steps 1..steps at which policy p (a config dict) acts: start <= t < end (end -1: no
    end), and on a cycle's on-steps (counted from the policy's own start, which may be 0)."""
    last = int(steps) + 1
    st, en = max(int(p.get("start", 0)), 1), int(p.get("end", -1))
    stop = last if en == -1 else min(en, last)
    cyc = p.get("cycle", [0, 0])
    on, off = (int(cyc[0]), int(cyc[1])) if isinstance(cyc, list) and len(cyc) == 2 else (0, 0)
    base = int(p.get("start", 0))
    return [t for t in range(st, stop) if off <= 0 or on <= 0 or (t - base) % (on + off) < on]


def active_periods(run):
    """The steps at which any policy of a run acts (active_steps), as blocks of consecutive
    steps [(start, end)], end exclusive, in order."""
    steps = sorted({t for p in run.policies() if isinstance(p, dict)
                    for t in active_steps(p, run.steps)})
    out = []
    for t in steps:
        if out and out[-1][1] == t:
            out[-1][1] = t + 1
        else:
            out.append([t, t + 1])
    return [tuple(b) for b in out]


def never_acting(run):
    """Sentences, one per policy of a run that acts in no step of it (active_steps is empty):
    it starts after the run's last step, or its start is not before its end, or its cycle has
    no on-step within the run. Its runs can only equal the baseline's (but for what the
    announcement moves): a larger scale would not change that."""
    out = []
    for i, p in enumerate(run.policies()):
        if not isinstance(p, dict) or active_steps(p, run.steps):
            continue
        name = p.get("name") or p.get("type") or f"policies.[{i}]"
        st, en = int(p.get("start", 0)), int(p.get("end", -1))
        if st > run.steps:
            why = f"starts at step {st}, after the runs' {run.steps} steps"
        elif en != -1 and en <= st:
            why = f"acts in no step (its start, step {st}, is not before its end, step {en})"
        else:
            why = f"acts in no step of the runs' {run.steps} steps"
        heard = st - t_plan_of(run)
        also = "" if heard > run.steps or st <= run.steps else \
            (f" (firms hear of it from step {max(heard, 1)}, firms.t_plan ahead, which alone "
             "can still move the runs)")
        out.append(f"policy {name} {why}, so it never acted in these runs{also}")
    return out


def t_plan_of(run):
    """firms.t_plan of a run's config (0 when absent): how many steps before a policy starts
    firms hear of it."""
    t_plan = libcfg.find_key(run.config, "t_plan")
    return int(t_plan) if isinstance(t_plan, int) and not isinstance(t_plan, bool) else 0


def programme_window(run, tail=WINDOW_TAIL):
    """The default programme-period window of a policy run: (start, end) in steps, end
    exclusive, from the earliest step firms hear of a policy (its `start` less `firms.t_plan`:
    an announced policy can move firms before it acts; at least 1, step 0 being the initial
    state) to `tail` steps after the last step any policy acts (a stop-go cycle's last on-step
    before its end), clipped to the run (end at most steps + 1); a policy without an end
    (end = -1), and a transport link (its `end` stops spending, not the link), runs to the
    run's end. Policies that never act (no active step within the run) are left out. None when
    the run has no policy that acts within it."""
    last = int(run.steps) + 1
    t_plan = t_plan_of(run)
    starts, ends = [], []
    for p in run.policies():
        if not isinstance(p, dict):
            continue
        en = int(p.get("end", -1))
        active = active_steps(p, run.steps)
        if not active:
            continue
        starts.append(max(1, active[0] - t_plan))
        if en == -1 or p.get("type") == "transport_link":
            ends.append(last)
        else:
            ends.append(active[-1] + 1 + tail)
    if not starts:
        return None
    return (min(starts), min(max(ends), last))


def parse_window(text, steps):
    """`START:END` (steps, END exclusive like a policy's `end`; END may be left out for the
    run's end) -> (start, end), checked against a run of `steps` steps."""
    m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d*)\s*", text or "")
    if not m:
        raise AnalysisError(f"--window {text!r}: want START:END in steps (e.g. 8:68; END "
                            "exclusive, as a policy's end)")
    st = int(m.group(1))
    en = int(m.group(2)) if m.group(2) else steps + 1
    if not 1 <= st < en <= steps + 1:
        # calendar years given for steps: say what they are in steps (a step is a quarter from
        # the 2018 start, step 4k being k years on)
        years = ""
        if st >= 2018 and (not m.group(2) or en > st):
            a0, b0 = 4 * (st - 2018), 4 * (en - 2018) if m.group(2) else steps + 1
            a, b = min(max(a0, 1), steps + 1), min(b0, steps + 1)  # within the runs' steps
            end = str(b) if m.group(2) else ""
            if a >= b:
                what = f"lies outside the runs (steps 1 to {steps})"
            elif (a, b) != (a0, b0):
                what = f"is {a}:{end} within the runs"
            else:
                what = f"is {a}:{end}"
            years = ("; steps are quarters from the 2018 start (step 4k is k years on), so "
                     f"{text.strip()} in years {what}")
        raise AnalysisError(f"--window {text}: want 1 <= START < END <= {steps + 1} (the runs have "
                            f"{steps} steps; step 0 is the initial state){years}")
    return st, en


def quarter(step):
    """Calendar quarter of a step: steps are quarters from the 2018 start, step 4k begins year k
    (docs/policies.md)."""
    return f"{2018 + step // 4} Q{step % 4 + 1}"


def window_text(window):
    """"steps 8 to 67 (2020 Q1 to 2034 Q4)" for window (8, 68)."""
    s0, s1 = window
    return f"steps {s0} to {s1 - 1} ({quarter(s0)} to {quarter(s1 - 1)})"


def window_steps(window):
    return f"{window[0]}-{window[1] - 1}"


# ---------------------------------------------------------------- target area

class Target:
    """The union of the policy scenario's policy areas.
    kind: "none" (no policy), "everywhere", "regions" (per-step /regions data), "cells" (a cell
    mask, measured on /maps/employment, else on employment snapshots).
    exact: for "cells", whether every run has /maps/employment (set by compare; None: decide
    per run). One method for all runs, so a paired difference never mixes exact and
    interpolated figures."""

    def __init__(self, kind, regions=(), mask=None, label=""):
        self.kind, self.regions, self.mask, self.label = kind, list(regions), mask, label
        self.exact = None


def _xyr(v, keys):
    if isinstance(v, dict):
        return [float(v[k]) for k in keys]
    return [float(x) for x in v]


def target_area(run):
    """Target area of a (policy) run from its config's policies list."""
    pols = run.policies()
    if not pols:
        return Target("none", label="no policy")
    regions, parts, labels = set(), [], []
    H, W = run.region_map.shape if run.region_map is not None else (0, 0)
    ys, xs = np.indices((H, W))
    for p in pols:
        if isinstance(p, dict) and p.get("type") == "university_funding":
            # it acts around its universities wherever they are: their knowledge spillover
            # reaches cells nearer than Ru (universities.ru; sim/fields.c) and their spinouts
            # start within Ru / 2, so the target is the discs of Ru around the funded ones (an
            # `area` given to it is not read by the engine, which warns of it); a run file
            # without the university table (or naming none of them) adds no area, and the
            # other policies' areas stay the target
            unis = getattr(run, "universities", None) or {}
            names = p.get("universities", [])
            names = [n for n in (names if isinstance(names, list) else [names]) if n in unis]
            if not names:
                continue
            cfg = getattr(run, "config", None)
            ug = cfg.get("universities", {}) if isinstance(cfg, dict) else {}
            ru = ug.get("ru", 12.0) if isinstance(ug, dict) else 12.0
            ru = float(ru) if isinstance(ru, (int, float)) and not isinstance(ru, bool) else 12.0
            for n in names:
                cx, cy = unis[n]
                parts.append((xs - cx) ** 2 + (ys - cy) ** 2 < ru * ru)
            labels.append("within r %g of %s" % (ru, ", ".join(names)))
            continue
        if isinstance(p, dict) and p.get("type") == "transport_link":
            # a link acts where it reaches: the catchment discs of its two ends (the policy's
            # `radius`, 5 cells by default), so that displacement has a place to be measured;
            # an `area` given to it is not read by the engine. The engine floors fractional
            # ends to their cells (sim/policies.c, docs/policies.md), so the discs are around
            # the floored ends: around (81.7, 119.7) they held 12 cells outside the link's
            # catchment and left out 10 inside it
            r = float(p.get("radius", 5.0))
            ends = [[math.floor(c) for c in _xyr(p.get(k, [0, 0]), ("x", "y"))]
                    for k in ("from", "to")]
            for cx, cy in ends:
                parts.append((xs - cx) ** 2 + (ys - cy) ** 2 <= r * r)
            labels.append("link ends (%g, %g) and (%g, %g) r %g" % (*ends[0], *ends[1], r))
            continue
        area = p.get("area", "everywhere") if isinstance(p, dict) else "everywhere"
        if isinstance(area, str):
            area = {area: True}
        if not isinstance(area, dict) or area.get("everywhere") or not area:
            return Target("everywhere", label="everywhere")
        if area.get("regions"):
            names = area["regions"] if isinstance(area["regions"], list) else [area["regions"]]
            for n in names:
                if run.region_names and n not in run.region_names:
                    raise AnalysisError(f"{run.path}: policy area names unknown region {n!r}")
            regions.update(names)
            labels.append("+".join(names))
        if "circle" in area:
            cx, cy, r = _xyr(area["circle"], ("x", "y", "r"))
            parts.append((xs - cx) ** 2 + (ys - cy) ** 2 <= r * r)
            labels.append(f"circle ({cx:g}, {cy:g}) r {r:g}")
        if "rect" in area:
            x0, y0, x1, y1 = _xyr(area["rect"], ("x0", "y0", "x1", "y1"))
            parts.append((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1))
            labels.append(f"rect ({x0:g}, {y0:g})-({x1:g}, {y1:g})")
        if area.get("city_centres"):
            if run.city_centre is None:
                raise AnalysisError(f"{run.path}: no /landscape/city_centre for a city_centres area")
            parts.append(run.city_centre.copy())
            labels.append("city centres")
    label = "; ".join(dict.fromkeys(labels))
    if not parts and not regions:  # only policies that name no place here
        return Target("everywhere", label="everywhere")
    if not parts:
        return Target("regions", regions=[n for n in (run.region_names or []) if n in regions]
                      or sorted(regions), label=label)
    if run.region_map is None or run.snap_employment is None:
        raise AnalysisError(f"{run.path}: a circle, rect or city_centres area needs "
                            "/landscape/region and /snapshots/employment")
    mask = np.zeros((H, W), bool)
    for m in parts:
        mask |= m
    for n in regions:
        mask |= run.region_map == run.map_region_names.index(n)
    mask &= run.region_map >= 0
    return Target("cells", regions=sorted(regions), mask=mask, label=label)


def _target_series(run, target):
    """(employment inside, employment outside) per step for a target area: from /regions, or,
    for a cell mask, from /maps/employment (every step, exact) when the runs have it, else
    interpolated linearly between /snapshots/employment (older engines: off by a third on
    tech_city's net target job-years with snapshots every 20 steps; the summary's notes say so)."""
    key = (target.kind, target.label, target.exact)
    cache = run.__dict__.setdefault("_target_cache", {})
    if key not in cache:   # the target figure reads them again (plots.target_employment)
        cache[key] = _target_series_read(run, target)
    return cache[key]


def _target_series_read(run, target):
    """_target_series, read from the run."""
    if target.kind == "regions":
        emp = run.regions["employment"]
        idx = [run.region_names.index(n) for n in target.regions]
        inside = emp[:, idx].sum(1)
        return inside, emp.sum(1) - inside
    land = run.region_map >= 0
    exact = run.has_employment_maps if target.exact is None else target.exact
    if exact:
        ins, out = run.employment_sums([target.mask, land & ~target.mask])
        return ins, out
    snaps = run.snap_employment if run.snap_employment is not None else \
        run.load_snap_employment()   # a slimmed league baseline
    ins = np.array([s[target.mask].sum() for s in snaps])
    out = np.array([s[land & ~target.mask].sum() for s in snaps])
    steps = np.arange(run.T)
    return np.interp(steps, run.snap_steps, ins), np.interp(steps, run.snap_steps, out)


# ---------------------------------------------------------------- per-pair values

def _national(run, name):
    if name == "productivity":
        return _div(run.series("output"), run.series("employment"))
    if name == "capital_output_share":
        out = run.regions.get("output")
        if out is None or CAPITAL not in run.region_names:
            return None
        return _div(out[:, run.region_names.index(CAPITAL)], out.sum(1))
    return run.ts.get(name)


def _regional(run, name, j):
    if name == "productivity":
        return _div(run.regions["output"][:, j], run.regions["employment"][:, j])
    d = run.regions.get(name)
    return None if d is None else d[:, j]


def pair_values(b, p, target, window=None, weights=None):
    """{(outcome, scope, measure): (baseline, policy)} for plain outcomes, and
    {(outcome, scope, measure): value} in a second dict for derived ratios, for one seed.
    window: (start, end) steps of the programme period, end exclusive: the national, target
    area and outside-target outcomes get a "window" measure too (cumulated over those steps).
    weights: discount_factors (None: undiscounted), applied to the cumulative and window sums."""
    vals, derived = {}, {}

    def add(outcome, scope, sb, sp):
        if sb is None or sp is None:
            return
        vals[(outcome, scope, "final")] = (float(sb[-1]), float(sp[-1]))
        how = CUMULATE.get(outcome)
        if how:
            vals[(outcome, scope, "cumulative")] = (_cum(sb, how, weights),
                                                    _cum(sp, how, weights))
            if window is not None and scope in WINDOW_SCOPES:
                vals[(outcome, scope, "window")] = (_cum_window(sb, how, window, weights),
                                                    _cum_window(sp, how, window, weights))

    for name in NATIONAL:
        add(name, "national", _national(b, name), _national(p, name))
    for j, reg in enumerate(b.region_names):
        if reg not in p.region_names:
            continue
        jp = p.region_names.index(reg)
        for name in REGIONAL:
            sb, sp = _regional(b, name, j), _regional(p, name, jp)
            add(name, f"region {reg}", sb, sp)
    tradable = set(b.tradable_sectors())
    for j, sec in enumerate(b.sector_names):
        if sec not in p.sector_names:
            continue
        jp = p.sector_names.index(sec)
        for name in SECTORAL:
            if name in CLUSTER_ROWS and sec not in tradable:
                continue   # nontradable_note
            if name in b.sectors and name in p.sectors:
                add(name, f"sector {sec}", b.sectors[name][:, j], p.sectors[name][:, jp])

    b.series("spending"), p.series("spending")   # both runs must have it
    # ratios of means over seeds, set by money_rows (a mean of per-seed ratios is meaningless
    # when a seed's denominator is near zero)
    measures = ("cumulative", "window") if window is not None else ("cumulative",)
    for m in measures:
        derived[("cost_per_job_year", "national", m)] = math.nan
        derived[("job_years_per_million", "national", m)] = math.nan
        derived[("output_per_pound", "national", m)] = math.nan
        # net of the profit tax the payments bring back, this seed: its extra spending less its
        # extra tax on payments (nan when either run lacks /timeseries/tax_on_payments; compare
        # then blanks the net rows)
        sp, tx = vals.get(("spending", "national", m)), \
            vals.get(("tax_on_payments", "national", m))
        derived[(NET_SPENDING, "national", m)] = math.nan if sp is None or tx is None else \
            (sp[1] - sp[0]) - (tx[1] - tx[0])
        tr = vals.get(("tax_revenue", "national", m))
        derived[(OTHER_TAX, "national", m)] = math.nan if tr is None or tx is None else \
            (tr[1] - tr[0]) - (tx[1] - tx[0])
        for name in NET_COST + (TAX_COST,):
            derived[(name, "national", m)] = math.nan

    if target.kind in ("regions", "cells"):
        ib, ob_ = _target_series(b, target)
        ip, op_ = _target_series(p, target)
        add("employment", "target area", ib, ip)
        add("employment", "outside target", ob_, op_)
        if target.kind == "regions":
            for name in ("output", "firms"):
                idx_b = [b.region_names.index(n) for n in target.regions]
                idx_p = [p.region_names.index(n) for n in target.regions]
                add(name, "target area", b.regions[name][:, idx_b].sum(1),
                    p.regions[name][:, idx_p].sum(1))
        # ratios of means over seeds, set by displacement_rows and target_cost_rows
        for m in ("final",) + measures:
            derived[("displacement", "target area", m)] = math.nan
        for m in measures:
            derived[(TARGET_COST, "target area", m)] = math.nan
    return vals, derived


# ---------------------------------------------------------------- aggregation

def compare(pairs, window="default", discount=0.0):
    """Rows (dicts with COLUMNS) for paired runs [(baseline, policy)], and the target area.
    window: "default" (programme_window of the policy run: the policies' active steps and
    WINDOW_TAIL steps after), (start, end) steps (end exclusive), or None (no window rows).
    The window used is target.window (None when there is none).
    discount: parse_discount's value (0: undiscounted; target.discount): every seed's
    cumulative and window sums are present values at step 0 (discount_factors) before the
    seeds are paired, so the CIs and ratios are those of the discounted figures."""
    target = target_area(pairs[0][1])
    if target.kind == "cells":
        target.exact = all(r.has_employment_maps for pair in pairs for r in pair)
    if isinstance(window, str):
        window = programme_window(pairs[0][1])
        target.window_source = "default"
    else:
        target.window_source = "chosen"
    target.window = window
    target.steps = pairs[0][1].steps
    b0 = pairs[0][0]
    target.nontradable = [n for n in b0.sector_names if n not in set(b0.tradable_sectors())]
    target.money = money_unit(pairs[0][1])
    target.discount = discount if discounted(discount) else 0.0
    weights = discount_factors(pairs[0][1].T, discount)
    per = [pair_values(b, p, target, window, weights) for b, p in pairs]
    # a tax series is reported, and the payments' tax netted off, only when every run has it:
    # older run files lack /timeseries/tax_on_payments (and older still tax_revenue), and a
    # figure over some seeds would not pair with the others
    target.has_tax = all("tax_revenue" in r.ts for pair in pairs for r in pair)
    target.has_payments_tax = all("tax_on_payments" in r.ts for pair in pairs for r in pair)
    drop = [n for n, ok in (("tax_revenue", target.has_tax),
                            ("tax_on_payments", target.has_payments_tax)) if not ok]
    for vals, derived in per:
        for k in [k for k in vals if k[0] in drop]:
            del vals[k]
        for k in derived:
            if (k[0] == NET_SPENDING and not target.has_payments_tax) or \
                    (k[0] == OTHER_TAX and not (target.has_payments_tax and target.has_tax)):
                derived[k] = math.nan
    rows = []
    keys = list(per[0][0])
    for k in keys:
        bv = np.array([v[0][k][0] for v in per if k in v[0]])
        pv = np.array([v[0][k][1] for v in per if k in v[0]])
        d = pv - bv
        mean, lo, hi, n = stats.paired_ci(d)
        if n >= 2 and np.all(d == d[0]):
            lo = hi = mean  # identical differences: the interval has zero width
        base = float(bv.mean())
        # of the baseline's size: a rise reads + whatever the baseline's sign (an EG index
        # below zero), where dividing by a negative baseline flipped it
        pct = 100.0 * mean / abs(base) if base != 0 and math.isfinite(base) else math.nan
        rows.append(dict(zip(COLUMNS, [k[0], k[1], k[2], base, float(pv.mean()), mean, lo, hi,
                                       pct, n, "", steps_of(k[2], target),
                                       unit_of(k[0], k[2], target.money, discount)])))
    for k in per[0][1]:
        v = np.array([x[1][k] for x in per], float)
        v = v[np.isfinite(v)]
        mean, lo, hi, n = stats.paired_ci(v)
        rows.append(dict(zip(COLUMNS, [k[0], k[1], k[2], math.nan, math.nan, mean, lo, hi,
                                       math.nan, n, "", steps_of(k[2], target),
                                       unit_of(k[0], k[2], target.money, discount)])))
    # the build (git hash, version) of each side's run files, on every row of summary.csv
    bb, pb = (build_text(side_builds(rs)) for rs in zip(*pairs))
    for r in rows:
        r.update(baseline_build=bb, policy_build=pb)
    for m in ("cumulative", "window"):
        money_rows(rows, per, m, target.money)
        displacement_rows(rows, per, m)
        target_cost_rows(rows, per, m)
    displacement_rows(rows, per, "final")
    for r in rows:
        if (r["outcome"] in NET_ROWS + (OTHER_TAX,) and not target.has_payments_tax) or \
                (r["outcome"] == OTHER_TAX and not target.has_tax):
            r.update(difference=math.nan, ci_low=math.nan, ci_high=math.nan, n_seeds=0,
                     note=NO_TAX if not target.has_payments_tax else NO_TAX_REVENUE)
    return rows, target


def steps_of(measure, target):
    """The steps a row's measure covers: "160" (final), "1-160" (cumulative), "8-67" (window)."""
    if measure == "final":
        return str(target.steps)
    if measure == "window" and target.window is not None:
        return window_steps(target.window)
    return f"1-{target.steps}"


def unit_of(outcome, measure, money="£", discount=0.0):
    """The unit of a row (summary.csv's `unit`, summary.md's unit column). Discounted rows (a
    cumulative or window sum, or a ratio of them) say so and at what rate, e.g. "job-years,
    present value in 2018, discounted at 3.5% a year": the CSV's one unit column then tells a
    discounted figure from a plain one without a column of its own."""
    u = _plain_unit(outcome, measure, money)
    words = discount_words(discount)
    if not words or measure == "final":
        return u
    if outcome in RATIOS:
        return f"{u}, both present values in 2018, {words}"
    if CUMULATE.get(outcome) in ("years", "sum") or outcome in (NET_SPENDING, OTHER_TAX):
        return f"{u}, present value in 2018, {words}"
    return u   # an average over the run is not discounted


def _plain_unit(outcome, measure, money="£"):
    m = re.sub(r"\s*\(full scale\)", "", money)
    m = re.sub(r"^(\d{4}) pounds$", r"GBP \1", m)   # "2018 pounds" -> "GBP 2018"
    over = {"cumulative": " over the run", "window": " over the window"}.get(measure, "")
    total = "total" + over
    mean = ", mean" + over if over else ""
    if outcome == "employment" or outcome == "largest_cluster_employment":
        if outcome == "employment" and measure != "final":
            return "job-years"
        return "jobs" + mean
    if outcome == "firms":
        return "firms" if measure == "final" else "firm-years"
    if outcome in ("output", "rd_spend", "spending", "tax_revenue", "tax_on_payments"):
        return f"{m} per quarter" if measure == "final" else f"{m}, {total}"
    if outcome == NET_SPENDING:
        return f"{m}, {total}, less the extra profit tax on the payments"
    if outcome == OTHER_TAX:
        return f"{m}, {total}"
    if outcome in ("productivity", "mean_wage"):
        return f"{m} per worker per quarter" + mean
    if outcome in ("innovations", "births", "deaths"):
        what = "innovations" if outcome == "innovations" else "firms"
        return f"{what} per quarter" if measure == "final" else f"{what}, {total}"
    if outcome == "unemployment_rate":
        return "fraction of the labour force" + mean
    if outcome == "regional_theil":
        return "index (0 = equal)" + mean
    if outcome == "capital_output_share":
        return "fraction of national output" + mean
    if outcome == "eg_index":
        return "index" + mean
    if outcome == "cluster_count":
        return "clusters" + mean
    if outcome in ("largest_cluster_x", "largest_cluster_y"):
        return "cells"
    if outcome == "cost_per_job_year":
        return f"{m} per net job-year" + over
    if outcome == "job_years_per_million":
        return f"net job-years per {m}1m" + over if m == "£" else \
            f"net job-years per {m} million" + over
    if outcome == NET_COST[0]:
        return f"{m} of net spending (less the profit tax on the payments) per net job-year" + \
            over
    if outcome == NET_COST[1]:
        return (f"net job-years per {m}1m" if m == "£" else f"net job-years per {m} million") \
            + " of net spending (less the profit tax on the payments)" + over
    if outcome == TAX_COST:
        return (f"{m} of extra spending plus the fall in the whole economy's profit tax "
                "(tax_revenue) per net job-year" + over)
    if outcome == "output_per_pound":
        return f"{m} of output per {m} spent" + over if m == "£" else \
            f"{m} of output per pound spent" + over
    if outcome == TARGET_COST:
        return f"{m} per gross job-year gained in the target area" + over
    if outcome == "displacement":
        return ("jobs lost elsewhere per job gained in the target area" if measure == "final"
                else "job-years lost elsewhere per job-year gained in the target area" + over)
    return ""


def _diffs(per, key):
    """Per-seed policy - baseline of a plain outcome; None unless every seed has it."""
    if not all(key in v[0] for v in per):
        return None
    return [v[0][key][1] - v[0][key][0] for v in per]


def displacement_rows(rows, per, measure):
    """Sets the displacement row of a measure (final, cumulative, window): -mean(outside change)
    / mean(target change) over all paired seeds with Fieller's CI (stats.displacement), or n/a
    with a note when the target area's gain is not detectable. A mean of per-seed ratios over
    the seeds where the target gained is not used: its interval was conditional on the gain's
    sign and blew up near zero gains (long_term_funding, 10 seeds: 3.9 [-3.2, 11.0] where the
    ratio of means is 0.97)."""
    for r in rows:
        if r["outcome"] != "displacement" or r["measure"] != measure:
            continue
        t = _diffs(per, ("employment", "target area", measure))
        o = _diffs(per, ("employment", "outside target", measure))
        if t is None or o is None:
            continue
        v, lo, hi, n, note = stats.displacement(t, o)
        r.update(difference=v, ci_low=lo, ci_high=hi, n_seeds=n, note=note)


def target_cost_rows(rows, per, measure):
    """Sets the TARGET_COST row of a measure (cumulative, window): mean extra spending / mean
    target-area job-years gained over all paired seeds, Fieller's CI; stated only where the
    target area's gain is detectable and positive (its 95% CI lies above 0), as the headline
    cost is only beside a detectable national effect; "no net cost" where the spending's CI lies
    below 0; the cost-cannot-be-told-from-zero note where it includes 0. Gross: the jobs the
    rest of the country lost (displacement) are not taken off."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    row = get.get((TARGET_COST, "target area", measure))
    gain = get.get(("employment", "target area", measure))
    t = _diffs(per, ("employment", "target area", measure))
    spent = _diffs(per, ("spending", "national", measure))
    if row is None or gain is None or t is None or spent is None:
        return
    n = stats.fieller_ci(spent, t)[3]
    if not (n >= 2 and stats.excludes_zero(gain["ci_low"], gain["ci_high"]) and
            gain["ci_low"] > 0):
        why = " (one seed: no confidence interval)" if n < 2 else ""
        row.update(difference=math.nan, ci_low=math.nan, ci_high=math.nan, n_seeds=n,
                   note="no detectable gain in the target area" + why)
        return
    _set_cost(row, spent, t, "extra spending")


def _set_cost(row, money, per, what):
    """Sets a cost row to mean(money) / mean(per) over the seeds with Fieller's CI, under the
    headline cost's rules on the money (`what` in the notes): none, with "no net cost", where
    its 95% CI lies below 0; the cannot-be-told-from-zero note where it includes 0."""
    c, lo, hi, n = stats.fieller_ci(money, per)
    _, m_lo, m_hi, _ = stats.paired_ci(money)
    if stats.excludes_zero(m_lo, m_hi) and m_hi < 0:
        row.update(difference=math.nan, ci_low=math.nan, ci_high=math.nan, n_seeds=n,
                   note=f"{NET_SAVING}: the 95% CI of {what} lies below 0")
        return
    note = f"{COST_INCLUDES_ZERO}: the 95% CI of {what} includes 0" \
        if math.isfinite(m_lo) and m_lo <= 0 <= m_hi else ""
    row.update(difference=c, ci_low=lo, ci_high=hi, n_seeds=n, note=note)


def _target_cost_words(c):
    """The gross cost per target-area job-year in words, after displacement; "" where there is
    none (no target area, or no detectable gain: displacement's words say why)."""
    if c is None or not math.isfinite(c["difference"]):
        return ""
    ci = "" if not math.isfinite(c["ci_low"]) else \
        f", 95% CI {gbp(c['ci_low'])} to {gbp(c['ci_high'])}"
    note = f" ({c['note']})" if c.get("note") else ""
    return (f"each job-year gained in the target area cost {gbp(c['difference'])} of extra "
            f"spending{ci}, gross (before the jobs lost elsewhere){note}")


def money_rows(rows, per, measure="cumulative", money="£"):
    """Sets output_per_pound (mean extra output / mean extra spending, Fieller's CI, so that it
    includes 0 exactly when the output effect's CI does, as job_years_per_million) and the
    job rows of honest_cost from the per-seed national differences of a measure (cumulative:
    the whole run; window: the programme period, spending in the window)."""
    jobs = _diffs(per, ("employment", "national", measure))
    spent = _diffs(per, ("spending", "national", measure))
    gained = _diffs(per, ("output", "national", measure))
    if spent is None:
        return
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    opp = get.get(("output_per_pound", "national", measure))
    if opp is not None and gained is not None:
        r, lo, hi, n = stats.fieller_ci(gained, spent)
        out_row = get.get(("output", "national", measure))
        note = effect_note(out_row, n, NO_OUTPUT_EFFECT,
                           OUTPUT_LOST) if math.isfinite(r) else "no spending difference"
        if note.startswith(NO_OUTPUT_EFFECT) and n >= 2 and out_row is not None and \
                half_width(out_row) > 0:
            note += (f": output effects smaller than about {gbp(half_width(out_row))} would "
                     "usually not be told from zero here")
            if math.isfinite(hi):
                note += f"; it rules out more than {gbp(hi)} of output per pound spent"
        if math.isfinite(r) and n >= 2 and not math.isfinite(lo):
            note = "; ".join(x for x in (note, SPENDING_UNBOUNDED) if x)
        opp.update(difference=r, ci_low=lo, ci_high=hi, n_seeds=n if math.isfinite(r) else 0,
                   note=note)
    if jobs is not None:
        honest_cost(rows, jobs, spent, measure, money)
        net = [v[1].get((NET_SPENDING, "national", measure), math.nan) for v in per]
        if all(math.isfinite(x) for x in net):
            honest_cost(rows, jobs, net, measure, money, NET)
        tax_cost(rows, jobs, spent, _diffs(per, ("tax_revenue", "national", measure)), measure)


def tax_cost(rows, job_years, spent, taxed, measure="cumulative"):
    """Sets the TAX_COST row of a measure: mean(extra spending - change in tax_revenue) / mean
    net job-years over the seeds (Fieller's CI), under the rules of the headline cost: only
    where national net job-years are detectable and positive (else the headline cost's note),
    "no net cost" where the summed cost's 95% CI lies below 0. taxed: the per-seed changes in
    the whole economy's profit tax (None where a run lacks /timeseries/tax_revenue)."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    row = get.get((TAX_COST, "national", measure))
    gross = get.get(("cost_per_job_year", "national", measure))
    jobs = get.get(("employment", "national", measure))
    if row is None or gross is None or jobs is None:
        return
    nan = dict(difference=math.nan, ci_low=math.nan, ci_high=math.nan)
    if taxed is None:
        row.update(nan, n_seeds=0, note=NO_TAX_REVENUE)
        return
    if not (stats.excludes_zero(jobs["ci_low"], jobs["ci_high"]) and jobs["ci_low"] > 0):
        row.update(nan, n_seeds=gross["n_seeds"], note=str(gross.get("note", "")))
        return
    _set_cost(row, [s - t for s, t in zip(spent, taxed)], job_years,
              "extra spending plus the fall in the whole economy's profit tax")


def half_width(row):
    """Half the width of a row's 95% CI: the smallest effect this experiment could tell from
    zero is about this large (with 10 seeds of the presets, 110,000-245,000 national job-years
    over the run whatever the spend)."""
    return (row["ci_high"] - row["ci_low"]) / 2.0


def effect_note(row, n, none, lost):
    """The qualifier of a ratio per pound from its numerator's row (the national cumulative
    difference): `none` (e.g. "no detectable output effect") when the row's 95% CI includes 0
    or there is none, `lost` when it lies below 0, "" when it lies above 0. The ratio itself is
    still printed; the note keeps a reader from taking seed noise per pound for an effect."""
    if row is None or not stats.excludes_zero(row["ci_low"], row["ci_high"]):
        return none + (" (one seed: no confidence interval)" if n < 2 else "")
    return lost if row["ci_high"] < 0 else ""


def unchanged(pairs):
    """True when, in every pair, the policy run equals the baseline in every outcome but the
    spending-related ones (SPENDING_ONLY, /policies/spending): /timeseries, /regions, /sectors
    and the employment snapshots. Then every difference reads 0 [0, 0] and only the spending
    differs, which compare's notes explain (picking_winners)."""
    def same(a, b):
        return a is None and b is None or (a is not None and b is not None and
                                           np.shape(a) == np.shape(b) and
                                           np.array_equal(a, b, equal_nan=True))
    for b, p in pairs:
        for name in set(b.ts) | set(p.ts):
            if name not in SPENDING_ONLY and not same(b.ts.get(name), p.ts.get(name)):
                return False
        for tb, tp in ((b.regions, p.regions), (b.sectors, p.sectors)):
            if any(not same(tb.get(k), tp.get(k)) for k in set(tb) | set(tp)):
                return False
        if getattr(b, "_slim", False) or getattr(p, "_slim", False):
            if b.snap_digest() != p.snap_digest():   # a league's baselines keep only a digest
                return False
        elif not same(b.snap_employment, p.snap_employment):
            return False
    return True


# Below this many sampled jobs in a target area at the start, its response rests on a handful
# of agent firms (at scale 0.002 one 20-worker agent firm stands for 10,000 real jobs).
FEW_AGENTS = 2000


def few_agents_note(run, target):
    """A warning when the target area (a cell mask) holds few sampled jobs at the start of the
    baseline run (employment x scale), else ""."""
    scale = getattr(run, "scale", None)
    snaps = getattr(run, "snap_employment", None)
    if not scale or not math.isfinite(scale) or snaps is None or len(snaps) == 0 or \
            target.mask is None:
        return ""
    sampled = float(np.asarray(snaps[0])[target.mask].sum()) * scale
    if sampled >= FEW_AGENTS:
        return ""
    return (f"the target area holds about {fmt(sampled)} sampled jobs at the start (scale "
            f"{scale:g}, each standing for {fmt(1 / scale)} real ones): its response rests on a "
            "handful of agent firms; check it at a larger scale before relying on it")


def side_builds(runs):
    """The builds that made a side's run files: sorted distinct (git_hash, software_version),
    "" where a file lacks the attribute."""
    return sorted({(getattr(r, "git_hash", ""), getattr(r, "software_version", ""))
                   for r in runs})


def build_text(builds):
    """builds (side_builds) in words: "git d8ccda30b8f1, version 0.1.0"; several joined by
    " and "; "unknown" for a file without the attributes."""
    return " and ".join(f"git {g or 'unknown'}, version {v or 'unknown'}" for g, v in builds)


def build_notes(pairs):
    """(note, warning) on the builds of the two sides' run files: the note (summary.md) names
    each side's builds; the warning ("" when every run file comes from one build) says that
    they differ, since two builds may give different results for the same config and seed, as
    `clustersim sweep --collect` warns of a folder of mixed builds."""
    bb = side_builds([b for b, _ in pairs])
    pb = side_builds([p for _, p in pairs])
    note = f"builds: baseline runs {build_text(bb)}; policy runs {build_text(pb)}"
    if len(set(bb) | set(pb)) < 2:
        return note, ""
    return note, ("the run files come from different builds (baseline runs "
                  f"{build_text(bb)}; policy runs {build_text(pb)}): their results may differ "
                  "for the same config and seed, so the differences may be partly the builds'; "
                  "rerun both sides with one build to be sure")


def _setting(v):
    """A config value as a title shows it: 0.2, "London", unset."""
    return "unset" if v is None else json.dumps(v) if isinstance(v, (list, dict, str)) else repr(v)


def title(baseline, policy, discount=0.0):
    """summary.md's title: "tech_city against baseline", and, when the totals are discounted,
    at what rate (a reader comparing with an undiscounted table sees it first)."""
    t = f"{policy.scenario} against {baseline.scenario}"
    # one scenario at two settings: the title says which (a saved summary names what it compared)
    diffs = policy_differences(baseline, policy) if policy.scenario == baseline.scenario else []
    if diffs:
        t += " (" + ", ".join(f"{k} {_setting(b)} against {_setting(a)}"
                              for k, a, b in diffs[:2]) + (", ..." if len(diffs) > 2 else "") + ")"
    words = discount_words(discount)
    return t + (f" (totals in present values in 2018, {words})" if words else "")


def notes(pairs, target):
    """The notes at the head of summary.md: scenarios, seeds, target area, how target-area
    figures were measured, money unit, whether and how totals are discounted, and whether the
    policy changed anything."""
    b0, p0 = pairs[0]
    seeds = ", ".join(str(b.seed) for b, _ in pairs)
    out = [f"baseline scenario `{b0.scenario}`, policy scenario `{p0.scenario}`; "
           f"{b0.steps} steps (quarters); seeds {seeds}",
           f"target area: {target.label}" + (" (displacement undefined)"
                                              if target.kind == "everywhere" else "")]
    if sectors_note(p0, target):
        out.append(sectors_note(p0, target))
    if target.kind == "cells":
        if target.exact:
            out.append("target-area employment comes from /maps/employment (every step)")
        else:
            out.append(interpolated_note(p0))
        few = few_agents_note(b0, target)
        if few:
            out.append(few)
    out.append(f"money in {money_unit(p0)} (the units of /timeseries/spending); "
               "cost_per_job_year is stated only when the job effect is detectable (the 95% CI "
               f"of national net job-years excludes 0), otherwise it reads \"{NO_JOB_EFFECT}\" "
               f"(\"{JOBS_LOST}\" when that CI lies below 0); output_per_pound is marked "
               f"\"{NO_OUTPUT_EFFECT}\" when the CI of cumulative national output includes 0; "
               "displacement is stated only when the target area's gain is detectable")
    if getattr(target, "has_payments_tax", True):
        out.append("net of tax: net_spending is, seed by seed, the extra spending less the extra "
                   "profit tax the payments themselves raise (/timeseries/tax_on_payments: a "
                   "payment to a profitable firm comes back in part at once), paired by seed "
                   "with its 95% CI; net_cost_per_job_year and job_years_per_million_net follow "
                   "cost_per_job_year's and job_years_per_million's rules on it; tax_revenue, "
                   "the change in the profit tax of the whole economy, is reported but not "
                   "netted: it moves with each seed's whole economy, so it is far noisier than "
                   "the spending (see the caveats)")
    else:
        out.append(NO_TAX + "; the net_spending, net_cost_per_job_year and "
                   "job_years_per_million_net rows are blank (rerun with a current clustersim "
                   "for them)" + ("" if getattr(target, "has_tax", True) else
                                  "; nor is there /timeseries/tax_revenue, so no tax_revenue "
                                  "rows"))
    out.append(discount_note(getattr(target, "discount", 0.0)))
    w = getattr(target, "window", None)
    if w is not None:
        why = ("from when firms hear of the policies (their earliest start less firms.t_plan) "
               f"to {WINDOW_TAIL} steps (5 years) after the last step any of them acts (a policy "
               "without an end, or a transport link: to the run's end), clipped to the run"
               if getattr(target, "window_source", "") == "default" else "chosen with --window")
        out.append(f"programme period (measure `window`): {window_text(w)}, {why}; job effects, "
                   "displacement, extra spending, the profit tax (the whole economy's and on "
                   "the payments), net spending and the costs per job-year over those steps")
    build, mixed = build_notes(pairs)
    out.append(mixed or build)
    pdiffs = policy_differences(b0, p0)
    if pdiffs:
        out.append("the two sides' policies differ in " + model_differences_text(pdiffs, n=8))
    diffs = model_differences(pairs)
    if diffs:
        out.append(MODEL_DIFFERS + model_differences_text(diffs) + MODEL_DIFFERS_TAIL)
    elif _flat_config(b0.config) == _flat_config(p0.config) and b0.scenario == p0.scenario:
        out.append(SAME_SETTINGS)
    # for a comparison of the zones themselves: not when the baseline has the same policies,
    # nor when the policy changed nothing
    zone = zone_note(p0, b0) if b0.policies() != p0.policies() and not unchanged(pairs) else ""
    if zone:
        out.append(zone)
    idle = never_acting(p0)
    out += idle
    if unchanged(pairs):
        # a policy that never acted changed nothing by construction: no larger scale helps
        out.append(NEVER_ACTED if idle and programme_window(p0) is None else UNCHANGED)
    return out


ZONE_TYPES = ("location_subsidy", "tax_zone", "startup_space")
# what decides a zone's candidate cell (MODEL.md 4.7): where, for whom, and while it is
# announced (from start - firms.t_plan to its end), not what it pays nor how far it is trusted
ZONE_KEYS = (("type", None), ("area", None), ("sectors", []), ("new_entrants_only", False),
             ("start", 0), ("end", -1))   # with their defaults (config/defaults.cfg)


def _own_zones(run):
    """(name, key) of a run's zones with an area of their own (ZONE_TYPES not everywhere); key
    compares the candidate cell they add (ZONE_KEYS)."""
    import json
    out = []
    for p in run.policies():
        if not isinstance(p, dict) or p.get("type") not in ZONE_TYPES:
            continue
        area = p.get("area", "everywhere")
        if area == "everywhere" or (isinstance(area, dict) and area.get("everywhere")):
            continue
        key = json.dumps([p.get(k, d) for k, d in ZONE_KEYS], sort_keys=True)
        out.append((str(p.get("name", p.get("type"))), key))
    return out


def _few(names):
    """Names in a note: the first four, then how many more."""
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def zone_note(run, baseline=None):
    """The note for a policy run with zones of its own area (location_subsidy, tax_zone,
    startup_space not everywhere): MODEL.md 4.7 shows a cell of each announced zone to every
    eligible firm reviewing its location, whatever the zone pays, and that alone can give most of
    a small site's gain (docs/policies.md); "" for none. With the baseline run: zones it
    announces alike (same type, area, sectors and dates) add the same cell on both sides, so
    when all are such the note says the difference is the money's own part (the scenario against
    itself with its amounts at 0, docs/policies.md), and otherwise names only the others."""
    zones = _own_zones(run)
    if not zones:
        return ""
    base = _own_zones(baseline) if baseline is not None else []
    names = [n for n, k in zones if k not in {k for _, k in base}]
    if not names:
        head = (f"zones announced alike on both sides ({_few([n for n, _ in zones])}: the same "
                "types, areas, sectors and dates in the baseline run): the cell of each that "
                "joins the relocation choices of eligible firms, whatever the zone pays, is the "
                "same on both sides, so their announcement is not in the differences")
        extra = [n for n, k in base if k not in {k for _, k in zones}]
        if extra:
            return head + f"; that of the baseline's other zones ({_few(extra)}) is"
        types = [[p.get("type") if isinstance(p, dict) else None for p in r.policies()]
                 for r in (run, baseline)]
        if types[0] != types[1]:   # other policies too: the differences are theirs as well
            return head
        return (head + ": they are the money's own part, what the amounts change beyond the "
                "announcement (docs/policies.md, \"Part of a zone's effect\"), and the cost per "
                "job is the money's alone")
    shown = _few(names)
    return (f"zones ({shown}): part of their effect is being announced: a cell of each joins the "
            "relocation choices of every eligible firm that reviews its location, whatever the "
            "zone pays, and at small sites that alone can give most of the gain (run the "
            "scenario with its amounts at 0 against the same baseline to see it; "
            "docs/policies.md, \"Part of a zone's effect\"); payments per worker and rent "
            "relief do not change how many a firm hires (docs/model.md, Known limits). The cost "
            "per job is that of the money and the announcement together")


# the types that read `sectors` (docs/policies.md)
SECTOR_TYPES = ("location_subsidy", "tax_zone", "startup_space", "rd_credit", "firm_subsidy")


def sector_limits(run):
    """The sectors the policies that make the target area are limited to (their `sectors`, in
    the run's order where it has them); [] when one of them is for every sector (an empty
    `sectors`, a university or a link, which act on every sector)."""
    got = []
    for p in run.policies():
        if not isinstance(p, dict):
            continue
        area = p.get("area", "everywhere")
        if p.get("type") not in ("university_funding", "transport_link") and (
                area == "everywhere" or (isinstance(area, dict) and area.get("everywhere"))):
            continue   # not part of a target area
        # the other types act on every sector (a `sectors` given them is warned of, not read)
        sec = p.get("sectors") if p.get("type") in SECTOR_TYPES else None
        sec = [sec] if isinstance(sec, str) else sec
        if not sec:
            return []
        got += [x for x in sec if x not in got]
    order = list(getattr(run, "sector_names", []) or [])
    return sorted(got, key=lambda x: order.index(x) if x in order else len(order))


def sectors_note(run, target):
    """The note after the notes' target-area line when its policies are limited to some
    sectors: the target area's rows count every sector's jobs in it (/regions and
    /maps/employment hold no sector split per step), so a gain in the policies' sectors shows
    there net of any loss in the others; "" otherwise. A line of its own: the demo reads the
    area's name from the target-area line."""
    if target.kind not in ("regions", "cells"):
        return ""
    sec = sector_limits(run)
    if not sec:
        return ""
    words = ", ".join(sec)
    return (f"the target area's rows count the jobs of every sector in it, not only of the "
            f"sector{'s' if len(sec) > 1 else ''} the policies are limited to ({words})")


def interpolated_note(run):
    """The note for target-area figures measured on snapshots: how far apart they are."""
    every = run.config.get("output", {}).get("snapshot_every") \
        if isinstance(run.config.get("output"), dict) else None
    if not isinstance(every, int) and len(run.snap_steps) > 1:
        every = int(np.diff(run.snap_steps).min())
    return (f"target-area figures interpolated between map snapshots every {every} steps; rerun "
            "with a current clustersim for exact ones (/maps/employment)")


# the spending a cost per job-year is built on: the rows it sets and the words of its notes
GROSS = dict(cost="cost_per_job_year", jpm="job_years_per_million", spending="extra spending",
             nodiff="no spending difference")
NET = dict(cost=NET_COST[0], jpm=NET_COST[1], spending="net spending",
           nodiff="no net spending difference")


def honest_cost(rows, job_years, spent, measure="cumulative", money="£", kind=GROSS):
    """Sets the job_years_per_million and cost_per_job_year rows of a measure (cumulative,
    window) from the per-seed net job-years and extra spending (national); with kind=NET the
    job_years_per_million_net and net_cost_per_job_year rows from the same job-years and the
    per-seed net spending (extra spending less the extra profit tax on the payments), under the
    same rules.
    job_years_per_million = 1e6 · mean(job-years) / mean(spending), with Fieller's CI
    (stats.fieller_ci): it contains 0 exactly when net job-years' CI does, so the interval never
    contradicts the "no detectable job effect" label (the delta method once printed 88.2 [54.8,
    121.6] with that label); unbounded (empty, noted) only when the spending's own CI
    includes 0.
    When the spending's 95% CI lies below 0 (the policy run spends less than its "baseline", e.g.
    a policy scenario compared with a dearer one; net of the payments' own tax, at most the tax
    rate times the payments, only then too) both are empty and the note says "no net cost": a
    negative cost per job would read as a price, and a negative job-years per pound as jobs
    lost.
    cost_per_job_year only when the job effect is detectable and positive, i.e. the 95% CI of
    national net job-years lies above zero (below zero the note says "net jobs lost"):
    mean(spending) / mean(job-years) with Fieller's CI, which is then always bounded (its
    denominator's CI excludes 0); where the spending's own CI includes 0 the cost's does too,
    and the note says the cost cannot be told from zero. Otherwise the cost is blank and the
    note says "no detectable job effect", how large an effect the experiment could not tell from
    zero (the CI's half width) and the cost per job-year the data rule out (10^6 / the upper end
    of the CI of job-years per million: a cost below that is ruled out). A mean of per-seed
    costs is never used: a seed with almost no net jobs makes it meaningless (10 seeds of
    tech_city once gave -0.77 pounds per net job-year)."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    cost = get.get((kind["cost"], "national", measure))
    jpm = get.get((kind["jpm"], "national", measure))
    jobs = get.get(("employment", "national", measure))
    if cost is None or jpm is None or jobs is None:
        return
    what = kind["spending"]
    r, lo, hi, n = stats.fieller_ci(job_years, spent)
    jpm.update(difference=1e6 * r, ci_low=1e6 * lo, ci_high=1e6 * hi, n_seeds=n, note="")
    if math.isfinite(r) and n >= 2 and not math.isfinite(lo):
        jpm["note"] = f"CI unbounded: the 95% CI of {what} includes 0"
    nan = dict(difference=math.nan, ci_low=math.nan, ci_high=math.nan)
    if not math.isfinite(r):
        cost.update(nan, n_seeds=0, note=kind["nodiff"])
        jpm.update(n_seeds=0, note=kind["nodiff"])
        return
    _, s_lo, s_hi, _ = stats.paired_ci(spent)
    if stats.excludes_zero(s_lo, s_hi) and s_hi < 0:
        saving = f"{NET_SAVING}: the 95% CI of {what} lies below 0"
        cost.update(nan, n_seeds=n, note=saving)
        jpm.update(nan, note=saving)
        return
    if not stats.excludes_zero(jobs["ci_low"], jobs["ci_high"]):
        why = " (one seed: no confidence interval)" if n < 2 else ""
        detail = ""
        if n >= 2 and half_width(jobs) > 0:   # not for exact zeros (changed nothing)
            detail = (f": net effects smaller than about {fmt(half_width(jobs))} job-years "
                      "would usually not be told from zero here (the 95% CI's half width)")
            if math.isfinite(hi) and hi > 0:
                detail += (f"; the data rule out that it bought net job-years for less than "
                           f"about {gbp(1.0 / hi)} each (net job losses are not ruled out)")
        cost.update(nan, n_seeds=n, note=NO_JOB_EFFECT + why + detail)
        jpm["note"] = "; ".join(x for x in (NO_JOB_EFFECT + why, jpm["note"]) if x)
        return
    if jobs["ci_high"] < 0:
        # a negative cost per job reads as a bargain; the policy cost jobs instead
        cost.update(nan, n_seeds=n, note=JOBS_LOST + " (the 95% CI of net job-years is below 0)")
        jpm["note"] = JOBS_LOST
        return
    c, lo, hi, _ = stats.fieller_ci(spent, job_years)
    note = "" if not (math.isfinite(s_lo) and s_lo <= 0 <= s_hi) else \
        f"{COST_INCLUDES_ZERO}: the 95% CI of {what} includes 0"
    cost.update(difference=c, ci_low=lo, ci_high=hi, n_seeds=n, note=note)


# ---------------------------------------------------------------- plain-language summary

def _window_of_rows(rows):
    """(start, end) of the window from the rows' `steps` column ("8-67" -> (8, 68)), or None."""
    for r in rows:
        if r.get("measure") == "window" and r.get("steps"):
            a, b = str(r["steps"]).split("-")
            return int(a), int(b) + 1
    return None


def _ci_words(r):
    if r["n_seeds"] < 2 or not math.isfinite(r["ci_low"]):
        return "one seed, no confidence interval" if r["n_seeds"] < 2 else "no confidence interval"
    return f"95% CI {signed(r['ci_low'])} to {signed(r['ci_high'])}"


def signed(v):
    return ("+" if v > 0 else "") + fmt(v)


def effect_words(r, unit="job-years"):
    """"+465,000 job-years (95% CI +108,000 to +821,000)", and where the CI includes 0 what the
    experiment cannot tell from zero (the CI's half width)."""
    out = f"{signed(r['difference'])} {unit} ({_ci_words(r)}"
    if r["n_seeds"] >= 2 and math.isfinite(r["ci_low"]) and half_width(r) > 0 and \
            not stats.excludes_zero(r["ci_low"], r["ci_high"]):
        out += (f"; effects smaller than about {fmt(half_width(r))} {unit} would usually not "
                "be told from zero here")
    return out + ")"


def _displacement_words(d):
    if d is None:
        return ""
    if not math.isfinite(d["difference"]):
        # the note has brackets of its own: a colon, not a third pair
        return f"displacement is not stated: {d['note'] or 'the target area did not gain'}"
    ci = "" if not math.isfinite(d["ci_low"]) else \
        f", 95% CI {fmt(d['ci_low'])} to {fmt(d['ci_high'])}"
    return (f"displacement (job-years lost elsewhere per job-year gained in the target area) "
            f"was {fmt(d['difference'])}{ci}")


def _money_ci(r):
    """"95% CI £a to £b" of a money row (or why there is none)."""
    if r["n_seeds"] < 2 or not math.isfinite(r["ci_low"]):
        return _ci_words(r)
    return f"95% CI {gbp(r['ci_low'])} to {gbp(r['ci_high'])}"


def _cost_words(c, zero_note=True):
    """A cost row (gross or net of tax) in words after the spending it is built on: ", £C per
    net job-year nationally, 95% CI ..." or why no cost is stated; "" for no row. zero_note:
    say (the row's note) that the cost cannot be told from zero where its spending's CI
    includes 0 (False where the sentence has just said so of the spending)."""
    if c is None:
        return ""
    note = str(c.get("note", ""))
    if math.isfinite(c["difference"]):
        ci = "" if not math.isfinite(c["ci_low"]) else \
            f", 95% CI {gbp(c['ci_low'])} to {gbp(c['ci_high'])}"
        out = f", {gbp(c['difference'])} per net job-year nationally{ci}"
        if zero_note and note.startswith(COST_INCLUDES_ZERO):
            out += f" ({note})"
        return out
    if note.startswith(NO_JOB_EFFECT):
        bound = re.search(r"bought net job-years for less than about (.+?) each", note)
        out = ", with no detectable national job effect, so no cost per job can be stated"
        if bound:
            out += (f"; the data rule out that it bought net job-years for less than about "
                    f"{bound.group(1)} each (from the upper end of the CI of job-years per pound; "
                    "net job losses are not ruled out)")
        return out
    if note.startswith(JOBS_LOST):
        return ", and national net job-years fell, so there is no cost per job to state"
    return ""


def net_words(get, measure):
    """The spending net of the profit tax the payments themselves bring back, in words, for
    after the gross figure: that tax (tax_on_payments) with its CI, the net figure with its CI,
    the net cost per job-year where one is stated, and, only where its CI excludes 0, the change
    in the whole economy's profit tax (tax_revenue), which is not netted. "" without the rows."""
    ns = get.get((NET_SPENDING, "national", measure))
    if ns is None:
        return ""
    if not math.isfinite(ns["difference"]):
        if str(ns.get("note", "")).startswith(NO_TAX):
            return ("no figure net of the profit tax can be given: the run files predate "
                    "/timeseries/tax_on_payments")
        return ""
    tp = get.get(("tax_on_payments", "national", measure))
    if tp is None or not math.isfinite(tp["difference"]):
        return ""
    out = (f"net of the profit tax the payments themselves bring back ({gbp(tp['difference'])}, "
           f"{_money_ci(tp)})")
    n = ns["difference"]
    lo, hi = ns["ci_low"], ns["ci_high"]
    c = get.get((NET_COST[0], "national", measure))
    wide = math.isfinite(lo) and lo <= 0 <= hi
    if stats.excludes_zero(lo, hi) and hi < 0:
        out += f", {gbp(n)} ({_money_ci(ns)}): there is no net cost"
    elif wide:
        out += f", {gbp(n)} ({_money_ci(ns)}, which includes zero)"
    else:
        out += f", {gbp(n)} ({_money_ci(ns)})"
    # why no cost per job-year (no detectable job effect, jobs lost) was said of the gross
    # figure, on the same job-years: a stated net cost is added, or the net cost the data rule
    # out (lower than the gross one, being on less money)
    if c is not None and math.isfinite(c["difference"]):
        out += _cost_words(c, zero_note=not wide)
    elif c is not None and str(c.get("note", "")).startswith(NO_JOB_EFFECT):
        bound = re.search(r"bought net job-years for less than about (.+?) each", c["note"])
        if bound:
            out += (f"; net of that tax the data rule out less than about {bound.group(1)} a "
                    "net job-year")
    # the whole economy's change in profit tax moves with each seed's economy: said only where
    # the seeds tell it from zero, and never netted
    tx = get.get(("tax_revenue", "national", measure))
    detectable = (lambda r: r is not None and math.isfinite(r["difference"]) and
                  r["n_seeds"] >= 2 and stats.excludes_zero(r["ci_low"], r["ci_high"]))
    if detectable(tx):
        t = tx["difference"]
        out += (f"; the whole economy's profit tax, which is not netted, "
                f"{'rose' if t > 0 else 'fell'} by {gbp(abs(t))} ({_money_ci(tx)})")
    # the rest of the profit tax, besides the payments' own: a detectable fall means less came
    # back than the net figure counts (an R&D credit's extra R&D is deducted from profit)
    ot = get.get((OTHER_TAX, "national", measure))
    # said where the payments' own tax is counted back and the whole economy's tax did not fall
    # detectably (that fall, said, is the point then; without payments to firms it is this)
    less = detectable(ot) and ot["ci_high"] < 0 and tp["difference"] > 0 and \
        not (detectable(tx) and tx["difference"] < 0)
    if less:
        out += (f"; the rest of the profit tax fell by {gbp(abs(ot['difference']))} "
                f"({_money_ci(ot)}), as firms changed what they do, so less came back than the "
                "payments' own tax")
    if detectable(tx) or less:
        t = tx["difference"] if tx is not None else math.nan
        # a detectable fall is a cost to the Exchequer the headline leaves out: the cost per
        # job-year counting it (the headline's definition is unchanged)
        tc = get.get((TAX_COST, "national", measure))
        g = get.get(("cost_per_job_year", "national", measure))
        if (t < 0 or less) and tc is not None and math.isfinite(tc["difference"]):
            ci = "" if not math.isfinite(tc["ci_low"]) else \
                f", 95% CI {gbp(tc['ci_low'])} to {gbp(tc['ci_high'])}"
            how = "counting that loss as a cost too" if t < 0 else \
                "netting the whole economy's change in profit tax instead"
            out += f"; {how}, each net job-year cost {gbp(tc['difference'])}{ci}"
            if t < 0 and g is not None and math.isfinite(g["difference"]):
                out += f", against {gbp(g['difference'])} without it"
    return out


# the national outcomes the summary names when their 95% CI excludes zero: what a reader of a
# cost per job needs beside it (city_centre_density, 10 seeds: output, output per worker, the
# mean wage and the profit tax all fell detectably while the summary spoke of jobs and cost)
ECONOMY = (("output", "national output"), ("productivity", "output per worker"),
           ("mean_wage", "the mean wage"))


def economy_words(get, measure):
    """The national output, output per worker and mean wage effects of a measure whose 95% CI
    excludes zero, in words ("national output fell by £312 billion (95% CI ...)"; a final
    value "was £161 a quarter lower with the policy than without it"); none where the CI
    includes zero or there is none (one seed): no claim the interval does not support. A list."""
    out = []
    for name, what in ECONOMY:
        r = get.get((name, "national", measure))
        if r is None or r["n_seeds"] < 2 or not math.isfinite(r["difference"]) or \
                not stats.excludes_zero(r["ci_low"], r["ci_high"]):
            continue
        v = r["difference"]
        per = " a quarter" if measure == "final" or name != "output" else ""
        if measure == "final":
            # "with the policy than without it" once: the rest read on from the first
            than = "" if out else " with the policy than without it"
            out.append(f"{what} was {gbp(abs(v))}{per} {'higher' if v > 0 else 'lower'}{than} "
                       f"({_money_ci(r)})")
        else:
            avg = " on average" if name != "output" else ""
            out.append(f"{what} {'rose' if v > 0 else 'fell'} by {gbp(abs(v))}{per}{avg} "
                       f"({_money_ci(r)})")
    return out


def economy_sentence(get, measure, lead=""):
    """economy_words as one sentence after `lead` ("" or e.g. "At the end of the run, "), or
    "" where none is detectable."""
    items = economy_words(get, measure)
    if not items:
        return ""
    text = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    text = lead + text
    return text[0].upper() + text[1:] + "."


def _money_words(get, measure, pv=False):
    sp = get.get(("spending", "national", measure))
    c = get.get(("cost_per_job_year", "national", measure))
    if sp is None or not math.isfinite(sp["difference"]) or sp["difference"] == 0:
        return ""
    out = f"extra public spending was {gbp(sp['difference'])}" + (" in present value" if pv
                                                                  else "")
    out += _cost_words(c)
    net = net_words(get, measure)
    return out + ("; " + net if net else "")


def _discount_of_rows(rows):
    """The discount words of the rows ("discounted at 3.5% a year"), from the unit of national
    cumulative job-years (unit_of), or "" when undiscounted: summary.csv's rows carry them in
    that column only, and the summary must say what the demo's or a reader's CSV says."""
    for r in rows:
        if (r.get("outcome"), r.get("scope"), r.get("measure")) == \
                ("employment", "national", "cumulative"):
            m = re.search(r"present value in 2018, (discounted .*)$", str(r.get("unit", "")))
            return m.group(1) if m else ""
    return ""


def summary_sentences(rows, target_label, window_source="default", total_steps=None):
    """The plain-language summary, led by the programme-period (window) effect: a list of
    sentences built from the rows (also from summary.csv's, as the demo does). Discounted rows
    (their units say so) are said to be present values in 2018, at their rate."""
    get = {(r["outcome"], r["scope"], r["measure"]): r for r in rows}
    disc = _discount_of_rows(rows)
    jy = "discounted job-years" if disc else "job-years"
    ok = lambda r: r is not None and math.isfinite(r["difference"])  # noqa: E731
    w = _window_of_rows(rows)
    out = []
    if total_steps is None:
        total_steps = next((int(r["steps"]) for r in rows
                            if r.get("measure") == "final" and str(r.get("steps", "")).isdigit()),
                           None)
    for m in ("window", "cumulative"):
        if m == "window":
            if w is None:
                continue
            why = ("from when firms hear of the policies (firms.t_plan steps before they "
                   "start) to 5 years after they last act"
                   if window_source == "default" else "the window chosen with --window")
            if window_source == "default" and total_steps and w[1] > total_steps:
                why = ("from when firms hear of the policies (firms.t_plan steps before they "
                       "start) to the end of the run (up to 5 years after they last act, "
                       "clipped to the run; a policy without an end, or a transport link, "
                       "which stays open, acts to the end)")
            head = f"Over the programme period, {window_text(w)}, {why}"
        else:
            head = "Over the whole run" + (f" (steps 1 to {total_steps}, {total_steps / 4:g} "
                                           "years)" if total_steps else "")
        if disc:   # said in full once; the next sentence only names the rate
            head += f", in present values in 2018 {disc}" + (
                "" if out else " (job-years and pounds alike; final values are not discounted)")
        t = get.get(("employment", "target area", m))
        o = get.get(("employment", "outside target", m))
        n = get.get(("employment", "national", m))
        parts = []
        if ok(t) and ok(o):
            parts.append(f"the target area ({target_label}) changed by {effect_words(t, jy)} "
                         f"and the rest of the country by {effect_words(o, jy)}")
        if ok(n):
            parts.append(f"national net employment changed by {effect_words(n, jy)}")
        if not parts:
            continue
        if m == "cumulative" and w is not None and ok(n) and all(
                get.get(("employment", "national", "window"), {}).get(k) == n[k]
                for k in ("difference", "ci_low", "ci_high")):
            out.append(head + ", the figures are the same: nothing differs outside the "
                       "programme period.")
            continue
        sent = head + ", " + "; ".join(parts) + "."
        extra = [x for x in (_displacement_words(get.get(("displacement", "target area", m))),
                             _target_cost_words(get.get((TARGET_COST, "target area", m))),
                             _money_words(get, m, bool(disc))) if x]
        if extra:
            sent += " " + "; ".join(extra)[0].upper() + "; ".join(extra)[1:] + "."
        econ = economy_sentence(get, m)
        out.append(sent + (" " + econ if econ else ""))
    if out and total_steps:
        econ = economy_sentence(get, "final", f"at the end of the run (step {total_steps}), ")
        if econ:
            out.append(econ)
    return out


def section_of(row):
    s = row["scope"]
    if row["outcome"] in RATIOS or row["outcome"] in ("spending", "tax_revenue", "tax_on_payments",
                                                      NET_SPENDING, OTHER_TAX):
        return "Cost and displacement"
    if s == "national":
        return "National"
    if s in ("target area", "outside target"):
        return "Target area"
    if s.startswith("region "):
        return "Regions"
    return "Sectors (clusters)"


SECTIONS = ["National", "Cost and displacement", "Target area", "Regions", "Sectors (clusters)"]


# ---------------------------------------------------------------- reports

def fmt(v):
    """A number for a table or a sentence: n/a for nan, rounded to 3 significant figures,
    thousands separators for large values (summary.csv keeps full precision)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "n/a"
    v = float(v)
    if v == 0:
        return "0"
    a = abs(v)
    digits = 2 - int(math.floor(math.log10(a)))
    r = round(v, digits)
    if abs(r) >= 1000:
        return f"{r:,.0f}"
    if abs(r) >= 1e-4:
        return f"{r:.{max(digits, 0)}f}".rstrip("0").rstrip(".") if digits > 0 else f"{r:.0f}"
    return f"{v:.3g}"


def gbp(v):
    """An amount of money in a sentence: "£1,230" (the unit's price year is in the notes)."""
    if not math.isfinite(v):
        return "n/a"
    a = abs(v)
    txt = fmt(a / 1e9) + " billion" if a >= 1e9 else fmt(a / 1e6) + " million" if a >= 1e6 \
        else fmt(a)
    return ("-£" if v < 0 else "£") + txt


def markdown(rows, title, notes=(), summary=(), nontradable=()):
    """The comparison as markdown: the notes, the plain-language summary (summary_sentences)
    with the standing caveats, then one table per section; numbers to 3 significant figures.
    nontradable: the sectors whose cluster rows are left out, said under the Sectors table
    (nontradable_note)."""
    n = max((r["n_seeds"] for r in rows), default=0)
    single = n < 2
    out = [f"# {title}", ""]
    out += [f"- {x}" for x in notes]
    if single:
        out.append("- One seed: differences are shown without a confidence interval "
                   "(a confidence interval needs at least two paired seeds).")
    else:
        out.append(f"- {n} paired seeds: each figure is the mean over seeds; 95% CI from the "
                   "paired differences (t distribution); numbers rounded to 3 significant "
                   "figures (summary.csv has them in full)")
    out.append("")
    if summary:
        out += ["## Summary", "", " ".join(summary), "", "Caveats:", ""]
        out += [f"- {c[0].upper() + c[1:]}." for c in CAVEATS]
        out.append("")
    for sec in SECTIONS:
        sel = [r for r in rows if section_of(r) == sec]
        if not sel:
            continue
        out += [f"## {sec}", "",
                "| outcome | scope | measure | steps | unit | baseline | policy | difference | "
                "95% CI | % of baseline | seeds |",
                "|---|---|---|---|---|---:|---:|---:|---|---:|---:|"]
        for r in sel:
            ci = "—" if not math.isfinite(r["ci_low"]) else f"[{fmt(r['ci_low'])}, {fmt(r['ci_high'])}]"
            pct = fmt(r["percent"]) + ("%" if math.isfinite(r["percent"]) else "")
            diff = fmt(r["difference"])
            if r.get("note") and not math.isfinite(r["difference"]):
                diff = r["note"]
            elif r.get("note"):
                diff += f" ({r['note']})"
            out.append(f"| {r['outcome']} | {r['scope']} | {r['measure']} | {r.get('steps', '')} | "
                       f"{r.get('unit', '')} | {fmt(r['baseline'])} | {fmt(r['policy'])} | "
                       f"{diff} | {ci} | {pct} | {r['n_seeds']} |")
        out.append("")
        if sec in MANY_ROWS and multiple_note(sel):
            out += [f"Note: {multiple_note(sel)}.", ""]
        if sec == "Sectors (clusters)" and nontradable_note(nontradable):
            out += [f"Note: {nontradable_note(nontradable)}.", ""]
    return "\n".join(out)


# the sections of many rows, each with its own unadjusted 95% CI (tech_city, 10 seeds: 144
# region rows and 50 sector rows)
MANY_ROWS = ("Regions", "Sectors (clusters)")


def multiple_note(rows):
    """The multiple-comparisons note under a table of many rows: how many rows have a 95% CI,
    how many would exclude zero by chance with no effect anywhere (5% of them, on average), and
    how many do here; "" under two rows with a CI. tech_city, 10 seeds: 5 of 144 region rows
    exclude zero (South West's employment among them), what chance alone gives."""
    ci = [r for r in rows if r["n_seeds"] >= 2 and math.isfinite(r["ci_low"])
          and math.isfinite(r["ci_high"])]
    if len(ci) < 2:
        return ""
    k = sum(1 for r in ci if stats.excludes_zero(r["ci_low"], r["ci_high"]))
    return (f"{len(ci)} rows here, each with its own 95% CI, not adjusted for multiple "
            f"comparisons: with no effect anywhere about {0.05 * len(ci):.1f} of them would "
            f"exclude zero by chance (5%, on average); {k} of the {len(ci)} do, so read any one "
            "row whose interval excludes zero with care")


def frame(rows):
    """The rows as a pandas DataFrame with the COLUMNS of summary.csv."""
    import pandas as pd
    return pd.DataFrame([{c: r.get(c, "") for c in COLUMNS} for r in rows], columns=COLUMNS)


def write_csv(rows, path):
    """summary.csv: one line per row, empty cells for undefined values (nan)."""
    write_frame(frame(rows), path)


def write_frame(df, path, index=False):
    """A DataFrame as CSV (empty cells for nan), written under a temporary name then renamed."""
    df.to_csv(path + ".tmp", index=index, na_rep="")
    os.replace(path + ".tmp", path)


def write_text(text, path):
    """A text file written under a temporary name, then renamed."""
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)
