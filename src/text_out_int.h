/*
 * text_out_int.h - appending text into a fixed buffer (private to libskl), for texts that
 * hold secrets and so are written straight into their guarded (sodium_malloc) memory,
 * never into a growable skl_buf. Running out of room sets bad instead of writing; the
 * text is NUL-terminated after every append.
 */
#ifndef SKL_TEXT_OUT_INT_H
#define SKL_TEXT_OUT_INT_H

#include <stddef.h>
#include <string.h>

typedef struct text_out {
    char *p;
    size_t cap;
    size_t len;
    int bad;
} text_out;

static inline void
text_put(text_out *t, const char *s, size_t n)
{
    if (t->bad || t->cap - t->len <= n) {
        t->bad = 1;
        return;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static inline void
text_put_str(text_out *t, const char *s)
{
    text_put(t, s, strlen(s));
}

#endif
