/*
 * calendar.c — the working-day calendar's rows (calendar.h).
 */
#include "db/calendar.h"
#include "db/csv.h"
#include "db/db_priv.h"
#include "proto/ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
db_day_format(int32_t day, char *out, size_t cap)
{
	struct hr_date d;

	if (hr_date_from_days(day, &d) < 0 || hr_date_format(&d, out, cap) < 0)
		snprintf(out, cap, "?");
}

static const char *
kind_name(int working)
{
	return working ? "workday" : "holiday";
}

int
db_calendar_each(struct hr_db *db, int32_t from, int32_t to,
    db_calendar_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT day, kind, note FROM "
	    "calendar_days WHERE (?1 = 0 AND ?2 = 0) OR day BETWEEN ?1 AND ?2 "
	    "ORDER BY day", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read the calendar", err, "dd",
	    (int)from, (int)to) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read the calendar", err)) == 1) {
		struct db_calendar_entry e;

		e.day = (int32_t)sqlite3_column_int(st, 0);
		e.working = strcmp((const char *)sqlite3_column_text(st, 1),
		    "workday") == 0;
		e.note = (const char *)sqlite3_column_text(st, 2);
		if (fn(ud, &e) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading the "
			    "calendar stopped");
		}
	}
	return rc;
}

static int
load_one(void *ud, const struct db_calendar_entry *e)
{
	return hr_workcal_add(ud, e->day, e->working);
}

int
db_calendar_load(struct hr_db *db, struct hr_workcal *cal,
    struct hr_error *err)
{
	memset(cal, 0, sizeof *cal);
	if (db_calendar_each(db, 0, 0, load_one, cal, err) < 0) {
		hr_workcal_free(cal);
		return -1;
	}
	return 0;
}

/* The stored entry of `day`: 1 (into *working, note[cap]), 0 none. */
static int
entry_of(struct hr_db *db, int32_t day, int *working, char *note, size_t cap,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT kind, note FROM calendar_days "
	    "WHERE day = ?", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read the calendar", err, "d",
	    (int)day) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read the calendar", err)) == 1) {
		*working = strcmp((const char *)sqlite3_column_text(st, 0),
		    "workday") == 0;
		snprintf(note, cap, "%s", (const char *)sqlite3_column_text(st,
		    1));
		(void)sqlite3_reset(st);
	}
	return rc;
}

/* An entry that would change nothing, or that meets another. */
static int
entry_check(struct hr_db *db, const struct db_calendar_entry *e,
    struct hr_error *err)
{
	char date[HR_DATE_STR_MAX], note[256];
	int weekend = hr_weekday(e->day) >= 5, working, rc;

	db_day_format(e->day, date, sizeof date);
	if (e->working && !weekend)
		return hr_errorf(err, HR_E_INVALID, "calendar.no_change",
		    "{date} is a weekday, a working day already: a transferred "
		    "working day falls on a Saturday or Sunday",
		    HR_STR("date", date));
	if (!e->working && weekend)
		return hr_errorf(err, HR_E_INVALID, "calendar.no_change",
		    "{date} is a Saturday or Sunday, a day off already: a "
		    "holiday that moves the day off to a weekday is added on "
		    "that weekday", HR_STR("date", date));
	if ((rc = entry_of(db, e->day, &working, note, sizeof note, err)) < 0)
		return -1;
	if (rc == 1 && working)
		return hr_errorf(err, HR_E_CONFLICT, "calendar.overlap",
		    "{date} is in the calendar already, as a transferred "
		    "working day ({note}); remove it first", HR_STR("date",
		    date), HR_STR("note", note[0] ? note : "-"));
	if (rc == 1)
		return hr_errorf(err, HR_E_CONFLICT, "calendar.overlap",
		    "{date} is in the calendar already, as a holiday ({note}); "
		    "remove it first", HR_STR("date", date), HR_STR("note",
		    note[0] ? note : "-"));
	return 0;
}

static int
entry_insert(struct hr_db *db, const struct db_calendar_entry *e,
    struct hr_error *err)
{
	return db_run(db, "INSERT INTO calendar_days (day, kind, note) VALUES "
	    "(?, ?, ?)", "add to the calendar", err, "dtt", (int)e->day,
	    kind_name(e->working), e->note ? e->note : "");
}

struct recalc {
	int64_t id;
	int32_t due, warn;
};

/*
 * The calendar changed on days [from, to]: recompute the due dates of the
 * running clocks whose span [start, due] meets that range (db/deadlines.h
 * keeps them on the application and in its running application_clocks
 * row).  *moved (may be NULL) gets how many changed.
 */
static int
clocks_recalc(struct hr_db *db, const struct hr_workcal *cal,
    int32_t from, int32_t to, int *moved, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, stage_start, stage_days, "
	    "stage_due, stage_warn FROM applications WHERE stage_due >= ? AND "
	    "stage_start <= ?", err);
	struct recalc *v = NULL, *p;
	size_t n = 0, cap = 0;
	int rc;

	if (moved != NULL)
		*moved = 0;
	if (st == NULL || db_bindf(db, st, "find running clocks", err, "dd",
	    (int)from, (int)to) < 0)
		return -1;
	/* Read first, write after: the rows read are the rows written. */
	while ((rc = db_step_row(db, st, "find running clocks", err)) == 1) {
		struct hr_clock k;

		hr_clock_start(cal, (int32_t)sqlite3_column_int(st, 1),
		    sqlite3_column_int(st, 2), &k);
		if (k.due == sqlite3_column_int(st, 3) &&
		    k.warn == sqlite3_column_int(st, 4))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((p = realloc(v, cap * sizeof *v)) == NULL) {
				(void)sqlite3_reset(st);
				free(v);
				return hr_error_set(err, HR_E_INTERNAL,
				    "out of memory");
			}
			v = p;
		}
		v[n].id = sqlite3_column_int64(st, 0);
		v[n].due = k.due;
		v[n++].warn = k.warn;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (db_run(db, "UPDATE applications SET stage_due = ?, "
		    "stage_warn = ? WHERE id = ?", "move a due date", err, "ddi",
		    (int)v[i].due, (int)v[i].warn, v[i].id) < 0 ||
		    db_run(db, "UPDATE application_clocks SET due_day = ? WHERE "
		    "application_id = ? AND stopped_at IS NULL", "move a due "
		    "date", err, "di", (int)v[i].due, v[i].id) < 0)
			rc = -1;
	free(v);
	if (rc == 0 && moved != NULL)
		*moved = (int)n;
	return rc;
}

/* The clocks the change on [from, to] falls within. */
static int
recalc(struct hr_db *db, int32_t from, int32_t to, int *moved,
    struct hr_error *err)
{
	struct hr_workcal cal;
	int rc;

	if (db_calendar_load(db, &cal, err) < 0)
		return -1;
	rc = clocks_recalc(db, &cal, from, to, moved, err);
	hr_workcal_free(&cal);
	return rc;
}

int
db_calendar_add(struct hr_db *db, const struct db_calendar_entry *e,
    int *moved, struct hr_error *err)
{
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = entry_check(db, e, err);
	if (rc == 0)
		rc = entry_insert(db, e, err);
	if (rc == 0)
		rc = recalc(db, e->day, e->day, moved, err);
	return db_tx_leave(db, own, rc, err);
}

int
db_calendar_remove(struct hr_db *db, int32_t day, int *moved,
    struct hr_error *err)
{
	char date[HR_DATE_STR_MAX];
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = db_run(db, "DELETE FROM calendar_days WHERE day = ?",
	    "remove from the calendar", err, "d", (int)day);
	if (rc == 0 && sqlite3_changes(db->sql) == 0) {
		db_day_format(day, date, sizeof date);
		rc = hr_errorf(err, HR_E_NOT_FOUND, "calendar.not_found",
		    "{date} is not in the calendar", HR_STR("date", date));
	}
	if (rc == 0)
		rc = recalc(db, day, day, moved, err);
	return db_tx_leave(db, own, rc, err);
}

/* ---- import ---- */

struct import_state {
	int     touched;          /* lo..hi hold the days changed */
	int32_t lo, hi;
	int     added, same;
};

static void
import_touch(struct import_state *is, int32_t lo, int32_t hi)
{
	if (!is->touched || lo < is->lo)
		is->lo = lo;
	if (!is->touched || hi > is->hi)
		is->hi = hi;
	is->touched = 1;
}

static int
import_line_error(struct db_csv *rf, struct hr_error *err)
{
	return hr_error_prefix(err, "{file}:{line}", HR_STR("file", rf->path),
	    HR_INT("line", rf->lineno));
}

/* The line of the file that named `day` before the current one (0). */
static int
import_seen(struct hr_db *db, int32_t day, int *line, struct hr_error *err)
{
	int64_t v = 0;

	if (db_int(db, "SELECT line FROM temp.calendar_import WHERE day = ?",
	    "check the file", &v, err, "d", (int)day) < 0)
		return -1;
	*line = (int)v;
	return 0;
}

static int
import_row(struct hr_db *db, struct db_csv *rf, struct import_state *is,
    struct hr_error *err)
{
	struct db_calendar_entry e;
	struct hr_date d;
	char note[256];
	int working, rc, line;

	if (rf->nfields < 2)
		return hr_errorf(err, HR_E_INVALID, "csv.field_count",
		    "{count} fields, expected {expected}", HR_INT("count",
		    rf->nfields), HR_INT("expected", 3)),
		    import_line_error(rf, err);
	if (hr_date_parse(rf->field[0], strlen(rf->field[0]), NULL, &d,
	    err) < 0)
		return import_line_error(rf, err);
	if (strcmp(rf->field[1], "holiday") != 0 &&
	    strcmp(rf->field[1], "workday") != 0)
		return hr_errorf(err, HR_E_INVALID, "calendar.kind", "kind "
		    "\"{value}\" is not holiday or workday", HR_STR("value",
		    rf->field[1])), import_line_error(rf, err);
	e.day = hr_date_to_days(&d);
	e.working = strcmp(rf->field[1], "workday") == 0;
	e.note = rf->nfields > 2 ? rf->field[2] : "";
	if (import_seen(db, e.day, &line, err) < 0)
		return -1;
	if (line > 0) {
		char date[HR_DATE_STR_MAX];

		db_day_format(e.day, date, sizeof date);
		return hr_errorf(err, HR_E_CONFLICT, "calendar.twice",
		    "{date} is on line {other} too", HR_STR("date", date),
		    HR_INT("other", line)), import_line_error(rf, err);
	}
	if (db_run(db, "INSERT INTO temp.calendar_import VALUES (?, ?)",
	    "check the file", err, "dd", (int)e.day, rf->lineno) < 0)
		return -1;
	/* the same entry again: nothing to do */
	if ((rc = entry_of(db, e.day, &working, note, sizeof note, err)) < 0)
		return -1;
	if (rc == 1 && working == e.working && strcmp(note, e.note) == 0) {
		is->same++;
		return 0;
	}
	if (entry_check(db, &e, err) < 0 || entry_insert(db, &e, err) < 0)
		return import_line_error(rf, err);
	is->added++;
	import_touch(is, e.day, e.day);
	return 0;
}

/* With `replace`, the calendar emptied first: its days change too. */
static int
import_empty(struct hr_db *db, struct import_state *is, struct hr_error *err)
{
	int64_t lo = 0, hi = 0;

	if (db_int(db, "SELECT min(day) FROM calendar_days", "read the "
	    "calendar", &lo, err, "") < 0 || db_int(db, "SELECT max(day) FROM "
	    "calendar_days", "read the calendar", &hi, err, "") < 0 ||
	    db_run(db, "DELETE FROM calendar_days", "empty the calendar", err,
	    "") < 0)
		return -1;
	if (hi > 0)
		import_touch(is, (int32_t)lo, (int32_t)hi);
	return 0;
}

static int
import_file(struct hr_db *db, const char *path, int replace,
    struct import_state *is, struct hr_error *err)
{
	struct db_csv rf;
	int rc;

	if (db_run(db, "CREATE TEMP TABLE IF NOT EXISTS calendar_import (day "
	    "INTEGER PRIMARY KEY, line INTEGER NOT NULL)", "check the file",
	    err, "") < 0 || db_run(db, "DELETE FROM temp.calendar_import",
	    "check the file", err, "") < 0)
		return -1;
	if (replace && import_empty(db, is, err) < 0)
		return -1;
	if (db_csv_open(&rf, path, 3, err) < 0)
		return -1;
	rc = db_csv_read(&rf, err);          /* the header */
	if (rc == 0)
		rc = hr_errorf(err, HR_E_INVALID, "file.empty", "{file} is "
		    "empty", HR_STR("file", path));
	while (rc == 1 && (rc = db_csv_read(&rf, err)) == 1) {
		if (rf.line[0] == '\0')
			continue;
		if (db_csv_split(&rf, err) < 0 || import_row(db, &rf, is,
		    err) < 0)
			rc = -1;
	}
	db_csv_close(&rf);
	return rc < 0 ? -1 : 0;
}

int
db_calendar_import(struct hr_db *db, const char *path, int replace,
    int *added, int *same, int *moved, struct hr_error *err)
{
	struct import_state is = { 0, 0, 0, 0, 0 };
	int own, rc;

	if (moved != NULL)
		*moved = 0;
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = import_file(db, path, replace, &is, err);
	if (rc == 0 && is.touched)
		rc = recalc(db, is.lo, is.hi, moved, err);
	rc = db_tx_leave(db, own, rc, err);
	if (added != NULL)
		*added = is.added;
	if (same != NULL)
		*same = is.same;
	return rc;
}
