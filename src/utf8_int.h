/*
 * utf8_int.h - well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), decoded and checked in one place for every module that reads text. Private.
 * (The JSON parser keeps its own word-at-a-time scanner on the hot path.)
 */
#ifndef SKL_UTF8_INT_H
#define SKL_UTF8_INT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at p[0..n) (n >= 1) into *cp and returns its length, or 0 if it is
 * not well-formed. */
size_t skl_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/* The same, for a loop over s[0..len): decodes the sequence at s[*i] into *cp and advances
 * *i past it; 0, or -1 (nothing changed) if it is not well-formed. */
int skl_utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp);

/* Offset of the first byte of p[0..n) that does not belong to well-formed UTF-8, or n. */
size_t skl_utf8_bad_offset(const unsigned char *p, size_t n);

/* The length of s[0..n) without a sequence cut short at its end: where to cut a byte-bounded
 * copy of well-formed text so that it stays well-formed. */
size_t skl_utf8_cut(const char *s, size_t n);

/* Copies the NUL-terminated src into dst[cap] (cap >= 1), truncated if need be at a
 * character boundary, NUL-terminated; returns the length copied. */
size_t skl_utf8_copy(char *dst, size_t cap, const char *src);

/* Note text (C2SP signed-note): well-formed UTF-8 with no ASCII control character other
 * than newline. */
int skl_utf8_note_text_ok(const char *s, size_t n);

#endif
