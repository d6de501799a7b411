/*
 * cmd_audit.c — hromadactl audit show|verify|head|archive: read, check
 * and archive the audit log.
 *
 * `verify` recomputes the hash chain (db/audit.c) and names the first
 * record where it breaks: a deleted record leaves a gap in the ids, an
 * altered one no longer matches its hash, a reordered or replaced one no
 * longer follows its predecessor.  Exit status 1 then.  Records cut from
 * the end need an anchor from outside the database: `head` prints one,
 * hromadad logs one, `verify --head` checks it.  Archived segments
 * (`archive`, ctl/audit_archive.c) are checked in their files with
 * `verify --archive FILE` and searched with `show --archive FILE`.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* localtime_r */
#endif
#include "ctl/ctl.h"
#include "db/audit.h"
#include "db/audit_archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIT_SHOW_DEFAULT 100
#define AUDIT_ARCHIVES_MAX 64     /* --archive files in one command */

/* What show and verify take besides their own options. */
struct audit_files {
	const char *path[AUDIT_ARCHIVES_MAX];
	int         n;
};

/* Printing, and counting show's --limit over the log and the archives. */
struct audit_show {
	int64_t left;              /* -1: no limit */
};

static int
audit_print(void *ud, const struct db_audit_record *r)
{
	struct audit_show *sh = ud;
	char when[32];
	time_t at = (time_t)r->at;
	struct tm tm;

	if (sh->left == 0)
		return 1;
	if (sh->left > 0)
		sh->left--;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&at, &tm));
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id, when,
	    r->actor ? r->actor : "", r->address ? r->address : "",
	    r->action ? r->action : "", r->object ? r->object : "",
	    r->detail ? r->detail : "");
	return sh->left == 0 ? 1 : 0;
}

/* --archive FILE, repeated. */
static int
audit_opt_archive(int argc, char **argv, int *i, struct audit_files *files,
    struct hr_error *err)
{
	const char *v = NULL;
	int r = ctl_opt_value(argc, argv, i, "--archive", &v, err);

	if (r <= 0)
		return r;
	if (files->n == AUDIT_ARCHIVES_MAX)
		return hr_errorf(err, HR_E_USAGE, "ctl.archives_max", "at most "
		    "{max} --archive files at once", HR_INT("max",
		    AUDIT_ARCHIVES_MAX));
	files->path[files->n++] = v;
	return 1;
}

/* A positive id for --person / --application. */
static int
audit_id(const char *opt, const char *v, int64_t *out, struct hr_error *err)
{
	char *end;
	long long id;

	if (v == NULL)
		return 0;
	id = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || id < 1)
		return hr_errorf(err, HR_E_USAGE, "ctl.audit_id", "{option} "
		    "wants a record id (a number), not \"{value}\"",
		    HR_STR("option", opt), HR_STR("value", v));
	*out = id;
	return 0;
}

static int
audit_parse(int argc, char **argv, struct db_audit_filter *f,
    struct audit_files *files, struct hr_error *err)
{
	const char *since = NULL, *until = NULL, *limit = NULL;
	const char *person = NULL, *app = NULL;
	const char *const names[] = { "--user", "--action", "--object",
	    "--since", "--until", "--limit", "--person", "--application" };
	const char **dest[] = { &f->actor, &f->action, &f->object, &since,
	    &until, &limit, &person, &app };
	char *end;

	for (int i = 2; i < argc; i++) {
		int r = 0;

		for (size_t k = 0; k < 8 && r == 0; k++)
			r = ctl_opt_value(argc, argv, &i, names[k], dest[k], err);
		if (r == 0)
			r = audit_opt_archive(argc, argv, &i, files, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return ctl_unexpected("audit show", argv[i], err);
	}
	f->limit = AUDIT_SHOW_DEFAULT;
	if (limit != NULL) {
		long v = strtol(limit, &end, 10);

		if (*limit == '\0' || *end != '\0' || v < 0 || v > 10000000)
			return hr_errorf(err, HR_E_USAGE, "ctl.audit_limit",
			    "--limit wants a number (0: all), not \"{value}\"",
			    HR_STR("value", limit));
		f->limit = (int)v;
	}
	if ((since != NULL && ctl_audit_time("--since", since, 0, &f->since,
	    err) < 0) ||
	    (until != NULL && ctl_audit_time("--until", until, 1, &f->until,
	    err) < 0) || audit_id("--person", person, &f->person, err) < 0 ||
	    audit_id("--application", app, &f->application, err) < 0)
		return -1;
	return 0;
}

/* The first record id an archive file holds (for the order of show). */
struct audit_file_order {
	const char *path;
	int64_t     first;
};

static int
audit_file_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct audit_file_order *)a)->first;
	int64_t y = ((const struct audit_file_order *)b)->first;

	return (y > x) - (y < x);           /* newest first */
}

/*
 * show: the live log, then the archives, newest first; --limit counts
 * over all of them.
 */
static int
audit_show(struct hr_db *db, struct db_audit_filter *f,
    const struct audit_files *files, struct hr_error *err)
{
	struct audit_show sh = { f->limit > 0 ? f->limit : -1 };
	struct audit_file_order order[AUDIT_ARCHIVES_MAX];
	struct db_audit_filter live = *f;

	live.limit = 0;
	if (db_audit_each(db, &live, audit_print, &sh, err) < 0)
		return -1;
	/* Order the files by what they hold: their first record. */
	for (int i = 0; i < files->n; i++) {
		struct db_archive r;

		if (db_archive_header(files->path[i], &r, err) < 0)
			return -1;
		order[i].path = files->path[i];
		order[i].first = r.first_id;
	}
	qsort(order, (size_t)files->n, sizeof *order, audit_file_cmp);
	for (int i = 0; i < files->n && sh.left != 0; i++)
		if (db_archive_each(order[i].path, f, audit_print, &sh, err) < 0)
			return -1;
	return 0;
}

/*
 * An anchored record that is archived, found in one of the files; 1 when
 * checked (or -1), 0 when no file holds it.
 */
static int
audit_head_in_files(const char *anchor, const struct audit_files *files,
    struct hr_error *err)
{
	uint8_t want[DB_AUDIT_HASH_LEN], got[DB_AUDIT_HASH_LEN];
	int64_t id;

	if (db_audit_anchor_parse(anchor, &id, want, err) < 0)
		return -1;
	for (int i = 0; i < files->n; i++) {
		int rc = db_archive_hash_of(files->path[i], id, got, err);

		if (rc < 0)
			return -1;
		if (rc == 0)
			continue;
		if (memcmp(got, want, DB_AUDIT_HASH_LEN) != 0)
			return hr_errorf(err, HR_E_INVALID, "audit.rewritten",
			    "audit log rewritten: record {id} does not have the "
			    "anchored hash (the chain up to it was rebuilt)",
			    HR_INT("id", id));
		printf(_("Anchored record %lld is in %s with that hash\n"),
		    (long long)id, files->path[i]);
		return 1;
	}
	return 0;
}

/* verify [--head ID:HASH] [--archive FILE]... */
static int
audit_verify(struct hr_db *db, const char *anchor,
    const struct audit_files *files, struct hr_error *err)
{
	int64_t n = 0, segments = 0, archived = 0;
	int rc = 0;

	for (int i = 0; i < files->n && rc == 0; i++)
		rc = ctl_audit_verify_archive(db, files->path[i], err);
	if (rc == 0 && anchor != NULL && files->n > 0 &&
	    (rc = audit_head_in_files(anchor, files, err)) == 1) {
		anchor = NULL;                   /* checked in an archive */
		rc = 0;
	}
	if (rc == 0)
		rc = anchor == NULL ? db_audit_verify(db, &n, err) :
		    db_audit_verify_head(db, anchor, &n, err);
	if (rc < 0 || db_archive_totals(db, &segments, &archived, err) < 0)
		return -1;
	if (anchor != NULL)
		printf(_("Audit log intact: %lld records, the hash chain holds, "
		    "and the anchored record is in it\n"), (long long)n);
	else
		printf(_("Audit log intact: %lld records, the hash chain holds\n"
		    "(records cut from the end cannot show in the chain: "
		    "check with --head against a head hromadad logged)\n"),
		    (long long)n);
	if (segments > 0)
		printf(_("%lld records before them are archived in %lld "
		    "segments; the live log continues the registry of archives "
		    "(check the files with --archive FILE)\n"),
		    (long long)archived, (long long)segments);
	return 0;
}

static int
audit_head(struct hr_db *db, struct hr_error *err)
{
	char head[DB_AUDIT_HEAD_MAX];

	if (db_audit_head(db, head, err) < 0)
		return -1;
	printf("%s\n", head);
	return 0;
}

/* verify's options: --head ID:HASH, --archive FILE (repeated). */
static int
audit_verify_parse(int argc, char **argv, const char **anchor,
    struct audit_files *files, struct hr_error *err)
{
	for (int i = 2; i < argc; i++) {
		int r = ctl_opt_value(argc, argv, &i, "--head", anchor, err);

		if (r == 0)
			r = audit_opt_archive(argc, argv, &i, files, err);
		if (r < 0)
			return -1;
		if (r == 0)
			return hr_errorf(err, HR_E_USAGE, "ctl.arguments",
			    "audit {command} takes only --head ID:HASH and "
			    "--archive FILE", HR_STR("command", argv[1]));
	}
	return 0;
}

static int
cmd_audit_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct db_audit_filter f = { 0 };
	struct audit_files files = { { NULL }, 0 };
	const char *anchor = NULL;
	struct hr_db *db;
	int verify, head, rc;

	if (argc >= 2 && strcmp(argv[1], "archive") == 0)
		return ctl_audit_archive(ctx, argc, argv, err);
	if (argc < 2 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "head") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "audit "
		    "wants show, verify, head or archive");
	verify = strcmp(argv[1], "verify") == 0;
	head = strcmp(argv[1], "head") == 0;
	if (verify && audit_verify_parse(argc, argv, &anchor, &files, err) < 0)
		return -1;
	if (head && argc != 2)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "audit "
		    "{command} takes no arguments", HR_STR("command", argv[1]));
	if (!verify && !head && audit_parse(argc, argv, &f, &files, err) < 0)
		return -1;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = verify ? audit_verify(db, anchor, &files, err) : head ?
	    audit_head(db, err) : audit_show(db, &f, &files, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_audit = {
	"audit", cmd_audit_exec, "show [OPTIONS] | verify [--head ID:HASH] "
	"[--archive FILE]... | head | archive --before DATE [OPTIONS]",
	N_("Show the audit log, check its hash chain, archive old records"),
	N_("audit show [--user U] [--action A] [--object O] [--person ID]\n"
	"           [--application ID] [--since DATE] [--until DATE]\n"
	"           [--limit N] [--archive FILE]...\n"
	"    The newest N (default 100, 0: all) matching records, newest\n"
	"    first, one per line, tab-separated: id, time, user, address\n"
	"    (and terminal), action, object, detail.  A may use * and ?\n"
	"    (\"user.*\").  --person and --application: the records that\n"
	"    name that person or application (its object, or an id a journal\n"
	"    page or a person search showed).  DATE: YYYY-MM-DD or\n"
	"    \"YYYY-MM-DD HH:MM\", local time; --until a bare date includes\n"
	"    that whole day.  --archive also searches an archive file.\n"
	"audit verify [--head ID:HASH] [--archive FILE]...\n"
	"    Recompute the hash chain; exit 1 naming the first record that\n"
	"    was deleted, altered or moved.  Archived records: the registry\n"
	"    of archives must be one chain from record 1 that the live log\n"
	"    continues; --archive verifies an archive file whole and that it\n"
	"    is the segment this database archived.  Records cut from the\n"
	"    end leave a valid chain: --head also checks that the record of\n"
	"    an anchor hromadad logged (\"audit head ID:HASH\") or `audit\n"
	"    head` printed is still there with that hash (in an --archive\n"
	"    file when it is archived).\n"
	"audit head\n"
	"    Print the newest record as ID:HASH, an anchor to keep outside\n"
	"    the database (with the backups, on paper) for verify --head.\n"
	"audit archive --before DATE [--out FILE] [--chunk N] [--share PCT]\n"
	"              [--quiet]\n"
	"    Move the records before DATE (that are not archived yet) into a\n"
	"    compressed, self-verifying archive FILE (default\n"
	"    hromada-audit-FIRST-LAST.db here), verify it, register it with\n"
	"    an anchor record in the chain, and delete those records from\n"
	"    the live log, N (2000) a transaction, paced (PCT, 50) so the\n"
	"    running server is not held up.  Keep FILE with the backups.\n"),
};
