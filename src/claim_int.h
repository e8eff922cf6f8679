/*
 * claim_int.h - what a credential claims, in the policy's terms (spec/kinds.md), and the
 * checks the ledger runs on it. Private to libskl.
 *
 * skl_claim_extract() validates a credential's kind-specific content against the reference
 * data (spec/data) and summarizes it; skl_scope_covers() decides whether an issuer's
 * accredited scope covers that summary. Both are pure functions of their inputs, safe to
 * call from several threads at once on different claims.
 */
#ifndef SKL_CLAIM_INT_H
#define SKL_CLAIM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/json.h"
#include "skl/refdata.h"

typedef enum skl_kind {
    SKL_KIND_NONE = 0,
    SKL_KIND_TRAINING,
    SKL_KIND_CERTIFICATION,
    SKL_KIND_COMPETITION,
    SKL_KIND_HONOUR,
    SKL_KIND_CREDIT,
    SKL_KIND_REVOCATION,
    SKL_KIND_ACCREDITATION
} skl_kind;

#define SKL_CLAIM_MAX_REFS 16

/* Where a claim's strings live: a few blocks, so that a claim costs one or two mallocs. */
typedef struct skl_claim_block skl_claim_block;

/*
 * A credential's claim. Every string is NUL-terminated and owned by the claim (copied out
 * of the parsed document into its blocks), or NULL when the credential has no such field.
 */
typedef struct skl_claim {
    skl_claim_block *blocks;
    skl_kind kind;
    char *id;                /* the credential's "id" */
    char *issuer;            /* issuer did:key */
    char *identity_hash;     /* credentialSubject.identifier[0].identityHash (worker kinds) */
    /* achievement kinds */
    char *occupation;        /* skl.occupation.code, "D-DD-DD-DD" */
    char *edition;           /* skl.occupation.edition, "2015" or "2022" */
    char *level;             /* skl.level: a level id from levels.json */
    char *level_scale;       /* the scale of that level ("skill", "1+X") */
    int level_rank;          /* its rank within the scale; -1 when there is no level */
    char *evaluation_type;   /* certification: skl.evaluationType */
    char *evaluator;         /* certification: "Y" or "S" */
    char *employer;          /* certification by a Y evaluator: the worker's employer (USCC) */
    char *training_type;     /* training: skl.trainingType */
    char *delivery;          /* training: skl.delivery */
    char *programme;         /* training: skl.programme.id */
    char *honour;            /* honour: skl.title (an id from honours.json) */
    char *refs[SKL_CLAIM_MAX_REFS]; /* honour: skl.prerequisites; credit: the courses' sources */
    size_t nrefs;
    /* credit transfer (skl.kind "credit", spec/kinds.md): course i grants course_halves[i]
     * half credits from sources refs[first .. first + course_nsrc[i]) in order */
    char *programme_version;        /* skl.programme.version (programme: skl.programme.id) */
    int graduation_halves;          /* skl.graduationCredits, in half credits */
    int course_halves[SKL_CLAIM_MAX_REFS];
    int course_nsrc[SKL_CLAIM_MAX_REFS];
    size_t ncourses;
    int total_halves;               /* skl.credits */
    /* corrections (any achievement kind with skl.corrects) and revocations */
    char *target;            /* the credential corrected or revoked */
    char *reason;
    char *effective;         /* revocation: skl.effective (UTC date-time), or NULL */
    /* accreditation */
    char *subject;           /* credentialSubject.id: the accredited issuer's did:key */
    char *certificate;       /* skl.certificate: base64 of the X.509 DER */
    char *scope;             /* skl.scope in RFC 8785 canonical form */
} skl_claim;

/*
 * Validates cred (a parsed credential object; its proof is not looked at) against the
 * kind rules of spec/kinds.md and the reference data rd, and fills *out. On failure
 * returns SKL_ERR_SCHEMA (or SKL_ERR_NOMEM) and why gets one line naming the field path
 * and the reason, e.g. "credentialSubject.skl.level: \"L9\" is not a level in
 * levels.json 2026-11". *out is always safe to pass to skl_claim_free().
 */
int skl_claim_extract(skl_claim *out, const skl_json_value *cred, const skl_refdata *rd,
                      char *why, size_t whylen);

/* Frees every string of c and zeroes it. Accepts a zeroed claim. */
void skl_claim_free(skl_claim *c);

/* The kind's name as spec/kinds.md spells it ("training", ...), or "none". */
const char *skl_kind_name(skl_kind k);

/* The kind named name ("training", ...), or SKL_KIND_NONE. */
skl_kind skl_kind_from_name(const char *name);

/* 1 if s is an 18-character 统一社会信用代码 (GB 32100-2015) with a correct check
 * character, else 0. */
int skl_uscc_valid(const char *s);

/* 1 if s is an occupation code D-DD-DD-DD, else 0. */
int skl_occupation_code_valid(const char *s);

/* An issuer's accredited scope (the X.509 scope extension), parsed. */
typedef struct skl_scope skl_scope;

/*
 * Parses a scope object (JSON text json[0..len)) and checks it against rd: known kinds,
 * well-formed occupation codes and prefixes with their edition, a level range within one
 * scale, evaluator "Y" with an employer or "S", known honour titles.
 * Returns SKL_OK, SKL_ERR_SCHEMA / SKL_ERR_PARSE with why set, or SKL_ERR_NOMEM.
 */
int skl_scope_parse(skl_scope **out, const char *json, size_t len, const skl_refdata *rd,
                    char *why, size_t whylen);
void skl_scope_free(skl_scope *s);

/*
 * Returns SKL_OK when scope s covers claim c, else SKL_ERR_VERIFY with why naming the rule
 * that failed, e.g. "scope: level L2 is above the accredited maximum L3". Revocations are
 * not a matter of scope (the ledger checks who revokes what) and always return SKL_OK here.
 */
int skl_scope_covers(const skl_scope *s, const skl_claim *c, char *why, size_t whylen);

#endif
