/*
 * dispatch.c — from a decrypted frame to a handler and back to a reply
 * (the checks and the handler: request.c; the reply: reply.c).
 *
 *   hr_rpc_decode (mpscan first: msgpack-c never sees unscanned bytes)
 *   -> find the method -> [savepoint or read transaction] session still
 *   good? -> logged in? -> role in the mask? -> params schema -> handler
 *   [release or roll back] -> reply (sent or held)
 *
 * A logged-in session is re-checked before every request, ping included
 * (session_check): the scope and role were fixed at login, so a disable,
 * a role or territory change, a new password, a logout elsewhere or a
 * revoked terminal must end it at once, not when the link drops.  The
 * check runs on the request's own database connection (below) so it
 * sees the same state as the handler; a session that fails it is logged
 * out (session_end) and the request answered HR_E_AUTH_NEEDED.
 *
 * Every refusal is an error reply to the request's msgid and the connection
 * stays usable; only a message that is not a request at all (no msgid to
 * answer) ends the connection.
 *
 * Which database connection a request gets (rq->db) follows the method
 * table's `writes` flag:
 *   - a writer runs on the loop on the WRITER connection, inside the group
 *     commit's batch and its own savepoint (commit.h).  While the writer is
 *     not available (a commit in flight on the commit thread, or another
 *     process holding the lock) the request is deferred whole -- its
 *     decrypted bytes (taken over from the connection, not copied: a
 *     scan's chunk is 200 KB) and its connection's id, since the
 *     connection may be gone when it runs -- and the connection hands over
 *     nothing more meanwhile, so its requests still run in the order they
 *     came (conn_wait; it reads ahead).  Checks run when the request
 *     runs, against the session as it is then.
 *   - a read-only method of a logged-in user goes to a query thread
 *     (query.h), which runs the same checks and the handler on its own
 *     read-only connection; the loop appends the read's audit records and
 *     holds the reply for their commit, or sends it at once if there are
 *     none.  The connection stops reading meanwhile, as above.
 *   - a big upload.chunk has its bytes hashed on a thread first (and,
 *     when it starts a file, written into a spare file: prehash.h) and
 *     comes back here with the hash, as a writer; a spare its handler
 *     did not keep is closed by whoever handed it in.
 *   - any other read-only method (ping, and a read before login, which is
 *     refused) runs here on the READER connection in a read transaction
 *     of its own.  Both kinds of read see committed data only, never a
 *     batch that is not on disk yet, and all their statements see the same
 *     state.
 */
#include "srvd/dispatch.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/filehash.h"
#include "proto/rpc.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/method_table.h"
#include "srvd/prehash.h"
#include "srvd/query.h"
#include "srvd/reply.h"
#include "srvd/request.h"
#include "srvd/server.h"
#include "srvd/session.h"

#define DISPATCH_DEFER 2     /* dispatch_run: wait for the writer */

/* A write request waiting for the writer (commit_defer). */
struct dispatch_deferred {
	uint64_t conn_id;
	size_t   len;
	uint8_t *msg;              /* the decrypted request, owned */
	int      hashed;           /* msg[off .. off + n) hashes to hash */
	size_t   off, n;
	uint8_t  hash[HR_FILE_HASH_LEN];
	int      spare;            /* ... written into it (prehash.h), owned */
	int      spare_errno;
};

static void dispatch_msg(struct conn *c, uint8_t **msg, size_t len,
    struct srv_hashed *h);

/* What a request runs with, besides the srv_req its handler sees. */
struct dispatch_ctx {
	const struct srv_method *me;
	const struct hr_msg     *m;
	const char              *ended;  /* session_check: why the session ended */
};

/* On rq->db in its transaction: the session, the checks, the handler. */
static int
dispatch_handle(struct srv_req *rq, struct dispatch_ctx *x,
    struct hr_error *err)
{
	return srv_request_handle(rq, x->me, x->m, rq->conn->terminal,
	    &x->ended, err);
}

/*
 * A read-only request on the reader, in one read transaction (a WAL
 * snapshot of what is committed).
 */
static int
dispatch_read(struct srv *srv, struct dispatch_ctx *x, struct srv_req *rq,
    struct hr_error *err)
{
	struct hr_error e;
	int rc;

	rq->db = srv->reader;
	if (db_begin_read(rq->db, err) < 0)
		return -1;
	rc = dispatch_handle(rq, x, err);
	hr_error_clear(&e);
	if (db_commit(rq->db, &e) < 0) {
		log_error("%s: %s", x->me->name, e.msg);
		db_rollback(rq->db);
	}
	return rc;
}

/*
 * Run the handler: a writer inside its savepoint of the batch, a reader on
 * the reader.  0, -1, SRV_ASYNC or DISPATCH_DEFER (nothing ran).
 */
static int
dispatch_run(struct conn *c, struct dispatch_ctx *x, struct srv_req *rq,
    struct hr_error *err)
{
	struct srv_commit *gc = &c->srv->commit;
	int rc;

	if (!x->me->writes)
		return dispatch_read(c->srv, x, rq, err);
	rc = commit_request_begin(gc, err);
	if (rc == COMMIT_DEFER)
		return DISPATCH_DEFER;
	if (rc < 0)
		return -1;
	rq->db = gc->db;
	rc = dispatch_handle(rq, x, err);
	commit_request_end(gc, rc >= 0 || rq->keep);
	return rc;
}

/*
 * A read of a logged-in user goes to a query thread (query.h); before
 * login there is nothing such a method may do, and the loop refuses it
 * at once.
 */
static int
dispatch_offloaded(const struct conn *c, const struct srv_method *me)
{
	return !me->writes && me->needs_login && c->sess.user_id != 0;
}

/* A decrypted request (a password, a ticket): wipe it. */
static void
dispatch_deferred_free(struct dispatch_deferred *d)
{
	if (d->msg != NULL) {
		sodium_memzero(d->msg, d->len);
		free(d->msg);
	}
	if (d->spare >= 0)
		close(d->spare);           /* unnamed: it vanishes */
	free(d);
}

static void
dispatch_replay(void *ud, void *arg)
{
	struct srv               *srv = ud;
	struct dispatch_deferred *d = arg;
	struct conn              *c = conn_table_find(&srv->conns, d->conn_id);

	if (c != NULL) {               /* else the client left: it never ran */
		c->waiting = 0;
		if (d->hashed) {        /* may defer it again */
			struct srv_hashed h = { d->msg + d->off, d->n, d->hash,
			    d->spare, d->spare_errno };

			d->spare = -1;  /* h's now: freed below if left */
			srv_dispatch_hashed(c, &d->msg, d->len, &h);
			d->spare = h.spare;
		} else
			srv_dispatch(c, &d->msg, d->len);
		if (!c->waiting)
			conn_resume(c);
	}
	dispatch_deferred_free(d);
}

static void
dispatch_drop(void *ud, void *arg)
{
	(void)ud;
	dispatch_deferred_free(arg);
}

/*
 * Queue a write request until the writer is free, taking its bytes over
 * (*msg becomes NULL), and stop handing over its connection's frames
 * meanwhile.  -1 when out of memory (answer it busy; *msg is the caller's
 * still).
 */
static int
dispatch_defer(struct conn *c, uint8_t **msg, size_t len,
    struct srv_hashed *h)
{
	struct dispatch_deferred *d = malloc(sizeof *d);

	if (d == NULL)
		return -1;
	d->conn_id = c->id;
	d->len = len;
	d->msg = *msg;
	d->hashed = h != NULL;
	d->spare = -1;
	d->spare_errno = 0;
	if (h != NULL) {
		d->off = (size_t)(h->at - *msg);
		d->n = h->n;
		memcpy(d->hash, h->hash, sizeof d->hash);
		d->spare_errno = h->spare_errno;
	}
	if (commit_defer(&c->srv->commit, dispatch_replay, dispatch_drop,
	    d) < 0) {
		free(d);
		return -1;
	}
	if (h != NULL) {                 /* the spare goes with it */
		d->spare = h->spare;
		h->spare = -1;
	}
	*msg = NULL;
	conn_wait(c);
	return 0;
}

/* Unknown method: name it (method names are printable ASCII). */
static int
dispatch_no_method(const struct hr_msg *m, struct hr_error *err)
{
	char name[HR_METHOD_MAX + 1];

	snprintf(name, sizeof name, "%.*s", (int)m->method_len, m->method);
	return hr_errorf(err, HR_E_NO_METHOD, "session.no_method",
	    "unknown method '{method}'", HR_STR("method", name));
}

static void
dispatch_request(struct conn *c, const struct hr_msg *m, uint8_t **msg,
    size_t len, struct srv_hashed *h)
{
	const msgpack_object     *vals[HR_SCHEMA_MAX_FIELDS];
	const struct srv_method  *me;
	struct srv_commit        *gc = &c->srv->commit;
	struct dispatch_ctx       x;
	struct srv_reply          r;
	struct srv_req            rq;
	struct hr_error           err;
	char                      where[CONN_WHERE_MAX];
	int64_t                   echo = 0;
	int                       rc, held;

	hr_error_clear(&err);
	me = srv_method_find(m->method, m->method_len);
	if (me != NULL && h == NULL && prehash_submit(c, m, msg, len))
		return;                  /* back hashed: srv_dispatch_hashed */
	if (me != NULL && me->writes && !commit_writer_ready(gc) &&
	    dispatch_defer(c, msg, len, h) == 0)
		return;
	srv_reply_init(&r);
	srv_reply_result(&r, m->msgid);
	rq = (struct srv_req){ c->srv, c, &c->sess, conn_where(c, where,
	    sizeof where), NULL, m->msgid, vals, &r.pk, 0, NULL, 0,
	    c->srv->uploads, c->srv->cfg, h, NULL };
	/* A save's echo follows its COMMIT on a query thread (app_echo.h). */
	if (me != NULL && me->writes && query_threaded(c->srv))
		rq.echo = &echo;
	x = (struct dispatch_ctx){ me, m, NULL };
	if (me == NULL)
		rc = dispatch_no_method(m, &err);
	else if (dispatch_offloaded(c, me))
		rc = query_submit(c->srv, c, me, m->msgid, *msg, len, &err) == 0 ?
		    SRV_ASYNC : -1;
	else
		rc = dispatch_run(c, &x, &rq, &err);
	if (x.ended != NULL)
		session_end(c->srv, c, x.ended);
	if (rc == DISPATCH_DEFER && dispatch_defer(c, msg, len, h) == 0)
		rc = SRV_ASYNC;
	else if (rc == DISPATCH_DEFER)
		rc = hr_errorf(&err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	if (rc == SRV_ASYNC) {
		msgpack_sbuffer_destroy(&r.sb);
		return;
	}
	held = rc == 0 && me->writes;
	if (rc < 0) {
		/* A write failed inside its savepoint: hold the error too, so
		 * replies of one connection keep the order of the commit. */
		held = me != NULL && me->writes && err.code != HR_E_BUSY &&
		    commit_batch_open(gc);
		srv_log(err.code == HR_E_INTERNAL ? SRV_LOG_ERROR : SRV_LOG_DEBUG,
		    "conn %llu: %.*s failed: %s: %s", (unsigned long long)c->id,
		    (int)m->method_len, m->method, hr_error_name(err.code), err.msg);
		srv_reply_error(&r, m->msgid, &err);
	} else
		log_debug("conn %llu: %s ok", (unsigned long long)c->id, me->name);
	/* A reply that claims nothing durable goes now, unless it would pass
	 * an earlier reply of its connection (method_table.h). */
	if (held && me->writes == SRV_WRITES_EARLY && c->held == 0)
		held = 0;
	/* Its echo comes after the COMMIT (srv_deliver): until the reply
	 * went, the connection hands over nothing more, so no later reply of
	 * its can pass this one.  Before the hold, which may commit now. */
	if (rc == 0 && echo != 0) {
		held = 1;                /* a write's: in the open batch */
		c->echo_app = echo;
		conn_wait(c);
	}
	srv_reply_finish(c->srv, c->id, m->msgid, &r, held);
}

void
srv_dispatch(struct conn *c, uint8_t **msg, size_t len)
{
	dispatch_msg(c, msg, len, NULL);
}

void
srv_dispatch_hashed(struct conn *c, uint8_t **msg, size_t len,
    struct srv_hashed *h)
{
	dispatch_msg(c, msg, len, h);
}

static void
dispatch_msg(struct conn *c, uint8_t **msg, size_t len,
    struct srv_hashed *h)
{
	msgpack_zone     zone;
	struct hr_msg    m;
	struct hr_error  err;
	struct srv_reply r;

	hr_error_clear(&err);
	msgpack_zone_init(&zone, 2048);
	if (hr_rpc_decode(*msg, len, &zone, &m, &err) == 0 &&
	    m.type == HR_MSG_REQUEST)
		dispatch_request(c, &m, msg, len, h);
	else if (m.type == HR_MSG_REQUEST) {
		log_debug("conn %llu: bad request %u: %s",
		    (unsigned long long)c->id, m.msgid, err.msg);
		srv_reply_init(&r);
		srv_reply_error(&r, m.msgid, &err);
		srv_reply_finish(c->srv, c->id, m.msgid, &r, 0);
	} else if (err.code != HR_OK)
		conn_fail(c, "undecodable message: %s", err.msg);
	else
		conn_fail(c, "client sent a message that is not a request "
		    "(type %d)", m.type);
	msgpack_zone_destroy(&zone);
}
