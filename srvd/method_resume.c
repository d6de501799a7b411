/*
 * method_resume.c — `resume` {ticket, terminal, terminal_proof} -> session:
 * log in again after a dropped link with the single-use ticket of the last
 * login/resume.  The ticket is consumed and a fresh one returned.  An
 * unknown, expired or already used ticket, and the ticket of a disabled
 * user, are all HR_E_TICKET: the client then asks for the password.
 *
 * A resume is a login without the password, so it must meet the terminal
 * rule a login meets (method_login.c), judged now and not at the login:
 * the territory may have come to require a terminal, the terminal may have
 * been revoked.  A session proven by a terminal has its ticket bound to
 * that terminal (db_ticket_issue_bound), so the resume must name the same
 * terminal and prove it again for this connection's handshake; a session
 * without one resumes without one unless the territory now requires it.
 * Terminal refusals are HR_E_FORBIDDEN, as at login, and are judged only
 * once the ticket has been accepted, so nobody learns about terminals
 * without a valid ticket.  A refusal is a failed login as far as the
 * records go (method_login.c): an audit record "resume.fail" and a
 * throttle failure, kept although the reply is an error (rq->keep), while
 * the ticket's redemption is undone (a savepoint of its own) so that the
 * right terminal can still use it.
 */
#include "srvd/method_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/audit.h"
#include "db/terminals.h"
#include "db/territory.h"
#include "db/throttle.h"
#include "db/tickets.h"
#include "db/users.h"
#include "proto/method_names.h"
#include "proto/terminal.h"
#include "srvd/conn.h"
#include "srvd/server.h"
#include "srvd/session.h"

enum { P_TICKET, P_TERMINAL, P_TERMINAL_PROOF };

static const struct hr_field fields[] = {
	[P_TICKET] = { "ticket", HR_F_BIN, HR_F_REQUIRED, 0, HR_TICKET_LEN },
	[P_TERMINAL] = { "terminal", HR_F_STR, HR_F_NULLABLE, 0,
	                 HR_TERMINAL_NAME_MAX },
	[P_TERMINAL_PROOF] = { "terminal_proof", HR_F_BIN, HR_F_NULLABLE, 0,
	                 HR_TERMINAL_PROOF_LEN },
};
const struct hr_schema method_resume_params = { fields, 3 };

/*
 * Does the proof in the request come from terminal `name`, for this
 * connection's handshake?  NULL yes (with *territory the terminal's); else
 * why not.
 */
static const char *
resume_proof_refusal(struct srv_req *rq, const char *name,
    int64_t *territory, struct hr_error *err)
{
	const msgpack_object *proof = rq->vals[P_TERMINAL_PROOF];
	const struct hr_server_keys *keys = &rq->srv->keys;
	uint8_t want[HR_TERMINAL_PROOF_LEN];
	struct db_terminal t;
	const char *why = NULL;
	int hs = rq->conn->hs_key;

	if (db_terminal_by_name(rq->db, name, &t, err) < 0)
		return err->code == HR_E_NOT_FOUND ? HR_MSGID("terminal not registered") :
		    HR_MSGID("terminal check failed");
	*territory = t.territory_id;
	if (t.revoked_at != 0)
		why = HR_MSGID("terminal revoked");
	else if (hs < 0 || (size_t)hs >= keys->count ||
	    hr_terminal_proof(keys->keys[hs].sk, t.pk, rq->conn->ch.transcript,
	    want) < 0 || sodium_memcmp(want, proof->via.bin.ptr,
	    HR_TERMINAL_PROOF_LEN) != 0)
		why = HR_MSGID("terminal proof wrong");
	db_terminal_free(&t);
	sodium_memzero(want, sizeof want);
	return why;
}

/* May `u` resume from terminal `name` (NULL: from none)?  NULL yes. */
static const char *
resume_terminal_refusal(struct srv_req *rq, const struct db_user *u,
    const char *name, struct hr_error *err)
{
	int64_t territory = 0;
	const char *why;
	int r;

	if (name == NULL) {
		r = db_terminal_required(rq->db, u->territory_id, NULL, err);
		return r < 0 ? HR_MSGID("terminal check failed") : r ? HR_MSGID("no terminal "
		    "key, but the territory requires one") : NULL;
	}
	if ((why = resume_proof_refusal(rq, name, &territory, err)) != NULL)
		return why;
	r = db_territory_within(rq->db, u->territory_id, territory, err);
	return r < 0 ? HR_MSGID("terminal check failed") : r ? NULL :
	    HR_MSGID("terminal of another territory");
}

/* The user of a redeemed ticket, still enabled; -1 with HR_E_TICKET if not. */
static int
resume_user(struct srv_req *rq, int64_t user_id, struct db_user *u,
    struct hr_error *err)
{
	memset(u, 0, sizeof *u);
	if (db_user_by_id(rq->db, user_id, u, err) < 0) {
		if (err->code == HR_E_NOT_FOUND)
			hr_errorf(err, HR_E_TICKET, "resume.no_user",
			    "the session's user no longer exists; log in");
		return -1;
	}
	if (u->disabled) {
		db_user_free(u);
		return hr_errorf(err, HR_E_TICKET, "resume.ended",
		    "session ended; log in");
	}
	return 0;
}

/* Open the session on this connection, named after its terminal; it
 * still counts its age from its password login (session_open). */
static int
resume_open(struct srv_req *rq, const struct db_user *u, const char *name,
    int64_t login_at, struct hr_error *err)
{
	struct conn *c = rq->conn;
	char         before[sizeof c->terminal];
	int          rc;

	memcpy(before, c->terminal, sizeof before);
	snprintf(c->terminal, sizeof c->terminal, "%s", name ? name : "");
	rc = session_open(rq->srv, rq->db, c, u, login_at, "resume", NULL,
	    rq->pk, err);
	if (rc < 0)
		memcpy(c->terminal, before, sizeof before);
	return rc;
}

#define RESUME_SAVEPOINT "resume"

/*
 * Refused after the ticket was good: undo the redemption, record the
 * failure (kept: rq->keep) and answer HR_E_FORBIDDEN.
 */
static int
resume_refuse(struct srv_req *rq, const struct db_user *u, const char *name,
    const char *why, struct hr_error *err)
{
	struct conn *c = rq->conn;
	char         detail[256];

	db_rollback_to(rq->db, RESUME_SAVEPOINT);
	snprintf(detail, sizeof detail, "%s%s%s", why, name ? "; terminal " :
	    "", name ? name : "");
	hr_error_clear(err);
	if (db_release(rq->db, RESUME_SAVEPOINT, err) < 0 ||
	    db_throttle_fail(rq->db, &rq->srv->throttle,
	    &(struct db_login_from){ u->name, c->source, NULL }, db_now(),
	    err) < 0 ||
	    db_audit(rq->db, &(struct db_audit_entry){ u->id, u->name,
	    c->addr, "resume.fail", NULL, detail }, err) < 0)
		return -1;
	rq->keep = 1;
	return hr_errorf(err, HR_E_FORBIDDEN, "resume.terminal",
	    "{label}: this account may resume only from a registered terminal "
	    "of its territory; log in again", HR_STR("label", why));
}

int
method_resume(struct srv_req *rq, struct hr_error *err)
{
	const msgpack_object *t = rq->vals[P_TICKET];
	const msgpack_object *proof = rq->vals[P_TERMINAL_PROOF];
	const char           *refused;
	struct db_user        u;
	int64_t               user_id, login_at = 0;
	char                 *name = NULL;
	int                   rc;

	if (t->via.bin.size != HR_TICKET_LEN)
		return hr_errorf(err, HR_E_PARAMS, "resume.ticket",
		    "must be {size} bytes", HR_INT("size", HR_TICKET_LEN)),
		    hr_error_at(err, "ticket");
	if ((rq->vals[P_TERMINAL] == NULL) != (proof == NULL) ||
	    (proof != NULL && proof->via.bin.size != HR_TERMINAL_PROOF_LEN))
		return hr_errorf(err, HR_E_PARAMS, "login.terminal_params",
		    "terminal and terminal_proof ({size} bytes) go together",
		    HR_INT("size", HR_TERMINAL_PROOF_LEN));
	if (rq->vals[P_TERMINAL] != NULL &&
	    (name = hr_val_strdup(rq->vals[P_TERMINAL])) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (db_savepoint(rq->db, RESUME_SAVEPOINT, err) < 0) {
		free(name);
		return -1;
	}
	rc = db_ticket_redeem_bound(rq->db, (const uint8_t *)t->via.bin.ptr,
	    name, db_now(), &user_id, &login_at, err);
	if (rc == 0)
		rc = resume_user(rq, user_id, &u, err);
	if (rc == 0) {
		if ((refused = resume_terminal_refusal(rq, &u, name, err)) != NULL)
			rc = resume_refuse(rq, &u, name, refused, err);
		else
			rc = resume_open(rq, &u, name, login_at, err);
		db_user_free(&u);
	}
	/* Not refused: the request's own savepoint keeps or undoes it all. */
	if (!rq->keep) {
		struct hr_error e;

		if (db_release(rq->db, RESUME_SAVEPOINT, &e) < 0 && rc == 0)
			rc = hr_error_set(err, HR_E_INTERNAL, "%s", e.msg);
	}
	free(name);
	return rc;
}
