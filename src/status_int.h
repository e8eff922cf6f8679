/*
 * status_int.h - the status tree (spec/status.md): an RFC 6962 Merkle tree with one leaf per
 * ledger leaf, saying whether that leaf's credential is active, revoked or superseded.
 * Private to libskl.
 *
 * Leaf i of the status tree is the 9 bytes be64(i) || status, hashed as an RFC 6962 leaf.
 * The tree keeps one status byte per leaf and the hash of every complete, aligned block of
 * 256 leaves, recomputing only the blocks that changed: a root costs O(changes * 256 +
 * n / 256) hashes, so the audit can check every snapshot of a long log.
 */
#ifndef SKL_STATUS_INT_H
#define SKL_STATUS_INT_H

#include <stddef.h>
#include <stdint.h>

#define SKL_STATUS_ACTIVE 0
#define SKL_STATUS_REVOKED 1
#define SKL_STATUS_SUPERSEDED 2

typedef struct skl_status_tree {
    uint8_t *s;           /* status of each leaf */
    uint64_t n, cap;      /* leaves, allocated */
    uint8_t (*block)[32]; /* hash of each complete block of 256 leaves */
    uint8_t *clean;       /* whether block[k] is up to date */
    uint64_t nblocks_cap;
} skl_status_tree;

/* The status value a status name stands for ("active", "revoked", "superseded"), or -1. */
int skl_status_value(const char *name);
const char *skl_status_name(int value);

/* An empty tree; skl_status_free() releases it. */
void skl_status_init(skl_status_tree *t);
void skl_status_free(skl_status_tree *t);

/* Grows the tree to n leaves (new leaves active). 0 or -1 (out of memory). */
int skl_status_extend(skl_status_tree *t, uint64_t n);

/* Sets the status of leaf i (< n). */
void skl_status_set(skl_status_tree *t, uint64_t i, int value);

/* Number of complete blocks of 256 leaves among the first size leaves. */
#define SKL_STATUS_BLOCK 256

/* Takes hash as the hash of complete block k (its leaves k*256 .. k*256+255), computed
 * earlier from the same statuses: the tree does not rehash it. k must be below n / 256. */
void skl_status_put_block(skl_status_tree *t, uint64_t k, const uint8_t hash[32]);

/* The hash of complete block k if the tree has it up to date: 1 and *hash, else 0. */
int skl_status_get_block(const skl_status_tree *t, uint64_t k, uint8_t hash[32]);

/* The RFC 6962 leaf hash of status value of ledger leaf i. */
void skl_status_leaf_hash(uint8_t out[32], uint64_t i, int value);

/* The root of the tree of its first size leaves (size <= n; size 0: SHA-256 of ""). */
void skl_status_root(skl_status_tree *t, uint64_t size, uint8_t root[32]);

/* The inclusion proof of leaf i in the tree of size leaves, in RFC 9162 order, into
 * proof (room for 64); *count hashes. 0, or -1 if i >= size or size > n. */
int skl_status_proof(skl_status_tree *t, uint64_t i, uint64_t size, uint8_t (*proof)[32],
                     size_t *count);

#endif
