/*
 * application_parts.c — income and documents of an application
 * (application_parts.h).
 *
 * Each part is replaced by deleting the application's rows and inserting
 * the new ones: a form has at most a few dozen rows per part, and the
 * primary keys (application_id, ...) make both a short index range.
 */
#include "db/application_parts.h"
#include "db/db_priv.h"

#include <string.h>

#include "proto/app_fields.h"

/* ---- income ----------------------------------------------------------- */

int
db_income_type_valid(const char *type)
{
	return hr_choice_find(hr_income_types, HR_INC__COUNT, type) >= 0;
}

int
db_app_income_set(struct hr_db *db, int64_t app_id, const struct db_income *r,
    size_t n, struct hr_error *err)
{
	if (db_run(db, "DELETE FROM application_income WHERE application_id "
	    "= ?", "replace the income declaration", err, "i", app_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (db_run(db, "INSERT INTO application_income (application_id, "
		    "ordinal, member, type, period_from, period_to, amount) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?)", "add an income row", err,
		    "iddttti", app_id, (int)i + 1,
		    r[i].member, r[i].type, r[i].period_from, r[i].period_to,
		    r[i].amount) < 0)
			return -1;
	return 0;
}

int
db_app_income_each(struct hr_db *db, int64_t app_id, db_income_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "SELECT member, type, period_from, "
	    "period_to, amount FROM application_income WHERE application_id "
	    "= ? ORDER BY ordinal", "read the income", err, "i", app_id);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read the income", err)) == 1) {
		struct db_income r = { sqlite3_column_int(st, 0),
		    db_text(st, 1), db_text(st, 2), db_text(st, 3),
		    sqlite3_column_int64(st, 4) };

		if (fn(ud, &r) != 0)
			return db_stopped(st, "the income", err);
	}
	return rc;
}

/* ---- documents -------------------------------------------------------- */

static int
codes_walk(struct hr_db *db, const char *sql, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, sql, "read documents", err, "i", app_id);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "read documents", err)) == 1)
		if (fn(ud, db_text(st, 0)) != 0)
			return db_stopped(st, "documents", err);
	return rc;
}

int
db_app_documents_each(struct hr_db *db, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err)
{
	return codes_walk(db, "SELECT doc_code FROM application_documents "
	    "WHERE application_id = ? ORDER BY doc_code", app_id, fn, ud, err);
}

int
db_app_missing_each(struct hr_db *db, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err)
{
	return codes_walk(db, "SELECT sd.doc_code FROM applications a JOIN "
	    "service_documents sd ON sd.service_code = a.service_code WHERE "
	    "a.id = ?1 AND NOT EXISTS (SELECT 1 FROM application_documents d "
	    "WHERE d.application_id = ?1 AND d.doc_code = sd.doc_code) "
	    "ORDER BY sd.ordinal", app_id, fn, ud, err);
}
