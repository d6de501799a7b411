/*
 * reference.h — reference data an administrator maintains: services and
 * document types (DOMAIN.md "Reference data").
 *
 * Loaded from two CSV files with a header line, UTF-8, comma-separated,
 * fields optionally in double quotes ("" for a quote):
 *   documents.csv: code,name_uk
 *   services.csv:  code,name_uk,system,required_documents (codes joined
 *                  by ';')[,short_uk[,days_front,days_otg,days_spszn]]
 * The deadlines are working days per stage (db/deadlines.h); a file
 * without them keeps the stored ones (defaults 1, 2, 10 for a new service).
 * Loading upserts by code and replaces each service's document list, so
 * running it again with edited files updates the data in place.
 */
#ifndef HR_DB_REFERENCE_H
#define HR_DB_REFERENCE_H

#include "db/db.h"

#define DB_REF_DOCUMENTS "documents.csv"
#define DB_REF_SERVICES  "services.csv"

/*
 * Load dir/documents.csv then dir/services.csv in one transaction (or the
 * caller's).  *ndocs and *nservices (may be NULL) get the row counts.
 * Errors name the file and line.
 */
int db_reference_load(struct hr_db *db, const char *dir, int *ndocs,
    int *nservices, struct hr_error *err);

/* ---- reading (reference.get, application.save) ---- */

struct db_service {
	const char *code, *name, *system;   /* live during the callback */
	const char *short_name;             /* "" when the data has none */
	int         days[3];                /* deadlines by enum hr_stage */
};

/* Services by code, document types by code. */
typedef int db_service_fn(void *ud, const struct db_service *s);
int db_reference_services(struct hr_db *db, db_service_fn *fn, void *ud,
    struct hr_error *err);
typedef int db_doctype_fn(void *ud, const char *code, const char *name);
int db_reference_documents(struct hr_db *db, db_doctype_fn *fn, void *ud,
    struct hr_error *err);
/* Documents `service` requires, in the service's order. */
typedef int db_required_fn(void *ud, const char *code);
int db_service_required(struct hr_db *db, const char *service,
    db_required_fn *fn, void *ud, struct hr_error *err);

/* Does a service / document type with this code exist?  1, 0, or -1. */
int db_service_exists(struct hr_db *db, const char *code,
    struct hr_error *err);
int db_doctype_exists(struct hr_db *db, const char *code,
    struct hr_error *err);

#endif
