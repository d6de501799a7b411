/*
 * method_resume.c — `resume` {ticket} -> session: log in again after a
 * dropped link with the single-use ticket of the last login/resume.  The
 * ticket is consumed and a fresh one returned.  An unknown, expired or
 * already used ticket, and the ticket of a disabled user, are all
 * HR_E_TICKET: the client then asks for the password.
 */
#include "srvd/method.h"

#include <string.h>

#include "db/session.h"
#include "db/users.h"
#include "proto/methods.h"
#include "srvd/conn.h"
#include "srvd/server.h"
#include "srvd/session.h"

enum { P_TICKET };

static const struct hr_field fields[] = {
	[P_TICKET] = { "ticket", HR_F_BIN, HR_F_REQUIRED, 0, HR_TICKET_LEN },
};
const struct hr_schema method_resume_params = { fields, 1 };

int
method_resume(struct srv_req *rq, struct hr_error *err)
{
	const msgpack_object *t = rq->vals[P_TICKET];
	struct db_user        u;
	int64_t               user_id;
	int                   rc;

	if (t->via.bin.size != HR_TICKET_LEN)
		return hr_error_set(err, HR_E_PARAMS, "ticket: must be %u bytes",
		    HR_TICKET_LEN);
	if (db_ticket_redeem(rq->db, (const uint8_t *)t->via.bin.ptr,
	    db_now(), &user_id, err) < 0)
		return -1;
	memset(&u, 0, sizeof u);
	if (db_user_by_id(rq->db, user_id, &u, err) < 0) {
		if (err->code == HR_E_NOT_FOUND)
			hr_error_set(err, HR_E_TICKET, "the session's user no "
			    "longer exists; log in");
		return -1;
	}
	if (u.disabled)
		rc = hr_error_set(err, HR_E_TICKET, "session ended; log in");
	else
		rc = session_open(rq->srv, rq->db, rq->conn, &u, "resume",
		    NULL, rq->pk, err);
	db_user_free(&u);
	return rc;
}
