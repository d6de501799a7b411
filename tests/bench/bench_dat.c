/*
 * bench_dat.c — *.DAT export and import of a 10,000-application batch at
 * the server, on a big database (issue 17 target: each < 2 s on the
 * 1,000,000-application database), beside the raw SQLite insert rate
 * measured in the same run on the same file.
 *
 *   bench_dat --db FILE [--apps N] [--system S] [--cache-mib M]
 *
 * FILE is a COPY this program may change (tests/bench/run-dat.sh makes
 * one): N applications (default 10,000) of system S (default asopd) of
 * the back office that has most of them are made `checked` (others of S
 * are moved to it when it has too few), untimed.  Then, timed, what the
 * server runs for dat.export and dat.import (db/dat_export.h,
 * db/dat_import.h, in their own transactions, each file one request, the
 * audit records written as the server writes them): export until nothing
 * is checked (DB_DAT_EXPORT_MAX a file), then import an answer to every
 * file (made here, untimed, as the decision system would).  The raw rate:
 * N rows of the shape of a history row inserted by one prepared statement
 * in one transaction, committed (synchronous=FULL, WAL, as hromadad
 * opens it).  Prints wall and process CPU time, the cost per application
 * beside the cost of one raw insert, and the machine's load before and
 * after.  --cache-mib M gives the connection a page cache of M MiB instead
 * of SQLite's default 2 MiB, which hromadad uses: to see what the cache
 * would change, not the server's figure.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "db/audit.h"
#include "db/dat_export.h"
#include "db/dat_import.h"
#include "db/db.h"
#include "proto/buf.h"
#include "proto/roles.h"

struct files {
	struct hr_buf *b;
	size_t         n, cap;
};

static double
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
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

static int64_t
one_int(struct hr_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_dat: %s: %s\n", sql,
		    sqlite3_errmsg(db->sql));
		exit(1);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
exec(struct hr_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->sql, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench_dat: %.200s: %s\n", sql, msg);
		exit(1);
	}
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
	office = one_int(db, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM applications a JOIN "
	    "services s ON s.code = a.service_code WHERE s.system = '%s' AND "
	    "a.reg_no IS NOT NULL AND a.spszn_id = %lld AND a.status NOT IN "
	    "('exported', 'answered') AND NOT EXISTS (SELECT 1 FROM decisions "
	    "d WHERE d.application_id = a.id)", system, (long long)office);
	have = one_int(db, sql);
	exec(db, "BEGIN IMMEDIATE");
	if (have < n) {
		snprintf(sql, sizeof sql, "UPDATE applications SET spszn_id = "
		    "%lld WHERE id IN (SELECT a.id FROM applications a JOIN "
		    "services s ON s.code = a.service_code WHERE s.system = '%s' "
		    "AND a.reg_no IS NOT NULL AND a.spszn_id != %lld AND "
		    "a.status NOT IN ('exported', 'answered') LIMIT %lld)",
		    (long long)office, system, (long long)office,
		    (long long)(n - have));
		exec(db, sql);
	}
	/* nothing of the system checked but the batch */
	snprintf(sql, sizeof sql, "UPDATE applications SET status = 'at_spszn' "
	    "WHERE status = 'checked' AND spszn_id = %lld", (long long)office);
	exec(db, sql);
	/* never exported nor decided (a run again on the same copy takes
	 * others) */
	snprintf(sql, sizeof sql, "UPDATE applications SET status = 'checked' "
	    "WHERE id IN (SELECT a.id FROM applications a JOIN services s ON "
	    "s.code = a.service_code WHERE s.system = '%s' AND a.reg_no IS "
	    "NOT NULL AND a.spszn_id = %lld AND a.status NOT IN ('exported', "
	    "'answered') AND NOT EXISTS (SELECT 1 FROM decisions d WHERE "
	    "d.application_id = a.id) ORDER BY a.id LIMIT %ld)", system,
	    (long long)office, n);
	exec(db, sql);
	exec(db, "COMMIT");
	return office;
}

/* The raw rate: n history-shaped rows, one statement, one transaction. */
static double
raw_inserts(struct hr_db *db, long n, double *cpu_ms)
{
	sqlite3_stmt *st;
	double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(
	    CLOCK_PROCESS_CPUTIME_ID), t;

	exec(db, "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, "
	    "application_id INTEGER NOT NULL, at INTEGER NOT NULL, user_id "
	    "INTEGER NOT NULL, from_status TEXT, to_status TEXT NOT NULL, "
	    "comment TEXT)");
	t0 = clock_ms(CLOCK_MONOTONIC);
	c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	exec(db, "BEGIN IMMEDIATE");
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
	exec(db, "COMMIT");
	t = clock_ms(CLOCK_MONOTONIC) - t0;
	*cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	exec(db, "DROP TABLE bench_raw");
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
		if (db_commit(db, &err) < 0)
			fail("commit", &err);
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
		if (db_commit(db, &err) < 0)
			fail("commit", &err);
		decided += x.imported;
		db_dat_import_free(&x);
	}
	return decided;
}

int
main(int argc, char **argv)
{
	const char *path = NULL, *system = "asopd";
	long n = 10000, exported, imported, cache_mib = 0;
	struct hr_db *db;
	struct hr_error err;
	struct files files = { 0 }, answers = { 0 };
	char code[HR_DAT_OFFICE_MAX], l0[128], l1[128], l2[128];
	struct bench_who bw;
	int64_t user_id, office;
	struct db_dat_actor who;
	double t, c, raw, raw_cpu, te, ce, ti, ci;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--db") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--apps") == 0)
			n = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--system") == 0)
			system = argv[i + 1];
		else if (strcmp(argv[i], "--cache-mib") == 0)
			cache_mib = atol(argv[i + 1]);
	}
	if (path == NULL || n < 1) {
		fprintf(stderr, "usage: bench_dat --db COPY.db [--apps N] "
		    "[--system S]\n  (the database is changed: give a copy)\n");
		return 2;
	}
	if (db_open(&db, path, 0, &err) < 0)
		fail(path, &err);
	if (cache_mib > 0) {
		/* what a bigger page cache than hromadad's (SQLite's default,
		 * 2 MiB) would give: not the server's figure */
		char pragma[64];

		snprintf(pragma, sizeof pragma, "PRAGMA cache_size = -%ld",
		    cache_mib * 1024);
		exec(db, pragma);
	}
	office = prepare(db, system, n);
	if (db_dat_office_code(db, office, code, sizeof code, &err) < 0)
		fail("office code", &err);
	user_id = one_int(db, "SELECT id FROM users ORDER BY role = 'spszn' "
	    "DESC, id LIMIT 1");
	bw.user_id = user_id;
	bw.db = db;
	who = (struct db_dat_actor){ user_id, HR_ROLE_SPSZN, audit_hook, NULL,
	    &bw };
	printf("bench_dat: %s, %lld applications, back office %s, %ld of %s "
	    "checked\n", path, (long long)one_int(db, "SELECT count(*) FROM "
	    "applications"), code, n, system);
	load(l0, sizeof l0);

	raw = raw_inserts(db, n, &raw_cpu);

	t = clock_ms(CLOCK_MONOTONIC);
	c = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	exported = export_all(db, &who, office, code, system, &files);
	te = clock_ms(CLOCK_MONOTONIC) - t;
	ce = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c;
	load(l1, sizeof l1);

	answers.b = calloc(files.n + 1, sizeof *answers.b);
	answers.n = files.n;
	for (size_t i = 0; i < files.n; i++)
		answer_to(&files.b[i], (uint32_t)(100000 + (time(NULL) * 31) %
		    800000 + i), &answers.b[i]);

	t = clock_ms(CLOCK_MONOTONIC);
	c = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	imported = import_all(db, &who, office, code, &answers);
	ti = clock_ms(CLOCK_MONOTONIC) - t;
	ci = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c;
	load(l2, sizeof l2);

	printf("load (1/5/15 min, running/all, last pid): before %s; after "
	    "export %s; after import %s\n", l0, l1, l2);
	printf("%-34s %6ld rows   wall %8.1f ms  CPU %8.1f ms  %7.1f us/row\n",
	    "raw SQLite insert (1 tx, FULL)", n, raw, raw_cpu, raw * 1e3 / n);
	printf("%-34s %6ld apps   wall %8.1f ms  CPU %8.1f ms  %7.1f us/app "
	    "= %5.1f raw inserts  (%zu files; target < 2000 ms)\n",
	    "dat.export (the server's work)", exported, te, ce, te * 1e3 /
	    (double)exported, te / raw * (double)n / (double)exported,
	    files.n);
	printf("%-34s %6ld apps   wall %8.1f ms  CPU %8.1f ms  %7.1f us/app "
	    "= %5.1f raw inserts  (%zu files; target < 2000 ms)\n",
	    "dat.import (the server's work)", imported, ti, ci, ti * 1e3 /
	    (double)imported, ti / raw * (double)n / (double)imported,
	    answers.n);
	for (size_t i = 0; i < files.n; i++) {
		hr_buf_free(&files.b[i]);
		hr_buf_free(&answers.b[i]);
	}
	free(files.b);
	free(answers.b);
	db_close(db);
	return exported == n && imported == n ? 0 : 1;
}
