/* cmd_key.c - skl keygen, sign and verify-credential: keys and credentials on their own. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "skl/err.h"
#include "skl/note.h"
#include "skl/vc.h"

int
cmd_keygen(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "keygen", "out name pass-file json") != 0)
        return EXIT_TROUBLE;
    if (o.out == NULL || o.nargs != 0)
        return cli_fail("usage: skl keygen --out FILE [--name NAME] [--pass-file FILE] [--json]");
    int err, rc = EXIT_TROUBLE;
    skl_key *k = NULL;
    char *did = NULL, *vkey = NULL, *cosig = NULL;
    char *pass = cli_passphrase(&o, &err);
    if (err)
        return EXIT_TROUBLE;
    int r = skl_key_generate(&k, o.name ? o.name : "skl-key");
    if (r == SKL_ERR_INVAL) {
        cli_fail("keygen: bad --name: 1 to %d printable bytes, no spaces and no '+'",
                 SKL_KEY_NAME_MAX);
        goto out;
    }
    if (r != SKL_OK) {
        cli_fail("keygen: %s", skl_strerror(r));
        goto out;
    }
    errno = 0;
    if ((r = skl_key_save(k, o.out, pass)) != SKL_OK) {
        if (r == SKL_ERR_EXISTS)
            cli_fail("%s: already exists; a key file is never overwritten", o.out);
        else
            cli_fail("%s: cannot write key: %s", o.out,
                     r == SKL_ERR_IO && errno ? strerror(errno) : skl_strerror(r));
        goto out;
    }
    if (pass == NULL)
        fprintf(stderr,
                "skl: warning: %s is not encrypted; set SKL_PASSPHRASE or --pass-file "
                "to protect it\n",
                o.out);
    if ((did = strdup(skl_key_did(k))) == NULL ||
        skl_note_vkey_format(&vkey, skl_key_name(k), SKL_NOTE_KEY_ED25519, skl_key_public(k)) !=
            SKL_OK ||
        skl_note_vkey_format(&cosig, skl_key_name(k), SKL_NOTE_KEY_COSIGNATURE,
                             skl_key_public(k)) != SKL_OK) {
        cli_fail("keygen: out of memory");
        goto out;
    }
    if (o.json) {
        printf("{\"cosignatureVkey\":");
        cli_json_string(stdout, cosig, strlen(cosig));
        printf(",\"didKey\":");
        cli_json_string(stdout, did, strlen(did));
        printf(",\"file\":");
        cli_json_string(stdout, o.out, strlen(o.out));
        printf(",\"vkey\":");
        cli_json_string(stdout, vkey, strlen(vkey));
        printf("}\n");
    } else {
        printf("%s\n%s\n", did, vkey);
    }
    rc = EXIT_OK;
out:
    cli_pass_free(pass);
    skl_key_free(k);
    free(did);
    free(vkey);
    free(cosig);
    return rc;
}

int
cmd_sign(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "sign", "key created pass-file") != 0)
        return EXIT_TROUBLE;
    if (o.key == NULL || o.nargs != 1)
        return cli_fail(
            "usage: skl sign --key FILE [--created YYYY-MM-DDThh:mm:ssZ] CREDENTIAL.json");
    size_t len, outlen;
    char *text = cli_read(o.args[0], SKL_VC_MAX_TEXT, &len), *out = NULL, why[256];
    if (text == NULL)
        return EXIT_TROUBLE;
    skl_key *k = cli_load_key(&o, o.key);
    if (k == NULL) {
        free(text);
        return EXIT_TROUBLE;
    }
    int r = skl_vc_sign(&out, &outlen, text, len, k, o.created, why, sizeof why);
    skl_key_free(k);
    free(text);
    if (r != SKL_OK)
        return cli_fail("%s: cannot sign: %s", o.args[0], why);
    fwrite(out, 1, outlen, stdout);
    fputc('\n', stdout);
    free(out);
    return EXIT_OK;
}

int
cmd_verify_credential(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "verify-credential", "json") != 0)
        return EXIT_TROUBLE;
    if (o.nargs < 1)
        return cli_fail("usage: skl verify-credential [--json] FILE...");
    int rc = EXIT_OK, first = 1;
    if (o.json)
        printf("[");
    for (int f = 0; f < o.nargs; f++) {
        char **texts;
        size_t *lens, count;
        int is_array;
        if (cli_credentials(o.args[f], &texts, &lens, &count, &is_array) != 0) {
            rc = EXIT_TROUBLE;
            continue;
        }
        for (size_t i = 0; i < count; i++) {
            char why[256] = "", *did = NULL, where[4200];
            skl_vc_info info;
            int r = skl_vc_verify(texts[i], lens[i], &info, why, sizeof why);
            if (r == SKL_OK && skl_did_key_encode(&did, info.public_key) != SKL_OK)
                did = NULL;
            if (r != SKL_OK && rc == EXIT_OK)
                rc = EXIT_INVALID;
            if (is_array)
                snprintf(where, sizeof where, "%s[%zu]", o.args[f], i);
            else
                snprintf(where, sizeof where, "%s", o.args[f]);
            if (o.json) {
                printf("%s{\"file\":", first ? "" : ",");
                cli_json_string(stdout, o.args[f], strlen(o.args[f]));
                if (is_array)
                    printf(",\"item\":%zu", i);
                printf(",\"reason\":");
                cli_json_string(stdout, why, strlen(why));
                printf(",\"signer\":");
                if (did)
                    cli_json_string(stdout, did, strlen(did));
                else
                    printf("null");
                printf(",\"valid\":%s}", r == SKL_OK ? "true" : "false");
            } else if (r == SKL_OK) {
                printf("%s: valid, signed by %s\n", where, did ? did : "?");
            } else {
                printf("%s: invalid: %s\n", where, why);
            }
            first = 0;
            free(did);
        }
        cli_free_texts(texts, lens, count);
    }
    if (o.json)
        printf("]\n");
    return rc;
}
