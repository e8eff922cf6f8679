/*
 * fields_int.h - what the credential builder (build.c) uses of the fields.json table in
 * fields.c, and the blank rule that both apply to text. Private to libskl.
 *
 * The table is loaded once per process (pthread_once) and only read afterwards, so these
 * are safe to call from several threads at once.
 */
#ifndef SKL_FIELDS_INT_H
#define SKL_FIELDS_INT_H

#include <stddef.h>

/* Length of the blank (ASCII space, tab, CR, LF, U+3000) at s[0..n), or 0. */
size_t skl_field_blank_at(const char *s, size_t n);

/* Trims blanks from both ends of s: the rest is *b[0..*len), pointing into s. */
void skl_field_trim(const char *s, const char **b, size_t *len);

/* Loads spec/data/fields.json on the first call. NULL once it is loaded, else why it could
 * not be (the same text on every call). */
const char *skl_field_load_error(void);

/* The canonical value of field that value is a value alias of (matched as headers are:
 * trimmed, case folded), or NULL when it is none, or out of memory. Only after
 * skl_field_load_error() returned NULL. */
const char *skl_field_value_canon(const char *field, const char *value);

/* The display name of canonical value canon of field (its first alias), or canon. Only
 * after skl_field_load_error() returned NULL. */
const char *skl_field_value_shown(const char *field, const char *canon);

#endif
