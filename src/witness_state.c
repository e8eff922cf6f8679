/* witness_state.c - the witness's state file: reading, checking, signing and writing it. */
#include "witness_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf_int.h"
#include "file_int.h"
#include "why_int.h"

#define STATE_HEADER "skl-witness-state/v1\n"

void
skl_witness_int_state_free(wstate *s)
{
    free(s->logs);
    s->logs = NULL;
    s->n = 0;
}

/* The verifier of the state file's signature: the witness key, type 0x01. */
static void
state_verifier(skl_note_verifier *v, const skl_key *k)
{
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%s", skl_key_name(k));
    v->type = SKL_NOTE_KEY_ED25519;
    memcpy(v->pub, skl_key_public(k), 32);
    v->key_id = skl_note_key_id(v->name, v->type, v->pub);
}

/* One line "<origin> <size> <root> <vkey>" (without its LF) into *w. */
static int
parse_state_line(wlog *w, const char *p, size_t n)
{
    const char *f[4];
    size_t fl[4], k = 0;
    const char *q = p, *end = p + n;
    while (k < 4) {
        const char *sp = k < 3 ? memchr(q, ' ', (size_t)(end - q)) : end;
        if (sp == NULL || sp == q)
            return -1;
        f[k] = q;
        fl[k] = (size_t)(sp - q);
        k++;
        q = sp < end ? sp + 1 : end;
    }
    if (fl[0] > SKL_CHECKPOINT_ORIGIN_MAX || fl[3] > VKEY_MAX || memchr(f[3], ' ', fl[3]) != NULL)
        return -1;
    memcpy(w->origin, f[0], fl[0]);
    w->origin[fl[0]] = '\0';
    memcpy(w->vkey, f[3], fl[3]);
    w->vkey[fl[3]] = '\0';
    skl_note_verifier v;
    if (skl_witness_int_parse_u64(f[1], fl[1], &w->size) != 0 ||
        skl_witness_int_parse_hash(f[2], fl[2], w->root) != 0 ||
        skl_note_vkey_parse(&v, w->vkey) != SKL_OK || v.type != SKL_NOTE_KEY_ED25519 ||
        strcmp(v.name, w->origin) != 0)
        return -1;
    return 0;
}

/* Reads and checks the state file; a missing one is the empty state. */
skl_err
skl_witness_int_state_load(wstate *s, const char *path, const skl_key *wk, char *why, size_t whylen)
{
    char *data = NULL;
    skl_note *n = NULL;
    skl_err r;
    int fd = -1;
    size_t got = 0;

    s->logs = NULL;
    s->n = 0;
    if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        if (errno == ENOENT)
            return SKL_OK;
        skl_why(why, whylen, "state file %s: %s", path, strerror(errno));
        return SKL_ERR_IO;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        skl_why(why, whylen, "state file %s: not a regular file", path);
        r = SKL_ERR_IO;
        goto out;
    }
    if (sb.st_size > SKL_NOTE_MAX_LEN) {
        skl_why(why, whylen, "state file %s: larger than %d bytes", path, SKL_NOTE_MAX_LEN);
        r = SKL_ERR_CORRUPT;
        goto out;
    }
    if ((data = malloc((size_t)sb.st_size + 1)) == NULL) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    while (got < (size_t)sb.st_size) {
        ssize_t k = read(fd, data + got, (size_t)sb.st_size - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    if (got != (size_t)sb.st_size) {
        skl_why(why, whylen, "state file %s: short read", path);
        r = SKL_ERR_IO;
        goto out;
    }
    skl_note_verifier v;
    state_verifier(&v, wk);
    if ((r = skl_note_parse(&n, data, got)) != SKL_OK) {
        skl_why(why, whylen, "state file %s: not a signed note (%s)", path, skl_strerror(r));
        r = r == SKL_ERR_NOMEM ? r : SKL_ERR_CORRUPT;
        goto out;
    }
    if ((r = skl_note_verify(n, &v, NULL)) != SKL_OK) {
        skl_why(why, whylen, "state file %s: not signed by this witness's key %s (%s)", path,
                v.name, skl_strerror(r));
        r = SKL_ERR_CORRUPT;
        goto out;
    }
    size_t tlen;
    const char *text = skl_note_text(n, &tlen), *p, *end = text + tlen;
    if (tlen < strlen(STATE_HEADER) || memcmp(text, STATE_HEADER, strlen(STATE_HEADER)) != 0) {
        skl_why(why, whylen, "state file %s: does not start with %.*s", path,
                (int)strlen(STATE_HEADER) - 1, STATE_HEADER);
        r = SKL_ERR_CORRUPT;
        goto out;
    }
    size_t lines = 0;
    for (p = text + strlen(STATE_HEADER); p < end; p++)
        lines += *p == '\n';
    if (lines > 0 && (s->logs = calloc(lines, sizeof *s->logs)) == NULL) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    for (p = text + strlen(STATE_HEADER); p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (parse_state_line(&s->logs[s->n], p, (size_t)(nl - p)) != 0 ||
            (s->n > 0 && strcmp(s->logs[s->n - 1].origin, s->logs[s->n].origin) >= 0)) {
            skl_why(why, whylen, "state file %s: line %zu is malformed or out of order", path,
                    s->n + 2);
            r = SKL_ERR_CORRUPT;
            goto out;
        }
        s->n++;
        p = nl + 1;
    }
    r = SKL_OK;
out:
    if (r != SKL_OK)
        skl_witness_int_state_free(s);
    if (fd >= 0)
        close(fd);
    skl_note_free(n);
    free(data);
    return r;
}

/* Writes data to path atomically: a 0600 temporary file, fsync, rename, fsync of the
 * directory. Called with the lock held, so a fixed temporary name is safe. */
static skl_err
write_atomic(const char *path, const char *data, size_t len, char *why, size_t whylen)
{
    char *tmp = NULL;
    int fd = -1;
    skl_err r = SKL_ERR_IO;
    size_t plen = strlen(path);

    if ((tmp = malloc(plen + 5)) == NULL) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    if (unlink(tmp) != 0 && errno != ENOENT)
        goto fail;
    if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
        goto fail;
    if (skl_write_all(fd, data, len) != 0 || fsync(fd) != 0)
        goto fail_unlink;
    int c = close(fd);
    fd = -1;
    if (c != 0 || rename(tmp, path) != 0)
        goto fail_unlink;
    skl_sync_parent_dir(path);
    r = SKL_OK;
    goto out;
fail_unlink:
    skl_why(why, whylen, "state file %s: cannot write: %s", path, strerror(errno));
    unlink(tmp);
    goto out;
fail:
    skl_why(why, whylen, "state file %s: cannot write: %s", path, strerror(errno));
out:
    if (fd >= 0)
        close(fd);
    free(tmp);
    return r;
}

/* Serialises s, signs it with the witness key and replaces the state file. */
skl_err
skl_witness_int_state_save(const wstate *s, const char *path, const skl_key *wk, char *why,
                           size_t whylen)
{
    skl_buf b = SKL_BUF_INIT;
    char *signed_note = NULL;
    size_t slen = 0;
    skl_err r;

    skl_buf_puts(&b, STATE_HEADER);
    for (size_t i = 0; i < s->n; i++) {
        skl_buf_printf(&b, "%s %llu ", s->logs[i].origin, (unsigned long long)s->logs[i].size);
        skl_buf_base64(&b, s->logs[i].root, 32);
        skl_buf_printf(&b, " %s\n", s->logs[i].vkey);
    }
    if (!skl_buf_ok(&b)) {
        r = SKL_ERR_NOMEM;
        goto out;
    }
    r = skl_note_sign(&signed_note, &slen, b.data, b.len, skl_key_name(wk), skl_key_secret(wk));
    if (r != SKL_OK) {
        skl_why(why, whylen, "state file %s: cannot sign the new state (%s)", path,
                skl_strerror(r));
        goto out;
    }
    r = write_atomic(path, signed_note, slen, why, whylen);
out:
    skl_buf_free(&b);
    free(signed_note);
    return r;
}

/* Opens and exclusively locks "<path>.lock"; returns its descriptor or -1. */
int
skl_witness_int_lock_state(const char *path, char *why, size_t whylen)
{
    size_t plen = strlen(path);
    char *lk = malloc(plen + 6);
    if (lk == NULL)
        return -1;
    memcpy(lk, path, plen);
    memcpy(lk + plen, ".lock", 6);
    int fd = open(lk, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        skl_why(why, whylen, "state lock %s: %s", lk, strerror(errno));
    while (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        skl_why(why, whylen, "state lock %s: %s", lk, strerror(errno));
        close(fd);
        fd = -1;
    }
    free(lk);
    return fd;
}

/* Inserts or updates the entry for origin, keeping the order. */
skl_err
skl_witness_int_state_put(wstate *s, const wlog *w)
{
    size_t i = 0;
    while (i < s->n && strcmp(s->logs[i].origin, w->origin) < 0)
        i++;
    if (i < s->n && strcmp(s->logs[i].origin, w->origin) == 0) {
        s->logs[i] = *w;
        return SKL_OK;
    }
    wlog *nl = realloc(s->logs, (s->n + 1) * sizeof *nl);
    if (nl == NULL)
        return SKL_ERR_NOMEM;
    s->logs = nl;
    memmove(&s->logs[i + 1], &s->logs[i], (s->n - i) * sizeof *nl);
    s->logs[i] = *w;
    s->n++;
    return SKL_OK;
}
