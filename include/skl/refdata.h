/*
 * skl/refdata.h - the policy's reference data (the files of spec/data: levels, occupations,
 * training types, funding and delivery modes, evaluation types, honours, competition
 * tiers) and the check of national certificate numbers.
 *
 * The data files are compiled into libskl; skl_refdata_load_default() parses them.
 * A full occupation list (the 大典 has some 1,600 occupations per edition) can be loaded on
 * top with skl_refdata_load_occupations(). Every id below is an ASCII id from those files.
 *
 * Thread safety: a loaded skl_refdata is read-only, and every lookup may run from several
 * threads at once. skl_refdata_load_occupations() modifies it: call it before sharing the
 * handle. skl_certno_check() is a pure function.
 */
#ifndef SKL_REFDATA_H
#define SKL_REFDATA_H

#include <stddef.h>

#include "skl/err.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct skl_refdata skl_refdata;

/*
 * Parses the embedded reference data strictly (unknown members, missing version or
 * published date, duplicate ids and dangling references are refused) into a new handle
 * *out, which the caller frees with skl_refdata_free(). On failure *out is NULL and
 * why[0..whylen) names the file and the problem. Returns SKL_OK, SKL_ERR_PARSE,
 * SKL_ERR_SCHEMA, SKL_ERR_NOTFOUND (a file is not embedded) or SKL_ERR_NOMEM.
 */
skl_err skl_refdata_load_default(skl_refdata **out, char *why, size_t whylen);

/*
 * Loads occupations from the file at path into rd: a JSON file shaped like
 * spec/data/occupations.json, or (any other file name) CSV lines "code,edition,name[,levels]"
 * where levels is a ';'-separated list of skill-scale level ids (e.g. "L5;L4;L3"); without
 * it the occupation does not restrict levels. A first line starting "code," is a header;
 * blank lines are skipped; names hold no ',' or '"'. An entry with the code and edition of
 * a known occupation replaces it; others are added. All or nothing: on failure rd is
 * unchanged and why names the line ("occ.csv line 7: ..."). Returns SKL_OK, SKL_ERR_IO,
 * SKL_ERR_PARSE, SKL_ERR_SCHEMA, SKL_ERR_LIMIT or SKL_ERR_NOMEM.
 */
skl_err skl_refdata_load_occupations(skl_refdata *rd, const char *path, char *why, size_t whylen);

/* The same for a list already in memory: data[0..len) is the content of a file called name
 * (".json" for JSON, anything else is CSV). data is copied. */
skl_err skl_refdata_load_occupations_text(skl_refdata *rd, const char *name, const char *data,
                                          size_t len, char *why, size_t whylen);

/* Frees rd. Accepts NULL. */
void skl_refdata_free(skl_refdata *rd);

/*
 * One line naming the version of every data file, e.g. "levels 2026-11, occupations
 * 2026-11, ..."; an occupations file loaded on top adds "+ <its version or file name>".
 * Owned by rd, valid until the next load or skl_refdata_free().
 */
const char *skl_refdata_version(const skl_refdata *rd);

/* The version of one data file ("levels", "occupations", ...), or NULL. Owned by rd. */
const char *skl_refdata_file_version(const skl_refdata *rd, const char *file);

/*
 * Looks up level id ("L3", "X-junior", ...). On SKL_OK, *scale (if not NULL) is its scale
 * id ("skill", "1+X"; owned by rd) and *rank (if not NULL) its rank within the scale
 * (higher is more senior; ranks of different scales never compare). Returns
 * SKL_ERR_NOTFOUND for an unknown id.
 */
skl_err skl_refdata_level(const skl_refdata *rd, const char *id, const char **scale, int *rank);

/* The display name of level id ("四级/中级工"), or NULL. Owned by rd. */
const char *skl_refdata_level_name(const skl_refdata *rd, const char *id);

/* 1 if scale ("skill", "1+X") is a scale id of levels.json, else 0. */
int skl_refdata_scale_known(const skl_refdata *rd, const char *scale);

/* 1 if scale is a known scale id and level id lies on it, else 0. */
int skl_refdata_level_on_scale(const skl_refdata *rd, const char *id, const char *scale);

/* 1 if edition ("2015", "2022") is an edition of the occupation classification in rd. */
int skl_refdata_edition_known(const skl_refdata *rd, const char *edition);

/* The name of occupation code ("D-DD-DD-DD") in edition, or NULL if rd does not list it.
 * Owned by rd. */
const char *skl_refdata_occupation(const skl_refdata *rd, const char *code, const char *edition);

/*
 * 1 if occupation code/edition has level id (its national standard defines that level, or
 * rd does not say which levels it has), 0 if not or if the occupation is unknown.
 */
int skl_refdata_occupation_has_level(const skl_refdata *rd, const char *code, const char *edition,
                                     const char *level);

/* The 2022 edition's tags of an occupation: a string of 'S' (digital) and 'L' (green),
 * "" when none, NULL if the occupation is unknown. Owned by rd. */
const char *skl_refdata_occupation_tags(const skl_refdata *rd, const char *code,
                                        const char *edition);

/*
 * The display name of id in one of the flat tables, or NULL if the table does not list it.
 * table is one of "training-types", "funding-modes", "delivery-modes", "evaluation-types",
 * "honours", "competition-tiers". Owned by rd.
 */
const char *skl_refdata_name(const skl_refdata *rd, const char *table, const char *id);

/* Whether a field is required, optional or forbidden for an evaluation type. */
typedef enum skl_presence {
    SKL_PRESENCE_OPTIONAL = 0,
    SKL_PRESENCE_REQUIRED = 1,
    SKL_PRESENCE_FORBIDDEN = 2
} skl_presence;

/* The rule of one evaluation type (evaluation-types.json). Every pointer is owned by rd. */
typedef struct skl_refdata_evaltype {
    const char *id;
    const char *name;
    skl_presence occupation;
    skl_presence level;
    skl_presence certificate_number;
    const char *scale;         /* the level scale, or NULL when levels are forbidden */
    const char *const *levels; /* the level ids allowed */
    size_t nlevels;
    int evaluator_y, evaluator_s; /* 1 if that evaluator may use this type */
} skl_refdata_evaltype;

/* The rule of evaluation type id, or NULL if unknown. */
const skl_refdata_evaltype *skl_refdata_evaluation_type(const skl_refdata *rd, const char *id);

/*
 * One prerequisite of an honour (honours.json): kind is "certification" (then min_level is
 * the lowest level id that qualifies) or "honour" (then title is the honour id required).
 * Members that do not apply are NULL. Owned by rd.
 */
typedef struct skl_refdata_prereq {
    const char *kind;
    const char *min_level;
    const char *title;
} skl_refdata_prereq;

/*
 * Looks up honour id. On SKL_OK, *name (if not NULL) is its display name, *tier (if not
 * NULL) "district", "city" or "national", and *pre, *npre its prerequisites (*npre is 0 when
 * it has none). Returns SKL_ERR_NOTFOUND for an unknown id.
 */
skl_err skl_refdata_honour(const skl_refdata *rd, const char *id, const char **name,
                           const char **tier, const skl_refdata_prereq **pre, size_t *npre);

/*
 * Checks a national certificate number (NUL-terminated): the 22-character 职业技能等级证书
 * form ^[YS][0-9]{21}$ whose 16th character is the level 1-5, or the legacy 16-digit
 * 职业资格证书 form. When level (a level id) is not NULL, a 22-character number must carry
 * the same digit (L1..L5; other levels cannot have such a number) and a legacy number needs
 * a level L1..L5. When evaluator ("Y" or "S") is not NULL it must equal the leading letter.
 * Returns SKL_OK, or SKL_ERR_SCHEMA with why[0..whylen) saying what is wrong.
 */
__attribute__((warn_unused_result)) skl_err skl_certno_check(const char *number, const char *level,
                                                             const char *evaluator, char *why,
                                                             size_t whylen);

#ifdef __cplusplus
}
#endif
#endif
