/*
 * bench_dat.c — *.DAT export and import of a 10,000-application batch at
 * the server, on a big database (issue 17 target: each < 2 s on the
 * 1,000,000-application database), beside the raw SQLite insert rate
 * measured in the same run on the same file.
 *
 *   bench_dat --db FILE [--apps N] [--system S] [--cache-mib M]
 *             [--mmap-mib M] [--plans 1] [--verify 1] [--trees 1]
 *
 * FILE is a COPY this program may change (tests/bench/run-dat.sh makes
 * one): N applications (default 10,000) of system S (default asopd) of
 * the back office that has most of them are made `checked` (others of S
 * are moved into its territory when it has too few), untimed.  Then, timed, what the
 * server runs for dat.export and dat.import (db/dat_export.h,
 * db/dat_import.h, in their own transactions, each file one request, the
 * audit records written as the server writes them): export until nothing
 * is checked (DB_DAT_EXPORT_MAX a file), then import an answer to every
 * file (made here, untimed, as the decision system would).  The raw rate:
 * N rows of the shape of a history row inserted by one prepared statement
 * in one transaction, committed (synchronous=FULL, WAL, as hromadad
 * opens it).  Prints wall and process CPU time (getrusage: user + system),
 * the cost per application beside the cost of one raw insert, the
 * process's peak memory and what it holds after, and the machine's load
 * before and after.
 *
 * As in hromadad, the connection does not checkpoint when it commits
 * (wal_autocheckpoint=0): the server's commit thread checkpoints after the
 * reply has gone (srvd/commit.c).  Here a PASSIVE checkpoint follows each
 * file's commit, timed apart and printed beside the request's time.
 * The connection's page cache is hromadad's writer's by default
 * (DB_WRITER_CACHE_KIB, hromadad.conf writer_cache), kept from file to
 * file; --cache-mib M gives it M MiB instead (--cache-mib 2, SQLite's
 * default, is what session 7 measured: each file raised its own,
 * db/dat.h DB_DAT_CACHE_KIB, and gave it back after); --mmap-mib M
 * reads the file through a map of M MiB (PRAGMA mmap_size): for
 * comparison, neither is what hromadad does.  At the end, what each
 * statement the run prepared did per run (statements()): one that scans
 * a table is printed with its query plan (every plan with --plans 1).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db/audit.h"
#include "db/dat_export.h"
#include "db/dat_import.h"
#include "db/db.h"
#include "db/reports.h"
#include "proto/buf.h"
#include "proto/roles.h"
#include "tests/lib/tdb.h"
#include "tests/lib/tbench.h"

struct files {
	struct hr_buf *b;
	size_t         n, cap;
};

/* CPU time of this process so far (user + system), ms. */
static double
cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* Resident memory now, and its peak, in MiB. */
static void
memory_mib(double *now, double *peak)
{
	struct rusage ru;
	long pages = 0, size;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &size, &pages) != 2)
			pages = 0;
		fclose(f);
	}
	*now = (double)pages * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
	getrusage(RUSAGE_SELF, &ru);
	*peak = (double)ru.ru_maxrss / 1024.0;
}

/*
 * --trees 1: which b-trees the pages written belong to.  Before each
 * checkpoint of a timed phase the WAL's committed frames since the last
 * look are read (their page numbers: the pages each file's COMMIT wrote,
 * once per file however often the transaction changed them); at the end
 * dbstat names each page's table or index.  Untimed (after the file's
 * COMMIT, before its checkpoint), and it reads the whole database's
 * b-trees once at the end: a diagnosis, not part of the figures.
 */
struct wal_pages {
	uint32_t *pg;
	size_t    n, cap;
};

static struct wal_pages *wal_track;           /* the phase's, or NULL */
static uint32_t wal_salt[2];                  /* the WAL generation seen */
static size_t   wal_seen;                     /* its frames counted */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
wal_read(struct hr_db *db, struct wal_pages *w)
{
	char path[4096];
	unsigned char hdr[32], fh[24];
	uint32_t psz, salt[2];
	size_t frame = 0, committed = 0, from = w->n;
	FILE *f;

	snprintf(path, sizeof path, "%s-wal", sqlite3_db_filename(db->sql,
	    "main"));
	if ((f = fopen(path, "rb")) == NULL)
		return;
	if (fread(hdr, 1, sizeof hdr, f) != sizeof hdr) {
		fclose(f);
		return;
	}
	psz = be32(hdr + 8);
	salt[0] = be32(hdr + 16);
	salt[1] = be32(hdr + 20);
	if (salt[0] != wal_salt[0] || salt[1] != wal_salt[1])
		wal_seen = 0;                      /* the WAL was restarted */
	while (fread(fh, 1, sizeof fh, f) == sizeof fh &&
	    be32(fh + 8) == salt[0] && be32(fh + 12) == salt[1]) {
		if (frame++ >= wal_seen) {
			if (w->n == w->cap) {
				w->cap = w->cap ? 2 * w->cap : 4096;
				if ((w->pg = realloc(w->pg, w->cap *
				    sizeof *w->pg)) == NULL)
					exit(1);
			}
			w->pg[w->n++] = be32(fh);
		}
		if (be32(fh + 4) != 0)             /* a commit's last frame */
			committed = w->n;
		if (fseek(f, (long)psz, SEEK_CUR) != 0)
			break;
	}
	fclose(f);
	w->n = committed > from ? committed : from;
	wal_salt[0] = salt[0];
	wal_salt[1] = salt[1];
	wal_seen = frame;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Pages written per b-tree (dbstat: one row per page of the file). */
static void
trees_print(struct hr_db *db, const char *what, struct wal_pages *w,
    long apps)
{
	struct tree { char name[64]; size_t n; } t[128];
	size_t nt = 0, named = 0;
	sqlite3_stmt *st;

	qsort(w->pg, w->n, sizeof *w->pg, u32_cmp);
	if (sqlite3_prepare_v2(db->sql, "SELECT name, pageno FROM dbstat",
	    -1, &st, NULL) != SQLITE_OK) {
		printf("%s: no dbstat (%s)\n", what, sqlite3_errmsg(db->sql));
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		uint32_t pg = (uint32_t)sqlite3_column_int64(st, 1);
		const uint32_t *hit = bsearch(&pg, w->pg, w->n, sizeof pg,
		    u32_cmp);
		const char *name = (const char *)sqlite3_column_text(st, 0);
		size_t k, many = 0;

		if (hit == NULL)
			continue;
		while (hit > w->pg && hit[-1] == pg)
			hit--;
		while (hit + many < w->pg + w->n && hit[many] == pg)
			many++;
		for (k = 0; k < nt && strcmp(t[k].name, name) != 0; k++)
			;
		if (k == nt && nt < sizeof t / sizeof t[0]) {
			snprintf(t[nt].name, sizeof t[0].name, "%s", name);
			t[nt++].n = 0;
		}
		if (k < nt)
			t[k].n += many;
		named += many;
	}
	sqlite3_finalize(st);
	printf("%s: %zu pages written in all, %.2f per application, by "
	    "b-tree:\n", what, w->n, (double)w->n / (double)(apps ? apps : 1));
	for (size_t i = 0; i < nt; i++)
		for (size_t j = i + 1; j < nt; j++)
			if (t[j].n > t[i].n) {
				struct tree x = t[i];

				t[i] = t[j];
				t[j] = x;
			}
	for (size_t i = 0; i < nt; i++)
		printf("  %8zu %6.2f  %s\n", t[i].n, (double)t[i].n /
		    (double)(apps ? apps : 1), t[i].name);
	if (named < w->n)
		printf("  %8zu %6.2f  (free now, or no b-tree's)\n",
		    w->n - named, (double)(w->n - named) /
		    (double)(apps ? apps : 1));
}

/* Each file's COMMIT: its WAL frames written and synced (in the wall time
 * of the request, apart in the print). */
static double commit_ms, commit_cpu;

static void
fail(const char *what, const struct hr_error *err);

static void
commit(struct hr_db *db)
{
	double t = tb_clock_ms(CLOCK_MONOTONIC), c = cpu_ms();
	struct hr_error err;

	if (db_commit(db, &err) < 0)
		fail("commit", &err);
	commit_ms += tb_clock_ms(CLOCK_MONOTONIC) - t;
	commit_cpu += cpu_ms() - c;
}

/* The checkpoints hromadad's commit thread runs after the replies; the
 * time --trees spends reading the WAL (not the server's: left out). */
static double ckpt_ms, ckpt_cpu, aside_ms, aside_cpu;

static void
checkpoint(struct hr_db *db)
{
	double t, c;

	if (wal_track != NULL) {
		t = tb_clock_ms(CLOCK_MONOTONIC);
		c = cpu_ms();
		wal_read(db, wal_track);
		aside_ms += tb_clock_ms(CLOCK_MONOTONIC) - t;
		aside_cpu += cpu_ms() - c;
	}
	t = tb_clock_ms(CLOCK_MONOTONIC);
	c = cpu_ms();

	if (sqlite3_exec(db->sql, "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL,
	    NULL) != SQLITE_OK)
		fprintf(stderr, "bench_dat: checkpoint: %s\n",
		    sqlite3_errmsg(db->sql));
	ckpt_ms += tb_clock_ms(CLOCK_MONOTONIC) - t;
	ckpt_cpu += cpu_ms() - c;
}

/*
 * One timed phase: the requests' time, and the checkpoints after apart;
 * the pages the connection read (cache misses: from the file or the WAL),
 * found in its cache, and wrote, which depend less on the machine's load.
 */
struct phase {
	double t0, c0, k0, kc0, a0, ac0, m0, mc0;
	double wall, cpu, ckpt, ckpt_cpu, commit, commit_cpu;
	int    miss, hit, write;
};

static int
pages(struct hr_db *db, int op)
{
	int cur = 0, hi = 0;

	(void)sqlite3_db_status(db->sql, op, &cur, &hi, 1);
	return cur;
}

static void
phase_start(struct hr_db *db, struct phase *p)
{
	(void)pages(db, SQLITE_DBSTATUS_CACHE_MISS);
	(void)pages(db, SQLITE_DBSTATUS_CACHE_HIT);
	(void)pages(db, SQLITE_DBSTATUS_CACHE_WRITE);
	p->t0 = tb_clock_ms(CLOCK_MONOTONIC);
	p->c0 = cpu_ms();
	p->k0 = ckpt_ms;
	p->kc0 = ckpt_cpu;
	p->a0 = aside_ms;
	p->ac0 = aside_cpu;
	p->m0 = commit_ms;
	p->mc0 = commit_cpu;
}

static void
phase_stop(struct hr_db *db, struct phase *p)
{
	p->miss = pages(db, SQLITE_DBSTATUS_CACHE_MISS);
	p->hit = pages(db, SQLITE_DBSTATUS_CACHE_HIT);
	p->write = pages(db, SQLITE_DBSTATUS_CACHE_WRITE);
	p->ckpt = ckpt_ms - p->k0;
	p->ckpt_cpu = ckpt_cpu - p->kc0;
	p->commit = commit_ms - p->m0;
	p->commit_cpu = commit_cpu - p->mc0;
	p->wall = tb_clock_ms(CLOCK_MONOTONIC) - p->t0 - p->ckpt -
	    (aside_ms - p->a0);
	p->cpu = cpu_ms() - p->c0 - p->ckpt_cpu - (aside_cpu - p->ac0);
}

static void
phase_print(const char *what, const struct phase *p, long apps,
    size_t files, double raw, double raw_cpu, long n)
{
	double per = 1e3 / (double)(apps > 0 ? apps : 1);

	printf("%-30s %6ld apps  wall %8.1f ms  CPU %8.1f ms  %6.1f / %6.1f "
	    "us/app = %5.1f / %5.1f raw inserts  (%zu files; target < 2000 ms "
	    "wall: %s)\n", what, apps, p->wall, p->cpu, p->wall * per,
	    p->cpu * per, p->wall * per / (raw * 1e3 / (double)n),
	    p->cpu * per / (raw_cpu * 1e3 / (double)n), files,
	    apps < 10000 ? "not judged, fewer than 10,000" : p->wall < 2000 ?
	    "met" : "MISSED");
	printf("%-30s %6s       from %.6f to %.6f s (CLOCK_MONOTONIC: "
	    "perf record -k CLOCK_MONOTONIC, perf report --time)\n", "", "",
	    p->t0 / 1e3, (p->t0 + p->wall + p->ckpt) / 1e3);
	printf("%-30s %6s       pages per app: %.1f read, %.1f from the cache, "
	    "%.1f written\n", "", "", p->miss * per / 1e3, p->hit * per / 1e3,
	    p->write * per / 1e3);
	printf("%-30s %6s       wall %8.1f ms  CPU %8.1f ms  (in the time "
	    "above: the WAL written and synced)\n", "  of which its COMMITs", "",
	    p->commit, p->commit_cpu);
	printf("%-30s %6s       wall %8.1f ms  CPU %8.1f ms  (after the "
	    "replies, as hromadad's commit thread)\n", "  its WAL checkpoints",
	    "", p->ckpt, p->ckpt_cpu);
}

/*
 * What every statement the run prepared on this connection did (its
 * statement cache, db/db.c, keeps them; counters of sqlite3_stmt_status):
 * how often it ran, its wall time in all (SQLITE_TRACE_PROFILE), its
 * virtual-machine steps (triggers included), the
 * rows it stepped through in full scans of a table and the sorts it made,
 * each per run.  A statement that scans more than SCAN_MAX rows a run
 * finds its rows without an index -- unless every scan of its plan reads
 * rows the statement made itself (a materialized subquery or CTE, a
 * co-routine, constant rows, the batch's own moves: batch_moves_scan): it is
 * printed with its query plan and counted; --plans 1 prints every
 * statement's plan.
 */
#define SCAN_MAX 64

struct stmt_use {
	char   *sql;
	double  runs, vm, scan, sort, ms, cpu;
};

/*
 * The wall time of each statement's runs (SQLITE_TRACE_PROFILE, its
 * triggers included), from statements_reset on.  Kept by statement and
 * SQL text: a statement run once and finalized (sqlite3_exec: the
 * checkpoints' PRAGMA, the pragmas of the page cache) frees its address
 * for the next one prepared, and by address alone the export's 20
 * checkpoints (~1 s) were once printed as the time of the import's
 * duplicate check, the statement prepared after them at that address.
 */
#define TIMED_MAX 256

static struct {
	sqlite3_stmt *st;
	char         *sql;
	double        ms, cpu;
} timed[TIMED_MAX];
static size_t ntimed;

/* The thread's CPU time when each running statement began (SQLITE_TRACE_
 * STMT; a statement runs inside another's step only through triggers,
 * which are the same statement's), for its CPU time beside the wall's. */
#define RUNNING_MAX 16
static struct {
	sqlite3_stmt *st;
	double        cpu0;
} running[RUNNING_MAX];

static double
thread_cpu_ms(void)
{
	return tb_clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

static int
profile(unsigned type, void *ud, void *p, void *x)
{
	const char *sql = sqlite3_sql(p);
	double cpu = 0;
	size_t r;

	(void)ud;
	for (r = 0; r < RUNNING_MAX && running[r].st != p; r++)
		;
	if (type == SQLITE_TRACE_STMT) {
		if (((const char *)x)[0] == '-' && ((const char *)x)[1] == '-')
			return 0;                    /* a trigger of the same */
		for (r = 0; r < RUNNING_MAX && running[r].st != p &&
		    running[r].st != NULL; r++)
			;
		if (r < RUNNING_MAX) {
			running[r].st = p;
			running[r].cpu0 = thread_cpu_ms();
		}
		return 0;
	}
	if (r < RUNNING_MAX) {
		cpu = thread_cpu_ms() - running[r].cpu0;
		running[r].st = NULL;
	}
	if (sql == NULL)
		return 0;
	for (size_t i = 0; i < ntimed; i++)
		if (timed[i].st == p && strcmp(timed[i].sql, sql) == 0) {
			timed[i].ms += (double)*(sqlite3_int64 *)x / 1e6;
			timed[i].cpu += cpu;
			return 0;
		}
	if (ntimed < TIMED_MAX && (timed[ntimed].sql = strdup(sql)) != NULL) {
		timed[ntimed].st = p;
		timed[ntimed].cpu = cpu;
		timed[ntimed++].ms = (double)*(sqlite3_int64 *)x / 1e6;
	}
	return 0;
}

static double
timed_ms(sqlite3_stmt *st, double *cpu)
{
	const char *sql = sqlite3_sql(st);

	*cpu = 0;
	for (size_t i = 0; sql != NULL && i < ntimed; i++)
		if (timed[i].st == st && strcmp(timed[i].sql, sql) == 0) {
			*cpu = timed[i].cpu;
			return timed[i].ms;
		}
	return 0;
}

static int
by_time(const void *a, const void *b)
{
	const struct stmt_use *x = a, *y = b;

	return (x->ms < y->ms) - (x->ms > y->ms);
}

/* The counters start again here: what opening the database ran (the
 * migrations' checks) is not the exchange's. */
static void
statements_reset(struct hr_db *db)
{
	static const int ops[] = { SQLITE_STMTSTATUS_RUN,
	    SQLITE_STMTSTATUS_VM_STEP, SQLITE_STMTSTATUS_FULLSCAN_STEP,
	    SQLITE_STMTSTATUS_SORT };

	for (sqlite3_stmt *st = sqlite3_next_stmt(db->sql, NULL); st != NULL;
	    st = sqlite3_next_stmt(db->sql, st))
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
			(void)sqlite3_stmt_status(st, ops[i], 1);
	while (ntimed > 0)
		free(timed[--ntimed].sql);
	memset(running, 0, sizeof running);
	(void)sqlite3_trace_v2(db->sql, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
	    profile, NULL);
}

static size_t
plan_of(struct hr_db *db, const char *sql, char *out, size_t cap)
{
	char q[4096];
	sqlite3_stmt *st;
	size_t used = 0;

	out[0] = '\0';
	snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db->sql, q, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW && used + 2 < cap)
		used += (size_t)snprintf(out + used, cap - used, "      %s\n",
		    (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return used;
}

/* The batch's scratch tables and the moves its triggers noted for its
 * release (db/batch_summaries.c: temp.batch_moves, temp.day_moves,
 * 032's deadline_held, 035's clock_due_held): every row of them is one
 * of the batch's own moves, read once -- by its name, or by the alias
 * `sql` gives it. */
static int
batch_moves_scan(const char *sql, const char *name)
{
	static const char *const own[] = { "temp.batch_moves",
	    "temp.day_moves", "deadline_held", "clock_due_held" };
	char alias[160];

	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
		if (strcmp(name, own[i]) == 0)
			return 1;
		snprintf(alias, sizeof alias, "%s %s ", own[i], name);
		if (strstr(sql, alias) != NULL)
			return 1;
		snprintf(alias, sizeof alias, "%s %s,", own[i], name);
		if (strstr(sql, alias) != NULL)
			return 1;
	}
	return 0;
}

/* Does the plan (plan_of's lines) of `sql` scan anything but its own
 * rows? */
static int
scans_a_table(const char *sql, const char *plan)
{
	for (const char *l = plan; *l != '\0'; l = strchr(l, '\n') + 1) {
		char name[128], own[160];
		const char *p = l + strspn(l, " ");

		if (strchr(l, '\n') == NULL)
			break;
		if (strncmp(p, "SCAN ", 5) != 0 || strstr(p, "CONSTANT ROW") !=
		    NULL || sscanf(p + 5, "%127s", name) != 1)
			continue;
		snprintf(own, sizeof own, "MATERIALIZE %s\n", name);
		if (strstr(plan, own) != NULL || batch_moves_scan(sql, name))
			continue;
		snprintf(own, sizeof own, "CO-ROUTINE %s\n", name);
		if (strstr(plan, own) == NULL)
			return 1;
	}
	return 0;
}

static void
statements(struct hr_db *db, int all)
{
	struct stmt_use u[256];
	size_t n = 0, bad = 0;
	char plan[8192];

	for (sqlite3_stmt *st = sqlite3_next_stmt(db->sql, NULL); st != NULL &&
	    n < sizeof u / sizeof u[0]; st = sqlite3_next_stmt(db->sql, st)) {
		double runs = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0);

		if (runs < 1 || sqlite3_sql(st) == NULL)
			continue;
		u[n].sql = strdup(sqlite3_sql(st));
		u[n].runs = runs;
		u[n].vm = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0) /
		    runs;
		u[n].scan = sqlite3_stmt_status(st,
		    SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) / runs;
		u[n].sort = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0) /
		    runs;
		u[n].ms = timed_ms(st, &u[n].cpu);
		n++;
	}
	qsort(u, n, sizeof u[0], by_time);
	printf("statements (most time first): runs, wall / CPU ms in all (its "
	    "triggers included), VM steps / full-scan rows / sorts per run\n");
	for (size_t i = 0; i < n; i++) {
		int scans = u[i].scan > SCAN_MAX && (plan_of(db, u[i].sql,
		    plan, sizeof plan) == 0 || scans_a_table(u[i].sql, plan));

		bad += scans;
		printf("  %7.0f %7.0f %7.0f %8.1f %6.1f %4.1f%s %.100s\n",
		    u[i].runs, u[i].ms, u[i].cpu, u[i].vm, u[i].scan, u[i].sort,
		    scans ? " SCANS" : "", u[i].sql);
		if ((scans || all) && plan_of(db, u[i].sql, plan,
		    sizeof plan) > 0)
			printf("%s", plan);
		free(u[i].sql);
	}
	printf("query plans: %zu statements ran, %zu scan more than %d rows "
	    "a run\n", n, bad, SCAN_MAX);
}

static void
load(char *out, size_t cap)
{
	FILE *f = fopen("/proc/loadavg", "r");

	out[0] = '\0';
	if (f != NULL) {
		if (fgets(out, (int)cap, f) != NULL)
			out[strcspn(out, " \n") == 0 ? 0 : strlen(out) - 1] = '\0';
		fclose(f);
	}
}

/* Who exports and imports: the audit records as the server writes them. */
struct bench_who {
	int64_t       user_id;
	struct hr_db *db;
};

static int
audit_hook(void *ud, const char *action, const char *object,
    const char *detail, struct hr_error *err)
{
	const struct bench_who *w = ud;
	struct db_audit_entry e = { w->user_id, "bench", "bench_dat", action,
	    object, detail };

	return db_audit(w->db, &e, err);
}

/*
 * --verify 1 (run-dat-small.sh): the summaries the exchange moved once a
 * file (db/batch_summaries.h) against the tables: the status and untold
 * counts against a recount, the facts the exchange adds (decisions, the
 * decision's and the whole case's time) against the reports' own rebuild
 * (db_report_rebuild_sql, which goes through the per-row fan-out of 019).
 * Rows that differ, per summary; the rebuild changes the file.
 */
#define VERIFY_LEVELS(sel, tail) \
	sel "'front_office', front_office_id" tail " UNION ALL " \
	sel "'hromada', hromada_id" tail " UNION ALL " \
	sel "'spszn', spszn_id" tail " UNION ALL " \
	sel "'oblast', oblast_id" tail " UNION ALL " sel "'all', 0" tail
#define VERIFY_FACTS "SELECT territory_id, month, measure, key, n, amount " \
	"FROM %s WHERE measure = 'decision' OR (measure = 'time' AND " \
	"(key LIKE 'decision:%%' OR key LIKE 'total:%%'))"

/* Rows in one query's answer and not in the other's, both ways. */
static int64_t
differ(struct hr_db *db, const char *a, const char *b)
{
	char sql[2600];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT * FROM "
	    "(SELECT * FROM (%s) EXCEPT SELECT * FROM (%s)) UNION ALL SELECT * "
	    "FROM (SELECT * FROM (%s) EXCEPT SELECT * FROM (%s)))", a, b, b, a);
	return tdb_int(db, sql);
}

static void
verify(struct hr_db *db)
{
	int64_t wrong_counts = differ(db, VERIFY_LEVELS("SELECT ",
	    ", service_code, package_full, status, count(*) FROM applications "
	    "GROUP BY 2, 3, 4, 5"), "SELECT scope, territory_id, service, "
	    "package_full, status, n FROM status_counts WHERE n > 0");
	int64_t wrong_untold = differ(db, VERIFY_LEVELS("SELECT ",
	    ", count(*) FROM applications WHERE status = 'answered' AND "
	    "notified_at IS NULL GROUP BY 2"), "SELECT scope, territory_id, n "
	    "FROM untold_counts WHERE n > 0");
	int64_t wrong_facts;
	char kept[512], built[512];

	tdb_exec(db, "CREATE TEMP TABLE kept_facts AS SELECT * FROM "
	    "report_facts");
	tdb_exec(db, db_report_rebuild_sql);
	snprintf(kept, sizeof kept, VERIFY_FACTS, "temp.kept_facts");
	snprintf(built, sizeof built, VERIFY_FACTS, "main.report_facts");
	wrong_facts = differ(db, kept, built);
	printf("summaries: %lld wrong (status counts %lld, untold counts %lld, "
	    "decision and time facts %lld rows differ from a recount)\n",
	    (long long)(wrong_counts + wrong_untold + wrong_facts),
	    (long long)wrong_counts, (long long)wrong_untold,
	    (long long)wrong_facts);
}

/* N applications of `system` checked in one back office: its id. */
static int64_t
prepare(struct hr_db *db, const char *system, long n)
{
	char sql[1200];
	int64_t office, have;

	snprintf(sql, sizeof sql, "SELECT a.spszn_id FROM applications a JOIN "
	    "services s ON s.code = a.service_code WHERE s.system = '%s' AND "
	    "a.reg_no IS NOT NULL GROUP BY a.spszn_id ORDER BY count(*) DESC "
	    "LIMIT 1", system);
	office = tdb_int(db, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM applications a JOIN "
	    "services s ON s.code = a.service_code WHERE s.system = '%s' AND "
	    "a.reg_no IS NOT NULL AND a.spszn_id = %lld AND a.status NOT IN "
	    "('exported', 'answered') AND NOT EXISTS (SELECT 1 FROM decisions "
	    "d WHERE d.application_id = a.id)", system, (long long)office);
	have = tdb_int(db, sql);
	tdb_exec(db, "BEGIN IMMEDIATE");
	if (have < n) {
		/* Moved whole into the office's territory: one of its own front
		 * offices and hromadas each (round the list by id), its oblast,
		 * and a registration number of that hromada's journal no other
		 * application has (NNNNN/YYYY with 10 digits).  Until session
		 * 8 only spszn_id moved, and the batch's files fanned their
		 * facts and index entries out over other regions' hundreds of
		 * territories, as no back office's file does. */
		int64_t oblast;

		snprintf(sql, sizeof sql, "SELECT oblast_id FROM applications "
		    "WHERE spszn_id = %lld LIMIT 1", (long long)office);
		oblast = tdb_int(db, sql);
		snprintf(sql, sizeof sql, "CREATE TEMP TABLE bench_offices AS "
		    "SELECT row_number() OVER (ORDER BY fo, hr) - 1 AS k, fo, hr "
		    "FROM (SELECT DISTINCT front_office_id AS fo, hromada_id AS "
		    "hr FROM applications WHERE spszn_id = %lld)",
		    (long long)office);
		tdb_exec(db, sql);
		snprintf(sql, sizeof sql, "UPDATE applications SET spszn_id = "
		    "%lld, oblast_id = %lld, front_office_id = o.fo, hromada_id "
		    "= o.hr, reg_no = (1000000000 + applications.id) || '/' || "
		    "applications.reg_year FROM temp.bench_offices o WHERE o.k = "
		    "applications.id %% (SELECT count(*) FROM "
		    "temp.bench_offices) AND applications.id IN (SELECT a.id "
		    "FROM applications a JOIN services s ON s.code = "
		    "a.service_code WHERE s.system = '%s' AND a.reg_no IS NOT "
		    "NULL AND a.spszn_id != %lld AND a.status NOT IN "
		    "('exported', 'answered') LIMIT %lld)", (long long)office,
		    (long long)oblast, system, (long long)office,
		    (long long)(n - have));
		tdb_exec(db, sql);
		tdb_exec(db, "DROP TABLE temp.bench_offices");
	}
	/* nothing of the system checked but the batch */
	snprintf(sql, sizeof sql, "UPDATE applications SET status = 'at_spszn' "
	    "WHERE status = 'checked' AND spszn_id = %lld", (long long)office);
	tdb_exec(db, sql);
	/* never exported nor decided (a run again on the same copy takes
	 * others) */
	snprintf(sql, sizeof sql, "UPDATE applications SET status = 'checked' "
	    "WHERE id IN (SELECT a.id FROM applications a JOIN services s ON "
	    "s.code = a.service_code WHERE s.system = '%s' AND a.reg_no IS "
	    "NOT NULL AND a.spszn_id = %lld AND a.status NOT IN ('exported', "
	    "'answered') AND NOT EXISTS (SELECT 1 FROM decisions d WHERE "
	    "d.application_id = a.id) ORDER BY a.id LIMIT %ld)", system,
	    (long long)office, n);
	tdb_exec(db, sql);
	tdb_exec(db, "COMMIT");
	return office;
}

/* The raw rate: n history-shaped rows, one statement, one transaction. */
static double
raw_inserts(struct hr_db *db, long n, double *cpu)
{
	sqlite3_stmt *st;
	double t0, c0, t;

	tdb_exec(db, "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, "
	    "application_id INTEGER NOT NULL, at INTEGER NOT NULL, user_id "
	    "INTEGER NOT NULL, from_status TEXT, to_status TEXT NOT NULL, "
	    "comment TEXT)");
	t0 = tb_clock_ms(CLOCK_MONOTONIC);
	c0 = cpu_ms();
	tdb_exec(db, "BEGIN IMMEDIATE");
	if (sqlite3_prepare_v2(db->sql, "INSERT INTO bench_raw (application_id, "
	    "at, user_id, from_status, to_status, comment) VALUES (?, ?, 1, "
	    "'checked', 'exported', 'exchange file asopd_UA00000000000000000"
	    "_000001.DAT')", -1, &st, NULL) != SQLITE_OK)
		exit(1);
	for (long i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, i + 1);
		sqlite3_bind_int64(st, 2, 1760000000 + i);
		if (sqlite3_step(st) != SQLITE_DONE)
			exit(1);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	tdb_exec(db, "COMMIT");
	t = tb_clock_ms(CLOCK_MONOTONIC) - t0;
	*cpu = cpu_ms() - c0;
	tdb_exec(db, "DROP TABLE bench_raw");
	checkpoint(db);
	return t;
}

static void
fail(const char *what, const struct hr_error *err)
{
	fprintf(stderr, "bench_dat: %s: %s\n", what, err->msg);
	exit(1);
}

static long
export_all(struct hr_db *db, const struct db_dat_actor *who, int64_t office,
    const char *code, const char *system, struct files *out)
{
	long apps = 0;
	struct hr_error err;

	for (;;) {
		struct db_dat_export x;

		memset(&x, 0, sizeof x);
		x.spszn_id = office;
		x.office = code;
		x.system = system;
		if (db_begin(db, &err) < 0)
			fail("begin", &err);
		if (db_dat_export_run(db, who, &x, &err) < 0) {
			db_rollback(db);
			db_dat_export_free(&x);
			if (strcmp(err.id, "dat.nothing_to_export") == 0)
				return apps;
			fail("export", &err);
		}
		commit(db);
		checkpoint(db);
		apps += x.count;
		if (out->n == out->cap) {
			out->cap = out->cap ? 2 * out->cap : 32;
			out->b = realloc(out->b, out->cap * sizeof *out->b);
			if (out->b == NULL)
				exit(1);
		}
		out->b[out->n++] = x.file;       /* the buffer moves out */
		memset(&x.file, 0, sizeof x.file);
		db_dat_export_free(&x);
		if (x.remaining == 0)
			return apps;
	}
}

/* The decision system's answer to an export file (untimed). */
static void
answer_to(const struct hr_buf *exp, uint32_t number, struct hr_buf *ans)
{
	struct hr_dat in, out;
	struct hr_dat_answer *a;
	struct hr_error err;

	memset(&in, 0, sizeof in);
	if (hr_dat_parse(hr_buf_head(exp), hr_buf_used(exp), &in, &err) < 0)
		fail("parse the export", &err);
	a = calloc(in.hdr.count + 1, sizeof *a);
	memset(&out, 0, sizeof out);
	out.hdr = in.hdr;
	out.hdr.kind = HR_DAT_ANSWER;
	out.hdr.number = number;
	for (uint32_t i = 0; i < in.hdr.count; i++)
		a[i] = (struct hr_dat_answer){ in.apps[i].id, in.apps[i].reg_no,
		    i % 3 ? HR_DEC_ASSIGNED : HR_DEC_REFUSED, i % 3 != 0,
		    250000 + (int64_t)i, i % 3 ? "2026-12-01" : "",
		    i % 3 ? "2027-05-31" : "", i % 3 ? "" : "дохід перевищує межу",
		    0 };
	out.answers = a;
	hr_buf_init(ans, HR_DAT_FILE_MAX);
	if (hr_dat_write(&out, ans, &err) < 0)
		fail("write the answer", &err);
	free(a);
	hr_dat_free(&in);
}

static long
import_all(struct hr_db *db, const struct db_dat_actor *who, int64_t office,
    const char *code, const struct files *answers)
{
	long decided = 0;
	struct hr_error err;

	for (size_t i = 0; i < answers->n; i++) {
		struct db_dat_import x;

		memset(&x, 0, sizeof x);
		x.name = "answer.DAT";
		x.data = hr_buf_head(&answers->b[i]);
		x.len = hr_buf_used(&answers->b[i]);
		x.spszn_id = office;
		x.office = code;
		if (db_begin(db, &err) < 0)
			fail("begin", &err);
		if (db_dat_import_run(db, who, &x, &err) < 0)
			fail("import", &err);
		commit(db);
		checkpoint(db);
		decided += x.imported;
		db_dat_import_free(&x);
	}
	return decided;
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *system = "asopd";
	long n = 10000, exported, imported, mmap_mib = 0;
	long cache_mib = DB_WRITER_CACHE_KIB / 1024;     /* as hromadad's */
	int show_plans = 0, check = 0, trees = 0;
	struct wal_pages wal_exp = { 0 }, wal_imp = { 0 }, wal_none = { 0 };
	struct hr_db *db;
	struct hr_error err;
	struct files files = { 0 }, answers = { 0 };
	char code[HR_DAT_OFFICE_MAX], l0[128], l1[128], l2[128];
	struct bench_who bw;
	int64_t user_id, office;
	struct db_dat_actor who;
	double raw, raw_cpu, mem, peak, mem0, peak0;
	struct phase pe, pi;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--apps") == 0)
			n = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--system") == 0)
			system = argv[i + 1];
		else if (strcmp(argv[i], "--cache-mib") == 0)
			cache_mib = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--mmap-mib") == 0)
			mmap_mib = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--plans") == 0)
			show_plans = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--verify") == 0)
			check = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--trees") == 0)
			trees = atoi(argv[i + 1]);
	}
	if (path == NULL || n < 1) {
		fprintf(stderr, "usage: bench_dat --db COPY.db [--apps N] "
		    "[--system S] [--cache-mib M] [--mmap-mib M] [--plans 1] "
		    "[--verify 1] [--trees 1]"
		    "\n  (the database is changed: give a copy)\n");
		return 2;
	}
	if (db_open(&db, path, 0, &err) < 0)
		fail(path, &err);
	tdb_exec(db, "PRAGMA wal_autocheckpoint=0");     /* as hromadad's writer */
	if (cache_mib > 0 && db_cache_set(db, (int)cache_mib * 1024, &err) < 0)
		fail("cache", &err);
	if (mmap_mib > 0) {
		/* pages read through a map instead of pread, for comparison */
		char pragma[64];

		snprintf(pragma, sizeof pragma, "PRAGMA mmap_size = %lld",
		    (long long)mmap_mib * 1048576);
		tdb_exec(db, pragma);
	}
	office = prepare(db, system, n);
	checkpoint(db);                              /* the preparation's */
	if (db_dat_office_code(db, office, code, sizeof code, &err) < 0)
		fail("office code", &err);
	user_id = tdb_int(db, "SELECT id FROM users ORDER BY role = 'spszn' "
	    "DESC, id LIMIT 1");
	bw.user_id = user_id;
	bw.db = db;
	who = (struct db_dat_actor){ user_id, HR_ROLE_SPSZN, audit_hook, NULL,
	    &bw };
	printf("bench_dat: %s, %lld applications, back office %s, %ld of %s "
	    "checked\n", path, (long long)tdb_int(db, "SELECT count(*) FROM "
	    "applications"), code, n, system);
	memory_mib(&mem0, &peak0);
	load(l0, sizeof l0);

	raw = raw_inserts(db, n, &raw_cpu);

	statements_reset(db);
	if (trees) {
		wal_read(db, &wal_none);     /* what is in the WAL already */
		wal_track = &wal_exp;
	}
	phase_start(db, &pe);
	exported = export_all(db, &who, office, code, system, &files);
	phase_stop(db, &pe);
	load(l1, sizeof l1);

	answers.b = calloc(files.n + 1, sizeof *answers.b);
	answers.n = files.n;
	for (size_t i = 0; i < files.n; i++)
		answer_to(&files.b[i], (uint32_t)(100000 + (time(NULL) * 31) %
		    800000 + i), &answers.b[i]);

	if (trees)
		wal_track = &wal_imp;
	phase_start(db, &pi);
	imported = import_all(db, &who, office, code, &answers);
	phase_stop(db, &pi);
	wal_track = NULL;
	load(l2, sizeof l2);
	memory_mib(&mem, &peak);

	printf("load (1/5/15 min, running/all, last pid): before %s; after "
	    "export %s; after import %s\n", l0, l1, l2);
	printf("%-30s %6ld rows  wall %8.1f ms  CPU %8.1f ms  %6.1f / %6.1f "
	    "us/row\n", "raw SQLite insert (1 tx, FULL)", n, raw, raw_cpu,
	    raw * 1e3 / (double)n, raw_cpu * 1e3 / (double)n);
	phase_print("dat.export (the server's work)", &pe, exported, files.n,
	    raw, raw_cpu, n);
	phase_print("dat.import (the server's work)", &pi, imported, answers.n,
	    raw, raw_cpu, n);
	statements(db, show_plans);
	if (trees) {
		trees_print(db, "dat.export", &wal_exp, exported);
		trees_print(db, "dat.import", &wal_imp, imported);
	}
	free(wal_exp.pg);
	free(wal_imp.pg);
	free(wal_none.pg);
	printf("memory: resident %.0f MiB before (peak %.0f), peak %.0f MiB "
	    "during, %.0f MiB after the exchange (page cache %ld MiB at "
	    "most, kept)\n", mem0, peak0, peak, mem, cache_mib);
	if (check)
		verify(db);
	for (size_t i = 0; i < files.n; i++) {
		hr_buf_free(&files.b[i]);
		hr_buf_free(&answers.b[i]);
	}
	free(files.b);
	free(answers.b);
	db_close(db);
	return exported == n && imported == n ? 0 : 1;
}
