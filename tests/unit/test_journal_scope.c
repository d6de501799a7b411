/*
 * test_journal_scope.c — the journal's name search within a scope
 * (migration 005_perf, db/journal.c "range" and "scan" ways).
 *
 * A name prefix that is wide in the country (more than JOURNAL_NARROW
 * applications) is looked up in the scope itself: a range of the (scope,
 * applicant_search, status) index when it matches few of the scope's
 * applications, a walk of the scope when it matches many.  Both must give
 * exactly what the plain definition gives (applicant's folded name starts
 * with the query, in scope, newest first, cursor pages without gaps), the
 * counts must match, the plans must be the intended ones, and the
 * denormalised name must follow the application's own copy of its
 * applicant, not the base (migration 014).  And the row those searches
 * read is written once by its INSERT and once by a status change.
 *
 * The data: 1,200 "Коваленко" and 1,200 "Ткаченко" persons; hromada H
 * gets 12 applications of Коваленко persons (few: range) and 600 of
 * Ткаченко (many: scan), hromada H2 gets 1,000 of Коваленко and 500 of
 * Ткаченко (both names wide in the country).  It is made once, and each
 * test works on a copy of its file.  Later tests cover the other kept
 * counts and filters: statuses, decisions, kinds, the clocks and the
 * counts by creation day -- each against the plain definition.  The
 * whole file runs in a time zone with a clock change (Kyiv's rule).
 *
 * Alike on purpose: main's table of cmocka tests (a row a test, with its
 * setup and teardown), as every cmocka test file has; and the tests over a
 * page start alike (the fixture, a filter, the rows seen, the counts),
 * each then with its own query.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/application_persons.h"
#include "db/applications.h"
#include "db/batch_summaries.h"
#include "db/dat.h"
#include "db/deadlines.h"
#include "db/db.h"
#include "db/journal.h"
#include "db/notify.h"
#include "db/persons.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tests/lib/tdb.h"

#define NOW      1790000000
#define NPERSONS 1200         /* per surname: above JOURNAL_NARROW (1000) */
#define FEW      12           /* Коваленко in H: below JOURNAL_DENSE */
#define MANY     600          /* Ткаченко in H: above JOURNAL_DENSE (500) */
#define OTHER    1000         /* Коваленко in H2 */
#define OTHER_T  500          /* Ткаченко in H2 */

struct fx {
	char          dir[256], path[300];
	struct hr_db *db;
	int64_t       h, h2, cnap, sta, cnap2, user;
	int64_t       kov[NPERSONS], tka[NPERSONS];
	int64_t       few[FEW], many[MANY];   /* application ids in H, by kind */
	int64_t       counts_many[HR_ST__COUNT];
};

static void
tree(struct fx *f)
{
	struct hr_error err;
	int64_t country, oblast, spszn;

	assert_int_equal(db_territory_add(f->db, 0, HR_TERR_COUNTRY, "Україна",
	    NULL, &country, &err), 0);
	assert_int_equal(db_territory_add(f->db, country, HR_TERR_OBLAST,
	    "Сумська область", NULL, &oblast, &err), 0);
	assert_int_equal(db_territory_add(f->db, oblast, HR_TERR_SPSZN, "УСЗН",
	    NULL, &spszn, &err), 0);
	assert_int_equal(db_territory_add(f->db, spszn, HR_TERR_HROMADA,
	    "Березівська", NULL, &f->h, &err), 0);
	assert_int_equal(db_territory_add(f->db, spszn, HR_TERR_HROMADA,
	    "Шалигинська", NULL, &f->h2, &err), 0);
	assert_int_equal(db_territory_add(f->db, f->h, HR_TERR_CNAP, "ЦНАП",
	    NULL, &f->cnap, &err), 0);
	assert_int_equal(db_territory_add(f->db, f->h, HR_TERR_STAROSTA,
	    "Слоутський", NULL, &f->sta, &err), 0);
	assert_int_equal(db_territory_add(f->db, f->h2, HR_TERR_CNAP, "ЦНАП 2",
	    NULL, &f->cnap2, &err), 0);
	assert_int_equal(db_user_add(f->db, "clerk", "Ковальчук Людмила",
	    HR_ROLE_SUPER_USER_CNAP, f->cnap, "a-long-test-password-1", &f->user,
	    &err), 0);
	tdb_exec(f->db, "INSERT INTO services (code, name, system) VALUES "
	    "('birth', 'Допомога при народженні', 'asopd')");
}

static void
persons(struct fx *f, const char *surname, int64_t *ids)
{
	struct hr_error err;

	for (int i = 0; i < NPERSONS; i++) {
		struct db_person p = { 0 };

		p.surname = surname;
		p.name = i % 2 ? "Іван" : "Олена";
		p.patronymic = "Петрівна";
		p.birth_date = "1980-01-01";
		p.sex = HR_SEX_FEMALE;
		assert_int_equal(db_person_add(f->db, &p, &ids[i], &err), 0);
	}
}

static int64_t
app(struct fx *f, int64_t office, int64_t applicant, int k)
{
	struct db_application_new a = { 0 };
	struct hr_error err;
	int64_t id;

	a.front_office_id = office;
	a.service_code = "birth";
	a.applicant_id = applicant;
	a.created_by = f->user;
	a.at = NOW + k;
	assert_int_equal(db_application_add(f->db, &a, &id, &err), 0);
	return id;
}

/*
 * The fixture is made once (group_setup: 2,400 persons and 2,112
 * applications through db/, the file's statistics analysed) and each test
 * gets a copy of its file and ids: the tests change it, and making it
 * again for each one was most of this file's time.
 */
static struct fx made;

static void
copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;

	assert_non_null(in);
	assert_non_null(out = fopen(to, "wb"));
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	assert_false(ferror(in));
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* A directory of its own for f's database. */
static void
fx_dir(struct fx *f)
{
	snprintf(f->dir, sizeof f->dir, "%s/hromada-jscope.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
}

static int
group_setup(void **state)
{
	struct fx *f = &made;
	struct hr_error err;
	char wal[320];
	int fk = 0, tk = 0, k = 0;

	(void)state;
	assert_true(sodium_init() >= 0);
	fx_dir(f);
	if (db_open(&f->db, f->path, HR_DB_CREATE, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	assert_int_equal(db_begin(f->db, &err), 0);
	tree(f);
	persons(f, "Коваленко", f->kov);
	persons(f, "Ткаченко", f->tka);
	/* Interleaved so that ids of both kinds and both hromadas mix. */
	while (fk < FEW || tk < MANY || k < FEW + MANY + OTHER) {
		if (tk < MANY) {
			f->many[tk] = app(f, tk % 2 ? f->sta : f->cnap, f->tka[tk],
			    k);
			if (tk % 3 == 0)
				assert_int_equal(db_application_set_status(f->db,
				    f->many[tk], HR_ST_DRAFT, HR_ST_AT_OTG, f->user,
				    NULL, NOW + k, &err), 0);
			f->counts_many[tk % 3 == 0 ? HR_ST_AT_OTG : HR_ST_DRAFT]++;
			tk++;
		}
		if (k % 50 == 0 && fk < FEW) {
			f->few[fk] = app(f, f->cnap, f->kov[fk], k);
			fk++;
		}
		if (k < OTHER)
			app(f, f->cnap2, f->kov[FEW + k], k);
		if (k < OTHER_T)
			app(f, f->cnap2, f->tka[MANY + k], k);
		k++;
	}
	assert_int_equal(db_commit(f->db, &err), 0);
	tdb_exec(f->db, "ANALYZE");
	/* the last connection's close leaves the whole database in the
	 * file */
	db_close(f->db);
	f->db = NULL;
	snprintf(wal, sizeof wal, "%.300s-wal", f->path);
	assert_int_equal(access(wal, F_OK), -1);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	tdb_remove(made.path);
	rmdir(made.dir);
	return 0;
}

static int
setup(void **state)
{
	struct fx *f = malloc(sizeof *f);
	struct hr_error err;

	assert_non_null(f);
	*f = made;
	fx_dir(f);
	copy_file(made.path, f->path);
	if (db_open(&f->db, f->path, 0, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	tdb_remove(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

struct seen {
	int64_t ids[4096];
	int     n;
};

static int
seen_row(void *ud, const struct db_journal_row *r)
{
	struct seen *s = ud;

	assert_true(s->n < 4096);
	s->ids[s->n++] = r->id;
	return 0;
}

/* Every page of f (20 a page) into s; newest first, no gaps or repeats. */
static void
all_pages(struct fx *fx, struct db_journal_filter *f, struct seen *s)
{
	struct hr_error err;
	int64_t next = 0;
	int pages = 0;

	s->n = 0;
	f->limit = 20;
	f->before_id = 0;
	do {
		assert_int_equal(db_journal_page(fx->db, f, seen_row, s, &next,
		    &err), 0);
		f->before_id = next;
		assert_true(++pages < 300);
	} while (next != 0);
}

/* ids must be `want` (ascending) in descending order. */
static void
assert_ids(const struct seen *s, const int64_t *want, int n)
{
	assert_int_equal(s->n, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(s->ids[i], want[n - 1 - i]);
}

static void
filter(struct fx *fx, struct db_journal_filter *f, const char *q)
{
	memset(f, 0, sizeof *f);
	f->scope_col = DB_SCOPE_HROMADA;
	f->scope_id = fx->h;
	f->status = -1;
	f->query = q;
}

static void
plan(struct fx *fx, const struct db_journal_filter *f, char *out, size_t cap)
{
	struct hr_error err;

	if (db_journal_plan(fx->db, f, out, cap, &err) != 0)
		fail_msg("plan: %s", err.msg);
}

/* Few in scope: the range of the (hromada, name, status) index. */
static void
test_range(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f;
	struct seen s;
	struct hr_error err;
	int64_t counts[HR_ST__COUNT];
	char p[2048];

	filter(fx, &f, "КОВ");          /* any case: folded on both sides */
	all_pages(fx, &f, &s);
	assert_ids(&s, fx->few, FEW);
	plan(fx, &f, p, sizeof p);
	assert_non_null(strstr(p, "applications_hromada_search"));
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	assert_int_equal(counts[HR_ST_DRAFT], FEW);
}

/* Many in scope: the scope walk, newest first without a sort. */
static void
test_scan(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f;
	struct seen s;
	struct hr_error err;
	int64_t counts[HR_ST__COUNT];
	char p[2048];

	filter(fx, &f, "ткач");
	all_pages(fx, &f, &s);
	assert_ids(&s, fx->many, MANY);
	plan(fx, &f, p, sizeof p);
	assert_null(strstr(p, "TEMP B-TREE"));
	assert_null(strstr(p, "_search"));
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	for (int st = 0; st < HR_ST__COUNT; st++)
		assert_int_equal(counts[st], fx->counts_many[st]);
	/* A status filter along the walk. */
	f.status = HR_ST_AT_OTG;
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, fx->counts_many[HR_ST_AT_OTG]);
}

/* A front office scope and a prefix nobody in scope has. */
static void
test_office_and_none(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f;
	struct seen s;

	filter(fx, &f, "ткаченко");
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	f.scope_id = fx->sta;
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, MANY / 2);
	filter(fx, &f, "коваленко");
	f.scope_col = DB_SCOPE_FRONT_OFFICE;
	f.scope_id = fx->sta;
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, 0);
}

/*
 * Renaming a person in the base does not rename their applications: each
 * carries its own copy (014), and the journal lists and finds it by that.
 * A save of the application (its copy, db_app_persons_set) does.
 */
static void
test_rename(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f;
	struct db_person p = { 0 };
	struct db_app_person rows[1] = { { 0 } };
	struct seen s;
	struct hr_error err;

	p.surname = "Щербак";
	p.name = "Олена";
	p.patronymic = "Петрівна";
	p.birth_date = "1980-01-01";
	p.sex = HR_SEX_FEMALE;
	assert_int_equal(db_person_update(fx->db, fx->kov[0], &p, &err), 0);
	filter(fx, &f, "щерб");
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, 0);
	filter(fx, &f, "ков");
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, FEW);

	rows[0].v.id = fx->kov[0];
	rows[0].v.p = p;
	assert_int_equal(db_app_persons_set(fx->db, fx->few[0], rows, 1, &err), 0);
	filter(fx, &f, "щерб");
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ids[0], fx->few[0]);
	filter(fx, &f, "ков");
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, FEW - 1);
}

/* One number from SQL. */
static int64_t
one(struct hr_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The applications a (SQL) where `where` holds, per status: one query
 * for all of them. */
static void
table_counts(struct fx *fx, const char *where, int64_t out[HR_ST__COUNT])
{
	sqlite3_stmt *st = NULL;
	char sql[1024];

	memset(out, 0, HR_ST__COUNT * sizeof out[0]);
	snprintf(sql, sizeof sql, "SELECT status, count(*) FROM applications "
	    "a WHERE %s GROUP BY status", where);
	assert_int_equal(sqlite3_prepare_v2(fx->db->sql, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = hr_status_from_name((const char *)
		    sqlite3_column_text(st, 0));

		assert_true(k >= 0);
		out[k] = sqlite3_column_int64(st, 1);
	}
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
}

/* Each scope's db_untold_count against the plain count of the table. */
static void
untold_check(struct fx *fx)
{
	struct { int col; const char *where; } sc[] = {
		{ DB_SCOPE_FRONT_OFFICE, "front_office_id" },
		{ DB_SCOPE_HROMADA,      "hromada_id" },
		{ DB_SCOPE_SPSZN,        "spszn_id" },
		{ DB_SCOPE_OBLAST,       "oblast_id" },
		{ DB_SCOPE_ALL,          NULL },
	};
	struct hr_error err;
	char sql[256];

	for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++) {
		int64_t scope = 0, n = -1, want;

		if (sc[i].where != NULL) {
			snprintf(sql, sizeof sql, "SELECT %s FROM applications "
			    "WHERE id = %lld", sc[i].where, (long long)fx->many[0]);
			scope = one(fx->db, sql);
			snprintf(sql, sizeof sql, "SELECT count(*) FROM "
			    "applications WHERE %s = %lld AND status = 'answered' "
			    "AND notified_at IS NULL", sc[i].where,
			    (long long)scope);
		} else
			snprintf(sql, sizeof sql, "SELECT count(*) FROM "
			    "applications WHERE status = 'answered' AND "
			    "notified_at IS NULL");
		want = one(fx->db, sql);
		assert_true(want > 0);
		if (db_untold_count(fx->db, sc[i].col, scope, &n, &err) < 0)
			fail_msg("db_untold_count: %s", err.msg);
		assert_int_equal(n, want);
	}
}

/*
 * «Рішення є, заявника не повідомлено» for the whole scope, the count every
 * journal opened with its counts carries: for each kind of scope it is the
 * plain count, kept by triggers (026_untold_counts) through every way an
 * application becomes or stops being untold -- the country's count was
 * always 0 once (its SQL left a parameter unbound), the back office's and
 * the oblast's walked the table, then tens of thousands of index entries.
 */
static void
test_untold_counts(void **state)
{
	struct fx *fx = *state;

	/* A third of Ткаченко's applications answered, every second of those
	 * told. */
	tdb_exec(fx->db, "UPDATE applications SET status = 'answered' WHERE id % 3 = 0");
	tdb_exec(fx->db, "UPDATE applications SET notified_at = 1790000000, "
	    "notified_how = 'phone' WHERE status = 'answered' AND id % 2 = 0");
	assert_true(one(fx->db, "SELECT count(*) FROM applications WHERE "
	    "status = 'answered' AND notified_at IS NULL") > 100);
	untold_check(fx);
	/* Told ones untold again, untold ones no longer answered, told and
	 * answered in one statement. */
	tdb_exec(fx->db, "UPDATE applications SET notified_at = NULL, notified_how = "
	    "NULL WHERE status = 'answered' AND id % 4 = 0");
	tdb_exec(fx->db, "UPDATE applications SET status = 'checked' WHERE "
	    "status = 'answered' AND notified_at IS NULL AND id % 5 = 0");
	tdb_exec(fx->db, "UPDATE applications SET status = 'answered', notified_at = "
	    "1790000000, notified_how = 'phone' WHERE id % 7 = 1");
	untold_check(fx);
}

/*
 * A new application's row is written once: its INSERT carries the form's
 * fields (application.save) and its running clock's dates (deadlines.h),
 * no UPDATE of the row follows; a status change that starts another
 * stage's clock writes the row once too (a temporary trigger counts the
 * UPDATEs of applications).
 */
static void
test_row_written_once(void **state)
{
	struct fx *fx = *state;
	struct db_app_fields fields = { "birth", fx->kov[7], "post", NULL,
	    "41400", "+380501234567", "примітка" };
	struct db_application_new a = { 0 };
	struct hr_error err;
	char sql[512];
	int64_t id;

	tdb_exec(fx->db, "CREATE TEMP TABLE row_writes (n INTEGER); "
	    "INSERT INTO row_writes VALUES (0); "
	    "CREATE TEMP TRIGGER row_writes_count AFTER UPDATE ON "
	    "main.applications BEGIN UPDATE row_writes SET n = n + 1; END");
	a.front_office_id = fx->cnap;
	a.service_code = "birth";
	a.applicant_id = fx->kov[7];
	a.created_by = fx->user;
	a.at = NOW + 100000;
	a.fields = &fields;
	assert_int_equal(db_application_add(fx->db, &a, &id, &err), 0);
	assert_int_equal(one(fx->db, "SELECT n FROM row_writes"), 0);
	snprintf(sql, sizeof sql, "SELECT pay_method = 'post' AND post_office "
	    "= '41400' AND phone = '+380501234567' AND notes = 'примітка' AND "
	    "iban IS NULL AND stage_due IS NOT NULL AND stage_warn IS NOT NULL "
	    "FROM applications WHERE id = %lld", (long long)id);
	assert_int_equal(one(fx->db, sql), 1);
	/* The row's copy is the running clock's. */
	snprintf(sql, sizeof sql, "SELECT count(*) FROM applications a JOIN "
	    "application_clocks c ON c.application_id = a.id AND "
	    "c.stopped_at IS NULL AND c.stage = 'front' AND c.due_day = "
	    "a.stage_due AND c.start_day = a.stage_start AND c.days = "
	    "a.stage_days AND c.office_id = a.front_office_id WHERE a.id = "
	    "%lld", (long long)id);
	assert_int_equal(one(fx->db, sql), 1);
	/* Sent on: one write, the hromada's clock on the row. */
	assert_int_equal(db_application_set_status(fx->db, id, HR_ST_DRAFT,
	    HR_ST_AT_OTG, fx->user, NULL, NOW + 100001, &err), 0);
	assert_int_equal(one(fx->db, "SELECT n FROM row_writes"), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM applications a JOIN "
	    "application_clocks c ON c.application_id = a.id AND "
	    "c.stopped_at IS NULL AND c.stage = 'otg' AND c.due_day = "
	    "a.stage_due AND c.office_id = a.hromada_id WHERE a.id = %lld",
	    (long long)id);
	assert_int_equal(one(fx->db, sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM application_clocks "
	    "WHERE application_id = %lld AND stage = 'front' AND stopped_at = "
	    "%lld", (long long)id, (long long)NOW + 100001);
	assert_int_equal(one(fx->db, sql), 1);
	/* Within a stage nothing but the status; answered empties the row's
	 * clock in the same write. */
	assert_int_equal(db_application_set_status(fx->db, id, HR_ST_AT_OTG,
	    HR_ST_AT_SPSZN, fx->user, NULL, NOW + 100002, &err), 0);
	assert_int_equal(db_application_set_status(fx->db, id, HR_ST_AT_SPSZN,
	    HR_ST_CHECKED, fx->user, NULL, NOW + 100003, &err), 0);
	assert_int_equal(db_application_set_status(fx->db, id, HR_ST_CHECKED,
	    HR_ST_EXPORTED, fx->user, NULL, NOW + 100004, &err), 0);
	assert_int_equal(db_application_set_status(fx->db, id, HR_ST_EXPORTED,
	    HR_ST_ANSWERED, fx->user, NULL, NOW + 100005, &err), 0);
	assert_int_equal(one(fx->db, "SELECT n FROM row_writes"), 5);
	snprintf(sql, sizeof sql, "SELECT stage_due IS NULL AND (SELECT "
	    "count(*) FROM application_clocks WHERE application_id = %lld AND "
	    "stopped_at IS NULL) = 0 FROM applications WHERE id = %lld",
	    (long long)id, (long long)id);
	assert_int_equal(one(fx->db, sql), 1);
	/* A status change that finds the application moved on changes
	 * nothing and says so. */
	assert_int_equal(db_application_set_status(fx->db, id, HR_ST_DRAFT,
	    HR_ST_AT_OTG, fx->user, NULL, NOW + 100006, &err), -1);
	assert_int_equal(err.code, HR_E_CONFLICT);
}

/*
 * One status, no query: the scope's walk, the status tested on its entries
 * (no (scope, status) index since 028_status_indexes): every page, newest
 * first, exactly the applications in that status.  A status the scope has
 * none of is answered from the kept counts (008) without a walk -- and
 * the first application that moves into it is found.
 */
static void
test_status_pages(void **state)
{
	struct fx *fx = *state;
	struct db_journal_filter f;
	struct hr_error err;
	struct seen s;
	char sql[256];

	for (int st = 0; st < HR_ST__COUNT; st++) {
		filter(fx, &f, NULL);
		f.status = st;
		all_pages(fx, &f, &s);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM applications "
		    "WHERE hromada_id = %lld AND status = '%s'",
		    (long long)fx->h, hr_status_name(st));
		assert_int_equal(s.n, one(fx->db, sql));
		for (int i = 1; i < s.n; i++)
			assert_true(s.ids[i] < s.ids[i - 1]);
	}
	filter(fx, &f, NULL);
	f.status = HR_ST_CHECKED;
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(db_application_set_status(fx->db, fx->many[0],
	    HR_ST_AT_OTG, HR_ST_CHECKED, fx->user, NULL, NOW, &err), 0);
	all_pages(fx, &f, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ids[0], fx->many[0]);
}

/* ---- the decision filter (033_decision_counts) ---- */

/*
 * Every page of f and its counts against the plain definition: the
 * scope's applications where `cond` holds (SQL over applications a),
 * newest first, and their number per status.
 */
static void
decided_check(struct fx *fx, struct db_journal_filter *f, const char *scope,
    const char *cond)
{
	struct seen *l = calloc(1, sizeof *l);
	int64_t counts[HR_ST__COUNT], want[HR_ST__COUNT];
	struct hr_error err;
	sqlite3_stmt *st;
	char sql[1024];
	int i = 0;

	assert_non_null(l);
	all_pages(fx, f, l);
	snprintf(sql, sizeof sql, "SELECT id FROM applications a WHERE %s AND "
	    "%s ORDER BY id DESC", scope, cond);
	assert_int_equal(sqlite3_prepare_v2(fx->db->sql, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(i < l->n);
		assert_int_equal(l->ids[i], sqlite3_column_int64(st, 0));
		i++;
	}
	sqlite3_finalize(st);
	assert_int_equal(i, l->n);
	f->before_id = 0;
	assert_int_equal(db_journal_counts(fx->db, f, counts, &err), 0);
	snprintf(sql, sizeof sql, "%s AND %s", scope, cond);
	table_counts(fx, sql, want);
	for (int k = 0; k < HR_ST__COUNT; k++)
		if (counts[k] != want[k])
			fail_msg("%s, %s: %s counted %lld, the table has %lld",
			    scope, cond, hr_status_name(k), (long long)counts[k],
			    (long long)want[k]);
	free(l);
}

/*
 * A third of the applications answered, three of each four of those with
 * a decision (assigned, refused, registered; the fourth answered bare, as
 * at national size): the journal filtered by each kind and by «none», in
 * every kind of scope and with a service, a package or dates as well,
 * lists and counts exactly what the plain definition gives; a kind's page
 * walks the decisions' index of its scope, not the scope; the counts
 * follow a decided case's move to another office and its package.
 */
static void
test_decision_pages(void **state)
{
	struct fx *fx = *state;
	static const char *const kinds[] = { "assigned", "refused",
	    "registered", "registration_refused", NULL };
	struct { enum db_scope_col col; int64_t id; const char *col_name,
	    *index; } sc[] = {
		{ DB_SCOPE_FRONT_OFFICE, fx->cnap, "front_office_id",
		    "decisions_hromada" },
		{ DB_SCOPE_FRONT_OFFICE, fx->sta, "front_office_id",
		    "decisions_hromada" },
		{ DB_SCOPE_HROMADA, fx->h, "hromada_id", "decisions_hromada" },
		{ DB_SCOPE_SPSZN, 0, "spszn_id", "decisions_spszn" },
		{ DB_SCOPE_OBLAST, 0, "oblast_id", "decisions_oblast" },
		{ DB_SCOPE_ALL, 0, NULL, "decisions_kind" },
	};
	struct db_journal_filter f;
	struct hr_error err;
	sqlite3_stmt *st;
	char scope[128], cond[256], sql[640], p[2048];
	int64_t file_id;

	tdb_exec(fx->db, "UPDATE applications SET status = 'answered' WHERE "
	    "id % 3 = 0");
	file_id = tdb_answer_file(fx->db);
	assert_int_equal(sqlite3_prepare_v2(fx->db->sql, "SELECT id FROM "
	    "applications WHERE status = 'answered' AND id / 3 % 4 < 3", -1,
	    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct db_decision d = { 0 };

		d.application_id = sqlite3_column_int64(st, 0);
		d.file_id = file_id;
		d.imported_at = NOW;
		d.decision = hr_decision_from_name(kinds[d.application_id / 3 %
		    4]);
		assert_int_equal(db_decision_add(fx->db, &d, &err), 0);
	}
	sqlite3_finalize(st);
	assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
	snprintf(sql, sizeof sql, "SELECT spszn_id FROM applications WHERE "
	    "id = %lld", (long long)fx->many[0]);
	sc[3].id = one(fx->db, sql);
	snprintf(sql, sizeof sql, "SELECT oblast_id FROM applications WHERE "
	    "id = %lld", (long long)fx->many[0]);
	sc[4].id = one(fx->db, sql);

	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++) {
			if (sc[i].col_name != NULL)
				snprintf(scope, sizeof scope, "a.%s = %lld",
				    sc[i].col_name, (long long)sc[i].id);
			else
				snprintf(scope, sizeof scope, "1");
			for (size_t k = 0; k < sizeof kinds / sizeof kinds[0];
			    k++) {
				filter(fx, &f, NULL);
				f.scope_col = sc[i].col;
				f.scope_id = sc[i].id;
				f.decision = kinds[k] ?
				    hr_decision_from_name(kinds[k]) :
				    DB_DECISION_NONE;
				snprintf(cond, sizeof cond, kinds[k] ?
				    "EXISTS (SELECT 1 FROM decisions d WHERE "
				    "d.application_id = a.id AND d.decision = "
				    "'%s')" : "NOT EXISTS (SELECT 1 FROM "
				    "decisions d WHERE d.application_id = a.id)",
				    kinds[k] ? kinds[k] : "");
				decided_check(fx, &f, scope, cond);
				if (kinds[k] != NULL) {
					plan(fx, &f, p, sizeof p);
					assert_non_null(strstr(p, sc[i].index));
					assert_null(strstr(p, "TEMP B-TREE"));
				}
				/* with dates, a package, a service */
				f.created_from = NOW + 300;
				f.created_to = NOW + 900;
				snprintf(sql, sizeof sql, "%s AND a.created_at >= "
				    "%d AND a.created_at < %d", cond, NOW + 300,
				    NOW + 900);
				decided_check(fx, &f, scope, sql);
				f.created_from = f.created_to = 0;
				f.package = DB_PACKAGE_FULL;
				snprintf(sql, sizeof sql, "%s AND a.package_full "
				    "= 1", cond);
				decided_check(fx, &f, scope, sql);
				f.package = DB_PACKAGE_ANY;
				f.service = "no_such_service";
				decided_check(fx, &f, scope, "0");
				f.service = "birth";
				decided_check(fx, &f, scope, cond);
			}
		}
		/* cases move to the other office of their hromada and from
		 * the other hromada into this one (the decisions' copies
		 * follow), packages flip */
		snprintf(sql, sizeof sql, "UPDATE applications SET "
		    "front_office_id = CASE front_office_id WHEN %lld THEN %lld "
		    "WHEN %lld THEN %lld ELSE front_office_id END WHERE id %% 5 "
		    "= 0", (long long)fx->cnap, (long long)fx->sta,
		    (long long)fx->sta, (long long)fx->cnap);
		tdb_exec(fx->db, sql);
		snprintf(sql, sizeof sql, "UPDATE applications SET "
		    "front_office_id = %lld, hromada_id = %lld WHERE "
		    "front_office_id = %lld AND id %% 7 = 0", (long long)fx->cnap,
		    (long long)fx->h, (long long)fx->cnap2);
		tdb_exec(fx->db, sql);
		tdb_exec(fx->db, "UPDATE applications SET package_full = 1 - "
		    "package_full WHERE id % 2 = 0");
		assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
	}
}

/* ---- the kind filters (036_journal_kinds) ---- */

/* Every page of f against the plain definition: the scope's applications
 * where `cond` holds, newest first. */
static void
kind_check(struct fx *fx, struct db_journal_filter *f, const char *scope,
    const char *cond)
{
	struct seen *l = calloc(1, sizeof *l);
	sqlite3_stmt *st;
	char sql[1024];
	int i = 0;

	assert_non_null(l);
	all_pages(fx, f, l);
	snprintf(sql, sizeof sql, "SELECT id FROM applications a WHERE %s AND "
	    "%s ORDER BY id DESC", scope, cond);
	assert_int_equal(sqlite3_prepare_v2(fx->db->sql, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (i >= l->n || l->ids[i] != sqlite3_column_int64(st, 0))
			fail_msg("%s AND %s: row %d is %lld, the table's %lld",
			    scope, cond, i, i < l->n ? (long long)l->ids[i] :
			    -1LL, (long long)sqlite3_column_int64(st, 0));
		i++;
	}
	sqlite3_finalize(st);
	if (i != l->n)
		fail_msg("%s AND %s: %d rows, the table has %d", scope, cond,
		    l->n, i);
	free(l);
}

/*
 * Three services, both packages and most statuses mixed over the
 * fixture's applications: a page filtered by a service, a status, or
 * both, with or without a package, with dates, «no decision» or a short
 * registration number, for every role's statuses, in every kind of scope,
 * lists exactly what the plain definition gives, newest first; in a front
 * office, hromada or back office it merges the kind index's ranges
 * (036).  Again after cases change service, package, status and office.
 */
static void
test_kind_pages(void **state)
{
	struct fx *fx = *state;
	static const char *const services[] = { NULL, "birth", "subsidy",
	    "low_income", "no_such_service" };
	static const int statuses[] = { -1, HR_ST_DRAFT, HR_ST_AT_OTG,
	    HR_ST_AT_SPSZN, HR_ST_ANSWERED };
	static const char back[] = "'at_spszn', 'returned_otg', 'checked', "
	    "'exported', 'answered'";
	struct { enum db_scope_col col; int64_t id; const char *name,
	    *index; } sc[] = {
		{ DB_SCOPE_FRONT_OFFICE, fx->cnap, "front_office_id",
		    "applications_front_kind" },
		{ DB_SCOPE_FRONT_OFFICE, fx->sta, "front_office_id",
		    "applications_front_kind" },
		{ DB_SCOPE_HROMADA, fx->h, "hromada_id",
		    "applications_hromada_kind" },
		{ DB_SCOPE_HROMADA, fx->h2, "hromada_id",
		    "applications_hromada_kind" },
		{ DB_SCOPE_SPSZN, 0, "spszn_id", "applications_spszn_kind" },
		{ DB_SCOPE_OBLAST, 0, "oblast_id", NULL },
	};
	struct db_journal_filter f;
	char sql[256], scope[96], cond[512];
	static char p[65536];

	tdb_exec(fx->db, "INSERT INTO services (code, name, system) VALUES "
	    "('subsidy', 'Субсидія', 'subsidy'), ('low_income', "
	    "'Малозабезпеченим', 'asopd')");
	snprintf(sql, sizeof sql, "SELECT spszn_id FROM applications WHERE "
	    "id = %lld", (long long)fx->many[0]);
	sc[4].id = one(fx->db, sql);
	snprintf(sql, sizeof sql, "SELECT oblast_id FROM applications WHERE "
	    "id = %lld", (long long)fx->many[0]);
	sc[5].id = one(fx->db, sql);
	tdb_exec(fx->db, "UPDATE applications SET service_code = CASE id % 3 "
	    "WHEN 0 THEN 'birth' WHEN 1 THEN 'subsidy' ELSE 'low_income' END, "
	    "package_full = id / 3 % 2, status = CASE id % 7 WHEN 0 THEN "
	    "'at_otg' WHEN 1 THEN 'at_spszn' WHEN 2 THEN 'checked' WHEN 3 THEN "
	    "'answered' WHEN 4 THEN 'returned_otg' ELSE status END");
	for (int round = 0; round < 2; round++) {
		assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
		for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
		for (size_t v = 0; v < sizeof services / sizeof services[0]; v++)
		for (size_t t = 0; t < sizeof statuses / sizeof statuses[0]; t++)
		for (int pk = DB_PACKAGE_ANY; pk <= DB_PACKAGE_PARTIAL; pk++)
		for (int seen = 0; seen < 2; seen++) {
			snprintf(scope, sizeof scope, "a.%s = %lld",
			    sc[i].name, (long long)sc[i].id);
			filter(fx, &f, NULL);
			f.scope_col = sc[i].col;
			f.scope_id = sc[i].id;
			f.service = services[v];
			f.status = statuses[t];
			f.package = pk;
			f.visible = seen ? hr_workflow_visible_mask(HR_ROLE_SPSZN) :
			    0;
			snprintf(cond, sizeof cond, "a.service_code LIKE '%s' AND "
			    "a.status LIKE '%s' AND a.package_full IN (%s) AND "
			    "a.status IN (%s)", services[v] ? services[v] : "%",
			    statuses[t] < 0 ? "%" : hr_status_name(statuses[t]),
			    pk == DB_PACKAGE_ANY ? "0, 1" : pk == DB_PACKAGE_FULL ?
			    "1" : "0", seen ? back : "a.status");
			kind_check(fx, &f, scope, cond);
			/* the back office's index holds its statuses only */
			if (sc[i].index != NULL && (f.service != NULL ||
			    f.status != -1) && (seen || sc[i].col !=
			    DB_SCOPE_SPSZN)) {
				plan(fx, &f, p, sizeof p);
				if (strstr(p, sc[i].index) == NULL &&
				    strstr(p, "SCAN CONSTANT ROW") == NULL)
					fail_msg("should read %s:\n%s",
					    sc[i].index, p);
			}
			if (pk != DB_PACKAGE_ANY || seen)
				continue;
			/* with dates, «no decision», a number's start */
			f.created_from = NOW + 300;
			f.created_to = NOW + 900;
			snprintf(cond + strlen(cond), sizeof cond - strlen(cond),
			    " AND a.created_at >= %d AND a.created_at < %d",
			    NOW + 300, NOW + 900);
			kind_check(fx, &f, scope, cond);
			f.decision = DB_DECISION_NONE;
			kind_check(fx, &f, scope, cond);
			f.decision = 0;
			f.reg_no = "9";
			snprintf(cond + strlen(cond), sizeof cond - strlen(cond),
			    " AND a.reg_no LIKE '9%%'");
			kind_check(fx, &f, scope, cond);
		}
		/* services, packages and statuses change; cases move */
		tdb_exec(fx->db, "UPDATE applications SET service_code = CASE "
		    "service_code WHEN 'birth' THEN 'subsidy' ELSE 'birth' END "
		    "WHERE id % 5 = 0");
		tdb_exec(fx->db, "UPDATE applications SET package_full = 1 - "
		    "package_full WHERE id % 4 = 0");
		tdb_exec(fx->db, "UPDATE applications SET status = 'exported' "
		    "WHERE status = 'checked' AND id % 2 = 0");
		snprintf(sql, sizeof sql, "UPDATE applications SET "
		    "front_office_id = %lld WHERE front_office_id = %lld AND id "
		    "%% 3 = 0", (long long)fx->sta, (long long)fx->cnap);
		tdb_exec(fx->db, sql);
	}
	/* A status of more combinations than JOURNAL_ARMS_MAX (256): 400
	 * services walk the scope, and still list exactly. */
	for (int k = 0; k < 400; k++) {
		snprintf(sql, sizeof sql, "INSERT INTO services (code, name, "
		    "system) VALUES ('s%d', 'Послуга %d', 'asopd')", k, k);
		tdb_exec(fx->db, sql);
	}
	tdb_exec(fx->db, "UPDATE applications SET service_code = 's' || (id "
	    "% 400), status = 'at_spszn'");
	filter(fx, &f, NULL);
	f.status = HR_ST_AT_SPSZN;
	snprintf(scope, sizeof scope, "a.hromada_id = %lld", (long long)fx->h);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM status_counts WHERE "
	    "scope = 'hromada' AND territory_id = %lld AND status = 'at_spszn' "
	    "AND n > 0", (long long)fx->h);
	assert_true(one(fx->db, sql) > 256);
	kind_check(fx, &f, scope, "a.status = 'at_spszn'");
	plan(fx, &f, p, sizeof p);
	if (strstr(p, "applications_hromada_walk") == NULL)
		fail_msg("should walk:\n%s", p);
	f.service = "s7";
	kind_check(fx, &f, scope, "a.service_code = 's7'");
	plan(fx, &f, p, sizeof p);
	assert_non_null(strstr(p, "applications_hromada_kind"));
}

/* Every page of the late or the expiring filter (clock order, 7 a page)
 * against the plain definition: the scope's cases in the statuses, by
 * due date and id. */
static void
clock_pages_check(struct fx *fx, const struct db_journal_filter *f0,
    int clock, const char *scope, const char *statuses, const char *cond)
{
	struct db_journal_filter f = *f0;
	struct seen *l = calloc(1, sizeof *l);
	struct hr_error err;
	sqlite3_stmt *st;
	char sql[768];
	int64_t next = 0;
	int i = 0, pages = 0;

	assert_non_null(l);
	f.clock = clock;
	/* an oblast or the country has no clock index: each of its pages
	 * sorts the scope's cases (no role lists there) -- 7 a page made
	 * hundreds of such sorts a check, half of this file's time */
	f.limit = f.scope_col == DB_SCOPE_OBLAST || f.scope_col ==
	    DB_SCOPE_ALL ? 41 : 7;
	f.after_clock = 0;
	do {
		assert_int_equal(db_journal_page(fx->db, &f, seen_row, l, &next,
		    &err), 0);
		f.after_clock = next;
		assert_true(++pages < 600);
	} while (next != 0);
	snprintf(sql, sizeof sql, "SELECT id FROM applications a WHERE %s AND "
	    "a.status IN (%s) AND %s ORDER BY stage_due, id", scope, statuses,
	    cond);
	assert_int_equal(sqlite3_prepare_v2(fx->db->sql, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (i >= l->n || l->ids[i] != sqlite3_column_int64(st, 0))
			fail_msg("%s AND %s: row %d is %lld, the table's %lld",
			    scope, cond, i, i < l->n ? (long long)l->ids[i] :
			    -1LL, (long long)sqlite3_column_int64(st, 0));
		i++;
	}
	sqlite3_finalize(st);
	if (i != l->n)
		fail_msg("%s AND %s: %d rows, the table has %d", scope, cond,
		    l->n, i);
	free(l);
}

/* Every status, and the back office's, as SQL lists: what the plain
 * counts the kept ones are checked against take. */
static const char statuses_all[] = "'draft', 'at_otg', 'returned_front', "
    "'at_spszn', 'returned_otg', 'checked', 'exported', 'answered'";
static const char statuses_back[] = "'at_spszn', 'returned_otg', "
    "'checked', 'exported', 'answered'";

/* The scopes the kept counts are checked in: both front offices, both
 * hromadas, the back office, the oblast and the country; `name` is the
 * applications' column of the scope (NULL: the country). */
struct count_scope {
	enum db_scope_col col;
	int64_t           id;
	const char       *name;
};
#define COUNT_SCOPES 7

static void
count_scopes(struct fx *fx, struct count_scope sc[COUNT_SCOPES])
{
	char sql[128];
	int64_t spszn, oblast;

	snprintf(sql, sizeof sql, "SELECT spszn_id FROM applications WHERE "
	    "id = %lld", (long long)fx->many[0]);
	spszn = one(fx->db, sql);
	snprintf(sql, sizeof sql, "SELECT oblast_id FROM applications WHERE "
	    "id = %lld", (long long)fx->many[0]);
	oblast = one(fx->db, sql);
	sc[0] = (struct count_scope){ DB_SCOPE_FRONT_OFFICE, fx->cnap,
	    "front_office_id" };
	sc[1] = (struct count_scope){ DB_SCOPE_FRONT_OFFICE, fx->sta,
	    "front_office_id" };
	sc[2] = (struct count_scope){ DB_SCOPE_HROMADA, fx->h, "hromada_id" };
	sc[3] = (struct count_scope){ DB_SCOPE_HROMADA, fx->h2, "hromada_id" };
	sc[4] = (struct count_scope){ DB_SCOPE_SPSZN, spszn, "spszn_id" };
	sc[5] = (struct count_scope){ DB_SCOPE_OBLAST, oblast, "oblast_id" };
	sc[6] = (struct count_scope){ DB_SCOPE_ALL, 0, NULL };
}

/* The scope as a condition on the applications `a`. */
static void
count_scope_sql(const struct count_scope *sc, char *out, size_t cap)
{
	if (sc->name != NULL)
		snprintf(out, cap, "a.%s = %lld", sc->name, (long long)sc->id);
	else
		snprintf(out, cap, "1");
}

/* db_journal_late for f against the plain count of the table. */
static void
late_check(struct fx *fx, struct db_journal_filter *f, const char *scope,
    const char *statuses)
{
	struct hr_error err;
	char sql[512];
	int64_t n = -1;

	assert_int_equal(db_journal_late(fx->db, f, &n, &err), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM applications a WHERE "
	    "%s AND a.status IN (%s) AND a.stage_due IS NOT NULL AND "
	    "a.stage_due < %d", scope, statuses, (int)f->today);
	if (n != one(fx->db, sql))
		fail_msg("late in %s (%s) on day %d: %lld, the table has %lld",
		    scope, statuses, (int)f->today, (long long)n,
		    (long long)one(fx->db, sql));
	/* the late and the expiring filters' counts per status */
	for (int c = DB_CLOCK_LATE; c <= DB_CLOCK_EXPIRING; c++) {
		struct db_journal_filter cf = *f;
		int64_t counts[HR_ST__COUNT], want[HR_ST__COUNT];
		char cond[128];

		cf.clock = c;
		assert_int_equal(db_journal_counts(fx->db, &cf, counts, &err),
		    0);
		if (c == DB_CLOCK_LATE)
			snprintf(cond, sizeof cond, "a.stage_due < %d",
			    (int)f->today);
		else
			snprintf(cond, sizeof cond, "a.stage_due >= %d AND "
			    "a.stage_warn <= %d", (int)f->today, (int)f->today);
		snprintf(sql, sizeof sql, "%s AND a.status IN (%s) AND %s",
		    scope, statuses, cond);
		table_counts(fx, sql, want);
		for (int k = 0; k < HR_ST__COUNT; k++)
			if (counts[k] != want[k])
				fail_msg("%s, %s in %s (%s): %lld, the table has "
				    "%lld", cond, hr_status_name(k), scope,
				    statuses, (long long)counts[k],
				    (long long)want[k]);
		if (c == DB_CLOCK_EXPIRING)
			clock_pages_check(fx, f, c, scope, statuses, cond);
	}
}

/*
 * The cabinet's late cases: the scope's running clocks (status_counts
 * less clock_odd_counts, 034) less the ones not late (clock_due_counts by
 * due day, 035) in a front office, hromada or back office; counted on the
 * applications in an oblast or the country.  Each gives the plain count,
 * in every kind of scope, for every role's statuses, on days from before
 * every due date to after the last -- also with cases whose clock is not
 * what their status implies (not answered without one, answered with
 * one), after such cases move, after due dates and amber days move (a
 * calendar change; an amber day of NULL) and after cases move to another
 * office or hromada.  So do the counts of the late and the expiring
 * filters, status by status.
 */
static void
test_late_counts(void **state)
{
	struct fx *fx = *state;
	struct count_scope sc[COUNT_SCOPES];
	int32_t lo, hi;
	char sql[256], scope[96];

	count_scopes(fx, sc);
	/* the back office's statuses, clocks spread over 40 days */
	tdb_exec(fx->db, "UPDATE applications SET status = CASE id % 4 WHEN 0 "
	    "THEN 'at_spszn' WHEN 1 THEN 'checked' ELSE status END, stage_due "
	    "= stage_due + id % 40");
	lo = (int32_t)one(fx->db, "SELECT min(stage_due) FROM applications");
	hi = (int32_t)one(fx->db, "SELECT max(stage_due) FROM applications");
	assert_true(one(fx->db, "SELECT count(*) FROM applications WHERE "
	    "stage_due IS NOT NULL") > 2000);
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < COUNT_SCOPES; i++) {
			struct db_journal_filter f;

			count_scope_sql(&sc[i], scope, sizeof scope);
			filter(fx, &f, NULL);
			f.scope_col = sc[i].col;
			f.scope_id = sc[i].id;
			/* none, a few, half, all but a few, all late */
			for (int32_t d = lo; d <= hi + 1; d += (hi + 1 - lo) / 8) {
				f.today = d;
				f.visible = 0;
				late_check(fx, &f, scope, statuses_all);
				f.visible = hr_workflow_visible_mask(HR_ROLE_SPSZN);
				late_check(fx, &f, scope, statuses_back);
			}
		}
		/* cases not answered without a clock, answered with one (a
		 * tool's writes), and such cases moved */
		tdb_exec(fx->db, "UPDATE applications SET stage_due = NULL, "
		    "stage_warn = NULL WHERE id % 9 = 0");
		tdb_exec(fx->db, "UPDATE applications SET status = 'answered' "
		    "WHERE id % 11 = 0");
		snprintf(sql, sizeof sql, "UPDATE applications SET "
		    "front_office_id = %lld WHERE front_office_id = %lld AND id "
		    "%% 13 = 0", (long long)fx->sta, (long long)fx->cnap);
		tdb_exec(fx->db, sql);
		snprintf(sql, sizeof sql, "UPDATE applications SET hromada_id "
		    "= %lld WHERE hromada_id = %lld AND id %% 17 = 0",
		    (long long)fx->h2, (long long)fx->h);
		tdb_exec(fx->db, sql);
		tdb_exec(fx->db, "UPDATE applications SET stage_due = stage_due "
		    "+ 3 WHERE id % 5 = 0 AND stage_due IS NOT NULL");
		tdb_exec(fx->db, "UPDATE applications SET stage_warn = "
		    "stage_warn - 2 WHERE id % 6 = 0");
		tdb_exec(fx->db, "UPDATE applications SET stage_warn = NULL "
		    "WHERE id % 23 = 0");
		assert_true(one(fx->db, "SELECT sum(n) FROM clock_odd_counts "
		    "WHERE scope = 'all'") > 100);
		assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
	}
}

/* ---- the counts by creation day (037_created_day_counts) ---- */

/* Local midnight of day number `day` (+ days), as the server reads a
 * date filter's "YYYY-MM-DD" (method_journal_list.c). */
static int64_t
midnight(int32_t day, int days)
{
	struct hr_date d;

	assert_int_equal(hr_date_from_days(day, &d), 0);
	return hr_date_local(&d, days, 0, 0);
}

/* The counts of f (dates, perhaps more) against the plain count of the
 * scope's applications created in [from, to), status by status. */
static void
day_counts_check(struct fx *fx, const struct db_journal_filter *f,
    const char *scope, const char *statuses)
{
	int64_t counts[HR_ST__COUNT], want[HR_ST__COUNT];
	struct hr_error err;
	char sql[512];

	if (db_journal_counts(fx->db, f, counts, &err) < 0)
		fail_msg("counts: %s", err.msg);
	snprintf(sql, sizeof sql, "%s AND a.status IN (%s) AND a.created_at "
	    ">= %lld AND a.created_at < %lld", scope, statuses,
	    (long long)f->created_from, f->created_to ?
	    (long long)f->created_to : INT64_MAX);
	table_counts(fx, sql, want);
	for (int k = 0; k < HR_ST__COUNT; k++)
		if (counts[k] != want[k])
			fail_msg("%s in %s (%s), created %lld..%lld: %lld, the "
			    "table has %lld", hr_status_name(k), scope, statuses,
			    (long long)f->created_from, (long long)f->created_to,
			    (long long)counts[k], (long long)want[k]);
}

/* Every kind of scope, both roles' statuses, days from before the first
 * creation to after the last: one day, a week, a month over the
 * autumn's clock change, open at either end; and bounds that are not
 * midnights (counted on the index). */
static void
day_counts_all(struct fx *fx, int32_t first, int32_t last)
{
	struct count_scope sc[COUNT_SCOPES];
	const struct { int32_t from, days; } ranges[] = {
		{ first - 3, 1 }, { first, 1 }, { first + 1, 7 },
		{ (first + last) / 2, 1 }, { (first + last) / 2 - 3, 7 },
		{ first + 20, 31 }, { last, 1 }, { last + 1, 7 },
		{ 0, first + 10 }, { first + 10, 0 }, { 0, 0 },
	};
	char scope[96];

	count_scopes(fx, sc);
	for (size_t i = 0; i < COUNT_SCOPES; i++)
	for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
	for (int seen = 0; seen < 2; seen++)
	for (int odd = 0; odd < 2; odd++) {
		struct db_journal_filter f;

		count_scope_sql(&sc[i], scope, sizeof scope);
		filter(fx, &f, NULL);
		f.scope_col = sc[i].col;
		f.scope_id = sc[i].id;
		f.visible = seen ? hr_workflow_visible_mask(HR_ROLE_SPSZN) : 0;
		/* from..to, day numbers; 0 open ({0, n}: up to day n) */
		if (ranges[r].from != 0) {
			f.created_from = midnight(ranges[r].from, 0);
			if (ranges[r].days != 0)
				f.created_to = midnight(ranges[r].from,
				    ranges[r].days);
		} else if (ranges[r].days != 0)
			f.created_to = midnight(ranges[r].days, 0);
		if (odd && f.created_from != 0)
			f.created_from += 1800;
		else if (odd)
			f.created_to += f.created_to ? 1800 : 0;
		if (f.created_from == 0 && f.created_to == 0)
			continue;
		day_counts_check(fx, &f, scope, seen ? statuses_back :
		    statuses_all);
	}
}

/* A kept row made wrong by `d` (and right again): the counts read it. */
static void
day_counts_bump(struct fx *fx, int32_t day, int d)
{
	char sql[256];

	snprintf(sql, sizeof sql, "UPDATE created_day_counts SET n = n + %d "
	    "WHERE scope = 'hromada' AND territory_id = %lld AND day = %d AND "
	    "status = 'draft'", d, (long long)fx->h, (int)day);
	tdb_exec(fx->db, sql);
	assert_int_equal(sqlite3_changes(fx->db->sql), 1);
}

/*
 * The counts of a journal filtered by creation dates alone, in a front
 * office, hromada or back office, are the kept counts by creation day
 * (037): for every kind of scope and both roles' statuses they equal the
 * plain count, for ranges of days around, over and across the clock
 * change of the fixture's time zone (main: a Kyiv-like one), before
 * and after cases change status, office and creation time through the
 * triggers, and after a batch (a *.DAT export's hold, the group commit's
 * batches alike: db/batch_summaries.c) creates cases and moves them --
 * counted from its history rows at its end.  A batch that moves a case
 * to another office or deletes one before its release is refused.
 */
static void
test_day_counts(void **state)
{
	struct fx *fx = *state;
	struct hr_error err;
	int32_t first, last, mid;
	int64_t counts[HR_ST__COUNT], at;
	struct db_journal_filter f;
	char sql[256];

	/* one case an hour (~88 days from 21 September, over 25 October's
	 * clock change), statuses mixed */
	tdb_exec(fx->db, "UPDATE applications SET created_at = 1790000000 + "
	    "id * 3599, status = CASE id % 7 WHEN 0 THEN 'at_spszn' WHEN 1 "
	    "THEN 'checked' WHEN 2 THEN 'answered' ELSE status END");
	first = db_day_of(one(fx->db, "SELECT min(created_at) FROM "
	    "applications"));
	last = db_day_of(one(fx->db, "SELECT max(created_at) FROM "
	    "applications"));
	assert_true(last - first > 60);
	assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
	day_counts_all(fx, first, last);

	/* the counts are the kept rows' (a midnight's) and not for another
	 * bound */
	mid = (first + last) / 2;
	filter(fx, &f, NULL);
	f.created_from = midnight(mid, 0);
	f.created_to = midnight(mid, 1);
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	at = counts[HR_ST_DRAFT];
	day_counts_bump(fx, mid, 1000);
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	assert_int_equal(counts[HR_ST_DRAFT], at + 1000);
	f.created_to += 1;
	assert_int_equal(db_journal_counts(fx->db, &f, counts, &err), 0);
	assert_int_equal(counts[HR_ST_DRAFT], at);
	day_counts_bump(fx, mid, -1000);

	/* moved through the triggers: statuses, offices, creation times */
	tdb_exec(fx->db, "UPDATE applications SET status = CASE status WHEN "
	    "'draft' THEN 'at_otg' WHEN 'at_otg' THEN 'at_spszn' ELSE "
	    "'exported' END WHERE id % 5 = 0");
	snprintf(sql, sizeof sql, "UPDATE applications SET front_office_id = "
	    "%lld WHERE front_office_id = %lld AND id %% 3 = 0",
	    (long long)fx->sta, (long long)fx->cnap);
	tdb_exec(fx->db, sql);
	snprintf(sql, sizeof sql, "UPDATE applications SET hromada_id = %lld "
	    "WHERE hromada_id = %lld AND id %% 17 = 0", (long long)fx->h2,
	    (long long)fx->h);
	tdb_exec(fx->db, sql);
	tdb_exec(fx->db, "UPDATE applications SET created_at = created_at + "
	    "50000 WHERE id > (SELECT max(id) - 300 FROM applications)");
	last = db_day_of(one(fx->db, "SELECT max(created_at) FROM "
	    "applications"));
	assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
	day_counts_all(fx, first, last);

	/* a batch: new cases on later days, sent on, older ones moved */
	assert_int_equal(db_begin(fx->db, &err), 0);
	assert_int_equal(db_batch_summaries_hold(fx->db, 0, &err), 0);
	at = one(fx->db, "SELECT max(created_at) FROM applications");
	for (int i = 0; i < 40; i++) {
		struct db_application_new a = { 0 };
		int64_t id;

		a.front_office_id = i % 3 ? fx->cnap : fx->cnap2;
		a.service_code = "birth";
		a.applicant_id = fx->kov[FEW + OTHER + i % (NPERSONS - FEW -
		    OTHER)];
		a.created_by = fx->user;
		a.at = at + 3 * 3600 * (i + 1);
		assert_int_equal(db_application_add(fx->db, &a, &id, &err), 0);
		if (i % 2 == 0)
			assert_int_equal(db_application_set_status(fx->db, id,
			    HR_ST_DRAFT, HR_ST_AT_OTG, fx->user, NULL, a.at + 60,
			    &err), 0);
		if (i % 4 == 0)
			assert_int_equal(db_application_set_status(fx->db, id,
			    HR_ST_AT_OTG, HR_ST_AT_SPSZN, fx->user, NULL,
			    a.at + 120, &err), 0);
	}
	for (int i = 0; i < MANY; i += 7)
		if (db_application_set_status(fx->db, fx->many[i], HR_ST_DRAFT,
		    HR_ST_AT_OTG, fx->user, NULL, at, &err) < 0)
			assert_int_equal(err.code, HR_E_CONFLICT);   /* not a draft */
	/* not while it holds: a case moved to another office, deleted */
	snprintf(sql, sizeof sql, "UPDATE applications SET front_office_id = "
	    "%lld WHERE id = %lld", (long long)fx->cnap2, (long long)fx->few[1]);
	assert_int_not_equal(sqlite3_exec(fx->db->sql, sql, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(fx->db->sql),
	    "created_day_counts"));
	snprintf(sql, sizeof sql, "DELETE FROM applications WHERE id = %lld",
	    (long long)fx->few[1]);
	assert_int_not_equal(sqlite3_exec(fx->db->sql, sql, NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(db_batch_summaries_release(fx->db, 0, &err), 0);
	assert_int_equal(db_commit(fx->db, &err), 0);
	last = db_day_of(one(fx->db, "SELECT max(created_at) FROM "
	    "applications"));
	assert_true(last - db_day_of(at) >= 4);
	assert_int_equal(tdb_int(fx->db, tdb_counts_differ_sql), 0);
	day_counts_all(fx, first, last);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_office_and_none, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_status_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_untold_counts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_row_written_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decision_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_kind_pages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_late_counts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_day_counts, setup,
		    teardown),
	};

	/* A zone with a clock change (Kyiv's rule), whatever the machine's:
	 * the counts by creation day (037) are by local day. */
	setenv("TZ", "EET-2EEST,M3.5.0/3,M10.5.0/4", 1);
	tzset();

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
