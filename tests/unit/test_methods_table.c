/*
 * test_methods_table.c — the server's method table (srvd/method_table.c) is
 * complete and consistent: every method of proto/method_names.h has one row,
 * the rows are sorted and unique (binary search), each has a handler, a
 * schema with unique field names, a non-empty role mask; methods callable
 * before login are open to every role; no role without access to persons'
 * data may list applications.
 *
 * And proto/PROTOCOL.md, the contract a stranger writes a client from, says
 * exactly what the server does (issue 10): every method it documents is in
 * the table and every method of the table is documented; each method's
 * params in the document are its schema's fields, no more, no fewer; the
 * error-code table is proto/error.h's, and every "`HR_E_NAME` (N)" in the
 * text has the right number; the workflow table is proto/workflow.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "proto/error.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "srvd/method_table.h"

static const char *const protocol_methods[] = {
	HR_M_LOGIN, HR_M_RESUME, HR_M_LOGOUT, HR_M_PING,
	HR_M_JOURNAL_LIST, HR_M_REPORT_SUMMARY, HR_M_USER_LIST,
	HR_M_REPORT_GET, HR_M_REPORT_MONITOR,
	HR_M_APPLICATION_GET, HR_M_APPLICATION_SAVE, HR_M_APPLICATION_TRANSITION,
	HR_M_APPLICATION_BATCH,
	HR_M_PERSON_GET, HR_M_PERSON_SEARCH, HR_M_REFERENCE_GET,
	HR_M_TERRITORY_FRONT_OFFICES,
	HR_M_DAT_EXPORT, HR_M_DAT_GET, HR_M_DAT_IMPORT, HR_M_DAT_LIST,
	HR_M_APPLICATION_NOTIFY, HR_M_APPLICATION_PRINT,
	HR_M_REGISTER_CANDIDATES, HR_M_REGISTER_CREATE, HR_M_REGISTER_GET,
	HR_M_REGISTER_LIST,
	HR_M_UPLOAD_BEGIN, HR_M_UPLOAD_CHUNK, HR_M_UPLOAD_PROVE,
	HR_M_UPLOAD_CANCEL, HR_M_ATTACHMENT_READ, HR_M_ATTACHMENT_DETACH,
};
#define NPROTO (sizeof protocol_methods / sizeof protocol_methods[0])

static void
test_sorted_unique(void **state)
{
	assert_true(srv_nmethods > 0);
	for (size_t i = 1; i < srv_nmethods; i++)
		if (strcmp(srv_methods[i - 1].name, srv_methods[i].name) >= 0)
			fail_msg("rows %zu and %zu out of order: %s, %s", i - 1, i,
			    srv_methods[i - 1].name, srv_methods[i].name);
}

static void
test_rows_complete(void **state)
{
	for (size_t i = 0; i < srv_nmethods; i++) {
		const struct srv_method *m = &srv_methods[i];

		assert_non_null(m->name);
		assert_non_null(m->handler);
		if (m->params == NULL)
			fail_msg("%s has no params schema", m->name);
		if (m->params->count > 0 && m->params->fields == NULL)
			fail_msg("%s: schema count without fields", m->name);
		assert_true(m->params->count <= HR_SCHEMA_MAX_FIELDS);
		if (m->roles == 0 || (m->roles & ~HR_ROLES_ALL) != 0)
			fail_msg("%s: bad role mask %#x", m->name, m->roles);
		if (!m->needs_login && m->roles != HR_ROLES_ALL)
			fail_msg("%s: a role mask means nothing before login",
			    m->name);
		for (size_t a = 0; a < m->params->count; a++)
			for (size_t b = a + 1; b < m->params->count; b++)
				if (strcmp(hr_schema_field(m->params, a)->name,
				    hr_schema_field(m->params, b)->name) == 0)
					fail_msg("%s: field %s twice", m->name,
					    hr_schema_field(m->params, a)->name);
	}
}

static void
test_every_protocol_method(void **state)
{
	assert_int_equal(srv_nmethods, NPROTO);
	for (size_t i = 0; i < NPROTO; i++) {
		const char *n = protocol_methods[i];
		const struct srv_method *m = srv_method_find(n, strlen(n));

		if (m == NULL || strcmp(m->name, n) != 0)
			fail_msg("%s is not in the table", n);
	}
}

static void
test_find(void **state)
{
	assert_null(srv_method_find("", 0));
	assert_null(srv_method_find("pin", 3));
	assert_null(srv_method_find("pingg", 5));
	assert_null(srv_method_find("zzz", 3));
	assert_null(srv_method_find("aaa", 3));
	/* counted, not NUL-terminated */
	assert_non_null(srv_method_find("ping-and-more", 4));
}

/* DOMAIN.md: oblast, ministry and admin never see persons' data. */
static void
test_personal_data_roles(void **state)
{
	const struct srv_method *m = srv_method_find(HR_M_JOURNAL_LIST,
	    strlen(HR_M_JOURNAL_LIST));

	assert_non_null(m);
	assert_true(m->needs_login);
	/* A read: on a query thread, and its audit record is appended by the
	 * loop before the reply may go (query.h; test_intake checks it). */
	assert_false(m->writes);
	for (int r = 0; r < HR_ROLE__COUNT; r++)
		if ((m->roles & HR_ROLE_BIT(r)) && !hr_role_info(r)->personal_data)
			fail_msg("role %s may list applications",
			    hr_role_info(r)->name);
}

/* ---- proto/PROTOCOL.md against the tables ------------------------------ */

#ifndef HR_TOP_SRCDIR
#define HR_TOP_SRCDIR "."
#endif

/* The document's lines (one buffer, the newlines turned to NULs). */
static char  *doc;
static char **lines;
static size_t nlines;

static int
doc_load(void **state)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	size_t cap = 0, len = 0, n;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/proto/PROTOCOL.md", top && *top ? top :
	    HR_TOP_SRCDIR);
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	for (;;) {
		if (len + 4096 > cap && (doc = realloc(doc, cap += 65536)) == NULL)
			return -1;
		if ((n = fread(doc + len, 1, cap - len - 1, f)) == 0)
			break;
		len += n;
	}
	fclose(f);
	doc[len] = '\0';
	for (char *p = doc; p != NULL && *p != '\0'; ) {
		char *nl = strchr(p, '\n');

		if ((nlines & 1023) == 0 &&
		    (lines = realloc(lines, (nlines + 1024) * sizeof *lines)) == NULL)
			return -1;
		lines[nlines++] = p;
		if (nl != NULL)
			*nl = '\0';
		p = nl != NULL ? nl + 1 : NULL;
	}
	return 0;
}

static int
doc_free(void **state)
{
	(void)state;
	free(lines);
	free(doc);
	return 0;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The first `name` in backquotes at or after s into out; the char after
 * it, or NULL when there is none. */
static const char *
backquoted(const char *s, char *out, size_t cap)
{
	const char *a = strchr(s, '`'), *b;

	if (a == NULL || (b = strchr(a + 1, '`')) == NULL)
		return NULL;
	snprintf(out, cap, "%.*s", (int)(b - a - 1), a + 1);
	return b + 1;
}

/* The line of the heading "#### `name`" of method `name`; 0 if none. */
static size_t
method_heading(const char *name)
{
	char want[128];

	snprintf(want, sizeof want, "#### `%s`", name);
	for (size_t i = 0; i < nlines; i++)
		if (strcmp(lines[i], want) == 0)
			return i;
	return 0;
}

/* Every "#### `name`" names a method of the table (or the notification
 * closing), and every method of the table has its section. */
static void
test_doc_methods(void **state)
{
	(void)state;
	for (size_t i = 0; i < nlines; i++) {
		char name[128];

		if (!starts(lines[i], "#### `") ||
		    backquoted(lines[i], name, sizeof name) == NULL)
			continue;
		if (strcmp(name, HR_N_CLOSING) == 0)
			continue;
		if (srv_method_find(name, strlen(name)) == NULL)
			fail_msg("PROTOCOL.md line %zu documents \"%s\", which the "
			    "server does not have", i + 1, name);
	}
	for (size_t i = 0; i < srv_nmethods; i++)
		if (method_heading(srv_methods[i].name) == 0)
			fail_msg("%s is not documented in PROTOCOL.md (a heading "
			    "\"#### `%s`\")", srv_methods[i].name,
			    srv_methods[i].name);
}

/* The params a method's section documents: its "| param |" table's first
 * column, or the backquoted names of its "Params: ..." sentence. */
#define DOC_PARAMS_MAX 32
struct doc_params {
	char   name[DOC_PARAMS_MAX][64];
	size_t n;
	int    found;
};

static void
params_add(struct doc_params *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->name[i], name) == 0)
			return;
	if (d->n < DOC_PARAMS_MAX)
		snprintf(d->name[d->n++], sizeof d->name[0], "%s", name);
}

static void
params_table(struct doc_params *d, size_t from, size_t to)
{
	for (size_t i = from; i < to && starts(lines[i], "|"); i++) {
		const char *cell = lines[i] + 1, *end = strchr(cell, '|');
		char name[64], first[256];
		const char *p;

		if (end == NULL || starts(lines[i], "|---"))
			continue;
		snprintf(first, sizeof first, "%.*s", (int)(end - cell), cell);
		for (p = first; (p = backquoted(p, name, sizeof name)) != NULL; )
			params_add(d, name);
	}
}

static void
params_sentence(struct doc_params *d, const char *s)
{
	const char *stop = strstr(s, "Result");
	char name[64];

	if (strstr(s, "Params: none") != NULL)
		return;
	for (const char *p = s; (p = strchr(p, '`')) != NULL &&
	    (stop == NULL || p < stop); ) {
		const char *next = backquoted(p, name, sizeof name);

		if (next == NULL)
			break;
		params_add(d, name);
		p = next;
	}
}

static void
doc_params_of(const char *method, struct doc_params *d)
{
	size_t h = method_heading(method), end;

	memset(d, 0, sizeof *d);
	if (h == 0)
		return;
	for (end = h + 1; end < nlines && !starts(lines[end], "#### ") &&
	    !starts(lines[end], "### ") && !starts(lines[end], "## "); end++)
		;
	for (size_t i = h + 1; i < end; i++) {
		if (starts(lines[i], "| param |")) {
			d->found = 1;
			params_table(d, i + 2, end);
			return;
		}
	}
	for (size_t i = h + 1; i < end; i++) {
		const char *p = strstr(lines[i], "Params:");
		char para[1024];
		size_t n = 0;

		if (p == NULL)
			continue;
		/* The sentence may go on over the next lines. */
		for (size_t k = i; k < end && *lines[k] != '\0'; k++)
			n += (size_t)snprintf(para + n, sizeof para - n, "%s ",
			    k == i ? p : lines[k]);
		d->found = 1;
		params_sentence(d, para);
		return;
	}
}

/* Each method's documented params are exactly its schema's fields. */
static void
test_doc_params(void **state)
{
	(void)state;
	for (size_t i = 0; i < srv_nmethods; i++) {
		const struct srv_method *m = &srv_methods[i];
		struct doc_params d;

		doc_params_of(m->name, &d);
		if (!d.found)
			fail_msg("PROTOCOL.md: %s has no param table and no "
			    "\"Params:\" sentence", m->name);
		for (size_t f = 0; f < m->params->count; f++) {
			size_t k;

			for (k = 0; k < d.n; k++)
				if (strcmp(d.name[k], hr_schema_field(m->params, f)->name) == 0)
					break;
			if (k == d.n)
				fail_msg("PROTOCOL.md: %s does not document its "
				    "param \"%s\"", m->name,
				    hr_schema_field(m->params, f)->name);
		}
		for (size_t k = 0; k < d.n; k++) {
			size_t f;

			for (f = 0; f < m->params->count; f++)
				if (strcmp(d.name[k], hr_schema_field(m->params, f)->name) == 0)
					break;
			if (f == m->params->count)
				fail_msg("PROTOCOL.md: %s documents a param \"%s\" "
				    "the server does not take", m->name, d.name[k]);
		}
	}
}

/* The "## Error codes" table is proto/error.h's, both ways. */
static void
test_doc_error_codes(void **state)
{
	int seen[HR_E__COUNT] = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < nlines && !starts(lines[i], "| code | name |"); i++)
		;
	assert_true(i < nlines);
	for (i += 2; i < nlines && starts(lines[i], "| "); i++) {
		char name[64];
		int code;

		if (sscanf(lines[i], "| %d |", &code) != 1 ||
		    backquoted(lines[i], name, sizeof name) == NULL)
			fail_msg("PROTOCOL.md line %zu: not a code row", i + 1);
		if (code < 0 || code >= HR_E__COUNT)
			fail_msg("PROTOCOL.md documents error code %d, which "
			    "proto/error.h does not have", code);
		if (strcmp(name, hr_error_name(code)) != 0)
			fail_msg("PROTOCOL.md: code %d is \"%s\", proto/error.h "
			    "says \"%s\"", code, name, hr_error_name(code));
		seen[code]++;
	}
	for (int c = 0; c < HR_E__COUNT; c++)
		if (seen[c] != 1)
			fail_msg("PROTOCOL.md's code table has error %d (%s) %d "
			    "times", c, hr_error_name(c), seen[c]);
}

/* "`HR_E_NOT_FOUND` (8)" anywhere: the name and the number agree. */
static void
test_doc_error_mentions(void **state)
{
	int mentions = 0;

	(void)state;
	for (size_t i = 0; i < nlines; i++)
		for (const char *p = lines[i]; (p = strstr(p, "`HR_E_")) != NULL;
		    p++) {
			char name[64], lower[64];
			const char *q = p + 6;
			int code, c;
			size_t n = strcspn(q, "`");

			snprintf(name, sizeof name, "%.*s", (int)n, q);
			for (size_t k = 0; k <= strlen(name); k++)
				lower[k] = (char)tolower((unsigned char)name[k]);
			for (c = 0; c < HR_E__COUNT; c++)
				if (strcmp(hr_error_name(c), lower) == 0)
					break;
			if (c == HR_E__COUNT)
				fail_msg("PROTOCOL.md line %zu names HR_E_%s, which "
				    "proto/error.h does not have", i + 1, name);
			if (sscanf(q + n, "` (%d)", &code) == 1) {
				mentions++;
				if (code != c)
					fail_msg("PROTOCOL.md line %zu: HR_E_%s is %d, "
					    "not %d", i + 1, name, c, code);
			}
		}
	assert_true(mentions > 10);
}

/* A role list "`userSta`, `userCnap`" as a role mask. */
static unsigned
doc_roles(const char *cell)
{
	unsigned mask = 0;
	char name[64];

	for (const char *p = cell; (p = backquoted(p, name, sizeof name)) != NULL; ) {
		int r = hr_role_from_name(name);

		if (r < 0)
			fail_msg("PROTOCOL.md workflow: unknown role \"%s\"", name);
		mask |= HR_ROLE_BIT(r);
	}
	return mask;
}

/* The workflow table under application.transition is proto/workflow.c's. */
static void
test_doc_workflow(void **state)
{
	int count, rows = 0;
	const struct hr_transition *t = hr_workflow_table(&count);
	size_t i;

	(void)state;
	for (i = 0; i < nlines && !starts(lines[i], "| from | action | roles |");
	    i++)
		;
	assert_true(i < nlines);
	for (i += 2; i < nlines && starts(lines[i], "| "); i++, rows++) {
		char cell[5][256], from[32], action[32], to[32];
		const char *p = lines[i] + 1;
		int k, found = 0;

		for (k = 0; k < 5; k++) {
			size_t n = strcspn(p, "|");

			snprintf(cell[k], sizeof cell[k], "%.*s", (int)n, p);
			p += n + (p[n] == '|');
		}
		if (backquoted(cell[0], from, sizeof from) == NULL ||
		    backquoted(cell[1], action, sizeof action) == NULL ||
		    backquoted(cell[3], to, sizeof to) == NULL)
			fail_msg("PROTOCOL.md line %zu: not a workflow row", i + 1);
		for (int j = 0; j < count; j++)
			if (t[j].from == hr_status_from_name(from) &&
			    t[j].action == hr_action_from_name(action) &&
			    t[j].to == hr_status_from_name(to) &&
			    t[j].roles == doc_roles(cell[2]) &&
			    t[j].needs_reason == (strstr(cell[4], "yes") != NULL))
				found = 1;
		if (!found)
			fail_msg("PROTOCOL.md line %zu: no such row in "
			    "proto/workflow.c: %s", i + 1, lines[i]);
	}
	assert_int_equal(rows, count);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorted_unique),
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_every_protocol_method),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_personal_data_roles),
	};

	const struct CMUnitTest doc_tests[] = {
		cmocka_unit_test(test_doc_methods),
		cmocka_unit_test(test_doc_params),
		cmocka_unit_test(test_doc_error_codes),
		cmocka_unit_test(test_doc_error_mentions),
		cmocka_unit_test(test_doc_workflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL) |
	    cmocka_run_group_tests_name("PROTOCOL.md", doc_tests, doc_load,
	    doc_free);
}
