/* credit_account.c - a worker's learning account: what each of their credentials is worth
 * under the district framework, its status, and where it was already converted. */
#include "skl/credit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_int.h"
#include "ledger_int.h"
#include "policy_int.h"
#include "refdata_int.h"
#include "skl/vault.h"
#include "utf8_int.h"

skl_err
skl_credit_account(skl_credit_account_entry **out, size_t *n, skl_ledger *l, skl_vault *v,
                   int64_t worker, const skl_credit_framework *fw, char *why, size_t whylen)
{
    char **ids = NULL;
    size_t nids = 0;
    *out = NULL;
    *n = 0;
    skl_err rc = skl_vault_credentials(v, worker, &ids, &nids);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "worker %lld: %s", (long long)worker, skl_strerror(rc));
        return rc;
    }
    skl_credit_account_entry *e = calloc(nids ? nids : 1, sizeof *e);
    if (e == NULL) {
        skl_vault_free_ids(ids, nids);
        return SKL_ERR_NOMEM;
    }
    const skl_refdata *rd = skl_refdata_shared();
    for (size_t i = 0; i < nids && rc == SKL_OK; i++) {
        skl_credit_account_entry *x = &e[*n];
        uint64_t index;
        char *data = NULL;
        size_t len;
        skl_json_doc *doc = NULL;
        skl_claim c;
        memset(&c, 0, sizeof c);
        if (skl_ledger_find(l, ids[i], &index) != SKL_OK ||
            skl_ledger_leaf(l, index, &data, &len, NULL) != SKL_OK)
            continue; /* linked but not (yet) in the ledger */
        snprintf(x->id, sizeof x->id, "%s", ids[i]);
        x->index = index;
        if (skl_ledger_status(l, ids[i], x->status) != SKL_OK)
            snprintf(x->status, sizeof x->status, "unknown");
        const skl_json_value *cred = NULL;
        if (skl_json_parse(&doc, data, len, SKL_LEAF_MAX, NULL, 0) == SKL_OK)
            cred = skl_json_get(skl_json_root(doc), "credential");
        const char *name = skl_json_string(skl_json_get(cred, "name"));
        skl_utf8_copy(x->title, sizeof x->title, name ? name : "");
        if (cred != NULL && rd != NULL && skl_claim_extract(&c, cred, rd, NULL, 0) == SKL_OK) {
            const skl_json_value *skl =
                skl_json_get(skl_json_get(cred, "credentialSubject"), "skl");
            const skl_json_value *h = skl_json_get(skl, "hours");
            skl_credit_source s = {.id = c.id,
                                   .kind = skl_kind_name(c.kind),
                                   .occupation = c.occupation,
                                   .edition = c.edition,
                                   .level = c.level,
                                   .evaluation_type = c.evaluation_type,
                                   .training_type = c.training_type,
                                   .delivery = c.delivery,
                                   .competition_tier = skl_json_string(skl_json_get(skl, "tier")),
                                   .award = skl_json_string(skl_json_get(skl, "award")),
                                   .honour = c.honour,
                                   .hours = h && h->type == SKL_JSON_NUMBER ? (int)h->u.num : 0,
                                   .valid = 1};
            snprintf(x->kind, sizeof x->kind, "%s", s.kind);
            x->halves = c.kind == SKL_KIND_CREDIT ? 0 : skl_credit_value(fw, &s);
        }
        /* Where it was converted. */
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(l->db, "SELECT programme FROM credit_uses WHERE source = ?", -1, &st,
                               NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC);
            size_t used = 0;
            while (sqlite3_step(st) == SQLITE_ROW) {
                const char *p = (const char *)sqlite3_column_text(st, 0);
                used += (size_t)snprintf(x->used_in + used,
                                         used < sizeof x->used_in ? sizeof x->used_in - used : 0,
                                         "%s%s", used ? ", " : "", p);
                if (used >= sizeof x->used_in)
                    used = sizeof x->used_in - 1;
            }
            sqlite3_finalize(st);
        }
        skl_claim_free(&c);
        skl_json_free(doc);
        free(data);
        (*n)++;
    }
    skl_vault_free_ids(ids, nids);
    *out = e;
    return rc;
}
