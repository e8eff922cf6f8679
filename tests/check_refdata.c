/* check_refdata.c - the reference data of spec/data, its loader, and certificate numbers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed_int.h"
#include "skl/json.h"
#include "skl/refdata.h"
#include "testutil.h"

static skl_refdata *
load(void)
{
    skl_refdata *rd = NULL;
    char why[256] = "";
    skl_err rc = skl_refdata_load_default(&rd, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "load: %s", why);
    ck_assert_ptr_nonnull(rd);
    return rd;
}

/* Writes text to a new file dir/name; returns the path (caller frees). */
static char *
put(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    ck_assert_ptr_nonnull(path);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

START_TEST(test_every_file_parses)
{
    size_t nfiles = 0;
    for (const skl_embedded *e = skl_embedded_files; e->name != NULL; e++, nfiles++) {
        skl_json_doc *doc = NULL;
        char why[160] = "";
        ck_assert_msg(skl_json_parse(&doc, e->data, e->len, 1u << 24, why, sizeof why) == SKL_OK,
                      "%s: %s", e->name, why);
        const skl_json_value *r = skl_json_root(doc);
        ck_assert_msg(skl_json_string(skl_json_get(r, "version")) != NULL, "%s", e->name);
        ck_assert_msg(skl_json_string(skl_json_get(r, "published")) != NULL, "%s", e->name);
        skl_json_free(doc);
    }
    ck_assert_uint_ge(nfiles, 8);
    static const char *const mine[] = {"levels.json",         "occupations.json",
                                       "training-types.json", "funding-modes.json",
                                       "delivery-modes.json", "evaluation-types.json",
                                       "honours.json",        "competition-tiers.json"};
    for (size_t i = 0; i < sizeof mine / sizeof mine[0]; i++) {
        size_t len;
        ck_assert_msg(skl_embedded_find(mine[i], &len) != NULL, "%s", mine[i]);
    }
    static const char *const schemas[] = {"common",      "scope",  "training",   "certification",
                                          "competition", "honour", "revocation", "accreditation"};
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
        char path[128];
        size_t len;
        skl_json_doc *doc = NULL;
        char why[160] = "";
        snprintf(path, sizeof path, "spec/schemas/%s.json", schemas[i]);
        char *t = tu_read_file(path, &len);
        ck_assert_msg(skl_json_parse(&doc, t, len, 1u << 20, why, sizeof why) == SKL_OK, "%s: %s",
                      path, why);
        ck_assert_str_eq(skl_json_string(skl_json_get(skl_json_root(doc), "$schema")),
                         "https://json-schema.org/draft/2020-12/schema");
        skl_json_free(doc);
        free(t);
    }
}
END_TEST

START_TEST(test_version)
{
    skl_refdata *rd = load();
    const char *v = skl_refdata_version(rd);
    static const char *const files[] = {"levels 2026-11",         "occupations 2026-11",
                                        "training-types 2026-11", "funding-modes 2026-11",
                                        "delivery-modes 2026-11", "evaluation-types 2026-11",
                                        "honours 2026-11",        "competition-tiers 2026-11"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        ck_assert_msg(strstr(v, files[i]) != NULL, "%s not in %s", files[i], v);
    ck_assert_str_eq(skl_refdata_file_version(rd, "levels"), "2026-11");
    ck_assert_ptr_null(skl_refdata_file_version(rd, "nope"));
    skl_refdata_free(rd);
    skl_refdata_free(NULL);
}
END_TEST

START_TEST(test_levels)
{
    skl_refdata *rd = load();
    const char *scale = NULL;
    int r1 = -1, r5 = -1, ra = -1, rx = -1;
    ck_assert_int_eq(skl_refdata_level(rd, "L1", &scale, &r1), SKL_OK);
    ck_assert_str_eq(scale, "skill");
    ck_assert_int_eq(skl_refdata_level(rd, "L5", NULL, &r5), SKL_OK);
    ck_assert_int_eq(skl_refdata_level(rd, "apprentice", NULL, &ra), SKL_OK);
    ck_assert_int_lt(ra, r5);
    ck_assert_int_lt(r5, r1);
    ck_assert_int_eq(skl_refdata_level(rd, "chief", NULL, &rx), SKL_OK);
    ck_assert_int_gt(rx, r1);
    ck_assert_int_eq(skl_refdata_level(rd, "X-senior", &scale, &rx), SKL_OK);
    ck_assert_str_eq(scale, "1+X");
    ck_assert_int_eq(skl_refdata_level(rd, "L9", &scale, &rx), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_refdata_level(rd, "l1", &scale, &rx), SKL_ERR_NOTFOUND);
    ck_assert_str_eq(skl_refdata_level_name(rd, "L4"), "四级/中级工");
    ck_assert_str_eq(skl_refdata_level_name(rd, "L1"), "一级/高级技师");
    ck_assert_int_eq(skl_refdata_level_on_scale(rd, "X-junior", "1+X"), 1);
    ck_assert_int_eq(skl_refdata_level_on_scale(rd, "X-junior", "skill"), 0);
    ck_assert_int_eq(skl_refdata_scale_known(rd, "skill"), 1);
    ck_assert_int_eq(skl_refdata_scale_known(rd, "2+Y"), 0);
    skl_refdata_free(rd);
}
END_TEST

START_TEST(test_occupations)
{
    skl_refdata *rd = load();
    ck_assert_str_eq(skl_refdata_occupation(rd, "6-31-01-03", "2015"), "电工");
    ck_assert_str_eq(skl_refdata_occupation(rd, "6-18-02-04", "2015"), "焊工");
    ck_assert_str_eq(skl_refdata_occupation(rd, "4-03-02-01", "2022"), "中式烹调师");
    ck_assert_str_eq(skl_refdata_occupation(rd, "4-12-01-01", "2015"), "汽车维修工");
    ck_assert_ptr_null(skl_refdata_occupation(rd, "6-99-99-99", "2015"));
    ck_assert_ptr_null(skl_refdata_occupation(rd, "6-31-01-03", "2009"));
    ck_assert_ptr_null(skl_refdata_occupation(rd, "4-01-02-07", "2015"));
    ck_assert_str_eq(skl_refdata_occupation(rd, "4-01-02-07", "2022"), "互联网营销师");
    ck_assert_str_eq(skl_refdata_occupation_tags(rd, "4-01-02-07", "2022"), "S");
    ck_assert_str_eq(skl_refdata_occupation_tags(rd, "4-09-07-04", "2022"), "L");
    ck_assert_str_eq(skl_refdata_occupation_tags(rd, "6-31-01-03", "2022"), "");
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "4-14-02-02", "2015", "L3"), 1);
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "4-14-02-02", "2015", "L4"), 0);
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "6-31-01-03", "2015", "L1"), 1);
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "6-99-99-99", "2015", "L1"), 0);
    ck_assert_int_eq(skl_refdata_edition_known(rd, "2022"), 1);
    ck_assert_int_eq(skl_refdata_edition_known(rd, "1999"), 0);
    skl_refdata_free(rd);
}
END_TEST

START_TEST(test_tables)
{
    skl_refdata *rd = load();
    ck_assert_str_eq(skl_refdata_name(rd, "training-types", "syb"), "SYB 创办你的企业");
    ck_assert_str_eq(skl_refdata_name(rd, "training-types", "employment-skills"), "就业技能培训");
    ck_assert_str_eq(skl_refdata_name(rd, "funding-modes", "government-subsidy"), "政府补贴");
    ck_assert_str_eq(skl_refdata_name(rd, "delivery-modes", "apprenticeship"), "企业新型学徒制");
    ck_assert_str_eq(skl_refdata_name(rd, "competition-tiers", "city"),
                     "市级职业技能竞赛 (巴渝工匠杯)");
    ck_assert_str_eq(skl_refdata_name(rd, "honours", "beicheng-craftsman"), "碚城工匠");
    ck_assert_ptr_null(skl_refdata_name(rd, "honours", "syb"));
    ck_assert_ptr_null(skl_refdata_name(rd, "nope", "syb"));

    const skl_refdata_evaltype *e = skl_refdata_evaluation_type(rd, "skill-level");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->name, "职业技能等级认定");
    ck_assert_int_eq(e->certificate_number, SKL_PRESENCE_REQUIRED);
    ck_assert_int_eq(e->occupation, SKL_PRESENCE_REQUIRED);
    ck_assert_str_eq(e->scale, "skill");
    ck_assert_int_eq(e->nlevels, 5);
    e = skl_refdata_evaluation_type(rd, "1+X");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->scale, "1+X");
    ck_assert_int_eq(e->occupation, SKL_PRESENCE_FORBIDDEN);
    e = skl_refdata_evaluation_type(rd, "special-ability");
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_null(e->scale);
    ck_assert_int_eq(e->level, SKL_PRESENCE_FORBIDDEN);
    e = skl_refdata_evaluation_type(rd, "enterprise");
    ck_assert_int_eq(e->evaluator_y, 1);
    ck_assert_int_eq(e->evaluator_s, 0);
    ck_assert_ptr_null(skl_refdata_evaluation_type(rd, "nope"));

    const char *name, *tier;
    const skl_refdata_prereq *pre;
    size_t npre;
    ck_assert_int_eq(skl_refdata_honour(rd, "chongqing-skill-master", &name, &tier, &pre, &npre),
                     SKL_OK);
    ck_assert_str_eq(name, "重庆技能大师");
    ck_assert_str_eq(tier, "city");
    ck_assert_int_eq(npre, 2);
    ck_assert_str_eq(pre[0].kind, "certification");
    ck_assert_str_eq(pre[0].min_level, "L1");
    ck_assert_ptr_null(pre[0].title);
    ck_assert_str_eq(pre[1].kind, "honour");
    ck_assert_str_eq(pre[1].title, "national-technical-expert");
    ck_assert_int_eq(skl_refdata_honour(rd, "beicheng-craftsman", NULL, &tier, &pre, &npre),
                     SKL_OK);
    ck_assert_str_eq(tier, "district");
    ck_assert_int_eq(npre, 0);
    ck_assert_int_eq(skl_refdata_honour(rd, "nope", NULL, NULL, NULL, NULL), SKL_ERR_NOTFOUND);
    skl_refdata_free(rd);
}
END_TEST

static void
certno_bad(const char *no, const char *level, const char *ev, const char *want)
{
    char why[160] = "";
    ck_assert_msg(skl_certno_check(no, level, ev, why, sizeof why) == SKL_ERR_SCHEMA, "%s", no);
    ck_assert_msg(strstr(why, want) != NULL, "%s: why \"%s\" lacks \"%s\"", no, why, want);
}

START_TEST(test_certno)
{
    char why[160] = "";
    /* S, body 0001, province 50, site 000001, year 26, level 4, serial 000123. */
    ck_assert_int_eq(skl_certno_check("S000150000001264000123", "L4", "S", why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_certno_check("Y000150000001261000123", "L1", "Y", why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_certno_check("Y000150000001265000123", NULL, NULL, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_certno_check("1234567890123456", "L3", NULL, why, sizeof why), SKL_OK);
    ck_assert_int_eq(skl_certno_check("1234567890123456", NULL, "S", why, sizeof why), SKL_OK);

    certno_bad("S000150000001264000123", "L3", "S", "says level 4");
    certno_bad("S000150000001264000123", "L4", "Y", "starts S");
    certno_bad("Y000150000001264000123", "L4", "S", "starts Y");
    certno_bad("S000150000001260000123", NULL, NULL, "level 1-5");
    certno_bad("S000150000001266000123", NULL, NULL, "level 1-5");
    certno_bad("S000150000001264000123", "special", NULL, "cannot have");
    certno_bad("S000150000001264000123", "X-junior", NULL, "cannot have");
    certno_bad("X000150000001264000123", NULL, NULL, "Y or S");
    certno_bad("s000150000001264000123", NULL, NULL, "Y or S");
    certno_bad("S00015000000126400012A", NULL, NULL, "Y or S");
    certno_bad("S00015000000126400012", NULL, NULL, "not 21");
    certno_bad("S0001500000012640001234", NULL, NULL, "not 23");
    certno_bad("", NULL, NULL, "not 0");
    certno_bad("123456789012345A", NULL, NULL, "all digits");
    certno_bad("S23456789012345", NULL, NULL, "not 15");
    certno_bad("1234567890123456", "X-senior", NULL, "legacy");
    certno_bad(NULL, NULL, NULL, "no certificate");
}
END_TEST

START_TEST(test_load_occupations_csv)
{
    skl_refdata *rd = load();
    char *dir = tu_tmpdir(), why[256] = "";
    char *p = put(dir, "occ.csv",
                  "code,edition,name,levels\r\n"
                  "6-31-01-03,2015,电工(维修),L5;L4;L3\r\n"
                  "\r\n"
                  "2-02-10-01,2022,计算机硬件工程技术人员\n"
                  "6-99-01-01,2015,测试工种,L5\n");
    ck_assert_msg(skl_refdata_load_occupations(rd, p, why, sizeof why) == SKL_OK, "%s", why);
    ck_assert_str_eq(skl_refdata_occupation(rd, "6-31-01-03", "2015"), "电工(维修)");
    ck_assert_str_eq(skl_refdata_occupation(rd, "6-31-01-03", "2022"), "电工");
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "6-31-01-03", "2015", "L1"), 0);
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "6-31-01-03", "2015", "L3"), 1);
    ck_assert_str_eq(skl_refdata_occupation(rd, "2-02-10-01", "2022"), "计算机硬件工程技术人员");
    ck_assert_int_eq(skl_refdata_occupation_has_level(rd, "2-02-10-01", "2022", "L1"), 1);
    ck_assert_str_eq(skl_refdata_occupation(rd, "6-18-02-04", "2015"), "焊工");
    ck_assert_ptr_nonnull(strstr(skl_refdata_version(rd), "occupations 2026-11 + occ.csv"));

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"6-31-01-03,2015,电工\n6-31-01,2015,x\n", "occ.csv line 2: code"},
        {"6-31-01-03,2015,电工\n\n6-31-01-04,2019,x\n", "occ.csv line 3: edition"},
        {"6-31-01-03,2015\n", "line 1: expected"},
        {"6-31-01-03,2015,a,L5,x\n", "line 1: expected"},
        {"6-31-01-03,2015,\"a\"\n", "line 1: the name"},
        {"6-31-01-03,2015,a,L5;L9\n", "line 1: levels"},
        {"6-31-01-03,2015,a,X-junior\n", "line 1: levels"},
        {"6-31-01-03,2015,a\n6-31-01-03,2015,b\n", "line 2: 6-31-01-03 (2015) listed twice"},
        {"code,edition,name\n", "no occupations"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *q = put(dir, "occ.csv", bad[i].text);
        why[0] = '\0';
        ck_assert_msg(skl_refdata_load_occupations(rd, q, why, sizeof why) != SKL_OK, "%zu", i);
        ck_assert_msg(strstr(why, bad[i].want) != NULL, "%zu: \"%s\" lacks \"%s\"", i, why,
                      bad[i].want);
        free(q);
    }
    /* All or nothing: the failed loads changed nothing. */
    ck_assert_str_eq(skl_refdata_occupation(rd, "6-31-01-03", "2015"), "电工(维修)");
    ck_assert_ptr_null(skl_refdata_occupation(rd, "6-31-01-04", "2015"));
    ck_assert_ptr_null(strstr(skl_refdata_version(rd), "+ occ.csv + occ.csv"));
    ck_assert_int_eq(skl_refdata_load_occupations(rd, "/nonexistent/occ.csv", why, sizeof why),
                     SKL_ERR_IO);
    free(p);
    free(dir);
    skl_refdata_free(rd);
}
END_TEST

START_TEST(test_load_occupations_json)
{
    skl_refdata *rd = load();
    char *dir = tu_tmpdir(), why[256] = "";
    char *p = put(dir, "dadian-2022.json",
                  "{\"version\":\"2027-01\",\"published\":\"2027-01-05\",\"source\":\"test\","
                  "\"occupations\":[{\"code\":\"4-04-05-03\",\"edition\":\"2022\","
                  "\"name\":\"计算机网络工程师\",\"levels\":[\"L3\",\"L2\"],\"tags\":[\"S\"]}]}");
    ck_assert_msg(skl_refdata_load_occupations(rd, p, why, sizeof why) == SKL_OK, "%s", why);
    ck_assert_str_eq(skl_refdata_occupation(rd, "4-04-05-03", "2022"), "计算机网络工程师");
    ck_assert_str_eq(skl_refdata_occupation_tags(rd, "4-04-05-03", "2022"), "S");
    ck_assert_ptr_nonnull(strstr(skl_refdata_version(rd), "occupations 2026-11 + 2027-01"));

    static const struct {
        const char *text, *want;
    } bad[] = {
        {"{\"version\":\"1\",\"published\":\"2027-01-05\",\"source\":\"t\",\"occupations\":"
         "[{\"code\":\"4-04-05-04\",\"edition\":\"2022\",\"name\":\"x\",\"nmae\":1}]}",
         "occupations[0]: unknown member \"nmae\""},
        {"{\"version\":\"1\",\"published\":\"2027-02-30\",\"source\":\"t\",\"occupations\":[]}",
         "published date"},
        {"{\"version\":\"1\",\"published\":\"2027-01-05\",\"source\":\"t\",\"occupations\":"
         "[{\"code\":\"4-04-05-04\",\"edition\":\"2019\",\"name\":\"x\"}]}",
         "not a known edition"},
        {"{\"version\":\"1\",\"published\":\"2027-01-05\",\"source\":\"t\"}", "missing member"},
        {"{\"version\":\"1\",", "bad.json: "},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *q = put(dir, "bad.json", bad[i].text);
        why[0] = '\0';
        ck_assert_msg(skl_refdata_load_occupations(rd, q, why, sizeof why) != SKL_OK, "%zu", i);
        ck_assert_msg(strstr(why, bad[i].want) != NULL, "%zu: \"%s\" lacks \"%s\"", i, why,
                      bad[i].want);
        free(q);
    }
    ck_assert_ptr_null(skl_refdata_occupation(rd, "4-04-05-04", "2022"));
    free(p);
    free(dir);
    skl_refdata_free(rd);
}
END_TEST

Suite *refdata_suite(void);

Suite *
refdata_suite(void)
{
    Suite *s = suite_create("refdata");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_every_file_parses);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_levels);
    tcase_add_test(tc, test_occupations);
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_certno);
    tcase_add_test(tc, test_load_occupations_csv);
    tcase_add_test(tc, test_load_occupations_json);
    suite_add_tcase(s, tc);
    return s;
}
