/* key.c - Ed25519 key pairs and their secret key files (format: spec/keys.md). */
#include "skl/key.h"
#include "file_int.h"
#include "key_int.h"
#include "vc_int.h"
#include "text_out_int.h"
#include "utf8_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

/*
 * The whole key, secret and public parts alike, lives in one sodium_malloc() block that
 * is made read-only once built and wiped by sodium_free().
 */
struct skl_key {
    uint8_t sk[SKL_KEY_SECRET_BYTES]; /* libsodium layout: seed || public key */
    uint8_t pk[SKL_KEY_PUBLIC_BYTES];
    char name[SKL_KEY_NAME_MAX + 1];
    char did[SKL_DID_KEY_LEN + 1];   /* did:key:<multikey>, computed once */
    char vm[SKL_DID_KEY_VM_LEN + 1]; /* did:key:<multikey>#<multikey> */
};

#define KEY_HEADER "skl secret key v1"
#define B64 sodium_base64_VARIANT_ORIGINAL
#define SALT_BYTES crypto_pwhash_argon2id_SALTBYTES
#define NONCE_BYTES crypto_secretbox_NONCEBYTES
/* The encrypted secret: nonce || secretbox(seed), i.e. nonce || MAC || ciphertext. */
#define BOX_BYTES (NONCE_BYTES + crypto_secretbox_MACBYTES + SKL_KEY_SEED_BYTES)

_Static_assert(SALT_BYTES == 16, "Argon2id salt is 16 bytes");
_Static_assert(BOX_BYTES == 72, "encrypted secret is 24 + 16 + 32 bytes");
_Static_assert(crypto_secretbox_KEYBYTES == 32, "secretbox key is 32 bytes");
_Static_assert(crypto_sign_SECRETKEYBYTES == SKL_KEY_SECRET_BYTES, "Ed25519 sk size");
_Static_assert(crypto_sign_PUBLICKEYBYTES == SKL_KEY_PUBLIC_BYTES, "Ed25519 pk size");
_Static_assert(crypto_sign_SEEDBYTES == SKL_KEY_SEED_BYTES, "Ed25519 seed size");

/* Everything secret that loading touches: one guarded block, wiped by sodium_free(). */
struct load_scratch {
    char text[SKL_KEY_FILE_MAX + 1];
    uint8_t blob[BOX_BYTES]; /* the decoded "secret:" value */
    uint8_t dk[crypto_secretbox_KEYBYTES];
    uint8_t seed[SKL_KEY_SEED_BYTES];
};

/* Everything secret that saving touches. */
struct save_scratch {
    char text[SKL_KEY_FILE_MAX + 1];
    uint8_t dk[crypto_secretbox_KEYBYTES];
    uint8_t blob[BOX_BYTES];
};

/* The public facts of a parsed key file. */
typedef struct key_file {
    char name[SKL_KEY_NAME_MAX + 1];
    uint8_t pk[SKL_KEY_PUBLIC_BYTES];
    int encrypted;
    unsigned long long opslimit;
    size_t memlimit;
    uint8_t salt[SALT_BYTES];
} key_file;

static skl_err
sodium_ready(void)
{
    return sodium_init() < 0 ? SKL_ERR_CRYPTO : SKL_OK;
}

/* ---------------------------------------------------------------- names */


/*
 * A code point allowed in a key name: not a control character, not Unicode White_Space
 * (what Go's unicode.IsSpace, and so the signed-note reference code, refuses), not an
 * invisible formatting character that would make two names look alike, and not '+'.
 */
static int
name_char_ok(uint32_t c)
{
    if (c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == '+')
        return 0; /* C0, space, DEL, C1 (incl. U+0085), no-break space */
    if (c == 0xAD || c == 0x1680 || c == 0x180E || c == 0x3000 || c == 0xFEFF)
        return 0;
    if ((c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
        (c >= 0x205F && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F))
        return 0; /* spaces, zero-width and bidirectional controls */
    return 1;
}

int
skl_key_name_ok(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;

    if (name == NULL || len == 0 || len > SKL_KEY_NAME_MAX)
        return 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        if (skl_utf8_next(s, len, &i, &cp) != 0 || !name_char_ok(cp))
            return 0;
    }
    return 1;
}

/* ---------------------------------------------------------------- key objects */

/* A zeroed, writable key named name (already checked), for the caller to fill and seal. */
static skl_err
key_alloc(skl_key **out, const char *name, size_t namelen)
{
    skl_key *k = sodium_malloc(sizeof *k);
    if (k == NULL)
        return SKL_ERR_NOMEM;
    sodium_memzero(k, sizeof *k);
    memcpy(k->name, name, namelen);
    k->name[namelen] = '\0';
    *out = k;
    return SKL_OK;
}

/* A key is never written after it is built; guard it against stray writes. */
static void
key_seal(skl_key *k)
{
    /* Its did:key forms, which every credential it signs names. */
    memcpy(k->did, "did:key:", 8);
    skl_multikey_write(k->did + 8, k->pk);
    memcpy(k->vm, k->did, SKL_DID_KEY_LEN);
    k->vm[SKL_DID_KEY_LEN] = '#';
    memcpy(k->vm + SKL_DID_KEY_LEN + 1, k->did + 8, SKL_MULTIKEY_LEN + 1);
    /* If the system refuses, the key stays writable but is otherwise unchanged. */
    (void)sodium_mprotect_readonly(k);
}

static skl_err
key_make(skl_key **out, const uint8_t *seed, const char *name)
{
    skl_key *k = NULL;
    skl_err rc;

    if (out == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (name == NULL || !skl_key_name_ok(name, strlen(name)))
        return SKL_ERR_INVAL;
    if ((rc = sodium_ready()) != SKL_OK)
        return rc;
    if ((rc = key_alloc(&k, name, strlen(name))) != SKL_OK)
        return rc;
    if (seed != NULL)
        crypto_sign_seed_keypair(k->pk, k->sk, seed);
    else
        crypto_sign_keypair(k->pk, k->sk); /* wipes its random seed itself */
    key_seal(k);
    *out = k;
    return SKL_OK;
}

skl_err
skl_key_generate(skl_key **out, const char *name)
{
    return key_make(out, NULL, name);
}

skl_err
skl_key_from_seed(skl_key **out, const uint8_t seed[SKL_KEY_SEED_BYTES], const char *name)
{
    if (seed == NULL) {
        if (out != NULL)
            *out = NULL;
        return SKL_ERR_INVAL;
    }
    return key_make(out, seed, name);
}

const uint8_t *
skl_key_public(const skl_key *k)
{
    return k->pk;
}

const uint8_t *
skl_key_secret(const skl_key *k)
{
    return k->sk;
}

const char *
skl_key_name(const skl_key *k)
{
    return k->name;
}

const char *
skl_key_did(const skl_key *k)
{
    return k->did;
}

const char *
skl_key_verification_method(const skl_key *k)
{
    return k->vm;
}

void
skl_key_free(skl_key *k)
{
    sodium_free(k); /* makes it writable again, wipes it, accepts NULL */
}

/* ---------------------------------------------------------------- writing */

/* Standard base64 with padding, written straight into the (guarded) buffer. */
static void
put_b64(text_out *t, const uint8_t *bin, size_t n)
{
    size_t need = sodium_base64_ENCODED_LEN(n, B64); /* with the NUL */
    if (t->bad || t->cap - t->len < need) {
        t->bad = 1;
        return;
    }
    sodium_bin2base64(t->p + t->len, t->cap - t->len, bin, n, B64);
    t->len += need - 1;
}

/* Fills s->text with k's key file; encrypts the seed when passphrase is set. */
static skl_err
format_key_file(struct save_scratch *s, size_t *len, const skl_key *k, const char *passphrase,
                unsigned long long opslimit, size_t memlimit)
{
    text_out t = {s->text, sizeof s->text, 0, 0};

    text_put_str(&t, KEY_HEADER "\nname: ");
    text_put_str(&t, k->name);
    text_put_str(&t, "\npublic: ");
    put_b64(&t, k->pk, sizeof k->pk);
    if (passphrase != NULL) {
        uint8_t salt[SALT_BYTES];
        char num[64];

        randombytes_buf(salt, sizeof salt);
        randombytes_buf(s->blob, NONCE_BYTES);
        /* Parameters were checked by the caller, so failure means Argon2id had no memory. */
        if (crypto_pwhash(s->dk, sizeof s->dk, passphrase, strlen(passphrase), salt, opslimit,
                          memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
            return SKL_ERR_NOMEM;
        if (crypto_secretbox_easy(s->blob + NONCE_BYTES, k->sk, SKL_KEY_SEED_BYTES, s->blob,
                                  s->dk) != 0)
            return SKL_ERR_CRYPTO;
        snprintf(num, sizeof num, "%llu %zu ", opslimit, memlimit);
        text_put_str(&t, "\nkdf: argon2id ");
        text_put_str(&t, num);
        put_b64(&t, salt, sizeof salt);
        text_put_str(&t, "\nsecret: ");
        put_b64(&t, s->blob, BOX_BYTES);
    } else {
        text_put_str(&t, "\nkdf: none\nsecret: ");
        put_b64(&t, k->sk, SKL_KEY_SEED_BYTES);
    }
    text_put_str(&t, "\n");
    if (t.bad)
        return SKL_ERR_LIMIT; /* cannot happen: every field is bounded */
    *len = t.len;
    return SKL_OK;
}

/* Creates path (which must not exist, not even as a symbolic link) holding data, 0600. */
static skl_err
write_new_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0)
        return errno == EEXIST ? SKL_ERR_EXISTS : SKL_ERR_IO;
    /* The umask may only have narrowed 0600; make it exactly that. */
    if (fchmod(fd, 0600) != 0)
        goto fail;
    if (skl_write_all(fd, data, len) != 0 || fsync(fd) != 0)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    skl_sync_parent_dir(path);
    return SKL_OK;
fail:
    if (fd >= 0)
        close(fd);
    unlink(path); /* we created it: do not leave half a secret key behind */
    return SKL_ERR_IO;
}

skl_err
skl_key_save_params(const skl_key *k, const char *path, const char *passphrase,
                    unsigned long long opslimit, size_t memlimit)
{
    struct save_scratch *s = NULL;
    size_t len = 0;
    skl_err rc;

    if (k == NULL || path == NULL)
        return SKL_ERR_INVAL;
    if (passphrase != NULL && *passphrase == '\0')
        passphrase = NULL;
    if (passphrase != NULL && (opslimit < SKL_KEY_OPSLIMIT_MIN || opslimit > SKL_KEY_OPSLIMIT_MAX ||
                               memlimit < SKL_KEY_MEMLIMIT_MIN || memlimit > SKL_KEY_MEMLIMIT_MAX))
        return SKL_ERR_INVAL;
    if ((rc = sodium_ready()) != SKL_OK)
        return rc;
    if ((s = sodium_malloc(sizeof *s)) == NULL)
        return SKL_ERR_NOMEM;
    rc = format_key_file(s, &len, k, passphrase, opslimit, memlimit);
    if (rc == SKL_OK)
        rc = write_new_file(path, s->text, len);
    sodium_free(s);
    return rc;
}

skl_err
skl_key_save(const skl_key *k, const char *path, const char *passphrase)
{
    return skl_key_save_params(k, path, passphrase, SKL_KEY_OPSLIMIT_DEFAULT,
                               SKL_KEY_MEMLIMIT_DEFAULT);
}

/* ---------------------------------------------------------------- reading */

/* Reads at most SKL_KEY_FILE_MAX bytes of the regular file path, not following a link. */
static skl_err
read_key_file(const char *path, char *buf, size_t *len)
{
    /* O_NONBLOCK: opening a FIFO planted at path must not hang us. */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    struct stat st;
    size_t n = 0;
    skl_err rc = SKL_OK;

    if (fd < 0)
        return errno == ENOENT ? SKL_ERR_NOTFOUND : SKL_ERR_IO;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = SKL_ERR_IO;
        goto out;
    }
    while (n <= SKL_KEY_FILE_MAX) {
        ssize_t r = read(fd, buf + n, SKL_KEY_FILE_MAX + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = SKL_ERR_IO;
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > SKL_KEY_FILE_MAX) {
        rc = SKL_ERR_KEY;
        goto out;
    }
    *len = n;
out:
    close(fd);
    return rc;
}

/*
 * Takes the line at text[*pos..len), which must begin with prefix and end with '\n';
 * *val and *vlen are what follows the prefix, without the '\n'.
 */
static int
take_line(const char *text, size_t len, size_t *pos, const char *prefix, const char **val,
          size_t *vlen)
{
    const char *p = text + *pos;
    const char *nl = memchr(p, '\n', len - *pos);
    size_t plen = strlen(prefix);
    size_t n;

    if (nl == NULL)
        return -1;
    n = (size_t)(nl - p);
    if (n < plen || memcmp(p, prefix, plen) != 0)
        return -1;
    *val = p + plen;
    *vlen = n - plen;
    *pos += n + 1;
    return 0;
}

/* Canonical standard base64 (padding, zero trailing bits) of exactly want bytes. */
static int
b64_exact(uint8_t *out, size_t want, const char *in, size_t inlen)
{
    size_t got = 0;

    if (inlen != sodium_base64_ENCODED_LEN(want, B64) - 1)
        return -1;
    if (sodium_base642bin(out, want, in, inlen, NULL, &got, NULL, B64) != 0 || got != want)
        return -1;
    return 0;
}

/* A decimal number in [min, max] without sign or leading zeros. */
static int
parse_uint(const char *s, size_t n, unsigned long long min, unsigned long long max,
           unsigned long long *out)
{
    unsigned long long v = 0;

    if (n == 0 || n > 19 || (n > 1 && s[0] == '0'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long long)(s[i] - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* "none", or "argon2id <opslimit> <memlimit> <salt>" with bounded costs. */
static int
parse_kdf(key_file *f, const char *v, size_t n)
{
    static const char a2[] = "argon2id ";
    const char *end = v + n, *sp1, *sp2;
    unsigned long long mem;

    if (n == 4 && memcmp(v, "none", 4) == 0) {
        f->encrypted = 0;
        return 0;
    }
    if (n < sizeof a2 - 1 || memcmp(v, a2, sizeof a2 - 1) != 0)
        return -1;
    v += sizeof a2 - 1;
    if ((sp1 = memchr(v, ' ', (size_t)(end - v))) == NULL)
        return -1;
    if ((sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))) == NULL)
        return -1;
    if (parse_uint(v, (size_t)(sp1 - v), SKL_KEY_OPSLIMIT_MIN, SKL_KEY_OPSLIMIT_MAX,
                   &f->opslimit) != 0)
        return -1;
    if (parse_uint(sp1 + 1, (size_t)(sp2 - sp1 - 1), SKL_KEY_MEMLIMIT_MIN, SKL_KEY_MEMLIMIT_MAX,
                   &mem) != 0)
        return -1;
    f->memlimit = (size_t)mem;
    if (b64_exact(f->salt, sizeof f->salt, sp2 + 1, (size_t)(end - sp2 - 1)) != 0)
        return -1;
    f->encrypted = 1;
    return 0;
}

/*
 * Parses a whole key file: five lines, in order, each ending in '\n', nothing after.
 * The decoded "secret:" value (seed, or nonce || box) goes to blob.
 */
static skl_err
parse_key_file(key_file *f, uint8_t blob[BOX_BYTES], const char *text, size_t len)
{
    size_t pos = 0, vlen;
    const char *v;

    if (take_line(text, len, &pos, KEY_HEADER, &v, &vlen) != 0 || vlen != 0)
        return SKL_ERR_KEY;
    if (take_line(text, len, &pos, "name: ", &v, &vlen) != 0 || !skl_key_name_ok(v, vlen))
        return SKL_ERR_KEY;
    memcpy(f->name, v, vlen);
    f->name[vlen] = '\0';
    if (take_line(text, len, &pos, "public: ", &v, &vlen) != 0 ||
        b64_exact(f->pk, sizeof f->pk, v, vlen) != 0)
        return SKL_ERR_KEY;
    if (take_line(text, len, &pos, "kdf: ", &v, &vlen) != 0 || parse_kdf(f, v, vlen) != 0)
        return SKL_ERR_KEY;
    if (take_line(text, len, &pos, "secret: ", &v, &vlen) != 0 ||
        b64_exact(blob, f->encrypted ? BOX_BYTES : SKL_KEY_SEED_BYTES, v, vlen) != 0)
        return SKL_ERR_KEY;
    if (pos != len)
        return SKL_ERR_KEY;
    return SKL_OK;
}

/* Reads and parses path into f and s->blob. */
static skl_err
read_and_parse(key_file *f, struct load_scratch *s, const char *path)
{
    size_t len = 0;
    skl_err rc = read_key_file(path, s->text, &len);
    if (rc != SKL_OK)
        return rc;
    return parse_key_file(f, s->blob, s->text, len);
}

skl_err
skl_key_load(skl_key **out, const char *path, const char *passphrase)
{
    struct load_scratch *s = NULL;
    skl_key *k = NULL;
    key_file f;
    skl_err rc;

    if (out == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (path == NULL)
        return SKL_ERR_INVAL;
    if ((rc = sodium_ready()) != SKL_OK)
        return rc;
    if ((s = sodium_malloc(sizeof *s)) == NULL)
        return SKL_ERR_NOMEM;
    if ((rc = read_and_parse(&f, s, path)) != SKL_OK)
        goto out;
    if (f.encrypted) {
        if (passphrase == NULL || *passphrase == '\0') {
            rc = SKL_ERR_PASSPHRASE;
            goto out;
        }
        /* The costs are within bounds, so failure means Argon2id had no memory. */
        if (crypto_pwhash(s->dk, sizeof s->dk, passphrase, strlen(passphrase), f.salt, f.opslimit,
                          f.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
            rc = SKL_ERR_NOMEM;
            goto out;
        }
        if (crypto_secretbox_open_easy(s->seed, s->blob + NONCE_BYTES, BOX_BYTES - NONCE_BYTES,
                                       s->blob, s->dk) != 0) {
            rc = SKL_ERR_PASSPHRASE;
            goto out;
        }
    } else {
        memcpy(s->seed, s->blob, SKL_KEY_SEED_BYTES);
    }
    if ((rc = key_alloc(&k, f.name, strlen(f.name))) != SKL_OK)
        goto out;
    crypto_sign_seed_keypair(k->pk, k->sk, s->seed);
    key_seal(k);
    if (sodium_memcmp(k->pk, f.pk, sizeof f.pk) != 0) {
        rc = SKL_ERR_KEY;
        goto out;
    }
    *out = k;
    k = NULL;
out:
    skl_key_free(k);
    sodium_free(s);
    return rc;
}

int
skl_key_file_is_encrypted(const char *path)
{
    struct load_scratch *s = NULL;
    key_file f;
    skl_err rc;

    if (path == NULL)
        return SKL_ERR_INVAL;
    if ((rc = sodium_ready()) != SKL_OK)
        return rc;
    if ((s = sodium_malloc(sizeof *s)) == NULL)
        return SKL_ERR_NOMEM;
    rc = read_and_parse(&f, s, path);
    sodium_free(s);
    if (rc != SKL_OK)
        return rc;
    return f.encrypted ? 1 : 0;
}
