/* landscape.h: the built-in UK geography behind cs_landscape_build (landscape.c).
 *
 * Positions are real longitude/latitude, projected equirectangularly (x scaled by cos 54.5 deg)
 * onto a 100 x 160 base grid (y = 0 north) and then stretched by W/100 and H/160, so any grid
 * keeps the whole country inside it. See docs/landscape.md. */
#ifndef CS_LANDSCAPE_H
#define CS_LANDSCAPE_H

#include <stdio.h>

#include "clustersim.h"

/* Sectors the university table is written over, in column order. */
#define CS_LANDSCAPE_NSECT 7
extern const char *const cs_landscape_table_sectors[CS_LANDSCAPE_NSECT];

/* One row of the built-in city table. */
typedef struct cs_city_row {
    const char *name;
    double lon, lat; /* degrees */
    double pop;      /* urban-area population, millions */
    int region;      /* index into cs_region_names */
} cs_city_row;

/* One row of the built-in university table. */
typedef struct cs_univ_row {
    const char *name;                 /* short stable name, e.g. "Imperial" */
    const char *city;                 /* a name in the city table */
    double q0;                        /* baseline quality, 0..1 */
    double sigma[CS_LANDSCAPE_NSECT]; /* strengths over cs_landscape_table_sectors, sum 1 */
    double g;                         /* relative graduate output (largest about 1) */
} cs_univ_row;

int cs_city_count(void);
const cs_city_row *cs_city_row_at(int i);
int cs_city_index(const char *name); /* -1 if unknown */
int cs_university_count(void);
const cs_univ_row *cs_university_row(int i);

/* Geography in lon/lat, independent of the grid: 1 if inside the land outline (lakes excluded). */
int cs_landscape_on_land(double lon, double lat);
/* Region of a point assumed on land (Northern Ireland, Scotland and Wales by outline, London by
 * a circle, other English regions by nearest anchor town). */
int cs_landscape_region_at(double lon, double lat);
/* Row y of the land mask of a W x H grid (out[0..W), 1 on land), as the landscape's build
 * makes it (the outline sampled at cell centres, and every city's cell): the same for every
 * landscape kind. The config check uses it to
 * refuse a policy area wholly at sea with its line. */
void cs_landscape_land_row(int W, int H, int y, uint8_t *out);
/* Projects lon/lat onto continuous grid coordinates of a W x H grid (cell x covers [x, x+1)). */
void cs_landscape_project(int W, int H, double lon, double lat, double *x, double *y);

/* Index of a city of l->cities by name, -1 if absent. */
int cs_landscape_find_city(const cs_landscape *l, const char *name);
/* Start of a step (phase 0): office and housing space built where last step's demand
 * exceeded it (land.build_rate), and natural assets declining from
 * landscape.asset_decline_start on. */
void cs_landscape_step(cs_sim *sim);
/* Frees the arrays of a built landscape and zeroes the pointers (safe to call twice). */
void cs_landscape_free(cs_landscape *l);
/* Writes an ASCII map: '.' sea, a region letter on land, '#' city centre, '*' university. */
void cs_landscape_print_map(const cs_landscape *l, FILE *out);

#endif
