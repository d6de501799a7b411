/*
 * request_audit.c — audit records in the name of a session's user, now on
 * the writer or kept for the loop (see request_audit.h).
 *
 * Circle kept on purpose: it reads the session's user (struct
 * conn_session, session.h) while session.c writes its audit records
 * through request_audit.h; the include line says so (circle:).
 */
#include "srvd/request_audit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/method_table.h"
#include "srvd/server.h"
#include "srvd/session.h"  /* circle: struct conn_session only (whose
                              name a record bears); session.c audits
                              through request_audit.h */

int
session_audit(struct hr_db *db, const struct conn *c, const char *action,
    const char *object, const char *detail, struct hr_error *err)
{
	char where[CONN_WHERE_MAX];
	struct db_audit_entry e = {
		.user_id = c->sess.user_id,
		.actor   = c->sess.user,
		.address = conn_where(c, where, sizeof where),
		.action  = action,
		.object  = object,
		.detail  = detail,
	};

	return db_audit(db, &e, err);
}

int
srv_audit_later(struct srv_audit_rec **later, const char *action,
    const char *object, const char *detail, struct hr_error *err)
{
	struct srv_audit_rec *r = calloc(1, sizeof *r), **tail = later;

	if (r == NULL || (r->action = strdup(action)) == NULL ||
	    (object != NULL && (r->object = strdup(object)) == NULL) ||
	    (detail != NULL && (r->detail = strdup(detail)) == NULL)) {
		srv_audit_free(r);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	r->at = db_now();
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = r;
	return 0;
}

int
srv_audit(struct srv_req *rq, const char *action, const char *object,
    const char *detail, struct hr_error *err)
{
	struct db_audit_entry e = {
		.user_id = rq->sess->user_id,
		.actor   = rq->sess->user,
		.address = rq->where,
		.action  = action,
		.object  = object,
		.detail  = detail,
	};

	assert(rq->sess->user_id != 0);   /* in the name of a logged-in user */
	if (rq->later != NULL)
		return srv_audit_later(rq->later, action, object, detail, err);
	return db_audit(rq->db, &e, err);
}

void
srv_audit_free(struct srv_audit_rec *list)
{
	while (list != NULL) {
		struct srv_audit_rec *next = list->next;

		free(list->action);
		free(list->object);
		free(list->detail);
		free(list);
		list = next;
	}
}

int
session_audit_append(struct srv *srv, int64_t user_id, const char *user,
    const char *where, const struct srv_audit_rec *list,
    struct hr_error *err)
{
	struct srv_commit *gc = &srv->commit;
	int                rc;

	if ((rc = commit_request_begin(gc, err)) != 0)
		return rc;              /* COMMIT_DEFER, or -1 */
	for (; rc == 0 && list != NULL; list = list->next)
		rc = db_audit_at(gc->db, &(struct db_audit_entry){ user_id,
		    user, where, list->action, list->object, list->detail },
		    list->at != 0 ? list->at : db_now(), err);
	commit_request_end(gc, rc == 0);
	return rc;
}
