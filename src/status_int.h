/*
 * status_int.h - the status tree (spec/status.md): an RFC 6962 Merkle tree with one leaf per
 * ledger leaf, saying whether that leaf's credential is active, revoked or superseded.
 * Private to libskl.
 *
 * Leaf i of the status tree is the 9 bytes be64(i) || status, hashed as an RFC 6962 leaf.
 * The tree keeps one status byte per leaf and the hash of every complete, aligned subtree of
 * 256 leaves or more that it has computed or been given, dropping those a status change
 * touches. With a fetch function over a store of such hashes (the ledger's status_nodes), a
 * root or a proof costs O(log n) lookups plus the rehashing of what changed.
 */
#ifndef SKL_STATUS_INT_H
#define SKL_STATUS_INT_H

#include <stddef.h>
#include <stdint.h>

#define SKL_STATUS_ACTIVE 0
#define SKL_STATUS_REVOKED 1
#define SKL_STATUS_SUPERSEDED 2

/* Subtrees of 2^level leaves are cached for SKL_STATUS_MIN_LEVEL <= level < 64. */
#define SKL_STATUS_MIN_LEVEL 8
#define SKL_STATUS_LEVELS 64

/* Looks up the stored hash of the subtree (level, index): 0 and out, or nonzero if none. */
typedef int (*skl_status_fetch_fn)(void *ctx, unsigned level, uint64_t index, uint8_t out[32]);

typedef struct skl_status_level {
    uint8_t (*hash)[32];
    uint8_t *state; /* 0 unknown, 1 fetched, 2 computed here (not yet stored) */
    uint64_t cap;
} skl_status_level;

typedef struct skl_status_tree {
    uint8_t *s;      /* status of each leaf */
    uint64_t n, cap; /* leaves, allocated */
    skl_status_level lv[SKL_STATUS_LEVELS];
    skl_status_fetch_fn fetch; /* may be NULL */
    void *ctx;
    int oom; /* a cache allocation failed: results are still right, only slower */
} skl_status_tree;

/* The status value a status name stands for ("active", "revoked", "superseded"), or -1. */
int skl_status_value(const char *name);
const char *skl_status_name(int value);

/* An empty tree; skl_status_free() releases it. */
void skl_status_init(skl_status_tree *t);
void skl_status_free(skl_status_tree *t);

/* Grows the tree to n leaves (new leaves active). 0 or -1 (out of memory). */
int skl_status_extend(skl_status_tree *t, uint64_t n);

/* Sets the status of leaf i (< n), forgetting the cached subtrees that hold it. */
void skl_status_set(skl_status_tree *t, uint64_t i, int value);

/* The RFC 6962 leaf hash of status value of ledger leaf i. */
void skl_status_leaf_hash(uint8_t out[32], uint64_t i, int value);

/* The root of the tree of its first size leaves (size <= n; size 0: SHA-256 of ""). */
void skl_status_root(skl_status_tree *t, uint64_t size, uint8_t root[32]);

/* The hash of the complete subtree of leaves [index << level, (index + 1) << level) into out:
 * 0, or -1 if the tree does not hold all of them. */
int skl_status_subtree(skl_status_tree *t, unsigned level, uint64_t index, uint8_t out[32]);

/* The inclusion proof of leaf i in the tree of size leaves, in RFC 9162 order, into
 * proof (room for 64); *count hashes. 0, or -1 if i >= size or size > n. */
int skl_status_proof(skl_status_tree *t, uint64_t i, uint64_t size, uint8_t (*proof)[32],
                     size_t *count);

/* Calls store for every subtree hash computed here and not yet stored, then counts them as
 * stored. Stops at store's first nonzero return and returns it. */
int skl_status_each_new(skl_status_tree *t,
                        int (*store)(void *ctx, unsigned level, uint64_t index,
                                     const uint8_t hash[32]),
                        void *ctx);

#endif
