/*
 * json_doc.c - JSON documents: creating and freeing their arena, the accessors (root,
 * get, string) and the RFC 8785 key order they are sorted in.
 */
#include "json_doc_int.h"
#include "json_int.h"

#include <string.h>

skl_json_doc *
skl_json_doc_new(size_t len)
{
    size_t first = len <= ((size_t)32 << 20) ? 2 * len + 512 : len + ((size_t)16 << 20);
    skl_json_doc *d = malloc(DOC_HDR + first);
    if (d == NULL)
        return NULL;
    memset(d, 0, sizeof *d);
    d->cur = (char *)d + DOC_HDR;
    d->left = first;
    d->next_size = first / 2 > 4096 ? first / 2 : 4096;
    return d;
}

void
skl_json_free(skl_json_doc *doc)
{
    if (doc == NULL)
        return;
    arena_block *b = doc->blocks;
    while (b != NULL) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(doc);
}

const skl_json_value *
skl_json_root(const skl_json_doc *doc)
{
    return doc ? &doc->root : NULL;
}

/* ---------------------------------------------------------------- key order ---- */

/*
 * UTF-8 byte order is code point order. UTF-16 order differs only in that code points
 * above U+FFFF (surrogate pairs, D800..DFFF) sort before U+E000..U+FFFF. In UTF-8 those
 * are the lead bytes F0..F4 against EE..EF. Equal prefixes mean equal character
 * boundaries, so the first differing byte is either a continuation byte in both (same
 * class of character, byte order holds) or a lead byte in both.
 */
int
skl_json_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t n = alen < blen ? alen : blen;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            unsigned cx = x[i], cy = y[i];
            if (cx >= 0xEE && cy >= 0xEE && ((cx >= 0xF0) != (cy >= 0xF0)))
                return cx >= 0xF0 ? -1 : 1;
            return (int)cx - (int)cy;
        }
    }
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

const skl_json_value *
skl_json_get(const skl_json_value *obj, const char *key)
{
    if (obj == NULL || key == NULL || obj->type != SKL_JSON_OBJECT)
        return NULL;
    size_t klen = strlen(key);
    /* Small objects (nearly all of a credential's) are scanned: equal lengths first, so
     * few keys get compared at all. */
    if (obj->n <= 12) {
        for (uint32_t i = 0; i < obj->n; i++) {
            const skl_json_member *m = &obj->u.obj[i];
            if (m->key_len == klen && memcmp(m->key, key, klen) == 0)
                return &m->value;
        }
        return NULL;
    }
    /* An ASCII key (every key skl looks up) orders against any other as memcmp does: the
     * UTF-16 correction of skl_json_key_cmp needs two differing bytes >= 0xEE. */
    unsigned high = 0;
    for (size_t i = 0; i < klen; i++)
        high |= (unsigned char)key[i];
    size_t lo = 0, hi = obj->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const skl_json_member *m = &obj->u.obj[mid];
        int c;
        if (high < 0x80) {
            /* Most probes differ in the first byte (both keys are NUL-terminated, so it
             * is there to read): decide those without a call. */
            c = (int)(unsigned char)m->key[0] - (int)(unsigned char)key[0];
            if (c == 0) {
                size_t n = m->key_len < klen ? m->key_len : klen;
                c = memcmp(m->key, key, n);
                if (c == 0)
                    c = m->key_len < klen ? -1 : m->key_len > klen;
            }
        } else {
            c = skl_json_key_cmp(m->key, m->key_len, key, klen);
        }
        if (c == 0)
            return &m->value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *
skl_json_string(const skl_json_value *v)
{
    return v != NULL && v->type == SKL_JSON_STRING ? v->u.str : NULL;
}
