/* check_vault.c - the workers' vault: sealed records, passphrase, tampering, id checks,
 * commitments (known answers and an independent recomputation), links, and that the
 * ledger file holds no personal data in clear. */
#include <check.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/skl.h"
#include "skl/vault.h"
#include "testutil.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define PASS "correct horse battery staple"
#define RID "11010519491231002X" /* GB 11643-1999's own example number */

static char *dir;
static char db[4096];
static skl_key *log_key;

static void
setup(void)
{
    ck_assert_int_eq(skl_init(), SKL_OK);
    dir = tu_tmpdir();
    snprintf(db, sizeof db, "%s/ledger.db", dir);
    uint8_t seed[32];
    memset(seed, 1, 32);
    ck_assert_int_eq(skl_key_from_seed(&log_key, seed, "skl.example/log"), SKL_OK);
}

static void
teardown(void)
{
    skl_key_free(log_key);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

static skl_ledger *
new_ledger(void)
{
    skl_ledger *l = NULL;
    ck_assert_int_eq(skl_ledger_create(&l, db, "skl.example/log", log_key), SKL_OK);
    skl_ledger_set_time(l, T0);
    return l;
}

static skl_vault *
open_vault(skl_ledger *l)
{
    skl_vault *v = NULL;
    int rc = skl_vault_open(&v, l, PASS);
    ck_assert_msg(rc == SKL_OK, "open: %s / %s", skl_strerror(rc), skl_ledger_errmsg(l));
    return v;
}

static int64_t
add(skl_vault *v, const char *type, const char *number, const char *name)
{
    int64_t id = -1;
    char why[256] = "";
    int rc = skl_vault_add_worker(v, type, number, name, &id, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "add: %s / %s", skl_strerror(rc), why);
    ck_assert_int_gt(id, 0);
    return id;
}

/* Runs SQL on the file through a second connection (the operator's attacker). */
static void
sql(const char *text)
{
    sqlite3 *s;
    ck_assert_int_eq(sqlite3_open(db, &s), SQLITE_OK);
    sqlite3_busy_timeout(s, 5000);
    char *msg = NULL;
    int rc = sqlite3_exec(s, text, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", text, msg ? msg : "");
    sqlite3_close(s);
}

/* A blob column of one row, read through a second connection. */
static size_t
read_blob(const char *query, uint8_t *out, size_t cap)
{
    sqlite3 *s;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(db, &s), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(s, query, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    ck_assert_uint_le(n, cap);
    if (n > 0)
        memcpy(out, sqlite3_column_blob(st, 0), n);
    sqlite3_finalize(st);
    sqlite3_close(s);
    return n;
}

START_TEST(test_round_trip)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "resident-id", "  11010519491231002x \n", "张三");
    int64_t b = add(v, "passport", "e12345678", "Zoë O\"Brien \\ Jr.");
    ck_assert_int_ne(a, b);
    int64_t id = 0;
    ck_assert_int_eq(skl_vault_find_worker(v, "resident-id", RID, &id), SKL_OK);
    ck_assert_int_eq(id, a);
    ck_assert_int_eq(skl_vault_find_worker(v, "passport", " E12345678", &id), SKL_OK);
    ck_assert_int_eq(id, b);
    ck_assert_int_eq(skl_vault_find_worker(v, "passport", "E12345679", &id), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_vault_find_worker(v, "taiwan-permit", "E12345678", &id), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_vault_find_worker(v, "resident-id", "110105194912310021", &id),
                     SKL_ERR_SCHEMA);
    skl_worker w;
    ck_assert_int_eq(skl_vault_worker(v, a, &w), SKL_OK);
    ck_assert_int_eq(w.id, a);
    ck_assert_str_eq(w.id_type, "resident-id");
    ck_assert_str_eq(w.id_number, RID);
    ck_assert_str_eq(w.name, "张三");
    ck_assert_int_eq(skl_vault_worker(v, b, &w), SKL_OK);
    ck_assert_str_eq(w.id_number, "E12345678");
    ck_assert_str_eq(w.name, "Zoë O\"Brien \\ Jr.");
    ck_assert_int_eq(skl_vault_worker(v, 999, &w), SKL_ERR_NOTFOUND);
    ck_assert_str_eq(w.name, ""); /* zeroed on failure */
    skl_vault_worker_wipe(&w);
    skl_vault_worker_wipe(NULL);
    char h1[72], s1[65], h2[72], s2[65];
    ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:1", h1, s1), SKL_OK);
    skl_vault_close(v);
    skl_ledger_close(l);

    /* Reopened from the file, with the same passphrase: the same records and values. */
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    v = open_vault(l);
    ck_assert_int_eq(skl_vault_find_worker(v, "resident-id", RID, &id), SKL_OK);
    ck_assert_int_eq(id, a);
    ck_assert_int_eq(skl_vault_worker(v, b, &w), SKL_OK);
    ck_assert_str_eq(w.name, "Zoë O\"Brien \\ Jr.");
    skl_vault_worker_wipe(&w);
    ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:1", h2, s2), SKL_OK);
    ck_assert_str_eq(h1, h2);
    ck_assert_str_eq(s1, s2);
    uint64_t size;
    ck_assert_int_eq(skl_ledger_size(l, &size), SKL_OK); /* the ledger still works */
    ck_assert_uint_eq(size, 0);
    skl_vault_close(v);
    skl_vault_close(NULL);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_passphrase)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = NULL;
    ck_assert_int_eq(skl_vault_open(&v, l, NULL), SKL_ERR_PASSPHRASE);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(skl_vault_open(&v, l, ""), SKL_ERR_PASSPHRASE);
    ck_assert_int_eq(skl_vault_open(&v, NULL, PASS), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_vault_open(NULL, l, PASS), SKL_ERR_INVAL);
    v = open_vault(l); /* first use: PASS becomes the vault's passphrase */
    add(v, "passport", "G12345678", "李四");
    skl_vault_close(v);
    ck_assert_int_eq(skl_vault_open(&v, l, PASS "!"), SKL_ERR_PASSPHRASE);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(skl_vault_open(&v, l, "correct horse battery stapl"), SKL_ERR_PASSPHRASE);
    v = open_vault(l);
    skl_vault_close(v);
    skl_ledger_close(l);

    /* Damaged parameters: a changed salt is a wrong key; missing or absurd ones corrupt. */
    sql("UPDATE vault_meta SET value = randomblob(16) WHERE key = 'salt'");
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    ck_assert_int_eq(skl_vault_open(&v, l, PASS), SKL_ERR_PASSPHRASE);
    skl_ledger_close(l);
    sql("UPDATE vault_meta SET value = 21 WHERE key = 'opslimit'");
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    ck_assert_int_eq(skl_vault_open(&v, l, PASS), SKL_ERR_CORRUPT);
    skl_ledger_close(l);
    sql("DELETE FROM vault_meta WHERE key = 'check'");
    ck_assert_int_eq(skl_ledger_open(&l, db), SKL_OK);
    ck_assert_int_eq(skl_vault_open(&v, l, PASS), SKL_ERR_CORRUPT);
    ck_assert_ptr_null(v);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_tampered_record)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "resident-id", RID, "张三");
    int64_t b = add(v, "passport", "E12345678", "王五");
    uint8_t box[2048], orig[2048];
    char q[128];
    snprintf(q, sizeof q, "SELECT box FROM workers WHERE id = %lld", (long long)a);
    size_t n = read_blob(q, orig, sizeof orig);
    ck_assert_uint_gt(n, 40);
    /* A flipped bit anywhere (nonce, MAC, ciphertext) is refused, never read as data. */
    size_t where[] = {0, 23, 24, 39, 40, n / 2, n - 1};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        memcpy(box, orig, n);
        box[where[i]] ^= 0x01;
        char hex[4200], upd[4400];
        sodium_bin2hex(hex, sizeof hex, box, n);
        snprintf(upd, sizeof upd, "UPDATE workers SET box = x'%s' WHERE id = %lld", hex,
                 (long long)a);
        sql(upd);
        skl_worker w;
        ck_assert_int_eq(skl_vault_worker(v, a, &w), SKL_ERR_CORRUPT);
        ck_assert_str_eq(w.name, "");
        char h[72];
        ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:1", h, NULL), SKL_ERR_CORRUPT);
    }
    /* Truncated, and empty. */
    sql("UPDATE workers SET box = substr(box, 1, 30) WHERE id = 1");
    skl_worker w;
    ck_assert_int_eq(skl_vault_worker(v, a, &w), SKL_ERR_CORRUPT);
    sql("UPDATE workers SET box = x'' WHERE id = 1");
    ck_assert_int_eq(skl_vault_worker(v, a, &w), SKL_ERR_CORRUPT);
    /* A valid record moved onto another worker's row opens but is refused. */
    char mv[256];
    snprintf(mv, sizeof mv,
             "UPDATE workers SET box = (SELECT box FROM workers WHERE id = %lld) WHERE id = %lld",
             (long long)b, (long long)a);
    sql(mv);
    ck_assert_int_eq(skl_vault_worker(v, a, &w), SKL_ERR_CORRUPT);
    ck_assert_int_eq(skl_vault_worker(v, b, &w), SKL_OK);
    ck_assert_str_eq(w.name, "王五");
    skl_vault_worker_wipe(&w);
    /* A wrong-length lookup. */
    snprintf(mv, sizeof mv, "UPDATE workers SET lookup = x'00' WHERE id = %lld", (long long)b);
    sql(mv);
    ck_assert_int_eq(skl_vault_worker(v, b, &w), SKL_ERR_CORRUPT);
    skl_vault_close(v);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_duplicate_worker)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "resident-id", RID, "张三"), id = 0;
    char why[256];
    ck_assert_int_eq(skl_vault_add_worker(v, "resident-id", " 11010519491231002x", "张三丰", &id,
                                          why, sizeof why),
                     SKL_ERR_EXISTS);
    ck_assert_int_eq(id, a);
    ck_assert_ptr_nonnull(strstr(why, "already"));
    /* The record was not replaced. */
    skl_worker w;
    ck_assert_int_eq(skl_vault_worker(v, a, &w), SKL_OK);
    ck_assert_str_eq(w.name, "张三");
    skl_vault_worker_wipe(&w);
    /* The same number under another document type is another document. */
    int64_t p = add(v, "passport", "E12345678", "A"), q = add(v, "taiwan-permit", "E12345678", "A");
    ck_assert_int_ne(p, q);
    ck_assert_int_eq(skl_vault_add_worker(v, "passport", "e12345678", "B", &id, why, sizeof why),
                     SKL_ERR_EXISTS);
    ck_assert_int_eq(id, p);
    skl_vault_close(v);
    skl_ledger_close(l);
}
END_TEST

/* skl_vault_id_normalize() result and, on failure, that why mentions want. */
static void
check_id(const char *type, const char *number, int want_rc, const char *want)
{
    char out[SKL_VAULT_ID_NUMBER_MAX + 1] = "", why[256] = "";
    int rc = skl_vault_id_normalize(type, number, out, why, sizeof why);
    ck_assert_msg(rc == want_rc, "%s %s: %s (%s)", type, number, skl_strerror(rc), why);
    if (rc == SKL_OK)
        ck_assert_str_eq(out, want);
    else if (want != NULL)
        ck_assert_msg(strstr(why, want) != NULL, "%s %s: why \"%s\" lacks \"%s\"", type, number,
                      why, want);
}

START_TEST(test_resident_id)
{
    check_id("resident-id", RID, SKL_OK, RID);
    check_id("resident-id", "11010519491231002x", SKL_OK, RID);
    check_id("resident-id", "\t 11010519491231002X  ", SKL_OK, RID);
    check_id("resident-id", "500109198506150012", SKL_OK, "500109198506150012");
    check_id("resident-id", "110105200002291235", SKL_OK, "110105200002291235"); /* 2000-02-29 */
    check_id("resident-id", "110105194912310021", SKL_ERR_SCHEMA, "check digit");
    check_id("resident-id", "110105194912310027", SKL_ERR_SCHEMA, "check digit");
    check_id("resident-id", "500109198506150013", SKL_ERR_SCHEMA, "check digit");
    /* Dates that do not exist, with correct check digits. */
    check_id("resident-id", "110105194902310026", SKL_ERR_SCHEMA, "birth date");
    check_id("resident-id", "110105190002291239", SKL_ERR_SCHEMA, "birth date"); /* not leap */
    check_id("resident-id", "110105189912310023", SKL_ERR_SCHEMA, "birth date"); /* < 1900 */
    check_id("resident-id", "010105194912310026", SKL_ERR_SCHEMA, "area code");
    check_id("resident-id", "11010519491231002", SKL_ERR_SCHEMA, "18 characters");
    check_id("resident-id", "11010519491231002X1", SKL_ERR_SCHEMA, "18 characters");
    check_id("resident-id", "", SKL_ERR_SCHEMA, "18 characters");
    check_id("resident-id", "1101051949123100XX", SKL_ERR_SCHEMA, "not a digit");
    check_id("resident-id", "11010519491231002Y", SKL_ERR_SCHEMA, "not a digit or X");
    check_id("resident-id", "11010519491231 02X", SKL_ERR_SCHEMA, "not a digit");
    check_id("resident-id", "１1010519491231002X", SKL_ERR_SCHEMA, NULL); /* full-width 1 */
    /* The why never repeats the number. */
    char out[40], why[256];
    ck_assert_int_eq(
        skl_vault_id_normalize("resident-id", "110105194912310021", out, why, sizeof why),
        SKL_ERR_SCHEMA);
    ck_assert_ptr_null(strstr(why, "1101051949"));
    ck_assert_int_eq(skl_vault_id_normalize(NULL, RID, out, why, sizeof why), SKL_ERR_INVAL);
}
END_TEST

START_TEST(test_other_ids)
{
    check_id("passport", "e12345678", SKL_OK, "E12345678");
    check_id("passport", " EA1234567 ", SKL_OK, "EA1234567");
    check_id("hk-macao-permit", "C12345678", SKL_OK, "C12345678");
    check_id("taiwan-permit", "12345678", SKL_OK, "12345678");
    check_id("foreign-permanent-resident", "USA123456789012", SKL_OK, "USA123456789012");
    check_id("passport", "E1234", SKL_OK, "E1234");
    check_id("passport", "E123", SKL_ERR_SCHEMA, "5 to 32");
    check_id("passport", "E123456789012345678901234567890123", SKL_ERR_SCHEMA, "5 to 32");
    check_id("passport", "E1234-5678", SKL_ERR_SCHEMA, "character 6");
    check_id("passport", "E1234 5678", SKL_ERR_SCHEMA, "not a letter or digit");
    check_id("passport", "护照12345", SKL_ERR_SCHEMA, "not a letter or digit");
    check_id("Passport", "E12345678", SKL_ERR_SCHEMA, "unknown id type");
    check_id("", "E12345678", SKL_ERR_SCHEMA, "unknown id type");
}
END_TEST

START_TEST(test_add_checks)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t id = 0;
    char why[256], long_name[300];
    memset(long_name, 'a', 256);
    long_name[256] = '\0';
    struct {
        const char *type, *number, *name, *why;
    } bad[] = {
        {"resident-id", "110105194912310021", "张三", "check digit"},
        {"resident-id", "110105209912311232", "张三", "future"}, /* 2099-12-31 */
        {"passport", "E12345678", "", "name"},
        {"passport", "E12345678", "   ", "name"},
        {"passport", "E12345678", "a\nb", "control"},
        {"passport", "E12345678", "a\x7f", "control"},
        {"passport", "E12345678", "a\xc2\x85", "control"},
        {"passport", "E12345678", "\xe5\xbc", "UTF-8"},
        {"passport", "E12345678", "\xc0\xaf", "UTF-8"},
        {"passport", "E12345678", "\xed\xa0\x80", "UTF-8"},
        {"passport", "E12345678", long_name, "name"},
        {"visa", "E12345678", "a", "unknown id type"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        ck_assert_int_eq(
            skl_vault_add_worker(v, bad[i].type, bad[i].number, bad[i].name, &id, why, sizeof why),
            SKL_ERR_SCHEMA);
        ck_assert_msg(strstr(why, bad[i].why) != NULL, "%zu: %s", i, why);
    }
    long_name[255] = '\0'; /* 255 bytes is the most */
    add(v, "passport", "E12345678", long_name);
    ck_assert_int_eq(skl_vault_add_worker(v, NULL, RID, "a", &id, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_vault_add_worker(v, "resident-id", RID, "a", NULL, NULL, 0),
                     SKL_ERR_INVAL);
    /* A birth date of today is fine (the ledger's clock: 2026-01-01). */
    add(v, "resident-id", "110105202601010019", "婴儿");
    skl_vault_close(v);
    skl_ledger_close(l);
}
END_TEST

/* The spec/workers.md example: secret 00..1f, this credential id and RID. */
#define KAT_CID "urn:uuid:6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"
#define KAT_SALT "da3227aa7bf1a400a79a7ac8c1c888fa7d0201cef86254290b8197b59e5db2f2"
#define KAT_HASH "sha256$5e133a9897eb6f668a74d1155c4fa37df662ab9640028247504b556e3361ce87"

START_TEST(test_commitment_known_answer)
{
    /* The salt formula, as a second implementation would compute it. */
    uint8_t secret[32], salt[32];
    char hex[65];
    for (int i = 0; i < 32; i++)
        secret[i] = (uint8_t)i;
    const char msg[] = "skl/identity-salt/v1\0" KAT_CID;
    crypto_auth_hmacsha256(salt, (const unsigned char *)msg, sizeof msg - 1, secret);
    sodium_bin2hex(hex, sizeof hex, salt, sizeof salt);
    ck_assert_str_eq(hex, KAT_SALT);

    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, "resident-id", RID, KAT_SALT), 1);
    ck_assert_int_eq(
        skl_vault_check_commitment(KAT_HASH, "resident-id", " 11010519491231002x", KAT_SALT), 1);
    /* Anything else is refused. */
    char bad_salt[65] = KAT_SALT, bad_hash[72] = KAT_HASH;
    bad_salt[63] = '3';
    bad_hash[70] = '6';
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, "resident-id", RID, bad_salt), 0);
    ck_assert_int_eq(skl_vault_check_commitment(bad_hash, "resident-id", RID, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, "passport", RID, KAT_SALT), 0);
    ck_assert_int_eq(
        skl_vault_check_commitment(KAT_HASH, "resident-id", "500109198506150012", KAT_SALT), 0);
    ck_assert_int_eq(
        skl_vault_check_commitment(KAT_HASH, "resident-id", "110105194912310021", KAT_SALT), 0);
    char upper[72] = KAT_HASH;
    upper[8] = 'E'; /* "5e13..." -> "5E13...": not lower-case hex */
    ck_assert_int_eq(skl_vault_check_commitment(upper, "resident-id", RID, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH + 7, "resident-id", RID, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment("sha512$5e13", "resident-id", RID, KAT_SALT), 0);
    char longer[80];
    snprintf(longer, sizeof longer, "%s0", KAT_HASH);
    ck_assert_int_eq(skl_vault_check_commitment(longer, "resident-id", RID, KAT_SALT), 0);
    char shorter[72] = KAT_HASH;
    shorter[70] = '\0';
    ck_assert_int_eq(skl_vault_check_commitment(shorter, "resident-id", RID, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, "resident-id", RID, KAT_SALT + 1), 0);
    ck_assert_int_eq(skl_vault_check_commitment(NULL, "resident-id", RID, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, NULL, RID, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, "resident-id", NULL, KAT_SALT), 0);
    ck_assert_int_eq(skl_vault_check_commitment(KAT_HASH, "resident-id", RID, NULL), 0);
}
END_TEST

/* Reads an integer vault_meta value through a second connection. */
static long long
meta_int(const char *key)
{
    sqlite3 *s;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(db, &s), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_prepare_v2(s, "SELECT value FROM vault_meta WHERE key = ?", -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_type(st, 0), SQLITE_INTEGER);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(s);
    return n;
}

START_TEST(test_commitment_independent)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "resident-id", "11010519491231002x", "张三");
    char hash[72], salt_hex[65];
    ck_assert_int_eq(skl_vault_commitment(v, a, KAT_CID, hash, salt_hex), SKL_OK);
    skl_vault_close(v);
    skl_ledger_close(l);

    /* The key schedule of spec/workers.md, done here with libsodium alone. */
    uint8_t kdf_salt[16], master[32], record_key[32], lookup_key[32];
    ck_assert_uint_eq(read_blob("SELECT value FROM vault_meta WHERE key = 'salt'", kdf_salt, 16),
                      16);
    ck_assert_int_eq(meta_int("opslimit"), 3);
    ck_assert_int_eq(meta_int("memlimit"), 64 << 20);
    char format[32] = "";
    ck_assert_uint_eq(read_blob("SELECT value FROM vault_meta WHERE key = 'format'",
                                (uint8_t *)format, sizeof format - 1),
                      12);
    ck_assert_str_eq(format, "skl-vault-v1");
    ck_assert_int_eq(crypto_pwhash(master, 32, PASS, strlen(PASS), kdf_salt, 3, 64 << 20,
                                   crypto_pwhash_ALG_ARGON2ID13),
                     0);
    crypto_kdf_derive_from_key(record_key, 32, 1, "sklvault", master);
    crypto_kdf_derive_from_key(lookup_key, 32, 2, "sklvault", master);
    /* The key check value. */
    uint8_t check[128], check_key[32], text[64];
    size_t cn = read_blob("SELECT value FROM vault_meta WHERE key = 'check'", check, sizeof check);
    crypto_kdf_derive_from_key(check_key, 32, 3, "sklvault", master);
    ck_assert_int_eq(crypto_secretbox_open_easy(text, check + 24, cn - 24, check, check_key), 0);
    ck_assert_uint_eq(cn - 40, 22);
    ck_assert_mem_eq(text, "skl/vault-key-check/v1", 22);
    /* The lookup column. */
    uint8_t lookup[32], want_lookup[32];
    ck_assert_uint_eq(read_blob("SELECT lookup FROM workers WHERE id = 1", lookup, 32), 32);
    const char *lm = "resident-id:" RID;
    crypto_auth_hmacsha256(want_lookup, (const unsigned char *)lm, strlen(lm), lookup_key);
    ck_assert_mem_eq(lookup, want_lookup, 32);
    /* The record: nonce || secretbox(canonical JSON). */
    uint8_t box[2048];
    char plain[2048];
    size_t n = read_blob("SELECT box FROM workers WHERE id = 1", box, sizeof box);
    ck_assert_int_eq(
        crypto_secretbox_open_easy((uint8_t *)plain, box + 24, n - 24, box, record_key), 0);
    plain[n - 40] = '\0';
    const char head[] = "{\"idNumber\":\"" RID "\",\"idType\":\"resident-id\",\"name\":\"张三\","
                        "\"secret\":\"";
    ck_assert_int_eq(strncmp(plain, head, sizeof head - 1), 0);
    ck_assert_uint_eq(strlen(plain), sizeof head - 1 + 64 + 2);
    ck_assert_str_eq(plain + sizeof head - 1 + 64, "\"}");
    uint8_t secret[32], salt[32], digest[32];
    ck_assert_int_eq(sodium_hex2bin(secret, 32, plain + sizeof head - 1, 64, NULL, NULL, NULL), 0);
    /* The commitment. */
    const char msg[] = "skl/identity-salt/v1\0" KAT_CID;
    crypto_auth_hmacsha256(salt, (const unsigned char *)msg, sizeof msg - 1, secret);
    char want_salt[65], hashed[160], want_hash[72] = "sha256$";
    sodium_bin2hex(want_salt, sizeof want_salt, salt, 32);
    ck_assert_str_eq(salt_hex, want_salt);
    snprintf(hashed, sizeof hashed, "resident-id:%s%s", RID, want_salt);
    crypto_hash_sha256(digest, (const unsigned char *)hashed, strlen(hashed));
    sodium_bin2hex(want_hash + 7, 65, digest, 32);
    ck_assert_str_eq(hash, want_hash);
    ck_assert_int_eq(skl_vault_check_commitment(hash, "resident-id", RID, salt_hex), 1);
}
END_TEST

START_TEST(test_commitments_unlinkable)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "resident-id", RID, "张三");
    int64_t b = add(v, "resident-id", "500109198506150012", "李四");
    char h1[72], s1[65], h2[72], s2[65], h3[72], s3[65], h4[72];
    ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:c1", h1, s1), SKL_OK);
    ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:c2", h2, s2), SKL_OK);
    ck_assert_int_eq(skl_vault_commitment(v, b, "urn:uuid:c1", h3, s3), SKL_OK);
    ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:c1", h4, NULL), SKL_OK);
    ck_assert_str_eq(h1, h4); /* deterministic */
    ck_assert_str_ne(h1, h2);
    ck_assert_str_ne(s1, s2);
    ck_assert_str_ne(h1, h3);
    ck_assert_str_ne(s1, s3);
    ck_assert_uint_eq(strlen(h1), 71);
    ck_assert_uint_eq(strlen(s1), 64);
    ck_assert_int_eq(strncmp(h1, "sha256$", 7), 0);
    ck_assert_int_eq(skl_vault_check_commitment(h1, "resident-id", RID, s1), 1);
    ck_assert_int_eq(skl_vault_check_commitment(h2, "resident-id", RID, s2), 1);
    ck_assert_int_eq(skl_vault_check_commitment(h2, "resident-id", RID, s1), 0);
    ck_assert_int_eq(skl_vault_check_commitment(h3, "resident-id", RID, s3), 0);
    ck_assert_int_eq(skl_vault_check_commitment(h3, "resident-id", "500109198506150012", s3), 1);
    ck_assert_int_eq(skl_vault_commitment(v, 99, "urn:uuid:c1", h1, s1), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_vault_commitment(v, a, "", h1, s1), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_vault_commitment(v, a, NULL, h1, s1), SKL_ERR_INVAL);
    char big[1100];
    memset(big, 'u', 1025);
    big[1025] = '\0';
    ck_assert_int_eq(skl_vault_commitment(v, a, big, h1, s1), SKL_ERR_INVAL);
    big[1024] = '\0';
    ck_assert_int_eq(skl_vault_commitment(v, a, big, h1, s1), SKL_OK);
    skl_vault_close(v);
    skl_ledger_close(l);
}
END_TEST

/* 1 if needle occurs in the file at path (missing file: 0). */
static int
file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    fclose(f);
    size_t len, n = strlen(needle);
    char *data = tu_read_file(path, &len);
    int found = 0;
    for (size_t i = 0; !found && i + n <= len; i++)
        found = memcmp(data + i, needle, n) == 0;
    free(data);
    return found;
}

START_TEST(test_no_plaintext)
{
    const char *name = "欧阳独一无二Zebulonius", *pp = "ZQXJ98765432";
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "passport", pp, name);
    add(v, "resident-id", RID, "张三丰");
    char h[72], s[65];
    ck_assert_int_eq(skl_vault_commitment(v, a, "urn:uuid:c1", h, s), SKL_OK);
    const char *ids[] = {"urn:uuid:c1"};
    ck_assert_int_eq(skl_vault_link(v, a, ids, 1), SKL_OK);
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", db);
    /* Both while open (data still in the WAL) and after the checkpoint on close. */
    for (int round = 0; round < 2; round++) {
        const char *files[] = {db, wal};
        for (size_t f = 0; f < 2; f++) {
            ck_assert_msg(!file_contains(files[f], "Zebulonius"), "name in %s", files[f]);
            ck_assert_msg(!file_contains(files[f], "欧阳独一无二"), "name in %s", files[f]);
            ck_assert_msg(!file_contains(files[f], pp), "number in %s", files[f]);
            ck_assert_msg(!file_contains(files[f], "98765432"), "number in %s", files[f]);
            ck_assert_msg(!file_contains(files[f], RID), "number in %s", files[f]);
            ck_assert_msg(!file_contains(files[f], "张三丰"), "name in %s", files[f]);
            ck_assert_msg(!file_contains(files[f], s), "salt in %s", files[f]);
        }
        if (round == 0) {
            ck_assert_msg(file_contains(db, "urn:uuid:c1") || file_contains(wal, "urn:uuid:c1"),
                          "the scan cannot see the file");
            skl_vault_close(v);
            skl_ledger_close(l);
        }
    }
    ck_assert(file_contains(db, "urn:uuid:c1")); /* the scan does see the file */
}
END_TEST

START_TEST(test_links)
{
    skl_ledger *l = new_ledger();
    skl_vault *v = open_vault(l);
    int64_t a = add(v, "resident-id", RID, "张三"), b = add(v, "passport", "E12345678", "李四");
    const char *ca[] = {"urn:uuid:c2", "urn:uuid:c1"}, *cb[] = {"urn:uuid:c3"};
    ck_assert_int_eq(skl_vault_link(v, a, ca, 2), SKL_OK);
    ck_assert_int_eq(skl_vault_link(v, b, cb, 1), SKL_OK);
    ck_assert_int_eq(skl_vault_link(v, b, NULL, 0), SKL_OK);
    int64_t owner = 0;
    ck_assert_int_eq(skl_vault_owner(v, "urn:uuid:c1", &owner), SKL_OK);
    ck_assert_int_eq(owner, a);
    ck_assert_int_eq(skl_vault_owner(v, "urn:uuid:c3", &owner), SKL_OK);
    ck_assert_int_eq(owner, b);
    ck_assert_int_eq(skl_vault_owner(v, "urn:uuid:c9", &owner), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_vault_owner(v, "", &owner), SKL_ERR_INVAL);
    char **ids = NULL;
    size_t n = 0;
    ck_assert_int_eq(skl_vault_credentials(v, a, &ids, &n), SKL_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(ids[0], "urn:uuid:c2"); /* the order they were linked */
    ck_assert_str_eq(ids[1], "urn:uuid:c1");
    skl_vault_free_ids(ids, n);
    /* All or none: c4 is not kept when c1 is a duplicate; nor a list naming one id twice. */
    const char *dup[] = {"urn:uuid:c4", "urn:uuid:c1"}, *twice[] = {"urn:uuid:c5", "urn:uuid:c5"};
    ck_assert_int_eq(skl_vault_link(v, b, dup, 2), SKL_ERR_DUPLICATE);
    ck_assert_ptr_nonnull(strstr(skl_ledger_errmsg(l), "urn:uuid:c1"));
    ck_assert_int_eq(skl_vault_link(v, a, dup + 1, 1), SKL_ERR_DUPLICATE); /* same worker too */
    ck_assert_int_eq(skl_vault_link(v, b, twice, 2), SKL_ERR_DUPLICATE);
    ck_assert_int_eq(skl_vault_owner(v, "urn:uuid:c4", &owner), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_vault_owner(v, "urn:uuid:c5", &owner), SKL_ERR_NOTFOUND);
    ck_assert_int_eq(skl_vault_credentials(v, b, &ids, &n), SKL_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(ids[0], "urn:uuid:c3");
    skl_vault_free_ids(ids, n);
    ck_assert_int_eq(skl_vault_link(v, 99, cb, 1), SKL_ERR_NOTFOUND);
    const char *empty[] = {""};
    ck_assert_int_eq(skl_vault_link(v, a, empty, 1), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_vault_link(v, a, NULL, 1), SKL_ERR_INVAL);
    /* A worker with none, and no worker. */
    int64_t c = add(v, "hk-macao-permit", "H12345678", "王五");
    ck_assert_int_eq(skl_vault_credentials(v, c, &ids, &n), SKL_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(ids);
    ck_assert_int_eq(skl_vault_credentials(v, 99, &ids, &n), SKL_ERR_NOTFOUND);
    ck_assert_ptr_null(ids);
    skl_vault_free_ids(NULL, 0);
    /* Links outlive the handle. */
    skl_vault_close(v);
    v = open_vault(l);
    ck_assert_int_eq(skl_vault_owner(v, "urn:uuid:c2", &owner), SKL_OK);
    ck_assert_int_eq(owner, a);
    skl_vault_close(v);
    skl_ledger_close(l);
}
END_TEST

Suite *vault_suite(void);

Suite *
vault_suite(void)
{
    Suite *s = suite_create("vault");
    TCase *tc = tcase_create("vault");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_passphrase);
    tcase_add_test(tc, test_tampered_record);
    tcase_add_test(tc, test_duplicate_worker);
    tcase_add_test(tc, test_resident_id);
    tcase_add_test(tc, test_other_ids);
    tcase_add_test(tc, test_add_checks);
    tcase_add_test(tc, test_commitment_known_answer);
    tcase_add_test(tc, test_commitment_independent);
    tcase_add_test(tc, test_commitments_unlinkable);
    tcase_add_test(tc, test_no_plaintext);
    tcase_add_test(tc, test_links);
    suite_add_tcase(s, tc);
    return s;
}
