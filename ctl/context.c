/*
 * context.c — what every hromadactl command starts from: the database it
 * works on, the reference data directory, and the audit record of a change
 * made by the tool.
 */
#include "config.h"

#include "ctl/ctl.h"
#include "db/audit.h"
#include "db/keypairs.h"
#include "db/reference.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>


#ifndef HR_PKGDATADIR
#define HR_PKGDATADIR "/usr/local/share/hromada"
#endif
#ifndef HR_SRCREFDIR
#define HR_SRCREFDIR "db/reference"
#endif

int
ctl_open(struct ctl_ctx *ctx, struct hr_db **db, struct hr_error *err)
{
	struct hr_server_keys keys;
	struct hr_error e;
	char text[HR_ERROR_MSG_MAX * 2];

	if (db_open(db, ctx->db_path, 0, err) < 0)
		return -1;
	/* The key is what init creates last: without it, init never ran. */
	hr_error_clear(&e);
	if (db_keys_load(*db, ctx->key_path, db_now(), &keys, &e) < 0 &&
	    e.code != HR_E_IO) {
		db_close(*db);
		*db = NULL;
		if (e.code != HR_E_NOT_FOUND)
			return hr_error_set(err, e.code, "%s", e.msg);
		return hr_errorf(err, HR_E_NOT_FOUND, "ctl.not_initialised",
		    "{file} is not initialised (run hromadactl init)",
		    HR_STR("file", ctx->db_path));
	}
	if (e.code == HR_E_IO)
		fprintf(stderr, "hromadactl: %s: %s\n", _("warning"),
		    ctl_error_text(&e, text, sizeof text));
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

/* Values an administrator reads in words: English labels that are
 * msgids.  Roles, kinds and statuses stay the names the commands take. */
static const char *
ctl_value_word(const char *name, const char *val, char *buf, size_t cap)
{
	(void)buf;
	(void)cap;
	if (strcmp(name, "label") == 0)
		return gettext(val);
	return NULL;
}

static const char *
ctl_translate(const char *msgid)
{
	return gettext(msgid);
}

const char *
ctl_error_text(const struct hr_error *e, char *buf, size_t cap)
{
	static const struct hr_error_lang lang = { ctl_translate,
	    ctl_value_word };

	if (e->nparts == 0) {
		snprintf(buf, cap, "%s", e->msg[0] ? e->msg :
		    gettext(hr_error_text(e->code)));
		return buf;
	}
	return hr_error_render(e, &lang, buf, cap);
}

void
ctl_cell(const char *s, int width)
{
	size_t n = mbstowcs(NULL, s, 0);
	int cols = -1;
	wchar_t *w;

	if (n != (size_t)-1 && (w = calloc(n + 1, sizeof *w)) != NULL) {
		mbstowcs(w, s, n + 1);
		cols = wcswidth(w, n);
		free(w);
	}
	if (cols < 0)
		cols = (int)strlen(s);
	fputs(s, stdout);
	for (; cols < width; cols++)
		putchar(' ');
}

void
ctl_cells(const char *s, int width, ...)
{
	va_list ap;

	va_start(ap, width);
	for (;;) {
		ctl_cell(s, width);
		if ((s = va_arg(ap, const char *)) == NULL)
			break;
		width = va_arg(ap, int);
		putchar(' ');
	}
	va_end(ap);
}

const char *
ctl_where(char *buf, size_t cap)
{
	const char *tty = ttyname(STDIN_FILENO);
	const char *login = getenv("SUDO_USER");

	if (login == NULL)
		login = getenv("USER");
	/* Who ran the tool and where: the nearest thing to an address. */
	snprintf(buf, cap, "%s@%s", login ? login : "?", tty ? tty : "notty");
	return buf;
}

int
ctl_audit(struct hr_db *db, const char *action, const char *object,
    const char *detail, struct hr_error *err)
{
	struct db_audit_entry e = { 0 };
	char where[256];

	e.actor = "hromadactl";
	e.address = ctl_where(where, sizeof where);
	e.action = action;
	e.object = object;
	e.detail = detail;
	return db_audit(db, &e, err);
}
