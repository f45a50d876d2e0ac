/* universities.c: phase 12. Funding raises quality, which decays back towards its baseline. */
#include "internal.h"

void cs_universities(cs_sim *sim) {
    const cs_params *p = &sim->par;
    for (int u = 0; u < sim->land.n_univ; u++) {
        cs_university *un = &sim->land.univ[u];
        un->q += p->universities.phi_q * un->funding - p->universities.delta_q * (un->q - un->q0);
    }
}
