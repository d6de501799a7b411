/*
 * tickets.c — resumable-session tickets, and what a live session re-checks
 * (see tickets.h).
 */
#include "db/tickets.h"
#include "db/db_priv.h"
#include "db/users.h"

#include <sodium.h>
#include <string.h>

#define TICKET_LEN 32u

/*
 * The stored hash: BLAKE2b-256(ticket), or BLAKE2b-256(ticket || 0x00 ||
 * terminal name) for a session proven by a terminal.  Binding the terminal
 * into the hash keeps the table as it is; the ticket is always 32 bytes
 * and names hold no NUL, so the two forms never meet.
 */
static void
ticket_hash(const uint8_t ticket[TICKET_LEN], const char *terminal,
    uint8_t hash[TICKET_LEN])
{
	crypto_generichash_state st;
	static const uint8_t sep = 0;

	crypto_generichash_init(&st, NULL, 0, TICKET_LEN);
	crypto_generichash_update(&st, ticket, TICKET_LEN);
	if (terminal != NULL) {
		crypto_generichash_update(&st, &sep, 1);
		crypto_generichash_update(&st, (const uint8_t *)terminal,
		    strlen(terminal));
	}
	crypto_generichash_final(&st, hash, TICKET_LEN);
	sodium_memzero(&st, sizeof st);
}

int
db_ticket_issue(struct hr_db *db, int64_t user_id, int64_t ttl,
    int64_t now, uint8_t ticket[32], struct hr_error *err)
{
	return db_ticket_issue_bound(db, user_id, NULL, now, ttl, now, ticket,
	    err);
}

int
db_ticket_issue_bound(struct hr_db *db, int64_t user_id,
    const char *terminal, int64_t login_at, int64_t ttl, int64_t now,
    uint8_t ticket[32], struct hr_error *err)
{
	uint8_t hash[TICKET_LEN];
	int own, rc;

	randombytes_buf(ticket, TICKET_LEN);
	ticket_hash(ticket, terminal, hash);
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	/* Expired tickets are dropped here, so the table stays small. */
	rc = db_run(db, "DELETE FROM session_tickets WHERE expires_at <= ?",
	    "drop expired tickets", err, "i", now);
	if (rc == 0)
		rc = db_run(db, "INSERT INTO session_tickets (hash, user_id, "
		    "created_at, expires_at, login_at) VALUES (?, ?, ?, ?, ?)",
		    "issue a session ticket", err, "biiii", hash,
		    (size_t)TICKET_LEN, user_id, now, now + ttl, login_at);
	if (rc < 0)
		sodium_memzero(ticket, TICKET_LEN);
	return db_tx_leave(db, own, rc, err);
}

/* Find and delete the ticket: *user_id 0 when unusable. */
static int
ticket_take(struct hr_db *db, const uint8_t hash[TICKET_LEN], int64_t now,
    int64_t *user_id, int64_t *login_at, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT s.user_id, s.expires_at, "
	    "u.disabled, coalesce(s.login_at, s.created_at) FROM "
	    "session_tickets s JOIN users u ON u.id = s.user_id WHERE "
	    "s.hash = ?", err);
	int rc;

	*user_id = 0;
	if (st == NULL || db_bindf(db, st, "ticket", err, "b", hash,
	    (size_t)TICKET_LEN) < 0)
		return -1;
	rc = db_step_row(db, st, "read a session ticket", err);
	if (rc <= 0)
		return rc;
	if (sqlite3_column_int64(st, 1) > now && sqlite3_column_int(st, 2) == 0)
		*user_id = sqlite3_column_int64(st, 0);
	*login_at = sqlite3_column_int64(st, 3);
	(void)sqlite3_reset(st);
	return db_run(db, "DELETE FROM session_tickets WHERE hash = ?",
	    "consume a session ticket", err, "b", hash, (size_t)TICKET_LEN);
}

int
db_ticket_redeem(struct hr_db *db, const uint8_t ticket[32], int64_t now,
    int64_t *user_id, struct hr_error *err)
{
	return db_ticket_redeem_bound(db, ticket, NULL, now, user_id, NULL, err);
}

int
db_ticket_redeem_bound(struct hr_db *db, const uint8_t ticket[32],
    const char *terminal, int64_t now, int64_t *user_id, int64_t *login_at,
    struct hr_error *err)
{
	uint8_t hash[TICKET_LEN];
	int64_t at = 0;
	int own, rc;

	ticket_hash(ticket, terminal, hash);
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = ticket_take(db, hash, now, user_id, &at, err);
	if (login_at != NULL)
		*login_at = at;
	rc = db_tx_leave(db, own, rc, err);
	if (rc == 0 && *user_id == 0)
		return hr_errorf(err, HR_E_TICKET, "session.ticket",
		    "session ticket is unknown, used or expired; log in again");
	return rc;
}

/* A logout ends the user's other live connections too, not only tickets. */
int
db_ticket_revoke_user(struct hr_db *db, int64_t user_id, struct hr_error *err)
{
	if (db_run(db, "DELETE FROM session_tickets WHERE user_id = ?",
	    "revoke session tickets", err, "i", user_id) < 0)
		return -1;
	return db_user_touch(db, user_id, err);
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
