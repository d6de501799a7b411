/*
 * bench_deadlines.c — the journal by the clock and deadline compliance at
 * the server, on a big database whose clocks gen_big made as the server's
 * transitions would (issue 17).
 *
 *   bench_deadlines --db FILE [--runs N] [--today YYYY-MM-DD]
 *
 * Times the very functions journal.list and report.get run on a query
 * thread — db_journal_page with the «прострочені» (late) and «спливає
 * строк» (expiring) filters and in clock order from a cursor in the
 * middle, db_journal_late (the cabinet's «Прострочено: N»), and
 * db_deadline_report — for the busiest hromada as its upo_otg sees it
 * (the statuses visible to the role) and for its back office; the report
 * also for the country.  "Today" is --today (default: the newest day of
 * the history, the day gen_big's data end), given to the functions as the
 * server gives db_today().  Prints, N runs each after one to warm the
 * cache, median and p99 in milliseconds of the wall clock and of the
 * thread's CPU time (the latter does not depend on how busy a shared
 * machine is), and the counts (rows of the pages, late cases) for
 * tests/bench/run-deadlines.sh to compare with the sqlite3 shell's.  The
 * labels are ASCII ("late page" is «прострочені», "expiring page"
 * «спливає строк») so that the columns line up.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/deadline_report.h"
#include "db/deadlines.h"
#include "db/journal.h"
#include "db/reports.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tests/lib/tbench.h"

#define RUNS_MAX 4096

static double wall[RUNS_MAX], cpu[RUNS_MAX];

static void
print_stats(const char *what, int n, long long count)
{
	int p99 = tb_p99_index(n);

	qsort(wall, (size_t)n, sizeof *wall, tb_cmp_double);
	qsort(cpu, (size_t)n, sizeof *cpu, tb_cmp_double);
	printf("%-34s %9lld  wall median %7.3f p99 %7.3f ms | CPU median "
	    "%7.3f p99 %7.3f ms\n", what, count, wall[n / 2], wall[p99],
	    cpu[n / 2], cpu[p99]);
}

static void
die(const char *what, const struct hr_error *err)
{
	fprintf(stderr, "bench_deadlines: %s: %s\n", what, err->msg);
	exit(1);
}

/* A page's rows: counted, and the last one's clock-order key. */
struct page {
	long long rows;
	int64_t   last_key;
};

static int
page_row(void *ud, const struct db_journal_row *r)
{
	struct page *p = ud;

	p->rows++;
	p->last_key = db_journal_clock_key(r->due, r->id);
	return 0;
}

enum what { W_LATE_PAGE, W_EXPIRING_PAGE, W_CLOCK_PAGE, W_LATE_COUNT };

static long long
one(struct hr_db *db, const struct db_journal_filter *base, enum what w,
    int64_t cursor)
{
	struct db_journal_filter f = *base;
	struct hr_error err;
	struct page p = { 0, 0 };
	int64_t next = 0, n = 0;

	hr_error_clear(&err);
	switch (w) {
	case W_LATE_PAGE:
	case W_EXPIRING_PAGE:
	case W_CLOCK_PAGE:
		f.clock = w == W_LATE_PAGE ? DB_CLOCK_LATE :
		    w == W_EXPIRING_PAGE ? DB_CLOCK_EXPIRING : DB_CLOCK_ANY;
		f.clock_order = 1;
		f.after_clock = w == W_CLOCK_PAGE ? cursor : 0;
		if (db_journal_page(db, &f, page_row, &p, &next, &err) < 0)
			die("journal page", &err);
		return p.rows;
	case W_LATE_COUNT:
		if (db_journal_late(db, &f, &n, &err) < 0)
			die("late count", &err);
		return n;
	}
	return 0;
}

static long long
timed(struct hr_db *db, const struct db_journal_filter *f, enum what w,
    int64_t cursor, int runs)
{
	long long got = one(db, f, w, cursor);    /* warm the cache */

	for (int i = 0; i < runs; i++) {
		double t0 = tb_clock_ms(CLOCK_MONOTONIC);
		double c0 = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID);

		(void)one(db, f, w, cursor);
		wall[i] = tb_clock_ms(CLOCK_MONOTONIC) - t0;
		cpu[i] = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
	}
	return got;
}

static long long
timed_report(struct hr_db *db, int64_t id, int from, int to, int32_t today,
    int runs)
{
	struct db_deadline_report d;
	struct hr_error err;
	long long late = 0;

	hr_error_clear(&err);
	for (int i = -1; i < runs; i++) {
		double t0 = tb_clock_ms(CLOCK_MONOTONIC);
		double c0 = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID);

		if (db_deadline_report(db, id, from, to, today, &d, &err) < 0)
			die("deadline report", &err);
		if (i >= 0) {
			wall[i] = tb_clock_ms(CLOCK_MONOTONIC) - t0;
			cpu[i] = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		}
		late = 0;
		for (int s = 0; s < 3; s++)
			late += d.stages[s].late + d.stages[s].running_late;
		db_deadline_report_free(&d);
	}
	return late;
}

static int64_t
query_int(struct hr_db *db, const char *sql, int64_t param)
{
	struct hr_error err;
	sqlite3_stmt *st;
	int64_t v = 0;

	hr_error_clear(&err);
	if ((st = db_prepare(db, sql, &err)) == NULL)
		die("prepare", &err);
	sqlite3_bind_int64(st, 1, param);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *today_s = NULL;
	int runs = 200, from, to;
	struct hr_db *db = NULL;
	struct hr_error err;
	struct hr_date d;
	struct db_journal_filter f;
	int64_t hromada, spszn, cursor, n;
	int32_t today;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc)
			today_s = argv[++i];
		else {
			fprintf(stderr, "usage: bench_deadlines --db FILE "
			    "[--runs N] [--today YYYY-MM-DD]\n");
			return 2;
		}
	}
	if (path == NULL || runs < 1 || runs > RUNS_MAX)
		return 2;
	hr_error_clear(&err);
	if (db_open(&db, path, 0, &err) < 0)
		die(path, &err);
	if (today_s != NULL) {
		if (hr_date_parse(today_s, strlen(today_s), NULL, &d, NULL) != 0) {
			fprintf(stderr, "bench_deadlines: --today %s: not a "
			    "date YYYY-MM-DD\n", today_s);
			return 2;
		}
		today = hr_date_to_days(&d);
	} else {
		today = db_day_of(query_int(db, "SELECT max(at) + 0 * ? FROM "
		    "application_history", 0));
	}
	to = db_month_of(query_int(db, "SELECT max(at) + 0 * ? FROM "
	    "application_history", 0));
	from = db_month_add(to, -11);
	hromada = query_int(db, "SELECT hromada_id FROM applications WHERE "
	    "? = 0 GROUP BY hromada_id ORDER BY count(*) DESC LIMIT 1", 0);
	spszn = query_int(db, "SELECT spszn_id FROM applications WHERE "
	    "hromada_id = ? LIMIT 1", hromada);
	hr_date_from_days(today, &d);
	printf("applications %lld, clocks %lld; today %04d-%02d-%02d; the "
	    "busiest hromada %lld: %lld applications, %lld with a clock\n",
	    (long long)query_int(db, "SELECT count(*) + 0 * ? FROM "
	    "applications", 0),
	    (long long)query_int(db, "SELECT count(*) + 0 * ? FROM "
	    "application_clocks", 0), d.y, d.m, d.d, (long long)hromada,
	    (long long)query_int(db, "SELECT count(*) FROM applications "
	    "WHERE hromada_id = ?", hromada),
	    (long long)query_int(db, "SELECT count(*) FROM applications "
	    "WHERE hromada_id = ? AND stage_due IS NOT NULL", hromada));

	memset(&f, 0, sizeof f);
	f.scope_col = DB_SCOPE_HROMADA;
	f.scope_id = hromada;
	f.status = -1;
	f.limit = 20;
	f.visible = hr_workflow_visible_mask(HR_ROLE_UPO_OTG);
	f.today = today;
	/* the cursor of the middle of the hromada's clock order */
	n = query_int(db, "SELECT count(*) FROM applications WHERE "
	    "hromada_id = ? AND stage_due IS NOT NULL", hromada);
	{
		char sql[256];
		sqlite3_stmt *st;

		snprintf(sql, sizeof sql, "SELECT stage_due, id FROM "
		    "applications WHERE hromada_id = ? AND stage_due IS NOT "
		    "NULL ORDER BY stage_due, id LIMIT 1 OFFSET %lld",
		    (long long)(n / 2));
		if ((st = db_prepare(db, sql, &err)) == NULL)
			die("prepare", &err);
		sqlite3_bind_int64(st, 1, hromada);
		cursor = sqlite3_step(st) == SQLITE_ROW ?
		    db_journal_clock_key(sqlite3_column_int(st, 0),
		    sqlite3_column_int64(st, 1)) : 0;
		sqlite3_reset(st);
	}

	printf("%-34s %9s\n", "at the server (db/journal.c)", "rows/n");
	print_stats("hromada: late page", runs,
	    timed(db, &f, W_LATE_PAGE, 0, runs));
	print_stats("hromada: expiring page", runs,
	    timed(db, &f, W_EXPIRING_PAGE, 0, runs));
	print_stats("hromada: clock order, mid cursor", runs,
	    timed(db, &f, W_CLOCK_PAGE, cursor, runs));
	print_stats("hromada: late count", runs,
	    timed(db, &f, W_LATE_COUNT, 0, runs));
	f.scope_col = DB_SCOPE_SPSZN;
	f.scope_id = spszn;
	f.visible = hr_workflow_visible_mask(HR_ROLE_SPSZN);
	print_stats("back office: late page", runs,
	    timed(db, &f, W_LATE_PAGE, 0, runs));
	print_stats("back office: late count", runs,
	    timed(db, &f, W_LATE_COUNT, 0, runs));
	printf("%-34s %9s\n", "deadline report (report.get)", "late");
	print_stats("hromada, 12 months", runs / 10 ? runs / 10 : 1,
	    timed_report(db, hromada, from, to, today, runs / 10 ? runs / 10 :
	    1));
	print_stats("country, 12 months", runs / 20 ? runs / 20 : 1,
	    timed_report(db, 0, from, to, today, runs / 20 ? runs / 20 : 1));
	printf("hromada_id %lld spszn_id %lld today %d cursor_due %lld "
	    "cursor_id %lld\n", (long long)hromada, (long long)spszn,
	    (int)today, (long long)(cursor >> DB_JOURNAL_CLOCK_SHIFT),
	    (long long)(cursor & ((1LL << DB_JOURNAL_CLOCK_SHIFT) - 1)));
	db_close(db);
	return 0;
}
