/*
 * cmd_restore.c — hromadactl restore FILE: put a backup in place of the
 * database.
 *
 * In this order, so that every failure leaves the old database working:
 *   1. FILE must pass PRAGMA integrity_check and hold a server key;
 *   2. take the database lock hromadad holds while it runs (daemon.h):
 *      a running server makes restore refuse;
 *   3. fold the old database's -wal into it and remove -wal and -shm
 *      (a stale WAL must never be replayed into the restored file);
 *   4. copy FILE next to the database (same file system), fsync, and
 *      the scans it names from FILE's store (FILE.files) into the copy's
 *      (DB.restoring.files), each hashed as written (ctl/copy_files.c);
 *   5. move the old store aside as DB.bak.files and the new one to its
 *      place, then keep the old database as DB.bak (a hard link) and
 *      rename the copy over DB — one atomic step, there is always a
 *      database at DB; a failure puts the old store back;
 *   6. record the restore in the restored database's audit log; uploads
 *      that were on their way when FILE was made are dropped (their
 *      partial files are not in a backup: the clients send them again).
 * The old database and its scans stay together as DB.bak and
 * DB.bak.files, so `hromadactl restore DB.bak` undoes a restore.
 */
#include "ctl/ctl.h"
#include "db/durable.h"
#include "db/filestore.h"
#include "db/tickets.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESTORE_PATH_MAX 4096

/* Does FILE look like a Hromada database (it has a server key)? */
static int
restore_check_keys(const char *path, struct hr_error *err)
{
	sqlite3 *h = NULL;
	int n = 0, rc;

	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "SELECT 1 FROM server_keys LIMIT 1",
		    NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_stmt *st = NULL;

		if (sqlite3_prepare_v2(h, "SELECT count(*) FROM server_keys",
		    -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
	if (rc != SQLITE_OK || n == 0)
		return hr_errorf(err, HR_E_INVALID, "ctl.not_hromada",
		    "{file} is not a Hromada database (no server key)",
		    HR_STR("file", path));
	return 0;
}

/* Lock like hromadad; -1 (HR_E_BUSY) while a server runs on the file. */
static int
restore_lock(const char *db, int *fd, struct hr_error *err)
{
	*fd = open(db, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT ? 0 : hr_errorf(err, HR_E_IO,
		    "file.error", "{file}: {reason}", HR_STR("file", db),
		    HR_STR("reason", strerror(errno)));
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	close(*fd);
	*fd = -1;
	return hr_errorf(err, HR_E_BUSY, "ctl.db_in_use", "{file} is in use by "
	    "a running hromadad; stop it first (systemctl stop hromadad)",
	    HR_STR("file", db));
}

/* Fold the WAL into the old database, then remove -wal and -shm. */
static int
restore_settle_old(const char *db, struct hr_error *err)
{
	char side[RESTORE_PATH_MAX + 8];
	sqlite3 *h = NULL;
	int rc;

	if (access(db, F_OK) != 0)
		return 0;
	rc = sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
		    NULL, NULL);
	if (rc != SQLITE_OK) {
		hr_errorf(err, HR_E_IO, "ctl.checkpoint", "cannot checkpoint "
		    "{file}: {reason}", HR_STR("file", db), HR_STR("reason", h ?
		    sqlite3_errmsg(h) : "out of memory"));
		sqlite3_close(h);
		return -1;
	}
	sqlite3_close(h);
	snprintf(side, sizeof side, "%s-wal", db);
	(void)unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	(void)unlink(side);
	return 0;
}

/*
 * The copy gets the owner of the old database (hromadad's user), or of
 * its directory when there is none, and mode 0600.
 */
static void
restore_owner(const char *db, const char *copy)
{
	struct stat st;
	char *d = strdup(db);
	int found = stat(db, &st) == 0 ||
	    (d != NULL && stat(dirname(d), &st) == 0);

	free(d);
	if (found && geteuid() == 0)
		(void)chown(copy, st.st_uid, st.st_gid);
	(void)chmod(copy, 0600);
}

/* The names restore works with. */
struct restore_names {
	char  copy[RESTORE_PATH_MAX + 16];   /* DB.restoring */
	char  bak[RESTORE_PATH_MAX + 8];     /* DB.bak */
	char *files, *copy_files, *bak_files; /* their stores */
};

static void
restore_names_free(struct restore_names *r)
{
	free(r->files);
	free(r->copy_files);
	free(r->bak_files);
}

static int
restore_names(struct restore_names *r, const char *db)
{
	snprintf(r->copy, sizeof r->copy, "%s.restoring", db);
	snprintf(r->bak, sizeof r->bak, "%s.bak", db);
	r->files = hr_store_dir_for_db(db);
	r->copy_files = hr_store_dir_for_db(r->copy);
	r->bak_files = hr_store_dir_for_db(r->bak);
	if (r->files == NULL || r->copy_files == NULL || r->bak_files == NULL) {
		restore_names_free(r);
		return -1;
	}
	return 0;
}

/* Does our copy at path record any scans?  1 yes, 0 no (or no table). */
static int
restore_needs_files(const char *path, struct hr_error *err)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int n = 0;

	(void)err;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "SELECT EXISTS (SELECT 1 FROM files)", -1,
	    &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/* Keep the old database as DB.bak (a hard link), then rename over DB. */
static int
restore_swap(const char *db, const char *copy, const char *bak,
    struct hr_error *err)
{
	if (access(db, F_OK) == 0) {
		if (unlink(bak) != 0 && errno != ENOENT)
			return hr_errorf(err, HR_E_IO, "io.remove", "cannot "
			    "remove the old {file}: {reason}", HR_STR("file",
			    bak), HR_STR("reason", strerror(errno)));
		if (link(db, bak) != 0)
			return hr_errorf(err, HR_E_IO, "io.rename", "cannot "
			    "keep {file} as {to}: {reason}", HR_STR("file", db),
			    HR_STR("to", bak), HR_STR("reason",
			    strerror(errno)));
	}
	if (rename(copy, db) != 0)
		return hr_errorf(err, HR_E_IO, "io.rename", "cannot rename "
		    "{file} to {to}: {reason}", HR_STR("file", copy),
		    HR_STR("to", db), HR_STR("reason", strerror(errno)));
	(void)db_fsync_dir(db, &(struct hr_error){ 0 });
	return 0;
}

/* The scans `copy` names, from FILE's store into copy's. */
static int
restore_files(const char *file, const char *copy, int64_t *n, int64_t *bytes,
    struct hr_error *err)
{
	struct hr_store from, to;
	int rc;

	*n = *bytes = 0;
	if (hr_store_open(&from, file, 0, err) < 0) {
		/* A backup from before the scans, or one without any. */
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		memset(&from, 0, sizeof from);
		from.fd = from.partial_fd = -1;
	}
	if (hr_store_open(&to, copy, 1, err) < 0) {
		hr_store_close(&from);
		return -1;
	}
	rc = from.fd < 0 ? 0 : ctl_files_copy(copy, &from, &to, NULL, n, bytes,
	    err);
	if (rc == 0 && from.fd < 0 && restore_needs_files(copy, err) != 0)
		rc = hr_errorf(err, HR_E_NOT_FOUND, "ctl.backup_files",
		    "the backup's scans are missing: {file} was made with a "
		    "directory of them beside it", HR_STR("file", file));
	hr_store_close(&from);
	hr_store_close(&to);
	return rc;
}

/* Old store -> DB.bak.files, the new one -> the store's place; undone
 * when `undo`. */
static int
restore_swap_files(const struct restore_names *r, int undo,
    struct hr_error *err)
{
	struct stat st;

	if (undo) {
		(void)rename(r->files, r->copy_files);
		if (lstat(r->bak_files, &st) == 0)
			(void)rename(r->bak_files, r->files);
		return 0;
	}
	if (ctl_store_discard(r->bak_files, err) < 0)
		return -1;
	if (lstat(r->files, &st) == 0 && rename(r->files, r->bak_files) != 0)
		return hr_errorf(err, HR_E_IO, "io.rename", "cannot keep {file} "
		    "as {to}: {reason}", HR_STR("file", r->files),
		    HR_STR("to", r->bak_files), HR_STR("reason",
		    strerror(errno)));
	if (rename(r->copy_files, r->files) != 0) {
		hr_errorf(err, HR_E_IO, "io.rename", "cannot rename {file} to "
		    "{to}: {reason}", HR_STR("file", r->copy_files),
		    HR_STR("to", r->files), HR_STR("reason", strerror(errno)));
		if (lstat(r->bak_files, &st) == 0)
			(void)rename(r->bak_files, r->files);
		return -1;
	}
	(void)db_fsync_dir(r->files, &(struct hr_error){ 0 });
	return 0;
}

static int
restore_run(const char *db, const char *file, int *pages, int64_t *nfiles,
    int64_t *bytes, struct hr_error *err)
{
	struct restore_names r;
	int rc;

	if (strlen(db) > RESTORE_PATH_MAX)
		return hr_errorf(err, HR_E_USAGE, "ctl.path_long", "database "
		    "path too long");
	if (restore_names(&r, db) < 0)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	/* Left by an interrupted restore. */
	(void)unlink(r.copy);
	rc = ctl_store_discard(r.copy_files, err);
	if (rc == 0)
		rc = restore_settle_old(db, err);
	if (rc == 0)
		rc = ctl_db_copy(file, r.copy, pages, err);
	if (rc == 0) {
		restore_owner(db, r.copy);
		rc = restore_files(file, r.copy, nfiles, bytes, err);
	}
	if (rc == 0)
		rc = restore_swap_files(&r, 0, err);
	if (rc == 0 && (rc = restore_swap(db, r.copy, r.bak, err)) < 0)
		restore_swap_files(&r, 1, NULL);
	if (rc < 0) {
		unlink(r.copy);
		(void)ctl_store_discard(r.copy_files, NULL);
	}
	restore_names_free(&r);
	return rc;
}

static int
cmd_restore_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct hr_db *db;
	char detail[768];
	int64_t nfiles = 0, bytes = 0;
	int pages = 0, fd = -1, rc;

	if (argc != 2 || argv[1][0] == '-')
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "restore "
		    "wants one FILE");
	if (ctl_db_check(argv[1], err) < 0 ||
	    restore_check_keys(argv[1], err) < 0 ||
	    restore_lock(ctx->db_path, &fd, err) < 0)
		return -1;
	rc = restore_run(ctx->db_path, argv[1], &pages, &nfiles, &bytes, err);
	snprintf(detail, sizeof detail, "from %s (%d pages, %lld scans of "
	    "%lld bytes); the previous database is %s.bak", argv[1], pages,
	    (long long)nfiles, (long long)bytes, ctx->db_path);
	/* The copy holds the tickets of its day, some since revoked (logout,
	 * disable, a new password): nobody resumes into a restored database.
	 * Its uploads on their way have no partial files here. */
	if (rc == 0 && (rc = ctl_open(ctx, &db, err)) == 0) {
		rc = db_ticket_revoke_all(db, err);
		if (rc == 0)
			rc = db_exec(db, "DELETE FROM uploads", "drop the "
			    "uploads of the backup", err);
		if (rc == 0)
			rc = ctl_audit(db, "restore", "database", detail, err);
		db_close(db);
	}
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		printf(_("Restored %s %s\n"), ctx->db_path, detail);
	return rc;
}

const struct ctl_cmd ctl_cmd_restore = {
	"restore", cmd_restore_exec, "FILE",
	N_("Replace the database with a backup (server stopped)"),
	N_("Checks FILE (PRAGMA integrity_check, a server key), refuses while\n"
	"hromadad runs on the database, copies FILE next to the database and\n"
	"the scans it names from FILE.files beside it (each hashed as\n"
	"written), renames both into place, keeping the old database and\n"
	"its scans as DB.bak and DB.bak.files, and records the restore in\n"
	"the audit log.  Start hromadad again afterwards.\n"),
};
