/*
 * test_pool.c — the worker pool (srvd/pool.c) that the password checks and
 * the read requests run on: every job is worked once on some thread with
 * that thread's own state and handed back once on the loop, in the order
 * the threads finished them; a full queue refuses at once; pending counts
 * from submit to the done callback; stop drops what waits and hands
 * nothing back.
 *
 * A gate holds the workers inside their work, so "the queue is full" and
 * "a job is in a thread" are states the test sets up rather than races.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <ev.h>

#include "srvd/pool.h"

#define THREADS 3

struct tjob {
	struct pool_job link;      /* first */
	int             n;
	int             worked;    /* times work ran on it */
	int             state;     /* the state of the thread that ran it */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t  open;
	int             gate;      /* workers wait while 0 */
	int             inside;    /* workers in work() */
	int             done, dropped;
	int             seen[256]; /* done callbacks per job number */
} T = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 1, 0, 0, { 0 } };

static int states[THREADS] = { 101, 102, 103 };

static void
work(void *state, struct pool_job *pj)
{
	struct tjob *j = (struct tjob *)pj;

	pthread_mutex_lock(&T.lock);
	T.inside++;
	while (!T.gate)
		pthread_cond_wait(&T.open, &T.lock);
	T.inside--;
	pthread_mutex_unlock(&T.lock);
	j->worked++;
	j->state = *(int *)state;
}

static void
done(void *ud, struct pool_job *pj)
{
	struct tjob *j = (struct tjob *)pj;

	assert_ptr_equal(ud, &T);
	assert_int_equal(j->worked, 1);
	assert_true(j->state >= 101 && j->state <= 103);
	T.seen[j->n]++;
	T.done++;
	free(j);
}

static void
drop(struct pool_job *pj)
{
	T.dropped++;
	free(pj);
}

static struct tjob *
job(int n)
{
	struct tjob *j = calloc(1, sizeof *j);

	assert_non_null(j);
	j->n = n;
	return j;
}

static void
gate(int open)
{
	pthread_mutex_lock(&T.lock);
	T.gate = open;
	pthread_cond_broadcast(&T.open);
	pthread_mutex_unlock(&T.lock);
}

/* Until `n` workers are inside work(), held by the gate (bounded: 10 s). */
static void
wait_inside(int n)
{
	int inside = 0;

	for (int i = 0; i < 10000 && inside != n; i++) {
		usleep(1000);
		pthread_mutex_lock(&T.lock);
		inside = T.inside;
		pthread_mutex_unlock(&T.lock);
	}
	assert_int_equal(inside, n);
}

/* Run the loop until `n` jobs came back (bounded: 10 s). */
static void
wait_done(struct ev_loop *loop, int n)
{
	for (int i = 0; i < 10000 && T.done < n; i++) {
		ev_run(loop, EVRUN_NOWAIT);
		usleep(1000);
	}
	assert_int_equal(T.done, n);
}

static struct srv_pool *
start(struct ev_loop *loop, size_t queue_max)
{
	void *st[THREADS] = { &states[0], &states[1], &states[2] };
	struct pool_desc d = { "test", THREADS, queue_max, work, done, drop,
	    &T, st };
	struct srv_pool *p;
	struct hr_error err;

	hr_error_clear(&err);
	assert_int_equal(pool_start(&p, loop, &d, &err), 0);
	return p;
}

static void
test_every_job_once(void **state)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct srv_pool *p = start(loop, 1000);

	(void)state;
	memset(T.seen, 0, sizeof T.seen);
	T.done = T.dropped = 0;
	for (int i = 0; i < 200; i++)
		assert_int_equal(pool_submit(p, &job(i)->link), 0);
	wait_done(loop, 200);
	for (int i = 0; i < 200; i++)
		assert_int_equal(T.seen[i], 1);
	assert_int_equal(pool_pending(p), 0);
	pool_stop(p);
	assert_int_equal(T.dropped, 0);
	ev_loop_destroy(loop);
}

static void
test_full_queue_and_stop(void **state)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct srv_pool *p = start(loop, 4);
	struct tjob *extra;
	int taken = 0;

	(void)state;
	T.done = T.dropped = 0;
	gate(0);
	/* THREADS jobs held inside the threads... */
	for (; taken < THREADS; taken++)
		assert_int_equal(pool_submit(p, &job(taken)->link), 0);
	wait_inside(THREADS);
	/* ... then 4 wait in the queue, and the next is refused at once (the
	 * caller still owns it). */
	for (; taken < THREADS + 4; taken++)
		assert_int_equal(pool_submit(p, &job(taken)->link), 0);
	extra = job(99);
	assert_int_equal(pool_submit(p, &extra->link), -1);
	free(extra);
	assert_int_equal((int)pool_pending(p), taken);
	/* Stop with the gate shut from another thread's point of view: open
	 * it so the held jobs finish; the waiting ones are dropped, and
	 * nothing is handed back (no done callbacks after stop). */
	gate(1);
	pool_stop(p);
	assert_int_equal(T.done, 0);
	assert_int_equal(T.dropped, taken);
	ev_loop_destroy(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_job_once),
		cmocka_unit_test(test_full_queue_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
