/* fields.h: the fields of MODEL.md section 3 (phase 1 of a step), stored in sim->f.
 * cs_fields_compute itself is declared in clustersim.h. */
#ifndef CS_FIELDS_H
#define CS_FIELDS_H

#include <stddef.h>

#include "clustersim.h"

/* Local-services price cap: p_ls in [1/CS_P_LS_CAP, CS_P_LS_CAP]; the cap where <J_ls> = 0. */
#define CS_P_LS_CAP 3.0

/* Allocates (zeroed) every array of sim->f for sim->land.W x sim->land.H cells and sim->S
 * sectors. Exits with status 1 and a message if memory runs out. */
void cs_fields_alloc(cs_sim *sim);
/* Frees what cs_fields_alloc allocated; the pointers become NULL. Safe to call twice. */
void cs_fields_free(cs_sim *sim);
/* Recomputes wbar alone from the firms' current wages, every other input as the last
 * cs_fields_compute left it (the start's wage fixed point iterates it). With again, the
 * window of the skill sums is the one the previous call left in the fields' scratch (nothing
 * else may have used the scratch since): only the wages changed. */
void cs_fields_wbar(cs_sim *sim, int again);
/* The firm grids (E_s, AE_s, A_s, C_s, E, J, J_ls, wage_sum, skill_sum) were overwritten from
 * outside (a checkpoint): the next cs_fields_compute clears them whole instead of only at the cells
 * that held firms at its last call. */
void cs_fields_forget(cs_sim *sim);
/* The local frontier Abar_s(c) of the last cs_fields_compute: Abar_s[s][c], or, when the fields
 * left it unset (abar_lazy), the same value computed at (s, c). Safe in parallel regions. */
double cs_fields_abar(const cs_sim *sim, int s, int32_t c);
/* What a startup of sector s at cell c draws its productivity around (firms.entry_reference):
 * the local frontier, cs_fields_abar, or the unweighted mean A of the sector's alive firms in
 * the Rk window (the national mean where it has none). Safe in parallel regions. */
double cs_fields_entry_reference(const cs_sim *sim, int s, int32_t c);

#endif
