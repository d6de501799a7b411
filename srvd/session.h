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
 * c->terminal when the session proved one: set it first; valid until
 * ticket_ttl from now or session_max_age from `login_at`, the password
 * login the session began with, whichever comes first), append the
 * audit record `action` ("login", "resume"), install the session and pack
 * the session result map (PROTOCOL.md "login") into `pk`.  Runs on the
 * writer `db` inside the caller's savepoint; -1 with err leaves the
 * connection logged out.
 */
int  session_open(struct srv *srv, struct hr_db *db, struct conn *c,
    const struct db_user *u, int64_t login_at, const char *action,
    const char *detail, msgpack_packer *pk, struct hr_error *err);

/* Append an audit record in the name of the connection's user (on the
 * writer `db`: a request's rq->db when its method writes). */
int  session_audit(struct hr_db *db, const struct conn *c, const char *action,
    const char *object, const char *detail, struct hr_error *err);

/* Where a session acts from, for the audit: "ADDRESS" or "ADDRESS terminal
 * NAME" (in buf, or the connection's own address). */
#define SESSION_WHERE_MAX 160
const char *session_where(const struct conn *c, char *buf, size_t cap);

/*
 * An audit record a read on a query thread leaves for the loop to append
 * (query.h): the thread may not touch the writer.
 */
struct srv_audit_rec {
	char                 *action, *object, *detail;
	struct srv_audit_rec *next;
};

/*
 * Append an audit record in the name of the request's user: at once on
 * rq->db (a writer, inside the request's savepoint), or -- for a read on a
 * query thread, rq->later set -- kept in that list, which the loop appends
 * before the reply may go (the reply then waits for the commit).  -1 with
 * err (out of memory, or the write failed).
 */
struct srv_req;
int  srv_audit(struct srv_req *rq, const char *action, const char *object,
    const char *detail, struct hr_error *err);
void srv_audit_free(struct srv_audit_rec *list);

/*
 * Append `list` in the name of user (`user_id`, `user`, from `where`) on
 * the writer, in a savepoint of the group commit of its own: for the work
 * the loop does outside a request (a read's records, a session's end).
 * 0; COMMIT_DEFER when the writer is busy (nothing written: queue the work
 * with commit_defer); -1 with err (then nothing of it is kept).
 */
int  session_audit_append(struct srv *srv, int64_t user_id, const char *user,
    const char *where, const struct srv_audit_rec *list,
    struct hr_error *err);

/*
 * Is the connection's session still good?  Before every request of a
 * logged-in session (dispatch.c), on the request's `db`: one read of the
 * account's disabled flag and updated_at, compared with what login/resume
 * saw, and of the proving terminal's revocation.  A disable, a role or
 * territory change, a new password or a logout elsewhere (db/users.h
 * db_user_touch) thus ends a live session at its next request, not only
 * its tickets; so does reaching session_max_age since its password login.  `terminal`: the one the session proved ("" none).  Safe on
 * a query thread (it reads only).  0 good; 1 not (err HR_E_AUTH_NEEDED, *why for the audit);
 * -1 with err when the read failed.
 */
struct conn_session;
int  session_check(struct hr_db *db, const struct conn_session *s,
    const char *terminal, const char **why, struct hr_error *err);

/*
 * Log the connection out after session_check said no: the audit record
 * "session.end" (on the writer, now or once it is free: the request may
 * have been a read) and conn_session_clear.
 */
void session_end(struct srv *srv, struct conn *c, const char *why);

#endif
