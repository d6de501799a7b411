/*
 * persons.c — adding persons and family links to the base of recipients.
 */
#include "db/persons.h"
#include "db/db_priv.h"
#include "proto/fold.h"
#include "proto/ident.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
person_check(const struct db_person *p, struct hr_date *birth,
    struct hr_error *err)
{
	if (p->surname == NULL || p->surname[0] == '\0' ||
	    p->name == NULL || p->name[0] == '\0')
		return hr_errorf(err, HR_E_INVALID, "person.names_required",
		    "surname and name are required");
	if (p->sex != HR_SEX_MALE && p->sex != HR_SEX_FEMALE)
		return hr_errorf(err, HR_E_INVALID, "person.sex",
		    "sex must be male or female");
	if (p->birth_date == NULL || hr_date_parse(p->birth_date,
	    strlen(p->birth_date), "birth date", birth, err) < 0)
		return p->birth_date == NULL ? hr_errorf(err, HR_E_INVALID,
		    "person.birth_required", "birth date is required") : -1;
	if (p->rnokpp != NULL && p->rnokpp_refused)
		return hr_errorf(err, HR_E_INVALID, "person.rnokpp_refused",
		    "РНОКПП given although the person refused it");
	if (p->rnokpp != NULL && hr_rnokpp_match(p->rnokpp, strlen(p->rnokpp),
	    birth, (enum hr_sex)p->sex, err) < 0)
		return -1;
	if (p->unzr != NULL && hr_unzr_match(p->unzr, strlen(p->unzr), birth,
	    err) < 0)
		return -1;
	return 0;
}

/* "surname name patronymic", folded; caller frees. */
static char *
db_person_search_name(const struct db_person *p)
{
	const char *pat = p->patronymic ? p->patronymic : "";
	size_t n = strlen(p->surname) + strlen(p->name) + strlen(pat) + 3;
	char *full = malloc(n), *folded;

	if (full == NULL)
		return NULL;
	snprintf(full, n, "%s %s %s", p->surname, p->name, pat);
	folded = hr_fold(full, strlen(full));
	free(full);
	return folded;
}

/* Check p and work out what is stored besides its fields: the birth date
 * as ISO text and the folded search name (*search, the caller frees). */
int
db_person_prepare(const struct db_person *p, char iso[16], char **search,
    struct hr_error *err)
{
	struct hr_date birth;

	*search = NULL;
	if (person_check(p, &birth, err) < 0)
		return -1;
	snprintf(iso, 16, "%04d-%02d-%02d", birth.y, birth.m, birth.d);
	if ((*search = db_person_search_name(p)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	return 0;
}

/* After a UNIQUE violation: name the person who holds the identifier. */
static int
person_duplicate(struct hr_db *db, const struct db_person *p, int64_t self,
    struct hr_error *err)
{
	const char *which = NULL;
	int64_t found = 0;

	if (db_person_find_ident(db, p, self, &found, &which, err) < 0)
		return -1;
	if (found == 0)
		return hr_errorf(err, HR_E_DUPLICATE, "person.ident_taken",
		    "person already in the base (an identifier is taken)");
	return hr_errorf(err, HR_E_DUPLICATE, "person.known",
	    "person already in the base: id {person_id} (same {label})",
	    HR_INT("person_id", found), HR_STR("label", which));
}

/*
 * The oblast an address names ("…, Сумська обл." or "… область"): the
 * first oblast of the territory tree whose name's first word, followed by
 * "обл", is in the folded address; 0 when none is (migration 015 does the
 * same for what was stored before it, case-sensitively).
 */
static int
address_oblast(struct hr_db *db, const char *address, int64_t *oblast,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	char *folded;
	int rc;

	*oblast = 0;
	if (address == NULL || *address == '\0')
		return 0;
	if ((folded = hr_fold(address, strlen(address))) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	st = db_prepare(db, "SELECT id, name FROM territories WHERE kind = "
	    "'oblast' ORDER BY id", err);
	if (st == NULL) {
		free(folded);
		return -1;
	}
	while ((rc = db_step_row(db, st, "read the oblasts", err)) == 1) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		size_t word = name ? strcspn(name, " ") : 0;
		char needle[128], *fw;

		if (word == 0 || word > 100)
			continue;
		snprintf(needle, sizeof needle, "%.*s обл", (int)word, name);
		if ((fw = hr_fold(needle, strlen(needle))) == NULL) {
			(void)sqlite3_reset(st);
			free(folded);
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		}
		if (strstr(folded, fw) != NULL) {
			*oblast = sqlite3_column_int64(st, 0);
			free(fw);
			(void)sqlite3_reset(st);
			break;
		}
		free(fw);
	}
	free(folded);
	return rc < 0 ? -1 : 0;
}

/* The oblasts of p's registration and actual addresses. */
static int
person_oblasts(struct hr_db *db, const struct db_person *p, int64_t *reg,
    int64_t *act, struct hr_error *err)
{
	if (address_oblast(db, p->reg_address, reg, err) < 0 ||
	    address_oblast(db, p->act_address, act, err) < 0)
		return -1;
	return 0;
}

/*
 * Write p as person `id` (0: a new person): the same columns either way,
 * the new one stamped created_at, a correction updated_at and its version
 * counted up.  A known identifier is HR_E_DUPLICATE naming the person who
 * has it.
 */
static int
person_write(struct hr_db *db, int64_t id, const struct db_person *p,
    struct hr_error *err)
{
	char iso[16], *search;
	int64_t reg, act;
	int rc;

	if (person_oblasts(db, p, &reg, &act, err) < 0 ||
	    db_person_prepare(p, iso, &search, err) < 0)
		return -1;
	rc = db_run(db, id == 0 ?
	    "INSERT INTO persons (rnokpp, rnokpp_refused, surname, "
	    "name, patronymic, birth_date, sex, unzr, doc_type, doc_number, "
	    "reg_address, act_address, phone, search_name, created_at, "
	    "reg_oblast_id, act_oblast_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, nullif(?, 0), nullif(?, 0))" :
	    "UPDATE persons SET rnokpp = ?, rnokpp_refused = ?, "
	    "surname = ?, name = ?, patronymic = ?, birth_date = ?, sex = ?, "
	    "unzr = ?, doc_type = ?, doc_number = ?, reg_address = ?, "
	    "act_address = ?, phone = ?, search_name = ?, updated_at = ?, "
	    "reg_oblast_id = nullif(?, 0), act_oblast_id = nullif(?, 0), "
	    "version = version + 1 WHERE id = ?",
	    id == 0 ? "add a person" : "update a person", err,
	    id == 0 ? "tdttttttttttttiii" : "tdttttttttttttiiii",   /* + id */
	    p->rnokpp, p->rnokpp_refused != 0, p->surname, p->name,
	    p->patronymic ? p->patronymic : "", iso,
	    p->sex == HR_SEX_MALE ? "M" : "F", p->unzr, p->doc_type,
	    p->doc_number, p->reg_address, p->act_address, p->phone, search,
	    db_now(), reg, act, id);
	free(search);
	if (rc < 0 && err != NULL && err->code == HR_E_DUPLICATE)
		return person_duplicate(db, p, id, err);
	return rc;
}

int
db_person_add(struct hr_db *db, const struct db_person *p, int64_t *id,
    struct hr_error *err)
{
	int rc = person_write(db, 0, p, err);

	if (rc == 0 && id != NULL)
		*id = sqlite3_last_insert_rowid(db->sql);
	return rc;
}

/* Relations and their inverses (who the member is to the person, and
 * who the person is to the member). */
static const struct {
	const char *rel, *inverse;
} relations[] = {
	{ "spouse",  "spouse" },
	{ "child",   "parent" },
	{ "parent",  "child" },
	{ "sibling", "sibling" },
	{ "other",   "other" },
};

static const char *
relation_inverse(const char *relation)
{
	for (size_t i = 0; i < sizeof relations / sizeof relations[0]; i++)
		if (strcmp(relation, relations[i].rel) == 0)
			return relations[i].inverse;
	return NULL;
}

int
db_relation_valid(const char *relation)
{
	return relation != NULL && relation_inverse(relation) != NULL;
}

/* A family link refused: an unknown relation, or a person linked to
 * themselves. */
static int
family_refused(int known, const char *relation, int64_t person_id,
    int64_t member_id, struct hr_error *err)
{
	if (!known)
		return hr_errorf(err, HR_E_INVALID, "family.relation_unknown",
		    "family relation \"{value}\" is unknown",
		    HR_STR("value", relation));
	if (person_id == member_id)
		return hr_errorf(err, HR_E_INVALID, "family.self",
		    "a person is not their own family member");
	return 0;
}

int
db_family_add(struct hr_db *db, int64_t person_id, int64_t member_id,
    const char *relation, struct hr_error *err)
{
	if (family_refused(db_relation_valid(relation), relation, person_id,
	    member_id, err) < 0)
		return -1;
	return db_run(db, "INSERT INTO family_members (person_id, member_id, "
	    "relation) VALUES (?, ?, ?)", "add a family member", err, "iit",
	    person_id, member_id, relation);
}

int
db_family_link(struct hr_db *db, int64_t person_id, int64_t member_id,
    const char *relation, struct hr_error *err)
{
	const char *inv = relation_inverse(relation);

	if (family_refused(inv != NULL, relation, person_id, member_id,
	    err) < 0)
		return -1;
	if (db_run(db, "INSERT INTO family_members (person_id, member_id, "
	    "relation) VALUES (?, ?, ?) ON CONFLICT (person_id, member_id) DO "
	    "UPDATE SET relation = excluded.relation", "link a family member",
	    err, "iit", person_id, member_id, relation) < 0)
		return -1;
	return db_run(db, "INSERT OR IGNORE INTO family_members (person_id, "
	    "member_id, relation) VALUES (?, ?, ?)", "link a family member",
	    err, "iit", member_id, person_id, inv);
}

int
db_family_each(struct hr_db *db, int64_t person_id, db_family_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT member_id, relation FROM "
	    "family_members WHERE person_id = ? ORDER BY member_id", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "read a family", err, "i",
	    person_id) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "read a family", err)) == 1) {
		if (fn(ud, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1)) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading a family "
			    "stopped");
		}
	}
	return rc;
}

/* ---- reading --------------------------------------------------------- */

#define PERSON_COLS "id, " DB_PERSON_FIELDS ", version"

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* The DB_PERSON_FIELDS columns from `c` on into p (db_priv.h). */
void
db_person_from_row(sqlite3_stmt *st, int c, struct db_person *p)
{
	const char *sex = col_text(st, c + 6);

	memset(p, 0, sizeof *p);
	p->rnokpp = col_text(st, c);
	p->rnokpp_refused = sqlite3_column_int(st, c + 1);
	p->surname = col_text(st, c + 2);
	p->name = col_text(st, c + 3);
	p->patronymic = col_text(st, c + 4);
	p->birth_date = col_text(st, c + 5);
	p->sex = sex && sex[0] == 'M' ? HR_SEX_MALE : HR_SEX_FEMALE;
	p->unzr = col_text(st, c + 7);
	p->doc_type = col_text(st, c + 8);
	p->doc_number = col_text(st, c + 9);
	p->reg_address = col_text(st, c + 10);
	p->act_address = col_text(st, c + 11);
	p->phone = col_text(st, c + 12);
}

static void
person_view(sqlite3_stmt *st, struct db_person_view *v)
{
	memset(v, 0, sizeof *v);
	v->id = sqlite3_column_int64(st, 0);
	db_person_from_row(st, 1, &v->p);
	v->version = sqlite3_column_int64(st, 14);
}

/* Step st, calling fn per row; at most `limit` rows (0: all). */
static int
person_walk(struct hr_db *db, sqlite3_stmt *st, int limit, db_person_fn *fn,
    void *ud, int *n, int *more, struct hr_error *err)
{
	int rc;

	*n = 0;
	if (more != NULL)
		*more = 0;
	while ((rc = db_step_row(db, st, "read persons", err)) == 1) {
		struct db_person_view v;

		if (limit > 0 && *n == limit) {
			if (more != NULL)
				*more = 1;
			(void)sqlite3_reset(st);
			return 0;
		}
		person_view(st, &v);
		++*n;
		if (fn(ud, &v) != 0) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "reading persons "
			    "stopped");
		}
	}
	return rc;
}

int
db_person_get(struct hr_db *db, int64_t id, db_person_fn *fn, void *ud,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " PERSON_COLS " FROM persons "
	    "WHERE id = ?", err);
	int n;

	if (st == NULL || db_bindf(db, st, "read a person", err, "i", id) < 0 ||
	    person_walk(db, st, 1, fn, ud, &n, NULL, err) < 0)
		return -1;
	(void)sqlite3_reset(st);
	if (n == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "person.not_found",
		    "person not found");
	return 0;
}

static const char *const search_sql[] = {
	/* A name within an oblast (015): one range of person_oblasts. */
	[DB_PQ_NAME]   = "SELECT " PERSON_COLS " FROM person_oblasts po "
	    "CROSS JOIN persons p ON p.id = po.person_id WHERE po.oblast_id = ?3 "
	    "AND po.search_name >= ?1 AND po.search_name < ?1 || x'F4' "
	    "ORDER BY po.search_name, po.person_id LIMIT ?2",
	[DB_PQ_RNOKPP] = "SELECT " PERSON_COLS " FROM persons WHERE "
	    "rnokpp = ?1 LIMIT ?2",
	[DB_PQ_DOC]    = "SELECT " PERSON_COLS " FROM persons WHERE "
	    "doc_number = ?1 ORDER BY search_name, id LIMIT ?2",
};

int
db_person_search(struct hr_db *db, enum db_person_q kind, const char *q,
    int64_t oblast_id, int limit, db_person_fn *fn, void *ud, int *more,
    struct hr_error *err)
{
	sqlite3_stmt *st;
	char *folded = NULL;
	int n, rc;

	if ((unsigned)kind > DB_PQ_DOC || limit < 1)
		return hr_error_set(err, HR_E_INTERNAL, "person search: bad "
		    "arguments");
	if (kind == DB_PQ_NAME && (folded = hr_fold(q, strlen(q))) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	st = db_prepare(db, search_sql[kind], err);
	rc = st == NULL || (kind == DB_PQ_NAME ? db_bindf(db, st,
	    "search persons", err, "tdi", folded, limit + 1, oblast_id) :
	    db_bindf(db, st, "search persons", err, "td", q, limit + 1)) < 0 ?
	    -1 : person_walk(db, st, limit, fn, ud, &n, more, err);
	free(folded);
	return rc;
}

int
db_person_in_oblast(struct hr_db *db, int64_t id, int64_t oblast_id,
    int *yes, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT 1 FROM person_oblasts WHERE "
	    "person_id = ? AND oblast_id = ?", err);
	int rc;

	*yes = 0;
	if (st == NULL || db_bindf(db, st, "place a person", err, "ii", id,
	    oblast_id) < 0)
		return -1;
	rc = db_step_row(db, st, "place a person", err);
	if (rc == 1) {
		*yes = 1;
		(void)sqlite3_reset(st);
	}
	return rc < 0 ? -1 : 0;
}

int
db_person_search_plan(struct hr_db *db, enum db_person_q kind, char *out,
    size_t cap, struct hr_error *err)
{
	char sql[1024];
	sqlite3_stmt *st;
	size_t n = 0;
	int rc;

	if ((unsigned)kind > DB_PQ_DOC || cap == 0)
		return hr_error_set(err, HR_E_INTERNAL, "person plan: bad "
		    "arguments");
	out[0] = '\0';
	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", search_sql[kind]);
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, err, "person plan");
	sqlite3_bind_text(st, 1, "x", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, 10);
	if (kind == DB_PQ_NAME)
		sqlite3_bind_int(st, 3, 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int w = snprintf(out + n, cap - n, "%s\n", col_text(st, 3));

		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- identifiers and updates ------------------------------------------ */

static int
ident_lookup(struct hr_db *db, const char *sql, const char *val,
    int64_t except, int64_t *found, struct hr_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*found = 0;
	if (val == NULL || val[0] == '\0')
		return 0;
	st = db_prepare(db, sql, err);
	if (st == NULL || db_bindf(db, st, "look up an identifier", err, "ti",
	    val, except) < 0)
		return -1;
	rc = db_step_row(db, st, "look up an identifier", err);
	if (rc == 1)
		*found = sqlite3_column_int64(st, 0);
	(void)sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int
db_person_find_ident(struct hr_db *db, const struct db_person *p,
    int64_t except_id, int64_t *found, const char **which,
    struct hr_error *err)
{
	static const struct {
		const char *sql, *name;
		size_t off;
	} idents[] = {
		{ "SELECT id FROM persons WHERE rnokpp = ? AND id != ?",
		  HR_MSGID("РНОКПП"), offsetof(struct db_person, rnokpp) },
		{ "SELECT id FROM persons WHERE unzr = ? AND id != ?",
		  HR_MSGID("УНЗР"), offsetof(struct db_person, unzr) },
		{ "SELECT id FROM persons WHERE doc_number = ? AND id != ? "
		  "LIMIT 1", HR_MSGID("document number"),
		  offsetof(struct db_person, doc_number) },
	};

	*found = 0;
	*which = NULL;
	for (size_t i = 0; i < sizeof idents / sizeof idents[0]; i++) {
		const char *val = *(const char *const *)(const void *)
		    ((const char *)p + idents[i].off);

		if (ident_lookup(db, idents[i].sql, val, except_id, found,
		    err) < 0)
			return -1;
		if (*found != 0) {
			*which = idents[i].name;
			return 0;
		}
	}
	return 0;
}

int
db_person_update(struct hr_db *db, int64_t id, const struct db_person *p,
    struct hr_error *err)
{
	int rc;

	if (id <= 0)            /* person_write would add one */
		return hr_errorf(err, HR_E_NOT_FOUND, "person.not_found",
		    "person not found");
	rc = person_write(db, id, p, err);
	if (rc == 0 && sqlite3_changes(db->sql) == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "person.not_found",
		    "person not found");
	return rc;
}
