/*
 * print.h — reading what a printed document shows from the store, into
 * the plain data the forms are built from (paper/data.h).
 *
 * One reader for both sides that print from the database: the server
 * (application.print, register.get: it packs this data for the client,
 * paper/wire.h) and hromadactl print.  So the client and the batch
 * command print the same facts, and a change to how an application is
 * stored is made here once.
 *
 * Dates are the server's calendar days ("YYYY-MM-DD" in local time).
 * Visibility is the caller's business: these read what they are asked.
 */
#ifndef HR_DB_PRINT_H
#define HR_DB_PRINT_H

#include <stdint.h>

#include "db/db.h"
#include "paper/data.h"

/*
 * Application `id` with its family, income, documents (named), decision,
 * the front and back offices with their contacts and who registered it;
 * the user `printed_by` (0: nobody, a blank to sign) and today as the
 * printing.  HR_E_NOT_FOUND when there is no such application.
 * paper_app_free(out) after, whatever the result.
 */
int db_print_app(struct hr_db *db, int64_t id, int64_t printed_by,
    struct paper_app *out, struct hr_error *err);

/* Transfer register `id` as it was made.  paper_register_free(out). */
int db_print_register(struct hr_db *db, int64_t id,
    struct paper_register *out, struct hr_error *err);

/*
 * An application named the way an administrator names it: its id (all
 * digits), or its registration number "NNNNN/YYYY" — within the hromada
 * `hromada_id` when not 0; a number several hromadas use is
 * HR_E_DUPLICATE (give the id or the hromada).  HR_E_NOT_FOUND if none.
 */
int db_print_find_app(struct hr_db *db, const char *spec, int64_t hromada_id,
    int64_t *id, struct hr_error *err);

/* A register by id, or "N/YYYY" of office `office_id` (required then). */
int db_print_find_register(struct hr_db *db, const char *spec,
    int64_t office_id, int64_t *id, struct hr_error *err);

/* "YYYY-MM-DD" of a time, in the server's local time zone. */
void db_local_day(int64_t t, char out[11]);

/* The local midnight starting day `iso` ("YYYY-MM-DD") plus `days`, in
 * seconds; -1 when iso is not a day. */
int  db_day_start(const char *iso, int days, int64_t *out);

#endif
