/* check_status.c - the status tree against a plain RFC 6962 fold of the same leaves. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "skl/merkle.h"
#include "status_int.h"
#include "testutil.h"

/* The reference root: every leaf hashed and folded, no cache. */
static void
reference_root(const uint8_t *s, uint64_t n, uint8_t root[32])
{
    uint8_t(*h)[32] = malloc((n ? n : 1) * 32);
    ck_assert_ptr_nonnull(h);
    for (uint64_t i = 0; i < n; i++)
        skl_status_leaf_hash(h[i], i, s[i]);
    skl_merkle_fold(root, (const uint8_t(*)[32])h, n);
    free(h);
}

START_TEST(test_leaf_hash_known_answer)
{
    /* SHA-256(0x00 || 00 00 00 00 00 00 00 05 || 01), from sha256sum. */
    uint8_t h[32], want[32];
    skl_status_leaf_hash(h, 5, SKL_STATUS_REVOKED);
    tu_hex(want, 32, "a4b22a63f38df7961e440da9b18babffe10ffc716e13f955d691409c673cc11b");
    ck_assert_mem_eq(h, want, 32);
}
END_TEST

START_TEST(test_roots_and_proofs_match_reference)
{
    skl_status_tree t;
    skl_status_init(&t);
    uint8_t *shadow = calloc(1200, 1);
    uint64_t seed = 12345;
    for (uint64_t n = 1; n <= 1200; n += (n < 300 ? 1 : 37)) {
        ck_assert_int_eq(skl_status_extend(&t, n), 0);
        /* a few changes anywhere, including in blocks already hashed */
        for (int k = 0; k < 3; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            uint64_t i = (seed >> 33) % n;
            int v = (int)((seed >> 20) % 3);
            skl_status_set(&t, i, v);
            shadow[i] = (uint8_t)v;
        }
        uint8_t root[32], want[32];
        skl_status_root(&t, n, root);
        reference_root(shadow, n, want);
        ck_assert_mem_eq(root, want, 32);
        /* a smaller size than the tree's, as an old snapshot */
        uint64_t m = n / 2 + 1;
        skl_status_root(&t, m, root);
        reference_root(shadow, m, want);
        ck_assert_mem_eq(root, want, 32);
        uint64_t i = (seed >> 7) % n;
        uint8_t proof[64][32], leaf[32];
        size_t count;
        ck_assert_int_eq(skl_status_proof(&t, i, n, proof, &count), 0);
        skl_status_root(&t, n, root);
        skl_status_leaf_hash(leaf, i, shadow[i]);
        ck_assert_int_eq(
            skl_merkle_verify_inclusion(leaf, i, n, (const uint8_t(*)[32])proof, count, root),
            SKL_OK);
        /* the proof of another status for the same leaf does not verify */
        skl_status_leaf_hash(leaf, i, (shadow[i] + 1) % 3);
        ck_assert_int_eq(
            skl_merkle_verify_inclusion(leaf, i, n, (const uint8_t(*)[32])proof, count, root),
            SKL_ERR_VERIFY);
    }
    ck_assert_int_eq(skl_status_proof(&t, 5, 3, NULL, &(size_t){0}), -1);
    free(shadow);
    skl_status_free(&t);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_int_eq(skl_status_value("revoked"), SKL_STATUS_REVOKED);
    ck_assert_int_eq(skl_status_value("superseded"), SKL_STATUS_SUPERSEDED);
    ck_assert_int_eq(skl_status_value("active"), SKL_STATUS_ACTIVE);
    ck_assert_int_eq(skl_status_value("Revoked"), -1);
    ck_assert_str_eq(skl_status_name(2), "superseded");
    ck_assert_str_eq(skl_status_name(7), "unknown");
}
END_TEST

Suite *
status_suite(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, test_leaf_hash_known_answer);
    tcase_add_test(tc, test_roots_and_proofs_match_reference);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}
