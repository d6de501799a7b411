/*
 * test_reports.c — «Звітність» (report.get, issue 16) against a real
 * hromadad on the demo database.
 *
 * Before the server starts, two exported applications of Березівська ОТГ
 * are answered with decisions (one assigned with a sum, one refused), as an
 * imported answer would, beside the demo's own answers.  Then:
 *   - every counter of the country's report, of each oblast row of its
 *     drill-down, and of each level down to a front office, equals a
 *     count the test makes itself from the raw tables (application
 *     history, decisions) — not from the summary the server reads;
 *   - each level's totals equal its row in the level above (the same
 *     report at every level), and `path` leads back up;
 *   - the median and p90 of a stage equal the nearest rank of the raw
 *     durations counted the documented way;
 *   - the report follows the writes at once: a hand-over to the back
 *     office, a return, telling the applicant;
 *   - scope: out of scope, a settlement and an id that does not exist
 *     give the same bytes; admin is refused; a malformed month is named;
 *   - report.monitor: each hromada connected / using / accepted as the
 *     users table and the history say, rows adding up to the totals,
 *     ranks 1..n, scope;
 *   - aggregates only: no string of the ministry's report is a
 *     registration number, an applicant's name or РНОКПП, and a return
 *     reason typed once appears for the back office but not the ministry;
 *   - per clerk: the case roles (front office, hromada, back office) get
 *     `clerks`, each user who sent the territory's cases up with the
 *     count the history gives and their name and office from the users
 *     table; each child's `clerks` is the number of distinct senders; the
 *     oblast and ministry get the counts at every level and never a
 *     `clerks` list;
 *   - the accounts that only sign the history (the monitoring's connected
 *     offices of the other hromadas): user.list gives them `login` false,
 *     not disabled; an account with a password `login` true.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/applications.h"
#include "db/dat.h"
#include "db/db.h"
#include "db/users.h"
#include "proto/dat.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"

#define TEST_SECS  90
#define FROM_MONTH 202601
#define AMOUNT     123456

static struct testsrv srv;
static sqlite3 *dbf;
static int to_month;            /* the current month, YYYYMM */
static char to_text[16];

static const char *const counters[] = {
	"created", "formed", "sent", "accepted", "returned", "decided",
	"assigned", "notified", "assigned_sum",
};
#define NCOUNTERS (sizeof counters / sizeof counters[0])

/* ---- set-up: two decisions, written before the server runs ---- */

static void
prepare_db(const char *path)
{
	struct hr_db *db = NULL;
	struct db_user spszn;
	struct hr_error err;
	struct db_dat_file f = { 0 };
	int64_t file_id, ids[2] = { 0, 0 };
	const char data[] = "answer";
	sqlite3 *raw;
	sqlite3_stmt *st;
	int n = 0;

	/* two exported applications answered now, as an import does */
	if (sqlite3_open(path, &raw) != SQLITE_OK ||
	    sqlite3_prepare_v2(raw, "SELECT id FROM applications WHERE "
	    "status = 'exported' ORDER BY id LIMIT 2", -1, &st, NULL) !=
	    SQLITE_OK)
		fail_msg("%s: cannot read", path);
	while (sqlite3_step(st) == SQLITE_ROW && n < 2)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	assert_int_equal(n, 2);

	hr_error_clear(&err);
	if (db_open(&db, path, 0, &err) < 0 ||
	    db_user_by_name(db, "spszn", &spszn, &err) < 0 ||
	    db_begin(db, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	f.direction = "answer";
	f.system = "asopd";
	f.number = 5;
	f.spszn_id = spszn.territory_id;
	f.name = "answer.DAT";
	f.created_at = f.stored_at = db_now();
	f.user_id = spszn.id;
	f.crc32 = "00000000";
	f.record_count = 2;
	if (db_dat_file_add(db, &f, data, sizeof data - 1, &file_id, &err) < 0)
		fail_msg("dat file: %s", err.msg);
	for (int i = 0; i < 2; i++) {
		struct db_decision d = { 0 };

		d.application_id = ids[i];
		d.file_id = file_id;
		d.imported_at = db_now();
		d.decision = hr_decision_from_name(i == 0 ? "assigned" :
		    "refused");
		d.has_amount = i == 0;
		d.amount = i == 0 ? AMOUNT : 0;
		d.reason = i == 0 ? NULL : "income above the limit";
		if (db_application_set_status(db, ids[i], HR_ST_EXPORTED,
		    HR_ST_ANSWERED, spszn.id, NULL, d.imported_at, &err) < 0 ||
		    db_decision_add(db, &d, &err) < 0)
			fail_msg("decision: %s", err.msg);
	}
	if (db_commit(db, &err) < 0)
		fail_msg("commit: %s", err.msg);
	db_user_free(&spszn);
	db_close(db);
}

/* ---- calls ---- */

static void
report(struct hr_client *c, int64_t territory, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_REPORT_GET);
	char from[16];

	snprintf(from, sizeof from, "%04d-%02d", FROM_MONTH / 100,
	    FROM_MONTH % 100);
	tcall_init(t);
	msgpack_pack_map(pk, 2 + (territory != 0));
	hr_pack_kv_str(pk, "from", from);
	hr_pack_kv_str(pk, "to", to_text);
	if (territory != 0)
		hr_pack_kv_int(pk, "territory", territory);
	tcall_send_wait(c, t, IU_CALL_MS);
}

static void
report_ok(struct hr_client *c, int64_t territory, struct tcall *t)
{
	report(c, territory, t);
	if (t->code != HR_OK)
		fail_msg("report.get %lld: %d %s", (long long)territory,
		    t->code, t->msg);
}

static int64_t
counter(const msgpack_object *m, const char *name)
{
	const msgpack_object *v = tobj_get(m, name);

	if (v == NULL)
		fail_msg("no counter %s", name);
	return tobj_int(v, -1);
}

/* ---- the raw counts, from the tables, not from report_facts ---- */

/* The scope as SQL over applications `a`: col = the level's column. */
static void
raw_counts(const char *col, int64_t id, int64_t out[NCOUNTERS])
{
	char in_h[160], in_a[160], in_d[160], scope[96], sql[1024];
	static const char *const q[NCOUNTERS] = {
		"SELECT count(*) FROM applications a WHERE %s AND %s",
		"SELECT count(*) FROM application_history h JOIN applications a "
		    "ON a.id = h.application_id WHERE %s AND "
		    "h.from_status = 'draft' AND h.to_status IN ('at_otg', "
		    "'at_spszn') AND %s",
		"SELECT count(*) FROM (SELECT h.application_id, min(h.at) AS at "
		    "FROM application_history h JOIN applications a ON a.id = "
		    "h.application_id WHERE %s AND h.to_status = 'at_spszn' "
		    "GROUP BY h.application_id) h WHERE %s",
		"SELECT count(*) FROM application_history h JOIN applications a "
		    "ON a.id = h.application_id WHERE %s AND "
		    "h.to_status = 'checked' AND %s",
		"SELECT count(*) FROM application_history h JOIN applications a "
		    "ON a.id = h.application_id WHERE %s AND h.to_status IN "
		    "('returned_front', 'returned_otg') AND h.from_status <> "
		    "h.to_status AND %s",
		"SELECT count(*) FROM decisions d JOIN applications a ON a.id = "
		    "d.application_id WHERE %s AND %s",
		"SELECT count(*) FROM decisions d JOIN applications a ON a.id = "
		    "d.application_id WHERE %s AND d.decision = 'assigned' AND %s",
		"SELECT count(*) FROM decisions d JOIN applications a ON a.id = "
		    "d.application_id WHERE %s AND a.notified_at IS NOT NULL "
		    "AND %s",
		"SELECT coalesce(sum(d.amount), 0) FROM decisions d JOIN "
		    "applications a ON a.id = d.application_id WHERE %s AND "
		    "d.decision = 'assigned' AND %s",
	};
#define IN_PERIOD(buf, c) snprintf(buf, sizeof buf, "CAST(strftime('%%Y%%m', " \
	c ", 'unixepoch', 'localtime') AS INTEGER) BETWEEN %d AND %d", \
	FROM_MONTH, to_month)

	IN_PERIOD(in_a, "a.created_at");
	IN_PERIOD(in_h, "h.at");
	IN_PERIOD(in_d, "d.imported_at");
	if (col == NULL)
		snprintf(scope, sizeof scope, "1");
	else
		snprintf(scope, sizeof scope, "a.%s = %lld", col,
		    (long long)id);
	for (size_t i = 0; i < NCOUNTERS; i++) {
		const char *in = i == 0 ? in_a : i <= 4 ? in_h : in_d;

		/* q[i] has two %s: the scope, then the period */
		const char *p = strstr(q[i], "%s");
		const char *p2 = strstr(p + 2, "%s");

		snprintf(sql, sizeof sql, "%.*s%s%.*s%s%s", (int)(p - q[i]),
		    q[i], scope, (int)(p2 - p - 2), p + 2, in, p2 + 2);
		out[i] = iu_db_int(dbf, sql, -1);
	}
}

static void
check_counts(const char *what, const msgpack_object *m,
    const int64_t raw[NCOUNTERS])
{
	for (size_t i = 0; i < NCOUNTERS; i++)
		if (counter(m, counters[i]) != raw[i])
			fail_msg("%s: %s is %lld, the tables say %lld", what,
			    counters[i], (long long)counter(m, counters[i]),
			    (long long)raw[i]);
}

static int64_t
terr_id(const char *name)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT id FROM territories WHERE name = "
	    "'%s'", name);
	return iu_db_int(dbf, sql, -1);
}

/* The level column of applications for a territory kind. */
static const char *
kind_col(const char *kind)
{
	static const struct { const char *kind, *col; } map[] = {
		{ "oblast", "oblast_id" }, { "spszn", "spszn_id" },
		{ "hromada", "hromada_id" }, { "cnap", "front_office_id" },
		{ "starosta", "front_office_id" },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].kind, kind) == 0)
			return map[i].col;
	return NULL;
}

/* ---- the tests ---- */

/* Every level from the country down to a front office equals the raw
 * counts, its row in the level above, and its path leads back up. */
static void
test_levels_match_tables(void **state)
{
	struct hr_client *c = iu_login(&srv, "ministry");
	int64_t raw[NCOUNTERS], id = 0;
	const char *want[] = { "oblast", "spszn", "hromada", "cnap" };
	int levels = 0;

	(void)state;
	for (int depth = 0; ; depth++) {
		struct tcall t;
		const msgpack_object *r, *kids, *path;
		const msgpack_object *next = NULL;
		char kind[16], what[64];

		report_ok(c, id, &t);
		r = tcall_result(&t);
		tobj_str(tobj_get(tobj_get(r, "territory"), "kind"), kind,
		    sizeof kind);
		raw_counts(depth == 0 ? NULL : kind_col(kind), id, raw);
		snprintf(what, sizeof what, "level %d (%s)", depth, kind);
		check_counts(what, tobj_get(r, "totals"), raw);
		path = tobj_get(r, "path");
		assert_int_equal(iu_len(path), depth);
		assert_int_equal(iu_len(tobj_get(r, "months")),
		    (to_month / 100 - FROM_MONTH / 100) * 12 +
		    to_month % 100 - FROM_MONTH % 100 + 1);
		kids = tobj_get(r, "children");
		levels++;
		if (depth == 4) {
			assert_int_equal(iu_len(kids), 0);
			tcall_free(&t);
			break;
		}
		assert_true(iu_len(kids) > 0);
		/* each child's row is the child's raw counts; go down into
		 * the busiest of the kind expected next */
		for (uint32_t i = 0; i < kids->via.array.size; i++) {
			const msgpack_object *k = &kids->via.array.ptr[i];
			char kk[16];

			tobj_str(tobj_get(k, "kind"), kk, sizeof kk);
			raw_counts(kind_col(kk), counter(k, "id"), raw);
			snprintf(what, sizeof what, "child %u of level %d", i,
			    depth);
			check_counts(what, k, raw);
			if (strcmp(kk, want[depth]) == 0 && (next == NULL ||
			    counter(k, "formed") > counter(next, "formed")))
				next = k;
		}
		assert_non_null(next);
		assert_true(counter(next, "formed") > 0);
		id = counter(next, "id");
		tcall_free(&t);
	}
	assert_int_equal(levels, 5);
	hr_client_free(c);
}

/* A level's totals are its row in the parent's drill-down. */
static void
test_child_equals_row(void **state)
{
	struct hr_client *c = iu_login(&srv, "oblast");
	struct tcall up, down;
	const msgpack_object *kids;

	(void)state;
	report_ok(c, 0, &up);
	kids = tobj_get(tcall_result(&up), "children");
	assert_true(iu_len(kids) >= 2);
	for (uint32_t i = 0; i < kids->via.array.size; i++) {
		const msgpack_object *k = &kids->via.array.ptr[i];
		const msgpack_object *tot;

		report_ok(c, counter(k, "id"), &down);
		tot = tobj_get(tcall_result(&down), "totals");
		for (size_t j = 0; j < NCOUNTERS; j++)
			assert_int_equal(counter(tot, counters[j]),
			    counter(k, counters[j]));
		assert_int_equal(iu_len(tobj_get(tcall_result(&down),
		    "path")), 1);
		tcall_free(&down);
	}
	tcall_free(&up);
	hr_client_free(c);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The documented bucket: whole hours below 72 h, whole days above. */
static int64_t
bucket_h(int64_t secs)
{
	if (secs < 0)
		secs = 0;
	return secs < 72 * 3600 ? secs / 3600 : secs / 86400 * 24;
}

static void
check_stage(const msgpack_object *times, const char *stage, const char *sql)
{
	sqlite3_stmt *st;
	int64_t d[4096];
	size_t n = 0;
	const msgpack_object *row = NULL;

	if (sqlite3_prepare_v2(dbf, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(dbf));
	while (sqlite3_step(st) == SQLITE_ROW && n < 4096)
		d[n++] = bucket_h(sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	qsort(d, n, sizeof d[0], cmp64);
	for (uint32_t i = 0; i < times->via.array.size; i++)
		if (tobj_is_str(tobj_get(&times->via.array.ptr[i], "stage"),
		    stage))
			row = &times->via.array.ptr[i];
	assert_non_null(row);
	assert_int_equal(counter(row, "count"), n);
	assert_true(n > 0);
	assert_int_equal(counter(row, "median_h"), d[(n + 1) / 2 - 1]);
	assert_int_equal(counter(row, "p90_h"), d[(9 * n + 9) / 10 - 1]);
}

static void
test_times(void **state)
{
	struct hr_client *c = iu_login(&srv, "ministry");
	struct tcall t;
	const msgpack_object *times;

	(void)state;
	report_ok(c, 0, &t);
	times = tobj_get(tcall_result(&t), "times");
	assert_int_equal(iu_len(times), 6);
	check_stage(times, "front", "SELECT h.at - a.created_at FROM "
	    "application_history h JOIN applications a ON a.id = "
	    "h.application_id WHERE h.from_status = 'draft' AND h.to_status "
	    "IN ('at_otg', 'at_spszn')");
	check_stage(times, "spszn", "SELECT h.at - (SELECT max(p.at) FROM "
	    "application_history p WHERE p.application_id = h.application_id "
	    "AND p.at <= h.at AND p.id < h.id AND p.to_status = 'at_spszn') "
	    "FROM application_history h WHERE h.to_status = 'checked'");
	tcall_free(&t);
	hr_client_free(c);
}

/* An application of Березівська in `status` never sent to the back
 * office before, or 0. */
static int64_t
app_fresh(const char *status)
{
	char sql[512];

	snprintf(sql, sizeof sql, "SELECT min(a.id) FROM applications a "
	    "WHERE a.hromada_id = %lld AND a.status = '%s' AND NOT EXISTS "
	    "(SELECT 1 FROM application_history h WHERE h.application_id = "
	    "a.id AND h.to_status = 'at_spszn')",
	    (long long)terr_id("Березівська сільська ОТГ"), status);
	return iu_db_int(dbf, sql, -1);
}

static const msgpack_object *
reasons_has(const msgpack_object *r, const char *text)
{
	const msgpack_object *a = tobj_get(r, "reasons");

	for (uint32_t i = 0; i < iu_len(a); i++)
		if (tobj_is_str(tobj_get(&a->via.array.ptr[i], "reason"), text))
			return &a->via.array.ptr[i];
	return NULL;
}

#define ONCE_REASON "Іваненко просить передзвонити 0501234567"

/* The application's version as c reads it now. */
static int64_t
version_of(struct hr_client *c, int64_t id)
{
	struct tcall t;
	int64_t v;

	tcall_init(&t);
	iu_get(c, id, &t);
	iu_expect(&t, HR_OK, "application.get");
	v = tobj_int(tobj_get(iu_app(&t), "version"), 0);
	tcall_free(&t);
	return v;
}

/* The report follows the writes at once. */
static void
test_follows_writes(void **state)
{
	struct hr_client *upo = iu_login(&srv, "upo");
	struct hr_client *sp = iu_login(&srv, "spszn");
	struct hr_client *min = iu_login(&srv, "ministry");
	int64_t hromada = terr_id("Березівська сільська ОТГ");
	int64_t id = app_fresh("at_otg"), raw[NCOUNTERS];
	struct tcall before, after, t, m;

	(void)state;
	assert_true(id > 0);
	tcall_init(&t);
	report_ok(upo, 0, &before);
	iu_transition(upo, id, version_of(upo, id), "send_spszn", NULL, &t);
	iu_expect(&t, HR_OK, "send to the back office");
	tcall_free(&t);
	report_ok(upo, 0, &after);
	assert_int_equal(counter(tobj_get(tcall_result(&after), "totals"),
	    "sent"), counter(tobj_get(tcall_result(&before), "totals"),
	    "sent") + 1);
	raw_counts("hromada_id", hromada, raw);
	check_counts("after a hand-over", tobj_get(tcall_result(&after),
	    "totals"), raw);
	tcall_free(&before);
	tcall_free(&after);

	/* the back office returns it with a reason typed once */
	iu_transition(sp, id, version_of(sp, id), "return_otg", ONCE_REASON,
	    &t);
	iu_expect(&t, HR_OK, "return to the hromada");
	tcall_free(&t);
	report_ok(sp, 0, &t);
	assert_non_null(reasons_has(tcall_result(&t), ONCE_REASON));
	raw_counts("spszn_id", counter(tobj_get(tcall_result(&t),
	    "territory"), "id"), raw);
	check_counts("after a return", tobj_get(tcall_result(&t), "totals"),
	    raw);
	tcall_free(&t);
	report_ok(min, 0, &m);
	assert_null(reasons_has(tcall_result(&m), ONCE_REASON));
	/* the demo's reasons, typed five times each, are there */
	assert_true(iu_len(tobj_get(tcall_result(&m), "reasons")) >= 2);
	tcall_free(&m);
	hr_client_free(upo);
	hr_client_free(sp);
	hr_client_free(min);
}

/* Telling the applicant counts in the decision's month. */
static void
test_notified(void **state)
{
	struct hr_client *sc = iu_login(&srv, "supercnap");
	struct hr_client *min = iu_login(&srv, "ministry");
	int64_t id = iu_db_int(dbf, "SELECT d.application_id FROM decisions d "
	    "JOIN applications a ON a.id = d.application_id WHERE "
	    "a.notified_at IS NULL AND a.hromada_id = ? ORDER BY 1 LIMIT 1",
	    terr_id("Березівська сільська ОТГ"));
	struct tcall t, r0, r1;
	int64_t raw[NCOUNTERS];

	(void)state;
	assert_true(id > 0);
	tcall_init(&t);
	report_ok(min, 0, &r0);
	iu_notify(sc, id, version_of(sc, id), "phone", &t);
	iu_expect(&t, HR_OK, "applicant told");
	tcall_free(&t);
	report_ok(min, 0, &r1);
	assert_int_equal(counter(tobj_get(tcall_result(&r1), "totals"),
	    "notified"), counter(tobj_get(tcall_result(&r0), "totals"),
	    "notified") + 1);
	raw_counts(NULL, 0, raw);
	check_counts("after telling", tobj_get(tcall_result(&r1), "totals"),
	    raw);
	tcall_free(&r0);
	tcall_free(&r1);
	/* Березівська's decisions (the demo's answers and this test's)
	 * against its tables, its sum in kopecks exact */
	report_ok(min, terr_id("Березівська сільська ОТГ"), &r1);
	raw_counts("hromada_id", terr_id("Березівська сільська ОТГ"), raw);
	check_counts("Березівська after telling", tobj_get(tcall_result(&r1),
	    "totals"), raw);
	assert_true(counter(tobj_get(tcall_result(&r1), "totals"),
	    "assigned_sum") >= AMOUNT);
	tcall_free(&r1);
	hr_client_free(sc);
	hr_client_free(min);
}

/* Out of scope reads as missing; admin refused; bad months named. */
static void
test_scope(void **state)
{
	static const struct {
		const char *user, *name;
	} outside[] = {
		{ "oblast",  "Вінницька область" },
		{ "oblast",  "Агрономічна сільська ОТГ" },
		{ "spszn",   "Хотінська селищна ОТГ" },
		{ "upo",     "Шалигинська селищна ОТГ" },
		{ "cnap",    "Березівська сільська ОТГ" },
		{ "cnap",    "Слоутський старостинський округ" },
		{ "ministry", "Хотінь" },          /* a settlement */
		{ "spszn",   "Береза" },
	};
	struct tcall none, t;

	(void)state;
	for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
		struct hr_client *c = iu_login(&srv, outside[i].user);

		report(c, 999999999, &none);
		report(c, terr_id(outside[i].name), &t);
		if (t.code != HR_E_NOT_FOUND || none.code != t.code ||
		    strcmp(t.msg, none.msg) != 0 ||
		    strcmp(t.msg, "territory not found") != 0)
			fail_msg("%s asking for %s: %d \"%s\" (nonexistent: "
			    "%d \"%s\")", outside[i].user, outside[i].name,
			    t.code, t.msg, none.code, none.msg);
		tcall_free(&t);
		tcall_free(&none);
		hr_client_free(c);
	}
	{
		struct hr_client *c = iu_login(&srv, "admin");

		report(c, 0, &t);
		assert_int_equal(t.code, HR_E_FORBIDDEN);
		tcall_free(&t);
		hr_client_free(c);
	}
	{
		struct hr_client *c = iu_login(&srv, "cnap");
		msgpack_packer *pk = hr_client_begin(c, HR_M_REPORT_GET);

		tcall_init(&t);
		msgpack_pack_map(pk, 1);
		hr_pack_kv_str(pk, "to", "2026-13");
		tcall_send_wait(c, &t, IU_CALL_MS);
		assert_int_equal(t.code, HR_E_INVALID);
		assert_string_equal(t.msg, "to: is not a month (YYYY-MM)");
		tcall_free(&t);
		/* own front office: fine, no children */
		report_ok(c, 0, &t);
		assert_int_equal(iu_len(tobj_get(tcall_result(&t),
		    "children")), 0);
		tcall_free(&t);
		hr_client_free(c);
	}
}

/* Is s a registration number, or an applicant's name or РНОКПП? */
static int
names_person(const char *s, size_t len)
{
	sqlite3_stmt *st;
	int found;

	if (sqlite3_prepare_v2(dbf, "SELECT (SELECT count(*) FROM "
	    "applications WHERE reg_no = ?1) + (SELECT count(*) FROM "
	    "application_persons WHERE surname = ?1 OR name = ?1 OR "
	    "rnokpp = ?1) + (SELECT count(*) FROM persons WHERE surname = ?1 "
	    "OR rnokpp = ?1)", -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s", sqlite3_errmsg(dbf));
	sqlite3_bind_text(st, 1, s, (int)len, SQLITE_TRANSIENT);
	found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_finalize(st);
	return found;
}

static int
walk_strings(const msgpack_object *o)
{
	int bad = 0;

	switch (o->type) {
	case MSGPACK_OBJECT_STR:
		if (names_person(o->via.str.ptr, o->via.str.size)) {
			fprintf(stderr, "# a person's data in a report: %.*s\n",
			    (int)o->via.str.size, o->via.str.ptr);
			bad++;
		}
		break;
	case MSGPACK_OBJECT_ARRAY:
		for (uint32_t i = 0; i < o->via.array.size; i++)
			bad += walk_strings(&o->via.array.ptr[i]);
		break;
	case MSGPACK_OBJECT_MAP:
		for (uint32_t i = 0; i < o->via.map.size; i++)
			bad += walk_strings(&o->via.map.ptr[i].val);
		break;
	default:
		break;
	}
	return bad;
}

static void
test_no_person(void **state)
{
	static const char *const users[] = { "ministry", "oblast" };

	(void)state;
	for (size_t u = 0; u < 2; u++) {
		struct hr_client *c = iu_login(&srv, users[u]);
		int64_t id = 0;

		/* every level down the busiest branch */
		for (int depth = 0; depth < 5; depth++) {
			struct tcall t;
			const msgpack_object *kids, *best = NULL;

			report_ok(c, id, &t);
			assert_int_equal(walk_strings(tcall_result(&t)), 0);
			kids = tobj_get(tcall_result(&t), "children");
			for (uint32_t i = 0; i < iu_len(kids); i++)
				if (best == NULL || counter(&kids->via.array.ptr[i],
				    "formed") > counter(best, "formed"))
					best = &kids->via.array.ptr[i];
			id = best ? counter(best, "id") : 0;
			tcall_free(&t);
			if (id == 0)
				break;
		}
		hr_client_free(c);
	}
}

/* ---- per clerk ---- */

/* Senders of the scope's cases in the period, from the history. */
static int64_t
raw_senders(const char *col, int64_t id, int64_t user)
{
	char sql[768];

	snprintf(sql, sizeof sql, "SELECT %s FROM application_history h JOIN "
	    "applications a ON a.id = h.application_id WHERE a.%s = ?1 AND "
	    "h.from_status = 'draft' AND h.to_status IN ('at_otg', "
	    "'at_spszn') AND CAST(strftime('%%Y%%m', h.at, 'unixepoch', "
	    "'localtime') AS INTEGER) BETWEEN %d AND %d%s",
	    user ? "count(*)" : "count(DISTINCT h.user_id)", col, FROM_MONTH,
	    to_month, user ? " AND h.user_id = " : "");
	if (user) {
		size_t n = strlen(sql);

		snprintf(sql + n, sizeof sql - n, "%lld", (long long)user);
	}
	return iu_db_int(dbf, sql, id);
}

static void
check_clerks(const char *login, const char *col)
{
	struct hr_client *c = iu_login(&srv, login);
	struct tcall t;
	const msgpack_object *r, *list, *kids;
	int64_t id, sum = 0;
	char kind[16];

	report_ok(c, 0, &t);
	r = tcall_result(&t);
	id = counter(tobj_get(r, "territory"), "id");
	list = tobj_get(r, "clerks");
	assert_non_null(list);
	assert_int_equal(iu_len(list), raw_senders(col, id, 0));
	assert_true(iu_len(list) > 0);
	assert_int_equal(counter(tobj_get(r, "totals"), "clerks"),
	    iu_len(list));
	for (uint32_t i = 0; i < iu_len(list); i++) {
		const msgpack_object *k = &list->via.array.ptr[i];
		int64_t uid = counter(k, "id");
		char name[128], office[160], want[128];

		if (counter(k, "formed") != raw_senders(col, id, uid))
			fail_msg("%s: clerk %lld formed %lld, the history says "
			    "%lld", login, (long long)uid,
			    (long long)counter(k, "formed"),
			    (long long)raw_senders(col, id, uid));
		sum += counter(k, "formed");
		tobj_str(tobj_get(k, "name"), name, sizeof name);
		iu_db_text(dbf, "SELECT full_name FROM users WHERE id = ?1",
		    uid, want, sizeof want);
		assert_string_equal(name, want);
		assert_int_equal(iu_db_int(dbf, "SELECT territory_id FROM "
		    "users WHERE id = ?1", uid), counter(k, "office_id"));
		tobj_str(tobj_get(k, "office"), office, sizeof office);
		assert_int_equal(terr_id(office), counter(k, "office_id"));
		if (i > 0)     /* most first */
			assert_true(counter(k, "formed") <=
			    counter(&list->via.array.ptr[i - 1], "formed"));
	}
	assert_int_equal(sum, counter(tobj_get(r, "totals"), "formed"));
	kids = tobj_get(r, "children");
	for (uint32_t i = 0; i < iu_len(kids); i++) {
		const msgpack_object *k = &kids->via.array.ptr[i];

		tobj_str(tobj_get(k, "kind"), kind, sizeof kind);
		assert_int_equal(counter(k, "clerks"),
		    raw_senders(kind_col(kind), counter(k, "id"), 0));
	}
	tcall_free(&t);
	hr_client_free(c);
}

static void
test_clerks(void **state)
{
	static const char *const aggregate[] = { "ministry", "oblast" };

	(void)state;
	check_clerks("spszn", "spszn_id");      /* back office */
	check_clerks("upo", "hromada_id");      /* hromada */
	check_clerks("sta", "front_office_id"); /* a front office */
	/* the roles that see no person: counts at every level, no list */
	for (size_t u = 0; u < 2; u++) {
		struct hr_client *c = iu_login(&srv, aggregate[u]);
		int64_t id = 0;

		for (int depth = 0; depth < 5 && (depth == 0 || id != 0);
		    depth++) {
			struct tcall t;
			const msgpack_object *r, *kids, *best = NULL;
			char kind[16];

			report_ok(c, id, &t);
			r = tcall_result(&t);
			assert_null(tobj_get(r, "clerks"));
			kids = tobj_get(r, "children");
			for (uint32_t i = 0; i < iu_len(kids); i++) {
				const msgpack_object *k =
				    &kids->via.array.ptr[i];

				tobj_str(tobj_get(k, "kind"), kind,
				    sizeof kind);
				assert_int_equal(counter(k, "clerks"),
				    raw_senders(kind_col(kind),
				    counter(k, "id"), 0));
				if (best == NULL || counter(k, "formed") >
				    counter(best, "formed"))
					best = k;
			}
			id = best && counter(best, "formed") > 0 ?
			    counter(best, "id") : 0;
			tcall_free(&t);
		}
		hr_client_free(c);
	}
}

/* ---- report.monitor ---- */

static void
monitor(struct hr_client *c, int64_t territory, int days, const char *month,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_REPORT_MONITOR);

	tcall_init(t);
	msgpack_pack_map(pk, 3 + (territory != 0));
	hr_pack_kv_int(pk, "days", days);
	hr_pack_kv_str(pk, "month", month);
	hr_pack_kv_bool(pk, "hromadas", 1);
	if (territory != 0)
		hr_pack_kv_int(pk, "territory", territory);
	tcall_send_wait(c, t, IU_CALL_MS);
}

/* The offices of hromada ?1: itself and its front offices. */
#define OFFICES "(SELECT ?1 UNION SELECT id FROM territories WHERE " \
	"parent_id = ?1 AND kind IN ('cnap', 'starosta'))"

static void
check_hromada(const msgpack_object *h, int64_t since)
{
	int64_t id = counter(h, "id");
	char sql[512];
	int64_t connected, using, accepted;

	connected = iu_db_int(dbf, "SELECT count(*) > 0 FROM users WHERE "
	    "NOT disabled AND territory_id IN " OFFICES, id);
	snprintf(sql, sizeof sql, "SELECT count(*) > 0 FROM "
	    "application_history h JOIN users u ON u.id = h.user_id WHERE "
	    "h.at >= %lld AND u.territory_id IN " OFFICES, (long long)since);
	using = iu_db_int(dbf, sql, id);
	accepted = iu_db_int(dbf, "SELECT count(*) FROM application_history "
	    "h JOIN applications a ON a.id = h.application_id WHERE "
	    "a.hromada_id = ?1 AND h.to_status = 'checked' AND strftime("
	    "'%Y-%m', h.at, 'unixepoch', 'localtime') = '2026-10'", id);
	if (tobj_get(h, "connected")->via.boolean != (connected != 0) ||
	    tobj_get(h, "using")->via.boolean != (using != 0) ||
	    counter(h, "accepted") != accepted)
		fail_msg("hromada %lld: connected %d using %d accepted %lld; "
		    "the tables say %lld %lld %lld", (long long)id,
		    tobj_get(h, "connected")->via.boolean,
		    tobj_get(h, "using")->via.boolean,
		    (long long)counter(h, "accepted"), (long long)connected,
		    (long long)using, (long long)accepted);
}

/*
 * user.list's `login` is whether the account has a password: false for
 * the demo's signers of the other hromadas' history (enabled all the
 * same), true for the accounts people log in with.
 */
static void
test_user_list_login(void **state)
{
	struct hr_client *c = iu_login(&srv, "admin");
	struct tcall t;
	const msgpack_object *us;
	int signer = 0, clerk = 0;

	(void)state;
	tcall_init(&t);
	tcall_empty(c, HR_M_USER_LIST, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "user.list");
	us = tobj_get(tcall_result(&t), "users");
	assert_true(iu_len(us) > 0);
	for (uint32_t i = 0; i < iu_len(us); i++) {
		const msgpack_object *u = &us->via.array.ptr[i];
		const msgpack_object *login = tobj_get(u, "login");
		const msgpack_object *off = tobj_get(u, "disabled");
		int64_t id = tobj_int(tobj_get(u, "id"), 0);

		assert_non_null(login);
		assert_int_equal(login->type, MSGPACK_OBJECT_BOOLEAN);
		assert_int_equal(login->via.boolean, iu_db_int(dbf, "SELECT "
		    "pwhash LIKE '$argon2%' FROM users WHERE id = ?", id));
		if (tobj_is_str(tobj_get(u, "name"), "vin-spszn")) {
			assert_false(login->via.boolean);
			assert_false(off->via.boolean);
			signer++;
		}
		if (tobj_is_str(tobj_get(u, "name"), "spszn")) {
			assert_true(login->via.boolean);
			clerk++;
		}
	}
	assert_int_equal(signer, 1);
	assert_int_equal(clerk, 1);
	tcall_free(&t);
	hr_client_free(c);
}

static void
test_monitor(void **state)
{
	static const char *const sums[] = {
		"spszn", "spszn_connected", "spszn_using", "hromadas",
		"hromadas_connected", "hromadas_using", "hromadas_accepting",
		"accepted",
	};
	struct hr_client *c = iu_login(&srv, "ministry");
	struct tcall t;
	const msgpack_object *r, *rows, *hs, *tot;
	int64_t since, ranks = 0;

	(void)state;
	monitor(c, 0, 60, "2026-10", &t);
	iu_expect(&t, HR_OK, "report.monitor");
	r = tcall_result(&t);
	tot = tobj_get(r, "totals");
	since = counter(r, "since");
	assert_int_equal(counter(tot, "hromadas"), iu_db_int(dbf,
	    "SELECT count(*) FROM territories WHERE kind = 'hromada'", -1));
	assert_int_equal(counter(tot, "spszn"), iu_db_int(dbf,
	    "SELECT count(*) FROM territories WHERE kind = 'spszn'", -1));
	assert_int_equal(counter(tot, "spszn_connected"), iu_db_int(dbf,
	    "SELECT count(*) FROM territories t WHERE kind = 'spszn' AND "
	    "EXISTS (SELECT 1 FROM users u WHERE u.territory_id = t.id AND "
	    "NOT u.disabled)", -1));
	hs = tobj_get(r, "hromadas");
	assert_int_equal(iu_len(hs), counter(tot, "hromadas"));
	for (uint32_t i = 0; i < iu_len(hs); i++)
		check_hromada(&hs->via.array.ptr[i], since);
	/* some used it, some not: the demo's idle hromadas */
	assert_true(counter(tot, "hromadas_using") > 0);
	assert_true(counter(tot, "hromadas_using") < counter(tot, "hromadas"));
	assert_true(counter(tot, "accepted") > 0);
	/* the rows add up to the totals; ranks 1..n */
	rows = tobj_get(r, "rows");
	assert_true(iu_len(rows) >= 2);
	for (size_t k = 0; k < sizeof sums / sizeof sums[0]; k++) {
		int64_t sum = 0;

		for (uint32_t i = 0; i < iu_len(rows); i++)
			sum += counter(&rows->via.array.ptr[i], sums[k]);
		assert_int_equal(sum, counter(tot, sums[k]));
	}
	for (uint32_t i = 0; i < iu_len(rows); i++)
		ranks |= (int64_t)1 << counter(&rows->via.array.ptr[i], "rank");
	assert_int_equal(ranks, ((int64_t)1 << (iu_len(rows) + 1)) - 2);
	tcall_free(&t);

	/* no `days`: the server's monitor_using_days (default 30) */
	tcall_init(&t);
	msgpack_pack_map(hr_client_begin(c, HR_M_REPORT_MONITOR), 0);
	tcall_send_wait(c, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "report.monitor without days");
	assert_int_equal(counter(tcall_result(&t), "days"), 30);
	tcall_free(&t);

	/* a settlement, nothing, another role */
	{
		struct tcall none;

		monitor(c, 999999999, 30, "2026-10", &none);
		monitor(c, terr_id("Хотінь"), 30, "2026-10", &t);
		assert_int_equal(t.code, HR_E_NOT_FOUND);
		assert_string_equal(t.msg, none.msg);
		tcall_free(&t);
		tcall_free(&none);
	}
	hr_client_free(c);
	c = iu_login(&srv, "oblast");
	monitor(c, terr_id("Вінницька область"), 30, "2026-10", &t);
	assert_int_equal(t.code, HR_E_NOT_FOUND);
	assert_string_equal(t.msg, "territory not found");
	tcall_free(&t);
	monitor(c, 0, 30, "2026-10", &t);
	iu_expect(&t, HR_OK, "the oblast's own monitor");
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "rows")), 2);
	tcall_free(&t);
	hr_client_free(c);
	c = iu_login(&srv, "spszn");
	monitor(c, 0, 30, "2026-10", &t);
	assert_int_equal(t.code, HR_E_FORBIDDEN);
	tcall_free(&t);
	hr_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels_match_tables),
		cmocka_unit_test(test_child_equals_row),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_follows_writes),
		cmocka_unit_test(test_notified),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_no_person),
		cmocka_unit_test(test_clerks),
		cmocka_unit_test(test_monitor),
		cmocka_unit_test(test_user_list_login),
	};
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	to_month = (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
	snprintf(to_text, sizeof to_text, "%04d-%02d", to_month / 100,
	    to_month % 100);
	return IU_RUN("reports", tests, &srv, &dbf, TEST_SECS, prepare_db);
}
