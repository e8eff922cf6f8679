/*
 * check_json.c - strict JSON parser and RFC 8785 canonical writer.
 * Known answers: ../shared/vectors/jcs (cyberphone's JCS test data) and the RFC 8785
 * appendix B number samples; negative tests for every refused construct.
 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_doc_int.h"
#include "json_int.h"
#include "skl/json.h"
#include "testutil.h"

#define BIG ((size_t)1 << 30)

static double
from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static uint64_t
to_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Parses text (must succeed), canonicalizes, returns the malloc'd canonical text. Parses
 * it a second time keeping the source (skl_json_parse_keep), whose canonical text must be
 * the same bytes. */
static char *
canon_of(const char *text, size_t len, size_t *outlen)
{
    skl_json_doc *doc = NULL, *kept = NULL;
    char why[160];
    skl_err err = skl_json_parse(&doc, text, len, BIG, why, sizeof why);
    ck_assert_msg(err == SKL_OK, "parse failed (%d): %s", err, why);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq(skl_json_parse_keep(&kept, text, len, BIG, why, sizeof why), SKL_OK);
    char *out = NULL, *out2 = NULL;
    size_t len2;
    ck_assert_int_eq(skl_json_canonicalize(skl_json_root(doc), &out, outlen), SKL_OK);
    ck_assert_int_eq(skl_json_canonicalize(skl_json_root(kept), &out2, &len2), SKL_OK);
    ck_assert_ptr_nonnull(out);
    ck_assert_uint_eq(strlen(out), *outlen);
    ck_assert_uint_eq(len2, *outlen);
    ck_assert_mem_eq(out2, out, len2);
    free(out2);
    skl_json_free(doc);
    skl_json_free(kept);
    return out;
}

static void
expect_canon(const char *text, const char *want)
{
    size_t n;
    char *got = canon_of(text, strlen(text), &n);
    ck_assert_msg(n == strlen(want) && memcmp(got, want, n) == 0, "%s: got %s, want %s", text, got,
                  want);
    free(got);
}

/* ------------------------------------------------------------ JCS vectors ---- */

static const char *const jcs_names[] = {"arrays",  "french", "structures",
                                        "unicode", "values", "weird"};
#define N_JCS ((int)(sizeof jcs_names / sizeof jcs_names[0]))

START_TEST(test_jcs_vectors)
{
    char rel[128];
    size_t inlen, wantlen, gotlen;
    snprintf(rel, sizeof rel, "jcs/input/%s.json", jcs_names[_i]);
    char *in = tu_read_vector(rel, &inlen);
    snprintf(rel, sizeof rel, "jcs/output/%s.json", jcs_names[_i]);
    char *want = tu_read_vector(rel, &wantlen);
    /* The expected files may end with a newline that is not part of the JSON text. */
    if (wantlen > 0 && want[wantlen - 1] == '\n')
        wantlen--;
    if (wantlen > 0 && want[wantlen - 1] == '\r')
        wantlen--;
    char *got = canon_of(in, inlen, &gotlen);
    ck_assert_msg(gotlen == wantlen && memcmp(got, want, wantlen) == 0, "%s:\n got  %s\n want %.*s",
                  jcs_names[_i], got, (int)wantlen, want);
    /* Canonical output is a fixed point. */
    size_t againlen;
    char *again = canon_of(got, gotlen, &againlen);
    ck_assert_uint_eq(againlen, gotlen);
    ck_assert_mem_eq(again, got, gotlen);
    free(again);
    free(got);
    free(in);
    free(want);
}
END_TEST

/* ------------------------------------------------------------ numbers -------- */

static const struct {
    uint64_t bits;
    const char *want;
} num_kat[] = {
    /* RFC 8785 appendix B */
    {0x0000000000000000ULL, "0"},
    {0x8000000000000000ULL, "0"},
    {0x0000000000000001ULL, "5e-324"},
    {0x8000000000000001ULL, "-5e-324"},
    {0x7fefffffffffffffULL, "1.7976931348623157e+308"},
    {0xffefffffffffffffULL, "-1.7976931348623157e+308"},
    {0x4340000000000000ULL, "9007199254740992"},
    {0xc340000000000000ULL, "-9007199254740992"},
    {0x4430000000000000ULL, "295147905179352830000"},
    {0x44b52d02c7e14af5ULL, "9.999999999999997e+22"},
    {0x44b52d02c7e14af6ULL, "1e+23"},
    {0x44b52d02c7e14af7ULL, "1.0000000000000001e+23"},
    {0x444b1ae4d6e2ef4eULL, "999999999999999700000"},
    {0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
    {0x444b1ae4d6e2ef50ULL, "1e+21"},
    {0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7"},
    {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
    {0x41b3de4355555553ULL, "333333333.3333332"},
    {0x41b3de4355555554ULL, "333333333.33333325"},
    {0x41b3de4355555555ULL, "333333333.3333333"},
    {0x41b3de4355555556ULL, "333333333.3333334"},
    {0x41b3de4355555557ULL, "333333333.33333343"},
    {0xbecbf647612f3696ULL, "-0.0000033333333333333333"},
    {0x43143ff3c1cb0959ULL, "1424953923781206.2"},
    /* more layout cases */
    {0x3ff0000000000000ULL, "1"},                     /* 1 */
    {0xbff0000000000000ULL, "-1"},                    /* -1 */
    {0x4012000000000000ULL, "4.5"},                   /* 4.5 */
    {0x3f60624dd2f1a9fcULL, "0.002"},                 /* 0.002 */
    {0x3fb999999999999aULL, "0.1"},                   /* 0.1 */
    {0x3fd3333333333334ULL, "0.30000000000000004"},   /* 0.1 + 0.2 */
    {0x3e7ad7f29abcaf48ULL, "1e-7"},                  /* 1e-7 */
    {0x3eb0c6f7a0b5ed8dULL, "0.000001"},              /* 1e-6 */
    {0x4415af1d78b58c40ULL, "100000000000000000000"}, /* 1e20 */
    {0x4415af1d78b58c3fULL, "99999999999999980000"},
    {0x441ac53a7e04bcdaULL, "123456789012345680000"},   /* 123456789012345678901 */
    {0x4341c37937e08000ULL, "10000000000000000"},       /* 1e16 */
    {0x46293e5939a08ceaULL, "1e+30"},                   /* 1e30 */
    {0x3a53ce9a36f23c10ULL, "1e-27"},                   /* as in values.json */
    {0x0010000000000000ULL, "2.2250738585072014e-308"}, /* smallest normal */
    {0x000fffffffffffffULL, "2.225073858507201e-308"},  /* largest subnormal */
    {0x7fe0000000000000ULL, "8.98846567431158e+307"},   /* 2^1023 */
    {0x4330000000000000ULL, "4503599627370496"},        /* 2^52 */
    {0x4330000000000001ULL, "4503599627370497"},
    {0x4350000000000000ULL, "18014398509481984"}, /* 2^54 */
    {0x3f50624dd2f1a9fcULL, "0.001"},
    {0x3ee4f8b588e368f1ULL, "0.00001"},
    {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
    {0x41dfffffffc00000ULL, "2147483647"},
    {0x4024000000000000ULL, "10"},
    {0x40c81c8000000000ULL, "12345"},
    {0x405edd2f1a9fbe77ULL, "123.456"},
    /* powers of two whose shortest form lies on the narrow side of the rounding
     * interval: the nearest 16-digit decimal does not read back, its neighbour does */
    {0x3d30000000000000ULL, "5.684341886080802e-14"},  /* 2^-44 */
    {0x39e0000000000000ULL, "6.310887241768095e-30"},  /* 2^-97 */
    {0x0420000000000000ULL, "8.209073602596753e-289"}, /* 2^-957 */
    {0x3b20000000000000ULL, "6.617444900424222e-24"},  /* 2^-77 */
};
#define N_NUM ((int)(sizeof num_kat / sizeof num_kat[0]))

START_TEST(test_number_kat)
{
    skl_buf b = SKL_BUF_INIT;
    double d = from_bits(num_kat[_i].bits);
    ck_assert_int_eq(skl_json_write_number(&b, d), 0);
    ck_assert_msg(strcmp(b.data, num_kat[_i].want) == 0, "%016llx: got %s, want %s",
                  (unsigned long long)num_kat[_i].bits, b.data, num_kat[_i].want);
    /* The text parses back to the same double (-0 aside, which is written as 0). */
    skl_json_doc *doc = NULL;
    char why[128];
    ck_assert_int_eq(skl_json_parse(&doc, b.data, b.len, BIG, why, sizeof why), SKL_OK);
    const skl_json_value *v = skl_json_root(doc);
    ck_assert_int_eq(v->type, SKL_JSON_NUMBER);
    if (d != 0)
        ck_assert_uint_eq(to_bits(v->u.num), num_kat[_i].bits);
    else
        ck_assert(v->u.num == 0);
    skl_json_free(doc);
    skl_buf_free(&b);
}
END_TEST

START_TEST(test_number_text)
{
    static const char *const cases[][2] = {
        {"0", "0"},
        {"-0", "0"},
        {"-0.0e5", "0"},
        {"1e21", "1e+21"},
        {"1E30", "1e+30"},
        {"1e-7", "1e-7"},
        {"0.000001", "0.000001"},
        {"123456789012345678901", "123456789012345680000"},
        {"4.50", "4.5"},
        {"2e-3", "0.002"},
        {"0.000000000000000000000000001", "1e-27"},
        {"333333333.33333329", "333333333.3333333"},
        {"9007199254740992", "9007199254740992"},
        {"9007199254740993", "9007199254740992"},
        {"-9007199254740991", "-9007199254740991"},
        {"5e-324", "5e-324"},
        {"4.9406564584124654e-324", "5e-324"},
        {"1.7976931348623157e308", "1.7976931348623157e+308"},
        {"1.7976931348623158e308", "1.7976931348623157e+308"},
        {"56.0", "56"},
        {"1e-400", "0"},
        {"100e-2", "1"},
        {"0.1e1", "1"},
        {"1000000000000000000000000000000e-30", "1"},
        {"0.30000000000000004", "0.30000000000000004"},
        {"1.0000000000000000000000000000000000000001", "1"},
        {"12345678901234567890123456789012345678901234567890e-10", "1.2345678901234568e+39"},
        {"[1E+2,1e-0,-1.5E-1]", "[100,1,-0.15]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_canon(cases[i][0], cases[i][1]);
}
END_TEST

/* Random doubles: what is written reads back to the same double, and is no longer
 * than printf's 17-digit form. */
START_TEST(test_number_roundtrip_random)
{
    uint64_t s = 0x9e3779b97f4a7c15ULL;
    skl_buf b = SKL_BUF_INIT;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double d = from_bits(s);
        if (!isfinite(d))
            continue;
        skl_buf_reset(&b);
        ck_assert_int_eq(skl_json_write_number(&b, d), 0);
        char *end = NULL;
        double r = strtod(b.data, &end);
        ck_assert_msg(*end == '\0' && to_bits(r) == to_bits(d == 0 ? 0.0 : d), "%016llx -> %s",
                      (unsigned long long)s, b.data);
    }
    skl_buf_free(&b);
}
END_TEST

START_TEST(test_number_refused)
{
    static const char *const bad[] = {"1e400", "-1e400", "1.7976931348623159e308",
                                      "1e999999999999999999999", "[1e309]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        skl_json_doc *doc = NULL;
        char why[128] = "";
        ck_assert_int_eq(skl_json_parse(&doc, bad[i], strlen(bad[i]), BIG, why, sizeof why),
                         SKL_ERR_PARSE);
        ck_assert_ptr_null(doc);
        ck_assert_msg(strstr(why, "out of range") != NULL, "%s: %s", bad[i], why);
    }
}
END_TEST

/* The caller's locale (decimal comma) must not leak into parsing or writing. The
 * test uses whichever such locale the machine has; in the C locale it still checks
 * the same answers. */
START_TEST(test_number_locale)
{
    static const char *const locs[] = {"de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8",
                                       "fr_FR.utf8",  "ru_RU.UTF-8", "nl_NL.UTF-8"};
    for (size_t i = 0; i < sizeof locs / sizeof locs[0]; i++)
        if (setlocale(LC_NUMERIC, locs[i]) != NULL)
            break;
    expect_canon("[1.5,0.25,1e-7,12.5,333333333.33333329,1.2345678901234567e-100,2e22]",
                 "[1.5,0.25,1e-7,12.5,333333333.3333333,1.2345678901234567e-100,2e+22]");
    skl_buf b = SKL_BUF_INIT;
    for (int i = 0; i < N_NUM; i++) {
        skl_buf_reset(&b);
        ck_assert_int_eq(skl_json_write_number(&b, from_bits(num_kat[i].bits)), 0);
        ck_assert_str_eq(b.data, num_kat[i].want);
    }
    skl_buf_free(&b);
    setlocale(LC_NUMERIC, "C");
}
END_TEST

/* ------------------------------------------------------------ strings -------- */

START_TEST(test_string_escapes)
{
    expect_canon("\"\\u0001\\b\\t\\n\\f\\r\\u001F\\\"\\\\\\/\\u007f\\u0080\"",
                 "\"\\u0001\\b\\t\\n\\f\\r\\u001f\\\"\\\\/\x7f\xc2\x80\"");
    expect_canon("\"\\u20ac \\uD83D\\uDE02 \\ud83d\\ude02\"",
                 "\"\xe2\x82\xac \xf0\x9f\x98\x82 \xf0\x9f\x98\x82\"");
    expect_canon("\"\xf4\x8f\xbf\xbf \xed\x9f\xbf \xee\x80\x80\"",
                 "\"\xf4\x8f\xbf\xbf \xed\x9f\xbf \xee\x80\x80\"");
    expect_canon("\"</script>\"", "\"</script>\"");
    expect_canon("\"\"", "\"\"");

    /* U+0000 is kept, with its length. */
    skl_json_doc *doc = NULL;
    const char *t = "\"a\\u0000b\"";
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, NULL, 0), SKL_OK);
    const skl_json_value *v = skl_json_root(doc);
    ck_assert_int_eq(v->type, SKL_JSON_STRING);
    ck_assert_uint_eq(v->n, 3);
    ck_assert_mem_eq(v->u.str, "a\0b", 4);
    ck_assert_ptr_eq(skl_json_string(v), v->u.str);
    skl_json_free(doc);
    expect_canon(t, "\"a\\u0000b\"");
}
END_TEST

START_TEST(test_write_string_direct)
{
    skl_buf b = SKL_BUF_INIT;
    ck_assert_int_eq(skl_json_write_string(&b, "x\x1f\"\\\x7f", 5), 0);
    ck_assert_str_eq(b.data, "\"x\\u001f\\\"\\\\\x7f\"");
    skl_buf_reset(&b);
    ck_assert_int_eq(skl_json_write_string(&b, "", 0), 0);
    ck_assert_str_eq(b.data, "\"\"");
    skl_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------ key order ------ */

START_TEST(test_key_cmp)
{
#define CMP(a, b) skl_json_key_cmp(a, sizeof(a) - 1, b, sizeof(b) - 1)
    ck_assert_int_eq(CMP("a", "a"), 0);
    ck_assert_int_eq(CMP("", ""), 0);
    ck_assert_int_lt(CMP("", "a"), 0);
    ck_assert_int_lt(CMP("a", "b"), 0);
    ck_assert_int_gt(CMP("b", "a"), 0);
    ck_assert_int_lt(CMP("a", "ab"), 0);
    ck_assert_int_lt(CMP("A", "a"), 0);
    ck_assert_int_lt(CMP("1", "10"), 0);
    ck_assert_int_lt(CMP("10", "d"), 0);
    /* U+1F602 (surrogates D83D DE02) sorts before U+FB33 in UTF-16, though not in UTF-8 */
    ck_assert_int_lt(CMP("\xf0\x9f\x98\x82", "\xef\xac\xb3"), 0);
    ck_assert_int_gt(CMP("\xef\xac\xb3", "\xf0\x9f\x98\x82"), 0);
    ck_assert_int_lt(CMP("\xf0\x90\x80\x80", "\xee\x80\x80"), 0); /* U+10000 < U+E000 */
    ck_assert_int_gt(CMP("\xf0\x90\x80\x80", "\xed\x9f\xbf"), 0); /* U+10000 > U+D7FF */
    ck_assert_int_lt(CMP("\xe2\x82\xac", "\xf0\x9f\x98\x82"), 0); /* U+20AC < U+1F602 */
    ck_assert_int_lt(CMP("\xc3\xb6", "\xe2\x82\xac"), 0);
    ck_assert_int_lt(CMP("\xef\xbf\xbf", "\xef\xbf\xbf"
                                         "a"),
                     0);
    ck_assert_int_lt(CMP("x\xf4\x8f\xbf\xbf", "x\xef\x80\x80"), 0);
    ck_assert_int_lt(CMP("\xf0\x9f\x98\x82", "\xf0\x9f\x98\x83"), 0);
    ck_assert_int_lt(CMP("a\0b", "a\0c"), 0);
#undef CMP
}
END_TEST

START_TEST(test_key_order_doc)
{
    expect_canon("{\"\\ufb33\":1,\"\\ud83d\\ude02\":2,\"\\u20ac\":3,\"z\":4,\"\":5}",
                 "{\"\":5,\"z\":4,\"\xe2\x82\xac\":3,\"\xf0\x9f\x98\x82\":2,\"\xef\xac\xb3\":1}");
}
END_TEST

/* An object above the insertion-sort size: order, lookup, duplicates. */
START_TEST(test_large_object)
{
    skl_buf b = SKL_BUF_INIT;
    skl_buf_putc(&b, '{');
    for (int i = 199; i >= 0; i--)
        skl_buf_printf(&b, "%s\"k%03d\":%d", i == 199 ? "" : ",", i, i);
    skl_buf_putc(&b, '}');
    ck_assert(skl_buf_ok(&b));

    skl_json_doc *doc = NULL;
    char why[128];
    ck_assert_int_eq(skl_json_parse(&doc, b.data, b.len, BIG, why, sizeof why), SKL_OK);
    const skl_json_value *root = skl_json_root(doc);
    ck_assert_uint_eq(root->n, 200);
    for (int i = 0; i < 200; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%03d", i);
        ck_assert_str_eq(root->u.obj[i].key, k);
        const skl_json_value *v = skl_json_get(root, k);
        ck_assert_ptr_nonnull(v);
        ck_assert(v->type == SKL_JSON_NUMBER && v->u.num == i);
    }
    ck_assert_ptr_null(skl_json_get(root, "k200"));
    ck_assert_ptr_null(skl_json_get(root, "k"));
    skl_json_free(doc);

    /* the same with one key repeated, written with an escape */
    b.data[b.len - 1] = '\0';
    b.len--;
    skl_buf_puts(&b, ",\"\\u006b042\":0}");
    ck_assert_int_eq(skl_json_parse(&doc, b.data, b.len, BIG, why, sizeof why), SKL_ERR_PARSE);
    ck_assert_ptr_null(doc);
    ck_assert_msg(strstr(why, "duplicate key \"k042\"") != NULL, "%s", why);
    skl_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------ get ------------ */

/* Lookups in an object whose keys mix ASCII, two-byte, three-byte above the surrogates
 * (U+FF61) and four-byte (U+1F602) characters, sorted in UTF-16 order (U+1F602 is the
 * surrogate pair D83D DE02, so it sorts before U+FF61): every key is found, and the
 * absent ones are not, whether the key searched for is ASCII or not. */
/* Looks keys up in text as it is and padded with ten more members: small objects are
 * scanned, large ones binary-searched in UTF-16 order, and both must find the same. */
static skl_json_doc *
parse_padded(const char *text, int padded)
{
    char buf[512];
    skl_json_doc *doc = NULL;
    if (padded)
        snprintf(buf, sizeof buf,
                 "{\"p0\":0,\"p1\":0,\"p2\":0,\"p3\":0,\"p4\":0,\"p5\":0,"
                 "\"p6\":0,\"p7\":0,\"p8\":0,\"p9\":0,%s",
                 text + 1);
    else
        snprintf(buf, sizeof buf, "%s", text);
    ck_assert_int_eq(skl_json_parse(&doc, buf, strlen(buf), BIG, NULL, 0), SKL_OK);
    ck_assert(skl_json_root(doc)->n > 12 || !padded);
    return doc;
}

START_TEST(test_get_utf16_order)
{
    const char *t = "{\"z\":1,\"\xc3\xa9\":2,\"\xef\xbd\xa1\":3,\"\xf0\x9f\x98\x82\":4,\"A\":5,"
                    "\"zz\":6,\"\xef\xbd\xa1z\":7}";
    static const char *const keys[] = {
        "A", "z", "zz", "\xc3\xa9", "\xf0\x9f\x98\x82", "\xef\xbd\xa1", "\xef\xbd\xa1z"};
    static const double vals[] = {5, 1, 6, 2, 4, 3, 7};
    skl_json_doc *doc = parse_padded(t, _i);
    const skl_json_value *root = skl_json_root(doc);
    for (size_t i = 0; i < 7; i++) {
        const skl_json_value *v = skl_json_get(root, keys[i]);
        ck_assert_msg(v != NULL && v->type == SKL_JSON_NUMBER && v->u.num == vals[i],
                      "key %zu not found", i);
    }
    static const char *const absent[] = {
        "B", "zzz", "\xc3\xa8", "\xef\xbd\xa2", "\xf0\x9f\x98\x83", "", "\xef\xbd", "p", "p10"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        ck_assert_msg(skl_json_get(root, absent[i]) == NULL, "absent key %zu found", i);
    skl_json_free(doc);
}
END_TEST

/* The empty key and keys that start with U+0000 (their first byte is the NUL that ends
 * the empty key): each found as itself only. */
START_TEST(test_get_nul_keys)
{
    const char *t = "{\"\\u0000a\":3,\"a\":4,\"\":1,\"\\u0000\":2,\"ab\":5,\"b\":6}";
    skl_json_doc *doc = parse_padded(t, _i);
    const skl_json_value *root = skl_json_root(doc);
    static const char *const keys[] = {"", "a", "ab", "b"};
    static const double want[] = {1, 4, 5, 6};
    for (size_t i = 0; i < 4; i++) {
        const skl_json_value *v = skl_json_get(root, keys[i]);
        ck_assert_msg(v != NULL && v->u.num == want[i], "key \"%s\"", keys[i]);
    }
    ck_assert_ptr_null(skl_json_get(root, "aa"));
    ck_assert_ptr_null(skl_json_get(root, "c"));
    ck_assert_ptr_null(skl_json_get(root, " "));
    skl_json_free(doc);
}
END_TEST

START_TEST(test_get)
{
    const char *t = "{\"id\":\"urn:x\",\"n\":[1,2],\"\xf0\x9f\x98\x82\":true,\"o\":{\"a\":null}}";
    skl_json_doc *doc = NULL;
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, NULL, 0), SKL_OK);
    const skl_json_value *root = skl_json_root(doc);
    ck_assert_int_eq(root->type, SKL_JSON_OBJECT);
    ck_assert_uint_eq(root->n, 4);

    const skl_json_value *id = skl_json_get(root, "id");
    ck_assert_ptr_nonnull(id);
    ck_assert_str_eq(skl_json_string(id), "urn:x");
    ck_assert_uint_eq(id->n, 5);
    const skl_json_value *n = skl_json_get(root, "n");
    ck_assert(n != NULL && n->type == SKL_JSON_ARRAY && n->n == 2);
    ck_assert(n->u.arr[1].type == SKL_JSON_NUMBER && n->u.arr[1].u.num == 2);
    ck_assert_ptr_null(skl_json_string(n));
    const skl_json_value *smile = skl_json_get(root, "\xf0\x9f\x98\x82");
    ck_assert(smile != NULL && smile->type == SKL_JSON_TRUE);
    const skl_json_value *o = skl_json_get(root, "o");
    ck_assert(o != NULL && o->type == SKL_JSON_OBJECT);
    ck_assert(skl_json_get(o, "a") != NULL && skl_json_get(o, "a")->type == SKL_JSON_NULL);

    ck_assert_ptr_null(skl_json_get(root, "absent"));
    ck_assert_ptr_null(skl_json_get(root, ""));
    ck_assert_ptr_null(skl_json_get(root, "i"));
    ck_assert_ptr_null(skl_json_get(root, "idx"));
    ck_assert_ptr_null(skl_json_get(id, "id")); /* not an object */
    ck_assert_ptr_null(skl_json_get(n, "0"));   /* not an object */
    ck_assert_ptr_null(skl_json_get(NULL, "id"));
    ck_assert_ptr_null(skl_json_string(NULL));

    /* empty object and array */
    skl_json_free(doc);
    t = "[{},[]]";
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, NULL, 0), SKL_OK);
    root = skl_json_root(doc);
    ck_assert_ptr_null(skl_json_get(&root->u.arr[0], "a"));
    ck_assert_uint_eq(root->u.arr[1].n, 0);
    skl_json_free(doc);
    skl_json_free(NULL);
}
END_TEST

START_TEST(test_canon_except)
{
    const char *t = "{\"proof\":{\"x\":1},\"b\":2,\"a\":[true,false]}";
    skl_json_doc *doc = NULL;
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, NULL, 0), SKL_OK);
    skl_buf b = SKL_BUF_INIT;
    ck_assert_int_eq(skl_json_canon_object_except(&b, skl_json_root(doc), "proof"), 0);
    ck_assert_str_eq(b.data, "{\"a\":[true,false],\"b\":2}");
    skl_buf_reset(&b);
    ck_assert_int_eq(skl_json_canon_object_except(&b, skl_json_root(doc), "absent"), 0);
    ck_assert_str_eq(b.data, "{\"a\":[true,false],\"b\":2,\"proof\":{\"x\":1}}");
    skl_buf_reset(&b);
    ck_assert_int_eq(skl_json_canon_object_except(&b, skl_json_root(doc), "a"), 0);
    ck_assert_str_eq(b.data, "{\"b\":2,\"proof\":{\"x\":1}}");
    skl_buf_reset(&b);
    ck_assert_int_eq(skl_json_canon_buf(&b, skl_json_root(doc)), 0);
    ck_assert_str_eq(b.data, "{\"a\":[true,false],\"b\":2,\"proof\":{\"x\":1}}");
    skl_buf_free(&b);
    skl_json_free(doc);
}
END_TEST

/* ------------------------------------------------------------ negative ------- */

static const struct {
    const char *text;
    size_t len; /* 0: strlen */
    skl_err err;
} bad_docs[] = {
    {"", 0, SKL_ERR_PARSE},
    {" \t\r\n ", 0, SKL_ERR_PARSE},
    {"\xef\xbb\xbf{}", 0, SKL_ERR_PARSE},          /* BOM */
    {"{\"a\":1,\"a\":2}", 0, SKL_ERR_PARSE},       /* duplicate */
    {"{\"a\":1,\"\\u0061\":2}", 0, SKL_ERR_PARSE}, /* duplicate after unescaping */
    {"{\"\\ud83d\\ude02\":1,\"\xf0\x9f\x98\x82\":2}", 0, SKL_ERR_PARSE},
    {"\"\\ud83d\"", 0, SKL_ERR_PARSE}, /* lone high surrogate */
    {"\"\\ud83dx\"", 0, SKL_ERR_PARSE},
    {"\"\\ud83d\\u0041\"", 0, SKL_ERR_PARSE},   /* high + non-low */
    {"\"\\ud83d\\ud83d\"", 0, SKL_ERR_PARSE},   /* high + high */
    {"\"\\ude02\"", 0, SKL_ERR_PARSE},          /* lone low surrogate */
    {"\"\\ude02\\ud83d\"", 0, SKL_ERR_PARSE},   /* swapped pair */
    {"\"\xc0\xaf\"", 0, SKL_ERR_PARSE},         /* overlong '/' */
    {"\"\xc1\xbf\"", 0, SKL_ERR_PARSE},         /* overlong */
    {"\"\xe0\x80\xaf\"", 0, SKL_ERR_PARSE},     /* overlong 3-byte */
    {"\"\xf0\x80\x80\xaf\"", 0, SKL_ERR_PARSE}, /* overlong 4-byte */
    {"\"\xed\xa0\x80\"", 0, SKL_ERR_PARSE},     /* UTF-8 encoded surrogate */
    {"\"\xed\xbf\xbf\"", 0, SKL_ERR_PARSE},
    {"\"\xf4\x90\x80\x80\"", 0, SKL_ERR_PARSE}, /* above U+10FFFF */
    {"\"\xf5\x80\x80\x80\"", 0, SKL_ERR_PARSE},
    {"\"\xff\"", 0, SKL_ERR_PARSE},
    {"\"\x80\"", 0, SKL_ERR_PARSE}, /* stray continuation */
    {"\"\xc3\"", 0, SKL_ERR_PARSE}, /* truncated */
    {"\"\xe2\x82\"", 0, SKL_ERR_PARSE},
    {"\"\xf0\x9f\x98\"", 0, SKL_ERR_PARSE},
    {"\"\xe2\x82", 0, SKL_ERR_PARSE},   /* truncated at end of input */
    {"\"\xc3\x28\"", 0, SKL_ERR_PARSE}, /* bad continuation */
    {"\"\t\"", 0, SKL_ERR_PARSE},       /* raw tab */
    {"\"\n\"", 0, SKL_ERR_PARSE},
    {"\"\x1f\"", 0, SKL_ERR_PARSE},
    {"\"a\0b\"", 5, SKL_ERR_PARSE}, /* raw NUL */
    {"\"\\x\"", 0, SKL_ERR_PARSE},  /* bad escape */
    {"\"\\U0041\"", 0, SKL_ERR_PARSE},
    {"\"\\u00g1\"", 0, SKL_ERR_PARSE},
    {"\"\\u12\"", 0, SKL_ERR_PARSE},
    {"\"\\", 0, SKL_ERR_PARSE},
    {"\"abc", 0, SKL_ERR_PARSE}, /* unterminated */
    {"\"", 0, SKL_ERR_PARSE},
    {"01", 0, SKL_ERR_PARSE},
    {"-01", 0, SKL_ERR_PARSE},
    {"00", 0, SKL_ERR_PARSE},
    {"1.", 0, SKL_ERR_PARSE},
    {"1.e5", 0, SKL_ERR_PARSE},
    {".5", 0, SKL_ERR_PARSE},
    {"+1", 0, SKL_ERR_PARSE},
    {"-", 0, SKL_ERR_PARSE},
    {"-a", 0, SKL_ERR_PARSE},
    {"1e", 0, SKL_ERR_PARSE},
    {"1e+", 0, SKL_ERR_PARSE},
    {"1E-", 0, SKL_ERR_PARSE},
    {"0x10", 0, SKL_ERR_PARSE},
    {"1 2", 0, SKL_ERR_PARSE},
    {"NaN", 0, SKL_ERR_PARSE},
    {"Infinity", 0, SKL_ERR_PARSE},
    {"-Infinity", 0, SKL_ERR_PARSE},
    {"1e400", 0, SKL_ERR_PARSE},
    {"[1,]", 0, SKL_ERR_PARSE},
    {"[,1]", 0, SKL_ERR_PARSE},
    {"[1 2]", 0, SKL_ERR_PARSE},
    {"[", 0, SKL_ERR_PARSE},
    {"]", 0, SKL_ERR_PARSE},
    {"[1", 0, SKL_ERR_PARSE},
    {"{\"a\":1,}", 0, SKL_ERR_PARSE},
    {"{\"a\" 1}", 0, SKL_ERR_PARSE},
    {"{\"a\":}", 0, SKL_ERR_PARSE},
    {"{a:1}", 0, SKL_ERR_PARSE},
    {"{'a':1}", 0, SKL_ERR_PARSE},
    {"{1:1}", 0, SKL_ERR_PARSE},
    {"{\"a\":1", 0, SKL_ERR_PARSE},
    {"{", 0, SKL_ERR_PARSE},
    {"}", 0, SKL_ERR_PARSE},
    {"nul", 0, SKL_ERR_PARSE},
    {"nulll", 0, SKL_ERR_PARSE},
    {"tru", 0, SKL_ERR_PARSE},
    {"True", 0, SKL_ERR_PARSE},
    {"fals", 0, SKL_ERR_PARSE},
    {"{} x", 0, SKL_ERR_PARSE},
    {"{}}", 0, SKL_ERR_PARSE},
    {"[] []", 0, SKL_ERR_PARSE},
    {"{}\0", 3, SKL_ERR_PARSE},
    {"\"a\" \"b\"", 0, SKL_ERR_PARSE},
    {"\f[]", 0, SKL_ERR_PARSE},       /* form feed is not JSON whitespace */
    {"[]\xc2\xa0", 0, SKL_ERR_PARSE}, /* nor is U+00A0 */
    {"/*c*/1", 0, SKL_ERR_PARSE},
};
#define N_BAD ((int)(sizeof bad_docs / sizeof bad_docs[0]))

START_TEST(test_bad_docs)
{
    const char *t = bad_docs[_i].text;
    size_t len = bad_docs[_i].len ? bad_docs[_i].len : strlen(t);
    skl_json_doc *doc = (skl_json_doc *)&doc; /* must be reset to NULL */
    char why[160];
    memset(why, 'x', sizeof why);
    skl_err err = skl_json_parse(&doc, t, len, BIG, why, sizeof why);
    ck_assert_msg(err == bad_docs[_i].err, "case %d (%.*s): got %d", _i, (int)len, t, err);
    ck_assert_ptr_null(doc);
    ck_assert_msg(memchr(why, '\0', sizeof why) != NULL, "why not terminated");
    ck_assert_msg(strncmp(why, "byte ", 5) == 0 && strlen(why) > 8, "case %d: why %s", _i, why);
    ck_assert_ptr_null(strchr(why, '\n'));
    /* a NULL why is fine too */
    doc = NULL;
    ck_assert_int_eq(skl_json_parse(&doc, t, len, BIG, NULL, 0), bad_docs[_i].err);
    ck_assert_ptr_null(doc);
}
END_TEST

START_TEST(test_why_messages)
{
    skl_json_doc *doc = NULL;
    char why[160];
    const char *t = "{\"id\":1,\"id\":2}";
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, why, sizeof why), SKL_ERR_PARSE);
    ck_assert_str_eq(why, "byte 8: duplicate key \"id\"");
    t = "[1,2,\"\xc0\xaf\"]";
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, why, sizeof why), SKL_ERR_PARSE);
    ck_assert_str_eq(why, "byte 6: invalid UTF-8");
    t = "{} x";
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, why, sizeof why), SKL_ERR_PARSE);
    ck_assert_str_eq(why, "byte 3: trailing 'x' after the value");
    /* a short buffer is truncated, still terminated */
    char small[6];
    ck_assert_int_eq(skl_json_parse(&doc, t, strlen(t), BIG, small, sizeof small), SKL_ERR_PARSE);
    ck_assert_str_eq(small, "byte ");
}
END_TEST

static char *
nested(int depth, int objects, size_t *len)
{
    skl_buf b = SKL_BUF_INIT;
    for (int i = 0; i < depth; i++)
        skl_buf_puts(&b, objects && (i & 1) ? "{\"k\":" : "[");
    skl_buf_puts(&b, "0");
    for (int i = depth - 1; i >= 0; i--)
        skl_buf_puts(&b, objects && (i & 1) ? "}" : "]");
    ck_assert(skl_buf_ok(&b));
    return skl_buf_take(&b, len);
}

START_TEST(test_depth)
{
    for (int objects = 0; objects <= 1; objects++) {
        size_t len;
        char *t = nested(SKL_JSON_MAX_DEPTH, objects, &len);
        skl_json_doc *doc = NULL;
        char why[160];
        ck_assert_int_eq(skl_json_parse(&doc, t, len, BIG, why, sizeof why), SKL_OK);
        size_t clen;
        char *c = NULL;
        ck_assert_int_eq(skl_json_canonicalize(skl_json_root(doc), &c, &clen), SKL_OK);
        ck_assert_uint_eq(clen, len);
        ck_assert_mem_eq(c, t, len);
        free(c);
        skl_json_free(doc);
        free(t);

        t = nested(SKL_JSON_MAX_DEPTH + 1, objects, &len);
        why[0] = '\0';
        ck_assert_int_eq(skl_json_parse(&doc, t, len, BIG, why, sizeof why), SKL_ERR_LIMIT);
        ck_assert_ptr_null(doc);
        ck_assert_msg(strstr(why, "nesting") != NULL, "%s", why);
        free(t);

        t = nested(100000, objects, &len);
        ck_assert_int_eq(skl_json_parse(&doc, t, len, BIG, why, sizeof why), SKL_ERR_LIMIT);
        free(t);
    }
}
END_TEST

START_TEST(test_max_len)
{
    const char *t = "{\"a\":\"bcdef\"}"; /* 13 bytes */
    skl_json_doc *doc = NULL;
    char why[160] = "";
    ck_assert_int_eq(skl_json_parse(&doc, t, 13, 12, why, sizeof why), SKL_ERR_LIMIT);
    ck_assert_ptr_null(doc);
    ck_assert(why[0] != '\0');
    ck_assert_int_eq(skl_json_parse(&doc, t, 13, 0, why, sizeof why), SKL_ERR_LIMIT);
    ck_assert_int_eq(skl_json_parse(&doc, t, 13, 13, why, sizeof why), SKL_OK);
    skl_json_free(doc);
    /* only the given length is read: no NUL terminator needed */
    char raw[4] = {'[', '7', ']', 'X'};
    ck_assert_int_eq(skl_json_parse(&doc, raw, 3, 3, why, sizeof why), SKL_OK);
    ck_assert_uint_eq(skl_json_root(doc)->u.arr[0].u.num, 7);
    skl_json_free(doc);
}
END_TEST

/* ------------------------------------------------------------ round trips ---- */

START_TEST(test_roundtrip)
{
    static const char *const docs[] = {
        "null",
        " true ",
        "false",
        "\"\"",
        "-12.5e-3",
        "[[[[]]],{},[{}],\"\\u0000\"]",
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":"
        "[\"VerifiableCredential\"],\"issuer\":{\"id\":\"did:key:z6Mk\"},"
        "\"credentialSubject\":{\"name\":\"Zo\\u00eb \\ud83d\\ude02\",\"level\":3,"
        "\"score\":0.75,\"tags\":[\"a\",\"b\",null,true,false,-0,1e100]},"
        "\"validFrom\":\"2025-01-01T00:00:00Z\",\"\\n\":\"\\t\\\"\"}",
        "{\"b\":{\"d\":[1,2,{\"z\":1,\"y\":2}],\"c\":\"\xe6\x97\xa5\xe6\x9c\xac\"},\"a\":0}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        size_t n1, n2;
        char *c1 = canon_of(docs[i], strlen(docs[i]), &n1);
        char *c2 = canon_of(c1, n1, &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert_mem_eq(c1, c2, n1);
        free(c1);
        free(c2);
    }
}
END_TEST

/* A document larger than the first arena block: many strings, escapes and numbers. */
START_TEST(test_large_doc)
{
    skl_buf in = SKL_BUF_INIT, want = SKL_BUF_INIT;
    skl_buf_putc(&in, '[');
    skl_buf_putc(&want, '[');
    for (int i = 0; i < 20000; i++) {
        const char *sep = i ? "," : "";
        switch (i % 4) {
        case 0:
            skl_buf_printf(&in, "%s\"s\\u00e9%d\\n\"", sep, i);
            skl_buf_printf(&want, "%s\"s\xc3\xa9%d\\n\"", sep, i);
            break;
        case 1:
            skl_buf_printf(&in, "%s%d.50", sep, i);
            skl_buf_printf(&want, "%s%d.5", sep, i);
            break;
        case 2:
            skl_buf_printf(&in, "%s[%d]", sep, i);
            skl_buf_printf(&want, "%s[%d]", sep, i);
            break;
        default:
            skl_buf_printf(&in, "%s{\"y\":1,\"x\":%d}", sep, i);
            skl_buf_printf(&want, "%s{\"x\":%d,\"y\":1}", sep, i);
        }
    }
    skl_buf_putc(&in, ']');
    skl_buf_putc(&want, ']');
    ck_assert(skl_buf_ok(&in) && skl_buf_ok(&want));
    size_t n;
    char *got = canon_of(in.data, in.len, &n);
    ck_assert_uint_eq(n, want.len);
    ck_assert_mem_eq(got, want.data, n);
    free(got);
    skl_buf_free(&in);
    skl_buf_free(&want);
}
END_TEST


/* skl_json_parse_keep remembers a container's text only when it is canonical as written:
 * one departure anywhere inside (whitespace, member order, an escape, a number written
 * otherwise than ECMAScript would) and the writer rewrites it, with the same result. */
static const struct {
    const char *text, *canonical; /* canonical NULL: KEPT_CANON */
    int root_kept, child_kept;    /* the root's text, and a[2]'s, are kept */
} kept_cases[] = {
    {"{\"a\":[1,2,{\"b\":\"c\"}], \"d\":true}", NULL, 0, 1},
    {"{\"d\":true,\"a\":[1,2,{\"b\":\"c\"}]}", NULL, 0, 1},
    {"{\"a\":[1.0,2,{\"b\":\"c\"}],\"d\":true}", NULL, 0, 1},
    {"{\"a\":[1e0,2,{\"b\":\"c\"}],\"d\":true}", NULL, 0, 1},
    {"{\"a\":[-0,2,{\"b\":\"c\"}],\"d\":true}", "{\"a\":[0,2,{\"b\":\"c\"}],\"d\":true}", 0, 1},
    {"{\"a\":[1,2,{\"b\":\"\\/\"}],\"d\":true}", "{\"a\":[1,2,{\"b\":\"/\"}],\"d\":true}", 0, 0},
    {"{\"a\":[1,2,{\"b\":\"\\u0063\"}],\"d\":true}", NULL, 0, 0},
    {"{\"\\u0061\":[1,2,{\"b\":\"c\"}],\"d\":true}", NULL, 0, 1},
    {"{\"a\":[1,2,{\"b\":\"c\"}],\"d\":true\n}", NULL, 0, 1},
    {"{\"a\":[1,2,{\"b\" :\"c\"}],\"d\":true}", NULL, 0, 0},
    /* canonical, but beyond the integers the parser vouches for: rewritten, same bytes */
    {"{\"a\":[1234567890123456,2,{\"b\":\"c\"}],\"d\":true}",
     "{\"a\":[1234567890123456,2,{\"b\":\"c\"}],\"d\":true}", 0, 1},
    {"{\"a\":[1,-2,{\"b\":\"c\"}],\"d\":true}", "{\"a\":[1,-2,{\"b\":\"c\"}],\"d\":true}", 1, 1},
};
#define KEPT_CANON "{\"a\":[1,2,{\"b\":\"c\"}],\"d\":true}"

static const char *
kept_source(const skl_json_value *v, size_t *len)
{
    const container_head *h = container_head_of(v);
    *len = h->source_len;
    return h->source_text;
}

START_TEST(test_kept_source)
{
    skl_json_doc *doc = NULL;
    char why[160];
    size_t len;
    const char *canon = KEPT_CANON;
    /* Canonical as written: the root is its own text, and so is every container in it. */
    ck_assert_int_eq(skl_json_parse_keep(&doc, canon, strlen(canon), BIG, why, sizeof why),
                     SKL_OK);
    const skl_json_value *root = skl_json_root(doc), *a = skl_json_get(root, "a");
    ck_assert_ptr_eq(kept_source(root, &len), canon);
    ck_assert_uint_eq(len, strlen(canon));
    ck_assert_ptr_eq(kept_source(a, &len), canon + 5);
    ck_assert_uint_eq(len, strlen("[1,2,{\"b\":\"c\"}]"));
    ck_assert_ptr_eq(kept_source(&a->u.arr[2], &len), canon + 10);
    skl_json_free(doc);
    /* The plain parser keeps nothing. */
    ck_assert_int_eq(skl_json_parse(&doc, canon, strlen(canon), BIG, why, sizeof why), SKL_OK);
    ck_assert_ptr_null(kept_source(skl_json_root(doc), &len));
    skl_json_free(doc);

    const char *text = kept_cases[_i].text;
    const char *want = kept_cases[_i].canonical;
    ck_assert_int_eq(skl_json_parse_keep(&doc, text, strlen(text), BIG, why, sizeof why), SKL_OK);
    root = skl_json_root(doc);
    const char *src = kept_source(root, &len);
    ck_assert_msg((src == text) == kept_cases[_i].root_kept && (src == NULL) != kept_cases[_i].root_kept,
                  "%s: root text %s", text, src ? "kept" : "not kept");
    /* A container canonical in itself keeps its text inside a parent that is not. */
    const skl_json_value *child = &skl_json_get(root, "a")->u.arr[2];
    src = kept_source(child, &len);
    ck_assert_msg((src != NULL) == kept_cases[_i].child_kept, "%s: a[2] text %s", text,
                  src ? "kept" : "not kept");
    if (src != NULL) {
        ck_assert_uint_eq(len, 9);
        ck_assert_mem_eq(src, "{\"b\":\"c\"}", 9);
    }
    char *out = NULL;
    ck_assert_int_eq(skl_json_canonicalize(root, &out, &len), SKL_OK);
    want = want ? want : canon;
    ck_assert_msg(len == strlen(want) && memcmp(out, want, len) == 0, "%s: got %s, want %s", text,
                  out, want);
    free(out);
    skl_json_free(doc);
}
END_TEST

/* The string scanner reads 16 and 8 bytes at a time: every kind of byte it must stop at,
 * at every offset across those blocks, is found where it is. */
START_TEST(test_string_stops)
{
    static const struct {
        const char *at;      /* put after pos 'a's, inside the string */
        const char *decoded; /* what the string then holds after the 'a's, NULL: refused */
    } stop[] = {
        {"", ""},           {"\\n", "\n"},
        {"\\\"x", "\"x"},   {"\xe5\xbc\xa0x", "\xe5\xbc\xa0x"},
        {"\x7f", "\x7f"},   {"\x01", NULL},
        {"\x1f", NULL},     {"\xff", NULL},
        {"\xc0\x80", NULL}, {"\xe5\xbc", NULL},
    };
    char text[128], want[128], why[160];
    for (size_t k = 0; k < sizeof stop / sizeof stop[0]; k++)
        for (int pos = 0; pos <= 40; pos++) {
            int n = snprintf(text, sizeof text, "\"%.*s%s\"", pos,
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", stop[k].at);
            skl_json_doc *doc = NULL;
            skl_err rc = skl_json_parse(&doc, text, (size_t)n, BIG, why, sizeof why);
            if (stop[k].decoded == NULL) {
                ck_assert_msg(rc == SKL_ERR_PARSE, "case %zu at %d accepted", k, pos);
                ck_assert_ptr_null(doc);
                continue;
            }
            ck_assert_msg(rc == SKL_OK, "case %zu at %d: %s", k, pos, why);
            snprintf(want, sizeof want, "%.*s%s", pos,
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", stop[k].decoded);
            const skl_json_value *v = skl_json_root(doc);
            ck_assert_uint_eq(v->n, strlen(want));
            ck_assert_str_eq(v->u.str, want);
            skl_json_free(doc);
            /* Unterminated: the scanner must not read past the end. */
            ck_assert_int_eq(skl_json_parse(&doc, text, (size_t)n - 1, BIG, why, sizeof why),
                             SKL_ERR_PARSE);
        }
}
END_TEST

Suite *json_suite(void);

Suite *
json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("canonical");
    tcase_add_loop_test(tc, test_jcs_vectors, 0, N_JCS);
    tcase_add_loop_test(tc, test_number_kat, 0, N_NUM);
    tcase_add_test(tc, test_number_text);
    tcase_add_test(tc, test_number_roundtrip_random);
    tcase_add_test(tc, test_number_locale);
    tcase_add_test(tc, test_string_escapes);
    tcase_add_test(tc, test_write_string_direct);
    tcase_add_test(tc, test_key_cmp);
    tcase_add_test(tc, test_key_order_doc);
    tcase_add_test(tc, test_canon_except);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_loop_test(tc, test_kept_source, 0, sizeof kept_cases / sizeof kept_cases[0]);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_test(tc, test_get);
    tcase_add_test(tc, test_string_stops);
    tcase_add_loop_test(tc, test_get_utf16_order, 0, 2);
    tcase_add_loop_test(tc, test_get_nul_keys, 0, 2);
    tcase_add_test(tc, test_large_object);
    tcase_add_test(tc, test_large_doc);
    tcase_add_test(tc, test_number_refused);
    tcase_add_loop_test(tc, test_bad_docs, 0, N_BAD);
    tcase_add_test(tc, test_why_messages);
    tcase_add_test(tc, test_depth);
    tcase_add_test(tc, test_max_len);
    suite_add_tcase(s, tc);
    return s;
}
