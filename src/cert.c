/* cert.c - the authority's X.509 certificates over OpenSSL (profiles: spec/certificates.md). */
#include "skl/cert.h"
#include "buf_int.h"
#include "cert_int.h"
#include "skl/json.h"
#include "utf8_int.h"
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

#define ED25519_SIG_BYTES 64
#define MAX_EXTENSIONS 32

/* ---------------------------------------------------------------- messages */

/* Writes "what: <OpenSSL's errors>" into why and empties the thread's error queue. */
void
skl_cert_int_say_ossl(char *why, size_t whylen, const char *what)
{
    char line[256];
    size_t used;
    unsigned long e;

    skl_why(why, whylen, "%s", what);
    used = why != NULL && whylen > 0 ? strlen(why) : 0;
    for (int first = 1; (e = ERR_get_error()) != 0; first = 0) {
        ERR_error_string_n(e, line, sizeof line);
        if (why != NULL && used + 1 < whylen) {
            snprintf(why + used, whylen - used, "%s%s", first ? ": " : "; ", line);
            used = strlen(why);
        }
    }
}

/* ---------------------------------------------------------------- names */

/* 1 if s[0..n) is valid UTF-8 without U+0000. */
static int
utf8_ok(const unsigned char *s, size_t n)
{
    uint32_t c;

    for (size_t i = 0; i < n;)
        if (skl_utf8_next(s, n, &i, &c) != 0 || c == 0)
            return 0;
    return 1;
}

/* Control characters and invisible formatting characters that would let two names that
 * differ look the same (the same set spec/keys.md refuses, spaces aside). */
static int
name_char_ok(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        return 0;
    if (c == 0xAD || c == 0x180E || c == 0xFEFF)
        return 0;
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
        (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F))
        return 0;
    return 1;
}

/* The subject name rule of spec/certificates.md. */
int
skl_cert_int_name_ok(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t chars = 0;
    uint32_t c;

    if (len == 0 || len > SKL_CERT_NAME_MAX_BYTES || s[0] == ' ' || s[len - 1] == ' ')
        return 0;
    for (size_t i = 0; i < len; chars++)
        if (skl_utf8_next(s, len, &i, &c) != 0 || !name_char_ok(c))
            return 0;
    return chars <= SKL_CERT_NAME_MAX_CHARS;
}

/* ---------------------------------------------------------------- time */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/*
 * Reads an X.509 Time strictly (RFC 5280 4.1.2.5): UTCTime YYMMDDHHMMSSZ for 1950..2049,
 * GeneralizedTime YYYYMMDDHHMMSSZ from 2050 on, a real date and time.
 */
static int
time_read(int64_t *out, const ASN1_TIME *t)
{
    const unsigned char *s = ASN1_STRING_get0_data(t);
    int n = ASN1_STRING_length(t), type = ASN1_STRING_type(t);
    struct tm tm;

    if (type == V_ASN1_UTCTIME) {
        if (n != 13)
            return -1;
    } else if (type == V_ASN1_GENERALIZEDTIME) {
        if (n != 15)
            return -1;
    } else {
        return -1;
    }
    if (s[n - 1] != 'Z')
        return -1;
    for (int i = 0; i < n - 1; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    if (ASN1_TIME_check(t) != 1 || ASN1_TIME_to_tm(t, &tm) != 1)
        return -1;
    int64_t year = (int64_t)tm.tm_year + 1900;
    if ((type == V_ASN1_GENERALIZEDTIME) == (year >= 1950 && year <= 2049))
        return -1;
    *out = days_from_civil(year, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * 86400 +
           tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return 0;
}

/* ---------------------------------------------------------------- parsing */

/* Checks one name (subject or issuer) and, if name_out is not NULL, returns its O, or its CN,
 * as a new string. */
static skl_err
name_check(const X509_NAME *n, const char *which, char **name_out, char *why, size_t whylen)
{
    int count = X509_NAME_entry_count(n);
    int o = -1, cn = -1;

    if (count <= 0) {
        skl_why(why, whylen, "%s name is empty", which);
        return SKL_ERR_SCHEMA;
    }
    for (int i = 0; i < count; i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);
        const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
        const unsigned char *p = ASN1_STRING_get0_data(v);
        int len = ASN1_STRING_length(v);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));

        if (X509_NAME_ENTRY_set(e) != i) {
            skl_why(why, whylen, "%s name has a multi-valued RDN", which);
            return SKL_ERR_SCHEMA;
        }
        if (ASN1_STRING_type(v) == V_ASN1_PRINTABLESTRING) {
            for (int k = 0; k < len; k++)
                if (!(p[k] == ' ' || (p[k] >= '0' && p[k] <= '9') ||
                      ((p[k] | 0x20) >= 'a' && (p[k] | 0x20) <= 'z') ||
                      strchr("'()+,-./:=?", p[k]) != NULL) ||
                    p[k] == 0) {
                    skl_why(why, whylen, "%s name: PrintableString holds a forbidden byte", which);
                    return SKL_ERR_SCHEMA;
                }
        } else if (ASN1_STRING_type(v) != V_ASN1_UTF8STRING) {
            skl_why(why, whylen, "%s name: attribute %d is not a UTF8String", which, i);
            return SKL_ERR_SCHEMA;
        } else if (!utf8_ok(p, (size_t)len)) {
            skl_why(why, whylen, "%s name: attribute %d is not valid UTF-8", which, i);
            return SKL_ERR_SCHEMA;
        }
        if (nid == NID_organizationName) {
            if (o >= 0)
                goto twice;
            o = i;
        } else if (nid == NID_commonName) {
            if (cn >= 0)
                goto twice;
            cn = i;
        }
    }
    if (name_out == NULL)
        return SKL_OK;
    if (o < 0 && cn < 0) {
        skl_why(why, whylen, "%s name has neither O nor CN", which);
        return SKL_ERR_SCHEMA;
    }
    const ASN1_STRING *v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, o >= 0 ? o : cn));
    size_t len = (size_t)ASN1_STRING_length(v);
    if (!skl_cert_int_name_ok((const char *)ASN1_STRING_get0_data(v), len)) {
        skl_why(why, whylen, "%s name breaks the name rule (length or characters)", which);
        return SKL_ERR_SCHEMA;
    }
    if ((*name_out = malloc(len + 1)) == NULL)
        return SKL_ERR_NOMEM;
    memcpy(*name_out, ASN1_STRING_get0_data(v), len);
    (*name_out)[len] = '\0';
    return SKL_OK;
twice:
    skl_why(why, whylen, "%s name has two O or two CN attributes", which);
    return SKL_ERR_SCHEMA;
}

/* Decodes the scope extension's extnValue (DER of a UTF8String of canonical JSON). */
static skl_err
scope_read(skl_cert *c, const ASN1_OCTET_STRING *val, char *why, size_t whylen)
{
    const unsigned char *p = ASN1_STRING_get0_data(val), *q = p;
    long n = ASN1_STRING_length(val);
    ASN1_UTF8STRING *s = NULL;
    skl_json_doc *doc = NULL;
    char *canon = NULL;
    size_t canon_len = 0;
    char jwhy[160];
    skl_err err;

    /* Tag 0x0C and a definite length; OpenSSL checks the length is DER-minimal below. */
    if (n < 2 || p[0] != 0x0C || (s = d2i_ASN1_UTF8STRING(NULL, &q, n)) == NULL || q != p + n ||
        i2d_ASN1_UTF8STRING(s, NULL) != n) {
        skl_cert_int_say_ossl(why, whylen, "scope extension is not the DER of one UTF8String");
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    size_t len = (size_t)ASN1_STRING_length(s);
    const char *text = (const char *)ASN1_STRING_get0_data(s);
    if (len > SKL_CERT_SCOPE_MAX) {
        skl_why(why, whylen, "scope is longer than %d bytes", SKL_CERT_SCOPE_MAX);
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    if (skl_json_parse(&doc, text, len, SKL_CERT_SCOPE_MAX, jwhy, sizeof jwhy) != SKL_OK) {
        skl_why(why, whylen, "scope is not JSON: %s", jwhy);
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    if (skl_json_root(doc)->type != SKL_JSON_OBJECT) {
        skl_why(why, whylen, "scope is not a JSON object");
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    if ((err = skl_json_canonicalize(skl_json_root(doc), &canon, &canon_len)) != SKL_OK)
        goto out;
    if (canon_len != len || memcmp(canon, text, len) != 0) {
        skl_why(why, whylen, "scope is not in RFC 8785 canonical form");
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    c->scope = canon;
    canon = NULL;
    err = SKL_OK;
out:
    free(canon);
    skl_json_free(doc);
    ASN1_UTF8STRING_free(s);
    return err;
}

/* Walks the extensions: no duplicates, the scope well formed and critical, and notes what
 * verification needs. */
static skl_err
extensions_read(skl_cert *c, ASN1_OBJECT *scope_oid, char *why, size_t whylen)
{
    int count = X509_get_ext_count(c->x);
    skl_err err;

    if (count > MAX_EXTENSIONS) {
        skl_why(why, whylen, "more than %d extensions", MAX_EXTENSIONS);
        return SKL_ERR_SCHEMA;
    }
    for (int i = 0; i < count; i++) {
        X509_EXTENSION *e = X509_get_ext(c->x, i);
        const ASN1_OBJECT *obj = X509_EXTENSION_get_object(e);
        int crit = X509_EXTENSION_get_critical(e) > 0;
        int nid = OBJ_obj2nid(obj);

        for (int k = 0; k < i; k++)
            if (OBJ_cmp(obj, X509_EXTENSION_get_object(X509_get_ext(c->x, k))) == 0) {
                skl_why(why, whylen, "extension %d appears twice", k);
                return SKL_ERR_SCHEMA;
            }
        if (OBJ_cmp(obj, scope_oid) == 0) {
            if (!crit) {
                skl_why(why, whylen, "the scope extension is not critical");
                return SKL_ERR_SCHEMA;
            }
            if ((err = scope_read(c, X509_EXTENSION_get_data(e), why, whylen)) != SKL_OK)
                return err;
        } else if (nid == NID_basic_constraints) {
            c->bc_critical = crit;
        } else if (nid == NID_key_usage) {
            c->has_ku = 1;
        } else if (nid != NID_subject_key_identifier && nid != NID_authority_key_identifier &&
                   crit && !c->unknown_critical) {
            c->unknown_critical = 1;
            OBJ_obj2txt(c->unknown_oid, sizeof c->unknown_oid, obj, 1);
        }
    }

    /* OpenSSL decodes basicConstraints and keyUsage (and flags any it cannot). */
    uint32_t flags = X509_get_extension_flags(c->x);
    if (flags & EXFLAG_INVALID) {
        skl_cert_int_say_ossl(why, whylen, "an extension is malformed");
        return SKL_ERR_SCHEMA;
    }
    c->is_ca = (flags & EXFLAG_BCONS) && (flags & EXFLAG_CA);
    c->ku = c->has_ku ? X509_get_key_usage(c->x) : 0;
    return SKL_OK;
}

/* Checks the signature algorithms and the subject key, and copies the raw public key. */
static skl_err
algorithms_read(skl_cert *c, char *why, size_t whylen)
{
    const ASN1_BIT_STRING *sig = NULL;
    const X509_ALGOR *outer = NULL, *inner = X509_get0_tbs_sigalg(c->x);
    X509_ALGOR *keyalg = NULL;
    const ASN1_OBJECT *aobj = NULL;
    const void *pval = NULL;
    int ptype = 0;
    EVP_PKEY *pk;
    size_t publen = sizeof c->pub;

    X509_get0_signature(&sig, &outer, c->x);
    for (int k = 0; k < 2; k++) {
        X509_ALGOR_get0(&aobj, &ptype, &pval, k == 0 ? outer : inner);
        if (OBJ_obj2nid(aobj) != NID_ED25519 || ptype != V_ASN1_UNDEF) {
            skl_why(why, whylen, "signature algorithm is not Ed25519 (without parameters)");
            return SKL_ERR_SCHEMA;
        }
    }
    if (ASN1_STRING_length(sig) != ED25519_SIG_BYTES || (sig->flags & 0x07) != 0) {
        skl_why(why, whylen, "signature is not 64 bytes");
        return SKL_ERR_SCHEMA;
    }
    if (X509_PUBKEY_get0_param(NULL, NULL, NULL, &keyalg, X509_get_X509_PUBKEY(c->x)) != 1 ||
        keyalg == NULL) {
        skl_cert_int_say_ossl(why, whylen, "subject public key is malformed");
        return SKL_ERR_SCHEMA;
    }
    X509_ALGOR_get0(&aobj, &ptype, &pval, keyalg);
    if (OBJ_obj2nid(aobj) != NID_ED25519 || ptype != V_ASN1_UNDEF ||
        (pk = X509_get0_pubkey(c->x)) == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_ED25519 ||
        EVP_PKEY_get_raw_public_key(pk, c->pub, &publen) != 1 || publen != sizeof c->pub) {
        skl_cert_int_say_ossl(why, whylen, "subject public key is not an Ed25519 key");
        return SKL_ERR_SCHEMA;
    }
    return SKL_OK;
}

/* Reads a positive serial of at most 20 octets into lower-case hex. */
static skl_err
serial_read(skl_cert *c, char *why, size_t whylen)
{
    const ASN1_INTEGER *s = X509_get0_serialNumber(c->x);
    const unsigned char *p = ASN1_STRING_get0_data(s);
    int n = ASN1_STRING_length(s);

    if (ASN1_STRING_type(s) != V_ASN1_INTEGER || n <= 0 || p[0] == 0 ||
        n + (p[0] >> 7) > SKL_CERT_SERIAL_MAX_OCTETS) {
        skl_why(why, whylen, "serial number is not a positive integer of at most 20 octets");
        return SKL_ERR_SCHEMA;
    }
    for (int i = 0; i < n; i++)
        snprintf(c->serial + 2 * i, 3, "%02x", p[i]);
    return SKL_OK;
}

/* Decodes exactly one PEM CERTIFICATE block, with only white space around it. */
static skl_err
pem_decode(uint8_t **der, size_t *derlen, const char *s, size_t n, char *why, size_t whylen)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    static const char end[] = "-----END CERTIFICATE-----";
    size_t i = 0, b64_start, b64_end;
    const char *ws = " \t\r\n";

    while (i < n && strchr(ws, s[i]) != NULL && s[i] != '\0')
        i++;
    if (n - i < sizeof begin - 1 || memcmp(s + i, begin, sizeof begin - 1) != 0) {
        skl_why(why, whylen, "PEM: no \"%s\" line", begin);
        return SKL_ERR_PARSE;
    }
    b64_start = i + sizeof begin - 1;
    for (b64_end = b64_start; b64_end < n && s[b64_end] != '-'; b64_end++)
        ;
    if (n - b64_end < sizeof end - 1 || memcmp(s + b64_end, end, sizeof end - 1) != 0) {
        skl_why(why, whylen, "PEM: no \"%s\" line after the base64", end);
        return SKL_ERR_PARSE;
    }
    for (i = b64_end + sizeof end - 1; i < n; i++)
        if (s[i] == '\0' || strchr(ws, s[i]) == NULL) {
            skl_why(why, whylen, "PEM: something follows the certificate (another block?)");
            return SKL_ERR_PARSE;
        }
    size_t cap = (b64_end - b64_start) / 4 * 3 + 3;
    if ((*der = malloc(cap)) == NULL)
        return SKL_ERR_NOMEM;
    if (sodium_base642bin(*der, cap, s + b64_start, b64_end - b64_start, ws, derlen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(*der);
        *der = NULL;
        skl_why(why, whylen, "PEM: the base64 is malformed");
        return SKL_ERR_PARSE;
    }
    return SKL_OK;
}

skl_err
skl_cert_parse(skl_cert **out, const void *data, size_t len, char *why, size_t whylen)
{
    skl_cert *c = NULL;
    ASN1_OBJECT *scope_oid = NULL;
    const unsigned char *p;
    skl_err err;

    skl_why(why, whylen, "%s", "");
    if (out != NULL)
        *out = NULL;
    if (out == NULL || data == NULL)
        return SKL_ERR_INVAL;
    if (len > SKL_CERT_MAX_LEN) {
        skl_why(why, whylen, "certificate is longer than %d bytes", SKL_CERT_MAX_LEN);
        return SKL_ERR_LIMIT;
    }
    ERR_clear_error();
    if ((c = calloc(1, sizeof *c)) == NULL) {
        err = SKL_ERR_NOMEM;
        goto out;
    }
    if (len > 0 && ((const uint8_t *)data)[0] == 0x30) {
        if ((c->der = malloc(len ? len : 1)) == NULL) {
            err = SKL_ERR_NOMEM;
            goto out;
        }
        memcpy(c->der, data, len);
        c->derlen = len;
    } else if ((err = pem_decode(&c->der, &c->derlen, data, len, why, whylen)) != SKL_OK) {
        goto out;
    }

    p = c->der;
    if ((c->x = d2i_X509(NULL, &p, (long)c->derlen)) == NULL) {
        skl_cert_int_say_ossl(why, whylen, "not an X.509 certificate");
        err = SKL_ERR_PARSE;
        goto out;
    }
    if (p != c->der + c->derlen) {
        skl_why(why, whylen, "%zu bytes follow the certificate", (size_t)(c->der + c->derlen - p));
        err = SKL_ERR_PARSE;
        goto out;
    }
    {
        unsigned char *re = NULL;
        int n = i2d_X509(c->x, &re);
        int same = n == (int)c->derlen && memcmp(re, c->der, c->derlen) == 0;
        OPENSSL_free(re);
        if (!same) {
            skl_why(why, whylen, "certificate is not in DER");
            err = SKL_ERR_PARSE;
            goto out;
        }
    }

    if (X509_get_version(c->x) != X509_VERSION_3) {
        skl_why(why, whylen, "certificate is not X.509 version 3");
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    {
        const ASN1_BIT_STRING *iuid = NULL, *suid = NULL;
        X509_get0_uids(c->x, &iuid, &suid);
        if (iuid != NULL || suid != NULL) {
            skl_why(why, whylen, "certificate has unique identifiers");
            err = SKL_ERR_SCHEMA;
            goto out;
        }
    }
    if ((err = algorithms_read(c, why, whylen)) != SKL_OK ||
        (err = serial_read(c, why, whylen)) != SKL_OK)
        goto out;
    if (time_read(&c->not_before, X509_get0_notBefore(c->x)) != 0 ||
        time_read(&c->not_after, X509_get0_notAfter(c->x)) != 0) {
        skl_why(why, whylen, "validity is not a strict RFC 5280 time");
        err = SKL_ERR_SCHEMA;
        goto out;
    }
    if ((err = name_check(X509_get_subject_name(c->x), "subject", &c->name, why, whylen)) !=
            SKL_OK ||
        (err = name_check(X509_get_issuer_name(c->x), "issuer", NULL, why, whylen)) != SKL_OK)
        goto out;
    c->self_issued = X509_NAME_cmp(X509_get_subject_name(c->x), X509_get_issuer_name(c->x)) == 0;

    if ((scope_oid = OBJ_txt2obj(SKL_CERT_SCOPE_OID, 1)) == NULL) {
        skl_cert_int_say_ossl(why, whylen, "cannot make the scope OID");
        err = SKL_ERR_NOMEM;
        goto out;
    }
    if ((err = extensions_read(c, scope_oid, why, whylen)) != SKL_OK)
        goto out;

    *out = c;
    c = NULL;
    err = SKL_OK;
out:
    ASN1_OBJECT_free(scope_oid);
    skl_cert_free(c);
    ERR_clear_error();
    return err;
}

void
skl_cert_free(skl_cert *c)
{
    if (c == NULL)
        return;
    X509_free(c->x);
    free(c->der);
    free(c->name);
    free(c->scope);
    free(c);
}

/* ---------------------------------------------------------------- accessors */

int
skl_cert_valid_at(const skl_cert *c, int64_t t)
{
    return c != NULL && c->not_before <= t && t <= c->not_after;
}

const uint8_t *
skl_cert_public_key(const skl_cert *c)
{
    return c->pub;
}

const char *
skl_cert_name(const skl_cert *c)
{
    return c->name;
}

int64_t
skl_cert_not_before(const skl_cert *c)
{
    return c->not_before;
}

int64_t
skl_cert_not_after(const skl_cert *c)
{
    return c->not_after;
}

const char *
skl_cert_serial(const skl_cert *c)
{
    return c->serial;
}

const char *
skl_cert_scope(const skl_cert *c)
{
    return c->scope;
}

const uint8_t *
skl_cert_der(const skl_cert *c, size_t *len)
{
    if (len != NULL)
        *len = c->derlen;
    return c->der;
}

/* PEM text of der[0..n): 64-column base64 lines, LF line ends. */
skl_err
skl_cert_int_pem_encode(char **pem, size_t *len, const uint8_t *der, size_t n)
{
    skl_buf b64 = SKL_BUF_INIT, b = SKL_BUF_INIT;
    skl_err err = SKL_ERR_NOMEM;

    if (skl_buf_base64(&b64, der, n) != 0)
        goto out;
    skl_buf_puts(&b, "-----BEGIN CERTIFICATE-----\n");
    for (size_t i = 0; i < b64.len; i += 64) {
        skl_buf_append(&b, b64.data + i, b64.len - i < 64 ? b64.len - i : 64);
        skl_buf_putc(&b, '\n');
    }
    skl_buf_puts(&b, "-----END CERTIFICATE-----\n");
    if (!skl_buf_ok(&b))
        goto out;
    *pem = skl_buf_take(&b, len);
    err = SKL_OK;
out:
    skl_buf_free(&b64);
    skl_buf_free(&b);
    return err;
}

skl_err
skl_cert_pem(const skl_cert *c, char **pem, size_t *len)
{
    size_t dummy;

    if (pem != NULL)
        *pem = NULL;
    if (c == NULL || pem == NULL)
        return SKL_ERR_INVAL;
    return skl_cert_int_pem_encode(pem, len != NULL ? len : &dummy, c->der, c->derlen);
}

/* ---------------------------------------------------------------- verification */

static skl_err
no_unknown_critical(const skl_cert *c, char *why, size_t whylen)
{
    if (c->unknown_critical) {
        skl_why(why, whylen, "certificate has a critical extension skl does not know (%s)",
            c->unknown_oid);
        return SKL_ERR_VERIFY;
    }
    return SKL_OK;
}

skl_err
skl_cert_verify_root(const skl_cert *root, char *why, size_t whylen)
{
    skl_err err = SKL_ERR_VERIFY;

    skl_why(why, whylen, "%s", "");
    if (root == NULL)
        return SKL_ERR_INVAL;
    ERR_clear_error();
    if (!root->self_issued) {
        skl_why(why, whylen, "root \"%s\" is not self-issued (issuer differs from subject)",
            root->name);
    } else if (!root->is_ca || !root->bc_critical) {
        skl_why(why, whylen, "root \"%s\" is not a CA (basicConstraints critical CA:TRUE)", root->name);
    } else if (!root->has_ku || !(root->ku & KU_KEY_CERT_SIGN)) {
        skl_why(why, whylen, "root \"%s\" may not sign certificates (no keyCertSign)", root->name);
    } else if (root->scope != NULL) {
        skl_why(why, whylen, "root \"%s\" carries a scope extension", root->name);
    } else if (no_unknown_critical(root, why, whylen) != SKL_OK) {
        /* why already says it */
    } else if (X509_verify(root->x, X509_get0_pubkey(root->x)) != 1) {
        skl_cert_int_say_ossl(why, whylen, "root's self-signature does not verify");
    } else {
        err = SKL_OK;
    }
    ERR_clear_error();
    return err;
}

skl_err
skl_cert_verify_issued(const skl_cert *cert, const skl_cert *root, char *why, size_t whylen)
{
    skl_err err = SKL_ERR_VERIFY;

    skl_why(why, whylen, "%s", "");
    if (cert == NULL || root == NULL)
        return SKL_ERR_INVAL;
    ERR_clear_error();
    if (X509_NAME_cmp(X509_get_issuer_name(cert->x), X509_get_subject_name(root->x)) != 0) {
        skl_why(why, whylen, "certificate of \"%s\" was not issued by the authority root \"%s\"",
            cert->name, root->name);
    } else if (!root->is_ca || !root->has_ku || !(root->ku & KU_KEY_CERT_SIGN)) {
        skl_why(why, whylen, "the authority root \"%s\" is not a CA", root->name);
    } else if (X509_verify(cert->x, X509_get0_pubkey(root->x)) != 1) {
        skl_cert_int_say_ossl(why, whylen, "");
        skl_why(why, whylen, "certificate is not signed by the authority root \"%s\"", root->name);
    } else if (cert->is_ca) {
        skl_why(why, whylen, "issuer certificate of \"%s\" is a CA", cert->name);
    } else if (!cert->has_ku || !(cert->ku & KU_DIGITAL_SIGNATURE)) {
        skl_why(why, whylen, "issuer certificate of \"%s\" lacks digitalSignature", cert->name);
    } else if (cert->scope == NULL) {
        skl_why(why, whylen, "issuer certificate of \"%s\" has no scope extension", cert->name);
    } else if (no_unknown_critical(cert, why, whylen) == SKL_OK) {
        err = SKL_OK;
    }
    ERR_clear_error();
    return err;
}
