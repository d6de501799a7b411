/*
 * method_logout.c — `logout` {} -> {}: end the session on this connection
 * and revoke every ticket of the user, so no terminal can resume it.
 */
#include "srvd/method_table.h"

#include "db/users.h"
#include "srvd/conn.h"
#include "srvd/request_audit.h"

const struct hr_schema method_logout_params = { NULL, 0, 0 };

int
method_logout(struct srv_req *rq, struct hr_error *err)
{
	struct conn *c = rq->conn;

	if (db_user_end_sessions(rq->db, c->sess.user_id, err) < 0 ||
	    session_audit(rq->db, c, "logout", NULL, NULL, err) < 0)
		return -1;
	conn_session_clear(c);
	msgpack_pack_map(rq->pk, 0);
	return 0;
}
