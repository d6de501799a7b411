/*
 * application_parts.h — the parts of an application form kept in rows of
 * their own: the income declaration and the documents attached (the
 * applicant and family: application_persons.h).  A save replaces each part
 * whole (the client always sends the complete form), inside the caller's
 * transaction.
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

/* Replace the documents of `app_id` (duplicates in codes are ignored). */
int db_app_documents_set(struct hr_db *db, int64_t app_id,
    const char *const *codes, size_t n, struct hr_error *err);

typedef int db_code_fn(void *ud, const char *code);
/* Attached documents, by code. */
int db_app_documents_each(struct hr_db *db, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err);
/* Required by the application's service but not attached, in the
 * service's order. */
int db_app_missing_each(struct hr_db *db, int64_t app_id, db_code_fn *fn,
    void *ud, struct hr_error *err);

/* Does codes[0..n) hold every document `service` requires?  *full 1/0. */
int db_package_full(struct hr_db *db, const char *service,
    const char *const *codes, size_t n, int *full, struct hr_error *err);

#endif
