/* sim.c: the life cycle of a simulation: build the landscape, the initial population, the
 * fields and the policies, and free it all. Agent storage is storage.c, the counting sort
 * counting.c, shared draws and sums numerics.c; none of them calls back into this file. */
#include <string.h>

#include "fields.h"
#include "internal.h"
#include "landscape.h"
#include "policies.h"

/* Everything before the agents: parameters, landscape, buffers, the fields' grids. */
static void setup(cs_sim *sim, const cs_params *par) {
    memset(sim, 0, sizeof(*sim));
    sim->par = *par;
    sim->S = par->sectors.n;
    sim->scale = par->scale;
    sim->ls = -1;
    for (int s = 0; s < CS_MAX_SECTORS; s++) sim->price[s] = 1.0;
    for (int s = 0; s < sim->S; s++)
        if (!par->sectors.tradable[s]) {
            if (strcmp(par->sectors.names[s], "local_services") == 0 || sim->ls < 0) sim->ls = s;
        }
    sim->buf = cs_xcalloc(1, sizeof(cs_buffers));
    cs_landscape_build(sim);
    int32_t nc = sim->land.ncell;
    cs_buffers *b = sim->buf;
    b->c_count = cs_xcalloc((size_t)nc + 1, sizeof(int32_t));
    b->c_cdf = cs_xcalloc((size_t)nc * (size_t)(sim->S + 2), sizeof(double));
    b->c_rowpre = cs_xcalloc((size_t)sim->land.H * (size_t)(sim->land.W + 1), sizeof(double));
    cs_fields_alloc(sim);
}

int cs_sim_init(cs_sim *sim, const cs_params *par) {
    setup(sim, par);
    cs_population_init(sim);
    cs_policies_init(sim);
    return 0;
}

/* A checkpoint holds every piece of state a step reads (checkpoint.c, start_maps() and
 * state()), including what the initial economy set in the landscape (capacities,
 * fundamentals): drawing that economy only to overwrite it took about 3 s at scale 1.0. The
 * policies' set-up reads the landscape only. */
int cs_sim_init_bare(cs_sim *sim, const cs_params *par) {
    setup(sim, par);
    cs_population_alloc(sim);
    cs_policies_init(sim);
    return 0;
}

void cs_sim_free(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    void *fp[] = {F->id,  F->parent, F->cell,   F->sector, F->origin, F->birth, F->n_emp, F->empty,
                  F->A,   F->H,      F->w,      F->cash,   F->Y,      F->phi,   F->hstar, F->vac,
                  F->rho, F->credit, F->profit, F->pay,    F->kept,   F->alive};
    for (size_t k = 0; k < sizeof(fp) / sizeof(fp[0]); k++) free(fp[k]);
    cs_workers *W = &sim->workers;
    free(W->home);
    free(W->employer);
    free(W->hired);
    free(W->unemp);
    free(W->skill);
    free(W->graduate);
    cs_buffers *b = sim->buf;
    if (b) {
        void *bp[] = {
            b->w_choice,       b->w_order,      b->w_app,     b->w_search,        b->f_count,
            b->f_new,          b->f_move,       b->f_tmp,     b->f_tax,           b->f_ptax,
            b->f_flag,         b->c_count,      b->c_cdf,     b->c_rowpre,        b->chunk_cnt,
            b->want_bits,      b->compact_ws,   b->scratch,   b->firm_fix,        b->cell_res,
            b->vac_post,       b->vac_cells,    b->blk_napp,  b->univ_memo,       b->firm_cells,
            b->firm_cell_mark, b->occk_memo,    b->jobs_memo, b->jobs_memo_cells, b->w_unemp,
            b->jobs_win,       b->jobs_win_all, b->w_reach,   b->f_plan,          b->plan_bits,
            b->phi_tab,        b->abar_memo,    b->pair_mark, b->pair_list,       b->jobs_memo_sec};
        for (size_t k = 0; k < sizeof(bp) / sizeof(bp[0]); k++) free(bp[k]);
        for (int k = 0; k < CS_METRICS_WS; k++) free(b->metrics_ws[k]);
        free(b);
    }
    free(sim->wi.start);
    free(sim->wi.worker);
    cs_policies_free(sim);
    cs_fields_free(sim);
    cs_landscape_free(&sim->land);
    memset(sim, 0, sizeof(*sim));
}
