/*
 * reference.c — load services and document types from CSV files.
 *
 * The files are read with the CSV reader of db/csv.c (one record per line,
 * no newlines inside quotes, a bounded line length); a field count other
 * than the header's is an error naming the line.  services.csv has four
 * columns, five with short_uk (the short name the journal shows), or
 * eight with the deadlines of the three stages in working days
 * (days_front, days_otg, days_spszn; db/deadlines.h).  A file without the
 * deadlines keeps those stored, and a new service gets the defaults.
 */
#include "db/reference.h"
#include "db/csv.h"
#include "db/db_priv.h"
#include "db/deadlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Next non-empty record of exactly want_fields fields (or, for a header,
 * of want_fields..most): 1, 0 at the end, -1 on error. */
static int
ref_next_of(struct db_csv *rf, int want_fields, int most,
    struct hr_error *err)
{
	int rc;

	while ((rc = db_csv_read(rf, err)) == 1) {
		if (rf->line[0] == '\0')
			continue;
		if (db_csv_split(rf, err) < 0)
			return -1;
		if (rf->nfields < want_fields || rf->nfields > most)
			return (hr_errorf(err, HR_E_INVALID, "csv.field_count",
			    "{count} fields, expected {expected}",
			    HR_INT("count", rf->nfields), HR_INT("expected",
			    want_fields)), hr_error_prefix(err, "{file}:{line}",
			    HR_STR("file", rf->path), HR_INT("line",
			    rf->lineno)));
		return 1;
	}
	return rc;
}

static int
ref_next(struct db_csv *rf, int want_fields, struct hr_error *err)
{
	return ref_next_of(rf, want_fields, want_fields, err);
}

/* Open dir/name and skip its header of fields..most columns (the count in
 * rf->nfields).  On failure rf needs no closing. */
static int
ref_open(struct db_csv *rf, const char *dir, const char *name, int fields,
    int most, struct hr_error *err)
{
	size_t n = strlen(dir) + 1 + strlen(name) + 1;
	char *path = malloc(n);
	int rc;

	memset(rf, 0, sizeof *rf);
	if (path == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	snprintf(path, n, "%s/%s", dir, name);
	rc = db_csv_open(rf, path, DB_CSV_MAX_FIELDS, err);
	free(path);
	if (rc < 0)
		return -1;
	if (ref_next_of(rf, fields, most, err) != 1) {
		if (err != NULL && err->code == HR_OK)
			hr_errorf(err, HR_E_INVALID, "file.empty", "{file} is "
			    "empty", HR_STR("file", rf->path));
		db_csv_close(rf);
		return -1;
	}
	return 0;
}

static int
ref_check_code(struct db_csv *rf, const char *code, struct hr_error *err)
{
	size_t n = strlen(code);

	if (n == 0 || n > 64 || strspn(code,
	    "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return (hr_errorf(err, HR_E_INVALID, "reference.code",
		    "code \"{value}\" must be lower-case Latin letters, digits "
		    "and '_'", HR_STR("value", code)), hr_error_prefix(err,
		    "{file}:{line}", HR_STR("file", rf->path), HR_INT("line",
		    rf->lineno)));
	return 0;
}

static int
ref_load_documents(struct hr_db *db, const char *dir, int *count,
    struct hr_error *err)
{
	struct db_csv rf;
	int rc;

	*count = 0;
	if (ref_open(&rf, dir, DB_REF_DOCUMENTS, 2, 2, err) < 0)
		return -1;
	while ((rc = ref_next(&rf, 2, err)) == 1) {
		if (ref_check_code(&rf, rf.field[0], err) < 0 ||
		    db_run(db, "INSERT INTO document_types (code, name) "
		    "VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE SET name = ?2",
		    rf.path, err, "tt", rf.field[0], rf.field[1]) < 0) {
			rc = -1;
			break;
		}
		(*count)++;
	}
	db_csv_close(&rf);
	return rc;
}

/* The ';'-separated document list of one service, in order. */
/* A document of a service that cannot be linked: not in documents.csv
 * (the foreign key), or a failure of the database. */
static int
ref_doc_error(const struct db_csv *rf, const char *doc, const char *code,
    const struct hr_error *e2, struct hr_error *err)
{
	if (e2->code == HR_E_INVALID)
		hr_errorf(err, HR_E_INVALID, "reference.document",
		    "document \"{value}\" of service {service}: not in {file}",
		    HR_STR("value", doc), HR_STR("service", code),
		    HR_STR("file", DB_REF_DOCUMENTS));
	else
		*err = *e2;
	return hr_error_prefix(err, "{file}:{line}", HR_STR("file", rf->path),
	    HR_INT("line", rf->lineno));
}

static int
ref_service_docs(struct hr_db *db, struct db_csv *rf, const char *code,
    char *list, struct hr_error *err)
{
	int ordinal = 0;
	char *save = NULL;

	if (db_run(db, "DELETE FROM service_documents WHERE service_code = ?",
	    rf->path, err, "t", code) < 0)
		return -1;
	for (char *d = strtok_r(list, ";", &save); d != NULL;
	    d = strtok_r(NULL, ";", &save)) {
		struct hr_error e2;

		/* A document code missing from documents.csv fails the
		 * foreign key; say which line and code. */
		if (db_run(db, "INSERT INTO service_documents (service_code, "
		    "doc_code, ordinal) VALUES (?, ?, ?)", rf->path, &e2, "ttd",
		    code, d, ++ordinal) < 0)
			return ref_doc_error(rf, d, code, &e2, err);
	}
	return 0;
}

/* The decision systems an application can go to (DOMAIN.md). */
static int
ref_check_system(struct db_csv *rf, const char *system,
    struct hr_error *err)
{
	static const char *const systems[] = { "asopd", "subsidy", "edarp" };

	for (size_t i = 0; i < sizeof systems / sizeof systems[0]; i++)
		if (strcmp(system, systems[i]) == 0)
			return 0;
	return (hr_errorf(err, HR_E_INVALID, "reference.system", "decision "
	    "system \"{value}\" is not asopd, subsidy or edarp", HR_STR("value",
	    system)), hr_error_prefix(err, "{file}:{line}", HR_STR("file",
	    rf->path), HR_INT("line", rf->lineno)));
}

/* The deadlines of a service, columns 5..7: 1 to DB_DAYS_MAX working
 * days each, none left empty. */
static int
ref_service_days(struct db_csv *rf, int days[3], struct hr_error *err)
{
	static const char *const stages[3] = { "front", "otg", "spszn" };

	for (int i = 0; i < 3; i++) {
		const char *v = rf->field[5 + i];
		char *end;
		long n = strtol(v, &end, 10);

		if (*v == '\0')
			return (hr_errorf(err, HR_E_INVALID,
			    "reference.no_deadline", "service {service} has no "
			    "deadline for stage {stage}: give 1 to {max} working "
			    "days", HR_STR("service", rf->field[0]),
			    HR_STR("stage", stages[i]), HR_INT("max",
			    DB_DAYS_MAX)), hr_error_prefix(err,
			    "{file}:{line}", HR_STR("file", rf->path),
			    HR_INT("line", rf->lineno)));
		if (*end != '\0' || n < 1 || n > DB_DAYS_MAX)
			return (hr_errorf(err, HR_E_INVALID,
			    "reference.deadline", "deadline \"{value}\" of "
			    "service {service}, stage {stage}: give 1 to {max} "
			    "working days", HR_STR("value", v),
			    HR_STR("service", rf->field[0]), HR_STR("stage",
			    stages[i]), HR_INT("max", DB_DAYS_MAX)),
			    hr_error_prefix(err, "{file}:{line}",
			    HR_STR("file", rf->path), HR_INT("line",
			    rf->lineno)));
		days[i] = (int)n;
	}
	return 0;
}

static int
ref_store_days(struct hr_db *db, struct db_csv *rf, const int days[3],
    struct hr_error *err)
{
	return db_run(db, "UPDATE services SET days_front = ?, days_otg = ?, "
	    "days_spszn = ? WHERE code = ?", rf->path, err, "dddt", days[0],
	    days[1], days[2], rf->field[0]);
}

static int
ref_load_services(struct hr_db *db, const char *dir, int *count,
    struct hr_error *err)
{
	struct db_csv rf;
	int rc, nf, days[3];

	*count = 0;
	/* four columns, five with the short names, eight with deadlines */
	if (ref_open(&rf, dir, DB_REF_SERVICES, 4, 8, err) < 0)
		return -1;
	nf = rf.nfields;
	if (nf == 6 || nf == 7) {
		db_csv_close(&rf);
		return hr_errorf(err, HR_E_INVALID, "reference.deadline_columns",
		    "{file}: the deadlines are three columns, days_front, "
		    "days_otg and days_spszn", HR_STR("file", DB_REF_SERVICES));
	}
	while ((rc = ref_next(&rf, nf, err)) == 1) {
		if (nf == 8 && ref_service_days(&rf, days, err) < 0) {
			rc = -1;
			break;
		}
		if (ref_check_code(&rf, rf.field[0], err) < 0 ||
		    ref_check_system(&rf, rf.field[2], err) < 0 ||
		    db_run(db, "INSERT INTO services (code, name, system, "
		    "ordinal, short_name) VALUES (?1, ?2, ?3, ?4, ?5) ON "
		    "CONFLICT (code) DO UPDATE SET name = ?2, system = ?3, "
		    "ordinal = ?4, short_name = ?5", rf.path, err, "tttdt",
		    rf.field[0], rf.field[1], rf.field[2], rf.lineno,
		    nf >= 5 ? rf.field[4] : "") < 0 ||
		    (nf == 8 && ref_store_days(db, &rf, days, err) < 0) ||
		    ref_service_docs(db, &rf, rf.field[0], rf.field[3], err) < 0) {
			rc = -1;
			break;
		}
		(*count)++;
	}
	db_csv_close(&rf);
	return rc;
}

int
db_reference_load(struct hr_db *db, const char *dir, int *ndocs,
    int *nservices, struct hr_error *err)
{
	int d = 0, s = 0, own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = ref_load_documents(db, dir, &d, err);
	if (rc == 0)
		rc = ref_load_services(db, dir, &s, err);
	rc = db_tx_leave(db, own, rc, err);
	if (rc == 0 && ndocs != NULL)
		*ndocs = d;
	if (rc == 0 && nservices != NULL)
		*nservices = s;
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

#define COL(st, i) ((const char *)sqlite3_column_text((st), (i)))

/* After a callback asked to stop: reset and say so. */
static int
ref_stopped(sqlite3_stmt *st, const char *what, struct hr_error *err)
{
	(void)sqlite3_reset(st);
	return hr_error_set(err, HR_E_INTERNAL, "%s stopped", what);
}

int
db_reference_services(struct hr_db *db, db_service_fn *fn, void *ud,
    struct hr_error *err)
{
	static const char what[] = "read services";
	/* In the order of services.csv (migration 018): the reference data
	 * groups them by decision system, the most asked for first, and that
	 * is the order clerks pick from. */
	sqlite3_stmt *st = db_prepare(db, "SELECT code, name, system, "
	    "short_name, days_front, days_otg, days_spszn FROM services "
	    "ORDER BY ordinal, code", err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, what, err)) == 1) {
		struct db_service s = { COL(st, 0), COL(st, 1), COL(st, 2),
		    COL(st, 3), { sqlite3_column_int(st, 4),
		    sqlite3_column_int(st, 5), sqlite3_column_int(st, 6) } };

		if (fn(ud, &s) != 0)
			return ref_stopped(st, what, err);
	}
	return rc;
}

int
db_reference_documents(struct hr_db *db, db_doctype_fn *fn, void *ud,
    struct hr_error *err)
{
	static const char what[] = "read document types";
	sqlite3_stmt *st = db_prepare(db, "SELECT code, name FROM "
	    "document_types ORDER BY code", err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, what, err)) == 1)
		if (fn(ud, COL(st, 0), COL(st, 1)) != 0)
			return ref_stopped(st, what, err);
	return rc;
}

int
db_service_required(struct hr_db *db, const char *service, db_required_fn *fn,
    void *ud, struct hr_error *err)
{
	static const char what[] = "read required documents";
	sqlite3_stmt *st = db_prepare(db, "SELECT doc_code FROM "
	    "service_documents WHERE service_code = ? ORDER BY ordinal", err);
	int rc;

	if (st == NULL || db_bindf(db, st, what, err, "t", service) < 0)
		return -1;
	while ((rc = db_step_row(db, st, what, err)) == 1)
		if (fn(ud, COL(st, 0)) != 0)
			return ref_stopped(st, what, err);
	return rc;
}

static int
ref_exists(struct hr_db *db, const char *sql, const char *code,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, sql, err);
	int rc;

	if (st == NULL || db_bindf(db, st, "look up a code", err, "t", code) < 0)
		return -1;
	rc = db_step_row(db, st, "look up a code", err);
	if (rc == 1)
		(void)sqlite3_reset(st);
	return rc;
}

int
db_service_exists(struct hr_db *db, const char *code, struct hr_error *err)
{
	return ref_exists(db, "SELECT 1 FROM services WHERE code = ?", code, err);
}

int
db_doctype_exists(struct hr_db *db, const char *code, struct hr_error *err)
{
	return ref_exists(db, "SELECT 1 FROM document_types WHERE code = ?",
	    code, err);
}
