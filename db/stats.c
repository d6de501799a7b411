/*
 * stats.c — the counts behind `hromadactl stats` (see stats.h).
 *
 * One query per group, each returning (key, count) rows; a table rather
 * than code, so a new count is a new row.
 */
#include "db/stats.h"
#include "db/db_priv.h"

static const struct {
	const char *group;
	const char *sql;     /* SELECT key (may be NULL), count */
} stat_queries[] = {
	{ "users", "SELECT role, count(*) FROM users GROUP BY role "
	    "ORDER BY role" },
	{ "users disabled", "SELECT NULL, count(*) FROM users WHERE disabled" },
	{ "territories", "SELECT kind, count(*) FROM territories GROUP BY kind "
	    "ORDER BY kind" },
	{ "terminals", "SELECT CASE WHEN revoked_at IS NULL THEN 'active' "
	    "ELSE 'revoked' END AS k, count(*) FROM terminals GROUP BY k "
	    "ORDER BY k" },
	{ "persons", "SELECT NULL, count(*) FROM persons" },
	{ "applications", "SELECT status, count(*) FROM applications "
	    "GROUP BY status ORDER BY status" },
	{ "audit records", "SELECT NULL, count(*) FROM audit_log" },
	{ "services", "SELECT NULL, count(*) FROM services" },
};

int
db_stats(struct hr_db *db, db_stat_fn *fn, void *ud, struct hr_error *err)
{
	for (size_t i = 0; i < sizeof stat_queries / sizeof stat_queries[0];
	    i++) {
		sqlite3_stmt *st = db_prepare(db, stat_queries[i].sql, err);
		int rc;

		if (st == NULL)
			return -1;
		while ((rc = db_step_row(db, st, stat_queries[i].group,
		    err)) == 1) {
			if (fn(ud, stat_queries[i].group,
			    (const char *)sqlite3_column_text(st, 0),
			    sqlite3_column_int64(st, 1)) != 0) {
				(void)sqlite3_reset(st);
				return 0;
			}
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
