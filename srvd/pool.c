/*
 * pool.c — worker threads off the event loop (see pool.h).
 *
 *   loop thread:  pool_submit -> todo queue ----> worker: work(state, job)
 *   loop thread:  async_cb <- done queue <-------  + ev_async_send
 *
 * One mutex guards both queues and the counters; the work itself runs
 * unlocked.  `pending` counts jobs from submit until their done callback
 * has run, so a shutdown can wait until every request was answered.
 */
#include "config.h"           /* _GNU_SOURCE: pthread_setname_np */

#include "srvd/pool.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job_queue {
	struct pool_job *head, *tail;
	size_t           len;
};

struct srv_pool {
	struct pool_desc d;
	pthread_mutex_t  lock;
	pthread_cond_t   wake;          /* todo became non-empty, or stop */
	struct job_queue todo, done;
	size_t           pending;
	uint64_t         taken;         /* pool_taken */
	int              stop;
	pthread_t       *threads;
	int              nthreads;
	struct ev_loop  *loop;
	ev_async         async;
};

/* A worker's argument: its pool and its own state. */
struct pool_worker {
	struct srv_pool *p;
	void            *state;
};

/* A queue's shape: empty exactly when it has no head, no tail, no length. */
#define QUEUE_OK(q) assert(((q)->head == NULL) == ((q)->tail == NULL) && \
	((q)->head == NULL) == ((q)->len == 0))

static void
queue_push(struct job_queue *q, struct pool_job *job)
{
	QUEUE_OK(q);
	job->next = NULL;
	if (q->tail != NULL)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	q->len++;
}

static struct pool_job *
queue_pop(struct job_queue *q)
{
	struct pool_job *job = q->head;

	QUEUE_OK(q);
	if (job == NULL)
		return NULL;
	q->head = job->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->len--;
	job->next = NULL;
	return job;
}

static void *
pool_thread(void *arg)
{
	struct pool_worker *w = arg;
	struct srv_pool    *p = w->p;
	struct pool_job    *job;
	char                name[16];

	/* "hr-query", "hr-password": what top -H and perf show. */
	snprintf(name, sizeof name, "hr-%s", p->d.name);
	(void)pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->todo.head == NULL && !p->stop)
			pthread_cond_wait(&p->wake, &p->lock);
		if (p->stop || (job = queue_pop(&p->todo)) == NULL)
			break;
		p->taken++;
		pthread_mutex_unlock(&p->lock);
		p->d.work(w->state, job);
		pthread_mutex_lock(&p->lock);
		queue_push(&p->done, job);
		ev_async_send(p->loop, &p->async);
	}
	pthread_mutex_unlock(&p->lock);
	free(w);
	return NULL;
}

/* Hand every finished job back; ev_async may have coalesced many sends. */
static void
pool_async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct srv_pool *p = w->data;
	struct job_queue q;
	struct pool_job *job;

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&p->lock);
	q = p->done;
	memset(&p->done, 0, sizeof p->done);
	pthread_mutex_unlock(&p->lock);
	while ((job = queue_pop(&q)) != NULL) {
		pthread_mutex_lock(&p->lock);
		assert(p->pending > 0);     /* counted at submit, not yet done */
		p->pending--;
		pthread_mutex_unlock(&p->lock);
		p->d.done(p->d.ud, job);
	}
}

int
pool_start(struct srv_pool **out, struct ev_loop *loop,
    const struct pool_desc *d, struct hr_error *err)
{
	struct srv_pool *p = calloc(1, sizeof *p);

	*out = p;
	if (p == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	p->d = *d;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->loop = loop;
	ev_async_init(&p->async, pool_async_cb);
	p->async.data = p;
	ev_async_start(loop, &p->async);
	if ((p->threads = calloc((size_t)d->threads, sizeof *p->threads)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (; p->nthreads < d->threads; p->nthreads++) {
		struct pool_worker *w = malloc(sizeof *w);

		if (w == NULL)
			return hr_error_set(err, HR_E_INTERNAL, "out of memory");
		w->p = p;
		w->state = d->states ? d->states[p->nthreads] : NULL;
		if (pthread_create(&p->threads[p->nthreads], NULL, pool_thread,
		    w) != 0) {
			free(w);
			return hr_error_set(err, HR_E_INTERNAL, "cannot start "
			    "%s thread %d", d->name, p->nthreads + 1);
		}
	}
	return 0;
}

void
pool_stop(struct srv_pool *p)
{
	struct pool_job *job;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	while ((job = queue_pop(&p->todo)) != NULL)   /* nobody waits for them */
		p->d.drop(job);
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	while ((job = queue_pop(&p->done)) != NULL)
		p->d.drop(job);
	ev_async_stop(p->loop, &p->async);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p);
}

int
pool_submit(struct srv_pool *p, struct pool_job *job)
{
	pthread_mutex_lock(&p->lock);
	if (p->todo.len >= p->d.queue_max || p->stop) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	queue_push(&p->todo, job);
	p->pending++;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

uint64_t
pool_taken(const struct srv_pool *p)
{
	uint64_t n;

	if (p == NULL)
		return 0;
	pthread_mutex_lock((pthread_mutex_t *)&p->lock);
	n = p->taken;
	pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
	return n;
}

size_t
pool_pending(const struct srv_pool *p)
{
	size_t n;

	if (p == NULL)
		return 0;
	pthread_mutex_lock((pthread_mutex_t *)&p->lock);
	n = p->pending;
	pthread_mutex_unlock((pthread_mutex_t *)&p->lock);
	return n;
}
