/* policy.c - the authority's rules, enforced when a credential enters the ledger. */
#include "policy_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "codec_int.h"
#include "credit_int.h"
#include "skl/cert.h"
#include "skl/vc.h"
#include "utc_int.h"

static const char policy_schema[] =
    "CREATE TABLE IF NOT EXISTS accreditations(id TEXT PRIMARY KEY, idx INTEGER NOT NULL,"
    " issuer BLOB NOT NULL, name TEXT NOT NULL, not_before INTEGER NOT NULL,"
    " not_after INTEGER NOT NULL, scope TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS accreditations_issuer ON accreditations(issuer);"
    "CREATE TABLE IF NOT EXISTS status(id TEXT PRIMARY KEY, status TEXT NOT NULL,"
    " by TEXT NOT NULL, idx INTEGER NOT NULL, effective INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS status_nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS credit_uses(programme TEXT NOT NULL, source TEXT NOT NULL,"
    " by TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY(programme, source)) WITHOUT ROWID;"
    "CREATE TRIGGER IF NOT EXISTS credit_uses_ro_u BEFORE UPDATE ON credit_uses"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER IF NOT EXISTS credit_uses_ro_d BEFORE DELETE ON credit_uses"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TABLE IF NOT EXISTS refdata_files(seq INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " data BLOB NOT NULL, added INTEGER NOT NULL);"
    "CREATE TRIGGER IF NOT EXISTS refdata_files_ro_u BEFORE UPDATE ON refdata_files"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER IF NOT EXISTS refdata_files_ro_d BEFORE DELETE ON refdata_files"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER IF NOT EXISTS accreditations_ro_u BEFORE UPDATE ON accreditations"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER IF NOT EXISTS accreditations_ro_d BEFORE DELETE ON accreditations"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER IF NOT EXISTS status_ro_u BEFORE UPDATE ON status"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;"
    "CREATE TRIGGER IF NOT EXISTS status_ro_d BEFORE DELETE ON status"
    " BEGIN SELECT RAISE(ABORT,'immutable'); END;";

/* ---- the per-issuer cache ------------------------------------------------------------- */

const skl_refdata *
skl_policy_refdata(const skl_policy *p)
{
    return p->rd;
}

void
skl_policy_reset(skl_policy *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->ncache; i++)
        for (size_t k = 0; k < p->cache[i].n; k++)
            skl_scope_free(p->cache[i].a[k].scope);
    p->ncache = 0;
}

void
skl_policy_free(skl_policy *p)
{
    if (p == NULL)
        return;
    skl_policy_reset(p);
    skl_credit_framework_free(p->fw);
    skl_cert_free(p->root);
    skl_refdata_free(p->rd);
    free(p);
}

/* ---- opening --------------------------------------------------------------------------- */

/* The authority root's DER from meta, malloc'd; SKL_ERR_NOTFOUND when there is none. */
static int
read_root(skl_ledger *l, uint8_t **der, size_t *len)
{
    sqlite3_stmt *st = NULL;
    int rc = SKL_ERR_NOTFOUND;
    *der = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT value FROM meta WHERE key = 'authority_root'", -1, &st,
                           NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading the authority root");
    if (sqlite3_step(st) == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        if (n <= 0 || n > SKL_CERT_MAX_LEN || (*der = malloc((size_t)n)) == NULL) {
            rc = n > 0 && n <= SKL_CERT_MAX_LEN ? SKL_ERR_NOMEM : SKL_ERR_CORRUPT;
        } else {
            memcpy(*der, sqlite3_column_blob(st, 0), (size_t)n);
            *len = (size_t)n;
            rc = SKL_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Adds the occupation lists the ledger has loaded since it was made, in order. */
static int
load_refdata_files(skl_ledger *l, skl_refdata *rd, char *why, size_t whylen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT name, data FROM refdata_files ORDER BY seq", -1, &st,
                           NULL) != SQLITE_OK)
        return SKL_OK; /* a ledger from before lists could be loaded */
    int rc = SKL_OK;
    while (rc == SKL_OK && sqlite3_step(st) == SQLITE_ROW)
        rc = skl_refdata_load_occupations_text(rd, (const char *)sqlite3_column_text(st, 0),
                                               sqlite3_column_blob(st, 1),
                                               (size_t)sqlite3_column_bytes(st, 1), why, whylen);
    sqlite3_finalize(st);
    return rc;
}

int
skl_policy_open(skl_policy **out, skl_ledger *l)
{
    uint8_t *der = NULL;
    size_t len = 0;
    char why[256];
    *out = NULL;
    int rc = read_root(l, &der, &len);
    if (rc == SKL_ERR_NOTFOUND)
        return SKL_OK;
    if (rc != SKL_OK)
        return rc;
    skl_policy *p = calloc(1, sizeof *p);
    if (p == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    if ((rc = skl_cert_parse(&p->root, der, len, why, sizeof why)) != SKL_OK ||
        (rc = skl_cert_verify_root(p->root, why, sizeof why)) != SKL_OK) {
        rc = skl_ledger_fail(l, SKL_ERR_CORRUPT, "the ledger's authority root: %s", why);
        goto out;
    }
    memcpy(p->authority, skl_cert_public_key(p->root), 32);
    if ((rc = skl_refdata_load_default(&p->rd, why, sizeof why)) != SKL_OK ||
        (rc = load_refdata_files(l, p->rd, why, sizeof why)) != SKL_OK) {
        rc = skl_ledger_fail(l, rc, "reference data: %s", why);
        goto out;
    }
    if ((rc = skl_credit_framework_default(&p->fw, why, sizeof why)) != SKL_OK) {
        rc = skl_ledger_fail(l, rc, "credit framework: %s", why);
        goto out;
    }
    *out = p;
    p = NULL;
out:
    skl_policy_free(p);
    free(der);
    return rc;
}

skl_err
skl_ledger_set_authority(skl_ledger *l, const char *cert, size_t len)
{
    skl_cert *root = NULL;
    char why[256];
    uint64_t size;
    int rc = skl_cert_parse(&root, cert, len, why, sizeof why);
    if (rc == SKL_OK)
        rc = skl_cert_verify_root(root, why, sizeof why);
    if (rc != SKL_OK) {
        skl_ledger_fail(l, rc, "authority root: %s", why);
        goto out;
    }
    if ((rc = skl_store_exec(l, "BEGIN IMMEDIATE")) != SKL_OK)
        goto out;
    if ((rc = skl_store_size(l, &size)) != SKL_OK)
        goto rollback;
    if (size != 0 || l->policy != NULL) {
        rc = skl_ledger_fail(l, SKL_ERR_STATE,
                             "an authority root can only be set on a new, empty ledger");
        goto rollback;
    }
    size_t dlen;
    const uint8_t *der = skl_cert_der(root, &dlen);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "INSERT INTO meta(key, value) VALUES('authority_root', ?)", -1,
                           &st, NULL) != SQLITE_OK) {
        rc = skl_ledger_dbfail(l, "storing the authority root");
        goto rollback;
    }
    sqlite3_bind_blob(st, 1, der, (int)dlen, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : skl_ledger_dbfail(l, "storing the root");
    sqlite3_finalize(st);
    if (rc != SKL_OK || (rc = skl_store_exec(l, policy_schema)) != SKL_OK ||
        (rc = skl_store_exec(l, "COMMIT")) != SKL_OK)
        goto rollback;
    rc = skl_policy_open(&l->policy, l);
    goto out;
rollback:
    sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
out:
    skl_cert_free(root);
    return rc;
}

skl_err
skl_ledger_load_occupations(skl_ledger *l, const char *name, const char *data, size_t len)
{
    char why[256];
    if (l->policy == NULL)
        return skl_ledger_fail(l, SKL_ERR_STATE, "this ledger has no authority root");
    int rc = skl_store_exec(l, "BEGIN IMMEDIATE");
    if (rc != SKL_OK)
        return rc;
    /* Checked against the reference data in force; kept only if it loads. */
    rc = skl_refdata_load_occupations_text(l->policy->rd, name, data, len, why, sizeof why);
    if (rc != SKL_OK) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        return skl_ledger_fail(l, rc, "%s", why);
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "INSERT INTO refdata_files(name, data, added) VALUES(?, ?, ?)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 2, data, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, skl_ledger_now(l));
        rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK : SKL_ERR_DB;
    } else {
        rc = SKL_ERR_DB;
    }
    sqlite3_finalize(st);
    if (rc == SKL_OK)
        rc = skl_store_exec(l, "COMMIT");
    else
        skl_ledger_dbfail(l, "storing the occupation list");
    if (rc != SKL_OK) {
        /* The in-memory data already has the list: start again from what is stored. */
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        skl_policy_free(l->policy);
        l->policy = NULL;
        skl_policy_open(&l->policy, l);
    }
    return rc;
}

const char *
skl_ledger_refdata_version(const skl_ledger *l)
{
    return l->policy != NULL ? skl_refdata_version(l->policy->rd) : NULL;
}

skl_err
skl_ledger_authority(skl_ledger *l, char **pem, size_t *len)
{
    *pem = NULL;
    if (l->policy == NULL)
        return SKL_ERR_NOTFOUND;
    return skl_cert_pem(l->policy->root, pem, len);
}

/* ---- issuers ------------------------------------------------------------------------------ */

/* Loads the accreditations of key into the cache. */
static int
load_issuer(skl_ledger *l, skl_policy *p, const uint8_t key[32], struct issuer **out)
{
    if (p->ncache == MAX_ISSUERS)
        skl_policy_reset(p);
    struct issuer *is = &p->cache[p->ncache];
    memcpy(is->key, key, 32);
    is->n = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db,
                           "SELECT a.id, a.not_before, a.not_after, a.scope, s.effective"
                           " FROM accreditations a LEFT JOIN status s ON s.id = a.id"
                           " WHERE a.issuer = ? ORDER BY a.not_after DESC",
                           -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading accreditations");
    sqlite3_bind_blob(st, 1, key, 32, SQLITE_STATIC);
    int rc = SKL_OK;
    char why[256];
    while (is->n < MAX_ACCREDS && sqlite3_step(st) == SQLITE_ROW) {
        struct accred *a = &is->a[is->n];
        snprintf(a->id, sizeof a->id, "%s", (const char *)sqlite3_column_text(st, 0));
        a->not_before = sqlite3_column_int64(st, 1);
        a->not_after = sqlite3_column_int64(st, 2);
        a->revoked =
            sqlite3_column_type(st, 4) == SQLITE_NULL ? INT64_MAX : sqlite3_column_int64(st, 4);
        const char *scope = (const char *)sqlite3_column_text(st, 3);
        rc = skl_scope_parse(&a->scope, scope, strlen(scope), p->rd, why, sizeof why);
        if (rc != SKL_OK) {
            rc = skl_ledger_fail(l, SKL_ERR_CORRUPT, "accreditation %s: stored scope: %s", a->id,
                                 why);
            break;
        }
        is->n++;
    }
    sqlite3_finalize(st);
    p->ncache++;
    *out = is;
    return rc;
}

/* SKL_OK when an accreditation of signer is in force at now and its scope covers c. */
static int
check_issuer(skl_ledger *l, skl_policy *p, const skl_claim *c, const uint8_t signer[32],
             int64_t now, char *why, size_t whylen)
{
    struct issuer *is = NULL;
    for (size_t i = 0; i < p->ncache && is == NULL; i++)
        if (memcmp(p->cache[i].key, signer, 32) == 0)
            is = &p->cache[i];
    if (is == NULL) {
        int rc = load_issuer(l, p, signer, &is);
        if (rc != SKL_OK)
            return rc;
    }
    if (is->n == 0) {
        snprintf(why, whylen, "issuer %.60s has no accreditation in this ledger", c->issuer);
        return SKL_ERR_VERIFY;
    }
    char t1[21], t2[21];
    int rc = SKL_ERR_VERIFY;
    why[0] = '\0';
    for (size_t k = 0; k < is->n; k++) {
        const struct accred *a = &is->a[k];
        if (a->revoked <= now) {
            skl_utc_format(t1, a->revoked);
            if (why[0] == '\0')
                snprintf(why, whylen, "issuer's accreditation %.100s was revoked as of %s", a->id,
                         t1);
            continue;
        }
        if (now < a->not_before || now > a->not_after) {
            skl_utc_format(t1, a->not_before);
            skl_utc_format(t2, a->not_after);
            if (why[0] == '\0')
                snprintf(why, whylen,
                         "issuer's accreditation %.100s is valid from %s to %s, not at the "
                         "log's time",
                         a->id, t1, t2);
            continue;
        }
        char swhy[200];
        if (skl_scope_covers(a->scope, c, swhy, sizeof swhy) == SKL_OK)
            return SKL_OK;
        snprintf(why, whylen, "accreditation %.100s: %s", a->id, swhy);
        rc = SKL_ERR_VERIFY;
    }
    return rc;
}

/* ---- the rules by kind --------------------------------------------------------------------- */

static int
accredit(skl_ledger *l, skl_policy *p, const skl_claim *c, uint64_t index, int64_t now, char *why,
         size_t whylen)
{
    uint8_t *der = NULL, pub[32];
    size_t len = 0;
    skl_cert *cert = NULL;
    skl_scope *scope = NULL;
    char cwhy[200];
    int rc = SKL_ERR_SCHEMA;
    size_t cap = strlen(c->certificate) / 4 * 3 + 3;
    if (cap > SKL_CERT_MAX_LEN + 3 || (der = malloc(cap)) == NULL) {
        snprintf(why, whylen, "accreditation certificate is too large");
        rc = cap > SKL_CERT_MAX_LEN + 3 ? SKL_ERR_LIMIT : SKL_ERR_NOMEM;
        goto out;
    }
    if (skl_base64_decode(der, cap, &len, c->certificate, strlen(c->certificate)) != 0) {
        snprintf(why, whylen, "credentialSubject.skl.certificate: not base64");
        goto out;
    }
    if ((rc = skl_cert_parse(&cert, der, len, cwhy, sizeof cwhy)) != SKL_OK ||
        (rc = skl_cert_verify_issued(cert, p->root, cwhy, sizeof cwhy)) != SKL_OK) {
        snprintf(why, whylen, "accreditation certificate: %s", cwhy);
        rc = SKL_ERR_VERIFY;
        goto out;
    }
    rc = SKL_ERR_VERIFY;
    if (skl_did_key_decode(pub, c->subject) != SKL_OK ||
        sodium_memcmp(pub, skl_cert_public_key(cert), 32) != 0) {
        snprintf(why, whylen, "accreditation names %.60s but its certificate is for another key",
                 c->subject);
        goto out;
    }
    const char *cs = skl_cert_scope(cert);
    if (cs == NULL || strcmp(cs, c->scope) != 0) {
        snprintf(why, whylen, "accreditation scope differs from its certificate's scope");
        goto out;
    }
    if (skl_scope_parse(&scope, cs, strlen(cs), p->rd, cwhy, sizeof cwhy) != SKL_OK) {
        snprintf(why, whylen, "accreditation scope: %s", cwhy);
        rc = SKL_ERR_SCHEMA;
        goto out;
    }
    if (skl_cert_not_after(cert) < now) {
        snprintf(why, whylen, "accreditation certificate expired before the log's time");
        goto out;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db,
                           "INSERT INTO accreditations(id, idx, issuer, name, not_before,"
                           " not_after, scope) VALUES(?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = skl_ledger_dbfail(l, "recording an accreditation");
        goto out;
    }
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)index);
    sqlite3_bind_blob(st, 3, pub, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, skl_cert_name(cert), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, skl_cert_not_before(cert));
    sqlite3_bind_int64(st, 6, skl_cert_not_after(cert));
    sqlite3_bind_text(st, 7, cs, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? SKL_OK
                                         : skl_ledger_dbfail(l, "recording an accreditation");
    sqlite3_finalize(st);
    skl_policy_reset(p); /* the issuer's cached accreditations changed */
out:
    skl_scope_free(scope);
    skl_cert_free(cert);
    free(der);
    return rc;
}

/* A revocation (status "revoked") or a correction (status "superseded") of c->target. */
static int
retire(skl_ledger *l, skl_policy *p, const skl_claim *c, const uint8_t signer[32], int authority,
       uint64_t index, int64_t now, char *why, size_t whylen)
{
    int revocation = c->kind == SKL_KIND_REVOCATION;
    const char *what = revocation ? "revocation" : "correction";
    struct skl_target t;
    char twhy[200], status[16];
    int64_t effective = now;
    int rc = skl_policy_load_target(l, p, c->target, &t, twhy, sizeof twhy);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "%s target: %s", what, twhy);
        goto out;
    }
    rc = SKL_ERR_VERIFY;
    if (t.index >= index) { /* only a tampered store can show a target from the future */
        snprintf(why, whylen, "%s target %.100s is not earlier in the log", what, c->target);
        goto out;
    }
    if (!authority && sodium_memcmp(t.issuer, signer, 32) != 0) {
        snprintf(why, whylen, "%s target %.100s belongs to another issuer", what, c->target);
        goto out;
    }
    if (t.claim.kind == SKL_KIND_ACCREDITATION && !authority) {
        snprintf(why, whylen, "only the authority revokes an accreditation");
        goto out;
    }
    if (!revocation && t.claim.kind != c->kind) {
        snprintf(why, whylen, "correction of %.100s is a %s, but its target is a %s", c->target,
                 skl_kind_name(c->kind), skl_kind_name(t.claim.kind));
        goto out;
    }
    int found = skl_policy_read_status(l, c->target, status, sizeof status, &effective);
    if (found < 0) {
        rc = found;
        goto out;
    }
    if (found) {
        snprintf(why, whylen, "%s target %.100s is already %s", what, c->target, status);
        goto out;
    }
    effective = now;
    if (revocation && c->effective != NULL &&
        skl_utc_parse(&effective, c->effective, strlen(c->effective)) != 0) {
        snprintf(why, whylen, "credentialSubject.skl.effective: not a UTC date-time");
        rc = SKL_ERR_SCHEMA;
        goto out;
    }
    rc = skl_policy_put_status(l, c->target, revocation ? "revoked" : "superseded", c->id, index,
                               effective);
    if (t.claim.kind == SKL_KIND_ACCREDITATION)
        skl_policy_reset(p);
out:
    skl_claim_free(&t.claim);
    return rc;
}

/* The vault's private link of credential id to its worker (spec/workers.md): 1 and *worker,
 * 0 when there is none (or no vault at all), or < 0. */
static int
worker_of(skl_ledger *l, const char *id, int64_t *worker)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT worker FROM worker_credentials WHERE credential_id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return 0; /* no vault in this ledger */
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        *worker = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return found;
}

/* Does the credential t meet prerequisite q? */
static int
meets(const skl_policy *p, const struct skl_target *t, const skl_refdata_prereq *q)
{
    if (strcmp(q->kind, skl_kind_name(t->claim.kind)) != 0)
        return 0;
    if (q->title != NULL)
        return t->claim.honour != NULL && strcmp(t->claim.honour, q->title) == 0;
    if (q->min_level != NULL) {
        const char *scale;
        int rank;
        return t->claim.level_scale != NULL &&
               skl_refdata_level(p->rd, q->min_level, &scale, &rank) == SKL_OK &&
               strcmp(scale, t->claim.level_scale) == 0 && t->claim.level_rank >= rank;
    }
    return 1;
}

/* Honour prerequisites: each one met by a referenced, active credential of the same worker. */
static int
check_prerequisites(skl_ledger *l, skl_policy *p, const skl_claim *c, char *why, size_t whylen)
{
    const skl_refdata_prereq *pre = NULL;
    size_t npre = 0;
    if (skl_refdata_honour(p->rd, c->honour, NULL, NULL, &pre, &npre) != SKL_OK || npre == 0)
        return SKL_OK;
    int64_t worker = 0, other = 0;
    int rc = worker_of(l, c->id, &worker);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        snprintf(why, whylen,
                 "honour %.40s has prerequisites, but this ledger's vault does not "
                 "know its worker (issue it with skl issue)",
                 c->honour);
        return SKL_ERR_VERIFY;
    }
    struct skl_target t[SKL_CLAIM_MAX_REFS];
    size_t nt = 0;
    char twhy[200], status[16];
    int64_t effective;
    rc = SKL_OK;
    for (size_t i = 0; i < c->nrefs && rc == SKL_OK; i++) {
        if ((rc = skl_policy_load_target(l, p, c->refs[i], &t[nt], twhy, sizeof twhy)) != SKL_OK) {
            skl_claim_free(&t[nt].claim);
            snprintf(why, whylen, "prerequisite %s", twhy);
            break;
        }
        nt++;
        int found = skl_policy_read_status(l, c->refs[i], status, sizeof status, &effective);
        if (found != 0) {
            rc = found < 0 ? found : SKL_ERR_VERIFY;
            snprintf(why, whylen, "prerequisite %.100s is %s", c->refs[i], status);
        } else if ((found = worker_of(l, c->refs[i], &other)) <= 0 || other != worker) {
            rc = found < 0 ? found : SKL_ERR_VERIFY;
            snprintf(why, whylen, "prerequisite %.100s is not a credential of the same worker",
                     c->refs[i]);
        }
    }
    for (size_t q = 0; q < npre && rc == SKL_OK; q++) {
        size_t k = 0;
        while (k < nt && !meets(p, &t[k], &pre[q]))
            k++;
        if (k == nt) {
            snprintf(why, whylen, "honour %.40s requires %s %s%.40s among its prerequisites",
                     c->honour, pre[q].kind, pre[q].min_level ? "at level " : "titled ",
                     pre[q].min_level ? pre[q].min_level
                     : pre[q].title   ? pre[q].title
                                      : "");
            rc = SKL_ERR_VERIFY;
        }
    }
    for (size_t k = 0; k < nt; k++)
        skl_claim_free(&t[k].claim);
    return rc;
}

int
skl_policy_check(skl_ledger *l, skl_policy *p, const skl_claim *c, const uint8_t signer[32],
                 uint64_t index, int64_t now, char *why, size_t whylen)
{
    int authority = sodium_memcmp(signer, p->authority, 32) == 0;
    int rc;
    if (c->kind == SKL_KIND_ACCREDITATION) {
        if (!authority) {
            snprintf(why, whylen, "an accreditation must be signed by the authority root");
            return SKL_ERR_VERIFY;
        }
        return accredit(l, p, c, index, now, why, whylen);
    }
    if (authority) {
        if (c->kind != SKL_KIND_REVOCATION && c->target == NULL) {
            snprintf(why, whylen,
                     "the authority root signs only accreditations, revocations "
                     "and corrections, not a %s",
                     skl_kind_name(c->kind));
            return SKL_ERR_VERIFY;
        }
    } else if ((rc = check_issuer(l, p, c, signer, now, why, whylen)) != SKL_OK) {
        return rc;
    }
    if (c->kind == SKL_KIND_REVOCATION || c->target != NULL)
        return retire(l, p, c, signer, authority, index, now, why, whylen);
    if (c->kind == SKL_KIND_HONOUR)
        return check_prerequisites(l, p, c, why, whylen);
    if (c->kind == SKL_KIND_CREDIT)
        return skl_policy_check_credit(l, p, c, index, why, whylen);
    return SKL_OK;
}
