/*
 * json_canon.c - RFC 8785 (JCS) canonical JSON writer.
 *
 * Parsed objects already hold their members in canonical order, so writing is a plain
 * walk. Strings escape only '"', '\\' and controls. Numbers follow ECMAScript's
 * Number.prototype.toString: small integers take a fast path; other values get the
 * shortest digit string that reads back to the same double, found by trying
 * precisions with printf's correctly rounded "%.*e" and strtod (in a radix-free form,
 * so the caller's locale does not matter), then laid out per ECMA-262 §6.1.6.1.20.
 */
#include "json_doc_int.h"
#include "json_int.h"

#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- strings ------ */

/* 1 for bytes that need an escape. */
static const unsigned char needs_esc[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

#define ONES8 0x0101010101010101ULL
#define HIGH8 0x8080808080808080ULL

/* Offset of the first byte of p[0..n) that needs an escape, or n. */
static size_t
first_escape(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t x, q, b;
        memcpy(&x, p + i, 8);
        q = x ^ (ONES8 * '"');
        b = x ^ (ONES8 * '\\');
        if ((((x - ONES8 * 0x20) & ~x) | ((q - ONES8) & ~q) | ((b - ONES8) & ~b)) & HIGH8)
            break;
    }
    while (i < n && !needs_esc[p[i]])
        i++;
    return i;
}

static inline int
put1(skl_buf *b, char c)
{
    if (b->cap - b->len > 1) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return skl_buf_putc(b, c);
}

int
skl_json_write_string(skl_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    if (n > SIZE_MAX - 2 || skl_buf_reserve(b, n + 2) != 0)
        return -1;
    size_t i = first_escape(p, n);
    char *o = b->data + b->len;
    *o++ = '"';
    if (i > 0)
        memcpy(o, p, i);
    b->len += 1 + i;
    while (i < n) {
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t el = 2;
        switch (p[i]) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\t': e[1] = 't'; break;
        case '\n': e[1] = 'n'; break;
        case '\f': e[1] = 'f'; break;
        case '\r': e[1] = 'r'; break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[p[i] >> 4];
            e[5] = hex[p[i] & 15];
            el = 6;
        }
        if (skl_buf_append(b, e, el) != 0)
            return -1;
        i++;
        size_t r = first_escape(p + i, n - i);
        if (skl_buf_append(b, p + i, r) != 0)
            return -1;
        i += r;
    }
    return put1(b, '"');
}

/* ---------------------------------------------------------------- numbers ------ */

#define TWO53 9007199254740992.0

/* Reads back digits dg[0..nd) times 10^e in the way every locale agrees on. */
static double
read_back(const char *dg, int nd, int e)
{
    char s[48];
    memcpy(s, dg, (size_t)nd);
    snprintf(s + nd, sizeof s - (size_t)nd, "e%d", e);
    int saved = errno;
    double d = strtod(s, NULL);
    errno = saved;
    return d;
}

/*
 * The p correctly rounded significant digits of d > 0 (finite) into dg[0..p), and the
 * decimal exponent x of the first digit (d ~ d0.d1d2... * 10^x). Non-digit bytes of
 * printf's output (the locale's radix character) are skipped.
 */
static void
digits_at(double d, int p, char dg[20], int *x)
{
    char s[64];
    snprintf(s, sizeof s, "%.*e", p - 1, d);
    int k = 0;
    const char *c = s;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9' && k < p)
            dg[k++] = *c;
    *x = *c == 'e' ? atoi(c + 1) : 0;
}

/*
 * Whether some p-digit decimal reads back as d; if so, the one closest to d goes to
 * dg/x. The closest p-digit decimal D is tried first; when it misses, the only other
 * candidate is its grid neighbour on d's side (the rounding interval of d is lopsided
 * at powers of two, so D may fall out on the narrow side while the neighbour is in).
 */
static int
try_precision(double d, int p, char dg[20], int *x)
{
    digits_at(d, p, dg, x);
    double r = read_back(dg, p, *x - (p - 1));
    if (r == d)
        return 1;
    char n[20];
    int nx = *x, i;
    memcpy(n, dg, (size_t)p);
    if (r < d) { /* D + one unit in the last place */
        for (i = p - 1; i >= 0 && n[i] == '9'; i--)
            n[i] = '0';
        if (i >= 0) {
            n[i]++;
        } else {
            n[0] = '1';
            nx++;
        }
    } else { /* D - one unit; below 10^x the grid is ten times finer */
        for (i = p - 1; i >= 0 && n[i] == '0'; i--)
            n[i] = '9';
        n[i]--; /* i >= 0: D > d > 0 */
        if (n[0] == '0') {
            memset(n, '9', (size_t)p);
            nx--;
        }
    }
    if (read_back(n, p, nx - (p - 1)) != d)
        return 0;
    memcpy(dg, n, (size_t)p);
    *x = nx;
    return 1;
}

/* Some p-digit decimal reads back as a <=> p >= the shortest length, and 17 always
 * does: binary search for the shortest. */
static void
shortest_slow(double a, char best[20], int *bestp, int *bestx)
{
    char dg[20];
    int x, lo = 1, hi = 17;
    *bestp = 0;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (try_precision(a, mid, dg, &x)) {
            hi = mid;
            memcpy(best, dg, (size_t)mid);
            *bestx = x;
            *bestp = mid;
        } else {
            lo = mid + 1;
        }
    }
    if (*bestp != lo) {
        (void)try_precision(a, lo, best, bestx);
        *bestp = lo;
    }
}

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/*
 * Fast path for the common short decimals (4.5, 0.75, 19.99): the smallest k <= 22
 * such that m = round(a * 10^k) < 2^50 and m / 10^k reads back as a. Both the product
 * (off by < 0.25 below 2^50) and the quotient (10^k exact, one rounding: what strtod
 * gives) are exact enough that any decimal with fewer fraction digits, hence any with
 * fewer significant digits, would have been found at a smaller k; and m is the nearest
 * at k. Returns 0 when a is not such a decimal.
 */
static int
short_decimal(double a, char best[20], int *bestp, int *bestx)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    for (int k = 1; k <= 22; k++) {
        double t = a * pow10_exact[k];
        if (t >= 1125899906842624.0) /* 2^50 */
            return 0;
        uint64_t m = (uint64_t)(t + 0.5);
        if (m != 0 && (double)m / pow10_exact[k] == a) {
            char tmp[20];
            int p = 0;
            while (m) {
                tmp[p++] = (char)('0' + m % 10);
                m /= 10;
            }
            for (int i = 0; i < p; i++)
                best[i] = tmp[p - 1 - i];
            *bestp = p;
            *bestx = p - 1 - k;
            return 1;
        }
    }
#else
    (void)a;
    (void)best;
    (void)bestp;
    (void)bestx;
#endif
    return 0;
}

static int
write_uint(skl_buf *b, uint64_t u)
{
    char t[24];
    int i = (int)sizeof t;
    do {
        t[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    return skl_buf_append(b, t + i, sizeof t - (size_t)i);
}

int
skl_json_write_number(skl_buf *b, double d)
{
    if (!isfinite(d)) /* not JSON; parsed documents never hold one. As JSON.stringify. */
        return skl_buf_append(b, "null", 4);
    if (d > -TWO53 && d < TWO53 && d == (double)(int64_t)d) {
        int64_t i = (int64_t)d; /* -0 becomes 0 */
        if (i < 0 && put1(b, '-') != 0)
            return -1;
        return write_uint(b, i < 0 ? (uint64_t)(-i) : (uint64_t)i);
    }
    if (d < 0 && put1(b, '-') != 0)
        return -1;
    double a = fabs(d);

    char best[20];
    int bestx = 0, bestp = 0;
    if (!short_decimal(a, best, &bestp, &bestx))
        shortest_slow(a, best, &bestp, &bestx);
    int k = bestp;
    while (k > 1 && best[k - 1] == '0')
        k--;
    int n = bestx + 1; /* a = 0.d1d2...dk * 10^n */

    char out[48];
    size_t o = 0;
    if (k <= n && n <= 21) {
        memcpy(out, best, (size_t)k);
        o = (size_t)k;
        for (int i = k; i < n; i++)
            out[o++] = '0';
    } else if (0 < n && n <= 21) {
        memcpy(out, best, (size_t)n);
        o = (size_t)n;
        out[o++] = '.';
        memcpy(out + o, best + n, (size_t)(k - n));
        o += (size_t)(k - n);
    } else if (-6 < n && n <= 0) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = 0; i < -n; i++)
            out[o++] = '0';
        memcpy(out + o, best, (size_t)k);
        o += (size_t)k;
    } else {
        out[o++] = best[0];
        if (k > 1) {
            out[o++] = '.';
            memcpy(out + o, best + 1, (size_t)(k - 1));
            o += (size_t)(k - 1);
        }
        int e = n - 1;
        o += (size_t)snprintf(out + o, sizeof out - o, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    }
    return skl_buf_append(b, out, o);
}

/* ---------------------------------------------------------------- values ------- */

static int
write_members(skl_buf *b, const skl_json_value *obj, const char *skip, size_t skiplen)
{
    if (put1(b, '{') != 0)
        return -1;
    int first = 1;
    for (uint32_t i = 0; i < obj->n; i++) {
        const skl_json_member *m = &obj->u.obj[i];
        if (skip != NULL && m->key_len == skiplen && memcmp(m->key, skip, skiplen) == 0)
            continue;
        if (!first && put1(b, ',') != 0)
            return -1;
        first = 0;
        if (skl_json_write_string(b, m->key, m->key_len) != 0 || put1(b, ':') != 0 ||
            skl_json_canon_buf(b, &m->value) != 0)
            return -1;
    }
    return put1(b, '}');
}

int
skl_json_canon_buf(skl_buf *b, const skl_json_value *v)
{
    if ((v->type == SKL_JSON_ARRAY || v->type == SKL_JSON_OBJECT) && v->n > 0) {
        const container_head *h = container_head_of(v);
        if (h->source_text != NULL)
            return skl_buf_append(b, h->source_text, h->source_len);
    }
    switch (v->type) {
    case SKL_JSON_NULL: return skl_buf_append(b, "null", 4);
    case SKL_JSON_FALSE: return skl_buf_append(b, "false", 5);
    case SKL_JSON_TRUE: return skl_buf_append(b, "true", 4);
    case SKL_JSON_NUMBER: return skl_json_write_number(b, v->u.num);
    case SKL_JSON_STRING: return skl_json_write_string(b, v->u.str, v->n);
    case SKL_JSON_ARRAY:
        if (put1(b, '[') != 0)
            return -1;
        for (uint32_t i = 0; i < v->n; i++) {
            if (i > 0 && put1(b, ',') != 0)
                return -1;
            if (skl_json_canon_buf(b, &v->u.arr[i]) != 0)
                return -1;
        }
        return put1(b, ']');
    case SKL_JSON_OBJECT: return write_members(b, v, NULL, 0);
    }
    return skl_buf_append(b, "null", 4);
}

int
skl_json_canon_object_except(skl_buf *b, const skl_json_value *obj, const char *skip)
{
    if (obj->type != SKL_JSON_OBJECT) /* contract breach: write the value as it is */
        return skl_json_canon_buf(b, obj);
    return write_members(b, obj, skip, skip ? strlen(skip) : 0);
}

/* Output size when no string needs escapes; sizes the buffer once. */
static size_t
estimate(const skl_json_value *v)
{
    size_t n = 0;
    switch (v->type) {
    case SKL_JSON_NUMBER: return 24;
    case SKL_JSON_STRING: return (size_t)v->n + 2;
    case SKL_JSON_ARRAY:
        n = 2 + v->n;
        for (uint32_t i = 0; i < v->n; i++)
            n += estimate(&v->u.arr[i]);
        return n;
    case SKL_JSON_OBJECT:
        n = 2 + v->n;
        for (uint32_t i = 0; i < v->n; i++)
            n += (size_t)v->u.obj[i].key_len + 3 + estimate(&v->u.obj[i].value);
        return n;
    default: return 5;
    }
}

skl_err
skl_json_canonicalize(const skl_json_value *v, char **out, size_t *outlen)
{
    skl_buf b = SKL_BUF_INIT;
    skl_err err = SKL_OK;

    *out = NULL;
    if (outlen)
        *outlen = 0;
    if (v == NULL) {
        err = SKL_ERR_INVAL;
        goto out;
    }
    if (skl_buf_reserve(&b, estimate(v) + 16) != 0 || skl_json_canon_buf(&b, v) != 0) {
        err = SKL_ERR_NOMEM;
        goto out;
    }
    *out = skl_buf_take(&b, outlen);
    if (*out == NULL)
        err = SKL_ERR_NOMEM;

out:
    skl_buf_free(&b);
    return err;
}
