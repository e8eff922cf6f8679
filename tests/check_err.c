/* check_err.c - every error code has its own text; unknown codes have one too. */
#include <check.h>
#include <string.h>

#include "skl/skl.h"

START_TEST(test_every_code)
{
    for (int c = SKL_OK; c >= SKL_ERR_LAST; c--) {
        const char *s = skl_strerror(c);
        ck_assert_ptr_nonnull(s);
        ck_assert_msg(strcmp(s, "unknown error") != 0, "code %d has no text", c);
        for (int d = c + 1; d <= SKL_OK; d++)
            ck_assert_msg(strcmp(s, skl_strerror(d)) != 0, "codes %d and %d share a text", c, d);
    }
    ck_assert_str_eq(skl_strerror(SKL_ERR_LAST - 1), "unknown error");
    ck_assert_str_eq(skl_strerror(1), "unknown error");
    ck_assert_str_eq(skl_strerror(-1000), "unknown error");
}
END_TEST

START_TEST(test_init_and_version)
{
    ck_assert_int_eq(skl_init(), SKL_OK);
    ck_assert_int_eq(skl_init(), SKL_OK); /* idempotent */
    ck_assert_str_eq(skl_version(), SKL_VERSION);
}
END_TEST

Suite *
err_suite(void)
{
    Suite *s = suite_create("err");
    TCase *tc = tcase_create("err");
    tcase_add_test(tc, test_every_code);
    tcase_add_test(tc, test_init_and_version);
    suite_add_tcase(s, tc);
    return s;
}
