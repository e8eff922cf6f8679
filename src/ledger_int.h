/*
 * ledger_int.h - the ledger handle and its SQLite store (private to libskl).
 *
 * Tables (spec/store.md): meta, leaves(idx, hash, data), nodes(level, idx, hash) for the
 * complete subtrees of height 8*level (level >= 1; level 0 is leaves.hash),
 * credential_ids(id_hash, idx), checkpoints(seq, size, time, note). All immutable.
 */
#ifndef SKL_LEDGER_INT_H
#define SKL_LEDGER_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "buf_int.h"
#include "skl/key.h"
#include "skl/ledger.h"
#include "skl/merkle.h"

#define SKL_LEDGER_FORMAT "skl-ledger-v1"

struct skl_ledger {
    sqlite3 *db;
    char origin[SKL_LEDGER_ORIGIN_MAX + 1];
    char log_name[SKL_KEY_NAME_MAX + 1];
    uint8_t log_pub[32];
    int64_t fixed_time;
    char errmsg[512];
    skl_merkle_range range; /* the right edge at range.size, when range_ok */
    int range_ok;
    sqlite3_stmt *st_size, *st_leaf, *st_leaf_hashes, *st_nodes, *st_put_leaf, *st_put_node,
        *st_put_id, *st_find_id, *st_put_cp, *st_latest_cp, *st_cp_at;
};

/* Sets l->errmsg from a format and returns code. */
int skl_ledger_fail(skl_ledger *l, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* SKL_ERR_DB with SQLite's message prefixed by what. */
int skl_ledger_dbfail(skl_ledger *l, const char *what);

/* Prepares *st once (cached on the handle) and resets it for reuse. NULL on error. */
sqlite3_stmt *skl_ledger_stmt(skl_ledger *l, sqlite3_stmt **st, const char *sql);

int skl_store_size(skl_ledger *l, uint64_t *size);
/* skl_merkle_node_fn over the store: ctx is the skl_ledger. */
int skl_store_node(void *ctx, unsigned height, uint64_t index, uint8_t out[32]);
/* count consecutive stored hashes at height 8*level starting at first. */
int skl_store_hashes(skl_ledger *l, unsigned level, uint64_t first, size_t count,
                     uint8_t (*out)[32]);
/* Makes l->range describe the tree of `size` leaves. */
int skl_store_sync_range(skl_ledger *l, uint64_t size);
int skl_store_exec(skl_ledger *l, const char *sql);
int64_t skl_ledger_now(const skl_ledger *l);

#endif
