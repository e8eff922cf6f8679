/*
 * claim_kinds.c - the members of credentialSubject.skl that belong to one kind (spec/kinds.md):
 * training, certification, competition, honour, revocation, accreditation and credit.
 *
 * skl_claim_extract() in claim.c checks the shape every credential shares, then calls the
 * validator of the credential's kind here.
 */
#include "claim_parse_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec_int.h"
#include "utc_int.h"

#define CERT_MAX 16384 /* bytes of an X.509 certificate in DER */

/* ------------------------------------------------------------- members ------- */

/* skl.occupation: {code, edition}, known in that edition. */
static int
occupation(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"code", "edition", NULL};
    const skl_json_value *o = skl_json_get(skl, "occupation");
    const char *code, *ed;
    int rc;
    if (o == NULL)
        return SKL_OK;
    if (o->type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(x, SKL "occupation", "must be an object {code, edition}");
    if ((rc = skl_claim_int_only_members(x, o, SKL "occupation.", m)) != SKL_OK ||
        (rc = skl_claim_int_get_str(x, o, "code", SKL "occupation.code", 1, 16, &code)) != SKL_OK ||
        (rc = skl_claim_int_get_str(x, o, "edition", SKL "occupation.edition", 1, 8, &ed)) !=
            SKL_OK)
        return rc;
    if (!skl_occupation_code_valid(code))
        return skl_claim_int_fail(x, SKL "occupation.code", "\"%s\" is not a code D-DD-DD-DD",
                                  code);
    if (!skl_refdata_edition_known(x->rd, ed))
        return skl_claim_int_fail(x, SKL "occupation.edition",
                                  "\"%s\" is not an edition in occupations.json", ed);
    if (skl_refdata_occupation(x->rd, code, ed) == NULL)
        return skl_claim_int_fail(x, SKL "occupation.code",
                                  "%s is not an occupation of the %s edition (%s)", code, ed,
                                  skl_refdata_file_version(x->rd, "occupations"));
    if ((rc = skl_claim_int_dup_into(x, &x->c->occupation, code)) != SKL_OK)
        return rc;
    return skl_claim_int_dup_into(x, &x->c->edition, ed);
}

/* A member naming an id of a reference table. */
static int
table_id(cx *x, const skl_json_value *skl, const char *key, const char *path, const char *table,
         int required, const char **out)
{
    int rc = skl_claim_int_get_str(x, skl, key, path, required, 64, out);
    if (rc == SKL_OK && *out != NULL && skl_refdata_name(x->rd, table, *out) == NULL)
        return skl_claim_int_fail(x, path, "\"%s\" is not listed in %s.json %s", *out, table,
                                  skl_refdata_file_version(x->rd, table));
    return rc;
}

static int
uscc(cx *x, const skl_json_value *obj, const char *key, const char *path, int required,
     const char **out)
{
    int rc = skl_claim_int_get_str(x, obj, key, path, required, 32, out);
    if (rc == SKL_OK && *out != NULL && !skl_uscc_valid(*out))
        return skl_claim_int_fail(
            x, path, "\"%s\" is not a 统一社会信用代码 (18 characters, GB 32100 check)", *out);
    return rc;
}

/* skl.corrects: {target, reason}. */
int
skl_claim_int_corrects(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"target", "reason", NULL};
    const skl_json_value *o = skl_json_get(skl, "corrects");
    const char *t, *r;
    int rc;
    if (o == NULL)
        return SKL_OK;
    if (o->type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(x, SKL "corrects", "must be an object {target, reason}");
    if ((rc = skl_claim_int_only_members(x, o, SKL "corrects.", m)) != SKL_OK ||
        (rc = skl_claim_int_get_str(x, o, "target", SKL "corrects.target", 1, STR_MAX, &t)) !=
            SKL_OK ||
        (rc = skl_claim_int_get_str(x, o, "reason", SKL "corrects.reason", 1, STR_MAX, &r)) !=
            SKL_OK)
        return rc;
    if (strcmp(t, x->c->id) == 0)
        return skl_claim_int_fail(x, SKL "corrects.target", "a credential cannot correct itself");
    if ((rc = skl_claim_int_dup_into(x, &x->c->target, t)) != SKL_OK)
        return rc;
    return skl_claim_int_dup_into(x, &x->c->reason, r);
}

/* ------------------------------------------------------------- kinds --------- */

int
skl_claim_int_training(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {
        "kind",  "corrects",  "trainingType", "funding", "delivery", "programme", "occupation",
        "hours", "startDate", "endDate",      "result",  "sponsor",  NULL};
    static const char *const pm[] = {"id", "version", NULL};
    const char *tt, *s, *start, *end, *res, *pid = NULL, *delivery;
    long hours;
    int present, rc;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) != SKL_OK ||
        (rc = table_id(x, skl, "trainingType", SKL "trainingType", "training-types", 1, &tt)) ||
        (rc = table_id(x, skl, "funding", SKL "funding", "funding-modes", 1, &s)) ||
        (rc = table_id(x, skl, "delivery", SKL "delivery", "delivery-modes", 1, &delivery)) ||
        (rc = skl_claim_int_dup_into(x, &x->c->delivery, delivery)) || (rc = occupation(x, skl)) ||
        (rc = skl_claim_int_get_int(x, skl, "hours", SKL "hours", 1, 1, 10000, &hours, &present)) ||
        (rc = skl_claim_int_get_date(x, skl, "startDate", SKL "startDate", 1, &start)) ||
        (rc = skl_claim_int_get_date(x, skl, "endDate", SKL "endDate", 1, &end)) ||
        (rc = skl_claim_int_get_str(x, skl, "result", SKL "result", 1, 16, &res)) ||
        (rc = uscc(x, skl, "sponsor", SKL "sponsor", 0, &s)))
        return rc;
    if (strcmp(end, start) < 0)
        return skl_claim_int_fail(x, SKL "endDate", "%s is before startDate %s", end, start);
    if (strcmp(res, "passed") && strcmp(res, "failed") && strcmp(res, "attended"))
        return skl_claim_int_fail(x, SKL "result", "\"%s\" is not passed, failed or attended", res);
    const skl_json_value *p = skl_json_get(skl, "programme");
    if (p != NULL) {
        if (p->type != SKL_JSON_OBJECT)
            return skl_claim_int_fail(x, SKL "programme", "must be an object {id, version}");
        if ((rc = skl_claim_int_only_members(x, p, SKL "programme.", pm)) ||
            (rc = skl_claim_int_get_str(x, p, "id", SKL "programme.id", 1, STR_MAX, &pid)) ||
            (rc = skl_claim_int_get_str(x, p, "version", SKL "programme.version", 0, 64, &s)))
            return rc;
    }
    if ((rc = skl_claim_int_dup_into(x, &x->c->training_type, tt)) != SKL_OK)
        return rc;
    return skl_claim_int_dup_into(x, &x->c->programme, pid);
}

static int
presence(cx *x, const skl_json_value *skl, const char *key, const char *path, skl_presence p,
         const char *et)
{
    int here = skl_json_get(skl, key) != NULL;
    if (p == SKL_PRESENCE_REQUIRED && !here)
        return skl_claim_int_fail(x, path, "missing (evaluation type %s requires it)", et);
    if (p == SKL_PRESENCE_FORBIDDEN && here)
        return skl_claim_int_fail(x, path, "not allowed with evaluation type %s", et);
    return SKL_OK;
}

int
skl_claim_int_certification(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {
        "kind",      "corrects",   "evaluationType", "occupation", "level", "certificateNumber",
        "issueDate", "validUntil", "evaluator",      "employer",   NULL};
    const char *etid, *lv, *no, *issue, *until, *ev, *emp;
    int rc;
    skl_claim *c = x->c;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) != SKL_OK ||
        (rc = table_id(x, skl, "evaluationType", SKL "evaluationType", "evaluation-types", 1,
                       &etid)))
        return rc;
    const skl_refdata_evaltype *et = skl_refdata_evaluation_type(x->rd, etid);
    if (et == NULL)
        return skl_claim_int_fail(x, SKL "evaluationType", "\"%s\" has no rule", etid);
    if ((rc = presence(x, skl, "occupation", SKL "occupation", et->occupation, etid)) ||
        (rc = presence(x, skl, "level", SKL "level", et->level, etid)) ||
        (rc = presence(x, skl, "certificateNumber", SKL "certificateNumber", et->certificate_number,
                       etid)) ||
        (rc = occupation(x, skl)) ||
        (rc = skl_claim_int_get_str(x, skl, "level", SKL "level", 0, 32, &lv)) ||
        (rc = skl_claim_int_get_str(x, skl, "evaluator", SKL "evaluator", 1, 1, &ev)) ||
        (rc = skl_claim_int_get_str(x, skl, "certificateNumber", SKL "certificateNumber", 0, 32,
                                    &no)) ||
        (rc = skl_claim_int_get_date(x, skl, "issueDate", SKL "issueDate", 1, &issue)) ||
        (rc = skl_claim_int_get_date(x, skl, "validUntil", SKL "validUntil", 0, &until)))
        return rc;
    if (strcmp(ev, "Y") != 0 && strcmp(ev, "S") != 0)
        return skl_claim_int_fail(x, SKL "evaluator",
                                  "\"%s\" is not Y (employer) or S (social organisation)", ev);
    if ((ev[0] == 'Y' && !et->evaluator_y) || (ev[0] == 'S' && !et->evaluator_s))
        return skl_claim_int_fail(x, SKL "evaluator", "evaluator %s may not use evaluation type %s",
                                  ev, etid);
    if ((rc = uscc(x, skl, "employer", SKL "employer", ev[0] == 'Y', &emp)) != SKL_OK)
        return rc;
    if (lv != NULL) {
        const char *scale;
        int rank, ok = 0;
        if (skl_refdata_level(x->rd, lv, &scale, &rank) != SKL_OK)
            return skl_claim_int_fail(x, SKL "level", "\"%s\" is not a level in levels.json %s", lv,
                                      skl_refdata_file_version(x->rd, "levels"));
        if (et->scale == NULL || strcmp(scale, et->scale) != 0)
            return skl_claim_int_fail(x, SKL "level",
                                      "%s is on scale %s, evaluation type %s uses %s", lv, scale,
                                      etid, et->scale ? et->scale : "no level");
        for (size_t i = 0; i < et->nlevels && !ok; i++)
            ok = strcmp(et->levels[i], lv) == 0;
        if (!ok)
            return skl_claim_int_fail(x, SKL "level", "%s is not a level evaluation type %s awards",
                                      lv, etid);
        if (c->occupation != NULL && strcmp(scale, "skill") == 0 &&
            !skl_refdata_occupation_has_level(x->rd, c->occupation, c->edition, lv))
            return skl_claim_int_fail(x, SKL "level", "occupation %s (%s) has no level %s",
                                      c->occupation, c->edition, lv);
        if ((rc = skl_claim_int_dup_into(x, &c->level, lv)) ||
            (rc = skl_claim_int_dup_into(x, &c->level_scale, scale)))
            return rc;
        c->level_rank = rank;
    }
    if (no != NULL) {
        char w[160];
        if (skl_certno_check(no, lv, ev, w, sizeof w) != SKL_OK)
            return skl_claim_int_fail(x, SKL "certificateNumber", "%s", w);
    }
    if (until != NULL && strcmp(until, issue) < 0)
        return skl_claim_int_fail(x, SKL "validUntil", "%s is before issueDate %s", until, issue);
    if ((rc = skl_claim_int_dup_into(x, &c->evaluation_type, etid)) ||
        (rc = skl_claim_int_dup_into(x, &c->evaluator, ev)))
        return rc;
    return skl_claim_int_dup_into(x, &c->employer, emp);
}

int
skl_claim_int_competition(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"kind",  "corrects", "competition", "tier", "year",
                                    "award", "rank",     "occupation",  NULL};
    const char *s;
    long n;
    int present, rc;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) ||
        (rc = skl_claim_int_get_str(x, skl, "competition", SKL "competition", 1, STR_MAX, &s)) ||
        (rc = table_id(x, skl, "tier", SKL "tier", "competition-tiers", 1, &s)) ||
        (rc = skl_claim_int_get_int(x, skl, "year", SKL "year", 1, 1949, 9999, &n, &present)) ||
        (rc = skl_claim_int_get_str(x, skl, "award", SKL "award", 1, STR_MAX, &s)) ||
        (rc = skl_claim_int_get_int(x, skl, "rank", SKL "rank", 0, 1, 1000000, &n, &present)))
        return rc;
    return occupation(x, skl);
}

int
skl_claim_int_honour(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"kind",  "corrects",      "title", "year",
                                    "batch", "prerequisites", NULL};
    const char *title, *s;
    const skl_refdata_prereq *pre;
    size_t npre;
    long n;
    int present, rc;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) ||
        (rc = table_id(x, skl, "title", SKL "title", "honours", 1, &title)) ||
        (rc = skl_claim_int_get_int(x, skl, "year", SKL "year", 1, 1949, 9999, &n, &present)) ||
        (rc = skl_claim_int_get_str(x, skl, "batch", SKL "batch", 0, 64, &s)))
        return rc;
    if (skl_refdata_honour(x->rd, title, NULL, NULL, &pre, &npre) != SKL_OK)
        return skl_claim_int_fail(x, SKL "title", "\"%s\" is not an honour", title);
    const skl_json_value *a = skl_json_get(skl, "prerequisites");
    if (a == NULL && npre > 0)
        return skl_claim_int_fail(x, SKL "prerequisites",
                                  "missing: %s has prerequisites (honours.json)", title);
    if (a == NULL)
        return skl_claim_int_dup_into(x, &x->c->honour, title);
    if (a->type != SKL_JSON_ARRAY || a->n > SKL_CLAIM_MAX_REFS || (a->n == 0 && npre > 0))
        return skl_claim_int_fail(x, SKL "prerequisites",
                                  "must be an array of 1 to %d credential ids", SKL_CLAIM_MAX_REFS);
    for (uint32_t i = 0; i < a->n; i++) {
        const char *id = skl_json_string(&a->u.arr[i]);
        char path[64];
        snprintf(path, sizeof path, SKL "prerequisites[%u]", i);
        if (id == NULL || a->u.arr[i].n == 0 || a->u.arr[i].n > STR_MAX ||
            strlen(id) != a->u.arr[i].n)
            return skl_claim_int_fail(x, path, "must be a credential id");
        if (strcmp(id, x->c->id) == 0)
            return skl_claim_int_fail(x, path, "a credential cannot be its own prerequisite");
        for (size_t j = 0; j < x->c->nrefs; j++)
            if (strcmp(x->c->refs[j], id) == 0)
                return skl_claim_int_fail(x, path, "%s is listed twice", id);
        if ((rc = skl_claim_int_dup_into(x, &x->c->refs[x->c->nrefs], id)) != SKL_OK)
            return rc;
        x->c->nrefs++;
    }
    return skl_claim_int_dup_into(x, &x->c->honour, title);
}

int
skl_claim_int_revocation(cx *x, const skl_json_value *skl, const char *subject_id)
{
    static const char *const m[] = {"kind", "target", "reason", "effective", NULL};
    const char *t, *r, *e;
    int64_t when;
    int rc;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) ||
        (rc = skl_claim_int_get_str(x, skl, "target", SKL "target", 1, STR_MAX, &t)) ||
        (rc = skl_claim_int_get_str(x, skl, "reason", SKL "reason", 1, STR_MAX, &r)) ||
        (rc = skl_claim_int_get_str(x, skl, "effective", SKL "effective", 0, 20, &e)))
        return rc;
    if (strcmp(t, subject_id) != 0)
        return skl_claim_int_fail(x, SKL "target", "must equal credentialSubject.id");
    if (strcmp(t, x->c->id) == 0)
        return skl_claim_int_fail(x, SKL "target", "a credential cannot revoke itself");
    if (e != NULL && skl_utc_parse(&when, e, strlen(e)) != 0)
        return skl_claim_int_fail(x, SKL "effective",
                                  "\"%s\" is not a UTC date-time YYYY-MM-DDThh:mm:ssZ", e);
    if ((rc = skl_claim_int_dup_into(x, &x->c->target, t)) ||
        (rc = skl_claim_int_dup_into(x, &x->c->reason, r)))
        return rc;
    return skl_claim_int_dup_into(x, &x->c->effective, e);
}

int
skl_claim_int_accreditation(cx *x, const skl_json_value *skl, const char *subject_id)
{
    static const char *const m[] = {"kind",      "certificate", "scope",
                                    "directory", "institution", NULL};
    static const char *const dirs[] = {
        "training-providers",     "evaluation-bodies", "honour-committees",
        "competition-organisers", "schools",           NULL};
    const char *cert, *dir, *inst;
    uint8_t *der = NULL;
    char *canon = NULL;
    size_t derlen, clen;
    skl_scope *scope = NULL;
    int rc;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) ||
        (rc = skl_claim_int_get_str(x, skl, "certificate", SKL "certificate", 1,
                                    CERT_MAX * 4 / 3 + 4, &cert)) ||
        (rc = skl_claim_int_get_str(x, skl, "directory", SKL "directory", 1, 64, &dir)) ||
        (rc = skl_claim_int_get_str(x, skl, "institution", SKL "institution", 1, STR_MAX, &inst)))
        return rc;
    if (!skl_claim_int_is_did_key(subject_id))
        return skl_claim_int_fail(x, "credentialSubject.id",
                                  "must be the accredited issuer's did:key");
    const char *const *d = dirs;
    while (*d != NULL && strcmp(*d, dir) != 0)
        d++;
    if (*d == NULL)
        return skl_claim_int_fail(x, SKL "directory", "\"%s\" is not a directory of spec/kinds.md",
                                  dir);
    if ((der = malloc(CERT_MAX)) == NULL)
        return SKL_ERR_NOMEM;
    if (skl_base64_decode(der, CERT_MAX, &derlen, cert, strlen(cert)) != 0 || derlen < 2 ||
        der[0] != 0x30) {
        rc =
            skl_claim_int_fail(x, SKL "certificate", "is not standard base64 of a DER certificate");
        goto out;
    }
    const skl_json_value *sv = skl_json_get(skl, "scope");
    if (sv == NULL) {
        rc = skl_claim_int_fail(x, SKL "scope", "missing");
        goto out;
    }
    if (sv->type != SKL_JSON_OBJECT) {
        rc = skl_claim_int_fail(x, SKL "scope", "must be an object");
        goto out;
    }
    if ((rc = skl_json_canonicalize(sv, &canon, &clen)) != SKL_OK)
        goto out;
    char w[200];
    rc = skl_scope_parse(&scope, canon, clen, x->rd, w, sizeof w);
    if (rc == SKL_ERR_NOMEM)
        goto out;
    if (rc != SKL_OK) {
        if (x->why != NULL && x->whylen > 0)
            snprintf(x->why, x->whylen, "credentialSubject.skl.%s", w);
        rc = SKL_ERR_SCHEMA;
        goto out;
    }
    if ((rc = skl_claim_int_dup_into(x, &x->c->subject, subject_id)) ||
        (rc = skl_claim_int_dup_into(x, &x->c->certificate, cert)) ||
        (rc = skl_claim_int_dup_into(x, &x->c->scope, canon)))
        goto out;
out:
    skl_scope_free(scope);
    free(canon);
    free(der);
    return rc;
}

/* A number of credits: positive, a multiple of 0.5, at most max; into half credits. */
static int
get_halves(cx *x, const skl_json_value *obj, const char *key, const char *path, double max,
           int *out)
{
    const skl_json_value *v = skl_json_get(obj, key);
    if (v == NULL)
        return skl_claim_int_fail(x, path, "missing");
    if (v->type != SKL_JSON_NUMBER || v->u.num <= 0 || v->u.num > max ||
        v->u.num * 2 != (double)(int)(v->u.num * 2))
        return skl_claim_int_fail(
            x, path, "must be a positive number of credits, in halves, at most %g", max);
    *out = (int)(v->u.num * 2);
    return SKL_OK;
}

/* skl for kind "credit": a school's transfer of learning outcomes to course credits. */
int
skl_claim_int_credit(cx *x, const skl_json_value *skl)
{
    static const char *const m[] = {"kind",    "programme", "graduationCredits", "rules", "courses",
                                    "credits", NULL};
    static const char *const pm[] = {"id", "version", "name", NULL};
    static const char *const rm[] = {"framework", "programme", NULL};
    static const char *const cm[] = {"id", "name", "credits", "sources", NULL};
    const skl_json_value *p = skl_json_get(skl, "programme"), *r = skl_json_get(skl, "rules");
    const skl_json_value *cs = skl_json_get(skl, "courses");
    const char *s, *pid, *pver;
    int rc, sum = 0;
    if ((rc = skl_claim_int_only_members(x, skl, SKL, m)) != SKL_OK)
        return rc;
    if (p == NULL || p->type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(x, SKL "programme", "must be {id, version, name}");
    if ((rc = skl_claim_int_only_members(x, p, SKL "programme.", pm)) ||
        (rc = skl_claim_int_get_str(x, p, "id", SKL "programme.id", 1, 64, &pid)) ||
        (rc = skl_claim_int_get_str(x, p, "version", SKL "programme.version", 1, 32, &pver)) ||
        (rc = skl_claim_int_get_str(x, p, "name", SKL "programme.name", 1, STR_MAX, &s)) ||
        (rc = skl_claim_int_dup_into(x, &x->c->programme, pid)) ||
        (rc = skl_claim_int_dup_into(x, &x->c->programme_version, pver)) ||
        (rc = get_halves(x, skl, "graduationCredits", SKL "graduationCredits", 1000,
                         &x->c->graduation_halves)) ||
        (rc = get_halves(x, skl, "credits", SKL "credits", 1000, &x->c->total_halves)))
        return rc;
    if (r == NULL || r->type != SKL_JSON_OBJECT)
        return skl_claim_int_fail(x, SKL "rules",
                                  "must be {framework, programme}: the rule sets applied");
    if ((rc = skl_claim_int_only_members(x, r, SKL "rules.", rm)) ||
        (rc = skl_claim_int_get_str(x, r, "framework", SKL "rules.framework", 1, STR_MAX, &s)) ||
        (rc = skl_claim_int_get_str(x, r, "programme", SKL "rules.programme", 1, STR_MAX, &s)))
        return rc;
    if (cs == NULL || cs->type != SKL_JSON_ARRAY || cs->n == 0 || cs->n > SKL_CLAIM_MAX_REFS)
        return skl_claim_int_fail(x, SKL "courses", "must be an array of 1 to %d courses",
                                  SKL_CLAIM_MAX_REFS);
    for (uint32_t i = 0; i < cs->n; i++) {
        const skl_json_value *c = &cs->u.arr[i];
        const skl_json_value *srcs = skl_json_get(c, "sources");
        char path[64];
        snprintf(path, sizeof path, SKL "courses[%u]", i);
        if (c->type != SKL_JSON_OBJECT)
            return skl_claim_int_fail(x, path, "must be {id, name, credits, sources}");
        if ((rc = skl_claim_int_only_members(x, c, SKL "courses[].", cm)) ||
            (rc = skl_claim_int_get_str(x, c, "id", SKL "courses[].id", 1, 64, &s)) ||
            (rc = skl_claim_int_get_str(x, c, "name", SKL "courses[].name", 1, STR_MAX, &s)) ||
            (rc = get_halves(x, c, "credits", SKL "courses[].credits", 1000,
                             &x->c->course_halves[i])))
            return rc;
        if (srcs == NULL || srcs->type != SKL_JSON_ARRAY || srcs->n == 0)
            return skl_claim_int_fail(x, path,
                                      "sources must be a non-empty array of credential ids");
        for (uint32_t k = 0; k < srcs->n; k++) {
            const char *src = skl_json_string(&srcs->u.arr[k]);
            if (src == NULL || !skl_claim_int_is_urn_uuid(src))
                return skl_claim_int_fail(x, path, "source %u is not a credential id", k);
            for (size_t j = 0; j < x->c->nrefs; j++)
                if (strcmp(x->c->refs[j], src) == 0)
                    return skl_claim_int_fail(x, path,
                                              "source %s already backs a course (one source backs "
                                              "at most one course)",
                                              src);
            if (x->c->nrefs == SKL_CLAIM_MAX_REFS)
                return skl_claim_int_fail(x, SKL "courses", "more than %d sources",
                                          SKL_CLAIM_MAX_REFS);
            if ((rc = skl_claim_int_dup_into(x, &x->c->refs[x->c->nrefs], src)) != SKL_OK)
                return rc;
            x->c->nrefs++;
        }
        x->c->course_nsrc[i] = (int)srcs->n;
        x->c->ncourses++;
        sum += x->c->course_halves[i];
    }
    if (sum != x->c->total_halves)
        return skl_claim_int_fail(x, SKL "credits", "is not the sum of the courses' credits");
    return SKL_OK;
}
