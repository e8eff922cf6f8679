/*
 * skl/vault.h - the workers' vault: the only place personal data lives (spec/workers.md).
 *
 * The vault is three tables inside the ledger's SQLite file (vault_meta, workers,
 * worker_credentials). They are private to the operator: nothing the ledger publishes
 * (leaves, tiles, checkpoints) reads them. Each worker's record - id type, id number, name
 * and a 32-byte random secret - is sealed with XSalsa20-Poly1305 (secretbox) under a key
 * derived from the operator's passphrase by Argon2id; a worker is found by an HMAC-SHA256
 * of the id under another derived key, so the file holds no name or id number in clear.
 *
 * A credential names its worker only by a commitment: identityHash = "sha256$" +
 * hex(SHA-256(idType ":" idNumber salt)), where the salt is an HMAC of the credential id
 * under the worker's secret. Each credential gets its own salt, so two credentials of one
 * worker share no value. The salt stays secret until the worker discloses it; then anyone
 * checks it with skl_vault_check_commitment(), which needs no vault.
 *
 * Keys and decrypted records live only in sodium_malloc() memory owned by the vault and
 * are wiped after each call and by skl_vault_close(). Error detail (SQLite's message, the
 * credential id that was a duplicate) is in skl_ledger_errmsg() of the vault's ledger;
 * it never contains a name or an id number.
 *
 * Thread safety: a vault is used from one thread, the thread that uses its ledger, and
 * must be closed before its ledger. skl_vault_check_commitment() and
 * skl_vault_id_normalize() touch no shared state and may be called from any thread.
 */
#ifndef SKL_VAULT_H
#define SKL_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/ledger.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct skl_vault skl_vault;

/* Longest normalised id number (bytes, without the NUL), name and credential id. */
#define SKL_VAULT_ID_NUMBER_MAX 32
#define SKL_VAULT_NAME_MAX 255
#define SKL_VAULT_CREDENTIAL_ID_MAX 1024
/* "sha256$" + 64 hex digits + NUL; 64 hex digits + NUL. */
#define SKL_VAULT_IDENTITY_HASH_SIZE 72
#define SKL_VAULT_SALT_HEX_SIZE 65

/* A decrypted worker record (without its secret). It holds personal data: wipe it with
 * skl_vault_worker_wipe() when done. */
typedef struct skl_worker {
    int64_t id;
    char id_type[32];   /* "resident-id", "passport", ... */
    char id_number[40]; /* normalised */
    char name[256];     /* UTF-8 */
} skl_worker;

/*
 * Opens the vault of ledger l with passphrase (required, non-empty). On first use it
 * creates the vault's tables and parameters (random Argon2id salt, opslimit 3, memlimit
 * 64 MiB) in one transaction, so the first passphrase given becomes the vault's. l stays
 * owned by the caller and must outlive the vault. On success *out owns the vault (close
 * with skl_vault_close()); on failure *out is NULL.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL out or l), SKL_ERR_PASSPHRASE (NULL, empty or wrong
 * passphrase), SKL_ERR_CORRUPT (vault parameters malformed or out of bounds),
 * SKL_ERR_DB, SKL_ERR_NOMEM (also when Argon2id cannot get its memory), SKL_ERR_CRYPTO.
 */
__attribute__((warn_unused_result)) skl_err skl_vault_open(skl_vault **out, skl_ledger *l,
                                                           const char *passphrase);

/* Wipes the vault's keys and frees it. Accepts NULL. Does not close the ledger. */
void skl_vault_close(skl_vault *v);

/*
 * Groups the vault changes that follow (skl_vault_add_worker, skl_vault_link,
 * skl_vault_unlink) into one transaction: one disk sync for a whole roster instead of one per
 * row. Nothing else may use the ledger until skl_vault_commit() or skl_vault_rollback().
 * begin returns SKL_OK, SKL_ERR_STATE (a transaction is open), SKL_ERR_INVAL or SKL_ERR_DB;
 * commit returns SKL_OK or SKL_ERR_DB (everything since begin is then undone).
 */
skl_err skl_vault_begin(skl_vault *v);
skl_err skl_vault_commit(skl_vault *v);
void skl_vault_rollback(skl_vault *v);

/*
 * Checks and normalises an identity document number without a vault (for importers that
 * validate a roster first). Leading and trailing ASCII white space is trimmed; a
 * resident id's final 'x' becomes 'X'; other types are upper-cased (ASCII). id_type is
 * one of "resident-id" (18 characters, GB 11643-1999 check digit, real birth date from
 * 1900-01-01), "passport", "hk-macao-permit", "taiwan-permit", "foreign-permanent-resident"
 * (5..32 characters of [A-Z0-9]). On success out (at least SKL_VAULT_ID_NUMBER_MAX + 1
 * bytes) holds the normalised number. On failure why[0..whylen) (if why is not NULL)
 * says which check failed, without repeating the number.
 * Returns SKL_OK, SKL_ERR_INVAL (NULL argument), SKL_ERR_SCHEMA (bad type or number).
 */
skl_err skl_vault_id_normalize(const char *id_type, const char *id_number,
                               char out[SKL_VAULT_ID_NUMBER_MAX + 1], char *why, size_t whylen);

/*
 * Adds a worker: normalises and checks the id as skl_vault_id_normalize() does (and, for a
 * resident id, that the birth date is not after the ledger's clock), checks name (trimmed,
 * 1..255 bytes of valid UTF-8 without control characters), makes the worker's random
 * secret and stores the sealed record. *worker_id receives the new worker's id.
 * Returns SKL_OK, SKL_ERR_EXISTS (that id type and number is already a worker: *worker_id
 * is set to it, nothing is changed), SKL_ERR_SCHEMA (bad id or name; why says which check
 * failed), SKL_ERR_INVAL, SKL_ERR_DB, SKL_ERR_CRYPTO.
 */
skl_err skl_vault_add_worker(skl_vault *v, const char *id_type, const char *id_number,
                             const char *name, int64_t *worker_id, char *why, size_t whylen);

/*
 * Finds the worker with this id type and number (normalised first).
 * Returns SKL_OK (*worker_id set), SKL_ERR_NOTFOUND, SKL_ERR_SCHEMA (the id fails the
 * checks of skl_vault_id_normalize(), so it cannot be in the vault), SKL_ERR_INVAL,
 * SKL_ERR_DB.
 */
skl_err skl_vault_find_worker(skl_vault *v, const char *id_type, const char *id_number,
                              int64_t *worker_id);

/*
 * Decrypts worker worker_id into the caller's *out (wipe it with skl_vault_worker_wipe()).
 * The record is checked: its MAC, its form, and that it belongs to the row's lookup key.
 * On failure *out is zeroed.
 * Returns SKL_OK, SKL_ERR_NOTFOUND, SKL_ERR_CORRUPT (the record was altered or moved),
 * SKL_ERR_INVAL, SKL_ERR_DB.
 */
__attribute__((warn_unused_result)) skl_err skl_vault_worker(skl_vault *v, int64_t worker_id,
                                                             skl_worker *out);

/* Wipes a worker record (sodium_memzero). Accepts NULL. */
void skl_vault_worker_wipe(skl_worker *w);

/*
 * The commitment naming worker worker_id in the credential whose id is credential_id
 * (1..SKL_VAULT_CREDENTIAL_ID_MAX bytes): identity_hash receives "sha256$<64 hex>", and
 * salt_hex (if not NULL) the 64-hex-digit salt the worker may later disclose. The same
 * worker and credential id always give the same values.
 * Returns SKL_OK, SKL_ERR_NOTFOUND, SKL_ERR_CORRUPT, SKL_ERR_INVAL, SKL_ERR_DB.
 */
skl_err skl_vault_commitment(skl_vault *v, int64_t worker_id, const char *credential_id,
                             char identity_hash[SKL_VAULT_IDENTITY_HASH_SIZE],
                             char salt_hex[SKL_VAULT_SALT_HEX_SIZE]);

/*
 * Opens a disclosed commitment: 1 if identity_hash ("sha256$" + 64 lower-case hex) is the
 * hash of the id (normalised as skl_vault_id_normalize() does) under salt_hex (64
 * lower-case hex), else 0 (also for any malformed or NULL argument). The final compare
 * is constant-time. Needs no vault: this is what an employer runs on a disclosure.
 */
__attribute__((warn_unused_result)) int skl_vault_check_commitment(const char *identity_hash,
                                                                   const char *id_type,
                                                                   const char *id_number,
                                                                   const char *salt_hex);

/*
 * A commitment to an ID under a fresh random salt, for an issuer with no vault (a school
 * granting credits from a worker's disclosed bundle): identity_hash as the vault's,
 * salt_hex the 64 hex digits the worker keeps to disclose it later. Returns SKL_OK,
 * SKL_ERR_SCHEMA (the ID fails its checks) or SKL_ERR_INVAL.
 */
skl_err skl_vault_commit_fresh(char identity_hash[SKL_VAULT_IDENTITY_HASH_SIZE],
                               char salt_hex[SKL_VAULT_SALT_HEX_SIZE], const char *id_type,
                               const char *id_number);

/*
 * Links credentials credential_ids[0..n) to worker worker_id, all or none (one
 * transaction, or a savepoint inside the caller's). n == 0 does nothing.
 * Returns SKL_OK, SKL_ERR_NOTFOUND (no such worker), SKL_ERR_DUPLICATE (a credential is
 * already linked, to any worker, or twice in the list; the ledger's message names it),
 * SKL_ERR_INVAL (NULL or empty or too long id), SKL_ERR_DB.
 */
skl_err skl_vault_link(skl_vault *v, int64_t worker_id, const char *const *credential_ids,
                       size_t n);

/*
 * Removes the links of credentials credential_ids[0..n) that never entered the ledger (an
 * import refused after linking), all or none. SKL_ERR_STATE if one of them is in the
 * ledger: the link of an integrated credential is never removed. Returns SKL_OK (also for
 * ids that were not linked), SKL_ERR_STATE, SKL_ERR_INVAL, SKL_ERR_DB.
 */
skl_err skl_vault_unlink(skl_vault *v, const char *const *credential_ids, size_t n);

/* The worker credential_id is linked to. Returns SKL_OK, SKL_ERR_NOTFOUND, SKL_ERR_INVAL,
 * SKL_ERR_DB. */
skl_err skl_vault_owner(skl_vault *v, const char *credential_id, int64_t *worker_id);

/*
 * The ids of the credentials linked to worker worker_id, in the order they were linked:
 * *ids is a new array of *n new strings (NULL when *n is 0); free it with
 * skl_vault_free_ids(). On failure *ids is NULL and *n is 0.
 * Returns SKL_OK, SKL_ERR_NOTFOUND (no such worker), SKL_ERR_INVAL, SKL_ERR_NOMEM,
 * SKL_ERR_DB.
 */
skl_err skl_vault_credentials(skl_vault *v, int64_t worker_id, char ***ids, size_t *n);

/* Frees what skl_vault_credentials() returned. Accepts NULL. */
void skl_vault_free_ids(char **ids, size_t n);

#ifdef __cplusplus
}
#endif
#endif
