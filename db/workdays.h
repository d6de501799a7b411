/*
 * workdays.h — counting working days over the calendar an administrator
 * keeps (DOMAIN.md "Deadlines").
 *
 * A day is a day number of hr_date_to_days (days since 31.12.1899, so
 * 01.01.1900 = 1, a Monday).  Monday to Friday work, Saturday and Sunday
 * do not, unless the calendar says otherwise: a holiday makes a weekday a
 * day off, a transferred working day makes a Saturday or Sunday a working
 * day.  An entry that changes nothing (a holiday on a Sunday) is ignored
 * here; db/calendar.c refuses to store one.
 *
 * A stage's clock (struct hr_clock) runs from the day the stage began —
 * that day never counts, as a term in law begins the next day — to its
 * due date, the `days`-th working day after it.  A stage begun on a
 * holiday or a weekend therefore has its first day on the next working
 * day.  Counting is arithmetic on weeks plus a binary search of the
 * calendar's entries: no loop over the days between two dates.
 */
#ifndef HR_DB_WORKDAYS_H
#define HR_DB_WORKDAYS_H

#include <stddef.h>
#include <stdint.h>

struct hr_workcal {
	int32_t *off;      /* weekdays that are holidays, ascending */
	size_t   noff;
	int32_t *on;       /* weekend days that are working days, ascending */
	size_t   non;
};

/* Add an entry (the arrays are kept sorted; a duplicate is dropped).
 * `working`: 1 a transferred working day, 0 a holiday.  -1 out of memory. */
int  hr_workcal_add(struct hr_workcal *c, int32_t day, int working);
void hr_workcal_free(struct hr_workcal *c);

/* 0 Monday .. 6 Sunday. */
int  hr_weekday(int32_t day);

/* Is `day` a working day?  1 or 0. */
int  hr_workday_is(const struct hr_workcal *c, int32_t day);

/* How many working days lie in (a, b]: after a, up to and including b;
 * negative (the count in (b, a]) when b < a. */
int32_t hr_workdays_between(const struct hr_workcal *c, int32_t a, int32_t b);

/* The n-th working day after `day` (n >= 1); `day` itself for n <= 0. */
int32_t hr_workday_add(const struct hr_workcal *c, int32_t day, int n);

/* ---- a stage's clock ---- */

struct hr_clock {
	int32_t start;     /* the day the stage began (not counted) */
	int     days;      /* the stage's deadline in working days */
	int32_t due;       /* the last working day within the deadline */
	int32_t warn;      /* from this day on, at most a quarter is left */
};

enum hr_clock_state {
	HR_CLOCK_GREEN,    /* more than a quarter of the days left */
	HR_CLOCK_AMBER,    /* a quarter or less left (due today included) */
	HR_CLOCK_RED,      /* past the due date */
};

/* Start a clock of `days` (>= 1) working days on `start`. */
void hr_clock_start(const struct hr_workcal *c, int32_t start, int days,
    struct hr_clock *out);

/*
 * Working days left on `today`: 0 on the due date, and for a clock past
 * its due date minus the working days since then, at least 1 (a Saturday
 * after a Friday due date is one day late already).
 */
int32_t hr_clock_left(const struct hr_workcal *c, int32_t today,
    int32_t due);

/* The working days a clock stopped on `day` was late by: 0 on time (on or
 * before its due date), else -hr_clock_left (at least 1). */
int32_t hr_clock_late(const struct hr_workcal *c, int32_t day, int32_t due);

/* The colour of a clock on `today`, from its stored dates alone. */
enum hr_clock_state hr_clock_state(int32_t today, int32_t due, int32_t warn);

#endif
