/*
 * test_batch.c — the journal's marked set and `application.batch` (issue
 * 17, batch work), against a real hromadad on the demo database, with
 * batch_slice = 0 so that every row is a slice of its own: a batch always
 * runs in slices, however fast the build (1 ms let a release build do 27
 * rows in one slice and send no progress).
 *
 *  - journal.list `marks` names every application of the filter (ids as
 *    differences, versions), beyond one page;
 *  - a batch check over the marked set with one row changed by another
 *    session in between: that row is refused as changed (HR_E_CONFLICT,
 *    naming who), an id out of scope and one that does not exist are
 *    refused alike without a number, the others move, each with its
 *    history row and audit record, the batch with one record more; the
 *    client hears `progress` on the way;
 *  - a role that may not do the action, or may not batch at all, is
 *    refused before any row; a return needs its one reason; ids and
 *    versions must pair up, each id once;
 *  - the hromada's social unit returns and sends up a set (a partial
 *    package only with partial: true);
 *  - restarted with a long batch_slice, a batch in one slice holds the
 *    summaries and moves them once: the counts are a recount after it,
 *    a row refused inside the slice is not counted, no hold is left.
 * The tests run in order and build on each other.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/taudit.h"

#define TEST_SECS 120
#define NO_SUCH_ID ((int64_t)1 << 40)

static struct testsrv srv;
static sqlite3 *dbf;
static char conf_path[TESTSRV_PATH_MAX + 16];

/* ---- progress notifications ---------------------------------------------- */

struct progress {
	int     frames;
	int64_t last_done, total;
	int     backwards;
};

static void
on_notify(void *ud, const struct hr_msg *note)
{
	struct progress *p = ud;
	int64_t done;

	if (!hr_rpc_method_is(note, HR_N_PROGRESS))
		return;
	done = tobj_int(tobj_get(&note->params, "done"), -1);
	if (done < p->last_done)
		p->backwards = 1;
	p->last_done = done;
	p->total = tobj_int(tobj_get(&note->params, "total"), -1);
	p->frames++;
}

/* ---- reading a batch's result ------------------------------------------- */

static const msgpack_object *
row_of(const struct tcall *t, int64_t id)
{
	const msgpack_object *rows = tobj_get(tcall_result(t), "rows");

	assert_non_null(rows);
	for (uint32_t i = 0; i < rows->via.array.size; i++) {
		const msgpack_object *r = &rows->via.array.ptr[i];

		assert_int_equal(r->type, MSGPACK_OBJECT_ARRAY);
		assert_int_equal(r->via.array.size, 4);
		if (r->via.array.ptr[0].via.u64 == (uint64_t)id)
			return r;
	}
	fail_msg("no row for application %lld", (long long)id);
	return NULL;
}

/* The row's refusal (code; message into msg), or HR_OK when it moved. */
static int
row_error(const struct tcall *t, int64_t id, char *msg, size_t cap)
{
	const msgpack_object *r = row_of(t, id);
	struct hr_error e;

	if (r->via.array.ptr[3].type == MSGPACK_OBJECT_NIL) {
		assert_int_equal(r->via.array.ptr[2].type,
		    MSGPACK_OBJECT_POSITIVE_INTEGER);
		return HR_OK;
	}
	assert_int_equal(r->via.array.ptr[2].type, MSGPACK_OBJECT_NIL);
	hr_error_clear(&e);
	hr_rpc_error_obj_read(&r->via.array.ptr[3], &e);
	assert_int_not_equal(e.code, HR_E_PROTOCOL);
	if (msg != NULL)
		snprintf(msg, cap, "%s", e.msg);
	return e.code;
}

static int64_t
version_of(int64_t id)
{
	return iu_db_int(dbf, "SELECT version FROM applications WHERE id = ?", id);
}

static void
status_of(int64_t id, char *out, size_t cap)
{
	iu_db_text(dbf, "SELECT status FROM applications WHERE id = ?", id, out,
	    cap);
}

/* journal.list {status, marks: true}: count, ids (differences undone). */
static int64_t
marks(struct hr_client *c, const char *status, int64_t *ids, int64_t *vers,
    size_t cap)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	const msgpack_object *m, *mi, *mv;
	struct tcall t;
	int64_t count, id = 0;

	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "status", status);
	hr_pack_kv_bool(pk, "marks", 1);
	tcall_init(&t);
	tcall_send_wait(c, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "journal.list marks");
	m = tobj_get(tcall_result(&t), "marks");
	assert_non_null(m);
	count = tobj_int(tobj_get(m, "count"), -1);
	mi = tobj_get(m, "ids");
	mv = tobj_get(m, "versions");
	assert_non_null(mi);
	assert_non_null(mv);
	assert_int_equal(iu_len(mi), (uint32_t)count);
	assert_int_equal(iu_len(mv), (uint32_t)count);
	assert_true((size_t)count <= cap);
	for (uint32_t i = 0; i < mi->via.array.size; i++) {
		int64_t d = (int64_t)mi->via.array.ptr[i].via.u64;

		id = i == 0 ? d : id - d;
		ids[i] = id;
		vers[i] = (int64_t)mv->via.array.ptr[i].via.u64;
	}
	tcall_free(&t);
	return count;
}

/* ---- the tests ----------------------------------------------------------- */

/* The demo's back office: every at_spszn application, beyond one page. */
static int64_t at_ids[64], at_vers[64], n_at;

static void
test_marks(void **state)
{
	struct hr_client *c = iu_login(&srv, "spszn");
	int64_t want = iu_db_int(dbf, "SELECT count(*) FROM applications WHERE "
	    "status = 'at_spszn' AND spszn_id = (SELECT territory_id FROM "
	    "users WHERE name = 'spszn') AND id > ?", 0);

	(void)state;
	n_at = marks(c, "at_spszn", at_ids, at_vers, 64);
	assert_true(want >= 3);
	assert_int_equal(n_at, want);
	for (int64_t i = 0; i < n_at; i++) {
		char st[32];

		status_of(at_ids[i], st, sizeof st);
		assert_string_equal(st, "at_spszn");
		assert_int_equal(at_vers[i], version_of(at_ids[i]));
		if (i > 0)
			assert_true(at_ids[i] < at_ids[i - 1]);   /* newest first */
	}
	assert_true(taudit_count_reaches(dbf, "journal.marks", NULL, 1) >= 1);
	hr_client_free(c);
}

static void
test_check_with_one_changed(void **state)
{
	struct hr_client *c = iu_login(&srv, "spszn");
	struct hr_client *other = iu_login(&srv, "spszn");
	int64_t ids[70], vers[70], changed = at_ids[1], out_of_scope;
	int64_t moved_before = taudit_count(dbf, "application.transition", NULL);
	size_t n = 0;
	struct progress p = { 0, 0, 0, 0 };
	struct tcall t;
	char msg[HR_ERROR_MSG_MAX], st[32], none_msg[HR_ERROR_MSG_MAX];

	(void)state;
	/* Another session returns one of the marked set meanwhile. */
	tcall_init(&t);
	iu_transition(other, changed, at_vers[1], "return_otg", "Немає довідки "
	    "про доходи", &t);
	iu_expect(&t, HR_OK, "the other session's return");
	tcall_free(&t);
	/* A draft: the back office does not see it (out of scope). */
	out_of_scope = iu_db_int(dbf, "SELECT min(id) FROM applications WHERE "
	    "status = 'draft' AND id > ?", 0);
	for (int64_t i = 0; i < n_at; i++) {
		ids[n] = at_ids[i];
		vers[n++] = at_vers[i];
	}
	ids[n] = out_of_scope;
	vers[n++] = version_of(out_of_scope);
	ids[n] = NO_SUCH_ID;
	vers[n++] = 1;

	hr_client_set_notify(c, on_notify, &p);
	tcall_init(&t);
	iu_batch(c, "check", ids, vers, n, NULL, 0, &t);
	iu_expect(&t, HR_OK, "batch check");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "moved"), -1),
	    n_at - 1);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "refused"), -1), 3);
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "rows")), n);

	/* The changed one: refused as changed, by whom; untouched since. */
	assert_int_equal(row_error(&t, changed, msg, sizeof msg), HR_E_CONFLICT);
	assert_non_null(strstr(msg, "was changed by"));
	assert_int_equal(row_of(&t, changed)->via.array.ptr[1].type,
	    MSGPACK_OBJECT_STR);
	status_of(changed, st, sizeof st);
	assert_string_equal(st, "returned_otg");
	assert_int_equal(version_of(changed), at_vers[1] + 1);

	/* Out of scope and nonexistent: the same bytes, no number. */
	assert_int_equal(row_error(&t, out_of_scope, msg, sizeof msg),
	    HR_E_NOT_FOUND);
	assert_int_equal(row_error(&t, NO_SUCH_ID, none_msg, sizeof none_msg),
	    HR_E_NOT_FOUND);
	assert_string_equal(msg, none_msg);
	assert_int_equal(row_of(&t, out_of_scope)->via.array.ptr[1].type,
	    MSGPACK_OBJECT_NIL);
	status_of(out_of_scope, st, sizeof st);
	assert_string_equal(st, "draft");

	/* The others moved, each whole: status, version, history, audit. */
	for (int64_t i = 0; i < n_at; i++) {
		if (at_ids[i] == changed)
			continue;
		assert_int_equal(row_error(&t, at_ids[i], NULL, 0), HR_OK);
		assert_int_equal(row_of(&t, at_ids[i])->via.array.ptr[2].via.u64,
		    HR_ST_CHECKED);
		status_of(at_ids[i], st, sizeof st);
		assert_string_equal(st, "checked");
		assert_int_equal(version_of(at_ids[i]), at_vers[i] + 1);
		assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
		    "application_history WHERE application_id = ? AND "
		    "to_status = 'checked'", at_ids[i]), 1);
	}
	/* n_at - 1 by the batch, 1 by the other session */
	assert_int_equal(taudit_count(dbf, "application.transition", NULL),
	    moved_before + n_at);
	assert_int_equal(taudit_count(dbf, "application.batch", NULL), 1);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'application.transition' AND detail LIKE '%batch' AND "
	    "id > ?", 0), n_at - 1);

	/* batch_slice 0: it ran in slices, and said how far it was. */
	assert_true(p.frames >= 1);
	assert_false(p.backwards);
	assert_int_equal(p.total, (int64_t)n);
	assert_true(p.last_done < (int64_t)n);
	tcall_free(&t);

	/* The same again: nothing moves twice (every version is old now). */
	tcall_init(&t);
	iu_batch(c, "check", ids, vers, n, NULL, 0, &t);
	iu_expect(&t, HR_OK, "batch check again");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "moved"), -1), 0);
	tcall_free(&t);
	hr_client_free(other);
	hr_client_free(c);
}

static void
test_refused_whole(void **state)
{
	struct hr_client *upo = iu_login(&srv, "upo");
	struct hr_client *sta = iu_login(&srv, "sta");
	struct hr_client *spszn = iu_login(&srv, "spszn");
	int64_t id = at_ids[0], v = version_of(at_ids[0]);
	int64_t ids2[2] = { id, id }, vers2[2] = { v, v };
	int64_t *many = calloc(HR_BATCH_MAX + 1, sizeof *many);
	struct tcall t;

	(void)state;
	assert_non_null(many);
	tcall_init(&t);
	iu_batch(upo, "check", &id, &v, 1, NULL, 0, &t);   /* not upo's */
	iu_expect(&t, HR_E_FORBIDDEN, "upo check");
	assert_non_null(strstr(t.msg, "may not check"));
	tcall_free(&t);
	iu_batch(sta, "send_otg", &id, &v, 1, NULL, 0, &t);  /* no batches */
	iu_expect(&t, HR_E_FORBIDDEN, "sta batch");
	tcall_free(&t);
	iu_batch(spszn, "return_otg", &id, &v, 1, "  ", 0, &t);
	iu_expect(&t, HR_E_INVALID, "return without a reason");
	tcall_free(&t);
	iu_batch(spszn, "export", &id, &v, 1, NULL, 0, &t);
	iu_expect(&t, HR_E_STATE, "export is the *.DAT exchange's");
	tcall_free(&t);
	iu_batch(spszn, "check", ids2, vers2, 2, NULL, 0, &t);
	iu_expect(&t, HR_E_PARAMS, "the same id twice");
	tcall_free(&t);
	iu_batch(spszn, "check", ids2, vers2, 0, NULL, 0, &t);
	iu_expect(&t, HR_E_PARAMS, "no ids");
	tcall_free(&t);
	for (int i = 0; i <= HR_BATCH_MAX; i++)
		many[i] = i + 1;
	iu_batch(spszn, "check", many, many, HR_BATCH_MAX + 1, NULL, 0, &t);
	iu_expect(&t, HR_E_PARAMS, "over HR_BATCH_MAX");
	tcall_free(&t);
	{       /* ids and versions of different lengths */
		msgpack_packer *pk = hr_client_begin(spszn,
		    HR_M_APPLICATION_BATCH);

		msgpack_pack_map(pk, 3);
		hr_pack_kv_str(pk, "action", "check");
		hr_pack_str(pk, "ids");
		msgpack_pack_array(pk, 2);
		msgpack_pack_int64(pk, id);
		msgpack_pack_int64(pk, id + 1);
		hr_pack_str(pk, "versions");
		msgpack_pack_array(pk, 1);
		msgpack_pack_int64(pk, v);
		tcall_send_wait(spszn, &t, IU_CALL_MS);
		iu_expect(&t, HR_E_PARAMS, "ids without versions");
		tcall_free(&t);
	}
	assert_int_equal(version_of(id), v);            /* nothing moved */
	free(many);
	hr_client_free(upo);
	hr_client_free(sta);
	hr_client_free(spszn);
}

static void
test_hromada_return_and_send(void **state)
{
	struct hr_client *upo = iu_login(&srv, "upo");
	int64_t ids[64], vers[64], n = marks(upo, "at_otg", ids, vers, 64);
	struct tcall t;
	char st[32], reason[200];

	(void)state;
	assert_true(n >= 3);
	/* Return the first two with one reason. */
	tcall_init(&t);
	iu_batch(upo, "return_front", ids, vers, 2, "Підпис заявника відсутній",
	    0, &t);
	iu_expect(&t, HR_OK, "batch return");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "moved"), -1), 2);
	tcall_free(&t);
	for (int i = 0; i < 2; i++) {
		status_of(ids[i], st, sizeof st);
		assert_string_equal(st, "returned_front");
		iu_db_text(dbf, "SELECT last_reason FROM applications WHERE id = ?",
		    ids[i], reason, sizeof reason);
		assert_string_equal(reason, "Підпис заявника відсутній");
	}
	/* Send the rest up: the demo's packages lack scans, so each is
	 * refused as partial without partial: true... */
	iu_batch(upo, "send_spszn", ids + 2, vers + 2, (size_t)n - 2, NULL, 0,
	    &t);
	iu_expect(&t, HR_OK, "batch send without partial");
	for (int64_t i = 2; i < n; i++) {
		char msg[HR_ERROR_MSG_MAX];

		status_of(ids[i], st, sizeof st);
		if (strcmp(st, "at_otg") == 0) {
			assert_int_equal(row_error(&t, ids[i], msg, sizeof msg),
			    HR_E_STATE);
			assert_non_null(strstr(msg, "partial"));
		} else {
			assert_string_equal(st, "at_spszn");
		}
	}
	tcall_free(&t);
	/* ...and all go with it. */
	for (int64_t i = 2; i < n; i++)
		vers[i] = version_of(ids[i]);
	iu_batch(upo, "send_spszn", ids + 2, vers + 2, (size_t)n - 2, NULL, 1, &t);
	iu_expect(&t, HR_OK, "batch send partial");
	tcall_free(&t);
	for (int64_t i = 2; i < n; i++) {
		status_of(ids[i], st, sizeof st);
		assert_string_equal(st, "at_spszn");
	}
	hr_client_free(upo);
}

static void
write_slice(const char *slice)
{
	FILE *f;

	snprintf(conf_path, sizeof conf_path, "%s/batch.conf", srv.dir);
	if ((f = fopen(conf_path, "w")) == NULL)
		return;
	fprintf(f, "batch_slice = %s\n", slice);
	fclose(f);
	setenv("TESTSRV_CONFIG", conf_path, 1);
}

static void
write_conf(const char *dbpath)
{
	(void)dbpath;
	write_slice("0");
}

/* Rows of status_counts that differ from a recount of the applications
 * (every level, by service and package: 031_service_counts), both ways. */
#define RECOUNT_LEVEL(col, scope) "SELECT '" scope "', " col ", " \
	"service_code, package_full, status, count(*) FROM applications " \
	"GROUP BY 2, 3, 4, 5"
#define RECOUNT RECOUNT_LEVEL("front_office_id", "front_office") \
	" UNION ALL " RECOUNT_LEVEL("hromada_id", "hromada") " UNION ALL " \
	RECOUNT_LEVEL("spszn_id", "spszn") " UNION ALL " \
	RECOUNT_LEVEL("oblast_id", "oblast") " UNION ALL " \
	RECOUNT_LEVEL("0", "all")
#define KEPT "SELECT scope, territory_id, service, package_full, status, " \
	"n FROM status_counts WHERE n > 0"

static int64_t
wrong_counts(void)
{
	return iu_db_int(dbf, "SELECT count(*) FROM (SELECT * FROM (" KEPT
	    " EXCEPT SELECT * FROM (" RECOUNT ")) UNION ALL SELECT * FROM "
	    "(SELECT * FROM (" RECOUNT ") EXCEPT " KEPT ")) WHERE ? > 0", 1);
}

/*
 * A slice of many rows holds the summaries (db/batch_summaries.h) and
 * moves them once at its end.  Restarted with batch_slice = 10 s, the
 * batch below is one slice; one of its rows is refused (a stale version)
 * and rolled back inside the held slice.  After it: the status counts of
 * every level are a recount of the applications, the report's "returned"
 * facts grew by the rows that moved, each row has its history and audit,
 * and no hold is left behind.
 */
static void
test_summaries_held(void **state)
{
	struct hr_client *c;
	int64_t ids[64], vers[64], n, returned;
	struct progress p = { 0, 0, 0, 0 };
	struct hr_error err;
	struct tcall t;
	char st[32];

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(testsrv_stop(&srv, 15000, NULL, &err), 0);
	/* While it is stopped: the back office's checked, exported and
	 * returned applications are handed to it again, so that the batch
	 * is big enough to hold the summaries (the triggers keep the counts
	 * of this direct write) */
	assert_int_equal(sqlite3_exec(dbf, "UPDATE applications SET status = "
	    "'at_spszn', version = version + 1 WHERE status IN ('checked', "
	    "'exported', 'returned_otg') AND spszn_id = (SELECT territory_id "
	    "FROM users WHERE name = 'spszn')", NULL, NULL, NULL), SQLITE_OK);
	write_slice("10s");
	if (testsrv_launch(&srv, 20000, &err) != 0)
		fail_msg("restart: %s", err.msg);
	c = iu_login(&srv, "spszn");
	n = marks(c, "at_spszn", ids, vers, 64);
	assert_true(n >= 9);       /* the hold's least (BATCH_HOLD_MIN + 1) */
	assert_int_equal(wrong_counts(), 0);
	returned = iu_db_int(dbf, "SELECT coalesce(sum(n), 0) FROM report_facts "
	    "WHERE measure = 'returned' AND key = 'spszn' AND territory_id = 0 "
	    "AND ? > 0", 1);
	vers[n / 2]--;                                  /* changed meanwhile */

	hr_client_set_notify(c, on_notify, &p);
	tcall_init(&t);
	iu_batch(c, "return_otg", ids, vers, (size_t)n, "Немає довідки про "
	    "склад сім'ї", 0, &t);
	iu_expect(&t, HR_OK, "held batch return");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "moved"), -1),
	    n - 1);
	assert_int_equal(row_error(&t, ids[n / 2], NULL, 0), HR_E_CONFLICT);
	tcall_free(&t);
	assert_int_equal(p.frames, 0);                  /* one slice */

	status_of(ids[n / 2], st, sizeof st);
	assert_string_equal(st, "at_spszn");
	for (int64_t i = 0; i < n; i++)
		if (i != n / 2)
			assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
			    "application_history WHERE application_id = ? AND "
			    "to_status = 'returned_otg'", ids[i]) >= 1, 1);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM summary_hold "
	    "WHERE ? > 0", 1), 0);
	assert_int_equal(wrong_counts(), 0);
	assert_int_equal(iu_db_int(dbf, "SELECT coalesce(sum(n), 0) FROM "
	    "report_facts WHERE measure = 'returned' AND key = 'spszn' AND "
	    "territory_id = 0 AND ? > 0", 1), returned + n - 1);
	hr_client_free(c);
}

static int
group_setup(void **state)
{
	(void)state;
	return iu_server_start_with(&srv, &dbf, 3 * TEST_SECS, write_conf);
}

static int
group_teardown(void **state)
{
	(void)state;
	return iu_server_stop(&srv, dbf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_check_with_one_changed),
		cmocka_unit_test(test_refused_whole),
		cmocka_unit_test(test_hromada_return_and_send),
		cmocka_unit_test(test_summaries_held),
	};

	if (sodium_init() < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("batch", tests, group_setup,
	    group_teardown) == 0 ? 0 : 1;
}
