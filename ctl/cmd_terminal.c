/*
 * cmd_terminal.c — hromadactl terminal add|list|revoke: the clerks' PCs
 * that hold a terminal key (proto/terminal.h).
 *
 * `add` makes the key pair here, keeps only the public half in the
 * database and writes the secret half to --out (mode 0600, never
 * overwriting a file), which the administrator carries to the PC.  The
 * file is written before the database is changed, so a failed write
 * leaves nothing registered.
 */
#include "ctl/ctl.h"
#include "db/terminals.h"
#include "db/territory.h"
#include "proto/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TERM_B64_LEN sodium_base64_ENCODED_LEN(HR_PUBKEY_LEN, \
	sodium_base64_VARIANT_ORIGINAL)

struct term_args {
	const char *name;
	const char *territory;
	const char *out;
};

/* Write the key file; refuses to replace an existing file. */
static int
term_write_key(const char *path, const char *name, const char *terr,
    const uint8_t sk[HR_PUBKEY_LEN], struct hr_error *err)
{
	char b64[TERM_B64_LEN];
	FILE *f;
	int fd, bad;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return (errno == EEXIST ? hr_errorf(err, HR_E_IO, "file.exists",
		    "cannot create {file}: it exists (remove it first or "
		    "choose another --out)", HR_STR("file", path)) :
		    hr_errorf(err, HR_E_IO, "io.create", "cannot create "
		    "{file}: {reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(errno))));
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		return hr_errorf(err, HR_E_IO, "file.error", "{file}: {reason}",
		    HR_STR("file", path), HR_STR("reason", strerror(errno)));
	}
	sodium_bin2base64(b64, sizeof b64, sk, HR_PUBKEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
	fprintf(f, "# Hromada terminal key of \"%s\" (territory %s).\n"
	    "# Secret: keep it on this PC only, readable by the clerk alone.\n"
	    "# Use: hromada --terminal-key %s\n"
	    "terminal %s\nsecret %s\n", name, terr, path, name, b64);
	sodium_memzero(b64, sizeof b64);
	bad = fflush(f) != 0 || fsync(fd) != 0;
	bad |= fclose(f) != 0;
	if (bad) {
		unlink(path);
		return hr_errorf(err, HR_E_IO, "io.write", "cannot write "
		    "{file}: {reason}", HR_STR("file", path), HR_STR("reason",
		    strerror(errno)));
	}
	return 0;
}

static int
term_add(struct hr_db *db, const struct term_args *ta, struct hr_error *err)
{
	struct db_territory t;
	struct hr_keypair kp;
	char detail[256], object[96], fp[HR_FINGERPRINT_LEN];
	int rc;

	if (ta->territory == NULL || ta->out == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.options", "terminal add "
		    "needs --territory and --out");
	if (hr_terminal_name_check(ta->name, err) < 0 ||
	    db_territory_find(db, ta->territory, &t, err) < 0)
		return -1;
	hr_keypair_generate(&kp);
	hr_key_fingerprint(kp.pk, fp);
	snprintf(object, sizeof object, "terminal:%s", ta->name);
	snprintf(detail, sizeof detail, "territory %lld (%s), key %s",
	    (long long)t.id, t.name, fp);
	rc = db_begin(db, err);
	if (rc == 0) {
		rc = db_terminal_add(db, ta->name, t.id, kp.pk, db_now(), NULL,
		    err);
		if (rc == 0)
			rc = ctl_audit(db, "terminal.add", object, detail, err);
		/* The file last before the commit: no key file for a
		 * terminal that is not registered, and the other way round
		 * only if the commit itself fails. */
		if (rc == 0)
			rc = term_write_key(ta->out, ta->name, t.name, kp.sk, err);
		if (rc == 0 && db_commit(db, err) < 0) {
			unlink(ta->out);
			rc = -1;
		}
		if (rc < 0)
			db_rollback(db);
	}
	sodium_memzero(&kp, sizeof kp);
	if (rc == 0)
		printf(_("Terminal %s added: %s\nSecret key written to %s; copy "
		    "it to the PC and run: hromada --terminal-key FILE\n"),
		    ta->name, detail, ta->out);
	db_territory_free(&t);
	return rc;
}

static int
term_print(void *ud, const struct db_terminal *t)
{
	char fp[HR_FINGERPRINT_LEN], when[32];
	time_t at = (time_t)t->created_at;
	struct tm tm;

	(void)ud;
	hr_key_fingerprint(t->pk, fp);
	strftime(when, sizeof when, "%Y-%m-%d", localtime_r(&at, &tm));
	ctl_cells(t->name, 20, t->revoked_at ? _("revoked") : _("active"), 10,
	    NULL);
	printf(" %s %s  %lld %s\n", when, fp, (long long)t->territory_id,
	    t->territory_name);
	return 0;
}

static int
term_list(struct hr_db *db, const struct term_args *ta, struct hr_error *err)
{
	(void)ta;
	ctl_cells(_("NAME"), 20, _("STATE"), 10, _("ADDED"), 10,
	    _("KEY FINGERPRINT"), 50, NULL);
	printf("  %s\n", _("TERRITORY"));
	return db_terminal_each(db, term_print, NULL, err);
}

static int
term_revoke(struct hr_db *db, const struct term_args *ta, struct hr_error *err)
{
	char object[96];
	int rc;

	snprintf(object, sizeof object, "terminal:%s", ta->name);
	if (db_begin(db, err) < 0)
		return -1;
	rc = db_terminal_revoke(db, ta->name, db_now(), err);
	if (rc == 0)
		rc = ctl_audit(db, "terminal.revoke", object, NULL, err);
	if (rc == 0 && db_commit(db, err) == 0) {
		printf(_("Terminal %s revoked: its key no longer logs anyone "
		    "in\n"), ta->name);
		return 0;
	}
	db_rollback(db);
	return -1;
}

static const struct {
	const char *name;
	int       (*exec)(struct hr_db *, const struct term_args *,
	              struct hr_error *);
	int         needs_name;
	int         takes_opts;
} term_subs[] = {
	{ "add",    term_add,    1, 1 },
	{ "list",   term_list,   0, 0 },
	{ "revoke", term_revoke, 1, 0 },
};

static int
term_parse(int argc, char **argv, int needs_name, int takes_opts,
    struct term_args *ta, struct hr_error *err)
{
	for (int i = 2; i < argc; i++) {
		int r = 0;

		if (takes_opts && ((r = ctl_opt_value(argc, argv, &i,
		    "--territory", &ta->territory, err)) != 0 ||
		    (r = ctl_opt_value(argc, argv, &i, "--out", &ta->out,
		    err)) != 0)) {
			if (r < 0)
				return -1;
			continue;
		}
		if (needs_name && ta->name == NULL && argv[i][0] != '-')
			ta->name = argv[i];
		else
			return ctl_unexpected(argv[1], argv[i], err);
	}
	if (needs_name && ta->name == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "terminal "
		    "{command} needs a terminal name", HR_STR("command",
		    argv[1]));
	return 0;
}

static int
cmd_terminal_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct term_args ta = { 0 };
	struct hr_db *db;
	int rc;

	for (size_t i = 0; argc >= 2 && i < sizeof term_subs /
	    sizeof term_subs[0]; i++) {
		if (strcmp(argv[1], term_subs[i].name) != 0)
			continue;
		if (term_parse(argc, argv, term_subs[i].needs_name,
		    term_subs[i].takes_opts, &ta, err) < 0 ||
		    ctl_open(ctx, &db, err) < 0)
			return -1;
		rc = term_subs[i].exec(db, &ta, err);
		db_close(db);
		return rc;
	}
	return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "terminal wants "
	    "add, list or revoke");
}

const struct ctl_cmd ctl_cmd_terminal = {
	"terminal", cmd_terminal_exec, "add|list|revoke ...",
	N_("Register the PCs users may log in from (terminal keys)"),
	N_("terminal add NAME --territory TERRITORY --out FILE\n"
	"    Make a key pair for the PC NAME ([a-z0-9._-], up to 64), keep\n"
	"    its public key and write the secret key to FILE (mode 0600; an\n"
	"    existing FILE is never overwritten).  The terminal serves the\n"
	"    users of TERRITORY and everything below it.  On the PC:\n"
	"    hromada --terminal-key FILE.\n"
	"terminal list          every terminal, active and revoked\n"
	"terminal revoke NAME   the key stops working at once; the name is\n"
	"                       not reused\n"
	"A territory that requires terminals: hromadactl territory\n"
	"require-terminal.\n"),
};
