/*
 * test_print.c — printing and telling the applicant against a real
 * hromadad on the demo database (PROTOCOL.md "Printing").
 *
 * Before the server starts, the test gives the ЦНАП and the back office
 * their contacts and one answered application of the ЦНАП a decision of
 * known figures (instead of the demo's), as an imported answer would.  Then, in order:
 *   - application.print: each document's data, read with paper/wire.h and
 *     laid out as PDF, carries the applicant, numbers, the office's phone
 *     and, for the notice, the decision's sum — checked through pdftotext;
 *     a notice without a decision is HR_E_STATE; every print is audited;
 *   - application.notify: recorded with its way and time in the history,
 *     version + 1; the old version conflicts, a wrong way or a status
 *     without a decision is refused and changes nothing;
 *   - transfer registers: candidates of a period, a register of picked
 *     ones numbered 1 for the office, the same applications again refused,
 *     the rest by period numbered 2; register.get twice gives the same
 *     bytes, and still after the applicant's name changed in the base;
 *     stages by role; the back office sees what was handed to it.
 *
 * Alike on purpose: every printed document is checked in the same steps
 * (iu_print, OK, its text through pdftotext, the texts it must hold); the
 * texts are each document's own.
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
#include <unistd.h>

#include "db/applications.h"
#include "db/contacts.h"
#include "db/dat.h"
#include "db/db.h"
#include "db/users.h"
#include "paper/forms.h"
#include "paper/render.h"
#include "paper/wire.h"
#include "proto/dat.h"
#include "proto/method_names.h"
#include "proto/mpread.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/taudit.h"

#ifndef PDFTOTEXT
#define PDFTOTEXT "pdftotext"
#endif

enum { T_SPSZN = 21, T_BEREZ = 22, T_BEREZ_CNAP = 23 };

static struct testsrv srv;
static struct hr_client *cnap;
static sqlite3 *dbf;
static int64_t decided;          /* the answered application with a decision */
static int64_t answered_bare;    /* answered, no decision row */
static int64_t drafted;          /* a draft of the ЦНАП */

/* ---- set-up: contacts and a decision, written before the server runs ---- */

static void
prepare_db(const char *path)
{
	struct hr_db *db = NULL;
	struct db_user spszn;
	struct hr_error err;
	struct db_contacts c = { "41400, с. Береза, вул. Центральна, 1",
	    "+380544212345", "cnap@bereza.gov.ua", "пн-пт 8:00-17:00" };
	struct db_contacts b = { "41400, м. Глухів, вул. Шевченка, 5",
	    "+380544221100", NULL, NULL };
	struct db_dat_file f = { 0 };
	struct db_decision d = { 0 };
	int64_t file_id;
	const char data[] = "answer";
	char sql[96];

	hr_error_clear(&err);
	if (db_open(&db, path, 0, &err) < 0 ||
	    db_user_by_name(db, "spszn", &spszn, &err) < 0 ||
	    db_begin(db, &err) < 0 ||
	    db_contacts_set(db, T_BEREZ_CNAP, &c, &err) < 0 ||
	    db_contacts_set(db, T_SPSZN, &b, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	f.direction = "answer";
	f.system = "asopd";
	f.number = 77;
	f.spszn_id = T_SPSZN;
	f.name = "answer.DAT";
	f.created_at = f.stored_at = 1795000000;
	f.user_id = spszn.id;
	f.crc32 = "00000000";
	f.record_count = 1;
	if (db_dat_file_add(db, &f, data, sizeof data - 1, &file_id, &err) < 0)
		fail_msg("dat file: %s", err.msg);
	/* the demo's own decision gives way to one with known figures */
	snprintf(sql, sizeof sql, "DELETE FROM decisions WHERE "
	    "application_id = %lld", (long long)decided);
	if (db_exec(db, sql, "the demo's decision", &err) < 0)
		fail_msg("%s", err.msg);
	d.application_id = decided;
	d.file_id = file_id;
	d.imported_at = 1795000000;
	d.decision = hr_decision_from_name("assigned");
	d.has_amount = 1;
	d.amount = 123456;
	d.period_from = "2027-01-01";
	d.period_to = "2027-06-30";
	if (db_decision_add(db, &d, &err) < 0 ||
	    db_application_set_status(db, answered_bare, HR_ST_EXPORTED,
	    HR_ST_ANSWERED, spszn.id, NULL, 0, &err) < 0 ||
	    db_commit(db, &err) < 0)
		fail_msg("decision: %s", err.msg);
	db_user_free(&spszn);
	db_close(db);
}

/* The id of the first application of the ЦНАП in `status`, after `after`. */
static int64_t
app_in(sqlite3 *db, const char *status, int64_t after)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT min(id) FROM applications WHERE "
	    "front_office_id = %d AND status = '%s' AND id > ?", T_BEREZ_CNAP,
	    status);
	return iu_db_int(db, sql, after);
}

static int
setup(void **state)
{
	struct hr_error err;
	sqlite3 *db;

	(void)state;
	hr_error_clear(&err);
	if (testsrv_prepare(&srv, &err) < 0)
		fail_msg("prepare: %s", err.msg);
	if (sqlite3_open(srv.db, &db) != SQLITE_OK)
		fail_msg("open %s", srv.db);
	decided = app_in(db, "answered", 0);
	answered_bare = app_in(db, "exported", 0);   /* answered without a
	                                                 decision: prepare_db */
	drafted = app_in(db, "draft", 0);
	sqlite3_close(db);
	assert_true(decided > 0 && answered_bare > 0 && drafted > 0);
	prepare_db(srv.db);
	if (testsrv_launch(&srv, 20000, &err) < 0)
		fail_msg("launch: %s", err.msg);
	dbf = iu_db_open(&srv);
	cnap = iu_login(&srv, "cnap");
	return 0;
}

static int
teardown(void **state)
{
	struct hr_error err;

	(void)state;
	hr_client_free(cnap);
	sqlite3_close(dbf);
	return testsrv_finish(&srv, "hromadad", &err) < 0 ? -1 : 0;
}

/* ---- helpers ---- */

/* Render `kind` of the application in t's result as PDF and return the
 * text pdftotext finds, blanks collapsed (malloc'd). */
static char *
pdf_text_of(const struct tcall *t, int kind)
{
	struct paper_app a;
	struct paper_doc *d;
	struct paper_bytes pdf = { 0 };
	struct hr_error err;
	char in[] = "/tmp/test_print.XXXXXX", out[64], cmd[256], *text, *w;
	const char *r;
	FILE *f;
	long n;
	int fd;

	assert_int_equal(paper_wire_read_app(tobj_get(tcall_result(t),
	    "application"), &a, &err), 0);
	assert_int_equal(paper_form_app(kind, &a, &d, &err), 0);
	assert_int_equal(paper_render_pdf(d, NULL, &pdf, &err), 0);
	paper_doc_free(d);
	paper_app_free(&a);
	fd = mkstemp(in);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf.data, pdf.len), (ssize_t)pdf.len);
	close(fd);
	paper_bytes_free(&pdf);
	snprintf(out, sizeof out, "%s.txt", in);
	snprintf(cmd, sizeof cmd, "%s -q -enc UTF-8 %s %s", PDFTOTEXT, in, out);
	assert_int_equal(system(cmd), 0);
	f = fopen(out, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(in);
	unlink(out);
	for (r = w = text; *r; r++) {
		int blank = *r == ' ' || *r == '\n' || *r == '\f';
		if ((unsigned char)r[0] == 0xc2 && (unsigned char)r[1] == 0xa0) {
			r++;
			blank = 1;
		}
		if (blank && (w == text || w[-1] == ' '))
			continue;
		*w++ = blank ? ' ' : *r;
	}
	*w = '\0';
	return text;
}

static void
expect_text(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("the printed text lacks \"%s\":\n%s", want, text);
}

static int64_t
version_of(int64_t id)
{
	return iu_db_int(dbf, "SELECT version FROM applications WHERE id = ?", id);
}

/* ---- printing ---- */

static void
test_print_documents(void **state)
{
	struct tcall t;
	char surname[128], reg_no[32], object[64], *text;

	(void)state;
	iu_db_text(dbf, "SELECT p.surname FROM applications a JOIN persons p ON "
	    "p.id = a.applicant_id WHERE a.id = ?", decided, surname,
	    sizeof surname);
	iu_db_text(dbf, "SELECT reg_no FROM applications WHERE id = ?", decided,
	    reg_no, sizeof reg_no);

	tcall_init(&t);
	iu_print(cnap, decided, "application", &t);
	iu_expect(&t, HR_OK, "print the application");
	assert_true(tobj_is_str(tobj_get(tcall_result(&t), "document"),
	    "application"));
	text = pdf_text_of(&t, PAPER_APPLICATION);
	expect_text(text, surname);
	expect_text(text, reg_no);
	expect_text(text, "ЗАЯВА");
	expect_text(text, "ДЕКЛАРАЦІЯ");
	expect_text(text, "УСЗН Глухівської РДА");
	free(text);
	tcall_free(&t);

	iu_print(cnap, decided, "receipt", &t);
	iu_expect(&t, HR_OK, "print the receipt");
	text = pdf_text_of(&t, PAPER_RECEIPT);
	expect_text(text, "РОЗПИСКА");
	expect_text(text, "+380544212345");       /* the ЦНАП's phone */
	expect_text(text, reg_no);
	free(text);
	tcall_free(&t);

	iu_print(cnap, decided, "notice", &t);
	iu_expect(&t, HR_OK, "print the notice");
	text = pdf_text_of(&t, PAPER_NOTICE);
	expect_text(text, "ПОВІДОМЛЕННЯ");
	expect_text(text, "1 234,56 грн");
	expect_text(text, "з 01.01.2027 по 30.06.2027");
	expect_text(text, "+380544221100");       /* the back office's phone */
	expect_text(text, surname);
	free(text);
	tcall_free(&t);

	/* Every print is audited, naming the document (a read: its records
	 * are committed within audit_read_window after the reply). */
	snprintf(object, sizeof object, "application:%lld", (long long)decided);
	assert_int_equal(taudit_count_reaches(dbf, "application.print", object,
	    3), 3);
}

static void
test_print_refusals(void **state)
{
	struct tcall t;

	(void)state;
	tcall_init(&t);
	iu_print(cnap, answered_bare, "notice", &t);
	iu_expect(&t, HR_E_STATE, "a notice without a decision");
	tcall_free(&t);
	iu_print(cnap, drafted, "register", &t);
	iu_expect(&t, HR_E_INVALID, "a register is not an application's");
	tcall_free(&t);
	iu_print(cnap, 999999, "receipt", &t);
	iu_expect(&t, HR_E_NOT_FOUND, "no such application");
	tcall_free(&t);
}

/* ---- telling the applicant ---- */

/* journal.list {unnotified: true, counts: true}: the ids listed into
 * ids[0..*n), and counts.unnotified. */
static void
journal_untold(int64_t *ids, size_t *n, int64_t *waiting)
{
	struct tcall t;
	const msgpack_object *rows;
	msgpack_packer *pk = hr_client_begin(cnap, HR_M_JOURNAL_LIST);

	msgpack_pack_map(pk, 3);
	hr_pack_kv_bool(pk, "unnotified", 1);
	hr_pack_kv_bool(pk, "counts", 1);
	hr_pack_kv_int(pk, "limit", 100);
	tcall_init(&t);
	tcall_send_wait(cnap, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "journal of the untold");
	/* rows by position (PROTOCOL.md): 0 id, 3 status code,
	 * 8 decision [kind, amount], 9 notified */
	rows = tobj_get(tcall_result(&t), "rows");
	*n = 0;
	for (uint32_t i = 0; i < iu_len(rows) && *n < 64; i++) {
		const msgpack_object *it = &rows->via.array.ptr[i];
		assert_true(it->type == MSGPACK_OBJECT_ARRAY &&
		    it->via.array.size >= 10);
		it = it->via.array.ptr;
		assert_int_equal(hr_val_int(&it[3], -1), HR_ST_ANSWERED);
		assert_false(hr_val_bool(&it[9], 1));
		ids[(*n)++] = hr_val_int(&it[0], 0);
		if (ids[*n - 1] == decided) {
			const msgpack_object *d = &it[8];
			assert_true(d->type == MSGPACK_OBJECT_ARRAY &&
			    d->via.array.size == 2);
			assert_true(tobj_is_str(&d->via.array.ptr[0], "assigned"));
			assert_int_equal(hr_val_int(&d->via.array.ptr[1], 0),
			    123456);
		}
	}
	*waiting = tobj_int(tobj_get(tcall_result(&t), "unnotified"), -1);
	tcall_free(&t);
}

static int
listed(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static void
test_journal_untold(void **state)
{
	int64_t ids[64], waiting;
	size_t n;
	struct tcall t;
	msgpack_packer *pk;

	(void)state;
	journal_untold(ids, &n, &waiting);
	assert_true(listed(ids, n, decided));
	assert_true(listed(ids, n, answered_bare));
	assert_int_equal(waiting, (int64_t)n);
	/* another status with the filter is refused */
	pk = hr_client_begin(cnap, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk, 2);
	hr_pack_kv_bool(pk, "unnotified", 1);
	hr_pack_kv_str(pk, "status", "draft");
	tcall_init(&t);
	tcall_send_wait(cnap, &t, IU_CALL_MS);
	iu_expect(&t, HR_E_INVALID, "unnotified with another status");
	tcall_free(&t);
}

/* journal.list with one more filter param (str): the ids listed. */
static void
journal_by(struct hr_client *c, const char *param, const char *value,
    int code, int64_t *ids, size_t *n, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	const msgpack_object *rows;

	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, param, value);
	hr_pack_kv_int(pk, "limit", 100);
	tcall_init(t);
	tcall_send_wait(c, t, IU_CALL_MS);
	iu_expect(t, code, param);
	rows = code == HR_OK ? tobj_get(tcall_result(t), "rows") : NULL;
	*n = 0;
	for (uint32_t i = 0; i < iu_len(rows) && *n < 100; i++)  /* 0: id */
		ids[(*n)++] = iu_len(&rows->via.array.ptr[i]) > 0 ?
		    hr_val_int(rows->via.array.ptr[i].via.array.ptr, 0) : 0;
}

/*
 * Issue 14: the journal filtered by the decision's kind and by the
 * registration number (the back office finds one among its hromadas'
 * numbers).
 */
static void
test_journal_decision_reg_no(void **state)
{
	struct hr_client *spszn = iu_login(&srv, "spszn");
	int64_t ids[100];
	size_t n;
	struct tcall t;
	char reg[32], year[8];

	(void)state;
	journal_by(cnap, "decision", "assigned", HR_OK, ids, &n, &t);
	assert_true(listed(ids, n, decided));
	assert_false(listed(ids, n, answered_bare));
	assert_false(listed(ids, n, drafted));
	tcall_free(&t);
	journal_by(cnap, "decision", "refused", HR_OK, ids, &n, &t);
	assert_false(listed(ids, n, decided));
	tcall_free(&t);
	journal_by(cnap, "decision", "none", HR_OK, ids, &n, &t);
	assert_false(listed(ids, n, decided));
	assert_true(listed(ids, n, answered_bare));
	assert_true(listed(ids, n, drafted));
	tcall_free(&t);
	journal_by(cnap, "decision", "granted", HR_E_INVALID, ids, &n, &t);
	assert_non_null(strstr(t.msg, "decision: must be assigned"));
	tcall_free(&t);

	/* by number: its start, the whole number, and a wrong character */
	iu_db_text(dbf, "SELECT reg_no FROM applications WHERE id = ?",
	    decided, reg, sizeof reg);
	journal_by(cnap, "reg_no", reg, HR_OK, ids, &n, &t);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], decided);
	tcall_free(&t);
	snprintf(year, sizeof year, "%.5s", reg);
	journal_by(cnap, "reg_no", year, HR_OK, ids, &n, &t);
	assert_true(listed(ids, n, decided));
	tcall_free(&t);
	journal_by(cnap, "reg_no", "00ab", HR_E_INVALID, ids, &n, &t);
	assert_non_null(strstr(t.msg, "reg_no: write the number"));
	tcall_free(&t);

	/* the back office finds it among its hromadas' numbers */
	journal_by(spszn, "reg_no", reg, HR_OK, ids, &n, &t);
	assert_true(listed(ids, n, decided));
	tcall_free(&t);
	hr_client_free(spszn);
}

static void
test_notify(void **state)
{
	struct tcall t;
	int64_t v = version_of(decided);
	char comment[256], how[32], object[64];

	(void)state;
	tcall_init(&t);
	iu_notify(cnap, decided, v, "pigeon", &t);
	iu_expect(&t, HR_E_INVALID, "an unknown way");
	tcall_free(&t);
	iu_notify(cnap, drafted, version_of(drafted), "phone", &t);
	iu_expect(&t, HR_E_STATE, "a draft has no decision");
	tcall_free(&t);
	assert_int_equal(version_of(decided), v);

	/* the cabinet's count: answered, not told */
	assert_true(iu_db_int(dbf, "SELECT count(*) FROM applications WHERE "
	    "front_office_id = ? AND status = 'answered' AND notified_at IS "
	    "NULL", T_BEREZ_CNAP) >= 2);

	iu_notify(cnap, decided, v, "phone", &t);
	iu_expect(&t, HR_OK, "told by phone");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "version"), 0),
	    v + 1);
	tcall_free(&t);
	assert_int_equal(version_of(decided), v + 1);
	iu_db_text(dbf, "SELECT notified_how FROM applications WHERE id = ?",
	    decided, how, sizeof how);
	assert_string_equal(how, "phone");
	iu_db_text(dbf, "SELECT comment FROM application_history WHERE "
	    "application_id = ? ORDER BY id DESC LIMIT 1", decided, comment,
	    sizeof comment);
	assert_non_null(strstr(comment, "applicant told: by phone"));
	snprintf(object, sizeof object, "application:%lld", (long long)decided);
	assert_int_equal(taudit_count(dbf, "application.notify", object), 1);

	iu_notify(cnap, decided, v, "letter", &t);
	iu_expect(&t, HR_E_CONFLICT, "the version the clerk saw is old");
	tcall_free(&t);
	assert_int_equal(version_of(decided), v + 1);

	/* told: off the journal of the untold, one fewer waiting */
	{
		int64_t ids[64], before = 0, waiting;
		size_t n;
		journal_untold(ids, &n, &waiting);
		assert_false(listed(ids, n, decided));
		assert_true(listed(ids, n, answered_bare));
		before = waiting;
		assert_int_equal(before, (int64_t)n);
	}
}

/* ---- transfer registers ---- */

static int
call_candidates(struct hr_client *c, const char *stage, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_REGISTER_CANDIDATES);

	msgpack_pack_map(pk, stage ? 3 : 2);
	hr_pack_kv_str(pk, "date_from", "2026-01-01");
	hr_pack_kv_str(pk, "date_to", "2026-12-31");
	if (stage)
		hr_pack_kv_str(pk, "stage", stage);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

static int
call_create_ids(struct hr_client *c, const int64_t *ids, size_t n,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_REGISTER_CREATE);

	msgpack_pack_map(pk, 1);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, ids[i]);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

/* register.get of `id` rendered as PDF and as text, appended to out. */
static void
register_bytes(struct hr_client *c, int64_t id, struct paper_bytes *out)
{
	struct tcall t;
	struct paper_register r;
	struct paper_doc *d;
	struct hr_error err;

	tcall_init(&t);
	iu_call_id(c, HR_M_REGISTER_GET, id, &t);
	iu_expect(&t, HR_OK, "register.get");
	assert_int_equal(paper_wire_read_register(tobj_get(tcall_result(&t),
	    "register"), &r, &err), 0);
	assert_int_equal(paper_form_register(&r, &d, &err), 0);
	assert_int_equal(paper_render_pdf(d, NULL, out, &err), 0);
	assert_int_equal(paper_render_text(d, 0, out, &err), 0);
	paper_doc_free(d);
	paper_register_free(&r);
	tcall_free(&t);
}

static void
test_registers(void **state)
{
	struct tcall t;
	const msgpack_object *items;
	int64_t ids[3], reg1, reg2;
	struct paper_bytes one = { 0 }, two = { 0 };
	char object[64];
	uint32_t n;

	(void)state;
	tcall_init(&t);
	call_candidates(cnap, NULL, &t);
	iu_expect(&t, HR_OK, "candidates");
	assert_true(tobj_is_str(tobj_get(tcall_result(&t), "stage"), "otg"));
	items = tobj_get(tcall_result(&t), "items");
	n = iu_len(items);
	assert_true(n >= 4);
	for (int i = 0; i < 3; i++)
		ids[i] = tobj_int(tobj_get(&items->via.array.ptr[i], "id"), 0);
	tcall_free(&t);

	call_create_ids(cnap, ids, 3, &t);
	iu_expect(&t, HR_OK, "a register of three");
	reg1 = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "number"), 0), 1);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "rows"), 0), 3);
	tcall_free(&t);

	/* an application goes on one register per stage */
	call_create_ids(cnap, &ids[1], 1, &t);
	iu_expect(&t, HR_E_STATE, "the same application again");
	assert_non_null(strstr(t.msg, "on register № 1/"));
	tcall_free(&t);
	call_create_ids(cnap, &drafted, 1, &t);
	iu_expect(&t, HR_E_STATE, "a draft was not sent");
	tcall_free(&t);

	/* the rest of the period: numbered 2 */
	{
		msgpack_packer *pk = hr_client_begin(cnap, HR_M_REGISTER_CREATE);
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "date_from", "2026-01-01");
		hr_pack_kv_str(pk, "date_to", "2026-12-31");
		tcall_send_wait(cnap, &t, IU_CALL_MS);
	}
	iu_expect(&t, HR_OK, "a register of the period");
	reg2 = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "number"), 0), 2);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "rows"), 0), n - 3);
	tcall_free(&t);

	/* the same bytes again, and after the applicant's name changed */
	register_bytes(cnap, reg1, &one);
	assert_int_equal(sqlite3_exec(dbf, "UPDATE persons SET surname = "
	    "'Перейменований' WHERE id IN (SELECT applicant_id FROM "
	    "applications WHERE id IN (SELECT application_id FROM "
	    "transfer_register_rows))", NULL, NULL, NULL), SQLITE_OK);
	register_bytes(cnap, reg1, &two);
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.data, two.data, one.len);
	paper_bytes_free(&one);
	paper_bytes_free(&two);

	tcall_empty(cnap, HR_M_REGISTER_LIST, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "the office's registers");
	items = tobj_get(tcall_result(&t), "items");
	assert_int_equal(iu_len(items), 2);
	assert_int_equal(tobj_int(tobj_get(&items->via.array.ptr[0], "id"), 0),
	    reg2);
	tcall_free(&t);
	snprintf(object, sizeof object, "register:%lld", (long long)reg1);
	assert_int_equal(taudit_count_reaches(dbf, "register.read", object, 2),
	    2);
}

static void
test_register_stages(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	struct hr_client *upo = iu_login(&srv, "upo");
	struct hr_client *spszn = iu_login(&srv, "spszn");
	struct tcall t;
	const msgpack_object *items;
	int64_t id, reg;

	(void)state;
	tcall_init(&t);
	call_candidates(sta, "spszn", &t);
	iu_expect(&t, HR_E_FORBIDDEN, "a starosta district hands to the hromada");
	tcall_free(&t);
	call_candidates(spszn, NULL, &t);
	iu_expect(&t, HR_E_FORBIDDEN, "the back office makes no registers");
	tcall_free(&t);

	call_candidates(upo, NULL, &t);
	iu_expect(&t, HR_OK, "the hromada's candidates");
	assert_true(tobj_is_str(tobj_get(tcall_result(&t), "stage"), "spszn"));
	items = tobj_get(tcall_result(&t), "items");
	assert_true(iu_len(items) >= 1);
	id = tobj_int(tobj_get(&items->via.array.ptr[0], "id"), 0);
	tcall_free(&t);
	call_create_ids(upo, &id, 1, &t);
	iu_expect(&t, HR_OK, "the hromada hands over to the back office");
	reg = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	tcall_free(&t);

	/* the back office sees what was handed to it, the starosta district
	 * does not see the ЦНАП's */
	iu_call_id(spszn, HR_M_REGISTER_GET, reg, &t);
	iu_expect(&t, HR_OK, "the back office reads its register");
	tcall_free(&t);
	iu_call_id(sta, HR_M_REGISTER_GET, reg, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "another office's register");
	tcall_free(&t);
	hr_client_free(sta);
	hr_client_free(upo);
	hr_client_free(spszn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_documents),
		cmocka_unit_test(test_print_refusals),
		cmocka_unit_test(test_journal_untold),
		cmocka_unit_test(test_journal_decision_reg_no),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_register_stages),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
