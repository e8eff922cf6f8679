/* vault_record.c - the sealed worker record's plaintext: canonical JSON, written and read
 * back strictly (format: spec/workers.md). */
#include "vault_int.h"
#include "identity_int.h"
#include "text_out_int.h"

#include <string.h>

#include <sodium.h>

/* A JSON string of checked text (no control characters): only '"' and '\' need escapes,
 * which is also their RFC 8785 form. */
static void
put_string(text_out *t, const char *s)
{
    text_put(t, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            text_put(t, "\\", 1);
        text_put(t, s, 1);
    }
    text_put(t, "\"", 1);
}

/* The canonical JSON record (members in RFC 8785 order) into v->s.plain; its length. */
size_t
skl_vault_int_record_write(skl_vault *v, const char *type, const char *number, const char *name)
{
    text_out t = {v->s.plain, sizeof v->s.plain, 0, 0};
    char hex[65];
    text_put(&t, "{\"idNumber\":", 12);
    put_string(&t, number);
    text_put(&t, ",\"idType\":", 10);
    put_string(&t, type);
    text_put(&t, ",\"name\":", 8);
    put_string(&t, name);
    text_put(&t, ",\"secret\":\"", 11);
    sodium_bin2hex(hex, sizeof hex, v->s.secret, sizeof v->s.secret);
    text_put(&t, hex, 64);
    text_put(&t, "\"}", 2);
    sodium_memzero(hex, sizeof hex);
    return t.bad ? 0 : t.len;
}

/* Expects the literal lit at p[*i]. */
static int
expect(const char *p, size_t len, size_t *i, const char *lit)
{
    size_t n = strlen(lit);
    if (len - *i < n || memcmp(p + *i, lit, n) != 0)
        return -1;
    *i += n;
    return 0;
}

/* Reads a JSON string at p[*i] as skl_vault_int_record_write() writes them into out
 * (cap bytes). */
static int
read_string(const char *p, size_t len, size_t *i, char *out, size_t cap)
{
    size_t o = 0;
    if (*i >= len || p[*i] != '"')
        return -1;
    for (size_t k = *i + 1; k < len; k++) {
        char c = p[k];
        if (c == '"') {
            out[o] = '\0';
            *i = k + 1;
            return 0;
        }
        if (c == '\\') {
            if (++k >= len || (p[k] != '"' && p[k] != '\\'))
                return -1;
            c = p[k];
        } else if ((unsigned char)c < 0x20) {
            return -1;
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = c;
    }
    return -1;
}

/* Parses v->s.plain[0..len) into v->s.w and v->s.secret, and checks that it is exactly
 * what skl_vault_int_record_write() would write for those values. */
int
skl_vault_int_record_read(skl_vault *v, size_t len)
{
    const char *p = v->s.plain;
    skl_worker *w = &v->s.w;
    char hex[65];
    size_t i = 0;
    int birth, rc = -1;
    if (expect(p, len, &i, "{\"idNumber\":") ||
        read_string(p, len, &i, w->id_number, sizeof w->id_number) ||
        expect(p, len, &i, ",\"idType\":") ||
        read_string(p, len, &i, w->id_type, sizeof w->id_type) ||
        expect(p, len, &i, ",\"name\":") || read_string(p, len, &i, w->name, sizeof w->name) ||
        expect(p, len, &i, ",\"secret\":") || read_string(p, len, &i, hex, sizeof hex) ||
        expect(p, len, &i, "}") || i != len)
        goto out;
    if (strlen(hex) != 64 || strspn(hex, "0123456789abcdef") != 64 ||
        sodium_hex2bin(v->s.secret, 32, hex, 64, NULL, NULL, NULL) != 0)
        goto out;
    /* The stored values must already be in normal form. */
    if (skl_identity_normalize(w->id_type, w->id_number, v->s.number, &birth, NULL, 0) != SKL_OK ||
        strcmp(v->s.number, w->id_number) != 0 ||
        skl_identity_check_name(w->name, v->s.name, NULL, 0) != SKL_OK ||
        strcmp(v->s.name, w->name) != 0)
        goto out;
    rc = 0;
out:
    sodium_memzero(hex, sizeof hex);
    return rc;
}
