/*
 * skl/json.h - strict, bounded JSON parsing and RFC 8785 (JCS) canonical output.
 *
 * skl_json_parse() reads RFC 8259 JSON under the I-JSON (RFC 7493) restrictions that
 * RFC 8785 relies on, and refuses: duplicate object keys, invalid UTF-8, lone or
 * mismatched surrogate escapes, numbers that are not finite IEEE doubles, nesting deeper
 * than SKL_JSON_MAX_DEPTH, input longer than the caller's limit, and trailing garbage.
 *
 * A parsed document owns all its values in one arena: values stay valid until
 * skl_json_free(). Object members are kept sorted in canonical order (by UTF-16 code
 * units of the key), so canonical output is a plain walk and lookups are a binary search.
 *
 * Values are made only by the parser: skl_json_canonicalize() reads what it laid out
 * around a container, so a value built by hand is not one to pass in.
 *
 * Thread safety: a document may be read from several threads at once; nothing is shared
 * between documents.
 */
#ifndef SKL_JSON_H
#define SKL_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_JSON_MAX_DEPTH 64

typedef enum skl_json_type {
    SKL_JSON_NULL,
    SKL_JSON_FALSE,
    SKL_JSON_TRUE,
    SKL_JSON_NUMBER,
    SKL_JSON_STRING,
    SKL_JSON_ARRAY,
    SKL_JSON_OBJECT
} skl_json_type;

typedef struct skl_json_value skl_json_value;
typedef struct skl_json_member skl_json_member;
typedef struct skl_json_doc skl_json_doc;

struct skl_json_value {
    skl_json_type type;
    uint32_t n; /* STRING: bytes (without NUL); ARRAY: elements; OBJECT: members */
    union {
        double num;           /* NUMBER (finite; -0 is kept and written as 0) */
        const char *str;      /* STRING: decoded UTF-8, NUL-terminated, may hold U+0000 */
        skl_json_value *arr;  /* ARRAY: n elements */
        skl_json_member *obj; /* OBJECT: n members in canonical key order */
    } u;
};

struct skl_json_member {
    const char *key; /* decoded UTF-8, NUL-terminated */
    uint32_t key_len;
    skl_json_value value;
};

/*
 * Parses text[0..len). len must not exceed max_len (else SKL_ERR_LIMIT). On success
 * *out is a new document the caller frees with skl_json_free(). On failure *out is NULL
 * and, if why is not NULL, why[0..whylen) receives one line such as
 * "byte 17: duplicate key \"id\"". Returns SKL_OK, SKL_ERR_PARSE, SKL_ERR_LIMIT or
 * SKL_ERR_NOMEM. The text need not be NUL-terminated; it is not referenced afterwards.
 */
skl_err skl_json_parse(skl_json_doc **out, const char *text, size_t len, size_t max_len, char *why,
                       size_t whylen);

/* The root value of a parsed document. */
const skl_json_value *skl_json_root(const skl_json_doc *doc);

/* Frees a document and every value in it. Accepts NULL. */
void skl_json_free(skl_json_doc *doc);

/* The member of object obj named key (NUL-terminated), or NULL if obj is not an object
 * or has no such member. */
const skl_json_value *skl_json_get(const skl_json_value *obj, const char *key);

/* The string of v if v is a string, else NULL. */
const char *skl_json_string(const skl_json_value *v);

/*
 * Writes the RFC 8785 canonical form of v into a new malloc'd, NUL-terminated buffer
 * *out of *outlen bytes (NUL not counted). Returns SKL_OK or SKL_ERR_NOMEM.
 */
skl_err skl_json_canonicalize(const skl_json_value *v, char **out, size_t *outlen);

#ifdef __cplusplus
}
#endif
#endif
