/*
 * throttle.h — slowing down password guessing without handing strangers
 * the power to lock a clerk out.
 *
 * Failed logins are counted under keys, each in a window of `window`
 * seconds from its first failure; a key that reaches its limit is locked
 * for 60 s, twice as long for every further failure, up to its ceiling:
 *
 *   key              counts                       limit       ceiling
 *   p:USER WHERE     one user from one place      pair_max    lock_max
 *   u:USER           one user from anywhere       user_max    user_lock_max
 *   a:SOURCE         one source, any user names   source_max  lock_max
 *
 * WHERE is the login's source, or "terminal:NAME" when the login carried a
 * valid proof of a registered terminal.  A terminal-proven login is counted
 * and judged under its pair key only: failures from elsewhere -- another
 * office, a stranger on the Internet, a colleague behind the same NAT --
 * never lock it.  The per-user key's ceiling is smaller (5 minutes), so
 * that guesses spread over many sources still slow down while nobody can
 * lock a named clerk out for long.
 *
 * A *source* is an IPv4 address or an IPv6 /64 (the smallest prefix an ISP
 * hands a subscriber's LAN: by full IPv6 address one host would have 2^64
 * identities).  Keys are counted whether the user name exists or not, so
 * the answers never tell which names exist; rows expire once their window
 * and lock are over (expires_at, migration 011), so made-up names do not
 * grow the table without bound.
 *
 * Attempts still being verified count too (srvd/method_login.c passes
 * them in): with them, a key may not go past its limit, so a burst of
 * guesses cannot be in flight at once against a limit of 5.
 */
#ifndef HR_DB_THROTTLE_H
#define HR_DB_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

/* The default limits (db_throttle_policy_default; hromadad.conf's lock_*
 * settings default to them). */
enum {
	DB_THROTTLE_WINDOW        = 900,
	DB_THROTTLE_PAIR_MAX      = 5,
	DB_THROTTLE_USER_MAX      = 20,
	DB_THROTTLE_SOURCE_MAX    = 30,
	DB_THROTTLE_LOCK_MAX      = 3600,
	DB_THROTTLE_USER_LOCK_MAX = 300,
};

/* Limits; defaults in brackets (db_throttle_policy_default). */
struct db_throttle_policy {
	int window;          /* seconds a key counts failures [900] */
	int pair_max;        /* failures of one user from one place [5] */
	int user_max;        /* failures of one user from anywhere [20] */
	int source_max;      /* failures from one source [30] */
	int lock_max;        /* longest lock of a pair or source key [3600] */
	int user_lock_max;   /* longest lock of a user key [300] */
};

void db_throttle_policy_default(struct db_throttle_policy *p);

/* "255.255.255.255" or "ffff:ffff:ffff:ffff::/64", with the NUL. */
#define DB_SOURCE_MAX 48

/*
 * The source of a numeric address ("203.0.113.7", "2001:db8:1:2:a:b:c:d",
 * "fe80::1%eth0"): the IPv4 address, or the IPv6 /64 as "2001:db8:1:2::/64";
 * an IPv4-mapped IPv6 address is its IPv4 address.  Anything else is
 * copied (cut to fit).
 */
void db_throttle_source(const char *address, char out[DB_SOURCE_MAX]);

/* Who a login attempt is judged as. */
struct db_login_from {
	const char *user;        /* the name as typed */
	const char *source;      /* db_throttle_source of the peer */
	const char *terminal;    /* a registered terminal whose proof was
	                            valid for this connection, else NULL */
};

#define DB_THROTTLE_KEYS    3
#define DB_THROTTLE_KEY_MAX 200

/* The keys an attempt is counted under (1 or 3); returns how many. */
int  db_throttle_keys(const struct db_login_from *f,
    char keys[DB_THROTTLE_KEYS][DB_THROTTLE_KEY_MAX]);

/*
 * May the attempt go ahead?  `inflight[i]`: attempts under keys[i] of
 * db_throttle_keys being verified now (this one not included).  0 yes;
 * 1 a key is locked (*retry_after seconds); 2 the attempts in flight
 * would reach a key's limit (retry in a moment); -1 error.
 */
int  db_throttle_check(struct hr_db *db, const struct db_throttle_policy *p,
    const struct db_login_from *f, const unsigned inflight[DB_THROTTLE_KEYS],
    int64_t now, int64_t *retry_after, struct hr_error *err);

/* Count one failure under each key (and drop rows that expired). */
int  db_throttle_fail(struct hr_db *db, const struct db_throttle_policy *p,
    const struct db_login_from *f, int64_t now, struct hr_error *err);

/* A successful login clears its pair and user keys (not the source's). */
int  db_throttle_success(struct hr_db *db, const struct db_login_from *f,
    struct hr_error *err);

/* ---- for the administrator (hromadactl lock) ---- */

struct db_throttle_row {
	char        kind;          /* 'p', 'u' or 'a' as above */
	const char *user;          /* 'p', 'u'; NULL for 'a' */
	const char *where;         /* 'p': source or "terminal:NAME"; 'a':
	                              the source; NULL for 'u' */
	int         failures;
	int64_t     window_start;
	int64_t     locked_until;  /* <= now: not locked */
};

/* Rows locked at `now` (all rows still counting when `all`), by key. */
typedef int db_throttle_fn(void *ud, const struct db_throttle_row *r);
int  db_throttle_each(struct hr_db *db, int64_t now, int all,
    db_throttle_fn *fn, void *ud, struct hr_error *err);

/*
 * Clear keys: with `user` its user key and all its pair keys; with
 * `source` (a source or an address in it) its source key and every pair
 * key from it; with both, only their pair key; with neither, every key.
 * *cleared gets the number of rows removed.
 */
int  db_throttle_clear(struct hr_db *db, const char *user, const char *source,
    int64_t *cleared, struct hr_error *err);

#endif
