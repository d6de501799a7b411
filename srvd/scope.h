/*
 * scope.h — how far a user sees, from role and territory (DOMAIN.md "Roles").
 *
 * Resolved once at login/resume and kept on the connection; every query for
 * applications is filtered by it (struct db_journal_filter's scope), so a
 * handler never decides visibility on its own.
 */
#ifndef SRV_SCOPE_H
#define SRV_SCOPE_H

#include <stdint.h>

#include "db/db.h"
#include "db/journal.h"
#include "proto/error.h"

struct srv_scope {
	int               applications;  /* 0: sees no applications (admin) */
	enum db_scope_col col;           /* which application column matches */
	int64_t           territory_id;  /* the scope territory (col's value) */
};

/*
 * Resolve the scope of `role` for a user attached to `territory_id`:
 * the ancestor-or-self of the role's scope kind (roles.c).  -1 with err
 * (HR_E_INTERNAL naming the territory) when the tree has no such ancestor.
 */
int  scope_resolve(struct hr_db *db, int role, int64_t territory_id,
    struct srv_scope *out, struct hr_error *err);

/* Put the scope into a journal filter. */
void scope_apply(const struct srv_scope *s, struct db_journal_filter *f);

#endif
