/*
 * terminals.h — registered terminals and the territories that require them.
 *
 * A terminal serves the users whose territory lies at or below the
 * terminal's territory.  A user needs a terminal to log in when their
 * territory or any territory above it has require_terminal set.
 * Migration 004 holds the tables; proto/terminal.h the proof.
 */
#ifndef HR_DB_TERMINALS_H
#define HR_DB_TERMINALS_H

#include <stdint.h>

#include "db/db.h"
#include "proto/handshake.h"

struct db_terminal {
	int64_t id;
	char   *name;
	int64_t territory_id;
	char   *territory_name;
	uint8_t pk[HR_PUBKEY_LEN];
	int64_t created_at;
	int64_t revoked_at;      /* 0: in use */
};

void db_terminal_free(struct db_terminal *t);   /* members, not t */

/* HR_E_DUPLICATE when the name is taken (also by a revoked terminal). */
int  db_terminal_add(struct hr_db *db, const char *name, int64_t territory_id,
    const uint8_t pk[HR_PUBKEY_LEN], int64_t now, int64_t *id,
    struct hr_error *err);
/* HR_E_NOT_FOUND if none; a revoked one is returned with revoked_at set. */
int  db_terminal_by_name(struct hr_db *db, const char *name,
    struct db_terminal *out, struct hr_error *err);
/* HR_E_NOT_FOUND if no such terminal, HR_E_STATE if revoked already. */
int  db_terminal_revoke(struct hr_db *db, const char *name, int64_t now,
    struct hr_error *err);

/* All terminals by name; fn returns 0 to go on, 1 to stop, -1 to fail. */
typedef int db_terminal_fn(void *ud, const struct db_terminal *t);
int  db_terminal_each(struct hr_db *db, db_terminal_fn *fn, void *ud,
    struct hr_error *err);

/* Set or clear require_terminal on one territory. */
int  db_territory_require_terminal(struct hr_db *db, int64_t territory_id,
    int on, struct hr_error *err);

/*
 * Must a user attached to `territory_id` log in from a terminal?  1 yes,
 * 0 no, -1 error.  *where (may be NULL) gets the territory that requires it.
 */
int  db_terminal_required(struct hr_db *db, int64_t territory_id,
    int64_t *where, struct hr_error *err);

#endif
