/* storage.c: agent storage that every phase uses: allocation, appending and initialising
 * firms, stable compaction (with the workers' employers remapped), the worker-by-firm index and
 * grow-only scratch. Nothing here calls a phase or the life cycle (sim.c). */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counting.h"
#include "internal.h"

void *cs_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "clustersim: error: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return p;
}

void *cs_xrealloc(void *p, size_t n, size_t size) {
    void *q = realloc(p, (n ? n : 1) * size);
    if (!q) {
        fprintf(stderr, "clustersim: error: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return q;
}

#define GROW(ptr, n) ((ptr) = cs_xrealloc((ptr), (n), sizeof(*(ptr))))

void cs_firms_reserve(cs_sim *sim, int32_t n) {
    cs_firms *F = &sim->firms;
    if (n <= F->cap) return;
    int32_t cap = F->cap ? F->cap : 1024;
    while (cap < n) cap += cap / 2;
    GROW(F->id, cap);
    GROW(F->parent, cap);
    GROW(F->cell, cap);
    GROW(F->sector, cap);
    GROW(F->origin, cap);
    GROW(F->birth, cap);
    GROW(F->n_emp, cap);
    GROW(F->empty, cap);
    GROW(F->A, cap);
    GROW(F->H, cap);
    GROW(F->w, cap);
    GROW(F->cash, cap);
    GROW(F->Y, cap);
    GROW(F->phi, cap);
    GROW(F->hstar, cap);
    GROW(F->vac, cap);
    GROW(F->rho, cap);
    GROW(F->credit, cap);
    GROW(F->profit, cap);
    GROW(F->pay, cap);
    GROW(F->kept, cap);
    GROW(F->alive, cap);
    F->cap = cap;
    cs_buffers_fit_firms(sim);
}

void cs_buffers_fit_firms(cs_sim *sim) {
    cs_buffers *b = sim->buf;
    int32_t cap = sim->firms.cap;
    if (!b || b->fcap >= cap) return;
    GROW(b->f_count, cap + 1);
    GROW(b->f_new, cap + 1);
    GROW(b->f_move, cap);
    GROW(b->f_remap, cap);
    GROW(b->f_tmp, cap);
    GROW(b->f_flag, cap);
    GROW(sim->wi.start, cap + 1);
    b->fcap = cap;
    sim->wi.cap = cap;
}

void cs_firm_init(cs_sim *sim, int32_t i, int cell, int sector, int origin, int64_t parent,
                  double A, double cash, double w) {
    cs_firms *F = &sim->firms;
    F->parent[i] = parent;
    F->cell[i] = cell;
    F->sector[i] = (uint8_t)sector;
    F->origin[i] = (uint8_t)origin;
    F->birth[i] = sim->step;
    F->n_emp[i] = 0;
    F->empty[i] = 0;
    F->A[i] = A;
    F->H[i] = 0;
    F->w[i] = w;
    F->cash[i] = cash;
    F->Y[i] = 0;
    F->phi[i] = 0;
    F->hstar[i] = 0;
    F->vac[i] = 0;
    F->rho[i] = sim->par.sectors.rd_intensity[sector];
    F->credit[i] = 0;
    F->profit[i] = 0;
    F->pay[i] = 0;
    F->kept[i] = 0;
    F->alive[i] = 1;
}

int32_t cs_firm_new(cs_sim *sim, int cell, int sector, int origin, int64_t parent, double A,
                    double cash) {
    cs_firms *F = &sim->firms;
    if (F->n >= F->cap) cs_firms_reserve(sim, F->n + 1);
    int32_t i = F->n++;
    F->id[i] = sim->next_firm_id++;
    cs_firm_init(sim, i, cell, sector, origin, parent, A, cash, sim->par.labour.w_min);
    return i;
}

void cs_firms_compact(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    int32_t *remap = sim->buf->f_remap;
    int32_t k = 0;
    for (int32_t i = 0; i < F->n; i++) {
        if (!F->alive[i]) {
            remap[i] = -1;
            continue;
        }
        remap[i] = k;
        if (k != i) {
            F->id[k] = F->id[i];
            F->parent[k] = F->parent[i];
            F->cell[k] = F->cell[i];
            F->sector[k] = F->sector[i];
            F->origin[k] = F->origin[i];
            F->birth[k] = F->birth[i];
            F->n_emp[k] = F->n_emp[i];
            F->empty[k] = F->empty[i];
            F->A[k] = F->A[i];
            F->H[k] = F->H[i];
            F->w[k] = F->w[i];
            F->cash[k] = F->cash[i];
            F->Y[k] = F->Y[i];
            F->phi[k] = F->phi[i];
            F->hstar[k] = F->hstar[i];
            F->vac[k] = F->vac[i];
            F->rho[k] = F->rho[i];
            F->credit[k] = F->credit[i];
            F->profit[k] = F->profit[i];
            F->pay[k] = F->pay[i];
            F->kept[k] = F->kept[i];
            F->alive[k] = 1;
        }
        k++;
    }
    if (k == F->n) return;
    F->n = k;
    cs_workers *Wk = &sim->workers;
    int32_t *emp = Wk->employer;
#pragma omp parallel for schedule(static)
    for (int32_t j = 0; j < Wk->n; j++) {
        if (emp[j] >= 0) {
            int32_t r = remap[emp[j]];
            if (r < 0) {
                /* employer died: the worker is unemployed from this step */
                emp[j] = -1;
                Wk->unemp[j] = 0;
            } else {
                emp[j] = r;
            }
        }
    }
}

double *cs_scratch_doubles(cs_buffers *b, size_t n) {
    if (n > b->scratch_cap) {
        b->scratch = cs_xrealloc(b->scratch, n, sizeof *b->scratch);
        b->scratch_cap = n;
    }
    return b->scratch;
}

void cs_workerindex_build_for(cs_sim *sim, const int32_t *want) {
    /* matching's choices are scratch outside matching: the wanted workers are gathered there */
    cs_counting_sort_for(sim->buf, sim->workers.employer, sim->workers.n, sim->firms.n, want,
                         sim->wi.start, sim->wi.worker, sim->buf->w_choice);
}
