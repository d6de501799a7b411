/*
 * test_pace.c — the backup's pacer measures its OWN time (ctl/pace.h):
 * time it waited for a CPU is not work, so a backup starved of CPU by a
 * busy server does not then pause as if it had worked; and the
 * verification asks for the idle scheduling class.
 *
 * "Waiting for a CPU" is made here: two threads that never block, both
 * pinned to one CPU, so each runs about half the wall time and waits the
 * other half.  What is asserted is a bound that holds however loaded the
 * machine is (more load only means more waiting): a spinning thread's work
 * is at most a fraction of the wall time that passed.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "ctl/pace.h"

#define SPIN_S 0.3

static volatile int stop_spinning;

static void *
spinner(void *arg)
{
	(void)arg;
	while (!stop_spinning)
		;
	return NULL;
}

/* Can this thread see its own run-queue wait? */
static int
have_schedstat(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	if (f == NULL)
		return 0;
	fclose(f);
	return 1;
}

static void
test_wait_is_not_work(void **state)
{
	pthread_t other;
	cpu_set_t one;
	double w0, t0, w1, t1;

	(void)state;
	if (!have_schedstat())
		skip();
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
	assert_int_equal(pthread_setaffinity_np(pthread_self(), sizeof one,
	    &one), 0);
	assert_int_equal(pthread_create(&other, NULL, spinner, NULL), 0);
	assert_int_equal(pthread_setaffinity_np(other, sizeof one, &one), 0);
	w0 = pace_work_now();
	t0 = pace_now();
	while (pace_now() - t0 < SPIN_S)
		;
	w1 = pace_work_now();
	t1 = pace_now();
	stop_spinning = 1;
	pthread_join(other, NULL);
	/* Never more work than wall time; about half of it here. */
	assert_true(w1 - w0 <= t1 - t0 + 1e-3);
	assert_true(w1 - w0 < 0.8 * (t1 - t0));
}

/* Sleeping is not waiting for a CPU: a clock that only ever lags. */
static void
test_work_clock(void **state)
{
	double w0 = pace_work_now(), t0 = pace_now();

	(void)state;
	usleep(20000);
	assert_true(pace_work_now() >= w0);
	assert_true(pace_work_now() - w0 <= pace_now() - t0 + 1e-3);
}

static void
test_idle_class(void **state)
{
	(void)state;
	pace_idle_class();
#ifdef SCHED_IDLE
	assert_int_equal(sched_getscheduler(0), SCHED_IDLE);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_work_clock),
		cmocka_unit_test(test_wait_is_not_work),
		cmocka_unit_test(test_idle_class),      /* last: lowers us */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
