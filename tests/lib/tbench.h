/*
 * tbench.h — what every benchmark under tests/bench times its runs with:
 * a clock in milliseconds, the comparator that sorts the samples, and
 * where their p99 lies once sorted.  Tests that wait by the clock
 * (test_linkemu) take the clock from here too.
 *
 * Header-only (static inline): the benchmarks link different libraries,
 * and two three-line functions are not worth a library of their own.
 */
#ifndef HR_TESTS_TBENCH_H
#define HR_TESTS_TBENCH_H

#include <time.h>

/* Clock `id` (CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, ...) in ms. */
static inline double
tb_clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort's comparator for doubles, ascending. */
static inline int
tb_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The index of the nearest-rank p99 among `n` (> 0) sorted samples. */
static inline int
tb_p99_index(int n)
{
	int i = (n * 99 + 99) / 100 - 1;

	return i < n ? i : n - 1;
}

#endif
