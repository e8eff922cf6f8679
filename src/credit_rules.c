/*
 * credit_rules.c - the credit bank's rule files (spec/credit-rules/): a district framework
 * and a school's programme table, parsed strictly. A member the format does not define is an
 * error rather than something to skip, so a misspelt cap cannot silently lift it. Errors
 * name the field path ("courses[2].credits: ...").
 */
#include "credit_int.h"
#include "embed_int.h"
#include "json_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utc_int.h"
#include "why_int.h"

#define MAX_CREDITS 1000 /* credits in one value, course or programme */

/* ---- errors and small readers ------------------------------------------------------- */

int
skl_credit_kind(const char *s)
{
    static const char *const names[] = {"training", "certification", "competition", "honour"};
    for (int i = 0; s != NULL && i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* Checks that every member of obj is one of names (NULL-terminated; a leading '?' marks an
 * optional member) and that the required ones are there. */
static skl_err
members(const skl_json_value *obj, const char *path, const char *const *names, char *why,
        size_t whylen)
{
    if (obj == NULL || obj->type != SKL_JSON_OBJECT)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s: not an object", path);
    for (uint32_t i = 0; i < obj->n; i++) {
        const char *k = obj->u.obj[i].key;
        int ok = 0;
        for (const char *const *n = names; *n != NULL && !ok; n++)
            ok = skl_json_key_is(&obj->u.obj[i], *n + (**n == '?'));
        if (!ok)
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%.64s: unknown member", path,
                        *path ? "." : "", k);
    }
    for (const char *const *n = names; *n != NULL; n++)
        if (**n != '?' && skl_json_get(obj, *n) == NULL)
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%s: missing", path, *path ? "." : "", *n);
    return SKL_OK;
}

/* A non-empty string of at most max bytes without U+0000, or NULL with why set. */
static const char *
text(const skl_json_value *obj, const char *path, const char *key, size_t max, char *why,
     size_t whylen)
{
    const skl_json_value *v = skl_json_get(obj, key);
    if (v == NULL || v->type != SKL_JSON_STRING || v->n == 0 || v->n > max ||
        strlen(v->u.str) != v->n) {
        skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%s: not a string of 1 to %zu bytes", path,
             *path ? "." : "", key, max);
        return NULL;
    }
    return v->u.str;
}

/* An ASCII id [A-Za-z0-9+._-], 1..64 bytes. */
static int
is_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || strchr("+._-", s[i]) != NULL))
            return 0;
    return 1;
}

static const char *
id_member(const skl_json_value *obj, const char *path, const char *key, char *why, size_t whylen)
{
    const char *s = text(obj, path, key, 64, why, whylen);
    if (s != NULL && !is_id(s)) {
        skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%s: \"%s\" is not an ASCII id [A-Za-z0-9+._-]", path,
             *path ? "." : "", key, s);
        return NULL;
    }
    return s;
}

/* An integer lo..hi. */
static skl_err
integer(const skl_json_value *obj, const char *path, const char *key, int lo, int hi, int *out,
        char *why, size_t whylen)
{
    const skl_json_value *v = skl_json_get(obj, key);
    if (v == NULL || v->type != SKL_JSON_NUMBER || v->u.num != floor(v->u.num) || v->u.num < lo ||
        v->u.num > hi) {
        if (v != NULL && v->type == SKL_JSON_NUMBER)
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%s: %g is not an integer %d..%d", path,
                        *path ? "." : "", key, v->u.num, lo, hi);
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%s: not an integer %d..%d", path,
                    *path ? "." : "", key, lo, hi);
    }
    *out = (int)v->u.num;
    return SKL_OK;
}

/* Credits: a positive multiple of 0.5 up to MAX_CREDITS, as half-credits. */
static skl_err
credits(const skl_json_value *obj, const char *path, const char *key, int *halves, char *why,
        size_t whylen)
{
    const skl_json_value *v = skl_json_get(obj, key);
    if (v == NULL || v->type != SKL_JSON_NUMBER)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s%s%s: not a number", path, *path ? "." : "",
                    key);
    double h = v->u.num * 2;
    if (h != floor(h) || h < 1 || h > 2 * MAX_CREDITS)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA,
                    "%s%s%s: %g is not a multiple of 0.5 between 0.5 and %d", path,
                    *path ? "." : "", key, v->u.num, MAX_CREDITS);
    *halves = (int)h;
    return SKL_OK;
}

/* A date "YYYY-MM-DD" as the epoch second of its 00:00Z. */
static skl_err
date(const skl_json_value *obj, const char *key, int64_t *t, char *why, size_t whylen)
{
    const skl_json_value *v = skl_json_get(obj, key);
    char s[24];
    if (v == NULL || v->type != SKL_JSON_STRING || v->n != 10)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s: not a date YYYY-MM-DD", key);
    snprintf(s, sizeof s, "%sT00:00:00Z", v->u.str);
    if (skl_utc_parse(t, s, 20) != 0)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s: \"%s\" is not a calendar date YYYY-MM-DD",
                    key, v->u.str);
    return SKL_OK;
}

/* effective, and expires (optional, after effective). */
static skl_err
dates(const skl_json_value *root, int64_t *effective, int64_t *expires, char *why, size_t whylen)
{
    skl_err rc = date(root, "effective", effective, why, whylen);
    *expires = INT64_MAX;
    if (rc == SKL_OK && skl_json_get(root, "expires") != NULL) {
        rc = date(root, "expires", expires, why, whylen);
        if (rc == SKL_OK && *expires <= *effective)
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "expires: not after effective");
    }
    return rc;
}

/*
 * A non-empty array (at most max) of distinct strings at obj.key; each must pass ok (when
 * not NULL), which names its table for the message. Returns the array or NULL with why set;
 * *rc says whether NULL is an error (absent and optional is not).
 */
typedef int (*id_ok)(const skl_refdata *rd, const char *id);

static const skl_json_value *
id_list(const skl_json_value *obj, const char *path, const char *key, size_t max, id_ok ok,
        const skl_refdata *rd, const char *table, skl_err *rc, char *why, size_t whylen)
{
    const skl_json_value *v = skl_json_get(obj, key);
    *rc = SKL_OK;
    if (v == NULL)
        return NULL;
    if (v->type != SKL_JSON_ARRAY || v->n == 0 || v->n > max) {
        *rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.%s: not an array of 1 to %zu strings", path,
                   key, max);
        return NULL;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        const skl_json_value *e = &v->u.arr[i];
        if (e->type != SKL_JSON_STRING || e->n == 0 || e->n > 1024 || strlen(e->u.str) != e->n) {
            *rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.%s[%u]: not a non-empty string", path, key,
                       i);
            return NULL;
        }
        if (ok != NULL && !ok(rd, e->u.str)) {
            *rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.%s[%u]: \"%.64s\" is not in %s", path, key,
                       i, e->u.str, table);
            return NULL;
        }
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(v->u.arr[j].u.str, e->u.str) == 0) {
                *rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.%s[%u]: \"%.64s\" is listed twice",
                           path, key, i, e->u.str);
                return NULL;
            }
    }
    return v;
}

static int
ok_delivery(const skl_refdata *rd, const char *id)
{
    return skl_refdata_name(rd, "delivery-modes", id) != NULL;
}
static int
ok_training(const skl_refdata *rd, const char *id)
{
    return skl_refdata_name(rd, "training-types", id) != NULL;
}
static int
ok_evaltype(const skl_refdata *rd, const char *id)
{
    return skl_refdata_evaluation_type(rd, id) != NULL;
}
static int
ok_tier(const skl_refdata *rd, const char *id)
{
    return skl_refdata_name(rd, "competition-tiers", id) != NULL;
}
static int
ok_honour(const skl_refdata *rd, const char *id)
{
    return skl_refdata_name(rd, "honours", id) != NULL;
}

/* A parsed document's root object, or why. */
static skl_err
open_doc(skl_json_doc **doc, const char *json, size_t len, char *why, size_t whylen)
{
    char pwhy[160];
    if (json == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no input");
    skl_err rc = skl_json_parse(doc, json, len, SKL_CREDIT_MAX_FILE, pwhy, sizeof pwhy);
    if (rc != SKL_OK)
        return skl_why_rc(why, whylen, rc, "%s", pwhy);
    if (skl_json_root(*doc)->type != SKL_JSON_OBJECT)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "the file is not a JSON object");
    return SKL_OK;
}

/* ---- framework ------------------------------------------------------------------------ */

/* One credit-value table: rows of {<key>: id, [award: text,] credits}. */
static skl_err
value_table(skl_credit_framework *fw, const skl_json_value *root, const char *table,
            const char *keyname, id_ok ok, const char *refname, credit_value *rows, size_t *nrows,
            char *why, size_t whylen)
{
    const skl_json_value *a = skl_json_get(root, table);
    char path[96];
    int with_award = strcmp(keyname, "tier") == 0;
    const char *const plain[] = {keyname, "credits", NULL};
    const char *const award[] = {keyname, "?award", "credits", NULL};
    *nrows = 0;
    if (a == NULL)
        return SKL_OK;
    if (a->type != SKL_JSON_ARRAY || a->n > CREDIT_MAX_VALUES)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s: not an array of at most %d rows", table,
                    CREDIT_MAX_VALUES);
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *r = &a->u.arr[i];
        credit_value *cv = &rows[i];
        skl_err rc;
        snprintf(path, sizeof path, "%s[%u]", table, i);
        if ((rc = members(r, path, with_award ? award : plain, why, whylen)) != SKL_OK)
            return rc;
        if ((cv->key = id_member(r, path, keyname, why, whylen)) == NULL)
            return SKL_ERR_SCHEMA;
        if (!ok(fw->rd, cv->key))
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.%s: \"%s\" is not in %s", path, keyname,
                        cv->key, refname);
        cv->award = NULL;
        if (with_award && skl_json_get(r, "award") != NULL &&
            (cv->award = text(r, path, "award", 256, why, whylen)) == NULL)
            return SKL_ERR_SCHEMA;
        if ((rc = credits(r, path, "credits", &cv->halves, why, whylen)) != SKL_OK)
            return rc;
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(rows[j].key, cv->key) == 0 &&
                (rows[j].award == NULL
                     ? cv->award == NULL
                     : cv->award != NULL && strcmp(rows[j].award, cv->award) == 0))
                return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s: the same %s as %s[%u]", path, keyname,
                            table, j);
        (*nrows)++;
    }
    return SKL_OK;
}

static int
ok_level(const skl_refdata *rd, const char *id)
{
    return skl_refdata_level(rd, id, NULL, NULL) == SKL_OK;
}

static skl_err
online_list(skl_credit_framework *fw, const skl_json_value *online, const char *key, id_ok ok,
            const char *table, const char **out, size_t *nout, char *why, size_t whylen)
{
    skl_err rc;
    const skl_json_value *v =
        id_list(online, "online", key, CREDIT_MAX_ONLINE, ok, fw->rd, table, &rc, why, whylen);
    *nout = 0;
    for (uint32_t i = 0; v != NULL && i < v->n; i++)
        out[(*nout)++] = v->u.arr[i].u.str;
    return rc;
}

skl_err
skl_credit_framework_parse(skl_credit_framework **out, const char *json, size_t len, char *why,
                           size_t whylen)
{
    static const char *const top[] = {"id",
                                      "version",
                                      "?published",
                                      "effective",
                                      "?expires",
                                      "authority",
                                      "source",
                                      "classHoursPerCredit",
                                      "caps",
                                      "certificateCredits",
                                      "?certificateWithoutLevelCredits",
                                      "?competitionCredits",
                                      "?honourCredits",
                                      "online",
                                      NULL};
    static const char *const caps[] = {"perSourceCredits", "convertedPercent", "onlinePercent",
                                       NULL};
    static const char *const online[] = {"?deliveries", "?trainingTypes", NULL};
    skl_credit_framework *fw = NULL;
    char rwhy[160];
    skl_err rc;
    if (out == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no output");
    *out = NULL;
    if ((fw = calloc(1, sizeof *fw)) == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_NOMEM, "out of memory");
    if ((rc = skl_refdata_load_default(&fw->rd, rwhy, sizeof rwhy)) != SKL_OK) {
        skl_why_rc(why, whylen, rc, "reference data: %s", rwhy);
        goto out;
    }
    if ((rc = open_doc(&fw->doc, json, len, why, whylen)) != SKL_OK)
        goto out;
    const skl_json_value *root = skl_json_root(fw->doc);
    rc = SKL_ERR_SCHEMA;
    if (members(root, "", top, why, whylen) != SKL_OK ||
        (fw->id = id_member(root, "", "id", why, whylen)) == NULL ||
        (fw->version = id_member(root, "", "version", why, whylen)) == NULL ||
        text(root, "", "authority", 1024, why, whylen) == NULL ||
        text(root, "", "source", 4096, why, whylen) == NULL ||
        dates(root, &fw->effective, &fw->expires, why, whylen) != SKL_OK ||
        integer(root, "", "classHoursPerCredit", 1, 100, &fw->class_hours, why, whylen) != SKL_OK)
        goto out;
    const skl_json_value *c = skl_json_get(root, "caps");
    if (members(c, "caps", caps, why, whylen) != SKL_OK ||
        credits(c, "caps", "perSourceCredits", &fw->cap_source_halves, why, whylen) != SKL_OK ||
        integer(c, "caps", "convertedPercent", 1, 100, &fw->converted_pct, why, whylen) != SKL_OK ||
        integer(c, "caps", "onlinePercent", 0, 100, &fw->online_pct, why, whylen) != SKL_OK)
        goto out;
    if (fw->online_pct > fw->converted_pct) {
        skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "caps.onlinePercent: above caps.convertedPercent");
        goto out;
    }
    if ((rc = value_table(fw, root, "certificateCredits", "level", ok_level, "levels.json",
                          fw->level, &fw->nlevel, why, whylen)) != SKL_OK ||
        (rc = value_table(fw, root, "competitionCredits", "tier", ok_tier, "competition-tiers.json",
                          fw->comp, &fw->ncomp, why, whylen)) != SKL_OK ||
        (rc = value_table(fw, root, "honourCredits", "honour", ok_honour, "honours.json",
                          fw->honour, &fw->nhonour, why, whylen)) != SKL_OK)
        goto out;
    if (skl_json_get(root, "certificateWithoutLevelCredits") != NULL &&
        (rc = credits(root, "", "certificateWithoutLevelCredits", &fw->no_level_halves, why,
                      whylen)) != SKL_OK)
        goto out;
    const skl_json_value *on = skl_json_get(root, "online");
    if ((rc = members(on, "online", online, why, whylen)) != SKL_OK ||
        (rc = online_list(fw, on, "deliveries", ok_delivery, "delivery-modes.json",
                          fw->online_delivery, &fw->nonline_delivery, why, whylen)) != SKL_OK ||
        (rc = online_list(fw, on, "trainingTypes", ok_training, "training-types.json",
                          fw->online_type, &fw->nonline_type, why, whylen)) != SKL_OK)
        goto out;
    *out = fw;
    fw = NULL;
    rc = SKL_OK;
out:
    skl_credit_framework_free(fw);
    return rc;
}

void
skl_credit_framework_free(skl_credit_framework *fw)
{
    if (fw == NULL)
        return;
    skl_json_free(fw->doc);
    skl_refdata_free(fw->rd);
    free(fw);
}

const char *
skl_credit_framework_id(const skl_credit_framework *fw)
{
    return fw->id;
}

const char *
skl_credit_framework_version(const skl_credit_framework *fw)
{
    return fw->version;
}

/* ---- programme ------------------------------------------------------------------------ */

/* "D-DD-DD-DD" */
static int
is_occupation_code(const char *s)
{
    static const char form[] = "9-99-99-99";
    if (strlen(s) != sizeof form - 1)
        return 0;
    for (size_t i = 0; form[i] != '\0'; i++)
        if (form[i] == '-' ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static skl_err
occupations(const skl_credit_framework *fw, const skl_json_value *m, const char *path,
            const skl_json_value **out, char *why, size_t whylen)
{
    static const char *const occ[] = {"code", "edition", NULL};
    const skl_json_value *v = skl_json_get(m, "occupations");
    char epath[96];
    *out = v;
    if (v == NULL)
        return SKL_OK;
    if (v->type != SKL_JSON_ARRAY || v->n == 0 || v->n > 64)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.occupations: not an array of 1 to 64", path);
    for (uint32_t i = 0; i < v->n; i++) {
        const skl_json_value *e = &v->u.arr[i];
        const char *code, *ed;
        snprintf(epath, sizeof epath, "%s.occupations[%u]", path, i);
        skl_err rc = members(e, epath, occ, why, whylen);
        if (rc != SKL_OK)
            return rc;
        if ((code = text(e, epath, "code", 16, why, whylen)) == NULL ||
            (ed = text(e, epath, "edition", 8, why, whylen)) == NULL)
            return SKL_ERR_SCHEMA;
        if (!is_occupation_code(code))
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.code: \"%s\" is not D-DD-DD-DD", epath,
                        code);
        if (!skl_refdata_edition_known(fw->rd, ed))
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.edition: \"%s\" is not an edition", epath,
                        ed);
    }
    return SKL_OK;
}

static skl_err
mapping(skl_credit_programme *p, const skl_json_value *m, uint32_t i, char *why, size_t whylen)
{
    static const char *const by_kind[4][8] = {
        {"course", "kind", "?trainingTypes", "?deliveries", "?occupations", "?minHours", NULL},
        {"course", "kind", "?evaluationTypes", "?occupations", "?minLevel", NULL},
        {"course", "kind", "?tiers", "?awards", "?occupations", NULL},
        {"course", "kind", "honours", NULL}};
    const skl_credit_framework *fw = p->fw;
    credit_mapping *cm = &p->map[i];
    char path[48];
    skl_err rc;
    snprintf(path, sizeof path, "mappings[%u]", i);
    if (m->type != SKL_JSON_OBJECT)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s: not an object", path);
    const char *kind = text(m, path, "kind", 32, why, whylen);
    if (kind == NULL)
        return SKL_ERR_SCHEMA;
    int k = skl_credit_kind(kind);
    if (k < 0)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA,
                    "%s.kind: \"%.32s\" is not training, certification, competition or honour",
                    path, kind);
    cm->kind = (credit_kind)k;
    if ((rc = members(m, path, by_kind[k], why, whylen)) != SKL_OK)
        return rc;
    const char *course = text(m, path, "course", 64, why, whylen);
    if (course == NULL)
        return SKL_ERR_SCHEMA;
    for (cm->course = 0; cm->course < p->ncourse; cm->course++)
        if (strcmp(p->course[cm->course].id, course) == 0)
            break;
    if (cm->course == p->ncourse)
        return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.course: \"%s\" is not a course of courses[]",
                    path, course);
    if ((rc = occupations(fw, m, path, &cm->occupations, why, whylen)) != SKL_OK)
        return rc;
    cm->evaluation_types = id_list(m, path, "evaluationTypes", 16, ok_evaltype, fw->rd,
                                   "evaluation-types.json", &rc, why, whylen);
    if (rc == SKL_OK)
        cm->training_types = id_list(m, path, "trainingTypes", 16, ok_training, fw->rd,
                                     "training-types.json", &rc, why, whylen);
    if (rc == SKL_OK)
        cm->deliveries = id_list(m, path, "deliveries", 16, ok_delivery, fw->rd,
                                 "delivery-modes.json", &rc, why, whylen);
    if (rc == SKL_OK)
        cm->tiers = id_list(m, path, "tiers", 16, ok_tier, fw->rd, "competition-tiers.json", &rc,
                            why, whylen);
    if (rc == SKL_OK)
        cm->awards = id_list(m, path, "awards", 32, NULL, NULL, NULL, &rc, why, whylen);
    if (rc == SKL_OK)
        cm->honours =
            id_list(m, path, "honours", 16, ok_honour, fw->rd, "honours.json", &rc, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if (skl_json_get(m, "minHours") != NULL &&
        (rc = integer(m, path, "minHours", 1, 10000, &cm->min_hours, why, whylen)) != SKL_OK)
        return rc;
    if (skl_json_get(m, "minLevel") != NULL) {
        const char *lv = id_member(m, path, "minLevel", why, whylen);
        if (lv == NULL)
            return SKL_ERR_SCHEMA;
        if (skl_refdata_level(fw->rd, lv, &cm->min_level_scale, &cm->min_level_rank) != SKL_OK)
            return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.minLevel: \"%s\" is not in levels.json",
                        path, lv);
    }
    return SKL_OK;
}

skl_err
skl_credit_programme_parse(skl_credit_programme **out, const char *json, size_t len,
                           const skl_credit_framework *fw, char *why, size_t whylen)
{
    static const char *const top[] = {"id",        "version",  "?published", "effective",
                                      "?expires",  "framework", "school",   "name",
                                      "graduationCredits",
                                      "courses",   "mappings", NULL};
    static const char *const fwm[] = {"id", "version", NULL};
    static const char *const crs[] = {"id", "name", "credits", NULL};
    skl_credit_programme *p = NULL;
    skl_err rc;
    char path[48];
    if (out == NULL || fw == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no output or no framework");
    *out = NULL;
    if ((p = calloc(1, sizeof *p)) == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_NOMEM, "out of memory");
    p->fw = fw;
    if ((rc = open_doc(&p->doc, json, len, why, whylen)) != SKL_OK)
        goto out;
    const skl_json_value *root = skl_json_root(p->doc);
    const skl_json_value *f = skl_json_get(root, "framework");
    const char *fid = NULL, *fver = NULL;
    rc = SKL_ERR_SCHEMA;
    if (members(root, "", top, why, whylen) != SKL_OK ||
        (p->id = id_member(root, "", "id", why, whylen)) == NULL ||
        (p->version = id_member(root, "", "version", why, whylen)) == NULL ||
        (p->name = text(root, "", "name", 256, why, whylen)) == NULL ||
        (p->school = text(root, "", "school", 256, why, whylen)) == NULL ||
        dates(root, &p->effective, &p->expires, why, whylen) != SKL_OK ||
        members(f, "framework", fwm, why, whylen) != SKL_OK ||
        (fid = text(f, "framework", "id", 64, why, whylen)) == NULL ||
        (fver = text(f, "framework", "version", 64, why, whylen)) == NULL ||
        credits(root, "", "graduationCredits", &p->graduation_halves, why, whylen) != SKL_OK)
        goto out;
    if (strcmp(fid, fw->id) != 0 || strcmp(fver, fw->version) != 0) {
        skl_why_rc(why, whylen, SKL_ERR_SCHEMA,
             "framework: the programme is for %.64s version %.64s, not %s version %s", fid, fver,
             fw->id, fw->version);
        goto out;
    }
    const skl_json_value *cs = skl_json_get(root, "courses");
    if (cs->type != SKL_JSON_ARRAY || cs->n == 0 || cs->n > SKL_CREDIT_MAX_COURSES) {
        skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "courses: not an array of 1 to %d courses",
             SKL_CREDIT_MAX_COURSES);
        goto out;
    }
    for (uint32_t i = 0; i < cs->n; i++) {
        credit_course *c = &p->course[i];
        snprintf(path, sizeof path, "courses[%u]", i);
        if (members(&cs->u.arr[i], path, crs, why, whylen) != SKL_OK ||
            (c->id = id_member(&cs->u.arr[i], path, "id", why, whylen)) == NULL ||
            (c->name = text(&cs->u.arr[i], path, "name", 120, why, whylen)) == NULL ||
            credits(&cs->u.arr[i], path, "credits", &c->halves, why, whylen) != SKL_OK)
            goto out;
        if (strlen(c->id) >= sizeof((skl_credit_grant *)0)->course) {
            skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.id: too long", path);
            goto out;
        }
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(p->course[j].id, c->id) == 0) {
                skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s.id: \"%s\" is also courses[%u]", path, c->id,
                     j);
                goto out;
            }
        p->ncourse++;
    }
    const skl_json_value *ms = skl_json_get(root, "mappings");
    if (ms->type != SKL_JSON_ARRAY || ms->n > SKL_CREDIT_MAX_MAPPINGS) {
        skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "mappings: not an array of at most %d mappings",
             SKL_CREDIT_MAX_MAPPINGS);
        goto out;
    }
    if (ms->n > 0 && (p->map = calloc(ms->n, sizeof *p->map)) == NULL) {
        rc = skl_why_rc(why, whylen, SKL_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < ms->n; i++) {
        if ((rc = mapping(p, &ms->u.arr[i], i, why, whylen)) != SKL_OK)
            goto out;
        p->nmap++;
    }
    *out = p;
    p = NULL;
    rc = SKL_OK;
out:
    skl_credit_programme_free(p);
    return rc;
}

void
skl_credit_programme_free(skl_credit_programme *p)
{
    if (p == NULL)
        return;
    skl_json_free(p->doc);
    free(p->map);
    free(p);
}

const char *
skl_credit_programme_id(const skl_credit_programme *p)
{
    return p->id;
}

const char *
skl_credit_programme_version(const skl_credit_programme *p)
{
    return p->version;
}

const char *
skl_credit_programme_name(const skl_credit_programme *p)
{
    return p->name;
}

int
skl_credit_programme_graduation_halves(const skl_credit_programme *p)
{
    return p->graduation_halves;
}

int
skl_credit_rules_in_force(const skl_credit_framework *fw, const skl_credit_programme *p,
                          int64_t when)
{
    if (fw == NULL || p == NULL)
        return 0;
    return fw->effective <= when && when < fw->expires && p->effective <= when && when < p->expires;
}

char *
skl_credit_format(char out[16], int halves)
{
    int neg = halves < 0;
    unsigned h = neg ? 0u - (unsigned)halves : (unsigned)halves;
    snprintf(out, 16, "%s%u%s", neg ? "-" : "", h / 2, h % 2 ? ".5" : "");
    return out;
}

skl_err
skl_credit_framework_default(skl_credit_framework **out, char *why, size_t whylen)
{
    size_t len;
    const char *text = skl_embedded_find("framework.json", &len);
    if (text == NULL) {
        if (why != NULL && whylen > 0)
            snprintf(why, whylen, "the district framework is not compiled in");
        return SKL_ERR_STATE;
    }
    return skl_credit_framework_parse(out, text, len, why, whylen);
}
