/* merkle.c - RFC 6962 / RFC 9162 Merkle tree hashes, proofs and compact ranges. */
#include "skl/merkle.h"

#include "merkle_int.h"
#include "sha256_int.h"

#include <string.h>

/*
 * Node (height, index) covers leaves [index << height, (index + 1) << height). In the tree of
 * n leaves, every RFC 6962 node is such an aligned block, cut short at n when it holds leaf
 * n - 1. Leaf m and leaf n - 1 share every ancestor above level bit_len(m ^ (n - 1)) ("inner"):
 * below it the path has one sibling per level; above it, it runs along the right border,
 * where a node has a (complete, left) sibling only where m has a 1 bit.
 */

/* ---------------------------------------------------------------- bit helpers */

static uint64_t
shr(uint64_t x, unsigned s)
{
    return s >= 64 ? 0 : x >> s;
}

static unsigned
bit_len(uint64_t x)
{
    return x ? 64u - (unsigned)__builtin_clzll(x) : 0;
}

static unsigned
popcount(uint64_t x)
{
    return (unsigned)__builtin_popcountll(x);
}

static int
is_pow2(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* A callback's non-zero return as an skl_err: negative codes pass through. */
static skl_err
cb_err(int rc)
{
    return rc < 0 ? (skl_err)rc : SKL_ERR_STATE;
}

/* ---------------------------------------------------------------- hashes */

void
skl_merkle_leaf_hash(uint8_t out[32], const void *data, size_t len)
{
    static const uint8_t prefix = 0x00;
    skl_sha256_ctx c;
    skl_sha256_init(&c);
    skl_sha256_update(&c, &prefix, 1);
    if (len)
        skl_sha256_update(&c, data, len);
    skl_sha256_final(&c, out);
}

void
skl_merkle_node_hash(uint8_t out[32], const uint8_t left[32], const uint8_t right[32])
{
    static const uint8_t prefix = 0x01;
    skl_sha256_ctx c;
    skl_sha256_init(&c);
    skl_sha256_update(&c, &prefix, 1);
    skl_sha256_update(&c, left, 32);
    skl_sha256_update(&c, right, 32);
    skl_sha256_final(&c, out); /* after both reads, so out may alias left or right */
}

static void
empty_hash(uint8_t out[32])
{
    skl_sha256(out, "", 0);
}

uint64_t
skl_merkle_split(uint64_t n)
{
    if (n < 2)
        return 0;
    return (uint64_t)1 << (bit_len(n - 1) - 1);
}

void
skl_merkle_fold(uint8_t out[32], const uint8_t (*hashes)[32], size_t count)
{
    /* Build the compact range of the list, then fold it right to left. Before hash i is
     * pushed the stack holds popcount(i) <= 63 entries, so 64 slots suffice. */
    uint8_t stack[64][32];
    unsigned top = 0;

    if (count == 0) {
        empty_hash(out);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        memcpy(stack[top++], hashes[i], 32);
        for (size_t n = i + 1; (n & 1) == 0; n >>= 1) {
            top--;
            skl_merkle_node_hash(stack[top - 1], stack[top - 1], stack[top]);
        }
    }
    memcpy(out, stack[top - 1], 32);
    while (--top > 0)
        skl_merkle_node_hash(out, stack[top - 1], out);
}

/* ---------------------------------------------------------------- generation */

/*
 * The hash of leaves [start, start + len), where start is a multiple of the largest power of
 * two <= len (true of every RFC 6962 node, and of the whole tree). Its complete pieces are the
 * 1 bits of len, largest first; they are read right to left so no list is needed. len 0 gives
 * the empty-tree hash. start + len <= 2^64 - 1.
 */
static skl_err
range_hash(uint8_t out[32], uint64_t start, uint64_t len, skl_merkle_node_fn get, void *ctx)
{
    uint8_t piece[32];
    uint64_t end = start + len;
    int have = 0;

    if (len == 0) {
        empty_hash(out);
        return SKL_OK;
    }
    for (unsigned b = 0; b < 64; b++) {
        if (((len >> b) & 1) == 0)
            continue;
        end -= (uint64_t)1 << b;
        int rc = get(ctx, b, end >> b, have ? piece : out);
        if (rc != 0)
            return cb_err(rc);
        if (have)
            skl_merkle_node_hash(out, piece, out);
        have = 1;
    }
    return SKL_OK;
}

/* The hash of node (level, index) of the tree of size leaves, which must start below size. */
static skl_err
node_at(uint8_t out[32], unsigned level, uint64_t index, uint64_t size, skl_merkle_node_fn get,
        void *ctx)
{
    uint64_t start = index << level;
    uint64_t width = (uint64_t)1 << level;

    if (start >= size || (start >> level) != index)
        return SKL_ERR_STATE; /* not reached: callers only ask for nodes inside the tree */
    uint64_t rem = size - start;
    return range_hash(out, start, rem < width ? rem : width, get, ctx);
}

skl_err
skl_merkle_root(uint8_t out[32], uint64_t size, skl_merkle_node_fn get, void *ctx)
{
    if (out == NULL || (get == NULL && size > 0))
        return SKL_ERR_INVAL;
    return range_hash(out, 0, size, get, ctx);
}

/*
 * Appends to proof the path from the node at `level` that holds leaf m < size to the root of
 * the tree of size leaves, with inner = bit_len(m ^ (size - 1)) > level: the siblings below
 * inner (only the one at inner - 1 can be incomplete), then the left siblings on the right
 * border.
 */
static skl_err
path(uint8_t (*proof)[32], size_t *n, unsigned level, uint64_t m, unsigned inner, uint64_t size,
     skl_merkle_node_fn get, void *ctx)
{
    skl_err err;

    for (unsigned l = level; l < inner; l++) {
        err = node_at(proof[(*n)++], l, (m >> l) ^ 1, size, get, ctx);
        if (err != SKL_OK)
            return err;
    }
    for (unsigned l = inner; l < 64; l++) {
        if (((m >> l) & 1) == 0)
            continue;
        int rc = get(ctx, l, (m >> l) ^ 1, proof[(*n)++]);
        if (rc != 0)
            return cb_err(rc);
    }
    return SKL_OK;
}

skl_err
skl_merkle_inclusion_proof(uint8_t (*proof)[32], size_t *count, uint64_t index, uint64_t size,
                           skl_merkle_node_fn get, void *ctx)
{
    size_t n = 0;
    skl_err err;

    if (count != NULL)
        *count = 0;
    if (proof == NULL || count == NULL || get == NULL || index >= size)
        return SKL_ERR_INVAL;
    /* inner + popcount(index >> inner) <= 64 = SKL_MERKLE_MAX_PROOF for any size. */
    err = path(proof, &n, 0, index, bit_len(index ^ (size - 1)), size, get, ctx);
    if (err != SKL_OK)
        goto out;
    *count = n;
out:
    return err;
}

/* Hashes in the consistency proof size1 -> size2, 0 < size1 < size2: the last complete
 * subtree of the old tree (level ctz(size1)) unless that is the whole old tree, then its path
 * in the new tree. Can be 65 when size2 > 2^63. */
static size_t
consistency_len(uint64_t size1, uint64_t size2)
{
    unsigned level = (unsigned)__builtin_ctzll(size1);
    uint64_t m = size1 - 1;
    unsigned inner = bit_len(m ^ (size2 - 1)); /* > level, as size2 - 1 > m */
    return (size_t)!is_pow2(size1) + (inner - level) + popcount(shr(m, inner));
}

skl_err
skl_merkle_consistency_proof(uint8_t (*proof)[32], size_t *count, uint64_t size1, uint64_t size2,
                             skl_merkle_node_fn get, void *ctx)
{
    size_t n = 0;
    skl_err err = SKL_OK;

    if (count != NULL)
        *count = 0;
    if (proof == NULL || count == NULL || get == NULL || size1 == 0 || size1 > size2)
        return SKL_ERR_INVAL;
    if (size1 == size2)
        return SKL_OK;
    if (consistency_len(size1, size2) > SKL_MERKLE_MAX_PROOF)
        return SKL_ERR_LIMIT;

    unsigned level = (unsigned)__builtin_ctzll(size1);
    uint64_t m = size1 - 1;
    if (!is_pow2(size1)) {
        int rc = get(ctx, level, m >> level, proof[n++]);
        if (rc != 0) {
            err = cb_err(rc);
            goto out;
        }
    }
    err = path(proof, &n, level, m, bit_len(m ^ (size2 - 1)), size2, get, ctx);
    if (err != SKL_OK)
        goto out;
    *count = n;
out:
    return err;
}

/* ---------------------------------------------------------------- verification */

/* Shifts fn and sn right together until fn's low bit is set or fn is 0 (RFC 9162). */
static void
shift_until_odd(uint64_t *fn, uint64_t *sn)
{
    while ((*fn & 1) == 0 && *fn != 0) {
        *fn >>= 1;
        *sn >>= 1;
    }
}

/*
 * RFC 9162 §2.1.3.2 after the argument and count checks: the root that proof[0..count) gives
 * leaf_hash at index in a tree of size, into out. With a trail t (whose size, count and root
 * match the caller's when follow is set), each step is recorded in t; a step that reaches the
 * state t recorded, with the same remaining hashes, ends there with *joined set (the rest is
 * t's path, which reached t->root).
 */
static skl_err
inclusion_root(uint8_t out[32], skl_merkle_trail *t, int follow, int *joined,
               const uint8_t leaf_hash[32], uint64_t index, uint64_t size,
               const uint8_t (*proof)[32], size_t count)
{
    uint64_t fn = index, sn = size - 1;
    uint8_t r[32];
    memcpy(r, leaf_hash, 32);
    for (size_t i = 0; i < count; i++) {
        if (t != NULL) {
            if (follow && fn == t->fn[i] && sn == t->sn[i] && memcmp(r, t->r[i], 32) == 0 &&
                memcmp(proof[i], t->p[i], (count - i) * 32) == 0) {
                t->shortcuts += count - i;
                *joined = 1;
                return SKL_OK;
            }
            t->fn[i] = fn;
            t->sn[i] = sn;
            memcpy(t->r[i], r, 32);
            memcpy(t->p[i], proof[i], 32);
        }
        /* the count check makes the sn checks redundant, kept anyway */
        if (sn == 0)
            return SKL_ERR_VERIFY;
        if ((fn & 1) || fn == sn) {
            skl_merkle_node_hash(r, proof[i], r);
            shift_until_odd(&fn, &sn);
        } else {
            skl_merkle_node_hash(r, r, proof[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return SKL_ERR_VERIFY;
    memcpy(out, r, 32);
    return SKL_OK;
}

/* The length of a valid inclusion proof of index in a tree of size (index < size). */
static size_t
inclusion_len(uint64_t index, uint64_t size)
{
    unsigned inner = bit_len(index ^ (size - 1));
    return inner + popcount(shr(index, inner));
}

skl_err
skl_merkle_root_from_inclusion(uint8_t out[32], const uint8_t leaf_hash[32], uint64_t index,
                               uint64_t size, const uint8_t (*proof)[32], size_t count)
{
    if (out == NULL || leaf_hash == NULL || (proof == NULL && count > 0))
        return SKL_ERR_INVAL;
    if (index >= size || count != inclusion_len(index, size))
        return SKL_ERR_VERIFY;
    return inclusion_root(out, NULL, 0, NULL, leaf_hash, index, size, proof, count);
}

/* Roots are public values: a plain comparison is fine. */
static int
same_hash(const uint8_t a[32], const uint8_t b[32])
{
    return memcmp(a, b, 32) == 0;
}

skl_err
skl_merkle_verify_inclusion(const uint8_t leaf_hash[32], uint64_t index, uint64_t size,
                            const uint8_t (*proof)[32], size_t count, const uint8_t root[32])
{
    uint8_t r[32];

    if (root == NULL)
        return SKL_ERR_INVAL;
    skl_err err = skl_merkle_root_from_inclusion(r, leaf_hash, index, size, proof, count);
    if (err != SKL_OK)
        return err;
    return same_hash(r, root) ? SKL_OK : SKL_ERR_VERIFY;
}

skl_err
skl_merkle_verify_inclusion_trail(skl_merkle_trail *t, const uint8_t leaf_hash[32], uint64_t index,
                                  uint64_t size, const uint8_t (*proof)[32], size_t count,
                                  const uint8_t root[32])
{
    if (t == NULL || root == NULL || leaf_hash == NULL || (proof == NULL && count > 0))
        return SKL_ERR_INVAL;
    if (count > SKL_MERKLE_TRAIL_MAX)
        return skl_merkle_verify_inclusion(leaf_hash, index, size, proof, count, root);
    if (index >= size || count != inclusion_len(index, size))
        return SKL_ERR_VERIFY;
    int follow = t->valid && t->size == size && t->count == count && same_hash(t->root, root);
    int joined = 0;
    uint8_t r[32];
    /* The steps are rewritten one by one, so the trail holds again only if this proof
     * verifies: entries before a join are this proof's, those after it the same as before. */
    t->valid = 0;
    skl_err err = inclusion_root(r, t, follow, &joined, leaf_hash, index, size, proof, count);
    if (err != SKL_OK || (!joined && !same_hash(r, root)))
        return SKL_ERR_VERIFY;
    t->valid = 1;
    t->size = size;
    t->count = count;
    memcpy(t->root, root, 32);
    return SKL_OK;
}

skl_err
skl_merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[32],
                              const uint8_t root2[32], const uint8_t (*proof)[32], size_t count)
{
    uint8_t fr[32], sr[32];
    size_t i = 0;

    if (root1 == NULL || root2 == NULL || (proof == NULL && count > 0))
        return SKL_ERR_INVAL;
    if (size1 == 0 || size1 > size2)
        return SKL_ERR_VERIFY;
    if (size1 == size2)
        return count == 0 && same_hash(root1, root2) ? SKL_OK : SKL_ERR_VERIFY;
    if (count == 0 || count != consistency_len(size1, size2)) /* the length is >= 1 */
        return SKL_ERR_VERIFY;

    /* RFC 9162 §2.1.4.2. Step 1 prepends root1 when size1 is a power of two: instead, the
     * seed is root1 or proof[0] and the loop starts after it. */
    const uint8_t *seed = root1;
    if (!is_pow2(size1))
        seed = proof[i++];
    uint64_t fn = size1 - 1, sn = size2 - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    memcpy(fr, seed, 32);
    memcpy(sr, seed, 32);
    for (; i < count; i++) {
        if (sn == 0)
            return SKL_ERR_VERIFY;
        if ((fn & 1) || fn == sn) {
            skl_merkle_node_hash(fr, proof[i], fr);
            skl_merkle_node_hash(sr, proof[i], sr);
            shift_until_odd(&fn, &sn);
        } else {
            skl_merkle_node_hash(sr, sr, proof[i]);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0 || !same_hash(fr, root1) || !same_hash(sr, root2))
        return SKL_ERR_VERIFY;
    return SKL_OK;
}

/* ---------------------------------------------------------------- compact range */

void
skl_merkle_range_init(skl_merkle_range *r)
{
    memset(r, 0, sizeof *r);
}

skl_err
skl_merkle_range_append(skl_merkle_range *r, const uint8_t leaf_hash[32], skl_merkle_emit_fn emit,
                        void *ctx)
{
    uint8_t h[32];
    int rc;

    if (r == NULL || leaf_hash == NULL)
        return SKL_ERR_INVAL;
    if (r->size == UINT64_MAX)
        return SKL_ERR_LIMIT;

    /* The new leaf completes one subtree per trailing 1 bit of its index, each merging with
     * the last entry of the range. Work on a copy of the hash; commit only at the end. */
    uint64_t idx = r->size;
    unsigned k = popcount(idx);                        /* entries in use, <= 63 */
    unsigned merges = (unsigned)__builtin_ctzll(~idx); /* <= k */
    memcpy(h, leaf_hash, 32);
    if (emit != NULL && (rc = emit(ctx, 0, idx, h)) != 0)
        return cb_err(rc);
    for (unsigned j = 0; j < merges; j++) {
        skl_merkle_node_hash(h, r->hashes[k - 1 - j], h);
        if (emit != NULL && (rc = emit(ctx, j + 1, idx >> (j + 1), h)) != 0)
            return cb_err(rc);
    }
    memcpy(r->hashes[k - merges], h, 32);
    if (merges > 1)
        memset(r->hashes[k - merges + 1], 0, (size_t)(merges - 1) * 32);
    r->size = idx + 1;
    return SKL_OK;
}

void
skl_merkle_range_root(const skl_merkle_range *r, uint8_t out[32])
{
    unsigned k = popcount(r->size);

    if (k == 0) {
        empty_hash(out);
        return;
    }
    memcpy(out, r->hashes[k - 1], 32);
    while (--k > 0)
        skl_merkle_node_hash(out, r->hashes[k - 1], out);
}

skl_err
skl_merkle_range_load(skl_merkle_range *r, uint64_t size, skl_merkle_node_fn get, void *ctx)
{
    skl_merkle_range tmp;
    uint64_t pos = 0;
    unsigned k = 0;

    if (r == NULL || (get == NULL && size > 0))
        return SKL_ERR_INVAL;
    skl_merkle_range_init(&tmp);
    for (unsigned b = 64; b-- > 0;) {
        if (((size >> b) & 1) == 0)
            continue;
        int rc = get(ctx, b, pos >> b, tmp.hashes[k++]);
        if (rc != 0)
            return cb_err(rc);
        pos += (uint64_t)1 << b;
    }
    tmp.size = size;
    *r = tmp;
    return SKL_OK;
}
