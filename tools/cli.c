/* cli.c - option parsing, files, passphrases and output shared by the subcommands. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "skl/err.h"
#include "skl/json.h"
#include "skl/vault.h"
#include "utc_int.h"

int
cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("skl: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_TROUBLE;
}

static const struct option all_options[] = {{"db", required_argument, NULL, 'd'},
                                            {"out", required_argument, NULL, 'o'},
                                            {"key", required_argument, NULL, 'k'},
                                            {"log-key", required_argument, NULL, 'l'},
                                            {"name", required_argument, NULL, 'n'},
                                            {"origin", required_argument, NULL, 'g'},
                                            {"tiles", required_argument, NULL, 't'},
                                            {"vkey", required_argument, NULL, 'v'},
                                            {"pass-file", required_argument, NULL, 'p'},
                                            {"created", required_argument, NULL, 'c'},
                                            {"index", required_argument, NULL, 'i'},
                                            {"size", required_argument, NULL, 's'},
                                            {"from", required_argument, NULL, 'f'},
                                            {"to", required_argument, NULL, 'T'},
                                            {"threads", required_argument, NULL, 'j'},
                                            {"json", no_argument, NULL, 'J'},
                                            {"dir", required_argument, NULL, 'D'},
                                            {"authority", required_argument, NULL, 'A'},
                                            {"authority-key", required_argument, NULL, 'K'},
                                            {"scope", required_argument, NULL, 'S'},
                                            {"directory", required_argument, NULL, 'Y'},
                                            {"did", required_argument, NULL, 'I'},
                                            {"until", required_argument, NULL, 'U'},
                                            {"reason", required_argument, NULL, 'R'},
                                            {"effective", required_argument, NULL, 'E'},
                                            {"target", required_argument, NULL, 'G'},
                                            {"id-type", required_argument, NULL, 'y'},
                                            {"id-number", required_argument, NULL, 'N'},
                                            {"csv", required_argument, NULL, 'C'},
                                            {"kind", required_argument, NULL, 'Q'},
                                            {"cert-out", required_argument, NULL, 'O'},
                                            {"vault-pass-file", required_argument, NULL, 'P'},
                                            {"body", required_argument, NULL, 'B'},
                                            {"set", required_argument, NULL, 'e'},
                                            {"dry-run", no_argument, NULL, 'X'},
                                            {"worker", required_argument, NULL, 'W'},
                                            {"disclose", required_argument, NULL, 'Z'},
                                            {"format", required_argument, NULL, 'F'},
                                            {"policy", required_argument, NULL, 'L'},
                                            {"quorum", required_argument, NULL, 'q'},
                                            {"max-age", required_argument, NULL, 'M'},
                                            {"programme", required_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};

int
cli_parse(struct opts *o, int argc, char **argv, const char *cmd, const char *allowed)
{
    memset(o, 0, sizeof *o);
    optind = 1;
    opterr = 0;
    int c, idx = 0;
    while ((c = getopt_long(argc, argv, "", all_options, &idx)) != -1) {
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (c == '?' && optopt == 0)
                cli_fail("%s: unknown option %s (see skl help %s)", cmd, bad, cmd);
            else
                cli_fail("%s: option %s needs a value", cmd, bad);
            return -1;
        }
        const char *name = all_options[idx].name;
        /* Accept only the options this command documents. */
        size_t nl = strlen(name);
        const char *p = allowed;
        int ok = 0;
        while ((p = strstr(p, name)) != NULL) {
            if ((p == allowed || p[-1] == ' ') && (p[nl] == ' ' || p[nl] == '\0')) {
                ok = 1;
                break;
            }
            p += nl;
        }
        if (!ok) {
            cli_fail("%s: option --%s does not apply (see skl help %s)", cmd, name, cmd);
            return -1;
        }
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'o': o->out = optarg; break;
        case 'k': o->key = optarg; break;
        case 'l': o->log_key = optarg; break;
        case 'n': o->name = optarg; break;
        case 'g': o->origin = optarg; break;
        case 't': o->tiles = optarg; break;
        case 'v': o->vkey = optarg; break;
        case 'p': o->pass_file = optarg; break;
        case 'c': o->created = optarg; break;
        case 'i': o->index = optarg; break;
        case 's': o->size = optarg; break;
        case 'f': o->from = optarg; break;
        case 'T': o->to = optarg; break;
        case 'j': o->threads = optarg; break;
        case 'J': o->json = 1; break;
        case 'D': o->dir = optarg; break;
        case 'A': o->authority = optarg; break;
        case 'K': o->authority_key = optarg; break;
        case 'S': o->scope = optarg; break;
        case 'Y': o->directory = optarg; break;
        case 'I': o->did = optarg; break;
        case 'U': o->until = optarg; break;
        case 'R': o->reason = optarg; break;
        case 'E': o->effective = optarg; break;
        case 'G': o->target = optarg; break;
        case 'y': o->id_type = optarg; break;
        case 'N': o->id_number = optarg; break;
        case 'C': o->csv = optarg; break;
        case 'Q': o->kind = optarg; break;
        case 'O': o->cert_out = optarg; break;
        case 'P': o->vault_pass_file = optarg; break;
        case 'B': o->body = optarg; break;
        case 'X': o->dry_run = 1; break;
        case 'W': o->worker = optarg; break;
        case 'Z': o->disclose = optarg; break;
        case 'F': o->format = optarg; break;
        case 'L': o->policy = optarg; break;
        case 'q': o->quorum = optarg; break;
        case 'M': o->max_age = optarg; break;
        case 'h': o->programme = optarg; break;
        case 'e':
            if (o->nsets == (int)(sizeof o->sets / sizeof o->sets[0]) ||
                strchr(optarg, '=') == NULL) {
                cli_fail("%s: --set takes FIELD=VALUE (at most 64 times)", cmd);
                return -1;
            }
            o->sets[o->nsets++] = optarg;
            break;
        }
    }
    o->nargs = argc - optind;
    o->args = argv + optind;
    uint64_t t;
    if (o->threads && (cli_u64(o->threads, "--threads", &t) != 0 || t < 1 || t > 64)) {
        cli_fail("%s: --threads takes a number from 1 to 64", cmd);
        return -1;
    }
    return 0;
}

char *
cli_read(const char *path, size_t max, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        cli_fail("%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        cli_fail("%s: is a directory", path);
        fclose(f);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n == cap - 1) {
            if (cap > max + 1) {
                cli_fail("%s: larger than %zu bytes", path, max);
                free(buf);
                buf = NULL;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - 1 - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) {
                cli_fail("%s: read error", path);
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf == NULL)
        return NULL;
    if (n > max) {
        cli_fail("%s: larger than %zu bytes", path, max);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* A passphrase from the first line of file, else from the environment variable env. */
static char *
read_passphrase(const char *file, const char *env_name, int *err)
{
    *err = 0;
    const char *env = getenv(env_name);
    if (file == NULL && (env == NULL || *env == '\0'))
        return NULL;
    char *p = sodium_malloc(1024);
    if (p == NULL) {
        *err = 1;
        cli_fail("out of memory");
        return NULL;
    }
    if (file) {
        FILE *f = fopen(file, "r");
        if (f == NULL) {
            cli_fail("%s: %s", file, strerror(errno));
            sodium_free(p);
            *err = 1;
            return NULL;
        }
        if (fgets(p, 1024, f) == NULL)
            p[0] = '\0';
        fclose(f);
        p[strcspn(p, "\r\n")] = '\0';
        if (p[0] == '\0') {
            cli_fail("%s: the passphrase file is empty", file);
            sodium_free(p);
            *err = 1;
            return NULL;
        }
    } else {
        if (strlen(env) >= 1024) {
            cli_fail("%s is longer than 1023 bytes", env_name);
            sodium_free(p);
            *err = 1;
            return NULL;
        }
        strcpy(p, env);
    }
    return p;
}

char *
cli_passphrase(const struct opts *o, int *err)
{
    return read_passphrase(o->pass_file, "SKL_PASSPHRASE", err);
}

char *
cli_vault_passphrase(const struct opts *o, int *err)
{
    return read_passphrase(o->vault_pass_file, "SKL_VAULT_PASSPHRASE", err);
}

void
cli_pass_free(char *p)
{
    if (p)
        sodium_free(p); /* sodium_free wipes */
}

skl_key *
cli_load_key(const struct opts *o, const char *path)
{
    int err;
    skl_key *k = NULL;
    char *pass = cli_passphrase(o, &err);
    if (err)
        return NULL;
    int rc = skl_key_load(&k, path, pass);
    cli_pass_free(pass);
    if (rc == SKL_ERR_PASSPHRASE)
        cli_fail("%s: wrong or missing passphrase (set SKL_PASSPHRASE or --pass-file)", path);
    else if (rc != SKL_OK)
        cli_fail("%s: cannot load key: %s", path, skl_strerror(rc));
    return rc == SKL_OK ? k : NULL;
}

int
cli_u64(const char *s, const char *what, uint64_t *v)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9') {
        cli_fail("%s must be a non-negative integer", what);
        return -1;
    }
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end != '\0') {
        cli_fail("%s must be a non-negative integer, not \"%s\"", what, s);
        return -1;
    }
    *v = x;
    return 0;
}

unsigned
cli_threads(const struct opts *o)
{
    if (o->threads) /* checked by cli_parse */
        return (unsigned)strtoul(o->threads, NULL, 10);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

void
cli_json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

char *
cli_vkey(const char *arg)
{
    /* A readable file holds the key; anything else is the key itself. */
    if (access(arg, R_OK) != 0)
        return strdup(arg);
    size_t len;
    char *s = cli_read(arg, 4096, &len);
    if (s == NULL)
        return NULL;
    s[strcspn(s, "\r\n")] = '\0';
    return s;
}

#define CLI_FILE_MAX ((size_t)256 << 20)

int
cli_credentials(const char *path, char ***texts, size_t **lens, size_t *count, int *is_array)
{
    *is_array = 0;
    size_t len;
    char *text = cli_read(path, CLI_FILE_MAX, &len);
    if (text == NULL)
        return -1;
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r'))
        i++;
    if (i == len || text[i] != '[') {
        /* One credential: hand over the text as it is; the ledger checks it. */
        *texts = malloc(sizeof **texts);
        *lens = malloc(sizeof **lens);
        if (*texts == NULL || *lens == NULL) {
            free(*texts);
            free(*lens);
            free(text);
            return cli_fail("out of memory"), -1;
        }
        (*texts)[0] = text;
        (*lens)[0] = len;
        *count = 1;
        return 0;
    }
    skl_json_doc *doc = NULL;
    char why[160];
    *is_array = 1;
    int rc = skl_json_parse(&doc, text, len, CLI_FILE_MAX, why, sizeof why);
    free(text);
    if (rc != SKL_OK)
        return cli_fail("%s: not valid JSON: %s", path, why), -1;
    const skl_json_value *root = skl_json_root(doc);
    *count = root->n;
    *texts = calloc(root->n ? root->n : 1, sizeof **texts);
    *lens = calloc(root->n ? root->n : 1, sizeof **lens);
    if (*texts == NULL || *lens == NULL) {
        skl_json_free(doc);
        cli_free_texts(*texts, *lens, 0);
        return cli_fail("out of memory"), -1;
    }
    for (size_t k = 0; k < root->n; k++) {
        if (skl_json_canonicalize(&root->u.arr[k], &(*texts)[k], &(*lens)[k]) != SKL_OK) {
            skl_json_free(doc);
            cli_free_texts(*texts, *lens, k);
            return cli_fail("out of memory"), -1;
        }
    }
    skl_json_free(doc);
    return 0;
}

void
cli_free_texts(char **texts, size_t *lens, size_t count)
{
    for (size_t i = 0; texts && i < count; i++)
        free(texts[i]);
    free(texts);
    free(lens);
}

skl_ledger *
cli_open_ledger(const char *db)
{
    skl_ledger *l = NULL;
    int r = skl_ledger_open(&l, db);
    if (r == SKL_ERR_NOTFOUND)
        cli_fail("%s: no such ledger (create one with skl ledger init)", db);
    else if (r == SKL_ERR_CORRUPT)
        cli_fail("%s: not an skl ledger%s%s", db, *skl_ledger_errmsg(l) ? ": " : "",
                 skl_ledger_errmsg(l));
    else if (r != SKL_OK)
        cli_fail("%s: cannot open ledger: %s", db, skl_strerror(r));
    return r == SKL_OK ? l : NULL;
}

int
cli_ledger_fail(skl_ledger *l, const char *what, int r)
{
    const char *m = skl_ledger_errmsg(l);
    return cli_fail("%s: %s%s%s", what, skl_strerror(r), *m ? ": " : "", m);
}

int
cli_time(const char *s, const char *what, int64_t *t)
{
    char full[32];
    size_t n = strlen(s);
    if (n == 10 && snprintf(full, sizeof full, "%sT00:00:00Z", s) == 20)
        s = full;
    if (skl_utc_parse(t, s, strlen(s)) != 0) {
        cli_fail("%s: \"%s\" is not a date (YYYY-MM-DD) or UTC time (YYYY-MM-DDThh:mm:ssZ)", what,
                 s);
        return -1;
    }
    return 0;
}

void
cli_remove_db(const char *db)
{
    char p[4096];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
}

void
cli_uuid(char out[46])
{
    uint8_t u[16];
    randombytes_buf(u, sizeof u);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
    snprintf(out, 46,
             "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

skl_vault *
cli_open_vault(const struct opts *o, skl_ledger *l)
{
    int err = 0;
    char *pass = cli_vault_passphrase(o, &err);
    if (err)
        return NULL;
    if (pass == NULL) {
        cli_fail("the worker vault needs its passphrase: set SKL_VAULT_PASSPHRASE or "
                 "--vault-pass-file");
        return NULL;
    }
    skl_vault *v = NULL;
    int r = skl_vault_open(&v, l, pass);
    cli_pass_free(pass);
    if (r == SKL_ERR_PASSPHRASE)
        cli_fail("wrong vault passphrase");
    else if (r != SKL_OK)
        cli_fail("cannot open the worker vault: %s%s%s", skl_strerror(r),
                 *skl_ledger_errmsg(l) ? ": " : "", skl_ledger_errmsg(l));
    return r == SKL_OK ? v : NULL;
}
