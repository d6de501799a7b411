/*
 * taudit.c — counting and finding audit records, waiting for a read's
 * (see taudit.h).
 */
#include "tests/lib/taudit.h"

#include <stdio.h>
#include <unistd.h>

#include "tests/lib/testsrv.h"

#define POLL_US 5000

static sqlite3_stmt *
prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "taudit: %s: %s\n", sql, sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

int64_t
taudit_count(sqlite3 *db, const char *action, const char *object)
{
	sqlite3_stmt *st = prepare(db, "SELECT count(*) FROM audit_log "
	    "WHERE action = ?1 AND (?2 IS NULL OR object = ?2)");
	int64_t n = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	if (object != NULL)
		sqlite3_bind_text(st, 2, object, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "taudit: counting %s: %s\n", action,
		    sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return n;
}

int64_t
taudit_count_reaches(sqlite3 *db, const char *action, const char *object,
    int64_t want)
{
	int64_t n, deadline = testsrv_now_ms() + TAUDIT_WAIT_MS;

	while ((n = taudit_count(db, action, object)) >= 0 && n < want &&
	    testsrv_now_ms() < deadline)
		usleep(POLL_US);
	return n;
}

int64_t
taudit_last_id(sqlite3 *db)
{
	sqlite3_stmt *st = prepare(db, "SELECT coalesce(max(id), 0) "
	    "FROM audit_log");
	int64_t id = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* One look: 1 and the detail when such a record is there. */
static int
next_detail(sqlite3 *db, int64_t after, const char *action, char *out,
    size_t cap)
{
	sqlite3_stmt *st = prepare(db, "SELECT coalesce(detail, '') FROM "
	    "audit_log WHERE id > ?1 AND action = ?2 ORDER BY id LIMIT 1");
	int found = 0;

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

int
taudit_next_detail(sqlite3 *db, int64_t after, const char *action,
    char *out, size_t cap)
{
	int64_t deadline = testsrv_now_ms() + TAUDIT_WAIT_MS;

	if (cap > 0)
		out[0] = '\0';
	for (;;) {
		if (next_detail(db, after, action, out, cap))
			return 1;
		if (testsrv_now_ms() >= deadline)
			return 0;
		usleep(POLL_US);
	}
}
