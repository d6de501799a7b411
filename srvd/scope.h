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
	int64_t           oblast_id;     /* the user's oblast, 0 above one:
	                                    where a name finds persons */
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

/*
 * May a user of `role` with scope `s` see application `a` at all: a role
 * that sees persons' data, the application in the scope territory, and its
 * status one the role sees (hr_workflow_visible: the back office only from
 * hand-over on).  Handlers answer HR_E_NOT_FOUND when not, as for an id
 * that does not exist.
 */
struct db_app;
int  scope_sees_app(const struct srv_scope *s, int role, const struct db_app *a);

/*
 * Is territory `id` a front office (ЦНАП or starosta district) within the
 * scope?  1 yes, 0 no, -1 error.
 */
int  scope_has_front_office(struct hr_db *db, const struct srv_scope *s,
    int64_t id, struct hr_error *err);

/*
 * Is territory `id` the scope territory or below it (any kind)?  1 yes, 0
 * no (also for an id that does not exist), -1 error.  For aggregates
 * (report.get, report.monitor): no role check here.
 */
int  scope_has_territory(struct hr_db *db, const struct srv_scope *s,
    int64_t id, struct hr_error *err);

#endif
