/*
 * fuzz_proof.c - libFuzzer target for the Merkle proof verifiers and generators.
 *
 * Input: u64 index, u64 size, u64 size2 (little-endian), then 32-byte hashes: h[0] is the
 * leaf hash / first root, h[1] the root / second root, the rest the proof (a trailing partial
 * hash is ignored). Nothing may crash, and these properties must hold:
 *   - verify_inclusion accepts exactly when root_from_inclusion gives the root;
 *   - proofs generated over a consistent synthetic tree of any size (up to 2^64 - 1) verify,
 *     and fail with a flipped bit.
 * Build:  clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
 *           tests/fuzz/fuzz_proof.c src/merkle.c -lcrypto -o fuzz_proof
 * Or, without libFuzzer, -DSKL_FUZZ_MAIN gives a driver that runs the files named on its
 * command line (a corpus replay).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/merkle.h"

#define MAXH 80 /* more than any valid proof, so over-long inputs reach the verifiers */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t
get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Leaf i is L[i & 3]: every complete subtree of height >= 2 has the hash P[height]. */
typedef struct synth {
    uint8_t L[4][32], P1[2][32], P[64][32];
} synth;

static void
synth_init(synth *s, uint8_t salt)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 4; i++) {
        uint8_t b[2] = {salt, (uint8_t)i};
        skl_merkle_leaf_hash(s->L[i], b, 2);
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
    const synth *s = ctx;
    if (height >= 64 || index > (UINT64_MAX >> height))
        abort(); /* asked for a node that cannot exist */
    if (height == 0)
        memcpy(out, s->L[index & 3], 32);
    else if (height == 1)
        memcpy(out, s->P1[index & 1], 32);
    else
        memcpy(out, s->P[height], 32);
    return 0;
}

static void
check(int cond)
{
    if (!cond)
        abort();
}

/* Verifiers on attacker data: no crash; the two inclusion entry points agree. */
static void
fuzz_verify(uint64_t index, uint64_t size, uint64_t size2, const uint8_t (*h)[32], size_t nh)
{
    static const uint8_t zero[32];
    const uint8_t *a = nh > 0 ? h[0] : zero;
    const uint8_t *b = nh > 1 ? h[1] : zero;
    const uint8_t(*proof)[32] = nh > 2 ? h + 2 : NULL;
    size_t count = nh > 2 ? nh - 2 : 0;
    uint8_t root[32];

    skl_err e1 = skl_merkle_root_from_inclusion(root, a, index, size, proof, count);
    skl_err e2 = skl_merkle_verify_inclusion(a, index, size, proof, count, b);
    check(e1 == SKL_OK || e1 == SKL_ERR_VERIFY);
    check(e2 == SKL_OK || e2 == SKL_ERR_VERIFY);
    check((e2 == SKL_OK) == (e1 == SKL_OK && memcmp(root, b, 32) == 0));
    if (e1 == SKL_OK) {
        check(skl_merkle_verify_inclusion(a, index, size, proof, count, root) == SKL_OK);
        root[31] ^= 1;
        check(skl_merkle_verify_inclusion(a, index, size, proof, count, root) == SKL_ERR_VERIFY);
    }
    /* the whole list as the proof, too */
    skl_err e3 = skl_merkle_verify_inclusion(a, index, size, h, nh, b);
    check(e3 == SKL_OK || e3 == SKL_ERR_VERIFY);

    const uint64_t pairs[][2] = {{size, size2}, {index, size}, {index, size2}, {size2, size}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        skl_err e = skl_merkle_verify_consistency(pairs[i][0], pairs[i][1], a, b, proof, count);
        check(e == SKL_OK || e == SKL_ERR_VERIFY);
        if (pairs[i][0] == 0 || pairs[i][0] > pairs[i][1])
            check(e == SKL_ERR_VERIFY);
        e = skl_merkle_verify_consistency(pairs[i][0], pairs[i][1], a, b, h, nh);
        check(e == SKL_OK || e == SKL_ERR_VERIFY);
    }
}

/* Generators over a consistent tree: what they produce must verify. */
static void
fuzz_roundtrip(uint64_t index, uint64_t size, uint64_t size2, uint8_t salt)
{
    synth s;
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32], root[32], root1[32];
    size_t n;

    synth_init(&s, salt);
    if (size == 0)
        size = 1;
    index %= size;
    check(skl_merkle_root(root, size, synth_get, &s) == SKL_OK);
    check(skl_merkle_inclusion_proof(proof, &n, index, size, synth_get, &s) == SKL_OK);
    check(n <= SKL_MERKLE_MAX_PROOF);
    check(skl_merkle_verify_inclusion(s.L[index & 3], index, size, (const uint8_t(*)[32])proof, n,
                                      root) == SKL_OK);
    if (n > 0) {
        proof[n - 1][0] ^= 0x80;
        check(skl_merkle_verify_inclusion(s.L[index & 3], index, size, (const uint8_t(*)[32])proof,
                                          n, root) != SKL_OK);
    }

    skl_merkle_range r, r2;
    check(skl_merkle_range_load(&r, size, synth_get, &s) == SKL_OK);
    skl_merkle_range_root(&r, root1);
    check(memcmp(root1, root, 32) == 0);
    if (size < UINT64_MAX) {
        check(skl_merkle_range_append(&r, s.L[size & 3], NULL, NULL) == SKL_OK);
        check(skl_merkle_range_load(&r2, size + 1, synth_get, &s) == SKL_OK);
        check(memcmp(&r, &r2, sizeof r) == 0);
    } else {
        check(skl_merkle_range_append(&r, s.L[0], NULL, NULL) == SKL_ERR_LIMIT);
    }

    uint64_t s1 = size2 == 0 ? 1 : size2, s2 = size;
    if (s1 > s2) {
        uint64_t t = s1;
        s1 = s2;
        s2 = t;
        check(skl_merkle_root(root, s2, synth_get, &s) == SKL_OK);
    }
    check(skl_merkle_root(root1, s1, synth_get, &s) == SKL_OK);
    skl_err e = skl_merkle_consistency_proof(proof, &n, s1, s2, synth_get, &s);
    if (e == SKL_ERR_LIMIT) {
        check(s2 > ((uint64_t)1 << 63));
        return;
    }
    check(e == SKL_OK);
    check(skl_merkle_verify_consistency(s1, s2, root1, root, (const uint8_t(*)[32])proof, n) ==
          SKL_OK);
    if (n > 0) {
        proof[0][5] ^= 0x01;
        check(skl_merkle_verify_consistency(s1, s2, root1, root, (const uint8_t(*)[32])proof, n) !=
              SKL_OK);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t h[MAXH][32];
    size_t nh;

    if (size < 24)
        return 0;
    uint64_t index = get_u64(data), tsize = get_u64(data + 8), size2 = get_u64(data + 16);
    nh = (size - 24) / 32;
    if (nh > MAXH)
        nh = MAXH;
    if (nh > 0)
        memcpy(h, data + 24, nh * 32);
    fuzz_verify(index, tsize, size2, (const uint8_t(*)[32])h, nh);
    fuzz_roundtrip(index, tsize, size2, nh > 0 ? h[0][0] : 0);
    return 0;
}

#ifdef SKL_FUZZ_MAIN
int
main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 2;
        }
        static uint8_t buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
    }
    return 0;
}
#endif
