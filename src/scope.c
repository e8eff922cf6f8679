/*
 * scope.c - an issuer's accredited scope (spec/kinds.md "Scope"): parsed once when the
 * accreditation is read, then checked against every credential the issuer signs, so
 * skl_scope_covers() allocates nothing and only compares short strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_int.h"
#include "json_int.h"

#define SCOPE_MAX_BYTES 65536
#define SCOPE_MAX_LIST 1024

typedef struct occ_rule {
    char edition[5];
    char code[11]; /* a full code, or a prefix "D", "D-DD", "D-DD-DD" */
    size_t len;
} occ_rule;

typedef struct str_list {
    char **s;
    size_t n;
} str_list;

struct skl_scope {
    unsigned kinds; /* bit k: skl_kind k */
    occ_rule *occ;
    size_t nocc;
    int has_occ;
    int has_levels;
    char scale[16];
    int has_min, has_max, min_rank, max_rank;
    char min_id[32], max_id[32];
    char evaluator; /* 0, 'Y' or 'S' */
    char employer[19];
    str_list evals, honours, programmes;
    int has_evals, has_honours, has_programmes;
};

static int fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *why, size_t whylen, const char *fmt, ...)
{
    if (why != NULL && whylen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return SKL_ERR_SCHEMA;
}

/* A non-empty string without U+0000 of at most max bytes, or NULL. */
static const char *
str_of(const skl_json_value *v, size_t max)
{
    if (v == NULL || v->type != SKL_JSON_STRING || v->n == 0 || v->n > max ||
        strlen(v->u.str) != v->n)
        return NULL;
    return v->u.str;
}

/* "D", "D-DD", "D-DD-DD" or a full code. */
static int
is_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n == 10)
        return skl_occupation_code_valid(s);
    if (n != 1 && n != 4 && n != 7)
        return 0;
    char full[11];
    memcpy(full, "0-00-00-00", 11);
    memcpy(full, s, n);
    return skl_occupation_code_valid(full);
}

static int
in_list(const str_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->s[i], s) == 0)
            return 1;
    return 0;
}

/* Copies an array of strings; table (if not NULL) must list each id. */
static int
strings(str_list *out, const skl_json_value *a, const char *name, const skl_refdata *rd,
        const char *table, char *why, size_t whylen)
{
    if (a->type != SKL_JSON_ARRAY || a->n == 0 || a->n > SCOPE_MAX_LIST)
        return fail(why, whylen, "scope.%s: must be a non-empty array of strings", name);
    if ((out->s = calloc(a->n, sizeof *out->s)) == NULL)
        return SKL_ERR_NOMEM;
    for (uint32_t i = 0; i < a->n; i++) {
        const char *s = str_of(&a->u.arr[i], 1024);
        if (s == NULL)
            return fail(why, whylen, "scope.%s[%u]: must be a non-empty string", name, i);
        if (table != NULL && skl_refdata_name(rd, table, s) == NULL)
            return fail(why, whylen, "scope.%s[%u]: \"%s\" is not listed in %s.json", name, i, s,
                        table);
        if (in_list(out, s))
            return fail(why, whylen, "scope.%s[%u]: \"%s\" is listed twice", name, i, s);
        if ((out->s[out->n] = strdup(s)) == NULL)
            return SKL_ERR_NOMEM;
        out->n++;
    }
    return SKL_OK;
}

static int
parse_occupations(skl_scope *s, const skl_json_value *a, const skl_refdata *rd, char *why,
                  size_t whylen)
{
    if (a->type != SKL_JSON_ARRAY || a->n == 0 || a->n > SCOPE_MAX_LIST)
        return fail(why, whylen, "scope.occupations: must be a non-empty array");
    if ((s->occ = calloc(a->n, sizeof *s->occ)) == NULL)
        return SKL_ERR_NOMEM;
    s->has_occ = 1;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i];
        if (o->type != SKL_JSON_OBJECT)
            return fail(why, whylen, "scope.occupations[%u]: must be an object", i);
        for (uint32_t j = 0; j < o->n; j++) {
            const skl_json_member *k = &o->u.obj[j];
            if (!skl_json_key_is(k, "edition") && !skl_json_key_is(k, "code") &&
                !skl_json_key_is(k, "prefix"))
                return fail(why, whylen, "scope.occupations[%u].%.32s: unknown member", i, k->key);
        }
        const char *ed = str_of(skl_json_get(o, "edition"), 4);
        const char *code = str_of(skl_json_get(o, "code"), 10);
        const char *pre = str_of(skl_json_get(o, "prefix"), 10);
        if (ed == NULL || !skl_refdata_edition_known(rd, ed))
            return fail(why, whylen, "scope.occupations[%u].edition: not a known edition", i);
        if ((code == NULL) == (pre == NULL) ||
            (skl_json_get(o, "code") != NULL && skl_json_get(o, "prefix") != NULL))
            return fail(why, whylen, "scope.occupations[%u]: needs exactly one of code, prefix", i);
        if (code != NULL && !skl_occupation_code_valid(code))
            return fail(why, whylen, "scope.occupations[%u].code: not a code D-DD-DD-DD", i);
        if (code != NULL && skl_refdata_occupation(rd, code, ed) == NULL)
            return fail(why, whylen,
                        "scope.occupations[%u].code: %s is not an occupation of "
                        "the %s edition",
                        i, code, ed);
        if (pre != NULL && !is_prefix(pre))
            return fail(why, whylen,
                        "scope.occupations[%u].prefix: not D, D-DD, D-DD-DD or D-DD-DD-DD", i);
        occ_rule *r = &s->occ[s->nocc++];
        memcpy(r->edition, ed, 5);
        r->len = strlen(code ? code : pre);
        memcpy(r->code, code ? code : pre, r->len + 1);
    }
    return SKL_OK;
}

static int
parse_levels(skl_scope *s, const skl_json_value *o, const skl_refdata *rd, char *why, size_t whylen)
{
    if (o->type != SKL_JSON_OBJECT)
        return fail(why, whylen, "scope.levels: must be an object {scale, min, max}");
    for (uint32_t j = 0; j < o->n; j++) {
        const skl_json_member *k = &o->u.obj[j];
        if (!skl_json_key_is(k, "scale") && !skl_json_key_is(k, "min") &&
            !skl_json_key_is(k, "max"))
            return fail(why, whylen, "scope.levels.%.32s: unknown member", k->key);
    }
    const char *scale = str_of(skl_json_get(o, "scale"), sizeof s->scale - 1);
    const char *lo = str_of(skl_json_get(o, "min"), sizeof s->min_id - 1);
    const char *hi = str_of(skl_json_get(o, "max"), sizeof s->max_id - 1);
    const char *ls;
    if (scale == NULL)
        return fail(why, whylen, "scope.levels.scale: missing");
    if ((skl_json_get(o, "min") != NULL && lo == NULL) ||
        (skl_json_get(o, "max") != NULL && hi == NULL))
        return fail(why, whylen, "scope.levels: min and max are level ids");
    if (lo != NULL &&
        (skl_refdata_level(rd, lo, &ls, &s->min_rank) != SKL_OK || strcmp(ls, scale) != 0))
        return fail(why, whylen, "scope.levels.min: %s is not a level of scale %s", lo, scale);
    if (hi != NULL &&
        (skl_refdata_level(rd, hi, &ls, &s->max_rank) != SKL_OK || strcmp(ls, scale) != 0))
        return fail(why, whylen, "scope.levels.max: %s is not a level of scale %s", hi, scale);
    if (!skl_refdata_scale_known(rd, scale))
        return fail(why, whylen, "scope.levels.scale: %s is not a scale in levels.json", scale);
    if (lo != NULL && hi != NULL && s->min_rank > s->max_rank)
        return fail(why, whylen, "scope.levels: min %s is above max %s", lo, hi);
    s->has_levels = 1;
    memcpy(s->scale, scale, strlen(scale) + 1);
    if (lo != NULL) {
        s->has_min = 1;
        memcpy(s->min_id, lo, strlen(lo) + 1);
    }
    if (hi != NULL) {
        s->has_max = 1;
        memcpy(s->max_id, hi, strlen(hi) + 1);
    }
    return SKL_OK;
}

int
skl_scope_parse(skl_scope **out, const char *json, size_t len, const skl_refdata *rd, char *why,
                size_t whylen)
{
    static const char *const members[] = {"kinds",     "occupations", "levels",
                                          "evaluator", "employer",    "evaluationTypes",
                                          "honours",   "programmes",  NULL};
    skl_json_doc *doc = NULL;
    skl_scope *s = NULL;
    const skl_json_value *v;
    char pwhy[160];
    int rc;
    *out = NULL;
    if ((rc = skl_json_parse(&doc, json, len, SCOPE_MAX_BYTES, pwhy, sizeof pwhy)) != SKL_OK) {
        fail(why, whylen, "scope: %s", pwhy);
        goto out;
    }
    const skl_json_value *r = skl_json_root(doc);
    if (r->type != SKL_JSON_OBJECT) {
        rc = fail(why, whylen, "scope: must be a JSON object");
        goto out;
    }
    for (uint32_t i = 0; i < r->n; i++) {
        const char *const *m = members;
        while (*m != NULL && !skl_json_key_is(&r->u.obj[i], *m))
            m++;
        if (*m == NULL) {
            rc = fail(why, whylen, "scope.%.32s: unknown member", r->u.obj[i].key);
            goto out;
        }
    }
    if ((s = calloc(1, sizeof *s)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    v = skl_json_get(r, "kinds");
    if (v == NULL || v->type != SKL_JSON_ARRAY || v->n == 0 || v->n > 16) {
        rc = fail(why, whylen, "scope.kinds: must be a non-empty array of kinds");
        goto out;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        skl_kind k = skl_kind_from_name(skl_json_string(&v->u.arr[i]));
        if (k == SKL_KIND_NONE || (s->kinds >> k & 1u)) {
            rc = fail(why, whylen, "scope.kinds[%u]: not a kind, or listed twice", i);
            goto out;
        }
        s->kinds |= 1u << k;
    }
    if ((v = skl_json_get(r, "occupations")) != NULL &&
        (rc = parse_occupations(s, v, rd, why, whylen)) != SKL_OK)
        goto out;
    if ((v = skl_json_get(r, "levels")) != NULL &&
        (rc = parse_levels(s, v, rd, why, whylen)) != SKL_OK)
        goto out;
    if ((v = skl_json_get(r, "evaluator")) != NULL) {
        const char *e = str_of(v, 1);
        if (e == NULL || (e[0] != 'Y' && e[0] != 'S')) {
            rc = fail(why, whylen, "scope.evaluator: must be \"Y\" or \"S\"");
            goto out;
        }
        s->evaluator = e[0];
    }
    if ((v = skl_json_get(r, "employer")) != NULL) {
        const char *e = str_of(v, 18);
        if (e == NULL || !skl_uscc_valid(e)) {
            rc = fail(why, whylen, "scope.employer: not a 统一社会信用代码");
            goto out;
        }
        memcpy(s->employer, e, 19);
    }
    if ((s->evaluator == 'Y') != (s->employer[0] != '\0')) {
        rc = fail(why, whylen, "scope.employer: required with evaluator Y, and only with it");
        goto out;
    }
    if ((v = skl_json_get(r, "evaluationTypes")) != NULL) {
        s->has_evals = 1;
        if ((rc = strings(&s->evals, v, "evaluationTypes", rd, "evaluation-types", why, whylen)) !=
            SKL_OK)
            goto out;
    }
    if ((v = skl_json_get(r, "honours")) != NULL) {
        s->has_honours = 1;
        if ((rc = strings(&s->honours, v, "honours", rd, "honours", why, whylen)) != SKL_OK)
            goto out;
    }
    if ((v = skl_json_get(r, "programmes")) != NULL) {
        s->has_programmes = 1;
        if ((rc = strings(&s->programmes, v, "programmes", rd, NULL, why, whylen)) != SKL_OK)
            goto out;
    }
    *out = s;
    s = NULL;
    rc = SKL_OK;
out:
    skl_scope_free(s);
    skl_json_free(doc);
    return rc;
}

static void
free_list(str_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
}

void
skl_scope_free(skl_scope *s)
{
    if (s == NULL)
        return;
    free(s->occ);
    free_list(&s->evals);
    free_list(&s->honours);
    free_list(&s->programmes);
    free(s);
}

int
skl_scope_covers(const skl_scope *s, const skl_claim *c, char *why, size_t whylen)
{
    if (c->kind == SKL_KIND_REVOCATION)
        return SKL_OK;
    if (c->kind == SKL_KIND_NONE || !(s->kinds >> c->kind & 1u)) {
        fail(why, whylen, "scope: kind %s is not accredited", skl_kind_name(c->kind));
        return SKL_ERR_VERIFY;
    }
    if (s->has_occ && c->occupation != NULL) {
        int ok = 0;
        for (size_t i = 0; i < s->nocc && !ok; i++) {
            const occ_rule *r = &s->occ[i];
            ok = strcmp(r->edition, c->edition) == 0 &&
                 strncmp(r->code, c->occupation, r->len) == 0 &&
                 (c->occupation[r->len] == '\0' || c->occupation[r->len] == '-');
        }
        if (!ok) {
            fail(why, whylen, "scope: occupation %s (%s) is not accredited", c->occupation,
                 c->edition);
            return SKL_ERR_VERIFY;
        }
    }
    if (s->has_levels && c->level != NULL) {
        if (c->level_scale == NULL || strcmp(c->level_scale, s->scale) != 0) {
            fail(why, whylen, "scope: level %s is on scale %s, the accredited levels on %s",
                 c->level, c->level_scale ? c->level_scale : "(none)", s->scale);
            return SKL_ERR_VERIFY;
        }
        if (s->has_min && c->level_rank < s->min_rank) {
            fail(why, whylen, "scope: level %s is below the accredited minimum %s", c->level,
                 s->min_id);
            return SKL_ERR_VERIFY;
        }
        if (s->has_max && c->level_rank > s->max_rank) {
            fail(why, whylen, "scope: level %s is above the accredited maximum %s", c->level,
                 s->max_id);
            return SKL_ERR_VERIFY;
        }
    }
    if (s->evaluator != 0 && c->evaluator != NULL) {
        if (c->evaluator[0] != s->evaluator) {
            fail(why, whylen, "scope: evaluator %s is not the accredited %c", c->evaluator,
                 s->evaluator);
            return SKL_ERR_VERIFY;
        }
        if (s->evaluator == 'Y' && (c->employer == NULL || strcmp(c->employer, s->employer) != 0)) {
            fail(why, whylen, "scope: employer %s is not the accredited employer %s",
                 c->employer ? c->employer : "(none)", s->employer);
            return SKL_ERR_VERIFY;
        }
    }
    if (s->has_evals && c->evaluation_type != NULL && !in_list(&s->evals, c->evaluation_type)) {
        fail(why, whylen, "scope: evaluation type %s is not accredited", c->evaluation_type);
        return SKL_ERR_VERIFY;
    }
    if (s->has_honours && c->honour != NULL && !in_list(&s->honours, c->honour)) {
        fail(why, whylen, "scope: honour %s is not accredited", c->honour);
        return SKL_ERR_VERIFY;
    }
    if (s->has_programmes && c->programme != NULL && !in_list(&s->programmes, c->programme)) {
        fail(why, whylen, "scope: programme %s is not accredited", c->programme);
        return SKL_ERR_VERIFY;
    }
    return SKL_OK;
}
