/* check_codec.c - the strict hex and base64 decoders (RFC 4648 answers, every way to be
 * non-canonical, agreement with a slow reference decoder on random text), and byte-bounded
 * copies of UTF-8 text that never cut a character. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "codec_int.h"
#include "utf8_int.h"
#include "why_int.h"

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The reference: decode by the RFC's definition, then accept only if re-encoding gives the
 * same text (which rules out bad padding and non-zero trailing bits in one stroke). */
static int
ref_base64(uint8_t *out, size_t cap, size_t *olen, const char *in, size_t n)
{
    if (n % 4 != 0)
        return -1;
    uint8_t tmp[256];
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '=')
            break;
        const char *p = strchr(B64, in[i]);
        if (in[i] == '\0' || p == NULL)
            return -1;
        acc = acc << 6 | (uint32_t)(p - B64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            tmp[o++] = (uint8_t)(acc >> bits);
        }
    }
    skl_buf b = SKL_BUF_INIT;
    skl_buf_base64(&b, tmp, o);
    int same = b.len == n && memcmp(b.data, in, n) == 0;
    skl_buf_free(&b);
    if (!same || o > cap)
        return -1;
    memcpy(out, tmp, o);
    *olen = o;
    return 0;
}

START_TEST(test_rfc4648_vectors)
{
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const b64[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                      "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        uint8_t out[8];
        size_t n = 99;
        ck_assert_int_eq(skl_base64_decode(out, sizeof out, &n, b64[i], strlen(b64[i])), 0);
        ck_assert_uint_eq(n, strlen(plain[i]));
        ck_assert(memcmp(out, plain[i], n) == 0);
        skl_buf b = SKL_BUF_INIT;
        ck_assert_int_eq(skl_buf_base64(&b, (const uint8_t *)plain[i], strlen(plain[i])), 0);
        ck_assert_uint_eq(b.len, strlen(b64[i]));
        ck_assert(memcmp(b.data, b64[i], b.len) == 0);
        skl_buf_free(&b);
    }
}
END_TEST

START_TEST(test_base64_rejects)
{
    static const char *const bad[] = {
        "Zg=",                 /* length not a multiple of 4 */
        "Zh==",                /* non-zero bits under the padding */
        "Zm9=",                /* likewise, one pad */
        "Z===",                /* three pads */
        "====",                /* only padding */
        "Zg==Zg==",            /* padding before the end */
        "Z=g=",                /* a pad between digits */
        "Zm9v\n",              /* white space */
        "Zm-v",                /* the URL-safe alphabet */
        "Zm_v",     "Zm9\x80", /* a non-ASCII byte */
        "Zm9v====",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t out[16];
        size_t n;
        ck_assert_msg(skl_base64_decode(out, sizeof out, &n, bad[i], strlen(bad[i])) == -1,
                      "accepted \"%s\"", bad[i]);
    }
    uint8_t out[16];
    size_t n;
    static const char nul[4] = {'Z', 'm', '\0', 'v'};
    ck_assert_int_eq(skl_base64_decode(out, sizeof out, &n, nul, 4), -1);
    /* Exactly the room needed, and one byte less. */
    ck_assert_int_eq(skl_base64_decode(out, 6, &n, "Zm9vYmFy", 8), 0);
    ck_assert_int_eq(skl_base64_decode(out, 5, &n, "Zm9vYmFy", 8), -1);
    ck_assert_int_eq(skl_base64_decode(out, 4, &n, "Zm9vYmE=", 8), -1);
}
END_TEST

/* Random strings over the alphabet plus '=' and a few strangers: the fast decoder accepts
 * exactly what the reference accepts, with the same bytes. */
START_TEST(test_base64_matches_reference)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        "====-_ \x80";
    srand(4648);
    size_t accepted = 0;
    for (int t = 0; t < 200000; t++) {
        char in[24];
        size_t n = (size_t)(rand() % 4 + 1) * 4 - (rand() % 8 == 0);
        for (size_t i = 0; i < n; i++)
            in[i] = alphabet[rand() % (sizeof alphabet - 1)];
        /* Bias toward valid endings: often pad the tail properly. */
        if (n % 4 == 0 && rand() % 2) {
            for (size_t i = 0; i + 2 < n; i++)
                if (in[i] == '=' || (unsigned char)in[i] >= 0x80 || in[i] == '-' || in[i] == '_' ||
                    in[i] == ' ')
                    in[i] = 'Q';
        }
        uint8_t a[24], b[24];
        size_t na = 0, nb = 0;
        int ra = skl_base64_decode(a, sizeof a, &na, in, n);
        int rb = ref_base64(b, sizeof b, &nb, in, n);
        ck_assert_msg(ra == rb, "\"%.*s\": fast %d, reference %d", (int)n, in, ra, rb);
        if (ra == 0) {
            ck_assert_uint_eq(na, nb);
            ck_assert(memcmp(a, b, na) == 0);
            accepted++;
        }
    }
    ck_assert_uint_gt(accepted, 1000); /* the test exercised the accepting path too */
}
END_TEST

START_TEST(test_hex)
{
    uint8_t out[4];
    size_t n;
    ck_assert_int_eq(skl_hex_decode(out, sizeof out, &n, "00fFa9", 6), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(out[0], 0x00);
    ck_assert_uint_eq(out[1], 0xff);
    ck_assert_uint_eq(out[2], 0xa9);
    ck_assert_int_eq(skl_hex_decode(out, sizeof out, &n, "", 0), 0);
    ck_assert_uint_eq(n, 0);
    static const char *const bad[] = {"0", "0g", "g0", " 0", "0x", "-1", "\x80\x80", "0:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(skl_hex_decode(out, sizeof out, &n, bad[i], strlen(bad[i])) == -1,
                      "accepted \"%s\"", bad[i]);
    ck_assert_int_eq(skl_hex_decode(out, 2, &n, "001122", 6), -1); /* no room */
    /* Every byte value outside [0-9a-fA-F] is refused in either position. */
    for (int c = 0; c < 256; c++) {
        char in[2] = {(char)c, '0'};
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        ck_assert_int_eq(skl_hex_decode(out, sizeof out, &n, in, 2), ok ? 0 : -1);
        in[0] = '0';
        in[1] = (char)c;
        ck_assert_int_eq(skl_hex_decode(out, sizeof out, &n, in, 2), ok ? 0 : -1);
    }
}
END_TEST

/* Lower-case hex only: every byte value alone, and one wrong digit at each place of a
 * 64-digit hash. */
START_TEST(test_hex_is_lower)
{
    for (int c = 0; c < 256; c++) {
        char in[1] = {(char)c};
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        ck_assert_int_eq(skl_hex_is_lower(in, 1), ok);
    }
    char h[65] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    ck_assert_int_eq(skl_hex_is_lower(h, 64), 1);
    ck_assert_int_eq(skl_hex_is_lower(h, 0), 1);
    static const char wrong[] = {'A', 'F', 'g', '/', ':', '`', '\0', '\x80'};
    for (size_t i = 0; i < 64; i++)
        for (size_t k = 0; k < sizeof wrong; k++) {
            char save = h[i];
            h[i] = wrong[k];
            ck_assert_msg(skl_hex_is_lower(h, 64) == 0, "0x%02x at %zu accepted",
                          (unsigned char)wrong[k], i);
            h[i] = save;
        }
}
END_TEST

/* Byte-bounded copies of text keep it well-formed: a character that does not fit is left
 * out whole, never cut in the middle. */
START_TEST(test_utf8_copy_cuts_at_characters)
{
    static const char dian[] = "\xe7\x94\xb5"; /* 电, three bytes */
    char src[400] = "", dst[256];
    for (int i = 0; i < 100; i++)
        strcat(src, dian); /* 300 bytes */
    size_t n = skl_utf8_copy(dst, sizeof dst, src);
    ck_assert_uint_eq(n, 255); /* 85 whole characters */
    ck_assert_uint_eq(strlen(dst), 255);
    ck_assert_uint_eq(skl_utf8_bad_offset((const unsigned char *)dst, n), n);
    n = skl_utf8_copy(dst, 255, src); /* room for 254: 84 characters */
    ck_assert_uint_eq(n, 252);
    ck_assert_uint_eq(skl_utf8_bad_offset((const unsigned char *)dst, n), n);
    /* A four-byte character at every cut point. */
    static const char emoji[] = "ab\xf0\x9f\x98\x80"; /* ab U+1F600 */
    for (size_t cap = 1; cap <= sizeof emoji; cap++) {
        n = skl_utf8_copy(dst, cap, emoji);
        ck_assert_uint_eq(n, cap - 1 < 2 ? cap - 1 : cap - 1 < 6 ? 2 : 6);
        ck_assert_uint_eq(skl_utf8_bad_offset((const unsigned char *)dst, n), n);
    }
    /* Text that fits is copied as it is, even when it is not well-formed. */
    ck_assert_uint_eq(skl_utf8_copy(dst, sizeof dst, "x\xe7"), 2);
    ck_assert_uint_eq(skl_utf8_cut("x\xe7\x94", 3), 1);
    ck_assert_uint_eq(skl_utf8_cut("x\xe7\x94\xb5", 4), 4);
    ck_assert_uint_eq(skl_utf8_cut("", 0), 0);
}
END_TEST

START_TEST(test_why_cuts_at_characters)
{
    char why[16];
    skl_why(why, sizeof why, "%s",
            "\xe5\x90\x8d\xe7\xa7\xb0\xe5\x90\x8d\xe7\xa7\xb0\xe5\x90\x8d\xe7\xa7\xb0");
    ck_assert_uint_eq(strlen(why), 15); /* five characters of three bytes */
    skl_why(why, sizeof why, "ab%s", "\xe5\x90\x8d\xe7\xa7\xb0\xe5\x90\x8d\xe7\xa7\xb0");
    ck_assert_uint_eq(strlen(why), 14); /* "ab" and four characters */
    ck_assert_uint_eq(skl_utf8_bad_offset((const unsigned char *)why, 14), 14);
    ck_assert_int_eq(skl_why_rc(why, sizeof why, 7, "%s", "short"), 7);
    ck_assert_str_eq(why, "short");
}
END_TEST

Suite *
codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("codec");
    tcase_add_test(tc, test_rfc4648_vectors);
    tcase_add_test(tc, test_base64_rejects);
    tcase_add_test(tc, test_base64_matches_reference);
    tcase_add_test(tc, test_hex);
    tcase_add_test(tc, test_hex_is_lower);
    tcase_add_test(tc, test_utf8_copy_cuts_at_characters);
    tcase_add_test(tc, test_why_cuts_at_characters);
    suite_add_tcase(s, tc);
    return s;
}
