/*
 * codec_int.h - strict decoders for hex, base64 and base58btc (private to libskl).
 * Encoders that append to an skl_buf live in buf_int.h (hex, base64) and here (base58).
 *
 * Every decoder writes at most outcap bytes, stores the decoded length in *outlen,
 * and returns 0, or -1 if the input is not canonical text of that encoding
 * (wrong alphabet, bad padding, non-zero trailing bits, or too long for outcap).
 */
#ifndef SKL_CODEC_INT_H
#define SKL_CODEC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf_int.h"

/* Lowercase or uppercase hex; length must be even. */
int skl_hex_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen);
/* Standard alphabet with padding (RFC 4648 §4); rejects non-canonical trailing bits. */
int skl_base64_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen);
/* Bitcoin base58 alphabet (used by multibase 'z'); leading zero bytes map to '1'. */
int skl_base58_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen);
int skl_buf_base58(skl_buf *b, const uint8_t *p, size_t n);

#endif
