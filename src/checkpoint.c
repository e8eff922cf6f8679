/* checkpoint.c - C2SP tlog-checkpoint bodies: origin, tree size, root hash, extensions. */
#include "skl/note.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf_int.h"
#include "codec_int.h"
#include "utf8_int.h"

#define ROOT_B64_LEN 44 /* base64 of 32 bytes */


/* Extension lines: zero or more non-empty lines, each ending in "\n". */
static int
ext_ok(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    if (s[0] == '\n' || s[n - 1] != '\n' || !skl_utf8_note_text_ok(s, n))
        return 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] == '\n' && s[i - 1] == '\n')
            return 0;
    }
    return 1;
}

skl_err
skl_checkpoint_format(char **out, size_t *outlen, const skl_checkpoint *cp)
{
    skl_buf b = SKL_BUF_INIT;

    if (out == NULL)
        return SKL_ERR_INVAL;
    *out = NULL;
    if (outlen)
        *outlen = 0;
    if (cp == NULL)
        return SKL_ERR_INVAL;
    const char *nul = memchr(cp->origin, '\0', sizeof cp->origin);
    size_t olen = nul ? (size_t)(nul - cp->origin) : 0;
    if (olen == 0 || memchr(cp->origin, '\n', olen) != NULL || !skl_utf8_note_text_ok(cp->origin, olen))
        return SKL_ERR_INVAL;
    if (cp->ext_len > SKL_CHECKPOINT_EXT_MAX || !ext_ok(cp->ext, cp->ext_len))
        return SKL_ERR_INVAL;

    skl_buf_append(&b, cp->origin, olen);
    skl_buf_printf(&b, "\n%" PRIu64 "\n", cp->size);
    skl_buf_base64(&b, cp->root, sizeof cp->root);
    skl_buf_putc(&b, '\n');
    skl_buf_append(&b, cp->ext, cp->ext_len);
    if (!skl_buf_ok(&b)) {
        skl_buf_free(&b);
        return SKL_ERR_NOMEM;
    }
    *out = skl_buf_take(&b, outlen);
    return *out ? SKL_OK : SKL_ERR_NOMEM;
}

/* Strict decimal: digits only, no sign, no leading zero unless the number is 0, 64 bits. */
static int
parse_size(uint64_t *out, const char *s, size_t n)
{
    uint64_t v = 0;
    if (n == 0 || (n > 1 && s[0] == '0'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

skl_err
skl_checkpoint_parse(skl_checkpoint *cp, const char *text, size_t len)
{
    skl_err rc = SKL_ERR_PARSE;
    const char *p = text, *end = text + len, *eol;
    size_t got;

    if (cp == NULL)
        return SKL_ERR_INVAL;
    memset(cp, 0, sizeof *cp);
    if (text == NULL)
        return SKL_ERR_INVAL;
    if (len > SKL_NOTE_MAX_LEN)
        return SKL_ERR_LIMIT;
    if (len == 0 || text[len - 1] != '\n' || !skl_utf8_note_text_ok(text, len))
        return SKL_ERR_PARSE;

    /* origin */
    eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == p)
        goto out;
    if ((size_t)(eol - p) > SKL_CHECKPOINT_ORIGIN_MAX) {
        rc = SKL_ERR_LIMIT;
        goto out;
    }
    memcpy(cp->origin, p, (size_t)(eol - p));
    p = eol + 1;

    /* tree size */
    if (p == end)
        goto out;
    eol = memchr(p, '\n', (size_t)(end - p));
    if (parse_size(&cp->size, p, (size_t)(eol - p)) != 0)
        goto out;
    p = eol + 1;

    /* root hash */
    if (p == end)
        goto out;
    eol = memchr(p, '\n', (size_t)(end - p));
    if ((size_t)(eol - p) != ROOT_B64_LEN ||
        skl_base64_decode(cp->root, sizeof cp->root, &got, p, ROOT_B64_LEN) != 0 ||
        got != sizeof cp->root)
        goto out;
    p = eol + 1;

    /* extension lines, kept verbatim */
    if ((size_t)(end - p) > SKL_CHECKPOINT_EXT_MAX) {
        rc = SKL_ERR_LIMIT;
        goto out;
    }
    if (!ext_ok(p, (size_t)(end - p)))
        goto out;
    cp->ext_len = (size_t)(end - p);
    memcpy(cp->ext, p, cp->ext_len);
    rc = SKL_OK;
out:
    if (rc != SKL_OK)
        memset(cp, 0, sizeof *cp);
    return rc;
}
