/*
 * db_priv.h — helpers shared by the db/ modules; not part of the contract.
 */
#ifndef HR_DB_PRIV_H
#define HR_DB_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/*
 * The territory ?1 and everything below it (?1 = 0: the whole country), as
 * the common table `subtree(id, kind, depth, path)` of a statement that
 * begins "WITH RECURSIVE " DB_SUBTREE("1").  depth counts from ?1; path,
 * the zero-padded ids from ?1 down, sorts a parent before its children and
 * siblings by id.  The walk goes below a row `s` only while `descend` (an
 * SQL condition on s) holds, and 16 levels at most, which also ends a
 * corrupted cycle.  The one walk down the tree: db/territory.c (the tree,
 * the front offices), db/users.c (users in scope), db/report.c.
 */
#define DB_SUBTREE(descend) \
	"subtree(id, kind, depth, path) AS (" \
	"SELECT id, kind, 0, printf('%012d', id) FROM territories " \
	"WHERE (?1 = 0 AND parent_id IS NULL) OR id = ?1 " \
	"UNION ALL SELECT t.id, t.kind, s.depth + 1, " \
	"s.path || printf('%012d', t.id) " \
	"FROM subtree s JOIN territories t ON t.parent_id = s.id " \
	"WHERE s.depth < 16 AND (" descend ")) "

/*
 * Start a write: BEGIN IMMEDIATE when no transaction is open, else join the
 * caller's one (the server's group commit runs every request inside one
 * transaction and a savepoint).  *own says whether we began it.
 */
int  db_tx_enter(struct hr_db *db, int *own, struct hr_error *err);

/*
 * Finish what db_tx_enter started: with rc == 0 commit (if ours), else roll
 * back (if ours).  Returns rc, or -1 when the commit fails.
 */
int  db_tx_leave(struct hr_db *db, int own, int rc, struct hr_error *err);

/*
 * Bind parameters 1..n from a format: 'i' int64_t, 'd' int, 't' const char *
 * (NULL binds NULL), 'b' const void * + size_t (NULL binds NULL).  Copies
 * the values (SQLITE_TRANSIENT).  0 or -1 with err naming `what`.
 */
int  db_bindf(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct hr_error *err, const char *fmt, ...);

/*
 * One step of a query.  1 row ready, 0 done (statement reset), -1 error
 * (statement reset, err names `what`).
 */
int  db_step_row(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct hr_error *err);

/* A text column as the row holds it (NULL stays NULL), valid until the
 * next step or reset of `st`. */
static inline const char *
db_text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* Copy a text column (NULL stays NULL) into *out.  -1 only when out of
 * memory. */
int  db_col_dup(sqlite3_stmt *st, int col, char **out, struct hr_error *err);

/*
 * Prepare (cached) and bind as db_bindf a statement to read rows from
 * with db_step_row; NULL on an error (err names `what`).  Every walk over
 * rows in db/ has this frame, its columns its own:
 *
 *     if ((st = db_query(...)) == NULL)
 *             return -1;
 *     while ((rc = db_step_row(db, st, what, err)) == 1)
 *             read the row, call back;
 *     return rc;
 */
sqlite3_stmt *db_query(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err, const char *fmt, ...);

/* The first row of a query (prepared, bound as db_bindf, stepped once):
 * 1 with *st on the row (read it, then sqlite3_reset(*st)), 0 no row, -1
 * an error (err names `what`). */
int  db_first(struct hr_db *db, sqlite3_stmt **st, const char *sql,
    const char *what, struct hr_error *err, const char *fmt, ...);

/* A walk over rows whose callback asked to stop: reset `st`, -1 with
 * "reading WHAT stopped". */
int  db_stopped(sqlite3_stmt *st, const char *what, struct hr_error *err);

/* Prepare (cached), bind as db_bindf and step a statement without rows. */
int  db_run(struct hr_db *db, const char *sql, const char *what,
    struct hr_error *err, const char *fmt, ...);

/* Has the database a table or view `name`?  1 or 0 (0 too when it cannot
 * tell): what a read-only copy of an older database lacks. */
int  db_has_table(struct hr_db *db, const char *name);

/* ---- persons (persons.c), shared with application_persons.c ---- */

struct db_person;

/* The columns of a person's fields, the same in persons and in an
 * application's copy (application_persons), in db_person_from_row order. */
#define DB_PERSON_FIELDS "rnokpp, rnokpp_refused, surname, name, " \
	"patronymic, birth_date, sex, unzr, doc_type, doc_number, " \
	"reg_address, act_address, phone"

/* Point p's fields at DB_PERSON_FIELDS read from column `col` on; they
 * live until the statement steps again. */
void db_person_from_row(sqlite3_stmt *st, int col, struct db_person *p);

/* Check p (names, sex, birth date, РНОКПП and УНЗР against them) and
 * work out the birth date as ISO text and the folded "surname name
 * patronymic" (*search, the caller frees). */
int  db_person_prepare(const struct db_person *p, char iso[16], char **search,
    struct hr_error *err);
/* Prepare, bind as db_bindf and read the first column of the first row as
 * an integer into *out (0 when there is no row or it is NULL). */
int  db_int(struct hr_db *db, const char *sql, const char *what, int64_t *out,
    struct hr_error *err, const char *fmt, ...);

#endif
