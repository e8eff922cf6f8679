/* utf8.c - decoding and checking UTF-8 text. */
#include "utf8_int.h"

#include <string.h>

size_t
skl_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char c = p[0];
    size_t k;
    uint32_t v, min;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        k = 2, v = c & 0x1f, min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        k = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return k;
}

int
skl_utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
    size_t k = skl_utf8_decode(s + *i, len - *i, cp);
    if (k == 0)
        return -1;
    *i += k;
    return 0;
}

size_t
skl_utf8_bad_offset(const unsigned char *p, size_t n)
{
    size_t i = 0;
    uint32_t cp;
    while (i < n) {
        size_t k = skl_utf8_decode(p + i, n - i, &cp);
        if (k == 0)
            return i;
        i += k;
    }
    return n;
}

size_t
skl_utf8_cut(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    /* Back up over continuation bytes to the last lead byte; keep its sequence only if it is
     * whole. Looks at no more than the last four bytes. */
    size_t i = n;
    while (i > 0 && n - i < 4 && (p[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0 || p[i - 1] < 0x80)
        return n;
    uint32_t cp;
    return skl_utf8_decode(p + i - 1, n - i + 1, &cp) == n - i + 1 ? n : i - 1;
}

size_t
skl_utf8_copy(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return 0;
    size_t n = strnlen(src, cap - 1);
    if (src[n] != '\0')
        n = skl_utf8_cut(src, n);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}

int
skl_utf8_note_text_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = skl_utf8_decode(p + i, n - i, &cp);
        if (k == 0 || (cp < 0x20 && cp != '\n'))
            return 0;
        i += k;
    }
    return 1;
}
