/*
 * deadlines.c — starting, stopping and moving the clocks of cases
 * (deadlines.h).
 *
 * Alike on purpose: db_deadline_clocks is a walk over rows in the frame
 * every walk in db/ has (db_query, db_step_row until done, the callback a
 * row; db_priv.h), as db/notify.c's db_notice_open: the columns differ.
 */
#include "config.h"

#include "db/deadlines.h"
#include "db/calendar.h"
#include "db/db_priv.h"
#include "proto/ident.h"
#include "proto/workflow.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int32_t
db_day_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	struct hr_date d;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return hr_date_to_days(&d);
}

const char *
db_today_fixed(void)
{
#ifdef HAVE_TEST_HOOKS
	const char *fixed = getenv("HROMADA_TODAY");
	struct hr_date d;

	if (fixed != NULL && fixed[0] != '\0' && hr_date_parse(fixed,
	    strlen(fixed), NULL, &d, NULL) == 0)
		return fixed;
#endif
	return NULL;
}

int32_t
db_today(void)
{
	const char *fixed = db_today_fixed();
	struct hr_date d;

	if (fixed != NULL && hr_date_parse(fixed, strlen(fixed), NULL, &d,
	    NULL) == 0)
		return hr_date_to_days(&d);
	return db_day_of(db_now());
}

/* Stop the running clock of `id` on `day`, if one runs. */
static int
clock_stop(struct hr_db *db, int64_t id, int64_t at, int32_t day,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, due_day FROM "
	    "application_clocks WHERE application_id = ? AND stopped_at IS "
	    "NULL ORDER BY id DESC LIMIT 1", err);
	int64_t clock;
	int32_t due;
	int late = 0, rc;

	if (st == NULL || db_bindf(db, st, "read a running clock", err, "i",
	    id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a running clock", err)) <= 0)
		return rc;
	clock = sqlite3_column_int64(st, 0);
	due = (int32_t)sqlite3_column_int(st, 1);
	(void)sqlite3_reset(st);
	if (day > due) {
		struct hr_workcal cal = { 0 };

		if (db_calendar_load(db, &cal, err) < 0)
			return -1;
		late = hr_clock_late(&cal, day, due);
		hr_workcal_free(&cal);
	}
	return db_run(db, "UPDATE application_clocks SET stopped_at = ?, "
	    "stop_day = ?, late_days = ? WHERE id = ?", "stop a clock", err,
	    "iddi", at, (int)day, late, clock);
}

/* The deadline of `stage` for application `id`'s service, and who
 * answers for it: 1, or 0 when there is no such application. */
static int
clock_terms(struct hr_db *db, int64_t id, int stage, int *days,
    int64_t *office, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT CASE ?2 WHEN 0 THEN "
	    "s.days_front WHEN 1 THEN s.days_otg ELSE s.days_spszn END, "
	    "CASE ?2 WHEN 0 THEN a.front_office_id WHEN 1 THEN a.hromada_id "
	    "ELSE a.spszn_id END FROM applications a JOIN services s ON "
	    "s.code = a.service_code WHERE a.id = ?1", err);
	int rc;

	*days = 0;
	if (st == NULL || db_bindf(db, st, "read a stage's deadline", err,
	    "id", id, stage) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a stage's deadline", err)) <= 0)
		return rc;
	*days = sqlite3_column_int(st, 0);
	*office = sqlite3_column_int64(st, 1);
	(void)sqlite3_reset(st);
	return 1;
}

/* s's clock of `days` working days from s->at's day on. */
static int
clock_plan(struct hr_db *db, struct db_deadline_start *s, int days,
    struct hr_error *err)
{
	struct hr_workcal cal = { 0 };

	if (db_calendar_load(db, &cal, err) < 0)
		return -1;
	hr_clock_start(&cal, db_day_of(s->at), days, &s->k);
	hr_workcal_free(&cal);
	return 0;
}

/* Does a move from `from` (-1: created) to `to` start a clock? */
static int
clock_starts(int from, int to)
{
	int fs = from < 0 ? HR_STAGE_NONE : hr_status_stage(from);
	int ts = hr_status_stage(to);

	return ts != HR_STAGE_NONE && (from < 0 || fs != ts) ? ts :
	    HR_STAGE_NONE;
}

int
db_deadline_plan(struct hr_db *db, int64_t id, int from, int to, int64_t at,
    struct db_deadline_start *s, struct hr_error *err)
{
	int days = 0, rc;

	memset(s, 0, sizeof *s);
	s->at = at;
	s->stage = clock_starts(from, to);
	if (s->stage == HR_STAGE_NONE)
		return 0;
	if ((rc = clock_terms(db, id, s->stage, &days, &s->office_id,
	    err)) < 0)
		return -1;
	if (rc == 0) {           /* no such application: the caller says */
		s->stage = HR_STAGE_NONE;
		return 0;
	}
	return clock_plan(db, s, days, err);
}

int
db_deadline_plan_new(struct hr_db *db, const char *service,
    const int64_t offices[3], int to, int64_t at,
    struct db_deadline_start *s, struct hr_error *err)
{
	sqlite3_stmt *st;
	int days, rc;

	memset(s, 0, sizeof *s);
	s->at = at;
	s->stage = clock_starts(-1, to);
	if (s->stage == HR_STAGE_NONE)
		return 0;
	s->office_id = offices[s->stage];
	rc = db_first(db, &st, "SELECT CASE ?2 WHEN 0 THEN days_front WHEN 1 "
	    "THEN days_otg ELSE days_spszn END FROM services WHERE code = ?1",
	    "read a stage's deadline", err, "td", service, s->stage);
	if (rc == 0)
		return hr_errorf(err, HR_E_INVALID, "service.unknown",
		    "unknown service \"{value}\"", HR_STR("value", service));
	if (rc < 0)
		return -1;
	days = sqlite3_column_int(st, 0);
	(void)sqlite3_reset(st);
	return clock_plan(db, s, days, err);
}

int
db_deadline_moved(struct hr_db *db, int64_t id, int from, int to,
    const struct db_deadline_start *s, struct hr_error *err)
{
	int fs = from < 0 ? HR_STAGE_NONE : hr_status_stage(from);

	assert(!sqlite3_get_autocommit(db->sql));   /* the caller's transaction */
	if (from >= 0 && fs == hr_status_stage(to))
		return 0;                 /* within a stage: the clock runs on */
	if (fs != HR_STAGE_NONE && clock_stop(db, id, s->at,
	    db_day_of(s->at), err) < 0)
		return -1;
	if (s->stage == HR_STAGE_NONE)
		return 0;   /* the row's copy: DB_DEADLINE_CLEAR, the caller's */
	return db_run(db, "INSERT INTO application_clocks (application_id, "
	    "stage, office_id, started_at, start_day, days, due_day) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", "start a clock", err, "itiiddd", id,
	    hr_stage_name(s->stage), s->office_id, s->at, (int)s->k.start,
	    s->k.days, (int)s->k.due);
}

int
db_deadline_clocks(struct hr_db *db, int64_t id, db_clock_fn *fn, void *ud,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "SELECT stage, office_id, "
	    "started_at, coalesce(stopped_at, 0), start_day, due_day, "
	    "coalesce(stop_day, 0), days, coalesce(late_days, 0) FROM "
	    "application_clocks WHERE application_id = ? ORDER BY id",
	    "read clocks", err, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read clocks", err)) == 1) {
		struct db_clock c;

		c.stage = hr_stage_from_name(db_text(st, 0));
		c.office_id = sqlite3_column_int64(st, 1);
		c.started_at = sqlite3_column_int64(st, 2);
		c.stopped_at = sqlite3_column_int64(st, 3);
		c.start_day = (int32_t)sqlite3_column_int(st, 4);
		c.due_day = (int32_t)sqlite3_column_int(st, 5);
		c.stop_day = (int32_t)sqlite3_column_int(st, 6);
		c.days = sqlite3_column_int(st, 7);
		c.late_days = sqlite3_column_int(st, 8);
		if (fn(ud, &c) != 0)
			return db_stopped(st, "clocks", err);
	}
	return rc;
}
