/* write.c: the resolved configuration as libconfig text. Every value is written so that it
 * reads back bit for bit: doubles in their shortest exact form with a '.' or exponent, int64
 * with the L suffix, strings escaped. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_internal.h"
#include "config.h"

static void put_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\f':
            fputs("\\f", out);
            break;
        default:
            if (*c < 0x20)
                fprintf(out, "\\x%02x", *c);
            else
                fputc(*c, out);
        }
    }
    fputc('"', out);
}

static void put_double(FILE *out, double v) {
    char buf[48];
    cs_cfg_fmt_double(buf, sizeof buf, v);
    fputs(buf, out);
}

/* The value of key k in base, as libconfig text (policy keys: base is the cs_policy). */
static void put_value(FILE *out, const cs_key *k, const char *base, const cs_params *p) {
    const char *f = base + k->off;
    char name[CS_NAME_LEN];
    switch (k->type) {
    case CS_KEY_INT:
        fprintf(out, "%d", *(const int *)f);
        break;
    case CS_KEY_INT64:
        fprintf(out, "%" PRId64 "L", *(const int64_t *)f);
        break;
    case CS_KEY_FLOAT:
        put_double(out, *(const double *)f);
        break;
    case CS_KEY_BOOL:
        fputs(*(const int *)f ? "true" : "false", out);
        break;
    case CS_KEY_STRING:
        put_string(out, f);
        break;
    case CS_KEY_ENUM:
        cs_cfg_choice_name(k->choices, *(const int *)f, name, sizeof name);
        put_string(out, name);
        break;
    case CS_KEY_FLOAT_ARRAY:
    case CS_KEY_BOOL_ARRAY:
    case CS_KEY_STRING_ARRAY: {
        int n = *(const int *)(base + k->off2);
        fputc('[', out);
        for (int i = 0; i < n; i++) {
            if (i) fputs(", ", out);
            if (k->type == CS_KEY_FLOAT_ARRAY)
                put_double(out, ((const double *)f)[i]);
            else if (k->type == CS_KEY_BOOL_ARRAY)
                fputs(((const int *)f)[i] ? "true" : "false", out);
            else
                put_string(out, f + (size_t)i * CS_NAME_LEN);
        }
        fputc(']', out);
        break;
    }
    case CS_KEY_INT_PAIR:
        fprintf(out, "[%d, %d]", *(const int *)f, *(const int *)(base + k->off2));
        break;
    case CS_KEY_POINT:
        fputc('[', out);
        put_double(out, *(const double *)f);
        fputs(", ", out);
        put_double(out, *(const double *)(base + k->off2));
        fputc(']', out);
        break;
    case CS_KEY_AREA: {
        const cs_policy *pol = (const cs_policy *)base;
        switch (pol->area_kind) {
        case CS_AREA_CITY_CENTRES:
            fputs("\"city_centres\"", out);
            break;
        case CS_AREA_REGIONS:
            fputs("{ regions = [", out);
            for (int i = 0; i < pol->n_area_regions; i++) {
                if (i) fputs(", ", out);
                put_string(out, pol->area_regions[i]);
            }
            fputs("]; }", out);
            break;
        case CS_AREA_CIRCLE:
        case CS_AREA_RECT: {
            int circle = pol->area_kind == CS_AREA_CIRCLE;
            double v[4] = {pol->cx, pol->cy, pol->r, 0};
            if (!circle) v[0] = pol->x0, v[1] = pol->y0, v[2] = pol->x1, v[3] = pol->y1;
            fputs(circle ? "{ circle = [" : "{ rect = [", out);
            for (int i = 0; i < (circle ? 3 : 4); i++) {
                if (i) fputs(", ", out);
                put_double(out, v[i]);
            }
            fputs("]; }", out);
            break;
        }
        default:
            fputs("\"everywhere\"", out);
        }
        break;
    }
    case CS_KEY_SECTORS: {
        uint32_t mask = *(const uint32_t *)f;
        int first = 1;
        fputc('[', out);
        for (int s = 0; s < p->sectors.n && s < 32; s++)
            if (mask & (1u << s)) {
                if (!first) fputs(", ", out);
                put_string(out, p->sectors.names[s]);
                first = 0;
            }
        fputc(']', out);
        break;
    }
    }
}

/* "[unit; range (0, 1); default 0.8]" */
static void put_doc_tail(FILE *out, const cs_key *k) {
    char range[96];
    fprintf(out, " [%s", k->unit ? k->unit : "");
    switch (k->type) {
    case CS_KEY_INT:
    case CS_KEY_INT64:
    case CS_KEY_FLOAT:
        cs_cfg_range_text(k, range, sizeof range);
        if (isinf(k->min) && isinf(k->max))
            fputs("; any 64-bit integer", out);
        else
            fprintf(out, "; range %s", range);
        break;
    case CS_KEY_FLOAT_ARRAY:
    case CS_KEY_INT_PAIR:
    case CS_KEY_POINT:
        cs_cfg_range_text(k, range, sizeof range);
        fprintf(out, "; each in %s", range);
        break;
    case CS_KEY_STRING:
    case CS_KEY_ENUM:
        if (k->choices)
            fprintf(out, "; one of %s", k->choices);
        else
            fprintf(out, "; at most %.0f characters", k->max);
        break;
    default:
        break;
    }
    fputs("; default ", out);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m) {
        switch (k->type) {
        case CS_KEY_INT:
        case CS_KEY_BOOL:
            if (k->type == CS_KEY_BOOL)
                fputs(k->def ? "true" : "false", m);
            else
                fprintf(m, "%.0f", k->def);
            break;
        case CS_KEY_INT64:
            fprintf(m, "%.0fL", k->def);
            break;
        case CS_KEY_FLOAT:
            put_double(m, k->def);
            break;
        case CS_KEY_STRING:
        case CS_KEY_ENUM:
            put_string(m, k->def_str ? k->def_str : "");
            break;
        case CS_KEY_FLOAT_ARRAY:
        case CS_KEY_BOOL_ARRAY:
        case CS_KEY_STRING_ARRAY:
            fputc('[', m);
            for (int i = 0; i < k->def_n; i++) {
                if (i) fputs(", ", m);
                if (k->type == CS_KEY_FLOAT_ARRAY)
                    put_double(m, k->def_arr[i]);
                else if (k->type == CS_KEY_BOOL_ARRAY)
                    fputs(k->def_arr[i] ? "true" : "false", m);
                else
                    put_string(m, k->def_strs[i]);
            }
            fputc(']', m);
            break;
        case CS_KEY_INT_PAIR:
            fprintf(m, "[%.0f, %.0f]", k->def, k->def);
            break;
        case CS_KEY_POINT:
            fputs("none", m);
            break;
        case CS_KEY_AREA:
            fputs("\"everywhere\"", m);
            break;
        case CS_KEY_SECTORS:
            fputs("[] (all)", m);
            break;
        }
        fclose(m);
        fputs(buf, out);
        free(buf);
    }
    fputs("]\n", out);
}

static const char *key_name(const cs_key *k) {
    const char *dot = strrchr(k->path, '.');
    return dot ? dot + 1 : k->path;
}

static int in_group(const cs_key *k, const char *group) {
    const char *dot = strchr(k->path, '.');
    if (!*group) return dot == NULL;
    size_t n = strlen(group);
    return dot && (size_t)(dot - k->path) == n && strncmp(k->path, group, n) == 0;
}

static void put_policy_reference(FILE *out) {
    fputs("# ---- policies: public policies (MODEL.md 6) ----\n"
          "# A list of groups; each has a type, the keys every policy has, and its type's own\n"
          "# keys (a key of another type is an error). A scenario's list replaces its base's.\n"
          "# Example:\n"
          "#   policies = (\n"
          "#     { type = \"rd_credit\"; name = \"credit\"; start = 20; rate = 0.2;\n"
          "#       sectors = [\"digital\", \"life_sciences\"]; },\n"
          "#     { type = \"location_subsidy\"; area = { regions = [\"North East\"]; };\n"
          "#       per_worker = 293.0; end = 60; }\n"
          "#   );\n"
          "# Keys of every policy:\n",
          out);
    for (int i = 0; i < cs_policy_schema_n; i++) {
        const cs_key *k = &cs_policy_schema[i];
        if (k->types) continue;
        fprintf(out, "#   %s: %s", k->path, k->meaning);
        put_doc_tail(out, k);
    }
    for (int t = 0; t < CS_POL_NTYPES; t++) {
        fprintf(out, "# Keys of %s:\n", cs_policy_type_names[t]);
        for (int i = 0; i < cs_policy_schema_n; i++) {
            const cs_key *k = &cs_policy_schema[i];
            if (!(k->types & (1u << t))) continue;
            fprintf(out, "#   %s: %s", k->path, k->meaning);
            put_doc_tail(out, k);
        }
    }
}

static void put_policy(FILE *out, const cs_params *p, const cs_policy *pol) {
    fputs("  {\n", out);
    for (int i = 0; i < cs_policy_schema_n; i++) {
        const cs_key *k = &cs_policy_schema[i];
        if (k->types && !(k->types & (1u << pol->type))) continue;
        fprintf(out, "    %s = ", k->path);
        put_value(out, k, (const char *)pol, p);
        fputs(";\n", out);
    }
    fputs("  }", out);
}

int cs_config_write(FILE *out, const cs_params *p, int documented) {
    if (documented)
        fputs(
            "# clustersim configuration: every key, documented.\n"
            "# Generated from config/schema.c (cs_config_write); do not edit by hand.\n"
            "# A scenario sets only what differs from these defaults, optionally on top of\n"
            "# base = \"other.cfg\"; --set key.path=value overrides a key from the command line.\n"
            "# One step is one quarter; money is in 2018 pounds (full scale); distances are in\n"
            "# cells; densities are in full-scale workers. Comments: [unit; range; default].\n",
            out);
    for (int g = 0; g < cs_groups_n; g++) {
        const char *group = cs_groups[g].name;
        const char *ind = *group ? "  " : "";
        if (documented)
            fprintf(out, "\n# ---- %s: %s ----\n", *group ? group : "scenario",
                    cs_groups[g].meaning);
        else if (g > 0)
            fputc('\n', out);
        if (*group) fprintf(out, "%s = {\n", group);
        for (int i = 0; i < cs_schema_n; i++) {
            const cs_key *k = &cs_schema[i];
            if (!in_group(k, group)) continue;
            if (k->flags & CS_KEY_DERIVED) {
                if (documented)
                    fprintf(out, "%s# %s = %d: %s\n", ind, key_name(k),
                            *(const int *)((const char *)p + k->off), k->meaning);
                continue;
            }
            if (documented) {
                fprintf(out, "%s# %s", ind, k->meaning);
                put_doc_tail(out, k);
            }
            fprintf(out, "%s%s = ", ind, key_name(k));
            put_value(out, k, (const char *)p, p);
            fputs(";\n", out);
        }
        if (*group) fputs("};\n", out);
    }
    fputc('\n', out);
    if (documented) put_policy_reference(out);
    if (p->n_policies == 0) {
        fputs("policies = ();\n", out);
    } else {
        fputs("policies = (\n", out);
        for (int i = 0; i < p->n_policies; i++) {
            put_policy(out, p, &p->policies[i]);
            fputs(i + 1 < p->n_policies ? ",\n" : "\n", out);
        }
        fputs(");\n", out);
    }
    return ferror(out) ? -1 : 0;
}

char *cs_config_to_string(const cs_params *p) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) return NULL;
    int rc = cs_config_write(m, p, 0);
    if (fclose(m) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
