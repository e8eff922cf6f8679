/* check_ledger.c - the ledger: appends, batches, duplicates, proofs, checkpoints, tiles,
 * audits, and the known-answer vectors in spec/vectors/ledger/. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf_int.h"
#include "json_int.h"
#include "leaf_int.h"
#include "tiles_int.h"
#include "skl/skl.h"
#include "testutil.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z: the fixed integration clock */

static char *dir;
static char db[4096];
static skl_key *log_key, *issuer;

static void
setup(void)
{
    ck_assert_int_eq(skl_init(), SKL_OK);
    dir = tu_tmpdir();
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    uint8_t seed[32];
    memset(seed, 1, 32);
    ck_assert_int_eq(skl_key_from_seed(&log_key, seed, "skl.example/log"), SKL_OK);
    memset(seed, 2, 32);
    ck_assert_int_eq(skl_key_from_seed(&issuer, seed, "issuer"), SKL_OK);
}

static void
teardown(void)
{
    skl_key_free(log_key);
    skl_key_free(issuer);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

/* A signed credential number i by key k (created at a fixed time). */
static char *
credential(const skl_key *k, int i, size_t *len)
{
    char *did = NULL, text[2048], *out = NULL, why[256];
    ck_assert_int_eq(skl_did_key_encode(&did, skl_key_public(k)), SKL_OK);
    snprintf(text, sizeof text,
             "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
             "\"id\":\"urn:uuid:00000000-0000-4000-8000-%012d\","
             "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
             "\"issuer\":{\"id\":\"%s\",\"name\":\"北碚区职业培训学校\"},"
             "\"validFrom\":\"2026-01-01T00:00:00Z\","
             "\"credentialSubject\":{\"type\":[\"AchievementSubject\"],"
             "\"achievement\":{\"name\":\"电工 四级/中级工\",\"type\":[\"Achievement\"]}}}",
             i, did);
    ck_assert_int_eq(
        skl_vc_sign(&out, len, text, strlen(text), k, "2026-01-01T00:00:00Z", why, sizeof why),
        SKL_OK);
    free(did);
    return out;
}

static skl_ledger *
new_ledger(void)
{
    skl_ledger *l = NULL;
    ck_assert_int_eq(skl_ledger_create(&l, db, "skl.example/log", log_key), SKL_OK);
    skl_ledger_set_time(l, T0);
    return l;
}

/* Appends credentials first..first+n-1 in one batch; asserts success. */
static void
append_range(skl_ledger *l, int first, int n, unsigned threads)
{
    char **texts = calloc((size_t)n, sizeof *texts);
    size_t *lens = calloc((size_t)n, sizeof *lens);
    skl_ledger_item *items = calloc((size_t)n, sizeof *items);
    uint64_t size0;
    ck_assert_int_eq(skl_ledger_size(l, &size0), SKL_OK);
    for (int i = 0; i < n; i++)
        texts[i] = credential(issuer, first + i, &lens[i]);
    int rc = skl_ledger_append(l, (const char *const *)texts, lens, (size_t)n, items, threads);
    ck_assert_msg(rc == SKL_OK, "append: %s / %s", skl_strerror(rc), items[0].why);
    for (int i = 0; i < n; i++) {
        ck_assert_uint_eq(items[i].index, size0 + (uint64_t)i);
        free(texts[i]);
    }
    free(texts);
    free(lens);
    free(items);
}

static uint64_t
size_of(skl_ledger *l)
{
    uint64_t s;
    ck_assert_int_eq(skl_ledger_size(l, &s), SKL_OK);
    return s;
}

START_TEST(test_create_open)
{
    skl_ledger *l = new_ledger(), *l2 = NULL;
    ck_assert_uint_eq(size_of(l), 0);
    skl_ledger_close(l);
    ck_assert_int_eq(skl_ledger_create(&l, db, "x", log_key), SKL_ERR_EXISTS);
    ck_assert_int_eq(skl_ledger_open(&l2, db), SKL_OK);
    ck_assert_str_eq(skl_ledger_origin(l2), "skl.example/log");
    ck_assert_mem_eq(skl_ledger_log_public(l2), skl_key_public(log_key), 32);
    skl_ledger_close(l2);
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/none.db", dir);
    ck_assert_int_eq(skl_ledger_open(&l2, missing), SKL_ERR_NOTFOUND);
    /* A SQLite file that is not a ledger. */
    sqlite3 *s;
    ck_assert_int_eq(sqlite3_open(missing, &s), SQLITE_OK);
    sqlite3_exec(s, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(s);
    ck_assert_int_eq(skl_ledger_open(&l2, missing), SKL_ERR_CORRUPT);
    skl_ledger_close(NULL);
}
END_TEST

START_TEST(test_append_and_chain)
{
    skl_ledger *l = new_ledger();
    append_range(l, 0, 3, 1);
    append_range(l, 3, 2, 2);
    ck_assert_uint_eq(size_of(l), 5);
    uint8_t prev[32] = {0};
    for (uint64_t i = 0; i < 5; i++) {
        char *data, want[80];
        size_t len;
        uint8_t h[32];
        ck_assert_int_eq(skl_ledger_leaf(l, i, &data, &len, h), SKL_OK);
        uint8_t h2[32];
        skl_merkle_leaf_hash(h2, data, len);
        ck_assert_mem_eq(h, h2, 32);
        /* The chain: each record names the previous leaf hash. */
        char hex[65];
        for (int k = 0; k < 32; k++)
            sprintf(hex + 2 * k, "%02x", prev[k]);
        snprintf(want, sizeof want, "\"prev\":\"%s\"", hex);
        ck_assert_ptr_nonnull(strstr(data, want));
        snprintf(want, sizeof want, "\"index\":%llu,", (unsigned long long)i);
        ck_assert_ptr_nonnull(strstr(data, want));
        ck_assert_ptr_nonnull(strstr(data, "\"time\":\"2026-01-01T00:00:00Z\""));
        memcpy(prev, h, 32);
        free(data);
    }
    char *data;
    size_t len;
    ck_assert_int_eq(skl_ledger_leaf(l, 5, &data, &len, NULL), SKL_ERR_NOTFOUND);
    uint64_t at;
    ck_assert_int_eq(skl_ledger_find(l, "urn:uuid:00000000-0000-4000-8000-000000000003", &at),
                     SKL_OK);
    ck_assert_uint_eq(at, 3);
    ck_assert_int_eq(skl_ledger_find(l, "urn:uuid:nope", &at), SKL_ERR_NOTFOUND);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_batch_is_atomic)
{
    skl_ledger *l = new_ledger();
    append_range(l, 0, 2, 1);
    size_t lens[5];
    char *texts[5];
    for (int i = 0; i < 5; i++)
        texts[i] = credential(issuer, 10 + i, &lens[i]);
    free(texts[1]);
    texts[1] = strdup("{\"not\":\"a credential\"}");
    lens[1] = strlen(texts[1]);
    free(texts[3]);
    texts[3] = credential(issuer, 0, &lens[3]); /* already in the ledger */
    free(texts[4]);
    texts[4] = credential(issuer, 12, &lens[4]); /* twice in this batch */
    skl_ledger_item items[5];
    ck_assert_int_eq(skl_ledger_append(l, (const char *const *)texts, lens, 5, items, 2),
                     SKL_ERR_VERIFY);
    ck_assert_int_eq(items[0].err, SKL_OK);
    ck_assert_int_ne(items[1].err, SKL_OK);
    ck_assert_int_eq(items[2].err, SKL_OK);
    ck_assert_int_eq(items[3].err, SKL_ERR_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(items[3].why, "already in the ledger at index 0"));
    ck_assert_int_eq(items[4].err, SKL_ERR_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(items[4].why, "earlier in this batch"));
    ck_assert_uint_eq(size_of(l), 2); /* nothing appended */
    for (int i = 0; i < 5; i++)
        free(texts[i]);
    /* The ledger is still whole and accepts the good ones afterwards. */
    append_range(l, 2, 3, 1);
    skl_audit_report rep;
    ck_assert_int_eq(skl_ledger_audit(l, 1, &rep), SKL_OK);
    ck_assert_uint_eq(rep.leaves, 5);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_refusals)
{
    skl_ledger *l = new_ledger();
    size_t len;
    char *good = credential(issuer, 1, &len);
    struct {
        char *text;
        const char *why;
    } bad[8];
    int nb = 0;
    /* Tampered after signing. */
    bad[nb].text = strdup(good);
    char *p = strstr(bad[nb].text, "中级工");
    memcpy(p, "高级工", strlen("高级工"));
    bad[nb++].why = "signature";
    /* Issuer is not the signer. */
    skl_key *other;
    ck_assert_int_eq(skl_key_generate(&other, "other"), SKL_OK);
    char *forged = credential(other, 2, &len);
    char *did_other = NULL, *did_issuer = NULL;
    ck_assert_int_eq(skl_did_key_encode(&did_other, skl_key_public(other)), SKL_OK);
    ck_assert_int_eq(skl_did_key_encode(&did_issuer, skl_key_public(issuer)), SKL_OK);
    p = strstr(forged, did_other);
    memcpy(p, did_issuer, strlen(did_issuer)); /* claims to be issuer; signed by other */
    bad[nb].text = forged;
    bad[nb++].why = "";
    bad[nb].text = strdup("{\"a\":1,\"a\":2}");
    bad[nb++].why = "duplicate key";
    bad[nb].text = strdup("[1,2]");
    bad[nb++].why = "not an object";
    bad[nb].text = strdup("{\"x\":\"\xff\"}");
    bad[nb++].why = "JSON";
    /* Oversized. */
    bad[nb].text = malloc(SKL_VC_MAX_LEN + 100);
    memset(bad[nb].text, ' ', SKL_VC_MAX_LEN + 99);
    bad[nb].text[SKL_VC_MAX_LEN + 99] = '\0';
    bad[nb].text[0] = '{';
    bad[nb].text[SKL_VC_MAX_LEN + 98] = '}';
    bad[nb++].why = "at most";
    for (int i = 0; i < nb; i++) {
        const char *t = bad[i].text;
        size_t n = strlen(t);
        skl_ledger_item it;
        ck_assert_int_eq(skl_ledger_append(l, &t, &n, 1, &it, 1), SKL_ERR_VERIFY);
        ck_assert_int_ne(it.err, SKL_OK);
        ck_assert_msg(strstr(it.why, bad[i].why) != NULL, "case %d: why = %s", i, it.why);
        free(bad[i].text);
    }
    ck_assert_uint_eq(size_of(l), 0);
    free(good);
    free(did_other);
    free(did_issuer);
    skl_key_free(other);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_proofs)
{
    skl_ledger *l = new_ledger();
    /* 600 leaves: two full level-0 tiles, so stored level-1 nodes are exercised. */
    append_range(l, 0, 300, 2);
    append_range(l, 300, 300, 1);
    uint8_t root[32], proof[SKL_MERKLE_MAX_PROOF][32];
    size_t count;
    uint64_t sizes[] = {1, 2, 7, 255, 256, 257, 511, 512, 513, 600};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint64_t size = sizes[s];
        ck_assert_int_eq(skl_ledger_root(l, size, root), SKL_OK);
        uint64_t idxs[] = {0, size / 2, size - 1};
        for (int k = 0; k < 3; k++) {
            char *data;
            size_t len;
            uint8_t h[32];
            ck_assert_int_eq(skl_ledger_leaf(l, idxs[k], &data, &len, h), SKL_OK);
            free(data);
            ck_assert_int_eq(skl_ledger_inclusion_proof(l, idxs[k], size, proof, &count), SKL_OK);
            ck_assert_int_eq(skl_merkle_verify_inclusion(h, idxs[k], size,
                                                         (const uint8_t(*)[32])proof, count, root),
                             SKL_OK);
            h[0] ^= 1;
            ck_assert_int_eq(skl_merkle_verify_inclusion(h, idxs[k], size,
                                                         (const uint8_t(*)[32])proof, count, root),
                             SKL_ERR_VERIFY);
        }
        uint8_t root2[32];
        ck_assert_int_eq(skl_ledger_root(l, 600, root2), SKL_OK);
        ck_assert_int_eq(skl_ledger_consistency_proof(l, size, 600, proof, &count), SKL_OK);
        ck_assert_int_eq(skl_merkle_verify_consistency(size, 600, root, root2,
                                                       (const uint8_t(*)[32])proof, count),
                         SKL_OK);
    }
    ck_assert_int_eq(skl_ledger_inclusion_proof(l, 600, 600, proof, &count), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_ledger_root(l, 601, root), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_ledger_consistency_proof(l, 0, 5, proof, &count), SKL_ERR_INVAL);
    skl_ledger_close(l);
}
END_TEST

/* Verifies a checkpoint note with the log's two verifier keys; returns its body. */
static void
check_note(const skl_ledger *l, const char *note, size_t len, skl_checkpoint *cp, uint64_t *time)
{
    char *vk = NULL, *cvk = NULL;
    skl_note_verifier v, cv;
    skl_note *n = NULL;
    ck_assert_int_eq(skl_ledger_vkey(l, 0, &vk), SKL_OK);
    ck_assert_int_eq(skl_ledger_vkey(l, 1, &cvk), SKL_OK);
    ck_assert_int_eq(skl_note_vkey_parse(&v, vk), SKL_OK);
    ck_assert_int_eq(skl_note_vkey_parse(&cv, cvk), SKL_OK);
    ck_assert_int_eq(skl_note_parse(&n, note, len), SKL_OK);
    ck_assert_int_eq(skl_note_verify(n, &v, NULL), SKL_OK);
    ck_assert_int_eq(skl_note_verify(n, &cv, time), SKL_OK);
    size_t tl;
    const char *text = skl_note_text(n, &tl);
    ck_assert_int_eq(skl_checkpoint_parse(cp, text, tl), SKL_OK);
    skl_note_free(n);
    free(vk);
    free(cvk);
}

START_TEST(test_checkpoint)
{
    skl_ledger *l = new_ledger();
    char *note, *latest;
    size_t len, llen;
    skl_checkpoint cp;
    uint64_t t;
    ck_assert_int_eq(skl_ledger_latest_checkpoint(l, &note, &len), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK); /* empty tree */
    check_note(l, note, len, &cp, &t);
    ck_assert_uint_eq(cp.size, 0);
    free(note);
    append_range(l, 0, 10, 1);
    skl_ledger_set_time(l, T0 + 60);
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    check_note(l, note, len, &cp, &t);
    ck_assert_uint_eq(cp.size, 10);
    ck_assert_uint_eq(t, T0 + 60);
    ck_assert_str_eq(cp.origin, "skl.example/log");
    uint8_t root[32];
    ck_assert_int_eq(skl_ledger_root(l, 10, root), SKL_OK);
    ck_assert_mem_eq(cp.root, root, 32);
    ck_assert_int_eq(skl_ledger_latest_checkpoint(l, &latest, &llen), SKL_OK);
    ck_assert_str_eq(latest, note);
    free(latest);
    ck_assert_int_eq(skl_ledger_checkpoint_at(l, 10, &latest, &llen), SKL_OK);
    ck_assert_str_eq(latest, note);
    free(latest);
    ck_assert_int_eq(skl_ledger_checkpoint_at(l, 9, &latest, &llen), SKL_ERR_NOTFOUND);
    free(note);
    /* Only the ledger's own log key signs its checkpoints. */
    ck_assert_int_eq(skl_ledger_checkpoint(l, issuer, &note, &len), SKL_ERR_KEY);
    ck_assert_ptr_null(note);
    /* tlog-proof */
    char *proof;
    ck_assert_int_eq(skl_ledger_tlog_proof(l, 3, 0, &proof, &len), SKL_OK);
    ck_assert_int_eq(strncmp(proof, "c2sp.org/tlog-proof@v1\nextra ", 29), 0);
    ck_assert_ptr_nonnull(strstr(proof, "\nindex 3\n"));
    ck_assert_ptr_nonnull(strstr(proof, "\n\nskl.example/log\n10\n"));
    free(proof);
    ck_assert_int_eq(skl_ledger_tlog_proof(l, 10, 0, &proof, &len), SKL_ERR_NOTFOUND);
    skl_ledger_close(l);
}
END_TEST

static void
corrupt(const char *sql)
{
    sqlite3 *s;
    ck_assert_int_eq(sqlite3_open(db, &s), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(s, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg);
    sqlite3_close(s);
}

START_TEST(test_immutable)
{
    skl_ledger *l = new_ledger();
    append_range(l, 0, 3, 1);
    skl_ledger_close(l);
    sqlite3 *s;
    ck_assert_int_eq(sqlite3_open(db, &s), SQLITE_OK);
    const char *writes[] = {"UPDATE leaves SET data = 'x' WHERE idx = 1",
                            "DELETE FROM leaves WHERE idx = 2", "UPDATE credential_ids SET idx = 5",
                            "DELETE FROM meta", "UPDATE nodes SET hash = zeroblob(32)"};
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
        ck_assert_int_ne(sqlite3_exec(s, writes[i], NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(s);
}
END_TEST

/* A stored record is checked byte for byte against its canonical form, which the checker
 * copies from the record where it is canonical already: the same JSON written otherwise
 * (a space, an escaped letter or slash, two members swapped) is refused. */
START_TEST(test_leaf_check_canonical)
{
    skl_ledger *l = new_ledger();
    append_range(l, 0, 3, 1);
    skl_ledger_close(l);
    sqlite3 *s;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(db, &s), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(s, "SELECT data FROM leaves WHERE idx = 1", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    size_t len = (size_t)sqlite3_column_bytes(st, 0);
    char *data = malloc(len + 1);
    memcpy(data, sqlite3_column_blob(st, 0), len);
    data[len] = '\0';
    sqlite3_finalize(st);
    sqlite3_close(s);

    skl_leaf leaf;
    uint8_t id_hash[32];
    skl_vc_sigcheck sig;
    skl_buf scratch = SKL_BUF_INIT, canon = SKL_BUF_INIT;
    char why[256];
    ck_assert_int_eq(
        skl_leaf_check(&leaf, id_hash, &sig, data, len, &scratch, &canon, why, sizeof why), SKL_OK);
    ck_assert_uint_eq(leaf.index, 1);
    static const struct {
        const char *from, *to;
    } otherwise[] = {
        {"\"credentialSubject\":", "\"credentialSubject\": "},
        {"\"validFrom\":", "\"valid\\u0046rom\":"},
        {"https://www.w3.org/", "https:\\/\\/www.w3.org\\/"},
        {"\"cryptosuite\":\"eddsa-jcs-2022\",\"proofPurpose\":\"assertionMethod\"",
         "\"proofPurpose\":\"assertionMethod\",\"cryptosuite\":\"eddsa-jcs-2022\""},
    };
    for (size_t i = 0; i < sizeof otherwise / sizeof otherwise[0]; i++) {
        char *at = strstr(data, otherwise[i].from);
        ck_assert_msg(at != NULL, "no %s in the leaf", otherwise[i].from);
        skl_buf m = SKL_BUF_INIT;
        skl_buf_append(&m, data, (size_t)(at - data));
        skl_buf_puts(&m, otherwise[i].to);
        skl_buf_puts(&m, at + strlen(otherwise[i].from));
        ck_assert(skl_buf_ok(&m));
        int rc =
            skl_leaf_check(&leaf, id_hash, &sig, m.data, m.len, &scratch, &canon, why, sizeof why);
        ck_assert_msg(rc == SKL_ERR_CORRUPT && strstr(why, "not in canonical form"),
                      "case %zu: rc %d, %s", i, rc, why);
        skl_buf_free(&m);
    }
    skl_buf_free(&scratch);
    skl_buf_free(&canon);
    free(data);
}
END_TEST

/* Each tampering of the store is caught by the audit, naming the leaf when it is one. */
START_TEST(test_audit_tamper)
{
    static const struct {
        const char *sql;
        int64_t index;
        const char *why;
    } cases[] = {
        {"UPDATE leaves SET data = CAST(replace(CAST(data AS TEXT), '\"index\":7,', "
         "'\"index\":8,') AS BLOB) WHERE idx = 7",
         7, "leaf 7"},
        {"UPDATE nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 200", 200, "leaf 200"},
        /* The same JSON written otherwise: a space, an escaped letter in the credential. */
        {"UPDATE leaves SET data = CAST(replace(CAST(data AS TEXT), '\"credentialSubject\":', "
         "'\"credentialSubject\": ') AS BLOB) WHERE idx = 9",
         9, "leaf 9"},
        {"UPDATE leaves SET data = CAST(replace(CAST(data AS TEXT), '\"validFrom\":', "
         "'\"valid\\u0046rom\":') AS BLOB) WHERE idx = 11",
         11, "leaf 11"},
        {"UPDATE nodes SET hash = zeroblob(32) WHERE level = 1 AND idx = 0", -1, "level 1 index 0"},
        {"UPDATE checkpoints SET note = replace(note, 'skl.example/log\n', 'skl.example/log2\n')",
         -1, "checkpoint"},
        {"DELETE FROM credential_ids WHERE idx = 5", -1, "credential-id"},
        /* Two problems: the first in order is named, not the one the reader meets first. */
        {"UPDATE leaves SET data = CAST(replace(CAST(data AS TEXT), '\"index\":5,', "
         "'\"index\":6,') AS BLOB) WHERE idx = 5; DELETE FROM leaves WHERE idx = 250",
         5, "leaf 5"},
    };
    int drop_case = _i;
    skl_ledger *l = new_ledger();
    append_range(l, 0, 300, 2);
    char *note;
    size_t len;
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    skl_audit_report rep;
    ck_assert_int_eq(skl_ledger_audit(l, 2, &rep), SKL_OK);
    ck_assert_uint_eq(rep.leaves, 300);
    ck_assert_uint_eq(rep.checkpoints, 1);
    skl_ledger_close(l);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER leaves_ro_u; DROP TRIGGER leaves_ro_d; DROP TRIGGER nodes_ro_u;"
             "DROP TRIGGER cps_ro_u; DROP TRIGGER ids_ro_d; %s",
             cases[drop_case].sql);
    corrupt(sql);
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    ck_assert_int_eq(skl_ledger_audit(l, 2, &rep), SKL_ERR_CORRUPT);
    ck_assert_msg(strstr(rep.why, cases[drop_case].why) != NULL, "why = %s", rep.why);
    if (cases[drop_case].index >= 0)
        ck_assert_int_eq(rep.bad_index, cases[drop_case].index);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_publish_and_tiles_audit)
{
    skl_ledger *l = new_ledger();
    append_range(l, 0, 257, 2);
    char *note, tiles[4200], path[4300], *vkey;
    size_t len;
    uint64_t written;
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    snprintf(tiles, sizeof tiles, "%s/tiles", dir);
    ck_assert_int_eq(skl_ledger_publish(l, tiles, &written), SKL_OK);
    /* entries 000 + 000.p/1, tile/0 000 + 000.p/1, tile/1 000.p/1, checkpoint */
    ck_assert_uint_eq(written, 6);
    const char *files[] = {"checkpoint",     "tile/0/000",       "tile/0/001.p/1",
                           "tile/1/000.p/1", "tile/entries/000", "tile/entries/001.p/1"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", tiles, files[i]);
        ck_assert_msg(access(path, R_OK) == 0, "%s missing", files[i]);
    }
    /* Incremental: full tiles stay, the partial ones and the checkpoint are rewritten. */
    append_range(l, 257, 10, 1);
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    free(note);
    ck_assert_int_eq(skl_ledger_publish(l, tiles, &written), SKL_OK);
    ck_assert_uint_eq(written, 4);
    ck_assert_int_eq(skl_ledger_vkey(l, 0, &vkey), SKL_OK);
    skl_audit_report rep;
    ck_assert_int_eq(skl_tiles_audit(tiles, vkey, 2, &rep), SKL_OK);
    ck_assert_uint_eq(rep.leaves, 267);
    /* The wrong key, and a flipped byte in an entry. */
    char *other_vkey = NULL;
    ck_assert_int_eq(skl_note_vkey_format(&other_vkey, "skl.example/log", SKL_NOTE_KEY_ED25519,
                                          skl_key_public(issuer)),
                     SKL_OK);
    ck_assert_int_eq(skl_tiles_audit(tiles, other_vkey, 1, &rep), SKL_ERR_CORRUPT);
    ck_assert_ptr_nonnull(strstr(rep.why, "signature"));
    /* Bytes after the last entry of a bundle. */
    snprintf(path, sizeof path, "%s/tile/entries/001.p/11", tiles);
    FILE *f = fopen(path, "ab");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fputc(0, f);
    fclose(f);
    ck_assert_int_eq(skl_tiles_audit(tiles, vkey, 1, &rep), SKL_ERR_CORRUPT);
    ck_assert_msg(strstr(rep.why, "after its last entry") != NULL, "why = %s", rep.why);
    ck_assert_int_eq(truncate(path, size), 0);
    ck_assert_int_eq(skl_tiles_audit(tiles, vkey, 1, &rep), SKL_OK);
    snprintf(path, sizeof path, "%s/tile/entries/000", tiles);
    f = fopen(path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, 5000, SEEK_SET);
    int c = fgetc(f);
    fseek(f, 5000, SEEK_SET);
    fputc(c ^ 0x01, f);
    fclose(f);
    ck_assert_int_eq(skl_tiles_audit(tiles, vkey, 1, &rep), SKL_ERR_CORRUPT);
    ck_assert_int_ge(rep.bad_index, 0);
    free(vkey);
    free(other_vkey);
    skl_ledger_close(l);
}
END_TEST

/* Two processes append at once: one chain, nothing lost. */
START_TEST(test_two_writers)
{
    skl_ledger *l = new_ledger();
    skl_ledger_close(l);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        ck_assert_int_ge(kids[k], 0);
        if (kids[k] == 0) {
            skl_ledger *c = NULL;
            if (skl_ledger_open(&c, db) != SKL_OK)
                _exit(3);
            for (int i = 0; i < 20; i++) {
                size_t len;
                char *t = credential(issuer, 1000 * (k + 1) + i, &len);
                const char *tt = t;
                skl_ledger_item it;
                if (skl_ledger_append(c, &tt, &len, 1, &it, 1) != SKL_OK)
                    _exit(4);
                free(t);
            }
            skl_ledger_close(c);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st;
        ck_assert_int_eq(waitpid(kids[k], &st, 0), kids[k]);
        ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    ck_assert_uint_eq(size_of(l), 40);
    skl_audit_report rep;
    ck_assert_int_eq(skl_ledger_audit(l, 1, &rep), SKL_OK);
    skl_ledger_close(l);
}
END_TEST

/* C2SP tlog-tiles path encoding, with the spec's own examples. */
START_TEST(test_tile_paths)
{
    char p[256];
    ck_assert_int_eq(skl_tile_path(p, sizeof p, "d", 0, 1234067, 256), 0);
    ck_assert_str_eq(p, "d/tile/0/x001/x234/067");
    ck_assert_int_eq(skl_tile_path(p, sizeof p, "d", 1, 0, 17), 0);
    ck_assert_str_eq(p, "d/tile/1/000.p/17");
    ck_assert_int_eq(skl_tile_path(p, sizeof p, "d", -1, 273, 112), 0);
    ck_assert_str_eq(p, "d/tile/entries/273.p/112");
    ck_assert_int_eq(skl_tile_path(p, sizeof p, "d", 2, 1000, 256), 0);
    ck_assert_str_eq(p, "d/tile/2/x001/000");
    ck_assert_int_eq(skl_tile_path(p, 10, "d", 0, 1234067, 256), -1); /* does not fit */
}
END_TEST

/* ---- known answers: spec/vectors/ledger-v1.json ------------------------------------- */

/* Builds the fixed three-leaf ledger of the vectors file and writes its facts as JSON. */
static void
vector_facts(skl_buf *b)
{
    skl_ledger *l = new_ledger();
    char *vk = NULL, *cvk = NULL, *note = NULL;
    size_t len;
    append_range(l, 0, 3, 1);
    skl_ledger_set_time(l, T0 + 60);
    ck_assert_int_eq(skl_ledger_checkpoint(l, log_key, &note, &len), SKL_OK);
    ck_assert_int_eq(skl_ledger_vkey(l, 0, &vk), SKL_OK);
    ck_assert_int_eq(skl_ledger_vkey(l, 1, &cvk), SKL_OK);
    skl_buf_puts(b, "{\"about\":\"skl ledger v1 known answers: log key seed 32 x 0x01 named "
                    "skl.example/log, issuer key seed 32 x 0x02, three credentials signed at "
                    "2026-01-01T00:00:00Z, integrated at that time, checkpoint cosigned 60 s "
                    "later. Regenerate with SKL_WRITE_VECTORS=path make unit.\",\"checkpoint\":");
    skl_json_write_string(b, note, len);
    skl_buf_puts(b, ",\"leaf_hashes\":[");
    for (uint64_t i = 0; i < 3; i++) {
        char *data;
        uint8_t h[32];
        ck_assert_int_eq(skl_ledger_leaf(l, i, &data, &len, h), SKL_OK);
        skl_buf_puts(b, i ? ",\"" : "\"");
        skl_buf_hex(b, h, 32);
        skl_buf_putc(b, '"');
        free(data);
    }
    skl_buf_puts(b, "],\"leaves\":[");
    for (uint64_t i = 0; i < 3; i++) {
        char *data;
        ck_assert_int_eq(skl_ledger_leaf(l, i, &data, &len, NULL), SKL_OK);
        if (i)
            skl_buf_putc(b, ',');
        skl_json_write_string(b, data, len);
        free(data);
    }
    skl_buf_puts(b, "],\"log_cosignature_vkey\":");
    skl_json_write_string(b, cvk, strlen(cvk));
    skl_buf_puts(b, ",\"log_vkey\":");
    skl_json_write_string(b, vk, strlen(vk));
    skl_buf_puts(b, ",\"roots\":[");
    for (uint64_t s = 1; s <= 3; s++) {
        uint8_t root[32];
        ck_assert_int_eq(skl_ledger_root(l, s, root), SKL_OK);
        skl_buf_puts(b, s > 1 ? ",\"" : "\"");
        skl_buf_hex(b, root, 32);
        skl_buf_putc(b, '"');
    }
    skl_buf_puts(b, "]}");
    ck_assert(skl_buf_ok(b));
    free(note);
    free(vk);
    free(cvk);
    skl_ledger_close(l);
}

START_TEST(test_vectors)
{
    skl_buf b = SKL_BUF_INIT;
    vector_facts(&b);
    const char *out = getenv("SKL_WRITE_VECTORS");
    if (out && *out) {
        FILE *f = fopen(out, "w");
        ck_assert_ptr_nonnull(f);
        fwrite(b.data, 1, b.len, f);
        fputc('\n', f);
        fclose(f);
    }
    size_t len;
    char *want = tu_read_file("spec/vectors/ledger-v1.json", &len);
    while (len > 0 && want[len - 1] == '\n')
        want[--len] = '\0';
    ck_assert_uint_eq(b.len, len);
    ck_assert_msg(memcmp(b.data, want, len) == 0,
                  "ledger differs from spec/vectors/ledger-v1.json");
    free(want);
    skl_buf_free(&b);
}
END_TEST

Suite *
ledger_suite(void)
{
    Suite *s = suite_create("ledger");
    TCase *tc = tcase_create("ledger");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_create_open);
    tcase_add_test(tc, test_append_and_chain);
    tcase_add_test(tc, test_batch_is_atomic);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_proofs);
    tcase_add_test(tc, test_checkpoint);
    tcase_add_test(tc, test_immutable);
    tcase_add_loop_test(tc, test_audit_tamper, 0, 8);
    tcase_add_test(tc, test_leaf_check_canonical);
    tcase_add_test(tc, test_publish_and_tiles_audit);
    tcase_add_test(tc, test_two_writers);
    tcase_add_test(tc, test_vectors);
    tcase_add_test(tc, test_tile_paths);
    suite_add_tcase(s, tc);
    return s;
}
