/*
 * test_workdays.c — counting working days (db/workdays.h).
 *
 * Edge cases by hand on the real calendar of December 2026 (07.12.2026 is
 * a Monday): weekends, a holiday on a Friday, a transferred Saturday, a
 * stage begun on a holiday or a weekend, a clock a day and many days late;
 * then every pair of days of three years against a day-by-day count over
 * a calendar with random holidays and transferred days.  Last, "today":
 * HROMADA_TODAY is read only by a build with the test hooks
 * (configure --enable-test-hooks); any other ignores it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/deadlines.h"
#include "db/workdays.h"
#include "proto/ident.h"

static int32_t
D(int d, int m, int y)
{
	struct hr_date x = { y, m, d };

	return hr_date_to_days(&x);
}

static void
test_weekday(void **state)
{
	(void)state;
	assert_int_equal(hr_weekday(1), 0);                 /* 01.01.1900 Mon */
	assert_int_equal(hr_weekday(D(7, 12, 2026)), 0);    /* Monday */
	assert_int_equal(hr_weekday(D(12, 12, 2026)), 5);   /* Saturday */
	assert_int_equal(hr_weekday(D(1, 1, 2027)), 4);     /* Friday */
	assert_int_equal(hr_weekday(0), 6);                 /* 31.12.1899 Sun */
	assert_int_equal(hr_weekday(-6), 0);
}

static void
test_weekends(void **state)
{
	int32_t fri = D(11, 12, 2026), sat = fri + 1, sun = fri + 2,
	    mon = fri + 3;

	(void)state;
	assert_true(hr_workday_is(NULL, fri));
	assert_false(hr_workday_is(NULL, sat));
	assert_false(hr_workday_is(NULL, sun));
	assert_int_equal(hr_workday_add(NULL, fri, 1), mon);
	assert_int_equal(hr_workday_add(NULL, sat, 1), mon);   /* begun on a */
	assert_int_equal(hr_workday_add(NULL, sun, 1), mon);   /* weekend    */
	assert_int_equal(hr_workday_add(NULL, D(9, 12, 2026), 3), mon); /* Wed */
	assert_int_equal(hr_workday_add(NULL, D(7, 12, 2026), 5),
	    D(14, 12, 2026));
	assert_int_equal(hr_workday_add(NULL, fri, 10), D(25, 12, 2026));
	assert_int_equal(hr_workday_add(NULL, fri, 0), fri);
	assert_int_equal(hr_workdays_between(NULL, fri, mon), 1);
	assert_int_equal(hr_workdays_between(NULL, sat, sun), 0);
	assert_int_equal(hr_workdays_between(NULL, mon, fri), -1);
	assert_int_equal(hr_workdays_between(NULL, D(7, 12, 2026),
	    D(7, 12, 2027)), 261);
}

/* December 2026 with Christmas on Friday 25th and Saturday 26th worked
 * instead of Thursday 31st. */
static void
december(struct hr_workcal *c)
{
	assert_int_equal(hr_workcal_add(c, D(25, 12, 2026), 0), 0);
	assert_int_equal(hr_workcal_add(c, D(26, 12, 2026), 1), 0);
	assert_int_equal(hr_workcal_add(c, D(31, 12, 2026), 0), 0);
	assert_int_equal(hr_workcal_add(c, D(1, 1, 2027), 0), 0);
	/* entries that change nothing are not kept */
	assert_int_equal(hr_workcal_add(c, D(27, 12, 2026), 0), 0);  /* Sun */
	assert_int_equal(hr_workcal_add(c, D(28, 12, 2026), 1), 0);  /* Mon */
	assert_int_equal(hr_workcal_add(c, D(25, 12, 2026), 0), 0);  /* twice */
	assert_int_equal(c->noff, 3);
	assert_int_equal(c->non, 1);
}

static void
test_holidays(void **state)
{
	struct hr_workcal c = { 0 };

	(void)state;
	december(&c);
	assert_false(hr_workday_is(&c, D(25, 12, 2026)));
	assert_true(hr_workday_is(&c, D(26, 12, 2026)));
	/* Thursday 24th + 1: Friday is a holiday, Saturday is worked */
	assert_int_equal(hr_workday_add(&c, D(24, 12, 2026), 1),
	    D(26, 12, 2026));
	/* begun on the holiday itself: the first day is the Saturday */
	assert_int_equal(hr_workday_add(&c, D(25, 12, 2026), 1),
	    D(26, 12, 2026));
	assert_int_equal(hr_workday_add(&c, D(25, 12, 2026), 2),
	    D(28, 12, 2026));
	/* begun on the transferred Saturday: it does not count itself */
	assert_int_equal(hr_workday_add(&c, D(26, 12, 2026), 1),
	    D(28, 12, 2026));
	/* 28, 29, 30 worked; 31 and 1 off; 4 January */
	assert_int_equal(hr_workday_add(&c, D(26, 12, 2026), 4),
	    D(4, 1, 2027));
	assert_int_equal(hr_workdays_between(&c, D(21, 12, 2026),
	    D(4, 1, 2027)), 8);
	assert_int_equal(hr_workdays_between(NULL, D(21, 12, 2026),
	    D(4, 1, 2027)), 10);
	hr_workcal_free(&c);
}

static void
test_clock(void **state)
{
	struct hr_workcal c = { 0 };
	struct hr_clock k;

	(void)state;
	december(&c);
	/* ten days from Monday 14th: 15-18, 21-24 are eight, the 25th is
	 * off, the 26th worked, the 28th the tenth */
	hr_clock_start(&c, D(14, 12, 2026), 10, &k);
	assert_int_equal(k.due, D(28, 12, 2026));
	/* a quarter (2 of 10) left from the 8th day: Thursday 24th */
	assert_int_equal(k.warn, D(24, 12, 2026));
	assert_int_equal(hr_clock_state(D(23, 12, 2026), k.due, k.warn),
	    HR_CLOCK_GREEN);
	assert_int_equal(hr_clock_left(&c, D(23, 12, 2026), k.due), 3);
	assert_int_equal(hr_clock_state(D(24, 12, 2026), k.due, k.warn),
	    HR_CLOCK_AMBER);
	assert_int_equal(hr_clock_left(&c, D(24, 12, 2026), k.due), 2);
	assert_int_equal(hr_clock_left(&c, D(25, 12, 2026), k.due), 2);
	assert_int_equal(hr_clock_left(&c, D(28, 12, 2026), k.due), 0);
	assert_int_equal(hr_clock_state(D(28, 12, 2026), k.due, k.warn),
	    HR_CLOCK_AMBER);
	assert_int_equal(hr_clock_state(D(29, 12, 2026), k.due, k.warn),
	    HR_CLOCK_RED);
	assert_int_equal(hr_clock_left(&c, D(29, 12, 2026), k.due), -1);
	/* 29 and 30 worked, 31 and 1 off, the 2nd a Saturday */
	assert_int_equal(hr_clock_left(&c, D(2, 1, 2027), k.due), -2);
	assert_int_equal(hr_clock_left(&c, D(4, 1, 2027), k.due), -3);
	/* a clock stopped then: on time up to its due date, then late by
	 * as many working days */
	assert_int_equal(hr_clock_late(&c, D(24, 12, 2026), k.due), 0);
	assert_int_equal(hr_clock_late(&c, D(28, 12, 2026), k.due), 0);
	assert_int_equal(hr_clock_late(&c, D(29, 12, 2026), k.due), 1);
	assert_int_equal(hr_clock_late(&c, D(4, 1, 2027), k.due), 3);
	/* one day: amber on its only day, green before */
	hr_clock_start(&c, D(24, 12, 2026), 1, &k);
	assert_int_equal(k.due, D(26, 12, 2026));
	assert_int_equal(k.warn, k.due);
	assert_int_equal(hr_clock_state(D(24, 12, 2026), k.due, k.warn),
	    HR_CLOCK_GREEN);
	/* the Sunday after a Saturday due date: a day late already */
	assert_int_equal(hr_clock_state(D(27, 12, 2026), k.due, k.warn),
	    HR_CLOCK_RED);
	assert_int_equal(hr_clock_left(&c, D(27, 12, 2026), k.due), -1);
	/* four days: one left (a quarter) on the third */
	hr_clock_start(NULL, D(7, 12, 2026), 4, &k);
	assert_int_equal(k.due, D(11, 12, 2026));
	assert_int_equal(k.warn, D(10, 12, 2026));
	hr_workcal_free(&c);
}

/* The same questions answered day by day. */
static int
slow_is(const int8_t *kind, int32_t base, int32_t d)
{
	int k = kind[d - base];

	return k ? k > 0 : hr_weekday(d) < 5;
}

static void
test_against_counting(void **state)
{
	enum { SPAN = 3 * 366 };
	struct hr_workcal c = { 0 };
	int32_t base = D(1, 1, 2026);
	int8_t kind[SPAN + 60] = { 0 };   /* 1 worked, -1 off, 0 as the week */

	(void)state;
	srand(17);
	for (int i = 0; i < 60; i++) {
		int32_t d = base + rand() % SPAN;
		int working = hr_weekday(d) >= 5;

		kind[d - base] = working ? 1 : -1;
		assert_int_equal(hr_workcal_add(&c, d, working), 0);
	}
	for (int32_t a = base; a < base + SPAN; a += 3) {
		int32_t n = 0;

		assert_int_equal(hr_workday_is(&c, a), slow_is(kind, base, a));
		for (int32_t b = a + 1; b < base + SPAN; b++) {
			n += slow_is(kind, base, b);
			assert_int_equal(hr_workdays_between(&c, a, b), n);
			assert_int_equal(hr_workdays_between(&c, b, a), -n);
			if (slow_is(kind, base, b) && n >= 1 && n <= 40)
				assert_int_equal(hr_workday_add(&c, a, n), b);
		}
	}
	hr_workcal_free(&c);
}

/* db_today: the variable only in a test build (hromadad(8)). */
static void
test_today_hook(void **state)
{
	struct hr_date d = { 2001, 2, 3 };

	(void)state;
	assert_int_equal(setenv("HROMADA_TODAY", "2001-02-03", 1), 0);
#ifdef HAVE_TEST_HOOKS
	assert_string_equal(db_today_fixed(), "2001-02-03");
	assert_int_equal(db_today(), hr_date_to_days(&d));
	assert_int_equal(setenv("HROMADA_TODAY", "2001-02-30", 1), 0);
	assert_null(db_today_fixed());         /* not a date: ignored */
#else
	assert_null(db_today_fixed());
	assert_int_not_equal(db_today(), hr_date_to_days(&d));
#endif
	assert_int_equal(unsetenv("HROMADA_TODAY"), 0);
	assert_null(db_today_fixed());
	assert_int_equal(db_today(), db_day_of(db_now()));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_weekends),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_against_counting),
		cmocka_unit_test(test_today_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
