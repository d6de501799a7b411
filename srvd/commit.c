/*
 * commit.c — group commit of write requests (see commit.h for the why).
 *
 * Invariants:
 *   - in_request implies in_tx: a savepoint lives inside the transaction;
 *   - nheld > 0 implies in_tx or a flush in progress: a held reply always
 *     waits for a COMMIT that has not happened yet;
 *   - replies are released in the order they were held.
 */
#include "srvd/commit.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "srvd/log.h"

#define REQ_SAVEPOINT "req"

static void
commit_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct srv_commit *gc = w->data;

	commit_flush(gc);
}

void
commit_init(struct srv_commit *gc, struct hr_db *db, size_t batch_max,
    commit_deliver_fn *deliver, void *ud)
{
	memset(gc, 0, sizeof *gc);
	gc->db = db;
	gc->batch_max = batch_max > 0 ? batch_max : 1;
	gc->deliver = deliver;
	gc->ud = ud;
	ev_prepare_init(&gc->prepare, commit_prepare_cb);
	gc->prepare.data = gc;
}

void
commit_watch(struct srv_commit *gc, struct ev_loop *loop)
{
	gc->loop = loop;
	ev_set_priority(&gc->prepare, EV_MAXPRI);  /* before housekeeping */
	ev_prepare_start(loop, &gc->prepare);
}

void
commit_free(struct srv_commit *gc)
{
	commit_flush(gc);
	if (gc->loop != NULL)
		ev_prepare_stop(gc->loop, &gc->prepare);
	free(gc->held);
	gc->held = NULL;
	gc->nheld = gc->cap = 0;
}

int
commit_request_begin(struct srv_commit *gc, struct hr_error *err)
{
	assert(!gc->in_request);
	if (!gc->in_tx) {
		if (db_begin(gc->db, err) < 0) {
			log_warning("cannot begin a write transaction: %s", err->msg);
			return hr_error_set(err, HR_E_BUSY, "the database is busy; "
			    "try again");
		}
		gc->in_tx = 1;
	}
	if (db_savepoint(gc->db, REQ_SAVEPOINT, err) < 0) {
		log_error("savepoint: %s", err->msg);
		return hr_error_set(err, HR_E_INTERNAL, "cannot start the request");
	}
	gc->in_request = 1;
	return 0;
}

void
commit_request_end(struct srv_commit *gc, int ok)
{
	struct hr_error err;

	assert(gc->in_request);
	gc->in_request = 0;
	gc->requests++;
	if (!ok)
		db_rollback_to(gc->db, REQ_SAVEPOINT);
	if (db_release(gc->db, REQ_SAVEPOINT, &err) < 0)
		log_error("release savepoint: %s", err.msg);
}

void
commit_hold(struct srv_commit *gc, uint64_t conn_id, uint32_t msgid,
    uint8_t *data, size_t len)
{
	struct commit_held *h;

	assert(!gc->in_request);
	if (gc->nheld == gc->cap) {
		size_t cap = gc->cap ? gc->cap * 2 : 16;

		h = realloc(gc->held, cap * sizeof *h);
		if (h == NULL) {
			/* Cannot wait: make this batch durable now instead. */
			log_error("out of memory holding a reply; committing early");
			commit_flush(gc);
			if (gc->nheld == gc->cap) {
				free(data);
				return;
			}
		} else {
			gc->held = h;
			gc->cap = cap;
		}
	}
	h = &gc->held[gc->nheld++];
	h->conn_id = conn_id;
	h->msgid = msgid;
	h->data = data;
	h->len = len;
	if (gc->nheld >= gc->batch_max)
		commit_flush(gc);
}

/* Hand every held reply to `deliver`, oldest first, and forget them. */
static void
commit_release(struct srv_commit *gc, const struct hr_error *failed)
{
	struct commit_held *held = gc->held;
	size_t n = gc->nheld;

	/* deliver may hold nothing new (no request runs), but be safe. */
	gc->held = NULL;
	gc->nheld = gc->cap = 0;
	for (size_t i = 0; i < n; i++) {
		gc->deliver(gc->ud, held[i].conn_id, held[i].msgid,
		    held[i].data, held[i].len, failed);
		free(held[i].data);
	}
	free(held);
}

int
commit_flush(struct srv_commit *gc)
{
	struct hr_error err;

	assert(!gc->in_request);
	hr_error_clear(&err);
	if (gc->in_tx) {
		gc->in_tx = 0;
		if (db_commit(gc->db, &err) < 0) {
			log_error("group commit of %zu replies failed, rolled "
			    "back: %s", gc->nheld, err.msg);
			db_rollback(gc->db);
			hr_error_set(&err, HR_E_INTERNAL, "the change could not "
			    "be saved; try again");
			commit_release(gc, &err);
			return -1;
		}
		gc->commits++;
	}
	if (gc->nheld > 0)
		commit_release(gc, NULL);
	return 0;
}

int
commit_idle(const struct srv_commit *gc)
{
	return !gc->in_tx && !gc->in_request && gc->nheld == 0;
}
