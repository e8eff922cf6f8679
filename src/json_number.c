/*
 * json_number.c - the double nearest a JSON number's decimal digits, for the parser:
 * exact by Clinger's fast path when the digits allow it, else strtod on a radix-free string.
 */
#include "json_doc_int.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

#define TWO53 9007199254740992ULL

int
skl_json_decimal_to_double(const unsigned char *ip, size_t ilen, const unsigned char *fp,
                           size_t flen, int64_t e, double *out)
{
    /* Count the significant digits of ip ++ fp without copying. */
    size_t total = ilen + flen, lead = 0, trail = 0;
#define DIG(i) ((i) < ilen ? ip[(i)] : fp[(i)-ilen])
    while (lead < total && DIG(lead) == '0')
        lead++;
    if (lead == total) {
        *out = 0.0;
        return 0;
    }
    while (DIG(total - 1 - trail) == '0')
        trail++;
    size_t nd = total - lead - trail;
    e += (int64_t)trail;
    /* e now scales the integer formed by the nd significant digits. */
    if ((int64_t)nd + e > 310) {
        *out = HUGE_VAL;
        return 0;
    }
    if ((int64_t)nd + e < -330) {
        *out = 0.0;
        return 0;
    }
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
    if (nd <= 16) {
        uint64_t m = 0;
        for (size_t i = lead; i < lead + nd; i++)
            m = m * 10 + (uint64_t)(DIG(i) - '0');
        if (m <= TWO53) {
            if (e >= -22 && e <= 22) {
                *out = e >= 0 ? (double)m * pow10_exact[e] : (double)m / pow10_exact[-e];
                return 0;
            }
            if (e > 22 && e <= 22 + 16) {
                uint64_t mm = m;
                int64_t k;
                for (k = e; k > 22 && mm <= TWO53; k--)
                    mm *= 10;
                if (k == 22 && mm <= TWO53) {
                    *out = (double)mm * 1e22;
                    return 0;
                }
            }
        }
    }
#endif
    char local[64], *buf = local;
    size_t need = nd + 32;
    if (need > sizeof local) {
        buf = malloc(need);
        if (buf == NULL)
            return -1;
    }
    for (size_t i = 0; i < nd; i++)
        buf[i] = (char)DIG(lead + i);
#undef DIG
    snprintf(buf + nd, 32, "e%lld", (long long)e);
    int saved = errno;
    *out = strtod(buf, NULL);
    errno = saved;
    if (buf != local)
        free(buf);
    return 0;
}
