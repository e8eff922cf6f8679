/*
 * identity_int.h - the checks of what a worker's record holds: id types, id numbers and
 * names, shared by the vault (private to libskl). Touches no shared state; safe from any
 * thread.
 */
#ifndef SKL_IDENTITY_INT_H
#define SKL_IDENTITY_INT_H

#include <stddef.h>

#include "skl/vault.h"

/*
 * skl_vault_id_normalize() without its NULL checks, also giving the birth date (YYYYMMDD)
 * of a resident id in *birth (0 for other types). out holds SKL_VAULT_ID_NUMBER_MAX + 1
 * bytes; why may be NULL. Returns SKL_OK or SKL_ERR_SCHEMA.
 */
skl_err skl_identity_normalize(const char *id_type, const char *id_number, char *out, int *birth,
                               char *why, size_t whylen);

/*
 * Trims name into out (SKL_VAULT_NAME_MAX + 1 bytes) and checks it: 1 to SKL_VAULT_NAME_MAX
 * bytes of valid UTF-8 with no control characters. why may be NULL. Returns SKL_OK or
 * SKL_ERR_SCHEMA.
 */
skl_err skl_identity_check_name(const char *name, char *out, char *why, size_t whylen);

#endif
