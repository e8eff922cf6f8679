/* check_utc.c - UTC timestamps: known answers, round trips against libc, refusals. */
#include <check.h>
#include <string.h>
#include <time.h>

#include "utc_int.h"

START_TEST(test_known)
{
    char s[21];
    int64_t t;
    skl_utc_format(s, 0);
    ck_assert_str_eq(s, "1970-01-01T00:00:00Z");
    skl_utc_format(s, 1767225600);
    ck_assert_str_eq(s, "2026-01-01T00:00:00Z");
    skl_utc_format(s, 951782400); /* a leap day in a century leap year */
    ck_assert_str_eq(s, "2000-02-29T00:00:00Z");
    skl_utc_format(s, -1);
    ck_assert_str_eq(s, "1969-12-31T23:59:59Z");
    ck_assert_int_eq(skl_utc_parse(&t, "2026-11-28T00:20:28Z", 20), 0);
    ck_assert_int_eq(t, 1795825228);
}
END_TEST

/* Every 97,531 seconds from 1900 to 2200 agrees with gmtime_r / timegm. */
START_TEST(test_against_libc)
{
    for (int64_t t = -2208988800LL; t < 7258118400LL; t += 97531) {
        char s[21], want[21];
        time_t tt = (time_t)t;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        skl_utc_format(s, t);
        ck_assert_str_eq(s, want);
        int64_t back;
        ck_assert_int_eq(skl_utc_parse(&back, s, 20), 0);
        ck_assert_int_eq(back, t);
        ck_assert_int_eq(skl_utc_is_datetime_stamp(s, 20), 1);
    }
}
END_TEST

START_TEST(test_refusals)
{
    static const char *bad[] = {
        "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z",
        "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01 00:00:00Z",
        "2026-01-01T00:00:00",  "2026-1-01T00:00:00Z",  "+026-01-01T00:00:00Z",
    };
    int64_t t;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(skl_utc_parse(&t, bad[i], strlen(bad[i])) == -1, "%s", bad[i]);
        ck_assert_msg(!skl_utc_is_datetime_stamp(bad[i], strlen(bad[i])), "%s", bad[i]);
    }
    /* Offsets and fractions are dateTimeStamps, but not the form skl writes. */
    ck_assert(skl_utc_is_datetime_stamp("2026-01-01T08:00:00+08:00", 25));
    ck_assert(skl_utc_is_datetime_stamp("2026-01-01T00:00:00.5Z", 22));
    ck_assert(!skl_utc_is_datetime_stamp("2026-01-01T00:00:00+14:01", 25));
    ck_assert(!skl_utc_is_datetime_stamp("2026-01-01T00:00:00.Z", 21));
    ck_assert_int_eq(skl_utc_parse(&t, "2026-01-01T08:00:00+08:00", 25), -1);
}
END_TEST

Suite *
utc_suite(void)
{
    Suite *s = suite_create("utc");
    TCase *tc = tcase_create("utc");
    tcase_add_test(tc, test_known);
    tcase_add_test(tc, test_against_libc);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    return s;
}
