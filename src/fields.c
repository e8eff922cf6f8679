/* fields.c - the roster header table of spec/data/fields.json: header aliases, value aliases
 * and the fields that hold the worker's identity, loaded once and then only read. */
#include "skl/build.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "embed_int.h"
#include "fields_int.h"
#include "skl/json.h"

#define FIELDS_FILE "fields.json"

/* ------------------------------------------------------------------------------------------ */
/* Text helpers                                                                                */

/* Length of the blank (ASCII space, tab, CR, LF, U+3000) at s[0..n), or 0. */
size_t
skl_field_blank_at(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (n >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
        (unsigned char)s[2] == 0x80)
        return 3;
    return 0;
}

/* Trims blanks from both ends of s: *b, *len. */
void
skl_field_trim(const char *s, const char **b, size_t *len)
{
    size_t n = strlen(s), k;
    while ((k = skl_field_blank_at(s, n)) > 0) {
        s += k;
        n -= k;
    }
    for (;;) {
        if (n >= 1 && skl_field_blank_at(s + n - 1, 1) == 1)
            n--;
        else if (n >= 3 && skl_field_blank_at(s + n - 3, 3) == 3)
            n -= 3;
        else
            break;
    }
    *b = s;
    *len = n;
}

/* The matching key of s: trimmed, ASCII case folded, full-width （）／ made ASCII, runs of
 * blanks one space. A new malloc'd string, or NULL when out of memory. */
static char *
norm_key(const char *s)
{
    skl_buf b = SKL_BUF_INIT;
    const char *p;
    size_t n, i = 0;
    int space = 0;
    skl_field_trim(s, &p, &n);
    while (i < n) {
        size_t k = skl_field_blank_at(p + i, n - i);
        if (k > 0) {
            space = 1;
            i += k;
            continue;
        }
        if (space)
            skl_buf_putc(&b, ' ');
        space = 0;
        const unsigned char *u = (const unsigned char *)p + i;
        if (n - i >= 3 && u[0] == 0xEF && u[1] == 0xBC &&
            (u[2] == 0x88 || u[2] == 0x89 || u[2] == 0x8F)) {
            skl_buf_putc(&b, u[2] == 0x88 ? '(' : u[2] == 0x89 ? ')' : '/');
            i += 3;
            continue;
        }
        char c = p[i++];
        skl_buf_putc(&b, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
    if (!skl_buf_ok(&b)) {
        skl_buf_free(&b);
        return NULL;
    }
    return skl_buf_take(&b, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* fields.json: header aliases, value aliases, personal fields (loaded once)                   */

typedef struct alias {
    char *key;         /* normalized alias */
    const char *field; /* canonical field name (in the parsed document) */
    const char *canon; /* value aliases: the canonical value; NULL for header aliases */
    const char *shown; /* value aliases: the value's display name (its first alias) */
} alias;

static struct {
    skl_json_doc *doc;
    alias *hdr;
    size_t nhdr;
    alias *val;
    size_t nval;
    const char **personal;
    size_t npersonal;
    int ok;
    char err[200];
} g_tab;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static int
add_alias(alias **arr, size_t *n, const char *text, const char *field, const char *canon,
          const char *shown)
{
    alias *p = realloc(*arr, (*n + 1) * sizeof *p);
    if (p == NULL)
        return -1;
    *arr = p;
    char *key = norm_key(text);
    if (key == NULL)
        return -1;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(p[i].key, key) == 0 && (canon != NULL) == (p[i].canon != NULL) &&
            (canon == NULL || strcmp(p[i].field, field) == 0)) {
            int same =
                strcmp(p[i].field, field) == 0 && (canon == NULL || strcmp(p[i].canon, canon) == 0);
            if (!same)
                snprintf(g_tab.err, sizeof g_tab.err, "%s: alias \"%s\" of %s is also one of %s",
                         FIELDS_FILE, text, field, p[i].field);
            free(key);
            return same ? 0 : -2;
        }
    p[*n].key = key;
    p[*n].field = field;
    p[*n].canon = canon;
    p[*n].shown = shown;
    (*n)++;
    return 0;
}

/* Loads the table; on any problem g_tab.ok stays 0 and g_tab.err says why. */
static void
load_fields(void)
{
    size_t len;
    const char *text = skl_embedded_find(FIELDS_FILE, &len);
    char why[160];
    if (text == NULL) {
        snprintf(g_tab.err, sizeof g_tab.err, "%s is not compiled into the library", FIELDS_FILE);
        return;
    }
    if (skl_json_parse(&g_tab.doc, text, len, len, why, sizeof why) != SKL_OK) {
        snprintf(g_tab.err, sizeof g_tab.err, "%s: %s", FIELDS_FILE, why);
        return;
    }
    const skl_json_value *fields = skl_json_get(skl_json_root(g_tab.doc), "fields");
    if (fields == NULL || fields->type != SKL_JSON_OBJECT ||
        skl_json_string(skl_json_get(skl_json_root(g_tab.doc), "version")) == NULL) {
        snprintf(g_tab.err, sizeof g_tab.err, "%s: no \"version\" or \"fields\" object",
                 FIELDS_FILE);
        return;
    }
    for (uint32_t i = 0; i < fields->n; i++) {
        const skl_json_member *m = &fields->u.obj[i];
        const skl_json_value *al = skl_json_get(&m->value, "aliases");
        const skl_json_value *pers = skl_json_get(&m->value, "personal");
        const skl_json_value *vals = skl_json_get(&m->value, "values");
        if (al == NULL || al->type != SKL_JSON_ARRAY || al->n == 0 ||
            (pers != NULL && pers->type != SKL_JSON_TRUE && pers->type != SKL_JSON_FALSE) ||
            (vals != NULL && vals->type != SKL_JSON_OBJECT)) {
            snprintf(g_tab.err, sizeof g_tab.err, "%s: field %s is malformed", FIELDS_FILE, m->key);
            return;
        }
        int r = add_alias(&g_tab.hdr, &g_tab.nhdr, m->key, m->key, NULL, NULL);
        for (uint32_t j = 0; r == 0 && j < al->n; j++) {
            const char *s = skl_json_string(&al->u.arr[j]);
            if (s == NULL) {
                snprintf(g_tab.err, sizeof g_tab.err, "%s: an alias of %s is not a string",
                         FIELDS_FILE, m->key);
                return;
            }
            r = add_alias(&g_tab.hdr, &g_tab.nhdr, s, m->key, NULL, NULL);
        }
        for (uint32_t j = 0; r == 0 && vals != NULL && j < vals->n; j++) {
            const skl_json_member *v = &vals->u.obj[j];
            if (v->value.type != SKL_JSON_ARRAY || v->value.n == 0) {
                snprintf(g_tab.err, sizeof g_tab.err, "%s: values of %s are malformed", FIELDS_FILE,
                         m->key);
                return;
            }
            const char *shown = skl_json_string(&v->value.u.arr[0]);
            r = add_alias(&g_tab.val, &g_tab.nval, v->key, m->key, v->key, shown);
            for (uint32_t k = 0; r == 0 && k < v->value.n; k++) {
                const char *s = skl_json_string(&v->value.u.arr[k]);
                if (s == NULL) {
                    snprintf(g_tab.err, sizeof g_tab.err,
                             "%s: a value alias of %s is not a "
                             "string",
                             FIELDS_FILE, m->key);
                    return;
                }
                r = add_alias(&g_tab.val, &g_tab.nval, s, m->key, v->key, shown);
            }
        }
        if (r == -1) {
            snprintf(g_tab.err, sizeof g_tab.err, "out of memory loading %s", FIELDS_FILE);
            return;
        }
        if (r != 0)
            return;
        if (pers != NULL && pers->type == SKL_JSON_TRUE) {
            const char **p = realloc(g_tab.personal, (g_tab.npersonal + 1) * sizeof *p);
            if (p == NULL) {
                snprintf(g_tab.err, sizeof g_tab.err, "out of memory loading %s", FIELDS_FILE);
                return;
            }
            g_tab.personal = p;
            p[g_tab.npersonal++] = m->key;
        }
    }
    g_tab.ok = 1;
}

static int
table(void)
{
    pthread_once(&g_once, load_fields);
    return g_tab.ok;
}

const char *
skl_field_load_error(void)
{
    return table() ? NULL : g_tab.err;
}

const char *
skl_field_for_header(const char *header)
{
    if (header == NULL || !table())
        return NULL;
    char *key = norm_key(header);
    const char *field = NULL;
    if (key == NULL)
        return NULL;
    for (size_t i = 0; i < g_tab.nhdr && field == NULL; i++)
        if (strcmp(g_tab.hdr[i].key, key) == 0)
            field = g_tab.hdr[i].field;
    free(key);
    return field;
}

int
skl_field_is_personal(const char *field)
{
    /* The worker's identity is refused even if fields.json were damaged. */
    static const char *const always[] = {"name", "idType", "idNumber"};
    if (field == NULL)
        return 0;
    for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
        if (strcmp(field, always[i]) == 0)
            return 1;
    if (!table())
        return 0;
    for (size_t i = 0; i < g_tab.npersonal; i++)
        if (strcmp(field, g_tab.personal[i]) == 0)
            return 1;
    return 0;
}

/* The value alias entry of field matching value (normalized), or NULL. */
static const alias *
value_alias(const char *field, const char *value)
{
    char *key = norm_key(value);
    const alias *hit = NULL;
    if (key == NULL)
        return NULL;
    for (size_t i = 0; i < g_tab.nval && hit == NULL; i++)
        if (strcmp(g_tab.val[i].field, field) == 0 && strcmp(g_tab.val[i].key, key) == 0)
            hit = &g_tab.val[i];
    free(key);
    return hit;
}

const char *
skl_field_value_canon(const char *field, const char *value)
{
    const alias *a = value_alias(field, value);
    return a != NULL ? a->canon : NULL;
}

/* The display name of canonical value canon of field (the first alias), or canon. */
const char *
skl_field_value_shown(const char *field, const char *canon)
{
    for (size_t i = 0; i < g_tab.nval; i++)
        if (strcmp(g_tab.val[i].field, field) == 0 && strcmp(g_tab.val[i].canon, canon) == 0 &&
            g_tab.val[i].shown != NULL)
            return g_tab.val[i].shown;
    return canon;
}
