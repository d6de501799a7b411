/*
 * test_readaudit.c — a read never waits for the disk; its audit record
 * still reaches it, in order, in the same hash chain (srvd/readaudit.h,
 * PROTOCOL.md "Audit of reads").
 *
 * "The disk" is made as slow as the test likes by holding the database's
 * write lock from here (BEGIN IMMEDIATE on a connection of our own), the
 * way hromadactl or a stalled fsync keeps the server's commit from
 * finishing: no record can reach the file until we let go.  So what is
 * asserted is an order of events, not a time:
 *
 *   - a journal page is answered while the lock is held, and its record
 *     appears only after it is released, in the chain, which verifies;
 *   - once the oldest record not on disk is older than audit_read_window,
 *     the next read is NOT answered while the lock is held -- it waits for
 *     its record's commit -- and is answered when the lock goes;
 *   - with audit_read_window = 0 every read waits for its record (the
 *     behaviour before);
 *   - a write that comes after an early-answered read lands after that
 *     read's record in the chain.
 *
 * Timeouts bound the waits only: "not answered within 1 s" cannot fail
 * because the machine is slow.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "db/audit.h"
#include "db/db.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"

#define CALL_MS 10000

struct fx {
	struct testsrv    srv;
	struct hr_client *c;
	sqlite3          *lock;      /* holds the write lock while in a tx */
};

/* A server with `conf` as its hromadad.conf, cnap logged in. */
static void
fx_start(struct fx *f, const char *conf)
{
	char path[] = "/tmp/hromada-readaudit.XXXXXX";
	struct hr_error err;
	struct tcall t;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_true(write(fd, conf, strlen(conf)) == (ssize_t)strlen(conf));
	close(fd);
	setenv("TESTSRV_CONFIG", path, 1);
	if (testsrv_start(&f->srv, &err) < 0)
		fail_msg("start: %s", err.msg);
	unsetenv("TESTSRV_CONFIG");
	unlink(path);
	f->c = tclient_open(f->srv.addr, f->srv.pk, CALL_MS, &err);
	if (f->c == NULL)
		fail_msg("connect: %s", err.msg);
	tcall_init(&t);
	if (tcall_login(f->c, "cnap", "demo-cnap-2026", &t, CALL_MS) != HR_OK)
		fail_msg("login: %s", t.msg);
	tcall_free(&t);
	assert_int_equal(sqlite3_open_v2(f->srv.db, &f->lock,
	    SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(f->lock, 10000);
}

static void
fx_stop(struct fx *f)
{
	struct hr_error err;

	sqlite3_close(f->lock);
	hr_client_free(f->c);
	if (testsrv_finish(&f->srv, "hromadad", &err) < 0)
		fail_msg("%s", err.msg);
}

static void
lock_take(struct fx *f)
{
	assert_int_equal(sqlite3_exec(f->lock, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);
}

static void
lock_release(struct fx *f)
{
	assert_int_equal(sqlite3_exec(f->lock, "COMMIT", NULL, NULL, NULL),
	    SQLITE_OK);
}

/* Committed records of `action` (our connection sees what is on disk). */
static int64_t
records(struct fx *f, const char *action)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	assert_int_equal(sqlite3_prepare_v2(f->lock, "SELECT count(*) FROM "
	    "audit_log WHERE action = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The count once it reached `want`, or what it is after 5 s. */
static int64_t
records_reach(struct fx *f, const char *action, int64_t want)
{
	int64_t n, end = testsrv_now_ms() + 5000;

	while ((n = records(f, action)) < want && testsrv_now_ms() < end)
		usleep(5000);
	return n;
}

/* Send a journal page; the reply lands in t. */
static void
journal_send(struct fx *f, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(f->c, HR_M_JOURNAL_LIST);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "limit", 5);
	tcall_init(t);
	assert_true(hr_client_send(f->c, tcall_reply, t) != 0);
}

/* Pump until t is answered or ms pass; 1 when answered. */
static int
answered_within(struct fx *f, struct tcall *t, int ms)
{
	struct hr_error err;
	int64_t end = testsrv_now_ms() + ms;

	while (!t->done && testsrv_now_ms() < end)
		if (tclient_pump(f->c, 10, &err))
			fail_msg("the server closed the connection: %s", err.msg);
	return t->done;
}

static void
chain_verifies(struct fx *f)
{
	struct hr_db *db;
	struct hr_error err;
	int64_t n = 0;

	if (db_open(&db, f->srv.db, HR_DB_READONLY, &err) < 0)
		fail_msg("open: %s", err.msg);
	if (db_audit_verify(db, &n, &err) < 0)
		fail_msg("audit chain: %s", err.msg);
	db_close(db);
	assert_true(n > 0);
}

/* A read is answered while its record cannot reach the disk. */
static void
test_read_before_disk(void **state)
{
	struct fx f = { 0 };
	struct tcall t;
	int64_t before;

	(void)state;
	fx_start(&f, "audit_read_window = 10s\n");
	before = records(&f, "journal.read");
	lock_take(&f);
	journal_send(&f, &t);
	if (!answered_within(&f, &t, CALL_MS))
		fail_msg("a journal page waited for the disk (write lock held)");
	assert_int_equal(t.code, HR_OK);
	tcall_free(&t);
	/* Not on disk: the lock is still ours. */
	assert_int_equal(records(&f, "journal.read"), before);
	lock_release(&f);
	assert_int_equal(records_reach(&f, "journal.read", before + 1),
	    before + 1);
	chain_verifies(&f);
	fx_stop(&f);
}

/*
 * Past the window, reads wait for the disk; the waiting one is answered
 * once its record is on disk, after the early one's.
 */
static void
test_window_exceeded(void **state)
{
	struct fx f = { 0 };
	struct tcall early, late;
	int64_t before;

	(void)state;
	fx_start(&f, "audit_read_window = 200ms\n");
	before = records(&f, "journal.read");
	lock_take(&f);
	journal_send(&f, &early);
	if (!answered_within(&f, &early, CALL_MS))
		fail_msg("the first read waited for the disk");
	assert_int_equal(early.code, HR_OK);
	usleep(400 * 1000);                      /* past the window */
	journal_send(&f, &late);
	if (answered_within(&f, &late, 1000))
		fail_msg("a read was answered although the audit of an earlier "
		    "one has waited longer than audit_read_window");
	lock_release(&f);
	if (!answered_within(&f, &late, CALL_MS))
		fail_msg("the waiting read was not answered after the disk "
		    "caught up");
	assert_int_equal(late.code, HR_OK);
	/* Its reply meant "on disk": both records are there now. */
	assert_int_equal(records(&f, "journal.read"), before + 2);
	tcall_free(&early);
	tcall_free(&late);
	chain_verifies(&f);
	fx_stop(&f);
}

/* audit_read_window = 0: every read waits for its record, as before. */
static void
test_window_zero(void **state)
{
	struct fx f = { 0 };
	struct tcall t;
	int64_t before;

	(void)state;
	fx_start(&f, "audit_read_window = 0\n");
	before = records(&f, "journal.read");
	lock_take(&f);
	journal_send(&f, &t);
	if (answered_within(&f, &t, 1000))
		fail_msg("audit_read_window 0: a read was answered before its "
		    "record could be on disk");
	lock_release(&f);
	if (!answered_within(&f, &t, CALL_MS))
		fail_msg("no answer after the lock was released");
	assert_int_equal(t.code, HR_OK);
	assert_int_equal(records(&f, "journal.read"), before + 1);
	tcall_free(&t);
	fx_stop(&f);
}

/* A write after an early-answered read comes after its record. */
static void
test_order_read_then_write(void **state)
{
	struct fx f = { 0 };
	struct tcall t;
	sqlite3_stmt *st;
	int64_t read_id = 0, logout_id = 0;

	(void)state;
	fx_start(&f, "audit_read_window = 10s\n");
	lock_take(&f);
	journal_send(&f, &t);
	if (!answered_within(&f, &t, CALL_MS))
		fail_msg("the read waited for the disk");
	tcall_free(&t);
	/* logout writes (its audit record): it waits for the lock. */
	tcall_init(&t);
	msgpack_pack_map(hr_client_begin(f.c, HR_M_LOGOUT), 0);
	assert_true(hr_client_send(f.c, tcall_reply, &t) != 0);
	if (answered_within(&f, &t, 500))
		fail_msg("a write was answered before it could be on disk");
	lock_release(&f);
	if (!answered_within(&f, &t, CALL_MS))
		fail_msg("logout not answered after the lock was released");
	assert_int_equal(t.code, HR_OK);
	tcall_free(&t);
	assert_int_equal(sqlite3_prepare_v2(f.lock, "SELECT max(CASE WHEN "
	    "action = 'journal.read' THEN id END), max(CASE WHEN action = "
	    "'logout' THEN id END) FROM audit_log", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	read_id = sqlite3_column_int64(st, 0);
	logout_id = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	assert_true(read_id > 0 && logout_id > read_id);
	chain_verifies(&f);
	fx_stop(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_before_disk),
		cmocka_unit_test(test_window_exceeded),
		cmocka_unit_test(test_window_zero),
		cmocka_unit_test(test_order_read_then_write),
	};

	if (sodium_init() < 0)
		return 1;
	testsrv_watchdog(240);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
