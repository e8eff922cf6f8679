/*
 * utc_int.h - UTC timestamps as skl writes and reads them (private to libskl).
 * Pure arithmetic on the proleptic Gregorian calendar: no locale, no time-zone lock.
 */
#ifndef SKL_UTC_INT_H
#define SKL_UTC_INT_H

#include <stddef.h>
#include <stdint.h>

/* Writes t (seconds since 1970-01-01T00:00:00Z) as "YYYY-MM-DDThh:mm:ssZ" and a NUL.
 * Years outside 0000..9999 are clamped. */
void skl_utc_format(char out[21], int64_t t);

/* Parses exactly "YYYY-MM-DDThh:mm:ssZ" (a real calendar date) into *t. 0, or -1. */
int skl_utc_parse(int64_t *t, const char *s, size_t n);

/* 1 if s[0..n) is an XML Schema 1.1 dateTimeStamp with a four-digit year and hours 00-23:
 * YYYY-MM-DDThh:mm:ss[.s+](Z|(+|-)hh:mm), a real date, offset at most 14:00; else 0. */
int skl_utc_is_datetime_stamp(const char *s, size_t n);

#endif
