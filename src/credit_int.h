/*
 * credit_int.h - the parsed credit-bank rules, shared by credit_rules.c (the parser) and
 * credit_plan.c (the planner). Private to libskl. Every string points into the JSON
 * document the handle keeps.
 */
#ifndef SKL_CREDIT_INT_H
#define SKL_CREDIT_INT_H

#include <stdint.h>

#include "skl/credit.h"
#include "skl/json.h"
#include "skl/refdata.h"

#define CREDIT_MAX_VALUES 64 /* rows of each credit-value table */
#define CREDIT_MAX_ONLINE 16 /* ids in each online list */

typedef struct credit_value {
    const char *key;   /* level id, tier id or honour id */
    const char *award; /* competitions: the award, or NULL for any award of the tier */
    int halves;
} credit_value;

struct skl_credit_framework {
    skl_json_doc *doc;
    skl_refdata *rd;
    const char *id, *version;
    int64_t effective, expires; /* expires is INT64_MAX when the file has none */
    int class_hours;            /* class hours per credit */
    int cap_source_halves;      /* per source (certificate) */
    int converted_pct, online_pct;
    credit_value level[CREDIT_MAX_VALUES];
    size_t nlevel;
    int no_level_halves; /* certificates without a level; 0 when the file gives none */
    credit_value comp[CREDIT_MAX_VALUES];
    size_t ncomp;
    credit_value honour[CREDIT_MAX_VALUES];
    size_t nhonour;
    const char *online_delivery[CREDIT_MAX_ONLINE];
    size_t nonline_delivery;
    const char *online_type[CREDIT_MAX_ONLINE];
    size_t nonline_type;
};

typedef enum credit_kind {
    CREDIT_TRAINING,
    CREDIT_CERTIFICATION,
    CREDIT_COMPETITION,
    CREDIT_HONOUR
} credit_kind;

typedef struct credit_course {
    const char *id, *name;
    int halves;
} credit_course;

/* One row of the programme's table: which sources may back course. A list member that is
 * NULL does not restrict; a non-NULL one is a JSON array the source's value must be in. */
typedef struct credit_mapping {
    size_t course; /* index into courses */
    credit_kind kind;
    const skl_json_value *occupations; /* [{code, edition}] */
    const skl_json_value *evaluation_types, *training_types, *deliveries, *tiers, *awards;
    const skl_json_value *honours;
    const char *min_level_scale; /* NULL when no minLevel */
    int min_level_rank;
    int min_hours;
} credit_mapping;

struct skl_credit_programme {
    skl_json_doc *doc;
    const skl_credit_framework *fw;
    const char *id, *version, *name, *school;
    int64_t effective, expires;
    int graduation_halves;
    credit_course course[SKL_CREDIT_MAX_COURSES];
    size_t ncourse;
    credit_mapping *map;
    size_t nmap;
};

/* The kind named s, or -1. */
int skl_credit_kind(const char *s);

#endif
