/*
 * dat.h — the store side of the *.DAT exchange (proto/dat.h): exchange
 * files kept whole and numbered, the decisions imported from answers, and
 * the checked applications of a back office gathered into export records.
 *
 * Numbering: an export takes the next number of (back office, system) in
 * the caller's transaction; rows are never deleted, so no number is used
 * twice.  The UNIQUE key (back office, system, direction, number) is the
 * last guard against importing one answer twice; callers look first
 * (db_dat_file_find) to say who imported it and when.
 */
#ifndef HR_DB_DAT_H
#define HR_DB_DAT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "proto/dat.h"

/*
 * Who runs an exchange (db/dat_export.h, db/dat_import.h): hromadad in the
 * name of a session's user, hromadactl in the name of a back-office user
 * it was told to act as.  Every audit record goes through `audit`, so each
 * caller writes who, from where and what into the one hash chain
 * (db/audit.h) its own way; `answered` (may be NULL) is told of each
 * application an answer decided, inside the transaction (hromadad queues
 * the applicant's notice there).
 */
typedef int db_dat_audit_fn(void *ud, const char *action, const char *object,
    const char *detail, struct hr_error *err);
typedef int db_dat_answered_fn(void *ud, int64_t app_id, struct hr_error *err);
struct db_dat_actor {
	int64_t             user_id;   /* history rows, the files' user */
	int                 role;      /* whose view of the workflow decides
	                                  which applications the back office
	                                  sees (proto/roles.h; HR_ROLE_SPSZN) */
	db_dat_audit_fn    *audit;
	db_dat_answered_fn *answered;
	void               *ud;
};

/*
 * The page cache an exchange (db_dat_export_run, db_dat_import_run) gives
 * its connection while it runs, and gives back after (db_cache_raise): a
 * file of 500 applications touches some thousands of pages -- each
 * application's row, persons, income, history and a dozen index entries --
 * and through SQLite's default 2 MiB cache the upper pages of every index
 * were read again for each application.  A connection whose cache is
 * already as large keeps it, pages and all (hromadad's writer:
 * DB_WRITER_CACHE_KIB, db.h; hromadactl dat sizes its own once for all
 * its files), so that consecutive files find the pages read before.
 */
#define DB_DAT_CACHE_KIB (256 * 1024)

/* One stored exchange file (strings live during a callback only). */
struct db_dat_file {
	int64_t     id, spszn_id, number, created_at, stored_at, user_id;
	int64_t     record_count, size;
	const char *direction;     /* "export" or "answer" */
	const char *system, *name, *crc32;
	const char *user;          /* the user's full name (reads only) */
};

/* Next export number of (spszn_id, system): 1 for the first. */
int db_dat_next_number(struct hr_db *db, int64_t spszn_id, const char *system,
    uint32_t *number, struct hr_error *err);

/* Store a file: f's fields but id, user and size; data[0..len). */
int db_dat_file_add(struct hr_db *db, const struct db_dat_file *f,
    const void *data, size_t len, int64_t *id, struct hr_error *err);

typedef int db_dat_file_fn(void *ud, const struct db_dat_file *f);

/* The file (spszn, system, direction, number) to fn, if stored: *found. */
int db_dat_file_find(struct hr_db *db, int64_t spszn_id, const char *system,
    const char *direction, int64_t number, db_dat_file_fn *fn, void *ud,
    int *found, struct hr_error *err);

/* The back office's files, newest first, at most `limit`. */
int db_dat_file_each(struct hr_db *db, int64_t spszn_id, int limit,
    db_dat_file_fn *fn, void *ud, struct hr_error *err);

/* File `id` of back office `spszn_id` with its bytes (*data malloc'd,
 * caller frees); HR_E_NOT_FOUND otherwise. */
int db_dat_file_get(struct hr_db *db, int64_t id, int64_t spszn_id,
    db_dat_file_fn *fn, void *ud, void **data, size_t *len,
    struct hr_error *err);

/* ---- export records -------------------------------------------------- */

/* Checked applications of a system in a back office, as export records.
 * Owns every string and array; db_dat_batch_free. */
struct db_dat_batch {
	struct hr_dat_app *apps;
	int64_t           *versions;   /* apps[i]'s version, for the transition */
	size_t             napps;
	size_t             remaining;  /* checked ones left for a later file */
	char             **owned;
	size_t             nowned, capowned;
};

/* At most `max` oldest checked applications of `system` in `spszn_id`. */
int  db_dat_batch_collect(struct hr_db *db, int64_t spszn_id,
    const char *system, size_t max, struct db_dat_batch *out,
    struct hr_error *err);
/* The export records of exactly ids[0..n) (checked by the caller). */
int  db_dat_batch_collect_ids(struct hr_db *db, const int64_t *ids, size_t n,
    struct db_dat_batch *out, struct hr_error *err);
void db_dat_batch_free(struct db_dat_batch *b);

/* ---- decisions ------------------------------------------------------- */

struct db_decision {
	int64_t     application_id, file_id, imported_at;
	int         decision;          /* enum hr_decision */
	int         has_amount;
	int64_t     amount;            /* kopecks */
	const char *period_from, *period_to, *reason;   /* NULL or "" = none */
	/* reads only: when and how the applicant was told (db/notify.h),
	 * 0 / NULL while not */
	int64_t     notified_at;
	const char *notified_how;
};

int db_decision_add(struct hr_db *db, const struct db_decision *d,
    struct hr_error *err);

/* The decision of an application into fn (strings live during the call);
 * *found 0 when it has none. */
typedef int db_decision_fn(void *ud, const struct db_decision *d);
int db_decision_get(struct hr_db *db, int64_t application_id,
    db_decision_fn *fn, void *ud, int *found, struct hr_error *err);

/* Is `system` the decision system of some service?  *known 1 or 0. */
int db_dat_system_known(struct hr_db *db, const char *system, int *known,
    struct hr_error *err);

/* Is `system` the decision system of some service?  HR_E_INVALID
 * "dat.unknown_system" otherwise (the caller puts the field in front). */
int db_dat_system_check(struct hr_db *db, const char *system,
    struct hr_error *err);

/* The CRC of a file as its END line gives it (it covers everything before
 * that line), as 8 hex digits into out[0..cap). */
void db_dat_file_crc(const uint8_t *p, size_t n, char *out, size_t cap);

/* Local "DD.MM.YYYY HH:MM" of a stored time, for messages. */
void db_dat_when(int64_t at, char *out, size_t cap);

/* The back office's КАТОТТГ, or its id in decimal when it has none. */
int db_dat_office_code(struct hr_db *db, int64_t spszn_id, char *out,
    size_t cap, struct hr_error *err);

#endif
