/*
 * password.c — reading a new password for hromadactl: twice with echo off
 * on a terminal, or one line from standard input for scripts.  Passwords
 * are wiped from memory when freed.
 */
#include "ctl/ctl.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CTL_PASSWORD_MAX 1024

/* One line from f without its newline; NULL at EOF or on error. */
static char *
ctl_read_line(FILE *f, struct hr_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);

	if (n < 0) {
		free(line);
		hr_errorf(err, HR_E_INVALID, "ctl.password_stdin", "no "
		    "password given on standard input");
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n > CTL_PASSWORD_MAX) {
		ctl_password_free(line);
		hr_errorf(err, HR_E_INVALID, "user.password_long", "password "
		    "is too long");
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
	if ((a = ctl_prompt(_("New password: "), err)) == NULL)
		return NULL;
	if ((b = ctl_prompt(_("Repeat the password: "), err)) == NULL) {
		ctl_password_free(a);
		return NULL;
	}
	same = strcmp(a, b) == 0;
	ctl_password_free(b);
	if (!same) {
		ctl_password_free(a);
		hr_errorf(err, HR_E_INVALID, "ctl.password_mismatch",
		    "the passwords do not match");
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
