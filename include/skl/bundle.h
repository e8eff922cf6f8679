/*
 * skl/bundle.h - a worker's bundle (spec/bundle.md): exported from the ledger with the
 * proofs an employer needs, and verified offline against a trust policy.
 *
 * Thread safety: export uses its ledger and vault handles (one thread at a time, as they
 * require); verification is reentrant.
 */
#ifndef SKL_BUNDLE_H
#define SKL_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/ledger.h"
#include "skl/trust.h"
#include "skl/vault.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_BUNDLE_TYPE "skl/bundle/v1"
#define SKL_BUNDLE_MAX (16u << 20) /* bytes */
#define SKL_BUNDLE_MAX_CREDENTIALS 1000

/* What a worker discloses (skl_bundle_export's disclose): their ID type and number with the
 * salts that open each credential's commitment, and their name. */
#define SKL_BUNDLE_DISCLOSE_ID 1
#define SKL_BUNDLE_DISCLOSE_NAME 2

/*
 * Exports the bundle of worker (a vault worker id) under the ledger's latest checkpoint,
 * which must end with a status snapshot: the worker's credentials under it (only those whose
 * ids are in only[0..nonly), when nonly > 0), each with its inclusion and status proofs, the
 * accreditations of their issuers and any revocation of those, the checkpoint note, and what
 * disclose says (SKL_BUNDLE_DISCLOSE_ID: the ID type and number with the salts that open each
 * credential's commitment; SKL_BUNDLE_DISCLOSE_NAME: the name too; 0: nothing). *out is canonical
 * JSON (malloc'd, *outlen bytes, NUL-terminated). Returns SKL_OK; SKL_ERR_STATE (no authority, or
 * the checkpoint has no snapshot), SKL_ERR_NOTFOUND (no checkpoint, or no such credential of this
 * worker under it), or a store error; why says which.
 */
skl_err skl_bundle_export(char **out, size_t *outlen, skl_ledger *l, skl_vault *v, int64_t worker,
                          const char *const *only, size_t nonly, int disclose, char *why,
                          size_t whylen);

/*
 * Refreshes a bundle (old[0..len), exported from this ledger earlier) to the ledger's latest
 * checkpoint: the same credentials with new inclusion and status proofs, the same disclosure,
 * and "previous": the old checkpoint with the consistency proof from it to the new one, so
 * that a verifier who saw the old one can tell the new one extends it. Needs no vault: the
 * salts and identity come from the old bundle. Returns as skl_bundle_export(), plus
 * SKL_ERR_SCHEMA (not a bundle) and SKL_ERR_VERIFY (its checkpoint is not this ledger's).
 */
skl_err skl_bundle_refresh(char **out, size_t *outlen, skl_ledger *l, const char *old, size_t len,
                           char *why, size_t whylen);

/* The verdict on one credential of a bundle. Strings are NUL-terminated, truncated to fit. */
typedef struct skl_bundle_result {
    char id[128];
    char kind[16];    /* "training", "certification", ... or "" if unknown */
    char title[256];  /* the credential's name */
    char issuer[256]; /* the issuer's registered name (from its certificate), or its did */
    char date[21];    /* when the ledger integrated it, UTC */
    int valid;        /* 1 or 0 */
    char reason[256]; /* "" when valid, else the first check that failed */
} skl_bundle_result;

/* How far ahead of the verifier's clock a checkpoint's date may be (a day: computers in
 * China with the hardware clock on local time run 8 hours off). */
#define SKL_BUNDLE_MAX_SKEW 86400

/* What the verdicts rest on: the checkpoint and the identity the worker disclosed. */
typedef struct skl_bundle_basis {
    int checkpoint_ok;  /* 1 if the checkpoint and its status snapshot checked out */
    char origin[256];   /* the checkpoint's log ("" if it did not parse) */
    uint64_t size;      /* its tree size */
    int64_t dated;      /* the time of the log's cosignature (0 if not checked) */
    size_t witnesses;   /* witness cosignatures from the policy that verified */
    int disclosed;      /* 1 if the bundle discloses an identity */
    char id_type[32];   /* the disclosed document type and number (checked against each */
    char id_number[64]; /* credential's commitment: see its verdict) */
    char name[256];     /* the disclosed name, as the worker states it: no commitment binds it */
} skl_bundle_basis;

/*
 * Verifies bundle[0..len) against trust policy t at time now (seconds since the epoch; the
 * checkpoint's age is measured from its log cosignature), with no network. *results gets
 * one verdict per credential (*n of them; free with free()); basis, if not NULL, what they
 * rest on (filled as far as the bundle parsed).
 * Returns SKL_OK when every credential is valid, SKL_ERR_VERIFY when any is not (then the
 * results say which and why; a failure of the checkpoint or snapshot makes all invalid),
 * SKL_ERR_PARSE / SKL_ERR_SCHEMA / SKL_ERR_LIMIT when it is not a bundle at all (why says
 * why, *results is NULL), or SKL_ERR_NOMEM.
 */
__attribute__((warn_unused_result)) skl_err
skl_bundle_verify(const skl_trust *t, const char *bundle, size_t len, int64_t now,
                  skl_bundle_result **results, size_t *n, skl_bundle_basis *basis, char *why,
                  size_t whylen);

#ifdef __cplusplus
}
#endif
#endif
