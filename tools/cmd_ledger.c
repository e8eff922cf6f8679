/* cmd_ledger.c - skl ledger init, append, checkpoint, prove, consistency, publish, audit. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "commands.h"
#include "skl/ledger.h"
#include "skl/merkle.h"

/* skl ledger occupations --db DB FILE: adds an occupation list to the reference data. */
static int
ledger_occupations(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "ledger occupations", "db") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.nargs != 1)
        return cli_fail("usage: skl ledger occupations --db DB FILE.csv|FILE.json");
    size_t len;
    char *data = cli_read(o.args[0], 16 << 20, &len);
    if (data == NULL)
        return EXIT_TROUBLE;
    const char *name = strrchr(o.args[0], '/');
    name = name ? name + 1 : o.args[0];
    skl_ledger *l = cli_open_ledger(o.db);
    int rc = EXIT_TROUBLE;
    if (l != NULL) {
        int r = skl_ledger_load_occupations(l, name, data, len);
        if (r == SKL_ERR_SCHEMA || r == SKL_ERR_PARSE || r == SKL_ERR_LIMIT) {
            cli_fail("%s: refused: %s", o.args[0], skl_ledger_errmsg(l));
            rc = EXIT_INVALID;
        } else if (r != SKL_OK) {
            cli_ledger_fail(l, o.args[0], r);
        } else {
            printf("reference data: %s\n", skl_ledger_refdata_version(l));
            rc = EXIT_OK;
        }
    }
    skl_ledger_close(l);
    free(data);
    return rc;
}

int
cmd_ledger(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "occupations") == 0)
        return ledger_occupations(argc - 1, argv + 1);
    if (argc < 2 || strcmp(argv[1], "init") != 0)
        return cli_fail("usage: skl ledger init --db DB --origin ORIGIN --log-key FILE "
                        "[--authority ROOT.pem] | skl ledger occupations --db DB FILE");
    struct opts o;
    const char *usage =
        "usage: skl ledger init --db DB --origin ORIGIN --log-key FILE [--authority ROOT.pem]";
    if (cli_parse(&o, argc - 1, argv + 1, "ledger init",
                  "db origin log-key authority pass-file json") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.origin == NULL || o.log_key == NULL || o.nargs != 0)
        return cli_fail("%s", usage);
    char *root = NULL;
    size_t root_len = 0;
    if (o.authority != NULL && (root = cli_read(o.authority, 65536, &root_len)) == NULL)
        return EXIT_TROUBLE;
    skl_key *k = cli_load_key(&o, o.log_key);
    if (k == NULL) {
        free(root);
        return EXIT_TROUBLE;
    }
    skl_ledger *l = NULL;
    int r = skl_ledger_create(&l, o.db, o.origin, k);
    skl_key_free(k);
    if (r == SKL_OK && root != NULL &&
        (r = skl_ledger_set_authority(l, root, root_len)) != SKL_OK) {
        cli_fail("%s: %s", o.authority, skl_ledger_errmsg(l));
        skl_ledger_close(l);
        free(root);
        cli_remove_db(o.db);
        return EXIT_TROUBLE;
    }
    free(root);
    if (r == SKL_ERR_EXISTS)
        return cli_fail("%s: already exists; a ledger is never overwritten", o.db);
    if (r == SKL_ERR_INVAL)
        return cli_fail("--origin must be 1 to %d bytes on one line", SKL_LEDGER_ORIGIN_MAX);
    if (r != SKL_OK)
        return cli_fail("%s: cannot create ledger: %s", o.db, skl_strerror(r));
    char *vkey = NULL;
    if (skl_ledger_vkey(l, 0, &vkey) == SKL_OK)
        printf("%s\n", vkey);
    free(vkey);
    skl_ledger_close(l);
    return EXIT_OK;
}

/* One credential of the batch, and where it came from. */
struct input {
    char *text;
    size_t len;
    int file;
    long item; /* its index in the file's JSON array, or -1 for a file of one credential */
};

static void
print_where(FILE *f, const struct opts *o, const struct input *in)
{
    if (in->item >= 0)
        fprintf(f, "%s[%ld]", o->args[in->file], in->item);
    else
        fputs(o->args[in->file], f);
}

static void
print_json_where(const struct opts *o, const struct input *in)
{
    printf("{\"file\":");
    cli_json_string(stdout, o->args[in->file], strlen(o->args[in->file]));
    if (in->item >= 0)
        printf(",\"item\":%ld", in->item);
}

int
cmd_append(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "append", "db threads json") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.nargs < 1)
        return cli_fail("usage: skl append --db DB [--threads N] [--json] FILE...");
    /* Every credential of every file goes in one atomic batch. */
    struct input *in = NULL;
    size_t n = 0;
    skl_ledger *l = NULL;
    skl_ledger_item *items = NULL;
    const char **texts = NULL;
    size_t *lens = NULL;
    int rc = EXIT_TROUBLE;
    for (int f = 0; f < o.nargs; f++) {
        char **t;
        size_t *ls, c;
        int is_array;
        if (cli_credentials(o.args[f], &t, &ls, &c, &is_array) != 0)
            goto out;
        if (c == 0) {
            cli_free_texts(t, ls, c);
            cli_fail("%s: holds no credentials", o.args[f]);
            goto out;
        }
        struct input *ni = realloc(in, (n + c) * sizeof *ni);
        if (ni == NULL) {
            cli_free_texts(t, ls, c);
            cli_fail("out of memory");
            goto out;
        }
        in = ni;
        for (size_t i = 0; i < c; i++)
            in[n++] = (struct input){t[i], ls[i], f, is_array ? (long)i : -1};
        free(t);
        free(ls);
    }
    texts = calloc(n, sizeof *texts);
    lens = calloc(n, sizeof *lens);
    items = calloc(n, sizeof *items);
    if (texts == NULL || lens == NULL || items == NULL) {
        cli_fail("out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        texts[i] = in[i].text;
        lens[i] = in[i].len;
    }
    if ((l = cli_open_ledger(o.db)) == NULL)
        goto out;
    int r = skl_ledger_append(l, texts, lens, n, items, cli_threads(&o));
    if (r != SKL_OK && r != SKL_ERR_VERIFY) {
        cli_ledger_fail(l, "append", r);
        goto out;
    }
    size_t bad = 0;
    if (o.json)
        printf("[");
    for (size_t i = 0; i < n; i++) {
        int ok = items[i].err == SKL_OK;
        if (o.json) {
            printf("%s", i ? "," : "");
            print_json_where(&o, &in[i]);
            if (r == SKL_OK)
                printf(",\"index\":%llu}", (unsigned long long)items[i].index);
            else {
                printf(",\"reason\":");
                cli_json_string(stdout, items[i].why, strlen(items[i].why));
                printf(",\"valid\":%s}", ok ? "true" : "false");
            }
        } else if (r == SKL_OK) {
            printf("%llu\t", (unsigned long long)items[i].index);
            print_where(stdout, &o, &in[i]);
            putchar('\n');
        }
        if (!ok) {
            bad++;
            fputs("skl: ", stderr);
            print_where(stderr, &o, &in[i]);
            fprintf(stderr, ": %s\n", items[i].why);
        }
    }
    if (o.json)
        printf("]\n");
    fflush(stdout);
    if (r == SKL_OK) {
        rc = EXIT_OK;
    } else {
        cli_fail("batch refused: %zu of %zu credentials rejected; nothing was appended", bad, n);
        rc = EXIT_INVALID;
    }
out:
    skl_ledger_close(l);
    for (size_t i = 0; i < n; i++)
        free(in[i].text);
    free(in);
    free(texts);
    free(lens);
    free(items);
    return rc;
}

int
cmd_checkpoint(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "checkpoint", "db log-key pass-file") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.log_key == NULL || o.nargs != 0)
        return cli_fail("usage: skl checkpoint --db DB --log-key FILE");
    skl_ledger *l = cli_open_ledger(o.db);
    if (l == NULL)
        return EXIT_TROUBLE;
    skl_key *k = cli_load_key(&o, o.log_key);
    int rc = EXIT_TROUBLE;
    if (k != NULL) {
        char *note = NULL;
        size_t len;
        int r = skl_ledger_checkpoint(l, k, &note, &len);
        if (r == SKL_OK) {
            fwrite(note, 1, len, stdout);
            rc = EXIT_OK;
        } else {
            cli_ledger_fail(l, "checkpoint", r);
        }
        free(note);
    }
    skl_key_free(k);
    skl_ledger_close(l);
    return rc;
}

int
cmd_prove(int argc, char **argv)
{
    struct opts o;
    uint64_t index, size = 0;
    if (cli_parse(&o, argc, argv, "prove", "db index size") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.index == NULL || o.nargs != 0)
        return cli_fail("usage: skl prove --db DB --index N [--size M]");
    if (cli_u64(o.index, "--index", &index) != 0 ||
        (o.size && cli_u64(o.size, "--size", &size) != 0))
        return EXIT_TROUBLE;
    skl_ledger *l = cli_open_ledger(o.db);
    if (l == NULL)
        return EXIT_TROUBLE;
    char *proof = NULL;
    size_t len;
    int r = skl_ledger_tlog_proof(l, index, size, &proof, &len);
    int rc = r == SKL_OK ? EXIT_OK : cli_ledger_fail(l, "prove", r);
    if (proof)
        fwrite(proof, 1, len, stdout);
    free(proof);
    skl_ledger_close(l);
    return rc;
}

static void
print_b64(FILE *f, const uint8_t h[32])
{
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, h, 32, sodium_base64_VARIANT_ORIGINAL);
    fputs(b64, f);
}

int
cmd_consistency(int argc, char **argv)
{
    struct opts o;
    uint64_t from, to;
    if (cli_parse(&o, argc, argv, "consistency", "db from to json") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.from == NULL || o.nargs != 0)
        return cli_fail("usage: skl consistency --db DB --from M [--to N] [--json]");
    if (cli_u64(o.from, "--from", &from) != 0 || (o.to && cli_u64(o.to, "--to", &to) != 0))
        return EXIT_TROUBLE;
    skl_ledger *l = cli_open_ledger(o.db);
    if (l == NULL)
        return EXIT_TROUBLE;
    int rc = EXIT_TROUBLE, r;
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32], r1[32], r2[32];
    size_t count = 0;
    if (o.to == NULL && (r = skl_ledger_size(l, &to)) != SKL_OK) {
        cli_ledger_fail(l, "consistency", r);
        goto out;
    }
    if ((r = skl_ledger_consistency_proof(l, from, to, proof, &count)) != SKL_OK ||
        (r = skl_ledger_root(l, from, r1)) != SKL_OK ||
        (r = skl_ledger_root(l, to, r2)) != SKL_OK) {
        cli_ledger_fail(l, "consistency", r);
        goto out;
    }
    if (o.json) {
        printf("{\"from\":%llu,\"fromRoot\":\"", (unsigned long long)from);
        print_b64(stdout, r1);
        printf("\",\"proof\":[");
        for (size_t i = 0; i < count; i++) {
            printf("%s\"", i ? "," : "");
            print_b64(stdout, proof[i]);
            printf("\"");
        }
        printf("],\"to\":%llu,\"toRoot\":\"", (unsigned long long)to);
        print_b64(stdout, r2);
        printf("\"}\n");
    } else {
        printf("from %llu ", (unsigned long long)from);
        print_b64(stdout, r1);
        printf("\nto %llu ", (unsigned long long)to);
        print_b64(stdout, r2);
        printf("\n");
        for (size_t i = 0; i < count; i++) {
            print_b64(stdout, proof[i]);
            printf("\n");
        }
    }
    rc = EXIT_OK;
out:
    skl_ledger_close(l);
    return rc;
}

int
cmd_publish(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "publish", "db out") != 0)
        return EXIT_TROUBLE;
    if (o.db == NULL || o.out == NULL || o.nargs != 0)
        return cli_fail("usage: skl publish --db DB --out DIR");
    skl_ledger *l = cli_open_ledger(o.db);
    if (l == NULL)
        return EXIT_TROUBLE;
    uint64_t written = 0;
    int r = skl_ledger_publish(l, o.out, &written);
    int rc = r == SKL_OK ? EXIT_OK : cli_ledger_fail(l, "publish", r);
    if (r == SKL_OK)
        fprintf(stderr, "skl: published %llu files to %s\n", (unsigned long long)written, o.out);
    skl_ledger_close(l);
    return rc;
}

int
cmd_audit(int argc, char **argv)
{
    struct opts o;
    skl_audit_report rep;
    int r;
    if (cli_parse(&o, argc, argv, "audit", "db tiles vkey threads json") != 0)
        return EXIT_TROUBLE;
    if ((o.db == NULL) == (o.tiles == NULL) || (o.tiles && o.vkey == NULL) || o.nargs != 0)
        return cli_fail("usage: skl audit --db DB  |  skl audit --tiles DIR --vkey VKEY");
    const char *what = o.db ? o.db : o.tiles;
    if (o.db) {
        skl_ledger *l = cli_open_ledger(o.db);
        if (l == NULL)
            return EXIT_TROUBLE;
        r = skl_ledger_audit(l, cli_threads(&o), &rep);
        if (r != SKL_OK && r != SKL_ERR_CORRUPT) {
            cli_ledger_fail(l, "audit", r);
            skl_ledger_close(l);
            return EXIT_TROUBLE;
        }
        skl_ledger_close(l);
    } else {
        char *vkey = cli_vkey(o.vkey);
        if (vkey == NULL)
            return EXIT_TROUBLE;
        r = skl_tiles_audit(o.tiles, vkey, cli_threads(&o), &rep);
        free(vkey);
        if (r == SKL_ERR_KEY)
            return cli_fail("--vkey is not an Ed25519 verifier key (name+id+key)");
        if (r != SKL_OK && r != SKL_ERR_CORRUPT)
            return cli_fail("audit %s: %s%s%s", what, skl_strerror(r), *rep.why ? ": " : "",
                            rep.why);
    }
    if (o.json) {
        printf("{\"badIndex\":");
        if (rep.bad_index >= 0)
            printf("%lld", (long long)rep.bad_index);
        else
            printf("null");
        printf(",\"checkpoints\":%llu,\"leaves\":%llu,\"reason\":",
               (unsigned long long)rep.checkpoints, (unsigned long long)rep.leaves);
        cli_json_string(stdout, rep.why, strlen(rep.why));
        printf(",\"valid\":%s}\n", r == SKL_OK ? "true" : "false");
    } else if (r == SKL_OK) {
        printf("%s: ok: %llu leaves, %llu checkpoints verified\n", what,
               (unsigned long long)rep.leaves, (unsigned long long)rep.checkpoints);
    } else {
        printf("%s: FAILED: %s\n", what, rep.why);
    }
    return r == SKL_OK ? EXIT_OK : EXIT_INVALID;
}
