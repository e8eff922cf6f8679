/* check_claim.c - credential kinds (spec/kinds.md): claim extraction and issuer scopes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_int.h"
#include "skl/json.h"
#include "skl/refdata.h"
#include "testutil.h"

#define CRED_ID "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33"
#define OTHER_ID "urn:uuid:11111111-2222-4333-8444-555555555555"
#define ISSUER "did:key:z6Mko9hTggMwjSTEaJaPUfE6tqcy2xvU6BnNq3e3o8qVBiyH"
#define USCC "91350100M000100Y43"
#define USCC2 "91110000802100433B"
#define IDENT                                                                                      \
    "\"identifier\":[{\"type\":\"IdentityObject\",\"identityHash\":\"sha256$"                      \
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","                          \
    "\"identityType\":\"nationalIdentityNumber\",\"hashed\":true}],"

enum { K_TRAINING, K_CERT, K_CERT_Y, K_X, K_COMPETITION, K_HONOUR, K_REVOCATION, K_ACCRED, K_N };

static const struct {
    const char *atype, *head, *skl;
} base[K_N] = {
    [K_TRAINING] = {"Course", IDENT,
                    "{\"kind\":\"training\",\"trainingType\":\"syb\",\"funding\":"
                    "\"government-subsidy\",\"delivery\":\"off-the-job\",\"programme\":{\"id\":"
                    "\"SYB-2024\",\"version\":\"3\"},\"occupation\":{\"code\":\"6-31-01-03\","
                    "\"edition\":\"2015\"},\"hours\":80,\"startDate\":\"2026-03-01\",\"endDate\":"
                    "\"2026-03-20\",\"result\":\"passed\",\"sponsor\":\"" USCC "\"}"},
    [K_CERT] = {"Certificate", IDENT,
                "{\"kind\":\"certification\",\"evaluationType\":\"skill-level\",\"occupation\":{"
                "\"code\":\"6-31-01-03\",\"edition\":\"2015\"},\"level\":\"L4\","
                "\"certificateNumber\":\"S000150000001264000123\",\"issueDate\":\"2026-05-01\","
                "\"validUntil\":\"2036-05-01\",\"evaluator\":\"S\"}"},
    [K_CERT_Y] = {"Certificate", IDENT,
                  "{\"kind\":\"certification\",\"evaluationType\":\"skill-level\",\"occupation\":{"
                  "\"code\":\"6-18-02-04\",\"edition\":\"2022\"},\"level\":\"L3\","
                  "\"certificateNumber\":\"Y000150000001263000124\",\"issueDate\":\"2026-05-01\","
                  "\"evaluator\":\"Y\",\"employer\":\"" USCC "\"}"},
    [K_X] = {"Certificate", IDENT,
             "{\"kind\":\"certification\",\"evaluationType\":\"1+X\",\"level\":\"X-middle\","
             "\"issueDate\":\"2026-05-01\",\"evaluator\":\"S\"}"},
    [K_COMPETITION] = {"Award", IDENT,
                       "{\"kind\":\"competition\",\"competition\":\"巴渝工匠杯 焊工\",\"tier\":"
                       "\"city\",\"year\":2026,\"award\":\"一等奖\",\"rank\":1,\"occupation\":{"
                       "\"code\":\"6-18-02-04\",\"edition\":\"2015\"}}"},
    [K_HONOUR] = {"Award", IDENT,
                  "{\"kind\":\"honour\",\"title\":\"chongqing-skill-master\",\"year\":2026,"
                  "\"batch\":\"第一批\",\"prerequisites\":[\"" OTHER_ID
                  "\",\"urn:uuid:22222222-2222-4333-8444-555555555555\"]}"},
    [K_REVOCATION] = {"Achievement", "\"id\":\"" OTHER_ID "\",",
                      "{\"kind\":\"revocation\",\"target\":\"" OTHER_ID "\",\"reason\":"
                      "\"issued in error\",\"effective\":\"2026-06-01T00:00:00Z\"}"},
    [K_ACCRED] = {"License", "\"id\":\"did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK\",",
                  "{\"kind\":\"accreditation\",\"certificate\":\"MIIBAA==\",\"scope\":{\"kinds\":["
                  "\"certification\"],\"levels\":{\"scale\":\"skill\",\"min\":\"L5\",\"max\":"
                  "\"L3\"},\"evaluator\":\"S\"},\"directory\":\"evaluation-bodies\","
                  "\"institution\":\"重庆市北碚区职业技能鉴定所\"}"},
};

static char *
mkcred(const char *atype, const char *head, const char *skl)
{
    static const char fmt[] =
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
        "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
        "\"id\":\"" CRED_ID "\",\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
        "\"issuer\":{\"id\":\"" ISSUER "\",\"type\":[\"Profile\"],\"name\":\"北碚区培训中心\"},"
        "\"validFrom\":\"2026-06-01T00:00:00Z\",\"name\":\"t\",\"credentialSubject\":{"
        "\"type\":[\"AchievementSubject\"],%s\"achievement\":{\"id\":\"urn:skl:achievement:1\","
        "\"type\":[\"Achievement\"],\"achievementType\":\"%s\",\"name\":\"n\"},\"skl\":%s}}";
    size_t n = sizeof fmt + strlen(atype) + strlen(head) + strlen(skl);
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    snprintf(s, n, fmt, head, atype, skl);
    return s;
}

/* s with its first occurrence of from replaced by to (which must occur). Caller frees. */
static char *
sub(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    ck_assert_msg(p != NULL, "\"%s\" not in the base credential", from);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *r = malloc(n);
    ck_assert_ptr_nonnull(r);
    memcpy(r, s, (size_t)(p - s));
    strcpy(r + (p - s), to);
    strcat(r, p + strlen(from));
    return r;
}

static skl_refdata *
load(void)
{
    skl_refdata *rd = NULL;
    char why[256] = "";
    ck_assert_msg(skl_refdata_load_default(&rd, why, sizeof why) == SKL_OK, "%s", why);
    return rd;
}

static int
extract(const skl_refdata *rd, const char *text, skl_claim *c, char *why, size_t whylen)
{
    skl_json_doc *doc = NULL;
    char pwhy[160];
    ck_assert_msg(skl_json_parse(&doc, text, strlen(text), 1u << 20, pwhy, sizeof pwhy) == SKL_OK,
                  "%s: %s", pwhy, text);
    int rc = skl_claim_extract(c, skl_json_root(doc), rd, why, whylen);
    skl_json_free(doc);
    return rc;
}

static char *
cred_of(int k)
{
    return mkcred(base[k].atype, base[k].head, base[k].skl);
}

START_TEST(test_valid_kinds)
{
    skl_refdata *rd = load();
    for (int k = 0; k < K_N; k++) {
        char why[256] = "";
        skl_claim c;
        char *t = cred_of(k);
        ck_assert_msg(extract(rd, t, &c, why, sizeof why) == SKL_OK, "kind %d: %s", k, why);
        ck_assert_str_eq(c.id, CRED_ID);
        ck_assert_str_eq(c.issuer, ISSUER);
        skl_claim_free(&c);
        ck_assert_ptr_null(c.id);
        free(t);
    }
    skl_refdata_free(rd);
}
END_TEST

START_TEST(test_fields)
{
    skl_refdata *rd = load();
    char why[256] = "";
    skl_claim c;
    char *t = cred_of(K_CERT);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_int_eq(c.kind, SKL_KIND_CERTIFICATION);
    ck_assert_str_eq(skl_kind_name(c.kind), "certification");
    ck_assert_str_eq(c.occupation, "6-31-01-03");
    ck_assert_str_eq(c.edition, "2015");
    ck_assert_str_eq(c.level, "L4");
    ck_assert_str_eq(c.level_scale, "skill");
    ck_assert_int_eq(c.level_rank, 2);
    ck_assert_str_eq(c.evaluation_type, "skill-level");
    ck_assert_str_eq(c.evaluator, "S");
    ck_assert_ptr_null(c.employer);
    ck_assert_str_eq(c.identity_hash,
                     "sha256$0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    ck_assert_ptr_null(c.target);
    skl_claim_free(&c);
    free(t);

    t = cred_of(K_CERT_Y);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_str_eq(c.employer, USCC);
    ck_assert_str_eq(c.edition, "2022");
    skl_claim_free(&c);
    free(t);

    t = cred_of(K_X);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_str_eq(c.level_scale, "1+X");
    ck_assert_ptr_null(c.occupation);
    skl_claim_free(&c);
    free(t);

    t = cred_of(K_TRAINING);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_int_eq(c.kind, SKL_KIND_TRAINING);
    ck_assert_str_eq(c.training_type, "syb");
    ck_assert_str_eq(c.programme, "SYB-2024");
    ck_assert_int_eq(c.level_rank, -1);
    skl_claim_free(&c);
    free(t);

    t = cred_of(K_HONOUR);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_str_eq(c.honour, "chongqing-skill-master");
    ck_assert_int_eq(c.nrefs, 2);
    ck_assert_str_eq(c.refs[0], OTHER_ID);
    skl_claim_free(&c);
    free(t);

    t = cred_of(K_REVOCATION);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_int_eq(c.kind, SKL_KIND_REVOCATION);
    ck_assert_str_eq(c.target, OTHER_ID);
    ck_assert_str_eq(c.reason, "issued in error");
    ck_assert_str_eq(c.effective, "2026-06-01T00:00:00Z");
    ck_assert_ptr_null(c.identity_hash);
    skl_claim_free(&c);
    free(t);

    t = cred_of(K_ACCRED);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_str_eq(c.subject, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    ck_assert_str_eq(c.certificate, "MIIBAA==");
    ck_assert_str_eq(c.scope, "{\"evaluator\":\"S\",\"kinds\":[\"certification\"],\"levels\":{"
                              "\"max\":\"L3\",\"min\":\"L5\",\"scale\":\"skill\"}}");
    skl_claim_free(&c);
    free(t);

    /* A correction. */
    char *t2 = cred_of(K_COMPETITION);
    t = sub(t2, "\"kind\":\"competition\"",
            "\"kind\":\"competition\",\"corrects\":{\"target\":\"" OTHER_ID
            "\",\"reason\":\"rank\"}");
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_str_eq(c.target, OTHER_ID);
    ck_assert_str_eq(c.reason, "rank");
    ck_assert_str_eq(c.occupation, "6-18-02-04");
    skl_claim_free(&c);
    free(t);
    free(t2);

    ck_assert_str_eq(skl_kind_name((skl_kind)99), "none");
    ck_assert_int_eq(skl_kind_from_name("honour"), SKL_KIND_HONOUR);
    ck_assert_int_eq(skl_kind_from_name("none"), SKL_KIND_NONE);
    skl_claim_free(&c);
    skl_refdata_free(rd);
}
END_TEST

static const struct {
    int k;
    const char *from, *to, *path, *reason;
} bad[] = {
    /* the common shape */
    {K_TRAINING, "\"id\":\"urn:uuid:58172aac", "\"id\":\"urn:uuid:58172AAC", "id: ", "UUID"},
    {K_TRAINING, "\"id\":\"" ISSUER "\"", "\"id\":\"did:web:x\"", "issuer", "did:key"},
    {K_TRAINING, "\"kind\":\"training\"", "\"kind\":\"trainingx\"", "credentialSubject.skl.kind",
     "trainingx"},
    /* a training relabelled a credit transfer: caught by its achievement type first */
    {K_TRAINING, "\"kind\":\"training\"", "\"kind\":\"credit\"",
     "credentialSubject.achievement.achievementType", "credit"},
    {K_TRAINING, "\"achievementType\":\"Course\"", "\"achievementType\":\"Award\"",
     "credentialSubject.achievement.achievementType", "Course"},
    {K_TRAINING, "\"type\":[\"AchievementSubject\"],",
     "\"type\":[\"AchievementSubject\"],"
     "\"name\":\"张三\",",
     "credentialSubject.name", "unknown"},
    {K_TRAINING, "\"type\":[\"AchievementSubject\"],",
     "\"type\":[\"AchievementSubject\"],"
     "\"id\":\"did:key:z6Mkx\",",
     "credentialSubject.id", "identifier"},
    /* the worker's commitment */
    {K_TRAINING, "\"hashed\":true", "\"hashed\":true,\"salt\":\"abc\"",
     "credentialSubject.identifier[0].salt", "no salt"},
    {K_TRAINING, "\"hashed\":true", "\"hashed\":false", "credentialSubject.identifier[0].hashed",
     "true"},
    {K_TRAINING, "\"sha256$0123", "\"sha256$A123", "credentialSubject.identifier[0].identityHash",
     "64"},
    {K_TRAINING, "\"sha256$0123", "\"sha512$0123", "credentialSubject.identifier[0].identityHash",
     "sha256$"},
    {K_TRAINING, "\"sha256$0123", "\"sha256$123", "credentialSubject.identifier[0].identityHash",
     "64"},
    {K_TRAINING, "\"IdentityObject\",", "\"IdentityObject\",\"x\":1,",
     "credentialSubject.identifier[0].x", "unknown"},
    {K_TRAINING, "\"hashed\":true}]", "\"hashed\":true},{\"type\":\"IdentityObject\"}]",
     "credentialSubject.identifier", "exactly one"},
    {K_TRAINING, IDENT, "", "credentialSubject.identifier", "missing"},
    /* training */
    {K_TRAINING, "\"hours\":80", "\"hours\":0", "credentialSubject.skl.hours", "integer"},
    {K_TRAINING, "\"hours\":80", "\"hours\":10001", "credentialSubject.skl.hours", "10000"},
    {K_TRAINING, "\"hours\":80", "\"hours\":8.5", "credentialSubject.skl.hours", "integer"},
    {K_TRAINING, "\"hours\":80", "\"hours\":\"80\"", "credentialSubject.skl.hours", "integer"},
    {K_TRAINING, "\"hours\":80,", "", "credentialSubject.skl.hours", "missing"},
    {K_TRAINING, "\"syb\"", "\"xyb\"", "credentialSubject.skl.trainingType", "training-types"},
    {K_TRAINING, "\"government-subsidy\"", "\"free\"", "credentialSubject.skl.funding",
     "funding-modes"},
    {K_TRAINING, "\"off-the-job\"", "\"remote\"", "credentialSubject.skl.delivery",
     "delivery-modes"},
    {K_TRAINING, "\"2026-03-20\"", "\"2026-02-20\"", "credentialSubject.skl.endDate", "before"},
    {K_TRAINING, "\"2026-03-01\"", "\"2026-02-30\"", "credentialSubject.skl.startDate", "calendar"},
    {K_TRAINING, "\"2026-03-01\"", "\"2026-3-01\"", "credentialSubject.skl.startDate", "calendar"},
    {K_TRAINING, "\"passed\"", "\"won\"", "credentialSubject.skl.result", "passed"},
    {K_TRAINING, "\"sponsor\":\"" USCC, "\"sponsor\":\"91350100M000100Y44",
     "credentialSubject.skl.sponsor", "GB 32100"},
    {K_TRAINING, "\"sponsor\":\"" USCC, "\"sponsor\":\"91350100M000100I43",
     "credentialSubject.skl.sponsor", "GB 32100"},
    {K_TRAINING, "\"sponsor\":\"" USCC, "\"sponsor\":\"91350100M000100Y4",
     "credentialSubject.skl.sponsor", "GB 32100"},
    {K_TRAINING, "\"kind\":\"training\"", "\"kind\":\"training\",\"extra\":1",
     "credentialSubject.skl.extra", "unknown"},
    /* a member named a known name plus U+0000 is not that name */
    {K_TRAINING, "\"kind\":\"training\"", "\"kind\":\"training\",\"kind\\u0000\":1",
     "credentialSubject.skl.kind", "unknown"},
    {K_TRAINING, "{\"id\":\"SYB-2024\",", "{", "credentialSubject.skl.programme.id", "missing"},
    {K_TRAINING, "\"version\":\"3\"", "\"version\":3", "credentialSubject.skl.programme.version",
     "string"},
    {K_TRAINING, "\"6-31-01-03\"", "\"6-31-01-3\"", "credentialSubject.skl.occupation.code",
     "D-DD-DD-DD"},
    {K_TRAINING, "\"6-31-01-03\"", "\"6-99-99-99\"", "credentialSubject.skl.occupation.code",
     "6-99-99-99 is not an occupation of the 2015 edition"},
    {K_TRAINING, "\"edition\":\"2015\"", "\"edition\":\"2009\"",
     "credentialSubject.skl.occupation.edition", "2009"},
    {K_TRAINING, "\"edition\":\"2015\"", "\"edition\":\"2015\",\"name\":\"电工\"",
     "credentialSubject.skl.occupation.name", "unknown"},
    {K_TRAINING, "\"kind\":\"training\"", "\"kind\":\"training\",\"corrects\":{\"target\":\"x\"}",
     "credentialSubject.skl.corrects.reason", "missing"},
    {K_TRAINING, "\"kind\":\"training\"",
     "\"kind\":\"training\",\"corrects\":{\"target\":\"" CRED_ID "\",\"reason\":\"r\"}",
     "credentialSubject.skl.corrects.target", "itself"},
    /* certification */
    {K_CERT, "\"level\":\"L4\"", "\"level\":\"L9\"", "credentialSubject.skl.level",
     "\"L9\" is not a level in levels.json 2026-11"},
    {K_CERT, "\"level\":\"L4\"", "\"level\":\"X-junior\"", "credentialSubject.skl.level",
     "scale 1+X"},
    {K_CERT, "\"level\":\"L4\"", "\"level\":\"special\"", "credentialSubject.skl.level",
     "skill-level"},
    {K_CERT, "\"level\":\"L4\"", "\"level\":\"L3\"", "credentialSubject.skl.certificateNumber",
     "says level 4"},
    {K_CERT, "\"S000150000001264000123\"", "\"S0001500000012640001\"",
     "credentialSubject.skl.certificateNumber", "22 characters"},
    {K_CERT, "\"S000150000001264000123\"", "\"Y000150000001264000123\"",
     "credentialSubject.skl.certificateNumber", "evaluator is S"},
    {K_CERT, "\"certificateNumber\":\"S000150000001264000123\",", "",
     "credentialSubject.skl.certificateNumber", "requires"},
    {K_CERT, "\"skill-level\"", "\"skill-levels\"", "credentialSubject.skl.evaluationType",
     "evaluation-types"},
    {K_CERT,
     "\"evaluationType\":\"skill-level\",\"occupation\":{\"code\":\"6-31-01-03\","
     "\"edition\":\"2015\"},",
     "\"evaluationType\":\"skill-level\",", "credentialSubject.skl.occupation", "requires"},
    {K_CERT, "\"evaluator\":\"S\"", "\"evaluator\":\"X\"", "credentialSubject.skl.evaluator",
     "\"X\""},
    {K_CERT, "\"evaluator\":\"S\"", "\"evaluator\":\"Y\"", "credentialSubject.skl.employer",
     "missing"},
    {K_CERT, "\"2036-05-01\"", "\"2025-05-01\"", "credentialSubject.skl.validUntil", "before"},
    {K_CERT, "\"2026-05-01\"", "\"2026-13-01\"", "credentialSubject.skl.issueDate", "calendar"},
    {K_CERT, "\"issueDate\":\"2026-05-01\",", "", "credentialSubject.skl.issueDate", "missing"},
    {K_CERT, "\"kind\":\"certification\"", "\"kind\":\"certification\",\"hours\":1",
     "credentialSubject.skl.hours", "unknown"},
    {K_CERT, "\"code\":\"6-31-01-03\"", "\"code\":\"4-14-02-02\"", "credentialSubject.skl.level",
     "4-14-02-02 (2015) has no level L4"},
    {K_CERT_Y, "\"employer\":\"" USCC "\"", "\"employer\":\"123\"",
     "credentialSubject.skl.employer", "GB 32100"},
    {K_CERT_Y, "\"evaluationType\":\"skill-level\"", "\"evaluationType\":\"special-ability\"",
     "credentialSubject.skl.level", "not allowed"},
    {K_CERT, "\"evaluationType\":\"skill-level\"", "\"evaluationType\":\"enterprise\"",
     "credentialSubject.skl.evaluator", "may not use"},
    {K_X, "\"evaluationType\":\"1+X\"",
     "\"evaluationType\":\"1+X\",\"occupation\":{\"code\":\"6-31-01-03\",\"edition\":\"2015\"}",
     "credentialSubject.skl.occupation", "not allowed"},
    {K_X, "\"level\":\"X-middle\"", "\"level\":\"L4\"", "credentialSubject.skl.level",
     "scale skill"},
    {K_X, "\"level\":\"X-middle\",", "", "credentialSubject.skl.level", "requires"},
    /* competition */
    {K_COMPETITION, "\"tier\":\"city\"", "\"tier\":\"world\"", "credentialSubject.skl.tier",
     "competition-tiers"},
    {K_COMPETITION, "\"year\":2026", "\"year\":\"2026\"", "credentialSubject.skl.year", "integer"},
    {K_COMPETITION, "\"rank\":1", "\"rank\":0", "credentialSubject.skl.rank", "integer"},
    {K_COMPETITION, "\"award\":\"一等奖\",", "", "credentialSubject.skl.award", "missing"},
    {K_COMPETITION, "\"6-18-02-04\"", "\"6-18-02-99\"", "credentialSubject.skl.occupation.code",
     "6-18-02-99"},
    {K_COMPETITION, "\"achievementType\":\"Award\"", "\"achievementType\":\"Course\"",
     "credentialSubject.achievement.achievementType", "Award"},
    /* honour */
    {K_HONOUR, "\"chongqing-skill-master\"", "\"chongqing-master\"", "credentialSubject.skl.title",
     "honours"},
    {K_HONOUR,
     ",\"prerequisites\":[\"" OTHER_ID "\",\"urn:uuid:22222222-2222-4333-8444-"
     "555555555555\"]",
     "", "credentialSubject.skl.prerequisites", "has prerequisites"},
    {K_HONOUR,
     "\"prerequisites\":[\"" OTHER_ID "\",\"urn:uuid:22222222-2222-4333-8444-"
     "555555555555\"]",
     "\"prerequisites\":[]", "credentialSubject.skl.prerequisites", "1 to 16"},
    {K_HONOUR, "555555555555\"]", "555555555555\",\"" OTHER_ID "\"]",
     "credentialSubject.skl.prerequisites[2]", "twice"},
    {K_HONOUR, "555555555555\"]", "555555555555\",17]", "credentialSubject.skl.prerequisites[2]",
     "credential id"},
    {K_HONOUR, "555555555555\"]", "555555555555\",\"" CRED_ID "\"]",
     "credentialSubject.skl.prerequisites[2]", "own"},
    {K_HONOUR, "\"batch\":\"第一批\"", "\"batch\":1", "credentialSubject.skl.batch", "string"},
    /* revocation */
    {K_REVOCATION, "\"target\":\"" OTHER_ID, "\"target\":\"urn:uuid:0",
     "credentialSubject.skl.target", "credentialSubject.id"},
    {K_REVOCATION, "\"2026-06-01T00:00:00Z\"}", "\"2026-06-01\"}",
     "credentialSubject.skl.effective", "UTC"},
    {K_REVOCATION, "\"reason\":\"issued in error\",", "", "credentialSubject.skl.reason",
     "missing"},
    {K_REVOCATION, "\"kind\":\"revocation\"",
     "\"kind\":\"revocation\",\"corrects\":{\"target\":\"x\",\"reason\":\"y\"}",
     "credentialSubject.skl.corrects", "unknown"},
    {K_REVOCATION, "\"id\":\"" OTHER_ID "\",", "\"id\":\"" OTHER_ID "\"," IDENT,
     "credentialSubject.identifier", "names no worker"},
    {K_REVOCATION, "\"id\":\"" OTHER_ID "\",", "", "credentialSubject.id", "missing"},
    /* accreditation */
    {K_ACCRED, "\"evaluation-bodies\"", "\"evaluators\"", "credentialSubject.skl.directory",
     "evaluators"},
    {K_ACCRED, "\"MIIBAA==\"", "\"MIIBAA=\"", "credentialSubject.skl.certificate", "base64"},
    {K_ACCRED, "\"MIIBAA==\"", "\"AIIBAA==\"", "credentialSubject.skl.certificate", "DER"},
    {K_ACCRED, "[\"certification\"]", "[\"certificates\"]", "credentialSubject.skl.scope.kinds",
     "not a kind"},
    {K_ACCRED, "\"max\":\"L3\"", "\"max\":\"X-senior\"", "credentialSubject.skl.scope.levels.max",
     "scale skill"},
    {K_ACCRED, "\"id\":\"did:key:z6Mkha", "\"id\":\"urn:x:z6Mkha", "credentialSubject.id",
     "did:key"},
    {K_ACCRED, "\"institution\":", "\"name\":", "credentialSubject.skl.name", "unknown"},
};

START_TEST(test_refusals)
{
    skl_refdata *rd = load();
    size_t i = (size_t)_i;
    char *b = cred_of(bad[i].k);
    char *t = sub(b, bad[i].from, bad[i].to);
    char why[256] = "";
    skl_claim c;
    int rc = extract(rd, t, &c, why, sizeof why);
    ck_assert_msg(rc == SKL_ERR_SCHEMA, "case %zu: rc %d, accepted %s", i, rc, t);
    ck_assert_msg(strncmp(why, bad[i].path, strlen(bad[i].path)) == 0,
                  "case %zu: why \"%s\" does not start with \"%s\"", i, why, bad[i].path);
    ck_assert_msg(strstr(why, bad[i].reason) != NULL, "case %zu: why \"%s\" lacks \"%s\"", i, why,
                  bad[i].reason);
    ck_assert_ptr_eq(strchr(why, '\n'), NULL);
    ck_assert_ptr_null(c.id);
    skl_claim_free(&c);
    free(t);
    free(b);
    skl_refdata_free(rd);
}
END_TEST

START_TEST(test_not_object)
{
    skl_refdata *rd = load();
    char why[128] = "";
    skl_claim c;
    ck_assert_int_eq(extract(rd, "[1]", &c, why, sizeof why), SKL_ERR_SCHEMA);
    ck_assert_int_eq(
        extract(rd, "{\"id\":\"" CRED_ID "\",\"issuer\":\"" ISSUER "\"}", &c, why, sizeof why),
        SKL_ERR_SCHEMA);
    ck_assert_ptr_nonnull(strstr(why, "credentialSubject"));
    skl_refdata_free(rd);
}
END_TEST

/* ------------------------------------------------------------- scope --------- */

#define SCOPE_Y                                                                                    \
    "{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"code\":"              \
    "\"6-31-01-03\"},{\"edition\":\"2022\",\"prefix\":\"6-31\"}],\"levels\":{\"scale\":"           \
    "\"skill\",\"min\":\"L5\",\"max\":\"L3\"},\"evaluator\":\"Y\",\"employer\":\"" USCC "\","      \
    "\"evaluationTypes\":[\"skill-level\"]}"

static skl_scope *
scope_of(const skl_refdata *rd, const char *json)
{
    skl_scope *s = NULL;
    char why[256] = "";
    ck_assert_msg(skl_scope_parse(&s, json, strlen(json), rd, why, sizeof why) == SKL_OK, "%s",
                  why);
    return s;
}

static skl_claim
cert_claim(char *occ, char *ed, char *level, char *scale, int rank, char *ev, char *emp)
{
    skl_claim c;
    memset(&c, 0, sizeof c);
    c.kind = SKL_KIND_CERTIFICATION;
    c.occupation = occ;
    c.edition = ed;
    c.level = level;
    c.level_scale = scale;
    c.level_rank = rank;
    c.evaluator = ev;
    c.employer = emp;
    c.evaluation_type = "skill-level";
    return c;
}

static void
covers_not(const skl_scope *s, const skl_claim *c, const char *want)
{
    char why[256] = "";
    ck_assert_int_eq(skl_scope_covers(s, c, why, sizeof why), SKL_ERR_VERIFY);
    ck_assert_msg(strstr(why, want) != NULL, "why \"%s\" lacks \"%s\"", why, want);
}

START_TEST(test_scope_covers)
{
    skl_refdata *rd = load();
    skl_scope *s = scope_of(rd, SCOPE_Y);
    char why[256] = "";
    skl_claim c = cert_claim("6-31-01-03", "2015", "L4", "skill", 2, "Y", USCC);
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);
    c = cert_claim("6-31-01-10", "2022", "L5", "skill", 1, "Y", USCC);
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);
    c = cert_claim("6-31-01-03", "2015", "L3", "skill", 3, "Y", USCC);
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);

    c = cert_claim("6-18-02-04", "2015", "L4", "skill", 2, "Y", USCC);
    covers_not(s, &c, "scope: occupation 6-18-02-04 (2015) is not accredited");
    c = cert_claim("6-31-01-10", "2015", "L4", "skill", 2, "Y", USCC);
    covers_not(s, &c, "occupation 6-31-01-10 (2015)");
    c = cert_claim("6-32-01-03", "2022", "L4", "skill", 2, "Y", USCC);
    covers_not(s, &c, "occupation 6-32-01-03 (2022)");
    c = cert_claim("6-31-01-03", "2015", "L2", "skill", 4, "Y", USCC);
    covers_not(s, &c, "scope: level L2 is above the accredited maximum L3");
    c = cert_claim("6-31-01-03", "2015", "apprentice", "skill", 0, "Y", USCC);
    covers_not(s, &c, "below the accredited minimum L5");
    c = cert_claim("6-31-01-03", "2015", "X-junior", "1+X", 1, "Y", USCC);
    covers_not(s, &c, "scale 1+X");
    c = cert_claim("6-31-01-03", "2015", "L4", "skill", 2, "S", NULL);
    covers_not(s, &c, "evaluator S is not the accredited Y");
    c = cert_claim("6-31-01-03", "2015", "L4", "skill", 2, "Y", USCC2);
    covers_not(s, &c, "employer " USCC2 " is not the accredited employer " USCC);
    c = cert_claim("6-31-01-03", "2015", "L4", "skill", 2, "Y", USCC);
    c.evaluation_type = "enterprise";
    covers_not(s, &c, "evaluation type enterprise");
    c = cert_claim("6-31-01-03", "2015", "L4", "skill", 2, "Y", USCC);
    c.kind = SKL_KIND_TRAINING;
    covers_not(s, &c, "scope: kind training is not accredited");
    c.kind = SKL_KIND_REVOCATION;
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);
    skl_scope_free(s);

    s = scope_of(rd, "{\"kinds\":[\"honour\",\"training\"],\"honours\":[\"beicheng-craftsman\"],"
                     "\"programmes\":[\"SYB-2024\"]}");
    memset(&c, 0, sizeof c);
    c.kind = SKL_KIND_HONOUR;
    c.honour = "beicheng-craftsman";
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);
    c.honour = "bayu-craftsman";
    covers_not(s, &c, "honour bayu-craftsman is not accredited");
    memset(&c, 0, sizeof c);
    c.kind = SKL_KIND_TRAINING;
    c.programme = "SYB-2024";
    c.occupation = "6-18-02-04";
    c.edition = "2015";
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);
    c.programme = "GYB-1";
    covers_not(s, &c, "programme GYB-1");
    c.kind = SKL_KIND_CERTIFICATION;
    covers_not(s, &c, "kind certification");
    skl_scope_free(s);

    /* The claims from real credentials, through extraction. */
    s = scope_of(rd, "{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\","
                     "\"prefix\":\"6\"}],\"levels\":{\"scale\":\"skill\",\"max\":\"L4\"},"
                     "\"evaluator\":\"S\"}");
    char *t = cred_of(K_CERT);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    ck_assert_int_eq(skl_scope_covers(s, &c, why, sizeof why), SKL_OK);
    skl_claim_free(&c);
    free(t);
    t = cred_of(K_CERT_Y);
    ck_assert_int_eq(extract(rd, t, &c, why, sizeof why), SKL_OK);
    covers_not(s, &c, "occupation 6-18-02-04 (2022)");
    skl_claim_free(&c);
    free(t);
    skl_scope_free(s);
    skl_refdata_free(rd);
}
END_TEST

static const struct {
    const char *json, *want;
} bad_scope[] = {
    {"{}", "scope.kinds"},
    {"{\"kinds\":[]}", "scope.kinds"},
    {"{\"kinds\":[\"diploma\"]}", "scope.kinds[0]"},
    {"{\"kinds\":[\"training\",\"training\"]}", "scope.kinds[1]"},
    {"{\"kinds\":[\"training\"],\"region\":\"50\"}", "scope.region: unknown"},
    {"{\"kinds\":[\"training\"],\"kinds\\u0000\":1}", "scope.kinds: unknown"},
    {"{\"kinds\":[\"certification\"],\"levels\":{\"scale\":\"skill\",\"min\\u0000\":\"L5\"}}",
     "scope.levels.min: unknown"},
    {"{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"code\":"
     "\"6-31-01-03\",\"code\\u0000\":1}]}",
     "scope.occupations[0].code: unknown"},
    {"{\"kinds\":[\"certification\"],\"evaluator\":\"Y\"}", "scope.employer"},
    {"{\"kinds\":[\"certification\"],\"employer\":\"" USCC "\"}", "scope.employer"},
    {"{\"kinds\":[\"certification\"],\"evaluator\":\"Y\",\"employer\":\"91350100M000100Y44\"}",
     "scope.employer"},
    {"{\"kinds\":[\"certification\"],\"evaluator\":\"X\"}", "scope.evaluator"},
    {"{\"kinds\":[\"certification\"],\"levels\":{\"scale\":\"skill\",\"min\":\"L2\","
     "\"max\":\"L4\"}}",
     "min L2 is above max L4"},
    {"{\"kinds\":[\"certification\"],\"levels\":{\"scale\":\"skill\",\"min\":\"X-junior\"}}",
     "scope.levels.min"},
    {"{\"kinds\":[\"certification\"],\"levels\":{\"scale\":\"2+Y\"}}", "scope.levels.scale"},
    {"{\"kinds\":[\"certification\"],\"levels\":{\"min\":\"L5\"}}", "scope.levels.scale"},
    {"{\"kinds\":[\"certification\"],\"levels\":{\"scale\":\"skill\",\"top\":\"L5\"}}",
     "scope.levels.top"},
    {"{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"prefix\":"
     "\"6-3\"}]}",
     "scope.occupations[0].prefix"},
    {"{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"code\":"
     "\"6-99-99-99\"}]}",
     "scope.occupations[0].code: 6-99-99-99"},
    {"{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2009\",\"prefix\":\"6\"}]}",
     "scope.occupations[0].edition"},
    {"{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\"}]}",
     "exactly one of code, prefix"},
    {"{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"prefix\":\"6\","
     "\"code\":\"6-31-01-03\"}]}",
     "exactly one of code, prefix"},
    {"{\"kinds\":[\"honour\"],\"honours\":[\"bayu\"]}", "scope.honours[0]"},
    {"{\"kinds\":[\"certification\"],\"evaluationTypes\":[\"skill-level\",\"skill-level\"]}",
     "scope.evaluationTypes[1]"},
    {"{\"kinds\":[\"training\"],\"programmes\":[]}", "scope.programmes"},
    {"{\"kinds\":[\"training\"]", "scope: "},
    {"[\"training\"]", "scope: must be a JSON object"},
};

START_TEST(test_scope_refusals)
{
    skl_refdata *rd = load();
    size_t i = (size_t)_i;
    skl_scope *s = (skl_scope *)1;
    char why[256] = "";
    int rc = skl_scope_parse(&s, bad_scope[i].json, strlen(bad_scope[i].json), rd, why, sizeof why);
    ck_assert_msg(rc == SKL_ERR_SCHEMA || rc == SKL_ERR_PARSE, "case %zu: rc %d", i, rc);
    ck_assert_ptr_null(s);
    ck_assert_msg(strstr(why, bad_scope[i].want) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, why,
                  bad_scope[i].want);
    skl_refdata_free(rd);
}
END_TEST

Suite *claim_suite(void);

Suite *
claim_suite(void)
{
    Suite *s = suite_create("claim");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_valid_kinds);
    tcase_add_test(tc, test_fields);
    tcase_add_loop_test(tc, test_refusals, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(tc, test_not_object);
    tcase_add_test(tc, test_scope_covers);
    tcase_add_loop_test(tc, test_scope_refusals, 0, (int)(sizeof bad_scope / sizeof bad_scope[0]));
    suite_add_tcase(s, tc);
    return s;
}
