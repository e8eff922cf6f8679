/* identity.c - the identity documents and names of workers: the id types the vault accepts,
 * their normal forms and checks (GB 11643-1999 for resident ids), and worker names
 * (format: spec/workers.md). */
#include "skl/vault.h"
#include "identity_int.h"
#include "utf8_int.h"
#include "why_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const id_types[] = {"resident-id", "passport", "hk-macao-permit",
                                       "taiwan-permit", "foreign-permanent-resident"};

/* ---- identity documents ------------------------------------------------------------ */

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims ASCII white space: *start and *len describe s without it. */
static void
trim(const char *s, const char **start, size_t *len)
{
    size_t n = strlen(s);
    while (n > 0 && is_space(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_space(s[n - 1]))
        n--;
    *start = s;
    *len = n;
}

static int
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 if YYYYMMDD in d[0..8) (digits) is a real Gregorian date from 1900-01-01 on. */
static int
real_date(const char *d, int *ymd)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m, day;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (d[i] - '0');
    m = (d[4] - '0') * 10 + (d[5] - '0');
    day = (d[6] - '0') * 10 + (d[7] - '0');
    if (y < 1900 || m < 1 || m > 12 || day < 1)
        return 0;
    if (day > mdays[m - 1] + (m == 2 && is_leap(y)))
        return 0;
    *ymd = y * 10000 + m * 100 + day;
    return 1;
}

/* GB 11643-1999: the check character of the first 17 digits (ISO 7064 MOD 11-2). */
static char
resident_check(const char *d)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (d[i] - '0') * weight[i];
    return "10X98765432"[sum % 11];
}

/* The index of id_type in id_types, or -1. */
static int
type_index(const char *id_type)
{
    for (size_t i = 0; i < sizeof id_types / sizeof id_types[0]; i++)
        if (strcmp(id_type, id_types[i]) == 0)
            return (int)i;
    return -1;
}

/* skl_vault_id_normalize(), also giving the birth date (YYYYMMDD) of a resident id. */
skl_err
skl_identity_normalize(const char *id_type, const char *id_number, char *out, int *birth, char *why,
                       size_t whylen)
{
    const char *p;
    size_t n;
    int t = type_index(id_type);
    *birth = 0;
    if (t < 0) {
        skl_why(why, whylen,
            "unknown id type (expected resident-id, passport, hk-macao-permit, "
            "taiwan-permit or foreign-permanent-resident)");
        return SKL_ERR_SCHEMA;
    }
    trim(id_number, &p, &n);
    if (t == 0) {
        if (n != 18) {
            skl_why(why, whylen, "resident-id: must be 18 characters, not %zu", n);
            return SKL_ERR_SCHEMA;
        }
        for (size_t i = 0; i < 17; i++)
            if (p[i] < '0' || p[i] > '9') {
                skl_why(why, whylen, "resident-id: character %zu is not a digit", i + 1);
                return SKL_ERR_SCHEMA;
            }
        char last = p[17] == 'x' ? 'X' : p[17];
        if (last != 'X' && (last < '0' || last > '9')) {
            skl_why(why, whylen, "resident-id: character 18 is not a digit or X");
            return SKL_ERR_SCHEMA;
        }
        if (p[0] == '0') {
            skl_why(why, whylen, "resident-id: area code cannot start with 0");
            return SKL_ERR_SCHEMA;
        }
        if (!real_date(p + 6, birth)) {
            skl_why(why, whylen,
                "resident-id: birth date (characters 7-14) is not a real date "
                "from 1900-01-01 on");
            return SKL_ERR_SCHEMA;
        }
        if (resident_check(p) != last) {
            skl_why(why, whylen, "resident-id: check digit does not match (GB 11643-1999)");
            return SKL_ERR_SCHEMA;
        }
        memcpy(out, p, 17);
        out[17] = last;
        out[18] = '\0';
        return SKL_OK;
    }
    if (n < 5 || n > SKL_VAULT_ID_NUMBER_MAX) {
        skl_why(why, whylen, "%s: must be 5 to 32 characters, not %zu", id_types[t], n);
        return SKL_ERR_SCHEMA;
    }
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            skl_why(why, whylen, "%s: character %zu is not a letter or digit", id_types[t], i + 1);
            return SKL_ERR_SCHEMA;
        }
        out[i] = c;
    }
    out[n] = '\0';
    return SKL_OK;
}

skl_err
skl_vault_id_normalize(const char *id_type, const char *id_number,
                       char out[SKL_VAULT_ID_NUMBER_MAX + 1], char *why, size_t whylen)
{
    int birth;
    if (id_type == NULL || id_number == NULL || out == NULL) {
        skl_why(why, whylen, "missing id type or number");
        return SKL_ERR_INVAL;
    }
    return skl_identity_normalize(id_type, id_number, out, &birth, why, whylen);
}

/* ---- names ------------------------------------------------------------------------------ */

/* Trims name into out (SKL_VAULT_NAME_MAX + 1 bytes) and checks it. */
skl_err
skl_identity_check_name(const char *name, char *out, char *why, size_t whylen)
{
    const char *p;
    size_t n;
    trim(name, &p, &n);
    if (n == 0 || n > SKL_VAULT_NAME_MAX) {
        skl_why(why, whylen, "name: must be 1 to %d bytes, not %zu", SKL_VAULT_NAME_MAX, n);
        return SKL_ERR_SCHEMA;
    }
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        if (skl_utf8_next((const unsigned char *)p, n, &i, &cp) != 0) {
            skl_why(why, whylen, "name: not valid UTF-8");
            return SKL_ERR_SCHEMA;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            skl_why(why, whylen, "name: contains a control character");
            return SKL_ERR_SCHEMA;
        }
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return SKL_OK;
}
