/*
 * bench_reports.c — how long a report takes at the server (issue 16
 * targets: any report for the whole country over a year < 200 ms p99 on
 * the 1,000,000-application database, one level of drill-down < 50 ms).
 *
 *   bench_reports --db FILE [--runs N] [--to YYYY-MM]
 *
 * Times db_report_build — exactly what report.get runs on a query thread —
 * for the country over the twelve months ending at --to (default: the
 * newest month with history), N times; then the report of every oblast (a
 * drill-down step) and of the busiest hromada.  Prints median and p99 in
 * milliseconds, of the wall clock and of the thread's CPU time (the latter
 * does not depend on how busy a shared machine is).  tests/bench/run-reports.sh prints beside it the same
 * totals counted by the sqlite3 shell straight from the history.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/reports.h"
#include "tests/lib/tbench.h"

static double cpu[4096];     /* CPU time of each run, beside the wall's */

static void
print_stats(const char *what, double *t, int n, double target)
{
	int p99 = tb_p99_index(n);

	qsort(t, (size_t)n, sizeof *t, tb_cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, tb_cmp_double);
	printf("%-30s runs %3d  wall median %7.2f p99 %7.2f ms | CPU median "
	    "%7.2f p99 %7.2f ms  (target p99 < %.0f ms)\n", what, n, t[n / 2],
	    t[p99], cpu[n / 2], cpu[p99], target);
}

static double
one(struct hr_db *db, int64_t id, int from, int to, int64_t *formed,
    int run)
{
	struct db_report r;
	struct hr_error err;
	double t0 = tb_clock_ms(CLOCK_MONOTONIC), c0 = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID);
	double t;

	hr_error_clear(&err);
	if (db_report_build(db, id, from, to, 0, &r, &err) < 0) {
		fprintf(stderr, "report %lld: %s\n", (long long)id, err.msg);
		exit(1);
	}
	t = tb_clock_ms(CLOCK_MONOTONIC) - t0;
	if (run >= 0 && run < 4096)
		cpu[run] = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
	if (formed)
		*formed = r.totals.n[DB_REP_FORMED];
	db_report_free(&r);
	return t;
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *to_s = NULL;
	int runs = 50, from, to, n = 0, y, m;
	struct hr_db *db = NULL;
	struct hr_error err;
	sqlite3_stmt *st;
	double *t;
	int64_t ids[64], formed = 0, busy = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to_s = argv[++i];
		else {
			fprintf(stderr, "usage: bench_reports --db FILE "
			    "[--runs N] [--to YYYY-MM]\n");
			return 2;
		}
	}
	if (path == NULL || runs < 1 || runs > 4096)
		return 2;
	hr_error_clear(&err);
	if (db_open(&db, path, 0, &err) < 0) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return 1;
	}
	if (to_s != NULL && sscanf(to_s, "%4d-%2d", &y, &m) == 2)
		to = y * 100 + m;
	else
		to = db_month_of(db_now());
	if (to_s == NULL && (st = db_prepare(db, "SELECT max(at) FROM "
	    "application_history", &err)) != NULL) {
		if (sqlite3_step(st) == SQLITE_ROW &&
		    sqlite3_column_type(st, 0) != SQLITE_NULL)
			to = db_month_of(sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
	}
	from = db_month_add(to, -11);
	printf("period %04d-%02d .. %04d-%02d\n", from / 100, from % 100,
	    to / 100, to % 100);
	if ((t = calloc((size_t)runs + 64, sizeof *t)) == NULL)
		return 1;
	one(db, 0, from, to, &formed, -1);      /* warm the cache */
	for (int i = 0; i < runs; i++)
		t[i] = one(db, 0, from, to, NULL, i);
	printf("country: %lld formed in the year\n", (long long)formed);
	print_stats("country, 12 months", t, runs, 200);

	st = db_prepare(db, "SELECT id FROM territories WHERE kind = "
	    "'oblast' ORDER BY id", &err);
	while (st != NULL && n < 64 && sqlite3_step(st) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	for (int r = 0, k = 0; r < runs; r++, k = (k + 1) % (n ? n : 1))
		t[r] = n ? one(db, ids[k], from, to, NULL, r) : 0;
	print_stats("oblast (drill-down one level)", t, runs, 50);

	st = db_prepare(db, "SELECT hromada_id FROM applications GROUP BY "
	    "hromada_id ORDER BY count(*) DESC LIMIT 1", &err);
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		busy = sqlite3_column_int64(st, 0);
	if (st != NULL)
		sqlite3_reset(st);
	for (int r = 0; r < runs; r++)
		t[r] = one(db, busy, from, to, NULL, r);
	print_stats("busiest hromada", t, runs, 50);
	free(t);
	db_close(db);
	return 0;
}
