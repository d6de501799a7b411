/*
 * deadline_report.c — deadline compliance per stage and office
 * (deadline_report.h).
 *
 * One statement over the offices of the subtree: for each, its rows of
 * the summaries of migration 027 — the clocks stopped in the period's
 * months (deadline_facts), those running (deadline_running) — and the
 * late ones of these, one range of the (office_id, stopped_at, late_days,
 * stage, due_day) index of migration 023 per office and stage; summed by
 * office and stage; the per-stage totals are summed here from the
 * groups.  The
 * offices are an IN list, not a join: joined, SQLite may build a Bloom
 * filter over the whole clock index first (every clock read, 10 ms at
 * 100,000 applications for a hromada of a few hundred clocks).
 */
#include "db/deadline_report.h"
#include "db/db_priv.h"
#include "proto/workflow.h"

#include <stdlib.h>
#include <string.h>

static void
row_add(struct db_deadline_row *to, const struct db_deadline_row *r)
{
	to->closed += r->closed;
	to->on_time += r->on_time;
	to->late += r->late;
	to->late_days += r->late_days;
	to->running += r->running;
	to->running_late += r->running_late;
}

/* The worse first: late (stopped or running), then by id. */
static int
row_cmp(const void *a, const void *b)
{
	const struct db_deadline_row *x = a, *y = b;
	int64_t lx = x->late + x->running_late, ly = y->late + y->running_late;

	if (lx != ly)
		return lx > ly ? -1 : 1;
	if (x->office_id != y->office_id)
		return x->office_id < y->office_id ? -1 : 1;
	return x->stage - y->stage;
}

/* The report's territory: its id (the root for 0) and name. */
static int
report_territory(struct hr_db *db, int64_t id, struct db_deadline_report *out,
    struct hr_error *err)
{
	static const char what[] = "read the report's territory";
	sqlite3_stmt *st = db_prepare(db, "SELECT id, name FROM territories "
	    "WHERE (?1 = 0 AND parent_id IS NULL) OR id = ?1 ORDER BY id "
	    "LIMIT 1", err);
	int rc;

	if (st == NULL || db_bindf(db, st, what, err, "i", id) < 0 ||
	    (rc = db_step_row(db, st, what, err)) < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "territory not found");
	out->territory_id = sqlite3_column_int64(st, 0);
	out->name = strdup((const char *)sqlite3_column_text(st, 1));
	(void)sqlite3_reset(st);
	if (out->name == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	return 0;
}

static int
deadline_report(struct hr_db *db, int64_t id, int from, int to,
    int32_t today, size_t max, struct db_deadline_report *out,
    struct hr_error *err)
{
	static const char what[] = "deadline report";
	sqlite3_stmt *st = db_prepare(db, "WITH RECURSIVE " DB_SUBTREE("1")
	    ", offices(id) AS (SELECT id FROM subtree WHERE kind IN "
	    "('cnap', 'starosta', 'hromada', 'spszn')), "
	    "clocks(office_id, stage, closed, on_time, late, late_days, "
	    "running, running_late) AS ("
	    "SELECT f.office_id, f.stage, sum(f.closed), sum(f.on_time), "
	    "sum(f.late), sum(f.late_days), 0, 0 FROM deadline_facts f "
	    "WHERE f.office_id IN offices AND f.month BETWEEN ?2 AND ?3 "
	    "GROUP BY f.office_id, f.stage "
	    "UNION ALL "
	    "SELECT r.office_id, r.stage, 0, 0, 0, 0, r.running, "
	    "(SELECT count(*) FROM application_clocks c "
	    "INDEXED BY application_clocks_office WHERE "
	    "c.office_id = r.office_id AND c.stopped_at IS NULL AND "
	    "c.late_days IS NULL AND c.stage = r.stage AND c.due_day < ?4) "
	    "FROM deadline_running r WHERE r.office_id IN offices AND "
	    "r.running > 0) "
	    "SELECT k.stage, k.office_id, t.name, sum(k.closed), "
	    "sum(k.on_time), sum(k.late), sum(k.late_days), sum(k.running), "
	    "sum(k.running_late) FROM clocks k JOIN territories t ON "
	    "t.id = k.office_id GROUP BY k.office_id, k.stage "
	    "HAVING sum(k.closed) > 0 OR sum(k.running) > 0", err);
	struct db_deadline_row *v = NULL, *p;
	size_t n = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	for (int s = 0; s < 3; s++)
		out->stages[s].stage = s;
	if (st == NULL || report_territory(db, id, out, err) < 0 ||
	    db_bindf(db, st, what, err, "iddd", id, from, to, (int)today) < 0) {
		db_deadline_report_free(out);
		return -1;
	}
	while ((rc = db_step_row(db, st, what, err)) == 1) {
		struct db_deadline_row r;

		memset(&r, 0, sizeof r);
		r.stage = hr_stage_from_name((const char *)
		    sqlite3_column_text(st, 0));
		if (r.stage < 0 || r.stage > 2)
			continue;
		r.office_id = sqlite3_column_int64(st, 1);
		r.closed = sqlite3_column_int64(st, 3);
		r.on_time = sqlite3_column_int64(st, 4);
		r.late = sqlite3_column_int64(st, 5);
		r.late_days = sqlite3_column_int64(st, 6);
		r.running = sqlite3_column_int64(st, 7);
		r.running_late = sqlite3_column_int64(st, 8);
		row_add(&out->stages[r.stage], &r);
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if ((p = realloc(v, cap * sizeof *v)) == NULL) {
				(void)sqlite3_reset(st);
				rc = hr_error_set(err, HR_E_INTERNAL,
				    "out of memory");
				break;
			}
			v = p;
		}
		if ((r.name = strdup((const char *)sqlite3_column_text(st,
		    2))) == NULL) {
			(void)sqlite3_reset(st);
			rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
			break;
		}
		v[n++] = r;
	}
	if (rc < 0) {
		out->offices = v;
		out->noffices = n;
		db_deadline_report_free(out);
		return -1;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, row_cmp);
	out->offices_total = (int64_t)n;
	while (n > max)
		free(v[--n].name);
	out->offices = v;
	out->noffices = n;
	return 0;
}

int
db_deadline_report(struct hr_db *db, int64_t id, int from, int to,
    int32_t today, struct db_deadline_report *out, struct hr_error *err)
{
	return deadline_report(db, id, from, to, today,
	    DB_DEADLINE_OFFICES_MAX, out, err);
}

int
db_deadline_report_all(struct hr_db *db, int64_t id, int from, int to,
    int32_t today, struct db_deadline_report *out, struct hr_error *err)
{
	return deadline_report(db, id, from, to, today, SIZE_MAX, out, err);
}

void
db_deadline_report_free(struct db_deadline_report *r)
{
	for (size_t i = 0; i < r->noffices; i++)
		free(r->offices[i].name);
	free(r->offices);
	free(r->name);
	memset(r, 0, sizeof *r);
}
