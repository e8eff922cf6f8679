/* store.c - the ledger's SQLite file: schema, opening, and reading stored hashes. */
#include "ledger_int.h"
#include "policy_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

/* Every table is append-only: the triggers make UPDATE and DELETE fail. */
static const char schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE leaves(idx INTEGER PRIMARY KEY, data BLOB NOT NULL);"
    "CREATE TABLE nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
    " PRIMARY KEY(level, idx)) WITHOUT ROWID;"
    "CREATE TABLE credential_ids(id TEXT PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE checkpoints(seq INTEGER PRIMARY KEY, size INTEGER NOT NULL,"
    " time INTEGER NOT NULL, note TEXT NOT NULL);"
    /* INSERT OR REPLACE deletes without firing DELETE triggers: refuse it up front. */
    "CREATE TRIGGER meta_ro_r BEFORE INSERT ON meta WHEN EXISTS (SELECT 1 FROM meta WHERE "
    "key = NEW.key) BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER leaves_ro_r BEFORE INSERT ON leaves WHEN EXISTS (SELECT 1 FROM leaves WHERE "
    "idx = NEW.idx) BEGIN SELECT RAISE(ABORT,'leaves are immutable'); END;"
    "CREATE TRIGGER nodes_ro_r BEFORE INSERT ON nodes WHEN EXISTS (SELECT 1 FROM nodes WHERE "
    "level = NEW.level AND idx = NEW.idx) BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER ids_ro_r BEFORE INSERT ON credential_ids WHEN EXISTS (SELECT 1 FROM "
    "credential_ids WHERE id = NEW.id) BEGIN SELECT RAISE(ABORT,'duplicate id'); END;"
    "CREATE TRIGGER cps_ro_r BEFORE INSERT ON checkpoints WHEN EXISTS (SELECT 1 FROM checkpoints "
    "WHERE seq = NEW.seq) BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER meta_ro_u BEFORE UPDATE ON meta BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER meta_ro_d BEFORE DELETE ON meta BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER leaves_ro_u BEFORE UPDATE ON leaves BEGIN SELECT RAISE(ABORT,'leaves are "
    "immutable'); END;"
    "CREATE TRIGGER leaves_ro_d BEFORE DELETE ON leaves BEGIN SELECT RAISE(ABORT,'leaves are "
    "immutable'); END;"
    "CREATE TRIGGER nodes_ro_u BEFORE UPDATE ON nodes BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER nodes_ro_d BEFORE DELETE ON nodes BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER ids_ro_u BEFORE UPDATE ON credential_ids BEGIN SELECT "
    "RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER ids_ro_d BEFORE DELETE ON credential_ids BEGIN SELECT "
    "RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER cps_ro_u BEFORE UPDATE ON checkpoints BEGIN SELECT "
    "RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER cps_ro_d BEFORE DELETE ON checkpoints BEGIN SELECT "
    "RAISE(ABORT,'immutable'); END;";

int
skl_ledger_fail(skl_ledger *l, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->errmsg, sizeof l->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

int
skl_ledger_dbfail(skl_ledger *l, const char *what)
{
    return skl_ledger_fail(l, SKL_ERR_DB, "%s: %s", what, sqlite3_errmsg(l->db));
}

sqlite3_stmt *
skl_ledger_stmt(skl_ledger *l, sqlite3_stmt **st, const char *sql)
{
    if (*st == NULL) {
        if (sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
            skl_ledger_dbfail(l, "prepare");
            return NULL;
        }
    } else {
        sqlite3_reset(*st);
        sqlite3_clear_bindings(*st);
    }
    return *st;
}

int
skl_store_exec(skl_ledger *l, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        skl_ledger_fail(l, SKL_ERR_DB, "%s", msg ? msg : sqlite3_errmsg(l->db));
        sqlite3_free(msg);
        return SKL_ERR_DB;
    }
    return SKL_OK;
}

int
skl_store_read_begin(skl_ledger *l)
{
    if (!sqlite3_get_autocommit(l->db))
        return 0; /* already inside a transaction */
    return sqlite3_exec(l->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void
skl_store_read_end(skl_ledger *l, int began)
{
    if (began)
        sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
}

int64_t
skl_ledger_now(const skl_ledger *l)
{
    return l->fixed_time ? l->fixed_time : (int64_t)time(NULL);
}

/* ---- opening ---------------------------------------------------------------------- */

static int
open_db(skl_ledger **out, const char *path, int create)
{
    skl_ledger *l = calloc(1, sizeof *l);
    if (l == NULL)
        return SKL_ERR_NOMEM;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK) {
        skl_ledger_close(l);
        return create ? SKL_ERR_IO : SKL_ERR_NOTFOUND;
    }
    sqlite3_busy_timeout(l->db, 30000);
    sqlite3_extended_result_codes(l->db, 1);
    /* WAL: readers never block the writer; FULL: an index reported is an index kept. */
    if (skl_store_exec(l, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA cache_size=-8192;") != SKL_OK) {
        int notadb = sqlite3_errcode(l->db) == SQLITE_NOTADB;
        skl_ledger_close(l);
        return notadb ? SKL_ERR_CORRUPT : SKL_ERR_DB;
    }
    *out = l;
    return SKL_OK;
}

static int
meta_put(skl_ledger *l, const char *key, const void *value, int len)
{
    sqlite3_stmt *st = NULL;
    int rc = SKL_OK;
    if (sqlite3_prepare_v2(l->db, "INSERT INTO meta(key, value) VALUES(?, ?)", -1, &st, NULL) !=
        SQLITE_OK)
        return skl_ledger_dbfail(l, "meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, value, len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = skl_ledger_dbfail(l, "meta");
    sqlite3_finalize(st);
    return rc;
}

/* Copies meta value key into buf (cap bytes, NUL-terminated if text); *len = bytes. */
static int
meta_get(skl_ledger *l, const char *key, void *buf, size_t cap, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int rc = SKL_ERR_CORRUPT;
    if (sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
        SQLITE_OK)
        return skl_ledger_fail(l, SKL_ERR_CORRUPT, "not an skl ledger: %s", sqlite3_errmsg(l->db));
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        const void *p = sqlite3_column_blob(st, 0);
        if (n >= 0 && (size_t)n < cap) {
            if (n > 0)
                memcpy(buf, p, (size_t)n);
            ((char *)buf)[n] = '\0';
            *len = (size_t)n;
            rc = SKL_OK;
        }
    }
    sqlite3_finalize(st);
    if (rc != SKL_OK)
        skl_ledger_fail(l, rc, "not an skl ledger: meta %s missing or malformed", key);
    return rc;
}

skl_err
skl_ledger_create(skl_ledger **out, const char *path, const char *origin, const skl_key *log_key)
{
    *out = NULL;
    size_t olen = strlen(origin);
    if (olen == 0 || olen > SKL_LEDGER_ORIGIN_MAX || strpbrk(origin, "\n\r") != NULL)
        return SKL_ERR_INVAL;
    struct stat sb;
    if (stat(path, &sb) == 0)
        return SKL_ERR_EXISTS;
    skl_ledger *l = NULL;
    int rc = open_db(&l, path, 1);
    if (rc != SKL_OK)
        return rc;
    const char *name = skl_key_name(log_key);
    if ((rc = skl_store_exec(l, "BEGIN IMMEDIATE")) != SKL_OK)
        goto fail;
    if ((rc = skl_store_exec(l, schema)) != SKL_OK ||
        (rc = meta_put(l, "format", SKL_LEDGER_FORMAT, (int)strlen(SKL_LEDGER_FORMAT))) != SKL_OK ||
        (rc = meta_put(l, "origin", origin, (int)olen)) != SKL_OK ||
        (rc = meta_put(l, "log_name", name, (int)strlen(name))) != SKL_OK ||
        (rc = meta_put(l, "log_public_key", skl_key_public(log_key), 32)) != SKL_OK ||
        (rc = skl_store_exec(l, "COMMIT")) != SKL_OK)
        goto fail;
    memcpy(l->origin, origin, olen + 1);
    snprintf(l->log_name, sizeof l->log_name, "%s", name);
    memcpy(l->log_pub, skl_key_public(log_key), 32);
    *out = l;
    return SKL_OK;
fail:
    skl_ledger_close(l);
    unlink(path);
    return rc;
}

skl_err
skl_ledger_open(skl_ledger **out, const char *path)
{
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return SKL_ERR_NOTFOUND;
    skl_ledger *l = NULL;
    int rc = open_db(&l, path, 0);
    if (rc != SKL_OK)
        return rc;
    char format[64];
    size_t n;
    if ((rc = meta_get(l, "format", format, sizeof format, &n)) != SKL_OK)
        goto fail;
    if (strcmp(format, SKL_LEDGER_FORMAT) != 0) {
        rc = SKL_ERR_CORRUPT;
        goto fail;
    }
    uint8_t pub[33];
    if ((rc = meta_get(l, "origin", l->origin, sizeof l->origin, &n)) != SKL_OK ||
        (rc = meta_get(l, "log_name", l->log_name, sizeof l->log_name, &n)) != SKL_OK ||
        (rc = meta_get(l, "log_public_key", pub, sizeof pub, &n)) != SKL_OK)
        goto fail;
    if (n != 32) {
        rc = SKL_ERR_CORRUPT;
        goto fail;
    }
    memcpy(l->log_pub, pub, 32);
    if ((rc = skl_policy_open(&l->policy, l)) != SKL_OK)
        goto fail;
    *out = l;
    return SKL_OK;
fail:
    skl_ledger_close(l);
    return rc;
}

void
skl_ledger_close(skl_ledger *l)
{
    if (l == NULL)
        return;
    sqlite3_stmt **sts[] = {&l->st_size,     &l->st_leaf,      &l->st_node_exists, &l->st_nodes,
                            &l->st_put_leaf, &l->st_put_node,  &l->st_put_id,      &l->st_find_id,
                            &l->st_put_cp,   &l->st_latest_cp, &l->st_cp_at,
                            &l->st_status_node, &l->st_put_status_node};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(*sts[i]);
    skl_policy_free(l->policy);
    sqlite3_close(l->db);
    free(l);
}

const char *
skl_ledger_errmsg(const skl_ledger *l)
{
    return l ? l->errmsg : "";
}

const char *
skl_ledger_origin(const skl_ledger *l)
{
    return l->origin;
}

const uint8_t *
skl_ledger_log_public(const skl_ledger *l)
{
    return l->log_pub;
}

const char *
skl_ledger_log_name(const skl_ledger *l)
{
    return l->log_name;
}

void
skl_ledger_set_time(skl_ledger *l, int64_t unix_seconds)
{
    l->fixed_time = unix_seconds;
}

/* ---- reading ------------------------------------------------------------------------ */

int
skl_store_size(skl_ledger *l, uint64_t *size)
{
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_size, "SELECT max(idx) FROM leaves");
    if (st == NULL)
        return SKL_ERR_DB;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return skl_ledger_dbfail(l, "size");
    *size =
        sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : (uint64_t)sqlite3_column_int64(st, 0) + 1;
    sqlite3_reset(st);
    return SKL_OK;
}

skl_err
skl_ledger_size(skl_ledger *l, uint64_t *size)
{
    return skl_store_size(l, size);
}

int
skl_store_hashes(skl_ledger *l, unsigned level, uint64_t first, size_t count, uint8_t (*out)[32])
{
    sqlite3_stmt *st = skl_ledger_stmt(
        l, &l->st_nodes,
        "SELECT idx, hash FROM nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int(st, 1, (int)level);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)first);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)(first + count));
    size_t got = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if ((uint64_t)sqlite3_column_int64(st, 0) != first + got ||
            sqlite3_column_bytes(st, 1) != 32) {
            sqlite3_reset(st);
            return skl_ledger_fail(l, SKL_ERR_CORRUPT,
                                   "stored hash at level %u index %llu is missing or malformed",
                                   level, (unsigned long long)(first + got));
        }
        memcpy(out[got++], sqlite3_column_blob(st, 1), 32);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return skl_ledger_dbfail(l, "reading hashes");
    if (got != count)
        return skl_ledger_fail(l, SKL_ERR_CORRUPT, "stored hash at level %u index %llu is missing",
                               level, (unsigned long long)(first + got));
    return SKL_OK;
}

/* Offset in a tile's node array of the nodes at sub-height s (0 = the 256 tile hashes). */
#define TILE_OFF(s) (512 - (512 >> (s)))

/* 1 if the tile (level, n) is full: its own hash is stored one level up. */
static int
tile_full(skl_ledger *l, unsigned level, uint64_t n)
{
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &l->st_node_exists, "SELECT 1 FROM nodes WHERE level = ? AND idx = ?");
    if (st == NULL)
        return 0;
    sqlite3_bind_int(st, 1, (int)level + 1);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)n);
    int full = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return full;
}

void
skl_store_forget(skl_ledger *l)
{
    l->range_ok = 0;
    for (unsigned i = 0; i < SKL_TILE_CACHE; i++)
        l->tiles[i].valid = 0;
}

/* The full tile (level, n) with all its internal nodes, from the cache or the store. */
static int
upper_tile(skl_ledger *l, unsigned level, uint64_t n, const struct skl_tile_nodes **out)
{
    for (unsigned i = 0; i < SKL_TILE_CACHE; i++) {
        const struct skl_tile_nodes *t = &l->tiles[i];
        if (t->valid && t->level == level && t->n == n) {
            *out = t;
            return SKL_OK;
        }
    }
    struct skl_tile_nodes *t = &l->tiles[l->tile_next];
    t->valid = 0;
    int rc = skl_store_hashes(l, level, n * 256, 256, t->node);
    if (rc != SKL_OK)
        return rc;
    for (unsigned s = 1; s < 8; s++)
        for (unsigned j = 0; j < (256u >> s); j++)
            skl_merkle_node_hash(t->node[TILE_OFF(s) + j], t->node[TILE_OFF(s - 1) + 2 * j],
                                 t->node[TILE_OFF(s - 1) + 2 * j + 1]);
    t->level = level;
    t->n = n;
    t->valid = 1;
    l->tile_next = (l->tile_next + 1) % SKL_TILE_CACHE;
    *out = t;
    return SKL_OK;
}

int
skl_store_node(void *ctx, unsigned height, uint64_t index, uint8_t out[32])
{
    skl_ledger *l = ctx;
    /* Hashes are stored at heights 0, 8, 16, ... (the tile hashes). A node in between is
     * folded from at most 128 of them; for the few, hot tiles above level 0, all internal
     * nodes are kept in a small cache, so a proof's cost does not grow with the tree. */
    unsigned level = height / 8, sub = height % 8;
    size_t count = (size_t)1 << sub;
    if (height >= 64 || (index >> (63 - sub)) != 0)
        return SKL_ERR_INVAL;
    if (sub == 0) {
        uint8_t h[1][32];
        int rc = skl_store_hashes(l, level, index, 1, h);
        if (rc == SKL_OK)
            memcpy(out, h[0], 32);
        return rc;
    }
    uint64_t tile = (index << sub) / 256;
    if (level > 0 && tile_full(l, level, tile)) {
        const struct skl_tile_nodes *t;
        int rc = upper_tile(l, level, tile, &t);
        if (rc == SKL_OK)
            memcpy(out, t->node[TILE_OFF(sub) + (index % (256u >> sub))], 32);
        return rc;
    }
    uint8_t hashes[128][32];
    int rc = skl_store_hashes(l, level, index << sub, count, hashes);
    if (rc != SKL_OK)
        return rc;
    skl_merkle_fold(out, (const uint8_t(*)[32])hashes, count);
    return SKL_OK;
}

int
skl_store_sync_range(skl_ledger *l, uint64_t size)
{
    if (l->range_ok && l->range.size == size)
        return SKL_OK;
    l->range_ok = 0;
    int rc = skl_merkle_range_load(&l->range, size, skl_store_node, l);
    if (rc == SKL_OK)
        l->range_ok = 1;
    return rc;
}
