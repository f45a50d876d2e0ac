/* live.h: watching a run as it goes (`clustersim run --live[=FIELD]` and `--live-json=PATH`).
 *
 * The live view only reads the state after a step: the run file is the same with or without it.
 * Two outputs, either or both:
 * - a terminal map (ANSI 256 colours, two grid rows per character with the half block U+2580),
 *   downsampled to the window, with a header, a legend with units and city initials;
 * - a JSON-lines stream (one object per line, flushed per line) for programs such as the
 *   classroom server (teach/server.py): a "start" line with the grid and names, a "series" line
 *   every step, a "frame" line with the maps every few steps and at the end, and an "end" line.
 *   docs/teaching.md documents the fields. */
#ifndef CS_LIVE_H
#define CS_LIVE_H

#include <stdio.h>

#include "clustersim.h"
#include "metrics.h"

/* What the terminal map shows. */
enum cs_live_field {
    CS_LIVE_EMPLOYMENT = 0, /* employed workers by workplace cell (full scale) */
    CS_LIVE_SECTOR,         /* one sector's employment by cell (full scale) */
    CS_LIVE_RENT,           /* commercial rent r(c) */
    CS_LIVE_CLUSTERS        /* cells in a detected cluster, coloured by sector */
};

typedef struct cs_live cs_live;

/* Options, as parsed from the command line; filled before the scenario is loaded. */
typedef struct cs_live_opts {
    int term;              /* draw on the terminal (stdout) */
    const char *field;     /* FIELD of --live=FIELD: employment, rent, clusters or a sector name */
    FILE *json;            /* JSON-lines stream, or NULL */
    const char *json_name; /* its name in messages ("-": stdout) */
    int every;             /* steps between redraws / frames (the final step is always shown) */
    int fps; /* at most this many terminal redraws a second, the run waiting for the next when
              * it is faster (default CS_LIVE_FPS; 0 as fast as it goes); not the JSON stream */
} cs_live_opts;

/* A small run steps faster than an eye can follow (the default scale draws 41 frames in well
 * under a second): ten frames a second show each for long enough to be seen. */
#define CS_LIVE_FPS 10

/* Resolves a FIELD name against the loaded parameters: 0 and *field, *sector set, or -1. */
int cs_live_parse_field(const cs_params *par, const char *name, int *field, int *sector);

/* Allocates the live view for a run of sim (after cs_sim_init): NULL when out of memory. */
cs_live *cs_live_open(const cs_live_opts *o, const cs_sim *sim);
/* 1 when it draws on the terminal (the progress line must then stay off). */
int cs_live_on_terminal(const cs_live *lv);
/* Shows the state after sim->step (metrics m of that step) when due: every `every` steps and at
 * par.steps. Returns 0, or -1 when the JSON stream cannot be written (reader gone). */
int cs_live_step(cs_live *lv, const cs_sim *sim, const cs_metrics *m);
/* Gives the terminal back (the cursor, the colours) before messages are printed; the stream
 * goes on. NULL is fine. */
void cs_live_restore(cs_live *lv);
/* Ends the display (restores the cursor, writes the "end" line with complete: 1 only when the
 * run file was written complete) and frees lv; NULL is fine. */
void cs_live_close(cs_live *lv, const cs_sim *sim, int complete);

#endif
