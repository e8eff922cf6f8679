/*
 * embed_int.h - the reference data files (the spec/data JSON files) compiled into libskl by
 * tools/embed.sh, so that the library needs no data directory at run time. Private.
 */
#ifndef SKL_EMBED_INT_H
#define SKL_EMBED_INT_H

#include <stddef.h>

typedef struct skl_embedded {
    const char *name; /* file name, e.g. "levels.json"; NULL ends the table */
    const char *data; /* the file's bytes, followed by a NUL */
    size_t len;       /* bytes, NUL not counted */
} skl_embedded;

extern const skl_embedded skl_embedded_files[];

/* The embedded file called name, or NULL (then *len is 0). */
const char *skl_embedded_find(const char *name, size_t *len);

#endif
