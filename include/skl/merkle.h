/*
 * skl/merkle.h - RFC 6962 / RFC 9162 Merkle tree: hashes, proofs and compact ranges.
 *
 * Leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right); the hash of
 * a list of n > 1 hashes splits it at the largest power of two smaller than n (RFC 6962 §2.1)
 * and the empty tree hashes to SHA-256(""). Indices are 0-based.
 *
 * The tree itself is not held here. Proof and root generation read stored hashes through a
 * caller's skl_merkle_node_fn, and only ever ask it for complete, aligned subtrees that lie
 * inside the tree they were given: an incomplete right-hand node is computed from its complete
 * pieces (at most 64 of them), never by walking leaves. Verification follows RFC 9162
 * §2.1.3.2 and §2.1.4.2, is iterative and checks every count against the sizes it is given.
 * Sizes up to 2^64 - 1 are supported.
 *
 * Thread safety: every function is reentrant and keeps no global state; callbacks run on the
 * caller's thread. An skl_merkle_range must not be changed by two threads at once.
 */
#ifndef SKL_MERKLE_H
#define SKL_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_MERKLE_HASH_LEN 32
/* Enough for any inclusion proof, and for any consistency proof of a tree of at most 2^63
 * leaves (a consistency proof into a larger tree can need 65: see skl_merkle_consistency_proof). */
#define SKL_MERKLE_MAX_PROOF 64

/* out = SHA-256(0x00 || data[0..len)). data may be NULL when len is 0. */
void skl_merkle_leaf_hash(uint8_t out[32], const void *data, size_t len);

/* out = SHA-256(0x01 || left || right). out may alias left or right. */
void skl_merkle_node_hash(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);

/* The Merkle tree hash of count consecutive sibling hashes at one level, split RFC 6962 style
 * (largest power of two smaller than count on the left); fold of one hash is that hash.
 * count >= 1; count 0 gives the empty-tree hash SHA-256(""). Iterative, O(count) hashing. */
void skl_merkle_fold(uint8_t out[32], const uint8_t (*hashes)[32], size_t count);

/* Helper (added to the brief's API): the largest power of two strictly smaller than n, the
 * RFC 6962 split point k of a list of n >= 2 hashes. Returns 0 for n < 2. */
uint64_t skl_merkle_split(uint64_t n);

/* Source of stored hashes: writes the hash of the complete, aligned subtree of 2^height leaves
 * whose first leaf is index << height (height 0 = leaf hash). Returns 0 or a negative skl_err,
 * which the caller passes through (a positive return, not an skl_err, becomes
 * SKL_ERR_STATE). height is at most 63. */
typedef int (*skl_merkle_node_fn)(void *ctx, unsigned height, uint64_t index, uint8_t out[32]);

/* The root of the tree of the first `size` leaves, from popcount(size) calls to get.
 * size 0 gives SHA-256("") without calling get. Returns SKL_OK, SKL_ERR_INVAL (NULL out, or
 * NULL get with size > 0) or get's error; out is unspecified on error. */
skl_err skl_merkle_root(uint8_t out[32], uint64_t size, skl_merkle_node_fn get, void *ctx);

/* The RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `size` leaves, ordered
 * from the leaf up. proof must have room for SKL_MERKLE_MAX_PROOF hashes; *count receives the
 * number written (0 when size is 1). Returns SKL_OK, SKL_ERR_INVAL (index >= size, NULL
 * argument) or get's error. */
skl_err skl_merkle_inclusion_proof(uint8_t (*proof)[32], size_t *count, uint64_t index,
                                   uint64_t size, skl_merkle_node_fn get, void *ctx);

/* The RFC 9162 §2.1.4.1 consistency proof between the trees of size1 and size2 leaves.
 * 0 < size1 <= size2 (size1 == size2 gives an empty proof), else SKL_ERR_INVAL. proof must
 * have room for SKL_MERKLE_MAX_PROOF hashes; *count receives the number written. Returns
 * SKL_OK, SKL_ERR_INVAL, SKL_ERR_LIMIT (the proof would need 65 hashes, which only happens when
 * size2 > 2^63) or get's error. */
skl_err skl_merkle_consistency_proof(uint8_t (*proof)[32], size_t *count, uint64_t size1,
                                     uint64_t size2, skl_merkle_node_fn get, void *ctx);

/* Checks that leaf_hash is leaf `index` of the tree of `size` leaves whose root is `root`,
 * following RFC 9162 §2.1.3.2. proof holds count hashes (may be NULL when count is 0).
 * Returns SKL_OK or SKL_ERR_VERIFY (also for index >= size and for a count that does not fit
 * index and size); SKL_ERR_INVAL only for NULL hash pointers. */
__attribute__((warn_unused_result)) skl_err
skl_merkle_verify_inclusion(const uint8_t leaf_hash[32], uint64_t index, uint64_t size,
                            const uint8_t (*proof)[32], size_t count, const uint8_t root[32]);

/* Checks that the tree of size1 leaves with root root1 is a prefix of the tree of size2 leaves
 * with root root2, following RFC 9162 §2.1.4.2. size1 == size2 needs an empty proof and equal
 * roots. Returns SKL_OK or SKL_ERR_VERIFY (also for size1 == 0, size1 > size2 and a count that
 * does not fit the sizes); SKL_ERR_INVAL only for NULL hash pointers. */
__attribute__((warn_unused_result)) skl_err
skl_merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[32],
                              const uint8_t root2[32], const uint8_t (*proof)[32], size_t count);

/* The root implied by an inclusion proof (RFC 9162 §2.1.3.2), for callers that compare it
 * themselves. Returns SKL_OK with *out set, or SKL_ERR_VERIFY when index, size and count do not
 * fit together (out untouched); SKL_ERR_INVAL for NULL hash pointers. */
__attribute__((warn_unused_result)) skl_err
skl_merkle_root_from_inclusion(uint8_t out[32], const uint8_t leaf_hash[32], uint64_t index,
                               uint64_t size, const uint8_t (*proof)[32], size_t count);

/* Compact range: the tree's right edge in O(log n) memory, for appending and auditing.
 * hashes[0 .. popcount(size)) are the roots of the complete subtrees that make up the tree,
 * largest (leftmost) first; unused slots are kept zero, so two ranges of the same tree compare
 * equal with memcmp. Plain data, owned by the caller. */
typedef struct skl_merkle_range {
    uint64_t size;
    uint8_t hashes[64][32];
} skl_merkle_range;

/* Called for every complete subtree that an append completes, bottom-up, starting with the leaf
 * itself (height 0, index = leaf index); the subtree's first leaf is index << height. A
 * non-zero return aborts the append and is returned (a positive one as SKL_ERR_STATE). */
typedef int (*skl_merkle_emit_fn)(void *ctx, unsigned height, uint64_t index,
                                  const uint8_t hash[32]);

/* Makes r the range of the empty tree. */
void skl_merkle_range_init(skl_merkle_range *r);

/* Appends one leaf (its leaf hash) to r, calling emit (may be NULL) for each completed subtree.
 * All or nothing: on any error r is unchanged (though emit may already have seen some
 * subtrees). Returns SKL_OK, SKL_ERR_INVAL (NULL argument), SKL_ERR_LIMIT (r already holds
 * 2^64 - 1 leaves) or emit's error. */
skl_err skl_merkle_range_append(skl_merkle_range *r, const uint8_t leaf_hash[32],
                                skl_merkle_emit_fn emit, void *ctx);

/* The root of the tree r describes (SHA-256("") for the empty tree). */
void skl_merkle_range_root(const skl_merkle_range *r, uint8_t out[32]);

/* Rebuilds r as the range of the tree of `size` leaves from stored hashes, with popcount(size)
 * calls to get. On error r is unchanged. Returns SKL_OK, SKL_ERR_INVAL (NULL r, or NULL get
 * with size > 0) or get's error. */
skl_err skl_merkle_range_load(skl_merkle_range *r, uint64_t size, skl_merkle_node_fn get,
                              void *ctx);

#ifdef __cplusplus
}
#endif
#endif
