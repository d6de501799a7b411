/*
 * test_copy.c — the paced copy of a live database (ctl/copy.c) is the
 * database of one moment, and it does not hold the source's WAL while it
 * is slow.
 *
 * A writer thread commits all the time into a WAL database: each
 * transaction inserts a row, rewrites a random one and keeps the row count
 * in a second table; it checkpoints every few commits (so the database file
 * changes under the copy's first, lock-free part) and tries a RESTART
 * checkpoint every 20 ms.  The copy is paced to about a second.  Then:
 *
 *   - the copy passes integrity_check and its count equals its rows: the
 *     database of one moment, though its first part read a file that was
 *     changing;
 *   - the copy took pages again (those changed meanwhile), and only part
 *     of the database;
 *   - RESTART checkpoints succeeded while the copy ran: no read
 *     transaction pinned the WAL for the copy's duration (the copy from
 *     one long read transaction kept every one of them from passing);
 *   - with the log restarted now and then (as hromadad does, whenever a
 *     checkpoint caught up) the moment reads only the pages the log
 *     committed during the copy (ctl/walwatch.h), a part of the database,
 *     not all of it -- every time, also with the log restarted every
 *     20 ms and the CPUs busy, for generations the watch could not read
 *     to their end are mended from the checkpoints' notes
 *     (db/ckptlog.h) -- and the copy is still the database of one moment;
 *   - the watch itself: generations restarted between two looks are
 *     gaps, mended from the notes; a gap no note covers (a checkpointer
 *     that does not note) makes it incomplete; notes nobody holds are
 *     emptied by the next checkpoint, two backups may hold them at once;
 *   - the verification reads every page back and finds a page changed on
 *     the disk after it was written; quick_check passes the copy.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "ctl/pace.h"
#include "ctl/walwatch.h"
#include "db/ckptlog.h"
#include "tests/lib/tdb.h"

#define ROWS       3000         /* ~3.5 MiB of 1 KB rows */

static char dir[64], src[128], dst[128];

struct writer {
	pthread_t       thread;
	volatile int    stop;
	int             pause_us;      /* between commits */
	double          restart_s;     /* between RESTART checkpoints */
	volatile long   commits;
	volatile long   restarts_ok;   /* RESTART checkpoints that passed */
};

/* Busy loops for a loaded machine's CPUs. */
struct burner {
	pthread_t       thread[4];
	volatile int    stop;
};

static void
exec_ok(sqlite3 *h, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static sqlite3 *
open_src(void)
{
	sqlite3 *h = NULL;

	assert_int_equal(sqlite3_open(src, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

/* As hromadad opens it (db_open): its checkpoints noted for a backup. */
static sqlite3 *
open_src_noting(void)
{
	sqlite3 *h = NULL;

	assert_non_null(db_ckptlog_vfs());
	assert_int_equal(sqlite3_open_v2(src, &h, SQLITE_OPEN_READWRITE,
	    db_ckptlog_vfs()), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	return h;
}

static void *
burn(void *arg)
{
	struct burner *b = arg;
	volatile unsigned long x = 0;

	while (!b->stop)
		x++;
	return NULL;
}

static void
burn_start(struct burner *b)
{
	b->stop = 0;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&b->thread[i], NULL, burn, b), 0);
}

static void
burn_stop(struct burner *b)
{
	b->stop = 1;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(b->thread[i], NULL), 0);
}

static void *
write_all_the_time(void *arg)
{
	struct writer *w = arg;
	sqlite3 *h = open_src_noting();
	double last_restart = pace_now();

	exec_ok(h, "PRAGMA wal_autocheckpoint=50");
	while (!w->stop) {
		exec_ok(h, "BEGIN IMMEDIATE; "
		    "INSERT INTO t (v) VALUES (randomblob(1000)); "
		    "UPDATE t SET v = randomblob(1000) WHERE id = "
		    "  (SELECT abs(random()) % max(id) + 1 FROM t); "
		    "UPDATE n SET rows = (SELECT count(*) FROM t); COMMIT");
		w->commits++;
		if (pace_now() - last_restart > w->restart_s) {
			int log = 0, done = 0;

			if (sqlite3_wal_checkpoint_v2(h, NULL,
			    SQLITE_CHECKPOINT_RESTART, &log, &done) ==
			    SQLITE_OK)
				w->restarts_ok++;
			last_restart = pace_now();
		}
		usleep((useconds_t)w->pause_us);
	}
	sqlite3_close(h);
	return NULL;
}

static int
setup(void **state)
{
	sqlite3 *h;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_copy.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(src, sizeof src, "%s/src.db", dir);
	snprintf(dst, sizeof dst, "%s/copy.db", dir);
	h = open_src();
	exec_ok(h, "PRAGMA journal_mode=WAL; "
	    "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB); "
	    "CREATE INDEX t_v ON t(v); "
	    "CREATE TABLE n (rows INTEGER); INSERT INTO n VALUES (0); "
	    "BEGIN; WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	    "FROM k WHERE i < 3000) INSERT INTO t (v) SELECT "
	    "randomblob(1000) FROM k; UPDATE n SET rows = (SELECT count(*) "
	    "FROM t); COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3_close(h);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
check_copy(const struct ctl_copy_made *m)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	struct stat sb;

	assert_int_equal(sqlite3_open_v2(dst, &h, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(h);
	/* One moment: the count kept in the same transactions as the rows. */
	assert_int_equal(tdb_path_int(dst, "SELECT rows FROM n"),
	    tdb_path_int(dst, "SELECT count(*) FROM t"));
	assert_true(tdb_path_int(dst, "SELECT count(*) FROM t") >= ROWS);
	assert_int_equal(stat(dst, &sb), 0);
	assert_int_equal(sb.st_size, (off_t)m->pages * tdb_path_int(dst,
	    "PRAGMA page_size"));
}

/* idle: the first part on a thread of the idle class, as a backup does. */
static void
copy_paced(double seconds, int idle, struct ctl_copy_made *m)
{
	struct ctl_pace pace;
	struct hr_error err;
	struct stat sb;

	assert_int_equal(stat(src, &sb), 0);
	pace_init(&pace, NULL);
	pace.share = 1;
	pace.rate = (double)sb.st_size / seconds;
	pace.idle = idle;
	pace_phase(&pace, "copying", 0);
	hr_error_clear(&err);
	if (ctl_db_copy_paced(src, dst, m, &pace, &err) != 0)
		fail_msg("copy: %s", err.msg);
	(void)pace_end(&pace);
}

/* Nobody writes: every page as step 1 read it, but the header's. */
static void
test_copy_quiet(void **state)
{
	struct ctl_copy_made m;

	(void)state;
	unlink(dst);
	copy_paced(0.2, 0, &m);
	check_copy(&m);
	assert_true(m.pages > ROWS / 4);
	assert_true(m.rewritten <= 2);
	/* Nothing committed: the moment read nothing again. */
	assert_null(m.whole);
	assert_int_equal(m.examined, 0);
	assert_int_equal(tdb_path_int(dst, "SELECT sum(length(v)) FROM t"),
	    tdb_path_int(src, "SELECT sum(length(v)) FROM t"));
	ctl_copy_made_free(&m);
}

/* A paced copy of about a second, as a backup makes it, while w writes;
 * the RESTART checkpoints that passed meanwhile. */
static long
copy_while_writing(struct writer *w, struct ctl_copy_made *m)
{
	long restarts;

	unlink(dst);
	assert_int_equal(pthread_create(&w->thread, NULL, write_all_the_time,
	    w), 0);
	/* The log is there before the copy begins (however slow the
	 * machine): a log begun during the copy cannot be followed. */
	while (w->commits < 3)
		usleep(10000);
	restarts = w->restarts_ok;
	copy_paced(1.0, 1, m);
	restarts = w->restarts_ok - restarts;
	w->stop = 1;
	assert_int_equal(pthread_join(w->thread, NULL), 0);
	return restarts;
}

static void
test_copy_while_writing(void **state)
{
	struct writer w = { .pause_us = 2000, .restart_s = 0.02 };
	struct ctl_copy_made m;
	long restarts;

	(void)state;
	restarts = copy_while_writing(&w, &m);
	fprintf(stderr, "# %ld commits, %d pages copied, %lld read and %lld "
	    "taken again from one moment (held %.3f s of %.3f s; %s), %ld "
	    "RESTART checkpoints passed during the copy\n", w.commits,
	    m.pages, (long long)m.examined, (long long)m.rewritten, m.held,
	    m.copied + m.held, m.whole ? m.whole : "the log's pages",
	    restarts);
	check_copy(&m);
	assert_true(m.rewritten > 2);
	assert_true(m.rewritten < m.pages);
	/* The WAL was not pinned for the copy: it restarted meanwhile. */
	assert_true(restarts >= 3);
	/* ... and every generation was read or mended. */
	assert_null(m.whole);
	ctl_copy_made_free(&m);
}

/*
 * The log restarted a few times, as the server's is: the moment follows
 * it and reads only what it committed -- a part of the database -- and
 * the copy is still of one moment.  The writer is slow enough that most
 * pages stay as step 1 read them.  Three tries, each must: a look that
 * comes late is no longer a race lost (walwatch.h).
 */
static void
test_copy_reads_what_changed(void **state)
{
	struct writer w;
	struct ctl_copy_made m;
	struct hr_error err;
	long restarts;

	(void)state;
	for (int attempt = 1; attempt <= 3; attempt++) {
		w = (struct writer){ .pause_us = 20000, .restart_s = 0.2 };
		restarts = copy_while_writing(&w, &m);
		fprintf(stderr, "# try %d: %ld commits, %ld restarts of the "
		    "log; the moment read %lld of %d pages (%llu frames "
		    "followed, %llu generations mended), took %lld again, "
		    "held %.3f s; %s\n", attempt, w.commits, restarts,
		    (long long)m.examined, m.pages,
		    (unsigned long long)m.frames,
		    (unsigned long long)m.mended, (long long)m.rewritten,
		    m.held, m.whole ? m.whole : "from the log");
		check_copy(&m);
		assert_null(m.whole);
		assert_true(restarts >= 2);
		assert_true(m.rewritten > 0);
		assert_true(m.examined >= m.rewritten);
		assert_true(m.frames > 0);
		assert_true(m.examined < m.pages / 2);
		/* Every page on the disk is what was written; the b-trees
		 * hold. */
		hr_error_clear(&err);
		if (ctl_db_copy_verify(dst, &m, NULL, &err) != 0)
			fail_msg("verify: %s", err.msg);
		if (ctl_db_check_paced(dst, 0, NULL, &err) != 0)
			fail_msg("quick_check: %s", err.msg);
		ctl_copy_made_free(&m);
	}
}

/*
 * The same on a loaded machine -- four busy loops beside the copy, the
 * log restarted every 20 ms -- where the watch's looks come late (in
 * session 9 every try lost the race): still only what changed.
 */
static void
test_copy_under_cpu_load(void **state)
{
	struct writer w = { .pause_us = 5000, .restart_s = 0.02 };
	struct burner b;
	struct ctl_copy_made m;
	long restarts;

	(void)state;
	burn_start(&b);
	restarts = copy_while_writing(&w, &m);
	burn_stop(&b);
	fprintf(stderr, "# loaded: %ld commits, %ld restarts; the moment read "
	    "%lld of %d pages (%llu frames followed, %llu generations "
	    "mended), took %lld again; %s\n", w.commits, restarts,
	    (long long)m.examined, m.pages, (unsigned long long)m.frames,
	    (unsigned long long)m.mended, (long long)m.rewritten,
	    m.whole ? m.whole : "from the log");
	check_copy(&m);
	assert_null(m.whole);
	assert_true(m.examined < m.pages);
	ctl_copy_made_free(&m);
}

static int
count_notes(void *ud, uint32_t salt1, uint32_t salt2, uint32_t page_size,
    const uint32_t *pages, uint32_t n)
{
	(void)salt1;
	(void)salt2;
	(void)page_size;
	(void)pages;
	assert_true(n > 0 && n != CKPTLOG_UNKNOWN);
	(*(int *)ud)++;
	return 0;
}

/* One transaction of the writer's kind on h. */
static void
commit_one(sqlite3 *h)
{
	exec_ok(h, "BEGIN IMMEDIATE; "
	    "INSERT INTO t (v) VALUES (randomblob(1000)); "
	    "UPDATE t SET v = randomblob(1000) WHERE id = "
	    "  (SELECT abs(random()) % max(id) + 1 FROM t); "
	    "UPDATE n SET rows = (SELECT count(*) FROM t); COMMIT");
}

static void
restart_log(sqlite3 *h)
{
	assert_int_equal(sqlite3_wal_checkpoint_v2(h, NULL,
	    SQLITE_CHECKPOINT_RESTART, NULL, NULL), SQLITE_OK);
}

/* The database file's bytes (len: its size). */
static unsigned char *
file_bytes(const char *path, size_t *len)
{
	struct stat sb;
	unsigned char *b;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	*len = (size_t)sb.st_size;
	b = malloc(*len + 1);
	assert_non_null(b);
	assert_int_equal(pread(fd, b, *len, 0), (ssize_t)*len);
	close(fd);
	return b;
}

/*
 * The watch, looking only before and after the log restarted three times
 * (h: the writer, noting or not): the generations between are gaps.
 * Returns the watch after its last look; *before the file at its start.
 */
static struct wal_watch *
watch_three_restarts(sqlite3 *h, unsigned char **before, size_t *len)
{
	struct wal_watch *w = NULL;
	struct hr_error err;
	int page_size = (int)tdb_path_int(src, "PRAGMA page_size");

	exec_ok(h, "PRAGMA wal_autocheckpoint=0");
	commit_one(h);
	restart_log(h);
	*before = file_bytes(src, len);
	hr_error_clear(&err);
	assert_int_equal(wal_watch_open(&w, src, page_size, &err), 0);
	wal_watch_poll(w);
	for (int i = 0; i < 3; i++) {
		commit_one(h);           /* writes the log from its start */
		restart_log(h);          /* into the file: may restart */
	}
	commit_one(h);
	wal_watch_poll(w);
	return w;
}

static void
test_watch_mends_gaps(void **state)
{
	struct db_ckptlog notes;
	struct wal_watch *w;
	struct hr_error err;
	unsigned char *before, *after;
	size_t len, len2, page_size;
	const char *why;
	sqlite3 *h;

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(db_ckptlog_hold(&notes, src, &err), 0);
	h = open_src_noting();
	w = watch_three_restarts(h, &before, &len);
	assert_false(wal_watch_complete(w, &why));
	wal_watch_mend(w, &notes);
	assert_true(wal_watch_complete(w, &why));
	assert_true(wal_watch_mended(w) >= 3);
	/* Every page the checkpoints changed in the file is known. */
	restart_log(h);
	after = file_bytes(src, &len2);
	page_size = (size_t)tdb_path_int(src, "PRAGMA page_size");
	for (size_t pg = 1; pg * page_size <= len2; pg++)
		if (pg * page_size > len || memcmp(before + (pg - 1) *
		    page_size, after + (pg - 1) * page_size, page_size) != 0)
			assert_true(wal_watch_touched(w, (uint32_t)pg));
	free(before);
	free(after);
	wal_watch_close(w);
	sqlite3_close(h);
	db_ckptlog_release(&notes);
}

/* A checkpointer that does not note (the sqlite3 shell, an old server):
 * the gaps cannot be mended, and the watch says so. */
static void
test_watch_gap_unnoted(void **state)
{
	struct db_ckptlog notes;
	struct wal_watch *w;
	struct hr_error err;
	unsigned char *before;
	size_t len;
	const char *why;
	sqlite3 *h;

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(db_ckptlog_hold(&notes, src, &err), 0);
	h = open_src();
	w = watch_three_restarts(h, &before, &len);
	wal_watch_mend(w, &notes);
	assert_false(wal_watch_complete(w, &why));
	assert_non_null(strstr(why, "no checkpoint noted"));
	free(before);
	wal_watch_close(w);
	/* Nor without the notes held. */
	w = watch_three_restarts(h, &before, &len);
	wal_watch_mend(w, NULL);
	assert_false(wal_watch_complete(w, &why));
	free(before);
	wal_watch_close(w);
	sqlite3_close(h);
	db_ckptlog_release(&notes);
}

/* Bytes in DB-ckptlog now. */
static off_t
notes_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

/* Notes nobody holds (a backup killed, or done): the next checkpoint
 * empties them.  Two backups may hold them at once, each reading from its
 * own mark; a note that could not be written is seen by both. */
static void
test_notes_stale_and_shared(void **state)
{
	struct db_ckptlog a, b;
	struct hr_error err;
	char path[160];
	sqlite3 *h;
	int fd, calls = 0;

	(void)state;
	snprintf(path, sizeof path, "%s%s", src, CKPTLOG_SUFFIX);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "stale", 5), 5);
	close(fd);
	h = open_src_noting();
	exec_ok(h, "PRAGMA wal_autocheckpoint=0");
	commit_one(h);
	restart_log(h);
	assert_int_equal(notes_size(path), 0);
	hr_error_clear(&err);
	assert_int_equal(db_ckptlog_hold(&a, src, &err), 0);
	commit_one(h);
	restart_log(h);
	assert_int_equal(db_ckptlog_hold(&b, src, &err), 0);
	commit_one(h);
	restart_log(h);
	assert_true(notes_size(path) > 40);       /* held: kept, noted */
	assert_int_equal(db_ckptlog_read(&a, count_notes, &calls, &err), 0);
	assert_int_equal(calls, 2);
	calls = 0;
	assert_int_equal(db_ckptlog_read(&b, count_notes, &calls, &err), 0);
	assert_int_equal(calls, 1);
	/* A note that failed empties the file: neither trusts it. */
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(db_ckptlog_read(&a, count_notes, &calls, &err), -1);
	assert_int_equal(db_ckptlog_read(&b, count_notes, &calls, &err), -1);
	db_ckptlog_release(&a);
	db_ckptlog_release(&b);
	commit_one(h);
	restart_log(h);
	assert_int_equal(notes_size(path), 0);    /* let go: emptied */
	sqlite3_close(h);
}

/* A page of the copy changed after it was written: the verification
 * names it. */
static void
test_verify_finds_a_changed_page(void **state)
{
	struct ctl_copy_made m;
	struct hr_error err;
	char byte = 0x5a;
	int fd, page_size;

	(void)state;
	unlink(dst);
	copy_paced(0.2, 0, &m);
	hr_error_clear(&err);
	assert_int_equal(ctl_db_copy_verify(dst, &m, NULL, &err), 0);
	page_size = (int)tdb_path_int(dst, "PRAGMA page_size");
	fd = open(dst, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &byte, 1, (off_t)page_size * 3 + 100), 1);
	close(fd);
	assert_int_equal(ctl_db_copy_verify(dst, &m, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "page 4 "));
	ctl_copy_made_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_quiet),
		cmocka_unit_test(test_copy_while_writing),
		cmocka_unit_test(test_copy_reads_what_changed),
		cmocka_unit_test(test_copy_under_cpu_load),
		cmocka_unit_test(test_watch_mends_gaps),
		cmocka_unit_test(test_watch_gap_unnoted),
		cmocka_unit_test(test_notes_stale_and_shared),
		cmocka_unit_test(test_verify_finds_a_changed_page),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
