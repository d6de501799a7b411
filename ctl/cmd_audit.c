/*
 * cmd_audit.c — hromadactl audit show|verify|head: read and check the
 * audit log.
 *
 * `verify` recomputes the hash chain (db/audit.c) and names the first
 * record where it breaks: a deleted record leaves a gap in the ids, an
 * altered one no longer matches its hash, a reordered or replaced one no
 * longer follows its predecessor.  Exit status 1 then.  Records cut from
 * the end need an anchor from outside the database: `head` prints one,
 * hromadad logs one, `verify --head` checks it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* strptime */
#endif
#include "ctl/ctl.h"
#include "db/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AUDIT_SHOW_DEFAULT 100

/*
 * "YYYY-MM-DD" (local midnight; with end set, the midnight after) or
 * "YYYY-MM-DD HH:MM[:SS]" (local time) to seconds since the epoch.
 */
static int
audit_time(const char *opt, const char *s, int end, int64_t *out,
    struct hr_error *err)
{
	static const char *const forms[] = { "%Y-%m-%d %H:%M:%S",
	    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d" };

	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		struct tm tm;
		const char *rest;

		memset(&tm, 0, sizeof tm);
		rest = strptime(s, forms[i], &tm);
		if (rest == NULL || *rest != '\0')
			continue;
		if (i == 3 && end)
			tm.tm_mday++;
		tm.tm_isdst = -1;
		*out = (int64_t)mktime(&tm);
		return 0;
	}
	return hr_errorf(err, HR_E_USAGE, "ctl.audit_time", "{option} wants "
	    "YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", not \"{value}\"",
	    HR_STR("option", opt), HR_STR("value", s));
}

static int
audit_print(void *ud, const struct db_audit_record *r)
{
	char when[32];
	time_t at = (time_t)r->at;
	struct tm tm;

	(void)ud;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&at, &tm));
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)r->id, when,
	    r->actor ? r->actor : "", r->address ? r->address : "",
	    r->action ? r->action : "", r->object ? r->object : "",
	    r->detail ? r->detail : "");
	return 0;
}

static int
audit_parse(int argc, char **argv, struct db_audit_filter *f,
    struct hr_error *err)
{
	const char *since = NULL, *until = NULL, *limit = NULL;
	const char *const names[] = { "--user", "--action", "--object",
	    "--since", "--until", "--limit" };
	const char **dest[] = { &f->actor, &f->action, &f->object, &since,
	    &until, &limit };
	char *end;

	for (int i = 2; i < argc; i++) {
		int r = 0;

		for (size_t k = 0; k < 6 && r == 0; k++)
			r = ctl_opt_value(argc, argv, &i, names[k], dest[k], err);
		if (r < 0)
			return -1;
		if (r == 0)
			return hr_errorf(err, HR_E_USAGE, "ctl.argument",
			    "{command}: unexpected argument \"{value}\"",
			    HR_STR("command", "audit show"), HR_STR("value",
			    argv[i]));
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
	if ((since != NULL && audit_time("--since", since, 0, &f->since,
	    err) < 0) ||
	    (until != NULL && audit_time("--until", until, 1, &f->until,
	    err) < 0))
		return -1;
	return 0;
}

/* verify [--head ID:HASH] */
static int
audit_verify(struct hr_db *db, const char *anchor, struct hr_error *err)
{
	int64_t n = 0;
	int rc = anchor == NULL ? db_audit_verify(db, &n, err) :
	    db_audit_verify_head(db, anchor, &n, err);

	if (rc < 0)
		return -1;
	if (anchor != NULL)
		printf(_("Audit log intact: %lld records, the hash chain holds, "
		    "and the anchored record is in it\n"), (long long)n);
	else
		printf(_("Audit log intact: %lld records, the hash chain holds\n"
		    "(records cut from the end cannot show in the chain: "
		    "check with --head against a head hromadad logged)\n"),
		    (long long)n);
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

static int
cmd_audit_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct db_audit_filter f = { 0 };
	const char *anchor = NULL;
	struct hr_db *db;
	int verify, head, rc;

	if (argc < 2 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "head") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "audit "
		    "wants show, verify or head");
	verify = strcmp(argv[1], "verify") == 0;
	head = strcmp(argv[1], "head") == 0;
	if (verify && argc == 4 && strcmp(argv[2], "--head") == 0)
		anchor = argv[3];
	else if ((verify && argc != 2) || (head && argc != 2))
		return (verify ? hr_errorf(err, HR_E_USAGE, "ctl.arguments",
		    "audit {command} takes only --head ID:HASH",
		    HR_STR("command", argv[1])) : hr_errorf(err, HR_E_USAGE,
		    "ctl.arguments", "audit {command} takes no arguments",
		    HR_STR("command", argv[1])));
	if (!verify && !head && audit_parse(argc, argv, &f, err) < 0)
		return -1;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = verify ? audit_verify(db, anchor, err) : head ?
	    audit_head(db, err) : db_audit_each(db, &f, audit_print, NULL, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_audit = {
	"audit", cmd_audit_exec, "show [OPTIONS] | verify [--head ID:HASH] | head",
	N_("Show the audit log or check its hash chain"),
	N_("audit show [--user U] [--action A] [--object O] [--since DATE]\n"
	"           [--until DATE] [--limit N]\n"
	"    The newest N (default 100, 0: all) matching records, newest\n"
	"    first, one per line, tab-separated: id, time, user, address\n"
	"    (and terminal), action, object, detail.  A may use * and ?\n"
	"    (\"user.*\").  DATE: YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", local\n"
	"    time; --until a bare date includes that whole day.\n"
	"audit verify [--head ID:HASH]\n"
	"    Recompute the hash chain; exit 1 naming the first record that\n"
	"    was deleted, altered or moved.  Records cut from the end leave a\n"
	"    valid chain: --head also checks that the record of an anchor\n"
	"    hromadad logged (\"audit head ID:HASH\") or `audit head` printed\n"
	"    is still there with that hash.\n"
	"audit head\n"
	"    Print the newest record as ID:HASH, an anchor to keep outside\n"
	"    the database (with the backups, on paper) for verify --head.\n"),
};
