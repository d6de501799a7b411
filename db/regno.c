/*
 * regno.c — the per-(hromada, year) journal counter (see regno.h).
 */
#include "db/regno.h"
#include "db/db_priv.h"

#include <stdio.h>

int
db_regno_format(int n, int year, char out[DB_REGNO_MAX])
{
	int len = snprintf(out, DB_REGNO_MAX, "%05d/%04d", n, year);

	return len < 0 || len >= DB_REGNO_MAX ? -1 : 0;
}

static int
regno_take(struct hr_db *db, int64_t hromada_id, int year, int *n,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_run(db, "INSERT INTO journal_counters (hromada_id, year, last) "
	    "VALUES (?, ?, 1) ON CONFLICT (hromada_id, year) DO UPDATE SET "
	    "last = last + 1", "take a registration number", err, "id",
	    hromada_id, year) < 0)
		return -1;
	st = db_prepare(db, "SELECT last FROM journal_counters WHERE "
	    "hromada_id = ? AND year = ?", err);
	if (st == NULL || db_bindf(db, st, "read the journal counter", err,
	    "id", hromada_id, year) < 0)
		return -1;
	rc = db_step_row(db, st, "read the journal counter", err);
	if (rc != 1)
		return rc < 0 ? -1 : hr_error_set(err, HR_E_INTERNAL,
		    "journal counter vanished");
	*n = sqlite3_column_int(st, 0);
	(void)sqlite3_reset(st);
	return 0;
}

int
db_regno_next(struct hr_db *db, int64_t hromada_id, int year,
    char out[DB_REGNO_MAX], struct hr_error *err)
{
	int own, rc, n = 0;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = regno_take(db, hromada_id, year, &n, err);
	if (rc == 0 && db_regno_format(n, year, out) < 0)
		rc = hr_error_set(err, HR_E_INTERNAL, "registration number %d/%d "
		    "does not fit", n, year);
	return db_tx_leave(db, own, rc, err);
}
