/*
 * deadline_report.c — deadline compliance per stage and office
 * (deadline_report.h).
 *
 * One statement: the offices of the subtree, each read on the
 * (office_id, stopped_at, ...) index of migration 023 — its running clocks
 * and those stopped in the period — grouped by stage and office; the
 * per-stage totals are summed here from the groups.
 */
#include "db/deadline_report.h"
#include "db/db_priv.h"
#include "proto/ident.h"
#include "proto/workflow.h"

#include <stdlib.h>
#include <string.h>

/* Local midnight of the first day of month YYYYMM (+ `add` months). */
static int64_t
month_start(int month, int add)
{
	int m = (month / 100) * 12 + (month % 100 - 1) + add;
	struct hr_date d = { m / 12, m % 12 + 1, 1 };

	return hr_date_local(&d, 0, 0, 0);
}

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
	    "SELECT c.stage, c.office_id, t.name, "
	    "sum(c.stopped_at IS NOT NULL), "
	    "sum(c.stopped_at IS NOT NULL AND c.late_days = 0), "
	    "sum(c.stopped_at IS NOT NULL AND c.late_days > 0), "
	    "total(CASE WHEN c.stopped_at IS NOT NULL THEN c.late_days END), "
	    "sum(c.stopped_at IS NULL), "
	    "sum(c.stopped_at IS NULL AND c.due_day < ?4) "
	    "FROM subtree s CROSS JOIN application_clocks c "
	    "INDEXED BY application_clocks_office ON c.office_id = s.id "
	    "JOIN territories t ON t.id = c.office_id "
	    "WHERE s.kind IN ('cnap', 'starosta', 'hromada', 'spszn') AND "
	    "(c.stopped_at IS NULL OR (c.stopped_at >= ?2 AND "
	    "c.stopped_at < ?3)) GROUP BY c.office_id, c.stage", err);
	struct db_deadline_row *v = NULL, *p;
	size_t n = 0, cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	for (int s = 0; s < 3; s++)
		out->stages[s].stage = s;
	if (st == NULL || report_territory(db, id, out, err) < 0 ||
	    db_bindf(db, st, what, err, "iiid", id, month_start(from, 0),
	    month_start(to, 1), (int)today) < 0) {
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
		r.late_days = (int64_t)sqlite3_column_double(st, 6);
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
