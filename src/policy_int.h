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

typedef struct skl_policy skl_policy;

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
