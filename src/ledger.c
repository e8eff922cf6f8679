/* ledger.c - appending verified credentials, proofs, and checkpoints. */
#include "ledger_int.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "json_int.h"
#include "leaf_int.h"
#include "parallel_int.h" /* SKL_MAX_THREADS */
#include "policy_int.h"
#include "sha256_int.h"
#include "skl/note.h"
#include "skl/vc.h"

/* A leaf's hash and record (l->st_leaf). */
#define LEAF_SQL                                                                                   \
    "SELECT n.hash, l.data FROM leaves l LEFT JOIN nodes n ON n.level = 0 AND n.idx = l.idx "     \
    "WHERE l.idx = ?"

/* ---- appending ------------------------------------------------------------------------ */

/* One credential on its way in. */
struct pending {
    const char *text;
    size_t len;
    skl_ledger_item *item;
    skl_buf canon; /* the credential's canonical JSON, once verified */
    char *id;
    skl_vc_sigcheck sig;
    skl_claim claim; /* what it claims, when the ledger enforces a policy */
    atomic_int verified; /* set (release) once item, canon and id are final */
};

/*
 * A batch in flight. Verification is claimed chunk by chunk from `next` by every thread;
 * the calling thread also sequences items in order as soon as each is verified, so the
 * serial work overlaps the verification of the items after it.
 */
struct batch {
    struct pending *p;
    size_t n;
    atomic_size_t next;
    const skl_refdata *rd; /* the policy's reference data, or NULL: no policy */
    skl_buf scratch[SKL_MAX_THREADS];
};

/* Parses, verifies and canonicalizes one credential. */
static void
verify_one(struct batch *b, size_t i, unsigned thread)
{
    struct pending *p = &b->p[i];
    skl_ledger_item *it = p->item;
    skl_json_doc *doc = NULL;
    const char *id = NULL;
    char jwhy[160];

    if (p->len > SKL_VC_MAX_LEN) {
        it->err = SKL_ERR_LIMIT;
        snprintf(it->why, sizeof it->why, "credential is %zu bytes; the ledger takes at most %d",
                 p->len, SKL_VC_MAX_LEN);
        return;
    }
    it->err = skl_json_parse_keep(&doc, p->text, p->len, SKL_VC_MAX_LEN, jwhy, sizeof jwhy);
    if (it->err != SKL_OK) {
        snprintf(it->why, sizeof it->why, "not valid JSON: %s", jwhy);
        return;
    }
    const skl_json_value *root = skl_json_root(doc);
    if (root->type != SKL_JSON_OBJECT) {
        it->err = SKL_ERR_SCHEMA;
        snprintf(it->why, sizeof it->why, "not a credential: the JSON is not an object");
        goto out;
    }
    it->err = skl_profile_check(root, &id, &b->scratch[thread], &p->canon, &p->sig, it->why,
                                sizeof it->why);
    if (it->err != SKL_OK)
        goto out;
    if ((p->id = strdup(id)) == NULL) {
        it->err = SKL_ERR_NOMEM;
        snprintf(it->why, sizeof it->why, "out of memory");
        goto out;
    }
    if (p->canon.len > SKL_VC_MAX_LEN) {
        it->err = SKL_ERR_LIMIT;
        snprintf(it->why, sizeof it->why,
                 "credential is %zu bytes in canonical form; the ledger takes at most %d",
                 p->canon.len, SKL_VC_MAX_LEN);
        goto out;
    }
    if (b->rd != NULL)
        it->err = skl_claim_extract(&p->claim, root, b->rd, it->why, sizeof it->why);
out:
    skl_json_free(doc);
}

/* Items are claimed in chunks; a chunk's signatures are checked back to back. */
#define CHUNK 16

/* Verifies the next unclaimed chunk; 0 when none is left. */
static int
verify_next(struct batch *b, unsigned thread)
{
    size_t first = atomic_fetch_add(&b->next, CHUNK);
    if (first >= b->n)
        return 0;
    size_t end = first + CHUNK < b->n ? first + CHUNK : b->n;
    for (size_t i = first; i < end; i++)
        verify_one(b, i, thread);
    for (size_t i = first; i < end; i++) {
        skl_ledger_item *it = b->p[i].item;
        if (it->err == SKL_OK)
            it->err = skl_vc_check_signature(&b->p[i].sig, it->why, sizeof it->why);
        atomic_store_explicit(&b->p[i].verified, 1, memory_order_release);
    }
    return 1;
}

struct worker {
    struct batch *b;
    unsigned thread;
    pthread_t tid;
};

static void *
verify_worker(void *arg)
{
    struct worker *w = arg;
    while (verify_next(w->b, w->thread))
        ;
    return NULL;
}

/* Waits for item i: verifies others meanwhile, or yields while a worker finishes it. */
static void
await_item(struct batch *b, size_t i)
{
    while (!atomic_load_explicit(&b->p[i].verified, memory_order_acquire))
        if (!verify_next(b, 0))
            sched_yield();
}

/* Stores the hashes of complete subtrees at heights 0, 8, 16, ...: the tile hashes. */
static int
store_node(void *ctx, unsigned height, uint64_t index, const uint8_t hash[32])
{
    skl_ledger *l = ctx;
    if (height % 8 != 0)
        return 0;
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &l->st_put_node, "INSERT INTO nodes(level, idx, hash) VALUES(?, ?, ?)");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int(st, 1, (int)(height / 8));
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 3, hash, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "storing node");
    sqlite3_reset(st);
    return rc;
}

/* Claims the credential id; SKL_ERR_DUPLICATE (with the holder's index) if taken. */
static int
claim_id(skl_ledger *l, struct pending *p, uint64_t index, uint64_t base)
{
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &l->st_put_id, "INSERT INTO credential_ids(id, idx) VALUES(?, ?)");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return SKL_OK;
    if ((rc & 0xff) != SQLITE_CONSTRAINT) /* the primary key, or the trigger before it */
        return skl_ledger_dbfail(l, "storing credential id");
    uint64_t at = 0;
    st = skl_ledger_stmt(l, &l->st_find_id, "SELECT idx FROM credential_ids WHERE id = ?");
    if (st != NULL) {
        sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            at = (uint64_t)sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    p->item->err = SKL_ERR_DUPLICATE;
    if (at >= base)
        snprintf(p->item->why, sizeof p->item->why,
                 "duplicate credential id \"%.120s\": it appears earlier in this batch", p->id);
    else
        snprintf(p->item->why, sizeof p->item->why,
                 "duplicate credential id \"%.120s\": already in the ledger at index %llu", p->id,
                 (unsigned long long)at);
    return SKL_ERR_DUPLICATE;
}

static int
put_leaf(skl_ledger *l, uint64_t index, const skl_buf *leaf)
{
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &l->st_put_leaf, "INSERT INTO leaves(idx, data) VALUES(?, ?)");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 2, leaf->data, (int)leaf->len, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "storing leaf");
    sqlite3_reset(st);
    return rc;
}

/* The leaf hash of index, or 32 zero bytes before the first leaf. */
static int
prev_hash(skl_ledger *l, uint64_t size, uint8_t out[32])
{
    if (size == 0) {
        memset(out, 0, 32);
        return SKL_OK;
    }
    uint8_t h[1][32];
    int rc = skl_store_hashes(l, 0, size - 1, 1, h);
    if (rc == SKL_OK)
        memcpy(out, h[0], 32);
    return rc;
}

/* Sequences the verified credentials inside one write transaction. */
static int
sequence(skl_ledger *l, struct batch *bt, int *refused, int dry_run)
{
    struct pending *p = bt->p;
    size_t n = bt->n;
    uint64_t size, base;
    uint8_t prev[32], hash[32];
    skl_buf leaf = SKL_BUF_INIT;
    int64_t now = skl_ledger_now(l);
    int rc = skl_store_exec(l, "BEGIN IMMEDIATE");
    if (rc != SKL_OK)
        return rc;
    skl_policy_reset(l->policy); /* another process may have changed what it knew */
    if ((rc = skl_store_size(l, &size)) != SKL_OK ||
        (rc = skl_store_sync_range(l, size)) != SKL_OK || (rc = prev_hash(l, size, prev)) != SKL_OK)
        goto out;
    base = size;
    for (size_t i = 0; i < n; i++) {
        await_item(bt, i);
        if (p[i].item->err != SKL_OK) {
            *refused = 1;
            continue;
        }
        rc = claim_id(l, &p[i], size, base);
        if (rc == SKL_ERR_DUPLICATE) {
            *refused = 1;
            rc = SKL_OK;
            continue;
        }
        if (rc != SKL_OK)
            goto out;
        if (l->policy != NULL) {
            skl_ledger_item *it = p[i].item;
            rc = skl_policy_check(l, l->policy, &p[i].claim, p[i].sig.pub, size, now, it->why,
                                  sizeof it->why);
            if (rc != SKL_OK && rc != SKL_ERR_DB && rc != SKL_ERR_NOMEM) {
                it->err = rc;
                *refused = 1;
                rc = SKL_OK;
            }
            if (rc != SKL_OK)
                goto out;
        }
        if (*refused)
            continue; /* the batch is lost; keep checking the rest to report every refusal */
        skl_buf_reset(&leaf);
        if (skl_leaf_build(&leaf, size, prev, now, p[i].canon.data, p[i].canon.len) != 0) {
            rc = SKL_ERR_NOMEM;
            goto out;
        }
        skl_merkle_leaf_hash(hash, leaf.data, leaf.len);
        if ((rc = put_leaf(l, size, &leaf)) != SKL_OK ||
            (rc = skl_merkle_range_append(&l->range, hash, store_node, l)) != SKL_OK)
            goto out;
        p[i].item->index = size++;
        memcpy(prev, hash, 32);
    }
    if (!*refused && !dry_run)
        rc = skl_store_exec(l, "COMMIT");
out:
    skl_buf_free(&leaf);
    if (rc != SKL_OK || *refused || dry_run) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        skl_store_forget(l);
        skl_policy_reset(l->policy);
    }
    return rc;
}

static skl_err
run_batch(skl_ledger *l, const char *const *creds, const size_t *lens, size_t n,
          skl_ledger_item *items, unsigned threads, int dry_run)
{
    struct batch b;
    struct worker workers[SKL_MAX_THREADS];
    unsigned started = 0;
    int rc = SKL_OK, refused = 0;
    l->errmsg[0] = '\0';
    if (n == 0)
        return SKL_OK;
    memset(&b, 0, sizeof b);
    b.p = calloc(n, sizeof *b.p);
    if (b.p == NULL)
        return SKL_ERR_NOMEM;
    b.n = n;
    b.rd = l->policy != NULL ? skl_policy_refdata(l->policy) : NULL;
    atomic_init(&b.next, 0);
    for (size_t i = 0; i < n; i++) {
        b.p[i].text = creds[i];
        b.p[i].len = lens[i];
        b.p[i].item = &items[i];
        atomic_init(&b.p[i].verified, 0);
        items[i].err = SKL_OK;
        items[i].index = 0;
        items[i].why[0] = '\0';
    }
    if (threads > SKL_MAX_THREADS)
        threads = SKL_MAX_THREADS;
    for (unsigned t = 1; t < threads && t < n; t++) {
        workers[t] = (struct worker){&b, t, 0};
        if (pthread_create(&workers[t].tid, NULL, verify_worker, &workers[t]) != 0)
            break; /* fewer threads; the calling thread verifies what is left */
        started = t;
    }
    rc = sequence(l, &b, &refused, dry_run);
    /* On an early failure, make sure every item is claimed so the workers finish. */
    atomic_store(&b.next, n);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(workers[t].tid, NULL);
    if (rc == SKL_OK && refused) {
        rc = SKL_ERR_VERIFY;
        skl_ledger_fail(l, rc, "batch refused; nothing was appended");
    }
    for (size_t i = 0; i < n; i++) {
        skl_buf_free(&b.p[i].canon);
        skl_claim_free(&b.p[i].claim);
        free(b.p[i].id);
    }
    for (size_t t = 0; t < SKL_MAX_THREADS; t++)
        skl_buf_free(&b.scratch[t]);
    free(b.p);
    return rc;
}

skl_err
skl_ledger_append(skl_ledger *l, const char *const *creds, const size_t *lens, size_t n,
                  skl_ledger_item *items, unsigned threads)
{
    return run_batch(l, creds, lens, n, items, threads, 0);
}

skl_err
skl_ledger_check(skl_ledger *l, const char *const *creds, const size_t *lens, size_t n,
                 skl_ledger_item *items, unsigned threads)
{
    return run_batch(l, creds, lens, n, items, threads, 1);
}

/* ---- reading ---------------------------------------------------------------------------- */

skl_err
skl_ledger_leaf(skl_ledger *l, uint64_t index, char **data, size_t *len, uint8_t hash[32])
{
    *data = NULL;
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_leaf, LEAF_SQL);
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)index);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return skl_ledger_fail(l, SKL_ERR_NOTFOUND, "no leaf at index %llu",
                                   (unsigned long long)index);
        return skl_ledger_dbfail(l, "reading leaf");
    }
    int n = sqlite3_column_bytes(st, 1);
    char *p = malloc((size_t)n + 1);
    if (p == NULL) {
        sqlite3_reset(st);
        return SKL_ERR_NOMEM;
    }
    memcpy(p, sqlite3_column_blob(st, 1), (size_t)n);
    p[n] = '\0';
    if (hash) {
        if (sqlite3_column_bytes(st, 0) != 32) {
            free(p);
            sqlite3_reset(st);
            return skl_ledger_fail(l, SKL_ERR_CORRUPT, "leaf %llu: stored hash is malformed",
                                   (unsigned long long)index);
        }
        memcpy(hash, sqlite3_column_blob(st, 0), 32);
    }
    sqlite3_reset(st);
    *data = p;
    *len = (size_t)n;
    return SKL_OK;
}

/* Checks that size does not exceed the ledger. */
static int
check_size(skl_ledger *l, uint64_t size)
{
    uint64_t cur;
    int rc = skl_store_size(l, &cur);
    if (rc != SKL_OK)
        return rc;
    if (size > cur)
        return skl_ledger_fail(l, SKL_ERR_NOTFOUND, "tree size %llu exceeds the ledger's %llu",
                               (unsigned long long)size, (unsigned long long)cur);
    return SKL_OK;
}

skl_err
skl_ledger_root(skl_ledger *l, uint64_t size, uint8_t root[32])
{
    int began = skl_store_read_begin(l);
    int rc = check_size(l, size);
    if (rc == SKL_OK)
        rc = skl_merkle_root(root, size, skl_store_node, l);
    skl_store_read_end(l, began);
    return rc;
}

skl_err
skl_ledger_inclusion_proof(skl_ledger *l, uint64_t index, uint64_t size, uint8_t (*proof)[32],
                           size_t *count)
{
    if (index >= size)
        return skl_ledger_fail(l, SKL_ERR_INVAL, "index %llu is not below tree size %llu",
                               (unsigned long long)index, (unsigned long long)size);
    int began = skl_store_read_begin(l);
    int rc = check_size(l, size);
    if (rc == SKL_OK)
        rc = skl_merkle_inclusion_proof(proof, count, index, size, skl_store_node, l);
    skl_store_read_end(l, began);
    return rc;
}

skl_err
skl_ledger_consistency_proof(skl_ledger *l, uint64_t size1, uint64_t size2, uint8_t (*proof)[32],
                             size_t *count)
{
    if (size1 == 0 || size1 > size2)
        return skl_ledger_fail(l, SKL_ERR_INVAL, "need 0 < from (%llu) <= to (%llu)",
                               (unsigned long long)size1, (unsigned long long)size2);
    int began = skl_store_read_begin(l);
    int rc = check_size(l, size2);
    if (rc == SKL_OK)
        rc = skl_merkle_consistency_proof(proof, count, size1, size2, skl_store_node, l);
    skl_store_read_end(l, began);
    return rc;
}

skl_err
skl_ledger_find(skl_ledger *l, const char *credential_id, uint64_t *index)
{
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &l->st_find_id, "SELECT idx FROM credential_ids WHERE id = ?");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_text(st, 1, credential_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *index = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SKL_OK;
    if (rc == SQLITE_DONE)
        return skl_ledger_fail(l, SKL_ERR_NOTFOUND, "no credential with id \"%.200s\"",
                               credential_id);
    return skl_ledger_dbfail(l, "finding credential");
}

/* ---- checkpoints ------------------------------------------------------------------------ */

/* In a ledger with an authority, the last leaf under a checkpoint is a status snapshot
 * (spec/status.md): appends one at index *size unless the last leaf already is one. */
static int
append_snapshot(skl_ledger *l, uint64_t *size, int64_t now)
{
    if (l->policy == NULL || *size == 0)
        return SKL_OK;
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_leaf, LEAF_SQL);
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)(*size - 1));
    int last_is_snapshot = sqlite3_step(st) == SQLITE_ROW &&
                           skl_leaf_is_status(sqlite3_column_blob(st, 1),
                                              (size_t)sqlite3_column_bytes(st, 1));
    sqlite3_reset(st);
    if (last_is_snapshot)
        return SKL_OK;
    skl_status_tree t;
    skl_buf leaf = SKL_BUF_INIT;
    uint8_t root[32], prev[32], hash[32];
    skl_status_init(&t);
    int rc = skl_policy_status_tree(l, *size, &t);
    if (rc == SKL_OK)
        rc = prev_hash(l, *size, prev);
    if (rc == SKL_OK) {
        skl_status_root(&t, *size, root);
        rc = skl_policy_save_status_nodes(l, &t);
    }
    if (rc == SKL_OK && skl_leaf_build_status(&leaf, *size, prev, now, root) != 0)
        rc = SKL_ERR_NOMEM;
    if (rc == SKL_OK) {
        skl_merkle_leaf_hash(hash, leaf.data, leaf.len);
        if ((rc = put_leaf(l, *size, &leaf)) == SKL_OK &&
            (rc = skl_merkle_range_append(&l->range, hash, store_node, l)) == SKL_OK)
            (*size)++;
    }
    skl_buf_free(&leaf);
    skl_status_free(&t);
    return rc;
}

skl_err
skl_ledger_checkpoint(skl_ledger *l, const skl_key *log_key, char **note, size_t *len)
{
    *note = NULL;
    char *body = NULL, *signed_note = NULL, *cosigned = NULL;
    size_t body_len, signed_len, cosigned_len;
    skl_checkpoint cp;
    int64_t now = skl_ledger_now(l);
    if (sodium_memcmp(skl_key_public(log_key), l->log_pub, 32) != 0)
        return skl_ledger_fail(l, SKL_ERR_KEY, "this is not the ledger's log key");
    int rc = skl_store_exec(l, "BEGIN IMMEDIATE");
    if (rc != SKL_OK)
        return rc;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "%s", l->origin);
    if ((rc = skl_store_size(l, &cp.size)) != SKL_OK ||
        (rc = skl_store_sync_range(l, cp.size)) != SKL_OK ||
        (rc = append_snapshot(l, &cp.size, now)) != SKL_OK)
        goto out;
    skl_merkle_range_root(&l->range, cp.root);
    if ((rc = skl_checkpoint_format(&body, &body_len, &cp)) != SKL_OK ||
        (rc = skl_note_sign(&signed_note, &signed_len, body, body_len, l->log_name,
                            skl_key_secret(log_key))) != SKL_OK ||
        (rc = skl_note_cosign(&cosigned, &cosigned_len, signed_note, signed_len, l->log_name,
                              skl_key_secret(log_key), (uint64_t)now)) != SKL_OK) {
        skl_ledger_fail(l, rc, "signing the checkpoint failed");
        goto out;
    }
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_put_cp,
                                       "INSERT INTO checkpoints(size, time, note) VALUES(?, ?, ?)");
    if (st == NULL) {
        rc = SKL_ERR_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)cp.size);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_text(st, 3, cosigned, (int)cosigned_len, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "storing checkpoint");
    sqlite3_reset(st);
    if (rc == SKL_OK)
        rc = skl_store_exec(l, "COMMIT");
out:
    if (rc != SKL_OK) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        skl_store_forget(l);
        free(cosigned);
        cosigned = NULL;
    }
    free(body);
    free(signed_note);
    *note = cosigned;
    if (len)
        *len = cosigned ? cosigned_len : 0;
    return rc;
}

static int
read_checkpoint(skl_ledger *l, sqlite3_stmt *st, char **note, size_t *len, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? skl_ledger_fail(l, SKL_ERR_NOTFOUND, "no checkpoint %s", what)
                                 : skl_ledger_dbfail(l, "reading checkpoint");
    }
    int n = sqlite3_column_bytes(st, 0);
    char *p = malloc((size_t)n + 1);
    if (p == NULL) {
        sqlite3_reset(st);
        return SKL_ERR_NOMEM;
    }
    memcpy(p, sqlite3_column_text(st, 0), (size_t)n);
    p[n] = '\0';
    sqlite3_reset(st);
    *note = p;
    if (len)
        *len = (size_t)n;
    return SKL_OK;
}

skl_err
skl_ledger_latest_checkpoint(skl_ledger *l, char **note, size_t *len)
{
    *note = NULL;
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_latest_cp,
                                       "SELECT note FROM checkpoints ORDER BY seq DESC LIMIT 1");
    return st ? read_checkpoint(l, st, note, len, "yet; run skl checkpoint") : SKL_ERR_DB;
}

skl_err
skl_ledger_store_witnessed(skl_ledger *l, const char *note, size_t len)
{
    skl_note *n = NULL;
    skl_checkpoint cp;
    skl_note_verifier v;
    char *stored = NULL;
    size_t stored_len, tlen;
    int rc = skl_note_parse(&n, note, len);
    const char *text = rc == SKL_OK ? skl_note_text(n, &tlen) : NULL;
    if (text == NULL || skl_checkpoint_parse(&cp, text, tlen) != SKL_OK) {
        rc = skl_ledger_fail(l, SKL_ERR_PARSE, "not a signed checkpoint");
        goto out;
    }
    memset(&v, 0, sizeof v);
    snprintf(v.name, sizeof v.name, "%s", l->log_name);
    memcpy(v.pub, l->log_pub, 32);
    v.type = SKL_NOTE_KEY_ED25519;
    v.key_id = skl_note_key_id(v.name, v.type, v.pub);
    if (strcmp(cp.origin, l->origin) != 0 || skl_note_verify(n, &v, NULL) != SKL_OK) {
        rc = skl_ledger_fail(l, SKL_ERR_VERIFY, "not a checkpoint this log signed");
        goto out;
    }
    /* Only a checkpoint the log already made, with lines added: same text, more signatures. */
    if ((rc = skl_ledger_checkpoint_at(l, cp.size, &stored, &stored_len)) != SKL_OK)
        goto out;
    if (stored_len < tlen || memcmp(stored, text, tlen) != 0) {
        rc = skl_ledger_fail(l, SKL_ERR_VERIFY, "its text is not the log's checkpoint at size %llu",
                             (unsigned long long)cp.size);
        goto out;
    }
    sqlite3_stmt *st = skl_ledger_stmt(l, &l->st_put_cp,
                                       "INSERT INTO checkpoints(size, time, note) VALUES(?, ?, ?)");
    if (st == NULL) {
        rc = SKL_ERR_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)cp.size);
    sqlite3_bind_int64(st, 2, skl_ledger_now(l));
    sqlite3_bind_text(st, 3, note, (int)len, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "storing checkpoint");
    sqlite3_reset(st);
out:
    free(stored);
    skl_note_free(n);
    return rc;
}

skl_err
skl_ledger_checkpoint_at(skl_ledger *l, uint64_t size, char **note, size_t *len)
{
    *note = NULL;
    sqlite3_stmt *st = skl_ledger_stmt(
        l, &l->st_cp_at, "SELECT note FROM checkpoints WHERE size = ? ORDER BY seq DESC LIMIT 1");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
    return read_checkpoint(l, st, note, len, "at that tree size");
}

skl_err
skl_ledger_vkey(const skl_ledger *l, int cosig, char **vkey)
{
    return skl_note_vkey_format(
        vkey, l->log_name, cosig ? SKL_NOTE_KEY_COSIGNATURE : SKL_NOTE_KEY_ED25519, l->log_pub);
}

/* ---- tlog-proof ------------------------------------------------------------------------ */

skl_err
skl_ledger_tlog_proof(skl_ledger *l, uint64_t index, uint64_t size, char **out, size_t *len)
{
    *out = NULL;
    char *note = NULL, *leaf = NULL;
    size_t note_len, leaf_len, count = 0;
    skl_note *parsed = NULL;
    skl_checkpoint cp;
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
    skl_buf b = SKL_BUF_INIT;
    int rc = size ? skl_ledger_checkpoint_at(l, size, &note, &note_len)
                  : skl_ledger_latest_checkpoint(l, &note, &note_len);
    if (rc != SKL_OK)
        goto out;
    size_t text_len;
    const char *text;
    if ((rc = skl_note_parse(&parsed, note, note_len)) != SKL_OK)
        goto out;
    text = skl_note_text(parsed, &text_len);
    if ((rc = skl_checkpoint_parse(&cp, text, text_len)) != SKL_OK)
        goto out;
    if (index >= cp.size) {
        rc = skl_ledger_fail(l, SKL_ERR_NOTFOUND,
                             "index %llu is not under the checkpoint of size %llu; run skl "
                             "checkpoint",
                             (unsigned long long)index, (unsigned long long)cp.size);
        goto out;
    }
    if ((rc = skl_ledger_leaf(l, index, &leaf, &leaf_len, NULL)) != SKL_OK ||
        (rc = skl_ledger_inclusion_proof(l, index, cp.size, proof, &count)) != SKL_OK)
        goto out;
    skl_buf_puts(&b, "c2sp.org/tlog-proof@v1\nextra ");
    skl_buf_base64(&b, (const uint8_t *)leaf, leaf_len);
    skl_buf_printf(&b, "\nindex %llu\n", (unsigned long long)index);
    for (size_t i = 0; i < count; i++) {
        skl_buf_base64(&b, proof[i], 32);
        skl_buf_putc(&b, '\n');
    }
    skl_buf_putc(&b, '\n');
    skl_buf_append(&b, note, note_len);
    if (!skl_buf_ok(&b)) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    *out = skl_buf_take(&b, len);
out:
    skl_buf_free(&b);
    skl_note_free(parsed);
    free(note);
    free(leaf);
    return rc;
}
