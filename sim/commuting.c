/* commuting.c: who can commute where (MODEL.md 3 and 4.8): within the commuting radius Rc
 * plus the extra reach density funding gives a home's cell, or across an open transport link
 * (living within its radius of one end, working within it of the other). Matching, firm
 * relocation (who would follow a move) and residence (where to live for a job) all ask. */
#include <math.h>

#include "internal.h"

/* The shortest commute from home to cell c across an open link: d(home, one end) + d(other
 * end, c), home and c each within the link's radius of their end; INFINITY if there is none. */
static double link_route(const cs_sim *sim, int32_t home, int32_t c) {
    const cs_landscape *l = &sim->land;
    double d = INFINITY;
    for (int m = 0; m < sim->n_links; m++) {
        const cs_link *lk = &sim->links[m];
        if (!lk->open) continue;
        const int32_t end[2] = {lk->ay * l->W + lk->ax, lk->by * l->W + lk->bx};
        for (int k = 0; k < 2; k++) {
            const double dh = cs_dist(l, home, end[k]), dj = cs_dist(l, c, end[1 - k]);
            if (dh <= lk->radius && dj <= lk->radius && dh + dj < d) d = dh + dj;
        }
    }
    return d;
}

int cs_commutable(const cs_sim *sim, int32_t home, int32_t c) {
    const cs_landscape *l = &sim->land;
    if (cs_dist(l, home, c) <= sim->par.labour.rc + l->reach[home]) return 1;
    /* across a built link, as the search below: living near one end, jobs near the other */
    return sim->n_links > 0 && link_route(sim, home, c) < INFINITY;
}

double cs_commute_dist(const cs_sim *sim, int32_t home, int32_t c) {
    const double d = cs_dist(&sim->land, home, c);
    if (sim->n_links == 0) return d;
    const double r = link_route(sim, home, c);
    return r < d ? r : d;
}
