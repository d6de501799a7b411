/*
 * commit.h — group commit: many write requests, one durable COMMIT.
 *
 * With synchronous=FULL every COMMIT is an fsync (~5.7k/s here, PITFALLS.md);
 * one per request would cap the server at that and make each clerk wait for
 * every other clerk's fsync.  Instead:
 *
 *   - the first write request of a loop iteration opens one shared
 *     transaction (BEGIN IMMEDIATE) lazily;
 *   - each write request runs inside its own SAVEPOINT, so a failing
 *     request is rolled back alone and the others keep their work;
 *   - its reply is *held*, not sent;
 *   - once per loop iteration, before the loop blocks (an ev_prepare
 *     watcher), the transaction is COMMITted and only then the held replies
 *     are released to their connections.  If COMMIT fails the whole batch is
 *     rolled back and every held reply becomes an HR_E_INTERNAL error.
 *
 * So a "saved" reply always means "on disk", and a batch of N requests costs
 * one fsync.  A batch is also committed early when it reaches batch_max.
 * Replies are addressed by connection id, never by pointer: a connection may
 * be gone by the time its reply is released, and then the reply is dropped.
 *
 * Read-only requests do not come here: their replies go out at once.
 */
#ifndef SRV_COMMIT_H
#define SRV_COMMIT_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#include "db/db.h"
#include "proto/error.h"

/*
 * Deliver one released reply.  `failed` is NULL when the batch is on disk
 * (send `data`), or the reason the batch was lost (send an error reply to
 * `msgid` instead).
 */
typedef void commit_deliver_fn(void *ud, uint64_t conn_id, uint32_t msgid,
    const uint8_t *data, size_t len, const struct hr_error *failed);

struct commit_held {
	uint64_t conn_id;
	uint32_t msgid;
	uint8_t *data;         /* the packed reply, owned */
	size_t   len;
};

struct srv_commit {
	struct hr_db       *db;
	int                 in_tx;       /* the shared transaction is open */
	int                 in_request;  /* a request's savepoint is open */
	struct commit_held *held;
	size_t              nheld, cap;
	size_t              batch_max;
	commit_deliver_fn  *deliver;
	void               *ud;
	struct ev_loop     *loop;
	ev_prepare          prepare;
	uint64_t            commits, requests;   /* counters for the log */
};

void commit_init(struct srv_commit *gc, struct hr_db *db, size_t batch_max,
    commit_deliver_fn *deliver, void *ud);
/* Commit before every block of `loop` (ev_prepare). */
void commit_watch(struct srv_commit *gc, struct ev_loop *loop);
/* Commits what is pending (replies delivered), stops the watcher. */
void commit_free(struct srv_commit *gc);

/*
 * Start one write request: open the shared transaction if needed, then the
 * request's savepoint.  -1 with err (HR_E_BUSY when the database is locked).
 */
int  commit_request_begin(struct srv_commit *gc, struct hr_error *err);
/* End it: keep its work (ok) or roll back just this request. */
void commit_request_end(struct srv_commit *gc, int ok);

/*
 * Hold a reply until the batch is durable; takes ownership of `data`
 * (malloc'd).  Commits at once when the batch reaches batch_max.
 */
void commit_hold(struct srv_commit *gc, uint64_t conn_id, uint32_t msgid,
    uint8_t *data, size_t len);

/*
 * COMMIT the shared transaction (if any) and release the held replies.
 * 0, or -1 when COMMIT failed (the batch was rolled back and the replies
 * were delivered as failures).  The ev_prepare watcher calls this.
 */
int  commit_flush(struct srv_commit *gc);

/* Nothing open and nothing held. */
int  commit_idle(const struct srv_commit *gc);

#endif
