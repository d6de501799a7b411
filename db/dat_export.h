/*
 * dat_export.h — one *.DAT export, whole, in the caller's transaction:
 * what hromadad's dat.export and `hromadactl dat export` both run, so the
 * file, its number, the applications' history and the audit records are
 * the same whoever asks.
 *
 * The oldest checked applications of a decision system in one back office
 * (at most `max`) become `exported` with a history row and an audit record
 * each; the file takes the next number of (back office, system), is
 * written (proto/dat.h, which parses its own output) and stored whole so
 * it can be handed out again.  Nothing checked: HR_E_STATE
 * "dat.nothing_to_export" and no number is used.  On any failure the
 * caller rolls its transaction back: nothing is half done.
 */
#ifndef HR_DB_DAT_EXPORT_H
#define HR_DB_DAT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "db/dat.h"
#include "proto/buf.h"

/* Applications per export file: far below HR_DAT_RECORDS_MAX so that a
 * file of large families still fits HR_DAT_FILE_MAX; the rest wait for the
 * next file (the result says how many). */
#define DB_DAT_EXPORT_MAX 500

struct db_dat_export {
	/* what to export (the caller's) */
	int64_t              spszn_id;
	const char          *office;     /* its code in files (db_dat_office_code) */
	const char          *system;     /* checked first: db_dat_system_check */
	enum hr_dat_charset  charset;
	size_t               max;        /* 0: DB_DAT_EXPORT_MAX */
	/* what was made (db_dat_export_free) */
	struct hr_buf        file;
	char                 name[HR_DAT_NAME_MAX];
	uint32_t             number, count;
	size_t               remaining;  /* checked ones left for a later file */
	int64_t              file_id;
};

/*
 * Export in the name of `who` (db/dat.h): every audit record through its
 * hook.  0, or -1 with err (HR_E_INVALID for an unknown system,
 * HR_E_STATE when nothing is checked).
 */
int  db_dat_export_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, struct hr_error *err);
void db_dat_export_free(struct db_dat_export *x);

#endif
