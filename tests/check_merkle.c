/*
 * check_merkle.c - RFC 6962 / RFC 9162 Merkle tree: the vectors in rfc6962.json (read with a
 * small scanner here, not the project's JSON parser), every mutation of every proof, the
 * compact range, a naive recursive reference over 1000 leaves, and sizes near 2^64.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle_int.h"
#include "sha256_int.h"
#include "skl/merkle.h"
#include "testutil.h"

#define MAXP SKL_MERKLE_MAX_PROOF
/* A list of hashes as the API's const view of it. */
#define CP(p) ((const uint8_t(*)[32])(p))

/* ---------------------------------------------------------------- in-memory tree */

/* Every complete subtree of n leaves, level by level. `limit` is the size of the tree the
 * code under test was given: get fails the test if asked for a node that is not complete
 * inside it. fail_at makes the fail_at-th call (1-based) return fail_rc. */
typedef struct mem_tree {
    uint8_t (*lv[64])[32];
    uint64_t nlv[64];
    uint64_t n, limit;
    unsigned calls, fail_at;
    int fail_rc;
} mem_tree;

static void
tree_build(mem_tree *t, const uint8_t (*leaves)[32], uint64_t n)
{
    memset(t, 0, sizeof *t);
    t->n = t->limit = n;
    for (unsigned h = 0; h < 64 && (n >> h) > 0; h++) {
        t->nlv[h] = n >> h;
        t->lv[h] = malloc((size_t)t->nlv[h] * 32);
        ck_assert_ptr_nonnull(t->lv[h]);
        for (uint64_t i = 0; i < t->nlv[h]; i++) {
            if (h == 0)
                memcpy(t->lv[0][i], leaves[i], 32);
            else
                skl_merkle_node_hash(t->lv[h][i], t->lv[h - 1][2 * i], t->lv[h - 1][2 * i + 1]);
        }
    }
}

static void
tree_free(mem_tree *t)
{
    for (unsigned h = 0; h < 64; h++)
        free(t->lv[h]);
}

static int
tree_get(void *ctx, unsigned height, uint64_t index, uint8_t out[32])
{
    mem_tree *t = ctx;
    t->calls++;
    ck_assert_uint_lt(height, 64);
    ck_assert_msg(((index + 1) << height) <= t->limit && index < t->nlv[height],
                  "asked for node (%u, %llu) outside a tree of %llu leaves", height,
                  (unsigned long long)index, (unsigned long long)t->limit);
    if (t->fail_at != 0 && t->calls == t->fail_at)
        return t->fail_rc;
    memcpy(out, t->lv[height][index], 32);
    return 0;
}

/* ---------------------------------------------------------------- naive RFC reference */

static uint64_t
ref_split(uint64_t n)
{
    uint64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

/* MTH(D[n]) of RFC 6962 §2.1, recursively from the leaf hashes. */
static void
ref_mth(uint8_t out[32], const uint8_t (*d)[32], uint64_t n)
{
    uint8_t l[32], r[32];
    if (n == 0) {
        skl_sha256(out, "", 0);
    } else if (n == 1) {
        memcpy(out, d[0], 32);
    } else {
        uint64_t k = ref_split(n);
        ref_mth(l, d, k);
        ref_mth(r, d + k, n - k);
        skl_merkle_node_hash(out, l, r);
    }
}

/* PATH(m, D[n]) of RFC 6962 §2.1.1. */
static void
ref_path(uint8_t (*out)[32], size_t *cnt, uint64_t m, const uint8_t (*d)[32], uint64_t n)
{
    if (n <= 1)
        return;
    uint64_t k = ref_split(n);
    if (m < k) {
        ref_path(out, cnt, m, d, k);
        ref_mth(out[(*cnt)++], d + k, n - k);
    } else {
        ref_path(out, cnt, m - k, d + k, n - k);
        ref_mth(out[(*cnt)++], d, k);
    }
}

/* SUBPROOF(m, D[n], b) of RFC 6962 §2.1.2. */
static void
ref_subproof(uint8_t (*out)[32], size_t *cnt, uint64_t m, const uint8_t (*d)[32], uint64_t n, int b)
{
    if (m == n) {
        if (!b)
            ref_mth(out[(*cnt)++], d, n);
        return;
    }
    uint64_t k = ref_split(n);
    if (m <= k) {
        ref_subproof(out, cnt, m, d, k, b);
        ref_mth(out[(*cnt)++], d + k, n - k);
    } else {
        ref_subproof(out, cnt, m - k, d + k, n - k, 0);
        ref_mth(out[(*cnt)++], d, k);
    }
}

/* ---------------------------------------------------------------- vector scanner */

/* A tiny scanner for the layout of rfc6962.json: enough JSON to read strings, unsigned
 * numbers, arrays and flat objects. It is not the project's parser on purpose. */
typedef struct span {
    const char *p, *end;
} span;

enum { T_END = 0, T_STR = 's', T_NUM = 'n' };

/* Next token: a string (contents into buf), a number (digits into buf) or one of []{} as
 * itself; commas, colons and white space are skipped. */
static int
tok(span *s, char *buf, size_t cap)
{
    while (s->p < s->end && strchr(" \t\r\n,:", *s->p) != NULL)
        s->p++;
    if (s->p >= s->end)
        return T_END;
    char c = *s->p;
    if (strchr("[]{}", c) != NULL) {
        s->p++;
        return c;
    }
    size_t n = 0;
    if (c == '"') {
        s->p++;
        while (s->p < s->end && *s->p != '"') {
            ck_assert_msg(*s->p != '\\', "escapes are not expected in rfc6962.json");
            ck_assert_uint_lt(n + 1, cap);
            buf[n++] = *s->p++;
        }
        ck_assert_msg(s->p < s->end, "unterminated string");
        s->p++;
        buf[n] = '\0';
        return T_STR;
    }
    ck_assert_msg(c >= '0' && c <= '9', "unexpected character '%c'", c);
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        ck_assert_uint_lt(n + 1, cap);
        buf[n++] = *s->p++;
    }
    buf[n] = '\0';
    return T_NUM;
}

static uint64_t
num(const char *s)
{
    uint64_t v = 0;
    ck_assert(*s != '\0');
    for (; *s != '\0'; s++) {
        ck_assert(*s >= '0' && *s <= '9' && v <= (UINT64_MAX - 9) / 10);
        v = v * 10 + (uint64_t)(*s - '0');
    }
    return v;
}

/* The inside of the array or object that is the value of top-level key. */
static span
section(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(json, pat);
    ck_assert_msg(p != NULL, "no %s in rfc6962.json", key);
    p += strlen(pat);
    while (*p == ' ' || *p == ':' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    ck_assert(*p == '[' || *p == '{');
    int depth = 0, in_str = 0;
    const char *q = p;
    for (; *q != '\0'; q++) {
        if (in_str) {
            in_str = *q != '"';
        } else if (*q == '"') {
            in_str = 1;
        } else if (*q == '[' || *q == '{') {
            depth++;
        } else if ((*q == ']' || *q == '}') && --depth == 0) {
            break;
        }
    }
    ck_assert_msg(*q != '\0', "unterminated %s", key);
    return (span){p + 1, q};
}

typedef struct vec_proof {
    uint64_t a, b; /* index and size, or size1 and size2 */
    size_t n;
    uint8_t proof[MAXP][32];
} vec_proof;

typedef struct vectors {
    size_t nleaves;
    uint8_t leaf[16][64];
    size_t leaf_len[16];
    uint8_t leaf_hash[16][32];
    size_t nroots;
    uint64_t root_size[16];
    uint8_t root[16][32];
    size_t nincl, ncons, nsplit;
    vec_proof incl[64], cons[64];
    uint64_t split_n[16], split_k[16];
    size_t objects_incl, objects_cons; /* '{' seen, to show nothing was skipped */
} vectors;

static void
hex_any(uint8_t *out, size_t *len, size_t cap, const char *hex)
{
    size_t n = strlen(hex);
    ck_assert(n % 2 == 0 && n / 2 <= cap);
    *len = n / 2;
    if (n)
        tu_hex(out, n / 2, hex);
}

/* Reads the array of {"<ka>": n, "<kb>": n, "proof": [hex...]} objects under key. */
static size_t
read_proofs(const char *json, const char *key, const char *ka, const char *kb, vec_proof *out,
            size_t max, size_t *objects)
{
    char buf[256] = "", k[64] = "";
    span s = section(json, key);
    size_t n = 0;
    int t;
    *objects = 0;
    while ((t = tok(&s, buf, sizeof buf)) != T_END) {
        ck_assert_int_eq(t, '{');
        ++*objects;
        ck_assert_uint_lt(n, max);
        vec_proof *v = &out[n++];
        int seen = 0;
        memset(v, 0, sizeof *v);
        while ((t = tok(&s, k, sizeof k)) != '}') {
            ck_assert_int_eq(t, T_STR);
            if (strcmp(k, "proof") == 0) {
                ck_assert_int_eq(tok(&s, buf, sizeof buf), '[');
                while ((t = tok(&s, buf, sizeof buf)) != ']') {
                    ck_assert_int_eq(t, T_STR);
                    ck_assert_uint_lt(v->n, MAXP);
                    tu_hex(v->proof[v->n++], 32, buf);
                }
                seen |= 4;
            } else {
                ck_assert_int_eq(tok(&s, buf, sizeof buf), T_NUM);
                if (strcmp(k, ka) == 0) {
                    v->a = num(buf);
                    seen |= 1;
                } else if (strcmp(k, kb) == 0) {
                    v->b = num(buf);
                    seen |= 2;
                } else {
                    ck_abort_msg("unexpected key %s", k);
                }
            }
        }
        ck_assert_int_eq(seen, 7);
    }
    return n;
}

static vectors *
load_vectors(void)
{
    size_t len;
    char *json = tu_read_vector("rfc6962.json", &len);
    vectors *v = calloc(1, sizeof *v);
    char buf[256] = "", val[256] = "";
    span s;
    int t;
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(strlen(json), len);

    s = section(json, "leaves");
    while ((t = tok(&s, buf, sizeof buf)) != T_END) {
        ck_assert_int_eq(t, T_STR);
        ck_assert_uint_lt(v->nleaves, 16);
        hex_any(v->leaf[v->nleaves], &v->leaf_len[v->nleaves], 64, buf);
        v->nleaves++;
    }
    s = section(json, "leaf_hashes");
    for (size_t i = 0; (t = tok(&s, buf, sizeof buf)) != T_END; i++) {
        ck_assert_int_eq(t, T_STR);
        ck_assert_uint_lt(i, v->nleaves);
        tu_hex(v->leaf_hash[i], 32, buf);
    }
    s = section(json, "roots");
    while ((t = tok(&s, buf, sizeof buf)) != T_END) {
        ck_assert_int_eq(t, T_STR);
        ck_assert_int_eq(tok(&s, val, sizeof val), T_STR);
        ck_assert_uint_lt(v->nroots, 16);
        v->root_size[v->nroots] = num(buf);
        tu_hex(v->root[v->nroots++], 32, val);
    }
    s = section(json, "split_points");
    while ((t = tok(&s, buf, sizeof buf)) != T_END) {
        ck_assert_int_eq(t, T_STR);
        ck_assert_int_eq(tok(&s, val, sizeof val), T_NUM);
        ck_assert_uint_lt(v->nsplit, 16);
        v->split_n[v->nsplit] = num(buf);
        v->split_k[v->nsplit++] = num(val);
    }
    v->nincl = read_proofs(json, "inclusion", "index", "size", v->incl, 64, &v->objects_incl);
    v->ncons = read_proofs(json, "consistency", "size1", "size2", v->cons, 64, &v->objects_cons);
    free(json);

    /* The file holds the classic 8-leaf tree: all of it must have been read. */
    ck_assert_uint_eq(v->nleaves, 8);
    ck_assert_uint_eq(v->nroots, 9);
    ck_assert_uint_ge(v->nsplit, 1);
    ck_assert_uint_eq(v->nincl, v->objects_incl);
    ck_assert_uint_eq(v->ncons, v->objects_cons);
    ck_assert_uint_eq(v->nincl, 36); /* every (index, size) with size <= 8 */
    ck_assert_uint_eq(v->ncons, 36); /* every 1 <= size1 <= size2 <= 8 */
    return v;
}

static const uint8_t *
vec_root_of(void *ctx, uint64_t size)
{
    const vectors *v = ctx;
    for (size_t i = 0; i < v->nroots; i++)
        if (v->root_size[i] == size)
            return v->root[i];
    return NULL;
}

static const uint8_t *
vec_root(const vectors *v, uint64_t size)
{
    const uint8_t *r = vec_root_of((void *)v, size);
    ck_assert_msg(r != NULL, "no root for size %llu", (unsigned long long)size);
    return r;
}

/* ---------------------------------------------------------------- mutations */

static void
flip(uint8_t h[32], unsigned bit)
{
    h[(bit / 8) % 32] ^= (uint8_t)(1u << (bit % 8));
}

/* The root of the test tree of `size` leaves, or NULL if the test does not know it. */
typedef const uint8_t *(*root_fn)(void *ctx, uint64_t size);

/*
 * A valid inclusion proof must verify, and every mutation of it must not. A wrong size is
 * checked against the root of a tree of that size: with the original root it can pass,
 * because the size only fixes the shape of the path and two sizes can share one (leaf 0 of 3
 * and of 4 both hash left, left). A signed checkpoint binds size and root together.
 */
static void
check_inclusion_mutations(const uint8_t leaf[32], uint64_t idx, uint64_t size,
                          const uint8_t (*proof)[32], size_t n, const uint8_t root[32],
                          root_fn root_of, void *rctx)
{
    uint8_t p[MAXP + 2][32], h[32], got[32];

    ck_assert_int_eq(skl_merkle_verify_inclusion(leaf, idx, size, proof, n, root), SKL_OK);
    ck_assert_int_eq(skl_merkle_root_from_inclusion(got, leaf, idx, size, proof, n), SKL_OK);
    ck_assert_mem_eq(got, root, 32);

    /* wrong index (same tree), wrong size (that size's tree), impossible pairs */
    const uint64_t bad[][2] = {{idx + 1, size}, {idx - 1, size}, {idx, size + 1},   {idx, size - 1},
                               {size, size},    {idx, 0},        {UINT64_MAX, size}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const uint8_t *rt = bad[i][1] == size ? root : root_of(rctx, bad[i][1]);
        if (rt == NULL && bad[i][0] < bad[i][1])
            continue; /* a possible size beyond the test tree: no root to check against */
        if (rt == NULL)
            rt = root; /* impossible pairs fail whatever the root */
        ck_assert_msg(
            skl_merkle_verify_inclusion(leaf, bad[i][0], bad[i][1], proof, n, rt) == SKL_ERR_VERIFY,
            "index %llu size %llu accepted as %llu/%llu", (unsigned long long)idx,
            (unsigned long long)size, (unsigned long long)bad[i][0], (unsigned long long)bad[i][1]);
    }
    /* each hash flipped in one bit */
    for (size_t i = 0; i < n; i++) {
        memcpy(p, proof, n * 32);
        flip(p[i], (unsigned)(i * 37 + 5));
        ck_assert_int_eq(skl_merkle_verify_inclusion(leaf, idx, size, CP(p), n, root),
                         SKL_ERR_VERIFY);
    }
    /* each hash dropped */
    for (size_t i = 0; i < n; i++) {
        memcpy(p, proof, i * 32);
        memcpy(p[i], proof[i + 1], (n - i - 1) * 32);
        ck_assert_int_eq(skl_merkle_verify_inclusion(leaf, idx, size, CP(p), n - 1, root),
                         SKL_ERR_VERIFY);
    }
    /* one added: duplicate of the last, zeros */
    memcpy(p, proof, n * 32);
    if (n > 0) {
        memcpy(p[n], proof[n - 1], 32);
        ck_assert_int_eq(skl_merkle_verify_inclusion(leaf, idx, size, CP(p), n + 1, root),
                         SKL_ERR_VERIFY);
    }
    memset(p[n], 0, 32);
    ck_assert_int_eq(skl_merkle_verify_inclusion(leaf, idx, size, CP(p), n + 1, root),
                     SKL_ERR_VERIFY);
    /* wrong root, wrong leaf */
    memcpy(h, root, 32);
    flip(h, 77);
    ck_assert_int_eq(skl_merkle_verify_inclusion(leaf, idx, size, proof, n, h), SKL_ERR_VERIFY);
    memcpy(h, leaf, 32);
    flip(h, 200);
    ck_assert_int_eq(skl_merkle_verify_inclusion(h, idx, size, proof, n, root), SKL_ERR_VERIFY);
    ck_assert_int_eq(skl_merkle_verify_inclusion(root, idx, size, proof, n, root),
                     n == 0 ? SKL_OK : SKL_ERR_VERIFY); /* size 1: the leaf is the root */
}

/* A valid consistency proof must verify, and every mutation of it must not. Wrong sizes are
 * checked with the roots of trees of those sizes, as for inclusion. */
static void
check_consistency_mutations(uint64_t s1, uint64_t s2, const uint8_t r1[32], const uint8_t r2[32],
                            const uint8_t (*proof)[32], size_t n, root_fn root_of, void *rctx)
{
    uint8_t p[MAXP + 2][32], h[32], b1[32], b2[32];

    ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, r1, r2, proof, n), SKL_OK);

    const uint64_t bad[][2] = {
        {s1 + 1, s2}, {s1 - 1, s2}, {s1, s2 + 1}, {s1, s2 - 1},    {s2, s1 == s2 ? 0 : s1},
        {0, s2},      {s2 + 1, s2}, {s1, 0},      {UINT64_MAX, s2}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* copies: root_of may reuse one buffer */
        const uint8_t *t1 = bad[i][0] == s1 ? r1 : root_of(rctx, bad[i][0]);
        memcpy(b1, t1 != NULL ? t1 : r1, 32);
        const uint8_t *t2 = bad[i][1] == s2 ? r2 : root_of(rctx, bad[i][1]);
        memcpy(b2, t2 != NULL ? t2 : r2, 32);
        if ((t1 == NULL || t2 == NULL) && bad[i][0] > 0 && bad[i][0] <= bad[i][1])
            continue; /* a possible pair beyond the test tree: no roots to check against */
        ck_assert_msg(
            skl_merkle_verify_consistency(bad[i][0], bad[i][1], b1, b2, proof, n) == SKL_ERR_VERIFY,
            "%llu->%llu accepted as %llu->%llu", (unsigned long long)s1, (unsigned long long)s2,
            (unsigned long long)bad[i][0], (unsigned long long)bad[i][1]);
    }
    /* swapped sizes (and roots) */
    if (s1 != s2)
        ck_assert_int_eq(skl_merkle_verify_consistency(s2, s1, r2, r1, proof, n), SKL_ERR_VERIFY);
    for (size_t i = 0; i < n; i++) {
        memcpy(p, proof, n * 32);
        flip(p[i], (unsigned)(i * 53 + 1));
        ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, r1, r2, CP(p), n), SKL_ERR_VERIFY);
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(p, proof, i * 32);
        memcpy(p[i], proof[i + 1], (n - i - 1) * 32);
        ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, r1, r2, CP(p), n - 1),
                         SKL_ERR_VERIFY);
    }
    memcpy(p, proof, n * 32);
    if (n > 0) {
        memcpy(p[n], proof[n - 1], 32);
        ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, r1, r2, CP(p), n + 1),
                         SKL_ERR_VERIFY);
    }
    memset(p[n], 0, 32);
    ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, r1, r2, CP(p), n + 1), SKL_ERR_VERIFY);
    memcpy(h, r1, 32);
    flip(h, 3);
    ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, h, r2, proof, n), SKL_ERR_VERIFY);
    memcpy(h, r2, 32);
    flip(h, 250);
    ck_assert_int_eq(skl_merkle_verify_consistency(s1, s2, r1, h, proof, n), SKL_ERR_VERIFY);
}

/* ---------------------------------------------------------------- vectors */

START_TEST(test_leaf_hashes)
{
    vectors *v = load_vectors();
    uint8_t h[32];
    for (size_t i = 0; i < v->nleaves; i++) {
        skl_merkle_leaf_hash(h, v->leaf[i], v->leaf_len[i]);
        ck_assert_mem_eq(h, v->leaf_hash[i], 32);
    }
    ck_assert_uint_eq(v->leaf_len[0], 0);
    skl_merkle_leaf_hash(h, NULL, 0);
    ck_assert_mem_eq(h, v->leaf_hash[0], 32);
    /* node hash: root of 2 is H(0x01 || l0 || l1); out may alias an input */
    skl_merkle_node_hash(h, v->leaf_hash[0], v->leaf_hash[1]);
    ck_assert_mem_eq(h, vec_root(v, 2), 32);
    memcpy(h, v->leaf_hash[1], 32);
    skl_merkle_node_hash(h, v->leaf_hash[0], h);
    ck_assert_mem_eq(h, vec_root(v, 2), 32);
    free(v);
}
END_TEST

START_TEST(test_roots)
{
    vectors *v = load_vectors();
    mem_tree t;
    skl_merkle_range r;
    uint8_t h[32];

    tree_build(&t, CP(v->leaf_hash), v->nleaves);
    skl_merkle_range_init(&r);
    for (uint64_t size = 0; size <= v->nleaves; size++) {
        t.limit = size;
        t.calls = 0;
        ck_assert_int_eq(skl_merkle_root(h, size, tree_get, &t), SKL_OK);
        ck_assert_mem_eq(h, vec_root(v, size), 32);
        ck_assert_uint_eq(t.calls, (unsigned)__builtin_popcountll(size));
        skl_merkle_fold(h, CP(v->leaf_hash), (size_t)size);
        ck_assert_mem_eq(h, vec_root(v, size), 32);
        ref_mth(h, CP(v->leaf_hash), size);
        ck_assert_mem_eq(h, vec_root(v, size), 32);
        skl_merkle_range_root(&r, h);
        ck_assert_mem_eq(h, vec_root(v, size), 32);
        if (size < v->nleaves)
            ck_assert_int_eq(skl_merkle_range_append(&r, v->leaf_hash[size], NULL, NULL), SKL_OK);
    }
    /* the empty tree, without a callback */
    ck_assert_int_eq(skl_merkle_root(h, 0, NULL, NULL), SKL_OK);
    ck_assert_mem_eq(h, vec_root(v, 0), 32);
    tree_free(&t);
    free(v);
}
END_TEST

START_TEST(test_split_points)
{
    vectors *v = load_vectors();
    for (size_t i = 0; i < v->nsplit; i++) {
        ck_assert_uint_eq(skl_merkle_split(v->split_n[i]), v->split_k[i]);
        ck_assert_uint_eq(ref_split(v->split_n[i]), v->split_k[i]);
    }
    for (uint64_t n = 2; n < 5000; n++)
        ck_assert_uint_eq(skl_merkle_split(n), ref_split(n));
    ck_assert_uint_eq(skl_merkle_split(0), 0);
    ck_assert_uint_eq(skl_merkle_split(1), 0);
    ck_assert_uint_eq(skl_merkle_split(((uint64_t)1 << 63) + 1), (uint64_t)1 << 63);
    ck_assert_uint_eq(skl_merkle_split((uint64_t)1 << 63), (uint64_t)1 << 62);
    ck_assert_uint_eq(skl_merkle_split(UINT64_MAX), (uint64_t)1 << 63);
    free(v);
}
END_TEST

START_TEST(test_inclusion_vectors)
{
    vectors *v = load_vectors();
    mem_tree t;
    uint8_t proof[MAXP][32];
    size_t n;

    tree_build(&t, CP(v->leaf_hash), v->nleaves);
    for (size_t i = 0; i < v->nincl; i++) {
        const vec_proof *e = &v->incl[i];
        t.limit = e->b;
        ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, e->a, e->b, tree_get, &t), SKL_OK);
        ck_assert_uint_eq(n, e->n);
        if (n)
            ck_assert_mem_eq(proof, e->proof, n * 32);
        check_inclusion_mutations(v->leaf_hash[e->a], e->a, e->b, CP(e->proof), e->n,
                                  vec_root(v, e->b), vec_root_of, v);
        /* another leaf of the same tree is not at this index */
        const uint8_t *other = v->leaf_hash[(e->a + 1) % e->b];
        if (e->b > 1)
            ck_assert_int_eq(skl_merkle_verify_inclusion(other, e->a, e->b, CP(e->proof), e->n,
                                                         vec_root(v, e->b)),
                             SKL_ERR_VERIFY);
    }
    tree_free(&t);
    free(v);
}
END_TEST

START_TEST(test_consistency_vectors)
{
    vectors *v = load_vectors();
    mem_tree t;
    uint8_t proof[MAXP][32];
    size_t n;

    tree_build(&t, CP(v->leaf_hash), v->nleaves);
    for (size_t i = 0; i < v->ncons; i++) {
        const vec_proof *e = &v->cons[i];
        t.limit = e->b;
        ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, e->a, e->b, tree_get, &t), SKL_OK);
        ck_assert_uint_eq(n, e->n);
        if (n)
            ck_assert_mem_eq(proof, e->proof, n * 32);
        check_consistency_mutations(e->a, e->b, vec_root(v, e->a), vec_root(v, e->b), CP(e->proof),
                                    e->n, vec_root_of, v);
        /* the old root of a different size does not verify */
        if (e->a > 1)
            ck_assert_int_eq(skl_merkle_verify_consistency(e->a, e->b, vec_root(v, e->a - 1),
                                                           vec_root(v, e->b), CP(e->proof), e->n),
                             SKL_ERR_VERIFY);
    }
    tree_free(&t);
    free(v);
}
END_TEST

/* ---------------------------------------------------------------- arguments and errors */

START_TEST(test_bad_arguments)
{
    vectors *v = load_vectors();
    mem_tree t;
    uint8_t proof[MAXP][32], h[32];
    size_t n = 99;

    tree_build(&t, CP(v->leaf_hash), v->nleaves);
    ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, 8, 8, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, 0, 0, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_inclusion_proof(NULL, &n, 0, 1, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_inclusion_proof(proof, NULL, 0, 1, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, 0, 1, NULL, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, 0, 5, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, 6, 5, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, 0, 0, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_consistency_proof(NULL, &n, 1, 2, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, 1, 2, NULL, &t), SKL_ERR_INVAL);
    n = 99;
    ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, 5, 5, tree_get, &t), SKL_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(skl_merkle_root(NULL, 1, tree_get, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_root(h, 1, NULL, &t), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_range_load(NULL, 1, tree_get, &t), SKL_ERR_INVAL);

    /* verification: NULL hash pointers, a NULL proof with a count */
    const uint8_t *r3 = vec_root(v, 3);
    ck_assert_int_eq(skl_merkle_verify_inclusion(NULL, 0, 1, NULL, 0, r3), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_verify_inclusion(r3, 0, 1, NULL, 0, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_verify_inclusion(r3, 0, 3, NULL, 2, r3), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_root_from_inclusion(NULL, r3, 0, 1, NULL, 0), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_verify_consistency(1, 3, NULL, r3, NULL, 0), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_verify_consistency(1, 3, r3, r3, NULL, 2), SKL_ERR_INVAL);
    /* impossible sizes and counts */
    ck_assert_int_eq(skl_merkle_verify_inclusion(r3, 0, 0, NULL, 0, r3), SKL_ERR_VERIFY);
    ck_assert_int_eq(skl_merkle_verify_consistency(0, 0, r3, r3, NULL, 0), SKL_ERR_VERIFY);
    ck_assert_int_eq(skl_merkle_verify_consistency(3, 3, r3, r3, NULL, 0), SKL_OK);
    ck_assert_int_eq(skl_merkle_verify_consistency(3, 3, r3, vec_root(v, 4), NULL, 0),
                     SKL_ERR_VERIFY);
    ck_assert_int_eq(skl_merkle_verify_consistency(3, 4, r3, vec_root(v, 4), NULL, 0),
                     SKL_ERR_VERIFY);
    memset(proof, 0, sizeof proof);
    ck_assert_int_eq(skl_merkle_verify_inclusion(r3, 0, 3, CP(proof), (size_t)-1, r3),
                     SKL_ERR_VERIFY);
    ck_assert_int_eq(skl_merkle_verify_consistency(1, 8, r3, r3, CP(proof), (size_t)-1),
                     SKL_ERR_VERIFY);
    tree_free(&t);
    free(v);
}
END_TEST

/* get's error passes through from every call position; a positive return is SKL_ERR_STATE. */
START_TEST(test_get_errors)
{
    vectors *v = load_vectors();
    mem_tree t;
    uint8_t proof[MAXP][32], h[32];
    size_t n;
    skl_merkle_range r, before;

    tree_build(&t, CP(v->leaf_hash), v->nleaves);
    for (int mode = 0; mode < 4; mode++) {
        unsigned total;
        t.calls = 0;
        t.fail_at = 0;
        t.limit = 7;
        switch (mode) {
        case 0: ck_assert_int_eq(skl_merkle_root(h, 7, tree_get, &t), SKL_OK); break;
        case 1:
            ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, 1, 7, tree_get, &t), SKL_OK);
            break;
        case 2:
            ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, 3, 7, tree_get, &t), SKL_OK);
            break;
        default: ck_assert_int_eq(skl_merkle_range_load(&r, 7, tree_get, &t), SKL_OK); break;
        }
        total = t.calls;
        ck_assert_uint_ge(total, 3);
        for (unsigned k = 1; k <= total; k++) {
            for (int pos = 0; pos < 2; pos++) {
                skl_err want = pos ? SKL_ERR_STATE : SKL_ERR_DB;
                t.calls = 0;
                t.fail_at = k;
                t.fail_rc = pos ? 7 : SKL_ERR_DB;
                skl_err got;
                switch (mode) {
                case 0: got = skl_merkle_root(h, 7, tree_get, &t); break;
                case 1:
                    n = 99;
                    got = skl_merkle_inclusion_proof(proof, &n, 1, 7, tree_get, &t);
                    ck_assert_uint_eq(n, 0);
                    break;
                case 2:
                    n = 99;
                    got = skl_merkle_consistency_proof(proof, &n, 3, 7, tree_get, &t);
                    ck_assert_uint_eq(n, 0);
                    break;
                default:
                    memset(&r, 0xA5, sizeof r);
                    before = r;
                    got = skl_merkle_range_load(&r, 7, tree_get, &t);
                    ck_assert_mem_eq(&r, &before, sizeof r);
                    break;
                }
                ck_assert_int_eq(got, want);
                ck_assert_uint_eq(t.calls, k); /* stopped at the failing call */
            }
        }
    }
    tree_free(&t);
    free(v);
}
END_TEST

/* ---------------------------------------------------------------- compact range */

static uint32_t
lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static uint8_t (*random_leaves(uint64_t n, uint32_t seed))[32]
{
    uint8_t(*l)[32] = malloc((size_t)n * 32);
    uint8_t data[40];
    ck_assert_ptr_nonnull(l);
    for (uint64_t i = 0; i < n; i++) {
        size_t len = lcg(&seed) % sizeof data;
        for (size_t j = 0; j < len; j++)
            data[j] = (uint8_t)lcg(&seed);
        skl_merkle_leaf_hash(l[i], data, len);
    }
    return l;
}

typedef struct emit_log {
    const mem_tree *t;
    uint64_t leaf;   /* index of the leaf being appended */
    unsigned next_h; /* height the next call must have */
    uint64_t calls;  /* in this append */
    uint64_t total;  /* over all appends */
    unsigned fail_h; /* height whose call fails, when fail_on */
    int fail_on;     /* whether fail_h applies */
} emit_log;

static int
emit_check(void *ctx, unsigned height, uint64_t index, const uint8_t hash[32])
{
    emit_log *e = ctx;
    ck_assert_uint_eq(height, e->next_h);
    e->next_h++;
    /* the subtree ends exactly at the new leaf */
    ck_assert_uint_eq(index, e->leaf >> height);
    ck_assert_uint_eq(((index + 1) << height) - 1, e->leaf);
    ck_assert_uint_lt(index, e->t->nlv[height]);
    ck_assert_mem_eq(hash, e->t->lv[height][index], 32);
    e->calls++;
    e->total++;
    if (e->fail_on && height == e->fail_h)
        return SKL_ERR_IO;
    return 0;
}

START_TEST(test_range_append)
{
    const uint64_t N = 300;
    uint8_t(*leaves)[32] = random_leaves(N, 12345);
    mem_tree t;
    skl_merkle_range r, loaded;
    emit_log e;
    uint8_t a[32], b[32];

    tree_build(&t, CP(leaves), N);
    memset(&e, 0, sizeof e);
    e.t = &t;
    skl_merkle_range_init(&r);
    for (uint64_t size = 0;; size++) {
        /* state at `size` leaves: root and load agree with the appended range */
        t.limit = size;
        t.calls = 0;
        ck_assert_int_eq(skl_merkle_root(a, size, tree_get, &t), SKL_OK);
        skl_merkle_range_root(&r, b);
        ck_assert_mem_eq(a, b, 32);
        ref_mth(b, CP(leaves), size);
        ck_assert_mem_eq(a, b, 32);
        t.calls = 0;
        memset(&loaded, 0xA5, sizeof loaded);
        ck_assert_int_eq(skl_merkle_range_load(&loaded, size, tree_get, &t), SKL_OK);
        ck_assert_uint_eq(t.calls, (unsigned)__builtin_popcountll(size));
        ck_assert_mem_eq(&loaded, &r, sizeof r);
        if (size == N)
            break;

        e.leaf = size;
        e.next_h = 0;
        e.calls = 0;
        ck_assert_int_eq(skl_merkle_range_append(&r, leaves[size], emit_check, &e), SKL_OK);
        /* the leaf, plus one subtree per trailing 1 bit of its index */
        ck_assert_uint_eq(e.calls, 1 + (uint64_t)__builtin_ctzll(~size));
        ck_assert_uint_eq(r.size, size + 1);
    }
    /* every complete subtree of the final tree was emitted exactly once */
    uint64_t complete = 0;
    for (unsigned h = 0; h < 64; h++)
        complete += N >> h;
    ck_assert_uint_eq(e.total, complete);

    tree_free(&t);
    free(leaves);
}
END_TEST

START_TEST(test_range_emit_abort)
{
    const uint64_t N = 16;
    uint8_t(*leaves)[32] = random_leaves(N, 777);
    mem_tree t;
    skl_merkle_range r, before;
    emit_log e;
    uint8_t a[32], b[32];

    tree_build(&t, CP(leaves), N);
    memset(&e, 0, sizeof e);
    e.t = &t;
    skl_merkle_range_init(&r);
    for (uint64_t i = 0; i < N; i++) {
        /* leaf 7 completes heights 0..3; fail at each in turn, the range must not change */
        for (unsigned fh = 0; i == 7 && fh <= 3; fh++) {
            before = r;
            e.leaf = i;
            e.next_h = 0;
            e.fail_on = 1;
            e.fail_h = fh;
            ck_assert_int_eq(skl_merkle_range_append(&r, leaves[i], emit_check, &e), SKL_ERR_IO);
            ck_assert_uint_eq(e.next_h, fh + 1);
            ck_assert_mem_eq(&r, &before, sizeof r);
        }
        e.fail_on = 0;
        ck_assert_int_eq(skl_merkle_range_append(&r, leaves[i], NULL, NULL), SKL_OK);
    }
    t.limit = N;
    ck_assert_int_eq(skl_merkle_root(a, N, tree_get, &t), SKL_OK);
    skl_merkle_range_root(&r, b);
    ck_assert_mem_eq(a, b, 32);
    ck_assert_int_eq(skl_merkle_range_append(NULL, leaves[0], NULL, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_merkle_range_append(&r, NULL, NULL, NULL), SKL_ERR_INVAL);
    tree_free(&t);
    free(leaves);
}
END_TEST

START_TEST(test_fold)
{
    uint8_t(*h)[32] = random_leaves(130, 99);
    uint8_t a[32], b[32];
    for (size_t n = 1; n <= 130; n++) {
        skl_merkle_fold(a, CP(h), n);
        ref_mth(b, CP(h), n);
        ck_assert_mem_eq(a, b, 32);
    }
    skl_merkle_fold(a, CP(h), 1);
    ck_assert_mem_eq(a, h[0], 32);
    skl_merkle_fold(a, NULL, 0);
    skl_sha256(b, "", 0);
    ck_assert_mem_eq(a, b, 32);
    free(h);
}
END_TEST

/* ---------------------------------------------------------------- 1000-leaf cross-check */

typedef struct ref_roots {
    const uint8_t (*d)[32];
    uint64_t n;
    uint8_t buf[32];
} ref_roots;

static const uint8_t *
ref_root_of(void *ctx, uint64_t size)
{
    ref_roots *rr = ctx;
    if (size == 0 || size > rr->n)
        return NULL;
    ref_mth(rr->buf, rr->d, size);
    return rr->buf;
}

START_TEST(test_reference_1000)
{
    const uint64_t N = 1000;
    uint8_t(*leaves)[32] = random_leaves(N, 4242);
    const uint8_t(*d)[32] = CP(leaves);
    mem_tree t;
    uint8_t proof[MAXP][32], want[MAXP][32], r1[32], r2[32];
    size_t n, wn;
    uint32_t seed = 1;
    uint64_t sizes[200];
    size_t ns = 0;

    ref_roots rc = {d, N, {0}};

    tree_build(&t, d, N);
    for (uint64_t s = 1; s <= 70; s++)
        sizes[ns++] = s;
    const uint64_t special[] = {127, 128, 129, 255, 256, 257, 341, 500, 511,
                                512, 513, 640, 767, 768, 769, 999, 1000};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        sizes[ns++] = special[i];
    while (ns < 120)
        sizes[ns++] = 1 + lcg(&seed) % N;

    unsigned checked_incl = 0, checked_cons = 0;
    for (size_t si = 0; si < ns; si++) {
        uint64_t size = sizes[si];
        ref_mth(r2, d, size);
        const uint64_t idxs[] = {
            0, size - 1, size / 2, size / 3, (size * 7) / 11, lcg(&seed) % size, lcg(&seed) % size};
        for (size_t ii = 0; ii < sizeof idxs / sizeof idxs[0]; ii++) {
            uint64_t idx = idxs[ii];
            t.limit = size;
            t.calls = 0;
            ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, idx, size, tree_get, &t),
                             SKL_OK);
            ck_assert_uint_le(t.calls, 2 * 11); /* O(log n) reads */
            wn = 0;
            ref_path(want, &wn, idx, d, size);
            ck_assert_uint_eq(n, wn);
            if (n)
                ck_assert_mem_eq(proof, want, n * 32);
            if (ii < 3 || si % 8 == 0)
                check_inclusion_mutations(d[idx], idx, size, CP(proof), n, r2, ref_root_of, &rc);
            else
                ck_assert_int_eq(skl_merkle_verify_inclusion(d[idx], idx, size, CP(proof), n, r2),
                                 SKL_OK);
            checked_incl++;
        }
        /* consistency from a few older sizes */
        const uint64_t olds[] = {1, size, size / 2 + 1, size - size / 5, 1 + lcg(&seed) % size};
        for (size_t oi = 0; oi < sizeof olds / sizeof olds[0]; oi++) {
            uint64_t s1 = olds[oi];
            t.limit = size;
            t.calls = 0;
            ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, s1, size, tree_get, &t),
                             SKL_OK);
            ck_assert_uint_le(t.calls, 2 * 11 + 1);
            wn = 0;
            if (s1 < size)
                ref_subproof(want, &wn, s1, d, size, 1);
            ck_assert_uint_eq(n, wn);
            if (n)
                ck_assert_mem_eq(proof, want, n * 32);
            ref_mth(r1, d, s1);
            if (oi < 3 || si % 8 == 0)
                check_consistency_mutations(s1, size, r1, r2, CP(proof), n, ref_root_of, &rc);
            else
                ck_assert_int_eq(skl_merkle_verify_consistency(s1, size, r1, r2, CP(proof), n),
                                 SKL_OK);
            checked_cons++;
        }
    }
    ck_assert_uint_ge(checked_incl, 800);
    ck_assert_uint_ge(checked_cons, 600);
    tree_free(&t);
    free(leaves);
}
END_TEST

/* Every proof in a smaller tree, exhaustively: all (index, size) and (size1, size2) to 64. */
START_TEST(test_exhaustive_64)
{
    const uint64_t N = 64;
    uint8_t(*leaves)[32] = random_leaves(N, 31337);
    const uint8_t(*d)[32] = CP(leaves);
    mem_tree t;
    uint8_t proof[MAXP][32], want[MAXP][32], roots[65][32];
    size_t n, wn;

    tree_build(&t, d, N);
    for (uint64_t s = 0; s <= N; s++)
        ref_mth(roots[s], d, s);
    for (uint64_t size = 1; size <= N; size++) {
        t.limit = size;
        for (uint64_t idx = 0; idx < size; idx++) {
            ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, idx, size, tree_get, &t),
                             SKL_OK);
            wn = 0;
            ref_path(want, &wn, idx, d, size);
            ck_assert_uint_eq(n, wn);
            if (n)
                ck_assert_mem_eq(proof, want, n * 32);
            ck_assert_int_eq(
                skl_merkle_verify_inclusion(d[idx], idx, size, CP(proof), n, roots[size]), SKL_OK);
            /* the same proof never passes for a neighbouring position or size */
            ck_assert_int_eq(
                skl_merkle_verify_inclusion(d[idx], idx ^ 1, size, CP(proof), n, roots[size]),
                SKL_ERR_VERIFY);
        }
        for (uint64_t s1 = 1; s1 <= size; s1++) {
            ck_assert_int_eq(skl_merkle_consistency_proof(proof, &n, s1, size, tree_get, &t),
                             SKL_OK);
            wn = 0;
            if (s1 < size)
                ref_subproof(want, &wn, s1, d, size, 1);
            ck_assert_uint_eq(n, wn);
            if (n)
                ck_assert_mem_eq(proof, want, n * 32);
            ck_assert_int_eq(
                skl_merkle_verify_consistency(s1, size, roots[s1], roots[size], CP(proof), n),
                SKL_OK);
            if (s1 > 1)
                ck_assert_int_eq(skl_merkle_verify_consistency(s1 - 1, size, roots[s1 - 1],
                                                               roots[size], CP(proof), n),
                                 SKL_ERR_VERIFY);
        }
    }
    tree_free(&t);
    free(leaves);
}
END_TEST

/* ---------------------------------------------------------------- trails */

/* A trail gives exactly skl_merkle_verify_inclusion()'s verdicts: for every tree size up to
 * 130, every leaf in ascending then shuffled order, each good proof followed by bad ones
 * (a flipped byte in any hash, one hash short or extra, the neighbour's index, another root),
 * so the trail is also exercised right after failures; and it does save hashing. */
START_TEST(test_trail_matches_plain)
{
    const uint64_t N = 130;
    uint8_t(*leaves)[32] = random_leaves(N, 4242);
    const uint8_t(*d)[32] = CP(leaves);
    mem_tree t;
    uint8_t proof[MAXP + 1][32], root[32], other[32];
    size_t n;
    uint64_t order[130], shortcuts = 0, calls = 0;
    tree_build(&t, d, N);
    srand(977);
    for (uint64_t size = 1; size <= N; size++) {
        t.limit = size;
        ref_mth(root, d, size);
        memcpy(other, root, 32);
        other[7] ^= 0x10;
        for (int pass = 0; pass < 2; pass++) {
            skl_merkle_trail tr;
            memset(&tr, 0, sizeof tr);
            for (uint64_t i = 0; i < size; i++)
                order[i] = i;
            for (uint64_t i = size; pass == 1 && i > 1; i--) {
                uint64_t j = (uint64_t)rand() % i, k = order[i - 1];
                order[i - 1] = order[j];
                order[j] = k;
            }
            for (uint64_t k = 0; k < size; k++) {
                uint64_t idx = order[k];
                ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, idx, size, tree_get, &t),
                                 SKL_OK);
                struct {
                    uint64_t idx;
                    size_t n;
                    const uint8_t *root;
                    int flip; /* byte to flip, -1 none */
                } c[] = {{idx, n, root, -1},
                         {idx, n, root, n ? rand() % (int)(n * 32) : -1},
                         {idx, n ? n - 1 : 0, root, -1},
                         {idx, n + 1, root, -1},
                         {idx ^ 1, n, root, -1},
                         {idx, n, other, -1},
                         {idx, n, root, -1}};
                memcpy(proof[n], d[(idx * 7) % N], 32); /* what "one extra" appends */
                for (size_t v = 0; v < sizeof c / sizeof c[0]; v++) {
                    uint8_t q[MAXP + 1][32];
                    memcpy(q, proof, (n + 1) * 32);
                    if (c[v].flip >= 0)
                        q[c[v].flip / 32][c[v].flip % 32] ^= 0x01;
                    skl_err want = skl_merkle_verify_inclusion(d[idx], c[v].idx, size, CP(q),
                                                               c[v].n, c[v].root);
                    skl_err got = skl_merkle_verify_inclusion_trail(&tr, d[idx], c[v].idx, size,
                                                                    CP(q), c[v].n, c[v].root);
                    ck_assert_msg(got == want, "size %llu leaf %llu case %zu: trail %d, plain %d",
                                  (unsigned long long)size, (unsigned long long)idx, v, got, want);
                    calls++;
                }
            }
            shortcuts += tr.shortcuts;
        }
    }
    ck_assert_uint_gt(calls, 100000);
    ck_assert_uint_gt(shortcuts, 10000); /* the shortcut was taken, and often */
    tree_free(&t);
    free(leaves);
}
END_TEST

/* ---------------------------------------------------------------- sizes near 2^64 */

/* A consistent tree of any size: leaf i is L[i & 3], so every complete subtree of height >= 2
 * has the same hash P[height]. Proofs and roots of huge trees then cost O(log n). */
typedef struct synth {
    uint8_t L[4][32], P1[2][32], P[64][32];
    unsigned calls;
} synth;

static void
synth_init(synth *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 4; i++) {
        uint8_t b = (uint8_t)(0xC0 + i);
        skl_merkle_leaf_hash(s->L[i], &b, 1);
    }
    skl_merkle_node_hash(s->P1[0], s->L[0], s->L[1]);
    skl_merkle_node_hash(s->P1[1], s->L[2], s->L[3]);
    skl_merkle_node_hash(s->P[2], s->P1[0], s->P1[1]);
    for (int h = 2; h < 63; h++)
        skl_merkle_node_hash(s->P[h + 1], s->P[h], s->P[h]);
}

static int
synth_get(void *ctx, unsigned height, uint64_t index, uint8_t out[32])
{
    synth *s = ctx;
    s->calls++;
    ck_assert_uint_lt(height, 64);
    ck_assert_uint_le(index, UINT64_MAX >> height); /* the subtree fits in 2^64 leaves */
    if (height == 0)
        memcpy(out, s->L[index & 3], 32);
    else if (height == 1)
        memcpy(out, s->P1[index & 1], 32);
    else
        memcpy(out, s->P[height], 32);
    return 0;
}

START_TEST(test_huge_sizes)
{
    synth s;
    uint8_t proof[MAXP][32], root[32], r1[32], got[32];
    skl_merkle_range r, r2;
    size_t n;
    uint32_t seed = 5;
    const uint64_t T63 = (uint64_t)1 << 63;
    const uint64_t sizes[] = {1,
                              2,
                              3,
                              5,
                              ((uint64_t)1 << 32) + 5,
                              ((uint64_t)1 << 40) - 1,
                              T63 - 1,
                              T63,
                              T63 + 1,
                              T63 + 12345,
                              0xAAAAAAAAAAAAAAAAull,
                              0xFFFFFFFF00000000ull,
                              UINT64_MAX - 3,
                              UINT64_MAX - 2,
                              UINT64_MAX - 1,
                              UINT64_MAX};
    const size_t nsizes = sizeof sizes / sizeof sizes[0];

    synth_init(&s);
    for (size_t i = 0; i < nsizes; i++) {
        uint64_t size = sizes[i];
        ck_assert_int_eq(skl_merkle_root(root, size, synth_get, &s), SKL_OK);
        /* range_load agrees, and so does appending one more leaf when possible */
        ck_assert_int_eq(skl_merkle_range_load(&r, size, synth_get, &s), SKL_OK);
        skl_merkle_range_root(&r, got);
        ck_assert_mem_eq(got, root, 32);
        if (size != UINT64_MAX) {
            ck_assert_int_eq(skl_merkle_range_append(&r, s.L[size & 3], NULL, NULL), SKL_OK);
            ck_assert_int_eq(skl_merkle_range_load(&r2, size + 1, synth_get, &s), SKL_OK);
            ck_assert_mem_eq(&r, &r2, sizeof r);
        } else {
            r2 = r;
            ck_assert_int_eq(skl_merkle_range_append(&r, s.L[0], NULL, NULL), SKL_ERR_LIMIT);
            ck_assert_mem_eq(&r, &r2, sizeof r);
        }

        const uint64_t idxs[] = {0,
                                 size - 1,
                                 size / 2,
                                 size - 1 - size / 3,
                                 size > 1 ? size - 2 : 0,
                                 ((uint64_t)lcg(&seed) << 40) % size};
        for (size_t ii = 0; ii < sizeof idxs / sizeof idxs[0]; ii++) {
            uint64_t idx = idxs[ii];
            ck_assert_int_eq(skl_merkle_inclusion_proof(proof, &n, idx, size, synth_get, &s),
                             SKL_OK);
            ck_assert_uint_le(n, MAXP);
            ck_assert_int_eq(
                skl_merkle_verify_inclusion(s.L[idx & 3], idx, size, CP(proof), n, root), SKL_OK);
            ck_assert_int_eq(
                skl_merkle_root_from_inclusion(got, s.L[idx & 3], idx, size, CP(proof), n), SKL_OK);
            ck_assert_mem_eq(got, root, 32);
            ck_assert_int_eq(
                skl_merkle_verify_inclusion(s.L[(idx + 1) & 3], idx, size, CP(proof), n, root),
                SKL_ERR_VERIFY);
            if (n > 0) {
                flip(proof[n - 1], 9);
                ck_assert_int_eq(
                    skl_merkle_verify_inclusion(s.L[idx & 3], idx, size, CP(proof), n, root),
                    SKL_ERR_VERIFY);
            }
            ck_assert_int_eq(
                skl_merkle_verify_inclusion(s.L[idx & 3], idx, size, CP(proof), n + 1, root),
                SKL_ERR_VERIFY);
        }
        for (size_t j = 0; j <= i; j++) {
            uint64_t s1 = sizes[j];
            skl_err err = skl_merkle_consistency_proof(proof, &n, s1, size, synth_get, &s);
            if (err == SKL_ERR_LIMIT) {
                /* only a proof of 65 hashes, into a tree of more than 2^63 leaves */
                ck_assert_uint_gt(size, T63);
                continue;
            }
            ck_assert_int_eq(err, SKL_OK);
            ck_assert_int_eq(skl_merkle_root(r1, s1, synth_get, &s), SKL_OK);
            ck_assert_int_eq(skl_merkle_verify_consistency(s1, size, r1, root, CP(proof), n),
                             SKL_OK);
            if (n > 0) {
                flip(proof[0], 100);
                ck_assert_int_eq(skl_merkle_verify_consistency(s1, size, r1, root, CP(proof), n),
                                 SKL_ERR_VERIFY);
            }
        }
    }
    /* the one shape that needs 65 hashes */
    ck_assert_int_eq(
        skl_merkle_consistency_proof(proof, &n, UINT64_MAX - 2, UINT64_MAX, synth_get, &s),
        SKL_ERR_LIMIT);
    ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *merkle_suite(void);

Suite *
merkle_suite(void)
{
    Suite *s = suite_create("merkle");
    TCase *tc = tcase_create("vectors");
    tcase_add_test(tc, test_leaf_hashes);
    tcase_add_test(tc, test_roots);
    tcase_add_test(tc, test_split_points);
    tcase_add_test(tc, test_inclusion_vectors);
    tcase_add_test(tc, test_consistency_vectors);
    tcase_add_test(tc, test_bad_arguments);
    tcase_add_test(tc, test_get_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("range");
    tcase_add_test(tc, test_range_append);
    tcase_add_test(tc, test_range_emit_abort);
    tcase_add_test(tc, test_fold);
    suite_add_tcase(s, tc);

    tc = tcase_create("reference");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_reference_1000);
    tcase_add_test(tc, test_exhaustive_64);
    tcase_add_test(tc, test_trail_matches_plain);
    tcase_add_test(tc, test_huge_sizes);
    suite_add_tcase(s, tc);
    return s;
}
