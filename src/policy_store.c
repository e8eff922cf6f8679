/* policy_store.c - what the policy reads and records in the ledger: credentials already in
 * it, their statuses, and the status tree's stored nodes. */
#include "policy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/vc.h"

/* ---- reading what the ledger holds ------------------------------------------------------ */

/* Loads the credential called id from the ledger (inside the current transaction). */
int
skl_policy_load_target(skl_ledger *l, skl_policy *p, const char *id, struct skl_target *t,
                       char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    skl_json_doc *doc = NULL;
    int rc = SKL_ERR_NOTFOUND;
    memset(t, 0, sizeof *t);
    if (sqlite3_prepare_v2(l->db,
                           "SELECT c.idx, l.data FROM credential_ids c JOIN leaves l"
                           " ON l.idx = c.idx WHERE c.id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "looking up a credential");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        snprintf(why, whylen, "%.120s is not in the ledger", id);
        goto out;
    }
    t->index = (uint64_t)sqlite3_column_int64(st, 0);
    const char *data = sqlite3_column_blob(st, 1);
    size_t n = (size_t)sqlite3_column_bytes(st, 1);
    char jwhy[160];
    rc = skl_json_parse(&doc, data, n, SKL_LEAF_MAX, jwhy, sizeof jwhy);
    const skl_json_value *cred = rc == SKL_OK ? skl_json_get(skl_json_root(doc), "credential") : 0;
    if (cred == NULL) {
        rc = SKL_ERR_CORRUPT;
        snprintf(why, whylen, "leaf %llu does not hold a credential", (unsigned long long)t->index);
        goto out;
    }
    rc = skl_claim_extract(&t->claim, cred, p->rd, jwhy, sizeof jwhy);
    if (rc == SKL_OK &&
        (t->claim.issuer == NULL || skl_did_key_decode(t->issuer, t->claim.issuer) != SKL_OK))
        rc = SKL_ERR_SCHEMA;
    if (rc != SKL_OK)
        snprintf(why, whylen, "%.100s (index %llu) is not a credential of a known kind: %.40s", id,
                 (unsigned long long)t->index, jwhy);
out:
    skl_json_free(doc);
    sqlite3_finalize(st);
    return rc;
}

/* The status row of credential id: 1 and its fields if there is one, 0 if none, or < 0. */
int
skl_policy_read_status(skl_ledger *l, const char *id, char *status, size_t cap, int64_t *effective)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT status, effective FROM status WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading a status");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        snprintf(status, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        *effective = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return found;
}

int
skl_policy_put_status(skl_ledger *l, const char *id, const char *status, const char *by,
                      uint64_t index, int64_t effective)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db,
                           "INSERT INTO status(id, status, by, idx, effective) VALUES(?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "recording a status");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)index);
    sqlite3_bind_int64(st, 5, effective);
    int rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "recording a status");
    sqlite3_finalize(st);
    /* The stored hashes of the status subtrees that hold the target are stale now. */
    uint64_t target;
    if (rc == SKL_OK && skl_ledger_find(l, id, &target) == SKL_OK &&
        sqlite3_prepare_v2(l->db, "DELETE FROM status_nodes WHERE level = ? AND idx = ?", -1, &st,
                           NULL) == SQLITE_OK) {
        for (int lv = SKL_STATUS_MIN_LEVEL; lv < SKL_STATUS_LEVELS && rc == SKL_OK; lv++) {
            sqlite3_bind_int(st, 1, lv);
            sqlite3_bind_int64(st, 2, (sqlite3_int64)(target >> lv));
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = skl_ledger_dbfail(l, "updating the status tree cache");
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    return rc;
}

skl_err
skl_ledger_status(skl_ledger *l, const char *credential_id, char status[16])
{
    uint64_t index;
    int64_t effective;
    skl_err rc = skl_ledger_find(l, credential_id, &index);
    if (rc != SKL_OK)
        return rc;
    snprintf(status, 16, "active");
    if (l->policy == NULL)
        return SKL_OK;
    int found = skl_policy_read_status(l, credential_id, status, 16, &effective);
    return found < 0 ? (skl_err)found : SKL_OK;
}

/* The status tree's fetch function over the ledger's status_nodes. */
static int
fetch_status_node(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
    skl_ledger *l = ctx;
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_status_node,
                                       "SELECT hash FROM status_nodes WHERE level = ? AND idx = ?");
    if (st == NULL)
        return -1; /* a ledger from before the cache */
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) == 32;
    if (found)
        memcpy(out, sqlite3_column_blob(st, 0), 32);
    sqlite3_reset(st);
    return found ? 0 : -1;
}

int
skl_policy_status_tree(skl_ledger *l, uint64_t size, skl_status_tree *t)
{
    if (skl_status_extend(t, size) != 0)
        return SKL_ERR_NOMEM;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT c.idx, s.status FROM status s JOIN credential_ids c"
                           " ON c.id = s.id WHERE c.idx < ?1 AND s.idx < ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading statuses");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    int rc = SKL_OK;
    while (rc == SKL_OK && sqlite3_step(st) == SQLITE_ROW) {
        int v = skl_status_value((const char *)sqlite3_column_text(st, 1));
        if (v < 0)
            rc = skl_ledger_fail(l, SKL_ERR_CORRUPT, "unknown status \"%s\"",
                                 (const char *)sqlite3_column_text(st, 1));
        else
            skl_status_set(t, (uint64_t)sqlite3_column_int64(st, 0), v);
    }
    sqlite3_finalize(st);
    t->fetch = fetch_status_node;
    t->ctx = l;
    return rc;
}

static int
store_status_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
    skl_ledger *l = ctx;
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &l->st_put_status_node,
                        "INSERT OR REPLACE INTO status_nodes(level, idx, hash) VALUES(?, ?, ?)");
    if (st == NULL)
        return SKL_OK; /* a ledger from before the cache: nothing to keep */
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
    int rc =
        sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "caching the status tree");
    sqlite3_reset(st);
    return rc;
}

int
skl_policy_save_status_nodes(skl_ledger *l, skl_status_tree *t)
{
    return skl_status_each_new(t, store_status_node, l);
}
