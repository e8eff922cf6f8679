/*
 * policy_int.h - what a ledger with an authority root enforces at the door (spec/policy.md):
 * accreditations, their validity at the log's time, scopes, revocations, corrections and
 * honour prerequisites. Private to libskl.
 *
 * The policy keeps two derived tables in the ledger file, written in the same transaction
 * as the leaves they come from: accreditations (one row per accreditation credential) and
 * status (one row per revoked or superseded credential). Both can be rebuilt from the
 * leaves; triggers keep them insert-only.
 */
#ifndef SKL_POLICY_INT_H
#define SKL_POLICY_INT_H

#include <stdint.h>

#include "claim_int.h"
#include "status_int.h"
#include "ledger_int.h"
#include "skl/cert.h"
#include "skl/credit.h"

typedef struct skl_policy skl_policy;

#define MAX_ISSUERS 16 /* issuers cached per transaction */
#define MAX_ACCREDS 8  /* accreditations of one key looked at */

struct accred {
    char id[160];
    int64_t not_before, not_after;
    int64_t revoked; /* effective time of its revocation, INT64_MAX if none */
    skl_scope *scope;
};

struct issuer {
    uint8_t key[32];
    size_t n;
    struct accred a[MAX_ACCREDS];
};

struct skl_policy {
    skl_credit_framework *fw; /* the district credit framework: the caps on transfers */
    skl_cert *root;
    uint8_t authority[32];
    skl_refdata *rd;
    struct issuer cache[MAX_ISSUERS];
    size_t ncache;
};

/* What the policy needs to know of a credential already in the ledger. */
struct skl_target {
    uint64_t index;
    uint8_t issuer[32];
    skl_claim claim;
};

/* Loads the credential called id from the ledger (inside the current transaction) into t:
 * its index, issuer key and claim (the caller frees t->claim). SKL_ERR_NOTFOUND (why: "<id>
 * is not in the ledger"), SKL_ERR_SCHEMA / SKL_ERR_CORRUPT with why, or a store error. */
int skl_policy_load_target(skl_ledger *l, skl_policy *p, const char *id, struct skl_target *t,
                           char *why, size_t whylen);

/* The status row of credential id: 1 and its fields if there is one, 0 if none, or < 0. */
int skl_policy_read_status(skl_ledger *l, const char *id, char *status, size_t cap,
                           int64_t *effective);

/* Records that id is now status ("revoked", "superseded") by credential by at index, and
 * forgets the stored status-tree nodes that hold it. */
int skl_policy_put_status(skl_ledger *l, const char *id, const char *status, const char *by,
                          uint64_t index, int64_t effective);

/* The rules of spec/policy.md 5a for the credit transfer c at index; records its sources. */
int skl_policy_check_credit(skl_ledger *l, skl_policy *p, const skl_claim *c, uint64_t index,
                            char *why, size_t whylen);

/* Loads the policy of a ledger that has an authority root (meta "authority_root"); leaves
 * *out NULL for a ledger without one. */
int skl_policy_open(skl_policy **out, skl_ledger *l);
void skl_policy_free(skl_policy *p);

/* The reference data the policy validates claims against (for the verify threads). */
const skl_refdata *skl_policy_refdata(const skl_policy *p);

/* Forgets what the policy cached about issuers: at the start of each write transaction,
 * and after a rollback. */
void skl_policy_reset(skl_policy *p);

/*
 * Checks one verified credential, whose claim is c and whose proof key is signer, at the
 * log's time now, inside the ledger's write transaction, and records what it changes
 * (accreditation, revocation, supersession). SKL_OK, or SKL_ERR_VERIFY / SKL_ERR_SCHEMA /
 * SKL_ERR_NOTFOUND with why naming the rule that failed; SKL_ERR_DB on a store failure.
 */
int skl_policy_check(skl_ledger *l, skl_policy *p, const skl_claim *c, const uint8_t signer[32],
                     uint64_t index, int64_t now, char *why, size_t whylen);

/* Fills t (initialised by the caller) with the status of the first size leaves as the leaves
 * before index size left them (later revocations are not counted): the status tree a
 * snapshot at index size commits to. t then fetches stored subtree hashes through l (so l
 * must outlive t's use). */
int skl_policy_status_tree(skl_ledger *l, uint64_t size, skl_status_tree *t);

/* Keeps the subtree hashes t computed (after a root or proofs) in status_nodes, so that the
 * next snapshot and every export fetch them instead of rehashing. The cache is derived: a
 * status change deletes the rows of the subtrees that hold it, in the same transaction. */
int skl_policy_save_status_nodes(skl_ledger *l, skl_status_tree *t);

/*
 * The audit's part (inside its read transaction): replays every leaf through a fresh policy
 * at the leaf's own integration time, into shadow tables, and compares them with the stored
 * accreditations and status. SKL_OK, SKL_ERR_CORRUPT with rep set, or an operational error.
 */
int skl_policy_audit(skl_ledger *l, skl_audit_report *rep);

#endif
