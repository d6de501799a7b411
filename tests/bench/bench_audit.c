/*
 * bench_audit.c — the audit log at national size: how much a clerk-day
 * writes, and what monthly archiving keeps in the live table over a year.
 *
 * The claim (issue 15): with every read audited, audit_log would dwarf the
 * applications; `hromadactl audit archive` keeps the live table bounded.
 * This program simulates it with the real code (db_audit_at appends with
 * the hash chain; db/audit_archive.h plans, writes, verifies, registers
 * and prunes exactly as the command does) in a fresh database of its own:
 *
 *   - a clerk-day: --per-clerk-day records (default: the load test's clerk,
 *     one request a second for 8 hours, in the load mix's shapes below:
 *     journal pages listing 20 application ids, person searches listing 10
 *     persons, saves with their person, transitions, resumes);
 *   - a year of working days (Monday..Friday) for --clerks clerks, and on
 *     the first of each month `audit archive --before` that day;
 *   - printed: records and bytes per clerk-day (live table with its index,
 *     and in an archive), the live size before and after each archiving,
 *     after the year, the archives' sizes, and the times of archiving,
 *     verifying a month's file and searching the year's archives for one
 *     application; and what that makes for 10,000 clerks.
 *
 * Live size is the database's pages in use (the database holds only the
 * audit tables): (page_count - freelist_count) x page_size; the file keeps
 * its freed pages for the records that follow.
 *
 *   bench_audit [--clerks N] [--per-clerk-day R] [--days D] [--dir DIR]
 */
#include "config.h"

#include <getopt.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/audit.h"
#include "db/audit_archive.h"
#include "db/db.h"

#define START         1735689600      /* 2025-01-01 00:00 UTC, a Wednesday */
#define DAY           86400
#define WORK_SECONDS  (8 * 3600)
#define TX_RECORDS    5000            /* records appended per transaction */
#define TARGET_CLERKS 10000

struct opts {
	int         clerks;
	long        per_day;
	int         days;
	const char *dir;
	char        every;          /* 'm' monthly, 'w' weekly, 'd' daily */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, const struct hr_error *err)
{
	fprintf(stderr, "bench_audit: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

/*
 * The load test's mix (tests/load/loadgen.c rows[]) as audit records per
 * 100 requests: journal pages 55 (journal.page 40, .counts 10, .q 5),
 * person.search 15, application.save 10 (application.create and the new
 * person's person.add), application.transition 5, resume 5; ping 10 and
 * nothing else records.  So 105 records per 100 requests.
 */
#define MIX_RECORDS_PER_100 105

/* xorshift64*: a fixed stream, so runs are alike. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(uint64_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545f4914f6cdd1dULL) % n;
}

/* What clerks type and where they sit, varied as in an office. */
static const char *const surnames[] = { "Ковал", "Бонда", "Мельн", "Ткач",
    "Шевч", "Кравч", "Олійн", "Поліщ", "Лисен", "Марче", "Гонча", "Руден",
    "Савче", "Петре", "Клим", "Мороз", "Павлен", "Левчен", "Кушн", "Сидор" };
#define NSURNAMES (sizeof surnames / sizeof surnames[0])
static const char *const statuses[] = { "any", "any", "any", "draft",
    "at_otg", "at_spszn", "checked", "answered" };

/* One record of the mix, the k-th of the day, by clerk c at time t. */
static void
mix_record(struct hr_db *db, int c, long k, int64_t t, uint64_t *appid)
{
	char user[16], addr[80], detail[512], object[48];
	struct db_audit_entry e = { 0 };
	struct hr_error err;
	long r = k % MIX_RECORDS_PER_100;
	int n = 0;

	snprintf(user, sizeof user, "clerk%04d", c);
	/* A port per reconnect (a few a day), the clerk's own terminal. */
	snprintf(addr, sizeof addr, "10.%d.%d.%d:%d terminal cnap-%d-pc%d",
	    20 + c % 200, c / 200 % 250, 10 + c % 7, 40000 + (int)(k / 2000 %
	    20000), 1000 + c / 4, c % 4 + 1);
	e.user_id = 100 + c;
	e.actor = user;
	e.address = addr;
	if (r < 55) {                    /* a journal page: 20 ids */
		/* A scope's newest applications, or a page deeper down. */
		uint64_t top = *appid - rng(r < 30 ? 200 : 50000);
		int named = rng(100) < 10;

		e.action = "journal.read";
		e.object = "journal";
		n = snprintf(detail, sizeof detail, "20 rows; before %llu; "
		    "status %s; service %s; q %s; package 0; created 0..0; "
		    "scope 3:%d; ids ", r < 30 ? 0ULL : (unsigned long long)top,
		    statuses[rng(8)], rng(4) ? "any" : "subsidy", named ?
		    surnames[rng(NSURNAMES)] : "-", 1000 + c / 4);
		for (int i = 0; i < 20 && n < (int)sizeof detail - 16; i++) {
			top -= 1 + rng(named ? 400 : 12);
			n += snprintf(detail + n, sizeof detail - (size_t)n,
			    "%s%llu", i ? "," : "", (unsigned long long)top);
		}
		e.detail = detail;
	} else if (r < 70) {             /* a person search: up to 10 ids */
		int rows = (int)rng(11);

		e.action = "person.search";
		e.object = "persons";
		n = snprintf(detail, sizeof detail, "%d rows; by name; q %s;%s",
		    rows, surnames[rng(NSURNAMES)], rows ? " ids " : " no ids");
		for (int i = 0; i < rows; i++)
			n += snprintf(detail + n, sizeof detail - (size_t)n,
			    "%s%llu", i ? "," : "", (unsigned long long)(1 +
			    rng(5000000)));
		e.detail = detail;
	} else if (r < 90) {             /* a save: the application, its person */
		if (r % 2 == 0) {
			(*appid)++;
			snprintf(object, sizeof object, "application:%llu",
			    (unsigned long long)*appid);
			e.action = "application.create";
			e.detail = "subsidy; 6 documents";
		} else {
			snprintf(object, sizeof object, "person:%llu",
			    (unsigned long long)(5000000 + *appid));
			e.action = "person.add";
		}
		e.object = object;
	} else if (r < 95) {
		snprintf(object, sizeof object, "application:%llu",
		    (unsigned long long)*appid);
		e.action = "application.transition";
		e.object = object;
		e.detail = "draft -> at_otg";
	} else {
		e.action = "resume";
		e.detail = "hromada 1.0";
	}
	if (db_audit_at(db, &e, t, &err) < 0)
		die("append", &err);
}

/* One working day of every clerk, in transactions of TX_RECORDS. */
static void
work_day(struct hr_db *db, const struct opts *o, int64_t day,
    uint64_t *appid)
{
	struct hr_error err;
	long total = o->per_day * o->clerks, k = 0;

	if (db_begin(db, &err) < 0)
		die("begin", &err);
	for (long i = 0; i < o->per_day; i++) {
		int64_t t = day + 8 * 3600 + (int64_t)(i * WORK_SECONDS /
		    o->per_day);

		for (int c = 0; c < o->clerks; c++, k++) {
			mix_record(db, c, i, t, appid);
			if (k % TX_RECORDS == TX_RECORDS - 1 && k + 1 < total &&
			    (db_commit(db, &err) < 0 || db_begin(db, &err) < 0))
				die("commit", &err);
		}
	}
	if (db_commit(db, &err) < 0)
		die("commit", &err);
}

/* Pages in use and the file's size, in bytes. */
static void
sizes(struct hr_db *db, int64_t *used, int64_t *file)
{
	sqlite3_stmt *st;
	int64_t v[3] = { 0 };
	const char *q[3] = { "PRAGMA page_count", "PRAGMA freelist_count",
	    "PRAGMA page_size" };

	for (int i = 0; i < 3; i++) {
		if (sqlite3_prepare_v2(db->sql, q[i], -1, &st, NULL) ==
		    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			v[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	*used = (v[0] - v[1]) * v[2];
	*file = v[0] * v[2];
}

static int64_t
live_records(struct hr_db *db)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM audit_log", -1,
	    &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static const char *
mib(int64_t b, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.1f MiB", (double)b / (1 << 20));
	return buf;
}

struct month {
	char    file[512];
	int64_t records, bytes;
	double  secs;
};

static int
count_cb(void *ud, const struct db_audit_record *r)
{
	(void)r;
	(*(long *)ud)++;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_audit [--clerks N] [--per-clerk-day R] "
	    "[--days D] [--every month|week|day] [--dir DIR]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "clerks", 1, NULL, 'c' }, { "per-clerk-day", 1, NULL, 'r' },
		{ "days", 1, NULL, 'd' }, { "dir", 1, NULL, 'D' },
		{ "every", 1, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 1, 28800L * MIX_RECORDS_PER_100 / 100, 365, NULL, 'm' };
	struct month months[400];
	struct hr_db *db;
	struct hr_error err;
	char dir[256], path[600], a[32], b[32], cbuf[32];
	int64_t used, file, max_used = 0, workdays = 0, day_records = 0;
	int64_t day_used0 = 0, day_used1 = 0, arch_bytes = 0, arch_records = 0;
	int nmonths = 0, ch, last_month = 0;
	uint64_t appid = 1000000;
	double t0 = now_s(), gen = 0;

	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o.clerks = atoi(optarg); break;
		case 'r': o.per_day = atol(optarg); break;
		case 'd': o.days = atoi(optarg); break;
		case 'D': o.dir = optarg; break;
		case 'e': o.every = optarg[0]; break;
		default: usage();
		}
	}
	if (o.clerks < 1 || o.per_day < 1 || o.days < 1 || o.days > 366 ||
	    optind != argc || (o.every != 'm' && o.every != 'w' &&
	    o.every != 'd'))
		usage();
	if (sodium_init() < 0)
		return 1;
	snprintf(dir, sizeof dir, "%s/bench-audit.XXXXXX", o.dir ? o.dir :
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", NULL);
	snprintf(path, sizeof path, "%s/audit.db", dir);
	if (db_open(&db, path, HR_DB_CREATE, &err) < 0)
		die("open", &err);
	printf("Audit log over a simulated year: %d clerk(s), %ld records per "
	    "clerk-day%s, Monday..Friday, archived %s\n", o.clerks, o.per_day,
	    o.per_day == 28800L * MIX_RECORDS_PER_100 / 100 ? " (the load "
	    "test's clerk: one request a second for 8 h, its mix)" : "",
	    o.every == 'm' ? "on the 1st of each month" : o.every == 'w' ?
	    "every Monday" : "every morning");
	printf("\n%-10s %12s %12s %12s %12s %10s\n", "archived", "live before",
	    "archived", "archive file", "live after", "archiving");
	for (int d = 0; d < o.days; d++) {
		int64_t day = START + (int64_t)d * DAY;
		time_t tt = (time_t)day;
		struct tm tm;
		int wday;

		gmtime_r(&tt, &tm);
		wday = tm.tm_wday;
		if (d > 0 && nmonths < 400 && (o.every == 'd' ? wday != 0 &&
		    wday != 1 : o.every == 'w' ? wday == 1 : tm.tm_mday == 1)) {
			struct month *m = &months[nmonths];
			struct db_archive ar;
			int64_t before_used, del = 0;
			double ts = now_s();

			sizes(db, &before_used, &file);
			if (before_used > max_used)
				max_used = before_used;
			snprintf(m->file, sizeof m->file, "%s/%03d.db", dir,
			    nmonths);
			if (db_archive_plan(db, day, &ar, &err) < 0 ||
			    db_archive_write(db, &ar, m->file, NULL, NULL, &err) < 0 ||
			    db_archive_verify_file(m->file, &ar, &err) < 0 ||
			    (ar.created_at = day) == 0 ||   /* simulated "now" */
			    db_archive_register(db, &ar, m->file,
			    &(struct db_audit_entry){ 0, "hromadactl", "bench",
			    NULL, NULL, NULL }, &err) < 0 ||
			    db_archive_prune(db, 2000, NULL, NULL, &del, &err) < 0)
				die("archive", &err);
			m->secs = now_s() - ts;
			m->records = ar.records;
			m->bytes = ar.file_bytes;
			arch_bytes += ar.file_bytes;
			arch_records += ar.records;
			sizes(db, &used, &file);
			printf("%04d-%02d-%02d %12s %12lld %12s %12s %9.1fs\n",
			    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			    mib(before_used, a, sizeof a), (long long)ar.records,
			    mib(ar.file_bytes, b, sizeof b), mib(used, cbuf,
			    sizeof cbuf), m->secs);
			fflush(stdout);
			nmonths++;
			last_month = nmonths;
		}
		if (wday == 0 || wday == 6)
			continue;
		{
			double tg = now_s();
			int64_t r0 = live_records(db);

			if (workdays == 0)
				sizes(db, &day_used0, &file);
			work_day(db, &o, day, &appid);
			gen += now_s() - tg;
			if (workdays == 0) {
				sizes(db, &day_used1, &file);
				day_records = live_records(db) - r0;
			}
			workdays++;
		}
	}
	(void)last_month;
	sizes(db, &used, &file);
	if (used > max_used)
		max_used = used;
	printf("\nAppending: %lld working days, %lld records in %.0f s (%.0f "
	    "records/s with the hash chain)\n", (long long)workdays,
	    (long long)(workdays * o.per_day * o.clerks), gen,
	    (double)(workdays * o.per_day * o.clerks) / gen);

	/* Verify a month's file; search the year's archives for one id. */
	if (nmonths > 0) {
		struct db_archive ar;
		struct db_audit_filter f;
		double tv = now_s(), tq;
		long found = 0;

		if (db_archive_verify_file(months[0].file, &ar, &err) < 0)
			die("verify", &err);
		tv = now_s() - tv;
		memset(&f, 0, sizeof f);
		f.application = 1000000 + 5000;
		tq = now_s();
		for (int i = 0; i < nmonths; i++)
			if (db_archive_each(months[i].file, &f, count_cb, &found,
			    &err) < 0)
				die("search", &err);
		tq = now_s() - tq;
		printf("Verifying one archive (%lld records): %.1f s; searching "
		    "the year's %d archives for one application: %.2f s, %ld "
		    "records\n", (long long)ar.records, tv, nmonths, tq, found);
	}
	if (db_audit_verify(db, NULL, &err) < 0)
		die("the live chain after a year", &err);

	printf("\n%-52s %14s\n", "per clerk-day", "");
	printf("%-52s %14lld\n", "audit records", (long long)(day_records /
	    o.clerks));
	printf("%-52s %11.0f KiB\n", "live table with its index",
	    (double)(day_used1 - day_used0) / o.clerks / 1024);
	printf("%-52s %11.1f B\n", "  per record", day_records ?
	    (double)(day_used1 - day_used0) / (double)day_records : 0);
	printf("%-52s %11.0f KiB\n", "archived (compressed, with its index)",
	    arch_records ? (double)arch_bytes / (double)arch_records *
	    (double)day_records / o.clerks / 1024 : 0);
	printf("%-52s %11.1f B\n", "  per record", arch_records ?
	    (double)arch_bytes / (double)arch_records : 0);
	printf("\n%-52s %14s\n", o.every == 'm' ? "after the year, monthly "
	    "archiving" : o.every == 'w' ? "after the year, weekly archiving" :
	    "after the year, daily archiving", "");
	printf("%-52s %14lld\n", "live records", (long long)live_records(db));
	printf("%-52s %14s\n", "live size now", mib(used, a, sizeof a));
	printf("%-52s %14s\n", "live size at most (just before an archiving)",
	    mib(max_used, a, sizeof a));
	printf("%-52s %14s\n", "database file (freed pages kept for reuse)",
	    mib(file, a, sizeof a));
	printf("%-52s %14s\n", "without archiving it would be about",
	    mib((int64_t)((double)(day_used1 - day_used0) * (double)workdays),
	    a, sizeof a));
	printf("%-52s %14s\n", "archives of the year", mib(arch_bytes, a,
	    sizeof a));
	printf("\n%-52s %14s\n", "for 10,000 clerks (scaled from the above)", "");
	printf("%-52s %10.1f GiB\n", "audit per working day, live table",
	    (double)(day_used1 - day_used0) / o.clerks * TARGET_CLERKS /
	    (1 << 30));
	printf("%-52s %10.1f GiB\n", "live table at most, with this archiving",
	    (double)max_used / o.clerks * TARGET_CLERKS / (1 << 30));
	printf("%-52s %10.1f GiB\n", "archives per year",
	    (double)arch_bytes / o.clerks * TARGET_CLERKS / (1 << 30));
	printf("\n(%d clerk(s) simulated in %.0f s; files in %s, removed)\n",
	    o.clerks, now_s() - t0, dir);
	db_close(db);
	for (int i = 0; i < nmonths; i++)
		unlink(months[i].file);
	unlink(path);
	snprintf(path, sizeof path, "%s/audit.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/audit.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
