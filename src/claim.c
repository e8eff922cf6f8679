/*
 * claim.c - a credential's kind-specific content (credentialSubject.skl, spec/kinds.md),
 * validated against the reference data and copied out into an skl_claim.
 *
 * Every refusal names the JSON path of the field and the reason, so that an issuer can fix
 * the credential from the message alone.
 */
#include "claim_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_int.h"
#include "utc_int.h"

#define STR_MAX 1024   /* bytes in an id, a name, a reason ... */
#define CERT_MAX 16384 /* bytes of an X.509 certificate in DER */
#define SKL "credentialSubject.skl."

typedef struct cx {
    const skl_refdata *rd;
    skl_claim *c;
    char *why;
    size_t whylen;
} cx;

/* ------------------------------------------------------------- helpers ------- */

static int fail(cx *x, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(cx *x, const char *path, const char *fmt, ...)
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

static int
dup_into(cx *x, char **dst, const char *s)
{
    if (s == NULL)
        return SKL_OK;
    size_t n = strlen(s);
    if ((*dst = malloc(n + 1)) == NULL) {
        if (x->why != NULL && x->whylen > 0)
            snprintf(x->why, x->whylen, "out of memory");
        return SKL_ERR_NOMEM;
    }
    memcpy(*dst, s, n + 1);
    return SKL_OK;
}

/*
 * The string member key of obj (path names it), into *out. Absent: *out = NULL and an error
 * if required. Present: a non-empty string of at most max bytes without U+0000.
 */
static int
get_str(cx *x, const skl_json_value *obj, const char *key, const char *path, int required,
        size_t max, const char **out)
{
    const skl_json_value *v = skl_json_get(obj, key);
    *out = NULL;
    if (v == NULL)
        return required ? fail(x, path, "missing") : SKL_OK;
    if (v->type != SKL_JSON_STRING || v->n == 0 || v->n > max || strlen(v->u.str) != v->n)
        return fail(x, path, "must be a non-empty string of at most %zu bytes", max);
    *out = v->u.str;
    return SKL_OK;
}

/* An integer member in [lo, hi]. Absent: *present = 0 (error if required). */
static int
get_int(cx *x, const skl_json_value *obj, const char *key, const char *path, int required, long lo,
        long hi, long *out, int *present)
{
    const skl_json_value *v = skl_json_get(obj, key);
    *present = v != NULL;
    if (v == NULL)
        return required ? fail(x, path, "missing") : SKL_OK;
    if (v->type != SKL_JSON_NUMBER || v->u.num != (double)(long)v->u.num || v->u.num < lo ||
        v->u.num > hi)
        return fail(x, path, "must be an integer from %ld to %ld", lo, hi);
    *out = (long)v->u.num;
    return SKL_OK;
}

/* Refuses a member of obj not in the NULL-terminated list; prefix is the object's path. */
static int
only_members(cx *x, const skl_json_value *obj, const char *prefix, const char *const *names)
{
    for (uint32_t i = 0; i < obj->n; i++) {
        const char *k = obj->u.obj[i].key;
        const char *const *p = names;
        while (*p != NULL && strcmp(*p, k) != 0)
            p++;
        if (*p == NULL) {
            char path[128];
            snprintf(path, sizeof path, "%s%.40s", prefix, k);
            return fail(x, path, "unknown member");
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

static int
get_date(cx *x, const skl_json_value *obj, const char *key, const char *path, int required,
         const char **out)
{
    int rc = get_str(x, obj, key, path, required, 10, out);
    if (rc == SKL_OK && *out != NULL && !is_date(*out))
        return fail(x, path, "\"%s\" is not a calendar date YYYY-MM-DD", *out);
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

static int
is_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* urn:uuid: and a lower-case RFC 4122 UUID. */
static int
is_urn_uuid(const char *s)
{
    if (strncmp(s, "urn:uuid:", 9) != 0 || strlen(s) != 45)
        return 0;
    s += 9;
    for (int i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_lower_hex(s + i, 1))
            return 0;
    }
    return 1;
}

static int
is_did_key(const char *s)
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

/* ------------------------------------------------------------- members ------- */

/* skl.occupation: {code, edition}, known in that edition. */
static int
occupation(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"code", "edition", NULL};
    const skl_json_value *o = skl_json_get(skl, "occupation");
    const char *code, *ed;
    int rc;
    if (o == NULL)
        return SKL_OK;
    if (o->type != SKL_JSON_OBJECT)
        return fail(x, SKL "occupation", "must be an object {code, edition}");
    if ((rc = only_members(x, o, SKL "occupation.", m)) != SKL_OK ||
        (rc = get_str(x, o, "code", SKL "occupation.code", 1, 16, &code)) != SKL_OK ||
        (rc = get_str(x, o, "edition", SKL "occupation.edition", 1, 8, &ed)) != SKL_OK)
        return rc;
    if (!skl_occupation_code_valid(code))
        return fail(x, SKL "occupation.code", "\"%s\" is not a code D-DD-DD-DD", code);
    if (!skl_refdata_edition_known(x->rd, ed))
        return fail(x, SKL "occupation.edition", "\"%s\" is not an edition in occupations.json",
                    ed);
    if (skl_refdata_occupation(x->rd, code, ed) == NULL)
        return fail(x, SKL "occupation.code", "%s is not an occupation of the %s edition (%s)",
                    code, ed, skl_refdata_file_version(x->rd, "occupations"));
    if ((rc = dup_into(x, &x->c->occupation, code)) != SKL_OK)
        return rc;
    return dup_into(x, &x->c->edition, ed);
}

/* A member naming an id of a reference table. */
static int
table_id(cx *x, const skl_json_value *skl, const char *key, const char *path, const char *table,
         int required, const char **out)
{
    int rc = get_str(x, skl, key, path, required, 64, out);
    if (rc == SKL_OK && *out != NULL && skl_refdata_name(x->rd, table, *out) == NULL)
        return fail(x, path, "\"%s\" is not listed in %s.json %s", *out, table,
                    skl_refdata_file_version(x->rd, table));
    return rc;
}

static int
uscc(cx *x, const skl_json_value *obj, const char *key, const char *path, int required,
     const char **out)
{
    int rc = get_str(x, obj, key, path, required, 32, out);
    if (rc == SKL_OK && *out != NULL && !skl_uscc_valid(*out))
        return fail(x, path, "\"%s\" is not a 统一社会信用代码 (18 characters, GB 32100 check)",
                    *out);
    return rc;
}

/* skl.corrects: {target, reason}. */
static int
corrects(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"target", "reason", NULL};
    const skl_json_value *o = skl_json_get(skl, "corrects");
    const char *t, *r;
    int rc;
    if (o == NULL)
        return SKL_OK;
    if (o->type != SKL_JSON_OBJECT)
        return fail(x, SKL "corrects", "must be an object {target, reason}");
    if ((rc = only_members(x, o, SKL "corrects.", m)) != SKL_OK ||
        (rc = get_str(x, o, "target", SKL "corrects.target", 1, STR_MAX, &t)) != SKL_OK ||
        (rc = get_str(x, o, "reason", SKL "corrects.reason", 1, STR_MAX, &r)) != SKL_OK)
        return rc;
    if (strcmp(t, x->c->id) == 0)
        return fail(x, SKL "corrects.target", "a credential cannot correct itself");
    if ((rc = dup_into(x, &x->c->target, t)) != SKL_OK)
        return rc;
    return dup_into(x, &x->c->reason, r);
}

/* ------------------------------------------------------------- kinds --------- */

static int
training(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {
        "kind",  "corrects",  "trainingType", "funding", "delivery", "programme", "occupation",
        "hours", "startDate", "endDate",      "result",  "sponsor",  NULL};
    static const char *const pm[] = {"id", "version", NULL};
    const char *tt, *s, *start, *end, *res, *pid = NULL, *delivery;
    long hours;
    int present, rc;
    if ((rc = only_members(x, skl, SKL, m)) != SKL_OK ||
        (rc = table_id(x, skl, "trainingType", SKL "trainingType", "training-types", 1, &tt)) ||
        (rc = table_id(x, skl, "funding", SKL "funding", "funding-modes", 1, &s)) ||
        (rc = table_id(x, skl, "delivery", SKL "delivery", "delivery-modes", 1, &delivery)) ||
        (rc = dup_into(x, &x->c->delivery, delivery)) ||
        (rc = occupation(x, skl)) ||
        (rc = get_int(x, skl, "hours", SKL "hours", 1, 1, 10000, &hours, &present)) ||
        (rc = get_date(x, skl, "startDate", SKL "startDate", 1, &start)) ||
        (rc = get_date(x, skl, "endDate", SKL "endDate", 1, &end)) ||
        (rc = get_str(x, skl, "result", SKL "result", 1, 16, &res)) ||
        (rc = uscc(x, skl, "sponsor", SKL "sponsor", 0, &s)))
        return rc;
    if (strcmp(end, start) < 0)
        return fail(x, SKL "endDate", "%s is before startDate %s", end, start);
    if (strcmp(res, "passed") && strcmp(res, "failed") && strcmp(res, "attended"))
        return fail(x, SKL "result", "\"%s\" is not passed, failed or attended", res);
    const skl_json_value *p = skl_json_get(skl, "programme");
    if (p != NULL) {
        if (p->type != SKL_JSON_OBJECT)
            return fail(x, SKL "programme", "must be an object {id, version}");
        if ((rc = only_members(x, p, SKL "programme.", pm)) ||
            (rc = get_str(x, p, "id", SKL "programme.id", 1, STR_MAX, &pid)) ||
            (rc = get_str(x, p, "version", SKL "programme.version", 0, 64, &s)))
            return rc;
    }
    if ((rc = dup_into(x, &x->c->training_type, tt)) != SKL_OK)
        return rc;
    return dup_into(x, &x->c->programme, pid);
}

static int
presence(cx *x, const skl_json_value *skl, const char *key, const char *path, skl_presence p,
         const char *et)
{
    int here = skl_json_get(skl, key) != NULL;
    if (p == SKL_PRESENCE_REQUIRED && !here)
        return fail(x, path, "missing (evaluation type %s requires it)", et);
    if (p == SKL_PRESENCE_FORBIDDEN && here)
        return fail(x, path, "not allowed with evaluation type %s", et);
    return SKL_OK;
}

static int
certification(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {
        "kind",      "corrects",   "evaluationType", "occupation", "level", "certificateNumber",
        "issueDate", "validUntil", "evaluator",      "employer",   NULL};
    const char *etid, *lv, *no, *issue, *until, *ev, *emp;
    int rc;
    skl_claim *c = x->c;
    if ((rc = only_members(x, skl, SKL, m)) != SKL_OK ||
        (rc = table_id(x, skl, "evaluationType", SKL "evaluationType", "evaluation-types", 1,
                       &etid)))
        return rc;
    const skl_refdata_evaltype *et = skl_refdata_evaluation_type(x->rd, etid);
    if (et == NULL)
        return fail(x, SKL "evaluationType", "\"%s\" has no rule", etid);
    if ((rc = presence(x, skl, "occupation", SKL "occupation", et->occupation, etid)) ||
        (rc = presence(x, skl, "level", SKL "level", et->level, etid)) ||
        (rc = presence(x, skl, "certificateNumber", SKL "certificateNumber", et->certificate_number,
                       etid)) ||
        (rc = occupation(x, skl)) || (rc = get_str(x, skl, "level", SKL "level", 0, 32, &lv)) ||
        (rc = get_str(x, skl, "evaluator", SKL "evaluator", 1, 1, &ev)) ||
        (rc = get_str(x, skl, "certificateNumber", SKL "certificateNumber", 0, 32, &no)) ||
        (rc = get_date(x, skl, "issueDate", SKL "issueDate", 1, &issue)) ||
        (rc = get_date(x, skl, "validUntil", SKL "validUntil", 0, &until)))
        return rc;
    if (strcmp(ev, "Y") != 0 && strcmp(ev, "S") != 0)
        return fail(x, SKL "evaluator", "\"%s\" is not Y (employer) or S (social organisation)",
                    ev);
    if ((ev[0] == 'Y' && !et->evaluator_y) || (ev[0] == 'S' && !et->evaluator_s))
        return fail(x, SKL "evaluator", "evaluator %s may not use evaluation type %s", ev, etid);
    if ((rc = uscc(x, skl, "employer", SKL "employer", ev[0] == 'Y', &emp)) != SKL_OK)
        return rc;
    if (lv != NULL) {
        const char *scale;
        int rank, ok = 0;
        if (skl_refdata_level(x->rd, lv, &scale, &rank) != SKL_OK)
            return fail(x, SKL "level", "\"%s\" is not a level in levels.json %s", lv,
                        skl_refdata_file_version(x->rd, "levels"));
        if (et->scale == NULL || strcmp(scale, et->scale) != 0)
            return fail(x, SKL "level", "%s is on scale %s, evaluation type %s uses %s", lv, scale,
                        etid, et->scale ? et->scale : "no level");
        for (size_t i = 0; i < et->nlevels && !ok; i++)
            ok = strcmp(et->levels[i], lv) == 0;
        if (!ok)
            return fail(x, SKL "level", "%s is not a level evaluation type %s awards", lv, etid);
        if (c->occupation != NULL && strcmp(scale, "skill") == 0 &&
            !skl_refdata_occupation_has_level(x->rd, c->occupation, c->edition, lv))
            return fail(x, SKL "level", "occupation %s (%s) has no level %s", c->occupation,
                        c->edition, lv);
        if ((rc = dup_into(x, &c->level, lv)) || (rc = dup_into(x, &c->level_scale, scale)))
            return rc;
        c->level_rank = rank;
    }
    if (no != NULL) {
        char w[160];
        if (skl_certno_check(no, lv, ev, w, sizeof w) != SKL_OK)
            return fail(x, SKL "certificateNumber", "%s", w);
    }
    if (until != NULL && strcmp(until, issue) < 0)
        return fail(x, SKL "validUntil", "%s is before issueDate %s", until, issue);
    if ((rc = dup_into(x, &c->evaluation_type, etid)) || (rc = dup_into(x, &c->evaluator, ev)))
        return rc;
    return dup_into(x, &c->employer, emp);
}

static int
competition(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"kind",  "corrects", "competition", "tier", "year",
                                    "award", "rank",     "occupation",  NULL};
    const char *s;
    long n;
    int present, rc;
    if ((rc = only_members(x, skl, SKL, m)) ||
        (rc = get_str(x, skl, "competition", SKL "competition", 1, STR_MAX, &s)) ||
        (rc = table_id(x, skl, "tier", SKL "tier", "competition-tiers", 1, &s)) ||
        (rc = get_int(x, skl, "year", SKL "year", 1, 1949, 9999, &n, &present)) ||
        (rc = get_str(x, skl, "award", SKL "award", 1, STR_MAX, &s)) ||
        (rc = get_int(x, skl, "rank", SKL "rank", 0, 1, 1000000, &n, &present)))
        return rc;
    return occupation(x, skl);
}

static int
honour(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"kind",  "corrects",      "title", "year",
                                    "batch", "prerequisites", NULL};
    const char *title, *s;
    const skl_refdata_prereq *pre;
    size_t npre;
    long n;
    int present, rc;
    if ((rc = only_members(x, skl, SKL, m)) ||
        (rc = table_id(x, skl, "title", SKL "title", "honours", 1, &title)) ||
        (rc = get_int(x, skl, "year", SKL "year", 1, 1949, 9999, &n, &present)) ||
        (rc = get_str(x, skl, "batch", SKL "batch", 0, 64, &s)))
        return rc;
    if (skl_refdata_honour(x->rd, title, NULL, NULL, &pre, &npre) != SKL_OK)
        return fail(x, SKL "title", "\"%s\" is not an honour", title);
    const skl_json_value *a = skl_json_get(skl, "prerequisites");
    if (a == NULL && npre > 0)
        return fail(x, SKL "prerequisites", "missing: %s has prerequisites (honours.json)", title);
    if (a == NULL)
        return dup_into(x, &x->c->honour, title);
    if (a->type != SKL_JSON_ARRAY || a->n > SKL_CLAIM_MAX_REFS || (a->n == 0 && npre > 0))
        return fail(x, SKL "prerequisites", "must be an array of 1 to %d credential ids",
                    SKL_CLAIM_MAX_REFS);
    for (uint32_t i = 0; i < a->n; i++) {
        const char *id = skl_json_string(&a->u.arr[i]);
        char path[64];
        snprintf(path, sizeof path, SKL "prerequisites[%u]", i);
        if (id == NULL || a->u.arr[i].n == 0 || a->u.arr[i].n > STR_MAX ||
            strlen(id) != a->u.arr[i].n)
            return fail(x, path, "must be a credential id");
        if (strcmp(id, x->c->id) == 0)
            return fail(x, path, "a credential cannot be its own prerequisite");
        for (size_t j = 0; j < x->c->nrefs; j++)
            if (strcmp(x->c->refs[j], id) == 0)
                return fail(x, path, "%s is listed twice", id);
        if ((rc = dup_into(x, &x->c->refs[x->c->nrefs], id)) != SKL_OK)
            return rc;
        x->c->nrefs++;
    }
    return dup_into(x, &x->c->honour, title);
}

static int
revocation(cx *x, const skl_json_value *skl, const char *subject_id)
{
    static const char *const m[] = {"kind", "target", "reason", "effective", NULL};
    const char *t, *r, *e;
    int64_t when;
    int rc;
    if ((rc = only_members(x, skl, SKL, m)) ||
        (rc = get_str(x, skl, "target", SKL "target", 1, STR_MAX, &t)) ||
        (rc = get_str(x, skl, "reason", SKL "reason", 1, STR_MAX, &r)) ||
        (rc = get_str(x, skl, "effective", SKL "effective", 0, 20, &e)))
        return rc;
    if (strcmp(t, subject_id) != 0)
        return fail(x, SKL "target", "must equal credentialSubject.id");
    if (strcmp(t, x->c->id) == 0)
        return fail(x, SKL "target", "a credential cannot revoke itself");
    if (e != NULL && skl_utc_parse(&when, e, strlen(e)) != 0)
        return fail(x, SKL "effective", "\"%s\" is not a UTC date-time YYYY-MM-DDThh:mm:ssZ", e);
    if ((rc = dup_into(x, &x->c->target, t)) || (rc = dup_into(x, &x->c->reason, r)))
        return rc;
    return dup_into(x, &x->c->effective, e);
}

static int
accreditation(cx *x, const skl_json_value *skl, const char *subject_id)
{
    static const char *const m[] = {"kind",      "certificate", "scope",
                                    "directory", "institution", NULL};
    static const char *const dirs[] = {
        "training-providers",     "evaluation-bodies", "honour-committees",
        "competition-organisers", "schools",           NULL};
    const char *cert, *dir, *inst;
    uint8_t *der = NULL;
    char *canon = NULL;
    size_t derlen, clen;
    skl_scope *scope = NULL;
    int rc;
    if ((rc = only_members(x, skl, SKL, m)) ||
        (rc = get_str(x, skl, "certificate", SKL "certificate", 1, CERT_MAX * 4 / 3 + 4, &cert)) ||
        (rc = get_str(x, skl, "directory", SKL "directory", 1, 64, &dir)) ||
        (rc = get_str(x, skl, "institution", SKL "institution", 1, STR_MAX, &inst)))
        return rc;
    if (!is_did_key(subject_id))
        return fail(x, "credentialSubject.id", "must be the accredited issuer's did:key");
    const char *const *d = dirs;
    while (*d != NULL && strcmp(*d, dir) != 0)
        d++;
    if (*d == NULL)
        return fail(x, SKL "directory", "\"%s\" is not a directory of spec/kinds.md", dir);
    if ((der = malloc(CERT_MAX)) == NULL)
        return SKL_ERR_NOMEM;
    if (skl_base64_decode(der, CERT_MAX, &derlen, cert, strlen(cert)) != 0 || derlen < 2 ||
        der[0] != 0x30) {
        rc = fail(x, SKL "certificate", "is not standard base64 of a DER certificate");
        goto out;
    }
    const skl_json_value *sv = skl_json_get(skl, "scope");
    if (sv == NULL) {
        rc = fail(x, SKL "scope", "missing");
        goto out;
    }
    if (sv->type != SKL_JSON_OBJECT) {
        rc = fail(x, SKL "scope", "must be an object");
        goto out;
    }
    if ((rc = skl_json_canonicalize(sv, &canon, &clen)) != SKL_OK)
        goto out;
    char w[200];
    rc = skl_scope_parse(&scope, canon, clen, x->rd, w, sizeof w);
    if (rc == SKL_ERR_NOMEM)
        goto out;
    if (rc != SKL_OK) {
        if (x->why != NULL && x->whylen > 0)
            snprintf(x->why, x->whylen, "credentialSubject.skl.%s", w);
        rc = SKL_ERR_SCHEMA;
        goto out;
    }
    if ((rc = dup_into(x, &x->c->subject, subject_id)) ||
        (rc = dup_into(x, &x->c->certificate, cert)))
        goto out;
    x->c->scope = canon;
    canon = NULL;
out:
    skl_scope_free(scope);
    free(canon);
    free(der);
    return rc;
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
        return fail(x, "credentialSubject.identifier",
                    "missing (a worker credential names "
                    "its holder by commitment)");
    if (a->type != SKL_JSON_ARRAY || a->n != 1 || a->u.arr[0].type != SKL_JSON_OBJECT)
        return fail(x, "credentialSubject.identifier", "must hold exactly one IdentityObject");
    const skl_json_value *o = &a->u.arr[0], *hashed = skl_json_get(o, "hashed");
    if ((rc = only_members(x, o, "credentialSubject.identifier[0].", m)) != SKL_OK)
        return rc;
    if (skl_json_get(o, "salt") != NULL)
        return fail(x, "credentialSubject.identifier[0].salt",
                    "no salt is published (spec/workers.md)");
    if (!has_type(skl_json_get(o, "type"), "IdentityObject"))
        return fail(x, "credentialSubject.identifier[0].type", "must be IdentityObject");
    if ((rc = get_str(x, o, "identityHash", "credentialSubject.identifier[0].identityHash", 1, 128,
                      &h)) ||
        (rc = get_str(x, o, "identityType", "credentialSubject.identifier[0].identityType", 1, 64,
                      &t)))
        return rc;
    if (strlen(h) != 71 || strncmp(h, "sha256$", 7) != 0 || !is_lower_hex(h + 7, 64))
        return fail(x, "credentialSubject.identifier[0].identityHash",
                    "must be sha256$ and 64 lower-case hex digits");
    if (hashed == NULL || hashed->type != SKL_JSON_TRUE)
        return fail(x, "credentialSubject.identifier[0].hashed", "must be true");
    return dup_into(x, &x->c->identity_hash, h);
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
        return fail(x, "credentialSubject.achievement", "must be an Achievement object");
    if (!has_type(skl_json_get(a, "type"), "Achievement"))
        return fail(x, "credentialSubject.achievement.type", "must include Achievement");
    if ((rc = get_str(x, a, "id", "credentialSubject.achievement.id", 1, STR_MAX, &s)) ||
        (rc = get_str(x, a, "name", "credentialSubject.achievement.name", 1, STR_MAX, &s)) ||
        (rc = get_str(x, a, "achievementType", "credentialSubject.achievement.achievementType", 1,
                      64, &at)))
        return rc;
    if (strcmp(at, achievement_type_of(k)) != 0)
        return fail(x, "credentialSubject.achievement.achievementType",
                    "a %s credential has achievementType %s, not %s", skl_kind_name(k),
                    achievement_type_of(k), at);
    return SKL_OK;
}

/* A number of credits: positive, a multiple of 0.5, at most max; into half credits. */
static int
get_halves(cx *x, const skl_json_value *obj, const char *key, const char *path, double max,
           int *out)
{
    const skl_json_value *v = skl_json_get(obj, key);
    if (v == NULL)
        return fail(x, path, "missing");
    if (v->type != SKL_JSON_NUMBER || v->u.num <= 0 || v->u.num > max ||
        v->u.num * 2 != (double)(int)(v->u.num * 2))
        return fail(x, path, "must be a positive number of credits, in halves, at most %g", max);
    *out = (int)(v->u.num * 2);
    return SKL_OK;
}

/* skl for kind "credit": a school's transfer of learning outcomes to course credits. */
static int
credit(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"kind",    "programme", "graduationCredits", "rules",
                                    "courses", "credits",   NULL};
    static const char *const pm[] = {"id", "version", "name", NULL};
    static const char *const rm[] = {"framework", "programme", NULL};
    static const char *const cm[] = {"id", "name", "credits", "sources", NULL};
    const skl_json_value *p = skl_json_get(skl, "programme"), *r = skl_json_get(skl, "rules");
    const skl_json_value *cs = skl_json_get(skl, "courses");
    const char *s, *pid, *pver;
    int rc, sum = 0;
    if ((rc = only_members(x, skl, SKL, m)) != SKL_OK)
        return rc;
    if (p == NULL || p->type != SKL_JSON_OBJECT)
        return fail(x, SKL "programme", "must be {id, version, name}");
    if ((rc = only_members(x, p, SKL "programme.", pm)) ||
        (rc = get_str(x, p, "id", SKL "programme.id", 1, 64, &pid)) ||
        (rc = get_str(x, p, "version", SKL "programme.version", 1, 32, &pver)) ||
        (rc = get_str(x, p, "name", SKL "programme.name", 1, STR_MAX, &s)) ||
        (rc = dup_into(x, &x->c->programme, pid)) ||
        (rc = dup_into(x, &x->c->programme_version, pver)) ||
        (rc = get_halves(x, skl, "graduationCredits", SKL "graduationCredits", 1000,
                         &x->c->graduation_halves)) ||
        (rc = get_halves(x, skl, "credits", SKL "credits", 1000, &x->c->total_halves)))
        return rc;
    if (r == NULL || r->type != SKL_JSON_OBJECT)
        return fail(x, SKL "rules", "must be {framework, programme}: the rule sets applied");
    if ((rc = only_members(x, r, SKL "rules.", rm)) ||
        (rc = get_str(x, r, "framework", SKL "rules.framework", 1, STR_MAX, &s)) ||
        (rc = get_str(x, r, "programme", SKL "rules.programme", 1, STR_MAX, &s)))
        return rc;
    if (cs == NULL || cs->type != SKL_JSON_ARRAY || cs->n == 0 || cs->n > SKL_CLAIM_MAX_REFS)
        return fail(x, SKL "courses", "must be an array of 1 to %d courses", SKL_CLAIM_MAX_REFS);
    for (uint32_t i = 0; i < cs->n; i++) {
        const skl_json_value *c = &cs->u.arr[i];
        const skl_json_value *srcs = skl_json_get(c, "sources");
        char path[64];
        snprintf(path, sizeof path, SKL "courses[%u]", i);
        if (c->type != SKL_JSON_OBJECT)
            return fail(x, path, "must be {id, name, credits, sources}");
        if ((rc = only_members(x, c, SKL "courses[].", cm)) ||
            (rc = get_str(x, c, "id", SKL "courses[].id", 1, 64, &s)) ||
            (rc = get_str(x, c, "name", SKL "courses[].name", 1, STR_MAX, &s)) ||
            (rc = get_halves(x, c, "credits", SKL "courses[].credits", 1000,
                             &x->c->course_halves[i])))
            return rc;
        if (srcs == NULL || srcs->type != SKL_JSON_ARRAY || srcs->n == 0)
            return fail(x, path, "sources must be a non-empty array of credential ids");
        for (uint32_t k = 0; k < srcs->n; k++) {
            const char *src = skl_json_string(&srcs->u.arr[k]);
            if (src == NULL || !is_urn_uuid(src))
                return fail(x, path, "source %u is not a credential id", k);
            for (size_t j = 0; j < x->c->nrefs; j++)
                if (strcmp(x->c->refs[j], src) == 0)
                    return fail(x, path, "source %s already backs a course (one source backs "
                                         "at most one course)",
                                src);
            if (x->c->nrefs == SKL_CLAIM_MAX_REFS)
                return fail(x, SKL "courses", "more than %d sources", SKL_CLAIM_MAX_REFS);
            if ((rc = dup_into(x, &x->c->refs[x->c->nrefs], src)) != SKL_OK)
                return rc;
            x->c->nrefs++;
        }
        x->c->course_nsrc[i] = (int)srcs->n;
        x->c->ncourses++;
        sum += x->c->course_halves[i];
    }
    if (sum != x->c->total_halves)
        return fail(x, SKL "credits", "is not the sum of the courses' credits");
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
        return fail(&x, "$", "a credential is a JSON object");
    if ((rc = get_str(&x, cred, "id", "id", 1, STR_MAX, &id)) != SKL_OK)
        goto out;
    if (!is_urn_uuid(id)) {
        rc = fail(&x, "id", "\"%.64s\" is not urn:uuid: and a lower-case UUID", id);
        goto out;
    }
    if ((rc = dup_into(&x, &out->id, id)) != SKL_OK)
        goto out;
    const skl_json_value *is = skl_json_get(cred, "issuer");
    if (is != NULL && is->type == SKL_JSON_OBJECT)
        rc = get_str(&x, is, "id", "issuer.id", 1, STR_MAX, &iss);
    else
        rc = get_str(&x, cred, "issuer", "issuer", 1, STR_MAX, &iss);
    if (rc != SKL_OK)
        goto out;
    if (!is_did_key(iss)) {
        rc = fail(&x, "issuer", "must be a did:key");
        goto out;
    }
    if ((rc = dup_into(&x, &out->issuer, iss)) != SKL_OK)
        goto out;

    const skl_json_value *cs = skl_json_get(cred, "credentialSubject");
    if (cs == NULL || cs->type != SKL_JSON_OBJECT) {
        rc = fail(&x, "credentialSubject", "must be an object");
        goto out;
    }
    if ((rc = only_members(&x, cs, "credentialSubject.", csm)) != SKL_OK)
        goto out;
    if (!has_type(skl_json_get(cs, "type"), "AchievementSubject")) {
        rc = fail(&x, "credentialSubject.type", "must include AchievementSubject");
        goto out;
    }
    const skl_json_value *skl = skl_json_get(cs, "skl");
    if (skl == NULL || skl->type != SKL_JSON_OBJECT) {
        rc = fail(&x, "credentialSubject.skl", "must be an object (spec/kinds.md)");
        goto out;
    }
    if ((rc = get_str(&x, skl, "kind", SKL "kind", 1, 32, &kind)) != SKL_OK)
        goto out;
    skl_kind k = skl_kind_from_name(kind);
    if (k == SKL_KIND_NONE) {
        rc = fail(&x, SKL "kind", "\"%s\" is not a kind of spec/kinds.md", kind);
        goto out;
    }
    out->kind = k;
    if ((rc = achievement(&x, cs, k)) != SKL_OK)
        goto out;
    if ((rc = get_str(&x, cs, "id", "credentialSubject.id", 0, STR_MAX, &sid)) != SKL_OK)
        goto out;

    if (k == SKL_KIND_REVOCATION || k == SKL_KIND_ACCREDITATION) {
        if (sid == NULL) {
            rc = fail(&x, "credentialSubject.id", "missing (the %s's subject)", kind);
            goto out;
        }
        if (skl_json_get(cs, "identifier") != NULL) {
            rc = fail(&x, "credentialSubject.identifier", "a %s names no worker", kind);
            goto out;
        }
        rc = k == SKL_KIND_REVOCATION ? revocation(&x, skl, sid) : accreditation(&x, skl, sid);
        goto out;
    }
    if (sid != NULL) {
        rc = fail(&x, "credentialSubject.id",
                  "a worker credential names its holder only by "
                  "identifier");
        goto out;
    }
    if ((rc = identifier(&x, cs)) != SKL_OK)
        goto out;
    switch (k) {
    case SKL_KIND_TRAINING: rc = training(&x, skl); break;
    case SKL_KIND_CERTIFICATION: rc = certification(&x, skl); break;
    case SKL_KIND_COMPETITION: rc = competition(&x, skl); break;
    case SKL_KIND_CREDIT: rc = credit(&x, skl); break;
    default: rc = honour(&x, skl); break;
    }
    if (rc == SKL_OK && k != SKL_KIND_CREDIT)
        rc = corrects(&x, skl);
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
    char **s[] = {&c->id,        &c->issuer,      &c->identity_hash, &c->occupation,
                  &c->edition,   &c->level,       &c->level_scale,   &c->evaluation_type,
                  &c->evaluator, &c->employer,    &c->training_type, &c->programme,
                  &c->delivery,  &c->programme_version,
                  &c->honour,    &c->target,      &c->reason,        &c->effective,
                  &c->subject,   &c->certificate, &c->scope};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        free(*s[i]);
    for (size_t i = 0; i < c->nrefs && i < SKL_CLAIM_MAX_REFS; i++)
        free(c->refs[i]);
    memset(c, 0, sizeof *c);
}
