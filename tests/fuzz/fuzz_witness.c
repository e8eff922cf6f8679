/*
 * fuzz_witness.c - libFuzzer target for the witness side of tlog-witness
 * (skl_witness_cosign), fed arbitrary add-checkpoint request bytes.
 *
 * Fixed keys from fixed seeds: the log "fuzz.example/log" (seed 0x11...) and the witness
 * "fuzz.example/witness" (seed 0x22...). The log's tree has leaf i = SHA-256(0x00 || i) for
 * i < 64. Once, the witness cosigns the log's checkpoint of size 4 into a state file in a
 * temporary directory (under /dev/shm when it exists: the witness fsyncs every write); that
 * state is saved, and restored before every input, so each run sees a witness holding size
 * 4. Whatever the request:
 *   - the result is SKL_OK or a refusal (400/403/404/409/422); an operational error
 *     (HTTP 500: a corrupt state, I/O, ...) on attacker bytes traps, SKL_ERR_NOMEM aside;
 *   - *response is set exactly on SKL_OK (a cosignature line "— fuzz.example/witness ...")
 *     and on some 409s (the witness's size: "4\n"), NULL otherwise; why is a NUL-terminated
 *     line, naming the HTTP status on refusals;
 *   - SKL_OK only for a request whose note verifies under the log's key (no forged
 *     checkpoint is ever cosigned).
 * Anything else traps.
 *
 * Seeds: build with -DSKL_FUZZ_SEEDS (no -fsanitize=fuzzer) to get a program that writes
 * the seed requests of tests/fuzz/corpus/witness/ into the directory it is given.
 *
 *   make fuzz FUZZ_TIME=60       (builds build/fuzz/witness and runs every target)
 *   build/fuzz/witness -max_len=70000 build/fuzz/corpus/witness tests/fuzz/corpus/witness
 */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "skl/key.h"
#include "skl/merkle.h"
#include "skl/note.h"
#include "skl/witness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ORIGIN "fuzz.example/log"
#define WITNESS "fuzz.example/witness"
#define NLEAVES 64
#define FUZZ_NOW 1700000000

static skl_key *log_key, *wit_key;
static char *log_vkey;
static skl_note_verifier log_ver;
static uint8_t leaves[NLEAVES][32];
static char state_path[256];
static char *state0;
static size_t state0_len;

static int
get_node(void *ctx, unsigned height, uint64_t index, uint8_t out[32])
{
    (void)ctx;
    if (height == 0) {
        if (index >= NLEAVES)
            return SKL_ERR_STATE;
        memcpy(out, leaves[index], 32);
        return 0;
    }
    uint8_t l[32], r[32];
    int rc = get_node(ctx, height - 1, 2 * index, l);
    if (rc == 0)
        rc = get_node(ctx, height - 1, 2 * index + 1, r);
    if (rc == 0)
        skl_merkle_node_hash(out, l, r);
    return rc;
}

/* The log's signed checkpoint of size leaves, under origin (malloc'd). */
static char *
checkpoint(const char *origin, uint64_t size, size_t *len)
{
    skl_checkpoint cp;
    char *text = NULL, *note = NULL;
    size_t tlen;
    memset(&cp, 0, sizeof cp);
    snprintf(cp.origin, sizeof cp.origin, "%s", origin);
    cp.size = size;
    if (skl_merkle_root(cp.root, size, get_node, NULL) != SKL_OK ||
        skl_checkpoint_format(&text, &tlen, &cp) != SKL_OK ||
        skl_note_sign(&note, len, text, tlen, ORIGIN, skl_key_secret(log_key)) != SKL_OK)
        abort();
    free(text);
    return note;
}

/* An add-checkpoint request from old to size; bad_proof flips a bit of the first hash. */
static char *
request(const char *origin, uint64_t old, uint64_t size, int with_proof, int bad_proof,
        size_t *len)
{
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
    size_t count = 0, nlen;
    char *note = checkpoint(origin, size, &nlen);
    char *out = malloc(64 + 64 * 50 + nlen);
    if (note == NULL || out == NULL)
        abort();
    size_t o = (size_t)sprintf(out, "old %llu\n", (unsigned long long)old);
    if (with_proof && old > 0 &&
        skl_merkle_consistency_proof(proof, &count, old, size, get_node, NULL) != SKL_OK)
        abort();
    if (bad_proof && count > 0)
        proof[0][0] ^= 1;
    for (size_t i = 0; i < count; i++) {
        sodium_bin2base64(out + o, 64, proof[i], 32, sodium_base64_VARIANT_ORIGINAL);
        o += strlen(out + o);
        out[o++] = '\n';
    }
    out[o++] = '\n';
    memcpy(out + o, note, nlen);
    o += nlen;
    out[o] = '\0';
    free(note);
    *len = o;
    return out;
}

static void
write_state(void)
{
    FILE *f = fopen(state_path, "wb");
    if (f == NULL || fwrite(state0, 1, state0_len, f) != state0_len || fclose(f) != 0)
        abort();
}

static void
setup(void)
{
    static int done;
    uint8_t seed[32];
    char why[256], *resp = NULL, dir[64];
    size_t rlen, qlen;

    if (done)
        return;
    if (sodium_init() < 0)
        abort();
    memset(seed, 0x11, sizeof seed);
    if (skl_key_from_seed(&log_key, seed, ORIGIN) != SKL_OK)
        abort();
    memset(seed, 0x22, sizeof seed);
    if (skl_key_from_seed(&wit_key, seed, WITNESS) != SKL_OK)
        abort();
    if (skl_note_vkey_format(&log_vkey, ORIGIN, SKL_NOTE_KEY_ED25519,
                             skl_key_public(log_key)) != SKL_OK ||
        skl_note_vkey_parse(&log_ver, log_vkey) != SKL_OK)
        abort();
    for (uint64_t i = 0; i < NLEAVES; i++) {
        uint8_t b[8];
        for (int j = 0; j < 8; j++)
            b[j] = (uint8_t)(i >> (8 * j));
        skl_merkle_leaf_hash(leaves[i], b, sizeof b);
    }
    snprintf(dir, sizeof dir, "%s/skl-fuzz-witness-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(state_path, sizeof state_path, "%s/state", dir);
    char *req = request(ORIGIN, 0, 4, 0, 0, &qlen);
    if (skl_witness_cosign(&resp, &rlen, state_path, wit_key, log_vkey, req, qlen, FUZZ_NOW,
                           why, sizeof why) != SKL_OK)
        abort();
    free(resp);
    free(req);
    FILE *f = fopen(state_path, "rb");
    if (f == NULL)
        abort();
    state0 = malloc(1 << 17);
    state0_len = fread(state0, 1, 1 << 17, f);
    fclose(f);
    done = 1;
}

/* Does the note part of the request (after the first blank line) verify under the log? */
static int
log_signed(const char *req, size_t len)
{
    const char *p = memmem(req, len, "\n\n", 2);
    skl_note *n = NULL;
    if (p == NULL)
        return 0;
    p += 2;
    int ok = skl_note_parse(&n, p, len - (size_t)(p - req)) == SKL_OK &&
             skl_note_verify(n, &log_ver, NULL) == SKL_OK;
    skl_note_free(n);
    return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[256], *resp = (char *)1;
    size_t rlen = 0;

    setup();
    write_state();
    memset(why, 'x', sizeof why);
    skl_err rc = skl_witness_cosign(&resp, &rlen, state_path, wit_key, log_vkey,
                                    (const char *)data, size, FUZZ_NOW, why, sizeof why);
    int status = skl_witness_http_status(rc);
    if (memchr(why, '\0', sizeof why) == NULL || resp == (char *)1)
        __builtin_trap();
    if (rc == SKL_ERR_NOMEM) {
        free(resp);
        return 0;
    }
    switch (status) {
    case 200:
        if (resp == NULL || rlen != strlen(resp) ||
            strncmp(resp, "\xe2\x80\x94 " WITNESS " ", 4 + strlen(WITNESS) + 1) != 0 ||
            resp[rlen - 1] != '\n' || !log_signed((const char *)data, size))
            __builtin_trap();
        break;
    case 409:
        if (resp != NULL && strcmp(resp, "4\n") != 0)
            __builtin_trap();
        /* fall through */
    case 400:
    case 403:
    case 404:
    case 422:
        if (rc != SKL_ERR_STATE && resp != NULL)
            __builtin_trap();
        if (why[0] == '\0' || strstr(why, "(") == NULL)
            __builtin_trap();
        break;
    default:
        __builtin_trap(); /* 500: an operational error on request bytes */
    }
    free(resp);
    return 0;
}

#ifdef SKL_FUZZ_SEEDS
static void
put(const char *dir, const char *name, const char *s, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(s, 1, len, f) != len || fclose(f) != 0)
        abort();
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name, *origin;
        uint64_t old, size;
        int proof, bad;
    } seeds[] = {
        {"ok-4-to-8", ORIGIN, 4, 8, 1, 0},     {"ok-4-to-37", ORIGIN, 4, 37, 1, 0},
        {"ok-same-4", ORIGIN, 4, 4, 0, 0},     {"409-old-0", ORIGIN, 0, 8, 0, 0},
        {"409-old-2", ORIGIN, 2, 8, 1, 0},     {"422-bad-proof", ORIGIN, 4, 8, 1, 1},
        {"422-no-proof", ORIGIN, 4, 9, 0, 0},  {"400-old-above", ORIGIN, 9, 8, 0, 0},
        {"404-origin", "other.example/log", 4, 8, 1, 0},
    };
    if (argc != 2)
        return 2;
    setup();
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        size_t len;
        char *r = request(seeds[i].origin, seeds[i].old, seeds[i].size, seeds[i].proof,
                          seeds[i].bad, &len);
        put(argv[1], seeds[i].name, r, len);
        free(r);
    }
    return 0;
}
#endif
