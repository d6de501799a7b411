/*
 * report.c — counts per hromada and status.
 *
 * The hromadas in scope come from the territory tree (a recursive walk down
 * from the scope territory), and the counts from status_counts, kept per
 * hromada, service and status by triggers (008_status_counts,
 * 031_service_counts): a few rows per hromada whatever the number of
 * applications, summed per status.
 */
#include "db/report.h"
#include "db/db_priv.h"

#include "proto/roles.h"

#define REPORT_SQL \
	"WITH RECURSIVE " DB_SUBTREE("1") \
	"SELECT h.id, h.name, c.status, coalesce(sum(c.n), 0) " \
	"FROM territories h LEFT JOIN status_counts c ON c.scope = 'hromada' " \
	"AND c.territory_id = h.id AND c.n > 0 " \
	"WHERE h.kind = 'hromada' AND h.id IN (SELECT id FROM subtree) " \
	"GROUP BY h.id, c.status ORDER BY h.name, h.id, c.status"

/* The country root when no scope is given. */
#define REPORT_ROOT_SQL "SELECT id FROM territories WHERE parent_id IS NULL"

static int
report_root(struct hr_db *db, int64_t *root, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, REPORT_ROOT_SQL, err);
	int           rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*root = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.no_root",
		    "the territory tree has no root (run hromadactl init)");
	return db_fail(db, err, "report root");
}

int
db_report_by_hromada(struct hr_db *db, int64_t scope_territory,
    db_report_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st;
	int           rc, status;

	if (scope_territory == 0 && report_root(db, &scope_territory, err) < 0)
		return -1;
	if ((st = db_prepare(db, REPORT_SQL, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, scope_territory);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 2);

		status = s == NULL ? -1 : hr_status_from_name(s);
		if (fn(ud, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1), status,
		    sqlite3_column_int64(st, 3)) < 0) {
			sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "report by hromada");
	return 0;
}
