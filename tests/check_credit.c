/* check_credit.c - the credit bank's rule files (spec/credit-rules) and the planner. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/credit.h"
#include "skl/json.h"
#include "testutil.h"
#include "utc_int.h"

#define FW_PATH "spec/credit-rules/framework.json"
#define PROG_PATH "spec/credit-rules/programmes/demo-electrical.json"
#define E2015 "2015"
#define ELECTRICIAN "6-31-01-03"
#define WELDER "6-18-02-04"

/* ---- helpers ----------------------------------------------------------------------------- */

static int64_t
day(const char *ymd)
{
    char s[24];
    int64_t t = 0;
    snprintf(s, sizeof s, "%sT00:00:00Z", ymd);
    ck_assert_int_eq(skl_utc_parse(&t, s, 20), 0);
    return t;
}

static skl_credit_framework *
fw_text(const char *text)
{
    skl_credit_framework *fw = NULL;
    char why[256] = "";
    skl_err rc = skl_credit_framework_parse(&fw, text, strlen(text), why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "framework: %s", why);
    return fw;
}

static skl_credit_framework *
fw_file(void)
{
    size_t len;
    char *t = tu_read_file(FW_PATH, &len);
    skl_credit_framework *fw = fw_text(t);
    free(t);
    return fw;
}

static skl_credit_programme *
prog_text(const skl_credit_framework *fw, const char *text)
{
    skl_credit_programme *p = NULL;
    char why[256] = "";
    skl_err rc = skl_credit_programme_parse(&p, text, strlen(text), fw, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "programme: %s", why);
    return p;
}

static skl_credit_programme *
prog_file(const skl_credit_framework *fw)
{
    size_t len;
    char *t = tu_read_file(PROG_PATH, &len);
    skl_credit_programme *p = prog_text(fw, t);
    free(t);
    return p;
}

/* A small framework for the cap tests: L2 is worth 9 credits, above the 8-credit cap. */
static const char test_fw[] =
    "{\"id\":\"test-fw\",\"version\":\"1\",\"effective\":\"2026-01-01\",\"expires\":\"2027-01-01\","
    "\"authority\":\"test\",\"source\":\"test\",\"classHoursPerCredit\":18,"
    "\"caps\":{\"perSourceCredits\":8,\"convertedPercent\":50,\"onlinePercent\":25},"
    "\"certificateCredits\":[{\"level\":\"L5\",\"credits\":2},{\"level\":\"L4\",\"credits\":4},"
    "{\"level\":\"L3\",\"credits\":6},{\"level\":\"L2\",\"credits\":9},"
    "{\"level\":\"L1\",\"credits\":8}],"
    "\"competitionCredits\":[{\"tier\":\"city\",\"award\":\"一等奖\",\"credits\":6},"
    "{\"tier\":\"city\",\"credits\":3}],"
    "\"honourCredits\":[{\"honour\":\"beicheng-craftsman\",\"credits\":2.5}],"
    "\"online\":{\"deliveries\":[\"online\"],\"trainingTypes\":[\"online-entrepreneurship\"]}}";

/* A programme of the test framework: graduation credits, courses and mappings (JSON text
 * of the arrays' contents). */
static skl_credit_programme *
test_prog(const skl_credit_framework *fw, const char *grad, const char *courses,
          const char *mappings)
{
    char text[8192];
    snprintf(text, sizeof text,
             "{\"id\":\"p\",\"version\":\"1\",\"effective\":\"2026-01-01\","
             "\"framework\":{\"id\":\"test-fw\",\"version\":\"1\"},\"school\":\"s\",\"name\":\"n\","
             "\"graduationCredits\":%s,\"courses\":[%s],\"mappings\":[%s]}",
             grad, courses, mappings);
    return prog_text(fw, text);
}

static skl_credit_source
cert(const char *id, const char *occ, const char *level, const char *date)
{
    skl_credit_source s;
    memset(&s, 0, sizeof s);
    s.id = id;
    s.kind = "certification";
    s.occupation = occ;
    s.edition = occ != NULL ? E2015 : NULL;
    s.level = level;
    s.evaluation_type = "skill-level";
    s.date = day(date);
    s.valid = 1;
    return s;
}

static skl_credit_source
training(const char *id, const char *type, const char *delivery, int hours)
{
    skl_credit_source s;
    memset(&s, 0, sizeof s);
    s.id = id;
    s.kind = "training";
    s.occupation = ELECTRICIAN;
    s.edition = E2015;
    s.training_type = type;
    s.delivery = delivery;
    s.hours = hours;
    s.date = day("2026-03-01");
    s.valid = 1;
    return s;
}

typedef struct plan {
    skl_err rc;
    skl_credit_grant *g;
    size_t ng;
    skl_credit_decision *d;
    int total;
    char why[256];
} plan;

static plan
run(const skl_credit_framework *fw, const skl_credit_programme *p, const char *when,
    const skl_credit_source *src, size_t n, const char *const *used, size_t nused)
{
    plan r;
    memset(&r, 0, sizeof r);
    r.rc = skl_credit_plan(fw, p, day(when), src, n, used, nused, &r.g, &r.ng, &r.d, &r.total,
                           r.why, sizeof r.why);
    return r;
}

static void
plan_free(plan *r)
{
    free(r->g);
    free(r->d);
}

/* Asserts decision i: used (with course and halves) or not, and that reason contains want. */
static void
expect(const plan *r, size_t i, int used, const char *course, int halves, const char *want)
{
    const skl_credit_decision *d = &r->d[i];
    ck_assert_msg(d->used == used, "%s: used %d, reason %s", d->source, d->used, d->reason);
    if (used) {
        ck_assert_str_eq(d->course, course);
        ck_assert_int_eq(d->halves, halves);
    }
    ck_assert_msg(strstr(d->reason, want) != NULL, "%s: \"%s\" lacks \"%s\"", d->source, d->reason,
                  want);
}

static const skl_credit_grant *
grant(const plan *r, const char *course)
{
    for (size_t i = 0; i < r->ng; i++)
        if (strcmp(r->g[i].course, course) == 0)
            return &r->g[i];
    return NULL;
}

/* ---- the files -------------------------------------------------------------------------- */

START_TEST(test_files_parse)
{
    skl_credit_framework *fw = fw_file();
    skl_credit_programme *p = prog_file(fw);
    ck_assert_str_eq(skl_credit_framework_id(fw), "beibei-credit-framework");
    ck_assert_str_eq(skl_credit_framework_version(fw), "2026-11");
    ck_assert_str_eq(skl_credit_programme_id(p), "cq-demo-college-mechatronics");
    ck_assert_str_eq(skl_credit_programme_version(p), "2026-1");
    ck_assert_str_eq(skl_credit_programme_name(p), "机电一体化技术");
    ck_assert_int_eq(skl_credit_programme_graduation_halves(p), 240);
    ck_assert_int_eq(skl_credit_rules_in_force(fw, p, day("2026-09-01")), 1);
    ck_assert_int_eq(skl_credit_rules_in_force(fw, p, day("2026-08-31")), 0);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
    skl_credit_programme_free(NULL);
    skl_credit_framework_free(NULL);

    static const char *const schemas[] = {"spec/credit-rules/schema/framework.json",
                                          "spec/credit-rules/schema/programme.json"};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        skl_json_doc *doc = NULL;
        char why[160] = "";
        char *t = tu_read_file(schemas[i], &len);
        ck_assert_msg(skl_json_parse(&doc, t, len, 1u << 20, why, sizeof why) == SKL_OK, "%s: %s",
                      schemas[i], why);
        ck_assert_str_eq(skl_json_string(skl_json_get(skl_json_root(doc), "$schema")),
                         "https://json-schema.org/draft/2020-12/schema");
        skl_json_free(doc);
        free(t);
    }
}
END_TEST

/* Replaces the first occurrence of from in text by to; returns a new string. */
static char *
mutate(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "test setup: \"%s\" not in the file", from);
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    ck_assert_ptr_nonnull(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

START_TEST(test_framework_malformed)
{
    static const struct {
        const char *from, *to;
        skl_err rc;
        const char *why;
    } cases[] = {
        {"\"classHoursPerCredit\": 18", "\"classHoursPerCredit\": 0", SKL_ERR_SCHEMA,
         "classHoursPerCredit: 0 is not an integer 1..100"},
        {"\"classHoursPerCredit\": 18", "\"classHoursPerCredit\": 16.5", SKL_ERR_SCHEMA,
         "classHoursPerCredit: 16.5"},
        {"\"onlinePercent\": 25", "\"onlinePercent\": 120", SKL_ERR_SCHEMA, "caps.onlinePercent"},
        {"\"onlinePercent\": 25", "\"onlinePercent\": 60", SKL_ERR_SCHEMA,
         "caps.onlinePercent: above caps.convertedPercent"},
        {"\"perSourceCredits\": 8", "\"perCertificateCredits\": 8", SKL_ERR_SCHEMA,
         "caps.perCertificateCredits: unknown member"},
        {"\"perSourceCredits\": 8", "\"perSourceCredits\": 8.25", SKL_ERR_SCHEMA,
         "caps.perSourceCredits: 8.25 is not a multiple of 0.5"},
        {"{\"level\": \"L5\", \"credits\": 2}", "{\"level\": \"L9\", \"credits\": 2}",
         SKL_ERR_SCHEMA, "certificateCredits[1].level: \"L9\" is not in levels.json"},
        {"{\"level\": \"L5\", \"credits\": 2}", "{\"level\": \"L5\", \"credits\": 0}",
         SKL_ERR_SCHEMA, "certificateCredits[1].credits"},
        {"{\"level\": \"L4\", \"credits\": 4}", "{\"level\": \"L5\", \"credits\": 4}",
         SKL_ERR_SCHEMA, "certificateCredits[2]: the same level as certificateCredits[1]"},
        {"{\"level\": \"L4\", \"credits\": 4}", "{\"level\": \"L4\"}", SKL_ERR_SCHEMA,
         "certificateCredits[2].credits: missing"},
        {"{\"tier\": \"district\", \"credits\": 2}", "{\"tier\": \"galactic\", \"credits\": 2}",
         SKL_ERR_SCHEMA, "competitionCredits[4].tier"},
        {"{\"honour\": \"bayu-craftsman\", \"credits\": 6}",
         "{\"honour\": \"bayu-craftsman\", \"credits\": \"6\"}", SKL_ERR_SCHEMA,
         "honourCredits[2].credits: not a number"},
        {"\"deliveries\": [\"online\"]", "\"deliveries\": [\"offline\"]", SKL_ERR_SCHEMA,
         "online.deliveries[0]: \"offline\" is not in delivery-modes.json"},
        {"\"deliveries\": [\"online\"]", "\"deliveries\": [\"online\", \"online\"]", SKL_ERR_SCHEMA,
         "online.deliveries[1]: \"online\" is listed twice"},
        {"\"effective\": \"2026-09-01\",", "", SKL_ERR_SCHEMA, "effective: missing"},
        {"\"effective\": \"2026-09-01\"", "\"effective\": \"2026-02-30\"", SKL_ERR_SCHEMA,
         "effective: \"2026-02-30\" is not a calendar date"},
        {"\"expires\": \"2029-09-01\"", "\"expires\": \"2026-09-01\"", SKL_ERR_SCHEMA,
         "expires: not after effective"},
        {"\"version\": \"2026-11\"", "\"version\": \"2026/11\"", SKL_ERR_SCHEMA,
         "version: \"2026/11\" is not an ASCII id"},
        {"\"id\": \"beibei-credit-framework\",", "", SKL_ERR_SCHEMA, "id: missing"},
        {"\"authority\"", "\"authorityX\"", SKL_ERR_SCHEMA, "authorityX: unknown member"},
        {"\"id\": \"beibei-credit-framework\",",
         "\"id\": \"beibei-credit-framework\", \"id\\u0000\": 1,", SKL_ERR_SCHEMA,
         "id: unknown member"},
        {"\"classHoursPerCredit\": 18,", "\"classHoursPerCredit\": 18,,", SKL_ERR_PARSE, ""},
    };
    size_t len;
    char *t = tu_read_file(FW_PATH, &len);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *m = mutate(t, cases[i].from, cases[i].to);
        skl_credit_framework *fw = (skl_credit_framework *)1;
        char why[256] = "";
        skl_err rc = skl_credit_framework_parse(&fw, m, strlen(m), why, sizeof why);
        ck_assert_msg(rc == cases[i].rc, "case %zu: rc %d (%s)", i, rc, why);
        ck_assert_ptr_null(fw);
        ck_assert_msg(strstr(why, cases[i].why) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, why,
                      cases[i].why);
        free(m);
    }
    /* Not an object; truncated. */
    skl_credit_framework *fw = NULL;
    char why[256] = "";
    ck_assert_int_eq(skl_credit_framework_parse(&fw, "[]", 2, why, sizeof why), SKL_ERR_SCHEMA);
    ck_assert_int_eq(skl_credit_framework_parse(&fw, t, len / 2, why, sizeof why), SKL_ERR_PARSE);
    free(t);
}
END_TEST

START_TEST(test_programme_malformed)
{
    static const struct {
        const char *from, *to;
        const char *why;
    } cases[] = {
        {"\"version\": \"2026-11\"}", "\"version\": \"2025-11\"}",
         "framework: the programme is for beibei-credit-framework version 2025-11"},
        {"\"framework\": {\"id\": \"beibei-credit-framework\"",
         "\"framework\": {\"id\": \"other-framework\"", "framework: the programme is for other"},
        {"\"graduationCredits\": 120", "\"graduationCredits\": -1", "graduationCredits: -1"},
        {"\"credits\": 6}", "\"credits\": 0}", "courses[0].credits: 0 is not a multiple"},
        {"\"credits\": 1.5}", "\"credits\": 1.25}", "courses[2].credits: 1.25"},
        {"{\"id\": \"JD-101\"", "{\"id\": \"JD-201\"",
         "courses[1].id: \"JD-201\" is also courses[0]"},
        {"\"name\": \"电工技术基础\", ", "", "courses[1].name: missing"},
        {"{\"course\": \"JD-201\"", "{\"course\": \"JD-999\"",
         "mappings[0].course: \"JD-999\" is not a course"},
        {"\"minLevel\": \"L3\"", "\"minLevel\": \"L9\"", "mappings[0].minLevel: \"L9\" is not"},
        {"\"minLevel\": \"L3\"", "\"minHours\": 3", "mappings[0].minHours: unknown member"},
        {"{\"code\": \"6-31-01-03\", \"edition\": \"2015\"}",
         "{\"code\": \"6-31-0103\", \"edition\": \"2015\"}",
         "mappings[0].occupations[0].code: \"6-31-0103\" is not D-DD-DD-DD"},
        {"{\"code\": \"6-31-01-03\", \"edition\": \"2015\"}",
         "{\"code\": \"6-31-01-03\", \"edition\": \"1999\"}",
         "mappings[0].occupations[0].edition: \"1999\" is not an edition"},
        {"\"evaluationTypes\": [\"skill-level\"", "\"evaluationTypes\": [\"skill-levels\"",
         "mappings[0].evaluationTypes[0]: \"skill-levels\" is not in evaluation-types.json"},
        {"\"kind\": \"certification\"", "\"kind\": \"diploma\"", "mappings[0].kind: \"diploma\""},
        {"\"kind\": \"honour\",\n   \"honours\"", "\"kind\": \"honour\",\n   \"honourz\"",
         "mappings[6].honourz: unknown member"},
        {"\"tiers\": [\"national\", \"city\", \"district\"]", "\"tiers\": []",
         "mappings[4].tiers: not an array of 1 to 16"},
        {"\"minHours\": 18", "\"minHours\": 0", "mappings[3].minHours: 0 is not an integer"},
        {"\"effective\": \"2026-09-01\"", "\"effective\": \"2026-9-1\"",
         "effective: not a date YYYY-MM-DD"},
        {"\"school\": \"重庆某职业学院\",", "", "school: missing"},
        {"\"mappings\": [", "\"mapping\": [", "mapping: unknown member"},
    };
    skl_credit_framework *fw = fw_file();
    size_t len;
    char *t = tu_read_file(PROG_PATH, &len);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *m = mutate(t, cases[i].from, cases[i].to);
        skl_credit_programme *p = (skl_credit_programme *)1;
        char why[256] = "";
        skl_err rc = skl_credit_programme_parse(&p, m, strlen(m), fw, why, sizeof why);
        ck_assert_msg(rc == SKL_ERR_SCHEMA, "case %zu: rc %d (%s)", i, rc, why);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(why, cases[i].why) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, why,
                      cases[i].why);
        free(m);
    }
    skl_credit_programme *p = NULL;
    char why[256] = "";
    ck_assert_int_eq(skl_credit_programme_parse(&p, t, len, NULL, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_credit_programme_parse(&p, t, len - 3, fw, why, sizeof why),
                     SKL_ERR_PARSE);
    free(t);
    skl_credit_framework_free(fw);
}
END_TEST

/* ---- the plan on the demo rules ---------------------------------------------------------- */

START_TEST(test_demo_plan)
{
    skl_credit_framework *fw = fw_file();
    skl_credit_programme *p = prog_file(fw);
    skl_credit_source s[8];
    s[0] = cert("urn:cert:L4", ELECTRICIAN, "L4", "2024-05-01");
    s[1] = cert("urn:cert:L3", ELECTRICIAN, "L3", "2026-05-01");
    s[2] = training("urn:train:27h", "job-skills-upgrading", "on-the-job", 27);
    memset(&s[3], 0, sizeof s[3]);
    s[3].id = "urn:comp:city";
    s[3].kind = "competition";
    s[3].occupation = ELECTRICIAN;
    s[3].edition = E2015;
    s[3].competition_tier = "city";
    s[3].award = "一等奖";
    s[3].valid = 1;
    memset(&s[4], 0, sizeof s[4]);
    s[4].id = "urn:honour:beicheng";
    s[4].kind = "honour";
    s[4].honour = "beicheng-craftsman";
    s[4].valid = 1;
    s[5] = cert("urn:cert:welder", WELDER, "L2", "2025-01-01");
    s[5].valid = 0;
    s[5].invalid_reason = "revoked";
    s[6] = training("urn:train:syb", "syb", "off-the-job", 36);
    s[7] = cert("urn:cert:welder2", WELDER, "L4", "2025-01-01");
    plan r = run(fw, p, "2026-10-01", s, 8, NULL, 0);
    ck_assert_msg(r.rc == SKL_OK, "%s", r.why);
    expect(&r, 0, 0, NULL, 0, "overlap: urn:cert:L3 at a higher level counts instead");
    expect(&r, 1, 1, "JD-201", 12, "exempts course JD-201: 6 credits");
    expect(&r, 2, 1, "JD-102", 3, "exempts course JD-102: 1.5 credits");
    expect(&r, 3, 1, "JD-203", 8, "exempts course JD-203: 4 credits (worth 6; the rest");
    expect(&r, 4, 1, "JD-301", 6, "exempts course JD-301: 3 credits");
    expect(&r, 5, 0, NULL, 0, "not valid: revoked");
    expect(&r, 6, 1, "JD-105", 4, "exempts course JD-105: 2 credits");
    expect(&r, 7, 0, NULL, 0, "no matching course in this programme");
    ck_assert_uint_eq(r.ng, 5);
    /* Grants come in programme order. */
    ck_assert_str_eq(r.g[0].course, "JD-201");
    ck_assert_str_eq(r.g[0].course_name, "电工技能实训");
    ck_assert_str_eq(r.g[1].course, "JD-102");
    ck_assert_str_eq(r.g[4].course, "JD-105");
    ck_assert_uint_eq(r.g[0].nsources, 1);
    ck_assert_str_eq(r.g[0].sources[0], "urn:cert:L3");
    ck_assert_ptr_null(grant(&r, "JD-101")); /* L4 overlaps L3 and does not count */
    ck_assert_int_eq(grant(&r, "JD-203")->halves, 8);
    ck_assert_int_eq(r.total, 12 + 3 + 8 + 6 + 4);

    /* The same input gives the same plan. */
    plan r2 = run(fw, p, "2026-10-01", s, 8, NULL, 0);
    ck_assert_uint_eq(r2.ng, r.ng);
    ck_assert_int_eq(memcmp(r.g, r2.g, r.ng * sizeof *r.g), 0);
    ck_assert_int_eq(memcmp(r.d, r2.d, 8 * sizeof *r.d), 0);
    plan_free(&r2);
    plan_free(&r);

    /* No sources: an empty plan. */
    r = run(fw, p, "2026-10-01", NULL, 0, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_OK);
    ck_assert_ptr_null(r.g);
    ck_assert_ptr_null(r.d);
    ck_assert_int_eq(r.total, 0);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

/* ---- each rule --------------------------------------------------------------------------- */

START_TEST(test_rounding)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p = test_prog(fw, "100", "{\"id\":\"T\",\"name\":\"t\",\"credits\":1.5}",
                                        "{\"course\":\"T\",\"kind\":\"training\"}");
    static const struct {
        int hours, used, halves;
        const char *why;
    } cases[] = {
        {27, 1, 3, "exempts course T: 1.5 credits"},
        {28, 1, 3, "exempts course T: 1.5 credits"},
        {36, 1, 3, "(worth 2; the rest is not carried over)"},
        {26, 0, 0, "not enough: matching sources give 1 credits, course T needs 1.5"},
        {9, 0, 0, "not enough: matching sources give 0.5 credits"},
        {8, 0, 0, "8 class hours are less than half a credit (18 hours per credit)"},
        {0, 0, 0, "0 class hours are less than half a credit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        skl_credit_source s =
            training("urn:t", "job-skills-upgrading", "on-the-job", cases[i].hours);
        plan r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
        ck_assert_msg(r.rc == SKL_OK, "%s", r.why);
        expect(&r, 0, cases[i].used, "T", cases[i].halves, cases[i].why);
        plan_free(&r);
    }
    /* Two trainings add up: 18 h + 9 h cover 1.5 credits. */
    skl_credit_source two[2] = {training("urn:a", "employment-skills", "pre-job", 18),
                                training("urn:b", "employment-skills", "pre-job", 9)};
    plan r = run(fw, p, "2026-06-01", two, 2, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_OK);
    expect(&r, 0, 1, "T", 2, "backs course T: 1 credits of 1.5, with 1 other source");
    expect(&r, 1, 1, "T", 1, "backs course T: 0.5 credits of 1.5");
    ck_assert_uint_eq(r.ng, 1);
    ck_assert_uint_eq(r.g[0].nsources, 2);
    ck_assert_int_eq(r.total, 3);
    plan_free(&r);

    char out[16];
    ck_assert_str_eq(skl_credit_format(out, 3), "1.5");
    ck_assert_str_eq(skl_credit_format(out, 4), "2");
    ck_assert_str_eq(skl_credit_format(out, 0), "0");
    ck_assert_str_eq(skl_credit_format(out, 1), "0.5");
    ck_assert_str_eq(skl_credit_format(out, -3), "-1.5");
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_per_source_cap)
{
    skl_credit_framework *fw = fw_text(test_fw);
    /* Courses of 8 and 8.5 credits, each open to any certificate. */
    skl_credit_programme *p = test_prog(
        fw, "100",
        "{\"id\":\"A\",\"name\":\"a\",\"credits\":8},{\"id\":\"B\",\"name\":\"b\",\"credits\":8.5}",
        "{\"course\":\"A\",\"kind\":\"certification\"},"
        "{\"course\":\"B\",\"kind\":\"certification\"}");
    /* At the cap: L1 is worth 8. */
    skl_credit_source s = cert("urn:L1", ELECTRICIAN, "L1", "2025-01-01");
    plan r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    expect(&r, 0, 1, "A", 16, "exempts course A: 8 credits");
    ck_assert_ptr_null(strstr(r.d[0].reason, "capped"));
    plan_free(&r);
    /* Above: L2 is worth 9, capped at 8, so it still cannot cover B's 8.5. */
    skl_credit_programme *pb = test_prog(fw, "100", "{\"id\":\"B\",\"name\":\"b\",\"credits\":8.5}",
                                         "{\"course\":\"B\",\"kind\":\"certification\"}");
    s = cert("urn:L2", ELECTRICIAN, "L2", "2025-01-01");
    r = run(fw, pb, "2026-06-01", &s, 1, NULL, 0);
    expect(&r, 0, 0, NULL, 0, "not enough: matching sources give 8 credits, course B needs 8.5");
    plan_free(&r);
    r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    expect(&r, 0, 1, "A", 16, "(worth 9, capped at 8 per source)");
    plan_free(&r);
    /* Training hours are capped the same way: 162 h = 9 credits. */
    skl_credit_programme *pt = test_prog(fw, "100", "{\"id\":\"T\",\"name\":\"t\",\"credits\":8}",
                                         "{\"course\":\"T\",\"kind\":\"training\"}");
    skl_credit_source t = training("urn:162h", "job-skills-upgrading", "off-the-job", 162);
    r = run(fw, pt, "2026-06-01", &t, 1, NULL, 0);
    expect(&r, 0, 1, "T", 16, "(worth 9, capped at 8 per source)");
    plan_free(&r);
    /* Below: L3 is worth 6. */
    s = cert("urn:L3", ELECTRICIAN, "L3", "2025-01-01");
    r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    expect(&r, 0, 0, NULL, 0, "not enough: matching sources give 6 credits, course B needs 8.5");
    plan_free(&r);
    skl_credit_programme_free(pt);
    skl_credit_programme_free(pb);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

/* Three certificates of different occupations against courses A (6), B (4), C (0.5). */
static plan
total_cap_case(const skl_credit_framework *fw, const char *grad, skl_credit_programme **pp)
{
    *pp = test_prog(fw, grad,
                    "{\"id\":\"A\",\"name\":\"a\",\"credits\":6},{\"id\":\"B\",\"name\":\"b\","
                    "\"credits\":4},{\"id\":\"C\",\"name\":\"c\",\"credits\":0.5}",
                    "{\"course\":\"A\",\"kind\":\"certification\",\"minLevel\":\"L3\"},"
                    "{\"course\":\"B\",\"kind\":\"certification\",\"minLevel\":\"L4\"},"
                    "{\"course\":\"C\",\"kind\":\"certification\"}");
    static skl_credit_source s[3];
    s[0] = cert("urn:elec-L3", ELECTRICIAN, "L3", "2025-01-01");
    s[1] = cert("urn:weld-L4", WELDER, "L4", "2025-01-01");
    s[2] = cert("urn:cook-L5", "4-03-02-01", "L5", "2025-01-01");
    return run(fw, *pp, "2026-06-01", s, 3, NULL, 0);
}

START_TEST(test_total_cap)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p;
    /* 20 credits: the cap is 10 = A + B exactly (at); C would go above. */
    plan r = total_cap_case(fw, "20", &p);
    ck_assert_int_eq(r.rc, SKL_OK);
    expect(&r, 0, 1, "A", 12, "exempts course A");
    expect(&r, 1, 1, "B", 8, "exempts course B");
    expect(&r, 2, 0, NULL, 0,
           "cap reached: course C (0.5 credits) would bring converted credits to 10.5, above 10 "
           "(50% of 20)");
    ck_assert_int_eq(r.total, 20);
    plan_free(&r);
    skl_credit_programme_free(p);
    /* 21 credits: the cap is 10.5, and C fits (below, then at). */
    r = total_cap_case(fw, "21", &p);
    expect(&r, 2, 1, "C", 1, "exempts course C");
    ck_assert_int_eq(r.total, 21);
    plan_free(&r);
    skl_credit_programme_free(p);
    /* 20.5 credits: 50% is 10.25, rounded down to 10. */
    r = total_cap_case(fw, "20.5", &p);
    expect(&r, 2, 0, NULL, 0, "above 10 (50% of 20.5)");
    ck_assert_int_eq(r.total, 20);
    plan_free(&r);
    skl_credit_programme_free(p);
    /* 18 credits: cap 9; A (6) fits, B (4) does not, C (0.5) still does. */
    r = total_cap_case(fw, "18", &p);
    expect(&r, 0, 1, "A", 12, "exempts");
    expect(&r, 1, 0, NULL, 0,
           "cap reached: course B (4 credits) would bring converted credits "
           "to 10, above 9");
    expect(&r, 2, 1, "C", 1, "exempts");
    ck_assert_int_eq(r.total, 13);
    plan_free(&r);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_online_cap)
{
    skl_credit_framework *fw = fw_text(test_fw);
    /* 8 credits: online cap 2, total cap 4. */
    skl_credit_programme *p = test_prog(
        fw, "8",
        "{\"id\":\"O1\",\"name\":\"o\",\"credits\":1},{\"id\":\"O2\",\"name\":\"o\",\"credits\":1},"
        "{\"id\":\"O3\",\"name\":\"o\",\"credits\":0.5}",
        "{\"course\":\"O1\",\"kind\":\"training\"},{\"course\":\"O2\",\"kind\":\"training\"},"
        "{\"course\":\"O3\",\"kind\":\"training\"}");
    skl_credit_source s[4] = {training("urn:on1", "job-skills-upgrading", "online", 18),
                              training("urn:on2", "online-entrepreneurship", "off-the-job", 18),
                              training("urn:on3", "job-skills-upgrading", "online", 9),
                              training("urn:off", "job-skills-upgrading", "off-the-job", 9)};
    /* Below, then at the cap: one online credit, then two. */
    plan r = run(fw, p, "2026-06-01", s, 1, NULL, 0);
    expect(&r, 0, 1, "O1", 2, "exempts course O1");
    plan_free(&r);
    r = run(fw, p, "2026-06-01", s, 3, NULL, 0);
    expect(&r, 0, 1, "O1", 2, "exempts");
    expect(&r, 1, 1, "O2", 2, "exempts"); /* online by its training type */
    /* Above: the third would make 2.5 online credits. */
    expect(&r, 2, 0, NULL, 0,
           "cap reached: online training would exceed 2 credits (25% of 8) "
           "with course O3");
    ck_assert_int_eq(r.total, 4);
    plan_free(&r);
    /* With an off-line source too, O3 goes to it instead. */
    r = run(fw, p, "2026-06-01", s, 4, NULL, 0);
    expect(&r, 2, 0, NULL, 0, "course O3 is already exempted by urn:off");
    expect(&r, 3, 1, "O3", 1, "exempts course O3");
    ck_assert_int_eq(r.total, 5);
    plan_free(&r);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_overlap)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p = test_prog(
        fw, "100",
        "{\"id\":\"A\",\"name\":\"a\",\"credits\":2},{\"id\":\"B\",\"name\":\"b\",\"credits\":2}",
        "{\"course\":\"A\",\"kind\":\"certification\"},{\"course\":\"B\",\"kind\":"
        "\"certification\"}");
    skl_credit_source s[5] = {cert("urn:L5", ELECTRICIAN, "L5", "2020-01-01"),
                              cert("urn:L3", ELECTRICIAN, "L3", "2024-01-01"),
                              cert("urn:L4", ELECTRICIAN, "L4", "2022-01-01"),
                              cert("urn:L3-later", ELECTRICIAN, "L3", "2025-01-01"),
                              cert("urn:L4-2022", ELECTRICIAN, "L4", "2022-01-01")};
    s[4].edition = "2022"; /* another edition's code: not the same occupation */
    plan r = run(fw, p, "2026-06-01", s, 5, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_OK);
    expect(&r, 0, 0, NULL, 0, "overlap: urn:L3 at a higher level counts instead");
    /* Best fit: course A (2 credits) takes the smaller of the two that cover it. */
    expect(&r, 1, 1, "B", 4, "exempts course B: 2 credits (worth 6; the rest");
    expect(&r, 2, 0, NULL, 0, "overlap: urn:L3 at a higher level counts instead");
    expect(&r, 3, 0, NULL, 0, "overlap: urn:L3 at the same level counts instead");
    expect(&r, 4, 1, "A", 4, "exempts course A: 2 credits (worth 4;");
    plan_free(&r);
    /* An invalid higher certificate does not hide a valid lower one. */
    s[1].valid = 0;
    s[1].invalid_reason = "revoked by the evaluation body";
    s[3].valid = 0;
    s[3].invalid_reason = "superseded";
    r = run(fw, p, "2026-06-01", s, 4, NULL, 0);
    expect(&r, 0, 0, NULL, 0, "overlap: urn:L4 at a higher level");
    expect(&r, 1, 0, NULL, 0, "not valid: revoked by the evaluation body");
    expect(&r, 2, 1, "A", 4, "exempts course A");
    expect(&r, 3, 0, NULL, 0, "not valid: superseded");
    plan_free(&r);
    /* A certificate overlapping one the programme already converted is not used. */
    s[1].valid = 1;
    const char *used[] = {"urn:L5"};
    r = run(fw, p, "2026-06-01", s, 3, used, 1);
    expect(&r, 0, 0, NULL, 0, "already used in this programme");
    expect(&r, 1, 0, NULL, 0, "overlap: urn:L5 of the same occupation was already used");
    expect(&r, 2, 0, NULL, 0, "overlap: urn:L5 of the same occupation was already used");
    ck_assert_uint_eq(r.ng, 0);
    plan_free(&r);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_already_used_and_twice)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p = test_prog(
        fw, "100",
        "{\"id\":\"A\",\"name\":\"a\",\"credits\":2},{\"id\":\"B\",\"name\":\"b\",\"credits\":2}",
        "{\"course\":\"A\",\"kind\":\"certification\"},{\"course\":\"B\",\"kind\":"
        "\"certification\"}");
    skl_credit_source s[3] = {cert("urn:weld", WELDER, "L4", "2024-01-01"),
                              cert("urn:elec", ELECTRICIAN, "L4", "2024-01-01"),
                              cert("urn:weld", WELDER, "L4", "2024-01-01")};
    const char *used[] = {"urn:other", "urn:elec"};
    plan r = run(fw, p, "2026-06-01", s, 3, used, 2);
    expect(&r, 0, 1, "A", 4, "exempts course A");
    expect(&r, 1, 0, NULL, 0, "already used in this programme");
    expect(&r, 2, 0, NULL, 0, "offered twice: the same credential as source 1");
    ck_assert_uint_eq(r.ng, 1);
    plan_free(&r);
    /* One source backs one course: a second course stays open, with the reason. */
    r = run(fw, p, "2026-06-01", s, 1, NULL, 0);
    ck_assert_uint_eq(r.ng, 1);
    ck_assert_str_eq(r.g[0].course, "A");
    plan_free(&r);
    /* A course is exempted once: the second matching source has no course left. */
    skl_credit_programme *p1 = test_prog(fw, "100", "{\"id\":\"A\",\"name\":\"a\",\"credits\":2}",
                                         "{\"course\":\"A\",\"kind\":\"certification\"}");
    r = run(fw, p1, "2026-06-01", s, 2, NULL, 0);
    expect(&r, 0, 1, "A", 4, "exempts");
    expect(&r, 1, 0, NULL, 0, "course A is already exempted by urn:weld");
    plan_free(&r);
    skl_credit_programme_free(p1);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_values_and_matching)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p = test_prog(
        fw, "100",
        "{\"id\":\"C\",\"name\":\"c\",\"credits\":3},{\"id\":\"H\",\"name\":\"h\",\"credits\":2.5},"
        "{\"id\":\"X\",\"name\":\"x\",\"credits\":1}",
        "{\"course\":\"C\",\"kind\":\"competition\",\"tiers\":[\"city\"]},"
        "{\"course\":\"H\",\"kind\":\"honour\",\"honours\":[\"beicheng-craftsman\"]},"
        "{\"course\":\"X\",\"kind\":\"certification\",\"minLevel\":\"L4\","
        "\"evaluationTypes\":[\"skill-level\"],"
        "\"occupations\":[{\"code\":\"6-31-01-03\",\"edition\":\"2015\"}]}");
    skl_credit_source s[6];
    memset(s, 0, sizeof s);
    s[0].id = "urn:comp2";
    s[0].kind = "competition";
    s[0].competition_tier = "city";
    s[0].award = "二等奖"; /* no exact row: the tier's row, 3 credits */
    s[0].valid = 1;
    s[1].id = "urn:comp-district";
    s[1].kind = "competition";
    s[1].competition_tier = "district";
    s[1].valid = 1;
    s[2].id = "urn:honour";
    s[2].kind = "honour";
    s[2].honour = "beicheng-craftsman";
    s[2].valid = 1;
    s[3] = cert("urn:L5", ELECTRICIAN, "L5", "2024-01-01"); /* below minLevel */
    s[4] = cert("urn:1x", NULL, "X-senior", "2024-01-01");  /* no value in test_fw */
    s[5] = cert("urn:vq", WELDER, "L3", "2024-01-01");      /* another occupation */
    plan r = run(fw, p, "2026-06-01", s, 6, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_OK);
    expect(&r, 0, 1, "C", 6, "exempts course C: 3 credits");
    expect(&r, 1, 0, NULL, 0, "the framework gives no credits for district tier award (none)");
    expect(&r, 2, 1, "H", 5, "exempts course H: 2.5 credits");
    expect(&r, 3, 0, NULL, 0, "no matching course in this programme");
    expect(&r, 4, 0, NULL, 0, "the framework gives no credits for level X-senior");
    expect(&r, 5, 0, NULL, 0, "no matching course in this programme");
    ck_assert_int_eq(r.total, 11);
    plan_free(&r);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_rules_not_in_force)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p = test_prog(fw, "100", "{\"id\":\"A\",\"name\":\"a\",\"credits\":2}",
                                        "{\"course\":\"A\",\"kind\":\"certification\"}");
    skl_credit_source s = cert("urn:x", ELECTRICIAN, "L4", "2024-01-01");
    /* The test framework runs from 2026-01-01 to (not including) 2027-01-01. */
    ck_assert_int_eq(skl_credit_rules_in_force(fw, p, day("2026-01-01")), 1);
    ck_assert_int_eq(skl_credit_rules_in_force(fw, p, day("2027-01-01") - 1), 1);
    ck_assert_int_eq(skl_credit_rules_in_force(fw, p, day("2027-01-01")), 0);
    ck_assert_int_eq(skl_credit_rules_in_force(fw, p, day("2026-01-01") - 1), 0);
    ck_assert_int_eq(skl_credit_rules_in_force(NULL, p, day("2026-06-01")), 0);
    plan r = run(fw, p, "2027-01-01", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_STATE);
    ck_assert_ptr_nonnull(strstr(r.why, "the rules are not in force"));
    ck_assert_ptr_null(r.g);
    ck_assert_ptr_null(r.d);
    plan_free(&r);
    r = run(fw, p, "2025-12-31", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_STATE);
    plan_free(&r);
    skl_credit_programme_free(p);
    /* A programme that expired while its framework is still in force. */
    char text[1024];
    snprintf(text, sizeof text,
             "{\"id\":\"p\",\"version\":\"1\",\"effective\":\"2026-01-01\",\"expires\":"
             "\"2026-06-01\",\"framework\":{\"id\":\"test-fw\",\"version\":\"1\"},\"school\":"
             "\"s\",\"name\":\"n\",\"graduationCredits\":100,\"courses\":[{\"id\":\"A\",\"name\":"
             "\"a\",\"credits\":2}],\"mappings\":[]}");
    p = prog_text(fw, text);
    r = run(fw, p, "2026-05-31", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_OK);
    expect(&r, 0, 0, NULL, 0, "no matching course");
    plan_free(&r);
    r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_STATE);
    plan_free(&r);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

START_TEST(test_bad_arguments)
{
    skl_credit_framework *fw = fw_text(test_fw);
    skl_credit_programme *p = test_prog(fw, "100", "{\"id\":\"A\",\"name\":\"a\",\"credits\":2}",
                                        "{\"course\":\"A\",\"kind\":\"certification\"}");
    skl_credit_source s = cert("urn:x", ELECTRICIAN, "L4", "2024-01-01");
    s.kind = "diploma";
    plan r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_INVAL);
    ck_assert_ptr_nonnull(strstr(r.why, "urn:x: unknown kind"));
    ck_assert_ptr_null(r.d);
    s.kind = "certification";
    s.id = NULL;
    r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_INVAL);
    char longid[200];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    s.id = longid;
    r = run(fw, p, "2026-06-01", &s, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_INVAL);
    r = run(fw, p, "2026-06-01", NULL, 1, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_INVAL);
    /* A programme planned under another framework. */
    skl_credit_framework *other = fw_text(test_fw);
    r = run(other, p, "2026-06-01", NULL, 0, NULL, 0);
    ck_assert_int_eq(r.rc, SKL_ERR_INVAL);
    skl_credit_framework_free(other);
    skl_credit_programme_free(p);
    skl_credit_framework_free(fw);
}
END_TEST

Suite *
credit_suite(void)
{
    Suite *s = suite_create("credit");
    TCase *tc = tcase_create("credit");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_files_parse);
    tcase_add_test(tc, test_framework_malformed);
    tcase_add_test(tc, test_programme_malformed);
    tcase_add_test(tc, test_demo_plan);
    tcase_add_test(tc, test_rounding);
    tcase_add_test(tc, test_per_source_cap);
    tcase_add_test(tc, test_total_cap);
    tcase_add_test(tc, test_online_cap);
    tcase_add_test(tc, test_overlap);
    tcase_add_test(tc, test_already_used_and_twice);
    tcase_add_test(tc, test_values_and_matching);
    tcase_add_test(tc, test_rules_not_in_force);
    tcase_add_test(tc, test_bad_arguments);
    suite_add_tcase(s, tc);
    return s;
}
