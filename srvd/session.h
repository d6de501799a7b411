/*
 * session.h — a logged-in user on a connection: who it is, opening the
 * session (login and resume both end in session_open), re-checking it
 * before each request, ending it.  The audit records that name the user
 * are request_audit.h.
 *
 * Circle kept on purpose: conn.h includes this header for struct
 * conn_session alone, and request_audit.c for the user it names; see the
 * include lines marked circle:.
 */
#ifndef SRV_SESSION_H
#define SRV_SESSION_H

#include <msgpack.h>

#include "db/users.h"
#include "proto/error.h"
#include "srvd/scope.h"

struct srv;
struct conn;

/* Who is logged in on a connection (user_id 0: nobody yet). */
struct conn_session {
	int64_t          user_id;
	char            *user;
	int              role;
	int64_t          territory_id;
	int64_t          updated_at;   /* the account's, at login/resume */
	int64_t          ends_at;      /* its password login + session_max_age */
	struct srv_scope scope;
};

/*
 * Log `u` in on `c`: resolve the scope, issue a fresh ticket (bound to
 * c->terminal when the session proved one: set it first; valid until
 * ticket_ttl from now or session_max_age from `login_at`, the password
 * login the session began with, whichever comes first), append the
 * audit record `action` ("login", "resume"), install the session and pack
 * the session result map (PROTOCOL.md "login") into `pk`.  `more` (NULL:
 * none) packs more pairs into that map — the login's cached results
 * (cached.h) — and returns how many, or -1 with err; it is given the
 * session about to be installed (its scope resolved).  Runs on the
 * writer `db` inside the caller's savepoint; -1 with err leaves the
 * connection logged out.
 */
typedef int session_more_fn(void *ud, struct hr_db *db,
    const struct conn_session *s, msgpack_packer *pk, struct hr_error *err);

int  session_open(struct srv *srv, struct hr_db *db, struct conn *c,
    const struct db_user *u, int64_t login_at, const char *action,
    const char *detail, msgpack_packer *pk, session_more_fn *more,
    void *more_ud, struct hr_error *err);

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
int  session_check(struct hr_db *db, const struct conn_session *s,
    const char *terminal, const char **why, struct hr_error *err);

/*
 * Log the connection out after session_check said no: the audit record
 * "session.end" (on the writer, now or once it is free: the request may
 * have been a read) and conn_session_clear.
 */
void session_end(struct srv *srv, struct conn *c, const char *why);

#endif
