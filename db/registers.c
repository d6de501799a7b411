/*
 * registers.c — transfer registers (registers.h).
 *
 * Candidates are found from the history: a range of the partial index
 * application_history_sent (moves to at_otg / at_spszn by time, migration
 * 012), each move joined to its application, kept when it is the
 * application's latest such move, the application lies in the scope, is
 * still at that stage or further, and is on no register of the stage.
 */
#include "db/registers.h"
#include "db/db_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/print.h"

/* By stage: its name, the status a move to it reaches, the statuses an
 * application may be in to be listed (still there or further on). */
static const struct {
	const char *name, *to_status, *eligible;
} stages[DB_REG__COUNT] = {
	[DB_REG_OTG]   = { "otg", "at_otg", "a.status NOT IN ('draft', "
	    "'returned_front')" },
	[DB_REG_SPSZN] = { "spszn", "at_spszn", "a.status IN ('at_spszn', "
	    "'checked', 'exported', 'answered')" },
};

/* The application column a scope matches (DB_SCOPE_ALL: none). */
static const char *const scope_cols[] = {
	[DB_SCOPE_FRONT_OFFICE] = "a.front_office_id",
	[DB_SCOPE_HROMADA]      = "a.hromada_id",
	[DB_SCOPE_SPSZN]        = "a.spszn_id",
	[DB_SCOPE_OBLAST]       = "a.oblast_id",
	[DB_SCOPE_ALL]          = NULL,
};

const char *
db_reg_stage_name(int stage)
{
	return stage >= 0 && stage < DB_REG__COUNT ? stages[stage].name : "?";
}

int
db_reg_stage_from_name(const char *s)
{
	for (int i = 0; i < DB_REG__COUNT; i++)
		if (s != NULL && strcmp(s, stages[i].name) == 0)
			return i;
	return -1;
}

static int
check_args(enum db_scope_col col, int stage, struct hr_error *err)
{
	if ((unsigned)col >= DB_SCOPE_ALL || scope_cols[col] == NULL)
		return hr_errorf(err, HR_E_FORBIDDEN, "register.no_scope",
		    "transfer registers need a territory scope");
	if (stage < 0 || stage >= DB_REG__COUNT)
		return hr_error_set(err, HR_E_INTERNAL, "unknown register stage "
		    "%d", stage);
	return 0;
}

/* What a row shows, computed the same for candidates and registers. */
#define APP_COLUMNS \
	"a.id, a.reg_no, a.created_at, " \
	"p.surname || ' ' || p.name || CASE WHEN p.patronymic <> '' THEN " \
	"' ' || p.patronymic ELSE '' END, " \
	"coalesce(p.rnokpp, p.doc_number, ''), s.name, " \
	"(SELECT count(*) FROM application_documents d WHERE " \
	"d.application_id = a.id), " \
	"(SELECT count(*) FROM service_documents sd WHERE sd.service_code = " \
	"a.service_code AND NOT EXISTS (SELECT 1 FROM application_documents d " \
	"WHERE d.application_id = a.id AND d.doc_code = sd.doc_code)) "
/* The applicant as the application carries it (application_persons.h). */
#define APP_JOINS \
	"JOIN application_persons p ON p.application_id = a.id AND " \
	"p.ordinal = 0 " \
	"JOIN services s ON s.code = a.service_code "

int
db_register_candidates(struct hr_db *db, enum db_scope_col col,
    int64_t scope_id, int stage, int64_t from, int64_t to, int limit,
    db_reg_candidate_fn *fn, void *ud, int *more, struct hr_error *err)
{
	char sql[2048];
	sqlite3_stmt *st;
	int rc, n = 0;

	*more = 0;
	if (check_args(col, stage, err) < 0)
		return -1;
	if (to <= 0)
		to = INT64_MAX;
	snprintf(sql, sizeof sql, "SELECT " APP_COLUMNS ", h.at "
	    "FROM application_history h "
	    "JOIN applications a ON a.id = h.application_id " APP_JOINS
	    "WHERE h.to_status = ?1 AND h.at >= ?2 AND h.at < ?3 "
	    "AND %s = ?4 AND %s "
	    "AND h.id = (SELECT max(h2.id) FROM application_history h2 WHERE "
	    "h2.application_id = a.id AND h2.to_status = ?1) "
	    "AND NOT EXISTS (SELECT 1 FROM transfer_register_rows r WHERE "
	    "r.application_id = a.id AND r.stage = ?5) "
	    "ORDER BY h.at, a.id LIMIT ?6", scope_cols[col],
	    stages[stage].eligible);
	st = db_prepare(db, sql, err);
	if (st == NULL || db_bindf(db, st, "list register candidates", err,
	    "tiiitd", stages[stage].to_status, from, to, scope_id,
	    stages[stage].name, limit + 1) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "list register candidates", err)) == 1) {
		struct db_reg_candidate c;
		if (n == limit) {
			*more = 1;
			(void)sqlite3_reset(st);
			break;
		}
		c.id = sqlite3_column_int64(st, 0);
		c.reg_no = (const char *)sqlite3_column_text(st, 1);
		c.created_at = sqlite3_column_int64(st, 2);
		c.applicant = (const char *)sqlite3_column_text(st, 3);
		c.service_name = (const char *)sqlite3_column_text(st, 5);
		c.documents = sqlite3_column_int(st, 6);
		c.missing = sqlite3_column_int(st, 7);
		c.sent_at = sqlite3_column_int64(st, 8);
		n++;
		if ((rc = fn(ud, &c)) != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc < 0 ? -1 : 0;
}

/* ---- making one ---- */

struct reg_row {
	int64_t id;
	char   *reg_no, *reg_date, *applicant, *ident, *service_name;
	int     documents, missing;
};

static void
rows_free(struct reg_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].reg_no);
		free(rows[i].reg_date);
		free(rows[i].applicant);
		free(rows[i].ident);
		free(rows[i].service_name);
	}
	free(rows);
}

/* Application `id` as a row of the register, if it may go on it. */
static int
row_read(struct hr_db *db, enum db_scope_col col, int64_t scope_id, int stage,
    int64_t id, struct reg_row *out, struct hr_error *err)
{
	char sql[2048], day[11];
	sqlite3_stmt *st;
	int rc, eligible;
	int64_t sent;
	const char *reg_no, *on;

	snprintf(sql, sizeof sql, "SELECT " APP_COLUMNS ", "
	    "%s = ?2, %s, "
	    "(SELECT max(h.at) FROM application_history h WHERE "
	    "h.application_id = a.id AND h.to_status = ?3), "
	    "(SELECT t.number || '/' || t.year FROM transfer_register_rows r "
	    "JOIN transfer_registers t ON t.id = r.register_id WHERE "
	    "r.application_id = a.id AND r.stage = ?4) "
	    "FROM applications a " APP_JOINS "WHERE a.id = ?1",
	    scope_cols[col], stages[stage].eligible);
	st = db_prepare(db, sql, err);
	if (st == NULL || db_bindf(db, st, "read a register row", err, "iitt",
	    id, scope_id, stages[stage].to_status, stages[stage].name) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read a register row", err)) < 0)
		return -1;
	if (rc == 0 || !sqlite3_column_int(st, 8)) {
		if (rc == 1)
			(void)sqlite3_reset(st);
		return hr_errorf(err, HR_E_NOT_FOUND, "application.not_found",
		    "application not found");
	}
	reg_no = (const char *)sqlite3_column_text(st, 1);
	if (reg_no == NULL)
		reg_no = "";
	eligible = sqlite3_column_int(st, 9);
	sent = sqlite3_column_type(st, 10) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, 10);
	on = (const char *)sqlite3_column_text(st, 11);
	if (on != NULL) {
		rc = hr_errorf(err, HR_E_STATE, "register.already_on",
		    "application {reg_no} is on register № {register} "
		    "already: an application goes on one register per stage",
		    HR_STR("reg_no", reg_no), HR_STR("register", on));
	} else if ((!eligible || sent == 0) && stage == DB_REG_OTG) {
		rc = hr_errorf(err, HR_E_STATE, "register.not_sent_otg",
		    "application {reg_no} has not been sent to the hromada: "
		    "only sent applications go on a register",
		    HR_STR("reg_no", reg_no));
	} else if (!eligible || sent == 0) {
		rc = hr_errorf(err, HR_E_STATE, "register.not_sent_spszn",
		    "application {reg_no} has not been sent to the back office: "
		    "only sent applications go on a register",
		    HR_STR("reg_no", reg_no));
	} else {
		db_local_day(sqlite3_column_int64(st, 2), day);
		out->id = id;
		out->reg_no = strdup(reg_no ? reg_no : "");
		out->reg_date = strdup(day);
		out->applicant = strdup((const char *)sqlite3_column_text(st, 3));
		out->ident = strdup((const char *)sqlite3_column_text(st, 4));
		out->service_name = strdup((const char *)sqlite3_column_text(st,
		    5));
		out->documents = sqlite3_column_int(st, 6);
		out->missing = sqlite3_column_int(st, 7);
		rc = out->reg_no && out->reg_date && out->applicant &&
		    out->ident && out->service_name ? 0 :
		    hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	(void)sqlite3_reset(st);
	return rc;
}

static int
next_number(struct hr_db *db, int64_t office_id, int year, int *number,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(max(number), 0) + 1 "
	    "FROM transfer_registers WHERE office_id = ? AND year = ?", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "number a register", err, "id",
	    office_id, year) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "number a register", err)) != 1)
		return rc < 0 ? -1 : hr_error_set(err, HR_E_INTERNAL,
		    "no register number");
	*number = sqlite3_column_int(st, 0);
	(void)sqlite3_reset(st);
	return 0;
}

static int
register_write(struct hr_db *db, const struct db_register_new *r,
    const struct reg_row *rows, size_t n, struct db_register_made *out,
    struct hr_error *err)
{
	int64_t at = r->at ? r->at : db_now();
	char day[11];
	size_t docs = 0;

	db_local_day(at, day);
	out->year = atoi(day);
	for (size_t i = 0; i < n; i++)
		docs += (size_t)rows[i].documents;
	if (next_number(db, r->office_id, out->year, &out->number, err) < 0 ||
	    db_run(db, "INSERT INTO transfer_registers (office_id, hromada_id, "
	    "spszn_id, stage, year, number, made_at, made_on, made_by, "
	    "made_by_name, from_name, to_name, period_from, period_to, "
	    "row_count, document_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)", "store a register", err, "iiitddititttttii",
	    r->office_id, r->hromada_id, r->spszn_id, stages[r->stage].name,
	    out->year, out->number, at, day, r->made_by, r->made_by_name,
	    r->from_name, r->to_name, r->period_from, r->period_to,
	    (int64_t)n, (int64_t)docs) < 0)
		return -1;
	out->id = sqlite3_last_insert_rowid(db->sql);
	out->rows = n;
	out->documents = docs;
	for (size_t i = 0; i < n; i++)
		if (db_run(db, "INSERT INTO transfer_register_rows (register_id, "
		    "ord, application_id, stage, reg_no, reg_date, applicant, "
		    "ident, service_name, documents, missing) VALUES (?, ?, ?, ?, "
		    "?, ?, ?, ?, ?, ?, ?)", "store a register row", err,
		    "idittttttdd", out->id, (int)(i + 1), rows[i].id,
		    stages[r->stage].name, rows[i].reg_no, rows[i].reg_date,
		    rows[i].applicant, rows[i].ident, rows[i].service_name,
		    rows[i].documents, rows[i].missing) < 0)
			return -1;
	return 0;
}

int
db_register_create(struct hr_db *db, const struct db_register_new *r,
    enum db_scope_col col, int64_t scope_id, const int64_t *ids, size_t n,
    struct db_register_made *out, struct hr_error *err)
{
	struct reg_row *rows;
	int own, rc = 0;

	memset(out, 0, sizeof *out);
	if (check_args(col, r->stage, err) < 0)
		return -1;
	if (n == 0 || n > DB_REGISTER_MAX)
		return hr_errorf(err, HR_E_INVALID, "register.size",
		    "a register lists 1 to {max} applications, not {n}",
		    HR_INT("max", DB_REGISTER_MAX), HR_INT("n", n));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (ids[i] == ids[j])
				return hr_errorf(err, HR_E_INVALID,
				    "register.twice", "application {id} is "
				    "listed twice", HR_INT("id", ids[i]));
	if ((rows = calloc(n, sizeof *rows)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (db_tx_enter(db, &own, err) < 0) {
		free(rows);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = row_read(db, col, scope_id, r->stage, ids[i], &rows[i], err);
	if (rc == 0)
		rc = register_write(db, r, rows, n, out, err);
	rows_free(rows, n);
	return db_tx_leave(db, own, rc, err);
}

/* ---- listing ---- */

/* Registers a scope sees (registers.h db_register_list). */
static const char *const visible_cond[] = {
	[DB_SCOPE_FRONT_OFFICE] = "office_id = ?",
	[DB_SCOPE_HROMADA]      = "hromada_id = ?",
	[DB_SCOPE_SPSZN]        = "spszn_id = ? AND stage = 'spszn'",
	[DB_SCOPE_OBLAST]       = NULL,
	[DB_SCOPE_ALL]          = NULL,
};

#define INFO_COLUMNS "id, made_at, number, year, stage, row_count, " \
	"document_count, made_on, from_name, to_name, made_by_name"

static int
info_rows(struct hr_db *db, sqlite3_stmt *st, const char *what,
    db_register_fn *fn, void *ud, int limit, int64_t *next,
    struct hr_error *err)
{
	int rc, n = 0;

	if (next != NULL)
		*next = 0;
	while ((rc = db_step_row(db, st, what, err)) == 1) {
		struct db_register_info r;
		r.id = sqlite3_column_int64(st, 0);
		if (limit > 0 && n == limit) {
			*next = r.id + 1;
			(void)sqlite3_reset(st);
			return 0;
		}
		r.made_at = sqlite3_column_int64(st, 1);
		r.number = sqlite3_column_int(st, 2);
		r.year = sqlite3_column_int(st, 3);
		r.stage = db_reg_stage_from_name((const char *)
		    sqlite3_column_text(st, 4));
		r.rows = (size_t)sqlite3_column_int64(st, 5);
		r.documents = (size_t)sqlite3_column_int64(st, 6);
		r.made_on = (const char *)sqlite3_column_text(st, 7);
		r.from_name = (const char *)sqlite3_column_text(st, 8);
		r.to_name = (const char *)sqlite3_column_text(st, 9);
		r.made_by_name = (const char *)sqlite3_column_text(st, 10);
		n++;
		if ((rc = fn(ud, &r)) != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc < 0 ? -1 : 0;
}

int
db_register_list(struct hr_db *db, enum db_scope_col col, int64_t scope_id,
    int64_t before, int limit, db_register_fn *fn, void *ud, int64_t *next,
    struct hr_error *err)
{
	char sql[512];
	sqlite3_stmt *st;

	if ((unsigned)col >= DB_SCOPE_ALL || visible_cond[col] == NULL)
		return hr_errorf(err, HR_E_FORBIDDEN, "register.no_scope",
		    "transfer registers need a territory scope");
	snprintf(sql, sizeof sql, "SELECT " INFO_COLUMNS " FROM "
	    "transfer_registers WHERE %s AND id < ? ORDER BY id DESC LIMIT ?",
	    visible_cond[col]);
	st = db_prepare(db, sql, err);
	if (st == NULL || db_bindf(db, st, "list registers", err, "iid",
	    scope_id, before > 0 ? before : INT64_MAX, limit + 1) < 0)
		return -1;
	return info_rows(db, st, "list registers", fn, ud, limit, next, err);
}

int
db_register_visible(struct hr_db *db, int64_t id, enum db_scope_col col,
    int64_t scope_id, int *yes, struct hr_error *err)
{
	char sql[256];
	sqlite3_stmt *st;
	int rc;

	*yes = 0;
	if ((unsigned)col >= DB_SCOPE_ALL || visible_cond[col] == NULL)
		return 0;
	snprintf(sql, sizeof sql, "SELECT 1 FROM transfer_registers WHERE "
	    "%s AND id = ?", visible_cond[col]);
	st = db_prepare(db, sql, err);
	if (st == NULL || db_bindf(db, st, "look a register up", err, "ii",
	    scope_id, id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "look a register up", err)) < 0)
		return -1;
	if (rc == 1) {
		*yes = 1;
		(void)sqlite3_reset(st);
	}
	return 0;
}

int
db_register_on_day(struct hr_db *db, const char *day, int64_t office_id,
    db_register_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " INFO_COLUMNS " FROM "
	    "transfer_registers WHERE made_on = ? AND (? = 0 OR office_id = ?) "
	    "ORDER BY id", err);

	if (st == NULL || db_bindf(db, st, "list a day's registers", err,
	    "tii", day, office_id, office_id) < 0)
		return -1;
	return info_rows(db, st, "list a day's registers", fn, ud, 0, NULL,
	    err);
}
