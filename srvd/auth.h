/*
 * auth.h — Argon2id password verification off the event loop.
 *
 * One verification costs ~50 ms and 64 MiB (PITFALLS.md); done on the loop,
 * a burst of logins would stall every connection.  A few worker threads
 * (pool.h) take jobs from a bounded queue; a full queue is refused at once
 * (HR_E_BUSY) rather than queued without bound.
 *
 * A job carries the connection *id*, never a pointer: the client may be gone
 * by the time the answer arrives.  Workers touch nothing but the job.
 */
#ifndef SRV_AUTH_H
#define SRV_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "proto/error.h"
#include "srvd/pool.h"

struct auth_job {
	struct pool_job link;   /* first: the pool links jobs through it */
	/* filled by the submitter */
	uint64_t conn_id;
	uint32_t msgid;
	int64_t  user_id;       /* 0: no such user (verified against a dummy) */
	int      disabled;
	char    *user;          /* the name as typed (for throttling, audit) */
	char    *addr;          /* client address */
	char    *source;        /* its source (db_throttle_source) */
	char    *client;        /* client program name, may be NULL */
	char    *password;      /* wiped and freed with the job */
	char    *pwhash;        /* crypto_pwhash_str string to verify against */
	char    *terminal;      /* terminal name from the login, or NULL */
	int64_t  terminal_territory; /* its territory when registered */
	const char *terminal_bad; /* why its proof is refused (static), or NULL */
	int      counted;       /* in the server's limits: release when done */
	int64_t  etag_reference;     /* the client's cached copies (login's */
	int64_t  etag_front_offices; /* params; 0 none, -1 not asked) */
	/* filled by the worker */
	int      match;         /* password matches pwhash */
};

/* Called on the loop thread for each finished job; it owns the job then. */
typedef void auth_done_fn(void *ud, struct auth_job *job);

struct srv_auth;

/*
 * Start `workers` threads with a queue of `queue_max` waiting jobs.  Makes
 * the dummy hash (one Argon2id hash, ~50 ms) here, at start.  On failure
 * *out is still set: release it with auth_stop.
 */
int  auth_start(struct srv_auth **out, struct ev_loop *loop, int workers,
    int queue_max, auth_done_fn *done, void *ud, struct hr_error *err);

/*
 * Stop: drop the jobs still waiting, let the workers finish the ones they
 * hold, join them, free what is left (no done callbacks are made).
 */
void auth_stop(struct srv_auth *a);

/*
 * Queue a job; the pool owns it from here (on success).  -1 with HR_E_BUSY
 * when the queue is full (the caller still owns the job).
 */
int  auth_submit(struct srv_auth *a, struct auth_job *job, struct hr_error *err);

/* A hash that no password matches, for unknown users (same cost). */
const char *auth_dummy_hash(const struct srv_auth *a);

/* Jobs queued, being verified or finished but not yet handed back. */
size_t auth_pending(const struct srv_auth *a);

struct auth_job *auth_job_new(void);
void auth_job_free(struct auth_job *job);   /* wipes the password */

#endif
