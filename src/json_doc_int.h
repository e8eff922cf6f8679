/*
 * json_doc_int.h - the JSON document arena, shared by the parser and the document
 * functions (private to libskl). One document = one arena: a first block sized from the
 * input length (the document header lives at its start) plus, rarely, more blocks.
 */
#ifndef SKL_JSON_DOC_INT_H
#define SKL_JSON_DOC_INT_H

#include <stdint.h>
#include <stdlib.h>

#include "skl/json.h"

typedef struct arena_block {
    struct arena_block *next;
    size_t pad_; /* keeps the data after the header 16-byte aligned */
} arena_block;

struct skl_json_doc {
    skl_json_value root;
    int keep_source;     /* while parsing: record source_text for canonical containers */
    arena_block *blocks; /* extra blocks; the first one is this allocation */
    char *cur;           /* bump region, used only while parsing */
    size_t left;
    size_t next_size;
};

#define DOC_HDR ((sizeof(struct skl_json_doc) + 15) & ~(size_t)15)

static inline void *
arena_alloc(skl_json_doc *d, size_t n, size_t align)
{
    size_t mis = (size_t)(uintptr_t)d->cur & (align - 1);
    size_t skip = mis ? align - mis : 0;
    if (d->left < skip || d->left - skip < n) {
        size_t sz = d->next_size;
        if (sz < n)
            sz = n;
        if (sz > SIZE_MAX - sizeof(arena_block))
            return NULL;
        arena_block *b = malloc(sizeof(arena_block) + sz);
        if (b == NULL)
            return NULL;
        b->next = d->blocks;
        d->blocks = b;
        d->cur = (char *)(b + 1);
        d->left = sz;
        if (d->next_size < ((size_t)1 << 26))
            d->next_size *= 2;
        skip = 0;
    }
    char *p = d->cur + skip;
    d->cur = p + n;
    d->left -= skip + n;
    return p;
}

/* Gives back the unused tail of the most recent allocation. */
static inline void
arena_shrink_last(skl_json_doc *d, size_t unused)
{
    d->cur -= unused;
    d->left += unused;
}

/*
 * Precedes the elements (or members) of every non-empty container in the arena.
 * source_text is the container's own text in the parsed input when that text is already
 * in RFC 8785 canonical form and the document was parsed with skl_json_parse_keep(), else
 * NULL.
 */
typedef struct container_head {
    const char *source_text;
    size_t source_len;
} container_head;

/* The head of non-empty container v (an array or object made by the parser). */
static inline const container_head *
container_head_of(const skl_json_value *v)
{
    const void *elems = v->type == SKL_JSON_OBJECT ? (const void *)v->u.obj : (const void *)v->u.arr;
    return (const container_head *)elems - 1;
}

/*
 * The double nearest the number whose decimal digits are ip[0..ilen) ++ fp[0..flen), times
 * 10^e (json_number.c). Exact when possible, else as strtod reads it in any locale; too
 * large gives HUGE_VAL, too small 0. Returns 0, or -1 when out of memory.
 */
int skl_json_decimal_to_double(const unsigned char *ip, size_t ilen, const unsigned char *fp,
                               size_t flen, int64_t e, double *out);

/* A new empty document whose first arena block suits an input of len bytes, or NULL. */
skl_json_doc *skl_json_doc_new(size_t len);

#endif
