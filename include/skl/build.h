/*
 * skl/build.h - shaping an unsigned credential (spec/kinds.md) from flat, named text fields,
 * such as the cells of one roster row, and mapping roster column headers to those names.
 *
 * The field names, their forms and defaults are listed in spec/import.md. The builder only
 * shapes: it checks the form of every value (dates, integers, codes, ids) and the presence of
 * required fields, but not reference data (that an occupation code or training type exists
 * is the validator's job). It refuses the fields that hold the worker's identity (name,
 * idType, idNumber and the other fields spec/data/fields.json marks "personal"): those go to
 * the worker vault only, so that personal data can never enter a credential.
 *
 * Header aliases come from spec/data/fields.json, compiled into the library. It is parsed
 * once, on first use, under pthread_once(3); the table is then read-only and kept for the
 * life of the process.
 *
 * Thread safety: every function here may be called from several threads at once.
 */
#ifndef SKL_BUILD_H
#define SKL_BUILD_H

#include <stddef.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One named field: name is a canonical field name (spec/import.md), value its text. */
typedef struct skl_field {
    const char *name;
    const char *value;
} skl_field;

/*
 * Builds the unsigned credential that fields[0..n) describe, in RFC 8785 canonical form, into
 * a new malloc'd NUL-terminated buffer *out of *outlen bytes (NUL not counted) that the
 * caller frees. Values are trimmed of ASCII blanks and U+3000; an empty value counts as not
 * given. Values of fields with value aliases in fields.json (e.g. result "合格" -> "passed",
 * level "四级/中级工" -> "L4") are mapped to their canonical ids first. Defaults: id = a fresh
 * urn:uuid (version 4, from randombytes_buf), validFrom = now (UTC), credentialName and the
 * achievement's id, name, description and criteria derived from the other fields.
 * On failure *out is NULL and why[0..whylen) names the field and the reason, e.g.
 * "field hours: \"4O\" is not an integer". Returns SKL_OK; SKL_ERR_SCHEMA for an unknown,
 * duplicate, personal, missing, misplaced (not of this kind) or ill-formed field;
 * SKL_ERR_INVAL for NULL arguments; SKL_ERR_NOMEM. Never prints or aborts.
 */
skl_err skl_credential_build(char **out, size_t *outlen, const skl_field *fields, size_t n,
                             char *why, size_t whylen) __attribute__((warn_unused_result));

/*
 * The canonical field name for a roster column header, or NULL when fields.json has no such
 * alias (or could not be loaded). Headers are compared after trimming blanks (ASCII and
 * U+3000), folding ASCII case, turning full-width "（）／" into "()/" and collapsing runs of
 * blanks into one space: "  ID Number " and "id number" match; "职业（工种）" matches
 * "职业(工种)". The result is static storage.
 */
const char *skl_field_for_header(const char *header);

/*
 * 1 if field is a canonical field name that holds the worker's identity (name, idType,
 * idNumber, and what fields.json marks "personal"): such a column goes to the worker vault,
 * never to skl_credential_build(). 0 otherwise.
 */
int skl_field_is_personal(const char *field);

#ifdef __cplusplus
}
#endif
#endif
