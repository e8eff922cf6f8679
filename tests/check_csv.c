/* check_csv.c - the strict roster CSV reader: RFC 4180 forms, encodings, errors with their
 * line numbers, limits. */
#include <check.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skl/csv.h"
#include "testutil.h"

static skl_csv *
parse_ok(const char *s, size_t n, size_t max_rows)
{
    skl_csv *csv = NULL;
    char why[256] = "";
    skl_err rc = skl_csv_parse(&csv, s, n, max_rows, why, sizeof why);
    ck_assert_msg(rc == SKL_OK, "parse failed: %d %s", rc, why);
    ck_assert_ptr_nonnull(csv);
    return csv;
}

#define OK(lit) parse_ok(lit, sizeof lit - 1, 1000)

/* Expects parsing to fail with code and exactly the message msg. */
static void
expect_err(const char *s, size_t n, size_t max_rows, skl_err code, const char *msg)
{
    skl_csv *csv = (skl_csv *)1;
    char why[256] = "";
    skl_err rc = skl_csv_parse(&csv, s, n, max_rows, why, sizeof why);
    ck_assert_msg(rc == code, "expected %d, got %d (%s) for %s", code, rc, why, msg);
    ck_assert_ptr_null(csv);
    ck_assert_str_eq(why, msg);
}

#define ERR(lit, code, msg) expect_err(lit, sizeof lit - 1, 1000, code, msg)

START_TEST(t_basic)
{
    skl_csv *csv = OK("a,b\n1,2\n3,4\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 2);
    ck_assert_uint_eq(skl_csv_cols(csv), 2);
    ck_assert_str_eq(skl_csv_header(csv, 0), "a");
    ck_assert_str_eq(skl_csv_header(csv, 1), "b");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 0), "1");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 1), "4");
    ck_assert_uint_eq(skl_csv_line(csv, 0), 2);
    ck_assert_uint_eq(skl_csv_line(csv, 1), 3);
    ck_assert_str_eq(skl_csv_encoding(csv), "UTF-8");
    /* out of range */
    ck_assert_ptr_null(skl_csv_header(csv, 2));
    ck_assert_ptr_null(skl_csv_cell(csv, 2, 0));
    ck_assert_ptr_null(skl_csv_cell(csv, 0, 2));
    ck_assert_uint_eq(skl_csv_line(csv, 2), 0);
    skl_csv_free(csv);
    skl_csv_free(NULL);
}
END_TEST

START_TEST(t_quoting)
{
    skl_csv *csv = OK("name,note\n\"Zhang, San\",\"say \"\"hi\"\"\"\n\"\",\"\"\"\"\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 2);
    ck_assert_str_eq(skl_csv_cell(csv, 0, 0), "Zhang, San");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 1), "say \"hi\"");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 0), "");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 1), "\"");
    skl_csv_free(csv);
    /* a quoted header */
    csv = OK("\"a,1\",b\nx,y");
    ck_assert_str_eq(skl_csv_header(csv, 0), "a,1");
    skl_csv_free(csv);
}
END_TEST

START_TEST(t_embedded_newlines)
{
    skl_csv *csv = OK("a,b\n\"x\ny\n\",z\n3,4\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 2);
    ck_assert_str_eq(skl_csv_cell(csv, 0, 0), "x\ny\n");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 1), "z");
    ck_assert_uint_eq(skl_csv_line(csv, 0), 2);
    ck_assert_uint_eq(skl_csv_line(csv, 1), 5);
    skl_csv_free(csv);
}
END_TEST

START_TEST(t_crlf)
{
    skl_csv *csv = OK("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 2);
    ck_assert_str_eq(skl_csv_header(csv, 1), "b");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 1), "2");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 0), "x\r\ny"); /* kept inside quotes */
    ck_assert_uint_eq(skl_csv_line(csv, 1), 3);
    skl_csv_free(csv);
}
END_TEST

START_TEST(t_final_newline_optional)
{
    skl_csv *csv = OK("a,b\n1,2");
    ck_assert_uint_eq(skl_csv_rows(csv), 1);
    ck_assert_str_eq(skl_csv_cell(csv, 0, 1), "2");
    skl_csv_free(csv);
    csv = OK("a,b\n1,\"2\"");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 1), "2");
    skl_csv_free(csv);
    /* a trailing comma at the end of the file is an empty last field */
    csv = OK("a,b\n1,");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 1), "");
    skl_csv_free(csv);
}
END_TEST

START_TEST(t_empty_fields_and_spaces)
{
    skl_csv *csv = OK("a,b,c\n,,\n 1 , 2 ,\t3\t\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 2);
    for (size_t c = 0; c < 3; c++)
        ck_assert_str_eq(skl_csv_cell(csv, 0, c), "");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 0), " 1 ");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 1), " 2 ");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 2), "\t3\t");
    skl_csv_free(csv);
}
END_TEST

START_TEST(t_trailing_blank_lines)
{
    skl_csv *csv = OK("a,b\n1,2\n\n\r\n\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 1);
    skl_csv_free(csv);
    csv = OK("a\nx\n\n");
    ck_assert_uint_eq(skl_csv_rows(csv), 1);
    skl_csv_free(csv);
}
END_TEST

START_TEST(t_bom)
{
    skl_csv *csv = OK("\xEF\xBB\xBF"
                      "a,b\n1,2\n");
    ck_assert_str_eq(skl_csv_encoding(csv), "UTF-8 with BOM");
    ck_assert_str_eq(skl_csv_header(csv, 0), "a");
    skl_csv_free(csv);
}
END_TEST

/* The same roster as Excel "CSV UTF-8" (BOM, CRLF) and as WPS/Excel GBK export. */
static void
check_roster(skl_csv *csv)
{
    ck_assert_uint_eq(skl_csv_rows(csv), 2);
    ck_assert_uint_eq(skl_csv_cols(csv), 8);
    ck_assert_str_eq(skl_csv_header(csv, 0), "姓名");
    ck_assert_str_eq(skl_csv_header(csv, 2), "职业（工种）");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 0), "张三");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 4), "四级/中级工");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 7), "北碚区, 第一批");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 2), "焊工");
    ck_assert_str_eq(skl_csv_cell(csv, 1, 7), "两行\r\n备注");
    ck_assert_uint_eq(skl_csv_line(csv, 0), 2);
    ck_assert_uint_eq(skl_csv_line(csv, 1), 3);
}

START_TEST(t_roster_files)
{
    size_t n;
    char *s = tu_read_file("tests/data/csv/roster_utf8_bom.csv", &n);
    skl_csv *csv = parse_ok(s, n, 10);
    ck_assert_str_eq(skl_csv_encoding(csv), "UTF-8 with BOM");
    check_roster(csv);
    skl_csv_free(csv);
    free(s);

    s = tu_read_file("tests/data/csv/roster_gbk.csv", &n);
    ck_assert_ptr_null(memmem(s, n, "姓名", strlen("姓名"))); /* really not UTF-8 */
    csv = parse_ok(s, n, 10);
    ck_assert_str_eq(skl_csv_encoding(csv), "GB18030");
    check_roster(csv);
    skl_csv_free(csv);
    free(s);
}
END_TEST

/* Converts UTF-8 text to GB18030 with iconv, as the test's own sample. */
static char *
to_gb18030(const char *s, size_t *outlen)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ck_assert(cd != (iconv_t)-1);
    size_t n = strlen(s), cap = 2 * n + 4, il = n, ol = cap;
    char *out = malloc(cap), *ip = (char *)s, *op = out;
    ck_assert_ptr_nonnull(out);
    ck_assert(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
    iconv_close(cd);
    *outlen = cap - ol;
    return out;
}

START_TEST(t_gb18030_in_test)
{
    /* 𠀀 (U+20000) takes a four-byte GB18030 sequence; € is 0xA2E3 in GB18030. */
    size_t n;
    char *g = to_gb18030("证件号码,课时,备注\n500109198807150021,40,\"𠀀€ 合格\"\n", &n);
    skl_csv *csv = parse_ok(g, n, 10);
    ck_assert_str_eq(skl_csv_encoding(csv), "GB18030");
    ck_assert_str_eq(skl_csv_header(csv, 0), "证件号码");
    ck_assert_str_eq(skl_csv_cell(csv, 0, 2), "𠀀€ 合格");
    skl_csv_free(csv);
    free(g);
}
END_TEST

START_TEST(t_errors)
{
    ERR("a,b\n1,x\"y\n", SKL_ERR_PARSE, "line 2: quote inside an unquoted field");
    ERR("a,b\n1,2\n 3,\"4\"\n \"5\",6\n", SKL_ERR_PARSE, "line 4: quote inside an unquoted field");
    ERR("a,b\n\"1\"x,2\n", SKL_ERR_PARSE, "line 2: text after a closing quote");
    ERR("a,b\n\"1\" ,2\n", SKL_ERR_PARSE, "line 2: text after a closing quote");
    ERR("a,b\n1,2\n\"abc\n,\n", SKL_ERR_PARSE, "line 3: unterminated quoted field");
    ERR("a,b\n1,\"2", SKL_ERR_PARSE, "line 2: unterminated quoted field");
    ERR("a,b\n1,2,3\n", SKL_ERR_PARSE, "line 2: 3 fields, the header has 2");
    ERR("a,b\n1,2\n1\n", SKL_ERR_PARSE, "line 3: 1 field, the header has 2");
    ERR("a,b\n\"x\ny\",2\n3\n", SKL_ERR_PARSE, "line 4: 1 field, the header has 2");
    ERR("a,,c\n1,2,3\n", SKL_ERR_PARSE, "line 1: column 2 has an empty header name");
    ERR("a,  \n1,2\n", SKL_ERR_PARSE, "line 1: column 2 has an empty header name");
    ERR("a,b,A\n1,2,3\n", SKL_ERR_PARSE, "line 1: duplicate header name \"A\" (columns 1 and 3)");
    ERR("姓名, 姓名 \n1,2\n", SKL_ERR_PARSE,
        "line 1: duplicate header name \" 姓名 \" (columns 1 and 2)");
    ERR("a,b\n1,2\n\0", SKL_ERR_PARSE, "line 3: NUL byte");
    ERR("a\0,b\n1,2\n", SKL_ERR_PARSE, "line 1: NUL byte");
    ERR("", SKL_ERR_PARSE, "line 1: empty file");
    ERR("\n\r\n", SKL_ERR_PARSE, "line 1: empty file");
    ERR("\xEF\xBB\xBF", SKL_ERR_PARSE, "line 1: empty file");
    ERR("a,b\n", SKL_ERR_PARSE, "line 1: empty file: a header and no data rows");
    ERR("a,b", SKL_ERR_PARSE, "line 1: empty file: a header and no data rows");
    ERR("a,b\n\n\n", SKL_ERR_PARSE, "line 1: empty file: a header and no data rows");
    ERR("a,b\n1,2\n\n3,4\n", SKL_ERR_PARSE, "line 3: blank line between records");
    ERR("\na,b\n1,2\n", SKL_ERR_PARSE, "line 1: blank line between records");
    ERR("a,b\n1,2\r3,4\n", SKL_ERR_PARSE, "line 2: bare CR (line breaks must be CRLF or LF)");
    ERR("a,b\r", SKL_ERR_PARSE, "line 1: bare CR (line breaks must be CRLF or LF)");
    /* 0x80 alone is neither UTF-8 nor GB18030 */
    ERR("a,b\n1,2\n3,\x80\n", SKL_ERR_PARSE,
        "line 3: the text is neither UTF-8 nor GB18030 (byte 0x80)");
    /* a UTF-8-encoded surrogate is not UTF-8; as GB18030, 0xEDA0 is a character, 0x80 not */
    ERR("a\n\xED\xA0\x80\n", SKL_ERR_PARSE,
        "line 2: the text is neither UTF-8 nor GB18030 (byte 0x80)");
    /* a GB18030 lead byte cut off at the end */
    ERR("a,b\n1,\xD5", SKL_ERR_PARSE, "line 2: the text is neither UTF-8 nor GB18030 (byte 0xd5)");
    /* with a UTF-8 BOM, no fallback to GB18030 */
    ERR("\xEF\xBB\xBF"
        "a\n\xD5\xC5\n",
        SKL_ERR_PARSE, "line 2: invalid UTF-8 in a file that starts with a UTF-8 byte-order mark");
}
END_TEST

START_TEST(t_bad_args)
{
    skl_csv *csv = NULL;
    char why[64];
    ck_assert_int_eq(skl_csv_parse(NULL, "a\n1\n", 4, 10, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_csv_parse(&csv, NULL, 4, 10, why, sizeof why), SKL_ERR_INVAL);
    ck_assert_ptr_null(csv);
    /* why may be NULL */
    ck_assert_int_eq(skl_csv_parse(&csv, "a\n", 2, 10, NULL, 0), SKL_ERR_PARSE);
    ck_assert_ptr_null(skl_csv_header(NULL, 0));
    ck_assert_uint_eq(skl_csv_rows(NULL), 0);
}
END_TEST

/* A CSV of one header "h" and one data row holding a field of n bytes. */
static char *
one_field(size_t n, int quoted, size_t *len)
{
    char *s = malloc(n + 8);
    ck_assert_ptr_nonnull(s);
    size_t k = 0;
    memcpy(s, "h\n", 2);
    k = 2;
    if (quoted)
        s[k++] = '"';
    memset(s + k, 'x', n);
    k += n;
    if (quoted)
        s[k++] = '"';
    s[k++] = '\n';
    *len = k;
    return s;
}

START_TEST(t_limit_field)
{
    for (int q = 0; q < 2; q++) {
        size_t len;
        char *s = one_field(SKL_CSV_MAX_FIELD, q, &len);
        skl_csv *csv = parse_ok(s, len, 10);
        ck_assert_uint_eq(strlen(skl_csv_cell(csv, 0, 0)), SKL_CSV_MAX_FIELD);
        skl_csv_free(csv);
        free(s);
        s = one_field(SKL_CSV_MAX_FIELD + 1, q, &len);
        expect_err(s, len, 10, SKL_ERR_LIMIT, "line 2: field longer than 4096 bytes");
        free(s);
    }
}
END_TEST

START_TEST(t_limit_cols)
{
    char buf[4096];
    for (size_t cols = 256; cols <= 257; cols++) {
        size_t k = 0;
        for (int row = 0; row < 2; row++) {
            for (size_t c = 0; c < cols; c++)
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%zu", c ? "," : "", c);
            buf[k++] = '\n';
        }
        if (cols == 256) {
            skl_csv *csv = parse_ok(buf, k, 10);
            ck_assert_uint_eq(skl_csv_cols(csv), 256);
            ck_assert_str_eq(skl_csv_cell(csv, 0, 255), "255");
            skl_csv_free(csv);
        } else {
            expect_err(buf, k, 10, SKL_ERR_LIMIT, "line 1: more than 256 fields");
        }
    }
}
END_TEST

START_TEST(t_limit_rows)
{
    static const char s[] = "a\n1\n2\n3\n";
    skl_csv *csv = parse_ok(s, sizeof s - 1, 3);
    ck_assert_uint_eq(skl_csv_rows(csv), 3);
    skl_csv_free(csv);
    expect_err(s, sizeof s - 1, 2, SKL_ERR_LIMIT, "line 4: more than 2 data rows");
}
END_TEST

START_TEST(t_limit_bytes)
{
    /* calloc'd pages are not touched: the length check comes first */
    size_t n = SKL_CSV_MAX_BYTES + 1;
    char *s = calloc(1, n);
    ck_assert_ptr_nonnull(s);
    expect_err(s, n, 10, SKL_ERR_LIMIT, "input of 67108865 bytes exceeds the limit of 67108864");
    free(s);
}
END_TEST

Suite *csv_suite(void);

Suite *
csv_suite(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("csv");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, t_basic);
    tcase_add_test(tc, t_quoting);
    tcase_add_test(tc, t_embedded_newlines);
    tcase_add_test(tc, t_crlf);
    tcase_add_test(tc, t_final_newline_optional);
    tcase_add_test(tc, t_empty_fields_and_spaces);
    tcase_add_test(tc, t_trailing_blank_lines);
    tcase_add_test(tc, t_bom);
    tcase_add_test(tc, t_roster_files);
    tcase_add_test(tc, t_gb18030_in_test);
    tcase_add_test(tc, t_errors);
    tcase_add_test(tc, t_bad_args);
    tcase_add_test(tc, t_limit_field);
    tcase_add_test(tc, t_limit_cols);
    tcase_add_test(tc, t_limit_rows);
    tcase_add_test(tc, t_limit_bytes);
    suite_add_tcase(s, tc);
    return s;
}
