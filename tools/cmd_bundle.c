/* cmd_bundle.c - skl export (a worker's bundle), skl verify (an employer's offline check),
 * skl policy (the trust policy a log operator publishes for employers). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "commands.h"
#include "skl/bundle.h"
#include "skl/json.h"
#include "skl/note.h"
#include "skl/trust.h"
#include "skl/vault.h"
#include "utc_int.h"

/* Writes len bytes to path ("-": stdout). */
static int
write_out(const char *path, const char *data, size_t len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    if (f == NULL)
        return cli_fail("%s: %s", path, strerror(errno));
    int ok = fwrite(data, 1, len, f) == len;
    ok = (f == stdout ? fflush(f) : fclose(f)) == 0 && ok;
    return ok ? EXIT_OK : cli_fail("%s: cannot write", path);
}

/* --format vc: the bundle's credentials as a JSON array of plain VCs. */
static int
write_vcs(const char *path, const char *bundle, size_t len)
{
    skl_json_doc *doc = NULL;
    char *one = NULL;
    size_t n;
    if (skl_json_parse(&doc, bundle, len, SKL_BUNDLE_MAX, NULL, 0) != SKL_OK)
        return cli_fail("internal: the bundle does not parse");
    const skl_json_value *creds = skl_json_get(skl_json_root(doc), "credentials");
    FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
    int rc = f ? EXIT_OK : cli_fail("%s: %s", path, strerror(errno));
    if (f != NULL)
        fputs("[", f);
    for (uint32_t i = 0; f != NULL && i < creds->n && rc == EXIT_OK; i++) {
        const skl_json_value *c =
            skl_json_get(skl_json_get(&creds->u.arr[i], "leaf"), "credential");
        if (skl_json_canonicalize(c, &one, &n) != SKL_OK)
            rc = cli_fail("out of memory");
        else
            fprintf(f, "%s%s", i ? "," : "", one);
        free(one);
        one = NULL;
    }
    if (f != NULL) {
        fputs("]\n", f);
        if ((f == stdout ? fflush(f) : fclose(f)) != 0)
            rc = cli_fail("%s: cannot write", path);
    }
    skl_json_free(doc);
    return rc;
}

/* --format tlog-proof: DIR/<index>.tlog-proof for each credential of the bundle. */
static int
write_tlog_proofs(skl_ledger *l, const char *dir, const char *bundle, size_t len)
{
    skl_json_doc *doc = NULL;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return cli_fail("%s: %s", dir, strerror(errno));
    if (skl_json_parse(&doc, bundle, len, SKL_BUNDLE_MAX, NULL, 0) != SKL_OK)
        return cli_fail("internal: the bundle does not parse");
    const skl_json_value *root = skl_json_root(doc);
    const skl_json_value *creds = skl_json_get(root, "credentials");
    uint64_t size = (uint64_t)skl_json_get(skl_json_get(root, "snapshot"), "index")->u.num + 1;
    int rc = EXIT_OK;
    for (uint32_t i = 0; i < creds->n && rc == EXIT_OK; i++) {
        uint64_t index = (uint64_t)skl_json_get(&creds->u.arr[i], "index")->u.num;
        char *proof = NULL, path[4096];
        size_t plen;
        int r = skl_ledger_tlog_proof(l, index, size, &proof, &plen);
        snprintf(path, sizeof path, "%s/%llu.tlog-proof", dir, (unsigned long long)index);
        rc = r != SKL_OK ? cli_ledger_fail(l, "tlog-proof", r) : write_out(path, proof, plen);
        free(proof);
    }
    skl_json_free(doc);
    return rc;
}

int
cmd_export(int argc, char **argv)
{
    const char *usage = "usage: skl export --db DB (--worker ID | --id-type TYPE --id-number N) "
                        "--out FILE [--disclose id,name] [--format bundle|vc|tlog-proof] "
                        "[CREDENTIAL_ID...]";
    struct opts o;
    if (cli_parse(&o, argc, argv, "export",
                  "db worker id-type id-number out disclose format vault-pass-file") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.out || (!o.worker && (!o.id_type || !o.id_number)))
        return cli_fail("%s", usage);
    const char *format = o.format ? o.format : "bundle";
    if (strcmp(format, "bundle") != 0 && strcmp(format, "vc") != 0 &&
        strcmp(format, "tlog-proof") != 0)
        return cli_fail("--format is bundle, vc or tlog-proof");
    int disclose = 0;
    if (o.disclose != NULL) {
        char list[64];
        snprintf(list, sizeof list, "%s", o.disclose);
        for (char *t = strtok(list, ","); t != NULL; t = strtok(NULL, ","))
            if (strcmp(t, "id") == 0)
                disclose |= SKL_BUNDLE_DISCLOSE_ID;
            else if (strcmp(t, "name") == 0)
                disclose |= SKL_BUNDLE_DISCLOSE_NAME;
            else
                return cli_fail("--disclose takes id and name, comma-separated");
        if (disclose == SKL_BUNDLE_DISCLOSE_NAME)
            return cli_fail("--disclose name needs id too: a name alone proves nothing");
    }
    skl_ledger *l = cli_open_ledger(o.db);
    skl_vault *v = l ? cli_open_vault(&o, l) : NULL;
    char *bundle = NULL, why[256];
    size_t len;
    int rc = EXIT_TROUBLE;
    if (v == NULL)
        goto out;
    int64_t worker = 0;
    uint64_t w;
    if (o.worker != NULL) {
        if (cli_u64(o.worker, "--worker", &w) != 0)
            goto out;
        worker = (int64_t)w;
    } else if (skl_vault_find_worker(v, o.id_type, o.id_number, &worker) != SKL_OK) {
        cli_fail("no worker with that %s in the vault", o.id_type);
        goto out;
    }
    int r = skl_bundle_export(&bundle, &len, l, v, worker, (const char *const *)o.args,
                              (size_t)o.nargs, disclose, why, sizeof why);
    if (r != SKL_OK) {
        cli_fail("export: %s%s%s", why, *skl_ledger_errmsg(l) ? ": " : "", skl_ledger_errmsg(l));
        goto out;
    }
    if (strcmp(format, "bundle") == 0)
        rc = write_out(o.out, bundle, len);
    else if (strcmp(format, "vc") == 0)
        rc = write_vcs(o.out, bundle, len);
    else
        rc = write_tlog_proofs(l, o.out, bundle, len);
out:
    if (bundle != NULL)
        sodium_memzero(bundle, len);
    free(bundle);
    skl_vault_close(v);
    skl_ledger_close(l);
    return rc;
}

int
cmd_refresh(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "refresh", "db out") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.out || o.nargs != 1)
        return cli_fail("usage: skl refresh --db DB --out NEW.bundle OLD.bundle");
    size_t len, nlen;
    char *old = cli_read(o.args[0], SKL_BUNDLE_MAX, &len), *bundle = NULL, why[256];
    skl_ledger *l = old ? cli_open_ledger(o.db) : NULL;
    int rc = EXIT_TROUBLE;
    if (l != NULL) {
        int r = skl_bundle_refresh(&bundle, &nlen, l, old, len, why, sizeof why);
        if (r == SKL_OK) {
            rc = write_out(o.out, bundle, nlen);
        } else {
            cli_fail("%s: %s", o.args[0], why);
            rc = r == SKL_ERR_VERIFY || r == SKL_ERR_SCHEMA ? EXIT_INVALID : EXIT_TROUBLE;
        }
    }
    if (bundle != NULL)
        sodium_memzero(bundle, nlen);
    free(bundle);
    if (old != NULL)
        sodium_memzero(old, len);
    free(old);
    skl_ledger_close(l);
    return rc;
}

/* ---- verify ------------------------------------------------------------------------------ */

static skl_trust *
load_policy(const char *path)
{
    size_t len;
    char *text = cli_read(path, SKL_TRUST_MAX_LEN, &len), why[256];
    skl_trust *t = NULL;
    if (text != NULL && skl_trust_parse(&t, text, len, why, sizeof why) != SKL_OK)
        cli_fail("%s: %s", path, why);
    free(text);
    return t;
}

static void
print_verdicts_json(int valid, const skl_bundle_basis *b, const skl_bundle_result *res, size_t n)
{
    char dated[21] = "";
    if (b->dated > 0)
        skl_utc_format(dated, b->dated);
    printf("{\"valid\":%s,\"checkpoint\":{\"valid\":%s,\"origin\":", valid ? "true" : "false",
           b->checkpoint_ok ? "true" : "false");
    cli_json_string(stdout, b->origin, strlen(b->origin));
    printf(",\"size\":%llu,\"dated\":", (unsigned long long)b->size);
    cli_json_string(stdout, dated, strlen(dated));
    printf(",\"witnesses\":%zu}", b->witnesses);
    if (b->disclosed) {
        printf(",\"holder\":{\"idType\":");
        cli_json_string(stdout, b->id_type, strlen(b->id_type));
        printf(",\"idNumber\":");
        cli_json_string(stdout, b->id_number, strlen(b->id_number));
        if (b->name[0] != '\0') {
            printf(",\"name\":");
            cli_json_string(stdout, b->name, strlen(b->name));
        }
        printf("}");
    }
    printf(",\"credentials\":[");
    for (size_t i = 0; i < n; i++) {
        const skl_bundle_result *x = &res[i];
        printf("%s{\"id\":", i ? "," : "");
        cli_json_string(stdout, x->id, strlen(x->id));
        printf(",\"kind\":");
        cli_json_string(stdout, x->kind, strlen(x->kind));
        printf(",\"title\":");
        cli_json_string(stdout, x->title, strlen(x->title));
        printf(",\"issuer\":");
        cli_json_string(stdout, x->issuer, strlen(x->issuer));
        printf(",\"date\":");
        cli_json_string(stdout, x->date, strlen(x->date));
        printf(",\"valid\":%s,\"reason\":", x->valid ? "true" : "false");
        cli_json_string(stdout, x->reason, strlen(x->reason));
        printf("}");
    }
    printf("]}\n");
}

/* The table an employer reads: whose credentials, as of which checkpoint, then one row each. */
static void
print_verdicts(int valid, const skl_bundle_basis *b, const skl_bundle_result *res, size_t n)
{
    /* The name is what the worker states; the document number opened each credential's
     * commitment (a credential it did not open says so in its row). */
    if (!b->disclosed)
        printf("持有人 holder:     未披露 not disclosed\n");
    else if (b->name[0] != '\0')
        printf("持有人 holder:     %s (姓名自述 name as stated), %s %s\n", b->name, b->id_type,
               b->id_number);
    else
        printf("持有人 holder:     %s %s\n", b->id_type, b->id_number);
    if (b->dated > 0) {
        char dated[21];
        skl_utc_format(dated, b->dated);
        printf("检查点 checkpoint: %s, %llu 条 leaves, %s, %zu 个见证 witnesses%s\n", b->origin,
               (unsigned long long)b->size, dated, b->witnesses,
               b->checkpoint_ok ? "" : " — 不可信 NOT trusted (see the reasons)");
    } else {
        printf("检查点 checkpoint: 不可信 NOT trusted (see the reasons)\n");
    }
    static const char *const head[] = {"#", "类型 kind", "名称 title", "发证机构 issuer",
                                       "日期 date"};
    static const int width[] = {3, 14, 30, 28, 10};
    for (size_t c = 0; c < 5; c++) {
        cli_column(stdout, head[c], width[c]);
        fputc(' ', stdout);
    }
    printf("结论 verdict\n");
    for (size_t i = 0; i < n; i++) {
        const skl_bundle_result *x = &res[i];
        char num[24], date[11];
        snprintf(num, sizeof num, "%zu", i + 1);
        snprintf(date, sizeof date, "%.10s", x->date);
        const char *cell[] = {num, x->kind, x->title, x->issuer, date};
        for (size_t c = 0; c < 5; c++) {
            cli_column(stdout, cell[c], width[c]);
            fputc(' ', stdout);
        }
        printf("%s%s%s\n", x->valid ? "有效 valid" : "无效 INVALID", x->valid ? "" : ": ",
               x->reason);
    }
    printf("%s\n", valid ? "全部有效 all valid" : "存在无效凭证 NOT all valid");
}

int
cmd_verify(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "verify", "policy json") != 0)
        return EXIT_TROUBLE;
    if (!o.policy || o.nargs != 1)
        return cli_fail("usage: skl verify --policy FILE [--json] BUNDLE");
    skl_trust *t = load_policy(o.policy);
    if (t == NULL)
        return EXIT_TROUBLE;
    size_t len, n = 0;
    char *bundle = cli_read(o.args[0], SKL_BUNDLE_MAX, &len), why[256];
    skl_bundle_result *res = NULL;
    int rc = EXIT_TROUBLE;
    if (bundle == NULL)
        goto out;
    skl_bundle_basis b;
    int r = skl_bundle_verify(t, bundle, len, (int64_t)time(NULL), &res, &n, &b, why, sizeof why);
    if (r != SKL_OK && r != SKL_ERR_VERIFY) {
        cli_fail("%s: %s", o.args[0], why);
        goto out;
    }
    if (o.json)
        print_verdicts_json(r == SKL_OK, &b, res, n);
    else
        print_verdicts(r == SKL_OK, &b, res, n);
    rc = r == SKL_OK ? EXIT_OK : EXIT_INVALID;
out:
    free(res);
    free(bundle);
    skl_trust_free(t);
    return rc;
}

/* ---- policy -------------------------------------------------------------------------------- */

/* "7d", "36h", "90m", "3600s" -> seconds; -1 if malformed. */
static int64_t
duration(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || v <= 0 || end[0] == '\0' || end[1] != '\0')
        return -1;
    int64_t unit = end[0] == 'd'   ? 86400
                   : end[0] == 'h' ? 3600
                   : end[0] == 'm' ? 60
                   : end[0] == 's' ? 1
                                   : 0;
    return unit && v <= 36500LL * 86400 / unit ? v * unit : -1;
}

int
cmd_policy(int argc, char **argv)
{
    const char *usage = "usage: skl policy --db DB --out FILE [--quorum K] [--max-age 7d] "
                        "[WITNESS_VKEY...]";
    struct opts o;
    if (cli_parse(&o, argc, argv, "policy", "db out quorum max-age") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.out)
        return cli_fail("%s", usage);
    uint64_t quorum = (uint64_t)o.nargs;
    int64_t max_age = 0;
    if ((o.quorum && cli_u64(o.quorum, "--quorum", &quorum) != 0) ||
        (o.max_age && (max_age = duration(o.max_age)) < 0))
        return o.max_age && max_age < 0 ? cli_fail("--max-age is like 7d, 36h, 90m or 3600s")
                                        : EXIT_TROUBLE;
    if (quorum > (uint64_t)o.nargs)
        return cli_fail("--quorum %llu is more than the %d witnesses given",
                        (unsigned long long)quorum, o.nargs);
    skl_ledger *l = cli_open_ledger(o.db);
    char *log_vkey = NULL, *pem = NULL, *policy = NULL;
    const char **names = calloc((size_t)o.nargs + 1, sizeof *names);
    char **vkeys = calloc((size_t)o.nargs + 1, sizeof *vkeys);
    skl_note_verifier *ver = calloc((size_t)o.nargs + 1, sizeof *ver);
    size_t pem_len, plen;
    int rc = EXIT_TROUBLE;
    if (l == NULL || names == NULL || vkeys == NULL || ver == NULL)
        goto out;
    if (skl_ledger_authority(l, &pem, &pem_len) != SKL_OK) {
        cli_fail("%s: this ledger has no authority root", o.db);
        goto out;
    }
    for (int i = 0; i < o.nargs; i++) {
        if ((vkeys[i] = cli_vkey(o.args[i])) == NULL)
            goto out;
        if (skl_note_vkey_parse(&ver[i], vkeys[i]) != SKL_OK ||
            ver[i].type != SKL_NOTE_KEY_COSIGNATURE) {
            cli_fail("%s: not a witness's cosignature vkey", o.args[i]);
            goto out;
        }
        names[i] = ver[i].name;
    }
    if (skl_ledger_vkey(l, 0, &log_vkey) != SKL_OK) {
        cli_fail("cannot format the log's vkey");
        goto out;
    }
    int r = skl_trust_format(&policy, &plen, log_vkey, names, (const char *const *)vkeys,
                             (size_t)o.nargs, (unsigned)quorum, pem, pem_len, max_age);
    if (r != SKL_OK) {
        cli_fail("cannot write the policy: %s (the log's key name must be its origin)",
                 skl_strerror(r));
        goto out;
    }
    rc = write_out(o.out, policy, plen);
out:
    for (int i = 0; vkeys && i < o.nargs; i++)
        free(vkeys[i]);
    free(vkeys);
    free(names);
    free(ver);
    free(log_vkey);
    free(pem);
    free(policy);
    skl_ledger_close(l);
    return rc;
}
