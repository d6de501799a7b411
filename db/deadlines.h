/*
 * deadlines.h — every case's clock (DOMAIN.md "Deadlines", issue 17).
 *
 * A case is in one stage at a time (proto/workflow.h hr_status_stage):
 * front, otg or spszn, each with a deadline in working days set per
 * service (services.days_front, days_otg, days_spszn).  Entering a stage
 * starts its clock (an application_clocks row, and the running clock's
 * dates copied onto the application: stage_start, stage_days, stage_due,
 * stage_warn); leaving it stops the clock with the day it stopped and the
 * working days it was late by.  A move within a stage (at_spszn → checked
 * → exported) keeps the clock; a return stops the upper stage's clock and
 * starts the lower one's; sent up again, the upper stage starts afresh.
 * db/applications.c plans the clock (db_deadline_plan) and records it
 * (db_deadline_moved) in the transaction of every status change; a change
 * of the calendar moves the running clocks' due dates (db/calendar.c).
 *
 * Days are local calendar days as day numbers (workdays.h); the journal
 * compares stored dates with today's number, so filtering and ordering by
 * the clock needs no calendar arithmetic per case.
 */
#ifndef HR_DB_DEADLINES_H
#define HR_DB_DEADLINES_H

#include <stdint.h>

#include "db/db.h"
#include "db/workdays.h"

/* The local day of a time in seconds. */
int32_t db_day_of(int64_t t);

/*
 * Today's day number, what the clocks are read against: db_day_of(db_now()).
 * A build configured with --enable-test-hooks (HAVE_TEST_HOOKS) reads the
 * day in the environment variable HROMADA_TODAY (YYYY-MM-DD) instead when
 * it is set — the tests' fixed "today" (golden screens of the clocks); any
 * other build ignores the variable, as hromadad(8) says.
 */
int32_t db_today(void);

/* HROMADA_TODAY when this build reads it and it holds a valid date, else
 * NULL: what the server warns about at its start. */
const char *db_today_fixed(void);

/* Deadlines of a stage when a service has none of its own (022). */
#define DB_DAYS_FRONT_DEFAULT 1
#define DB_DAYS_OTG_DEFAULT   2
#define DB_DAYS_SPSZN_DEFAULT 10
#define DB_DAYS_MAX           365

/*
 * A clock about to start: what a status change (or a new application)
 * starts, planned BEFORE the application's row is written so that the
 * row's own INSERT or UPDATE carries its dates (DB_DEADLINE_SET, bound
 * from k: start, days, due, warn) -- one write of the row and of its
 * indexes, not a second UPDATE -- and recorded after it
 * (db_deadline_moved).
 */
struct db_deadline_start {
	int             stage;      /* enum hr_stage; HR_STAGE_NONE: none starts */
	int64_t         office_id;  /* who answers for it */
	int64_t         at;         /* the move's time, seconds */
	struct hr_clock k;
};

/* The SET terms of an UPDATE of applications that copy a starting clock
 * onto the row: bind s.k.start, s.k.days, s.k.due, s.k.warn in order. */
#define DB_DEADLINE_SET "stage_start = ?, stage_days = ?, stage_due = ?, " \
	"stage_warn = ?"

/*
 * What moving application `id`, as stored now, from status `from` to `to`
 * at `at` starts: s->stage HR_STAGE_NONE when no clock starts (a move
 * within a stage, or to answered) or when there is no such application
 * (the caller's UPDATE then finds no row and says so).
 */
int db_deadline_plan(struct hr_db *db, int64_t id, int from, int to,
    int64_t at, struct db_deadline_start *s, struct hr_error *err);

/* ... of a new application of `service` entering status `to`; offices[]
 * by enum hr_stage: its front office, hromada and УСЗН. */
int db_deadline_plan_new(struct hr_db *db, const char *service,
    const int64_t offices[3], int to, int64_t at,
    struct db_deadline_start *s, struct hr_error *err);

/*
 * After the row's write: application `id` moved from `from` (-1: just
 * created) to `to`; stop the clock of the stage it left and record the one
 * `s` starts (its dates are on the row already).  In the caller's
 * transaction.  Leaving every stage (answered), the caller's own UPDATE of
 * the status has emptied the row's copy of the clock (DB_DEADLINE_CLEAR),
 * so the row is written once; only the clock is stopped here.
 */
int db_deadline_moved(struct hr_db *db, int64_t id, int from, int to,
    const struct db_deadline_start *s, struct hr_error *err);

/* The SET terms of an UPDATE of applications that empty its copy of the
 * running clock: a case that has left every stage has none. */
#define DB_DEADLINE_CLEAR "stage_start = NULL, stage_days = NULL, " \
	"stage_due = NULL, stage_warn = NULL"

/* One stage a case has been in (application.get "clocks"). */
struct db_clock {
	int      stage;             /* enum hr_stage */
	int64_t  office_id;
	int64_t  started_at, stopped_at;      /* stopped_at 0 while running */
	int32_t  start_day, due_day, stop_day;
	int      days, late_days;   /* late_days at the stop; running: 0 */
};
typedef int db_clock_fn(void *ud, const struct db_clock *c);
int db_deadline_clocks(struct hr_db *db, int64_t id, db_clock_fn *fn,
    void *ud, struct hr_error *err);

#endif
