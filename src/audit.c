/*
 * audit.c - re-deriving everything a ledger claims, from its database or from its
 * published tiles, and naming the first thing that is wrong.
 *
 * Both audits feed leaves in order, in chunks, to one checker: each chunk's records are
 * parsed and their signatures verified on worker threads, then the chain, the stored
 * hashes and the tree are checked in order. Memory stays at one chunk plus the tree's
 * right edge, whatever the ledger's size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledger_int.h"
#include "policy_int.h"
#include "leaf_int.h"
#include "parallel_int.h"
#include "sha256_int.h"
#include "skl/note.h"
#include "tiles_int.h"

#define CHUNK 1024

struct aitem {
    char *data; /* the leaf record, owned */
    size_t len;
    uint8_t stored[32]; /* the hash the source claims for it */
    uint8_t hash[32];   /* the hash of its bytes */
    uint8_t prev[32];
    uint8_t id_hash[32];
    uint64_t index;
    int is_status; /* a status snapshot: no signature, no credential id */
    skl_vc_sigcheck sig;
    int err;
    char why[256];
};

/* Checks a stored subtree hash at height 8*level against the recomputed one. */
typedef int (*node_check_fn)(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32]);

/*
 * The credential-id index is checked as a whole rather than by one random lookup per
 * leaf: both sides add SHA-256(id_hash || index) into a 4 x 64-bit lane sum, and a
 * mismatch (or a count that differs) sends the audit looking for the first bad leaf.
 */
static void
ids_add(uint64_t sum[4], const uint8_t id_hash[32], uint64_t index)
{
    uint8_t in[40], h[32];
    memcpy(in, id_hash, 32);
    for (int i = 0; i < 8; i++)
        in[32 + i] = (uint8_t)(index >> (8 * i));
    skl_sha256(h, in, sizeof in);
    for (int lane = 0; lane < 4; lane++) {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | h[8 * lane + i];
        sum[lane] += v;
    }
}

struct auditor {
    skl_merkle_range range;
    uint8_t prev[32];
    struct aitem items[CHUNK];
    size_t n;
    skl_buf scratch[SKL_MAX_THREADS], canon[SKL_MAX_THREADS];
    unsigned threads;
    uint64_t ids[4]; /* multiset digest of (credential id hash, index) over the leaves */
    uint64_t credentials; /* leaves that hold a credential (not status snapshots) */
    node_check_fn check_node;
    void *ctx;
    skl_audit_report *rep;
    const char *what; /* "leaf" or "entry" */
    int failed;
};

static int report(skl_audit_report *rep, int64_t index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
report(skl_audit_report *rep, int64_t index, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->why, sizeof rep->why, fmt, ap);
    va_end(ap);
    rep->bad_index = index;
    return SKL_ERR_CORRUPT;
}

/* Worker: hash, parse and verify one record. */
static void
verify_item(void *ctx, size_t i, unsigned thread)
{
    struct auditor *a = ctx;
    struct aitem *it = &a->items[i];
    skl_leaf leaf;
    skl_merkle_leaf_hash(it->hash, it->data, it->len);
    it->err = skl_leaf_check(&leaf, it->id_hash, &it->sig, it->data, it->len, &a->scratch[thread],
                             &a->canon[thread], it->why, sizeof it->why);
    if (it->err != SKL_OK)
        return;
    it->index = leaf.index;
    it->is_status = leaf.is_status;
    memcpy(it->prev, leaf.prev, 32);
}

static int
emit_node(void *ctx, unsigned height, uint64_t index, const uint8_t hash[32])
{
    struct auditor *a = ctx;
    if (height == 0 || height % 8 != 0)
        return 0;
    return a->check_node(a->ctx, height / 8, index, hash);
}

/* Worker: the signature check verify_item prepared. */
static void
check_signature(void *ctx, size_t i, unsigned thread)
{
    struct aitem *it = &((struct auditor *)ctx)->items[i];
    (void)thread;
    if (it->err == SKL_OK && !it->is_status)
        it->err = skl_vc_check_signature(&it->sig, it->why, sizeof it->why);
}

/* Checks the buffered chunk in order; frees its records. */
static int
flush(struct auditor *a)
{
    int rc = SKL_OK;
    /* All the parsing first, then all the signatures: each stays hot in the caches. */
    skl_parallel_for(a->n, a->threads, verify_item, a);
    skl_parallel_for(a->n, a->threads, check_signature, a);
    for (size_t i = 0; i < a->n && rc == SKL_OK; i++) {
        struct aitem *it = &a->items[i];
        uint64_t g = a->range.size;
        if (sodium_memcmp(it->hash, it->stored, 32) != 0)
            rc =
                report(a->rep, (int64_t)g, "%s %llu: its bytes do not hash to the stored leaf hash",
                       a->what, (unsigned long long)g);
        else if (it->err != SKL_OK)
            rc = report(a->rep, (int64_t)g, "%s %llu: %s", a->what, (unsigned long long)g, it->why);
        else if (it->index != g)
            rc = report(a->rep, (int64_t)g, "%s %llu: the record says index %llu", a->what,
                        (unsigned long long)g, (unsigned long long)it->index);
        else if (sodium_memcmp(it->prev, a->prev, 32) != 0)
            rc = report(a->rep, (int64_t)g,
                        "%s %llu: prev is not the hash of the leaf before it (chain broken)",
                        a->what, (unsigned long long)g);
        else if ((rc = skl_merkle_range_append(&a->range, it->hash, emit_node, a)) == SKL_OK) {
            memcpy(a->prev, it->hash, 32);
            if (!it->is_status) {
                ids_add(a->ids, it->id_hash, g);
                a->credentials++;
            }
            a->rep->leaves++;
        }
    }
    for (size_t i = 0; i < a->n; i++) {
        free(a->items[i].data);
        a->items[i].data = NULL;
    }
    a->n = 0;
    return rc;
}

/*
 * The reader found a problem (already in the report) at a point after everything read so
 * far: that is checked first, so that the report names the first bad leaf. Returns rc, or
 * the code of the earlier problem.
 */
static int
reader_error(struct auditor *a, int rc)
{
    skl_audit_report mine = *a->rep;
    int earlier = flush(a);
    if (earlier != SKL_OK)
        return earlier;
    snprintf(a->rep->why, sizeof a->rep->why, "%s", mine.why);
    a->rep->bad_index = mine.bad_index;
    return rc;
}

/* Queues one record (taking ownership of data); checks when the chunk is full. */
static int
feed(struct auditor *a, char *data, size_t len, const uint8_t stored[32])
{
    struct aitem *it = &a->items[a->n++];
    memset(it, 0, sizeof *it);
    it->data = data;
    it->len = len;
    memcpy(it->stored, stored, 32);
    return a->n == CHUNK ? flush(a) : SKL_OK;
}

static struct auditor *
auditor_new(unsigned threads, skl_audit_report *rep, const char *what)
{
    struct auditor *a = calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    skl_merkle_range_init(&a->range);
    a->threads = threads;
    a->rep = rep;
    a->what = what;
    memset(rep, 0, sizeof *rep);
    rep->bad_index = -1;
    return a;
}

static void
auditor_free(struct auditor *a)
{
    if (a == NULL)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->items[i].data);
    for (size_t t = 0; t < SKL_MAX_THREADS; t++) {
        skl_buf_free(&a->scratch[t]);
        skl_buf_free(&a->canon[t]);
    }
    free(a);
}

/* Verifies a checkpoint note: log signature, log cosignature, origin; returns its body. */
static int
check_checkpoint_note(const char *note, size_t len, const skl_note_verifier *sig,
                      const skl_note_verifier *cosig, const char *origin, skl_checkpoint *cp,
                      char *why, size_t whylen)
{
    skl_note *n = NULL;
    const char *text;
    size_t text_len;
    uint64_t ts;
    int rc = skl_note_parse(&n, note, len);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "is not a well-formed signed note (%s)", skl_strerror(rc));
        goto out;
    }
    if ((rc = skl_note_verify(n, sig, NULL)) != SKL_OK) {
        snprintf(why, whylen, "log signature %s",
                 rc == SKL_ERR_NOTFOUND ? "is missing" : "does not verify");
        rc = SKL_ERR_CORRUPT;
        goto out;
    }
    if (cosig && (rc = skl_note_verify(n, cosig, &ts)) != SKL_OK) {
        snprintf(why, whylen, "log timestamp cosignature %s",
                 rc == SKL_ERR_NOTFOUND ? "is missing" : "does not verify");
        rc = SKL_ERR_CORRUPT;
        goto out;
    }
    text = skl_note_text(n, &text_len);
    if ((rc = skl_checkpoint_parse(cp, text, text_len)) != SKL_OK) {
        snprintf(why, whylen, "is not a well-formed checkpoint");
        rc = SKL_ERR_CORRUPT;
        goto out;
    }
    if (strcmp(cp->origin, origin) != 0) {
        snprintf(why, whylen, "names origin \"%.100s\", expected \"%.100s\"", cp->origin, origin);
        rc = SKL_ERR_CORRUPT;
    }
out:
    skl_note_free(n);
    return rc;
}

/* ---- auditing the database ------------------------------------------------------------- */

struct dbctx {
    skl_ledger *l;
    sqlite3_stmt *node;
    skl_audit_report *rep;
};

static int
db_check_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
    struct dbctx *d = ctx;
    sqlite3_reset(d->node);
    sqlite3_bind_int(d->node, 1, (int)level);
    sqlite3_bind_int64(d->node, 2, (sqlite3_int64)index);
    int ok = sqlite3_step(d->node) == SQLITE_ROW && sqlite3_column_bytes(d->node, 0) == 32 &&
             sodium_memcmp(sqlite3_column_blob(d->node, 0), hash, 32) == 0;
    sqlite3_reset(d->node);
    uint64_t span = (uint64_t)1 << (8 * level);
    if (!ok)
        return report(d->rep, -1,
                      "stored subtree hash at level %u index %llu (leaves %llu..%llu) is missing "
                      "or does not match the leaves",
                      level, (unsigned long long)index, (unsigned long long)(index * span),
                      (unsigned long long)((index + 1) * span - 1));
    return SKL_OK;
}

/* Finds the first leaf that the credential-id index does not map to itself. */
static int
db_find_bad_id(skl_ledger *l, skl_audit_report *rep, uint64_t leaves)
{
    sqlite3_stmt *scan = NULL, *find = NULL;
    int rc = SKL_OK;
    if (sqlite3_prepare_v2(l->db, "SELECT idx, data FROM leaves ORDER BY idx", -1, &scan, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(l->db, "SELECT idx FROM credential_ids WHERE id = ?", -1, &find, NULL) !=
            SQLITE_OK) {
        rc = skl_ledger_dbfail(l, "audit");
        goto out;
    }
    while (rc == SKL_OK && sqlite3_step(scan) == SQLITE_ROW) {
        uint64_t idx = (uint64_t)sqlite3_column_int64(scan, 0);
        if (skl_leaf_is_status(sqlite3_column_blob(scan, 1), (size_t)sqlite3_column_bytes(scan, 1)))
            continue; /* a status snapshot has no credential id */
        skl_json_doc *doc = NULL;
        const skl_json_value *id = NULL;
        if (skl_json_parse(&doc, sqlite3_column_blob(scan, 1),
                           (size_t)sqlite3_column_bytes(scan, 1), SKL_LEAF_MAX, NULL, 0) == SKL_OK)
            id = skl_json_get(skl_json_get(skl_json_root(doc), "credential"), "id");
        int found = 0;
        if (id && id->type == SKL_JSON_STRING) {
            sqlite3_bind_text(find, 1, id->u.str, (int)id->n, SQLITE_STATIC);
            found =
                sqlite3_step(find) == SQLITE_ROW && (uint64_t)sqlite3_column_int64(find, 0) == idx;
            sqlite3_reset(find);
        }
        skl_json_free(doc);
        if (!found)
            rc = report(rep, (int64_t)idx,
                        "leaf %llu: the credential-id index does not point at this leaf",
                        (unsigned long long)idx);
    }
    if (rc == SKL_OK)
        rc = report(rep, -1, "the credential-id index holds entries for no leaf (%llu leaves)",
                    (unsigned long long)leaves);
out:
    sqlite3_finalize(scan);
    sqlite3_finalize(find);
    return rc;
}

/* Checks the credential-id index against the digest the audit built from the leaves. */
static int
db_check_ids(skl_ledger *l, const struct auditor *a, skl_audit_report *rep)
{
    sqlite3_stmt *st = NULL;
    uint64_t sum[4] = {0}, n = 0;
    int rc = SKL_OK;
    if (sqlite3_prepare_v2(l->db, "SELECT id, idx FROM credential_ids", -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "audit");
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t h[32];
        skl_sha256(h, sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        ids_add(sum, h, (uint64_t)sqlite3_column_int64(st, 1));
        n++;
    }
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = skl_ledger_dbfail(l, "reading the credential-id index");
    sqlite3_finalize(st);
    if (rc == SKL_OK && (n != a->credentials || memcmp(sum, a->ids, sizeof sum) != 0))
        rc = db_find_bad_id(l, rep, a->range.size);
    return rc;
}

/* Checks every stored checkpoint whose size is the auditor's current size. */
static int
db_checkpoints_at(skl_ledger *l, sqlite3_stmt *cps, int *have, const skl_note_verifier *sig,
                  const skl_note_verifier *cosig, struct auditor *a)
{
    uint8_t root[32];
    char why[256];
    while (*have) {
        uint64_t size = (uint64_t)sqlite3_column_int64(cps, 0);
        if (size > a->range.size)
            return SKL_OK;
        int64_t seq = sqlite3_column_int64(cps, 2);
        if (size < a->range.size)
            return report(a->rep, -1, "checkpoint #%lld: size %llu was skipped", (long long)seq,
                          (unsigned long long)size);
        skl_checkpoint cp;
        int rc = check_checkpoint_note((const char *)sqlite3_column_text(cps, 1),
                                       (size_t)sqlite3_column_bytes(cps, 1), sig, cosig, l->origin,
                                       &cp, why, sizeof why);
        if (rc != SKL_OK)
            return report(a->rep, -1, "checkpoint #%lld at size %llu %s", (long long)seq,
                          (unsigned long long)size, why);
        skl_merkle_range_root(&a->range, root);
        if (cp.size != size || sodium_memcmp(cp.root, root, 32) != 0)
            return report(a->rep, -1,
                          "checkpoint #%lld at size %llu does not match the tree (size %llu)",
                          (long long)seq, (unsigned long long)size, (unsigned long long)cp.size);
        a->rep->checkpoints++;
        int r = sqlite3_step(cps);
        if (r != SQLITE_ROW && r != SQLITE_DONE)
            return skl_ledger_dbfail(l, "reading checkpoints");
        *have = r == SQLITE_ROW;
    }
    return SKL_OK;
}

skl_err
skl_ledger_audit(skl_ledger *l, unsigned threads, skl_audit_report *rep)
{
    struct dbctx d = {l, NULL, rep};
    sqlite3_stmt *leaves = NULL, *cps = NULL;
    skl_note_verifier sig, cosig;
    int have_cp = 0, rc;
    struct auditor *a = auditor_new(threads, rep, "leaf");
    if (a == NULL)
        return SKL_ERR_NOMEM;
    a->check_node = db_check_node;
    a->ctx = &d;
    memset(&sig, 0, sizeof sig);
    snprintf(sig.name, sizeof sig.name, "%s", l->log_name);
    memcpy(sig.pub, l->log_pub, 32);
    sig = skl_note_verifier_for(&sig, SKL_NOTE_KEY_ED25519);
    cosig = skl_note_verifier_for(&sig, SKL_NOTE_KEY_COSIGNATURE);

    /* One read transaction: the audit sees one consistent snapshot. */
    if ((rc = skl_store_exec(l, "BEGIN")) != SKL_OK)
        goto out;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT l.idx, n.hash, l.data FROM leaves l LEFT JOIN nodes n "
                           "ON n.level = 0 AND n.idx = l.idx ORDER BY l.idx",
                           -1, &leaves, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db, "SELECT size, note, seq FROM checkpoints ORDER BY size, seq", -1,
                           &cps, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(l->db, "SELECT hash FROM nodes WHERE level = ? AND idx = ?", -1, &d.node,
                           NULL) != SQLITE_OK) {
        rc = skl_ledger_dbfail(l, "audit");
        goto out;
    }
    int r = sqlite3_step(cps);
    have_cp = r == SQLITE_ROW;
    if ((rc = db_checkpoints_at(l, cps, &have_cp, &sig, &cosig, a)) != SKL_OK)
        goto out;
    for (;;) {
        r = sqlite3_step(leaves);
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW) {
            rc = skl_ledger_dbfail(l, "reading leaves");
            goto out;
        }
        uint64_t idx = (uint64_t)sqlite3_column_int64(leaves, 0);
        uint64_t expect = a->range.size + a->n;
        if (idx != expect) {
            rc = report(rep, (int64_t)expect, "leaf %llu is missing", (unsigned long long)expect);
            rc = reader_error(a, rc);
            goto out;
        }
        uint8_t stored[32] = {0};
        if (sqlite3_column_bytes(leaves, 1) == 32)
            memcpy(stored, sqlite3_column_blob(leaves, 1), 32);
        size_t len = (size_t)sqlite3_column_bytes(leaves, 2);
        char *data = malloc(len + 1);
        if (data == NULL) {
            rc = SKL_ERR_NOMEM;
            goto out;
        }
        memcpy(data, sqlite3_column_blob(leaves, 2), len);
        data[len] = '\0';
        if ((rc = feed(a, data, len, stored)) != SKL_OK)
            goto out;
        /* A checkpoint is checked as soon as the tree reaches its size. */
        if (have_cp && (uint64_t)sqlite3_column_int64(cps, 0) <= a->range.size + a->n) {
            if ((rc = flush(a)) != SKL_OK ||
                (rc = db_checkpoints_at(l, cps, &have_cp, &sig, &cosig, a)) != SKL_OK)
                goto out;
        }
    }
    if ((rc = flush(a)) != SKL_OK ||
        (rc = db_checkpoints_at(l, cps, &have_cp, &sig, &cosig, a)) != SKL_OK)
        goto out;
    if (have_cp) {
        rc = report(rep, -1, "checkpoint at size %llu is beyond the ledger's %llu leaves",
                    (unsigned long long)sqlite3_column_int64(cps, 0),
                    (unsigned long long)a->range.size);
        goto out;
    }
    rc = db_check_ids(l, a, rep);
    if (rc == SKL_OK && l->policy != NULL)
        rc = skl_policy_audit(l, rep);
out:
    sqlite3_finalize(leaves);
    sqlite3_finalize(cps);
    sqlite3_finalize(d.node);
    sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
    auditor_free(a);
    return rc;
}

/* ---- auditing published tiles ------------------------------------------------------ */

struct tilectx {
    const char *dir;
    uint64_t size;
    skl_audit_report *rep;
    /* one cached tile per level */
    uint8_t (*tile[8])[32];
    uint64_t tile_n[8];
    unsigned tile_w[8];
};

/* Loads the tile (level, n) of the tree of t->size leaves into the cache. */
static int
load_tile(struct tilectx *t, int level, uint64_t n, uint8_t (**out)[32], unsigned *width,
          char **raw, size_t *raw_len)
{
    char path[SKL_TILE_PATH_MAX];
    unsigned hl = level < 0 ? 0 : (unsigned)level;
    uint64_t hashes = t->size >> (8 * hl);
    uint64_t left = hashes - n * SKL_TILE_WIDTH;
    unsigned w = left >= SKL_TILE_WIDTH ? SKL_TILE_WIDTH : (unsigned)left;
    if (skl_tile_path(path, sizeof path, t->dir, level, n, w) != 0)
        return report(t->rep, -1, "tile path too long");
    char *data = NULL;
    size_t len = 0;
    size_t max = level < 0 ? (size_t)w * 65537 : (size_t)w * 32;
    int rc = skl_read_file(path, max, &data, &len);
    if (rc == SKL_ERR_NOTFOUND && w == SKL_TILE_WIDTH)
        return report(t->rep, -1, "%s is missing", path);
    if (rc == SKL_ERR_NOTFOUND) {
        /* A partial tile may have been replaced by its full tile. */
        char full[SKL_TILE_PATH_MAX];
        if (skl_tile_path(full, sizeof full, t->dir, level, n, SKL_TILE_WIDTH) != 0)
            return report(t->rep, -1, "tile path too long");
        rc = skl_read_file(full, level < 0 ? 256 * 65537 : 256 * 32, &data, &len);
        if (rc == SKL_ERR_NOTFOUND)
            return report(t->rep, -1, "%s is missing", path);
        snprintf(path, sizeof path, "%s", full);
        w = SKL_TILE_WIDTH;
    }
    if (rc != SKL_OK)
        return report(t->rep, -1, "%s cannot be read (%s)", path, skl_strerror(rc));
    if (level >= 0) {
        if (len != (size_t)w * 32 && len != SKL_TILE_WIDTH * 32) {
            free(data);
            return report(t->rep, -1, "%s is %zu bytes, expected %u hashes", path, len, w);
        }
        *out = (uint8_t(*)[32])data;
        *width = (unsigned)(len / 32);
    } else {
        *raw = data;
        *raw_len = len;
        *width = w; /* entries in the file read: a full bundle may stand for a partial one */
    }
    return SKL_OK;
}

static int
tiles_check_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
    struct tilectx *t = ctx;
    uint64_t n = index / SKL_TILE_WIDTH;
    unsigned pos = (unsigned)(index % SKL_TILE_WIDTH);
    if (level >= 8)
        return SKL_OK;
    if (t->tile[level] == NULL || t->tile_n[level] != n) {
        free(t->tile[level]);
        t->tile[level] = NULL;
        int rc = load_tile(t, (int)level, n, &t->tile[level], &t->tile_w[level], NULL, NULL);
        if (rc != SKL_OK)
            return rc;
        t->tile_n[level] = n;
    }
    if (pos >= t->tile_w[level] || sodium_memcmp(t->tile[level][pos], hash, 32) != 0)
        return report(t->rep, -1,
                      "tile %u/%llu hash %u does not match the subtree of leaves %llu..%llu", level,
                      (unsigned long long)n, pos, (unsigned long long)(index << (8 * level)),
                      (unsigned long long)(((index + 1) << (8 * level)) - 1));
    return SKL_OK;
}

skl_err
skl_tiles_audit(const char *dir, const char *vkey, unsigned threads, skl_audit_report *rep)
{
    struct tilectx t;
    skl_note_verifier sig, cosig;
    skl_checkpoint cp;
    char path[SKL_TILE_PATH_MAX], why[256];
    char *note = NULL;
    size_t note_len;
    uint8_t(*level0)[32] = NULL;
    char *bundle = NULL;
    int rc;
    memset(&t, 0, sizeof t);
    struct auditor *a = auditor_new(threads, rep, "entry");
    if (a == NULL)
        return SKL_ERR_NOMEM;
    t.dir = dir;
    t.rep = rep;
    a->check_node = tiles_check_node;
    a->ctx = &t;
    if ((rc = skl_note_vkey_parse(&sig, vkey)) != SKL_OK || sig.type != SKL_NOTE_KEY_ED25519) {
        rc = SKL_ERR_KEY;
        goto out;
    }
    cosig = skl_note_verifier_for(&sig, SKL_NOTE_KEY_COSIGNATURE);
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    if ((rc = skl_read_file(path, SKL_NOTE_MAX_LEN, &note, &note_len)) != SKL_OK) {
        rc = rc == SKL_ERR_NOTFOUND ? SKL_ERR_NOTFOUND : rc;
        report(rep, -1, "%s cannot be read (%s)", path, skl_strerror(rc));
        goto out;
    }
    /* The origin is whatever the log signed; the vkey is what we trust. */
    skl_note *n = NULL;
    if (skl_note_parse(&n, note, note_len) == SKL_OK) {
        size_t tl;
        const char *text = skl_note_text(n, &tl);
        if (skl_checkpoint_parse(&cp, text, tl) != SKL_OK)
            cp.origin[0] = '\0';
    }
    skl_note_free(n);
    if ((rc = check_checkpoint_note(note, note_len, &sig, &cosig, cp.origin, &cp, why,
                                    sizeof why)) != SKL_OK) {
        rc = report(rep, -1, "checkpoint %s", why);
        goto out;
    }
    rep->checkpoints = 1;
    t.size = cp.size;
    for (uint64_t b = 0; b * SKL_TILE_WIDTH < cp.size; b++) {
        unsigned w0, wb;
        size_t blen = 0;
        if ((rc = load_tile(&t, 0, b, &level0, &w0, NULL, NULL)) != SKL_OK ||
            (rc = load_tile(&t, -1, b, NULL, &wb, &bundle, &blen)) != SKL_OK) {
            rc = reader_error(a, rc);
            goto out;
        }
        uint64_t first = b * SKL_TILE_WIDTH;
        unsigned want =
            cp.size - first >= SKL_TILE_WIDTH ? SKL_TILE_WIDTH : (unsigned)(cp.size - first);
        size_t off = 0;
        for (unsigned i = 0; i < want; i++) {
            if (blen - off < 2) {
                rc = report(rep, (int64_t)(first + i), "entry bundle %llu ends before entry %llu",
                            (unsigned long long)b, (unsigned long long)(first + i));
                rc = reader_error(a, rc);
                goto out;
            }
            size_t len = (size_t)((uint8_t)bundle[off]) << 8 | (uint8_t)bundle[off + 1];
            off += 2;
            if (blen - off < len) {
                rc = report(rep, (int64_t)(first + i), "entry %llu is truncated",
                            (unsigned long long)(first + i));
                rc = reader_error(a, rc);
                goto out;
            }
            char *data = malloc(len + 1);
            if (data == NULL) {
                rc = SKL_ERR_NOMEM;
                goto out;
            }
            memcpy(data, bundle + off, len);
            data[len] = '\0';
            off += len;
            if (i >= w0) {
                free(data);
                rc = report(rep, (int64_t)(first + i), "level-0 tile %llu is too short",
                            (unsigned long long)b);
                rc = reader_error(a, rc);
                goto out;
            }
            if ((rc = feed(a, data, len, level0[i])) != SKL_OK)
                goto out;
        }
        if (wb == want && off != blen) {
            rc = report(rep, -1, "entry bundle %llu has %zu bytes after its last entry",
                        (unsigned long long)b, blen - off);
            rc = reader_error(a, rc);
            goto out;
        }
        free(level0);
        level0 = NULL;
        free(bundle);
        bundle = NULL;
    }
    if ((rc = flush(a)) != SKL_OK)
        goto out;
    uint8_t root[32];
    skl_merkle_range_root(&a->range, root);
    if (a->range.size != cp.size || sodium_memcmp(root, cp.root, 32) != 0)
        rc = report(rep, -1, "the tiles' root does not match the checkpoint's");
out:
    for (int i = 0; i < 8; i++)
        free(t.tile[i]);
    free(level0);
    free(bundle);
    free(note);
    auditor_free(a);
    return rc;
}
