/* note.c - C2SP signed notes: keys, Ed25519 and cosignature/v1 lines, strict parsing. */
#include "skl/note.h"
#include "utf8_int.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "codec_int.h"
#include "sha256_int.h"

#define EM_DASH_SP "\xe2\x80\x94 " /* U+2014 EM DASH, then a space */
#define EM_DASH_SP_LEN 4
#define COSIG_HEADER "cosignature/v1\ntime "
#define SKEY_PREFIX "PRIVATE+KEY+"
#define KEY_B64_LEN 44 /* base64 of type || 32-byte key */

typedef struct note_sig {
    const char *name; /* NUL-terminated, in the note's arena */
    uint32_t key_id;
    const uint8_t *sig; /* bytes after the key ID, which the arena keeps just before */
    size_t siglen;
} note_sig;

struct skl_note {
    const char *text; /* NUL-terminated copy, in mem */
    size_t text_len;
    size_t nsigs;
    note_sig sigs[SKL_NOTE_MAX_SIGS];
    char mem[]; /* text, then names, then decoded signatures */
};

/* ==== text rules ======================================================================= */



/* Unicode White_Space (what Go's unicode.IsSpace accepts, which the reference uses). */
static int
is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0d) || cp == 0x20 || cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f ||
           cp == 0x205f || cp == 0x3000;
}

/* Key names: non-empty UTF-8 with no '+', no Unicode space and no control character. */
static int
name_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (n == 0)
        return 0;
    while (i < n) {
        uint32_t cp;
        size_t k = skl_utf8_decode(p + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || cp == '+' || is_space(cp))
            return 0;
        i += k;
    }
    return 1;
}

/* A NUL-terminated name we may sign or verify with. */
static int
cname_ok(const char *name)
{
    if (name == NULL)
        return 0;
    size_t n = strnlen(name, SKL_NOTE_NAME_MAX + 1);
    return n <= SKL_NOTE_NAME_MAX && name_ok(name, n);
}

static int
type_ok(uint8_t type)
{
    return type == SKL_NOTE_KEY_ED25519 || type == SKL_NOTE_KEY_COSIGNATURE;
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const uint8_t *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ==== keys ============================================================================= */

uint32_t
skl_note_key_id(const char *name, uint8_t type, const uint8_t pub[32])
{
    skl_sha256_ctx c;
    uint8_t h[SKL_SHA256_LEN];
    skl_sha256_init(&c);
    skl_sha256_update(&c, name, strlen(name));
    skl_sha256_update(&c, "\n", 1);
    skl_sha256_update(&c, &type, 1);
    skl_sha256_update(&c, pub, 32);
    skl_sha256_final(&c, h);
    return be32(h);
}

skl_note_verifier
skl_note_verifier_for(const skl_note_verifier *v, uint8_t type)
{
    skl_note_verifier out = *v;
    out.type = type;
    out.key_id = skl_note_key_id(out.name, type, out.pub);
    return out;
}

skl_err
skl_note_vkey_format(char **out, const char *name, uint8_t type, const uint8_t pub[32])
{
    skl_buf b = SKL_BUF_INIT;
    uint8_t key[33];

    if (out == NULL || pub == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (!cname_ok(name) || !type_ok(type))
        return SKL_ERR_INVAL;
    key[0] = type;
    memcpy(key + 1, pub, 32);
    skl_buf_puts(&b, name);
    skl_buf_printf(&b, "+%08" PRIx32 "+", skl_note_key_id(name, type, pub));
    skl_buf_base64(&b, key, sizeof key);
    if (!skl_buf_ok(&b)) {
        skl_buf_free(&b);
        return SKL_ERR_NOMEM;
    }
    *out = skl_buf_take(&b, NULL);
    return *out ? SKL_OK : SKL_ERR_NOMEM;
}

/* Splits "<name>+<8 lowercase hex>+<base64 of 33 bytes>" (the shape of vkeys and of skeys
 * after their prefix). key receives type || key material; the caller checks type and ID. */
static skl_err
split_key(const char *s, char name[SKL_NOTE_NAME_MAX + 1], uint32_t *id, uint8_t key[33])
{
    const char *plus = strchr(s, '+');
    size_t nlen, klen, got;
    uint32_t v = 0;

    if (plus == NULL)
        return SKL_ERR_PARSE;
    nlen = (size_t)(plus - s);
    if (nlen > SKL_NOTE_NAME_MAX)
        return SKL_ERR_LIMIT;
    if (!name_ok(s, nlen))
        return SKL_ERR_PARSE;
    const char *h = plus + 1;
    for (int i = 0; i < 8; i++) {
        char c = h[i];
        if (c >= '0' && c <= '9')
            v = v << 4 | (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v << 4 | (uint32_t)(c - 'a' + 10);
        else
            return SKL_ERR_PARSE;
    }
    if (h[8] != '+')
        return SKL_ERR_PARSE;
    const char *k = h + 9;
    klen = strlen(k);
    if (klen != KEY_B64_LEN || skl_base64_decode(key, 33, &got, k, klen) != 0 || got != 33)
        return SKL_ERR_PARSE;
    memcpy(name, s, nlen);
    name[nlen] = '\0';
    *id = v;
    return SKL_OK;
}

skl_err
skl_note_vkey_parse(skl_note_verifier *v, const char *vkey)
{
    skl_err rc;
    uint8_t key[33];

    if (v == NULL)
        return SKL_ERR_INVAL;
    memset(v, 0, sizeof *v);
    if (vkey == NULL)
        return SKL_ERR_INVAL;
    rc = split_key(vkey, v->name, &v->key_id, key);
    if (rc != SKL_OK)
        goto out;
    if (!type_ok(key[0]) || skl_note_key_id(v->name, key[0], key + 1) != v->key_id) {
        rc = SKL_ERR_KEY;
        goto out;
    }
    v->type = key[0];
    memcpy(v->pub, key + 1, 32);
out:
    if (rc != SKL_OK)
        memset(v, 0, sizeof *v);
    return rc;
}

skl_err
skl_note_skey_parse(char name[SKL_NOTE_NAME_MAX + 1], uint8_t *type, uint8_t sk[64],
                    const char *skey)
{
    skl_err rc;
    uint8_t key[33], pk[32];
    uint32_t id = 0;

    if (name == NULL || type == NULL || sk == NULL)
        return SKL_ERR_INVAL;
    memset(name, 0, SKL_NOTE_NAME_MAX + 1);
    *type = 0;
    sodium_memzero(sk, 64);
    if (skey == NULL)
        return SKL_ERR_INVAL;
    if (strncmp(skey, SKEY_PREFIX, strlen(SKEY_PREFIX)) != 0)
        return SKL_ERR_PARSE;
    rc = split_key(skey + strlen(SKEY_PREFIX), name, &id, key);
    if (rc != SKL_OK)
        goto out;
    if (!type_ok(key[0])) {
        rc = SKL_ERR_KEY;
        goto out;
    }
    if (crypto_sign_seed_keypair(pk, sk, key + 1) != 0) {
        rc = SKL_ERR_CRYPTO;
        goto out;
    }
    if (skl_note_key_id(name, key[0], pk) != id) {
        rc = SKL_ERR_KEY;
        goto out;
    }
    *type = key[0];
out:
    sodium_memzero(key, sizeof key);
    if (rc != SKL_OK) {
        memset(name, 0, SKL_NOTE_NAME_MAX + 1);
        sodium_memzero(sk, 64);
    }
    return rc;
}

/* ==== parsing ========================================================================== */

skl_err
skl_note_parse(skl_note **out, const char *s, size_t len)
{
    skl_note *n = NULL;
    skl_err rc = SKL_ERR_PARSE;
    size_t split = 0, start, p;
    int found = 0;

    if (out == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (s == NULL && len != 0)
        return SKL_ERR_INVAL;
    if (len > SKL_NOTE_MAX_LEN)
        return SKL_ERR_LIMIT;
    if (!skl_utf8_note_text_ok(s, len))
        return SKL_ERR_PARSE;
    /* The text ends at the last blank line: signature lines are never empty. */
    for (size_t i = len; i >= 2; i--) {
        if (s[i - 1] == '\n' && s[i - 2] == '\n') {
            split = i - 2;
            found = 1;
            break;
        }
    }
    if (!found)
        return SKL_ERR_PARSE;
    start = split + 2;
    if (start == len || s[len - 1] != '\n')
        return SKL_ERR_PARSE;

    /* Arena: text + NUL; each name + NUL fits in its line; decoded base64 is shorter. */
    size_t sigarea = len - start;
    n = calloc(1, sizeof *n + (split + 2) + 2 * sigarea);
    if (n == NULL)
        return SKL_ERR_NOMEM;
    memcpy(n->mem, s, split + 1);
    n->text = n->mem;
    n->text_len = split + 1;
    char *names = n->mem + split + 2;
    uint8_t *raw = (uint8_t *)names + sigarea;
    size_t raw_used = 0;

    for (p = start; p < len;) {
        const char *line = s + p;
        const char *end = memchr(line, '\n', len - p);
        size_t llen = (size_t)(end - line);
        p += llen + 1;
        if (n->nsigs == SKL_NOTE_MAX_SIGS) {
            rc = SKL_ERR_LIMIT;
            goto out;
        }
        if (llen < EM_DASH_SP_LEN || memcmp(line, EM_DASH_SP, EM_DASH_SP_LEN) != 0)
            goto out;
        const char *name = line + EM_DASH_SP_LEN;
        const char *sp = memchr(name, ' ', (size_t)(end - name));
        if (sp == NULL || !name_ok(name, (size_t)(sp - name)))
            goto out;
        size_t nlen = (size_t)(sp - name), b64len = (size_t)(end - sp - 1), got;
        if (b64len == 0 ||
            skl_base64_decode(raw + raw_used, sigarea - raw_used, &got, sp + 1, b64len) != 0 ||
            got < 5)
            goto out;
        memcpy(names, name, nlen);
        names[nlen] = '\0';
        note_sig *g = &n->sigs[n->nsigs];
        g->name = names;
        g->key_id = be32(raw + raw_used);
        g->sig = raw + raw_used + 4;
        g->siglen = got - 4;
        names += nlen + 1;
        raw_used += got;
        /* Two lines from one key would make verification ambiguous. */
        for (size_t j = 0; j < n->nsigs; j++) {
            if (n->sigs[j].key_id == g->key_id && strcmp(n->sigs[j].name, g->name) == 0)
                goto out;
        }
        n->nsigs++;
    }
    rc = SKL_OK;
    *out = n;
    n = NULL;
out:
    skl_note_free(n);
    return rc;
}

const char *
skl_note_text(const skl_note *n, size_t *len)
{
    if (len)
        *len = n ? n->text_len : 0;
    return n ? n->text : NULL;
}

size_t
skl_note_sig_count(const skl_note *n)
{
    return n ? n->nsigs : 0;
}

skl_err
skl_note_sig(const skl_note *n, size_t i, const char **name, uint32_t *key_id, const uint8_t **sig,
             size_t *siglen)
{
    if (n == NULL)
        return SKL_ERR_INVAL;
    if (i >= n->nsigs)
        return SKL_ERR_NOTFOUND;
    if (name)
        *name = n->sigs[i].name;
    if (key_id)
        *key_id = n->sigs[i].key_id;
    if (sig)
        *sig = n->sigs[i].sig;
    if (siglen)
        *siglen = n->sigs[i].siglen;
    return SKL_OK;
}

void
skl_note_free(skl_note *n)
{
    free(n);
}

/* ==== signing ========================================================================== */

/* "cosignature/v1\ntime <t>\n" || text: what a type 0x04 line signs. */
static skl_err
cosig_message(skl_buf *b, uint64_t t, const char *text, size_t text_len)
{
    skl_buf_puts(b, COSIG_HEADER);
    skl_buf_printf(b, "%" PRIu64 "\n", t);
    skl_buf_append(b, text, text_len);
    return skl_buf_ok(b) ? SKL_OK : SKL_ERR_NOMEM;
}

/* Writes text, the blank line, n's signature lines except one by (name, key_id), and the
 * new line "— name base64(key_id || sig)". n may be NULL (a bare text). */
static skl_err
emit(char **out, size_t *outlen, const char *text, size_t text_len, const skl_note *n,
     const char *name, uint32_t key_id, const uint8_t *sig, size_t siglen)
{
    skl_buf b = SKL_BUF_INIT;
    uint8_t blob[4 + SKL_NOTE_COSIGNATURE_SIGLEN];
    size_t nlines = 1;
    skl_err rc = SKL_ERR_NOMEM;

    skl_buf_append(&b, text, text_len);
    skl_buf_putc(&b, '\n');
    for (size_t i = 0; n && i < n->nsigs; i++) {
        const note_sig *g = &n->sigs[i];
        if (g->key_id == key_id && strcmp(g->name, name) == 0)
            continue;
        skl_buf_puts(&b, EM_DASH_SP);
        skl_buf_puts(&b, g->name);
        skl_buf_putc(&b, ' ');
        /* The arena keeps the key ID just before the signature bytes, and decoding was
         * canonical, so re-encoding gives back the line's own characters. */
        skl_buf_base64(&b, g->sig - 4, 4 + g->siglen);
        skl_buf_putc(&b, '\n');
        nlines++;
    }
    put_be32(blob, key_id);
    memcpy(blob + 4, sig, siglen);
    skl_buf_puts(&b, EM_DASH_SP);
    skl_buf_puts(&b, name);
    skl_buf_putc(&b, ' ');
    skl_buf_base64(&b, blob, 4 + siglen);
    skl_buf_putc(&b, '\n');
    if (!skl_buf_ok(&b))
        goto out;
    if (nlines > SKL_NOTE_MAX_SIGS || b.len > SKL_NOTE_MAX_LEN) {
        rc = SKL_ERR_LIMIT;
        goto out;
    }
    *out = skl_buf_take(&b, outlen);
    rc = *out ? SKL_OK : SKL_ERR_NOMEM;
out:
    skl_buf_free(&b);
    return rc;
}

skl_err
skl_note_sign(char **out, size_t *outlen, const char *in, size_t len, const char *name,
              const uint8_t sk[64])
{
    skl_note *n = NULL;
    const char *text = in;
    size_t text_len = len;
    uint8_t sig[SKL_NOTE_ED25519_SIGLEN];
    skl_err rc;

    if (out == NULL || (in == NULL && len != 0) || sk == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!cname_ok(name))
        return SKL_ERR_INVAL;
    rc = skl_note_parse(&n, in, len);
    if (rc == SKL_OK) {
        text = n->text;
        text_len = n->text_len;
    } else if (rc == SKL_ERR_PARSE) {
        if (len == 0 || in[len - 1] != '\n' || !skl_utf8_note_text_ok(in, len))
            goto out;
    } else {
        goto out;
    }
    if (crypto_sign_detached(sig, NULL, (const unsigned char *)text, text_len, sk) != 0) {
        rc = SKL_ERR_CRYPTO;
        goto out;
    }
    rc = emit(out, outlen, text, text_len, n, name,
              skl_note_key_id(name, SKL_NOTE_KEY_ED25519, sk + 32), sig, sizeof sig);
out:
    skl_note_free(n);
    return rc;
}

skl_err
skl_note_cosign(char **out, size_t *outlen, const char *signed_note, size_t len, const char *name,
                const uint8_t sk[64], uint64_t timestamp)
{
    skl_note *n = NULL;
    skl_checkpoint *cp = NULL;
    skl_buf msg = SKL_BUF_INIT;
    uint8_t sig[SKL_NOTE_COSIGNATURE_SIGLEN];
    skl_err rc;

    if (out == NULL || (signed_note == NULL && len != 0) || sk == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (outlen)
        *outlen = 0;
    if (!cname_ok(name) || timestamp > (uint64_t)INT64_MAX)
        return SKL_ERR_INVAL;
    rc = skl_note_parse(&n, signed_note, len);
    if (rc != SKL_OK)
        goto out;
    /* A cosignature speaks about a tree head: refuse anything that is not one. */
    cp = malloc(sizeof *cp);
    if (cp == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    if (skl_checkpoint_parse(cp, n->text, n->text_len) != SKL_OK) {
        rc = SKL_ERR_PARSE;
        goto out;
    }
    rc = cosig_message(&msg, timestamp, n->text, n->text_len);
    if (rc != SKL_OK)
        goto out;
    for (int i = 0; i < 8; i++)
        sig[i] = (uint8_t)(timestamp >> (56 - 8 * i));
    if (crypto_sign_detached(sig + 8, NULL, (const unsigned char *)msg.data, msg.len, sk) != 0) {
        rc = SKL_ERR_CRYPTO;
        goto out;
    }
    rc = emit(out, outlen, n->text, n->text_len, n, name,
              skl_note_key_id(name, SKL_NOTE_KEY_COSIGNATURE, sk + 32), sig, sizeof sig);
out:
    skl_buf_free(&msg);
    free(cp);
    skl_note_free(n);
    return rc;
}

/* ==== verifying ======================================================================== */

skl_err
skl_note_verify(const skl_note *n, const skl_note_verifier *v, uint64_t *timestamp)
{
    const note_sig *g = NULL;
    skl_buf msg = SKL_BUF_INIT;
    skl_err rc;

    if (timestamp)
        *timestamp = 0;
    if (n == NULL || v == NULL || memchr(v->name, '\0', sizeof v->name) == NULL)
        return SKL_ERR_INVAL;
    if (!type_ok(v->type) || skl_note_key_id(v->name, v->type, v->pub) != v->key_id)
        return SKL_ERR_KEY;
    for (size_t i = 0; i < n->nsigs && g == NULL; i++) {
        if (n->sigs[i].key_id == v->key_id && strcmp(n->sigs[i].name, v->name) == 0)
            g = &n->sigs[i];
    }
    if (g == NULL)
        return SKL_ERR_NOTFOUND;

    rc = SKL_ERR_VERIFY;
    if (v->type == SKL_NOTE_KEY_ED25519) {
        if (g->siglen != SKL_NOTE_ED25519_SIGLEN ||
            crypto_sign_verify_detached(g->sig, (const unsigned char *)n->text, n->text_len,
                                        v->pub) != 0)
            goto out;
    } else {
        if (g->siglen != SKL_NOTE_COSIGNATURE_SIGLEN)
            goto out;
        uint64_t t = be64(g->sig);
        if (t > (uint64_t)INT64_MAX)
            goto out;
        if (cosig_message(&msg, t, n->text, n->text_len) != SKL_OK) {
            rc = SKL_ERR_NOMEM;
            goto out;
        }
        if (crypto_sign_verify_detached(g->sig + 8, (const unsigned char *)msg.data, msg.len,
                                        v->pub) != 0)
            goto out;
        if (timestamp)
            *timestamp = t;
    }
    rc = SKL_OK;
out:
    skl_buf_free(&msg);
    return rc;
}
