/*
 * cli.h - what every skl subcommand shares: options, files, passphrases, output.
 * Only tools/ prints and chooses exit codes: 0 success, 1 verification failed,
 * 2 usage or operational error.
 */
#ifndef SKL_CLI_H
#define SKL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "skl/key.h"
#include "skl/ledger.h"

#define EXIT_OK 0
#define EXIT_INVALID 1
#define EXIT_TROUBLE 2

/* The options a subcommand may take; each command reads those it knows. */
struct opts {
    const char *db, *out, *key, *log_key, *name, *origin, *tiles, *vkey, *pass_file, *created;
    const char *index, *size, *from, *to, *threads;
    /* issuers, workers and issuing (issue 3) */
    const char *dir, *authority, *authority_key, *scope, *directory, *did, *until, *reason;
    const char *effective, *target, *id_type, *id_number, *csv, *kind, *cert_out;
    const char *vault_pass_file, *body;
    /* bundles (issue 4) */
    const char *worker, *disclose, *format, *policy, *quorum, *max_age, *programme;
    const char *sets[64]; /* --set FIELD=VALUE, in order */
    int nsets;
    int json, dry_run;
    int nargs;
    char **args; /* the positional arguments */
};

/* Parses argv[1..) of a subcommand; allowed is a string of option names separated by
 * spaces ("db out json"). Prints the problem and returns -1 on a bad option. */
int cli_parse(struct opts *o, int argc, char **argv, const char *cmd, const char *allowed);

/* Prints "skl: " + message + "\n" to stderr. Returns EXIT_TROUBLE for convenience. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file ("-" = stdin) of at most max bytes; prints why and returns NULL. */
char *cli_read(const char *path, size_t max, size_t *len);

/* The passphrase from --pass-file (first line) or $SKL_PASSPHRASE, in sodium_malloc'd
 * memory (free with cli_pass_free), or NULL if neither is given. *err is set on failure. */
char *cli_passphrase(const struct opts *o, int *err);
void cli_pass_free(char *p);

/* The vault passphrase: --vault-pass-file or $SKL_VAULT_PASSPHRASE, as cli_passphrase. */
char *cli_vault_passphrase(const struct opts *o, int *err);

/* Loads a key file, asking for the passphrase as configured. Prints why on failure. */
skl_key *cli_load_key(const struct opts *o, const char *path);

/* Parses a decimal uint64; prints why and returns -1 if it is not one. */
int cli_u64(const char *s, const char *what, uint64_t *v);

/* The worker thread count: --threads, or the number of online CPUs. */
unsigned cli_threads(const struct opts *o);

/* Writes s as a JSON string literal (quotes included) to f. */
void cli_json_string(FILE *f, const char *s, size_t n);

/* Reads a verifier key: a file holding it if one is readable at arg, else arg itself. */
char *cli_vkey(const char *arg);

/* Display columns of UTF-8 text s in a terminal (a Han character takes two). */
int cli_width(const char *s);
/* Prints s in a column of width display columns: padded with spaces, or cut at a character
 * boundary and ended with an ellipsis when wider. */
void cli_column(FILE *f, const char *s, int width);

/* The credentials in a file: one JSON object, or a JSON array of them (each element
 * re-serialized canonically; *is_array is then 1). On success *texts and *lens hold *count
 * malloc'd texts; free with cli_free_texts. Prints why and returns -1 on failure. */
int cli_credentials(const char *path, char ***texts, size_t **lens, size_t *count, int *is_array);
void cli_free_texts(char **texts, size_t *lens, size_t count);

/* Opens the ledger at db; prints why and returns NULL on failure. */
skl_ledger *cli_open_ledger(const char *db);

/* Removes a ledger file and its -wal and -shm companions (a failed init). */
void cli_remove_db(const char *db);

/* Prints "what: <code>: <the handle's detail>" and returns EXIT_TROUBLE. */
int cli_ledger_fail(skl_ledger *l, const char *what, int r);

/* A UTC time: "YYYY-MM-DD" (midnight) or "YYYY-MM-DDThh:mm:ssZ". Prints why, returns -1. */
int cli_time(const char *s, const char *what, int64_t *t);

/* A fresh "urn:uuid:<random UUID v4>" (46 bytes with the NUL). */
void cli_uuid(char out[46]);

/* Opens the worker vault of l with the vault passphrase; prints why and returns NULL. */
struct skl_vault *cli_open_vault(const struct opts *o, skl_ledger *l);
#endif
