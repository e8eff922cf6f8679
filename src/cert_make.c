/* cert_make.c - making the authority's X.509 certificates: the root and the issuer
 * certificates it signs (profiles: spec/certificates.md). */
#include "skl/cert.h"
#include "cert_int.h"
#include "skl/json.h"
#include "why_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>

#define SERIAL_BYTES 16
/* 9999-12-31T23:59:59Z: the last second X.509 time types can write. */
#define TIME_MAX INT64_C(253402300799)

/* ---------------------------------------------------------------- messages */

/* ---------------------------------------------------------------- making */

/* An OpenSSL Ed25519 key for k; the seed goes straight from guarded memory into OpenSSL,
 * which keeps it in its own secure-clearing key object. */
static EVP_PKEY *
pkey_secret(const skl_key *k)
{
    return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, skl_key_secret(k),
                                        SKL_KEY_SEED_BYTES);
}

static int
name_add(X509_NAME *n, const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    int len = (int)strlen(name);

    return X509_NAME_add_entry_by_NID(n, NID_organizationName, V_ASN1_UTF8STRING, p, len, -1, 0) ==
               1 &&
           X509_NAME_add_entry_by_NID(n, NID_commonName, V_ASN1_UTF8STRING, p, len, -1, 0) == 1;
}

static int
time_set(X509 *x, int64_t nb, int64_t na)
{
    ASN1_TIME *a = ASN1_TIME_set(NULL, (time_t)nb), *b = ASN1_TIME_set(NULL, (time_t)na);
    int ok =
        a != NULL && b != NULL && X509_set1_notBefore(x, a) == 1 && X509_set1_notAfter(x, b) == 1;

    ASN1_TIME_free(a);
    ASN1_TIME_free(b);
    return ok;
}

static int
serial_set(X509 *x)
{
    uint8_t r[SERIAL_BYTES];
    BIGNUM *bn;
    int ok;

    randombytes_buf(r, sizeof r);
    r[0] &= 0x7F; /* positive, and 16 octets in DER whatever the draw */
    r[0] |= 0x01;
    ok = (bn = BN_bin2bn(r, sizeof r, NULL)) != NULL &&
         BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL;
    BN_free(bn);
    return ok;
}

/* SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 4.2.1.2, method 1). */
static int
key_id(uint8_t out[20], const uint8_t pub[32])
{
    unsigned int n = 0;

    return EVP_Digest(pub, 32, out, &n, EVP_sha1(), NULL) == 1 && n == 20;
}

static int
ext_add_octets(X509 *x, int nid, const uint8_t *p, int n)
{
    ASN1_OCTET_STRING *o = ASN1_OCTET_STRING_new();
    int ok = o != NULL && ASN1_OCTET_STRING_set(o, p, n) == 1 &&
             X509_add1_ext_i2d(x, nid, o, 0, X509V3_ADD_APPEND) == 1;

    ASN1_OCTET_STRING_free(o);
    return ok;
}

static int
ext_add_basic(X509 *x, int ca)
{
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    int ok = bc != NULL;

    if (ok && ca) {
        bc->ca = 0xFF;
        ok = (bc->pathlen = ASN1_INTEGER_new()) != NULL && ASN1_INTEGER_set(bc->pathlen, 0) == 1;
    }
    ok = ok && X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_APPEND) == 1;
    BASIC_CONSTRAINTS_free(bc);
    return ok;
}

/* keyUsage with the given bit numbers (RFC 5280 4.2.1.3), terminated by -1. */
static int
ext_add_key_usage(X509 *x, const int *bits)
{
    ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
    int ok = ku != NULL;

    for (; ok && *bits >= 0; bits++)
        ok = ASN1_BIT_STRING_set_bit(ku, *bits, 1) == 1;
    ok = ok && X509_add1_ext_i2d(x, NID_key_usage, ku, 1, X509V3_ADD_APPEND) == 1;
    ASN1_BIT_STRING_free(ku);
    return ok;
}

static int
ext_add_aki(X509 *x, const uint8_t *id, int n)
{
    AUTHORITY_KEYID *aki = AUTHORITY_KEYID_new();
    int ok = aki != NULL && (aki->keyid = ASN1_OCTET_STRING_new()) != NULL &&
             ASN1_OCTET_STRING_set(aki->keyid, id, n) == 1 &&
             X509_add1_ext_i2d(x, NID_authority_key_identifier, aki, 0, X509V3_ADD_APPEND) == 1;

    AUTHORITY_KEYID_free(aki);
    return ok;
}

/* The scope extension: critical, extnValue = DER(UTF8String(canonical JSON)). */
static int
ext_add_scope(X509 *x, const char *canon, size_t len)
{
    ASN1_OBJECT *oid = OBJ_txt2obj(SKL_CERT_SCOPE_OID, 1);
    ASN1_UTF8STRING *s = ASN1_UTF8STRING_new();
    ASN1_OCTET_STRING *val = ASN1_OCTET_STRING_new();
    X509_EXTENSION *e = NULL;
    unsigned char *der = NULL;
    int n, ok = 0;

    if (oid == NULL || s == NULL || val == NULL || ASN1_STRING_set(s, canon, (int)len) != 1 ||
        (n = i2d_ASN1_UTF8STRING(s, &der)) <= 0 || ASN1_OCTET_STRING_set(val, der, n) != 1 ||
        (e = X509_EXTENSION_create_by_OBJ(NULL, oid, 1, val)) == NULL ||
        X509_add_ext(x, e, -1) != 1)
        goto out;
    ok = 1;
out:
    X509_EXTENSION_free(e);
    OPENSSL_free(der);
    ASN1_OCTET_STRING_free(val);
    ASN1_UTF8STRING_free(s);
    ASN1_OBJECT_free(oid);
    return ok;
}

/* Signs x with k and hands out its PEM. */
static skl_err
sign_out(X509 *x, const skl_key *k, char **pem, size_t *pemlen, char *why, size_t whylen)
{
    EVP_PKEY *sk = pkey_secret(k);
    unsigned char *der = NULL;
    int n;
    skl_err err;

    if (sk == NULL || X509_sign(x, sk, NULL) <= 0 || (n = i2d_X509(x, &der)) <= 0) {
        skl_cert_int_say_ossl(why, whylen, "cannot sign the certificate");
        err = SKL_ERR_CRYPTO;
        goto out;
    }
    err = skl_cert_int_pem_encode(pem, pemlen, der, (size_t)n);
out:
    EVP_PKEY_free(sk);
    OPENSSL_free(der);
    return err;
}

static skl_err
check_common(char **pem, size_t *pemlen, const skl_key *key, const char *name, int64_t nb,
             int64_t na, char *why, size_t whylen)
{
    skl_why(why, whylen, "%s", "");
    if (pem != NULL)
        *pem = NULL;
    if (pem == NULL || pemlen == NULL || key == NULL || name == NULL)
        return SKL_ERR_INVAL;
    if (!skl_cert_int_name_ok(name, strlen(name))) {
        skl_why(why, whylen,
            "name must be 1..%d characters of UTF-8 without control characters "
            "or surrounding spaces",
            SKL_CERT_NAME_MAX_CHARS);
        return SKL_ERR_INVAL;
    }
    if (nb < 0 || na > TIME_MAX || na <= nb) {
        skl_why(why, whylen, "validity must satisfy 1970 <= not_before < not_after <= 9999");
        return SKL_ERR_INVAL;
    }
    ERR_clear_error();
    return SKL_OK;
}

skl_err
skl_cert_make_root(char **pem, size_t *pemlen, const skl_key *key, const char *name,
                   int64_t not_before, int64_t not_after, char *why, size_t whylen)
{
    static const int bits[] = {5 /* keyCertSign */, 6 /* cRLSign */, -1};
    X509 *x = NULL;
    EVP_PKEY *pk = NULL;
    uint8_t kid[20];
    skl_err err;

    if ((err = check_common(pem, pemlen, key, name, not_before, not_after, why, whylen)) != SKL_OK)
        return err;
    err = SKL_ERR_CRYPTO;
    if ((x = X509_new()) == NULL ||
        (pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, skl_key_public(key), 32)) ==
            NULL ||
        X509_set_version(x, X509_VERSION_3) != 1 || !serial_set(x) ||
        !name_add(X509_get_subject_name(x), name) ||
        X509_set_issuer_name(x, X509_get_subject_name(x)) != 1 ||
        !time_set(x, not_before, not_after) || X509_set_pubkey(x, pk) != 1 ||
        !ext_add_basic(x, 1) || !ext_add_key_usage(x, bits) || !key_id(kid, skl_key_public(key)) ||
        !ext_add_octets(x, NID_subject_key_identifier, kid, 20)) {
        skl_cert_int_say_ossl(why, whylen, "cannot build the root certificate");
        goto out;
    }
    err = sign_out(x, key, pem, pemlen, why, whylen);
out:
    EVP_PKEY_free(pk);
    X509_free(x);
    ERR_clear_error();
    return err;
}

skl_err
skl_cert_issue(char **pem, size_t *pemlen, const skl_key *authority, const skl_cert *root,
               const uint8_t subject_pub[32], const char *subject_name, int64_t not_before,
               int64_t not_after, const char *scope_json, size_t scope_len, char *why,
               size_t whylen)
{
    static const int bits[] = {0 /* digitalSignature */, -1};
    X509 *x = NULL;
    EVP_PKEY *pk = NULL;
    skl_json_doc *doc = NULL;
    char *canon = NULL;
    size_t canon_len = 0;
    uint8_t kid[64];
    int kid_len = 20;
    const ASN1_OCTET_STRING *root_kid;
    char jwhy[160];
    skl_err err;

    if ((err = check_common(pem, pemlen, authority, subject_name, not_before, not_after, why,
                            whylen)) != SKL_OK)
        return err;
    if (root == NULL || subject_pub == NULL || scope_json == NULL)
        return SKL_ERR_INVAL;
    if ((err = skl_cert_verify_root(root, why, whylen)) != SKL_OK)
        return err;
    if (sodium_memcmp(skl_key_public(authority), root->pub, 32) != 0) {
        skl_why(why, whylen, "the authority key is not the key of the root \"%s\"", root->name);
        return SKL_ERR_KEY;
    }
    if (not_before < root->not_before || not_after > root->not_after) {
        skl_why(why, whylen, "validity lies outside the root \"%s\"'s", root->name);
        return SKL_ERR_INVAL;
    }
    if (scope_len > SKL_CERT_SCOPE_MAX) {
        skl_why(why, whylen, "scope is longer than %d bytes", SKL_CERT_SCOPE_MAX);
        return SKL_ERR_LIMIT;
    }
    if ((err = skl_json_parse(&doc, scope_json, scope_len, SKL_CERT_SCOPE_MAX, jwhy,
                              sizeof jwhy)) != SKL_OK) {
        skl_why(why, whylen, "scope is not JSON: %s", jwhy);
        goto out;
    }
    if (skl_json_root(doc)->type != SKL_JSON_OBJECT) {
        skl_why(why, whylen, "scope is not a JSON object");
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    if ((err = skl_json_canonicalize(skl_json_root(doc), &canon, &canon_len)) != SKL_OK)
        goto out;
    if (canon_len > SKL_CERT_SCOPE_MAX) {
        skl_why(why, whylen, "canonical scope is longer than %d bytes", SKL_CERT_SCOPE_MAX);
        err = SKL_ERR_LIMIT;
        goto out;
    }

    /* The authority key id is the root's subject key id when it has one (an openssl-made
     * root may use another method), else SHA-1 of its key, as make_root writes it. */
    ERR_clear_error();
    err = SKL_ERR_CRYPTO;
    root_kid = X509_get0_subject_key_id(root->x);
    if (root_kid != NULL && ASN1_STRING_length(root_kid) > 0 &&
        ASN1_STRING_length(root_kid) <= (int)sizeof kid) {
        kid_len = ASN1_STRING_length(root_kid);
        memcpy(kid, ASN1_STRING_get0_data(root_kid), (size_t)kid_len);
    } else if (!key_id(kid, root->pub))
        goto out;
    if ((x = X509_new()) == NULL ||
        (pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, subject_pub, 32)) == NULL ||
        X509_set_version(x, X509_VERSION_3) != 1 || !serial_set(x) ||
        !name_add(X509_get_subject_name(x), subject_name) ||
        X509_set_issuer_name(x, X509_get_subject_name(root->x)) != 1 ||
        !time_set(x, not_before, not_after) || X509_set_pubkey(x, pk) != 1 ||
        !ext_add_basic(x, 0) || !ext_add_key_usage(x, bits) || !ext_add_aki(x, kid, kid_len) ||
        !ext_add_scope(x, canon, canon_len)) {
        skl_cert_int_say_ossl(why, whylen, "cannot build the issuer certificate");
        goto out;
    }
    err = sign_out(x, authority, pem, pemlen, why, whylen);
out:
    free(canon);
    skl_json_free(doc);
    EVP_PKEY_free(pk);
    X509_free(x);
    ERR_clear_error();
    return err;
}
