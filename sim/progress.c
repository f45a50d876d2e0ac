/* progress.c: see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_SECONDS 0.25

double cs_wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cs_progress_start(cs_progress *p, int total, int quiet) {
    p->enabled = !quiet && isatty(fileno(stderr));
    p->total = total;
    p->first = 0;
    p->shown = 0;
    p->t0 = p->last = cs_wall_seconds();
}

static void draw(cs_progress *p, int done, double now) {
    double el = now - p->t0;
    double rate = el > 0 ? (done - p->first) / el : 0;
    char eta[32] = "--";
    if (rate > 0 && done < p->total) {
        long s = (long)((p->total - done) / rate + 0.5);
        if (s >= 3600)
            snprintf(eta, sizeof eta, "%ldh%02ldm", s / 3600, s / 60 % 60);
        else
            snprintf(eta, sizeof eta, "%ldm%02lds", s / 60, s % 60);
    } else if (done >= p->total) {
        snprintf(eta, sizeof eta, "done");
    }
    int pct = p->total > 0 ? (int)(100.0 * done / p->total) : 100;
    /* \r redraws in place; trailing spaces erase a longer previous line */
    fprintf(stderr, "\rstep %d/%d (%3d%%)  %.1f steps/s  ETA %s    ", done, p->total, pct, rate,
            eta);
    fflush(stderr);
    p->shown = 1;
    p->last = now;
}

void cs_progress_update(cs_progress *p, int done) {
    if (!p->enabled) return;
    double now = cs_wall_seconds();
    if (now - p->last >= REDRAW_SECONDS) draw(p, done, now);
}

void cs_progress_clear(cs_progress *p) {
    if (!p->enabled || !p->shown) return;
    /* back to the line's start and erase it: the message printed next gets a line of its own,
     * and the next update draws the progress again below it */
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->shown = 0;
}

void cs_progress_finish(cs_progress *p, int done) {
    if (!p->enabled) return;
    if (p->shown) {
        draw(p, done, cs_wall_seconds());
        fputc('\n', stderr);
    }
    p->shown = 0;
}
