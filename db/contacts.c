/*
 * contacts.c — an office's contacts (contacts.h).
 */
#include "db/contacts.h"
#include "db/db_priv.h"

#include <stdlib.h>
#include <string.h>

void
db_contacts_free(struct db_contacts *c)
{
	free(c->address);
	free(c->phone);
	free(c->email);
	free(c->hours);
	memset(c, 0, sizeof *c);
}

int
db_contacts_get(struct hr_db *db, int64_t id, struct db_contacts *out,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof *out);
	st = db_prepare(db, "SELECT address, phone, email, hours FROM "
	    "territories WHERE id = ?", err);
	if (st == NULL || db_bindf(db, st, "read contacts", err, "i", id) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read contacts", err)) != 1)
		return rc < 0 ? -1 : hr_error_set(err, HR_E_NOT_FOUND,
		    "territory %lld does not exist", (long long)id);
	rc = db_col_dup(st, 0, &out->address, err) < 0 ||
	    db_col_dup(st, 1, &out->phone, err) < 0 ||
	    db_col_dup(st, 2, &out->email, err) < 0 ||
	    db_col_dup(st, 3, &out->hours, err) < 0 ? -1 : 0;
	(void)sqlite3_reset(st);
	if (rc < 0)
		db_contacts_free(out);
	return rc;
}

int
db_contacts_set(struct hr_db *db, int64_t id, const struct db_contacts *c,
    struct hr_error *err)
{
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	/* a NULL parameter keeps the column, "" clears it */
	rc = db_run(db, "UPDATE territories SET "
	    "address = CASE WHEN ?1 IS NULL THEN address ELSE nullif(?1, '') END, "
	    "phone = CASE WHEN ?2 IS NULL THEN phone ELSE nullif(?2, '') END, "
	    "email = CASE WHEN ?3 IS NULL THEN email ELSE nullif(?3, '') END, "
	    "hours = CASE WHEN ?4 IS NULL THEN hours ELSE nullif(?4, '') END "
	    "WHERE id = ?5", "set contacts", err, "tttti", c->address, c->phone,
	    c->email, c->hours, id);
	if (rc == 0 && sqlite3_changes(db->sql) == 0)
		rc = hr_error_set(err, HR_E_NOT_FOUND, "territory %lld does not "
		    "exist", (long long)id);
	return db_tx_leave(db, own, rc, err);
}
