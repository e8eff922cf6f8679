/*
 * check_vc.c - W3C VC 2.0 eddsa-jcs-2022 proofs and did:key, against the W3C
 * vc-di-eddsa test vectors (vectors/vc-di-eddsa/) and a forgery for every check.
 */
#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec_int.h"
#include "json_int.h"
#include "sha256_int.h"
#include "skl/json.h"
#include "skl/vc.h"
#include "testutil.h"
#include "vc_int.h"

#define V2 "https://www.w3.org/ns/credentials/v2"
#define VEC_CREATED "2023-02-24T23:36:38Z"
#define VEC_PUB_MK "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
#define VEC_PRIV_MK "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"

/* ------------------------------------------------------------------------------------- */
/* Helpers                                                                                 */

static void
setup(void)
{
    ck_assert_int_ge(sodium_init(), 0);
}

/* The vector's key pair: the private Multikey is 'z' + base58(0x80 0x26 || seed). */
/* skl_vc_sign with the key whose libsodium secret key is sk (NULL: no key). */
static skl_err
sign_sk(char **out, size_t *outlen, const char *json, size_t len, const uint8_t *sk,
        const char *created, char *why, size_t whylen)
{
    skl_key *k = NULL;
    if (sk != NULL)
        ck_assert_int_eq(skl_key_from_seed(&k, sk, "test"), SKL_OK);
    skl_err rc = skl_vc_sign(out, outlen, json, len, k, created, why, whylen);
    skl_key_free(k);
    return rc;
}

static void
vector_key(uint8_t sk[64], uint8_t pk[32])
{
    uint8_t raw[64];
    size_t n = 0;
    const char *priv = VEC_PRIV_MK;
    ck_assert_int_eq(tu_base58_decode(raw, sizeof raw, &n, priv + 1, strlen(priv) - 1), 0);
    ck_assert_uint_eq(n, 34);
    ck_assert_uint_eq(raw[0], 0x80);
    ck_assert_uint_eq(raw[1], 0x26);
    ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, raw + 2), 0);
    sodium_memzero(raw, sizeof raw);
}

/* Trims trailing whitespace (the vector .txt files may end in a newline). */
static char *
vec_text(const char *rel)
{
    size_t n;
    char *s = tu_read_vector(rel, &n);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
    return s;
}

/* s with the first occurrence of from replaced by to (malloc'd); from must occur. */
static char *
replace(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    ck_assert_msg(p != NULL, "\"%s\" not found", from);
    size_t a = (size_t)(p - s), fl = strlen(from), tl = strlen(to), sl = strlen(s);
    char *r = malloc(sl - fl + tl + 1);
    ck_assert_ptr_nonnull(r);
    memcpy(r, s, a);
    memcpy(r + a, to, tl);
    memcpy(r + a + tl, p + fl, sl - a - fl + 1);
    return r;
}

static char *
canon_text(const char *json, size_t len)
{
    skl_json_doc *d = NULL;
    char why[200] = "", *c = NULL;
    size_t cl;
    ck_assert_msg(skl_json_parse(&d, json, len, 1 << 20, why, sizeof why) == SKL_OK, "%s", why);
    ck_assert_int_eq(skl_json_canonicalize(skl_json_root(d), &c, &cl), SKL_OK);
    skl_json_free(d);
    return c;
}

static void
hex_of(char *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* Verifies s and checks the code and that why contains want. */
static void
expect_verify(const char *s, skl_err code, const char *want)
{
    char why[256] = "";
    skl_vc_info info;
    skl_err rc = skl_vc_verify(s, strlen(s), &info, why, sizeof why);
    ck_assert_msg(rc == code, "got %d (%s), expected %d; why: %s", rc, skl_strerror(rc), code, why);
    if (want != NULL)
        ck_assert_msg(strstr(why, want) != NULL, "why \"%s\" lacks \"%s\"", why, want);
}

static char *
signed_vector(void)
{
    return tu_read_vector("vc-di-eddsa/signedJCS.json", NULL);
}

/* Signs json with sk and returns the canonical signed credential. */
static char *
sign_ok(const char *json, const uint8_t sk[64], const char *created)
{
    char *out = NULL, why[256] = "";
    size_t outlen = 0;
    skl_err rc = sign_sk(&out, &outlen, json, strlen(json), sk, created, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "sign: %s", why);
    ck_assert_uint_eq(strlen(out), outlen);
    return out;
}

/* ------------------------------------------------------------------------------------- */
/* did:key and Multikey                                                                    */

START_TEST(test_vector_key)
{
    uint8_t sk[64], pk[32], back[32];
    char *mk = NULL, *did = NULL;
    vector_key(sk, pk);

    ck_assert_int_eq(skl_multikey_encode(&mk, pk), SKL_OK);
    ck_assert_str_eq(mk, VEC_PUB_MK);
    ck_assert_uint_eq(strlen(mk), SKL_MULTIKEY_LEN);
    ck_assert_int_eq(skl_did_key_encode(&did, pk), SKL_OK);
    ck_assert_str_eq(did, "did:key:" VEC_PUB_MK);
    ck_assert_uint_eq(strlen(did), SKL_DID_KEY_LEN);

    ck_assert_int_eq(skl_did_key_decode(back, "did:key:" VEC_PUB_MK), SKL_OK);
    ck_assert_mem_eq(back, pk, 32);
    memset(back, 0, 32);
    ck_assert_int_eq(skl_did_key_decode(back, "did:key:" VEC_PUB_MK "#" VEC_PUB_MK), SKL_OK);
    ck_assert_mem_eq(back, pk, 32);
    memset(back, 0, 32);
    ck_assert_int_eq(skl_multikey_decode(back, VEC_PUB_MK), SKL_OK);
    ck_assert_mem_eq(back, pk, 32);

    /* And the keyPair.json file says the same. */
    char *kp = tu_read_vector("vc-di-eddsa/keyPair.json", NULL);
    ck_assert_ptr_nonnull(strstr(kp, "\"" VEC_PUB_MK "\""));
    ck_assert_ptr_nonnull(strstr(kp, "\"" VEC_PRIV_MK "\""));
    free(kp);
    free(mk);
    free(did);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

START_TEST(test_did_key_roundtrip)
{
    for (int i = 0; i < 200; i++) {
        uint8_t pk[32], back[32];
        char *did = NULL, *mk = NULL;
        randombytes_buf(pk, sizeof pk);
        if (i == 0)
            memset(pk, 0, 32);
        if (i == 1)
            memset(pk, 0xff, 32);
        ck_assert_int_eq(skl_did_key_encode(&did, pk), SKL_OK);
        ck_assert_int_eq(skl_multikey_encode(&mk, pk), SKL_OK);
        ck_assert_uint_eq(strlen(did), SKL_DID_KEY_LEN);
        ck_assert_int_eq(strncmp(did, "did:key:z6Mk", 12), 0);
        ck_assert_str_eq(did + 8, mk);
        ck_assert_int_eq(skl_did_key_decode(back, did), SKL_OK);
        ck_assert_mem_eq(back, pk, 32);
        free(did);
        free(mk);
    }
}
END_TEST

/* 'z' + base58(codec || key[0..n)) via the reference (bytewise) encoder. */
static char *
multikey_raw(const uint8_t *codec, size_t clen, size_t keylen)
{
    uint8_t raw[80];
    skl_buf b = SKL_BUF_INIT;
    memcpy(raw, codec, clen);
    for (size_t i = 0; i < keylen; i++)
        raw[clen + i] = (uint8_t)(i * 7 + 3);
    skl_buf_putc(&b, 'z');
    ck_assert_int_eq(tu_base58_encode(&b, raw, clen + keylen), 0);
    return b.data;
}

START_TEST(test_did_key_negative)
{
    static const uint8_t ed[2] = {0xed, 0x01}, x25519[2] = {0xec, 0x01}, secp[2] = {0xe7, 0x01};
    uint8_t pk[32], other[32];
    char buf[256];
    char *mk, *omk = NULL;

    /* The right form decodes; each deviation is refused. */
    mk = multikey_raw(ed, 2, 32);
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_OK);
    free(mk);

    mk = multikey_raw(x25519, 2, 32); /* X25519 key: wrong multicodec */
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_ERR_KEY);
    snprintf(buf, sizeof buf, "did:key:%s", mk);
    ck_assert_int_eq(skl_did_key_decode(pk, buf), SKL_ERR_KEY);
    free(mk);
    mk = multikey_raw(secp, 2, 33); /* secp256k1 */
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_ERR_KEY);
    free(mk);
    mk = multikey_raw(ed, 1, 33); /* truncated varint */
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_ERR_KEY);
    free(mk);
    mk = multikey_raw(ed, 2, 31); /* short key */
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_ERR_KEY);
    free(mk);
    mk = multikey_raw(ed, 2, 33); /* long key */
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_ERR_KEY);
    free(mk);
    mk = multikey_raw(ed, 2, 64);
    ck_assert_int_eq(skl_multikey_decode(pk, mk), SKL_ERR_KEY);
    free(mk);

    const char *reason = NULL;
    const char *bad[] = {
        "did:key:" VEC_PUB_MK "0",                                  /* '0' is not base58 */
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQl", /* 'l' */
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQO", /* 'O' */
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4sw TQ2", /* space */
        "did:key:6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  /* no 'z' */
        "did:key:f6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", /* 'f' = hex */
        "did:key:" VEC_PUB_MK "#",
        "did:key:" VEC_PUB_MK "#" VEC_PUB_MK "x",
        "did:key:" VEC_PUB_MK "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ3",
        "did:web:example.com",
        "did:key:",
        "did:key",
        "",
        ("DID:KEY:" VEC_PUB_MK),
        "did:key:z",
        "did:key:z1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(skl_did_key_decode(pk, bad[i]) == SKL_ERR_KEY, "accepted \"%s\"", bad[i]);
    ck_assert_int_eq(skl_multikey_decode(pk, "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
                     SKL_ERR_KEY);

    /* Fragment naming another key. */
    randombytes_buf(other, sizeof other);
    ck_assert_int_eq(skl_multikey_encode(&omk, other), SKL_OK);
    snprintf(buf, sizeof buf, "did:key:%s#%s", VEC_PUB_MK, omk);
    ck_assert_int_eq(skl_did_key_parse(pk, buf, strlen(buf), 0, &reason), SKL_ERR_KEY);
    ck_assert_str_eq(reason, "fragment does not match the key");
    free(omk);

    /* A NUL inside the length-counted form. */
    char withnul[] = "did:key:" VEC_PUB_MK "#" VEC_PUB_MK;
    withnul[20] = '\0';
    ck_assert_int_eq(skl_did_key_parse(pk, withnul, sizeof withnul - 1, 0, NULL), SKL_ERR_KEY);

    /* The fragment is required where a verification method is expected. */
    reason = NULL;
    ck_assert_int_eq(skl_did_key_parse(pk, "did:key:" VEC_PUB_MK, SKL_DID_KEY_LEN, 1, &reason),
                     SKL_ERR_KEY);
    ck_assert_ptr_nonnull(reason);
    ck_assert_int_eq(
        skl_did_key_parse(pk, "did:key:" VEC_PUB_MK "#" VEC_PUB_MK, SKL_DID_KEY_VM_LEN, 1, NULL),
        SKL_OK);

    ck_assert_int_eq(skl_did_key_decode(pk, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_did_key_encode(NULL, pk), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_multikey_decode(NULL, VEC_PUB_MK), SKL_ERR_INVAL);
}
END_TEST

/* The word-at-a-time base58 coder agrees with the bytewise one in codec.c. */
START_TEST(test_multibase_matches_codec)
{
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t p[128], back[128];
        size_t n = (size_t)iter % 129, zeros = (size_t)(iter / 129) % 4, outlen = 0;
        randombytes_buf(p, sizeof p);
        for (size_t i = 0; i < zeros && i < n; i++)
            p[i] = 0;
        if (iter % 7 == 0 && n > 2)
            p[n - 1] = 0;
        skl_buf fast = SKL_BUF_INIT, ref = SKL_BUF_INIT;
        ck_assert_int_eq(skl_multibase_append(&fast, p, n), 0);
        skl_buf_putc(&ref, 'z');
        ck_assert_int_eq(tu_base58_encode(&ref, p, n), 0);
        ck_assert_str_eq(fast.data, ref.data);
        ck_assert_int_eq(skl_multibase_decode(back, sizeof back, &outlen, fast.data, fast.len), 0);
        ck_assert_uint_eq(outlen, n);
        if (n)
            ck_assert_mem_eq(back, p, n);
        /* Too small a buffer is refused, as by skl_base58_decode. */
        if (n > 0)
            ck_assert_int_eq(skl_multibase_decode(back, n - 1, &outlen, fast.data, fast.len), -1);
        skl_buf_free(&fast);
        skl_buf_free(&ref);
    }
    /* Random texts decode the same way through both, or are refused by both. */
    static const char alpha[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl";
    for (int iter = 0; iter < 3000; iter++) {
        char text[120];
        uint8_t a[64], b[64];
        size_t n = (size_t)randombytes_uniform(100), al = 0, bl = 0;
        text[0] = 'z';
        for (size_t i = 0; i < n; i++)
            text[1 + i] = alpha[randombytes_uniform(iter % 2 ? 58 : sizeof alpha - 1)];
        int ra = skl_multibase_decode(a, sizeof a, &al, text, n + 1);
        int rb = tu_base58_decode(b, sizeof b, &bl, text + 1, n);
        ck_assert_int_eq(ra, rb);
        if (ra == 0) {
            ck_assert_uint_eq(al, bl);
            if (al)
                ck_assert_mem_eq(a, b, al);
        }
    }
    uint8_t o[4];
    size_t ol;
    ck_assert_int_eq(skl_multibase_decode(o, sizeof o, &ol, "", 0), -1);
    ck_assert_int_eq(skl_multibase_decode(o, sizeof o, &ol, "f00", 3), -1);
    ck_assert_int_eq(skl_multibase_decode(o, sizeof o, &ol, "z", 1), 0);
    ck_assert_uint_eq(ol, 0);
    ck_assert_int_eq(skl_multibase_decode(o, sizeof o, &ol, "z11", 3), 0);
    ck_assert_uint_eq(ol, 2);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* The W3C vectors                                                                         */

START_TEST(test_vector_pieces)
{
    uint8_t sk[64], pk[32], hash[64], sig[64];
    char hex[129], why[256] = "";
    char *canon_doc = vec_text("vc-di-eddsa/canonDocJCS.txt");
    char *doc_hash = vec_text("vc-di-eddsa/docHashJCS.txt");
    char *proof_canon = vec_text("vc-di-eddsa/proofCanonJCS.txt");
    char *proof_hash = vec_text("vc-di-eddsa/proofHashJCS.txt");
    char *combined = vec_text("vc-di-eddsa/combinedHashJCS.txt");
    char *sig_hex = vec_text("vc-di-eddsa/sigHexJCS.txt");
    char *sig_b58 = vec_text("vc-di-eddsa/sigBTC58JCS.txt");
    vector_key(sk, pk);

    /* The unsigned credential and the proof config canonicalize as the vectors say. */
    size_t n;
    char *unsigned_json = tu_read_vector("vc-di-eddsa/unsigned.json", &n);
    char *c = canon_text(unsigned_json, n);
    ck_assert_str_eq(c, canon_doc);
    free(c);
    char *cfg_json = tu_read_vector("vc-di-eddsa/proofConfigJCS.json", &n);
    c = canon_text(cfg_json, n);
    ck_assert_str_eq(c, proof_canon);
    free(c);

    /* Verification builds exactly those two texts from the signed credential. */
    char *signed_json = signed_vector();
    skl_json_doc *d = NULL;
    ck_assert_int_eq(
        skl_json_parse(&d, signed_json, strlen(signed_json), SKL_VC_MAX_TEXT, why, sizeof why),
        SKL_OK);
    skl_buf doc = SKL_BUF_INIT, cfg = SKL_BUF_INIT;
    ck_assert_msg(skl_vc_proof_inputs(&doc, &cfg, skl_json_root(d), why, sizeof why) == SKL_OK,
                  "%s", why);
    ck_assert_str_eq(doc.data, canon_doc);
    ck_assert_str_eq(cfg.data, proof_canon);

    skl_sha256(hash + 32, doc.data, doc.len);
    hex_of(hex, hash + 32, 32);
    ck_assert_str_eq(hex, doc_hash);
    skl_sha256(hash, cfg.data, cfg.len);
    hex_of(hex, hash, 32);
    ck_assert_str_eq(hex, proof_hash);
    hex_of(hex, hash, 64);
    ck_assert_str_eq(hex, combined);

    ck_assert_int_eq(crypto_sign_detached(sig, NULL, hash, 64, sk), 0);
    hex_of(hex, sig, 64);
    ck_assert_str_eq(hex, sig_hex);
    skl_buf pv = SKL_BUF_INIT;
    ck_assert_int_eq(skl_multibase_append(&pv, sig, 64), 0);
    ck_assert_str_eq(pv.data, sig_b58);
    ck_assert_ptr_nonnull(strstr(signed_json, sig_b58));

    skl_buf_free(&pv);
    skl_buf_free(&doc);
    skl_buf_free(&cfg);
    skl_json_free(d);
    free(signed_json);
    free(unsigned_json);
    free(cfg_json);
    free(canon_doc);
    free(doc_hash);
    free(proof_canon);
    free(proof_hash);
    free(combined);
    free(sig_hex);
    free(sig_b58);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

START_TEST(test_sign_vector)
{
    uint8_t sk[64], pk[32];
    char why[256] = "";
    vector_key(sk, pk);
    char *unsigned_json = tu_read_vector("vc-di-eddsa/unsigned.json", NULL);
    char *signed_json = signed_vector();
    char *sig_b58 = vec_text("vc-di-eddsa/sigBTC58JCS.txt");

    char *out = sign_ok(unsigned_json, sk, VEC_CREATED);
    char *want = canon_text(signed_json, strlen(signed_json));
    ck_assert_str_eq(out, want);

    skl_json_doc *d = NULL;
    ck_assert_int_eq(skl_json_parse(&d, out, strlen(out), SKL_VC_MAX_TEXT, why, sizeof why),
                     SKL_OK);
    const skl_json_value *proof = skl_json_get(skl_json_root(d), "proof");
    ck_assert_str_eq(skl_json_string(skl_json_get(proof, "proofValue")), sig_b58);

    /* The fast path appends to what out already holds. */
    skl_buf res = SKL_BUF_INIT, scratch = SKL_BUF_INIT;
    skl_json_doc *u = NULL;
    ck_assert_int_eq(
        skl_json_parse(&u, unsigned_json, strlen(unsigned_json), SKL_VC_MAX_TEXT, why, sizeof why),
        SKL_OK);
    skl_buf_puts(&res, "prefix");
    ck_assert_int_eq(
        skl_vc_sign_value(&res, skl_json_root(u), sk, NULL, VEC_CREATED, &scratch, why, sizeof why),
        SKL_OK);
    ck_assert_int_eq(strncmp(res.data, "prefix", 6), 0);
    ck_assert_str_eq(res.data + 6, want);
    ck_assert_uint_eq(res.len, 6 + strlen(want));

    skl_buf_free(&res);
    skl_buf_free(&scratch);
    skl_json_free(u);
    skl_json_free(d);
    free(out);
    free(want);
    free(unsigned_json);
    free(signed_json);
    free(sig_b58);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

START_TEST(test_verify_vector)
{
    uint8_t sk[64], pk[32];
    char why[256] = "";
    vector_key(sk, pk);
    char *signed_json = signed_vector();
    skl_vc_info info;
    memset(&info, 0xaa, sizeof info);
    ck_assert_msg(skl_vc_verify(signed_json, strlen(signed_json), &info, why, sizeof why) == SKL_OK,
                  "%s", why);
    ck_assert_mem_eq(info.public_key, pk, 32);
    ck_assert_ptr_null(info.id);
    ck_assert_ptr_null(info.issuer);
    ck_assert_ptr_null(info.verification_method);
    ck_assert_ptr_null(info.created);
    ck_assert_int_eq(skl_vc_verify(signed_json, strlen(signed_json), NULL, NULL, 0), SKL_OK);

    /* The fast path fills every field, pointing into the document. */
    skl_json_doc *d = NULL;
    skl_buf scratch = SKL_BUF_INIT;
    ck_assert_int_eq(
        skl_json_parse(&d, signed_json, strlen(signed_json), SKL_VC_MAX_TEXT, why, sizeof why),
        SKL_OK);
    for (int i = 0; i < 3; i++) { /* scratch is reusable */
        ck_assert_int_eq(
            skl_vc_verify_value(skl_json_root(d), &info, &scratch, NULL, why, sizeof why), SKL_OK);
    }
    ck_assert_str_eq(info.id, "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33");
    ck_assert_str_eq(info.issuer, "https://vc.example/issuers/5678");
    ck_assert_str_eq(info.verification_method, "did:key:" VEC_PUB_MK "#" VEC_PUB_MK);
    ck_assert_str_eq(info.created, VEC_CREATED);
    ck_assert_mem_eq(info.public_key, pk, 32);

    /* The canonical form verifies too, and so does anything this signer makes. */
    char *c = canon_text(signed_json, strlen(signed_json));
    expect_verify(c, SKL_OK, NULL);
    free(c);

    skl_buf_free(&scratch);
    skl_json_free(d);
    free(signed_json);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

/* ------------------------------------------------------------------------------------- */
/* Forgeries and malformed proofs                                                          */

START_TEST(test_tampered)
{
    char *s = signed_vector(), *t;

    t = replace(s, "The School of Examples", "The School of Exemples");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    t = replace(s, "\"validFrom\": \"2023-01-01T00:00:00Z\"",
                "\"validFrom\": \"2023-01-01T00:00:01Z\"");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    /* An added member is a change too. */
    t = replace(s, "\"name\":", "\"extra\": 1, \"name\":");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    t = replace(s, "\"created\": \"2023-02-24T23:36:38Z\"",
                "\"created\": \"2023-02-24T23:36:39Z\"");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    /* Same instant written another way is still a different text. */
    t = replace(s, "\"created\": \"2023-02-24T23:36:38Z\"",
                "\"created\": \"2023-02-24T23:36:38.0Z\"");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    /* proofValue with one character changed (same length, still base58). */
    t = replace(s, "z2HnFSSPPBzR36zdD", "z2HnFSSPPBzR36zdE");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    t = replace(s, "uVor51aX\"", "uVor51aY\"");
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);
    free(s);
}
END_TEST

START_TEST(test_rekeyed)
{
    char *s = signed_vector(), vm[SKL_DID_KEY_VM_LEN + 1], *t;
    uint8_t pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    char *mk = NULL;
    ck_assert_int_eq(skl_multikey_encode(&mk, pk), SKL_OK);
    snprintf(vm, sizeof vm, "did:key:%s#%s", mk, mk);
    t = replace(s, "did:key:" VEC_PUB_MK "#" VEC_PUB_MK, vm);
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);

    /* Re-signing with the new key verifies, and the info names the new key. */
    char *unsigned_json = tu_read_vector("vc-di-eddsa/unsigned.json", NULL);
    char *out = sign_ok(unsigned_json, sk, VEC_CREATED);
    ck_assert_ptr_nonnull(strstr(out, vm));
    skl_vc_info info;
    char why[256] = "";
    ck_assert_int_eq(skl_vc_verify(out, strlen(out), &info, why, sizeof why), SKL_OK);
    ck_assert_mem_eq(info.public_key, pk, 32);
    /* ... and swapping the vector key back in does not. */
    t = replace(out, vm, "did:key:" VEC_PUB_MK "#" VEC_PUB_MK);
    expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
    free(t);

    free(out);
    free(unsigned_json);
    free(mk);
    free(s);
}
END_TEST

START_TEST(test_proof_fields)
{
    char *s = signed_vector(), *t;
    struct {
        const char *from, *to;
        skl_err code;
        const char *why;
    } cases[] = {
        {"\"cryptosuite\": \"eddsa-jcs-2022\"", "\"cryptosuite\": \"eddsa-rdfc-2022\"",
         SKL_ERR_SCHEMA, "proof.cryptosuite is \"eddsa-rdfc-2022\", expected \"eddsa-jcs-2022\""},
        {"\"cryptosuite\": \"eddsa-jcs-2022\"", "\"cryptosuite\": 7", SKL_ERR_SCHEMA,
         "proof.cryptosuite is a number"},
        {"\"cryptosuite\": \"eddsa-jcs-2022\",", "", SKL_ERR_SCHEMA,
         "proof has no \"cryptosuite\""},
        {"\"type\": \"DataIntegrityProof\"", "\"type\": \"Ed25519Signature2020\"", SKL_ERR_SCHEMA,
         "proof.type is \"Ed25519Signature2020\", expected \"DataIntegrityProof\""},
        {"\"proofPurpose\": \"assertionMethod\"", "\"proofPurpose\": \"authentication\"",
         SKL_ERR_SCHEMA, "proof.proofPurpose is \"authentication\", expected \"assertionMethod\""},
        {"\"proofValue\": \"z2HnFSSPPBzR36zdDgK", "\"proofValue\": \"z2HnFSSPPBzR36zd",
         SKL_ERR_SCHEMA, "decodes to 62 bytes, expected 64"},
        {"\"proofValue\": \"z2HnFSSPPBzR36zdD", "\"proofValue\": \"z2HnFSSPPBzR36zdDD",
         SKL_ERR_SCHEMA, "expected 64"},
        {"\"proofValue\": \"z", "\"proofValue\": \"u", SKL_ERR_SCHEMA, "does not start with 'z'"},
        {"\"proofValue\": \"z2HnFSSPPBzR36zdD", "\"proofValue\": \"z2HnFSSPPBzR36zd0",
         SKL_ERR_SCHEMA, "not base58btc"},
        {"\"proofValue\": \"z2HnFSSPPBzR36zdD", "\"proofValue\": \"z2HnFSSPPBzR36zd\\u0000",
         SKL_ERR_SCHEMA, "not base58btc"},
        {"\"created\": \"2023-02-24T23:36:38Z\"", "\"created\": \"2023-02-30T23:36:38Z\"",
         SKL_ERR_SCHEMA, "proof.created \"2023-02-30T23:36:38Z\" is not an XML Schema"},
        {"\"created\": \"2023-02-24T23:36:38Z\",", "", SKL_ERR_SCHEMA, "proof has no \"created\""},
        {"#" VEC_PUB_MK, "", SKL_ERR_SCHEMA, "is not an Ed25519 did:key URL"},
        {"\"did:key:" VEC_PUB_MK, "\"https://vc.example/issuers/5678#key-1", SKL_ERR_SCHEMA,
         "does not start with \"did:key:\""},
        {"#" VEC_PUB_MK, "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ3", SKL_ERR_SCHEMA,
         "fragment does not match the key"},
        {"\"proofPurpose\":", "\"expires\": \"2030-01-01T00:00:00Z\", \"proofPurpose\":",
         SKL_ERR_SCHEMA, "proof has member \"expires\""},
        {"\"proofPurpose\":", "\"proofValue2\": \"x\", \"proofPurpose\":", SKL_ERR_SCHEMA,
         "proof has member \"proofValue2\""},
        {"\"proof\": {", "\"proof\": [{", SKL_ERR_PARSE, NULL}, /* unbalanced: not JSON */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t = replace(s, cases[i].from, cases[i].to);
        expect_verify(t, cases[i].code, cases[i].why);
        free(t);
    }
    free(s);
}
END_TEST

START_TEST(test_created_forms)
{
    /* Valid dateTimeStamps change the signed text (SKL_ERR_VERIFY); invalid ones are
     * refused before any crypto (SKL_ERR_SCHEMA). */
    static const char *const good[] = {
        "2023-02-24T23:36:38.5Z", "2023-02-24T23:36:38+08:00",      "2023-02-24T23:36:38-14:00",
        "2024-02-29T00:00:00Z",   "2000-02-29T23:59:59.123456789Z", "0001-01-01T00:00:00Z",
    };
    static const char *const bad[] = {
        "2023-02-24T23:36:38",
        "2023-02-24 23:36:38Z",
        "2023-02-24t23:36:38Z",
        "2023-02-24T23:36:38z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2023-13-01T00:00:00Z",
        "2023-00-01T00:00:00Z",
        "2023-01-00T00:00:00Z",
        "2023-04-31T00:00:00Z",
        "2023-01-01T24:00:00Z",
        "2023-01-01T23:60:00Z",
        "2023-01-01T23:59:60Z",
        "2023-01-01T23:59:59.Z",
        "2023-01-01T23:59:59+14:01",
        "2023-01-01T23:59:59+15:00",
        "2023-01-01T23:59:59+0800",
        "23-01-01T23:59:59Z",
        "+2023-01-01T00:00:00Z",
        "2023-1-01T00:00:00Z",
        "2023-01-01T00:00:00ZZ",
        "",
        "2023-01-01",
        "2023-01-01T00:00:00+08:60",
    };
    char *s = signed_vector(), to[128];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(to, sizeof to, "\"created\": \"%s\"", good[i]);
        char *t = replace(s, "\"created\": \"2023-02-24T23:36:38Z\"", to);
        expect_verify(t, SKL_ERR_VERIFY, "signature does not verify");
        free(t);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(to, sizeof to, "\"created\": \"%s\"", bad[i]);
        char *t = replace(s, "\"created\": \"2023-02-24T23:36:38Z\"", to);
        expect_verify(t, SKL_ERR_SCHEMA, "proof.created");
        free(t);
    }
    free(s);
}
END_TEST

START_TEST(test_proof_shape)
{
    char *u = tu_read_vector("vc-di-eddsa/unsigned.json", NULL);
    expect_verify(u, SKL_ERR_SCHEMA, "credential has no proof");
    free(u);

    char *s = signed_vector(), *t, *t2;
    /* A proof set: the same proof, in an array. */
    t = replace(s, "\"proof\": {", "\"proof\": [{");
    t2 = replace(t, "}\n}", "}]\n}");
    expect_verify(t2, SKL_ERR_SCHEMA, "proof is an array");
    free(t);
    free(t2);
    t = replace(s, "\"proof\": {", "\"proof\": \"x\", \"proof0\": {");
    expect_verify(t, SKL_ERR_SCHEMA, "proof is a string");
    free(t);
    /* Duplicate "proof" members are refused by the parser. */
    t = replace(s, "\"proof\": {", "\"proof\": {}, \"proof\": {");
    expect_verify(t, SKL_ERR_PARSE, NULL);
    free(t);
    free(s);
}
END_TEST

START_TEST(test_context_rule)
{
    char *s = signed_vector(), *t;
    /* proof.@context differs from the credential's. */
    t = replace(s, "\"https://www.w3.org/ns/credentials/examples/v2\"\n    ],",
                "\"https://www.w3.org/ns/credentials/examples/v1\"\n    ],");
    expect_verify(t, SKL_ERR_VERIFY, "@context differs from proof.@context");
    free(t);
    /* proof.@context longer than the credential's. */
    t = replace(s, "\"https://www.w3.org/ns/credentials/examples/v2\"\n    ],",
                "\"https://www.w3.org/ns/credentials/examples/v2\", \"https://x.example/\"\n"
                "    ],");
    expect_verify(t, SKL_ERR_VERIFY, "@context differs from proof.@context");
    free(t);
    /* Same values, another order. */
    t = replace(s,
                "\"https://www.w3.org/ns/credentials/v2\",\n      "
                "\"https://www.w3.org/ns/credentials/examples/v2\"",
                "\"https://www.w3.org/ns/credentials/examples/v2\",\n      "
                "\"https://www.w3.org/ns/credentials/v2\"");
    expect_verify(t, SKL_ERR_VERIFY, "@context differs from proof.@context");
    free(t);
    t = replace(s,
                "\"@context\": [\n      \"https://www.w3.org/ns/credentials/v2\",\n      "
                "\"https://www.w3.org/ns/credentials/examples/v2\"\n    ]",
                "\"@context\": \"" V2 "\"");
    expect_verify(t, SKL_ERR_SCHEMA, "proof.@context is a string");
    free(t);
    t = replace(s,
                "\"@context\": [\n      \"https://www.w3.org/ns/credentials/v2\",\n      "
                "\"https://www.w3.org/ns/credentials/examples/v2\"\n    ]",
                "\"@context\": []");
    expect_verify(t, SKL_ERR_SCHEMA, "proof.@context is empty");
    free(t);

    /* vc-di-eddsa would accept a credential whose @context grew after signing (the
     * proof's @context is what is hashed); skl refuses it: the added values are unsigned. */
    t = replace(
        s, "\"https://www.w3.org/ns/credentials/examples/v2\"\n  ],",
        "\"https://www.w3.org/ns/credentials/examples/v2\",\n \"https://x.example/\"\n  ],");
    expect_verify(t, SKL_ERR_VERIFY, "@context differs from proof.@context");
    free(t);
    /* A proof without @context hashes the credential's: the vector still verifies. */
    t = replace(s,
                ",\n    \"@context\": [\n      \"https://www.w3.org/ns/credentials/v2\",\n      "
                "\"https://www.w3.org/ns/credentials/examples/v2\"\n    ]",
                "");
    ck_assert_ptr_null(strstr(strstr(t, "\"proof\""), "@context"));
    expect_verify(t, SKL_OK, NULL);
    free(t);
    free(s);
}
END_TEST

START_TEST(test_vc_shape)
{
    char *s = signed_vector(), *t;
    struct {
        const char *from, *to;
        const char *why;
    } cases[] = {
        {"\"https://www.w3.org/ns/credentials/v2\",\n    "
         "\"https://www.w3.org/ns/credentials/examples/v2\"\n  ]",
         "\"https://www.w3.org/2018/credentials/v1\",\n    "
         "\"https://www.w3.org/ns/credentials/examples/v2\"\n  ]",
         "\"@context\" does not start with \"https://www.w3.org/ns/credentials/v2\""},
        {"\"@context\": [\n    \"https://www.w3.org/ns/credentials/v2\",\n    "
         "\"https://www.w3.org/ns/credentials/examples/v2\"\n  ],",
         "", "credential has no \"@context\""},
        {"\"@context\": [\n    \"https://www.w3.org/ns/credentials/v2\",\n    "
         "\"https://www.w3.org/ns/credentials/examples/v2\"\n  ],",
         "\"@context\": \"https://www.w3.org/ns/credentials/v2\",", "\"@context\" is a string"},
        {"\"VerifiableCredential\",", "", "\"type\" does not include \"VerifiableCredential\""},
        {"\"type\": [", "\"type\": [1, ", "\"type\"[0] is a number"},
        {"\"issuer\": \"https://vc.example/issuers/5678\",", "", "credential has no \"issuer\""},
        {"\"issuer\": \"https://vc.example/issuers/5678\"", "\"issuer\": \"not a url\"",
         "\"issuer\" is neither a URL"},
        {"\"issuer\": \"https://vc.example/issuers/5678\"", "\"issuer\": {\"name\": \"x\"}",
         "\"issuer\".\"id\" is missing"},
        {"\"credentialSubject\": {", "\"credentialSubject\": 5, \"x\": {",
         "\"credentialSubject\" is not an object"},
        {"\"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\"",
         "\"id\": \"urn:uuid:58172aac\\u0000-d8ba-11ed-83dd-0b3aef56cc33\"", "\"id\" is not a URL"},
        {"\"id\": \"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\"", "\"id\": 12",
         "\"id\" is not a URL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t = replace(s, cases[i].from, cases[i].to);
        expect_verify(t, SKL_ERR_SCHEMA, cases[i].why);
        free(t);
    }
    expect_verify("[1,2]", SKL_ERR_SCHEMA, "credential is not a JSON object");
    expect_verify("not json", SKL_ERR_PARSE, NULL);
    expect_verify("{\"a\":1", SKL_ERR_PARSE, NULL);
    expect_verify("", SKL_ERR_PARSE, NULL);
    char why[64];
    ck_assert_int_eq(skl_vc_verify(NULL, 0, NULL, why, sizeof why), SKL_ERR_INVAL);
    free(s);
}
END_TEST

/* A credential with a description of dlen bytes. */
static char *
big_credential(size_t dlen)
{
    char *desc = malloc(dlen + 1), *out;
    ck_assert_ptr_nonnull(desc);
    memset(desc, 'a', dlen);
    desc[dlen] = '\0';
    size_t n = dlen + 512;
    out = malloc(n);
    ck_assert_ptr_nonnull(out);
    snprintf(out, n,
             "{\"@context\":[\"" V2 "\"],\"type\":[\"VerifiableCredential\"],"
             "\"issuer\":\"did:example:1\",\"credentialSubject\":{\"id\":\"did:example:2\"},"
             "\"description\":\"%s\"}",
             desc);
    free(desc);
    return out;
}

START_TEST(test_limits)
{
    uint8_t pk[32], sk[64];
    char why[256] = "", *out = NULL;
    size_t outlen;
    crypto_sign_keypair(pk, sk);

    /* A credential of exactly SKL_VC_MAX_LEN canonical bytes. The proofValue's length
     * varies a little with the signature, so home in on it, changing created at each try
     * lest deterministic signatures make the search cycle. */
    char *fits = NULL, *signed_fits = NULL, created[32];
    size_t dlen = SKL_VC_MAX_LEN - 600;
    for (int tries = 0; tries < 50; tries++) {
        free(fits);
        free(signed_fits);
        fits = big_credential(dlen);
        signed_fits = NULL;
        snprintf(created, sizeof created, "2023-02-24T23:36:%02dZ", tries);
        skl_err rc =
            sign_sk(&signed_fits, &outlen, fits, strlen(fits), sk, created, why, sizeof why);
        if (rc == SKL_ERR_LIMIT) {
            dlen--;
            continue;
        }
        ck_assert_int_eq(rc, SKL_OK);
        if (outlen == SKL_VC_MAX_LEN)
            break;
        dlen = dlen + SKL_VC_MAX_LEN - outlen;
    }
    ck_assert_ptr_nonnull(signed_fits);
    ck_assert_uint_eq(strlen(signed_fits), SKL_VC_MAX_LEN);
    expect_verify(signed_fits, SKL_OK, NULL);

    /* 3 more bytes exceed the limit whatever the proofValue's length (86 to 88). */
    char *over = big_credential(dlen + 3);
    ck_assert_int_eq(sign_sk(&out, &outlen, over, strlen(over), sk, VEC_CREATED, why, sizeof why),
                     SKL_ERR_LIMIT);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strstr(why, "over the limit"));
    /* The same credential, signed by hand past the limit, is refused by verify. */
    char *signed_over = replace(signed_fits, "\"description\":\"a", "\"description\":\"aa");
    expect_verify(signed_over, SKL_ERR_LIMIT, "over the limit of 32768");

    /* Text over SKL_VC_MAX_TEXT is refused before parsing. */
    size_t huge = SKL_VC_MAX_TEXT + 1;
    char *text = malloc(huge + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, ' ', huge);
    text[0] = '{';
    text[huge - 1] = '}';
    text[huge] = '\0';
    expect_verify(text, SKL_ERR_LIMIT, NULL);
    ck_assert_int_eq(sign_sk(&out, &outlen, text, huge, sk, NULL, why, sizeof why), SKL_ERR_LIMIT);
    /* Indented text a little over SKL_VC_MAX_LEN is fine when its canonical form is not. */
    char *pretty = malloc(SKL_VC_MAX_LEN + 2000);
    ck_assert_ptr_nonnull(pretty);
    size_t pl = strlen(signed_fits) - 1;
    memcpy(pretty, signed_fits, pl);
    memset(pretty + pl, ' ', 1000);
    strcpy(pretty + pl + 1000, "}");
    expect_verify(pretty, SKL_OK, NULL);

    free(pretty);
    free(text);
    free(signed_over);
    free(over);
    free(signed_fits);
    free(fits);
}
END_TEST

START_TEST(test_sign_refusals)
{
    uint8_t sk[64], pk[32];
    char why[256] = "", *out = (char *)1;
    size_t outlen;
    vector_key(sk, pk);
    char *s = signed_vector();
    char *u = tu_read_vector("vc-di-eddsa/unsigned.json", NULL);

    ck_assert_int_eq(sign_sk(&out, &outlen, s, strlen(s), sk, VEC_CREATED, why, sizeof why),
                     SKL_ERR_SCHEMA);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(why, "credential already has a proof");

    ck_assert_int_eq(sign_sk(&out, &outlen, "nope", 4, sk, NULL, why, sizeof why), SKL_ERR_PARSE);
    char *t = replace(u, "\"VerifiableCredential\",", "");
    ck_assert_int_eq(sign_sk(&out, &outlen, t, strlen(t), sk, NULL, why, sizeof why),
                     SKL_ERR_SCHEMA);
    ck_assert_ptr_nonnull(strstr(why, "VerifiableCredential"));
    free(t);
    t = replace(u, V2, "https://www.w3.org/2018/credentials/v1");
    ck_assert_int_eq(sign_sk(&out, &outlen, t, strlen(t), sk, NULL, why, sizeof why),
                     SKL_ERR_SCHEMA);
    free(t);

    static const char *const bad_created[] = {
        "2023-02-24T23:36:38",
        "2023-02-24T23:36:38.5Z",
        "2023-02-24T23:36:38+08:00",
        "2023-02-30T23:36:38Z",
        "",
        "2023-02-24T23:36:38Z ",
    };
    for (size_t i = 0; i < sizeof bad_created / sizeof bad_created[0]; i++) {
        ck_assert_int_eq(sign_sk(&out, &outlen, u, strlen(u), sk, bad_created[i], why, sizeof why),
                         SKL_ERR_INVAL);
        ck_assert_ptr_null(out);
    }
    ck_assert_int_eq(sign_sk(NULL, &outlen, u, strlen(u), sk, NULL, why, sizeof why),
                     SKL_ERR_INVAL);
    ck_assert_int_eq(sign_sk(&out, &outlen, u, strlen(u), NULL, NULL, why, sizeof why),
                     SKL_ERR_INVAL);
    free(s);
    free(u);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

START_TEST(test_sign_now)
{
    uint8_t sk[64], pk[32];
    char why[256] = "";
    crypto_sign_keypair(pk, sk);
    char *u = tu_read_vector("vc-di-eddsa/unsigned.json", NULL);
    time_t before = time(NULL);
    char *out = sign_ok(u, sk, NULL);
    time_t after = time(NULL);

    skl_json_doc *d = NULL;
    skl_buf scratch = SKL_BUF_INIT;
    skl_vc_info info;
    ck_assert_int_eq(skl_json_parse(&d, out, strlen(out), SKL_VC_MAX_TEXT, why, sizeof why),
                     SKL_OK);
    ck_assert_int_eq(skl_vc_verify_value(skl_json_root(d), &info, &scratch, NULL, why, sizeof why),
                     SKL_OK);
    char lo[32], hi[32];
    struct tm tm;
    strftime(lo, sizeof lo, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&before, &tm));
    strftime(hi, sizeof hi, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&after, &tm));
    ck_assert_msg(strcmp(info.created, lo) >= 0 && strcmp(info.created, hi) <= 0,
                  "created %s not in [%s, %s]", info.created, lo, hi);
    ck_assert_mem_eq(info.public_key, pk, 32);
    skl_buf_free(&scratch);
    skl_json_free(d);
    free(out);
    free(u);
}
END_TEST

/* Whatever the members' keys, the signed output is canonical JSON with "proof" in place. */
START_TEST(test_sign_canonical_splice)
{
    static const char *const docs[] = {
        /* "proof" sorts after every key */
        "{\"@context\":[\"" V2 "\"],\"type\":\"VerifiableCredential\",\"issuer\":\"did:x:1\","
        "\"credentialSubject\":{},\"id\":\"urn:a\",\"name\":\"n\",\"pro\":1,\"proo\":2}",
        /* keys on both sides, some close to "proof" */
        "{\"proofs\":1,\"@context\":[\"" V2 "\",{\"@vocab\":\"https://x.example/#\"}],"
        "\"type\":[\"VerifiableCredential\",\"X\"],\"issuer\":{\"id\":\"did:x:1\",\"name\":\"I\"},"
        "\"credentialSubject\":[{\"a\":[1,2.5,-0,1e21,\"\\u20ac\\n\"]},{}],\"proof_\":null,"
        "\"\\u00e9t\\u00e9\":true,\"\\ud83d\\ude00\":false,\"\\uff5e\":0}",
        /* a key sorting before "@context" */
        "{\"!\":1,\"@context\":[\"" V2 "\"],\"type\":\"VerifiableCredential\","
        "\"issuer\":\"did:x:1\",\"credentialSubject\":{\"z\":{\"y\":{\"x\":[]}}}}",
    };
    uint8_t pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        char *out = sign_ok(docs[i], sk, VEC_CREATED);
        char *c = canon_text(out, strlen(out));
        ck_assert_str_eq(out, c);
        expect_verify(out, SKL_OK, NULL);
        /* Re-signing the signed credential's unsigned part gives the same bytes. */
        skl_json_doc *d = NULL;
        char why[256];
        ck_assert_int_eq(skl_json_parse(&d, out, strlen(out), SKL_VC_MAX_TEXT, why, sizeof why),
                         SKL_OK);
        skl_buf doc = SKL_BUF_INIT, cfg = SKL_BUF_INIT;
        ck_assert_int_eq(skl_vc_proof_inputs(&doc, &cfg, skl_json_root(d), why, sizeof why),
                         SKL_OK);
        char *again = sign_ok(doc.data, sk, VEC_CREATED);
        ck_assert_str_eq(again, out);
        char *cu = canon_text(docs[i], strlen(docs[i]));
        ck_assert_str_eq(doc.data, cu);
        free(cu);
        free(again);
        skl_buf_free(&doc);
        skl_buf_free(&cfg);
        skl_json_free(d);
        free(c);
        free(out);
    }
}
END_TEST

Suite *vc_suite(void);

Suite *
vc_suite(void)
{
    Suite *s = suite_create("vc");
    TCase *tc = tcase_create("did_key");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_vector_key);
    tcase_add_test(tc, test_did_key_roundtrip);
    tcase_add_test(tc, test_did_key_negative);
    tcase_add_test(tc, test_multibase_matches_codec);
    suite_add_tcase(s, tc);

    tc = tcase_create("vectors");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_vector_pieces);
    tcase_add_test(tc, test_sign_vector);
    tcase_add_test(tc, test_verify_vector);
    suite_add_tcase(s, tc);

    tc = tcase_create("forgeries");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_tampered);
    tcase_add_test(tc, test_rekeyed);
    tcase_add_test(tc, test_proof_fields);
    tcase_add_test(tc, test_created_forms);
    tcase_add_test(tc, test_proof_shape);
    tcase_add_test(tc, test_context_rule);
    tcase_add_test(tc, test_vc_shape);
    tcase_add_test(tc, test_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("signing");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_sign_refusals);
    tcase_add_test(tc, test_sign_now);
    tcase_add_test(tc, test_sign_canonical_splice);
    suite_add_tcase(s, tc);
    return s;
}
