/*
 * sha256_int.h - SHA-256 through OpenSSL's CPU-accelerated implementation (private).
 *
 * The low-level SHA256_* calls cost a fraction of EVP_Digest's per-call overhead,
 * which matters for 65-byte Merkle node hashes; OpenSSL 3 still ships them.
 */
#ifndef SKL_SHA256_INT_H
#define SKL_SHA256_INT_H

#ifndef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 10101
#endif
#include <openssl/sha.h>
#include <stddef.h>
#include <stdint.h>

#define SKL_SHA256_LEN 32

typedef SHA256_CTX skl_sha256_ctx;

static inline void
skl_sha256_init(skl_sha256_ctx *c)
{
    SHA256_Init(c);
}

static inline void
skl_sha256_update(skl_sha256_ctx *c, const void *p, size_t n)
{
    SHA256_Update(c, p, n);
}

static inline void
skl_sha256_final(skl_sha256_ctx *c, uint8_t out[SKL_SHA256_LEN])
{
    SHA256_Final(out, c);
}

/* One-shot SHA256() goes through EVP_Q_digest and fetches the algorithm on every call:
 * three times slower for short inputs than the context calls. */
static inline void
skl_sha256(uint8_t out[SKL_SHA256_LEN], const void *p, size_t n)
{
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, p, n);
    SHA256_Final(out, &c);
}

#endif
