/* progress.h: a one-line progress display on stderr (steps done, steps per second, ETA).
 *
 * Shown only when stderr is a terminal and the run is not quiet, and redrawn at most about four
 * times a second, so a run piped to a log file gets no per-step noise. */
#ifndef CS_PROGRESS_H
#define CS_PROGRESS_H

typedef struct cs_progress {
    int enabled; /* stderr is a terminal and not quiet */
    int total;   /* steps to run */
    int first;   /* steps already done when the clock started (a resumed run) */
    int shown;   /* a line has been drawn (the final newline is due) */
    double t0;   /* start, seconds (monotonic) */
    double last; /* last redraw, seconds */
} cs_progress;

/* Monotonic wall-clock seconds. */
double cs_wall_seconds(void);
/* Starts the clock; the display is enabled when !quiet and stderr is a terminal. */
void cs_progress_start(cs_progress *p, int total, int quiet);
/* Reports `done` steps finished; redraws when 0.25 s passed since the last redraw. */
void cs_progress_update(cs_progress *p, int done);
/* Erases the progress line (if shown) so that a message can be printed on a line of its own;
 * the next update draws it again. */
void cs_progress_clear(cs_progress *p);
/* Draws the last state and ends the line (if anything was shown). */
void cs_progress_finish(cs_progress *p, int done);

#endif
