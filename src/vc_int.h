/*
 * vc_int.h - the credential fast path inside libskl (private).
 *
 * The ledger parses each credential once and signs or verifies the parsed value here,
 * reusing one scratch buffer per thread so that the hot path does not allocate.
 * Everything is reentrant; a scratch buffer must not be shared between threads.
 */
#ifndef SKL_VC_INT_H
#define SKL_VC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf_int.h"
#include "skl/json.h"
#include "skl/vc.h"

/* A signature check prepared by skl_vc_prepare_value(): the 64-byte hashData, the proof
 * value and the verification method's key. */
typedef struct skl_vc_sigcheck {
    uint8_t hash[64];
    uint8_t sig[64];
    uint8_t pub[32];
} skl_vc_sigcheck;

/*
 * skl_vc_verify_value() in two halves, so that a batch can run all its signature checks
 * back to back (the Ed25519 code then stays hot in the caches): every check but the
 * signature, filling sc, then the signature itself (SKL_OK or SKL_ERR_VERIFY with why).
 */
skl_err skl_vc_prepare_value(const skl_json_value *root, skl_vc_info *info, skl_vc_sigcheck *sc,
                             skl_buf *scratch, skl_buf *canon, char *why, size_t whylen);
__attribute__((warn_unused_result)) skl_err skl_vc_check_signature(const skl_vc_sigcheck *sc,
                                                                   char *why, size_t whylen);

/*
 * Verifies the parsed credential root as skl_vc_verify() does (all checks but the text
 * limit and the parse). On SKL_OK, info (if not NULL) is filled; its pointers point into
 * root's document and stay valid while it lives. scratch is working memory, reset here
 * and left holding unspecified bytes. When canon is not NULL it receives (reset first) the
 * canonical form of the whole signed credential, at little cost: the verification already
 * wrote all but the proof. Returns the same codes as skl_vc_verify().
 */
__attribute__((warn_unused_result)) skl_err skl_vc_verify_value(const skl_json_value *root,
                                                                skl_vc_info *info, skl_buf *scratch,
                                                                skl_buf *canon, char *why,
                                                                size_t whylen);

/*
 * Signs the parsed unsigned credential root as skl_vc_sign() does and appends the
 * canonical signed credential to out (no NUL counted; out->len grows by its length).
 * sk is libsodium's 64-byte secret key (seed || public key, not re-derived); vm its
 * verification method "did:key:<mk>#<mk>" when the caller has it (skl_key_verification_method),
 * or NULL to derive it here. On failure out keeps its old length. Returns the same codes
 * as skl_vc_sign().
 */
skl_err skl_vc_sign_value(skl_buf *out, const skl_json_value *root, const uint8_t sk[64],
                          const char *vm, const char *created, skl_buf *scratch, char *why,
                          size_t whylen);

/*
 * For tests and diagnostics: writes the two texts an eddsa-jcs-2022 proof of the signed
 * credential root hashes, exactly as verification builds them: the canonical credential
 * without its proof (with @context replaced by the proof's, when it has one) to doc, and
 * the canonical proof configuration to config (both reset first). Runs every check of
 * skl_vc_verify_value() except the signature. Returns its codes.
 */
skl_err skl_vc_proof_inputs(skl_buf *doc, skl_buf *config, const skl_json_value *root, char *why,
                            size_t whylen);

/* --- Multibase base58btc, Multikey and did:key (did_key.c) ----------------------------- */

/*
 * Appends 'z' + base58btc(p[0..n)), n <= 128. A word-at-a-time encoder: about ten times
 * faster than skl_buf_base58() for a 64-byte signature, which matters when signing.
 * Returns 0, or -1 when out of memory or n is too large.
 */
int skl_multibase_append(skl_buf *b, const uint8_t *p, size_t n);

/*
 * Decodes "z" + base58btc text s[0..n) into out[0..outcap): same strict rules as
 * skl_base58_decode() (leading '1's are zero bytes), word-at-a-time. Returns 0, or -1.
 */
int skl_multibase_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *s, size_t n);

/* Writes the Ed25519 Multikey of pub ("z6Mk...", always SKL_MULTIKEY_LEN bytes) and a NUL. */
void skl_multikey_write(char out[SKL_MULTIKEY_LEN + 1], const uint8_t pub[32]);

/* Appends the Ed25519 Multikey of pub. 0, or -1 when out of memory. */
int skl_multikey_append(skl_buf *b, const uint8_t pub[32]);

/*
 * Decodes an Ed25519 did:key from s[0..n) (not NUL-terminated; a NUL byte inside is
 * refused). With need_fragment, only the verification method URL "did:key:<mk>#<mk>" is
 * accepted; without, the fragment is optional. On failure returns SKL_ERR_KEY and, if
 * reason is not NULL, sets *reason to a static phrase such as "fragment does not match
 * the key".
 */
skl_err skl_did_key_parse(uint8_t pub[32], const char *s, size_t n, int need_fragment,
                          const char **reason);

#endif
