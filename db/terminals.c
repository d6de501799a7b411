/*
 * terminals.c — registered terminals (see terminals.h).
 *
 * Terminals are few (one per clerk PC) and read once per login, so every
 * query here is a plain indexed lookup; the requirement walks up the
 * territory tree with a recursive query bounded by the tree's depth.
 *
 * Alike on purpose: term_from_row reads a row into its struct column by
 * column, as every row reader in db/ does (db/attachments.c's
 * upload_read): each is the map of its own table's columns.
 */
#include "db/terminals.h"
#include "db/db_priv.h"

#include <stdlib.h>
#include <string.h>

#define TERM_COLUMNS "m.id, m.name, m.territory_id, t.name, m.public, " \
	"m.created_at, coalesce(m.revoked_at, 0)"
#define TERM_FROM " FROM terminals m JOIN territories t ON t.id = m.territory_id"

void
db_terminal_free(struct db_terminal *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->territory_name);
	memset(t, 0, sizeof *t);
}

static int
term_from_row(sqlite3_stmt *st, struct db_terminal *t, struct hr_error *err)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->territory_id = sqlite3_column_int64(st, 2);
	t->created_at = sqlite3_column_int64(st, 5);
	t->revoked_at = sqlite3_column_int64(st, 6);
	if (sqlite3_column_bytes(st, 4) == HR_PUBKEY_LEN)
		memcpy(t->pk, sqlite3_column_blob(st, 4), HR_PUBKEY_LEN);
	if (db_col_dup(st, 1, &t->name, err) < 0 ||
	    db_col_dup(st, 3, &t->territory_name, err) < 0) {
		db_terminal_free(t);
		return -1;
	}
	return 0;
}

int
db_terminal_add(struct hr_db *db, const char *name, int64_t territory_id,
    const uint8_t pk[HR_PUBKEY_LEN], int64_t now, int64_t *id,
    struct hr_error *err)
{
	if (db_run(db, "INSERT INTO terminals (name, territory_id, public, "
	    "created_at) VALUES (?, ?, ?, ?)", "add a terminal", err, "tibi",
	    name, territory_id, pk, (size_t)HR_PUBKEY_LEN, now) < 0) {
		if (err != NULL && err->code == HR_E_DUPLICATE)
			hr_errorf(err, HR_E_DUPLICATE, "terminal.exists",
			    "terminal \"{name}\" exists already (names of "
			    "revoked terminals are not reused)", HR_STR("name",
			    name));
		return -1;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

int
db_terminal_by_name(struct hr_db *db, const char *name,
    struct db_terminal *out, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " TERM_COLUMNS TERM_FROM
	    " WHERE m.name = ?", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "terminal", err, "t", name) < 0)
		return -1;
	rc = db_step_row(db, st, "read a terminal", err);
	if (rc <= 0)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "terminal.not_found", "terminal \"{name}\" is not "
		    "registered", HR_STR("name", name));
	rc = term_from_row(st, out, err);
	(void)sqlite3_reset(st);
	return rc;
}

int
db_terminal_revoke(struct hr_db *db, const char *name, int64_t now,
    struct hr_error *err)
{
	struct db_terminal t;
	int revoked;

	if (db_terminal_by_name(db, name, &t, err) < 0)
		return -1;
	revoked = t.revoked_at != 0;
	db_terminal_free(&t);
	if (revoked)
		return hr_errorf(err, HR_E_STATE, "terminal.revoked",
		    "terminal \"{name}\" is revoked already", HR_STR("name",
		    name));
	return db_run(db, "UPDATE terminals SET revoked_at = ? WHERE name = ?",
	    "revoke a terminal", err, "it", now, name);
}

int
db_terminal_each(struct hr_db *db, db_terminal_fn *fn, void *ud,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " TERM_COLUMNS TERM_FROM
	    " ORDER BY m.name", err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "list terminals", err)) == 1) {
		struct db_terminal t;

		if (term_from_row(st, &t, err) < 0) {
			(void)sqlite3_reset(st);
			return -1;
		}
		rc = fn(ud, &t);
		db_terminal_free(&t);
		if (rc != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc;
}

int
db_territory_require_terminal(struct hr_db *db, int64_t territory_id, int on,
    struct hr_error *err)
{
	if (db_run(db, "UPDATE territories SET require_terminal = ? WHERE "
	    "id = ?", "set require_terminal", err, "di", on != 0,
	    territory_id) < 0)
		return -1;
	if (sqlite3_changes(db->sql) == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "territory {id} does not exist", HR_INT("id",
		    territory_id));
	return 0;
}

int
db_terminal_required(struct hr_db *db, int64_t territory_id, int64_t *where,
    struct hr_error *err)
{
	/*
	 * Up the tree; the depth bound stops a corrupted cycle.  Each step
	 * and each test is one lookup by id, said as a scalar subquery: as a
	 * join, SQLite first built a Bloom filter of the whole territories
	 * table (its row estimate for the CTE is large) -- at national size
	 * 7,629 rows, ~10 M instructions on the loop for every login and
	 * resume.
	 */
	sqlite3_stmt *st = db_prepare(db, "WITH RECURSIVE up(id, depth) AS ("
	    "SELECT ?, 0 UNION ALL SELECT (SELECT parent_id FROM territories "
	    "WHERE id = up.id), up.depth + 1 FROM up WHERE up.id IS NOT NULL "
	    "AND up.depth < 16) "
	    "SELECT id FROM up WHERE (SELECT require_terminal FROM territories "
	    "WHERE id = up.id) ORDER BY depth LIMIT 1", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "terminal requirement", err, "i",
	    territory_id) < 0)
		return -1;
	rc = db_step_row(db, st, "read the terminal requirement", err);
	if (rc == 1) {
		if (where != NULL)
			*where = sqlite3_column_int64(st, 0);
		(void)sqlite3_reset(st);
	}
	return rc;
}
