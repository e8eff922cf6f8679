/* policy_audit.c - the audit's replay of the authority's rules: every leaf of a ledger with
 * an authority must have been admissible when it was integrated, and the derived tables must
 * be exactly what the leaves imply (spec/policy.md §7). */
#include "policy_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "codec_int.h"
#include "leaf_int.h"
#include "skl/vc.h"
#include "utc_int.h"

/* The replay writes its own accreditations and status into TEMP tables, which shadow the
 * stored ones for every unqualified name the policy uses; the stored ones stay untouched. */
static const char shadow[] =
    "CREATE TEMP TABLE accreditations(id TEXT PRIMARY KEY, idx INTEGER NOT NULL,"
    " issuer BLOB NOT NULL, name TEXT NOT NULL, not_before INTEGER NOT NULL,"
    " not_after INTEGER NOT NULL, scope TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TEMP TABLE status(id TEXT PRIMARY KEY, status TEXT NOT NULL, by TEXT NOT NULL,"
    " idx INTEGER NOT NULL, effective INTEGER NOT NULL) WITHOUT ROWID;"
    /* the status tree cache too: the replay's status changes must not touch the stored one */
    "CREATE TEMP TABLE credit_uses(programme TEXT NOT NULL, source TEXT NOT NULL,"
    " by TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY(programme, source)) WITHOUT ROWID;"
    "CREATE TEMP TABLE status_nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;";

static int
fail(skl_audit_report *rep, int64_t index, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->why, sizeof rep->why, fmt, ap);
    va_end(ap);
    rep->bad_index = index;
    return SKL_ERR_CORRUPT;
}

/* A status snapshot at idx must commit to the statuses the replay has reached. */
static int
check_snapshot(skl_status_tree *t, uint64_t idx, const skl_json_value *root, skl_audit_report *rep)
{
    uint8_t want[32], got[32];
    size_t n;
    const char *hex = skl_json_string(skl_json_get(skl_json_get(root, "status"), "root"));
    if (hex == NULL || skl_hex_decode(got, 32, &n, hex, strlen(hex)) != 0 || n != 32)
        return fail(rep, (int64_t)idx, "leaf %llu: a status snapshot without a root",
                    (unsigned long long)idx);
    skl_status_root(t, idx, want);
    if (sodium_memcmp(want, got, 32) != 0)
        return fail(rep, (int64_t)idx,
                    "leaf %llu: the status snapshot's root is not that of the statuses of the "
                    "%llu leaves before it",
                    (unsigned long long)idx, (unsigned long long)idx);
    return SKL_OK;
}

/* Records in t what an admitted credential changes: its target's status. */
static int
apply_status(skl_ledger *l, skl_status_tree *t, const skl_claim *c)
{
    if (c->target == NULL)
        return SKL_OK;
    uint64_t target;
    int rc = skl_ledger_find(l, c->target, &target);
    if (rc == SKL_OK)
        skl_status_set(t, target,
                       c->kind == SKL_KIND_REVOCATION ? SKL_STATUS_REVOKED : SKL_STATUS_SUPERSEDED);
    return rc;
}

/* Replays leaf idx (its record data[0..len)) through the policy. */
static int
replay(skl_ledger *l, skl_policy *p, skl_status_tree *t, uint64_t idx, const char *data, size_t len,
       skl_audit_report *rep)
{
    skl_json_doc *doc = NULL;
    skl_claim c;
    uint8_t signer[32];
    int64_t when;
    char why[256];
    memset(&c, 0, sizeof c);
    int rc = skl_json_parse(&doc, data, len, SKL_LEAF_MAX, why, sizeof why);
    const skl_json_value *root = rc == SKL_OK ? skl_json_root(doc) : NULL;
    const skl_json_value *cred = root ? skl_json_get(root, "credential") : NULL;
    if (skl_status_extend(t, idx + 1) != 0) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    if (root != NULL && skl_leaf_is_status(data, len)) {
        rc = check_snapshot(t, idx, root, rep);
        goto out;
    }
    const char *time = root ? skl_json_string(skl_json_get(root, "time")) : NULL;
    if (cred == NULL || time == NULL || skl_utc_parse(&when, time, strlen(time)) != 0) {
        rc = fail(rep, (int64_t)idx, "leaf %llu is not a leaf record", (unsigned long long)idx);
        goto out;
    }
    if (skl_claim_extract(&c, cred, skl_policy_refdata(p), why, sizeof why) != SKL_OK ||
        skl_did_key_decode(signer, c.issuer) != SKL_OK) {
        rc = fail(rep, (int64_t)idx, "leaf %llu: not a credential the authority's rules admit: %s",
                  (unsigned long long)idx, why);
        goto out;
    }
    rc = skl_policy_check(l, p, &c, signer, idx, when, why, sizeof why);
    if (rc == SKL_OK)
        rc = apply_status(l, t, &c);
    else if (rc != SKL_ERR_DB && rc != SKL_ERR_NOMEM)
        rc = fail(rep, (int64_t)idx, "leaf %llu was admitted against the authority's rules: %s",
                  (unsigned long long)idx, why);
out:
    skl_claim_free(&c);
    skl_json_free(doc);
    return rc;
}

/* The first row of table that differs between the replay and the store, if any. */
static int
compare(skl_ledger *l, const char *table, const char *key, skl_audit_report *rep)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM (SELECT * FROM temp.%s EXCEPT SELECT * FROM main.%s) UNION ALL "
             "SELECT %s FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM temp.%s) LIMIT 1",
             key, table, table, key, table, table);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "comparing the policy tables");
    int rc = SKL_OK;
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = fail(rep, -1, "the %s table does not match the leaves (row %s)", table,
                  (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc;
}

/* Every stored status subtree hash (the export's cache, spec/status.md) must be that of the
 * statuses the replay reached; a wrong one would make every status proof through it fail. */
static int
check_status_cache(skl_ledger *l, skl_status_tree *t, skl_audit_report *rep)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT level, idx, hash FROM main.status_nodes ORDER BY level, idx", -1,
                           &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading the status tree cache");
    int rc = SKL_OK;
    while (rc == SKL_OK && sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 level = sqlite3_column_int64(st, 0), idx = sqlite3_column_int64(st, 1);
        uint8_t want[32];
        if (level < SKL_STATUS_MIN_LEVEL || level >= SKL_STATUS_LEVELS || idx < 0 ||
            sqlite3_column_bytes(st, 2) != 32 ||
            skl_status_subtree(t, (unsigned)level, (uint64_t)idx, want) != 0 ||
            sodium_memcmp(want, sqlite3_column_blob(st, 2), 32) != 0)
            rc = fail(rep, -1,
                      "the status_nodes table does not match the leaves (level %lld, index %lld)",
                      (long long)level, (long long)idx);
    }
    sqlite3_finalize(st);
    return rc;
}

int
skl_policy_audit(skl_ledger *l, skl_audit_report *rep)
{
    skl_policy *p = NULL;
    sqlite3_stmt *st = NULL;
    skl_status_tree t;
    skl_status_init(&t);
    int rc = skl_policy_open(&p, l);
    if (rc != SKL_OK || p == NULL)
        return rc;
    if ((rc = skl_store_exec(l, shadow)) != SKL_OK)
        goto out;
    if (sqlite3_prepare_v2(l->db, "SELECT idx, data FROM main.leaves ORDER BY idx", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = skl_ledger_dbfail(l, "replaying the leaves");
        goto out;
    }
    while (rc == SKL_OK && sqlite3_step(st) == SQLITE_ROW)
        rc = replay(l, p, &t, (uint64_t)sqlite3_column_int64(st, 0), sqlite3_column_blob(st, 1),
                    (size_t)sqlite3_column_bytes(st, 1), rep);
    if (rc == SKL_OK && (rc = compare(l, "accreditations", "id", rep)) == SKL_OK &&
        (rc = compare(l, "status", "id", rep)) == SKL_OK &&
        (rc = compare(l, "credit_uses", "source", rep)) == SKL_OK)
        rc = check_status_cache(l, &t, rep);
out:
    sqlite3_finalize(st);
    sqlite3_exec(l->db,
                 "DROP TABLE IF EXISTS temp.accreditations; DROP TABLE IF EXISTS temp.status;"
                 "DROP TABLE IF EXISTS temp.credit_uses;"
                 "DROP TABLE IF EXISTS temp.status_nodes",
                 NULL, NULL, NULL);
    skl_policy_free(p);
    skl_status_free(&t);
    return rc;
}
