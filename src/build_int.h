/*
 * build_int.h - what the credential builder (build.c: the field table, the kind rules and the
 * JSON writing) shares with build_values.c (the form of each field's value). Private to
 * libskl. No state: safe to call from several threads at once.
 */
#ifndef SKL_BUILD_INT_H
#define SKL_BUILD_INT_H

#include <stddef.h>

typedef enum vtype {
    T_TEXT,      /* UTF-8 text, no control characters but tab and LF */
    T_LINE,      /* UTF-8 text on one line */
    T_TOKEN,     /* an id from reference data: ASCII [A-Za-z0-9._:+/-], 1..128 */
    T_KIND,      /* a kind the builder makes */
    T_UUID,      /* urn:uuid:, lower case */
    T_URN,       /* an absolute URI without blanks */
    T_DID,       /* did:key of an Ed25519 key */
    T_DATETIME,  /* YYYY-MM-DDThh:mm:ssZ, or a date meaning its midnight UTC */
    T_DATE,      /* YYYY-MM-DD (also YYYY/M/D, YYYY.M.D, YYYY-M-D: written YYYY-MM-DD) */
    T_HOURS,     /* integer 1..10000 */
    T_YEAR,      /* integer 1900..2999 */
    T_RANK,      /* integer 1..1000000 */
    T_OCC,       /* D-DD-DD-DD */
    T_EDITION,   /* 2015 | 2022 */
    T_USCC,      /* 18 characters of the 统一社会信用代码 alphabet */
    T_RESULT,    /* passed | failed | attended */
    T_EVALUATOR, /* Y | S */
    T_CERTNO,    /* [YS] + 21 digits, or 16 digits */
    T_IDHASH,    /* sha256$ + 64 lower-case hex */
    T_IDLIST     /* credential ids separated by ';' */
} vtype;

typedef struct fdef {
    const char *name;
    vtype type;
    unsigned kinds;    /* kinds that accept it */
    unsigned required; /* kinds that require it */
} fdef;

/* 1 if name is a kind the builder makes ("training", ...), else 0. In build.c. */
int skl_build_int_is_kind(const char *name);

/* 1 if s is a lower-case urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, else 0. */
int skl_build_int_is_uuid_urn(const char *s);

/* Checks value v of field f against f->type. Dates are rewritten in place as YYYY-MM-DD, and
 * dates given for a T_DATETIME as YYYY-MM-DDT00:00:00Z, so v needs 11 bytes of room past its
 * terminator. 0, or -1 with why filled. */
int skl_build_int_check_form(const fdef *f, char *v, char *why, size_t whylen);

#endif
