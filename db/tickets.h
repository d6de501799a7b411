/*
 * tickets.h — session tickets, and what a live session re-checks.
 *
 * A ticket lets a client resume after a dropped link without the password
 * (proto/ticket.h: the client keeps an Ed25519 seed and proves it with a
 * binder over the connection's handshake).  The table keeps only each
 * ticket's id (the public key) with its user, the terminal its session
 * proved, when it expires and when the session's password login was.
 *
 * A ticket is single use: redeeming it marks it spent, and the spent row
 * stays as a *tombstone* until the ticket would have expired.  A spent
 * ticket presented again with a valid binder means that two parties hold
 * it -- one of them a thief -- so db_ticket_redeem reports the reuse and
 * the caller revokes every ticket of the user, ends the user's live
 * sessions and audits it (srvd/method_resume.c).  Login throttling is
 * throttle.h.
 */
#ifndef HR_DB_TICKETS_H
#define HR_DB_TICKETS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "proto/ticket.h"

/*
 * Make a ticket for `user_id`, store its id and hand the ticket back in
 * `ticket` (wiped on failure).  `terminal`: the terminal the session
 * proved (NULL: none), which every resume must prove again; `login_at`:
 * the session's password login, kept from ticket to ticket; valid for
 * `ttl` seconds from `now`.  Expired rows (tickets and tombstones) are
 * dropped here.
 */
int  db_ticket_issue(struct hr_db *db, int64_t user_id, const char *terminal,
    int64_t login_at, int64_t ttl, int64_t now, uint8_t ticket[HR_TICKET_LEN],
    struct hr_error *err);

struct db_ticket_use {
	int64_t user_id;      /* whose ticket (set also for a reuse) */
	int64_t login_at;     /* its session's password login */
	int     reused;       /* it was spent already: see above */
};

/*
 * Redeem the ticket with id `id` -- whose binder the caller has checked --
 * for a resume from `terminal` (NULL: none): mark it spent and fill *use.
 * -1 with HR_E_TICKET when it is unknown, expired, of a disabled user,
 * bound to another terminal (it is spent all the same) or spent already
 * (then use->reused is set with use->user_id: the caller revokes).
 */
int  db_ticket_redeem(struct hr_db *db, const uint8_t id[HR_TICKET_ID_LEN],
    const char *terminal, int64_t now, struct db_ticket_use *use,
    struct hr_error *err);

/* Every ticket of the user (db_user_end_sessions also ends the live
 * sessions). */
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
