/*
 * session.h — a logged-in user on a connection, and the audit records that
 * name them.  Shared by login and resume (both end in session_open) and by
 * every handler that audits.
 */
#ifndef SRV_SESSION_H
#define SRV_SESSION_H

#include <msgpack.h>

#include "db/users.h"
#include "proto/error.h"

struct srv;
struct conn;

/*
 * Log `u` in on `c`: resolve the scope, issue a fresh ticket (bound to
 * c->terminal when the session proved one: set it first), append the
 * audit record `action` ("login", "resume"), install the session and pack
 * the session result map (PROTOCOL.md "login") into `pk`.  Runs on the
 * writer `db` inside the caller's savepoint; -1 with err leaves the
 * connection logged out.
 */
int  session_open(struct srv *srv, struct hr_db *db, struct conn *c,
    const struct db_user *u, const char *action, const char *detail,
    msgpack_packer *pk, struct hr_error *err);

/* Append an audit record in the name of the connection's user (on the
 * writer `db`: a request's rq->db when its method writes). */
int  session_audit(struct hr_db *db, const struct conn *c, const char *action,
    const char *object, const char *detail, struct hr_error *err);

#endif
