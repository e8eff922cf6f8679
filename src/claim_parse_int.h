/*
 * claim_parse_int.h - what claim.c and claim_kinds.c share while validating a credential's
 * kind-specific content: the parse context, the member helpers and the kind validators.
 * Private to claim.c and claim_kinds.c.
 *
 * Every function returns SKL_OK, or SKL_ERR_SCHEMA with the JSON path and the reason written
 * to the context's message (SKL_ERR_NOMEM when a copy fails). Copies go into the context's
 * skl_claim, which the caller frees with skl_claim_free().
 */
#ifndef SKL_CLAIM_PARSE_INT_H
#define SKL_CLAIM_PARSE_INT_H

#include <stddef.h>

#include "claim_int.h"

#define STR_MAX 1024 /* bytes in an id, a name, a reason ... */
#define SKL "credentialSubject.skl."

typedef struct cx {
    const skl_refdata *rd;
    skl_claim *c;
    char *why;
    size_t whylen;
} cx;

/* ------------------------------------------------------------- helpers (claim.c) -- */

int skl_claim_int_fail(cx *x, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int skl_claim_int_dup_into(cx *x, char **dst, const char *s);
int skl_claim_int_get_str(cx *x, const skl_json_value *obj, const char *key, const char *path,
                          int required, size_t max, const char **out);
int skl_claim_int_get_int(cx *x, const skl_json_value *obj, const char *key, const char *path,
                          int required, long lo, long hi, long *out, int *present);
int skl_claim_int_only_members(cx *x, const skl_json_value *obj, const char *prefix,
                               const char *const *names);
int skl_claim_int_get_date(cx *x, const skl_json_value *obj, const char *key, const char *path,
                           int required, const char **out);
int skl_claim_int_is_urn_uuid(const char *s);
int skl_claim_int_is_did_key(const char *s);

/* ------------------------------------------------------------- kinds (claim_kinds.c) */

int skl_claim_int_corrects(cx *x, const skl_json_value *skl);
int skl_claim_int_training(cx *x, const skl_json_value *skl);
int skl_claim_int_certification(cx *x, const skl_json_value *skl);
int skl_claim_int_competition(cx *x, const skl_json_value *skl);
int skl_claim_int_honour(cx *x, const skl_json_value *skl);
int skl_claim_int_credit(cx *x, const skl_json_value *skl);
int skl_claim_int_revocation(cx *x, const skl_json_value *skl, const char *subject_id);
int skl_claim_int_accreditation(cx *x, const skl_json_value *skl, const char *subject_id);

#endif
