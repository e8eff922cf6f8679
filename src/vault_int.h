/*
 * vault_int.h - the vault handle, shared by vault.c and vault_record.c (private to libskl).
 */
#ifndef SKL_VAULT_INT_H
#define SKL_VAULT_INT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "sha256_int.h"
#include "skl/ledger.h"
#include "skl/vault.h"

#define CHECK_TEXT "skl/vault-key-check/v1"
#define CHECK_LEN (sizeof CHECK_TEXT - 1)
/* The longest record: fixed text 49 bytes, number 32, type 26, escaped name 510, secret 64. */
#define PLAIN_MAX 1024
#define LOOKUP_MSG_MAX 64 /* "type:number": 26 + 1 + 32 */

/* Everything secret a call touches: wiped at the end of every call. */
struct scratch {
    uint8_t master[32];
    uint8_t check_key[32];
    uint8_t check_plain[CHECK_LEN];
    char plain[PLAIN_MAX + 1];
    uint8_t secret[32];
    char msg[LOOKUP_MSG_MAX + 1];
    uint8_t salt[32];
    char salt_hex[65];
    char number[SKL_VAULT_ID_NUMBER_MAX + 1];
    char name[SKL_VAULT_NAME_MAX + 1];
    skl_worker w;
    crypto_auth_hmacsha256_state hmac;
    skl_sha256_ctx sha;
};

/* The whole vault lives in one sodium_malloc() block, wiped by sodium_free(). */
struct skl_vault {
    skl_ledger *l;
    sqlite3_stmt *st_find, *st_get, *st_add, *st_exists, *st_link, *st_owner, *st_creds;
    uint8_t record_key[32];
    uint8_t lookup_key[32];
    struct scratch s;
};

/* The canonical JSON record (members in RFC 8785 order) into v->s.plain; its length, or 0
 * if it does not fit. */
size_t skl_vault_int_record_write(skl_vault *v, const char *type, const char *number,
                                  const char *name);

/* Parses v->s.plain[0..len) into v->s.w and v->s.secret, and checks that it is exactly
 * what skl_vault_int_record_write() would write for those values. 0 or -1. */
int skl_vault_int_record_read(skl_vault *v, size_t len);

#endif
