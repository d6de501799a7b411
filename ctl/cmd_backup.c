/*
 * cmd_backup.c — hromadactl backup FILE: a consistent copy of the live
 * database, safe while hromadad runs (ctl/copy.c explains how).
 *
 * The copy is checked (PRAGMA integrity_check) and only then given its
 * name; the audit log of the live database records that it was made.
 */
#include "ctl/ctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
cmd_backup_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct hr_db *db;
	struct stat st;
	char *tmp, detail[512];
	int pages = 0, rc;

	if (argc != 2 || argv[1][0] == '-')
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "backup "
		    "wants one FILE");
	if (access(ctx->db_path, R_OK) != 0)
		return hr_errorf(err, HR_E_IO, "ctl.db_read", "cannot read "
		    "{file} (run as the database's owner or root)",
		    HR_STR("file", ctx->db_path));
	if (lstat(argv[1], &st) == 0)
		return hr_errorf(err, HR_E_IO, "file.exists", "{file} exists "
		    "already; choose a new name", HR_STR("file", argv[1]));
	if ((tmp = malloc(strlen(argv[1]) + 16)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	sprintf(tmp, "%s.partial", argv[1]);
	rc = ctl_db_copy(ctx->db_path, tmp, &pages, err);
	if (rc == 0 && (rc = ctl_db_check(tmp, err)) < 0)
		unlink(tmp);
	if (rc == 0 && link(tmp, argv[1]) != 0)       /* never replaces */
		rc = hr_errorf(err, HR_E_IO, "ctl.backup_name", "cannot name "
		    "the backup {file}: {reason}", HR_STR("file", argv[1]),
		    HR_STR("reason", strerror(errno)));
	unlink(tmp);
	free(tmp);
	if (rc < 0)
		return -1;
	snprintf(detail, sizeof detail, "%s: %d pages", argv[1], pages);
	printf(_("Backup written: %s (checked)\n"), detail);
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = ctl_audit(db, "backup", "database", detail, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_backup = {
	"backup", cmd_backup_exec, "FILE",
	N_("Copy the live database consistently (while the server runs)"),
	N_("Writes FILE (mode 0600; an existing FILE is never replaced) with\n"
	"SQLite's online backup API from one read transaction, so the copy\n"
	"is the database at one moment even while hromadad commits, checks\n"
	"it with PRAGMA integrity_check and records the backup in the audit\n"
	"log.  Restore it with hromadactl restore FILE.  Never copy the\n"
	"database with cp: its -wal file holds the latest commits.\n"),
};
