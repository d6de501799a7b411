/*
 * throttle.c — login throttling (see throttle.h).
 *
 * Throttle rows are keyed 'u:NAME' and 'a:ADDRESS'.  A key collects failures
 * in a window of DB_THROTTLE_WINDOW seconds from its first failure; reaching
 * the key's limit locks it, for 60 s at the limit and twice as long for every
 * further failure (capped at an hour), so a guesser's rate falls off fast
 * while a clerk who mistyped a few times is not locked out for long.
 * Counting by name does not reveal whether the name exists.
 */
#include "db/throttle.h"
#include "db/db_priv.h"

#include <stdio.h>

#define THROTTLE_LOCK_BASE 60
#define THROTTLE_LOCK_MAX  3600
#define THROTTLE_KEY_MAX   320

/* 'u:NAME' / 'a:ADDR', cut to a bound (keys are compared, not parsed). */
static void
throttle_key(char *out, size_t cap, char kind, const char *s)
{
	snprintf(out, cap, "%c:%s", kind, s);
}

/* Lock state of one key: sets *until (0 when not locked). */
static int
throttle_locked(struct hr_db *db, const char *key, int64_t now,
    int64_t *until, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT locked_until FROM "
	    "login_throttle WHERE key = ?", err);
	int rc;

	*until = 0;
	if (st == NULL || db_bindf(db, st, "throttle", err, "t", key) < 0)
		return -1;
	rc = db_step_row(db, st, "read login throttle", err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		int64_t t = sqlite3_column_int64(st, 0);

		if (t > now)
			*until = t;
		(void)sqlite3_reset(st);
	}
	return 0;
}

int
db_throttle_check(struct hr_db *db, const char *user, const char *addr,
    int64_t now, int64_t *retry_after, struct hr_error *err)
{
	char key[THROTTLE_KEY_MAX];
	int64_t u = 0, a = 0;

	*retry_after = 0;
	if (user != NULL) {
		throttle_key(key, sizeof key, 'u', user);
		if (throttle_locked(db, key, now, &u, err) < 0)
			return -1;
	}
	if (addr != NULL) {
		throttle_key(key, sizeof key, 'a', addr);
		if (throttle_locked(db, key, now, &a, err) < 0)
			return -1;
	}
	if (u == 0 && a == 0)
		return 0;
	*retry_after = (u > a ? u : a) - now;
	return 1;
}

static int64_t
throttle_lock_for(int failures, int max)
{
	int64_t t = THROTTLE_LOCK_BASE;

	for (int i = max; i < failures && t < THROTTLE_LOCK_MAX; i++)
		t *= 2;
	return t < THROTTLE_LOCK_MAX ? t : THROTTLE_LOCK_MAX;
}

/* Count one failure for a key; lock it when it reaches `max`. */
static int
throttle_fail_key(struct hr_db *db, const char *key, int max, int64_t now,
    struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT failures, window_start, "
	    "locked_until FROM login_throttle WHERE key = ?", err);
	int64_t start = now, locked = 0;
	int failures = 0, rc;

	if (st == NULL || db_bindf(db, st, "throttle", err, "t", key) < 0)
		return -1;
	rc = db_step_row(db, st, "read login throttle", err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		failures = sqlite3_column_int(st, 0);
		start = sqlite3_column_int64(st, 1);
		locked = sqlite3_column_int64(st, 2);
		(void)sqlite3_reset(st);
	}
	/* A new window starts once the old one and any lock are over. */
	if (now - start >= DB_THROTTLE_WINDOW && now >= locked) {
		failures = 0;
		start = now;
	}
	failures++;
	if (failures >= max)
		locked = now + throttle_lock_for(failures, max);
	return db_run(db, "INSERT INTO login_throttle (key, failures, "
	    "window_start, locked_until) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (key) DO UPDATE SET failures = ?2, window_start = ?3, "
	    "locked_until = ?4", "record a failed login", err, "tdii", key,
	    failures, start, locked);
}

int
db_throttle_fail(struct hr_db *db, const char *user, const char *addr,
    int64_t now, struct hr_error *err)
{
	char key[THROTTLE_KEY_MAX];
	int own, rc = 0;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	if (user != NULL) {
		throttle_key(key, sizeof key, 'u', user);
		rc = throttle_fail_key(db, key, DB_THROTTLE_USER_MAX, now, err);
	}
	if (rc == 0 && addr != NULL) {
		throttle_key(key, sizeof key, 'a', addr);
		rc = throttle_fail_key(db, key, DB_THROTTLE_ADDR_MAX, now, err);
	}
	return db_tx_leave(db, own, rc, err);
}

int
db_throttle_success(struct hr_db *db, const char *user, int64_t now,
    struct hr_error *err)
{
	char key[THROTTLE_KEY_MAX];

	(void)now;
	throttle_key(key, sizeof key, 'u', user);
	return db_run(db, "DELETE FROM login_throttle WHERE key = ?",
	    "clear the login throttle", err, "t", key);
}
