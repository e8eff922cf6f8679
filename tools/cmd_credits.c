/* cmd_credits.c - the credit bank: skl credits plan (offline, from a bundle), skl credits
 * transfer (the school's grant, appended), skl credits account (a worker's learning account). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "commands.h"
#include "skl/bundle.h"
#include "skl/credit.h"
#include "skl/json.h"
#include "skl/trust.h"
#include "skl/vault.h"
#include "skl/vc.h"

/* The district framework compiled into the tool's library is the one in force; a school's
 * programme table comes from its file. */
struct rules {
    skl_credit_framework *fw;
    skl_credit_programme *p;
};

static int
load_rules(struct rules *r, const char *programme)
{
    size_t plen;
    char why[256], *text = NULL;
    memset(r, 0, sizeof *r);
    if (skl_credit_framework_default(&r->fw, why, sizeof why) != SKL_OK)
        return cli_fail("the credit framework: %s", why);
    if (programme == NULL)
        return EXIT_OK;
    if ((text = cli_read(programme, SKL_CREDIT_MAX_FILE, &plen)) == NULL)
        return EXIT_TROUBLE;
    int rc = skl_credit_programme_parse(&r->p, text, plen, r->fw, why, sizeof why);
    free(text);
    return rc == SKL_OK ? EXIT_OK : cli_fail("%s: %s", programme, why);
}

static void
free_rules(struct rules *r)
{
    skl_credit_programme_free(r->p);
    skl_credit_framework_free(r->fw);
}

/* The sources already converted in programme, from the ledger (none without --db). */
static char **
used_sources(skl_ledger *l, const char *programme, size_t *n)
{
    char **ids = NULL;
    *n = 0;
    if (l != NULL && skl_credit_used(l, programme, &ids, n) != SKL_OK)
        *n = 0;
    return ids;
}

/* A plan: the verified bundle, its sources, and the planner's answer. */
struct plan {
    char *bundle;
    size_t len;
    skl_bundle_result *res;
    size_t nres;
    skl_credit_offer *offer;
    skl_credit_grant *grants;
    size_t ngrants;
    skl_credit_decision *decisions;
    int total;
    int bundle_ok;
};

static void
free_plan(struct plan *pl)
{
    if (pl->bundle != NULL)
        sodium_memzero(pl->bundle, pl->len);
    free(pl->bundle);
    free(pl->res);
    skl_credit_offer_free(pl->offer);
    free(pl->grants);
    free(pl->decisions);
}

static int
make_plan(struct plan *pl, const struct opts *o, const struct rules *r, skl_ledger *l)
{
    char why[256];
    memset(pl, 0, sizeof *pl);
    size_t plen;
    char *ptext = cli_read(o->policy, SKL_TRUST_MAX_LEN, &plen);
    skl_trust *t = NULL;
    if (ptext == NULL)
        return EXIT_TROUBLE;
    int rc = skl_trust_parse(&t, ptext, plen, why, sizeof why);
    free(ptext);
    if (rc != SKL_OK)
        return cli_fail("%s: %s", o->policy, why);
    if ((pl->bundle = cli_read(o->args[0], SKL_BUNDLE_MAX, &pl->len)) == NULL) {
        skl_trust_free(t);
        return EXIT_TROUBLE;
    }
    int64_t now = (int64_t)time(NULL);
    rc = skl_bundle_verify(t, pl->bundle, pl->len, now, &pl->res, &pl->nres, NULL, why, sizeof why);
    skl_trust_free(t);
    if (rc != SKL_OK && rc != SKL_ERR_VERIFY)
        return cli_fail("%s: %s", o->args[0], why);
    pl->bundle_ok = rc == SKL_OK;
    if (skl_credit_offer_from_bundle(&pl->offer, pl->bundle, pl->len, pl->res, pl->nres, why,
                                     sizeof why) != SKL_OK)
        return cli_fail("%s: %s", o->args[0], why);
    size_t n, nused;
    const skl_credit_source *src = skl_credit_offer_sources(pl->offer, &n);
    char **used = used_sources(l, skl_credit_programme_id(r->p), &nused);
    rc = skl_credit_plan(r->fw, r->p, now, src, n, (const char *const *)used, nused, &pl->grants,
                         &pl->ngrants, &pl->decisions, &pl->total, why, sizeof why);
    for (size_t i = 0; i < nused; i++)
        free(used[i]);
    free(used);
    return rc == SKL_OK ? EXIT_OK : cli_fail("plan: %s", why);
}

static void
print_plan(const struct plan *pl, const struct rules *r, int json)
{
    char num[16];
    size_t n;
    const skl_credit_source *src = skl_credit_offer_sources(pl->offer, &n);
    if (json) {
        printf("{\"programme\":");
        cli_json_string(stdout, skl_credit_programme_id(r->p),
                        strlen(skl_credit_programme_id(r->p)));
        printf(",\"credits\":%s,\"courses\":[", skl_credit_format(num, pl->total));
        for (size_t i = 0; i < pl->ngrants; i++) {
            printf("%s{\"course\":", i ? "," : "");
            cli_json_string(stdout, pl->grants[i].course, strlen(pl->grants[i].course));
            printf(",\"credits\":%s,\"sources\":[", skl_credit_format(num, pl->grants[i].halves));
            for (size_t k = 0; k < pl->grants[i].nsources; k++) {
                printf(k ? "," : "");
                cli_json_string(stdout, pl->grants[i].sources[k], strlen(pl->grants[i].sources[k]));
            }
            printf("]}");
        }
        printf("],\"sources\":[");
        for (size_t i = 0; i < n; i++) {
            printf("%s{\"id\":", i ? "," : "");
            cli_json_string(stdout, pl->decisions[i].source, strlen(pl->decisions[i].source));
            printf(",\"used\":%s,\"reason\":", pl->decisions[i].used ? "true" : "false");
            cli_json_string(stdout, pl->decisions[i].reason, strlen(pl->decisions[i].reason));
            printf("}");
        }
        printf("]}\n");
        return;
    }
    printf("%s (%s %s), graduation credits %s\n", skl_credit_programme_name(r->p),
           skl_credit_programme_id(r->p), skl_credit_programme_version(r->p),
           skl_credit_format(num, skl_credit_programme_graduation_halves(r->p)));
    printf("\n免修课程 courses exempted\n");
    for (size_t i = 0; i < pl->ngrants; i++) {
        printf("  ");
        cli_column(stdout, pl->grants[i].course, 10);
        fputc(' ', stdout);
        cli_column(stdout, pl->grants[i].course_name, 24);
        printf(" %5s 学分 credits  (%zu source%s)\n", skl_credit_format(num, pl->grants[i].halves),
               pl->grants[i].nsources, pl->grants[i].nsources == 1 ? "" : "s");
    }
    printf("  合计 total %s 学分 credits\n\n来源 sources\n", skl_credit_format(num, pl->total));
    for (size_t i = 0; i < n; i++)
        printf("  %-14s %-46s %s%s\n", src[i].kind, pl->decisions[i].source,
               pl->decisions[i].used ? "用于 used: " : "未用 not used: ", pl->decisions[i].reason);
}

static int
credits_plan(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "credits plan", "policy programme db json") != 0)
        return EXIT_TROUBLE;
    if (!o.policy || !o.programme || o.nargs != 1)
        return cli_fail("usage: skl credits plan --policy FILE --programme FILE [--db DB] "
                        "[--json] BUNDLE");
    struct rules r;
    struct plan pl;
    skl_ledger *l = NULL;
    int rc = load_rules(&r, o.programme);
    memset(&pl, 0, sizeof pl);
    if (rc == EXIT_OK && o.db != NULL && (l = cli_open_ledger(o.db)) == NULL)
        rc = EXIT_TROUBLE;
    if (rc == EXIT_OK && (rc = make_plan(&pl, &o, &r, l)) == EXIT_OK)
        print_plan(&pl, &r, o.json);
    free_plan(&pl);
    skl_ledger_close(l);
    free_rules(&r);
    return rc;
}

/*
 * The worker's transcript: a CLR 2.0-shaped credential (ClrCredential) signed by the school,
 * holding the transfer and the source credentials it converted.
 */
static int
write_transcript(const char *path, const skl_key *k, const char *transfer, size_t tlen,
                 const char *bundle, size_t blen, const char *identity_hash)
{
    skl_json_doc *b = NULL, *t = NULL;
    char *text = NULL, *signed_clr = NULL, why[256];
    size_t cap = blen + tlen + 4096, used, slen;
    char id[46];
    int rc = EXIT_TROUBLE;
    cli_uuid(id);
    if (skl_json_parse(&b, bundle, blen, SKL_BUNDLE_MAX, NULL, 0) != SKL_OK ||
        skl_json_parse(&t, transfer, tlen, tlen, NULL, 0) != SKL_OK || (text = malloc(cap)) == NULL)
        goto out;
    used = (size_t)snprintf(
        text, cap,
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
        "\"https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json\","
        "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
        "\"type\":[\"VerifiableCredential\",\"ClrCredential\"],\"id\":\"%s\","
        "\"issuer\":{\"id\":\"%s\",\"type\":[\"Profile\"],\"name\":\"%s\"},"
        "\"validFrom\":\"%s\",\"name\":\"学分转换成绩单 credit transcript\","
        "\"credentialSubject\":{\"type\":[\"ClrSubject\"],\"identifier\":[{\"type\":"
        "\"IdentityObject\",\"hashed\":true,\"identityType\":\"nationalIdentityNumber\","
        "\"identityHash\":\"%s\"}],\"verifiableCredential\":[%s",
        id, skl_key_did(k), skl_key_name(k),
        skl_json_string(skl_json_get(skl_json_root(t), "validFrom")), identity_hash, transfer);
    const skl_json_value *creds = skl_json_get(skl_json_root(b), "credentials");
    for (uint32_t i = 0; creds && i < creds->n; i++) {
        char *one = NULL;
        size_t n1;
        if (skl_json_canonicalize(
                skl_json_get(skl_json_get(&creds->u.arr[i], "leaf"), "credential"), &one, &n1) ==
                SKL_OK &&
            used + n1 + 2 < cap) {
            text[used++] = ',';
            memcpy(text + used, one, n1);
            used += n1;
        }
        free(one);
    }
    used += (size_t)snprintf(text + used, cap - used, "]}}");
    if (skl_vc_sign(&signed_clr, &slen, text, used, k, NULL, why, sizeof why) != SKL_OK) {
        rc = cli_fail("transcript: %s", why);
        goto out;
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(signed_clr, 1, slen, f) != slen) {
        rc = cli_fail("%s: cannot write", path);
        if (f)
            fclose(f);
        goto out;
    }
    fclose(f);
    printf("transcript (CLR 2.0) %s\n", path);
    rc = EXIT_OK;
out:
    free(text);
    free(signed_clr);
    skl_json_free(b);
    skl_json_free(t);
    return rc;
}

static int
credits_transfer(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "credits transfer",
                  "db key policy programme name out pass-file json") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.key || !o.policy || !o.programme || o.nargs != 1)
        return cli_fail("usage: skl credits transfer --db DB --key SCHOOL.key --policy FILE "
                        "--programme FILE BUNDLE");
    struct rules r;
    struct plan pl;
    skl_ledger *l = NULL;
    skl_key *k = NULL;
    skl_json_doc *doc = NULL;
    char *unsigned_json = NULL, *signed_json = NULL, why[256];
    char hash[SKL_VAULT_IDENTITY_HASH_SIZE], salt[SKL_VAULT_SALT_HEX_SIZE];
    size_t len, slen;
    memset(&pl, 0, sizeof pl);
    int rc = load_rules(&r, o.programme);
    if (rc != EXIT_OK || (l = cli_open_ledger(o.db)) == NULL ||
        (k = cli_load_key(&o, o.key)) == NULL) {
        rc = EXIT_TROUBLE;
        goto out;
    }
    if ((rc = make_plan(&pl, &o, &r, l)) != EXIT_OK)
        goto out;
    /* The worker is named by a fresh commitment to the ID the bundle disclosed. */
    skl_json_parse(&doc, pl.bundle, pl.len, SKL_BUNDLE_MAX, NULL, 0);
    const skl_json_value *id = skl_json_get(skl_json_root(doc), "identity");
    const char *type = skl_json_string(skl_json_get(id, "idType"));
    const char *number = skl_json_string(skl_json_get(id, "idNumber"));
    if (type == NULL || number == NULL || !pl.bundle_ok) {
        rc = cli_fail("%s: a transfer needs a valid bundle that discloses the worker's ID "
                      "(skl export --disclose id)",
                      o.args[0]);
        rc = EXIT_INVALID;
        goto out;
    }
    if (skl_vault_commit_fresh(hash, salt, type, number) != SKL_OK ||
        skl_credit_transfer_build(&unsigned_json, &len, r.fw, r.p, pl.grants, pl.ngrants,
                                  skl_key_did(k), o.name ? o.name : skl_key_name(k), hash, why,
                                  sizeof why) != SKL_OK ||
        skl_vc_sign(&signed_json, &slen, unsigned_json, len, k, NULL, why, sizeof why) != SKL_OK) {
        rc = cli_fail("cannot make the transfer: %s", why);
        rc = EXIT_INVALID;
        goto out;
    }
    skl_ledger_item item;
    const char *texts[1] = {signed_json};
    int r2 = skl_ledger_append(l, texts, &slen, 1, &item, 1);
    if (r2 == SKL_ERR_VERIFY && item.err != SKL_OK) {
        cli_fail("refused: %s", item.why);
        rc = EXIT_INVALID;
        goto out;
    }
    if (r2 != SKL_OK) {
        rc = cli_ledger_fail(l, "append", r2);
        goto out;
    }
    print_plan(&pl, &r, 0);
    char num[16];
    skl_json_doc *sd = NULL;
    skl_json_parse(&sd, signed_json, slen, slen, NULL, 0);
    const char *tid = sd ? skl_json_string(skl_json_get(skl_json_root(sd), "id")) : NULL;
    printf("\ntransfer %s at index %llu: %s credits\n", tid ? tid : "?",
           (unsigned long long)item.index, skl_credit_format(num, pl.total));
    skl_json_free(sd);
    printf("the worker's salt for this transfer (keep it to disclose it): %s\n", salt);
    rc = o.out != NULL ? write_transcript(o.out, k, signed_json, slen, pl.bundle, pl.len, hash)
                       : EXIT_OK;
out:
    sodium_memzero(salt, sizeof salt);
    skl_json_free(doc);
    free(unsigned_json);
    free(signed_json);
    free_plan(&pl);
    skl_key_free(k);
    skl_ledger_close(l);
    free_rules(&r);
    return rc;
}

/* One line of the learning account table: the heading (framework id and version) when e is
 * NULL, else e's row. */
static void
account_row(const char *fw, const char *version, const skl_credit_account_entry *e,
            const char *credits)
{
    if (e == NULL)
        printf("学习账户 learning account (%s %s)\n", fw, version);
    cli_column(stdout, e ? e->kind : "类型 kind", 14);
    fputc(' ', stdout);
    cli_column(stdout, e ? e->title : "名称 title", 30);
    fputc(' ', stdout);
    cli_column(stdout, e ? e->status : "状态 status", 11);
    printf(" %6s  %s\n", e ? credits : "  学分" /* 6 columns */,
           e ? e->used_in : "已转换 converted in");
}

static int
credits_account(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "credits account", "db id-type id-number vault-pass-file json") !=
        0)
        return EXIT_TROUBLE;
    if (!o.db || !o.id_type || !o.id_number || o.nargs != 0)
        return cli_fail("usage: skl credits account --db DB --id-type TYPE --id-number N");
    struct rules r;
    skl_ledger *l = NULL;
    skl_vault *v = NULL;
    skl_credit_account_entry *e = NULL;
    size_t n = 0;
    char why[256], num[16];
    int64_t worker;
    int rc = load_rules(&r, NULL);
    if (rc != EXIT_OK || (l = cli_open_ledger(o.db)) == NULL ||
        (v = cli_open_vault(&o, l)) == NULL) {
        rc = EXIT_TROUBLE;
        goto out;
    }
    if (skl_vault_find_worker(v, o.id_type, o.id_number, &worker) != SKL_OK) {
        rc = cli_fail("no worker with that %s in the vault", o.id_type);
        goto out;
    }
    if (skl_credit_account(&e, &n, l, v, worker, r.fw, why, sizeof why) != SKL_OK) {
        rc = cli_fail("account: %s", why);
        goto out;
    }
    int total = 0;
    if (o.json)
        printf("{\"framework\":\"%s %s\",\"credentials\":[", skl_credit_framework_id(r.fw),
               skl_credit_framework_version(r.fw));
    else
        account_row(skl_credit_framework_id(r.fw), skl_credit_framework_version(r.fw), NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        int counts = strcmp(e[i].status, "active") == 0;
        total += counts ? e[i].halves : 0;
        if (o.json) {
            printf("%s{\"id\":", i ? "," : "");
            cli_json_string(stdout, e[i].id, strlen(e[i].id));
            printf(",\"kind\":\"%s\",\"status\":\"%s\",\"credits\":%s,\"usedIn\":", e[i].kind,
                   e[i].status, skl_credit_format(num, e[i].halves));
            cli_json_string(stdout, e[i].used_in, strlen(e[i].used_in));
            printf("}");
        } else {
            account_row(NULL, NULL, &e[i], skl_credit_format(num, e[i].halves));
        }
    }
    if (o.json)
        printf("],\"credits\":%s}\n", skl_credit_format(num, total));
    else
        printf("合计 total (active) %s 学分 credits\n", skl_credit_format(num, total));
    rc = EXIT_OK;
out:
    free(e);
    skl_vault_close(v);
    skl_ledger_close(l);
    free_rules(&r);
    return rc;
}

int
cmd_credits(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "account") == 0)
        return credits_account(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "plan") == 0)
        return credits_plan(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "transfer") == 0)
        return credits_transfer(argc - 1, argv + 1);
    return cli_fail("usage: skl credits plan ... | transfer ... | account ... (see skl help "
                    "credits)");
}
