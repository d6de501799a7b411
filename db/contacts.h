/*
 * contacts.h — how to reach an office: the address, phone, e-mail and
 * hours a receipt prints for the front office and a decision notice for
 * the back office (migration 012).  Set by the administrator with
 * `hromadactl territory contacts`.
 */
#ifndef HR_DB_CONTACTS_H
#define HR_DB_CONTACTS_H

#include <stdint.h>

#include "db/db.h"

struct db_contacts {
	char *address, *phone, *email, *hours;     /* NULL: not known */
};

void db_contacts_free(struct db_contacts *c);

/* The contacts of territory `id` (HR_E_NOT_FOUND when there is none). */
int  db_contacts_get(struct hr_db *db, int64_t id, struct db_contacts *out,
    struct hr_error *err);

/*
 * Change the contacts of territory `id`: a NULL field stays as it is, ""
 * clears it.  HR_E_NOT_FOUND when there is no such territory.
 */
int  db_contacts_set(struct hr_db *db, int64_t id, const struct db_contacts *c,
    struct hr_error *err);

#endif
