/*
 * did_key.c - Multibase base58btc, Ed25519 Multikey and did:key.
 *
 * An Ed25519 Multikey is 'z' + base58btc(0xed 0x01 || key): the multicodec code of
 * ed25519-pub (0xed) as an unsigned varint (0xed 0x01), then the 32-byte key. Its did:key is
 * "did:key:" + multikey, and the key's verification method is "did:key:<mk>#<mk>".
 *
 * The base58 coders here work on 32-bit words (dividing by 58^5 per step) instead of one
 * byte at a time: a signature's proofValue is encoded on every sign and decoded on every
 * verify, and the bytewise coder costs a fifth of an Ed25519 signature.
 */
#include "vc_int.h"

#include <stdlib.h>
#include <string.h>

#define B58_POW5 656356768u /* 58^5, the largest power of 58 below 2^32 */
#define B58_MAX_BYTES 128
#define B58_MAX_DIGITS 180 /* 128 bytes need 175 digits; the last 5-digit step may pad */

static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static const uint8_t ed25519_pub_codec[2] = {0xed, 0x01};

/* ------------------------------------------------------------------------------------- */
/* base58btc                                                                               */

/* Digit values of base58btc by byte, 255 outside the alphabet. */
/* clang-format off */
static const uint8_t b58_digit[256] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255,   0,   1,   2,   3,   4,   5,   6,   7,   8, 255, 255, 255, 255, 255, 255,
    255,   9,  10,  11,  12,  13,  14,  15,  16, 255,  17,  18,  19,  20,  21, 255,
     22,  23,  24,  25,  26,  27,  28,  29,  30,  31,  32, 255, 255, 255, 255, 255,
    255,  33,  34,  35,  36,  37,  38,  39,  40,  41,  42,  43, 255,  44,  45,  46,
     47,  48,  49,  50,  51,  52,  53,  54,  55,  56,  57, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
};
/* clang-format on */

static int
b58_value(unsigned char c)
{
    return b58_digit[c] == 255 ? -1 : b58_digit[c];
}

/* Writes base58btc(p[0..n)) to out (room for B58_MAX_DIGITS + 1); returns its length. */
static size_t
b58_encode(char *out, const uint8_t *p, size_t n)
{
    uint32_t limb[B58_MAX_BYTES / 4 + 1];
    uint8_t digit[B58_MAX_DIGITS];
    size_t zeros = 0, nd = 0;

    while (zeros < n && p[zeros] == 0)
        zeros++;
    /* Big-endian 32-bit words; the first holds the 1..4 leading bytes. */
    size_t m = n - zeros, nl = (m + 3) / 4, k = zeros;
    for (size_t i = 0; i < nl; i++) {
        size_t take = (i == 0 && m % 4) ? m % 4 : 4;
        uint32_t w = 0;
        for (size_t j = 0; j < take; j++)
            w = w << 8 | p[k++];
        limb[i] = w;
    }
    size_t top = 0;
    while (top < nl) {
        uint64_t rem = 0;
        for (size_t i = top; i < nl; i++) {
            uint64_t cur = rem << 32 | limb[i];
            limb[i] = (uint32_t)(cur / B58_POW5);
            rem = cur % B58_POW5;
        }
        while (top < nl && limb[top] == 0)
            top++;
        for (int j = 0; j < 5; j++) {
            digit[nd++] = (uint8_t)(rem % 58);
            rem /= 58;
        }
    }
    while (nd > 0 && digit[nd - 1] == 0)
        nd--;
    size_t o = 0;
    for (size_t i = 0; i < zeros; i++)
        out[o++] = '1';
    while (nd > 0)
        out[o++] = b58_alphabet[digit[--nd]];
    out[o] = '\0';
    return o;
}

/* The decoder's limbs: 64 bits wide where the compiler has a 128-bit product, taking ten
 * digits a step (58^10 < 2^64); else 32 bits and five digits (58^5 < 2^32). */
#ifdef __SIZEOF_INT128__
typedef uint64_t b58_limb;
__extension__ typedef unsigned __int128 b58_wide;
#define B58_STEP 10
#else
typedef uint32_t b58_limb;
typedef uint64_t b58_wide;
#define B58_STEP 5
#endif

/* Decodes base58btc s[0..n) into out[0..outcap). 0, or -1 when not base58 or too long. */
static int
b58_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *s, size_t n)
{
    b58_limb limb[B58_MAX_BYTES / sizeof(b58_limb) + 1]; /* least significant first */
    size_t cap = outcap < B58_MAX_BYTES ? outcap : B58_MAX_BYTES;
    size_t maxl = cap / sizeof(b58_limb) + 1, nl = 0, zeros = 0;

    if (n > B58_MAX_DIGITS)
        return -1;
    while (zeros < n && s[zeros] == '1')
        zeros++;
    for (size_t i = zeros; i < n;) {
        b58_limb v = 0, mul = 1;
        for (size_t j = 0; j < B58_STEP && i < n; j++, i++) {
            int d = b58_value((unsigned char)s[i]);
            if (d < 0)
                return -1;
            v = v * 58 + (b58_limb)d;
            mul *= 58;
        }
        b58_wide carry = v;
        for (size_t j = 0; j < nl; j++) {
            carry += (b58_wide)limb[j] * mul;
            limb[j] = (b58_limb)carry;
            carry >>= 8 * sizeof(b58_limb);
        }
        if (carry) {
            if (nl == maxl)
                return -1;
            limb[nl++] = (b58_limb)carry;
        }
    }
    /* Significant bytes of the number, most significant first. */
    uint8_t bytes[sizeof limb];
    size_t nb = 0;
    for (size_t j = nl; j-- > 0;) {
        for (int sh = 8 * (int)sizeof(b58_limb) - 8; sh >= 0; sh -= 8) {
            uint8_t c = (uint8_t)(limb[j] >> sh);
            if (nb == 0 && c == 0)
                continue;
            bytes[nb++] = c;
        }
    }
    if (zeros > outcap || nb > outcap - zeros)
        return -1;
    memset(out, 0, zeros);
    memcpy(out + zeros, bytes, nb);
    *outlen = zeros + nb;
    return 0;
}

int
skl_multibase_append(skl_buf *b, const uint8_t *p, size_t n)
{
    char text[B58_MAX_DIGITS + 1];
    if (n > B58_MAX_BYTES) {
        b->oom = 1;
        return -1;
    }
    size_t len = b58_encode(text, p, n);
    if (skl_buf_reserve(b, len + 1) != 0)
        return -1;
    b->data[b->len++] = 'z';
    memcpy(b->data + b->len, text, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int
skl_multibase_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *s, size_t n)
{
    if (n < 1 || s[0] != 'z')
        return -1;
    return b58_decode(out, outcap, outlen, s + 1, n - 1);
}

/* ------------------------------------------------------------------------------------- */
/* Multikey and did:key                                                                    */

void
skl_multikey_write(char out[SKL_MULTIKEY_LEN + 1], const uint8_t pub[32])
{
    uint8_t raw[34];
    memcpy(raw, ed25519_pub_codec, 2);
    memcpy(raw + 2, pub, 32);
    out[0] = 'z';
    /* 0xed01 << 256 <= value < 2^272 always gives 47 digits: the length is fixed. */
    b58_encode(out + 1, raw, sizeof raw);
}

int
skl_multikey_append(skl_buf *b, const uint8_t pub[32])
{
    char mk[SKL_MULTIKEY_LEN + 1];
    skl_multikey_write(mk, pub);
    return skl_buf_append(b, mk, SKL_MULTIKEY_LEN);
}

static skl_err
multikey_parse(uint8_t pub[32], const char *s, size_t n, const char **reason)
{
    uint8_t raw[B58_MAX_BYTES];
    size_t len;
    const char *r;

    if (n < 1 || s[0] != 'z') {
        r = "multibase prefix is not 'z' (base58btc)";
        goto bad;
    }
    for (size_t i = 1; i < n; i++) {
        if (b58_value((unsigned char)s[i]) < 0) {
            r = "key holds a character outside base58btc";
            goto bad;
        }
    }
    if (b58_decode(raw, sizeof raw, &len, s + 1, n - 1) != 0) {
        r = "key is too long";
        goto bad;
    }
    if (len < 2 || memcmp(raw, ed25519_pub_codec, 2) != 0) {
        r = "multicodec is not ed25519-pub (0xed01)";
        goto bad;
    }
    if (len != 34) {
        r = "Ed25519 key is not 32 bytes";
        goto bad;
    }
    memcpy(pub, raw + 2, 32);
    return SKL_OK;
bad:
    if (reason)
        *reason = r;
    return SKL_ERR_KEY;
}

skl_err
skl_did_key_parse(uint8_t pub[32], const char *s, size_t n, int need_fragment, const char **reason)
{
    static const char prefix[] = "did:key:";
    const size_t plen = sizeof prefix - 1;
    uint8_t key[32];

    if (n < plen || memcmp(s, prefix, plen) != 0) {
        if (reason)
            *reason = "does not start with \"did:key:\"";
        return SKL_ERR_KEY;
    }
    const char *mk = s + plen;
    const char *hash = memchr(mk, '#', n - plen);
    size_t mklen = hash ? (size_t)(hash - mk) : n - plen;
    if (hash == NULL && need_fragment) {
        if (reason)
            *reason = "has no \"#\" fragment naming the key";
        return SKL_ERR_KEY;
    }
    skl_err rc = multikey_parse(key, mk, mklen, reason);
    if (rc != SKL_OK)
        return rc;
    if (hash) {
        size_t flen = n - plen - mklen - 1;
        if (flen != mklen || memcmp(hash + 1, mk, mklen) != 0) {
            if (reason)
                *reason = "fragment does not match the key";
            return SKL_ERR_KEY;
        }
    }
    memcpy(pub, key, 32);
    return SKL_OK;
}

skl_err
skl_multikey_encode(char **out, const uint8_t pub[32])
{
    if (out == NULL || pub == NULL)
        return SKL_ERR_INVAL;
    *out = malloc(SKL_MULTIKEY_LEN + 1);
    if (*out == NULL)
        return SKL_ERR_NOMEM;
    skl_multikey_write(*out, pub);
    return SKL_OK;
}

skl_err
skl_multikey_decode(uint8_t pub[32], const char *s)
{
    if (pub == NULL || s == NULL)
        return SKL_ERR_INVAL;
    return multikey_parse(pub, s, strlen(s), NULL);
}

skl_err
skl_did_key_encode(char **out, const uint8_t pub[32])
{
    if (out == NULL || pub == NULL)
        return SKL_ERR_INVAL;
    *out = malloc(SKL_DID_KEY_LEN + 1);
    if (*out == NULL)
        return SKL_ERR_NOMEM;
    memcpy(*out, "did:key:", 8);
    skl_multikey_write(*out + 8, pub);
    return SKL_OK;
}

skl_err
skl_did_key_decode(uint8_t pub[32], const char *s)
{
    if (pub == NULL || s == NULL)
        return SKL_ERR_INVAL;
    return skl_did_key_parse(pub, s, strlen(s), 0, NULL);
}
