/*
 * test_dat.c — the *.DAT exchange against a real hromadad on the demo
 * database (PROTOCOL.md "Exchange", man/hromada-dat.5).
 *
 * The tests run in order and build on each other, as the back office
 * works: export the checked АСОПД applications (numbered 1, statuses
 * exported, each with its attached files' types and hashes), a second
 * export with nothing checked is refused, the file can be listed and
 * downloaded again; answers that name an application outside
 * the back office or one not exported, or that were altered, are refused
 * whole and change nothing; the right answer makes every application
 * answered with its decision (kopecks exact), and the same answer again is
 * refused naming its number.  Other roles may not touch the exchange.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/dat.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/taudit.h"
#include "tests/lib/tdat.h"

static struct testsrv srv;
static struct hr_client *spszn;
static sqlite3 *db;

/* What the export left for the later tests. */
static struct {
	int64_t  file_id;
	int64_t  ids[64];
	char     reg[64][24];
	size_t   n;
	char     office[HR_DAT_OFFICE_MAX];
	uint8_t *data;
	size_t   len;
} ex;

/* The files of the back office under test (the demo's other back offices
 * have answers of their own). */
#define OF_SPSZN "WHERE spszn_id = (SELECT territory_id FROM users WHERE " \
	"name = 'spszn')"
#define OF_SPSZN_F "WHERE f.spszn_id = (SELECT territory_id FROM users " \
	"WHERE name = 'spszn')"

/* What the demo left in the back office before the tests: its answer
 * files and their decisions (ctl/demo_answer.h). */
static struct {
	int64_t files, answers, decisions, refused;
} demo;

static const char checked_asopd[] = "SELECT count(*) FROM applications a "
    "JOIN services s ON s.code = a.service_code WHERE a.status = 'checked' "
    "AND s.system = 'asopd' AND a.spszn_id = (SELECT spszn_id FROM "
    "applications WHERE id = ?)";

static int
call_export(struct hr_client *c, const char *system, struct tcall *t)
{
	return tdat_call_export(c, system, t, IU_CALL_MS);
}

static int
call_import(struct hr_client *c, const void *data, size_t len,
    struct tcall *t)
{
	return tdat_call_import(c, data, len, t, IU_CALL_MS);
}

static int64_t
status_count(const char *status)
{
	char sql[300];
	int64_t n = 0;

	for (size_t i = 0; i < ex.n; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM applications "
		    "WHERE id = ? AND status = '%s'", status);
		n += iu_db_int(db, sql, ex.ids[i]);
	}
	return n;
}

/* ---- export ------------------------------------------------------------ */

/* The S lines of an exported application are its attachments: every
 * document type with each file's hash, size and type (hromada-dat(5)). */
static size_t
check_scans(const struct hr_dat_app *a)
{
	char sql[400];

	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM attachments "
	    "WHERE application_id = ?", a->id), a->nscans);
	for (size_t k = 0; k < a->nscans; k++) {
		const struct hr_dat_scan *s = &a->scans[k];

		snprintf(sql, sizeof sql, "SELECT count(*) FROM attachments t "
		    "JOIN files f ON f.hash = t.file_hash WHERE t.application_id "
		    "= ? AND t.doc_code = '%s' AND lower(hex(f.hash)) = '%s' AND "
		    "f.size = %lld AND f.type = '%s'", s->doc, s->hash,
		    (long long)s->size, s->type);
		assert_int_equal(iu_db_int(db, sql, a->id), 1);
	}
	return a->nscans;
}

static void
keep_export(const msgpack_object *data)
{
	struct hr_dat d;
	struct hr_error err;
	size_t scans = 0;

	ex.len = data->via.bin.size;
	ex.data = malloc(ex.len);
	assert_non_null(ex.data);
	memcpy(ex.data, data->via.bin.ptr, ex.len);
	if (hr_dat_parse(ex.data, ex.len, &d, &err) != 0)
		fail_msg("the exported file does not parse: %s", err.msg);
	assert_int_equal(d.hdr.kind, HR_DAT_EXPORT);
	assert_int_equal(d.hdr.number, 1);
	assert_string_equal(d.hdr.system, "asopd");
	ex.n = d.hdr.count < 64 ? d.hdr.count : 64;
	for (size_t i = 0; i < ex.n; i++) {
		ex.ids[i] = d.apps[i].id;
		snprintf(ex.reg[i], sizeof ex.reg[i], "%s", d.apps[i].reg_no);
		assert_true(d.apps[i].npersons >= 1);
		scans += check_scans(&d.apps[i]);
	}
	assert_true(scans > 0);   /* the demo's applications have scans */
	snprintf(ex.office, sizeof ex.office, "%s", d.hdr.office);
	hr_dat_free(&d);
}

static void
test_export(void **state)
{
	int64_t any = iu_db_int(db, "SELECT min(id) FROM applications a JOIN "
	    "services s ON s.code = a.service_code WHERE a.status = 'checked' "
	    "AND s.system = 'asopd'", -1);
	int64_t want = iu_db_int(db, checked_asopd, any);
	const msgpack_object *r;
	struct tcall t;
	char name[96];

	(void)state;
	assert_true(want > 0 && want <= 64);
	tcall_init(&t);
	call_export(spszn, "asopd", &t);
	iu_expect(&t, HR_OK, "dat.export");
	r = tcall_result(&t);
	assert_int_equal(tobj_int(tobj_get(r, "number"), 0), 1);
	assert_int_equal(tobj_int(tobj_get(r, "count"), 0), want);
	assert_int_equal(tobj_int(tobj_get(r, "remaining"), -1), 0);
	ex.file_id = tobj_int(tobj_get(r, "file_id"), 0);
	keep_export(tobj_get(r, "data"));
	snprintf(name, sizeof name, "asopd_%s_000001.DAT", ex.office);
	assert_true(tobj_is_str(tobj_get(r, "name"), name));
	tcall_free(&t);
	assert_int_equal(ex.n, want);
	assert_int_equal(status_count("exported"), want);
	assert_int_equal(iu_db_int(db, checked_asopd, any), 0);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
	    "application_history WHERE application_id = ? AND to_status = "
	    "'exported'", ex.ids[0]), 1);
	/* A write: its audit records are on disk with its reply. */
	assert_int_equal(taudit_count(db, "application.export", NULL), want);
}

static void
test_export_again_refused(void **state)
{
	struct tcall t;

	(void)state;
	tcall_init(&t);
	call_export(spszn, "asopd", &t);
	iu_expect(&t, HR_E_STATE, "second dat.export");
	assert_non_null(strstr(t.msg, "no checked applications of asopd"));
	tcall_free(&t);
	call_export(spszn, "pension_fund", &t);
	iu_expect(&t, HR_E_INVALID, "dat.export of an unknown system");
	tcall_free(&t);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM dat_files "
	    OF_SPSZN, -1), demo.files + 1);
}

static void
test_list_and_get(void **state)
{
	const msgpack_object *r, *items, *data;
	struct tcall t;

	(void)state;
	tcall_init(&t);
	tcall_empty(spszn, HR_M_DAT_LIST, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "dat.list");
	items = tobj_get(tcall_result(&t), "items");
	assert_int_equal(iu_len(items), demo.files + 1);
	assert_true(tobj_is_str(tobj_get(&items->via.array.ptr[0],   /* newest */
	    "direction"), "export"));
	tcall_free(&t);
	iu_call_id(spszn, HR_M_DAT_GET, ex.file_id, &t);
	iu_expect(&t, HR_OK, "dat.get");
	r = tcall_result(&t);
	data = tobj_get(r, "data");
	assert_non_null(data);
	assert_int_equal(data->via.bin.size, ex.len);
	assert_memory_equal(data->via.bin.ptr, ex.data, ex.len);
	tcall_free(&t);
	iu_call_id(spszn, HR_M_DAT_GET, ex.file_id + 1000, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "dat.get of another file");
	tcall_free(&t);
}

static void
test_other_roles_forbidden(void **state)
{
	static const char *const users[] = { "upo", "supersta", "cnap",
	    "oblast", "admin" };
	struct tcall t;

	(void)state;
	tcall_init(&t);
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		struct hr_client *c = iu_login(&srv, users[i]);

		call_export(c, "asopd", &t);
		iu_expect(&t, HR_E_FORBIDDEN, users[i]);
		tcall_free(&t);
		call_import(c, ex.data, ex.len, &t);
		iu_expect(&t, HR_E_FORBIDDEN, users[i]);
		tcall_free(&t);
		tcall_empty(c, HR_M_DAT_LIST, &t, IU_CALL_MS);
		iu_expect(&t, HR_E_FORBIDDEN, users[i]);
		tcall_free(&t);
		hr_client_free(c);
	}
}

/*
 * A chosen set (the journal's marked applications), judged row by row:
 * two checked АСОПД applications go, one changed since it was marked (its
 * version), one not checked, one of another system (subsidy), one of
 * another back office, one that does not exist and one named twice are
 * refused each with its own error — out of scope reading as missing.
 * The dry run says the same without changing anything, per system with
 * the partial packages among them.
 */
static void
test_export_ids(void **state)
{
	static const char pick[] = "SELECT a.id FROM applications a JOIN "
	    "services s ON s.code = a.service_code WHERE a.status = 'at_spszn' "
	    "AND s.system = ? AND a.spszn_id = (SELECT territory_id FROM users "
	    "WHERE name = 'spszn') ORDER BY a.id LIMIT 1";
	int64_t ids[8], versions[8], c[3], sub, at, foreign;
	const msgpack_object *r, *sys, *refs;
	struct tcall t;
	struct hr_error e;
	int want_codes[] = { HR_E_CONFLICT, HR_E_STATE, HR_E_INVALID,
	    HR_E_NOT_FOUND, HR_E_NOT_FOUND, HR_E_DUPLICATE };
	const char *want_ids[] = { "dat.export_changed",
	    "dat.export_not_checked", "dat.export_other_system",
	    "application.not_found", "application.not_found",
	    "dat.export_twice" };

	(void)state;
	for (int k = 0; k < 3; k++) {
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, pick, -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_text(st, 1, "asopd", -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		c[k] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		iu_db_int(db, "UPDATE applications SET status = 'checked' "
		    "WHERE id = ? RETURNING id", c[k]);
	}
	at = iu_db_int(db, "SELECT a.id FROM applications a JOIN services s "
	    "ON s.code = a.service_code WHERE a.status = 'at_spszn' AND "
	    "s.system = 'asopd' AND a.spszn_id = ? LIMIT 1", iu_db_int(db,
	    "SELECT territory_id FROM users WHERE name = 'spszn'", -1));
	sub = iu_db_int(db, "SELECT a.id FROM applications a JOIN services s "
	    "ON s.code = a.service_code WHERE a.status = 'at_spszn' AND "
	    "s.system = 'subsidy' AND a.spszn_id = ? LIMIT 1", iu_db_int(db,
	    "SELECT territory_id FROM users WHERE name = 'spszn'", -1));
	foreign = iu_db_int(db, "SELECT min(id) FROM applications WHERE "
	    "spszn_id != (SELECT territory_id FROM users WHERE name = "
	    "'spszn')", -1);
	assert_true(at > 0 && sub > 0);
	iu_db_int(db, "UPDATE applications SET status = 'checked' WHERE id = ? "
	    "RETURNING id", sub);
	ids[0] = c[0]; ids[1] = c[1]; ids[2] = c[2]; ids[3] = at;
	ids[4] = sub; ids[5] = foreign > 0 ? foreign : 99999998;
	ids[6] = 99999999; ids[7] = c[0];
	for (int k = 0; k < 8; k++)
		versions[k] = iu_db_int(db, "SELECT coalesce(max(version), 1) "
		    "FROM applications WHERE id = ?", ids[k]);
	versions[2]++;          /* changed by someone else since marked */

	for (int dry = 1; dry >= 0; dry--) {
		msgpack_packer *pk = hr_client_begin(spszn, HR_M_DAT_EXPORT);

		tcall_init(&t);
		msgpack_pack_map(pk, 3);
		hr_pack_str(pk, "ids");
		msgpack_pack_array(pk, 8);
		for (int k = 0; k < 8; k++)
			msgpack_pack_int64(pk, ids[k]);
		hr_pack_str(pk, "versions");
		msgpack_pack_array(pk, 8);
		for (int k = 0; k < 8; k++)
			msgpack_pack_int64(pk, versions[k]);
		if (dry)
			hr_pack_kv_bool(pk, "dry_run", 1);
		else
			hr_pack_kv_str(pk, "system", "asopd");
		tcall_send_wait(spszn, &t, IU_CALL_MS);
		iu_expect(&t, HR_OK, dry ? "dat.export dry_run" : "dat.export "
		    "of ids");
		r = tcall_result(&t);
		refs = tobj_get(r, "refused");
		assert_int_equal(iu_len(refs), dry ? 5 : 6);
		for (uint32_t k = 0; k < iu_len(refs); k++) {
			/* a dry run without a system refuses no system */
			int w = dry && k >= 2 ? (int)k + 1 : (int)k;

			hr_rpc_error_obj_read(&refs->via.array.ptr[k].via.array.
			    ptr[1], &e);
			if (e.code != want_codes[w] ||
			    strcmp(e.id, want_ids[w]) != 0)
				fail_msg("refusal %u: %d %s (%s)", k, e.code,
				    e.id, e.msg);
		}
		if (dry) {
			sys = tobj_get(r, "systems");
			assert_int_equal(iu_len(sys), 2);
			assert_true(tobj_is_str(tobj_get(&sys->via.array.ptr[0],
			    "system"), "asopd"));
			assert_int_equal(tobj_int(tobj_get(&sys->via.array.ptr[0],
			    "count"), 0), 2);
			assert_int_equal(tobj_int(tobj_get(&sys->via.array.ptr[0],
			    "partial"), -1), iu_db_int(db, "SELECT count(*) "
			    "FROM applications WHERE package_full = 0 AND id = "
			    "?", c[0]) + iu_db_int(db, "SELECT count(*) FROM "
			    "applications WHERE package_full = 0 AND id = ?",
			    c[1]));
			assert_true(tobj_is_str(tobj_get(&sys->via.array.ptr[1],
			    "system"), "subsidy"));
			assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
			    "applications WHERE id = ? AND status = 'checked'",
			    c[0]), 1);
		} else {
			assert_int_equal(tobj_int(tobj_get(r, "number"), 0), 2);
			assert_int_equal(tobj_int(tobj_get(r, "count"), 0), 2);
			assert_int_equal(iu_len(tobj_get(r, "left")), 0);
			assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
			    "applications WHERE id = ? AND status = 'exported'",
			    c[1]), 1);
			assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
			    "applications WHERE id = ? AND status = 'checked'",
			    c[2]), 1);
		}
		tcall_free(&t);
	}
}

/* ---- answers ----------------------------------------------------------- */

/* An answer for ex's applications; extra records appended. */
static uint8_t *
make_answer(const struct hr_dat_answer *extra, size_t nextra, size_t *len)
{
	static const struct tdat_assign as = { 123456, "2024-07-01",
	    "2024-12-31" };
	struct tdat_export e = { ex.office, ex.ids, ex.reg, ex.n };
	struct hr_error err;
	uint8_t *out = tdat_answer(&e, &as, extra, nextra, len, &err);

	if (out == NULL)
		fail_msg("answer: %s", err.msg);
	return out;
}

/*
 * A refused import: its own code and error id, and an audit record of the
 * refusal — who (the session's user), which file, why (the error's text
 * and id) — although nothing else of it is kept.
 */
static void
expect_refused_as(const uint8_t *data, size_t len, int code, const char *id,
    const char *msg)
{
	struct tcall t;
	char detail[600], want[120];
	int64_t before = taudit_count(db, "dat.import_refused",
	    "dat_file:asopd_answer.DAT"), last = taudit_last_id(db);

	tcall_init(&t);
	call_import(spszn, data, len, &t);
	iu_expect(&t, code, msg);
	if (strstr(t.msg, msg) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", msg, t.msg);
	tcall_free(&t);
	assert_int_equal(taudit_count(db, "dat.import_refused",
	    "dat_file:asopd_answer.DAT"), before + 1);
	assert_int_equal(taudit_next_detail(db, last, "dat.import_refused",
	    detail, sizeof detail), 1);
	assert_non_null(strstr(detail, "asopd_answer.DAT ("));
	assert_non_null(strstr(detail, msg));
	snprintf(want, sizeof want, "[%s]", id);
	if (id[0] != '\0' && strstr(detail, want) == NULL)
		fail_msg("expected %s in the audit detail \"%s\"", want,
		    detail);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'dat.import_refused' AND actor = 'spszn' AND id > ?",
	    last), 1);
	assert_int_equal(status_count("exported"), ex.n);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM decisions d JOIN "
	    "applications a ON a.id = d.application_id WHERE a.spszn_id = "
	    "(SELECT territory_id FROM users WHERE name = 'spszn')", -1),
	    demo.decisions);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM dat_files "
	    OF_SPSZN " AND direction = 'answer'", -1), demo.answers);
}

static void
expect_refused(const uint8_t *data, size_t len, int code, const char *msg)
{
	expect_refused_as(data, len, code, "", msg);
}

static void
test_import_not_exported_refused(void **state)
{
	int64_t other = iu_db_int(db, "SELECT max(id) FROM applications WHERE "
	    "status IN ('checked', 'at_spszn')", -1);
	char reg[24];
	struct hr_dat_answer extra;
	uint8_t *f;
	size_t len;

	(void)state;
	assert_true(other > 0);
	iu_db_text(db, "SELECT reg_no FROM applications WHERE id = ?", other,
	    reg, sizeof reg);
	extra = (struct hr_dat_answer){ other, reg, HR_DEC_REFUSED, 0, 0, "",
	    "", "немає підстав", 0 };
	f = make_answer(&extra, 1, &len);
	expect_refused_as(f, len, HR_E_STATE, "dat.not_exported",
	    "nothing imported, 1 of");
	expect_refused_as(f, len, HR_E_STATE, "dat.not_exported",
	    ", not exported");
	free(f);
}

static void
test_import_out_of_scope_refused(void **state)
{
	int64_t foreign = iu_db_int(db, "SELECT min(id) FROM applications "
	    "WHERE status = 'at_spszn'", -1);
	struct hr_dat_answer extra[2];
	char reg[24];
	uint8_t *f;
	size_t len;

	(void)state;
	/* Another back office's exported application (moved for the test). */
	iu_db_text(db, "SELECT reg_no FROM applications WHERE id = ?", foreign,
	    reg, sizeof reg);
	iu_db_int(db, "UPDATE applications SET status = 'exported', spszn_id = "
	    "(SELECT id FROM territories WHERE kind = 'spszn' AND id != "
	    "applications.spszn_id LIMIT 1) WHERE id = ? RETURNING id", foreign);
	extra[0] = (struct hr_dat_answer){ foreign, reg, HR_DEC_REFUSED, 0, 0,
	    "", "", "немає підстав", 0 };
	extra[1] = (struct hr_dat_answer){ 99999999, "00001/2024",
	    HR_DEC_REFUSED, 0, 0, "", "", "немає підстав", 0 };
	f = make_answer(extra, 2, &len);
	expect_refused_as(f, len, HR_E_NOT_FOUND, "dat.not_ours",
	    "no application of this back office has this id");
	free(f);
}

/* A record twice: its own code and words, not "not in this status". */
static void
test_import_twice_refused(void **state)
{
	struct hr_dat_answer extra;
	uint8_t *f;
	size_t len;

	(void)state;
	extra = (struct hr_dat_answer){ ex.ids[0], ex.reg[0], HR_DEC_REFUSED,
	    0, 0, "", "", "вдруге", 0 };
	f = make_answer(&extra, 1, &len);
	expect_refused_as(f, len, HR_E_DUPLICATE, "dat.answered_twice",
	    "the same application as line");
	free(f);
}

/*
 * A dry run says what the file would do — decisions by kind, the
 * applications it names, the records that cannot be applied, each with
 * its own error — and changes nothing, leaving no audit record.
 */
static void
test_import_dry_run(void **state)
{
	struct hr_dat_answer extra[2];
	const msgpack_object *r, *refs, *apps;
	int64_t audits = taudit_last_id(db);
	struct tcall t;
	struct hr_error e;
	uint8_t *f;
	size_t len;

	(void)state;
	extra[0] = (struct hr_dat_answer){ ex.ids[0], ex.reg[0], HR_DEC_REFUSED,
	    0, 0, "", "", "вдруге", 0 };
	extra[1] = (struct hr_dat_answer){ 99999999, "00001/2024",
	    HR_DEC_REFUSED, 0, 0, "", "", "немає підстав", 0 };
	f = make_answer(extra, 2, &len);
	tcall_init(&t);
	{
		msgpack_packer *pk = hr_client_begin(spszn, HR_M_DAT_IMPORT);

		msgpack_pack_map(pk, 3);
		hr_pack_kv_str(pk, "name", "asopd_answer.DAT");
		hr_pack_kv_bool(pk, "dry_run", 1);
		hr_pack_str(pk, "data");
		msgpack_pack_bin(pk, len);
		msgpack_pack_bin_body(pk, f, len);
		tcall_send_wait(spszn, &t, IU_CALL_MS);
	}
	iu_expect(&t, HR_OK, "dat.import dry_run");
	r = tcall_result(&t);
	assert_int_equal(tobj_int(tobj_get(r, "count"), 0), ex.n + 2);
	assert_int_equal(tobj_int(tobj_get(tobj_get(r, "decisions"),
	    "assigned"), -1), (ex.n + 1) / 2);
	assert_int_equal(tobj_int(tobj_get(tobj_get(r, "decisions"),
	    "refused"), -1), ex.n / 2);
	apps = tobj_get(r, "apps");
	assert_int_equal(iu_len(apps), ex.n + 2);
	assert_int_equal(tobj_int(&apps->via.array.ptr[0].via.array.ptr[1], 0),
	    ex.ids[0]);
	assert_int_equal(tobj_int(tobj_get(r, "bad"), 0), 2);
	refs = tobj_get(r, "refusals");
	assert_int_equal(iu_len(refs), 2);
	hr_rpc_error_obj_read(&refs->via.array.ptr[0].via.array.ptr[1], &e);
	assert_int_equal(e.code, HR_E_DUPLICATE);
	assert_string_equal(e.id, "dat.answered_twice");
	hr_rpc_error_obj_read(&refs->via.array.ptr[1].via.array.ptr[1], &e);
	assert_int_equal(e.code, HR_E_NOT_FOUND);
	assert_string_equal(e.id, "dat.not_ours");
	tcall_free(&t);
	free(f);
	assert_int_equal(status_count("exported"), ex.n);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM dat_files "
	    OF_SPSZN " AND direction = 'answer'", -1), demo.answers);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action LIKE 'dat.import%' AND id > ?", audits), 0);
}

static void
test_import_altered_refused(void **state)
{
	size_t len;
	uint8_t *f = make_answer(NULL, 0, &len);
	uint8_t *p = NULL;

	(void)state;
	for (size_t i = 0; p == NULL && i + 6 <= len; i++)
		if (memcmp(f + i, "123456", 6) == 0)
			p = f + i;
	assert_non_null(p);
	*p = '9';
	expect_refused(f, len, HR_E_INVALID, "field crc32: checksum mismatch");
	expect_refused(f, len / 2, HR_E_INVALID, "truncated");
	free(f);
}

static int
decision_seen(const msgpack_object *r)
{
	const msgpack_object *d = tobj_get(r, "decision");

	return tobj_is_str(tobj_get(d, "decision"), "assigned") &&
	    tobj_int(tobj_get(d, "amount"), 0) == 123456;
}

static void
test_import(void **state)
{
	size_t len;
	uint8_t *f = make_answer(NULL, 0, &len);
	struct tcall t;

	(void)state;
	tcall_init(&t);
	call_import(spszn, f, len, &t);
	iu_expect(&t, HR_OK, "dat.import");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "imported"), 0),
	    ex.n);
	tcall_free(&t);
	assert_int_equal(status_count("answered"), ex.n);
	assert_int_equal(iu_db_int(db, "SELECT amount FROM decisions WHERE "
	    "application_id = ?", ex.ids[0]), 123456);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM decisions d "
	    "JOIN dat_files f ON f.id = d.file_id " OF_SPSZN_F " AND "
	    "d.amount IS NULL AND d.decision = 'refused'", -1),
	    demo.refused + (int64_t)ex.n / 2);
	iu_get(spszn, ex.ids[0], &t);
	iu_expect(&t, HR_OK, "application.get of an answered one");
	assert_true(decision_seen(tcall_result(&t)));
	tcall_free(&t);
	/* answered, a case has left every stage: no running clock, and the
	 * row's copy of it emptied with the status (db/deadlines.h) */
	for (size_t i = 0; i < ex.n; i++) {
		assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
		    "applications WHERE id = ? AND (stage_start IS NOT NULL OR "
		    "stage_days IS NOT NULL OR stage_due IS NOT NULL OR "
		    "stage_warn IS NOT NULL)", ex.ids[i]), 0);
		assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
		    "application_clocks WHERE application_id = ? AND "
		    "stopped_at IS NULL", ex.ids[i]), 0);
		assert_int_equal(iu_db_int(db, "SELECT count(*) > 0 FROM "
		    "application_clocks WHERE application_id = ? AND stage = "
		    "'spszn' AND stopped_at IS NOT NULL", ex.ids[i]), 1);
	}

	/* the same answer again: refused by its number, nothing changes */
	call_import(spszn, f, len, &t);
	iu_expect(&t, HR_E_DUPLICATE, "the same answer again");
	assert_non_null(strstr(t.msg, "answer asopd No. 000001 was already "
	    "imported"));
	tcall_free(&t);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM dat_files "
	    OF_SPSZN " AND direction = 'answer'", -1), demo.answers + 1);
	free(f);
}

static int
setup(void **state)
{
	struct hr_error err;

	(void)state;
	testsrv_watchdog(300);
	if (testsrv_start(&srv, &err) < 0) {
		fprintf(stderr, "test_dat: %s\n", err.msg);
		return -1;
	}
	spszn = iu_login(&srv, "spszn");
	db = iu_db_open(&srv);
	demo.files = iu_db_int(db, "SELECT count(*) FROM dat_files " OF_SPSZN,
	    -1);
	demo.answers = iu_db_int(db, "SELECT count(*) FROM dat_files "
	    OF_SPSZN " AND direction = 'answer'", -1);
	demo.decisions = iu_db_int(db, "SELECT count(*) FROM decisions d JOIN "
	    "applications a ON a.id = d.application_id WHERE a.spszn_id = "
	    "(SELECT territory_id FROM users WHERE name = 'spszn')", -1);
	demo.refused = iu_db_int(db, "SELECT count(*) FROM decisions d "
	    "JOIN dat_files f ON f.id = d.file_id " OF_SPSZN_F " AND "
	    "d.amount IS NULL AND d.decision = 'refused'", -1);
	assert_true(demo.answers > 0 && demo.decisions > 0);
	return 0;
}

static int
teardown(void **state)
{
	struct hr_error err;
	int status;

	(void)state;
	free(ex.data);
	sqlite3_close(db);
	hr_client_free(spszn);
	if (testsrv_stop(&srv, 10000, &status, &err) < 0)
		fprintf(stderr, "test_dat: %s\n", err.msg);
	testsrv_free(&srv);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_export_again_refused),
		cmocka_unit_test(test_list_and_get),
		cmocka_unit_test(test_other_roles_forbidden),
		cmocka_unit_test(test_export_ids),
		cmocka_unit_test(test_import_not_exported_refused),
		cmocka_unit_test(test_import_out_of_scope_refused),
		cmocka_unit_test(test_import_twice_refused),
		cmocka_unit_test(test_import_dry_run),
		cmocka_unit_test(test_import_altered_refused),
		cmocka_unit_test(test_import),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
