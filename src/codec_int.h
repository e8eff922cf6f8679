/*
 * codec_int.h - strict decoders for hex and base64 (private to libskl).
 * The encoders append to an skl_buf (buf_int.h); base58btc lives with did:key (vc_int.h).
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

/* 1 if s[0..n) are all lower-case hex digits (every byte is read: no early exit, so
 * random digits cost no mispredicted branches). */
int skl_hex_is_lower(const char *s, size_t n);
/* Lowercase or uppercase hex; length must be even. */
int skl_hex_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen);
/* Standard alphabet with padding (RFC 4648 §4); rejects non-canonical trailing bits. */
int skl_base64_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen);

#endif
