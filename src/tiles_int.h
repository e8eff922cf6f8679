/*
 * tiles_int.h - C2SP tlog-tiles paths and file helpers (private to libskl).
 */
#ifndef SKL_TILES_INT_H
#define SKL_TILES_INT_H

#include <stddef.h>
#include <stdint.h>

#define SKL_TILE_WIDTH 256
#define SKL_TILE_PATH_MAX 4096

/*
 * Writes "<dir>/tile/<L>/<N>[.p/<W>]" (level < 0: "tile/entries/...") into out.
 * width 256 is a full tile; 1..255 a partial one. Returns 0, or -1 if it does not fit.
 */
int skl_tile_path(char *out, size_t cap, const char *dir, int level, uint64_t n, unsigned width);

/* Writes data to path atomically (temp file, fsync, rename), creating parent directories.
 * Returns SKL_OK or SKL_ERR_IO. */
int skl_write_file_atomic(const char *path, const void *data, size_t len);

/* Reads a whole file of at most max bytes into a malloc'd buffer (NUL-terminated).
 * SKL_ERR_NOTFOUND, SKL_ERR_LIMIT, SKL_ERR_IO or SKL_OK. */
int skl_read_file(const char *path, size_t max, char **out, size_t *len);

#endif
