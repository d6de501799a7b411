/*
 * pool.h — a few threads doing jobs off the event loop, and handing them
 * back to it.
 *
 * The loop must never wait: Argon2id (auth.c) costs ~50 ms a password, and
 * a read request (query.c) is a SQLite query that a big scope can make
 * slow.  A pool has `n` worker threads taking jobs from a bounded FIFO; a
 * full queue is refused at once rather than grown without bound.  Finished
 * jobs come back through an ev_async paired with a locked queue, which the
 * loop's callback drains completely (ev_async coalesces several sends into
 * one callback), in the order the workers finished them.
 *
 * A job is the caller's struct with a `struct pool_job` as its FIRST
 * member; the pool only links it.  Workers touch nothing but the job and
 * their own state (states[i] for thread i: a database connection, say).
 */
#ifndef SRV_POOL_H
#define SRV_POOL_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "proto/error.h"

struct pool_job {
	struct pool_job *next;
};

/* On worker thread i, with states[i]: do the job. */
typedef void pool_work_fn(void *state, struct pool_job *job);
/* On the loop thread: the job is done; the callee owns it from here. */
typedef void pool_done_fn(void *ud, struct pool_job *job);
/* At pool_stop: a job that will never be done (or handed back); free it. */
typedef void pool_drop_fn(struct pool_job *job);

struct srv_pool;

struct pool_desc {
	const char   *name;        /* for messages: "password", "query" */
	int           threads;     /* >= 1 */
	size_t        queue_max;   /* jobs waiting for a thread */
	pool_work_fn *work;
	pool_done_fn *done;
	pool_drop_fn *drop;
	void         *ud;          /* done's first argument */
	void        **states;      /* per thread; NULL: all NULL */
};

/*
 * Start the threads.  On failure *out may still be set: release it with
 * pool_stop (which joins the threads that did start).
 */
int  pool_start(struct srv_pool **out, struct ev_loop *loop,
    const struct pool_desc *d, struct hr_error *err);

/*
 * Stop: drop the jobs still waiting, let the threads finish the ones they
 * hold, join them, drop the finished ones not handed back (no done
 * callbacks are made).  NULL is fine.
 */
void pool_stop(struct srv_pool *p);

/* Queue a job (the pool owns it on success); -1 when the queue is full or
 * the pool stops (the caller still owns the job). */
int  pool_submit(struct srv_pool *p, struct pool_job *job);

/* Jobs the workers have taken so far (for the log at the end). */
uint64_t pool_taken(const struct srv_pool *p);

/* Jobs from submit until their done callback has run. */
size_t pool_pending(const struct srv_pool *p);

#endif
