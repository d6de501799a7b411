/*
 * workflow.h — the life of an application as a table (DOMAIN.md
 * "Application statuses").
 *
 * A transition is allowed when a row (from status, action, role) exists;
 * the row gives the status it leads to and whether a reason is required
 * (every return carries one).  Editing is a separate, smaller table: which
 * roles may change an application's contents in which status.  The server
 * enforces both (plus territory scope); the client uses them only to offer
 * the actions that make sense.
 */
#ifndef HR_WORKFLOW_H
#define HR_WORKFLOW_H


enum hr_action {
	HR_ACT_SEND_OTG,      /* front office sends to the hromada for checking */
	HR_ACT_SEND_SPSZN,    /* checked at the hromada, sent to the back office */
	HR_ACT_RETURN_FRONT,  /* hromada returns to the front office for rework */
	HR_ACT_RETURN_OTG,    /* back office returns to the hromada */
	HR_ACT_CHECK,         /* back office marks checked, ready for export */
	HR_ACT_EXPORT,        /* written into a *.DAT file (batch) */
	HR_ACT_ANSWER,        /* decision imported from a *.DAT answer */
	HR_ACT__COUNT
};

/* The most applications one application.batch moves, and one journal.list
 * `marks` names: the client's marked set is bounded by it. */
#define HR_BATCH_MAX 2000

struct hr_transition {
	int      from;        /* enum hr_status */
	int      action;      /* enum hr_action */
	unsigned roles;       /* HR_ROLE_BIT mask */
	int      to;          /* enum hr_status */
	int      needs_reason;
};

/* The matching row, or NULL when the action is not allowed. */
const struct hr_transition *hr_workflow_find(int from, int action, int role);

/* All rows, for listing available actions; *count is set. */
const struct hr_transition *hr_workflow_table(int *count);

/*
 * May `role` see an application in `status` at all (territory aside)?  The
 * back office sees an application only once it has reached it.
 */
int hr_workflow_visible(int status, int role);

/* The statuses `role` sees, a bit each (1u << status): a journal filter's
 * `visible` mask (db/journal.h); 0 for a role that sees no case. */
unsigned hr_workflow_visible_mask(int role);

/* May `role` edit an application's contents in `status`? */
int hr_workflow_can_edit(int status, int role);

/*
 * The stages a case's deadlines are kept by (DOMAIN.md "Deadlines"): who
 * has to move it on.  A return moves a case to a lower stage; an answered
 * case is in none.
 */
enum hr_stage {
	HR_STAGE_NONE = -1,
	HR_STAGE_FRONT,       /* draft, returned_front: the front office */
	HR_STAGE_OTG,         /* at_otg, returned_otg: the hromada */
	HR_STAGE_SPSZN,       /* at_spszn, checked, exported: the back office */
	HR_STAGE__COUNT
};

int         hr_status_stage(int status);   /* enum hr_stage */
const char *hr_stage_name(int stage);      /* "front", "otg", "spszn"; NULL */
int         hr_stage_from_name(const char *name);   /* -1 if unknown */

const char *hr_action_name(int action);    /* wire name, e.g. "send_otg" */
const char *hr_action_label(int action);   /* English label (gettext msgid) */
int         hr_action_from_name(const char *name);

#endif
