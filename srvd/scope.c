/*
 * scope.c — role + territory -> the applications a user may see.
 *
 *   userSta, userCnap          own starosta district / ЦНАП (front office)
 *   super_userSta/Cnap         the hromada their district or ЦНАП belongs to
 *   upo_otg                    own hromada
 *   spszn                      own back office: all hromadas it serves
 *   oblast                     own oblast (aggregates only: roles.c
 *                              personal_data = 0 keeps them off the journal)
 *   ministry                   the whole country (aggregates only)
 *   admin                      no applications at all
 *
 * The kind of the scope territory comes from roles.c (hr_role_info()->scope);
 * this table only says which application column that territory matches.
 */
#include "srvd/scope.h"

#include "db/applications.h"
#include "db/territory.h"
#include "proto/roles.h"
#include "proto/workflow.h"

static const struct {
	int               applications;
	enum db_scope_col col;
} scope_table[HR_ROLE__COUNT] = {
	[HR_ROLE_USER_STA]        = { 1, DB_SCOPE_FRONT_OFFICE },
	[HR_ROLE_USER_CNAP]       = { 1, DB_SCOPE_FRONT_OFFICE },
	[HR_ROLE_SUPER_USER_STA]  = { 1, DB_SCOPE_HROMADA },
	[HR_ROLE_SUPER_USER_CNAP] = { 1, DB_SCOPE_HROMADA },
	[HR_ROLE_UPO_OTG]         = { 1, DB_SCOPE_HROMADA },
	[HR_ROLE_SPSZN]           = { 1, DB_SCOPE_SPSZN },
	[HR_ROLE_OBLAST]          = { 1, DB_SCOPE_OBLAST },
	[HR_ROLE_MINISTRY]        = { 1, DB_SCOPE_ALL },
	[HR_ROLE_ADMIN]           = { 0, DB_SCOPE_ALL },
};

int
scope_resolve(struct hr_db *db, int role, int64_t territory_id,
    struct srv_scope *out, struct hr_error *err)
{
	const struct hr_role_info *ri = hr_role_info(role);

	if (ri == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "unknown role %d", role);
	out->applications = scope_table[role].applications;
	out->col = scope_table[role].col;
	out->territory_id = 0;
	out->oblast_id = 0;
	/* A user above an oblast (ministry, admin) has none: 0. */
	if (db_territory_ancestor(db, territory_id, HR_TERR_OBLAST,
	    &out->oblast_id, err) < 0) {
		out->oblast_id = 0;
		hr_error_clear(err);
	}
	if (db_territory_ancestor(db, territory_id, ri->scope,
	    &out->territory_id, err) == 0)
		return 0;
	if (out->col == DB_SCOPE_ALL) {     /* a tree without a country root */
		out->territory_id = 0;
		hr_error_clear(err);
		return 0;
	}
	return hr_error_set(err, HR_E_INTERNAL, "territory %lld has no %s "
	    "above it for role %s; fix the user's territory with hromadactl",
	    (long long)territory_id, hr_terr_kind_name(ri->scope), ri->name);
}

void
scope_apply(const struct srv_scope *s, struct db_journal_filter *f)
{
	f->scope_col = s->col;
	f->scope_id = s->territory_id;
}

/* The application's territory id in the scope's column. */
static int64_t
scope_app_column(enum db_scope_col col, const struct db_app *a)
{
	switch (col) {
	case DB_SCOPE_FRONT_OFFICE: return a->front_office_id;
	case DB_SCOPE_HROMADA:      return a->hromada_id;
	case DB_SCOPE_SPSZN:        return a->spszn_id;
	case DB_SCOPE_OBLAST:       return a->oblast_id;
	case DB_SCOPE_ALL:          break;
	}
	return 0;
}

int
scope_sees_app(const struct srv_scope *s, int role, const struct db_app *a)
{
	const struct hr_role_info *ri = hr_role_info(role);

	if (ri == NULL || !ri->personal_data || !s->applications)
		return 0;
	if (!hr_workflow_visible(a->status, role))
		return 0;
	return s->col == DB_SCOPE_ALL ||
	    scope_app_column(s->col, a) == s->territory_id;
}

int
scope_has_front_office(struct hr_db *db, const struct srv_scope *s, int64_t id,
    struct hr_error *err)
{
	struct db_territory t;
	int kind;

	if (!s->applications)
		return 0;
	if (db_territory_get(db, id, &t, err) < 0) {
		if (err->code != HR_E_NOT_FOUND)
			return -1;
		hr_error_clear(err);
		return 0;
	}
	kind = t.kind;
	db_territory_free(&t);
	if (kind != HR_TERR_CNAP && kind != HR_TERR_STAROSTA)
		return 0;
	if (s->col == DB_SCOPE_ALL)
		return 1;
	return db_territory_within(db, id, s->territory_id, err);
}

int
scope_has_territory(struct hr_db *db, const struct srv_scope *s, int64_t id,
    struct hr_error *err)
{
	int in;

	if (s->col == DB_SCOPE_ALL && s->territory_id == 0)
		return 1;
	in = db_territory_within(db, id, s->territory_id, err);
	if (in < 0 && err->code == HR_E_NOT_FOUND) {
		hr_error_clear(err);
		return 0;
	}
	return in;
}
