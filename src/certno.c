/*
 * certno.c - national certificate numbers (spec/kinds.md "National certificate numbers").
 *
 * 职业技能等级证书: 22 characters, ^[YS][0-9]{21}$: the evaluator letter (Y employer, S social
 * organisation), body code (2-5), province (6-7), site (8-13), year (14-15), level 1-5 (16),
 * serial (17-22), positions 1-based. 职业资格证书 (before 2020): 16 digits whose inner layout
 * varied by issuing period, so only the form is checked.
 */
#include "skl/refdata.h"
#include "why_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int
all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The certificate digit of level id L1..L5, or 0 for any other level. */
static int
level_digit(const char *level)
{
    if (level[0] == 'L' && level[1] >= '1' && level[1] <= '5' && level[2] == '\0')
        return level[1] - '0';
    return 0;
}

skl_err
skl_certno_check(const char *number, const char *level, const char *evaluator, char *why,
                 size_t whylen)
{
    if (number == NULL) {
        skl_why(why, whylen, "no certificate number");
        return SKL_ERR_SCHEMA;
    }
    size_t n = strnlen(number, 64);
    if (n == 16) {
        if (!all_digits(number, 16)) {
            skl_why(why, whylen, "a 16-character (legacy) certificate number is all digits");
            return SKL_ERR_SCHEMA;
        }
        if (level != NULL && level_digit(level) == 0) {
            skl_why(why, whylen, "a legacy certificate number goes with levels L5-L1, not %.16s",
                   level);
            return SKL_ERR_SCHEMA;
        }
        return SKL_OK;
    }
    if (n != 22) {
        skl_why(why, whylen, "a certificate number has 22 characters (or 16 digits), not %zu%s", n,
               n == 64 ? "+" : "");
        return SKL_ERR_SCHEMA;
    }
    if ((number[0] != 'Y' && number[0] != 'S') || !all_digits(number + 1, 21)) {
        skl_why(why, whylen, "a 22-character certificate number is Y or S and 21 digits");
        return SKL_ERR_SCHEMA;
    }
    int d = number[15] - '0';
    if (d < 1 || d > 5) {
        skl_why(why, whylen, "character 16 of the certificate number is the level 1-5, not %d", d);
        return SKL_ERR_SCHEMA;
    }
    if (level != NULL) {
        int want = level_digit(level);
        if (want == 0) {
            skl_why(why, whylen, "level %.16s cannot have a 22-character certificate number", level);
            return SKL_ERR_SCHEMA;
        }
        if (want != d) {
            skl_why(why, whylen, "the certificate number says level %d, the credential %.16s", d,
                   level);
            return SKL_ERR_SCHEMA;
        }
    }
    if (evaluator != NULL && (strlen(evaluator) != 1 || evaluator[0] != number[0])) {
        skl_why(why, whylen, "the certificate number starts %c, the evaluator is %.8s", number[0],
               evaluator);
        return SKL_ERR_SCHEMA;
    }
    return SKL_OK;
}
