/*
 * copy_files.c — the scans of a database copy (backup and restore): the
 * file store beside a database (db/filestore.h) copied with it.
 *
 * A copy of the database names the files it needs in its `files` table;
 * exactly those are copied, each hashed as written, so a backup never
 * carries a damaged scan and a restore never puts one back.  A copy is
 * consistent when the files are copied from a store no gc can shrink
 * meanwhile: backup holds the store's shared lock from before its
 * database snapshot to its last file (hr_store_lock).  Paced (backup),
 * each file is forced to the disk before the next and the pacer pauses
 * between them (ctl/pace.h), so a server's fsync never queues behind
 * more than one scan.
 */
#define _XOPEN_SOURCE 700      /* nftw */
#include "ctl/ctl.h"

#include <errno.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl/pace.h"
#include "db/filestore.h"

static int
files_read_err(sqlite3 *h, const char *path, struct hr_error *err)
{
	return hr_errorf(err, HR_E_IO, "ctl.files_read", "cannot read the "
	    "list of scans in {file}: {reason}", HR_STR("file", path),
	    HR_STR("reason", h ? sqlite3_errmsg(h) : "out of memory"));
}

/* Bytes of the scans the copy names, for the pacer's estimate. */
static uint64_t
files_total(sqlite3 *h)
{
	sqlite3_stmt *st = NULL;
	uint64_t total = 0;

	if (sqlite3_prepare_v2(h, "SELECT coalesce(sum(size), 0) FROM files",
	    -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		total = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return total;
}

int
ctl_files_copy(const char *rows_db, struct hr_store *from,
    struct hr_store *to, struct ctl_pace *pace, int64_t *n, int64_t *bytes,
    struct hr_error *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc, step;

	*n = *bytes = 0;
	/* Our own copy, opened for writing (nothing is written) so that
	 * closing it leaves no -wal and -shm files behind. */
	rc = sqlite3_open_v2(rows_db, &h, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h, "SELECT hash FROM files ORDER BY "
		    "hash", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		/* A database from before the scans has no files table. */
		int none = h != NULL && strstr(sqlite3_errmsg(h),
		    "no such table") != NULL;

		if (!none)
			files_read_err(h, rows_db, err);
		sqlite3_close(h);
		return none ? 0 : -1;
	}
	rc = 0;
	if (pace != NULL)
		pace_phase(pace, _("copying the scans"), files_total(h));
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(st, 0);
		uint64_t size = 0;
		double t0 = pace_work_now();

		if (b == NULL || sqlite3_column_bytes(st, 0) !=
		    (int)HR_FILE_HASH_LEN)
			continue;       /* the schema's CHECK keeps this out */
		rc = hr_store_copy_in(to, from, b, pace != NULL, &size, err);
		if (rc == 0) {
			(*n)++;
			*bytes += (int64_t)size;
			if (pace != NULL)
				pace_step(pace, size, pace_work_now() - t0);
		}
	}
	if (pace != NULL)
		(void)pace_end(pace);
	if (rc == 0 && step != SQLITE_DONE)
		rc = files_read_err(h, rows_db, err);
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (rc == 0)
		rc = hr_store_sync(to, err);
	return rc;
}

static int
discard_one(const char *path, const struct stat *sb, int type,
    struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int
ctl_store_discard(const char *dir, struct hr_error *err)
{
	struct stat sb;

	if (lstat(dir, &sb) != 0 && errno == ENOENT)
		return 0;
	if (nftw(dir, discard_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return hr_errorf(err, HR_E_IO, "io.remove", "cannot remove the "
		    "old {file}: {reason}", HR_STR("file", dir),
		    HR_STR("reason", strerror(errno)));
	return 0;
}
