/* clustersim.h: the simulation state that everything hangs off, and the phase functions.
 *
 * One step (cs_step in step.c) calls the phases of MODEL.md section 4 in order. Agents live in
 * structure-of-arrays blocks sized once at init (capacities never grow inside a step loop).
 * Grids are row-major [y][x], y = 0 in the north; a cell index is c = y * W + x.
 * Every exported symbol starts with cs_. */
#ifndef CS_CLUSTERSIM_H
#define CS_CLUSTERSIM_H

#include <stddef.h>
#include <stdint.h>

#include "params.h"
#include "pcg32.h"

#define CS_VERSION "0.1.0"

/* The commit the binary was built from (git rev-parse --short=12 HEAD; "unknown" outside git). */
extern const char cs_git_hash[];

/* Phases timed by cs_step, in the order of cs_phase_names. */
#define CS_NPHASES 13
extern const char *const cs_phase_names[CS_NPHASES];

/* Firm origins (/final/firms/origin). */
enum cs_origin { CS_ORIGIN_INITIAL = 0, CS_ORIGIN_STARTUP, CS_ORIGIN_SPINOFF, CS_ORIGIN_SPINOUT };

/* Firms, structure of arrays; index i in [0, n). Exits are compacted stably each step. */
typedef struct cs_firms {
    int32_t n, cap;
    int64_t *id;     /* unique, increasing in birth order */
    int64_t *parent; /* parent firm id, -1 none */
    int32_t *cell;   /* cell index */
    uint8_t *sector; /* sector index */
    uint8_t *origin; /* enum cs_origin */
    int32_t *birth;  /* step of birth (negative for initial firms: their drawn age) */
    int32_t *n_emp;  /* headcount n_f */
    int32_t *empty;  /* consecutive steps with no employee */
    double *A;       /* productivity A_f (dimensionless TFP: Y_f = p A_f e^Phi H_f^alpha) */
    double *H;       /* effective labour (sum of skills), recomputed each step */
    double *w;       /* wage rate per unit skill (pounds per step) */
    double *cash;    /* C_f (pounds) */
    double *Y;       /* output this step (pounds per step) */
    double *phi;     /* agglomeration term Phi this step (log productivity; output goes as e^Phi) */
    double *hstar;   /* target effective labour H* (skill units: a sum of workers' h_i) */
    double *vac;     /* vacancies (headcount) this step */
    double *rho;     /* R&D intensity rho_f (share of output spent on R&D) */
    double *credit;  /* R&D credit rate this step (share of R&D refunded, at most 0.9) */
    double *profit;  /* pre-tax profit before policy support this step (pounds) */
    double *pay;     /* policy support received this step, all forms as money (pounds) */
    uint8_t *kept;   /* kept alive by a policy this step (firm_subsidy) */
    uint8_t *alive;  /* 0 once exited (until compaction) */
} cs_firms;

/* Workers, structure of arrays. The labour force is constant: a retiree's slot is reused by
 * its replacement, so a worker index is a stable entity id for random streams. */
typedef struct cs_workers {
    int32_t n;
    int32_t *home;     /* home cell */
    int32_t *employer; /* firm index, -1 unemployed (remapped when firms are compacted) */
    int32_t *hired;    /* step hired */
    int32_t *unemp;    /* consecutive steps unemployed */
    float *skill;      /* h_i in (0,1] */
    uint8_t *graduate; /* 1 if entered as a graduate */
} cs_workers;

typedef struct cs_university {
    char name[CS_NAME_LEN];
    char city[CS_NAME_LEN];
    int x, y, cell; /* position (grid cells; cell = y W + x) */
    double q, q0;   /* quality now and baseline (index; 0.3-1 at the start, by research rank) */
    double sigma[CS_MAX_SECTORS]; /* sector strengths, sum 1 */
    double g;                     /* graduates per step (full scale) */
    double k;                     /* knowledge-transfer intensity k_u */
    double funding;               /* policy funding this step (pounds) */
    double spinout_support;       /* policy uplift this step */
    double k_uplift;              /* policy uplift of k this step */
} cs_university;

typedef struct cs_city {
    char name[CS_NAME_LEN];
    int x, y;   /* position (grid cells) */
    double pop; /* population (millions, real) */
    int region;
} cs_city;

/* The landscape: static cell attributes (some moved by policies). */
typedef struct cs_landscape {
    int W, H, ncell;
    uint64_t w_magic; /* 2^64 / W rounded up: a cell's row without dividing (cs_cell_row) */
    int n_regions;
    char region_names[32][CS_NAME_LEN];
    int16_t *region; /* region id, -1 sea */
    int16_t *area;   /* ITL2 area (index into cs_uk_areas, uk_data.h), -1 sea or not the UK map */
    uint8_t *land;   /* 1 land, 0 sea */
    uint8_t *centre; /* city-centre flag */
    double *pop_weight; /* relative population density (sums to 1 over land) */
    double *K;          /* office capacity (full-scale jobs) */
    double *Kh;         /* housing capacity (full-scale residents) */
    double *K0, *Kh0;   /* K and Kh at the start (the run file's maps; checkpoints carry them) */
    double *amenity;    /* a(c) (pounds-equivalent per step) */
    double *asset;      /* a_s(c): natural-asset bonus, [S][ncell] (log productivity) */
    double *fund;       /* location fundamental of the real start, [S][ncell] (log productivity;
                           0 elsewhere): what a place adds to the productivity of a sector's
                           firms, fitted so that 2018's map is the start's equilibrium */
    double *fund_asset; /* the part of fund that offsets the start's natural assets: minus the
                           area's mean asset over its initial firms, [S][ncell] (log
                           productivity, <= 0), released as the assets decline where
                           landscape.asset_offset = "released" (phase 2) */
    double offset_kept; /* share of fund_asset still in fund: 1, or with landscape.asset_offset =
                           "released" the share of the start's natural assets left */
    double *reach;      /* extra commuting reach (cells) from density funding */
    int n_cities;
    cs_city cities[64];
    int n_univ;
    cs_university univ[256];
} cs_landscape;

/* A built transport link (section 3). */
typedef struct cs_link {
    int ax, ay, bx, by; /* its two ends (grid cells) */
    double radius;      /* how near an end a home or workplace must be (cells) */
    double kappa; /* share of the far end's window added to a near cell's (policy efficiency) */
    int open;     /* 1 once built */
} cs_link;

/* Fields of section 3, recomputed at the start of each step. Densities are in full-scale
 * units (counts divided by scale). [S][ncell] arrays are sector-major. */
typedef struct cs_fields {
    double *E_s;    /* jobs (headcount) by sector [S][ncell] */
    double *E;      /* jobs (headcount), sum over sectors */
    double *N;      /* residents */
    double *J;      /* jobs (headcount) */
    double *J_ls;   /* local-services jobs */
    double *AE_s;   /* sum of A x E by sector [S][ncell] (for the frontier) */
    double *L_s;    /* <E_s>_Rk [S][ncell] */
    double *P;      /* <E>_Rk */
    double *D;      /* diversity */
    double *U_s;    /* university knowledge [S][ncell] */
    double *Abar_s; /* local frontier [S][ncell]; unset when abar_lazy */
    double *A_s;    /* sum of A of alive firms by sector [S][ncell] (entry_reference "mean") */
    double *C_s;    /* count of alive firms by sector [S][ncell] (entry_reference "mean") */
    int abar_lazy;  /* 1: Abar_s is not filled, cs_fields_abar computes it at the cells asked */
    double *rent;   /* r(c) */
    double *house;  /* ho(c) */
    double *wbar;   /* last step's mean wage per unit skill within Rc, floored */
    double *p_ls;   /* local-services price */
    double *vac;    /* vacancies by cell (for migration) */
    double *wage_sum, *skill_sum;   /* wages and skills by workplace cell this step */
    double *scratch;                /* fields.c work space (its scratch_len) */
    double Amean_s[CS_MAX_SECTORS]; /* national mean productivity by sector */
    double nu;                      /* residents per local-services job, initial economy */
    double mean_skill;              /* national mean skill of workers this step */
    double mean_earnings;           /* last step's national mean earnings per job (w_f h_i) */
    double E_tot_s[CS_MAX_SECTORS]; /* national jobs by sector */
} cs_fields;

/* Firms' workers: workers grouped by employer (counting sort), rebuilt when needed. */
typedef struct cs_workerindex {
    int32_t *start;  /* [firms.n + 1] */
    int32_t *worker; /* [workers.n] worker indices grouped by employer, in worker order */
    int32_t cap;     /* capacity of start */
} cs_workerindex;

/* Per-step national counters filled by the phases and read by metrics. */
typedef struct cs_counters {
    int64_t births, deaths, relocations, innovations;
    int64_t spinoffs, spinouts, startups, migrations, hires, link_hires, job_moves;
    int64_t job_losses;     /* employed -> unemployed: layoffs, exits, moves beyond the commute,
                             * separations */
    double rd_spend;        /* firms' R&D this step (pounds, agent scale) */
    double spending_total;  /* policy spending this step, all policies (pounds, agent scale) */
    double tax_revenue;     /* profit tax paid by firms (pounds, agent scale) */
    double tax_on_payments; /* the part of it the policies' payments raise (pounds, agent scale) */
    double spending[CS_MAX_POLICIES]; /* the same by policy (pounds, agent scale) */
} cs_counters;

struct cs_output; /* output.h */

/* The whole simulation: everything hangs off this. */
typedef struct cs_sim {
    cs_params par; /* resolved parameters */
    int step;      /* current step (0 = initial state) */
    int S;         /* sectors */
    int ls;        /* index of local_services, -1 none */
    double scale;  /* par.scale, as a divisor for densities */
    cs_landscape land;
    cs_firms firms;
    cs_workers workers;
    cs_fields f;
    cs_workerindex wi;
    int n_links;
    cs_link links[CS_MAX_POLICIES];
    cs_counters cnt;
    int64_t next_firm_id;
    double price[CS_MAX_SECTORS];  /* national price of each tradable sector (1 initially) */
    double demand[CS_MAX_SECTORS]; /* its share of tradable spending (initial output shares) */
    int threads;                   /* OpenMP threads of the run (--threads) */
    struct cs_policy_state *pol;   /* policies.c: masks, ledgers, chosen firms */
    struct cs_buffers *buf; /* storage.c: per-phase work buffers, sized once and grown rarely */
    double phase_seconds[CS_NPHASES]; /* wall time by phase (s), for bench */
} cs_sim;

/* Life cycle (sim.c). */
int cs_sim_init(cs_sim *sim, const cs_params *par); /* 0 ok; fills landscape and agents */
/* As cs_sim_init but without drawing the initial economy: the landscape, policies and empty
 * agent arrays of the right size, for a state that a checkpoint then fills (cs_checkpoint_load) */
int cs_sim_init_bare(cs_sim *sim, const cs_params *par);
void cs_sim_free(cs_sim *sim);
void cs_step(cs_sim *sim); /* one quarter: phases 1-13 */

/* Phases (one file each, named after the mechanism). */
void cs_landscape_build(cs_sim *sim);                /* landscape.c */
void cs_landscape_set_width(cs_landscape *l, int W); /* W and w_magic */
void cs_population_init(cs_sim *sim);                /* population.c: initial firms and workers */
void cs_population_alloc(cs_sim *sim);               /* population.c: empty worker arrays */
int32_t cs_population_workers(const cs_params *p);   /* population.c: the labour force */
void cs_fields_compute(cs_sim *sim);                 /* fields.c, phase 1 */
void cs_productivity(cs_sim *sim);                   /* productivity.c, phase 2 */
void cs_production(cs_sim *sim);                     /* production.c, phases 3-4 */
void cs_exit(cs_sim *sim);                           /* exit.c, phase 5 */
void cs_entry(cs_sim *sim);                          /* entry.c, phase 6 */
void cs_relocation(cs_sim *sim);                     /* relocation.c, phase 7 */
void cs_matching(cs_sim *sim);                       /* matching.c, phase 8 */
void cs_residence(cs_sim *sim);                      /* residence.c, phase 9 */
void cs_skills(cs_sim *sim);                         /* skills.c, phase 10 */
void cs_demographics(cs_sim *sim);                   /* demographics.c, phase 11 */
void cs_universities(cs_sim *sim);                   /* universities.c, phase 12 */

/* Agent storage (storage.c). */
/* Once per process, before the first simulation: arrays below 4 MB on a heap advised for huge
 * pages (see storage.c). Performance only; results never depend on it. */
void cs_memory_init(void);
void cs_firms_reserve(cs_sim *sim, int32_t n); /* capacity >= n (between phases only) */
int32_t cs_firm_new(cs_sim *sim, int cell, int sector, int origin, int64_t parent, double A,
                    double cash); /* appends one firm, returns its index */
/* Sets every field of firm slot i but its id: no employees, wage w, cash as given. */
void cs_firm_init(cs_sim *sim, int32_t i, int cell, int sector, int origin, int64_t parent,
                  double A, double cash, double w);
/* Drops dead firms stably and remaps employers; with this step's plan (exit.c) it moves the
 * plan too and lists the planned firms' workers (internal.h, cs_workerindex_build_planned). */
void cs_firms_compact(cs_sim *sim);
/* Groups workers by employer (want NULL), or lists only the firms i with want[i] != 0 (others
 * get empty lists), each exactly as the full index lists it, in worker order. Phases that need
 * a few firms' workers (layoffs, spinoff founders, relocating firms) skip scattering everyone. */
void cs_workerindex_build_for(cs_sim *sim, const int32_t *want);

/* Helpers shared by phases. */
static inline int cs_cell(const cs_landscape *l, int x, int y) {
    return y * l->W + x;
}

#endif
