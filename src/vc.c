/*
 * vc.c - W3C VC 2.0 Data Integrity proofs with cryptosuite eddsa-jcs-2022.
 *
 * What is signed (W3C vc-di-eddsa, "eddsa-jcs-2022"):
 *     SHA-256(JCS(proof config)) || SHA-256(JCS(credential without "proof"))
 * where the proof config is the proof without proofValue, with "@context" set to the
 * credential's (or, when verifying a proof that has its own "@context", to that one, which
 * then also replaces the credential's "@context" in the second hash).
 *
 * The hot path neither builds nor copies a DOM: the credential is canonicalized member by
 * member straight into a reused scratch buffer, the proof's canonical text is written
 * directly (its keys are fixed ASCII, written in sorted order), and the signed credential
 * is the canonical credential with "proof" spliced in at its sorted position.
 * spec/credential-proof.md is the byte-level profile.
 */
#include "utc_int.h"
#include "vc_int.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json_int.h"
#include "sha256_int.h"

#define PROOF_TYPE "DataIntegrityProof"
#define PROOF_PURPOSE "assertionMethod"
#define VC_TYPE "VerifiableCredential"
#define LIT(s) s, sizeof(s) - 1

/* ------------------------------------------------------------------------------------- */
/* Small helpers                                                                           */

static skl_err fail(char *why, size_t whylen, skl_err e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static skl_err
fail(char *why, size_t whylen, skl_err e, const char *fmt, ...)
{
    if (why != NULL && whylen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return e;
}

/* A short, printable, one-line rendering of untrusted text for messages. */
static const char *
shown(char out[64], const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o >= 40) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else {
            out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
    }
    out[o] = '\0';
    return out;
}

static int
is_str(const skl_json_value *v, const char *lit, size_t n)
{
    return v != NULL && v->type == SKL_JSON_STRING && v->n == n && memcmp(v->u.str, lit, n) == 0;
}

static const char *
type_name(const skl_json_value *v)
{
    switch (v->type) {
    case SKL_JSON_NULL: return "null";
    case SKL_JSON_FALSE:
    case SKL_JSON_TRUE: return "a boolean";
    case SKL_JSON_NUMBER: return "a number";
    case SKL_JSON_STRING: return "a string";
    case SKL_JSON_ARRAY: return "an array";
    case SKL_JSON_OBJECT: return "an object";
    }
    return "unknown";
}

/* A non-empty string without U+0000 (C code downstream reads it NUL-terminated) that
 * starts with an RFC 3986 scheme and ':'. */
static int
is_url(const skl_json_value *v)
{
    if (v->type != SKL_JSON_STRING || v->n < 2 || memchr(v->u.str, 0, v->n) != NULL)
        return 0;
    const char *s = v->u.str;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (uint32_t i = 1; i < v->n; i++) {
        char c = s[i];
        if (c == ':')
            return 1;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '-' || c == '.'))
            return 0;
    }
    return 0;
}

/* Structural equality of parsed JSON values (object members are in canonical order). */
static int
json_equal(const skl_json_value *a, const skl_json_value *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case SKL_JSON_NULL:
    case SKL_JSON_FALSE:
    case SKL_JSON_TRUE: return 1;
    case SKL_JSON_NUMBER: return a->u.num == b->u.num;
    case SKL_JSON_STRING: return a->n == b->n && memcmp(a->u.str, b->u.str, a->n) == 0;
    case SKL_JSON_ARRAY:
        if (a->n != b->n)
            return 0;
        for (uint32_t i = 0; i < a->n; i++)
            if (!json_equal(&a->u.arr[i], &b->u.arr[i]))
                return 0;
        return 1;
    case SKL_JSON_OBJECT:
        if (a->n != b->n)
            return 0;
        for (uint32_t i = 0; i < a->n; i++) {
            const skl_json_member *x = &a->u.obj[i], *y = &b->u.obj[i];
            if (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len) != 0 ||
                !json_equal(&x->value, &y->value))
                return 0;
        }
        return 1;
    }
    return 0;
}

/* The form skl itself writes: exactly YYYY-MM-DDThh:mm:ssZ. */
static int
is_utc_seconds(const char *s, size_t n)
{
    int64_t t;
    return skl_utc_parse(&t, s, n) == 0;
}

/* ------------------------------------------------------------------------------------- */
/* Shape of a VC 2.0 credential                                                            */

static skl_err
check_shape(const skl_json_value *root, char *why, size_t whylen)
{
    const skl_err E = SKL_ERR_SCHEMA;
    if (root == NULL || root->type != SKL_JSON_OBJECT)
        return fail(why, whylen, E, "credential is not a JSON object");

    const skl_json_value *ctx = skl_json_get(root, "@context");
    if (ctx == NULL)
        return fail(why, whylen, E, "credential has no \"@context\"");
    if (ctx->type != SKL_JSON_ARRAY || ctx->n == 0)
        return fail(why, whylen, E, "\"@context\" is %s, expected a non-empty array",
                    type_name(ctx));
    if (!is_str(&ctx->u.arr[0], LIT(SKL_VC_CONTEXT_V2)))
        return fail(why, whylen, E, "\"@context\" does not start with \"%s\"", SKL_VC_CONTEXT_V2);

    const skl_json_value *type = skl_json_get(root, "type");
    int is_vc = 0;
    if (type == NULL)
        return fail(why, whylen, E, "credential has no \"type\"");
    if (type->type == SKL_JSON_STRING) {
        is_vc = is_str(type, LIT(VC_TYPE));
    } else if (type->type == SKL_JSON_ARRAY) {
        for (uint32_t i = 0; i < type->n; i++) {
            if (type->u.arr[i].type != SKL_JSON_STRING)
                return fail(why, whylen, E, "\"type\"[%u] is %s, expected a string", (unsigned)i,
                            type_name(&type->u.arr[i]));
            is_vc |= is_str(&type->u.arr[i], LIT(VC_TYPE));
        }
    } else {
        return fail(why, whylen, E, "\"type\" is %s, expected a string or an array",
                    type_name(type));
    }
    if (!is_vc)
        return fail(why, whylen, E, "\"type\" does not include \"" VC_TYPE "\"");

    const skl_json_value *issuer = skl_json_get(root, "issuer");
    if (issuer == NULL)
        return fail(why, whylen, E, "credential has no \"issuer\"");
    if (issuer->type == SKL_JSON_OBJECT) {
        const skl_json_value *iid = skl_json_get(issuer, "id");
        if (iid == NULL || !is_url(iid))
            return fail(why, whylen, E, "\"issuer\".\"id\" is missing or not a URL");
    } else if (!is_url(issuer)) {
        return fail(why, whylen, E, "\"issuer\" is neither a URL nor an object with an \"id\"");
    }

    const skl_json_value *subj = skl_json_get(root, "credentialSubject");
    int subj_ok = 0;
    if (subj == NULL)
        return fail(why, whylen, E, "credential has no \"credentialSubject\"");
    if (subj->type == SKL_JSON_OBJECT) {
        subj_ok = 1;
    } else if (subj->type == SKL_JSON_ARRAY && subj->n > 0) {
        subj_ok = 1;
        for (uint32_t i = 0; i < subj->n; i++)
            subj_ok &= subj->u.arr[i].type == SKL_JSON_OBJECT;
    }
    if (!subj_ok)
        return fail(why, whylen, E,
                    "\"credentialSubject\" is not an object or a non-empty array of objects");

    const skl_json_value *id = skl_json_get(root, "id");
    if (id != NULL && !is_url(id))
        return fail(why, whylen, E, "\"id\" is not a URL");
    return SKL_OK;
}

/* ------------------------------------------------------------------------------------- */
/* Canonical writers                                                                       */

/*
 * Appends the canonical form of object root without its "proof" member; the value of
 * "@context" is replaced by ctx when ctx is not NULL. *at gets the offset in b of the ','
 * or '}' before which ',"proof":{...}' belongs. (A VC 2.0 credential always has members
 * that sort before "proof": "@context", "credentialSubject" and "issuer".)
 */
static int
write_doc(skl_buf *b, const skl_json_value *root, const skl_json_value *ctx, size_t *at)
{
    size_t written = 0;
    int found = 0;
    skl_buf_putc(b, '{');
    for (uint32_t i = 0; i < root->n; i++) {
        const skl_json_member *m = &root->u.obj[i];
        if (!found) {
            int c = skl_json_key_cmp(m->key, m->key_len, LIT("proof"));
            if (c == 0)
                continue;
            if (c > 0) {
                found = 1;
                *at = b->len;
            }
        }
        if (written++ > 0)
            skl_buf_putc(b, ',');
        skl_json_write_string(b, m->key, m->key_len);
        skl_buf_putc(b, ':');
        if (ctx != NULL && skl_json_key_is(m, "@context"))
            skl_json_canon_buf(b, ctx);
        else
            skl_json_canon_buf(b, &m->value);
    }
    if (!found)
        *at = b->len;
    skl_buf_putc(b, '}');
    return skl_buf_ok(b) ? 0 : -1;
}

/*
 * Appends a proof's canonical text: the proof config when pv is NULL, else the proof
 * object with proofValue pv. Keys in RFC 8785 order: @context, created, cryptosuite,
 * proofPurpose, proofValue, type, verificationMethod.
 */
static int
write_proof(skl_buf *b, const skl_json_value *ctx, const char *created, size_t created_len,
            const char *vm, size_t vm_len, const char *pv, size_t pv_len)
{
    skl_buf_reserve(b, created_len + vm_len + pv_len + 200);
    skl_buf_putc(b, '{');
    if (ctx != NULL) {
        skl_buf_append(b, LIT("\"@context\":"));
        skl_json_canon_buf(b, ctx);
        skl_buf_putc(b, ',');
    }
    skl_buf_append(b, LIT("\"created\":"));
    skl_json_write_string(b, created, created_len);
    skl_buf_append(b, LIT(",\"cryptosuite\":\"" SKL_VC_CRYPTOSUITE "\""
                          ",\"proofPurpose\":\"" PROOF_PURPOSE "\""));
    if (pv != NULL) {
        skl_buf_append(b, LIT(",\"proofValue\":"));
        skl_json_write_string(b, pv, pv_len);
    }
    skl_buf_append(b, LIT(",\"type\":\"" PROOF_TYPE "\",\"verificationMethod\":"));
    skl_json_write_string(b, vm, vm_len);
    skl_buf_putc(b, '}');
    return skl_buf_ok(b) ? 0 : -1;
}

/* ------------------------------------------------------------------------------------- */
/* Verification                                                                            */

/* The proof's fields, checked. */
typedef struct proof_fields {
    const skl_json_value *ctx; /* proof.@context, or NULL */
    const skl_json_value *created;
    const skl_json_value *vm;
    uint8_t pub[32];
    uint8_t sig[64];
} proof_fields;

/* A member of the proof that must be a string equal to want. */
static skl_err
check_fixed(const skl_json_value *proof, const char *name, const char *want, char *why,
            size_t whylen)
{
    char tmp[64];
    const skl_json_value *v = skl_json_get(proof, name);
    if (v == NULL)
        return fail(why, whylen, SKL_ERR_SCHEMA, "proof has no \"%s\"", name);
    if (v->type != SKL_JSON_STRING)
        return fail(why, whylen, SKL_ERR_SCHEMA, "proof.%s is %s, expected \"%s\"", name,
                    type_name(v), want);
    if (!is_str(v, want, strlen(want)))
        return fail(why, whylen, SKL_ERR_SCHEMA, "proof.%s is \"%s\", expected \"%s\"", name,
                    shown(tmp, v->u.str, v->n), want);
    return SKL_OK;
}

static const skl_json_value *
get_string(const skl_json_value *proof, const char *name, skl_err *rc, char *why, size_t whylen)
{
    const skl_json_value *v = skl_json_get(proof, name);
    if (v == NULL)
        *rc = fail(why, whylen, SKL_ERR_SCHEMA, "proof has no \"%s\"", name);
    else if (v->type != SKL_JSON_STRING)
        *rc = fail(why, whylen, SKL_ERR_SCHEMA, "proof.%s is %s, expected a string", name,
                   type_name(v));
    else
        return v;
    return NULL;
}

static skl_err
check_proof(const skl_json_value *proof, proof_fields *pf, char *why, size_t whylen)
{
    static const char *const allowed[] = {"@context",          "created",    "cryptosuite",
                                          "proofPurpose",      "proofValue", "type",
                                          "verificationMethod"};
    const skl_err E = SKL_ERR_SCHEMA;
    skl_err rc = SKL_OK;
    char tmp[64];
    const char *reason = NULL;

    if ((rc = check_fixed(proof, "type", PROOF_TYPE, why, whylen)) != SKL_OK ||
        (rc = check_fixed(proof, "cryptosuite", SKL_VC_CRYPTOSUITE, why, whylen)) != SKL_OK ||
        (rc = check_fixed(proof, "proofPurpose", PROOF_PURPOSE, why, whylen)) != SKL_OK)
        return rc;

    for (uint32_t i = 0; i < proof->n; i++) {
        const skl_json_member *m = &proof->u.obj[i];
        size_t k = 0;
        while (k < sizeof allowed / sizeof allowed[0] && !skl_json_key_is(m, allowed[k]))
            k++;
        if (k == sizeof allowed / sizeof allowed[0])
            return fail(why, whylen, E, "proof has member \"%s\", which skl does not accept",
                        shown(tmp, m->key, m->key_len));
    }

    pf->created = get_string(proof, "created", &rc, why, whylen);
    if (pf->created == NULL)
        return rc;
    if (!skl_utc_is_datetime_stamp(pf->created->u.str, pf->created->n))
        return fail(why, whylen, E, "proof.created \"%s\" is not an XML Schema dateTimeStamp",
                    shown(tmp, pf->created->u.str, pf->created->n));

    pf->vm = get_string(proof, "verificationMethod", &rc, why, whylen);
    if (pf->vm == NULL)
        return rc;
    if (skl_did_key_parse(pf->pub, pf->vm->u.str, pf->vm->n, 1, &reason) != SKL_OK)
        return fail(why, whylen, E,
                    "proof.verificationMethod \"%s\" is not an Ed25519 did:key "
                    "URL: %s",
                    shown(tmp, pf->vm->u.str, pf->vm->n), reason);

    const skl_json_value *pv = get_string(proof, "proofValue", &rc, why, whylen);
    uint8_t raw[128];
    size_t rawlen = 0;
    if (pv == NULL)
        return rc;
    if (pv->n < 1 || pv->u.str[0] != 'z')
        return fail(why, whylen, E, "proof.proofValue does not start with 'z' (base58btc)");
    if (skl_multibase_decode(raw, sizeof raw, &rawlen, pv->u.str, pv->n) != 0)
        return fail(why, whylen, E, "proof.proofValue is not base58btc");
    if (rawlen != 64)
        return fail(why, whylen, E, "proof.proofValue decodes to %zu bytes, expected 64", rawlen);
    memcpy(pf->sig, raw, 64);

    pf->ctx = skl_json_get(proof, "@context");
    if (pf->ctx != NULL && (pf->ctx->type != SKL_JSON_ARRAY || pf->ctx->n == 0))
        return fail(why, whylen, E, "proof.@context is %s, expected a non-empty array",
                    pf->ctx->type == SKL_JSON_ARRAY ? "empty" : type_name(pf->ctx));
    return SKL_OK;
}

/*
 * Every check but the signature. Leaves in s: the canonical credential without proof
 * (as hashed) at [0, *doc_len), the canonical proof at [*doc_len, *config), and the
 * canonical proof config at [*config, s->len).
 */
static skl_err
prepare(const skl_json_value *root, skl_buf *s, proof_fields *pf, size_t *doc_len, size_t *at,
        size_t *config, char *why, size_t whylen)
{
    skl_err rc = check_shape(root, why, whylen);
    if (rc != SKL_OK)
        return rc;

    const skl_json_value *proof = skl_json_get(root, "proof");
    if (proof == NULL)
        return fail(why, whylen, SKL_ERR_SCHEMA, "credential has no proof");
    if (proof->type == SKL_JSON_ARRAY)
        return fail(why, whylen, SKL_ERR_SCHEMA,
                    "proof is an array: proof sets and chains are not accepted");
    if (proof->type != SKL_JSON_OBJECT)
        return fail(why, whylen, SKL_ERR_SCHEMA, "proof is %s, expected an object",
                    type_name(proof));
    if ((rc = check_proof(proof, pf, why, whylen)) != SKL_OK)
        return rc;

    /* The credential as hashed: "@context" is the proof's when it has one. */
    const skl_json_value *doc_ctx = skl_json_get(root, "@context");
    skl_buf_reset(s);
    if (write_doc(s, root, pf->ctx, at) != 0)
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    *doc_len = s->len;

    /* W3C lets the document's @context merely start with the proof's, but then values
     * appended after signing would go unsigned; skl requires the two to be equal. */
    if (pf->ctx != NULL) {
        int same = pf->ctx->n == doc_ctx->n;
        for (uint32_t i = 0; same && i < pf->ctx->n; i++)
            same = json_equal(&pf->ctx->u.arr[i], &doc_ctx->u.arr[i]);
        if (!same)
            return fail(why, whylen, SKL_ERR_VERIFY,
                        "the credential's @context differs from proof.@context");
    }

    /* Size of the canonical signed credential = that text (whose "@context" is the
     * credential's own, the two being equal), plus ',"proof":' and the canonical proof. */
    skl_json_canon_buf(s, proof);
    if (!skl_buf_ok(s))
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    *config = s->len;
    size_t total = *config + 9;
    if (total > SKL_VC_MAX_LEN)
        return fail(why, whylen, SKL_ERR_LIMIT,
                    "credential is %zu bytes in canonical form, over the limit of %d", total,
                    SKL_VC_MAX_LEN);

    if (write_proof(s, pf->ctx ? pf->ctx : doc_ctx, pf->created->u.str, pf->created->n,
                    pf->vm->u.str, pf->vm->n, NULL, 0) != 0)
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    return SKL_OK;
}

skl_err
skl_vc_prepare_value(const skl_json_value *root, skl_vc_info *info, skl_vc_sigcheck *sc,
                     skl_buf *scratch, skl_buf *canon, char *why, size_t whylen)
{
    proof_fields pf;
    size_t doc_len = 0, at = 0, config = 0;

    if (root == NULL || scratch == NULL || sc == NULL)
        return fail(why, whylen, SKL_ERR_INVAL, "no credential or scratch buffer");
    skl_err rc = prepare(root, scratch, &pf, &doc_len, &at, &config, why, whylen);
    if (rc != SKL_OK)
        return rc;
    skl_sha256(sc->hash, scratch->data + config, scratch->len - config);
    skl_sha256(sc->hash + 32, scratch->data, doc_len);
    memcpy(sc->sig, pf.sig, 64);
    memcpy(sc->pub, pf.pub, 32);
    if (canon != NULL) {
        /* The credential as hashed is its own canonical form (the proof's @context equals
         * the credential's); splice the proof back in where it sorts. */
        skl_buf_reset(canon);
        skl_buf_reserve(canon, config + 16);
        skl_buf_append(canon, scratch->data, at);
        skl_buf_append(canon, LIT(",\"proof\":"));
        skl_buf_append(canon, scratch->data + doc_len, config - doc_len);
        skl_buf_append(canon, scratch->data + at, doc_len - at);
        if (!skl_buf_ok(canon))
            return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    }

    if (info != NULL) {
        const skl_json_value *id = skl_json_get(root, "id");
        const skl_json_value *issuer = skl_json_get(root, "issuer");
        if (issuer->type == SKL_JSON_OBJECT)
            issuer = skl_json_get(issuer, "id");
        info->id = id ? id->u.str : NULL;
        info->issuer = issuer->u.str;
        info->verification_method = pf.vm->u.str;
        info->created = pf.created->u.str;
        memcpy(info->public_key, pf.pub, 32);
    }
    return SKL_OK;
}

skl_err
skl_vc_check_signature(const skl_vc_sigcheck *sc, char *why, size_t whylen)
{
    if (crypto_sign_verify_detached(sc->sig, sc->hash, sizeof sc->hash, sc->pub) != 0)
        return fail(why, whylen, SKL_ERR_VERIFY, "signature does not verify");
    return SKL_OK;
}

skl_err
skl_vc_verify_value(const skl_json_value *root, skl_vc_info *info, skl_buf *scratch, skl_buf *canon,
                    char *why, size_t whylen)
{
    skl_vc_sigcheck sc;
    skl_err rc = skl_vc_prepare_value(root, info, &sc, scratch, canon, why, whylen);
    return rc != SKL_OK ? rc : skl_vc_check_signature(&sc, why, whylen);
}

skl_err
skl_vc_proof_inputs(skl_buf *doc, skl_buf *config, const skl_json_value *root, char *why,
                    size_t whylen)
{
    proof_fields pf;
    size_t doc_len = 0, at = 0, cfg = 0;

    if (doc == NULL || config == NULL || root == NULL || doc == config)
        return fail(why, whylen, SKL_ERR_INVAL, "bad arguments");
    skl_err rc = prepare(root, doc, &pf, &doc_len, &at, &cfg, why, whylen);
    if (rc != SKL_OK)
        return rc;
    skl_buf_reset(config);
    if (skl_buf_append(config, doc->data + cfg, doc->len - cfg) != 0)
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    doc->len = doc_len;
    doc->data[doc_len] = '\0';
    return SKL_OK;
}

skl_err
skl_vc_verify(const char *json, size_t len, skl_vc_info *info, char *why, size_t whylen)
{
    skl_json_doc *doc = NULL;
    skl_buf scratch = SKL_BUF_INIT;
    skl_vc_info full;
    skl_err rc;

    if (info != NULL)
        memset(info, 0, sizeof *info);
    if (json == NULL)
        return fail(why, whylen, SKL_ERR_INVAL, "no credential");
    rc = skl_json_parse_keep(&doc, json, len, SKL_VC_MAX_TEXT, why, whylen);
    if (rc != SKL_OK)
        goto out;
    rc = skl_vc_verify_value(skl_json_root(doc), &full, &scratch, NULL, why, whylen);
    if (rc == SKL_OK && info != NULL)
        memcpy(info->public_key, full.public_key, 32);
out:
    skl_buf_free(&scratch);
    skl_json_free(doc);
    return rc;
}

/* ------------------------------------------------------------------------------------- */
/* Signing                                                                                 */

skl_err
skl_vc_sign_value(skl_buf *out, const skl_json_value *root, const uint8_t sk[64],
                  const char *vm_given, const char *created, skl_buf *scratch, char *why,
                  size_t whylen)
{
    char now[21], tmp[64];
    char vm_made[SKL_DID_KEY_VM_LEN + 1];
    const char *vm = vm_given;
    uint8_t hash[64], sig[64];
    size_t at;

    if (out == NULL || root == NULL || sk == NULL || scratch == NULL || out == scratch)
        return fail(why, whylen, SKL_ERR_INVAL, "bad arguments");
    skl_err rc = check_shape(root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if (skl_json_get(root, "proof") != NULL)
        return fail(why, whylen, SKL_ERR_SCHEMA, "credential already has a proof");
    size_t created_len;
    if (created == NULL) {
        skl_utc_format(now, (int64_t)time(NULL));
        created = now;
        created_len = 20;
    } else {
        created_len = strnlen(created, 41);
        if (!is_utc_seconds(created, created_len))
            return fail(why, whylen, SKL_ERR_INVAL, "created \"%s\" is not YYYY-MM-DDThh:mm:ssZ",
                        shown(tmp, created, created_len));
    }

    if (vm == NULL) { /* did:key:<mk>#<mk> of the public half of sk */
        memcpy(vm_made, "did:key:", 8);
        skl_multikey_write(vm_made + 8, sk + 32);
        vm_made[SKL_DID_KEY_LEN] = '#';
        memcpy(vm_made + SKL_DID_KEY_LEN + 1, vm_made + 8, SKL_MULTIKEY_LEN + 1);
        vm = vm_made;
    }

    const skl_json_value *ctx = skl_json_get(root, "@context");
    skl_buf_reset(scratch);
    if (write_doc(scratch, root, NULL, &at) != 0)
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    size_t doc_len = scratch->len;
    if (doc_len > SKL_VC_MAX_LEN)
        return fail(why, whylen, SKL_ERR_LIMIT,
                    "credential is %zu bytes in canonical form, over the limit of %d", doc_len,
                    SKL_VC_MAX_LEN);
    if (write_proof(scratch, ctx, created, created_len, vm, SKL_DID_KEY_VM_LEN, NULL, 0) != 0)
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
    skl_sha256(hash, scratch->data + doc_len, scratch->len - doc_len);
    skl_sha256(hash + 32, scratch->data, doc_len);
    if (crypto_sign_detached(sig, NULL, hash, sizeof hash, sk) != 0)
        return fail(why, whylen, SKL_ERR_CRYPTO, "crypto_sign_detached failed");

    size_t pv_off = scratch->len;
    if (skl_multibase_append(scratch, sig, sizeof sig) != 0)
        return fail(why, whylen, SKL_ERR_NOMEM, "out of memory");

    /* The signed credential: the canonical credential with "proof" spliced in. */
    size_t base = out->len;
    skl_buf_reserve(out, scratch->len + 64);
    skl_buf_append(out, scratch->data, at);
    skl_buf_append(out, LIT(",\"proof\":"));
    write_proof(out, ctx, created, created_len, vm, SKL_DID_KEY_VM_LEN, scratch->data + pv_off,
                scratch->len - pv_off);
    skl_buf_append(out, scratch->data + at, doc_len - at);
    if (!skl_buf_ok(out)) {
        rc = fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
        goto undo;
    }
    if (out->len - base > SKL_VC_MAX_LEN) {
        rc = fail(why, whylen, SKL_ERR_LIMIT,
                  "signed credential is %zu bytes in canonical form, over the limit of %d",
                  out->len - base, SKL_VC_MAX_LEN);
        goto undo;
    }
    return SKL_OK;
undo:
    out->len = base;
    out->oom = 0;
    if (out->data != NULL)
        out->data[base] = '\0';
    return rc;
}

skl_err
skl_vc_sign(char **out, size_t *outlen, const char *json, size_t len, const skl_key *key,
            const char *created, char *why, size_t whylen)
{
    skl_json_doc *doc = NULL;
    skl_buf res = SKL_BUF_INIT, scratch = SKL_BUF_INIT;
    skl_err rc;

    if (out != NULL)
        *out = NULL;
    if (out == NULL || outlen == NULL || json == NULL || key == NULL)
        return fail(why, whylen, SKL_ERR_INVAL, "bad arguments");
    rc = skl_json_parse(&doc, json, len, SKL_VC_MAX_TEXT, why, whylen);
    if (rc != SKL_OK)
        goto out;
    /* One allocation each: the canonical text is about as long as the input. */
    if (skl_buf_reserve(&scratch, len + 1024) != 0 || skl_buf_reserve(&res, len + 1024) != 0) {
        rc = fail(why, whylen, SKL_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = skl_vc_sign_value(&res, skl_json_root(doc), skl_key_secret(key),
                           skl_key_verification_method(key), created, &scratch, why, whylen);
    if (rc != SKL_OK)
        goto out;
    *out = skl_buf_take(&res, outlen);
out:
    skl_buf_free(&res);
    skl_buf_free(&scratch);
    skl_json_free(doc);
    return rc;
}
