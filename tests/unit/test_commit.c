/*
 * test_commit.c — group commit (srvd/commit.c) against a real database:
 * a request rolled back alone inside the shared transaction, replies held
 * until COMMIT and released in order, nothing visible to another reader
 * before the commit, an early commit at batch_max, the ev_prepare watcher
 * doing the commit, and a failing COMMIT turning every held reply into an
 * HR_E_INTERNAL failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "db/db.h"
#include "srvd/commit.h"

struct delivery {
	uint64_t conn_id;
	uint32_t msgid;
	char     data[16];
	int      failed_code;     /* 0: delivered as success */
};

struct fixture {
	char            path[64];
	struct hr_db   *db;
	struct srv_commit gc;
	struct delivery got[16];
	size_t          ngot;
};

static void
deliver(void *ud, uint64_t conn_id, uint32_t msgid, const uint8_t *data,
    size_t len, const struct hr_error *failed)
{
	struct fixture  *f = ud;
	struct delivery *d;

	assert_true(f->ngot < 16);
	d = &f->got[f->ngot++];
	d->conn_id = conn_id;
	d->msgid = msgid;
	snprintf(d->data, sizeof d->data, "%.*s", (int)len, (const char *)data);
	d->failed_code = failed ? failed->code : 0;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct hr_error err;
	int fd;

	assert_non_null(f);
	snprintf(f->path, sizeof f->path, "/tmp/test_commit.XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->path);
	if (db_open(&f->db, f->path, HR_DB_CREATE, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	if (db_exec(f->db,
	    "CREATE TABLE t (x INTEGER);"
	    "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
	    "CREATE TABLE child (pid INTEGER REFERENCES parent(id) "
	    "  DEFERRABLE INITIALLY DEFERRED);", "test tables", &err) < 0)
		fail_msg("%s", err.msg);
	commit_init(&f->gc, f->db, 100, deliver, f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char wal[80];

	commit_free(&f->gc);
	db_close(f->db);
	unlink(f->path);
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	unlink(wal);
	snprintf(wal, sizeof wal, "%s-shm", f->path);
	unlink(wal);
	free(f);
	return 0;
}

/* One write request: run `sql` in its savepoint, keep or roll back, hold. */
static void
request(struct fixture *f, uint64_t conn, uint32_t msgid, const char *sql,
    int ok, const char *reply)
{
	struct hr_error err;

	if (commit_request_begin(&f->gc, &err) < 0)
		fail_msg("begin: %s", err.msg);
	if (db_exec(f->db, sql, "request", &err) < 0)
		fail_msg("%s", err.msg);
	commit_request_end(&f->gc, ok);
	commit_hold(&f->gc, conn, msgid, (uint8_t *)strdup(reply), strlen(reply));
}

/* Rows of `table` as another connection (another process) sees them. */
static int
count_outside(struct fixture *f, const char *table)
{
	sqlite3      *other;
	sqlite3_stmt *st;
	char          sql[64];
	int           n;

	assert_int_equal(sqlite3_open_v2(f->path, &other, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	assert_int_equal(sqlite3_prepare_v2(other, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(other);
	return n;
}

static void
test_savepoints_and_held_replies(void **state)
{
	struct fixture *f = *state;

	request(f, 7, 1, "INSERT INTO t VALUES (1)", 1, "one");
	request(f, 8, 2, "INSERT INTO t VALUES (2)", 0, "two");   /* fails */
	request(f, 7, 3, "INSERT INTO t VALUES (3)", 1, "three");
	assert_int_equal(f->ngot, 0);                 /* held, not sent */
	assert_int_equal(count_outside(f, "t"), 0);   /* and not on disk yet */
	assert_false(commit_idle(&f->gc));

	assert_int_equal(commit_flush(&f->gc), 0);
	assert_int_equal(f->ngot, 3);
	assert_string_equal(f->got[0].data, "one");
	assert_int_equal(f->got[0].conn_id, 7);
	assert_int_equal(f->got[1].msgid, 2);
	assert_string_equal(f->got[2].data, "three");
	for (int i = 0; i < 3; i++)
		assert_int_equal(f->got[i].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 2);   /* 1 and 3, not 2 */
	assert_true(commit_idle(&f->gc));
	assert_int_equal(f->gc.commits, 1);           /* one COMMIT for all */
}

static void
test_batch_max(void **state)
{
	struct fixture *f = *state;

	f->gc.batch_max = 2;
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	assert_int_equal(f->ngot, 0);
	request(f, 1, 2, "INSERT INTO t VALUES (2)", 1, "b");
	assert_int_equal(f->ngot, 2);                 /* committed early */
	assert_int_equal(count_outside(f, "t"), 2);
}

static void
test_prepare_watcher(void **state)
{
	struct fixture *f = *state;
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);

	commit_watch(&f->gc, loop);
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	assert_int_equal(f->ngot, 0);
	ev_run(loop, EVRUN_NOWAIT);                   /* one iteration */
	assert_int_equal(f->ngot, 1);
	assert_int_equal(count_outside(f, "t"), 1);
	ev_prepare_stop(loop, &f->gc.prepare);
	f->gc.loop = NULL;
	ev_loop_destroy(loop);
}

/* A deferred foreign key makes COMMIT itself fail: the batch is lost. */
static void
test_commit_failure(void **state)
{
	struct fixture *f = *state;

	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	request(f, 2, 2, "INSERT INTO child VALUES (99)", 1, "b");
	assert_int_equal(commit_flush(&f->gc), -1);
	assert_int_equal(f->ngot, 2);
	assert_int_equal(f->got[0].failed_code, HR_E_INTERNAL);
	assert_int_equal(f->got[1].failed_code, HR_E_INTERNAL);
	assert_int_equal(count_outside(f, "t"), 0);
	assert_true(commit_idle(&f->gc));

	/* and the next batch works */
	request(f, 1, 3, "INSERT INTO t VALUES (5)", 1, "c");
	assert_int_equal(commit_flush(&f->gc), 0);
	assert_int_equal(f->got[2].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_savepoints_and_held_replies,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_watcher, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_commit_failure, setup,
		    teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
