/*
 * ledger_int.h - the ledger handle and its SQLite store (private to libskl).
 *
 * Tables (spec/store.md): meta, leaves(idx, data), nodes(level, idx, hash) for the
 * complete subtrees of height 8*level (level 0: the leaf hashes),
 * credential_ids(id, idx), checkpoints(seq, size, time, note). All immutable.
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

/* How many full tiles above level 0 a handle keeps with all their internal nodes. */
#define SKL_TILE_CACHE 16

/* A full tile's 256 hashes and the 255 nodes above them, sub-height by sub-height. */
struct skl_tile_nodes {
    int valid;
    unsigned level;
    uint64_t n;
    uint8_t node[511][32];
};

struct skl_policy;

struct skl_ledger {
    sqlite3 *db;
    struct skl_policy *policy; /* the authority's rules, or NULL (no authority root) */
    char origin[SKL_LEDGER_ORIGIN_MAX + 1];
    char log_name[SKL_KEY_NAME_MAX + 1];
    uint8_t log_pub[32];
    int64_t fixed_time;
    char errmsg[512];
    skl_merkle_range range; /* the right edge at range.size, when range_ok */
    int range_ok;
    sqlite3_stmt *st_size, *st_leaf, *st_nodes, *st_node_exists, *st_put_leaf, *st_put_node,
        *st_put_id, *st_find_id, *st_put_cp, *st_latest_cp, *st_cp_at, *st_status_node,
        *st_put_status_node;
    struct skl_tile_nodes tiles[SKL_TILE_CACHE]; /* immutable once full: never stale */
    unsigned tile_next;
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
/* Forgets cached tiles and the right edge (after a rollback). */
void skl_store_forget(skl_ledger *l);
/* Makes l->range describe the tree of `size` leaves. */
int skl_store_sync_range(skl_ledger *l, uint64_t size);
int skl_store_exec(skl_ledger *l, const char *sql);
/* One read transaction around several reads (one snapshot, one lock instead of one per
 * statement). Returns whether it began one; pass that to skl_store_read_end. */
int skl_store_read_begin(skl_ledger *l);
void skl_store_read_end(skl_ledger *l, int began);
int64_t skl_ledger_now(const skl_ledger *l);

#endif
