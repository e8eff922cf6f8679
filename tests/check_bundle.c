/* check_bundle.c - what an employer's `skl verify` must refuse (spec/bundle.md): a worker's
 * bundle exported from a real ledger (authority, accredited centre, vault, witnessed
 * checkpoint), then mutated one way at a time, each refusal asserted by its reason; and the
 * shapes that are not bundles at all (flips, truncation, huge arrays, deep nesting, size). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "skl/authority.h"
#include "skl/build.h"
#include "skl/bundle.h"
#include "skl/cert.h"
#include "skl/skl.h"
#include "skl/trust.h"
#include "skl/vault.h"
#include "skl/witness.h"
#include "testutil.h"

#define T0 1767225600LL /* 2026-01-01T00:00:00Z: the ledger's clock */
#define HOUR 3600LL
#define DAY 86400LL
#define NOW (T0 + HOUR) /* the employer's clock */
#define ORIGIN "skl.example/log"
#define WNAME "witness.example/w1"
#define W2NAME "witness.example/w2"
#define PASS "correct horse battery staple"
#define ID1 "11010519491231002X"
#define ID2 "500109198807150016"
#define CRED(n) "urn:uuid:3f0c1a2b-4d5e-4f60-8a7b-00000000000" #n
#define ZERO_HASH "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

#define WIDE_SCOPE                                                                                 \
    "{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"prefix\":\"6-31\"}]," \
    "\"levels\":{\"scale\":\"skill\",\"min\":\"L5\",\"max\":\"L3\"},\"evaluator\":\"S\"}"
#define NARROW_SCOPE                                                                               \
    "{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":\"2015\",\"prefix\":\"6-31\"}]," \
    "\"levels\":{\"scale\":\"skill\",\"min\":\"L5\",\"max\":\"L5\"},\"evaluator\":\"S\"}"

static char *dir;
static char db[4096], wstate[4200], w2state[4200];
static skl_key *log_key, *authority, *other_root, *centre, *wkey, *w2key;
static skl_cert *root;
static char *root_pem, *log_vkey, *wvkey, *w2vkey;
static size_t root_len;
static skl_ledger *l;
static skl_vault *v;
static int64_t worker1, worker2;
static skl_trust *trust;
static char *note;      /* the latest witnessed checkpoint */
static size_t note_len;
static uint64_t cp_size; /* its tree size */
static char *bundle;    /* worker 1's bundle, identity and name disclosed */
static size_t blen;
static char narrow_id[64], wide_id[64];

/* ---- building the ledger ----------------------------------------------------------------- */

static skl_key *
seeded(int b, const char *name)
{
    uint8_t seed[32];
    skl_key *k = NULL;
    memset(seed, b, sizeof seed);
    ck_assert_int_eq(skl_key_from_seed(&k, seed, name), SKL_OK);
    return k;
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

/* Appends one signed credential, which must be accepted; frees it. */
static void
append_ok(char *cred, size_t len)
{
    skl_ledger_item item;
    const char *texts[1] = {cred};
    int rc = skl_ledger_append(l, texts, &len, 1, &item, 1);
    ck_assert_msg(rc == SKL_OK, "append: %s", item.why);
    free(cred);
}

/* Accredits centre with scope; its credential id goes to id_out (64 bytes). */
static void
accredit(const char *scope, char *id_out)
{
    char *pem = NULL, *json = NULL, why[256];
    size_t len, jlen, slen;
    skl_cert *c = NULL;
    ck_assert_msg(skl_cert_issue(&pem, &len, authority, root, skl_key_public(centre),
                                 "重庆市鉴定中心", T0 - DAY, T0 + 365 * DAY, scope, strlen(scope),
                                 why, sizeof why) == SKL_OK,
                  "issue: %s", why);
    ck_assert_int_eq(skl_cert_parse(&c, pem, len, why, sizeof why), SKL_OK);
    ck_assert_int_eq(skl_accreditation_build(&json, &jlen, c, skl_key_did(authority),
                                             "北碚区人力社保局", "evaluation-bodies", why,
                                             sizeof why),
                     SKL_OK);
    char *s = sign(authority, json, jlen, &slen);
    char *at = strstr(s, "\"id\":\"urn:uuid:");
    ck_assert_ptr_nonnull(at);
    snprintf(id_out, 64, "%.45s", at + 6);
    append_ok(s, slen);
    free(json);
    free(pem);
    skl_cert_free(c);
}

/* A certification of worker by the centre, id CRED(serial), linked in the vault. */
static void
certify(int64_t worker, const char *id, const char *level, int serial)
{
    char hash[SKL_VAULT_IDENTITY_HASH_SIZE], no[32], why[256], *json = NULL;
    size_t jlen, slen;
    ck_assert_int_eq(skl_vault_commitment(v, worker, id, hash, NULL), SKL_OK);
    ck_assert_int_eq(skl_vault_link(v, worker, &id, 1), SKL_OK);
    snprintf(no, sizeof no, "S12345001090026%c%06d", level[1], serial);
    skl_field f[] = {{"kind", "certification"},
                     {"id", id},
                     {"issuer", skl_key_did(centre)},
                     {"issuerName", "重庆市鉴定中心"},
                     {"identityHash", hash},
                     {"evaluationType", "skill-level"},
                     {"occupation", "6-31-01-03"},
                     {"edition", "2015"},
                     {"level", level},
                     {"certificateNumber", no},
                     {"issueDate", "2025-12-01"},
                     {"evaluator", "S"}};
    ck_assert_msg(skl_credential_build(&json, &jlen, f, sizeof f / sizeof f[0], why, sizeof why) ==
                      SKL_OK,
                  "build: %s", why);
    char *signed_cred = sign(centre, json, jlen, &slen);
    append_ok(signed_cred, slen);
    free(json);
}

/* Signs a checkpoint of the ledger as it is; the witness (at old size `old`) cosigns it; the
 * ledger keeps the witnessed note, which becomes `note`. */
static void
witnessed_checkpoint(uint64_t old)
{
    char *cp = NULL, *req = NULL, *resp = NULL, *out = NULL, why[256];
    size_t len, reqlen, resplen, outlen;
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &cp, &len), SKL_OK);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, old, cp, len), SKL_OK);
    ck_assert_msg(skl_witness_cosign(&resp, &resplen, wstate, wkey, log_vkey, req, reqlen,
                                     T0 + 60, why, sizeof why) == SKL_OK,
                  "cosign: %s", why);
    ck_assert_int_eq(skl_witness_add_cosignature(&out, &outlen, cp, len, resp, resplen), SKL_OK);
    ck_assert_int_eq(skl_ledger_store_witnessed(l, out, outlen), SKL_OK);
    free(note);
    note = out;
    note_len = outlen;
    ck_assert_int_eq(skl_ledger_size(l, &cp_size), SKL_OK);
    free(cp);
    free(req);
    free(resp);
}

static skl_trust *
policy(const char *logv, const char *wname, const char *wv, const char *pem, size_t pem_len,
       int64_t max_age)
{
    char *text = NULL, why[256];
    size_t len;
    skl_trust *t = NULL;
    const char *names[1] = {wname}, *vkeys[1] = {wv};
    ck_assert_int_eq(skl_trust_format(&text, &len, logv, names, vkeys, 1, 1, pem, pem_len, max_age),
                     SKL_OK);
    ck_assert_msg(skl_trust_parse(&t, text, len, why, sizeof why) == SKL_OK, "policy: %s", why);
    free(text);
    return t;
}

static char *
export(int64_t worker, int disclose, size_t *len)
{
    char *out = NULL, why[256];
    ck_assert_msg(skl_bundle_export(&out, len, l, v, worker, NULL, 0, disclose, why, sizeof why) ==
                      SKL_OK,
                  "export: %s", why);
    return out;
}

static void
setup(void)
{
    char why[256];
    ck_assert_int_eq(skl_init(), SKL_OK);
    dir = tu_tmpdir();
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    snprintf(wstate, sizeof wstate, "%s/w1.state", dir);
    snprintf(w2state, sizeof w2state, "%s/w2.state", dir);
    log_key = seeded(1, ORIGIN);
    authority = seeded(2, "authority");
    other_root = seeded(3, "pretender");
    centre = seeded(4, "centre");
    wkey = seeded(5, WNAME);
    w2key = seeded(6, W2NAME);
    ck_assert_int_eq(skl_cert_make_root(&root_pem, &root_len, authority, "北碚区人力社保局",
                                        T0 - 365 * DAY, T0 + 3650 * DAY, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_cert_parse(&root, root_pem, root_len, why, sizeof why), SKL_OK);
    ck_assert_int_eq(
        skl_note_vkey_format(&wvkey, WNAME, SKL_NOTE_KEY_COSIGNATURE, skl_key_public(wkey)),
        SKL_OK);
    ck_assert_int_eq(
        skl_note_vkey_format(&w2vkey, W2NAME, SKL_NOTE_KEY_COSIGNATURE, skl_key_public(w2key)),
        SKL_OK);
    ck_assert_int_eq(skl_ledger_create(&l, db, ORIGIN, log_key), SKL_OK);
    skl_ledger_set_time(l, T0);
    ck_assert_int_eq(skl_ledger_set_authority(l, root_pem, root_len), SKL_OK);
    ck_assert_int_eq(skl_ledger_vkey(l, 0, &log_vkey), SKL_OK);
    /* Two accreditations of the centre: a narrow one (L5 only), then the wide one. */
    accredit(NARROW_SCOPE, narrow_id);
    accredit(WIDE_SCOPE, wide_id);
    ck_assert_int_eq(skl_vault_open(&v, l, PASS), SKL_OK);
    ck_assert_int_eq(skl_vault_add_worker(v, "resident-id", ID1, "张三丰", &worker1, why,
                                          sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_vault_add_worker(v, "resident-id", ID2, "李小龙", &worker2, why,
                                          sizeof why),
                     SKL_OK);
    certify(worker1, CRED(1), "L4", 1); /* index 2 */
    certify(worker1, CRED(2), "L5", 2); /* index 3 */
    certify(worker2, CRED(3), "L4", 3); /* index 4 */
    witnessed_checkpoint(0);            /* snapshot at index 5, size 6 */
    ck_assert_uint_eq(cp_size, 6);
    trust = policy(log_vkey, "w1", wvkey, root_pem, root_len, DAY);
    bundle = export(worker1, SKL_BUNDLE_DISCLOSE_ID | SKL_BUNDLE_DISCLOSE_NAME, &blen);
}

static void
teardown(void)
{
    free(bundle);
    free(note);
    note = NULL;
    skl_trust_free(trust);
    skl_vault_close(v);
    skl_ledger_close(l);
    skl_cert_free(root);
    free(root_pem);
    free(log_vkey);
    free(wvkey);
    free(w2vkey);
    skl_key_free(log_key);
    skl_key_free(authority);
    skl_key_free(other_root);
    skl_key_free(centre);
    skl_key_free(wkey);
    skl_key_free(w2key);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

/* ---- editing a bundle's text --------------------------------------------------------------- */

/* A new text: s[0..len) with cut bytes at off replaced by ins. */
static char *
splice(const char *s, size_t len, size_t off, size_t cut, const char *ins, size_t *outlen)
{
    size_t il = strlen(ins);
    ck_assert_uint_le(off + cut, len);
    char *n = malloc(len - cut + il + 1);
    ck_assert_ptr_nonnull(n);
    memcpy(n, s, off);
    memcpy(n + off, ins, il);
    memcpy(n + off + il, s + off + cut, len - off - cut);
    n[len - cut + il] = '\0';
    *outlen = len - cut + il;
    return n;
}

/* Offset of the first `what` at or after offset from in s (which must hold it). */
static size_t
find(const char *s, size_t from, const char *what)
{
    const char *at = strstr(s + from, what);
    ck_assert_msg(at != NULL, "\"%s\" not in the bundle", what);
    return (size_t)(at - s);
}

/* Replaces the first `from` at or after offset `after` by `to`. */
static char *
replace(const char *s, size_t len, size_t after, const char *from, const char *to, size_t *outlen)
{
    return splice(s, len, find(s, after, from), strlen(from), to, outlen);
}

/* Offset of the i-th credential entry (0-based) of bundle text s. */
static size_t
credential_at(const char *s, int i)
{
    size_t at = find(s, 0, "\"credentials\":[");
    for (int k = 0; k <= i; k++)
        at = find(s, at + 1, "{\"inclusion\":[");
    return at;
}

/* The member value of key in s from offset `from`: [start, end) of a JSON array or object
 * (balanced, no brackets in strings: true of proofs and entries) or of a string (quotes
 * included). */
static void
value_span(const char *s, size_t from, const char *key, size_t *start, size_t *end)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    size_t at = find(s, from, k) + strlen(k), i = at;
    if (s[i] == '"') {
        for (i++; s[i] != '"'; i++)
            if (s[i] == '\\')
                i++;
        *start = at;
        *end = i + 1;
        return;
    }
    int depth = 0;
    do {
        if (s[i] == '[' || s[i] == '{')
            depth++;
        else if (s[i] == ']' || s[i] == '}')
            depth--;
        i++;
    } while (depth > 0);
    *start = at;
    *end = i;
}

/* A copy of the member value of key from offset from, as a new string. */
static char *
value_of(const char *s, size_t from, const char *key)
{
    size_t a, b;
    value_span(s, from, key, &a, &b);
    return strndup(s + a, b - a);
}

/* The checkpoint note of bundle text s, unescaped. */
static char *
checkpoint_of(const char *s, size_t *len)
{
    char *q = value_of(s, 0, "checkpoint"), *out = malloc(strlen(q) + 1);
    size_t n = 0;
    ck_assert_ptr_nonnull(out);
    for (size_t i = 1; q[i + 1] != '\0'; i++) {
        if (q[i] == '\\') {
            i++;
            out[n++] = q[i] == 'n' ? '\n' : q[i];
        } else {
            out[n++] = q[i];
        }
    }
    out[n] = '\0';
    *len = n;
    free(q);
    return out;
}

/* s with its checkpoint replaced by the note text[0..len) (escaped as JSON). */
static char *
with_checkpoint(const char *s, size_t slen, const char *text, size_t len, size_t *outlen)
{
    char *q = malloc(2 * len + 3);
    size_t n = 0, a, b;
    ck_assert_ptr_nonnull(q);
    q[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            q[n++] = '\\';
            q[n++] = 'n';
        } else {
            if (text[i] == '"' || text[i] == '\\')
                q[n++] = '\\';
            q[n++] = text[i];
        }
    }
    q[n++] = '"';
    q[n] = '\0';
    value_span(s, 0, "checkpoint", &a, &b);
    char *out = splice(s, slen, a, b - a, q, outlen);
    free(q);
    return out;
}

/* [*start, *end) of the entry in the accreditations of s whose credential has member = id
 * (the export lists an issuer's accreditations in no fixed order, so entries are found by
 * content). */
static void
entry_with(const char *s, const char *member, const char *id, size_t *start, size_t *end)
{
    size_t a, e, k;
    char want[96];
    snprintf(want, sizeof want, "\"%s\":\"%s\"", member, id);
    value_span(s, 0, "accreditations", &a, &e);
    for (k = a + 1; k < e - 1; k = *end + 1) {
        *start = k;
        const char *next = strstr(s + k + 1, "{\"inclusion\":[");
        *end = next != NULL && (size_t)(next - s) < e ? (size_t)(next - s) - 1 : e - 1;
        const char *hit = strstr(s + *start, want);
        if (hit != NULL && (size_t)(hit - s) < *end)
            return;
    }
    ck_abort_msg("no accreditations entry with %s in the bundle", want);
}

static void
accreditation_entry(const char *s, const char *id, size_t *start, size_t *end)
{
    entry_with(s, "id", id, start, end);
}

/* s without the accreditation entry whose credential id is id. */
static char *
without_accreditation(const char *s, size_t len, const char *id, size_t *outlen)
{
    size_t a, e, start, end;
    value_span(s, 0, "accreditations", &a, &e);
    accreditation_entry(s, id, &start, &end);
    /* Cut the entry with the comma before it, or after it if it is the first. */
    if (start > a + 1)
        return splice(s, len, start - 1, end - start + 1, "", outlen);
    return splice(s, len, start, end - start + (end < e - 1), "", outlen);
}

/* ---- verifying ---------------------------------------------------------------------------- */

/* Verifies b against t at now; every credential must be valid. Returns the count. */
static size_t
expect_valid(const skl_trust *t, const char *b, size_t len, int64_t now)
{
    skl_bundle_result *r = NULL;
    size_t n = 0;
    char why[256] = "";
    skl_err rc = skl_bundle_verify(t, b, len, now, &r, &n, NULL, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "verify: %s (%s; first reason: %s)", skl_strerror(rc), why,
                  r && n ? r[0].reason : "-");
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(r[i].valid, 1);
        ck_assert_str_eq(r[i].reason, "");
        ck_assert_str_eq(r[i].kind, "certification");
        ck_assert_str_eq(r[i].issuer, "重庆市鉴定中心");
        ck_assert_str_eq(r[i].date, "2026-01-01T00:00:00Z");
    }
    free(r);
    return n;
}

/* Verifies b: SKL_ERR_VERIFY, with credential i (-1: every one) invalid for reason. */
static void
expect_invalid(const skl_trust *t, const char *b, size_t len, int64_t now, int i,
               const char *reason)
{
    skl_bundle_result *r = NULL;
    size_t n = 0;
    char why[256] = "";
    skl_err rc = skl_bundle_verify(t, b, len, now, &r, &n, NULL, why, sizeof why);
    ck_assert_msg(rc == SKL_ERR_VERIFY, "expected SKL_ERR_VERIFY (%s), got %s (%s)", reason,
                  skl_strerror(rc), why);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_ge(n, 1);
    for (size_t k = 0; k < n; k++) {
        if (i >= 0 && k != (size_t)i)
            continue;
        ck_assert_msg(r[k].valid == 0, "credential %zu valid, expected \"%s\"", k, reason);
        ck_assert_msg(strstr(r[k].reason, reason) != NULL, "credential %zu: \"%s\" lacks \"%s\"",
                      k, r[k].reason, reason);
    }
    free(r);
}

/* Verifies b: not a bundle at all, rc, and why mentions reason. */
static void
expect_not_bundle(const char *b, size_t len, skl_err want, const char *reason)
{
    skl_bundle_result *r = (skl_bundle_result *)1;
    size_t n = 7;
    char why[256] = "";
    skl_err rc = skl_bundle_verify(trust, b, len, NOW, &r, &n, NULL, why, sizeof why);
    ck_assert_msg(rc == want, "expected %s, got %s (%s)", skl_strerror(want), skl_strerror(rc),
                  why);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(n, 0);
    ck_assert_msg(strstr(why, reason) != NULL, "why \"%s\" lacks \"%s\"", why, reason);
}

/* Verifies b expecting anything but success; with SKL_ERR_VERIFY some result is invalid,
 * otherwise there are no results. */
static void
expect_refused_somehow(const char *b, size_t len, const char *what, size_t at)
{
    skl_bundle_result *r = NULL;
    size_t n = 0;
    char why[256] = "";
    skl_err rc = skl_bundle_verify(trust, b, len, NOW, &r, &n, NULL, why, sizeof why);
    ck_assert_msg(rc != SKL_OK, "%s at %zu: accepted", what, at);
    if (rc == SKL_ERR_VERIFY) {
        size_t bad = 0;
        for (size_t i = 0; i < n; i++)
            bad += r[i].valid == 0 && r[i].reason[0] != '\0';
        ck_assert_msg(bad > 0, "%s at %zu: SKL_ERR_VERIFY with no invalid result", what, at);
    } else {
        ck_assert_msg(rc == SKL_ERR_PARSE || rc == SKL_ERR_SCHEMA || rc == SKL_ERR_LIMIT,
                      "%s at %zu: %s", what, at, skl_strerror(rc));
        ck_assert_ptr_null(r);
        ck_assert_msg(why[0] != '\0', "%s at %zu: no reason", what, at);
    }
    free(r);
}

/* ---- positive controls --------------------------------------------------------------------- */

START_TEST(test_untouched_verifies)
{
    ck_assert_uint_eq(expect_valid(trust, bundle, blen, NOW), 2);
    /* What the employer sees: ids and titles in the results, the identity in the bundle. */
    skl_bundle_result *r = NULL;
    size_t n;
    char why[256];
    skl_bundle_basis basis;
    ck_assert_int_eq(skl_bundle_verify(trust, bundle, blen, NOW, &r, &n, &basis, why, sizeof why),
                     SKL_OK);
    /* What the verdicts rest on: this ledger's witnessed checkpoint, and the disclosed holder. */
    ck_assert_int_eq(basis.checkpoint_ok, 1);
    ck_assert_str_eq(basis.origin, ORIGIN);
    ck_assert_uint_eq(basis.size, cp_size);
    ck_assert_int_eq(basis.dated, T0);
    ck_assert_uint_eq(basis.witnesses, 1);
    ck_assert_int_eq(basis.disclosed, 1);
    ck_assert_str_eq(basis.id_type, "resident-id");
    ck_assert_str_eq(basis.id_number, ID1);
    ck_assert_str_eq(basis.name, "张三丰");
    ck_assert_str_eq(r[0].id, CRED(1));
    ck_assert_str_eq(r[1].id, CRED(2));
    ck_assert_uint_gt(strlen(r[0].title), 0);
    free(r);
    ck_assert_ptr_nonnull(strstr(bundle, "\"idNumber\":\"" ID1 "\""));
    ck_assert_ptr_nonnull(strstr(bundle, "\"name\":\"张三丰\""));
    /* Exactly the checkpoint the ledger keeps, witnessed. */
    size_t cl;
    char *cp = checkpoint_of(bundle, &cl);
    ck_assert_uint_eq(cl, note_len);
    ck_assert_mem_eq(cp, note, cl);
    ck_assert_ptr_nonnull(strstr(cp, "— " WNAME " "));
    free(cp);
    /* Still good just before max-age runs out. */
    ck_assert_uint_eq(expect_valid(trust, bundle, blen, T0 + DAY - 1), 2);
}
END_TEST

/* The same bundle written otherwise (whitespace between tokens, "/" escaped in strings)
 * is the same JSON: it verifies as the canonical one does. The verifier copies the text
 * of containers already canonical and rewrites the rest, so this runs both ways. */
static char *
reformat(const char *b, size_t len, int spaces, int escapes, size_t *outlen)
{
    skl_buf o = SKL_BUF_INIT;
    int in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = b[i];
        if (in_string) {
            if (c == '\\') {
                skl_buf_append(&o, b + i, 2);
                i++;
                continue;
            }
            if (c == '"')
                in_string = 0;
            if (c == '/' && escapes) {
                skl_buf_append(&o, "\\/", 2);
                continue;
            }
            skl_buf_putc(&o, c);
            continue;
        }
        in_string = c == '"';
        skl_buf_putc(&o, c);
        if (spaces && (c == ',' || c == ':' || c == '{' || c == '['))
            skl_buf_append(&o, "\n  ", 3);
    }
    ck_assert(skl_buf_ok(&o));
    return skl_buf_take(&o, outlen);
}

START_TEST(test_reformatted_verifies)
{
    size_t len;
    char *b = reformat(bundle, blen, _i & 1, _i & 2, &len);
    ck_assert_uint_gt(len, blen);
    ck_assert_uint_eq(expect_valid(trust, b, len, NOW), 2);
    /* Still the same content: a flipped digit in a credential's signature is refused. */
    char *z = strstr(b, "\"credentials\":");
    ck_assert_ptr_nonnull(z);
    z = strstr(z, "\"proofValue\":");
    ck_assert_ptr_nonnull(z);
    z = strchr(z + 14, 'z');
    ck_assert_ptr_nonnull(z);
    z[5] = z[5] == 'A' ? 'B' : 'A';
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
}
END_TEST

START_TEST(test_no_disclosure_verifies)
{
    size_t len;
    char *b = export(worker1, 0, &len);
    ck_assert_ptr_null(strstr(b, "\"identity\""));
    ck_assert_ptr_null(strstr(b, "\"salt\""));
    ck_assert_ptr_null(strstr(b, ID1));
    ck_assert_uint_eq(expect_valid(trust, b, len, NOW), 2);
    skl_bundle_basis basis;
    skl_bundle_result *r = NULL;
    size_t n;
    char why[256];
    ck_assert_int_eq(skl_bundle_verify(trust, b, len, NOW, &r, &n, &basis, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(basis.disclosed, 0);
    ck_assert_str_eq(basis.id_number, "");
    ck_assert_str_eq(basis.name, "");
    free(r);
    free(b);
    /* The other worker's own bundle, identity without name. */
    b = export(worker2, SKL_BUNDLE_DISCLOSE_ID, &len);
    ck_assert_ptr_null(strstr(b, "张三丰"));
    ck_assert_ptr_null(strstr(b, "李小龙"));
    ck_assert_uint_eq(expect_valid(trust, b, len, NOW), 1);
    free(b);
}
END_TEST

/* ---- inclusion proofs and indexes ------------------------------------------------------- */

START_TEST(test_proof_hash_altered)
{
    size_t len, at = credential_at(bundle, 0) + strlen("{\"inclusion\":[\"");
    char c[2] = {bundle[at + 5] == 'A' ? 'B' : 'A', 0};
    char *b = splice(bundle, blen, at + 5, 1, c, &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
    /* The same on the accreditation: the credential loses its issuer's accreditation. */
    size_t at2, end;
    accreditation_entry(bundle, wide_id, &at2, &end);
    at2 += strlen("{\"inclusion\":[\"");
    char *b1 = splice(bundle, blen, at2 + 5, 1, bundle[at2 + 5] == 'A' ? "B" : "A", &len);
    /* Only the wide accreditation is broken: L4 is out of the narrow one's scope. */
    expect_invalid(trust, b1, len, NOW, 0, "L4");
    free(b1);
}
END_TEST

START_TEST(test_proof_hash_dropped)
{
    size_t len, at = credential_at(bundle, 0) + strlen("{\"inclusion\":[");
    char *b = splice(bundle, blen, at, 47, "", &len); /* "<44>", */
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
    /* All of them. */
    size_t a, e;
    value_span(bundle, credential_at(bundle, 1), "inclusion", &a, &e);
    b = splice(bundle, blen, a, e - a, "[]", &len);
    expect_invalid(trust, b, len, NOW, 1, "is not included under the checkpoint");
    free(b);
}
END_TEST

START_TEST(test_proof_hash_extra)
{
    size_t len, at = credential_at(bundle, 0) + strlen("{\"inclusion\":[");
    char *b = splice(bundle, blen, at, 0, "\"" ZERO_HASH "\",", &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
    /* Appended at the end instead. */
    size_t a, e;
    value_span(bundle, credential_at(bundle, 0), "inclusion", &a, &e);
    b = splice(bundle, blen, e - 1, 0, ",\"" ZERO_HASH "\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
    /* A proof longer than any tree needs. */
    char big[70 * 47 + 3] = "[";
    for (int i = 0; i < 70; i++)
        strcat(strcat(strcat(big, i ? ",\"" : "\""), ZERO_HASH), "\"");
    strcat(big, "]");
    b = splice(bundle, blen, a, e - a, big, &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
}
END_TEST

START_TEST(test_index_changed)
{
    size_t len, at = credential_at(bundle, 0);
    /* The entry's index: the leaf says otherwise. */
    char *b = replace(bundle, blen, at, "\"index\":2,\"leaf\"", "\"index\":3,\"leaf\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "leaf says index 2, the entry 3");
    free(b);
    /* Both the entry's and the leaf's: the leaf no longer hashes into the tree. */
    char *b1 = replace(bundle, blen, at, "\"index\":2,\"leaf\"", "\"index\":3,\"leaf\"", &len);
    size_t len2;
    b = replace(b1, len, at, "\"index\":2,\"prev\"", "\"index\":3,\"prev\"", &len2);
    expect_invalid(trust, b, len2, NOW, 0, "is not included under the checkpoint");
    free(b);
    free(b1);
    /* Past the end of the tree, and not an integer. */
    b = replace(bundle, blen, at, "\"index\":2,\"leaf\"", "\"index\":99,\"leaf\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "leaf says index 2, the entry 99");
    free(b);
    b = replace(bundle, blen, at, "\"index\":2,\"leaf\"", "\"index\":-2,\"leaf\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "malformed entry");
    free(b);
    b = replace(bundle, blen, at, "\"index\":2,\"leaf\"", "\"index\":2.5,\"leaf\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "malformed entry");
    free(b);
}
END_TEST

/* ---- credentials ------------------------------------------------------------------------- */

START_TEST(test_credentials_swapped)
{
    /* Worker 2's certification (with its real proofs) in worker 1's bundle, worker 1's
     * identity disclosed: its commitment does not open. */
    size_t len2, len, a, e, a2, e2;
    char *other = export(worker2, SKL_BUNDLE_DISCLOSE_ID, &len2);
    value_span(other, 0, "credentials", &a2, &e2);
    value_span(bundle, 0, "credentials", &a, &e);
    char *cred2 = strndup(other + a2 + 1, e2 - a2 - 2); /* the one entry, without [] */
    char *b = splice(bundle, blen, a + 1, credential_at(bundle, 1) - a - 2, cred2, &len);
    expect_invalid(trust, b, len, NOW, 0, "does not open its commitment");
    free(b);
    /* With worker 1's salt in it instead: still not. */
    char *salt1 = value_of(bundle, credential_at(bundle, 0), "salt");
    char *salt2 = value_of(other, 0, "salt");
    char *swapped = replace(other, len2, 0, salt2, salt1, &len);
    value_span(swapped, 0, "credentials", &a2, &e2);
    free(cred2);
    cred2 = strndup(swapped + a2 + 1, e2 - a2 - 2);
    b = splice(bundle, blen, a + 1, credential_at(bundle, 1) - a - 2, cred2, &len);
    expect_invalid(trust, b, len, NOW, 0, "does not open its commitment");
    free(b);
    /* And worker 2's bundle claiming worker 1's identity. */
    size_t ia, ie;
    value_span(other, 0, "identity", &ia, &ie);
    b = splice(other, len2, ia, ie - ia, "{\"idNumber\":\"" ID1 "\",\"idType\":\"resident-id\"}",
               &len);
    expect_invalid(trust, b, len, NOW, 0, "does not open its commitment");
    free(b);
    free(swapped);
    free(salt1);
    free(salt2);
    free(cred2);
    free(other);
}
END_TEST

START_TEST(test_credential_field_changed)
{
    /* The level raised in the leaf. The leaf's bytes change, so its hash is no longer the one
     * the tree holds: the verifier stops at inclusion, before the signature (spec order: "the
     * leaf is a credential leaf included at its index" comes first). */
    size_t len, at = credential_at(bundle, 0);
    char *b = replace(bundle, blen, at, "\"L4\"", "\"L3\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
    /* A leaf that is not its own canonical form, or not a leaf at all. */
    b = replace(bundle, blen, at, "\"type\":\"skl/leaf/v1\"", "\"type\":\"skl/leaf/v2\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "leaf 2:");
    free(b);
    /* The credential's proof value altered. */
    size_t pa = find(bundle, at, "\"proofValue\":\"z") + strlen("\"proofValue\":\"z");
    b = splice(bundle, blen, pa + 3, 1, bundle[pa + 3] == '2' ? "3" : "2", &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
    /* The other credential stays valid in each case. */
    b = replace(bundle, blen, at, "\"L4\"", "\"L3\"", &len);
    skl_bundle_result *r = NULL;
    size_t n;
    char why[256];
    ck_assert_int_eq(skl_bundle_verify(trust, b, len, NOW, &r, &n, NULL, why, sizeof why),
                     SKL_ERR_VERIFY);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(r[0].valid, 0);
    ck_assert_int_eq(r[1].valid, 1);
    free(r);
    free(b);
}
END_TEST

START_TEST(test_snapshot_as_credential)
{
    /* The status snapshot's entry passed off as a credential (with a status member). */
    size_t len, a, e, sa, se;
    value_span(bundle, 0, "snapshot", &sa, &se);
    char *snap = strndup(bundle + sa, se - sa - 1);
    char entry[8192];
    snprintf(entry, sizeof entry, "%s,\"status\":{\"proof\":[],\"value\":\"active\"}}", snap);
    value_span(bundle, 0, "credentials", &a, &e);
    char *b = splice(bundle, blen, a + 1, 0, strcat(entry, ","), &len);
    expect_invalid(trust, b, len, NOW, 0, "is a status snapshot, not a credential");
    free(b);
    free(snap);
}
END_TEST

/* ---- the checkpoint -------------------------------------------------------------------------- */

START_TEST(test_old_checkpoint_past_max_age)
{
    expect_invalid(trust, bundle, blen, T0 + DAY + 1, -1, "older than the policy's maximum age");
    expect_invalid(trust, bundle, blen, T0 + 400 * DAY, -1, "older than the policy's maximum age");
    /* The basis says the checkpoint failed, and still says when it was dated. */
    skl_bundle_basis basis;
    skl_bundle_result *r = NULL;
    size_t n;
    char why[256];
    ck_assert_int_eq(skl_bundle_verify(trust, bundle, blen, T0 + 400 * DAY, &r, &n, &basis, why,
                                       sizeof why),
                     SKL_ERR_VERIFY);
    ck_assert_int_eq(basis.checkpoint_ok, 0);
    ck_assert_int_eq(basis.dated, T0);
    free(r);
    /* A policy without max-age takes it. */
    skl_trust *t = policy(log_vkey, "w1", wvkey, root_pem, root_len, 0);
    ck_assert_uint_eq(expect_valid(t, bundle, blen, T0 + 400 * DAY), 2);
    skl_trust_free(t);
}
END_TEST

/* A checkpoint dated ahead of the verifier's clock: within a day (a misset clock) it is taken;
 * further ahead it is refused, or a log could keep stale evidence "fresh" for longer. */
START_TEST(test_checkpoint_from_the_future)
{
    ck_assert_uint_eq(expect_valid(trust, bundle, blen, T0 - HOUR), 2);
    ck_assert_uint_eq(expect_valid(trust, bundle, blen, T0 - SKL_BUNDLE_MAX_SKEW), 2);
    expect_invalid(trust, bundle, blen, T0 - SKL_BUNDLE_MAX_SKEW - 1, -1,
                   "the checkpoint is dated 2026-01-01T00:00:00Z, in the future");
    expect_invalid(trust, bundle, blen, T0 - 30 * DAY, -1, "in the future");
}
END_TEST

/* Flips one character of the signature line of the note that starts with prefix. */
static char *
flip_sig_line(const char *cp, size_t cl, const char *prefix, int nth, size_t *outlen)
{
    size_t at = 0;
    for (int k = 0; k <= nth; k++)
        at = find(cp, at + (k ? 1 : 0), prefix);
    at += strlen(prefix) + 20;
    return splice(cp, cl, at, 1, cp[at] == 'A' ? "B" : "A", outlen);
}

START_TEST(test_witness_forged)
{
    size_t cl, fl, len;
    char *cp = checkpoint_of(bundle, &cl);
    char *forged = flip_sig_line(cp, cl, "— " WNAME " ", 0, &fl);
    char *b = with_checkpoint(bundle, blen, forged, fl, &len);
    expect_invalid(trust, b, len, NOW, -1, "(0 valid) do not meet the policy's quorum");
    free(b);
    /* The witness's line removed altogether. */
    size_t wa = find(cp, 0, "— " WNAME " ");
    char *gone = splice(cp, cl, wa, find(cp, wa, "\n") + 1 - wa, "", &fl);
    b = with_checkpoint(bundle, blen, gone, fl, &len);
    expect_invalid(trust, b, len, NOW, -1, "(0 valid) do not meet the policy's quorum");
    free(b);
    free(gone);
    free(forged);
    free(cp);
}
END_TEST

START_TEST(test_witness_unknown)
{
    /* Another witness (not in the policy) cosigns the very same checkpoint; its line replaces
     * the policy witness's. */
    char *req = NULL, *resp = NULL, *out = NULL, why[256];
    size_t cl, reqlen, resplen, outlen, len;
    char *cp = checkpoint_of(bundle, &cl);
    size_t wa = find(cp, 0, "— " WNAME " ");
    size_t bare_len;
    char *bare = splice(cp, cl, wa, find(cp, wa, "\n") + 1 - wa, "", &bare_len);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 0, bare, bare_len), SKL_OK);
    ck_assert_msg(skl_witness_cosign(&resp, &resplen, w2state, w2key, log_vkey, req, reqlen,
                                     T0 + 60, why, sizeof why) == SKL_OK,
                  "cosign: %s", why);
    ck_assert_int_eq(skl_witness_add_cosignature(&out, &outlen, bare, bare_len, resp, resplen),
                     SKL_OK);
    char *b = with_checkpoint(bundle, blen, out, outlen, &len);
    expect_invalid(trust, b, len, NOW, -1, "(0 valid) do not meet the policy's quorum");
    /* The unknown witness's line under the known witness's name: its key ID does not match. */
    size_t ra = find(resp, 0, W2NAME);
    size_t forged_len, fl;
    char *renamed = splice(resp, resplen, ra, strlen(W2NAME), WNAME, &forged_len);
    char *forged = NULL;
    ck_assert_int_eq(skl_witness_add_cosignature(&forged, &fl, bare, bare_len, renamed,
                                                 forged_len),
                     SKL_OK);
    char *b2 = with_checkpoint(bundle, blen, forged, fl, &len);
    expect_invalid(trust, b2, len, NOW, -1, "(0 valid) do not meet the policy's quorum");
    /* A policy that trusts the other witness takes the first, not the genuine bundle. */
    skl_trust *t = policy(log_vkey, "w2", w2vkey, root_pem, root_len, DAY);
    ck_assert_uint_eq(expect_valid(t, b, strlen(b), NOW), 2);
    expect_invalid(t, bundle, blen, NOW, -1, "do not meet the policy's quorum");
    skl_trust_free(t);
    free(b2);
    free(forged);
    free(renamed);
    free(b);
    free(out);
    free(resp);
    free(req);
    free(bare);
    free(cp);
}
END_TEST

START_TEST(test_log_signature_broken)
{
    size_t cl, fl, len;
    char *cp = checkpoint_of(bundle, &cl);
    /* The first line by the log's name is its Ed25519 signature; the second its dating
     * cosignature. */
    char *forged = flip_sig_line(cp, cl, "— " ORIGIN " ", 0, &fl);
    char *b = with_checkpoint(bundle, blen, forged, fl, &len);
    expect_invalid(trust, b, len, NOW, -1, "not signed by the log's key");
    free(b);
    free(forged);
    forged = flip_sig_line(cp, cl, "— " ORIGIN " ", 1, &fl);
    b = with_checkpoint(bundle, blen, forged, fl, &len);
    expect_invalid(trust, b, len, NOW, -1, "no valid dating cosignature");
    free(b);
    free(forged);
    /* The checkpoint's text altered (its size): no signature holds. */
    char size_line[32];
    snprintf(size_line, sizeof size_line, "\n%llu\n", (unsigned long long)cp_size);
    forged = replace(cp, cl, 0, size_line, "\n5\n", &fl);
    b = with_checkpoint(bundle, blen, forged, fl, &len);
    expect_invalid(trust, b, len, NOW, -1, "not signed by the log's key");
    free(b);
    free(forged);
    /* Not a checkpoint. */
    b = with_checkpoint(bundle, blen, "hello\n", 6, &len);
    expect_invalid(trust, b, len, NOW, -1, "not a signed tlog-checkpoint");
    free(b);
    free(cp);
}
END_TEST

START_TEST(test_wrong_origin)
{
    /* A policy for another log (its own key, its own origin). */
    skl_key *k = seeded(9, "other.example/log");
    char *vk = NULL;
    ck_assert_int_eq(
        skl_note_vkey_format(&vk, "other.example/log", SKL_NOTE_KEY_ED25519, skl_key_public(k)),
        SKL_OK);
    skl_trust *t = policy(vk, "w1", wvkey, root_pem, root_len, DAY);
    expect_invalid(t, bundle, blen, NOW, -1, "is from log \"" ORIGIN "\", not \"other.example/log\"");
    skl_trust_free(t);
    free(vk);
    /* The right origin with another key. */
    ck_assert_int_eq(skl_note_vkey_format(&vk, ORIGIN, SKL_NOTE_KEY_ED25519, skl_key_public(k)),
                     SKL_OK);
    t = policy(vk, "w1", wvkey, root_pem, root_len, DAY);
    expect_invalid(t, bundle, blen, NOW, -1, "not signed by the log's key");
    skl_trust_free(t);
    free(vk);
    skl_key_free(k);
}
END_TEST

/* ---- the snapshot and statuses ------------------------------------------------------------- */

START_TEST(test_snapshot_replaced)
{
    /* The snapshot entry replaced by a credential entry (the first credential's). */
    size_t len, a, e, sa, se;
    value_span(bundle, 0, "credentials", &a, &e);
    char *cred = strndup(bundle + credential_at(bundle, 0), credential_at(bundle, 1) - 1 -
                                                                credential_at(bundle, 0));
    value_span(bundle, 0, "snapshot", &sa, &se);
    char *b = splice(bundle, blen, sa, se - sa, cred, &len);
    expect_invalid(trust, b, len, NOW, -1, "snapshot: the snapshot has no status of its own");
    free(b);
    /* Without its status member: the leaf is no snapshot. */
    size_t sta, ste;
    value_span(cred, 0, "status", &sta, &ste);
    size_t clen;
    char *nostatus = splice(cred, strlen(cred), sta - strlen(",\"status\":"),
                            ste - sta + strlen(",\"status\":"), "", &clen);
    b = splice(bundle, blen, sa, se - sa, nostatus, &len);
    expect_invalid(trust, b, len, NOW, -1, "snapshot: it is not the status snapshot ending");
    free(b);
    free(nostatus);
    /* The snapshot missing: not a bundle. */
    b = splice(bundle, blen, sa - strlen(",\"snapshot\":"), se - sa + strlen(",\"snapshot\":"), "",
               &len);
    expect_not_bundle(b, len, SKL_ERR_SCHEMA, "a bundle has type, checkpoint, snapshot");
    free(b);
    free(cred);
}
END_TEST

START_TEST(test_status_value_changed)
{
    /* An active credential shown "revoked" or "superseded": the proof is for active. */
    size_t len, at = credential_at(bundle, 0);
    char *b = replace(bundle, blen, at, "\"value\":\"active\"", "\"value\":\"revoked\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "status proof does not verify against the snapshot");
    free(b);
    b = replace(bundle, blen, at, "\"value\":\"active\"", "\"value\":\"valid\"", &len);
    expect_invalid(trust, b, len, NOW, 0, "malformed status");
    free(b);
    /* A status proof hash altered. */
    size_t pa = find(bundle, at, "\"status\":{\"proof\":[\"") + strlen("\"status\":{\"proof\":[\"");
    b = splice(bundle, blen, pa + 7, 1, bundle[pa + 7] == 'A' ? "B" : "A", &len);
    expect_invalid(trust, b, len, NOW, 0, "status proof does not verify against the snapshot");
    free(b);
    /* The status missing. */
    size_t sa, se;
    value_span(bundle, at, "status", &sa, &se);
    b = splice(bundle, blen, sa - strlen(",\"status\":"), se - sa + strlen(",\"status\":"), "",
               &len);
    expect_invalid(trust, b, len, NOW, 0, "malformed status");
    free(b);
}
END_TEST

START_TEST(test_revoked_credential)
{
    /* The ledger revokes CRED(2); a later, witnessed checkpoint shows it. */
    size_t len, rl;
    char *json = NULL, why[256];
    skl_field f[] = {{"kind", "revocation"},
                     {"issuer", skl_key_did(centre)},
                     {"issuerName", "重庆市鉴定中心"},
                     {"target", CRED(2)},
                     {"reason", "issued in error"}};
    ck_assert_int_eq(skl_credential_build(&json, &len, f, 5, why, sizeof why), SKL_OK);
    char *rev = sign(centre, json, len, &rl);
    append_ok(rev, rl);
    free(json);
    skl_ledger_set_time(l, T0 + 120);
    witnessed_checkpoint(cp_size); /* snapshot at index 7, size 8 */
    ck_assert_uint_eq(cp_size, 8);
    size_t nlen;
    char *now_b = export(worker1, SKL_BUNDLE_DISCLOSE_ID, &nlen);
    expect_invalid(trust, now_b, nlen, NOW, 1, "revoked as of the checkpoint");
    /* The revoked status turned active: its proof is for revoked. */
    size_t at = credential_at(now_b, 1);
    char *b = replace(now_b, nlen, at, "\"value\":\"revoked\"", "\"value\":\"active\"", &len);
    expect_invalid(trust, b, len, NOW, 1, "status proof does not verify against the snapshot");
    free(b);
    /* The status (value and proof) of the old bundle, from before the revocation, spliced
     * into the new one: it does not prove against the new snapshot. */
    size_t oa, oe, na, ne;
    value_span(bundle, credential_at(bundle, 1), "status", &oa, &oe);
    value_span(now_b, at, "status", &na, &ne);
    char *old_status = strndup(bundle + oa, oe - oa);
    ck_assert_ptr_nonnull(strstr(old_status, "\"active\""));
    b = splice(now_b, nlen, na, ne - na, old_status, &len);
    expect_invalid(trust, b, len, NOW, 1, "status proof does not verify against the snapshot");
    free(b);
    /* The worker keeps showing the old bundle, checkpoint and all: it verifies while the
     * policy's max-age allows, and not after. This is what max-age is for. */
    ck_assert_uint_eq(expect_valid(trust, bundle, blen, NOW), 2);
    expect_invalid(trust, bundle, blen, T0 + 2 * DAY, -1, "older than the policy's maximum age");
    /* The old checkpoint with the new entries: the proofs do not fit the old tree. */
    size_t ol, bl;
    char *old_cp = checkpoint_of(bundle, &ol);
    b = with_checkpoint(now_b, nlen, old_cp, ol, &bl);
    expect_invalid(trust, b, bl, NOW, -1, "snapshot: ");
    free(b);
    free(old_cp);
    free(old_status);
    free(now_b);
}
END_TEST

/* ---- accreditations -------------------------------------------------------------------------- */

START_TEST(test_accreditation_missing)
{
    /* Both accreditations removed: no issuer. */
    size_t len, a, e;
    value_span(bundle, 0, "accreditations", &a, &e);
    char *b = splice(bundle, blen, a, e - a, "[]", &len);
    expect_invalid(trust, b, len, NOW, -1, "the bundle shows no accreditation of its issuer");
    free(b);
}
END_TEST

START_TEST(test_out_of_scope)
{
    /* The wide accreditation removed: the narrow one (L5 only) does not cover the L4
     * credential, and still covers the L5 one. */
    size_t len;
    char *b = without_accreditation(bundle, blen, wide_id, &len);
    skl_bundle_result *r = NULL;
    size_t n;
    char why[256];
    ck_assert_int_eq(skl_bundle_verify(trust, b, len, NOW, &r, &n, NULL, why, sizeof why),
                     SKL_ERR_VERIFY);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(r[0].valid, 0);
    ck_assert_msg(strstr(r[0].reason, "L4") != NULL, "%s", r[0].reason);
    ck_assert_int_eq(r[1].valid, 1);
    free(r);
    free(b);
}
END_TEST

/* base64 DER of a PEM certificate (its body without line breaks). */
static char *
pem_body(const char *pem)
{
    const char *p = strstr(pem, "-----\n") + 6, *end = strstr(p, "-----END");
    char *out = malloc((size_t)(end - p) + 1);
    size_t n = 0;
    ck_assert_ptr_nonnull(out);
    for (; p < end; p++)
        if (*p != '\n' && *p != '\r')
            out[n++] = *p;
    out[n] = '\0';
    return out;
}

START_TEST(test_issuer_certificate_substituted)
{
    /* The accreditations' certificates replaced by one for the same key and scope issued by
     * a pretender root: the accreditation leaf no longer hashes into the tree, so it is
     * discarded, and the credentials have no accreditation. */
    char *opem = NULL, *pem = NULL, why[256];
    size_t olen, plen, len, len2;
    skl_cert *other = NULL;
    ck_assert_int_eq(skl_cert_make_root(&opem, &olen, other_root, "北碚区人力社保局",
                                        T0 - 365 * DAY, T0 + 3650 * DAY, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_cert_parse(&other, opem, olen, why, sizeof why), SKL_OK);
    ck_assert_int_eq(skl_cert_issue(&pem, &plen, other_root, other, skl_key_public(centre),
                                    "重庆市鉴定中心", T0 - DAY, T0 + 365 * DAY, WIDE_SCOPE,
                                    strlen(WIDE_SCOPE), why, sizeof why),
                     SKL_OK);
    char *der = pem_body(pem);
    size_t a, e, a2, e2;
    value_span(bundle, 0, "certificate", &a, &e);
    char q[4096];
    snprintf(q, sizeof q, "\"%s\"", der);
    char *b1 = splice(bundle, blen, a, e - a, q, &len);
    value_span(b1, a + strlen(q), "certificate", &a2, &e2);
    char *b = splice(b1, len, a2, e2 - a2, q, &len2);
    expect_invalid(trust, b, len2, NOW, -1, "the bundle shows no accreditation of its issuer");
    /* A policy whose authority is the pretender: the genuine accreditations are not its. */
    skl_trust *t = policy(log_vkey, "w1", wvkey, opem, olen, DAY);
    expect_invalid(t, bundle, blen, NOW, -1, "the bundle shows no accreditation of its issuer");
    skl_trust_free(t);
    free(b);
    free(b1);
    free(der);
    free(pem);
    free(opem);
    skl_cert_free(other);
}
END_TEST

START_TEST(test_accreditation_revoked_retroactively)
{
    /* The authority revokes the wide accreditation effective before the credentials were
     * integrated: the L4 credential loses its issuer (the narrow one still carries L5). */
    size_t len, rl;
    char *json = NULL, why[256];
    skl_field f[] = {{"kind", "revocation"},      {"issuer", skl_key_did(authority)},
                     {"issuerName", "x"},         {"target", wide_id},
                     {"reason", "fraud"},         {"effective", "2025-12-31T00:00:00Z"}};
    ck_assert_int_eq(skl_credential_build(&json, &len, f, 6, why, sizeof why), SKL_OK);
    char *rev = sign(authority, json, len, &rl);
    append_ok(rev, rl);
    free(json);
    witnessed_checkpoint(cp_size);
    size_t nlen;
    char *b = export(worker1, SKL_BUNDLE_DISCLOSE_ID, &nlen);
    ck_assert_ptr_nonnull(strstr(b, wide_id));
    skl_bundle_result *r = NULL;
    size_t n;
    ck_assert_int_eq(skl_bundle_verify(trust, b, nlen, NOW, &r, &n, NULL, why, sizeof why),
                     SKL_ERR_VERIFY);
    ck_assert_int_eq(r[0].valid, 0);
    ck_assert_int_eq(r[1].valid, 1);
    free(r);
    /* The reason names the last accreditation tried, which depends on the (unordered) order
     * of the export: without the narrow one it is the revocation. */
    size_t wl;
    char *w = without_accreditation(b, nlen, narrow_id, &wl);
    expect_invalid(trust, w, wl, NOW, 0, "its issuer's accreditation was revoked before");
    free(w);
    free(b);
}
END_TEST

/* A worker who drops the revocation of their issuer's accreditation from the bundle cannot
 * hide it: the accreditation's own status, proven against the snapshot, says revoked. (This
 * test found the verifier ignoring accreditations' statuses.) */
START_TEST(test_accreditation_revocation_hidden)
{
    size_t len, rl;
    char *json = NULL, why[256];
    skl_field f[] = {{"kind", "revocation"},      {"issuer", skl_key_did(authority)},
                     {"issuerName", "x"},         {"target", wide_id},
                     {"reason", "fraud"},         {"effective", "2025-12-31T00:00:00Z"}};
    ck_assert_int_eq(skl_credential_build(&json, &len, f, 6, why, sizeof why), SKL_OK);
    char *rev = sign(authority, json, len, &rl);
    append_ok(rev, rl);
    free(json);
    witnessed_checkpoint(cp_size);
    size_t nlen, a, e;
    char *b = export(worker1, SKL_BUNDLE_DISCLOSE_ID, &nlen);
    /* The revocation of the wide accreditation dropped from the bundle. */
    size_t start, end;
    entry_with(b, "target", wide_id, &start, &end);
    value_span(b, 0, "accreditations", &a, &e);
    char *hidden = start > a + 1 ? splice(b, nlen, start - 1, end - start + 1, "", &len)
                                 : splice(b, nlen, start, end - start + 1, "", &len);
    /* (and the narrow one, so that the reason is the wide one's whatever the order) */
    size_t hl;
    char *h2 = without_accreditation(hidden, len, narrow_id, &hl);
    expect_invalid(trust, h2, hl, NOW, 0, "revoked");
    free(h2);
    free(hidden);
    free(b);
}
END_TEST

/* ---- disclosure -------------------------------------------------------------------------- */

START_TEST(test_disclosure_does_not_open)
{
    size_t len, at = find(bundle, 0, "\"identity\":");
    /* Another (valid) id number. */
    char *b = replace(bundle, blen, at, ID1, ID2, &len);
    expect_invalid(trust, b, len, NOW, -1, "does not open its commitment");
    free(b);
    /* Another id type. */
    b = replace(bundle, blen, at, "\"resident-id\"", "\"passport\"", &len);
    expect_invalid(trust, b, len, NOW, -1, "does not open its commitment");
    free(b);
    /* A salt altered, and a salt removed. */
    size_t c0 = credential_at(bundle, 0);
    size_t sa, se;
    value_span(bundle, c0, "salt", &sa, &se);
    b = splice(bundle, blen, sa + 1, 1, bundle[sa + 1] == '0' ? "1" : "0", &len);
    expect_invalid(trust, b, len, NOW, 0, "does not open its commitment");
    free(b);
    b = splice(bundle, blen, sa - strlen(",\"salt\":"), se - sa + strlen(",\"salt\":"), "", &len);
    expect_invalid(trust, b, len, NOW, 0, "does not open its commitment");
    free(b);
    /* The other credential's salt. */
    char *s1 = value_of(bundle, credential_at(bundle, 1), "salt");
    b = splice(bundle, blen, sa, se - sa, s1, &len);
    expect_invalid(trust, b, len, NOW, 0, "does not open its commitment");
    free(b);
    free(s1);
    /* The name is not part of the commitment: changing it changes nothing. */
    b = replace(bundle, blen, at, "张三丰", "李小龙", &len);
    ck_assert_uint_eq(expect_valid(trust, b, len, NOW), 2);
    free(b);
}
END_TEST

/* ---- not bundles --------------------------------------------------------------------------- */

START_TEST(test_top_level)
{
    size_t len;
    char *b = splice(bundle, blen, blen - 1, 0, ",\"zzz\":1", &len);
    expect_not_bundle(b, len, SKL_ERR_SCHEMA, "nothing else");
    free(b);
    b = splice(bundle, blen, 1, 0, "\"aaa\":[],", &len);
    expect_not_bundle(b, len, SKL_ERR_SCHEMA, "nothing else");
    free(b);
    b = replace(bundle, blen, 0, "\"skl/bundle/v1\"", "\"skl/bundle/v2\"", &len);
    expect_not_bundle(b, len, SKL_ERR_SCHEMA, "not an skl bundle");
    free(b);
    b = replace(bundle, blen, 0, "\"identity\":{", "\"identity\":{\"extra\":\"x\",", &len);
    expect_not_bundle(b, len, SKL_ERR_SCHEMA, "identity is {idType, idNumber[, name]}");
    free(b);
    size_t a, e;
    value_span(bundle, 0, "credentials", &a, &e);
    b = splice(bundle, blen, a, e - a, "[]", &len);
    expect_not_bundle(b, len, SKL_ERR_LIMIT, "1 to 1000 credentials");
    free(b);
    b = splice(bundle, blen, a, e - a, "{}", &len);
    expect_not_bundle(b, len, SKL_ERR_SCHEMA, "a bundle has type");
    free(b);
    expect_not_bundle("[1,2]", 5, SKL_ERR_SCHEMA, "not an skl bundle");
    expect_not_bundle("", 0, SKL_ERR_PARSE, "not a bundle");
    /* A duplicate member is not JSON the parser takes. */
    b = splice(bundle, blen, blen - 1, 0, ",\"type\":\"skl/bundle/v1\"", &len);
    expect_not_bundle(b, len, SKL_ERR_PARSE, "not a bundle");
    free(b);
}
END_TEST

/* {"accreditations":A,"checkpoint":"x","credentials":C,"snapshot":{},"type":...} with count
 * copies of item in the array named which. */
static char *
shell(const char *which, const char *item, size_t count, size_t *len)
{
    size_t il = strlen(item), cap = count * (il + 1) + 256;
    char *s = malloc(cap), *p = s;
    ck_assert_ptr_nonnull(s);
    int acc = strcmp(which, "accreditations") == 0;
    p += sprintf(p, "{\"accreditations\":[");
    for (size_t i = 0; acc && i < count; i++)
        p += sprintf(p, "%s%s", i ? "," : "", item);
    p += sprintf(p, "],\"checkpoint\":\"x\",\"credentials\":[");
    for (size_t i = 0; i < (acc ? 1 : count); i++)
        p += sprintf(p, "%s%s", i ? "," : "", item);
    p += sprintf(p, "],\"snapshot\":{},\"type\":\"skl/bundle/v1\"}");
    *len = (size_t)(p - s);
    return s;
}

START_TEST(test_enormous_arrays)
{
    size_t len;
    char *s = shell("credentials", "{}", SKL_BUNDLE_MAX_CREDENTIALS + 1, &len);
    expect_not_bundle(s, len, SKL_ERR_LIMIT, "1 to 1000 credentials");
    free(s);
    s = shell("accreditations", "{}", SKL_BUNDLE_MAX_CREDENTIALS + 1, &len);
    expect_not_bundle(s, len, SKL_ERR_LIMIT, "at most 1000 accreditations");
    free(s);
    /* 1000 real credentials (the same entry): the limit itself is fine; the result set is
     * the bundle's verdicts, every one valid. */
    size_t a, e;
    value_span(bundle, 0, "credentials", &a, &e);
    char *one = strndup(bundle + credential_at(bundle, 0),
                        credential_at(bundle, 1) - 1 - credential_at(bundle, 0));
    size_t ol = strlen(one), cap = SKL_BUNDLE_MAX_CREDENTIALS * (ol + 1) + 2;
    char *arr = malloc(cap), *p = arr;
    ck_assert_ptr_nonnull(arr);
    *p++ = '[';
    for (int i = 0; i < SKL_BUNDLE_MAX_CREDENTIALS; i++) {
        if (i)
            *p++ = ',';
        memcpy(p, one, ol);
        p += ol;
    }
    *p++ = ']';
    *p = '\0';
    char *b = splice(bundle, blen, a, e - a, arr, &len);
    ck_assert_uint_eq(expect_valid(trust, b, len, NOW), SKL_BUNDLE_MAX_CREDENTIALS);
    free(b);
    free(arr);
    free(one);
    /* Proofs of 65 hashes (more than any tree of 2^64 leaves needs): refused as malformed,
     * without overflowing the verifier's proof buffers. */
    char big[65 * 47 + 3] = "[";
    for (int i = 0; i < 65; i++)
        strcat(strcat(strcat(big, i ? ",\"" : "\""), ZERO_HASH), "\"");
    strcat(big, "]");
    value_span(bundle, find(bundle, credential_at(bundle, 0), "\"status\":{"), "proof", &a, &e);
    b = splice(bundle, blen, a, e - a, big, &len);
    expect_invalid(trust, b, len, NOW, 0, "malformed status");
    free(b);
    value_span(bundle, credential_at(bundle, 0), "inclusion", &a, &e);
    b = splice(bundle, blen, a, e - a, big, &len);
    expect_invalid(trust, b, len, NOW, 0, "is not included under the checkpoint");
    free(b);
}
END_TEST

START_TEST(test_deep_nesting)
{
    char deep[256], *p = deep;
    for (int i = 0; i < 70; i++)
        *p++ = '[';
    for (int i = 0; i < 70; i++)
        *p++ = ']';
    *p = '\0';
    size_t len, a, e;
    value_span(bundle, 0, "credentials", &a, &e);
    char *b = splice(bundle, blen, e - 1, 0, ",", &len);
    char *b2 = splice(b, len, e, 0, deep, &len);
    expect_not_bundle(b2, len, SKL_ERR_LIMIT, "nesting deeper than");
    free(b2);
    free(b);
    /* In the identity, as objects. */
    char obj[1024] = "";
    for (int i = 0; i < 70; i++)
        strcat(obj, "{\"a\":");
    strcat(obj, "1");
    for (int i = 0; i < 70; i++)
        strcat(obj, "}");
    char ins[1100];
    snprintf(ins, sizeof ins, "\"identity\":{\"deep\":%s,", obj);
    b = replace(bundle, blen, 0, "\"identity\":{", ins, &len);
    expect_not_bundle(b, len, SKL_ERR_LIMIT, "nesting deeper than");
    free(b);
}
END_TEST

START_TEST(test_too_large)
{
    /* Over SKL_BUNDLE_MAX: refused by size before parsing. */
    size_t len = SKL_BUNDLE_MAX + 1;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    memset(s, ' ', len);
    memcpy(s, bundle, blen);
    expect_not_bundle(s, len, SKL_ERR_LIMIT, "exceeds the limit");
    /* Exactly at the limit (the bundle padded with white space) is still read. */
    ck_assert_uint_eq(expect_valid(trust, s, SKL_BUNDLE_MAX, NOW), 2);
    free(s);
}
END_TEST

/* The bundle without the narrow accreditation (which the credentials do not need: the wide
 * one covers both), so that every byte left matters. */
static char *
without_narrow(size_t *len)
{
    char *b = without_accreditation(bundle, blen, narrow_id, len);
    ck_assert_uint_eq(expect_valid(trust, b, *len, NOW), 2);
    return b;
}

START_TEST(test_bit_flips)
{
    /* One byte changed at many positions: never accepted. A flip of a character that only
     * changes the disclosed name (not in any commitment) is the one exception, skipped. */
    size_t na, ne, len;
    char *base = without_narrow(&len);
    value_span(base, find(base, 0, "\"identity\":"), "name", &na, &ne);
    size_t sa = 0, se = 0; /* no span skipped: accreditations' status proofs count too */
    char *b = malloc(len + 1);
    ck_assert_ptr_nonnull(b);
    size_t step = len / 1500 + 1, tried = 0;
    for (size_t at = 0; at < len; at += step) {
        if ((at >= na && at < ne) || (at > sa && at + 1 < se))
            continue;
        memcpy(b, base, len + 1);
        b[at] ^= 0x01;
        expect_refused_somehow(b, len, "flip 0x01", at);
        b[at] = (char)(base[at] ^ 0x40);
        expect_refused_somehow(b, len, "flip 0x40", at);
        tried++;
    }
    ck_assert_uint_gt(tried, 1000);
    free(b);
    free(base);
}
END_TEST

START_TEST(test_truncation)
{
    size_t step = blen / 1000 + 1, tried = 0;
    for (size_t n = 0; n < blen; n += step, tried++)
        expect_refused_somehow(bundle, n, "truncated", n);
    for (size_t n = blen - 64; n < blen; n++)
        expect_refused_somehow(bundle, n, "truncated", n);
    ck_assert_uint_gt(tried, 900);
}
END_TEST

Suite *
bundle_suite(void)
{
    Suite *s = suite_create("bundle");
    TCase *tc = tcase_create("bundle");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_untouched_verifies);
    tcase_add_loop_test(tc, test_reformatted_verifies, 1, 4);
    tcase_add_test(tc, test_no_disclosure_verifies);
    tcase_add_test(tc, test_proof_hash_altered);
    tcase_add_test(tc, test_proof_hash_dropped);
    tcase_add_test(tc, test_proof_hash_extra);
    tcase_add_test(tc, test_index_changed);
    tcase_add_test(tc, test_credentials_swapped);
    tcase_add_test(tc, test_credential_field_changed);
    tcase_add_test(tc, test_snapshot_as_credential);
    tcase_add_test(tc, test_old_checkpoint_past_max_age);
    tcase_add_test(tc, test_checkpoint_from_the_future);
    tcase_add_test(tc, test_witness_forged);
    tcase_add_test(tc, test_witness_unknown);
    tcase_add_test(tc, test_log_signature_broken);
    tcase_add_test(tc, test_wrong_origin);
    tcase_add_test(tc, test_snapshot_replaced);
    tcase_add_test(tc, test_status_value_changed);
    tcase_add_test(tc, test_revoked_credential);
    tcase_add_test(tc, test_accreditation_missing);
    tcase_add_test(tc, test_out_of_scope);
    tcase_add_test(tc, test_issuer_certificate_substituted);
    tcase_add_test(tc, test_accreditation_revoked_retroactively);
    tcase_add_test(tc, test_accreditation_revocation_hidden);
    tcase_add_test(tc, test_disclosure_does_not_open);
    tcase_add_test(tc, test_top_level);
    tcase_add_test(tc, test_enormous_arrays);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_too_large);
    tcase_add_test(tc, test_bit_flips);
    tcase_add_test(tc, test_truncation);
    suite_add_tcase(s, tc);
    return s;
}
