/* cmd_issue.c - skl issue (one credential) and skl import (a roster): build, sign, append. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "skl/build.h"
#include "skl/csv.h"
#include "skl/json.h"
#include "skl/vault.h"
#include "skl/vc.h"

#define MAX_FIELDS 96
#define PLACEHOLDER_HASH "sha256$0000000000000000000000000000000000000000000000000000000000000000"

/* One credential to issue: its worker, its fields, and what became of it. */
struct row {
    char where[300]; /* "roster.csv:12", or "skl issue" */
    const char *id_type, *id_number, *name;
    skl_field f[MAX_FIELDS];
    size_t nf;
    char id[46];
    int64_t worker;
    char hash[SKL_VAULT_IDENTITY_HASH_SIZE];
    char *cred;
    size_t len;
};

struct job {
    struct row *rows;
    size_t n;
    skl_ledger *l;
    skl_vault *v;
    skl_key *k;
    const char *issuer_name;
    unsigned threads;
    int progress; /* print progress on stderr */
};

static void
progress(const struct job *j, const char *what, size_t done)
{
    if (j->progress && (done % 1000 == 0 || done == j->n))
        fprintf(stderr, "\rskl: %s %zu/%zu%s", what, done, j->n, done == j->n ? "\n" : "");
}

/* Builds and signs every row with identity hash `hash` (or each row's own). Lists every
 * row that fails; returns how many did. */
static size_t
build_all(struct job *j, const char *hash)
{
    size_t bad = 0;
    for (size_t i = 0; i < j->n; i++) {
        struct row *r = &j->rows[i];
        skl_field f[MAX_FIELDS + 4];
        size_t n = 0;
        char *unsigned_json = NULL, why[256];
        size_t ulen;
        f[n++] = (skl_field){"id", r->id};
        f[n++] = (skl_field){"issuer", skl_key_did(j->k)};
        f[n++] = (skl_field){"issuerName", j->issuer_name};
        f[n++] = (skl_field){"identityHash", hash ? hash : r->hash};
        memcpy(&f[n], r->f, r->nf * sizeof r->f[0]);
        n += r->nf;
        free(r->cred);
        r->cred = NULL;
        if (skl_credential_build(&unsigned_json, &ulen, f, n, why, sizeof why) != SKL_OK ||
            skl_vc_sign(&r->cred, &r->len, unsigned_json, ulen, j->k, NULL, why, sizeof why) !=
                SKL_OK) {
            fprintf(stderr, "%s: %s\n", r->where, why);
            bad++;
        }
        free(unsigned_json);
        progress(j, "built", i + 1);
    }
    return bad;
}

/* Appends (or with dry_run only checks) every row's credential as one batch. Lists every
 * refusal; returns the number refused, or -1 when the ledger failed. */
static long
submit(struct job *j, int dry_run)
{
    const char **texts = calloc(j->n, sizeof *texts);
    size_t *lens = calloc(j->n, sizeof *lens);
    skl_ledger_item *items = calloc(j->n, sizeof *items);
    long bad = -1;
    if (texts == NULL || lens == NULL || items == NULL) {
        cli_fail("out of memory");
        goto out;
    }
    for (size_t i = 0; i < j->n; i++) {
        texts[i] = j->rows[i].cred;
        lens[i] = j->rows[i].len;
    }
    int r = dry_run ? skl_ledger_check(j->l, texts, lens, j->n, items, j->threads)
                    : skl_ledger_append(j->l, texts, lens, j->n, items, j->threads);
    if (r != SKL_OK && r != SKL_ERR_VERIFY) {
        cli_ledger_fail(j->l, dry_run ? "check" : "append", r);
        goto out;
    }
    bad = 0;
    for (size_t i = 0; i < j->n; i++)
        if (items[i].err != SKL_OK) {
            fprintf(stderr, "%s: refused: %s\n", j->rows[i].where, items[i].why);
            bad++;
        } else if (!dry_run) {
            printf("%s %s index %llu\n", j->rows[i].where, j->rows[i].id,
                   (unsigned long long)items[i].index);
        }
out:
    free(texts);
    free(lens);
    free(items);
    return bad;
}

/* Finds (or, with a name, adds) each row's worker and derives its commitment. A dry run
 * adds nobody: a new worker (worker 0) keeps the placeholder commitment and no link. */
static size_t
resolve_workers(struct job *j, int may_add)
{
    size_t bad = 0;
    for (size_t i = 0; i < j->n; i++) {
        struct row *r = &j->rows[i];
        char why[256] = "";
        int rc = skl_vault_find_worker(j->v, r->id_type, r->id_number, &r->worker);
        if (rc == SKL_ERR_NOTFOUND && r->name != NULL && !may_add) {
            r->worker = 0;
            snprintf(r->hash, sizeof r->hash, "%s", PLACEHOLDER_HASH);
            rc = SKL_OK;
        } else if (rc == SKL_ERR_NOTFOUND && r->name != NULL) {
            rc = skl_vault_add_worker(j->v, r->id_type, r->id_number, r->name, &r->worker, why,
                                      sizeof why);
        }
        if (rc == SKL_OK && r->worker != 0)
            rc = skl_vault_commitment(j->v, r->worker, r->id, r->hash, NULL);
        if (rc != SKL_OK) {
            fprintf(stderr, "%s: worker: %s%s%s\n", r->where,
                    rc == SKL_ERR_NOTFOUND ? "no such worker in the vault (skl worker add, or "
                                             "give the worker's name)"
                                           : skl_strerror(rc),
                    *why ? ": " : "", why);
            bad++;
        }
        progress(j, "workers", i + 1);
    }
    return bad;
}

/* Removes the vault links of the job's credentials (none of them entered the ledger). */
static void
unlink_all(struct job *j)
{
    int rc = skl_vault_begin(j->v);
    for (size_t i = 0; i < j->n && rc == SKL_OK; i++) {
        const char *id = j->rows[i].id;
        rc = skl_vault_unlink(j->v, &id, 1);
    }
    if (rc == SKL_OK)
        rc = skl_vault_commit(j->v);
    else
        skl_vault_rollback(j->v);
    if (rc != SKL_OK)
        cli_ledger_fail(j->l, "removing the vault links of a refused batch", rc);
}

/* Finds or adds the workers and links every credential to its worker, in one transaction:
 * all or nothing. */
static int
link_workers(struct job *j, int may_add)
{
    int rc = skl_vault_begin(j->v);
    if (rc != SKL_OK)
        return cli_ledger_fail(j->l, "vault", rc);
    if (resolve_workers(j, may_add) > 0) {
        skl_vault_rollback(j->v);
        return EXIT_INVALID;
    }
    for (size_t i = 0; i < j->n; i++) {
        const char *id = j->rows[i].id;
        if (j->rows[i].worker != 0 &&
            (rc = skl_vault_link(j->v, j->rows[i].worker, &id, 1)) != SKL_OK) {
            skl_vault_rollback(j->v);
            return cli_ledger_fail(j->l, j->rows[i].where, rc);
        }
    }
    if ((rc = skl_vault_commit(j->v)) != SKL_OK)
        return cli_ledger_fail(j->l, "vault", rc);
    return EXIT_OK;
}

/*
 * The whole job: validate every row's identity and fields first; then find (or add) the
 * workers, link the credentials to them (the ledger checks honour prerequisites against
 * those links), check the whole batch against the ledger's rules in a dry run, and only
 * then append it. A refusal at any step appends nothing and removes the links.
 */
static int
run(struct job *j, int dry_run)
{
    size_t bad = 0;
    for (size_t i = 0; i < j->n; i++) {
        char norm[SKL_VAULT_ID_NUMBER_MAX + 1], why[200];
        cli_uuid(j->rows[i].id);
        if (skl_vault_id_normalize(j->rows[i].id_type, j->rows[i].id_number, norm, why,
                                   sizeof why) != SKL_OK) {
            fprintf(stderr, "%s: worker identity: %s\n", j->rows[i].where, why);
            bad++;
        }
    }
    bad += build_all(j, PLACEHOLDER_HASH);
    if (bad > 0) {
        cli_fail("%zu of %zu credentials refused; nothing was appended", bad, j->n);
        return EXIT_INVALID;
    }
    int rc = link_workers(j, !dry_run);
    if (rc != EXIT_OK)
        return rc;
    if (build_all(j, NULL) > 0) {
        unlink_all(j);
        return EXIT_INVALID;
    }
    long refused = submit(j, 1);
    if (refused == 0 && !dry_run)
        refused = submit(j, 0);
    if (refused != 0 || dry_run)
        unlink_all(j);
    if (refused < 0)
        return EXIT_TROUBLE;
    if (refused > 0) {
        cli_fail("%ld of %zu credentials refused; nothing was appended", refused, j->n);
        return EXIT_INVALID;
    }
    if (dry_run)
        fprintf(stderr, "skl: all %zu credentials are valid (dry run: nothing appended)\n", j->n);
    return EXIT_OK;
}

/* The vault's id type for what a roster writes in its 证件类型 column (GB/T 2261-style
 * names of the documents the vault knows), or the value itself. */
static const char *
id_type_of(const char *value)
{
    static const char *const names[][2] = {
        {"居民身份证", "resident-id"},
        {"身份证", "resident-id"},
        {"护照", "passport"},
        {"港澳居民来往内地通行证", "hk-macao-permit"},
        {"台湾居民来往大陆通行证", "taiwan-permit"},
        {"外国人永久居留身份证", "foreign-permanent-resident"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(value, names[i][0]) == 0)
            return names[i][1];
    return value;
}

/* Splits "FIELD=VALUE" into r's worker identity or its fields. */
static int
add_field(struct row *r, const char *name, const char *value)
{
    if (strcmp(name, "idType") == 0)
        r->id_type = id_type_of(value);
    else if (strcmp(name, "idNumber") == 0)
        r->id_number = value;
    else if (strcmp(name, "name") == 0)
        r->name = value;
    else if (r->nf == MAX_FIELDS)
        return cli_fail("%s: more than %d fields", r->where, MAX_FIELDS);
    else
        r->f[r->nf++] = (skl_field){name, value};
    return EXIT_OK;
}

static int
open_job(struct job *j, const struct opts *o)
{
    if ((j->l = cli_open_ledger(o->db)) == NULL || (j->v = cli_open_vault(o, j->l)) == NULL ||
        (j->k = cli_load_key(o, o->key)) == NULL)
        return EXIT_TROUBLE;
    j->issuer_name = o->name ? o->name : skl_key_name(j->k);
    j->threads = cli_threads(o);
    return EXIT_OK;
}

static void
close_job(struct job *j)
{
    for (size_t i = 0; i < j->n; i++)
        free(j->rows[i].cred);
    skl_key_free(j->k);
    skl_vault_close(j->v);
    skl_ledger_close(j->l);
}

int
cmd_issue(int argc, char **argv)
{
    const char *usage = "usage: skl issue --db DB --key FILE --id-type TYPE --id-number N "
                        "[--set FIELD=VALUE]... [--body FILE.json] [--dry-run]";
    struct opts o;
    if (cli_parse(&o, argc, argv, "issue",
                  "db key id-type id-number name set body dry-run pass-file vault-pass-file "
                  "threads json") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.key || !o.id_type || !o.id_number || o.nargs != 0)
        return cli_fail("%s", usage);
    struct row r;
    memset(&r, 0, sizeof r);
    snprintf(r.where, sizeof r.where, "skl issue");
    r.id_type = o.id_type;
    r.id_number = o.id_number;
    skl_json_doc *doc = NULL;
    char *body = NULL, *text_values[MAX_FIELDS];
    size_t ntext = 0;
    int rc = EXIT_TROUBLE;
    if (o.body != NULL) {
        size_t len;
        char why[160];
        if ((body = cli_read(o.body, 1 << 20, &len)) == NULL)
            goto out;
        if (skl_json_parse(&doc, body, len, 1 << 20, why, sizeof why) != SKL_OK) {
            rc = cli_fail("%s: %s", o.body, why);
            goto out;
        }
        const skl_json_value *root = skl_json_root(doc);
        if (root->type != SKL_JSON_OBJECT) {
            rc = cli_fail("%s: a body is a JSON object of fields (spec/import.md)", o.body);
            goto out;
        }
        for (uint32_t i = 0; i < root->n; i++) {
            const skl_json_member *m = &root->u.obj[i];
            const char *value = skl_json_string(&m->value);
            if (value == NULL && m->value.type == SKL_JSON_NUMBER && ntext < MAX_FIELDS) {
                char num[64];
                snprintf(num, sizeof num, "%.17g", m->value.u.num);
                value = text_values[ntext++] = strdup(num);
            }
            if (value == NULL) {
                rc = cli_fail("%s: field \"%s\" must be a string or a number", o.body, m->key);
                goto out;
            }
            if (add_field(&r, m->key, value) != EXIT_OK)
                goto out;
        }
    }
    for (int i = 0; i < o.nsets; i++) {
        char *eq = strchr(o.sets[i], '=');
        *eq = '\0';
        if (add_field(&r, o.sets[i], eq + 1) != EXIT_OK)
            goto out;
    }
    struct job j = {.rows = &r, .n = 1};
    if ((rc = open_job(&j, &o)) == EXIT_OK)
        rc = run(&j, o.dry_run);
    close_job(&j);
out:
    for (size_t i = 0; i < ntext; i++)
        free(text_values[i]);
    skl_json_free(doc);
    free(body);
    return rc;
}

int
cmd_import(int argc, char **argv)
{
    const char *usage = "usage: skl import --db DB --key FILE --csv FILE [--set FIELD=VALUE]... "
                        "[--dry-run]";
    struct opts o;
    if (cli_parse(&o, argc, argv, "import",
                  "db key csv name set dry-run pass-file vault-pass-file threads json") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.key || !o.csv || o.nargs != 0)
        return cli_fail("%s", usage);
    size_t len;
    char *data = cli_read(o.csv, SKL_CSV_MAX_BYTES, &len), why[256];
    if (data == NULL)
        return EXIT_TROUBLE;
    skl_csv *csv = NULL;
    struct job j = {0};
    const char **names = NULL;
    int rc = EXIT_TROUBLE;
    if (skl_csv_parse(&csv, data, len, 1000000, why, sizeof why) != SKL_OK) {
        rc = cli_fail("%s: %s", o.csv, why);
        if (strstr(why, "empty") != NULL)
            rc = EXIT_INVALID;
        goto out;
    }
    size_t cols = skl_csv_cols(csv);
    if ((names = calloc(cols, sizeof *names)) == NULL)
        goto out;
    /* A column skl has no field for (备注, 序号...) is left out, and said so; so is personal
     * data the vault does not keep (性别, 联系电话...): it never enters a credential. */
    for (size_t c = 0; c < cols; c++) {
        names[c] = skl_field_for_header(skl_csv_header(csv, c));
        if (names[c] == NULL)
            fprintf(stderr, "skl: %s: ignoring column %zu \"%s\" (no such field in "
                            "spec/data/fields.json)\n",
                    o.csv, c + 1, skl_csv_header(csv, c));
        else if (skl_field_is_personal(names[c]) && strcmp(names[c], "name") != 0 &&
                 strcmp(names[c], "idType") != 0 && strcmp(names[c], "idNumber") != 0) {
            fprintf(stderr, "skl: %s: ignoring column %zu \"%s\": personal data (%s) is not "
                            "recorded\n",
                    o.csv, c + 1, skl_csv_header(csv, c), names[c]);
            names[c] = NULL;
        }
    }
    for (int s = 0; s < o.nsets; s++) /* FIELD=VALUE -> FIELD\0VALUE */
        *strchr(o.sets[s], '=') = '\0';
    j.n = skl_csv_rows(csv);
    if ((j.rows = calloc(j.n, sizeof *j.rows)) == NULL) {
        cli_fail("out of memory");
        goto out;
    }
    j.progress = j.n >= 1000;
    size_t bad = 0;
    for (size_t i = 0; i < j.n; i++) {
        struct row *r = &j.rows[i];
        snprintf(r->where, sizeof r->where, "%s:%zu", o.csv, skl_csv_line(csv, i));
        for (size_t c = 0; c < cols; c++) {
            const char *cell = skl_csv_cell(csv, i, c);
            if (names[c] != NULL && cell[0] != '\0' && add_field(r, names[c], cell) != EXIT_OK)
                goto out;
        }
        for (int s = 0; s < o.nsets; s++) /* --set applies to every row */
            if (add_field(r, o.sets[s], strchr(o.sets[s], '\0') + 1) != EXIT_OK)
                goto out;
        if (r->id_type == NULL) /* a roster without 证件类型 lists resident ids */
            r->id_type = "resident-id";
        if (r->id_number == NULL) {
            fprintf(stderr, "%s: the worker's id number is required\n", r->where);
            bad++;
        }
    }
    if (bad > 0) {
        rc = cli_fail("%zu of %zu rows refused; nothing was appended", bad, j.n);
        rc = EXIT_INVALID;
        goto out;
    }
    if ((rc = open_job(&j, &o)) == EXIT_OK)
        rc = run(&j, o.dry_run);
out:
    close_job(&j);
    free(j.rows);
    free(names);
    skl_csv_free(csv);
    free(data);
    return rc;
}
