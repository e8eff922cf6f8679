/*
 * refdata.c - the reference data of spec/data, parsed into lookup tables.
 *
 * Every string points into a parsed JSON document (or a loaded CSV file) that the handle
 * keeps until skl_refdata_free(), so loading copies no strings. The files are read strictly:
 * a member the file format does not define is an error, not something to skip, because a
 * misspelt "prerequisites" would otherwise silently drop a rule.
 */
#include "skl/refdata.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed_int.h"
#include "skl/json.h"

#define DATA_MAX_BYTES (16u << 20) /* one data file */
#define MAX_LEVELS 64              /* an occupation's levels are a 64-bit mask */
#define MAX_KEEP 64                /* documents and buffers one handle keeps */

typedef struct level_ent {
    const char *id, *name, *scale;
    int rank;
} level_ent;

typedef struct occ_ent {
    char code[11];   /* D-DD-DD-DD */
    char edition[5]; /* YYYY */
    const char *name;
    uint64_t levels; /* bit i: levels[i] of the handle */
    int levels_known;
    char tags[3];
} occ_ent;

typedef struct named_ent {
    const char *id, *name;
} named_ent;

typedef struct named_table {
    const char *table; /* "training-types", ... */
    named_ent *e;
    size_t n;
} named_table;

typedef struct honour_ent {
    const char *id, *name, *tier;
    skl_refdata_prereq *pre;
    size_t npre;
} honour_ent;

typedef struct file_version {
    const char *file; /* "levels" */
    const char *version;
} file_version;

enum { T_TRAINING, T_FUNDING, T_DELIVERY, T_EVAL, T_HONOUR, T_TIER, T_COUNT };

struct skl_refdata {
    void *keep[MAX_KEEP]; /* skl_json_doc * (keep_doc[i] = 1) or malloc'd buffers */
    int keep_doc[MAX_KEEP];
    size_t nkeep;

    level_ent levels[MAX_LEVELS];
    size_t nlevels;
    const char *scales[8];
    size_t nscales;

    occ_ent *occ; /* sorted by (edition, code) */
    size_t nocc;
    const char *editions[8];
    size_t neditions;

    named_table tables[T_COUNT];
    skl_refdata_evaltype *evals;
    size_t nevals;
    honour_ent *honours;
    size_t nhonours;

    file_version versions[16];
    size_t nversions;
    char *occ_extra; /* "+ a + b" after the occupations version, or NULL */
    char *version;   /* the line skl_refdata_version() returns */
};

/* ------------------------------------------------------------- helpers ------- */

static void setwhy(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
setwhy(char *why, size_t whylen, const char *fmt, ...)
{
    if (why == NULL || whylen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static int
keep(skl_refdata *rd, void *p, int is_doc)
{
    if (rd->nkeep == MAX_KEEP)
        return -1;
    rd->keep[rd->nkeep] = p;
    rd->keep_doc[rd->nkeep] = is_doc;
    rd->nkeep++;
    return 0;
}

/* 1 if every member of obj is one of the NULL-terminated names. Else 0 and *bad names it. */
static int
only_members(const skl_json_value *obj, const char *const *names, const char **bad)
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
static const char *
str_of(const skl_json_value *v)
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
is_occ_code(const char *s)
{
    static const char pat[] = "9-99-99-99";
    if (strlen(s) != sizeof pat - 1)
        return 0;
    for (size_t i = 0; i < sizeof pat - 1; i++)
        if (pat[i] == '-' ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static int
is_edition(const char *s)
{
    return strlen(s) == 4 && s[0] >= '1' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
           s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9';
}

static int
level_index(const skl_refdata *rd, const char *id)
{
    for (size_t i = 0; i < rd->nlevels; i++)
        if (strcmp(rd->levels[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int
occ_cmp(const void *a, const void *b)
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
    return bsearch(&key, rd->occ, rd->nocc, sizeof *rd->occ, occ_cmp);
}

/* ------------------------------------------------------------- one file ------ */

/*
 * Parses a data file, checks its header members (version, published, source) and that
 * every other member is one of body (NULL-terminated; a name starting '?' is optional, the
 * others are required). Keeps the document in rd.
 */
static skl_err
open_doc(skl_refdata *rd, const char *text, size_t len, const char *file, const char *const *body,
         const skl_json_value **root, const char **version, char *why, size_t whylen)
{
    char pwhy[160];
    skl_json_doc *doc = NULL;
    skl_err rc = skl_json_parse(&doc, text, len, DATA_MAX_BYTES, pwhy, sizeof pwhy);
    if (rc != SKL_OK) {
        setwhy(why, whylen, "%s: %s", file, pwhy);
        return rc;
    }
    if (keep(rd, doc, 1) != 0) {
        skl_json_free(doc);
        setwhy(why, whylen, "%s: too many data files", file);
        return SKL_ERR_LIMIT;
    }
    const skl_json_value *r = skl_json_root(doc);
    if (r->type != SKL_JSON_OBJECT) {
        setwhy(why, whylen, "%s: not a JSON object", file);
        return SKL_ERR_SCHEMA;
    }
    const char *v = str_of(skl_json_get(r, "version"));
    const char *p = str_of(skl_json_get(r, "published"));
    if (v == NULL || p == NULL || !is_date(p) || str_of(skl_json_get(r, "source")) == NULL) {
        setwhy(why, whylen, "%s: needs a version, a published date (YYYY-MM-DD) and a source",
               file);
        return SKL_ERR_SCHEMA;
    }
    for (uint32_t i = 0; i < r->n; i++) {
        const char *k = r->u.obj[i].key;
        int ok = !strcmp(k, "version") || !strcmp(k, "published") || !strcmp(k, "source");
        for (const char *const *b = body; *b != NULL && !ok; b++)
            ok = strcmp(*b + (**b == '?'), k) == 0;
        if (!ok) {
            setwhy(why, whylen, "%s: unknown member \"%s\"", file, k);
            return SKL_ERR_SCHEMA;
        }
    }
    for (const char *const *b = body; *b != NULL; b++)
        if (**b != '?' && skl_json_get(r, *b) == NULL) {
            setwhy(why, whylen, "%s: missing member \"%s\"", file, *b);
            return SKL_ERR_SCHEMA;
        }
    *root = r;
    *version = v;
    return SKL_OK;
}

static skl_err
load_embedded(skl_refdata *rd, const char *file, const char *const *body,
              const skl_json_value **root, char *why, size_t whylen)
{
    char name[64];
    size_t len;
    snprintf(name, sizeof name, "%s.json", file);
    const char *text = skl_embedded_find(name, &len);
    if (text == NULL) {
        setwhy(why, whylen, "%s is not compiled into the library", name);
        return SKL_ERR_NOTFOUND;
    }
    const char *version;
    skl_err rc = open_doc(rd, text, len, name, body, root, &version, why, whylen);
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
static const skl_json_value *
obj_array(const skl_json_value *root, const char *key, size_t max, const char *file, char *why,
          size_t whylen)
{
    const skl_json_value *a = skl_json_get(root, key);
    if (a == NULL || a->type != SKL_JSON_ARRAY || a->n > max) {
        setwhy(why, whylen, "%s: %s must be an array of at most %zu objects", file, key, max);
        return NULL;
    }
    for (uint32_t i = 0; i < a->n; i++)
        if (a->u.arr[i].type != SKL_JSON_OBJECT) {
            setwhy(why, whylen, "%s: %s[%u] is not an object", file, key, i);
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
    skl_err rc = load_embedded(rd, "levels", body, &root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if ((scales = obj_array(root, "scales", 8, "levels.json", why, whylen)) == NULL)
        return SKL_ERR_SCHEMA;
    for (uint32_t i = 0; i < scales->n; i++) {
        const skl_json_value *s = &scales->u.arr[i];
        const char *sid = str_of(skl_json_get(s, "id"));
        const skl_json_value *ls = skl_json_get(s, "levels");
        if (!only_members(s, sm, &bad) || sid == NULL || ls == NULL || ls->type != SKL_JSON_ARRAY ||
            str_of(skl_json_get(s, "name")) == NULL) {
            setwhy(why, whylen, "levels.json: scales[%u] needs id, name and levels only", i);
            return SKL_ERR_SCHEMA;
        }
        for (size_t j = 0; j < rd->nscales; j++)
            if (strcmp(rd->scales[j], sid) == 0) {
                setwhy(why, whylen, "levels.json: scale \"%s\" listed twice", sid);
                return SKL_ERR_SCHEMA;
            }
        rd->scales[rd->nscales++] = sid;
        for (uint32_t j = 0; j < ls->n; j++) {
            const skl_json_value *l = &ls->u.arr[j], *rank = skl_json_get(l, "rank");
            const char *id = str_of(skl_json_get(l, "id"));
            const char *name = str_of(skl_json_get(l, "name"));
            if (l->type != SKL_JSON_OBJECT || !only_members(l, lm, &bad) || id == NULL ||
                name == NULL || rank == NULL || rank->type != SKL_JSON_NUMBER ||
                rank->u.num != (int)rank->u.num || rank->u.num < 0 || rank->u.num > 1000) {
                setwhy(why, whylen,
                       "levels.json: scale %s level %u needs id, name and an integer rank", sid, j);
                return SKL_ERR_SCHEMA;
            }
            if (level_index(rd, id) >= 0 || rd->nlevels == MAX_LEVELS) {
                setwhy(why, whylen, "levels.json: level \"%s\" listed twice (or too many)", id);
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

/* Adds or replaces one occupation in the list being built. */
static skl_err
occ_put(occ_ent **list, size_t *n, size_t *cap, const occ_ent *e)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].code, e->code) == 0 && strcmp((*list)[i].edition, e->edition) == 0)
            return SKL_ERR_DUPLICATE;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        occ_ent *p = realloc(*list, nc * sizeof *p);
        if (p == NULL)
            return SKL_ERR_NOMEM;
        *list = p;
        *cap = nc;
    }
    (*list)[(*n)++] = *e;
    return SKL_OK;
}

/* Parses a levels list (JSON array or ';'-separated text) into e. */
static int
occ_levels_text(const skl_refdata *rd, occ_ent *e, const char *s, size_t n, const char **bad,
                size_t *badlen)
{
    e->levels_known = 1;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        int found = -1;
        for (size_t k = 0; k < rd->nlevels; k++)
            if (strlen(rd->levels[k].id) == j - i && memcmp(rd->levels[k].id, s + i, j - i) == 0)
                found = (int)k;
        if (found < 0 || strcmp(rd->levels[found].scale, "skill") != 0) {
            *bad = s + i;
            *badlen = j - i;
            return -1;
        }
        e->levels |= (uint64_t)1 << found;
        i = j + 1;
    }
    return 0;
}

/*
 * Parses an occupations document (root already header-checked) into list. name is the
 * file name for messages.
 */
static skl_err
occ_from_json(const skl_refdata *rd, const skl_json_value *root, const char *name, occ_ent **list,
              size_t *n, size_t *cap, char *why, size_t whylen)
{
    static const char *const om[] = {"code", "edition", "name", "levels", "tags", NULL};
    const char *bad;
    const skl_json_value *a = obj_array(root, "occupations", 100000, name, why, whylen);
    if (a == NULL)
        return SKL_ERR_SCHEMA;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i], *lv = skl_json_get(o, "levels"),
                             *tg = skl_json_get(o, "tags");
        const char *code = str_of(skl_json_get(o, "code"));
        const char *ed = str_of(skl_json_get(o, "edition"));
        occ_ent e;
        memset(&e, 0, sizeof e);
        e.name = str_of(skl_json_get(o, "name"));
        if (!only_members(o, om, &bad)) {
            setwhy(why, whylen, "%s: occupations[%u]: unknown member \"%s\"", name, i, bad);
            return SKL_ERR_SCHEMA;
        }
        if (code == NULL || !is_occ_code(code) || ed == NULL || !is_edition(ed) || e.name == NULL) {
            setwhy(why, whylen, "%s: occupations[%u]: needs code D-DD-DD-DD, edition and name",
                   name, i);
            return SKL_ERR_SCHEMA;
        }
        memcpy(e.code, code, 11);
        memcpy(e.edition, ed, 5);
        if (lv != NULL) {
            if (lv->type != SKL_JSON_ARRAY) {
                setwhy(why, whylen, "%s: occupations[%u].levels is not an array", name, i);
                return SKL_ERR_SCHEMA;
            }
            e.levels_known = 1;
            for (uint32_t j = 0; j < lv->n; j++) {
                const char *l = str_of(&lv->u.arr[j]);
                size_t bl;
                if (l == NULL || occ_levels_text(rd, &e, l, strlen(l), &bad, &bl) != 0) {
                    setwhy(why, whylen, "%s: occupations[%u].levels[%u] is not a skill level", name,
                           i, j);
                    return SKL_ERR_SCHEMA;
                }
            }
        }
        if (tg != NULL) {
            if (tg->type != SKL_JSON_ARRAY || tg->n > 2) {
                setwhy(why, whylen, "%s: occupations[%u].tags is not an array of S/L", name, i);
                return SKL_ERR_SCHEMA;
            }
            for (uint32_t j = 0; j < tg->n; j++) {
                const char *t = str_of(&tg->u.arr[j]);
                if (t == NULL || (strcmp(t, "S") && strcmp(t, "L")) || strchr(e.tags, t[0])) {
                    setwhy(why, whylen, "%s: occupations[%u].tags[%u] is not S or L", name, i, j);
                    return SKL_ERR_SCHEMA;
                }
                e.tags[strlen(e.tags)] = t[0];
            }
        }
        skl_err rc = occ_put(list, n, cap, &e);
        if (rc == SKL_ERR_DUPLICATE)
            setwhy(why, whylen, "%s: occupations[%u]: %s (%s) listed twice", name, i, code, ed);
        if (rc != SKL_OK)
            return rc == SKL_ERR_DUPLICATE ? SKL_ERR_SCHEMA : rc;
    }
    return SKL_OK;
}

static skl_err
load_occupations_default(skl_refdata *rd, char *why, size_t whylen)
{
    static const char *const body[] = {"editions", "occupations", NULL};
    const skl_json_value *root;
    size_t cap = 0;
    skl_err rc = load_embedded(rd, "occupations", body, &root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    const skl_json_value *ed = skl_json_get(root, "editions");
    if (ed->type != SKL_JSON_ARRAY || ed->n == 0 || ed->n > 8) {
        setwhy(why, whylen, "occupations.json: editions must list 1 to 8 editions");
        return SKL_ERR_SCHEMA;
    }
    for (uint32_t i = 0; i < ed->n; i++) {
        const char *e = str_of(&ed->u.arr[i]);
        if (e == NULL || !is_edition(e)) {
            setwhy(why, whylen, "occupations.json: editions[%u] is not a year", i);
            return SKL_ERR_SCHEMA;
        }
        rd->editions[rd->neditions++] = e;
    }
    rc = occ_from_json(rd, root, "occupations.json", &rd->occ, &rd->nocc, &cap, why, whylen);
    if (rc != SKL_OK)
        return rc;
    for (size_t i = 0; i < rd->nocc; i++)
        if (!skl_refdata_edition_known(rd, rd->occ[i].edition)) {
            setwhy(why, whylen, "occupations.json: %s has edition %s, not in editions",
                   rd->occ[i].code, rd->occ[i].edition);
            return SKL_ERR_SCHEMA;
        }
    qsort(rd->occ, rd->nocc, sizeof *rd->occ, occ_cmp);
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
    skl_err rc = load_embedded(rd, file, body, &root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    if ((a = obj_array(root, key, 1000, fname, why, whylen)) == NULL)
        return SKL_ERR_SCHEMA;
    named_table *nt = &rd->tables[t];
    nt->table = table;
    if (a->n > 0 && (nt->e = calloc(a->n, sizeof *nt->e)) == NULL)
        return SKL_ERR_NOMEM;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i];
        const char *id = str_of(skl_json_get(o, "id"));
        const char *name = str_of(skl_json_get(o, "name"));
        if (!only_members(o, members, &bad)) {
            setwhy(why, whylen, "%s: %s[%u]: unknown member \"%s\"", fname, key, i, bad);
            return SKL_ERR_SCHEMA;
        }
        if (id == NULL || name == NULL) {
            setwhy(why, whylen, "%s: %s[%u] needs an id and a name", fname, key, i);
            return SKL_ERR_SCHEMA;
        }
        for (size_t j = 0; j < nt->n; j++)
            if (strcmp(nt->e[j].id, id) == 0) {
                setwhy(why, whylen, "%s: id \"%s\" listed twice", fname, id);
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
        if (p != NULL &&
            (str_of(p) == NULL || skl_refdata_name(rd, "training-types", str_of(p)) == NULL)) {
            setwhy(why, whylen, "training-types.json: trainingTypes[%u].parent is not an id", i);
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
        e->id = str_of(skl_json_get(o, "id"));
        e->name = str_of(skl_json_get(o, "name"));
        e->occupation = presence_of(str_of(skl_json_get(o, "occupation")), &ok);
        e->level = presence_of(str_of(skl_json_get(o, "level")), &ok);
        e->certificate_number = presence_of(str_of(skl_json_get(o, "certificateNumber")), &ok);
        if (!ok || sc == NULL || lv == NULL || ev == NULL || lv->type != SKL_JSON_ARRAY ||
            ev->type != SKL_JSON_ARRAY) {
            setwhy(why, whylen,
                   "evaluation-types.json: %s needs occupation, level, certificateNumber "
                   "(required|optional|forbidden), scale, levels and evaluators",
                   e->id);
            return SKL_ERR_SCHEMA;
        }
        if (sc->type == SKL_JSON_NULL) {
            e->scale = NULL;
        } else {
            e->scale = str_of(sc);
            size_t j = 0;
            while (e->scale != NULL && j < rd->nscales && strcmp(rd->scales[j], e->scale) != 0)
                j++;
            if (e->scale == NULL || j == rd->nscales) {
                setwhy(why, whylen, "evaluation-types.json: %s: scale is not in levels.json",
                       e->id);
                return SKL_ERR_SCHEMA;
            }
        }
        if ((e->scale == NULL) != (e->level == SKL_PRESENCE_FORBIDDEN) ||
            (e->scale == NULL) != (lv->n == 0)) {
            setwhy(why, whylen,
                   "evaluation-types.json: %s: a scale and levels go with a level that is not "
                   "forbidden",
                   e->id);
            return SKL_ERR_SCHEMA;
        }
        /* The level strings are in the document already: point an array at them. */
        const char **ls = NULL;
        if (lv->n > 0) {
            if ((ls = calloc(lv->n, sizeof *ls)) == NULL || keep(rd, ls, 0) != 0) {
                free(ls);
                return SKL_ERR_NOMEM;
            }
        }
        for (uint32_t j = 0; j < lv->n; j++) {
            ls[j] = str_of(&lv->u.arr[j]);
            if (ls[j] == NULL || !skl_refdata_level_on_scale(rd, ls[j], e->scale)) {
                setwhy(why, whylen, "evaluation-types.json: %s: levels[%u] is not on scale %s",
                       e->id, j, e->scale);
                return SKL_ERR_SCHEMA;
            }
        }
        e->levels = ls;
        e->nlevels = lv->n;
        for (uint32_t j = 0; j < ev->n; j++) {
            const char *s = str_of(&ev->u.arr[j]);
            if (s != NULL && strcmp(s, "Y") == 0 && !e->evaluator_y)
                e->evaluator_y = 1;
            else if (s != NULL && strcmp(s, "S") == 0 && !e->evaluator_s)
                e->evaluator_s = 1;
            else {
                setwhy(why, whylen, "evaluation-types.json: %s: evaluators[%u] is not Y or S",
                       e->id, j);
                return SKL_ERR_SCHEMA;
            }
        }
        if (!e->evaluator_y && !e->evaluator_s) {
            setwhy(why, whylen, "evaluation-types.json: %s: no evaluators", e->id);
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
        h->id = str_of(skl_json_get(o, "id"));
        h->name = str_of(skl_json_get(o, "name"));
        h->tier = str_of(skl_json_get(o, "tier"));
        if (h->tier == NULL || (strcmp(h->tier, "district") && strcmp(h->tier, "city") &&
                                strcmp(h->tier, "national"))) {
            setwhy(why, whylen, "honours.json: %s: tier is not district, city or national", h->id);
            return SKL_ERR_SCHEMA;
        }
        if (pre == NULL || pre->type != SKL_JSON_ARRAY || pre->n > 16) {
            setwhy(why, whylen, "honours.json: %s: prerequisites must be an array (<= 16)", h->id);
            return SKL_ERR_SCHEMA;
        }
        if (pre->n > 0) {
            if ((h->pre = calloc(pre->n, sizeof *h->pre)) == NULL)
                return SKL_ERR_NOMEM;
        }
        for (uint32_t j = 0; j < pre->n; j++) {
            const skl_json_value *p = &pre->u.arr[j];
            skl_refdata_prereq *q = &h->pre[h->npre++];
            if (p->type != SKL_JSON_OBJECT || !only_members(p, pm, &bad)) {
                setwhy(why, whylen, "honours.json: %s: prerequisites[%u] is malformed", h->id, j);
                return SKL_ERR_SCHEMA;
            }
            q->kind = str_of(skl_json_get(p, "kind"));
            q->min_level = str_of(skl_json_get(p, "minLevel"));
            q->title = str_of(skl_json_get(p, "title"));
            int ok = q->kind != NULL;
            if (ok && strcmp(q->kind, "certification") == 0)
                ok = q->title == NULL && q->min_level != NULL && level_index(rd, q->min_level) >= 0;
            else if (ok && strcmp(q->kind, "honour") == 0)
                ok = q->min_level == NULL && q->title != NULL;
            else
                ok = 0;
            if (!ok) {
                setwhy(why, whylen,
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
                setwhy(why, whylen, "honours.json: %s: prerequisite title %s is not an honour",
                       rd->honours[i].id, t);
                return SKL_ERR_SCHEMA;
            }
        }
    return SKL_OK;
}

static skl_err
build_version(skl_refdata *rd)
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
        (rc = load_occupations_default(rd, why, whylen)) != SKL_OK ||
        (rc = load_training_types(rd, why, whylen)) != SKL_OK ||
        (rc = load_named(rd, T_FUNDING, "funding-modes", "funding-modes", "fundingModes", plain_m,
                         NULL, why, whylen)) != SKL_OK ||
        (rc = load_named(rd, T_DELIVERY, "delivery-modes", "delivery-modes", "deliveryModes",
                         plain_m, NULL, why, whylen)) != SKL_OK ||
        (rc = load_evaluation_types(rd, why, whylen)) != SKL_OK ||
        (rc = load_honours(rd, why, whylen)) != SKL_OK ||
        (rc = load_named(rd, T_TIER, "competition-tiers", "competition-tiers", "competitionTiers",
                         tier_m, NULL, why, whylen)) != SKL_OK ||
        (rc = build_version(rd)) != SKL_OK)
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

/* Reads a whole file (at most DATA_MAX_BYTES) into a malloc'd NUL-terminated buffer. */
static skl_err
read_all(const char *path, char **out, size_t *len, char *why, size_t whylen)
{
    skl_err rc = SKL_ERR_IO;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        setwhy(why, whylen, "%s: %s", path, strerror(errno));
        return SKL_ERR_IO;
    }
    if ((buf = malloc(DATA_MAX_BYTES + 1)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    n = fread(buf, 1, DATA_MAX_BYTES + 1, f);
    if (ferror(f)) {
        setwhy(why, whylen, "%s: read error", path);
        goto out;
    }
    if (n > DATA_MAX_BYTES) {
        setwhy(why, whylen, "%s: larger than %u bytes", path, DATA_MAX_BYTES);
        rc = SKL_ERR_LIMIT;
        goto out;
    }
    char *small = realloc(buf, n + 1);
    if (small != NULL)
        buf = small;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = SKL_OK;
out:
    free(buf);
    fclose(f);
    return rc;
}

/* Parses CSV text (modified in place: fields are NUL-terminated) into list. */
static skl_err
occ_from_csv(const skl_refdata *rd, char *text, size_t len, const char *name, occ_ent **list,
             size_t *n, size_t *cap, char *why, size_t whylen)
{
    size_t line = 0;
    char *p = text, *end = text + len;
    if (memchr(text, '\0', len) != NULL) {
        setwhy(why, whylen, "%s: holds a NUL byte", name);
        return SKL_ERR_PARSE;
    }
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        *eol = '\0';
        line++;
        char *l = p;
        p = eol + 1;
        size_t ll = strlen(l);
        if (ll > 0 && l[ll - 1] == '\r')
            l[--ll] = '\0';
        if (line == 1 && ll >= 3 && memcmp(l, "\xEF\xBB\xBF", 3) == 0) /* a BOM */
            l += 3, ll -= 3;
        if (ll == 0 || (line == 1 && strncmp(l, "code,", 5) == 0))
            continue;
        char *f[5] = {0};
        int nf = 0;
        for (char *s = l; nf < 5;) {
            f[nf++] = s;
            char *c = strchr(s, ',');
            if (c == NULL)
                break;
            *c = '\0';
            s = c + 1;
        }
        if (nf < 3 || nf > 4) {
            setwhy(why, whylen, "%s line %zu: expected code,edition,name[,levels]", name, line);
            return SKL_ERR_PARSE;
        }
        if (!is_occ_code(f[0])) {
            setwhy(why, whylen, "%s line %zu: code \"%.32s\" is not D-DD-DD-DD", name, line, f[0]);
            return SKL_ERR_SCHEMA;
        }
        if (!skl_refdata_edition_known(rd, f[1])) {
            setwhy(why, whylen, "%s line %zu: edition \"%.32s\" is not a known edition", name, line,
                   f[1]);
            return SKL_ERR_SCHEMA;
        }
        if (f[2][0] == '\0' || strchr(f[2], '"') != NULL) {
            setwhy(why, whylen, "%s line %zu: the name is empty or quoted", name, line);
            return SKL_ERR_PARSE;
        }
        occ_ent e;
        memset(&e, 0, sizeof e);
        memcpy(e.code, f[0], 11);
        memcpy(e.edition, f[1], 5);
        e.name = f[2];
        const char *bad;
        size_t bl;
        if (nf == 4 &&
            (f[3][0] == '\0' || occ_levels_text(rd, &e, f[3], strlen(f[3]), &bad, &bl) != 0)) {
            setwhy(why, whylen, "%s line %zu: levels \"%.32s\" is not a ';' list of skill levels",
                   name, line, f[3]);
            return SKL_ERR_SCHEMA;
        }
        skl_err rc = occ_put(list, n, cap, &e);
        if (rc == SKL_ERR_DUPLICATE) {
            setwhy(why, whylen, "%s line %zu: %s (%s) listed twice", name, line, e.code, e.edition);
            return SKL_ERR_SCHEMA;
        }
        if (rc != SKL_OK)
            return rc;
    }
    if (*n == 0) {
        setwhy(why, whylen, "%s: no occupations", name);
        return SKL_ERR_SCHEMA;
    }
    return SKL_OK;
}

skl_err
skl_refdata_load_occupations(skl_refdata *rd, const char *path, char *why, size_t whylen)
{
    static const char *const body[] = {"occupations", "?editions", NULL};
    char *text = NULL, *extra = NULL, *oldv = NULL;
    occ_ent *list = NULL, *merged = NULL;
    size_t len = 0, n = 0, cap = 0, nkeep = rd->nkeep;
    const char *base = strrchr(path, '/'), *ver = NULL;
    const skl_json_value *root;
    base = base ? base + 1 : path;
    skl_err rc = read_all(path, &text, &len, why, whylen);
    if (rc != SKL_OK)
        return rc;
    size_t bl = strlen(base);
    if (bl >= 5 && strcmp(base + bl - 5, ".json") == 0) {
        rc = open_doc(rd, text, len, base, body, &root, &ver, why, whylen);
        if (rc == SKL_OK)
            rc = occ_from_json(rd, root, base, &list, &n, &cap, why, whylen);
    } else {
        rc = occ_from_csv(rd, text, len, base, &list, &n, &cap, why, whylen);
        ver = base;
        if (rc == SKL_OK && keep(rd, text, 0) != 0)
            rc = SKL_ERR_LIMIT;
        else if (rc == SKL_OK)
            text = NULL;
    }
    if (rc != SKL_OK)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (!skl_refdata_edition_known(rd, list[i].edition)) {
            setwhy(why, whylen, "%s: %s has edition %s, not a known edition", base, list[i].code,
                   list[i].edition);
            rc = SKL_ERR_SCHEMA;
            goto out;
        }
    /* Merge: the new entries replace old ones with the same code and edition. */
    if ((merged = malloc((rd->nocc + n) * sizeof *merged)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    qsort(list, n, sizeof *list, occ_cmp);
    size_t m = 0;
    for (size_t i = 0; i < rd->nocc; i++)
        if (bsearch(&rd->occ[i], list, n, sizeof *list, occ_cmp) == NULL)
            merged[m++] = rd->occ[i];
    memcpy(merged + m, list, n * sizeof *list);
    m += n;
    qsort(merged, m, sizeof *merged, occ_cmp);
    size_t el = (rd->occ_extra ? strlen(rd->occ_extra) + 1 : 0) + strlen(ver) + 3;
    if ((extra = malloc(el)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    snprintf(extra, el, "%s%s+ %s", rd->occ_extra ? rd->occ_extra : "", rd->occ_extra ? " " : "",
             ver);
    oldv = rd->occ_extra;
    rd->occ_extra = extra;
    if ((rc = build_version(rd)) != SKL_OK) {
        rd->occ_extra = oldv;
        oldv = extra;
        goto out;
    }
    extra = NULL;
    free(rd->occ);
    rd->occ = merged;
    rd->nocc = m;
    merged = NULL;
    nkeep = rd->nkeep;
out:
    /* On failure, drop what this call kept (its document or CSV text). */
    while (rd->nkeep > nkeep) {
        rd->nkeep--;
        if (rd->keep_doc[rd->nkeep])
            skl_json_free(rd->keep[rd->nkeep]);
        else
            free(rd->keep[rd->nkeep]);
    }
    free(oldv);
    free(extra);
    free(merged);
    free(list);
    free(text);
    return rc;
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
