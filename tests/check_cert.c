/* check_cert.c - the authority's X.509 certificates (spec/certificates.md). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#include "skl/cert.h"
#include "skl/key.h"
#include "testutil.h"

#define T2026 INT64_C(1767225600) /* 2026-01-01T00:00:00Z */
#define T2027 INT64_C(1798761600)
#define T2030 INT64_C(1893456000)
#define T2036 INT64_C(2082758400)
#define T2050 INT64_C(2524608000)

static const char root_name[] = "北碚区人力资源和社会保障局";
static const char issuer_name[] = "重庆市北碚区职业技能鉴定中心";
/* Deliberately not canonical: unsorted keys and white space. */
static const char scope_in[] =
    "{ \"levels\": {\"scale\": \"skill\", \"min\": \"L5\", \"max\": \"L3\"},\n"
    "  \"kinds\": [\"certification\"] }";
static const char scope_canon[] = "{\"kinds\":[\"certification\"],\"levels\":{\"max\":\"L3\","
                                  "\"min\":\"L5\",\"scale\":\"skill\"}}";

/* ---------------------------------------------------------------- fixtures */

static skl_key *
key_seeded(uint8_t fill, const char *name)
{
    uint8_t seed[32];
    skl_key *k = NULL;

    memset(seed, fill, sizeof seed);
    ck_assert_int_eq(skl_key_from_seed(&k, seed, name), SKL_OK);
    return k;
}

static EVP_PKEY *
pkey_seeded(uint8_t fill)
{
    uint8_t seed[32];

    memset(seed, fill, sizeof seed);
    EVP_PKEY *p = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    ck_assert_ptr_nonnull(p);
    return p;
}

static skl_cert *
parse_ok(const void *p, size_t n)
{
    skl_cert *c = NULL;
    char why[256];
    skl_err e = skl_cert_parse(&c, p, n, why, sizeof why);

    ck_assert_msg(e == SKL_OK, "parse: %d %s", e, why);
    return c;
}

static void
parse_fails(const void *p, size_t n, skl_err want)
{
    skl_cert *c = (skl_cert *)1;
    char why[256] = "";
    skl_err e = skl_cert_parse(&c, p, n, why, sizeof why);

    ck_assert_msg(e == want, "parse gave %d (%s), wanted %d", e, why, want);
    ck_assert_ptr_null(c);
    ck_assert_msg(why[0] != '\0', "no reason given");
}

/* The root certificate of key 0x11 named root_name, 2026..2036. */
static skl_cert *
make_root(const skl_key *k, const char *name)
{
    char *pem = NULL;
    size_t n = 0;
    char why[256];

    ck_assert_int_eq(skl_cert_make_root(&pem, &n, k, name, T2026, T2036, why, sizeof why), SKL_OK);
    ck_assert_uint_eq(strlen(pem), n);
    skl_cert *c = parse_ok(pem, n);
    free(pem);
    return c;
}

static char *
issue(const skl_key *auth, const skl_cert *root, const skl_key *subject, size_t *n)
{
    char *pem = NULL;
    char why[256];
    skl_err e = skl_cert_issue(&pem, n, auth, root, skl_key_public(subject), issuer_name, T2027,
                               T2030, scope_in, strlen(scope_in), why, sizeof why);

    ck_assert_msg(e == SKL_OK, "issue: %d %s", e, why);
    return pem;
}

static int
verify_issued_says(const skl_cert *c, const skl_cert *root, const char *needle)
{
    char why[256] = "";
    skl_err e = skl_cert_verify_issued(c, root, why, sizeof why);

    ck_assert_msg(e == SKL_ERR_VERIFY, "verify gave %d (%s)", e, why);
    ck_assert_msg(strstr(why, needle) != NULL, "why \"%s\" lacks \"%s\"", why, needle);
    return 1;
}

/* ---- hand-made certificates that break one rule each ---- */

typedef struct forge_opts {
    int ca;                /* basicConstraints cA TRUE */
    const char *scope;     /* scope UTF8String content, or NULL for none */
    int scope_noncritical; /* mark the scope extension non-critical */
    int scope_octets;      /* put the scope in an OCTET STRING instead of a UTF8String */
    int unknown_critical;  /* add a critical extension skl does not know */
    uint8_t signer;        /* seed fill of the signing key */
} forge_opts;

static X509 *
x509_of(const skl_cert *c)
{
    size_t n;
    const unsigned char *p = skl_cert_der(c, &n);
    X509 *x = d2i_X509(NULL, &p, (long)n);
    ck_assert_ptr_nonnull(x);
    return x;
}

static void
add_ext(X509 *x, const char *oid, int crit, const unsigned char *der, int n)
{
    ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
    ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
    ck_assert_int_eq(ASN1_OCTET_STRING_set(v, der, n), 1);
    X509_EXTENSION *e = X509_EXTENSION_create_by_OBJ(NULL, o, crit, v);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(X509_add_ext(x, e, -1), 1);
    X509_EXTENSION_free(e);
    ASN1_OCTET_STRING_free(v);
    ASN1_OBJECT_free(o);
}

/* An issuer-like certificate under root, with the deviations in o; DER, caller frees. */
static uint8_t *
forge(const skl_cert *root, const forge_opts *o, size_t *len)
{
    X509 *r = x509_of(root), *x = X509_new();
    EVP_PKEY *subj = pkey_seeded(0x33), *signer = pkey_seeded(o->signer ? o->signer : 0x11);
    const unsigned char *nm = (const unsigned char *)"伪造者";
    unsigned char *der = NULL;

    ck_assert_int_eq(X509_set_version(x, X509_VERSION_3), 1);
    ck_assert_int_eq(ASN1_INTEGER_set(X509_get_serialNumber(x), 4242), 1);
    ck_assert_int_eq(X509_NAME_add_entry_by_NID(X509_get_subject_name(x), NID_organizationName,
                                                V_ASN1_UTF8STRING, nm, -1, -1, 0),
                     1);
    ck_assert_int_eq(X509_set_issuer_name(x, X509_get_subject_name(r)), 1);
    ck_assert_ptr_nonnull(X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &(time_t){T2027}));
    ck_assert_ptr_nonnull(X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &(time_t){T2030}));
    ck_assert_int_eq(X509_set_pubkey(x, subj), 1);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, r, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
                                            o->ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    ck_assert_ptr_nonnull(e);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    e = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, "critical,digitalSignature");
    ck_assert_ptr_nonnull(e);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    if (o->scope != NULL) {
        ASN1_STRING *s =
            ASN1_STRING_type_new(o->scope_octets ? V_ASN1_OCTET_STRING : V_ASN1_UTF8STRING);
        ck_assert_int_eq(ASN1_STRING_set(s, o->scope, -1), 1);
        unsigned char *sd = NULL;
        int sn = o->scope_octets ? i2d_ASN1_OCTET_STRING(s, &sd) : i2d_ASN1_UTF8STRING(s, &sd);
        ck_assert_int_gt(sn, 0);
        add_ext(x, SKL_CERT_SCOPE_OID, !o->scope_noncritical, sd, sn);
        OPENSSL_free(sd);
        ASN1_STRING_free(s);
    }
    if (o->unknown_critical)
        add_ext(x, "1.3.6.1.4.1.99999.1", 1, (const unsigned char *)"\x05\x00", 2);
    ck_assert_int_gt(X509_sign(x, signer, NULL), 0);
    int n = i2d_X509(x, &der);
    ck_assert_int_gt(n, 0);
    uint8_t *out = malloc((size_t)n);
    memcpy(out, der, (size_t)n);
    *len = (size_t)n;
    OPENSSL_free(der);
    EVP_PKEY_free(subj);
    EVP_PKEY_free(signer);
    X509_free(x);
    X509_free(r);
    return out;
}

static char *
write_tmp(const char *dir, const char *name, const void *p, size_t n)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    fclose(f);
    return path;
}

static int
have_openssl(void)
{
    return system("command -v openssl >/dev/null 2>&1") == 0;
}

/* ---------------------------------------------------------------- tests */

START_TEST(test_root_made_and_verified)
{
    skl_key *k = key_seeded(0x11, "authority");
    skl_cert *root = make_root(k, root_name);
    char why[256];

    ck_assert_int_eq(skl_cert_verify_root(root, why, sizeof why), SKL_OK);
    ck_assert_str_eq(skl_cert_name(root), root_name);
    ck_assert_ptr_null(skl_cert_scope(root));
    ck_assert_mem_eq(skl_cert_public_key(root), skl_key_public(k), 32);
    ck_assert_int_eq(skl_cert_not_before(root), T2026);
    ck_assert_int_eq(skl_cert_not_after(root), T2036);
    ck_assert_uint_eq(strlen(skl_cert_serial(root)), 32);
    ck_assert_uint_eq(strspn(skl_cert_serial(root), "0123456789abcdef"), 32);

    /* PEM out, parse again: the same DER. */
    char *pem = NULL;
    size_t pn = 0, n1, n2;
    ck_assert_int_eq(skl_cert_pem(root, &pem, &pn), SKL_OK);
    ck_assert_uint_eq(strlen(pem), pn);
    ck_assert_ptr_nonnull(strstr(pem, "-----BEGIN CERTIFICATE-----\n"));
    skl_cert *again = parse_ok(pem, pn);
    const uint8_t *d1 = skl_cert_der(root, &n1), *d2 = skl_cert_der(again, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_mem_eq(d1, d2, n1);

    /* The X.509 fields, as OpenSSL reads them. */
    X509 *x = x509_of(root);
    ck_assert_int_eq(X509_get_version(x), X509_VERSION_3);
    ck_assert_int_eq(X509_check_ca(x), 1);
    ck_assert(X509_get_extension_flags(x) & EXFLAG_SS);
    ck_assert_uint_eq(X509_get_key_usage(x), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
    ck_assert_int_eq(X509_get_pathlen(x), 0);
    ck_assert_ptr_nonnull(X509_get0_subject_key_id(x));
    ck_assert_int_eq(X509_get_signature_nid(x), NID_ED25519);
    const X509_NAME_ENTRY *ne = X509_NAME_get_entry(X509_get_subject_name(x), 0);
    ck_assert_int_eq(OBJ_obj2nid(X509_NAME_ENTRY_get_object(ne)), NID_organizationName);
    ck_assert_int_eq(ASN1_STRING_type(X509_NAME_ENTRY_get_data(ne)), V_ASN1_UTF8STRING);
    X509_free(x);

    /* Two roots of the same key still get different serial numbers. */
    skl_cert *other = make_root(k, root_name);
    ck_assert_str_ne(skl_cert_serial(root), skl_cert_serial(other));

    skl_cert_free(other);
    skl_cert_free(again);
    free(pem);
    skl_cert_free(root);
    skl_key_free(k);
}
END_TEST

START_TEST(test_issue_round_trip)
{
    skl_key *auth = key_seeded(0x11, "authority"), *sub = key_seeded(0x22, "issuer");
    skl_cert *root = make_root(auth, root_name);
    size_t n;
    char *pem = issue(auth, root, sub, &n);
    char why[256];

    skl_cert *c = parse_ok(pem, n);
    ck_assert_int_eq(skl_cert_verify_issued(c, root, why, sizeof why), SKL_OK);
    ck_assert_str_eq(skl_cert_name(c), issuer_name);
    ck_assert_str_eq(skl_cert_scope(c), scope_canon);
    ck_assert_mem_eq(skl_cert_public_key(c), skl_key_public(sub), 32);
    ck_assert_int_eq(skl_cert_not_before(c), T2027);
    ck_assert_int_eq(skl_cert_not_after(c), T2030);
    ck_assert_uint_eq(strlen(skl_cert_serial(c)), 32);

    /* The same certificate as DER. */
    size_t dn;
    const uint8_t *der = skl_cert_der(c, &dn);
    skl_cert *d = parse_ok(der, dn);
    ck_assert_int_eq(skl_cert_verify_issued(d, root, why, sizeof why), SKL_OK);
    ck_assert_str_eq(skl_cert_scope(d), scope_canon);
    ck_assert_str_eq(skl_cert_serial(d), skl_cert_serial(c));

    /* An issuer certificate is not a root, and a root is not an issuer certificate. */
    ck_assert_int_eq(skl_cert_verify_root(c, why, sizeof why), SKL_ERR_VERIFY);
    ck_assert_int_eq(skl_cert_verify_issued(root, root, why, sizeof why), SKL_ERR_VERIFY);

    /* The extension as spec/certificates.md writes it: critical, DER UTF8String. */
    X509 *x = x509_of(c);
    ASN1_OBJECT *oid = OBJ_txt2obj(SKL_CERT_SCOPE_OID, 1);
    int at = X509_get_ext_by_OBJ(x, oid, -1);
    ck_assert_int_ge(at, 0);
    X509_EXTENSION *e = X509_get_ext(x, at);
    ck_assert_int_eq(X509_EXTENSION_get_critical(e), 1);
    const ASN1_OCTET_STRING *v = X509_EXTENSION_get_data(e);
    const unsigned char *vp = ASN1_STRING_get0_data(v);
    size_t sl = strlen(scope_canon);
    ck_assert_uint_eq((size_t)ASN1_STRING_length(v), sl + 2); /* short length form */
    ck_assert_uint_eq(vp[0], 0x0C);
    ck_assert_uint_eq(vp[1], sl);
    ck_assert_mem_eq(vp + 2, scope_canon, sl);
    ck_assert_int_eq(X509_check_ca(x), 0);
    ck_assert_uint_eq(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
    X509 *rx = x509_of(root);
    ck_assert_int_eq(
        ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(x), X509_get0_subject_key_id(rx)), 0);
    X509_free(rx);
    ASN1_OBJECT_free(oid);
    X509_free(x);

    skl_cert_free(d);
    skl_cert_free(c);
    free(pem);
    skl_cert_free(root);
    skl_key_free(sub);
    skl_key_free(auth);
}
END_TEST

START_TEST(test_valid_at_edges)
{
    skl_key *auth = key_seeded(0x11, "authority"), *sub = key_seeded(0x22, "issuer");
    skl_cert *root = make_root(auth, root_name);
    size_t n;
    char *pem = issue(auth, root, sub, &n);
    skl_cert *c = parse_ok(pem, n);

    ck_assert_int_eq(skl_cert_valid_at(c, T2027 - 1), 0);
    ck_assert_int_eq(skl_cert_valid_at(c, T2027), 1);
    ck_assert_int_eq(skl_cert_valid_at(c, T2030), 1);
    ck_assert_int_eq(skl_cert_valid_at(c, T2030 + 1), 0);
    ck_assert_int_eq(skl_cert_valid_at(c, INT64_MIN), 0);
    ck_assert_int_eq(skl_cert_valid_at(c, INT64_MAX), 0);
    ck_assert_int_eq(skl_cert_valid_at(NULL, T2027), 0);

    skl_cert_free(c);
    free(pem);
    skl_cert_free(root);
    skl_key_free(sub);
    skl_key_free(auth);
}
END_TEST

/* UTCTime up to 2049, GeneralizedTime from 2050, both read back to the second. */
START_TEST(test_times_across_2050)
{
    skl_key *k = key_seeded(0x11, "authority");
    static const int64_t cases[][2] = {
        {T2026, T2050 - 1},
        {T2050 - 1, T2050},
        {T2050, INT64_C(4102444800)},             /* 2100 */
        {0, INT64_C(253402300799)},               /* 1970 .. 9999-12-31T23:59:59 */
        {INT64_C(951782400), INT64_C(951868799)}, /* 2000-02-29, leap day */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *pem = NULL, why[256];
        size_t n;
        ck_assert_int_eq(
            skl_cert_make_root(&pem, &n, k, "T", cases[i][0], cases[i][1], why, sizeof why),
            SKL_OK);
        skl_cert *c = parse_ok(pem, n);
        ck_assert_int_eq(skl_cert_not_before(c), cases[i][0]);
        ck_assert_int_eq(skl_cert_not_after(c), cases[i][1]);
        X509 *x = x509_of(c);
        ck_assert_int_eq(ASN1_STRING_type(X509_get0_notAfter(x)),
                         cases[i][1] >= T2050 ? V_ASN1_GENERALIZEDTIME : V_ASN1_UTCTIME);
        X509_free(x);
        skl_cert_free(c);
        free(pem);
    }
    skl_key_free(k);
}
END_TEST

START_TEST(test_signed_by_another_root)
{
    skl_key *auth = key_seeded(0x11, "authority"), *sub = key_seeded(0x22, "issuer");
    skl_key *evil = key_seeded(0x44, "evil");
    skl_cert *root = make_root(auth, root_name);
    /* Another authority with the very same name: only the signature tells them apart. */
    skl_cert *twin = make_root(evil, root_name);
    skl_cert *stranger = make_root(evil, "某个别的局");
    size_t n;
    char *p1 = issue(evil, twin, sub, &n);
    skl_cert *c1 = parse_ok(p1, n);
    verify_issued_says(c1, root,
                       "is not signed by the authority root \"北碚区人力资源和社会保障局\"");
    char *p2 = issue(evil, stranger, sub, &n);
    skl_cert *c2 = parse_ok(p2, n);
    verify_issued_says(c2, root, "was not issued by the authority root");

    skl_cert_free(c2);
    free(p2);
    skl_cert_free(c1);
    free(p1);
    skl_cert_free(stranger);
    skl_cert_free(twin);
    skl_cert_free(root);
    skl_key_free(evil);
    skl_key_free(sub);
    skl_key_free(auth);
}
END_TEST

/* A self-signed pretender that copies the root's name passes as *a* root, never as the
 * root's issuer; nor does an issuer certificate it signs for itself. */
START_TEST(test_self_signed_pretender)
{
    skl_key *auth = key_seeded(0x11, "authority"), *evil = key_seeded(0x44, "evil");
    skl_cert *root = make_root(auth, root_name);
    skl_cert *pretender = make_root(evil, root_name);
    char why[256];

    ck_assert_int_eq(skl_cert_verify_root(pretender, why, sizeof why), SKL_OK);
    verify_issued_says(pretender, root, "not signed by the authority root");

    forge_opts o = {.scope = "{\"kinds\":[\"training\"]}", .signer = 0x33}; /* self-signed */
    size_t n;
    uint8_t *der = forge(root, &o, &n);
    skl_cert *c = parse_ok(der, n);
    verify_issued_says(c, root, "not signed by the authority root");

    skl_cert_free(c);
    free(der);
    skl_cert_free(pretender);
    skl_cert_free(root);
    skl_key_free(evil);
    skl_key_free(auth);
}
END_TEST

START_TEST(test_tampered)
{
    skl_key *auth = key_seeded(0x11, "authority"), *sub = key_seeded(0x22, "issuer");
    skl_cert *root = make_root(auth, root_name);
    size_t n, dn;
    char *pem = issue(auth, root, sub, &n);
    skl_cert *c = parse_ok(pem, n);
    const uint8_t *der = skl_cert_der(c, &dn);
    uint8_t *t = malloc(dn);

    /* A byte of the signature (the last 64 bytes of the DER). */
    memcpy(t, der, dn);
    t[dn - 10] ^= 0x01;
    skl_cert *bad = parse_ok(t, dn);
    verify_issued_says(bad, root, "not signed by the authority root");
    skl_cert_free(bad);

    /* A byte of the scope, inside the signed part: still a canonical object. */
    memcpy(t, der, dn);
    uint8_t *at = memmem(t, dn, "\"L3\"", 4);
    ck_assert_ptr_nonnull(at);
    at[2] = '1'; /* "L3" -> "L1": a wider scope */
    bad = parse_ok(t, dn);
    ck_assert_str_eq(skl_cert_scope(bad),
                     "{\"kinds\":[\"certification\"],\"levels\":{\"max\":\"L1\",\"min\":\"L5\","
                     "\"scale\":\"skill\"}}");
    verify_issued_says(bad, root, "not signed by the authority root");
    skl_cert_free(bad);

    /* A byte of the subject's public key. */
    memcpy(t, der, dn);
    at = memmem(t, dn, skl_key_public(sub), 32);
    ck_assert_ptr_nonnull(at);
    at[0] ^= 0x80;
    bad = parse_ok(t, dn);
    verify_issued_says(bad, root, "not signed by the authority root");
    skl_cert_free(bad);

    /* The root's own self-signature. */
    size_t rn;
    const uint8_t *rd = skl_cert_der(root, &rn);
    uint8_t *rt = malloc(rn);
    memcpy(rt, rd, rn);
    rt[rn - 1] ^= 0x01;
    bad = parse_ok(rt, rn);
    char why[256];
    ck_assert_int_eq(skl_cert_verify_root(bad, why, sizeof why), SKL_ERR_VERIFY);
    ck_assert_ptr_nonnull(strstr(why, "self-signature"));
    skl_cert_free(bad);
    free(rt);

    free(t);
    skl_cert_free(c);
    free(pem);
    skl_cert_free(root);
    skl_key_free(sub);
    skl_key_free(auth);
}
END_TEST

START_TEST(test_wrong_key_type)
{
    EVP_PKEY *ec = EVP_EC_gen("P-256");
    ck_assert_ptr_nonnull(ec);
    X509 *x = X509_new();
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_NAME_add_entry_by_NID(X509_get_subject_name(x), NID_organizationName, V_ASN1_UTF8STRING,
                               (const unsigned char *)root_name, -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &(time_t){T2026});
    X509_time_adj_ex(X509_getm_notAfter(x), 0, 0, &(time_t){T2036});
    X509_set_pubkey(x, ec);
    ck_assert_int_gt(X509_sign(x, ec, EVP_sha256()), 0);
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    ck_assert_int_gt(n, 0);
    parse_fails(der, (size_t)n, SKL_ERR_SCHEMA);

    OPENSSL_free(der);
    X509_free(x);
    EVP_PKEY_free(ec);
}
END_TEST

START_TEST(test_malformed_encodings)
{
    skl_key *k = key_seeded(0x11, "authority");
    char *pem = NULL, why[256];
    size_t pn;
    ck_assert_int_eq(skl_cert_make_root(&pem, &pn, k, root_name, T2026, T2036, why, sizeof why),
                     SKL_OK);
    skl_cert *c = parse_ok(pem, pn);
    size_t dn;
    const uint8_t *der = skl_cert_der(c, &dn);
    uint8_t *buf = malloc(2 * pn + 64);

    /* Every truncation of the DER. */
    for (size_t i = 0; i < dn; i++)
        parse_fails(der, i, SKL_ERR_PARSE);
    /* Trailing garbage after DER, and after PEM. */
    memcpy(buf, der, dn);
    buf[dn] = 0;
    parse_fails(buf, dn + 1, SKL_ERR_PARSE);
    memcpy(buf, pem, pn);
    memcpy(buf + pn, "junk\n", 5);
    parse_fails(buf, pn + 5, SKL_ERR_PARSE);
    /* Text before the PEM block. */
    memcpy(buf, "Certificate:\n", 13);
    memcpy(buf + 13, pem, pn);
    parse_fails(buf, pn + 13, SKL_ERR_PARSE);
    /* Two PEM blocks. */
    memcpy(buf, pem, pn);
    memcpy(buf + pn, pem, pn);
    parse_fails(buf, 2 * pn, SKL_ERR_PARSE);
    /* White space around one block is fine; CRLF line ends too. */
    memcpy(buf, "\n  ", 3);
    memcpy(buf + 3, pem, pn);
    memcpy(buf + 3 + pn, "\r\n", 2);
    skl_cert_free(parse_ok(buf, pn + 5));
    /* A private key block is not a certificate; broken base64 is refused. */
    parse_fails("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", 58,
                SKL_ERR_PARSE);
    memcpy(buf, pem, pn);
    buf[40] = '*';
    parse_fails(buf, pn, SKL_ERR_PARSE);
    /* The outer length in a longer form than needed: BER, not DER. */
    ck_assert_uint_eq(der[1], 0x82);
    buf[0] = 0x30, buf[1] = 0x83, buf[2] = 0x00;
    memcpy(buf + 3, der + 2, dn - 2);
    parse_fails(buf, dn + 1, SKL_ERR_PARSE);
    /* Nothing, and too much. */
    parse_fails("", 0, SKL_ERR_PARSE);
    uint8_t *big = calloc(1, SKL_CERT_MAX_LEN + 1);
    parse_fails(big, SKL_CERT_MAX_LEN + 1, SKL_ERR_LIMIT);
    free(big);
    skl_cert *out = NULL;
    ck_assert_int_eq(skl_cert_parse(&out, NULL, 0, NULL, 0), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_cert_parse(NULL, der, dn, NULL, 0), SKL_ERR_INVAL);

    free(buf);
    skl_cert_free(c);
    free(pem);
    skl_key_free(k);
}
END_TEST

START_TEST(test_forged_profiles)
{
    skl_key *auth = key_seeded(0x11, "authority");
    skl_cert *root = make_root(auth, root_name);
    size_t n;
    uint8_t *der;
    skl_cert *c;
    char why[256];

    /* The forge itself makes a good certificate when asked to. */
    forge_opts good = {.scope = "{\"kinds\":[\"training\"]}"};
    der = forge(root, &good, &n);
    c = parse_ok(der, n);
    ck_assert_int_eq(skl_cert_verify_issued(c, root, why, sizeof why), SKL_OK);
    ck_assert_str_eq(skl_cert_name(c), "伪造者");
    skl_cert_free(c);
    free(der);

    /* No scope: parses (a root has none), but is no issuer certificate. */
    forge_opts noscope = {0};
    der = forge(root, &noscope, &n);
    c = parse_ok(der, n);
    ck_assert_ptr_null(skl_cert_scope(c));
    verify_issued_says(c, root, "no scope extension");
    skl_cert_free(c);
    free(der);

    /* A CA flag. */
    forge_opts ca = {.ca = 1, .scope = "{\"kinds\":[\"training\"]}"};
    der = forge(root, &ca, &n);
    c = parse_ok(der, n);
    verify_issued_says(c, root, "is a CA");
    skl_cert_free(c);
    free(der);

    /* Another critical extension skl does not know. */
    forge_opts unk = {.unknown_critical = 1, .scope = "{\"kinds\":[\"training\"]}"};
    der = forge(root, &unk, &n);
    c = parse_ok(der, n);
    verify_issued_says(c, root, "1.3.6.1.4.1.99999.1");
    skl_cert_free(c);
    free(der);

    /* Scope extensions that parsing refuses. */
    static const struct {
        forge_opts o;
        const char *needle;
    } bad[] = {
        {{.scope = "{\"kinds\":[\"training\"]}", .scope_noncritical = 1}, "not critical"},
        {{.scope = "[\"training\"]"}, "not a JSON object"},
        {{.scope = "\"training\""}, "not a JSON object"},
        {{.scope = "{\"kinds\":[\"training\"]"}, "not JSON"},
        {{.scope = "{\"kinds\": [\"training\"]}"}, "canonical"},
        {{.scope = "{\"z\":1,\"kinds\":[]}"}, "canonical"},
        {{.scope = "{\"kinds\":[\"training\"]}", .scope_octets = 1}, "UTF8String"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        der = forge(root, &bad[i].o, &n);
        c = (skl_cert *)1;
        ck_assert_int_eq(skl_cert_parse(&c, der, n, why, sizeof why), SKL_ERR_SCHEMA);
        ck_assert_ptr_null(c);
        ck_assert_msg(strstr(why, bad[i].needle) != NULL, "case %zu: %s", i, why);
        free(der);
    }

    skl_cert_free(root);
    skl_key_free(auth);
}
END_TEST

START_TEST(test_issue_refusals)
{
    skl_key *auth = key_seeded(0x11, "authority"), *sub = key_seeded(0x22, "issuer");
    skl_key *evil = key_seeded(0x44, "evil");
    skl_cert *root = make_root(auth, root_name);
    const uint8_t *pub = skl_key_public(sub);
    const char *sc = "{\"kinds\":[\"training\"]}";
    size_t sl = strlen(sc), n = 0;
    char *pem = (char *)1, why[256];

#define ISSUE(key, nm, nb, na, s, l)                                                               \
    skl_cert_issue(&pem, &n, key, root, pub, nm, nb, na, s, l, why, sizeof why)
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2030, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_ptr_null(pem);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2030, T2027, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2026 - 1, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2036 + 1, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(evil, issuer_name, T2027, T2030, sc, sl), SKL_ERR_KEY);
    ck_assert_ptr_nonnull(strstr(why, "not the key of the root"));
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2030, "[1]", 3), SKL_ERR_SCHEMA);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2030, "\"x\"", 3), SKL_ERR_SCHEMA);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2030, "{", 1), SKL_ERR_PARSE);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2030, "{\"a\":1,\"a\":2}", 13),
                     SKL_ERR_PARSE);
    ck_assert_int_eq(ISSUE(auth, "", T2027, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, "a\nb", T2027, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, " lead", T2027, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, "bad\xff", T2027, T2030, sc, sl), SKL_ERR_INVAL);
    char longname[3 * 65 + 1] = "";
    for (int i = 0; i < 65; i++)
        strcat(longname, "局");
    ck_assert_int_eq(ISSUE(auth, longname, T2027, T2030, sc, sl), SKL_ERR_INVAL);
    longname[3 * 64] = '\0';
    ck_assert_int_eq(ISSUE(auth, longname, T2027, T2030, sc, sl), SKL_OK);
    free(pem);
    char *huge = malloc(SKL_CERT_SCOPE_MAX + 2);
    memset(huge, ' ', SKL_CERT_SCOPE_MAX + 1);
    huge[0] = '{', huge[SKL_CERT_SCOPE_MAX] = '}';
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2030, huge, SKL_CERT_SCOPE_MAX + 1),
                     SKL_ERR_LIMIT);
    free(huge);
    ck_assert_int_eq(ISSUE(NULL, issuer_name, T2027, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, NULL, T2027, T2030, sc, sl), SKL_ERR_INVAL);
    ck_assert_int_eq(ISSUE(auth, issuer_name, T2027, T2030, NULL, 0), SKL_ERR_INVAL);
#undef ISSUE

    /* An issuer certificate cannot stand in for the root. */
    size_t cn;
    char *cp = issue(auth, root, sub, &cn);
    skl_cert *c = parse_ok(cp, cn);
    ck_assert_int_eq(
        skl_cert_issue(&pem, &n, sub, c, pub, issuer_name, T2027, T2030, sc, sl, why, sizeof why),
        SKL_ERR_VERIFY);
    skl_cert_free(c);
    free(cp);

    /* Root: bad times and names. */
    ck_assert_int_eq(skl_cert_make_root(&pem, &n, auth, root_name, T2036, T2036, why, sizeof why),
                     SKL_ERR_INVAL);
    ck_assert_int_eq(skl_cert_make_root(&pem, &n, auth, root_name, -1, T2036, why, sizeof why),
                     SKL_ERR_INVAL);
    ck_assert_int_eq(skl_cert_make_root(&pem, &n, auth, root_name, T2026, INT64_C(253402300800),
                                        why, sizeof why),
                     SKL_ERR_INVAL);
    ck_assert_int_eq(
        skl_cert_make_root(&pem, &n, auth, "a\xe2\x80\x8b", T2026, T2036, why, sizeof why),
        SKL_ERR_INVAL); /* zero-width space */
    ck_assert_int_eq(skl_cert_verify_root(NULL, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_cert_verify_issued(NULL, root, why, sizeof why), SKL_ERR_INVAL);

    skl_cert_free(root);
    skl_key_free(evil);
    skl_key_free(sub);
    skl_key_free(auth);
}
END_TEST

/* OpenSSL's own verifier accepts skl's chain (once told to ignore the scope it does not
 * know) and refuses it otherwise, which is what "critical" is for. */
START_TEST(test_openssl_verifies_skl_chain)
{
    if (!have_openssl())
        return; /* the openssl command is not installed */
    skl_key *auth = key_seeded(0x11, "authority"), *sub = key_seeded(0x22, "issuer");
    skl_cert *root = make_root(auth, root_name);
    char *rpem = NULL;
    size_t rn, n;
    ck_assert_int_eq(skl_cert_pem(root, &rpem, &rn), SKL_OK);
    char *pem = issue(auth, root, sub, &n);
    char *dir = tu_tmpdir();
    char *rp = write_tmp(dir, "root.pem", rpem, rn), *ip = write_tmp(dir, "issuer.pem", pem, n);
    char cmd[8192];

    snprintf(cmd, sizeof cmd,
             "openssl verify -attime %lld -CAfile '%s' -ignore_critical '%s' >/dev/null 2>&1",
             (long long)T2027 + 10, rp, ip);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "openssl verify -attime %lld -CAfile '%s' '%s' >/dev/null 2>&1",
             (long long)T2027 + 10, rp, ip);
    ck_assert_int_ne(system(cmd), 0); /* unhandled critical extension */
    snprintf(cmd, sizeof cmd, "openssl verify -attime %lld -CAfile '%s' '%s' >/dev/null 2>&1",
             (long long)T2027 + 10, ip, ip);
    ck_assert_int_ne(system(cmd), 0); /* the issuer is no anchor */
    snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -noout -text | grep -q '%s'", ip,
             SKL_CERT_SCOPE_OID);
    ck_assert_int_eq(system(cmd), 0);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(rp);
    free(ip);
    free(dir);
    free(pem);
    free(rpem);
    skl_cert_free(root);
    skl_key_free(sub);
    skl_key_free(auth);
}
END_TEST

/* A root made with the openssl command as certs/README.md tells the bureau to: skl accepts
 * it, issues under it with the same key, and OpenSSL verifies the result. */
START_TEST(test_openssl_made_root)
{
    if (!have_openssl())
        return;
    char *dir = tu_tmpdir();
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && openssl genpkey -algorithm ed25519 -out root.key 2>/dev/null && "
             "openssl req -x509 -new -key root.key -utf8 -subj '/O=%s/CN=%s' "
             "-days 3650 -set_serial 0x$(openssl rand -hex 16) "
             "-addext 'basicConstraints=critical,CA:TRUE,pathlen:0' "
             "-addext 'keyUsage=critical,keyCertSign,cRLSign' "
             "-addext 'subjectKeyIdentifier=hash' -out root.pem 2>/dev/null",
             dir, root_name, root_name);
    ck_assert_int_eq(system(cmd), 0);

    char path[4096];
    snprintf(path, sizeof path, "%s/root.pem", dir);
    size_t n;
    char *text = tu_read_file(path, &n);
    skl_cert *root = parse_ok(text, n);
    char why[256];
    ck_assert_msg(skl_cert_verify_root(root, why, sizeof why) == SKL_OK, "%s", why);
    ck_assert_str_eq(skl_cert_name(root), root_name);

    /* The same key as an skl key. */
    snprintf(path, sizeof path, "%s/root.key", dir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    EVP_PKEY *pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    ck_assert_ptr_nonnull(pk);
    ck_assert_int_ge(sodium_init(), 0); /* before sodium_malloc(), in a fresh fork */
    uint8_t *seed = sodium_malloc(32);
    size_t sn = 32;
    ck_assert_int_eq(EVP_PKEY_get_raw_private_key(pk, seed, &sn), 1);
    skl_key *auth = NULL, *sub = key_seeded(0x22, "issuer");
    ck_assert_int_eq(skl_key_from_seed(&auth, seed, "authority"), SKL_OK);
    sodium_free(seed);
    EVP_PKEY_free(pk);

    char *pem = NULL;
    size_t pn;
    int64_t nb = skl_cert_not_before(root) + 60, na = nb + 86400;
    ck_assert_int_eq(skl_cert_issue(&pem, &pn, auth, root, skl_key_public(sub), issuer_name, nb, na,
                                    "{\"kinds\":[\"training\"]}", 22, why, sizeof why),
                     SKL_OK);
    skl_cert *c = parse_ok(pem, pn);
    ck_assert_int_eq(skl_cert_verify_issued(c, root, why, sizeof why), SKL_OK);
    char *ip = write_tmp(dir, "issuer.pem", pem, pn);
    snprintf(cmd, sizeof cmd,
             "openssl verify -attime %lld -CAfile '%s/root.pem' -ignore_critical '%s' "
             ">/dev/null 2>&1",
             (long long)nb + 10, dir, ip);
    ck_assert_int_eq(system(cmd), 0);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(ip);
    skl_cert_free(c);
    free(pem);
    skl_key_free(sub);
    skl_key_free(auth);
    skl_cert_free(root);
    free(text);
    free(dir);
}
END_TEST

/* The committed demo root (certs/demo/) is what this code makes from the published seed. */
START_TEST(test_demo_root)
{
    size_t n;
    char *text = NULL;
    FILE *f = fopen("certs/demo/authority-root.pem", "rb");
    if (f == NULL)
        return; /* not run from the source tree */
    fclose(f);
    text = tu_read_file("certs/demo/authority-root.pem", &n);
    skl_cert *root = parse_ok(text, n);
    char why[256];
    ck_assert_int_eq(skl_cert_verify_root(root, why, sizeof why), SKL_OK);
    ck_assert_str_eq(skl_cert_name(root), "DEMO ONLY 北碚区人力资源和社会保障局 (演示)");
    ck_assert_int_eq(skl_cert_not_before(root), T2026);
    ck_assert_int_eq(skl_cert_not_after(root), T2036);
    /* Seed: SHA-256 of "skl demo authority root: DEMO ONLY, never trust". */
    static const char phrase[] = "skl demo authority root: DEMO ONLY, never trust";
    uint8_t seed[32];
    crypto_hash_sha256(seed, (const unsigned char *)phrase, sizeof phrase - 1);
    skl_key *k = NULL;
    ck_assert_int_eq(skl_key_from_seed(&k, seed, "demo-authority"), SKL_OK);
    ck_assert_mem_eq(skl_cert_public_key(root), skl_key_public(k), 32);
    skl_key_free(k);
    skl_cert_free(root);
    free(text);
}
END_TEST

Suite *cert_suite(void);

Suite *
cert_suite(void)
{
    Suite *s = suite_create("cert");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_root_made_and_verified);
    tcase_add_test(tc, test_issue_round_trip);
    tcase_add_test(tc, test_valid_at_edges);
    tcase_add_test(tc, test_times_across_2050);
    tcase_add_test(tc, test_signed_by_another_root);
    tcase_add_test(tc, test_self_signed_pretender);
    tcase_add_test(tc, test_tampered);
    tcase_add_test(tc, test_wrong_key_type);
    tcase_add_test(tc, test_malformed_encodings);
    tcase_add_test(tc, test_forged_profiles);
    tcase_add_test(tc, test_issue_refusals);
    tcase_add_test(tc, test_openssl_verifies_skl_chain);
    tcase_add_test(tc, test_openssl_made_root);
    tcase_add_test(tc, test_demo_root);
    suite_add_tcase(s, tc);
    return s;
}
