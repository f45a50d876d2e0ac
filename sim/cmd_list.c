/* cmd_list.c: `clustersim list`: the preset scenarios, each with the first sentence of its
 * description. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

static const char usage_list[] =
    "usage: clustersim list\n"
    "\n"
    "Lists the preset scenarios (every *.cfg in $CLUSTERSIM_SCENARIOS, or in the scenarios/\n"
    "directory next to the executable): name and the first sentence of its description.\n";

/* The first sentence of text: up to the first ". " (or the end), on one line. */
static void first_sentence(const char *text, char *buf, size_t len) {
    size_t n = 0;
    for (const char *c = text; *c && n + 1 < len; c++) {
        buf[n++] = (*c == '\n' || *c == '\t') ? ' ' : *c;
        if (*c == '.' && (c[1] == 0 || c[1] == ' ' || c[1] == '\n')) break;
    }
    buf[n] = 0;
}

static int cmd_list(int argc, char **argv) {
    if (argc > 2) return cs_cli_fail(2, "list takes no arguments (got '%s')", argv[2]);
    char dir[PATH_MAX];
    cs_cli_scenarios_dir(dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        return cs_cli_fail(errno == ENOENT || errno == ENOTDIR ? 2 : 1,
                           "cannot open the scenarios directory %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 4 || strcmp(e->d_name + l - 4, ".cfg") != 0 || e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **t = realloc(names, cap * sizeof *t);
            if (!t) break;
            names = t;
        }
        names[n] = strndup(e->d_name, l - 4);
        if (names[n]) n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cs_cmp_str);
    int width = 8, rc = 0;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(names[i]) > width) width = (int)strlen(names[i]);
    cs_params *par = malloc(sizeof *par);
    for (size_t i = 0; i < n && par; i++) {
        char path[PATH_MAX + 300], err[2048], sentence[512];
        snprintf(path, sizeof path, "%s/%s.cfg", dir, names[i]);
        /* one broken preset should not hide the others: report it and go on */
        if (cs_config_load(par, path, 0, NULL, NULL, err, sizeof err) != 0) {
            cs_cli_fail(2, "%s", err);
            rc = 2;
        } else {
            first_sentence(par->description, sentence, sizeof sentence);
            printf("%-*s  %s\n", width, names[i], sentence);
        }
    }
    if (!par) rc = cs_cli_fail(1, "out of memory");
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    free(par);
    return rc;
}

static int cmd_list_checked(int argc, char **argv) {
    return cs_cli_printed(cmd_list(argc, argv));
}

const cs_command cs_cmd_list = {"list", usage_list, cmd_list_checked};
