/*
 * errmsg.c — errors in the clerk's language (errmsg.h).  Tables: the words
 * for the segments of a request field path and for the fields of *.DAT
 * lines; hr_error_render does the rest with gettext and the value hook.
 */
#include "config.h"

#include "tui/errmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <wctype.h>

#include "proto/app_fields.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tui/words.h"
#include "tui/tui.h"

/* Path segments: an array's element is its word and its 1-based index
 * ("family[2]" → "family member 2").  The application's fields have their
 * words in proto/app_fields.h; these are the other methods' params. */
static const struct {
	const char *seg, *label;
} path_words[] = {
	{ "reason",         N_("reason") },
	{ "action",         N_("action") },
	{ "q",              N_("search") },
	{ "status",         N_("status") },
	{ "package",        N_("package of documents") },
	{ "date_from",      N_("date from") },
	{ "date_to",        N_("date to") },
	{ "front_office",   N_("front office") },
	{ "system",         N_("decision system") },
	{ "charset",        N_("encoding") },
	{ "user",           N_("user name") },
	{ "password",       N_("password") },
	{ "ticket",         N_("session ticket") },
	{ "terminal",       N_("terminal") },
	{ "terminal_proof", N_("terminal proof") },
	{ "limit",          N_("page size") },
	{ "before",         N_("page") },
	{ "document",       N_("document type") },
	{ "size",           N_("file size") },
	{ "hash",           N_("file checksum") },
	{ "data",           N_("file data") },
	{ "offset",         N_("position in the file") },
	{ "token",          N_("reading token") },
	{ "proof",          N_("proof of the file") },
};

/* Fields of *.DAT lines (hromada-dat(5)): the name in the file stays in
 * brackets, as the back office compares with the file itself.  A field
 * the application has too (surname, iban, ...) is said with the
 * application's word (proto/app_fields.h); these are the file's own. */
static const struct {
	const char *field, *label;
} dat_words[] = {
	{ "magic",       N_("file signature") },
	{ "version",     N_("format version") },
	{ "kind",        N_("file kind") },
	{ "charset",     N_("encoding") },
	{ "system",      N_("decision system") },
	{ "number",      N_("file number") },
	{ "office",      N_("back office") },
	{ "created",     N_("created") },
	{ "count",       N_("number of records") },
	{ "tag",         N_("line type") },
	{ "id",          N_("application id") },
	{ "reg_no",      N_("registration number") },
	{ "pay_method",  N_("payment method") },
	{ "decision",    N_("decision") },
	{ "reason",      N_("reason") },
	{ "crc32",       N_("checksum") },
};


static void
put(char *buf, size_t cap, size_t *len, const char *s)
{
	int n;

	if (*len >= cap)
		return;
	n = snprintf(buf + *len, cap - *len, "%s", s);
	if (n > 0)
		*len += (size_t)n < cap - *len ? (size_t)n : cap - *len - 1;
}

/* The word for a path segment p[0..n) into *label (NULL: said already);
 * 0 when the segment is no known field. */
static int
seg_word(const char *p, size_t n, const char **label)
{
	const struct hr_app_field *f;
	char key[64];

	snprintf(key, sizeof key, "%.*s", (int)n, p);
	if ((f = hr_app_field_of_path(key)) != NULL) {
		*label = f->word;
		return 1;
	}
	for (size_t i = 0; i < sizeof path_words / sizeof path_words[0]; i++)
		if (strcmp(path_words[i].seg, key) == 0) {
			*label = path_words[i].label;
			return 1;
		}
	return 0;
}

const char *
errmsg_path(const char *path, char *buf, size_t cap)
{
	const char *p = path;
	size_t len = 0;

	buf[0] = '\0';
	while (*p != '\0') {
		size_t n = strcspn(p, ".[");
		const char *label = NULL;
		int idx = -1, known = 0;
		char seg[96];

		if (p[n] == '[') {
			idx = atoi(p + n + 1);
		}
		known = seg_word(p, n, &label);
		if (!known)
			snprintf(seg, sizeof seg, "%.*s", (int)n, p);
		else
			snprintf(seg, sizeof seg, "%s", label ? _(label) : "");
		if (idx >= 0 && seg[0] != '\0')
			snprintf(seg + strlen(seg), sizeof seg - strlen(seg),
			    " %d", idx);
		if (seg[0] != '\0') {
			if (len > 0)
				put(buf, cap, &len, ", ");
			put(buf, cap, &len, seg);
		}
		p += n;
		if (*p == '[')
			p += strcspn(p, "]") + (strchr(p, ']') ? 1 : 0);
		if (*p == '.')
			p++;
	}
	return buf;
}

static const char *
dat_field(const char *f, char *buf, size_t cap)
{
	const struct hr_app_field *a;

	for (size_t i = 0; i < sizeof dat_words / sizeof dat_words[0]; i++)
		if (strcmp(dat_words[i].field, f) == 0) {
			snprintf(buf, cap, "«%s» (%s)", _(dat_words[i].label), f);
			return buf;
		}
	if ((a = hr_app_field_of_path(f)) != NULL && a->word != NULL) {
		snprintf(buf, cap, "«%s» (%s)", _(a->word), f);
		return buf;
	}
	return NULL;
}

/* The value hook of hr_error_render (error.h lists the names). */
static const char *
value_word(const char *name, const char *val, char *buf, size_t cap)
{
	int k;

	if (strcmp(name, "path") == 0)
		return errmsg_path(val, buf, cap);
	if (strcmp(name, "label") == 0)
		return _(val);
	if (strcmp(name, "field") == 0)
		return dat_field(val, buf, cap);
	if (strcmp(name, "status") == 0 || strcmp(name, "from") == 0 ||
	    strcmp(name, "to") == 0) {
		const char *l = hr_status_label(hr_status_from_name(val));

		if (l == NULL)
			return NULL;
		snprintf(buf, cap, "«%s»", l);
		return buf;
	}
	if (strcmp(name, "system") == 0)
		return words_system(val);
	if (strcmp(name, "role") == 0) {
		const struct hr_role_info *ri = hr_role_info(hr_role_from_name(val));

		return ri != NULL ? _(ri->label) : NULL;
	}
	if (strcmp(name, "action") == 0 &&
	    (k = hr_action_from_name(val)) >= 0) {
		snprintf(buf, cap, "«%s»", _(hr_action_label(k)));
		return buf;
	}
	return NULL;
}

/* A sentence on the screen starts with a capital letter (the English
 * texts are written to follow "line 3: ", so they start small). */
static void
capitalize(char *s)
{
	mbstate_t st;
	wchar_t wc;
	char up[MB_LEN_MAX];
	size_t n, m;

	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s, strlen(s), &st);
	if (n == 0 || n == (size_t)-1 || n == (size_t)-2 ||
	    (wint_t)wc == towupper((wint_t)wc))
		return;
	memset(&st, 0, sizeof st);
	m = wcrtomb(up, (wchar_t)towupper((wint_t)wc), &st);
	if (m != n)            /* same length in UTF-8 for Latin and Cyrillic */
		return;
	memcpy(s, up, m);
}

static const char *
translate(const char *msgid)
{
	return gettext(msgid);
}

static const struct hr_error_lang errmsg_lang = { translate, value_word };

const char *
errmsg(const struct hr_error *e, char *buf, size_t cap)
{
	hr_error_render(e, &errmsg_lang, buf, cap);
	capitalize(buf);
	return buf;
}

const char *
errmsg_problem(const struct hr_error *e, char *buf, size_t cap)
{
	struct hr_error inner = *e;

	if (inner.nparts > 1)
		inner.nparts = 1;
	return errmsg(&inner, buf, cap);
}
