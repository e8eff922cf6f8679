/* utc.c - UTC timestamps: formatting, strict parsing, XML Schema dateTimeStamp checks. */
#include "utc_int.h"

static int
digits(const char *s, int k, int *v)
{
    int x = 0;
    for (int i = 0; i < k; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

static int
days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void
put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

void
skl_utc_format(char out[21], int64_t t)
{
    int64_t days = t / 86400, rem = t % 86400;
    int y, m, d;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    put2(out, y / 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, (int)(rem / 3600));
    out[13] = ':';
    put2(out + 14, (int)(rem / 60 % 60));
    out[16] = ':';
    put2(out + 17, (int)(rem % 60));
    out[19] = 'Z';
    out[20] = '\0';
}

/* The fields of "YYYY-MM-DDThh:mm:ss" at s (19 bytes), checked as a real date. */
static int
parse_fields(const char *s, int *Y, int *M, int *D, int *h, int *m, int *sec)
{
    if (!digits(s, 4, Y) || s[4] != '-' || !digits(s + 5, 2, M) || s[7] != '-' ||
        !digits(s + 8, 2, D) || s[10] != 'T' || !digits(s + 11, 2, h) || s[13] != ':' ||
        !digits(s + 14, 2, m) || s[16] != ':' || !digits(s + 17, 2, sec))
        return 0;
    return *M >= 1 && *M <= 12 && *D >= 1 && *D <= days_in_month(*Y, *M) && *h <= 23 && *m <= 59 &&
           *sec <= 59;
}

int
skl_utc_parse(int64_t *t, const char *s, size_t n)
{
    int Y, M, D, h, m, sec;
    if (n != 20 || s[19] != 'Z' || !parse_fields(s, &Y, &M, &D, &h, &m, &sec))
        return -1;
    *t = days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec;
    return 0;
}

int
skl_utc_is_datetime_stamp(const char *s, size_t n)
{
    int Y, M, D, h, m, sec, th, tm;
    if (n < 20 || !parse_fields(s, &Y, &M, &D, &h, &m, &sec))
        return 0;
    size_t i = 19;
    if (s[i] == '.') {
        size_t j = i + 1;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == i + 1)
            return 0;
        i = j;
    }
    if (i == n)
        return 0;
    if (s[i] == 'Z')
        return i + 1 == n;
    if ((s[i] != '+' && s[i] != '-') || n - i != 6 || !digits(s + i + 1, 2, &th) ||
        s[i + 3] != ':' || !digits(s + i + 4, 2, &tm))
        return 0;
    return th < 14 ? tm <= 59 : th == 14 && tm == 0;
}
