/*
 * fuzz_note.c - libFuzzer target for signed notes, checkpoints and vkeys.
 *
 * Feeds the input to skl_note_parse, skl_checkpoint_parse, skl_note_vkey_parse and
 * skl_note_skey_parse, and checks round trips: a parsed checkpoint formats back to the same
 * bytes, a parsed note re-signed by a known key parses again with the same text and
 * verifies. Any crash, sanitizer report or trap is a bug.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc tests/fuzz/fuzz_note.c \
 *     src/note.c src/checkpoint.c src/buf.c src/codec.c -lsodium -lcrypto -o /tmp/fuzz_note
 *   /tmp/fuzz_note -max_len=70000 corpus/
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skl/note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t sk[64];
static skl_note_verifier ver, cover;

static void
setup(void)
{
    static int done;
    uint8_t seed[32], pk[32];
    if (done)
        return;
    if (sodium_init() < 0)
        abort();
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    crypto_sign_seed_keypair(pk, sk, seed);
    memset(&ver, 0, sizeof ver);
    strcpy(ver.name, "fuzz.example/log");
    ver.type = SKL_NOTE_KEY_ED25519;
    memcpy(ver.pub, pk, 32);
    ver.key_id = skl_note_key_id(ver.name, ver.type, ver.pub);
    cover = ver;
    cover.type = SKL_NOTE_KEY_COSIGNATURE;
    cover.key_id = skl_note_key_id(cover.name, cover.type, cover.pub);
    done = 1;
}

static void
check_checkpoint(const char *text, size_t len)
{
    skl_checkpoint cp;
    char *out = NULL;
    size_t outlen;
    if (skl_checkpoint_parse(&cp, text, len) != SKL_OK)
        return;
    if (skl_checkpoint_format(&out, &outlen, &cp) != SKL_OK)
        __builtin_trap();
    if (outlen != len || memcmp(out, text, len) != 0)
        __builtin_trap();
    free(out);
}

static void
check_note(const char *s, size_t len)
{
    skl_note *n = NULL, *m = NULL;
    char *out = NULL;
    size_t outlen, tlen, mlen;
    uint64_t t;

    if (skl_note_parse(&n, s, len) != SKL_OK)
        return;
    const char *text = skl_note_text(n, &tlen);
    if (tlen == 0 || text[tlen - 1] != '\n' || skl_note_sig_count(n) == 0)
        __builtin_trap();
    for (size_t i = 0; i < skl_note_sig_count(n); i++) {
        const char *name;
        uint32_t id;
        const uint8_t *sig;
        size_t siglen;
        if (skl_note_sig(n, i, &name, &id, &sig, &siglen) != SKL_OK || siglen == 0)
            __builtin_trap();
    }
    (void)!skl_note_verify(n, &ver, &t);
    (void)!skl_note_verify(n, &cover, &t);
    check_checkpoint(text, tlen);

    /* Re-signing keeps the text and adds (or replaces) exactly our line. */
    skl_err rc = skl_note_sign(&out, &outlen, s, len, ver.name, sk);
    if (rc == SKL_OK) {
        if (skl_note_parse(&m, out, outlen) != SKL_OK)
            __builtin_trap();
        const char *mt = skl_note_text(m, &mlen);
        if (mlen != tlen || memcmp(mt, text, tlen) != 0)
            __builtin_trap();
        if (skl_note_verify(m, &ver, NULL) != SKL_OK)
            __builtin_trap();
        skl_note_free(m);
        free(out);
    } else if (rc != SKL_ERR_LIMIT) {
        __builtin_trap();
    }
    skl_note_free(n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';

    check_note(s, size);
    check_checkpoint(s, size);

    skl_note_verifier v;
    if (skl_note_vkey_parse(&v, s) == SKL_OK) {
        char *back = NULL;
        if (skl_note_vkey_format(&back, v.name, v.type, v.pub) != SKL_OK || strcmp(back, s) != 0)
            __builtin_trap();
        free(back);
    }
    char name[SKL_NOTE_NAME_MAX + 1];
    uint8_t type, key[64];
    (void)skl_note_skey_parse(name, &type, key, s);
    sodium_memzero(key, sizeof key);

    free(s);
    return 0;
}
