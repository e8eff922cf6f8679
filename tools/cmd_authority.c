/* cmd_authority.c - skl authority init, skl issuer enroll, skl revoke / skl issuer revoke. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "skl/authority.h"
#include "skl/build.h"
#include "skl/cert.h"
#include "skl/vc.h"

#define YEAR (365 * 86400LL)

/* Writes text to a new file (never over an existing one). */
static int
write_new(const char *path, const char *text, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return cli_fail("%s: %s", path, errno == EEXIST ? "already exists" : strerror(errno));
    ssize_t w = write(fd, text, len);
    if (w < 0 || (size_t)w != len || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        return cli_fail("%s: %s", path, strerror(e));
    }
    close(fd);
    return EXIT_OK;
}

int
cmd_authority(int argc, char **argv)
{
    const char *usage = "usage: skl authority init --dir DIR --name NAME [--until DATE]";
    if (argc < 2 || strcmp(argv[1], "init") != 0)
        return cli_fail("%s", usage);
    struct opts o;
    if (cli_parse(&o, argc - 1, argv + 1, "authority init", "dir name until pass-file json") != 0)
        return EXIT_TROUBLE;
    if (o.dir == NULL || o.name == NULL || o.nargs != 0)
        return cli_fail("%s", usage);
    int64_t now = (int64_t)time(NULL), until = now + 20 * YEAR;
    if (o.until != NULL && cli_time(o.until, "--until", &until) != 0)
        return EXIT_TROUBLE;
    if (mkdir(o.dir, 0700) != 0 && errno != EEXIST)
        return cli_fail("%s: %s", o.dir, strerror(errno));
    char kpath[4096], cpath[4096], why[256];
    snprintf(kpath, sizeof kpath, "%s/authority.key", o.dir);
    snprintf(cpath, sizeof cpath, "%s/authority.pem", o.dir);
    int err = 0;
    char *pass = cli_passphrase(&o, &err);
    if (err)
        return EXIT_TROUBLE;
    if (pass == NULL)
        fprintf(stderr, "skl: warning: no passphrase (SKL_PASSPHRASE or --pass-file): the "
                        "authority key is stored unencrypted; fit only for a demo\n");
    skl_key *k = NULL;
    char *pem = NULL;
    size_t pemlen;
    int rc = EXIT_TROUBLE, r;
    if ((r = skl_key_generate(&k, "authority")) != SKL_OK) {
        cli_fail("cannot make a key: %s", skl_strerror(r));
        goto out;
    }
    if ((r = skl_cert_make_root(&pem, &pemlen, k, o.name, now - 60, until, why, sizeof why)) !=
        SKL_OK) {
        cli_fail("cannot make the root certificate: %s: %s", skl_strerror(r), why);
        goto out;
    }
    if ((r = skl_key_save(k, kpath, pass)) != SKL_OK) {
        cli_fail("%s: %s", kpath,
                 r == SKL_ERR_EXISTS ? "already exists; an authority key is never overwritten"
                                     : skl_strerror(r));
        goto out;
    }
    if (write_new(cpath, pem, pemlen, 0644) != EXIT_OK) {
        unlink(kpath);
        goto out;
    }
    if (o.json) {
        printf("{\"did\":\"%s\",\"key\":", skl_key_did(k));
        cli_json_string(stdout, kpath, strlen(kpath));
        printf(",\"certificate\":");
        cli_json_string(stdout, cpath, strlen(cpath));
        printf("}\n");
    } else {
        printf("authority %s\nkey %s\ncertificate %s\n", skl_key_did(k), kpath, cpath);
    }
    rc = EXIT_OK;
out:
    cli_pass_free(pass);
    free(pem);
    skl_key_free(k);
    return rc;
}

/* Signs json with k and appends it alone; prints why on failure. */
static int
sign_and_append(skl_ledger *l, const skl_key *k, const char *json, size_t len, uint64_t *index)
{
    char *signed_cred = NULL, why[256];
    size_t slen;
    int r = skl_vc_sign(&signed_cred, &slen, json, len, k, NULL, why, sizeof why);
    if (r != SKL_OK)
        return cli_fail("cannot sign: %s", why);
    skl_ledger_item item;
    const char *texts[1] = {signed_cred};
    r = skl_ledger_append(l, texts, &slen, 1, &item, 1);
    free(signed_cred);
    if (r == SKL_ERR_VERIFY && item.err != SKL_OK) {
        cli_fail("refused: %s", item.why);
        return EXIT_INVALID;
    }
    if (r != SKL_OK)
        return cli_ledger_fail(l, "append", r);
    *index = item.index;
    return EXIT_OK;
}

static int
issuer_enroll(int argc, char **argv)
{
    const char *usage = "usage: skl issuer enroll --db DB --authority-key FILE --did DID "
                        "--name NAME --scope FILE --directory DIR --cert-out FILE "
                        "[--from DATE] [--until DATE]";
    struct opts o;
    if (cli_parse(&o, argc, argv, "issuer enroll",
                  "db authority-key did name scope directory cert-out from until pass-file "
                  "json") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.authority_key || !o.did || !o.name || !o.scope || !o.directory || !o.cert_out ||
        o.nargs != 0)
        return cli_fail("%s", usage);
    int64_t from = (int64_t)time(NULL), until;
    if (o.from && cli_time(o.from, "--from", &from) != 0)
        return EXIT_TROUBLE;
    until = from + 3 * YEAR; /* the default term of an accreditation */
    if (o.until && cli_time(o.until, "--until", &until) != 0)
        return EXIT_TROUBLE;
    uint8_t pub[32];
    if (skl_did_key_decode(pub, o.did) != SKL_OK)
        return cli_fail("--did: \"%s\" is not an Ed25519 did:key", o.did);
    size_t scope_len;
    char *scope = cli_read(o.scope, SKL_CERT_SCOPE_MAX, &scope_len);
    if (scope == NULL)
        return EXIT_TROUBLE;
    skl_ledger *l = NULL;
    skl_key *k = NULL;
    skl_cert *root = NULL, *cert = NULL;
    char *root_pem = NULL, *pem = NULL, *cred = NULL, why[256];
    size_t len, pemlen, credlen;
    int rc = EXIT_TROUBLE, r;
    if ((l = cli_open_ledger(o.db)) == NULL)
        goto out;
    if (skl_ledger_authority(l, &root_pem, &len) != SKL_OK) {
        cli_fail("%s: this ledger has no authority root (skl ledger init --authority)", o.db);
        goto out;
    }
    if (skl_cert_parse(&root, root_pem, len, why, sizeof why) != SKL_OK) {
        cli_fail("%s: the ledger's authority root: %s", o.db, why);
        goto out;
    }
    if ((k = cli_load_key(&o, o.authority_key)) == NULL)
        goto out;
    if (until > skl_cert_not_after(root))
        until = skl_cert_not_after(root);
    r = skl_cert_issue(&pem, &pemlen, k, root, pub, o.name, from, until, scope, scope_len, why,
                       sizeof why);
    if (r == SKL_ERR_KEY) {
        cli_fail("%s: not the key of this ledger's authority root", o.authority_key);
        goto out;
    }
    if (r != SKL_OK) {
        cli_fail("cannot issue the certificate: %s: %s", skl_strerror(r), why);
        goto out;
    }
    if (skl_cert_parse(&cert, pem, pemlen, why, sizeof why) != SKL_OK ||
        skl_accreditation_build(&cred, &credlen, cert, skl_key_did(k), skl_cert_name(root),
                                o.directory, why, sizeof why) != SKL_OK) {
        cli_fail("cannot build the accreditation: %s", why);
        goto out;
    }
    uint64_t index;
    if ((rc = sign_and_append(l, k, cred, credlen, &index)) != EXIT_OK)
        goto out;
    /* The accreditation is in the ledger; the certificate file is the issuer's copy. */
    if ((rc = write_new(o.cert_out, pem, pemlen, 0644)) != EXIT_OK)
        fprintf(stderr, "skl: the accreditation is at index %llu and embeds the certificate\n",
                (unsigned long long)index);
    char *id = strstr(cred, "\"id\":\"urn:uuid:");
    if (o.json)
        printf("{\"index\":%llu,\"accreditation\":\"%.45s\",\"serial\":\"%s\"}\n",
               (unsigned long long)index, id ? id + 6 : "", skl_cert_serial(cert));
    else
        printf("enrolled %s\naccreditation %.45s at index %llu\ncertificate %s (serial %s)\n",
               o.name, id ? id + 6 : "", (unsigned long long)index, o.cert_out,
               skl_cert_serial(cert));
out:
    free(scope);
    free(root_pem);
    free(pem);
    free(cred);
    skl_cert_free(root);
    skl_cert_free(cert);
    skl_key_free(k);
    skl_ledger_close(l);
    return rc;
}

/* skl revoke (an issuer revokes its own credential) and skl issuer revoke (the authority
 * revokes an accreditation): one revocation credential signed by key_path. */
static int
append_revocation(struct opts *o, const char *key_path)
{
    skl_ledger *l = NULL;
    skl_key *k = NULL;
    char *json = NULL, why[256];
    size_t len;
    int rc = EXIT_TROUBLE;
    if ((l = cli_open_ledger(o->db)) == NULL || (k = cli_load_key(o, key_path)) == NULL)
        goto out;
    skl_field f[6];
    size_t n = 0;
    f[n++] = (skl_field){"kind", "revocation"};
    f[n++] = (skl_field){"issuer", skl_key_did(k)};
    f[n++] = (skl_field){"issuerName", o->name ? o->name : skl_key_name(k)};
    f[n++] = (skl_field){"target", o->target};
    f[n++] = (skl_field){"reason", o->reason};
    if (o->effective)
        f[n++] = (skl_field){"effective", o->effective};
    if (skl_credential_build(&json, &len, f, n, why, sizeof why) != SKL_OK) {
        cli_fail("cannot build the revocation: %s", why);
        goto out;
    }
    uint64_t index;
    if ((rc = sign_and_append(l, k, json, len, &index)) != EXIT_OK)
        goto out;
    if (o->json)
        printf("{\"index\":%llu,\"revoked\":", (unsigned long long)index);
    else
        printf("revoked %s at index %llu\n", o->target, (unsigned long long)index);
    if (o->json) {
        cli_json_string(stdout, o->target, strlen(o->target));
        printf("}\n");
    }
out:
    free(json);
    skl_key_free(k);
    skl_ledger_close(l);
    return rc;
}

int
cmd_revoke(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "revoke", "db key target reason effective name pass-file json") !=
        0)
        return EXIT_TROUBLE;
    if (!o.db || !o.key || !o.target || !o.reason || o.nargs != 0)
        return cli_fail("usage: skl revoke --db DB --key FILE --target ID --reason TEXT "
                        "[--effective TIME]");
    return append_revocation(&o, o.key);
}

int
cmd_issuer(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "enroll") == 0)
        return issuer_enroll(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "revoke") == 0) {
        struct opts o;
        if (cli_parse(&o, argc - 1, argv + 1, "issuer revoke",
                      "db authority-key target reason effective name pass-file json") != 0)
            return EXIT_TROUBLE;
        if (!o.db || !o.authority_key || !o.target || !o.reason || o.nargs != 0)
            return cli_fail("usage: skl issuer revoke --db DB --authority-key FILE --target "
                            "ACCREDITATION_ID --reason TEXT [--effective TIME]");
        return append_revocation(&o, o.authority_key);
    }
    return cli_fail("usage: skl issuer enroll ... | skl issuer revoke ... (see skl help issuer)");
}
