/*
 * skl/note.h - C2SP signed-note, tlog-checkpoint and tlog-cosignature (cosignature/v1).
 *
 * A signed note is a text ending in "\n", a blank line, then one or more signature lines
 * "— <key name> <base64(key ID (4 bytes, big-endian) || signature)>\n" (U+2014 EM DASH, a
 * space). Two signature types are supported, both Ed25519 through libsodium:
 *   0x01  Ed25519 over the note text (c2sp.org/signed-note), used by the log;
 *   0x04  cosignature/v1 (c2sp.org/tlog-cosignature): the signature bytes are an 8-byte
 *         big-endian POSIX time followed by an Ed25519 signature over
 *         "cosignature/v1\ntime <decimal time>\n" || note text. The log adds one of its own,
 *         which dates the checkpoint; witnesses add theirs.
 * Key ID = first 4 bytes (big-endian) of SHA-256(key name || 0x0A || type || public key).
 * A verifier key ("vkey") is "<name>+<8 lowercase hex key ID>+<base64(type || public key)>".
 * The checkpoint body (c2sp.org/tlog-checkpoint) is "<origin>\n<size>\n<base64 root>\n"
 * followed by optional non-empty extension lines. spec/notes.md gives the bytes.
 *
 * Secret keys are libsodium Ed25519 secret keys (64 bytes: seed || public key), owned and
 * wiped by the caller; the two halves must belong together.
 *
 * Thread safety: every function is reentrant; a parsed skl_note is immutable and may be
 * read from several threads at once.
 */
#ifndef SKL_NOTE_H
#define SKL_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_NOTE_MAX_LEN 65536 /* bytes in a whole signed note */
#define SKL_NOTE_MAX_SIGS 100  /* signature lines in a note */
#define SKL_NOTE_NAME_MAX 255  /* bytes in a key name we sign or verify with */
#define SKL_NOTE_KEY_ED25519 0x01
#define SKL_NOTE_KEY_COSIGNATURE 0x04
#define SKL_NOTE_ED25519_SIGLEN 64     /* signature bytes after the key ID, type 0x01 */
#define SKL_NOTE_COSIGNATURE_SIGLEN 72 /* timestamp (8) || Ed25519 signature (64), type 0x04 */

/* A public key that checks signature lines: fill it with skl_note_vkey_parse(). */
typedef struct skl_note_verifier {
    char name[SKL_NOTE_NAME_MAX + 1]; /* NUL-terminated key name */
    uint32_t key_id;
    uint8_t type; /* SKL_NOTE_KEY_ED25519 or SKL_NOTE_KEY_COSIGNATURE */
    uint8_t pub[32];
} skl_note_verifier;

/* ---- keys ---------------------------------------------------------------------------- */

/* The key ID of (name, type, pub): SHA-256(name || 0x0A || type || pub)[:4], big-endian.
 * name is NUL-terminated and is not checked here. */
uint32_t skl_note_key_id(const char *name, uint8_t type, const uint8_t pub[32]);

/* The verifier of v's name and key for signature lines of another type (e.g. the log's own
 * timestamped cosignature, type 0x04, beside its checkpoint signature, type 0x01). */
skl_note_verifier skl_note_verifier_for(const skl_note_verifier *v, uint8_t type);

/* Formats the vkey "<name>+<key ID as 8 lowercase hex>+<base64(type || pub)>" into a
 * NUL-terminated malloc'd string *out that the caller frees. Returns SKL_ERR_INVAL if name is
 * not a valid key name (non-empty, at most SKL_NOTE_NAME_MAX bytes of UTF-8, no '+', no
 * control character, no Unicode space) or type is neither 0x01 nor 0x04; SKL_ERR_NOMEM. */
skl_err skl_note_vkey_format(char **out, const char *name, uint8_t type, const uint8_t pub[32]);

/* Parses a NUL-terminated vkey into *v. Strict: the name follows the key-name rules above,
 * the key ID is exactly 8 lowercase hex digits, the key is canonical base64 of exactly
 * 33 bytes. Returns SKL_ERR_PARSE if malformed, SKL_ERR_LIMIT if the name is longer than
 * SKL_NOTE_NAME_MAX, SKL_ERR_KEY if the type is not 0x01 or 0x04 or the key ID is not the
 * one computed from name, type and key. *v is zeroed on any error. */
skl_err skl_note_vkey_parse(skl_note_verifier *v, const char *vkey);

/* Parses a NUL-terminated Go-style private key "PRIVATE+KEY+<name>+<8 hex key ID>+
 * <base64(type || 32-byte Ed25519 seed)>" (as in the C2SP and Go test vectors). On success
 * name (SKL_NOTE_NAME_MAX + 1 bytes) receives the key name, *type the type (0x01 or 0x04)
 * and sk the libsodium secret key (seed || public key) that skl_note_sign/cosign take; the
 * caller wipes sk. Errors as skl_note_vkey_parse(); outputs are zeroed on error. */
skl_err skl_note_skey_parse(char name[SKL_NOTE_NAME_MAX + 1], uint8_t *type, uint8_t sk[64],
                            const char *skey);

/* ---- signing ------------------------------------------------------------------------- */

/* Signs with Ed25519 (type 0x01) under key name `name` and secret key sk.
 * If in[0..len) parses as a signed note (skl_note_parse), its text is signed and the new
 * line is appended after the existing signature lines, replacing any line with the same
 * name and key ID. Otherwise in[0..len) must be a valid note text (non-empty, ends in "\n",
 * UTF-8, no control character but "\n") and the output is in || "\n" || signature line.
 * (A text that already has the shape of a signed note is therefore taken as one.)
 * *out is NUL-terminated, malloc'd, owned by the caller; *outlen its length.
 * Returns SKL_ERR_INVAL (NULL argument, bad name), SKL_ERR_PARSE (not a valid text),
 * SKL_ERR_LIMIT (input or output longer than SKL_NOTE_MAX_LEN, or more than
 * SKL_NOTE_MAX_SIGS lines), SKL_ERR_CRYPTO, SKL_ERR_NOMEM. */
skl_err skl_note_sign(char **out, size_t *outlen, const char *in, size_t len, const char *name,
                      const uint8_t sk[64]);

/* Appends a cosignature/v1 line (type 0x04) dated `timestamp` (POSIX seconds, at most
 * 2^63-1) to signed_note[0..len), which must parse as a signed note whose text is a
 * tlog-checkpoint (skl_checkpoint_parse). A line with the same name and key ID is replaced.
 * Output and errors as skl_note_sign(); SKL_ERR_INVAL also for a timestamp above 2^63-1,
 * SKL_ERR_PARSE also for a text that is not a checkpoint. */
skl_err skl_note_cosign(char **out, size_t *outlen, const char *signed_note, size_t len,
                        const char *name, const uint8_t sk[64], uint64_t timestamp);

/* ---- parsing and verifying ----------------------------------------------------------- */

typedef struct skl_note skl_note;

/* Parses s[0..len) as a signed note into a new *out (free with skl_note_free). Strict:
 * UTF-8 without control characters but "\n"; the text is everything up to and including
 * the "\n" before the last blank line; every line after it is "— <name> <base64>\n" with a
 * valid key name, canonical base64 of at least 5 bytes; no two lines share name and key ID.
 * Signatures are not verified here. Returns SKL_ERR_PARSE, SKL_ERR_LIMIT (len above
 * SKL_NOTE_MAX_LEN or more than SKL_NOTE_MAX_SIGS lines), SKL_ERR_INVAL, SKL_ERR_NOMEM. */
skl_err skl_note_parse(skl_note **out, const char *s, size_t len);

/* The signed text (ending in "\n", NUL-terminated, owned by n); *len gets its length if
 * len is not NULL. */
const char *skl_note_text(const skl_note *n, size_t *len);

/* Number of signature lines (1..SKL_NOTE_MAX_SIGS). */
size_t skl_note_sig_count(const skl_note *n);

/* The i-th signature line, in note order: its key name (NUL-terminated), key ID, and the
 * signature bytes after the key ID. Pointers stay owned by n. Any output may be NULL.
 * Returns SKL_ERR_NOTFOUND if i >= skl_note_sig_count(n), SKL_ERR_INVAL if n is NULL. */
skl_err skl_note_sig(const skl_note *n, size_t i, const char **name, uint32_t *key_id,
                     const uint8_t **sig, size_t *siglen);

/* Finds the signature line whose name and key ID are v's and verifies it against v->pub:
 * type 0x01 as Ed25519 over the text; type 0x04 as cosignature/v1, then *timestamp (if not
 * NULL) receives its time (it is set to 0 otherwise). Returns SKL_OK, SKL_ERR_NOTFOUND if
 * the note has no such line, SKL_ERR_VERIFY if the line does not verify (wrong length,
 * timestamp above 2^63-1, bad signature), SKL_ERR_KEY if v's type is unknown or its key ID
 * is not the one computed from its name, type and key, SKL_ERR_INVAL for NULL arguments. */
skl_err skl_note_verify(const skl_note *n, const skl_note_verifier *v, uint64_t *timestamp)
    __attribute__((warn_unused_result));

/* Frees n; NULL is fine. */
void skl_note_free(skl_note *n);

/* ---- tlog-checkpoint ----------------------------------------------------------------- */

#define SKL_CHECKPOINT_ORIGIN_MAX 255 /* bytes in an origin line */
#define SKL_CHECKPOINT_EXT_MAX 4096   /* bytes of extension lines, newlines included */

/* A checkpoint body. ext holds the extension lines verbatim (each non-empty, ending in
 * "\n"), ext_len bytes of them, NUL-terminated; ext_len is 0 when there are none. */
typedef struct skl_checkpoint {
    char origin[SKL_CHECKPOINT_ORIGIN_MAX + 1]; /* NUL-terminated */
    uint64_t size;
    uint8_t root[32];
    size_t ext_len;
    char ext[SKL_CHECKPOINT_EXT_MAX + 1];
} skl_checkpoint;

/* Formats cp as a checkpoint body "<origin>\n<size>\n<base64 root>\n<ext>" into a malloc'd,
 * NUL-terminated *out (caller frees), *outlen its length (outlen may be NULL). Returns
 * SKL_ERR_INVAL if the origin is empty, not NUL-terminated in its array, or not UTF-8
 * without control characters, or if ext is not well-formed extension lines;
 * SKL_ERR_NOMEM. */
skl_err skl_checkpoint_format(char **out, size_t *outlen, const skl_checkpoint *cp);

/* Parses a checkpoint body text[0..len) (e.g. skl_note_text()) into *cp. Strict: ends in
 * "\n"; UTF-8 without control characters but "\n"; a non-empty origin; a decimal size
 * without sign or leading zeros ("0" alone for the empty tree) that fits in 64 bits; a
 * root hash in canonical base64 of exactly 32 bytes; then non-empty extension lines.
 * Returns SKL_ERR_PARSE, SKL_ERR_LIMIT (origin or extensions too long), SKL_ERR_INVAL.
 * *cp is zeroed on error. */
skl_err skl_checkpoint_parse(skl_checkpoint *cp, const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
