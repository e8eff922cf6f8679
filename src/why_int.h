/*
 * why_int.h - the one-line reasons skl's functions give their callers (a `why` buffer beside
 * the error code). Private to libskl.
 */
#ifndef SKL_WHY_INT_H
#define SKL_WHY_INT_H

#include <stddef.h>

/* Writes the formatted reason into why[0..whylen); nothing when why is NULL or whylen 0. */
void skl_why(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same, returning rc, for `return skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "...", ...);`. */
int skl_why_rc(char *why, size_t whylen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
