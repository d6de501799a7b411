/*
 * cmd_lock.c — hromadactl lock list|clear: the login throttle's locks
 * (db/throttle.h), for the administrator a clerk calls when locked out.
 *
 * `list` shows the keys locked now (with --all, every key still counting
 * failures): a user from one source or terminal, a user from anywhere, a
 * source.  `clear` removes keys: a user's, a source's, one pair, or all;
 * the running server sees it at the next login (it reads the table each
 * time), and the clearing is audited.
 *
 * Alike on purpose: the command ends as every command does (open the
 * database, run, close it; ctl/cmd_user.c, cmd_print.c, cmd_territory.c)
 * and is then described by its struct ctl_cmd (ctl/ctl.h).
 */
#include "ctl/ctl.h"
#include "db/throttle.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct lock_list {
	int64_t now;
	int     rows;
};

static int
lock_print(void *ud, const struct db_throttle_row *r)
{
	struct lock_list *l = ud;
	char until[48] = "-", who[80];
	time_t at = (time_t)r->locked_until;
	struct tm tm;

	if (r->locked_until > l->now) {
		strftime(until, sizeof until, "%Y-%m-%d %H:%M:%S",
		    localtime_r(&at, &tm));
		snprintf(until + strlen(until), sizeof until - strlen(until),
		    " (%llds)", (long long)(r->locked_until - l->now));
	}
	snprintf(who, sizeof who, "%s", r->user != NULL ? r->user : "-");
	ctl_cells(r->kind == 'p' ? _("pair") : r->kind == 'u' ? _("user") :
	    _("source"), 8, who, 24,
	    r->where != NULL ? r->where : _("(anywhere)"), 28, NULL);
	printf(" %8d  %s\n", r->failures, until);
	l->rows++;
	return 0;
}

static int
lock_list(struct hr_db *db, int all, struct hr_error *err)
{
	struct lock_list l = { db_now(), 0 };

	ctl_cells(_("KIND"), 8, _("USER"), 24, _("FROM"), 28, NULL);
	printf(" %8s  %s\n", _("FAILURES"), _("LOCKED UNTIL"));
	if (db_throttle_each(db, l.now, all, lock_print, &l, err) < 0)
		return -1;
	if (l.rows == 0)
		printf("(%s)\n", all ? _("no failed logins are counting") :
		    _("nothing is locked"));
	return 0;
}

static int
lock_clear(struct hr_db *db, const char *user, const char *source,
    struct hr_error *err)
{
	char detail[320];
	int64_t n = 0;
	int rc;

	/* The audit record's detail: English, like every audit detail. */
	snprintf(detail, sizeof detail, "%s%s%s%s", user ? "user " : "",
	    user ? user : "", source ? (user ? ", from " : "from ") : "",
	    source ? source : "");
	if (user == NULL && source == NULL)
		snprintf(detail, sizeof detail, "all");
	if (db_begin(db, err) < 0)
		return -1;
	rc = db_throttle_clear(db, user, source, &n, err);
	if (rc == 0)
		rc = ctl_audit(db, "lock.clear", NULL, detail, err);
	if (rc == 0 && db_commit(db, err) == 0) {
		printf(_("Locks cleared: %lld (%s)\n"), (long long)n, detail);
		return 0;
	}
	db_rollback(db);
	return -1;
}

static int
cmd_lock_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	const char *user = NULL, *source = NULL;
	struct hr_db *db;
	int all = 0, clear, rc;

	if (argc < 2 || (strcmp(argv[1], "list") != 0 &&
	    strcmp(argv[1], "clear") != 0))
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "lock wants "
		    "list or clear");
	clear = strcmp(argv[1], "clear") == 0;
	for (int i = 2; i < argc; i++) {
		int r = 0;

		if (strcmp(argv[i], "--all") == 0) {
			all = 1;
			continue;
		}
		if (clear && ((r = ctl_opt_value(argc, argv, &i, "--user",
		    &user, err)) != 0 || (r = ctl_opt_value(argc, argv, &i,
		    "--source", &source, err)) != 0)) {
			if (r < 0)
				return -1;
			continue;
		}
		return ctl_unexpected(argv[1], argv[i], err);
	}
	if (clear && all == (user != NULL || source != NULL))
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "lock clear "
		    "wants --user NAME and/or --source ADDRESS, or --all");
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = clear ? lock_clear(db, user, source, err) :
	    lock_list(db, all, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_lock = {
	"lock", cmd_lock_exec,
	"list [--all] | clear --user NAME | --source ADDRESS | --all",
	N_("Show or clear the locks of failed logins"),
	N_("list               the keys locked now: \"pair\" (a user from one\n"
	"                   source, or from one terminal: terminal:NAME),\n"
	"                   \"user\" (from anywhere), \"source\" (any user\n"
	"                   from one address; an IPv6 address counts by\n"
	"                   its /64)\n"
	"  --all            also the keys counting failures, not locked\n"
	"clear              remove locks and their failure counts:\n"
	"  --user NAME      the user's own and all its pairs\n"
	"  --source ADDRESS the source's own and all pairs from it (an\n"
	"                   address, or terminal:NAME)\n"
	"  --user and --source together: only that pair\n"
	"  --all            every lock\n"
	"The server applies a clearing at the next login attempt.\n"),
};
