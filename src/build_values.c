/* build_values.c - the form of each value the credential builder (build.c) takes: dates,
 * UUIDs, did:keys, USCCs, hours, years, certificate numbers and the other T_* types of
 * build_int.h. Dates are normalised to YYYY-MM-DD on the way. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_int.h"
#include "codec_int.h"
#include "skl/err.h"
#include "utc_int.h"
#include "why_int.h"

static int
is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Strict decimal: no sign, no leading zero, at most 9 digits. 0 or -1. */
static int
parse_int(const char *s, long *v)
{
    size_t n = strlen(s);
    if (n == 0 || n > 9 || !is_digits(s, n) || (n > 1 && s[0] == '0'))
        return -1;
    *v = strtol(s, NULL, 10);
    return 0;
}

int
skl_build_int_is_uuid_urn(const char *s)
{
    static const char pre[] = "urn:uuid:";
    size_t n = strlen(s);
    if (n != sizeof pre - 1 + 36 || strncmp(s, pre, sizeof pre - 1) != 0)
        return 0;
    s += sizeof pre - 1;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!skl_hex_is_lower(s + i, 1)) {
            return 0;
        }
    }
    return 1;
}

/* Rewrites a date in place as YYYY-MM-DD; 0, or -1 if it is not a real date. */
static int
norm_date(char *s)
{
    size_t n = strlen(s);
    if (n < 8 || n > 10 || !is_digits(s, 4))
        return -1;
    char sep = s[4];
    if (sep != '-' && sep != '/' && sep != '.')
        return -1;
    const char *m = s + 5, *d = strchr(m, sep);
    if (d == NULL)
        return -1;
    size_t ml = (size_t)(d - m), dl = strlen(d + 1);
    if (ml < 1 || ml > 2 || dl < 1 || dl > 2 || !is_digits(m, ml) || !is_digits(d + 1, dl))
        return -1;
    char out[21];
    snprintf(out, sizeof out, "%.4s-%s%.*s-%s%.*sT00:00:00Z", s, ml == 1 ? "0" : "", (int)ml, m,
             dl == 1 ? "0" : "", (int)dl, d + 1);
    int64_t t;
    if (skl_utc_parse(&t, out, 20) != 0)
        return -1;
    memcpy(s, out, 10);
    s[10] = '\0';
    return 0;
}

static int
is_uscc(const char *s)
{
    static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    if (strlen(s) != 18)
        return 0;
    for (size_t i = 0; i < 18; i++)
        if (strchr(alpha, s[i]) == NULL)
            return 0;
    return 1;
}

static int
is_did_key(const char *s)
{
    static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    /* Ed25519 multikey: 34 bytes always take 47 base58 digits. */
    if (strlen(s) != 56 || strncmp(s, "did:key:z6Mk", 12) != 0)
        return 0;
    for (size_t i = 9; i < 56; i++)
        if (strchr(b58, s[i]) == NULL)
            return 0;
    return 1;
}

/* Checks (and for dates rewrites) value v of field f. 0, or -1 with why filled. */
int
skl_build_int_check_form(const fdef *f, char *v, char *why, size_t whylen)
{
    size_t n = strlen(v);
    long x = 0;
    const char *what = NULL;
    switch (f->type) {
    case T_TEXT:
    case T_LINE:
        for (size_t i = 0; i < n && what == NULL; i++) {
            unsigned char c = (unsigned char)v[i];
            if (c == 0x7F || (c < 0x20 && (f->type == T_LINE || (c != '\n' && c != '\t'))))
                what = "holds a control character";
        }
        if (what == NULL)
            return 0;
        break;
    case T_TOKEN:
        if (n > 128)
            what = "is longer than 128 characters";
        for (size_t i = 0; i < n && what == NULL; i++)
            if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
                  (v[i] >= '0' && v[i] <= '9') || strchr("._:+/-", v[i]) != NULL))
                what = "is not an id (ASCII letters, digits and ._:+/- only)";
        if (what == NULL)
            return 0;
        break;
    case T_KIND:
        if (skl_build_int_is_kind(v))
            return 0;
        what = "is not a kind the builder makes (training, certification, competition, "
               "honour, revocation)";
        break;
    case T_UUID:
        if (skl_build_int_is_uuid_urn(v))
            return 0;
        what = "is not a lower-case urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
        break;
    case T_URN: {
        const char *colon = strchr(v, ':');
        what = "is not an absolute URI";
        if (colon == NULL || colon == v || n > 512)
            break;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)v[i] <= 0x20 || (unsigned char)v[i] >= 0x7F)
                goto bad;
        return 0;
    }
    case T_DID:
        if (is_did_key(v))
            return 0;
        what = "is not the did:key of an Ed25519 key (did:key:z6Mk...)";
        break;
    case T_DATETIME:
        if (n == 20) {
            int64_t t;
            if (skl_utc_parse(&t, v, n) == 0)
                return 0;
        } else if (norm_date(v) == 0) {
            memcpy(v + 10, "T00:00:00Z", 11);
            return 0;
        }
        what = "is not a UTC date-time YYYY-MM-DDThh:mm:ssZ or a date YYYY-MM-DD";
        break;
    case T_DATE:
        if (norm_date(v) == 0)
            return 0;
        what = "is not a date YYYY-MM-DD";
        break;
    case T_HOURS:
    case T_YEAR:
    case T_RANK: {
        long lo = f->type == T_HOURS ? 1 : f->type == T_YEAR ? 1900 : 1;
        long hi = f->type == T_HOURS ? 10000 : f->type == T_YEAR ? 2999 : 1000000;
        if (parse_int(v, &x) != 0) {
            what = "is not an integer";
            break;
        }
        if (x >= lo && x <= hi)
            return 0;
        return skl_why_rc(why, whylen, -1, "field %s: %ld is not in %ld..%ld", f->name, x, lo, hi);
    }
    case T_OCC:
        if (n == 10 && v[1] == '-' && v[4] == '-' && v[7] == '-' && is_digits(v, 1) &&
            is_digits(v + 2, 2) && is_digits(v + 5, 2) && is_digits(v + 8, 2))
            return 0;
        what = "is not an occupation code D-DD-DD-DD";
        break;
    case T_EDITION:
        if (strcmp(v, "2015") == 0 || strcmp(v, "2022") == 0)
            return 0;
        what = "is not an edition of the 大典 (2015 or 2022)";
        break;
    case T_USCC:
        if (is_uscc(v))
            return 0;
        what = "is not a 统一社会信用代码 (18 characters, digits and capitals)";
        break;
    case T_RESULT:
        if (strcmp(v, "passed") == 0 || strcmp(v, "failed") == 0 || strcmp(v, "attended") == 0)
            return 0;
        what = "is not passed, failed or attended";
        break;
    case T_EVALUATOR:
        if (strcmp(v, "Y") == 0 || strcmp(v, "S") == 0)
            return 0;
        what = "is not Y (employer) or S (social organisation)";
        break;
    case T_CERTNO:
        if ((n == 22 && (v[0] == 'Y' || v[0] == 'S') && is_digits(v + 1, 21)) ||
            (n == 16 && is_digits(v, 16)))
            return 0;
        what = "is not a certificate number ([YS] and 21 digits, or 16 digits)";
        break;
    case T_IDHASH:
        if (n == 71 && strncmp(v, "sha256$", 7) == 0 && skl_hex_is_lower(v + 7, 64))
            return 0;
        what = "is not sha256$ and 64 lower-case hex digits";
        break;
    case T_IDLIST: return 0; /* checked item by item when written */
    }
bad:
    if (what == NULL)
        what = "is not of the right form";
    {
        char ex[48];
        size_t k = n < 40 ? n : 40;
        while (k < n && k > 0 && ((unsigned char)v[k] & 0xC0) == 0x80)
            k--;
        memcpy(ex, v, k);
        ex[k] = '\0';
        return skl_why_rc(why, whylen, -1, "field %s: \"%s%s\" %s", f->name, ex, k < n ? "..." : "",
                    what);
    }
}
