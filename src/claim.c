/*
 * claim.c - a credential's kind-specific content (credentialSubject.skl, spec/kinds.md),
 * validated against the reference data and copied out into an skl_claim.
 *
 * Every refusal names the JSON path of the field and the reason, so that an issuer can fix
 * the credential from the message alone. This file holds the entry points, the checks every
 * credential shares and the helpers; claim_kinds.c validates each kind's own members.
 */
#include "claim_parse_int.h"
#include "codec_int.h"
#include "json_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- helpers ------- */

int
skl_claim_int_fail(cx *x, const char *path, const char *fmt, ...)
{
    if (x->why != NULL && x->whylen > 0) {
        int n = snprintf(x->why, x->whylen, "%s: ", path);
        if (n >= 0 && (size_t)n < x->whylen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(x->why + n, x->whylen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return SKL_ERR_SCHEMA;
}

struct skl_claim_block {
    skl_claim_block *next;
    size_t used, cap;
    char data[];
};

#define CLAIM_BLOCK 512 /* holds every string of most claims */

int
skl_claim_int_dup_into(cx *x, char **dst, const char *s)
{
    if (s == NULL)
        return SKL_OK;
    size_t n = strlen(s) + 1;
    skl_claim_block *b = x->c->blocks;
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > CLAIM_BLOCK ? n : CLAIM_BLOCK;
        if ((b = malloc(sizeof *b + cap)) == NULL) {
            if (x->why != NULL && x->whylen > 0)
                snprintf(x->why, x->whylen, "out of memory");
            return SKL_ERR_NOMEM;
        }
        b->next = x->c->blocks;
        b->used = 0;
        b->cap = cap;
        x->c->blocks = b;
    }
    *dst = memcpy(b->data + b->used, s, n);
    b->used += n;
    return SKL_OK;
}

/*
 * The string member key of obj (path names it), into *out. Absent: *out = NULL and an error
 * if required. Present: a non-empty string of at most max bytes without U+0000.
 */
int
skl_claim_int_get_str(cx *x, const skl_json_value *obj, const char *key, const char *path,
                      int required, size_t max, const char **out)
{
    const skl_json_value *v = skl_json_get(obj, key);
    *out = NULL;
    if (v == NULL)
        return required ? skl_claim_int_fail(x, path, "missing") : SKL_OK;
    if (v->type != SKL_JSON_STRING || v->n == 0 || v->n > max || strlen(v->u.str) != v->n)
        return skl_claim_int_fail(x, path, "must be a non-empty string of at most %zu bytes", max);
    *out = v->u.str;
    return SKL_OK;
}

/* An integer member in [lo, hi]. Absent: *present = 0 (error if required). */
int
skl_claim_int_get_int(cx *x, const skl_json_value *obj, const char *key, const char *path,
                      int required, long lo, long hi, long *out, int *present)
{
    const skl_json_value *v = skl_json_get(obj, key);
    *present = v != NULL;
    if (v == NULL)
        return required ? skl_claim_int_fail(x, path, "missing") : SKL_OK;
    if (v->type != SKL_JSON_NUMBER || v->u.num != (double)(long)v->u.num || v->u.num < lo ||
        v->u.num > hi)
        return skl_claim_int_fail(x, path, "must be an integer from %ld to %ld", lo, hi);
    *out = (long)v->u.num;
    return SKL_OK;
}

/* Refuses a member of obj not in the NULL-terminated list; prefix is the object's path. */
int
skl_claim_int_only_members(cx *x, const skl_json_value *obj, const char *prefix,
                           const char *const *names)
{
    for (uint32_t i = 0; i < obj->n; i++) {
        const char *k = obj->u.obj[i].key;
        const char *const *p = names;
        while (*p != NULL && ((*p)[0] != k[0] || !skl_json_key_is(&obj->u.obj[i], *p)))
            p++;
        if (*p == NULL) {
            char path[128];
            snprintf(path, sizeof path, "%s%.40s", prefix, k);
            return skl_claim_int_fail(x, path, "unknown member");
        }
    }
    return SKL_OK;
}

static int
is_date(const char *s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int
skl_claim_int_get_date(cx *x, const skl_json_value *obj, const char *key, const char *path,
                       int required, const char **out)
{
    int rc = skl_claim_int_get_str(x, obj, key, path, required, 10, out);
    if (rc == SKL_OK && *out != NULL && !is_date(*out))
        return skl_claim_int_fail(x, path, "\"%s\" is not a calendar date YYYY-MM-DD", *out);
    return rc;
}

/* 1 if a JSON "type" value is t or an array of strings holding t. */
static int
has_type(const skl_json_value *v, const char *t)
{
    if (v == NULL)
        return 0;
    if (v->type == SKL_JSON_STRING)
        return strcmp(v->u.str, t) == 0;
    if (v->type != SKL_JSON_ARRAY)
        return 0;
    int found = 0;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->u.arr[i].type != SKL_JSON_STRING)
            return 0;
        found |= strcmp(v->u.arr[i].u.str, t) == 0;
    }
    return found;
}

/* urn:uuid: and a lower-case RFC 4122 UUID. */
int
skl_claim_int_is_urn_uuid(const char *s)
{
    if (strncmp(s, "urn:uuid:", 9) != 0 || strlen(s) != 45)
        return 0;
    s += 9;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !skl_hex_is_lower(s + i, 1))
            return 0;
    }
    return 1;
}

int
skl_claim_int_is_did_key(const char *s)
{
    return strncmp(s, "did:key:z", 9) == 0 && strlen(s) > 9;
}

/* ------------------------------------------------------------- shared checks - */

int
skl_uscc_valid(const char *s)
{
    static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (s == NULL || strlen(s) != 18)
        return 0;
    int sum = 0;
    for (int i = 0; i < 18; i++) {
        const char *p = s[i] ? strchr(cs, s[i]) : NULL;
        if (p == NULL)
            return 0;
        if (i < 17)
            sum += (int)(p - cs) * w[i];
    }
    return s[17] == cs[(31 - sum % 31) % 31];
}

int
skl_occupation_code_valid(const char *s)
{
    static const char pat[] = "9-99-99-99";
    if (s == NULL || strlen(s) != sizeof pat - 1)
        return 0;
    for (size_t i = 0; i < sizeof pat - 1; i++)
        if (pat[i] == '-' ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static const char *const kind_names[] = {"none",   "training", "certification", "competition",
                                         "honour", "credit",   "revocation",    "accreditation"};

const char *
skl_kind_name(skl_kind k)
{
    if ((unsigned)k >= sizeof kind_names / sizeof kind_names[0])
        return "none";
    return kind_names[k];
}

skl_kind
skl_kind_from_name(const char *name)
{
    for (size_t i = 1; name != NULL && i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (strcmp(kind_names[i], name) == 0)
            return (skl_kind)i;
    return SKL_KIND_NONE;
}

/* ------------------------------------------------------------- the subject --- */

/* credentialSubject.identifier: exactly one hashed IdentityObject, no salt. */
static int
identifier(cx *x, const skl_json_value *cs)
{
    static const char *const m[] = {"type", "identityHash", "identityType", "hashed", "salt", NULL};
    const skl_json_value *a = skl_json_get(cs, "identifier");
    const char *h, *t;
    int rc;
    if (a == NULL)
        return skl_claim_int_fail(x, "credentialSubject.identifier",
                                  "missing (a worker credential names "
                                  "its holder by commitment)");
    if (a->type != SKL_JSON_ARRAY || a->n != 1 || a->u.arr[0].type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(x, "credentialSubject.identifier",
                                  "must hold exactly one IdentityObject");
    const skl_json_value *o = &a->u.arr[0], *hashed = skl_json_get(o, "hashed");
    if ((rc = skl_claim_int_only_members(x, o, "credentialSubject.identifier[0].", m)) != SKL_OK)
        return rc;
    if (skl_json_get(o, "salt") != NULL)
        return skl_claim_int_fail(x, "credentialSubject.identifier[0].salt",
                                  "no salt is published (spec/workers.md)");
    if (!has_type(skl_json_get(o, "type"), "IdentityObject"))
        return skl_claim_int_fail(x, "credentialSubject.identifier[0].type",
                                  "must be IdentityObject");
    if ((rc = skl_claim_int_get_str(x, o, "identityHash",
                                    "credentialSubject.identifier[0].identityHash", 1, 128, &h)) ||
        (rc = skl_claim_int_get_str(x, o, "identityType",
                                    "credentialSubject.identifier[0].identityType", 1, 64, &t)))
        return rc;
    if (strlen(h) != 71 || strncmp(h, "sha256$", 7) != 0 || !skl_hex_is_lower(h + 7, 64))
        return skl_claim_int_fail(x, "credentialSubject.identifier[0].identityHash",
                                  "must be sha256$ and 64 lower-case hex digits");
    if (hashed == NULL || hashed->type != SKL_JSON_TRUE)
        return skl_claim_int_fail(x, "credentialSubject.identifier[0].hashed", "must be true");
    return skl_claim_int_dup_into(x, &x->c->identity_hash, h);
}

static const char *
achievement_type_of(skl_kind k)
{
    switch (k) {
    case SKL_KIND_TRAINING: return "Course";
    case SKL_KIND_CERTIFICATION: return "Certificate";
    case SKL_KIND_COMPETITION:
    case SKL_KIND_HONOUR: return "Award";
    case SKL_KIND_ACCREDITATION: return "License";
    default: return "Achievement";
    }
}

static int
achievement(cx *x, const skl_json_value *cs, skl_kind k)
{
    const skl_json_value *a = skl_json_get(cs, "achievement");
    const char *s, *at;
    int rc;
    if (a == NULL || a->type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(x, "credentialSubject.achievement",
                                  "must be an Achievement object");
    if (!has_type(skl_json_get(a, "type"), "Achievement"))
        return skl_claim_int_fail(x, "credentialSubject.achievement.type",
                                  "must include Achievement");
    if ((rc = skl_claim_int_get_str(x, a, "id", "credentialSubject.achievement.id", 1, STR_MAX,
                                    &s)) ||
        (rc = skl_claim_int_get_str(x, a, "name", "credentialSubject.achievement.name", 1, STR_MAX,
                                    &s)) ||
        (rc = skl_claim_int_get_str(x, a, "achievementType",
                                    "credentialSubject.achievement.achievementType", 1, 64, &at)))
        return rc;
    if (strcmp(at, achievement_type_of(k)) != 0)
        return skl_claim_int_fail(x, "credentialSubject.achievement.achievementType",
                                  "a %s credential has achievementType %s, not %s",
                                  skl_kind_name(k), achievement_type_of(k), at);
    return SKL_OK;
}

/* ------------------------------------------------------------- public -------- */

int
skl_claim_extract(skl_claim *out, const skl_json_value *cred, const skl_refdata *rd, char *why,
                  size_t whylen)
{
    static const char *const csm[] = {"type", "id", "identifier", "achievement", "skl", NULL};
    cx x = {rd, out, why, whylen};
    const char *id, *iss, *kind, *sid;
    int rc;
    memset(out, 0, sizeof *out);
    out->level_rank = -1;
    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (cred == NULL || cred->type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(&x, "$", "a credential is a JSON object");
    if ((rc = skl_claim_int_get_str(&x, cred, "id", "id", 1, STR_MAX, &id)) != SKL_OK)
        goto out;
    if (!skl_claim_int_is_urn_uuid(id)) {
        rc = skl_claim_int_fail(&x, "id", "\"%.64s\" is not urn:uuid: and a lower-case UUID", id);
        goto out;
    }
    if ((rc = skl_claim_int_dup_into(&x, &out->id, id)) != SKL_OK)
        goto out;
    const skl_json_value *is = skl_json_get(cred, "issuer");
    if (is != NULL && is->type == SKL_JSON_OBJECT)
        rc = skl_claim_int_get_str(&x, is, "id", "issuer.id", 1, STR_MAX, &iss);
    else
        rc = skl_claim_int_get_str(&x, cred, "issuer", "issuer", 1, STR_MAX, &iss);
    if (rc != SKL_OK)
        goto out;
    if (!skl_claim_int_is_did_key(iss)) {
        rc = skl_claim_int_fail(&x, "issuer", "must be a did:key");
        goto out;
    }
    if ((rc = skl_claim_int_dup_into(&x, &out->issuer, iss)) != SKL_OK)
        goto out;

    const skl_json_value *cs = skl_json_get(cred, "credentialSubject");
    if (cs == NULL || cs->type != SKL_JSON_OBJECT) {
        rc = skl_claim_int_fail(&x, "credentialSubject", "must be an object");
        goto out;
    }
    if ((rc = skl_claim_int_only_members(&x, cs, "credentialSubject.", csm)) != SKL_OK)
        goto out;
    if (!has_type(skl_json_get(cs, "type"), "AchievementSubject")) {
        rc = skl_claim_int_fail(&x, "credentialSubject.type", "must include AchievementSubject");
        goto out;
    }
    const skl_json_value *skl = skl_json_get(cs, "skl");
    if (skl == NULL || skl->type != SKL_JSON_OBJECT) {
        rc = skl_claim_int_fail(&x, "credentialSubject.skl", "must be an object (spec/kinds.md)");
        goto out;
    }
    if ((rc = skl_claim_int_get_str(&x, skl, "kind", SKL "kind", 1, 32, &kind)) != SKL_OK)
        goto out;
    skl_kind k = skl_kind_from_name(kind);
    if (k == SKL_KIND_NONE) {
        rc = skl_claim_int_fail(&x, SKL "kind", "\"%s\" is not a kind of spec/kinds.md", kind);
        goto out;
    }
    out->kind = k;
    if ((rc = achievement(&x, cs, k)) != SKL_OK)
        goto out;
    if ((rc = skl_claim_int_get_str(&x, cs, "id", "credentialSubject.id", 0, STR_MAX, &sid)) !=
        SKL_OK)
        goto out;

    if (k == SKL_KIND_REVOCATION || k == SKL_KIND_ACCREDITATION) {
        if (sid == NULL) {
            rc = skl_claim_int_fail(&x, "credentialSubject.id", "missing (the %s's subject)", kind);
            goto out;
        }
        if (skl_json_get(cs, "identifier") != NULL) {
            rc = skl_claim_int_fail(&x, "credentialSubject.identifier", "a %s names no worker",
                                    kind);
            goto out;
        }
        rc = k == SKL_KIND_REVOCATION ? skl_claim_int_revocation(&x, skl, sid)
                                      : skl_claim_int_accreditation(&x, skl, sid);
        goto out;
    }
    if (sid != NULL) {
        rc = skl_claim_int_fail(&x, "credentialSubject.id",
                                "a worker credential names its holder only by "
                                "identifier");
        goto out;
    }
    if ((rc = identifier(&x, cs)) != SKL_OK)
        goto out;
    switch (k) {
    case SKL_KIND_TRAINING: rc = skl_claim_int_training(&x, skl); break;
    case SKL_KIND_CERTIFICATION: rc = skl_claim_int_certification(&x, skl); break;
    case SKL_KIND_COMPETITION: rc = skl_claim_int_competition(&x, skl); break;
    case SKL_KIND_CREDIT: rc = skl_claim_int_credit(&x, skl); break;
    default: rc = skl_claim_int_honour(&x, skl); break;
    }
    if (rc == SKL_OK && k != SKL_KIND_CREDIT)
        rc = skl_claim_int_corrects(&x, skl);
out:
    if (rc != SKL_OK)
        skl_claim_free(out);
    return rc;
}

void
skl_claim_free(skl_claim *c)
{
    if (c == NULL)
        return;
    skl_claim_block *b = c->blocks;
    while (b != NULL) {
        skl_claim_block *next = b->next;
        free(b);
        b = next;
    }
    memset(c, 0, sizeof *c);
}
