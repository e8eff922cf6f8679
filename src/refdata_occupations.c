/*
 * refdata_occupations.c - the occupations table of the reference data: the embedded
 * occupations.json, and the files (JSON like it, or CSV) that skl_refdata_load_occupations()
 * merges into a handle. Like the rest of refdata, the entries point into the documents and
 * texts the handle keeps.
 */
#include "skl/refdata.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claim_int.h" /* skl_occupation_code_valid */
#include "refdata_int.h"
#include "skl/json.h"

static int
is_edition(const char *s)
{
    return strlen(s) == 4 && s[0] >= '1' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
           s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9';
}

/* Adds or replaces one occupation in the list being built. */
static skl_err
occ_put(occ_ent **list, size_t *n, size_t *cap, const occ_ent *e)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].code, e->code) == 0 && strcmp((*list)[i].edition, e->edition) == 0)
            return SKL_ERR_DUPLICATE;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        occ_ent *p = realloc(*list, nc * sizeof *p);
        if (p == NULL)
            return SKL_ERR_NOMEM;
        *list = p;
        *cap = nc;
    }
    (*list)[(*n)++] = *e;
    return SKL_OK;
}

/* Parses a levels list (JSON array or ';'-separated text) into e. */
static int
occ_levels_text(const skl_refdata *rd, occ_ent *e, const char *s, size_t n, const char **bad,
                size_t *badlen)
{
    e->levels_known = 1;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ';')
            j++;
        int found = -1;
        for (size_t k = 0; k < rd->nlevels; k++)
            if (strlen(rd->levels[k].id) == j - i && memcmp(rd->levels[k].id, s + i, j - i) == 0)
                found = (int)k;
        if (found < 0 || strcmp(rd->levels[found].scale, "skill") != 0) {
            *bad = s + i;
            *badlen = j - i;
            return -1;
        }
        e->levels |= (uint64_t)1 << found;
        i = j + 1;
    }
    return 0;
}

/*
 * Parses an occupations document (root already header-checked) into list. name is the
 * file name for messages.
 */
static skl_err
occ_from_json(const skl_refdata *rd, const skl_json_value *root, const char *name, occ_ent **list,
              size_t *n, size_t *cap, char *why, size_t whylen)
{
    static const char *const om[] = {"code", "edition", "name", "levels", "tags", NULL};
    const char *bad;
    const skl_json_value *a = skl_refdata_obj_array(root, "occupations", 100000, name, why, whylen);
    if (a == NULL)
        return SKL_ERR_SCHEMA;
    for (uint32_t i = 0; i < a->n; i++) {
        const skl_json_value *o = &a->u.arr[i], *lv = skl_json_get(o, "levels"),
                             *tg = skl_json_get(o, "tags");
        const char *code = skl_refdata_str_of(skl_json_get(o, "code"));
        const char *ed = skl_refdata_str_of(skl_json_get(o, "edition"));
        occ_ent e;
        memset(&e, 0, sizeof e);
        e.name = skl_refdata_str_of(skl_json_get(o, "name"));
        if (!skl_refdata_only_members(o, om, &bad)) {
            skl_refdata_setwhy(why, whylen, "%s: occupations[%u]: unknown member \"%s\"", name, i,
                               bad);
            return SKL_ERR_SCHEMA;
        }
        if (code == NULL || !skl_occupation_code_valid(code) || ed == NULL || !is_edition(ed) ||
            e.name == NULL) {
            skl_refdata_setwhy(why, whylen,
                               "%s: occupations[%u]: needs code D-DD-DD-DD, edition and name", name,
                               i);
            return SKL_ERR_SCHEMA;
        }
        memcpy(e.code, code, 11);
        memcpy(e.edition, ed, 5);
        if (lv != NULL) {
            if (lv->type != SKL_JSON_ARRAY) {
                skl_refdata_setwhy(why, whylen, "%s: occupations[%u].levels is not an array", name,
                                   i);
                return SKL_ERR_SCHEMA;
            }
            e.levels_known = 1;
            for (uint32_t j = 0; j < lv->n; j++) {
                const char *l = skl_refdata_str_of(&lv->u.arr[j]);
                size_t bl;
                if (l == NULL || occ_levels_text(rd, &e, l, strlen(l), &bad, &bl) != 0) {
                    skl_refdata_setwhy(why, whylen,
                                       "%s: occupations[%u].levels[%u] is not a skill level", name,
                                       i, j);
                    return SKL_ERR_SCHEMA;
                }
            }
        }
        if (tg != NULL) {
            if (tg->type != SKL_JSON_ARRAY || tg->n > 2) {
                skl_refdata_setwhy(why, whylen, "%s: occupations[%u].tags is not an array of S/L",
                                   name, i);
                return SKL_ERR_SCHEMA;
            }
            for (uint32_t j = 0; j < tg->n; j++) {
                const char *t = skl_refdata_str_of(&tg->u.arr[j]);
                if (t == NULL || (strcmp(t, "S") && strcmp(t, "L")) || strchr(e.tags, t[0])) {
                    skl_refdata_setwhy(why, whylen, "%s: occupations[%u].tags[%u] is not S or L",
                                       name, i, j);
                    return SKL_ERR_SCHEMA;
                }
                e.tags[strlen(e.tags)] = t[0];
            }
        }
        skl_err rc = occ_put(list, n, cap, &e);
        if (rc == SKL_ERR_DUPLICATE)
            skl_refdata_setwhy(why, whylen, "%s: occupations[%u]: %s (%s) listed twice", name, i,
                               code, ed);
        if (rc != SKL_OK)
            return rc == SKL_ERR_DUPLICATE ? SKL_ERR_SCHEMA : rc;
    }
    return SKL_OK;
}

skl_err
skl_refdata_load_occupations_default(skl_refdata *rd, char *why, size_t whylen)
{
    static const char *const body[] = {"editions", "occupations", NULL};
    const skl_json_value *root;
    size_t cap = 0;
    skl_err rc = skl_refdata_load_embedded(rd, "occupations", body, &root, why, whylen);
    if (rc != SKL_OK)
        return rc;
    const skl_json_value *ed = skl_json_get(root, "editions");
    if (ed->type != SKL_JSON_ARRAY || ed->n == 0 || ed->n > 8) {
        skl_refdata_setwhy(why, whylen, "occupations.json: editions must list 1 to 8 editions");
        return SKL_ERR_SCHEMA;
    }
    for (uint32_t i = 0; i < ed->n; i++) {
        const char *e = skl_refdata_str_of(&ed->u.arr[i]);
        if (e == NULL || !is_edition(e)) {
            skl_refdata_setwhy(why, whylen, "occupations.json: editions[%u] is not a year", i);
            return SKL_ERR_SCHEMA;
        }
        rd->editions[rd->neditions++] = e;
    }
    rc = occ_from_json(rd, root, "occupations.json", &rd->occ, &rd->nocc, &cap, why, whylen);
    if (rc != SKL_OK)
        return rc;
    for (size_t i = 0; i < rd->nocc; i++)
        if (!skl_refdata_edition_known(rd, rd->occ[i].edition)) {
            skl_refdata_setwhy(why, whylen, "occupations.json: %s has edition %s, not in editions",
                               rd->occ[i].code, rd->occ[i].edition);
            return SKL_ERR_SCHEMA;
        }
    qsort(rd->occ, rd->nocc, sizeof *rd->occ, skl_refdata_occ_cmp);
    return SKL_OK;
}

/* Reads a whole file (at most DATA_MAX_BYTES) into a malloc'd NUL-terminated buffer. */
static skl_err
read_all(const char *path, char **out, size_t *len, char *why, size_t whylen)
{
    skl_err rc = SKL_ERR_IO;
    char *buf = NULL;
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        skl_refdata_setwhy(why, whylen, "%s: %s", path, strerror(errno));
        return SKL_ERR_IO;
    }
    if ((buf = malloc(DATA_MAX_BYTES + 1)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    n = fread(buf, 1, DATA_MAX_BYTES + 1, f);
    if (ferror(f)) {
        skl_refdata_setwhy(why, whylen, "%s: read error", path);
        goto out;
    }
    if (n > DATA_MAX_BYTES) {
        skl_refdata_setwhy(why, whylen, "%s: larger than %u bytes", path, DATA_MAX_BYTES);
        rc = SKL_ERR_LIMIT;
        goto out;
    }
    char *small = realloc(buf, n + 1);
    if (small != NULL)
        buf = small;
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = SKL_OK;
out:
    free(buf);
    fclose(f);
    return rc;
}

/* Parses CSV text (modified in place: fields are NUL-terminated) into list. */
static skl_err
occ_from_csv(const skl_refdata *rd, char *text, size_t len, const char *name, occ_ent **list,
             size_t *n, size_t *cap, char *why, size_t whylen)
{
    size_t line = 0;
    char *p = text, *end = text + len;
    if (memchr(text, '\0', len) != NULL) {
        skl_refdata_setwhy(why, whylen, "%s: holds a NUL byte", name);
        return SKL_ERR_PARSE;
    }
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        *eol = '\0';
        line++;
        char *l = p;
        p = eol + 1;
        size_t ll = strlen(l);
        if (ll > 0 && l[ll - 1] == '\r')
            l[--ll] = '\0';
        if (line == 1 && ll >= 3 && memcmp(l, "\xEF\xBB\xBF", 3) == 0) /* a BOM */
            l += 3, ll -= 3;
        if (ll == 0 || (line == 1 && strncmp(l, "code,", 5) == 0))
            continue;
        char *f[5] = {0};
        int nf = 0;
        for (char *s = l; nf < 5;) {
            f[nf++] = s;
            char *c = strchr(s, ',');
            if (c == NULL)
                break;
            *c = '\0';
            s = c + 1;
        }
        if (nf < 3 || nf > 4) {
            skl_refdata_setwhy(why, whylen, "%s line %zu: expected code,edition,name[,levels]",
                               name, line);
            return SKL_ERR_PARSE;
        }
        if (!skl_occupation_code_valid(f[0])) {
            skl_refdata_setwhy(why, whylen, "%s line %zu: code \"%.32s\" is not D-DD-DD-DD", name,
                               line, f[0]);
            return SKL_ERR_SCHEMA;
        }
        if (!skl_refdata_edition_known(rd, f[1])) {
            skl_refdata_setwhy(why, whylen, "%s line %zu: edition \"%.32s\" is not a known edition",
                               name, line, f[1]);
            return SKL_ERR_SCHEMA;
        }
        if (f[2][0] == '\0' || strchr(f[2], '"') != NULL) {
            skl_refdata_setwhy(why, whylen, "%s line %zu: the name is empty or quoted", name, line);
            return SKL_ERR_PARSE;
        }
        occ_ent e;
        memset(&e, 0, sizeof e);
        memcpy(e.code, f[0], 11);
        memcpy(e.edition, f[1], 5);
        e.name = f[2];
        const char *bad;
        size_t bl;
        if (nf == 4 &&
            (f[3][0] == '\0' || occ_levels_text(rd, &e, f[3], strlen(f[3]), &bad, &bl) != 0)) {
            skl_refdata_setwhy(why, whylen,
                               "%s line %zu: levels \"%.32s\" is not a ';' list of skill levels",
                               name, line, f[3]);
            return SKL_ERR_SCHEMA;
        }
        skl_err rc = occ_put(list, n, cap, &e);
        if (rc == SKL_ERR_DUPLICATE) {
            skl_refdata_setwhy(why, whylen, "%s line %zu: %s (%s) listed twice", name, line, e.code,
                               e.edition);
            return SKL_ERR_SCHEMA;
        }
        if (rc != SKL_OK)
            return rc;
    }
    if (*n == 0) {
        skl_refdata_setwhy(why, whylen, "%s: no occupations", name);
        return SKL_ERR_SCHEMA;
    }
    return SKL_OK;
}

skl_err
skl_refdata_load_occupations(skl_refdata *rd, const char *path, char *why, size_t whylen)
{
    char *text = NULL;
    size_t len = 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    skl_err rc = read_all(path, &text, &len, why, whylen);
    if (rc == SKL_OK)
        rc = skl_refdata_load_occupations_text(rd, base, text, len, why, whylen);
    free(text);
    return rc;
}

skl_err
skl_refdata_load_occupations_text(skl_refdata *rd, const char *name, const char *data,
                                  size_t len, char *why, size_t whylen)
{
    static const char *const body[] = {"occupations", "?editions", NULL};
    char *text = NULL, *extra = NULL, *oldv = NULL;
    occ_ent *list = NULL, *merged = NULL;
    size_t n = 0, cap = 0, nkeep = rd->nkeep;
    const char *base = name, *ver = NULL;
    const skl_json_value *root;
    skl_err rc = SKL_OK;
    if (len > DATA_MAX_BYTES) {
        skl_refdata_setwhy(why, whylen, "%s: larger than %u bytes", name, DATA_MAX_BYTES);
        return SKL_ERR_LIMIT;
    }
    if ((text = malloc(len + 1)) == NULL)
        return SKL_ERR_NOMEM;
    memcpy(text, data, len);
    text[len] = '\0';
    size_t bl = strlen(base);
    if (bl >= 5 && strcmp(base + bl - 5, ".json") == 0) {
        rc = skl_refdata_open_doc(rd, text, len, base, body, &root, &ver, why, whylen);
        if (rc == SKL_OK)
            rc = occ_from_json(rd, root, base, &list, &n, &cap, why, whylen);
    } else {
        rc = occ_from_csv(rd, text, len, base, &list, &n, &cap, why, whylen);
        ver = base;
        if (rc == SKL_OK && skl_refdata_keep(rd, text, 0) != 0)
            rc = SKL_ERR_LIMIT;
        else if (rc == SKL_OK)
            text = NULL;
    }
    if (rc != SKL_OK)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (!skl_refdata_edition_known(rd, list[i].edition)) {
            skl_refdata_setwhy(why, whylen, "%s: %s has edition %s, not a known edition", base,
                               list[i].code, list[i].edition);
            rc = SKL_ERR_SCHEMA;
            goto out;
        }
    /* Merge: the new entries replace old ones with the same code and edition. */
    if ((merged = malloc((rd->nocc + n) * sizeof *merged)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    qsort(list, n, sizeof *list, skl_refdata_occ_cmp);
    size_t m = 0;
    for (size_t i = 0; i < rd->nocc; i++)
        if (bsearch(&rd->occ[i], list, n, sizeof *list, skl_refdata_occ_cmp) == NULL)
            merged[m++] = rd->occ[i];
    memcpy(merged + m, list, n * sizeof *list);
    m += n;
    qsort(merged, m, sizeof *merged, skl_refdata_occ_cmp);
    size_t el = (rd->occ_extra ? strlen(rd->occ_extra) + 1 : 0) + strlen(ver) + 3;
    if ((extra = malloc(el)) == NULL) {
        rc = SKL_ERR_NOMEM;
        goto out;
    }
    snprintf(extra, el, "%s%s+ %s", rd->occ_extra ? rd->occ_extra : "", rd->occ_extra ? " " : "",
             ver);
    oldv = rd->occ_extra;
    rd->occ_extra = extra;
    if ((rc = skl_refdata_build_version(rd)) != SKL_OK) {
        rd->occ_extra = oldv;
        oldv = extra;
        goto out;
    }
    extra = NULL;
    free(rd->occ);
    rd->occ = merged;
    rd->nocc = m;
    merged = NULL;
    nkeep = rd->nkeep;
out:
    /* On failure, drop what this call kept (its document or CSV text). */
    while (rd->nkeep > nkeep) {
        rd->nkeep--;
        if (rd->keep_doc[rd->nkeep])
            skl_json_free(rd->keep[rd->nkeep]);
        else
            free(rd->keep[rd->nkeep]);
    }
    free(oldv);
    free(extra);
    free(merged);
    free(list);
    free(text);
    return rc;
}
