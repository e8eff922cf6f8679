/* cli_width.c - table columns that line up in a terminal when the text is Chinese: widths
 * counted in display columns (a Han character takes two), not bytes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "utf8_int.h"

/* The code point at s[0..n) (n >= 1); *len gets its length (1 for a byte that does not start
 * a well-formed sequence, which then counts as one column). */
static uint32_t
next_cp(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c;
    *len = skl_utf8_decode(s, n, &c);
    if (*len == 0) {
        *len = 1;
        c = 0xFFFD;
    }
    return c;
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
    size_t left = strlen(s);
    int w = 0;
    while (left > 0) {
        size_t n;
        w += cp_width(next_cp(p, left, &n));
        p += n;
        left -= n;
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
    size_t left = strlen(s);
    int w = 0;
    while (left > 0) {
        size_t n;
        int cw = cp_width(next_cp(p, left, &n));
        if (w + cw > width - 1)
            break;
        fwrite(p, 1, n, f);
        w += cw;
        p += n;
        left -= n;
    }
    fputs("…", f);
    for (w++; w < width; w++)
        fputc(' ', f);
}
