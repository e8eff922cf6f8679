/*
 * skl/key.h - Ed25519 signing keys and their secret key files.
 *
 * A key is an Ed25519 key pair (libsodium) with a name. The name is also the key name
 * of C2SP signed notes, so it follows their rule: 1..SKL_KEY_NAME_MAX bytes of valid,
 * printable UTF-8 with no white space and no '+'.
 *
 * A secret key file is five lines of text (spec/keys.md). The seed is stored either in
 * clear or encrypted under a passphrase (Argon2id, then XSalsa20-Poly1305 secretbox).
 * Files are created 0600 with O_EXCL|O_NOFOLLOW and never overwritten.
 *
 * Secret material lives in sodium_malloc() memory that is read-only once the key is
 * built, and wiped by skl_key_free().
 *
 * Thread safety: a key is immutable once created and may be read from several threads
 * at once; it must be freed once, by one thread, when no one else uses it. Nothing is
 * shared between keys.
 */
#ifndef SKL_KEY_H
#define SKL_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest key name, in bytes (without the NUL). */
#define SKL_KEY_NAME_MAX 128
/* Sizes of the public key, the seed, and the libsodium secret key (seed || public). */
#define SKL_KEY_PUBLIC_BYTES 32
#define SKL_KEY_SEED_BYTES 32
#define SKL_KEY_SECRET_BYTES 64
/* Largest secret key file skl_key_load() reads, in bytes (a real one is at most 364). */
#define SKL_KEY_FILE_MAX 1024

typedef struct skl_key skl_key;

/*
 * Makes a new key pair from the system's random generator, named name.
 * On success *out owns the key (free with skl_key_free()); on failure *out is NULL.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument or invalid name), SKL_ERR_NOMEM, or
 * SKL_ERR_CRYPTO (libsodium could not initialise).
 */
skl_err skl_key_generate(skl_key **out, const char *name);

/*
 * Makes the key pair whose 32-byte Ed25519 seed is seed, named name. The caller keeps
 * seed (and should wipe it); the key holds its own copy.
 * Returns and owns as skl_key_generate().
 */
skl_err skl_key_from_seed(skl_key **out, const uint8_t seed[SKL_KEY_SEED_BYTES], const char *name);

/*
 * Writes k's secret key file to path. The file is created with
 * O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, written in full, and fsync'ed
 * (its directory too, where the system allows). An existing path, including a
 * symbolic link (dangling or not), is never touched.
 * passphrase NULL or "" stores the seed in clear ("kdf: none"); otherwise the seed is
 * encrypted with a key derived by Argon2id (opslimit 3, memlimit 64 MiB, random salt).
 * If writing fails after the file was created, the partial file is removed.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL k or path), SKL_ERR_EXISTS (path exists),
 * SKL_ERR_IO, SKL_ERR_NOMEM (also when Argon2id cannot get its memory), or SKL_ERR_CRYPTO.
 */
skl_err skl_key_save(const skl_key *k, const char *path, const char *passphrase);

/*
 * Reads the secret key file at path and returns its key in *out (free with
 * skl_key_free()); on failure *out is NULL. path must be a regular file and not a
 * symbolic link; at most SKL_KEY_FILE_MAX bytes are read. The file must follow
 * spec/keys.md exactly, and its public key must be the one derived from its seed.
 * passphrase is ignored for a clear file; an encrypted file needs the passphrase it
 * was saved with. Every intermediate secret is wiped before return.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL out or path), SKL_ERR_NOTFOUND (no such file),
 * SKL_ERR_IO (cannot open or read it, a symbolic link, not a regular file),
 * SKL_ERR_KEY (malformed, out-of-bounds KDF parameters, or the public key does not
 * match the seed), SKL_ERR_PASSPHRASE (encrypted and passphrase NULL or "", or the
 * passphrase is wrong, or the ciphertext was altered), SKL_ERR_NOMEM, SKL_ERR_CRYPTO.
 */
__attribute__((warn_unused_result)) skl_err skl_key_load(skl_key **out, const char *path,
                                                         const char *passphrase);

/*
 * Checks the secret key file at path as skl_key_load() does, without decrypting it.
 * Returns 1 if its seed is encrypted, 0 if it is in clear, or a negative skl_err as
 * skl_key_load() would (never SKL_ERR_PASSPHRASE).
 */
int skl_key_file_is_encrypted(const char *path);

/* The 32-byte Ed25519 public key of k, owned by k and valid until skl_key_free(k). */
const uint8_t *skl_key_public(const skl_key *k);

/*
 * The 64-byte libsodium Ed25519 secret key of k (seed || public key), for
 * crypto_sign_detached(). It lives in read-only guarded memory owned by k and is valid
 * until skl_key_free(k). Do not copy it into ordinary memory.
 */
const uint8_t *skl_key_secret(const skl_key *k);

/* The NUL-terminated name of k, owned by k and valid until skl_key_free(k). */
const char *skl_key_name(const skl_key *k);

/* Wipes and frees k. Accepts NULL. */
/* The key's did:key ("did:key:z6Mk...") and its verification method
 * ("did:key:z6Mk...#z6Mk..."), as credentials name it. Valid until skl_key_free(). */
const char *skl_key_did(const skl_key *k);
const char *skl_key_verification_method(const skl_key *k);

void skl_key_free(skl_key *k);

#ifdef __cplusplus
}
#endif
#endif
