/* status.c - the status tree: one RFC 6962 leaf per ledger leaf (spec/status.md). */
#include "status_int.h"

#include <stdlib.h>
#include <string.h>

#include "sha256_int.h"
#include "skl/merkle.h"

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
    for (int l = 0; l < SKL_STATUS_LEVELS; l++) {
        free(t->lv[l].hash);
        free(t->lv[l].state);
    }
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
    if (n > t->n) {
        memset(t->s + t->n, SKL_STATUS_ACTIVE, n - t->n);
        t->n = n; /* complete subtrees are unchanged by growth: nothing to forget */
    }
    return 0;
}

void
skl_status_set(skl_status_tree *t, uint64_t i, int value)
{
    if (i >= t->n || t->s[i] == (uint8_t)value)
        return;
    t->s[i] = (uint8_t)value;
    for (int l = SKL_STATUS_MIN_LEVEL; l < SKL_STATUS_LEVELS; l++)
        if ((i >> l) < t->lv[l].cap)
            t->lv[l].state[i >> l] = 0;
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

/* Makes room for entry idx at level l. 0, or -1 (the cache is then skipped). */
static int
level_room(skl_status_tree *t, int l, uint64_t idx)
{
    skl_status_level *v = &t->lv[l];
    if (idx < v->cap)
        return 0;
    uint64_t cap = v->cap ? v->cap : 16;
    while (cap <= idx)
        cap *= 2;
    uint8_t(*hash)[32] = realloc(v->hash, cap * 32);
    if (hash == NULL)
        return t->oom = 1, -1;
    v->hash = hash;
    uint8_t *state = realloc(v->state, cap);
    if (state == NULL)
        return t->oom = 1, -1;
    memset(state + v->cap, 0, cap - v->cap);
    v->state = state;
    v->cap = cap;
    return 0;
}

/* MTH of leaves [lo, hi). Complete aligned subtrees of 2^8 leaves or more come from the
 * cache, else from the store, else are computed (and cached). */
static void
mth(skl_status_tree *t, uint64_t lo, uint64_t hi, uint8_t out[32])
{
    uint64_t n = hi - lo;
    if (n == 1) {
        skl_status_leaf_hash(out, lo, t->s[lo]);
        return;
    }
    int l = -1;
    if ((n & (n - 1)) == 0 && n >= (1u << SKL_STATUS_MIN_LEVEL) && lo % n == 0) {
        l = __builtin_ctzll(n);
        uint64_t idx = lo >> l;
        if (level_room(t, l, idx) != 0) {
            l = -1;
        } else if (t->lv[l].state[idx]) {
            memcpy(out, t->lv[l].hash[idx], 32);
            return;
        } else if (t->fetch != NULL && t->fetch(t->ctx, (unsigned)l, idx, out) == 0) {
            memcpy(t->lv[l].hash[idx], out, 32);
            t->lv[l].state[idx] = 1;
            return;
        }
    }
    uint8_t left[32], right[32];
    uint64_t k = skl_merkle_split(n);
    mth(t, lo, lo + k, left);
    mth(t, lo + k, hi, right);
    skl_merkle_node_hash(out, left, right);
    if (l >= 0) {
        memcpy(t->lv[l].hash[lo >> l], out, 32);
        t->lv[l].state[lo >> l] = 2;
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

int
skl_status_subtree(skl_status_tree *t, unsigned level, uint64_t index, uint8_t out[32])
{
    if (level >= SKL_STATUS_LEVELS || index >= (t->n >> level) || (t->n >> level) == 0)
        return -1;
    mth(t, index << level, (index + 1) << level, out);
    return 0;
}

/* RFC 9162 PATH(m, D[lo:hi]), appended to proof from the leaf up. */
static void
path(skl_status_tree *t, uint64_t m, uint64_t lo, uint64_t hi, uint8_t (*proof)[32], size_t *count)
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
skl_status_proof(skl_status_tree *t, uint64_t i, uint64_t size, uint8_t (*proof)[32], size_t *count)
{
    *count = 0;
    if (i >= size || size > t->n)
        return -1;
    path(t, i, 0, size, proof, count);
    return 0;
}

int
skl_status_each_new(skl_status_tree *t,
                    int (*store)(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32]),
                    void *ctx)
{
    for (int l = SKL_STATUS_MIN_LEVEL; l < SKL_STATUS_LEVELS; l++)
        for (uint64_t i = 0; i < t->lv[l].cap; i++)
            if (t->lv[l].state[i] == 2) {
                int rc = store(ctx, (unsigned)l, i, t->lv[l].hash[i]);
                if (rc != 0)
                    return rc;
                t->lv[l].state[i] = 1;
            }
    return 0;
}
