/* build.c - shaping unsigned credentials (spec/kinds.md) from named text fields: the field
 * table, the kind rules and the JSON writing. The form of each value is checked in
 * build_values.c; the roster header and value aliases of spec/data/fields.json are in fields.c. */
#include "skl/build.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf_int.h"
#include "build_int.h"
#include "fields_int.h"
#include "json_int.h"
#include "skl/json.h"
#include "refdata_int.h"
#include "utc_int.h"
#include "utf8_int.h"
#include "why_int.h"

#define MAX_VALUE 4096 /* bytes of one value */
#define MAX_PREREQS 16 /* spec/kinds.md: honour prerequisites */

/* ------------------------------------------------------------------------------------------ */
/* The builder's fields                                                                        */

enum { K_TRAIN = 1, K_CERT = 2, K_COMP = 4, K_HON = 8, K_REV = 16 };
#define K_ACH (K_TRAIN | K_CERT | K_COMP | K_HON)
#define K_ALL (K_ACH | K_REV)

enum {
    F_KIND,
    F_ID,
    F_ISSUER,
    F_ISSUERNAME,
    F_VALIDFROM,
    F_VALIDUNTIL,
    F_CREDNAME,
    F_IDHASH,
    F_ACHID,
    F_ACHNAME,
    F_DESCRIPTION,
    F_CRITERIA,
    F_OCCNAME,
    F_TRAININGTYPE,
    F_FUNDING,
    F_DELIVERY,
    F_PROGRAMME,
    F_PROGVERSION,
    F_OCCUPATION,
    F_EDITION,
    F_HOURS,
    F_STARTDATE,
    F_ENDDATE,
    F_RESULT,
    F_SPONSOR,
    F_EVALTYPE,
    F_LEVEL,
    F_CERTNO,
    F_ISSUEDATE,
    F_CERTVALIDUNTIL,
    F_EVALUATOR,
    F_EMPLOYER,
    F_COMPETITION,
    F_TIER,
    F_YEAR,
    F_AWARD,
    F_RANK,
    F_TITLE,
    F_BATCH,
    F_PREREQS,
    F_TARGET,
    F_REASON,
    F_EFFECTIVE,
    F_CORRTARGET,
    F_CORRREASON,
    NFIELDS
};

static const fdef FIELDS[NFIELDS] = {
    [F_KIND] = {"kind", T_KIND, K_ALL, K_ALL},
    [F_ID] = {"id", T_UUID, K_ALL, 0},
    [F_ISSUER] = {"issuer", T_DID, K_ALL, K_ALL},
    [F_ISSUERNAME] = {"issuerName", T_LINE, K_ALL, K_ALL},
    [F_VALIDFROM] = {"validFrom", T_DATETIME, K_ALL, 0},
    [F_VALIDUNTIL] = {"validUntil", T_DATETIME, K_ALL, 0},
    [F_CREDNAME] = {"credentialName", T_LINE, K_ALL, 0},
    [F_IDHASH] = {"identityHash", T_IDHASH, K_ACH, K_ACH},
    [F_ACHID] = {"achievementId", T_URN, K_ALL, 0},
    [F_ACHNAME] = {"achievementName", T_LINE, K_ALL, 0},
    [F_DESCRIPTION] = {"description", T_TEXT, K_ALL, 0},
    [F_CRITERIA] = {"criteria", T_TEXT, K_ALL, 0},
    [F_OCCNAME] = {"occupationName", T_LINE, K_TRAIN | K_CERT | K_COMP, 0},
    [F_TRAININGTYPE] = {"trainingType", T_TOKEN, K_TRAIN, K_TRAIN},
    [F_FUNDING] = {"funding", T_TOKEN, K_TRAIN, K_TRAIN},
    [F_DELIVERY] = {"delivery", T_TOKEN, K_TRAIN, K_TRAIN},
    [F_PROGRAMME] = {"programme", T_TOKEN, K_TRAIN, 0},
    [F_PROGVERSION] = {"programmeVersion", T_TOKEN, K_TRAIN, 0},
    [F_OCCUPATION] = {"occupation", T_OCC, K_TRAIN | K_CERT | K_COMP, 0},
    [F_EDITION] = {"edition", T_EDITION, K_TRAIN | K_CERT | K_COMP, 0},
    [F_HOURS] = {"hours", T_HOURS, K_TRAIN, K_TRAIN},
    [F_STARTDATE] = {"startDate", T_DATE, K_TRAIN, K_TRAIN},
    [F_ENDDATE] = {"endDate", T_DATE, K_TRAIN, K_TRAIN},
    [F_RESULT] = {"result", T_RESULT, K_TRAIN, K_TRAIN},
    [F_SPONSOR] = {"sponsor", T_USCC, K_TRAIN, 0},
    [F_EVALTYPE] = {"evaluationType", T_TOKEN, K_CERT, K_CERT},
    [F_LEVEL] = {"level", T_TOKEN, K_CERT, 0},
    [F_CERTNO] = {"certificateNumber", T_CERTNO, K_CERT, 0},
    [F_ISSUEDATE] = {"issueDate", T_DATE, K_CERT, K_CERT},
    [F_CERTVALIDUNTIL] = {"certValidUntil", T_DATE, K_CERT, 0},
    [F_EVALUATOR] = {"evaluator", T_EVALUATOR, K_CERT, K_CERT},
    [F_EMPLOYER] = {"employer", T_USCC, K_CERT, 0},
    [F_COMPETITION] = {"competition", T_LINE, K_COMP, K_COMP},
    [F_TIER] = {"tier", T_TOKEN, K_COMP, K_COMP},
    [F_YEAR] = {"year", T_YEAR, K_COMP | K_HON, K_COMP | K_HON},
    [F_AWARD] = {"award", T_LINE, K_COMP, K_COMP},
    [F_RANK] = {"rank", T_RANK, K_COMP, 0},
    [F_TITLE] = {"title", T_TOKEN, K_HON, K_HON},
    [F_BATCH] = {"batch", T_LINE, K_HON, 0},
    [F_PREREQS] = {"prerequisites", T_IDLIST, K_HON, 0},
    [F_TARGET] = {"target", T_UUID, K_REV, K_REV},
    [F_REASON] = {"reason", T_TEXT, K_REV, K_REV},
    [F_EFFECTIVE] = {"effective", T_DATETIME, K_REV, 0},
    [F_CORRTARGET] = {"correctsTarget", T_UUID, K_ACH, 0},
    [F_CORRREASON] = {"correctsReason", T_TEXT, K_ACH, 0},
};

static const struct {
    const char *name;
    unsigned bit;
    const char *achievement_type;
} KINDS[] = {
    {"training", K_TRAIN, "Course"},      {"certification", K_CERT, "Certificate"},
    {"competition", K_COMP, "Award"},     {"honour", K_HON, "Award"},
    {"revocation", K_REV, "Achievement"},
};

int
skl_build_int_is_kind(const char *name)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(name, KINDS[i].name) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing                                                                                     */

static void
put_str(skl_buf *b, const char *s)
{
    skl_json_write_string(b, s, strlen(s));
}

/* ,"key":"value" (the comma unless first) */
static void
put_member(skl_buf *b, const char *key, const char *value)
{
    skl_buf_putc(b, ',');
    put_str(b, key);
    skl_buf_putc(b, ':');
    put_str(b, value);
}

/* Appends s percent-encoded (RFC 3986 unreserved characters kept). */
static void
put_pct(skl_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~')
            skl_buf_putc(b, (char)c);
        else
            skl_buf_printf(b, "%%%02X", c);
    }
}

static void
put_uuid(char out[46])
{
    uint8_t u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (uint8_t)((u[6] & 0x0F) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3F) | 0x80);
    snprintf(out, 46,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

/* Joins the non-NULL, non-empty strings of parts with single spaces into b. */
static void
join(skl_buf *b, const char *const *parts, size_t n)
{
    int first = 1;
    for (size_t i = 0; i < n; i++)
        if (parts[i] != NULL && parts[i][0] != '\0') {
            if (!first)
                skl_buf_putc(b, ' ');
            skl_buf_puts(b, parts[i]);
            first = 0;
        }
}

/* The display name of id in a reference table ("honours", ...), or id itself. */
static const char *
ref_name(const char *table, const char *id)
{
    const skl_refdata *rd = skl_refdata_shared();
    const char *name = id != NULL && rd != NULL ? skl_refdata_name(rd, table, id) : NULL;
    return name != NULL ? name : id;
}

/* The people's name a credential gets when credentialName is not given. */
static void
derive_name(skl_buf *b, unsigned kind, char *const *v)
{
    const char *occ = v[F_OCCNAME];
    if (occ == NULL && v[F_OCCUPATION] != NULL) {
        const skl_refdata *rd = skl_refdata_shared();
        occ = rd ? skl_refdata_occupation(rd, v[F_OCCUPATION], v[F_EDITION]) : NULL;
        if (occ == NULL)
            occ = v[F_OCCUPATION];
    }
    if (kind == K_TRAIN) {
        const char *p[] = {occ ? occ : v[F_PROGRAMME],
                           ref_name("training-types", v[F_TRAININGTYPE])};
        join(b, p, 2);
    } else if (kind == K_CERT) {
        const char *p[] = {occ ? occ : ref_name("evaluation-types", v[F_EVALTYPE]),
                           v[F_LEVEL] ? skl_field_value_shown("level", v[F_LEVEL]) : NULL};
        join(b, p, 2);
    } else if (kind == K_COMP) {
        const char *p[] = {v[F_COMPETITION], v[F_AWARD]};
        join(b, p, 2);
    } else if (kind == K_HON) {
        const char *p[] = {ref_name("honours", v[F_TITLE]), v[F_YEAR], v[F_BATCH]};
        join(b, p, 3);
    } else {
        const char *p[] = {"revocation of", v[F_TARGET]};
        join(b, p, 2);
    }
}

/* The achievement's id when achievementId is not given: the kind and its defining fields. */
static void
derive_achievement_id(skl_buf *b, const char *kindname, unsigned kind, char *const *v)
{
    static const int train[] = {F_TRAININGTYPE, F_PROGRAMME, F_PROGVERSION, F_EDITION,
                                F_OCCUPATION};
    static const int cert[] = {F_EVALTYPE, F_EDITION, F_OCCUPATION, F_LEVEL};
    static const int comp[] = {F_YEAR, F_TIER, F_COMPETITION, F_AWARD};
    static const int hon[] = {F_TITLE, F_YEAR, F_BATCH};
    const int *parts = NULL;
    size_t n = 0;
    if (kind == K_TRAIN)
        parts = train, n = 5;
    else if (kind == K_CERT)
        parts = cert, n = 4;
    else if (kind == K_COMP)
        parts = comp, n = 4;
    else if (kind == K_HON)
        parts = hon, n = 3;
    skl_buf_puts(b, "urn:skl:achievement:");
    skl_buf_puts(b, kindname);
    for (size_t i = 0; i < n; i++) {
        skl_buf_putc(b, ':');
        if (v[parts[i]] != NULL)
            put_pct(b, v[parts[i]]);
    }
}

static void
put_occupation(skl_buf *b, char *const *v)
{
    if (v[F_OCCUPATION] == NULL)
        return;
    skl_buf_puts(b, ",\"occupation\":{\"code\":");
    put_str(b, v[F_OCCUPATION]);
    skl_buf_puts(b, ",\"edition\":");
    put_str(b, v[F_EDITION]);
    skl_buf_putc(b, '}');
}

static void
put_opt(skl_buf *b, const char *key, const char *value)
{
    if (value != NULL)
        put_member(b, key, value);
}

static void
put_int(skl_buf *b, const char *key, const char *value)
{
    if (value == NULL)
        return;
    skl_buf_putc(b, ',');
    put_str(b, key);
    skl_buf_printf(b, ":%s", value); /* already checked: digits without leading zero */
}

/* Writes the prerequisites array; 0, or -1 with why filled. */
static int
put_prereqs(skl_buf *b, const char *list, char *why, size_t whylen)
{
    char ids[MAX_PREREQS][46];
    size_t n = 0;
    const char *p = list;
    for (;;) {
        const char *e = strchr(p, ';'), *s;
        size_t len = e ? (size_t)(e - p) : strlen(p), k;
        s = p;
        while (len > 0 && (k = skl_field_blank_at(s, len)) > 0)
            s += k, len -= k;
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if (len == 0)
            return skl_why_rc(why, whylen, -1, "field prerequisites: an empty item");
        if (n == MAX_PREREQS)
            return skl_why_rc(why, whylen, -1, "field prerequisites: more than %d ids", MAX_PREREQS);
        if (len >= sizeof ids[0])
            return skl_why_rc(why, whylen, -1, "field prerequisites: item %zu is not a urn:uuid", n + 1);
        memcpy(ids[n], s, len);
        ids[n][len] = '\0';
        if (!skl_build_int_is_uuid_urn(ids[n]))
            return skl_why_rc(why, whylen, -1,
                        "field prerequisites: item %zu is not a lower-case urn:uuid", n + 1);
        for (size_t i = 0; i < n; i++)
            if (strcmp(ids[i], ids[n]) == 0)
                return skl_why_rc(why, whylen, -1, "field prerequisites: %s is listed twice", ids[n]);
        n++;
        if (e == NULL)
            break;
        p = e + 1;
    }
    skl_buf_puts(b, ",\"prerequisites\":[");
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            skl_buf_putc(b, ',');
        put_str(b, ids[i]);
    }
    skl_buf_putc(b, ']');
    return 0;
}

/* The kind-specific members of credentialSubject.skl, after "kind". */
static int
put_skl(skl_buf *b, unsigned kind, char *const *v, char *why, size_t whylen)
{
    switch (kind) {
    case K_TRAIN:
        put_member(b, "trainingType", v[F_TRAININGTYPE]);
        put_member(b, "funding", v[F_FUNDING]);
        put_member(b, "delivery", v[F_DELIVERY]);
        if (v[F_PROGRAMME] != NULL) {
            skl_buf_puts(b, ",\"programme\":{\"id\":");
            put_str(b, v[F_PROGRAMME]);
            put_opt(b, "version", v[F_PROGVERSION]);
            skl_buf_putc(b, '}');
        }
        put_occupation(b, v);
        put_int(b, "hours", v[F_HOURS]);
        put_member(b, "startDate", v[F_STARTDATE]);
        put_member(b, "endDate", v[F_ENDDATE]);
        put_member(b, "result", v[F_RESULT]);
        put_opt(b, "sponsor", v[F_SPONSOR]);
        break;
    case K_CERT:
        put_member(b, "evaluationType", v[F_EVALTYPE]);
        put_occupation(b, v);
        put_opt(b, "level", v[F_LEVEL]);
        put_opt(b, "certificateNumber", v[F_CERTNO]);
        put_member(b, "issueDate", v[F_ISSUEDATE]);
        put_opt(b, "validUntil", v[F_CERTVALIDUNTIL]);
        put_member(b, "evaluator", v[F_EVALUATOR]);
        put_opt(b, "employer", v[F_EMPLOYER]);
        break;
    case K_COMP:
        put_member(b, "competition", v[F_COMPETITION]);
        put_member(b, "tier", v[F_TIER]);
        put_int(b, "year", v[F_YEAR]);
        put_member(b, "award", v[F_AWARD]);
        put_int(b, "rank", v[F_RANK]);
        put_occupation(b, v);
        break;
    case K_HON:
        put_member(b, "title", v[F_TITLE]);
        put_int(b, "year", v[F_YEAR]);
        put_opt(b, "batch", v[F_BATCH]);
        if (v[F_PREREQS] != NULL && put_prereqs(b, v[F_PREREQS], why, whylen) != 0)
            return -1;
        break;
    case K_REV:
        put_member(b, "target", v[F_TARGET]);
        put_member(b, "reason", v[F_REASON]);
        put_opt(b, "effective", v[F_EFFECTIVE]);
        break;
    }
    if (v[F_CORRTARGET] != NULL) {
        skl_buf_puts(b, ",\"corrects\":{\"target\":");
        put_str(b, v[F_CORRTARGET]);
        put_member(b, "reason", v[F_CORRREASON]);
        skl_buf_putc(b, '}');
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The builder                                                                                 */

/* Rules between fields that are about form, not reference data. 0, or -1 with why. */
static int
check_cross(unsigned kind, char *const *v, char *why, size_t whylen)
{
    if ((v[F_OCCUPATION] == NULL) != (v[F_EDITION] == NULL))
        return skl_why_rc(why, whylen, -1, "field %s: required with field %s",
                    v[F_OCCUPATION] ? "edition" : "occupation",
                    v[F_OCCUPATION] ? "occupation" : "edition");
    if (v[F_PROGVERSION] != NULL && v[F_PROGRAMME] == NULL)
        return skl_why_rc(why, whylen, -1, "field programme: required with field programmeVersion");
    if ((v[F_CORRTARGET] == NULL) != (v[F_CORRREASON] == NULL))
        return skl_why_rc(why, whylen, -1, "field %s: required with field %s",
                    v[F_CORRTARGET] ? "correctsReason" : "correctsTarget",
                    v[F_CORRTARGET] ? "correctsTarget" : "correctsReason");
    if (kind == K_TRAIN && strcmp(v[F_ENDDATE], v[F_STARTDATE]) < 0)
        return skl_why_rc(why, whylen, -1, "field endDate: %s is before startDate %s", v[F_ENDDATE],
                    v[F_STARTDATE]);
    if (kind == K_CERT && strcmp(v[F_EVALUATOR], "Y") == 0 && v[F_EMPLOYER] == NULL)
        return skl_why_rc(why, whylen, -1, "field employer: required when evaluator is Y");
    if (v[F_VALIDUNTIL] != NULL && v[F_VALIDFROM] != NULL &&
        strcmp(v[F_VALIDUNTIL], v[F_VALIDFROM]) < 0)
        return skl_why_rc(why, whylen, -1, "field validUntil: before validFrom");
    return 0;
}

skl_err
skl_credential_build(char **out, size_t *outlen, const skl_field *fields, size_t n, char *why,
                     size_t whylen)
{
    skl_err rc = SKL_ERR_SCHEMA;
    char *v[NFIELDS] = {0};
    int seen[NFIELDS] = {0};
    skl_buf b = SKL_BUF_INIT, aux = SKL_BUF_INIT;
    skl_json_doc *doc = NULL;
    char jwhy[160];
    const char *ferr;

    if (why != NULL && whylen > 0)
        why[0] = '\0';
    if (out == NULL || outlen == NULL || (fields == NULL && n > 0))
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no output pointer or no fields");
    *out = NULL;
    *outlen = 0;
    if ((ferr = skl_field_load_error()) != NULL) {
        rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "%s", ferr);
        goto out;
    }

    /* 1. Names: known, not personal, not twice; values: trimmed, UTF-8, aliases mapped. */
    for (size_t i = 0; i < n; i++) {
        const char *name = fields[i].name, *val = fields[i].value ? fields[i].value : "";
        size_t f, len;
        if (name == NULL) {
            rc = skl_why_rc(why, whylen, SKL_ERR_INVAL, "field %zu has no name", i + 1);
            goto out;
        }
        if (skl_field_is_personal(name)) {
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA,
                      "field %s: personal data (the worker's identity) goes to the worker vault, "
                      "never into a credential",
                      name);
            goto out;
        }
        for (f = 0; f < NFIELDS; f++)
            if (strcmp(FIELDS[f].name, name) == 0)
                break;
        if (f == NFIELDS) {
            char ex[48];
            snprintf(ex, sizeof ex, "%s", name);
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field %s: unknown field name", ex);
            goto out;
        }
        if (seen[f]++) {
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field %s: given twice", name);
            goto out;
        }
        const char *tb;
        skl_field_trim(val, &tb, &len);
        if (len == 0)
            continue; /* empty means not given */
        if (len > MAX_VALUE) {
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field %s: longer than %d bytes", name,
                      MAX_VALUE);
            goto out;
        }
        if (skl_utf8_bad_offset((const unsigned char *)tb, len) != len) {
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field %s: not valid UTF-8", name);
            goto out;
        }
        /* +11: room for a date to grow into a date-time */
        v[f] = malloc(len + 12);
        if (v[f] == NULL) {
            rc = SKL_ERR_NOMEM;
            goto out;
        }
        memcpy(v[f], tb, len);
        v[f][len] = '\0';
        const char *canon = skl_field_value_canon(FIELDS[f].name, v[f]);
        if (canon != NULL) {
            size_t cl = strlen(canon);
            char *c = malloc(cl + 12);
            if (c == NULL) {
                rc = SKL_ERR_NOMEM;
                goto out;
            }
            memcpy(c, canon, cl + 1);
            free(v[f]);
            v[f] = c;
        }
    }

    /* 2. The kind, then presence and form of every field. */
    if (v[F_KIND] == NULL) {
        rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field kind: required");
        goto out;
    }
    if (skl_build_int_check_form(&FIELDS[F_KIND], v[F_KIND], why, whylen) != 0)
        goto out;
    size_t ki = 0;
    while (strcmp(KINDS[ki].name, v[F_KIND]) != 0)
        ki++;
    unsigned kind = KINDS[ki].bit;
    for (size_t f = 0; f < NFIELDS; f++) {
        if (v[f] == NULL) {
            if (FIELDS[f].required & kind) {
                rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field %s: required for kind %s",
                          FIELDS[f].name, KINDS[ki].name);
                goto out;
            }
            continue;
        }
        if (!(FIELDS[f].kinds & kind)) {
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field %s: not a field of kind %s",
                      FIELDS[f].name, KINDS[ki].name);
            goto out;
        }
        if (skl_build_int_check_form(&FIELDS[f], v[f], why, whylen) != 0)
            goto out;
    }
    if (check_cross(kind, v, why, whylen) != 0)
        goto out;

    /* 3. Defaults. */
    char id[46], now[21];
    if (v[F_ID] == NULL) {
        put_uuid(id);
    } else {
        snprintf(id, sizeof id, "%s", v[F_ID]);
    }
    if (v[F_VALIDFROM] == NULL) {
        skl_utc_format(now, (int64_t)time(NULL));
        if (v[F_VALIDUNTIL] != NULL && strcmp(v[F_VALIDUNTIL], now) < 0) {
            rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA, "field validUntil: before validFrom (now)");
            goto out;
        }
    } else {
        snprintf(now, sizeof now, "%s", v[F_VALIDFROM]);
    }
    if (v[F_CORRTARGET] != NULL && strcmp(v[F_CORRTARGET], id) == 0) {
        rc = skl_why_rc(why, whylen, SKL_ERR_SCHEMA,
                  "field correctsTarget: a credential cannot correct itself");
        goto out;
    }
    if (v[F_CREDNAME] == NULL)
        derive_name(&aux, kind, v);
    else
        skl_buf_puts(&aux, v[F_CREDNAME]);
    skl_buf_putc(&aux, '\0');
    size_t name_off = 0, achid_off = aux.len;
    if (v[F_ACHID] == NULL)
        derive_achievement_id(&aux, KINDS[ki].name, kind, v);
    else
        skl_buf_puts(&aux, v[F_ACHID]);
    skl_buf_putc(&aux, '\0');
    if (!skl_buf_ok(&aux)) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    const char *cname = aux.data + name_off, *achid = aux.data + achid_off;
    const char *achname = v[F_ACHNAME] ? v[F_ACHNAME] : cname;
    const char *desc = v[F_DESCRIPTION] ? v[F_DESCRIPTION] : achname;
    const char *narrative = v[F_CRITERIA] ? v[F_CRITERIA] : desc;

    /* 4. The JSON text, in any order; canonical form comes from the parser. */
    skl_buf_puts(&b, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                     "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"]");
    put_member(&b, "id", id);
    skl_buf_puts(&b, ",\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]");
    skl_buf_puts(&b, ",\"issuer\":{\"type\":[\"Profile\"]");
    put_member(&b, "id", v[F_ISSUER]);
    put_member(&b, "name", v[F_ISSUERNAME]);
    skl_buf_putc(&b, '}');
    put_member(&b, "validFrom", now);
    put_opt(&b, "validUntil", v[F_VALIDUNTIL]);
    put_member(&b, "name", cname);
    skl_buf_puts(&b, ",\"credentialSubject\":{\"type\":[\"AchievementSubject\"]");
    if (kind == K_REV) {
        put_member(&b, "id", v[F_TARGET]);
    } else {
        skl_buf_puts(&b, ",\"identifier\":[{\"type\":\"IdentityObject\"");
        put_member(&b, "identityHash", v[F_IDHASH]);
        skl_buf_puts(&b, ",\"identityType\":\"nationalIdentityNumber\",\"hashed\":true}]");
    }
    skl_buf_puts(&b, ",\"achievement\":{\"type\":[\"Achievement\"]");
    put_member(&b, "id", achid);
    put_member(&b, "achievementType", KINDS[ki].achievement_type);
    put_member(&b, "name", achname);
    put_member(&b, "description", desc);
    skl_buf_puts(&b, ",\"criteria\":{\"narrative\":");
    put_str(&b, narrative);
    skl_buf_puts(&b, "}},\"skl\":{\"kind\":");
    put_str(&b, KINDS[ki].name);
    if (put_skl(&b, kind, v, why, whylen) != 0)
        goto out;
    skl_buf_puts(&b, "}}}");
    if (!skl_buf_ok(&b)) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    rc = skl_json_parse(&doc, b.data, b.len, b.len, jwhy, sizeof jwhy);
    if (rc == SKL_ERR_NOMEM)
        goto out;
    if (rc != SKL_OK) { /* a defect here, not in the caller's input */
        rc = skl_why_rc(why, whylen, SKL_ERR_STATE, "built credential does not parse: %s", jwhy);
        goto out;
    }
    rc = skl_json_canonicalize(skl_json_root(doc), out, outlen);
out:
    for (size_t f = 0; f < NFIELDS; f++)
        free(v[f]);
    skl_buf_free(&b);
    skl_buf_free(&aux);
    skl_json_free(doc);
    return rc;
}
