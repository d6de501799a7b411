/*
 * test_methods_table.c — the server's method table (srvd/method_table.c) is
 * complete and consistent: every method of proto/method_names.h has one row,
 * the rows are sorted and unique (binary search), each has a handler, a
 * schema with unique field names, a non-empty role mask; methods callable
 * before login are open to every role; no role without access to persons'
 * data may list applications.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "proto/method_names.h"
#include "proto/roles.h"
#include "srvd/method_table.h"

static const char *const protocol_methods[] = {
	HR_M_LOGIN, HR_M_RESUME, HR_M_LOGOUT, HR_M_PING,
	HR_M_JOURNAL_LIST, HR_M_REPORT_SUMMARY, HR_M_USER_LIST,
	HR_M_APPLICATION_GET, HR_M_APPLICATION_SAVE, HR_M_APPLICATION_TRANSITION,
	HR_M_PERSON_GET, HR_M_PERSON_SEARCH, HR_M_REFERENCE_GET,
	HR_M_TERRITORY_FRONT_OFFICES,
	HR_M_DAT_EXPORT, HR_M_DAT_GET, HR_M_DAT_IMPORT, HR_M_DAT_LIST,
	HR_M_APPLICATION_NOTIFY, HR_M_APPLICATION_PRINT,
	HR_M_REGISTER_CANDIDATES, HR_M_REGISTER_CREATE, HR_M_REGISTER_GET,
	HR_M_REGISTER_LIST,
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
				if (strcmp(m->params->fields[a].name,
				    m->params->fields[b].name) == 0)
					fail_msg("%s: field %s twice", m->name,
					    m->params->fields[a].name);
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

	return cmocka_run_group_tests(tests, NULL, NULL);
}
