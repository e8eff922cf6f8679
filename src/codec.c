/* codec.c - strict hex and base64 decoding. */
#include "codec_int.h"

#include <string.h>

/* Digit values by byte, 255 for bytes outside the alphabet. */
/* clang-format off */
static const uint8_t hex_value[256] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
      0,   1,   2,   3,   4,   5,   6,   7,   8,   9, 255, 255, 255, 255, 255, 255,
    255,  10,  11,  12,  13,  14,  15, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255,  10,  11,  12,  13,  14,  15, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
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

/* clang-format off */
static const uint8_t b64_value[256] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,  62, 255, 255, 255,  63,
     52,  53,  54,  55,  56,  57,  58,  59,  60,  61, 255, 255, 255, 255, 255, 255,
    255,   0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11,  12,  13,  14,
     15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25, 255, 255, 255, 255, 255,
    255,  26,  27,  28,  29,  30,  31,  32,  33,  34,  35,  36,  37,  38,  39,  40,
     41,  42,  43,  44,  45,  46,  47,  48,  49,  50,  51, 255, 255, 255, 255, 255,
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

int
skl_hex_is_lower(const char *s, size_t n)
{
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        bad |= (c - '0' > 9u) & (c - 'a' > 5u);
    }
    return bad == 0;
}

int
skl_hex_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen)
{
    const unsigned char *s = (const unsigned char *)in;
    if (inlen % 2 != 0 || inlen / 2 > outcap)
        return -1;
    unsigned bad = 0;
    for (size_t i = 0; i < inlen; i += 2) {
        unsigned hi = hex_value[s[i]], lo = hex_value[s[i + 1]];
        bad |= hi | lo;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    if (bad & 0xf0)
        return -1;
    *outlen = inlen / 2;
    return 0;
}

int
skl_base64_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen)
{
    const unsigned char *s = (const unsigned char *)in;
    if (inlen % 4 != 0)
        return -1;
    size_t pad = inlen >= 1 && s[inlen - 1] == '=' ? 1 + (inlen >= 2 && s[inlen - 2] == '=') : 0;
    size_t n = inlen / 4 * 3 - pad;
    if (n > outcap)
        return -1;
    /* Every group but the last: four digits, no padding. */
    size_t full = inlen == 0 ? 0 : inlen - 4, o = 0;
    unsigned bad = 0;
    for (size_t i = 0; i < full; i += 4, o += 3) {
        unsigned a = b64_value[s[i]], b = b64_value[s[i + 1]], c = b64_value[s[i + 2]],
                 d = b64_value[s[i + 3]];
        bad |= a | b | c | d;
        uint32_t w = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
        out[o] = (uint8_t)(w >> 16);
        out[o + 1] = (uint8_t)(w >> 8);
        out[o + 2] = (uint8_t)w;
    }
    if (inlen > 0) {
        /* The last group: its padding digits count as zero and must hide zero bits. */
        unsigned v[4];
        for (int k = 0; k < 4; k++) {
            v[k] = k >= 4 - (int)pad ? 0 : b64_value[s[full + k]];
            bad |= v[k];
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | v[3];
        if ((pad == 2 && (w & 0xffff) != 0) || (pad == 1 && (w & 0xff) != 0))
            return -1;
        uint8_t bytes[3] = {(uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
        if (!(bad & 0xc0))
            memcpy(out + o, bytes, 3 - pad);
        o += 3 - pad;
    }
    if (bad & 0xc0)
        return -1;
    *outlen = o;
    return 0;
}
