/*
 * tdb.c — SQL for tests that reach into a database (tdb.h).
 */
#include "tests/lib/tdb.h"

#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "db/db.h"

static void
tdb_broken(struct hr_db *db, const char *sql, const char *msg)
{
	fprintf(stderr, "test SQL failed: %.300s: %s\n", sql,
	    msg != NULL ? msg : sqlite3_errmsg(db->sql));
	exit(1);
}

void
tdb_exec(struct hr_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK)
		tdb_broken(db, sql, msg);
}

int64_t
tdb_int(struct hr_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	int rc;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		tdb_broken(db, sql, NULL);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		tdb_broken(db, sql, NULL);
	sqlite3_finalize(st);
	return v;
}
