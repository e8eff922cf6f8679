/* leaf.c - building and checking leaf records; the ledger's credential profile. */
#include "leaf_int.h"

#include <stdio.h>
#include <string.h>

#include "codec_int.h"
#include "json_int.h"
#include "utc_int.h"
#include "sha256_int.h"
#include "skl/ledger.h"
#include "skl/vc.h"
#include "vc_int.h"

int
skl_leaf_build(skl_buf *b, uint64_t index, const uint8_t prev[32], int64_t time, const char *cred,
               size_t cred_len)
{
    char ts[21], num[21];
    size_t at = sizeof num;
    do /* the index in decimal, written backwards (this runs for every leaf checked) */
        num[--at] = (char)('0' + index % 10);
    while ((index /= 10) != 0);
    skl_utc_format(ts, time);
    skl_buf_reserve(b, cred_len + 160);
    skl_buf_puts(b, "{\"credential\":");
    skl_buf_append(b, cred, cred_len);
    skl_buf_puts(b, ",\"index\":");
    skl_buf_append(b, num + at, sizeof num - at);
    skl_buf_puts(b, ",\"prev\":\"");
    skl_buf_hex(b, prev, 32);
    skl_buf_puts(b, "\",\"time\":\"");
    skl_buf_append(b, ts, 20);
    skl_buf_puts(b, "\",\"type\":\"" SKL_LEAF_TYPE "\"}");
    return skl_buf_ok(b) ? 0 : -1;
}

int
skl_leaf_build_status(skl_buf *b, uint64_t index, const uint8_t prev[32], int64_t time,
                      const uint8_t root[32])
{
    char ts[21];
    skl_utc_format(ts, time);
    skl_buf_printf(b, "{\"index\":%llu,\"prev\":\"", (unsigned long long)index);
    skl_buf_hex(b, prev, 32);
    skl_buf_puts(b, "\",\"status\":{\"root\":\"");
    skl_buf_hex(b, root, 32);
    skl_buf_printf(b, "\",\"size\":%llu},\"time\":\"%s\",\"type\":\"" SKL_STATUS_LEAF_TYPE "\"}",
                   (unsigned long long)index, ts);
    return skl_buf_ok(b) ? 0 : -1;
}

int
skl_leaf_is_status(const char *data, size_t len)
{
    static const char tail[] = "\"type\":\"" SKL_STATUS_LEAF_TYPE "\"}";
    size_t n = sizeof tail - 1;
    return len >= n && memcmp(data + len - n, tail, n) == 0;
}

/* The rest of skl_leaf_check() for a status snapshot record. */
static int
check_status_leaf(skl_leaf *leaf, const skl_json_value *root, skl_buf *bytes, char *why,
                  size_t whylen)
{
    const skl_json_value *st = skl_json_get(root, "status");
    const skl_json_value *r = st ? skl_json_get(st, "root") : NULL;
    const skl_json_value *sz = st ? skl_json_get(st, "size") : NULL;
    size_t rlen;
    if (!st || st->type != SKL_JSON_OBJECT || st->n != 2 || !r || r->type != SKL_JSON_STRING ||
        r->n != 64 || skl_hex_decode(leaf->status_root, 32, &rlen, r->u.str, 64) != 0 || !sz ||
        sz->type != SKL_JSON_NUMBER || sz->u.num != (double)leaf->index) {
        snprintf(why, whylen, "status snapshot is not {\"root\": 64 hex digits, \"size\": its "
                              "own index}");
        return SKL_ERR_CORRUPT;
    }
    leaf->is_status = 1;
    skl_buf_reset(bytes);
    if (skl_leaf_build_status(bytes, leaf->index, leaf->prev, leaf->time, leaf->status_root) != 0)
        return SKL_ERR_NOMEM;
    return SKL_OK;
}

int
skl_leaf_check_value(skl_leaf *leaf, uint8_t id_hash[32], skl_vc_sigcheck *sig,
                     const skl_json_value *root, skl_buf *scratch, skl_buf *canon, skl_buf *bytes,
                     char *why, size_t whylen)
{
    const char *id;
    if (root->type != SKL_JSON_OBJECT || root->n != 5) {
        snprintf(why, whylen, "leaf record is not an object of five members");
        return SKL_ERR_CORRUPT;
    }
    const skl_json_value *type = skl_json_get(root, "type");
    const skl_json_value *index = skl_json_get(root, "index");
    const skl_json_value *prev = skl_json_get(root, "prev");
    const skl_json_value *time = skl_json_get(root, "time");
    const skl_json_value *cred = skl_json_get(root, "credential");
    int status = type && type->type == SKL_JSON_STRING &&
                 strcmp(type->u.str, SKL_STATUS_LEAF_TYPE) == 0;
    if (!status &&
        (!type || type->type != SKL_JSON_STRING || strcmp(type->u.str, SKL_LEAF_TYPE) != 0)) {
        snprintf(why, whylen,
                 "leaf record type is not \"" SKL_LEAF_TYPE "\" or \"" SKL_STATUS_LEAF_TYPE "\"");
        return SKL_ERR_CORRUPT;
    }
    if (!index || index->type != SKL_JSON_NUMBER || index->u.num < 0 ||
        index->u.num > 9007199254740991.0 || index->u.num != (double)(uint64_t)index->u.num) {
        snprintf(why, whylen, "leaf record index is not a non-negative integer");
        return SKL_ERR_CORRUPT;
    }
    size_t plen;
    if (!prev || prev->type != SKL_JSON_STRING || prev->n != 64 ||
        skl_hex_decode(leaf->prev, 32, &plen, prev->u.str, 64) != 0) {
        snprintf(why, whylen, "leaf record prev is not 64 hex digits");
        return SKL_ERR_CORRUPT;
    }
    if (!time || time->type != SKL_JSON_STRING ||
        skl_utc_parse(&leaf->time, time->u.str, time->n) != 0) {
        snprintf(why, whylen, "leaf record time is not YYYY-MM-DDThh:mm:ssZ");
        return SKL_ERR_CORRUPT;
    }
    leaf->index = (uint64_t)index->u.num;
    leaf->is_status = 0;
    if (status) {
        memset(id_hash, 0, 32);
        return check_status_leaf(leaf, root, bytes, why, whylen);
    }
    if (!cred || cred->type != SKL_JSON_OBJECT) {
        snprintf(why, whylen, "leaf record has no credential object");
        return SKL_ERR_CORRUPT;
    }
    int rc = skl_profile_check(cred, &id, scratch, canon, sig, why, whylen);
    if (rc != SKL_OK)
        return rc;
    skl_sha256(id_hash, id, strlen(id));
    /* The canonical record, rebuilt from its parts (whose writer is canonical). */
    skl_buf_reset(bytes);
    return skl_leaf_build(bytes, leaf->index, leaf->prev, leaf->time, canon->data, canon->len) == 0
               ? SKL_OK
               : SKL_ERR_NOMEM;
}

int
skl_leaf_check(skl_leaf *leaf, uint8_t id_hash[32], skl_vc_sigcheck *sig, const char *data,
               size_t len, skl_buf *scratch, skl_buf *canon, char *why, size_t whylen)
{
    skl_json_doc *d = NULL;
    skl_buf *bytes = scratch; /* free again once the profile check is done with it */
    char jwhy[160];
    int rc = skl_json_parse_keep(&d, data, len, SKL_LEAF_MAX, jwhy, sizeof jwhy);
    if (rc == SKL_ERR_NOMEM)
        return rc;
    if (rc != SKL_OK) {
        snprintf(why, whylen, "leaf record is not valid JSON: %s", jwhy);
        return SKL_ERR_CORRUPT;
    }
    rc = skl_leaf_check_value(leaf, id_hash, sig, skl_json_root(d), scratch, canon, bytes, why,
                              whylen);
    /* Canonical iff equal to the record rebuilt from its parts. */
    if (rc == SKL_OK && (bytes->len != len || memcmp(bytes->data, data, len) != 0)) {
        snprintf(why, whylen, "%s is not in canonical form",
                 leaf->is_status ? "status snapshot" : "leaf record");
        rc = SKL_ERR_CORRUPT;
    }
    skl_json_free(d);
    return rc;
}

int
skl_profile_check(const skl_json_value *cred, const char **id, skl_buf *scratch, skl_buf *canon,
                  skl_vc_sigcheck *deferred, char *why, size_t whylen)
{
    skl_vc_info info;
    int rc = deferred ? skl_vc_prepare_value(cred, &info, deferred, scratch, canon, why, whylen)
                      : skl_vc_verify_value(cred, &info, scratch, canon, why, whylen);
    if (rc != SKL_OK)
        return rc;
    const skl_json_value *idv = skl_json_get(cred, "id");
    if (idv == NULL || idv->type != SKL_JSON_STRING || idv->n == 0) {
        snprintf(why, whylen, "credential has no \"id\"");
        return SKL_ERR_SCHEMA;
    }
    /* The verification method is "did:key:K#K", already checked; the issuer must be
     * "did:key:K" itself. */
    if (info.issuer == NULL || strncmp(info.issuer, "did:key:", 8) != 0) {
        snprintf(why, whylen, "issuer is not a did:key");
        return SKL_ERR_SCHEMA;
    }
    if (strlen(info.issuer) != SKL_DID_KEY_LEN ||
        memcmp(info.issuer, info.verification_method, SKL_DID_KEY_LEN) != 0) {
        snprintf(why, whylen, "issuer %.80s did not sign this credential (proof key differs)",
                 info.issuer);
        return SKL_ERR_VERIFY;
    }
    *id = idv->u.str;
    return SKL_OK;
}
