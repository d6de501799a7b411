/*
 * test_batch_summaries.c — the group commit's batches hold the summaries
 * (db/batch_summaries.h): the journal's status and untold counts and the
 * reports' facts come out of a batch exactly as the per-row triggers
 * make them.
 *
 * The same requests run on two databases made alike: one whose
 * transactions are batches (db_batch_summaries_batches, as the server's
 * writer), one without (every change moves the summaries through the
 * triggers at once).  Each request in a savepoint of one transaction, as
 * in the group commit: creations and status changes; a request that
 * fails and is rolled back to its savepoint after it changed statuses;
 * an edit that changes the service of an application created in the
 * same batch; another case's package made full while the batch holds; a
 * file's own hold (a *.DAT export) inside the batch; an application
 * answered and its applicant told in the same batch; an answer file's
 * decisions (held by the file, 033) and a decided case's package made
 * full after; and a batch rolled back whole.  After each COMMIT the three summaries of
 * both databases are equal, and the counts equal a recount of the
 * applications.  And other connections never see a hold.
 *
 * Alike on purpose: each scenario is a script of the same steps (batch,
 * request, create, move, request_end, batch_end) — the steps are the
 * helpers; what a scenario does between them is the test.
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
#include <unistd.h>

#include "db/applications.h"
#include "db/attachments.h"
#include "db/batch_summaries.h"
#include "db/dat.h"
#include "db/db.h"
#include "db/notify.h"
#include "db/persons.h"
#include "db/territory.h"
#include "db/users.h"
#include "proto/dat.h"
#include "proto/ident.h"
#include "proto/roles.h"
#include "tests/lib/tdb.h"

#define NOW   1790000000
#define NAPPS 24

struct side {
	char          path[300];
	struct hr_db *db;
	int64_t       cnap, sta, cnap2, user;
	int64_t       person[NAPPS];
	int64_t       app[NAPPS];
};

struct fx {
	char        dir[256];
	struct side s[2];            /* [0] batches, [1] plain triggers */
};

static void
tree(struct side *s)
{
	struct hr_error err;
	int64_t country, oblast, spszn, h, h2;

	assert_int_equal(db_territory_add(s->db, 0, HR_TERR_COUNTRY, "Україна",
	    NULL, &country, &err), 0);
	assert_int_equal(db_territory_add(s->db, country, HR_TERR_OBLAST,
	    "Сумська область", NULL, &oblast, &err), 0);
	assert_int_equal(db_territory_add(s->db, oblast, HR_TERR_SPSZN, "УСЗН",
	    NULL, &spszn, &err), 0);
	assert_int_equal(db_territory_add(s->db, spszn, HR_TERR_HROMADA,
	    "Березівська", NULL, &h, &err), 0);
	assert_int_equal(db_territory_add(s->db, spszn, HR_TERR_HROMADA,
	    "Шалигинська", NULL, &h2, &err), 0);
	assert_int_equal(db_territory_add(s->db, h, HR_TERR_CNAP, "ЦНАП",
	    NULL, &s->cnap, &err), 0);
	assert_int_equal(db_territory_add(s->db, h, HR_TERR_STAROSTA,
	    "Слоутський", NULL, &s->sta, &err), 0);
	assert_int_equal(db_territory_add(s->db, h2, HR_TERR_CNAP, "ЦНАП 2",
	    NULL, &s->cnap2, &err), 0);
	assert_int_equal(db_user_add(s->db, "clerk", "Ковальчук Людмила",
	    HR_ROLE_SUPER_USER_CNAP, s->cnap, "a-long-test-password-1",
	    &s->user, &err), 0);
	tdb_exec(s->db, "INSERT INTO services (code, name, system) VALUES "
	    "('birth', 'Допомога при народженні', 'asopd'), "
	    "('care', 'Допомога по догляду', 'asopd'); "
	    /* a care case's package is partial until its passport comes */
	    "INSERT INTO document_types VALUES ('passport', 'Паспорт'); "
	    "INSERT INTO service_documents VALUES ('care', 'passport', 1); "
	    "INSERT INTO files VALUES (zeroblob(32), 100, 'pdf', 1790000000)");
	for (int i = 0; i < NAPPS; i++) {
		struct db_person p = { 0 };

		p.surname = "Коваленко";
		p.name = i % 2 ? "Іван" : "Олена";
		p.patronymic = "Петрівна";
		p.birth_date = "1980-01-01";
		p.sex = HR_SEX_FEMALE;
		assert_int_equal(db_person_add(s->db, &p, &s->person[i], &err),
		    0);
	}
}

/* Application i, created at NOW + k (k in seconds) in one of three
 * offices. */
static void
create(struct side *s, int i, int k)
{
	struct db_application_new a = { 0 };
	struct hr_error err;
	int64_t offices[3] = { s->cnap, s->sta, s->cnap2 };

	a.front_office_id = offices[i % 3];
	a.service_code = i % 4 ? "birth" : "care";
	a.applicant_id = s->person[i];
	a.created_by = s->user;
	a.at = NOW + k;
	if (db_application_add(s->db, &a, &s->app[i], &err) < 0)
		fail_msg("create %d: %s", i, err.msg);
}

static void
move(struct side *s, int i, int from, int to, int k)
{
	struct hr_error err;

	if (db_application_set_status(s->db, s->app[i], from, to, s->user,
	    NULL, NOW + k, &err) < 0)
		fail_msg("move %d %d -> %d: %s", i, from, to, err.msg);
}

/* Application i's passport: its package full (a trigger, 030). */
static void
attach(struct side *s, int i, int k)
{
	struct db_attachment a = { 0 };
	struct hr_error err;
	int64_t id;

	a.application_id = s->app[i];
	a.user_id = s->user;
	a.attached_at = NOW + k;
	a.doc_code = "passport";
	a.name = "passport.pdf";
	if (db_attachment_add(s->db, &a, &id, &err) < 0)
		fail_msg("attach %d: %s", i, err.msg);
}

static int64_t
version_of(struct side *s, int i)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT version FROM applications WHERE "
	    "id = %lld", (long long)s->app[i]);
	return tdb_int(s->db, sql);
}

/* A request: its own savepoint in the batch's transaction. */
static void
request(struct side *s)
{
	struct hr_error err;

	assert_int_equal(db_savepoint(s->db, "req", &err), 0);
}

static void
request_end(struct side *s, int ok)
{
	struct hr_error err;

	if (!ok)
		db_rollback_to(s->db, "req");
	assert_int_equal(db_release(s->db, "req", &err), 0);
}

static void
batch(struct side *s)
{
	struct hr_error err;

	assert_int_equal(db_begin(s->db, &err), 0);
	db_batch_summaries_begin(s->db);
}

static void
batch_end(struct side *s)
{
	struct hr_error err;

	if (db_batch_summaries_end(s->db, 0, &err) < 0 ||
	    db_commit(s->db, &err) < 0)
		fail_msg("commit: %s", err.msg);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct hr_error err;

	assert_non_null(f);
	assert_true(sodium_init() >= 0);
	snprintf(f->dir, sizeof f->dir, "%s/hromada-bsum.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	for (int k = 0; k < 2; k++) {
		struct side *s = &f->s[k];
		char path[sizeof s->path];

		snprintf(path, sizeof path, "%s/%c.db", f->dir, "bp"[k]);
		memcpy(s->path, path, sizeof path);
		if (db_open(&s->db, s->path, HR_DB_CREATE, &err) < 0)
			fail_msg("db_open: %s", err.msg);
		assert_int_equal(db_begin(s->db, &err), 0);
		tree(s);
		/* before any batch: half of them, some sent on */
		for (int i = 0; i < NAPPS / 2; i++)
			create(s, i, i);
		for (int i = 0; i < NAPPS / 2; i += 2)
			move(s, i, HR_ST_DRAFT, HR_ST_AT_OTG, 3600 + i);
		assert_int_equal(db_commit(s->db, &err), 0);
		if (k == 0)
			assert_int_equal(db_batch_summaries_batches(s->db, &err),
			    0);
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	for (int k = 0; k < 2; k++) {
		db_close(f->s[k].db);
		tdb_remove(f->s[k].path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Rows of `table` (WHERE `where`) in one database and not in the other. */
static int64_t
differ(struct fx *f, const char *table, const char *cols, const char *where)
{
	char sql[1400];
	int64_t n;

	snprintf(sql, sizeof sql, "ATTACH '%s' AS other", f->s[1].path);
	tdb_exec(f->s[0].db, sql);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT * FROM "
	    "(SELECT %s FROM main.%s WHERE %s EXCEPT SELECT %s FROM other.%s "
	    "WHERE %s) UNION ALL SELECT * FROM (SELECT %s FROM other.%s WHERE "
	    "%s EXCEPT SELECT %s FROM main.%s WHERE %s))", cols, table, where,
	    cols, table, where, cols, table, where, cols, table, where);
	n = tdb_int(f->s[0].db, sql);
	tdb_exec(f->s[0].db, "DETACH other");
	return n;
}

/* Each summary the batches hold: its rows alike on both sides. */
static const struct {
	const char *table, *cols, *where;
} summaries[] = {
	{ "status_counts", "scope, territory_id, service, package_full, "
	  "status, n", "n != 0" },
	{ "untold_counts", "scope, territory_id, n", "n != 0" },
	{ "decision_counts", "scope, territory_id, service, package_full, "
	  "decision, n", "n != 0" },
	{ "report_facts", "territory_id, month, measure, key, n, amount", "1" },
	/* the deadline clocks' (032_deadline_hold) */
	{ "deadline_running", "office_id, stage, running", "running != 0" },
	{ "deadline_facts", "office_id, stage, month, closed, on_time, late, "
	  "late_days", "1" },
	/* the counts by creation day (037: from the history rows) */
	{ "created_day_counts", "scope, territory_id, day, status, n",
	  "n != 0" },
};

static void
assert_alike(struct fx *f)
{
	const char *recounts[] = { tdb_counts_differ_sql,
	    tdb_deadlines_differ_sql };

	assert_int_equal(tdb_int(f->s[0].db, "SELECT (SELECT count(*) FROM "
	    "summary_hold) + (SELECT count(*) FROM deadline_held)"), 0);
	for (size_t i = 0; i < sizeof summaries / sizeof summaries[0]; i++)
		if (differ(f, summaries[i].table, summaries[i].cols,
		    summaries[i].where) != 0)
			fail_msg("%s differs with and without batches",
			    summaries[i].table);
	assert_true(tdb_int(f->s[0].db, "SELECT count(*) FROM report_facts "
	    "WHERE measure IN ('created', 'formed', 'sent', 'time')") > 10);
	assert_true(tdb_int(f->s[0].db, "SELECT count(*) FROM "
	    "deadline_facts WHERE closed > 0") > 0);
	for (size_t i = 0; i < sizeof recounts / sizeof recounts[0]; i++)
		for (int k = 0; k < 2; k++)
			assert_int_equal(tdb_int(f->s[k].db, recounts[i]), 0);
}

/* Creations and status changes, one failing request rolled back. */
static void
requests_and_a_failure(struct side *s)
{
	batch(s);
	request(s);
	create(s, 12, 100);
	move(s, 12, HR_ST_DRAFT, HR_ST_AT_OTG, 7200);
	request_end(s, 1);
	request(s);                          /* fails after its changes */
	create(s, 13, 101);
	move(s, 1, HR_ST_DRAFT, HR_ST_AT_OTG, 7300);
	move(s, 0, HR_ST_AT_OTG, HR_ST_AT_SPSZN, 7400);
	request_end(s, 0);
	request(s);
	move(s, 2, HR_ST_AT_OTG, HR_ST_AT_SPSZN, 90000);
	move(s, 3, HR_ST_DRAFT, HR_ST_AT_OTG, 7500);
	create(s, 14, 102);
	request_end(s, 1);
	request(s);
	move(s, 4, HR_ST_AT_OTG, HR_ST_RETURNED_FRONT, 7600);
	move(s, 5, HR_ST_DRAFT, HR_ST_AT_OTG, 400000);
	request_end(s, 1);
	batch_end(s);
}

/* The service of an application created in the batch changes in it:
 * its creation counts under the service it had (a touch). */
static void
edit_after_create(struct side *s)
{
	struct db_app_fields fields = { "care", 0, "post", NULL, "41400",
	    NULL, NULL };
	struct hr_error err;

	batch(s);
	request(s);
	create(s, 15, 200);
	move(s, 15, HR_ST_DRAFT, HR_ST_AT_OTG, 7700);
	request_end(s, 1);
	request(s);
	move(s, 7, HR_ST_DRAFT, HR_ST_AT_OTG, 7800);
	fields.applicant_id = s->person[15];
	if (db_app_update(s->db, s->app[15], version_of(s, 15), &fields,
	    s->user, &err) < 0)
		fail_msg("update: %s", err.msg);
	request_end(s, 1);
	batch_end(s);
}

/* A file's hold inside the batch (what a *.DAT export does), then more
 * changes after it; and answered and told in one batch. */
static void
file_and_told(struct side *s)
{
	struct hr_error err;

	batch(s);
	request(s);
	move(s, 9, HR_ST_DRAFT, HR_ST_AT_OTG, 7900);
	request_end(s, 1);
	request(s);                 /* another case's package, while held */
	attach(s, 8, 7950);
	request_end(s, 1);
	request(s);
	assert_int_equal(db_batch_summaries_hold(s->db, 0, &err), 0);
	move(s, 12, HR_ST_AT_OTG, HR_ST_AT_SPSZN, 8000);
	move(s, 12, HR_ST_AT_SPSZN, HR_ST_CHECKED, 8100);
	move(s, 12, HR_ST_CHECKED, HR_ST_EXPORTED, 8200);
	assert_int_equal(db_batch_summaries_release(s->db, 0, &err), 0);
	request_end(s, 1);
	request(s);
	move(s, 12, HR_ST_EXPORTED, HR_ST_ANSWERED, 8300);
	move(s, 11, HR_ST_DRAFT, HR_ST_AT_OTG, 8400);
	request_end(s, 1);
	request(s);
	if (db_app_told(s->db, s->app[12], version_of(s, 12), NOW + 8500,
	    DB_TOLD_PHONE, NULL, s->user, &err) < 0)
		fail_msg("told: %s", err.msg);
	create(s, 16, 300);
	request_end(s, 1);
	batch_end(s);
}

/* Application i's decision of `kind` from answer file `file_id`. */
static void
decide(struct side *s, int i, int64_t file_id, const char *kind, int k)
{
	struct db_decision d = { 0 };
	struct hr_error err;

	d.application_id = s->app[i];
	d.file_id = file_id;
	d.imported_at = NOW + k;
	d.decision = hr_decision_from_name(kind);
	if (db_decision_add(s->db, &d, &err) < 0)
		fail_msg("decision %d: %s", i, err.msg);
}

/* An answer file inside the batch (what a *.DAT import does: its own
 * hold, its decisions counted at the release, 033), then a decided
 * application's package made full (the move trigger, after a touch). */
static void
answer_file(struct side *s)
{
	struct hr_error err;
	int64_t file_id;
	const int apps[2] = { 0, 10 };

	batch(s);
	request(s);
	for (int j = 0; j < 2; j++) {
		move(s, apps[j], HR_ST_AT_OTG, HR_ST_AT_SPSZN, 9100 + j);
		move(s, apps[j], HR_ST_AT_SPSZN, HR_ST_CHECKED, 9200 + j);
		move(s, apps[j], HR_ST_CHECKED, HR_ST_EXPORTED, 9300 + j);
	}
	request_end(s, 1);
	request(s);
	file_id = tdb_answer_file(s->db);
	assert_int_equal(db_batch_summaries_hold(s->db, file_id, &err), 0);
	for (int j = 0; j < 2; j++) {
		decide(s, apps[j], file_id, j ? "refused" : "assigned", 9400);
		move(s, apps[j], HR_ST_EXPORTED, HR_ST_ANSWERED, 9400 + j);
	}
	/* held: not counted yet */
	assert_int_equal(tdb_int(s->db, "SELECT coalesce(sum(n), 0) FROM "
	    "decision_counts"), 0);
	assert_int_equal(db_batch_summaries_release(s->db, 0, &err), 0);
	request_end(s, 1);
	request(s);
	attach(s, 0, 9500);               /* a care case: its passport */
	request_end(s, 1);
	batch_end(s);
	assert_int_equal(tdb_int(s->db, "SELECT n FROM decision_counts WHERE "
	    "scope = 'all' AND decision = 'assigned' AND package_full = 1"), 1);
}

/* A batch rolled back whole leaves nothing held behind. */
static void
rolled_back(struct side *s)
{
	struct hr_error err;

	batch(s);
	request(s);
	create(s, 17, 400);
	move(s, 17, HR_ST_DRAFT, HR_ST_AT_OTG, 8600);
	request_end(s, 1);
	assert_int_equal(db_batch_summaries_end(s->db, -1, &err), -1);
	db_rollback(s->db);
	/* and the next one holds again */
	batch(s);
	request(s);
	create(s, 18, 401);
	move(s, 18, HR_ST_DRAFT, HR_ST_AT_OTG, 8700);
	request_end(s, 1);
	batch_end(s);
}

static void
test_alike(void **state)
{
	struct fx *f = *state;
	void (*const steps[])(struct side *) = { requests_and_a_failure,
	    edit_after_create, file_and_told, answer_file, rolled_back };

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		steps[i](&f->s[0]);
		steps[i](&f->s[1]);
		assert_alike(f);
	}
	/* the batches held: history rows of the batches' changes, none of
	 * the failed request's */
	assert_int_equal(tdb_int(f->s[0].db, "SELECT count(*) FROM "
	    "application_history"), tdb_int(f->s[1].db, "SELECT count(*) "
	    "FROM application_history"));
}

/* While a batch holds, another connection sees neither the hold nor the
 * batch; after its COMMIT, the moved summaries.  A new application's
 * counts are held too (038_insert_hold): not moved by its INSERT, even
 * on the batch's own connection, but at the batch's end. */
static void
test_others_see_committed(void **state)
{
	struct fx *f = *state;
	struct side *s = &f->s[0];
	struct hr_error err;
	struct hr_db *other;
	const char *q = "SELECT coalesce(sum(n), 0) FROM status_counts WHERE "
	    "scope = 'all' AND status = 'at_otg'";
	const char *drafts = "SELECT coalesce(sum(n), 0) FROM status_counts "
	    "WHERE scope = 'front_office' AND status = 'draft'";
	int64_t before, drafts_before = tdb_int(s->db, drafts);

	if (db_open(&other, s->path, 0, &err) < 0)
		fail_msg("db_open: %s", err.msg);
	before = tdb_int(other, q);
	batch(s);
	request(s);
	move(s, 1, HR_ST_DRAFT, HR_ST_AT_OTG, 9000);
	request_end(s, 1);
	request(s);
	create(s, 19, 500);
	create(s, 20, 501);
	request_end(s, 1);
	assert_int_equal(tdb_int(s->db, drafts), drafts_before);
	assert_int_equal(tdb_int(s->db, "SELECT count(*) FROM summary_hold"),
	    1);
	assert_int_equal(tdb_int(other, "SELECT count(*) FROM summary_hold"),
	    0);
	assert_int_equal(tdb_int(other, q), before);
	batch_end(s);
	assert_int_equal(tdb_int(other, q), before + 1);
	/* one draft moved on, two new */
	assert_int_equal(tdb_int(other, drafts), drafts_before + 1);
	assert_int_equal(tdb_int(other, tdb_counts_differ_sql), 0);
	db_close(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_others_see_committed,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
