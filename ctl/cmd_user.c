/*
 * cmd_user.c — hromadactl user add|list|show|disable|enable|passwd|role|scope.
 *
 * The subcommands are a table like the commands themselves.  Everything is
 * checked before a password is asked for, so a typo in the role does not
 * cost the administrator two password prompts.  Each change and its audit
 * record are one transaction.
 *
 * Alike on purpose: the command ends as every command does (open the
 * database, run, close it; ctl/cmd_lock.c) and is then described by its
 * struct ctl_cmd (ctl/ctl.h).
 */
#include "ctl/ctl.h"
#include "db/terminals.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct user_args {
	const char *name;
	const char *role;
	const char *territory;
	const char *full_name;
	int         password_stdin;
};

struct user_sub {
	const char *name;
	int       (*exec)(struct hr_db *db, struct user_args *ua,
	              struct hr_error *err);
	int         needs_name;
	const char *options;     /* options it accepts, space-separated */
};

/* Parse NAME and options; reject options the subcommand does not take. */
static int
user_parse(const struct user_sub *sub, int argc, char **argv,
    struct user_args *ua, struct hr_error *err)
{
	static const char *const value_opts[] = { "--role", "--territory",
	    "--full-name" };
	const char **dest[] = { &ua->role, &ua->territory, &ua->full_name };

	for (int i = 2; i < argc; i++) {
		int r = 0;

		for (size_t k = 0; k < 3 && r == 0; k++)
			if (strstr(sub->options, value_opts[k]) != NULL &&
			    (r = ctl_opt_value(argc, argv, &i, value_opts[k],
			    dest[k], err)) < 0)
				return -1;
		if (r == 1)
			continue;
		if (strcmp(argv[i], "--password-stdin") == 0 &&
		    strstr(sub->options, "--password-stdin") != NULL)
			ua->password_stdin = 1;
		else if (argv[i][0] != '-' && sub->needs_name && ua->name == NULL)
			ua->name = argv[i];
		else
			return ctl_unexpected(sub->name, argv[i], err);
	}
	if (sub->needs_name && ua->name == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "user "
		    "{command} needs a user name", HR_STR("command",
		    sub->name));
	return 0;
}

/* "userSta, userCnap, ..." for messages. */
static void
user_role_list(char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (int r = 0; r < HR_ROLE__COUNT && n < cap; r++)
		n += (size_t)snprintf(out + n, cap - n, "%s%s", r ? ", " : "",
		    hr_role_info(r)->name);
}

static int
user_role(const char *name, struct hr_error *err)
{
	char roles[256];
	int r = hr_role_from_name(name);

	if (r >= 0)
		return r;
	user_role_list(roles, sizeof roles);
	return hr_errorf(err, HR_E_INVALID, "ctl.role", "unknown role "
	    "\"{value}\"; use one of {allowed}", HR_STR("value", name),
	    HR_STR("allowed", roles));
}

/* Run fn's change and its audit record in one transaction. */
static int
user_commit(struct hr_db *db, int rc, struct hr_error *err)
{
	if (rc == 0 && db_commit(db, err) == 0)
		return 0;
	db_rollback(db);
	return -1;
}

static int
user_add(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	struct db_territory t;
	struct db_user existing;
	char object[96], detail[256], *pw;
	int64_t id;
	int role, rc;

	if (ua->role == NULL || ua->territory == NULL || ua->full_name == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.options", "user add "
		    "needs --role, --territory and --full-name");
	if ((role = user_role(ua->role, err)) < 0)
		return -1;
	if (db_territory_find(db, ua->territory, &t, err) < 0)
		return -1;
	if (db_user_by_name(db, ua->name, &existing, err) == 0) {
		db_user_free(&existing);
		db_territory_free(&t);
		return hr_errorf(err, HR_E_DUPLICATE, "user.exists",
		    "user \"{user}\" exists already", HR_STR("user", ua->name));
	}
	snprintf(detail, sizeof detail, "role %s, territory %lld (%s)",
	    ua->role, (long long)t.id, t.name);
	snprintf(object, sizeof object, "user:%s", ua->name);
	if ((pw = ctl_password_read(ua->password_stdin, err)) == NULL) {
		db_territory_free(&t);
		return -1;
	}
	rc = db_begin(db, err);
	if (rc == 0) {
		rc = db_user_add(db, ua->name, ua->full_name, role, t.id, pw, &id,
		    err);
		if (rc == 0)
			rc = ctl_audit(db, "user.add", object, detail, err);
		rc = user_commit(db, rc, err);
	}
	ctl_password_free(pw);
	db_territory_free(&t);
	if (rc == 0)
		printf(_("User %s added (id %lld): %s\n"), ua->name,
		    (long long)id, detail);
	return rc;
}

/* disabled, no login (no password: a signer of imported history), or
 * active. */
static const char *
user_state(const struct db_user *u)
{
	return u->disabled ? _("disabled") : !db_user_can_log_in(u) ?
	    _("no login") : _("active");
}

static int
user_print(void *ud, const struct db_user *u)
{
	const char *want = ud;
	const struct hr_role_info *ri = hr_role_info(u->role);

	if (want != NULL && (ri == NULL || strcmp(ri->name, want) != 0))
		return 0;
	ctl_cells(u->name, 16, ri ? ri->name : "?", 15, user_state(u), 10,
	    NULL);
	printf(" %6lld  %s — %s\n", (long long)u->territory_id, u->full_name,
	    u->territory_name);
	return 0;
}

static int
user_list(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	if (ua->role != NULL && user_role(ua->role, err) < 0)
		return -1;
	ctl_cells(_("NAME"), 16, _("ROLE"), 15, _("STATE"), 10, NULL);
	printf(" %6s  %s\n", _("TERR"), _("FULL NAME — TERRITORY"));
	return db_user_each(db, 0, user_print, (void *)ua->role, err);
}

static int
user_set_disabled(struct hr_db *db, struct user_args *ua, int disabled,
    struct hr_error *err)
{
	char object[96];
	int rc;

	snprintf(object, sizeof object, "user:%s", ua->name);
	if (db_begin(db, err) < 0)
		return -1;
	rc = db_user_set_disabled(db, ua->name, disabled, err);
	if (rc == 0)
		rc = ctl_audit(db, disabled ? "user.disable" : "user.enable",
		    object, NULL, err);
	if (user_commit(db, rc, err) < 0)
		return -1;
	printf(disabled ? _("User %s disabled\n") : _("User %s enabled\n"),
	    ua->name);
	return 0;
}

static int
user_disable(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	return user_set_disabled(db, ua, 1, err);
}

static int
user_enable(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	return user_set_disabled(db, ua, 0, err);
}

static int
user_passwd(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	struct db_user u;
	char object[96], *pw;
	int rc;

	if (db_user_by_name(db, ua->name, &u, err) < 0)
		return -1;
	db_user_free(&u);
	if ((pw = ctl_password_read(ua->password_stdin, err)) == NULL)
		return -1;
	snprintf(object, sizeof object, "user:%s", ua->name);
	rc = db_begin(db, err);
	if (rc == 0) {
		rc = db_user_set_password(db, ua->name, pw, err);
		if (rc == 0)
			rc = ctl_audit(db, "user.passwd", object, NULL, err);
		rc = user_commit(db, rc, err);
	}
	ctl_password_free(pw);
	if (rc == 0)
		printf(_("Password of %s changed\n"), ua->name);
	return rc;
}

static int
user_show(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	const struct hr_role_info *ri;
	struct db_territory t;
	struct db_user u;
	int64_t where = 0;
	time_t at;
	struct tm tm;
	char when[32];
	int req;

	if (db_user_by_name(db, ua->name, &u, err) < 0)
		return -1;
	ri = hr_role_info(u.role);
	at = (time_t)u.created_at;
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&at, &tm));
	ctl_cell(_("name:"), 12);
	printf("%s\n", u.name);
	ctl_cell(_("full name:"), 12);
	printf("%s\n", u.full_name);
	ctl_cell(_("role:"), 12);
	printf("%s (%s)\n", ri ? ri->name : "?", ri ? _(ri->label) : "?");
	ctl_cell(_("state:"), 12);
	printf("%s\n", user_state(&u));
	ctl_cell(_("created:"), 12);
	printf("%s\n", when);
	if (db_territory_get(db, u.territory_id, &t, err) == 0) {
		ctl_cell(_("territory:"), 12);
		printf("%lld %s [%s] %s\n", (long long)t.id, t.name,
		    hr_terr_kind_name(t.kind) ? hr_terr_kind_name(t.kind) : "?",
		    t.katottg ? t.katottg : "-");
		db_territory_free(&t);
	}
	req = db_terminal_required(db, u.territory_id, &where, err);
	if (req >= 0)
		ctl_cell(_("terminal:"), 12);
	if (req == 1)
		printf(_("required (set on territory %lld)\n"),
		    (long long)where);
	else if (req == 0)
		printf("%s\n", _("not required"));
	db_user_free(&u);
	return req < 0 ? -1 : 0;
}

/* role and scope: a new role and/or territory, checked by the db layer. */
static int
user_assign(struct hr_db *db, struct user_args *ua, int keep_role,
    struct hr_error *err)
{
	struct db_territory t = { 0 };
	struct db_user u;
	char object[96], detail[256];
	int role, rc;

	if (db_user_by_name(db, ua->name, &u, err) < 0)
		return -1;
	role = keep_role ? u.role : user_role(ua->role, err);
	rc = role < 0 ? -1 : db_territory_get(db, u.territory_id, &t, err);
	if (rc == 0 && ua->territory != NULL) {
		db_territory_free(&t);
		rc = db_territory_find(db, ua->territory, &t, err);
	}
	if (rc == 0) {
		snprintf(object, sizeof object, "user:%s", ua->name);
		snprintf(detail, sizeof detail, "role %s -> %s, territory %lld "
		    "-> %lld (%s)", hr_role_info(u.role) ?
		    hr_role_info(u.role)->name : "?", hr_role_info(role)->name,
		    (long long)u.territory_id, (long long)t.id, t.name);
		rc = db_begin(db, err);
	}
	if (rc == 0) {
		rc = db_user_assign(db, ua->name, role, t.id, err);
		if (rc == 0)
			rc = ctl_audit(db, keep_role ? "user.scope" : "user.role",
			    object, detail, err);
		rc = user_commit(db, rc, err);
	}
	if (rc == 0)
		printf(_("User %s: %s; saved sessions ended\n"), ua->name,
		    detail);
	db_territory_free(&t);
	db_user_free(&u);
	return rc;
}

static int
user_setrole(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	if (ua->role == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.options", "user role "
		    "needs --role (and --territory when the role's kind of "
		    "territory differs)");
	return user_assign(db, ua, 0, err);
}

static int
user_scope(struct hr_db *db, struct user_args *ua, struct hr_error *err)
{
	if (ua->territory == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.options", "user scope "
		    "needs --territory");
	return user_assign(db, ua, 1, err);
}

static const struct user_sub user_subs[] = {
	{ "add",     user_add,     1,
	  "--role --territory --full-name --password-stdin" },
	{ "list",    user_list,    0, "--role" },
	{ "disable", user_disable, 1, "" },
	{ "enable",  user_enable,  1, "" },
	{ "passwd",  user_passwd,  1, "--password-stdin" },
	{ "show",    user_show,    1, "" },
	{ "role",    user_setrole, 1, "--role --territory" },
	{ "scope",   user_scope,   1, "--territory" },
};

static int
cmd_user_exec(struct ctl_ctx *ctx, int argc, char **argv, struct hr_error *err)
{
	const struct user_sub *sub = NULL;
	struct user_args ua = { 0 };
	struct hr_db *db;
	int rc;

	for (size_t i = 0; argc >= 2 && i < sizeof user_subs /
	    sizeof user_subs[0]; i++)
		if (strcmp(argv[1], user_subs[i].name) == 0)
			sub = &user_subs[i];
	if (sub == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "user "
		    "wants add, list, show, disable, enable, passwd, role or "
		    "scope");
	if (user_parse(sub, argc, argv, &ua, err) < 0 ||
	    ctl_open(ctx, &db, err) < 0)
		return -1;
	rc = sub->exec(db, &ua, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_user = {
	"user", cmd_user_exec,
	"add|list|show|disable|enable|passwd|role|scope ...",
	N_("Manage user accounts"),
	N_("user add NAME --role ROLE --territory TERRITORY --full-name TEXT\n"
	"         [--password-stdin]\n"
	"    ROLE: userSta, userCnap, super_userSta, super_userCnap, upo_otg,\n"
	"    spszn, oblast, ministry, admin.  TERRITORY: an id, a KATOTTG code\n"
	"    or an exact name, of the kind the role belongs to.\n"
	"    The password (at least 8 characters) is asked twice on a\n"
	"    terminal, or read as one line from standard input.\n"
	"user list [--role ROLE]\n"
	"user disable NAME      forbid logging in (ends saved sessions)\n"
	"user enable NAME\n"
	"user passwd NAME [--password-stdin]\n"
	"user show NAME         role, territory, state, terminal requirement\n"
	"user role NAME --role ROLE [--territory TERRITORY]\n"
	"    another role; TERRITORY (default: the current one) must be of\n"
	"    the kind the role belongs to.  Ends the user's saved sessions.\n"
	"user scope NAME --territory TERRITORY\n"
	"    move the user to another territory of the same kind.\n"),
};
