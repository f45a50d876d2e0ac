/* policies.c: the policy levers of MODEL.md section 6 (see policies.h). This first version
 * carries the hooks with no policy types acting yet: every hook is a no-op, which is exactly
 * right for scenarios without policies. */
#include "policies.h"

void cs_policies_init(cs_sim *sim) {
    (void)sim;
}
void cs_policies_free(cs_sim *sim) {
    (void)sim;
}
void cs_policies_begin_step(cs_sim *sim) {
    (void)sim;
}
void cs_policies_rd_credit(cs_sim *sim) {
    for (int32_t i = 0; i < sim->firms.n; i++) sim->firms.credit[i] = 0;
}
void cs_policies_firm_support(cs_sim *sim) {
    (void)sim;
}
double cs_policies_location_value(const cs_sim *sim, int32_t i, int32_t c) {
    (void)sim, (void)i, (void)c;
    return 0;
}
int cs_policies_zone_cells(const cs_sim *sim, int32_t i, int32_t *cells, int max) {
    (void)sim, (void)i, (void)cells, (void)max;
    return 0;
}
void cs_policies_skills(cs_sim *sim) {
    (void)sim;
}
