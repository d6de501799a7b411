/*
 * method_application_transition.c — `application.transition`: move an
 * application one step along the workflow (proto/workflow.h, the only place
 * the rules live): send to the hromada, check and send to the back office,
 * return with a reason, mark checked.
 *
 * Order of checks: the action exists and is not one of the *.DAT exchange's
 * (export, answer: HR_E_STATE); the application is visible to the user
 * (else HR_E_NOT_FOUND); the version is the one the user saw (else
 * HR_E_CONFLICT naming who changed it); the workflow has a row (status,
 * action, role) (else HR_E_STATE naming the status); a return carries a
 * reason (else HR_E_INVALID); a package sent up the chain without every
 * document its service requires is sent only with `partial` true, the
 * client's record that the person confirmed it (else HR_E_STATE naming the
 * missing documents).  Then, in the request's savepoint: status, version
 * + 1, history row with the reason (and the missing documents of a
 * partial package), audit record.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "db/application_parts.h"
#include "proto/workflow.h"
#include "srvd/intake.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

enum { P_ID, P_VERSION, P_ACTION, P_REASON, P_PARTIAL, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_ID]      = { "id",      HR_F_INT,  HR_F_REQUIRED, 1, INT64_MAX },
	[P_VERSION] = { "version", HR_F_INT,  HR_F_REQUIRED, 1, INT64_MAX },
	[P_ACTION]  = { "action",  HR_F_STR,  HR_F_REQUIRED, 0, 32 },
	[P_REASON]  = { "reason",  HR_F_STR,  HR_F_NULLABLE, 0, 1000 },
	[P_PARTIAL] = { "partial", HR_F_BOOL, HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_application_transition_params = { fields,
    P__COUNT, 0 };

/* The actions that hand a case up the chain: a partial package needs the
 * sender's confirmation and is recorded as such. */
static const int up_chain[] = { HR_ACT_SEND_OTG, HR_ACT_SEND_SPSZN };

static int
is_up_chain(int act)
{
	for (size_t i = 0; i < sizeof up_chain / sizeof up_chain[0]; i++)
		if (up_chain[i] == act)
			return 1;
	return 0;
}

/* The missing documents, "a b c", into buf. */
struct missing {
	char   buf[512];
	size_t len;
};

static int
missing_cb(void *ud, const char *code)
{
	struct missing *m = ud;
	int n = snprintf(m->buf + m->len, sizeof m->buf - m->len, "%s%s",
	    m->len ? " " : "", code);

	if (n > 0 && (size_t)n < sizeof m->buf - m->len)
		m->len += (size_t)n;
	return 0;
}

static int
transition_action(const msgpack_object *v, struct hr_error *err)
{
	char name[40];
	int act;

	snprintf(name, sizeof name, "%.*s", (int)v->via.str.size, v->via.str.ptr);
	act = hr_action_from_name(name);
	if (act < 0)
		return hr_errorf(err, HR_E_INVALID, "transition.unknown_action",
		    "unknown action \"{value}\" (send_otg, send_spszn, "
		    "return_front, return_otg, check)", HR_STR("value", name)),
		    hr_error_at(err, "action");
	if (act == HR_ACT_EXPORT || act == HR_ACT_ANSWER)
		return hr_errorf(err, HR_E_STATE, "transition.by_dat",
		    "{action} is done by export/import of *.DAT files, not by "
		    "a transition", HR_STR("action", name)),
		    hr_error_at(err, "action");
	return act;
}

/* Does the reason hold more than blanks? */
static int
has_text(const char *s)
{
	return s != NULL && s[strspn(s, " \t\r\n")] != '\0';
}

static int
transition_check(struct srv_req *rq, const struct db_app *a, int act,
    const char *reason, const struct hr_transition **t, struct missing *miss,
    struct hr_error *err)
{
	int role = rq->sess->role;

	if (a->version != hr_val_int(rq->vals[P_VERSION], 0))
		return intake_conflict(rq, a, err);
	if ((*t = hr_workflow_find(a->status, act, role)) == NULL)
		return hr_errorf(err, HR_E_STATE, "transition.not_from_status",
		    "application {reg_no} is {status}: {action} is not "
		    "possible from there for your role",
		    HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
		    HR_STR("status", hr_status_name(a->status)),
		    HR_STR("action", hr_action_name(act)));
	if ((*t)->needs_reason && !has_text(reason))
		return hr_errorf(err, HR_E_INVALID, "transition.reason",
		    "a return needs the reason the next person reads"),
		    hr_error_at(err, "reason");
	if (!is_up_chain(act) || a->package_full)
		return 0;
	if (db_app_missing_each(rq->db, a->id, missing_cb, miss, err) < 0)
		return -1;
	if (miss->len > 0 && !hr_val_bool(rq->vals[P_PARTIAL], 0))
		return hr_errorf(err, HR_E_STATE, "transition.partial",
		    "the package of {reg_no} is partial (missing: {docs}); to "
		    "send it all the same, confirm with partial: true",
		    HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
		    HR_STR("docs", miss->buf));
	return 0;
}

static int
transition_apply(struct srv_req *rq, const struct db_app *a,
    const struct hr_transition *t, const char *reason,
    const struct missing *miss, struct hr_error *err)
{
	char object[32], detail[1800];

	if (db_app_transition(rq->db, a->id, a->version, a->status, t->to,
	    rq->sess->user_id, has_text(reason) ? reason : NULL,
	    t->needs_reason, err) < 0)
		return -1;
	if (miss->len > 0 && db_app_history_mark_last(rq->db, a->id, "partial",
	    miss->buf, err) < 0)
		return -1;
	snprintf(object, sizeof object, "application:%lld", (long long)a->id);
	snprintf(detail, sizeof detail, "%s: %s -> %s%s%s%s%s", hr_action_name(
	    t->action), hr_status_name(a->status), hr_status_name(t->to),
	    has_text(reason) ? "; reason: " : "", has_text(reason) ? reason : "",
	    miss->len ? "; partial package, missing: " : "", miss->buf);
	if (srv_audit(rq, "application.transition", object,
	    detail, err) < 0)
		return -1;
	msgpack_pack_map(rq->pk, 2);
	hr_pack_kv_str(rq->pk, "status", hr_status_name(t->to));
	hr_pack_kv_int(rq->pk, "version", a->version + 1);
	return 0;
}

int
method_application_transition(struct srv_req *rq, struct hr_error *err)
{
	const struct hr_transition *t = NULL;
	struct missing miss = { "", 0 };
	struct db_app a;
	char *reason;
	int act, rc;

	if ((act = transition_action(rq->vals[P_ACTION], err)) < 0)
		return -1;
	if (intake_app_load(rq, hr_val_int(rq->vals[P_ID], 0), &a, err) < 0)
		return -1;
	reason = hr_val_strdup(rq->vals[P_REASON]);
	if (rq->vals[P_REASON] != NULL && reason == NULL)
		rc = hr_error_set(err, HR_E_INTERNAL, "out of memory");
	else
		rc = transition_check(rq, &a, act, reason, &t, &miss, err);
	if (rc == 0)
		rc = transition_apply(rq, &a, t, reason, &miss, err);
	free(reason);
	db_app_free(&a);
	return rc;
}
