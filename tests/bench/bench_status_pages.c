/*
 * bench_status_pages.c — the journal filtered by one status at national
 * size, since migration 028 dropped the (scope, status) indexes (issue 17:
 * each was one more index entry rewritten by every status change).
 *
 *   bench_status_pages --db FILE [--runs N]
 *
 * Such a page now walks the scope's (scope, id, status, package) index
 * from the cursor and tests the status on each entry (db/journal.c), so
 * its cost is the entries passed over until `limit` rows are found.  For
 * the biggest territory of each scope (front office, hromada, back office,
 * oblast: status_counts) and every status, times db_journal_page — what
 * journal.list runs — for the first page (the newest 20) and for the
 * status's LAST page (the cursor just above its 20th-oldest application:
 * the walk goes on to the scope's oldest entry to learn that nothing
 * follows, the most a page of that status can pass over); with no more
 * than 20 of a status in the scope the first page is that walk.  The
 * bound of them all, a status absent from the scope (every entry passed
 * over), is timed as the same walk in SQL (SQLite folds away a page of a
 * status the filter's own list excludes).  Also
 * «не повідомлено» (answered, applicant not told: its partial index) and
 * the counts with a service filter (grouped along the same walk; they
 * read every application's row of the scope for its service, as they did
 * on the (scope, status) index before 028: not judged here).  Prints
 * per scope the median and the worst over the statuses of each page's
 * median, and the slowest page overall, wall and thread CPU time (ms),
 * beside the journal's target (p99 < 20 ms at 1M, issue 15).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db/db.h"
#include "db/journal.h"
#include "proto/roles.h"
#include "tests/lib/tbench.h"
#include "tests/lib/tdb.h"

#define RUNS_MAX 512
#define LIMIT 20

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_status_pages: %s: %s\n", what, msg);
	exit(1);
}

static int
count_row(void *ud, const struct db_journal_row *r)
{
	(void)r;
	++*(int *)ud;
	return 0;
}

/* One page or count, `runs` times after one to warm the cache: medians. */
static void
timed(struct hr_db *db, const struct db_journal_filter *f, int counts,
    int runs, double *wall, double *cpu, int *rows)
{
	static double w[RUNS_MAX], c[RUNS_MAX];
	struct hr_error err;
	int64_t next, kept[HR_ST__COUNT];

	for (int i = -1; i < runs; i++) {
		double t0 = tb_clock_ms(CLOCK_MONOTONIC);
		double c0 = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID);
		int rc;

		*rows = 0;
		rc = counts ? db_journal_counts(db, f, kept, &err) :
		    db_journal_page(db, f, count_row, rows, &next, &err);
		if (rc < 0)
			die("journal", err.msg);
		if (i >= 0) {
			w[i] = tb_clock_ms(CLOCK_MONOTONIC) - t0;
			c[i] = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		}
	}
	qsort(w, (size_t)runs, sizeof w[0], tb_cmp_double);
	qsort(c, (size_t)runs, sizeof c[0], tb_cmp_double);
	*wall = w[runs / 2];
	*cpu = c[runs / 2];
}

/* The walk of a page that finds nothing, `runs` times: medians. */
static void
walk_all(struct hr_db *db, const char *sql, int runs, double *wall,
    double *cpu)
{
	static double w[RUNS_MAX], c[RUNS_MAX];
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db->sql));
	sqlite3_bind_text(st, 1, "none", -1, SQLITE_STATIC);
	for (int i = -1; i < runs; i++) {
		double t0 = tb_clock_ms(CLOCK_MONOTONIC);
		double c0 = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID);

		if (sqlite3_step(st) != SQLITE_ROW ||
		    sqlite3_column_int64(st, 0) != 0)
			die(sql, "found something");
		sqlite3_reset(st);
		if (i >= 0) {
			w[i] = tb_clock_ms(CLOCK_MONOTONIC) - t0;
			c[i] = tb_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		}
	}
	sqlite3_finalize(st);
	qsort(w, (size_t)runs, sizeof w[0], tb_cmp_double);
	qsort(c, (size_t)runs, sizeof c[0], tb_cmp_double);
	*wall = w[runs / 2];
	*cpu = c[runs / 2];
}

struct worst {
	double wall, cpu;
	char   what[96];
};

static void
note(struct worst *w, double wall, double cpu, const char *scope,
    const char *what)
{
	if (wall > w->wall) {
		w->wall = wall;
		w->cpu = cpu;
		snprintf(w->what, sizeof w->what, "%s, %s", scope, what);
	}
}

static const struct {
	enum db_scope_col col;
	const char *kept;         /* status_counts.scope */
	const char *column;       /* applications' column */
	const char *walk;         /* its walk index (007) */
} scopes[] = {
	{ DB_SCOPE_FRONT_OFFICE, "front_office", "front_office_id",
	    "applications_front_walk" },
	{ DB_SCOPE_HROMADA, "hromada", "hromada_id", "applications_hromada_walk" },
	{ DB_SCOPE_SPSZN, "spszn", "spszn_id", "applications_spszn_walk" },
	{ DB_SCOPE_OBLAST, "oblast", "oblast_id", "applications_oblast_walk" },
};

int
main(int argc, char **argv)
{
	const char *path = NULL;
	int runs = 21;
	struct hr_db *db;
	struct hr_error err;
	struct worst all = { 0, 0, "" };
	char sql[512], l[128] = "";
	FILE *la;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--runs") == 0)
			runs = atoi(argv[i + 1]);
	}
	if (path == NULL || runs < 1 || runs > RUNS_MAX) {
		fprintf(stderr, "usage: bench_status_pages --db FILE "
		    "[--runs N (1..%d)]\n", RUNS_MAX);
		return 2;
	}
	if (db_open(&db, path, 0, &err) < 0)
		die(path, err.msg);
	if ((la = fopen("/proc/loadavg", "r")) != NULL) {
		if (fgets(l, sizeof l, la) == NULL)
			l[0] = '\0';
		l[strcspn(l, "\n")] = '\0';
		fclose(la);
	}
	printf("bench_status_pages: %s, %lld applications, load %s; medians "
	    "of %d runs, ms wall / thread CPU\n", path, (long long)tdb_int(db,
	    "SELECT sum(n) FROM status_counts WHERE scope = 'all'"), l, runs);
	for (size_t k = 0; k < sizeof scopes / sizeof scopes[0]; k++) {
		struct db_journal_filter f;
		double fw[HR_ST__COUNT], lw[HR_ST__COUNT], wall, cpu, uw, uc,
		    cw, cc, ww, wc;
		struct worst sw = { 0, 0, "" };
		int64_t id, size;
		int rows, ns = 0;

		snprintf(sql, sizeof sql, "SELECT territory_id FROM "
		    "status_counts WHERE scope = '%s' GROUP BY territory_id "
		    "ORDER BY sum(n) DESC LIMIT 1", scopes[k].kept);
		id = tdb_int(db, sql);
		snprintf(sql, sizeof sql, "SELECT sum(n) FROM status_counts "
		    "WHERE scope = '%s' AND territory_id = %lld",
		    scopes[k].kept, (long long)id);
		size = tdb_int(db, sql);
		memset(&f, 0, sizeof f);
		f.scope_col = scopes[k].col;
		f.scope_id = id;
		f.limit = LIMIT;
		for (int s = 0; s < HR_ST__COUNT; s++) {
			char what[64];
			int64_t before;

			f.status = s;
			f.before_id = 0;
			timed(db, &f, 0, runs, &wall, &cpu, &rows);
			fw[ns] = wall;
			snprintf(what, sizeof what, "%s first page",
			    hr_status_name(s));
			note(&sw, wall, cpu, "", what);
			/* the last page: from above its 20th-oldest */
			snprintf(sql, sizeof sql, "SELECT id + 1 FROM "
			    "applications INDEXED BY %s WHERE %s = %lld AND "
			    "status = '%s' ORDER BY id LIMIT 1 OFFSET %d",
			    scopes[k].walk, scopes[k].column, (long long)id,
			    hr_status_name(s), LIMIT - 1);
			before = tdb_int(db, sql);
			lw[ns] = fw[ns];
			if (before > 0) {
				f.before_id = before;
				timed(db, &f, 0, runs, &wall, &cpu, &rows);
				lw[ns] = wall;
				snprintf(what, sizeof what, "%s last page",
				    hr_status_name(s));
				note(&sw, wall, cpu, "", what);
			}
			ns++;
		}
		/* nothing found: the whole scope walked */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM applications "
		    "a INDEXED BY %s WHERE a.%s = %lld AND a.status = ?1 AND "
		    "a.id < 9223372036854775807", scopes[k].walk,
		    scopes[k].column, (long long)id);
		walk_all(db, sql, runs, &ww, &wc);
		note(&all, ww, wc, scopes[k].kept, "whole walk");
		/* «не повідомлено» and counts with a service filter */
		f.status = HR_ST_ANSWERED;
		f.before_id = 0;
		f.unnotified = 1;
		timed(db, &f, 0, runs, &uw, &uc, &rows);
		f.unnotified = 0;
		f.status = -1;
		f.service = "subsidy";
		timed(db, &f, 1, runs, &cw, &cc, &rows);
		qsort(fw, (size_t)ns, sizeof fw[0], tb_cmp_double);
		qsort(lw, (size_t)ns, sizeof lw[0], tb_cmp_double);
		printf("%-12s %6lld (%6lld apps): one status: first page median "
		    "%6.3f worst %6.3f; last page median %6.3f worst %6.3f "
		    "(%s: %.3f / %.3f CPU); nothing found (whole walk) %.3f / "
		    "%.3f; untold page %.3f / %.3f; counts with a service "
		    "%.3f / %.3f\n", scopes[k].kept,
		    (long long)id, (long long)size, fw[ns / 2], fw[ns - 1],
		    lw[ns / 2], lw[ns - 1], sw.what + 2, sw.wall, sw.cpu, ww,
		    wc, uw, uc, cw, cc);
		note(&all, sw.wall, sw.cpu, scopes[k].kept, sw.what + 2);
		note(&all, uw, uc, scopes[k].kept, "untold page");
	}
	printf("slowest page: %s %.3f ms wall / %.3f CPU (journal target: p99 < 20 "
	    "ms at 1M): %s\n", all.what, all.wall, all.cpu, all.wall < 20 ?
	    "within" : "OVER");
	db_close(db);
	return 0;
}
