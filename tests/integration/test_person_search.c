/*
 * test_person_search.c — who may find and open whom (issue 10, point 3),
 * against a real hromadad on the demo database (users of Сумська область,
 * persons of Сумська and Вінницька).
 *
 *  - by name, a clerk finds only the persons of their oblast: registration
 *    or actual address there (an internally displaced person registered in
 *    Вінницька living in Глухів), or on an application there; a person
 *    only of Вінницька is not found;
 *  - by РНОКПП or document number the lookup is national; the list says
 *    only name, birth date and settlement;
 *  - person.get opens a person of another oblast only with the identifier
 *    they were found by; else, and for a person who does not exist, the
 *    same "person not found";
 *  - an РНОКПП typed with full-width digits or blanks is looked up as an
 *    РНОКПП and never written to the audit log in clear.
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

#include "db/applications.h"
#include "db/db.h"
#include "db/persons.h"
#include "db/users.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/taudit.h"

#define TEST_SECS 60
#define T_BEREZ_CNAP 23

static struct testsrv srv;
static sqlite3 *dbf;
static int64_t idp, applied, vin_only;
static char vin_rnokpp[16], vin_name[200], idp_rnokpp[16];

/* A person of Вінницька; with an actual address in Сумська when `act`. */
static int64_t
add_person(struct hr_db *db, const char *surname, int serial,
    const char *act, char rnokpp[16])
{
	struct hr_date b = { 1970, 3, 4 };
	struct db_person p = { 0 };
	struct hr_error err;
	int64_t id;

	hr_rnokpp_make(hr_date_to_days(&b), serial, HR_SEX_MALE, rnokpp);
	p.rnokpp = rnokpp;
	p.surname = surname;
	p.name = "Іван";
	p.patronymic = "Петрович";
	p.birth_date = "1970-03-04";
	p.sex = HR_SEX_MALE;
	p.reg_address = "с. Агрономічне, вул. Садова, 3, Вінницький р-н, "
	    "Вінницька обл.";
	p.act_address = act;
	hr_error_clear(&err);
	if (db_person_add(db, &p, &id, &err) < 0)
		fail_msg("%s: %s", surname, err.msg);
	return id;
}

static void
prepare(const char *path)
{
	struct db_application_new n = { 0 };
	struct hr_db *db = NULL;
	struct db_user admin;
	struct hr_error err;
	char rn[16];

	hr_error_clear(&err);
	if (db_open(&db, path, 0, &err) < 0 ||
	    db_user_by_name(db, "admin", &admin, &err) < 0 ||
	    db_begin(db, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	idp = add_person(db, "Переселенко", 4801, "м. Глухів, вул. Миру, 1, "
	    "Глухівський р-н, Сумська обл.", idp_rnokpp);
	applied = add_person(db, "Заявниченко", 4802, NULL, rn);
	vin_only = add_person(db, "Вінничук", 4803, NULL, vin_rnokpp);
	snprintf(vin_name, sizeof vin_name, "Вінничук Іван Петрович");
	n.front_office_id = T_BEREZ_CNAP;
	n.service_code = "low_income";
	n.applicant_id = applied;
	n.created_by = admin.id;
	if (db_application_add(db, &n, NULL, &err) < 0 ||
	    db_commit(db, &err) < 0)
		fail_msg("application: %s", err.msg);
	db_user_free(&admin);
	db_close(db);
}

static uint32_t
found(struct hr_client *c, const char *q, struct tcall *t)
{
	tcall_init(t);
	iu_person_search(c, q, 10, t);
	iu_expect(t, HR_OK, q);
	return iu_len(tobj_get(tcall_result(t), "items"));
}

/* By name: the oblast's persons only. */
static void
test_by_name_in_oblast(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	struct tcall t;

	(void)state;
	assert_int_equal(found(sta, "переселенко", &t), 1);  /* lives here */
	tcall_free(&t);
	assert_int_equal(found(sta, "Заявниченко", &t), 1);  /* applied here */
	tcall_free(&t);
	assert_int_equal(found(sta, vin_name, &t), 0);       /* only Вінницька */
	tcall_free(&t);
	assert_int_equal(found(sta, "вінничук", &t), 0);
	tcall_free(&t);
	hr_client_free(sta);
}

/* By identifier: national, and the list is minimal. */
static void
test_by_identifier_national(void **state)
{
	static const char *const keys[] = { "id", "surname", "name",
	    "patronymic", "birth_date", "settlement" };
	struct hr_client *sta = iu_login(&srv, "sta");
	const msgpack_object *it;
	struct tcall t;

	(void)state;
	assert_int_equal(found(sta, vin_rnokpp, &t), 1);
	it = &tobj_get(tcall_result(&t), "items")->via.array.ptr[0];
	assert_int_equal(it->type, MSGPACK_OBJECT_MAP);
	assert_int_equal(it->via.map.size, sizeof keys / sizeof keys[0]);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_non_null(tobj_get(it, keys[i]));
	assert_true(tobj_is_str(tobj_get(it, "settlement"), "с. Агрономічне"));
	assert_null(tobj_get(it, "rnokpp"));
	assert_null(tobj_get(it, "reg_address"));
	tcall_free(&t);
	/* The IDP's settlement is where they live. */
	assert_int_equal(found(sta, idp_rnokpp, &t), 1);
	it = &tobj_get(tcall_result(&t), "items")->via.array.ptr[0];
	assert_true(tobj_is_str(tobj_get(it, "settlement"), "м. Глухів"));
	tcall_free(&t);
	hr_client_free(sta);
}

static void
person_get(struct hr_client *c, int64_t id, const char *q, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_PERSON_GET);

	msgpack_pack_map(pk, 1 + (q != NULL));
	hr_pack_kv_int(pk, "id", id);
	if (q != NULL)
		hr_pack_kv_str(pk, "q", q);
	tcall_init(t);
	tcall_send_wait(c, t, IU_CALL_MS);
}

/* Opening: the oblast's persons, or with the identifier found by. */
static void
test_open(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	struct tcall a, b;

	(void)state;
	person_get(sta, idp, NULL, &a);
	iu_expect(&a, HR_OK, "a person living in the oblast");
	tcall_free(&a);
	person_get(sta, vin_only, NULL, &a);
	person_get(sta, (int64_t)1 << 40, NULL, &b);
	iu_expect(&a, HR_E_NOT_FOUND, "a person of another oblast");
	iu_expect(&b, HR_E_NOT_FOUND, "a person who does not exist");
	assert_string_equal(a.msg, b.msg);
	tcall_free(&a);
	tcall_free(&b);
	person_get(sta, vin_only, "1111111111", &a);
	iu_expect(&a, HR_E_NOT_FOUND, "another person's РНОКПП");
	tcall_free(&a);
	person_get(sta, vin_only, vin_rnokpp, &a);
	iu_expect(&a, HR_OK, "found by РНОКПП");
	tcall_free(&a);
	hr_client_free(sta);
}

/* An РНОКПП with full-width digits or blanks is an РНОКПП. */
static void
test_odd_digits(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	char wide[64], spaced[32], detail[512];
	int64_t before;
	struct tcall t;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 10; i++)         /* U+FF10.. = EF BC 90.. */
		n += (size_t)snprintf(wide + n, sizeof wide - n, "\xef\xbc%c",
		    (char)(0x90 + (vin_rnokpp[i] - '0')));
	snprintf(spaced, sizeof spaced, "%.4s %.3s %.3s", vin_rnokpp,
	    vin_rnokpp + 4, vin_rnokpp + 7);
	for (int k = 0; k < 2; k++) {
		before = taudit_last_id(dbf);
		assert_int_equal(found(sta, k ? spaced : wide, &t), 1);
		tcall_free(&t);
		/* A read's audit record is on disk within audit_read_window
		 * after its reply (PROTOCOL.md): wait for it. */
		taudit_next_detail(dbf, before, "person.search", detail,
		    sizeof detail);
		if (strstr(detail, "by РНОКПП") == NULL ||
		    strstr(detail, vin_rnokpp) != NULL ||
		    strstr(detail, k ? spaced : wide) != NULL)
			fail_msg("audited: %s", detail);
	}
	hr_client_free(sta);
}

/* A person of another oblast named by id in a save reads like none. */
static void
test_save_reach(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	struct iu_form f;
	struct tcall a, b;

	(void)state;
	memset(&f, 0, sizeof f);
	f.service = "one_time";
	f.applicant.id = vin_only;
	f.applicant.surname = "Вінничук";
	tcall_init(&a);
	iu_save(sta, &f, &a);
	f.applicant.id = (int64_t)1 << 40;
	tcall_init(&b);
	iu_save(sta, &f, &b);
	iu_expect(&a, HR_E_INVALID, "another oblast's person by id");
	iu_expect(&b, HR_E_INVALID, "a person who does not exist");
	assert_string_equal(a.msg, b.msg);
	assert_string_equal(a.msg, "applicant.id: person not found");
	tcall_free(&a);
	tcall_free(&b);
	/* With their РНОКПП (found by it) the form may take them. */
	f.applicant.id = vin_only;
	f.applicant.rnokpp = vin_rnokpp;
	tcall_init(&a);
	iu_save(sta, &f, &a);
	iu_expect(&a, HR_OK, "by id with the РНОКПП");
	tcall_free(&a);
	hr_client_free(sta);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name_in_oblast),
		cmocka_unit_test(test_by_identifier_national),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_odd_digits),
		cmocka_unit_test(test_save_reach),
	};

	return IU_RUN("person search and reach", tests, &srv, &dbf,
	    3 * TEST_SECS, prepare);
}
