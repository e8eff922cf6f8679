/* check_policy.c - the authority's rules at the ledger's door (spec/policy.md): forged and
 * mismatched accreditations, scopes in and out, validity in time, revocation, corrections,
 * and batches that leave no trace when refused. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/authority.h"
#include "skl/build.h"
#include "skl/cert.h"
#include "skl/skl.h"
#include "testutil.h"

#define T0 1767225600LL /* 2026-01-01T00:00:00Z: the ledger's clock */
#define DAY 86400LL
#define EMPLOYER "91500109MA5U5WXX1T" /* a USCC with a valid check character */
#define OTHER_EMPLOYER "915000002028000010"

static char *dir;
static char db[4096];
static skl_key *log_key, *authority, *other_root, *centre, *rogue;
static skl_cert *root;
static char *root_pem;
static size_t root_len;
static skl_ledger *l;

static skl_key *
seeded(int b, const char *name)
{
    uint8_t seed[32];
    skl_key *k = NULL;
    memset(seed, b, sizeof seed);
    ck_assert_int_eq(skl_key_from_seed(&k, seed, name), SKL_OK);
    return k;
}

static void
setup(void)
{
    char why[256];
    ck_assert_int_eq(skl_init(), SKL_OK);
    dir = tu_tmpdir();
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    log_key = seeded(1, "skl.example/log");
    authority = seeded(2, "authority");
    other_root = seeded(3, "pretender");
    centre = seeded(4, "centre");
    rogue = seeded(5, "rogue");
    ck_assert_int_eq(skl_cert_make_root(&root_pem, &root_len, authority, "北碚区人力社保局",
                                        T0 - 365 * DAY, T0 + 3650 * DAY, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_cert_parse(&root, root_pem, root_len, why, sizeof why), SKL_OK);
    ck_assert_int_eq(skl_ledger_create(&l, db, "skl.example/log", log_key), SKL_OK);
    skl_ledger_set_time(l, T0);
    ck_assert_int_eq(skl_ledger_set_authority(l, root_pem, root_len), SKL_OK);
}

static void
teardown(void)
{
    skl_ledger_close(l);
    skl_cert_free(root);
    free(root_pem);
    skl_key_free(log_key);
    skl_key_free(authority);
    skl_key_free(other_root);
    skl_key_free(centre);
    skl_key_free(rogue);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

/* Replaces the first occurrence of from in *s by to (same or any length). */
static void
replace(char **s, size_t *len, const char *from, const char *to)
{
    char *at = strstr(*s, from);
    ck_assert_ptr_nonnull(at);
    size_t fl = strlen(from), tl = strlen(to), off = (size_t)(at - *s);
    char *n = malloc(*len - fl + tl + 1);
    ck_assert_ptr_nonnull(n);
    memcpy(n, *s, off);
    memcpy(n + off, to, tl);
    memcpy(n + off + tl, at + fl, *len - off - fl + 1);
    free(*s);
    *s = n;
    *len = *len - fl + tl;
}

static char *
sign(const skl_key *k, const char *json, size_t len, size_t *outlen)
{
    char *out = NULL, why[256];
    ck_assert_msg(
        skl_vc_sign(&out, outlen, json, len, k, "2026-01-01T00:00:00Z", why, sizeof why) == SKL_OK,
        "sign: %s", why);
    return out;
}

/* Appends one credential; returns its error and copies the reason into why. */
static int
append1(const char *cred, size_t len, char *why, size_t whylen)
{
    skl_ledger_item item;
    const char *texts[1] = {cred};
    int rc = skl_ledger_append(l, texts, &len, 1, &item, 1);
    snprintf(why, whylen, "%s", item.why);
    return rc == SKL_OK ? SKL_OK : item.err;
}

/* An issuer certificate for subject under the root signed by signer (NULL: the root). */
static skl_cert *
issuer_cert(const skl_key *subject, const char *scope, int64_t from, int64_t until)
{
    char *pem = NULL, why[256];
    size_t len;
    skl_cert *c = NULL;
    ck_assert_msg(skl_cert_issue(&pem, &len, authority, root, skl_key_public(subject),
                                 "重庆市鉴定中心", from, until, scope, strlen(scope), why,
                                 sizeof why) == SKL_OK,
                  "issue: %s", why);
    ck_assert_int_eq(skl_cert_parse(&c, pem, len, why, sizeof why), SKL_OK);
    free(pem);
    return c;
}

/* The unsigned accreditation for cert (caller frees). */
static char *
accreditation(const skl_cert *cert, size_t *len)
{
    char *json = NULL, why[256];
    ck_assert_int_eq(skl_accreditation_build(&json, len, cert, skl_key_did(authority),
                                             "北碚区人力社保局", "evaluation-bodies", why,
                                             sizeof why),
                     SKL_OK);
    return json;
}

#define CERT_SCOPE                                                                                 \
    "{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"prefix\":\"6-31\"}]," \
    "\"levels\":{\"scale\":\"skill\",\"min\":\"L5\",\"max\":\"L3\"},\"evaluator\":\"S\"}"

/* Accredits centre with scope, valid [from, until]; returns the accreditation's id. */
static char *
accredit(const char *scope, int64_t from, int64_t until)
{
    size_t len, slen;
    char why[256];
    skl_cert *c = issuer_cert(centre, scope, from, until);
    char *json = accreditation(c, &len);
    char *s = sign(authority, json, len, &slen);
    ck_assert_msg(append1(s, slen, why, sizeof why) == SKL_OK, "accreditation: %s", why);
    char *id = strstr(s, "\"id\":\"urn:uuid:");
    ck_assert_ptr_nonnull(id);
    char *out = strndup(id + 6, 45);
    skl_cert_free(c);
    free(json);
    free(s);
    return out;
}

static int serial;

/* A certification by k: level, occupation, evaluator ("S" or "Y"), employer (or NULL);
 * extra fields (name, value pairs, NULL-terminated) may follow. Signed. */
static char *
certification(const skl_key *k, const char *level, const char *occ, const char *evaluator,
              const char *employer, size_t *len, const char *extra_name, const char *extra)
{
    char id[64], no[32], hash[80], why[256], *json = NULL;
    size_t jlen;
    snprintf(id, sizeof id, "urn:uuid:3f0c1a2b-4d5e-4f60-8a7b-%012d", ++serial);
    snprintf(no, sizeof no, "%s12345001090026%c%06d", evaluator, level[1], serial);
    snprintf(hash, sizeof hash, "sha256$%064d", serial);
    skl_field f[16] = {{"kind", "certification"},
                       {"id", id},
                       {"issuer", skl_key_did(k)},
                       {"issuerName", "重庆市鉴定中心"},
                       {"identityHash", hash},
                       {"evaluationType", "skill-level"},
                       {"occupation", occ},
                       {"edition", "2015"},
                       {"level", level},
                       {"certificateNumber", no},
                       {"issueDate", "2025-12-01"},
                       {"evaluator", evaluator}};
    size_t n = 12;
    if (employer != NULL)
        f[n++] = (skl_field){"employer", employer};
    if (extra_name != NULL)
        f[n++] = (skl_field){extra_name, extra};
    if (extra_name != NULL && strcmp(extra_name, "correctsTarget") == 0)
        f[n++] = (skl_field){"correctsReason", "wrong level"};
    ck_assert_msg(skl_credential_build(&json, &jlen, f, n, why, sizeof why) == SKL_OK, "build: %s",
                  why);
    char *s = sign(k, json, jlen, len);
    free(json);
    return s;
}

/* (The length comes from the text: an argument list cannot rely on a length that another
 * argument's call sets.) */
static void
expect_refused(char *cred, const char *reason)
{
    char why[256];
    int rc = append1(cred, strlen(cred), why, sizeof why);
    ck_assert_msg(rc != SKL_OK, "accepted, expected refusal: %s", reason);
    ck_assert_msg(strstr(why, reason) != NULL, "why \"%s\" lacks \"%s\"", why, reason);
    free(cred);
}

static void
expect_accepted(char *cred)
{
    char why[256];
    int rc = append1(cred, strlen(cred), why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "refused: %s", why);
    free(cred);
}

static uint64_t
size_now(void)
{
    uint64_t n;
    ck_assert_int_eq(skl_ledger_size(l, &n), SKL_OK);
    return n;
}

static char *revocation(const skl_key *k, const char *target, const char *effective, size_t *len);

/* ---- accreditations --------------------------------------------------------------------- */

START_TEST(test_accreditation_forged)
{
    size_t len, slen;
    skl_cert *c = issuer_cert(centre, CERT_SCOPE, T0 - DAY, T0 + 365 * DAY);
    char *json = accreditation(c, &len);
    /* Signed by a key that is not the root's: in the root's name, or in its own. */
    expect_refused(sign(rogue, json, len, &slen), "did not sign this credential");
    char *rogue_did = NULL;
    ck_assert_int_eq(skl_did_key_encode(&rogue_did, skl_key_public(rogue)), SKL_OK);
    char *own = strdup(json);
    size_t olen = len;
    replace(&own, &olen, skl_key_did(authority), rogue_did);
    expect_refused(sign(rogue, own, olen, &slen), "must be signed by the authority root");
    free(own);
    /* The accredited key swapped for another. */
    char *centre_did = NULL;
    ck_assert_int_eq(skl_did_key_encode(&centre_did, skl_key_public(centre)), SKL_OK);
    char *tampered = strdup(json);
    size_t tlen = len;
    replace(&tampered, &tlen, centre_did, rogue_did);
    expect_refused(sign(authority, tampered, tlen, &slen), "certificate is for another key");
    free(tampered);
    /* A wider scope than the certificate's. */
    tampered = strdup(json);
    tlen = len;
    replace(&tampered, &tlen, "\"max\":\"L3\"", "\"max\":\"L1\"");
    expect_refused(sign(authority, tampered, tlen, &slen), "scope differs");
    free(tampered);
    ck_assert_uint_eq(size_now(), 0);
    free(rogue_did);
    free(centre_did);
    free(json);
    skl_cert_free(c);
}
END_TEST

START_TEST(test_accreditation_not_chained)
{
    /* A certificate from another root, wrapped in an accreditation the real root signs. */
    char *pem = NULL, *other_pem = NULL, why[256];
    size_t len, olen, jlen, slen;
    skl_cert *other = NULL, *c = NULL;
    ck_assert_int_eq(skl_cert_make_root(&other_pem, &olen, other_root, "北碚区人力社保局",
                                        T0 - 365 * DAY, T0 + 3650 * DAY, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_cert_parse(&other, other_pem, olen, why, sizeof why), SKL_OK);
    ck_assert_int_eq(skl_cert_issue(&pem, &len, other_root, other, skl_key_public(centre),
                                    "重庆市鉴定中心", T0 - DAY, T0 + 365 * DAY, CERT_SCOPE,
                                    strlen(CERT_SCOPE), why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_cert_parse(&c, pem, len, why, sizeof why), SKL_OK);
    char *json = accreditation(c, &jlen);
    expect_refused(sign(authority, json, jlen, &slen), "accreditation certificate:");
    /* Nor may the pretender root sign accreditations itself. */
    char *other_did = NULL;
    ck_assert_int_eq(skl_did_key_encode(&other_did, skl_key_public(other_root)), SKL_OK);
    replace(&json, &jlen, skl_key_did(authority), other_did);
    expect_refused(sign(other_root, json, jlen, &slen), "must be signed by the authority root");
    free(other_did);
    free(json);
    free(pem);
    free(other_pem);
    skl_cert_free(c);
    skl_cert_free(other);
}
END_TEST

START_TEST(test_not_accredited)
{
    size_t len;
    expect_refused(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL),
                   "no accreditation");
    /* The root key signs only accreditations, revocations and corrections. */
    expect_refused(certification(authority, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL),
                   "authority root signs only");
}
END_TEST

/* ---- scope ------------------------------------------------------------------------------ */

START_TEST(test_scope)
{
    size_t len;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    expect_accepted(certification(centre, "L5", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    expect_refused(certification(centre, "L2", "6-31-01-03", "S", NULL, &len, NULL, NULL), "L2");
    expect_refused(certification(centre, "L4", "6-18-02-04", "S", NULL, &len, NULL, NULL),
                   "6-18-02-04");
    expect_refused(certification(centre, "L4", "6-31-01-03", "Y", EMPLOYER, &len, NULL, NULL),
                   "scope");
    /* A kind the scope does not list. */
    char *json = NULL, why[256];
    size_t jlen;
    skl_field f[] = {{"kind", "competition"},
                     {"issuer", skl_key_did(centre)},
                     {"issuerName", "重庆市鉴定中心"},
                     {"identityHash",
                      "sha256$"
                      "0000000000000000000000000000000000000000000000000000000000000009"},
                     {"competition", "北碚区电工技能大赛"},
                     {"tier", "district"},
                     {"year", "2026"},
                     {"award", "一等奖"}};
    ck_assert_msg(skl_credential_build(&json, &jlen, f, sizeof f / sizeof f[0], why, sizeof why) ==
                      SKL_OK,
                  "build: %s", why);
    expect_refused(sign(centre, json, jlen, &len), "scope: kind competition is not accredited");
    free(json);
}
END_TEST

/* Key rotation: the institution gets a new key and certificate; what the old key signed stays
 * in the ledger and audits, the new key signs from then on, and revoking the old
 * accreditation stops only the old key. */
START_TEST(test_key_rotation)
{
    size_t len;
    char *old = accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY);
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    skl_key *renewed = seeded(6, "centre-2027");
    size_t alen, slen;
    char why[256];
    skl_cert *c = issuer_cert(renewed, CERT_SCOPE, T0 - DAY, T0 + 730 * DAY);
    char *json = accreditation(c, &alen);
    expect_accepted(sign(authority, json, alen, &slen));
    expect_accepted(revocation(authority, old, NULL, &len));
    expect_refused(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL),
                   "revoked");
    expect_accepted(certification(renewed, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    skl_audit_report rep;
    ck_assert_msg(skl_ledger_audit(l, 1, &rep) == SKL_OK, "audit: %s", rep.why);
    ck_assert_uint_eq(rep.leaves, 5);
    (void)why;
    free(json);
    free(old);
    skl_cert_free(c);
    skl_key_free(renewed);
}
END_TEST

START_TEST(test_scope_y_employer)
{
    size_t len;
    free(accredit("{\"kinds\":[\"certification\"],\"evaluator\":\"Y\",\"employer\":\"" EMPLOYER
                  "\"}",
                  T0 - DAY, T0 + 365 * DAY));
    expect_accepted(certification(centre, "L4", "6-31-01-03", "Y", EMPLOYER, &len, NULL, NULL));
    /* A Y evaluator certifies only its own staff. */
    expect_refused(certification(centre, "L4", "6-31-01-03", "Y", OTHER_EMPLOYER, &len, NULL, NULL),
                   "employer");
    expect_refused(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL), "scope");
}
END_TEST

/* ---- time ------------------------------------------------------------------------------- */

START_TEST(test_validity_in_time)
{
    size_t len;
    free(accredit(CERT_SCOPE, T0 + 10 * DAY, T0 + 20 * DAY));
    expect_refused(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL),
                   "not at the log's time");
    skl_ledger_set_time(l, T0 + 15 * DAY);
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    skl_ledger_set_time(l, T0 + 21 * DAY);
    expect_refused(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL),
                   "not at the log's time");
}
END_TEST

/* A revocation of target by k, effective at `effective` (or NULL: the log's time). */
static char *
revocation(const skl_key *k, const char *target, const char *effective, size_t *len)
{
    char *json = NULL, why[256];
    size_t jlen;
    skl_field f[6] = {{"kind", "revocation"}, {"issuer", skl_key_did(k)}, {"issuerName", "x"},
                      {"target", target},     {"reason", "test"},         {"effective", effective}};
    ck_assert_msg(skl_credential_build(&json, &jlen, f, effective ? 6 : 5, why, sizeof why) ==
                      SKL_OK,
                  "build: %s", why);
    char *s = sign(k, json, jlen, len);
    free(json);
    return s;
}

START_TEST(test_issuer_revoked)
{
    size_t len;
    char *acc = accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY);
    /* Only the authority revokes an accreditation; the revocation takes effect in 5 days. */
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY)); /* a second, renewed one */
    expect_refused(revocation(centre, acc, NULL, &len), "belongs to another issuer");
    expect_accepted(revocation(authority, acc, "2026-01-06T00:00:00Z", &len));
    expect_refused(revocation(authority, acc, NULL, &len), "already revoked");
    /* The renewed accreditation still carries the issuer. */
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    free(acc);
}
END_TEST

START_TEST(test_revocation_effective)
{
    size_t len;
    char *acc = accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY);
    expect_accepted(revocation(authority, acc, "2026-01-06T00:00:00Z", &len));
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    skl_ledger_set_time(l, T0 + 5 * DAY);
    expect_refused(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL),
                   "revoked as of 2026-01-06");
    free(acc);
}
END_TEST

/* ---- revocations and corrections of credentials --------------------------------------------- */

START_TEST(test_retire_rules)
{
    size_t len;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    char *cred = certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL);
    char *id = strndup(strstr(cred, "\"id\":\"urn:uuid:") + 6, 45);
    expect_accepted(cred);
    expect_refused(revocation(centre, "urn:uuid:00000000-0000-4000-8000-000000000000", NULL, &len),
                   "is not in the ledger");
    expect_refused(revocation(rogue, id, NULL, &len), "no accreditation");
    /* A correction by the issuer supersedes; then nothing more can retire it. */
    expect_accepted(
        certification(centre, "L3", "6-31-01-03", "S", NULL, &len, "correctsTarget", id));
    expect_refused(revocation(centre, id, NULL, &len), "already superseded");
    free(id);
}
END_TEST

START_TEST(test_authority_revokes_anything)
{
    size_t len;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    char *cred = certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL);
    char *id = strndup(strstr(cred, "\"id\":\"urn:uuid:") + 6, 45);
    expect_accepted(cred);
    expect_accepted(revocation(authority, id, NULL, &len));
    free(id);
}
END_TEST

/* ---- batches ---------------------------------------------------------------------------- */

START_TEST(test_batch_leaves_no_trace)
{
    size_t alen, slen, clen, blen;
    skl_cert *c = issuer_cert(centre, CERT_SCOPE, T0 - DAY, T0 + 365 * DAY);
    char *json = accreditation(c, &alen);
    char *acc = sign(authority, json, alen, &slen);
    char *good = certification(centre, "L4", "6-31-01-03", "S", NULL, &clen, NULL, NULL);
    char *bad = certification(centre, "L1", "6-31-01-03", "S", NULL, &blen, NULL, NULL);
    const char *texts[3] = {acc, good, bad};
    size_t lens[3] = {slen, clen, blen};
    skl_ledger_item items[3];
    /* The accreditation earlier in the batch carries the credential after it ... */
    ck_assert_int_eq(skl_ledger_check(l, texts, lens, 2, items, 2), SKL_OK);
    /* ... but one refusal refuses all, and the accreditation is not remembered. */
    ck_assert_int_eq(skl_ledger_append(l, texts, lens, 3, items, 2), SKL_ERR_VERIFY);
    ck_assert_int_eq(items[0].err, SKL_OK);
    ck_assert_int_eq(items[1].err, SKL_OK);
    ck_assert_int_ne(items[2].err, SKL_OK);
    ck_assert_uint_eq(size_now(), 0);
    char why[256];
    ck_assert_int_ne(append1(good, clen, why, sizeof why), SKL_OK);
    ck_assert_ptr_nonnull(strstr(why, "no accreditation"));
    ck_assert_int_eq(skl_ledger_append(l, texts, lens, 2, items, 2), SKL_OK);
    ck_assert_uint_eq(size_now(), 2);
    free(json);
    free(acc);
    free(good);
    free(bad);
    skl_cert_free(c);
}
END_TEST

START_TEST(test_policy_survives_reopen)
{
    size_t len;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    skl_ledger_close(l);
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    skl_ledger_set_time(l, T0);
    char *pem = NULL;
    ck_assert_int_eq(skl_ledger_authority(l, &pem, &len), SKL_OK);
    free(pem);
    expect_refused(certification(centre, "L2", "6-31-01-03", "S", NULL, &len, NULL, NULL), "L2");
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    /* The root is set once, on an empty ledger. */
    ck_assert_int_eq(skl_ledger_set_authority(l, root_pem, root_len), SKL_ERR_STATE);
}
END_TEST

static void
sql(const char *stmt)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    char *err = NULL;
    ck_assert_msg(sqlite3_exec(h, stmt, NULL, NULL, &err) == SQLITE_OK, "%s: %s", stmt, err);
    sqlite3_close(h);
}

static int
audit(skl_audit_report *rep)
{
    skl_ledger_close(l);
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    skl_ledger_set_time(l, T0);
    return skl_ledger_audit(l, 2, rep);
}

/* The audit replays the rules: a credential slipped in while the authority root was taken
 * out of the store is found, and so are rows added to the derived tables. */
START_TEST(test_audit_replays_rules)
{
    size_t len;
    skl_audit_report rep;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    expect_accepted(certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    ck_assert_msg(audit(&rep) == SKL_OK, "audit: %s", rep.why);
    /* Without the root the ledger takes anything: an out-of-scope level, at index 2. */
    skl_ledger_close(l);
    l = NULL;
    sql("CREATE TEMP TABLE saved AS SELECT value FROM meta WHERE key = 'authority_root';"
        "DROP TRIGGER meta_ro_d; DELETE FROM meta WHERE key = 'authority_root';"
        "CREATE TABLE keep(value BLOB); INSERT INTO keep SELECT value FROM saved;");
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    skl_ledger_set_time(l, T0);
    expect_accepted(certification(centre, "L1", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    skl_ledger_close(l);
    l = NULL;
    sql("INSERT INTO meta(key, value) SELECT 'authority_root', value FROM keep; DROP TABLE keep;");
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_int_eq(rep.bad_index, 2);
    ck_assert_msg(strstr(rep.why, "against the authority's rules") != NULL, "%s", rep.why);
    ck_assert_msg(strstr(rep.why, "L1") != NULL, "%s", rep.why);
}
END_TEST

START_TEST(test_audit_derived_tables)
{
    skl_audit_report rep;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    ck_assert_msg(audit(&rep) == SKL_OK, "audit: %s", rep.why);
    skl_ledger_close(l);
    l = NULL;
    sql("INSERT INTO status(id, status, by, idx, effective) VALUES"
        " ('urn:uuid:00000000-0000-4000-8000-000000000001', 'revoked', 'x', 0, 0)");
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_msg(strstr(rep.why, "status table does not match") != NULL, "%s", rep.why);
}
END_TEST

/* A checkpoint ends with a status snapshot committing to who is revoked; the audit recomputes
 * it, and a snapshot made from tampered statuses is named by index. */
START_TEST(test_status_snapshot)
{
    size_t len;
    skl_audit_report rep;
    char *note = NULL, *data = NULL;
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    char *cred = certification(centre, "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL);
    char *id = strndup(strstr(cred, "\"id\":\"urn:uuid:") + 6, 45);
    expect_accepted(cred);
    expect_accepted(revocation(centre, id, NULL, &len));
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    ck_assert_uint_eq(size_now(), 4); /* accreditation, credential, revocation, snapshot */
    ck_assert_int_eq(skl_ledger_leaf(l, 3, &data, &len, NULL), SKL_OK);
    ck_assert_ptr_nonnull(strstr(data, "\"size\":3},"));
    ck_assert_ptr_nonnull(strstr(data, "\"type\":\"skl/status/v1\""));
    free(data);
    char status[16];
    ck_assert_int_eq(skl_ledger_status(l, id, status), SKL_OK);
    ck_assert_str_eq(status, "revoked");
    /* Nothing new: the next checkpoint adds no second snapshot. */
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    ck_assert_uint_eq(size_now(), 4);
    ck_assert_msg(audit(&rep) == SKL_OK, "audit: %s", rep.why);

    /* The revocation's status row removed before the next snapshot. */
    expect_accepted(certification(centre, "L5", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    skl_ledger_close(l);
    l = NULL;
    sql("DROP TRIGGER status_ro_d; DELETE FROM status;");
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    skl_ledger_set_time(l, T0);
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_int_eq(rep.bad_index, 5);
    ck_assert_msg(strstr(rep.why, "status snapshot's root") != NULL, "%s", rep.why);
    free(id);
}
END_TEST

/* Past 256 leaves the status tree's block hashes are cached between snapshots: revocations
 * in cached blocks must still show in the next snapshot (the audit recomputes every root),
 * and a corrupted cache must not go unnoticed. */
START_TEST(test_status_blocks_cached)
{
    enum { N = 600 };
    size_t len;
    skl_audit_report rep;
    char *note = NULL, *creds[N], *ids[2];
    size_t lens[N];
    skl_ledger_item *items = calloc(N, sizeof *items);
    ck_assert_ptr_nonnull(items);
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    for (int i = 0; i < N; i++)
        creds[i] = certification(centre, "L4", "6-31-01-03", "S", NULL, &lens[i], NULL, NULL);
    ids[0] = strndup(strstr(creds[9], "\"id\":\"urn:uuid:") + 6, 45);
    ids[1] = strndup(strstr(creds[299], "\"id\":\"urn:uuid:") + 6, 45);
    ck_assert_int_eq(skl_ledger_append(l, (const char *const *)creds, lens, N, items, 2), SKL_OK);
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    expect_accepted(revocation(centre, ids[0], NULL, &len));
    expect_accepted(revocation(authority, ids[1], NULL, &len));
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    ck_assert_msg(audit(&rep) == SKL_OK, "audit: %s", rep.why);
    /* One cached hash altered, before any snapshot uses it: the audit names the row. */
    skl_ledger_close(l);
    l = NULL;
    sql("UPDATE status_nodes SET hash = zeroblob(32) WHERE level = 8 AND idx = 1");
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_msg(
        strstr(rep.why, "status_nodes table does not match the leaves (level 8, index 1)") != NULL,
        "%s", rep.why);
    /* A row for a subtree the ledger does not have yet. */
    sql("UPDATE status_nodes SET hash = (SELECT hash FROM status_nodes WHERE level = 8 AND idx = 0)"
        " WHERE level = 8 AND idx = 1;"
        "INSERT INTO status_nodes(level, idx, hash) VALUES(9, 5, zeroblob(32))");
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_msg(strstr(rep.why, "(level 8, index 1)") != NULL, "%s", rep.why);
    sql("DELETE FROM status_nodes WHERE level = 8 AND idx = 1");
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_msg(strstr(rep.why, "(level 9, index 5)") != NULL, "%s", rep.why);
    sql("DELETE FROM status_nodes WHERE level = 9 AND idx = 5");
    ck_assert_msg(audit(&rep) == SKL_OK, "audit: %s", rep.why); /* a missing row is no harm */
    /* Cached subtree hashes altered: the next snapshot commits to a wrong root. */
    skl_ledger_close(l);
    l = NULL;
    sql("UPDATE status_nodes SET hash = zeroblob(32)"); /* whichever the next snapshot uses */
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    skl_ledger_set_time(l, T0);
    expect_accepted(certification(centre, "L5", "6-31-01-03", "S", NULL, &len, NULL, NULL));
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    ck_assert_int_eq(audit(&rep), SKL_ERR_CORRUPT);
    ck_assert_msg(strstr(rep.why, "status snapshot's root") != NULL, "%s", rep.why);
    for (int i = 0; i < N; i++)
        free(creds[i]);
    free(ids[0]);
    free(ids[1]);
    free(items);
}
END_TEST

/* The record of leaf 0 (kept until the next call). */
static const char *
acc_first(void)
{
    static char *data;
    size_t len;
    free(data);
    data = NULL;
    ck_assert_int_eq(skl_ledger_leaf(l, 0, &data, &len, NULL), SKL_OK);
    return strstr(data, "\"id\":\"urn:uuid:") + 6;
}

/* ---- credit transfers ------------------------------------------------------------------ */

/* A school's credit transfer by k: programme prog (graduation credits grad), one course per
 * source with the given credits (in halves). */
static char *
transfer(const skl_key *k, const char *prog, int grad, const char *const *sources,
         const int *halves, size_t n)
{
    char text[8192], id[64];
    size_t len, used;
    snprintf(id, sizeof id, "urn:uuid:7a1c0000-0000-4000-8000-%012d", ++serial);
    used = (size_t)snprintf(
        text, sizeof text,
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"id\":\"%s\","
        "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
        "\"issuer\":{\"id\":\"%s\",\"type\":[\"Profile\"],\"name\":\"重庆某职业学院\"},"
        "\"validFrom\":\"2026-01-01T00:00:00Z\",\"name\":\"credit transfer\","
        "\"credentialSubject\":{\"type\":[\"AchievementSubject\"],"
        "\"identifier\":[{\"type\":\"IdentityObject\",\"hashed\":true,"
        "\"identityType\":\"nationalIdentityNumber\",\"identityHash\":\"sha256$%064d\"}],"
        "\"achievement\":{\"id\":\"urn:skl:achievement:credit:%s\",\"type\":[\"Achievement\"],"
        "\"achievementType\":\"Achievement\",\"name\":\"credits\"},"
        "\"skl\":{\"kind\":\"credit\",\"programme\":{\"id\":\"%s\",\"version\":\"1\","
        "\"name\":\"机电一体化技术\"},\"graduationCredits\":%d,\"rules\":{\"framework\":\"f 1\","
        "\"programme\":\"%s 1\"},\"courses\":[",
        id, skl_key_did(k), serial, prog, prog, grad, prog);
    int total = 0;
    for (size_t i = 0; i < n; i++) {
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "%s{\"id\":\"C%zu\",\"name\":\"course\",\"credits\":%g,"
                                 "\"sources\":[\"%s\"]}",
                                 i ? "," : "", i, halves[i] / 2.0, sources[i]);
        total += halves[i];
    }
    snprintf(text + used, sizeof text - used, "],\"credits\":%g}}}", total / 2.0);
    char *out = sign(k, text, strlen(text), &len);
    return out;
}

START_TEST(test_credit_transfers)
{
    size_t len;
    char *ids[3];
    free(accredit(CERT_SCOPE, T0 - DAY, T0 + 365 * DAY));
    for (int i = 0; i < 3; i++) {
        char *c =
            certification(centre, i == 2 ? "L5" : "L4", "6-31-01-03", "S", NULL, &len, NULL, NULL);
        ids[i] = strndup(strstr(c, "\"id\":\"urn:uuid:") + 6, 45);
        expect_accepted(c);
    }
    /* The school: accredited to convert credits. */
    skl_key *school = seeded(7, "school");
    {
        size_t alen, slen;
        skl_cert *c = issuer_cert(school, "{\"kinds\":[\"credit\"]}", T0 - DAY, T0 + 365 * DAY);
        char *json = accreditation(c, &alen);
        expect_accepted(sign(authority, json, alen, &slen));
        free(json);
        skl_cert_free(c);
    }
    const char *one[1] = {ids[0]};
    int four[1] = {8}, nine[1] = {18};
    /* Not the school: the centre's scope has no credit. */
    expect_refused(transfer(centre, "P1", 120, one, four, 1), "scope: kind credit");
    /* Over the per-source cap (8 credits). */
    expect_refused(transfer(school, "P1", 120, one, nine, 1), "at most 8");
    /* Over 50% of the graduation credits: 4 of 6. */
    expect_refused(transfer(school, "P1", 6, one, four, 1), "more than 50%");
    /* Accepted; then the same source in the same programme is refused, in another not. */
    expect_accepted(transfer(school, "P1", 120, one, four, 1));
    expect_refused(transfer(school, "P1", 120, one, four, 1), "already converted in programme P1");
    expect_accepted(transfer(school, "P2", 120, one, four, 1));
    /* A revoked source; a source that is not a learning outcome; one not in the log. */
    expect_accepted(revocation(centre, ids[1], NULL, &len));
    const char *revoked[1] = {ids[1]};
    expect_refused(transfer(school, "P1", 120, revoked, four, 1), "is revoked");
    char *acc = strndup(strstr(acc_first(), "urn:uuid:"), 45);
    const char *notlo[1] = {acc};
    expect_refused(transfer(school, "P1", 120, notlo, four, 1), "not a learning outcome");
    const char *missing[1] = {"urn:uuid:00000000-0000-4000-8000-000000000099"};
    expect_refused(transfer(school, "P1", 120, missing, four, 1), "not in the ledger");
    /* Online training over 25% of the graduation credits: 6 of 20. */
    {
        size_t alen, slen;
        skl_cert *c = issuer_cert(rogue, "{\"kinds\":[\"training\"]}", T0 - DAY, T0 + 365 * DAY);
        char *json = accreditation(c, &alen), *tj = NULL, why[256];
        expect_accepted(sign(authority, json, alen, &slen));
        free(json);
        skl_cert_free(c);
        skl_field f[] = {{"kind", "training"},
                         {"issuer", skl_key_did(rogue)},
                         {"issuerName", "网络培训平台"},
                         {"identityHash", "sha256$"
                                          "00000000000000000000000000000000000000000000000000000000"
                                          "00000077"},
                         {"trainingType", "job-skills-upgrading"},
                         {"funding", "market"},
                         {"delivery", "online"},
                         {"hours", "200"},
                         {"startDate", "2025-03-01"},
                         {"endDate", "2025-06-01"},
                         {"result", "passed"}};
        size_t tl;
        ck_assert_msg(skl_credential_build(&tj, &tl, f, sizeof f / sizeof f[0], why, sizeof why) ==
                          SKL_OK,
                      "%s", why);
        char *t = sign(rogue, tj, tl, &slen);
        char *tid = strndup(strstr(t, "\"id\":\"urn:uuid:") + 6, 45);
        free(tj);
        expect_accepted(t);
        const char *online[1] = {tid};
        int six[1] = {12};
        expect_refused(transfer(school, "P4", 20, online, six, 1), "online training");
        int five[1] = {10};
        expect_accepted(transfer(school, "P4", 20, online, five, 1));
        free(tid);
    }
    /* Two courses may not share a source. */
    const char *twice[2] = {ids[2], ids[2]};
    int halves2[2] = {2, 2};
    expect_refused(transfer(school, "P3", 120, twice, halves2, 2), "already backs a course");
    skl_audit_report rep;
    ck_assert_msg(audit(&rep) == SKL_OK, "audit: %s", rep.why);
    free(acc);
    for (int i = 0; i < 3; i++)
        free(ids[i]);
    skl_key_free(school);
}
END_TEST

Suite *
policy_suite(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_accreditation_forged);
    tcase_add_test(tc, test_accreditation_not_chained);
    tcase_add_test(tc, test_not_accredited);
    tcase_add_test(tc, test_scope);
    tcase_add_test(tc, test_scope_y_employer);
    tcase_add_test(tc, test_key_rotation);
    tcase_add_test(tc, test_validity_in_time);
    tcase_add_test(tc, test_issuer_revoked);
    tcase_add_test(tc, test_revocation_effective);
    tcase_add_test(tc, test_retire_rules);
    tcase_add_test(tc, test_authority_revokes_anything);
    tcase_add_test(tc, test_batch_leaves_no_trace);
    tcase_add_test(tc, test_policy_survives_reopen);
    tcase_add_test(tc, test_audit_replays_rules);
    tcase_add_test(tc, test_audit_derived_tables);
    tcase_add_test(tc, test_status_snapshot);
    tcase_add_test(tc, test_status_blocks_cached);
    tcase_add_test(tc, test_credit_transfers);
    suite_add_tcase(s, tc);
    return s;
}
