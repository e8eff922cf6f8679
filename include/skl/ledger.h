/*
 * skl/ledger.h - the append-only, hash-chained credential ledger.
 *
 * A ledger is one SQLite file (WAL mode). Each leaf is a canonical JSON record that wraps
 * one signed credential with the sequencer's facts: its index, the leaf hash of the
 * previous leaf (the chain) and the integration time (spec/leaf.md). The leaves form an
 * RFC 6962 Merkle tree; the store keeps the hashes of every complete subtree whose height
 * is a multiple of 8 (exactly the hashes that tlog-tiles publishes), so any proof reads
 * O(log n) stored rows. Leaves, stored hashes and checkpoints are immutable: triggers
 * refuse UPDATE and DELETE.
 *
 * Thread safety: a skl_ledger handle is used by one thread at a time (append uses worker
 * threads of its own internally). Several processes may open the same file; appends are
 * serialised by SQLite's write lock and always extend the one chain.
 */
#ifndef SKL_LEDGER_H
#define SKL_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/key.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct skl_ledger skl_ledger;

#define SKL_LEDGER_ORIGIN_MAX 255
/* Largest leaf record: a tile entry is at most 65,535 bytes (uint16 length prefix). */
#define SKL_LEAF_MAX 65535

/*
 * Creates a new ledger file at path (SKL_ERR_EXISTS if it exists) for the log named
 * origin (a C2SP checkpoint origin, e.g. "ledger.beibei.gov.cn/skills"), whose
 * checkpoints the key log_key signs. Only the public half of log_key is stored.
 */
skl_err skl_ledger_create(skl_ledger **out, const char *path, const char *origin,
                          const skl_key *log_key);

/* Opens an existing ledger. SKL_ERR_NOTFOUND if there is no file, SKL_ERR_CORRUPT if it
 * is not an skl ledger. */
skl_err skl_ledger_open(skl_ledger **out, const char *path);

/* Closes the ledger. Accepts NULL. */
void skl_ledger_close(skl_ledger *l);

/* Detail of the last error on this handle (SQLite's message, the failing index, ...).
 * Never NULL; "" when there is none. Valid until the next call on the handle. */
const char *skl_ledger_errmsg(const skl_ledger *l);

/* The log's origin line and its public key (32 bytes) and key name. */
const char *skl_ledger_origin(const skl_ledger *l);
const uint8_t *skl_ledger_log_public(const skl_ledger *l);
const char *skl_ledger_log_name(const skl_ledger *l);

/* Current number of leaves. */
skl_err skl_ledger_size(skl_ledger *l, uint64_t *size);

/* The integration clock, in seconds since the epoch. 0 (the default) = the system clock.
 * Tests and replays set a fixed time. */
void skl_ledger_set_time(skl_ledger *l, int64_t unix_seconds);

/*
 * Makes the ledger enforce the rules of the authority whose self-signed root certificate
 * (PEM or DER, len bytes) is cert (spec/policy.md): from then on a credential is accepted
 * only if it is of a known kind (spec/kinds.md) and either is signed by the root key (an
 * accreditation, a revocation or a correction) or its issuer key holds an accreditation in
 * this ledger that is in force at the log's time, unrevoked, and whose scope covers it.
 * Only on a new, empty ledger without an authority. Returns SKL_OK, SKL_ERR_STATE (not
 * empty, or already set), SKL_ERR_PARSE / SKL_ERR_VERIFY (not a valid root, with the detail
 * in skl_ledger_errmsg()), SKL_ERR_DB or SKL_ERR_NOMEM.
 */
skl_err skl_ledger_set_authority(skl_ledger *l, const char *cert, size_t len);

/*
 * Adds an occupation list (a full 职业分类大典 list, or a new edition) to the reference data of
 * a ledger with an authority: data[0..len) is the content of the file called name, CSV or
 * JSON as skl_refdata_load_occupations() reads them. It is checked, then kept in the ledger
 * file, so that every later opening enforces it too (other processes: from their next
 * open). Returns SKL_OK, SKL_ERR_STATE (no authority), the loader's error with the reason in
 * skl_ledger_errmsg(), or SKL_ERR_DB.
 */
skl_err skl_ledger_load_occupations(skl_ledger *l, const char *name, const char *data,
                                    size_t len);

/* The version of the reference data the ledger enforces ("levels 2026-11, occupations
 * 2026-11 + list.csv, ..."), or NULL for a ledger without an authority. */
const char *skl_ledger_refdata_version(const skl_ledger *l);

/* The authority root certificate as PEM in *pem (malloc'd, *len bytes, NUL-terminated),
 * or SKL_ERR_NOTFOUND for a ledger without one. */
skl_err skl_ledger_authority(skl_ledger *l, char **pem, size_t *len);

/*
 * The status of the credential called credential_id in a ledger with an authority:
 * "active", "revoked" or "superseded" (spec/policy.md), written to status. A ledger without
 * an authority records no status: every credential in it is "active".
 * Returns SKL_OK, SKL_ERR_NOTFOUND (no such credential) or SKL_ERR_DB.
 */
skl_err skl_ledger_status(skl_ledger *l, const char *credential_id, char status[16]);

/* --- Appending ------------------------------------------------------------------------ */

/* Outcome of one credential in a batch. */
typedef struct skl_ledger_item {
    skl_err err;    /* SKL_OK, or why this credential was refused */
    uint64_t index; /* its leaf index when the batch was appended */
    char why[256];  /* one line: the reason, when err != SKL_OK */
} skl_ledger_item;

/*
 * Verifies and appends a batch of n signed credentials (creds[i] of lens[i] bytes, not
 * necessarily NUL-terminated) as one atomic transaction. Each credential must be a VC 2.0
 * credential with an "id", whose eddsa-jcs-2022 proof verifies under the did:key that is
 * its issuer, no larger than SKL_VC_MAX_LEN, and whose id is not in the ledger or earlier
 * in the batch. Verification runs on `threads` threads (0 or 1 = the calling thread).
 *
 * items[0..n) receives each credential's outcome. Returns SKL_OK when all were appended;
 * SKL_ERR_VERIFY when one or more were refused (then nothing was appended and every
 * refused item says why); another code for an operational failure (nothing appended).
 */
skl_err skl_ledger_append(skl_ledger *l, const char *const *creds, const size_t *lens, size_t n,
                          skl_ledger_item *items, unsigned threads);

/*
 * Checks a batch exactly as skl_ledger_append() would, with every rule and in the same
 * order, then rolls it back: nothing is appended. items[i].index is the index the
 * credential would get. Importers validate a whole file this way before appending it.
 * Returns what skl_ledger_append() would.
 */
skl_err skl_ledger_check(skl_ledger *l, const char *const *creds, const size_t *lens, size_t n,
                         skl_ledger_item *items, unsigned threads);

/* --- Reading ---------------------------------------------------------------------------- */

/* The leaf record at index (malloc'd, *len bytes, NUL-terminated) and its leaf hash
 * (hash may be NULL). SKL_ERR_NOTFOUND past the end. */
skl_err skl_ledger_leaf(skl_ledger *l, uint64_t index, char **data, size_t *len, uint8_t hash[32]);

/* The Merkle root of the first `size` leaves (size <= current size). */
skl_err skl_ledger_root(skl_ledger *l, uint64_t size, uint8_t root[32]);

/* Inclusion proof of leaf index in the tree of `size` leaves; proof must hold
 * SKL_MERKLE_MAX_PROOF hashes. */
skl_err skl_ledger_inclusion_proof(skl_ledger *l, uint64_t index, uint64_t size,
                                   uint8_t (*proof)[32], size_t *count);

/* Consistency proof from size1 to size2 (0 < size1 <= size2 <= current size). */
skl_err skl_ledger_consistency_proof(skl_ledger *l, uint64_t size1, uint64_t size2,
                                     uint8_t (*proof)[32], size_t *count);

/* The index of the credential with this id, SKL_ERR_NOTFOUND if none. */
skl_err skl_ledger_find(skl_ledger *l, const char *credential_id, uint64_t *index);

/* --- Checkpoints ------------------------------------------------------------------------ */

/*
 * Signs a checkpoint of the current tree with log_key (which must be the ledger's log
 * key: SKL_ERR_KEY otherwise): a C2SP signed note with an Ed25519 signature and the log's
 * own cosignature/v1 dated by the ledger clock. Stores it and returns the note text
 * (malloc'd). Signing the same size twice returns a new note with a newer date.
 */
skl_err skl_ledger_checkpoint(skl_ledger *l, const skl_key *log_key, char **note, size_t *len);

/* The latest stored checkpoint (SKL_ERR_NOTFOUND if none), or the one for a given size. */
/*
 * Stores a checkpoint note the log made, now carrying witness cosignatures (skl witness
 * attach), as the newest checkpoint of its size: exports then hand it out. The note must be
 * signed by the log key, for this origin, and its text must be that of a stored checkpoint.
 * Returns SKL_OK, SKL_ERR_PARSE, SKL_ERR_VERIFY, SKL_ERR_NOTFOUND (no checkpoint of that
 * size), SKL_ERR_DB.
 */
skl_err skl_ledger_store_witnessed(skl_ledger *l, const char *note, size_t len);

skl_err skl_ledger_latest_checkpoint(skl_ledger *l, char **note, size_t *len);
skl_err skl_ledger_checkpoint_at(skl_ledger *l, uint64_t size, char **note, size_t *len);

/* The verifier key (C2SP vkey, malloc'd) of the log's Ed25519 signature (cosig = 0) or of
 * its timestamping cosignature (cosig = 1). */
skl_err skl_ledger_vkey(const skl_ledger *l, int cosig, char **vkey);

/* --- Proof text --------------------------------------------------------------------- */

/* A c2sp.org/tlog-proof@v1 for leaf index under the latest checkpoint (or the checkpoint
 * of tree size `size` when size != 0). The leaf record goes in the `extra` line, so the
 * proof is self-contained. */
skl_err skl_ledger_tlog_proof(skl_ledger *l, uint64_t index, uint64_t size, char **out,
                              size_t *len);

/* --- Publishing and auditing -------------------------------------------------------- */

/*
 * Writes the C2SP tlog-tiles for the latest checkpoint into dir (created if missing):
 * tile/<L>/<N>[.p/<W>], tile/entries/<N>[.p/<W>] and, last, checkpoint. Incremental:
 * full tiles already present are left alone. Files are written atomically (temp+rename).
 * *written (may be NULL) receives the number of files written.
 */
skl_err skl_ledger_publish(skl_ledger *l, const char *dir, uint64_t *written);

/* What an audit found. */
typedef struct skl_audit_report {
    uint64_t leaves;      /* leaves checked */
    uint64_t checkpoints; /* checkpoints checked */
    int64_t bad_index;    /* first bad leaf index, or -1 when the problem is not a leaf */
    char why[512];        /* the first problem, one line; "" when all is well */
} skl_audit_report;

/*
 * Re-verifies the whole ledger: every leaf record is canonical and carries its index and
 * the previous leaf's hash, every stored hash matches its bytes, every credential
 * signature verifies, every stored subtree hash and the credential-id index match, every
 * checkpoint is signed by the log key and matches the tree. Stops at the first problem.
 * Returns SKL_OK, SKL_ERR_CORRUPT (with report->why and bad_index) or an operational error.
 * Memory stays bounded whatever the ledger's size.
 */
skl_err skl_ledger_audit(skl_ledger *l, unsigned threads, skl_audit_report *report);

/*
 * Audits a published tiles directory with no database, as a mirror or witness would:
 * the checkpoint's signature by vkey (a C2SP verifier key), every entry bundle against the
 * level-0 tiles, every tile level against the one below, the root against the checkpoint,
 * the chain and every credential signature.
 */
skl_err skl_tiles_audit(const char *dir, const char *vkey, unsigned threads,
                        skl_audit_report *report);

#ifdef __cplusplus
}
#endif
#endif
