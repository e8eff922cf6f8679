/*
 * skl/authority.h - what the district authority appends about its issuers: accreditation
 * credentials, the public, dated entries of the directories (培训机构目录, 鉴定评价机构目录...)
 * (spec/policy.md, spec/kinds.md).
 *
 * Thread safety: every function here is reentrant.
 */
#ifndef SKL_AUTHORITY_H
#define SKL_AUTHORITY_H

#include <stddef.h>

#include "skl/cert.h"
#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Builds the unsigned accreditation credential for the issuer certificate cert: issuer the
 * authority (authority_did, authority_name), credentialSubject.id the issuer key's did:key,
 * skl.kind "accreditation" with the certificate (base64 DER), its scope, the institution's
 * registered name and directory (one of "training-providers", "evaluation-bodies",
 * "honour-committees", "competition-organisers", "schools"); validFrom/validUntil the
 * certificate's validity; a fresh urn:uuid id. The authority then signs it (skl_vc_sign)
 * and appends it. On success *out is the canonical JSON (malloc'd, NUL-terminated, *outlen
 * bytes). Returns SKL_OK, SKL_ERR_INVAL (NULL argument, unknown directory; why says which),
 * or SKL_ERR_NOMEM.
 */
skl_err skl_accreditation_build(char **out, size_t *outlen, const skl_cert *cert,
                                const char *authority_did, const char *authority_name,
                                const char *directory, char *why, size_t whylen);

#ifdef __cplusplus
}
#endif
#endif
