/*
 * refdata.c - the reference data of spec/data, parsed into lookup tables.
 *
 * Every string points into a parsed JSON document (or a loaded CSV file) that the handle
 * keeps until skl_refdata_free(), so loading copies no strings. The files are read strictly:
 * a member the file format does not define is an error, not something to skip, because a
 * misspelt "prerequisites" would otherwise silently drop a rule. The occupations table is
 * read in refdata_occupations.c.
 */
#include "skl/refdata.h"

#include <stdarg.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed_int.h"
#include "refdata_int.h"
#include "skl/json.h"

/* ------------------------------------------------------------- helpers ------- */

int
skl_refdata_keep(skl_refdata *rd, void *p, int is_doc)
{
    if (rd->nkeep == MAX_KEEP)
        return -1;
    rd->keep[rd->nkeep] = p;
    rd->keep_doc[rd->nkeep] = is_doc;
    rd->nkeep++;
    return 0;
}

/* 1 if every member of obj is one of the NULL-terminated names. Else 0 and *bad names it. */
int
skl_refdata_only_members(const skl_json_value *obj, const char *const *names, const char **bad)
{
    for (uint32_t i = 0; i < obj->n; i++) {
        const char *k = obj->u.obj[i].key;
        int ok = 0;
        for (const char *const *n = names; *n != NULL && !ok; n++)
            ok = strcmp(*n, k) == 0;
        if (!ok) {
            *bad = k;
            return 0;
        }
    }
    return 1;
}

/* A non-empty string without U+0000, or NULL. */
const char *
skl_refdata_str_of(const skl_json_value *v)
{
    if (v == NULL || v->type != SKL_JSON_STRING || v->n == 0 || strlen(v->u.str) != v->n)
        return NULL;
    return v->u.str;
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
level_index(const skl_refdata *rd, const char *id)
{
    for (size_t i = 0; i < rd->nlevels; i++)
        if (strcmp(rd->levels[i].id, id) == 0)
            return (int)i;
    return -1;
}

int
skl_refdata_occ_cmp(const void *a, const void *b)
{
    const occ_ent *x = a, *y = b;
    int c = strcmp(x->edition, y->edition);
    return c ? c : strcmp(x->code, y->code);
}

static const occ_ent *
occ_find(const skl_refdata *rd, const char *code, const char *edition)
{
    if (code == NULL || edition == NULL || strlen(code) > 10 || strlen(edition) > 4)
        return NULL;
    occ_ent key;
    memset(&key, 0, sizeof key);
    memcpy(key.code, code, strlen(code));
    memcpy(key.edition, edition, strlen(edition));
    return bsearch(&key, rd->occ, rd->nocc, sizeof *rd->occ, skl_refdata_occ_cmp);
}

/* ------------------------------------------------------------- one file ------ */

/*
 * Parses a data file, checks its header members (version, published, source) and that
 * every other member is one of body (NULL-terminated; a name starting '?' is optional, the
 * others are required). Keeps the document in rd.
 */
skl_err
skl_refdata_open_doc(skl_refdata *rd, const char *text, size_t len, const char *file,
                     const char *const *body, const skl_json_value **root, const char **version,
                     char *why, size_t whylen)
{
    char pwhy[160];
    skl_json_doc *doc = NULL;
    skl_err rc = skl_json_parse(&doc, text, len, DATA_MAX_BYTES, pwhy, sizeof pwhy);
    if (rc != SKL_OK) {
        skl_refdata_setwhy(why, whylen, "%s: %s", file, pwhy);
        return rc;
    }
    if (skl_refdata_keep(rd, doc, 1) != 0) {
        skl_json_free(doc);
        skl_refdata_setwhy(why, whylen, "%s: too many data files", file);
        return SKL_ERR_LIMIT;
    }
    const skl_json_value *r = skl_json_root(doc);
    if (r->type != SKL_JSON_OBJECT) {
        skl_refdata_setwhy(why, whylen, "%s: not a JSON object", file);
        return SKL_ERR_SCHEMA;
    }
    const char *v = skl_refdata_str_of(skl_json_get(r, "version"));
    const char *p = skl_refdata_str_of(skl_json_get(r, "published"));
    if (v == NULL || p == NULL || !is_date(p) ||
        skl_refdata_str_of(skl_json_get(r, "source")) == NULL) {
        skl_refdata_setwhy(why, whylen,
                           "%s: needs a version, a published date (YYYY-MM-DD) and a source", file);
        return SKL_ERR_SCHEMA;
    }
    for (uint32_t i = 0; i < r->n; i++) {
        const char *k = r->u.obj[i].key;
        int ok = !strcmp(k, "version") || !strcmp(k, "published") || !strcmp(k, "source");
        for (const char *const *b = body; *b != NULL && !ok; b++)
            ok = strcmp(*b + (**b == '?'), k) == 0;
        if (!ok) {
            skl_refdata_setwhy(why, whylen, "%s: unknown member \"%s\"", file, k);
            return SKL_ERR_SCHEMA;
        }
    }
    for (const char *const *b = body; *b != NULL; b++)
        if (**b != '?' && skl_json_get(r, *b) == NULL) {
            skl_refdata_setwhy(why, whylen, "%s: missing member \"%s\"", file, *b);
            return SKL_ERR_SCHEMA;
        }
    *root = r;
    *version = v;
    return SKL_OK;
}

skl_err
skl_refdata_load_embedded(skl_refdata *rd, const char *file, const char *const *body,
                          const skl_json_value **root, char *why, size_t whylen)
{
    char name[64];
    size_t len;
    snprintf(name, sizeof name, "%s.json", file);
    const char *text = skl_embedded_find(name, &len);
    if (text == NULL) {
        skl_refdata_setwhy(why, whylen, "%s is not compiled into the library", name);
        return SKL_ERR_NOTFOUND;
    }
    const char *version;
    skl_err rc = skl_refdata_open_doc(rd, text, len, name, body, root, &version, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if (rd->nversions == sizeof rd->versions / sizeof rd->versions[0])
        return SKL_ERR_LIMIT;
    rd->versions[rd->nversions].file = file;
    rd->versions[rd->nversions].version = version;
    rd->nversions++;
    return SKL_OK;
}

/* An array member of root whose elements are objects, at most max of them. */
const skl_json_value *
skl_refdata_obj_array(const skl_json_value *root, const char *key, size_t max, const char *file,
                      char *why, size_t whylen)
{
    const skl_json_value *a = skl_json_get(root, key);
    if (a == NULL || a->type != SKL_JSON_ARRAY || a->n > max) {
        skl_refdata_setwhy(why, whylen, "%s: %s must be an array of at most %zu objects", file, key,
                           max);
        return NULL;
    }
    for (uint32_t i = 0; i < a->n; i++)
        if (a->u.arr[i].type != SKL_JSON_OBJECT) {
            skl_refdata_setwhy(why, whylen, "%s: %s[%u] is not an object", file, key, i);
            return NULL;
        }
    return a;
}

/* ------------------------------------------------------------- tables -------- */

static skl_err
load_levels(skl_refdata *rd, char *why, size_t whylen)
{
    static const char *const body[] = {"scales", NULL};
    static const char *const sm[] = {"id", "name", "levels", NULL};
    static const char *const lm[] = {"id", "name", "rank", "certificateDigit", "equivalent", NULL};
    const skl_json_value *root, *scales;
    const char *bad;
    skl_err rc = skl_refdata_load_embedded(rd, "levels", body, &root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if ((scales = skl_refdata_obj_array(root, "scales", 8, "levels.json", why, whylen)) == NULL)
        return SKL_ERR_SCHEMA;
    for (uint32_t i = 0; i < scales->n; i++) {
        const skl_json_value *s = &scales->u.arr[i];
        const char *sid = skl_refdata_str_of(skl_json_get(s, "id"));
        const skl_json_value *ls = skl_json_get(s, "levels");
        if (!skl_refdata_only_members(s, sm, &bad) || sid == NULL || ls == NULL ||
            ls->type != SKL_JSON_ARRAY || skl_refdata_str_of(skl_json_get(s, "name")) == NULL) {
            skl_refdata_setwhy(why, whylen,
                               "levels.json: scales[%u] needs id, name and levels only", i);
            return SKL_ERR_SCHEMA;
        }
        for (size_t j = 0; j < rd->nscales; j++)
            if (strcmp(rd->scales[j], sid) == 0) {
                skl_refdata_setwhy(why, whylen, "levels.json: scale \"%s\" listed twice", sid);
                return SKL_ERR_SCHEMA;
            }
        rd->scales[rd->nscales++] = sid;
        for (uint32_t j = 0; j < ls->n; j++) {
            const skl_json_value *l = &ls->u.arr[j], *rank = skl_json_get(l, "rank");
            const char *id = skl_refdata_str_of(skl_json_get(l, "id"));
            const char *name = skl_refdata_str_of(skl_json_get(l, "name"));
            if (l->type != SKL_JSON_OBJECT || !skl_refdata_only_members(l, lm, &bad) ||
                id == NULL || name == NULL || rank == NULL || rank->type != SKL_JSON_NUMBER ||
                rank->u.num != (int)rank->u.num || rank->u.num < 0 || rank->u.num > 1000) {
                skl_refdata_setwhy(
                    why, whylen,
                    "levels.json: scale %s level %u needs id, name and an integer rank", sid, j);
                return SKL_ERR_SCHEMA;
            }
            if (level_index(rd, id) >= 0 || rd->nlevels == MAX_LEVELS) {
                skl_refdata_setwhy(why, whylen,
                                   "levels.json: level \"%s\" listed twice (or too many)", id);
                return SKL_ERR_SCHEMA;
            }
            level_ent *e = &rd->levels[rd->nlevels++];
            e->id = id;
            e->name = name;
            e->scale = sid;
            e->rank = (int)rank->u.num;
        }
    }
    return SKL_OK;
}

/* A table of {id, name[, extra members]} objects. */
static skl_err
load_named(skl_refdata *rd, int t, const char *table, const char *file, const char *key,
           const char *const *members, const skl_json_value **arr, char *why, size_t whylen)
{
    const char *body[] = {key, NULL};
    const skl_json_value *root, *a;
    char fname[64];
    const char *bad;
    snprintf(fname, sizeof fname, "%s.json", file);
    skl_err rc = skl_refdata_load_embedded(rd, file, body, &root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if ((a = skl_refdata_obj_array(root, key, 1000, fname, why, whylen)) == NULL)
        return SKL_ERR_SCHEMA;
    named_table *nt = &rd->tables[t];
    nt->table = table;
    if (a->n > 0 && (nt->e = calloc(a->n, sizeof *nt->e)) == NULL)
        return SKL_ERR_NOMEM;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i];
        const char *id = skl_refdata_str_of(skl_json_get(o, "id"));
        const char *name = skl_refdata_str_of(skl_json_get(o, "name"));
        if (!skl_refdata_only_members(o, members, &bad)) {
            skl_refdata_setwhy(why, whylen, "%s: %s[%u]: unknown member \"%s\"", fname, key, i,
                               bad);
            return SKL_ERR_SCHEMA;
        }
        if (id == NULL || name == NULL) {
            skl_refdata_setwhy(why, whylen, "%s: %s[%u] needs an id and a name", fname, key, i);
            return SKL_ERR_SCHEMA;
        }
        for (size_t j = 0; j < nt->n; j++)
            if (strcmp(nt->e[j].id, id) == 0) {
                skl_refdata_setwhy(why, whylen, "%s: id \"%s\" listed twice", fname, id);
                return SKL_ERR_SCHEMA;
            }
        nt->e[nt->n].id = id;
        nt->e[nt->n].name = name;
        nt->n++;
    }
    if (arr != NULL)
        *arr = a;
    return SKL_OK;
}

static skl_err
load_training_types(skl_refdata *rd, char *why, size_t whylen)
{
    static const char *const m[] = {"id", "name", "parent", NULL};
    const skl_json_value *a;
    skl_err rc = load_named(rd, T_TRAINING, "training-types", "training-types", "trainingTypes", m,
                            &a, why, whylen);
    if (rc != SKL_OK)
        return rc;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *p = skl_json_get(&a->u.arr[i], "parent");
        if (p != NULL && (skl_refdata_str_of(p) == NULL ||
                          skl_refdata_name(rd, "training-types", skl_refdata_str_of(p)) == NULL)) {
            skl_refdata_setwhy(why, whylen,
                               "training-types.json: trainingTypes[%u].parent is not an id", i);
            return SKL_ERR_SCHEMA;
        }
    }
    return SKL_OK;
}

static skl_presence
presence_of(const char *s, int *ok)
{
    if (s != NULL && strcmp(s, "required") == 0)
        return SKL_PRESENCE_REQUIRED;
    if (s != NULL && strcmp(s, "forbidden") == 0)
        return SKL_PRESENCE_FORBIDDEN;
    if (s == NULL || strcmp(s, "optional") != 0)
        *ok = 0;
    return SKL_PRESENCE_OPTIONAL;
}

static skl_err
load_evaluation_types(skl_refdata *rd, char *why, size_t whylen)
{
    static const char *const m[] = {"id",    "name",   "occupation", "level", "certificateNumber",
                                    "scale", "levels", "evaluators", NULL};
    const skl_json_value *a;
    skl_err rc = load_named(rd, T_EVAL, "evaluation-types", "evaluation-types", "evaluationTypes",
                            m, &a, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if (a->n > 0 && (rd->evals = calloc(a->n, sizeof *rd->evals)) == NULL)
        return SKL_ERR_NOMEM;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i], *sc = skl_json_get(o, "scale"),
                             *lv = skl_json_get(o, "levels"), *ev = skl_json_get(o, "evaluators");
        skl_refdata_evaltype *e = &rd->evals[rd->nevals++];
        int ok = 1;
        e->id = skl_refdata_str_of(skl_json_get(o, "id"));
        e->name = skl_refdata_str_of(skl_json_get(o, "name"));
        e->occupation = presence_of(skl_refdata_str_of(skl_json_get(o, "occupation")), &ok);
        e->level = presence_of(skl_refdata_str_of(skl_json_get(o, "level")), &ok);
        e->certificate_number =
            presence_of(skl_refdata_str_of(skl_json_get(o, "certificateNumber")), &ok);
        if (!ok || sc == NULL || lv == NULL || ev == NULL || lv->type != SKL_JSON_ARRAY ||
            ev->type != SKL_JSON_ARRAY) {
            skl_refdata_setwhy(
                why, whylen,
                "evaluation-types.json: %s needs occupation, level, certificateNumber "
                "(required|optional|forbidden), scale, levels and evaluators",
                e->id);
            return SKL_ERR_SCHEMA;
        }
        if (sc->type == SKL_JSON_NULL) {
            e->scale = NULL;
        } else {
            e->scale = skl_refdata_str_of(sc);
            size_t j = 0;
            while (e->scale != NULL && j < rd->nscales && strcmp(rd->scales[j], e->scale) != 0)
                j++;
            if (e->scale == NULL || j == rd->nscales) {
                skl_refdata_setwhy(why, whylen,
                                   "evaluation-types.json: %s: scale is not in levels.json", e->id);
                return SKL_ERR_SCHEMA;
            }
        }
        if ((e->scale == NULL) != (e->level == SKL_PRESENCE_FORBIDDEN) ||
            (e->scale == NULL) != (lv->n == 0)) {
            skl_refdata_setwhy(
                why, whylen,
                "evaluation-types.json: %s: a scale and levels go with a level that is not "
                "forbidden",
                e->id);
            return SKL_ERR_SCHEMA;
        }
        /* The level strings are in the document already: point an array at them. */
        const char **ls = NULL;
        if (lv->n > 0) {
            if ((ls = calloc(lv->n, sizeof *ls)) == NULL || skl_refdata_keep(rd, ls, 0) != 0) {
                free(ls);
                return SKL_ERR_NOMEM;
            }
        }
        for (uint32_t j = 0; j < lv->n; j++) {
            ls[j] = skl_refdata_str_of(&lv->u.arr[j]);
            if (ls[j] == NULL || !skl_refdata_level_on_scale(rd, ls[j], e->scale)) {
                skl_refdata_setwhy(why, whylen,
                                   "evaluation-types.json: %s: levels[%u] is not on scale %s",
                                   e->id, j, e->scale);
                return SKL_ERR_SCHEMA;
            }
        }
        e->levels = ls;
        e->nlevels = lv->n;
        for (uint32_t j = 0; j < ev->n; j++) {
            const char *s = skl_refdata_str_of(&ev->u.arr[j]);
            if (s != NULL && strcmp(s, "Y") == 0 && !e->evaluator_y)
                e->evaluator_y = 1;
            else if (s != NULL && strcmp(s, "S") == 0 && !e->evaluator_s)
                e->evaluator_s = 1;
            else {
                skl_refdata_setwhy(why, whylen,
                                   "evaluation-types.json: %s: evaluators[%u] is not Y or S", e->id,
                                   j);
                return SKL_ERR_SCHEMA;
            }
        }
        if (!e->evaluator_y && !e->evaluator_s) {
            skl_refdata_setwhy(why, whylen, "evaluation-types.json: %s: no evaluators", e->id);
            return SKL_ERR_SCHEMA;
        }
    }
    return SKL_OK;
}

static skl_err
load_honours(skl_refdata *rd, char *why, size_t whylen)
{
    static const char *const m[] = {"id", "name", "tier", "prerequisites", NULL};
    static const char *const pm[] = {"kind", "minLevel", "title", NULL};
    const skl_json_value *a;
    const char *bad;
    skl_err rc = load_named(rd, T_HONOUR, "honours", "honours", "honours", m, &a, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if (a->n > 0 && (rd->honours = calloc(a->n, sizeof *rd->honours)) == NULL)
        return SKL_ERR_NOMEM;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i], *pre = skl_json_get(o, "prerequisites");
        honour_ent *h = &rd->honours[rd->nhonours++];
        h->id = skl_refdata_str_of(skl_json_get(o, "id"));
        h->name = skl_refdata_str_of(skl_json_get(o, "name"));
        h->tier = skl_refdata_str_of(skl_json_get(o, "tier"));
        if (h->tier == NULL || (strcmp(h->tier, "district") && strcmp(h->tier, "city") &&
                                strcmp(h->tier, "national"))) {
            skl_refdata_setwhy(why, whylen,
                               "honours.json: %s: tier is not district, city or national", h->id);
            return SKL_ERR_SCHEMA;
        }
        if (pre == NULL || pre->type != SKL_JSON_ARRAY || pre->n > 16) {
            skl_refdata_setwhy(why, whylen,
                               "honours.json: %s: prerequisites must be an array (<= 16)", h->id);
            return SKL_ERR_SCHEMA;
        }
        if (pre->n > 0) {
            if ((h->pre = calloc(pre->n, sizeof *h->pre)) == NULL)
                return SKL_ERR_NOMEM;
        }
        for (uint32_t j = 0; j < pre->n; j++) {
            const skl_json_value *p = &pre->u.arr[j];
            skl_refdata_prereq *q = &h->pre[h->npre++];
            if (p->type != SKL_JSON_OBJECT || !skl_refdata_only_members(p, pm, &bad)) {
                skl_refdata_setwhy(why, whylen, "honours.json: %s: prerequisites[%u] is malformed",
                                   h->id, j);
                return SKL_ERR_SCHEMA;
            }
            q->kind = skl_refdata_str_of(skl_json_get(p, "kind"));
            q->min_level = skl_refdata_str_of(skl_json_get(p, "minLevel"));
            q->title = skl_refdata_str_of(skl_json_get(p, "title"));
            int ok = q->kind != NULL;
            if (ok && strcmp(q->kind, "certification") == 0)
                ok = q->title == NULL && q->min_level != NULL && level_index(rd, q->min_level) >= 0;
            else if (ok && strcmp(q->kind, "honour") == 0)
                ok = q->min_level == NULL && q->title != NULL;
            else
                ok = 0;
            if (!ok) {
                skl_refdata_setwhy(
                    why, whylen,
                    "honours.json: %s: prerequisites[%u] must be {kind: certification, "
                    "minLevel: <level>} or {kind: honour, title: <honour>}",
                    h->id, j);
                return SKL_ERR_SCHEMA;
            }
        }
    }
    /* Titles named as prerequisites must exist: checked once all are read. */
    for (size_t i = 0; i < rd->nhonours; i++)
        for (size_t j = 0; j < rd->honours[i].npre; j++) {
            const char *t = rd->honours[i].pre[j].title;
            if (t != NULL &&
                (skl_refdata_name(rd, "honours", t) == NULL || strcmp(t, rd->honours[i].id) == 0)) {
                skl_refdata_setwhy(why, whylen,
                                   "honours.json: %s: prerequisite title %s is not an honour",
                                   rd->honours[i].id, t);
                return SKL_ERR_SCHEMA;
            }
        }
    return SKL_OK;
}

skl_err
skl_refdata_build_version(skl_refdata *rd)
{
    size_t n = 1;
    for (size_t i = 0; i < rd->nversions; i++)
        n += strlen(rd->versions[i].file) + strlen(rd->versions[i].version) + 3;
    if (rd->occ_extra != NULL)
        n += strlen(rd->occ_extra) + 1;
    char *v = malloc(n);
    if (v == NULL)
        return SKL_ERR_NOMEM;
    v[0] = '\0';
    for (size_t i = 0; i < rd->nversions; i++) {
        if (i)
            strcat(v, ", ");
        strcat(v, rd->versions[i].file);
        strcat(v, " ");
        strcat(v, rd->versions[i].version);
        if (rd->occ_extra != NULL && strcmp(rd->versions[i].file, "occupations") == 0) {
            strcat(v, " ");
            strcat(v, rd->occ_extra);
        }
    }
    free(rd->version);
    rd->version = v;
    return SKL_OK;
}

/* ------------------------------------------------------------- public -------- */

skl_err
skl_refdata_load_default(skl_refdata **out, char *why, size_t whylen)
{
    static const char *const tier_m[] = {"id", "name", "rank", NULL};
    static const char *const plain_m[] = {"id", "name", NULL};
    skl_err rc;
    skl_refdata *rd = calloc(1, sizeof *rd);
    *out = NULL;
    if (rd == NULL)
        return SKL_ERR_NOMEM;
    if ((rc = load_levels(rd, why, whylen)) != SKL_OK ||
        (rc = skl_refdata_load_occupations_default(rd, why, whylen)) != SKL_OK ||
        (rc = load_training_types(rd, why, whylen)) != SKL_OK ||
        (rc = load_named(rd, T_FUNDING, "funding-modes", "funding-modes", "fundingModes", plain_m,
                         NULL, why, whylen)) != SKL_OK ||
        (rc = load_named(rd, T_DELIVERY, "delivery-modes", "delivery-modes", "deliveryModes",
                         plain_m, NULL, why, whylen)) != SKL_OK ||
        (rc = load_evaluation_types(rd, why, whylen)) != SKL_OK ||
        (rc = load_honours(rd, why, whylen)) != SKL_OK ||
        (rc = load_named(rd, T_TIER, "competition-tiers", "competition-tiers", "competitionTiers",
                         tier_m, NULL, why, whylen)) != SKL_OK ||
        (rc = skl_refdata_build_version(rd)) != SKL_OK)
        goto out;
    *out = rd;
    rd = NULL;
out:
    skl_refdata_free(rd);
    return rc;
}

void
skl_refdata_free(skl_refdata *rd)
{
    if (rd == NULL)
        return;
    for (size_t i = 0; i < rd->nkeep; i++) {
        if (rd->keep_doc[i])
            skl_json_free(rd->keep[i]);
        else
            free(rd->keep[i]);
    }
    for (size_t i = 0; i < T_COUNT; i++)
        free(rd->tables[i].e);
    for (size_t i = 0; i < rd->nhonours; i++)
        free(rd->honours[i].pre);
    free(rd->honours);
    free(rd->evals);
    free(rd->occ);
    free(rd->occ_extra);
    free(rd->version);
    free(rd);
}

const char *
skl_refdata_version(const skl_refdata *rd)
{
    return rd->version;
}

const char *
skl_refdata_file_version(const skl_refdata *rd, const char *file)
{
    for (size_t i = 0; i < rd->nversions; i++)
        if (strcmp(rd->versions[i].file, file) == 0)
            return rd->versions[i].version;
    return NULL;
}

skl_err
skl_refdata_level(const skl_refdata *rd, const char *id, const char **scale, int *rank)
{
    int i = id ? level_index(rd, id) : -1;
    if (i < 0)
        return SKL_ERR_NOTFOUND;
    if (scale != NULL)
        *scale = rd->levels[i].scale;
    if (rank != NULL)
        *rank = rd->levels[i].rank;
    return SKL_OK;
}

const char *
skl_refdata_level_name(const skl_refdata *rd, const char *id)
{
    int i = id ? level_index(rd, id) : -1;
    return i < 0 ? NULL : rd->levels[i].name;
}

int
skl_refdata_level_on_scale(const skl_refdata *rd, const char *id, const char *scale)
{
    int i = id && scale ? level_index(rd, id) : -1;
    return i >= 0 && strcmp(rd->levels[i].scale, scale) == 0;
}

int
skl_refdata_scale_known(const skl_refdata *rd, const char *scale)
{
    for (size_t i = 0; scale != NULL && i < rd->nscales; i++)
        if (strcmp(rd->scales[i], scale) == 0)
            return 1;
    return 0;
}

int
skl_refdata_edition_known(const skl_refdata *rd, const char *edition)
{
    for (size_t i = 0; edition != NULL && i < rd->neditions; i++)
        if (strcmp(rd->editions[i], edition) == 0)
            return 1;
    return 0;
}

const char *
skl_refdata_occupation(const skl_refdata *rd, const char *code, const char *edition)
{
    const occ_ent *e = occ_find(rd, code, edition);
    return e ? e->name : NULL;
}

int
skl_refdata_occupation_has_level(const skl_refdata *rd, const char *code, const char *edition,
                                 const char *level)
{
    const occ_ent *e = occ_find(rd, code, edition);
    int i = level ? level_index(rd, level) : -1;
    if (e == NULL || i < 0)
        return 0;
    return !e->levels_known || (e->levels >> i & 1);
}

const char *
skl_refdata_occupation_tags(const skl_refdata *rd, const char *code, const char *edition)
{
    const occ_ent *e = occ_find(rd, code, edition);
    return e ? e->tags : NULL;
}

const char *
skl_refdata_name(const skl_refdata *rd, const char *table, const char *id)
{
    if (table == NULL || id == NULL)
        return NULL;
    for (size_t t = 0; t < T_COUNT; t++) {
        const named_table *nt = &rd->tables[t];
        if (nt->table == NULL || strcmp(nt->table, table) != 0)
            continue;
        for (size_t i = 0; i < nt->n; i++)
            if (strcmp(nt->e[i].id, id) == 0)
                return nt->e[i].name;
    }
    return NULL;
}

const skl_refdata_evaltype *
skl_refdata_evaluation_type(const skl_refdata *rd, const char *id)
{
    for (size_t i = 0; id != NULL && i < rd->nevals; i++)
        if (strcmp(rd->evals[i].id, id) == 0)
            return &rd->evals[i];
    return NULL;
}

skl_err
skl_refdata_honour(const skl_refdata *rd, const char *id, const char **name, const char **tier,
                   const skl_refdata_prereq **pre, size_t *npre)
{
    for (size_t i = 0; id != NULL && i < rd->nhonours; i++) {
        const honour_ent *h = &rd->honours[i];
        if (strcmp(h->id, id) != 0)
            continue;
        if (name != NULL)
            *name = h->name;
        if (tier != NULL)
            *tier = h->tier;
        if (pre != NULL)
            *pre = h->pre;
        if (npre != NULL)
            *npre = h->npre;
        return SKL_OK;
    }
    return SKL_ERR_NOTFOUND;
}

/* ---- the process-wide copy of the compiled-in data ---------------------------------------- */

static skl_refdata *g_default;
static pthread_once_t g_default_once = PTHREAD_ONCE_INIT;

static void
load_default(void)
{
    char why[64];
    if (skl_refdata_load_default(&g_default, why, sizeof why) != SKL_OK)
        g_default = NULL;
}

const skl_refdata *
skl_refdata_shared(void)
{
    pthread_once(&g_default_once, load_default);
    return g_default;
}
