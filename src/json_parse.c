/*
 * json_parse.c - strict RFC 8259 / I-JSON parser into a one-arena DOM (json_doc_int.h).
 *
 * Containers collect their
 * children on a scratch stack (on the C stack first, heap only for large documents)
 * and are copied into the arena in one piece when they close, so a document costs
 * one or two mallocs. Object members are sorted by UTF-16 code units while closing,
 * which is also where duplicate keys are caught.
 */
#include "json_doc_int.h"
#include "json_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef unsigned char uchar;

/* ---------------------------------------------------------------- parser ------- */

typedef struct entry {
    skl_json_member m;
    size_t off; /* byte offset of the key, for error messages */
} entry;

#define SCRATCH_LOCAL 64

typedef struct parser {
    const uchar *start, *p, *end;
    skl_json_doc *doc;
    entry *st;
    size_t top, cap;
    entry local[SCRATCH_LOCAL];
    size_t departures; /* how often the text departed from canonical form so far */
    skl_err err;
    char *why;
    size_t whylen;
} parser;

static int fail(parser *P, skl_err err, const uchar *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(parser *P, skl_err err, const uchar *at, const char *fmt, ...)
{
    if (P->err != SKL_OK)
        return -1;
    P->err = err;
    if (P->why != NULL && P->whylen > 0) {
        int n = snprintf(P->why, P->whylen, "byte %zu: ", (size_t)(at - P->start));
        if (n >= 0 && (size_t)n < P->whylen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(P->why + n, P->whylen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static int
fail_nomem(parser *P)
{
    return fail(P, SKL_ERR_NOMEM, P->p, "out of memory");
}

/* A short printable rendering of byte c for messages. */
static const char *
show_byte(char buf[8], unsigned c)
{
    if (c >= 0x21 && c < 0x7f)
        snprintf(buf, 8, "'%c'", (char)c);
    else
        snprintf(buf, 8, "0x%02x", c);
    return buf;
}

static int
fail_unexpected(parser *P, const char *wanted)
{
    char b[8];
    if (P->p >= P->end)
        return fail(P, SKL_ERR_PARSE, P->p, "unexpected end of input, expected %s", wanted);
    return fail(P, SKL_ERR_PARSE, P->p, "unexpected %s, expected %s", show_byte(b, *P->p), wanted);
}

/* Doubles the scratch stack (out of line: it rarely runs). */
static int
grow(parser *P)
{
    size_t ncap = P->cap * 2;
    entry *n;
    if (P->st == P->local) {
        n = malloc(ncap * sizeof *n);
        if (n != NULL)
            memcpy(n, P->local, P->top * sizeof *n);
    } else {
        n = realloc(P->st, ncap * sizeof *n);
    }
    if (n == NULL)
        return fail_nomem(P);
    P->st = n;
    P->cap = ncap;
    return 0;
}

/* Takes the next scratch slot, its index into *i. */
static inline int
slot_new(parser *P, size_t *i)
{
    if (P->top == P->cap && grow(P) != 0)
        return -1;
    *i = P->top++;
    return 0;
}

static inline void
skip_ws(parser *P)
{
    const uchar *p = P->p, *end = P->end;
    if (p != end && *p > 0x20) /* the usual case: no whitespace (all of it is <= 0x20) */
        return;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    P->departures += p != P->p; /* canonical JSON has no whitespace between tokens */
    P->p = p;
}

/* ---- strings ---- */

/* 1 for bytes a string scan must stop at: controls, '"', '\\' and non-ASCII. */
static const uchar str_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

#define ONES8 0x0101010101010101ULL
#define HIGH8 0x8080808080808080ULL

/* Nonzero if any of the 8 bytes at p is a str_stop byte. Exact about "none"; and the
 * lowest flagged byte is always a stop byte (a borrow only flags bytes above a true one),
 * so on a little-endian machine its trailing zero count finds the first stop. */
static inline uint64_t
str_stop8(const uchar *p)
{
    uint64_t x, q, b;
    memcpy(&x, p, 8);
    q = x ^ (ONES8 * '"');
    b = x ^ (ONES8 * '\\');
    return (((x - ONES8 * 0x20) & ~x) | ((q - ONES8) & ~q) | ((b - ONES8) & ~b) | x) & HIGH8;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0 if invalid
 * (overlong, surrogate, above U+10FFFF, stray continuation, truncated). */
static size_t
utf8_seq(const uchar *p, const uchar *end)
{
    unsigned c = p[0];
    size_t avail = (size_t)(end - p);
    if (c >= 0xC2 && c <= 0xDF)
        return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (avail < 3 || (p[2] & 0xC0) != 0x80)
            return 0;
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return p[1] >= lo && p[1] <= hi ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (avail < 4 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return p[1] >= lo && p[1] <= hi ? 4 : 0;
    }
    return 0;
}

static int
hex4(const uchar *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static size_t
put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes the escapes of the raw string body s[0..e) into o; returns the decoded length
 * or (size_t)-1 after fail(). The body's raw bytes were validated by the scan. */
static size_t
decode_escapes(parser *P, const uchar *s, const uchar *e, char *o)
{
    char *o0 = o;
    while (s < e) {
        const uchar *bs = memchr(s, '\\', (size_t)(e - s));
        size_t run = (bs ? bs : e) - s;
        memcpy(o, s, run);
        o += run;
        if (bs == NULL)
            break;
        s = bs + 1; /* the scan guarantees a byte after each backslash */
        static const char from[8] = {'"', '\\', '/', 'b', 'f', 'n', 'r', 't'};
        static const char to[8] = {'"', '\\', '/', '\b', '\f', '\n', '\r', '\t'};
        const char *hit = memchr(from, *s, sizeof from);
        if (hit != NULL) {
            *o++ = to[hit - from];
            s++;
            continue;
        }
        char b[8];
        switch (*s) {
        case 'u': {
            unsigned cp, lo;
            if (e - s < 5 || hex4(s + 1, &cp) != 0)
                return fail(P, SKL_ERR_PARSE, bs, "bad \\u escape"), (size_t)-1;
            s += 5;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(P, SKL_ERR_PARSE, bs, "lone low surrogate \\u%04x", cp), (size_t)-1;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (e - s < 6 || s[0] != '\\' || s[1] != 'u' || hex4(s + 2, &lo) != 0 ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return fail(P, SKL_ERR_PARSE, bs, "lone high surrogate \\u%04x", cp),
                           (size_t)-1;
                s += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            o += put_utf8(o, cp);
            break;
        }
        default:
            return fail(P, SKL_ERR_PARSE, bs, "invalid escape character %s", show_byte(b, *s)),
                   (size_t)-1;
        }
    }
    return (size_t)(o - o0);
}

/* P->p is at the opening quote. */
static int
parse_string(parser *P, const char **out, uint32_t *outlen)
{
    const uchar *q0 = P->p, *s = q0 + 1, *q = s, *end = P->end;
    int esc = 0;
    for (;;) {
#ifdef __SSE2__
        /* 16 bytes at a time. As signed bytes, "below 0x20" takes in both the controls and
         * every byte >= 0x80, so three compares find all the stops. */
        const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        for (; end - q >= 16; q += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
            __m128i hit =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                             _mm_cmplt_epi8(v, space));
            unsigned mask = (unsigned)_mm_movemask_epi8(hit);
            if (mask != 0) {
                q += __builtin_ctz(mask);
                goto stopped;
            }
        }
#endif
        for (; end - q >= 8; q += 8) {
            uint64_t stop = str_stop8(q);
            if (stop != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                q += __builtin_ctzll(stop) >> 3;
#endif
                break;
            }
        }
        while (q < end && !str_stop[*q])
            q++;
#ifdef __SSE2__
    stopped:
#endif
        if (q >= end)
            return fail(P, SKL_ERR_PARSE, q0, "unterminated string");
        unsigned c = *q;
        if (c == '"')
            break;
        if (c == '\\') {
            esc = 1;
            if (end - q < 2)
                return fail(P, SKL_ERR_PARSE, q0, "unterminated string");
            q += 2;
            continue;
        }
        if (c < 0x20)
            return fail(P, SKL_ERR_PARSE, q, "raw control character 0x%02x in string", c);
        size_t n = utf8_seq(q, end);
        if (n == 0)
            return fail(P, SKL_ERR_PARSE, q, "invalid UTF-8");
        q += n;
    }
    size_t raw = (size_t)(q - s);
    char *dst = arena_alloc(P->doc, raw + 1, 1);
    if (dst == NULL)
        return fail_nomem(P);
    size_t n = raw;
    if (!esc) {
        memcpy(dst, s, raw);
    } else {
        n = decode_escapes(P, s, q, dst);
        if (n == (size_t)-1)
            return -1;
        arena_shrink_last(P->doc, raw - n);
    }
    dst[n] = '\0';
    *out = dst;
    *outlen = (uint32_t)n;
    P->departures += esc; /* escaped strings are left to the canonical writer */
    P->p = q + 1;
    return 0;
}

/* ---- numbers ---- */

static int
parse_number(parser *P, double *out)
{
    const uchar *start = P->p, *p = P->p, *end = P->end;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (p >= end || *p < '0' || *p > '9') {
        P->p = p;
        return fail(P, SKL_ERR_PARSE, start, "invalid number: digit expected");
    }
    const uchar *ip = p;
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9')
            return fail(P, SKL_ERR_PARSE, start, "invalid number: leading zero");
    } else {
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    size_t ilen = (size_t)(p - ip);
    const uchar *fp = p;
    size_t flen = 0;
    if (p < end && *p == '.') {
        p++;
        fp = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        flen = (size_t)(p - fp);
        if (flen == 0)
            return fail(P, SKL_ERR_PARSE, start, "invalid number: digit expected after '.'");
    }
    int64_t ex = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-')) {
            eneg = *p == '-';
            p++;
        }
        if (p >= end || *p < '0' || *p > '9')
            return fail(P, SKL_ERR_PARSE, start, "invalid number: exponent digit expected");
        while (p < end && *p >= '0' && *p <= '9') {
            if (ex < 1000000000)
                ex = ex * 10 + (*p - '0');
            p++;
        }
        if (eneg)
            ex = -ex;
    }
    P->p = p;
    /* Canonical (ECMAScript) as written only for plain integers of at most 15 digits,
     * which every double holds exactly, with no fraction or exponent; "-0" is written "0". */
    P->departures += p != ip + ilen || ilen > 15 || (neg && *ip == '0');
    double d;
    if (skl_json_decimal_to_double(ip, ilen, fp, flen, ex - (int64_t)flen, &d) != 0)
        return fail_nomem(P);
    if (isinf(d) || isnan(d))
        return fail(P, SKL_ERR_PARSE, start, "number out of range");
    *out = neg ? -d : d;
    return 0;
}

/* ---- values ---- */

static int parse_value(parser *P, skl_json_value *v, int depth);
static int parse_into_slot(parser *P, size_t i, int depth);

static int
parse_literal(parser *P, const char *word, size_t n, skl_json_type t, skl_json_value *v)
{
    if ((size_t)(P->end - P->p) < n || memcmp(P->p, word, n) != 0)
        return fail(P, SKL_ERR_PARSE, P->p, "invalid literal, expected %s", word);
    P->p += n;
    v->type = t;
    v->n = 0;
    v->u.num = 0;
    return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return skl_json_key_cmp(x->m.key, x->m.key_len, y->m.key, y->m.key_len);
}

/* Fails for a duplicate key; reports the later of the two occurrences. */
static int
dup_key(parser *P, const entry *a, const entry *b)
{
    size_t off = a->off > b->off ? a->off : b->off;
    char shown[64];
    size_t w = 0;
    for (uint32_t i = 0; i < a->m.key_len && w + 5 < sizeof shown; i++) {
        unsigned c = (uchar)a->m.key[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            shown[w++] = (char)c;
        else
            w += (size_t)snprintf(shown + w, sizeof shown - w, "\\x%02x", c);
    }
    shown[w] = '\0';
    return fail(P, SKL_ERR_PARSE, P->start + off, "duplicate key \"%s\"", shown);
}

/* Sorts P->st[base..top) by key and refuses duplicates: insertion sort for the small
 * objects that make up nearly every document, qsort for the rest. Members out of
 * canonical order count as a departure from canonical form. */
static int
sort_members(parser *P, size_t base)
{
    entry *e = P->st + base;
    size_t n = P->top - base;
    size_t ordered = 1;
    while (ordered < n && cmp_entry(&e[ordered - 1], &e[ordered]) < 0)
        ordered++;
    if (ordered == n)
        return 0;
    P->departures++;
    if (n <= 16) {
        for (size_t i = ordered; i < n; i++) {
            entry t = e[i];
            size_t j = i;
            while (j > 0) {
                int c = skl_json_key_cmp(e[j - 1].m.key, e[j - 1].m.key_len, t.m.key, t.m.key_len);
                if (c < 0)
                    break;
                if (c == 0)
                    return dup_key(P, &e[j - 1], &t);
                e[j] = e[j - 1];
                j--;
            }
            e[j] = t;
        }
        return 0;
    }
    qsort(e, n, sizeof *e, cmp_entry);
    for (size_t i = 1; i < n; i++)
        if (cmp_entry(&e[i - 1], &e[i]) == 0)
            return dup_key(P, &e[i - 1], &e[i]);
    return 0;
}

_Static_assert(sizeof(container_head) % _Alignof(skl_json_member) == 0,
               "a container's elements follow its head aligned");

/* Room in the arena for a container's head and its n elements of size each; fills the
 * head (the container's text ran from open to P->p). Returns the elements, or NULL. */
static inline void *
container_alloc(parser *P, const uchar *open, size_t departures_before, size_t n, size_t size)
{
    if (n > (SIZE_MAX - sizeof(container_head)) / size)
        return NULL;
    container_head *h = arena_alloc(P->doc, sizeof *h + n * size, _Alignof(container_head));
    if (h == NULL)
        return NULL;
    int canonical = P->doc->keep_source && P->departures == departures_before;
    h->source_text = canonical ? (const char *)open : NULL;
    h->source_len = canonical ? (size_t)(P->p - open) : 0;
    return h + 1;
}

static int
parse_object(parser *P, skl_json_value *v, int depth)
{
    const uchar *open = P->p;
    size_t departures = P->departures;
    if (depth >= SKL_JSON_MAX_DEPTH)
        return fail(P, SKL_ERR_LIMIT, open, "nesting deeper than %d", SKL_JSON_MAX_DEPTH);
    P->p++;
    skip_ws(P);
    size_t base = P->top;
    if (P->p < P->end && *P->p == '}') {
        P->p++;
        v->type = SKL_JSON_OBJECT;
        v->n = 0;
        v->u.obj = NULL;
        return 0;
    }
    for (;;) {
        if (P->p >= P->end || *P->p != '"')
            return fail_unexpected(P, "a string key");
        size_t i;
        if (slot_new(P, &i) != 0)
            return -1;
        entry *e = &P->st[i];
        e->off = (size_t)(P->p - P->start);
        if (parse_string(P, &e->m.key, &e->m.key_len) != 0)
            return -1;
        skip_ws(P);
        if (P->p >= P->end || *P->p != ':')
            return fail_unexpected(P, "':'");
        P->p++;
        skip_ws(P);
        if (parse_into_slot(P, i, depth + 1) != 0)
            return -1;
        skip_ws(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            skip_ws(P);
            continue;
        }
        if (P->p < P->end && *P->p == '}') {
            P->p++;
            break;
        }
        return fail_unexpected(P, "',' or '}'");
    }
    size_t n = P->top - base;
    if (n > UINT32_MAX)
        return fail(P, SKL_ERR_LIMIT, open, "too many members");
    if (sort_members(P, base) != 0)
        return -1;
    skl_json_member *m = container_alloc(P, open, departures, n, sizeof *m);
    if (m == NULL)
        return fail_nomem(P);
    for (size_t i = 0; i < n; i++)
        m[i] = P->st[base + i].m;
    P->top = base;
    v->type = SKL_JSON_OBJECT;
    v->n = (uint32_t)n;
    v->u.obj = m;
    return 0;
}

static int
parse_array(parser *P, skl_json_value *v, int depth)
{
    const uchar *open = P->p;
    size_t departures = P->departures;
    if (depth >= SKL_JSON_MAX_DEPTH)
        return fail(P, SKL_ERR_LIMIT, open, "nesting deeper than %d", SKL_JSON_MAX_DEPTH);
    P->p++;
    skip_ws(P);
    size_t base = P->top;
    if (P->p < P->end && *P->p == ']') {
        P->p++;
        v->type = SKL_JSON_ARRAY;
        v->n = 0;
        v->u.arr = NULL;
        return 0;
    }
    for (;;) {
        size_t i;
        if (slot_new(P, &i) != 0)
            return -1;
        P->st[i].m.key = NULL;
        P->st[i].m.key_len = 0;
        P->st[i].off = 0;
        if (parse_into_slot(P, i, depth + 1) != 0)
            return -1;
        skip_ws(P);
        if (P->p < P->end && *P->p == ',') {
            P->p++;
            skip_ws(P);
            continue;
        }
        if (P->p < P->end && *P->p == ']') {
            P->p++;
            break;
        }
        return fail_unexpected(P, "',' or ']'");
    }
    size_t n = P->top - base;
    if (n > UINT32_MAX)
        return fail(P, SKL_ERR_LIMIT, open, "too many elements");
    skl_json_value *a = container_alloc(P, open, departures, n, sizeof *a);
    if (a == NULL)
        return fail_nomem(P);
    for (size_t i = 0; i < n; i++)
        a[i] = P->st[base + i].m.value;
    P->top = base;
    v->type = SKL_JSON_ARRAY;
    v->n = (uint32_t)n;
    v->u.arr = a;
    return 0;
}

/*
 * Parses the value at P->p into scratch slot i. A scalar is written in place: it takes no
 * slots, so the stack stays put. A container's children may move the stack, so it is
 * parsed aside and copied in. (Copying every value had the CPU read back, whole, a value
 * stored a moment before in parts, which it cannot forward: a stall per value.)
 */
static int
parse_into_slot(parser *P, size_t i, int depth)
{
    if (P->p < P->end && (*P->p == '{' || *P->p == '[')) {
        skl_json_value v;
        if (parse_value(P, &v, depth) != 0)
            return -1;
        P->st[i].m.value = v;
        return 0;
    }
    return parse_value(P, &P->st[i].m.value, depth);
}

/* depth = number of containers enclosing v. */
static int
parse_value(parser *P, skl_json_value *v, int depth)
{
    if (P->p >= P->end)
        return fail_unexpected(P, "a value");
    switch (*P->p) {
    case '{': return parse_object(P, v, depth);
    case '[': return parse_array(P, v, depth);
    case '"': v->type = SKL_JSON_STRING; return parse_string(P, &v->u.str, &v->n);
    case 't': return parse_literal(P, "true", 4, SKL_JSON_TRUE, v);
    case 'f': return parse_literal(P, "false", 5, SKL_JSON_FALSE, v);
    case 'n': return parse_literal(P, "null", 4, SKL_JSON_NULL, v);
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        v->type = SKL_JSON_NUMBER;
        v->n = 0;
        return parse_number(P, &v->u.num);
    default: return fail_unexpected(P, "a value");
    }
}

static skl_err
parse_document(skl_json_doc **out, const char *text, size_t len, size_t max_len, int keep_source,
               char *why, size_t whylen)
{
    parser *P = NULL;
    parser local_parser;
    skl_err err = SKL_OK;

    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (out == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (text == NULL) {
        if (len > 0)
            return SKL_ERR_INVAL;
        text = "";
    }
    P = &local_parser;
    P->start = P->p = (const uchar *)text;
    P->end = P->start + len;
    P->doc = NULL;
    P->st = P->local;
    P->top = 0;
    P->departures = 0;
    P->cap = SCRATCH_LOCAL;
    P->err = SKL_OK;
    P->why = why;
    P->whylen = whylen;

    if (len > max_len || len > UINT32_MAX) {
        fail(P, SKL_ERR_LIMIT, P->start, "input of %zu bytes exceeds the limit of %zu", len,
             max_len < UINT32_MAX ? max_len : (size_t)UINT32_MAX);
        goto out;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        fail(P, SKL_ERR_PARSE, P->start, "byte order mark not allowed");
        goto out;
    }
    P->doc = skl_json_doc_new(len);
    if (P->doc == NULL) {
        fail_nomem(P);
        goto out;
    }
    P->doc->keep_source = keep_source;
    skip_ws(P);
    if (P->p >= P->end) {
        fail(P, SKL_ERR_PARSE, P->p, "empty input");
        goto out;
    }
    if (parse_value(P, &P->doc->root, 0) != 0)
        goto out;
    skip_ws(P);
    if (P->p < P->end) {
        char b[8];
        fail(P, SKL_ERR_PARSE, P->p, "trailing %s after the value", show_byte(b, *P->p));
        goto out;
    }
    P->doc->cur = NULL;
    P->doc->left = 0;
    *out = P->doc;
    P->doc = NULL;

out:
    if (err == SKL_OK)
        err = P->err;
    if (P->st != P->local)
        free(P->st);
    skl_json_free(P->doc);
    return err;
}

skl_err
skl_json_parse(skl_json_doc **out, const char *text, size_t len, size_t max_len, char *why,
               size_t whylen)
{
    return parse_document(out, text, len, max_len, 0, why, whylen);
}

skl_err
skl_json_parse_keep(skl_json_doc **out, const char *text, size_t len, size_t max_len, char *why,
                    size_t whylen)
{
    return parse_document(out, text, len, max_len, 1, why, whylen);
}
