/*
 * fuzz_bundle.c - libFuzzer target for the employer's bundle verifier (skl_bundle_verify).
 *
 * The input is a bundle (spec/bundle.md). It is verified against one fixed trust policy,
 * parsed once, at one fixed time, so that every run is reproducible. The policy is the one
 * that verifies the seeds in tests/fuzz/corpus/bundle/ (made by the steps of
 * tests/e2e/t_bundle.sh: see tests/fuzz/README.md): with it the valid seeds reach every
 * check, and mutations of them explore the verifier's deep paths. Whatever the input:
 *   - the verifier returns one of its documented codes, never crashes or leaks;
 *   - not a bundle (PARSE, SCHEMA, LIMIT): no results, and a NUL-terminated reason in why
 *     (on SKL_OK and SKL_ERR_VERIFY the contract says nothing of why);
 *   - SKL_OK: at least one result, all valid; SKL_ERR_VERIFY: at least one invalid; each
 *     result's strings NUL-terminated, reason "" exactly when valid;
 *   - a credential reported valid is one of the seed's two (the fuzzer cannot forge the
 *     log's, the witness's or an issuer's signature, so any other valid id is a forgery).
 * Anything else traps.
 *
 *   make fuzz FUZZ_TIME=60       (builds build/fuzz/bundle and runs every target)
 *   build/fuzz/bundle -max_len=70000 build/fuzz/corpus/bundle tests/fuzz/corpus/bundle
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skl/bundle.h"
#include "skl/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The policy of the seed bundles: log test.example/skills, witness audit.example/witness
 * (quorum 1), their authority root, max-age 1d. */
static const char policy[] =
    "# skl trust policy (spec/trust-policy.md)\n"
    "log test.example/skills+0a12087b+AZmg+FrN2ap7/VCoDWhIEkr2g6PUKh0X72p4FlBSIru3\n"
    "witness audit.example/witness audit.example/witness+811cd221+BDAqkgBHQvDHIQeOtrMUdmJkcRP"
    "5dNcgRLt2+WOAkfs7\n"
    "group witnesses 1 audit.example/witness\n"
    "quorum witnesses\n"
    "authority-cert MIIByzCCAX2gAwIBAgIQH2+IW0zY1ESgVOk/EdYaAzAFBgMrZXAwZDEwMC4GA1UECgwn5YyX5"
    "6Ka5Yy65Lq65Yqb6LWE5rqQ5ZKM56S+5Lya5L+d6Zqc5bGAMTAwLgYDVQQDDCfljJfnoprljLrkurrlipvotYTmu"
    "pDlkoznpL7kvJrkv53pmpzlsYAwHhcNMjYxMTI4MDMxNzU0WhcNNDYxMTIzMDMxODU0WjBkMTAwLgYDVQQKDCflj"
    "JfnoprljLrkurrlipvotYTmupDlkoznpL7kvJrkv53pmpzlsYAxMDAuBgNVBAMMJ+WMl+eimuWMuuS6uuWKm+i1h"
    "Oa6kOWSjOekvuS8muS/nemanOWxgDAqMAUGAytlcAMhALatGxrDwmFiwXFKcmjWcEejZFDVCv18MWwKrdyixyENo"
    "0UwQzASBgNVHRMBAf8ECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUQYc6E7fceWHNtqpJTaB6A"
    "4CaEz4wBQYDK2VwA0EANLR+nb/WG4bwf/dAqvTR7bFzEuJKeT5FPIH6ww4MVj8TEJEAnUp4EwFIuU882/4HDykXe"
    "uROO4ETfRcxB7OpDQ==\n"
    "max-age 1d\n";

/* The seeds' checkpoint was cosigned at 1795835935; verify a minute later. */
#define FUZZ_NOW (1795835935LL + 60)

/* The only credentials a bundle may show as valid under this policy. */
static const char *const known_ids[] = {
    "urn:uuid:4453c32a-5da0-4756-8883-bc8984a59f4f",
    "urn:uuid:bbb63216-9438-453b-a9bc-4af0ac4c532b",
};

static int
terminated(const char *s, size_t n)
{
    return memchr(s, '\0', n) != NULL;
}

static int
known(const char *id)
{
    for (size_t i = 0; i < sizeof known_ids / sizeof known_ids[0]; i++)
        if (strcmp(id, known_ids[i]) == 0)
            return 1;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static skl_trust *t;
    char why[256];
    skl_bundle_result *res = (skl_bundle_result *)1; /* must be overwritten */
    size_t n = (size_t)-1;

    if (t == NULL && skl_trust_parse(&t, policy, sizeof policy - 1, why, sizeof why) != SKL_OK)
        __builtin_trap();

    memset(why, 'x', sizeof why);
    skl_err rc =
        skl_bundle_verify(t, (const char *)data, size, FUZZ_NOW, &res, &n, NULL, why, sizeof why);
    switch (rc) {
    case SKL_ERR_PARSE:
    case SKL_ERR_SCHEMA:
    case SKL_ERR_LIMIT:
        if (res != NULL || !terminated(why, sizeof why) || why[0] == '\0')
            __builtin_trap();
        return 0;
    case SKL_ERR_NOMEM:
        if (res != NULL && res != (skl_bundle_result *)1)
            free(res);
        return 0;
    case SKL_OK:
    case SKL_ERR_VERIFY: break;
    default: __builtin_trap(); /* not a code the contract allows */
    }
    if (n == (size_t)-1 || (n > 0 && res == NULL) || res == (skl_bundle_result *)1)
        __builtin_trap();
    size_t invalid = 0;
    for (size_t i = 0; i < n; i++) {
        const skl_bundle_result *r = &res[i];
        if (!terminated(r->id, sizeof r->id) || !terminated(r->kind, sizeof r->kind) ||
            !terminated(r->title, sizeof r->title) || !terminated(r->issuer, sizeof r->issuer) ||
            !terminated(r->date, sizeof r->date) || !terminated(r->reason, sizeof r->reason))
            __builtin_trap();
        if (r->valid != 0 && r->valid != 1)
            __builtin_trap();
        if ((r->valid == 1) != (r->reason[0] == '\0'))
            __builtin_trap();
        if (r->valid && !known(r->id))
            __builtin_trap(); /* a forged credential accepted */
        invalid += !r->valid;
    }
    if (rc == SKL_OK && (n == 0 || invalid != 0))
        __builtin_trap();
    if (rc == SKL_ERR_VERIFY && n > 0 && invalid == 0)
        __builtin_trap();
    free(res);
    return 0;
}
