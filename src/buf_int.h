/*
 * buf_int.h - a growable byte buffer for building output (private to libskl).
 *
 * All appends return 0 or -1 (out of memory). After a failed append the buffer
 * keeps its old contents and stays usable; the `oom` flag remembers the failure
 * so that a run of appends can be checked once with skl_buf_ok().
 * The data is always NUL-terminated (not counted in len) once anything was appended.
 */
#ifndef SKL_BUF_INT_H
#define SKL_BUF_INT_H

#include <stddef.h>
#include <stdint.h>

typedef struct skl_buf {
    char *data;
    size_t len;
    size_t cap;
    int oom;
} skl_buf;

#define SKL_BUF_INIT                                                                               \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

int skl_buf_reserve(skl_buf *b, size_t extra);
int skl_buf_append(skl_buf *b, const void *p, size_t n);
int skl_buf_putc(skl_buf *b, char c);
int skl_buf_puts(skl_buf *b, const char *s);
int skl_buf_printf(skl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends the lowercase hex of p[0..n). */
int skl_buf_hex(skl_buf *b, const uint8_t *p, size_t n);
/* Appends standard base64 (RFC 4648 §4, with padding) of p[0..n). */
int skl_buf_base64(skl_buf *b, const uint8_t *p, size_t n);
static inline int
skl_buf_ok(const skl_buf *b)
{
    return !b->oom;
}
/* Hands the data to the caller (who frees it) and resets the buffer. */
char *skl_buf_take(skl_buf *b, size_t *len);
void skl_buf_reset(skl_buf *b); /* len = 0, keeps memory */
void skl_buf_free(skl_buf *b);  /* frees memory; the buffer may be reused */

#endif
