/*
 * test_pace.c — the backup's pacer measures its OWN time (ctl/pace.h):
 * time it waited for a CPU is not work, so a backup starved of CPU by a
 * busy server does not then pause as if it had worked; and the
 * verification asks for the idle scheduling class; past its deadline, idle
 * work steps up to nice 19 (a machine never idle would starve it).
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
#include <sys/resource.h>
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

struct deadline_seen {
	int idle_before, idle_after, nice_after, stepped, idle_again;
};

static void *
deadline_thread(void *arg)
{
	struct deadline_seen *seen = arg;
	struct ctl_pace p;

	pace_init(&p, NULL);
	p.share = 1;
	pace_phase(&p, "verifying", 0);
	pace_enter_idle(&p);
#ifdef SCHED_IDLE
	seen->idle_before = sched_getscheduler(0) == SCHED_IDLE;
#endif
	pace_step(&p, 1, 0.0);           /* no deadline: stays */
	p.deadline = pace_now() - 1;     /* passed */
	pace_step(&p, 1, 0.0);
#ifdef SCHED_IDLE
	seen->idle_after = sched_getscheduler(0) == SCHED_IDLE;
#endif
	seen->nice_after = getpriority(PRIO_PROCESS, 0);
	seen->stepped = p.stepped;
	/* Idle work begun after the deadline starts at nice 19. */
	pace_enter_idle(&p);
#ifdef SCHED_IDLE
	seen->idle_again = sched_getscheduler(0) == SCHED_IDLE;
#endif
	return NULL;
}

/* On a thread of its own, as a backup's first part runs. */
static void
test_deadline_steps_up(void **state)
{
	struct deadline_seen seen = { 0, 0, 0, 0, 0 };
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, deadline_thread, &seen), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	fprintf(stderr, "# idle before the deadline: %d (root or "
	    "RLIMIT_NICE >= 1), after: %d at nice %d\n", seen.idle_before,
	    seen.idle_after, seen.nice_after);
	assert_int_equal(seen.idle_after, 0);
	assert_int_equal(seen.nice_after, 19);
	assert_int_equal(seen.stepped, 1);
	assert_int_equal(seen.idle_again, 0);
	if (geteuid() == 0)
		assert_int_equal(seen.idle_before, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_work_clock),
		cmocka_unit_test(test_wait_is_not_work),
		cmocka_unit_test(test_deadline_steps_up),
		cmocka_unit_test(test_idle_class),      /* last: lowers us */
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
