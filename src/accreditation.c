/* accreditation.c - building the authority's accreditation credentials. */
#include "skl/authority.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "buf_int.h"
#include "json_int.h"
#include "skl/json.h"
#include "skl/vc.h"
#include "utc_int.h"

static const char *const directories[][2] = {
    {"training-providers", "培训机构目录"},     {"evaluation-bodies", "鉴定评价机构目录"},
    {"honour-committees", "荣誉评选机构"},       {"competition-organisers", "技能竞赛组织机构"},
    {"schools", "学校与学分银行"},
};

/* Writes "key":"value" (value a C string), preceded by a comma unless first. */
static void
member(skl_buf *b, const char *key, const char *value)
{
    if (b->len > 0 && b->data[b->len - 1] != '{')
        skl_buf_putc(b, ',');
    skl_json_write_string(b, key, strlen(key));
    skl_buf_putc(b, ':');
    skl_json_write_string(b, value, strlen(value));
}

skl_err
skl_accreditation_build(char **out, size_t *outlen, const skl_cert *cert,
                        const char *authority_did, const char *authority_name,
                        const char *directory, char *why, size_t whylen)
{
    *out = NULL;
    if (cert == NULL || authority_did == NULL || authority_name == NULL || directory == NULL)
        return SKL_ERR_INVAL;
    const char *dir_name = NULL;
    for (size_t i = 0; i < sizeof directories / sizeof directories[0]; i++)
        if (strcmp(directory, directories[i][0]) == 0)
            dir_name = directories[i][1];
    if (dir_name == NULL) {
        snprintf(why, whylen,
                 "unknown directory \"%.40s\" (training-providers, evaluation-bodies, "
                 "honour-committees, competition-organisers, schools)",
                 directory);
        return SKL_ERR_INVAL;
    }
    const char *scope = skl_cert_scope(cert);
    if (scope == NULL) {
        snprintf(why, whylen, "the certificate has no scope: it is not an issuer certificate");
        return SKL_ERR_INVAL;
    }
    char *subject = NULL;
    skl_err rc = skl_did_key_encode(&subject, skl_cert_public_key(cert));
    if (rc != SKL_OK)
        return rc;
    uint8_t u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40); /* UUID version 4 */
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char id[64], from[21], until[21], title[512];
    snprintf(id, sizeof id,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
             u[13], u[14], u[15]);
    skl_utc_format(from, skl_cert_not_before(cert));
    skl_utc_format(until, skl_cert_not_after(cert));
    snprintf(title, sizeof title, "%s: %s", dir_name, skl_cert_name(cert));
    size_t der_len;
    const uint8_t *der = skl_cert_der(cert, &der_len);

    skl_buf b = SKL_BUF_INIT;
    skl_buf_puts(&b, "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                     "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],");
    skl_buf_puts(&b, "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":{");
    member(&b, "id", authority_did);
    skl_buf_puts(&b, ",\"type\":[\"Profile\"]");
    member(&b, "name", authority_name);
    skl_buf_puts(&b, "}");
    member(&b, "id", id);
    member(&b, "validFrom", from);
    member(&b, "validUntil", until);
    member(&b, "name", title);
    skl_buf_puts(&b, ",\"credentialSubject\":{\"type\":[\"AchievementSubject\"]");
    member(&b, "id", subject);
    skl_buf_puts(&b, ",\"achievement\":{\"type\":[\"Achievement\"],"
                     "\"achievementType\":\"License\"");
    char aid[128];
    snprintf(aid, sizeof aid, "urn:skl:achievement:accreditation:%s", directory);
    member(&b, "id", aid);
    member(&b, "name", dir_name);
    member(&b, "description", title);
    skl_buf_puts(&b, ",\"criteria\":{");
    member(&b, "narrative", "Accredited by the authority: see the embedded X.509 certificate "
                            "and its scope extension (spec/certificates.md).");
    skl_buf_puts(&b, "}},\"skl\":{\"kind\":\"accreditation\",\"certificate\":\"");
    skl_buf_base64(&b, der, der_len);
    skl_buf_puts(&b, "\"");
    member(&b, "directory", directory);
    member(&b, "institution", skl_cert_name(cert));
    skl_buf_puts(&b, ",\"scope\":");
    skl_buf_puts(&b, scope);
    skl_buf_puts(&b, "}}}");
    free(subject);
    if (!skl_buf_ok(&b)) {
        skl_buf_free(&b);
        return SKL_ERR_NOMEM;
    }
    skl_json_doc *doc = NULL;
    char jwhy[128];
    rc = skl_json_parse(&doc, b.data, b.len, b.len, jwhy, sizeof jwhy);
    if (rc == SKL_OK)
        rc = skl_json_canonicalize(skl_json_root(doc), out, outlen);
    else
        snprintf(why, whylen, "internal: %s", jwhy);
    skl_json_free(doc);
    skl_buf_free(&b);
    return rc;
}
