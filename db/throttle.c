/*
 * throttle.c — the login throttle's keys, limits and locks (see
 * throttle.h for the policy).
 *
 * One row per key in login_throttle: failures in the current window, when
 * the window began, until when the key is locked, and when the row may go
 * (expires_at: the later of the window's end and the lock's end).  Rows
 * that expired are dropped whenever a failure is recorded, through the
 * index on expires_at, so the table holds only keys that still count.
 */
#include "db/throttle.h"
#include "db/db_priv.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THROTTLE_LOCK_BASE 60

void
db_throttle_policy_default(struct db_throttle_policy *p)
{
	*p = (struct db_throttle_policy){ DB_THROTTLE_WINDOW,
	    DB_THROTTLE_PAIR_MAX, DB_THROTTLE_USER_MAX, DB_THROTTLE_SOURCE_MAX,
	    DB_THROTTLE_LOCK_MAX, DB_THROTTLE_USER_LOCK_MAX };
}

void
db_throttle_source(const char *address, char out[DB_SOURCE_MAX])
{
	char            host[64];
	struct in6_addr a6;
	struct in_addr  a4;

	snprintf(host, sizeof host, "%s", address);
	host[strcspn(host, "%")] = '\0';          /* an IPv6 zone: fe80::1%eth0 */
	if (inet_pton(AF_INET, host, &a4) == 1) {
		inet_ntop(AF_INET, &a4, out, DB_SOURCE_MAX);
		return;
	}
	if (inet_pton(AF_INET6, host, &a6) != 1) {
		snprintf(out, DB_SOURCE_MAX, "%s", address);
		return;
	}
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		inet_ntop(AF_INET, a6.s6_addr + 12, out, DB_SOURCE_MAX);
		return;
	}
	memset(a6.s6_addr + 8, 0, 8);           /* the /64 */
	inet_ntop(AF_INET6, &a6, out, DB_SOURCE_MAX - 4);
	strcat(out, "/64");
}

int
db_throttle_keys(const struct db_login_from *f,
    char keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX])
{
	if (f->terminal != NULL) {
		snprintf(keys[0], DB_THROTTLE_KEY_MAX, "p:%s terminal:%s",
		    f->user, f->terminal);
		return 1;
	}
	snprintf(keys[0], DB_THROTTLE_KEY_MAX, "p:%s %s", f->user, f->source);
	snprintf(keys[1], DB_THROTTLE_KEY_MAX, "u:%s", f->user);
	snprintf(keys[2], DB_THROTTLE_KEY_MAX, "a:%s", f->source);
	return 3;
}

/* Limit and lock ceiling of a key by its kind. */
static void
throttle_rule(const struct db_throttle_policy *p, const char *key, int *max,
    int *lock_max)
{
	switch (key[0]) {
	case 'u':
		*max = p->user_max;
		*lock_max = p->user_lock_max;
		break;
	case 'a':
		*max = p->source_max;
		*lock_max = p->lock_max;
		break;
	default:
		*max = p->pair_max;
		*lock_max = p->lock_max;
		break;
	}
}

/* A key's row: failures still in its window (0 when over), its lock. */
static int
throttle_read(struct hr_db *db, const struct db_throttle_policy *p,
    const char *key, int64_t now, int *failures, int64_t *start,
    int64_t *locked, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT failures, window_start, "
	    "locked_until FROM login_throttle WHERE key = ?", err);
	int rc;

	*failures = 0;
	*start = now;
	*locked = 0;
	if (st == NULL || db_bindf(db, st, "throttle", err, "t", key) < 0)
		return -1;
	if ((rc = db_step_row(db, st, "read login throttle", err)) <= 0)
		return rc;
	*failures = sqlite3_column_int(st, 0);
	*start = sqlite3_column_int64(st, 1);
	*locked = sqlite3_column_int64(st, 2);
	(void)sqlite3_reset(st);
	/* A new window starts once the old one and any lock are over. */
	if (now - *start >= p->window && now >= *locked) {
		*failures = 0;
		*start = now;
	}
	return 0;
}

int
db_throttle_check(struct hr_db *db, const struct db_throttle_policy *p,
    const struct db_login_from *f, const unsigned inflight[DB_THROTTLE_KEYS],
    int64_t now, int64_t *retry_after, struct hr_error *err)
{
	char    keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX];
	int     n = db_throttle_keys(f, keys), failures, max, lock_max, busy = 0;
	int64_t start, locked, until = 0;

	*retry_after = 0;
	for (int i = 0; i < n; i++) {
		if (throttle_read(db, p, keys[i], now, &failures, &start,
		    &locked, err) < 0)
			return -1;
		throttle_rule(p, keys[i], &max, &lock_max);
		if (locked > now && locked > until)
			until = locked;
		/* Those in flight would lock the key if they failed. */
		if (inflight[i] > 0 && failures + (int)inflight[i] >= max)
			busy = 1;
	}
	if (until != 0) {
		*retry_after = until - now;
		return 1;
	}
	return busy ? 2 : 0;
}

static int64_t
throttle_lock_for(int failures, int max, int lock_max)
{
	int64_t t = THROTTLE_LOCK_BASE;

	for (int i = max; i < failures && t < lock_max; i++)
		t *= 2;
	return t < lock_max ? t : lock_max;
}

static int
throttle_fail_key(struct hr_db *db, const struct db_throttle_policy *p,
    const char *key, int64_t now, struct hr_error *err)
{
	int     failures, max, lock_max;
	int64_t start, locked, expires;

	if (throttle_read(db, p, key, now, &failures, &start, &locked, err) < 0)
		return -1;
	throttle_rule(p, key, &max, &lock_max);
	failures++;
	if (failures >= max)
		locked = now + throttle_lock_for(failures, max, lock_max);
	expires = start + p->window > locked ? start + p->window : locked;
	return db_run(db, "INSERT INTO login_throttle (key, failures, "
	    "window_start, locked_until, expires_at) VALUES (?1, ?2, ?3, ?4, "
	    "?5) ON CONFLICT (key) DO UPDATE SET failures = ?2, window_start "
	    "= ?3, locked_until = ?4, expires_at = ?5", "record a failed "
	    "login", err, "tdiii", key, failures, start, locked, expires);
}

int
db_throttle_fail(struct hr_db *db, const struct db_throttle_policy *p,
    const struct db_login_from *f, int64_t now, struct hr_error *err)
{
	char keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX];
	int  n = db_throttle_keys(f, keys), own, rc;

	if (db_tx_enter(db, &own, err) < 0)
		return -1;
	rc = db_run(db, "DELETE FROM login_throttle WHERE expires_at <= ?",
	    "drop expired login throttle rows", err, "i", now);
	for (int i = 0; rc == 0 && i < n; i++)
		rc = throttle_fail_key(db, p, keys[i], now, err);
	return db_tx_leave(db, own, rc, err);
}

int
db_throttle_success(struct hr_db *db, const struct db_login_from *f,
    struct hr_error *err)
{
	char keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX];
	int  n = db_throttle_keys(f, keys), rc = 0;

	/* keys[0] is the pair, keys[1] (when counted) the user. */
	for (int i = 0; rc == 0 && i < n && i < 2; i++)
		rc = db_run(db, "DELETE FROM login_throttle WHERE key = ?",
		    "clear the login throttle", err, "t", keys[i]);
	return rc;
}

/* ---- the administrator's view ---- */

int
db_throttle_each(struct hr_db *db, int64_t now, int all, db_throttle_fn *fn,
    void *ud, struct hr_error *err)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT key, failures, window_start, "
	    "locked_until FROM login_throttle WHERE locked_until > ?1 OR "
	    "(?2 AND expires_at > ?1) ORDER BY key", err);
	int rc;

	if (st == NULL || db_bindf(db, st, "throttle", err, "id", now, all) < 0)
		return -1;
	while ((rc = db_step_row(db, st, "list login throttle", err)) == 1) {
		struct db_throttle_row r = { 0 };
		char *key = strdup((const char *)sqlite3_column_text(st, 0));
		char *sp;
		int   stop;

		if (key == NULL) {
			(void)sqlite3_reset(st);
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		}
		r.kind = key[0];
		r.failures = sqlite3_column_int(st, 1);
		r.window_start = sqlite3_column_int64(st, 2);
		r.locked_until = sqlite3_column_int64(st, 3);
		if (r.kind == 'a')
			r.where = key + 2;
		else if (r.kind == 'u')
			r.user = key + 2;
		else if ((sp = strrchr(key, ' ')) != NULL) {
			/* Names may hold spaces; WHERE never does. */
			*sp = '\0';
			r.user = key + 2;
			r.where = sp + 1;
		} else
			r.user = key + 2;
		stop = fn(ud, &r);
		free(key);
		if (stop != 0) {
			(void)sqlite3_reset(st);
			return stop < 0 ? -1 : 0;
		}
	}
	return rc < 0 ? -1 : 0;
}

int
db_throttle_clear(struct hr_db *db, const char *user, const char *source,
    int64_t *cleared, struct hr_error *err)
{
	char src[DB_SOURCE_MAX];
	int  rc;

	if (source != NULL) {
		/* "terminal:NAME" names a terminal's pair key as it is. */
		if (strncmp(source, "terminal:", 9) == 0)
			snprintf(src, sizeof src, "%.*s", (int)sizeof src - 1,
			    source);
		else
			db_throttle_source(source, src);
	}
	if (user != NULL && source != NULL)
		rc = db_run(db, "DELETE FROM login_throttle WHERE key = 'p:' || "
		    "?1 || ' ' || ?2", "clear a login lock", err, "tt", user, src);
	else if (user != NULL)
		rc = db_run(db, "DELETE FROM login_throttle WHERE key = 'u:' || "
		    "?1 OR (substr(key, 1, length(?1) + 3) = 'p:' || ?1 || ' ' "
		    "AND instr(substr(key, length(?1) + 4), ' ') = 0)",
		    "clear a user's login locks", err, "t", user);
	else if (source != NULL)
		rc = db_run(db, "DELETE FROM login_throttle WHERE key = 'a:' || "
		    "?1 OR (key LIKE 'p:%' AND substr(key, -length(?1) - 1) = "
		    "' ' || ?1)", "clear a source's login locks", err, "t", src);
	else
		rc = db_run(db, "DELETE FROM login_throttle", "clear the login "
		    "locks", err, "");
	if (rc == 0 && cleared != NULL)
		*cleared = sqlite3_changes(db->sql);
	return rc;
}
