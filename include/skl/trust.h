/*
 * skl/trust.h - the employer's trust policy: which log, which witnesses, which authority.
 *
 * An employer verifies a worker's bundle offline against a trust policy installed
 * beforehand. The policy is one self-contained text file (spec/trust-policy.md), a C2SP
 * tlog-policy (c2sp.org/tlog-policy) with skl's additions:
 *
 *     log <vkey> [<url>]                      exactly one; Ed25519 (type 0x01); its key
 *                                             name is the log's origin
 *     witness <name> <vkey> [<url>]           cosignature/v1 keys (type 0x04)
 *     group <name> <k|all|any> <member>...    k-of-n over witnesses and earlier groups
 *     quorum <name|none>                      exactly one
 *     authority-cert <base64 DER>             the authority's root certificate, 1..4
 *     max-age <n>(s|m|h|d)                    oldest checkpoint accepted, at most one
 *
 * Parsing is strict and bounded; every refusal says "line N: reason" in why.
 *
 * Thread safety: a parsed skl_trust is immutable; every accessor may be called from several
 * threads at once. Free it once, when no one else uses it. Functions here keep no state.
 */
#ifndef SKL_TRUST_H
#define SKL_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "skl/cert.h"
#include "skl/err.h"
#include "skl/note.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_TRUST_MAX_LEN 65536                   /* bytes in a policy file */
#define SKL_TRUST_MAX_WITNESSES 64                /* witness lines */
#define SKL_TRUST_MAX_GROUPS 32                   /* group lines */
#define SKL_TRUST_MAX_AUTHORITIES 4               /* authority-cert lines */
#define SKL_TRUST_NAME_MAX 255                    /* bytes in a witness or group name */
#define SKL_TRUST_MAX_AGE_MAX (36500LL * 86400LL) /* largest max-age: 100 years, seconds */

typedef struct skl_trust skl_trust;

/*
 * Parses the policy text[0..len) (spec/trust-policy.md) into a new *out (free with
 * skl_trust_free()). Strict: at most SKL_TRUST_MAX_LEN bytes of UTF-8 with no control
 * character but tab and LF (no NUL, no CR: CRLF files are refused); known keywords only;
 * exactly one log of type 0x01; witnesses of type 0x04 with unique names and keys, none with
 * the log's key; groups naming only witnesses and groups defined on earlier lines, each
 * member once, 1 <= k <= n; exactly one quorum, written out even when it is "none"; 1 to
 * SKL_TRUST_MAX_AUTHORITIES distinct root certificates, each passing skl_cert_parse() and
 * skl_cert_verify_root() (their validity times are not checked here); at most one max-age.
 * URLs are accepted and ignored. On failure *out is NULL and why[0..whylen) (may be NULL)
 * gets "line N: reason"; a missing line is reported on the line after the last one.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL out or text), SKL_ERR_PARSE (malformed line, unknown
 * keyword, bad character, bad base64, threshold or duration), SKL_ERR_KEY (bad vkey, wrong
 * key type, duplicate key), SKL_ERR_SCHEMA (a rule above broken: two logs, no log, no
 * quorum, undefined or duplicate name, ...), SKL_ERR_LIMIT (too long, too many lines of a
 * kind), SKL_ERR_VERIFY (a certificate that is not a valid root), a code of
 * skl_cert_parse() for a certificate that does not parse, or SKL_ERR_NOMEM.
 */
skl_err skl_trust_parse(skl_trust **out, const char *text, size_t len, char *why, size_t whylen);

/* The log's verifier (type SKL_NOTE_KEY_ED25519), owned by t. Its name is the origin. */
const skl_note_verifier *skl_trust_log(const skl_trust *t);

/* The log's origin (the log vkey's key name), NUL-terminated, owned by t. */
const char *skl_trust_origin(const skl_trust *t);

/* Number of witnesses (0..SKL_TRUST_MAX_WITNESSES), in file order. */
size_t skl_trust_witnesses(const skl_trust *t);

/* The i-th witness's verifier (type SKL_NOTE_KEY_COSIGNATURE), owned by t; NULL if i is out
 * of range. Its name is the vkey's key name, which is what appears on cosignature lines. */
const skl_note_verifier *skl_trust_witness(const skl_trust *t, size_t i);

/* The i-th witness's name in the policy (the <name> of its witness line), owned by t; NULL
 * if i is out of range. This is the name skl_trust_quorum_met() takes; it may differ from
 * the key name of skl_trust_witness(t, i). */
const char *skl_trust_witness_name(const skl_trust *t, size_t i);

/*
 * 1 if the witnesses whose policy names (skl_trust_witness_name()) are names[0..n) satisfy
 * the quorum, else 0. The caller lists only witnesses whose cosignature it has verified.
 * Names that are not witnesses of t (group names included), NULL entries and repeats are
 * ignored, so a witness never counts twice. "quorum none" is always met. names may be NULL
 * when n is 0. Returns 0 if t is NULL.
 */
int skl_trust_quorum_met(const skl_trust *t, const char *const *names, size_t n)
    __attribute__((warn_unused_result));

/* The first authority root (file order), owned by t; verified with skl_cert_verify_root()
 * when parsed. Never NULL for a parsed policy. */
const skl_cert *skl_trust_authority(const skl_trust *t);

/* Number of authority roots (1..SKL_TRUST_MAX_AUTHORITIES), and the i-th of them (owned by
 * t; NULL if i is out of range). A verifier accepts an issuer chaining to any of them. */
size_t skl_trust_authorities(const skl_trust *t);
const skl_cert *skl_trust_authority_at(const skl_trust *t, size_t i);

/* The max-age in seconds (1..SKL_TRUST_MAX_AGE_MAX), or 0 if the policy sets none. */
int64_t skl_trust_max_age(const skl_trust *t);

/*
 * Writes a policy for the log log_vkey (type 0x01), the witnesses witness_names[i] with
 * witness_vkeys[i] (type 0x04) for i < nwitnesses, a quorum of quorum_threshold of them
 * ("quorum none" when 0; one group holds them all otherwise), the authority root
 * authority_pem[0..pem_len) (PEM or DER; written as base64 DER) and max_age seconds (0:
 * no max-age line). The output is checked by parsing it back with skl_trust_parse().
 * *out is a new malloc'd NUL-terminated text of *len bytes (len may be NULL) that the
 * caller frees; NULL on failure.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument, quorum_threshold > nwitnesses, max_age out
 * of range, a name with white space or a control character, or "none"), the codes of
 * skl_trust_parse() when the result does not parse (bad key, duplicate names, a root that
 * is not one, too many witnesses, ...), or SKL_ERR_NOMEM.
 */
skl_err skl_trust_format(char **out, size_t *len, const char *log_vkey,
                         const char *const *witness_names, const char *const *witness_vkeys,
                         size_t nwitnesses, unsigned quorum_threshold, const char *authority_pem,
                         size_t pem_len, int64_t max_age);

/* Frees t; NULL is fine. */
void skl_trust_free(skl_trust *t);

#ifdef __cplusplus
}
#endif
#endif
