/*
 * skl/err.h - error codes shared by every skl module.
 *
 * Every fallible function returns an skl_err: SKL_OK (0) on success, a negative
 * code otherwise. skl_strerror() turns any value into text and never returns NULL.
 * Thread safety: all functions here are safe to call from any thread.
 */
#ifndef SKL_ERR_H
#define SKL_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum skl_err {
    SKL_OK = 0,
    SKL_ERR_NOMEM = -1,      /* out of memory */
    SKL_ERR_INVAL = -2,      /* invalid argument from the caller */
    SKL_ERR_IO = -3,         /* file or operating-system error */
    SKL_ERR_PARSE = -4,      /* input is not well formed */
    SKL_ERR_LIMIT = -5,      /* input exceeds a size, depth or count limit */
    SKL_ERR_VERIFY = -6,     /* a signature, hash or proof does not verify */
    SKL_ERR_KEY = -7,        /* key is malformed, of the wrong type, or does not match */
    SKL_ERR_PASSPHRASE = -8, /* wrong passphrase, or none given for an encrypted key */
    SKL_ERR_DB = -9,         /* the SQLite store failed */
    SKL_ERR_DUPLICATE = -10, /* a credential with the same id is already in the ledger */
    SKL_ERR_NOTFOUND = -11,  /* no such index, checkpoint, file or record */
    SKL_ERR_CORRUPT = -12,   /* stored data is inconsistent: audit found tampering */
    SKL_ERR_CRYPTO = -13,    /* libsodium or OpenSSL failed internally */
    SKL_ERR_EXISTS = -14,    /* refusing to overwrite an existing file or ledger */
    SKL_ERR_STATE = -15,     /* operation not valid in the current state */
    SKL_ERR_SCHEMA = -16,    /* well-formed input that is not what was expected */
} skl_err;

/* The lowest (most negative) code; a test walks SKL_OK..SKL_ERR_LAST. */
#define SKL_ERR_LAST SKL_ERR_SCHEMA

/* Short English description of code. Never NULL; unknown codes give "unknown error". */
const char *skl_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
