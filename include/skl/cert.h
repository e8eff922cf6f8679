/*
 * skl/cert.h - X.509 certificates of the accreditation authority and its issuers.
 *
 * The district authority holds a self-signed root certificate (the trust anchor). It
 * accredits each issuer (a training provider, an evaluation body, ...) with an issuer
 * certificate: the issuer's Ed25519 public key, its registered name, and a critical scope
 * extension that says what the issuer may certify. Every key and every signature is
 * Ed25519. The profiles, byte by byte, are in spec/certificates.md.
 *
 * The scope extension (OID SKL_CERT_SCOPE_OID) is critical, so that software that does
 * not understand it refuses the certificate rather than take it as unrestricted. Its
 * extnValue is the DER of a UTF8String holding the RFC 8785 canonical JSON of the scope
 * object (spec/kinds.md "Scope"). This module checks only that it is a canonical JSON
 * object; what it allows is decided elsewhere.
 *
 * Names are UTF-8. Times are int64 Unix seconds, UTC.
 * Errors come with one line of detail in why[0..whylen) (which may be NULL); OpenSSL's own
 * error text is folded in there. The library never prints.
 *
 * Thread safety: a parsed certificate is immutable and may be read from several threads at
 * once; free it once, when no one else uses it. Functions here empty the calling thread's
 * OpenSSL error queue (its text goes into why) and change no global OpenSSL state.
 */
#ifndef SKL_CERT_H
#define SKL_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The scope extension's OID: 2.25.<UUID as a decimal integer> (ITU-T X.667). */
#define SKL_CERT_SCOPE_OID "2.25.88465275885521490171536814722788476077"
/* Largest certificate skl_cert_parse() reads, in bytes (PEM or DER). */
#define SKL_CERT_MAX_LEN 16384
/* Largest scope (its canonical JSON), in bytes. */
#define SKL_CERT_SCOPE_MAX 4096
/* Longest subject name: X.509's upper bound for CN and O, in Unicode code points; and in
 * bytes of UTF-8. */
#define SKL_CERT_NAME_MAX_CHARS 64
#define SKL_CERT_NAME_MAX_BYTES 256

typedef struct skl_cert skl_cert;

/*
 * Makes the authority's self-signed root certificate for key, named name, valid from
 * not_before to not_after inclusive (0 <= not_before < not_after <= 9999-12-31T23:59:59Z).
 * Subject and issuer are O=<name>, CN=<name> (UTF8String); the serial number is 16 random
 * bytes; extensions: basicConstraints critical CA:TRUE pathlen:0, keyUsage critical
 * keyCertSign cRLSign, subjectKeyIdentifier (SHA-1 of the public key).
 * name: 1..SKL_CERT_NAME_MAX_CHARS code points of UTF-8, no control or invisible
 * formatting characters, no leading or trailing space.
 * On success *pem is a new malloc'd NUL-terminated PEM text of *pemlen bytes (NUL not
 * counted) that the caller frees; on failure *pem is NULL.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument, bad name or times), SKL_ERR_NOMEM or
 * SKL_ERR_CRYPTO.
 */
skl_err skl_cert_make_root(char **pem, size_t *pemlen, const skl_key *key, const char *name,
                           int64_t not_before, int64_t not_after, char *why, size_t whylen);

/*
 * Makes an issuer certificate signed by the authority: subject O=<subject_name>,
 * CN=<subject_name> (same rule as skl_cert_make_root()'s name), issuer = root's subject,
 * public key subject_pub (Ed25519, 32 bytes), serial 16 random bytes; extensions:
 * basicConstraints critical CA:FALSE, keyUsage critical digitalSignature,
 * authorityKeyIdentifier (root's key id), and the critical scope extension holding the
 * canonical form of scope_json[0..scope_len) (a JSON object, at most SKL_CERT_SCOPE_MAX
 * bytes before and after canonicalisation).
 * root must pass skl_cert_verify_root(); authority must be root's key; the validity
 * not_before..not_after (not_before < not_after) must lie within the root's.
 * Owns *pem as skl_cert_make_root().
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument, bad name, bad times or times outside the
 * root's), SKL_ERR_KEY (authority is not root's key), SKL_ERR_VERIFY (root is not a valid
 * root), SKL_ERR_PARSE (scope is not JSON), SKL_ERR_SCHEMA (scope is not an object),
 * SKL_ERR_LIMIT (scope too long), SKL_ERR_NOMEM or SKL_ERR_CRYPTO.
 */
skl_err skl_cert_issue(char **pem, size_t *pemlen, const skl_key *authority, const skl_cert *root,
                       const uint8_t subject_pub[32], const char *subject_name, int64_t not_before,
                       int64_t not_after, const char *scope_json, size_t scope_len, char *why,
                       size_t whylen);

/*
 * Parses one certificate from data[0..len): either PEM (exactly one "CERTIFICATE" block,
 * with nothing but white space around it) or DER (one Certificate, no trailing bytes).
 * Strict: X.509 v3; an Ed25519 subject public key; Ed25519 as both signature algorithms
 * (without parameters); a positive serial of at most 20 octets; UTCTime before 2050 and
 * GeneralizedTime from 2050, both in seconds with 'Z'; subject and issuer non-empty, every
 * attribute a UTF8String (or PrintableString) of valid UTF-8, at most one O and one CN;
 * no unique identifiers; no duplicate or malformed extensions; the scope extension, if
 * present, critical and a canonical JSON object. Signatures are NOT checked here.
 * On success *out is a new certificate (free with skl_cert_free()); else NULL.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument), SKL_ERR_LIMIT (len > SKL_CERT_MAX_LEN),
 * SKL_ERR_PARSE (not a well-formed certificate), SKL_ERR_SCHEMA (well formed but outside
 * the profile) or SKL_ERR_NOMEM.
 */
skl_err skl_cert_parse(skl_cert **out, const void *data, size_t len, char *why, size_t whylen);

/*
 * Checks that root is a valid authority root: issuer equals subject; basicConstraints
 * critical with CA:TRUE; keyUsage with keyCertSign; no scope extension and no other
 * critical extension skl does not know; the signature verifies under root's own key.
 * Does not check time (see skl_cert_valid_at()).
 * Returns SKL_OK, SKL_ERR_VERIFY (with why), or SKL_ERR_INVAL (NULL root).
 */
__attribute__((warn_unused_result)) skl_err skl_cert_verify_root(const skl_cert *root, char *why,
                                                                 size_t whylen);

/*
 * Checks that cert is an issuer certificate of the authority root: cert's issuer name equals
 * root's subject; root is a CA with keyCertSign; cert's signature verifies under root's
 * key; cert is not a CA; its keyUsage has digitalSignature; it has the scope extension;
 * it has no other critical extension skl does not know. Does not check root's own
 * signature (skl_cert_verify_root()) nor time (skl_cert_valid_at()).
 * Returns SKL_OK, SKL_ERR_VERIFY with why such as
 * "certificate is not signed by the authority root \"...\"", or SKL_ERR_INVAL (NULL).
 */
__attribute__((warn_unused_result)) skl_err
skl_cert_verify_issued(const skl_cert *cert, const skl_cert *root, char *why, size_t whylen);

/* 1 if not_before <= t <= not_after (both inclusive, as RFC 5280 says), else 0. */
int skl_cert_valid_at(const skl_cert *c, int64_t t);

/* The 32-byte Ed25519 public key of c, owned by c. */
const uint8_t *skl_cert_public_key(const skl_cert *c);

/* The subject's name (its O, or its CN if it has no O), UTF-8, NUL-terminated, owned by c. */
const char *skl_cert_name(const skl_cert *c);

/* The start and end of c's validity, Unix seconds UTC. */
int64_t skl_cert_not_before(const skl_cert *c);
int64_t skl_cert_not_after(const skl_cert *c);

/* c's serial number in lower-case hex without leading zero octets, owned by c. */
const char *skl_cert_serial(const skl_cert *c);

/* c's scope as canonical JSON, NUL-terminated, owned by c; NULL if c has none (a root). */
const char *skl_cert_scope(const skl_cert *c);

/* c's DER encoding (exactly the bytes parsed), *len bytes, owned by c. len may be NULL. */
const uint8_t *skl_cert_der(const skl_cert *c, size_t *len);

/*
 * Writes c as PEM into a new malloc'd NUL-terminated buffer *pem of *len bytes (NUL not
 * counted) that the caller frees. len may be NULL.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL c or pem) or SKL_ERR_NOMEM.
 */
skl_err skl_cert_pem(const skl_cert *c, char **pem, size_t *len);

/* Frees c. Accepts NULL. */
void skl_cert_free(skl_cert *c);

#ifdef __cplusplus
}
#endif
#endif
