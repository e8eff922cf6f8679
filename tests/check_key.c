/* check_key.c - Ed25519 keys and secret key files (spec/keys.md). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "key_int.h"
#include "skl/key.h"
#include "testutil.h"

/* Cheap Argon2id cost for tests that do not care about it. */
#define T_OPS 1ULL
#define T_MEM ((size_t)8192)

/* Seed 00..1f: the witness key of the signed-note vectors. */
static const char witness_pk_hex[] =
    "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";

/* The worked examples of spec/keys.md (seed 00..1f). */
static const char example_clear[] = "skl secret key v1\n"
                                    "name: witness.example/w1\n"
                                    "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
                                    "kdf: none\n"
                                    "secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n";

static const char example_pass[] = "correct horse battery staple";
static const char example_enc[] =
    "skl secret key v1\n"
    "name: witness.example/w1\n"
    "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
    "kdf: argon2id 3 67108864 ICEiIyQlJicoKSorLC0uLw==\n"
    "secret: MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHeD0Bxs08cTmMsKbj88N+WNv4jO3R8f/14d7DV7oBEyg/ii6UJhlh"
    "dzyOdEeugz8i\n";

/* The same key, salt and nonce at the cheapest cost, for tests that tamper with it. */
static const char cheap_enc_kdf[] = "kdf: argon2id 1 8192 ICEiIyQlJicoKSorLC0uLw==\n";
static const char example_cheap[] =
    "skl secret key v1\n"
    "name: witness.example/w1\n"
    "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
    "kdf: argon2id 1 8192 ICEiIyQlJicoKSorLC0uLw==\n"
    "secret: MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHN+of6YVOm4/E5TeoHiIySjO0/mZMMI3kjblcwqTgYqBNVFeK"
    "7LEw/+qsWNEchw2O\n";

static char *dir;

static void
setup(void)
{
    ck_assert_int_eq(sodium_init() < 0, 0);
    dir = tu_tmpdir();
}

static void
teardown(void)
{
    /* Best-effort clean-up of the few names the tests use. */
    static const char *names[] = {"k", "k2", "link", "target", "fifo", "sub"};
    char p[4096];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
        rmdir(p);
    }
    rmdir(dir);
    free(dir);
}

static char *
path_of(const char *name)
{
    static char p[2][4096];
    static int which;
    which ^= 1;
    snprintf(p[which], sizeof p[which], "%s/%s", dir, name);
    return p[which];
}

static void
write_text(const char *path, const char *text, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    ck_assert_int_eq(close(fd), 0);
}

static void
witness_seed(uint8_t seed[32])
{
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
}

/* Signs with the secret of a and verifies with the public key of b. */
static int
signs_for(const skl_key *a, const skl_key *b)
{
    static const uint8_t msg[] = "skl key test message";
    uint8_t sig[crypto_sign_BYTES];
    ck_assert_int_eq(crypto_sign_detached(sig, NULL, msg, sizeof msg, skl_key_secret(a)), 0);
    return crypto_sign_verify_detached(sig, msg, sizeof msg, skl_key_public(b)) == 0;
}

/* Writes text to a fresh "k" and loads it with passphrase; returns the result code. */
static skl_err
load_text(const char *text, size_t len, const char *passphrase)
{
    skl_key *k = (skl_key *)1;
    const char *p = path_of("k");
    unlink(p);
    write_text(p, text, len);
    skl_err rc = skl_key_load(&k, p, passphrase);
    if (rc != SKL_OK)
        ck_assert_ptr_null(k);
    else
        skl_key_free(k);
    return rc;
}

/* example_clear with the line that starts with prefix replaced by line (or removed if NULL). */
static char *
replace_line(const char *text, const char *prefix, const char *line)
{
    const char *at = strstr(text, prefix);
    ck_assert_ptr_nonnull(at);
    const char *nl = strchr(at, '\n');
    ck_assert_ptr_nonnull(nl);
    size_t head = (size_t)(at - text);
    size_t n = head + (line ? strlen(line) : 0) + strlen(nl + 1) + 1;
    char *out = malloc(n);
    ck_assert_ptr_nonnull(out);
    snprintf(out, n, "%.*s%s%s", (int)head, text, line ? line : "", nl + 1);
    return out;
}

/* ---------------------------------------------------------------- known answers */

START_TEST(test_from_seed_known)
{
    uint8_t seed[32], want[32], pk[32], sk[64];
    skl_key *k = NULL;

    witness_seed(seed);
    tu_hex(want, 32, witness_pk_hex);
    /* The expected value itself, from libsodium directly. */
    crypto_sign_seed_keypair(pk, sk, seed);
    ck_assert_mem_eq(pk, want, 32);

    ck_assert_int_eq(skl_key_from_seed(&k, seed, "witness.example/w1"), SKL_OK);
    ck_assert_mem_eq(skl_key_public(k), want, 32);
    ck_assert_mem_eq(skl_key_secret(k), seed, 32);
    ck_assert_mem_eq(skl_key_secret(k) + 32, want, 32);
    ck_assert_str_eq(skl_key_name(k), "witness.example/w1");
    ck_assert(signs_for(k, k));
    skl_key_free(k);
}
END_TEST

/*
 * Decodes the key of a note key string in the JSON string value of field: the base64
 * after its plus-th '+' (the base64 itself may hold '+').
 */
static void
vector_key(const char *json, const char *field, int plus, uint8_t out[33])
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": \"", field);
    const char *at = strstr(json, pat);
    ck_assert_ptr_nonnull(at);
    at += strlen(pat);
    const char *end = strchr(at, '"');
    ck_assert_ptr_nonnull(end);
    const char *b64 = at;
    for (int i = 0; i < plus; i++) {
        b64 = memchr(b64, '+', (size_t)(end - b64));
        ck_assert_ptr_nonnull(b64);
        b64++;
    }
    size_t got = 0;
    ck_assert_int_eq(sodium_base642bin(out, 33, b64, (size_t)(end - b64), NULL, &got, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    ck_assert_uint_eq(got, 33);
}

START_TEST(test_signed_note_vectors)
{
    char *json = tu_read_vector("signed-note.json", NULL);
    uint8_t skey[33], vkey[33], wkey[33], seed[32];
    skl_key *k = NULL;

    /* PeterNeumann: skey = 0x01 || seed, vkey = 0x01 || public key. */
    vector_key(json, "skey", 4, skey);
    vector_key(json, "vkey", 2, vkey);
    ck_assert_uint_eq(skey[0], 1);
    ck_assert_uint_eq(vkey[0], 1);
    ck_assert_int_eq(skl_key_from_seed(&k, skey + 1, "PeterNeumann"), SKL_OK);
    ck_assert_mem_eq(skl_key_public(k), vkey + 1, 32);
    skl_key_free(k);

    /* The witness: seed 00..1f, vkey = 0x04 || public key. */
    vector_key(json, "witness_vkey", 2, wkey);
    ck_assert_uint_eq(wkey[0], 4);
    witness_seed(seed);
    ck_assert_int_eq(skl_key_from_seed(&k, seed, "witness.example/w1"), SKL_OK);
    ck_assert_mem_eq(skl_key_public(k), wkey + 1, 32);
    skl_key_free(k);
    sodium_memzero(skey, sizeof skey);
    free(json);
}
END_TEST

START_TEST(test_clear_file_exact)
{
    uint8_t seed[32];
    skl_key *k = NULL;
    size_t len;

    witness_seed(seed);
    ck_assert_int_eq(skl_key_from_seed(&k, seed, "witness.example/w1"), SKL_OK);
    ck_assert_int_eq(skl_key_save(k, path_of("k"), NULL), SKL_OK);
    char *text = tu_read_file(path_of("k"), &len);
    ck_assert_str_eq(text, example_clear);
    free(text);
    /* "" means no passphrase too. */
    ck_assert_int_eq(skl_key_save(k, path_of("k2"), ""), SKL_OK);
    text = tu_read_file(path_of("k2"), &len);
    ck_assert_str_eq(text, example_clear);
    free(text);
    skl_key_free(k);
}
END_TEST

START_TEST(test_spec_example_encrypted)
{
    uint8_t want[32];
    skl_key *k = NULL;

    tu_hex(want, 32, witness_pk_hex);
    write_text(path_of("k"), example_enc, strlen(example_enc));
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), 1);
    ck_assert_int_eq(skl_key_load(&k, path_of("k"), example_pass), SKL_OK);
    ck_assert_mem_eq(skl_key_public(k), want, 32);
    ck_assert_str_eq(skl_key_name(k), "witness.example/w1");
    for (int i = 0; i < 32; i++)
        ck_assert_uint_eq(skl_key_secret(k)[i], (unsigned)i);
    skl_key_free(k);

    write_text(path_of("k2"), example_clear, strlen(example_clear));
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k2")), 0);
    ck_assert_int_eq(skl_key_load(&k, path_of("k2"), NULL), SKL_OK);
    ck_assert_mem_eq(skl_key_public(k), want, 32);
    skl_key_free(k);
}
END_TEST

/* ---------------------------------------------------------------- round trips */

START_TEST(test_roundtrip_clear)
{
    skl_key *k = NULL, *l = NULL;
    struct stat st;

    ck_assert_int_eq(skl_key_generate(&k, "example.com/log"), SKL_OK);
    ck_assert_int_eq(skl_key_save(k, path_of("k"), NULL), SKL_OK);
    ck_assert_int_eq(stat(path_of("k"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), 0);
    /* A passphrase is not needed, and ignored, for a clear file. */
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), NULL), SKL_OK);
    ck_assert_mem_eq(skl_key_public(l), skl_key_public(k), 32);
    ck_assert_mem_eq(skl_key_secret(l), skl_key_secret(k), 64);
    ck_assert_str_eq(skl_key_name(l), "example.com/log");
    ck_assert(signs_for(l, k));
    skl_key_free(l);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "anything"), SKL_OK);
    ck_assert(signs_for(l, k));
    skl_key_free(l);
    skl_key_free(k);
}
END_TEST

START_TEST(test_roundtrip_encrypted)
{
    skl_key *k = NULL, *l = NULL, *other = NULL;
    struct stat st;
    size_t len;
    char seed_b64[64];

    ck_assert_int_eq(skl_key_generate(&k, "北碚.example/issuer"), SKL_OK);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", T_OPS, T_MEM), SKL_OK);
    ck_assert_int_eq(stat(path_of("k"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), 1);

    /* The seed does not appear in the file. */
    char *text = tu_read_file(path_of("k"), &len);
    sodium_bin2base64(seed_b64, sizeof seed_b64, skl_key_secret(k), 32,
                      sodium_base64_VARIANT_ORIGINAL);
    ck_assert_ptr_null(strstr(text, seed_b64));
    ck_assert_ptr_nonnull(strstr(text, "\nkdf: argon2id 1 8192 "));
    free(text);

    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "pw"), SKL_OK);
    ck_assert_mem_eq(skl_key_public(l), skl_key_public(k), 32);
    ck_assert_mem_eq(skl_key_secret(l), skl_key_secret(k), 64);
    ck_assert_str_eq(skl_key_name(l), "北碚.example/issuer");
    ck_assert(signs_for(l, k));
    /* A signature from another key does not verify. */
    ck_assert_int_eq(skl_key_generate(&other, "other"), SKL_OK);
    ck_assert(!signs_for(other, k));
    skl_key_free(other);
    skl_key_free(l);
    skl_key_free(k);
}
END_TEST

START_TEST(test_default_cost)
{
    skl_key *k = NULL, *l = NULL;
    size_t len;

    ck_assert_int_eq(skl_key_generate(&k, "k"), SKL_OK);
    ck_assert_int_eq(skl_key_save(k, path_of("k"), "pw"), SKL_OK);
    char *text = tu_read_file(path_of("k"), &len);
    ck_assert_ptr_nonnull(strstr(text, "\nkdf: argon2id 3 67108864 "));
    free(text);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "pw"), SKL_OK);
    ck_assert(signs_for(l, k));
    skl_key_free(l);
    skl_key_free(k);
}
END_TEST

START_TEST(test_salt_and_nonce_fresh)
{
    skl_key *k = NULL;
    size_t la, lb;

    ck_assert_int_eq(skl_key_generate(&k, "k"), SKL_OK);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", T_OPS, T_MEM), SKL_OK);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k2"), "pw", T_OPS, T_MEM), SKL_OK);
    char *a = tu_read_file(path_of("k"), &la);
    char *b = tu_read_file(path_of("k2"), &lb);
    ck_assert_uint_eq(la, lb);
    const char *ka = strstr(a, "\nkdf: "), *kb = strstr(b, "\nkdf: ");
    ck_assert_str_ne(ka, kb);
    /* Salt and secret lines both differ. */
    ck_assert(memcmp(ka, kb, (size_t)(strstr(ka, "\nsecret") - ka)) != 0);
    ck_assert_str_ne(strstr(ka, "\nsecret"), strstr(kb, "\nsecret"));
    free(a);
    free(b);
    skl_key_free(k);
}
END_TEST

/* ---------------------------------------------------------------- files */

START_TEST(test_no_overwrite)
{
    skl_key *k = NULL;
    size_t len;

    ck_assert_int_eq(skl_key_generate(&k, "k"), SKL_OK);
    write_text(path_of("k"), "precious\n", 9);
    ck_assert_int_eq(skl_key_save(k, path_of("k"), NULL), SKL_ERR_EXISTS);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", T_OPS, T_MEM), SKL_ERR_EXISTS);
    char *text = tu_read_file(path_of("k"), &len);
    ck_assert_str_eq(text, "precious\n");
    free(text);
    skl_key_free(k);
}
END_TEST

START_TEST(test_save_symlink)
{
    skl_key *k = NULL;
    struct stat st;
    size_t len;

    ck_assert_int_eq(skl_key_generate(&k, "k"), SKL_OK);
    /* A dangling link: its target must not be created. */
    ck_assert_int_eq(symlink(path_of("target"), path_of("link")), 0);
    ck_assert_int_eq(skl_key_save(k, path_of("link"), NULL), SKL_ERR_EXISTS);
    ck_assert_int_eq(lstat(path_of("target"), &st), -1);
    /* A link to an existing file: the file is left alone. */
    write_text(path_of("target"), "x", 1);
    ck_assert_int_eq(skl_key_save(k, path_of("link"), NULL), SKL_ERR_EXISTS);
    char *text = tu_read_file(path_of("target"), &len);
    ck_assert_str_eq(text, "x");
    free(text);
    /* A directory that does not exist. */
    ck_assert_int_eq(skl_key_save(k, path_of("sub/k"), NULL), SKL_ERR_IO);
    skl_key_free(k);
}
END_TEST

START_TEST(test_load_symlink)
{
    skl_key *k = (skl_key *)1;

    write_text(path_of("target"), example_clear, strlen(example_clear));
    ck_assert_int_eq(symlink(path_of("target"), path_of("link")), 0);
    ck_assert_int_eq(skl_key_load(&k, path_of("link"), NULL), SKL_ERR_IO);
    ck_assert_ptr_null(k);
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("link")), SKL_ERR_IO);
    /* The target itself is fine. */
    ck_assert_int_eq(skl_key_load(&k, path_of("target"), NULL), SKL_OK);
    skl_key_free(k);
}
END_TEST

START_TEST(test_load_not_regular)
{
    skl_key *k = (skl_key *)1;

    ck_assert_int_eq(skl_key_load(&k, path_of("k"), NULL), SKL_ERR_NOTFOUND);
    ck_assert_ptr_null(k);
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(mkdir(path_of("sub"), 0700), 0);
    ck_assert_int_eq(skl_key_load(&k, path_of("sub"), NULL), SKL_ERR_IO);
    /* A FIFO with no writer must not block the reader. */
    ck_assert_int_eq(mkfifo(path_of("fifo"), 0600), 0);
    ck_assert_int_eq(skl_key_load(&k, path_of("fifo"), NULL), SKL_ERR_IO);
    ck_assert_int_eq(skl_key_load(&k, "/dev/null", NULL), SKL_ERR_IO);
}
END_TEST

/* ---------------------------------------------------------------- passphrases */

START_TEST(test_passphrase_errors)
{
    skl_key *k = NULL, *l = (skl_key *)1;

    ck_assert_int_eq(skl_key_generate(&k, "k"), SKL_OK);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "right", T_OPS, T_MEM), SKL_OK);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "wrong"), SKL_ERR_PASSPHRASE);
    ck_assert_ptr_null(l);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "righ"), SKL_ERR_PASSPHRASE);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "right "), SKL_ERR_PASSPHRASE);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), NULL), SKL_ERR_PASSPHRASE);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), ""), SKL_ERR_PASSPHRASE);
    ck_assert_int_eq(skl_key_load(&l, path_of("k"), "right"), SKL_OK);
    skl_key_free(l);
    skl_key_free(k);
}
END_TEST

/* The cheap encrypted example with one byte of the decoded secret (or salt) flipped. */
static char *
cheap_enc(int flip_secret_at, int flip_salt)
{
    char *t = strdup(example_cheap);
    uint8_t salt[16], box[72];
    size_t got;
    ck_assert_ptr_nonnull(t);
    char *kdf = strstr(t, "kdf: argon2id 1 8192 ") + strlen("kdf: argon2id 1 8192 ");
    char *sec = strstr(t, "secret: ") + strlen("secret: ");

    ck_assert_int_eq(
        sodium_base642bin(salt, 16, kdf, 24, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    ck_assert_int_eq(
        sodium_base642bin(box, 72, sec, 96, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    if (flip_salt)
        salt[5] ^= 0x01;
    if (flip_secret_at >= 0)
        box[flip_secret_at] ^= 0x80;
    sodium_bin2base64(kdf, 25, salt, 16, sodium_base64_VARIANT_ORIGINAL);
    kdf[24] = '\n';
    sodium_bin2base64(sec, 97, box, 72, sodium_base64_VARIANT_ORIGINAL);
    sec[96] = '\n';
    return t;
}

START_TEST(test_tampered_ciphertext)
{
    /* Unchanged, it loads: the flips below are what fails. */
    char *t = cheap_enc(-1, 0);
    ck_assert_int_eq(load_text(t, strlen(t), example_pass), SKL_OK);
    free(t);
    /* nonce, MAC, and encrypted seed bytes */
    static const int at[] = {0, 23, 24, 39, 40, 55, 71};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        t = cheap_enc(at[i], 0);
        ck_assert_int_eq(load_text(t, strlen(t), example_pass), SKL_ERR_PASSPHRASE);
        free(t);
    }
    t = cheap_enc(-1, 1);
    ck_assert_int_eq(load_text(t, strlen(t), example_pass), SKL_ERR_PASSPHRASE);
    free(t);
}
END_TEST

START_TEST(test_public_mismatch)
{
    uint8_t seed[32], pk[32], sk[64];
    char line[128], b64[64];

    witness_seed(seed);
    seed[0] ^= 1;
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_bin2base64(b64, sizeof b64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
    snprintf(line, sizeof line, "public: %s\n", b64);

    char *t = replace_line(example_clear, "public: ", line);
    ck_assert_int_eq(load_text(t, strlen(t), NULL), SKL_ERR_KEY);
    free(t);
    /* Encrypted: decrypts fine, then the public key does not match. */
    char *e = cheap_enc(-1, 0);
    t = replace_line(e, "public: ", line);
    ck_assert_int_eq(load_text(t, strlen(t), example_pass), SKL_ERR_KEY);
    free(t);
    free(e);
}
END_TEST

/* ---------------------------------------------------------------- malformed files */

static void
assert_refused(const char *text, size_t len)
{
    const char *p = path_of("k");
    ck_assert_msg(load_text(text, len, example_pass) == SKL_ERR_KEY, "accepted: %.*s", (int)len,
                  text);
    ck_assert_int_eq(skl_key_file_is_encrypted(p), SKL_ERR_KEY);
}

static void
assert_line_refused(const char *base, const char *prefix, const char *line)
{
    char *t = replace_line(base, prefix, line);
    assert_refused(t, strlen(t));
    free(t);
}

START_TEST(test_malformed_structure)
{
    const char *c = example_clear;
    size_t n = strlen(c);
    char buf[2048];

    /* Sanity: the base text loads. */
    ck_assert_int_eq(load_text(c, n, NULL), SKL_OK);

    assert_refused("", 0);
    assert_refused(c, n - 1);                               /* no final newline */
    assert_refused(c, n / 2);                               /* cut in the middle */
    assert_refused(c, (size_t)(strstr(c, "secret: ") - c)); /* no secret line */
    snprintf(buf, sizeof buf, "%s\n", c);
    assert_refused(buf, strlen(buf)); /* empty line after */
    snprintf(buf, sizeof buf, "%sextra: 1\n", c);
    assert_refused(buf, strlen(buf)); /* extra line */
    snprintf(buf, sizeof buf, "%s%s", c, c);
    assert_refused(buf, strlen(buf)); /* every line twice */
    assert_refused(c, n + 1);         /* a NUL after the file */
    assert_line_refused(c, "skl secret", "skl secret key v2\n");
    assert_line_refused(c, "skl secret", "skl secret key v1 \n");
    assert_line_refused(c, "skl secret", "SKL secret key v1\n");
    assert_line_refused(c, "skl secret", "");
    assert_line_refused(c, "name: ", "");   /* missing name line */
    assert_line_refused(c, "kdf: ", "");    /* missing kdf line */
    assert_line_refused(c, "public: ", ""); /* missing public line */
    assert_line_refused(c, "name: ", "name:  witness.example/w1\n");
    assert_line_refused(c, "name: ", "Name: witness.example/w1\n");
    assert_line_refused(c, "kdf: ", "kdf: None\n");
    assert_line_refused(c, "kdf: ", "kdf: none \n");
    assert_line_refused(c, "kdf: ", "kdf:none\n");

    /* Lines out of order: public before name. */
    snprintf(buf, sizeof buf,
             "skl secret key v1\n"
             "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n"
             "name: witness.example/w1\n"
             "kdf: none\n"
             "secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");
    assert_refused(buf, strlen(buf));

    /* CRLF line ends. */
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i] == '\n')
            buf[o++] = '\r';
        buf[o++] = c[i];
    }
    assert_refused(buf, o);

    /* A NUL inside a line. */
    memcpy(buf, c, n);
    buf[strstr(c, "witness") - c + 3] = '\0';
    assert_refused(buf, n);

    /* Larger than SKL_KEY_FILE_MAX. */
    memset(buf, 'A', sizeof buf);
    memcpy(buf, c, n);
    assert_refused(buf, sizeof buf);
}
END_TEST

START_TEST(test_malformed_base64)
{
    const char *c = example_clear;

    /* Non-zero trailing bits ('8' -> '9'), missing or extra padding, wrong length. */
    assert_line_refused(c, "public: ", "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbh=\n");
    assert_line_refused(c, "public: ", "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg\n");
    assert_line_refused(c, "public: ", "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg==\n");
    assert_line_refused(c, "public: ", "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMQ==\n");
    assert_line_refused(c, "public: ", "public: A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n");
    assert_line_refused(c, "public: ", "public:  A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n");
    assert_line_refused(c, "public: ", "public: A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg= \n");
    assert_line_refused(c, "public: ", "public: \n");
    assert_line_refused(c, "secret: ", "secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=\n");
    assert_line_refused(c, "secret: ", "secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n");
    assert_line_refused(c, "secret: ", "secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==\n");
    assert_line_refused(c,
                        "secret: ", "secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gIQ==\n");
    /* A clear-length secret under an encrypted kdf line, and the reverse. */
    assert_line_refused(c, "kdf: ", cheap_enc_kdf);
    char *e = cheap_enc(-1, 0);
    assert_line_refused(e, "kdf: ", "kdf: none\n");
    /* Salt: trailing bits, length. */
    assert_line_refused(e, "kdf: ", "kdf: argon2id 1 8192 ICEiIyQlJicoKSorLC0uLx==\n");
    assert_line_refused(e, "kdf: ", "kdf: argon2id 1 8192 ICEiIyQlJicoKSorLC0u\n");
    assert_line_refused(e, "kdf: ", "kdf: argon2id 1 8192 ICEiIyQlJicoKSorLC0uLzA=\n");
    free(e);
}
END_TEST

START_TEST(test_malformed_kdf)
{
    char *e = cheap_enc(-1, 0);
    const char *salt = "ICEiIyQlJicoKSorLC0uLw==";
    /* opslimit / memlimit text that must be refused, before any Argon2id work. */
    static const char *const bad[] = {
        "21 8192",                /* opslimit > 20 */
        "0 8192",                 /* opslimit < 1 */
        "01 8192",                /* leading zero */
        "+1 8192",                /* sign */
        "1 1073741825",           /* memlimit > 1 GiB */
        "1 2147483648",           /* 2 GiB */
        "1 18446744073709551616", /* overflows 64 bits */
        "1 99999999999999999999", /* 20 digits */
        "1 8191",                 /* below Argon2id's minimum */
        "1 08192",                /* leading zero */
        "1  8192",                /* two spaces */
        "1",                      /* missing field */
        "1 8192 1",               /* extra field */
        "x 8192",
        "1 8192.0",
    };
    char line[256];

    snprintf(line, sizeof line, "kdf: argon2id 1 8192 %s\n", salt);
    char *t = replace_line(e, "kdf: ", line);
    ck_assert_int_eq(load_text(t, strlen(t), example_pass), SKL_OK);
    free(t);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(line, sizeof line, "kdf: argon2id %s %s\n", bad[i], salt);
        assert_line_refused(e, "kdf: ", line);
    }
    snprintf(line, sizeof line, "kdf: argon2i 1 8192 %s\n", salt);
    assert_line_refused(e, "kdf: ", line);
    snprintf(line, sizeof line, "kdf: scrypt 1 8192 %s\n", salt);
    assert_line_refused(e, "kdf: ", line);
    snprintf(line, sizeof line, "kdf: argon2id 1 8192  %s\n", salt);
    assert_line_refused(e, "kdf: ", line);
    free(e);
}
END_TEST

START_TEST(test_bounds_accepted)
{
    /* The largest cost is accepted by the parser: a wrong passphrase shows it got that far. */
    char *e = cheap_enc(-1, 0);
    char *t = replace_line(e, "kdf: ", "kdf: argon2id 20 8192 ICEiIyQlJicoKSorLC0uLw==\n");
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), SKL_ERR_NOTFOUND);
    write_text(path_of("k"), t, strlen(t));
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), 1);
    free(t);
    t = replace_line(e, "kdf: ", "kdf: argon2id 1 1073741824 ICEiIyQlJicoKSorLC0uLw==\n");
    unlink(path_of("k"));
    write_text(path_of("k"), t, strlen(t));
    ck_assert_int_eq(skl_key_file_is_encrypted(path_of("k")), 1);
    free(t);
    free(e);
}
END_TEST

START_TEST(test_bad_name_in_file)
{
    const char *c = example_clear;
    char line[256];

    assert_line_refused(c, "name: ", "name: \n");
    assert_line_refused(c, "name: ", "name: a+b\n");
    assert_line_refused(c, "name: ", "name: a b\n");
    assert_line_refused(c, "name: ", "name: a\tb\n");
    assert_line_refused(c, "name: ", "name: \xc0\xaf\n");
    memset(line, 0, sizeof line);
    memcpy(line, "name: ", 6);
    memset(line + 6, 'n', 129);
    line[135] = '\n';
    assert_line_refused(c, "name: ", line);
    /* 128 bytes is fine (the public key still matches: the name is not bound to it). */
    line[134] = '\n';
    line[135] = '\0';
    char *t = replace_line(c, "name: ", line);
    ck_assert_int_eq(load_text(t, strlen(t), NULL), SKL_OK);
    free(t);
}
END_TEST

/* ---------------------------------------------------------------- names and arguments */

START_TEST(test_names)
{
    static const char *const bad[] = {
        "",
        "a+b",
        "+",
        "a b",
        " a",
        "a\t",
        "a\nb",
        "a\x7f",
        "a\x01",
        "\xc0\xaf",         /* overlong '/' */
        "\xed\xa0\x80",     /* surrogate */
        "\xf4\x90\x80\x80", /* > U+10FFFF */
        "\xe4\xb8",         /* truncated */
        "\x80",             /* lone continuation */
        "a\xc2\xa0z",       /* U+00A0 no-break space */
        "a\xc2\x85z",       /* U+0085 next line */
        "a\xe3\x80\x80z",   /* U+3000 ideographic space */
        "a\xe2\x80\x8bz",   /* U+200B zero width space */
        "a\xe2\x80\xaez",   /* U+202E right-to-left override */
        "a\xef\xbb\xbfz",   /* U+FEFF */
    };
    static const char *const good[] = {
        "a",
        "PeterNeumann",
        "example.com/foo",
        "witness.example/w1",
        "北碚人社局/ledger",
        "a\xf0\x9f\x94\x91z", /* U+1F511 */
    };
    uint8_t seed[32];
    char name[SKL_KEY_NAME_MAX + 2];
    skl_key *k = (skl_key *)1;

    witness_seed(seed);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(skl_key_generate(&k, bad[i]) == SKL_ERR_INVAL, "accepted name %zu", i);
        ck_assert_ptr_null(k);
        k = (skl_key *)1;
        ck_assert_int_eq(skl_key_from_seed(&k, seed, bad[i]), SKL_ERR_INVAL);
        ck_assert_ptr_null(k);
        ck_assert_int_eq(skl_key_name_ok(bad[i], strlen(bad[i])), 0);
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ck_assert_int_eq(skl_key_from_seed(&k, seed, good[i]), SKL_OK);
        ck_assert_str_eq(skl_key_name(k), good[i]);
        skl_key_free(k);
    }
    memset(name, 'n', sizeof name);
    name[SKL_KEY_NAME_MAX + 1] = '\0'; /* 129 bytes */
    ck_assert_int_eq(skl_key_generate(&k, name), SKL_ERR_INVAL);
    name[SKL_KEY_NAME_MAX] = '\0'; /* 128 bytes */
    ck_assert_int_eq(skl_key_generate(&k, name), SKL_OK);
    ck_assert_str_eq(skl_key_name(k), name);
    skl_key_free(k);
    /* A multi-byte character may not straddle the limit: 127 'n' + 2-byte char = 129. */
    memcpy(name + 127, "\xc3\xa9", 3);
    ck_assert_int_eq(skl_key_generate(&k, name), SKL_ERR_INVAL);
}
END_TEST

START_TEST(test_arguments)
{
    uint8_t seed[32] = {0};
    skl_key *k = NULL;

    skl_key_free(NULL);
    ck_assert_int_eq(skl_key_generate(NULL, "a"), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_generate(&k, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_from_seed(&k, NULL, "a"), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_from_seed(NULL, seed, "a"), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_load(NULL, path_of("k"), NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_load(&k, NULL, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_file_is_encrypted(NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_save(NULL, path_of("k"), NULL), SKL_ERR_INVAL);

    ck_assert_int_eq(skl_key_from_seed(&k, seed, "a"), SKL_OK);
    ck_assert_int_eq(skl_key_save(k, NULL, NULL), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", 0, T_MEM), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", 21, T_MEM), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", 1, 8191), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), "pw", 1, ((size_t)1 << 30) + 1),
                     SKL_ERR_INVAL);
    ck_assert_int_eq(access(path_of("k"), F_OK), -1);
    /* Without a passphrase the cost does not matter. */
    ck_assert_int_eq(skl_key_save_params(k, path_of("k"), NULL, 0, 0), SKL_OK);
    skl_key_free(k);
}
END_TEST

Suite *key_suite(void);

Suite *
key_suite(void)
{
    Suite *s = suite_create("key");
    TCase *tc = tcase_create("known");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_from_seed_known);
    tcase_add_test(tc, test_signed_note_vectors);
    tcase_add_test(tc, test_clear_file_exact);
    tcase_add_test(tc, test_spec_example_encrypted);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_roundtrip_clear);
    tcase_add_test(tc, test_roundtrip_encrypted);
    tcase_add_test(tc, test_default_cost);
    tcase_add_test(tc, test_salt_and_nonce_fresh);
    tcase_add_test(tc, test_no_overwrite);
    tcase_add_test(tc, test_save_symlink);
    tcase_add_test(tc, test_load_symlink);
    tcase_add_test(tc, test_load_not_regular);
    suite_add_tcase(s, tc);

    tc = tcase_create("refusals");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_passphrase_errors);
    tcase_add_test(tc, test_tampered_ciphertext);
    tcase_add_test(tc, test_public_mismatch);
    tcase_add_test(tc, test_malformed_structure);
    tcase_add_test(tc, test_malformed_base64);
    tcase_add_test(tc, test_malformed_kdf);
    tcase_add_test(tc, test_bounds_accepted);
    tcase_add_test(tc, test_bad_name_in_file);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_arguments);
    suite_add_tcase(s, tc);
    return s;
}
