/* bundle_export.c - a worker's bundle (spec/bundle.md): their credentials with the proofs an
 * employer checks offline. */
#include "skl/bundle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf_int.h"
#include "json_int.h"
#include "leaf_int.h"
#include "policy_int.h"
#include "skl/merkle.h"
#include "skl/note.h"
#include "skl/vault.h"
#include "skl/vc.h"

/* What an export works from: the checkpoint, its snapshot, the status tree as of it. */
struct exporter {
    skl_ledger *l;
    uint64_t size;     /* the checkpoint's tree size */
    uint64_t snapshot; /* size - 1: the status snapshot's index */
    skl_status_tree status;
    skl_buf out;
    uint64_t *done; /* indexes already written as accreditations */
    size_t ndone, capdone;
};

/* Writes one entry: index, leaf, inclusion proof, status (unless the snapshot), salt. */
static int
put_entry(struct exporter *x, uint64_t index, const char *salt)
{
    char *data = NULL;
    size_t len, count;
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
    int rc = skl_ledger_leaf(x->l, index, &data, &len, NULL);
    if (rc != SKL_OK)
        return rc;
    if ((rc = skl_ledger_inclusion_proof(x->l, index, x->size, proof, &count)) != SKL_OK)
        goto out;
    skl_buf *b = &x->out;
    skl_buf_printf(b, "{\"inclusion\":[");
    for (size_t i = 0; i < count; i++) {
        skl_buf_puts(b, i ? ",\"" : "\"");
        skl_buf_base64(b, proof[i], 32);
        skl_buf_putc(b, '"');
    }
    skl_buf_printf(b, "],\"index\":%llu,\"leaf\":", (unsigned long long)index);
    skl_buf_append(b, data, len);
    if (salt != NULL)
        skl_buf_printf(b, ",\"salt\":\"%s\"", salt);
    if (index < x->snapshot) {
        if (skl_status_proof(&x->status, index, x->snapshot, proof, &count) != 0) {
            rc = SKL_ERR_STATE;
            goto out;
        }
        skl_buf_printf(b, ",\"status\":{\"proof\":[");
        for (size_t i = 0; i < count; i++) {
            skl_buf_puts(b, i ? ",\"" : "\"");
            skl_buf_base64(b, proof[i], 32);
            skl_buf_putc(b, '"');
        }
        skl_buf_printf(b, "],\"value\":\"%s\"}", skl_status_name(x->status.s[index]));
    }
    skl_buf_putc(b, '}');
    rc = skl_buf_ok(b) ? SKL_OK : SKL_ERR_NOMEM;
out:
    free(data);
    return rc;
}

/* Writes the accreditations of the issuer of the credential at index (integrated before it),
 * and the revocations of those accreditations, each once. */
static int
put_accreditations(struct exporter *x, uint64_t index, int *first)
{
    sqlite3_stmt *st = NULL;
    skl_ledger *l = x->l;
    /* The issuer key is the credential's: find it through the accreditations whose key signed
     * it, via the leaf's issuer did:key (the ledger profile binds them). */
    char *data = NULL;
    size_t len;
    uint8_t key[32];
    skl_json_doc *doc = NULL;
    int rc = skl_ledger_leaf(l, index, &data, &len, NULL);
    if (rc != SKL_OK)
        return rc;
    rc = skl_json_parse(&doc, data, len, SKL_LEAF_MAX, NULL, 0);
    const skl_json_value *iss =
        rc == SKL_OK ? skl_json_get(skl_json_get(skl_json_root(doc), "credential"), "issuer")
                     : NULL;
    const char *did =
        skl_json_string(iss) ? skl_json_string(iss) : skl_json_string(skl_json_get(iss, "id"));
    rc = did != NULL && skl_did_key_decode(key, did) == SKL_OK
             ? SKL_OK
             : skl_ledger_fail(l, SKL_ERR_CORRUPT, "leaf %llu names no did:key issuer",
                               (unsigned long long)index);
    skl_json_free(doc);
    free(data);
    if (rc != SKL_OK)
        return rc;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT a.idx, r.idx FROM accreditations a LEFT JOIN status s ON s.id ="
                           " a.id LEFT JOIN credential_ids r ON r.id = s.by"
                           " WHERE a.issuer = ? AND a.idx < ? ORDER BY a.idx",
                           -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading accreditations");
    sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    while (rc == SKL_OK && sqlite3_step(st) == SQLITE_ROW) {
        uint64_t want[2] = {(uint64_t)sqlite3_column_int64(st, 0), UINT64_MAX};
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            want[1] = (uint64_t)sqlite3_column_int64(st, 1);
        for (int k = 0; k < 2 && rc == SKL_OK; k++) {
            if (want[k] >= x->snapshot)
                continue; /* not under the checkpoint (a later revocation does not count) */
            size_t i = 0;
            while (i < x->ndone && x->done[i] != want[k])
                i++;
            if (i < x->ndone)
                continue;
            if (x->ndone == x->capdone) {
                size_t cap = x->capdone ? 2 * x->capdone : 16;
                uint64_t *d = realloc(x->done, cap * sizeof *d);
                if (d == NULL) {
                    rc = SKL_ERR_NOMEM;
                    break;
                }
                x->done = d;
                x->capdone = cap;
            }
            x->done[x->ndone++] = want[k];
            if (!*first)
                skl_buf_putc(&x->out, ',');
            *first = 0;
            rc = put_entry(x, want[k], NULL);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Opens the export at the ledger's latest checkpoint: its note, sizes, status tree. */
static int
begin_export(struct exporter *x, skl_ledger *l, char **note, size_t *note_len, char *why,
             size_t whylen)
{
    skl_note *parsed = NULL;
    skl_checkpoint cp;
    size_t tlen;
    const char *text;
    char *snap = NULL;
    size_t snap_len;
    x->l = l;
    if (l->policy == NULL) {
        snprintf(why, whylen, "the ledger has no authority: it keeps no statuses to export");
        return SKL_ERR_STATE;
    }
    int rc = skl_ledger_latest_checkpoint(l, note, note_len);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "the ledger has no checkpoint yet (skl checkpoint)");
        return rc;
    }
    if (skl_note_parse(&parsed, *note, *note_len) != SKL_OK ||
        (text = skl_note_text(parsed, &tlen)) == NULL ||
        skl_checkpoint_parse(&cp, text, tlen) != SKL_OK) {
        snprintf(why, whylen, "the latest checkpoint does not parse");
        rc = SKL_ERR_CORRUPT;
        goto out;
    }
    x->size = cp.size;
    x->snapshot = cp.size - 1;
    if (cp.size == 0 || skl_ledger_leaf(l, x->snapshot, &snap, &snap_len, NULL) != SKL_OK ||
        !skl_leaf_is_status(snap, snap_len)) {
        snprintf(why, whylen, "the latest checkpoint does not end with a status snapshot");
        rc = SKL_ERR_STATE;
        goto out;
    }
    rc = skl_policy_status_tree(l, x->snapshot, &x->status);
out:
    free(snap);
    skl_note_free(parsed);
    return rc;
}

/* One credential to export: its index and, when disclosed, its salt. */
struct item {
    uint64_t index;
    const char *salt;
};

/*
 * Writes the bundle of items[0..n) under the checkpoint note, with identity (a JSON object's
 * text, or NULL) and previous (the "previous" member's value's text, or NULL), and returns it
 * canonical in *out.
 */
static int
write_bundle(struct exporter *x, const struct item *items, size_t n, const char *note,
             size_t note_len, const char *identity, const char *previous, char **out,
             size_t *outlen, char *why, size_t whylen)
{
    skl_buf *b = &x->out;
    int first = 1, rc = SKL_OK;
    skl_buf_puts(b, "{\"accreditations\":[");
    for (size_t i = 0; i < n && rc == SKL_OK; i++)
        rc = put_accreditations(x, items[i].index, &first);
    skl_buf_puts(b, "],\"checkpoint\":");
    skl_json_write_string(b, note, note_len);
    skl_buf_puts(b, ",\"credentials\":[");
    for (size_t i = 0; i < n && rc == SKL_OK; i++) {
        if (i)
            skl_buf_putc(b, ',');
        rc = put_entry(x, items[i].index, items[i].salt);
    }
    skl_buf_puts(b, "]");
    if (identity != NULL) {
        skl_buf_puts(b, ",\"identity\":");
        skl_buf_puts(b, identity);
    }
    if (previous != NULL) {
        skl_buf_puts(b, ",\"previous\":");
        skl_buf_puts(b, previous);
    }
    skl_buf_puts(b, ",\"snapshot\":");
    if (rc == SKL_OK)
        rc = put_entry(x, x->snapshot, NULL);
    if (rc == SKL_OK) {
        skl_buf_puts(b, ",\"type\":\"" SKL_BUNDLE_TYPE "\"}");
        rc = skl_buf_ok(b) ? SKL_OK : SKL_ERR_NOMEM;
    }
    if (rc == SKL_OK) {
        /* Parsed back and written canonical: members need not be in order above. */
        skl_json_doc *doc = NULL;
        char jwhy[128];
        if ((rc = skl_json_parse(&doc, b->data, b->len, SKL_BUNDLE_MAX, jwhy, sizeof jwhy)) ==
            SKL_OK)
            rc = skl_json_canonicalize(skl_json_root(doc), out, outlen);
        else
            snprintf(why, whylen, "internal: the bundle does not parse: %s", jwhy);
        skl_json_free(doc);
    }
    return rc;
}

static void
end_export(struct exporter *x)
{
    free(x->done);
    skl_status_free(&x->status);
    if (x->out.data != NULL)
        sodium_memzero(x->out.data, x->out.len); /* it may hold a disclosed identity */
    skl_buf_free(&x->out);
}

skl_err
skl_bundle_export(char **out, size_t *outlen, skl_ledger *l, skl_vault *v, int64_t worker,
                  const char *const *only, size_t nonly, int disclose, char *why, size_t whylen)
{
    struct exporter x;
    char *note = NULL, **ids = NULL;
    size_t note_len, nids = 0, n = 0, found_only = 0;
    struct item *items = NULL;
    char(*salt)[SKL_VAULT_SALT_HEX_SIZE] = NULL;
    skl_worker w;
    skl_buf identity = SKL_BUF_INIT;
    *out = NULL;
    memset(&x, 0, sizeof x);
    memset(&w, 0, sizeof w);
    skl_status_init(&x.status);
    x.out = (skl_buf)SKL_BUF_INIT;
    int began = skl_store_read_begin(l);
    int rc = begin_export(&x, l, &note, &note_len, why, whylen);
    if (rc != SKL_OK)
        goto out;
    if ((rc = skl_vault_credentials(v, worker, &ids, &nids)) != SKL_OK ||
        ((disclose & SKL_BUNDLE_DISCLOSE_ID) && (rc = skl_vault_worker(v, worker, &w)) != SKL_OK)) {
        snprintf(why, whylen, "worker %lld: %s", (long long)worker, skl_strerror(rc));
        goto out;
    }
    items = calloc(nids ? nids : 1, sizeof *items);
    salt = calloc(nids ? nids : 1, sizeof *salt);
    if (items == NULL || salt == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    /* Which credentials: the worker's, under the checkpoint, those asked for if any. */
    for (size_t i = 0; i < nids && rc == SKL_OK; i++) {
        int wanted = nonly == 0;
        for (size_t k = 0; k < nonly && !wanted; k++)
            wanted = strcmp(only[k], ids[i]) == 0;
        if (!wanted)
            continue;
        found_only++;
        char hash[SKL_VAULT_IDENTITY_HASH_SIZE];
        if (skl_ledger_find(l, ids[i], &items[n].index) != SKL_OK || items[n].index >= x.snapshot)
            continue; /* not yet under the latest checkpoint */
        if ((rc = skl_vault_commitment(v, worker, ids[i], hash, salt[n])) != SKL_OK)
            break;
        items[n].salt = disclose & SKL_BUNDLE_DISCLOSE_ID ? salt[n] : NULL;
        n++;
    }
    if (rc == SKL_OK && nonly > 0 && found_only != nonly) {
        snprintf(why, whylen, "a credential asked for is not this worker's");
        rc = SKL_ERR_NOTFOUND;
    } else if (rc == SKL_OK && n == 0) {
        snprintf(why, whylen, "worker %lld has no credential under the latest checkpoint",
                 (long long)worker);
        rc = SKL_ERR_NOTFOUND;
    }
    if (rc == SKL_OK && (disclose & SKL_BUNDLE_DISCLOSE_ID)) {
        skl_buf_puts(&identity, "{\"idNumber\":");
        skl_json_write_string(&identity, w.id_number, strlen(w.id_number));
        skl_buf_puts(&identity, ",\"idType\":");
        skl_json_write_string(&identity, w.id_type, strlen(w.id_type));
        if (disclose & SKL_BUNDLE_DISCLOSE_NAME) {
            skl_buf_puts(&identity, ",\"name\":");
            skl_json_write_string(&identity, w.name, strlen(w.name));
        }
        skl_buf_puts(&identity, "}");
        rc = skl_buf_ok(&identity) ? SKL_OK : SKL_ERR_NOMEM;
    }
    if (rc == SKL_OK)
        rc = write_bundle(&x, items, n, note, note_len, identity.data, NULL, out, outlen, why,
                          whylen);
out:
    skl_store_read_end(l, began);
    if (salt != NULL)
        sodium_memzero(salt, (nids ? nids : 1) * sizeof *salt);
    free(salt);
    free(items);
    if (identity.data != NULL)
        sodium_memzero(identity.data, identity.len);
    skl_buf_free(&identity);
    skl_vault_worker_wipe(&w);
    skl_vault_free_ids(ids, nids);
    free(note);
    end_export(&x);
    return rc;
}

skl_err
skl_bundle_refresh(char **out, size_t *outlen, skl_ledger *l, const char *old, size_t len,
                   char *why, size_t whylen)
{
    struct exporter x;
    char *note = NULL, *identity = NULL;
    size_t note_len, ilen, n = 0;
    struct item *items = NULL;
    skl_json_doc *doc = NULL;
    skl_note *prev_note = NULL;
    skl_checkpoint prev;
    skl_buf previous = SKL_BUF_INIT;
    char jwhy[160];
    *out = NULL;
    memset(&x, 0, sizeof x);
    skl_status_init(&x.status);
    x.out = (skl_buf)SKL_BUF_INIT;
    int rc = skl_json_parse(&doc, old, len, SKL_BUNDLE_MAX, jwhy, sizeof jwhy);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "not a bundle: %s", jwhy);
        goto done;
    }
    const skl_json_value *root = skl_json_root(doc);
    const char *type = skl_json_string(skl_json_get(root, "type"));
    const char *old_note = skl_json_string(skl_json_get(root, "checkpoint"));
    const skl_json_value *creds = skl_json_get(root, "credentials");
    const skl_json_value *id_v = skl_json_get(root, "identity");
    size_t tlen;
    const char *text;
    if (type == NULL || strcmp(type, SKL_BUNDLE_TYPE) != 0 || old_note == NULL || creds == NULL ||
        creds->type != SKL_JSON_ARRAY || creds->n == 0 || creds->n > SKL_BUNDLE_MAX_CREDENTIALS ||
        skl_note_parse(&prev_note, old_note, strlen(old_note)) != SKL_OK ||
        (text = skl_note_text(prev_note, &tlen)) == NULL ||
        skl_checkpoint_parse(&prev, text, tlen) != SKL_OK) {
        snprintf(why, whylen, "not a bundle this ledger can refresh");
        rc = SKL_ERR_SCHEMA;
        goto done;
    }
    int began = skl_store_read_begin(l);
    if ((rc = begin_export(&x, l, &note, &note_len, why, whylen)) != SKL_OK)
        goto out;
    if (strcmp(prev.origin, l->origin) != 0 || prev.size > x.size) {
        snprintf(why, whylen, "the bundle's checkpoint is not from this ledger's past");
        rc = SKL_ERR_VERIFY;
        goto out;
    }
    /* The same credentials (found by id), the same salts and identity, under the new
     * checkpoint; and the proof that the new tree extends the old one. */
    if ((items = calloc(creds->n, sizeof *items)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < creds->n && rc == SKL_OK; i++) {
        const skl_json_value *e = &creds->u.arr[i];
        const char *id = skl_json_string(
            skl_json_get(skl_json_get(skl_json_get(e, "leaf"), "credential"), "id"));
        if (id == NULL || skl_ledger_find(l, id, &items[n].index) != SKL_OK ||
            items[n].index >= x.snapshot) {
            snprintf(why, whylen, "credential %u of the bundle is not in this ledger", i);
            rc = SKL_ERR_NOTFOUND;
            break;
        }
        items[n++].salt = skl_json_string(skl_json_get(e, "salt"));
    }
    if (rc == SKL_OK && id_v != NULL && skl_json_canonicalize(id_v, &identity, &ilen) != SKL_OK)
        rc = SKL_ERR_NOMEM;
    if (rc == SKL_OK && prev.size > 0 && prev.size < x.size) {
        uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
        size_t count;
        if ((rc = skl_ledger_consistency_proof(l, prev.size, x.size, proof, &count)) != SKL_OK)
            goto out;
        skl_buf_puts(&previous, "{\"checkpoint\":");
        skl_json_write_string(&previous, old_note, strlen(old_note));
        skl_buf_puts(&previous, ",\"consistency\":[");
        for (size_t i = 0; i < count; i++) {
            skl_buf_puts(&previous, i ? ",\"" : "\"");
            skl_buf_base64(&previous, proof[i], 32);
            skl_buf_putc(&previous, '"');
        }
        skl_buf_puts(&previous, "]}");
        rc = skl_buf_ok(&previous) ? SKL_OK : SKL_ERR_NOMEM;
    }
    if (rc == SKL_OK)
        rc = write_bundle(&x, items, n, note, note_len, identity, previous.data, out, outlen, why,
                          whylen);
out:
    skl_store_read_end(l, began);
done:
    if (identity != NULL)
        sodium_memzero(identity, ilen);
    free(identity);
    skl_buf_free(&previous);
    free(items);
    free(note);
    skl_note_free(prev_note);
    skl_json_free(doc);
    end_export(&x);
    return rc;
}
