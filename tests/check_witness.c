/* check_witness.c - the tlog-witness: requests, cosigning, every refusal of the spec, the
 * state file, and keeping the witness's line in the log's note. */
#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf_int.h"
#include "skl/skl.h"
#include "skl/witness.h"
#include "testutil.h"

#define T0 1767225600  /* the ledgers' fixed clock */
#define NOW 1767230000 /* the witness's clock */
#define ORIGIN "skl.example/log"
#define WNAME "witness.example/w1"

static char *dir;
static char state[4096];
static skl_key *log_key, *issuer, *wkey;
static char *log_vkey;

static void
setup(void)
{
    ck_assert_int_eq(skl_init(), SKL_OK);
    dir = tu_tmpdir();
    snprintf(state, sizeof state, "%s/witness.state", dir);
    uint8_t seed[32];
    memset(seed, 1, 32);
    ck_assert_int_eq(skl_key_from_seed(&log_key, seed, ORIGIN), SKL_OK);
    memset(seed, 2, 32);
    ck_assert_int_eq(skl_key_from_seed(&issuer, seed, "issuer"), SKL_OK);
    memset(seed, 3, 32);
    ck_assert_int_eq(skl_key_from_seed(&wkey, seed, WNAME), SKL_OK);
    ck_assert_int_eq(
        skl_note_vkey_format(&log_vkey, ORIGIN, SKL_NOTE_KEY_ED25519, skl_key_public(log_key)),
        SKL_OK);
}

static void
teardown(void)
{
    skl_key_free(log_key);
    skl_key_free(issuer);
    skl_key_free(wkey);
    free(log_vkey);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(dir);
}

/* ---- building ledgers ------------------------------------------------------------------ */

static char *
credential(int i, size_t *len)
{
    char *did = NULL, text[2048], *out = NULL, why[256];
    ck_assert_int_eq(skl_did_key_encode(&did, skl_key_public(issuer)), SKL_OK);
    snprintf(text, sizeof text,
             "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
             "\"id\":\"urn:uuid:00000000-0000-4000-8000-%012d\","
             "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
             "\"issuer\":{\"id\":\"%s\",\"name\":\"北碚区职业培训学校\"},"
             "\"validFrom\":\"2026-01-01T00:00:00Z\","
             "\"credentialSubject\":{\"type\":[\"AchievementSubject\"],"
             "\"achievement\":{\"name\":\"电工 四级/中级工\",\"type\":[\"Achievement\"]}}}",
             i, did);
    ck_assert_int_eq(
        skl_vc_sign(&out, len, text, strlen(text), issuer, "2026-01-01T00:00:00Z", why, sizeof why),
        SKL_OK);
    free(did);
    return out;
}

static skl_ledger *
new_ledger(const char *file, const skl_key *k)
{
    char path[4200];
    skl_ledger *l = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    ck_assert_int_eq(skl_ledger_create(&l, path, ORIGIN, k), SKL_OK);
    skl_ledger_set_time(l, T0);
    return l;
}

/* Appends credentials first..first+n-1, one at a time. */
static void
append(skl_ledger *l, int first, int n)
{
    for (int i = first; i < first + n; i++) {
        size_t len;
        char *c = credential(i, &len);
        const char *cs[1] = {c};
        skl_ledger_item item;
        ck_assert_int_eq(skl_ledger_append(l, cs, &len, 1, &item, 1), SKL_OK);
        free(c);
    }
}

static char *
checkpoint(skl_ledger *l, const skl_key *k, size_t *len)
{
    char *note = NULL;
    ck_assert_int_eq(skl_ledger_checkpoint(l, k, &note, len), SKL_OK);
    return note;
}

/* A request assembled by hand, to alter its parts. */
static char *
make_request(uint64_t old, const uint8_t (*proof)[32], size_t count, const char *note, size_t len,
             size_t *outlen)
{
    skl_buf b = SKL_BUF_INIT;
    skl_buf_printf(&b, "old %llu\n", (unsigned long long)old);
    for (size_t i = 0; i < count; i++) {
        skl_buf_base64(&b, proof[i], 32);
        skl_buf_putc(&b, '\n');
    }
    skl_buf_putc(&b, '\n');
    skl_buf_append(&b, note, len);
    ck_assert(skl_buf_ok(&b));
    return skl_buf_take(&b, outlen);
}

/* ---- running the witness --------------------------------------------------------------- */

static char why[512];

/* Cosigns req; returns the result and the response (the caller frees it). */
static skl_err
cosign(const char *vkey, const char *req, size_t reqlen, int64_t now, char **resp)
{
    size_t rl = 0;
    *resp = NULL;
    skl_err r = skl_witness_cosign(resp, &rl, state, wkey, vkey, req, reqlen, now, why, sizeof why);
    if (r == SKL_OK) {
        ck_assert_ptr_nonnull(*resp);
        ck_assert_uint_eq(rl, strlen(*resp));
        ck_assert_str_eq(why, "");
    } else {
        ck_assert_msg(why[0] != '\0', "no reason for %s", skl_strerror(r));
        ck_assert_ptr_null(strchr(why, '\n'));
    }
    return r;
}

/* Request for note at old size `old` from ledger l, then cosign; asserts the result. */
static char *
submit(skl_ledger *l, uint64_t old, const char *note, size_t len, skl_err want)
{
    char *req = NULL, *resp = NULL;
    size_t reqlen;
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, old, note, len), SKL_OK);
    skl_err r = cosign(log_vkey, req, reqlen, NOW, &resp);
    ck_assert_msg(r == want, "want %s, got %s: %s", skl_strerror(want), skl_strerror(r), why);
    free(req);
    return resp;
}

/* Attaches resp to note and checks that every line verifies, the witness's at time now;
 * also checks the cosignature by hand with libsodium. */
static void
check_cosigned(const char *note, size_t len, const char *resp, uint64_t now)
{
    char *out = NULL, *wv = NULL;
    size_t outlen;
    skl_note *n = NULL;
    skl_note_verifier v;
    uint64_t ts = 0;

    ck_assert_int_eq(strncmp(resp, "\xe2\x80\x94 " WNAME " ", strlen(WNAME) + 5), 0);
    ck_assert_int_eq(resp[strlen(resp) - 1], '\n');
    ck_assert_ptr_eq(strchr(resp, '\n'), resp + strlen(resp) - 1); /* one line */
    ck_assert_int_eq(skl_witness_add_cosignature(&out, &outlen, note, len, resp, strlen(resp)),
                     SKL_OK);
    ck_assert_int_eq(skl_note_parse(&n, out, outlen), SKL_OK);
    ck_assert_uint_eq(skl_note_sig_count(n), 3);
    ck_assert_int_eq(skl_note_vkey_parse(&v, log_vkey), SKL_OK);
    ck_assert_int_eq(skl_note_verify(n, &v, NULL), SKL_OK);
    ck_assert_int_eq(
        skl_note_vkey_format(&wv, WNAME, SKL_NOTE_KEY_COSIGNATURE, skl_key_public(wkey)), SKL_OK);
    ck_assert_int_eq(skl_note_vkey_parse(&v, wv), SKL_OK);
    ck_assert_int_eq(skl_note_verify(n, &v, &ts), SKL_OK);
    ck_assert_uint_eq(ts, now);

    /* By hand: the last line is key ID || time || Ed25519 over the cosignature/v1 message. */
    const char *name;
    uint32_t id;
    const uint8_t *sig;
    size_t siglen, tlen;
    ck_assert_int_eq(skl_note_sig(n, 2, &name, &id, &sig, &siglen), SKL_OK);
    ck_assert_str_eq(name, WNAME);
    ck_assert_uint_eq(id, v.key_id);
    ck_assert_uint_eq(siglen, 72);
    uint64_t t = 0;
    for (int i = 0; i < 8; i++)
        t = t << 8 | sig[i];
    ck_assert_uint_eq(t, now);
    const char *text = skl_note_text(n, &tlen);
    skl_buf m = SKL_BUF_INIT;
    skl_buf_printf(&m, "cosignature/v1\ntime %llu\n", (unsigned long long)now);
    skl_buf_append(&m, text, tlen);
    ck_assert_int_eq(crypto_sign_verify_detached(sig + 8, (const unsigned char *)m.data, m.len,
                                                 skl_key_public(wkey)),
                     0);
    m.data[m.len - 2] ^= 1;
    ck_assert_int_ne(crypto_sign_verify_detached(sig + 8, (const unsigned char *)m.data, m.len,
                                                 skl_key_public(wkey)),
                     0);
    skl_buf_free(&m);
    skl_note_free(n);
    free(out);
    free(wv);
}

static char *
read_state(size_t *len)
{
    return tu_read_file(state, len);
}

/* ---- known flows ----------------------------------------------------------------------- */

START_TEST(test_request_format)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 5);
    size_t len3, len5, reqlen;
    char *n3 = checkpoint(l, log_key, &len3);
    append(l, 5, 6);
    char *n11 = checkpoint(l, log_key, &len5);
    char *req = NULL;

    /* First contact: no proof lines. */
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 0, n11, len5), SKL_OK);
    ck_assert_uint_eq(reqlen, 7 + len5);
    ck_assert_int_eq(memcmp(req, "old 0\n\n", 7), 0);
    ck_assert_int_eq(memcmp(req + 7, n11, len5), 0);
    ck_assert_uint_eq(strlen(req), reqlen);
    free(req);

    /* 5 -> 11: the ledger's consistency proof, base64, one a line. */
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
    size_t count, plen;
    ck_assert_int_eq(skl_ledger_consistency_proof(l, 5, 11, proof, &count), SKL_OK);
    ck_assert_uint_gt(count, 1);
    char *want = make_request(5, (const uint8_t(*)[32])proof, count, n11, len5, &plen);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 5, n11, len5), SKL_OK);
    ck_assert_uint_eq(reqlen, plen);
    ck_assert_mem_eq(req, want, plen);
    ck_assert_int_eq(memcmp(req, "old 5\n", 6), 0);
    ck_assert_uint_eq(reqlen, 6 + count * 45 + 1 + len5);
    free(req);
    free(want);

    /* Same size: no proof. */
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 11, n11, len5), SKL_OK);
    ck_assert_int_eq(memcmp(req, "old 11\n\n", 8), 0);
    free(req);

    /* Refusals of the builder. */
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 6, n3, len3), SKL_ERR_INVAL);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 0, "x\n", 2), SKL_ERR_PARSE);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, NULL, 0, n3, len3), SKL_ERR_INVAL);
    skl_ledger *other = new_ledger("b.db", log_key); /* same origin, other tree */
    append(other, 100, 5);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, other, 0, n3, len3), SKL_ERR_STATE);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, other, 0, n11, len5), SKL_ERR_STATE);
    ck_assert_ptr_null(req);
    skl_ledger_close(other);
    free(n3);
    free(n11);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_flow)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 3);
    size_t len3, len7;
    char *n3 = checkpoint(l, log_key, &len3);

    /* First cosign at 3 with old 0. */
    char *resp = submit(l, 0, n3, len3, SKL_OK);
    check_cosigned(n3, len3, resp, NOW);
    free(resp);
    struct stat sb;
    ck_assert_int_eq(stat(state, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    size_t slen;
    char *s = read_state(&slen);
    ck_assert_int_eq(strncmp(s, "skl-witness-state/v1\n" ORIGIN " 3 ", 38), 0);
    ck_assert_ptr_nonnull(strstr(s, log_vkey));
    free(s);

    /* 3 -> 7 with a consistency proof. */
    append(l, 3, 4);
    char *n7 = checkpoint(l, log_key, &len7);
    resp = submit(l, 3, n7, len7, SKL_OK);
    check_cosigned(n7, len7, resp, NOW);
    free(resp);
    s = read_state(&slen);
    ck_assert_int_eq(strncmp(s, "skl-witness-state/v1\n" ORIGIN " 7 ", 38), 0);
    free(s);

    /* The same checkpoint again: cosigned again, later; the state keeps its bytes. */
    char *before = read_state(&slen), *req = NULL;
    size_t reqlen;
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 7, n7, len7), SKL_OK);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW + 60, &resp), SKL_OK);
    check_cosigned(n7, len7, resp, NOW + 60);
    free(resp);
    free(req);
    size_t alen;
    char *after = read_state(&alen);
    ck_assert_uint_eq(alen, slen);
    ck_assert_mem_eq(after, before, slen);
    free(before);
    free(after);

    /* A log that lost track asks with old 0 and learns the size from the 409 body. */
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 0, n7, len7), SKL_OK);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_STATE);
    ck_assert_str_eq(resp, "7\n");
    ck_assert_ptr_nonnull(strstr(why, "409"));
    ck_assert_ptr_nonnull(strstr(why, "size 7"));
    free(resp);
    free(req);

    /* An empty tree is a checkpoint too. */
    skl_ledger *e = new_ledger("e.db", log_key);
    size_t len0;
    char *n0 = checkpoint(e, log_key, &len0);
    ck_assert_int_eq(unlink(state), 0);
    resp = submit(e, 0, n0, len0, SKL_OK);
    free(resp);
    resp = submit(e, 0, n0, len0, SKL_OK); /* size 0 held: old 0 again is right */
    free(resp);
    append(e, 0, 2);
    size_t len2;
    char *n2 = checkpoint(e, log_key, &len2);
    resp = submit(e, 0, n2, len2, SKL_OK);
    check_cosigned(n2, len2, resp, NOW);
    free(resp);
    free(n0);
    free(n2);
    skl_ledger_close(e);

    free(n3);
    free(n7);
    skl_ledger_close(l);
}
END_TEST

/* ---- refusals -------------------------------------------------------------------------- */

/* A log that dates its checkpoint ahead of the witness's clock is refused (403): the date
 * is what verifiers measure max-age from. Up to SKL_WITNESS_MAX_SKEW ahead is a clock
 * difference and is cosigned. */
START_TEST(test_future_dated)
{
    skl_ledger *l = new_ledger("f.db", log_key);
    append(l, 0, 2);
    skl_ledger_set_time(l, NOW + SKL_WITNESS_MAX_SKEW + 1);
    size_t len;
    char *n = checkpoint(l, log_key, &len);
    char *resp = submit(l, 0, n, len, SKL_ERR_KEY);
    ck_assert_ptr_null(resp);
    ck_assert_msg(strstr(why, "forbidden (403): the log dated the checkpoint 3601 s ahead") != NULL,
                  "%s", why);
    struct stat sb;
    ck_assert_int_ne(stat(state, &sb), 0); /* nothing recorded */
    free(n);
    skl_ledger_set_time(l, NOW + SKL_WITNESS_MAX_SKEW);
    append(l, 2, 1);
    n = checkpoint(l, log_key, &len);
    resp = submit(l, 0, n, len, SKL_OK);
    free(resp);
    free(n);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_wrong_log_key)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 3);
    size_t len, reqlen;
    char *n = checkpoint(l, log_key, &len), *req = NULL, *resp = NULL, *vk = NULL;
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 0, n, len), SKL_OK);

    /* Another key under the log's name: no signature line matches. */
    uint8_t seed[32];
    memset(seed, 9, 32);
    skl_key *other = NULL;
    ck_assert_int_eq(skl_key_from_seed(&other, seed, ORIGIN), SKL_OK);
    ck_assert_int_eq(skl_note_vkey_format(&vk, ORIGIN, SKL_NOTE_KEY_ED25519, skl_key_public(other)),
                     SKL_OK);
    ck_assert_int_eq(cosign(vk, req, reqlen, NOW, &resp), SKL_ERR_KEY);
    ck_assert_ptr_nonnull(strstr(why, "403"));
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_KEY), 403);
    ck_assert_ptr_null(resp);
    free(vk);

    /* The log's key under another name: another origin (404). */
    ck_assert_int_eq(skl_note_vkey_format(&vk, "other.example/log", SKL_NOTE_KEY_ED25519,
                                          skl_key_public(log_key)),
                     SKL_OK);
    ck_assert_int_eq(cosign(vk, req, reqlen, NOW, &resp), SKL_ERR_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(why, "404"));
    free(vk);

    /* The log's cosignature vkey (type 0x04) is not a log key. */
    ck_assert_int_eq(
        skl_note_vkey_format(&vk, ORIGIN, SKL_NOTE_KEY_COSIGNATURE, skl_key_public(log_key)),
        SKL_OK);
    ck_assert_int_eq(cosign(vk, req, reqlen, NOW, &resp), SKL_ERR_INVAL);
    free(vk);
    ck_assert_int_eq(cosign("not a vkey", req, reqlen, NOW, &resp), SKL_ERR_INVAL);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, -1, &resp), SKL_ERR_INVAL);

    /* A forged log signature: one byte of the log's line changed. */
    char *bad = malloc(reqlen + 1);
    memcpy(bad, req, reqlen + 1);
    char *line = strstr(bad, "\n\xe2\x80\x94 " ORIGIN " ") + 5 + strlen(ORIGIN) + 1;
    line[10] = line[10] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(cosign(log_vkey, bad, reqlen, NOW, &resp), SKL_ERR_KEY);
    free(bad);
    ck_assert_int_eq(access(state, F_OK), -1); /* nothing was recorded */

    /* The state binds the origin to its key: a second log key for it is refused. */
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_OK);
    free(resp);
    skl_ledger *l2 = new_ledger("b.db", other);
    append(l2, 0, 3);
    size_t len2;
    char *n2 = checkpoint(l2, other, &len2), *req2 = NULL;
    ck_assert_int_eq(skl_witness_request(&req2, &reqlen, l2, 3, n2, len2), SKL_OK);
    ck_assert_int_eq(skl_note_vkey_format(&vk, ORIGIN, SKL_NOTE_KEY_ED25519, skl_key_public(other)),
                     SKL_OK);
    ck_assert_int_eq(cosign(vk, req2, reqlen, NOW, &resp), SKL_ERR_KEY);
    ck_assert_ptr_nonnull(strstr(why, "another log key"));
    free(vk);
    free(req2);
    free(n2);
    skl_ledger_close(l2);
    skl_key_free(other);
    free(req);
    free(n);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_old_size_mismatch)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 3);
    size_t len3, len7;
    char *n3 = checkpoint(l, log_key, &len3);
    append(l, 3, 4);
    char *n7 = checkpoint(l, log_key, &len7);

    /* First contact must say old 0. */
    char *resp = submit(l, 2, n3, len3, SKL_ERR_STATE);
    ck_assert_str_eq(resp, "0\n");
    free(resp);
    free(submit(l, 0, n3, len3, SKL_OK));
    /* Held 3: old 2 and old 5 (valid proofs from those sizes) conflict, and say 3. */
    resp = submit(l, 2, n7, len7, SKL_ERR_STATE);
    ck_assert_str_eq(resp, "3\n");
    ck_assert_ptr_nonnull(strstr(why, "conflict (409): the witness has size 3"));
    free(resp);
    resp = submit(l, 5, n7, len7, SKL_ERR_STATE);
    ck_assert_str_eq(resp, "3\n");
    free(resp);
    /* old above the checkpoint's size is a bad request. */
    size_t reqlen;
    char *req = make_request(8, NULL, 0, n7, len7, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(why, "400"));
    free(req);
    /* Still held 3: the right request works. */
    resp = submit(l, 3, n7, len7, SKL_OK);
    free(resp);
    free(n3);
    free(n7);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_bad_proof)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 5);
    size_t len5, len13, reqlen;
    char *n5 = checkpoint(l, log_key, &len5);
    append(l, 5, 8);
    char *n13 = checkpoint(l, log_key, &len13), *req, *resp;
    free(submit(l, 0, n5, len5, SKL_OK));

    uint8_t proof[SKL_MERKLE_MAX_PROOF + 1][32];
    size_t count;
    ck_assert_int_eq(skl_ledger_consistency_proof(l, 5, 13, proof, &count), SKL_OK);
    ck_assert_uint_ge(count, 3);
    const uint8_t(*p)[32] = (const uint8_t(*)[32])proof;

    /* Each hash altered in turn. */
    for (size_t i = 0; i < count; i++) {
        proof[i][7] ^= 0x40;
        req = make_request(5, p, count, n13, len13, &reqlen);
        ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
        ck_assert_ptr_nonnull(strstr(why, "422"));
        free(req);
        proof[i][7] ^= 0x40;
    }
    /* Dropped: the last hash, the first hash, all of them. */
    req = make_request(5, p, count - 1, n13, len13, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    req = make_request(5, p + 1, count - 1, n13, len13, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    req = make_request(5, p, 0, n13, len13, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    /* An extra hash, and two swapped. */
    memcpy(proof[count], proof[0], 32);
    req = make_request(5, p, count + 1, n13, len13, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    uint8_t tmp[32];
    memcpy(tmp, proof[0], 32);
    memcpy(proof[0], proof[1], 32);
    memcpy(proof[1], tmp, 32);
    req = make_request(5, p, count, n13, len13, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    memcpy(proof[1], proof[0], 32);
    memcpy(proof[0], tmp, 32);
    /* A proof with equal sizes must be empty. */
    req = make_request(5, p, 1, n5, len5, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    /* The witness still holds 5: the true proof passes. */
    req = make_request(5, p, count, n13, len13, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_OK);
    free(resp);
    free(req);
    free(n5);
    free(n13);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_rollback)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 3);
    size_t len3, len7, reqlen;
    char *n3 = checkpoint(l, log_key, &len3);
    append(l, 3, 4);
    char *n7 = checkpoint(l, log_key, &len7), *resp, *req;
    free(submit(l, 0, n7, len7, SKL_OK));

    /* Back to 3, whatever old size the request claims. */
    resp = submit(l, 0, n3, len3, SKL_ERR_STATE);
    ck_assert_ptr_nonnull(strstr(why, "rollback"));
    ck_assert_ptr_nonnull(strstr(why, "409"));
    ck_assert_str_eq(resp, "7\n");
    free(resp);
    resp = submit(l, 3, n3, len3, SKL_ERR_STATE);
    ck_assert_ptr_nonnull(strstr(why, "rollback"));
    free(resp);
    req = make_request(7, NULL, 0, n3, len3, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(why, "400"));
    free(req);
    size_t slen;
    char *s = read_state(&slen);
    ck_assert_ptr_nonnull(strstr(s, ORIGIN " 7 "));
    free(s);
    free(n3);
    free(n7);
    skl_ledger_close(l);
}
END_TEST

START_TEST(test_fork)
{
    /* Two ledgers under one log key and origin, equal up to 4 leaves, then apart. */
    skl_ledger *a = new_ledger("a.db", log_key), *b = new_ledger("b.db", log_key);
    append(a, 0, 4);
    append(b, 0, 4);
    size_t la4, lb4, la6, lb6, reqlen;
    char *a4 = checkpoint(a, log_key, &la4), *b4 = checkpoint(b, log_key, &lb4);
    append(a, 4, 2);
    append(b, 100, 2);
    char *a6 = checkpoint(a, log_key, &la6), *b6 = checkpoint(b, log_key, &lb6);
    uint8_t ra[32], rb[32];
    ck_assert_int_eq(skl_ledger_root(a, 4, ra), SKL_OK);
    ck_assert_int_eq(skl_ledger_root(b, 4, rb), SKL_OK);
    ck_assert_mem_eq(ra, rb, 32);
    ck_assert_int_eq(skl_ledger_root(a, 6, ra), SKL_OK);
    ck_assert_int_eq(skl_ledger_root(b, 6, rb), SKL_OK);
    ck_assert_mem_ne(ra, rb, 32);

    /* Both prefixes are the same tree: B's 4 after A's 4 is fine. */
    free(submit(a, 0, a4, la4, SKL_OK));
    free(submit(b, 4, b4, lb4, SKL_OK));
    /* The witness follows A to 6; B's 6 at the same size is a fork (409). */
    free(submit(a, 4, a6, la6, SKL_OK));
    char *resp = submit(b, 6, b6, lb6, SKL_ERR_STATE);
    ck_assert_ptr_null(resp);
    ck_assert_ptr_nonnull(strstr(why, "fork"));
    ck_assert_ptr_nonnull(strstr(why, "409"));

    /* A fresh witness on B's branch at 4, then A's proof 4 -> 6 against B's 6 fails (422). */
    ck_assert_int_eq(unlink(state), 0);
    free(submit(b, 0, b4, lb4, SKL_OK));
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
    size_t count;
    ck_assert_int_eq(skl_ledger_consistency_proof(a, 4, 6, proof, &count), SKL_OK);
    char *req = make_request(4, (const uint8_t(*)[32])proof, count, b6, lb6, &reqlen);
    free(submit(b, 4, b6, lb6, SKL_OK)); /* B's true proof passes... */
    ck_assert_int_eq(unlink(state), 0);
    free(submit(a, 0, a4, la4, SKL_OK)); /* ...a witness at 4 with B's proof to A's 6: */
    ck_assert_int_eq(skl_ledger_consistency_proof(b, 4, 6, proof, &count), SKL_OK);
    free(req);
    req = make_request(4, (const uint8_t(*)[32])proof, count, a6, la6, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_VERIFY);
    free(req);
    req = make_request(4, (const uint8_t(*)[32])proof, count, b6, lb6, &reqlen);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_OK); /* B's 6 is B's */
    free(resp);
    /* ...and now A's 6 is a fork at the same size. */
    resp = submit(a, 6, a6, la6, SKL_ERR_STATE);
    ck_assert_ptr_nonnull(strstr(why, "fork"));
    free(req);
    free(a4);
    free(b4);
    free(a6);
    free(b6);
    skl_ledger_close(a);
    skl_ledger_close(b);
}
END_TEST

START_TEST(test_malformed_request)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 3);
    size_t len, reqlen;
    char *n = checkpoint(l, log_key, &len), *req = NULL, *resp = NULL;
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 0, n, len), SKL_OK);

    /* Every truncation fails, except the one that ends right after the log's own 0x01
     * line (a note with fewer signatures is still a valid request). */
    const char *l1 = strstr(req, "\n\n\xe2\x80\x94") + 2;
    ck_assert_ptr_nonnull(l1 = strchr(l1, '\n'));
    size_t valid_cut = (size_t)(l1 + 1 - req);
    for (size_t k = 0; k < reqlen; k++) {
        if (k == valid_cut)
            continue;
        char *cut = malloc(k + 1);
        memcpy(cut, req, k);
        cut[k] = '\0';
        skl_err r = cosign(log_vkey, cut, k, NOW, &resp);
        ck_assert_msg(r == SKL_ERR_PARSE, "cut at %zu: %s", k, skl_strerror(r));
        ck_assert_ptr_null(resp);
        free(cut);
    }
    ck_assert_int_eq(access(state, F_OK), -1);

    /* Hand-made bad ones. */
    skl_buf b = SKL_BUF_INIT;
    const char *heads[] = {
        "old 00\n\n",
        "old -1\n\n",
        "old +1\n\n",
        "old 18446744073709551616\n\n",
        "Old 0\n\n",
        "old  0\n\n",
        "old 0 \n\n",
        "old 0\r\n\n",
        "\nold 0\n\n",
        "old 0\n",         /* no empty line: note as proof */
        "old 0\nAAAA\n\n", /* a short hash */
        "old 0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n", /* a proof with old 0 */
        "old 3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n\n", /* non-canonical base64 */
        "old 3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \n\n",
        "old 3\n\n\n",
    };
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        skl_buf_reset(&b);
        skl_buf_puts(&b, heads[i]);
        skl_buf_append(&b, n, len);
        skl_err r = cosign(log_vkey, b.data, b.len, NOW, &resp);
        ck_assert_msg(r == SKL_ERR_PARSE, "%zu: %s", i, skl_strerror(r));
        ck_assert_ptr_nonnull(strstr(why, "400"));
    }
    /* 64 proof lines. */
    skl_buf_reset(&b);
    skl_buf_puts(&b, "old 3\n");
    for (int i = 0; i < 64; i++)
        skl_buf_puts(&b, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    skl_buf_putc(&b, '\n');
    skl_buf_append(&b, n, len);
    ck_assert_int_eq(cosign(log_vkey, b.data, b.len, NOW, &resp), SKL_ERR_PARSE);
    ck_assert_ptr_nonnull(strstr(why, "63"));
    /* The checkpoint text alone, and a signed note that is not a checkpoint. */
    skl_buf_reset(&b);
    skl_buf_puts(&b, "old 0\n\n");
    skl_buf_append(&b, n, strstr(n, "\n\n") + 1 - n);
    ck_assert_int_eq(cosign(log_vkey, b.data, b.len, NOW, &resp), SKL_ERR_PARSE);
    char *hello = NULL;
    size_t hlen;
    ck_assert_int_eq(skl_note_sign(&hello, &hlen, "hello\n", 6, ORIGIN, skl_key_secret(log_key)),
                     SKL_OK);
    skl_buf_reset(&b);
    skl_buf_puts(&b, "old 0\n\n");
    skl_buf_append(&b, hello, hlen);
    ck_assert_int_eq(cosign(log_vkey, b.data, b.len, NOW, &resp), SKL_ERR_PARSE);
    free(hello);
    /* A NUL inside. */
    skl_buf_reset(&b);
    skl_buf_puts(&b, "old 0\n\n");
    skl_buf_append(&b, n, len);
    b.data[10] = '\0';
    ck_assert_int_eq(cosign(log_vkey, b.data, b.len, NOW, &resp), SKL_ERR_PARSE);
    skl_buf_free(&b);
    ck_assert_int_eq(access(state, F_OK), -1);
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_PARSE), 400);
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_NOTFOUND), 404);
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_STATE), 409);
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_VERIFY), 422);
    ck_assert_int_eq(skl_witness_http_status(SKL_OK), 200);
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_IO), 500);
    free(req);
    free(n);
    skl_ledger_close(l);
}
END_TEST

/* ---- the state file -------------------------------------------------------------------- */

static void
write_state(const char *data, size_t len)
{
    FILE *f = fopen(state, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* Writes a state whose text is `text`, signed by key k. */
static void
write_signed_state(const char *text, const skl_key *k)
{
    char *s = NULL;
    size_t slen;
    ck_assert_int_eq(
        skl_note_sign(&s, &slen, text, strlen(text), skl_key_name(k), skl_key_secret(k)), SKL_OK);
    write_state(s, slen);
    free(s);
}

START_TEST(test_state_file)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 3);
    size_t len3, len7, slen, reqlen;
    char *n3 = checkpoint(l, log_key, &len3);
    append(l, 3, 4);
    char *n7 = checkpoint(l, log_key, &len7), *req = NULL, *resp;
    free(submit(l, 0, n3, len3, SKL_OK));
    char *good = read_state(&slen);
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 3, n7, len7), SKL_OK);

    /* Known bytes: header, one line, the witness's signature. */
    uint8_t root[32];
    ck_assert_int_eq(skl_ledger_root(l, 3, root), SKL_OK);
    skl_buf want = SKL_BUF_INIT;
    skl_buf_puts(&want, "skl-witness-state/v1\n" ORIGIN " 3 ");
    skl_buf_base64(&want, root, 32);
    skl_buf_printf(&want, " %s\n", log_vkey);
    char *signed_want = NULL;
    size_t wlen;
    ck_assert_int_eq(
        skl_note_sign(&signed_want, &wlen, want.data, want.len, WNAME, skl_key_secret(wkey)),
        SKL_OK);
    ck_assert_uint_eq(wlen, slen);
    ck_assert_mem_eq(good, signed_want, slen);
    free(signed_want);

    /* Every single-byte change, truncation and a foreign signer are refused as corrupt. */
    for (size_t i = 0; i < slen; i += 7) {
        good[i] ^= 1;
        write_state(good, slen);
        ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_CORRUPT);
        ck_assert_ptr_nonnull(strstr(why, "state file"));
        good[i] ^= 1;
    }
    write_state(good, slen - 1);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_CORRUPT);
    write_state("", 0);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_CORRUPT);
    write_signed_state(want.data, issuer);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_CORRUPT);
    ck_assert_int_eq(skl_witness_http_status(SKL_ERR_CORRUPT), 500);

    /* Signed by the witness but malformed: the parse is strict. */
    const char *bad_lines[] = {
        " 3 ",                  /* empty origin */
        ORIGIN " 03 ",          /* leading zero */
        ORIGIN "  3 ",          /* two spaces */
        "other.example/log 3 ", /* origin is not the vkey's name */
    };
    for (size_t i = 0; i < sizeof bad_lines / sizeof *bad_lines; i++) {
        skl_buf t = SKL_BUF_INIT;
        skl_buf_puts(&t, "skl-witness-state/v1\n");
        skl_buf_puts(&t, bad_lines[i]);
        skl_buf_base64(&t, root, 32);
        skl_buf_printf(&t, " %s\n", log_vkey);
        write_signed_state(t.data, wkey);
        ck_assert_msg(cosign(log_vkey, req, reqlen, NOW, &resp) == SKL_ERR_CORRUPT, "line %zu", i);
        skl_buf_free(&t);
    }
    /* A duplicate line, and a wrong header. */
    skl_buf t = SKL_BUF_INIT;
    skl_buf_append(&t, want.data, want.len);
    skl_buf_append(&t, want.data + 21, want.len - 21);
    write_signed_state(t.data, wkey);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_CORRUPT);
    skl_buf_free(&t);
    write_signed_state("skl-witness-state/v2\n", wkey);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_ERR_CORRUPT);

    /* A state written by hand to the same bytes works; a second log sorts around it. */
    write_signed_state(want.data, wkey);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW, &resp), SKL_OK);
    free(resp);
    uint8_t seed[32];
    memset(seed, 7, 32);
    skl_key *k2 = NULL;
    ck_assert_int_eq(skl_key_from_seed(&k2, seed, "a.example/log"), SKL_OK);
    char *vk2 = NULL, *path = NULL, *n2 = NULL, *req2 = NULL;
    ck_assert_int_eq(
        skl_note_vkey_format(&vk2, "a.example/log", SKL_NOTE_KEY_ED25519, skl_key_public(k2)),
        SKL_OK);
    skl_ledger *l2 = NULL;
    ck_assert_int_eq(asprintf(&path, "%s/c.db", dir) > 0, 1);
    ck_assert_int_eq(skl_ledger_create(&l2, path, "a.example/log", k2), SKL_OK);
    skl_ledger_set_time(l2, T0);
    append(l2, 0, 1);
    size_t len2;
    ck_assert_int_eq(skl_ledger_checkpoint(l2, k2, &n2, &len2), SKL_OK);
    ck_assert_int_eq(skl_witness_request(&req2, &reqlen, l2, 0, n2, len2), SKL_OK);
    ck_assert_int_eq(cosign(vk2, req2, reqlen, NOW, &resp), SKL_OK);
    free(resp);
    size_t nlen;
    char *now_state = read_state(&nlen);
    ck_assert_int_eq(strncmp(now_state, "skl-witness-state/v1\na.example/log 1 ", 37), 0);
    ck_assert_ptr_nonnull(strstr(now_state, "\n" ORIGIN " 7 "));
    free(now_state);
    /* A symbolic link is not followed. */
    char link[4200];
    snprintf(link, sizeof link, "%s/link.state", dir);
    ck_assert_int_eq(symlink(state, link), 0);
    ck_assert_int_eq(
        skl_witness_cosign(&resp, &len2, link, wkey, vk2, req2, reqlen, NOW, why, sizeof why),
        SKL_ERR_IO);
    skl_ledger_close(l2);
    skl_key_free(k2);
    free(vk2);
    free(path);
    free(n2);
    free(req2);
    skl_buf_free(&want);
    free(good);
    free(req);
    free(n3);
    free(n7);
    skl_ledger_close(l);
}
END_TEST

/* ---- keeping the cosignature ------------------------------------------------------------ */

START_TEST(test_add_cosignature)
{
    skl_ledger *l = new_ledger("a.db", log_key);
    append(l, 0, 2);
    size_t len, olen, olen2;
    char *n = checkpoint(l, log_key, &len), *out = NULL, *out2 = NULL;
    char *resp = submit(l, 0, n, len, SKL_OK);
    ck_assert_int_eq(skl_witness_add_cosignature(&out, &olen, n, len, resp, strlen(resp)), SKL_OK);
    ck_assert_uint_eq(olen, len + strlen(resp));
    ck_assert_mem_eq(out, n, len);
    ck_assert_str_eq(out + len, resp);
    free(resp);

    /* A later cosignature replaces the witness's line, it does not add a second. */
    char *req = NULL;
    size_t reqlen;
    ck_assert_int_eq(skl_witness_request(&req, &reqlen, l, 2, out, olen), SKL_OK);
    ck_assert_int_eq(cosign(log_vkey, req, reqlen, NOW + 5, &resp), SKL_OK);
    ck_assert_int_eq(skl_witness_add_cosignature(&out2, &olen2, out, olen, resp, strlen(resp)),
                     SKL_OK);
    ck_assert_uint_eq(olen2, olen);
    ck_assert_str_eq(out2 + len, resp);
    check_cosigned(n, len, resp, NOW + 5);
    free(out2);

    /* Not cosignature lines. */
    const char *bad[] = {"", "\n", "garbage\n", "\xe2\x80\x94 w AAAA\n",
                         "\xe2\x80\x94 w AAAAAAAA\n\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_int_eq(skl_witness_add_cosignature(&out2, &olen2, n, len, bad[i], strlen(bad[i])),
                         SKL_ERR_PARSE);
    ck_assert_int_eq(skl_witness_add_cosignature(&out2, &olen2, n, len, resp, strlen(resp) - 1),
                     SKL_ERR_PARSE);
    /* The log's own 0x01 line is of the wrong length for a cosignature. */
    const char *logline = strstr(n, "\n\n") + 2;
    size_t ll = (size_t)(strchr(logline, '\n') + 1 - logline);
    ck_assert_int_eq(skl_witness_add_cosignature(&out2, &olen2, n, len, logline, ll),
                     SKL_ERR_PARSE);
    ck_assert_int_eq(skl_witness_add_cosignature(&out2, &olen2, "x\n", 2, resp, strlen(resp)),
                     SKL_ERR_PARSE);
    ck_assert_ptr_null(out2);
    free(resp);
    free(req);
    free(out);
    free(n);
    skl_ledger_close(l);
}
END_TEST

Suite *witness_suite(void);

Suite *
witness_suite(void)
{
    Suite *s = suite_create("witness");
    TCase *tc = tcase_create("witness");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_request_format);
    tcase_add_test(tc, test_flow);
    tcase_add_test(tc, test_future_dated);
    tcase_add_test(tc, test_wrong_log_key);
    tcase_add_test(tc, test_old_size_mismatch);
    tcase_add_test(tc, test_bad_proof);
    tcase_add_test(tc, test_rollback);
    tcase_add_test(tc, test_fork);
    tcase_add_test(tc, test_malformed_request);
    tcase_add_test(tc, test_state_file);
    tcase_add_test(tc, test_add_cosignature);
    suite_add_tcase(s, tc);
    return s;
}
