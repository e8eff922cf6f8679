/*
 * skl/vc.h - W3C Verifiable Credentials 2.0 secured with a Data Integrity proof of
 * cryptosuite "eddsa-jcs-2022" (RFC 8785 canonical JSON, SHA-256, Ed25519), and the
 * did:key / Multikey encoding of Ed25519 public keys.
 *
 * The exact proof profile skl signs and accepts is spec/credential-proof.md. In short:
 * one DataIntegrityProof object (no proof sets or chains) with exactly the members
 * type, cryptosuite, created, verificationMethod (did:key:<mk>#<mk>), proofPurpose
 * ("assertionMethod"), proofValue and optionally @context.
 *
 * Keys: secret keys are libsodium's 64-byte Ed25519 form (32-byte seed || 32-byte public
 * key); public keys are 32 bytes. Call skl_init() (or sodium_init()) once before signing.
 *
 * Thread safety: every function here is reentrant and keeps no global state; distinct
 * calls may run on different threads at once.
 */
#ifndef SKL_VC_H
#define SKL_VC_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest signed credential skl accepts, counted in RFC 8785 canonical bytes (well
 * under a tlog tile entry's 65535). */
#define SKL_VC_MAX_LEN 32768
/* The largest JSON text skl_vc_sign() and skl_vc_verify() read: room for indentation
 * around a credential of SKL_VC_MAX_LEN canonical bytes. */
#define SKL_VC_MAX_TEXT (4 * SKL_VC_MAX_LEN)

#define SKL_VC_CONTEXT_V2 "https://www.w3.org/ns/credentials/v2"
#define SKL_VC_CRYPTOSUITE "eddsa-jcs-2022"

/* Length of an Ed25519 Multikey ("z6Mk" + 44 more characters), without the NUL. */
#define SKL_MULTIKEY_LEN 48
/* Length of "did:key:<multikey>" and of "did:key:<multikey>#<multikey>", without the NUL. */
#define SKL_DID_KEY_LEN (8 + SKL_MULTIKEY_LEN)
#define SKL_DID_KEY_VM_LEN (SKL_DID_KEY_LEN + 1 + SKL_MULTIKEY_LEN)

/* What a verified credential says about itself. */
typedef struct skl_vc_info {
    const char *id;                  /* credential "id", or NULL when it has none */
    const char *issuer;              /* "issuer" when a string, else "issuer"."id" */
    const char *verification_method; /* proof.verificationMethod */
    const char *created;             /* proof.created */
    uint8_t public_key[32];          /* the Ed25519 key of proof.verificationMethod */
} skl_vc_info;

/* --- did:key and Multikey (Ed25519 only) ------------------------------------------------ */

/*
 * Encodes pub as an Ed25519 Multikey: 'z' + base58btc(0xed 0x01 || pub), "z6Mk...".
 * On success *out is a new NUL-terminated string the caller frees with free().
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument) or SKL_ERR_NOMEM.
 */
skl_err skl_multikey_encode(char **out, const uint8_t pub[32]);

/*
 * Decodes an Ed25519 Multikey ("z6Mk...") into pub. Refuses any other multibase than
 * 'z', characters outside the base58btc alphabet, any multicodec but ed25519-pub (0xed01)
 * and any key length but 32 bytes. Returns SKL_OK, SKL_ERR_INVAL or SKL_ERR_KEY.
 */
skl_err skl_multikey_decode(uint8_t pub[32], const char *s);

/*
 * Encodes pub as the DID "did:key:z6Mk..." (no fragment). On success *out is a new
 * NUL-terminated string the caller frees with free(). Returns SKL_OK, SKL_ERR_INVAL or
 * SKL_ERR_NOMEM.
 */
skl_err skl_did_key_encode(char **out, const uint8_t pub[32]);

/*
 * Decodes "did:key:<mk>" or the verification method URL "did:key:<mk>#<mk>" (the fragment
 * must equal <mk>) into pub, where <mk> is an Ed25519 Multikey as above.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument) or SKL_ERR_KEY (anything else).
 */
skl_err skl_did_key_decode(uint8_t pub[32], const char *s);

/* --- credentials ------------------------------------------------------------------------ */

/*
 * Signs an unsigned credential. Parses json[0..len) (at most SKL_VC_MAX_TEXT bytes),
 * refuses a document that already has "proof" or is not VC 2.0 shaped (see
 * skl_vc_verify), and adds a DataIntegrityProof with cryptosuite "eddsa-jcs-2022",
 * created (the given "YYYY-MM-DDThh:mm:ssZ", or the current UTC time when created is
 * NULL), verificationMethod "did:key:<mk>#<mk>" of key, proofPurpose "assertionMethod",
 * "@context" copied from the credential, and proofValue.
 *
 * On success *out is the signed credential in RFC 8785 canonical form, NUL-terminated,
 * *outlen bytes (NUL not counted), malloc'd for the caller to free(). On failure *out is
 * NULL and why[0..whylen) (if why is not NULL) gets a one-line reason.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument or malformed created), SKL_ERR_PARSE (not
 * JSON), SKL_ERR_SCHEMA (not a credential, or already signed), SKL_ERR_LIMIT (input text
 * over SKL_VC_MAX_TEXT, or signed credential over SKL_VC_MAX_LEN), SKL_ERR_CRYPTO or
 * SKL_ERR_NOMEM.
 */
skl_err skl_vc_sign(char **out, size_t *outlen, const char *json, size_t len, const skl_key *key,
                    const char *created, char *why, size_t whylen);

/*
 * Verifies a secured credential on its own, with no ledger and no trust policy.
 * Checks, in this order:
 *  - json[0..len) is JSON of at most SKL_VC_MAX_TEXT bytes       (SKL_ERR_LIMIT/PARSE);
 *  - VC 2.0 shape: an object whose "@context" is an array starting with
 *    "https://www.w3.org/ns/credentials/v2", whose "type" includes "VerifiableCredential",
 *    with an "issuer" (URL string, or object with a string "id"), a "credentialSubject"
 *    (object or non-empty array of objects), and a string "id" if any     (SKL_ERR_SCHEMA);
 *  - exactly one proof object (a proof array/set is refused), with only the profile's
 *    members: type "DataIntegrityProof", cryptosuite "eddsa-jcs-2022", proofPurpose
 *    "assertionMethod", created an XML Schema dateTimeStamp, verificationMethod an
 *    Ed25519 did:key URL, proofValue 'z' + base58btc of 64 bytes, optional @context
 *                                                                          (SKL_ERR_SCHEMA);
 *  - the canonical signed credential is at most SKL_VC_MAX_LEN bytes       (SKL_ERR_LIMIT);
 *  - if the proof has "@context", the credential's "@context" starts with the same
 *    values in the same order                                              (SKL_ERR_VERIFY);
 *  - the Ed25519 signature over SHA-256(canon(proof config)) || SHA-256(canon(credential
 *    without proof))                                                      (SKL_ERR_VERIFY).
 * Returns SKL_OK only when all hold; why[0..whylen) (if why is not NULL) gets a one-line
 * reason otherwise, e.g. "proof.cryptosuite is \"x\", expected \"eddsa-jcs-2022\"" or
 * "signature does not verify". SKL_ERR_NOMEM and SKL_ERR_INVAL are also possible.
 *
 * SKL_OK says that the holder of the verificationMethod key signed this credential; it
 * says nothing about who the issuer is: binding "issuer" to that key is the caller's policy.
 *
 * info may be NULL. Since the parsed document is freed before returning, this function
 * fills only info->public_key; its four string pointers are set to NULL. (Inside libskl,
 * skl_vc_verify_value() in vc_int.h fills them all from an already parsed document.)
 */
__attribute__((warn_unused_result)) skl_err
skl_vc_verify(const char *json, size_t len, skl_vc_info *info, char *why, size_t whylen);

#ifdef __cplusplus
}
#endif
#endif
