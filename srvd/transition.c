/*
 * transition.c — one application one step along the workflow (see
 * transition.h): the checks of `application.transition` and the change
 * it makes, for that method and for each row of `application.batch`.
 */
#include "srvd/transition.h"

#include <stdio.h>
#include <string.h>

#include "db/application_parts.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "srvd/intake.h"
#include "srvd/method_table.h"
#include "srvd/request_audit.h"
#include "srvd/session.h"

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

int
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
transition_check(struct srv_req *rq, const struct db_app *a,
    const struct transition_ask *ask, const struct hr_transition **t,
    struct missing *miss, struct hr_error *err)
{
	int role = rq->sess->role;

	if (a->version != ask->version)
		return intake_conflict(rq, a, err);
	if ((*t = hr_workflow_find(a->status, ask->action, role)) == NULL)
		return hr_errorf(err, HR_E_STATE, "transition.not_from_status",
		    "application {reg_no} is {status}: {action} is not "
		    "possible from there for your role",
		    HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
		    HR_STR("status", hr_status_name(a->status)),
		    HR_STR("action", hr_action_name(ask->action)));
	if ((*t)->needs_reason && !has_text(ask->reason))
		return hr_errorf(err, HR_E_INVALID, "transition.reason",
		    "a return needs the reason the next person reads"),
		    hr_error_at(err, "reason");
	if (!is_up_chain(ask->action) || a->package_full)
		return 0;
	if (db_app_missing_each(rq->db, a->id, missing_cb, miss, err) < 0)
		return -1;
	if (miss->len > 0 && !ask->partial)
		return hr_errorf(err, HR_E_STATE, "transition.partial",
		    "the package of {reg_no} is partial (missing: {docs}); to "
		    "send it all the same, confirm with partial: true",
		    HR_STR("reg_no", a->reg_no ? a->reg_no : "(draft)"),
		    HR_STR("docs", miss->buf));
	return 0;
}

static int
transition_write(struct srv_req *rq, const struct db_app *a,
    const struct transition_ask *ask, const struct hr_transition *t,
    const struct missing *miss, struct hr_error *err)
{
	const char *reason = has_text(ask->reason) ? ask->reason : NULL;
	char object[32], detail[1800];

	/* a partial package sent on: marked in its history row */
	if (db_app_transition_marked(rq->db, a->id, a->version, a->status,
	    t->to, rq->sess->user_id, reason, t->needs_reason,
	    miss->len > 0 ? "partial" : NULL, miss->len > 0 ? miss->buf : NULL,
	    err) < 0)
		return -1;
	snprintf(object, sizeof object, "application:%lld", (long long)a->id);
	snprintf(detail, sizeof detail, "%s: %s -> %s%s%s%s%s%s%s", hr_action_name(
	    t->action), hr_status_name(a->status), hr_status_name(t->to),
	    reason ? "; reason: " : "", reason ? reason : "",
	    miss->len ? "; partial package, missing: " : "", miss->buf,
	    ask->via ? "; " : "", ask->via ? ask->via : "");
	return srv_audit(rq, "application.transition", object, detail, err);
}

int
transition_apply(struct srv_req *rq, const struct transition_ask *ask,
    struct transition_done *done, struct hr_error *err)
{
	const struct hr_transition *t = NULL;
	struct missing miss = { "", 0 };
	struct db_app a;
	int rc;

	done->reg_no[0] = '\0';
	if (intake_app_load(rq, ask->id, &a, err) < 0)
		return -1;
	snprintf(done->reg_no, sizeof done->reg_no, "%s", a.reg_no ? a.reg_no :
	    "");
	rc = transition_check(rq, &a, ask, &t, &miss, err);
	if (rc == 0)
		rc = transition_write(rq, &a, ask, t, &miss, err);
	if (rc == 0) {
		done->from = a.status;
		done->to = t->to;
		done->version = a.version + 1;
	}
	db_app_free(&a);
	return rc;
}
