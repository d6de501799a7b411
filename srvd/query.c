/*
 * query.c — read requests on threads of their own (see query.h).
 */
#include "srvd/query.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/db.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "srvd/app_echo.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/method_table.h"
#include "srvd/pool.h"
#include "srvd/readaudit.h"
#include "srvd/reply.h"
#include "srvd/request.h"
#include "srvd/request_audit.h"
#include "srvd/server.h"
#include "srvd/session.h"

struct srv_query {
	struct srv_pool *pool;       /* NULL: reads run on the loop */
	struct hr_db   **readers;    /* one per thread */
	int              nreaders;
	uint64_t         misses;     /* the readers' page cache misses */
};

/* One read request, from the loop to a thread and back. */
struct query_job {
	struct pool_job          link;      /* first: the pool links through it */
	struct srv              *srv;
	uint64_t                 conn_id;
	uint32_t                 msgid;
	const struct srv_method *me;
	struct conn_session      sess;      /* a copy; sess.user owned */
	char                     terminal[sizeof ((struct conn *)0)->terminal];
	char                     where[CONN_WHERE_MAX];
	uint8_t                 *msg;       /* the decrypted request, wiped */
	size_t                   len;
	/* the outcome, from the thread */
	struct srv_reply         reply;
	int                      failed;    /* the reply is an error */
	struct hr_error          err;       /* ... this one (for the log) */
	const char              *ended;     /* the session ended: why */
	struct srv_audit_rec    *audit;     /* records for the loop to append */
	int64_t                  echo_id;   /* not a read: a save's echo
	                                       (query_echo) of this application */
};

static void
query_job_free(struct query_job *j)
{
	if (j == NULL)
		return;
	if (j->msg != NULL) {
		sodium_memzero(j->msg, j->len);
		free(j->msg);
	}
	free(j->sess.user);
	msgpack_sbuffer_destroy(&j->reply.sb);
	srv_audit_free(j->audit);
	free(j);
}

/* ---- on a query thread (or the loop when there are none) ---------------- */

/*
 * A save's echo (app_echo.h): its reply, held until the save was on disk,
 * gets its last two pairs read from what is committed now.  They are not
 * the save's to lose: should the read fail, they are nil (the client asks
 * for the case again), and the reply still says "saved".  The case's read
 * was audited by the save itself.
 */
static void
query_echo_work(struct query_job *j, struct hr_db *db)
{
	struct srv_req  rq;
	struct hr_error e;
	size_t          mark = j->reply.sb.size;
	int             rc;

	hr_error_clear(&e);
	rq = (struct srv_req){ NULL, NULL, &j->sess, j->where, db, j->msgid,
	    NULL, &j->reply.pk, 0, &j->audit, 0, j->srv->uploads, j->srv->cfg,
	    NULL, NULL };
	rc = db_begin_read(db, &e);
	if (rc == 0) {
		rc = app_echo_pack(&rq, j->echo_id, &j->reply.pk, 0, &e);
		db_rollback(db);             /* read only: nothing to keep */
	}
	if (rc < 0) {
		log_error("conn %llu: the echo of saved application %lld: %s",
		    (unsigned long long)j->conn_id, (long long)j->echo_id, e.msg);
		j->reply.sb.size = mark;
		hr_pack_str(&j->reply.pk, "journal");
		msgpack_pack_nil(&j->reply.pk);
		hr_pack_str(&j->reply.pk, "case");
		msgpack_pack_nil(&j->reply.pk);
	}
	srv_audit_free(j->audit);        /* none: application_case unaudited */
	j->audit = NULL;
}

/* The connection's page cache misses since the last call, into the
 * count for the log at the end (query_log_counts).  SQLite keeps them in
 * 32 bits: taken (and reset) after each request. */
static void
query_count_misses(struct srv *srv, struct hr_db *db)
{
	int cur = 0, high;

	if (srv->query != NULL && sqlite3_db_status(db->sql,
	    SQLITE_DBSTATUS_CACHE_MISS, &cur, &high, 1) == SQLITE_OK && cur > 0)
		__atomic_fetch_add(&srv->query->misses, (uint64_t)cur,
		    __ATOMIC_RELAXED);
}

static void
query_work(void *state, struct pool_job *pj)
{
	struct query_job      *j = (struct query_job *)pj;
	struct hr_db          *db = state;
	const msgpack_object  *vals[HR_SCHEMA_MAX_FIELDS];
	struct srv_req         rq;
	struct hr_error        e;
	msgpack_zone           zone;
	struct hr_msg          m;
	int                    rc;

	if (j->echo_id != 0) {
		query_echo_work(j, db);
		query_count_misses(j->srv, db);
		return;
	}
	hr_error_clear(&j->err);
	msgpack_zone_init(&zone, 2048);
	rq = (struct srv_req){ NULL, NULL, &j->sess, j->where, db, j->msgid,
	    vals, &j->reply.pk, 0, &j->audit, 0, j->srv->uploads, j->srv->cfg,
	    NULL, NULL };
	rc = hr_rpc_decode(j->msg, j->len, &zone, &m, &j->err);
	if (rc == 0)
		rc = db_begin_read(db, &j->err);
	if (rc == 0) {
		rc = srv_request_handle(&rq, j->me, &m, j->terminal, &j->ended,
		    &j->err);
		hr_error_clear(&e);
		if (db_commit(db, &e) < 0) {
			log_error("%s: %s", j->me->name, e.msg);
			db_rollback(db);
		}
	}
	if (rc < 0) {
		j->failed = 1;
		srv_reply_error(&j->reply, j->msgid, &j->err);
		if (!rq.keep) {
			srv_audit_free(j->audit);
			j->audit = NULL;
		}
	}
	msgpack_zone_destroy(&zone);
	sodium_memzero(j->msg, j->len);
	query_count_misses(j->srv, db);
}

/* ---- back on the loop ------------------------------------------------------ */

/* Send the reply now, or hold it for the group commit. */
static void
query_reply(struct query_job *j, int held)
{
	srv_reply_finish(j->srv, j->conn_id, j->msgid, &j->reply, held);
	msgpack_sbuffer_init(&j->reply.sb);      /* finish freed or took it */
}

/*
 * Append the job's audit records in a savepoint of the group commit and
 * hold its reply for that commit.  COMMIT_DEFER when the writer is busy
 * (nothing done); 0 when the reply was held or an error sent instead.
 */
static int
query_audit(struct query_job *j)
{
	struct srv_commit *gc = &j->srv->commit;
	struct hr_error    err;
	int                rc;

	hr_error_clear(&err);
	rc = session_audit_append(j->srv, j->sess.user_id, j->sess.user,
	    j->where, j->audit, &err);
	if (rc == COMMIT_DEFER)
		return COMMIT_DEFER;
	if (rc < 0 && !j->failed) {
		/* Not recorded, so not shown: the reply becomes the error. */
		log_error("conn %llu: %s: cannot append its audit record: %s",
		    (unsigned long long)j->conn_id, j->me->name, err.msg);
		j->failed = 1;
		srv_reply_error(&j->reply, j->msgid, &err);
	}
	/* Held while a batch is open, so this connection's replies keep the
	 * order of the commits (a refusal before any batch goes now). */
	query_reply(j, commit_batch_open(gc) && (rc == 0 ||
	    err.code != HR_E_BUSY));
	return 0;
}

/*
 * The reply: now, its audit records handed to readaudit.h to be made
 * durable within the window; or, while the disk is further behind than
 * that, after its records (held for their commit).
 */
static int
query_answer(struct query_job *j)
{
	struct hr_error err;

	if (j->failed)
		srv_log(j->err.code == HR_E_INTERNAL ? SRV_LOG_ERROR :
		    SRV_LOG_DEBUG, "conn %llu: %s failed: %s: %s",
		    (unsigned long long)j->conn_id, j->me->name,
		    hr_error_name(j->err.code), j->err.msg);
	if (j->audit != NULL && readaudit_early(j->srv) &&
	    readaudit_add(j->srv, j->sess.user_id, j->sess.user, j->where,
	    j->audit, &err) == 0)
		j->audit = NULL;                  /* taken */
	if (j->audit != NULL)
		return query_audit(j);
	query_reply(j, 0);
	return 0;
}

static void query_deferred_run(void *ud, void *arg);
static void query_deferred_drop(void *ud, void *arg);

/*
 * Finish a job on the loop; the connection reads on unless the job waits
 * for the writer (then it does when that ran).  Frees the job unless it
 * was deferred.
 */
static void
query_finish(struct query_job *j)
{
	struct conn *c = conn_table_find(&j->srv->conns, j->conn_id);

	if (c == NULL) {                /* the client left: nothing shown */
		query_job_free(j);
		return;
	}
	if (j->ended != NULL) {
		session_end(j->srv, c, j->ended);
		j->ended = NULL;           /* once, also when deferred below */
	}
	if (query_answer(j) == COMMIT_DEFER) {
		if (commit_defer(&j->srv->commit, query_deferred_run,
		    query_deferred_drop, j) == 0) {
			conn_wait(c);
			return;
		}
		j->failed = 1;
		hr_errorf(&j->err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
		srv_reply_error(&j->reply, j->msgid, &j->err);
		srv_audit_free(j->audit);
		j->audit = NULL;
		query_reply(j, 0);
	}
	query_job_free(j);
}

/* The writer is free now (commit_defer). */
static void
query_deferred_run(void *ud, void *arg)
{
	struct query_job *j = arg;
	struct srv       *srv = j->srv;
	uint64_t          id = j->conn_id;
	struct conn      *c = conn_table_find(&srv->conns, id);

	(void)ud;
	if (c != NULL)
		c->waiting = 0;
	query_finish(j);                /* frees j, or defers it again */
	if ((c = conn_table_find(&srv->conns, id)) != NULL && !c->waiting)
		conn_resume(c);
}

static void
query_deferred_drop(void *ud, void *arg)
{
	(void)ud;
	query_job_free(arg);
}

/* A thread finished a job (pool.h). */
static void
query_done(void *ud, struct pool_job *pj)
{
	struct query_job *j = (struct query_job *)pj;
	uint64_t          id = j->conn_id;
	struct srv       *srv = ud;
	struct conn      *c;

	if ((c = conn_table_find(&srv->conns, id)) != NULL) {
		c->waiting = 0;
		c->query_out = 0;
	}
	query_finish(j);
	if ((c = conn_table_find(&srv->conns, id)) != NULL && !c->waiting)
		conn_resume(c);
}

static void
query_drop(struct pool_job *pj)
{
	query_job_free((struct query_job *)pj);
}

/* ---- the module ------------------------------------------------------------- */

int
query_start(struct srv *srv, int threads, size_t queue_max,
    struct hr_error *err)
{
	struct srv_query *q = calloc(1, sizeof *q);
	struct pool_desc  d = { "query", threads, queue_max, query_work,
	    query_done, query_drop, srv, NULL };

	srv->query = q;
	srv->echo_run = query_echo;
	if (q == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	if (threads == 0) {
		srv_log_always("reads run on the event loop (query_threads 0)");
		return 0;
	}
	srv_log_always("reads run on %d query threads", threads);
	if ((q->readers = calloc((size_t)threads, sizeof *q->readers)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (; q->nreaders < threads; q->nreaders++)
		if (db_open(&q->readers[q->nreaders], srv->cfg->db,
		    HR_DB_READONLY, err) < 0)
			return -1;
	d.states = (void **)q->readers;
	return pool_start(&q->pool, srv->loop, &d, err);
}

/*
 * For the log at the end: the pages the query threads' connections did
 * not find in their page cache, a request -- read from the file (under
 * WAL every COMMIT empties a reader's cache at its next transaction) or
 * made for a temporary b-tree (ORDER BY, DISTINCT).  tests/load/README.md
 * has what pass 2 showed.
 */
static void
query_log_counts(const struct srv_query *q, uint64_t jobs)
{
	uint64_t miss = __atomic_load_n(&q->misses, __ATOMIC_RELAXED);

	if (jobs > 0)
		log_info("query threads: %llu requests, %llu page cache misses "
		    "(%.1f a request)", (unsigned long long)jobs,
		    (unsigned long long)miss, (double)miss / (double)jobs);
}

void
query_stop(struct srv *srv)
{
	struct srv_query *q = srv->query;
	uint64_t jobs;

	if (q == NULL)
		return;
	/* Read before pool_stop, which frees the pool (and drops the
	 * requests still queued: the count is final); the misses after it,
	 * once every thread is joined. */
	jobs = pool_taken(q->pool);
	pool_stop(q->pool);
	query_log_counts(q, jobs);
	for (int i = 0; i < q->nreaders; i++)
		db_close(q->readers[i]);
	free(q->readers);
	free(q);
	srv->query = NULL;
}

static struct query_job *
query_job_new(struct srv *srv, struct conn *c, const struct srv_method *me,
    uint32_t msgid, const uint8_t *msg, size_t len)
{
	struct query_job *j = calloc(1, sizeof *j);
	char where[CONN_WHERE_MAX];

	if (j == NULL)
		return NULL;
	srv_reply_init(&j->reply);
	srv_reply_result(&j->reply, msgid);
	j->srv = srv;
	j->conn_id = c->id;
	j->msgid = msgid;
	j->me = me;
	j->sess = c->sess;
	j->sess.user = c->sess.user ? strdup(c->sess.user) : NULL;
	memcpy(j->terminal, c->terminal, sizeof j->terminal);
	snprintf(j->where, sizeof j->where, "%s", conn_where(c, where,
	    sizeof where));
	j->msg = msg != NULL ? malloc(len) : NULL;
	j->len = len;
	if ((c->sess.user != NULL && j->sess.user == NULL) ||
	    (msg != NULL && j->msg == NULL)) {
		query_job_free(j);
		return NULL;
	}
	if (msg != NULL)
		memcpy(j->msg, msg, len);
	return j;
}

int
query_submit(struct srv *srv, struct conn *c, const struct srv_method *me,
    uint32_t msgid, const uint8_t *msg, size_t len, struct hr_error *err)
{
	struct srv_query *q = srv->query;
	struct query_job *j = query_job_new(srv, c, me, msgid, msg, len);

	if (j == NULL)
		return hr_errorf(err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	if (q->pool == NULL) {
		/* No threads: the same steps, here and now. */
		query_work(srv->reader, &j->link);
		query_finish(j);
		return 0;
	}
	if (pool_submit(q->pool, &j->link) < 0) {
		query_job_free(j);
		return hr_errorf(err, HR_E_BUSY, "server.queue_full",
		    "too many requests are waiting; try again in a moment");
	}
	conn_wait(c);
	c->query_out = 1;
	return 0;
}

int
query_threaded(const struct srv *srv)
{
	return srv->query != NULL && srv->query->pool != NULL;
}

size_t
query_pending(const struct srv *srv)
{
	return srv->query ? pool_pending(srv->query->pool) : 0;
}

/*
 * A save's reply is on disk: its echo on a query thread, then the reply
 * (app_echo.h).  Without threads (or with the queue full, or once they
 * stopped) on the loop's reader, now.
 */
void
query_echo(struct srv *srv, struct conn *c, uint32_t msgid,
    const uint8_t *data, size_t len, int64_t id)
{
	const struct srv_method *me = srv_method_find(HR_M_APPLICATION_SAVE,
	    strlen(HR_M_APPLICATION_SAVE));
	struct srv_query *q = srv->query;
	struct query_job *j = query_job_new(srv, c, me, msgid, NULL, 0);
	struct srv_reply  r;
	uint64_t          conn_id;

	if (j == NULL) {                 /* saved all the same: say so */
		log_error("conn %llu: out of memory for the echo of saved "
		    "application %lld", (unsigned long long)c->id,
		    (long long)id);
		srv_reply_init(&r);
		msgpack_sbuffer_write(&r.sb, (const char *)data, len);
		hr_pack_str(&r.pk, "journal");
		msgpack_pack_nil(&r.pk);
		hr_pack_str(&r.pk, "case");
		msgpack_pack_nil(&r.pk);
		srv_reply_finish(srv, c->id, msgid, &r, 0);
		conn_resume(c);
		return;
	}
	msgpack_sbuffer_clear(&j->reply.sb);
	msgpack_sbuffer_write(&j->reply.sb, (const char *)data, len);
	j->echo_id = id;
	if (q != NULL && q->pool != NULL && pool_submit(q->pool, &j->link) == 0) {
		c->query_out = 1;        /* c waits since the save (dispatch.c) */
		return;
	}
	conn_id = c->id;
	query_echo_work(j, srv->reader);
	query_finish(j);                 /* sends the reply, frees j */
	if ((c = conn_table_find(&srv->conns, conn_id)) != NULL)
		conn_resume(c);
}
