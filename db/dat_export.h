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
 * "dat.nothing_to_export" and no number is used.
 *
 * A chosen set (the journal's marked applications) is judged row by row:
 * each that cannot go (db_dat_refusal) is refused and the others are
 * exported, the first `max` of them into this file and the rest `left`
 * for the next; none left to export refuses the whole, naming why the
 * first could not.  A dry run only judges: how many would go to which
 * system, how many of them are partial packages, which are refused —
 * without a chosen set, the checked ones of the system (all systems when
 * `system` is NULL).  On any failure the
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

/* The most ids one export names (the journal's marked set). */
#define DB_DAT_EXPORT_IDS_MAX 5000

/*
 * An application of a chosen set that is not exported, and why: one the
 * back office does not see (or that does not exist) reads as missing; one
 * not checked, of another system, or changed since the client read it
 * (its version) is named by its number.
 */
enum db_dat_refusal_kind {
	DB_DAT_REFUSE_MISSING = 1,
	DB_DAT_REFUSE_NOT_CHECKED,
	DB_DAT_REFUSE_OTHER_SYSTEM,
	DB_DAT_REFUSE_CHANGED,
	DB_DAT_REFUSE_TWICE,
};
struct db_dat_refusal {
	int64_t id;
	int     kind;                    /* enum db_dat_refusal_kind */
	int     status;                  /* the application's, for NOT_CHECKED */
	char    reg_no[24];
	char    system[HR_DAT_SYSTEM_MAX];
};
/* The refusal as a structured error (for a reply or a message). */
void db_dat_refusal_error(const struct db_dat_refusal *r, const char *system,
    struct hr_error *e);

/* What a chosen set would export, per decision system (dry run). */
struct db_dat_plan {
	char   system[HR_DAT_SYSTEM_MAX];
	size_t count, partial;           /* applications, partial packages */
};
#define DB_DAT_PLAN_MAX 8

struct db_dat_export {
	/* what to export (the caller's) */
	int64_t              spszn_id;
	const char          *office;     /* its code in files (db_dat_office_code) */
	const char          *system;     /* checked first: db_dat_system_check;
	                                    may be NULL for a dry run */
	enum hr_dat_charset  charset;
	size_t               max;        /* 0: DB_DAT_EXPORT_MAX */
	/* a chosen set instead of every checked one (NULL: none); versions
	 * may be NULL, else the version each was read at */
	const int64_t       *ids, *versions;
	size_t               nids;
	int                  dry_run;    /* judge the set, change nothing */
	/* what was made (db_dat_export_free) */
	struct hr_buf        file;
	char                 name[HR_DAT_NAME_MAX];
	uint32_t             number, count;
	size_t               remaining;  /* checked ones left for a later file */
	int64_t              file_id;
	struct db_dat_refusal *refused;  /* of the chosen set */
	size_t               nrefused;
	int64_t             *left;       /* chosen, good, not in this file */
	size_t               nleft;
	struct db_dat_plan   plan[DB_DAT_PLAN_MAX];   /* dry run */
	size_t               nplan;
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
