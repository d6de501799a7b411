/*
 * request.c — one request against the method table (see request.h): the
 * same checks and the handler, on the loop (dispatch.c) and on the query
 * threads (query.c).
 */
#include "srvd/request.h"

#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/schema.h"
#include "srvd/session.h"

/* Everything that must hold before the handler may run. */
static int
request_check(const struct srv_req *rq, const struct srv_method *me,
    const struct hr_msg *m, struct hr_error *err)
{
	const struct hr_role_info *ri;

	if (me->needs_login) {
		if (rq->sess->user_id == 0)
			return hr_errorf(err, HR_E_AUTH_NEEDED, "session.login_first",
			    "log in before calling {method}",
			    HR_STR("method", me->name));
		if ((me->roles & HR_ROLE_BIT(rq->sess->role)) == 0) {
			ri = hr_role_info(rq->sess->role);
			return hr_errorf(err, HR_E_FORBIDDEN, "session.role_method",
			    "role {role} may not call {method}",
			    HR_STR("role", ri ? ri->name : "?"),
			    HR_STR("method", me->name));
		}
	}
	return hr_schema_check(me->params, &m->params, rq->vals, err);
}

int
srv_request_handle(struct srv_req *rq, const struct srv_method *me,
    const struct hr_msg *m, const char *terminal, const char **ended,
    struct hr_error *err)
{
	*ended = NULL;
	if (rq->sess->user_id != 0 && session_check(rq->db, rq->sess,
	    terminal, ended, err) != 0)
		return -1;
	if (request_check(rq, me, m, err) < 0)
		return -1;
	return me->handler(rq, err);
}
