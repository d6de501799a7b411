/*
 * registers.h — transfer registers (реєстри передавання документів): the
 * lists of applications whose paper files a front office hands to the
 * hromada's social unit (stage "otg"), or the hromada to the back office
 * (stage "spszn"), numbered per office and year, stored as made.
 *
 * Which applications may go on a register of a stage: those in the
 * caller's scope that were sent up to it (a history row moving them to
 * at_otg, resp. at_spszn), are still there or further on, and are not on
 * a register of that stage yet (an application is on at most one register
 * per stage; the store's UNIQUE key is the last guard).  Scope and who may
 * make which stage are the server's to decide and are given here.
 */
#ifndef HR_DB_REGISTERS_H
#define HR_DB_REGISTERS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "db/journal.h"

enum db_reg_stage { DB_REG_OTG, DB_REG_SPSZN, DB_REG__COUNT };

const char *db_reg_stage_name(int stage);          /* "otg", "spszn" */
int         db_reg_stage_from_name(const char *s); /* -1 if unknown */

#define DB_REGISTER_MAX 1000    /* applications on one register */

/* An application that may go on a register (strings live during fn). */
struct db_reg_candidate {
	int64_t     id, sent_at, created_at;
	const char *reg_no, *applicant, *service_name;
	int         documents, missing;
};
typedef int db_reg_candidate_fn(void *ud, const struct db_reg_candidate *c);

/*
 * The candidates of `stage` in the scope (col, scope_id) sent up in
 * [from, to) (seconds), oldest sending first, at most `limit`; *more says
 * whether others follow.
 */
int db_register_candidates(struct hr_db *db, enum db_scope_col col,
    int64_t scope_id, int stage, int64_t from, int64_t to, int limit,
    db_reg_candidate_fn *fn, void *ud, int *more, struct hr_error *err);

struct db_register_new {
	int64_t     office_id;          /* the maker's territory */
	int64_t     hromada_id, spszn_id;
	int         stage;
	int64_t     made_by;            /* user id */
	const char *made_by_name, *from_name, *to_name;
	const char *period_from, *period_to;   /* "YYYY-MM-DD" or NULL */
	int64_t     at;                 /* 0: now */
};

struct db_register_made {
	int64_t id;
	int     number, year;
	size_t  rows, documents;
};

/*
 * Make a register of ids[0..n) in the given order (n 1..DB_REGISTER_MAX):
 * every one must be a candidate of r->stage in the scope (col, scope_id),
 * else HR_E_STATE naming the first that is not and why (not visible ones
 * are HR_E_NOT_FOUND, as everywhere).  Numbered next for (office, year);
 * each row stores what is printed.  In the caller's transaction, or one of
 * its own.
 */
int db_register_create(struct hr_db *db, const struct db_register_new *r,
    enum db_scope_col col, int64_t scope_id, const int64_t *ids, size_t n,
    struct db_register_made *out, struct hr_error *err);

/* A register's head, as listed. */
struct db_register_info {
	int64_t     id, made_at;
	int         number, year, stage;
	size_t      rows, documents;
	const char *made_on, *from_name, *to_name, *made_by_name;
};
typedef int db_register_fn(void *ud, const struct db_register_info *r);

/*
 * Registers the scope sees, newest first: made in the front office (col
 * front office), in the hromada (col hromada), or handed to the back
 * office (col spszn: stage spszn only); ids below `before` (0: all), at
 * most `limit`.  *next: the `before` of the next page, 0 none.
 */
int db_register_list(struct hr_db *db, enum db_scope_col col, int64_t scope_id,
    int64_t before, int limit, db_register_fn *fn, void *ud, int64_t *next,
    struct hr_error *err);

/* Does the scope see register `id` (as db_register_list)?  *yes 1/0. */
int db_register_visible(struct hr_db *db, int64_t id, enum db_scope_col col,
    int64_t scope_id, int *yes, struct hr_error *err);

/* Every register made on `day` ("YYYY-MM-DD"), of office `office_id` (0:
 * all offices), by id: the batch of a day for hromadactl print. */
int db_register_on_day(struct hr_db *db, const char *day, int64_t office_id,
    db_register_fn *fn, void *ud, struct hr_error *err);

#endif
