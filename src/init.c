/* init.c - library start-up and version. */
#include "skl/skl.h"

#include <sodium.h>

skl_err
skl_init(void)
{
    return sodium_init() < 0 ? SKL_ERR_CRYPTO : SKL_OK;
}

const char *
skl_version(void)
{
    return SKL_VERSION;
}
