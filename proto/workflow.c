/*
 * workflow.c — the transition and editing tables.
 *
 * Read a row as: "from <status>, <roles> may <action>, and the application
 * becomes <to>".  The rows are transcribed from DOMAIN.md; change them there
 * first.
 *
 * Alike on purpose: tests/unit/test_workflow.c writes the transitions out
 * again from DOMAIN.md, independently, and compares them with this table.
 */
#include "proto/workflow.h"

#include <stddef.h>
#include <string.h>

#include "proto/roles.h"

#define R(x) HR_ROLE_BIT(HR_ROLE_##x)
#define FRONT (HR_ROLES_FRONT | HR_ROLES_SUPER)

static const struct hr_transition transitions[] = {
	/* front office (and the super users, who are front offices too) */
	{ HR_ST_DRAFT,          HR_ACT_SEND_OTG,     FRONT,          HR_ST_AT_OTG,         0 },
	{ HR_ST_RETURNED_FRONT, HR_ACT_SEND_OTG,     FRONT,          HR_ST_AT_OTG,         0 },
	/* super users: check and send straight to the back office */
	{ HR_ST_DRAFT,          HR_ACT_SEND_SPSZN,   HR_ROLES_SUPER, HR_ST_AT_SPSZN,       0 },
	{ HR_ST_RETURNED_FRONT, HR_ACT_SEND_SPSZN,   HR_ROLES_SUPER, HR_ST_AT_SPSZN,       0 },
	{ HR_ST_AT_OTG,         HR_ACT_SEND_SPSZN,   HR_ROLES_SUPER | R(UPO_OTG), HR_ST_AT_SPSZN, 0 },
	/* hromada social protection unit */
	{ HR_ST_RETURNED_OTG,   HR_ACT_SEND_SPSZN,   R(UPO_OTG),     HR_ST_AT_SPSZN,       0 },
	{ HR_ST_AT_OTG,         HR_ACT_RETURN_FRONT, R(UPO_OTG),     HR_ST_RETURNED_FRONT, 1 },
	{ HR_ST_RETURNED_OTG,   HR_ACT_RETURN_FRONT, R(UPO_OTG),     HR_ST_RETURNED_FRONT, 1 },
	/* district back office */
	{ HR_ST_AT_SPSZN,       HR_ACT_RETURN_OTG,   R(SPSZN),       HR_ST_RETURNED_OTG,   1 },
	{ HR_ST_AT_SPSZN,       HR_ACT_CHECK,        R(SPSZN),       HR_ST_CHECKED,        0 },
	{ HR_ST_CHECKED,        HR_ACT_EXPORT,       R(SPSZN),       HR_ST_EXPORTED,       0 },
	{ HR_ST_EXPORTED,       HR_ACT_ANSWER,       R(SPSZN),       HR_ST_ANSWERED,       0 },
};

/* Who may change an application's contents, by status. */
static const unsigned edit_roles[HR_ST__COUNT] = {
	[HR_ST_DRAFT]          = FRONT,
	[HR_ST_RETURNED_FRONT] = FRONT,
	[HR_ST_RETURNED_OTG]   = R(UPO_OTG),
};

/*
 * Statuses each role sees.  The back office's journal starts where the
 * hromada hands over; a draft still being formed is not its business.
 */
#define ALL_ST ((1u << HR_ST__COUNT) - 1u)
#define ST(x) (1u << HR_ST_##x)
static const unsigned visible_statuses[HR_ROLE__COUNT] = {
	[HR_ROLE_USER_STA]        = ALL_ST,
	[HR_ROLE_USER_CNAP]       = ALL_ST,
	[HR_ROLE_SUPER_USER_STA]  = ALL_ST,
	[HR_ROLE_SUPER_USER_CNAP] = ALL_ST,
	[HR_ROLE_UPO_OTG]         = ALL_ST,
	[HR_ROLE_SPSZN]           = ST(AT_SPSZN) | ST(RETURNED_OTG) | ST(CHECKED) |
	                            ST(EXPORTED) | ST(ANSWERED),
	/* oblast, ministry, admin: aggregates only, never a case */
};

/* The stage of each status (HR_STAGE_NONE for answered). */
static const signed char status_stage[HR_ST__COUNT] = {
	[HR_ST_DRAFT]          = HR_STAGE_FRONT,
	[HR_ST_RETURNED_FRONT] = HR_STAGE_FRONT,
	[HR_ST_AT_OTG]         = HR_STAGE_OTG,
	[HR_ST_RETURNED_OTG]   = HR_STAGE_OTG,
	[HR_ST_AT_SPSZN]       = HR_STAGE_SPSZN,
	[HR_ST_CHECKED]        = HR_STAGE_SPSZN,
	[HR_ST_EXPORTED]       = HR_STAGE_SPSZN,
	[HR_ST_ANSWERED]       = HR_STAGE_NONE,
};

static const char *const stage_names[HR_STAGE__COUNT] = {
	[HR_STAGE_FRONT] = "front",
	[HR_STAGE_OTG]   = "otg",
	[HR_STAGE_SPSZN] = "spszn",
};

static const struct {
	const char *name;
	const char *label;
} actions[HR_ACT__COUNT] = {
	[HR_ACT_SEND_OTG]     = { "send_otg",     "Send to the hromada" },
	[HR_ACT_SEND_SPSZN]   = { "send_spszn",   "Check and send to the back office" },
	[HR_ACT_RETURN_FRONT] = { "return_front", "Return to the front office" },
	[HR_ACT_RETURN_OTG]   = { "return_otg",   "Return to the hromada" },
	[HR_ACT_CHECK]        = { "check",        "Mark as checked" },
	[HR_ACT_EXPORT]       = { "export",       "Export to the decision system" },
	[HR_ACT_ANSWER]       = { "answer",       "Import the decision" },
};

const struct hr_transition *
hr_workflow_find(int from, int action, int role)
{
	if (role < 0 || role >= HR_ROLE__COUNT)
		return NULL;
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
		const struct hr_transition *t = &transitions[i];
		if (t->from == from && t->action == action &&
		    (t->roles & HR_ROLE_BIT(role)))
			return t;
	}
	return NULL;
}

const struct hr_transition *
hr_workflow_table(int *count)
{
	*count = (int)(sizeof transitions / sizeof transitions[0]);
	return transitions;
}

int
hr_workflow_can_edit(int status, int role)
{
	if (status < 0 || status >= HR_ST__COUNT || role < 0 || role >= HR_ROLE__COUNT)
		return 0;
	return (edit_roles[status] & HR_ROLE_BIT(role)) != 0;
}

int
hr_workflow_visible(int status, int role)
{
	if (status < 0 || status >= HR_ST__COUNT || role < 0 || role >= HR_ROLE__COUNT)
		return 0;
	return (visible_statuses[role] & (1u << status)) != 0;
}

unsigned
hr_workflow_visible_mask(int role)
{
	return role >= 0 && role < HR_ROLE__COUNT ? visible_statuses[role] : 0;
}

int
hr_status_stage(int status)
{
	if (status < 0 || status >= HR_ST__COUNT)
		return HR_STAGE_NONE;
	return status_stage[status];
}

const char *
hr_stage_name(int stage)
{
	if (stage < 0 || stage >= HR_STAGE__COUNT)
		return NULL;
	return stage_names[stage];
}

int
hr_stage_from_name(const char *name)
{
	for (int s = 0; name != NULL && s < HR_STAGE__COUNT; s++)
		if (strcmp(stage_names[s], name) == 0)
			return s;
	return -1;
}

const char *
hr_action_name(int action)
{
	if (action < 0 || action >= HR_ACT__COUNT)
		return NULL;
	return actions[action].name;
}

const char *
hr_action_label(int action)
{
	if (action < 0 || action >= HR_ACT__COUNT)
		return NULL;
	return actions[action].label;
}

int
hr_action_from_name(const char *name)
{
	for (int a = 0; a < HR_ACT__COUNT; a++)
		if (strcmp(actions[a].name, name) == 0)
			return a;
	return -1;
}
