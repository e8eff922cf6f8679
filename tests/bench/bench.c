/*
 * bench.c - `make bench`: libskl's performance figures, each printed beside the raw primitive
 * it stands on, measured in the same run (DESIGN.md section 5, "Budgets").
 *
 * A benchmark prints; it asserts nothing. A figure that misses its target says MISS and the
 * exit status stays 0; it is non-zero only when the bench itself cannot run.
 *
 * The machine is shared and noisy, so every figure is the median of SKL_BENCH_REPS runs, and
 * every ratio is the median of the ratios of the runs, each taken against the raw primitive
 * measured just before it in the same run (a slow moment tends to hit both sides). Beside the
 * wall-clock ratio, which is the one judged against the target, the "cpu" column gives the
 * same ratio computed from process CPU time: it does not move when other programs take the
 * cores, and it leaves out I/O waits, so a gap between the two columns is either load on the
 * machine or time spent waiting (fsync).
 *
 * Environment:
 *   SKL_BENCH_N       leaves of the large ledger (default 1000000; e.g. 100000 for a quick run)
 *   SKL_BENCH_REPS    repetitions per figure (default 5)
 *   SKL_BENCH_INGEST  credentials per ingest and audit measurement (default 20000)
 *   SKL_BENCH_ONLY    comma-separated sections to run, for profiling one of them:
 *                     raw,sign,ingest,policy,bundle,export,audit,big (default: all)
 *   TMPDIR            where the work directory is made (default /tmp); it is removed at exit
 *
 * Internal modes: the bench re-executes itself to measure the peak RSS of a fresh process:
 *   skl_bench --audit-child DB THREADS | --tiles-child DIR VKEY THREADS | --noop-child
 * Each child prints one line "rc leaves wall_s cpu_s peak_rss_kib why" on stdout. The peak
 * RSS is the child's own VmHWM: the ru_maxrss that wait4() reports would also count the pages
 * of the parent that forked it (Linux keeps the old address space's high-water mark across
 * exec).
 */
#include "sha256_int.h" /* first: it sets OPENSSL_API_COMPAT for every OpenSSL header */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>
#include <sqlite3.h>

#include "skl/authority.h"
#include "skl/bundle.h"
#include "skl/build.h"
#include "skl/cert.h"
#include "skl/skl.h"

#define BENCH_CREATED "2025-03-01T08:00:00Z"
#define BENCH_TIME 1740816000 /* the integration clock of the small ledgers */
#define ORIGIN "bench.skl.example/skills"
#define BATCH 1000      /* credentials per skl_ledger_append() call */
#define BIG_CHUNK 10000 /* the large ledger is signed and appended this many at a time */
#define PROOFS 2000     /* inclusion proofs timed per run and tree size */
#define SMALL_TREE 1000 /* the reference tree size for proof times */
#define SIGN_K 3000     /* credentials signed per run of figure 2 */
#define RAW_SIGNS 3000
#define RAW_VERIFIES 2000
#define T2 2 /* "two threads": the machine has two cores */
#define MAX_REPS 101
#define PATH_CAP 1200

/* ---- small helpers ------------------------------------------------------------------ */

static char g_tmp[1024]; /* the work directory, removed at exit */
static unsigned g_reps = 5;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process (every thread), in seconds. */
static double
cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A stopwatch of wall-clock and process CPU time. */
struct sw {
    double wall, cpu;
};

/* Operations per second, of wall-clock time and of process CPU time. */
struct rate {
    double wall, cpu;
};

static struct sw
sw_start(void)
{
    struct sw s = {now_s(), cpu_s()};
    return s;
}

static struct rate
sw_rate(struct sw s, double ops)
{
    double w = now_s() - s.wall, c = cpu_s() - s.cpu;
    struct rate r = {ops / (w > 0 ? w : 1e-9), ops / (c > 0 ? c : 1e-9)};
    return r;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One value per run. */
struct series {
    double v[MAX_REPS];
};

/* The median of the first g_reps values (s is left alone). */
static double
med(const struct series *s)
{
    double t[MAX_REPS];
    size_t n = g_reps;
    memcpy(t, s->v, n * sizeof *t);
    qsort(t, n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2.0;
}

/* The median of v[0..n) (sorts v). */
static double
median(double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

static uint64_t
env_u64(const char *name, uint64_t def, uint64_t min, uint64_t max)
{
    const char *s = getenv(name);
    if (s == NULL || *s == '\0')
        return def;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "skl_bench: %s=%s ignored (want %llu..%llu); using %llu\n", name, s,
                (unsigned long long)min, (unsigned long long)max, (unsigned long long)def);
        return def;
    }
    return v;
}

/* Whether section name is to run (SKL_BENCH_ONLY). */
static int
want(const char *name)
{
    const char *only = getenv("SKL_BENCH_ONLY");
    if (only == NULL || *only == '\0')
        return 1;
    size_t n = strlen(name);
    for (const char *p = only; *p != '\0';) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, name, n) == 0)
            return 1;
        p += k;
        if (*p == ',')
            p++;
    }
    return 0;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "skl_bench: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    exit(2);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void
cleanup_tmp(void)
{
    if (g_tmp[0] != '\0')
        nftw(g_tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    g_tmp[0] = '\0';
}

static void
path_in_tmp(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", g_tmp, name);
}

/* Removes a ledger file and its WAL and shared-memory files. */
static void
rm_db(const char *path)
{
    char p[PATH_CAP + 8];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static off_t
file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? sb.st_size : 0;
}

/* splitmix64: deterministic random indices. */
static uint64_t
rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void
print_load(void)
{
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) == 3)
        printf("   (load average %.2f %.2f %.2f)\n", load[0], load[1], load[2]);
}

/* ---- the table ---------------------------------------------------------------------- */

enum { NO_TARGET, AT_LEAST, AT_MOST };

struct row {
    char figure[64];
    char value[40];
    char raw[40];
    double ratio;     /* the judged ratio (wall-clock); < 0: none */
    double cpu_ratio; /* the same from CPU time; < 0: none */
    int kind;
    double target;
};

static struct row g_rows[64];
static size_t g_nrows;

static const char *
verdict(const struct row *r)
{
    if (r->kind == NO_TARGET || r->ratio < 0)
        return "";
    int ok = r->kind == AT_LEAST ? r->ratio >= r->target : r->ratio <= r->target;
    return ok ? "PASS" : "MISS";
}

static void
print_row(const struct row *r)
{
    char ratio[24] = "", cpu[24] = "", target[24] = "";
    if (r->ratio >= 0)
        snprintf(ratio, sizeof ratio, "%.3f", r->ratio);
    if (r->cpu_ratio >= 0)
        snprintf(cpu, sizeof cpu, "%.3f", r->cpu_ratio);
    if (r->kind != NO_TARGET)
        snprintf(target, sizeof target, "%s %.2f", r->kind == AT_LEAST ? ">=" : "<=", r->target);
    printf("  %-41s %15s  %-28s %7s %7s  %-9s %s\n", r->figure, r->value, r->raw, ratio, cpu,
           target, verdict(r));
}

static void
print_header(void)
{
    static const char dash[] = "------------------------------------------";
    printf("  %-41s %15s  %-28s %7s %7s  %-9s %s\n", "figure", "measured",
           "raw primitive (same run)", "ratio", "cpu", "target", "");
    printf("  %.41s %.15s  %.28s %.7s %.7s  %.9s %s\n", dash, dash, dash, dash, dash, dash, "----");
}

/* Records a row of the summary and prints it at once. */
static void
add_row(const char *figure, const char *value, const char *raw, double ratio, double cpu_ratio,
        int kind, double target)
{
    struct row *r = &g_rows[g_nrows < 63 ? g_nrows++ : 63];
    snprintf(r->figure, sizeof r->figure, "%s", figure);
    snprintf(r->value, sizeof r->value, "%s", value);
    snprintf(r->raw, sizeof r->raw, "%s", raw);
    r->ratio = ratio;
    r->cpu_ratio = cpu_ratio;
    r->kind = kind;
    r->target = target;
    print_row(r);
    fflush(stdout);
}

/* ---- machine ------------------------------------------------------------------------ */

/* Median latency of a 4 KiB write + fdatasync in the work directory, in ms (-1: unknown):
 * every ledger commit pays one (synchronous=FULL). */
static double
fsync_ms(void)
{
    char path[PATH_CAP];
    static const uint8_t block[4096];
    double t[9];
    path_in_tmp(path, sizeof path, "fsync-probe");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    size_t n = 0;
    for (; n < sizeof t / sizeof t[0]; n++) {
        double t0 = now_s();
        if (write(fd, block, sizeof block) != (ssize_t)sizeof block || fdatasync(fd) != 0)
            break;
        t[n] = (now_s() - t0) * 1e3;
    }
    close(fd);
    unlink(path);
    return n == 0 ? -1 : median(t, n);
}

static void
machine_info(void)
{
    char model[256] = "unknown", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "model name", 10) == 0) {
                const char *p = strchr(line, ':');
                if (p != NULL) {
                    p++;
                    while (*p == ' ' || *p == '\t')
                        p++;
                    snprintf(model, sizeof model, "%s", p);
                    model[strcspn(model, "\n")] = '\0';
                }
                break;
            }
        }
        fclose(f);
    }
    long mem_kib = 0;
    f = fopen("/proc/meminfo", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL)
            if (sscanf(line, "MemTotal: %ld kB", &mem_kib) == 1)
                break;
        fclose(f);
    }
    struct utsname u;
    if (uname(&u) != 0)
        memset(&u, 0, sizeof u);
    printf("machine\n");
    printf("  cpu          %s\n", model);
    printf("  cores        %ld online (%ld configured)\n", sysconf(_SC_NPROCESSORS_ONLN),
           sysconf(_SC_NPROCESSORS_CONF));
    printf("  memory       %.1f GiB\n", (double)mem_kib / (1024.0 * 1024.0));
    printf("  kernel       %s %s %s\n", u.sysname, u.release, u.machine);
    printf("  libskl       %s\n", skl_version());
    printf("  libsodium    %s\n", sodium_version_string());
    printf("  OpenSSL      %s\n", OpenSSL_version(OPENSSL_VERSION));
    printf("  SQLite       %s\n", sqlite3_libversion());
    printf("  fsync        %.3f ms (4 KiB write + fdatasync in the work directory, median)\n",
           fsync_ms());
    print_load();
}

/* ---- raw primitives ----------------------------------------------------------------- */

/* Ed25519 signs of 64-byte messages (what eddsa-jcs-2022 signs: two SHA-256 hashes). */
static struct rate
raw_sign_rate(size_t n)
{
    uint8_t pk[32], sk[64], msg[64], sig[64];
    crypto_sign_keypair(pk, sk);
    randombytes_buf(msg, sizeof msg);
    struct sw t = sw_start();
    for (size_t i = 0; i < n; i++) {
        msg[i % 64] ^= (uint8_t)i;
        crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
        msg[0] ^= sig[0];
    }
    struct rate r = sw_rate(t, (double)n);
    sodium_memzero(sk, sizeof sk);
    return r;
}

/* Signed 64-byte messages (the size eddsa-jcs-2022 signs) for timing raw verifies. */
enum { VERIFY_SET = 16 };
struct verify_set {
    uint8_t pk[32], msg[VERIFY_SET][64], sig[VERIFY_SET][64];
};

static void
verify_set_make(struct verify_set *v)
{
    uint8_t sk[64];
    crypto_sign_keypair(v->pk, sk);
    for (size_t k = 0; k < VERIFY_SET; k++) {
        randombytes_buf(v->msg[k], 64);
        crypto_sign_detached(v->sig[k], NULL, v->msg[k], 64, sk);
    }
    sodium_memzero(sk, sizeof sk);
}

/* n raw verifies over the set. Dies if a good signature fails. */
static struct rate
verify_set_rate(const struct verify_set *v, size_t n)
{
    size_t bad = 0;
    struct sw t = sw_start();
    for (size_t i = 0; i < n; i++)
        bad += crypto_sign_verify_detached(v->sig[i % VERIFY_SET], v->msg[i % VERIFY_SET], 64,
                                           v->pk) != 0;
    struct rate r = sw_rate(t, (double)n);
    if (bad)
        die("libsodium: a good signature did not verify");
    return r;
}

/* Ed25519 verifies of 64-byte messages. */
static struct rate
raw_verify_rate(size_t n)
{
    struct verify_set v;
    verify_set_make(&v);
    return verify_set_rate(&v, n);
}

/* SHA-256 through OpenSSL's low-level SHA256_Init/Update/Final (its CPU-accelerated core,
 * which libskl's streaming skl_sha256_ctx calls). */
static void
sha_lowlevel(uint8_t out[32], const void *p, size_t n)
{
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, p, n);
    SHA256_Final(out, &c);
}

/* SHA-256 over 1 KiB blocks: bytes per second. */
static double
raw_sha_1k_rate(size_t blocks)
{
    static uint8_t buf[1024];
    uint8_t out[32];
    buf[0] = 1;
    double t0 = now_s();
    for (size_t i = 0; i < blocks; i++) {
        sha_lowlevel(out, buf, sizeof buf);
        buf[i % sizeof buf] ^= out[0];
    }
    return (double)blocks * sizeof buf / (now_s() - t0);
}

/* SHA-256 of 65 bytes (0x01 || left || right), the RFC 6962 node hash input; oneshot selects
 * OpenSSL's one-shot SHA256(), which is what skl_sha256() in sha256_int.h calls. */
static double
raw_sha_65_rate(size_t n, int oneshot)
{
    uint8_t in[65] = {1}, out[32];
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        if (oneshot)
            skl_sha256(out, in, sizeof in);
        else
            sha_lowlevel(out, in, sizeof in);
        memcpy(in + 1, out, 32);
    }
    return (double)n / (now_s() - t0);
}

/* skl_merkle_node_hash(): the library's node hash. */
static double
node_hash_rate(size_t n)
{
    uint8_t a[32] = {1}, b[32] = {2};
    double t0 = now_s();
    for (size_t i = 0; i < n; i++)
        skl_merkle_node_hash(a, a, b);
    return (double)n / (now_s() - t0);
}

/* ---- credentials -------------------------------------------------------------------- */

/*
 * A realistic unsigned Open Badges 3.0 AchievementCredential (W3C VC 2.0), the shape of
 * tests/e2e/mkcred.sh, varied by serial (id, date, identity hash, credits).
 */
static int
make_unsigned(char *buf, size_t cap, const char *did, uint64_t serial)
{
    uint64_t n = serial % 1000000000000ULL;
    return snprintf(
        buf, cap,
        "{\n"
        "  \"@context\": [\n"
        "    \"https://www.w3.org/ns/credentials/v2\",\n"
        "    \"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"\n"
        "  ],\n"
        "  \"id\": \"urn:uuid:5b1e7c2a-0d4f-4b6e-9a3c-%012llu\",\n"
        "  \"type\": [\"VerifiableCredential\", \"OpenBadgeCredential\"],\n"
        "  \"name\": \"职业技能等级证书\",\n"
        "  \"issuer\": {\n"
        "    \"id\": \"%s\",\n"
        "    \"type\": [\"Profile\"],\n"
        "    \"name\": \"重庆市北碚区职业技能鉴定中心\"\n"
        "  },\n"
        "  \"validFrom\": \"2024-06-%02uT08:00:00Z\",\n"
        "  \"credentialSubject\": {\n"
        "    \"type\": [\"AchievementSubject\"],\n"
        "    \"identifier\": [{\n"
        "      \"type\": \"IdentityObject\",\n"
        "      \"identityHash\": "
        "\"sha256$a3f1c9e07b2d4e8f%016llu6c5b4a39281706f5e4d3c2b1a0%016llu\",\n"
        "      \"identityType\": \"identifier\",\n"
        "      \"hashed\": true\n"
        "    }],\n"
        "    \"achievement\": {\n"
        "      \"id\": \"urn:skl:achievement:6-31-01-03:4\",\n"
        "      \"type\": [\"Achievement\"],\n"
        "      \"achievementType\": \"Certificate\",\n"
        "      \"name\": \"电工 四级/中级工\",\n"
        "      \"description\": \"职业技能等级认定：电工（6-31-01-03），四级/中级工。"
        "考核内容：低压电气安装与调试。\",\n"
        "      \"criteria\": {\"narrative\": \"理论知识考试与操作技能考核均合格（60分及以上）\"}\n"
        "    },\n"
        "    \"result\": [{\"type\": [\"Result\"], \"value\": \"合格\"}],\n"
        "    \"creditsEarned\": %u\n"
        "  }\n"
        "}\n",
        (unsigned long long)n, did, (unsigned)(n % 28 + 1), (unsigned long long)n,
        (unsigned long long)(n * 7919 % 10000000000000000ULL), (unsigned)(n % 5 + 1));
}

/* A set of credentials: texts (malloc'd) and their lengths. */
struct credset {
    char **text;
    size_t *len;
    size_t n;
};

static void
credset_alloc(struct credset *s, size_t n)
{
    s->text = calloc(n, sizeof *s->text);
    s->len = calloc(n, sizeof *s->len);
    s->n = n;
    if (s->text == NULL || s->len == NULL)
        die("out of memory");
}

static void
credset_free(struct credset *s)
{
    for (size_t i = 0; s->text != NULL && i < s->n; i++)
        free(s->text[i]);
    free(s->text);
    free(s->len);
    memset(s, 0, sizeof *s);
}

struct signjob {
    struct credset *set;
    size_t from, to;  /* slots [from, to) */
    uint64_t serial0; /* serial of slot 0 */
    const skl_key *key;
    const char *did;
    int failed;
    char why[256];
};

static void *
sign_worker(void *arg)
{
    struct signjob *j = arg;
    char text[4096];
    for (size_t i = j->from; i < j->to && !j->failed; i++) {
        int n = make_unsigned(text, sizeof text, j->did, j->serial0 + i);
        if (n < 0 || (size_t)n >= sizeof text) {
            j->failed = 1;
            snprintf(j->why, sizeof j->why, "credential template too long");
            break;
        }
        if (skl_vc_sign(&j->set->text[i], &j->set->len[i], text, (size_t)n, j->key, BENCH_CREATED,
                        j->why, sizeof j->why) != SKL_OK)
            j->failed = 1;
    }
    return NULL;
}

/* Signs credentials of serials serial0.. into every slot of s on `threads` threads (at most
 * 8; skl_vc_sign is reentrant and the key is read-only). Wall seconds; *cpu gets CPU seconds. */
static double
sign_set(struct credset *s, uint64_t serial0, unsigned threads, const skl_key *key, const char *did,
         double *cpu)
{
    struct signjob job[8];
    pthread_t th[8];
    if (threads < 1)
        threads = 1;
    if (threads > 8)
        threads = 8;
    struct sw t = sw_start();
    for (unsigned k = 0; k < threads; k++) {
        job[k] = (struct signjob){
            s, s->n * k / threads, s->n * (k + 1) / threads, serial0, key, did, 0, ""};
        if (pthread_create(&th[k], NULL, sign_worker, &job[k]) != 0)
            die("cannot start a thread");
    }
    for (unsigned k = 0; k < threads; k++)
        pthread_join(th[k], NULL);
    double wall = now_s() - t.wall;
    if (cpu != NULL)
        *cpu = cpu_s() - t.cpu;
    for (unsigned k = 0; k < threads; k++)
        if (job[k].failed)
            die("skl_vc_sign failed: %s", job[k].why);
    return wall;
}

/* ---- ledgers ------------------------------------------------------------------------ */

static const skl_key *g_log_key;
static const skl_key *g_issuer; /* the issuer of the pre-signed credentials */

static skl_ledger *
new_ledger(const char *path, int64_t fixed_time)
{
    skl_ledger *l = NULL;
    rm_db(path);
    int rc = skl_ledger_create(&l, path, ORIGIN, g_log_key);
    if (rc != SKL_OK)
        die("skl_ledger_create(%s): %s", path, skl_strerror(rc));
    if (fixed_time != 0)
        skl_ledger_set_time(l, fixed_time);
    return l;
}

static skl_ledger *
open_ledger(const char *path)
{
    skl_ledger *l = NULL;
    int rc = skl_ledger_open(&l, path);
    if (rc != SKL_OK)
        die("skl_ledger_open(%s): %s", path, skl_strerror(rc));
    return l;
}

/* Appends s[from, from+count) in batches of BATCH on `threads` threads; dies on error. */
static void
append_range(skl_ledger *l, const struct credset *s, size_t from, size_t count, unsigned threads)
{
    static skl_ledger_item items[BATCH];
    for (size_t i = from; i < from + count; i += BATCH) {
        size_t n = from + count - i < BATCH ? from + count - i : BATCH;
        int rc =
            skl_ledger_append(l, (const char *const *)&s->text[i], &s->len[i], n, items, threads);
        if (rc != SKL_OK) {
            const char *why = "";
            for (size_t k = 0; k < n; k++)
                if (items[k].err != SKL_OK) {
                    why = items[k].why;
                    break;
                }
            die("skl_ledger_append: %s: %s %s", skl_strerror(rc), skl_ledger_errmsg(l), why);
        }
    }
}

static char *
checkpoint(skl_ledger *l)
{
    char *note = NULL;
    size_t len;
    int rc = skl_ledger_checkpoint(l, g_log_key, &note, &len);
    if (rc != SKL_OK)
        die("skl_ledger_checkpoint: %s: %s", skl_strerror(rc), skl_ledger_errmsg(l));
    return note;
}

/* ---- child processes (peak RSS) ----------------------------------------------------- */

/* This process's peak resident set (VmHWM of /proc/self/status), in KiB; -1 if unknown. */
static long
peak_rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static int
child_main(int argc, char **argv)
{
    skl_audit_report rep;
    memset(&rep, 0, sizeof rep);
    if (skl_init() != SKL_OK)
        return 2;
    int rc = SKL_OK;
    struct sw t = sw_start();
    if (strcmp(argv[1], "--audit-child") == 0 && argc == 4) {
        skl_ledger *l = NULL;
        rc = skl_ledger_open(&l, argv[2]);
        if (rc == SKL_OK)
            rc = skl_ledger_audit(l, (unsigned)atoi(argv[3]), &rep);
        skl_ledger_close(l);
    } else if (strcmp(argv[1], "--tiles-child") == 0 && argc == 5) {
        rc = skl_tiles_audit(argv[2], argv[3], (unsigned)atoi(argv[4]), &rep);
    } else if (strcmp(argv[1], "--noop-child") != 0) {
        fprintf(stderr, "skl_bench: unknown internal mode %s\n", argv[1]);
        return 2;
    }
    printf("%d %llu %.6f %.6f %ld %s\n", rc, (unsigned long long)rep.leaves, now_s() - t.wall,
           cpu_s() - t.cpu, peak_rss_kib(), rep.why);
    return 0;
}

struct child_result {
    int rc;
    uint64_t leaves;
    double wall, cpu;
    long hwm_kib;    /* the child's own peak RSS */
    long maxrss_kib; /* wait4()'s ru_maxrss, which counts the forking parent too */
    char why[600];
};

/* Runs this program again with args; reads its answer line and its peak RSS. */
static int
run_child(char *const args[], struct child_result *cr)
{
    int fd[2];
    memset(cr, 0, sizeof *cr);
    fflush(stdout);
    fflush(stderr);
    if (pipe(fd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDOUT_FILENO);
        close(fd[1]);
        execv("/proc/self/exe", args);
        _exit(127);
    }
    close(fd[1]);
    char out[1024];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof out - 1 && (r = read(fd[0], out + got, sizeof out - 1 - got)) > 0)
        got += (size_t)r;
    close(fd[0]);
    out[got] = '\0';
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    cr->maxrss_kib = ru.ru_maxrss;
    unsigned long long leaves = 0;
    int consumed = 0;
    if (sscanf(out, "%d %llu %lf %lf %ld %n", &cr->rc, &leaves, &cr->wall, &cr->cpu, &cr->hwm_kib,
               &consumed) < 5)
        return -1;
    cr->leaves = leaves;
    snprintf(cr->why, sizeof cr->why, "%s", out + consumed);
    cr->why[strcspn(cr->why, "\n")] = '\0';
    return 0;
}

/* ---- the figures -------------------------------------------------------------------- */

struct ctx {
    skl_key *issuer;
    char *did;
    uint64_t big_n;
    size_t ingest_n;
    struct credset ingest; /* ingest_n pre-signed credentials, serials 0.. */
    char big_db[PATH_CAP], small_db[PATH_CAP], audit_db[PATH_CAP], big_tiles[PATH_CAP];
    char audit_tiles[PATH_CAP];
    char *big_vkey, *audit_vkey;
};

static void
fig_raw(void)
{
    struct series s, v, h, h65, nh, one;
    for (unsigned r = 0; r < g_reps; r++) {
        s.v[r] = raw_sign_rate(RAW_SIGNS * 2).wall;
        v.v[r] = raw_verify_rate(RAW_VERIFIES * 2).wall;
        h.v[r] = raw_sha_1k_rate(100000);
        h65.v[r] = raw_sha_65_rate(300000, 0);
        nh.v[r] = node_hash_rate(300000);
        one.v[r] = raw_sha_65_rate(300000, 1);
    }
    double ms = med(&s), mv = med(&v), mh = med(&h), mh65 = med(&h65);
    char val[64], raw[64];
    printf("\n1. raw primitives, one core (median of %u runs)\n", g_reps);
    print_load();
    print_header();
    snprintf(val, sizeof val, "%.0f sign/s", ms);
    snprintf(raw, sizeof raw, "%.1f us/sign (64-byte msg)", 1e6 / ms);
    add_row("Ed25519 crypto_sign_detached", val, raw, -1, -1, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f verify/s", mv);
    snprintf(raw, sizeof raw, "%.1f us/verify", 1e6 / mv);
    add_row("Ed25519 crypto_sign_verify_detached", val, raw, -1, -1, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f MB/s", mh / 1e6);
    snprintf(raw, sizeof raw, "%.2f us/KiB (SHA256_Update)", 1e6 * 1024 / mh);
    add_row("SHA-256 (OpenSSL) 1 KiB blocks", val, raw, -1, -1, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f hash/s", mh65);
    snprintf(raw, sizeof raw, "%.3f us/hash", 1e6 / mh65);
    add_row("SHA-256 of 65 bytes (node hash input)", val, raw, -1, -1, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f hash/s", med(&nh));
    snprintf(raw, sizeof raw, "%.0f raw 65-byte hash/s", mh65);
    add_row("skl_merkle_node_hash / raw", val, raw, med(&nh) / mh65, -1, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f hash/s", med(&one));
    add_row("skl_sha256() one-shot, 65 B / raw (info)", val, raw, med(&one) / mh65, -1, NO_TARGET,
            0);
}

static void
fig_sign(const struct ctx *c)
{
    static char text[SIGN_K][2048];
    static size_t tlen[SIGN_K];
    static char *out[SIGN_K];
    static size_t olen[SIGN_K];
    char why[256];
    for (size_t i = 0; i < SIGN_K; i++) {
        int n = make_unsigned(text[i], sizeof text[i], c->did, 900000000000ULL + i);
        if (n < 0 || (size_t)n >= sizeof text[i])
            die("credential template too long");
        tlen[i] = (size_t)n;
    }
    struct series rate, raw, q, qc, vrate, vraw, vq, vqc;
    for (unsigned r = 0; r < g_reps; r++) {
        struct rate rs = raw_sign_rate(RAW_SIGNS);
        /* Steady state: each signed credential is consumed (here: freed) before the next,
         * as the importer and `skl sign` do; keeping thousands alive would time page faults. */
        struct sw t = sw_start();
        for (size_t i = 0; i < SIGN_K; i++) {
            if (skl_vc_sign(&out[i], &olen[i], text[i], tlen[i], c->issuer, BENCH_CREATED, why,
                            sizeof why) != SKL_OK)
                die("skl_vc_sign: %s", why);
            free(out[i]);
        }
        struct rate ls = sw_rate(t, SIGN_K);
        for (size_t i = 0; i < SIGN_K; i++) /* untimed: the credentials to verify below */
            if (skl_vc_sign(&out[i], &olen[i], text[i], tlen[i], c->issuer, BENCH_CREATED, why,
                            sizeof why) != SKL_OK)
                die("skl_vc_sign: %s", why);
        rate.v[r] = ls.wall;
        raw.v[r] = rs.wall;
        q.v[r] = ls.wall / rs.wall;
        qc.v[r] = ls.cpu / rs.cpu;
        /* Standalone verification of what was just signed, for the record. */
        struct rate rv = raw_verify_rate(RAW_VERIFIES);
        t = sw_start();
        for (size_t i = 0; i < SIGN_K; i++)
            if (skl_vc_verify(out[i], olen[i], NULL, why, sizeof why) != SKL_OK)
                die("skl_vc_verify: %s", why);
        struct rate lv = sw_rate(t, SIGN_K);
        vrate.v[r] = lv.wall;
        vraw.v[r] = rv.wall;
        vq.v[r] = lv.wall / rv.wall;
        vqc.v[r] = lv.cpu / rv.cpu;
        if (r + 1 < g_reps)
            for (size_t i = 0; i < SIGN_K; i++) {
                free(out[i]);
                out[i] = NULL;
            }
    }
    char val[64], rawtxt[64];
    printf("\n2. signing a credential, one core (%d credentials per run, median of %u runs)\n",
           SIGN_K, g_reps);
    printf("   unsigned JSON text %zu bytes (indented, Chinese text); signed canonical %zu "
           "bytes\n",
           tlen[0], olen[0]);
    print_load();
    print_header();
    snprintf(val, sizeof val, "%.0f cred/s", med(&rate));
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw sign/s", med(&raw));
    add_row("skl_vc_sign / raw sign", val, rawtxt, med(&q), med(&qc), AT_LEAST, 0.80);
    snprintf(val, sizeof val, "%.0f cred/s", med(&vrate));
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", med(&vraw));
    add_row("skl_vc_verify / raw verify (info)", val, rawtxt, med(&vq), med(&vqc), NO_TARGET, 0);
    for (size_t i = 0; i < SIGN_K; i++) {
        free(out[i]);
        out[i] = NULL;
    }
}

/* One ingest run into a fresh ledger. */
static struct rate
ingest_once(const struct ctx *c, unsigned threads, unsigned rep)
{
    char path[PATH_CAP], name[64];
    snprintf(name, sizeof name, "ingest-%u-%u.db", threads, rep);
    path_in_tmp(path, sizeof path, name);
    skl_ledger *l = new_ledger(path, BENCH_TIME);
    struct sw t = sw_start();
    append_range(l, &c->ingest, 0, c->ingest_n, threads);
    struct rate r = sw_rate(t, (double)c->ingest_n);
    skl_ledger_close(l);
    rm_db(path);
    return r;
}

static void
fig_ingest(const struct ctx *c)
{
    struct series r1, r2, raw, q1, q1c, q2, q2v, q2vc, cores;
    for (unsigned r = 0; r < g_reps; r++) {
        struct rate rv = raw_verify_rate(RAW_VERIFIES);
        struct rate a = ingest_once(c, 1, r), b = ingest_once(c, T2, r);
        raw.v[r] = rv.wall;
        r1.v[r] = a.wall;
        r2.v[r] = b.wall;
        q1.v[r] = a.wall / rv.wall;
        q1c.v[r] = a.cpu / rv.cpu;
        q2.v[r] = b.wall / a.wall;
        q2v.v[r] = b.wall / T2 / rv.wall;
        q2vc.v[r] = b.cpu / rv.cpu;
        cores.v[r] = b.wall / b.cpu; /* = CPU seconds per wall second */
    }
    char val[64], rawtxt[64];
    printf("\n3. ingest: skl_ledger_append of pre-signed credentials into a fresh ledger on disk\n"
           "   (%zu credentials per run in batches of %d, WAL + synchronous=FULL; median of %u "
           "runs)\n",
           c->ingest_n, BATCH, g_reps);
    print_load();
    print_header();
    snprintf(val, sizeof val, "%.0f cred/s", med(&r1));
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", med(&raw));
    add_row("ingest 1 thread / raw verify", val, rawtxt, med(&q1), med(&q1c), AT_LEAST, 0.85);
    snprintf(val, sizeof val, "%.0f cred/s", med(&r2));
    snprintf(rawtxt, sizeof rawtxt, "%.0f cred/s on 1 thread", med(&r1));
    add_row("ingest 2 threads / 1 thread", val, rawtxt, med(&q2), -1, AT_LEAST, 1.6);
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", med(&raw));
    add_row("ingest 2 threads, per thread / raw verify", val, rawtxt, med(&q2v), med(&q2vc),
            NO_TARGET, 0);
    printf("     the 2-thread runs kept %.2f cores busy on average (process CPU s / wall s)\n",
           med(&cores));
}

/* ---- ingest with the authority's rules enforced (issue 3) ------------------------------ */

/* A ledger under a fresh authority root in which c->issuer is an accredited evaluation body. */
static skl_ledger *
policy_ledger(const char *path, const skl_key *authority)
{
    static const char scope[] = "{\"kinds\":[\"certification\"],\"occupations\":[{\"edition\":"
                                "\"2015\",\"prefix\":\"6-31\"}],\"levels\":{\"scale\":\"skill\","
                                "\"min\":\"L5\",\"max\":\"L3\"},\"evaluator\":\"S\"}";
    char *root_pem = NULL, *pem = NULL, *acc = NULL, *signed_acc = NULL, why[256];
    size_t root_len, len, acc_len, signed_len;
    skl_cert *root = NULL, *cert = NULL;
    skl_ledger *l = new_ledger(path, BENCH_TIME);
    int64_t from = BENCH_TIME - 86400, until = BENCH_TIME + 3 * 365 * 86400LL;
    if (skl_cert_make_root(&root_pem, &root_len, authority, "bench authority", from, until, why,
                           sizeof why) != SKL_OK ||
        skl_cert_parse(&root, root_pem, root_len, why, sizeof why) != SKL_OK)
        die("authority root: %s", why);
    if (skl_ledger_set_authority(l, root_pem, root_len) != SKL_OK)
        die("skl_ledger_set_authority: %s", skl_ledger_errmsg(l));
    if (skl_cert_issue(&pem, &len, authority, root, skl_key_public(g_issuer), "bench centre",
                       from, until, scope, sizeof scope - 1, why, sizeof why) != SKL_OK ||
        skl_cert_parse(&cert, pem, len, why, sizeof why) != SKL_OK ||
        skl_accreditation_build(&acc, &acc_len, cert, skl_key_did(authority), "bench authority",
                                "evaluation-bodies", why, sizeof why) != SKL_OK ||
        skl_vc_sign(&signed_acc, &signed_len, acc, acc_len, authority, BENCH_CREATED, why,
                    sizeof why) != SKL_OK)
        die("accreditation: %s", why);
    struct credset one = {&signed_acc, &signed_len, 1};
    append_range(l, &one, 0, 1, 1);
    free(root_pem);
    free(pem);
    free(acc);
    free(signed_acc);
    skl_cert_free(root);
    skl_cert_free(cert);
    return l;
}

/* Certifications by g_issuer, in scope, each with its own id and commitment: slots [from, to)
 * of s get serials serial0 + slot. */
struct certjob {
    struct credset *s;
    size_t from, to;
    uint64_t serial0;
};

static void *
cert_worker(void *arg)
{
    struct certjob *j = arg;
    for (size_t i = j->from; i < j->to; i++) {
        char id[64], hash[80], why[256], *json = NULL;
        size_t len;
        uint64_t serial = j->serial0 + i;
        snprintf(id, sizeof id, "urn:uuid:6c2f0b7e-1a2b-4c3d-8e9f-%012llu",
                 (unsigned long long)serial);
        snprintf(hash, sizeof hash, "sha256$%064llx",
                 (unsigned long long)(serial * 2654435761u));
        skl_field f[] = {{"kind", "certification"}, {"id", id},
                         {"issuer", skl_key_did(g_issuer)}, {"issuerName", "bench centre"},
                         {"identityHash", hash}, {"evaluationType", "skill-level"},
                         {"occupation", "6-31-01-03"}, {"edition", "2015"}, {"level", "L4"},
                         {"certificateNumber", "S123450010900264000123"},
                         {"issueDate", "2025-02-01"}, {"evaluator", "S"},
                         {"validFrom", "2025-02-01T00:00:00Z"}};
        if (skl_credential_build(&json, &len, f, sizeof f / sizeof f[0], why, sizeof why) !=
                SKL_OK ||
            skl_vc_sign(&j->s->text[i], &j->s->len[i], json, len, g_issuer, BENCH_CREATED, why,
                        sizeof why) != SKL_OK)
            die("building a certification: %s", why);
        free(json);
    }
    return NULL;
}

static void
policy_creds_from(struct credset *s, size_t n, uint64_t serial0, unsigned threads)
{
    struct certjob job[8];
    pthread_t th[8];
    credset_alloc(s, n);
    threads = threads < 1 ? 1 : threads > 8 ? 8 : threads;
    for (unsigned k = 0; k < threads; k++) {
        job[k] = (struct certjob){s, n * k / threads, n * (k + 1) / threads, serial0};
        if (pthread_create(&th[k], NULL, cert_worker, &job[k]) != 0)
            die("cannot start a thread");
    }
    for (unsigned k = 0; k < threads; k++)
        pthread_join(th[k], NULL);
}

static void
policy_creds(struct credset *s, size_t n)
{
    policy_creds_from(s, n, 0, T2);
}

static void
fig_policy(const struct ctx *c)
{
    struct credset s;
    skl_key *authority = NULL;
    if (skl_key_generate(&authority, "bench-authority") != SKL_OK)
        die("making the authority key");
    policy_creds(&s, c->ingest_n);
    struct series r1, raw, q1, q1c;
    for (unsigned r = 0; r < g_reps; r++) {
        char path[PATH_CAP], name[64];
        snprintf(name, sizeof name, "policy-%u.db", r);
        path_in_tmp(path, sizeof path, name);
        struct rate rv = raw_verify_rate(RAW_VERIFIES);
        skl_ledger *l = policy_ledger(path, authority);
        struct sw t = sw_start();
        append_range(l, &s, 0, s.n, 1);
        struct rate a = sw_rate(t, (double)s.n);
        skl_ledger_close(l);
        rm_db(path);
        raw.v[r] = rv.wall;
        r1.v[r] = a.wall;
        q1.v[r] = a.wall / rv.wall;
        q1c.v[r] = a.cpu / rv.cpu;
    }
    char val[64], rawtxt[64];
    printf("\n3b. ingest with enforcement: an accredited issuer's certifications into a ledger "
           "under an authority root\n   (kind validation, accreditation, validity and scope "
           "checks; %zu credentials per run, 1 thread; median of %u runs)\n",
           s.n, g_reps);
    print_load();
    print_header();
    snprintf(val, sizeof val, "%.0f cred/s", med(&r1));
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", med(&raw));
    add_row("ingest enforced, 1 thread / raw verify", val, rawtxt, med(&q1), med(&q1c), AT_LEAST,
            0.8);
    credset_free(&s);
    skl_key_free(authority);
}

/* ---- verifying a worker's bundle offline (issue 4) --------------------------------------- */

#define BUNDLE_CREDS 50

static void
fig_bundle(void)
{
    char path[PATH_CAP], why[256], *bundle = NULL, *policy = NULL, *pem = NULL, *vkey = NULL;
    size_t blen, plen, pem_len;
    skl_key *authority = NULL;
    skl_vault *v = NULL;
    skl_trust *t = NULL;
    int64_t worker;
    path_in_tmp(path, sizeof path, "bundle.db");
    if (skl_key_generate(&authority, "bench-authority") != SKL_OK)
        die("making the authority key");
    skl_ledger *l = policy_ledger(path, authority);
    if (skl_vault_open(&v, l, "bench vault passphrase") != SKL_OK ||
        skl_vault_add_worker(v, "resident-id", "11010519491231002X", "张三丰", &worker, why,
                             sizeof why) != SKL_OK)
        die("vault: %s", skl_ledger_errmsg(l));
    /* 50 certifications of one worker, each with its own commitment. */
    struct credset s;
    credset_alloc(&s, BUNDLE_CREDS);
    for (size_t i = 0; i < BUNDLE_CREDS; i++) {
        char id[64], hash[SKL_VAULT_IDENTITY_HASH_SIZE], no[32], *json = NULL;
        size_t len;
        snprintf(id, sizeof id, "urn:uuid:7d3e1f20-5a6b-4c7d-8e9f-%012zu", i);
        snprintf(no, sizeof no, "S12345001090026%d%06zu", 3 + (int)(i % 3), i);
        char level[3] = {'L', (char)('3' + i % 3), 0};
        if (skl_vault_commitment(v, worker, id, hash, NULL) != SKL_OK)
            die("commitment");
        const char *ids[1] = {id};
        if (skl_vault_link(v, worker, ids, 1) != SKL_OK)
            die("link");
        skl_field f[] = {{"kind", "certification"}, {"id", id},
                         {"issuer", skl_key_did(g_issuer)}, {"issuerName", "bench centre"},
                         {"identityHash", hash}, {"evaluationType", "skill-level"},
                         {"occupation", "6-31-01-03"}, {"edition", "2015"}, {"level", level},
                         {"certificateNumber", no}, {"issueDate", "2025-02-01"},
                         {"evaluator", "S"}, {"validFrom", "2025-02-01T00:00:00Z"}};
        if (skl_credential_build(&json, &len, f, sizeof f / sizeof f[0], why, sizeof why) !=
                SKL_OK ||
            skl_vc_sign(&s.text[i], &s.len[i], json, len, g_issuer, BENCH_CREATED, why,
                        sizeof why) != SKL_OK)
            die("building a certification: %s", why);
        free(json);
    }
    append_range(l, &s, 0, s.n, 1);
    free(checkpoint(l));
    if (skl_bundle_export(&bundle, &blen, l, v, worker, NULL, 0, SKL_BUNDLE_DISCLOSE_ID, why,
                          sizeof why) != SKL_OK)
        die("export: %s", why);
    if (skl_ledger_authority(l, &pem, &pem_len) != SKL_OK || skl_ledger_vkey(l, 0, &vkey) != SKL_OK ||
        skl_trust_format(&policy, &plen, vkey, NULL, NULL, 0, 0, pem, pem_len, 0) != SKL_OK ||
        skl_trust_parse(&t, policy, plen, why, sizeof why) != SKL_OK)
        die("trust policy: %s", why);
    /* The certificate checks a verifier cannot avoid: the issuer certificate against the root. */
    const skl_cert *root = skl_trust_authority(t);
    char *cert_pem = NULL;
    size_t cert_len;
    {
        skl_cert *c = NULL;
        static const char scope[] = "{\"kinds\":[\"certification\"]}";
        if (skl_cert_issue(&cert_pem, &cert_len, authority, root, skl_key_public(g_issuer),
                           "bench centre", BENCH_TIME - 86400, BENCH_TIME + 86400, scope,
                           sizeof scope - 1, why, sizeof why) != SKL_OK ||
            skl_cert_parse(&c, cert_pem, cert_len, why, sizeof why) != SKL_OK)
            die("certificate: %s", why);
        skl_cert_free(c);
    }
    if (getenv("SKL_BENCH_DUMP_BUNDLE") != NULL) { /* for profiling the verifier alone */
        FILE *f = fopen("/tmp/bench.bundle", "wb"), *g = fopen("/tmp/bench.policy", "wb");
        if (f && g) {
            fwrite(bundle, 1, blen, f);
            fwrite(policy, 1, plen, g);
        }
        if (f)
            fclose(f);
        if (g)
            fclose(g);
    }
    /* The certificate check is timed back to back, warm, as a raw primitive is. The raw
     * verifies and the bundle verifies are interleaved, so that a noisy neighbour slows
     * both alike: each round times 50 raw verifies, then one bundle verify. */
    enum { K = 40, KC = 20 };
    struct verify_set vs;
    verify_set_make(&vs);
    struct series q, qc, ms;
    for (unsigned r = 0; r < g_reps; r++) {
        struct sw t0 = sw_start();
        for (int k = 0; k < KC; k++) {
            skl_cert *c = NULL;
            if (skl_cert_parse(&c, cert_pem, cert_len, why, sizeof why) != SKL_OK ||
                skl_cert_verify_issued(c, root, why, sizeof why) != SKL_OK)
                die("certificate check: %s", why);
            skl_cert_free(c);
        }
        struct rate cr = sw_rate(t0, KC);
        double raw_w = 0, raw_c = 0, b_w = 0, b_c = 0;
        for (int k = 0; k < K; k++) {
            struct rate rv = verify_set_rate(&vs, BUNDLE_CREDS);
            struct sw t1 = sw_start();
            skl_bundle_result *res = NULL;
            size_t n;
            if (skl_bundle_verify(t, bundle, blen, BENCH_TIME + 3600, &res, &n, NULL, why,
                                  sizeof why) != SKL_OK || n != BUNDLE_CREDS)
                die("bundle verify: %s %s", why, n && res ? res[0].reason : "");
            free(res);
            struct rate br = sw_rate(t1, 1);
            raw_w += BUNDLE_CREDS / rv.wall + 1 / cr.wall;
            raw_c += BUNDLE_CREDS / rv.cpu + 1 / cr.cpu;
            b_w += 1 / br.wall;
            b_c += 1 / br.cpu;
        }
        q.v[r] = b_w / raw_w;
        qc.v[r] = b_c / raw_c;
        ms.v[r] = 1e3 * b_w / K;
    }
    char val[64], rawtxt[64];
    printf("\n3c. verifying a worker's bundle offline (%d certifications, one issuer, "
           "%zu bytes; median of %u runs)\n",
           BUNDLE_CREDS, blen, g_reps);
    print_load();
    print_header();
    snprintf(val, sizeof val, "%.2f ms/bundle", med(&ms));
    snprintf(rawtxt, sizeof rawtxt, "%d raw verifies + 1 cert check", BUNDLE_CREDS);
    add_row("bundle verify / raw signatures+certs", val, rawtxt, med(&q), med(&qc), AT_MOST,
            1.3);
    free(cert_pem);
    free(bundle);
    free(policy);
    free(pem);
    free(vkey);
    skl_trust_free(t);
    credset_free(&s);
    skl_vault_close(v);
    skl_ledger_close(l);
    rm_db(path);
    skl_key_free(authority);
}

/* ---- exporting a worker's bundle from a small and a large ledger (issue 4) ------------------ */

#define EXPORT_CREDS 5
#define FILL_CHUNK 10000

/* Builds a ledger of `size` leaves under an authority whose worker has EXPORT_CREDS
 * certifications among the first leaves, checkpoints it, and times skl_bundle_export. */
static struct series
export_times(const char *name, uint64_t size, const skl_key *authority)
{
    char path[PATH_CAP], why[256];
    skl_vault *v = NULL;
    int64_t worker;
    struct series t;
    path_in_tmp(path, sizeof path, name);
    skl_ledger *l = policy_ledger(path, authority);
    if (skl_vault_open(&v, l, "bench vault passphrase") != SKL_OK ||
        skl_vault_add_worker(v, "resident-id", "11010519491231002X", "张三丰", &worker, why,
                             sizeof why) != SKL_OK)
        die("vault: %s", skl_ledger_errmsg(l));
    /* The worker's credentials: re-made with their commitments (ids from serial 9e11). */
    struct credset mine;
    credset_alloc(&mine, EXPORT_CREDS);
    for (size_t i = 0; i < EXPORT_CREDS; i++) {
        char id[64], hash[SKL_VAULT_IDENTITY_HASH_SIZE], *json = NULL;
        size_t len;
        snprintf(id, sizeof id, "urn:uuid:0e8a1f20-5a6b-4c7d-8e9f-%012zu", i);
        const char *ids[1] = {id};
        if (skl_vault_commitment(v, worker, id, hash, NULL) != SKL_OK ||
            skl_vault_link(v, worker, ids, 1) != SKL_OK)
            die("vault link");
        skl_field f[] = {{"kind", "certification"}, {"id", id},
                         {"issuer", skl_key_did(g_issuer)}, {"issuerName", "bench centre"},
                         {"identityHash", hash}, {"evaluationType", "skill-level"},
                         {"occupation", "6-31-01-03"}, {"edition", "2015"}, {"level", "L4"},
                         {"certificateNumber", "S123450010900264000123"},
                         {"issueDate", "2025-02-01"}, {"evaluator", "S"},
                         {"validFrom", "2025-02-01T00:00:00Z"}};
        if (skl_credential_build(&json, &len, f, sizeof f / sizeof f[0], why, sizeof why) !=
                SKL_OK ||
            skl_vc_sign(&mine.text[i], &mine.len[i], json, len, g_issuer, BENCH_CREATED, why,
                        sizeof why) != SKL_OK)
            die("building: %s", why);
        free(json);
    }
    append_range(l, &mine, 0, mine.n, 1);
    credset_free(&mine);
    /* Everyone else's, to reach size (the accreditation is leaf 0). */
    uint64_t have = 1 + EXPORT_CREDS;
    while (have < size) {
        size_t n = size - have < FILL_CHUNK ? (size_t)(size - have) : FILL_CHUNK;
        struct credset fill;
        policy_creds_from(&fill, n, have, T2);
        append_range(l, &fill, 0, n, T2);
        credset_free(&fill);
        have += n;
    }
    free(checkpoint(l));
    for (unsigned r = 0; r < g_reps; r++) {
        char *bundle = NULL;
        size_t blen;
        struct sw t0 = sw_start();
        if (skl_bundle_export(&bundle, &blen, l, v, worker, NULL, 0, SKL_BUNDLE_DISCLOSE_ID, why,
                              sizeof why) != SKL_OK)
            die("export: %s", why);
        t.v[r] = now_s() - t0.wall;
        free(bundle);
    }
    skl_vault_close(v);
    skl_ledger_close(l);
    rm_db(path);
    return t;
}

static void
fig_export(const struct ctx *c)
{
    skl_key *authority = NULL;
    if (skl_key_generate(&authority, "bench-authority") != SKL_OK)
        die("making the authority key");
    struct sw t0 = sw_start();
    struct series small = export_times("export-small.db", SMALL_TREE, authority);
    struct series big = export_times("export-big.db", c->big_n, authority);
    double built = now_s() - t0.wall;
    char val[64], rawtxt[64];
    printf("\n3d. exporting a worker's bundle (%d certifications) from a ledger under an "
           "authority:\n    %llu leaves against %u (both built in %.0f s, not timed); median "
           "of %u exports\n",
           EXPORT_CREDS, (unsigned long long)c->big_n, SMALL_TREE, built, g_reps);
    print_header();
    snprintf(val, sizeof val, "%.2f ms at %lluk", med(&big) * 1e3,
             (unsigned long long)(c->big_n / 1000));
    snprintf(rawtxt, sizeof rawtxt, "%.2f ms at %uk leaves", med(&small) * 1e3, SMALL_TREE / 1000);
    add_row("export at N / export at 1k", val, rawtxt, med(&big) / med(&small), -1, AT_MOST, 2.0);
    skl_key_free(authority);
}

static struct rate
audit_once(const char *db, unsigned threads, uint64_t expect)
{
    skl_audit_report rep;
    skl_ledger *l = open_ledger(db);
    struct sw t = sw_start();
    int rc = skl_ledger_audit(l, threads, &rep);
    struct rate r = sw_rate(t, (double)rep.leaves);
    if (rc != SKL_OK)
        die("skl_ledger_audit: %s: %s %s", skl_strerror(rc), rep.why, skl_ledger_errmsg(l));
    if (rep.leaves != expect)
        die("skl_ledger_audit checked %llu leaves, expected %llu", (unsigned long long)rep.leaves,
            (unsigned long long)expect);
    skl_ledger_close(l);
    return r;
}

static struct rate
tiles_audit_once(const char *dir, const char *vkey, unsigned threads, uint64_t expect)
{
    skl_audit_report rep;
    struct sw t = sw_start();
    int rc = skl_tiles_audit(dir, vkey, threads, &rep);
    struct rate r = sw_rate(t, (double)rep.leaves);
    if (rc != SKL_OK)
        die("skl_tiles_audit: %s: %s", skl_strerror(rc), rep.why);
    if (rep.leaves != expect)
        die("skl_tiles_audit checked %llu entries, expected %llu", (unsigned long long)rep.leaves,
            (unsigned long long)expect);
    return r;
}

static void
fig_audit(struct ctx *c)
{
    path_in_tmp(c->audit_db, sizeof c->audit_db, "audit.db");
    path_in_tmp(c->audit_tiles, sizeof c->audit_tiles, "audit-tiles");
    skl_ledger *l = new_ledger(c->audit_db, BENCH_TIME);
    append_range(l, &c->ingest, 0, c->ingest_n, T2);
    free(checkpoint(l));
    uint64_t written = 0;
    int rc = skl_ledger_publish(l, c->audit_tiles, &written);
    if (rc != SKL_OK)
        die("skl_ledger_publish: %s: %s", skl_strerror(rc), skl_ledger_errmsg(l));
    if ((rc = skl_ledger_vkey(l, 0, &c->audit_vkey)) != SKL_OK)
        die("skl_ledger_vkey: %s", skl_strerror(rc));
    skl_ledger_close(l);

    enum { A1, A2, T1, TT2, KINDS };
    static const char *const names[KINDS] = {
        "skl_ledger_audit 1 thread / raw verify", "skl_ledger_audit 2 threads, per thread",
        "skl_tiles_audit 1 thread / raw verify", "skl_tiles_audit 2 threads, per thread"};
    static const unsigned threads[KINDS] = {1, T2, 1, T2};
    struct series rate[KINDS], q[KINDS], qc[KINDS], raw;
    for (unsigned r = 0; r < g_reps; r++) {
        struct rate rv = raw_verify_rate(RAW_VERIFIES);
        raw.v[r] = rv.wall;
        for (int k = 0; k < KINDS; k++) {
            struct rate a =
                k < T1 ? audit_once(c->audit_db, threads[k], c->ingest_n)
                       : tiles_audit_once(c->audit_tiles, c->audit_vkey, threads[k], c->ingest_n);
            rate[k].v[r] = a.wall;
            q[k].v[r] = a.wall / threads[k] / rv.wall;
            qc[k].v[r] = a.cpu / rv.cpu;
        }
    }
    char val[64], rawtxt[64];
    printf("\n4. audit of a %zu-leaf ledger, and of its published tiles (median of %u runs)\n",
           c->ingest_n, g_reps);
    print_load();
    print_header();
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", med(&raw));
    for (int k = 0; k < KINDS; k++) {
        snprintf(val, sizeof val, "%.0f leaf/s", med(&rate[k]));
        add_row(names[k], val, rawtxt, med(&q[k]), med(&qc[k]), k < T1 ? AT_LEAST : NO_TARGET,
                0.85);
    }
}

struct big_stats {
    double sign_s, sign_cpu, append_s, append_cpu, first_rate, last_rate;
};

static void
build_big(struct ctx *c, struct big_stats *bs)
{
    path_in_tmp(c->big_db, sizeof c->big_db, "big.db");
    path_in_tmp(c->small_db, sizeof c->small_db, "small.db");
    path_in_tmp(c->big_tiles, sizeof c->big_tiles, "big-tiles");

    /* The 1k-leaf reference ledger, from the ingest set. */
    skl_ledger *l = new_ledger(c->small_db, BENCH_TIME);
    append_range(l, &c->ingest, 0, SMALL_TREE, T2);
    skl_ledger_close(l);

    l = new_ledger(c->big_db, 0);
    uint64_t done = 0, tenth = c->big_n / 10 ? c->big_n / 10 : 1;
    double first_s = 0, last_s = 0;
    uint64_t first_n = 0, last_n = 0;
    int tty = isatty(STDERR_FILENO);
    memset(bs, 0, sizeof *bs);
    while (done < c->big_n) {
        size_t n = c->big_n - done < BIG_CHUNK ? (size_t)(c->big_n - done) : BIG_CHUNK;
        struct credset s;
        double cpu;
        credset_alloc(&s, n);
        bs->sign_s += sign_set(&s, 1000000000ULL + done, T2, c->issuer, c->did, &cpu);
        bs->sign_cpu += cpu;
        struct sw t = sw_start();
        append_range(l, &s, 0, n, T2);
        double dt = now_s() - t.wall;
        bs->append_s += dt;
        bs->append_cpu += cpu_s() - t.cpu;
        if (done < tenth) {
            first_s += dt;
            first_n += n;
        }
        if (done + n > c->big_n - tenth) {
            last_s += dt;
            last_n += n;
        }
        credset_free(&s);
        done += n;
        if (tty)
            fprintf(stderr, "\r  building: %llu / %llu leaves", (unsigned long long)done,
                    (unsigned long long)c->big_n);
    }
    if (tty)
        fprintf(stderr, "\n");
    bs->first_rate = (double)first_n / first_s;
    bs->last_rate = (double)last_n / last_s;
    skl_ledger_close(l);
}

/* 6. Bytes on disk against the bytes of the leaf records (the ledger must be closed). */
static void
fig_bytes(const struct ctx *c)
{
    char wal[PATH_CAP + 8], val[64], rawtxt[64];
    snprintf(wal, sizeof wal, "%s-wal", c->big_db);
    off_t db_bytes = file_size(c->big_db), wal_bytes = file_size(wal);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    double leaf_bytes = 0;
    if (sqlite3_open_v2(c->big_db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT sum(length(data)) FROM leaves", -1, &st, NULL) != SQLITE_OK)
        die("sqlite: %s", sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        leaf_bytes = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    snprintf(val, sizeof val, "%.1f MB", (double)(db_bytes + wal_bytes) / 1e6);
    snprintf(rawtxt, sizeof rawtxt, "%.1f MB of leaf records", leaf_bytes / 1e6);
    add_row("bytes on disk (db + wal) / leaf bytes", val, rawtxt,
            (double)(db_bytes + wal_bytes) / leaf_bytes, -1, AT_MOST, 1.5);
    /* Where the bytes are, when SQLite has the dbstat table. */
    if (sqlite3_prepare_v2(db,
                           "SELECT name, sum(pgsize), sum(payload), sum(unused), count(*) "
                           "FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC",
                           -1, &st, NULL) == SQLITE_OK) {
        printf("     %-26s %13s %13s %12s %9s\n", "table/index (dbstat)", "page bytes", "payload",
               "unused", "pages");
        while (sqlite3_step(st) == SQLITE_ROW)
            printf("     %-26s %13lld %13lld %12lld %9lld\n", sqlite3_column_text(st, 0),
                   sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                   sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4));
        sqlite3_finalize(st);
    }
    printf("     db %lld bytes, wal %lld bytes; a leaf record is %.0f bytes on average\n",
           (long long)db_bytes, (long long)wal_bytes, leaf_bytes / (double)c->big_n);
    sqlite3_close(db);
}

/* 5. Inclusion proofs at N leaves against 1k leaves: the median time of one call. */
static void
fig_proofs(const struct ctx *c)
{
    static double times[PROOFS];
    skl_ledger *big = open_ledger(c->big_db), *small = open_ledger(c->small_db);
    struct series pb, ps, pq;
    uint8_t proof[SKL_MERKLE_MAX_PROOF][32];
    size_t count;
    uint64_t seed = 42;
    for (unsigned r = 0; r < g_reps; r++) {
        for (int which = 0; which < 2; which++) {
            skl_ledger *pl = which ? big : small;
            uint64_t size = which ? c->big_n : SMALL_TREE;
            for (size_t i = 0; i < PROOFS; i++) {
                uint64_t idx = rnd(&seed) % size;
                double t0 = now_s();
                int rc = skl_ledger_inclusion_proof(pl, idx, size, proof, &count);
                times[i] = now_s() - t0;
                if (rc != SKL_OK)
                    die("skl_ledger_inclusion_proof: %s: %s", skl_strerror(rc),
                        skl_ledger_errmsg(pl));
            }
            (which ? &pb : &ps)->v[r] = median(times, PROOFS) * 1e6;
        }
        pq.v[r] = pb.v[r] / ps.v[r];
    }
    skl_ledger_close(big);
    skl_ledger_close(small);
    char val[64], rawtxt[64], name[64];
    snprintf(val, sizeof val, "%.1f us", med(&pb));
    snprintf(rawtxt, sizeof rawtxt, "%.1f us at %d leaves", med(&ps), SMALL_TREE);
    snprintf(name, sizeof name, "inclusion proof at %llu / at %d leaves",
             (unsigned long long)c->big_n, SMALL_TREE);
    add_row(name, val, rawtxt, med(&pq), -1, AT_MOST, 2.0);
}

/* 7. Peak RSS and rate of a whole audit in a freshly executed process. */
static void
fig_child_audit(const char *what, char *const args[], const struct child_result *idle,
                int rate_kind)
{
    struct child_result cr;
    char val[64], rawtxt[64], name[64];
    struct rate rv = raw_verify_rate(RAW_VERIFIES);
    if (run_child(args, &cr) != 0)
        die("the %s child process failed", what);
    if (cr.rc != SKL_OK)
        die("%s of the large ledger: %s: %s", what, skl_strerror(cr.rc), cr.why);
    snprintf(val, sizeof val, "%.1f MiB", (double)cr.hwm_kib / 1024.0);
    snprintf(rawtxt, sizeof rawtxt, "%.1f MiB idle process", (double)idle->hwm_kib / 1024.0);
    snprintf(name, sizeof name, "peak RSS (MiB), %s 2 thr", what);
    add_row(name, val, rawtxt, (double)cr.hwm_kib / 1024.0, -1, AT_MOST, 64);
    snprintf(val, sizeof val, "%.0f leaf/s", (double)cr.leaves / cr.wall);
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", rv.wall);
    snprintf(name, sizeof name, "%s 2 thr, per thread", what);
    add_row(name, val, rawtxt, (double)cr.leaves / cr.wall / T2 / rv.wall,
            (double)cr.leaves / cr.cpu / rv.cpu, rate_kind, 0.85);
    printf("     (%.1f s wall, %.1f s CPU; wait4's ru_maxrss says %.1f MiB because it counts the "
           "forking parent)\n",
           cr.wall, cr.cpu, (double)cr.maxrss_kib / 1024.0);
}

static void
fig_big(struct ctx *c)
{
    struct big_stats bs;
    char val[64], rawtxt[64];
    struct rate rs = raw_sign_rate(RAW_SIGNS), rv = raw_verify_rate(RAW_VERIFIES);
    build_big(c, &bs);
    printf("\n5-8. the large ledger: %llu leaves (single runs unless said)\n",
           (unsigned long long)c->big_n);
    printf("   built in %.1f s: signing %.1f s (%.0f cred/s on %d threads), appending %.1f s "
           "(%.0f cred/s on %d threads)\n",
           bs.sign_s + bs.append_s, bs.sign_s, (double)c->big_n / bs.sign_s, T2, bs.append_s,
           (double)c->big_n / bs.append_s, T2);
    print_load();
    print_header();
    snprintf(val, sizeof val, "%.0f cred/s", (double)c->big_n / bs.sign_s);
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw sign/s", rs.wall);
    add_row("build: skl_vc_sign, 2 thr, per thread", val, rawtxt,
            (double)c->big_n / bs.sign_s / T2 / rs.wall, (double)c->big_n / bs.sign_cpu / rs.cpu,
            NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f cred/s", (double)c->big_n / bs.append_s);
    snprintf(rawtxt, sizeof rawtxt, "%.0f raw verify/s", rv.wall);
    add_row("build: append, 2 thr, per thread", val, rawtxt,
            (double)c->big_n / bs.append_s / T2 / rv.wall,
            (double)c->big_n / bs.append_cpu / rv.cpu, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.0f cred/s", bs.last_rate);
    snprintf(rawtxt, sizeof rawtxt, "%.0f cred/s first tenth", bs.first_rate);
    add_row("build: append rate, last / first tenth", val, rawtxt, bs.last_rate / bs.first_rate, -1,
            NO_TARGET, 0);

    /* 8a. Checkpoints: first on a freshly opened handle (its tree edge is loaded), then warm. */
    skl_ledger *l = open_ledger(c->big_db);
    struct series ms;
    double t0 = now_s();
    free(checkpoint(l));
    double cold_ms = (now_s() - t0) * 1e3;
    for (unsigned r = 0; r < g_reps; r++) {
        t0 = now_s();
        free(checkpoint(l));
        ms.v[r] = (now_s() - t0) * 1e3;
    }
    snprintf(val, sizeof val, "%.3f ms", med(&ms));
    snprintf(rawtxt, sizeof rawtxt, "%.3f ms 1st, fresh handle", cold_ms);
    add_row("skl_ledger_checkpoint (median of runs)", val, rawtxt, -1, -1, NO_TARGET, 0);

    /* 8b. Publishing tiles: the first, full publish, then one with nothing new. */
    uint64_t written = 0, written2 = 0;
    t0 = now_s();
    int rc = skl_ledger_publish(l, c->big_tiles, &written);
    double pub_s = now_s() - t0;
    if (rc != SKL_OK)
        die("skl_ledger_publish: %s: %s", skl_strerror(rc), skl_ledger_errmsg(l));
    t0 = now_s();
    rc = skl_ledger_publish(l, c->big_tiles, &written2);
    double pub2_s = now_s() - t0;
    if (rc != SKL_OK)
        die("skl_ledger_publish: %s: %s", skl_strerror(rc), skl_ledger_errmsg(l));
    snprintf(val, sizeof val, "%.2f s", pub_s);
    snprintf(rawtxt, sizeof rawtxt, "%llu files, %.0f leaf/s", (unsigned long long)written,
             (double)c->big_n / pub_s);
    add_row("skl_ledger_publish, full", val, rawtxt, -1, -1, NO_TARGET, 0);
    snprintf(val, sizeof val, "%.3f s", pub2_s);
    snprintf(rawtxt, sizeof rawtxt, "%llu files rewritten", (unsigned long long)written2);
    add_row("skl_ledger_publish again, nothing new", val, rawtxt, -1, -1, NO_TARGET, 0);
    if ((rc = skl_ledger_vkey(l, 0, &c->big_vkey)) != SKL_OK)
        die("skl_ledger_vkey: %s", skl_strerror(rc));
    skl_ledger_close(l); /* the last connection: SQLite checkpoints and removes the WAL */

    fig_bytes(c);
    fig_proofs(c);

    struct child_result idle;
    char thr[16];
    snprintf(thr, sizeof thr, "%d", T2);
    char *idle_args[] = {"skl_bench", "--noop-child", NULL};
    char *aud_args[] = {"skl_bench", "--audit-child", c->big_db, thr, NULL};
    char *tiles_args[] = {"skl_bench", "--tiles-child", c->big_tiles, c->big_vkey, thr, NULL};
    if (run_child(idle_args, &idle) != 0)
        die("cannot run a child process");
    fig_child_audit("skl_ledger_audit", aud_args, &idle, AT_LEAST);
    fig_child_audit("skl_tiles_audit", tiles_args, &idle, NO_TARGET);
}

int
main(int argc, char **argv)
{
    if (argc >= 2 && strncmp(argv[1], "--", 2) == 0)
        return child_main(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (skl_init() != SKL_OK)
        die("skl_init failed");

    struct ctx c;
    memset(&c, 0, sizeof c);
    c.big_n = env_u64("SKL_BENCH_N", 1000000, SMALL_TREE, 100000000);
    g_reps = (unsigned)env_u64("SKL_BENCH_REPS", 5, 1, MAX_REPS);
    c.ingest_n = (size_t)env_u64("SKL_BENCH_INGEST", 20000, SMALL_TREE, 10000000);

    const char *tmpdir = getenv("TMPDIR");
    snprintf(g_tmp, sizeof g_tmp, "%s/skl-bench-XXXXXX",
             tmpdir != NULL && *tmpdir != '\0' ? tmpdir : "/tmp");
    if (mkdtemp(g_tmp) == NULL) {
        g_tmp[0] = '\0';
        die("mkdtemp: %s", strerror(errno));
    }
    atexit(cleanup_tmp);

    double t_start = now_s();
    printf("skl benchmark: SKL_BENCH_N=%llu SKL_BENCH_REPS=%u SKL_BENCH_INGEST=%zu\n",
           (unsigned long long)c.big_n, g_reps, c.ingest_n);
    printf("work directory %s (removed at exit)\n\n", g_tmp);
    machine_info();
    printf("\nratio = figure / raw primitive from wall-clock rates (judged against the target);\n"
           "cpu   = the same ratio from process CPU time (immune to other load, leaves out I/O "
           "waits).\n");

    skl_key *log_key = NULL;
    int rc = skl_key_generate(&c.issuer, "bench-issuer");
    if (rc == SKL_OK)
        rc = skl_key_generate(&log_key, ORIGIN);
    if (rc == SKL_OK)
        rc = skl_did_key_encode(&c.did, skl_key_public(c.issuer));
    if (rc != SKL_OK)
        die("making keys: %s", skl_strerror(rc));
    g_log_key = log_key;
    g_issuer = c.issuer;

    if (want("raw"))
        fig_raw();
    if (want("sign"))
        fig_sign(&c);
    if (want("ingest") || want("audit") || want("big")) {
        credset_alloc(&c.ingest, c.ingest_n);
        double presign = sign_set(&c.ingest, 0, T2, c.issuer, c.did, NULL);
        printf("\n   (pre-signed %zu distinct credentials on %d threads in %.2f s, not timed "
               "below)\n",
               c.ingest_n, T2, presign);
    }
    if (want("ingest"))
        fig_ingest(&c);
    if (want("policy"))
        fig_policy(&c);
    if (want("bundle"))
        fig_bundle();
    if (want("export"))
        fig_export(&c);
    if (want("audit"))
        fig_audit(&c);
    if (want("big"))
        fig_big(&c);

    printf("\nsummary: the figures with a target (a MISS is reported, never fatal)\n");
    print_header();
    size_t miss = 0;
    for (size_t i = 0; i < g_nrows; i++) {
        if (g_rows[i].kind != NO_TARGET)
            print_row(&g_rows[i]);
        miss += strcmp(verdict(&g_rows[i]), "MISS") == 0;
    }
    printf("\n%zu target(s) missed; total time %.0f s\n", miss, now_s() - t_start);
    print_load();

    credset_free(&c.ingest);
    free(c.did);
    free(c.big_vkey);
    free(c.audit_vkey);
    skl_key_free(c.issuer);
    skl_key_free(log_key);
    return 0;
}
