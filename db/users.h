/*
 * users.h — user accounts and password hashes.
 */
#ifndef HR_DB_USERS_H
#define HR_DB_USERS_H

#include <stdint.h>

#include "db/db.h"

struct db_user {
	int64_t id;
	char   *name;            /* login name */
	char   *full_name;
	int     role;            /* enum hr_role */
	int64_t territory_id;    /* where the account hangs (role's home kind) */
	char   *territory_name;
	int     disabled;
	char   *pwhash;          /* crypto_pwhash_str string */
	int64_t created_at;
	int64_t updated_at;      /* grows with every change that ends sessions */
};

void db_user_free(struct db_user *u);   /* frees members, not u */

/*
 * Can anyone log in as u at all: it has a password (pwhash an Argon2
 * string).  An account made without one — a signer of imported history,
 * as the demo's other hromadas' clerks ('!') — stays enabled, so its
 * office counts as connected, but no password matches it.
 */
int  db_user_can_log_in(const struct db_user *u);

/* 0 found, -1 with HR_E_NOT_FOUND or another code. */
int  db_user_by_name(struct hr_db *db, const char *name, struct db_user *out,
    struct hr_error *err);
int  db_user_by_id(struct hr_db *db, int64_t id, struct db_user *out,
    struct hr_error *err);

/*
 * Create a user; checks the role exists and that the territory is of the
 * role's home kind.  `password` is hashed here (Argon2id).  Sets *id.
 */
int  db_user_add(struct hr_db *db, const char *name, const char *full_name,
    int role, int64_t territory_id, const char *password, int64_t *id,
    struct hr_error *err);
/* Set a new password; ends the user's saved sessions (tickets). */
int  db_user_set_password(struct hr_db *db, const char *name,
    const char *password, struct hr_error *err);
/*
 * Give a user another role and/or territory (the territory must be of the
 * role's home kind, as for db_user_add); ends the user's saved sessions.
 */
int  db_user_assign(struct hr_db *db, const char *name, int role,
    int64_t territory_id, struct hr_error *err);
int  db_user_set_disabled(struct hr_db *db, const char *name, int disabled,
    struct hr_error *err);

/*
 * Mark the account changed: updated_at grows (by at least 1, even within
 * the same second), so a live session that compares it with the value it
 * saw at login ends (srvd/session.c).  Every change above does this.
 */
int  db_user_touch(struct hr_db *db, int64_t user_id, struct hr_error *err);

/*
 * End everything the user is logged in with: revoke every ticket
 * (db/tickets.h) and touch the account, so live sessions end at their
 * next request.  A logout, a reused ticket, and each change above.
 */
int  db_user_end_sessions(struct hr_db *db, int64_t user_id,
    struct hr_error *err);

/*
 * Iterate users whose territory lies under `scope_territory` (0 = all), by
 * name.  fn returns 0 to go on, 1 to stop, -1 to fail; `u` lives only during
 * the call.
 */
typedef int db_user_fn(void *ud, const struct db_user *u);
int  db_user_each(struct hr_db *db, int64_t scope_territory, db_user_fn *fn,
    void *ud, struct hr_error *err);

/* Argon2id hash of `password` (crypto_pwhash_str, INTERACTIVE limits). */
int  db_password_hash(const char *password, char out[128], struct hr_error *err);

/*
 * The password rules (at least 8 characters, at most 1024 bytes), checked by
 * db_user_add and db_user_set_password; callers may check early to ask again.
 */
int  db_password_check(const char *password, struct hr_error *err);

#endif
