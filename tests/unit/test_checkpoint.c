/*
 * test_checkpoint.c — the write-ahead log stays short (srvd/checkpoint.c),
 * against a real database in WAL mode, with a writer that commits as the
 * server's commit thread does (no automatic checkpoints, the WAL hook
 * telling checkpoint_committed the log's length after each COMMIT):
 *
 *   - while two readers read without a pause, each in short read
 *     transactions as the query threads do, the log restarts again and
 *     again (readers that begin after a checkpoint do not hold it), and
 *     the -wal file is written over, not cut (the backup's watch follows
 *     it from one generation to the next);
 *   - a reader that holds its snapshot puts the restart off (the log grows
 *     past its limit meanwhile); once it ends the log restarts at the next
 *     retry -- not a whole restart length later, as it did -- and the -wal
 *     file is cut back to its limit.
 *
 * The writer pauses a millisecond after each commit, as the server's
 * commits wait for their fsync: a retry's wait is then worth hundreds of
 * frames, not thousands.
 *
 * Pages of 512 bytes keep the restart length's 16,384 frames at 8.4 MiB.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "db/db.h"
#include "srvd/checkpoint.h"
#include "tests/lib/tdb.h"

#define PAGE   512
#define ROWS   64                     /* rows the writer rewrites in turn */

struct fixture {
	char                  path[64];
	char                  wal[80];
	struct hr_db          writer, ckpt;
	struct srv_checkpoint c;
	int                   frames;     /* the WAL hook's, after a COMMIT */
	int                   commits;
	/* the readers */
	pthread_t             reader[2];
	int                   nreaders;
	int                   stop;       /* __atomic */
	long                  reads, read_errors;
};

static int
wal_hook(void *ud, sqlite3 *sql, const char *dbname, int frames)
{
	(void)sql;
	(void)dbname;
	((struct fixture *)ud)->frames = frames;
	return SQLITE_OK;
}

static sqlite3 *
open_conn(const char *path)
{
	sqlite3 *s = NULL;

	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		fail_msg("open %s: %s", path, s ? sqlite3_errmsg(s) : "no memory");
	sqlite3_busy_timeout(s, 5000);
	return s;
}

static void
exec(sqlite3 *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct hr_error err;
	char sql[128];

	assert_non_null(f);
	tdb_temp_path(f->path, sizeof f->path, "test_checkpoint");
	snprintf(f->wal, sizeof f->wal, "%s-wal", f->path);
	f->writer.path = f->ckpt.path = f->path;
	f->writer.sql = open_conn(f->path);
	snprintf(sql, sizeof sql, "PRAGMA page_size=%d", PAGE);
	exec(f->writer.sql, sql);
	/* synchronous=NORMAL: the test is about lengths, not durability,
	 * and thousands of fsyncs would make it slow. */
	exec(f->writer.sql, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "PRAGMA wal_autocheckpoint=0; CREATE TABLE t (x BLOB);");
	for (int i = 0; i < ROWS; i++)
		exec(f->writer.sql, "INSERT INTO t VALUES (randomblob(4000))");
	sqlite3_wal_hook(f->writer.sql, wal_hook, f);
	f->ckpt.sql = open_conn(f->path);
	exec(f->ckpt.sql, "PRAGMA synchronous=NORMAL");
	if (checkpoint_start(&f->c, &f->writer, &f->ckpt, &err) < 0)
		fail_msg("checkpoint_start: %s", err.msg);
	*state = f;
	return 0;
}

static void
readers_stop(struct fixture *f)
{
	__atomic_store_n(&f->stop, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < f->nreaders; i++)
		pthread_join(f->reader[i], NULL);
	f->nreaders = 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	readers_stop(f);
	checkpoint_stop(&f->c);
	sqlite3_close(f->ckpt.sql);
	sqlite3_close(f->writer.sql);
	tdb_remove(f->path);
	free(f);
	return 0;
}

/* One batch: a row rewritten (~10 frames), then what the commit thread
 * does after its COMMIT. */
static void
commit_one(struct fixture *f)
{
	char sql[96];

	snprintf(sql, sizeof sql, "UPDATE t SET x = randomblob(4000) WHERE "
	    "rowid = %d", 1 + f->commits % ROWS);
	exec(f->writer.sql, "BEGIN IMMEDIATE");
	exec(f->writer.sql, sql);
	exec(f->writer.sql, "COMMIT");
	f->commits++;
	checkpoint_committed(&f->c, f->frames);
}

static void
pause_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

static long
wal_size(const struct fixture *f)
{
	struct stat st;

	return stat(f->wal, &st) == 0 ? (long)st.st_size : -1;
}

static long
frames_bytes(long frames)
{
	return 32 + frames * (PAGE + 24);
}

/* A query thread's life: one short read transaction after another. */
static void *
reader_run(void *arg)
{
	struct fixture *f = arg;
	sqlite3 *s = open_conn(f->path);
	sqlite3_stmt *st = NULL;

	long errors = 0;

	if (sqlite3_prepare_v2(s, "SELECT sum(length(x)) FROM t", -1, &st,
	    NULL) != SQLITE_OK)
		errors++;
	while (!__atomic_load_n(&f->stop, __ATOMIC_SEQ_CST) && st != NULL) {
		if (sqlite3_exec(s, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW)
			errors++;
		sqlite3_reset(st);
		pause_us(500);          /* the rest of the request's queries */
		if (sqlite3_exec(s, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			errors++;
		__atomic_fetch_add(&f->reads, 1, __ATOMIC_SEQ_CST);
	}
	__atomic_fetch_add(&f->read_errors, errors, __ATOMIC_SEQ_CST);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return NULL;
}

static void
test_restarts_under_readers(void **state)
{
	struct fixture *f = *state;
	uint64_t seen = 0;

	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&f->reader[f->nreaders++],
		    NULL, reader_run, f), 0);
	/* three restarts: ~5,000 commits of ~10 frames */
	while (f->c.generations < 3 && f->commits < 40000) {
		commit_one(f);
		if (f->c.generations > seen) {
			/* written over from its beginning, not cut */
			seen = f->c.generations;
			assert_true(wal_size(f) >= frames_bytes(
			    CHECKPOINT_RESTART_FRAMES));
		}
		pause_us(1000);
	}
	readers_stop(f);
	assert_int_equal(f->read_errors, 0);
	assert_true(f->reads > 100);
	assert_true(f->c.generations >= 3);
	assert_true(f->c.passives > 0);
	assert_true(f->c.tries >= f->c.restarts && f->c.restarts > 0);
}

static void
test_long_reader(void **state)
{
	struct fixture *f = *state;
	long limit = frames_bytes(CHECKPOINT_LIMIT_FACTOR *
	    CHECKPOINT_RESTART_FRAMES);
	sqlite3 *r = open_conn(f->path);
	sqlite3_stmt *st;
	time_t t0;
	int released;

	/* a snapshot held (a backup's moment, a long report) */
	exec(r, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(r, "SELECT count(*) FROM t", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	while (wal_size(f) <= limit)
		commit_one(f);
	assert_int_equal(f->c.generations, 0);
	assert_true(f->c.tries > 0);
	assert_int_equal(f->c.restarts, 0);
	exec(r, "COMMIT");
	sqlite3_close(r);
	released = f->frames;

	/* the next try succeeds: within the longest retry interval */
	t0 = time(NULL);
	while (f->c.generations == 0 && time(NULL) - t0 < 3 *
	    (time_t)CHECKPOINT_RETRY_MAX_S) {
		commit_one(f);
		pause_us(1000);
	}
	assert_int_equal(f->c.generations, 1);
	assert_true(f->c.restarts >= 1);
	/* before, a failed try waited for 16,384 frames more */
	assert_true(f->c.longest < released + CHECKPOINT_RESTART_FRAMES / 2);
	/* the commit that restarted the log cut the file back */
	assert_true(wal_size(f) <= limit);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_restarts_under_readers,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_reader, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
