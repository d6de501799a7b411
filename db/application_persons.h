/*
 * application_persons.h — an application's own copy of its applicant and family.
 *
 * An application carries its persons as they were when it was last saved
 * in an editable status (migration 014): what the back office checks and
 * exports, and what the front office prints, is this copy — a later change
 * of the person in the central base of recipients (persons.h) never
 * rewrites it.  Ordinal 0 is the applicant, k >= 1 family member k (the
 * `member` of an income row).  Each copy remembers the base's version it
 * was saved against, so that a draft whose person changed in the base can
 * be offered the new data.
 *
 * A new application gets its applicant's copy from the base by a trigger
 * (whoever inserts it); the server then writes the copy the form carried
 * with db_app_persons_set, inside the caller's transaction.
 */
#ifndef HR_DB_APP_PERSONS_H
#define HR_DB_APP_PERSONS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/persons.h"

struct db_app_person {
	int                   ordinal;       /* 0 applicant, k family member k */
	const char           *relation;      /* NULL for the applicant */
	int64_t               base_version;  /* persons.version saved against */
	struct db_person_view v;             /* v.id: the person in the base;
	                                        v.version unused (0) */
};

/*
 * Replace the persons of application `app_id` with rows[0..n): rows[0] is
 * the applicant (ordinal 0, no relation), rows[k] family member k.  Every
 * row is checked as db_person_add checks a person; birth dates are stored
 * as ISO text.  The journal's folded applicant name follows rows[0].
 */
int db_app_persons_set(struct hr_db *db, int64_t app_id,
    const struct db_app_person *rows, size_t n, struct hr_error *err);

/* The persons of `app_id` in ordinal order; the strings live only during
 * the call.  A non-zero return from fn stops the walk (HR_E_INTERNAL). */
typedef int db_app_person_fn(void *ud, const struct db_app_person *p);
int db_app_persons_each(struct hr_db *db, int64_t app_id,
    db_app_person_fn *fn, void *ud, struct hr_error *err);

#endif
