/*
 * limits.h — how much of the server one source, or one user name, may hold
 * at a time, kept in memory by the event loop.
 *
 * A *source* is where a connection comes from: an IPv4 address, or an IPv6
 * /64 (db_throttle_source, db/throttle.h: the login throttle counts by the
 * same sources).  For each source:
 *
 *   - open connections, at most `max_connections_per_source`;
 *   - new connections, a token bucket (as WireGuard rate-limits handshake
 *     initiations per source): `connect_burst_per_source` at once, then
 *     `connect_rate_per_source` a second;
 *   - logins being verified (Argon2id), at most
 *     `logins_in_flight_per_source`.
 *
 * For each user name as typed: logins being verified, at most
 * `logins_in_flight_per_user`.  And for any string key (the login
 * throttle's keys, db/throttle.h): how many logins counted under it are
 * being verified, so that an attempt counts from the moment it is admitted
 * rather than when its hash finishes (srvd/method_login.c).
 *
 * Entries live in one hash table keyed by SipHash with a random key (the
 * names are typed by strangers: no hash flooding), and are dropped once
 * nothing is counted under them and their bucket has refilled, so a source
 * that hangs up does not come back to a full bucket.  limits_sweep does
 * that; the server calls it every few seconds.
 */
#ifndef SRV_LIMITS_H
#define SRV_LIMITS_H

#include <stddef.h>

#include "proto/error.h"

struct srv_limits_conf {
	int max_conns;        /* per source, open at once */
	int connect_rate;     /* per source, new connections a second */
	int connect_burst;    /* per source, new connections at once */
	int logins_source;    /* per source, being verified */
	int logins_user;      /* per user name, being verified */
};

struct srv_limits;

/* NULL when out of memory. */
struct srv_limits *limits_new(const struct srv_limits_conf *conf);
void limits_free(struct srv_limits *l);

enum limits_verdict {
	LIMITS_OK,
	LIMITS_RATE,          /* the source's bucket is empty */
	LIMITS_CONNS,         /* the source holds max_conns already */
	LIMITS_NOMEM,
};

/*
 * A new connection from `source` at `now` (seconds): take a token and
 * count it (LIMITS_OK), or say why not (nothing counted).
 */
enum limits_verdict limits_conn_admit(struct srv_limits *l,
    const char *source, double now);
/* The connection closed. */
void limits_conn_release(struct srv_limits *l, const char *source);
/* Connections open from `source` now. */
unsigned limits_conn_count(struct srv_limits *l, const char *source);

/*
 * A login of `user` from `source` wants an Argon2id worker: count it, or
 * -1 with HR_E_BUSY saying which bound it met (nothing counted).
 */
int  limits_login_admit(struct srv_limits *l, const char *source,
    const char *user, struct hr_error *err);
void limits_login_release(struct srv_limits *l, const char *source,
    const char *user);

/*
 * Logins being verified that count under throttle key `key` (a key of
 * db/throttle.h): add `delta` (+1 when admitted, -1 when finished), read.
 */
int      limits_key_add(struct srv_limits *l, const char *key, int delta);
unsigned limits_key_count(struct srv_limits *l, const char *key);

/* Drop entries with nothing counted whose bucket is full again at `now`. */
void limits_sweep(struct srv_limits *l, double now);

/* Entries held (for tests and the log). */
size_t limits_size(const struct srv_limits *l);

#endif
