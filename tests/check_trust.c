/*
 * check_trust.c - the trust policy file (spec/trust-policy.md): round trip through
 * skl_trust_format(), quorum logic, and one refusal per rule with its line number.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "skl/cert.h"
#include "skl/key.h"
#include "skl/note.h"
#include "skl/trust.h"
#include "testutil.h"

#define T2026 1767225600LL /* 2026-01-01T00:00:00Z */
#define T2036 2082758400LL /* 2036-01-01T00:00:00Z */
#define ANY_ERROR ((skl_err)1)

Suite *trust_suite(void);

/* ---------------------------------------------------------------- fixtures */

/* Keys from fixed seeds; the names are what the placeholders in policies stand for. */
typedef struct fx {
    char *log;      /* @LOG   example.org/skl-log, Ed25519 */
    char *log2;     /* @LOG2  another Ed25519 log */
    char *logco;    /* @LOGCO the log's key as a cosignature key (type 0x04) */
    char *logbadid; /* @LOGBADID the log's vkey with a wrong key ID */
    char *w[4];     /* @W1..@W4 cosignature keys */
    char *wed;      /* @WED   a witness key of type 0x01 */
    char *root_pem; /* the authority root */
    size_t root_len;
    char *root;   /* @ROOT   base64 DER of the root */
    char *root2;  /* @ROOT2  a second root (another key) */
    char *issuer; /* @ISSUER base64 DER of an issuer certificate (not a root) */
} fx;

static skl_key *
key_seeded(uint8_t fill, const char *name)
{
    uint8_t seed[32];
    skl_key *k = NULL;

    memset(seed, fill, sizeof seed);
    ck_assert_int_eq(skl_key_from_seed(&k, seed, name), SKL_OK);
    return k;
}

static char *
vkey(uint8_t fill, const char *name, uint8_t type)
{
    skl_key *k = key_seeded(fill, "k");
    char *v = NULL;

    ck_assert_int_eq(skl_note_vkey_format(&v, name, type, skl_key_public(k)), SKL_OK);
    skl_key_free(k);
    return v;
}

static char *
b64_der(const char *pem, size_t n)
{
    skl_cert *c = NULL;
    char why[256];
    size_t dlen;
    skl_buf b = SKL_BUF_INIT;

    ck_assert_msg(skl_cert_parse(&c, pem, n, why, sizeof why) == SKL_OK, "%s", why);
    const uint8_t *der = skl_cert_der(c, &dlen);
    ck_assert_int_eq(skl_buf_base64(&b, der, dlen), 0);
    skl_cert_free(c);
    return skl_buf_take(&b, NULL);
}

static char *
root_pem(uint8_t fill, const char *name, size_t *n)
{
    skl_key *k = key_seeded(fill, "authority");
    char *pem = NULL;
    char why[256];

    ck_assert_msg(skl_cert_make_root(&pem, n, k, name, T2026, T2036, why, sizeof why) == SKL_OK,
                  "%s", why);
    skl_key_free(k);
    return pem;
}

static void
fx_make(fx *f)
{
    static const char scope[] = "{\"kinds\":[\"certification\"]}";
    char why[256];
    size_t n;

    memset(f, 0, sizeof *f);
    f->log = vkey(0x01, "example.org/skl-log", SKL_NOTE_KEY_ED25519);
    f->log2 = vkey(0x02, "example.org/other-log", SKL_NOTE_KEY_ED25519);
    f->logco = vkey(0x01, "example.org/skl-log", SKL_NOTE_KEY_COSIGNATURE);
    f->logbadid = strdup(f->log);
    char *id = strchr(f->logbadid, '+') + 1;
    id[0] = id[0] == '0' ? '1' : '0';
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "witness%d.example", i + 1);
        f->w[i] = vkey((uint8_t)(0x10 + i), name, SKL_NOTE_KEY_COSIGNATURE);
    }
    f->wed = vkey(0x1f, "old-witness.example", SKL_NOTE_KEY_ED25519);
    f->root_pem = root_pem(0x20, "Beibei HR Bureau", &f->root_len);
    f->root = b64_der(f->root_pem, f->root_len);
    char *pem2 = root_pem(0x21, "Second Root", &n);
    f->root2 = b64_der(pem2, n);
    free(pem2);

    skl_key *auth = key_seeded(0x20, "authority"), *sub = key_seeded(0x30, "issuer");
    skl_cert *root = NULL;
    char *ipem = NULL;
    ck_assert_int_eq(skl_cert_parse(&root, f->root_pem, f->root_len, why, sizeof why), SKL_OK);
    ck_assert_msg(skl_cert_issue(&ipem, &n, auth, root, skl_key_public(sub), "Issuer", T2026 + 1,
                                 T2036 - 1, scope, strlen(scope), why, sizeof why) == SKL_OK,
                  "%s", why);
    f->issuer = b64_der(ipem, n);
    free(ipem);
    skl_cert_free(root);
    skl_key_free(auth);
    skl_key_free(sub);
}

static void
fx_free(fx *f)
{
    free(f->log);
    free(f->log2);
    free(f->logco);
    free(f->logbadid);
    for (int i = 0; i < 4; i++)
        free(f->w[i]);
    free(f->wed);
    free(f->root_pem);
    free(f->root);
    free(f->root2);
    free(f->issuer);
}

/* Replaces every @NAME (capital letters and digits) by its fixture value. */
static char *
expand(const fx *f, const char *tmpl, size_t *len)
{
    const struct {
        const char *k;
        const char *v;
    } map[] = {{"LOGBADID", f->logbadid}, {"LOGCO", f->logco}, {"LOG2", f->log2},
               {"LOG", f->log},           {"W1", f->w[0]},     {"W2", f->w[1]},
               {"W3", f->w[2]},           {"W4", f->w[3]},     {"WED", f->wed},
               {"ROOT2", f->root2},       {"ROOT", f->root},   {"ISSUER", f->issuer}};
    skl_buf b = SKL_BUF_INIT;

    for (const char *p = tmpl; *p;) {
        if (*p != '@') {
            skl_buf_putc(&b, *p++);
            continue;
        }
        size_t n = 1;
        while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9'))
            n++;
        size_t i;
        for (i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strlen(map[i].k) == n - 1 && memcmp(map[i].k, p + 1, n - 1) == 0)
                break;
        ck_assert_msg(i < sizeof map / sizeof map[0], "unknown placeholder in %s", p);
        skl_buf_puts(&b, map[i].v);
        p += n;
    }
    ck_assert(skl_buf_ok(&b));
    return skl_buf_take(&b, len);
}

static skl_trust *
parse_ok(const char *text, size_t len)
{
    skl_trust *t = NULL;
    char why[512] = "";
    skl_err e = skl_trust_parse(&t, text, len, why, sizeof why);

    ck_assert_msg(e == SKL_OK, "parse gave %d: %s\n%s", e, why, text);
    ck_assert_ptr_nonnull(t);
    return t;
}

static skl_trust *
parse_tmpl(const fx *f, const char *tmpl)
{
    size_t n;
    char *s = expand(f, tmpl, &n);
    skl_trust *t = parse_ok(s, n);
    free(s);
    return t;
}

/* Parses text[0..len) and checks the refusal: its code, "line N: " and a part of the reason. */
static void
parse_fails(const char *text, size_t len, skl_err want, size_t line, const char *reason)
{
    skl_trust *t = (skl_trust *)1;
    char why[512] = "", prefix[32];
    skl_err e = skl_trust_parse(&t, text, len, why, sizeof why);

    ck_assert_ptr_null(t);
    if (want == ANY_ERROR)
        ck_assert_msg(e < 0, "parse gave %d (%s), wanted an error", e, why);
    else
        ck_assert_msg(e == want, "parse gave %d (%s), wanted %d", e, why, want);
    snprintf(prefix, sizeof prefix, "line %zu: ", line);
    ck_assert_msg(strncmp(why, prefix, strlen(prefix)) == 0, "why \"%s\", wanted line %zu", why,
                  line);
    if (reason != NULL)
        ck_assert_msg(strstr(why, reason) != NULL, "why \"%s\" lacks \"%s\"", why, reason);
}

/* ---------------------------------------------------------------- round trip */

START_TEST(test_round_trip)
{
    fx f;
    fx_make(&f);
    const char *names[3] = {"audit-bureau", "notary", "university"};
    const char *vkeys[3] = {f.w[0], f.w[1], f.w[2]};
    char *text = NULL;
    size_t len = 0;

    ck_assert_int_eq(
        skl_trust_format(&text, &len, f.log, names, vkeys, 3, 2, f.root_pem, f.root_len, 7 * 86400),
        SKL_OK);
    ck_assert_uint_eq(strlen(text), len);
    ck_assert_ptr_nonnull(strstr(text, "\nmax-age 7d\n"));
    ck_assert_ptr_nonnull(strstr(text, "\ngroup witnesses 2 audit-bureau notary university\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nquorum witnesses\n"));

    skl_trust *t = parse_ok(text, len);
    ck_assert_str_eq(skl_trust_origin(t), "example.org/skl-log");
    const skl_note_verifier *lv = skl_trust_log(t);
    ck_assert_uint_eq(lv->type, SKL_NOTE_KEY_ED25519);
    ck_assert_str_eq(lv->name, "example.org/skl-log");
    skl_key *lk = key_seeded(0x01, "k");
    ck_assert_mem_eq(lv->pub, skl_key_public(lk), 32);
    skl_key_free(lk);

    ck_assert_uint_eq(skl_trust_witnesses(t), 3);
    for (size_t i = 0; i < 3; i++) {
        const skl_note_verifier *wv = skl_trust_witness(t, i);
        char kname[32];
        snprintf(kname, sizeof kname, "witness%zu.example", i + 1);
        ck_assert_uint_eq(wv->type, SKL_NOTE_KEY_COSIGNATURE);
        ck_assert_str_eq(wv->name, kname);
        ck_assert_str_eq(skl_trust_witness_name(t, i), names[i]);
    }
    ck_assert_ptr_null(skl_trust_witness(t, 3));
    ck_assert_ptr_null(skl_trust_witness_name(t, 3));

    ck_assert_uint_eq(skl_trust_authorities(t), 1);
    ck_assert_ptr_eq(skl_trust_authority(t), skl_trust_authority_at(t, 0));
    ck_assert_ptr_null(skl_trust_authority_at(t, 1));
    ck_assert_str_eq(skl_cert_name(skl_trust_authority(t)), "Beibei HR Bureau");
    char *b64 = b64_der(f.root_pem, f.root_len);
    ck_assert_ptr_nonnull(strstr(text, b64));
    free(b64);
    ck_assert_int_eq(skl_trust_max_age(t), 7 * 86400);

    const char *one[] = {"notary"}, *two[] = {"notary", "university"};
    const char *twice[] = {"notary", "notary"},
               *keynames[] = {"witness1.example", "witness2.example"};
    ck_assert_int_eq(skl_trust_quorum_met(t, one, 1), 0);
    ck_assert_int_eq(skl_trust_quorum_met(t, two, 2), 1);
    ck_assert_int_eq(skl_trust_quorum_met(t, twice, 2), 0);
    ck_assert_int_eq(skl_trust_quorum_met(t, keynames, 2), 0); /* key names are not names */
    skl_trust_free(t);
    free(text);

    /* No witnesses: quorum none; max-age in the largest exact unit. */
    const int64_t ages[][2] = {{90, 's'}, {120, 'm'}, {36 * 3600, 'h'}, {0, 0}};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(skl_trust_format(&text, NULL, f.log, NULL, NULL, 0, 0, f.root_pem,
                                          f.root_len, ages[i][0]),
                         SKL_OK);
        ck_assert_ptr_nonnull(strstr(text, "\nquorum none\n"));
        ck_assert_ptr_eq(strstr(text, "max-age"), ages[i][0] ? strstr(text, "max-age") : NULL);
        if (ages[i][0]) {
            char want[32];
            long long v = ages[i][0] / (ages[i][1] == 's' ? 1 : ages[i][1] == 'm' ? 60 : 3600);
            snprintf(want, sizeof want, "max-age %lld%c\n", v, (char)ages[i][1]);
            ck_assert_ptr_nonnull(strstr(text, want));
        }
        t = parse_ok(text, strlen(text));
        ck_assert_int_eq(skl_trust_max_age(t), ages[i][0]);
        ck_assert_int_eq(skl_trust_quorum_met(t, NULL, 0), 1);
        skl_trust_free(t);
        free(text);
    }
    fx_free(&f);
}
END_TEST

START_TEST(test_format_refuses)
{
    fx f;
    fx_make(&f);
    const char *names[2] = {"a", "b"};
    const char *vkeys[2] = {f.w[0], f.w[1]};
    char *text = (char *)1;
    char *inj = NULL;

    /* threshold above n, bad max-age, NULLs */
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, f.log, names, vkeys, 2, 3, f.root_pem, f.root_len, 0),
        SKL_ERR_INVAL);
    ck_assert_ptr_null(text);
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, f.log, names, vkeys, 2, 1, f.root_pem, f.root_len, -1),
        SKL_ERR_INVAL);
    ck_assert_int_eq(skl_trust_format(&text, NULL, f.log, names, vkeys, 2, 1, f.root_pem,
                                      f.root_len, SKL_TRUST_MAX_AGE_MAX + 1),
                     SKL_ERR_INVAL);
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, NULL, names, vkeys, 2, 1, f.root_pem, f.root_len, 0),
        SKL_ERR_INVAL);
    ck_assert_int_eq(skl_trust_format(&text, NULL, f.log, names, vkeys, 2, 1, NULL, 0, 0),
                     SKL_ERR_INVAL);
    /* names that would not stay one field, or are reserved */
    const char *bad_names[][2] = {{"a b", "b"}, {"none", "b"}, {"", "b"}, {"a\nquorum", "b"}};
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(skl_trust_format(&text, NULL, f.log, bad_names[i], vkeys, 2, 1, f.root_pem,
                                          f.root_len, 0),
                         SKL_ERR_INVAL);
    /* a vkey that tries to smuggle a line in */
    size_t n = strlen(f.w[1]) + 16;
    inj = malloc(n);
    snprintf(inj, n, "%s\nquorum none", f.w[1]);
    const char *inj_keys[2] = {f.w[0], inj};
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, f.log, names, inj_keys, 2, 1, f.root_pem, f.root_len, 0),
        SKL_ERR_INVAL);
    /* what parse refuses: a witness key of type 0x01, duplicate names, a non-root */
    const char *ed_keys[2] = {f.w[0], f.wed};
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, f.log, names, ed_keys, 2, 1, f.root_pem, f.root_len, 0),
        SKL_ERR_KEY);
    const char *dup[2] = {"a", "a"};
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, f.log, dup, vkeys, 2, 1, f.root_pem, f.root_len, 0),
        SKL_ERR_SCHEMA);
    ck_assert_int_eq(skl_trust_format(&text, NULL, f.log2 /* fine */, names, vkeys, 2, 2,
                                      "not a certificate", 17, 0) < 0,
                     1);
    ck_assert_ptr_null(text);

    /* a witness called like the default group: the group takes another name */
    const char *clash[2] = {"witnesses", "witnesses-2"};
    ck_assert_int_eq(
        skl_trust_format(&text, NULL, f.log, clash, vkeys, 2, 2, f.root_pem, f.root_len, 0),
        SKL_OK);
    ck_assert_ptr_nonnull(strstr(text, "\nquorum witnesses-3\n"));
    skl_trust *t = parse_ok(text, strlen(text));
    ck_assert_int_eq(skl_trust_quorum_met(t, clash, 2), 1);
    ck_assert_int_eq(skl_trust_quorum_met(t, clash, 1), 0);
    skl_trust_free(t);
    free(text);
    free(inj);
    fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- quorum */

START_TEST(test_quorum_nested)
{
    fx f;
    fx_make(&f);
    /* c2sp.org/tlog-policy's example, with comments, tabs and a last line without LF. */
    skl_trust *t = parse_tmpl(&f, "# 信任策略 (trust policy)\n"
                                  "log @LOG https://log.example.org/\n"
                                  "\n"
                                  "  witness X1 @W1\n"
                                  "witness\tX2\t@W2  \n"
                                  "witness X3 @W3 https://x3.example/\n"
                                  "group X-witnesses 2 X1 X2 X3\n"
                                  "witness Y1 @W4\n"
                                  "group Y-witnesses any Y1\n"
                                  "\t# the quorum\n"
                                  "group X-and-Y all X-witnesses Y-witnesses\n"
                                  "quorum X-and-Y\n"
                                  "authority-cert @ROOT");
    struct {
        const char *names[4];
        size_t n;
        int met;
    } cases[] = {
        {{"X1", "X2", "Y1"}, 3, 1},
        {{"X1", "X3", "Y1"}, 3, 1},
        {{"X1", "X2", "X3"}, 3, 0},          /* no Y */
        {{"X1", "Y1"}, 2, 0},                /* one X */
        {{"X1", "X1", "Y1"}, 3, 0},          /* X1 counts once */
        {{"X1", "X-witnesses", "Y1"}, 3, 0}, /* a group's name is not a cosigner */
        {{"X2", NULL, "X3", "Y1"}, 4, 1},
        {{"x1", "x2", "Y1"}, 3, 0}, /* names are exact octets */
        {{NULL}, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ck_assert_msg(skl_trust_quorum_met(t, cases[i].names, cases[i].n) == cases[i].met,
                      "case %zu", i);
    ck_assert_uint_eq(skl_trust_witnesses(t), 4);
    ck_assert_int_eq(skl_trust_max_age(t), 0);
    ck_assert_int_eq(skl_trust_quorum_met(NULL, cases[0].names, 3), 0);
    skl_trust_free(t);

    /* quorum on one witness; "all" over witnesses; deeper nesting with k-of-n of groups */
    t = parse_tmpl(&f, "log @LOG\nwitness a @W1\nwitness b @W2\nquorum b\nauthority-cert @ROOT\n");
    const char *a[] = {"a"}, *b[] = {"b"};
    ck_assert_int_eq(skl_trust_quorum_met(t, a, 1), 0);
    ck_assert_int_eq(skl_trust_quorum_met(t, b, 1), 1);
    skl_trust_free(t);

    t = parse_tmpl(&f, "log @LOG\nwitness a @W1\nwitness b @W2\nwitness c @W3\nwitness d @W4\n"
                       "group ab all a b\ngroup cd any c d\ngroup dd 1 d\n"
                       "group top 2 ab cd dd\nquorum top\nauthority-cert @ROOT\n");
    struct {
        const char *names[4];
        size_t n;
        int met;
    } deep[] = {
        {{"a", "b", "c"}, 3, 1}, /* ab, cd */
        {{"a", "c"}, 2, 0},      /* cd only */
        {{"d"}, 1, 1},           /* cd and dd */
        {{"c"}, 1, 0},           /* cd only */
        {{"a", "b"}, 2, 0},      /* ab only */
        {{"b", "d"}, 2, 1},
    };
    for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++)
        ck_assert_msg(skl_trust_quorum_met(t, deep[i].names, deep[i].n) == deep[i].met,
                      "deep case %zu", i);
    skl_trust_free(t);

    /* "quorum none" with witnesses listed: met by nobody */
    t = parse_tmpl(&f, "log @LOG\nwitness a @W1\nquorum none\nauthority-cert @ROOT\n"
                       "authority-cert @ROOT2\nmax-age 36h\n");
    ck_assert_int_eq(skl_trust_quorum_met(t, NULL, 0), 1);
    ck_assert_uint_eq(skl_trust_authorities(t), 2);
    ck_assert_str_eq(skl_cert_name(skl_trust_authority_at(t, 1)), "Second Root");
    ck_assert_int_eq(skl_trust_max_age(t), 36 * 3600);
    skl_trust_free(t);
    fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- refusals */

/* Policies that start "log @LOG\nauthority-cert @ROOT\n" use lines 3 onwards. */
#define HEAD "log @LOG\nauthority-cert @ROOT\n"
#define W3 "witness a @W1\nwitness b @W2\nwitness c @W3\n" /* lines 3..5 after HEAD */

static const struct bad {
    const char *tmpl;
    skl_err rc;
    size_t line;
    const char *reason;
} bad[] = {
    /* keywords and fields */
    {HEAD "frobnicate x\nquorum none\n", SKL_ERR_PARSE, 3, "unknown keyword \"frobnicate\""},
    {HEAD "authority certs/root.pem\nquorum none\n", SKL_ERR_PARSE, 3, "unknown keyword"},
    {HEAD "LOG @LOG2\nquorum none\n", SKL_ERR_PARSE, 3, "unknown keyword"},
    {HEAD "quorum none # trailing comment\n", SKL_ERR_PARSE, 3, "expected \"quorum"},
    {"log @LOG https://x/ extra\n", SKL_ERR_PARSE, 1, "expected \"log"},
    {"log\n", SKL_ERR_PARSE, 1, "expected \"log"},
    {HEAD "witness a\n", SKL_ERR_PARSE, 3, "expected \"witness"},
    {HEAD "authority-cert\n", SKL_ERR_PARSE, 3, "expected \"authority-cert"},
    {HEAD "max-age 1d 2d\n", SKL_ERR_PARSE, 3, "expected \"max-age"},
    /* the log */
    {HEAD "log @LOG2\nquorum none\n", SKL_ERR_SCHEMA, 3, "second log"},
    {"authority-cert @ROOT\nquorum none\n", SKL_ERR_SCHEMA, 3, "without a log"},
    {"", SKL_ERR_SCHEMA, 1, "without a log"},
    {"# nothing\n\n", SKL_ERR_SCHEMA, 3, "without a log"},
    {"log example.org+00000000+AAAA\n", SKL_ERR_KEY, 1, "log vkey is malformed"},
    {"log @LOGBADID\n", SKL_ERR_KEY, 1, "does not match"},
    {"log @LOGCO\n", SKL_ERR_KEY, 1, "key type 0x04, not 0x01"},
    /* witnesses */
    {HEAD "witness a @WED\n", SKL_ERR_KEY, 3, "key type 0x01, not 0x04"},
    {HEAD "witness a @LOG2\n", SKL_ERR_KEY, 3, "key type 0x01"},
    {HEAD "witness a not-a-vkey\n", SKL_ERR_KEY, 3, "witness vkey is malformed"},
    {HEAD "witness a @W1\nwitness a @W2\n", SKL_ERR_SCHEMA, 4, "\"a\" is already defined"},
    {HEAD "witness a @W1\nwitness b @W1\n", SKL_ERR_KEY, 4, "already witness \"a\"'s"},
    {HEAD "witness none @W1\n", SKL_ERR_SCHEMA, 3, "reserved"},
    {HEAD "witness self @LOGCO\n", SKL_ERR_KEY, 3, "cannot witness itself"},
    {"witness self @LOGCO\nlog @LOG\n", SKL_ERR_KEY, 2, "cannot witness itself"},
    /* groups */
    {HEAD W3 "group g 2 a b z\n", SKL_ERR_SCHEMA, 6, "\"z\" is not a witness or group"},
    {HEAD "witness a @W1\ngroup g any a b\nwitness b @W2\n", SKL_ERR_SCHEMA, 4,
     "\"b\" is not a witness or group defined above"},
    {HEAD W3 "group g any a b a\n", SKL_ERR_SCHEMA, 6, "listed twice"},
    {HEAD W3 "group g any none\n", SKL_ERR_SCHEMA, 6, "\"none\" is not"},
    {HEAD W3 "group g any g\n", SKL_ERR_SCHEMA, 6, "\"g\" is not"},
    {HEAD W3 "group a any b\n", SKL_ERR_SCHEMA, 6, "already defined"},
    {HEAD W3 "group g any a\ngroup g any b\n", SKL_ERR_SCHEMA, 7, "already defined"},
    {HEAD W3 "group none any a\n", SKL_ERR_SCHEMA, 6, "reserved"},
    {HEAD W3 "group g 0 a b c\n", SKL_ERR_PARSE, 6, "threshold \"0\""},
    {HEAD W3 "group g 4 a b c\n", SKL_ERR_PARSE, 6, "from 1 to 3"},
    {HEAD W3 "group g 02 a b c\n", SKL_ERR_PARSE, 6, "threshold"},
    {HEAD W3 "group g two a b c\n", SKL_ERR_PARSE, 6, "threshold"},
    {HEAD W3 "group g -1 a b c\n", SKL_ERR_PARSE, 6, "threshold"},
    {HEAD W3 "group g ALL a b c\n", SKL_ERR_PARSE, 6, "threshold"},
    {HEAD W3 "group g 1\n", SKL_ERR_PARSE, 6, "expected \"group"},
    /* the quorum */
    {HEAD W3 "group g 2 a b c\n", SKL_ERR_SCHEMA, 7, "without a quorum line"},
    {HEAD, SKL_ERR_SCHEMA, 3, "write \"quorum none\""},
    {HEAD "quorum none\nquorum none\n", SKL_ERR_SCHEMA, 4, "second quorum"},
    {HEAD "quorum g\n", SKL_ERR_SCHEMA, 3, "quorum \"g\" is not"},
    {HEAD "quorum a\nwitness a @W1\n", SKL_ERR_SCHEMA, 3, "defined above"},
    {HEAD "quorum\n", SKL_ERR_PARSE, 3, "expected \"quorum"},
    /* max-age */
    {HEAD "max-age 7\n", SKL_ERR_PARSE, 3, "max-age \"7\""},
    {HEAD "max-age 7w\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age 07d\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age 0s\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age d\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age -1d\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age 1.5h\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age 7D\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age 36501d\n", SKL_ERR_LIMIT, 3, "longer than 36500 days"},
    {HEAD "max-age 99999999999999999999999s\n", SKL_ERR_PARSE, 3, "max-age"},
    {HEAD "max-age 1d\nmax-age 2d\n", SKL_ERR_SCHEMA, 4, "second max-age"},
    /* the authority */
    {"log @LOG\nquorum none\n", SKL_ERR_SCHEMA, 3, "without an authority-cert"},
    {"log @LOG\nauthority-cert AAA\n", SKL_ERR_PARSE, 2, "not canonical base64"},
    {"log @LOG\nauthority-cert !!!!\n", SKL_ERR_PARSE, 2, "not canonical base64"},
    {"log @LOG\nauthority-cert MAB=\n", SKL_ERR_PARSE, 2, "not canonical base64"},
    {"log @LOG\nauthority-cert aGVsbG8=\n", SKL_ERR_PARSE, 2, "not a DER certificate"},
    {"log @LOG\nauthority-cert MAA=\n", ANY_ERROR, 2, "does not parse"},
    {"log @LOG\nauthority-cert @ISSUER\n", SKL_ERR_VERIFY, 2, "not a valid authority root"},
    {HEAD "authority-cert @ROOT\n", SKL_ERR_SCHEMA, 3, "listed twice"},
    /* characters */
    {"log @LOG\r\n", SKL_ERR_PARSE, 1, "carriage return"},
    {HEAD "# fine\r\n", SKL_ERR_PARSE, 3, "carriage return"},
    {HEAD "quorum none\x01\n", SKL_ERR_PARSE, 3, "control character 0x01"},
    {HEAD "quorum none\n\x7f\n", SKL_ERR_PARSE, 4, "control character 0x7f"},
    {HEAD "# caf\xc3\n", SKL_ERR_PARSE, 3, "not valid UTF-8"},
    {HEAD "# \xed\xa0\x80 surrogate\n", SKL_ERR_PARSE, 3, "not valid UTF-8"},
    {HEAD "\fquorum none\n", SKL_ERR_PARSE, 3, "control character 0x0c"},
};

START_TEST(test_refusals)
{
    fx f;
    fx_make(&f);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n;
        char *s = expand(&f, bad[i].tmpl, &n);
        skl_trust *t = (skl_trust *)1;
        char why[512] = "", prefix[32];
        skl_err e = skl_trust_parse(&t, s, n, why, sizeof why);
        ck_assert_msg(t == NULL, "case %zu: handle left", i);
        ck_assert_msg(bad[i].rc == ANY_ERROR ? e < 0 : e == bad[i].rc,
                      "case %zu: gave %d (%s), wanted %d", i, e, why, bad[i].rc);
        snprintf(prefix, sizeof prefix, "line %zu: ", bad[i].line);
        ck_assert_msg(strncmp(why, prefix, strlen(prefix)) == 0,
                      "case %zu: \"%s\", wanted line %zu", i, why, bad[i].line);
        ck_assert_msg(strstr(why, bad[i].reason) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, why,
                      bad[i].reason);
        free(s);
    }
    fx_free(&f);
}
END_TEST

START_TEST(test_nul_and_length)
{
    fx f;
    fx_make(&f);
    size_t n;
    char *s = expand(&f, HEAD "quorum none\n", &n);

    /* A NUL inside the text, where a C string would have ended. */
    char *nul = malloc(n + 8);
    memcpy(nul, s, n);
    memcpy(nul + n, "# a\0b\n", 6);
    parse_fails(nul, n + 6, SKL_ERR_PARSE, 4, "NUL byte");
    free(nul);

    /* Exactly SKL_TRUST_MAX_LEN bytes parse; one more does not, named at the line it ends. */
    char *big = malloc(SKL_TRUST_MAX_LEN + 2);
    memcpy(big, s, n);
    size_t pos = n, lines = 4;
    while (pos < SKL_TRUST_MAX_LEN) {
        size_t room = SKL_TRUST_MAX_LEN - pos, k = room > 80 ? 80 : room;
        memset(big + pos, '#', k);
        big[pos + k - 1] = '\n';
        pos += k;
        lines++;
    }
    skl_trust *t = parse_ok(big, SKL_TRUST_MAX_LEN);
    skl_trust_free(t);
    big[SKL_TRUST_MAX_LEN] = '#';
    parse_fails(big, SKL_TRUST_MAX_LEN + 1, SKL_ERR_LIMIT, lines, "longer than 65536");
    free(big);

    /* A name longer than SKL_TRUST_NAME_MAX. */
    skl_buf b = SKL_BUF_INIT;
    skl_buf_append(&b, s, n);
    skl_buf_puts(&b, "witness ");
    for (int i = 0; i < SKL_TRUST_NAME_MAX + 1; i++)
        skl_buf_putc(&b, 'n');
    skl_buf_printf(&b, " %s\n", f.w[0]);
    parse_fails(b.data, b.len, SKL_ERR_LIMIT, 4, "name longer than 255");
    skl_buf_free(&b);

    /* NULL arguments */
    ck_assert_int_eq(skl_trust_parse(NULL, s, n, NULL, 0), SKL_ERR_INVAL);
    t = (skl_trust *)1;
    ck_assert_int_eq(skl_trust_parse(&t, NULL, 0, NULL, 0), SKL_ERR_INVAL);
    ck_assert_ptr_null(t);
    free(s);
    fx_free(&f);
}
END_TEST

START_TEST(test_limits)
{
    fx f;
    fx_make(&f);
    skl_buf b = SKL_BUF_INIT;
    size_t n;
    char *s = expand(&f, HEAD, &n);

    /* SKL_TRUST_MAX_WITNESSES witnesses parse; one more is refused on its line. */
    skl_buf_append(&b, s, n);
    for (int i = 0; i <= SKL_TRUST_MAX_WITNESSES; i++) {
        char name[32], *v;
        snprintf(name, sizeof name, "w%d.example", i);
        v = vkey((uint8_t)(0x40 + i), name, SKL_NOTE_KEY_COSIGNATURE);
        if (i == SKL_TRUST_MAX_WITNESSES) {
            skl_buf_puts(&b, "quorum none\n");
            skl_trust *t = parse_ok(b.data, b.len);
            ck_assert_uint_eq(skl_trust_witnesses(t), SKL_TRUST_MAX_WITNESSES);
            skl_trust_free(t);
            b.len -= strlen("quorum none\n");
        }
        skl_buf_printf(&b, "witness w%d %s\n", i, v);
        free(v);
    }
    parse_fails(b.data, b.len, SKL_ERR_LIMIT, 3 + SKL_TRUST_MAX_WITNESSES, "more than 64");

    /* SKL_TRUST_MAX_GROUPS groups parse; one more is refused. */
    skl_buf_reset(&b);
    skl_buf_append(&b, s, n);
    char *w1 = expand(&f, "witness a @W1\n", NULL);
    skl_buf_puts(&b, w1);
    free(w1);
    for (int i = 0; i <= SKL_TRUST_MAX_GROUPS; i++) {
        if (i == SKL_TRUST_MAX_GROUPS) {
            skl_buf_puts(&b, "quorum g31\n");
            skl_trust *t = parse_ok(b.data, b.len);
            const char *a[] = {"a"};
            ck_assert_int_eq(skl_trust_quorum_met(t, a, 1), 1);
            ck_assert_int_eq(skl_trust_quorum_met(t, NULL, 0), 0);
            skl_trust_free(t);
            b.len -= strlen("quorum g31\n");
        }
        if (i == 0)
            skl_buf_puts(&b, "group g0 any a\n");
        else
            skl_buf_printf(&b, "group g%d all g%d\n", i, i - 1);
    }
    parse_fails(b.data, b.len, SKL_ERR_LIMIT, 4 + SKL_TRUST_MAX_GROUPS, "more than 32");

    /* too many fields on one line */
    skl_buf_reset(&b);
    skl_buf_append(&b, s, n);
    skl_buf_puts(&b, "group g any");
    for (int i = 0; i < 200; i++)
        skl_buf_puts(&b, " x");
    skl_buf_putc(&b, '\n');
    parse_fails(b.data, b.len, SKL_ERR_LIMIT, 3, "fields");

    /* more than SKL_TRUST_MAX_AUTHORITIES distinct roots */
    skl_buf_reset(&b);
    skl_buf_append(&b, s, n);
    for (int i = 0; i < SKL_TRUST_MAX_AUTHORITIES; i++) {
        size_t pn;
        char name[16];
        snprintf(name, sizeof name, "Root %d", i);
        char *pem = root_pem((uint8_t)(0x60 + i), name, &pn), *r = b64_der(pem, pn);
        skl_buf_printf(&b, "authority-cert %s\n", r);
        free(pem);
        free(r);
    }
    parse_fails(b.data, b.len, SKL_ERR_LIMIT, 2 + SKL_TRUST_MAX_AUTHORITIES, "more than 4");

    skl_buf_free(&b);
    free(s);
    fx_free(&f);
}
END_TEST

/* ---------------------------------------------------------------- sample files */

/* Each file in tests/data/trust/ starts with "# expect: ok" or "# expect: <line> <code>". */
START_TEST(test_sample_files)
{
    static const char *files[] = {
        "good-minimal.policy",  "good-nested.policy",          "bad-two-logs.policy",
        "bad-no-quorum.policy", "bad-undefined-member.policy", "bad-witness-type.policy",
        "bad-crlf.policy",      "bad-not-root.policy"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[128];
        size_t n;
        snprintf(path, sizeof path, "tests/data/trust/%s", files[i]);
        char *s = tu_read_file(path, &n);
        ck_assert_msg(s != NULL, "cannot read %s", path);
        size_t line;
        int code;
        if (strncmp(s, "# expect: ok\n", 13) == 0) {
            skl_trust *t = parse_ok(s, n);
            ck_assert_uint_eq(skl_trust_authorities(t), 1);
            skl_trust_free(t);
        } else {
            ck_assert_msg(sscanf(s, "# expect: %zu %d", &line, &code) == 2, "%s: header", path);
            parse_fails(s, n, (skl_err)code, line, NULL);
        }
        free(s);
    }
}
END_TEST

Suite *
trust_suite(void)
{
    Suite *s = suite_create("trust");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_format_refuses);
    tcase_add_test(tc, test_quorum_nested);
    tcase_add_test(tc, test_refusals);
    tcase_add_test(tc, test_nul_and_length);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_sample_files);
    suite_add_tcase(s, tc);
    return s;
}
