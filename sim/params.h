/* params.h: every model parameter, one field per config key.
 *
 * The config key of a field is "<group>.<field>" (top-level keys have no group). Units and
 * defaults are given per field; the authoritative defaults, ranges and documentation live in
 * config/schema.c, from which config/defaults.cfg is generated and checked. One step is one
 * quarter; money is in model pounds per quarter; distances in cells. */
#ifndef CS_PARAMS_H
#define CS_PARAMS_H

#include <stdint.h>

#define CS_MAX_SECTORS  16
#define CS_MAX_POLICIES 64
#define CS_MAX_K_F      48 /* most relocation candidates a firm draws (firms.k_f) */
#define CS_MAX_K_H      31 /* most homes a worker considers (workers.k_h) */
#define CS_MAX_AREA     16 /* regions named in one policy area */
#define CS_NAME_LEN     64
#define CS_TEXT_LEN     1024
#define CS_MAX_REGIONS  12 /* the UK's twelve regions, in every landscape kind */

/* Policy types of MODEL.md section 6. */
enum cs_policy_type {
    CS_POL_LOCATION_SUBSIDY = 0,
    CS_POL_TAX_ZONE,
    CS_POL_DENSITY_FUND,
    CS_POL_RD_CREDIT,
    CS_POL_UNIVERSITY_FUNDING,
    CS_POL_TRANSPORT_LINK,
    CS_POL_SKILLS_PROGRAMME,
    CS_POL_FIRM_SUBSIDY,
    CS_POL_STARTUP_SPACE,
    CS_POL_NTYPES
};

enum cs_area_kind {
    CS_AREA_EVERYWHERE = 0,
    CS_AREA_REGIONS,
    CS_AREA_CIRCLE,
    CS_AREA_RECT,
    CS_AREA_CITY_CENTRES
};

/* Region names (landscape.c), index = region id. */
extern const char *const cs_region_names[CS_MAX_REGIONS];
/* Index of a university of the built-in table by name (landscape.c), -1 if unknown. */
int cs_university_index(const char *name);
/* Name of university i of the built-in table, NULL past its end (landscape.c). */
const char *cs_university_name(int i);
/* Index of a policy type by its config name ("location_subsidy", ...) (config), -1 unknown. */
int cs_policy_type_index(const char *name);
extern const char *const cs_policy_type_names[CS_POL_NTYPES];

typedef struct cs_policy {
    int type;               /* enum cs_policy_type */
    char name[CS_NAME_LEN]; /* label in output; default "<type>_<index>" */
    int start;              /* first step paid (step), default 0 */
    int end;                /* first step no longer paid (step, exclusive), -1 never; default -1 */
    int area_kind;          /* enum cs_area_kind, default everywhere */
    int n_area_regions;     /* regions by name */
    char area_regions[CS_MAX_AREA][CS_NAME_LEN];
    double cx, cy, r;        /* circle centre and radius (cells) */
    double x0, y0, x1, y1;   /* rect, inclusive cell bounds */
    uint32_t sector_mask;    /* bit s set: sector s eligible; 0 = all sectors */
    double budget;           /* per step (pounds); 0 = uncapped; claims over it paid pro rata */
    double credibility;      /* [0,1], how firms discount its future; default 1 */
    int cycle_on, cycle_off; /* stop-go: on steps then off steps, repeating from start; 0 = none */
    /* type-specific (unused ones stay at their defaults) */
    double per_worker;     /* location_subsidy: pounds per worker per step */
    int new_entrants_only; /* location_subsidy: only firms born after start */
    double profit_tax_cut; /* tax_zone: fraction of profit tax removed [0,1] */
    double rates_relief;   /* tax_zone: fraction of rent on space removed [0,1] */
    double spend;          /* density_fund: pounds per step */
    int lag;               /* density_fund: steps before spend becomes capacity; transport build */
    double capacity_per_pound; /* density_fund: office jobs of capacity per pound */
    double amenity_per_pound;  /* density_fund: amenity per pound */
    double access_per_pound;   /* density_fund: commuting reach (cells) per pound, capped */
    double rate;               /* rd_credit: refund rate on R&D spend [0,1) */
    int sme_only;              /* rd_credit: only firms with fewer than sme_size employees */
    int sme_size;              /* rd_credit: SME headcount limit (full scale), default 250 */
    double grant_budget;       /* rd_credit: competitive grants (pounds per step) */
    double amount;             /* university_funding, firm_subsidy: pounds per step */
    char universities[CS_MAX_AREA][CS_NAME_LEN]; /* university_funding: named universities */
    int n_universities;
    double knowledge_transfer;         /* university_funding: uplift of k_u (fraction) */
    double spinout_support;            /* university_funding: uplift of spinout rate (fraction) */
    double from_x, from_y, to_x, to_y; /* transport_link ends (cells) */
    double radius;                     /* transport_link catchment radius r_l (cells) */
    double efficiency;                 /* transport_link kappa_l [0,1] */
    int build_steps;                   /* transport_link: steps of building before it opens */
    double cost;          /* transport_link: cost per step while building; skills: per worker */
    double skill_gain;    /* skills_programme: skill added per trained worker */
    int max_workers;      /* skills_programme: trainees per step (full scale) */
    int count;            /* firm_subsidy: firms chosen */
    int by_productivity;  /* firm_subsidy: choose most productive (1) or largest (0) */
    double rent_discount; /* startup_space: fraction of rent removed [0,1] */
    int max_age;          /* startup_space: firms younger than this (steps) */
} cs_policy;

/* Whether cell (x, y) lies in a circle or rectangle policy area (cells, both inclusive): one
 * test for the policy's mask (policies.c) and the config check that an area holds land. */
static inline int cs_area_shape_has(const cs_policy *p, int x, int y) {
    if (p->area_kind == CS_AREA_CIRCLE) {
        const double dx = x - p->cx, dy = y - p->cy;
        return dx * dx + dy * dy <= p->r * p->r;
    }
    return p->area_kind == CS_AREA_RECT && x >= p->x0 && x <= p->x1 && y >= p->y0 && y <= p->y1;
}

typedef struct cs_params {
    /* top level */
    char name[CS_NAME_LEN];        /* scenario name, default "default" */
    char description[CS_TEXT_LEN]; /* what the scenario does */
    char question[CS_TEXT_LEN];    /* the question it answers */
    int64_t seed;                  /* run seed, default 1 */
    int steps;                     /* quarters to simulate, default 160 */
    double scale;                  /* agents relative to the real UK, default 0.002 */

    struct {
        int width;  /* cells, default 100 */
        int height; /* cells, default 160 */
    } grid;

    struct {
        char kind[CS_NAME_LEN];            /* "uk" | "uniform" | "empty", default "uk" */
        char initial_sectors[CS_NAME_LEN]; /* "real" (BRES 2018) | "emergent", default "real" */
        char fundamentals[CS_NAME_LEN];    /* real start: "fitted" (location fundamentals backed
                                              out per ITL2 area and sector) | "none", default
                                              "fitted" */
        char asset_offset[CS_NAME_LEN];    /* real start, a declining asset: the fundamental's
                                              offset of it "kept" | "released" with it,
                                              default "kept" */
        double firm_share_max;  /* real start: largest share of a region-sector one initial firm
                                   may hold, default 0.2 */
        double university_pull; /* real start: pull of universities on their sectors' jobs within
                                   an ITL2 area, default 30 */
        double city_sigma;      /* spread of a city's population (cells per sqrt(million people)),
                                   default 1.0 */
        double rural_share;     /* share of population spread over all land, default 0.15 */
        double asset_bonus;  /* natural-asset bonus a_s for energy at Aberdeen (log productivity),
                                default 1.5 */
        double asset_radius; /* cells around the asset that get the bonus, default 8 */
        int asset_decline_start;   /* step from which natural assets decline, default -1 never */
        double asset_decline_rate; /* share of the asset bonus lost per step from then, default 0 */
        double amenity_city;       /* amenity of a city centre (pounds-equivalent per step), default
                                      146.5 */
    } landscape;

    struct {
        int n; /* number of sectors, default 7 */
        char names[CS_MAX_SECTORS][CS_NAME_LEN];
        double share[CS_MAX_SECTORS];        /* national employment share */
        int tradable[CS_MAX_SECTORS];        /* 1 sells nationally at p = 1 */
        double beta_loc[CS_MAX_SECTORS];     /* localisation elasticity */
        double rd_intensity[CS_MAX_SECTORS]; /* rho_s, R&D share of output */
        double price_elasticity;             /* tradable price response to supply vs demand */
    } sectors;

    struct {
        double ru;              /* knowledge reach Ru (cells), default 12 */
        double k;               /* knowledge-transfer intensity k_u, default 1 */
        double phi_q;           /* quality gain per pound of funding */
        double delta_q;         /* quality reversion rate per step */
        double lambda_u;        /* spinouts per university per step per unit quality (full scale) */
        double spinout_premium; /* spinout A = national mean x (1 + premium x lognormal) */
    } universities;

    struct {
        double alpha;          /* labour elasticity of output, default 0.8 */
        double omega;          /* wage share parameter: w = omega alpha Y/H */
        double phi_space;      /* office space per worker (jobs-capacity units), default 1 */
        double fixed_cost;     /* f_c: fixed cost in units of local mean wage per step */
        double payout;         /* share of positive cash paid out per step */
        double tax;            /* profit tax rate */
        double x_exit;         /* exit when cash < -x_exit x annual output */
        int t_empty;           /* steps with no employee before exit */
        double g_max;          /* max headcount growth per step as share of H */
        double buffer;         /* layoffs above (1+buffer) H* */
        double size_tail;      /* Pareto tail exponent of initial sizes */
        double size_cap;       /* largest initial firm, as a share of the employed */
        double lambda_e;       /* startups per resident per step */
        double b_k;            /* urbanisation boost of startups */
        double eps_sector;     /* exploration weight in startup sector choice */
        double entry_response; /* startup response to announced support per job / wage */
        double entry_sigma;    /* log-sd of startup productivity around its reference */
        double entry_discount; /* startup A = reference x (1 - discount) x lognormal */
        char entry_reference[CS_NAME_LEN]; /* what startups draw around: "mean" (local
                                              unweighted mean, default) | "frontier" (MODEL.md) */
        double lambda_sp;    /* spinoff probability per firm per step at A = sector mean */
        double r_sp;         /* spinoff radius (cells) */
        double sp_sigma;     /* log-sd of spinoff productivity around parent */
        double sp_discount;  /* spinoff A = parent A x (1 - discount) x lognormal */
        double m_f;          /* relocation review probability per step */
        int k_f;             /* relocation candidates (cells, <= 48), default 10 */
        double r_move;       /* local candidate radius (cells) */
        double tau;          /* logit scale of location choice (share of output), default 0.02 */
        double m_c;          /* move cost in units of output */
        int t_plan;          /* planning horizon (steps) */
        double seed_capital; /* a new firm's cash, in steps of its fixed cost F */
    } firms;

    struct {
        double skill_mean;   /* mean initial skill */
        double skill_sd;     /* sd of initial skill */
        double grad_skill;   /* mean skill of graduates */
        double leaver_skill; /* mean skill of school leavers */
        double eta_l;        /* learning rate on the job per step */
        double lambda_h;     /* density boost of learning */
        double eta_d;        /* skill decay per unemployed step */
        double retire;       /* retirement probability per step, default 1/160 */
        double grad_share;   /* share of replacements that are graduates */
        double m_w;          /* residential review probability per step */
        int k_h;             /* residential candidates (cells, <= 31), default 5 */
        double tau_h;        /* logit scale of residential choice (pounds per step) */
        double unemployed0;  /* initial unemployment rate */
    } workers;

    struct {
        double rc;             /* commuting radius Rc (cells), default 8 */
        double w_min;          /* wage floor per unit skill (pounds per step) */
        double q_ojs;          /* on-the-job search probability per step, default 0.2 */
        int k_w;               /* cells sampled per search */
        int rounds;            /* application rounds per step */
        double c_d;            /* commuting cost per cell (pounds per step) */
        double switch_gain;    /* relative wage gain needed to switch job */
        double outside_option; /* unemployed's reservation value, share of mean earnings,
                                  default 0 */
        double separation;     /* job separation probability per step, default 0.01 */
        double q_u;            /* unemployed's search probability per step, default 0.35 */
        int t_mig;             /* unemployed steps before migrating */
    } labour;

    struct {
        int rk;             /* agglomeration window radius Rk (cells), default 2 */
        double l0;          /* localisation reference density (full-scale workers per cell) */
        double p0;          /* urbanisation reference density (full-scale workers per cell) */
        double beta_urb;    /* urbanisation (diversity) elasticity */
        double beta_uni;    /* university-knowledge elasticity of productivity */
        double eps_d;       /* local-services price elasticity to residents per job */
        double r0;          /* base rent (pounds per job-space per step), default 293 */
        double gamma;       /* rent elasticity to occupancy */
        int rent_radius;    /* cells: occupancy <J>/<K> over this box radius, default 2 (0: J/K) */
        double h0;          /* base housing cost (pounds per step), default 293 */
        double gamma_h;     /* housing cost elasticity */
        double headroom;    /* capacity = initial x (1 + headroom) + floor */
        double floor_jobs;  /* office capacity floor (full-scale jobs) */
        double floor_homes; /* housing capacity floor (full-scale residents) */
        double build_rate;  /* share of demand beyond capacity built each step */
    } land;

    struct {
        double theta;   /* innovation hazard per unit R&D intensity */
        double delta;   /* productivity step of an innovation, default 0.05 */
        double eps_rd;  /* R&D elasticity to the credit, default 1 */
        double rd_cap;  /* cap on rho_f, default 0.5 */
        double mu_k;    /* localisation boost of innovation */
        double mu_u;    /* university boost of innovation */
        double iota;    /* imitation speed towards the local frontier */
        double sigma_a; /* productivity shock sd per step */
    } innovation;

    int n_policies;
    cs_policy policies[CS_MAX_POLICIES];

    struct {
        int snapshot_every; /* steps between map snapshots, default 20 */
        int eg_tile;        /* EG-index area tile (cells), default 8 */
        double e_min;       /* cluster threshold: smoothed sector employment (full scale) */
        double lq_min;      /* cluster threshold: smoothed location quotient, default 1.25 */
        int compression;    /* deflate level 0-9, default 1 */
    } output;
} cs_params;

#endif
