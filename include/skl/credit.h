/*
 * skl/credit.h - the credit bank: a district framework and a school's programme table
 * (spec/credit-rules/, normative README there), and the planner that says which courses a
 * worker's credentials exempt and why each credential was or was not used.
 *
 * Credits are multiples of 0.5 and are held as integer half-credits ("halves": 3 = 1.5
 * credits) everywhere in this API, so no rounding happens outside the one documented place
 * (training hours to credits, rounded down to a half credit).
 *
 * Thread safety: a parsed framework or programme is read-only; any number of threads may
 * plan against the same pair at once. skl_credit_plan() keeps no state between calls.
 */
#ifndef SKL_CREDIT_H
#define SKL_CREDIT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/err.h"
#include "skl/ledger.h"

struct skl_bundle_result;
struct skl_vault;

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of the rule files and of one plan (larger inputs get SKL_ERR_LIMIT). */
#define SKL_CREDIT_MAX_FILE (1u << 20) /* bytes of one rule file */
#define SKL_CREDIT_MAX_COURSES 256     /* courses in a programme */
#define SKL_CREDIT_MAX_MAPPINGS 1024   /* mappings in a programme */
#define SKL_CREDIT_MAX_SOURCES 1024    /* sources offered to one plan */
#define SKL_CREDIT_MAX_GRANT_SOURCES 8 /* sources backing one course */

typedef struct skl_credit_framework skl_credit_framework;
typedef struct skl_credit_programme skl_credit_programme;

/*
 * Parses a district framework (spec/credit-rules/README.md, schema/framework.json) from
 * json[0..len) strictly: unknown members, missing members, credits that are not positive
 * multiples of 0.5, unknown level, tier, honour, delivery or training-type ids (checked
 * against the embedded reference data) and duplicates are refused. On success *out is a new
 * handle the caller frees with skl_credit_framework_free(); json is not referenced
 * afterwards. On failure *out is NULL and why[0..whylen) holds one line starting with the
 * field path, e.g. "caps.onlinePercent: 120 is not an integer 1..100". Returns SKL_OK,
 * SKL_ERR_PARSE, SKL_ERR_SCHEMA, SKL_ERR_LIMIT, SKL_ERR_NOTFOUND (reference data missing)
 * or SKL_ERR_NOMEM.
 */
skl_err skl_credit_framework_parse(skl_credit_framework **out, const char *json, size_t len,
                                   char *why, size_t whylen);

/*
 * Parses a school's programme table (schema/programme.json) the same way, and checks that it
 * names fw's id and version in its "framework" member (SKL_ERR_SCHEMA otherwise). fw must
 * outlive the programme. On success *out is a new handle the caller frees with
 * skl_credit_programme_free(); on failure *out is NULL and why names the field path.
 * Returns SKL_OK, SKL_ERR_PARSE, SKL_ERR_SCHEMA, SKL_ERR_LIMIT, SKL_ERR_INVAL (fw NULL) or
 * SKL_ERR_NOMEM.
 */
skl_err skl_credit_programme_parse(skl_credit_programme **out, const char *json, size_t len,
                                   const skl_credit_framework *fw, char *why, size_t whylen);

/* The framework's id and version. Owned by fw. */
const char *skl_credit_framework_id(const skl_credit_framework *fw);
const char *skl_credit_framework_version(const skl_credit_framework *fw);

/* The programme's id, version and name (e.g. "机电一体化技术"). Owned by p. */
const char *skl_credit_programme_id(const skl_credit_programme *p);
const char *skl_credit_programme_version(const skl_credit_programme *p);
const char *skl_credit_programme_name(const skl_credit_programme *p);

/* The credits a student needs to graduate from p, in half-credits. */
int skl_credit_programme_graduation_halves(const skl_credit_programme *p);

/*
 * 1 if both rule sets are in force at when (seconds since the epoch, UTC): each one's
 * effective date (00:00Z) <= when, and when < its expires date (00:00Z) if it has one.
 * Else 0.
 */
int skl_credit_rules_in_force(const skl_credit_framework *fw, const skl_credit_programme *p,
                              int64_t when);

/* Free a handle. Accept NULL. Free a programme before its framework. */
void skl_credit_framework_free(skl_credit_framework *fw);
void skl_credit_programme_free(skl_credit_programme *p);

/*
 * One credential the worker offers, taken from a verified bundle. Strings are NUL-terminated
 * ASCII ids as in spec/kinds.md (competition names and awards may be any UTF-8); members
 * that do not apply are NULL (hours 0, date 0).
 */
typedef struct skl_credit_source {
    const char *id;   /* the credential id, at most 127 bytes */
    const char *kind; /* "training", "certification", "competition", "honour" */
    const char *occupation, *edition, *level, *evaluation_type, *training_type, *delivery;
    const char *competition_tier, *award, *honour;
    int hours;    /* training hours */
    int64_t date; /* issue or end date, seconds since the epoch */
    int valid;    /* 1 if the bundle verifier accepted it (not revoked, not superseded, ...) */
    const char *invalid_reason; /* the verifier's reason when valid is 0 */
} skl_credit_source;

/* One course the plan exempts: the course's credits and the sources backing it. */
typedef struct skl_credit_grant {
    char course[64];
    char course_name[128];
    int halves;
    char sources[SKL_CREDIT_MAX_GRANT_SOURCES][128];
    size_t nsources;
} skl_credit_grant;

/* What the plan did with one source: used for a course (halves it contributed) or why not. */
typedef struct skl_credit_decision {
    char source[128];
    int used;
    char course[64];
    int halves;
    char reason[256];
} skl_credit_decision;

/*
 * Plans the credits programme p (under framework fw) grants at time when for the n sources
 * src[0..n), following the algorithm of spec/credit-rules/README.md (deterministic: the
 * same input gives the same plan). already_used[0..nused) are the source ids this programme
 * has already converted (from the ledger): such a source, and any certificate overlapping
 * one of them, is not used again.
 *
 * On SKL_OK: *grants is a malloc'd array of *ngrants exempted courses in programme order
 * (NULL when none); *decisions a malloc'd array of n decisions in input order (NULL when n
 * is 0); *total_halves the credits granted. The caller frees both arrays with free().
 * On failure the outputs are NULL/0 and why[0..whylen) says why. Returns SKL_OK,
 * SKL_ERR_STATE (the rules are not in force at when), SKL_ERR_INVAL (a source without id
 * or kind, an unknown kind, an id too long), SKL_ERR_LIMIT (n too large) or SKL_ERR_NOMEM.
 */
skl_err skl_credit_plan(const skl_credit_framework *fw, const skl_credit_programme *p, int64_t when,
                        const skl_credit_source *src, size_t n, const char *const *already_used,
                        size_t nused, skl_credit_grant **grants, size_t *ngrants,
                        skl_credit_decision **decisions, int *total_halves, char *why,
                        size_t whylen);

/* Writes halves as credits ("2", "2.5") into out; returns out. */
char *skl_credit_format(char out[16], int halves);

/* The district framework compiled into libskl (spec/credit-rules/framework.json): the one the
 * ledger enforces. Returns as skl_credit_framework_parse(), or SKL_ERR_STATE. */
skl_err skl_credit_framework_default(skl_credit_framework **out, char *why, size_t whylen);

/* The sources already converted in programme (by id), from the ledger's credit_uses: *ids
 * (malloc'd array of malloc'd strings, *n of them; free each and the array). */
skl_err skl_credit_used(skl_ledger *l, const char *programme, char ***ids, size_t *n);

/* What one source is worth under the framework, in half credits, capped per source (0 when
 * the framework gives it nothing): a worker's learning account. */
int skl_credit_value(const skl_credit_framework *fw, const skl_credit_source *s);

/* ---- from a bundle, to the ledger ------------------------------------------------------------ */

/* The sources a worker offers: one per credential of a verified bundle (opaque; it owns the
 * strings the sources point to). */
typedef struct skl_credit_offer skl_credit_offer;

/*
 * Reads the credentials of bundle[0..len), which skl_bundle_verify() checked into
 * results[0..nresults) (same order), as credit sources: kind, occupation, level, hours...
 * from each credential, valid and the reason from its verdict. Returns SKL_OK,
 * SKL_ERR_PARSE / SKL_ERR_SCHEMA (why set) or SKL_ERR_NOMEM.
 */
skl_err skl_credit_offer_from_bundle(skl_credit_offer **out, const char *bundle, size_t len,
                                     const struct skl_bundle_result *results, size_t nresults,
                                     char *why, size_t whylen);
const skl_credit_source *skl_credit_offer_sources(const skl_credit_offer *o, size_t *n);
void skl_credit_offer_free(skl_credit_offer *o);

/*
 * Builds the school's unsigned transfer credential (skl.kind "credit", spec/kinds.md) for
 * grants[0..ngrants) of programme p under framework fw, issued by issuer_did (issuer_name),
 * naming the worker by identity_hash. Canonical JSON in *out (malloc'd). Returns SKL_OK,
 * SKL_ERR_INVAL (nothing granted; why says so), SKL_ERR_NOMEM.
 */
skl_err skl_credit_transfer_build(char **out, size_t *outlen, const skl_credit_framework *fw,
                                  const skl_credit_programme *p, const skl_credit_grant *grants,
                                  size_t ngrants, const char *issuer_did, const char *issuer_name,
                                  const char *identity_hash, char *why, size_t whylen);

/* One line of a worker's learning account. */
typedef struct skl_credit_account_entry {
    char id[128];
    uint64_t index;
    char kind[16];
    char title[256];
    char status[16];    /* active, revoked, superseded */
    int halves;         /* its worth under the framework, capped per source */
    char used_in[256];  /* the programmes that converted it, comma-separated, or "" */
} skl_credit_account_entry;

/*
 * The learning account of vault worker worker: each of their credentials in the ledger with
 * its worth under framework fw, its status and the programmes that already converted it.
 * *out is malloc'd (*n entries; free with free()). Returns SKL_OK or a vault/store error.
 */
skl_err skl_credit_account(skl_credit_account_entry **out, size_t *n, skl_ledger *l,
                           struct skl_vault *v, int64_t worker, const skl_credit_framework *fw,
                           char *why, size_t whylen);

#ifdef __cplusplus
}
#endif
#endif
