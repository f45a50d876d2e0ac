/* test_fields.c: phase 1 fields on a hand-built state. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clustersim.h"
#include "fields.h"
#include "internal.h"
#include "window.h"

static void sim_agents(cs_sim *sim, int nf, int nw) {
    cs_firms *f = &sim->firms;
    f->n = f->cap = nf;
    f->cell = calloc(nf, sizeof *f->cell);
    f->sector = calloc(nf, sizeof *f->sector);
    f->n_emp = calloc(nf, sizeof *f->n_emp);
    f->A = calloc(nf, sizeof *f->A);
    f->H = calloc(nf, sizeof *f->H);
    f->w = calloc(nf, sizeof *f->w);
    f->alive = calloc(nf, sizeof *f->alive);
    cs_workers *w = &sim->workers;
    w->n = nw;
    w->home = calloc(nw, sizeof *w->home);
    w->employer = calloc(nw, sizeof *w->employer);
    w->skill = calloc(nw, sizeof *w->skill);
}

static void sim_land(cs_sim *sim, int W, int H) {
    cs_landscape *l = &sim->land;
    l->W = W, l->H = H, l->ncell = W * H;
    cs_landscape_set_width(l, W);
    l->K = calloc(l->ncell, sizeof *l->K);
    l->Kh = calloc(l->ncell, sizeof *l->Kh);
    sim->buf = calloc(1, sizeof *sim->buf); /* the fields' work space */
    cs_fields_alloc(sim);
}

static void sim_release(cs_sim *sim) {
    cs_fields_free(sim);
    cs_firms *f = &sim->firms;
    free(f->cell), free(f->sector), free(f->n_emp), free(f->A), free(f->H), free(f->w);
    free(f->alive);
    free(sim->workers.home), free(sim->workers.employer), free(sim->workers.skill);
    free(sim->land.K), free(sim->land.Kh);
    free(sim->buf->firm_fix), free(sim->buf->cell_res), free(sim->buf);
}

static void add_firm(cs_sim *sim, int i, int x, int y, int s, double A, double w, int alive) {
    sim->firms.cell[i] = y * sim->land.W + x;
    sim->firms.sector[i] = (uint8_t)s;
    sim->firms.A[i] = A;
    sim->firms.w[i] = w;
    sim->firms.alive[i] = (uint8_t)alive;
    sim->firms.H[i] = 99.0; /* stale values must be recomputed */
    sim->firms.n_emp[i] = 99;
}

static void add_worker(cs_sim *sim, int i, int home, int employer, float skill) {
    sim->workers.home[i] = home;
    sim->workers.employer[i] = employer;
    sim->workers.skill[i] = skill;
}

/* W = 10, H = 8, S = 3 (ls = 2), scale 0.5, Rk = 1, Rc = round(1.4) = 1. */
static void build_hand(cs_sim *sim) {
    memset(sim, 0, sizeof *sim);
    sim->S = 3, sim->ls = 2, sim->scale = sim->par.scale = 0.5;
    sim->par.land.rk = 1;
    sim->par.land.r0 = 2.0, sim->par.land.gamma = 0.5;
    sim->par.land.h0 = 1.0, sim->par.land.gamma_h = 2.0;
    sim->par.land.eps_d = 0.5; /* local-services price elasticity */
    sim->par.labour.rc = 1.4, sim->par.labour.w_min = 0.6;
    sim->par.universities.ru = 5.0;
    sim_land(sim, 10, 8);
    for (int c = 0; c < 80; c++) sim->land.K[c] = 4.0, sim->land.Kh[c] = 4.0;
    sim->land.K[23] = 0.0; /* treated as 1 */
    sim->land.n_univ = 1;
    cs_university *u = &sim->land.univ[0];
    u->x = 5, u->y = 5, u->cell = 55, u->q = 2.0, u->k = 1.5, u->k_uplift = 0.2;
    u->sigma[0] = 0.5, u->sigma[1] = 0.3, u->sigma[2] = 0.2;

    sim_agents(sim, 5, 6);
    add_firm(sim, 0, 2, 2, 0, 2.0, 1.0, 1); /* cell 22 */
    add_firm(sim, 1, 2, 2, 1, 3.0, 2.0, 1); /* cell 22 */
    add_firm(sim, 2, 3, 2, 2, 1.0, 0.5, 1); /* cell 23, local services */
    add_firm(sim, 3, 8, 6, 0, 9.0, 1.0, 0); /* dead: not in Amean */
    add_firm(sim, 4, 7, 0, 0, 4.0, 1.0, 1); /* alive, no one yet */
    add_worker(sim, 0, 22, 0, 0.5f);
    add_worker(sim, 1, 22, 0, 0.25f);
    add_worker(sim, 2, 23, 1, 0.75f);
    add_worker(sim, 3, 40, 2, 1.0f);
    add_worker(sim, 4, 40, -1, 0.5f);
    add_worker(sim, 5, 0, 2, 0.5f);
}

#define ES(f, s, c) ((f)->E_s[(s)*80 + (c)])

static void test_counts(void) {
    cs_sim sim;
    build_hand(&sim);
    cs_fields_compute(&sim);
    cs_fields *f = &sim.f;
    CHECK_CLOSE(sim.firms.H[0], 0.75, 0);
    CHECK_CLOSE(sim.firms.H[1], 0.75, 0);
    CHECK_CLOSE(sim.firms.H[2], 1.5, 0);
    CHECK_CLOSE(sim.firms.H[3], 0.0, 0);
    CHECK(sim.firms.n_emp[0] == 2 && sim.firms.n_emp[1] == 1 && sim.firms.n_emp[2] == 2);
    CHECK(sim.firms.n_emp[3] == 0 && sim.firms.n_emp[4] == 0);
    /* full-scale: divided by 0.5 */
    CHECK_CLOSE(ES(f, 0, 22), 4.0, 0); /* jobs: 2 heads / 0.5 */
    CHECK_CLOSE(ES(f, 1, 22), 2.0, 0);
    CHECK_CLOSE(ES(f, 2, 23), 4.0, 0);
    CHECK_CLOSE(ES(f, 2, 22), 0.0, 0);
    CHECK_CLOSE(f->E[22], 6.0, 0);
    CHECK_CLOSE(f->E[23], 4.0, 0);
    CHECK_CLOSE(f->E[40], 0.0, 0);
    CHECK_CLOSE(f->N[22], 4.0, 0);
    CHECK_CLOSE(f->N[23], 2.0, 0);
    CHECK_CLOSE(f->N[40], 4.0, 0);
    CHECK_CLOSE(f->N[0], 2.0, 0);
    CHECK_CLOSE(f->J[22], 6.0, 0);
    CHECK_CLOSE(f->J[23], 4.0, 0);
    CHECK_CLOSE(f->J_ls[23], 4.0, 0);
    CHECK_CLOSE(f->J_ls[22], 0.0, 0);
    CHECK_CLOSE(f->AE_s[0 * 80 + 22], 2.0 * 4.0, 1e-15);
    CHECK_CLOSE(f->wage_sum[22], (1.0 * 0.75 + 2.0 * 0.75) / 0.5, 1e-15);
    CHECK_CLOSE(f->skill_sum[23], 3.0, 0);
    CHECK_CLOSE(f->E_tot_s[0], 4.0, 0);
    CHECK_CLOSE(f->E_tot_s[2], 4.0, 0);
    CHECK_CLOSE(f->Amean_s[0], 3.0, 1e-15); /* firms 0 and 4; the dead firm 3 left out */
    CHECK_CLOSE(f->Amean_s[1], 3.0, 1e-15);
    CHECK_CLOSE(f->Amean_s[2], 1.0, 1e-15);
    sim_release(&sim);
}

static void test_land_and_windows(void) {
    cs_sim sim;
    build_hand(&sim);
    cs_fields_compute(&sim);
    cs_fields *f = &sim.f;
    CHECK_CLOSE(f->rent[22], 2.0 * sqrt(1.0 + 6.0 / 4.0), 1e-14);
    CHECK_CLOSE(f->rent[23], 2.0 * sqrt(1.0 + 4.0 / 1.0), 1e-14); /* K = 0 read as 1 */
    CHECK_CLOSE(f->rent[0], 2.0, 1e-15);
    CHECK_CLOSE(f->house[40], 1.0 * 2.0 * 2.0, 1e-14);
    CHECK_CLOSE(f->house[79], 1.0, 1e-15);
    /* L and P: cells 22 and 23 in the window of 22, R = 1 */
    CHECK_CLOSE(f->L_s[2 * 80 + 22], 4.0 / 9, 1e-15);
    CHECK_CLOSE(f->P[22], 10.0 / 9, 1e-15);
    CHECK_CLOSE(f->P[24], 4.0 / 9, 1e-15);
    /* shares 1/4, 1/4, 1/2 */
    CHECK_CLOSE(f->D[22], 0.64, 1e-14); /* shares 0.4, 0.2, 0.4 */
    CHECK_CLOSE(f->D[12], 0.64, 1e-14);
    CHECK_CLOSE(f->D[24], 0.0, 1e-14); /* only local services */
    CHECK_CLOSE(f->D[79], 0.0, 0);     /* empty */
    /* frontier: local where the sector is present, national mean elsewhere (few firms: computed
     * at the cells asked, abar_lazy) */
    CHECK(f->abar_lazy);
    CHECK_CLOSE(cs_fields_abar(&sim, 0, 22), 2.0, 1e-14);
    CHECK_CLOSE(cs_fields_abar(&sim, 1, 13), 3.0, 1e-14);
    CHECK_CLOSE(cs_fields_abar(&sim, 0, 79), 3.0, 1e-15);
    CHECK_CLOSE(cs_fields_abar(&sim, 0, 7), 3.0, 1e-15); /* firm 4 has no labour */
    CHECK_CLOSE(cs_fields_abar(&sim, 2, 0), 1.0, 1e-15);
    /* every cell as the grid pass of the frontier would give it, bit for bit */
    const int W = sim.land.W, H = sim.land.H, n = W * H;
    double *win = malloc(n * sizeof *win), *sat = malloc(CS_WINDOW_SAT_LEN(W, H) * sizeof *sat);
    int same_bits = 1;
    for (int s = 0; s < sim.S; s++) {
        cs_window_avg(f->AE_s + s * n, W, H, sim.par.land.rk, win, sat);
        for (int c = 0; c < n; c++) {
            const double ls = f->L_s[s * n + c], want = ls > 0.0 ? win[c] / ls : f->Amean_s[s];
            const double got = cs_fields_abar(&sim, s, c);
            same_bits &= memcmp(&got, &want, sizeof got) == 0;
        }
    }
    CHECK(same_bits);
    free(win);
    free(sat);
    /* startups' reference: the frontier by default; with "mean" the unweighted mean A of the
     * sector's alive firms in the window, labour or not (firm 4, A = 4, has none yet) */
    CHECK(cs_fields_entry_reference(&sim, 0, 7) == cs_fields_abar(&sim, 0, 7));
    strcpy(sim.par.firms.entry_reference, "mean");
    CHECK_CLOSE(cs_fields_entry_reference(&sim, 0, 22), 2.0, 1e-15);
    CHECK_CLOSE(cs_fields_entry_reference(&sim, 0, 7), 4.0, 1e-15);
    CHECK_CLOSE(cs_fields_entry_reference(&sim, 1, 13), 3.0, 1e-15);
    CHECK_CLOSE(cs_fields_entry_reference(&sim, 0, 79), 3.0, 1e-15); /* none near: national */
    sim_release(&sim);
}

/* Rent from the occupancy of the box of radius rent_radius: jobs over capacity summed over
 * the box (off-grid cells and a zero capacity add nothing), so one firm in a thin cell no
 * longer sets the cell's rent alone. */
static void test_rent_window(void) {
    cs_sim sim;
    build_hand(&sim);
    sim.par.land.rent_radius = 1;
    cs_fields_compute(&sim);
    const cs_fields *f = &sim.f;
    /* cell 22 (2, 2): jobs 6 + 4 (cell 23), capacity 8 cells x 4 (cell 23 has 0) */
    CHECK_CLOSE(f->rent[22], 2.0 * sqrt(1.0 + 10.0 / 32.0), 1e-14);
    CHECK_CLOSE(f->rent[23], 2.0 * sqrt(1.0 + 10.0 / 32.0), 1e-14);
    CHECK_CLOSE(f->rent[24], 2.0 * sqrt(1.0 + 4.0 / 32.0), 1e-14); /* sees cell 23 only */
    CHECK_CLOSE(f->rent[11], 2.0 * sqrt(1.0 + 6.0 / 36.0), 1e-14); /* (1, 1): cell 22 only */
    CHECK_CLOSE(f->rent[0], 2.0, 1e-15);                           /* no jobs in reach */
    CHECK_CLOSE(f->rent[79], 2.0, 1e-15);
    /* no capacity anywhere in the box: occupancy 0, the base rent */
    for (int c = 0; c < 80; c++) sim.land.K[c] = 0.0;
    cs_fields_compute(&sim);
    CHECK_CLOSE(f->rent[22], 2.0, 1e-15);
    /* radius 0 is MODEL.md's cell rule (test_land_and_windows) */
    sim.par.land.rent_radius = 0;
    for (int c = 0; c < 80; c++) sim.land.K[c] = 4.0;
    cs_fields_compute(&sim);
    CHECK_CLOSE(f->rent[22], 2.0 * sqrt(1.0 + 6.0 / 4.0), 1e-14);
    sim_release(&sim);
}

static void test_university(void) {
    cs_sim sim;
    build_hand(&sim);
    cs_fields_compute(&sim);
    cs_fields *f = &sim.f;
    const double kq = 1.5 * 1.2 * 2.0;
    CHECK_CLOSE(f->U_s[0 * 80 + 5 * 10 + 8], kq * 0.5 * (1.0 - 3.0 / 5.0), 1e-14); /* d = 3 */
    CHECK_CLOSE(f->U_s[1 * 80 + 55], kq * 0.3, 1e-14);                             /* d = 0 */
    CHECK_CLOSE(f->U_s[2 * 80 + 6 * 10 + 6], kq * 0.2 * (1.0 - sqrt(2.0) / 5.0), 1e-14);
    CHECK_CLOSE(f->U_s[0 * 80 + 1 * 10 + 8], 0.0, 0); /* d = 5 = Ru */
    CHECK_CLOSE(f->U_s[0 * 80 + 0], 0.0, 0);
    /* a second university adds */
    sim.land.n_univ = 2;
    sim.land.univ[1] = sim.land.univ[0];
    sim.land.univ[1].x = 9, sim.land.univ[1].y = 5, sim.land.univ[1].k_uplift = 0.0;
    cs_fields_compute(&sim);
    CHECK_CLOSE(f->U_s[0 * 80 + 5 * 10 + 8], kq * 0.5 * 0.4 + 1.5 * 2.0 * 0.5 * (1.0 - 1.0 / 5.0),
                1e-14);
    sim_release(&sim);
}

static void test_wages_and_prices(void) {
    cs_sim sim;
    build_hand(&sim);
    cs_fields_compute(&sim);
    cs_fields *f = &sim.f;
    /* wage_sum 4.5 at 22 and 1.5 at 23; skill_sum 3 and 3 */
    CHECK_CLOSE(f->wbar[22], (4.5 + 1.5) / 6.0, 1e-14);
    CHECK_CLOSE(f->wbar[21], 1.5, 1e-14); /* sees 22 only */
    CHECK_CLOSE(f->wbar[24], 0.6, 0);     /* 0.5 floored at w_min */
    CHECK_CLOSE(f->wbar[79], 0.6, 0);     /* no one works nearby */
    /* nu = 6 residents / 2 local-services jobs; at 23 the window holds N = 6, J_ls = 4 */
    CHECK_CLOSE(f->p_ls[23], sqrt(6.0 / 4.0 / 3.0), 1e-14);
    CHECK_CLOSE(f->p_ls[0], CS_P_LS_CAP, 0); /* no local services within Rc */
    /* lots of local-services jobs and no residents nearby: floor 1/3 */
    sim.workers.home[0] = sim.workers.home[1] = sim.workers.home[2] = 79;
    sim.workers.home[3] = sim.workers.home[5] = 79;
    cs_fields_compute(&sim);
    CHECK_CLOSE(f->p_ls[23], 1.0 / CS_P_LS_CAP, 0);
    sim_release(&sim);
}

static void test_links(void) {
    cs_sim sim;
    build_hand(&sim);
    sim.n_links = 1;
    sim.links[0] =
        (cs_link){.ax = 2, .ay = 2, .bx = 8, .by = 6, .radius = 0.0, .kappa = 0.5, .open = 1};
    cs_fields_compute(&sim);
    cs_fields *f = &sim.f;
    /* (8,6) = cell 68 gets half of the windows around (2,2) */
    CHECK_CLOSE(f->L_s[0 * 80 + 68], 0.5 * 4.0 / 9, 1e-15);
    CHECK_CLOSE(f->P[68], 0.5 * 10.0 / 9, 1e-15);
    CHECK(!f->abar_lazy); /* an open link: the frontier's windows over the grid */
    CHECK_CLOSE(f->Abar_s[0 * 80 + 68], 2.0, 1e-14);
    CHECK_CLOSE(cs_fields_abar(&sim, 0, 68), 2.0, 1e-14);
    CHECK_CLOSE(f->D[68], 0.64, 1e-14);
    CHECK_CLOSE(f->P[22], 10.0 / 9, 1e-15); /* B's window is empty */
    CHECK_CLOSE(f->P[67], 0.0, 0);          /* radius 0: the end cell only */
    sim.links[0].open = 0;
    cs_fields_compute(&sim);
    CHECK_CLOSE(f->P[68], 0.0, 0);
    sim_release(&sim);
}

static double rnd(uint64_t *st) {
    *st = *st * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*st >> 11) * 0x1p-53;
}

/* A random state, larger than the hand case, with a link and several universities. */
static void build_random(cs_sim *sim) {
    const int W = 53, H = 41, S = 5, nf = 300, nw = 5000;
    memset(sim, 0, sizeof *sim);
    sim->S = S, sim->ls = 4, sim->scale = sim->par.scale = 0.01;
    sim->par.land.rk = 2, sim->par.land.r0 = 1.0, sim->par.land.gamma = 0.7;
    sim->par.land.h0 = 1.0, sim->par.land.gamma_h = 1.3;
    sim->par.land.eps_d = 0.5;
    sim->par.labour.rc = 8, sim->par.labour.w_min = 0.1;
    sim->par.universities.ru = 12;
    sim_land(sim, W, H);
    uint64_t st = 12345;
    for (int c = 0; c < W * H; c++) {
        sim->land.K[c] = rnd(&st) * 1e5;
        sim->land.Kh[c] = rnd(&st) * 1e5;
    }
    sim->land.n_univ = 4;
    for (int u = 0; u < 4; u++) {
        cs_university *un = &sim->land.univ[u];
        un->x = (int)(rnd(&st) * W);
        un->y = (int)(rnd(&st) * H);
        un->q = rnd(&st) + 0.5, un->k = 1.0;
        for (int s = 0; s < S; s++) un->sigma[s] = 1.0 / S;
    }
    sim->n_links = 1;
    sim->links[0] =
        (cs_link){.ax = 3, .ay = 4, .bx = 40, .by = 30, .radius = 3.5, .kappa = 0.3, .open = 1};
    sim_agents(sim, nf, nw);
    for (int i = 0; i < nf; i++) {
        int x = (int)(rnd(&st) * W), y = (int)(rnd(&st) * H), s = (int)(rnd(&st) * S);
        double A = 0.5 + rnd(&st), w = 0.2 + rnd(&st);
        add_firm(sim, i, x, y, s, A, w, rnd(&st) < 0.97);
    }
    for (int i = 0; i < nw; i++) {
        int home = (int)(rnd(&st) * W * H);
        int emp = rnd(&st) < 0.1 ? -1 : (int)(rnd(&st) * nf);
        add_worker(sim, i, home, emp, (float)(0.1 + 0.9 * rnd(&st)));
    }
}

static int same(const double *a, const double *b, size_t n) {
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* Between computes the firm grids are cleared only where firms stood at the last one, in the
 * sectors each cell held then (docs/performance-log.md item 64). After firms move, change
 * sector in place, die and come back, every count and sum must be the bits of a compute from
 * scratch (cs_fields_forget: the whole grids cleared first). */
static void test_grids_follow_firms(void) {
    cs_sim a, b;
    build_hand(&a);
    build_hand(&b);
    cs_fields_compute(&a);
    cs_fields_compute(&b);
    cs_sim *both[2] = {&a, &b};
    for (int k = 0; k < 2; k++) {
        cs_sim *sim = both[k];
        sim->firms.cell[0] = 45, sim->firms.sector[0] = 1; /* moves and changes sector */
        sim->firms.sector[4] = 2;                          /* changes sector in place (cell 7) */
        sim->firms.alive[1] = 0;                           /* dies: cell 22 keeps no one */
        sim->firms.alive[3] = 1, sim->firms.cell[3] = 23;  /* back, next to local services */
    }
    cs_fields_compute(&a);
    cs_fields_forget(&b);
    cs_fields_compute(&b);
    const size_t n = (size_t)a.land.ncell, ns = n * (size_t)a.S;
    CHECK(same(a.f.E_s, b.f.E_s, ns) && same(a.f.AE_s, b.f.AE_s, ns));
    CHECK(same(a.f.A_s, b.f.A_s, ns) && same(a.f.C_s, b.f.C_s, ns));
    CHECK(same(a.f.E, b.f.E, n) && same(a.f.J, b.f.J, n) && same(a.f.J_ls, b.f.J_ls, n));
    CHECK(same(a.f.wage_sum, b.f.wage_sum, n) && same(a.f.skill_sum, b.f.skill_sum, n));
    CHECK(same(a.f.L_s, b.f.L_s, ns) && same(a.f.N, b.f.N, n));
    CHECK(a.f.A_s[0 * 80 + 7] == 0.0 && a.f.C_s[2 * 80 + 7] == 1.0);  /* firm 4's old sector */
    CHECK(a.f.E_s[0 * 80 + 22] == 0.0 && a.f.E_s[1 * 80 + 45] > 0.0); /* firm 0 moved */
    sim_release(&a);
    sim_release(&b);
}

static void test_threads(void) {
    cs_sim a, b;
    build_random(&a);
    build_random(&b);
    omp_set_num_threads(1);
    cs_fields_compute(&a);
    omp_set_num_threads(3);
    cs_fields_compute(&b);
    const size_t n = (size_t)a.land.ncell, ns = n * a.S;
    CHECK(same(a.f.E_s, b.f.E_s, ns) && same(a.f.AE_s, b.f.AE_s, ns));
    CHECK(same(a.f.L_s, b.f.L_s, ns) && same(a.f.U_s, b.f.U_s, ns));
    int abar_same = a.f.abar_lazy == b.f.abar_lazy;
    for (int s = 0; s < a.S; s++)
        for (size_t c = 0; c < n; c++) {
            const double x = cs_fields_abar(&a, s, (int32_t)c),
                         y = cs_fields_abar(&b, s, (int32_t)c);
            abar_same &= memcmp(&x, &y, sizeof x) == 0;
        }
    CHECK(abar_same);
    CHECK(same(a.f.E, b.f.E, n) && same(a.f.N, b.f.N, n) && same(a.f.J, b.f.J, n));
    CHECK(same(a.f.J_ls, b.f.J_ls, n) && same(a.f.P, b.f.P, n) && same(a.f.D, b.f.D, n));
    CHECK(same(a.f.rent, b.f.rent, n) && same(a.f.house, b.f.house, n));
    CHECK(same(a.f.wbar, b.f.wbar, n) && same(a.f.p_ls, b.f.p_ls, n));
    CHECK(same(a.f.wage_sum, b.f.wage_sum, n) && same(a.f.skill_sum, b.f.skill_sum, n));
    CHECK(same(a.f.Amean_s, b.f.Amean_s, CS_MAX_SECTORS));
    CHECK(same(a.f.E_tot_s, b.f.E_tot_s, CS_MAX_SECTORS));
    CHECK(same(a.firms.H, b.firms.H, a.firms.n));
    CHECK(memcmp(a.firms.n_emp, b.firms.n_emp, a.firms.n * sizeof *a.firms.n_emp) == 0);
    /* sanity on the random state: D in [0, 1), p_ls within its caps */
    int ok = 1;
    for (size_t c = 0; c < n; c++)
        ok &= a.f.D[c] >= 0.0 && a.f.D[c] < 1.0 && a.f.p_ls[c] >= 1.0 / CS_P_LS_CAP &&
              a.f.p_ls[c] <= CS_P_LS_CAP && a.f.wbar[c] >= 0.1 && isfinite(a.f.rent[c]);
    CHECK(ok);
    sim_release(&a);
    sim_release(&b);
}

int main(void) {
    RUN(test_counts);
    RUN(test_land_and_windows);
    RUN(test_rent_window);
    RUN(test_university);
    RUN(test_wages_and_prices);
    RUN(test_links);
    RUN(test_threads);
    RUN(test_grids_follow_firms);
    return CHECK_DONE();
}
