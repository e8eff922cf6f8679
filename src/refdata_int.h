/*
 * refdata_int.h - the reference data handle (struct skl_refdata) and the helpers that
 * refdata.c and refdata_occupations.c share. Private to libskl.
 */
#ifndef SKL_REFDATA_INT_H
#define SKL_REFDATA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/json.h"
#include "skl/refdata.h"
#include "why_int.h"

#define DATA_MAX_BYTES (16u << 20) /* one data file */
#define MAX_LEVELS 64              /* an occupation's levels are a 64-bit mask */
#define MAX_KEEP 64                /* documents and buffers one handle keeps */

typedef struct level_ent {
    const char *id, *name, *scale;
    int rank;
} level_ent;

typedef struct occ_ent {
    char code[11];   /* D-DD-DD-DD */
    char edition[5]; /* YYYY */
    const char *name;
    uint64_t levels; /* bit i: levels[i] of the handle */
    int levels_known;
    char tags[3];
} occ_ent;

typedef struct named_ent {
    const char *id, *name;
} named_ent;

typedef struct named_table {
    const char *table; /* "training-types", ... */
    named_ent *e;
    size_t n;
} named_table;

typedef struct honour_ent {
    const char *id, *name, *tier;
    skl_refdata_prereq *pre;
    size_t npre;
} honour_ent;

typedef struct file_version {
    const char *file; /* "levels" */
    const char *version;
} file_version;

enum { T_TRAINING, T_FUNDING, T_DELIVERY, T_EVAL, T_HONOUR, T_TIER, T_COUNT };

struct skl_refdata {
    void *keep[MAX_KEEP]; /* skl_json_doc * (keep_doc[i] = 1) or malloc'd buffers */
    int keep_doc[MAX_KEEP];
    size_t nkeep;

    level_ent levels[MAX_LEVELS];
    size_t nlevels;
    const char *scales[8];
    size_t nscales;

    occ_ent *occ; /* sorted by (edition, code) */
    size_t nocc;
    const char *editions[8];
    size_t neditions;

    named_table tables[T_COUNT];
    skl_refdata_evaltype *evals;
    size_t nevals;
    honour_ent *honours;
    size_t nhonours;

    file_version versions[16];
    size_t nversions;
    char *occ_extra; /* "+ a + b" after the occupations version, or NULL */
    char *version;   /* the line skl_refdata_version() returns */
};

/* ------------------------------------------------------------- refdata.c ----- */

/* Formats into why[0..whylen), if there is one. */

/* Hands p (a skl_json_doc * when is_doc, else a malloc'd buffer) to rd, which frees it in
 * skl_refdata_free(). 0, or -1 when rd keeps MAX_KEEP already (p is not taken). */
int skl_refdata_keep(skl_refdata *rd, void *p, int is_doc);

/* 1 if every member of obj is one of the NULL-terminated names. Else 0 and *bad names it. */
int skl_refdata_only_members(const skl_json_value *obj, const char *const *names, const char **bad);

/* A non-empty string without U+0000, or NULL. */
const char *skl_refdata_str_of(const skl_json_value *v);

/* qsort/bsearch order of occ_ent: by edition, then code. */
int skl_refdata_occ_cmp(const void *a, const void *b);

/*
 * Parses a data file, checks its header members (version, published, source) and that
 * every other member is one of body (NULL-terminated; a name starting '?' is optional, the
 * others are required). Keeps the document in rd.
 */
skl_err skl_refdata_open_doc(skl_refdata *rd, const char *text, size_t len, const char *file,
                             const char *const *body, const skl_json_value **root,
                             const char **version, char *why, size_t whylen);

/* skl_refdata_open_doc() on the embedded file.json, whose version is recorded in rd. */
skl_err skl_refdata_load_embedded(skl_refdata *rd, const char *file, const char *const *body,
                                  const skl_json_value **root, char *why, size_t whylen);

/* An array member of root whose elements are objects, at most max of them. */
const skl_json_value *skl_refdata_obj_array(const skl_json_value *root, const char *key, size_t max,
                                            const char *file, char *why, size_t whylen);

/* Rebuilds rd->version from rd->versions and rd->occ_extra. SKL_OK or SKL_ERR_NOMEM. */
skl_err skl_refdata_build_version(skl_refdata *rd);

/* ------------------------------------------------------------- refdata_occupations.c */

/* Loads the embedded occupations.json (its editions and occupations) into rd, after the
 * levels. */
skl_err skl_refdata_load_occupations_default(skl_refdata *rd, char *why, size_t whylen);

/* The compiled-in reference data, loaded once per process and never freed (read-only, so
 * any thread may use it); NULL if it cannot be loaded. For callers with no ledger: the
 * builder, the bundle verifier. */
const skl_refdata *skl_refdata_shared(void);

/* Reasons: skl_why (why_int.h). */
#define skl_refdata_setwhy skl_why

#endif
