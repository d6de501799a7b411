/*
 * method_application_batch.c — `application.batch`: one workflow action
 * (check, return, send up) on a marked set of applications, row by row.
 *
 * Each row is exactly what `application.transition` would do for it
 * (transition.h: scope, the version the user saw, the workflow table, the
 * reason, the package), in a savepoint of its own: a row that is refused
 * leaves its application untouched, the others move; no application is
 * ever half-changed.  The client is never trusted: every row is checked
 * as if it came alone, and an id out of the user's scope is refused with
 * the same bytes as one that does not exist (no registration number is
 * returned for it).
 *
 * The work is cut into slices of about `batch_slice` (hromadad.conf(5)), so that a big
 * batch does not hold the loop (and every other clerk's request) for
 * seconds: the first slice runs in the request's own savepoint; when rows
 * remain, the connection stops reading (conn_wait), the client gets the
 * notification `progress` {msgid, done, total}, and the next slice runs as
 * deferred writer work in a later loop iteration, in its own savepoint of
 * whatever batch of the group commit is open then (commit.h) — after the
 * write requests that were waiting, and with the session re-checked before
 * each slice.  The reply, held for the group commit like any write's,
 * comes after the last slice: {moved, refused, rows}.  A slice of many
 * rows moves the summaries (status counts, report facts) once at its end
 * (db/batch_summaries.h), not row by row.  A client that
 * leaves meanwhile stops the batch; the rows moved so far stay moved
 * (each was complete, and audited).
 */
#include "srvd/method_table.h"
#include "srvd/batch.h"

#include <stdlib.h>
#include <string.h>

#include "db/batch_summaries.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "srvd/commit.h"
#include "srvd/conn.h"
#include "srvd/log.h"
#include "srvd/reply.h"
#include "srvd/request_audit.h"
#include "srvd/server.h"
#include "srvd/session.h"
#include "srvd/transition.h"

enum { P_ACTION, P_IDS, P_VERSIONS, P_REASON, P_PARTIAL, P__COUNT };

static const struct hr_field fields[P__COUNT] = {
	[P_ACTION]   = { "action",   HR_F_STR,   HR_F_REQUIRED, 0, 32 },
	[P_IDS]      = { "ids",      HR_F_ARRAY, HR_F_REQUIRED, 0, HR_BATCH_MAX },
	[P_VERSIONS] = { "versions", HR_F_ARRAY, HR_F_REQUIRED, 0, HR_BATCH_MAX },
	[P_REASON]   = { "reason",   HR_F_STR,   HR_F_NULLABLE, 0, 1000 },
	[P_PARTIAL]  = { "partial",  HR_F_BOOL,  HR_F_NULLABLE, 0, 0 },
};
const struct hr_schema method_application_batch_params = { fields, P__COUNT,
    0 };

/* Past this many bytes of rows, refusals go without their details (the
 * English message only), so the reply stays within one frame. */
#define BATCH_ROWS_SOFT  (640u * 1024u)
#define BATCH_ROW_SP     "batch_row"
#define BATCH_SLICE_SP   "batch_slice"

/* A slice that may move at least this many rows holds the summaries
 * (fewer: the per-row triggers cost less than the hold and its release). */
#define BATCH_HOLD_MIN   8

struct batch_job {
	struct srv       *srv;
	uint64_t          conn_id;
	uint32_t          msgid;
	int64_t           user_id;       /* the session that asked */
	int               action;        /* enum hr_action */
	char             *reason;        /* NULL: none */
	int               partial;
	ev_tstamp         slice;         /* seconds per slice (batch_slice) */
	ev_tstamp         started;       /* when its first slice began */
	int               slices;
	size_t            n, done, moved;
	int64_t          *ids, *versions;
	msgpack_sbuffer   rows;          /* the rows' results, packed */
	msgpack_packer    pk;
	int               queued;        /* in the group commit's queue */
	ev_timer          next;          /* the next slice, next iteration */
	struct batch_job *prev_job, *next_job;   /* srv->batches */
};

static void batch_run(void *ud, void *arg);

/* ---- the job ---- */

static void
batch_free(struct batch_job *b)
{
	if (b == NULL)
		return;
	if (b->srv != NULL) {
		ev_timer_stop(b->srv->loop, &b->next);
		if (b->prev_job != NULL)
			b->prev_job->next_job = b->next_job;
		else if (b->srv->batches == b)
			b->srv->batches = b->next_job;
		if (b->next_job != NULL)
			b->next_job->prev_job = b->prev_job;
	}
	msgpack_sbuffer_destroy(&b->rows);
	free(b->reason);
	free(b->ids);
	free(b->versions);
	free(b);
}

void
batch_free_all(struct srv *srv)
{
	struct batch_job *b, *next;

	/* Those in the commit queue are dropped by commit_free. */
	for (b = srv->batches; b != NULL; b = next) {
		next = b->next_job;
		if (!b->queued)
			batch_free(b);
	}
}

/*
 * ids and versions: as many of each, 1..HR_BATCH_MAX, whole numbers from
 * 1, no application twice.
 */
static int
batch_read_ids(const msgpack_object *ids, const msgpack_object *vers,
    struct batch_job *b, struct hr_error *err)
{
	size_t n = ids->via.array.size;

	if (n == 0 || n != vers->via.array.size)
		return hr_errorf(err, HR_E_PARAMS, "batch.ids",
		    "ids and versions must name the same 1 to {max} "
		    "applications, one version for each id",
		    HR_INT("max", HR_BATCH_MAX));
	if ((b->ids = calloc(n, sizeof *b->ids)) == NULL ||
	    (b->versions = calloc(n, sizeof *b->versions)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const msgpack_object *a = &ids->via.array.ptr[i];
		const msgpack_object *v = &vers->via.array.ptr[i];

		if (a->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    v->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
		    a->via.u64 < 1 || a->via.u64 > INT64_MAX ||
		    v->via.u64 < 1 || v->via.u64 > INT64_MAX)
			return hr_errorf(err, HR_E_PARAMS, "batch.id_value",
			    "ids and versions are whole numbers from 1 "
			    "(item {item})", HR_INT("item", (int64_t)i + 1));
		b->ids[i] = (int64_t)a->via.u64;
		b->versions[i] = (int64_t)v->via.u64;
	}
	b->n = n;
	return 0;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
batch_no_twice(const struct batch_job *b, struct hr_error *err)
{
	int64_t *s = malloc(b->n * sizeof *s);
	int rc = 0;

	if (s == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	memcpy(s, b->ids, b->n * sizeof *s);
	qsort(s, b->n, sizeof *s, id_cmp);
	for (size_t i = 1; i < b->n && rc == 0; i++)
		if (s[i] == s[i - 1])
			rc = hr_errorf(err, HR_E_PARAMS, "batch.twice",
			    "application id {id} is in the batch twice",
			    HR_INT("id", s[i]));
	free(s);
	return rc;
}

/* May the role ever do this action (some row of the workflow table)? */
static int
batch_role_may(int action, int role)
{
	const struct hr_transition *t;
	int n;

	t = hr_workflow_table(&n);
	for (int i = 0; i < n; i++)
		if (t[i].action == action && (t[i].roles & HR_ROLE_BIT(role)))
			return 1;
	return 0;
}

static int
batch_needs_reason(int action)
{
	const struct hr_transition *t;
	int n;

	t = hr_workflow_table(&n);
	for (int i = 0; i < n; i++)
		if (t[i].action == action && t[i].needs_reason)
			return 1;
	return 0;
}

/* The request as a job: everything checked that is the same for all rows. */
static struct batch_job *
batch_new(struct srv_req *rq, struct hr_error *err)
{
	struct batch_job *b;
	const struct hr_role_info *ri;
	int act;

	if ((act = transition_action(rq->vals[P_ACTION], err)) < 0)
		return NULL;
	if (!batch_role_may(act, rq->sess->role)) {
		ri = hr_role_info(rq->sess->role);
		hr_errorf(err, HR_E_FORBIDDEN, "batch.role_action",
		    "role {role} may not {action} applications",
		    HR_STR("role", ri ? ri->name : "?"),
		    HR_STR("action", hr_action_name(act)));
		return NULL;
	}
	if ((b = calloc(1, sizeof *b)) == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
		return NULL;
	}
	msgpack_sbuffer_init(&b->rows);
	msgpack_packer_init(&b->pk, &b->rows, msgpack_sbuffer_write);
	b->action = act;
	b->partial = hr_val_bool(rq->vals[P_PARTIAL], 0);
	b->reason = hr_val_strdup(rq->vals[P_REASON]);
	if (rq->vals[P_REASON] != NULL && b->reason == NULL)
		hr_error_set(err, HR_E_INTERNAL, "out of memory");
	else if (batch_needs_reason(act) && (b->reason == NULL ||
	    b->reason[strspn(b->reason, " \t\r\n")] == '\0'))
		hr_errorf(err, HR_E_INVALID, "transition.reason",
		    "a return needs the reason the next person reads"),
		    hr_error_at(err, "reason");
	else if (batch_read_ids(rq->vals[P_IDS], rq->vals[P_VERSIONS], b,
	    err) == 0 && batch_no_twice(b, err) == 0)
		return b;
	batch_free(b);
	return NULL;
}

/* ---- the rows ---- */

/*
 * One row in its own savepoint: [id, reg_no|nil, to|nil, error|nil].  A
 * refused row is rolled back whole.  -1 only when the savepoint itself
 * cannot be taken (the batch stops: the database is in trouble).
 */
static int
batch_row(struct srv_req *rq, struct batch_job *b, struct hr_error *err)
{
	struct transition_ask ask = { b->ids[b->done], b->versions[b->done],
	    b->action, b->reason, b->partial, "batch" };
	struct transition_done done;
	struct hr_error e, e2;
	int rc;

	if (db_savepoint(rq->db, BATCH_ROW_SP, err) < 0)
		return -1;
	hr_error_clear(&e);
	rc = transition_apply(rq, &ask, &done, &e);
	if (rc < 0)
		db_rollback_to(rq->db, BATCH_ROW_SP);
	hr_error_clear(&e2);
	if (db_release(rq->db, BATCH_ROW_SP, &e2) < 0)
		log_error("batch: release: %s", e2.msg);
	msgpack_pack_array(&b->pk, 4);
	msgpack_pack_int64(&b->pk, ask.id);
	hr_pack_str(&b->pk, done.reg_no[0] ? done.reg_no : NULL);
	if (rc == 0) {
		msgpack_pack_int(&b->pk, done.to);
		msgpack_pack_nil(&b->pk);
		b->moved++;
	} else {
		if (e.code == HR_E_INTERNAL)
			log_error("batch: application %lld: %s",
			    (long long)ask.id, e.msg);
		if (b->rows.size > BATCH_ROWS_SOFT)
			hr_error_drop_details(&e);
		msgpack_pack_nil(&b->pk);
		hr_rpc_pack_error_obj(&b->pk, &e);
	}
	b->done++;
	return 0;
}

/*
 * Rows for about b->slice seconds (at least one).  A slice that may move
 * many rows holds the summaries (db/batch_summaries.h): the status counts
 * and report facts move once at its end, from the history rows of the
 * rows that moved (a refused row's were rolled back with it), not ten to
 * twenty summary rows for each.  The hold lives and ends within the
 * slice, in the slice's own savepoint: if the summaries cannot be moved,
 * the slice's rows go back with them and the batch stops there.
 */
static int
batch_slice(struct srv_req *rq, struct batch_job *b, struct hr_error *err)
{
	ev_tstamp until = ev_time() + b->slice;
	int hold = b->slice > 0 && b->n - b->done >= BATCH_HOLD_MIN, rc = 0;
	struct hr_error e;

	b->slices++;
	if (hold && db_savepoint(rq->db, BATCH_SLICE_SP, err) < 0)
		return -1;
	if (hold && db_batch_summaries_hold(rq->db, 0, err) < 0) {
		db_rollback_to(rq->db, BATCH_SLICE_SP);
		hr_error_clear(&e);
		(void)db_release(rq->db, BATCH_SLICE_SP, &e);
		return -1;
	}
	do {
		if (batch_row(rq, b, err) < 0)
			rc = -1;
	} while (rc == 0 && b->done < b->n && ev_time() < until);
	if (!hold)
		return rc;
	hr_error_clear(&e);
	if (db_batch_summaries_release(rq->db, 0, &e) < 0) {
		/* rows without their summaries are not kept */
		db_rollback_to(rq->db, BATCH_SLICE_SP);
		if (rc == 0)
			*err = e;
		rc = -1;
	}
	hr_error_clear(&e);
	if (db_release(rq->db, BATCH_SLICE_SP, &e) < 0 && rc == 0) {
		*err = e;
		rc = -1;
	}
	return rc;
}

/* The audit of the whole batch, after its last row (and a log line:
 * how long it took, for the operator). */
static int
batch_audit(struct srv_req *rq, const struct batch_job *b,
    struct hr_error *err)
{
	char detail[160];

	log_info("application.batch %s by %s: %zu rows, %zu moved, %d "
	    "slices, %.0f ms", hr_action_name(b->action), rq->sess->user,
	    b->n, b->moved, b->slices, (ev_time() - b->started) * 1e3);

	snprintf(detail, sizeof detail, "%s: %zu asked, %zu moved, %zu refused",
	    hr_action_name(b->action), b->n, b->moved, b->n - b->moved);
	return srv_audit(rq, "application.batch", "applications", detail, err);
}

/* {moved, refused, rows} */
static void
batch_pack_result(msgpack_packer *pk, const struct batch_job *b)
{
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "moved", (int64_t)b->moved);
	hr_pack_kv_int(pk, "refused", (int64_t)(b->n - b->moved));
	hr_pack_str(pk, "rows");
	msgpack_pack_array(pk, (uint32_t)b->n);
	if (b->rows.size > 0)
		pk->callback(pk->data, b->rows.data, b->rows.size);
}

/* The notification `progress` {msgid, done, total}. */
static void
batch_progress(struct conn *c, const struct batch_job *b)
{
	struct conn_note n;
	msgpack_packer *pk = conn_note_begin(&n, HR_N_PROGRESS);

	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "msgid", b->msgid);
	hr_pack_kv_int(pk, "done", (int64_t)b->done);
	hr_pack_kv_int(pk, "total", (int64_t)b->n);
	(void)conn_note_send(c, &n);
}

/* ---- slices after the first ---- */

static void
batch_drop(void *ud, void *arg)
{
	struct batch_job *b = arg;

	(void)ud;
	log_warning("batch of %zu (conn %llu) stopped after %zu rows: the "
	    "server stops", b->n, (unsigned long long)b->conn_id, b->done);
	batch_free(b);
}

/* Next iteration: the slice now if the writer is free and nobody is
 * waiting for it, else behind those who are. */
static void
batch_next_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct batch_job *b = w->data;
	struct srv_commit *gc = &b->srv->commit;

	(void)loop;
	(void)revents;
	if (commit_writer_ready(gc) && gc->nqueued == 0) {
		batch_run(b->srv, b);
		return;
	}
	b->queued = 1;
	if (commit_defer(gc, batch_run, batch_drop, b) < 0) {
		b->queued = 0;
		ev_timer_start(b->srv->loop, &b->next);   /* try again */
	}
}

/* Answer the request (held for the commit when a batch is open) and read
 * the connection on. */
static void
batch_answer(struct batch_job *b, struct conn *c, const struct hr_error *err)
{
	struct srv_reply r;

	srv_reply_init(&r);
	if (err != NULL) {
		srv_reply_error(&r, b->msgid, err);
	} else {
		srv_reply_result(&r, b->msgid);
		batch_pack_result(&r.pk, b);
	}
	srv_reply_finish(b->srv, b->conn_id, b->msgid, &r,
	    commit_batch_open(&b->srv->commit));
	if (c != NULL)
		conn_resume(c);
}

/* Leave the rest for the next loop iteration; the client hears how far. */
static void
batch_later(struct batch_job *b, struct conn *c)
{
	batch_progress(c, b);
	ev_timer_set(&b->next, 0., 0.);
	ev_timer_start(b->srv->loop, &b->next);
}

/* One slice (commit_defer's work, or the timer's when the writer is free). */
static void
batch_run(void *ud, void *arg)
{
	struct srv        *srv = ud;
	struct batch_job  *b = arg;
	struct srv_commit *gc = &srv->commit;
	struct conn       *c = conn_table_find(&srv->conns, b->conn_id);
	char               where[CONN_WHERE_MAX];
	const char        *ended = NULL;
	struct hr_error    err;
	struct srv_req     rq;
	int                rc;

	b->queued = 0;
	if (c == NULL || c->sess.user_id != b->user_id) {
		log_warning("batch of %zu stopped after %zu rows: its "
		    "connection is gone", b->n, b->done);
		batch_free(b);
		return;
	}
	hr_error_clear(&err);
	rc = commit_request_begin(gc, &err);
	if (rc == COMMIT_DEFER) {
		b->queued = 1;
		if (commit_defer(gc, batch_run, batch_drop, b) == 0)
			return;
		b->queued = 0;
		rc = hr_errorf(&err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	}
	if (rc < 0) {
		batch_answer(b, c, &err);
		batch_free(b);
		return;
	}
	rq = (struct srv_req){ srv, c, &c->sess, conn_where(c, where,
	    sizeof where), gc->db, b->msgid, NULL, NULL, 0, NULL, 0,
	    srv->uploads, srv->cfg, NULL, NULL };
	rc = session_check(gc->db, &c->sess, c->terminal, &ended, &err);
	if (rc == 0)
		rc = batch_slice(&rq, b, &err);
	if (rc == 0 && b->done == b->n)
		rc = batch_audit(&rq, b, &err);
	commit_request_end(gc, 1);     /* the rows done stay done */
	if (ended != NULL)
		session_end(srv, c, ended);
	if (rc == 0 && b->done < b->n) {
		batch_later(b, c);
		return;
	}
	batch_answer(b, c, rc == 0 ? NULL : &err);
	batch_free(b);
}

/* ---- the request ---- */

int
method_application_batch(struct srv_req *rq, struct hr_error *err)
{
	struct batch_job *b;

	if ((b = batch_new(rq, err)) == NULL)
		return -1;
	b->msgid = rq->msgid;
	b->user_id = rq->sess->user_id;
	b->slice = rq->srv != NULL ? rq->srv->cfg->batch_slice / 1000.0 : 0.05;
	b->started = ev_time();
	if (batch_slice(rq, b, err) < 0) {
		batch_free(b);
		return -1;
	}
	if (b->done == b->n || rq->conn == NULL) {
		/* All of it in the first slice (or nobody to come back to:
		 * the rest is refused as not done). */
		if (b->done < b->n) {
			batch_free(b);
			return hr_error_set(err, HR_E_INTERNAL,
			    "a batch cannot run in slices here");
		}
		if (batch_audit(rq, b, err) == 0)
			batch_pack_result(rq->pk, b);
		batch_free(b);
		return err->code == HR_OK ? 0 : -1;
	}
	b->srv = rq->srv;
	b->conn_id = rq->conn->id;
	ev_timer_init(&b->next, batch_next_cb, 0., 0.);
	b->next.data = b;
	b->next_job = rq->srv->batches;
	if (b->next_job != NULL)
		b->next_job->prev_job = b;
	rq->srv->batches = b;
	conn_wait(rq->conn);
	batch_later(b, rq->conn);
	return SRV_ASYNC;
}
