/*
 * util.c — helpers of hromadactl's commands: opening the database, options,
 * the audit record of a change, reading a password.
 */
#include "ctl/ctl.h"
#include "db/audit.h"
#include "db/keys.h"
#include "db/reference.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#ifndef HR_PKGDATADIR
#define HR_PKGDATADIR "/usr/local/share/hromada"
#endif
#ifndef HR_SRCREFDIR
#define HR_SRCREFDIR "db/reference"
#endif

#define CTL_PASSWORD_MAX 1024

int
ctl_open(struct ctl_ctx *ctx, struct hr_db **db, struct hr_error *err)
{
	struct hr_server_keys keys;

	if (db_open(db, ctx->db_path, 0, err) < 0)
		return -1;
	/* The key is what init creates last: without it, init never ran. */
	if (db_keys_load(*db, db_now(), &keys, err) < 0) {
		db_close(*db);
		*db = NULL;
		return hr_error_set(err, HR_E_NOT_FOUND, "%s is not initialised "
		    "(run hromadactl init)", ctx->db_path);
	}
	sodium_memzero(&keys, sizeof keys);
	return 0;
}

/* Does dir hold the reference files? */
static int
ctl_has_reference(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, DB_REF_SERVICES);
	return access(path, R_OK) == 0;
}

const char *
ctl_reference_dir(const char *given)
{
	if (given != NULL)
		return given;
	if (ctl_has_reference(HR_PKGDATADIR))
		return HR_PKGDATADIR;
	/* Not installed: running from the build tree. */
	return HR_SRCREFDIR;
}

int
ctl_opt_value(int argc, char **argv, int *i, const char *name,
    const char **value, struct hr_error *err)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return hr_error_set(err, HR_E_USAGE, "option %s needs a value",
		    name);
	*value = argv[++*i];
	return 1;
}

int
ctl_audit(struct hr_db *db, const char *action, const char *object,
    const char *detail, struct hr_error *err)
{
	struct db_audit_entry e = { 0 };
	const char *tty = ttyname(STDIN_FILENO);
	const char *login = getenv("SUDO_USER");
	char where[256];

	if (login == NULL)
		login = getenv("USER");
	/* Who ran the tool and where: the nearest thing to an address. */
	snprintf(where, sizeof where, "%s@%s", login ? login : "?",
	    tty ? tty : "notty");
	e.actor = "hromadactl";
	e.address = where;
	e.action = action;
	e.object = object;
	e.detail = detail;
	return db_audit(db, &e, err);
}

/* One line from f without its newline; NULL at EOF or on error. */
static char *
ctl_read_line(FILE *f, struct hr_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);

	if (n < 0) {
		free(line);
		hr_error_set(err, HR_E_INVALID, "no password given on standard "
		    "input");
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n > CTL_PASSWORD_MAX) {
		ctl_password_free(line);
		hr_error_set(err, HR_E_INVALID, "password is too long");
		return NULL;
	}
	return line;
}

/* Prompt on the terminal with echo off. */
static char *
ctl_prompt(const char *prompt, struct hr_error *err)
{
	struct termios old, quiet;
	char *pw;
	int restore;

	fputs(prompt, stderr);
	fflush(stderr);
	restore = tcgetattr(STDIN_FILENO, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	pw = ctl_read_line(stdin, err);
	if (restore)
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return pw;
}

char *
ctl_password_read(int from_stdin, struct hr_error *err)
{
	char *a, *b;
	int same;

	if (from_stdin || !isatty(STDIN_FILENO))
		return ctl_read_line(stdin, err);
	if ((a = ctl_prompt("New password: ", err)) == NULL)
		return NULL;
	if ((b = ctl_prompt("Repeat the password: ", err)) == NULL) {
		ctl_password_free(a);
		return NULL;
	}
	same = strcmp(a, b) == 0;
	ctl_password_free(b);
	if (!same) {
		ctl_password_free(a);
		hr_error_set(err, HR_E_INVALID, "the passwords do not match");
		return NULL;
	}
	return a;
}

void
ctl_password_free(char *pw)
{
	if (pw == NULL)
		return;
	sodium_memzero(pw, strlen(pw));
	free(pw);
}
