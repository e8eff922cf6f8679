/* codec.c - strict hex and base64 decoding. */
#include "codec_int.h"

#include <string.h>

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
skl_hex_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen)
{
    if (inlen % 2 != 0 || inlen / 2 > outcap)
        return -1;
    for (size_t i = 0; i < inlen; i += 2) {
        int hi = hexval(in[i]), lo = hexval(in[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    *outlen = inlen / 2;
    return 0;
}

static int
b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int
skl_base64_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen)
{
    if (inlen % 4 != 0)
        return -1;
    size_t pad = 0;
    if (inlen >= 1 && in[inlen - 1] == '=')
        pad++;
    if (inlen >= 2 && in[inlen - 2] == '=')
        pad++;
    size_t n = inlen / 4 * 3 - pad;
    if (n > outcap)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < inlen; i += 4) {
        int v[4];
        int last = i + 4 == inlen;
        for (int k = 0; k < 4; k++) {
            if (last && in[i + k] == '=' && k >= 4 - (int)pad) {
                v[k] = 0;
                continue;
            }
            v[k] = b64val(in[i + k]);
            if (v[k] < 0)
                return -1;
        }
        uint32_t w =
            (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if (last && pad == 2 && (w & 0xffff) != 0)
            return -1;
        if (last && pad == 1 && (w & 0xff) != 0)
            return -1;
        uint8_t bytes[3] = {(uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w};
        size_t take = last ? 3 - pad : 3;
        memcpy(out + o, bytes, take);
        o += take;
    }
    *outlen = o;
    return 0;
}
