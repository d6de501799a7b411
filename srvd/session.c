/*
 * session.c — a logged-in user on a connection: opening, re-checking and
 * ending the session (see session.h).
 *
 * Circle kept on purpose: a connection holds its struct conn_session
 * (conn.h includes session.h for it), and request_audit reads the user
 * from it while this file audits through it: types and the audit's entry
 * points, not a loop; the include lines that close it say so (circle:).
 */
#include "srvd/session.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/audit.h"
#include "db/territory.h"
#include "db/tickets.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/request_audit.h"
#include "srvd/scope.h"
#include "srvd/server.h"

/* The scope territory's name for the client's status line; NULL if none. */
static char *
scope_name(struct hr_db *db, const struct srv_scope *s)
{
	struct db_territory t;
	struct hr_error     err;
	char               *name;

	if (s->territory_id == 0 ||
	    db_territory_get(db, s->territory_id, &t, &err) < 0)
		return NULL;
	name = t.name;
	t.name = NULL;
	db_territory_free(&t);
	return name;
}

static void
session_pack(msgpack_packer *pk, const struct db_user *u, const char *scope,
    const uint8_t ticket[HR_TICKET_LEN], int64_t ttl, int64_t now,
    const msgpack_sbuffer *more, int nmore)
{
	msgpack_pack_map(pk, 10 + (uint32_t)nmore);
	hr_pack_kv_int(pk, "user_id", u->id);
	hr_pack_kv_str(pk, "user", u->name);
	hr_pack_kv_str(pk, "full_name", u->full_name);
	hr_pack_kv_str(pk, "role", hr_role_info(u->role)->name);
	hr_pack_kv_int(pk, "territory_id", u->territory_id);
	hr_pack_kv_str(pk, "territory", u->territory_name);
	hr_pack_kv_str(pk, "scope", scope);
	hr_pack_str(pk, "ticket");
	msgpack_pack_bin(pk, HR_TICKET_LEN);
	msgpack_pack_bin_body(pk, ticket, HR_TICKET_LEN);
	hr_pack_kv_int(pk, "ticket_ttl", ttl);
	hr_pack_kv_int(pk, "server_time", now);
	if (nmore > 0 && more->size > 0)
		pk->callback(pk->data, more->data, more->size);
}

int
session_open(struct srv *srv, struct hr_db *db, struct conn *c,
    const struct db_user *u, int64_t login_at,
    const char *action, const char *detail, msgpack_packer *pk,
    session_more_fn *more, void *more_ud, struct hr_error *err)
{
	msgpack_sbuffer     more_sb;
	msgpack_packer      more_pk;
	int                 nmore = 0;
	struct conn_session s;
	uint8_t             ticket[HR_TICKET_LEN];
	int64_t             now = db_now(), ttl = srv->cfg->ticket_ttl;
	int64_t             ends_at = login_at + srv->cfg->session_max_age;
	char                where[CONN_WHERE_MAX];
	char               *scope;

	if (hr_role_info(u->role) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "user %s has an unknown "
		    "role %d", u->name, u->role);
	if (ends_at <= now)
		return hr_errorf(err, HR_E_TICKET, "session.max_age",
		    "your session began {hours} hours ago, the most this "
		    "server allows; log in again with your password",
		    HR_INT("hours", (now - login_at) / 3600));
	if (ttl > ends_at - now)
		ttl = ends_at - now;
	memset(&s, 0, sizeof s);
	if (scope_resolve(db, u->role, u->territory_id, &s.scope, err) < 0)
		return -1;
	s.user_id = u->id;
	s.user = u->name;
	s.role = u->role;
	s.territory_id = u->territory_id;
	s.updated_at = u->updated_at;
	s.ends_at = ends_at;
	msgpack_sbuffer_init(&more_sb);
	msgpack_packer_init(&more_pk, &more_sb, msgpack_sbuffer_write);
	if (more != NULL && (nmore = more(more_ud, db, &s, &more_pk, err)) < 0)
		goto fail;
	/* A session a terminal proved resumes only from it (method_resume.c). */
	if (db_ticket_issue(db, u->id, c->terminal[0] ? c->terminal :
	    NULL, login_at, ttl, now, ticket, err) < 0)
		goto fail;
	if (db_audit(db, &(struct db_audit_entry){ u->id, u->name,
	    conn_where(c, where, sizeof where), action, NULL, detail },
	    err) < 0)
		goto fail;
	conn_session_set(c, &s);
	scope = scope_name(db, &s.scope);
	session_pack(pk, u, scope, ticket, ttl, now, &more_sb, nmore);
	free(scope);
	sodium_memzero(ticket, sizeof ticket);
	msgpack_sbuffer_destroy(&more_sb);
	return 0;
fail:
	sodium_memzero(ticket, sizeof ticket);
	msgpack_sbuffer_destroy(&more_sb);
	return -1;
}

int
session_check(struct hr_db *db, const struct conn_session *s,
    const char *terminal, const char **why, struct hr_error *err)
{
	struct db_session_state st;

	*why = NULL;
	if (db_session_state(db, s->user_id, terminal[0] ? terminal : NULL, &st,
	    err) < 0) {
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		*why = HR_MSGID("account removed");
	} else if (st.disabled)
		*why = HR_MSGID("account disabled");
	else if (st.updated_at != s->updated_at)
		*why = HR_MSGID("account changed");
	else if (st.terminal_revoked)
		*why = HR_MSGID("terminal revoked");
	else if (db_now() >= s->ends_at)
		*why = HR_MSGID("session reached its maximum age");
	if (*why == NULL)
		return 0;
	hr_errorf(err, HR_E_AUTH_NEEDED, "session.ended",
	    "your session ended ({label}); please log in again",
	    HR_STR("label", *why));
	return 1;
}

/* The audit record of an ended session; outlives the connection. */
struct session_end_rec {
	int64_t               user_id;
	char                 *user, *where;
	struct srv_audit_rec *audit;     /* the one "session.end" record */
};

static void
session_end_free(struct session_end_rec *e)
{
	free(e->user);
	free(e->where);
	srv_audit_free(e->audit);
	free(e);
}

/* Write it in a savepoint of its own; COMMIT_DEFER if the writer is busy. */
static int
session_end_write(struct srv *srv, struct session_end_rec *e)
{
	struct hr_error err;
	int             rc;

	hr_error_clear(&err);
	rc = session_audit_append(srv, e->user_id, e->user, e->where, e->audit,
	    &err);
	if (rc < 0)
		log_warning("audit session.end of %s (%s): %s", e->user,
		    e->audit->detail, err.msg);
	return rc == COMMIT_DEFER ? COMMIT_DEFER : 0;
}

static void session_end_drop(void *ud, void *arg);

static void
session_end_run(void *ud, void *arg)
{
	if (session_end_write(ud, arg) != COMMIT_DEFER)
		session_end_free(arg);
	else if (commit_defer(&((struct srv *)ud)->commit, session_end_run,
	    session_end_drop, arg) < 0)
		session_end_drop(ud, arg);
}

static void
session_end_drop(void *ud, void *arg)
{
	struct session_end_rec *e = arg;

	(void)ud;
	log_warning("audit session.end of %s (%s) not written: the server "
	    "stopped first", e->user, e->audit->detail);
	session_end_free(e);
}

void
session_end(struct srv *srv, struct conn *c, const char *why)
{
	char where[CONN_WHERE_MAX];
	struct session_end_rec *e = calloc(1, sizeof *e);
	struct hr_error err;

	log_info("conn %llu: session of %s ended: %s",
	    (unsigned long long)c->id, c->sess.user, why);
	if (e != NULL) {
		e->user_id = c->sess.user_id;
		e->user = strdup(c->sess.user);
		e->where = strdup(conn_where(c, where, sizeof where));
		(void)srv_audit_later(&e->audit, "session.end", NULL, why, &err);
	}
	conn_session_clear(c);
	if (e == NULL || e->user == NULL || e->where == NULL ||
	    e->audit == NULL) {
		log_warning("audit session.end not written: out of memory");
		if (e != NULL)
			session_end_free(e);
		return;
	}
	session_end_run(srv, e);
}
