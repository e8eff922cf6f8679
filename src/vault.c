/* vault.c - the workers' vault: sealed worker records and their commitments
 * (format: spec/workers.md). */
#include "skl/vault.h"
#include "codec_int.h"
#include "identity_int.h"
#include "ledger_int.h"
#include "sha256_int.h"
#include "vault_int.h"
#include "why_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#define VAULT_FORMAT "skl-vault-v1"
#define KDF_CONTEXT "sklvault"             /* crypto_kdf context: exactly 8 bytes */
#define SUBKEY_RECORD 1                    /* secretbox key of worker records */
#define SUBKEY_LOOKUP 2                    /* HMAC-SHA256 key of the lookup column */
#define SUBKEY_CHECK 3                     /* secretbox key of the key-check value */
#define SALT_DOMAIN "skl/identity-salt/v1" /* followed by one 0x00 byte */
#define KDF_SALT_BYTES crypto_pwhash_argon2id_SALTBYTES
#define NONCE_BYTES crypto_secretbox_NONCEBYTES
#define MAC_BYTES crypto_secretbox_MACBYTES
#define CHECK_BOX_BYTES (NONCE_BYTES + MAC_BYTES + CHECK_LEN)
/* The same Argon2id cost and bounds as key files (spec/keys.md). */
#define OPSLIMIT_DEFAULT 3ULL
#define MEMLIMIT_DEFAULT ((size_t)64 << 20)
#define OPSLIMIT_MIN 1ULL
#define OPSLIMIT_MAX 20ULL
#define MEMLIMIT_MIN ((size_t)8192)
#define MEMLIMIT_MAX ((size_t)1 << 30)
#define BOX_MAX (NONCE_BYTES + MAC_BYTES + PLAIN_MAX)

_Static_assert(sizeof KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES, "kdf context is 8 bytes");
_Static_assert(crypto_kdf_KEYBYTES == 32 && crypto_secretbox_KEYBYTES == 32, "32-byte keys");
_Static_assert(crypto_auth_hmacsha256_KEYBYTES == 32, "HMAC-SHA256 key is 32 bytes");
_Static_assert(crypto_auth_hmacsha256_BYTES == 32, "HMAC-SHA256 is 32 bytes");
_Static_assert(KDF_SALT_BYTES == 16, "Argon2id salt is 16 bytes");

static void
scrub(skl_vault *v)
{
    sodium_memzero(&v->s, sizeof v->s);
}

/* ---- records ------------------------------------------------------------------------- */

/* v->s.msg = "type:number" and lookup = its HMAC under the lookup key. */
static void
lookup_of(skl_vault *v, const char *type, const char *number, uint8_t lookup[32])
{
    int n = snprintf(v->s.msg, sizeof v->s.msg, "%s:%s", type, number);
    crypto_auth_hmacsha256(lookup, (const unsigned char *)v->s.msg, (unsigned long long)n,
                           v->lookup_key);
}

/* Decrypts worker id into v->s.w and v->s.secret, and checks it belongs to its row. */
static skl_err
worker_load(skl_vault *v, int64_t id)
{
    skl_ledger *l = v->l;
    uint8_t lookup[32], want[32];
    int rc;
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &v->st_get, "SELECT lookup, box FROM workers WHERE id = ?");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_DONE)
            return skl_ledger_fail(l, SKL_ERR_NOTFOUND, "no worker %lld", (long long)id);
        return skl_ledger_dbfail(l, "reading a worker");
    }
    int llen = sqlite3_column_bytes(st, 0), blen = sqlite3_column_bytes(st, 1);
    const uint8_t *lk = sqlite3_column_blob(st, 0), *box = sqlite3_column_blob(st, 1);
    rc = SKL_ERR_CORRUPT;
    if (llen != 32 || blen < (int)(NONCE_BYTES + MAC_BYTES) || blen > (int)BOX_MAX || lk == NULL ||
        box == NULL)
        goto out;
    memcpy(lookup, lk, 32);
    size_t plen = (size_t)blen - NONCE_BYTES - MAC_BYTES;
    if (crypto_secretbox_open_easy((unsigned char *)v->s.plain, box + NONCE_BYTES,
                                   (unsigned long long)blen - NONCE_BYTES, box, v->record_key) != 0)
        goto out;
    v->s.plain[plen] = '\0';
    if (skl_vault_int_record_read(v, plen) != 0)
        goto out;
    /* A record copied onto another row opens, but does not match that row's lookup. */
    lookup_of(v, v->s.w.id_type, v->s.w.id_number, want);
    if (sodium_memcmp(want, lookup, 32) != 0)
        goto out;
    v->s.w.id = id;
    rc = SKL_OK;
out:
    sqlite3_reset(st);
    if (rc == SKL_ERR_CORRUPT)
        skl_ledger_fail(l, rc, "worker %lld: record altered or malformed", (long long)id);
    return rc;
}

/* ---- transactions --------------------------------------------------------------------- */

/* A savepoint, inside a new IMMEDIATE transaction when the caller has none open. */
static skl_err
tx_begin(skl_ledger *l, int *began)
{
    *began = 0;
    if (sqlite3_get_autocommit(l->db)) {
        if (skl_store_exec(l, "BEGIN IMMEDIATE") != SKL_OK)
            return SKL_ERR_DB;
        *began = 1;
    }
    if (skl_store_exec(l, "SAVEPOINT skl_vault") != SKL_OK) {
        if (*began)
            sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return SKL_ERR_DB;
    }
    return SKL_OK;
}

/* Ends what tx_begin() began: keeps it if rc is SKL_OK, else undoes it. Returns rc or
 * SKL_ERR_DB if keeping failed. */
static skl_err
tx_end(skl_ledger *l, int began, skl_err rc)
{
    if (rc == SKL_OK) {
        if (skl_store_exec(l, "RELEASE skl_vault") == SKL_OK &&
            (!began || skl_store_exec(l, "COMMIT") == SKL_OK))
            return SKL_OK;
        rc = SKL_ERR_DB;
    }
    if (!sqlite3_get_autocommit(l->db)) {
        sqlite3_exec(l->db, "ROLLBACK TO skl_vault; RELEASE skl_vault", NULL, NULL, NULL);
        if (began)
            sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

skl_err
skl_vault_begin(skl_vault *v)
{
    if (v == NULL)
        return SKL_ERR_INVAL;
    if (!sqlite3_get_autocommit(v->l->db))
        return skl_ledger_fail(v->l, SKL_ERR_STATE, "a transaction is already open");
    return skl_store_exec(v->l, "BEGIN IMMEDIATE") == SKL_OK ? SKL_OK : SKL_ERR_DB;
}

skl_err
skl_vault_commit(skl_vault *v)
{
    if (v == NULL || sqlite3_get_autocommit(v->l->db))
        return SKL_ERR_INVAL;
    if (skl_store_exec(v->l, "COMMIT") == SKL_OK)
        return SKL_OK;
    skl_vault_rollback(v);
    return SKL_ERR_DB;
}

void
skl_vault_rollback(skl_vault *v)
{
    if (v != NULL && !sqlite3_get_autocommit(v->l->db))
        sqlite3_exec(v->l->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- opening ------------------------------------------------------------------------- */

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS vault_meta(key TEXT PRIMARY KEY, value BLOB NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS workers(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " lookup BLOB UNIQUE NOT NULL, box BLOB NOT NULL, created INTEGER);"
    "CREATE TABLE IF NOT EXISTS worker_credentials(credential_id TEXT PRIMARY KEY,"
    " worker INTEGER NOT NULL REFERENCES workers(id));"
    "CREATE INDEX IF NOT EXISTS worker_credentials_worker ON worker_credentials(worker);";

/* The vault's parameters as stored in vault_meta. */
struct params {
    int have; /* bit per row present */
    uint8_t salt[KDF_SALT_BYTES];
    unsigned long long opslimit;
    size_t memlimit;
    uint8_t check[CHECK_BOX_BYTES];
};

enum { P_FORMAT = 1, P_SALT = 2, P_OPS = 4, P_MEM = 8, P_CHECK = 16, P_ALL = 31 };

static skl_err
params_read(skl_ledger *l, struct params *p)
{
    sqlite3_stmt *st = NULL;
    int rc = SKL_OK, step;
    memset(p, 0, sizeof *p);
    if (sqlite3_prepare_v2(l->db, "SELECT key, value FROM vault_meta", -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "vault_meta");
    while (rc == SKL_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        int type = sqlite3_column_type(st, 1), n = sqlite3_column_bytes(st, 1);
        const void *val = sqlite3_column_blob(st, 1);
        sqlite3_int64 num = sqlite3_column_int64(st, 1);
        rc = SKL_ERR_CORRUPT;
        if (k == NULL)
            break;
        if (strcmp(k, "format") == 0 && type == SQLITE_BLOB && n == (int)sizeof VAULT_FORMAT - 1 &&
            memcmp(val, VAULT_FORMAT, (size_t)n) == 0)
            p->have |= P_FORMAT;
        else if (strcmp(k, "salt") == 0 && type == SQLITE_BLOB && n == KDF_SALT_BYTES) {
            memcpy(p->salt, val, KDF_SALT_BYTES);
            p->have |= P_SALT;
        } else if (strcmp(k, "opslimit") == 0 && type == SQLITE_INTEGER &&
                   num >= (sqlite3_int64)OPSLIMIT_MIN && num <= (sqlite3_int64)OPSLIMIT_MAX) {
            p->opslimit = (unsigned long long)num;
            p->have |= P_OPS;
        } else if (strcmp(k, "memlimit") == 0 && type == SQLITE_INTEGER &&
                   num >= (sqlite3_int64)MEMLIMIT_MIN && num <= (sqlite3_int64)MEMLIMIT_MAX) {
            p->memlimit = (size_t)num;
            p->have |= P_MEM;
        } else if (strcmp(k, "check") == 0 && type == SQLITE_BLOB && n == CHECK_BOX_BYTES) {
            memcpy(p->check, val, CHECK_BOX_BYTES);
            p->have |= P_CHECK;
        } else {
            break;
        }
        rc = SKL_OK;
    }
    if (rc == SKL_OK && step != SQLITE_DONE)
        rc = skl_ledger_dbfail(l, "vault_meta");
    else if (rc == SKL_OK && p->have != 0 && p->have != P_ALL)
        rc = SKL_ERR_CORRUPT;
    if (rc == SKL_ERR_CORRUPT)
        skl_ledger_fail(l, rc, "vault_meta: a parameter is missing, malformed or out of bounds");
    sqlite3_finalize(st);
    return rc;
}

static skl_err
params_put(skl_ledger *l, const char *key, const void *blob, int n, sqlite3_int64 num)
{
    sqlite3_stmt *st = NULL;
    int rc = SKL_OK;
    if (sqlite3_prepare_v2(l->db, "INSERT INTO vault_meta(key, value) VALUES(?, ?)", -1, &st,
                           NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "vault_meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (blob != NULL)
        sqlite3_bind_blob(st, 2, blob, n, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 2, num);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = skl_ledger_dbfail(l, "vault_meta");
    sqlite3_finalize(st);
    return rc;
}

/* v->s.master from the passphrase, and the check key from it. */
static skl_err
derive_master(skl_vault *v, const char *passphrase, const struct params *p)
{
    if (crypto_pwhash(v->s.master, sizeof v->s.master, passphrase, strlen(passphrase), p->salt,
                      p->opslimit, p->memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return skl_ledger_fail(v->l, SKL_ERR_NOMEM, "Argon2id could not get its memory");
    crypto_kdf_derive_from_key(v->s.check_key, 32, SUBKEY_CHECK, KDF_CONTEXT, v->s.master);
    return SKL_OK;
}

/* Makes the parameters of a new vault and stores them (inside the open transaction). */
static skl_err
params_create(skl_vault *v, const char *passphrase, struct params *p)
{
    skl_ledger *l = v->l;
    skl_err rc;
    randombytes_buf(p->salt, sizeof p->salt);
    p->opslimit = OPSLIMIT_DEFAULT;
    p->memlimit = MEMLIMIT_DEFAULT;
    if ((rc = derive_master(v, passphrase, p)) != SKL_OK)
        return rc;
    randombytes_buf(p->check, NONCE_BYTES);
    crypto_secretbox_easy(p->check + NONCE_BYTES, (const unsigned char *)CHECK_TEXT, CHECK_LEN,
                          p->check, v->s.check_key);
    if ((rc = params_put(l, "format", VAULT_FORMAT, (int)sizeof VAULT_FORMAT - 1, 0)) != SKL_OK ||
        (rc = params_put(l, "salt", p->salt, KDF_SALT_BYTES, 0)) != SKL_OK ||
        (rc = params_put(l, "opslimit", NULL, 0, (sqlite3_int64)p->opslimit)) != SKL_OK ||
        (rc = params_put(l, "memlimit", NULL, 0, (sqlite3_int64)p->memlimit)) != SKL_OK ||
        (rc = params_put(l, "check", p->check, CHECK_BOX_BYTES, 0)) != SKL_OK)
        return rc;
    return SKL_OK;
}

skl_err
skl_vault_open(skl_vault **out, skl_ledger *l, const char *passphrase)
{
    skl_vault *v = NULL;
    struct params p;
    int began = 0, created = 0;
    skl_err rc;

    if (out == NULL || l == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (passphrase == NULL || passphrase[0] == '\0')
        return skl_ledger_fail(l, SKL_ERR_PASSPHRASE, "the vault needs a passphrase");
    if (sodium_init() < 0)
        return SKL_ERR_CRYPTO;
    if ((v = sodium_malloc(sizeof *v)) == NULL)
        return SKL_ERR_NOMEM;
    sodium_memzero(v, sizeof *v);
    v->l = l;

    if ((rc = tx_begin(l, &began)) != SKL_OK)
        goto out;
    if ((rc = skl_store_exec(l, schema)) == SKL_OK && (rc = params_read(l, &p)) == SKL_OK &&
        p.have == 0) {
        rc = params_create(v, passphrase, &p);
        created = 1;
    }
    if ((rc = tx_end(l, began, rc)) != SKL_OK)
        goto out;
    /* An existing vault: the lock is released before the slow key derivation. */
    if (!created) {
        if ((rc = derive_master(v, passphrase, &p)) != SKL_OK)
            goto out;
        if (crypto_secretbox_open_easy(v->s.check_plain, p.check + NONCE_BYTES,
                                       CHECK_BOX_BYTES - NONCE_BYTES, p.check,
                                       v->s.check_key) != 0) {
            rc = skl_ledger_fail(l, SKL_ERR_PASSPHRASE, "wrong passphrase for the vault");
            goto out;
        }
        if (memcmp(v->s.check_plain, CHECK_TEXT, CHECK_LEN) != 0) {
            rc = skl_ledger_fail(l, SKL_ERR_CORRUPT, "vault key check has the wrong text");
            goto out;
        }
    }
    crypto_kdf_derive_from_key(v->record_key, 32, SUBKEY_RECORD, KDF_CONTEXT, v->s.master);
    crypto_kdf_derive_from_key(v->lookup_key, 32, SUBKEY_LOOKUP, KDF_CONTEXT, v->s.master);
    *out = v;
    rc = SKL_OK;
out:
    sodium_memzero(&p, sizeof p);
    if (v != NULL)
        scrub(v);
    if (rc != SKL_OK)
        skl_vault_close(v);
    return rc;
}

void
skl_vault_close(skl_vault *v)
{
    if (v == NULL)
        return;
    sqlite3_stmt *sts[] = {v->st_find, v->st_get,   v->st_add,  v->st_exists,
                           v->st_link, v->st_owner, v->st_creds};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    sodium_free(v); /* wipes the keys and the scratch */
}

/* ---- workers --------------------------------------------------------------------------- */

/* The worker whose lookup is lookup: SKL_OK (*id set), SKL_ERR_NOTFOUND or SKL_ERR_DB. */
static skl_err
find_lookup(skl_vault *v, const uint8_t lookup[32], int64_t *id)
{
    sqlite3_stmt *st =
        skl_ledger_stmt(v->l, &v->st_find, "SELECT id FROM workers WHERE lookup = ?");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_blob(st, 1, lookup, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SKL_OK;
    if (rc == SQLITE_DONE)
        return SKL_ERR_NOTFOUND;
    return skl_ledger_dbfail(v->l, "finding a worker");
}

/* Today (UTC, by the ledger's clock) as YYYYMMDD. */
static int
today(const skl_ledger *l)
{
    time_t now = (time_t)skl_ledger_now(l);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL)
        return 99991231;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

skl_err
skl_vault_add_worker(skl_vault *v, const char *id_type, const char *id_number, const char *name,
                     int64_t *worker_id, char *why, size_t whylen)
{
    uint8_t lookup[32], box[BOX_MAX];
    size_t plen;
    int birth;
    skl_err rc;

    if (v == NULL || id_type == NULL || id_number == NULL || name == NULL || worker_id == NULL) {
        skl_why(why, whylen, "missing argument");
        return SKL_ERR_INVAL;
    }
    skl_ledger *l = v->l;
    if ((rc = skl_identity_normalize(id_type, id_number, v->s.number, &birth, why, whylen)) !=
            SKL_OK ||
        (rc = skl_identity_check_name(name, v->s.name, why, whylen)) != SKL_OK)
        goto out;
    if (birth > today(l)) {
        skl_why(why, whylen, "resident-id: birth date is in the future");
        rc = SKL_ERR_SCHEMA;
        goto out;
    }
    lookup_of(v, id_type, v->s.number, lookup);
    if ((rc = find_lookup(v, lookup, worker_id)) != SKL_ERR_NOTFOUND) {
        if (rc == SKL_OK) {
            skl_why(why, whylen, "already in the vault as worker %lld", (long long)*worker_id);
            rc = SKL_ERR_EXISTS;
        }
        goto out;
    }
    randombytes_buf(v->s.secret, sizeof v->s.secret);
    if ((plen = skl_vault_int_record_write(v, id_type, v->s.number, v->s.name)) == 0) {
        rc = SKL_ERR_CRYPTO; /* cannot happen: the checked fields always fit */
        goto out;
    }
    randombytes_buf(box, NONCE_BYTES);
    crypto_secretbox_easy(box + NONCE_BYTES, (const unsigned char *)v->s.plain, plen, box,
                          v->record_key);
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &v->st_add, "INSERT INTO workers(lookup, box, created) VALUES(?, ?, ?)");
    if (st == NULL) {
        rc = SKL_ERR_DB;
        goto out;
    }
    sqlite3_bind_blob(st, 1, lookup, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, box, (int)(NONCE_BYTES + MAC_BYTES + plen), SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, skl_ledger_now(l));
    int step = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(l->db);
    sqlite3_reset(st);
    if (step == SQLITE_DONE) {
        *worker_id = sqlite3_last_insert_rowid(l->db);
        rc = SKL_OK;
    } else if (ext == SQLITE_CONSTRAINT_UNIQUE && find_lookup(v, lookup, worker_id) == SKL_OK) {
        /* Another process added the same worker since we looked. */
        skl_why(why, whylen, "already in the vault as worker %lld", (long long)*worker_id);
        rc = SKL_ERR_EXISTS;
    } else {
        rc = skl_ledger_dbfail(l, "adding a worker");
        skl_why(why, whylen, "%s", skl_ledger_errmsg(l));
    }
out:
    scrub(v);
    return rc;
}

skl_err
skl_vault_find_worker(skl_vault *v, const char *id_type, const char *id_number, int64_t *worker_id)
{
    uint8_t lookup[32];
    int birth;
    skl_err rc;
    if (v == NULL || id_type == NULL || id_number == NULL || worker_id == NULL)
        return SKL_ERR_INVAL;
    if ((rc = skl_identity_normalize(id_type, id_number, v->s.number, &birth, NULL, 0)) == SKL_OK) {
        lookup_of(v, id_type, v->s.number, lookup);
        rc = find_lookup(v, lookup, worker_id);
    }
    scrub(v);
    return rc;
}

skl_err
skl_vault_worker(skl_vault *v, int64_t worker_id, skl_worker *out)
{
    skl_err rc;
    if (out != NULL)
        sodium_memzero(out, sizeof *out);
    if (v == NULL || out == NULL)
        return SKL_ERR_INVAL;
    if ((rc = worker_load(v, worker_id)) == SKL_OK)
        memcpy(out, &v->s.w, sizeof *out);
    scrub(v);
    return rc;
}

void
skl_vault_worker_wipe(skl_worker *w)
{
    if (w != NULL)
        sodium_memzero(w, sizeof *w);
}

/* ---- commitments ----------------------------------------------------------------------- */

/* "sha256$" + hex(SHA-256(type ":" number salt_hex)) into out (72 bytes). */
static void
commit_hash(skl_sha256_ctx *c, const char *type, const char *number, const char *salt_hex,
            char out[SKL_VAULT_IDENTITY_HASH_SIZE])
{
    uint8_t d[32];
    skl_sha256_init(c);
    skl_sha256_update(c, type, strlen(type));
    skl_sha256_update(c, ":", 1);
    skl_sha256_update(c, number, strlen(number));
    skl_sha256_update(c, salt_hex, 64);
    skl_sha256_final(c, d);
    sodium_memzero(c, sizeof *c);
    memcpy(out, "sha256$", 7);
    sodium_bin2hex(out + 7, 65, d, sizeof d);
}

static int
credential_id_ok(const char *id)
{
    size_t n;
    return id != NULL && (n = strlen(id)) > 0 && n <= SKL_VAULT_CREDENTIAL_ID_MAX;
}

skl_err
skl_vault_commitment(skl_vault *v, int64_t worker_id, const char *credential_id,
                     char identity_hash[SKL_VAULT_IDENTITY_HASH_SIZE],
                     char salt_hex[SKL_VAULT_SALT_HEX_SIZE])
{
    skl_err rc;
    if (v == NULL || identity_hash == NULL || !credential_id_ok(credential_id))
        return SKL_ERR_INVAL;
    if ((rc = worker_load(v, worker_id)) != SKL_OK)
        goto out;
    /* salt = HMAC-SHA256(secret, "skl/identity-salt/v1" || 0x00 || credential id) */
    crypto_auth_hmacsha256_init(&v->s.hmac, v->s.secret, sizeof v->s.secret);
    crypto_auth_hmacsha256_update(&v->s.hmac, (const unsigned char *)SALT_DOMAIN,
                                  sizeof SALT_DOMAIN); /* with its NUL: the 0x00 separator */
    crypto_auth_hmacsha256_update(&v->s.hmac, (const unsigned char *)credential_id,
                                  strlen(credential_id));
    crypto_auth_hmacsha256_final(&v->s.hmac, v->s.salt);
    sodium_bin2hex(v->s.salt_hex, sizeof v->s.salt_hex, v->s.salt, sizeof v->s.salt);
    commit_hash(&v->s.sha, v->s.w.id_type, v->s.w.id_number, v->s.salt_hex, identity_hash);
    if (salt_hex != NULL)
        memcpy(salt_hex, v->s.salt_hex, SKL_VAULT_SALT_HEX_SIZE);
out:
    scrub(v);
    return rc;
}

/* 1 if s is exactly 64 lower-case hex digits. */
static int
hex64(const char *s)
{
    return strlen(s) == 64 && skl_hex_is_lower(s, 64);
}

int
skl_vault_check_commitment(const char *identity_hash, const char *id_type, const char *id_number,
                           const char *salt_hex)
{
    char number[SKL_VAULT_ID_NUMBER_MAX + 1], want[SKL_VAULT_IDENTITY_HASH_SIZE];
    skl_sha256_ctx c;
    int birth, ok = 0;
    if (identity_hash == NULL || id_type == NULL || id_number == NULL || salt_hex == NULL)
        return 0;
    if (strncmp(identity_hash, "sha256$", 7) != 0 || !hex64(identity_hash + 7) || !hex64(salt_hex))
        return 0;
    if (skl_identity_normalize(id_type, id_number, number, &birth, NULL, 0) == SKL_OK) {
        commit_hash(&c, id_type, number, salt_hex, want);
        ok = sodium_memcmp(want, identity_hash, SKL_VAULT_IDENTITY_HASH_SIZE - 1) == 0;
    }
    sodium_memzero(number, sizeof number);
    sodium_memzero(want, sizeof want);
    return ok;
}

skl_err
skl_vault_commit_fresh(char identity_hash[SKL_VAULT_IDENTITY_HASH_SIZE],
                       char salt_hex[SKL_VAULT_SALT_HEX_SIZE], const char *id_type,
                       const char *id_number)
{
    char number[SKL_VAULT_ID_NUMBER_MAX + 1];
    uint8_t salt[32];
    skl_sha256_ctx c;
    int birth;
    if (identity_hash == NULL || salt_hex == NULL || id_type == NULL || id_number == NULL)
        return SKL_ERR_INVAL;
    skl_err rc = skl_identity_normalize(id_type, id_number, number, &birth, NULL, 0);
    if (rc == SKL_OK) {
        randombytes_buf(salt, sizeof salt);
        sodium_bin2hex(salt_hex, SKL_VAULT_SALT_HEX_SIZE, salt, sizeof salt);
        commit_hash(&c, id_type, number, salt_hex, identity_hash);
    }
    sodium_memzero(number, sizeof number);
    sodium_memzero(salt, sizeof salt);
    return rc;
}

/* ---- links ------------------------------------------------------------------------------ */

static skl_err
worker_exists(skl_vault *v, int64_t id)
{
    sqlite3_stmt *st = skl_ledger_stmt(v->l, &v->st_exists, "SELECT 1 FROM workers WHERE id = ?");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SKL_OK;
    if (rc == SQLITE_DONE)
        return skl_ledger_fail(v->l, SKL_ERR_NOTFOUND, "no worker %lld", (long long)id);
    return skl_ledger_dbfail(v->l, "finding a worker");
}

skl_err
skl_vault_link(skl_vault *v, int64_t worker_id, const char *const *credential_ids, size_t n)
{
    int began;
    skl_err rc;
    if (v == NULL || (n > 0 && credential_ids == NULL))
        return SKL_ERR_INVAL;
    for (size_t i = 0; i < n; i++)
        if (!credential_id_ok(credential_ids[i]))
            return skl_ledger_fail(v->l, SKL_ERR_INVAL, "credential id %zu is empty or too long",
                                   i);
    if (n == 0)
        return SKL_OK;
    skl_ledger *l = v->l;
    if ((rc = tx_begin(l, &began)) != SKL_OK)
        return rc;
    if ((rc = worker_exists(v, worker_id)) != SKL_OK)
        goto out;
    for (size_t i = 0; i < n && rc == SKL_OK; i++) {
        sqlite3_stmt *st = skl_ledger_stmt(
            l, &v->st_link, "INSERT INTO worker_credentials(credential_id, worker) VALUES(?, ?)");
        if (st == NULL) {
            rc = SKL_ERR_DB;
            break;
        }
        sqlite3_bind_text(st, 1, credential_ids[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, worker_id);
        int step = sqlite3_step(st);
        int ext = sqlite3_extended_errcode(l->db);
        sqlite3_reset(st);
        if (step == SQLITE_DONE)
            continue;
        if (ext == SQLITE_CONSTRAINT_PRIMARYKEY || ext == SQLITE_CONSTRAINT_UNIQUE)
            rc = skl_ledger_fail(l, SKL_ERR_DUPLICATE, "credential %s is already linked",
                                 credential_ids[i]);
        else
            rc = skl_ledger_dbfail(l, "linking a credential");
    }
out:
    return tx_end(l, began, rc);
}

skl_err
skl_vault_unlink(skl_vault *v, const char *const *credential_ids, size_t n)
{
    int began;
    skl_err rc;
    if (v == NULL || (n > 0 && credential_ids == NULL))
        return SKL_ERR_INVAL;
    skl_ledger *l = v->l;
    if (n == 0)
        return SKL_OK;
    if ((rc = tx_begin(l, &began)) != SKL_OK)
        return rc;
    for (size_t i = 0; i < n && rc == SKL_OK; i++) {
        uint64_t index;
        if (skl_ledger_find(l, credential_ids[i], &index) == SKL_OK) {
            rc = skl_ledger_fail(l, SKL_ERR_STATE, "credential %s is in the ledger",
                                 credential_ids[i]);
            break;
        }
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(l->db, "DELETE FROM worker_credentials WHERE credential_id = ?", -1,
                               &st, NULL) != SQLITE_OK) {
            rc = skl_ledger_dbfail(l, "unlinking a credential");
            break;
        }
        sqlite3_bind_text(st, 1, credential_ids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = skl_ledger_dbfail(l, "unlinking a credential");
        sqlite3_finalize(st);
    }
    return tx_end(l, began, rc);
}

skl_err
skl_vault_owner(skl_vault *v, const char *credential_id, int64_t *worker_id)
{
    if (v == NULL || worker_id == NULL || !credential_id_ok(credential_id))
        return SKL_ERR_INVAL;
    sqlite3_stmt *st = skl_ledger_stmt(
        v->l, &v->st_owner, "SELECT worker FROM worker_credentials WHERE credential_id = ?");
    if (st == NULL)
        return SKL_ERR_DB;
    sqlite3_bind_text(st, 1, credential_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *worker_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return SKL_OK;
    if (rc == SQLITE_DONE)
        return skl_ledger_fail(v->l, SKL_ERR_NOTFOUND, "credential %s is not linked",
                               credential_id);
    return skl_ledger_dbfail(v->l, "finding a credential's worker");
}

void
skl_vault_free_ids(char **ids, size_t n)
{
    if (ids == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

skl_err
skl_vault_credentials(skl_vault *v, int64_t worker_id, char ***ids, size_t *n)
{
    char **list = NULL;
    size_t count = 0, cap = 0;
    int began = 0, step;
    skl_err rc;
    if (ids != NULL)
        *ids = NULL;
    if (n != NULL)
        *n = 0;
    if (v == NULL || ids == NULL || n == NULL)
        return SKL_ERR_INVAL;
    skl_ledger *l = v->l;
    began = skl_store_read_begin(l); /* the worker and its links from one snapshot */
    if ((rc = worker_exists(v, worker_id)) != SKL_OK)
        goto out;
    sqlite3_stmt *st =
        skl_ledger_stmt(l, &v->st_creds,
                        "SELECT credential_id FROM worker_credentials WHERE worker = ?"
                        " ORDER BY rowid");
    if (st == NULL) {
        rc = SKL_ERR_DB;
        goto out;
    }
    sqlite3_bind_int64(st, 1, worker_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char **nl = realloc(list, ncap * sizeof *nl);
            if (nl == NULL)
                break;
            list = nl;
            cap = ncap;
        }
        if (id == NULL || (list[count] = strdup(id)) == NULL)
            break;
        count++;
    }
    sqlite3_reset(st);
    if (step == SQLITE_ROW)
        rc = SKL_ERR_NOMEM;
    else if (step != SQLITE_DONE)
        rc = skl_ledger_dbfail(l, "listing a worker's credentials");
out:
    skl_store_read_end(l, began);
    if (rc != SKL_OK) {
        skl_vault_free_ids(list, count);
        return rc;
    }
    *ids = count ? list : NULL;
    if (count == 0)
        free(list);
    *n = count;
    return SKL_OK;
}
