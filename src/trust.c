/*
 * trust.c - the employer's trust policy file (spec/trust-policy.md): a C2SP tlog-policy with
 * skl's authority-cert and max-age lines. A strict, bounded, line-at-a-time parser, the
 * quorum evaluation, and the writer the bureau uses to publish a policy.
 */
#include "skl/trust.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "codec_int.h"
#include "utf8_int.h"

/* Groups get node numbers after every possible witness, so a node number never moves. */
#define NODE_GROUP0 SKL_TRUST_MAX_WITNESSES
#define NODE_COUNT (SKL_TRUST_MAX_WITNESSES + SKL_TRUST_MAX_GROUPS)
#define QUORUM_UNSET (-2)
#define QUORUM_NONE (-1)
/* keyword, name, threshold, then at most one mention of every other name */
#define MAX_FIELDS (3 + NODE_COUNT)
/* a vkey: name (255) "+" 8 hex "+" base64 of 33 bytes (44) */
#define VKEY_MAX (SKL_NOTE_NAME_MAX + 1 + 8 + 1 + 44)
/* base64 of the largest certificate */
#define CERT_B64_MAX (((SKL_CERT_MAX_LEN + 2) / 3) * 4)

typedef struct trust_group {
    char name[SKL_TRUST_NAME_MAX + 1];
    unsigned k;
    size_t n;
    uint8_t member[NODE_COUNT]; /* node numbers */
} trust_group;

struct skl_trust {
    int have_log;
    skl_note_verifier log;
    size_t nwit;
    skl_note_verifier wit[SKL_TRUST_MAX_WITNESSES];
    char wname[SKL_TRUST_MAX_WITNESSES][SKL_TRUST_NAME_MAX + 1];
    size_t ngroup;
    trust_group group[SKL_TRUST_MAX_GROUPS];
    int quorum; /* QUORUM_UNSET, QUORUM_NONE or a node number */
    size_t nauth;
    skl_cert *auth[SKL_TRUST_MAX_AUTHORITIES];
    int have_max_age;
    int64_t max_age;
};

typedef struct field {
    const char *p;
    size_t n;
} field;

/* ---- errors -------------------------------------------------------------------------- */

static skl_err fail(char *why, size_t whylen, size_t line, skl_err rc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static skl_err
fail(char *why, size_t whylen, size_t line, skl_err rc, const char *fmt, ...)
{
    if (why != NULL && whylen > 0) {
        int k = snprintf(why, whylen, "line %zu: ", line);
        if (k >= 0 && (size_t)k < whylen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(why + k, whylen - (size_t)k, fmt, ap);
            va_end(ap);
        }
    }
    return rc;
}

/* Names and tokens in messages are cut so that one long token cannot hide the reason. */
#define SHOW(f) (int)((f).n > 64 ? 64 : (f).n), (f).p

static int
field_is(field f, const char *s)
{
    size_t n = strlen(s);
    return f.n == n && memcmp(f.p, s, n) == 0;
}

/* ---- names --------------------------------------------------------------------------- */

/* The node number of the witness or group called f, or -1. */
static int
find_name(const skl_trust *t, field f)
{
    for (size_t i = 0; i < t->nwit; i++)
        if (strlen(t->wname[i]) == f.n && memcmp(t->wname[i], f.p, f.n) == 0)
            return (int)i;
    for (size_t j = 0; j < t->ngroup; j++)
        if (strlen(t->group[j].name) == f.n && memcmp(t->group[j].name, f.p, f.n) == 0)
            return NODE_GROUP0 + (int)j;
    return -1;
}

/* Checks that f may name a new witness or group and copies it to dst. */
static skl_err
take_name(const skl_trust *t, char dst[SKL_TRUST_NAME_MAX + 1], field f, size_t line, char *why,
          size_t whylen)
{
    if (f.n > SKL_TRUST_NAME_MAX)
        return fail(why, whylen, line, SKL_ERR_LIMIT, "name longer than %d bytes",
                    SKL_TRUST_NAME_MAX);
    if (field_is(f, "none"))
        return fail(why, whylen, line, SKL_ERR_SCHEMA, "\"none\" is reserved and cannot be a name");
    if (find_name(t, f) >= 0)
        return fail(why, whylen, line, SKL_ERR_SCHEMA, "name \"%.*s\" is already defined", SHOW(f));
    memcpy(dst, f.p, f.n);
    dst[f.n] = '\0';
    return SKL_OK;
}

/* ---- fields ---------------------------------------------------------------------------- */

static skl_err
take_vkey(skl_note_verifier *v, field f, uint8_t want, const char *what, size_t line, char *why,
          size_t whylen)
{
    char s[VKEY_MAX + 1];
    if (f.n > VKEY_MAX)
        return fail(why, whylen, line, SKL_ERR_KEY, "%s vkey is too long", what);
    memcpy(s, f.p, f.n);
    s[f.n] = '\0';
    skl_err rc = skl_note_vkey_parse(v, s);
    if (rc == SKL_ERR_KEY)
        return fail(why, whylen, line, SKL_ERR_KEY,
                    "%s vkey has an unknown key type or a key ID that does not match", what);
    if (rc != SKL_OK)
        return fail(why, whylen, line, SKL_ERR_KEY, "%s vkey is malformed", what);
    if (v->type != want)
        return fail(why, whylen, line, SKL_ERR_KEY, "%s vkey has key type 0x%02x, not 0x%02x (%s)",
                    what, v->type, want,
                    want == SKL_NOTE_KEY_ED25519 ? "Ed25519 signed note" : "cosignature/v1");
    return SKL_OK;
}

/* k: "all", "any" or decimal 1..n without leading zeros. */
static skl_err
take_threshold(unsigned *k, field f, size_t n, size_t line, char *why, size_t whylen)
{
    if (field_is(f, "all")) {
        *k = (unsigned)n;
        return SKL_OK;
    }
    if (field_is(f, "any")) {
        *k = 1;
        return SKL_OK;
    }
    unsigned v = 0;
    int ok = f.n >= 1 && f.n <= 3 && f.p[0] != '0';
    for (size_t i = 0; ok && i < f.n; i++) {
        if (f.p[i] < '0' || f.p[i] > '9')
            ok = 0;
        else
            v = v * 10 + (unsigned)(f.p[i] - '0');
    }
    if (!ok || v > n)
        return fail(why, whylen, line, SKL_ERR_PARSE,
                    "threshold \"%.*s\" is not \"all\", \"any\" or a number from 1 to %zu", SHOW(f),
                    n);
    *k = v;
    return SKL_OK;
}

/* <n><unit>, n decimal without leading zeros, unit s, m, h or d. */
static skl_err
take_duration(int64_t *secs, field f, size_t line, char *why, size_t whylen)
{
    int64_t unit = 0, v = 0;
    int ok = f.n >= 2 && f.p[0] != '0';
    if (ok) {
        switch (f.p[f.n - 1]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: ok = 0;
        }
    }
    for (size_t i = 0; ok && i + 1 < f.n; i++) {
        if (f.p[i] < '0' || f.p[i] > '9' || v > SKL_TRUST_MAX_AGE_MAX)
            ok = 0;
        else
            v = v * 10 + (f.p[i] - '0');
    }
    if (!ok)
        return fail(why, whylen, line, SKL_ERR_PARSE,
                    "max-age \"%.*s\" is not a positive number followed by s, m, h or d", SHOW(f));
    if (v > SKL_TRUST_MAX_AGE_MAX / unit)
        return fail(why, whylen, line, SKL_ERR_LIMIT, "max-age is longer than 36500 days");
    *secs = v * unit;
    return SKL_OK;
}

static skl_err
take_authority(skl_trust *t, field f, size_t line, char *why, size_t whylen)
{
    skl_err rc;
    uint8_t *der = NULL;
    size_t derlen = 0;
    skl_cert *c = NULL;
    char cwhy[256] = "";

    if (t->nauth == SKL_TRUST_MAX_AUTHORITIES) {
        rc = fail(why, whylen, line, SKL_ERR_LIMIT, "more than %d authority-cert lines",
                  SKL_TRUST_MAX_AUTHORITIES);
        goto out;
    }
    if (f.n > CERT_B64_MAX) {
        rc = fail(why, whylen, line, SKL_ERR_LIMIT, "certificate longer than %d bytes",
                  SKL_CERT_MAX_LEN);
        goto out;
    }
    if ((der = malloc(SKL_CERT_MAX_LEN)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    if (skl_base64_decode(der, SKL_CERT_MAX_LEN, &derlen, f.p, f.n) != 0 || derlen == 0) {
        rc = fail(why, whylen, line, SKL_ERR_PARSE, "authority-cert is not canonical base64");
        goto out;
    }
    /* DER only: skl_cert_parse() would also take a PEM text smuggled inside the base64. */
    if (der[0] != 0x30) {
        rc = fail(why, whylen, line, SKL_ERR_PARSE, "authority-cert is not a DER certificate");
        goto out;
    }
    if ((rc = skl_cert_parse(&c, der, derlen, cwhy, sizeof cwhy)) != SKL_OK) {
        rc = fail(why, whylen, line, rc, "authority-cert does not parse: %s", cwhy);
        goto out;
    }
    if (skl_cert_verify_root(c, cwhy, sizeof cwhy) != SKL_OK) {
        rc = fail(why, whylen, line, SKL_ERR_VERIFY,
                  "authority-cert is not a valid authority root: %s", cwhy);
        goto out;
    }
    for (size_t i = 0; i < t->nauth; i++) {
        size_t olen;
        const uint8_t *o = skl_cert_der(t->auth[i], &olen);
        if (olen == derlen && memcmp(o, der, derlen) == 0) {
            rc = fail(why, whylen, line, SKL_ERR_SCHEMA, "the same authority-cert is listed twice");
            goto out;
        }
    }
    t->auth[t->nauth++] = c;
    c = NULL;
    rc = SKL_OK;
out:
    skl_cert_free(c);
    free(der);
    return rc;
}

/* ---- lines ----------------------------------------------------------------------------- */

static skl_err
line_log(skl_trust *t, const field *f, size_t nf, size_t line, char *why, size_t whylen)
{
    skl_err rc;
    if (nf < 2 || nf > 3)
        return fail(why, whylen, line, SKL_ERR_PARSE, "expected \"log <vkey> [<url>]\"");
    if (t->have_log)
        return fail(why, whylen, line, SKL_ERR_SCHEMA, "a second log line: skl takes exactly one");
    if ((rc = take_vkey(&t->log, f[1], SKL_NOTE_KEY_ED25519, "log", line, why, whylen)) != SKL_OK)
        return rc;
    for (size_t i = 0; i < t->nwit; i++)
        if (memcmp(t->wit[i].pub, t->log.pub, 32) == 0)
            return fail(why, whylen, line, SKL_ERR_KEY,
                        "the log's key is also witness \"%s\"'s: a log cannot witness itself",
                        t->wname[i]);
    t->have_log = 1;
    return SKL_OK;
}

static skl_err
line_witness(skl_trust *t, const field *f, size_t nf, size_t line, char *why, size_t whylen)
{
    skl_err rc;
    if (nf < 3 || nf > 4)
        return fail(why, whylen, line, SKL_ERR_PARSE, "expected \"witness <name> <vkey> [<url>]\"");
    if (t->nwit == SKL_TRUST_MAX_WITNESSES)
        return fail(why, whylen, line, SKL_ERR_LIMIT, "more than %d witnesses",
                    SKL_TRUST_MAX_WITNESSES);
    size_t i = t->nwit;
    if ((rc = take_name(t, t->wname[i], f[1], line, why, whylen)) != SKL_OK)
        return rc;
    skl_note_verifier *v = &t->wit[i];
    if ((rc = take_vkey(v, f[2], SKL_NOTE_KEY_COSIGNATURE, "witness", line, why, whylen)) != SKL_OK)
        return rc;
    if (t->have_log && memcmp(v->pub, t->log.pub, 32) == 0)
        return fail(why, whylen, line, SKL_ERR_KEY,
                    "witness key is the log's key: a log cannot witness itself");
    for (size_t j = 0; j < i; j++)
        if (memcmp(t->wit[j].pub, v->pub, 32) == 0)
            return fail(why, whylen, line, SKL_ERR_KEY, "witness key is already witness \"%s\"'s",
                        t->wname[j]);
    t->nwit++;
    return SKL_OK;
}

static skl_err
line_group(skl_trust *t, const field *f, size_t nf, size_t line, char *why, size_t whylen)
{
    skl_err rc;
    if (nf < 4)
        return fail(why, whylen, line, SKL_ERR_PARSE,
                    "expected \"group <name> <k|all|any> <member>...\"");
    if (t->ngroup == SKL_TRUST_MAX_GROUPS)
        return fail(why, whylen, line, SKL_ERR_LIMIT, "more than %d groups", SKL_TRUST_MAX_GROUPS);
    trust_group *g = &t->group[t->ngroup];
    memset(g, 0, sizeof *g);
    if ((rc = take_name(t, g->name, f[1], line, why, whylen)) != SKL_OK)
        return rc;
    uint8_t seen[NODE_COUNT] = {0};
    for (size_t i = 3; i < nf; i++) {
        int node = find_name(t, f[i]);
        if (node < 0)
            return fail(why, whylen, line, SKL_ERR_SCHEMA,
                        "group member \"%.*s\" is not a witness or group defined above",
                        SHOW(f[i]));
        if (seen[node])
            return fail(why, whylen, line, SKL_ERR_SCHEMA, "group member \"%.*s\" is listed twice",
                        SHOW(f[i]));
        seen[node] = 1;
        g->member[g->n++] = (uint8_t)node;
    }
    if ((rc = take_threshold(&g->k, f[2], g->n, line, why, whylen)) != SKL_OK)
        return rc;
    t->ngroup++;
    return SKL_OK;
}

static skl_err
line_quorum(skl_trust *t, const field *f, size_t nf, size_t line, char *why, size_t whylen)
{
    if (nf != 2)
        return fail(why, whylen, line, SKL_ERR_PARSE, "expected \"quorum <name|none>\"");
    if (t->quorum != QUORUM_UNSET)
        return fail(why, whylen, line, SKL_ERR_SCHEMA, "a second quorum line");
    if (field_is(f[1], "none")) {
        t->quorum = QUORUM_NONE;
        return SKL_OK;
    }
    int node = find_name(t, f[1]);
    if (node < 0)
        return fail(why, whylen, line, SKL_ERR_SCHEMA,
                    "quorum \"%.*s\" is not a witness or group defined above", SHOW(f[1]));
    t->quorum = node;
    return SKL_OK;
}

static skl_err
line_max_age(skl_trust *t, const field *f, size_t nf, size_t line, char *why, size_t whylen)
{
    if (nf != 2)
        return fail(why, whylen, line, SKL_ERR_PARSE, "expected \"max-age <duration>\"");
    if (t->have_max_age)
        return fail(why, whylen, line, SKL_ERR_SCHEMA, "a second max-age line");
    skl_err rc = take_duration(&t->max_age, f[1], line, why, whylen);
    if (rc == SKL_OK)
        t->have_max_age = 1;
    return rc;
}

/* Checks the bytes of one line (without its LF). */
static skl_err
check_chars(const char *p, size_t n, size_t line, char *why, size_t whylen)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\0')
            return fail(why, whylen, line, SKL_ERR_PARSE, "NUL byte");
        if (c == '\r')
            return fail(why, whylen, line, SKL_ERR_PARSE,
                        "carriage return (lines must end in LF alone, not CRLF)");
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(why, whylen, line, SKL_ERR_PARSE, "control character 0x%02x", c);
    }
    if (skl_utf8_bad_offset((const unsigned char *)p, n) != n)
        return fail(why, whylen, line, SKL_ERR_PARSE, "not valid UTF-8");
    return SKL_OK;
}

static skl_err
parse_line(skl_trust *t, const char *p, size_t n, size_t line, char *why, size_t whylen)
{
    skl_err rc;
    field f[MAX_FIELDS];
    size_t nf = 0, i = 0;

    if ((rc = check_chars(p, n, line, why, whylen)) != SKL_OK)
        return rc;
    for (;;) {
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (nf == MAX_FIELDS)
            return fail(why, whylen, line, SKL_ERR_LIMIT, "more than %d fields", MAX_FIELDS);
        f[nf].p = p + i;
        while (i < n && p[i] != ' ' && p[i] != '\t')
            i++;
        f[nf].n = (size_t)(p + i - f[nf].p);
        nf++;
    }
    if (nf == 0 || f[0].p[0] == '#')
        return SKL_OK;
    if (field_is(f[0], "log"))
        return line_log(t, f, nf, line, why, whylen);
    if (field_is(f[0], "witness"))
        return line_witness(t, f, nf, line, why, whylen);
    if (field_is(f[0], "group"))
        return line_group(t, f, nf, line, why, whylen);
    if (field_is(f[0], "quorum"))
        return line_quorum(t, f, nf, line, why, whylen);
    if (field_is(f[0], "authority-cert")) {
        if (nf != 2)
            return fail(why, whylen, line, SKL_ERR_PARSE,
                        "expected \"authority-cert <base64 DER>\"");
        return take_authority(t, f[1], line, why, whylen);
    }
    if (field_is(f[0], "max-age"))
        return line_max_age(t, f, nf, line, why, whylen);
    return fail(why, whylen, line, SKL_ERR_PARSE, "unknown keyword \"%.*s\"", SHOW(f[0]));
}

/* ---- parse ----------------------------------------------------------------------------- */

skl_err
skl_trust_parse(skl_trust **out, const char *text, size_t len, char *why, size_t whylen)
{
    skl_err rc;
    skl_trust *t = NULL;
    size_t line = 1, pos = 0;

    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (out == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (text == NULL)
        return SKL_ERR_INVAL;
    if (len > SKL_TRUST_MAX_LEN) {
        for (size_t i = 0; i < SKL_TRUST_MAX_LEN; i++)
            line += text[i] == '\n';
        return fail(why, whylen, line, SKL_ERR_LIMIT, "policy longer than %d bytes",
                    SKL_TRUST_MAX_LEN);
    }
    if ((t = calloc(1, sizeof *t)) == NULL)
        return SKL_ERR_NOMEM;
    t->quorum = QUORUM_UNSET;

    while (pos < len) {
        const char *p = text + pos;
        const char *nl = memchr(p, '\n', len - pos);
        size_t n = nl != NULL ? (size_t)(nl - p) : len - pos;
        if ((rc = parse_line(t, p, n, line, why, whylen)) != SKL_OK)
            goto out;
        pos += n + (nl != NULL);
        if (nl != NULL)
            line++;
    }
    /* A missing line is reported where it would have gone: the line after the last. */
    if (!t->have_log) {
        rc = fail(why, whylen, line, SKL_ERR_SCHEMA, "end of policy without a log line");
        goto out;
    }
    if (t->quorum == QUORUM_UNSET) {
        rc = fail(why, whylen, line, SKL_ERR_SCHEMA,
                  "end of policy without a quorum line (write \"quorum none\" to require no "
                  "witness)");
        goto out;
    }
    if (t->nauth == 0) {
        rc =
            fail(why, whylen, line, SKL_ERR_SCHEMA, "end of policy without an authority-cert line");
        goto out;
    }
    *out = t;
    t = NULL;
    rc = SKL_OK;
out:
    skl_trust_free(t);
    return rc;
}

/* ---- accessors --------------------------------------------------------------------------- */

const skl_note_verifier *
skl_trust_log(const skl_trust *t)
{
    return t != NULL ? &t->log : NULL;
}

const char *
skl_trust_origin(const skl_trust *t)
{
    return t != NULL ? t->log.name : NULL;
}

size_t
skl_trust_witnesses(const skl_trust *t)
{
    return t != NULL ? t->nwit : 0;
}

const skl_note_verifier *
skl_trust_witness(const skl_trust *t, size_t i)
{
    return t != NULL && i < t->nwit ? &t->wit[i] : NULL;
}

const char *
skl_trust_witness_name(const skl_trust *t, size_t i)
{
    return t != NULL && i < t->nwit ? t->wname[i] : NULL;
}

int
skl_trust_quorum_met(const skl_trust *t, const char *const *names, size_t n)
{
    uint8_t sat[NODE_COUNT] = {0};

    if (t == NULL)
        return 0;
    if (t->quorum == QUORUM_NONE)
        return 1;
    if (t->quorum < 0 || names == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (names[i] == NULL)
            continue;
        for (size_t w = 0; w < t->nwit; w++)
            if (strcmp(names[i], t->wname[w]) == 0)
                sat[w] = 1;
    }
    /* A group names only what was defined before it, so file order is evaluation order. */
    for (size_t j = 0; j < t->ngroup; j++) {
        const trust_group *g = &t->group[j];
        unsigned have = 0;
        for (size_t m = 0; m < g->n; m++)
            have += sat[g->member[m]];
        sat[NODE_GROUP0 + j] = have >= g->k;
    }
    return sat[t->quorum];
}

const skl_cert *
skl_trust_authority(const skl_trust *t)
{
    return t != NULL && t->nauth > 0 ? t->auth[0] : NULL;
}

size_t
skl_trust_authorities(const skl_trust *t)
{
    return t != NULL ? t->nauth : 0;
}

const skl_cert *
skl_trust_authority_at(const skl_trust *t, size_t i)
{
    return t != NULL && i < t->nauth ? t->auth[i] : NULL;
}

int64_t
skl_trust_max_age(const skl_trust *t)
{
    return t != NULL && t->have_max_age ? t->max_age : 0;
}

void
skl_trust_free(skl_trust *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nauth; i++)
        skl_cert_free(t->auth[i]);
    free(t);
}

/* ---- format ------------------------------------------------------------------------------ */

/* A field we write must stay one field on one line. */
static int
token_ok(const char *s)
{
    if (s == NULL || *s == '\0')
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static int
is_witness_name(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return 1;
    return 0;
}

skl_err
skl_trust_format(char **out, size_t *len, const char *log_vkey, const char *const *witness_names,
                 const char *const *witness_vkeys, size_t nwitnesses, unsigned quorum_threshold,
                 const char *authority_pem, size_t pem_len, int64_t max_age)
{
    skl_err rc;
    skl_buf b = SKL_BUF_INIT;
    skl_cert *c = NULL;
    skl_trust *check = NULL;
    char group[32] = "witnesses";

    if (out != NULL)
        *out = NULL;
    if (len != NULL)
        *len = 0;
    if (out == NULL || !token_ok(log_vkey) || authority_pem == NULL || pem_len == 0 ||
        (nwitnesses > 0 && (witness_names == NULL || witness_vkeys == NULL)) ||
        quorum_threshold > nwitnesses || max_age < 0 || max_age > SKL_TRUST_MAX_AGE_MAX) {
        rc = SKL_ERR_INVAL;
        goto out;
    }
    for (size_t i = 0; i < nwitnesses; i++) {
        if (!token_ok(witness_names[i]) || !token_ok(witness_vkeys[i]) ||
            strcmp(witness_names[i], "none") == 0) {
            rc = SKL_ERR_INVAL;
            goto out;
        }
    }
    /* The group's name must not be a witness's. */
    for (unsigned i = 2; is_witness_name(witness_names, nwitnesses, group); i++)
        snprintf(group, sizeof group, "witnesses-%u", i);
    if ((rc = skl_cert_parse(&c, authority_pem, pem_len, NULL, 0)) != SKL_OK)
        goto out;

    skl_buf_puts(&b, "# skl trust policy (spec/trust-policy.md)\n");
    skl_buf_printf(&b, "log %s\n", log_vkey);
    for (size_t i = 0; i < nwitnesses; i++)
        skl_buf_printf(&b, "witness %s %s\n", witness_names[i], witness_vkeys[i]);
    if (quorum_threshold == 0) {
        skl_buf_puts(&b, "quorum none\n");
    } else {
        skl_buf_printf(&b, "group %s %u", group, quorum_threshold);
        for (size_t i = 0; i < nwitnesses; i++)
            skl_buf_printf(&b, " %s", witness_names[i]);
        skl_buf_printf(&b, "\nquorum %s\n", group);
    }
    size_t derlen;
    const uint8_t *der = skl_cert_der(c, &derlen);
    skl_buf_puts(&b, "authority-cert ");
    skl_buf_base64(&b, der, derlen);
    skl_buf_putc(&b, '\n');
    if (max_age > 0) {
        if (max_age % 86400 == 0)
            skl_buf_printf(&b, "max-age %lldd\n", (long long)(max_age / 86400));
        else if (max_age % 3600 == 0)
            skl_buf_printf(&b, "max-age %lldh\n", (long long)(max_age / 3600));
        else if (max_age % 60 == 0)
            skl_buf_printf(&b, "max-age %lldm\n", (long long)(max_age / 60));
        else
            skl_buf_printf(&b, "max-age %llds\n", (long long)max_age);
    }
    if (!skl_buf_ok(&b)) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    if ((rc = skl_trust_parse(&check, b.data, b.len, NULL, 0)) != SKL_OK)
        goto out;
    *out = skl_buf_take(&b, len);
    rc = SKL_OK;
out:
    skl_trust_free(check);
    skl_cert_free(c);
    skl_buf_free(&b);
    return rc;
}
