/*
 * cmd_backup.c — hromadactl backup [--rate MB] [--share PCT] [--quiet] FILE:
 * a consistent copy of the live database, safe while hromadad runs
 * (ctl/copy.c explains how: a paced copy of the file, then the pages
 * changed meanwhile from one short read transaction), paced so that
 * clerks keep their latency (ctl/pace.h), with an estimate, progress, and
 * a verified result.
 *
 * Verified means, before the copy gets its name: every page read back
 * from the disk hashes as it was written (ctl_db_copy_verify), the copy
 * passes PRAGMA quick_check (--full-check: integrity_check) and its audit
 * log's hash chain verifies; its audit head (the newest record, ID:HASH)
 * is printed and recorded with the backup in the live database's audit
 * log, so the copy is anchored in the live chain.
 *
 * The scans go with it (ctl/copy_files.c) into the directory named for
 * FILE as the store is named for the database (FILE.db -> FILE.files,
 * db/filestore.h): exactly the files the copy's rows name, each hashed as
 * written and paced like the database.  The store's shared lock is taken
 * before the database is copied and kept to the last file, so a `files
 * gc` cannot remove a file the copy names; files the server stores
 * meanwhile are not in the copy and not copied.  The scans' directory
 * gets its name before FILE does; neither replaces anything.
 */
#define _GNU_SOURCE            /* renameat2 */
#include "ctl/ctl.h"
#include "ctl/pace.h"
#include "db/audit.h"
#include "db/filestore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct backup_opts {
	const char *file;
	double      rate;           /* bytes/s, 0: no cap */
	double      share;          /* 0 < share <= 1 */
	double      deadline;       /* seconds; 0: none */
	int         quiet;
	int         full_check;     /* integrity_check, not quick_check */
};

/* Idle work still going this long after the start goes on at nice 19. */
#define BACKUP_DEADLINE_MIN 30

/* The names a backup writes under and ends with. */
struct backup_names {
	char *tmp;                  /* FILE.partial */
	char *files;                /* FILE's scans */
	char *tmp_files;            /* FILE.partial's scans */
};

static void
backup_names_free(struct backup_names *n)
{
	free(n->tmp);
	free(n->files);
	free(n->tmp_files);
}

static int
backup_names(const char *file, struct backup_names *n, struct hr_error *err)
{
	struct stat st;

	memset(n, 0, sizeof *n);
	if ((n->tmp = malloc(strlen(file) + 16)) != NULL)
		sprintf(n->tmp, "%s.partial", file);
	n->files = hr_store_dir_for_db(file);
	n->tmp_files = n->tmp ? hr_store_dir_for_db(n->tmp) : NULL;
	if (n->tmp == NULL || n->files == NULL || n->tmp_files == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (lstat(file, &st) == 0)
		return hr_errorf(err, HR_E_IO, "file.exists", "{file} exists "
		    "already; choose a new name", HR_STR("file", file));
	if (lstat(n->files, &st) == 0)
		return hr_errorf(err, HR_E_IO, "file.exists", "{file} exists "
		    "already; choose a new name", HR_STR("file", n->files));
	return 0;
}

/* Rename a directory without replacing one that appeared meanwhile. */
static int
backup_rename_dir(const char *from, const char *to, struct hr_error *err)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	return hr_errorf(err, HR_E_IO, "ctl.backup_name", "cannot name the "
	    "backup {file}: {reason}", HR_STR("file", to),
	    HR_STR("reason", strerror(errno)));
}

/* The scans the copy `tmp` names, from the live store into tmp's. */
static int
backup_files(struct hr_store *live, const char *tmp, struct ctl_pace *pace,
    int64_t *n, int64_t *bytes, struct hr_error *err)
{
	struct hr_store to;
	int rc;

	if (hr_store_open(&to, tmp, 1, err) < 0)
		return -1;
	rc = ctl_files_copy(tmp, live, &to, pace, n, bytes, err);
	hr_store_close(&to);
	return rc;
}

static int
backup_number(const char *opt, const char *v, double lo, double hi,
    double *out, struct hr_error *err)
{
	char *end;
	double d = strtod(v, &end);

	if (*v == '\0' || *end != '\0' || !(d >= lo && d <= hi))
		return hr_errorf(err, HR_E_USAGE, "ctl.number_range", "{option} "
		    "wants a number from {min} to {max}, not \"{value}\"",
		    HR_STR("option", opt), HR_INT("min", (long long)lo),
		    HR_INT("max", (long long)hi), HR_STR("value", v));
	*out = d;
	return 0;
}

static int
backup_parse(int argc, char **argv, struct backup_opts *o,
    struct hr_error *err)
{
	const char *rate = NULL, *share = NULL, *deadline = NULL;
	double pct = 50, min = BACKUP_DEADLINE_MIN;
	int r;

	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		if ((r = ctl_opt_value(argc, argv, &i, "--rate", &rate, err)) != 0 ||
		    (r = ctl_opt_value(argc, argv, &i, "--share", &share,
		    err)) != 0 || (r = ctl_opt_value(argc, argv, &i,
		    "--deadline", &deadline, err)) != 0) {
			if (r < 0)
				return -1;
			continue;
		}
		if (strcmp(argv[i], "--quiet") == 0)
			o->quiet = 1;
		else if (strcmp(argv[i], "--full-check") == 0)
			o->full_check = 1;
		else if (argv[i][0] == '-' || o->file != NULL)
			return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "backup "
			    "wants [--rate MB] [--share PERCENT] [--deadline "
			    "MINUTES] [--full-check] [--quiet] FILE");
		else
			o->file = argv[i];
	}
	if (o->file == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "backup "
		    "wants one FILE");
	if (rate != NULL && backup_number("--rate", rate, 1, 100000, &o->rate,
	    err) < 0)
		return -1;
	o->rate *= 1e6;
	if (share != NULL && backup_number("--share", share, 1, 100, &pct,
	    err) < 0)
		return -1;
	o->share = pct / 100;
	if (deadline != NULL && backup_number("--deadline", deadline, 0,
	    100000, &min, err) < 0)
		return -1;
	o->deadline = min * 60;
	return 0;
}

/*
 * The copy's own audit chain, and its head (the anchor recorded in the
 * live log).
 */
static int
backup_verify_audit(const char *path, char head[DB_AUDIT_HEAD_MAX],
    int64_t *records, struct hr_error *err)
{
	struct hr_db *db;
	int rc;

	if (db_open(&db, path, HR_DB_READONLY, err) < 0)
		return -1;
	rc = db_audit_verify(db, records, err);
	if (rc == 0)
		rc = db_audit_head(db, head, err);
	db_close(db);
	if (rc < 0)
		return hr_error_prefix(err, "the copy {file}", HR_STR("file",
		    path));
	return 0;
}

/*
 * Reading the copy (a WAL database) made an empty -wal and a -shm beside
 * it that a read-only connection cannot remove; all of the copy is in the
 * file itself.
 */
static void
backup_drop_sidecars(const char *path)
{
	char side[4096];
	struct stat st;

	snprintf(side, sizeof side, "%s-wal", path);
	if (stat(side, &st) == 0 && st.st_size == 0)
		(void)unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	(void)unlink(side);
}

/* What a backup made, for its record. */
struct backup_made {
	int     pages;
	char    head[DB_AUDIT_HEAD_MAX];
	int64_t records, scans, bytes;
};

/* What the moment did, on standard error. */
static void
backup_say_moment(const struct ctl_copy_made *c)
{
	if (c->whole == NULL)
		fprintf(stderr, _("one moment of the database held for %.1f s: "
		    "%lld pages read again (those the server's log committed "
		    "during the copy, %llu frames, %llu generations of the "
		    "log from the checkpoints' notes), %lld of them changed "
		    "and taken again\n"), c->held, (long long)c->examined,
		    (unsigned long long)c->frames,
		    (unsigned long long)c->mended, (long long)c->rewritten);
	else
		fprintf(stderr, _("one moment of the database held for %.1f s: "
		    "every page compared (%s), %lld had changed and were taken "
		    "again\n"), c->held, _(c->whole), (long long)c->rewritten);
}

/* The copy's bytes, its structure, its audit chain (cmd comment). */
static int
backup_verify(const struct backup_opts *o, const char *tmp,
    const struct ctl_copy_made *c, struct ctl_pace *pace,
    struct backup_made *m, struct hr_error *err)
{
	if (ctl_db_copy_verify(tmp, c, pace, err) < 0 ||
	    ctl_db_check_paced(tmp, o->full_check, pace, err) < 0)
		return -1;
	pace_phase(pace, _("verifying: the audit chain"), 0);
	if (backup_verify_audit(tmp, m->head, &m->records, err) < 0)
		return -1;
	(void)pace_end(pace);
	return 0;
}

/* Copy to TMP, check it, copy its scans; 0 with the figures. */
static int
backup_make(struct ctl_ctx *ctx, const struct backup_opts *o, const char *tmp,
    struct hr_store *live, struct backup_made *m, struct hr_error *err)
{
	struct ctl_copy_made c;
	struct ctl_pace pace;
	struct stat st;
	char size[32], t[32];
	double copied = 0, checked = 0;
	int fd, rc;

	pace_init(&pace, o->quiet ? NULL : stderr);
	pace.share = o->share;
	pace.rate = o->rate;
	pace.idle = o->share < 1 || o->rate > 0;
	if (pace.idle && o->deadline > 0)
		pace.deadline = pace.started + o->deadline;
	if (pace.idle)
		pace_lower_priority();
	if (!o->quiet) {
		fprintf(stderr, _("Backing up %s (%s) to %s\n"), ctx->db_path,
		    stat(ctx->db_path, &st) == 0 ? pace_bytes((uint64_t)st.st_size,
		    size, sizeof size) : "?", o->file);
		if (o->share >= 1 && o->rate <= 0)
			fprintf(stderr, _("at full speed\n"));
		if (o->share < 1)
			fprintf(stderr, _("paced: the disk busy with it at most "
			    "%.0f%% of the time\n"), 100 * o->share);
		if (o->rate > 0)
			fprintf(stderr, _("paced: at most %g MB a second\n"),
			    o->rate / 1e6);
		if (pace.deadline > 0)
			fprintf(stderr, _("on idle CPUs only; after %s at nice "
			    "19 if not done\n"), pace_duration(o->deadline, t,
			    sizeof t));
	}
	pace_phase(&pace, _("copying"), 0);
	rc = ctl_db_copy_paced(ctx->db_path, tmp, &c, &pace, err);
	if (rc == 0) {
		copied = c.copied + pace_end(&pace);
		m->pages = c.pages;
		if (!o->quiet)
			backup_say_moment(&c);
		/* The copy is made: what follows holds nothing of the live
		 * database (pace.h), so it may wait for every CPU the server
		 * wants. */
		if (pace.idle)
			pace_enter_idle(&pace);
		checked = pace_now();
		rc = backup_verify(o, tmp, &c, &pace, m, err);
		checked = pace_now() - checked;
	}
	ctl_copy_made_free(&c);
	if (rc < 0)
		return -1;
	backup_drop_sidecars(tmp);
	if (backup_files(live, tmp, &pace, &m->scans, &m->bytes, err) < 0)
		return -1;
	/* Verified; out of the page cache, where the server's data belongs. */
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) >= 0) {
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
	if (!o->quiet)
		fprintf(stderr, _("copied in %s, verified in %s\n"),
		    pace_duration(copied, size, sizeof size),
		    pace_duration(checked, t, sizeof t));
	/* Next: the backup's record, under the live database's write lock. */
	if (pace.idle)
		pace_leave_idle();
	return 0;
}

/* Under the store's shared lock: the database, then its scans. */
static int
backup_write(struct ctl_ctx *ctx, const struct backup_opts *o,
    const struct backup_names *n, struct backup_made *m,
    struct hr_error *err)
{
	struct hr_store live;
	int rc;

	/* Left by an interrupted backup of the same name. */
	(void)unlink(n->tmp);
	if (ctl_store_discard(n->tmp_files, err) < 0 ||
	    hr_store_open(&live, ctx->db_path, 1, err) < 0)
		return -1;
	rc = hr_store_lock(&live, 0, err);
	if (rc == 0)
		rc = backup_make(ctx, o, n->tmp, &live, m, err);
	hr_store_close(&live);     /* and its lock */
	return rc;
}

static int
cmd_backup_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct backup_opts o;
	struct backup_names n;
	struct backup_made m = { 0 };
	struct hr_db *db;
	char detail[1024];
	int rc;

	if (backup_parse(argc, argv, &o, err) < 0)
		return -1;
	if (access(ctx->db_path, R_OK) != 0)
		return hr_errorf(err, HR_E_IO, "ctl.db_read", "cannot read "
		    "{file} (run as the database's owner or root)",
		    HR_STR("file", ctx->db_path));
	rc = backup_names(o.file, &n, err);
	/* A database from before the key file still holds the server's
	 * secrets: opening it moves them out (db/keypairs.h), so no backup has
	 * them.  The key file itself is never copied. */
	if (rc == 0 && (rc = ctl_open(ctx, &db, err)) == 0)
		db_close(db);
	if (rc == 0)
		rc = backup_write(ctx, &o, &n, &m, err);
	if (rc == 0)
		rc = backup_rename_dir(n.tmp_files, n.files, err);
	if (rc == 0 && link(n.tmp, o.file) != 0) {     /* never replaces */
		rc = hr_errorf(err, HR_E_IO, "ctl.backup_name", "cannot name "
		    "the backup {file}: {reason}", HR_STR("file", o.file),
		    HR_STR("reason", strerror(errno)));
		(void)rename(n.files, n.tmp_files);
	}
	if (n.tmp != NULL)
		unlink(n.tmp);
	if (rc < 0 && n.tmp_files != NULL)
		(void)ctl_store_discard(n.tmp_files, NULL);
	if (rc == 0)
		snprintf(detail, sizeof detail, "%s: %d pages, %lld scans "
		    "(%lld bytes) in %s; verified: every page read back ok, "
		    "%s ok, audit chain of %lld records ok, its head %s, every "
		    "scan's hash ok", o.file, m.pages, (long long)m.scans,
		    (long long)m.bytes, n.files, o.full_check ?
		    "integrity_check" : "quick_check", (long long)m.records,
		    m.head);
	backup_names_free(&n);
	if (rc < 0)
		return -1;
	printf(_("Backup written: %s\n"), detail);
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = ctl_audit(db, "backup", "database", detail, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_backup = {
	"backup", cmd_backup_exec, "[--rate MB] [--share PERCENT] "
	"[--deadline MINUTES] [--full-check] [--quiet] FILE",
	N_("Copy the live database and its scans consistently (while the "
	"server runs), paced"),
	N_("Writes FILE (mode 0600; an existing FILE is never replaced): first\n"
	"the database file as it lies, holding nothing of the database, while\n"
	"it follows the server's write-ahead log; then, from one read\n"
	"transaction, the pages the log committed meanwhile -- so the copy is\n"
	"the database at one moment even while hromadad commits, and that\n"
	"moment lasts as long as what changed takes to read, not the whole\n"
	"database.  The first part is paced so that clerks keep their\n"
	"latency: it goes in 4 MiB steps, each forced to the disk before the\n"
	"next and dropped from the page cache, and pauses so that it keeps\n"
	"the disk busy at most PERCENT of the time (--share, default 50; 100:\n"
	"full speed) and moves at most MB megabytes a second (--rate, default\n"
	"no cap); it runs at a low I/O priority and only on idle CPUs -- on a\n"
	"machine never idle, at nice 19 once MINUTES have passed since the\n"
	"start (--deadline, default 30; 0: never).  On standard error it says\n"
	"how long each part will take and shows its progress (--quiet: not).\n"
	"Then it verifies the copy, paced the same way: every page read back\n"
	"from the disk against what was written, PRAGMA quick_check\n"
	"(--full-check: integrity_check, which looks every row up in each of\n"
	"its indexes and takes far longer) and the hash chain of its audit\n"
	"log; copies the scans it names into FILE.files (FILE's name with\n"
	".files for .db), each hashed as written, gives both their names, and\n"
	"records the backup with the copy's audit head (ID:HASH) in the live\n"
	"audit log.  Restore it with hromadactl restore FILE.  Never copy the\n"
	"database with cp: its -wal file holds the latest commits.\n"),
};
