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
    const char *did = skl_json_string(iss) ? skl_json_string(iss)
                                           : skl_json_string(skl_json_get(iss, "id"));
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

skl_err
skl_bundle_export(char **out, size_t *outlen, skl_ledger *l, skl_vault *v, int64_t worker,
                  const char *const *only, size_t nonly, int disclose, char *why, size_t whylen)
{
    struct exporter x;
    char *note = NULL, **ids = NULL;
    size_t note_len, nids = 0;
    skl_note *parsed = NULL;
    skl_checkpoint cp;
    skl_worker w;
    int rc;
    *out = NULL;
    memset(&x, 0, sizeof x);
    memset(&w, 0, sizeof w);
    x.l = l;
    skl_status_init(&x.status);
    x.out = (skl_buf)SKL_BUF_INIT;
    if (l->policy == NULL) {
        snprintf(why, whylen, "the ledger has no authority: it keeps no statuses to export");
        return SKL_ERR_STATE;
    }
    int began = skl_store_read_begin(l);
    if ((rc = skl_ledger_latest_checkpoint(l, &note, &note_len)) != SKL_OK) {
        snprintf(why, whylen, "the ledger has no checkpoint yet (skl checkpoint)");
        goto out;
    }
    size_t tlen;
    const char *text;
    if ((rc = skl_note_parse(&parsed, note, note_len)) != SKL_OK ||
        (text = skl_note_text(parsed, &tlen)) == NULL ||
        (rc = skl_checkpoint_parse(&cp, text, tlen)) != SKL_OK) {
        snprintf(why, whylen, "the latest checkpoint does not parse");
        rc = SKL_ERR_CORRUPT;
        goto out;
    }
    x.size = cp.size;
    x.snapshot = cp.size - 1;
    char *snap = NULL;
    size_t snap_len;
    if (cp.size == 0 || (rc = skl_ledger_leaf(l, x.snapshot, &snap, &snap_len, NULL)) != SKL_OK ||
        !skl_leaf_is_status(snap, snap_len)) {
        free(snap);
        snprintf(why, whylen, "the latest checkpoint does not end with a status snapshot");
        rc = SKL_ERR_STATE;
        goto out;
    }
    free(snap);
    if ((rc = skl_policy_status_tree(l, x.snapshot, &x.status)) != SKL_OK)
        goto out;
    if ((rc = skl_vault_credentials(v, worker, &ids, &nids)) != SKL_OK) {
        snprintf(why, whylen, "worker %lld: %s", (long long)worker, skl_strerror(rc));
        goto out;
    }
    if (disclose && (rc = skl_vault_worker(v, worker, &w)) != SKL_OK) {
        snprintf(why, whylen, "worker %lld: %s", (long long)worker, skl_strerror(rc));
        goto out;
    }
    /* Which credentials: the worker's, under the checkpoint, those asked for if any. */
    uint64_t *idx = calloc(nids ? nids : 1, sizeof *idx);
    char (*salt)[SKL_VAULT_SALT_HEX_SIZE] = calloc(nids ? nids : 1, sizeof *salt);
    size_t n = 0, found_only = 0;
    if (idx == NULL || salt == NULL) {
        free(idx);
        free(salt);
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nids && rc == SKL_OK; i++) {
        int wanted = nonly == 0;
        for (size_t k = 0; k < nonly && !wanted; k++)
            wanted = strcmp(only[k], ids[i]) == 0;
        if (!wanted)
            continue;
        found_only++;
        char hash[SKL_VAULT_IDENTITY_HASH_SIZE];
        if (skl_ledger_find(l, ids[i], &idx[n]) != SKL_OK || idx[n] >= x.snapshot)
            continue; /* not yet under the latest checkpoint */
        if ((rc = skl_vault_commitment(v, worker, ids[i], hash, salt[n])) != SKL_OK)
            break;
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
    skl_buf *b = &x.out;
    int first = 1;
    if (rc == SKL_OK) {
        skl_buf_puts(b, "{\"accreditations\":[");
        for (size_t i = 0; i < n && rc == SKL_OK; i++)
            rc = put_accreditations(&x, idx[i], &first);
        skl_buf_puts(b, "],\"checkpoint\":");
        skl_json_write_string(b, note, note_len);
        skl_buf_puts(b, ",\"credentials\":[");
        for (size_t i = 0; i < n && rc == SKL_OK; i++) {
            if (i)
                skl_buf_putc(b, ',');
            rc = put_entry(&x, idx[i], disclose & SKL_BUNDLE_DISCLOSE_ID ? salt[i] : NULL);
        }
        skl_buf_puts(b, "]");
        if (disclose & SKL_BUNDLE_DISCLOSE_ID) {
            skl_buf_puts(b, ",\"identity\":{\"idNumber\":");
            skl_json_write_string(b, w.id_number, strlen(w.id_number));
            skl_buf_puts(b, ",\"idType\":");
            skl_json_write_string(b, w.id_type, strlen(w.id_type));
            if (disclose & SKL_BUNDLE_DISCLOSE_NAME) {
                skl_buf_puts(b, ",\"name\":");
                skl_json_write_string(b, w.name, strlen(w.name));
            }
            skl_buf_puts(b, "}");
        }
        skl_buf_puts(b, ",\"snapshot\":");
    }
    if (rc == SKL_OK)
        rc = put_entry(&x, x.snapshot, NULL);
    if (rc == SKL_OK) {
        skl_buf_puts(b, ",\"type\":\"" SKL_BUNDLE_TYPE "\"}");
        rc = skl_buf_ok(b) ? SKL_OK : SKL_ERR_NOMEM;
    }
    free(idx);
    sodium_memzero(salt, (nids ? nids : 1) * sizeof *salt);
    free(salt);
    if (rc == SKL_OK) {
        /* Canonical by construction (members in order, leaves canonical): checked. */
        skl_json_doc *doc = NULL;
        char jwhy[128];
        if ((rc = skl_json_parse(&doc, b->data, b->len, SKL_BUNDLE_MAX, jwhy, sizeof jwhy)) ==
            SKL_OK)
            rc = skl_json_canonicalize(skl_json_root(doc), out, outlen);
        else
            snprintf(why, whylen, "internal: the bundle does not parse: %s", jwhy);
        skl_json_free(doc);
    }
out:
    skl_store_read_end(l, began);
    skl_vault_worker_wipe(&w);
    skl_vault_free_ids(ids, nids);
    skl_note_free(parsed);
    free(note);
    free(x.done);
    skl_status_free(&x.status);
    if (x.out.data != NULL)
        sodium_memzero(x.out.data, x.out.len); /* it held the disclosed identity */
    skl_buf_free(&x.out);
    return rc;
}
