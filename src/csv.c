/* csv.c - strict RFC 4180 reader for rosters exported from spreadsheets (UTF-8 or GB18030). */
#include "skl/csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "utf8_int.h"
#include "why_int.h"

struct skl_csv {
    char *text;   /* every cell, NUL-terminated, header row first */
    size_t *cell; /* (rows + 1) * cols offsets into text */
    size_t *line; /* rows + 1 physical start lines, header first */
    size_t cols;
    size_t rows; /* data rows */
    const char *encoding;
};

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */

/* 1-based line of byte off in p: one more than the line feeds before it. */
static size_t
line_of(const char *p, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (p[i] == '\n')
            line++;
    return line;
}

/* ------------------------------------------------------------------------------------------ */
/* Encoding                                                                                    */


/* Converts GB18030 in[0..n) into a new malloc'd UTF-8 buffer *out of *outlen bytes.
 * On undecodable input returns SKL_ERR_PARSE with *bad set to the offending offset. */
static skl_err
gb18030_to_utf8(char **out, size_t *outlen, const char *in, size_t n, size_t *bad)
{
    skl_err rc = SKL_ERR_NOMEM;
    char *buf = NULL;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return SKL_ERR_IO;
    /* A GB18030 character of b bytes becomes at most 3 UTF-8 bytes per 2 input bytes (BMP)
     * or 4 per 4 (supplementary), so 2n bytes always suffice. */
    size_t cap = 2 * n + 1;
    buf = malloc(cap);
    if (buf == NULL)
        goto out;
    char *ip = (char *)in, *op = buf;
    size_t il = n, ol = cap;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
        *bad = (size_t)(ip - in);
        rc = errno == E2BIG ? SKL_ERR_NOMEM : SKL_ERR_PARSE;
        goto out;
    }
    *outlen = (size_t)(op - buf);
    *out = buf;
    buf = NULL;
    rc = SKL_OK;
out:
    free(buf);
    iconv_close(cd);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Parsing                                                                                     */

typedef struct parser {
    skl_buf text;
    size_t *cell;
    size_t ncell, capcell;
    size_t *line;
    size_t nline, capline;
} parser;

static int
push_size(size_t **arr, size_t *n, size_t *cap, size_t v)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        size_t *p = realloc(*arr, nc * sizeof *p);
        if (p == NULL)
            return -1;
        *arr = p;
        *cap = nc;
    }
    (*arr)[(*n)++] = v;
    return 0;
}

static int
is_blank_line_at(const char *t, size_t n, size_t pos, size_t *next)
{
    if (t[pos] == '\n') {
        *next = pos + 1;
        return 1;
    }
    if (t[pos] == '\r' && pos + 1 < n && t[pos + 1] == '\n') {
        *next = pos + 2;
        return 1;
    }
    return 0;
}

/* Trimmed (ASCII space and tab) view of s. */
static void
trim_view(const char *s, const char **b, size_t *len)
{
    size_t n = strlen(s);
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *b = s;
    *len = n;
}

static int
same_header(const char *a, const char *b)
{
    const char *pa, *pb;
    size_t la, lb;
    trim_view(a, &pa, &la);
    trim_view(b, &pb, &lb);
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++) {
        unsigned char x = (unsigned char)pa[i], y = (unsigned char)pb[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* Writes at most 60 bytes of s, cut on a UTF-8 boundary, into dst[64]. */
static void
excerpt(char dst[64], const char *s)
{
    size_t n = strlen(s);
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static skl_err
check_header(const parser *ps, size_t cols, char *why, size_t whylen)
{
    for (size_t c = 0; c < cols; c++) {
        const char *h = ps->text.data + ps->cell[c], *b;
        size_t n;
        trim_view(h, &b, &n);
        if (n == 0)
            return skl_why_rc(why, whylen, SKL_ERR_PARSE, "line 1: column %zu has an empty header name",
                        c + 1);
        for (size_t d = 0; d < c; d++)
            if (same_header(ps->text.data + ps->cell[d], h)) {
                char ex[64];
                excerpt(ex, h);
                return skl_why_rc(why, whylen, SKL_ERR_PARSE,
                            "line 1: duplicate header name \"%s\" (columns %zu and %zu)", ex, d + 1,
                            c + 1);
            }
    }
    return SKL_OK;
}

/* Parses UTF-8 text t[0..n) (no NUL inside) into csv. */
static skl_err
parse_text(skl_csv *csv, const char *t, size_t n, size_t max_rows, char *why, size_t whylen)
{
    skl_err rc = SKL_ERR_NOMEM;
    parser ps = {SKL_BUF_INIT, NULL, 0, 0, NULL, 0, 0};
    size_t pos = 0, line = 1, cols = 0, nrec = 0;

    while (pos < n) {
        size_t next;
        if (is_blank_line_at(t, n, pos, &next)) {
            size_t q = next;
            while (q < n && is_blank_line_at(t, n, q, &q))
                ;
            if (q == n)
                break; /* blank lines at the end */
            rc = skl_why_rc(why, whylen, SKL_ERR_PARSE, "line %zu: blank line between records", line);
            goto out;
        }
        size_t row_line = line, nfields = 0;
        if (nrec > 0 && nrec > max_rows) {
            rc = skl_why_rc(why, whylen, SKL_ERR_LIMIT, "line %zu: more than %zu data rows", row_line,
                      max_rows);
            goto out;
        }
        for (;;) {
            size_t start = ps.text.len;
            if (nfields == SKL_CSV_MAX_COLS) {
                rc = skl_why_rc(why, whylen, SKL_ERR_LIMIT, "line %zu: more than %d fields", line,
                          SKL_CSV_MAX_COLS);
                goto out;
            }
            if (pos < n && t[pos] == '"') {
                size_t qline = line;
                pos++;
                for (;;) {
                    if (pos == n) {
                        rc = skl_why_rc(why, whylen, SKL_ERR_PARSE, "line %zu: unterminated quoted field",
                                  qline);
                        goto out;
                    }
                    char c = t[pos];
                    if (c == '"') {
                        if (pos + 1 < n && t[pos + 1] == '"') {
                            pos += 2;
                        } else {
                            pos++;
                            break;
                        }
                    } else {
                        if (c == '\n')
                            line++;
                        pos++;
                    }
                    if (ps.text.len - start >= SKL_CSV_MAX_FIELD) {
                        rc = skl_why_rc(why, whylen, SKL_ERR_LIMIT,
                                  "line %zu: field longer than %d bytes", qline, SKL_CSV_MAX_FIELD);
                        goto out;
                    }
                    if (skl_buf_putc(&ps.text, c) != 0)
                        goto out;
                }
                if (pos < n && t[pos] != ',' && t[pos] != '\n' && t[pos] != '\r') {
                    rc = skl_why_rc(why, whylen, SKL_ERR_PARSE, "line %zu: text after a closing quote",
                              line);
                    goto out;
                }
            } else {
                while (pos < n && t[pos] != ',' && t[pos] != '\n' && t[pos] != '\r') {
                    if (t[pos] == '"') {
                        rc = skl_why_rc(why, whylen, SKL_ERR_PARSE,
                                  "line %zu: quote inside an unquoted field", line);
                        goto out;
                    }
                    if (ps.text.len - start >= SKL_CSV_MAX_FIELD) {
                        rc = skl_why_rc(why, whylen, SKL_ERR_LIMIT,
                                  "line %zu: field longer than %d bytes", line, SKL_CSV_MAX_FIELD);
                        goto out;
                    }
                    if (skl_buf_putc(&ps.text, t[pos++]) != 0)
                        goto out;
                }
            }
            if (skl_buf_putc(&ps.text, '\0') != 0 ||
                push_size(&ps.cell, &ps.ncell, &ps.capcell, start) != 0)
                goto out;
            nfields++;
            if (pos == n)
                break;
            if (t[pos] == ',') {
                pos++;
                continue;
            }
            if (t[pos] == '\r') {
                if (pos + 1 == n || t[pos + 1] != '\n') {
                    rc = skl_why_rc(why, whylen, SKL_ERR_PARSE,
                              "line %zu: bare CR (line breaks must be CRLF or LF)", line);
                    goto out;
                }
                pos++;
            }
            pos++; /* the LF */
            line++;
            break;
        }
        if (push_size(&ps.line, &ps.nline, &ps.capline, row_line) != 0)
            goto out;
        if (nrec == 0) {
            cols = nfields;
            if ((rc = check_header(&ps, cols, why, whylen)) != SKL_OK)
                goto out;
            rc = SKL_ERR_NOMEM;
        } else if (nfields != cols) {
            rc = skl_why_rc(why, whylen, SKL_ERR_PARSE, "line %zu: %zu field%s, the header has %zu",
                      row_line, nfields, nfields == 1 ? "" : "s", cols);
            goto out;
        }
        nrec++;
    }
    if (nrec == 0) {
        rc = skl_why_rc(why, whylen, SKL_ERR_PARSE, "line 1: empty file");
        goto out;
    }
    if (nrec == 1) {
        rc = skl_why_rc(why, whylen, SKL_ERR_PARSE, "line 1: empty file: a header and no data rows");
        goto out;
    }
    if (ps.text.data == NULL && skl_buf_putc(&ps.text, '\0') != 0)
        goto out;
    csv->text = skl_buf_take(&ps.text, NULL);
    csv->cell = ps.cell;
    csv->line = ps.line;
    csv->cols = cols;
    csv->rows = nrec - 1;
    ps.cell = NULL;
    ps.line = NULL;
    rc = SKL_OK;
out:
    skl_buf_free(&ps.text);
    free(ps.cell);
    free(ps.line);
    return rc;
}

skl_err
skl_csv_parse(skl_csv **out, const char *data, size_t len, size_t max_rows, char *why,
              size_t whylen)
{
    skl_err rc = SKL_ERR_NOMEM;
    skl_csv *csv = NULL;
    char *conv = NULL;
    const char *t = data;
    size_t n = len;

    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (out == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no output pointer");
    *out = NULL;
    if (data == NULL && len > 0)
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no input");
    if (len > SKL_CSV_MAX_BYTES)
        return skl_why_rc(why, whylen, SKL_ERR_LIMIT, "input of %zu bytes exceeds the limit of %zu", len,
                    SKL_CSV_MAX_BYTES);
    const char *nul = len ? memchr(data, '\0', len) : NULL;
    if (nul != NULL)
        return skl_why_rc(why, whylen, SKL_ERR_PARSE, "line %zu: NUL byte",
                    line_of(data, (size_t)(nul - data)));

    csv = calloc(1, sizeof *csv);
    if (csv == NULL)
        goto out;
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        t = data + 3;
        n = len - 3;
        size_t bad = skl_utf8_bad_offset((const unsigned char *)t, n);
        if (bad != n) {
            rc = skl_why_rc(why, whylen, SKL_ERR_PARSE,
                      "line %zu: invalid UTF-8 in a file that starts with a UTF-8 byte-order mark",
                      line_of(t, bad));
            goto out;
        }
        csv->encoding = "UTF-8 with BOM";
    } else if (skl_utf8_bad_offset(u, len) == len) {
        csv->encoding = "UTF-8";
    } else {
        size_t bad = 0;
        rc = gb18030_to_utf8(&conv, &n, data, len, &bad);
        if (rc == SKL_ERR_PARSE) {
            rc = skl_why_rc(why, whylen, SKL_ERR_PARSE,
                      "line %zu: the text is neither UTF-8 nor GB18030 (byte 0x%02x)",
                      line_of(data, bad), bad < len ? u[bad] : 0u);
            goto out;
        }
        if (rc == SKL_ERR_IO) {
            rc = skl_why_rc(why, whylen, SKL_ERR_IO,
                      "the text is not UTF-8, and iconv cannot convert from GB18030");
            goto out;
        }
        if (rc != SKL_OK)
            goto out;
        t = conv;
        csv->encoding = "GB18030";
    }
    if ((rc = parse_text(csv, t, n, max_rows, why, whylen)) != SKL_OK)
        goto out;
    *out = csv;
    csv = NULL;
out:
    free(conv);
    skl_csv_free(csv);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Accessors                                                                                   */

size_t
skl_csv_rows(const skl_csv *csv)
{
    return csv ? csv->rows : 0;
}

size_t
skl_csv_cols(const skl_csv *csv)
{
    return csv ? csv->cols : 0;
}

const char *
skl_csv_header(const skl_csv *csv, size_t col)
{
    if (csv == NULL || col >= csv->cols)
        return NULL;
    return csv->text + csv->cell[col];
}

const char *
skl_csv_cell(const skl_csv *csv, size_t row, size_t col)
{
    if (csv == NULL || row >= csv->rows || col >= csv->cols)
        return NULL;
    return csv->text + csv->cell[(row + 1) * csv->cols + col];
}

size_t
skl_csv_line(const skl_csv *csv, size_t row)
{
    if (csv == NULL || row >= csv->rows)
        return 0;
    return csv->line[row + 1];
}

const char *
skl_csv_encoding(const skl_csv *csv)
{
    return csv ? csv->encoding : NULL;
}

void
skl_csv_free(skl_csv *csv)
{
    if (csv == NULL)
        return;
    free(csv->text);
    free(csv->cell);
    free(csv->line);
    free(csv);
}
