/*
 * tdb.c — SQL for tests that reach into a database (tdb.h).
 */
#include "tests/lib/tdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/db.h"

static void
tdb_broken(sqlite3 *h, const char *sql, const char *msg)
{
	fprintf(stderr, "test SQL failed: %.300s: %s\n", sql,
	    msg != NULL ? msg : sqlite3_errmsg(h));
	exit(1);
}

static int64_t
tdb_first_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	int rc;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		tdb_broken(h, sql, NULL);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		tdb_broken(h, sql, NULL);
	sqlite3_finalize(st);
	return v;
}

void
tdb_exec(struct hr_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK)
		tdb_broken(db->sql, sql, msg);
}

int64_t
tdb_int(struct hr_db *db, const char *sql)
{
	return tdb_first_int(db->sql, sql);
}

int64_t
tdb_answer_file(struct hr_db *db)
{
	tdb_exec(db, "INSERT INTO dat_files (direction, system, number, "
	    "spszn_id, name, created_at, stored_at, user_id, crc32, "
	    "record_count, data) SELECT 'answer', 'asopd', 1 + (SELECT "
	    "count(*) FROM dat_files), min(id), 'answer.DAT', 1790000000, "
	    "1790000000, (SELECT min(id) FROM users), '00000000', 1, x'00' "
	    "FROM territories WHERE kind = 'spszn'");
	return tdb_int(db, "SELECT max(id) FROM dat_files");
}

int64_t
tdb_path_int(const char *path, const char *sql)
{
	sqlite3 *h = NULL;
	int64_t v;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		tdb_broken(h, path, NULL);
	v = tdb_first_int(h, sql);
	sqlite3_close(h);
	return v;
}

void
tdb_temp_path(char *path, size_t cap, const char *name)
{
	int n = snprintf(path, cap, "/tmp/%s.XXXXXX", name), fd;

	if (n < 0 || (size_t)n >= cap)
		tdb_broken(NULL, name, "temporary path too long");
	if ((fd = mkstemp(path)) < 0)
		tdb_broken(NULL, path, strerror(errno));
	close(fd);
	unlink(path);
}

void
tdb_remove(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char name[1024];

	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffix[i]);
		(void)unlink(name);
	}
}

/* A count at each level, as the triggers keep it (008, 026, 031, 033,
 * 034, 035, 037). */
#define LEVELS(sel, tail) \
	sel "'front_office', front_office_id" tail " UNION ALL " \
	sel "'hromada', hromada_id" tail " UNION ALL " \
	sel "'spszn', spszn_id" tail " UNION ALL " \
	sel "'oblast', oblast_id" tail " UNION ALL " sel "'all', 0" tail
/* The running clocks by due day, amber day and status at one level (035: a front
 * office, a hromada, a back office: its statuses only). */
#define CLOCK_DUE(level, cond) "SELECT " level ", stage_due, " \
	"coalesce(stage_warn, 2147483647), status, count(*) FROM " \
	"applications WHERE stage_due IS NOT NULL" cond " GROUP BY 2, 3, 4, 5"
/* The applications by creation day (the local day number, as 022's)
 * and status at one level (037: a front office, a hromada, a back
 * office: its statuses only). */
#define CREATED_DAY(level, cond) "SELECT " level ", CAST(round(julianday(" \
	"created_at, 'unixepoch', 'localtime', 'start of day') - " \
	"julianday('1899-12-31')) AS INTEGER), status, count(*) FROM " \
	"applications WHERE 1" cond " GROUP BY 2, 3, 4"
/* Rows of one query not in the other, both ways. */
#define BOTH_WAYS(a, b) "(SELECT count(*) FROM (SELECT * FROM (SELECT * " \
	"FROM (" a ") EXCEPT SELECT * FROM (" b ")) UNION ALL SELECT * FROM " \
	"(SELECT * FROM (" b ") EXCEPT SELECT * FROM (" a "))))"

const char tdb_counts_differ_sql[] = "SELECT " BOTH_WAYS(LEVELS("SELECT ",
    ", service_code, package_full, status, count(*) FROM applications "
    "GROUP BY 2, 3, 4, 5"), "SELECT scope, territory_id, service, "
    "package_full, status, n FROM status_counts WHERE n > 0") " + "
    BOTH_WAYS(LEVELS("SELECT ", ", count(*) FROM applications WHERE status "
    "= 'answered' AND notified_at IS NULL GROUP BY 2"), "SELECT scope, "
    "territory_id, n FROM untold_counts WHERE n > 0") " + "
    BOTH_WAYS(LEVELS("SELECT ", ", service_code, package_full, decision, "
    "count(*) FROM (SELECT a.front_office_id, a.hromada_id, a.spszn_id, "
    "a.oblast_id, a.service_code, a.package_full, d.decision FROM "
    "decisions d JOIN applications a ON a.id = d.application_id) GROUP BY "
    "2, 3, 4, 5"), "SELECT scope, territory_id, service, package_full, "
    "decision, n FROM decision_counts WHERE n > 0") " + "
    "(SELECT count(*) FROM decisions d JOIN applications a ON a.id = "
    "d.application_id WHERE d.hromada_id IS NOT a.hromada_id OR "
    "d.spszn_id IS NOT a.spszn_id OR d.oblast_id IS NOT a.oblast_id) + "
    BOTH_WAYS(LEVELS("SELECT ", ", status, count(*) FROM applications WHERE "
    "(status <> 'answered') = (stage_due IS NULL) GROUP BY 2, 3"), "SELECT "
    "scope, territory_id, status, n FROM clock_odd_counts WHERE n > 0") " + "
    BOTH_WAYS(CLOCK_DUE("'front_office', front_office_id", "") " UNION ALL "
    CLOCK_DUE("'hromada', hromada_id", "") " UNION ALL "
    CLOCK_DUE("'spszn', spszn_id", " AND status IN ('at_spszn', "
    "'returned_otg', 'checked', 'exported', 'answered')"), "SELECT scope, "
    "territory_id, due, warn, status, n FROM clock_due_counts WHERE n > 0") " + "
    BOTH_WAYS(CREATED_DAY("'front_office', front_office_id", "") " UNION ALL "
    CREATED_DAY("'hromada', hromada_id", "") " UNION ALL "
    CREATED_DAY("'spszn', spszn_id", " AND status IN ('at_spszn', "
    "'returned_otg', 'checked', 'exported', 'answered')"), "SELECT scope, "
    "territory_id, day, status, n FROM created_day_counts WHERE n > 0");

const char tdb_deadlines_differ_sql[] = "SELECT " BOTH_WAYS("SELECT "
    "office_id, stage, count(*) FROM application_clocks WHERE stopped_at IS "
    "NULL GROUP BY 1, 2", "SELECT office_id, stage, running FROM "
    "deadline_running WHERE running != 0") " + " BOTH_WAYS("SELECT "
    "office_id, stage, CAST(strftime('%Y%m', stopped_at, 'unixepoch', "
    "'localtime') AS INTEGER), count(*), sum(coalesce(late_days, 0) = 0), "
    "sum(coalesce(late_days, 0) > 0), sum(coalesce(late_days, 0)) FROM "
    "application_clocks WHERE stopped_at IS NOT NULL GROUP BY 1, 2, 3",
    "SELECT office_id, stage, month, closed, on_time, late, late_days FROM "
    "deadline_facts WHERE closed != 0");
