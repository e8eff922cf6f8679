/* status.c - the status tree: one RFC 6962 leaf per ledger leaf (spec/status.md). */
#include "status_int.h"

#include <stdlib.h>
#include <string.h>

#include "sha256_int.h"
#include "skl/merkle.h"

#define BLOCK 256

static const char *const names[] = {"active", "revoked", "superseded"};

int
skl_status_value(const char *name)
{
    for (int v = 0; v < 3; v++)
        if (strcmp(name, names[v]) == 0)
            return v;
    return -1;
}

const char *
skl_status_name(int value)
{
    return value >= 0 && value < 3 ? names[value] : "unknown";
}

void
skl_status_init(skl_status_tree *t)
{
    memset(t, 0, sizeof *t);
}

void
skl_status_free(skl_status_tree *t)
{
    free(t->s);
    free(t->block);
    free(t->clean);
    memset(t, 0, sizeof *t);
}

int
skl_status_extend(skl_status_tree *t, uint64_t n)
{
    if (n > t->cap) {
        uint64_t cap = t->cap ? t->cap : 1024;
        while (cap < n)
            cap *= 2;
        uint8_t *s = realloc(t->s, cap);
        if (s == NULL)
            return -1;
        t->s = s;
        t->cap = cap;
    }
    uint64_t nb = n / BLOCK + 1;
    if (nb > t->nblocks_cap) {
        uint64_t cap = t->nblocks_cap ? t->nblocks_cap : 64;
        while (cap < nb)
            cap *= 2;
        uint8_t(*block)[32] = realloc(t->block, cap * 32);
        if (block == NULL)
            return -1;
        t->block = block;
        uint8_t *clean = realloc(t->clean, cap);
        if (clean == NULL)
            return -1;
        memset(clean + t->nblocks_cap, 0, cap - t->nblocks_cap);
        t->clean = clean;
        t->nblocks_cap = cap;
    }
    if (n > t->n) {
        memset(t->s + t->n, SKL_STATUS_ACTIVE, n - t->n);
        t->clean[t->n / BLOCK] = 0; /* the block that was partial grows */
        t->n = n;
    }
    return 0;
}

void
skl_status_set(skl_status_tree *t, uint64_t i, int value)
{
    if (i < t->n && t->s[i] != (uint8_t)value) {
        t->s[i] = (uint8_t)value;
        t->clean[i / BLOCK] = 0;
    }
}

void
skl_status_put_block(skl_status_tree *t, uint64_t k, const uint8_t hash[32])
{
    if (k < t->n / BLOCK) {
        memcpy(t->block[k], hash, 32);
        t->clean[k] = 1;
    }
}

int
skl_status_get_block(const skl_status_tree *t, uint64_t k, uint8_t hash[32])
{
    if (k >= t->n / BLOCK || !t->clean[k])
        return 0;
    memcpy(hash, t->block[k], 32);
    return 1;
}

void
skl_status_leaf_hash(uint8_t out[32], uint64_t i, int value)
{
    uint8_t leaf[9];
    for (int k = 0; k < 8; k++)
        leaf[k] = (uint8_t)(i >> (56 - 8 * k));
    leaf[8] = (uint8_t)value;
    skl_merkle_leaf_hash(out, leaf, sizeof leaf);
}

/* MTH of leaves [lo, hi). Complete aligned blocks come from (or go to) the cache. */
static void
mth(skl_status_tree *t, uint64_t lo, uint64_t hi, uint8_t out[32])
{
    uint64_t n = hi - lo;
    if (n == 1) {
        skl_status_leaf_hash(out, lo, t->s[lo]);
        return;
    }
    int block = n == BLOCK && lo % BLOCK == 0;
    if (block && t->clean[lo / BLOCK]) {
        memcpy(out, t->block[lo / BLOCK], 32);
        return;
    }
    uint8_t l[32], r[32];
    uint64_t k = skl_merkle_split(n);
    mth(t, lo, lo + k, l);
    mth(t, lo + k, hi, r);
    skl_merkle_node_hash(out, l, r);
    if (block) {
        memcpy(t->block[lo / BLOCK], out, 32);
        t->clean[lo / BLOCK] = 1;
    }
}

void
skl_status_root(skl_status_tree *t, uint64_t size, uint8_t root[32])
{
    if (size == 0)
        skl_sha256(root, "", 0);
    else
        mth(t, 0, size, root);
}

/* RFC 9162 PATH(m, D[lo:hi]), appended to proof from the leaf up. */
static void
path(skl_status_tree *t, uint64_t m, uint64_t lo, uint64_t hi, uint8_t (*proof)[32],
     size_t *count)
{
    uint64_t n = hi - lo;
    if (n <= 1)
        return;
    uint64_t k = skl_merkle_split(n);
    if (m < k) {
        path(t, m, lo, lo + k, proof, count);
        mth(t, lo + k, hi, proof[(*count)++]);
    } else {
        path(t, m - k, lo + k, hi, proof, count);
        mth(t, lo, lo + k, proof[(*count)++]);
    }
}

int
skl_status_proof(skl_status_tree *t, uint64_t i, uint64_t size, uint8_t (*proof)[32],
                 size_t *count)
{
    *count = 0;
    if (i >= size || size > t->n)
        return -1;
    path(t, i, 0, size, proof, count);
    return 0;
}
