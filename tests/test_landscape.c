/* test_landscape.c: the default UK landscape (landscape.c, MODEL.md section 8).
 * Set CS_LANDSCAPE_MAP=1 to print ASCII maps of the uk landscape at 100x160 and 50x80. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clustersim.h"
#include "landscape.h"

static const char *const sectors7[7] = {"digital",       "life_sciences", "advanced_manufacturing",
                                        "finance",       "creative",      "energy",
                                        "local_services"};

/* A zeroed sim with the landscape parameters at their config defaults. */
static cs_sim *make_sim(int W, int H, const char *kind) {
    cs_sim *sim = calloc(1, sizeof *sim);
    sim->par.grid.width = W, sim->par.grid.height = H;
    strcpy(sim->par.landscape.kind, kind);
    sim->par.landscape.city_sigma = 1.5;
    sim->par.landscape.rural_share = 0.15;
    sim->par.landscape.asset_bonus = 0.3;
    sim->par.landscape.asset_radius = 3;
    sim->par.landscape.amenity_city = 0.05;
    sim->par.sectors.n = 7;
    for (int s = 0; s < 7; s++) strcpy(sim->par.sectors.names[s], sectors7[s]);
    sim->S = 7;
    sim->par.universities.k = 1.0;
    return sim;
}

static cs_sim *build(int W, int H, const char *kind) {
    cs_sim *sim = make_sim(W, H, kind);
    cs_landscape_build(sim);
    return sim;
}

static void destroy(cs_sim *sim) {
    cs_landscape_free(&sim->land);
    free(sim);
}

static int city_cell(const cs_landscape *l, const char *name) {
    int i = cs_landscape_find_city(l, name);
    return i < 0 ? -1 : cs_cell(l, l->cities[i].x, l->cities[i].y);
}

static int region_id(const char *name) {
    for (int r = 0; r < CS_MAX_REGIONS; r++)
        if (strcmp(cs_region_names[r], name) == 0) return r;
    return -1;
}

static int sector_of(const char *name) {
    for (int s = 0; s < 7; s++)
        if (strcmp(sectors7[s], name) == 0) return s;
    return -1;
}

/* Sum of w over the (2R+1)^2 window around cell (x, y). */
static double window_sum(const cs_landscape *l, const double *w, int x, int y, int R) {
    double s = 0;
    for (int yy = y - R; yy <= y + R; yy++)
        for (int xx = x - R; xx <= x + R; xx++)
            if (xx >= 0 && yy >= 0 && xx < l->W && yy < l->H) s += w[yy * l->W + xx];
    return s;
}

static void test_region_names(void) {
    static const char *want[12] = {"London",
                                   "South East",
                                   "East of England",
                                   "South West",
                                   "West Midlands",
                                   "East Midlands",
                                   "Yorkshire and the Humber",
                                   "North West",
                                   "North East",
                                   "Wales",
                                   "Scotland",
                                   "Northern Ireland"};
    for (int r = 0; r < 12; r++) CHECK(strcmp(cs_region_names[r], want[r]) == 0);
    cs_sim *sim = build(100, 160, "uk");
    CHECK(sim->land.n_regions == 12);
    for (int r = 0; r < 12; r++) CHECK(strcmp(sim->land.region_names[r], want[r]) == 0);
    /* Every region has land, and region ids are -1 exactly on sea. */
    int count[12] = {0};
    for (int c = 0; c < sim->land.ncell; c++) {
        int r = sim->land.region[c];
        CHECK_MSG(sim->land.land[c] ? (r >= 0 && r < 12) : r == -1, "cell %d region %d", c, r);
        if (r >= 0 && r < 12) count[r]++;
    }
    for (int r = 0; r < 12; r++) CHECK_MSG(count[r] > 0, "region %s has no cell", want[r]);
    /* Rough areas: Scotland is the largest region, London the smallest. */
    for (int r = 0; r < 12; r++) {
        if (r != 10)
            CHECK_MSG(count[10] > count[r], "Scotland %d vs %s %d", count[10], want[r], count[r]);
        if (r != 0)
            CHECK_MSG(count[0] < count[r], "London %d vs %s %d", count[0], want[r], count[r]);
    }
    destroy(sim);
}

static void test_tables(void) {
    CHECK(cs_city_count() >= 30 && cs_city_count() <= 64);
    CHECK(cs_university_count() >= 40 && cs_university_count() <= 256);
    for (int i = 0; i < cs_city_count(); i++) {
        const cs_city_row *c = cs_city_row_at(i);
        /* Not just in the grid: inside the coastline itself, and in the right region. */
        CHECK_MSG(cs_landscape_on_land(c->lon, c->lat), "%s off the outline", c->name);
        CHECK_MSG(cs_landscape_region_at(c->lon, c->lat) == c->region, "%s in %s, not %s", c->name,
                  cs_region_names[cs_landscape_region_at(c->lon, c->lat)],
                  cs_region_names[c->region]);
        CHECK(c->pop > 0 && c->pop < 10);
        CHECK(cs_city_index(c->name) == i);
    }
    for (int u = 0; u < cs_university_count(); u++) {
        const cs_univ_row *r = cs_university_row(u);
        double s = 0;
        for (int t = 0; t < CS_LANDSCAPE_NSECT; t++) {
            CHECK(r->sigma[t] >= 0);
            s += r->sigma[t];
        }
        CHECK_MSG(fabs(s - 1) < 1e-9, "%s sigma sums to %g", r->name, s);
        CHECK_MSG(r->sigma[6] <= 0.02, "%s local_services %g", r->name, r->sigma[6]);
        CHECK(r->q0 > 0 && r->q0 <= 1 && r->g > 0);
        CHECK_MSG(cs_city_index(r->city) >= 0, "%s at unknown city %s", r->name, r->city);
        CHECK(cs_university_index(r->name) == u);
    }
    CHECK(cs_university_index("Nowhere") == -1);
    CHECK(cs_university_index("cambridge") == -1); /* exact names only */
    CHECK(cs_university_index(NULL) == -1);
    CHECK(cs_city_row_at(-1) == NULL && cs_university_row(cs_university_count()) == NULL);
}

static void test_cities_and_universities_in_place(void) {
    static const struct {
        const char *city, *region;
    } want[] = {{"London", "London"},
                {"Glasgow", "Scotland"},
                {"Edinburgh", "Scotland"},
                {"Aberdeen", "Scotland"},
                {"Cardiff", "Wales"},
                {"Swansea", "Wales"},
                {"Belfast", "Northern Ireland"},
                {"Derry", "Northern Ireland"},
                {"Cambridge", "East of England"},
                {"Norwich", "East of England"},
                {"Manchester", "North West"},
                {"Liverpool", "North West"},
                {"Birmingham", "West Midlands"},
                {"Leeds", "Yorkshire and the Humber"},
                {"Sheffield", "Yorkshire and the Humber"},
                {"Newcastle", "North East"},
                {"Bristol", "South West"},
                {"Plymouth", "South West"},
                {"Oxford", "South East"},
                {"Brighton", "South East"},
                {"Nottingham", "East Midlands"},
                {"Leicester", "East Midlands"}};
    int sizes[][2] = {{100, 160}, {50, 80}, {20, 20}, {160, 100}, {137, 211}};
    for (size_t g = 0; g < sizeof sizes / sizeof sizes[0]; g++) {
        cs_sim *sim = build(sizes[g][0], sizes[g][1], "uk");
        const cs_landscape *l = &sim->land;
        CHECK(l->n_cities == cs_city_count());
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            int c = city_cell(l, want[i].city);
            CHECK_MSG(c >= 0 && l->region[c] == region_id(want[i].region), "%dx%d %s", l->W, l->H,
                      want[i].city);
        }
        for (int i = 0; i < l->n_cities; i++) {
            const cs_city *cc = &l->cities[i];
            CHECK(cc->x >= 0 && cc->x < l->W && cc->y >= 0 && cc->y < l->H);
            int c = cs_cell(l, cc->x, cc->y);
            CHECK_MSG(l->land[c], "%dx%d %s on sea", l->W, l->H, cc->name);
            CHECK(cc->pop == cs_city_row_at(cs_city_index(cc->name))->pop);
            /* Where cities share a cell (coarse grids), the largest sets the region. */
            int largest = 1;
            for (int j = 0; j < l->n_cities; j++)
                if (j != i && cs_cell(l, l->cities[j].x, l->cities[j].y) == c &&
                    l->cities[j].pop > cc->pop)
                    largest = 0;
            if (largest) CHECK_MSG(l->region[c] == cc->region, "%dx%d %s", l->W, l->H, cc->name);
        }
        CHECK(l->n_univ == cs_university_count());
        for (int u = 0; u < l->n_univ; u++) {
            const cs_university *un = &l->univ[u];
            int ci = cs_landscape_find_city(l, un->city);
            CHECK_MSG(ci >= 0, "%s", un->name);
            if (ci < 0) continue;
            CHECK(un->x == l->cities[ci].x && un->y == l->cities[ci].y);
            CHECK(un->cell == cs_cell(l, un->x, un->y) && l->land[un->cell]);
        }
        destroy(sim);
    }
}

static void test_relative_positions(void) {
    cs_sim *sim = build(100, 160, "uk");
    const cs_landscape *l = &sim->land;
#define C(n) (&l->cities[cs_landscape_find_city(l, n)])
    CHECK(C("London")->x > C("Birmingham")->x && C("London")->y > C("Birmingham")->y);
    CHECK(C("Glasgow")->x < C("Edinburgh")->x);
    CHECK(C("Aberdeen")->y < C("Edinburgh")->y);
    CHECK(C("Belfast")->x < C("Glasgow")->x);
    CHECK(C("Cardiff")->x < C("Bristol")->x);
    CHECK(C("Norwich")->x > C("Cambridge")->x);
    CHECK(C("Inverness")->y < C("Aberdeen")->y && C("Inverness")->x < C("Aberdeen")->x);
    CHECK(C("Plymouth")->y > C("Bristol")->y);
    CHECK(C("Newcastle")->y < C("Leeds")->y && C("Leeds")->y < C("Birmingham")->y);
    /* Scale: London-Edinburgh is about 530 km, i.e. about 75 cells of about 7 km. */
    double dx = C("London")->x - C("Edinburgh")->x, dy = C("London")->y - C("Edinburgh")->y;
    double d = sqrt(dx * dx + dy * dy);
    CHECK_MSG(d > 65 && d < 85, "London-Edinburgh %g cells", d);
    /* London and Land's End-ish Cornwall fit: the country fills most of the grid height. */
    int ymin = l->H, ymax = -1, xmin = l->W, xmax = -1;
    for (int c = 0; c < l->ncell; c++)
        if (l->land[c]) {
            int x = c % l->W, y = c / l->W;
            ymin = y < ymin ? y : ymin, ymax = y > ymax ? y : ymax;
            xmin = x < xmin ? x : xmin, xmax = x > xmax ? x : xmax;
        }
    CHECK_MSG(ymax - ymin > 0.85 * l->H && xmax - xmin > 0.85 * l->W, "land box %d..%d x %d..%d",
              xmin, xmax, ymin, ymax);
#undef C
    destroy(sim);
}

static void test_pop_weight(void) {
    cs_sim *sim = build(100, 160, "uk");
    const cs_landscape *l = &sim->land;
    double sum = 0, floor_w = 1;
    int nland = 0;
    for (int c = 0; c < l->ncell; c++) {
        CHECK(l->pop_weight[c] >= 0);
        if (!l->land[c]) CHECK(l->pop_weight[c] == 0);
        nland += l->land[c];
        sum += l->pop_weight[c];
        if (l->land[c] && l->pop_weight[c] < floor_w) floor_w = l->pop_weight[c];
    }
    CHECK_CLOSE(sum, 1.0, 1e-12);
    /* The rural share puts a floor under every land cell. */
    CHECK(floor_w >= 0.15 / nland * (1 - 1e-9));
    /* London holds the densest agglomeration window (Rk = 2, MODEL.md 3). With a spread of
     * sd ~ sqrt(pop), every city's own cell has about the same peak density, so the single
     * densest cell is not London's (see docs/landscape.md); the window is what the model reads. */
    int lc = city_cell(l, "London"), lx = lc % l->W, ly = lc / l->W;
    double lw = window_sum(l, l->pop_weight, lx, ly, 2);
    for (int y = 0; y < l->H; y++)
        for (int x = 0; x < l->W; x++)
            if (abs(x - lx) > 2 || abs(y - ly) > 2)
                CHECK_MSG(window_sum(l, l->pop_weight, x, y, 2) < lw, "(%d,%d) beats London", x, y);
    /* London's cell beats every other city's cell except those squeezed against the coast. */
    double lcw = l->pop_weight[lc];
    CHECK(lcw > l->pop_weight[city_cell(l, "Cambridge")]);
    CHECK(lcw > l->pop_weight[city_cell(l, "Oxford")]);
    CHECK(lcw > l->pop_weight[city_cell(l, "York")]);
    /* At city_sigma 1.5 London spills over into the South East; see test_regional_shares. */
    double lon_share = 0;
    for (int c = 0; c < l->ncell; c++)
        if (l->region[c] == region_id("London")) lon_share += l->pop_weight[c];
    CHECK_MSG(lon_share > 0.05 && lon_share < 0.30, "London region share %g", lon_share);
    /* A city's cell is denser than empty countryside. */
    for (int i = 0; i < l->n_cities; i++)
        CHECK(l->pop_weight[cs_cell(l, l->cities[i].x, l->cities[i].y)] > 2 * floor_w);
    /* A larger city spread: more people within 5 cells of London when city_sigma is small. */
    cs_sim *tight = make_sim(100, 160, "uk");
    tight->par.landscape.city_sigma = 0.5;
    cs_landscape_build(tight);
    CHECK(window_sum(&tight->land, tight->land.pop_weight, lx, ly, 5) >
          window_sum(l, l->pop_weight, lx, ly, 5));
    destroy(tight);
    destroy(sim);
}

/* With city_sigma = 1 the regions hold their real shares of the UK population (ONS mid-2021:
 * London 13.1%, South East 13.8%, ..., Northern Ireland 2.8%) to within 3 points each. */
static void test_regional_shares(void) {
    static const double real[12] = {.131, .138, .095, .085, .089, .073,
                                    .082, .111, .040, .046, .082, .028};
    cs_sim *sim = make_sim(100, 160, "uk");
    sim->par.landscape.city_sigma = 1.0;
    cs_landscape_build(sim);
    double share[12] = {0};
    for (int c = 0; c < sim->land.ncell; c++)
        if (sim->land.land[c]) share[sim->land.region[c]] += sim->land.pop_weight[c];
    for (int r = 0; r < 12; r++)
        CHECK_MSG(fabs(share[r] - real[r]) < 0.03, "%s holds %.3f, really %.3f", cs_region_names[r],
                  share[r], real[r]);
    destroy(sim);
}

static void test_centres_and_amenity(void) {
    cs_sim *sim = build(100, 160, "uk");
    const cs_landscape *l = &sim->land;
    int lc = city_cell(l, "London");
    CHECK(l->centre[lc] && l->centre[lc + 1] && l->centre[lc - 1] && l->centre[lc + l->W] &&
          l->centre[lc - l->W]);
    CHECK(!l->centre[lc + 2] && !l->centre[lc + l->W + 1]);
    int cc = city_cell(l, "Cambridge"); /* small: its cell only */
    CHECK(l->centre[cc] && !l->centre[cc + 1] && !l->centre[cc - 1]);
    int ncentre = 0;
    for (int c = 0; c < l->ncell; c++) {
        if (l->centre[c]) {
            ncentre++;
            CHECK(l->land[c]);
        }
        CHECK(l->amenity[c] == (l->centre[c] ? 0.05 : 0.0));
        CHECK(l->K[c] == 0 && l->Kh[c] == 0 && l->reach[c] == 0);
    }
    for (int i = 0; i < l->n_cities; i++)
        CHECK(l->centre[cs_cell(l, l->cities[i].x, l->cities[i].y)]);
    CHECK(ncentre >= l->n_cities && ncentre < l->n_cities + 4 * 15);
    destroy(sim);
}

static int argmax(const cs_university *u, int S) {
    int best = 0;
    for (int k = 1; k < S; k++)
        if (u->sigma[k] > u->sigma[best]) best = k;
    return best;
}

static void test_universities(void) {
    cs_sim *sim = build(100, 160, "uk");
    const cs_landscape *l = &sim->land;
    int dig = sector_of("digital"), life = sector_of("life_sciences");
    int mfg = sector_of("advanced_manufacturing"), fin = sector_of("finance");
    int ene = sector_of("energy"), ls = sector_of("local_services");
    for (int u = 0; u < l->n_univ; u++) {
        const cs_university *un = &l->univ[u];
        double s = 0;
        for (int k = 0; k < sim->S; k++) s += un->sigma[k];
        CHECK_CLOSE(s, 1.0, 1e-12);
        CHECK(un->q == un->q0 && un->k == 1.0 && un->funding == 0 && un->k_uplift == 0);
        CHECK(cs_university_index(un->name) == u);
        CHECK(un->sigma[ls] <= 0.02);
    }
#define U(n) (&l->univ[cs_university_index(n)])
    /* Cambridge and Oxford: the best, and strongest in life sciences and digital. */
    for (int u = 0; u < l->n_univ; u++) CHECK(U("Cambridge")->q0 >= l->univ[u].q0);
    CHECK(U("Oxford")->q0 == 1.0);
    for (int k = 0; k < sim->S; k++)
        if (k != dig && k != life)
            CHECK(U("Cambridge")->sigma[k] < U("Cambridge")->sigma[dig] &&
                  U("Cambridge")->sigma[k] < U("Cambridge")->sigma[life] &&
                  U("Oxford")->sigma[k] < U("Oxford")->sigma[life]);
    CHECK(argmax(U("LSE"), sim->S) == fin);
    CHECK(argmax(U("Heriot-Watt"), sim->S) == ene);
    CHECK(U("Aberdeen")->sigma[ene] >= 0.25);
    CHECK(argmax(U("Loughborough"), sim->S) == mfg);
    CHECK(argmax(U("Sheffield"), sim->S) == mfg);
    CHECK(argmax(U("Warwick"), sim->S) == mfg);
    CHECK(argmax(U("UAL"), sim->S) == sector_of("creative"));
    CHECK(U("Imperial")->sigma[mfg] > 0.15 && U("Imperial")->q0 > U("Manchester")->q0);
    CHECK(strcmp(U("Warwick")->city, "Coventry") == 0);
    CHECK(strcmp(U("Queen's Belfast")->city, "Belfast") == 0);
#undef U
    /* Best university by knowledge strength q0 x sigma in each sector, for the report. */
    if (getenv("CS_LANDSCAPE_MAP")) {
        for (int k = 0; k < sim->S; k++) {
            int best = 0;
            for (int u = 1; u < l->n_univ; u++)
                if (l->univ[u].q0 * l->univ[u].sigma[k] > l->univ[best].q0 * l->univ[best].sigma[k])
                    best = u;
            printf("best in %s: %s (%.3f)\n", sectors7[k], l->univ[best].name,
                   l->univ[best].q0 * l->univ[best].sigma[k]);
        }
    }
    destroy(sim);
}

static void test_sector_mapping(void) {
    /* Configured sectors are matched by name; one not in the table gets 0; renormalised. */
    cs_sim *sim = make_sim(100, 160, "uk");
    sim->S = sim->par.sectors.n = 3;
    strcpy(sim->par.sectors.names[0], "energy");
    strcpy(sim->par.sectors.names[1], "digital");
    strcpy(sim->par.sectors.names[2], "biotech");
    cs_landscape_build(sim);
    const cs_univ_row *hw = cs_university_row(cs_university_index("Heriot-Watt"));
    const cs_university *u = &sim->land.univ[cs_university_index("Heriot-Watt")];
    double tot = hw->sigma[5] + hw->sigma[0];
    CHECK_CLOSE(u->sigma[0], hw->sigma[5] / tot, 1e-12);
    CHECK_CLOSE(u->sigma[1], hw->sigma[0] / tot, 1e-12);
    CHECK(u->sigma[2] == 0);
    /* The asset follows the energy sector to its configured index. */
    int ab = city_cell(&sim->land, "Aberdeen");
    CHECK(sim->land.asset[ab] == 0.3 && sim->land.asset[sim->land.ncell + ab] == 0);
    destroy(sim);

    /* No configured sector in the table: uniform strengths; no energy: no asset. */
    sim = make_sim(60, 96, "uk");
    sim->S = sim->par.sectors.n = 2;
    strcpy(sim->par.sectors.names[0], "widgets");
    strcpy(sim->par.sectors.names[1], "gadgets");
    cs_landscape_build(sim);
    for (int k = 0; k < sim->land.n_univ; k++)
        CHECK(sim->land.univ[k].sigma[0] == 0.5 && sim->land.univ[k].sigma[1] == 0.5);
    for (int c = 0; c < 2 * sim->land.ncell; c++) CHECK(sim->land.asset[c] == 0);
    destroy(sim);
}

static void test_energy_asset(void) {
    cs_sim *sim = build(100, 160, "uk");
    const cs_landscape *l = &sim->land;
    int e = sector_of("energy"), ab = city_cell(l, "Aberdeen"), ax = ab % l->W, ay = ab / l->W;
    const double *a = l->asset + (size_t)e * l->ncell;
    CHECK_CLOSE(a[ab], 0.3, 1e-15);
    CHECK(a[city_cell(l, "London")] == 0);
    CHECK(a[city_cell(l, "Edinburgh")] == 0);
    int nonzero = 0;
    for (int c = 0; c < l->ncell; c++) {
        int x = c % l->W, y = c / l->W;
        double d = sqrt((double)(x - ax) * (x - ax) + (double)(y - ay) * (y - ay));
        if (a[c] != 0) nonzero++;
        if (l->land[c] && d < 3)
            CHECK_CLOSE(a[c], 0.3 * (1 - d / 3), 1e-12);
        else
            CHECK(a[c] == 0);
    }
    CHECK(nonzero >= 5 && nonzero <= 29);
    for (int s = 0; s < sim->S; s++)
        if (s != e)
            for (int c = 0; c < l->ncell; c++) CHECK(l->asset[(size_t)s * l->ncell + c] == 0);
    destroy(sim);
}

static void test_uniform_and_empty(void) {
    cs_sim *uk = build(100, 160, "uk");
    const char *kinds[2] = {"uniform", "empty"};
    for (int k = 0; k < 2; k++) {
        cs_sim *sim = build(100, 160, kinds[k]);
        const cs_landscape *l = &sim->land;
        int nland = 0;
        double sum = 0, w = -1;
        for (int c = 0; c < l->ncell; c++) {
            CHECK(l->land[c] == uk->land.land[c] && l->region[c] == uk->land.region[c]);
            CHECK(l->centre[c] == 0 && l->amenity[c] == 0);
            if (l->land[c]) {
                nland++;
                if (w < 0) w = l->pop_weight[c];
                CHECK(l->pop_weight[c] == w);
            } else {
                CHECK(l->pop_weight[c] == 0);
            }
            sum += l->pop_weight[c];
        }
        CHECK_CLOSE(w, 1.0 / nland, 1e-18);
        CHECK_CLOSE(sum, 1.0, 1e-9);
        int e = sector_of("energy"), ab = city_cell(&uk->land, "Aberdeen");
        CHECK(l->asset[(size_t)e * l->ncell + ab] == 0.3);
        if (k == 0) {
            CHECK(l->n_cities == uk->land.n_cities && l->n_univ == uk->land.n_univ);
            CHECK(strcmp(l->univ[0].name, uk->land.univ[0].name) == 0);
            CHECK(l->univ[0].cell == uk->land.univ[0].cell);
        } else {
            CHECK(l->n_cities == 0 && l->n_univ == 0);
        }
        destroy(sim);
    }
    destroy(uk);
}

static void test_land_share_and_edges(void) {
    int sizes[][2] = {{100, 160}, {50, 80}, {20, 20}, {300, 480}};
    for (size_t g = 0; g < sizeof sizes / sizeof sizes[0]; g++) {
        cs_sim *sim = build(sizes[g][0], sizes[g][1], "uk");
        const cs_landscape *l = &sim->land;
        CHECK(l->W == sizes[g][0] && l->H == sizes[g][1] && l->ncell == l->W * l->H);
        int nland = 0, edge_land = 0;
        for (int y = 0; y < l->H; y++)
            for (int x = 0; x < l->W; x++) {
                int c = cs_cell(l, x, y);
                nland += l->land[c];
                if (x == 0 || y == 0 || x == l->W - 1 || y == l->H - 1) edge_land += l->land[c];
            }
        double share = (double)nland / l->ncell;
        CHECK_MSG(share > 0.25 && share < 0.60, "%dx%d land share %g", l->W, l->H, share);
        CHECK_MSG(edge_land == 0, "%dx%d: %d land cells on the edge", l->W, l->H, edge_land);
        double sum = 0;
        for (int c = 0; c < l->ncell; c++) sum += l->pop_weight[c];
        CHECK_CLOSE(sum, 1.0, 1e-9);
        destroy(sim);
    }
    /* Sea between Northern Ireland and Scotland, and Lough Neagh is water. */
    CHECK(!cs_landscape_on_land(-5.4, 54.9));
    CHECK(!cs_landscape_on_land(-6.45, 54.6));
    CHECK(!cs_landscape_on_land(-1.0, 50.3));  /* the Channel */
    CHECK(!cs_landscape_on_land(-7.5, 53.5));  /* the Republic of Ireland is not modelled */
    CHECK(!cs_landscape_on_land(-4.5, 54.25)); /* the Isle of Man is not in the UK */
    CHECK(cs_landscape_on_land(-3.9, 57.0));   /* the Cairngorms */
    CHECK(cs_landscape_on_land(-4.3, 53.27));  /* Anglesey */
    CHECK(cs_landscape_on_land(-1.3, 50.67));  /* Isle of Wight */
}

/* The config check's land rows (cs_landscape_land_row) are the build's land mask, city cells
 * on coastal outlines included, for every kind and grid (a one-cell policy area on such a city
 * was refused as "all at sea" while the run had land there). */
static void test_land_rows_match_the_build(void) {
    int sizes[][2] = {{100, 160}, {50, 80}, {20, 20}, {300, 480}};
    const char *kinds[3] = {"uk", "uniform", "empty"};
    for (size_t g = 0; g < sizeof sizes / sizeof sizes[0]; g++)
        for (int k = 0; k < 3; k++) {
            cs_sim *sim = build(sizes[g][0], sizes[g][1], kinds[k]);
            const cs_landscape *l = &sim->land;
            uint8_t *row = malloc((size_t)l->W);
            int bad = 0;
            for (int y = 0; y < l->H; y++) {
                cs_landscape_land_row(l->W, l->H, y, row);
                for (int x = 0; x < l->W; x++) bad += row[x] != l->land[cs_cell(l, x, y)];
            }
            CHECK_MSG(bad == 0, "%s %dx%d: %d cells differ", kinds[k], l->W, l->H, bad);
            free(row);
            destroy(sim);
        }
}

static void test_deterministic(void) {
    cs_sim *a = build(100, 160, "uk"), *b = build(100, 160, "uk");
    size_t n = (size_t)a->land.ncell;
    CHECK(memcmp(a->land.pop_weight, b->land.pop_weight, n * sizeof(double)) == 0);
    CHECK(memcmp(a->land.region, b->land.region, n * sizeof(int16_t)) == 0);
    CHECK(memcmp(a->land.asset, b->land.asset, 7 * n * sizeof(double)) == 0);
    cs_landscape_free(&a->land);
    CHECK(a->land.pop_weight == NULL && a->land.asset == NULL);
    cs_landscape_free(&a->land); /* twice is harmless */
    destroy(a);
    destroy(b);
}

int main(void) {
    if (getenv("CS_LANDSCAPE_MAP")) {
        cs_sim *sim = build(100, 160, "uk");
        cs_landscape_print_map(&sim->land, stdout);
        destroy(sim);
        sim = build(50, 80, "uk");
        cs_landscape_print_map(&sim->land, stdout);
        destroy(sim);
    }
    RUN(test_region_names);
    RUN(test_tables);
    RUN(test_cities_and_universities_in_place);
    RUN(test_relative_positions);
    RUN(test_pop_weight);
    RUN(test_regional_shares);
    RUN(test_centres_and_amenity);
    RUN(test_universities);
    RUN(test_sector_mapping);
    RUN(test_energy_asset);
    RUN(test_uniform_and_empty);
    RUN(test_land_share_and_edges);
    RUN(test_land_rows_match_the_build);
    RUN(test_deterministic);
    return CHECK_DONE();
}
