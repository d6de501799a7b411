/*
 * test_workflow.c — the workflow table says exactly what DOMAIN.md says:
 * every listed transition is allowed, and nothing else is.
 *
 * Alike on purpose: expected[] is written out again, independently of
 * proto/workflow.c's transitions[], from DOMAIN.md: the test compares the
 * two, so the rows must not be shared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proto/roles.h"
#include "proto/workflow.h"

#define B(r) HR_ROLE_BIT(HR_ROLE_##r)
#define FRONT (B(USER_STA) | B(USER_CNAP) | B(SUPER_USER_STA) | B(SUPER_USER_CNAP))
#define SUPER (B(SUPER_USER_STA) | B(SUPER_USER_CNAP))

/* DOMAIN.md "Transitions", written out independently of workflow.c. */
static const struct {
	int from, action;
	unsigned roles;
	int to, reason;
} expected[] = {
	{ HR_ST_DRAFT,          HR_ACT_SEND_OTG,     FRONT,        HR_ST_AT_OTG,         0 },
	{ HR_ST_RETURNED_FRONT, HR_ACT_SEND_OTG,     FRONT,        HR_ST_AT_OTG,         0 },
	{ HR_ST_DRAFT,          HR_ACT_SEND_SPSZN,   SUPER,        HR_ST_AT_SPSZN,       0 },
	{ HR_ST_RETURNED_FRONT, HR_ACT_SEND_SPSZN,   SUPER,        HR_ST_AT_SPSZN,       0 },
	{ HR_ST_AT_OTG,         HR_ACT_SEND_SPSZN,   SUPER | B(UPO_OTG), HR_ST_AT_SPSZN, 0 },
	{ HR_ST_RETURNED_OTG,   HR_ACT_SEND_SPSZN,   B(UPO_OTG),   HR_ST_AT_SPSZN,       0 },
	{ HR_ST_AT_OTG,         HR_ACT_RETURN_FRONT, B(UPO_OTG),   HR_ST_RETURNED_FRONT, 1 },
	{ HR_ST_RETURNED_OTG,   HR_ACT_RETURN_FRONT, B(UPO_OTG),   HR_ST_RETURNED_FRONT, 1 },
	{ HR_ST_AT_SPSZN,       HR_ACT_RETURN_OTG,   B(SPSZN),     HR_ST_RETURNED_OTG,   1 },
	{ HR_ST_AT_SPSZN,       HR_ACT_CHECK,        B(SPSZN),     HR_ST_CHECKED,        0 },
	{ HR_ST_CHECKED,        HR_ACT_EXPORT,       B(SPSZN),     HR_ST_EXPORTED,       0 },
	{ HR_ST_EXPORTED,       HR_ACT_ANSWER,       B(SPSZN),     HR_ST_ANSWERED,       0 },
};

static int
expected_to(int from, int action, int role, int *reason)
{
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
		if (expected[i].from == from && expected[i].action == action &&
		    (expected[i].roles & HR_ROLE_BIT(role))) {
			*reason = expected[i].reason;
			return expected[i].to;
		}
	return -1;
}

/* Every cell of status x action x role. */
static void
test_full_matrix(void **state)
{
	(void)state;
	int allowed = 0;
	for (int s = 0; s < HR_ST__COUNT; s++)
		for (int a = 0; a < HR_ACT__COUNT; a++)
			for (int r = 0; r < HR_ROLE__COUNT; r++) {
				int reason = 0;
				int to = expected_to(s, a, r, &reason);
				const struct hr_transition *t = hr_workflow_find(s, a, r);
				if (to < 0) {
					assert_null(t);
					continue;
				}
				assert_non_null(t);
				assert_int_equal(t->to, to);
				assert_int_equal(t->needs_reason, reason);
				allowed++;
			}
	/* 4 front roles x 2 + 2 super x 2 + 3 + 1 + 2 + 4 */
	assert_int_equal(allowed, 8 + 4 + 3 + 1 + 2 + 4);
}

static void
test_returns_need_reason(void **state)
{
	(void)state;
	int n;
	const struct hr_transition *t = hr_workflow_table(&n);
	for (int i = 0; i < n; i++) {
		int is_return = t[i].action == HR_ACT_RETURN_FRONT ||
		    t[i].action == HR_ACT_RETURN_OTG;
		assert_int_equal(t[i].needs_reason, is_return);
	}
}

static void
test_editing(void **state)
{
	(void)state;
	for (int s = 0; s < HR_ST__COUNT; s++)
		for (int r = 0; r < HR_ROLE__COUNT; r++) {
			int front = (FRONT & HR_ROLE_BIT(r)) != 0;
			int want = ((s == HR_ST_DRAFT || s == HR_ST_RETURNED_FRONT) && front) ||
			    (s == HR_ST_RETURNED_OTG && r == HR_ROLE_UPO_OTG);
			assert_int_equal(hr_workflow_can_edit(s, r), want);
		}
	assert_false(hr_workflow_can_edit(-1, 0));
	assert_false(hr_workflow_can_edit(0, HR_ROLE__COUNT));
}

static void
test_visibility(void **state)
{
	(void)state;
	for (int s = 0; s < HR_ST__COUNT; s++) {
		int reached = s == HR_ST_AT_SPSZN || s == HR_ST_RETURNED_OTG ||
		    s == HR_ST_CHECKED || s == HR_ST_EXPORTED || s == HR_ST_ANSWERED;
		assert_int_equal(hr_workflow_visible(s, HR_ROLE_SPSZN), reached);
		assert_true(hr_workflow_visible(s, HR_ROLE_USER_STA));
		assert_true(hr_workflow_visible(s, HR_ROLE_UPO_OTG));
		assert_false(hr_workflow_visible(s, HR_ROLE_OBLAST));
		assert_false(hr_workflow_visible(s, HR_ROLE_MINISTRY));
		assert_false(hr_workflow_visible(s, HR_ROLE_ADMIN));
	}
}

static void
test_names_round_trip(void **state)
{
	(void)state;
	for (int a = 0; a < HR_ACT__COUNT; a++)
		assert_int_equal(hr_action_from_name(hr_action_name(a)), a);
	for (int s = 0; s < HR_ST__COUNT; s++)
		assert_int_equal(hr_status_from_name(hr_status_name(s)), s);
	for (int r = 0; r < HR_ROLE__COUNT; r++)
		assert_int_equal(hr_role_from_name(hr_role_info(r)->name), r);
	for (int k = 0; k < HR_TERR__COUNT; k++)
		assert_int_equal(hr_terr_kind_from_name(hr_terr_kind_name(k)), k);
	assert_int_equal(hr_action_from_name("approve"), -1);
	assert_int_equal(hr_role_from_name("root"), -1);
	assert_null(hr_status_name(HR_ST__COUNT));
	assert_null(hr_role_info(-1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_matrix),
		cmocka_unit_test(test_returns_need_reason),
		cmocka_unit_test(test_editing),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
