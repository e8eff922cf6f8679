/*
 * skl/witness.h - a C2SP tlog-witness (c2sp.org/tlog-witness) without HTTP.
 *
 * The log asks a witness to cosign its checkpoint with an add-checkpoint request:
 *
 *     "old " <size the witness last cosigned, decimal> LF
 *     <0..63 consistency proof hashes, base64, one a line> LF each
 *     LF
 *     <the signed checkpoint note>
 *
 * The witness checks the log's signature, that the old size is the one it holds for that
 * origin, and the RFC 6962 consistency proof from the tree it holds to the new one; then it
 * records the new size and root and answers with its cosignature/v1 line(s). Here request
 * and response are byte strings (files for the CLI), and each refusal the spec answers with
 * an HTTP status is an skl_err plus a one-line reason naming that status:
 *
 *     400 Bad Request           SKL_ERR_PARSE     malformed request, old size above the
 *                                                 checkpoint size, proof lines with old 0
 *     403 Forbidden             SKL_ERR_KEY       no valid signature by the log's key
 *     404 Not Found             SKL_ERR_NOTFOUND  the checkpoint's origin is not the log's
 *     409 Conflict              SKL_ERR_STATE     old size is not the witness's size (also a
 *                                                 rollback), or same size but another root
 *     422 Unprocessable Entity  SKL_ERR_VERIFY    the consistency proof does not verify
 *
 * The witness's memory is a small state file it owns (spec/witness.md): per origin, the
 * log's vkey and the size and root hash it last cosigned, as a note signed by the witness
 * key, so that any change to it is detected. It is read and replaced under an exclusive lock
 * (flock on "<state>.lock"), written to a temporary file created 0600, fsync'ed and renamed
 * over the old one: checking and recording are one atomic step, as the spec requires.
 *
 * Thread safety: every function is reentrant. Concurrent cosign calls on one state file,
 * from threads or processes, are serialised by the lock file.
 */
#ifndef SKL_WITNESS_H
#define SKL_WITNESS_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/key.h"
#include "skl/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The spec's bound on consistency proof lines in one request. */
#define SKL_WITNESS_MAX_PROOF 63
/* How far ahead of the witness's clock a log may date a checkpoint (its timestamped
 * cosignature by its own key), in seconds. */
#define SKL_WITNESS_MAX_SKEW 3600
/* Largest request read: old line, 63 proof lines, blank line, a note of SKL_NOTE_MAX_LEN. */
#define SKL_WITNESS_REQUEST_MAX (32 + 63 * 45 + 1 + 65536)

/*
 * Log side: builds the add-checkpoint request for checkpoint_note[0..note_len), a signed
 * checkpoint of ledger l (e.g. from skl_ledger_checkpoint()), from old_size, the size the
 * witness last cosigned (0 on first contact, then no proof lines are sent). The proof comes
 * from skl_ledger_consistency_proof(l, old_size, size); old_size == size sends none.
 * *out is malloc'd, NUL-terminated, owned by the caller; *outlen its length.
 * Returns SKL_OK; SKL_ERR_INVAL (NULL argument, old_size above the checkpoint's size);
 * the note or checkpoint parser's error (SKL_ERR_PARSE, SKL_ERR_LIMIT); SKL_ERR_STATE (the
 * checkpoint's origin is not l's, its size is beyond l, or its root is not l's root at that
 * size); SKL_ERR_LIMIT (a proof of more than 63 hashes); the ledger's error; SKL_ERR_NOMEM.
 */
skl_err skl_witness_request(char **out, size_t *outlen, skl_ledger *l, uint64_t old_size,
                            const char *checkpoint_note, size_t note_len);

/*
 * Witness side: answers the add-checkpoint request[0..reqlen) for the log whose Ed25519
 * (type 0x01) vkey is log_vkey, keeping state in the file state_path (created 0600 if
 * missing: a missing file is a witness that has cosigned nothing yet).
 *
 * Checks, in this order: the request's shape (400); the checkpoint's origin is the name of
 * log_vkey (404); the note carries a valid signature by log_vkey, and the state holds the
 * origin under that same vkey (403); if the log dated the checkpoint (a valid timestamped
 * cosignature by its own key, as skl ledgers do), that date is at most SKL_WITNESS_MAX_SKEW
 * after `now` (403: a future date would stretch every verifier's max-age); old <= size
 * (400); old == the size the state holds for the origin, 0 if none (409); then, from the
 * stored (size, root): an equal size needs the equal root (409, a fork) and no proof lines
 * (422), a larger one a consistency proof that verifies (422); old 0 takes no proof lines
 * (400). Then it cosigns the note with
 * skl_note_cosign() under witness_key's name (skl_key_name()) dated `now`, records the new
 * size and root (unless unchanged), and only then returns.
 *
 * On SKL_OK, *response (malloc'd, NUL-terminated, the caller's) is the witness's signature
 * line "— <name> <base64>\n", *resplen its length. On the old-size conflict (409),
 * *response is the spec's 409 body instead: the witness's size in decimal and "\n". On any
 * other error *response is NULL. why (whylen bytes, may be NULL) receives a one-line reason
 * on error, starting with the HTTP status for refusals, e.g. "conflict (409): the witness
 * has size 12, the request says old 5"; "" on success.
 *
 * Returns SKL_OK, a refusal (SKL_ERR_PARSE, SKL_ERR_KEY, SKL_ERR_NOTFOUND, SKL_ERR_STATE,
 * SKL_ERR_VERIFY: see skl_witness_http_status()), or an operational error: SKL_ERR_INVAL
 * (NULL argument, now < 0, log_vkey not a valid type 0x01 vkey), SKL_ERR_CORRUPT (the state
 * file is malformed or not signed by witness_key), SKL_ERR_LIMIT (the state file would
 * exceed SKL_NOTE_MAX_LEN), SKL_ERR_IO, SKL_ERR_NOMEM, SKL_ERR_CRYPTO.
 */
skl_err skl_witness_cosign(char **response, size_t *resplen, const char *state_path,
                           const skl_key *witness_key, const char *log_vkey, const char *request,
                           size_t reqlen, int64_t now, char *why, size_t whylen)
    __attribute__((warn_unused_result));

/* The HTTP status tlog-witness assigns to a result of skl_witness_cosign(): 200 for SKL_OK,
 * 400, 403, 404, 409 or 422 for the refusals listed above, 500 for anything else. */
int skl_witness_http_status(skl_err r);

/*
 * Log side: adds the witness's response[0..resplen) (one or more cosignature/v1 lines,
 * "— <name> <base64 of 76 bytes>\n" each) to the signed note[0..len), so the log keeps the
 * witnessed checkpoint. A line of the note with the same name and key ID as a response line
 * is replaced; the others keep their order and bytes, and the response's lines go last.
 * The lines are not verified here (no witness key is known): verify the result with
 * skl_note_verify() and the witness's type 0x04 vkey.
 * *out is malloc'd, NUL-terminated, the caller's; *outlen its length.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument), SKL_ERR_PARSE (note not a signed note, or
 * response empty or not signature lines of cosignature length), SKL_ERR_LIMIT (the result
 * exceeds SKL_NOTE_MAX_LEN or SKL_NOTE_MAX_SIGS), SKL_ERR_NOMEM.
 */
skl_err skl_witness_add_cosignature(char **out, size_t *outlen, const char *note, size_t len,
                                    const char *response, size_t resplen);

#ifdef __cplusplus
}
#endif
#endif
