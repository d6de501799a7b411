/*
 * test_commit.c — group commit (srvd/commit.c) against a real database:
 * a request rolled back alone inside the shared transaction, replies held
 * until COMMIT and released in order, nothing visible to another reader
 * before the commit, an early commit at batch_max, and a failing COMMIT
 * turning every held reply into an HR_E_INTERNAL failure -- inline
 * (commit_flush) and on the commit thread (commit_watch): there the
 * replies wait until the thread reports, write work deferred while a
 * commit is in flight becomes the next batch in order, the server's
 * reader connection sees committed data only, a BEGIN that finds another
 * process's lock is retried from a timer, and commit_free finishes the
 * commit in flight and drops what never ran.  Batches are numbered, the
 * batch-done hook hears of each (on disk or not), and what must come
 * first (readaudit.h) runs before a request and at commit_free.  Files
 * registered with commit_sync are synced ahead by the idle commit thread
 * (and by sync threads beside it), and one that cannot be synced fails
 * its batch.  A batch after which the log restarts is answered before the
 * restart, which may wait for readers.
 *
 * The commit thread is held inside COMMIT by an SQLite commit hook that
 * waits for a gate the test opens, so "in flight" is a state the test
 * controls rather than a race it hopes to win.
 */
#include <fcntl.h>
#include <pthread.h>
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
#include "tests/lib/tdb.h"

struct delivery {
	uint64_t conn_id;
	uint32_t msgid;
	char     data[16];
	int      failed_code;     /* 0: delivered as success */
};

struct hook_log;

struct fixture {
	char            path[64];
	struct hr_db   *db;
	struct srv_commit gc;
	struct delivery got[16];
	size_t          ngot;
	struct ev_loop *loop;           /* threaded tests */
	ev_timer        tick;           /* bounds each ev_run(ONCE) */
	pthread_mutex_t gate_lock;      /* the commit hook's gate */
	pthread_cond_t  gate_cond;
	int             gate_closed, in_commit;
	struct hook_log *hooks;         /* test_hooks */
	uint64_t        synced_at_commit;  /* test_sync_threads */
	int             on_its_way;     /* test_wait: work coming back */
	uint64_t        asked_batch;    /* ... the batch that asked */
	int             inflight_seen;  /* the writer was the commit thread's
	                                   at the last delivery */
};

static void
deliver(void *ud, uint64_t conn_id, uint32_t msgid, const uint8_t *data,
    size_t len, const struct hr_error *failed)
{
	struct fixture  *f = ud;
	struct delivery *d;

	f->inflight_seen = f->gc.inflight;
	if (f->ngot >= 16) {            /* counted, not kept */
		f->ngot++;
		return;
	}
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

	assert_non_null(f);
	tdb_temp_path(f->path, sizeof f->path, "test_commit");
	if (db_open(&f->db, f->path, HR_DB_CREATE, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	if (db_exec(f->db,
	    "CREATE TABLE t (x INTEGER);"
	    "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
	    "CREATE TABLE child (pid INTEGER REFERENCES parent(id) "
	    "  DEFERRABLE INITIALLY DEFERRED);", "test tables", &err) < 0)
		fail_msg("%s", err.msg);
	commit_init(&f->gc, f->db, 100, deliver, f);
	pthread_mutex_init(&f->gate_lock, NULL);
	pthread_cond_init(&f->gate_cond, NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	commit_free(&f->gc);
	if (f->loop != NULL) {
		ev_timer_stop(f->loop, &f->tick);
		ev_loop_destroy(f->loop);
	}
	pthread_cond_destroy(&f->gate_cond);
	pthread_mutex_destroy(&f->gate_lock);
	db_close(f->db);
	tdb_remove(f->path);
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
	char sql[64];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	return (int)tdb_path_int(f->path, sql);
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

/* ---- the commit thread ---- */

/* SQLite commit hook: runs on the committing thread; waits at the gate. */
static int
gate_hook(void *ud)
{
	struct fixture *f = ud;

	pthread_mutex_lock(&f->gate_lock);
	f->in_commit++;
	pthread_cond_broadcast(&f->gate_cond);
	while (f->gate_closed)
		pthread_cond_wait(&f->gate_cond, &f->gate_lock);
	pthread_mutex_unlock(&f->gate_lock);
	return 0;                      /* let the COMMIT go on */
}

static void
gate(struct fixture *f, int closed)
{
	pthread_mutex_lock(&f->gate_lock);
	f->gate_closed = closed;
	pthread_cond_broadcast(&f->gate_cond);
	pthread_mutex_unlock(&f->gate_lock);
}

/* Wait until the commit thread is inside its n-th COMMIT. */
static void
gate_wait_entered(struct fixture *f, int n)
{
	pthread_mutex_lock(&f->gate_lock);
	while (f->in_commit < n)
		pthread_cond_wait(&f->gate_cond, &f->gate_lock);
	pthread_mutex_unlock(&f->gate_lock);
}

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
}

/* Commit on a thread from now on, with the gate installed (open). */
static void
threaded(struct fixture *f)
{
	struct hr_error err;

	f->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(f->loop);
	ev_timer_init(&f->tick, tick_cb, 0.02, 0.02);
	ev_timer_start(f->loop, &f->tick);
	if (commit_watch(&f->gc, f->loop, NULL, &err) < 0)
		fail_msg("commit_watch: %s", err.msg);
	sqlite3_commit_hook(f->db->sql, gate_hook, f);
}

/* Run the loop until `n` replies were delivered (at most ~5 s). */
static void
run_until(struct fixture *f, size_t n)
{
	for (int i = 0; i < 250 && f->ngot < n; i++)
		ev_run(f->loop, EVRUN_ONCE);
	assert_int_equal(f->ngot, n);
}

/* Write work queued with commit_defer: one request, as dispatch does. */
struct job {
	struct fixture *f;
	uint64_t        conn;
	uint32_t        msgid;
	const char     *sql, *reply;
	int             ran, dropped, deferred;
};

static void job_run(void *ud, void *arg);

static void
job_drop(void *ud, void *arg)
{
	((struct job *)arg)->dropped = 1;
}

/* Run it now, or queue it when the writer is busy.  1 ran, 0 queued. */
static int
job_start(struct job *j)
{
	struct fixture *f = j->f;
	struct hr_error err;
	int rc = commit_request_begin(&f->gc, &err);

	if (rc == COMMIT_DEFER) {
		j->deferred++;
		assert_int_equal(commit_defer(&f->gc, job_run, job_drop, j), 0);
		return 0;
	}
	if (rc < 0)
		fail_msg("begin: %s", err.msg);
	if (db_exec(f->db, j->sql, "job", &err) < 0)
		fail_msg("%s", err.msg);
	commit_request_end(&f->gc, 1);
	commit_hold(&f->gc, j->conn, j->msgid, (uint8_t *)strdup(j->reply),
	    strlen(j->reply));
	j->ran = 1;
	return 1;
}

static void
job_run(void *ud, void *arg)
{
	struct job *j = arg;

	assert_ptr_equal(ud, j->f);
	(void)job_start(j);
}

/* Rows of `table` through the server's kind of reader connection. */
static int
count_reader(struct hr_db *reader, const char *table)
{
	struct hr_error err;
	sqlite3_stmt   *st;
	char            sql[64];
	int             n;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (db_begin_read(reader, &err) < 0 ||
	    (st = db_prepare(reader, sql, &err)) == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (db_commit(reader, &err) < 0)
		fail_msg("%s", err.msg);
	return n;
}

static void
test_prepare_watcher(void **state)
{
	struct fixture *f = *state;

	threaded(f);
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	assert_int_equal(f->ngot, 0);
	run_until(f, 1);                 /* handed over, committed, reported */
	assert_int_equal(f->got[0].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 1);
	assert_true(commit_idle(&f->gc));
	assert_int_equal(f->gc.commits, 1);
}

/*
 * A commit in flight: its replies wait for the thread; writes meanwhile
 * are deferred, run in order once it reports, and form the next batch.
 * A reader sees neither batch before its COMMIT.
 */
static void
test_deferred_next_batch(void **state)
{
	struct fixture *f = *state;
	struct hr_error err;
	struct hr_db   *reader;
	struct job      b = { .f = f, .conn = 2, .msgid = 2,
	    .sql = "INSERT INTO t VALUES (2)", .reply = "b" };
	struct job      c = { .f = f, .conn = 3, .msgid = 3,
	    .sql = "INSERT INTO t VALUES (3)", .reply = "c" };

	if (db_open(&reader, f->path, HR_DB_READONLY, &err) < 0)
		fail_msg("reader: %s", err.msg);
	threaded(f);
	gate(f, 1);
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	assert_int_equal(count_reader(reader, "t"), 0);  /* not committed */
	ev_run(f->loop, EVRUN_NOWAIT);   /* prepare: hand the batch over */
	assert_true(f->gc.inflight);
	gate_wait_entered(f, 1);          /* the thread is inside COMMIT */
	for (int i = 0; i < 3; i++)
		ev_run(f->loop, EVRUN_NOWAIT);
	assert_int_equal(f->ngot, 0);     /* held until the thread reports */
	assert_false(commit_writer_ready(&f->gc));

	assert_int_equal(job_start(&b), 0);   /* deferred, in order */
	assert_int_equal(job_start(&c), 0);
	assert_false(b.ran || c.ran);
	assert_false(commit_idle(&f->gc));

	gate(f, 0);
	run_until(f, 1);                  /* a's batch is on disk */
	assert_string_equal(f->got[0].data, "a");
	ev_run(f->loop, EVRUN_NOWAIT);    /* the next iteration runs them */
	assert_true(b.ran && c.ran);      /* at once, as the next batch */
	assert_int_equal(count_reader(reader, "t"), 1);   /* only a */
	run_until(f, 3);
	assert_string_equal(f->got[1].data, "b");
	assert_string_equal(f->got[2].data, "c");
	assert_int_equal(f->gc.commits, 2);   /* b and c: one COMMIT */
	assert_int_equal(count_reader(reader, "t"), 3);
	assert_true(commit_idle(&f->gc));
	db_close(reader);
}

/* COMMIT fails on the thread: every reply of the batch fails, the work
 * deferred behind it still runs and commits. */
static void
test_thread_commit_failure(void **state)
{
	struct fixture *f = *state;
	struct job      b = { .f = f, .conn = 3, .msgid = 3,
	    .sql = "INSERT INTO t VALUES (7)", .reply = "b" };

	threaded(f);
	/* The deferred FK check fails before the commit hook would run, so
	 * the gate cannot hold this COMMIT: batch_max hands it over without
	 * running the loop, which alone can take the thread's report. */
	f->gc.batch_max = 2;
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	request(f, 2, 2, "INSERT INTO child VALUES (99)", 1, "x");
	assert_true(f->gc.inflight);
	assert_int_equal(job_start(&b), 0);
	run_until(f, 2);
	assert_int_equal(f->got[0].failed_code, HR_E_INTERNAL);
	assert_int_equal(f->got[1].failed_code, HR_E_INTERNAL);
	assert_int_equal(f->gc.failures, 1);
	ev_run(f->loop, EVRUN_NOWAIT);
	assert_true(b.ran);
	run_until(f, 3);
	assert_int_equal(f->got[2].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 1);      /* 7 only */
	assert_int_equal(count_outside(f, "child"), 0);
}

/* batch_max hands over at once; the rest waits for the next batch. */
static void
test_thread_batch_max(void **state)
{
	struct fixture *f = *state;
	struct job      c = { .f = f, .conn = 1, .msgid = 3,
	    .sql = "INSERT INTO t VALUES (3)", .reply = "c" };

	threaded(f);
	gate(f, 1);
	f->gc.batch_max = 2;
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	assert_false(f->gc.inflight);
	request(f, 1, 2, "INSERT INTO t VALUES (2)", 1, "b");
	assert_true(f->gc.inflight);      /* no need to wait for prepare */
	assert_int_equal(job_start(&c), 0);
	gate(f, 0);
	run_until(f, 3);
	assert_int_equal(f->gc.commits, 2);
	assert_int_equal(count_outside(f, "t"), 3);
}

/*
 * Another process holds the write lock: BEGIN waits only briefly, the
 * request is deferred and retried from a timer until the lock is free.
 */
static void
test_begin_busy_retry(void **state)
{
	struct fixture *f = *state;
	struct job      a = { .f = f, .conn = 1, .msgid = 1,
	    .sql = "INSERT INTO t VALUES (1)", .reply = "a" };
	sqlite3        *other;
	ev_tstamp       t0;

	threaded(f);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
	ev_now_update(f->loop);
	t0 = ev_time();
	assert_int_equal(job_start(&a), 0);   /* deferred, not blocked */
	assert_true(ev_time() - t0 < 1.0);
	assert_false(commit_writer_ready(&f->gc));
	for (int i = 0; i < 5; i++)
		ev_run(f->loop, EVRUN_ONCE);  /* retries: still locked */
	assert_false(a.ran);
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(other);
	run_until(f, 1);
	assert_true(a.ran);
	assert_int_equal(f->got[0].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 1);
}

/*
 * Many deferred writes run COMMIT_REPLAY_CHUNK per loop iteration (the
 * loop polls in between) and are handed over as one batch when all ran.
 */
static void
test_replay_chunks(void **state)
{
	struct fixture *f = *state;
	struct job      j[COMMIT_REPLAY_CHUNK + 8];
	size_t          n = sizeof j / sizeof j[0], ran;

	threaded(f);
	gate(f, 1);
	request(f, 1, 1, "INSERT INTO t VALUES (0)", 1, "a");
	ev_run(f->loop, EVRUN_NOWAIT);
	assert_true(f->gc.inflight);
	for (size_t i = 0; i < n; i++) {
		j[i] = (struct job){ .f = f, .conn = 2 + i, .msgid = 2,
		    .sql = "INSERT INTO t VALUES (1)", .reply = "b" };
		assert_int_equal(job_start(&j[i]), 0);
	}
	gate(f, 0);
	run_until(f, 1);
	ev_run(f->loop, EVRUN_NOWAIT);    /* one chunk */
	for (ran = 0; ran < n && j[ran].ran; ran++)
		;
	assert_int_equal(ran, COMMIT_REPLAY_CHUNK);
	assert_false(f->gc.inflight);     /* not handed over half done */
	ev_run(f->loop, EVRUN_NOWAIT);    /* the rest, then the hand-over */
	assert_true(j[n - 1].ran);
	assert_int_equal(f->gc.nqueued, 0);
	run_until(f, 1 + n);
	assert_int_equal(f->gc.commits, 2);
	assert_int_equal(count_outside(f, "t"), 1 + (int)n);
}

/* commit_free: the commit in flight finishes and is delivered, the open
 * batch is committed, deferred work that never ran is dropped. */
static void
test_free_finishes(void **state)
{
	struct fixture *f = *state;
	struct job      b = { .f = f, .conn = 2, .msgid = 2,
	    .sql = "INSERT INTO t VALUES (2)", .reply = "b" };

	threaded(f);
	gate(f, 1);
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	ev_run(f->loop, EVRUN_NOWAIT);
	assert_int_equal(job_start(&b), 0);
	gate(f, 0);
	commit_free(&f->gc);
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->got[0].failed_code, 0);
	assert_true(b.dropped && !b.ran);
	assert_int_equal(count_outside(f, "t"), 1);
	commit_init(&f->gc, f->db, 100, deliver, f);   /* for teardown */
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

/* ---- files synced before COMMIT (commit_sync) ---- */

/* One write request that registers `fd` to be synced before its COMMIT. */
static void
request_sync(struct fixture *f, int fd, uint32_t msgid, const char *reply)
{
	struct hr_error err;

	if (commit_request_begin(&f->gc, &err) < 0)
		fail_msg("begin: %s", err.msg);
	if (commit_sync(&f->gc, fd, &err) < 0)
		fail_msg("commit_sync: %s", err.msg);
	if (db_exec(f->db, "INSERT INTO t VALUES (1)", "request", &err) < 0)
		fail_msg("%s", err.msg);
	commit_request_end(&f->gc, 1);
	commit_hold(&f->gc, 1, msgid, (uint8_t *)strdup(reply), strlen(reply));
}

/*
 * On the commit thread a registered file is fsync'd at once, while the
 * batch is still open (the loop may go on building it), and the batch
 * commits once it is synced.
 */
static void
test_sync_ahead(void **state)
{
	struct fixture *f = *state;
	char path[80];
	int fd, synced = 0;

	threaded(f);
	snprintf(path, sizeof path, "%s.scan", f->path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "scan", 4), 4);
	request_sync(f, fd, 1, "a");
	for (int i = 0; i < 500 && !synced; i++) {
		pthread_mutex_lock(&f->gc.lock);
		synced = f->gc.ahead.next == 1 && f->gc.ahead_busy == 0;
		pthread_mutex_unlock(&f->gc.lock);
		if (!synced)
			usleep(10000);
	}
	assert_true(synced);                    /* ahead of the hand-over */
	assert_true(f->gc.in_tx && !f->gc.inflight);
	run_until(f, 1);
	assert_int_equal(f->got[0].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 1);
	close(fd);
	unlink(path);
}

/*
 * A file that cannot be synced (a pipe: EINVAL) fails its whole batch,
 * inline and on the thread, and the next batch works.
 */
static void
test_sync_failure(void **state)
{
	struct fixture *f = *state;
	int p[2];

	assert_int_equal(pipe(p), 0);
	request_sync(f, p[0], 1, "a");
	assert_int_equal(commit_flush(&f->gc), -1);
	assert_int_equal(f->got[0].failed_code, HR_E_INTERNAL);
	assert_int_equal(count_outside(f, "t"), 0);

	threaded(f);
	request_sync(f, p[0], 2, "b");
	run_until(f, 2);
	assert_int_equal(f->got[1].failed_code, HR_E_INTERNAL);
	assert_int_equal(count_outside(f, "t"), 0);
	request(f, 1, 3, "INSERT INTO t VALUES (3)", 1, "c");
	run_until(f, 3);
	assert_int_equal(f->got[2].failed_code, 0);
	assert_int_equal(count_outside(f, "t"), 1);
	close(p[0]);
	close(p[1]);
}

/* Commit hook: how many files were synced when COMMIT began. */
static int
synced_hook(void *ud)
{
	struct fixture *f = ud;

	pthread_mutex_lock(&f->gc.lock);
	f->synced_at_commit = f->gc.synced_files;
	pthread_mutex_unlock(&f->gc.lock);
	return 0;
}

/*
 * With sync threads (commit_set_syncers) several threads fsync a batch's
 * files: every one of them once, all before its COMMIT; one that cannot
 * be synced still fails its whole batch, and the threads stop with
 * commit_free.
 */
static void
test_sync_threads(void **state)
{
	struct fixture *f = *state;
	char path[12][80];
	int fd[12], p[2];

	commit_set_syncers(&f->gc, 3);
	threaded(f);
	assert_int_equal(f->gc.nsyncers, 3);
	sqlite3_commit_hook(f->db->sql, synced_hook, f);
	for (int i = 0; i < 12; i++) {
		snprintf(path[i], sizeof path[i], "%s.scan%d", f->path, i);
		fd[i] = open(path[i], O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		    0600);
		assert_true(fd[i] >= 0);
		assert_int_equal(write(fd[i], "scan", 4), 4);
		request_sync(f, fd[i], (uint32_t)i + 1, "a");
	}
	run_until(f, 12);
	for (int i = 0; i < 12; i++)
		assert_int_equal(f->got[i].failed_code, 0);
	assert_int_equal(f->synced_at_commit, 12);
	assert_int_equal(f->gc.synced_files, 12);
	assert_int_equal(f->gc.commits, 1);
	assert_int_equal(count_outside(f, "t"), 12);

	assert_int_equal(pipe(p), 0);
	request_sync(f, fd[0], 13, "b");
	request_sync(f, p[0], 14, "c");           /* EINVAL */
	request_sync(f, fd[1], 15, "d");
	run_until(f, 15);
	for (int i = 12; i < 15; i++)
		assert_int_equal(f->got[i].failed_code, HR_E_INTERNAL);
	assert_int_equal(count_outside(f, "t"), 12);
	close(p[0]);
	close(p[1]);
	for (int i = 0; i < 12; i++) {
		close(fd[i]);
		unlink(path[i]);
	}
}

/* ---- the hooks: batch ids, batch done, what comes first ---- */

struct hook_log {
	struct fixture *f;
	uint64_t        done[8];
	int             ok[8];
	size_t          ndone;
	int             firsts;
	int             first_writes;   /* rows the first hook still has */
};

static void
hook_batch_done(void *ud, uint64_t batch, int ok)
{
	struct hook_log *h = ((struct fixture *)ud)->hooks;

	h->done[h->ndone] = batch;
	h->ok[h->ndone++] = ok;
}

/* Writes its pending rows through the group commit, like readaudit.c. */
static void
hook_first(void *ud)
{
	struct fixture  *f = ud;
	struct hook_log *h = f->hooks;
	struct hr_error  err;

	h->firsts++;
	while (h->first_writes > 0) {
		if (commit_request_begin(&f->gc, &err) != 0)
			return;
		if (db_exec(f->db, "INSERT INTO t VALUES (100)", "first", &err) < 0)
			fail_msg("%s", err.msg);
		commit_request_end(&f->gc, 1);
		h->first_writes--;
	}
}

static void
test_hooks(void **state)
{
	struct fixture *f = *state;
	struct hook_log h = { f, { 0 }, { 0 }, 0, 0, 0 };
	uint64_t first;

	f->hooks = &h;
	commit_set_hooks(&f->gc, hook_batch_done, hook_first);
	assert_int_equal(commit_batch_id(&f->gc), 0);      /* none open */
	/* What comes first runs before the request, in the same batch. */
	h.first_writes = 2;
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	assert_int_equal(h.first_writes, 0);
	first = commit_batch_id(&f->gc);
	assert_true(first > 0);
	assert_int_equal(commit_flush(&f->gc), 0);
	assert_int_equal(count_outside(f, "t"), 3);
	assert_int_equal(h.ndone, 1);
	assert_int_equal(h.done[0], first);
	assert_int_equal(h.ok[0], 1);
	/* The next batch has the next id; a failed COMMIT says so. */
	request(f, 1, 2, "INSERT INTO child VALUES (99)", 1, "b");
	assert_int_equal(commit_batch_id(&f->gc), first + 1);
	assert_int_equal(commit_flush(&f->gc), -1);
	assert_int_equal(h.ndone, 2);
	assert_int_equal(h.done[1], first + 1);
	assert_int_equal(h.ok[1], 0);
	/* commit_free runs what comes first into the last batch. */
	h.first_writes = 1;
	commit_free(&f->gc);
	assert_int_equal(count_outside(f, "t"), 4);
	assert_int_equal(h.ok[2], 1);
	commit_init(&f->gc, f->db, 100, deliver, f);   /* for the teardown */
}

/* commit_set_wait's question: is work on its way? */
static int
wait_fn(void *ud, uint64_t batch)
{
	struct fixture *f = ud;

	f->asked_batch = batch;
	return f->on_its_way;
}

/*
 * While work is on its way back (a chunk on the hash thread), the open
 * batch is not handed over: what comes back joins it, one COMMIT for
 * both.  And it waits no longer than its bound when the work keeps
 * coming.
 */
static void
test_wait(void **state)
{
	struct fixture *f = *state;
	uint64_t batch;

	threaded(f);
	commit_set_wait(&f->gc, wait_fn, 60.0);
	f->on_its_way = 1;
	request(f, 1, 1, "INSERT INTO t VALUES (1)", 1, "a");
	batch = commit_batch_id(&f->gc);
	for (int i = 0; i < 3; i++)
		ev_run(f->loop, EVRUN_NOWAIT);
	assert_false(f->gc.inflight);     /* still open: it waits */
	assert_int_equal(f->asked_batch, batch);
	assert_int_equal(f->ngot, 0);
	request(f, 2, 1, "INSERT INTO t VALUES (2)", 1, "b");   /* came back */
	assert_int_equal(commit_batch_id(&f->gc), batch);
	f->on_its_way = 0;
	run_until(f, 2);
	assert_int_equal(f->gc.commits, 1);   /* one COMMIT for both */
	assert_int_equal(count_outside(f, "t"), 2);
	assert_true(f->gc.waits >= 3);

	/* Always something on its way: the batch goes after its bound. */
	commit_set_wait(&f->gc, wait_fn, 0.05);
	f->on_its_way = 1;
	request(f, 3, 1, "INSERT INTO t VALUES (3)", 1, "c");
	run_until(f, 3);                  /* the tick wakes the loop */
	assert_int_equal(f->gc.commits, 2);
	assert_int_equal(count_outside(f, "t"), 3);
	assert_true(commit_idle(&f->gc));
}

/*
 * A batch after which the log restarts: the restart may wait for readers
 * (here one holds a snapshot from before the batch, so it waits its 40 ms
 * and gives up), and the batch, on disk already, is answered first --
 * while the commit thread still has the writer.  A loop that runs only
 * after the thread is done (a very busy machine) answers it then, as
 * before: either way once, and the writer is the loop's after.
 */
static void
test_restart_answers_first(void **state)
{
	struct fixture *f = *state;
	struct hr_db   *ckpt, *reader;
	struct hr_error err;
	sqlite3_stmt   *st;

	if (db_open(&ckpt, f->path, 0, &err) < 0 ||
	    db_open(&reader, f->path, HR_DB_READONLY, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	f->loop = ev_loop_new(EVFLAG_AUTO);
	assert_non_null(f->loop);
	ev_timer_init(&f->tick, tick_cb, 0.02, 0.02);
	ev_timer_start(f->loop, &f->tick);
	if (commit_watch(&f->gc, f->loop, ckpt, &err) < 0)
		fail_msg("commit_watch: %s", err.msg);
	/* the reader's snapshot, from before the batch */
	if (db_begin_read(reader, &err) < 0 ||
	    (st = db_prepare(reader, "SELECT count(*) FROM t", &err)) == NULL)
		fail_msg("%s", err.msg);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	sqlite3_reset(st);
	/* one batch of ~17,600 pages: the log is past its restart length */
	request(f, 1, 1, "INSERT INTO t VALUES (zeroblob(72000000))", 1, "a");
	run_until(f, 1);
	assert_int_equal(f->got[0].failed_code, 0);
	assert_string_equal(f->got[0].data, "a");
	for (int i = 0; i < 250 && f->gc.inflight; i++)
		ev_run(f->loop, EVRUN_ONCE);
	assert_false(f->gc.inflight);
	assert_int_equal(f->ngot, 1);
	assert_int_equal(f->gc.commits, 1);
	if (f->gc.early_batches == 1)
		assert_true(f->inflight_seen);      /* before the writer came back */
	else
		print_message("# the loop ran only after the restart: "
		    "answered then\n");
	assert_int_equal(db_commit(reader, &err), 0);
	commit_free(&f->gc);
	db_close(reader);
	db_close(ckpt);
	commit_init(&f->gc, f->db, 100, deliver, f);   /* for the teardown */
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
		cmocka_unit_test_setup_teardown(test_deferred_next_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_thread_commit_failure,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread_batch_max, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_begin_busy_retry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_replay_chunks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_free_finishes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hooks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_ahead, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_threads, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sync_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wait, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_answers_first,
		    setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
