/*
 * auth.c — the password-verifying thread pool (see auth.h).
 *
 *   loop thread:  auth_submit -> todo queue ----> worker: verify
 *   loop thread:  async_cb <- done queue <-------  + ev_async_send
 *
 * One mutex guards both queues and the counters; verification itself runs
 * unlocked.  `pending` counts jobs from submit until the done callback has
 * run, so shutdown can wait for every login to be answered.
 */
#include "srvd/auth.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/users.h"
#include "srvd/log.h"

struct job_queue {
	struct auth_job *head, *tail;
	size_t           len;
};

struct srv_auth {
	pthread_mutex_t  lock;
	pthread_cond_t   wake;          /* todo became non-empty, or stop */
	struct job_queue todo, done;
	size_t           queue_max;
	size_t           pending;
	int              stop;
	pthread_t       *threads;
	int              nthreads;
	struct ev_loop  *loop;
	ev_async         async;
	auth_done_fn    *done_fn;
	void            *ud;
	char             dummy[128];
};

static void
queue_push(struct job_queue *q, struct auth_job *job)
{
	job->next = NULL;
	if (q->tail != NULL)
		q->tail->next = job;
	else
		q->head = job;
	q->tail = job;
	q->len++;
}

static struct auth_job *
queue_pop(struct job_queue *q)
{
	struct auth_job *job = q->head;

	if (job == NULL)
		return NULL;
	q->head = job->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->len--;
	job->next = NULL;
	return job;
}

struct auth_job *
auth_job_new(void)
{
	return calloc(1, sizeof(struct auth_job));
}

void
auth_job_free(struct auth_job *job)
{
	if (job == NULL)
		return;
	if (job->password != NULL) {
		sodium_memzero(job->password, strlen(job->password));
		free(job->password);
	}
	free(job->user);
	free(job->addr);
	free(job->client);
	free(job->pwhash);
	free(job->terminal);
	free(job);
}

static void *
auth_worker(void *arg)
{
	struct srv_auth *a = arg;
	struct auth_job *job;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (a->todo.head == NULL && !a->stop)
			pthread_cond_wait(&a->wake, &a->lock);
		if (a->stop || (job = queue_pop(&a->todo)) == NULL)
			break;
		pthread_mutex_unlock(&a->lock);
		job->match = crypto_pwhash_str_verify(job->pwhash,
		    job->password, strlen(job->password)) == 0;
		sodium_memzero(job->password, strlen(job->password));
		pthread_mutex_lock(&a->lock);
		queue_push(&a->done, job);
		ev_async_send(a->loop, &a->async);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* Hand every finished job back; ev_async may have coalesced many sends. */
static void
auth_async_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct srv_auth *a = w->data;
	struct job_queue q;

	pthread_mutex_lock(&a->lock);
	q = a->done;
	memset(&a->done, 0, sizeof a->done);
	pthread_mutex_unlock(&a->lock);
	for (struct auth_job *job = queue_pop(&q); job; job = queue_pop(&q)) {
		pthread_mutex_lock(&a->lock);
		a->pending--;
		pthread_mutex_unlock(&a->lock);
		a->done_fn(a->ud, job);
	}
}

/* The dummy: the hash of a random password nobody knows. */
static int
auth_make_dummy(struct srv_auth *a, struct hr_error *err)
{
	unsigned char rnd[16];
	char          pw[sizeof rnd * 2 + 1];

	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(pw, sizeof pw, rnd, sizeof rnd);
	if (db_password_hash(pw, a->dummy, err) < 0)
		return -1;
	sodium_memzero(pw, sizeof pw);
	return 0;
}

int
auth_start(struct srv_auth **out, struct ev_loop *loop, int workers,
    int queue_max, auth_done_fn *done, void *ud, struct hr_error *err)
{
	struct srv_auth *a = calloc(1, sizeof *a);

	if (a == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	a->queue_max = (size_t)queue_max;
	a->loop = loop;
	a->done_fn = done;
	a->ud = ud;
	ev_async_init(&a->async, auth_async_cb);
	a->async.data = a;
	ev_async_start(loop, &a->async);
	*out = a;
	if (auth_make_dummy(a, err) < 0)
		return -1;
	if ((a->threads = calloc((size_t)workers, sizeof *a->threads)) == NULL)
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	for (; a->nthreads < workers; a->nthreads++)
		if (pthread_create(&a->threads[a->nthreads], NULL, auth_worker, a))
			return hr_error_set(err, HR_E_INTERNAL, "cannot start "
			    "password worker thread %d", a->nthreads + 1);
	return 0;
}

void
auth_stop(struct srv_auth *a)
{
	struct auth_job *job;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = 1;
	while ((job = queue_pop(&a->todo)) != NULL)   /* nobody waits for them */
		auth_job_free(job);
	pthread_cond_broadcast(&a->wake);
	pthread_mutex_unlock(&a->lock);
	for (int i = 0; i < a->nthreads; i++)
		pthread_join(a->threads[i], NULL);
	while ((job = queue_pop(&a->done)) != NULL)
		auth_job_free(job);
	ev_async_stop(a->loop, &a->async);
	pthread_cond_destroy(&a->wake);
	pthread_mutex_destroy(&a->lock);
	sodium_memzero(a->dummy, sizeof a->dummy);
	free(a->threads);
	free(a);
}

int
auth_submit(struct srv_auth *a, struct auth_job *job, struct hr_error *err)
{
	pthread_mutex_lock(&a->lock);
	if (a->todo.len >= a->queue_max || a->stop) {
		pthread_mutex_unlock(&a->lock);
		return hr_error_set(err, HR_E_BUSY, "too many logins in progress; "
		    "try again in a few seconds");
	}
	queue_push(&a->todo, job);
	a->pending++;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	return 0;
}

const char *
auth_dummy_hash(const struct srv_auth *a)
{
	return a->dummy;
}

size_t
auth_pending(const struct srv_auth *a)
{
	size_t n;

	pthread_mutex_lock((pthread_mutex_t *)&a->lock);
	n = a->pending;
	pthread_mutex_unlock((pthread_mutex_t *)&a->lock);
	return n;
}
