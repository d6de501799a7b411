/*
 * applications.c — application rows, their territory ids and history.
 *
 * Alike on purpose: the walks over a case's history and its changes have
 * the frame every walk in db/ has (db_query, db_step_row until done, the
 * callback a row; db_priv.h); the columns are each walk's own.
 */
#include "db/applications.h"
#include "db/batch_summaries.h"
#include "db/db_priv.h"
#include "db/deadlines.h"
#include "db/territory.h"
#include "proto/roles.h"
#include "proto/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct app_scope {
	int64_t hromada, spszn, oblast;
};

/* The ancestors the journal scopes by, in one walk up; the office must be
 * a front office. */
static int
app_scope_of(struct hr_db *db, int64_t office, struct app_scope *s,
    struct hr_error *err)
{
	int64_t up[HR_TERR__COUNT];

	if (db_territory_ancestors(db, office, up, err) < 0)
		return -1;
	if (up[HR_TERR_CNAP] != office && up[HR_TERR_STAROSTA] != office)
		return hr_errorf(err, HR_E_INVALID, "territory.not_front",
		    "territory {id} is not a front office (ЦНАП or starosta "
		    "district)", HR_INT("id", office));
	for (int k = HR_TERR_OBLAST; k <= HR_TERR_HROMADA; k++)
		if (up[k] == 0)
			return hr_errorf(err, HR_E_NOT_FOUND,
			    "territory.no_ancestor", "territory {id} has no "
			    "{kind} above it", HR_INT("id", office),
			    HR_STR("kind", hr_terr_kind_name(k)));
	s->hromada = up[HR_TERR_HROMADA];
	s->spszn = up[HR_TERR_SPSZN];
	s->oblast = up[HR_TERR_OBLAST];
	return 0;
}

/* A history row; `event` (and its detail) NULL but for a marked one. */
static int
app_history(struct hr_db *db, int64_t id, int64_t at, int64_t user_id,
    const char *from, const char *to, const char *comment, const char *event,
    const char *detail, struct hr_error *err)
{
	return db_run(db, "INSERT INTO application_history (application_id, "
	    "at, user_id, from_status, to_status, comment, event, "
	    "event_detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "record "
	    "application history", err, "iiittttt", id, at, user_id, from, to,
	    comment, event, detail);
}

/*
 * Invariant: created_at never decreases with id, so the journal can turn a
 * date range into an id range (journal.c).  A clock stepped back, or a
 * caller's earlier `at`, gets the latest creation time instead.
 */
static int
app_created_at(struct hr_db *db, int64_t *at, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT max(created_at) FROM "
	    "applications", err);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step_row(db, st, "read the latest creation time", err);
	if (rc == 1) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
		    sqlite3_column_int64(st, 0) > *at)
			*at = sqlite3_column_int64(st, 0);
		(void)sqlite3_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

/*
 * One INSERT writes the whole new row -- its applicant's folded name (not
 * the trigger's second write, 009), the rest of the form when the caller
 * has it, the running clock's dates (deadlines.h) -- so the row and its
 * indexes are written once.
 */
static int
app_insert(struct hr_db *db, const struct db_application_new *a,
    int64_t at, int64_t *id, struct hr_error *err)
{
	static const struct db_app_fields none = { 0 };
	const struct db_app_fields *f = a->fields ? a->fields : &none;
	struct db_deadline_start clock;
	struct app_scope s = { 0, 0, 0 };

	if (app_scope_of(db, a->front_office_id, &s, err) < 0 ||
	    app_created_at(db, &at, err) < 0 ||
	    db_batch_summaries_join(db, err) < 0 ||
	    db_deadline_plan_new(db, a->service_code, (const int64_t[3]){
	    a->front_office_id, s.hromada, s.spszn }, HR_ST_DRAFT, at, &clock,
	    err) < 0)
		return -1;
	if (db_run(db, "INSERT INTO applications (reg_no, reg_year, hromada_id, "
	    "front_office_id, spszn_id, oblast_id, service_code, applicant_id, "
	    "applicant_search, status, package_full, version, created_by, "
	    "created_at, updated_at, pay_method, iban, post_office, phone, "
	    "notes, stage_start, stage_days, stage_due, stage_warn) VALUES "
	    "(?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, (SELECT search_name "
	    "FROM persons WHERE id = ?8), 'draft', NOT EXISTS (SELECT 1 FROM "
	    "service_documents WHERE service_code = ?7), 1, ?9, ?10, ?11, ?12, "
	    "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
	    "add an application", err, "tdiiiitiiiitttttdddd", a->reg_no,
	    a->reg_no ? a->reg_year : 0, s.hromada, a->front_office_id,
	    s.spszn, s.oblast, a->service_code, a->applicant_id,
	    a->created_by, at, at, f->pay_method, f->iban, f->post_office,
	    f->phone, f->notes, (int)clock.k.start, clock.k.days,
	    (int)clock.k.due, (int)clock.k.warn) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(db->sql);
	if (app_history(db, *id, at, a->created_by, NULL,
	    hr_status_name(HR_ST_DRAFT), NULL, NULL, NULL, err) < 0)
		return -1;
	return db_deadline_moved(db, *id, -1, HR_ST_DRAFT, &clock, err);
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

#define APP_STATUS_SET "UPDATE applications SET status = ?, version = " \
	"version + 1, updated_at = ?, last_reason = CASE WHEN ? THEN ? ELSE " \
	"last_reason END"
#define APP_STATUS_WHERE " WHERE id = ? AND (? OR version = ?) AND status = ?"

/* How a status change is recorded: who, when, why. */
struct app_move {
	int64_t     user_id, at;
	const char *comment;
	int         is_return;
	const char *event, *detail;    /* the history row's mark, or NULL */
};

/*
 * The one status change: `from` -> `to`, version + 1, updated_at = `at`,
 * last_reason = the comment when `is_return`, and the history row, in one
 * transaction (or the caller's).  `version` NULL takes any version
 * (hromadactl demo, tests); otherwise it must still be the stored one.
 * HR_E_CONFLICT when the application has moved on.
 */
static int
app_change_status(struct hr_db *db, int64_t id, const int64_t *version,
    int from, int to, const struct app_move *m, struct hr_error *err)
{
	const char *comment = m->comment;
	int64_t at = m->at;
	int is_return = m->is_return;
	const char *f = hr_status_name(from), *t = hr_status_name(to);
	struct db_deadline_start clock;
	int own, rc;

	if (f == NULL || t == NULL)
		return hr_error_set(err, HR_E_INVALID, "unknown application "
		    "status");
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	/* In a batch the summaries move at its end (batch_summaries.h). */
	rc = db_batch_summaries_join(db, err);
	/* The row's copy of the clock changes in the same write (db/
	 * deadlines.h): emptied leaving every stage (answered), the new
	 * clock's dates entering another -- one write of the row and of its
	 * indexes, not two. */
	if (rc == 0)
		rc = db_deadline_plan(db, id, from, to, at, &clock, err);
	if (rc == 0 && clock.stage != HR_STAGE_NONE)
		rc = db_run(db, APP_STATUS_SET ", " DB_DEADLINE_SET
		    APP_STATUS_WHERE, "change an application's status", err,
		    "tidtddddidit", t, at, is_return != 0, comment,
		    (int)clock.k.start, clock.k.days, (int)clock.k.due,
		    (int)clock.k.warn, id, version == NULL,
		    version ? *version : 0, f);
	else if (rc == 0)
		rc = db_run(db, hr_status_stage(to) == HR_STAGE_NONE ?
		    APP_STATUS_SET ", " DB_DEADLINE_CLEAR APP_STATUS_WHERE :
		    APP_STATUS_SET APP_STATUS_WHERE,
		    "change an application's status", err, "tidtidit", t, at,
		    is_return != 0, comment, id, version == NULL,
		    version ? *version : 0, f);
	if (rc == 0 && sqlite3_changes(db->sql) == 0)
		rc = version == NULL ? hr_errorf(err, HR_E_CONFLICT,
		    "application.status_moved", "application {id} is not in "
		    "status {status} any more (or does not exist)",
		    HR_INT("id", id), HR_STR("status", f)) : hr_errorf(err,
		    HR_E_CONFLICT, "application.changed_meanwhile",
		    "application {id} was changed meanwhile; reload",
		    HR_INT("id", id));
	if (rc == 0)
		rc = app_history(db, id, at, m->user_id, f, t, comment, m->event,
		    m->detail, err);
	/* a return stops the upper stage's clock, starts the lower one's */
	if (rc == 0)
		rc = db_deadline_moved(db, id, from, to, &clock, err);
	return db_tx_leave(db, own, rc, err);
}

int
db_application_set_status(struct hr_db *db, int64_t id, int from, int to,
    int64_t user_id, const char *comment, int64_t at, struct hr_error *err)
{
	struct app_move m = { user_id, at ? at : db_now(), comment, 0, NULL,
	    NULL };

	return app_change_status(db, id, NULL, from, to, &m, err);
}

/* ---- reading and editing ---------------------------------------------- */

void
db_app_free(struct db_app *a)
{
	char **strs[] = { &a->reg_no, &a->service, &a->service_name,
	    &a->system, &a->front_office, &a->hromada, &a->pay_method,
	    &a->iban, &a->post_office, &a->phone, &a->notes, &a->last_reason };

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
}

/* Text columns 12.. of the query below, in struct order. */
static int
app_strings(sqlite3_stmt *st, struct db_app *a, struct hr_error *err)
{
	char **strs[] = { &a->reg_no, &a->service, &a->service_name,
	    &a->system, &a->front_office, &a->hromada, &a->pay_method,
	    &a->iban, &a->post_office, &a->phone, &a->notes, &a->last_reason };

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (db_col_dup(st, 12 + (int)i, strs[i], err) < 0)
			return -1;
	return 0;
}

static void
app_numbers(sqlite3_stmt *st, struct db_app *a)
{
	const char *status = (const char *)sqlite3_column_text(st, 10);

	a->id = sqlite3_column_int64(st, 0);
	a->version = sqlite3_column_int64(st, 1);
	a->created_at = sqlite3_column_int64(st, 2);
	a->updated_at = sqlite3_column_int64(st, 3);
	a->created_by = sqlite3_column_int64(st, 4);
	a->front_office_id = sqlite3_column_int64(st, 5);
	a->hromada_id = sqlite3_column_int64(st, 6);
	a->spszn_id = sqlite3_column_int64(st, 7);
	a->oblast_id = sqlite3_column_int64(st, 8);
	a->applicant_id = sqlite3_column_int64(st, 9);
	a->status = status ? hr_status_from_name(status) : -1;
	a->package_full = sqlite3_column_int(st, 11);
}

int
db_app_get(struct hr_db *db, int64_t id, struct db_app *out,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT a.id, a.version, "
	    "a.created_at, a.updated_at, a.created_by, a.front_office_id, "
	    "a.hromada_id, a.spszn_id, a.oblast_id, a.applicant_id, a.status, "
	    "a.package_full, a.reg_no, a.service_code, s.name, s.system, "
	    "f.name, h.name, a.pay_method, a.iban, a.post_office, a.phone, "
	    "a.notes, a.last_reason FROM applications a JOIN services s ON "
	    "s.code = a.service_code JOIN territories f ON f.id = "
	    "a.front_office_id JOIN territories h ON h.id = a.hromada_id "
	    "WHERE a.id = ?", err);
	int rc;

	memset(out, 0, sizeof *out);
	if (st == NULL || db_bindf(db, st, "read an application", err, "i",
	    id) < 0)
		return -1;
	rc = db_step_row(db, st, "read an application", err);
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "application.not_found",
		    "application not found");
	if (rc < 0)
		return -1;
	app_numbers(st, out);
	rc = app_strings(st, out, err);
	(void)sqlite3_reset(st);
	if (rc < 0)
		db_app_free(out);
	return rc;
}

/*
 * What db_first (rc, st) found, as an integer and a text: columns 0 and 1
 * into *num and text[cap] (a NULL text as `null_text`), or 0 and "" when
 * there was no row.  0, or -1 when the query failed.
 */
static int
first_int_text(int rc, sqlite3_stmt *st, int64_t *num, char *text, size_t cap,
    const char *null_text)
{
	const char *t;

	*num = 0;
	if (cap > 0)
		text[0] = '\0';
	if (rc != 1)
		return rc < 0 ? -1 : 0;
	t = db_text(st, 1);
	*num = sqlite3_column_int64(st, 0);
	snprintf(text, cap, "%s", t != NULL ? t : null_text);
	(void)sqlite3_reset(st);
	return 0;
}

int
db_app_last_change(struct hr_db *db, int64_t id, char *who, size_t cap,
    int64_t *at, struct hr_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = db_first(db, &st, "SELECT h.at, u.full_name FROM "
	    "application_history h JOIN users u ON u.id = h.user_id WHERE "
	    "h.application_id = ? ORDER BY h.id DESC LIMIT 1",
	    "read the last change", err, "i", id);

	return first_int_text(rc, st, at, who, cap, "");
}

static int
app_set_fields(struct hr_db *db, int64_t id, const struct db_app_fields *f,
    struct hr_error *err)
{
	return db_run(db, "UPDATE applications SET service_code = ?, "
	    "applicant_id = ?, pay_method = ?, iban = ?, post_office = ?, "
	    "phone = ?, notes = ? WHERE id = ?", "save an application", err,
	    "tittttti", f->service_code, f->applicant_id, f->pay_method, f->iban,
	    f->post_office, f->phone, f->notes, id);
}

/* The version the caller saw is still current?  HR_E_CONFLICT if not. */
static int
app_bump(struct hr_db *db, int64_t id, int64_t version, int64_t at,
    const char **status, struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_run(db, "UPDATE applications SET version = version + 1, "
	    "updated_at = ? WHERE id = ? AND version = ?",
	    "change an application", err, "iii", at, id, version) < 0)
		return -1;
	if (sqlite3_changes(db->sql) == 0)
		return hr_errorf(err, HR_E_CONFLICT,
		    "application.changed_meanwhile",
		    "application {id} was changed meanwhile; reload",
		    HR_INT("id", id));
	rc = db_first(db, &st, "SELECT status FROM applications WHERE id = ?",
	    "read a status", err, "i", id);
	if (rc == 0)
		return hr_error_set(err, HR_E_INTERNAL, "application %lld has "
		    "no status", (long long)id);
	if (rc < 0)
		return -1;
	*status = hr_status_name(hr_status_from_name(db_text(st, 0)));
	(void)sqlite3_reset(st);
	return 0;
}

/* A change that keeps the status, in one transaction: the version the
 * caller saw bumped, the fields set (when f is given), one history row
 * (with `comment`). */
static int
app_change(struct hr_db *db, int64_t id, int64_t version,
    const struct db_app_fields *f, int64_t user_id, const char *comment,
    struct hr_error *err)
{
	const char *status = NULL;
	int64_t at = db_now();
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = app_bump(db, id, version, at, &status, err);
	/* the service its held rows count under may change */
	if (rc == 0 && f != NULL &&
	    (rc = db_batch_summaries_touch(db, id, err)) == 0)
		rc = app_set_fields(db, id, f, err);
	if (rc == 0)
		rc = app_history(db, id, at, user_id, status, status, comment,
		    NULL, NULL, err);
	return db_tx_leave(db, own, rc, err);
}

int
db_app_update(struct hr_db *db, int64_t id, int64_t version,
    const struct db_app_fields *f, int64_t user_id, struct hr_error *err)
{
	return app_change(db, id, version, f, user_id, NULL, err);
}

int
db_app_event(struct hr_db *db, int64_t id, int64_t version, int64_t user_id,
    const char *comment, struct hr_error *err)
{
	return app_change(db, id, version, NULL, user_id, comment, err);
}

int
db_app_transition(struct hr_db *db, int64_t id, int64_t version, int from,
    int to, int64_t user_id, const char *comment, int is_return,
    struct hr_error *err)
{
	return db_app_transition_marked(db, id, version, from, to, user_id,
	    comment, is_return, NULL, NULL, err);
}

int
db_app_transition_marked(struct hr_db *db, int64_t id, int64_t version,
    int from, int to, int64_t user_id, const char *comment, int is_return,
    const char *event, const char *detail, struct hr_error *err)
{
	struct app_move m = { user_id, db_now(), comment, is_return, event,
	    detail };

	return app_change_status(db, id, &version, from, to, &m, err);
}

int
db_app_find_open(struct hr_db *db, int64_t applicant_id, const char *service,
    int64_t except_id, int64_t *found, char *reg_no, size_t cap,
    struct hr_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = db_first(db, &st, "SELECT id, reg_no FROM applications "
	    "WHERE applicant_id = ? AND service_code = ? AND status != "
	    "'answered' AND id != ? ORDER BY id LIMIT 1",
	    "look for an open application", err, "iti", applicant_id, service,
	    except_id);

	return first_int_text(rc, st, found, reg_no, cap, "(draft)");
}

int
db_app_open_ids(struct hr_db *db, int64_t applicant_id, int64_t *ids,
    size_t max, size_t *n, struct hr_error *err)
{
	static const char what[] = "list a person's open applications";
	sqlite3_stmt *st = db_query(db, "SELECT id FROM applications WHERE "
	    "applicant_id = ? AND status != 'answered' ORDER BY id DESC", what,
	    err, "i", applicant_id);
	int rc = 0;

	*n = 0;
	if (st == NULL)
		return -1;
	while (*n < max && (rc = db_step_row(db, st, what, err)) == 1)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	(void)sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int
db_app_history_each(struct hr_db *db, int64_t id, db_app_history_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "SELECT h.id, h.at, h.user_id, u.name, "
	    "u.full_name, h.from_status, h.to_status, h.comment, h.event, "
	    "h.event_detail FROM "
	    "application_history h JOIN users u ON u.id = h.user_id WHERE "
	    "h.application_id = ? ORDER BY h.id", "read the history", err,
	    "i", id);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the history", err)) == 1) {
		struct db_app_history h = {
			sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			sqlite3_column_int64(st, 2), db_text(st, 3),
			db_text(st, 4), db_text(st, 5), db_text(st, 6),
			db_text(st, 7), db_text(st, 8), db_text(st, 9),
		};

		if (fn(ud, &h) != 0)
			return db_stopped(st, "the history", err);
	}
	return rc;
}

int
db_app_note_changes(struct hr_db *db, int64_t id, const struct db_change *c,
    size_t n, struct hr_error *err)
{
	int64_t hist;

	if (n == 0)
		return 0;
	if (db_int(db, "SELECT max(id) FROM application_history WHERE "
	    "application_id = ?", "find the history row", &hist, err, "i",
	    id) < 0)
		return -1;
	if (hist == 0)
		return hr_error_set(err, HR_E_INTERNAL, "application %lld has no "
		    "history row to note changes under", (long long)id);
	for (size_t i = 0; i < n; i++)
		if (db_run(db, "INSERT INTO application_changes (history_id, "
		    "ordinal, field, old, new) VALUES (?, ?, ?, ?, ?)",
		    "record a change", err, "idttt", hist, (int)i + 1,
		    c[i].field, c[i].old, c[i].new) < 0)
			return -1;
	return 0;
}

int
db_app_changes_each(struct hr_db *db, int64_t id, db_app_change_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "SELECT c.history_id, c.field, "
	    "c.old, c.new FROM application_history h JOIN application_changes "
	    "c ON c.history_id = h.id WHERE h.application_id = ? ORDER BY "
	    "c.history_id, c.ordinal", "read the changes", err, "i", id);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the changes", err)) == 1) {
		struct db_change c = {
			db_text(st, 1), db_text(st, 2), db_text(st, 3),
		};

		if (fn(ud, sqlite3_column_int64(st, 0), &c) != 0)
			return db_stopped(st, "the changes", err);
	}
	return rc;
}
