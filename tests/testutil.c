/* testutil.c - helpers shared by the Check suites. */
#include "testutil.h"
#include "buf_int.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert(n >= 0);
    rewind(f);
    char *p = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = '\0';
    if (len)
        *len = (size_t)n;
    return p;
}

char *
tu_read_vector(const char *rel, size_t *len)
{
    const char *dir = getenv("SKL_VECTORS");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "../shared/vectors", rel);
    return tu_read_file(path, len);
}

void
tu_hex(uint8_t *out, size_t n, const char *hex)
{
    ck_assert_uint_eq(strlen(hex), 2 * n);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

char *
tu_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/skl-test-XXXXXX", t && *t ? t : "/tmp");
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    return strdup(d);
}

/* ---- a bytewise base58btc reference coder ---- */

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

int
tu_base58_encode(skl_buf *b, const uint8_t *p, size_t n)
{
    /* Quadratic long division: the plain reference the fast coder is checked against. */
    uint8_t digits[256];
    size_t nd = 0, zeros = 0;
    if (n > 128) {
        b->oom = 1;
        return -1;
    }
    while (zeros < n && p[zeros] == 0)
        zeros++;
    for (size_t i = zeros; i < n; i++) {
        unsigned carry = p[i];
        for (size_t j = 0; j < nd; j++) {
            carry += (unsigned)digits[j] << 8;
            digits[j] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        while (carry) {
            digits[nd++] = (uint8_t)(carry % 58);
            carry /= 58;
        }
    }
    if (skl_buf_reserve(b, zeros + nd) != 0)
        return -1;
    for (size_t i = 0; i < zeros; i++)
        b->data[b->len++] = '1';
    for (size_t i = 0; i < nd; i++)
        b->data[b->len++] = b58[digits[nd - 1 - i]];
    b->data[b->len] = '\0';
    return 0;
}

int
tu_base58_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen)
{
    uint8_t bytes[256];
    size_t nb = 0, zeros = 0;
    if (inlen > 200)
        return -1;
    while (zeros < inlen && in[zeros] == '1')
        zeros++;
    for (size_t i = zeros; i < inlen; i++) {
        const char *q = memchr(b58, in[i], sizeof b58 - 1);
        if (q == NULL || in[i] == '\0')
            return -1;
        unsigned carry = (unsigned)(q - b58);
        for (size_t j = 0; j < nb; j++) {
            carry += (unsigned)bytes[j] * 58;
            bytes[j] = (uint8_t)carry;
            carry >>= 8;
        }
        while (carry) {
            bytes[nb++] = (uint8_t)carry;
            carry >>= 8;
        }
    }
    if (zeros + nb > outcap)
        return -1;
    memset(out, 0, zeros);
    for (size_t i = 0; i < nb; i++)
        out[zeros + i] = bytes[nb - 1 - i];
    *outlen = zeros + nb;
    return 0;
}
