/*
 * key_int.h - key file internals shared with the tests (private to libskl).
 */
#ifndef SKL_KEY_INT_H
#define SKL_KEY_INT_H

#include <stddef.h>

#include "skl/key.h"

/* Argon2id cost that skl_key_save() uses. */
#define SKL_KEY_OPSLIMIT_DEFAULT 3ULL
#define SKL_KEY_MEMLIMIT_DEFAULT ((size_t)64 << 20)

/* Bounds on the cost, on save and on load: a hostile file cannot make us spend more. */
#define SKL_KEY_OPSLIMIT_MIN 1ULL
#define SKL_KEY_OPSLIMIT_MAX 20ULL
#define SKL_KEY_MEMLIMIT_MIN ((size_t)8192)
#define SKL_KEY_MEMLIMIT_MAX ((size_t)1 << 30)

/*
 * skl_key_save() with an explicit Argon2id cost, for tests (cheap keys) and for callers
 * that want a stronger one. opslimit and memlimit must lie within the bounds above
 * (SKL_ERR_INVAL otherwise); they are ignored when passphrase is NULL or "".
 * Returns as skl_key_save().
 */
skl_err skl_key_save_params(const skl_key *k, const char *path, const char *passphrase,
                            unsigned long long opslimit, size_t memlimit);

/*
 * 1 if name[0..len) is a valid key name (1..SKL_KEY_NAME_MAX bytes of valid UTF-8, no
 * control characters, no Unicode white space, no '+'; the signed-note key-name rule),
 * else 0.
 */
int skl_key_name_ok(const char *name, size_t len);

#endif
