/* cmd_worker.c - skl worker add, skl worker show: the vault of workers' identities. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "skl/vault.h"

static int
worker_add(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "worker add", "db id-type id-number name vault-pass-file json") !=
        0)
        return EXIT_TROUBLE;
    if (!o.db || !o.id_type || !o.id_number || !o.name || o.nargs != 0)
        return cli_fail("usage: skl worker add --db DB --id-type TYPE --id-number N --name NAME");
    skl_ledger *l = cli_open_ledger(o.db);
    skl_vault *v = l ? cli_open_vault(&o, l) : NULL;
    int rc = EXIT_TROUBLE;
    if (v == NULL)
        goto out;
    int64_t id = 0;
    char why[256];
    int r = skl_vault_add_worker(v, o.id_type, o.id_number, o.name, &id, why, sizeof why);
    if (r == SKL_ERR_EXISTS) {
        cli_fail("that %s is already worker %lld", o.id_type, (long long)id);
        rc = EXIT_INVALID;
    } else if (r == SKL_ERR_SCHEMA) {
        cli_fail("refused: %s", why);
        rc = EXIT_INVALID;
    } else if (r != SKL_OK) {
        cli_ledger_fail(l, "worker add", r);
    } else {
        printf(o.json ? "{\"worker\":%lld}\n" : "worker %lld\n", (long long)id);
        rc = EXIT_OK;
    }
out:
    skl_vault_close(v);
    skl_ledger_close(l);
    return rc;
}

static int
worker_show(int argc, char **argv)
{
    struct opts o;
    if (cli_parse(&o, argc, argv, "worker show", "db id-type id-number vault-pass-file json") != 0)
        return EXIT_TROUBLE;
    if (!o.db || !o.id_type || !o.id_number || o.nargs != 0)
        return cli_fail("usage: skl worker show --db DB --id-type TYPE --id-number N");
    skl_ledger *l = cli_open_ledger(o.db);
    skl_vault *v = l ? cli_open_vault(&o, l) : NULL;
    skl_worker w;
    char **ids = NULL;
    size_t n = 0;
    int rc = EXIT_TROUBLE, r;
    memset(&w, 0, sizeof w);
    if (v == NULL)
        goto out;
    int64_t id;
    if ((r = skl_vault_find_worker(v, o.id_type, o.id_number, &id)) != SKL_OK) {
        if (r == SKL_ERR_NOTFOUND || r == SKL_ERR_SCHEMA)
            rc = EXIT_INVALID;
        cli_fail("no worker with that %s%s", o.id_type,
                 r == SKL_ERR_SCHEMA ? " (the number fails its checks)" : "");
        goto out;
    }
    if ((r = skl_vault_worker(v, id, &w)) != SKL_OK ||
        (r = skl_vault_credentials(v, id, &ids, &n)) != SKL_OK) {
        cli_ledger_fail(l, "worker show", r);
        goto out;
    }
    if (o.json) {
        printf("{\"worker\":%lld,\"name\":", (long long)id);
        cli_json_string(stdout, w.name, strlen(w.name));
        printf(",\"credentials\":[");
    } else {
        printf("worker %lld\nname %s\n", (long long)id, w.name);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t index = 0;
        char status[16] = "";
        int found = skl_ledger_find(l, ids[i], &index) == SKL_OK &&
                    skl_ledger_status(l, ids[i], status) == SKL_OK;
        if (o.json) {
            printf("%s{\"id\":", i ? "," : "");
            cli_json_string(stdout, ids[i], strlen(ids[i]));
            if (found)
                printf(",\"index\":%llu,\"status\":\"%s\"", (unsigned long long)index, status);
            printf("}");
        } else if (found) {
            printf("credential %s index %llu %s\n", ids[i], (unsigned long long)index, status);
        } else {
            printf("credential %s (not in the ledger)\n", ids[i]);
        }
    }
    if (o.json)
        printf("]}\n");
    rc = EXIT_OK;
out:
    skl_vault_worker_wipe(&w);
    skl_vault_free_ids(ids, n);
    skl_vault_close(v);
    skl_ledger_close(l);
    return rc;
}

int
cmd_worker(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return worker_add(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "show") == 0)
        return worker_show(argc - 1, argv + 1);
    return cli_fail("usage: skl worker add ... | skl worker show ... (see skl help worker)");
}
