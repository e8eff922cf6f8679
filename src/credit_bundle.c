/* credit_bundle.c - from a worker's verified bundle to credit sources, and from a plan to the
 * school's transfer credential (spec/credit-rules/README.md, spec/kinds.md). */
#include "skl/credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf_int.h"
#include "claim_int.h"
#include "json_int.h"
#include "refdata_int.h"
#include "skl/bundle.h"
#include "skl/json.h"
#include "utc_int.h"

struct skl_credit_offer {
    skl_json_doc *doc;
    skl_claim *claims;
    skl_credit_source *src;
    size_t n;
};

void
skl_credit_offer_free(skl_credit_offer *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; o->claims != NULL && i < o->n; i++)
        skl_claim_free(&o->claims[i]);
    free(o->claims);
    free(o->src);
    skl_json_free(o->doc);
    free(o);
}

const skl_credit_source *
skl_credit_offer_sources(const skl_credit_offer *o, size_t *n)
{
    *n = o->n;
    return o->src;
}

skl_err
skl_credit_offer_from_bundle(skl_credit_offer **out, const char *bundle, size_t len,
                             const skl_bundle_result *results, size_t nresults, char *why,
                             size_t whylen)
{
    char jwhy[160];
    *out = NULL;
    skl_credit_offer *o = calloc(1, sizeof *o);
    if (o == NULL)
        return SKL_ERR_NOMEM;
    skl_err rc = skl_json_parse(&o->doc, bundle, len, SKL_BUNDLE_MAX, jwhy, sizeof jwhy);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "not a bundle: %s", jwhy);
        goto fail;
    }
    const skl_json_value *creds = skl_json_get(skl_json_root(o->doc), "credentials");
    if (creds == NULL || creds->type != SKL_JSON_ARRAY || creds->n != nresults) {
        snprintf(why, whylen, "the bundle's credentials do not match its verification");
        rc = SKL_ERR_SCHEMA;
        goto fail;
    }
    o->n = creds->n;
    o->claims = calloc(o->n ? o->n : 1, sizeof *o->claims);
    o->src = calloc(o->n ? o->n : 1, sizeof *o->src);
    if (o->claims == NULL || o->src == NULL) {
        rc = SKL_ERR_NOMEM;
        goto fail;
    }
    const skl_refdata *rd = skl_refdata_shared();
    for (size_t i = 0; i < o->n; i++) {
        const skl_json_value *leaf = skl_json_get(&creds->u.arr[i], "leaf");
        const skl_json_value *cred = skl_json_get(leaf, "credential");
        const skl_json_value *skl = skl_json_get(skl_json_get(cred, "credentialSubject"), "skl");
        const char *time = skl_json_string(skl_json_get(leaf, "time"));
        skl_credit_source *s = &o->src[i];
        skl_claim *c = &o->claims[i];
        s->valid = results[i].valid;
        s->invalid_reason = results[i].reason;
        s->id = results[i].id;
        if (rd == NULL || skl_claim_extract(c, cred, rd, jwhy, sizeof jwhy) != SKL_OK) {
            s->valid = 0;
            s->invalid_reason = s->invalid_reason[0] ? s->invalid_reason : "not a credential";
            s->kind = "unknown";
            continue;
        }
        s->id = c->id;
        s->kind = skl_kind_name(c->kind);
        s->occupation = c->occupation;
        s->edition = c->edition;
        s->level = c->level;
        s->evaluation_type = c->evaluation_type;
        s->training_type = c->training_type;
        s->delivery = c->delivery;
        s->honour = c->honour;
        s->competition_tier = skl_json_string(skl_json_get(skl, "tier"));
        s->award = skl_json_string(skl_json_get(skl, "award"));
        const skl_json_value *h = skl_json_get(skl, "hours");
        s->hours = h != NULL && h->type == SKL_JSON_NUMBER ? (int)h->u.num : 0;
        if (time != NULL)
            skl_utc_parse(&s->date, time, strlen(time));
        /* A training that was not passed grants nothing. */
        const char *result = skl_json_string(skl_json_get(skl, "result"));
        if (c->kind == SKL_KIND_TRAINING && result != NULL && strcmp(result, "passed") != 0 &&
            s->valid) {
            s->valid = 0;
            s->invalid_reason = "the training was not passed";
        }
    }
    *out = o;
    return SKL_OK;
fail:
    skl_credit_offer_free(o);
    return rc;
}

skl_err
skl_credit_transfer_build(char **out, size_t *outlen, const skl_credit_framework *fw,
                          const skl_credit_programme *p, const skl_credit_grant *grants,
                          size_t ngrants, const char *issuer_did, const char *issuer_name,
                          const char *identity_hash, char *why, size_t whylen)
{
    skl_buf b = SKL_BUF_INIT;
    char num[16], id[46], from[21];
    int total = 0;
    *out = NULL;
    if (ngrants == 0) {
        snprintf(why, whylen,
                 "nothing to transfer: every source was already converted in this "
                 "programme, is not valid, or matches no course (skl credits plan "
                 "says which)");
        return SKL_ERR_INVAL;
    }
    uint8_t u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
    snprintf(id, sizeof id,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
    skl_utc_format(from, (int64_t)time(NULL));
    skl_buf_puts(&b, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                     "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
                     "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"id\":");
    skl_json_write_string(&b, id, strlen(id));
    skl_buf_puts(&b, ",\"issuer\":{\"type\":[\"Profile\"],\"id\":");
    skl_json_write_string(&b, issuer_did, strlen(issuer_did));
    skl_buf_puts(&b, ",\"name\":");
    skl_json_write_string(&b, issuer_name, strlen(issuer_name));
    skl_buf_printf(&b, "},\"validFrom\":\"%s\",\"name\":", from);
    char title[512];
    snprintf(title, sizeof title, "%s 学分转换 credit transfer", skl_credit_programme_name(p));
    skl_json_write_string(&b, title, strlen(title));
    skl_buf_puts(&b, ",\"credentialSubject\":{\"type\":[\"AchievementSubject\"],"
                     "\"identifier\":[{\"type\":\"IdentityObject\",\"hashed\":true,"
                     "\"identityType\":\"nationalIdentityNumber\",\"identityHash\":");
    skl_json_write_string(&b, identity_hash, strlen(identity_hash));
    skl_buf_puts(&b, "}],\"achievement\":{\"type\":[\"Achievement\"],"
                     "\"achievementType\":\"Achievement\",\"id\":");
    char aid[256];
    snprintf(aid, sizeof aid, "urn:skl:achievement:credit:%s:%s", skl_credit_programme_id(p),
             skl_credit_programme_version(p));
    skl_json_write_string(&b, aid, strlen(aid));
    skl_buf_puts(&b, ",\"name\":");
    skl_json_write_string(&b, title, strlen(title));
    skl_buf_puts(&b, ",\"criteria\":{\"narrative\":\"");
    skl_buf_printf(&b, "学习成果积累和转换 under %s %s", skl_credit_framework_id(fw),
                   skl_credit_framework_version(fw));
    skl_buf_puts(&b, "\"}},\"skl\":{\"kind\":\"credit\",\"programme\":{\"id\":");
    skl_json_write_string(&b, skl_credit_programme_id(p), strlen(skl_credit_programme_id(p)));
    skl_buf_puts(&b, ",\"version\":");
    skl_json_write_string(&b, skl_credit_programme_version(p),
                          strlen(skl_credit_programme_version(p)));
    skl_buf_puts(&b, ",\"name\":");
    skl_json_write_string(&b, skl_credit_programme_name(p), strlen(skl_credit_programme_name(p)));
    skl_buf_printf(&b,
                   "},\"graduationCredits\":%s,\"rules\":{\"framework\":\"%s %s\","
                   "\"programme\":\"%s %s\"},\"courses\":[",
                   skl_credit_format(num, skl_credit_programme_graduation_halves(p)),
                   skl_credit_framework_id(fw), skl_credit_framework_version(fw),
                   skl_credit_programme_id(p), skl_credit_programme_version(p));
    for (size_t i = 0; i < ngrants; i++) {
        const skl_credit_grant *g = &grants[i];
        skl_buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        skl_json_write_string(&b, g->course, strlen(g->course));
        skl_buf_puts(&b, ",\"name\":");
        skl_json_write_string(&b, g->course_name, strlen(g->course_name));
        skl_buf_printf(&b, ",\"credits\":%s,\"sources\":[", skl_credit_format(num, g->halves));
        for (size_t k = 0; k < g->nsources; k++) {
            if (k)
                skl_buf_putc(&b, ',');
            skl_json_write_string(&b, g->sources[k], strlen(g->sources[k]));
        }
        skl_buf_puts(&b, "]}");
        total += g->halves;
    }
    skl_buf_printf(&b, "],\"credits\":%s}}}", skl_credit_format(num, total));
    skl_err rc = skl_buf_ok(&b) ? SKL_OK : SKL_ERR_NOMEM;
    if (rc == SKL_OK) {
        skl_json_doc *doc = NULL;
        char jwhy[128];
        rc = skl_json_parse(&doc, b.data, b.len, b.len, jwhy, sizeof jwhy);
        if (rc == SKL_OK)
            rc = skl_json_canonicalize(skl_json_root(doc), out, outlen);
        else
            snprintf(why, whylen, "internal: %s", jwhy);
        skl_json_free(doc);
    }
    skl_buf_free(&b);
    return rc;
}
