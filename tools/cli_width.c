/* cli_width.c - table columns that line up in a terminal when the text is Chinese: widths
 * counted in display columns (a Han character takes two), not bytes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Decodes the UTF-8 sequence at s (NUL-terminated); *len gets its length (1 for a byte that
 * does not start a well-formed sequence, which then counts as one column). */
static uint32_t
next_cp(const unsigned char *s, size_t *len)
{
    uint32_t c = s[0];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    *len = 1;
    if (n <= 1)
        return c < 0x80 ? c : 0xFFFD;
    uint32_t v = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        v = v << 6 | (s[i] & 0x3F);
    }
    *len = n;
    return v;
}

/* Terminal columns of code point c: 0 for combining marks, 2 for East Asian wide and
 * full-width forms (Unicode 15, the ranges Chinese text uses), else 1. */
static int
cp_width(uint32_t c)
{
    if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0xFE0F)
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
        (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

int
cli_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = 0;
    while (*p != '\0') {
        size_t n;
        w += cp_width(next_cp(p, &n));
        p += n;
    }
    return w;
}

void
cli_column(FILE *f, const char *s, int width)
{
    const unsigned char *p = (const unsigned char *)s;
    if (cli_width(s) <= width) {
        fputs(s, f);
        for (int w = cli_width(s); w < width; w++)
            fputc(' ', f);
        return;
    }
    /* Too wide: as many whole characters as fit in width - 1, then an ellipsis. */
    int w = 0;
    while (*p != '\0') {
        size_t n;
        int cw = cp_width(next_cp(p, &n));
        if (w + cw > width - 1)
            break;
        fwrite(p, 1, n, f);
        w += cw;
        p += n;
    }
    fputs("…", f);
    for (w++; w < width; w++)
        fputc(' ', f);
}
