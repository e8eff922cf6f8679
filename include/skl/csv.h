/*
 * skl/csv.h - a strict, bounded reader for rosters exported from spreadsheets.
 *
 * The input is RFC 4180 CSV (comma separator, "" escapes inside quoted fields, line breaks
 * inside quotes, CRLF or LF, final line break optional) with a header row. It may be UTF-8
 * (with or without a byte-order mark) or, when the bytes are not valid UTF-8, GB18030/GBK as
 * Chinese Excel and WPS export it; such input is converted to UTF-8 with iconv(3).
 *
 * Anything doubtful is an error, never a guess: a quote inside an unquoted field, text after
 * a closing quote, an unterminated quote, a bare CR, a blank line between records, a row
 * whose field count differs from the header's, an empty or duplicate header name (compared
 * after trimming ASCII blanks, ASCII case-insensitively), a NUL byte, no data rows. Blank
 * lines at the end of the file are ignored. Limits: SKL_CSV_MAX_BYTES of input,
 * SKL_CSV_MAX_FIELD bytes per field (after conversion to UTF-8), SKL_CSV_MAX_COLS columns,
 * and the caller's max_rows data rows.
 *
 * Cells are returned exactly as written (leading and trailing spaces kept); callers trim.
 *
 * Thread safety: skl_csv_parse() may run in several threads at once. A parsed skl_csv is
 * read-only and may be read from several threads at once.
 */
#ifndef SKL_CSV_H
#define SKL_CSV_H

#include <stddef.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_CSV_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define SKL_CSV_MAX_FIELD 4096
#define SKL_CSV_MAX_COLS 256

typedef struct skl_csv skl_csv;

/*
 * Parses data[0..len) (need not be NUL-terminated; not referenced afterwards). On success
 * *out is a new table the caller frees with skl_csv_free(). On failure *out is NULL and, if
 * why is not NULL, why[0..whylen) receives one line naming the physical line of the file
 * (1-based) and the reason, e.g. "line 7: quote inside an unquoted field".
 * Returns SKL_OK; SKL_ERR_PARSE for malformed input (including an undecodable encoding and
 * an empty file); SKL_ERR_LIMIT when len, a field, the column count or the data-row count
 * (more than max_rows) exceeds its bound; SKL_ERR_INVAL for a NULL out or data with len > 0;
 * SKL_ERR_NOMEM.
 */
skl_err skl_csv_parse(skl_csv **out, const char *data, size_t len, size_t max_rows, char *why,
                      size_t whylen);

/* Number of data rows (the header not counted); at least 1 for a parsed table. */
size_t skl_csv_rows(const skl_csv *csv);

/* Number of columns (the header's field count). */
size_t skl_csv_cols(const skl_csv *csv);

/* Header name of column col (UTF-8, NUL-terminated, as written), or NULL if out of range.
 * Valid until skl_csv_free(). */
const char *skl_csv_header(const skl_csv *csv, size_t col);

/* Cell of data row row (0-based, header excluded) and column col (UTF-8, NUL-terminated,
 * as written), or NULL if out of range. Valid until skl_csv_free(). */
const char *skl_csv_cell(const skl_csv *csv, size_t row, size_t col);

/* Physical line of the file (1-based) where data row row starts, or 0 if out of range. */
size_t skl_csv_line(const skl_csv *csv, size_t row);

/* The input's encoding: "UTF-8", "UTF-8 with BOM" or "GB18030". Static storage. */
const char *skl_csv_encoding(const skl_csv *csv);

/* Frees the table. Accepts NULL. */
void skl_csv_free(skl_csv *csv);

#ifdef __cplusplus
}
#endif
#endif
