/*
 * leaf_int.h - the leaf record: one signed credential wrapped with the sequencer's facts
 * (spec/leaf.md), and the ledger's credential profile. Private to libskl.
 *
 *   {"credential":<signed VC>,"index":N,"prev":"<hex leaf hash of N-1>","time":"<UTC>",
 *    "type":"skl/leaf/v1"}
 *
 * in RFC 8785 canonical form. The leaf hash is SHA-256(0x00 || record bytes).
 */
#ifndef SKL_LEAF_INT_H
#define SKL_LEAF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf_int.h"
#include "skl/json.h"
#include "vc_int.h"

#define SKL_LEAF_TYPE "skl/leaf/v1"
/* A status snapshot (spec/status.md): the last leaf under each checkpoint of a ledger with an
 * authority, committing to the status tree of the leaves before it. */
#define SKL_STATUS_LEAF_TYPE "skl/status/v1"

typedef struct skl_leaf {
    uint64_t index;
    uint8_t prev[32];
    int64_t time;
    int is_status;          /* a status snapshot, not a credential */
    uint8_t status_root[32]; /* snapshot: the status tree's root over the first index leaves */
} skl_leaf;

/* Appends the canonical status snapshot record:
 *   {"index":N,"prev":"<hex>","status":{"root":"<hex>","size":N},"time":"<UTC>",
 *    "type":"skl/status/v1"}
 * 0 or -1. */
int skl_leaf_build_status(skl_buf *b, uint64_t index, const uint8_t prev[32], int64_t time,
                          const uint8_t root[32]);

/* 1 if the record data[0..len) is a status snapshot (by its type, last in canonical form). */
int skl_leaf_is_status(const char *data, size_t len);

/* Appends the canonical leaf record. cred is the credential's canonical JSON. 0 or -1. */
int skl_leaf_build(skl_buf *b, uint64_t index, const uint8_t prev[32], int64_t time,
                   const char *cred, size_t cred_len);

/*
 * Checks a leaf record completely but for its credential's signature (a status snapshot:
 * completely; leaf->is_status is then set, id_hash zeroed and sig untouched), which it prepares in
 * *sig for skl_vc_check_signature(): strict JSON, exactly the five members, well-formed
 * index, prev and time, the credential profile, and bytes exactly equal to the canonical
 * record rebuilt from those parts. On success leaf holds the record's facts and id_hash
 * the SHA-256 of the credential id. scratch and canon are working buffers. Returns SKL_OK,
 * SKL_ERR_NOMEM, or another code with why set.
 */
int skl_leaf_check(skl_leaf *leaf, uint8_t id_hash[32], skl_vc_sigcheck *sig, const char *data,
                   size_t len, skl_buf *scratch, skl_buf *canon, char *why, size_t whylen);

/*
 * The same checks on a record already parsed (root), for callers that hold it as a value: it
 * cannot be "not canonical", and bytes receives (reset first) its canonical form, the bytes
 * the leaf hash is over.
 */
int skl_leaf_check_value(skl_leaf *leaf, uint8_t id_hash[32], skl_vc_sigcheck *sig,
                         const skl_json_value *root, skl_buf *scratch, skl_buf *canon,
                         skl_buf *bytes, char *why, size_t whylen);

/*
 * The ledger's credential profile, on top of the eddsa-jcs-2022 proof: the credential has
 * a string "id", and its issuer is the did:key of the key that signed it. On success *id
 * points into the document and canon (if not NULL) holds the credential's canonical form.
 * With deferred not NULL the signature itself is not checked here but prepared in
 * *deferred for skl_vc_check_signature(). SKL_OK or SKL_ERR_VERIFY / SKL_ERR_SCHEMA with
 * why set.
 */
int skl_profile_check(const skl_json_value *cred, const char **id, skl_buf *scratch, skl_buf *canon,
                      skl_vc_sigcheck *deferred, char *why, size_t whylen);

#endif
