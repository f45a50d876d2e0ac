/* cli.h: the command line. main.c dispatches to one command per cmd_*.c file; every command
 * shares the helpers below (cli.c) and runs a scenario through runner.h.
 *
 * Exit statuses: 0 success; 2 bad usage, bad config or bad input file; 1 failure while running.
 * Errors go to stderr as "clustersim: error: ...". */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "clustersim.h"

/* One command: its name, its --help text and its entry point (argv[1] is the command name). */
typedef struct cs_command {
    const char *name;
    const char *usage;
    int (*fn)(int argc, char **argv);
} cs_command;

extern const cs_command cs_cmd_run;      /* cmd_run.c */
extern const cs_command cs_cmd_check;    /* cmd_check.c */
extern const cs_command cs_cmd_list;     /* cmd_list.c */
extern const cs_command cs_cmd_describe; /* cmd_describe.c */
extern const cs_command cs_cmd_bench;    /* cmd_bench.c */
extern const cs_command cs_cmd_sweep;    /* cmd_sweep.c */
extern const cs_command cs_cmd_resume;   /* cmd_resume.c */

/* Warns on stderr when the run's threads outnumber the cores this process may use, where its
 * CPU affinity allows fewer cores than the machine has (mpirun's default binding, taskset): the
 * threads then share cores, which is slow and easy to miss. */
void cs_cli_warn_cores(void);

/* Prints "clustersim: error: ..." and returns status, so callers can `return cs_cli_fail(2, ...)`.
 */
int cs_cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Matches an option that takes a value, as "--name value" or "--name=value" (alt: a short alias).
 * Returns 1 and sets *val when argv[*i] is that option (advancing *i), -1 when the value is
 * missing, 0 when argv[*i] is another argument. */
int cs_cli_opt_value(int argc, char **argv, int *i, const char *name, const char *alt,
                     const char **val);
/* Matches `--set key.path=value` (or `--set=...`) at argv[*i], as cs_cli_opt_value, and appends
 * the value to sets[*nset] (room for argc entries). Returns 1 when matched, 0 when argv[*i] is
 * another argument, 2 (the message printed) when the value is missing or has no '='. */
int cs_cli_set_opt(int argc, char **argv, int *i, char **sets, int *nset);
/* qsort's comparison of strings (char * elements). */
int cs_cmp_str(const void *a, const void *b);
/* A base-10 integer in [lo, hi] with nothing after it: 0, else -1. */
int cs_cli_parse_ll(const char *s, long long lo, long long hi, long long *out);
int cs_cli_is_file(const char *p);
/* The preset scenarios directory: $CLUSTERSIM_SCENARIOS or <dir of the executable>/scenarios. */
void cs_cli_scenarios_dir(char *buf, size_t len);
/* A scenario argument: an existing file as given, else the preset of that name (malloc'd). */
char *cs_cli_resolve_scenario(const char *arg);
/* ", did you mean 'X'?" naming the preset nearest to a name that is none (a typo of one), else
 * "" (also for a path: a name with a slash is a file, not a preset). */
void cs_cli_preset_hint(const char *arg, char *out, size_t n);
/* Loads a scenario with --set overrides; returns 0 or prints the message and returns 2. */
int cs_cli_load(cs_params *par, const char *path, int nset, char **sets, char **source);
/* The warnings on a loaded config (settings that act not as written, or not at all), one line
 * "clustersim: warning: PATH: ..." each on out (cs_cli_load's, on stderr). */
void cs_cli_config_warnings(const cs_params *par, const char *path, FILE *out);
/* For the commands whose output is the point (list, describe, check): a listing whose lines went
 * nowhere (a full disk) is not a success. Returns rc, or 1 (the message printed) when stdout
 * could not be written and rc was 0. A run's stdout may carry a live stream whose reader went
 * away, which ends the stream, not the run, so run does not use it. */
int cs_cli_printed(int rc);

#endif
