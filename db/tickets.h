/*
 * tickets.h — session tickets, and what a live session re-checks.
 *
 * Tickets let a client resume after a dropped link without the password:
 * 32 random bytes given to the client once; only their BLAKE2b hash is
 * stored; each ticket is single use (resume returns a fresh one).
 * Login throttling is throttle.h.
 */
#ifndef HR_DB_TICKETS_H
#define HR_DB_TICKETS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

int  db_ticket_issue(struct hr_db *db, int64_t user_id, int64_t ttl,
    int64_t now, uint8_t ticket[32], struct hr_error *err);
/* Consume a ticket: 0 with *user_id, or -1 with HR_E_TICKET. */
int  db_ticket_redeem(struct hr_db *db, const uint8_t ticket[32], int64_t now,
    int64_t *user_id, struct hr_error *err);

/*
 * The same for a session proven by a registered terminal (`terminal` its
 * name; NULL: none, as above).  Such a ticket is redeemed only together
 * with the same terminal's name, so a resume must prove that terminal
 * again (srvd/method_resume.c) and a stolen ticket is no use elsewhere.
 * `login_at` is when the session's password login was (kept from ticket
 * to ticket: redeem gives it back in *login_at, which may be NULL); the
 * plain forms above use `now`.
 */
int  db_ticket_issue_bound(struct hr_db *db, int64_t user_id,
    const char *terminal, int64_t login_at, int64_t ttl, int64_t now,
    uint8_t ticket[32], struct hr_error *err);
int  db_ticket_redeem_bound(struct hr_db *db, const uint8_t ticket[32],
    const char *terminal, int64_t now, int64_t *user_id, int64_t *login_at,
    struct hr_error *err);
/* Every ticket of the user, and (db_user_touch) the user's live sessions. */
int  db_ticket_revoke_user(struct hr_db *db, int64_t user_id, struct hr_error *err);
/* Every user's tickets (hromadactl restore: no session outlives a restore). */
int  db_ticket_revoke_all(struct hr_db *db, struct hr_error *err);

/*
 * What a live session re-checks before each request (srvd/session.c), in
 * one read by primary key: the account's disabled flag and updated_at,
 * and whether `terminal` (NULL: none) is revoked or gone.  HR_E_NOT_FOUND
 * when the user no longer exists.
 */
struct db_session_state {
	int     disabled;
	int64_t updated_at;
	int     terminal_revoked;   /* 0 when terminal is NULL */
};
int  db_session_state(struct hr_db *db, int64_t user_id, const char *terminal,
    struct db_session_state *out, struct hr_error *err);

#endif
