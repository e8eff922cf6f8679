/* why.c - one-line reasons beside error codes. */
#include "why_int.h"

#include <stdarg.h>
#include <stdio.h>

#include "utf8_int.h"

static void
vwhy(char *why, size_t whylen, const char *fmt, va_list ap)
{
    if (why == NULL || whylen == 0)
        return;
    int n = vsnprintf(why, whylen, fmt, ap);
    if (n >= 0 && (size_t)n >= whylen) /* cut short: never in the middle of a character */
        why[skl_utf8_cut(why, whylen - 1)] = '\0';
}

void
skl_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwhy(why, whylen, fmt, ap);
    va_end(ap);
}

int
skl_why_rc(char *why, size_t whylen, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwhy(why, whylen, fmt, ap);
    va_end(ap);
    return rc;
}
