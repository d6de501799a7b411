/*
 * readaudit.c — the audit of reads, durable within a window (see
 * readaudit.h for the guarantee and the picture).
 *
 * Invariants:
 *   - PENDING and UNSAFE each hold groups in the order the reads were
 *     answered, and every UNSAFE group was appended before every PENDING
 *     one (a failed batch's groups go back to the head of PENDING);
 *   - an UNSAFE group's batch is the open batch or the one in flight:
 *     batches finish in order, so a finished batch's groups are a prefix.
 */
#include "srvd/readaudit.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "srvd/commit.h"
#include "srvd/log.h"
#include "srvd/server.h"
#include "srvd/request_audit.h"

/*
 * Read records wait in PENDING this long for a write to carry them
 * (ra_due): ~20 COMMITs a second for reads alone instead of one a loop
 * iteration.  A quarter of the window at most.
 */
#define READAUDIT_QUIET 0.05

/* The records of one read. */
struct ra_group {
	ev_tstamp             answered;   /* loop time of the reply */
	uint64_t              batch;      /* appended in it (UNSAFE only) */
	int64_t               user_id;
	char                 *user, *where;
	struct srv_audit_rec *list;
	struct ra_group      *next;
};

struct ra_list {
	struct ra_group *head, *tail;
	size_t           n;
};

struct srv_readaudit {
	struct srv      *srv;
	ev_tstamp        window;          /* seconds; 0: never early */
	ev_tstamp        quiet;           /* PENDING's wait for a write */
	ev_timer         due;             /* ... over: drain it */
	struct ra_list   pending, unsafe;
	int              draining;
	int              behind;          /* the window is exceeded (logged) */
	/* for the log at the end */
	uint64_t         early, held, requeued, dropped;
	ev_tstamp        worst;           /* answered -> on disk, the longest */
};

static void
ra_group_free(struct ra_group *g)
{
	free(g->user);
	free(g->where);
	srv_audit_free(g->list);
	free(g);
}

/* A list's shape: empty exactly when it has no head, no tail, no count. */
#define RA_LIST_OK(l) assert(((l)->head == NULL) == ((l)->tail == NULL) && \
	((l)->head == NULL) == ((l)->n == 0))

static void
ra_push(struct ra_list *l, struct ra_group *g)
{
	RA_LIST_OK(l);
	g->next = NULL;
	if (l->tail != NULL)
		l->tail->next = g;
	else
		l->head = g;
	l->tail = g;
	l->n++;
}

static struct ra_group *
ra_pop(struct ra_list *l)
{
	struct ra_group *g = l->head;

	RA_LIST_OK(l);
	if (g != NULL) {
		l->head = g->next;
		if (l->head == NULL)
			l->tail = NULL;
		l->n--;
		g->next = NULL;
	}
	return g;
}

/* Put all of `front` before `l`, keeping both orders; empties front. */
static void
ra_prepend(struct ra_list *l, struct ra_list *front)
{
	if (front->head == NULL)
		return;
	front->tail->next = l->head;
	if (l->tail == NULL)
		l->tail = front->tail;
	l->head = front->head;
	l->n += front->n;
	memset(front, 0, sizeof *front);
}

static void
ra_free_all(struct ra_list *l)
{
	struct ra_group *g;

	while ((g = ra_pop(l)) != NULL)
		ra_group_free(g);
}

/* The oldest answered read whose records are not on disk, or 0. */
static ev_tstamp
ra_oldest(const struct srv_readaudit *ra)
{
	ev_tstamp a = ra->unsafe.head ? ra->unsafe.head->answered : 0;
	ev_tstamp b = ra->pending.head ? ra->pending.head->answered : 0;

	if (a == 0 || (b != 0 && b < a))
		return b;
	return a;
}

/*
 * May PENDING go to the writer now?  Into a batch a write has opened,
 * always: it costs no COMMIT of its own.  Otherwise once its oldest read
 * has waited `quiet` (or the server stops): every COMMIT empties the page
 * caches of the query threads, which then read each page they touch from
 * the kernel again, and committing the records of reads once a loop
 * iteration made that nearly every read.  They wait here, in memory, not
 * in an open transaction: the database's write lock stays free for
 * hromadactl meanwhile.  Not yet: the timer is set for when.
 */
static int
ra_due(struct srv *srv, struct srv_readaudit *ra)
{
	ev_tstamp left;

	if (ra->pending.head == NULL)
		return 0;
	if (commit_batch_open(&srv->commit) || srv->stopping || ra->quiet <= 0)
		return 1;
	left = ra->pending.head->answered + ra->quiet - ev_now(srv->loop);
	if (left <= 0)
		return 1;
	if (!ev_is_active(&ra->due)) {
		ev_timer_set(&ra->due, left, 0.);
		ev_timer_start(srv->loop, &ra->due);
	}
	return 0;
}

/*
 * Append PENDING, oldest first, while the writer takes it: each group in a
 * savepoint of its own of the open batch, then UNSAFE.  Called first
 * whenever the writer is used (commit_first_fn), after each answer and
 * when the quiet time is over -- it appends only when due (ra_due).
 */
static void
ra_drain(void *ud)
{
	struct srv           *srv = ud;
	struct srv_readaudit *ra = srv->readaudit;
	struct ra_group      *g;
	struct hr_error       err;
	int                   rc;

	if (ra == NULL || ra->draining || !ra_due(srv, ra))
		return;
	ra->draining = 1;
	while ((g = ra->pending.head) != NULL) {
		hr_error_clear(&err);
		rc = session_audit_append(srv, g->user_id, g->user, g->where,
		    g->list, &err);
		if (rc == COMMIT_DEFER || (rc < 0 && err.code == HR_E_BUSY))
			break;                  /* the writer is busy: later */
		g = ra_pop(&ra->pending);
		if (rc < 0) {
			/* The database refuses a plain INSERT: retrying would
			 * spin; the reply is out, so say what is lost. */
			log_error("audit of a read by %s (%s) lost: %s", g->user,
			    g->list->action, err.msg);
			ra->dropped++;
			ra_group_free(g);
			continue;
		}
		g->batch = commit_batch_id(&srv->commit);
		/* UNSAFE in the order of the batches (see the invariants) */
		assert(ra->unsafe.tail == NULL ||
		    ra->unsafe.tail->batch <= g->batch);
		ra_push(&ra->unsafe, g);
	}
	ra->draining = 0;
}

/* A batch finished (commit_batch_fn): on disk, or rolled back. */
static void
ra_batch_done(void *ud, uint64_t batch, int ok)
{
	struct srv           *srv = ud;
	struct srv_readaudit *ra = srv->readaudit;
	struct ra_list        failed = { NULL, NULL, 0 };
	struct ra_group      *g;
	ev_tstamp             now;

	if (ra == NULL)
		return;
	now = ev_now(srv->loop);
	while ((g = ra->unsafe.head) != NULL && g->batch <= batch) {
		g = ra_pop(&ra->unsafe);
		if (ok) {
			if (now - g->answered > ra->worst)
				ra->worst = now - g->answered;
			ra_group_free(g);
		} else {
			ra->requeued++;
			ra_push(&failed, g);
		}
	}
	if (failed.n > 0)
		log_warning("%zu read audit records' commit failed: appending "
		    "them again", failed.n);
	ra_prepend(&ra->pending, &failed);
	if (ra->behind && ra_oldest(ra) == 0) {
		ra->behind = 0;
		log_info("the audit of reads is on disk again: reads are "
		    "answered at once");
	}
}

int
readaudit_early(const struct srv *srv)
{
	struct srv_readaudit *ra = srv->readaudit;
	ev_tstamp             oldest;

	if (ra == NULL || ra->window <= 0)
		return 0;
	oldest = ra_oldest(ra);
	if (oldest == 0 || ev_now(srv->loop) - oldest < ra->window)
		return 1;
	if (!ra->behind) {
		ra->behind = 1;
		log_warning("read audit records answered %.1f s ago are not on "
		    "disk yet (audit_read_window %.1f s): reads wait for the "
		    "disk until it catches up", ev_now(srv->loop) - oldest,
		    ra->window);
	}
	ra->held++;
	return 0;
}

int
readaudit_add(struct srv *srv, int64_t user_id, const char *user,
    const char *where, struct srv_audit_rec *list, struct hr_error *err)
{
	struct srv_readaudit *ra = srv->readaudit;
	struct ra_group      *g;

	if (list == NULL)
		return 0;
	if ((g = calloc(1, sizeof *g)) == NULL ||
	    (g->user = strdup(user ? user : "")) == NULL ||
	    (g->where = strdup(where ? where : "")) == NULL) {
		if (g != NULL) {
			free(g->user);
			free(g);
		}
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	g->answered = ev_now(srv->loop);
	g->user_id = user_id;
	g->list = list;
	ra_push(&ra->pending, g);
	ra->early++;
	if (commit_writer_ready(&srv->commit))
		ra_drain(srv);
	return 0;
}

int
readaudit_idle(const struct srv *srv)
{
	return srv->readaudit == NULL || srv->readaudit->pending.n == 0;
}

/* PENDING has waited long enough: to the writer, if it is free. */
static void
ra_due_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct srv *srv = w->data;

	(void)loop;
	(void)revents;
	if (commit_writer_ready(&srv->commit))
		ra_drain(srv);
}

int
readaudit_start(struct srv *srv, int window_ms, struct hr_error *err)
{
	struct srv_readaudit *ra = calloc(1, sizeof *ra);

	if (ra == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	ra->srv = srv;
	ra->window = window_ms / 1000.0;
	ra->quiet = ra->window / 4 < READAUDIT_QUIET ? ra->window / 4 :
	    READAUDIT_QUIET;
	ev_timer_init(&ra->due, ra_due_cb, 0., 0.);
	ra->due.data = srv;
	srv->readaudit = ra;
	commit_set_hooks(&srv->commit, ra_batch_done, ra_drain);
	if (window_ms > 0)
		srv_log_always("reads are answered before their audit record is "
		    "on disk, %d ms at most (audit_read_window)", window_ms);
	else
		srv_log_always("reads wait for their audit record's commit "
		    "(audit_read_window 0)");
	return 0;
}

void
readaudit_stop(struct srv *srv)
{
	struct srv_readaudit *ra = srv->readaudit;

	if (ra == NULL)
		return;
	commit_set_hooks(&srv->commit, NULL, NULL);
	ev_timer_stop(srv->loop, &ra->due);
	if (ra->early + ra->held > 0)
		log_info("audit of reads: %llu answered before their record was "
		    "on disk (the longest wait for the disk %.0f ms), %llu waited "
		    "for it (window exceeded), %llu appended again after a "
		    "failed commit", (unsigned long long)ra->early,
		    ra->worst * 1e3, (unsigned long long)ra->held,
		    (unsigned long long)ra->requeued);
	if (ra->pending.n + ra->unsafe.n + ra->dropped > 0)
		log_error("audit of reads: %zu records of answered reads were "
		    "never written (the database stayed locked or failed), %llu "
		    "lost earlier", ra->pending.n + ra->unsafe.n,
		    (unsigned long long)ra->dropped);
	ra_free_all(&ra->pending);
	ra_free_all(&ra->unsafe);
	free(ra);
	srv->readaudit = NULL;
}
