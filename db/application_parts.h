/*
 * application_parts.h — the parts of an application form kept in rows of
 * their own: the income declaration, which a save replaces whole (the
 * client always sends the complete form) inside the caller's transaction,
 * and the document types the attached scans cover (kept by
 * db/attachments.h's triggers).  The applicant and family:
 * application_persons.h.
 */
#ifndef HR_DB_APPLICATION_PARTS_H
#define HR_DB_APPLICATION_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* ---- income declaration ---- */

struct db_income {
	int         member;        /* 0 applicant, k = family member k */
	const char *type;          /* db_income_type_valid() */
	const char *period_from;   /* "YYYY-MM-DD" */
	const char *period_to;
	int64_t     amount;        /* kopecks, >= 0 */
};

/* salary, pension, benefit, alimony, business, other */
int db_income_type_valid(const char *type);

int db_app_income_set(struct hr_db *db, int64_t app_id,
    const struct db_income *r, size_t n, struct hr_error *err);

typedef int db_income_fn(void *ud, const struct db_income *r);
int db_app_income_each(struct hr_db *db, int64_t app_id, db_income_fn *fn,
    void *ud, struct hr_error *err);

/* ---- documents ---- */

typedef int db_code_fn(void *ud, const char *code);
/* Document types with at least one attached scan, by code. */
int db_app_documents_each(struct hr_db *db, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err);
/* Required by the application's service but not attached, in the
 * service's order. */
int db_app_missing_each(struct hr_db *db, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err);

#endif
