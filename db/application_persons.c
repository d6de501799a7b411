/*
 * application_persons.c — the persons an application carries (application_persons.h).
 *
 * A save sets the rows whole, as the other parts of a form are replaced
 * (application_parts.c): a form has the applicant and at most twenty
 * family members, and the primary key (application_id, ordinal) makes the
 * rows one short index range.  A row already as the form has it is not
 * written again (app_person_put).
 */
#include "db/application_persons.h"
#include "db/db_priv.h"
#include "proto/ident.h"

#include <stdlib.h>
#include <string.h>

/* A row's columns after its key and person, and the same from an
 * upsert's excluded row. */
#define APP_PERSON_COLS "relation, base_version, " DB_PERSON_FIELDS
#define APP_PERSON_NEW "excluded.relation, excluded.base_version, " \
	"excluded.rnokpp, excluded.rnokpp_refused, excluded.surname, " \
	"excluded.name, excluded.patronymic, excluded.birth_date, " \
	"excluded.sex, excluded.unzr, excluded.doc_type, " \
	"excluded.doc_number, excluded.reg_address, excluded.act_address, " \
	"excluded.phone"

/*
 * Row `ordinal` of application `app_id` as r says.  A row that is so
 * already -- a form saved again unchanged, or the applicant's copy that
 * 014's trigger made when the application was inserted -- is not written
 * again; one of the same person is updated in place (its person index
 * untouched).  Another person's row is replaced (deleted, inserted: 015's
 * trigger files the new person under the application's oblast).
 */
static int
app_person_put(struct hr_db *db, int64_t app_id,
    const struct db_app_person *r, int ordinal, const char *iso,
    struct hr_error *err)
{
	static const char what[] = "copy a person onto the application";
	const struct db_person *p = &r->v.p;
	int64_t there = 0;
	int rc;

	rc = db_run(db, "INSERT INTO application_persons (application_id, "
	    "ordinal, person_id, " APP_PERSON_COLS ") VALUES (?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
	    "(application_id, ordinal) "
	    "DO UPDATE SET (" APP_PERSON_COLS ") = (" APP_PERSON_NEW ") WHERE "
	    "person_id = excluded.person_id AND (" APP_PERSON_COLS ") IS NOT "
	    "(" APP_PERSON_NEW ")", what, err, "idititdttttttttttt",
	    app_id, ordinal, r->v.id, ordinal == 0 ? NULL : r->relation,
	    r->base_version, p->rnokpp, p->rnokpp_refused != 0, p->surname,
	    p->name, p->patronymic ? p->patronymic : "", iso,
	    p->sex == HR_SEX_MALE ? "M" : "F", p->unzr, p->doc_type,
	    p->doc_number, p->reg_address, p->act_address, p->phone);
	if (rc < 0 || sqlite3_changes(db->sql) > 0)
		return rc;
	/* Nothing written: the row is so already, or is another person's. */
	if (db_int(db, "SELECT person_id FROM application_persons WHERE "
	    "application_id = ? AND ordinal = ?", what, &there, err, "id",
	    app_id, ordinal) < 0)
		return -1;
	if (there == r->v.id)
		return 0;
	if (db_run(db, "DELETE FROM application_persons WHERE application_id "
	    "= ? AND ordinal = ?", what, err, "id", app_id, ordinal) < 0)
		return -1;
	return app_person_put(db, app_id, r, ordinal, iso, err);
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
	    "= ? AND ordinal >= ?", "replace the application's persons", err,
	    "id", app_id, (int)n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		free(search);
		search = NULL;
		if (i > 0 && !db_relation_valid(rows[i].relation))
			return hr_error_set(err, HR_E_INVALID, "family relation "
			    "\"%s\" is unknown", rows[i].relation ?
			    rows[i].relation : "");
		if (db_person_prepare(&rows[i].v.p, iso, &search, err) < 0 ||
		    app_person_put(db, app_id, &rows[i], (int)i, iso,
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
