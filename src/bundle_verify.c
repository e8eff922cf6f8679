/* bundle_verify.c - an employer's offline check of a worker's bundle (spec/bundle.md). */
#include "skl/bundle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "buf_int.h"
#include "claim_int.h"
#include "codec_int.h"
#include "json_int.h"
#include "leaf_int.h"
#include "merkle_int.h"
#include "refdata_int.h"
#include "skl/cert.h"
#include "skl/merkle.h"
#include "skl/note.h"
#include "skl/vc.h"
#include "status_int.h"
#include "utc_int.h"
#include "utf8_int.h"
#include "why_int.h"

#define MAX_PROOF 64

/* One leaf of the bundle with its proofs, parsed and checked as far as it goes alone. */
struct entry {
    const skl_json_value *v;
    uint64_t index;
    skl_leaf leaf;
    uint8_t hash[32];
    skl_vc_sigcheck sig;
    int sig_checked; /* sig verified already (in the batch pass) */
    skl_claim claim;
    int status;    /* status value, or -1 when absent */
    int status_ok; /* 1 if that value is proven against the snapshot's root */
    const char *salt;
    char bad[256]; /* "" if it checked out so far */
};

/* An accreditation the bundle shows, once checked. */
struct accred {
    const struct entry *e;
    uint8_t key[32];
    int64_t not_before, not_after;
    int64_t revoked; /* effective time of a shown revocation, INT64_MAX if none */
    skl_scope *scope;
    char name[256];
};

struct verifier {
    const skl_trust *t;
    const skl_refdata *rd;
    uint64_t size; /* checkpoint size */
    uint8_t root[32];
    char cp_bad[256]; /* why the checkpoint or snapshot fails, "" if good */
    uint8_t status_root[32];
    skl_buf scratch, canon, bytes;
    skl_merkle_trail log_trail, status_trail; /* nearby leaves share their upper paths */
    struct accred *acc;
    size_t nacc;
    skl_bundle_basis *basis; /* never NULL here */
};

/* Decodes a JSON array of base64 hashes (at most MAX_PROOF). -1 if malformed. */
static int
hashes(const skl_json_value *a, uint8_t (*out)[32], size_t *n)
{
    if (a == NULL || a->type != SKL_JSON_ARRAY || a->n > MAX_PROOF)
        return -1;
    for (uint32_t i = 0; i < a->n; i++) {
        size_t len;
        const skl_json_value *h = &a->u.arr[i];
        if (h->type != SKL_JSON_STRING || h->n != 44 ||
            skl_base64_decode(out[i], 32, &len, h->u.str, h->n) != 0 || len != 32)
            return -1;
    }
    *n = a->n;
    return 0;
}

/* Parses one entry: its members, the leaf's canonical bytes and record, its inclusion
 * under the checkpoint, and its status proof. Failures go to e->bad (the verdict's reason).
 * Returns SKL_ERR_NOMEM or SKL_OK. */
static int
parse_entry(struct verifier *x, struct entry *e, const skl_json_value *v, int want_status)
{
    uint8_t proof[MAX_PROOF][32];
    size_t n;
    char why[200];
    e->v = v;
    e->status = -1;
    const skl_json_value *index = skl_json_get(v, "index"), *leaf = skl_json_get(v, "leaf");
    const skl_json_value *incl = skl_json_get(v, "inclusion"), *st = skl_json_get(v, "status");
    const skl_json_value *salt = skl_json_get(v, "salt");
    size_t members = 3 + (st != NULL) + (salt != NULL);
    if (v->type != SKL_JSON_OBJECT || v->n != members || index == NULL || leaf == NULL ||
        incl == NULL || index->type != SKL_JSON_NUMBER || index->u.num < 0 ||
        index->u.num > 9007199254740991.0 || index->u.num != (double)(uint64_t)index->u.num ||
        leaf->type != SKL_JSON_OBJECT || (salt != NULL && salt->type != SKL_JSON_STRING)) {
        skl_why(e->bad, sizeof e->bad, "malformed entry (index, leaf, inclusion, status, salt)");
        return SKL_OK;
    }
    e->index = (uint64_t)index->u.num;
    e->salt = salt ? salt->u.str : NULL;
    uint8_t id_hash[32];
    int rc = skl_leaf_check_value(&e->leaf, id_hash, &e->sig, leaf, &x->scratch, &x->canon,
                                  &x->bytes, why, sizeof why);
    if (rc == SKL_ERR_NOMEM)
        return rc;
    if (rc != SKL_OK) {
        skl_why(e->bad, sizeof e->bad, "leaf %llu: %s", (unsigned long long)e->index, why);
        return SKL_OK;
    }
    skl_merkle_leaf_hash(e->hash, x->bytes.data, x->bytes.len);
    if (e->leaf.index != e->index) {
        skl_why(e->bad, sizeof e->bad, "leaf says index %llu, the entry %llu",
                (unsigned long long)e->leaf.index, (unsigned long long)e->index);
        return SKL_OK;
    }
    if (hashes(incl, proof, &n) != 0 ||
        skl_merkle_verify_inclusion_trail(&x->log_trail, e->hash, e->index, x->size,
                                          (const uint8_t(*)[32])proof, n, x->root) != SKL_OK) {
        skl_why(e->bad, sizeof e->bad, "leaf %llu is not included under the checkpoint",
                (unsigned long long)e->index);
        return SKL_OK;
    }
    if (want_status) {
        const skl_json_value *val = st ? skl_json_get(st, "value") : NULL;
        if (st == NULL || st->type != SKL_JSON_OBJECT || st->n != 2 ||
            skl_json_string(val) == NULL || (e->status = skl_status_value(val->u.str)) < 0 ||
            hashes(skl_json_get(st, "proof"), proof, &n) != 0) {
            skl_why(e->bad, sizeof e->bad, "leaf %llu: malformed status",
                    (unsigned long long)e->index);
            return SKL_OK;
        }
        /* Proven now, judged later (check_status), so that the reason stays the first check
         * that fails. The snapshot's root is known: check_snapshot ran first. */
        uint8_t sleaf[32];
        skl_status_leaf_hash(sleaf, e->index, e->status);
        e->status_ok = e->index < x->size - 1 &&
                       skl_merkle_verify_inclusion_trail(&x->status_trail, sleaf, e->index,
                                                         x->size - 1, (const uint8_t(*)[32])proof,
                                                         n, x->status_root) == SKL_OK;
    } else if (st != NULL) {
        skl_why(e->bad, sizeof e->bad, "the snapshot has no status of its own");
    }
    return SKL_OK;
}

/* The signature and the kind rules of a credential entry (after parse_entry). */
static void
check_credential(struct verifier *x, struct entry *e)
{
    char why[200];
    if (e->bad[0] != '\0')
        return;
    if (e->leaf.is_status) {
        skl_why(e->bad, sizeof e->bad, "leaf %llu is a status snapshot, not a credential",
                (unsigned long long)e->index);
        return;
    }
    if (!e->sig_checked && skl_vc_check_signature(&e->sig, why, sizeof why) != SKL_OK) {
        skl_why(e->bad, sizeof e->bad, "credential: %s", why);
        return;
    }
    const skl_json_value *cred = skl_json_get(skl_json_get(e->v, "leaf"), "credential");
    if (skl_claim_extract(&e->claim, cred, x->rd, why, sizeof why) != SKL_OK)
        skl_why(e->bad, sizeof e->bad, "credential: %s", why);
}

/* The status of a checked credential: active, and proven against the snapshot's root. */
static void
check_status(struct entry *e)
{
    if (e->bad[0] != '\0')
        return;
    if (!e->status_ok)
        skl_why(e->bad, sizeof e->bad, "its status proof does not verify against the snapshot");
    else if (e->status != SKL_STATUS_ACTIVE)
        skl_why(e->bad, sizeof e->bad, "%s as of the checkpoint", skl_status_name(e->status));
}

/* ---- the checkpoint and the snapshot ------------------------------------------------------ */

static void
check_checkpoint(struct verifier *x, const char *note, size_t len, int64_t now)
{
    skl_note *n = NULL;
    skl_checkpoint cp;
    const skl_note_verifier *log = skl_trust_log(x->t);
    skl_note_verifier dating = skl_note_verifier_for(log, SKL_NOTE_KEY_COSIGNATURE);
    uint64_t ts = 0;
    size_t tlen;
    const char *text;
    if (skl_note_parse(&n, note, len) != SKL_OK || (text = skl_note_text(n, &tlen)) == NULL ||
        skl_checkpoint_parse(&cp, text, tlen) != SKL_OK) {
        skl_why(x->cp_bad, sizeof x->cp_bad, "the checkpoint is not a signed tlog-checkpoint");
        goto out;
    }
    skl_utf8_copy(x->basis->origin, sizeof x->basis->origin, cp.origin);
    x->basis->size = cp.size;
    if (strcmp(cp.origin, skl_trust_origin(x->t)) != 0) {
        skl_why(x->cp_bad, sizeof x->cp_bad, "the checkpoint is from log \"%.80s\", not \"%.80s\"",
                cp.origin, skl_trust_origin(x->t));
        goto out;
    }
    if (skl_note_verify(n, log, NULL) != SKL_OK) {
        skl_why(x->cp_bad, sizeof x->cp_bad, "the checkpoint is not signed by the log's key");
        goto out;
    }
    if (skl_note_verify(n, &dating, &ts) != SKL_OK) {
        skl_why(x->cp_bad, sizeof x->cp_bad, "the checkpoint has no valid dating cosignature");
        goto out;
    }
    x->basis->dated = (int64_t)ts;
    if ((int64_t)ts > now + SKL_BUNDLE_MAX_SKEW) {
        /* A log could date a checkpoint ahead to keep stale evidence "fresh" for longer. */
        char when[21];
        skl_utc_format(when, (int64_t)ts);
        skl_why(x->cp_bad, sizeof x->cp_bad,
                "the checkpoint is dated %s, in the future (the log's clock or this computer's "
                "is wrong)",
                when);
        goto out;
    }
    int64_t max_age = skl_trust_max_age(x->t);
    if (max_age > 0 && (int64_t)ts < now - max_age) {
        char when[21];
        skl_utc_format(when, (int64_t)ts);
        skl_why(x->cp_bad, sizeof x->cp_bad,
                "the checkpoint of %s is older than the policy's maximum age", when);
        goto out;
    }
    const char *names[SKL_TRUST_MAX_WITNESSES];
    size_t nw = 0;
    for (size_t i = 0; i < skl_trust_witnesses(x->t) && nw < SKL_TRUST_MAX_WITNESSES; i++)
        if (skl_note_verify(n, skl_trust_witness(x->t, i), NULL) == SKL_OK)
            names[nw++] = skl_trust_witness_name(x->t, i);
    x->basis->witnesses = nw;
    if (!skl_trust_quorum_met(x->t, names, nw)) {
        skl_why(x->cp_bad, sizeof x->cp_bad,
                "the checkpoint's witness cosignatures (%zu valid) do not meet the policy's quorum",
                nw);
        goto out;
    }
    if (cp.size < 2) {
        skl_why(x->cp_bad, sizeof x->cp_bad,
                "the checkpoint's tree is too small to hold a snapshot");
        goto out;
    }
    x->size = cp.size;
    memcpy(x->root, cp.root, 32);
out:
    skl_note_free(n);
}

static int
check_snapshot(struct verifier *x, const skl_json_value *v)
{
    struct entry e;
    memset(&e, 0, sizeof e);
    if (v == NULL) {
        skl_why(x->cp_bad, sizeof x->cp_bad, "the bundle has no status snapshot");
        return SKL_OK;
    }
    int rc = parse_entry(x, &e, v, 0);
    if (rc != SKL_OK)
        return rc;
    if (e.bad[0] == '\0' && (!e.leaf.is_status || e.index != x->size - 1))
        skl_why(e.bad, sizeof e.bad, "it is not the status snapshot ending the checkpoint");
    if (e.bad[0] != '\0')
        skl_why(x->cp_bad, sizeof x->cp_bad, "snapshot: %s", e.bad);
    memcpy(x->status_root, e.leaf.status_root, 32);
    return SKL_OK;
}

/* ---- accreditations --------------------------------------------------------------------- */

/* Is key the key of one of the policy's authority roots? Returns the root or NULL. */
static const skl_cert *
authority_of(const struct verifier *x, const uint8_t key[32])
{
    for (size_t i = 0; i < skl_trust_authorities(x->t); i++) {
        const skl_cert *root = skl_trust_authority_at(x->t, i);
        if (sodium_memcmp(skl_cert_public_key(root), key, 32) == 0)
            return root;
    }
    return NULL;
}

/* Checks an accreditation entry and, if good, adds it to x->acc. */
static int
add_accreditation(struct verifier *x, struct entry *e)
{
    char why[200];
    uint8_t *der = NULL, subject[32];
    size_t len;
    skl_cert *cert = NULL;
    const skl_cert *root = authority_of(x, e->sig.pub);
    if (root == NULL) {
        skl_why(e->bad, sizeof e->bad, "it is not signed by the policy's authority");
        return SKL_OK;
    }
    const skl_claim *c = &e->claim;
    size_t cap = strlen(c->certificate) / 4 * 3 + 3;
    if (cap > SKL_CERT_MAX_LEN + 3 || (der = malloc(cap)) == NULL)
        return cap > SKL_CERT_MAX_LEN + 3
                   ? (skl_why(e->bad, sizeof e->bad, "certificate too large"), SKL_OK)
                   : SKL_ERR_NOMEM;
    if (skl_base64_decode(der, cap, &len, c->certificate, strlen(c->certificate)) != 0 ||
        skl_cert_parse(&cert, der, len, why, sizeof why) != SKL_OK ||
        skl_cert_verify_issued(cert, root, why, sizeof why) != SKL_OK) {
        skl_why(e->bad, sizeof e->bad, "its certificate: %s", why);
        goto out;
    }
    const char *scope = skl_cert_scope(cert);
    if (skl_did_key_decode(subject, c->subject) != SKL_OK ||
        sodium_memcmp(subject, skl_cert_public_key(cert), 32) != 0 || scope == NULL ||
        strcmp(scope, c->scope) != 0) {
        skl_why(e->bad, sizeof e->bad, "its certificate is for another key or scope");
        goto out;
    }
    struct accred *a = realloc(x->acc, (x->nacc + 1) * sizeof *a);
    if (a == NULL) {
        free(der);
        skl_cert_free(cert);
        return SKL_ERR_NOMEM;
    }
    x->acc = a;
    a = &x->acc[x->nacc];
    memset(a, 0, sizeof *a);
    if (skl_scope_parse(&a->scope, scope, strlen(scope), x->rd, why, sizeof why) != SKL_OK) {
        skl_why(e->bad, sizeof e->bad, "its scope: %s", why);
        goto out;
    }
    a->e = e;
    memcpy(a->key, subject, 32);
    a->not_before = skl_cert_not_before(cert);
    a->not_after = skl_cert_not_after(cert);
    /* Revoked as of the snapshot: from the effective time of the revocation the bundle must
     * then show (apply_revocation); if it does not, from the start. */
    a->revoked = e->status == SKL_STATUS_ACTIVE ? INT64_MAX : INT64_MIN;
    skl_utf8_copy(a->name, sizeof a->name, skl_cert_name(cert));
    x->nacc++;
out:
    free(der);
    skl_cert_free(cert);
    return SKL_OK;
}

/* Applies the authority's revocations shown in the bundle to the accreditations. */
static void
apply_revocation(struct verifier *x, struct entry *e)
{
    if (authority_of(x, e->sig.pub) == NULL) {
        skl_why(e->bad, sizeof e->bad, "a revocation of an accreditation not by the authority");
        return;
    }
    int64_t effective = e->leaf.time;
    if (e->claim.effective != NULL)
        skl_utc_parse(&effective, e->claim.effective, strlen(e->claim.effective));
    for (size_t i = 0; i < x->nacc; i++)
        if (strcmp(x->acc[i].e->claim.id, e->claim.target) == 0 && e->index > x->acc[i].e->index &&
            x->acc[i].e->status != SKL_STATUS_ACTIVE)
            x->acc[i].revoked = effective; /* the snapshot confirms it was revoked */
}

/* The accreditation under which credential e was admissible, or why none was. */
static const struct accred *
find_accreditation(struct verifier *x, struct entry *e)
{
    const struct accred *best = NULL;
    char why[200] = "";
    for (size_t i = 0; i < x->nacc; i++) {
        const struct accred *a = &x->acc[i];
        if (sodium_memcmp(a->key, e->sig.pub, 32) != 0 || a->e->index >= e->index)
            continue;
        int64_t t = e->leaf.time;
        if (t < a->not_before || t > a->not_after)
            skl_why(why, sizeof why,
                    "its issuer's accreditation was not in force when it was issued");
        else if (a->revoked <= t)
            skl_why(why, sizeof why,
                    "its issuer's accreditation was revoked before it was issued%s",
                    a->revoked == INT64_MIN ? " (the bundle does not show when)" : "");
        else if (skl_scope_covers(a->scope, &e->claim, why, sizeof why) == SKL_OK)
            return a;
        best = a;
    }
    if (best == NULL)
        skl_why(e->bad, sizeof e->bad, "the bundle shows no accreditation of its issuer");
    else
        skl_why(e->bad, sizeof e->bad, "%s", why);
    return NULL;
}

/* ---- the whole bundle ----------------------------------------------------------------------- */

static void
fill_result(skl_bundle_result *r, const struct entry *e, const struct accred *a)
{
    const skl_json_value *cred = skl_json_get(skl_json_get(e->v, "leaf"), "credential");
    const char *id = skl_json_string(skl_json_get(cred, "id"));
    const char *name = skl_json_string(skl_json_get(cred, "name"));
    const skl_json_value *iss = skl_json_get(cred, "issuer");
    const char *issuer = a                      ? a->name
                         : skl_json_string(iss) ? skl_json_string(iss)
                                                : skl_json_string(skl_json_get(iss, "name"));
    skl_utf8_copy(r->id, sizeof r->id, id ? id : "");
    skl_utf8_copy(r->kind, sizeof r->kind,
                  e->claim.kind != SKL_KIND_NONE ? skl_kind_name(e->claim.kind) : "");
    skl_utf8_copy(r->title, sizeof r->title, name ? name : "");
    skl_utf8_copy(r->issuer, sizeof r->issuer, issuer ? issuer : "");
    if (e->leaf.time > 0)
        skl_utc_format(r->date, e->leaf.time);
}

/* Parses the top level; SKL_ERR_SCHEMA when it is not a bundle. */
static int
top_level(const skl_json_value *root, const skl_json_value **cp, const skl_json_value **snap,
          const skl_json_value **creds, const skl_json_value **accs,
          const skl_json_value **identity, const skl_json_value **previous, char *why,
          size_t whylen)
{
    const char *type = skl_json_string(skl_json_get(root, "type"));
    *cp = skl_json_get(root, "checkpoint");
    *snap = skl_json_get(root, "snapshot");
    *creds = skl_json_get(root, "credentials");
    *accs = skl_json_get(root, "accreditations");
    *identity = skl_json_get(root, "identity");
    *previous = skl_json_get(root, "previous");
    if (root->type != SKL_JSON_OBJECT || type == NULL || strcmp(type, SKL_BUNDLE_TYPE) != 0) {
        skl_why(why, whylen, "not an skl bundle (type \"" SKL_BUNDLE_TYPE "\")");
        return SKL_ERR_SCHEMA;
    }
    if (root->n != 5u + (*identity != NULL) + (*previous != NULL) || skl_json_string(*cp) == NULL ||
        *snap == NULL || *creds == NULL || (*creds)->type != SKL_JSON_ARRAY || *accs == NULL ||
        (*accs)->type != SKL_JSON_ARRAY) {
        skl_why(why, whylen,
                "a bundle has type, checkpoint, snapshot, credentials, accreditations "
                "and optionally identity and previous, nothing else");
        return SKL_ERR_SCHEMA;
    }
    if ((*creds)->n == 0 || (*creds)->n > SKL_BUNDLE_MAX_CREDENTIALS ||
        (*accs)->n > SKL_BUNDLE_MAX_CREDENTIALS) {
        skl_why(why, whylen, "a bundle holds 1 to %d credentials and at most %d accreditations",
                SKL_BUNDLE_MAX_CREDENTIALS, SKL_BUNDLE_MAX_CREDENTIALS);
        return SKL_ERR_LIMIT;
    }
    if (*identity != NULL) {
        const skl_json_value *v = *identity;
        const skl_json_value *name = skl_json_get(v, "name");
        if (v->type != SKL_JSON_OBJECT || v->n != 2u + (name != NULL) ||
            !skl_json_string(skl_json_get(v, "idType")) ||
            !skl_json_string(skl_json_get(v, "idNumber")) ||
            (name != NULL && !skl_json_string(name))) {
            skl_why(why, whylen, "identity is {idType, idNumber[, name]}");
            return SKL_ERR_SCHEMA;
        }
    }
    if (*previous != NULL && ((*previous)->type != SKL_JSON_OBJECT || (*previous)->n != 2 ||
                              !skl_json_string(skl_json_get(*previous, "checkpoint")) ||
                              skl_json_get(*previous, "consistency") == NULL)) {
        skl_why(why, whylen, "previous is {checkpoint, consistency}");
        return SKL_ERR_SCHEMA;
    }
    return SKL_OK;
}

/* A refreshed bundle's "previous": a checkpoint of the same log, signed by its key, that the
 * new one extends (RFC 9162 consistency). */
static void
check_previous(struct verifier *x, const skl_json_value *previous)
{
    const skl_json_value *pn = skl_json_get(previous, "checkpoint");
    skl_note *n = NULL;
    skl_checkpoint cp;
    size_t tlen, count;
    const char *text;
    uint8_t proof[MAX_PROOF][32];
    if (skl_note_parse(&n, pn->u.str, pn->n) != SKL_OK ||
        (text = skl_note_text(n, &tlen)) == NULL ||
        skl_checkpoint_parse(&cp, text, tlen) != SKL_OK ||
        strcmp(cp.origin, skl_trust_origin(x->t)) != 0 ||
        skl_note_verify(n, skl_trust_log(x->t), NULL) != SKL_OK)
        skl_why(x->cp_bad, sizeof x->cp_bad, "the previous checkpoint is not one this log signed");
    else if (hashes(skl_json_get(previous, "consistency"), proof, &count) != 0 ||
             cp.size > x->size ||
             (cp.size > 0 &&
              skl_merkle_verify_consistency(cp.size, x->size, cp.root, x->root,
                                            (const uint8_t(*)[32])proof, count) != SKL_OK))
        skl_why(x->cp_bad, sizeof x->cp_bad,
                "the checkpoint does not extend the previous one (the log forked or rolled back)");
    skl_note_free(n);
}

skl_err
skl_bundle_verify(const skl_trust *t, const char *bundle, size_t len, int64_t now,
                  skl_bundle_result **results, size_t *n, skl_bundle_basis *basis, char *why,
                  size_t whylen)
{
    struct verifier x;
    skl_bundle_basis ignored;
    skl_json_doc *doc = NULL;
    struct entry *ce = NULL, *ae = NULL;
    size_t nc = 0, na = 0;
    const skl_json_value *cp, *snap, *creds, *accs, *identity, *previous;
    *results = NULL;
    *n = 0;
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    memset(&x, 0, sizeof x);
    x.t = t;
    x.scratch = x.canon = x.bytes = (skl_buf)SKL_BUF_INIT;
    x.basis = basis != NULL ? basis : &ignored;
    memset(x.basis, 0, sizeof *x.basis);
    char jwhy[160];
    int rc = skl_json_parse_keep(&doc, bundle, len, SKL_BUNDLE_MAX, jwhy, sizeof jwhy);
    if (rc != SKL_OK) {
        skl_why(why, whylen, "not a bundle: %s", jwhy);
        return rc;
    }
    if ((rc = top_level(skl_json_root(doc), &cp, &snap, &creds, &accs, &identity, &previous, why,
                        whylen)) != SKL_OK)
        goto out;
    if ((x.rd = skl_refdata_shared()) == NULL) {
        skl_why(why, whylen, "the compiled-in reference data does not load");
        rc = SKL_ERR_STATE;
        goto out;
    }
    if (identity != NULL) {
        const skl_json_value *name = skl_json_get(identity, "name");
        x.basis->disclosed = 1;
        skl_utf8_copy(x.basis->id_type, sizeof x.basis->id_type,
                      skl_json_get(identity, "idType")->u.str);
        skl_utf8_copy(x.basis->id_number, sizeof x.basis->id_number,
                      skl_json_get(identity, "idNumber")->u.str);
        skl_utf8_copy(x.basis->name, sizeof x.basis->name, name ? name->u.str : "");
    }
    check_checkpoint(&x, cp->u.str, cp->n, now);
    if (x.cp_bad[0] == '\0' && previous != NULL)
        check_previous(&x, previous);
    if (x.cp_bad[0] == '\0' && (rc = check_snapshot(&x, snap)) != SKL_OK)
        goto out;
    x.basis->checkpoint_ok = x.cp_bad[0] == '\0';
    nc = creds->n;
    na = accs->n;
    ce = calloc(nc, sizeof *ce);
    ae = calloc(na ? na : 1, sizeof *ae);
    *results = calloc(nc, sizeof **results);
    if (ce == NULL || ae == NULL || *results == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    /* Accreditations first (in log order as given), then revocations of them. */
    for (size_t i = 0; i < na && x.cp_bad[0] == '\0'; i++) {
        struct entry *e = &ae[i];
        if ((rc = parse_entry(&x, e, &accs->u.arr[i], 1)) != SKL_OK)
            goto out;
        check_credential(&x, e);
        if (e->bad[0] == '\0' && !e->status_ok)
            skl_why(e->bad, sizeof e->bad, "its status proof does not verify against the snapshot");
        if (e->bad[0] == '\0' && e->claim.kind == SKL_KIND_ACCREDITATION &&
            (rc = add_accreditation(&x, e)) != SKL_OK)
            goto out;
    }
    for (size_t i = 0; i < na && x.cp_bad[0] == '\0'; i++)
        if (ae[i].bad[0] == '\0' && ae[i].claim.kind == SKL_KIND_REVOCATION)
            apply_revocation(&x, &ae[i]);
    /* Parse every entry, then check all signatures in one tight loop (warm caches make each
     * check as cheap as the raw primitive), then the rest. */
    for (size_t i = 0; i < nc && x.cp_bad[0] == '\0'; i++)
        if ((rc = parse_entry(&x, &ce[i], &creds->u.arr[i], 1)) != SKL_OK)
            goto out;
    for (size_t i = 0; i < nc && x.cp_bad[0] == '\0'; i++) {
        struct entry *e = &ce[i];
        if (e->bad[0] == '\0' && !e->leaf.is_status) {
            char swhy[200];
            if (skl_vc_check_signature(&e->sig, swhy, sizeof swhy) != SKL_OK)
                skl_why(e->bad, sizeof e->bad, "credential: %s", swhy);
            e->sig_checked = 1;
        }
    }
    size_t invalid = 0;
    for (size_t i = 0; i < nc; i++) {
        struct entry *e = &ce[i];
        const struct accred *a = NULL;
        if (x.cp_bad[0] != '\0') {
            e->v = &creds->u.arr[i];
            skl_why(e->bad, sizeof e->bad, "%s", x.cp_bad);
        } else {
            check_credential(&x, e);
            if (e->bad[0] == '\0')
                a = find_accreditation(&x, e);
            check_status(e);
            if (e->bad[0] == '\0' && identity != NULL &&
                (e->salt == NULL || e->claim.identity_hash == NULL ||
                 !skl_vault_check_commitment(e->claim.identity_hash,
                                             skl_json_get(identity, "idType")->u.str,
                                             skl_json_get(identity, "idNumber")->u.str, e->salt)))
                skl_why(e->bad, sizeof e->bad,
                        "the disclosed identity does not open its commitment (not this worker's)");
        }
        fill_result(&(*results)[i], e, a);
        (*results)[i].valid = e->bad[0] == '\0';
        skl_utf8_copy((*results)[i].reason, sizeof(*results)[i].reason, e->bad);
        invalid += e->bad[0] != '\0';
    }
    *n = nc;
    rc = invalid ? SKL_ERR_VERIFY : SKL_OK;
out:
    if (rc != SKL_OK && rc != SKL_ERR_VERIFY) {
        free(*results);
        *results = NULL;
        *n = 0;
    }
    for (size_t i = 0; ce && i < nc; i++)
        skl_claim_free(&ce[i].claim);
    for (size_t i = 0; ae && i < na; i++)
        skl_claim_free(&ae[i].claim);
    for (size_t i = 0; i < x.nacc; i++)
        skl_scope_free(x.acc[i].scope);
    free(x.acc);
    free(ce);
    free(ae);
    skl_buf_free(&x.scratch);
    skl_buf_free(&x.canon);
    skl_buf_free(&x.bytes);
    skl_json_free(doc);
    return rc;
}
