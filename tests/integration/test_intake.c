/*
 * test_intake.c — the intake & workflow API against a real hromadad.
 *
 * One server on a demo database.  The tests run in order and build on each
 * other: the first creates an application that the later ones update,
 * refuse, duplicate and move along the whole workflow.  Each test names
 * what it checks; the database file is read directly (a second SQLite
 * connection) only to prove what the API cannot show: that a refused
 * request changed nothing and that the audit log got its records.
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
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "db/db.h"
#include "db/journal.h"
#include "db/persons.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/tapp.h"
#include "tests/lib/taudit.h"

#define TEST_SECS 60

static struct testsrv srv;
static sqlite3 *dbf;                 /* the server's database, read here */

/* The applicant of the first application (born 1930: older than every
 * demo person, so the РНОКПП cannot collide with the demo's). */
static char a_rnokpp[HR_RNOKPP_LEN + 1], a_unzr[HR_UNZR_LEN + 1];
static char b_rnokpp[HR_RNOKPP_LEN + 1];     /* a second new person */
static int64_t app_id, app_version, applicant_id;
static char app_reg_no[32];

static void
rnokpp_for(int y, int m, int d, int serial, enum hr_sex sex,
    char out[HR_RNOKPP_LEN + 1])
{
	struct hr_date b = { y, m, d };

	assert_int_equal(hr_rnokpp_make(hr_date_to_days(&b), serial, sex, out), 0);
}

/* The form every test starts from: the applicant, a child, income, bank
 * payment (scans are attached apart: test_upload). */
static void
base_form(struct iu_form *f)
{
	static char iban[HR_IBAN_STR_MAX];

	assert_int_equal(hr_iban_make("3996220000026007233566001", iban), 0);
	memset(f, 0, sizeof *f);
	f->service = "low_income";
	f->applicant = (struct iu_person){ 0, a_rnokpp, 0, "Тестенко", "Панас",
	    "Іванович", "05.05.1930", "M", a_unzr, "passport", "жк 123456",
	    "с. Береза, вул. Центральна, 1", "067 123 45 67" };
	f->relation[0] = "child";
	f->family[0] = (struct iu_person){ 0, NULL, 0, "Тестенко", "Ганна",
	    "Панасівна", "2015-06-01", "F", NULL, "birth_cert", "I-ЖЖ654321",
	    NULL, NULL };
	f->nfamily = 1;
	f->income[0] = (struct iu_income){ 0, "pension", "2026-05-01",
	    "2026-10-31", 1234567 };
	f->income[1] = (struct iu_income){ 1, "alimony", "2026-05-01",
	    "2026-10-31", 50000 };
	f->nincome = 2;
	f->pay_method = "bank";
	f->iban = iban;
	f->notes = "перша подача";
}

/* base_form for the applicant already known (applicant_id), by the ID
 * card since its update, alone, with `nincome` of the income rows. */
static void
known_form(struct iu_form *f, int nincome)
{
	base_form(f);
	f->applicant.id = applicant_id;
	f->applicant.doc_type = "id_card";
	f->applicant.doc_number = "001234567";
	f->nfamily = 0;
	f->nincome = nincome;
}

static int
test_setup(void **state)
{
	(void)state;
	testsrv_watchdog(TEST_SECS);
	return 0;
}

/* Records of `action` now: a write's are on disk with its reply. */
static int64_t
audit_count(const char *action)
{
	return taudit_count(dbf, action, NULL);
}

/* A read's: committed within audit_read_window after its reply. */
static int64_t
audit_count_reaches(const char *action, int64_t want)
{
	return taudit_count_reaches(dbf, action, NULL, want);
}

/* The detail of the newest record of `action`, into buf. */
static void
audit_last_detail(const char *action, char *buf, size_t cap)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT detail FROM audit_log WHERE action = "
	    "'%s' ORDER BY id DESC LIMIT 1", action);
	iu_db_text(dbf, sql, -1, buf, cap);
}

/* ------------------------------------------------------------------------ */

static void
test_reference(void **state)
{
	struct hr_client *c = iu_login(&srv, "cnap");
	const msgpack_object *svc, *docs;
	struct tcall t;
	int found = 0;

	(void)state;
	tcall_init(&t);
	tcall_empty(c, HR_M_REFERENCE_GET, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "reference.get");
	svc = tobj_get(tcall_result(&t), "services");
	docs = tobj_get(tcall_result(&t), "documents");
	assert_true(iu_len(svc) >= 10 && iu_len(docs) >= 10);
	for (uint32_t i = 0; i < iu_len(svc); i++) {
		const msgpack_object *s = &svc->via.array.ptr[i];

		if (!tobj_is_str(tobj_get(s, "code"), "low_income"))
			continue;
		found = 1;
		assert_true(tobj_is_str(tobj_get(s, "system"), "asopd"));
		assert_true(iu_has_str(tobj_get(s, "documents"), "income_decl"));
	}
	assert_true(found);
	tcall_free(&t);
	hr_client_free(c);
}

static int64_t save_case_etag;       /* the case application.save brought */

/* create -> get -> update (right version) -> update (stale version) */
static void
test_create_get_update(void **state)
{
	struct hr_client *c = iu_login(&srv, "cnap");
	const msgpack_object *a, *fam, *pay;
	struct iu_form f;
	struct tcall t;
	char buf[128];
	int64_t pay_audits = audit_count("application.payment");

	(void)state;
	base_form(&f);
	tcall_init(&t);
	iu_save(c, &f, &t);
	iu_expect(&t, HR_OK, "create");
	app_id = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	app_version = tobj_int(tobj_get(tcall_result(&t), "version"), 0);
	tobj_str(tobj_get(tcall_result(&t), "reg_no"), app_reg_no,
	    sizeof app_reg_no);
	fprintf(stderr, "#   created application %lld, No. %s\n",
	    (long long)app_id, app_reg_no);
	assert_true(app_id > 0 && app_version == 1);
	/* The demo gave Березівська 00001..00040/2026; the counter goes on. */
	assert_string_equal(app_reg_no, "00041/2026");
	assert_false(tobj_get(tcall_result(&t), "package_full")->via.boolean);
	/* The reply brings what the client shows next (PROTOCOL.md
	 * "application.save"): the journal row, and the case exactly as
	 * application.get gives it (the same etag, checked below). */
	{
		const msgpack_object *jr = tobj_get(tcall_result(&t), "journal");
		const msgpack_object *row;

		assert_int_equal(iu_len(tobj_get(jr, "rows")), 1);
		row = &tobj_get(jr, "rows")->via.array.ptr[0];
		assert_true(row->type == MSGPACK_OBJECT_ARRAY &&
		    row->via.array.size >= 10);
		assert_int_equal(tobj_int(&row->via.array.ptr[0], 0), app_id);
		assert_true(tobj_is_str(&row->via.array.ptr[1], app_reg_no));
		assert_int_equal(tobj_int(&row->via.array.ptr[3], -1), HR_ST_DRAFT);
		assert_int_equal(iu_len(tobj_get(jr, "services")), 1);
		save_case_etag = tobj_int(tobj_get(tobj_get(tcall_result(&t),
		    "case"), "etag"), 0);
		assert_true(save_case_etag > 0);
	}
	tcall_free(&t);

	iu_get(c, app_id, &t);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "etag"), 0),
	    save_case_etag);
	iu_expect(&t, HR_OK, "get");
	a = iu_app(&t);
	assert_true(tobj_is_str(tobj_get(a, "status"), "draft"));
	assert_true(tobj_is_str(tobj_get(a, "reg_no"), app_reg_no));
	assert_true(tobj_is_str(tobj_get(tobj_get(a, "applicant"), "rnokpp"),
	    a_rnokpp));
	assert_true(tobj_is_str(tobj_get(tobj_get(a, "applicant"),
	    "doc_number"), "ЖК123456"));
	assert_true(tobj_is_str(tobj_get(tobj_get(a, "applicant"), "phone"),
	    "+380671234567"));
	applicant_id = tobj_int(tobj_get(tobj_get(a, "applicant"), "id"), 0);
	fam = tobj_get(a, "family");
	assert_int_equal(iu_len(fam), 1);
	assert_true(tobj_is_str(tobj_get(&fam->via.array.ptr[0], "relation"),
	    "child"));
	assert_true(tobj_is_str(tobj_get(&fam->via.array.ptr[0], "birth_date"),
	    "2015-06-01"));
	assert_int_equal(iu_len(tobj_get(a, "income")), 2);
	/* The package comes from attached scans: none yet. */
	assert_int_equal(iu_len(tobj_get(a, "documents")), 0);
	assert_int_equal(iu_len(tobj_get(a, "attachments")), 0);
	assert_true(iu_has_str(tobj_get(a, "missing"), "income_decl"));
	assert_true(iu_has_str(tobj_get(a, "missing"), "application"));
	pay = tobj_get(a, "payment");
	assert_true(tobj_is_str(tobj_get(pay, "method"), "bank"));
	assert_true(tobj_get(tcall_result(&t), "editable")->via.boolean);
	assert_true(iu_has_str(tobj_get(tcall_result(&t), "actions"),
	    "send_otg"));
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "history")), 1);
	tcall_free(&t);

	/* Update with the right version, paid by post. */
	f.id = app_id;
	f.version = app_version;
	f.applicant.id = applicant_id;
	f.family[0].id = iu_db_int(dbf, "SELECT person_id FROM "
	    "application_persons WHERE application_id = ? AND ordinal = 1",
	    app_id);
	f.pay_method = "post";
	f.iban = NULL;
	f.post_office = "41400 Глухів";
	f.notes = "друга подача";
	iu_save(c, &f, &t);
	iu_expect(&t, HR_OK, "update");
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "version"), 0), 2);
	assert_false(tobj_get(tcall_result(&t), "package_full")->via.boolean);
	app_version = 2;
	tcall_free(&t);
	assert_int_equal(audit_count("application.payment"), pay_audits + 2);
	audit_last_detail("application.payment", buf, sizeof buf);
	fprintf(stderr, "#   payment audit: %s\n", buf);
	assert_non_null(strstr(buf, "bank …6001 -> post"));

	/* Stale version: HR_E_CONFLICT naming who, nothing changed. */
	f.version = 1;
	f.notes = "не має зберегтися";
	iu_save(c, &f, &t);
	iu_expect(&t, HR_E_CONFLICT, "stale update");
	fprintf(stderr, "#   conflict: %s\n", t.msg);
	assert_non_null(strstr(t.msg, "Мельник Оксана Петрівна"));
	assert_non_null(strstr(t.msg, "reload"));
	tcall_free(&t);
	assert_int_equal(iu_db_int(dbf, "SELECT version FROM applications "
	    "WHERE id = ?", app_id), 2);
	iu_db_text(dbf, "SELECT notes FROM applications WHERE id = ?", app_id,
	    buf, sizeof buf);
	assert_string_equal(buf, "друга подача");
	hr_client_free(c);
}

/* Identifier changes of a known person get their own audit record. */
static void
test_identifier_audit(void **state)
{
	struct hr_client *c = iu_login(&srv, "cnap");
	int64_t before = audit_count("person.identifiers");
	struct iu_form f;
	struct tcall t;
	char buf[256];

	(void)state;
	known_form(&f, 1);
	f.id = app_id;
	f.version = app_version;
	tcall_init(&t);
	iu_save(c, &f, &t);
	iu_expect(&t, HR_OK, "update identifiers");
	app_version = tobj_int(tobj_get(tcall_result(&t), "version"), 0);
	tcall_free(&t);
	assert_int_equal(audit_count("person.identifiers"), before + 1);
	audit_last_detail("person.identifiers", buf, sizeof buf);
	fprintf(stderr, "#   identifiers audit: %s\n", buf);
	assert_non_null(strstr(buf, "doc_number …3456 -> …4567"));
	assert_null(strstr(buf, "123456"));
	hr_client_free(c);
}

/* One validator failure per row: the message must name the field. */
struct bad_case {
	const char *field;                    /* expected in the message */
	void      (*spoil)(struct iu_form *f);
};

static void bad_rnokpp(struct iu_form *f) { f->applicant.rnokpp = "1759013770"; }
static void bad_rnokpp_birth(struct iu_form *f) { f->applicant.birth_date = "06.05.1930"; f->applicant.unzr = NULL; }
static void bad_rnokpp_sex(struct iu_form *f) { f->applicant.sex = "F"; }
static void bad_unzr(struct iu_form *f) { f->applicant.unzr = "19300505-00421"; }
static void bad_doc(struct iu_form *f) { f->applicant.doc_number = "ЖК12345"; }
static void bad_doctype(struct iu_form *f) { f->applicant.doc_type = "visa"; }
static void bad_birth(struct iu_form *f) { f->applicant.birth_date = "2023-02-30"; }
static void bad_sex(struct iu_form *f) { f->applicant.sex = "X"; }
static void bad_surname(struct iu_form *f) { f->applicant.surname = " "; }
static void bad_phone(struct iu_form *f) { f->applicant.phone = "12345"; }
static void bad_iban(struct iu_form *f) { f->iban = "UA213996220000026007233566002"; }
static void bad_post(struct iu_form *f) { f->pay_method = "post"; f->iban = NULL; }
static void bad_method(struct iu_form *f) { f->pay_method = "cash"; }
static void bad_period(struct iu_form *f) { f->income[1].from = "2026-11-01"; }
static void bad_member(struct iu_form *f) { f->income[0].member = 2; }
static void bad_amount(struct iu_form *f) { f->income[0].amount = -1; }
static void bad_inctype(struct iu_form *f) { f->income[1].type = "lottery"; }
static void bad_incdate(struct iu_form *f) { f->income[0].to = "2026-13-01"; }
static void bad_service(struct iu_form *f) { f->service = "no_such_service"; }
static void bad_relation(struct iu_form *f) { f->relation[0] = "cousin"; }
static void bad_child_birth(struct iu_form *f) { f->family[0].birth_date = "31.04.2015"; }
static void bad_child_doc(struct iu_form *f) { f->family[0].doc_number = "ЖЖ654321"; }
static void bad_refused(struct iu_form *f) { f->applicant.refused = 1; f->applicant.rnokpp = NULL; f->applicant.doc_type = NULL; f->applicant.doc_number = NULL; }
static void bad_refused_both(struct iu_form *f) { f->applicant.refused = 1; }
static void bad_no_ident(struct iu_form *f) { f->family[0].doc_type = NULL; f->family[0].doc_number = NULL; }
static void bad_top_phone(struct iu_form *f) { f->phone = "+1 202 555 0100"; }
static void bad_future(struct iu_form *f) { f->family[0].birth_date = "2099-01-01"; }

static const struct bad_case bad_cases[] = {
	{ "applicant.rnokpp: check digit",      bad_rnokpp },
	{ "applicant.rnokpp",                   bad_rnokpp_birth },
	{ "applicant.rnokpp",                   bad_rnokpp_sex },
	{ "applicant.unzr",                     bad_unzr },
	{ "applicant.doc_number",               bad_doc },
	{ "applicant.doc_type",                 bad_doctype },
	{ "applicant.birth_date",               bad_birth },
	{ "applicant.sex",                      bad_sex },
	{ "applicant.surname",                  bad_surname },
	{ "applicant.phone",                    bad_phone },
	{ "payment.iban",                       bad_iban },
	{ "payment.post_office",                bad_post },
	{ "payment.method",                     bad_method },
	{ "income[2].period_to",                bad_period },
	{ "income[1].member",                   bad_member },
	{ "income[1].amount: must not be negative", bad_amount },
	{ "income[2].type",                     bad_inctype },
	{ "income[1].period_to",                bad_incdate },
	{ "service",                            bad_service },
	{ "family[1].relation",                 bad_relation },
	{ "family[1].person.birth_date",        bad_child_birth },
	{ "family[1].person.doc_number",        bad_child_doc },
	{ "applicant.doc_number",               bad_refused },
	{ "applicant.rnokpp",                   bad_refused_both },
	{ "family[1].person.rnokpp",            bad_no_ident },
	{ "phone",                              bad_top_phone },
	{ "family[1].person.birth_date",        bad_future },
};

static void
test_validators(void **state)
{
	struct hr_client *c = iu_login(&srv, "cnap");
	int64_t apps = iu_db_int(dbf, "SELECT count(*) FROM applications", -1);
	int64_t persons = iu_db_int(dbf, "SELECT count(*) FROM persons", -1);
	struct tcall t;

	(void)state;
	tcall_init(&t);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		struct iu_form f;

		base_form(&f);
		/* A fresh applicant, so only the spoilt field can fail. */
		f.applicant.rnokpp = b_rnokpp;
		f.applicant.birth_date = "1931-07-09";
		f.applicant.sex = "F";
		f.applicant.unzr = NULL;
		f.applicant.doc_number = "ЖМ000001";
		f.family[0].doc_number = "I-ЖЖ000001";
		if (bad_cases[i].spoil == bad_rnokpp_sex ||
		    bad_cases[i].spoil == bad_rnokpp_birth) {
			f.applicant.sex = bad_cases[i].spoil == bad_rnokpp_sex ?
			    "M" : "F";
			f.applicant.birth_date = bad_cases[i].spoil ==
			    bad_rnokpp_birth ? "1931-07-10" : "1931-07-09";
		} else
			bad_cases[i].spoil(&f);
		iu_save(c, &f, &t);
		if (t.code != HR_E_INVALID || strstr(t.msg, bad_cases[i].field) !=
		    t.msg)
			fail_msg("case %zu (%s): got %s: %s", i, bad_cases[i].field,
			    hr_error_name(t.code), t.msg);
		fprintf(stderr, "#   %s\n", t.msg);
		tcall_free(&t);
	}
	/* Nothing of the refused requests stayed behind. */
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM applications",
	    -1), apps);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM persons", -1),
	    persons);
	hr_client_free(c);
}

static void
test_duplicates(void **state)
{
	struct hr_client *c = iu_login(&srv, "sta");
	int64_t apps = iu_db_int(dbf, "SELECT count(*) FROM applications", -1);
	struct iu_form f;
	struct tcall t;
	char want[96];

	(void)state;
	snprintf(want, sizeof want, "person already in the base: id %lld",
	    (long long)applicant_id);
	/* Same РНОКПП as a known person, sent as a new person. */
	base_form(&f);
	f.applicant.doc_number = "ЖМ777777";
	f.applicant.unzr = NULL;
	f.nfamily = 0;
	f.nincome = 0;
	tcall_init(&t);
	iu_save(c, &f, &t);
	iu_expect(&t, HR_E_DUPLICATE, "duplicate РНОКПП");
	fprintf(stderr, "#   %s\n", t.msg);
	assert_non_null(strstr(t.msg, want));
	tcall_free(&t);
	/* Same document number only (the applicant has an ID card now). */
	f.applicant.rnokpp = b_rnokpp;
	f.applicant.birth_date = "1931-07-09";
	f.applicant.sex = "F";
	f.applicant.doc_type = "id_card";
	f.applicant.doc_number = "001234567";
	iu_save(c, &f, &t);
	iu_expect(&t, HR_E_DUPLICATE, "duplicate document");
	assert_non_null(strstr(t.msg, want));
	tcall_free(&t);
	/* Same УНЗР (a person who refused the РНОКПП: the ID card is the
	 * key then). */
	f.applicant.doc_number = "001234999";
	f.applicant.rnokpp = NULL;
	f.applicant.refused = 1;
	f.applicant.birth_date = "1930-05-05";
	f.applicant.sex = "M";
	f.applicant.unzr = a_unzr;
	iu_save(c, &f, &t);
	iu_expect(&t, HR_E_DUPLICATE, "duplicate УНЗР");
	assert_non_null(strstr(t.msg, want));
	tcall_free(&t);
	/* A second open application of the same person for the service. */
	known_form(&f, 0);
	iu_save(c, &f, &t);
	/* It is cnap's: sta's scope does not see it, so no number of theirs. */
	iu_expect(&t, HR_E_DUPLICATE, "open application of another office");
	fprintf(stderr, "#   %s\n", t.msg);
	assert_string_equal(t.msg, "an open application for this service "
	    "exists in another office");
	tcall_free(&t);
	hr_client_free(c);
	/* The office that sees it is told its number. */
	c = iu_login(&srv, "cnap");
	iu_save(c, &f, &t);
	iu_expect(&t, HR_E_DUPLICATE, "second open application");
	fprintf(stderr, "#   %s\n", t.msg);
	snprintf(want, sizeof want, "an open application for this service "
	    "exists: No. %s", app_reg_no);
	assert_string_equal(t.msg, want);
	tcall_free(&t);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM applications",
	    -1), apps);
	hr_client_free(c);
}

/* One transition; returns the new version. */
static int64_t
step(struct hr_client *c, const char *action, const char *reason,
    const char *to)
{
	struct tcall t;
	char what[64];
	int64_t v;

	snprintf(what, sizeof what, "%s -> %s", action, to);
	tcall_init(&t);
	iu_transition(c, app_id, app_version, action, reason, &t);
	iu_expect(&t, HR_OK, what);
	assert_true(tobj_is_str(tobj_get(tcall_result(&t), "status"), to));
	v = tobj_int(tobj_get(tcall_result(&t), "version"), 0);
	assert_int_equal(v, app_version + 1);
	tcall_free(&t);
	return app_version = v;
}

static void
expect_refused(struct hr_client *c, const char *action, const char *reason,
    int code)
{
	int64_t v = iu_db_int(dbf, "SELECT version FROM applications WHERE id "
	    "= ?", app_id);
	struct tcall t;

	tcall_init(&t);
	iu_transition(c, app_id, app_version, action, reason, &t);
	iu_expect(&t, code, action);
	fprintf(stderr, "#   %s refused: %s\n", action, t.msg);
	tcall_free(&t);
	assert_int_equal(iu_db_int(dbf, "SELECT version FROM applications "
	    "WHERE id = ?", app_id), v);
}

/* Edit in a status that allows it (by the role that may). */
static void
edit_as(struct hr_client *c, const char *notes)
{
	struct iu_form f;
	struct tcall t;

	known_form(&f, 0);
	f.id = app_id;
	f.version = app_version;
	f.notes = notes;
	tcall_init(&t);
	iu_save(c, &f, &t);
	iu_expect(&t, HR_OK, notes);
	app_version = tobj_int(tobj_get(tcall_result(&t), "version"), 0);
	tcall_free(&t);
}

static void
test_workflow(void **state)
{
	struct hr_client *cnap = iu_login(&srv, "cnap"),
	    *upo = iu_login(&srv, "upo"), *spszn = iu_login(&srv, "spszn");
	static const char *const path[][2] = {
		{ NULL, "draft" }, { NULL, "draft" }, { NULL, "draft" },
		{ "draft", "at_otg" }, { "at_otg", "returned_front" },
		{ "returned_front", "returned_front" },
		{ "returned_front", "at_otg" }, { "at_otg", "at_spszn" },
		{ "at_spszn", "returned_otg" }, { "returned_otg", "returned_otg" },
		{ "returned_otg", "at_spszn" }, { "at_spszn", "checked" },
	};
	const msgpack_object *h;
	struct tcall t;

	(void)state;
	/* The back office does not see a draft at all. */
	tcall_init(&t);
	iu_get(spszn, app_id, &t);
	iu_expect(&t, HR_E_NOT_FOUND, "spszn reads a draft");
	tcall_free(&t);
	expect_refused(cnap, "return_front", "?", HR_E_STATE);
	step(cnap, "send_otg", NULL, "at_otg");
	expect_refused(cnap, "send_otg", NULL, HR_E_STATE);
	expect_refused(upo, "return_front", NULL, HR_E_INVALID);
	expect_refused(upo, "return_front", "   ", HR_E_INVALID);
	step(upo, "return_front", "Додайте довідку про доходи", "returned_front");
	iu_get(cnap, app_id, &t);
	iu_expect(&t, HR_OK, "get returned");
	assert_true(tobj_is_str(tobj_get(iu_app(&t), "last_reason"),
	    "Додайте довідку про доходи"));
	tcall_free(&t);
	edit_as(cnap, "довідку додано");
	step(cnap, "send_otg", NULL, "at_otg");
	step(upo, "send_spszn", NULL, "at_spszn");
	step(spszn, "return_otg", "Скан паспорта нечитабельний", "returned_otg");
	edit_as(upo, "скан замінено");
	step(upo, "send_spszn", NULL, "at_spszn");
	step(spszn, "check", NULL, "checked");
	expect_refused(spszn, "export", NULL, HR_E_STATE);
	expect_refused(spszn, "answer", NULL, HR_E_STATE);
	expect_refused(spszn, "publish", NULL, HR_E_INVALID);
	/* The history has every step, in order, with the reasons. */
	iu_get(spszn, app_id, &t);
	iu_expect(&t, HR_OK, "get checked");
	/* Rows [at, user, from, to, comment?] with status codes; users once. */
	h = tobj_get(tcall_result(&t), "history");
	assert_int_equal(iu_len(h), sizeof path / sizeof path[0]);
	for (uint32_t i = 0; i < iu_len(h); i++) {
		const msgpack_object *r = h->via.array.ptr[i].via.array.ptr;

		if (path[i][0] != NULL)
			assert_int_equal(tobj_int(&r[2], -1),
			    hr_status_from_name(path[i][0]));
		assert_int_equal(tobj_int(&r[3], -1),
		    hr_status_from_name(path[i][1]));
	}
	assert_int_equal(h->via.array.ptr[4].via.array.size, 5);
	assert_true(tobj_is_str(&h->via.array.ptr[4].via.array.ptr[4],
	    "Додайте довідку про доходи"));
	{
		const msgpack_object *u = tobj_get(tcall_result(&t), "users");
		int64_t ui = tobj_int(&h->via.array.ptr[8].via.array.ptr[1], -1);

		assert_true(ui >= 0 && (uint64_t)ui < iu_len(u));
		assert_true(tobj_is_str(&u->via.array.ptr[ui].via.array.ptr[1],
		    "Гончаренко Світлана Юріївна"));
		assert_int_equal(iu_len(u), 3);      /* cnap, upo, spszn once */
	}
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "actions")), 0);
	assert_false(tobj_get(tcall_result(&t), "editable")->via.boolean);
	tcall_free(&t);
	assert_int_equal(audit_count("application.transition"), 7);
	hr_client_free(cnap);
	hr_client_free(upo);
	hr_client_free(spszn);
}

/*
 * application.get is lean (PROTOCOL.md): only fields with a value, no
 * names the reference data has, a member at the applicant's address
 * marked reg_same instead of the address repeated, the history as arrays
 * with each user once; a family of three fits in 1.5 KB on the wire; an
 * etag the server recognises brings {etag, unchanged} and is still
 * audited; a prefetch is audited as one.
 */
static void
test_get_lean(void **state)
{
	struct hr_client *c = iu_login(&srv, "cnap");
	const msgpack_object *a, *fam, *h, *u;
	struct hr_client_stats st0, st1;
	struct iu_form f;
	struct tcall t;
	char rn[HR_RNOKPP_LEN + 1], sp[HR_RNOKPP_LEN + 1], buf[256];
	int64_t id, etag, reads;
	msgpack_packer *pk;

	(void)state;
	rnokpp_for(1985, 3, 14, 4401, HR_SEX_FEMALE, rn);
	rnokpp_for(1983, 8, 2, 4402, HR_SEX_MALE, sp);
	memset(&f, 0, sizeof f);
	f.service = "birth";
	f.applicant = (struct iu_person){ 0, rn, 0, "Лесенко", "Олена",
	    "Петрівна", "14.03.1985", "F", NULL, "id_card", "004401237",
	    "с. Береза, вул. Садова, 7", NULL };
	f.relation[0] = "spouse";
	f.family[0] = (struct iu_person){ 0, sp, 0, "Лесенко", "Іван",
	    "Миколайович", "02.08.1983", "M", NULL, "passport", "ЖК440200",
	    "с. Береза, вул. Садова, 7", NULL };
	f.relation[1] = "child";
	f.family[1] = (struct iu_person){ 0, NULL, 0, "Лесенко", "Марія",
	    "Іванівна", "2026-09-01", "F", NULL, "birth_cert", "I-ЖЖ440203",
	    NULL, NULL };
	f.nfamily = 2;
	tcall_init(&t);
	iu_save(c, &f, &t);
	iu_expect(&t, HR_OK, "create");
	id = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	tcall_free(&t);

	reads = audit_count("application.read");
	hr_client_stats(c, &st0);
	iu_get(c, id, &t);
	iu_expect(&t, HR_OK, "get");
	hr_client_stats(c, &st1);
	fprintf(stderr, "#   lean application.get, family of three: %llu bytes "
	    "on the wire\n", (unsigned long long)(st1.bytes_in - st0.bytes_in));
	assert_true(st1.bytes_in - st0.bytes_in <= 1536);
	a = iu_app(&t);
	assert_true(tobj_is_str(tobj_get(a, "service"), "birth"));
	assert_true(tobj_int(tobj_get(a, "front_office_id"), 0) > 0);
	assert_null(tobj_get(a, "service_name"));
	assert_null(tobj_get(a, "front_office"));
	assert_null(tobj_get(a, "notes"));           /* nil: left out */
	assert_null(tobj_get(a, "payment"));
	assert_null(tobj_get(a, "package_full"));    /* false: left out */
	assert_null(tobj_get(tobj_get(a, "applicant"), "unzr"));
	assert_null(tobj_get(tobj_get(a, "applicant"), "rnokpp_refused"));
	assert_true(tobj_is_str(tobj_get(tobj_get(a, "applicant"), "reg_address"),
	    "с. Береза, вул. Садова, 7"));
	fam = tobj_get(a, "family");
	assert_int_equal(iu_len(fam), 2);
	assert_true(tobj_get(&fam->via.array.ptr[0], "reg_same")->via.boolean);
	assert_null(tobj_get(&fam->via.array.ptr[0], "reg_address"));
	assert_null(tobj_get(&fam->via.array.ptr[1], "reg_same"));
	assert_null(tobj_get(&fam->via.array.ptr[1], "reg_address"));
	h = tobj_get(tcall_result(&t), "history");
	u = tobj_get(tcall_result(&t), "users");
	assert_int_equal(iu_len(h), 1);
	assert_int_equal(h->via.array.ptr[0].type, MSGPACK_OBJECT_ARRAY);
	assert_int_equal(h->via.array.ptr[0].via.array.size, 4);
	assert_int_equal(h->via.array.ptr[0].via.array.ptr[2].type,
	    MSGPACK_OBJECT_NIL);                     /* created */
	assert_int_equal(tobj_int(&h->via.array.ptr[0].via.array.ptr[3], -1),
	    HR_ST_DRAFT);
	assert_int_equal(iu_len(u), 1);
	assert_true(tobj_is_str(&u->via.array.ptr[0].via.array.ptr[0], "cnap"));
	etag = tobj_int(tobj_get(tcall_result(&t), "etag"), 0);
	assert_true(etag > 0);
	tcall_free(&t);

	/* The same etag: unchanged, and the read is still audited. */
	pk = hr_client_begin(c, HR_M_APPLICATION_GET);
	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_int(pk, "etag", etag);
	hr_pack_kv_bool(pk, "prefetch", 1);
	tcall_send_wait(c, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "get with etag");
	assert_int_equal(tcall_result(&t)->via.map.size, 2);
	assert_true(tobj_get(tcall_result(&t), "unchanged")->via.boolean);
	assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "etag"), 0), etag);
	tcall_free(&t);
	/* An audited read: its record reaches the disk just after the reply
	 * (the first get's too, so count both). */
	assert_int_equal(audit_count_reaches("application.read", reads + 2),
	    reads + 2);
	audit_last_detail("application.read", buf, sizeof buf);
	assert_non_null(strstr(buf, "(prefetch)"));
	hr_client_free(c);
}

/* A super user checks and sends a draft straight to the back office. */
static void
test_super_send(void **state)
{
	struct hr_client *c = iu_login(&srv, "supersta");
	struct iu_form f;
	struct tcall t;
	int64_t id;

	(void)state;
	known_form(&f, 0);
	f.service = "one_time";
	tcall_init(&t);
	iu_save(c, &f, &t);
	iu_expect(&t, HR_OK, "supersta create");
	id = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	tcall_free(&t);
	iu_transition(c, id, 1, "send_spszn", NULL, &t);
	iu_expect(&t, HR_OK, "supersta send_spszn");
	assert_true(tobj_is_str(tobj_get(tcall_result(&t), "status"),
	    "at_spszn"));
	tcall_free(&t);
	hr_client_free(c);
}

static int
has_person(const msgpack_object *items, int64_t id)
{
	for (uint32_t i = 0; i < iu_len(items); i++)
		if (tobj_int(tobj_get(&items->via.array.ptr[i], "id"), 0) == id)
			return 1;
	return 0;
}

/* How many of the journal's rows for an РНОКПП are not answered. */
static uint32_t
journal_open_of(struct hr_client *c, const char *rnokpp)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	const msgpack_object *rows;
	struct tcall t;
	uint32_t n = 0;

	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "limit", 100);
	hr_pack_kv_str(pk, "q", rnokpp);
	tcall_init(&t);
	tcall_send_wait(c, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "journal.list by РНОКПП");
	/* rows are arrays; element 3 is the status code (PROTOCOL.md) */
	rows = tobj_get(tcall_result(&t), "rows");
	for (uint32_t i = 0; i < iu_len(rows); i++)
		n += rows->via.array.ptr[i].via.array.ptr[3].via.i64 !=
		    HR_ST_ANSWERED;
	tcall_free(&t);
	return n;
}

static void
test_person_search(void **state)
{
	struct hr_client *c = iu_login(&srv, "upo"), *other;
	uint32_t open_n, want_open;
	const char *queries[] = { a_rnokpp, "тестенко панас", "ТЕСТЕНКО",
	    "001 234 567" };
	int64_t audits = audit_count("person.search");
	struct tcall t;
	char buf[256];

	(void)state;
	tcall_init(&t);
	for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
		const msgpack_object *items;

		iu_person_search(c, queries[i], 0, &t);
		iu_expect(&t, HR_OK, queries[i]);
		items = tobj_get(tcall_result(&t), "items");
		if (!has_person(items, applicant_id))
			fail_msg("search \"%s\" did not find the applicant",
			    queries[i]);
		tcall_free(&t);
	}
	/* An apostrophe look-alike folds like the ASCII one. */
	iu_person_search(c, "Дем’яненко", 1, &t);
	iu_expect(&t, HR_OK, "apostrophe");
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "items")), 1);
	assert_true(tobj_get(tcall_result(&t), "more")->via.boolean);
	tcall_free(&t);
	assert_int_equal(audit_count_reaches("person.search", audits + 5),
	    audits + 5);
	iu_db_text(dbf, "SELECT detail FROM audit_log WHERE action = "
	    "'person.search' AND detail LIKE '%РНОКПП%' ORDER BY id DESC LIMIT 1",
	    -1, buf, sizeof buf);
	fprintf(stderr, "#   search audit: %s\n", buf);
	assert_null(strstr(buf, a_rnokpp));
	/* What person.get's `open` must list: the journal's rows for the
	 * РНОКПП not answered (its journal.read lands before going on). */
	audits = audit_count("journal.read");
	want_open = journal_open_of(c, a_rnokpp);
	audit_count_reaches("journal.read", audits + 1);
	/* person.get: the person and the family from the central base. */
	audits = audit_count("person.read");
	iu_person_get(c, applicant_id, &t);
	iu_expect(&t, HR_OK, "person.get");
	assert_true(tobj_is_str(tobj_get(tobj_get(tcall_result(&t), "person"),
	    "surname"), "Тестенко"));
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "family")), 1);
	/* open: the applicant's applications not answered that this user's
	 * scope sees — the same ones the journal shows for the РНОКПП. */
	open_n = iu_len(tobj_get(tcall_result(&t), "open"));
	assert_true(open_n >= 1);
	assert_int_equal(open_n, want_open);
	tcall_free(&t);
	/* Reads run on the query threads; their audit records are appended
	 * by the loop and reach the disk just after the reply. */
	assert_int_equal(audit_count_reaches("person.read", audits + 1),
	    audits + 1);
	/* Another hromada's user sees none of them. */
	other = iu_login(&srv, "supercnap2");
	iu_person_get(other, applicant_id, &t);
	iu_expect(&t, HR_OK, "person.get of another hromada");
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "open")), 0);
	tcall_free(&t);
	hr_client_free(other);
	audits = audit_count("journal.read");
	iu_journal(c, 0, &t);
	iu_expect(&t, HR_OK, "journal.list");
	tcall_free(&t);
	assert_int_equal(audit_count_reaches("journal.read", audits + 1),
	    audits + 1);
	hr_client_free(c);
}

static int64_t
journal_count(struct hr_client *c, const char *what, int64_t fo,
    const char *k, const char *v, int code)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	struct tcall t;
	int64_t n;

	msgpack_pack_map(pk, 1 + (fo != 0) + (k != NULL));
	hr_pack_kv_int(pk, "limit", 100);
	if (fo != 0)
		hr_pack_kv_int(pk, "front_office", fo);
	if (k != NULL)
		hr_pack_kv_str(pk, k, v);
	tcall_init(&t);
	tcall_send_wait(c, &t, IU_CALL_MS);
	iu_expect(&t, code, what);
	n = iu_len(tobj_get(tcall_result(&t), "rows"));
	tcall_free(&t);
	return n;
}

/* Rows of journal.list {date_from, date_to} (one page of 100). */
static int64_t
journal_range(struct hr_client *c, const char *from, const char *to)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);
	struct tcall t;
	int64_t n;

	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "limit", 100);
	hr_pack_kv_str(pk, "date_from", from);
	hr_pack_kv_str(pk, "date_to", to);
	tcall_init(&t);
	tcall_send_wait(c, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "date range");
	n = iu_len(tobj_get(tcall_result(&t), "rows"));
	tcall_free(&t);
	return n;
}

static void
test_journal_filters(void **state)
{
	struct hr_client *upo = iu_login(&srv, "upo"),
	    *spszn = iu_login(&srv, "spszn");
	char today[16];
	time_t now = time(NULL);
	struct tm tm;
	int64_t all, n;

	(void)state;
	localtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	all = journal_count(upo, "all", 0, NULL, NULL, HR_OK);
	n = journal_count(upo, "own ЦНАП", 23, NULL, NULL, HR_OK);
	assert_true(n > 0 && n < all);
	journal_count(upo, "Хотінська ЦНАП", 43, NULL, NULL, HR_E_NOT_FOUND);
	journal_count(upo, "a hromada is not a front office", 22, NULL, NULL,
	    HR_E_NOT_FOUND);
	/* Today: test_create_get_update's, test_super_send's and
	 * test_get_lean's applications. */
	assert_int_equal(journal_count(upo, "today", 0, "date_from", today,
	    HR_OK), 3);
	/* Demo applications k = 1, 2 were created on 2 and 3 October (UTC,
	 * see main); k = 0 on the 1st, k = 3 on the 5th. */
	assert_int_equal(journal_range(upo, "2026-10-02", "2026-10-03"), 2);
	assert_int_equal(journal_range(upo, "2026-10-01", "2026-10-01"), 1);
	assert_int_equal(journal_range(upo, "2026-09-01", "2026-09-30"), 0);
	assert_int_equal(journal_range(upo, "2030-01-01", "2030-12-31"), 0);
	n = journal_count(upo, "full", 0, "package", "full", HR_OK);
	assert_true(n > 0 && n + journal_count(upo, "partial", 0, "package",
	    "partial", HR_OK) == all);
	journal_count(upo, "bad package", 0, "package", "half", HR_E_INVALID);
	assert_int_equal(journal_count(upo, "q", 0, "q", "тестенко", HR_OK), 2);
	/* The back office: Шалигинська's office is in scope; no drafts. */
	assert_true(journal_count(spszn, "Шалигинська", 37, NULL, NULL,
	    HR_OK) > 0);
	assert_int_equal(journal_count(spszn, "drafts", 0, "status", "draft",
	    HR_OK), 0);
	hr_client_free(upo);
	hr_client_free(spszn);
}

static void
test_front_offices(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta"),
	    *spszn = iu_login(&srv, "spszn");
	struct tcall t;

	(void)state;
	tcall_init(&t);
	tcall_empty(sta, HR_M_TERRITORY_FRONT_OFFICES, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "sta offices");
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "items")), 1);
	tcall_free(&t);
	tcall_empty(spszn, HR_M_TERRITORY_FRONT_OFFICES, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "spszn offices");
	/* Березівська: ЦНАП + 4 districts; Шалигинська: ЦНАП + 1. */
	assert_int_equal(iu_len(tobj_get(tcall_result(&t), "items")), 7);
	tcall_free(&t);
	hr_client_free(sta);
	hr_client_free(spszn);
}

/*
 * login {..., reference: E, front_offices: E}: the reply carries back
 * each cached result only when the client's copy (its etag) is not the
 * current one; a current copy costs nothing at all (PROTOCOL.md "login").
 */
static void
login_etags(const char *user, int64_t ref, int64_t off, struct tcall *t)
{
	struct hr_error err;
	struct hr_client *c;
	msgpack_packer *pk;
	char pw[64];

	hr_error_clear(&err);
	if ((c = tclient_open(srv.addr, srv.pk, IU_CALL_MS, &err)) == NULL)
		fail_msg("connect %s: %s", srv.addr, err.msg);
	snprintf(pw, sizeof pw, "demo-%s-2026", user);
	pk = hr_client_begin(c, HR_M_LOGIN);
	msgpack_pack_map(pk, 4);
	hr_pack_kv_str(pk, "user", user);
	hr_pack_kv_str(pk, "password", pw);
	hr_pack_kv_int(pk, "reference", ref);
	hr_pack_kv_int(pk, "front_offices", off);
	tcall_send_wait(c, t, IU_CALL_MS);
	iu_expect(t, HR_OK, "login with etags");
	hr_client_free(c);
}

static void
test_login_revalidates(void **state)
{
	struct tcall t;
	int64_t ref, off;

	(void)state;
	tcall_init(&t);
	/* Nothing cached: both come, each with its etag. */
	login_etags("sta", 0, 0, &t);
	ref = tobj_int(tobj_get(tobj_get(tcall_result(&t), "reference"),
	    "etag"), 0);
	off = tobj_int(tobj_get(tobj_get(tcall_result(&t), "front_offices"),
	    "etag"), 0);
	assert_true(ref > 0 && off > 0);
	assert_true(iu_len(tobj_get(tobj_get(tcall_result(&t), "reference"),
	    "services")) >= 10);
	assert_int_equal(iu_len(tobj_get(tobj_get(tcall_result(&t),
	    "front_offices"), "items")), 1);
	assert_non_null(tobj_get(tcall_result(&t), "ticket"));
	tcall_free(&t);
	/* Both current: neither comes, not even an "unchanged". */
	login_etags("sta", ref, off, &t);
	assert_null(tobj_get(tcall_result(&t), "reference"));
	assert_null(tobj_get(tcall_result(&t), "front_offices"));
	assert_non_null(tobj_get(tcall_result(&t), "ticket"));
	tcall_free(&t);
	/* One stale: only that one comes, the same as reference.get's. */
	login_etags("sta", ref + 1, off, &t);
	assert_int_equal(tobj_int(tobj_get(tobj_get(tcall_result(&t),
	    "reference"), "etag"), 0), ref);
	assert_null(tobj_get(tcall_result(&t), "front_offices"));
	tcall_free(&t);
	/* A role that sees no applications gets no front offices. */
	login_etags("admin", 0, 0, &t);
	assert_non_null(tobj_get(tcall_result(&t), "reference"));
	assert_null(tobj_get(tcall_result(&t), "front_offices"));
	tcall_free(&t);
}

/* The searches stay index ranges whatever the size of the base. */
static void
test_plans(void **state)
{
	static const enum db_person_q kinds[] = { DB_PQ_NAME, DB_PQ_RNOKPP,
	    DB_PQ_DOC };
	struct db_journal_filter jf;
	struct hr_db *db = NULL;
	struct hr_error err;
	char plan[2048];

	(void)state;
	hr_error_clear(&err);
	if (db_open(&db, srv.db, HR_DB_READONLY, &err) < 0)
		fail_msg("%s: %s", srv.db, err.msg);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		assert_int_equal(db_person_search_plan(db, kinds[i], plan,
		    sizeof plan, &err), 0);
		fprintf(stderr, "#   person search %zu: %s", i, plan);
		assert_null(strstr(plan, "SCAN"));
		/* A name is a range of person_oblasts' key (015). */
		assert_true(strstr(plan, "INDEX") != NULL ||
		    strstr(plan, "USING PRIMARY KEY") != NULL);
	}
	/* The back office's journal with its visible statuses and the
	 * intake filters: the kind index's ranges of its full packages
	 * (036_journal_kinds), merged in id order: the only sort is of the
	 * page's own rows. */
	memset(&jf, 0, sizeof jf);
	jf.scope_col = DB_SCOPE_SPSZN;
	jf.scope_id = 21;
	jf.status = -1;
	jf.limit = 20;
	jf.visible = (1u << HR_ST_AT_SPSZN) | (1u << HR_ST_CHECKED);
	jf.package = DB_PACKAGE_FULL;
	jf.created_from = 1;
	jf.created_to = INT64_MAX;
	assert_int_equal(db_journal_plan(db, &jf, plan, sizeof plan, &err), 0);
	fprintf(stderr, "#   journal: %s", plan);
	assert_true(strstr(plan, "TEMP B-TREE") == NULL ||
	    strstr(strstr(plan, "TEMP B-TREE") + 1, "TEMP B-TREE") == NULL);
	assert_non_null(strstr(plan, "applications_spszn"));
	db_close(db);
}

/*
 * A client that sends its requests without waiting for the replies (as
 * the uploader does): every one is answered and they run in the order
 * sent -- the writes that come while a commit is in flight are read
 * ahead and wait together, and a read behind them waits its turn
 * (srvd/conn.h, "Reading ahead").  A save's echo is read after its
 * COMMIT on a query thread (srvd/app_echo.h): the saves are still
 * acknowledged in the order sent, each with its own case, and the read
 * of each case is on disk with its save.  (With query_threads = 0,
 * tests/integration/loop-reads.sh, a read is answered on the loop at
 * once and may come before the held replies of the saves sent earlier.)
 */
#define PIPE_N 40

struct pipe_rec {
	struct tcall t;
	int          order;          /* 1, 2, ... as the replies came */
};
static int pipe_seq;

static void
pipe_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct pipe_rec *r = ud;

	r->order = ++pipe_seq;
	tcall_reply(&r->t, reply, err);
}

static int
pipe_all_done(const struct pipe_rec *r, int n)
{
	for (int i = 0; i < n; i++)
		if (!r[i].t.done)
			return 0;
	return 1;
}

static void
test_pipelined(void **state)
{
	struct hr_client *c = iu_login(&srv, "cnap");
	static struct pipe_rec r[PIPE_N];
	struct tapp_person p;
	struct hr_error err;
	double deadline = tclock_ms() + IU_CALL_MS;
	int64_t last = 0, saves = 0, saved_reads;
	int last_save = 0;
	static const char saved_sql[] = "SELECT count(*) FROM audit_log WHERE "
	    "action = 'application.read' AND detail LIKE '% (saved)' AND "
	    "id > ?";
	int64_t audit_from = iu_db_int(dbf, "SELECT coalesce(max(id), 0) FROM "
	    "audit_log WHERE id > ?", 0);

	(void)state;
	tapp_walk_start((uint64_t)time(NULL) * 4096);
	for (int i = 0; i < PIPE_N; i++) {
		msgpack_packer *pk;

		tcall_init(&r[i].t);
		if (i % 5 == 4) {          /* a read among the writes */
			pk = hr_client_begin(c, HR_M_APPLICATION_GET);
			msgpack_pack_map(pk, 1);
			hr_pack_kv_int(pk, "id", app_id);
		} else {
			tapp_next(&p);
			pk = hr_client_begin(c, HR_M_APPLICATION_SAVE);
			tapp_pack_save(pk, &p, "Конвеєренко");
		}
		assert_int_not_equal(hr_client_send(c, pipe_reply, &r[i]), 0);
	}
	hr_error_clear(&err);
	while (!pipe_all_done(r, PIPE_N) && tclock_ms() < deadline)
		if (tclient_pump(c, 50, &err))
			fail_msg("the connection closed: %s", err.msg);
	assert_true(pipe_all_done(r, PIPE_N));
	/* On disk with the last save's reply, not within the read window. */
	saved_reads = iu_db_int(dbf, saved_sql, audit_from);
	for (int i = 0; i < PIPE_N; i++) {
		const msgpack_object *res = tcall_result(&r[i].t), *rows;

		iu_expect(&r[i].t, HR_OK, i % 5 == 4 ? "application.get" :
		    "application.save");
		if (i % 5 == 4) {
			assert_true(tobj_is_str(tobj_get(iu_app(&r[i].t),
			    "reg_no"), app_reg_no));
			continue;
		}
		/* Created in the order sent; acknowledged in that order. */
		assert_true(tobj_int(tobj_get(res, "id"), 0) > last);
		last = tobj_int(tobj_get(res, "id"), 0);
		assert_true(r[i].order > last_save);
		last_save = r[i].order;
		/* Its echo: its own journal row and case. */
		rows = tobj_get(tobj_get(res, "journal"), "rows");
		assert_int_equal(iu_len(rows), 1);
		assert_int_equal(tobj_int(&rows->via.array.ptr[0].via.array.ptr[0],
		    0), last);
		assert_int_equal(tobj_int(tobj_get(tobj_get(tobj_get(res, "case"),
		    "application"), "id"), 0), last);
		assert_true(tobj_int(tobj_get(tobj_get(res, "case"), "etag"),
		    0) > 0);
		saves++;
		tcall_free(&r[i].t);
	}
	for (int i = 4; i < PIPE_N; i += 5)
		tcall_free(&r[i].t);
	assert_int_equal(saves, PIPE_N - PIPE_N / 5);
	assert_int_equal(saved_reads, saves);
	hr_client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reference, test_setup),
		cmocka_unit_test_setup(test_create_get_update, test_setup),
		cmocka_unit_test_setup(test_get_lean, test_setup),
		cmocka_unit_test_setup(test_identifier_audit, test_setup),
		cmocka_unit_test_setup(test_validators, test_setup),
		cmocka_unit_test_setup(test_duplicates, test_setup),
		cmocka_unit_test_setup(test_workflow, test_setup),
		cmocka_unit_test_setup(test_super_send, test_setup),
		cmocka_unit_test_setup(test_person_search, test_setup),
		cmocka_unit_test_setup(test_journal_filters, test_setup),
		cmocka_unit_test_setup(test_front_offices, test_setup),
		cmocka_unit_test_setup(test_login_revalidates, test_setup),
		cmocka_unit_test_setup(test_plans, test_setup),
		cmocka_unit_test_setup(test_pipelined, test_setup),
	};

	rnokpp_for(1930, 5, 5, 4321, HR_SEX_MALE, a_rnokpp);
	rnokpp_for(1931, 7, 9, 4322, HR_SEX_FEMALE, b_rnokpp);
	assert_int_equal(hr_unzr_make(&(struct hr_date){ 1930, 5, 5 }, 42,
	    a_unzr), 0);
	/* Day boundaries of the date filters: the same for server and test. */
	setenv("TZ", "UTC", 1);
	tzset();
	return IU_RUN("intake", tests, &srv, &dbf, 3 * TEST_SECS,
	    NULL);
}
