/*
 * users.c — user accounts: creation with role/territory checks, passwords
 * (Argon2id through libsodium), enabling and listing.
 *
 * The password rules live here, not in the tools, so the server's future
 * "change password" and hromadactl cannot disagree.
 */
#include "db/users.h"
#include "db/db_priv.h"
#include "db/territory.h"
#include "db/tickets.h"
#include "proto/roles.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_NAME_MAX   64
#define PASSWORD_MIN    8      /* characters, not bytes */
#define PASSWORD_MAX    1024   /* bytes: bounds the hashing work */

#define USER_COLUMNS "u.id, u.name, u.full_name, u.role, u.territory_id, " \
	"t.name, u.disabled, u.pwhash, u.created_at, u.updated_at"
#define USER_FROM " FROM users u JOIN territories t ON t.id = u.territory_id"
/*
 * updated_at of a change: strictly greater than before, not merely "now",
 * because live sessions notice a change by a different updated_at and a
 * change in the second of the login would otherwise go unseen.
 */
#define USER_BUMP "updated_at = MAX(updated_at + 1, ?)"

void
db_user_free(struct db_user *u)
{
	if (u == NULL)
		return;
	free(u->name);
	free(u->full_name);
	free(u->territory_name);
	if (u->pwhash != NULL) {
		sodium_memzero(u->pwhash, strlen(u->pwhash));
		free(u->pwhash);
	}
	memset(u, 0, sizeof *u);
}

int
db_user_can_log_in(const struct db_user *u)
{
	return u->pwhash != NULL && strncmp(u->pwhash, "$argon2", 7) == 0;
}

static int
user_from_row(sqlite3_stmt *st, struct db_user *u, struct hr_error *err)
{
	const char *role = (const char *)sqlite3_column_text(st, 3);

	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	u->role = role ? hr_role_from_name(role) : -1;
	u->territory_id = sqlite3_column_int64(st, 4);
	u->disabled = sqlite3_column_int(st, 6);
	u->created_at = sqlite3_column_int64(st, 8);
	u->updated_at = sqlite3_column_int64(st, 9);
	if (db_col_dup(st, 1, &u->name, err) < 0 ||
	    db_col_dup(st, 2, &u->full_name, err) < 0 ||
	    db_col_dup(st, 5, &u->territory_name, err) < 0 ||
	    db_col_dup(st, 7, &u->pwhash, err) < 0) {
		db_user_free(u);
		return -1;
	}
	return 0;
}

/* `what` names the query for a database failure, `who` the user for
 * "user WHO does not exist". */
static int
user_get(struct hr_db *db, sqlite3_stmt *st, const char *what,
    const char *who, struct db_user *out, struct hr_error *err)
{
	int rc = db_step_row(db, st, what, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "user.not_found",
		    "user {user} does not exist", HR_STR("user", who));
	rc = user_from_row(st, out, err);
	(void)sqlite3_reset(st);
	return rc;
}

int
db_user_by_name(struct hr_db *db, const char *name, struct db_user *out,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS USER_FROM
	    " WHERE u.name = ?", err);
	char what[USER_NAME_MAX + 16];

	snprintf(what, sizeof what, "user \"%s\"", name);
	if (st == NULL || db_bindf(db, st, what, err, "t", name) < 0)
		return -1;
	return user_get(db, st, what, what + 5, out, err);
}

int
db_user_by_id(struct hr_db *db, int64_t id, struct db_user *out,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT " USER_COLUMNS USER_FROM
	    " WHERE u.id = ?", err);
	char what[48];

	snprintf(what, sizeof what, "user %lld", (long long)id);
	if (st == NULL || db_bindf(db, st, what, err, "i", id) < 0)
		return -1;
	return user_get(db, st, what, what + 5, out, err);
}

/* Login names go into logs and audit records: keep them plain. */
static int
user_name_check(const char *name, struct hr_error *err)
{
	size_t n = strlen(name);

	if (n == 0 || n > USER_NAME_MAX)
		return hr_errorf(err, HR_E_INVALID, "user.name_length",
		    "user name must have 1 to {max} characters", HR_INT("max",
		    USER_NAME_MAX));
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n ||
	    name[0] == '-' || name[0] == '.')
		return hr_errorf(err, HR_E_INVALID, "user.name_chars",
		    "user name \"{user}\": use lower-case Latin letters, "
		    "digits, '.', '_' and '-', not starting with '-' or '.'",
		    HR_STR("user", name));
	return 0;
}

int
db_password_check(const char *password, struct hr_error *err)
{
	size_t bytes = strlen(password), chars = 0;

	for (size_t i = 0; i < bytes; i++)
		chars += ((unsigned char)password[i] & 0xC0) != 0x80;
	if (chars < PASSWORD_MIN)
		return hr_errorf(err, HR_E_INVALID, "user.password_short",
		    "password is too short: it needs at least {min} characters",
		    HR_INT("min", PASSWORD_MIN));
	if (bytes > PASSWORD_MAX)
		return hr_errorf(err, HR_E_INVALID, "user.password_long",
		    "password is too long (at most {max} bytes)", HR_INT("max",
		    PASSWORD_MAX));
	return 0;
}

int
db_password_hash(const char *password, char out[128], struct hr_error *err)
{
	/* crypto_pwhash_STRBYTES is 128 in libsodium 1.0.18; stay honest. */
	_Static_assert(crypto_pwhash_STRBYTES <= 128, "hash buffer too small");
	if (crypto_pwhash_str(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return hr_error_set(err, HR_E_INTERNAL, "cannot hash the "
		    "password (out of memory?)");
	return 0;
}

/* The territory must be of the kind the role's accounts hang on. */
static int
user_territory_check(struct hr_db *db, int role, int64_t territory_id,
    struct hr_error *err)
{
	const struct hr_role_info *ri = hr_role_info(role);
	struct db_territory t;
	int ok;

	if (ri == NULL)
		return hr_error_set(err, HR_E_INVALID, "role %d is unknown", role);
	if (db_territory_get(db, territory_id, &t, err) < 0)
		return -1;
	ok = t.kind == (int)ri->home;
	if (!ok)
		hr_errorf(err, HR_E_INVALID, "user.role_territory", "role "
		    "{role} belongs to a territory of kind {kind}, but "
		    "\"{name}\" ({id}) is a {other}", HR_STR("role", ri->name),
		    HR_STR("kind", hr_terr_kind_name(ri->home)), HR_STR("name",
		    t.name), HR_INT("id", t.id), HR_STR("other",
		    hr_terr_kind_name(t.kind) ? hr_terr_kind_name(t.kind) : "?"
		    ));
	db_territory_free(&t);
	return ok ? 0 : -1;
}

int
db_user_add(struct hr_db *db, const char *name, const char *full_name,
    int role, int64_t territory_id, const char *password, int64_t *id,
    struct hr_error *err)
{
	char hash[128];
	int64_t now = db_now();
	int own, rc;

	if (user_name_check(name, err) < 0 || db_password_check(password, err) < 0)
		return -1;
	if (full_name == NULL || full_name[0] == '\0')
		return hr_errorf(err, HR_E_INVALID, "user.full_name",
		    "full name is empty");
	if (db_password_hash(password, hash, err) < 0)
		return -1;
	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = user_territory_check(db, role, territory_id, err);
	if (rc == 0)
		rc = db_run(db, "INSERT INTO users (name, full_name, role, "
		    "territory_id, pwhash, disabled, created_at, updated_at) "
		    "VALUES (?, ?, ?, ?, ?, 0, ?, ?)", "add a user", err,
		    "tttitii", name, full_name, hr_role_info(role)->name,
		    territory_id, hash, now, now);
	if (rc < 0 && err != NULL && err->code == HR_E_DUPLICATE)
		hr_errorf(err, HR_E_DUPLICATE, "user.exists", "user \"{user}\" "
		    "exists already", HR_STR("user", name));
	if (rc == 0 && id != NULL)
		*id = sqlite3_last_insert_rowid(db->sql);
	sodium_memzero(hash, sizeof hash);
	return db_tx_leave(db, own, rc, err);
}

/* After an UPDATE by name: HR_E_NOT_FOUND when no row changed. */
static int
user_changed(struct hr_db *db, const char *name, struct hr_error *err)
{
	if (sqlite3_changes(db->sql) == 0)
		return hr_errorf(err, HR_E_NOT_FOUND, "user.not_found",
		    "user {user} does not exist", HR_STR("user", name));
	return 0;
}

/*
 * A new password also ends the user's saved sessions: a password is reset
 * when it may be known to someone else, and whoever used it could
 * otherwise go on resuming with the tickets it got them.
 */
int
db_user_set_password(struct hr_db *db, const char *name,
    const char *password, struct hr_error *err)
{
	struct db_user u;
	char hash[128];
	int own, rc;

	if (db_password_check(password, err) < 0 ||
	    db_password_hash(password, hash, err) < 0)
		return -1;
	if (db_tx_enter(db, &own, err) < 0) {
		sodium_memzero(hash, sizeof hash);
		return -1;
	}
	rc = db_run(db, "UPDATE users SET pwhash = ?, " USER_BUMP
	    " WHERE name = ?", "set a password", err, "tit", hash, db_now(),
	    name);
	sodium_memzero(hash, sizeof hash);
	if (rc == 0)
		rc = user_changed(db, name, err);
	if (rc == 0 && (rc = db_user_by_name(db, name, &u, err)) == 0) {
		rc = db_user_end_sessions(db, u.id, err);
		db_user_free(&u);
	}
	return db_tx_leave(db, own, rc, err);
}

int
db_user_assign(struct hr_db *db, const char *name, int role,
    int64_t territory_id, struct hr_error *err)
{
	struct db_user u;
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = db_user_by_name(db, name, &u, err);
	if (rc == 0) {
		rc = user_territory_check(db, role, territory_id, err);
		if (rc == 0)
			rc = db_run(db, "UPDATE users SET role = ?, territory_id "
			    "= ?, " USER_BUMP " WHERE id = ?", "change a "
			    "user's role or territory", err, "tiii",
			    hr_role_info(role)->name, territory_id, db_now(),
			    u.id);
		/* Saved sessions carry the old scope: end them. */
		if (rc == 0)
			rc = db_user_end_sessions(db, u.id, err);
		db_user_free(&u);
	}
	return db_tx_leave(db, own, rc, err);
}

int
db_user_set_disabled(struct hr_db *db, const char *name, int disabled,
    struct hr_error *err)
{
	struct db_user u;
	int own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = db_run(db, "UPDATE users SET disabled = ?, " USER_BUMP
	    " WHERE name = ?", disabled ? "disable a user" : "enable a user",
	    err, "dit", disabled != 0, db_now(), name);
	if (rc == 0)
		rc = user_changed(db, name, err);
	/* A disabled user must not come back through a saved ticket. */
	if (rc == 0 && disabled && (rc = db_user_by_name(db, name, &u, err)) == 0) {
		rc = db_user_end_sessions(db, u.id, err);
		db_user_free(&u);
	}
	return db_tx_leave(db, own, rc, err);
}

int
db_user_touch(struct hr_db *db, int64_t user_id, struct hr_error *err)
{
	return db_run(db, "UPDATE users SET " USER_BUMP " WHERE id = ?",
	    "mark a user changed", err, "ii", db_now(), user_id);
}

int
db_user_end_sessions(struct hr_db *db, int64_t user_id, struct hr_error *err)
{
	if (db_ticket_revoke_user(db, user_id, err) < 0)
		return -1;
	return db_user_touch(db, user_id, err);
}

int
db_user_each(struct hr_db *db, int64_t scope_territory, db_user_fn *fn,
    void *ud, struct hr_error *err)
{
	/* Users whose territory lies under the scope: walk down the tree. */
	sqlite3_stmt *st = db_prepare(db, "WITH RECURSIVE " DB_SUBTREE("1")
	    "SELECT " USER_COLUMNS USER_FROM " WHERE u.territory_id IN "
	    "(SELECT id FROM subtree) ORDER BY u.name", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "users", err, "i",
	    scope_territory) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "list users", err)) == 1) {
		struct db_user u;

		if (user_from_row(st, &u, err) < 0) {
			(void)sqlite3_reset(st);
			return -1;
		}
		rc = fn(ud, &u);
		db_user_free(&u);
		if (rc != 0) {
			(void)sqlite3_reset(st);
			return rc < 0 ? hr_error_set(err, HR_E_INTERNAL,
			    "listing users stopped") : 0;
		}
	}
	return rc;
}
