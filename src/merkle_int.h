/*
 * merkle_int.h - verifying many inclusion proofs against one tree (private to libskl).
 *
 * A bundle holds one inclusion proof per credential against the same checkpoint, and one
 * status proof per credential against the same snapshot. Proofs of nearby leaves share the
 * upper part of their paths. A trail keeps the last proof that verified: the state of the
 * RFC 9162 loop before each step and the proof's hashes. When a new proof reaches the same
 * state (position, size and running hash) with the same remaining hashes, the rest of the
 * computation is the trail's, which ended at the root: it is accepted without hashing.
 * The verdicts are exactly skl_merkle_verify_inclusion()'s.
 */
#ifndef SKL_MERKLE_INT_H
#define SKL_MERKLE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/merkle.h"

#define SKL_MERKLE_TRAIL_MAX 64

typedef struct skl_merkle_trail {
    int valid; /* 0 until a proof verified */
    uint64_t size;
    uint8_t root[32];
    size_t count;
    uint64_t fn[SKL_MERKLE_TRAIL_MAX], sn[SKL_MERKLE_TRAIL_MAX]; /* state before step i */
    uint8_t r[SKL_MERKLE_TRAIL_MAX][32];                         /* running hash before step i */
    uint8_t p[SKL_MERKLE_TRAIL_MAX][32];                         /* the proof's hash i */
    uint64_t shortcuts; /* steps not hashed (for tests and benchmarks) */
} skl_merkle_trail;

/* skl_merkle_verify_inclusion() through trail t (zeroed before first use; one tree per
 * trail, though a different size or root only resets it). */
skl_err skl_merkle_verify_inclusion_trail(skl_merkle_trail *t, const uint8_t leaf_hash[32],
                                          uint64_t index, uint64_t size, const uint8_t (*proof)[32],
                                          size_t count, const uint8_t root[32]);

#endif
