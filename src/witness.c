/* witness.c - C2SP tlog-witness add-checkpoint, both sides (the state file: witness_state.c). */
#include "skl/witness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "buf_int.h"
#include "codec_int.h"
#include "skl/merkle.h"
#include "skl/note.h"
#include "why_int.h"
#include "witness_int.h"

#define EM_DASH_SP "\xe2\x80\x94 "
#define EM_DASH_SP_LEN 4

/* ==== small helpers ==================================================================== */

/* A decimal without sign or leading zeros ("0" alone) that fits in 64 bits. */
int
skl_witness_int_parse_u64(const char *s, size_t n, uint64_t *v)
{
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (x > (UINT64_MAX - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *v = x;
    return 0;
}

/* Exactly 44 characters of canonical base64 of 32 bytes. */
int
skl_witness_int_parse_hash(const char *s, size_t n, uint8_t out[32])
{
    size_t got = 0;
    if (n != 44 || skl_base64_decode(out, 32, &got, s, n) != 0 || got != 32)
        return -1;
    return 0;
}

/* Appends "— <name> <base64(key ID || sig)>\n". */
static int
put_sigline(skl_buf *b, const char *name, uint32_t key_id, const uint8_t *sig, size_t siglen)
{
    uint8_t *raw = malloc(4 + siglen);
    if (raw == NULL)
        return -1;
    raw[0] = (uint8_t)(key_id >> 24);
    raw[1] = (uint8_t)(key_id >> 16);
    raw[2] = (uint8_t)(key_id >> 8);
    raw[3] = (uint8_t)key_id;
    memcpy(raw + 4, sig, siglen);
    skl_buf_puts(b, EM_DASH_SP);
    skl_buf_puts(b, name);
    skl_buf_putc(b, ' ');
    skl_buf_base64(b, raw, 4 + siglen);
    skl_buf_putc(b, '\n');
    free(raw);
    return skl_buf_ok(b) ? 0 : -1;
}

/* ==== log side: the request ============================================================ */

skl_err
skl_witness_request(char **out, size_t *outlen, skl_ledger *l, uint64_t old_size,
                    const char *checkpoint_note, size_t note_len)
{
    skl_note *n = NULL;
    skl_buf b = SKL_BUF_INIT;
    skl_checkpoint *cp = NULL;
    uint8_t(*proof)[32] = NULL;
    size_t count = 0;
    uint8_t root[32];
    uint64_t have;
    skl_err r;

    if (out == NULL || outlen == NULL || l == NULL || checkpoint_note == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    *outlen = 0;
    if ((cp = malloc(sizeof *cp)) == NULL ||
        (proof = malloc(SKL_MERKLE_MAX_PROOF * sizeof *proof)) == NULL) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    if ((r = skl_note_parse(&n, checkpoint_note, note_len)) != SKL_OK)
        goto out;
    size_t tlen;
    const char *text = skl_note_text(n, &tlen);
    if ((r = skl_checkpoint_parse(cp, text, tlen)) != SKL_OK)
        goto out;
    if (old_size > cp->size) {
        r = SKL_ERR_INVAL;
        goto out;
    }
    /* Only ever send a checkpoint of this ledger: the witness would refuse anything else,
     * and a proof from this ledger says nothing about another tree. */
    if (strcmp(cp->origin, skl_ledger_origin(l)) != 0) {
        r = SKL_ERR_STATE;
        goto out;
    }
    if ((r = skl_ledger_size(l, &have)) != SKL_OK)
        goto out;
    if (cp->size > have) {
        r = SKL_ERR_STATE;
        goto out;
    }
    if ((r = skl_ledger_root(l, cp->size, root)) != SKL_OK)
        goto out;
    if (sodium_memcmp(root, cp->root, 32) != 0) {
        r = SKL_ERR_STATE;
        goto out;
    }
    if (old_size > 0 && old_size < cp->size &&
        (r = skl_ledger_consistency_proof(l, old_size, cp->size, proof, &count)) != SKL_OK)
        goto out;
    if (count > SKL_WITNESS_MAX_PROOF) {
        r = SKL_ERR_LIMIT;
        goto out;
    }
    skl_buf_printf(&b, "old %llu\n", (unsigned long long)old_size);
    for (size_t i = 0; i < count; i++) {
        skl_buf_base64(&b, proof[i], 32);
        skl_buf_putc(&b, '\n');
    }
    skl_buf_putc(&b, '\n');
    skl_buf_append(&b, checkpoint_note, note_len);
    if (!skl_buf_ok(&b)) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    *out = skl_buf_take(&b, outlen);
    r = SKL_OK;
out:
    skl_buf_free(&b);
    skl_note_free(n);
    free(cp);
    free(proof);
    return r;
}

/* ==== witness side: the request ======================================================== */

/* Splits an add-checkpoint request into its old size, proof hashes and note. Every byte of
 * the first part is checked here; the note is left to skl_note_parse(). */
static skl_err
parse_request(const char *req, size_t len, uint64_t *old, uint8_t (*proof)[32], size_t *count,
              const char **note, size_t *note_len, char *why, size_t whylen)
{
    const char *p = req, *end = req + len;
    const char *nl;

    *count = 0;
    if (len > SKL_WITNESS_REQUEST_MAX) {
        skl_why(why, whylen, "bad request (400): the request is longer than %d bytes",
                SKL_WITNESS_REQUEST_MAX);
        return SKL_ERR_PARSE;
    }
    if (len < 4 || memcmp(p, "old ", 4) != 0) {
        skl_why(why, whylen, "bad request (400): the request does not start with \"old \"");
        return SKL_ERR_PARSE;
    }
    p += 4;
    if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
        skl_witness_int_parse_u64(p, (size_t)(nl - p), old)) {
        skl_why(why, whylen, "bad request (400): the old size line is not \"old <decimal>\"");
        return SKL_ERR_PARSE;
    }
    p = nl + 1;
    for (;;) {
        if (p == end) {
            skl_why(why, whylen, "bad request (400): the request ends before the checkpoint");
            return SKL_ERR_PARSE;
        }
        if (*p == '\n')
            break;
        if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
            skl_why(why, whylen, "bad request (400): proof line %zu has no newline", *count + 1);
            return SKL_ERR_PARSE;
        }
        if (*count == SKL_WITNESS_MAX_PROOF) {
            skl_why(why, whylen, "bad request (400): more than %d consistency proof lines",
                    SKL_WITNESS_MAX_PROOF);
            return SKL_ERR_PARSE;
        }
        if (skl_witness_int_parse_hash(p, (size_t)(nl - p), proof[*count]) != 0) {
            skl_why(why, whylen, "bad request (400): proof line %zu is not a base64 SHA-256 hash",
                    *count + 1);
            return SKL_ERR_PARSE;
        }
        (*count)++;
        p = nl + 1;
    }
    p++; /* the empty line */
    if (p == end) {
        skl_why(why, whylen, "bad request (400): no checkpoint after the empty line");
        return SKL_ERR_PARSE;
    }
    *note = p;
    *note_len = (size_t)(end - p);
    return SKL_OK;
}

/* ==== witness side: cosigning ========================================================== */

int
skl_witness_http_status(skl_err r)
{
    switch (r) {
    case SKL_OK: return 200;
    case SKL_ERR_PARSE: return 400;
    case SKL_ERR_KEY: return 403;
    case SKL_ERR_NOTFOUND: return 404;
    case SKL_ERR_STATE: return 409;
    case SKL_ERR_VERIFY: return 422;
    default: return 500;
    }
}

skl_err
skl_witness_cosign(char **response, size_t *resplen, const char *state_path,
                   const skl_key *witness_key, const char *log_vkey, const char *request,
                   size_t reqlen, int64_t now, char *why, size_t whylen)
{
    skl_note_verifier lv;
    skl_checkpoint *cp = NULL;
    uint8_t(*proof)[32] = NULL;
    skl_note *n = NULL;
    wstate st = {NULL, 0};
    char *cos = NULL;
    size_t count = 0, note_len = 0, coslen = 0, tlen;
    const char *note = NULL, *text;
    uint64_t old = 0;
    int lockfd = -1;
    skl_err r;

    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (response == NULL || resplen == NULL || state_path == NULL || witness_key == NULL ||
        log_vkey == NULL || request == NULL || now < 0) {
        skl_why(why, whylen, "invalid argument");
        return SKL_ERR_INVAL;
    }
    *response = NULL;
    *resplen = 0;
    if (skl_note_vkey_parse(&lv, log_vkey) != SKL_OK || lv.type != SKL_NOTE_KEY_ED25519) {
        skl_why(why, whylen, "the log's vkey is not a valid Ed25519 (type 0x01) verifier key");
        return SKL_ERR_INVAL;
    }
    if ((cp = malloc(sizeof *cp)) == NULL ||
        (proof = malloc(SKL_WITNESS_MAX_PROOF * sizeof *proof)) == NULL) {
        r = SKL_ERR_NOMEM;
        goto out;
    }

    /* 400: the request's shape. */
    if ((r = parse_request(request, reqlen, &old, proof, &count, &note, &note_len, why, whylen)) !=
        SKL_OK)
        goto out;
    if ((r = skl_note_parse(&n, note, note_len)) != SKL_OK) {
        if (r == SKL_ERR_NOMEM)
            goto out;
        skl_why(why, whylen, "bad request (400): the checkpoint is not a signed note (%s)",
                skl_strerror(r));
        r = SKL_ERR_PARSE;
        goto out;
    }
    text = skl_note_text(n, &tlen);
    if ((r = skl_checkpoint_parse(cp, text, tlen)) != SKL_OK) {
        skl_why(why, whylen, "bad request (400): the note is not a checkpoint (%s)",
                skl_strerror(r));
        r = SKL_ERR_PARSE;
        goto out;
    }
    /* 404, 403: the origin and the log's signature. */
    if (strcmp(cp->origin, lv.name) != 0) {
        skl_why(why, whylen, "not found (404): the witness knows no log with origin \"%s\"",
                cp->origin);
        r = SKL_ERR_NOTFOUND;
        goto out;
    }
    r = skl_note_verify(n, &lv, NULL);
    if (r == SKL_ERR_NOTFOUND || r == SKL_ERR_VERIFY) {
        skl_why(why, whylen, "forbidden (403): %s",
                r == SKL_ERR_NOTFOUND ? "the checkpoint has no signature by the log's key"
                                      : "the log's signature does not verify");
        r = SKL_ERR_KEY;
        goto out;
    }
    if (r != SKL_OK)
        goto out;
    /* 403: a checkpoint the log dated ahead of this witness's clock. */
    skl_note_verifier dating = skl_note_verifier_for(&lv, SKL_NOTE_KEY_COSIGNATURE);
    uint64_t dated = 0;
    if (skl_note_verify(n, &dating, &dated) == SKL_OK && dated > (uint64_t)now &&
        dated - (uint64_t)now > SKL_WITNESS_MAX_SKEW) {
        skl_why(why, whylen,
                "forbidden (403): the log dated the checkpoint %llu s ahead of this witness's "
                "clock",
                (unsigned long long)(dated - (uint64_t)now));
        r = SKL_ERR_KEY;
        goto out;
    }
    /* 400: sizes and proof lines that cannot go together. */
    if (old > cp->size) {
        skl_why(why, whylen, "bad request (400): old size %llu is above the checkpoint size %llu",
                (unsigned long long)old, (unsigned long long)cp->size);
        r = SKL_ERR_PARSE;
        goto out;
    }
    if (old == 0 && count > 0) {
        skl_why(why, whylen, "bad request (400): old size 0 takes no consistency proof lines");
        r = SKL_ERR_PARSE;
        goto out;
    }

    /* From here on the state is read, checked against and replaced as one step. */
    if ((lockfd = skl_witness_int_lock_state(state_path, why, whylen)) < 0) {
        r = SKL_ERR_IO;
        goto out;
    }
    if ((r = skl_witness_int_state_load(&st, state_path, witness_key, why, whylen)) != SKL_OK)
        goto out;
    const wlog *e = NULL;
    for (size_t i = 0; i < st.n; i++)
        if (strcmp(st.logs[i].origin, cp->origin) == 0)
            e = &st.logs[i];
    if (e != NULL && strcmp(e->vkey, log_vkey) != 0) {
        skl_why(why, whylen,
                "forbidden (403): the witness follows \"%s\" under another log key, %s", cp->origin,
                e->vkey);
        r = SKL_ERR_KEY;
        goto out;
    }
    uint64_t held = e ? e->size : 0;
    /* 409: the old size must be the witness's; a smaller checkpoint is a rollback. */
    if (old != held) {
        if (cp->size < held)
            skl_why(why, whylen,
                    "conflict (409): the witness has size %llu: rollback to size %llu refused",
                    (unsigned long long)held, (unsigned long long)cp->size);
        else
            skl_why(why, whylen,
                    "conflict (409): the witness has size %llu, the request says old %llu",
                    (unsigned long long)held, (unsigned long long)old);
        char body[24];
        int bl = snprintf(body, sizeof body, "%llu\n", (unsigned long long)held);
        if ((*response = malloc((size_t)bl + 1)) == NULL) {
            r = SKL_ERR_NOMEM;
            goto out;
        }
        memcpy(*response, body, (size_t)bl + 1);
        *resplen = (size_t)bl;
        r = SKL_ERR_STATE;
        goto out;
    }
    int changed = 1;
    if (e != NULL && cp->size == e->size) {
        if (sodium_memcmp(cp->root, e->root, 32) != 0) {
            skl_why(why, whylen,
                    "conflict (409): a fork: size %llu with another root than the one cosigned",
                    (unsigned long long)cp->size);
            r = SKL_ERR_STATE;
            goto out;
        }
        if (count > 0) {
            skl_why(why, whylen,
                    "unprocessable (422): the sizes are equal, so the proof must be empty");
            r = SKL_ERR_VERIFY;
            goto out;
        }
        changed = 0;
    } else if (e != NULL && e->size > 0 &&
               skl_merkle_verify_consistency(e->size, cp->size, e->root, cp->root,
                                             (const uint8_t(*)[32])proof, count) != SKL_OK) {
        skl_why(why, whylen,
                "unprocessable (422): the consistency proof from size %llu to %llu does not verify",
                (unsigned long long)e->size, (unsigned long long)cp->size);
        r = SKL_ERR_VERIFY;
        goto out;
    }

    /* Cosign, then persist, then answer. */
    r = skl_note_cosign(&cos, &coslen, note, note_len, skl_key_name(witness_key),
                        skl_key_secret(witness_key), (uint64_t)now);
    if (r != SKL_OK) {
        if (r == SKL_ERR_LIMIT || r == SKL_ERR_PARSE) {
            skl_why(why, whylen, "bad request (400): the note cannot take a cosignature (%s)",
                    skl_strerror(r));
            r = SKL_ERR_PARSE;
        } else {
            skl_why(why, whylen, "cannot cosign: %s", skl_strerror(r));
        }
        goto out;
    }
    if (changed) {
        wlog w;
        memset(&w, 0, sizeof w);
        memcpy(w.origin, cp->origin, sizeof w.origin);
        w.size = cp->size;
        memcpy(w.root, cp->root, 32);
        snprintf(w.vkey, sizeof w.vkey, "%s", log_vkey);
        if ((r = skl_witness_int_state_put(&st, &w)) != SKL_OK)
            goto out;
        if ((r = skl_witness_int_state_save(&st, state_path, witness_key, why, whylen)) != SKL_OK)
            goto out;
    }
    /* skl_note_cosign puts the new line last. */
    size_t start = coslen - 1;
    while (start > 0 && cos[start - 1] != '\n')
        start--;
    if ((*response = malloc(coslen - start + 1)) == NULL) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    memcpy(*response, cos + start, coslen - start);
    (*response)[coslen - start] = '\0';
    *resplen = coslen - start;
    r = SKL_OK;
out:
    if (r == SKL_ERR_NOMEM)
        skl_why(why, whylen, "out of memory");
    if (lockfd >= 0)
        close(lockfd);
    skl_witness_int_state_free(&st);
    skl_note_free(n);
    free(cos);
    free(cp);
    free(proof);
    return r;
}

/* ==== log side: keeping the cosignature =============================================== */

skl_err
skl_witness_add_cosignature(char **out, size_t *outlen, const char *note, size_t len,
                            const char *response, size_t resplen)
{
    skl_note *n = NULL, *rn = NULL, *check = NULL;
    skl_buf cand = SKL_BUF_INIT, b = SKL_BUF_INIT;
    skl_err r;

    if (out == NULL || outlen == NULL || note == NULL || response == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    *outlen = 0;
    if ((r = skl_note_parse(&n, note, len)) != SKL_OK)
        goto out;
    size_t tlen, rtlen;
    const char *text = skl_note_text(n, &tlen);
    if (resplen < EM_DASH_SP_LEN || memcmp(response, EM_DASH_SP, EM_DASH_SP_LEN) != 0) {
        r = SKL_ERR_PARSE;
        goto out;
    }
    /* The response's lines are read by the note parser, under the same text. */
    skl_buf_append(&cand, text, tlen);
    skl_buf_putc(&cand, '\n');
    skl_buf_append(&cand, response, resplen);
    if (!skl_buf_ok(&cand)) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    if ((r = skl_note_parse(&rn, cand.data, cand.len)) != SKL_OK) {
        r = r == SKL_ERR_NOMEM ? r : SKL_ERR_PARSE;
        goto out;
    }
    const char *rtext = skl_note_text(rn, &rtlen);
    if (rtlen != tlen || memcmp(rtext, text, tlen) != 0) {
        r = SKL_ERR_PARSE;
        goto out;
    }
    size_t rc = skl_note_sig_count(rn), nc = skl_note_sig_count(n);
    for (size_t i = 0; i < rc; i++) {
        size_t siglen;
        if (skl_note_sig(rn, i, NULL, NULL, NULL, &siglen) != SKL_OK ||
            siglen != SKL_NOTE_COSIGNATURE_SIGLEN) {
            r = SKL_ERR_PARSE;
            goto out;
        }
    }
    skl_buf_append(&b, text, tlen);
    skl_buf_putc(&b, '\n');
    for (size_t i = 0; i < nc; i++) {
        const char *name;
        uint32_t id;
        const uint8_t *sig;
        size_t siglen;
        int replaced = 0;
        if ((r = skl_note_sig(n, i, &name, &id, &sig, &siglen)) != SKL_OK)
            goto out;
        for (size_t j = 0; j < rc && !replaced; j++) {
            const char *rname;
            uint32_t rid;
            if ((r = skl_note_sig(rn, j, &rname, &rid, NULL, NULL)) != SKL_OK)
                goto out;
            replaced = rid == id && strcmp(rname, name) == 0;
        }
        if (!replaced && put_sigline(&b, name, id, sig, siglen) != 0) {
            r = SKL_ERR_NOMEM;
            goto out;
        }
    }
    skl_buf_append(&b, response, resplen);
    if (!skl_buf_ok(&b)) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    /* The result must itself be a note skl reads (length and line count). */
    if ((r = skl_note_parse(&check, b.data, b.len)) != SKL_OK)
        goto out;
    *out = skl_buf_take(&b, outlen);
    r = SKL_OK;
out:
    skl_note_free(n);
    skl_note_free(rn);
    skl_note_free(check);
    skl_buf_free(&cand);
    skl_buf_free(&b);
    return r;
}
