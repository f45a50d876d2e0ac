/* schema.c: every configuration key with its type, default, range, unit and meaning. This table
 * is the only place defaults live: cs_params_defaults and config/defaults.cfg come from it. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "cfg_internal.h"
#include "config.h"

#define INF INFINITY
/* Money keys (2018 pounds, mostly per quarter) stop at a trillion, twice the UK's quarterly
 * GDP: larger is a typo, and values near the double range (1e308) overflowed wages, output or
 * spending to inf and NaN in a run that still finished "complete". A budget, a cap, may be any
 * size (the spending is the claims under it). */
#define MONEY_MAX 1e12
#define LO        CS_KEY_LO_OPEN
#define HI        CS_KEY_HI_OPEN
#define P(f)      offsetof(cs_params, f)
#define PO(f)     offsetof(cs_policy, f)

/* The path is the field's own designator, so a row cannot name a key and fill another field. */
#define KINT(f, d, lo, hi, u, m)                                                                   \
    {                                                                                              \
        .path = #f, .type = CS_KEY_INT, .off = P(f), .def = d, .min = lo, .max = hi, .unit = u,    \
        .meaning = m                                                                               \
    }
#define KFLT(f, d, lo, hi, fl, u, m)                                                               \
    {                                                                                              \
        .path = #f, .type = CS_KEY_FLOAT, .off = P(f), .def = d, .min = lo, .max = hi,             \
        .flags = fl, .unit = u, .meaning = m                                                       \
    }
#define KSTR(f, d, lo, ch, m)                                                                      \
    {                                                                                              \
        .path = #f, .type = CS_KEY_STRING, .off = P(f), .cap = (int)sizeof(((cs_params *)0)->f),   \
        .def_str = d, .min = lo, .max = sizeof(((cs_params *)0)->f) - 1, .choices = ch,            \
        .unit = "text", .meaning = m                                                               \
    }
#define KARR(f, t, d, ds, lo, hi, u, m)                                                            \
    {                                                                                              \
        .path = #f, .type = t, .off = P(f), .off2 = P(sectors.n), .cap = CS_MAX_SECTORS,           \
        .def_arr = d, .def_strs = ds, .def_n = 7, .min = lo, .max = hi, .unit = u, .meaning = m    \
    }

static const char *const def_sector_names[] = {
    "digital",  "life_sciences", "advanced_manufacturing", "finance",
    "creative", "energy",        "local_services"};
static const double def_share[] = {0.08, 0.04, 0.10, 0.07, 0.06, 0.03, 0.62};
static const double def_tradable[] = {1, 1, 1, 1, 1, 1, 0};
static const double def_beta_loc[] = {0.04, 0.05, 0.03, 0.04, 0.04, 0.03, 0.0};
static const double def_rd[] = {0.06, 0.10, 0.04, 0.01, 0.02, 0.03, 0.005};

const cs_group_doc cs_groups[] = {
    {"", "Scenario identity, run length and scale"},
    {"grid", "The grid of cells (MODEL.md 1)"},
    {"landscape", "The country the economy lives in (MODEL.md 8)"},
    {"sectors", "Industries (MODEL.md 2); every array has one entry per name"},
    {"universities", "Universities: knowledge, graduates and spinouts (MODEL.md 3, 4.6, 4.12)"},
    {"firms", "Firms: production, wages, exit, entry and relocation (MODEL.md 4.2-4.7)"},
    {"workers", "Workers: skills, residence and demography (MODEL.md 4.9-4.11)"},
    {"labour", "The labour market: commuting, wages and matching (MODEL.md 4.4, 4.8)"},
    {"land", "Agglomeration windows, rents and capacities (MODEL.md 3, 4.2)"},
    {"innovation", "R&D, innovation, imitation and shocks (MODEL.md 4.2)"},
    {"output", "What is written and how clusters are measured (MODEL.md 7)"},
};
const int cs_groups_n = (int)(sizeof cs_groups / sizeof cs_groups[0]);

const cs_key cs_schema[] = {
    /* top level */
    KSTR(name, "default", 1, NULL,
         "scenario name, used in the default output file name; a file with a base that sets "
         "none is named after itself"),
    KSTR(description, "", 0, NULL, "what the scenario does"),
    KSTR(question, "", 0, NULL, "the question the scenario answers"),
    {.path = "seed",
     .type = CS_KEY_INT64,
     .off = P(seed),
     .def = 1,
     .min = -INF,
     .max = INF,
     .unit = "1",
     .meaning = "run seed; results depend on (config, seed) only"},
    KINT(steps, 160, 0, 100000, "steps", "quarters to simulate (160 = 40 years)"),
    /* from 1e-4 (3,300 workers, 140 firms): below it the start no longer holds the UK's
     * economy (unemployment at step 0 is 5.0% at 0.002, 9.7% at 1e-4, 19% at 1e-5 and 85% at
     * 1e-6, where firms and jobs read orders of magnitude off); 4.9e-324 made full-scale counts
     * infinite */
    KFLT(scale, 0.002, 1e-4, 1, 0, "1",
         "agents relative to the real UK (33 million workers, 1.4 million firms)"),

    KINT(grid.width, 100, 20, 2000, "cells", "grid width W (x, west to east)"),
    KINT(grid.height, 160, 20, 2000, "cells", "grid height H (y, north to south)"),

    KSTR(landscape.kind, "uk", 1, "uk|uniform|empty",
         "uk: UK-like cities and regions; uniform: uniform population, universities and the energy "
         "asset kept; empty: no cities"),
    KSTR(landscape.initial_sectors, "real", 1, "real|emergent",
         "real: initial firms placed so each region's (and, within it, each ITL2 area's) jobs by "
         "sector match ONS BRES 2018 (the UK map only); emergent: every firm's sector drawn "
         "independently of its place, so no sector starts concentrated"),
    KSTR(landscape.fundamentals, "fitted", 1, "fitted|none",
         "real start: fitted: each ITL2 area's productivity fundamental per sector is backed out "
         "so that the 2018 map is the start's equilibrium (a place's edge stays with the place); "
         "none: the initial firms carry it (and take it with them when they move)"),
    KSTR(landscape.asset_offset, "kept", 1, "kept|released",
         "real start, when a natural asset declines: the part of the fitted fundamental that "
         "offset it is kept (the place's own disadvantage, which the asset outweighed) or "
         "released with the asset (the place becomes an ordinary one)"),
    KFLT(landscape.firm_share_max, 0.2, 0, 1, LO, "1",
         "real start: the largest share of its region and sector's jobs one initial firm may hold"),
    KFLT(landscape.university_pull, 30.0, 0, 1000, 0, "1",
         "real start: within an ITL2 area, a sector's jobs lean towards universities strong in it "
         "by 1 + pull x sum of q sigma_s (1 - d / (Ru / 4))"),
    KFLT(landscape.city_sigma, 1.0, 0, 100, LO, "cells per sqrt(million people)",
         "spread of a city's population around its centre"),
    KFLT(landscape.rural_share, 0.15, 0, 1, 0, "1", "share of population spread over all land"),
    KFLT(landscape.asset_bonus, 1.5, 0, 10, 0, "log productivity",
         "natural-asset productivity bonus a_s of energy at its asset (Aberdeen)"),
    KFLT(landscape.asset_radius, 8.0, 0, 1000, 0, "cells",
         "cells around the asset that get the bonus"),
    KINT(landscape.asset_decline_start, -1, -1, 1000000, "step",
         "step from which natural assets decline (an oil field running down); -1 never"),
    KFLT(landscape.asset_decline_rate, 0.0, 0, 1, 0, "per step",
         "share of the remaining asset bonus lost each step after asset_decline_start"),
    KFLT(landscape.amenity_city, 146.5, 0, MONEY_MAX, 0, "pounds-equivalent per step",
         "amenity a(c) of a city-centre cell"),

    {.path = "sectors.n",
     .type = CS_KEY_INT,
     .off = P(sectors.n),
     .def = 7,
     .min = 1,
     .max = CS_MAX_SECTORS,
     .flags = CS_KEY_DERIVED,
     .unit = "sectors",
     .meaning = "number of sectors: the length of sectors.names (if given, must equal it)"},
    KARR(sectors.names, CS_KEY_STRING_ARRAY, NULL, def_sector_names, 1, CS_NAME_LEN - 1, "text",
         "sector names (1 to 16, unique); output columns follow this order"),
    KARR(sectors.share, CS_KEY_FLOAT_ARRAY, def_share, NULL, 0, 1, "1",
         "national employment share of each sector (sums to 1)"),
    KARR(sectors.tradable, CS_KEY_BOOL_ARRAY, def_tradable, NULL, 0, 1, "bool",
         "true: sells nationally at price 1 and can cluster; false: sells to residents nearby"),
    KARR(sectors.beta_loc, CS_KEY_FLOAT_ARRAY, def_beta_loc, NULL, 0, 1, "elasticity",
         "localisation elasticity beta_loc of productivity to own-sector density"),
    KARR(sectors.rd_intensity, CS_KEY_FLOAT_ARRAY, def_rd, NULL, 0, 1, "share of output",
         "baseline R&D intensity rho_s"),
    KFLT(sectors.price_elasticity, 0.2, 0, 10, 0, "elasticity",
         "tradable price response to supply over demand (0: p = 1 as in MODEL.md)"),

    KFLT(universities.ru, 12, 0, 1000, LO, "cells", "knowledge reach Ru of a university"),
    KFLT(universities.k, 1.0, 0, 100, 0, "1", "knowledge-transfer intensity k_u"),
    /* phi_q and a funding amount bounded: quality grows by their product each step, and 1e300
     * made knowledge, and so productivity, infinite within two steps */
    KFLT(universities.phi_q, 1.49254e-8, 0, 1e-3, 0, "quality per pound",
         "quality gained per pound of funding per step"),
    KFLT(universities.delta_q, 0.05, 0, 1, 0, "per step",
         "rate at which quality reverts to its baseline"),
    KFLT(universities.lambda_u, 0.3, 0, INF, 0, "spinouts per step per unit quality",
         "university spinout rate (full scale)"),
    KFLT(universities.spinout_premium, 0.2, 0, INF, 0, "1",
         "spinout A = national sector mean x (1 + premium) x lognormal(entry_sigma)"),

    KFLT(firms.alpha, 0.8, 0, 1, LO | HI, "1", "labour elasticity of output"),
    /* below 1: the start's wage fixed point is omega r phi / (hbar (1 - omega)) */
    KFLT(firms.omega, 0.9, 0, 1, LO | HI, "1",
         "wage share of the marginal product: w = omega alpha Y / H"),
    /* the upper bounds of phi_space, r0 and gamma keep the rent bill finite (1e300 gave
     * infinite rents and firm states at step 1) */
    KFLT(firms.phi_space, 1.0, 0, 1000, 0, "job-spaces per worker", "office space per worker"),
    KFLT(firms.fixed_cost, 1.0, 0, INF, 0, "local mean wages per step",
         "fixed operating cost f_c per step"),
    KFLT(firms.payout, 0.05, 0, 1, 0, "per step", "share of positive cash paid out as dividends"),
    KFLT(firms.tax, 0.19, 0, 1, HI, "1", "profit tax rate"),
    KFLT(firms.x_exit, 0.25, 0, INF, 0, "years of output",
         "exit when cash < -x_exit x annualised output"),
    KINT(firms.t_empty, 4, 1, 100000, "steps", "steps with no employee before a firm exits"),
    KFLT(firms.g_max, 0.25, 0, 10, LO, "per step",
         "maximum headcount growth per step as a share of current headcount (plus one)"),
    KFLT(firms.buffer, 1.0, 0, INF, 0, "1", "lay off only above (1 + buffer) x target labour"),
    KFLT(firms.size_tail, 1.1, 0, 10, LO, "1", "Pareto tail exponent of initial firm sizes"),
    KFLT(firms.size_cap, 0.005, 0, 1, LO, "share of the employed",
         "the largest initial firm's share of employment (truncates the Pareto draw)"),
    KFLT(firms.lambda_e, 0.00106, 0, 1, 0, "per resident per step", "startup rate"),
    KFLT(firms.b_k, 0.1, 0, INF, 0, "1", "urbanisation boost of the startup rate"),
    KFLT(firms.eps_sector, 0.3, 0, INF, 0, "1", "exploration weight of the startup sector choice"),
    KFLT(firms.entry_response, 1.0, 0, 100, 0, "1",
         "startups rise by this times the announced support per job over the local wage"),
    KFLT(firms.entry_sigma, 0.15, 0, 10, 0, "log productivity",
         "log-sd of startup productivity around its reference (firms.entry_reference)"),
    KFLT(firms.entry_discount, 0.15, 0, 1, HI, "1",
         "startup A = reference (firms.entry_reference) x (1 - discount) x lognormal"),
    KSTR(firms.entry_reference, "mean", 1, "frontier|mean",
         "what a startup's productivity is drawn around: frontier: the local frontier (jobs-"
         "weighted mean of A in the Rk window, MODEL.md); mean: the unweighted mean A of the "
         "sector's firms in the window, whose expectation does not depend on the agent scale"),
    KFLT(firms.lambda_sp, 0.005, 0, 1, 0, "probability per step",
         "spinoff probability of a firm at its sector's mean productivity"),
    KFLT(firms.r_sp, 3, 0, 1000, 0, "cells", "spinoff radius around the parent"),
    KFLT(firms.sp_sigma, 0.2, 0, 10, 0, "log productivity",
         "log-sd of spinoff productivity around the parent's"),
    KFLT(firms.sp_discount, 0.4, 0, 1, HI, "fraction",
         "spinoff productivity starts this far below the parent's"),
    KFLT(firms.m_f, 0.02, 0, 1, 0, "probability per step", "relocation review probability"),
    /* bounded: a firm's candidates are a fixed list (sim/relocation.c) */
    KINT(firms.k_f, 10, 0, CS_MAX_K_F, "cells",
         "relocation candidates (half local, half national by sector employment)"),
    KFLT(firms.r_move, 10, 0, 1000, 0, "cells", "radius of local relocation candidates"),
    KFLT(firms.tau, 0.02, 0, INF, LO, "share of output", "logit scale of the location choice"),
    KFLT(firms.m_c, 0.5, 0, INF, 0, "steps of output", "one-off move cost"),
    KINT(firms.t_plan, 20, 1, 100000, "steps", "planning horizon of location choice"),
    KFLT(firms.seed_capital, 4, 0, INF, 0, "steps of fixed cost",
         "cash a new firm starts with, in steps of its fixed operating cost F"),

    KFLT(workers.skill_mean, 0.5, 0, 1, LO, "skill", "mean initial skill"),
    KFLT(workers.skill_sd, 0.2, 0, 1, 0, "skill", "sd of initial skill"),
    KFLT(workers.grad_skill, 0.7, 0, 1, LO, "skill", "mean skill of graduates"),
    KFLT(workers.leaver_skill, 0.4, 0, 1, LO, "skill", "mean skill of school leavers"),
    KFLT(workers.eta_l, 0.01, 0, 1, 0, "per step", "on-the-job learning rate"),
    KFLT(workers.lambda_h, 2.5, 0, INF, 0, "1", "density boost of learning"),
    KFLT(workers.eta_d, 0.005, 0, 1, 0, "per step", "skill decay per unemployed step"),
    KFLT(workers.retire, 0.00625, 0, 1, 0, "probability per step",
         "retirement probability (1/160: a 40-year career)"),
    KFLT(workers.grad_share, 0.3, 0, 1, 0, "1", "share of replacements that are graduates"),
    KFLT(workers.m_w, 0.02, 0, 1, 0, "probability per step", "residential review probability"),
    /* bounded: a worker's candidates are a fixed list (sim/residence.c) */
    KINT(workers.k_h, 5, 0, CS_MAX_K_H, "cells", "residential candidates"),
    KFLT(workers.tau_h, 293, 0, MONEY_MAX, LO, "pounds per step",
         "logit scale of residential choice"),
    KFLT(workers.unemployed0, 0.05, 0, 1, HI, "1", "initial unemployment rate"),

    KFLT(labour.rc, 8, 0, 1000, LO, "cells", "commuting radius Rc"),
    KFLT(labour.w_min, 879, 0, MONEY_MAX, 0, "pounds per unit skill per step", "wage floor"),
    KFLT(labour.q_ojs, 0.2, 0, 1, 0, "probability per step", "on-the-job search probability"),
    KINT(labour.k_w, 1, 1, 1000, "cells", "cells sampled per job search"),
    KINT(labour.rounds, 1, 1, 20, "rounds per step",
         "application rounds per step: the refused apply again to posts still open"),
    KFLT(labour.c_d, 29.3, 0, MONEY_MAX, 0, "pounds per cell per step", "commuting cost"),
    KFLT(labour.switch_gain, 0.05, 0, INF, 0, "1", "relative wage gain needed to switch job"),
    KFLT(labour.outside_option, 0.0, 0, INF, 0, "share of mean earnings per job",
         "the unemployed take no offer worth less (wage less commuting) than this share of last "
         "step's national mean earnings per job"),
    KFLT(labour.separation, 0.01, 0, 1, 0, "probability per step",
         "an employed worker's job ends for reasons outside the model's firms (quits to "
         "unemployment, ends of contracts, ill health), at demographics"),
    KFLT(labour.q_u, 0.35, 0, 1, 0, "probability per step",
         "an unemployed worker's probability of applying for a job in a step"),
    KINT(labour.t_mig, 4, 1, 100000, "steps", "unemployed steps before migrating"),

    KINT(land.rk, 2, 0, 100, "cells", "agglomeration window radius Rk"),
    KFLT(land.l0, 1000, 0, INF, LO, "full-scale workers per cell",
         "localisation reference density L0"),
    KFLT(land.p0, 10000, 0, INF, LO, "full-scale workers per cell",
         "urbanisation reference density P0"),
    KFLT(land.beta_urb, 0.05, 0, 1, 0, "elasticity", "urbanisation (diversity) elasticity"),
    KFLT(land.beta_uni, 0.02, 0, 1, 0, "elasticity",
         "elasticity of productivity to university knowledge U_s"),
    KFLT(land.eps_d, 0.5, 0, 10, 0, "elasticity",
         "local-services price elasticity to residents per local-services job"),
    KFLT(land.r0, 293, 0, 1e9, 0, "pounds per job-space per step", "base commercial rent"),
    KFLT(land.gamma, 2.0, 0, 20, 0, "elasticity", "rent elasticity to office occupancy"),
    KINT(land.rent_radius, 2, 0, 100, "cells",
         "rent from the office occupancy of the box of this radius around the cell, jobs over "
         "capacity (0: the cell's own, MODEL.md)"),
    KFLT(land.h0, 293, 0, MONEY_MAX, 0, "pounds per step", "base housing cost"),
    KFLT(land.gamma_h, 1.0, 0, INF, 0, "elasticity", "housing cost elasticity to occupancy"),
    KFLT(land.headroom, 0.3, 0, INF, 0, "1", "capacity = initial x (1 + headroom) + floor"),
    KFLT(land.floor_jobs, 5000, 0, INF, 0, "full-scale jobs", "office capacity floor per cell"),
    KFLT(land.floor_homes, 5000, 0, INF, 0, "full-scale residents",
         "housing capacity floor per cell"),
    KFLT(land.build_rate, 0.0, 0, 1, 0, "per step",
         "share of jobs (residents) beyond office (housing) capacity that is built each step"),

    KFLT(innovation.theta, 0.2, 0, INF, 0, "per unit R&D intensity per step", "innovation hazard"),
    KFLT(innovation.delta, 0.05, 0, 1, 0, "1", "productivity step of an innovation"),
    KFLT(innovation.eps_rd, 1.0, 0, INF, 0, "elasticity", "R&D elasticity to the credit rate"),
    KFLT(innovation.rd_cap, 0.5, 0, 1, 0, "share of output", "cap on a firm's R&D intensity"),
    KFLT(innovation.mu_k, 0.2, 0, INF, 0, "1", "localisation boost of innovation"),
    KFLT(innovation.mu_u, 0.5, 0, INF, 0, "1", "university boost of innovation"),
    KFLT(innovation.iota, 0.002, 0, 1, 0, "per step", "imitation speed towards the local frontier"),
    KFLT(innovation.sigma_a, 0.02, 0, 1, 0, "log productivity per step",
         "sd of productivity shocks"),

    KINT(output.snapshot_every, 20, 1, 100000, "steps", "steps between map snapshots"),
    KINT(output.eg_tile, 8, 1, 2000, "cells", "side of the Ellison-Glaeser area tiles"),
    KFLT(output.e_min, 5000, 0, INF, 0, "full-scale workers",
         "cluster threshold: smoothed sector employment"),
    KFLT(output.lq_min, 1.25, 0, INF, 0, "1", "cluster threshold: smoothed location quotient"),
    KINT(output.compression, 1, 0, 9, "deflate level", "HDF5 compression of snapshots"),
};
const int cs_schema_n = (int)(sizeof cs_schema / sizeof cs_schema[0]);

const char *const cs_policy_type_names[CS_POL_NTYPES] = {
    "location_subsidy", "tax_zone",         "density_fund", "rd_credit",    "university_funding",
    "transport_link",   "skills_programme", "firm_subsidy", "startup_space"};

#define T(t) (1u << CS_POL_##t)
#define QFLT(f, ty, d, lo, hi, fl, u, m)                                                           \
    {                                                                                              \
        .path = #f, .type = CS_KEY_FLOAT, .off = PO(f), .types = ty, .def = d, .min = lo,          \
        .max = hi, .flags = fl, .unit = u, .meaning = m                                            \
    }
#define QINT(f, ty, d, lo, hi, u, m)                                                               \
    {                                                                                              \
        .path = #f, .type = CS_KEY_INT, .off = PO(f), .types = ty, .def = d, .min = lo, .max = hi, \
        .unit = u, .meaning = m                                                                    \
    }
#define QBOOL(f, ty, m)                                                                            \
    {                                                                                              \
        .path = #f, .type = CS_KEY_BOOL, .off = PO(f), .types = ty, .def = 0, .min = 0, .max = 1,  \
        .unit = "bool", .meaning = m                                                               \
    }

const cs_key cs_policy_schema[] = {
    {.path = "type",
     .type = CS_KEY_ENUM,
     .off = PO(type),
     .def_str = "location_subsidy",
     .choices = "location_subsidy|tax_zone|density_fund|rd_credit|university_funding|"
                "transport_link|skills_programme|firm_subsidy|startup_space",
     .unit = "text",
     .meaning = "policy type (required)"},
    {.path = "name",
     .type = CS_KEY_STRING,
     .off = PO(name),
     .cap = CS_NAME_LEN,
     .def_str = "<type>_<index>",
     .min = 1,
     .max = CS_NAME_LEN - 1,
     .unit = "text",
     .meaning = "label in the output"},
    QINT(start, 0, 0, 0, 100000, "step", "first step the policy acts"),
    QINT(end, 0, -1, -1, 100000, "step", "first step it no longer acts (exclusive); -1 never"),
    {.path = "area",
     .type = CS_KEY_AREA,
     .def_str = "everywhere",
     .unit = "area",
     .meaning = "where it acts: \"everywhere\", \"city_centres\", { regions = [names]; }, "
                "{ circle = [x, y, r]; } or { rect = [x0, y0, x1, y1]; } (cells, inclusive)"},
    {.path = "sectors",
     .type = CS_KEY_SECTORS,
     .off = PO(sector_mask),
     .unit = "sector names",
     .meaning = "eligible sectors; [] = all"},
    QFLT(budget, 0, 0, 0, INF, 0, "pounds per step",
         "cap on spending per step, claims over it paid pro rata; 0 = uncapped"),
    QFLT(credibility, 0, 1, 0, 1, 0, "1", "how far firms trust that it lasts as announced"),
    {.path = "cycle",
     .type = CS_KEY_INT_PAIR,
     .off = PO(cycle_on),
     .off2 = PO(cycle_off),
     .min = 0,
     .max = 100000,
     .unit = "steps",
     .meaning = "stop-go funding [on, off]: on steps then off steps from start; [0, 0] = none"},

    QFLT(per_worker, T(LOCATION_SUBSIDY), 293, 0, MONEY_MAX, 0, "pounds per worker per step",
         "payment to eligible firms in the area"),
    QBOOL(new_entrants_only, T(LOCATION_SUBSIDY), "only firms born at or after start"),
    QFLT(profit_tax_cut, T(TAX_ZONE), 0.5, 0, 1, 0, "1", "fraction of profit tax removed"),
    QFLT(rates_relief, T(TAX_ZONE), 0.5, 0, 1, 0, "1", "fraction of rent on space removed"),
    QFLT(spend, T(DENSITY_FUND), 0, 0, MONEY_MAX, 0, "pounds per step", "spending in the area"),
    QINT(lag, T(DENSITY_FUND), 8, 0, 100000, "steps", "steps before spending becomes capacity"),
    QFLT(capacity_per_pound, T(DENSITY_FUND), 3.41297e-4, 0, INF, 0, "full-scale jobs per pound",
         "office capacity bought"),
    QFLT(amenity_per_pound, T(DENSITY_FUND), 0.001, 0, INF, 0, "amenity per pound",
         "public realm bought"),
    QFLT(access_per_pound, T(DENSITY_FUND), 3.41297e-8, 0, INF, 0, "cells per pound",
         "extra commuting reach bought (capped)"),
    QFLT(rate, T(RD_CREDIT), 0.2, 0, 1, HI, "1", "share of R&D spend refunded"),
    QBOOL(sme_only, T(RD_CREDIT), "only firms with fewer than sme_size employees"),
    QINT(sme_size, T(RD_CREDIT), 250, 1, 1000000, "full-scale workers", "SME headcount limit"),
    QFLT(grant_budget, T(RD_CREDIT), 0, 0, MONEY_MAX, 0, "pounds per step",
         "competitive R&D grants to the highest expected returns"),
    QFLT(amount, T(UNIVERSITY_FUNDING) | T(FIRM_SUBSIDY), 0, 0, MONEY_MAX, 0, "pounds per step",
         "funding per university (university_funding) or per chosen firm (firm_subsidy)"),
    {.path = "universities",
     .type = CS_KEY_STRING_ARRAY,
     .off = PO(universities),
     .off2 = PO(n_universities),
     .cap = CS_MAX_AREA,
     .types = T(UNIVERSITY_FUNDING),
     .min = 1,
     .max = CS_NAME_LEN - 1,
     .unit = "university names",
     .meaning = "funded universities (required, 1 to 16)"},
    QFLT(knowledge_transfer, T(UNIVERSITY_FUNDING), 0, 0, 100, 0, "1", "uplift of k_u"),
    QFLT(spinout_support, T(UNIVERSITY_FUNDING), 0, 0, 100, 0, "1", "uplift of the spinout rate"),
    {.path = "from",
     .type = CS_KEY_POINT,
     .off = PO(from_x),
     .off2 = PO(from_y),
     .types = T(TRANSPORT_LINK),
     .min = -100000,
     .max = 100000,
     .unit = "cells",
     .meaning = "one end [x, y] (required)"},
    {.path = "to",
     .type = CS_KEY_POINT,
     .off = PO(to_x),
     .off2 = PO(to_y),
     .types = T(TRANSPORT_LINK),
     .min = -100000,
     .max = 100000,
     .unit = "cells",
     .meaning = "the other end [x, y] (required)"},
    QFLT(radius, T(TRANSPORT_LINK), 5, 0, 1000, 0, "cells", "catchment radius r_l of each end"),
    QFLT(efficiency, T(TRANSPORT_LINK), 0.5, 0, 1, 0, "1",
         "kappa_l: share of the far end's window values added"),
    QINT(build_steps, T(TRANSPORT_LINK), 20, 0, 100000, "steps", "building time before it opens"),
    QFLT(cost, T(TRANSPORT_LINK) | T(SKILLS_PROGRAMME), 0, 0, MONEY_MAX, 0, "pounds",
         "per step while building (transport_link) or per trained worker (skills_programme)"),
    QFLT(skill_gain, T(SKILLS_PROGRAMME), 0.05, 0, 1, 0, "skill", "skill added per trainee"),
    QINT(max_workers, T(SKILLS_PROGRAMME), 10000, 0, 100000000, "full-scale workers per step",
         "trainees per step"),
    QINT(count, T(FIRM_SUBSIDY), 10, 1, 1000000, "firms", "firms chosen at start"),
    {.path = "by",
     .type = CS_KEY_ENUM,
     .off = PO(by_productivity),
     .def_str = "size",
     .choices = "size|productivity",
     .types = T(FIRM_SUBSIDY),
     .unit = "text",
     .meaning = "choose the largest (size) or most productive firms"},
    QFLT(rent_discount, T(STARTUP_SPACE), 0.5, 0, 1, 0, "1", "fraction of rent removed"),
    QINT(max_age, T(STARTUP_SPACE), 12, 1, 100000, "steps", "firms younger than this qualify"),
};
const int cs_policy_schema_n = (int)(sizeof cs_policy_schema / sizeof cs_policy_schema[0]);

int cs_policy_type_index(const char *name) {
    for (int t = 0; t < CS_POL_NTYPES; t++)
        if (strcmp(name, cs_policy_type_names[t]) == 0) return t;
    return -1;
}

int cs_cfg_choice_index(const char *choices, const char *s) {
    size_t n = strlen(s);
    int i = 0;
    for (const char *c = choices; c; i++) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && strncmp(c, s, n) == 0) return i;
        c = bar ? bar + 1 : NULL;
    }
    return -1;
}

void cs_cfg_choice_name(const char *choices, int idx, char *buf, size_t n) {
    int i = 0;
    buf[0] = 0;
    for (const char *c = choices; c; i++) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (i == idx) {
            if (len >= n) len = n - 1;
            memcpy(buf, c, len);
            buf[len] = 0;
            return;
        }
        c = bar ? bar + 1 : NULL;
    }
}

void cs_cfg_copy_name(char *dst, size_t cap, const char *src) {
    memset(dst, 0, cap);
    size_t n = strlen(src);
    memcpy(dst, src, n < cap ? n : cap - 1);
}

/* Shortest %g text that reads back exactly, without an exponent for integral-looking values
 * up to 1e16 (1000, not 1e+03). */
static void fmt_shortest(char *buf, size_t n, double v) {
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    double a = fabs(v);
    if (a >= 1 && a < 1e16) {
        int digits = (int)floor(log10(a)) + 1;
        if (prec < digits) prec = digits;
    }
    snprintf(buf, n, "%.*g", prec, v);
}

void cs_cfg_fmt_double(char *buf, size_t n, double v) {
    fmt_shortest(buf, n, v);
    if (!strpbrk(buf, ".eEni")) {
        size_t len = strlen(buf);
        if (len + 2 < n) memcpy(buf + len, ".0", 3);
    }
}

void cs_cfg_range_text(const cs_key *k, char *buf, size_t n) {
    char lo[40], hi[40];
    if (isinf(k->min))
        snprintf(lo, sizeof lo, "-inf");
    else
        fmt_shortest(lo, sizeof lo, k->min);
    if (isinf(k->max))
        snprintf(hi, sizeof hi, "inf");
    else
        fmt_shortest(hi, sizeof hi, k->max);
    snprintf(buf, n, "%c%s, %s%c", (k->flags & CS_KEY_LO_OPEN) || isinf(k->min) ? '(' : '[', lo, hi,
             (k->flags & CS_KEY_HI_OPEN) || isinf(k->max) ? ')' : ']');
}

/* Applies the defaults of one table to base (cs_params or cs_policy). */
static void apply_defaults(const cs_key *tab, int n, char *base) {
    for (int i = 0; i < n; i++) {
        const cs_key *k = &tab[i];
        char *f = base + k->off;
        switch (k->type) {
        case CS_KEY_INT:
        case CS_KEY_BOOL:
            *(int *)f = (int)k->def;
            break;
        case CS_KEY_INT64:
            *(int64_t *)f = (int64_t)k->def;
            break;
        case CS_KEY_FLOAT:
            *(double *)f = k->def;
            break;
        case CS_KEY_STRING:
            cs_cfg_copy_name(f, (size_t)k->cap, k->def_str);
            break;
        case CS_KEY_FLOAT_ARRAY:
            for (int j = 0; j < k->def_n; j++) ((double *)f)[j] = k->def_arr[j];
            break;
        case CS_KEY_BOOL_ARRAY:
            for (int j = 0; j < k->def_n; j++) ((int *)f)[j] = k->def_arr[j] != 0;
            break;
        case CS_KEY_STRING_ARRAY:
            for (int j = 0; j < k->def_n; j++)
                cs_cfg_copy_name(f + (size_t)j * CS_NAME_LEN, CS_NAME_LEN, k->def_strs[j]);
            *(int *)(base + k->off2) = k->def_n;
            break;
        case CS_KEY_ENUM:
            if (k->def_str) *(int *)f = cs_cfg_choice_index(k->choices, k->def_str);
            break;
        case CS_KEY_INT_PAIR:
            *(int *)f = (int)k->def;
            *(int *)(base + k->off2) = (int)k->def;
            break;
        case CS_KEY_POINT:
            *(double *)f = k->def;
            *(double *)(base + k->off2) = k->def;
            break;
        default:
            break; /* area and sectors: zero is everywhere and all sectors */
        }
    }
}

void cs_params_defaults(cs_params *p) {
    memset(p, 0, sizeof *p);
    apply_defaults(cs_schema, cs_schema_n, (char *)p);
}

void cs_policy_defaults(cs_policy *pol, int type, int index) {
    memset(pol, 0, sizeof *pol);
    apply_defaults(cs_policy_schema, cs_policy_schema_n, (char *)pol);
    pol->type = type;
    pol->area_kind = CS_AREA_EVERYWHERE;
    memset(pol->name, 0, sizeof pol->name); /* the table's placeholder text must not linger */
    const char *tn = type >= 0 && type < CS_POL_NTYPES ? cs_policy_type_names[type] : "policy";
    snprintf(pol->name, sizeof pol->name, "%s_%d", tn, index);
}

const cs_key *cs_schema_find(const char *path) {
    for (int i = 0; i < cs_schema_n; i++)
        if (strcmp(cs_schema[i].path, path) == 0) return &cs_schema[i];
    return NULL;
}

const cs_key *cs_policy_key_find(const char *name) {
    for (int i = 0; i < cs_policy_schema_n; i++)
        if (strcmp(cs_policy_schema[i].path, name) == 0) return &cs_policy_schema[i];
    return NULL;
}

int cs_config_sector_index(const cs_params *p, const char *name) {
    for (int s = 0; s < p->sectors.n; s++)
        if (strcmp(p->sectors.names[s], name) == 0) return s;
    return -1;
}
