/*
 * commit.c — group commit of write requests, committed on a thread of its
 * own (see commit.h for the why and for who may touch the writer when).
 *
 *   loop:   request -> [savepoint] handler -> hold reply ... prepare:
 *           (its files: commit_sync -> ahead ---> commit thread fsyncs them
 *           while idle)
 *           commit_start: held -> flight, inflight = 1, job = 1 ----+
 *   commit thread:  the files left, COMMIT (fsync) [ROLLBACK] <-----+
 *           checkpoint_committed: ask hr-ckpt for a PASSIVE checkpoint,
 *           or restart the log (checkpoint.h); done = 1, ev_async_send
 *   loop:   commit_async_cb: release flight (or fail it), inflight = 0,
 *           run the deferred work: it becomes the next batch
 *
 * Invariants (checked with assert in debug builds):
 *   - in_request implies in_tx: a savepoint lives inside the transaction;
 *   - inflight implies !in_tx && nheld == 0: nothing runs on the writer
 *     while the commit thread owns it, so no new batch can exist;
 *   - nheld > 0 implies in_tx: a held reply waits for a COMMIT that has
 *     not happened yet (a write request's error is held only in a batch);
 *   - replies are released in the order they were held, batch after batch,
 *     so the replies of one connection keep their order;
 *   - deferred work runs in the order it was deferred.
 */
#include "config.h"           /* _GNU_SOURCE: pthread_setname_np */

#include "srvd/commit.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "db/batch_summaries.h"
#include "srvd/checkpoint.h"
#include "proto/buf.h"
#include "srvd/log.h"

#define REQ_SAVEPOINT "req"

static void commit_replay_some(struct srv_commit *gc, size_t max);
#define commit_replay(gc) commit_replay_some((gc), SIZE_MAX)

/* The invariants above that hold between any two calls (loop thread). */
static void
commit_check(const struct srv_commit *gc)
{
	assert(!gc->in_request || gc->in_tx);
	assert(!gc->inflight || (!gc->in_tx && gc->nheld == 0));
	assert(gc->nheld == 0 || gc->in_tx);
	assert(gc->nheld <= gc->cap);
	assert((gc->qhead == NULL) == (gc->qtail == NULL));
	assert((gc->qhead == NULL) == (gc->nqueued == 0));
	(void)gc;
}

/* Seconds on the monotonic clock (the commit thread's busy time). */
static double
commit_clock(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- files to sync before COMMIT ---- */

/* fsync every descriptor in order and close them all; the first failure
 * fails the batch (its rows must not name files that are not on disk). */
static int
commit_syncs_run(struct commit_syncs *s, struct hr_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (rc == 0 && fsync(s->fd[i]) != 0)
			rc = hr_error_set(err, errno == ENOSPC || errno == EDQUOT ?
			    HR_E_NO_SPACE : HR_E_IO, "cannot sync a stored file: "
			    "%s", strerror(errno));
		close(s->fd[i]);
	}
	s->n = 0;
	return rc;
}

static void
commit_syncs_free(struct commit_syncs *s)
{
	for (size_t i = s->next; i < s->n; i++)
		close(s->fd[i]);
	free(s->fd);
	memset(s, 0, sizeof *s);
}

/*
 * Syncing ahead (threaded mode).  A file a request registers
 * (commit_sync) goes at once to `ahead`, and the commit thread, idle
 * while the loop builds the batch, fsyncs it then: the disk flushes the
 * first scans of a batch while the loop still runs its other requests.
 * Before COMMIT the commit thread syncs what is left (commit_ahead_drain);
 * a failure since the batch began fails the batch, as before.  The queue
 * holds only the open batch's files: requests do not run while a batch is
 * in flight, and a batch's COMMIT drains it first.
 */

/* With `lock` held: fsync the next queued file, unlocking meanwhile. */
static void
commit_ahead_one(struct srv_commit *gc)
{
	int fd = gc->ahead.fd[gc->ahead.next++], rc, e;
	double t0;

	gc->ahead_busy++;
	pthread_mutex_unlock(&gc->lock);
	t0 = commit_clock();
	rc = fsync(fd);
	e = errno;
	close(fd);
	t0 = commit_clock() - t0;
	pthread_mutex_lock(&gc->lock);
	gc->ahead_busy--;
	gc->synced_files++;
	gc->sync_s += t0;
	if (gc->sync_waiting && gc->ahead.next == gc->ahead.n &&
	    gc->ahead_busy == 0) {
		gc->sync_waiting = 0;    /* the batch may go: wake the loop */
		ev_async_send(gc->loop, &gc->async);
	}
	if (rc != 0 && !gc->ahead_failed) {
		gc->ahead_failed = 1;
		hr_error_set(&gc->ahead_err, e == ENOSPC || e == EDQUOT ?
		    HR_E_NO_SPACE : HR_E_IO, "cannot sync a stored file: %s",
		    strerror(e));
	}
	pthread_cond_broadcast(&gc->synced);
}

/*
 * Every file registered so far on disk, synced here or by the other
 * thread; then the queue starts anew.  -1 with err when one failed.  Call
 * without `lock`.
 */
static int
commit_ahead_drain(struct srv_commit *gc, struct hr_error *err)
{
	int rc = 0;

	pthread_mutex_lock(&gc->lock);
	for (;;) {
		if (gc->ahead.next < gc->ahead.n)
			commit_ahead_one(gc);
		else if (gc->ahead_busy > 0)
			pthread_cond_wait(&gc->synced, &gc->lock);
		else
			break;
	}
	if (gc->ahead_failed) {
		*err = gc->ahead_err;
		rc = -1;
	}
	gc->ahead_failed = 0;
	gc->ahead.n = gc->ahead.next = 0;
	pthread_mutex_unlock(&gc->lock);
	return rc;
}

/* A syncer (commit_set_syncers): fsync the open batch's files as they
 * come, beside the commit thread, until told to stop. */
static void *
commit_syncer(void *arg)
{
	struct srv_commit *gc = arg;

	(void)pthread_setname_np(pthread_self(), "hr-sync");
	pthread_mutex_lock(&gc->lock);
	for (;;) {
		if (gc->ahead.next < gc->ahead.n)
			commit_ahead_one(gc);
		else if (gc->stop)
			break;
		else
			pthread_cond_wait(&gc->sync_work, &gc->lock);
	}
	pthread_mutex_unlock(&gc->lock);
	return NULL;
}

/* ---- the commit thread ---- */

/*
 * SQLite's WAL hook, called by the connection that committed (whoever owns
 * the writer at that moment) with the WAL's length in pages.  Installing it
 * also replaces the automatic checkpoint.
 */
static int
commit_wal_hook(void *ud, sqlite3 *sql, const char *dbname, int frames)
{
	struct srv_commit *gc = ud;

	(void)sql;
	(void)dbname;
	gc->wal_frames = frames;
	return SQLITE_OK;
}

static void *
commit_thread(void *arg)
{
	struct srv_commit *gc = arg;
	struct hr_error    err;
	double             t0;
	int                rc;

	(void)pthread_setname_np(pthread_self(), "hr-commit");
	pthread_mutex_lock(&gc->lock);
	for (;;) {
		while (!gc->job && !gc->stop) {
			if (gc->ahead.next < gc->ahead.n)
				commit_ahead_one(gc);   /* sync ahead */
			else
				pthread_cond_wait(&gc->work, &gc->lock);
		}
		if (!gc->job)
			break;                  /* stop, and nothing to commit */
		pthread_mutex_unlock(&gc->lock);

		/* The writer is ours until done is set: the summaries the
		 * batch held move here, off the loop (batch_summaries.h). */
		t0 = commit_clock();
		hr_error_clear(&err);
		rc = commit_ahead_drain(gc, &err);
		rc = db_batch_summaries_end(gc->db, rc, &err);
		if (rc == 0)
			rc = db_commit(gc->db, &err);
		if (rc < 0)
			db_rollback(gc->db);
		t0 = commit_clock() - t0;
		/* The batch is on disk.  When a restart of the log follows --
		 * it may hold the writer 40-160 ms while it waits for readers
		 * -- the batch's replies go first: the loop releases them at
		 * `early` and still leaves the writer to us until `done`. */
		if (rc == 0 && checkpoint_restart_due(&gc->ckpt,
		    gc->wal_frames)) {
			pthread_mutex_lock(&gc->lock);
			gc->early = 1;
			pthread_mutex_unlock(&gc->lock);
			ev_async_send(gc->loop, &gc->async);
		}
		/* While no batch can begin: a restart of the log is safe
		 * now (checkpoint.h). */
		if (rc == 0)
			checkpoint_committed(&gc->ckpt, gc->wal_frames);

		pthread_mutex_lock(&gc->lock);
		gc->busy_s += t0;
		gc->job = 0;
		gc->done = 1;
		gc->result = rc;
		gc->result_err = err;
		pthread_cond_broadcast(&gc->finished);
		pthread_mutex_unlock(&gc->lock);
		ev_async_send(gc->loop, &gc->async);
		pthread_mutex_lock(&gc->lock);
	}
	pthread_mutex_unlock(&gc->lock);
	return NULL;
}

/* ---- releasing replies (loop thread) ---- */

/* Hand every reply of `held` to `deliver`, oldest first, and free them. */
static void
commit_release(struct srv_commit *gc, struct commit_held *held, size_t n,
    const struct hr_error *failed)
{
	for (size_t i = 0; i < n; i++) {
		/* In the order held, batch after batch: one connection's
		 * replies keep the order of its requests. */
		assert(held[i].seq == gc->released_seq + 1);
		gc->released_seq = held[i].seq;
		gc->deliver(gc->ud, held[i].conn_id, held[i].msgid,
		    held[i].data, held[i].len, failed);
		/* Login and resume replies carry a session ticket. */
		sodium_memzero(held[i].data, held[i].len);
		free(held[i].data);
	}
	free(held);
}

/*
 * A COMMIT's outcome: count it, tell the batch-done hook, release or fail
 * the batch's replies.
 */
static int
commit_outcome(struct srv_commit *gc, uint64_t batch, int rc,
    struct hr_error *err, struct commit_held *held, size_t n)
{
	if (gc->batch_done != NULL)
		gc->batch_done(gc->ud, batch, rc == 0);
	if (rc < 0) {
		gc->failures++;
		log_error("group commit of %zu replies failed, rolled back: %s",
		    n, err->msg);
		if (err->code == HR_E_NO_SPACE)
			hr_errorf(err, HR_E_NO_SPACE, "server.disk_full", "the "
			    "server's disk is full; the change was not saved");
		else
			hr_error_set(err, HR_E_INTERNAL, "the change could not "
			    "be saved; try again");
		commit_release(gc, held, n, err);
		return -1;
	}
	gc->commits++;
	commit_release(gc, held, n, NULL);
	return 0;
}

/*
 * The batch in flight is on disk and the commit thread restarts the log
 * now (commit_thread, `early`): its replies go out, the writer stays the
 * commit thread's until it is done.
 */
static void
commit_release_early(struct srv_commit *gc)
{
	struct commit_held *held = gc->flight;
	size_t              n = gc->nflight;

	gc->flight = NULL;
	gc->nflight = 0;
	gc->flight_out = 1;
	gc->early_batches++;
	(void)commit_outcome(gc, gc->batch_flight, 0, NULL, held, n);
}

/*
 * If the commit thread has finished, take its result and release the
 * batch in flight (unless it went early).  With `wait`, block until it
 * has.  1 when a batch was completed (0 or -1 in *rc), 0 when none was.
 */
static int
commit_complete(struct srv_commit *gc, int wait, int *rc)
{
	struct hr_error     err;
	struct commit_held *held;
	size_t              n;
	int                 result, early;

	if (!gc->inflight)
		return 0;
	pthread_mutex_lock(&gc->lock);
	while (wait && !gc->done)
		pthread_cond_wait(&gc->finished, &gc->lock);
	if (!gc->done) {
		early = gc->early;
		pthread_mutex_unlock(&gc->lock);
		if (early && !gc->flight_out)
			commit_release_early(gc);
		return 0;
	}
	gc->done = 0;
	gc->early = 0;
	result = gc->result;
	err = gc->result_err;
	pthread_mutex_unlock(&gc->lock);

	held = gc->flight;
	n = gc->nflight;
	gc->flight = NULL;
	gc->nflight = 0;
	gc->inflight = 0;                  /* the writer is the loop's again */
	if (gc->flight_out) {              /* answered before the restart */
		gc->flight_out = 0;
		*rc = 0;
	} else
		*rc = commit_outcome(gc, gc->batch_flight, result, &err, held,
		    n);
	commit_check(gc);
	return 1;
}

/* ev_async coalesces: one callback may stand for the only result there is
 * (one batch in flight at most), so taking it once drains everything. */
static void
commit_async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct srv_commit *gc = w->data;
	int                rc;

	(void)revents;
	if (commit_complete(gc, 0, &rc) && gc->qhead != NULL)
		ev_idle_start(loop, &gc->more);
}

/*
 * One chunk of deferred work per loop iteration while there is some and
 * the writer is free.  At EV_MAXPRI an idle watcher runs every iteration
 * however busy the loop is, and keeps the loop from blocking meanwhile.
 */
static void
commit_more_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct srv_commit *gc = w->data;

	(void)revents;
	commit_replay_some(gc, COMMIT_REPLAY_CHUNK);
	if (gc->qhead == NULL || gc->inflight || ev_is_active(&gc->retry))
		ev_idle_stop(loop, w);
}

/* ---- handing a batch over (loop thread) ---- */

/* Give the open batch to the commit thread; the writer is its from now. */
static void
commit_start(struct srv_commit *gc)
{
	assert(!gc->in_request && !gc->inflight && gc->threaded);
	if (!gc->in_tx) {
		/* Held replies without a transaction cannot happen; if they
		 * did, there is nothing to wait for. */
		commit_release(gc, gc->held, gc->nheld, NULL);
		gc->held = NULL;
		gc->nheld = gc->cap = 0;
		return;
	}
	gc->flight = gc->held;
	gc->nflight = gc->nheld;
	gc->held = NULL;
	gc->nheld = gc->cap = 0;
	gc->in_tx = 0;
	gc->batch_flight = gc->batch_open;
	gc->batch_open = 0;
	gc->waited_since = 0;
	ev_timer_stop(gc->loop, &gc->waited);
	gc->inflight = 1;
	commit_check(gc);
	pthread_mutex_lock(&gc->lock);
	gc->sync_waiting = 0;
	gc->job = 1;
	pthread_cond_signal(&gc->work);
	pthread_mutex_unlock(&gc->lock);
}

/*
 * Are files of the open batch still being fsync'd?  Then the sync thread
 * that finishes the last one wakes the loop (sync_waiting).
 */
static int
commit_syncing(struct srv_commit *gc)
{
	int busy;

	pthread_mutex_lock(&gc->lock);
	busy = gc->ahead.next < gc->ahead.n || gc->ahead_busy > 0;
	gc->sync_waiting = busy;
	pthread_mutex_unlock(&gc->lock);
	return busy;
}

/*
 * Does the open batch wait for its files' fsyncs, or for work on its way
 * (commit_set_wait)?  Not longer than wait_max from its first turn of
 * waiting (a timer wakes the loop then): under a steady stream there is
 * always some, and the batch's replies wait meanwhile.
 */
static int
commit_waits(struct srv_commit *gc, struct ev_loop *loop)
{
	ev_tstamp now;

	if (!gc->in_tx || gc->nheld >= gc->batch_max ||
	    (!(gc->wait != NULL && gc->wait(gc->ud, gc->batch_open)) &&
	    !commit_syncing(gc)))
		return 0;
	now = ev_now(loop);
	if (gc->waited_since == 0) {
		gc->waited_since = now;
		ev_timer_set(&gc->waited, gc->wait_max, 0);
		ev_timer_start(loop, &gc->waited);
	} else if (now - gc->waited_since >= gc->wait_max)
		return 0;
	gc->waits++;
	return 1;
}

/* The batch has waited long enough: a loop turn, whose prepare hands it
 * over. */
static void
commit_waited_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

/* End of a loop iteration: hand over what this iteration collected. */
static void
commit_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct srv_commit *gc = w->data;

	(void)revents;
	/* What must come first goes into this batch (readaudit.h). */
	if (gc->first != NULL && !gc->inflight && !ev_is_active(&gc->retry) &&
	    !gc->in_first) {
		gc->in_first = 1;
		gc->first(gc->ud);
		gc->in_first = 0;
	}
	/* Not while deferred work is still running in chunks: it belongs to
	 * this batch (batch_max hands over early anyway). */
	if ((gc->in_tx || gc->nheld > 0) && !gc->inflight &&
	    !ev_is_active(&gc->more) && !commit_waits(gc, loop))
		commit_start(gc);
}

/* ---- BEGIN while another process holds the lock ---- */

/* BEGIN succeeded: a new batch is open. */
static void
commit_opened(struct srv_commit *gc)
{
	gc->in_tx = 1;
	gc->batch_open = ++gc->batches;
	db_batch_summaries_begin(gc->db);
}

/* Answer everything waiting with HR_E_BUSY (commit_request_begin). */
static void
commit_give_up(struct srv_commit *gc)
{
	log_warning("the database has been locked by another program for "
	    "%.0f s: answering %zu waiting requests 'busy'", COMMIT_BUSY_GIVEUP,
	    gc->nqueued);
	gc->refusing = 1;
	commit_replay(gc);
	gc->refusing = 0;
}

static void
commit_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv_commit *gc = w->data;
	struct hr_error    err;

	(void)revents;
	hr_error_clear(&err);
	if (db_begin(gc->db, &err) == 0) {
		ev_timer_stop(loop, w);
		commit_opened(gc);
		srv_log(ev_now(loop) - gc->busy_since >= 1.0 ? SRV_LOG_INFO :
		    SRV_LOG_DEBUG, "the database is free again after %.2f s; "
		    "%zu write requests waited", ev_now(loop) - gc->busy_since,
		    gc->nqueued);
		commit_replay(gc);
		return;
	}
	if (err.code != HR_E_BUSY) {
		log_error("cannot begin a write transaction: %s", err.msg);
		ev_timer_stop(loop, w);
		commit_give_up(gc);
		return;
	}
	if (ev_now(loop) - gc->busy_since >= COMMIT_BUSY_GIVEUP) {
		ev_timer_stop(loop, w);
		commit_give_up(gc);
	}
}

/* ---- the interface ---- */

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
	ev_async_init(&gc->async, commit_async_cb);
	gc->async.data = gc;
	ev_timer_init(&gc->retry, commit_retry_cb, COMMIT_RETRY_INTERVAL,
	    COMMIT_RETRY_INTERVAL);
	gc->retry.data = gc;
	ev_timer_init(&gc->waited, commit_waited_cb, COMMIT_WAIT_MAX, 0);
	gc->waited.data = gc;
	gc->wait_max = COMMIT_WAIT_MAX;
	ev_idle_init(&gc->more, commit_more_cb);
	ev_set_priority(&gc->more, EV_MAXPRI);
	gc->more.data = gc;
	pthread_mutex_init(&gc->lock, NULL);
	pthread_cond_init(&gc->work, NULL);
	pthread_cond_init(&gc->finished, NULL);
	pthread_cond_init(&gc->synced, NULL);
	pthread_cond_init(&gc->sync_work, NULL);
}

void
commit_set_syncers(struct srv_commit *gc, size_t n)
{
	assert(!gc->threaded);
	gc->nsyncers = n < COMMIT_SYNCERS_MAX ? n : COMMIT_SYNCERS_MAX;
}

void
commit_set_wait(struct srv_commit *gc, commit_wait_fn *wait, double max_s)
{
	gc->wait = wait;
	gc->wait_max = max_s > 0 ? max_s : COMMIT_WAIT_MAX;
}

void
commit_set_hooks(struct srv_commit *gc, commit_batch_fn *batch_done,
    commit_first_fn *first)
{
	gc->batch_done = batch_done;
	gc->first = first;
}

/* The writer on the loop: wait briefly for locks, never checkpoint. */
static int
commit_configure_writer(struct srv_commit *gc, struct hr_error *err)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA busy_timeout=%d", COMMIT_BEGIN_WAIT_MS);
	if (db_exec(gc->db, sql, "writer busy timeout", err) < 0 ||
	    db_exec(gc->db, "PRAGMA wal_autocheckpoint=0", "writer "
	    "checkpoints", err) < 0 ||
	    db_batch_summaries_batches(gc->db, err) < 0)
		return -1;
	/* After wal_autocheckpoint: setting that would remove the hook. */
	sqlite3_wal_hook(gc->db->sql, commit_wal_hook, gc);
	return 0;
}

int
commit_watch(struct srv_commit *gc, struct ev_loop *loop, struct hr_db *ckpt,
    struct hr_error *err)
{
	if (commit_configure_writer(gc, err) < 0 ||
	    checkpoint_start(&gc->ckpt, gc->db, ckpt, err) < 0)
		return -1;
	gc->loop = loop;
	if (pthread_create(&gc->thread, NULL, commit_thread, gc) != 0) {
		gc->loop = NULL;
		checkpoint_stop(&gc->ckpt);
		return hr_error_set(err, HR_E_INTERNAL, "cannot start the "
		    "commit thread");
	}
	gc->threaded = 1;
	for (size_t i = 0; i < gc->nsyncers; i++)
		if (pthread_create(&gc->syncer[i], NULL, commit_syncer, gc) != 0) {
			log_warning("started %zu of %zu sync threads", i,
			    gc->nsyncers);
			gc->nsyncers = i;   /* fewer: the commit thread syncs too */
			break;
		}
	ev_set_priority(&gc->prepare, EV_MAXPRI);  /* before housekeeping */
	ev_prepare_start(loop, &gc->prepare);
	ev_async_start(loop, &gc->async);
	return 0;
}

/* Stop the thread once it has finished what it holds. */
static void
commit_stop_thread(struct srv_commit *gc)
{
	if (!gc->threaded)
		return;
	pthread_mutex_lock(&gc->lock);
	gc->stop = 1;
	pthread_cond_signal(&gc->work);
	pthread_cond_broadcast(&gc->sync_work);
	pthread_mutex_unlock(&gc->lock);
	pthread_join(gc->thread, NULL);
	for (size_t i = 0; i < gc->nsyncers; i++)
		pthread_join(gc->syncer[i], NULL);
	gc->nsyncers = 0;
	gc->threaded = 0;
}

void
commit_free(struct srv_commit *gc)
{
	struct commit_deferred *d;
	struct hr_error         err;
	int                     rc;

	assert(!gc->in_request);
	(void)commit_complete(gc, 1, &rc);   /* the batch in flight */
	if (gc->first != NULL && !ev_is_active(&gc->retry) && !gc->in_first) {
		gc->in_first = 1;                /* what comes first: now */
		gc->first(gc->ud);
		gc->in_first = 0;
	}
	commit_stop_thread(gc);              /* after its checkpoint */
	checkpoint_stop(&gc->ckpt);
	commit_flush(gc);                    /* the batch still open */
	if (gc->loop != NULL) {
		ev_prepare_stop(gc->loop, &gc->prepare);
		ev_async_stop(gc->loop, &gc->async);
		ev_timer_stop(gc->loop, &gc->retry);
		ev_timer_stop(gc->loop, &gc->waited);
		ev_idle_stop(gc->loop, &gc->more);
		gc->loop = NULL;
	}
	while ((d = gc->qhead) != NULL) {     /* never ran: nothing to answer */
		gc->qhead = d->next;
		if (d->drop != NULL)
			d->drop(gc->ud, d->arg);
		free(d);
	}
	gc->qtail = NULL;
	gc->nqueued = 0;
	hr_error_clear(&err);
	/* Leave a short WAL behind; a failure only costs disk space. */
	if (gc->commits > 0 && db_exec(gc->db, "PRAGMA wal_checkpoint(TRUNCATE)",
	    "checkpoint", &err) < 0)
		log_info("WAL not truncated at exit: %s", err.msg);
	if (gc->commits > 0)
		log_info("group commit: %llu commits of %llu write requests, "
		    "%llu failed; %llu files fsync'd in %.2f s; from "
		    "hand-over to COMMIT's end %.2f s; %llu loop turns a batch "
		    "waited for its fsyncs or work on its way; %llu batches "
		    "answered before a restart of the log",
		    (unsigned long long)gc->commits,
		    (unsigned long long)gc->requests,
		    (unsigned long long)gc->failures,
		    (unsigned long long)gc->synced_files, gc->sync_s, gc->busy_s,
		    (unsigned long long)gc->waits,
		    (unsigned long long)gc->early_batches);
	free(gc->held);
	gc->held = NULL;
	gc->nheld = gc->cap = 0;
	commit_syncs_free(&gc->syncs);
	commit_syncs_free(&gc->ahead);
	pthread_cond_destroy(&gc->sync_work);
	pthread_cond_destroy(&gc->synced);
	pthread_cond_destroy(&gc->finished);
	pthread_cond_destroy(&gc->work);
	pthread_mutex_destroy(&gc->lock);
}

/*
 * Deferred work waiting does not make the writer unavailable: while it
 * runs in chunks, a new request runs at once (no copy, no second decode).
 * The order that matters is kept anyway -- a connection with a deferred
 * request reads nothing more until it ran (conn_wait).
 */
int
commit_writer_ready(const struct srv_commit *gc)
{
	return !gc->inflight && !ev_is_active(&gc->retry);
}

int
commit_batch_open(const struct srv_commit *gc)
{
	return gc->in_tx;
}

uint64_t
commit_batch_id(const struct srv_commit *gc)
{
	return gc->in_tx ? gc->batch_open : 0;
}

/* BEGIN IMMEDIATE on the loop; another process's lock defers the work. */
static int
commit_begin(struct srv_commit *gc, struct hr_error *err)
{
	if (db_begin(gc->db, err) == 0) {
		commit_opened(gc);
		return 0;
	}
	if (err->code == HR_E_BUSY && gc->loop != NULL) {
		log_debug("the database is locked by another program: write "
		    "requests wait (retrying every %.0f ms)",
		    COMMIT_RETRY_INTERVAL * 1000);
		gc->busy_since = ev_now(gc->loop);
		ev_timer_again(gc->loop, &gc->retry);
		return COMMIT_DEFER;
	}
	log_warning("cannot begin a write transaction: %s", err->msg);
	return hr_errorf(err, HR_E_BUSY, "server.db_busy",
	    "the database is busy; try again");
}

int
commit_request_begin(struct srv_commit *gc, struct hr_error *err)
{
	int rc;

	assert(!gc->in_request);
	commit_check(gc);
	if (gc->refusing)
		return hr_errorf(err, HR_E_BUSY, "server.db_locked",
		    "the database is locked by another program; try again");
	if (!commit_writer_ready(gc))
		return COMMIT_DEFER;
	if (!gc->in_tx && (rc = commit_begin(gc, err)) != 0)
		return rc;
	if (gc->first != NULL && !gc->in_first) {
		gc->in_first = 1;
		gc->first(gc->ud);
		gc->in_first = 0;
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

	assert(gc->in_request && gc->in_tx && !gc->inflight);
	gc->in_request = 0;
	gc->requests++;
	if (!ok)
		db_rollback_to(gc->db, REQ_SAVEPOINT);
	if (db_release(gc->db, REQ_SAVEPOINT, &err) < 0)
		log_error("release savepoint: %s", err.msg);
	commit_check(gc);
}

int
commit_defer(struct srv_commit *gc, commit_work_fn *run, commit_work_fn *drop,
    void *arg)
{
	struct commit_deferred *d = malloc(sizeof *d);

	if (d == NULL)
		return -1;
	d->run = run;
	d->drop = drop;
	d->arg = arg;
	if (gc->replaying) {             /* back to the head: keep the order */
		d->next = gc->qhead;
		gc->qhead = d;
		if (gc->qtail == NULL)
			gc->qtail = d;
	} else {
		d->next = NULL;
		if (gc->qtail != NULL)
			gc->qtail->next = d;
		else
			gc->qhead = d;
		gc->qtail = d;
	}
	gc->nqueued++;
	commit_check(gc);
	return 0;
}

/*
 * Run deferred work, oldest first, while the writer stays free: each item
 * may run a request (which may fill the batch and hand it over, or find
 * the database locked); then the rest waits for the next completion.
 */
static void
commit_replay_some(struct srv_commit *gc, size_t max)
{
	struct commit_deferred *d;

	while (max-- > 0 && (d = gc->qhead) != NULL && !gc->inflight &&
	    (!ev_is_active(&gc->retry) || gc->refusing)) {
		gc->qhead = d->next;
		if (gc->qhead == NULL)
			gc->qtail = NULL;
		gc->nqueued--;
		gc->replaying = 1;
		d->run(gc->ud, d->arg);
		gc->replaying = 0;
		free(d);
	}
}

void
commit_hold(struct srv_commit *gc, uint64_t conn_id, uint32_t msgid,
    uint8_t *data, size_t len)
{
	struct commit_held *h;

	assert(!gc->in_request && !gc->inflight);
	if (gc->nheld == gc->cap) {
		size_t cap = gc->cap ? gc->cap * 2 : 16;

		h = realloc(gc->held, cap * sizeof *h);
		if (h == NULL) {
			/* Cannot wait: make this batch durable now instead. */
			log_error("out of memory holding a reply; committing early");
			commit_flush(gc);
			if (gc->nheld == gc->cap) {
				sodium_memzero(data, len);
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
	h->seq = ++gc->held_seq;
	commit_check(gc);
	if (gc->nheld < gc->batch_max)
		return;
	if (gc->threaded)
		commit_start(gc);
	else
		commit_flush(gc);
}

int
commit_flush(struct srv_commit *gc)
{
	struct commit_held *held;
	struct hr_error     err, ahead_err;
	uint64_t            batch;
	size_t              n;
	int                 rc = 0, frc;

	assert(!gc->in_request);
	commit_check(gc);
	if (commit_complete(gc, 1, &frc) && frc < 0)
		rc = -1;
	if (gc->qhead != NULL && gc->loop != NULL)
		ev_idle_start(gc->loop, &gc->more);   /* as commit_async_cb */
	if (!gc->in_tx && gc->nheld == 0)
		return rc;
	held = gc->held;
	n = gc->nheld;
	gc->held = NULL;
	gc->nheld = gc->cap = 0;
	if (!gc->in_tx) {                /* cannot happen (see invariants) */
		commit_release(gc, held, n, NULL);
		return rc;
	}
	gc->in_tx = 0;
	batch = gc->batch_open;
	gc->batch_open = 0;
	gc->waited_since = 0;
	if (gc->loop != NULL)
		ev_timer_stop(gc->loop, &gc->waited);
	hr_error_clear(&err);
	frc = commit_syncs_run(&gc->syncs, &err);
	hr_error_clear(&ahead_err);
	if (commit_ahead_drain(gc, &ahead_err) < 0 && frc == 0) {
		err = ahead_err;
		frc = -1;
	}
	frc = db_batch_summaries_end(gc->db, frc, &err);
	if (frc == 0)
		frc = db_commit(gc->db, &err);
	if (frc < 0)
		db_rollback(gc->db);
	return commit_outcome(gc, batch, frc, &err, held, n) < 0 ? -1 : rc;
}

/* Room for one more in s (the caller holds what guards it). */
static int
commit_syncs_room(struct commit_syncs *s)
{
	int *p = hr_grow(s->fd, &s->cap, s->n, sizeof *p, 16);

	if (p == NULL)
		return -1;
	s->fd = p;
	return 0;
}

int
commit_sync(struct srv_commit *gc, int fd, struct hr_error *err)
{
	int copy;

	if ((copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		log_warning("cannot keep a file for its sync: %s",
		    strerror(errno));
		return hr_errorf(err, HR_E_BUSY, "server.descriptors", "the "
		    "server has too many files open; try again");
	}
	return commit_sync_give(gc, copy, err);
}

int
commit_sync_give(struct srv_commit *gc, int copy, struct hr_error *err)
{
	int rc;

	assert(gc->in_request && !gc->inflight);
	if (!gc->threaded) {
		rc = commit_syncs_room(&gc->syncs);
		if (rc == 0)
			gc->syncs.fd[gc->syncs.n++] = copy;
	} else {                         /* the commit thread syncs it now */
		pthread_mutex_lock(&gc->lock);
		rc = commit_syncs_room(&gc->ahead);
		if (rc == 0) {
			gc->ahead.fd[gc->ahead.n++] = copy;
			pthread_cond_signal(&gc->work);
			pthread_cond_signal(&gc->sync_work);
		}
		pthread_mutex_unlock(&gc->lock);
	}
	if (rc < 0) {
		close(copy);
		return hr_errorf(err, HR_E_BUSY, "server.memory",
		    "the server is short of memory; try again");
	}
	return 0;
}

int
commit_idle(const struct srv_commit *gc)
{
	return !gc->in_tx && !gc->in_request && gc->nheld == 0 &&
	    !gc->inflight && gc->nqueued == 0;
}
