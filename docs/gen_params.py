#!/usr/bin/python3
"""Writes the parameter tables of docs/model.md from config/defaults.cfg.

config/defaults.cfg is generated from the schema (config/schema.c) and documents every key with
a comment `# meaning [unit; range; default]` above it; the policy keys are documented in its
comment block at the end (`#   key: meaning [unit; range; default]`). This script parses that file
and rewrites the part of docs/model.md between `<!-- params:begin -->` and `<!-- params:end -->`.
The source/reasoning column comes from SOURCES below (keyed by parameter path; policy keys as
`policies.<key>`).

    /usr/bin/python3 docs/gen_params.py            # rewrite docs/model.md
    /usr/bin/python3 docs/gen_params.py --check    # exit 1 if docs/model.md is out of date

After changing a default in config/schema.c: rebuild, regenerate config/defaults.cfg
(`make build/tests/test_config && build/tests/test_config --write-defaults`), then run this
script.
"""
import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULTS = os.path.join(ROOT, "config", "defaults.cfg")
MODEL_MD = os.path.join(ROOT, "docs", "model.md")
BEGIN = "<!-- params:begin -->"
END = "<!-- params:end -->"
MONEY = (" Money keys are in 2018 pounds: every model-unit amount was multiplied by 2,930, chosen "
         "to set the initial mean earnings per job to ASHE 2018's; the model now starts about 3% "
         "below it (docs/model.md, Calibration).")
CAL = "calibrated: see Calibration"
MISSING = "*(no source recorded: add one to SOURCES in docs/gen_params.py)*"

# Source or reasoning of each parameter's default. Keep it honest: a modelling choice is a
# modelling choice. Keys: parameter path; policy keys as "policies.<key>". An entry for a key
# that is not (or not yet) in config/defaults.cfg is ignored, with a warning.
SOURCES = {
    # scenario
    "name": "Label only.",
    "description": "Label only.",
    "question": "Label only.",
    "seed": "Any value; results depend on (config, seed) only (MODEL.md 5).",
    "steps": "MODEL.md 1: 160 quarters = 40 years, one working life, long enough for clusters "
             "to form and lock in (Arthur 1990).",
    "scale": ("Modelling choice for speed: 0.002 of the UK (66,000 workers, 2,800 firms); a "
              "40-year run then takes about a second (0.8 s on one idle core, docs/performance.md). "
              "Fields are full-scale, so a smaller scale is a noisier sample of the same economy (see Known limits)."),
    # grid
    "grid.width": "Modelling choice: about 7 km per cell on the UK-like map, so a commuting "
                  "radius of 8 cells is about 55 km (docs/landscape.md).",
    "grid.height": "As grid.width: the UK's aspect ratio (docs/landscape.md).",
    # landscape
    "landscape.kind": "MODEL.md 8 (uk) and 9.2 (uniform, for the history-dependence test).",
    "landscape.initial_sectors": "MODEL.md 10: the real start (ONS BRES 2018 employee jobs by region and ITL2 area, data/README.md) is the default on the UK map; the emergent start (MODEL.md 8) is for formation experiments (emergence.cfg, facts 1-3 and 7).",
    "landscape.city_sigma": "Modelling choice: spreads a city over an area growing with the "
                            "square root of its population (ONS built-up areas, roughly); " +
                            CAL + " (1.0, was 1.5).",
    "landscape.rural_share": "Roughly the UK's rural population share (about 17%, DEFRA rural "
                             "statistics), rounded.",
    "landscape.asset_bonus": "Modelling choice: a large enough log-productivity bonus that energy "
                             "locates at its asset (MODEL.md 9.2 wants it there in 90% of seeds); " +
                             CAL + ".",
    "landscape.fundamentals": "Standard practice of quantitative spatial models (Redding and Rossi-Hansberg "
    "2017; Ahlfeldt, Redding, Sturm and Wolf 2015): location fundamentals are backed out so that the observed "
    "map is an equilibrium. Without them the 2018 geography drifts for reasons the data never had: firms "
    "calibrated to their 2018 place take its edge with them when they move (docs/model.md, the real start).",
    "landscape.asset_offset": "Modelling choice between two readings of the fitted fundamental where firms "
    "sat on a natural asset (docs/model.md, the real start): kept, the default, is the reading of quantitative "
    "spatial models (the asset is a known term, so the fundamental is the place's own suitability, which the "
    "asset outweighed); released reads it as the asset's mirror. Whether a resource cluster outlives its "
    "resource turns on it, so both are offered.",
    "landscape.firm_share_max": "Modelling choice: BRES publishes no establishment sizes; the largest "
    "single-site employers hold up to about a fifth of their region and sector's jobs (a large pharmaceutical "
    "site in the North West's life sciences, say). Without a bound, at small scales one initial firm can be "
    "most of a region's sector and fact 9 measures one firm's fortune (docs/validation.md).",
    "landscape.university_pull": "Modelling choice: the data stop at ITL2 areas; spread by population, "
    "East Anglia's life sciences (11% of the UK's) would sit mostly in Norwich and Ipswich and Cambridge would "
    "hold 0.8% of the UK's life sciences. With 30, about 2.4% are within 3 cells of Cambridge and 3.5% of "
    "Oxford at scale 0.01 (seed 1), two to three times their population shares: illustrative, not fitted to "
    "finer data (none in data/).",
    "landscape.asset_radius": "Modelling choice: the North Sea service area around Aberdeen, "
                              "about 55 km; " + CAL + " (energy at its asset, MODEL.md 9.2).",
    "landscape.amenity_city": "Modelling choice: a small city-centre amenity, of the order of "
                              "housing costs, so that residents value centres; not calibrated." + MONEY,
    # sectors
    "sectors.n": "Derived from sectors.names.",
    "sectors.names": "MODEL.md 2: the UK's policy-relevant tradable sectors plus local services.",
    "sectors.share": ("Approximate UK employment shares of these broad sectors (order of "
                     "magnitude of ONS BRES; the sector boundaries are a modelling choice); "
                     "local services take the rest."),
    "sectors.tradable": "MODEL.md 2: local services sell to residents nearby; the rest trade "
                        "nationally.",
    "sectors.beta_loc": "Localisation elasticities in the empirical range 0.02-0.08 (Rosenthal & "
                        "Strange 2004; Combes et al. 2008; Melo et al. 2009 meta-analysis), "
                        "higher in knowledge-intensive sectors; " + CAL + ".",
    "sectors.rd_intensity": "Business R&D over output by sector, rough ONS BERD / OECD figures "
                            "(life sciences highest, finance and local services lowest).",
    # universities
    "universities.ru": "Modelling choice: knowledge spillovers decay within tens of km (Jaffe, "
                       "Trajtenberg & Henderson 1993; Anselin et al. 1997): 12 cells, about 85 km.",
    "universities.k": "Normalisation: U_s is scaled by land.beta_uni and innovation.mu_u instead.",
    "universities.phi_q": "Modelling choice (no empirical counterpart): quality per full-scale 2018 pound of "
                          "funding, set so that GBP 1.34 million a quarter per university (the Strength in Places "
                          "Fund's size, university_clusters.cfg) adds 0.02 quality a step, 0.4 at the steady state "
                          "(was 3.41e-6 per pound with GBP 5,860 a quarter: the same effect); policy scenarios "
                          "should vary it.",
    "universities.delta_q": "Modelling choice: quality gains fade with a half-life of about 3.5 "
                            "years without continued funding.",
    "universities.lambda_u": ("Modelling choice: at baseline quality (sum of q0 about 36) it gives about "
                             "45 full-scale spinouts a year, below the 100-200 a year UK universities "
                             "report (HESA HE-BCI); " + CAL + "."),
    "universities.spinout_premium": "Modelling choice: spinouts start above the sector mean "
                                    "(they carry new technology).",
    # firms
    "firms.alpha": "Labour share of output about 0.6-0.7 plus decreasing returns to scale of "
                   "the firm (Lucas 1978 span of control); 0.8 is standard in firm-dynamics "
                   "models.",
    "firms.omega": ("Rent sharing: workers get most of the marginal product. The wage bill is "
                   "omega alpha = 72% of output, above the UK labour share of GDP (55-60%) "
                   "because the model has no capital; " + CAL + "."),
    "firms.phi_space": "Normalisation: one job-space per worker (capacities are in jobs).",
    "firms.fixed_cost": "Overheads of one local mean wage per unit of skill per step (wbar is "
                        "per unit of skill: at the start about twice the mean earnings per job, "
                        "about 1.1 times by year 40 as skills rise); they make "
                        "small unproductive firms exit (MODEL.md 4.4); " + CAL + " (birth and "
                        "death rates, MODEL.md 9.6).",
    "firms.payout": "Modelling choice: owners take 5% of positive cash each quarter, so cash "
                    "does not pile up forever (MODEL.md 4.4); " + CAL + ".",
    "firms.tax": "UK main rate of corporation tax 2017-2023 (19%).",
    "firms.x_exit": "Modelling choice: a firm exits after losses worth a quarter of a year's "
                    "output; " + CAL + " (death rates).",
    "firms.t_empty": "Modelling choice: a firm with no employee for a year is gone.",
    "firms.g_max": "Modelling choice: hiring frictions; a firm can grow by at most a quarter of "
                   "its headcount (plus one) a quarter.",
    "firms.buffer": "Modelling choice: firing costs; firms keep up to twice their target labour "
                    "before laying anyone off, so that small shocks (labour demand elasticity "
                    "1/(1-alpha) = 5) do not become mass layoffs; " + CAL + ".",
    "firms.size_tail": "Axtell (2001): firm sizes are Zipf-distributed, tail exponent about 1.",
    "firms.lambda_e": "Startups per resident per quarter so that annual births are about 10-14% "
                      "of firms (ONS Business Demography); " + CAL + ".",
    "firms.b_k": "Modelling choice: more entry in dense places (Glaeser & Kerr 2009); small.",
    "firms.eps_sector": "Modelling choice: exploration lets new sectors appear where none is "
                        "(Zhang 2003); " + CAL + ".",
    "firms.entry_sigma": "Dispersion of entrants' productivity, the draw alone (shocks spread "
                         "firms further with age): within the within-industry dispersion of "
                         "plants' log productivity of about 0.2-0.25 that Foster, Haltiwanger "
                         "& Syverson (2008) measure. Since a firm's optimal size goes as "
                         "A^(1/(1 - alpha)) = A^5, it gives entrants' optimal sizes a log-sd of "
                         "0.75; 0.3 before session 10 gave 1.5, and a few lucky entrants then "
                         "decided a region's sector (docs/validation.md, fact 9); " + CAL + ".",
    "firms.entry_discount": "Entrants are less productive than incumbents (Foster, Haltiwanger "
                            "& Syverson 2008); 0.15 below the local mean (0.5 below the frontier "
                            "before D11) so that startups hold about a fifth of jobs after 40 "
                            "years at every scale, a startup not wanting its full size at once; "
                            + CAL + ".",
    "firms.entry_reference": "Scale consistency (docs/validation.md, \"What drifts with "
                             "scale\"): the jobs-weighted frontier of a window rises with the "
                             "number of sampled firms in it; the unweighted mean does not "
                             "(docs/model.md D11). \"frontier\" is MODEL.md.",
    "firms.lambda_sp": "Klepper (2007): spinoffs of better firms; rate chosen so spinoffs are a "
                       "minority of births; " + CAL + ".",
    "firms.r_sp": "Klepper (2007): spinoffs locate near their parent; a few cells.",
    "firms.sp_discount": ("Modelling choice: a spinoff inherits its parent's know-how but starts "
                          "below it, so it does not want to be as large as its parent at once; "
                          + CAL + "."),
    "firms.sp_sigma": "Modelling choice: spinoffs inherit the parent's productivity with noise.",
    "firms.m_f": ("MODEL.md 4.7 default: about 8% of firms review their location a year; a "
                 "modelling choice."),
    "firms.k_f": "Modelling choice (UrbanSim-style sampled choice set).",
    "firms.r_move": "Modelling choice: most firm moves are local (within about 70 km).",
    "firms.tau": "Modelling choice: logit noise of 2% of output (sharp location choice); " +
                 CAL + ".",
    "firms.m_c": "Modelling choice: moving costs half a quarter's output.",
    "firms.t_plan": "Modelling choice: firms plan five years ahead (a typical lease or policy "
                    "horizon).",
    "firms.seed_capital": "Modelling choice: a new firm can carry its overheads for a year "
                          "without revenue.",
    # workers
    "workers.skill_mean": "Normalisation of skill in (0, 1].",
    "workers.skill_sd": "Modelling choice: wide enough dispersion for sorting on skill.",
    "workers.grad_skill": "Modelling choice: graduates start more skilled than school leavers "
                          "(graduate wage premium of roughly 40-70%).",
    "workers.leaver_skill": "As workers.grad_skill.",
    "workers.eta_l": "Modelling choice: learning by doing closes 1% of the skill gap a quarter.",
    "workers.lambda_h": "Learning in cities (Glaeser & Mare 2001; De la Roca & Puga 2017): "
                        "faster skill growth in dense places, the main source of the urban wage "
                        "premium in the model; " + CAL + " (MODEL.md 9.4).",
    "workers.eta_d": "Modelling choice: skills depreciate in unemployment (scarring), slowly "
                     "(0.5% a quarter) so that layoffs do not feed on themselves; " + CAL + ".",
    "workers.retire": "A 40-year working life: 1/160 per quarter (MODEL.md 4.11).",
    "workers.grad_share": ("Modelling choice, on the low side of the share of UK labour-market "
                          "entrants with a degree (HE participation is about 50% by age 30)."),
    "workers.m_w": "Modelling choice: about 8% of workers review their home a year (about 10% "
                   "of UK households move a year).",
    "workers.k_h": "Modelling choice (sampled choice set).",
    "workers.tau_h": "Modelling choice: logit noise of the order of housing costs." + MONEY,
    "workers.unemployed0": "UK unemployment about 4-5%.",
    # labour
    "labour.rc": "Commuting: most UK commutes are under 50-60 km (Census travel to work); 8 "
                 "cells is about 55 km.",
    "labour.w_min": "Modelling choice: a wage floor per unit of skill, about 6% of the initial "
                    "mean wage per unit of skill (879 against 14,460 pounds a quarter at step "
                    "0, baseline, seed 1)." + MONEY,
    "labour.q_ojs": "Job-to-job flows: a fifth of the employed look at one job a quarter "
                    "(with labour.k_w = 1), so that about 2.7-2.8% of the employed change jobs "
                    "each quarter (timeseries/job_to_job, scale 0.002, seeds 1-3, steps 20-160; "
                    "2.9-3.0% with firms.entry_sigma 0.3), "
                    "as in the ONS Labour Force Survey's labour market flows (about 2.5-3% a "
                    "quarter in 2018-19). 0.6 (before issue 14) gave 4.6%; 0.25 gave 2.8% before "
                    "the separations of labour.separation and 3.3% with them.",
    "labour.separation": "Labour market flows: about 1% of the employed move into unemployment "
                         "each quarter in the ONS Labour Force Survey's flows (dataset X02). The "
                         "model's own job losses (layoffs, exits, moves beyond the commute) end "
                         "about 0.1% of jobs a quarter; with 0.01 the E -> U rate is 1.1% "
                         "(timeseries/job_losses). Departs from MODEL.md, which has no "
                         "separations (docs/model.md D12).",
    "labour.q_u": "Labour market flows: about a quarter of the unemployed move into work each "
                  "quarter (ONS LFS flows, dataset X02). A searching unemployed worker is hired "
                  "about 78% of the time, so 0.35 gives a U -> E rate of 26-27% "
                  "(timeseries/job_finds, scale 0.002, seeds 1-3) and unemployment of about "
                  "6.2%, flat through the run. MODEL.md has every unemployed worker search "
                  "(1; docs/model.md D12).",
    "labour.k_w": "Modelling choice (sampled choice set): one vacancy-weighted cell per search; "
                  + CAL + ".",
    "sectors.price_elasticity": "Modelling choice (departs from MODEL.md's p = 1): Cobb-Douglas national demand for tradables; without it one sector absorbs the labour force. Kept small because output responds to price with elasticity about 1/(1-alpha) - 1 = 4, and larger values give a cobweb oscillation. 0 restores p = 1.",
    "firms.size_cap": "Modelling choice: the UK's largest private employers hold of the order of 1% of employment; 0.5% keeps a small-scale sample from drawing one firm that dominates its sector; " + CAL + ".",
    "landscape.asset_decline_start": "Scenario lever (aberdeen_energy): when a natural asset starts to run down; -1 keeps it for ever.",
    "landscape.asset_decline_rate": "Scenario lever: geometric decline of the asset bonus per quarter (North Sea output has fallen by roughly 5% a year since 2000).",
    "firms.entry_response": "Modelling choice: entry responds one for one to support as a share of the wage bill it offsets (issue 4: credibility enters entry decisions); 0 makes entry ignore policies.",
    "land.build_rate": "Modelling choice, off by default (MODEL.md: capacity is soft, crowding shows up in rent). On landscapes whose space starts uniform (emergence) a growing cluster otherwise meets rents that choke it; emergence.cfg sets 0.1. Turning it on for the UK map lowers unemployment below the validated band.",
    "labour.rounds": "Modelling choice: a quarter can hold several application rounds; the default 1 reproduces MODEL.md literally.",
    "labour.c_d": "Modelling choice: commuting costs, small against wages; " + CAL + "." + MONEY,
    "labour.outside_option": "Off, as in MODEL.md (the unemployed take any offer). A flat reservation value (0.2 before session 10, for benefits and the value of time) made every offer to a low-skill worker worthless, so unemployment became a stock of school leavers that filled for a working life (docs/validation.md, \"Unemployment is a stock of unemployable entrants\"); unemployment now comes from the flows (labour.separation, labour.q_u).",
    "labour.switch_gain": "Modelling choice: a 5% gain is needed to change jobs.",
    "labour.t_mig": "Modelling choice: unemployed for a year, workers move towards vacancies.",
    # land
    "land.rk": "Agglomeration economies attenuate within a few km to tens of km (Rosenthal & "
               "Strange 2003; Arzaghi & Henderson 2008): a 5 x 5 cell window.",
    "land.l0": "Normalisation: own-sector density at which the localisation term is ln 2; "
               "of the order of a thick cluster cell.",
    "land.p0": "Normalisation: total density at which the urbanisation term is ln 2; a "
               "city-centre cell.",
    "land.beta_urb": "Urbanisation elasticity within 0.02-0.08 (Combes et al. 2008; Melo et al. "
                     "2009), weighted by diversity (Jacobs); " + CAL + " (0.05 since the "
                     "flows of docs/model.md D12, which left the wage slope at the edge of its "
                     "margin at scale 0.002).",
    "land.beta_uni": "Modelling choice: elasticity to the university knowledge index; "
                     + CAL + " (MODEL.md 9.7).",
    "land.eps_d": "Modelling choice: local-services prices respond to local demand per "
                  "supplier, so local services follow population (MODEL.md 4.3).",
    "land.r0": "Modelling choice: base rent a small share of wages; rents scale wages through "
               "the wage rule (see Known limits). GBP 293 a quarter per job-space, about GBP 3,500 a year at the initial occupancy, the order of UK regional office rents for 10 square metres." + MONEY,
    "land.gamma": "Modelling choice: rents are 2^gamma = 4 times the base when occupancy "
                  "reaches capacity; " + CAL + ".",
    "land.rent_radius": "Scale consistency (docs/model.md D9): at scale s a simulated firm of n "
                        "employees adds n/s full-scale jobs to its cell, so a cell's own occupancy "
                        "J/K is one or two firms' luck at small scales; at 0.002 rents were "
                        "unrelated to density (slope of log rent on log <E>_Rk -0.011, against "
                        "0.18 at 0.01 and 0.24 at 0.05) and so was the wage rate, which follows "
                        "rents through the wage rule. The box of radius Rk (the agglomeration "
                        "window, 37.5 km across, about a city's office market) has the same "
                        "expected occupancy and 1/25 of the sampling variance: slope 0.20 at "
                        "0.002 and 0.01. 0 restores MODEL.md's cell rule.",
    "land.h0": "Modelling choice: base housing cost." + MONEY,
    "land.gamma_h": "Modelling choice: housing costs are 2^gamma_h = 2 times the base when "
                    "occupancy reaches capacity.",
    "land.headroom": "Modelling choice: 30% spare office and housing capacity at the start.",
    "land.floor_jobs": "A cell of about 7.5 x 7.5 km at rural England's density (about 90 residents per square km, ONS rural-urban statistics) houses about 5,000 people; the office floor is set alike. With 500 (before), one simulated worker at scale 0.002 stands for 500 full-scale jobs and alone doubled a thin cell's occupancy: rents in thin cells were a sampling artefact, startups there failed, and the economy had 15% fewer firms at scale 0.002 than at 0.01 (docs/model.md, scale).",
    "land.floor_homes": "As land.floor_jobs: rural residents per cell.",
    # innovation
    "innovation.theta": "Modelling choice: with rho 0.05 about 1% of firms innovate a quarter "
                        "(more in clusters and near universities), so productivity grows slowly; "
                        + CAL + ".",
    "innovation.delta": "MODEL.md 4.2: a 5% productivity step.",
    "innovation.eps_rd": "User-cost elasticity of R&D about 1 (Bloom, Griffith & Van Reenen "
                         "2002; Dechezlepretre et al. 2016 for the UK SME scheme).",
    "innovation.rd_cap": "MODEL.md 4.2: R&D intensity capped at 0.5.",
    "innovation.mu_k": "Modelling choice: knowledge spillovers in clusters (Audretsch & Feldman "
                       "1996); " + CAL + ".",
    "innovation.mu_u": "Modelling choice: university spillovers to innovation (Jaffe 1989); "
                       + CAL + ".",
    "innovation.iota": "Modelling choice: slow imitation of the local frontier (learning, "
                       "Duranton & Puga 2004), 0.2% of the gap a quarter; " + CAL + ".",
    "innovation.sigma_a": "Modelling choice: idiosyncratic productivity shocks, 2% a quarter "
                          "(about 4% a year, below measured TFP dispersion growth); " + CAL + ".",
    # output
    "output.snapshot_every": "Output only: a map every 5 years.",
    "output.eg_tile": "MODEL.md 7: areas of 8 x 8 cells, roughly UK travel-to-work areas.",
    "output.e_min": "MODEL.md 7 (interpreted as the window total of sector employment, see "
                    "Choices); a modelling choice of the smallest cluster worth the name.",
    "output.lq_min": "MODEL.md 7: location quotient 1.25, a common threshold in cluster "
                     "mapping (e.g. BEIS/DCMS cluster studies).",
    "output.compression": "Output only: level 1 takes half of level 4's compression time (2.6% of the default run) for files 2-8% larger (docs/performance-log.md item 34).",
    # policies
    "policies.type": "MODEL.md 6.",
    "policies.name": "Label only.",
    "policies.start": "Scenario input.",
    "policies.end": "Scenario input.",
    "policies.area": "Scenario input.",
    "policies.sectors": "Scenario input.",
    "policies.budget": "Scenario input; 0 = uncapped.",
    "policies.credibility": "MODEL.md 6: how firms discount announced support; 1 = fully "
                            "trusted.",
    "policies.cycle": "MODEL.md 6: stop-go funding; none by default.",
    "policies.per_worker": "Illustrative: about 4% of the mean wage at the start (GBP 7,200 a "
                           "quarter), 2% of the mean by the end of a baseline run.",
    "policies.new_entrants_only": "Scenario input.",
    "policies.profit_tax_cut": "Illustrative: halves the profit tax (investment zones).",
    "policies.rates_relief": "Illustrative: business-rates relief of half the rent bill "
                             "(enterprise zones offered up to 100%).",
    "policies.spend": "Scenario input.",
    "policies.lag": "Modelling choice: two years from spending to usable space.",
    "policies.capacity_per_pound": "Modelling choice with no empirical counterpart: one full-scale job "
                                   "per pound before money was put in 2018 pounds, so 1/2,930 per "
                                   "2018 pound.",
    "policies.amenity_per_pound": "Modelling choice with no empirical counterpart; amenity is itself in "
                                  "2018 pounds-equivalent, so the ratio did not change with the "
                                  "rescaling to 2018 pounds.",
    "policies.access_per_pound": "Modelling choice; capped at 4 extra cells of reach.",
    "policies.rate": "Illustrative: of the order of the UK R&D expenditure credit (13-20%).",
    "policies.sme_only": "Scenario input (the UK SME scheme).",
    "policies.sme_size": "UK SME definition: fewer than 250 employees.",
    "policies.grant_budget": "Scenario input (competitive grants, e.g. Innovate UK).",
    "policies.amount": "Scenario input.",
    "policies.universities": "Scenario input (names of docs/landscape.md).",
    "policies.knowledge_transfer": "Scenario input.",
    "policies.spinout_support": "Scenario input.",
    "policies.from": "Scenario input (cells).",
    "policies.to": "Scenario input (cells).",
    "policies.radius": "Modelling choice: a station's catchment, about 35 km.",
    "policies.efficiency": "Modelling choice: a link brings half of the far end's density "
                           "(effective density, Graham 2007).",
    "policies.build_steps": "Modelling choice: five years to build.",
    "policies.cost": "Scenario input.",
    "policies.skill_gain": "Modelling choice: one training course closes 5 points of skill.",
    "policies.max_workers": "Illustrative: 10,000 full-scale trainees a quarter.",
    "policies.count": "Illustrative: ten firms.",
    "policies.by": "MODEL.md 6.",
    "policies.rent_discount": "Illustrative: half rent for young firms.",
    "policies.max_age": "Modelling choice: firms younger than three years.",
}

META = re.compile(r"^\[(?P<unit>[^;\[\]]*)"
                  r"(?:; (?P<range>(?:range|each in|one of|at most|any) .*?))?"
                  r"; default (?P<default>.*)\]$")


def split_meta(comment):
    """'meaning [unit; range; default]' -> (meaning, unit, range, default), or (comment, '', '',
    '') when the comment has no such group. The group is the leftmost '[' from which the rest
    of the line reads as [unit; range; default ...]: ranges may be half-open ('(0, 1]') and
    meanings and defaults may hold brackets, so brackets cannot simply be matched."""
    text = comment.rstrip()
    pos = text.find("[")
    while pos >= 0:
        m = META.match(text[pos:])
        if m:
            return (text[:pos].rstrip(), m.group("unit").strip(), m.group("range") or "",
                    m.group("default"))
        pos = text.find("[", pos + 1)
    return text, "", "", ""


def parse_defaults(path=DEFAULTS):
    """Returns (groups, keys, policy_keys).
    groups: list of (group name or "", title), in file order.
    keys: list of dicts path, group, meaning, unit, range, default (file order).
    policy_keys: list of dicts key, types (list; [] = every policy), meaning, unit, range,
    default (first appearance order; keys shared by several types merged)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    groups, keys, pkeys = [], [], {}
    group, pending, in_pol, pol_types = "", None, False, None
    header = re.compile(r"^# ---- (\S+): (.*) ----$")
    assign = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?);\s*$")
    opener = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*\{\s*$")
    derived = re.compile(r"^\s*#\s*([A-Za-z_][A-Za-z0-9_]*) = ([^:]+): (.*)$")
    pkey = re.compile(r"^#\s{3}([A-Za-z_][A-Za-z0-9_]*): (.*)$")
    for line in lines:
        m = header.match(line)
        if m:
            name, title = m.group(1), m.group(2)
            in_pol = name == "policies"
            groups.append(("" if name == "scenario" else name, title))
            pending = None
            continue
        if in_pol:
            if line.startswith("# Keys of every policy:"):
                pol_types = []
                continue
            m = re.match(r"^# Keys of (\S+):$", line)
            if m:
                pol_types = [m.group(1)]
                continue
            m = pkey.match(line)
            if m and pol_types is not None:
                k = m.group(1)
                meaning, unit, rng, default = split_meta(m.group(2))
                if k in pkeys:
                    for t in pol_types:
                        if t not in pkeys[k]["types"]:
                            pkeys[k]["types"].append(t)
                else:
                    pkeys[k] = dict(key=k, types=list(pol_types), meaning=meaning, unit=unit,
                                    range=rng, default=default)
                continue
            m = assign.match(line)
            if m and m.group(1) == "policies":
                keys.append(dict(path="policies", group="policies",
                                 meaning="list of public policies (MODEL.md 6); keys below",
                                 unit="list", range="at most 64", default=m.group(2)))
            continue
        m = opener.match(line)
        if m:
            group = m.group(1)
            pending = None
            continue
        if line.strip() == "};":
            group = ""
            pending = None
            continue
        s = line.strip()
        if s.startswith("#"):
            body = s[1:].strip()
            m = derived.match(s)
            if m and not split_meta(body)[1]:
                path = (group + "." if group else "") + m.group(1)
                keys.append(dict(path=path, group=group, meaning=m.group(3) + " (derived)",
                                 unit="", range="", default=m.group(2).strip()))
                pending = None
            elif body.endswith("]"):
                pending = body
            continue
        m = assign.match(line)
        if m and pending is not None:
            path = (group + "." if group else "") + m.group(1)
            meaning, unit, rng, default = split_meta(pending)
            keys.append(dict(path=path, group=group, meaning=meaning, unit=unit, range=rng,
                             default=default))
            pending = None
    # sectors.n's unit is known from the schema (the comment line carries none)
    for k in keys:
        if k["path"] == "sectors.n" and not k["unit"]:
            k["unit"] = "sectors"
    return groups, keys, list(pkeys.values())


def cell(s):
    """Markdown table cell text: pipes escaped, no newlines."""
    return s.replace("|", "\\|").replace("\n", " ")


def code(s):
    if not s:
        return ""
    return "`" + s.replace("|", "\\|") + "`"


def source(path):
    return SOURCES.get(path, MISSING)


def render(groups, keys, pkeys):
    out = [BEGIN, "",
           "*Generated by `docs/gen_params.py` from `config/defaults.cfg` (itself generated from "
           "`config/schema.c`); do not edit by hand. Units: one step is one quarter; money is "
           "2018 pounds per step; distances are cells; densities are full-scale workers.*", ""]
    titles = dict(groups)
    order = []
    for k in keys:
        if k["group"] not in order:
            order.append(k["group"])
    for g in order:
        if g == "policies":
            continue
        out.append("#### " + (f"`{g}`: " if g else "Top level: ") + titles.get(g, ""))
        out.append("")
        out.append("| key | meaning | unit | range | default | source / reasoning |")
        out.append("|---|---|---|---|---|---|")
        for k in keys:
            if k["group"] != g:
                continue
            out.append("| " + " | ".join([code(k["path"]), cell(k["meaning"]), cell(k["unit"]),
                                           code(k["range"]), code(k["default"]),
                                           cell(source(k["path"]))]) + " |")
        out.append("")
    out.append("#### `policies`: public policies (MODEL.md 6)")
    out.append("")
    out.append("`policies` is a list (default `()`, none); each entry is a group with the keys "
               "below. \"applies to\" lists the types that accept a key (all: every policy). "
               "What each type does is in docs/policies.md and in section 4 above.")
    out.append("")
    out.append("| key | applies to | meaning | unit | range | default | source / reasoning |")
    out.append("|---|---|---|---|---|---|---|")
    for k in pkeys:
        types = ", ".join(k["types"]) if k["types"] else "all"
        out.append("| " + " | ".join([code("policies[]." + k["key"]), cell(types),
                                       cell(k["meaning"]), cell(k["unit"]), code(k["range"]),
                                       code(k["default"]),
                                       cell(source("policies." + k["key"]))]) + " |")
    out.append("")
    out.append(END)
    return "\n".join(out)


def all_paths(keys, pkeys):
    return [k["path"] for k in keys if k["path"] != "policies"] + \
        ["policies." + k["key"] for k in pkeys]


def splice(doc, block):
    b, e = doc.find(BEGIN), doc.find(END)
    if b < 0 or e < 0 or e < b:
        raise SystemExit(f"gen_params: {MODEL_MD} lacks the markers {BEGIN} ... {END}")
    return doc[:b] + block + doc[e + len(END):]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if docs/model.md's tables are not what this would write")
    ap.add_argument("--defaults", default=DEFAULTS)
    ap.add_argument("--model", default=MODEL_MD)
    a = ap.parse_args(argv)
    groups, keys, pkeys = parse_defaults(a.defaults)
    paths = all_paths(keys, pkeys)
    missing = [p for p in paths if p not in SOURCES]
    stale = [p for p in SOURCES if p not in paths]
    for p in missing:
        print(f"gen_params: warning: no source/reasoning for {p} (add it to SOURCES)",
              file=sys.stderr)
    for p in stale:
        print(f"gen_params: warning: SOURCES has {p}, which is not a config key", file=sys.stderr)
    with open(a.model, encoding="utf-8") as f:
        doc = f.read()
    new = splice(doc, render(groups, keys, pkeys))
    if a.check:
        if new != doc:
            print("gen_params: docs/model.md parameter tables are out of date with "
                  "config/defaults.cfg: run /usr/bin/python3 docs/gen_params.py", file=sys.stderr)
            return 1
        print(f"gen_params: docs/model.md is up to date ({len(paths)} keys)")
        return 0
    if new != doc:
        with open(a.model, "w", encoding="utf-8") as f:
            f.write(new)
        print(f"gen_params: wrote {len(paths)} keys into {a.model}")
    else:
        print(f"gen_params: {a.model} already up to date ({len(paths)} keys)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
