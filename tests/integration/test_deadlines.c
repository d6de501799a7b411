/*
 * test_deadlines.c — every case's clock through the protocol (issue 17),
 * against a real hromadad on the demo database.
 *
 * The calendar gets a holiday on the first weekday after today before the
 * server starts.  Then:
 *  - a draft sent to the hromada, checked and sent to the back office,
 *    returned to the hromada: application.get shows each stage's clock —
 *    the front office's stopped late by the working days since its due
 *    date, the hromada's stopped, the back office's stopped by the return
 *    and the hromada's started afresh — with due dates and days left
 *    counted here day by day (weekday from mktime, the holiday skipped),
 *    not by db/workdays.c;
 *  - cases made late and expiring by writing their dates in the test
 *    database: journal.list's `clock: late` and `clock: expiring` list
 *    exactly the cases the database says, most overdue first, each row's
 *    clock [left, state] as counted here, the `late` count of the cabinet;
 *  - `order: clock` pages through every running clock of the scope in due
 *    date order by the opaque cursor; the back office sees only its
 *    statuses; a bad `clock` or `order` is refused;
 *  - report.get's `deadlines` per stage against counts made here from the
 *    clocks by the applications' back office (not by the territory walk
 *    the report uses), and its offices' rows adding up to them; the same
 *    for the oblast (an aggregate role) over its oblast and one of its
 *    hromadas, whose rows are counts only; the summaries the report reads
 *    (migration 027) against every clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "proto/client.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"

#define TEST_SECS 300

static struct testsrv srv;
static sqlite3 *dbf;
static int32_t today, holiday;

/* ---- working days, counted one day at a time ---- */

static int
weekday_of(int32_t day)           /* 0 Sunday .. 6 Saturday, by mktime */
{
	struct hr_date d;
	struct tm tm;

	assert_int_equal(hr_date_from_days(day, &d), 0);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	assert_true(mktime(&tm) != (time_t)-1);
	return tm.tm_wday;
}

static int
works(int32_t day)
{
	int w = weekday_of(day);

	return w != 0 && w != 6 && day != holiday;
}

/* The n-th working day after `day`. */
static int32_t
nth_after(int32_t day, int n)
{
	while (n > 0)
		if (works(++day))
			n--;
	return day;
}

/* Working days in (a, b]. */
static int
between(int32_t a, int32_t b)
{
	int n = 0;

	while (a < b)
		n += works(++a);
	return n;
}

/* Days left as the protocol gives them: negative when late, at least 1
 * late after the due date. */
static int
left_of(int32_t due)
{
	int n;

	if (today <= due)
		return between(today, due);
	n = between(due, today);
	return n < 1 ? -1 : -n;
}

static int32_t
day_of_iso(const char *s)
{
	struct hr_date d;
	struct hr_error e;

	assert_int_equal(hr_date_parse(s, strlen(s), NULL, &d, &e), 0);
	return hr_date_to_days(&d);
}

/* ---- set-up: the holiday, the server ---- */

static void
prepare(const char *path)
{
	sqlite3 *db;
	char sql[160];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "INSERT INTO calendar_days VALUES (%d, "
	    "'holiday', 'test')", (int)holiday);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int
group_setup(void **state)
{
	time_t now = time(NULL);
	struct tm tm;
	struct hr_date d;

	(void)state;
	localtime_r(&now, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	today = hr_date_to_days(&d);
	holiday = today + 1;
	while (weekday_of(holiday) == 0 || weekday_of(holiday) == 6)
		holiday++;
	return iu_server_start_with(&srv, &dbf, TEST_SECS, prepare);
}

static int
group_teardown(void **state)
{
	(void)state;
	return iu_server_stop(&srv, dbf);
}

/* ---- the stages of one case ---- */

static int64_t
version_of(int64_t id)
{
	return iu_db_int(dbf, "SELECT version FROM applications WHERE id = ?",
	    id);
}

static void
move(struct hr_client *c, int64_t id, const char *action, const char *why)
{
	struct tcall t;

	tcall_init(&t);
	iu_transition(c, id, version_of(id), action, why, &t);
	iu_expect(&t, HR_OK, action);
	tcall_free(&t);
}

/* application.get's running clock: stage, days, due and left as counted
 * here, its state; and the number of clocks. */
static const msgpack_object *
get_clocks(struct hr_client *c, int64_t id, struct tcall *t)
{
	const msgpack_object *res;

	tcall_init(t);
	iu_get(c, id, t);
	iu_expect(t, HR_OK, "application.get");
	res = tcall_result(t);
	assert_non_null(tobj_get(res, "clock"));
	return res;
}

static void
expect_running(const msgpack_object *res, const char *stage, int days,
    int32_t start)
{
	const msgpack_object *k = tobj_get(res, "clock");
	char due[16];
	int32_t want = nth_after(start, days);
	int left = left_of(want);

	assert_true(k->type == MSGPACK_OBJECT_MAP);
	assert_true(tobj_is_str(tobj_get(k, "stage"), stage));
	assert_int_equal(tobj_int(tobj_get(k, "days"), -1), days);
	tobj_str(tobj_get(k, "due"), due, sizeof due);
	assert_int_equal(day_of_iso(due), want);
	assert_int_equal(tobj_int(tobj_get(k, "left"), -99), left);
	/* red when late, amber when a quarter or less is left */
	assert_int_equal(tobj_int(tobj_get(k, "state"), -1),
	    today > want ? 2 : left * 4 <= days ? 1 : 0);
}

/* clocks[i] = [stage, office, days, started_at, due, stopped_at, late] */
static const msgpack_object *
clock_at(const msgpack_object *res, uint32_t i)
{
	const msgpack_object *cl = tobj_get(res, "clocks");

	assert_true(i < iu_len(cl));
	assert_int_equal(iu_len(&cl->via.array.ptr[i]), 7);
	return cl->via.array.ptr[i].via.array.ptr;
}

static void
expect_stopped(const msgpack_object *c, const char *stage, int late)
{
	assert_true(tobj_is_str(&c[0], stage));
	assert_true(c[5].type == MSGPACK_OBJECT_POSITIVE_INTEGER);
	assert_int_equal(tobj_int(&c[6], -1), late);
}

static void
test_stages_and_return(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	struct hr_client *upo = iu_login(&srv, "upo");
	struct hr_client *spszn = iu_login(&srv, "spszn");
	const msgpack_object *res;
	struct tcall t;
	int64_t id;
	uint32_t n0;
	int32_t start, front_due;

	(void)state;
	id = iu_db_int(dbf, "SELECT min(a.id) FROM applications a JOIN users u "
	    "ON u.territory_id = a.front_office_id AND u.name = 'sta' WHERE "
	    "a.status = 'draft' AND a.id > ?", 0);
	assert_true(id > 0);
	start = (int32_t)iu_db_int(dbf, "SELECT stage_start FROM applications "
	    "WHERE id = ?", id);
	front_due = nth_after(start, 1);

	/* the draft's clock: the front office's day since it was begun */
	res = get_clocks(sta, id, &t);
	expect_running(res, "front", 1, start);
	n0 = iu_len(tobj_get(res, "clocks"));
	assert_true(n0 >= 1);
	assert_true(clock_at(res, n0 - 1)[5].type == MSGPACK_OBJECT_NIL);
	tcall_free(&t);

	/* sent to the hromada today: the front clock stops (late by the
	 * working days since its due date, if past), the hromada's starts */
	move(sta, id, "send_otg", NULL);
	res = get_clocks(sta, id, &t);
	expect_running(res, "otg", 2, today);
	assert_int_equal(iu_len(tobj_get(res, "clocks")), n0 + 1);
	expect_stopped(clock_at(res, n0 - 1), "front",
	    today > front_due ? -left_of(front_due) : 0);
	tcall_free(&t);

	move(upo, id, "send_spszn", NULL);
	res = get_clocks(upo, id, &t);
	expect_running(res, "spszn", 10, today);
	expect_stopped(clock_at(res, n0), "otg", 0);
	tcall_free(&t);

	/* the return stops the back office's clock and starts the hromada's
	 * afresh; the history keeps all four */
	move(spszn, id, "return_otg", "Скан паспорта нечитабельний");
	res = get_clocks(upo, id, &t);
	expect_running(res, "otg", 2, today);
	assert_int_equal(iu_len(tobj_get(res, "clocks")), n0 + 3);
	expect_stopped(clock_at(res, n0 + 1), "spszn", 0);
	assert_true(tobj_is_str(&clock_at(res, n0 + 2)[0], "otg"));
	assert_true(clock_at(res, n0 + 2)[5].type == MSGPACK_OBJECT_NIL);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
	    "application_clocks WHERE application_id = ? AND stopped_at IS "
	    "NULL", id), 1);
	tcall_free(&t);
	hr_client_free(sta);
	hr_client_free(upo);
	hr_client_free(spszn);
}

/* ---- the journal by the clock ---- */

/* journal.list with clock/order (NULL: left out), limit, cursor. */
static void
journal(struct hr_client *c, const char *clock, const char *order,
    int limit, int64_t before, int code, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);

	msgpack_pack_map(pk, 2 + (clock != NULL) + (order != NULL) +
	    (before != 0));
	hr_pack_kv_int(pk, "limit", limit);
	hr_pack_kv_bool(pk, "counts", 1);
	if (clock != NULL)
		hr_pack_kv_str(pk, "clock", clock);
	if (order != NULL)
		hr_pack_kv_str(pk, "order", order);
	if (before != 0)
		hr_pack_kv_int(pk, "before", before);
	tcall_init(t);
	tcall_send_wait(c, t, IU_CALL_MS);
	iu_expect(t, code, clock ? clock : order ? order : "journal");
}

/* The ids the database gives for `where` (on applications a) in clock
 * order, into ids[] (at most max). */
static size_t
db_ids(const char *where, int64_t *ids, size_t max)
{
	char sql[512];
	sqlite3_stmt *st;
	size_t n = 0;

	snprintf(sql, sizeof sql, "SELECT a.id FROM applications a WHERE %s "
	    "ORDER BY a.stage_due, a.id", where);
	assert_int_equal(sqlite3_prepare_v2(dbf, sql, -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && n < max)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The territory of a demo user (upo's is its hromada, spszn's its back
 * office). */
static int64_t
territory_of(const char *user)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT territory_id FROM users WHERE name "
	    "= '%s' AND ? = 0", user);
	return iu_db_int(dbf, sql, 0);
}

/* Every row of the page: its id against want[], and its clock. */
static void
expect_rows(const struct tcall *t, const int64_t *want, size_t n,
    int state)
{
	const msgpack_object *rows = tobj_get(tcall_result(t), "rows");

	assert_int_equal(iu_len(rows), n);
	for (uint32_t i = 0; i < n; i++) {
		const msgpack_object *r = rows->via.array.ptr[i].via.array.ptr;
		const msgpack_object *k;
		int64_t id = hr_val_int(&r[0], 0);
		int32_t due;

		assert_int_equal(iu_len(&rows->via.array.ptr[i]), 12);
		assert_int_equal(id, want[i]);
		assert_int_equal(hr_val_int(&r[10], -1), version_of(id));
		k = &r[11];
		assert_int_equal(iu_len(k), 2);
		due = (int32_t)iu_db_int(dbf, "SELECT stage_due FROM "
		    "applications WHERE id = ?", id);
		assert_int_equal(hr_val_int(&k->via.array.ptr[0], -99),
		    left_of(due));
		if (state >= 0)
			assert_int_equal(hr_val_int(&k->via.array.ptr[1], -1),
			    state);
	}
}

static void
test_late_and_expiring(void **state)
{
	struct hr_client *upo = iu_login(&srv, "upo");
	int64_t h = territory_of("upo"), ids[128], exp_id;
	char where[256];
	struct tcall t;
	size_t n;

	(void)state;
	/* one case made late by its dates, one due today (expiring) */
	exp_id = iu_db_int(dbf, "SELECT min(id) FROM applications WHERE "
	    "hromada_id = ? AND status = 'at_otg'", h);
	assert_true(exp_id > 0);
	{
		char sql[256];

		snprintf(sql, sizeof sql, "UPDATE applications SET stage_start "
		    "= %d, stage_days = 10, stage_due = %d, stage_warn = %d "
		    "WHERE id = %lld", (int)today - 14, (int)today,
		    (int)today - 3, (long long)exp_id);
		assert_int_equal(sqlite3_exec(dbf, sql, NULL, NULL, NULL),
		    SQLITE_OK);
	}
	snprintf(where, sizeof where, "a.hromada_id = %lld AND a.stage_due < "
	    "%d", (long long)h, (int)today);
	n = db_ids(where, ids, 100);
	assert_true(n > 0);
	journal(upo, "late", NULL, 100, 0, HR_OK, &t);
	expect_rows(&t, ids, n, 2);
	/* the cabinet's count: the whole scope's late cases */
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "late"), -1),
	    iu_db_int(dbf, "SELECT count(*) FROM applications WHERE "
	    "hromada_id = ? AND stage_due IS NOT NULL AND stage_due < "
	    "CAST(round(julianday('now', 'localtime', 'start of day') - "
	    "julianday('1899-12-31')) AS INTEGER)", h));
	tcall_free(&t);

	snprintf(where, sizeof where, "a.hromada_id = %lld AND a.stage_due >= "
	    "%d AND a.stage_warn <= %d", (long long)h, (int)today, (int)today);
	n = db_ids(where, ids, 100);
	assert_true(n >= 1);
	journal(upo, "expiring", NULL, 100, 0, HR_OK, &t);
	expect_rows(&t, ids, n, 1);
	tcall_free(&t);

	journal(upo, "overdue", NULL, 10, 0, HR_E_INVALID, &t);
	tcall_free(&t);
	journal(upo, NULL, "oldest", 10, 0, HR_E_INVALID, &t);
	tcall_free(&t);
	hr_client_free(upo);
}

/* Page through the clock order by the cursor, three rows at a time. */
static void
walk(struct hr_client *c, const char *where)
{
	int64_t want[512], got[512];
	size_t n = db_ids(where, want, 512), m = 0;
	int64_t next = 0;
	struct tcall t;

	assert_true(n > 3);
	do {
		const msgpack_object *rows;

		journal(c, NULL, "clock", 3, next, HR_OK, &t);
		rows = tobj_get(tcall_result(&t), "rows");
		for (uint32_t i = 0; i < iu_len(rows) && m < 512; i++)
			got[m++] = hr_val_int(rows->via.array.ptr[i].via.array.ptr,
			    0);
		next = tobj_int(tobj_get(tcall_result(&t), "next"), 0);
		tcall_free(&t);
	} while (next != 0 && m < 512);
	assert_int_equal(m, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
}

static void
test_clock_order(void **state)
{
	struct hr_client *upo = iu_login(&srv, "upo");
	struct hr_client *spszn = iu_login(&srv, "spszn");
	char where[320];
	int64_t b = territory_of("spszn");

	(void)state;
	snprintf(where, sizeof where, "a.hromada_id = %lld AND a.stage_due IS "
	    "NOT NULL", (long long)territory_of("upo"));
	walk(upo, where);
	/* the back office: its own statuses only */
	snprintf(where, sizeof where, "a.spszn_id = %lld AND a.stage_due IS "
	    "NOT NULL AND a.status IN ('at_spszn', 'returned_otg', 'checked', "
	    "'exported')", (long long)b);
	walk(spszn, where);
	hr_client_free(upo);
	hr_client_free(spszn);
}

/* report.get of `user` ({territory: id} unless 0): its deadlines. */
static const msgpack_object *
deadlines_of(struct hr_client *c, int64_t id, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_REPORT_GET);
	const msgpack_object *d;

	msgpack_pack_map(pk, id != 0);
	if (id != 0)
		hr_pack_kv_int(pk, "territory", id);
	tcall_init(t);
	tcall_send_wait(c, t, IU_CALL_MS);
	iu_expect(t, HR_OK, "report.get");
	d = tobj_get(tcall_result(t), "deadlines");
	assert_non_null(d);
	return d;
}

/*
 * The deadline rows of `d` against counts made here from the clocks whose
 * case satisfies `where` (SQL on applications a and application_clocks c,
 * one ? bound to `param`); the offices' rows add up to the stages' when
 * all are listed.
 */
static void
expect_deadlines(const msgpack_object *d, const char *where, int64_t param)
{
	static const char *const stages[3] = { "front", "otg", "spszn" };
	static const char *const cols[] = { "closed", "on_time", "late",
	    "late_days", "running", "running_late" };
	static const char *const want[] = {
		"count(c.stopped_at)",
		"sum(c.stopped_at IS NOT NULL AND c.late_days = 0)",
		"sum(c.late_days > 0)",
		"sum(coalesce(c.late_days, 0))",
		"sum(c.stopped_at IS NULL)",
		"sum(c.stopped_at IS NULL AND c.due_day < ",   /* today) */
	};
	const msgpack_object *st = tobj_get(d, "stages");
	const msgpack_object *of = tobj_get(d, "offices");
	int64_t sum[3][2];
	char sql[768], today_s[16];

	assert_int_equal(iu_len(st), 3);
	memset(sum, 0, sizeof sum);
	for (uint32_t i = 0; i < iu_len(of); i++) {
		const msgpack_object *r = &of->via.array.ptr[i];
		char name[16];
		int k;

		tobj_str(tobj_get(r, "stage"), name, sizeof name);
		for (k = 0; k < 3 && strcmp(name, stages[k]) != 0; k++)
			;
		assert_true(k < 3);
		sum[k][0] += tobj_int(tobj_get(r, "closed"), 0);
		sum[k][1] += tobj_int(tobj_get(r, "running_late"), 0);
	}
	assert_true(iu_len(of) == (uint32_t)tobj_int(tobj_get(d,
	    "offices_total"), -1) || iu_len(of) == 50);
	for (int k = 0; k < 3; k++) {
		const msgpack_object *r = &st->via.array.ptr[k];

		assert_true(tobj_is_str(tobj_get(r, "stage"), stages[k]));
		snprintf(today_s, sizeof today_s, "%d)", (int)today);
		for (int i = 0; i < 6; i++) {
			snprintf(sql, sizeof sql, "SELECT coalesce(%s%s, 0) "
			    "FROM application_clocks c JOIN applications a ON "
			    "a.id = c.application_id WHERE (%s) AND "
			    "c.stage = '%s'", want[i], i == 5 ? today_s : "",
			    where, stages[k]);
			assert_int_equal(tobj_int(tobj_get(r, cols[i]), -1),
			    iu_db_int(dbf, sql, param));
		}
		if (iu_len(of) < 50) {
			assert_int_equal(sum[k][0], tobj_int(tobj_get(r,
			    "closed"), -1));
			assert_int_equal(sum[k][1], tobj_int(tobj_get(r,
			    "running_late"), -1));
		}
	}
}

/* report.get's deadlines of the back office, stage by stage. */
static void
test_report(void **state)
{
	struct hr_client *spszn = iu_login(&srv, "spszn");
	const msgpack_object *d;
	struct tcall t;

	(void)state;
	d = deadlines_of(spszn, 0, &t);
	expect_deadlines(d, "a.spszn_id = ?", territory_of("spszn"));
	/* the stages and return of test_stages_and_return are in it */
	assert_true(tobj_int(tobj_get(&tobj_get(d, "stages")->via.array.ptr[2],
	    "closed"), 0) >= 1);
	/* the summaries the report reads (migration 027) hold every clock:
	 * the running ones, and the stopped ones with their lateness */
	assert_int_equal(iu_db_int(dbf, "SELECT (SELECT sum(running) FROM "
	    "deadline_running) - count(*) FROM application_clocks WHERE "
	    "stopped_at IS NULL AND ? = 0", 0), 0);
	assert_int_equal(iu_db_int(dbf, "SELECT (SELECT sum(closed) * 1000000 "
	    "+ sum(late) * 1000 + sum(late_days) FROM deadline_facts) - "
	    "(count(*) * 1000000 + sum(late_days > 0) * 1000 + "
	    "sum(late_days)) FROM application_clocks WHERE stopped_at IS NOT "
	    "NULL AND ? = 0", 0), 0);
	tcall_free(&t);
	hr_client_free(spszn);
}

/*
 * The oblast (an aggregate role) gets the same compliance of its oblast,
 * and of a hromada one level down — its front offices and itself answer
 * there, not its back office — and counts only: every office row holds
 * exactly the counters, an id that is an office's territory and its name;
 * no case, no person.
 */
static void
test_report_aggregate(void **state)
{
	static const char *const keys[] = { "id", "name", "stage", "closed",
	    "on_time", "late", "late_days", "running", "running_late" };
	struct hr_client *obl = iu_login(&srv, "oblast");
	int64_t o = territory_of("oblast"), h = territory_of("upo");
	const msgpack_object *d, *of;
	struct tcall t;

	(void)state;
	d = deadlines_of(obl, 0, &t);
	expect_deadlines(d, "a.oblast_id = ?", o);
	of = tobj_get(d, "offices");
	assert_true(iu_len(of) > 0);
	for (uint32_t i = 0; i < iu_len(of); i++) {
		const msgpack_object *r = &of->via.array.ptr[i];

		assert_int_equal(r->type, MSGPACK_OBJECT_MAP);
		assert_int_equal(r->via.map.size, 9);
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			assert_non_null(tobj_get(r, keys[k]));
		assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
		    "territories WHERE id = ? AND kind IN ('cnap', 'starosta', "
		    "'hromada', 'spszn')", tobj_int(tobj_get(r, "id"), 0)), 1);
	}
	tcall_free(&t);
	d = deadlines_of(obl, h, &t);
	expect_deadlines(d, "c.office_id IN (SELECT id FROM territories "
	    "WHERE id = ?1 OR parent_id = ?1)", h);
	assert_int_equal(tobj_int(tobj_get(&tobj_get(d,
	    "stages")->via.array.ptr[2], "running"), -1), 0);
	tcall_free(&t);
	hr_client_free(obl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stages_and_return),
		cmocka_unit_test(test_late_and_expiring),
		cmocka_unit_test(test_clock_order),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_report_aggregate),
	};

	testsrv_watchdog(TEST_SECS);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
