/* testutil.h - small helpers shared by the Check suites. */
#ifndef SKL_TESTUTIL_H
#define SKL_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Reads a whole file into a malloc'd NUL-terminated buffer; aborts the test on error. */
char *tu_read_file(const char *path, size_t *len);
/* Reads $SKL_VECTORS/rel (default ../shared/vectors/rel). */
char *tu_read_vector(const char *rel, size_t *len);
/* Decodes hex (exactly 2*n digits) into out; aborts the test on error. */
void tu_hex(uint8_t *out, size_t n, const char *hex);
/* A fresh empty directory under $TMPDIR (or /tmp), e.g. for SQLite files. Caller frees. */
char *tu_tmpdir(void);

/* Reference base58btc (bitcoin alphabet) coder, bytewise and obviously right, against which
 * the library's word-at-a-time coder is checked. Same contract as skl_multibase_*. */
struct skl_buf;
int tu_base58_encode(struct skl_buf *b, const uint8_t *p, size_t n);
int tu_base58_decode(uint8_t *out, size_t outcap, size_t *outlen, const char *in, size_t inlen);

#endif
