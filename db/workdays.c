/*
 * workdays.c — working days: weeks by arithmetic, the calendar's entries
 * by binary search (workdays.h).
 */
#include "db/workdays.h"

#include <stdlib.h>
#include <string.h>

/* Floor division: day numbers before 1900 are negative. */
static int32_t
fdiv(int32_t a, int32_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int
hr_weekday(int32_t day)
{
	/* day 1 (01.01.1900) was a Monday */
	return (int)(day - 1 - 7 * fdiv(day - 1, 7));
}

/* Monday-to-Friday days in [1, d] (negative counts below 1 by the same
 * rule, so that differences are right on either side). */
static int64_t
weekdays_upto(int32_t d)
{
	int32_t q = fdiv(d, 7), r = d - 7 * q;

	return (int64_t)q * 5 + (r > 5 ? 5 : r);
}

/* How many entries of a sorted array are <= x. */
static size_t
upto(const int32_t *v, size_t n, int32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (v[m] <= x)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* Entries of a sorted array in (a, b], a <= b. */
static size_t
count_in(const int32_t *v, size_t n, int32_t a, int32_t b)
{
	return upto(v, n, b) - upto(v, n, a);
}

static int
is_weekend(int32_t day)
{
	return hr_weekday(day) >= 5;
}

int
hr_workcal_add(struct hr_workcal *c, int32_t day, int working)
{
	int32_t **v = working ? &c->on : &c->off;
	size_t *n = working ? &c->non : &c->noff, i;
	int32_t *p;

	/* Only entries that change something count. */
	if (working != is_weekend(day))
		return 0;
	for (i = *n; i > 0 && (*v)[i - 1] >= day; i--)
		if ((*v)[i - 1] == day)
			return 0;
	if ((p = realloc(*v, (*n + 1) * sizeof *p)) == NULL)
		return -1;
	memmove(p + i + 1, p + i, (*n - i) * sizeof *p);
	p[i] = day;
	*v = p;
	(*n)++;
	return 0;
}

void
hr_workcal_free(struct hr_workcal *c)
{
	free(c->off);
	free(c->on);
	memset(c, 0, sizeof *c);
}

int
hr_workday_is(const struct hr_workcal *c, int32_t day)
{
	if (is_weekend(day))
		return c != NULL && count_in(c->on, c->non, day - 1, day) > 0;
	return c == NULL || count_in(c->off, c->noff, day - 1, day) == 0;
}

int32_t
hr_workdays_between(const struct hr_workcal *c, int32_t a, int32_t b)
{
	int64_t n;

	if (b < a)
		return -hr_workdays_between(c, b, a);
	n = weekdays_upto(b) - weekdays_upto(a);
	if (c != NULL)
		n += (int64_t)count_in(c->on, c->non, a, b) -
		    (int64_t)count_in(c->off, c->noff, a, b);
	return (int32_t)n;
}

int32_t
hr_workday_add(const struct hr_workcal *c, int32_t day, int n)
{
	int32_t d;

	if (n <= 0)
		return day;
	/*
	 * Without the calendar the n-th weekday is at most n + 2 * (n / 5 +
	 * 1) days away; each holiday in the way adds a day and each
	 * transferred day removes one.  Start from the weekday estimate and
	 * step to the exact day: the steps are the calendar's entries met.
	 */
	d = day + 7 * (n / 5) + n % 5;
	while (hr_workdays_between(c, day, d) < n)
		d++;
	while (d > day && hr_workdays_between(c, day, d - 1) >= n)
		d--;
	return d;
}

void
hr_clock_start(const struct hr_workcal *c, int32_t start, int days,
    struct hr_clock *out)
{
	if (days < 1)
		days = 1;
	out->start = start;
	out->days = days;
	out->due = hr_workday_add(c, start, days);
	/* amber when left * 4 <= days, i.e. from the working day that
	 * leaves days / 4 of them */
	out->warn = hr_workday_add(c, start, days - days / 4);
}

int32_t
hr_clock_left(const struct hr_workcal *c, int32_t today, int32_t due)
{
	int32_t late;

	if (today <= due)
		return hr_workdays_between(c, today, due);
	late = hr_workdays_between(c, due, today);
	return late < 1 ? -1 : -late;
}

int32_t
hr_clock_late(const struct hr_workcal *c, int32_t day, int32_t due)
{
	return day > due ? -hr_clock_left(c, day, due) : 0;
}

enum hr_clock_state
hr_clock_state(int32_t today, int32_t due, int32_t warn)
{
	if (today > due)
		return HR_CLOCK_RED;
	return today >= warn ? HR_CLOCK_AMBER : HR_CLOCK_GREEN;
}
