/*
 * fuzz_vc.c - libFuzzer target for credential verification, signing and did:key.
 *
 * Whatever the input: skl_vc_verify() returns a code and never crashes; skl_did_key_decode()
 * likewise; and when skl_vc_sign() accepts the input, the credential it makes verifies and
 * names the signing key (anything else traps).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_vc.c \
 *     src/vc.c src/did_key.c src/json_parse.c src/json_canon.c src/buf.c src/codec.c \
 *     src/err.c -lsodium -lcrypto -lm -o fuzz_vc && ./fuzz_vc -max_len=4096
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skl/vc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pk[32];
    static skl_key *key;
    static int ready;
    char why[256];
    skl_vc_info info;

    if (!ready) {
        uint8_t seed[32];
        if (sodium_init() < 0)
            __builtin_trap();
        memset(seed, 7, sizeof seed);
        if (skl_key_from_seed(&key, seed, "fuzz") != SKL_OK)
            __builtin_trap();
        memcpy(pk, skl_key_public(key), 32);
        ready = 1;
    }

    skl_err rc = skl_vc_verify((const char *)data, size, &info, why, sizeof why);
    if (rc > 0 || rc < SKL_ERR_LAST || memchr(why, '\0', sizeof why) == NULL)
        __builtin_trap();

    char *out = NULL;
    size_t outlen = 0;
    rc = skl_vc_sign(&out, &outlen, (const char *)data, size, key, "2024-01-02T03:04:05Z", why,
                     sizeof why);
    if (rc == SKL_OK) {
        if (skl_vc_verify(out, outlen, &info, why, sizeof why) != SKL_OK ||
            memcmp(info.public_key, pk, 32) != 0)
            __builtin_trap();
        free(out);
    } else if (out != NULL) {
        __builtin_trap();
    }

    if (size < 512) {
        char *s = malloc(size + 1);
        uint8_t key[32];
        if (s == NULL)
            return 0;
        memcpy(s, data, size);
        s[size] = '\0';
        if (skl_did_key_decode(key, s) == SKL_OK) {
            char *again = NULL;
            /* A decoded key re-encodes to the text's DID part. */
            if (skl_did_key_encode(&again, key) != SKL_OK ||
                strncmp(s, again, SKL_DID_KEY_LEN) != 0)
                __builtin_trap();
            free(again);
        }
        free(s);
    }
    return 0;
}
