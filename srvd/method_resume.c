/*
 * method_resume.c — `resume` {ticket_id, binder, terminal, terminal_proof}
 * -> session: log in again after a dropped link with the single-use ticket
 * of the last login/resume.  The ticket is spent and a fresh one returned.
 *
 * The ticket itself never travels (proto/ticket.h): the client sends its
 * id and a binder, a signature with the ticket's key over this
 * connection's handshake hash.  The binder is checked first, on the loop,
 * without the database: one that does not verify is HR_E_TICKET, like an
 * unknown ticket.  Then the ticket is redeemed (db/tickets.h): unknown,
 * expired, of a disabled user, bound to another terminal or spent already
 * are all HR_E_TICKET and the client asks for the password.  A ticket
 * presented again after it was spent, with a valid binder, means two
 * parties hold it: every ticket of the user is revoked, the user's live
 * sessions end (db_user_end_sessions) and the audit log gets
 * "resume.reuse".
 *
 * A resume is a login without the password, so it must meet the terminal
 * rule a login meets (method_login.c), judged now and not at the login:
 * the territory may have come to require a terminal, the terminal may have
 * been revoked.  A session proven by a terminal has its tickets bound to
 * that terminal, so the resume must name the same terminal and prove it
 * again for this connection's handshake; a session without one resumes
 * without one unless the territory now requires it.  Terminal refusals
 * are HR_E_FORBIDDEN and are judged only once the ticket has been
 * accepted (a valid binder), so nobody learns about terminals without a
 * ticket.  A refused resume spends its ticket like any other redemption,
 * and is a failed login as far as the records go: an audit record
 * "resume.fail" and a throttle failure, kept although the reply is an
 * error (rq->keep).
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
#include "proto/mpread.h"
#include "proto/terminal.h"
#include "proto/ticket.h"
#include "srvd/conn.h"
#include "srvd/keyring.h"
#include "srvd/log.h"
#include "srvd/server.h"
#include "srvd/session.h"

enum { P_TICKET_ID, P_BINDER, P_TERMINAL, P_TERMINAL_PROOF };

static const struct hr_field fields[] = {
	[P_TICKET_ID] = { "ticket_id", HR_F_BIN, HR_F_REQUIRED, 0,
	                 HR_TICKET_ID_LEN },
	[P_BINDER]   = { "binder", HR_F_BIN, HR_F_REQUIRED, 0,
	                 HR_TICKET_BINDER_LEN },
	[P_TERMINAL] = { "terminal", HR_F_STR, HR_F_NULLABLE, 0,
	                 HR_TERMINAL_NAME_MAX },
	[P_TERMINAL_PROOF] = { "terminal_proof", HR_F_BIN, HR_F_NULLABLE, 0,
	                 HR_TERMINAL_PROOF_LEN },
};
const struct hr_schema method_resume_params = { fields, 4, 0 };

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
	struct db_terminal t;
	const char *why = NULL;

	if (db_terminal_by_name(rq->db, name, &t, err) < 0)
		return err->code == HR_E_NOT_FOUND ? HR_MSGID("terminal not registered") :
		    HR_MSGID("terminal check failed");
	*territory = t.territory_id;
	if (t.revoked_at != 0)
		why = HR_MSGID("terminal revoked");
	else if (!keyring_terminal_proof_ok(rq->conn, t.pk,
	    (const uint8_t *)proof->via.bin.ptr))
		why = HR_MSGID("terminal proof wrong");
	db_terminal_free(&t);
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
	    rq->pk, NULL, NULL, err);
	if (rc < 0)
		memcpy(c->terminal, before, sizeof before);
	return rc;
}

/*
 * Refused after the ticket was good: record the failure (kept, with the
 * ticket spent: rq->keep) and answer HR_E_FORBIDDEN.
 */
static int
resume_refuse(struct srv_req *rq, const struct db_user *u, const char *name,
    const char *why, struct hr_error *err)
{
	struct conn *c = rq->conn;
	char         detail[256];

	snprintf(detail, sizeof detail, "%s%s%s", why, name ? "; terminal " :
	    "", name ? name : "");
	hr_error_clear(err);
	if (db_throttle_fail(rq->db, &rq->srv->throttle,
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

/*
 * A spent ticket came again with a valid binder: revoke every ticket of
 * its user, end the user's live sessions and audit it (kept: rq->keep).
 */
static int
resume_reused(struct srv_req *rq, int64_t user_id, struct hr_error *err)
{
	struct db_user u;
	struct hr_error e;

	memset(&u, 0, sizeof u);
	hr_error_clear(&e);
	if (db_user_end_sessions(rq->db, user_id, &e) < 0 ||
	    db_user_by_id(rq->db, user_id, &u, &e) < 0 ||
	    db_audit(rq->db, &(struct db_audit_entry){ user_id, u.name,
	    rq->conn->addr, "resume.reuse", NULL, "a spent session ticket "
	    "was presented again: every ticket of the user revoked, its "
	    "sessions ended" }, &e) < 0) {
		db_user_free(&u);
		return hr_error_set(err, HR_E_INTERNAL, "%s", e.msg);
	}
	log_warning("conn %llu %s: a spent session ticket of %s was presented "
	    "again: every ticket of the user revoked, its sessions ended",
	    (unsigned long long)rq->conn->id, rq->conn->peer, u.name);
	db_user_free(&u);
	rq->keep = 1;
	return -1;                      /* err: redeem's HR_E_TICKET */
}

int
method_resume(struct srv_req *rq, struct hr_error *err)
{
	const msgpack_object *id = rq->vals[P_TICKET_ID];
	const msgpack_object *binder = rq->vals[P_BINDER];
	const msgpack_object *proof = rq->vals[P_TERMINAL_PROOF];
	const char           *refused;
	struct db_ticket_use  use;
	struct db_user        u;
	char                 *name = NULL;
	int                   rc;

	if (id->via.bin.size != HR_TICKET_ID_LEN)
		return hr_errorf(err, HR_E_PARAMS, "resume.ticket",
		    "must be {size} bytes", HR_INT("size", HR_TICKET_ID_LEN)),
		    hr_error_at(err, "ticket_id");
	if (binder->via.bin.size != HR_TICKET_BINDER_LEN)
		return hr_errorf(err, HR_E_PARAMS, "resume.ticket",
		    "must be {size} bytes", HR_INT("size",
		    HR_TICKET_BINDER_LEN)), hr_error_at(err, "binder");
	if ((rq->vals[P_TERMINAL] == NULL) != (proof == NULL) ||
	    (proof != NULL && proof->via.bin.size != HR_TERMINAL_PROOF_LEN))
		return hr_errorf(err, HR_E_PARAMS, "login.terminal_params",
		    "terminal and terminal_proof ({size} bytes) go together",
		    HR_INT("size", HR_TERMINAL_PROOF_LEN));
	/* Only the ticket's holder can bind it to this handshake. */
	if (!hr_ticket_binder_ok((const uint8_t *)id->via.bin.ptr,
	    rq->conn->ch.transcript, (const uint8_t *)binder->via.bin.ptr))
		return hr_errorf(err, HR_E_TICKET, "session.ticket",
		    "session ticket is unknown, used or expired; log in again");
	if (rq->vals[P_TERMINAL] != NULL &&
	    (name = hr_val_strdup(rq->vals[P_TERMINAL])) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	rc = db_ticket_redeem(rq->db, (const uint8_t *)id->via.bin.ptr, name,
	    db_now(), &use, err);
	if (rc < 0 && use.reused)
		rc = resume_reused(rq, use.user_id, err);
	else if (rc < 0 && err->code == HR_E_TICKET)
		rq->keep = 1;          /* spent, if it was known */
	if (rc == 0)
		rc = resume_user(rq, use.user_id, &u, err);
	if (rc == 0) {
		if ((refused = resume_terminal_refusal(rq, &u, name, err)) != NULL)
			rc = resume_refuse(rq, &u, name, refused, err);
		else
			rc = resume_open(rq, &u, name, use.login_at, err);
		db_user_free(&u);
	}
	free(name);
	return rc;
}
