/*
 * tickets.c — resumable-session tickets with tombstones, and what a live
 * session re-checks (see tickets.h).
 */
#include "db/tickets.h"
#include "db/db_priv.h"

#include <sodium.h>
#include <string.h>

int
db_ticket_issue(struct hr_db *db, int64_t user_id, const char *terminal,
    int64_t login_at, int64_t ttl, int64_t now, uint8_t ticket[HR_TICKET_LEN],
    struct hr_error *err)
{
	uint8_t id[HR_TICKET_ID_LEN];
	int own, rc;

	hr_ticket_new(ticket, id);
	if (db_tx_enter(db, &own, err) < 0) {
		sodium_memzero(ticket, HR_TICKET_LEN);
		return -1;
	}
	/* Expired tickets and tombstones go here: the table stays small. */
	rc = db_run(db, "DELETE FROM session_tickets WHERE expires_at <= ?",
	    "drop expired tickets", err, "i", now);
	if (rc == 0)
		rc = db_run(db, "INSERT INTO session_tickets (id, user_id, "
		    "terminal, created_at, expires_at, login_at) VALUES (?, ?, "
		    "?, ?, ?, ?)", "issue a session ticket", err, "bitiii", id,
		    (size_t)HR_TICKET_ID_LEN, user_id, terminal, now, now + ttl,
		    login_at);
	if (rc < 0)
		sodium_memzero(ticket, HR_TICKET_LEN);
	return db_tx_leave(db, own, rc, err);
}

/* Why a redeemed ticket does not resume (NULL: it does). */
static const char *
ticket_refusal(sqlite3_stmt *st, const char *terminal, int64_t now)
{
	const char *bound = (const char *)sqlite3_column_text(st, 4);

	if (sqlite3_column_type(st, 3) != SQLITE_NULL)
		return "spent";
	if (sqlite3_column_int64(st, 1) <= now)
		return "expired";
	if (sqlite3_column_int(st, 2) != 0)
		return "disabled";
	if ((bound == NULL) != (terminal == NULL) ||
	    (bound != NULL && strcmp(bound, terminal) != 0))
		return "terminal";
	return NULL;
}

/* Read the ticket's row and spend it; *why NULL when it resumes. */
static int
ticket_take(struct hr_db *db, const uint8_t id[HR_TICKET_ID_LEN],
    const char *terminal, int64_t now, struct db_ticket_use *use,
    const char **why, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT s.user_id, s.expires_at, "
	    "u.disabled, s.spent_at, s.terminal, s.login_at FROM "
	    "session_tickets s JOIN users u ON u.id = s.user_id WHERE "
	    "s.id = ?", err);
	int rc;

	*why = "unknown";
	if (st == NULL || db_bindf(db, st, "ticket", err, "b", id,
	    (size_t)HR_TICKET_ID_LEN) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a session ticket", err)) <= 0)
		return rc;
	use->user_id = sqlite3_column_int64(st, 0);
	use->login_at = sqlite3_column_int64(st, 5);
	*why = ticket_refusal(st, terminal, now);
	(void)sqlite3_reset(st);
	if (*why != NULL && strcmp(*why, "spent") == 0) {
		use->reused = 1;
		return 0;
	}
	return db_run(db, "UPDATE session_tickets SET spent_at = ? WHERE id = ?",
	    "spend a session ticket", err, "ib", now, id,
	    (size_t)HR_TICKET_ID_LEN);
}

int
db_ticket_redeem(struct hr_db *db, const uint8_t id[HR_TICKET_ID_LEN],
    const char *terminal, int64_t now, struct db_ticket_use *use,
    struct hr_error *err)
{
	const char *why = NULL;
	int own, rc;

	memset(use, 0, sizeof *use);
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = ticket_take(db, id, terminal, now, use, &why, err);
	rc = db_tx_leave(db, own, rc, err);
	if (rc == 0 && why != NULL)
		return hr_errorf(err, HR_E_TICKET, "session.ticket",
		    "session ticket is unknown, used or expired; log in again");
	return rc;
}

int
db_ticket_revoke_user(struct hr_db *db, int64_t user_id, struct hr_error *err)
{
	return db_run(db, "DELETE FROM session_tickets WHERE user_id = ?",
	    "revoke session tickets", err, "i", user_id);
}

int
db_ticket_revoke_all(struct hr_db *db, struct hr_error *err)
{
	return db_run(db, "DELETE FROM session_tickets", "revoke session "
	    "tickets", err, "");
}

int
db_session_state(struct hr_db *db, int64_t user_id, const char *terminal,
    struct db_session_state *out, struct hr_error *err)
{
	/* users by id and terminals by name are both unique indexes. */
	sqlite3_stmt *st = db_prepare(db, "SELECT disabled, updated_at, "
	    "(SELECT revoked_at IS NOT NULL FROM terminals WHERE name = ?2) "
	    "FROM users WHERE id = ?1", err);
	int rc;

	memset(out, 0, sizeof *out);
	if (st == NULL || db_bindf(db, st, "session state", err, "it", user_id,
	    terminal) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "session state", err)) <= 0)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "user.not_found", "user {user} does not exist",
		    HR_INT("user", user_id));
	out->disabled = sqlite3_column_int(st, 0);
	out->updated_at = sqlite3_column_int64(st, 1);
	/* A terminal that is no longer there counts as revoked. */
	out->terminal_revoked = terminal != NULL &&
	    (sqlite3_column_type(st, 2) == SQLITE_NULL ||
	    sqlite3_column_int(st, 2) != 0);
	(void)sqlite3_reset(st);
	return 0;
}
