/*
 * json_int.h - canonical JSON writing primitives shared inside libskl.
 * All return 0, or -1 when out of memory (the buffer's oom flag is then set).
 */
#ifndef SKL_JSON_INT_H
#define SKL_JSON_INT_H

#include <string.h>

#include "buf_int.h"
#include "skl/json.h"

/* 1 if member m is named name. Compares the whole key: a key may hold U+0000, where a
 * C string would end, so "kind\u0000" is not "kind". */
static inline int
skl_json_key_is(const skl_json_member *m, const char *name)
{
    size_t n = strlen(name);
    return m->key_len == n && memcmp(m->key, name, n) == 0;
}

/*
 * skl_json_parse() for text that outlives the document: containers whose text is already
 * canonical remember it, and skl_json_canon_buf() then copies that text instead of
 * rewriting it. The caller keeps text[0..len) unchanged until skl_json_free().
 */
skl_err skl_json_parse_keep(skl_json_doc **out, const char *text, size_t len, size_t max_len,
                            char *why, size_t whylen);

/* Appends the RFC 8785 canonical form of v. */
int skl_json_canon_buf(skl_buf *b, const skl_json_value *v);

/* Appends the canonical form of object obj without its member named skip (which may be
 * absent). obj must be an object. */
int skl_json_canon_object_except(skl_buf *b, const skl_json_value *obj, const char *skip);

/* Appends s[0..n) (UTF-8, already valid) as a canonical JSON string literal, quotes included. */
int skl_json_write_string(skl_buf *b, const char *s, size_t n);

/* Appends the ECMAScript (JCS) form of a finite double. */
int skl_json_write_number(skl_buf *b, double d);

/* Compares two UTF-8 keys by their UTF-16 code units, as RFC 8785 orders keys:
 * <0, 0, >0. */
int skl_json_key_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
