/*
 * fuzz_trust.c - libFuzzer target for the trust policy parser (skl_trust_parse).
 *
 * The input is a policy text (spec/trust-policy.md). Whatever it is, the parser returns one
 * of its documented codes and never crashes or leaks. On failure *out is NULL and why says
 * "line N: ..."; on success the accessors agree with the contract: one Ed25519 log whose
 * name is the origin, 0..64 cosignature witnesses with names, 1..4 authority roots, a
 * max-age in range, and a quorum that is monotonic (met by some witnesses => met by all).
 * Anything else traps.
 *
 *   make fuzz FUZZ_TIME=60       (builds build/fuzz/trust and runs every target)
 *   build/fuzz/trust -max_len=70000 build/fuzz/corpus/trust tests/fuzz/corpus/trust
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skl/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
accessors(const skl_trust *t)
{
    const char *names[SKL_TRUST_MAX_WITNESSES + 2];
    const skl_note_verifier *log = skl_trust_log(t);
    const char *origin = skl_trust_origin(t);
    if (log == NULL || origin == NULL || log->type != SKL_NOTE_KEY_ED25519 ||
        strcmp(origin, log->name) != 0)
        __builtin_trap();
    size_t nw = skl_trust_witnesses(t);
    if (nw > SKL_TRUST_MAX_WITNESSES || skl_trust_witness(t, nw) != NULL ||
        skl_trust_witness_name(t, nw) != NULL)
        __builtin_trap();
    for (size_t i = 0; i < nw; i++) {
        const skl_note_verifier *w = skl_trust_witness(t, i);
        names[i] = skl_trust_witness_name(t, i);
        if (w == NULL || names[i] == NULL || w->type != SKL_NOTE_KEY_COSIGNATURE ||
            strlen(names[i]) == 0 || strlen(names[i]) > SKL_TRUST_NAME_MAX ||
            memcmp(w->pub, log->pub, 32) == 0)
            __builtin_trap();
    }
    size_t na = skl_trust_authorities(t);
    if (na < 1 || na > SKL_TRUST_MAX_AUTHORITIES || skl_trust_authority(t) == NULL ||
        skl_trust_authority(t) != skl_trust_authority_at(t, 0) ||
        skl_trust_authority_at(t, na) != NULL)
        __builtin_trap();
    for (size_t i = 0; i < na; i++)
        if (skl_trust_authority_at(t, i) == NULL)
            __builtin_trap();
    int64_t age = skl_trust_max_age(t);
    if (age < 0 || age > SKL_TRUST_MAX_AGE_MAX)
        __builtin_trap();

    /* Quorum: monotonic; repeats, NULLs and unknown names never help. */
    int all = skl_trust_quorum_met(t, names, nw);
    int none = skl_trust_quorum_met(t, NULL, 0);
    if (none && !all)
        __builtin_trap();
    for (size_t i = 0; i < nw; i++) {
        const char *one[3] = {names[i], names[i], NULL};
        int m = skl_trust_quorum_met(t, one, 3);
        if (m && !all)
            __builtin_trap();
        if (m != skl_trust_quorum_met(t, one, 1))
            __builtin_trap();
    }
    if (nw > 0) {
        const char *bogus[2] = {"no such witness name at all", NULL};
        if (skl_trust_quorum_met(t, bogus, 2) != none)
            __builtin_trap();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    skl_trust *t = (skl_trust *)1; /* must be overwritten */
    char why[200];

    memset(why, 'x', sizeof why);
    skl_err rc = skl_trust_parse(&t, (const char *)data, size, why, sizeof why);
    if (rc == SKL_OK) {
        if (t == NULL)
            __builtin_trap();
        accessors(t);
        skl_trust_free(t);
        return 0;
    }
    switch (rc) {
    case SKL_ERR_PARSE:
    case SKL_ERR_KEY:
    case SKL_ERR_SCHEMA:
    case SKL_ERR_LIMIT:
    case SKL_ERR_VERIFY:
    case SKL_ERR_NOMEM:
        break;
    default:
        __builtin_trap(); /* not a code the contract allows */
    }
    if (t != NULL || memchr(why, '\0', sizeof why) == NULL ||
        (rc != SKL_ERR_NOMEM && strncmp(why, "line ", 5) != 0))
        __builtin_trap();
    return 0;
}
