/* policy_credit.c - the ledger's rules for credit transfers (spec/policy.md 5a). */
#include "policy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credit_int.h"
#include "why_int.h"

/* ---- credit transfers (spec/policy.md §5a) --------------------------------------------- */

/* The programme that already converted source, into by (the transfer's id): 1, 0 or < 0. */
static int
credit_used(skl_ledger *l, const char *programme, const char *source, char *by, size_t cap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "SELECT by FROM credit_uses WHERE programme = ? AND source = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading credit uses");
    sqlite3_bind_text(st, 1, programme, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        snprintf(by, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return found;
}

skl_err
skl_credit_used(skl_ledger *l, const char *programme, char ***ids, size_t *n)
{
    sqlite3_stmt *st = NULL;
    *ids = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(l->db, "SELECT source FROM credit_uses WHERE programme = ?", -1, &st,
                           NULL) != SQLITE_OK)
        return skl_ledger_dbfail(l, "reading credit uses");
    sqlite3_bind_text(st, 1, programme, -1, SQLITE_STATIC);
    int rc = SKL_OK;
    size_t cap = 0;
    while (rc == SKL_OK && sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            char **more = realloc(*ids, (cap = cap ? 2 * cap : 16) * sizeof *more);
            if (more == NULL) {
                rc = SKL_ERR_NOMEM;
                break;
            }
            *ids = more;
        }
        if (((*ids)[*n] = strdup((const char *)sqlite3_column_text(st, 0))) == NULL)
            rc = SKL_ERR_NOMEM;
        else
            (*n)++;
    }
    sqlite3_finalize(st);
    return rc;
}

/* One source of a transfer: in the log before it, a learning outcome, active, unused in the
 * programme. Its claim goes to t (the caller frees it). */
static int
check_source(skl_ledger *l, skl_policy *p, const skl_claim *c, const char *src, uint64_t index,
             struct skl_target *t, char *why, size_t whylen)
{
    char twhy[200], status[16], by[160];
    int64_t effective;
    int rc = skl_policy_load_target(l, p, src, t, twhy, sizeof twhy);
    if (rc != SKL_OK) {
        snprintf(why, whylen, "source %s", twhy);
        return rc;
    }
    if (t->index >= index)
        return skl_why_rc(why, whylen, SKL_ERR_VERIFY, "source %.80s is not earlier in the log",
                          src);
    skl_kind k = t->claim.kind;
    if (k != SKL_KIND_TRAINING && k != SKL_KIND_CERTIFICATION && k != SKL_KIND_COMPETITION &&
        k != SKL_KIND_HONOUR)
        return skl_why_rc(why, whylen, SKL_ERR_VERIFY,
                          "source %.80s is a %s, not a learning outcome", src, skl_kind_name(k));
    int found = skl_policy_read_status(l, src, status, sizeof status, &effective);
    if (found != 0)
        return found < 0
                   ? found
                   : skl_why_rc(why, whylen, SKL_ERR_VERIFY, "source %.80s is %s", src, status);
    int used = credit_used(l, c->programme, src, by, sizeof by);
    if (used != 0)
        return used < 0
                   ? used
                   : skl_why_rc(why, whylen, SKL_ERR_VERIFY,
                                "source %.80s was already converted in programme %.60s (by %.60s)",
                                src, c->programme, by);
    return SKL_OK;
}

/* Does a training of this delivery mode and type count as online under the framework? */
static int
is_online(const skl_credit_framework *fw, const skl_claim *t)
{
    for (size_t i = 0; t->delivery != NULL && i < fw->nonline_delivery; i++)
        if (strcmp(fw->online_delivery[i], t->delivery) == 0)
            return 1;
    for (size_t i = 0; t->training_type != NULL && i < fw->nonline_type; i++)
        if (strcmp(fw->online_type[i], t->training_type) == 0)
            return 1;
    return 0;
}

int
skl_policy_check_credit(skl_ledger *l, skl_policy *p, const skl_claim *c, uint64_t index, char *why,
                        size_t whylen)
{
    const skl_credit_framework *fw = p->fw;
    struct skl_target t;
    int online = 0, rc = SKL_OK;
    size_t s = 0;
    for (size_t k = 0; k < c->ncourses && rc == SKL_OK; k++) {
        for (int j = 0; j < c->course_nsrc[k] && rc == SKL_OK; j++, s++) {
            rc = check_source(l, p, c, c->refs[s], index, &t, why, whylen);
            if (rc == SKL_OK && t.claim.kind == SKL_KIND_TRAINING && is_online(fw, &t.claim))
                online += c->course_halves[k] / c->course_nsrc[k];
            skl_claim_free(&t.claim);
        }
        if (rc == SKL_OK && c->course_halves[k] > fw->cap_source_halves * c->course_nsrc[k])
            rc = skl_why_rc(
                why, whylen, SKL_ERR_VERIFY,
                "course %zu grants %g credits from %d source(s): at most %g each (%s %s)", k,
                c->course_halves[k] / 2.0, c->course_nsrc[k], fw->cap_source_halves / 2.0, fw->id,
                fw->version);
    }
    if (rc == SKL_OK && c->total_halves * 100 > c->graduation_halves * fw->converted_pct)
        rc = skl_why_rc(why, whylen, SKL_ERR_VERIFY,
                        "grants %g credits: more than %d%% of the programme's %g",
                        c->total_halves / 2.0, fw->converted_pct, c->graduation_halves / 2.0);
    if (rc == SKL_OK && online * 100 > c->graduation_halves * fw->online_pct)
        rc = skl_why_rc(why, whylen, SKL_ERR_VERIFY,
                        "grants %g credits for online training: more than %d%% of %g", online / 2.0,
                        fw->online_pct, c->graduation_halves / 2.0);
    /* Recorded: no other transfer in this programme can use these sources again. */
    sqlite3_stmt *st = NULL;
    if (rc == SKL_OK &&
        sqlite3_prepare_v2(l->db,
                           "INSERT INTO credit_uses(programme, source, by, idx) VALUES(?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        rc = skl_ledger_dbfail(l, "recording credit uses");
    for (size_t i = 0; rc == SKL_OK && i < c->nrefs; i++) {
        sqlite3_bind_text(st, 1, c->programme, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, c->refs[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)index);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = skl_ledger_dbfail(l, "recording credit uses");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}
