/* err.c - text for skl_err codes. */
#include "skl/err.h"

const char *
skl_strerror(int code)
{
    switch ((skl_err)code) {
    case SKL_OK: return "success";
    case SKL_ERR_NOMEM: return "out of memory";
    case SKL_ERR_INVAL: return "invalid argument";
    case SKL_ERR_IO: return "input/output error";
    case SKL_ERR_PARSE: return "malformed input";
    case SKL_ERR_LIMIT: return "input exceeds a limit";
    case SKL_ERR_VERIFY: return "verification failed";
    case SKL_ERR_KEY: return "bad or mismatched key";
    case SKL_ERR_PASSPHRASE: return "wrong or missing passphrase";
    case SKL_ERR_DB: return "database error";
    case SKL_ERR_DUPLICATE: return "duplicate credential id";
    case SKL_ERR_NOTFOUND: return "not found";
    case SKL_ERR_CORRUPT: return "stored data is corrupt";
    case SKL_ERR_CRYPTO: return "cryptographic library failure";
    case SKL_ERR_EXISTS: return "already exists";
    case SKL_ERR_STATE: return "invalid state";
    case SKL_ERR_SCHEMA: return "unexpected content";
    }
    return "unknown error";
}
