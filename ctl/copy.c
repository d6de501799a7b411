/*
 * copy.c — consistent copies of a live database (backup and restore).
 *
 * Never cp: a WAL database is the main file *and* its -wal, and a copy
 * taken while the server commits can be torn (PITFALLS.md).  The online
 * backup API copies pages from one read transaction, so the copy is the
 * database as of one moment.  Holding that transaction across the chunked
 * steps matters: without it every commit of the server would restart the
 * backup from page 1, and a busy server could keep a backup from ever
 * finishing.  In WAL mode the held read transaction does not block the
 * server's writers; it only keeps checkpoints from passing our snapshot
 * until we are done.
 *
 * A paced copy (ctl_db_copy_paced, pace.h) is a good neighbour to the
 * server: the copy is written without SQLite's own journal and fsyncs
 * (it is a new file that nobody reads until it is finished, checked and
 * renamed), and after each step its pages are forced out to the disk
 * (sync_file_range), so at most one step of dirty data ever stands between
 * a server fsync and the disk -- not the gigabytes the kernel would write
 * back in bursts.  Then the pacer pauses.  The copy's pages stay in the
 * page cache, clean, for its verification (integrity_check walks the
 * B-trees: from the disk that is random reads, ten times slower); the
 * backup command drops them after that.
 */
#include "config.h"              /* _GNU_SOURCE: sync_file_range */

#include "ctl/ctl.h"
#include "ctl/pace.h"
#include "db/durable.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define COPY_PAGES_PER_STEP 256       /* 1 MiB with 4 KiB pages */
#define COPY_BUSY_SLEEP_MS  20
#define COPY_BUSY_MAX_MS    60000     /* a lock held longer is a failure */
#define COPY_TIMEOUT_MS     5000      /* sqlite3_busy_timeout of the source */
#define COPY_STEP_BYTES     (4 << 20) /* a paced step: 4 MiB */
#define COPY_DEST_CACHE     "-2048"   /* KiB of the copy's own page cache */
#define COPY_CHECK_OPS      10000     /* VM steps between verify pauses */
/*
 * Verifying: PRAGMA integrity_check looks every row of every table up in
 * each of its indexes.  Through SQLite's default 2 MiB cache each lookup
 * is a pread of pages the kernel holds anyway: at national size (4.6 GiB,
 * 24 indexes) that read 93 GB.  The file being checked is new and nobody
 * writes it, so a large cache stays valid the whole check and the file
 * can be mapped read-only (SQLite maps at most 2 GiB less 64 KiB of it).
 */
#define COPY_CHECK_CACHE    "-262144"  /* KiB: 256 MiB */
#define COPY_CHECK_MMAP     "2147418112"

static void
copy_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
copy_fail(sqlite3 *h, const char *path, const char *what,
    struct hr_error *err)
{
	return hr_errorf(err, HR_E_IO, "ctl.sqlite", "{label} {file}: {reason}",
	    HR_STR("label", what), HR_STR("file", path), HR_STR("reason", h ?
	    sqlite3_errmsg(h) : "out of memory"));
}

/*
 * Paced: force the copy's pages written so far out to the disk (fd is the
 * copy).  Errors only cost pacing.
 */
static void
copy_flush_step(int fd)
{
	if (fd < 0)
		return;
#ifdef SYNC_FILE_RANGE_WRITE
	(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE |
	    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
#else
	(void)fdatasync(fd);
#endif
}

/*
 * The pages, in chunks; a busy source is retried, up to a limit.  Paced
 * (pace != NULL): flush each step, then let the pacer pause.
 */
static int
copy_steps(sqlite3_backup *b, const char *src, struct ctl_pace *pace,
    int fd, int page_size, struct hr_error *err)
{
	int waited = 0, rc, step = COPY_PAGES_PER_STEP, before, after;
	double t;

	if (pace != NULL && page_size > 0)
		step = COPY_STEP_BYTES / page_size;
	for (;;) {
		before = sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b);
		t = pace_work_now();
		rc = sqlite3_backup_step(b, step);
		if (pace != NULL && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
			if (pace->total == 0)
				pace->total = (uint64_t)sqlite3_backup_pagecount(b) *
				    (uint64_t)page_size;
			after = sqlite3_backup_pagecount(b) -
			    sqlite3_backup_remaining(b);
			copy_flush_step(fd);
			pace_step(pace, (uint64_t)(after - before) *
			    (uint64_t)page_size, pace_work_now() - t);
		}
		if (rc == SQLITE_DONE)
			return 0;
		if (rc == SQLITE_OK)
			continue;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    waited < COPY_BUSY_MAX_MS) {
			copy_sleep_ms(COPY_BUSY_SLEEP_MS);
			waited += COPY_BUSY_SLEEP_MS;
			continue;
		}
		return hr_errorf(err, rc == SQLITE_BUSY ? HR_E_BUSY : HR_E_IO,
		    "ctl.copy", "copying {file}: {reason}", HR_STR("file", src),
		    HR_STR("reason", sqlite3_errstr(rc)));
	}
}

/* Make the new file ourselves so it is 0600 from the first byte. */
static int
copy_create(const char *dst, struct hr_error *err)
{
	int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return (errno == EEXIST ? hr_errorf(err, HR_E_IO, "file.exists",
		    "{file} exists already; choose a new name", HR_STR("file",
		    dst)) : hr_errorf(err, HR_E_IO, "io.create", "cannot "
		    "create {file}: {reason}", HR_STR("file", dst),
		    HR_STR("reason", strerror(errno))));
	close(fd);
	return 0;
}

/* One integer from a PRAGMA; -1 when it fails. */
static int
copy_pragma_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Read transaction on the source, backup, end of the transaction. */
static int
copy_run(sqlite3 *s, sqlite3 *d, const char *src, const char *dst,
    int *pages, struct ctl_pace *pace, struct hr_error *err)
{
	sqlite3_backup *b;
	int rc, fd = -1;

	if (sqlite3_exec(s, "BEGIN; SELECT count(*) FROM sqlite_schema",
	    NULL, NULL, NULL) != SQLITE_OK)
		return copy_fail(s, src, HR_MSGID("cannot read"), err);
	/* A new file nobody reads before it is checked: no journal, no
	 * fsyncs of SQLite's; a small cache so pages reach the file (and
	 * our flush) step by step. */
	if (pace != NULL && (sqlite3_exec(d, "PRAGMA journal_mode=OFF; "
	    "PRAGMA synchronous=OFF; PRAGMA cache_size=" COPY_DEST_CACHE,
	    NULL, NULL, NULL) != SQLITE_OK ||
	    (fd = open(dst, O_WRONLY | O_CLOEXEC)) < 0)) {
		(void)sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
		return copy_fail(d, dst, HR_MSGID("cannot prepare"), err);
	}
	if ((b = sqlite3_backup_init(d, "main", s, "main")) == NULL) {
		rc = copy_fail(d, src, HR_MSGID("cannot start copying"), err);
	} else {
		rc = copy_steps(b, src, pace, fd, copy_pragma_int(s,
		    "PRAGMA page_size"), err);
		*pages = sqlite3_backup_pagecount(b);
		if (sqlite3_backup_finish(b) != SQLITE_OK && rc == 0)
			rc = copy_fail(d, src, HR_MSGID("cannot finish copying"), err);
	}
	(void)sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
ctl_db_copy(const char *src, const char *dst, int *pages, struct hr_error *err)
{
	return ctl_db_copy_paced(src, dst, pages, NULL, err);
}

int
ctl_db_copy_paced(const char *src, const char *dst, int *pages,
    struct ctl_pace *pace, struct hr_error *err)
{
	sqlite3 *s = NULL, *d = NULL;
	int rc;

	*pages = 0;
	if (copy_create(dst, err) < 0)
		return -1;
	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		rc = copy_fail(s, src, HR_MSGID("cannot open"), err);
	else if (sqlite3_open_v2(dst, &d, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		rc = copy_fail(d, dst, HR_MSGID("cannot open"), err);
	else {
		sqlite3_busy_timeout(s, COPY_TIMEOUT_MS);
		rc = copy_run(s, d, src, dst, pages, pace, err);
	}
	sqlite3_close(s);
	/* Closing the copy checkpoints it into one self-contained file. */
	if (sqlite3_close(d) != SQLITE_OK && rc == 0)
		rc = hr_errorf(err, HR_E_IO, "io.close", "cannot close {file}",
		    HR_STR("file", dst));
	if (rc == 0)
		rc = db_fsync_file(dst, err);
	if (rc < 0)
		unlink(dst);
	return rc;
}

/* Verifying under a pacer: pause when the CPU share is used up. */
static int
copy_check_tick(void *ud)
{
	pace_tick(ud, 0);
	return 0;
}

int
ctl_db_check(const char *path, struct hr_error *err)
{
	return ctl_db_check_paced(path, NULL, err);
}

int
ctl_db_check_paced(const char *path, struct ctl_pace *pace,
    struct hr_error *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	const char *res;
	int rc;

	if (access(path, R_OK) != 0)
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", path), HR_STR("reason", strerror(errno)));
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA cache_size=" COPY_CHECK_CACHE
		    "; PRAGMA mmap_size=" COPY_CHECK_MMAP, NULL, NULL, NULL);
	if (rc == SQLITE_OK && pace != NULL)
		sqlite3_progress_handler(h, COPY_CHECK_OPS, copy_check_tick, pace);
	if (rc != SQLITE_OK || sqlite3_prepare_v2(h, "PRAGMA integrity_check(1)",
	    -1, &st, NULL) != SQLITE_OK) {
		rc = copy_fail(h, path, HR_MSGID("cannot check"), err);
	} else if (sqlite3_step(st) != SQLITE_ROW) {
		rc = copy_fail(h, path, HR_MSGID("cannot check"), err);
	} else {
		res = (const char *)sqlite3_column_text(st, 0);
		rc = res != NULL && strcmp(res, "ok") == 0 ? 0 :
		    hr_errorf(err, HR_E_INVALID, "ctl.integrity", "{file} "
		    "fails the integrity check: {reason}", HR_STR("file", path),
		    HR_STR("reason", res ? res : "?"));
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return rc;
}
