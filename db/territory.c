/*
 * territory.c — the territory tree: lookups, additions and ancestry.
 *
 * The tree is shallow (seven kinds, country to settlement), so ancestry is a
 * walk up parent links with one cached statement, bounded by a depth limit
 * that also stops a corrupted cycle.
 */
#include "db/territory.h"
#include "db/db_priv.h"
#include "proto/ident.h"
#include "proto/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TERR_MAX_DEPTH 16   /* > HR_TERR__COUNT: a longer walk is a cycle */

#define TERR_COLUMNS "id, coalesce(parent_id, 0), kind, name, katottg"

void
db_territory_free(struct db_territory *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->katottg);
	t->name = t->katottg = NULL;
}

/* Fill `out` from a row of TERR_COLUMNS. */
static int
terr_from_row(sqlite3_stmt *st, struct db_territory *out, struct hr_error *err)
{
	const char *kind = (const char *)sqlite3_column_text(st, 2);

	memset(out, 0, sizeof *out);
	out->id = sqlite3_column_int64(st, 0);
	out->parent_id = sqlite3_column_int64(st, 1);
	out->kind = kind ? hr_terr_kind_from_name(kind) : -1;
	if (db_col_dup(st, 3, &out->name, err) < 0 ||
	    db_col_dup(st, 4, &out->katottg, err) < 0) {
		db_territory_free(out);
		return -1;
	}
	return 0;
}

/* Run a query selecting TERR_COLUMNS bound to one text or id; expect one. */
static int
terr_get_one(struct hr_db *db, sqlite3_stmt *st, const char *what,
    struct db_territory *out, struct hr_error *err)
{
	int rc = db_step_row(db, st, what, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "territory.not_found",
		    "{value}: no such territory", HR_STR("value", what));
	rc = terr_from_row(st, out, err);
	if (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
		db_territory_free(out);
		rc = hr_errorf(err, HR_E_DUPLICATE, "territory.ambiguous",
		    "{value}: more than one territory has this name; give its "
		    "id or KATOTTG code", HR_STR("value", what));
	}
	(void)sqlite3_reset(st);
	return rc;
}

int
db_territory_get(struct hr_db *db, int64_t id, struct db_territory *out,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " TERR_COLUMNS
	    " FROM territories WHERE id = ?", err);
	char what[64];

	if (st == NULL)
		return -1;
	snprintf(what, sizeof what, "territory %lld", (long long)id);
	if (db_bindf(db, st, what, err, "i", id) < 0)
		return -1;
	return terr_get_one(db, st, what, out, err);
}

int
db_territory_find(struct hr_db *db, const char *spec,
    struct db_territory *out, struct hr_error *err)
{
	size_t n = strlen(spec);
	sqlite3_stmt *st;
	char what[160];

	snprintf(what, sizeof what, "territory \"%s\"", spec);
	if (n > 0 && n <= 18 && strspn(spec, "0123456789") == n)
		return db_territory_get(db, strtoll(spec, NULL, 10), out, err);
	if (hr_katottg_check(spec, n, NULL) == 0)
		st = db_prepare(db, "SELECT " TERR_COLUMNS " FROM territories "
		    "WHERE katottg = ?", err);
	else
		st = db_prepare(db, "SELECT " TERR_COLUMNS " FROM territories "
		    "WHERE name = ? ORDER BY id LIMIT 2", err);
	if (st == NULL || db_bindf(db, st, what, err, "t", spec) < 0)
		return -1;
	return terr_get_one(db, st, what, out, err);
}

int
db_territory_add(struct hr_db *db, int64_t parent_id, int kind,
    const char *name, const char *katottg, int64_t *id, struct hr_error *err)
{
	const char *kname = hr_terr_kind_name(kind);

	if (kname == NULL)
		return hr_error_set(err, HR_E_INVALID, "territory kind %d is "
		    "unknown", kind);
	if (name == NULL || name[0] == '\0')
		return hr_errorf(err, HR_E_INVALID, "territory.name",
		    "territory name is empty");
	if (katottg != NULL &&
	    hr_katottg_check(katottg, strlen(katottg), err) < 0)
		return -1;
	if ((kind == HR_TERR_COUNTRY) != (parent_id == 0))
		return hr_errorf(err, HR_E_INVALID, "territory.parent",
		    "only the country has no parent territory");
	if (db_run(db, "INSERT INTO territories (parent_id, kind, name, "
	    "katottg) VALUES (nullif(?, 0), ?, ?, ?)", "add a territory", err,
	    "ittt", parent_id, kname, name, katottg) < 0)
		return -1;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(db->sql);
	return 0;
}

/* Parent and kind of one territory: 0, or -1 (HR_E_NOT_FOUND if absent). */
static int
terr_parent(struct hr_db *db, int64_t id, int64_t *parent, int *kind,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT coalesce(parent_id, 0), kind "
	    "FROM territories WHERE id = ?", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "territory", err, "i", id) < 0)
		return -1;
	rc = db_step_row(db, st, "read a territory", err);
	if (rc <= 0)
		return rc < 0 ? -1 : hr_errorf(err, HR_E_NOT_FOUND,
		    "territory.not_found", "territory {id} does not exist",
		    HR_INT("id", id));
	*parent = sqlite3_column_int64(st, 0);
	*kind = hr_terr_kind_from_name((const char *)sqlite3_column_text(st, 1));
	(void)sqlite3_reset(st);
	return 0;
}

int
db_territory_ancestor(struct hr_db *db, int64_t id, int kind,
    int64_t *ancestor, struct hr_error *err)
{
	int64_t cur = id;

	for (int depth = 0; cur != 0 && depth < TERR_MAX_DEPTH; depth++) {
		int64_t parent;
		int k;

		if (terr_parent(db, cur, &parent, &k, err) < 0)
			return -1;
		if (k == kind) {
			*ancestor = cur;
			return 0;
		}
		cur = parent;
	}
	return hr_errorf(err, HR_E_NOT_FOUND, "territory.no_ancestor",
	    "territory {id} has no {kind} above it", HR_INT("id", id),
	    HR_STR("kind", hr_terr_kind_name(kind) ? hr_terr_kind_name(kind) : "?"));
}

int
db_territory_ancestors(struct hr_db *db, int64_t id,
    int64_t ids[HR_TERR__COUNT], struct hr_error *err)
{
	int64_t cur = id;

	for (int k = 0; k < HR_TERR__COUNT; k++)
		ids[k] = 0;
	for (int depth = 0; cur != 0 && depth < TERR_MAX_DEPTH; depth++) {
		int64_t parent;
		int k;

		if (terr_parent(db, cur, &parent, &k, err) < 0)
			return -1;
		if (k >= 0 && k < HR_TERR__COUNT && ids[k] == 0)
			ids[k] = cur;
		cur = parent;
	}
	return 0;
}

int
db_territory_within(struct hr_db *db, int64_t id, int64_t ancestor,
    struct hr_error *err)
{
	int64_t cur = id;

	for (int depth = 0; cur != 0 && depth < TERR_MAX_DEPTH; depth++) {
		int64_t parent;
		int k;

		if (cur == ancestor)
			return 1;
		if (terr_parent(db, cur, &parent, &k, err) < 0)
			return -1;
		cur = parent;
	}
	return 0;
}

/* The next row of a walk over TERR_COLUMNS into *t (the caller frees it):
 * as db_step_row, -1 also when the row cannot be copied. */
static int
terr_next(struct hr_db *db, sqlite3_stmt *st, struct db_territory *t,
    struct hr_error *err)
{
	int rc = db_step_row(db, st, "list territories", err);

	if (rc == 1 && terr_from_row(st, t, err) < 0) {
		(void)sqlite3_reset(st);
		return -1;
	}
	return rc;
}

int
db_territory_children(struct hr_db *db, int64_t parent_id,
    db_territory_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "SELECT " TERR_COLUMNS " FROM "
	    "territories WHERE parent_id IS nullif(?, 0) ORDER BY id",
	    "territories", err, "i", parent_id);
	struct db_territory t;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = terr_next(db, st, &t, err)) == 1) {
		rc = fn(ud, &t);
		db_territory_free(&t);
		if (rc != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? hr_error_set(err, HR_E_INTERNAL,
			    "listing territories stopped") : 0;
		}
	}
	return rc;
}

int
db_territory_upsert(struct hr_db *db, const char *katottg, int64_t parent_id,
    int kind, const char *name, int64_t *id, int *created,
    struct hr_error *err)
{
	struct db_territory t;
	struct hr_error e2;
	int rc;

	*created = 0;
	if (db_territory_find(db, katottg, &t, &e2) < 0) {
		if (e2.code != HR_E_NOT_FOUND)
			return hr_error_set(err, e2.code, "%s", e2.msg);
		*created = 1;
		return db_territory_add(db, parent_id, kind, name, katottg, id,
		    err);
	}
	*id = t.id;
	/* Moving or re-kinding would leave applications' denormalised
	 * territory ids and users' home kinds wrong: refuse, say why. */
	if (t.parent_id != parent_id || t.kind != kind)
		rc = hr_errorf(err, HR_E_INVALID, "territory.moved",
		    "{code} \"{name}\" exists as a {kind} under territory "
		    "{id}; import changes names only, not the kind or the "
		    "parent", HR_STR("code", katottg), HR_STR("name", t.name),
		    HR_STR("kind", hr_terr_kind_name(t.kind) ?
		    hr_terr_kind_name(t.kind) : "?"), HR_INT("id",
		    t.parent_id));
	else
		rc = db_run(db, "UPDATE territories SET name = ? WHERE id = ?",
		    "rename a territory", err, "ti", name, t.id);
	db_territory_free(&t);
	return rc;
}

int
db_territory_subtree(struct hr_db *db, int64_t root,
    db_territory_tree_fn *fn, void *ud, struct hr_error *err)
{
	/* Depth first: a parent before its children, siblings by id. */
	sqlite3_stmt *st = db_prepare(db, "WITH RECURSIVE " DB_SUBTREE("1")
	    "SELECT t.id, coalesce(t.parent_id, 0), t.kind, t.name, t.katottg, "
	    "sub.depth, t.require_terminal FROM subtree sub JOIN territories t "
	    "ON t.id = sub.id ORDER BY sub.path", err);
	struct db_territory t;
	int rc;

	if (st == NULL || db_bindf(db, st, "territories", err, "i", root) < 0)
		return -1;
	while ((rc = terr_next(db, st, &t, err)) == 1) {
		rc = fn(ud, &t, sqlite3_column_int(st, 5),
		    sqlite3_column_int(st, 6));
		db_territory_free(&t);
		if (rc != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? -1 : 0;
		}
	}
	return rc;
}

/*
 * The subtree of `root` walked along territories_parent, not below the
 * front offices and settlements; front offices hang directly under their
 * hromada, whose name comes along.
 */
int
db_territory_front_offices(struct hr_db *db, int64_t root,
    db_front_office_fn *fn, void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_query(db, "WITH RECURSIVE "
	    DB_SUBTREE("s.kind NOT IN ('cnap', 'starosta', 'settlement')")
	    "SELECT t.id, t.parent_id, t.kind, t.name, t.katottg, h.name "
	    "FROM subtree sub JOIN territories t ON t.id = sub.id "
	    "JOIN territories h ON h.id = t.parent_id WHERE t.kind IN ('cnap', "
	    "'starosta') ORDER BY h.name, t.kind, t.name", "list front offices",
	    err, "i", root);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step_row(db, st, "list front offices", err)) == 1) {
		struct db_territory t = {
			.id = sqlite3_column_int64(st, 0),
			.parent_id = sqlite3_column_int64(st, 1),
			.kind = hr_terr_kind_from_name(
			    (const char *)sqlite3_column_text(st, 2)),
			.name = (char *)sqlite3_column_text(st, 3),
			.katottg = (char *)sqlite3_column_text(st, 4),
		};
		int r = fn(ud, &t, (const char *)sqlite3_column_text(st, 5));

		if (r != 0) {
			(void)sqlite3_reset(st);
			return r < 0 ? hr_error_set(err, HR_E_INTERNAL, "listing "
			    "front offices stopped") : 0;
		}
	}
	return rc;
}
