/* check_build.c - credentials shaped from named fields (spec/kinds.md, spec/import.md) and the
 * roster header aliases of spec/data/fields.json. */
#include <check.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/build.h"
#include "skl/json.h"
#include "testutil.h"

#define DID "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
#define HASH "sha256$0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID1 "urn:uuid:3f0e9a52-6c1b-4d2e-9a7f-1b2c3d4e5f60"
#define ID2 "urn:uuid:9b1d7c4e-2a3f-4b5c-8d6e-7f8091a2b3c4"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Builds, asserts success, checks the output is canonical, returns the parsed document. */
static skl_json_doc *
build_ok(const skl_field *f, size_t n, char **text)
{
    char *out = NULL, why[256] = "";
    size_t len = 0;
    skl_err rc = skl_credential_build(&out, &len, f, n, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "build failed: %d %s", rc, why);
    ck_assert_uint_eq(strlen(out), len);
    skl_json_doc *doc = NULL;
    ck_assert_int_eq(skl_json_parse(&doc, out, len, len, why, sizeof why), SKL_OK);
    char *again = NULL;
    size_t alen = 0;
    ck_assert_int_eq(skl_json_canonicalize(skl_json_root(doc), &again, &alen), SKL_OK);
    ck_assert_uint_eq(alen, len);
    ck_assert_str_eq(again, out);
    free(again);
    if (text != NULL)
        *text = out;
    else
        free(out);
    return doc;
}

/* Expects the build to fail with SKL_ERR_SCHEMA and exactly msg. */
static void
build_err(const skl_field *f, size_t n, const char *msg)
{
    char *out = (char *)1, why[256] = "";
    size_t len = 7;
    skl_err rc = skl_credential_build(&out, &len, f, n, why, sizeof why);
    ck_assert_msg(rc == SKL_ERR_SCHEMA, "expected SKL_ERR_SCHEMA, got %d (%s) for %s", rc, why,
                  msg);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(why, msg);
}

/* The value at a path of object keys (NULL-terminated). */
static const skl_json_value *
at(const skl_json_doc *doc, ...)
{
    va_list ap;
    const skl_json_value *v = skl_json_root(doc);
    const char *k;
    va_start(ap, doc);
    while (v != NULL && (k = va_arg(ap, const char *)) != NULL)
        v = skl_json_get(v, k);
    va_end(ap);
    return v;
}

#define S(...) skl_json_string(at(doc, __VA_ARGS__, NULL))

static void
expect_num(const skl_json_value *v, double d)
{
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->type, SKL_JSON_NUMBER);
    ck_assert(v->u.num == d);
}

/* The members spec/kinds.md gives every credential. */
static void
check_common(const skl_json_doc *doc, const char *ach_type, int worker)
{
    const skl_json_value *ctx = at(doc, "@context", NULL);
    ck_assert_int_eq(ctx->type, SKL_JSON_ARRAY);
    ck_assert_uint_eq(ctx->n, 2);
    ck_assert_str_eq(skl_json_string(&ctx->u.arr[0]), "https://www.w3.org/ns/credentials/v2");
    ck_assert_str_eq(skl_json_string(&ctx->u.arr[1]),
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    const skl_json_value *type = at(doc, "type", NULL);
    ck_assert_uint_eq(type->n, 2);
    ck_assert_str_eq(skl_json_string(&type->u.arr[0]), "VerifiableCredential");
    ck_assert_str_eq(skl_json_string(&type->u.arr[1]), "OpenBadgeCredential");
    ck_assert_str_eq(S("issuer", "id"), DID);
    ck_assert_str_eq(skl_json_string(&at(doc, "issuer", "type", NULL)->u.arr[0]), "Profile");
    ck_assert_ptr_nonnull(S("issuer", "name"));
    ck_assert_uint_eq(strlen(S("validFrom")), 20);
    ck_assert_ptr_nonnull(S("name"));
    ck_assert_str_eq(skl_json_string(&at(doc, "credentialSubject", "type", NULL)->u.arr[0]),
                     "AchievementSubject");
    ck_assert_str_eq(S("credentialSubject", "achievement", "achievementType"), ach_type);
    ck_assert_str_eq(
        skl_json_string(&at(doc, "credentialSubject", "achievement", "type", NULL)->u.arr[0]),
        "Achievement");
    ck_assert(strncmp(S("credentialSubject", "achievement", "id"), "urn:skl:achievement:", 20) ==
              0);
    ck_assert_ptr_nonnull(S("credentialSubject", "achievement", "name"));
    ck_assert_ptr_nonnull(S("credentialSubject", "achievement", "description"));
    ck_assert_ptr_nonnull(S("credentialSubject", "achievement", "criteria", "narrative"));
    ck_assert_ptr_null(at(doc, "proof", NULL));
    const skl_json_value *ident = at(doc, "credentialSubject", "identifier", NULL);
    if (worker) {
        ck_assert_ptr_nonnull(ident);
        ck_assert_uint_eq(ident->n, 1);
        const skl_json_value *io = &ident->u.arr[0];
        ck_assert_str_eq(skl_json_string(skl_json_get(io, "type")), "IdentityObject");
        ck_assert_str_eq(skl_json_string(skl_json_get(io, "identityHash")), HASH);
        ck_assert_str_eq(skl_json_string(skl_json_get(io, "identityType")),
                         "nationalIdentityNumber");
        ck_assert_int_eq(skl_json_get(io, "hashed")->type, SKL_JSON_TRUE);
        ck_assert_ptr_null(at(doc, "credentialSubject", "id", NULL));
    } else {
        ck_assert_ptr_null(ident);
        ck_assert_ptr_nonnull(S("credentialSubject", "id"));
    }
}

static const skl_field TRAINING[] = {
    {"kind", "training"},
    {"id", ID1},
    {"issuer", DID},
    {"issuerName", "重庆市北碚区职业培训学校"},
    {"validFrom", "2024-07-01T08:00:00Z"},
    {"identityHash", HASH},
    {"trainingType", "employment-skills"},
    {"funding", "government-subsidy"},
    {"delivery", "full-time"},
    {"programme", "PKG-6-31-01-03"},
    {"programmeVersion", "2021"},
    {"occupationName", "电工"},
    {"occupation", "6-31-01-03"},
    {"edition", "2015"},
    {"hours", " 120 "},
    {"startDate", "2024/5/6"},
    {"endDate", "2024-06-28"},
    {"result", "合格"},
    {"sponsor", "91500109MA5U000001"},
};

/* A fully specified training credential has one exact canonical form. */
START_TEST(t_training_known_answer)
{
    char *text;
    skl_json_doc *doc = build_ok(TRAINING, N(TRAINING), &text);
    ck_assert_str_eq(
        text,
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://purl.imsglobal.org/"
        "spec/ob/v3p0/context-3.0.3.json\"],\"credentialSubject\":{\"achievement\":{"
        "\"achievementType\":\"Course\",\"criteria\":{\"narrative\":\"电工 就业技能培训\"},"
        "\"description\":\"电工 就业技能培训\",\"id\":\"urn:skl:achievement:training:"
        "employment-skills:PKG-6-31-01-03:2021:2015:6-31-01-03\",\"name\":\"电工 "
        "就业技能培训\",\"type\":[\"Achievement\"]},\"identifier\":[{\"hashed\":true,"
        "\"identityHash\":\"" HASH "\",\"identityType\":\"nationalIdentityNumber\",\"type\":"
        "\"IdentityObject\"}],\"skl\":{\"delivery\":\"full-time\",\"endDate\":\"2024-06-28\","
        "\"funding\":\"government-subsidy\",\"hours\":120,\"kind\":\"training\",\"occupation\":{"
        "\"code\":\"6-31-01-03\",\"edition\":\"2015\"},\"programme\":{\"id\":\"PKG-6-31-01-03\","
        "\"version\":\"2021\"},\"result\":\"passed\",\"sponsor\":\"91500109MA5U000001\","
        "\"startDate\":\"2024-05-06\",\"trainingType\":\"employment-skills\"},\"type\":["
        "\"AchievementSubject\"]},\"id\":\"" ID1 "\",\"issuer\":{\"id\":\"" DID "\",\"name\":"
        "\"重庆市北碚区职业培训学校\",\"type\":[\"Profile\"]},\"name\":\"电工 就业技能培训\","
        "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"validFrom\":"
        "\"2024-07-01T08:00:00Z\"}");
    check_common(doc, "Course", 1);
    free(text);
    skl_json_free(doc);
}
END_TEST

START_TEST(t_training_members)
{
    skl_json_doc *doc = build_ok(TRAINING, N(TRAINING), NULL);
    ck_assert_str_eq(S("credentialSubject", "skl", "kind"), "training");
    expect_num(at(doc, "credentialSubject", "skl", "hours", NULL), 120);
    ck_assert_str_eq(S("credentialSubject", "skl", "startDate"), "2024-05-06");
    ck_assert_str_eq(S("credentialSubject", "skl", "result"), "passed");
    ck_assert_str_eq(S("credentialSubject", "skl", "programme", "version"), "2021");
    ck_assert_ptr_null(at(doc, "credentialSubject", "skl", "occupationName", NULL));
    ck_assert_ptr_null(at(doc, "validUntil", NULL));
    skl_json_free(doc);
}
END_TEST

/* Minimal fields: id and validFrom are made up, optional members left out. */
START_TEST(t_defaults)
{
    const skl_field f[] = {
        {"kind", "training"},      {"issuer", DID},         {"issuerName", "X"},
        {"identityHash", HASH},    {"trainingType", "syb"}, {"funding", "market"},
        {"delivery", "online"},    {"hours", "8"},          {"startDate", "2024-01-01"},
        {"endDate", "2024-01-01"}, {"result", "attended"},  {"sponsor", "  "},
        {"programme", ""},
    };
    skl_json_doc *doc = build_ok(f, N(f), NULL);
    check_common(doc, "Course", 1);
    const char *id = S("id");
    ck_assert_uint_eq(strlen(id), 45);
    ck_assert(strncmp(id, "urn:uuid:", 9) == 0);
    ck_assert_int_eq(id[9 + 14], '4');                 /* version 4 */
    ck_assert_ptr_nonnull(strchr("89ab", id[9 + 19])); /* RFC 4122 variant */
    ck_assert_ptr_null(at(doc, "credentialSubject", "skl", "sponsor", NULL));
    ck_assert_ptr_null(at(doc, "credentialSubject", "skl", "programme", NULL));
    ck_assert_ptr_null(at(doc, "credentialSubject", "skl", "occupation", NULL));
    ck_assert_str_eq(S("name"), "SYB 创办你的企业"); /* the training type's name, spec/data */
    ck_assert_str_eq(S("credentialSubject", "achievement", "id"),
                     "urn:skl:achievement:training:syb::::");
    /* a second credential gets a different id */
    skl_json_doc *doc2 = build_ok(f, N(f), NULL);
    ck_assert_str_ne(skl_json_string(skl_json_get(skl_json_root(doc2), "id")), id);
    skl_json_free(doc2);
    skl_json_free(doc);
}
END_TEST

START_TEST(t_certification)
{
    const skl_field f[] = {
        {"kind", "certification"},
        {"issuer", DID},
        {"issuerName", "重庆某职业技能鉴定站"},
        {"identityHash", HASH},
        {"evaluationType", "skill-level"},
        {"occupationName", "电工"},
        {"occupation", "6-31-01-03"},
        {"edition", "2015版"},
        {"level", "四级／中级工"},
        {"certificateNumber", "S000000000000004000001"},
        {"issueDate", "2024.3.5"},
        {"certValidUntil", "2029-03-04"},
        {"evaluator", "Y"},
        {"employer", "91500109MA5U000001"},
        {"validUntil", "2029-03-04"},
        {"correctsTarget", ID2},
        {"correctsReason", "wrong level"},
    };
    skl_json_doc *doc = build_ok(f, N(f), NULL);
    check_common(doc, "Certificate", 1);
    ck_assert_str_eq(S("credentialSubject", "skl", "kind"), "certification");
    ck_assert_str_eq(S("credentialSubject", "skl", "level"), "L4");
    ck_assert_str_eq(S("credentialSubject", "skl", "occupation", "edition"), "2015");
    ck_assert_str_eq(S("credentialSubject", "skl", "issueDate"), "2024-03-05");
    ck_assert_str_eq(S("credentialSubject", "skl", "validUntil"), "2029-03-04");
    ck_assert_str_eq(S("credentialSubject", "skl", "evaluator"), "Y");
    ck_assert_str_eq(S("credentialSubject", "skl", "employer"), "91500109MA5U000001");
    ck_assert_str_eq(S("credentialSubject", "skl", "corrects", "target"), ID2);
    ck_assert_str_eq(S("credentialSubject", "skl", "corrects", "reason"), "wrong level");
    ck_assert_str_eq(S("validUntil"), "2029-03-04T00:00:00Z");
    ck_assert_str_eq(S("name"), "电工 四级/中级工");
    ck_assert_str_eq(S("credentialSubject", "achievement", "id"),
                     "urn:skl:achievement:certification:skill-level:2015:6-31-01-03:L4");
    skl_json_free(doc);
}
END_TEST

START_TEST(t_competition)
{
    const skl_field f[] = {
        {"kind", "competition"},
        {"issuer", DID},
        {"issuerName", "北碚区总工会"},
        {"identityHash", HASH},
        {"competition", "巴渝工匠杯"},
        {"tier", "city"},
        {"year", "2024"},
        {"award", "一等奖"},
        {"rank", "2"},
        {"credentialName", "巴渝工匠杯 2024 一等奖"},
    };
    skl_json_doc *doc = build_ok(f, N(f), NULL);
    check_common(doc, "Award", 1);
    expect_num(at(doc, "credentialSubject", "skl", "year", NULL), 2024);
    expect_num(at(doc, "credentialSubject", "skl", "rank", NULL), 2);
    ck_assert_str_eq(S("credentialSubject", "skl", "award"), "一等奖");
    ck_assert_str_eq(S("name"), "巴渝工匠杯 2024 一等奖");
    /* the Chinese name is percent-encoded in the derived achievement id */
    ck_assert_str_eq(S("credentialSubject", "achievement", "id"),
                     "urn:skl:achievement:competition:2024:city:%E5%B7%B4%E6%B8%9D%E5%B7%A5%E5%8C%"
                     "A0%E6%9D%AF:%E4%B8%80%E7%AD%89%E5%A5%96");
    skl_json_free(doc);
}
END_TEST

START_TEST(t_honour)
{
    const skl_field f[] = {
        {"kind", "honour"},
        {"issuer", DID},
        {"issuerName", "北碚区人力资源和社会保障局"},
        {"identityHash", HASH},
        {"title", "beicheng-craftsman"},
        {"year", "2024"},
        {"batch", "第一批"},
        {"prerequisites", " " ID1 " ; " ID2},
        {"achievementName", "碚城工匠"},
        {"description", "北碚区 碚城工匠 称号"},
        {"criteria", "北碚府发〔2019〕21号"},
    };
    skl_json_doc *doc = build_ok(f, N(f), NULL);
    check_common(doc, "Award", 1);
    const skl_json_value *p = at(doc, "credentialSubject", "skl", "prerequisites", NULL);
    ck_assert_int_eq(p->type, SKL_JSON_ARRAY);
    ck_assert_uint_eq(p->n, 2);
    ck_assert_str_eq(skl_json_string(&p->u.arr[0]), ID1);
    ck_assert_str_eq(skl_json_string(&p->u.arr[1]), ID2);
    ck_assert_str_eq(S("credentialSubject", "achievement", "name"), "碚城工匠");
    ck_assert_str_eq(S("credentialSubject", "achievement", "criteria", "narrative"),
                     "北碚府发〔2019〕21号");
    ck_assert_str_eq(S("name"), "碚城工匠 2024 第一批"); /* the honour's name, spec/data */
    skl_json_free(doc);
}
END_TEST

START_TEST(t_revocation)
{
    const skl_field f[] = {
        {"kind", "revocation"},     {"issuer", DID},
        {"issuerName", "X"},        {"target", ID1},
        {"reason", "证书信息有误"}, {"effective", "2024-08-01T00:00:00Z"},
    };
    skl_json_doc *doc = build_ok(f, N(f), NULL);
    check_common(doc, "Achievement", 0);
    ck_assert_str_eq(S("credentialSubject", "id"), ID1);
    ck_assert_str_eq(S("credentialSubject", "skl", "kind"), "revocation");
    ck_assert_str_eq(S("credentialSubject", "skl", "target"), ID1);
    ck_assert_str_eq(S("credentialSubject", "skl", "effective"), "2024-08-01T00:00:00Z");
    skl_json_free(doc);

    /* a revocation names no worker */
    const skl_field g[] = {{"kind", "revocation"}, {"issuer", DID}, {"issuerName", "X"},
                           {"target", ID1},        {"reason", "r"}, {"identityHash", HASH}};
    build_err(g, N(g), "field identityHash: not a field of kind revocation");
}
END_TEST

/* TRAINING with field name replaced (or added, when absent) by value. */
static void
training_with(const char *name, const char *value, const char *msg)
{
    skl_field f[N(TRAINING) + 1];
    size_t n = 0;
    int done = 0;
    for (size_t i = 0; i < N(TRAINING); i++) {
        f[n] = TRAINING[i];
        if (strcmp(TRAINING[i].name, name) == 0) {
            f[n].value = value;
            done = 1;
        }
        n++;
    }
    if (!done) {
        f[n].name = name;
        f[n].value = value;
        n++;
    }
    build_err(f, n, msg);
}

/* TRAINING without field name. */
static void
training_without(const char *name, const char *msg)
{
    skl_field f[N(TRAINING)];
    size_t n = 0;
    for (size_t i = 0; i < N(TRAINING); i++)
        if (strcmp(TRAINING[i].name, name) != 0)
            f[n++] = TRAINING[i];
    ck_assert_uint_eq(n, N(TRAINING) - 1);
    build_err(f, n, msg);
}

START_TEST(t_missing_fields)
{
    static const char *const required[] = {"kind",         "issuer",  "issuerName", "identityHash",
                                           "trainingType", "funding", "delivery",   "hours",
                                           "startDate",    "endDate", "result"};
    char msg[128];
    for (size_t i = 0; i < N(required); i++) {
        if (strcmp(required[i], "kind") == 0)
            snprintf(msg, sizeof msg, "field kind: required");
        else
            snprintf(msg, sizeof msg, "field %s: required for kind training", required[i]);
        training_without(required[i], msg);
        /* blank counts as missing */
        training_with(required[i], " \t\xE3\x80\x80", msg);
    }
    training_without("occupation", "field occupation: required with field edition");
    training_without("edition", "field edition: required with field occupation");
    training_without("programme", "field programme: required with field programmeVersion");
}
END_TEST

START_TEST(t_bad_values)
{
    training_with("hours", "4O", "field hours: \"4O\" is not an integer");
    training_with("hours", "040", "field hours: \"040\" is not an integer");
    training_with("hours", "+40", "field hours: \"+40\" is not an integer");
    training_with("hours", "40.0", "field hours: \"40.0\" is not an integer");
    training_with("hours", "0", "field hours: 0 is not in 1..10000");
    training_with("hours", "10001", "field hours: 10001 is not in 1..10000");
    training_with("hours", "99999999999", "field hours: \"99999999999\" is not an integer");
    training_with("startDate", "2023-02-29",
                  "field startDate: \"2023-02-29\" is not a date YYYY-MM-DD");
    training_with("startDate", "2024-13-01",
                  "field startDate: \"2024-13-01\" is not a date YYYY-MM-DD");
    training_with("startDate", "2024-1/5",
                  "field startDate: \"2024-1/5\" is not a date YYYY-MM-DD");
    training_with("startDate", "24-01-05",
                  "field startDate: \"24-01-05\" is not a date YYYY-MM-DD");
    training_with("endDate", "2024-05-05",
                  "field endDate: 2024-05-05 is before startDate 2024-05-06");
    training_with("result", "good", "field result: \"good\" is not passed, failed or attended");
    training_with("occupation", "6-31-1-03",
                  "field occupation: \"6-31-1-03\" is not an occupation code D-DD-DD-DD");
    training_with("edition", "2019",
                  "field edition: \"2019\" is not an edition of the 大典 (2015 or 2022)");
    training_with("sponsor", "91500109ma5u000001",
                  "field sponsor: \"91500109ma5u000001\" is not a 统一社会信用代码 (18 characters, "
                  "digits and capitals)");
    training_with(
        "issuer", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2do0",
        "field issuer: \"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2Q...\" is not the did:key "
        "of an Ed25519 key (did:key:z6Mk...)");
    training_with("id", "urn:uuid:3F0E9A52-6C1B-4D2E-9A7F-1B2C3D4E5F60",
                  "field id: \"urn:uuid:3F0E9A52-6C1B-4D2E-9A7F-1B2C3D4...\" is not a lower-case "
                  "urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    training_with("identityHash", "sha256$00",
                  "field identityHash: \"sha256$00\" is not sha256$ and 64 lower-case hex digits");
    training_with("validFrom", "2024-07-01 08:00:00",
                  "field validFrom: \"2024-07-01 08:00:00\" is not a UTC date-time "
                  "YYYY-MM-DDThh:mm:ssZ or a date YYYY-MM-DD");
    training_with("validUntil", "2024-06-30", "field validUntil: before validFrom");
    training_with("issuerName", "a\nb", "field issuerName: \"a\nb\" holds a control character");
    training_with("trainingType", "就业技能培训",
                  "field trainingType: \"就业技能培训\" is not an id (ASCII letters, digits and "
                  "._:+/- only)");
    training_with("description", "\xC3\x28", "field description: not valid UTF-8");
    training_with("description", "\xE0\x80\xAF", "field description: not valid UTF-8");
    training_with("criteria", "\xED\xA0\x80", "field criteria: not valid UTF-8");
    training_with("correctsTarget", ID2,
                  "field correctsReason: required with field correctsTarget");
    training_with("correctsTarget", ID1,
                  "field correctsReason: required with field correctsTarget");
    {
        skl_field f[N(TRAINING) + 2];
        memcpy(f, TRAINING, sizeof TRAINING);
        f[N(TRAINING)] = (skl_field){"correctsTarget", ID1};
        f[N(TRAINING) + 1] = (skl_field){"correctsReason", "typo"};
        build_err(f, N(f), "field correctsTarget: a credential cannot correct itself");
    }
    training_with("kind", "accreditation",
                  "field kind: \"accreditation\" is not a kind the builder makes (training, "
                  "certification, competition, honour, revocation)");
    training_with("title", "beicheng-craftsman", "field title: not a field of kind training");
    training_with("level", "L4", "field level: not a field of kind training");
}
END_TEST

START_TEST(t_unknown_duplicate_personal)
{
    training_with("colour", "red", "field colour: unknown field name");
    training_with("Hours", "1", "field Hours: unknown field name");
    training_with("name", "张三",
                  "field name: personal data (the worker's identity) goes to the "
                  "worker vault, never into a credential");
    training_with("idType", "",
                  "field idType: personal data (the worker's identity) goes to the "
                  "worker vault, never into a credential");
    training_with("idNumber", "110101199003071234",
                  "field idNumber: personal data (the worker's identity) goes to the worker vault, "
                  "never into a credential");
    training_with("phone", "13800000000",
                  "field phone: personal data (the worker's identity) "
                  "goes to the worker vault, never into a credential");
    skl_field f[N(TRAINING) + 1];
    memcpy(f, TRAINING, sizeof TRAINING);
    f[N(TRAINING)].name = "hours";
    f[N(TRAINING)].value = "";
    build_err(f, N(f), "field hours: given twice");
}
END_TEST

START_TEST(t_cert_rules)
{
    const skl_field f[] = {
        {"kind", "certification"}, {"issuer", DID},           {"issuerName", "X"},
        {"identityHash", HASH},    {"evaluationType", "1+x"}, {"issueDate", "2024-03-05"},
        {"evaluator", "Y"},
    };
    build_err(f, N(f), "field employer: required when evaluator is Y");
    skl_field g[N(f) + 1];
    memcpy(g, f, sizeof f);
    g[6].value = "社会培训评价组织"; /* -> S */
    g[N(f)].name = "certificateNumber";
    g[N(f)].value = "S00000000000000400000"; /* 21 characters */
    build_err(g, N(g),
              "field certificateNumber: \"S00000000000000400000\" is not a certificate "
              "number ([YS] and 21 digits, or 16 digits)");
    g[N(f)].value = "1234567890123456"; /* legacy 16 digits */
    skl_json_doc *doc = build_ok(g, N(g), NULL);
    ck_assert_str_eq(S("credentialSubject", "skl", "evaluator"), "S");
    ck_assert_ptr_null(at(doc, "credentialSubject", "skl", "level", NULL));
    ck_assert_str_eq(S("name"), "1+x");
    skl_json_free(doc);
}
END_TEST

START_TEST(t_prerequisites)
{
    char list[2048] = "";
    for (int i = 0; i < 17; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list),
                 "%surn:uuid:00000000-0000-4000-8000-%012d", i ? ";" : "", i);
    skl_field f[] = {
        {"kind", "honour"}, {"issuer", DID},  {"issuerName", "X"},     {"identityHash", HASH},
        {"title", "t"},     {"year", "2024"}, {"prerequisites", list},
    };
    build_err(f, N(f), "field prerequisites: more than 16 ids");
    *strrchr(list, ';') = '\0'; /* 16 */
    skl_json_doc *doc = build_ok(f, N(f), NULL);
    ck_assert_uint_eq(at(doc, "credentialSubject", "skl", "prerequisites", NULL)->n, 16);
    skl_json_free(doc);
    f[6].value = ID1 ";;" ID2;
    build_err(f, N(f), "field prerequisites: an empty item");
    f[6].value = ID1 ";" ID1;
    build_err(f, N(f), "field prerequisites: " ID1 " is listed twice");
    f[6].value = ID1 ";urn:uuid:x";
    build_err(f, N(f), "field prerequisites: item 2 is not a lower-case urn:uuid");
    f[5].value = "1899";
    build_err(f, N(f), "field year: 1899 is not in 1900..2999");
}
END_TEST

START_TEST(t_bad_args)
{
    char *out = NULL, why[64];
    size_t len;
    ck_assert_int_eq(skl_credential_build(NULL, &len, TRAINING, 1, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_credential_build(&out, NULL, TRAINING, 1, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_credential_build(&out, &len, NULL, 1, why, sizeof why), SKL_ERR_INVAL);
    skl_field f[] = {{NULL, "x"}};
    ck_assert_int_eq(skl_credential_build(&out, &len, f, 1, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_credential_build(&out, &len, f, 0, NULL, 0), SKL_ERR_SCHEMA);
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(t_header_aliases)
{
    static const char *const pairs[][2] = {
        {"姓名", "name"},
        {"Name", "name"},
        {"证件类型", "idType"},
        {"ID Type", "idType"},
        {"证件号码", "idNumber"},
        {"身份证号", "idNumber"},
        {"  ID   Number \t", "idNumber"},
        {"\xE3\x80\x80身份证号码\xE3\x80\x80", "idNumber"},
        {"职业编码", "occupation"},
        {"Occupation Code", "occupation"},
        {"职业(工种)", "occupationName"},
        {"职业（工种）", "occupationName"},
        {"等级", "level"},
        {"LEVEL", "level"},
        {"证书编号", "certificateNumber"},
        {"certificate number", "certificateNumber"},
        {"certificateNumber", "certificateNumber"},
        {"培训类型", "trainingType"},
        {"课时", "hours"},
        {"学时", "hours"},
        {"Hours", "hours"},
        {"开始日期", "startDate"},
        {"结束日期", "endDate"},
        {"结果", "result"},
        {"评价类型", "evaluationType"},
        {"发证日期", "issueDate"},
    };
    for (size_t i = 0; i < N(pairs); i++) {
        const char *f = skl_field_for_header(pairs[i][0]);
        ck_assert_msg(f != NULL && strcmp(f, pairs[i][1]) == 0, "%s -> %s, not %s", pairs[i][0],
                      f ? f : "NULL", pairs[i][1]);
    }
    ck_assert_ptr_null(skl_field_for_header("备注"));
    ck_assert_ptr_null(skl_field_for_header(""));
    ck_assert_ptr_null(skl_field_for_header("id  number x"));
    ck_assert_ptr_null(skl_field_for_header(NULL));
    ck_assert_int_eq(skl_field_is_personal("name"), 1);
    ck_assert_int_eq(skl_field_is_personal("idNumber"), 1);
    ck_assert_int_eq(skl_field_is_personal("birthDate"), 1);
    ck_assert_int_eq(skl_field_is_personal("hours"), 0);
    ck_assert_int_eq(skl_field_is_personal(NULL), 0);
}
END_TEST

/* Every field fields.json names is one the builder knows or refuses as personal. */
START_TEST(t_fields_json_consistent)
{
    size_t n;
    char *text = tu_read_file("spec/data/fields.json", &n);
    skl_json_doc *doc = NULL;
    char why[256];
    ck_assert_int_eq(skl_json_parse(&doc, text, n, n, why, sizeof why), SKL_OK);
    const skl_json_value *fields = skl_json_get(skl_json_root(doc), "fields");
    ck_assert_ptr_nonnull(fields);
    ck_assert_uint_gt(fields->n, 40);
    for (uint32_t i = 0; i < fields->n; i++) {
        const char *name = fields->u.obj[i].key;
        ck_assert_str_eq(skl_field_for_header(name), name);
        skl_field f[] = {{"kind", "training"}, {name, "x"}};
        char *out = NULL;
        size_t len;
        skl_err rc =
            skl_credential_build(&out, &len, f, strcmp(name, "kind") ? 2 : 1, why, sizeof why);
        ck_assert_int_ne(rc, SKL_OK);
        ck_assert_msg(strstr(why, "unknown field name") == NULL, "%s: %s", name, why);
        ck_assert_int_eq(strstr(why, "personal data") != NULL, skl_field_is_personal(name));
    }
    skl_json_free(doc);
    free(text);
}
END_TEST

Suite *build_suite(void);

Suite *
build_suite(void)
{
    if (sodium_init() < 0)
        return NULL;
    Suite *s = suite_create("build");
    TCase *tc = tcase_create("build");
    tcase_add_test(tc, t_training_known_answer);
    tcase_add_test(tc, t_training_members);
    tcase_add_test(tc, t_defaults);
    tcase_add_test(tc, t_certification);
    tcase_add_test(tc, t_competition);
    tcase_add_test(tc, t_honour);
    tcase_add_test(tc, t_revocation);
    tcase_add_test(tc, t_missing_fields);
    tcase_add_test(tc, t_bad_values);
    tcase_add_test(tc, t_unknown_duplicate_personal);
    tcase_add_test(tc, t_cert_rules);
    tcase_add_test(tc, t_prerequisites);
    tcase_add_test(tc, t_bad_args);
    tcase_add_test(tc, t_header_aliases);
    tcase_add_test(tc, t_fields_json_consistent);
    suite_add_tcase(s, tc);
    return s;
}
