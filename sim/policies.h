/* policies.h: the policy levers of MODEL.md section 6, as hooks called from the phases.
 * Every hook is cheap when no policy of its type is active. Spending is booked per policy per
 * step into sim->cnt.spending[p] (model pounds, simulated units; metrics divide by scale). */
#ifndef CS_POLICIES_H
#define CS_POLICIES_H

#include "clustersim.h"

void cs_policies_init(cs_sim *sim); /* at init: area masks, ledgers */
/* Warns on stderr, naming the scenario file path, of policies that add up to more than a
 * whole: tax zones past the whole tax or rent, R&D credits past their cap. After init. */
void cs_policies_warn_stacking(const cs_sim *sim, const char *path);
void cs_policies_free(cs_sim *sim);
/* Start of a step: which policies are on; density funding turns into capacity, amenity and
 * reach after its lag; transport links open; university funding and uplifts are set. */
void cs_policies_begin_step(cs_sim *sim);
/* Phase 2: R&D credit rate of every firm into firms.credit. */
void cs_policies_rd_credit(cs_sim *sim);
/* Phase 4, after output, wages and pre-tax profit (firms.profit): all support a firm receives
 * this step into firms.pay, pro rata within each budget; firm_subsidy sets firms.kept. */
void cs_policies_firm_support(cs_sim *sim);
/* Phase 7: support per step firm i would expect at cell c from announced policies, valued by
 * credibility and remaining duration over the planning horizon. */
double cs_policies_location_value(const cs_sim *sim, int32_t i, int32_t c);
/* Phase 6: support per job and step a firm of sector s founded at cell c now would expect from
 * announced zone policies, valued like cs_policies_location_value. */
double cs_policies_entry_value(const cs_sim *sim, int32_t c, int s);
/* Whether any zone policy (location_subsidy, tax_zone, startup_space) is configured: without
 * one, cs_policies_entry_value is 0 everywhere. */
int cs_policies_have_zones(const cs_sim *sim);
/* Phase 7: one candidate cell per announced zone firm i is eligible for; returns the count. */
int cs_policies_zone_cells(const cs_sim *sim, int32_t i, int32_t *cells, int max);
/* Phase 10: skills programmes. */
void cs_policies_skills(cs_sim *sim);
/* Phase 12 reads univ[].funding set at begin_step; nothing else needed. */

/* For tests and tools: whether policy p pays at step (start/end, stop-go), whether firms
 * already see it (from start - t_plan), and its area mask over cells. */
int cs_policy_active(const cs_policy *p, int step);
/* The step a transport link opens: start + ceil(build_steps / f), f the share of each step's
 * work its budget pays (docs/policies.md); INT_MAX when it never can. The run (policies.c) and
 * the config warnings (cli.c) both ask this. */
int cs_link_opens(const cs_policy *p, double scale);
/* The model firms a firm_subsidy chooses: llround(count x scale), at least 1; and the most
 * trainees a skills_programme's budget pays in a step: whole ones, floor(budget x scale /
 * cost) (no cap: a negative value). The run and the config warnings both ask these. */
int32_t cs_firm_subsidy_firms(const cs_policy *p, double scale);
double cs_skills_budget_trainees(const cs_policy *p, double scale);
int cs_policy_announced(const cs_policy *p, int step, int t_plan);
const uint8_t *cs_policies_area(const cs_sim *sim, int q);

/* Checkpoints (checkpoint.c): fn is called on every piece of policy state that carries from one
 * step to the next, in a fixed order, to write it or to read it back in place (n elements of
 * elem_size bytes each; sizes are fixed at init by the config). Returns the first nonzero
 * result of fn, else 0. */
typedef int (*cs_state_fn)(void *ctx, const char *name, size_t elem_size, void *data, size_t n);
int cs_policies_state(cs_sim *sim, cs_state_fn fn, void *ctx);

#endif
