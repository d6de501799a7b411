/*
 * audit_archive.c — hromadactl audit archive, and the archive files of
 * audit verify --archive and audit show --archive (db/audit_archive.h
 * says what an archive is and why the steps come in this order).
 *
 *   audit archive --before DATE [--out FILE] [--chunk N] [--share PCT]
 *                 [--quiet]
 *
 * finishes a deletion an earlier run left (a crash), writes the segment
 * of records before DATE to FILE, reads FILE back and verifies it,
 * registers it with its anchor record, then deletes the segment from the
 * live log in short transactions paced like a backup (ctl/pace.h), so
 * the server running meanwhile waits for at most one.
 */
#include "ctl/ctl.h"
#include "ctl/pace.h"
#include "db/audit.h"
#include "db/audit_archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ARCHIVE_CHUNK_DEFAULT 2000     /* records deleted per transaction */

struct archive_opts {
	const char *before, *out;
	int         chunk;
	double      share;
	int         quiet;
};

static int
archive_parse(int argc, char **argv, struct archive_opts *o,
    struct hr_error *err)
{
	const char *chunk = NULL, *share = NULL;
	char *end;
	int r;

	memset(o, 0, sizeof *o);
	o->chunk = ARCHIVE_CHUNK_DEFAULT;
	o->share = 0.5;
	for (int i = 2; i < argc; i++) {
		if ((r = ctl_opt_value(argc, argv, &i, "--before", &o->before,
		    err)) != 0 || (r = ctl_opt_value(argc, argv, &i, "--out",
		    &o->out, err)) != 0 || (r = ctl_opt_value(argc, argv, &i,
		    "--chunk", &chunk, err)) != 0 || (r = ctl_opt_value(argc,
		    argv, &i, "--share", &share, err)) != 0) {
			if (r < 0)
				return -1;
			continue;
		}
		if (strcmp(argv[i], "--quiet") == 0) {
			o->quiet = 1;
			continue;
		}
		return ctl_unexpected("audit archive", argv[i], err);
	}
	if (o->before == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "audit "
		    "archive wants --before DATE");
	if (chunk != NULL) {
		long v = strtol(chunk, &end, 10);

		if (*chunk == '\0' || *end != '\0' || v < 1 || v > 1000000)
			return hr_errorf(err, HR_E_USAGE, "ctl.number_range",
			    "{option} wants a number from {min} to {max}, not "
			    "\"{value}\"", HR_STR("option", "--chunk"),
			    HR_INT("min", 1), HR_INT("max", 1000000),
			    HR_STR("value", chunk));
		o->chunk = (int)v;
	}
	if (share != NULL) {
		long v = strtol(share, &end, 10);

		if (*share == '\0' || *end != '\0' || v < 1 || v > 100)
			return hr_errorf(err, HR_E_USAGE, "ctl.number_range",
			    "{option} wants a number from {min} to {max}, not "
			    "\"{value}\"", HR_STR("option", "--share"),
			    HR_INT("min", 1), HR_INT("max", 100),
			    HR_STR("value", share));
		o->share = (double)v / 100;
	}
	return 0;
}

static const char *
archive_date(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	strftime(buf, cap, "%Y-%m-%d %H:%M", localtime_r(&tt, &tm));
	return buf;
}

/* Progress of writing (records) through the pacer's report. */
static void
archive_progress(void *ud, int64_t done, int64_t total)
{
	struct ctl_pace *p = ud;

	p->total = (uint64_t)total;
	if ((uint64_t)done > p->done)
		pace_tick(p, (uint64_t)done - p->done);
}

static void
archive_pause(void *ud, int64_t n, double busy)
{
	pace_step(ud, (uint64_t)n, busy);
}

/* Finish what an interrupted run left: records archived but still live. */
static int
archive_finish_pending(struct hr_db *db, const struct archive_opts *o,
    struct hr_error *err)
{
	struct ctl_pace pace;
	int64_t n = 0;

	pace_init(&pace, NULL);
	pace.share = o->share;
	pace_phase(&pace, "", 0);
	if (db_archive_prune(db, o->chunk, archive_pause, &pace, &n, err) < 0)
		return -1;
	if (n > 0 && !o->quiet)
		printf(_("Finished an interrupted archiving: %lld archived "
		    "records deleted from the live log\n"), (long long)n);
	return 0;
}

int
ctl_audit_archive(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct archive_opts o;
	struct db_archive a;
	struct ctl_pace pace;
	struct hr_db *db;
	char name[128], d1[32], d2[32], sz[32], where[256];
	const char *file;
	int64_t before, deleted = 0;
	int rc;

	if (archive_parse(argc, argv, &o, err) < 0 ||
	    ctl_audit_time("--before", o.before, 0, &before, err) < 0)
		return -1;
	if (before > (int64_t)time(NULL))
		return hr_errorf(err, HR_E_USAGE, "ctl.archive_future",
		    "--before {value} is in the future: only a closed part of "
		    "the log can be archived", HR_STR("value", o.before));
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	pace_init(&pace, o.quiet ? NULL : stderr);
	pace.share = o.share;
	if (o.share < 1)
		pace_lower_priority();
	rc = archive_finish_pending(db, &o, err);
	if (rc == 0)
		rc = db_archive_plan(db, before, &a, err);
	if (rc == 0 && a.records == 0) {
		printf(_("Nothing to archive: no audit records before %s that "
		    "are not archived already\n"), o.before);
		db_close(db);
		return 0;
	}
	snprintf(name, sizeof name, "hromada-audit-%lld-%lld.db",
	    (long long)a.first_id, (long long)a.last_id);
	file = o.out != NULL ? o.out : name;
	if (rc == 0) {
		if (!o.quiet)
			fprintf(stderr, _("Archiving audit records %lld..%lld "
			    "(%lld) to %s\n"), (long long)a.first_id,
			    (long long)a.last_id, (long long)a.records, file);
		pace_phase_count(&pace, _("writing"), (uint64_t)a.records,
		    _("records"));
		rc = db_archive_write(db, &a, file, archive_progress, &pace, err);
		if (rc == 0)
			pace_end(&pace);
	}
	if (rc == 0) {
		pace_phase(&pace, _("verifying the archive"), 0);
		rc = db_archive_verify_file(file, &a, err);
		if (rc == 0)
			pace_end(&pace);
	}
	if (rc == 0)
		rc = db_archive_register(db, &a, file, &(struct db_audit_entry){
		    0, "hromadactl", ctl_where(where, sizeof where), NULL, NULL,
		    NULL }, err);
	if (rc == 0) {
		pace_phase_count(&pace, _("deleting from the live log"),
		    (uint64_t)a.records, _("records"));
		rc = db_archive_prune(db, o.chunk, archive_pause, &pace,
		    &deleted, err);
		if (rc == 0)
			pace_end(&pace);
	}
	db_close(db);
	if (rc < 0)
		return -1;
	printf(_("Archived audit records %lld..%lld (%lld, %s .. %s) to %s: "
	    "%s, %.1f bytes a record; verified, registered, anchored in the "
	    "chain; %lld deleted from the live log\n"), (long long)a.first_id,
	    (long long)a.last_id, (long long)a.records,
	    archive_date(a.first_at, d1, sizeof d1),
	    archive_date(a.last_at, d2, sizeof d2), file,
	    pace_bytes((uint64_t)a.file_bytes, sz, sizeof sz),
	    (double)a.file_bytes / (double)a.records, (long long)deleted);
	return 0;
}

/* audit verify --archive FILE: the file whole, and that it is ours. */
int
ctl_audit_verify_archive(struct hr_db *db, const char *path,
    struct hr_error *err)
{
	struct db_archive a;
	char d1[32], d2[32], file[512];

	if (db_archive_verify_file(path, &a, err) < 0 ||
	    db_archive_check_registered(db, &a, file, sizeof file, err) < 0)
		return -1;
	printf(_("%s: records %lld..%lld (%lld, %s .. %s), the hash chain "
	    "holds and continues the registered segment (archived as %s)\n"),
	    path, (long long)a.first_id, (long long)a.last_id,
	    (long long)a.records, archive_date(a.first_at, d1, sizeof d1),
	    archive_date(a.last_at, d2, sizeof d2), file);
	return 0;
}
