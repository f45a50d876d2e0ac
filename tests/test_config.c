/* test_config.c: configuration loading, layering, errors and round trips.
 * Run from the repository root (scenario files are under tests/data/config).
 * `test_config --write-defaults` regenerates config/defaults.cfg. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

#define D "tests/data/config/"

static cs_params P, Q; /* large: static, not on the stack */
static char err[2048];

/* Loads path with --set arguments (NULL-terminated); returns the status. */
static int load_sets(cs_params *p, const char *path, const char *const *sets) {
    int n = 0;
    while (sets && sets[n]) n++;
    memset(p, 0, sizeof *p);
    err[0] = 0;
    return cs_config_load(p, path, n, (char *const *)sets, NULL, err, sizeof err);
}

static int load(cs_params *p, const char *path) {
    return load_sets(p, path, NULL);
}

/* The load must fail with status 2 and a message containing every given substring. */
#define CHECK_ERR(rc, ...)                                                                         \
    do {                                                                                           \
        const char *subs_[] = {__VA_ARGS__, NULL};                                                 \
        CHECK_MSG((rc) == 2, "status %d, message '%s'", (rc), err);                                \
        for (int i_ = 0; subs_[i_]; i_++)                                                          \
            CHECK_MSG(strstr(err, subs_[i_]) != NULL, "'%s' not in '%s'", subs_[i_], err);         \
    } while (0)

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (buf) buf[n] = 0;
    fclose(f);
    return buf;
}

/* Writes p (documented or not) to a temporary file, loads it back into q; returns the status. */
static int reload(const cs_params *p, cs_params *q, int documented) {
    char path[] = "/tmp/cs_test_config_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    int rc = cs_config_write(f, p, documented);
    fclose(f);
    if (rc == 0) rc = load(q, path);
    unlink(path);
    return rc;
}

static char *documented_defaults(void) {
    cs_params d;
    cs_params_defaults(&d);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    cs_config_write(m, &d, 1);
    fclose(m);
    return buf;
}

static void test_defaults(void) {
    cs_params d;
    cs_params_defaults(&d);
    CHECK(strcmp(d.name, "default") == 0);
    CHECK(d.seed == 1);
    CHECK(d.steps == 160);
    CHECK_CLOSE(d.scale, 0.002, 0);
    CHECK(d.grid.width == 100 && d.grid.height == 160);
    CHECK(strcmp(d.landscape.kind, "uk") == 0);
    CHECK(d.sectors.n == 7);
    CHECK(strcmp(d.sectors.names[0], "digital") == 0);
    CHECK(strcmp(d.sectors.names[6], "local_services") == 0);
    CHECK(d.sectors.tradable[5] == 1 && d.sectors.tradable[6] == 0);
    double sum = 0;
    for (int s = 0; s < d.sectors.n; s++) sum += d.sectors.share[s];
    CHECK_CLOSE(sum, 1.0, 1e-12);
    CHECK_CLOSE(d.firms.alpha, 0.8, 0);
    CHECK_CLOSE(d.workers.retire, 1.0 / 160, 1e-15);
    CHECK_CLOSE(d.firms.lambda_e, 0.00106, 0);
    CHECK(d.land.rk == 2 && d.output.compression == 1);
    CHECK(d.n_policies == 0);
    /* every key of the schema, not only those spot-checked, loads: the defaults are in range */
    CHECK_MSG(load(&P, NULL) == 0, "%s", err);
    CHECK(memcmp(&P, &d, sizeof d) == 0);
    char *src = NULL;
    memset(&P, 0, sizeof P);
    CHECK_MSG(cs_config_load(&P, D "empty.cfg", 0, NULL, &src, err, sizeof err) == 0, "%s", err);
    CHECK(memcmp(&P, &d, sizeof d) == 0);
    char *text = slurp(D "empty.cfg");
    CHECK(src && text && strcmp(src, text) == 0);
    free(src);
    free(text);
    CHECK(cs_schema_find("firms.alpha") && !cs_schema_find("firms.alpah"));
    CHECK(cs_policy_type_index("rd_credit") == CS_POL_RD_CREDIT);
    CHECK(cs_policy_type_index("startup_space") == CS_POL_STARTUP_SPACE);
    CHECK(cs_policy_type_index("nope") == -1);
    CHECK(cs_config_sector_index(&d, "energy") == 5);
}

/* config/defaults.cfg must be exactly what `clustersim check` prints for an empty scenario. */
static size_t key_size(const cs_key *k, int *second) {
    *second = 0;
    switch (k->type) {
    case CS_KEY_INT:
    case CS_KEY_BOOL:
    case CS_KEY_ENUM:
        return sizeof(int);
    case CS_KEY_INT64:
        return sizeof(int64_t);
    case CS_KEY_FLOAT:
        return sizeof(double);
    case CS_KEY_STRING:
        return (size_t)k->cap;
    case CS_KEY_FLOAT_ARRAY:
        return (size_t)k->cap * sizeof(double);
    case CS_KEY_BOOL_ARRAY:
        return (size_t)k->cap * sizeof(int);
    case CS_KEY_STRING_ARRAY:
        *second = sizeof(int);
        return (size_t)k->cap * CS_NAME_LEN;
    case CS_KEY_INT_PAIR:
        *second = sizeof(int);
        return sizeof(int);
    case CS_KEY_POINT:
        *second = sizeof(double);
        return sizeof(double);
    default:
        return 0;
    }
}

/* Every field of cs_params (and of cs_policy) is a schema key: a field added to params.h
 * without a row would be left out of the config. Bytes not covered by any row may only be
 * alignment padding, which here is at most 4 bytes before an 8-byte-aligned member. */
static void check_coverage(const cs_key *tab, int n, size_t size, const size_t *extra,
                           const size_t *extra_len, int n_extra, const char *what) {
    unsigned char *cov = calloc(size, 1);
    for (int i = 0; i < n; i++) {
        int second;
        size_t len = key_size(&tab[i], &second);
        memset(cov + tab[i].off, 1, len);
        if (second) memset(cov + tab[i].off2, 1, (size_t)second);
    }
    for (int i = 0; i < n_extra; i++) memset(cov + extra[i], 1, extra_len[i]);
    for (size_t b = 0; b < size;) {
        if (cov[b]) {
            b++;
            continue;
        }
        size_t e = b;
        while (e < size && !cov[e]) e++;
        CHECK_MSG(e - b <= 4 && e % 8 == 0, "%s bytes [%zu, %zu) belong to no schema key", what, b,
                  e);
        b = e;
    }
    free(cov);
}

static void test_schema_covers_params(void) {
    size_t extra[] = {offsetof(cs_params, n_policies), offsetof(cs_params, policies)};
    size_t extra_len[] = {sizeof(int), sizeof(((cs_params *)0)->policies)};
    check_coverage(cs_schema, cs_schema_n, sizeof(cs_params), extra, extra_len, 2, "cs_params");
    size_t pextra[] = {offsetof(cs_policy, area_kind),    offsetof(cs_policy, n_area_regions),
                       offsetof(cs_policy, area_regions), offsetof(cs_policy, cx),
                       offsetof(cs_policy, cy),           offsetof(cs_policy, r),
                       offsetof(cs_policy, x0),           offsetof(cs_policy, y0),
                       offsetof(cs_policy, x1),           offsetof(cs_policy, y1),
                       offsetof(cs_policy, sector_mask)};
    size_t plen[] = {sizeof(int),    sizeof(int),     CS_MAX_AREA * CS_NAME_LEN,
                     sizeof(double), sizeof(double),  sizeof(double),
                     sizeof(double), sizeof(double),  sizeof(double),
                     sizeof(double), sizeof(uint32_t)};
    check_coverage(cs_policy_schema, cs_policy_schema_n, sizeof(cs_policy), pextra, plen, 11,
                   "cs_policy");
    /* paths are unique and name their group */
    for (int i = 0; i < cs_schema_n; i++)
        for (int j = 0; j < i; j++) CHECK(strcmp(cs_schema[i].path, cs_schema[j].path) != 0);
}

static void test_defaults_cfg_up_to_date(void) {
    char *want = documented_defaults();
    char *have = slurp("config/defaults.cfg");
    CHECK_MSG(have != NULL, "config/defaults.cfg missing (run from the repository root)");
    CHECK_MSG(have && want && strcmp(have, want) == 0,
              "config/defaults.cfg is stale: run build/tests/test_config --write-defaults");
    /* the documented form loads back to the defaults */
    CHECK_MSG(load(&P, "config/defaults.cfg") == 0, "%s", err);
    cs_params d;
    cs_params_defaults(&d);
    CHECK(memcmp(&P, &d, sizeof d) == 0);
    free(want);
    free(have);
}

static void test_syntax_and_missing(void) {
    CHECK_ERR(load(&P, D "syntax.cfg"), D "syntax.cfg:3: ", "syntax error");
    CHECK_ERR(load(&P, D "no_such.cfg"), D "no_such.cfg: cannot open it: ");
    CHECK_ERR(load(&P, D "base_missing.cfg"), D "base_missing.cfg:2: base: cannot open",
              "no_such_base.cfg");
}

static void test_unknown_keys(void) {
    CHECK_ERR(load(&P, D "unknown_key.cfg"), D "unknown_key.cfg:3: firms.alpah: unknown key",
              "did you mean 'firms.alpha'?");
    CHECK_ERR(load(&P, D "unknown_group.cfg"), D "unknown_group.cfg:1: firm: unknown key",
              "did you mean 'firms'?");
    const char *typo[] = {"stpes=10", NULL};
    CHECK_ERR(load_sets(&P, NULL, typo), "--set stpes=10: stpes: unknown key",
              "did you mean 'steps'?");
    const char *typo2[] = {"labour.c_x=0.1", NULL};
    CHECK_ERR(load_sets(&P, NULL, typo2), "did you mean 'labour.c_d'?");
    /* nothing near: no suggestion */
    const char *far[] = {"zzzzzzzzzzzz=1", NULL};
    CHECK_ERR(load_sets(&P, NULL, far), "unknown key");
    CHECK(strstr(err, "did you mean") == NULL);
    CHECK_ERR(load(&P, D "policy_typo.cfg"), D "policy_typo.cfg:3: policies.[0].rat: unknown key",
              "did you mean 'rate'?");
}

static void test_types_and_ranges(void) {
    CHECK_ERR(load(&P, D "wrong_type.cfg"),
              D "wrong_type.cfg:2: scale: expected float, got string");
    CHECK_ERR(load(&P, D "float_for_int.cfg"),
              D "float_for_int.cfg:1: steps: expected int, got float");
    CHECK_MSG(load(&P, D "int_for_float.cfg") == 0, "%s", err);
    CHECK_CLOSE(P.scale, 1.0, 0);
    CHECK_CLOSE(P.universities.k, 1.0, 0);
    CHECK_ERR(load(&P, D "range.cfg"), D "range.cfg:3: firms.alpha: 1.5 is outside (0, 1)");
    const char *neg[] = {"steps=-1", NULL};
    CHECK_ERR(load_sets(&P, NULL, neg), "--set steps=-1: steps: -1 is outside [0, 100000]");
    /* candidate counts beyond what the phases' fixed lists hold are refused, not cut short */
    const char *kf[] = {"firms.k_f=49", NULL}, *kh[] = {"workers.k_h=32", NULL};
    CHECK_ERR(load_sets(&P, NULL, kf), "--set firms.k_f=49: firms.k_f: 49 is outside [0, 48]");
    CHECK_ERR(load_sets(&P, NULL, kh), "--set workers.k_h=32: workers.k_h: 32 is outside [0, 31]");
    const char *kind[] = {"landscape.kind=unifrm", NULL};
    CHECK_ERR(load_sets(&P, NULL, kind), "'unifrm' is not one of uk, uniform, empty",
              "did you mean 'uniform'?");
    const char *grp[] = {"firms=0.5", NULL};
    CHECK_ERR(load_sets(&P, NULL, grp), "firms: expected a group");
    const char *bl[] = {"sectors.tradable=[1, 2, 0, 0, 0, 0, 0]", NULL};
    CHECK_ERR(load_sets(&P, NULL, bl), "sectors.tradable: element 1: expected bool");
}

static void test_sector_arrays(void) {
    CHECK_ERR(load(&P, D "array_len.cfg"),
              D "array_len.cfg:5: sectors.beta_loc: has 2 elements but sectors.names has 3");
    CHECK_ERR(load(&P, D "share_sum.cfg"), D "share_sum.cfg:2: sectors.share: sums to 0.9",
              "not 1");
    /* names alone leave the other arrays at the default length 7 */
    const char *names[] = {"sectors.names=[\"a\", \"b\"]", NULL};
    CHECK_ERR(load_sets(&P, NULL, names), "sectors.names: has 2 names but sectors.share has 7");
    CHECK_MSG(load(&P, D "three_sectors.cfg") == 0, "%s", err);
    CHECK(P.sectors.n == 3);
    CHECK(strcmp(P.sectors.names[1], "bio") == 0);
    CHECK(P.sectors.names[3][0] == 0 && P.sectors.share[3] == 0 && P.sectors.rd_intensity[6] == 0);
    CHECK(P.sectors.tradable[2] == 0);
    const char *n_ok[] = {"sectors.n=3", NULL};
    CHECK_MSG(load_sets(&P, D "three_sectors.cfg", n_ok) == 0, "%s", err);
    const char *n_bad[] = {"sectors.n=4", NULL};
    CHECK_ERR(load_sets(&P, D "three_sectors.cfg", n_bad),
              "sectors.n: is 4 but sectors.names has 3");
    const char *dup[] = {"sectors.names=[\"a\", \"a\", \"c\"]", NULL};
    CHECK_ERR(load_sets(&P, D "three_sectors.cfg", dup), "'a' appears twice");
    /* one local-services sector: a second non-tradable one would be priced as a tradable */
    const char *two_ls[] = {"sectors.tradable=[true, false, false]", NULL};
    CHECK_ERR(load_sets(&P, D "three_sectors.cfg", two_ls),
              "sectors.tradable: 'bio' and 'shops' are both non-tradable");
}

static void test_int64(void) {
    CHECK_ERR(load(&P, D "int64.cfg"),
              D "int64.cfg:2: seed: integer 3000000000 does not fit 32 bits: write 3000000000L");
    CHECK_ERR(load(&P, D "hex32.cfg"), D "hex32.cfg:3: output.compression: integer 0x80000000",
              "0x80000000L");
    CHECK_MSG(load(&P, D "int64_ok.cfg") == 0, "%s", err);
    CHECK(P.seed == 3000000000LL);
    CHECK(strcmp(P.name, "n9999999999") == 0);
    CHECK_CLOSE(P.land.l0, 3e9, 0);
    const char *s1[] = {"seed=4294967297", NULL};
    CHECK_ERR(load_sets(&P, NULL, s1), "--set seed=4294967297: seed: integer 4294967297 does not "
                                       "fit 32 bits: write 4294967297L");
    const char *s2[] = {"seed=4294967297L", NULL};
    CHECK_MSG(load_sets(&P, NULL, s2) == 0, "%s", err);
    CHECK(P.seed == 4294967297LL);
    const char *s3[] = {"seed=-2147483648", NULL}; /* INT32_MIN fits */
    CHECK_MSG(load_sets(&P, NULL, s3) == 0, "%s", err);
    CHECK(P.seed == -2147483648LL);
    const char *s4[] = {"seed=-2147483649", NULL};
    CHECK_ERR(load_sets(&P, NULL, s4), "integer -2147483649 does not fit 32 bits");
    /* wider than 64 bits: the advice is not "write ...L", which would not fit either */
    const char *s6[] = {"seed=18446744073709551615", NULL};
    CHECK_ERR(load_sets(&P, NULL, s6), "integer 18446744073709551615 does not fit 64 bits");
    const char *s7[] = {"seed=99999999999999999999999L", NULL};
    CHECK_ERR(load_sets(&P, NULL, s7), "integer 99999999999999999999999 does not fit 64 bits");
    const char *s5[] = {"steps=5000000000L", NULL}; /* int64 literal for an int key: range */
    CHECK_ERR(load_sets(&P, NULL, s5), "steps: 5000000000 is outside [0, 100000]");
}

static void test_base_layers(void) {
    CHECK_MSG(load(&P, D "levels/mid/leaf/scenario.cfg") == 0, "%s", err);
    CHECK(strcmp(P.name, "leaf") == 0);  /* level 3 wins */
    CHECK(P.steps == 120);               /* level 2 over level 1 */
    CHECK_CLOSE(P.scale, 0.001, 0);      /* level 1 only */
    CHECK_CLOSE(P.firms.alpha, 0.7, 0);  /* level 1 only, other keys of the group */
    CHECK_CLOSE(P.firms.omega, 0.85, 0); /* level 2 over level 1 in the same group */
    CHECK_CLOSE(P.firms.tax, 0.19, 0);   /* default */
    CHECK(P.n_policies == 1);            /* the leaf's list replaces the root's */
    CHECK(P.policies[0].type == CS_POL_LOCATION_SUBSIDY);
    CHECK_CLOSE(P.policies[0].per_worker, 0.3, 0);
    CHECK(P.policies[1].type == 0 && P.policies[1].name[0] == 0);
    CHECK_MSG(load(&P, D "levels/mid/base_mid.cfg") == 0, "%s", err);
    CHECK(P.n_policies == 2 && P.policies[1].type == CS_POL_TAX_ZONE);
    CHECK(strcmp(P.name, "mid") == 0);
    /* --set comes last */
    const char *set[] = {"steps=7", "name=cli", NULL};
    CHECK_MSG(load_sets(&P, D "levels/mid/leaf/scenario.cfg", set) == 0, "%s", err);
    CHECK(P.steps == 7 && strcmp(P.name, "cli") == 0);
    CHECK_ERR(load(&P, D "cycle_a.cfg"), D "cycle_b.cfg:2: base: cycle of base files",
              "cycle_a.cfg -> ", "cycle_b.cfg -> ");
}

static void test_set(void) {
    const char *s1[] = {"steps=12",
                        "scale=0.01",
                        "firms.alpha=0.75",
                        "name=\"quoted name\"",
                        "description=bare words, with = sign",
                        "question=123",
                        "firms={omega=0.7; tax=0.2;}",
                        "landscape.kind=uniform",
                        "landscape.initial_sectors=emergent",
                        NULL};
    CHECK_MSG(load_sets(&P, NULL, s1) == 0, "%s", err);
    CHECK(P.steps == 12);
    CHECK_CLOSE(P.scale, 0.01, 0);
    CHECK_CLOSE(P.firms.alpha, 0.75, 0);
    CHECK(strcmp(P.name, "quoted name") == 0);
    CHECK(strcmp(P.description, "bare words, with = sign") == 0);
    CHECK(strcmp(P.question, "123") == 0);
    CHECK_CLOSE(P.firms.omega, 0.7, 0);
    CHECK_CLOSE(P.firms.tax, 0.2, 0);
    CHECK(strcmp(P.landscape.kind, "uniform") == 0);
    /* later --set wins */
    const char *s2[] = {"steps=12", "steps=13", NULL};
    CHECK_MSG(load_sets(&P, NULL, s2) == 0, "%s", err);
    CHECK(P.steps == 13);
    const char *s3[] = {"sectors.share=[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4]", NULL};
    CHECK_MSG(load_sets(&P, NULL, s3) == 0, "%s", err);
    CHECK_CLOSE(P.sectors.share[6], 0.4, 0);
    const char *s4[] = {"policies.[0].rate=0.3", "policies.[1].area=city_centres",
                        "policies.[1].sectors=[\"finance\"]",
                        "policies.[2]={ type = \"startup_space\"; max_age = 6; }", NULL};
    CHECK_MSG(load_sets(&P, D "levels/mid/base_mid.cfg", s4) == 0, "%s", err);
    CHECK(P.n_policies == 3);
    CHECK_CLOSE(P.policies[0].rate, 0.3, 0);
    CHECK(P.policies[1].area_kind == CS_AREA_CITY_CENTRES);
    CHECK(P.policies[1].sector_mask == 1u << 3);
    CHECK(P.policies[2].type == CS_POL_STARTUP_SPACE && P.policies[2].max_age == 6);
    CHECK(strcmp(P.policies[2].name, "startup_space_2") == 0);
    const char *s5[] = {"policies=( { type = \"rd_credit\"; } )", NULL};
    CHECK_MSG(load_sets(&P, D "levels/mid/base_mid.cfg", s5) == 0, "%s", err);
    CHECK(P.n_policies == 1 && P.policies[0].type == CS_POL_RD_CREDIT);
    const char *e1[] = {"policies.[5].rate=0.3", NULL};
    CHECK_ERR(load_sets(&P, D "levels/mid/base_mid.cfg", e1),
              "--set policies.[5].rate=0.3: policies.[5].rate: there are 2 policies");
    const char *e2[] = {"noequals", NULL};
    CHECK_ERR(load_sets(&P, NULL, e2), "--set noequals: expected key.path=value");
    const char *e3[] = {"steps=abc", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3), "--set steps=abc: steps: expected a number, got abc");
    /* the word said (which string "got string" meant was left to guess); nan and inf as the
     * file's syntax hint says; a number in quotes, in a file or a --set */
    const char *e3n[] = {"firms.alpha=-NaN", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3n),
              "--set firms.alpha=-NaN: firms.alpha: -NaN is not a value a scenario takes: "
              "write a number");
    const char *e3q[] = {"firms.alpha=\"0.3\"", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3q),
              "firms.alpha: expected float, got string (a number in quotes: write it without "
              "them)");
    const char *e3i[] = {"steps=\" 12 \"", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3i), "steps: expected int, got string (a number in quotes");
    /* the policy's own errors come first: its index, its type's keys */
    const char *e3p[] = {"policies.[3].rate=abc", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3p), "policies.[3].rate: there are no policies");
    const char *e3e[] = {"steps=", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3e), "steps: expected a number, got an empty value");
    /* no hint that would itself be refused: a decimal for an int key, a hex float */
    const char *e3d[] = {"steps=\"0.3\"", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3d), "steps: expected int, got string");
    CHECK(strstr(err, "quotes") == NULL);
    const char *e3h[] = {"firms.alpha=\"0x1p3\"", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3h), "firms.alpha: expected float, got string");
    CHECK(strstr(err, "quotes") == NULL);
    const char *e3s[] = {"steps=\"nan\"", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3s), "steps: expected int, got string");
    CHECK(strstr(err, "quotes") == NULL);
    const char *e3b[] = {"policies=({type=\"rd_credit\";})", "policies.[0].sme_only=yes", NULL};
    CHECK_ERR(load_sets(&P, NULL, e3b),
              "--set policies.[0].sme_only=yes: policies.[0].sme_only: expected true or false, "
              "got yes");
    const char *e4[] = {"policies.[0].per_worker=0.3", NULL};
    CHECK_ERR(load_sets(&P, D "levels/mid/base_mid.cfg", e4),
              "policies.[0].per_worker: not a key of rd_credit (it belongs to location_subsidy)");
    const char *e5[] = {"policies.[0].end=3", "policies.[0].start=5", NULL};
    CHECK_ERR(load_sets(&P, D "levels/mid/base_mid.cfg", e5),
              "--set policies.[0].start=5: policies.[0].start: start after end");
}

static void test_policies(void) {
    CHECK_MSG(load(&P, D "policies.cfg") == 0, "%s", err);
    CHECK(P.n_policies == 9);
    const cs_policy *p0 = &P.policies[0];
    CHECK(p0->type == CS_POL_LOCATION_SUBSIDY && strcmp(p0->name, "tech_city") == 0);
    CHECK(p0->start == 4 && p0->end == 40);
    CHECK(p0->area_kind == CS_AREA_CIRCLE);
    CHECK_CLOSE(p0->cx, 52, 0);
    CHECK_CLOSE(p0->cy, 120, 0);
    CHECK_CLOSE(p0->r, 3, 0);
    CHECK(p0->sector_mask == ((1u << 0) | (1u << 4)));
    CHECK(p0->new_entrants_only == 1 && p0->cycle_on == 8 && p0->cycle_off == 4);
    CHECK_CLOSE(p0->credibility, 0.5, 0);
    CHECK_CLOSE(p0->budget, 50, 0);
    const cs_policy *p1 = &P.policies[1];
    CHECK(p1->area_kind == CS_AREA_REGIONS && p1->n_area_regions == 2);
    CHECK(strcmp(p1->area_regions[1], "Wales") == 0);
    CHECK(strcmp(p1->name, "tax_zone_1") == 0);
    CHECK_CLOSE(p1->rates_relief, 0.5, 0); /* type default */
    CHECK(P.policies[2].area_kind == CS_AREA_CITY_CENTRES && P.policies[2].lag == 4);
    CHECK(P.policies[3].sme_only == 1 && P.policies[3].sme_size == 100);
    CHECK(P.policies[3].sector_mask == 0 && P.policies[3].area_kind == CS_AREA_EVERYWHERE);
    CHECK(P.policies[4].n_universities == 2 &&
          strcmp(P.policies[4].universities[1], "Oxford") == 0);
    CHECK_CLOSE(P.policies[5].to_x, 55, 0);
    CHECK_CLOSE(P.policies[5].to_y, 90, 0);
    CHECK_CLOSE(P.policies[5].efficiency, 0.7, 0);
    CHECK(P.policies[5].build_steps == 20);
    CHECK(P.policies[6].area_kind == CS_AREA_RECT);
    CHECK_CLOSE(P.policies[6].y1, 40, 0);
    CHECK(P.policies[7].by_productivity == 1 && P.policies[7].count == 5);
    CHECK(P.policies[7].sector_mask == 1u << 2);
    CHECK(P.policies[8].max_age == 8);
    CHECK_CLOSE(P.policies[0].sme_size, 250, 0); /* unused fields keep their defaults */

    CHECK_ERR(load(&P, D "policy_bad_type.cfg"),
              D "policy_bad_type.cfg:2: policies.[0].type: unknown policy type 'rd_credt'",
              "did you mean 'rd_credit'?");
    CHECK_ERR(load(&P, D "policy_start_end.cfg"),
              D "policy_start_end.cfg:3: policies.[0].start: start after end");
    CHECK_ERR(load(&P, D "policy_budget.cfg"),
              D "policy_budget.cfg:3: policies.[0].budget: -1.0 is outside [0, inf)");
    CHECK_ERR(load(&P, D "policy_credibility.cfg"),
              D "policy_credibility.cfg:3: policies.[0].credibility: 1.5 is outside [0, 1]");
    CHECK_ERR(load(&P, D "policy_other_key.cfg"),
              D "policy_other_key.cfg:4: policies.[1].per_worker: not a key of tax_zone",
              "location_subsidy");
    CHECK_ERR(load(&P, D "policy_region.cfg"),
              D "policy_region.cfg:3: policies.[0].area.regions: unknown region 'Londn'",
              "did you mean 'London'?");
    /* a region's first word: the regions that begin so; no name near: every region's name */
    const char *reg1[] = {"policies=( { type = \"tax_zone\"; area = { regions = [\"East\"]; }; } )",
                          NULL};
    CHECK_ERR(load_sets(&P, NULL, reg1),
              "unknown region 'East', did you mean 'East of England' or 'East Midlands'?");
    const char *reg2[] = {"policies=( { type = \"tax_zone\"; area = { regions = [\"Narnia\"]; }; "
                          "} )",
                          NULL};
    CHECK_ERR(load_sets(&P, NULL, reg2),
              "unknown region 'Narnia'; the regions are 'London', 'South East',",
              "'Yorkshire and the Humber', 'North West', 'North East', 'Wales', 'Scotland', "
              "'Northern Ireland'");
    /* a string or block comment never closed: libconfig 1.5 dropped the rest of the file (an
     * out-of-range alpha and a second steps) without a word; refused where it opens */
    CHECK_ERR(load(&P, D "open_string.cfg"),
              D "open_string.cfg:2: a string opens here (\") and is never closed");
    CHECK_ERR(load(&P, D "open_comment.cfg"),
              D "open_comment.cfg:3: a comment opens here (/*) and is never closed");
    const char *open1[] = {"steps=5/*", NULL};
    CHECK_ERR(load_sets(&P, NULL, open1), "--set steps=5/*: steps: expected a number, got 5/*");
    /* a key that shares its first letters with one: policy for policies (three edits) */
    const char *pol1[] = {"policy=( )", NULL};
    CHECK_ERR(load_sets(&P, NULL, pol1), "policy: unknown key, did you mean 'policies'?");
    CHECK_ERR(load(&P, D "policy_area_two.cfg"),
              D "policy_area_two.cfg:3: policies.[0].area: give exactly one of regions, circle, "
                "rect");
    CHECK_ERR(load(&P, D "policy_sector.cfg"),
              D "policy_sector.cfg:3: policies.[0].sectors: unknown sector 'fintech'");
    CHECK_ERR(load(&P, D "policy_university.cfg"),
              D "policy_university.cfg:3: policies.[0].universities: unknown university "
                "'Hogwarts'");
    const char *uni[] = {"policies=( { type = \"university_funding\"; universities = "
                         "[\"Cambrige\"]; } )",
                         NULL};
    CHECK_ERR(load_sets(&P, NULL, uni), "unknown university 'Cambrige', did you mean 'Cambridge'?");
    /* a full name with the table's short name in it; no name at all: where the table is */
    const char *uni2[] = {"policies=( { type = \"university_funding\"; universities = "
                          "[\"Newcastle University\"]; } )",
                          NULL};
    CHECK_ERR(load_sets(&P, NULL, uni2),
              "unknown university 'Newcastle University', did you mean 'Newcastle'?");
    CHECK_ERR(load(&P, D "policy_university.cfg"), "listed in docs/landscape.md, Universities)");
    /* sector names resolve against the merged sectors, whatever layer named them */
    const char *s[] = {"policies=( { type = \"rd_credit\"; sectors = [\"bio\"]; } )", NULL};
    CHECK_MSG(load_sets(&P, D "three_sectors.cfg", s) == 0, "%s", err);
    CHECK(P.policies[0].sector_mask == 1u << 1);
    const char *t[] = {"policies=( { type = \"transport_link\"; from = [1, 2]; } )", NULL};
    CHECK_ERR(load_sets(&P, NULL, t), "policies.[0]: transport_link needs from");
    const char *u[] = {"policies=( { type = \"rd_credit\"; name = \"x\"; }, "
                       "{ type = \"tax_zone\"; name = \"x\"; } )",
                       NULL};
    CHECK_ERR(load_sets(&P, NULL, u), "policies.[1].name: 'x' is also the name of policies.[0]");
    const char *c[] = {"policies=( { type = \"rd_credit\"; cycle = [0, 4]; } )", NULL};
    CHECK_ERR(load_sets(&P, NULL, c), "policies.[0].cycle", "never act");
    const char *m[] = {"policies=( { rate = 0.2; } )", NULL};
    CHECK_ERR(load_sets(&P, NULL, m), "policies.[0]: missing type");
}

static void test_round_trip(void) {
    cs_params d;
    cs_params_defaults(&d);
    CHECK_MSG(reload(&d, &Q, 0) == 0, "%s", err);
    CHECK(memcmp(&d, &Q, sizeof d) == 0);
    CHECK_MSG(reload(&d, &Q, 1) == 0, "%s", err);
    CHECK(memcmp(&d, &Q, sizeof d) == 0);

    const char *files[] = {D "policies.cfg", D "three_sectors.cfg",
                           D "levels/mid/leaf/scenario.cfg", D "int64_ok.cfg"};
    for (int i = 0; i < 4; i++) {
        CHECK_MSG(load(&P, files[i]) == 0, "%s: %s", files[i], err);
        CHECK_MSG(reload(&P, &Q, 0) == 0, "%s: %s", files[i], err);
        CHECK_MSG(memcmp(&P, &Q, sizeof P) == 0, "%s differs after write and load", files[i]);
        CHECK_MSG(reload(&P, &Q, 1) == 0, "%s: %s", files[i], err);
        CHECK_MSG(memcmp(&P, &Q, sizeof P) == 0, "%s differs after documented write", files[i]);
    }
    /* awkward values: shortest exact doubles, escapes, negative zero, extremes */
    const char *s[] = {"firms.alpha=0.30000000000000004",
                       "land.l0=1e-300",
                       "land.p0=1.5e300",
                       "firms.b_k=-0.0",
                       "description=\"tab\\tquote\\\" back\\\\ nl\\n\"",
                       "seed=-9223372036854775807L",
                       NULL};
    CHECK_MSG(load_sets(&P, NULL, s) == 0, "%s", err);
    CHECK(strcmp(P.description, "tab\tquote\" back\\ nl\n") == 0);
    CHECK_MSG(reload(&P, &Q, 0) == 0, "%s", err);
    CHECK(memcmp(&P, &Q, sizeof P) == 0);
    char *a = cs_config_to_string(&P), *b = cs_config_to_string(&Q);
    CHECK(a && b && strcmp(a, b) == 0);
    CHECK(a && strstr(a, "alpha = 0.30000000000000004;") &&
          strstr(a, "seed = -9223372036854775807L;"));
    CHECK(a && strstr(a, "policies = ();"));
    free(a);
    free(b);
}

static int write_defaults(void) {
    char *text = documented_defaults();
    FILE *f = fopen("config/defaults.cfg", "w");
    if (!f || !text) return 1;
    fputs(text, f);
    free(text);
    return fclose(f) != 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--write-defaults") == 0) return write_defaults();
    /* tests run from the repository root; find it if started below it */
    for (int up = 0; up < 4 && access("config/schema.c", R_OK) != 0; up++)
        if (chdir("..") != 0) break;
    RUN(test_defaults);
    RUN(test_schema_covers_params);
    RUN(test_defaults_cfg_up_to_date);
    RUN(test_syntax_and_missing);
    RUN(test_unknown_keys);
    RUN(test_types_and_ranges);
    RUN(test_sector_arrays);
    RUN(test_int64);
    RUN(test_base_layers);
    RUN(test_set);
    RUN(test_policies);
    RUN(test_round_trip);
    return CHECK_DONE();
}
