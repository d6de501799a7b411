/*
 * applications.c — application rows, their territory ids and history.
 */
#include "db/applications.h"
#include "db/db_priv.h"
#include "db/territory.h"
#include "proto/roles.h"

#include <string.h>

struct app_scope {
	int64_t hromada, spszn, oblast;
};

/* The ancestors the journal scopes by; the office must be a front office. */
static int
app_scope_of(struct hr_db *db, int64_t office, struct app_scope *s,
    struct hr_error *err)
{
	struct db_territory t;
	int kind;

	if (db_territory_get(db, office, &t, err) < 0)
		return -1;
	kind = t.kind;
	db_territory_free(&t);
	if (kind != HR_TERR_CNAP && kind != HR_TERR_STAROSTA)
		return hr_error_set(err, HR_E_INVALID, "territory %lld is not a "
		    "front office (ЦНАП or starosta district)", (long long)office);
	if (db_territory_ancestor(db, office, HR_TERR_HROMADA, &s->hromada, err) < 0 ||
	    db_territory_ancestor(db, office, HR_TERR_SPSZN, &s->spszn, err) < 0 ||
	    db_territory_ancestor(db, office, HR_TERR_OBLAST, &s->oblast, err) < 0)
		return -1;
	return 0;
}

static int
app_history(struct hr_db *db, int64_t id, int64_t at, int64_t user_id,
    const char *from, const char *to, const char *comment,
    struct hr_error *err)
{
	return db_run(db, "INSERT INTO application_history (application_id, "
	    "at, user_id, from_status, to_status, comment) VALUES "
	    "(?, ?, ?, ?, ?, ?)", "record application history", err, "iiittt",
	    id, at, user_id, from, to, comment);
}

static int
app_insert(struct hr_db *db, const struct db_application_new *a,
    int64_t at, int64_t *id, struct hr_error *err)
{
	struct app_scope s;

	if (app_scope_of(db, a->front_office_id, &s, err) < 0)
		return -1;
	if (db_run(db, "INSERT INTO applications (reg_no, reg_year, hromada_id, "
	    "front_office_id, spszn_id, oblast_id, service_code, applicant_id, "
	    "status, package_full, version, created_by, created_at, updated_at) "
	    "VALUES (?, nullif(?, 0), ?, ?, ?, ?, ?, ?, 'draft', ?, 1, ?, ?, ?)",
	    "add an application", err, "tdiiiitidiii", a->reg_no,
	    a->reg_no ? a->reg_year : 0, s.hromada, a->front_office_id,
	    s.spszn, s.oblast, a->service_code, a->applicant_id,
	    a->package_full != 0, a->created_by, at, at) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->sql);
	return app_history(db, *id, at, a->created_by, NULL,
	    hr_status_name(HR_ST_DRAFT), NULL, err);
}

int
db_application_add(struct hr_db *db, const struct db_application_new *a,
    int64_t *id, struct hr_error *err)
{
	int64_t at = a->at ? a->at : db_now(), newid = 0;
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = app_insert(db, a, at, &newid, err);
	rc = db_tx_leave(db, own, rc, err);
	if (rc == 0 && id != NULL)
		*id = newid;
	return rc;
}

static int
app_move(struct hr_db *db, int64_t id, const char *from, const char *to,
    int64_t user_id, const char *comment, int64_t at, struct hr_error *err)
{
	if (db_run(db, "UPDATE applications SET status = ?, version = version "
	    "+ 1, updated_at = ? WHERE id = ? AND status = ?",
	    "change an application's status", err, "tiit", to, at, id, from) < 0)
		return -1;
	if (sqlite3_changes(db->sql) == 0)
		return hr_error_set(err, HR_E_CONFLICT, "application %lld is not "
		    "in status %s any more (or does not exist)", (long long)id,
		    from);
	return app_history(db, id, at, user_id, from, to, comment, err);
}

int
db_application_set_status(struct hr_db *db, int64_t id, int from, int to,
    int64_t user_id, const char *comment, int64_t at, struct hr_error *err)
{
	const char *f = hr_status_name(from), *t = hr_status_name(to);
	int own, rc;

	if (f == NULL || t == NULL)
		return hr_error_set(err, HR_E_INVALID, "unknown application "
		    "status");
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = app_move(db, id, f, t, user_id, comment, at ? at : db_now(), err);
	return db_tx_leave(db, own, rc, err);
}
