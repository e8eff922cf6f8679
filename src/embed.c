/* embed.c - looking up the reference data files compiled into libskl. */
#include "embed_int.h"

#include <string.h>

const char *
skl_embedded_find(const char *name, size_t *len)
{
    for (const skl_embedded *e = skl_embedded_files; e->name != NULL; e++)
        if (strcmp(e->name, name) == 0) {
            *len = e->len;
            return e->data;
        }
    *len = 0;
    return NULL;
}
