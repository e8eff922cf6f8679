/* tiles.c - writing the ledger as C2SP tlog-tiles: static files any web server can serve. */
#include "tiles_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_int.h"
#include "ledger_int.h"
#include "skl/note.h"

int
skl_tile_path(char *out, size_t cap, const char *dir, int level, uint64_t n, unsigned width)
{
    /* Three-digit groups, all but the last prefixed with x: 1234067 -> x001/x234/067. */
    unsigned groups[8];
    int ng = 0;
    do {
        groups[ng++] = (unsigned)(n % 1000);
        n /= 1000;
    } while (n > 0);
    char idx[64];
    size_t used = 0;
    for (int g = ng - 1; g >= 0; g--)
        used +=
            (size_t)snprintf(idx + used, sizeof idx - used, g > 0 ? "x%03u/" : "%03u", groups[g]);
    char lvl[24];
    if (level < 0)
        snprintf(lvl, sizeof lvl, "entries");
    else
        snprintf(lvl, sizeof lvl, "%d", level);
    int r = width >= SKL_TILE_WIDTH
                ? snprintf(out, cap, "%s/tile/%s/%s", dir, lvl, idx)
                : snprintf(out, cap, "%s/tile/%s/%s.p/%u", dir, lvl, idx, width);
    return r < 0 || (size_t)r >= cap ? -1 : 0;
}

static int
mkdirs(char *path)
{
    /* Creates every directory on the way to the file at path. */
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir(path, 0755);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

int
skl_write_file_atomic(const char *path, const void *data, size_t len)
{
    char tmp[SKL_TILE_PATH_MAX + 32];
    char dirs[SKL_TILE_PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp ||
        snprintf(dirs, sizeof dirs, "%s", path) >= (int)sizeof dirs)
        return SKL_ERR_IO;
    if (mkdirs(dirs) != 0)
        return SKL_ERR_IO;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return SKL_ERR_IO;
    if (skl_write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        close(fd);
        unlink(tmp);
        return SKL_ERR_IO;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return SKL_ERR_IO;
    }
    return SKL_OK;
}

int
skl_read_file(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? SKL_ERR_NOTFOUND : SKL_ERR_IO;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return SKL_ERR_IO;
    }
    if ((uint64_t)sb.st_size > max) {
        close(fd);
        return SKL_ERR_LIMIT;
    }
    char *buf = malloc((size_t)sb.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return SKL_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != (size_t)sb.st_size) {
        free(buf);
        return SKL_ERR_IO;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return SKL_OK;
}

/* ---- publishing --------------------------------------------------------------------- */

static int
exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Writes the entry bundle of leaves [first, first+width). */
static int
write_entries(skl_ledger *l, const char *path, uint64_t first, unsigned width)
{
    skl_buf b = SKL_BUF_INIT;
    int rc = SKL_OK;
    for (unsigned i = 0; i < width && rc == SKL_OK; i++) {
        char *data = NULL;
        size_t len;
        rc = skl_ledger_leaf(l, first + i, &data, &len, NULL);
        if (rc != SKL_OK)
            break;
        if (len > 65535) {
            rc = skl_ledger_fail(l, SKL_ERR_LIMIT, "leaf %llu is larger than a tile entry",
                                 (unsigned long long)(first + i));
        } else {
            uint8_t be[2] = {(uint8_t)(len >> 8), (uint8_t)len};
            skl_buf_append(&b, be, 2);
            skl_buf_append(&b, data, len);
        }
        free(data);
    }
    if (rc == SKL_OK && !skl_buf_ok(&b))
        rc = SKL_ERR_NOMEM;
    if (rc == SKL_OK && (rc = skl_write_file_atomic(path, b.data, b.len)) != SKL_OK)
        skl_ledger_fail(l, rc, "cannot write %s", path);
    skl_buf_free(&b);
    return rc;
}

static int
write_hashes(skl_ledger *l, const char *path, unsigned level, uint64_t first, unsigned width)
{
    uint8_t(*h)[32] = malloc((size_t)width * 32);
    if (h == NULL)
        return SKL_ERR_NOMEM;
    int rc = skl_store_hashes(l, level, first, width, h);
    if (rc == SKL_OK && (rc = skl_write_file_atomic(path, h, (size_t)width * 32)) != SKL_OK)
        skl_ledger_fail(l, rc, "cannot write %s", path);
    free(h);
    return rc;
}

skl_err
skl_ledger_publish(skl_ledger *l, const char *dir, uint64_t *written)
{
    char *note = NULL, path[SKL_TILE_PATH_MAX];
    size_t note_len;
    skl_note *parsed = NULL;
    skl_checkpoint cp;
    uint64_t count = 0;
    int rc = skl_ledger_latest_checkpoint(l, &note, &note_len);
    if (rc != SKL_OK)
        goto out;
    const char *text;
    size_t text_len;
    if ((rc = skl_note_parse(&parsed, note, note_len)) != SKL_OK)
        goto out;
    text = skl_note_text(parsed, &text_len);
    if ((rc = skl_checkpoint_parse(&cp, text, text_len)) != SKL_OK)
        goto out;
    /* Level l holds the hashes at height 8l; level -1 stands for the entry bundles. */
    for (int level = -1; level < 8; level++) {
        unsigned hl = level < 0 ? 0 : (unsigned)level;
        uint64_t hashes = cp.size >> (8 * hl);
        if (hashes == 0)
            break;
        uint64_t tiles = (hashes + SKL_TILE_WIDTH - 1) / SKL_TILE_WIDTH;
        for (uint64_t n = 0; n < tiles; n++) {
            uint64_t left = hashes - n * SKL_TILE_WIDTH;
            unsigned width = left >= SKL_TILE_WIDTH ? SKL_TILE_WIDTH : (unsigned)left;
            if (skl_tile_path(path, sizeof path, dir, level, n, width) != 0) {
                rc = skl_ledger_fail(l, SKL_ERR_INVAL, "output directory name is too long");
                goto out;
            }
            if (width == SKL_TILE_WIDTH && exists(path))
                continue; /* full tiles are immutable */
            rc = level < 0 ? write_entries(l, path, n * SKL_TILE_WIDTH, width)
                           : write_hashes(l, path, hl, n * SKL_TILE_WIDTH, width);
            if (rc != SKL_OK)
                goto out;
            count++;
        }
    }
    /* The checkpoint goes last, so that every tile it needs is already there. */
    snprintf(path, sizeof path, "%s/checkpoint", dir);
    if ((rc = skl_write_file_atomic(path, note, note_len)) != SKL_OK) {
        skl_ledger_fail(l, rc, "cannot write %s", path);
        goto out;
    }
    count++;
out:
    if (written)
        *written = count;
    skl_note_free(parsed);
    free(note);
    return rc;
}
