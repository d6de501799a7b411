/*
 * application_persons.c — the persons an application carries (application_persons.h).
 *
 * A save replaces the rows whole, as the other parts of a form are
 * replaced (application_parts.c): a form has the applicant and at most twenty
 * family members, and the primary key (application_id, ordinal) makes the
 * rows one short index range.
 */
#include "db/application_persons.h"
#include "db/db_priv.h"
#include "proto/ident.h"

#include <stdlib.h>
#include <string.h>

static int
app_person_insert(struct hr_db *db, int64_t app_id,
    const struct db_app_person *r, int ordinal, const char *iso,
    struct hr_error *err)
{
	const struct db_person *p = &r->v.p;

	return db_run(db, "INSERT INTO application_persons (application_id, "
	    "ordinal, person_id, relation, base_version, " DB_PERSON_FIELDS
	    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "copy a person onto the application", err, "idititdttttttttttt",
	    app_id, ordinal, r->v.id, ordinal == 0 ? NULL : r->relation,
	    r->base_version, p->rnokpp, p->rnokpp_refused != 0, p->surname,
	    p->name, p->patronymic ? p->patronymic : "", iso,
	    p->sex == HR_SEX_MALE ? "M" : "F", p->unzr, p->doc_type,
	    p->doc_number, p->reg_address, p->act_address, p->phone);
}

int
db_app_persons_set(struct hr_db *db, int64_t app_id,
    const struct db_app_person *rows, size_t n, struct hr_error *err)
{
	char iso[16], *search = NULL;

	if (n == 0)
		return hr_error_set(err, HR_E_INTERNAL, "an application without "
		    "an applicant");
	if (db_run(db, "DELETE FROM application_persons WHERE application_id "
	    "= ?", "replace the application's persons", err, "i", app_id) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		free(search);
		search = NULL;
		if (i > 0 && !db_relation_valid(rows[i].relation))
			return hr_error_set(err, HR_E_INVALID, "family relation "
			    "\"%s\" is unknown", rows[i].relation ?
			    rows[i].relation : "");
		if (db_person_prepare(&rows[i].v.p, iso, &search, err) < 0 ||
		    app_person_insert(db, app_id, &rows[i], (int)i, iso,
		    err) < 0) {
			free(search);
			return -1;
		}
		if (i > 0)
			continue;
		/* The journal lists and finds the application by this name. */
		if (db_run(db, "UPDATE applications SET applicant_search = ?1 "
		    "WHERE id = ?2 AND applicant_search IS NOT ?1",
		    "name the application's applicant", err, "ti", search,
		    app_id) < 0) {
			free(search);
			return -1;
		}
	}
	free(search);
	return 0;
}

int
db_app_persons_each(struct hr_db *db, int64_t app_id, db_app_person_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT ordinal, relation, "
	    "base_version, person_id, " DB_PERSON_FIELDS " FROM "
	    "application_persons WHERE application_id = ? ORDER BY ordinal",
	    err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read the application's persons",
	    err, "i", app_id) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read the application's persons",
	    err)) == 1) {
		struct db_app_person r;

		memset(&r, 0, sizeof r);
		r.ordinal = sqlite3_column_int(st, 0);
		r.relation = (const char *)sqlite3_column_text(st, 1);
		r.base_version = sqlite3_column_int64(st, 2);
		r.v.id = sqlite3_column_int64(st, 3);
		db_person_from_row(st, 4, &r.v.p);
		if (fn(ud, &r) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading the "
			    "application's persons stopped");
		}
	}
	return rc;
}
