/* check_note.c - signed notes, vkeys, checkpoints and cosignatures against the C2SP vectors. */
#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/note.h"
#include "testutil.h"

#define EM "\xe2\x80\x94" /* U+2014 EM DASH */

/* ---- vectors, copied from ../shared/vectors/signed-note.json (test_vectors_match checks
 * each string against the file) ---- */

static const char PETER_VKEY[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char PETER_SKEY[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char PETER_TEXT[] = "If you think cryptography is the answer to your problem,\n"
                                 "then you don't know what your problem is.\n";
static const char PETER_NOTE[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n" EM " PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZS"
    "NXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

static const char FOO_VKEY[] =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
static const char FOO_NOTE[] =
    "This is an example message.\n"
    "\n" EM " example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOB"
    "H3mFXmRKuwHjG1Yu72IneyaQM=\n";

static const char WITNESS_VKEY[] =
    "witness.example/w1+e75f6532+BAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
static const char CP_TEXT[] = "example.com/credlog\n"
                              "8\n"
                              "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
static const char CP_LOG_LINE[] =
    EM " PeterNeumann x08gowtsqw4I3hcGLVUkITgPTTOuxQjDvKKfCOyWsqVwklROu165MmJxi6GHL0dvj1u/VZUN"
       "ROOrjZeHwIA200DZ1AE=\n";
static const char CP_WITNESS_LINE[] =
    EM " witness.example/w1 519lMgAAAABlU/EAojCD92/oh8xhAsbdHeh+giGl/Nx6N5rF4K7Iicc2QBY98sXBX"
       "J1widxLhFYm25Xs+1iBBnojL+U8b+G3li1fAQ==\n";
static const char CP_NOTE[] =
    "example.com/credlog\n"
    "8\n"
    "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
    "\n" EM " PeterNeumann x08gowtsqw4I3hcGLVUkITgPTTOuxQjDvKKfCOyWsqVwklROu165MmJxi6GHL0dvj1u/VZUN"
    "ROOrjZeHwIA200DZ1AE=\n" EM " witness.example/w1 519lMgAAAABlU/EAojCD92/oh8xhAsbdHeh+giGl/Nx6N5"
    "rF4K7Iicc2QBY98sXBXJ1widxLhFYm25Xs+1iBBnojL+U8b+G3li1fAQ==\n";
static const char CP_ROOT_HEX[] =
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
#define CP_TIME 1700000000u

/* ---- helpers ---- */

/* s as a JSON string literal ("..." with \n, \", \\ escaped), malloc'd. */
static char *
json_quote(const char *s)
{
    size_t n = strlen(s);
    char *q = malloc(2 * n + 3), *o = q;
    ck_assert_ptr_nonnull(q);
    *o++ = '"';
    for (; *s; s++) {
        if (*s == '\n' || *s == '"' || *s == '\\') {
            *o++ = '\\';
            *o++ = *s == '\n' ? 'n' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o++ = '"';
    *o = '\0';
    return q;
}

static void
assert_in_vectors(const char *file, const char *s)
{
    char *j = tu_read_vector(file, NULL);
    char *q = json_quote(s);
    ck_assert_msg(strstr(j, q) != NULL, "%s does not hold %s", file, q);
    free(q);
    free(j);
}

static skl_note *
parse_ok(const char *s)
{
    skl_note *n = NULL;
    ck_assert_int_eq(skl_note_parse(&n, s, strlen(s)), SKL_OK);
    ck_assert_ptr_nonnull(n);
    return n;
}

static skl_err
parse_rc(const char *s)
{
    skl_note *n = (skl_note *)1;
    skl_err rc = skl_note_parse(&n, s, strlen(s));
    if (rc != SKL_OK)
        ck_assert_ptr_null(n);
    skl_note_free(n);
    return rc;
}

static void
vkey_ok(skl_note_verifier *v, const char *vkey)
{
    ck_assert_int_eq(skl_note_vkey_parse(v, vkey), SKL_OK);
}

/* Verifies s (NUL-terminated) with vkey; returns the code and the timestamp. */
static skl_err
verify_str(const char *s, const char *vkey, uint64_t *t)
{
    skl_note_verifier v;
    vkey_ok(&v, vkey);
    skl_note *n = parse_ok(s);
    skl_err rc = skl_note_verify(n, &v, t);
    skl_note_free(n);
    return rc;
}

static char *
b64(const uint8_t *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    return s;
}

/* The PeterNeumann signing key, from its skey. */
static void
peter_sk(uint8_t sk[64])
{
    char name[SKL_NOTE_NAME_MAX + 1];
    uint8_t type;
    ck_assert_int_eq(skl_note_skey_parse(name, &type, sk, PETER_SKEY), SKL_OK);
    ck_assert_str_eq(name, "PeterNeumann");
    ck_assert_uint_eq(type, SKL_NOTE_KEY_ED25519);
}

static void
witness_sk(uint8_t sk[64])
{
    uint8_t seed[32], pk[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    ck_assert_int_eq(crypto_sign_seed_keypair(pk, sk, seed), 0);
}

/* CP_NOTE with the witness line's 8-byte timestamp replaced by t (signature unchanged). */
static char *
cp_note_with_time(uint64_t t)
{
    skl_note *n = parse_ok(CP_NOTE);
    const char *name;
    uint32_t id;
    const uint8_t *sig;
    size_t siglen;
    ck_assert_int_eq(skl_note_sig(n, 1, &name, &id, &sig, &siglen), SKL_OK);
    ck_assert_uint_eq(siglen, 72);
    uint8_t blob[76];
    blob[0] = (uint8_t)(id >> 24), blob[1] = (uint8_t)(id >> 16), blob[2] = (uint8_t)(id >> 8);
    blob[3] = (uint8_t)id;
    memcpy(blob + 4, sig, 72);
    for (int i = 0; i < 8; i++)
        blob[4 + i] = (uint8_t)(t >> (56 - 8 * i));
    char *e = b64(blob, sizeof blob);
    char *out = malloc(strlen(CP_NOTE) + 200);
    ck_assert_ptr_nonnull(out);
    sprintf(out, "%s\n%s%s witness.example/w1 %s\n", CP_TEXT, CP_LOG_LINE, EM, e);
    free(e);
    skl_note_free(n);
    return out;
}

/* ---- known answers ---- */

START_TEST(test_vectors_match)
{
    const char *strs[] = {PETER_VKEY, PETER_SKEY,   PETER_NOTE, FOO_VKEY,
                          FOO_NOTE,   WITNESS_VKEY, CP_NOTE};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        assert_in_vectors("signed-note.json", strs[i]);
    /* The pieces used to build variants are the pieces of the whole. */
    char whole[1024];
    snprintf(whole, sizeof whole, "%s\n%s%s", CP_TEXT, CP_LOG_LINE, CP_WITNESS_LINE);
    ck_assert_str_eq(whole, CP_NOTE);
    snprintf(whole, sizeof whole, "%s\n", PETER_TEXT);
    ck_assert_int_eq(strncmp(whole, PETER_NOTE, strlen(whole)), 0);
    /* The root is the 8-leaf root of the Merkle vectors. */
    char *m = tu_read_vector("rfc6962.json", NULL);
    ck_assert_ptr_nonnull(strstr(m, CP_ROOT_HEX));
    free(m);
}
END_TEST

START_TEST(test_vkeys)
{
    skl_note_verifier v;
    char *s = NULL;

    vkey_ok(&v, PETER_VKEY);
    ck_assert_str_eq(v.name, "PeterNeumann");
    ck_assert_uint_eq(v.key_id, 0xc74f20a3u);
    ck_assert_uint_eq(v.type, SKL_NOTE_KEY_ED25519);
    ck_assert_uint_eq(skl_note_key_id(v.name, v.type, v.pub), 0xc74f20a3u);
    /* The same name and key for cosignatures: another key ID, and back again. */
    skl_note_verifier c = skl_note_verifier_for(&v, SKL_NOTE_KEY_COSIGNATURE);
    ck_assert_str_eq(c.name, v.name);
    ck_assert_mem_eq(c.pub, v.pub, 32);
    ck_assert_uint_eq(c.type, SKL_NOTE_KEY_COSIGNATURE);
    ck_assert_uint_eq(c.key_id, skl_note_key_id(v.name, SKL_NOTE_KEY_COSIGNATURE, v.pub));
    ck_assert_uint_ne(c.key_id, v.key_id);
    ck_assert_uint_eq(skl_note_verifier_for(&c, SKL_NOTE_KEY_ED25519).key_id, 0xc74f20a3u);
    ck_assert_int_eq(skl_note_vkey_format(&s, v.name, v.type, v.pub), SKL_OK);
    ck_assert_str_eq(s, PETER_VKEY);
    free(s);

    vkey_ok(&v, FOO_VKEY);
    ck_assert_str_eq(v.name, "example.com/foo");
    ck_assert_uint_eq(v.key_id, 0x530d903au);
    ck_assert_int_eq(skl_note_vkey_format(&s, v.name, v.type, v.pub), SKL_OK);
    ck_assert_str_eq(s, FOO_VKEY);
    free(s);

    vkey_ok(&v, WITNESS_VKEY);
    ck_assert_str_eq(v.name, "witness.example/w1");
    ck_assert_uint_eq(v.key_id, 0xe75f6532u);
    ck_assert_uint_eq(v.type, SKL_NOTE_KEY_COSIGNATURE);

    /* The witness key is the seed 00..1f. */
    uint8_t sk[64];
    witness_sk(sk);
    ck_assert_mem_eq(v.pub, sk + 32, 32);
    ck_assert_int_eq(skl_note_vkey_format(&s, "witness.example/w1", 4, sk + 32), SKL_OK);
    ck_assert_str_eq(s, WITNESS_VKEY);
    free(s);

    /* The skey's public half is the vkey's key. */
    peter_sk(sk);
    vkey_ok(&v, PETER_VKEY);
    ck_assert_mem_eq(v.pub, sk + 32, 32);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

START_TEST(test_verify_vectors)
{
    uint64_t t = 99;
    ck_assert_int_eq(verify_str(PETER_NOTE, PETER_VKEY, &t), SKL_OK);
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(verify_str(FOO_NOTE, FOO_VKEY, NULL), SKL_OK);

    skl_note *n = parse_ok(PETER_NOTE);
    size_t len;
    const char *text = skl_note_text(n, &len);
    ck_assert_uint_eq(len, strlen(PETER_TEXT));
    ck_assert_str_eq(text, PETER_TEXT);
    ck_assert_uint_eq(skl_note_sig_count(n), 1);
    const char *name;
    uint32_t id;
    const uint8_t *sig;
    size_t siglen;
    ck_assert_int_eq(skl_note_sig(n, 0, &name, &id, &sig, &siglen), SKL_OK);
    ck_assert_str_eq(name, "PeterNeumann");
    ck_assert_uint_eq(id, 0xc74f20a3u);
    ck_assert_uint_eq(siglen, 64);
    ck_assert_int_eq(skl_note_sig(n, 1, &name, &id, &sig, &siglen), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_note_sig(NULL, 0, NULL, NULL, NULL, NULL), SKL_ERR_INVAL);
    skl_note_free(n);
    skl_note_free(NULL);
}
END_TEST

START_TEST(test_resign_vector)
{
    uint8_t sk[64];
    char *out = NULL, *again = NULL;
    size_t outlen = 0, againlen = 0;

    peter_sk(sk);
    ck_assert_int_eq(
        skl_note_sign(&out, &outlen, PETER_TEXT, strlen(PETER_TEXT), "PeterNeumann", sk), SKL_OK);
    ck_assert_uint_eq(outlen, strlen(PETER_NOTE));
    ck_assert_str_eq(out, PETER_NOTE);
    /* Signing the signed note again replaces the line by the same key: same bytes. */
    ck_assert_int_eq(skl_note_sign(&again, &againlen, out, outlen, "PeterNeumann", sk), SKL_OK);
    ck_assert_str_eq(again, PETER_NOTE);
    free(again);
    free(out);
    sodium_memzero(sk, sizeof sk);
}
END_TEST

START_TEST(test_checkpoint_vector_verifies)
{
    uint64_t t = 1;
    ck_assert_int_eq(verify_str(CP_NOTE, PETER_VKEY, &t), SKL_OK);
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(verify_str(CP_NOTE, WITNESS_VKEY, &t), SKL_OK);
    ck_assert_uint_eq(t, CP_TIME);

    skl_note *n = parse_ok(CP_NOTE);
    ck_assert_uint_eq(skl_note_sig_count(n), 2);
    const char *name;
    uint32_t id;
    size_t siglen;
    ck_assert_int_eq(skl_note_sig(n, 1, &name, &id, NULL, &siglen), SKL_OK);
    ck_assert_str_eq(name, "witness.example/w1");
    ck_assert_uint_eq(id, 0xe75f6532u);
    ck_assert_uint_eq(siglen, 72);

    /* The body is the 8-leaf tree head. */
    size_t len;
    const char *text = skl_note_text(n, &len);
    skl_checkpoint cp;
    ck_assert_int_eq(skl_checkpoint_parse(&cp, text, len), SKL_OK);
    ck_assert_str_eq(cp.origin, "example.com/credlog");
    ck_assert_uint_eq(cp.size, 8);
    uint8_t root[32];
    tu_hex(root, 32, CP_ROOT_HEX);
    ck_assert_mem_eq(cp.root, root, 32);
    ck_assert_uint_eq(cp.ext_len, 0);
    skl_note_free(n);
}
END_TEST

START_TEST(test_cosign_reproduces_vector)
{
    uint8_t log_sk[64], w_sk[64];
    char *signed_cp = NULL, *cosigned = NULL;
    size_t slen, clen;

    peter_sk(log_sk);
    witness_sk(w_sk);
    ck_assert_int_eq(
        skl_note_sign(&signed_cp, &slen, CP_TEXT, strlen(CP_TEXT), "PeterNeumann", log_sk), SKL_OK);
    ck_assert_uint_eq(slen, strlen(CP_TEXT) + 1 + strlen(CP_LOG_LINE));
    ck_assert_int_eq(strncmp(signed_cp, CP_NOTE, slen), 0);
    ck_assert_int_eq(
        skl_note_cosign(&cosigned, &clen, signed_cp, slen, "witness.example/w1", w_sk, CP_TIME),
        SKL_OK);
    ck_assert_uint_eq(clen, strlen(CP_NOTE));
    ck_assert_str_eq(cosigned, CP_NOTE);
    free(cosigned);

    /* Cosigning again replaces the witness line; the newest time wins. */
    char *first = NULL, *second = NULL;
    size_t flen, len2;
    ck_assert_int_eq(
        skl_note_cosign(&first, &flen, signed_cp, slen, "witness.example/w1", w_sk, CP_TIME - 5),
        SKL_OK);
    ck_assert_int_eq(
        skl_note_cosign(&second, &len2, first, flen, "witness.example/w1", w_sk, CP_TIME), SKL_OK);
    ck_assert_str_eq(second, CP_NOTE);
    free(first);
    free(second);

    /* The log's own cosignature sits beside its Ed25519 line, under the same name. */
    ck_assert_int_eq(
        skl_note_cosign(&first, &flen, signed_cp, slen, "PeterNeumann", log_sk, CP_TIME + 1),
        SKL_OK);
    skl_note *n = parse_ok(first);
    ck_assert_uint_eq(skl_note_sig_count(n), 2);
    skl_note_verifier v;
    uint64_t t;
    vkey_ok(&v, PETER_VKEY);
    ck_assert_int_eq(skl_note_verify(n, &v, &t), SKL_OK);
    char *cvkey = NULL;
    ck_assert_int_eq(skl_note_vkey_format(&cvkey, "PeterNeumann", 4, log_sk + 32), SKL_OK);
    vkey_ok(&v, cvkey);
    ck_assert_int_eq(skl_note_verify(n, &v, &t), SKL_OK);
    ck_assert_uint_eq(t, CP_TIME + 1);
    free(cvkey);
    skl_note_free(n);
    free(first);

    free(signed_cp);
    sodium_memzero(log_sk, sizeof log_sk);
    sodium_memzero(w_sk, sizeof w_sk);
}
END_TEST

START_TEST(test_sign_text_with_blank_lines)
{
    static const char text[] = "a\n\n\nb\n\n";
    uint8_t sk[64];
    char *out = NULL;
    size_t len;
    peter_sk(sk);
    ck_assert_int_eq(skl_note_sign(&out, &len, text, strlen(text), "PeterNeumann", sk), SKL_OK);
    skl_note *n = parse_ok(out);
    ck_assert_str_eq(skl_note_text(n, NULL), text);
    skl_note_verifier v;
    vkey_ok(&v, PETER_VKEY);
    ck_assert_int_eq(skl_note_verify(n, &v, NULL), SKL_OK);
    skl_note_free(n);
    free(out);
}
END_TEST

START_TEST(test_checkpoint_format_roundtrip)
{
    skl_checkpoint cp;
    char *out = NULL;
    size_t len;
    ck_assert_int_eq(skl_checkpoint_parse(&cp, CP_TEXT, strlen(CP_TEXT)), SKL_OK);
    ck_assert_int_eq(skl_checkpoint_format(&out, &len, &cp), SKL_OK);
    ck_assert_str_eq(out, CP_TEXT);
    ck_assert_uint_eq(len, strlen(CP_TEXT));
    free(out);

    static const char with_ext[] = "example.com/credlog\n0\n"
                                   "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nfoo bar\nbaz\n";
    ck_assert_int_eq(skl_checkpoint_parse(&cp, with_ext, strlen(with_ext)), SKL_OK);
    ck_assert_uint_eq(cp.size, 0);
    ck_assert_str_eq(cp.ext, "foo bar\nbaz\n");
    ck_assert_int_eq(skl_checkpoint_format(&out, &len, &cp), SKL_OK);
    ck_assert_str_eq(out, with_ext);
    free(out);

    static const char maxsize[] = "o\n18446744073709551615\n"
                                  "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
    ck_assert_int_eq(skl_checkpoint_parse(&cp, maxsize, strlen(maxsize)), SKL_OK);
    ck_assert_uint_eq(cp.size, UINT64_MAX);

    memset(&cp, 0, sizeof cp);
    ck_assert_int_eq(skl_checkpoint_format(&out, &len, &cp), SKL_ERR_INVAL); /* no origin */
    ck_assert_ptr_null(out);
    strcpy(cp.origin, "a\nb");
    ck_assert_int_eq(skl_checkpoint_format(&out, &len, &cp), SKL_ERR_INVAL);
    strcpy(cp.origin, "a");
    strcpy(cp.ext, "x\n\ny\n");
    cp.ext_len = strlen(cp.ext);
    ck_assert_int_eq(skl_checkpoint_format(&out, &len, &cp), SKL_ERR_INVAL);
    cp.ext_len = 0;
    ck_assert_int_eq(skl_checkpoint_format(&out, &len, &cp), SKL_OK);
    free(out);
}
END_TEST

/* ---- negative: notes ---- */

START_TEST(test_tampered_text)
{
    char s[sizeof PETER_NOTE];
    memcpy(s, PETER_NOTE, sizeof s);
    s[3] ^= 0x01; /* "If y" -> "If x" */
    ck_assert_int_eq(verify_str(s, PETER_VKEY, NULL), SKL_ERR_VERIFY);

    char c[sizeof CP_NOTE];
    memcpy(c, CP_NOTE, sizeof c);
    c[20] = '9'; /* size 8 -> 9 */
    ck_assert_int_eq(verify_str(c, PETER_VKEY, NULL), SKL_ERR_VERIFY);
    ck_assert_int_eq(verify_str(c, WITNESS_VKEY, NULL), SKL_ERR_VERIFY);
}
END_TEST

START_TEST(test_tampered_signature)
{
    char s[sizeof PETER_NOTE];
    memcpy(s, PETER_NOTE, sizeof s);
    char *p = strstr(s, "ZInN"); /* well inside the signature bytes */
    ck_assert_ptr_nonnull(p);
    p[0] = 'Y';
    ck_assert_int_eq(verify_str(s, PETER_VKEY, NULL), SKL_ERR_VERIFY);

    char c[sizeof CP_NOTE];
    memcpy(c, CP_NOTE, sizeof c);
    p = strstr(c, "Iicc2Q");
    ck_assert_ptr_nonnull(p);
    p[0] = 'J';
    ck_assert_int_eq(verify_str(c, PETER_VKEY, NULL), SKL_OK);
    ck_assert_int_eq(verify_str(c, WITNESS_VKEY, NULL), SKL_ERR_VERIFY);
}
END_TEST

START_TEST(test_altered_timestamp)
{
    uint64_t t = 5;
    char *s = cp_note_with_time(CP_TIME);
    ck_assert_str_eq(s, CP_NOTE); /* the rebuild itself is faithful */
    free(s);
    s = cp_note_with_time(CP_TIME + 1);
    ck_assert_int_eq(verify_str(s, WITNESS_VKEY, &t), SKL_ERR_VERIFY);
    ck_assert_uint_eq(t, 0);
    ck_assert_int_eq(verify_str(s, PETER_VKEY, NULL), SKL_OK);
    free(s);
    s = cp_note_with_time((uint64_t)1 << 63); /* above 2^63-1 */
    ck_assert_int_eq(verify_str(s, WITNESS_VKEY, &t), SKL_ERR_VERIFY);
    free(s);

    /* A time above 2^63-1 is refused even when the signature over it is genuine. */
    uint8_t sk[64], blob[76];
    char msg[256], note[512];
    witness_sk(sk);
    snprintf(msg, sizeof msg, "cosignature/v1\ntime 9223372036854775808\n%s", CP_TEXT);
    blob[0] = 0xe7, blob[1] = 0x5f, blob[2] = 0x65, blob[3] = 0x32;
    memset(blob + 4, 0, 8);
    blob[4] = 0x80;
    crypto_sign_detached(blob + 12, NULL, (const unsigned char *)msg, strlen(msg), sk);
    char *e = b64(blob, sizeof blob);
    snprintf(note, sizeof note, "%s\n%s witness.example/w1 %s\n", CP_TEXT, EM, e);
    free(e);
    ck_assert_int_eq(verify_str(note, WITNESS_VKEY, &t), SKL_ERR_VERIFY);
    /* ... and the same construction at 2^63-1 does verify, so the test is not vacuous. */
    snprintf(msg, sizeof msg, "cosignature/v1\ntime 9223372036854775807\n%s", CP_TEXT);
    memset(blob + 4, 0xff, 8);
    blob[4] = 0x7f;
    crypto_sign_detached(blob + 12, NULL, (const unsigned char *)msg, strlen(msg), sk);
    e = b64(blob, sizeof blob);
    snprintf(note, sizeof note, "%s\n%s witness.example/w1 %s\n", CP_TEXT, EM, e);
    free(e);
    ck_assert_int_eq(verify_str(note, WITNESS_VKEY, &t), SKL_OK);
    ck_assert_uint_eq(t, (uint64_t)INT64_MAX);

    char *out = (char *)1;
    size_t len;
    ck_assert_int_eq(
        skl_note_cosign(&out, &len, CP_NOTE, strlen(CP_NOTE), "w", sk, (uint64_t)1 << 63),
        SKL_ERR_INVAL);
    ck_assert_ptr_null(out);
}
END_TEST

START_TEST(test_wrong_key_and_name)
{
    skl_note_verifier v;
    /* Another key: its line is not there. */
    ck_assert_int_eq(verify_str(PETER_NOTE, FOO_VKEY, NULL), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(verify_str(CP_NOTE, FOO_VKEY, NULL), SKL_ERR_NOTFOUND);

    /* The right name and key ID, but the signature is by another key. */
    uint8_t sk[64], sig[64], blob[68];
    witness_sk(sk);
    crypto_sign_detached(sig, NULL, (const unsigned char *)PETER_TEXT, strlen(PETER_TEXT), sk);
    blob[0] = 0xc7, blob[1] = 0x4f, blob[2] = 0x20, blob[3] = 0xa3;
    memcpy(blob + 4, sig, 64);
    char *e = b64(blob, sizeof blob);
    char forged[512];
    snprintf(forged, sizeof forged, "%s\n%s PeterNeumann %s\n", PETER_TEXT, EM, e);
    free(e);
    ck_assert_int_eq(verify_str(forged, PETER_VKEY, NULL), SKL_ERR_VERIFY);

    /* A genuine line under another name is not the verifier's. */
    char renamed[sizeof PETER_NOTE + 1];
    memcpy(renamed, PETER_NOTE, sizeof PETER_NOTE);
    char *p = strstr(renamed, "PeterNeumann");
    p[11] = 'M';
    ck_assert_int_eq(verify_str(renamed, PETER_VKEY, NULL), SKL_ERR_NOTFOUND);

    /* A verifier whose name was changed no longer matches its key ID. */
    vkey_ok(&v, PETER_VKEY);
    skl_note *n = parse_ok(PETER_NOTE);
    strcpy(v.name, "PeterNeumanM");
    ck_assert_int_eq(skl_note_verify(n, &v, NULL), SKL_ERR_KEY);
    vkey_ok(&v, PETER_VKEY);
    v.pub[0] ^= 1;
    ck_assert_int_eq(skl_note_verify(n, &v, NULL), SKL_ERR_KEY);
    vkey_ok(&v, PETER_VKEY);
    v.type = 2;
    ck_assert_int_eq(skl_note_verify(n, &v, NULL), SKL_ERR_KEY);
    ck_assert_int_eq(skl_note_verify(n, NULL, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_note_verify(NULL, &v, NULL), SKL_ERR_INVAL);

    /* An Ed25519 key used as a cosigner key (type 0x04): a different key ID, no line. */
    char *cv = NULL;
    vkey_ok(&v, PETER_VKEY);
    ck_assert_int_eq(skl_note_vkey_format(&cv, "PeterNeumann", 4, v.pub), SKL_OK);
    skl_note_verifier c;
    vkey_ok(&c, cv);
    ck_assert_int_eq(skl_note_verify(n, &c, NULL), SKL_ERR_NOTFOUND);
    free(cv);
    skl_note_free(n);

    /* A line with the cosigner's name and ID but an Ed25519-length signature. */
    blob[0] = 0xe7, blob[1] = 0x5f, blob[2] = 0x65, blob[3] = 0x32;
    e = b64(blob, sizeof blob);
    snprintf(forged, sizeof forged, "%s\n%s witness.example/w1 %s\n", CP_TEXT, EM, e);
    free(e);
    ck_assert_int_eq(verify_str(forged, WITNESS_VKEY, NULL), SKL_ERR_VERIFY);
}
END_TEST

START_TEST(test_malformed_notes)
{
    char s[1024];
    /* no blank line before the signatures */
    snprintf(s, sizeof s, "%s%s", PETER_TEXT, PETER_NOTE + strlen(PETER_TEXT) + 1);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    /* a hyphen instead of the em dash */
    snprintf(s, sizeof s, "%s\n- PeterNeumann %s", PETER_TEXT, strrchr(PETER_NOTE, ' ') + 1);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    /* an en dash (U+2013) */
    snprintf(s, sizeof s, "%s\n\xe2\x80\x93 PeterNeumann %s", PETER_TEXT,
             strrchr(PETER_NOTE, ' ') + 1);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    /* bad base64: a stray character, missing padding, non-zero trailing bits */
    static const char *bad64[] = {
        "x08go/ZJ!uBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgK"
        "vqfqdngotpRZb6KE6RyyBwJnAM=",
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgK"
        "vqfqdngotpRZb6KE6RyyBwJnAM",
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgK"
        "vqfqdngotpRZb6KE6RyyBwJnAN=",
        "",
        "x08g",
        "x08go/ZJ kuBS"};
    for (size_t i = 0; i < sizeof bad64 / sizeof bad64[0]; i++) {
        snprintf(s, sizeof s, "%s\n%s PeterNeumann %s\n", PETER_TEXT, EM, bad64[i]);
        ck_assert_msg(parse_rc(s) == SKL_ERR_PARSE, "accepted %s", bad64[i]);
    }
    /* no space between name and signature, empty name, name with '+' or NBSP */
    snprintf(s, sizeof s, "%s\n%s PeterNeumann\n", PETER_TEXT, EM);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    snprintf(s, sizeof s, "%s\n%s  x08go/ZJ\n", PETER_TEXT, EM);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    snprintf(s, sizeof s, "%s\n%s a+b x08go/ZJ\n", PETER_TEXT, EM);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    snprintf(s, sizeof s, "%s\n%s a\xc2\xa0 x08go/ZJ\n", PETER_TEXT, EM);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    /* no final newline; no signature at all; an empty input */
    snprintf(s, sizeof s, "%s", PETER_NOTE);
    s[strlen(s) - 1] = '\0';
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    snprintf(s, sizeof s, "%s\n", PETER_TEXT);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    ck_assert_int_eq(parse_rc(""), SKL_ERR_PARSE);
    /* a control character, invalid UTF-8 (overlong, surrogate, truncated) */
    snprintf(s, sizeof s, "%s", PETER_NOTE);
    s[5] = '\t';
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    static const char *bad8[] = {"\xc0\xaf", "\xed\xa0\x80", "\xe2\x80", "\xf5\x80\x80\x80"};
    for (size_t i = 0; i < sizeof bad8 / sizeof bad8[0]; i++) {
        snprintf(s, sizeof s, "x%s\n%s", bad8[i], PETER_NOTE + strlen(PETER_TEXT));
        ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    }
    /* a NUL inside the declared length */
    skl_note *n = NULL;
    char z[sizeof PETER_NOTE];
    memcpy(z, PETER_NOTE, sizeof z);
    z[2] = '\0';
    ck_assert_int_eq(skl_note_parse(&n, z, sizeof z - 1), SKL_ERR_PARSE);
    /* the same line twice */
    snprintf(s, sizeof s, "%s%s", PETER_NOTE, PETER_NOTE + strlen(PETER_TEXT) + 1);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    /* fewer than 4 + 1 signature bytes */
    snprintf(s, sizeof s, "%s\n%s a AAAAAA==\n", PETER_TEXT, EM);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_PARSE);
    snprintf(s, sizeof s, "%s\n%s a AAAAAAA=\n", PETER_TEXT, EM);
    ck_assert_int_eq(parse_rc(s), SKL_OK);
    ck_assert_int_eq(skl_note_parse(NULL, s, 1), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_note_parse(&n, NULL, 1), SKL_ERR_INVAL);
}
END_TEST

/* A note with `count` distinct signature lines, malloc'd. */
static char *
note_with_sigs(size_t count)
{
    size_t cap = 64 + count * 64;
    char *s = malloc(cap), *o = s;
    ck_assert_ptr_nonnull(s);
    o += sprintf(o, "hello\n\n");
    for (size_t i = 0; i < count; i++)
        o += sprintf(o, "%s k%zu AAAAAAA=\n", EM, i);
    return s;
}

START_TEST(test_limits)
{
    char *s = note_with_sigs(SKL_NOTE_MAX_SIGS);
    skl_note *n = parse_ok(s);
    ck_assert_uint_eq(skl_note_sig_count(n), SKL_NOTE_MAX_SIGS);
    skl_note_free(n);

    /* Signing once more would make 101 lines. */
    uint8_t sk[64];
    char *out = NULL;
    size_t len;
    peter_sk(sk);
    ck_assert_int_eq(skl_note_sign(&out, &len, s, strlen(s), "PeterNeumann", sk), SKL_ERR_LIMIT);
    ck_assert_ptr_null(out);
    free(s);

    s = note_with_sigs(SKL_NOTE_MAX_SIGS + 1);
    ck_assert_int_eq(parse_rc(s), SKL_ERR_LIMIT);
    free(s);

    /* Longer than SKL_NOTE_MAX_LEN. */
    static const char tail[] = "\n\n" EM " a AAAAAAA=\n";
    size_t big = SKL_NOTE_MAX_LEN + 1;
    s = malloc(big + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, 'a', big);
    memcpy(s + big - (sizeof tail - 1), tail, sizeof tail - 1);
    s[big] = '\0';
    ck_assert_int_eq(skl_note_parse(&n, s, big), SKL_ERR_LIMIT);
    ck_assert_int_eq(skl_note_parse(&n, s + 1, big - 1), SKL_OK); /* exactly the limit */
    skl_note_free(n);
    /* A text of exactly SKL_NOTE_MAX_LEN cannot take a signature. */
    memset(s, 'a', SKL_NOTE_MAX_LEN);
    s[SKL_NOTE_MAX_LEN - 1] = '\n';
    ck_assert_int_eq(skl_note_sign(&out, &len, s, SKL_NOTE_MAX_LEN, "PeterNeumann", sk),
                     SKL_ERR_LIMIT);
    free(s);
}
END_TEST

START_TEST(test_sign_rejects)
{
    uint8_t sk[64];
    char *out = (char *)1;
    size_t len;
    peter_sk(sk);
    /* text not ending in a newline, empty, with a control character */
    ck_assert_int_eq(skl_note_sign(&out, &len, "hello", 5, "PeterNeumann", sk), SKL_ERR_PARSE);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(skl_note_sign(&out, &len, "", 0, "PeterNeumann", sk), SKL_ERR_PARSE);
    ck_assert_int_eq(skl_note_sign(&out, &len, "a\rb\n", 4, "PeterNeumann", sk), SKL_ERR_PARSE);
    /* bad names */
    static const char *names[] = {"", "a b", "a+b", "a\xe3\x80\x80", "a\n", "\xff"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ck_assert_int_eq(skl_note_sign(&out, &len, "hi\n", 3, names[i], sk), SKL_ERR_INVAL);
    char longname[SKL_NOTE_NAME_MAX + 2];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ck_assert_int_eq(skl_note_sign(&out, &len, "hi\n", 3, longname, sk), SKL_ERR_INVAL);
    longname[SKL_NOTE_NAME_MAX] = '\0';
    ck_assert_int_eq(skl_note_sign(&out, &len, "hi\n", 3, longname, sk), SKL_OK);
    free(out);
    ck_assert_int_eq(skl_note_sign(&out, &len, "hi\n", 3, NULL, sk), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_note_sign(NULL, &len, "hi\n", 3, "a", sk), SKL_ERR_INVAL);

    /* cosign wants a signed note whose text is a checkpoint */
    out = NULL;
    ck_assert_int_eq(skl_note_cosign(&out, &len, CP_TEXT, strlen(CP_TEXT), "w", sk, 1),
                     SKL_ERR_PARSE);
    ck_assert_int_eq(skl_note_cosign(&out, &len, PETER_NOTE, strlen(PETER_NOTE), "w", sk, 1),
                     SKL_ERR_PARSE);
    ck_assert_int_eq(skl_note_cosign(&out, &len, CP_NOTE, strlen(CP_NOTE), "w w", sk, 1),
                     SKL_ERR_INVAL);
    ck_assert_ptr_null(out);
}
END_TEST

/* ---- negative: keys ---- */

START_TEST(test_bad_vkeys)
{
    skl_note_verifier v;
    /* key ID that does not match */
    ck_assert_int_eq(skl_note_vkey_parse(
                         &v, "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
                     SKL_ERR_KEY);
    ck_assert_uint_eq(v.key_id, 0);
    ck_assert_str_eq(v.name, "");
    /* another name for the same key */
    ck_assert_int_eq(skl_note_vkey_parse(
                         &v, "PeterNeumanN+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
                     SKL_ERR_KEY);

    /* unknown type 0x02, with the key ID computed for it */
    vkey_ok(&v, PETER_VKEY);
    uint8_t key[33];
    key[0] = 0x02;
    memcpy(key + 1, v.pub, 32);
    char *e = b64(key, sizeof key);
    char s[512];
    snprintf(s, sizeof s, "PeterNeumann+%08x+%s", skl_note_key_id("PeterNeumann", 2, v.pub), e);
    free(e);
    ck_assert_int_eq(skl_note_vkey_parse(&v, s), SKL_ERR_KEY);
    char *out = (char *)1;
    ck_assert_int_eq(skl_note_vkey_format(&out, "PeterNeumann", 2, key + 1), SKL_ERR_INVAL);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(skl_note_vkey_format(&out, "a b", 1, key + 1), SKL_ERR_INVAL);

    static const char *malformed[] = {
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  /* uppercase */
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   /* 7 digits */
        "PeterNeumann+c74f20a3ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   /* no '+' */
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",              /* empty name */
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* space */
        "Peter\xc2\xa0Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* NBSP */
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",          /* short */
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=", /* 33 bytes + */
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy1!TW",  /* alphabet */
        "PeterNeumann+c74f20a3+Rpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",  /* 32 bytes */
        "PeterNeumann+c74f20a3+",
        "PeterNeumann",
        "",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
        ck_assert_msg(skl_note_vkey_parse(&v, malformed[i]) == SKL_ERR_PARSE, "accepted %s",
                      malformed[i]);
    char longname[400];
    memset(longname, 'n', 300);
    strcpy(longname + 300, "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    ck_assert_int_eq(skl_note_vkey_parse(&v, longname), SKL_ERR_LIMIT);
    ck_assert_int_eq(skl_note_vkey_parse(&v, NULL), SKL_ERR_INVAL);

    /* skeys: wrong prefix, wrong key ID */
    char name[SKL_NOTE_NAME_MAX + 1];
    uint8_t type, sk[64];
    ck_assert_int_eq(skl_note_skey_parse(name, &type, sk, PETER_VKEY), SKL_ERR_PARSE);
    ck_assert_int_eq(skl_note_skey_parse(name, &type, sk,
                                         "PRIVATE+KEY+PeterNeumann+c74f20a4+"
                                         "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"),
                     SKL_ERR_KEY);
    uint8_t zero[64] = {0};
    ck_assert_mem_eq(sk, zero, 64);
}
END_TEST

/* ---- negative: checkpoints ---- */

START_TEST(test_bad_checkpoints)
{
    skl_checkpoint cp;
    static const char *bad[] = {
        "example.com/credlog\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",  /* "08" */
        "example.com/credlog\n8\n",                                                 /* no root */
        "example.com/credlog\n8\n\n",                                               /* empty */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",   /* 31 bytes */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",   /* bits */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",    /* no pad */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",     /* no \n */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7_RgQyg=\n",   /* url b64 */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n", /* ext "" */
        "example.com/credlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\na\n\nb\n",
        "example.com/credlog\n-8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "example.com/credlog\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "example.com/credlog\n 8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "example.com/credlog\n\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "example.com/credlog\n18446744073709551616\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", /* origin */
        "example.com/credlog\n",
        "example.com/cred\tlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "example.com/\xc3\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cp.size = 77;
        ck_assert_msg(skl_checkpoint_parse(&cp, bad[i], strlen(bad[i])) == SKL_ERR_PARSE,
                      "accepted bad checkpoint %zu", i);
        ck_assert_uint_eq(cp.size, 0);
    }
    char big[8192];
    memset(big, 'o', 300);
    strcpy(big + 300, "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
    ck_assert_int_eq(skl_checkpoint_parse(&cp, big, strlen(big)), SKL_ERR_LIMIT);
    size_t n = (size_t)sprintf(big, "%s", CP_TEXT);
    for (size_t i = 0; i < SKL_CHECKPOINT_EXT_MAX / 2 + 1; i++)
        n += (size_t)sprintf(big + n, "x\n");
    ck_assert_int_eq(skl_checkpoint_parse(&cp, big, n), SKL_ERR_LIMIT);
    ck_assert_int_eq(skl_checkpoint_parse(&cp, big, n - 2), SKL_OK);
    ck_assert_uint_eq(cp.ext_len, SKL_CHECKPOINT_EXT_MAX);
    ck_assert_int_eq(skl_checkpoint_parse(NULL, CP_TEXT, 1), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_checkpoint_parse(&cp, NULL, 1), SKL_ERR_INVAL);
}
END_TEST

Suite *note_suite(void);

Suite *
note_suite(void)
{
    Suite *s = suite_create("note");
    TCase *tc = tcase_create("known answers");
    tcase_add_test(tc, test_vectors_match);
    tcase_add_test(tc, test_vkeys);
    tcase_add_test(tc, test_verify_vectors);
    tcase_add_test(tc, test_resign_vector);
    tcase_add_test(tc, test_checkpoint_vector_verifies);
    tcase_add_test(tc, test_cosign_reproduces_vector);
    tcase_add_test(tc, test_sign_text_with_blank_lines);
    tcase_add_test(tc, test_checkpoint_format_roundtrip);
    suite_add_tcase(s, tc);

    tc = tcase_create("rejections");
    tcase_add_test(tc, test_tampered_text);
    tcase_add_test(tc, test_tampered_signature);
    tcase_add_test(tc, test_altered_timestamp);
    tcase_add_test(tc, test_wrong_key_and_name);
    tcase_add_test(tc, test_malformed_notes);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_sign_rejects);
    tcase_add_test(tc, test_bad_vkeys);
    tcase_add_test(tc, test_bad_checkpoints);
    suite_add_tcase(s, tc);
    return s;
}
