/*
 * date.c — calendar dates: parsing what clerks type, the РНОКПП day count,
 * and the DD.MM.YYYY form Ukrainian documents use.
 *
 * Day numbers use Howard Hinnant's days_from_civil / civil_from_days, which
 * are exact for the proleptic Gregorian calendar with integer arithmetic
 * only, shifted so that 31.12.1899 is day 0 as in the РНОКПП.
 */
#include "proto/ident.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto/ident_priv.h"

/* days_from_civil(1899, 12, 31), i.e. 31.12.1899 counted from 01.01.1970. */
#define EPOCH_1899_12_31 (-25568)

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
hr_date_valid(int y, int m, int d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* Days from 01.01.1970 (Hinnant).  y, m, d valid, so no overflow. */
static int32_t
days_from_civil(int y, int m, int d)
{
	int32_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int32_t
hr_date_to_days(const struct hr_date *d)
{
	/* Out-of-range fields could overflow the arithmetic: refuse them. */
	if (!hr_date_valid(d->y, d->m, d->d))
		return INT32_MIN;
	return days_from_civil(d->y, d->m, d->d) - EPOCH_1899_12_31;
}

int
hr_date_from_days(int32_t days, struct hr_date *out)
{
	/* 01.01.0001 and 31.12.9999 as day numbers; outside, no struct. */
	const int32_t lo = -693594, hi = 2958464;
	int32_t z, era, doe, yoe, doy, mp;

	if (days < lo || days > hi)
		return -1;
	z = days + EPOCH_1899_12_31 + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out->d = doy - (153 * mp + 2) / 5 + 1;
	out->m = mp < 10 ? mp + 3 : mp - 9;
	out->y = yoe + era * 400 + (out->m <= 2);
	return 0;
}

int
hr_date_cmp(const struct hr_date *a, const struct hr_date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

int
hr_date_format(const struct hr_date *d, char *out, size_t cap)
{
	if (cap < HR_DATE_STR_MAX || !hr_date_valid(d->y, d->m, d->d))
		return -1;
	snprintf(out, cap, "%02d.%02d.%04d", d->d, d->m, d->y);
	return 0;
}

/*
 * Read a run of 1..max digits at s[*i..len) into *v; the run must be at least
 * min long and must end at a non-digit (so "123.4.2000" is not a day 12).
 */
static int
take_number(const char *s, size_t len, size_t *i, size_t min, size_t max,
    int *v)
{
	size_t start = *i;

	while (*i < len && hr_isdigit((unsigned char)s[*i]) && *i - start < max)
		(*i)++;
	if (*i - start < min || (*i < len && hr_isdigit((unsigned char)s[*i])))
		return -1;
	*v = hr_digits_value(s + start, *i - start);
	return 0;
}

static int
take_char(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

/*
 * The written forms we accept, as data: three numbers with their digit
 * counts, in the order they are written, and the separator between them.
 */
enum { DAY, MONTH, YEAR };

static const struct date_form {
	char sep;
	struct { int which; size_t min, max; } part[3];
} date_forms[] = {
	{ '.', { { DAY, 1, 2 }, { MONTH, 1, 2 }, { YEAR, 4, 4 } } },  /* D.M.YYYY */
	{ '-', { { YEAR, 4, 4 }, { MONTH, 2, 2 }, { DAY, 2, 2 } } },  /* ISO 8601 */
};

/* All of s in the given form; fields as [DAY, MONTH, YEAR]. */
static int
parse_form(const char *s, size_t len, const struct date_form *f, int v[3])
{
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		if (k > 0 && take_char(s, len, &i, f->sep) != 0)
			return -1;
		if (take_number(s, len, &i, f->part[k].min, f->part[k].max,
		    &v[f->part[k].which]) != 0)
			return -1;
	}
	return i == len ? 0 : -1;
}

int
hr_date_parse(const char *s, size_t len, const char *field,
    struct hr_date *out, struct hr_error *err)
{
	int v[3];
	size_t k;

	if (field == NULL)
		field = HR_MSGID("date");
	hr_trim_ascii(&s, &len);
	if (len == 0)
		return hr_errorf(err, HR_E_INVALID, "date.empty", "{label} is empty",
		    HR_STR("label", field));
	for (k = 0; k < sizeof date_forms / sizeof date_forms[0]; k++)
		if (parse_form(s, len, &date_forms[k], v) == 0)
			break;
	if (k == sizeof date_forms / sizeof date_forms[0])
		return hr_errorf(err, HR_E_INVALID, "date.form",
		    "write it as DD.MM.YYYY"),
		    hr_error_prefix(err, "{label}", HR_STR("label", field));
	if (!hr_date_valid(v[YEAR], v[MONTH], v[DAY]))
		return hr_errorf(err, HR_E_INVALID, "date.no_such_day",
		    "there is no such day in the calendar"),
		    hr_error_prefix(err, "{label}", HR_STR("label", field));
	out->y = v[YEAR];
	out->m = v[MONTH];
	out->d = v[DAY];
	return 0;
}

int64_t
hr_date_local(const struct hr_date *d, int days, int hour, int min)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = d->y - 1900;
	tm.tm_mon = d->m - 1;
	tm.tm_mday = d->d + days;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}
