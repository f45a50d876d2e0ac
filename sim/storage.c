/* storage.c: agent storage that every phase uses: allocation, appending and initialising
 * firms, stable compaction (with the workers' employers remapped), the worker-by-firm index and
 * grow-only scratch. Nothing here calls a phase or the life cycle (sim.c). */
#include <malloc.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "counting.h"
#include "internal.h"

/* Set bits of x: with hw (a caller built for the processor's popcnt instruction) that
 * instruction, else a bit-parallel sum. Without -mpopcnt (not in the x86-64 baseline)
 * __builtin_popcountll is a call into libgcc, 1.4% of the default run from the compaction's
 * pass over every worker. Both count exactly: the same result either way. */
static inline __attribute__((always_inline)) int bits_set(uint64_t x, int hw) {
    if (hw) return __builtin_popcountll(x);
    x -= (x >> 1) & UINT64_C(0x5555555555555555);
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (int)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Arrays from this size up ask the kernel for transparent huge pages (2 MB). The phases read
 * the firm arrays at random for every searcher and worker, and at 1:1 those arrays (16 MB each)
 * span thousands of 4 KB pages, more than the TLB holds: with huge pages a 1:1 step took 3-20%
 * less time and the metrics 20-31% less (docs/performance-log.md, item 15). Where the kernel has
 * THP off the advice is ignored; results never depend on it. */
#define HUGE_FROM ((size_t)4 << 20)

static void advise_huge(void *p, size_t bytes) {
#ifdef MADV_HUGEPAGE
    if (bytes < HUGE_FROM) return;
    const long ps = sysconf(_SC_PAGESIZE); /* madvise needs a page-aligned start */
    const uintptr_t page = ps > 0 ? (uintptr_t)ps : 4096,
                    a = ((uintptr_t)p + page - 1) & ~(page - 1);
    const uintptr_t z = ((uintptr_t)p + bytes) & ~(page - 1);
    if (z > a) (void)madvise((void *)a, z - a, MADV_HUGEPAGE);
#else
    (void)p, (void)bytes;
#endif
}

/* Small arrays on a huge-page heap. At the default scale every array is below HUGE_FROM
 * (66,000 workers: 0.5 MB), so each came from its own mmap of 4 KB pages: 8,150 page faults in
 * the 160-step run and a TLB entry per 4 KB of the agents' arrays. With arrays below HUGE_FROM
 * taken from the heap (mmap threshold), the heap grown 64 MB at a time and never trimmed (a
 * trimmed and regrown heap loses the advice), and its pages advised for huge pages, the run
 * takes about 1,400 faults and 7% less time (docs/performance-log.md, item 35): what glibc's
 * glibc.malloc.hugetlb=1 tunable does, which a process cannot set for itself. Where the first
 * block comes from elsewhere than the brk heap (another allocator, as under ASan), nothing is
 * advised. */
#define HEAP_PAD ((size_t)64 << 20)

static uintptr_t heap_advised; /* heap advised up to here (main thread only) */

/* Advises the heap's pages from the last advised end (or from p) to its top. */
static void advise_heap(const void *p) {
#ifdef MADV_HUGEPAGE
    const uintptr_t top = (uintptr_t)sbrk(0);
    if (top == (uintptr_t)-1 || top <= heap_advised) return;
    const uintptr_t page = 4096, lo = heap_advised ? heap_advised : (uintptr_t)p;
    const uintptr_t a = (lo + page - 1) & ~(page - 1);
    if (top > a) (void)madvise((void *)a, top - a, MADV_HUGEPAGE);
    heap_advised = top;
#else
    (void)p;
#endif
}

void cs_memory_init(void) {
#if defined(M_MMAP_THRESHOLD) && defined(M_TOP_PAD) && defined(M_TRIM_THRESHOLD)
    if (heap_advised) return;
    (void)mallopt(M_MMAP_THRESHOLD, (int)HUGE_FROM);
    (void)mallopt(M_TOP_PAD, (int)HEAP_PAD);
    (void)mallopt(M_TRIM_THRESHOLD, (int)(2 * HEAP_PAD));
    void *p = malloc(HUGE_FROM / 2); /* grows the heap by the pad */
    if (p) advise_heap(p);
    free(p);
#endif
}

/* A new or moved array of `bytes` at p: huge pages for a large one (its own mapping), and the
 * heap's new pages when it grew (main thread only: heap_advised is not shared). */
static void advise_new(void *p, size_t bytes) {
    advise_huge(p, bytes);
    if (heap_advised && !omp_in_parallel()) advise_heap(p);
}

void *cs_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "clustersim: error: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    advise_new(p, (n ? n : 1) * size);
    return p;
}

void *cs_xrealloc(void *p, size_t n, size_t size) {
    void *q = realloc(p, (n ? n : 1) * size);
    if (!q) {
        fprintf(stderr, "clustersim: error: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    advise_new(q, (n ? n : 1) * size);
    return q;
}

#define GROW(ptr, n) ((ptr) = cs_xrealloc((ptr), (n), sizeof(*(ptr))))

/* Grows the per-firm buffers to the firm capacity (between phases). */
static void fit_buffers(cs_sim *sim) {
    cs_buffers *b = sim->buf;
    int32_t cap = sim->firms.cap;
    if (!b || b->fcap >= cap) return;
    GROW(b->f_count, cap + 1);
    GROW(b->f_new, cap + 1);
    GROW(b->f_move, cap);
    GROW(b->f_tmp, cap);
    GROW(b->f_tax, cap);
    GROW(b->f_ptax, cap);
    GROW(b->f_flag, cap);
    GROW(b->f_plan, cap);
    GROW(sim->wi.start, cap + 1);
    b->fcap = cap;
    sim->wi.cap = cap;
}

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
    fit_buffers(sim);
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

/* Firm counts up to this many bytes of int32 remap a worker's employer through a table (it
 * stays in cache); above, through the dead bitmap and its per-word counts (a few hundred KB at
 * 1:1 where a table is 6 MB). */
#define REMAP_TABLE_MAX ((size_t)1 << 20)

/* A run of consecutive alive firms: len firms from src move to dst. */
typedef struct compact_run {
    int32_t src, len, dst;
} compact_run;

/* Grow-only int32 space for the compaction's runs and dead-bitmap counts. */
static int32_t *compact_space(cs_buffers *b, size_t n) {
    return b->compact_ws = cs_grow_only(b->compact_ws, &b->compact_cap, n, sizeof *b->compact_ws);
}

/* Workers [j0, j1): each employer remapped (remap table, or the dead bitmap with its counts;
 * neither: unchanged), a worker of a dead firm made unemployed; with plan bits, those whose
 * employer is planned are listed at list[j0 ..] in worker order. Returns how many were listed;
 * *lost counts the workers who lost their job. Inlined once per combination (hw: see
 * bits_set), so that no worker asks which. */
static inline __attribute__((always_inline)) int32_t
remap_workers(cs_workers *Wk, int32_t j0, int32_t j1, const int32_t *remap, const uint64_t *dead,
              const int32_t *before, const uint64_t *planned, int32_t *list, int64_t *lost,
              int hw) {
    int32_t *emp = Wk->employer;
    int32_t m = j0;
    for (int32_t j = j0; j < j1; j++) {
        const int32_t e = emp[j];
        if (e < 0) continue;
        int32_t ne = e;
        if (remap) {
            ne = remap[e];
        } else if (dead) {
            const uint64_t d = dead[e >> 6], bit = UINT64_C(1) << (e & 63);
            ne = (d & bit) ? -1 : e - before[e >> 6] - bits_set(d & (bit - 1), hw);
        }
        if (ne < 0) { /* employer died: the worker is unemployed from this step */
            emp[j] = -1;
            Wk->unemp[j] = 0;
            (*lost)++;
            continue;
        }
        emp[j] = ne;
        if (planned && (planned[e >> 6] >> (e & 63) & 1)) list[m++] = j;
    }
    return m - j0;
}

/* The dead-bitmap combinations of remap_workers, bits counted with hw (bits_set). On x86-64
 * a second copy is built for processors with popcnt (nearly all since 2008) and chosen at run
 * time: the bit-parallel count took about two fifths of the samples of the compaction's pass
 * over every worker (perf annotate, late 1:1 steps). */
static inline __attribute__((always_inline)) int32_t
remap_dead(cs_workers *Wk, int32_t j0, int32_t j1, const uint64_t *dead, const int32_t *before,
           const uint64_t *planned, int32_t *list, int64_t *lost, int hw) {
    return planned ? remap_workers(Wk, j0, j1, NULL, dead, before, planned, list, lost, hw)
                   : remap_workers(Wk, j0, j1, NULL, dead, before, NULL, list, lost, hw);
}

static int popcnt_allowed = 1; /* cs_compact_allow_popcnt */

void cs_compact_allow_popcnt(int allow) {
    popcnt_allowed = allow != 0;
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("popcnt"))) static int32_t
remap_dead_popcnt(cs_workers *Wk, int32_t j0, int32_t j1, const uint64_t *dead,
                  const int32_t *before, const uint64_t *planned, int32_t *list, int64_t *lost) {
    return remap_dead(Wk, j0, j1, dead, before, planned, list, lost, 1);
}

static int have_popcnt(void) {
    return popcnt_allowed && __builtin_cpu_supports("popcnt");
}
#else
static int32_t remap_dead_popcnt(cs_workers *Wk, int32_t j0, int32_t j1, const uint64_t *dead,
                                 const int32_t *before, const uint64_t *planned, int32_t *list,
                                 int64_t *lost) {
    return remap_dead(Wk, j0, j1, dead, before, planned, list, lost, 0);
}

static int have_popcnt(void) {
    (void)popcnt_allowed; /* no second copy to allow */
    return 0;
}
#endif

void cs_firms_compact(cs_sim *sim) {
    cs_firms *F = &sim->firms;
    cs_buffers *b = sim->buf;
    const int32_t n = F->n;
    const size_t nwords = ((size_t)n + 63) / 64;
    /* this step's plan (exit.c): its firms move with the others, and their workers are
     * gathered in the pass over the workers below */
    uint8_t *const plan = b->has_plan && b->plan_step == sim->step ? b->f_plan : NULL;
    uint64_t *planned = NULL;
    int any_planned = 0;
    if (plan) {
        planned = b->plan_bits =
            cs_grow_only(b->plan_bits, &b->plan_bits_cap, nwords, sizeof *b->plan_bits);
#pragma omp parallel for schedule(guided) reduction(| : any_planned) if (n >= CS_PAR_MIN)
        for (size_t q = 0; q < nwords; q++) {
            const int32_t i1 = (int32_t)(q * 64 + 64 < (size_t)n ? q * 64 + 64 : (size_t)n);
            uint64_t x = 0;
            for (int32_t i = (int32_t)(q * 64); i < i1; i++)
                x |= (uint64_t)(F->alive[i] && plan[i]) << (i & 63);
            planned[q] = x;
            any_planned |= x != 0;
        }
        if (!any_planned) planned = NULL; /* nobody to gather: an empty list */
    }
    /* the dead as a bitmap (in the counting sorts' bitmap space), with the dead before each
     * word, and the runs of consecutive alive firms as (source, length, destination) */
    uint64_t *dead = cs_bitmap_space(b, nwords);
    const size_t max_runs = (size_t)n / 2 + 1; /* alive and dead alternating */
    /* with few firms, a table of each firm's new index (-1: dead) after the runs: one load a
     * worker in L1/L2 instead of the bitmap's word, count and bit arithmetic */
    const int table = (size_t)n * sizeof(int32_t) <= REMAP_TABLE_MAX;
    const size_t run_ints = max_runs * (sizeof(compact_run) / sizeof(int32_t));
    int32_t *before = compact_space(b, nwords + run_ints + (table ? (size_t)n : 0));
    compact_run *run = (compact_run *)(void *)(before + nwords);
    int32_t *remap = table ? before + nwords + run_ints : NULL;
    int32_t k = 0, nrun = 0;
    for (size_t q = 0; q < nwords; q++) {
        before[q] = (int32_t)(q * 64) - k;
        const int32_t i1 = (int32_t)(q * 64 + 64 < (size_t)n ? q * 64 + 64 : (size_t)n);
        uint64_t d = 0;
        for (int32_t i = (int32_t)(q * 64); i < i1; i++) {
            if (!F->alive[i]) {
                d |= UINT64_C(1) << (i & 63);
                if (remap) remap[i] = -1;
                continue;
            }
            if (remap) remap[i] = k;
            if (nrun > 0 && run[nrun - 1].src + run[nrun - 1].len == i)
                run[nrun - 1].len++;
            else
                run[nrun++] = (compact_run){i, 1, k};
            k++;
        }
        dead[q] = d;
    }
    if (plan) b->plan_n = k;
    b->cand_n = -1;
    if (k == n && !planned) {
        if (plan) b->cand_n = 0; /* nothing moves, nobody to gather */
        return;
    }
    if (k < n) {
        /* alive firms move down over the dead, in order, a run at a time; the arrays are
         * independent, so they are moved in parallel, one array per task */
        struct {
            void *p;
            size_t size;
        } arr[] = {{F->id, sizeof *F->id},         {F->parent, sizeof *F->parent},
                   {F->cell, sizeof *F->cell},     {F->sector, sizeof *F->sector},
                   {F->origin, sizeof *F->origin}, {F->birth, sizeof *F->birth},
                   {F->n_emp, sizeof *F->n_emp},   {F->empty, sizeof *F->empty},
                   {F->A, sizeof *F->A},           {F->H, sizeof *F->H},
                   {F->w, sizeof *F->w},           {F->cash, sizeof *F->cash},
                   {F->Y, sizeof *F->Y},           {F->phi, sizeof *F->phi},
                   {F->hstar, sizeof *F->hstar},   {F->vac, sizeof *F->vac},
                   {F->rho, sizeof *F->rho},       {F->credit, sizeof *F->credit},
                   {F->profit, sizeof *F->profit}, {F->pay, sizeof *F->pay},
                   {F->kept, sizeof *F->kept},     {plan, sizeof *plan}};
        const int narr = (int)(sizeof arr / sizeof arr[0]) - (plan ? 0 : 1);
#pragma omp parallel for schedule(dynamic, 1) if (n >= CS_PAR_MIN)
        for (int a = 0; a < narr; a++) {
            char *base = arr[a].p;
            const size_t sz = arr[a].size;
            for (int32_t r = 0; r < nrun; r++)
                if (run[r].src != run[r].dst)
                    memmove(base + (size_t)run[r].dst * sz, base + (size_t)run[r].src * sz,
                            (size_t)run[r].len * sz);
        }
        memset(F->alive, 1, (size_t)k);
        F->n = k;
    } else {
        remap = NULL; /* nobody died: employers stay, the pass only gathers */
        dead = NULL;
    }
    /* each worker's employer: dead, or its index less the dead before it, read from the
     * bitmap and its counts (a few hundred KB at 1:1, in cache; an int per firm is 6 MB);
     * the planned firms' workers gathered by chunks of workers, each at its own offset of
     * w_order, then closed up in chunk order: worker order for any number of chunks */
    cs_workers *Wk = &sim->workers;
    int32_t *list = b->w_order;
    int32_t kept[64];
    int nch = cs_counting_chunks(Wk->n);
    if (nch > 64) nch = 64; /* kept[] */
    int64_t lost = 0;
    const int hw = dead && have_popcnt();
#pragma omp parallel for schedule(static) num_threads(nch) reduction(+ : lost) if (nch > 1)
    for (int c = 0; c < nch; c++) {
        const int32_t j0 = (int32_t)cs_chunk_lo(Wk->n, c, nch),
                      j1 = (int32_t)cs_chunk_lo(Wk->n, c + 1, nch);
        int64_t l = 0;
        if (remap)
            kept[c] = planned ? remap_workers(Wk, j0, j1, remap, NULL, NULL, planned, list, &l, 0)
                              : remap_workers(Wk, j0, j1, remap, NULL, NULL, NULL, list, &l, 0);
        else if (hw)
            kept[c] = remap_dead_popcnt(Wk, j0, j1, dead, before, planned, list, &l);
        else if (dead)
            kept[c] = remap_dead(Wk, j0, j1, dead, before, planned, list, &l, 0);
        else
            kept[c] = remap_workers(Wk, j0, j1, NULL, NULL, NULL, planned, list, &l, 0);
        lost += l;
    }
    sim->cnt.job_losses += lost;
    if (plan) {
        int32_t m = 0;
        for (int c = 0; c < nch; c++) {
            const int32_t j0 = (int32_t)cs_chunk_lo(Wk->n, c, nch);
            if (planned && kept[c] > 0 && m != j0)
                memmove(list + m, list + j0, (size_t)kept[c] * sizeof *list);
            m += planned ? kept[c] : 0;
        }
        b->cand_n = m;
    }
}

/* Key ranges of number_wanted's parallel pass. */
#define WANT_RANGES 64

/* The firms with want[i] != 0 numbered in firm order: num[i] = how many wanted firms come before
 * i, stored as -1 - that count where i is not wanted; returns how many are wanted. */
static int32_t number_wanted(const int32_t *want, int32_t nf, int32_t *num) {
    int32_t base[WANT_RANGES + 1];
    const int nr = nf >= CS_PAR_MIN ? WANT_RANGES : 1;
#pragma omp parallel for schedule(static) if (nr > 1)
    for (int r = 0; r < nr; r++) {
        const int32_t i0 = (int32_t)((int64_t)nf * r / nr),
                      i1 = (int32_t)((int64_t)nf * (r + 1) / nr);
        int32_t t = 0;
        for (int32_t i = i0; i < i1; i++) t += want[i] != 0;
        base[r + 1] = t;
    }
    base[0] = 0;
    for (int r = 0; r < nr; r++) base[r + 1] += base[r];
#pragma omp parallel for schedule(static) if (nr > 1)
    for (int r = 0; r < nr; r++) {
        const int32_t i0 = (int32_t)((int64_t)nf * r / nr),
                      i1 = (int32_t)((int64_t)nf * (r + 1) / nr);
        int32_t k = base[r];
        for (int32_t i = i0; i < i1; i++) num[i] = want[i] ? k++ : -1 - k;
    }
    return base[nr];
}

void cs_workerindex_build_planned(cs_sim *sim, const int32_t *want) {
    cs_buffers *b = sim->buf;
    const cs_firms *F = &sim->firms;
    const int32_t nf = F->n, n = b->cand_n;
    if (!(b->has_plan && b->plan_step == sim->step && n >= 0)) {
        cs_workerindex_build_for(sim, want);
        return;
    }
    /* the gathered workers (a few percent of all) sorted by their employer now, the unwanted
     * skipped: positions in the list, in list order within a firm, so worker order, as the
     * pass over everyone lists them; then the positions turned into workers. The sort's keys
     * are the wanted firms numbered in firm order, not the firms themselves: its counts and
     * offsets then span the few wanted firms, not all of them (start holds the numbers
     * meanwhile: the wanted firms before i, as -1 - that number where i is not wanted) */
    int32_t *start = sim->wi.start;
    const int32_t nwant = number_wanted(want, nf, start);
    const int32_t *emp = sim->workers.employer, *list = b->w_order;
    int32_t *key = b->w_choice;
#pragma omp parallel for schedule(guided) if (n >= CS_PAR_MIN)
    for (int32_t m = 0; m < n; m++) {
        const int32_t e = emp[list[m]];
        key[m] = e >= 0 ? start[e] : -1; /* < 0: not sorted */
    }
    int32_t *wstart = b->f_count; /* [nwant + 1], free outside matching */
    cs_counting_sort_for(b, key, n, nwant, NULL, wstart, sim->wi.worker, NULL);
    /* back to firms: each firm's start is that of the first wanted firm from it on. The list
     * must hold every worker of every wanted firm: true when the counts are the headcounts,
     * which the phases keep exact from compaction to relocation */
    int short_ = 0;
#pragma omp parallel for schedule(guided) reduction(| : short_) if (nf >= CS_PAR_MIN)
    for (int32_t i = 0; i < nf; i++) {
        const int32_t r = start[i] >= 0 ? start[i] : -1 - start[i];
        if (start[i] >= 0) short_ |= wstart[r + 1] - wstart[r] != F->n_emp[i];
        start[i] = wstart[r];
    }
    start[nf] = wstart[nwant];
    if (short_) {
        b->plan_misses++; /* results stay right; only the time is lost */
        cs_workerindex_build_for(sim, want);
        return;
    }
    int32_t *out = sim->wi.worker;
    const int32_t nout = start[nf];
#pragma omp parallel for schedule(guided) if (nout >= CS_PAR_MIN)
    for (int32_t q = 0; q < nout; q++) out[q] = list[out[q]];
}

void cs_count_heads(const cs_sim *sim, int32_t *heads) {
    const cs_workers *Wk = &sim->workers;
    const int32_t nf = sim->firms.n;
    memset(heads, 0, (size_t)nf * sizeof *heads);
    for (int32_t j = 0; j < Wk->n; j++) {
        const int32_t e = Wk->employer[j];
        if (e >= 0 && e < nf) heads[e]++; /* states made by hand may point past the firms */
    }
}

void *cs_grow_only(void *p, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return p;
    free(p);
    *cap = cs_grow_cap(*cap, need);
    return cs_xcalloc(*cap, size);
}

int64_t *cs_firm_rows(cs_buffers *b, int nrows, size_t nf, size_t firm_cap) {
    if ((size_t)nrows * nf > b->firm_fix_cap) {
        /* rows as long as the firms' storage, so that new firms rarely reallocate them */
        free(b->firm_fix);
        b->firm_fix_cap = (firm_cap > nf ? firm_cap : nf) * (size_t)nrows;
        b->firm_fix = cs_xcalloc(b->firm_fix_cap, sizeof *b->firm_fix);
    }
    return b->firm_fix;
}

double *cs_scratch_doubles(cs_buffers *b, size_t n) {
    return b->scratch = cs_grow_only(b->scratch, &b->scratch_cap, n, sizeof *b->scratch);
}

void cs_workerindex_build_for(cs_sim *sim, const int32_t *want) {
    /* matching's choices are scratch outside matching: the wanted workers are gathered there */
    cs_counting_sort_for(sim->buf, sim->workers.employer, sim->workers.n, sim->firms.n, want,
                         sim->wi.start, sim->wi.worker, sim->buf->w_choice);
}
