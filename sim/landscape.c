/* landscape.c: the default landscape of MODEL.md section 8, a UK-like country.
 *
 * Everything here is deterministic (no random numbers): the same grid size and landscape
 * parameters always give the same landscape. Geography is kept in lon/lat and rasterised onto
 * the grid, so any grid size gives the same country at a different resolution. */
#include "landscape.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "uk_data.h"

enum { R_LON = 0, R_SE, R_EE, R_SW, R_WM, R_EM, R_YH, R_NW, R_NE, R_WAL, R_SCO, R_NI };

const char *const cs_region_names[CS_MAX_REGIONS] = {"London",
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

const char *const cs_landscape_table_sectors[CS_LANDSCAPE_NSECT] = {
    "digital",  "life_sciences", "advanced_manufacturing", "finance",
    "creative", "energy",        "local_services"};

/* Cities: city-centre coordinates and urban-area populations (millions, ONS built-up areas
 * 2011 / NISRA / NRS settlements, rounded; conurbations split into their named cities). */
static const cs_city_row city_table[] = {
    {"London", -0.128, 51.507, 9.80, R_LON},       {"Birmingham", -1.898, 52.486, 2.44, R_WM},
    {"Manchester", -2.244, 53.480, 2.55, R_NW},    {"Leeds", -1.549, 53.801, 0.79, R_YH},
    {"Glasgow", -4.252, 55.864, 1.00, R_SCO},      {"Edinburgh", -3.188, 55.953, 0.53, R_SCO},
    {"Newcastle", -1.618, 54.978, 0.77, R_NE},     {"Liverpool", -2.983, 53.408, 0.86, R_NW},
    {"Sheffield", -1.470, 53.381, 0.69, R_YH},     {"Bristol", -2.588, 51.455, 0.62, R_SW},
    {"Cardiff", -3.179, 51.481, 0.45, R_WAL},      {"Belfast", -5.930, 54.597, 0.60, R_NI},
    {"Cambridge", 0.122, 52.205, 0.16, R_EE},      {"Oxford", -1.258, 51.752, 0.17, R_SE},
    {"Aberdeen", -2.094, 57.149, 0.22, R_SCO},     {"Nottingham", -1.150, 52.954, 0.73, R_EM},
    {"Leicester", -1.133, 52.637, 0.51, R_EM},     {"Southampton", -1.404, 50.910, 0.30, R_SE},
    {"Portsmouth", -1.088, 50.805, 0.25, R_SE},    {"Brighton", -0.137, 50.823, 0.47, R_SE},
    {"Reading", -0.973, 51.454, 0.32, R_SE},       {"Coventry", -1.510, 52.407, 0.36, R_WM},
    {"Hull", -0.336, 53.745, 0.31, R_YH},          {"Stoke", -2.179, 53.003, 0.37, R_WM},
    {"Plymouth", -4.143, 50.376, 0.26, R_SW},      {"Norwich", 1.297, 52.630, 0.21, R_EE},
    {"Exeter", -3.533, 50.718, 0.12, R_SW},        {"Swansea", -3.944, 51.621, 0.30, R_WAL},
    {"Dundee", -2.970, 56.462, 0.15, R_SCO},       {"Inverness", -4.225, 57.478, 0.05, R_SCO},
    {"York", -1.082, 53.960, 0.15, R_YH},          {"Milton Keynes", -0.759, 52.041, 0.23, R_SE},
    {"Derby", -1.476, 52.922, 0.27, R_EM},         {"Bradford", -1.752, 53.795, 0.53, R_YH},
    {"Middlesbrough", -1.235, 54.574, 0.38, R_NE}, {"Sunderland", -1.383, 54.906, 0.17, R_NE},
    {"Bournemouth", -1.880, 50.720, 0.47, R_SW},   {"Preston", -2.703, 53.763, 0.31, R_NW},
    {"Lancaster", -2.801, 54.047, 0.05, R_NW},     {"Durham", -1.575, 54.776, 0.05, R_NE},
    {"Bath", -2.359, 51.381, 0.09, R_SW},          {"Loughborough", -1.206, 52.772, 0.06, R_EM},
    {"St Andrews", -2.796, 56.340, 0.02, R_SCO},   {"Guildford", -0.571, 51.236, 0.08, R_SE},
    {"Canterbury", 1.079, 51.280, 0.05, R_SE},     {"Colchester", 0.901, 51.896, 0.12, R_EE},
    {"Stirling", -3.937, 56.117, 0.04, R_SCO},     {"Aberystwyth", -4.082, 52.415, 0.02, R_WAL},
    {"Bangor", -4.128, 53.228, 0.02, R_WAL},       {"Derry", -7.309, 54.997, 0.09, R_NI},
    {"Luton", -0.418, 51.879, 0.26, R_EE},         {"Ipswich", 1.155, 52.057, 0.14, R_EE},
    {"Swindon", -1.780, 51.558, 0.18, R_SW},       {"Huddersfield", -1.784, 53.646, 0.16, R_YH},
    {"Lincoln", -0.540, 53.230, 0.11, R_EM},       {"Northampton", -0.897, 52.240, 0.22, R_EM},
    {"Peterborough", -0.243, 52.573, 0.19, R_EE},
};
#define N_CITIES ((int)(sizeof city_table / sizeof city_table[0]))

/* Universities. q0 has a research-ranking feel (REF/QS order, compressed to 0.3..1); sigma over
 * digital, life_sciences, advanced_manufacturing, finance, creative, energy, local_services
 * follows each one's known research and spinout strengths; g is relative graduate output. */
static const cs_univ_row univ_table[] = {
    {"Cambridge", "Cambridge", 1.00, {.32, .36, .14, .05, .04, .08, .01}, .55},
    {"Oxford", "Oxford", 1.00, {.28, .40, .10, .08, .08, .05, .01}, .55},
    {"Imperial", "London", .92, {.32, .30, .22, .06, .01, .08, .01}, .55},
    {"UCL", "London", .90, {.25, .40, .08, .08, .14, .04, .01}, .95},
    {"KCL", "London", .80, {.15, .50, .04, .12, .14, .04, .01}, .90},
    {"LSE", "London", .82, {.12, .04, .02, .70, .10, .01, .01}, .35},
    {"Edinburgh", "Edinburgh", .85, {.33, .35, .07, .10, .09, .05, .01}, .80},
    {"Manchester", "Manchester", .78, {.26, .28, .20, .10, .08, .07, .01}, 1.00},
    {"Bristol", "Bristol", .75, {.30, .28, .22, .06, .08, .05, .01}, .70},
    {"Warwick", "Coventry", .72, {.30, .10, .35, .15, .06, .03, .01}, .60},
    {"Glasgow", "Glasgow", .70, {.20, .40, .14, .10, .10, .05, .01}, .80},
    {"Birmingham", "Birmingham", .68, {.20, .30, .25, .10, .07, .07, .01}, .90},
    {"Leeds", "Leeds", .65, {.24, .26, .20, .12, .12, .05, .01}, .90},
    {"Sheffield", "Sheffield", .65, {.20, .25, .40, .04, .05, .05, .01}, .80},
    {"Southampton", "Southampton", .65, {.35, .20, .25, .05, .05, .09, .01}, .60},
    {"Nottingham", "Nottingham", .65, {.20, .35, .20, .10, .05, .09, .01}, .90},
    {"Durham", "Durham", .65, {.15, .15, .15, .25, .15, .14, .01}, .50},
    {"St Andrews", "St Andrews", .65, {.25, .30, .05, .15, .20, .04, .01}, .30},
    {"QMUL", "London", .62, {.25, .35, .15, .12, .09, .03, .01}, .60},
    {"York", "York", .62, {.30, .30, .08, .08, .18, .05, .01}, .50},
    {"Newcastle", "Newcastle", .60, {.22, .35, .18, .05, .10, .09, .01}, .70},
    {"Exeter", "Exeter", .60, {.15, .30, .08, .12, .15, .19, .01}, .60},
    {"Bath", "Bath", .60, {.25, .15, .35, .15, .05, .04, .01}, .40},
    {"Liverpool", "Liverpool", .58, {.15, .45, .15, .10, .09, .05, .01}, .70},
    {"Cardiff", "Cardiff", .58, {.20, .35, .15, .10, .15, .04, .01}, .70},
    {"Queen's Belfast", "Belfast", .58, {.30, .35, .15, .08, .07, .04, .01}, .60},
    {"Lancaster", "Lancaster", .58, {.30, .15, .18, .15, .10, .11, .01}, .45},
    {"Sussex", "Brighton", .58, {.30, .30, .05, .10, .20, .04, .01}, .55},
    {"Aberdeen", "Aberdeen", .55, {.12, .35, .10, .08, .05, .29, .01}, .50},
    {"Strathclyde", "Glasgow", .55, {.25, .10, .35, .10, .04, .15, .01}, .60},
    {"Loughborough", "Loughborough", .55, {.20, .10, .50, .08, .07, .04, .01}, .50},
    {"Surrey", "Guildford", .55, {.35, .15, .25, .05, .12, .07, .01}, .45},
    {"Reading", "Reading", .52, {.25, .20, .08, .25, .15, .06, .01}, .50},
    {"East Anglia", "Norwich", .52, {.15, .40, .05, .05, .20, .14, .01}, .50},
    {"Heriot-Watt", "Edinburgh", .50, {.20, .05, .20, .15, .05, .34, .01}, .30},
    {"Leicester", "Leicester", .50, {.20, .40, .10, .10, .14, .05, .01}, .50},
    {"Dundee", "Dundee", .50, {.25, .45, .05, .03, .20, .01, .01}, .40},
    {"Cranfield", "Milton Keynes", .45, {.15, .05, .60, .10, .02, .07, .01}, .15},
    {"Swansea", "Swansea", .45, {.20, .25, .30, .05, .05, .14, .01}, .50},
    {"City", "London", .45, {.20, .05, .05, .50, .18, .01, .01}, .50},
    {"Essex", "Colchester", .45, {.25, .10, .05, .30, .25, .04, .01}, .45},
    {"Kent", "Canterbury", .42, {.25, .20, .05, .15, .30, .04, .01}, .50},
    {"Aston", "Birmingham", .40, {.25, .15, .30, .20, .05, .04, .01}, .30},
    {"Brunel", "London", .40, {.35, .10, .30, .10, .10, .04, .01}, .45},
    {"UAL", "London", .40, {.08, .01, .05, .05, .80, .00, .01}, .60},
    {"Goldsmiths", "London", .40, {.10, .02, .01, .07, .79, .00, .01}, .35},
    {"Oxford Brookes", "Oxford", .40, {.25, .15, .30, .10, .15, .04, .01}, .50},
    {"Stirling", "Stirling", .40, {.20, .30, .05, .15, .25, .04, .01}, .30},
    {"Keele", "Stoke", .38, {.15, .40, .20, .10, .10, .04, .01}, .30},
    {"Plymouth", "Plymouth", .38, {.15, .30, .25, .05, .10, .14, .01}, .55},
    {"Nottingham Trent", "Nottingham", .38, {.20, .10, .20, .15, .30, .04, .01}, .80},
    {"Robert Gordon", "Aberdeen", .35, {.15, .15, .15, .10, .10, .34, .01}, .40},
    {"Manchester Met", "Manchester", .35, {.20, .10, .12, .15, .40, .02, .01}, .90},
    {"Salford", "Manchester", .35, {.25, .15, .15, .05, .35, .04, .01}, .50},
    {"Northumbria", "Newcastle", .35, {.25, .20, .15, .15, .20, .04, .01}, .70},
    {"Portsmouth", "Portsmouth", .35, {.30, .15, .25, .10, .15, .04, .01}, .60},
    {"Hull", "Hull", .35, {.15, .30, .15, .05, .10, .24, .01}, .45},
    {"Ulster", "Belfast", .35, {.25, .25, .10, .10, .25, .04, .01}, .60},
    {"Aberystwyth", "Aberystwyth", .35, {.25, .35, .05, .10, .20, .04, .01}, .25},
    {"Bangor", "Bangor", .35, {.15, .40, .10, .05, .15, .14, .01}, .25},
    {"Huddersfield", "Huddersfield", .32, {.25, .15, .30, .10, .15, .04, .01}, .45},
    {"Lincoln", "Lincoln", .32, {.20, .20, .25, .10, .20, .04, .01}, .40},
    {"Derby", "Derby", .30, {.20, .10, .50, .05, .10, .04, .01}, .35},
    {"Bradford", "Bradford", .30, {.20, .30, .25, .10, .10, .04, .01}, .40},
    {"Teesside", "Middlesbrough", .30, {.30, .15, .25, .05, .15, .09, .01}, .50},
    {"Bournemouth", "Bournemouth", .30, {.25, .10, .10, .15, .35, .04, .01}, .45},
    {"Highlands and Islands", "Inverness", .30, {.10, .30, .05, .05, .15, .34, .01}, .30},
    {"Central Lancashire", "Preston", .30, {.20, .25, .15, .10, .25, .04, .01}, .60},
    {"Anglia Ruskin", "Cambridge", .30, {.20, .30, .10, .15, .20, .04, .01}, .50},
};
#define N_UNIV ((int)(sizeof univ_table / sizeof univ_table[0]))

/* Extra English towns used only to draw the boundaries between English regions (nearest
 * anchor wins); the cities above are anchors too. */
typedef struct anchor {
    double lon, lat;
    int region;
} anchor;
static const anchor extra_anchors[] = {
    {-2.00, 55.77, R_NE}, {-1.71, 55.41, R_NE}, {-2.10, 54.97, R_NE}, {-1.55, 54.52, R_NE},
    {-2.93, 54.89, R_NW}, {-2.75, 54.33, R_NW}, {-2.75, 54.66, R_NW}, {-3.55, 54.64, R_NW},
    {-3.23, 54.11, R_NW}, {-2.89, 53.19, R_NW}, {-2.44, 53.10, R_NW}, {-2.48, 53.75, R_NW},
    {-2.12, 53.26, R_NW}, {-0.40, 54.28, R_YH}, {-0.61, 54.49, R_YH}, {-1.43, 54.34, R_YH},
    {-1.54, 53.99, R_YH}, {-2.02, 53.96, R_YH}, {-1.13, 53.52, R_YH}, {-0.65, 53.59, R_YH},
    {-0.08, 53.57, R_YH}, {-0.19, 54.08, R_YH}, {-1.74, 54.40, R_YH}, {-0.03, 52.98, R_EM},
    {-0.64, 52.91, R_EM}, {-1.42, 53.24, R_EM}, {-1.91, 53.26, R_EM}, {-0.73, 52.40, R_EM},
    {0.34, 53.14, R_EM},  {-1.20, 53.14, R_EM}, {-0.01, 53.37, R_EM}, {-0.48, 52.65, R_EM},
    {-2.13, 52.59, R_WM}, {-2.12, 52.81, R_WM}, {-2.45, 52.68, R_WM}, {-2.75, 52.71, R_WM},
    {-2.72, 52.06, R_WM}, {-2.22, 52.19, R_WM}, {-1.71, 52.19, R_WM}, {-2.02, 53.10, R_WM},
    {-2.72, 52.37, R_WM}, {-3.00, 52.86, R_WM}, {0.40, 52.75, R_EE},  {0.47, 51.74, R_EE},
    {0.71, 51.54, R_EE},  {-0.47, 52.14, R_EE}, {-0.34, 51.75, R_EE}, {-0.20, 51.90, R_EE},
    {1.73, 52.61, R_EE},  {0.71, 52.25, R_EE},  {0.26, 52.40, R_EE},  {0.16, 52.67, R_EE},
    {0.11, 51.77, R_EE},  {0.52, 51.27, R_SE},  {1.31, 51.13, R_SE},  {0.57, 50.86, R_SE},
    {-0.19, 51.11, R_SE}, {-1.31, 51.06, R_SE}, {-1.09, 51.27, R_SE}, {-0.81, 51.82, R_SE},
    {-0.75, 51.63, R_SE}, {-1.34, 52.06, R_SE}, {-0.78, 50.84, R_SE}, {-1.29, 50.70, R_SE},
    {0.26, 51.13, R_SE},  {1.38, 51.38, R_SE},  {-0.59, 51.51, R_SE}, {0.19, 51.27, R_SE},
    {-1.32, 51.40, R_SE}, {-2.24, 51.86, R_SW}, {-2.08, 51.90, R_SW}, {-1.79, 51.07, R_SW},
    {-3.10, 51.02, R_SW}, {-5.05, 50.26, R_SW}, {-4.06, 51.08, R_SW}, {-2.44, 50.71, R_SW},
    {-2.63, 50.94, R_SW}, {-1.97, 51.72, R_SW}, {-2.12, 51.46, R_SW}, {0.55, 51.39, R_SE},
    {0.76, 51.42, R_SE},  {0.46, 51.57, R_EE},
};
#define N_ANCHORS ((int)(sizeof extra_anchors / sizeof extra_anchors[0]))

/* Coastline polygons (lon, lat), traced coarsely from memory of the Ordnance Survey outline at
 * about 5-10 km: fine enough for 7 km cells. Estuaries are kept where a city sits on one. */
typedef double ll[2];
static const ll gb_main[] = {
    {-3.03, 58.64}, {-3.10, 58.44}, {-3.65, 58.12}, {-3.95, 57.95},  {-3.78, 57.86},
    {-4.10, 57.60}, {-4.30, 57.52}, {-4.05, 57.56}, {-3.87, 57.60},  {-3.28, 57.72},
    {-2.50, 57.68}, {-2.00, 57.70}, {-1.78, 57.50}, {-2.02, 57.15},  {-2.20, 56.96},
    {-2.45, 56.72}, {-2.58, 56.56}, {-2.75, 56.47}, {-3.10, 56.44},  {-3.05, 56.40},
    {-2.80, 56.38}, {-2.74, 56.34}, {-2.58, 56.28}, {-2.85, 56.19},  {-3.15, 56.10},
    {-3.45, 56.03}, {-3.72, 56.06}, {-3.60, 56.01}, {-3.35, 55.99},  {-3.17, 55.985},
    {-2.95, 55.96}, {-2.78, 56.06}, {-2.52, 56.00}, {-2.13, 55.92},  {-1.98, 55.77},
    {-1.71, 55.61}, {-1.57, 55.33}, {-1.42, 55.02}, {-1.36, 54.91},  {-1.18, 54.69},
    {-1.10, 54.62}, {-0.61, 54.49}, {-0.39, 54.28}, {-0.07, 54.12},  {-0.19, 54.05},
    {0.14, 53.58},  {-0.45, 53.72}, {-0.60, 53.69}, {-0.35, 53.64},  {-0.05, 53.55},
    {0.26, 53.34},  {0.34, 53.12},  {0.05, 52.95},  {0.15, 52.80},   {0.40, 52.78},
    {0.49, 52.95},  {1.00, 52.96},  {1.30, 52.93},  {1.60, 52.78},   {1.74, 52.60},
    {1.76, 52.47},  {1.68, 52.32},  {1.58, 52.09},  {1.35, 51.95},   {1.27, 51.85},
    {1.10, 51.77},  {0.95, 51.62},  {0.72, 51.535}, {0.45, 51.51},   {0.30, 51.49},
    {0.45, 51.46},  {0.72, 51.45},  {0.77, 51.44},  {1.02, 51.36},   {1.38, 51.39},
    {1.45, 51.37},  {1.42, 51.32},  {1.40, 51.22},  {1.33, 51.13},   {1.18, 51.08},
    {0.98, 50.91},  {0.58, 50.85},  {0.25, 50.73},  {-0.14, 50.80},  {-0.37, 50.80},
    {-0.79, 50.72}, {-1.05, 50.77}, {-1.30, 50.79}, {-1.55, 50.73},  {-1.75, 50.71},
    {-1.98, 50.68}, {-2.06, 50.59}, {-2.45, 50.56}, {-2.94, 50.71},  {-3.41, 50.61},
    {-3.50, 50.45}, {-3.64, 50.22}, {-4.14, 50.35}, {-4.22, 50.32},  {-4.80, 50.22},
    {-5.20, 49.96}, {-5.72, 50.06}, {-5.48, 50.22}, {-5.08, 50.42},  {-4.94, 50.55},
    {-4.53, 51.02}, {-4.22, 51.19}, {-3.78, 51.24}, {-3.45, 51.21},  {-3.05, 51.22},
    {-2.98, 51.35}, {-2.86, 51.44}, {-2.70, 51.51}, {-2.50, 51.67},  {-2.40, 51.80},
    {-2.58, 51.65}, {-2.75, 51.57}, {-2.98, 51.53}, {-3.16, 51.445}, {-3.27, 51.39},
    {-3.56, 51.40}, {-3.70, 51.48}, {-3.83, 51.58}, {-3.92, 51.60},  {-4.00, 51.56},
    {-4.31, 51.56}, {-4.25, 51.64}, {-4.40, 51.73}, {-4.70, 51.66},  {-4.93, 51.60},
    {-5.17, 51.68}, {-5.30, 51.73}, {-5.31, 51.90}, {-5.07, 52.03},  {-4.68, 52.12},
    {-4.36, 52.22}, {-4.13, 52.41}, {-4.05, 52.55}, {-4.07, 52.72},  {-4.15, 52.90},
    {-4.42, 52.88}, {-4.77, 52.79}, {-4.55, 52.95}, {-4.33, 53.10},  {-4.17, 53.24},
    {-3.85, 53.33}, {-3.50, 53.33}, {-3.32, 53.36}, {-3.08, 53.24},  {-3.02, 53.28},
    {-3.19, 53.39}, {-3.05, 53.44}, {-3.03, 53.36}, {-2.80, 53.33},  {-3.00, 53.37},
    {-3.04, 53.46}, {-3.08, 53.55}, {-3.02, 53.65}, {-2.92, 53.72},  {-3.06, 53.82},
    {-3.03, 53.93}, {-2.92, 54.03}, {-2.82, 54.17}, {-3.00, 54.22},  {-3.15, 54.10},
    {-3.25, 54.07}, {-3.40, 54.25}, {-3.64, 54.51}, {-3.58, 54.65},  {-3.42, 54.88},
    {-3.15, 54.95}, {-3.05, 54.98}, {-3.30, 54.98}, {-3.60, 54.88},  {-4.05, 54.77},
    {-4.40, 54.68}, {-4.86, 54.63}, {-5.12, 54.84}, {-5.17, 55.01},  {-5.00, 55.10},
    {-4.86, 55.24}, {-4.64, 55.46}, {-4.67, 55.55}, {-4.82, 55.64},  {-4.88, 55.80},
    {-4.78, 55.95}, {-4.50, 55.93}, {-4.65, 55.97}, {-4.85, 56.00},  {-5.05, 55.88},
    {-5.20, 56.00}, {-5.35, 55.85}, {-5.48, 55.45}, {-5.60, 55.30},  {-5.80, 55.30},
    {-5.72, 55.55}, {-5.62, 55.85}, {-5.70, 56.05}, {-5.55, 56.30},  {-5.50, 56.42},
    {-5.75, 56.55}, {-6.23, 56.72}, {-5.85, 56.85}, {-5.83, 57.01},  {-5.70, 57.25},
    {-5.85, 57.45}, {-5.78, 57.72}, {-5.81, 57.86}, {-5.42, 58.05},  {-5.38, 58.26},
    {-5.10, 58.45}, {-5.00, 58.63}, {-4.75, 58.58}, {-4.40, 58.54},  {-4.02, 58.60},
    {-3.52, 58.60}, {-3.37, 58.67},
};
static const ll northern_ireland[] = {
    {-6.95, 55.20}, {-7.10, 55.12}, {-7.25, 55.07}, {-7.42, 55.02}, {-7.50, 54.92}, {-7.45, 54.82},
    {-7.60, 54.74}, {-7.90, 54.68}, {-8.00, 54.55}, {-8.18, 54.46}, {-8.05, 54.35}, {-7.80, 54.20},
    {-7.55, 54.12}, {-7.25, 54.18}, {-7.05, 54.38}, {-6.85, 54.37}, {-6.65, 54.22}, {-6.62, 54.05},
    {-6.35, 54.10}, {-6.25, 54.05}, {-6.05, 54.02}, {-5.89, 54.21}, {-5.66, 54.23}, {-5.55, 54.37},
    {-5.48, 54.55}, {-5.54, 54.65}, {-5.67, 54.67}, {-5.88, 54.64}, {-5.92, 54.63}, {-5.85, 54.68},
    {-5.80, 54.72}, {-5.70, 54.82}, {-5.95, 54.97}, {-6.05, 55.10}, {-6.15, 55.22}, {-6.51, 55.25},
    {-6.65, 55.21},
};
static const ll anglesey[] = {{-4.35, 53.43}, {-4.08, 53.31}, {-4.22, 53.19}, {-4.40, 53.13},
                              {-4.58, 53.20}, {-4.70, 53.31}, {-4.55, 53.41}};
static const ll isle_of_wight[] = {
    {-1.58, 50.67}, {-1.30, 50.77}, {-1.07, 50.69}, {-1.30, 50.57}, {-1.50, 50.64}};
static const ll skye[] = {{-6.40, 57.72}, {-6.10, 57.62}, {-5.70, 57.27}, {-5.95, 57.05},
                          {-6.25, 57.18}, {-6.78, 57.45}, {-6.55, 57.55}};
static const ll lewis_harris[] = {{-6.26, 58.52}, {-6.15, 58.25}, {-6.40, 58.10}, {-6.70, 57.85},
                                  {-7.05, 57.75}, {-7.10, 57.95}, {-7.05, 58.20}, {-6.70, 58.35}};
static const ll uists[] = {{-7.50, 57.70}, {-7.15, 57.65}, {-7.20, 57.35},
                           {-7.25, 57.10}, {-7.45, 57.10}, {-7.45, 57.40}};
static const ll mull[] = {
    {-5.65, 56.45}, {-5.95, 56.64}, {-6.32, 56.55}, {-6.38, 56.30}, {-5.90, 56.30}};
static const ll islay[] = {
    {-6.45, 55.88}, {-6.10, 55.92}, {-6.05, 55.65}, {-6.30, 55.58}, {-6.50, 55.68}};
static const ll jura[] = {{-5.65, 56.13}, {-5.85, 56.12}, {-6.10, 55.88}, {-5.95, 55.82}};
static const ll arran[] = {{-5.15, 55.73}, {-5.40, 55.70}, {-5.35, 55.43}, {-5.08, 55.47}};
static const ll orkney_main[] = {
    {-3.37, 59.12}, {-3.05, 59.15}, {-2.72, 58.98}, {-2.95, 58.90}, {-3.35, 58.92}};
static const ll orkney_hoy[] = {{-3.40, 58.92}, {-3.15, 58.88}, {-3.15, 58.78}, {-3.40, 58.80}};
static const ll orkney_north[] = {{-3.00, 59.35}, {-2.40, 59.30}, {-2.50, 59.15}, {-2.95, 59.22}};
/* Lough Neagh: a lake large enough to show at 7 km cells. */
static const ll lough_neagh[] = {
    {-6.45, 54.74}, {-6.27, 54.63}, {-6.35, 54.48}, {-6.55, 54.46}, {-6.65, 54.58}};
/* Region outlines, reaching out to sea so that coastal cells and islands fall inside. */
static const ll scotland_area[] = {
    {-1.50, 55.85}, {-2.04, 55.81}, {-2.25, 55.65}, {-2.32, 55.63}, {-2.17, 55.47}, {-2.48, 55.35},
    {-2.65, 55.25}, {-2.85, 55.13}, {-3.06, 55.00}, {-3.15, 54.96}, {-3.45, 54.91}, {-3.70, 54.80},
    {-4.50, 54.60}, {-5.50, 54.45}, {-9.00, 54.45}, {-9.00, 61.00}, {0.00, 61.00}};
static const ll wales_area[] = {
    {-3.30, 53.50}, {-3.25, 53.36}, {-3.08, 53.26}, {-2.95, 53.18}, {-2.73, 52.98}, {-2.95, 52.93},
    {-3.13, 52.80}, {-3.13, 52.70}, {-3.05, 52.57}, {-3.10, 52.45}, {-3.02, 52.34}, {-3.10, 52.20},
    {-3.08, 52.07}, {-2.95, 51.95}, {-2.75, 51.85}, {-2.65, 51.80}, {-2.67, 51.62}, {-2.80, 51.50},
    {-3.30, 51.33}, {-4.30, 51.38}, {-5.80, 51.45}, {-5.80, 53.60}};

typedef struct poly {
    const ll *v;
    int n;
} poly;
#define POLY(a)                                                                                    \
    { a, (int)(sizeof a / sizeof a[0]) }
static const poly land_polys[] = {POLY(gb_main),    POLY(northern_ireland),
                                  POLY(anglesey),   POLY(isle_of_wight),
                                  POLY(skye),       POLY(lewis_harris),
                                  POLY(uists),      POLY(mull),
                                  POLY(islay),      POLY(jura),
                                  POLY(arran),      POLY(orkney_main),
                                  POLY(orkney_hoy), POLY(orkney_north)};
#define N_LAND_POLYS ((int)(sizeof land_polys / sizeof land_polys[0]))
static const poly lake_poly = POLY(lough_neagh);
static const poly ni_poly = POLY(northern_ireland);
static const poly scotland_poly = POLY(scotland_area);
static const poly wales_poly = POLY(wales_area);

/* Greater London as a circle around Charing Cross: about 27 km, in degrees of latitude. */
#define LONDON_RADIUS_DEG 0.24

/* Projection: equirectangular at 54.5 N, fitted to the base 100 x 160 grid with a 3-cell sea
 * margin east and west and the UK (Orkney included, Shetland left out) centred vertically. */
#define LON_MIN  -8.30
#define LON_MAX  1.85
#define LAT_MAX  59.40
#define LAT_MIN  49.90
#define BASE_W   100.0
#define BASE_H   160.0
#define MARGIN_X 3.0
#define COS_PHI  0.5807029557109398 /* cos(54.5 deg), a literal so hot loops call no cos */

static double cos_phi(void) {
    return COS_PHI;
}
static double cells_per_deg(void) {
    return (BASE_W - 2 * MARGIN_X) / ((LON_MAX - LON_MIN) * cos_phi());
}
static double margin_y(void) {
    return 0.5 * (BASE_H - (LAT_MAX - LAT_MIN) * cells_per_deg());
}

void cs_landscape_project(int W, int H, double lon, double lat, double *x, double *y) {
    double k = cells_per_deg();
    *x = (MARGIN_X + (lon - LON_MIN) * cos_phi() * k) * W / BASE_W;
    *y = (margin_y() + (LAT_MAX - lat) * k) * H / BASE_H;
}

/* Inverse of the projection at the centre of cell (x, y). */
static void cell_lonlat(int W, int H, int x, int y, double *lon, double *lat) {
    double k = cells_per_deg();
    double bx = (x + 0.5) * BASE_W / W, by = (y + 0.5) * BASE_H / H;
    *lon = LON_MIN + (bx - MARGIN_X) / (cos_phi() * k);
    *lat = LAT_MAX - (by - margin_y()) / k;
}

/* Even-odd point-in-polygon test. */
/* The outline is tested along lines of latitude: the crossings of every polygon with one
 * latitude are found once, and each point on that line is inside a polygon when an odd number
 * of its crossings lie east of it (the even-odd rule). A grid row then costs O(vertices) plus
 * O(crossings) per cell, and a single point query gives the same answer as the grid. */
#define MAX_XS 256 /* crossings of one polygon with one latitude: at most its edge count */
_Static_assert(sizeof gb_main / sizeof gb_main[0] <= MAX_XS, "gb_main has more edges than MAX_XS");
enum { P_LAKE = N_LAND_POLYS, P_NI_AREA, P_SCO_AREA, P_WAL_AREA, N_TESTED };
typedef struct lat_line {
    double lat;
    int n[N_TESTED];
    double xs[N_TESTED][MAX_XS];
} lat_line;

static const poly *tested_poly(int k) {
    if (k < N_LAND_POLYS) return &land_polys[k];
    return k == P_LAKE       ? &lake_poly
           : k == P_NI_AREA  ? &ni_poly
           : k == P_SCO_AREA ? &scotland_poly
                             : &wales_poly;
}

static void lat_line_init(lat_line *ln, double lat) {
    ln->lat = lat;
    for (int k = 0; k < N_TESTED; k++) {
        const poly *p = tested_poly(k);
        ln->n[k] = 0;
        for (int i = 0, j = p->n - 1; i < p->n; j = i++) {
            double xi = p->v[i][0], yi = p->v[i][1], xj = p->v[j][0], yj = p->v[j][1];
            if ((yi > lat) != (yj > lat))
                ln->xs[k][ln->n[k]++] = xi + (lat - yi) * (xj - xi) / (yj - yi);
        }
    }
}

static int line_inside(const lat_line *ln, int k, double lon) {
    int in = 0;
    for (int i = 0; i < ln->n[k]; i++) in ^= lon < ln->xs[k][i];
    return in;
}

static int line_on_land(const lat_line *ln, double lon) {
    if (line_inside(ln, P_LAKE, lon)) return 0;
    for (int k = 0; k < N_LAND_POLYS; k++)
        if (line_inside(ln, k, lon)) return 1;
    return 0;
}

/* Squared distance in degrees of latitude (longitude shrunk by cos of the latitude). */
static double dist2_deg(double lon1, double lat1, double lon2, double lat2) {
    double dx = (lon1 - lon2) * cos_phi(), dy = lat1 - lat2;
    return dx * dx + dy * dy;
}

static int line_region(const lat_line *ln, double lon) {
    double lat = ln->lat;
    if (line_inside(ln, P_NI_AREA, lon)) return R_NI;
    if (line_inside(ln, P_SCO_AREA, lon)) return R_SCO;
    if (line_inside(ln, P_WAL_AREA, lon)) return R_WAL;
    const cs_city_row *lon_c = &city_table[0];
    if (dist2_deg(lon, lat, lon_c->lon, lon_c->lat) <= LONDON_RADIUS_DEG * LONDON_RADIUS_DEG)
        return R_LON;
    /* England outside London: nearest anchor of an English region other than London. */
    double best = INFINITY;
    int reg = R_SE;
    for (int i = 0; i < N_CITIES + N_ANCHORS; i++) {
        double alon, alat;
        int r;
        if (i < N_CITIES) {
            alon = city_table[i].lon, alat = city_table[i].lat, r = city_table[i].region;
        } else {
            alon = extra_anchors[i - N_CITIES].lon, alat = extra_anchors[i - N_CITIES].lat;
            r = extra_anchors[i - N_CITIES].region;
        }
        if (r == R_LON || r >= R_WAL) continue;
        double d2 = dist2_deg(lon, lat, alon, alat);
        if (d2 < best) best = d2, reg = r;
    }
    return reg;
}

int cs_landscape_on_land(double lon, double lat) {
    lat_line ln;
    lat_line_init(&ln, lat);
    return line_on_land(&ln, lon);
}

/* The cell of city i on a W x H grid (its centre's cell, clamped to the grid). */
static void city_xy(int W, int H, int i, int *x, int *y) {
    double fx, fy;
    cs_landscape_project(W, H, city_table[i].lon, city_table[i].lat, &fx, &fy);
    int cx = (int)floor(fx), cy = (int)floor(fy);
    *x = cx < 0 ? 0 : cx >= W ? W - 1 : cx;
    *y = cy < 0 ? 0 : cy >= H ? H - 1 : cy;
}

void cs_landscape_land_row(int W, int H, int y, uint8_t *out) {
    lat_line ln;
    double lon, lat;
    cell_lonlat(W, H, 0, y, &lon, &lat);
    lat_line_init(&ln, lat);
    for (int x = 0; x < W; x++) {
        cell_lonlat(W, H, x, y, &lon, &lat);
        out[x] = (uint8_t)line_on_land(&ln, lon);
    }
    /* a city's cell is land even where the outline puts its centre at sea, as in the build */
    for (int i = 0; i < N_CITIES; i++) {
        int cx, cy;
        city_xy(W, H, i, &cx, &cy);
        if (cy == y) out[cx] = 1;
    }
}

int cs_landscape_region_at(double lon, double lat) {
    lat_line ln;
    lat_line_init(&ln, lat);
    return line_region(&ln, lon);
}

int cs_city_count(void) {
    return N_CITIES;
}
const cs_city_row *cs_city_row_at(int i) {
    return i >= 0 && i < N_CITIES ? &city_table[i] : NULL;
}
int cs_city_index(const char *name) {
    for (int i = 0; i < N_CITIES; i++)
        if (strcmp(city_table[i].name, name) == 0) return i;
    return -1;
}
int cs_university_count(void) {
    return N_UNIV;
}
const cs_univ_row *cs_university_row(int i) {
    return i >= 0 && i < N_UNIV ? &univ_table[i] : NULL;
}
const char *cs_university_name(int i) {
    return i >= 0 && i < N_UNIV ? univ_table[i].name : NULL;
}
int cs_university_index(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < N_UNIV; i++)
        if (strcmp(univ_table[i].name, name) == 0) return i;
    return -1;
}

int cs_landscape_find_city(const cs_landscape *l, const char *name) {
    for (int i = 0; i < l->n_cities; i++)
        if (strcmp(l->cities[i].name, name) == 0) return i;
    return -1;
}

void cs_landscape_free(cs_landscape *l) {
    free(l->region), free(l->area), free(l->land), free(l->centre), free(l->pop_weight);
    free(l->K), free(l->Kh), free(l->amenity), free(l->asset), free(l->fund), free(l->fund_asset),
        free(l->reach);
    free(l->K0), free(l->Kh0);
    l->region = l->area = NULL, l->land = NULL, l->centre = NULL, l->pop_weight = NULL;
    l->K = l->Kh = l->amenity = l->asset = l->fund = l->fund_asset = l->reach = l->K0 = l->Kh0 =
        NULL;
}

static void copy_name(char *dst, const char *src) {
    strncpy(dst, src, CS_NAME_LEN - 1);
    dst[CS_NAME_LEN - 1] = '\0';
}

/* Spreads pop over land cells as a Gaussian around (cx, cy), normalised over the land it
 * reaches so that a coastal city keeps its whole population. */
static void add_gaussian(const cs_landscape *l, double *acc, int cx, int cy, double sd,
                         double pop) {
    int R = (int)ceil(4.0 * sd);
    int x0 = cx - R < 0 ? 0 : cx - R, x1 = cx + R >= l->W ? l->W - 1 : cx + R;
    int y0 = cy - R < 0 ? 0 : cy - R, y1 = cy + R >= l->H ? l->H - 1 : cy + R;
    double sum = 0, inv = 1.0 / (2.0 * sd * sd);
    for (int pass = 0; pass < 2; pass++) {
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                int c = y * l->W + x;
                if (!l->land[c]) continue;
                double d2 = (double)(x - cx) * (x - cx) + (double)(y - cy) * (y - cy);
                double w = cs_exp(-d2 * inv);
                if (pass == 0)
                    sum += w;
                else
                    acc[c] += pop * w / sum;
            }
        if (sum <= 0) return;
    }
}

/* ITL2 areas of the real start (uk_data.h): a land cell belongs to the area of the nearest
 * anchor place of its own region, so areas never cross a region's boundary and the regional
 * totals of the data stay exact. -1 at sea and off the UK map. */
static void assign_areas(cs_landscape *l, int not_uk) {
    double ax[CS_UK_NANCHORS], ay[CS_UK_NANCHORS];
    for (int k = 0; k < CS_UK_NANCHORS; k++)
        cs_landscape_project(l->W, l->H, cs_uk_anchors[k].lon, cs_uk_anchors[k].lat, &ax[k],
                             &ay[k]);
    for (int c = 0; c < l->ncell; c++) {
        l->area[c] = -1;
        if (not_uk || !l->land[c]) continue;
        double x = c % l->W + 0.5, y = c / l->W + 0.5, best = INFINITY;
        for (int k = 0; k < CS_UK_NANCHORS; k++) {
            const int a = cs_uk_anchors[k].area;
            if (cs_uk_areas[a].region != l->region[c]) continue;
            double d = (x - ax[k]) * (x - ax[k]) + (y - ay[k]) * (y - ay[k]);
            if (d < best) best = d, l->area[c] = (int16_t)a;
        }
    }
}

void cs_landscape_set_width(cs_landscape *l, int W) {
    l->W = W;
    l->w_magic = UINT64_C(0xFFFFFFFFFFFFFFFF) / (uint64_t)W + 1; /* W >= 20 (schema) */
}

void cs_landscape_build(cs_sim *sim) {
    cs_landscape *l = &sim->land;
    const cs_params *par = &sim->par;
    int W = par->grid.width, H = par->grid.height, S = sim->S > 0 ? sim->S : par->sectors.n;
    if (S > CS_MAX_SECTORS) S = CS_MAX_SECTORS;
    const char *kind = par->landscape.kind;
    int uniform = strcmp(kind, "uniform") == 0 || strcmp(kind, "empty") == 0;
    int empty = strcmp(kind, "empty") == 0;

    l->W = W, l->H = H, l->ncell = W * H;
    cs_landscape_set_width(l, W);
    size_t nc = (size_t)l->ncell;
    l->region = cs_xcalloc(nc, sizeof *l->region);
    l->area = cs_xcalloc(nc, sizeof *l->area);
    l->land = cs_xcalloc(nc, sizeof *l->land);
    l->centre = cs_xcalloc(nc, sizeof *l->centre);
    l->pop_weight = cs_xcalloc(nc, sizeof *l->pop_weight);
    l->K = cs_xcalloc(nc, sizeof *l->K);
    l->Kh = cs_xcalloc(nc, sizeof *l->Kh);
    l->K0 = cs_xcalloc(nc, sizeof *l->K0);
    l->Kh0 = cs_xcalloc(nc, sizeof *l->Kh0);
    l->amenity = cs_xcalloc(nc, sizeof *l->amenity);
    l->asset = cs_xcalloc(nc * (size_t)(S > 0 ? S : 1), sizeof *l->asset);
    l->fund = cs_xcalloc(nc * (size_t)(S > 0 ? S : 1), sizeof *l->fund);
    l->fund_asset = cs_xcalloc(nc * (size_t)(S > 0 ? S : 1), sizeof *l->fund_asset);
    l->offset_kept = 1.0;
    l->reach = cs_xcalloc(nc, sizeof *l->reach);

    l->n_regions = CS_MAX_REGIONS;
    memset(l->region_names, 0, sizeof l->region_names);
    for (int r = 0; r < CS_MAX_REGIONS; r++) copy_name(l->region_names[r], cs_region_names[r]);

    /* Land mask and regions from the outline, sampled at cell centres, row by row. */
    lat_line *ln = cs_xcalloc(1, sizeof *ln);
    for (int y = 0; y < H; y++) {
        double lon, lat;
        cell_lonlat(W, H, 0, y, &lon, &lat);
        lat_line_init(ln, lat);
        for (int x = 0; x < W; x++) {
            cell_lonlat(W, H, x, y, &lon, &lat);
            int c = y * W + x;
            l->land[c] = (uint8_t)line_on_land(ln, lon);
            l->region[c] = l->land[c] ? (int16_t)line_region(ln, lon) : -1;
        }
    }
    free(ln);

    /* Cities, smallest first so that where two share a cell the larger one sets its region.
     * A city's cell is land even where a coarse grid puts its centre in the sea. */
    l->n_cities = empty ? 0 : N_CITIES;
    int city_cell[N_CITIES];
    int order[N_CITIES];
    for (int i = 0; i < N_CITIES; i++) order[i] = i;
    for (int i = 1; i < N_CITIES; i++) /* insertion sort by population, stable */
        for (int j = i; j > 0 && city_table[order[j]].pop < city_table[order[j - 1]].pop; j--) {
            int t = order[j];
            order[j] = order[j - 1], order[j - 1] = t;
        }
    for (int i = 0; i < N_CITIES; i++) {
        int x, y;
        city_xy(W, H, i, &x, &y);
        city_cell[i] = y * W + x;
        if (i < l->n_cities) {
            cs_city *cc = &l->cities[i];
            copy_name(cc->name, city_table[i].name);
            cc->x = x, cc->y = y, cc->pop = city_table[i].pop, cc->region = city_table[i].region;
        }
    }
    for (int k = 0; k < N_CITIES; k++) {
        int i = order[k], c = city_cell[i];
        l->land[c] = 1;
        l->region[c] = (int16_t)city_table[i].region;
    }

    int nland = 0;
    for (size_t c = 0; c < nc; c++) nland += l->land[c];
    assign_areas(l, uniform || empty);

    /* Population weights. */
    if (uniform) {
        for (size_t c = 0; c < nc; c++) l->pop_weight[c] = l->land[c] ? 1.0 / nland : 0.0;
    } else {
        double total = 0, rural = par->landscape.rural_share;
        for (int i = 0; i < N_CITIES; i++) {
            double sd = par->landscape.city_sigma * sqrt(city_table[i].pop);
            if (sd < 0.7) sd = 0.7;
            add_gaussian(l, l->pop_weight, city_cell[i] % W, city_cell[i] / W, sd,
                         city_table[i].pop);
            total += city_table[i].pop;
        }
        for (size_t c = 0; c < nc; c++)
            if (l->land[c])
                l->pop_weight[c] = (1.0 - rural) * l->pop_weight[c] / total + rural / nland;
        /* Renormalise so the sum is 1 to rounding, whatever the Gaussians' truncation. */
        double s = 0;
        for (size_t c = 0; c < nc; c++) s += l->pop_weight[c];
        for (size_t c = 0; c < nc; c++) l->pop_weight[c] /= s;

        /* City centres: the city's cell, and its 4-neighbours on land for large cities. */
        static const int dx4[4] = {1, -1, 0, 0}, dy4[4] = {0, 0, 1, -1};
        for (int i = 0; i < N_CITIES; i++) {
            int c = city_cell[i], x = c % W, y = c / W;
            l->centre[c] = 1;
            if (city_table[i].pop <= 0.5) continue;
            for (int d = 0; d < 4; d++) {
                int nx = x + dx4[d], ny = y + dy4[d];
                if (nx < 0 || nx >= W || ny < 0 || ny >= H) continue;
                if (l->land[ny * W + nx]) l->centre[ny * W + nx] = 1;
            }
        }
        for (size_t c = 0; c < nc; c++)
            l->amenity[c] = l->centre[c] ? par->landscape.amenity_city : 0.0;
    }

    /* Natural asset: a cone of the energy bonus around Aberdeen, on land. */
    int s_energy = -1;
    for (int s = 0; s < S; s++)
        if (strcmp(par->sectors.names[s], "energy") == 0) s_energy = s;
    if (s_energy >= 0) {
        int ca = city_cell[cs_city_index("Aberdeen")], ax = ca % W, ay = ca / W;
        double rad = par->landscape.asset_radius, bonus = par->landscape.asset_bonus;
        double *a = l->asset + (size_t)s_energy * nc;
        int R = (int)ceil(rad);
        for (int y = ay - R; y <= ay + R; y++)
            for (int x = ax - R; x <= ax + R; x++) {
                if (x < 0 || x >= W || y < 0 || y >= H || !l->land[y * W + x]) continue;
                double d = sqrt((double)(x - ax) * (x - ax) + (double)(y - ay) * (y - ay));
                if (rad <= 0)
                    a[y * W + x] = d == 0 ? bonus : 0.0; /* radius 0: its cell only */
                else if (d < rad)
                    a[y * W + x] = bonus * (1.0 - d / rad);
            }
    }

    /* Universities, with strengths mapped onto the configured sectors by name. */
    l->n_univ = empty ? 0 : N_UNIV;
    for (int u = 0; u < l->n_univ; u++) {
        const cs_univ_row *row = &univ_table[u];
        cs_university *un = &l->univ[u];
        memset(un, 0, sizeof *un);
        int ci = cs_city_index(row->city);
        copy_name(un->name, row->name);
        copy_name(un->city, row->city);
        un->cell = city_cell[ci];
        un->x = un->cell % W, un->y = un->cell / W;
        un->q = un->q0 = row->q0;
        un->g = row->g;
        un->k = par->universities.k;
        double sum = 0;
        for (int s = 0; s < S; s++) {
            for (int t = 0; t < CS_LANDSCAPE_NSECT; t++)
                if (strcmp(par->sectors.names[s], cs_landscape_table_sectors[t]) == 0)
                    un->sigma[s] = row->sigma[t];
            sum += un->sigma[s];
        }
        for (int s = 0; s < S; s++) un->sigma[s] = sum > 0 ? un->sigma[s] / sum : 1.0 / S;
    }
}

void cs_landscape_print_map(const cs_landscape *l, FILE *out) {
    static const char letters[CS_MAX_REGIONS] = {'L', 's', 'e', 'w', 'm', 'd',
                                                 'y', 'n', 'o', 'W', 'S', 'I'};
    for (int y = 0; y < l->H; y++) {
        for (int x = 0; x < l->W; x++) {
            int c = y * l->W + x;
            char ch = '.';
            if (l->land[c]) ch = l->region[c] >= 0 ? letters[l->region[c]] : '?';
            if (l->centre[c]) ch = '#';
            for (int u = 0; u < l->n_univ; u++)
                if (l->univ[u].cell == c) ch = '*';
            fputc(ch, out);
        }
        fputc('\n', out);
    }
    fprintf(out, "legend: . sea, # city centre, * university; regions:");
    for (int r = 0; r < CS_MAX_REGIONS; r++)
        fprintf(out, " %c %s,", letters[r], cs_region_names[r]);
    fputc('\n', out);
}

void cs_landscape_step(cs_sim *sim) {
    const cs_params *p = &sim->par;
    /* developers build where demand exceeds space: a share of the excess of last step's jobs
     * (residents) over office (housing) capacity is added each quarter, so rents in a growing
     * cluster rise at first and then ease */
    double br = p->land.build_rate;
    if (br > 0 && sim->step > 1) {
        cs_landscape *l = &sim->land;
        for (int32_t c = 0; c < l->ncell; c++) {
            if (sim->f.J[c] > l->K[c]) l->K[c] += br * (sim->f.J[c] - l->K[c]);
            if (sim->f.N[c] > l->Kh[c]) l->Kh[c] += br * (sim->f.N[c] - l->Kh[c]);
        }
    }
    if (p->landscape.asset_decline_start < 0 || sim->step < p->landscape.asset_decline_start ||
        p->landscape.asset_decline_rate <= 0)
        return;
    /* a natural asset runs down geometrically: the same share of what is left each quarter */
    double keep = 1.0 - p->landscape.asset_decline_rate;
    size_t n = (size_t)sim->S * (size_t)sim->land.ncell;
    for (size_t k = 0; k < n; k++) sim->land.asset[k] *= keep;
    /* and, where asked, the fundamentals' offset of the assets with them (phase 2) */
    if (strcmp(p->landscape.asset_offset, "released") == 0) sim->land.offset_kept *= keep;
}
