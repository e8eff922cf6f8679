/*
 * cmd_witness.c - skl witness: a C2SP tlog-witness over files (spec/witness.md).
 *   request  (log side)     prints the add-checkpoint request for a checkpoint of the ledger
 *   cosign   (witness side) checks a request against the witness's state, prints its line
 *   attach   (log side)     adds the witness's line(s) to the checkpoint note
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "skl/note.h"
#include "skl/witness.h"

#define USAGE_REQUEST "skl witness request --db DB [--from OLD] [CHECKPOINT_FILE]"
#define USAGE_COSIGN                                                                               \
    "skl witness cosign --key WITNESS.key --vkey LOG_VKEY --out STATE [--pass-file FILE] "         \
    "[REQUEST_FILE]"
#define USAGE_ATTACH                                                                               \
    "skl witness attach [--vkey WITNESS_VKEY] [--db DB] CHECKPOINT_FILE RESPONSE_FILE"

static int
witness_request(int argc, char **argv)
{
    struct opts o;
    uint64_t old = 0;
    if (cli_parse(&o, argc, argv, "witness request", "db from") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.nargs > 1)
        return cli_fail("usage: " USAGE_REQUEST);
    if (o.from != NULL && cli_u64(o.from, "--from", &old) != 0)
        return EXIT_TROUBLE;
    const char *path = o.nargs == 1 ? o.args[0] : "-";
    size_t len = 0, reqlen = 0;
    char *note = cli_read(path, SKL_NOTE_MAX_LEN, &len), *req = NULL;
    if (note == NULL)
        return EXIT_TROUBLE;
    int rc = EXIT_TROUBLE;
    skl_ledger *l = cli_open_ledger(o.db);
    if (l == NULL)
        goto out;
    int r = skl_witness_request(&req, &reqlen, l, old, note, len);
    if (r == SKL_ERR_STATE) {
        cli_fail("witness request: %s is not a checkpoint of the ledger %s", path, o.db);
        goto out;
    }
    if (r == SKL_ERR_INVAL) {
        cli_fail("witness request: --from %llu is above the checkpoint's size",
                 (unsigned long long)old);
        goto out;
    }
    if (r != SKL_OK) {
        cli_fail("witness request: %s: %s", path, skl_strerror(r));
        goto out;
    }
    if (fwrite(req, 1, reqlen, stdout) != reqlen || fflush(stdout) != 0) {
        cli_fail("witness request: cannot write the request");
        goto out;
    }
    rc = EXIT_OK;
out:
    skl_ledger_close(l);
    free(note);
    free(req);
    return rc;
}

static int
witness_cosign(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "witness cosign", "key vkey out pass-file") != 0)
        return EXIT_TROUBLE;
    if (o.key == NULL || o.vkey == NULL || o.out == NULL || o.nargs > 1)
        return cli_fail("usage: " USAGE_COSIGN);
    const char *path = o.nargs == 1 ? o.args[0] : "-";
    int rc = EXIT_TROUBLE;
    size_t reqlen = 0, resplen = 0;
    char *vkey = NULL, *req = NULL, *resp = NULL, why[512];
    skl_key *k = NULL;
    if ((vkey = cli_vkey(o.vkey)) == NULL ||
        (req = cli_read(path, SKL_WITNESS_REQUEST_MAX, &reqlen)) == NULL ||
        (k = cli_load_key(&o, o.key)) == NULL)
        goto out;
    skl_err r = skl_witness_cosign(&resp, &resplen, o.out, k, vkey, req, reqlen,
                                   (int64_t)time(NULL), why, sizeof why);
    /* The response body: the cosignature, or the 409 body with the witness's size. */
    if (resp != NULL && (fwrite(resp, 1, resplen, stdout) != resplen || fflush(stdout) != 0)) {
        cli_fail("witness cosign: cannot write the response");
        goto out;
    }
    if (r == SKL_OK) {
        rc = EXIT_OK;
    } else {
        int status = skl_witness_http_status(r);
        fprintf(stderr, "skl: witness cosign: refused: %s\n", why);
        if (status == 500)
            rc = EXIT_TROUBLE;
        else
            rc = EXIT_INVALID;
    }
out:
    skl_key_free(k);
    free(vkey);
    free(req);
    free(resp);
    return rc;
}

static int
witness_attach(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "witness attach", "vkey db") != 0)
        return EXIT_TROUBLE;
    if (o.nargs != 2)
        return cli_fail("usage: " USAGE_ATTACH);
    int rc = EXIT_TROUBLE;
    size_t len = 0, rlen = 0, outlen = 0;
    char *note = NULL, *resp = NULL, *out = NULL, *vkey = NULL;
    skl_note *n = NULL;
    if ((note = cli_read(o.args[0], SKL_NOTE_MAX_LEN, &len)) == NULL ||
        (resp = cli_read(o.args[1], SKL_NOTE_MAX_LEN, &rlen)) == NULL)
        goto out;
    int r = skl_witness_add_cosignature(&out, &outlen, note, len, resp, rlen);
    if (r != SKL_OK) {
        cli_fail("witness attach: %s",
                 r == SKL_ERR_PARSE ? "not a signed note and cosignature lines" : skl_strerror(r));
        goto out;
    }
    if (o.vkey != NULL) {
        skl_note_verifier v;
        if ((vkey = cli_vkey(o.vkey)) == NULL)
            goto out;
        if (skl_note_vkey_parse(&v, vkey) != SKL_OK || v.type != SKL_NOTE_KEY_COSIGNATURE) {
            cli_fail("witness attach: --vkey is not a cosignature (type 0x04) vkey");
            goto out;
        }
        if ((r = skl_note_parse(&n, out, outlen)) != SKL_OK) {
            cli_fail("witness attach: %s", skl_strerror(r));
            goto out;
        }
        if ((r = skl_note_verify(n, &v, NULL)) != SKL_OK) {
            fprintf(stderr, "skl: witness attach: the witness's cosignature %s\n",
                    r == SKL_ERR_NOTFOUND ? "is missing" : "does not verify");
            rc = EXIT_INVALID;
            goto out;
        }
    }
    if (o.db != NULL) { /* the log keeps the witnessed note: exports hand it out */
        skl_ledger *l = cli_open_ledger(o.db);
        if (l == NULL)
            goto out;
        r = skl_ledger_store_witnessed(l, out, outlen);
        if (r != SKL_OK)
            cli_ledger_fail(l, "witness attach", r);
        skl_ledger_close(l);
        if (r != SKL_OK) {
            rc = r == SKL_ERR_VERIFY ? EXIT_INVALID : EXIT_TROUBLE;
            goto out;
        }
    }
    if (fwrite(out, 1, outlen, stdout) != outlen || fflush(stdout) != 0) {
        cli_fail("witness attach: cannot write the note");
        goto out;
    }
    rc = EXIT_OK;
out:
    skl_note_free(n);
    free(note);
    free(resp);
    free(out);
    free(vkey);
    return rc;
}

int
cmd_witness(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "request") == 0)
        return witness_request(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "cosign") == 0)
        return witness_cosign(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "attach") == 0)
        return witness_attach(argc - 1, argv + 1);
    return cli_fail("usage: " USAGE_REQUEST "\n       " USAGE_COSIGN "\n       " USAGE_ATTACH);
}
