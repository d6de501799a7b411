/*
 * test_app_copy.c — an application keeps what was sent (issue 10, point
 * 1), against a real hromadad on the demo database.
 *
 *  - the cross-hromada rewrite: a starosta clerk of Березівська saves a
 *    new application naming, by id, the applicant of Шалигинська's
 *    checked 00004/2026 with another registration address and no РНОКПП.
 *    00004/2026 keeps its version, history, copy of the applicant, and
 *    the *.DAT export writes what it was checked with; the base keeps the
 *    РНОКПП; the correction is in the new application's history;
 *  - a draft of the same person, in Шалигинська, is offered the new
 *    address when opened (application.get `base_changed`), field by field;
 *  - a key left out of a person map keeps the field, an empty РНОКПП is
 *    refused, the refusal mark is the only way to erase it, and a person
 *    without an РНОКПП needs the mark (a child with a birth certificate
 *    excepted);
 *  - every edit lists what it changed, old -> new, identifiers masked.
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

#include <sodium.h>

#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/tdat.h"

#define TEST_SECS 60
#define NEW_ADDR "с. Береза, вул. Нова, 1, Глухівський р-н, Сумська обл."

static struct testsrv srv;
static sqlite3 *dbf;

/* 00004/2026 of Шалигинська, checked, and its applicant. */
static int64_t checked_id, person_id;
static char old_addr[400], old_rnokpp[16];
/* The draft of the same person in Шалигинська, and sta's new one. */
static int64_t draft_id, sta_id;

/* ---- requests with exactly the keys a test wants ------------------------ */

/* A person map from "key", "value" pairs (NULL-terminated); "" is sent as
 * the empty string; a key "rnokpp_refused" sends true. */
static void
pack_person(msgpack_packer *pk, int64_t id, const char *const *kv)
{
	size_t n = id != 0;

	for (size_t i = 0; kv[i] != NULL; i += 2)
		n++;
	msgpack_pack_map(pk, n);
	if (id != 0)
		hr_pack_kv_int(pk, "id", id);
	for (size_t i = 0; kv[i] != NULL; i += 2) {
		hr_pack_str(pk, kv[i]);
		if (strcmp(kv[i], "rnokpp_refused") == 0)
			msgpack_pack_true(pk);
		else
			hr_pack_str(pk, kv[i + 1]);
	}
}

/* application.save {id?, version?, service, applicant, notes?}. */
static void
save(struct hr_client *c, int64_t id, const char *service, int64_t person,
    const char *const *kv, const char *notes, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_SAVE);

	msgpack_pack_map(pk, 2 + (id != 0) * 2 + (notes != NULL));
	if (id != 0) {
		hr_pack_kv_int(pk, "id", id);
		hr_pack_kv_int(pk, "version", iu_db_int(dbf, "SELECT version FROM "
		    "applications WHERE id = ?", id));
	}
	hr_pack_kv_str(pk, "service", service);
	hr_pack_str(pk, "applicant");
	pack_person(pk, person, kv);
	if (notes != NULL)
		hr_pack_kv_str(pk, "notes", notes);
	tcall_init(t);
	tcall_send_wait(c, t, IU_CALL_MS);
}

static char *
copy_text(int64_t app, const char *col)
{
	static char buf[2][512];
	static int k;
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT coalesce(%s, '(null)') FROM "
	    "application_persons WHERE application_id = ? AND ordinal = 0", col);
	k ^= 1;
	iu_db_text(dbf, sql, app, buf[k], sizeof buf[k]);
	return buf[k];
}

/*
 * The change of `field` in history row `row` (-1: the last one).  History
 * rows are arrays [at, user, from, to, comment, changes] (PROTOCOL.md
 * "application.get"), the changes the sixth element when there are any.
 */
static const msgpack_object *
history_change(const struct tcall *t, int row, const char *field)
{
	const msgpack_object *h = tobj_get(tcall_result(t), "history"), *r, *ch;

	if (iu_len(h) == 0)
		return NULL;
	if (row < 0)
		row = (int)iu_len(h) - 1;
	r = &h->via.array.ptr[row];
	if (r->type != MSGPACK_OBJECT_ARRAY || r->via.array.size < 6)
		return NULL;
	ch = &r->via.array.ptr[5];
	for (uint32_t i = 0; i < iu_len(ch); i++)
		if (tobj_is_str(tobj_get(&ch->via.array.ptr[i], "field"), field))
			return &ch->via.array.ptr[i];
	return NULL;
}

/* ---- the cross-hromada rewrite ------------------------------------------ */

struct snap {
	int64_t version, updated_at, history, changes;
	char    copy[2048];
};

static void
snap_take(int64_t app, struct snap *s)
{
	s->version = iu_db_int(dbf, "SELECT version FROM applications WHERE "
	    "id = ?", app);
	s->updated_at = iu_db_int(dbf, "SELECT updated_at FROM applications "
	    "WHERE id = ?", app);
	s->history = iu_db_int(dbf, "SELECT count(*) FROM application_history "
	    "WHERE application_id = ?", app);
	iu_db_text(dbf, "SELECT group_concat(ordinal || '|' || person_id || '|' "
	    "|| coalesce(rnokpp, '-') || '|' || surname || '|' || birth_date || "
	    "'|' || coalesce(doc_number, '-') || '|' || coalesce(reg_address, "
	    "'-') || '|' || coalesce(act_address, '-'), ';') FROM "
	    "application_persons WHERE application_id = ?", app, s->copy,
	    sizeof s->copy);
}

static void
test_cross_hromada(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta"),
	    *shal = iu_login(&srv, "supercnap2");
	const char *addr_only[] = { "reg_address", NEW_ADDR, NULL };
	const char *none[] = { NULL };
	struct snap before, after;
	struct tcall t;

	(void)state;
	checked_id = iu_db_int(dbf, "SELECT a.id FROM applications a JOIN "
	    "territories h ON h.id = a.hromada_id WHERE a.reg_no = '00004/2026' "
	    "AND h.name LIKE 'Шалигинська%' AND a.status = 'checked'", -1);
	assert_true(checked_id > 0);
	person_id = iu_db_int(dbf, "SELECT applicant_id FROM applications "
	    "WHERE id = ?", checked_id);
	iu_db_text(dbf, "SELECT reg_address FROM persons WHERE id = ?",
	    person_id, old_addr, sizeof old_addr);
	iu_db_text(dbf, "SELECT rnokpp FROM persons WHERE id = ?", person_id,
	    old_rnokpp, sizeof old_rnokpp);
	assert_int_equal(strlen(old_rnokpp), 10);
	snap_take(checked_id, &before);

	/* Шалигинська starts a draft for the same person, from the base. */
	save(shal, 0, "care_allowance", person_id, none, NULL, &t);
	iu_expect(&t, HR_OK, "the draft in Шалигинська");
	draft_id = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	tcall_free(&t);

	/* Березівська's starosta district names the person by id, leaves the
	 * РНОКПП out and sends another registration address. */
	save(sta, 0, "burial", person_id, addr_only, NULL, &t);
	iu_expect(&t, HR_OK, "the new application in Березівська");
	sta_id = tobj_int(tobj_get(tcall_result(&t), "id"), 0);
	tcall_free(&t);

	/* 00004/2026 is as the back office checked it. */
	snap_take(checked_id, &after);
	assert_int_equal(after.version, before.version);
	assert_int_equal(after.updated_at, before.updated_at);
	assert_int_equal(after.history, before.history);
	assert_string_equal(after.copy, before.copy);
	assert_string_equal(copy_text(checked_id, "rnokpp"), old_rnokpp);
	assert_string_equal(copy_text(checked_id, "reg_address"), old_addr);

	/* The base took the correction and kept the РНОКПП. */
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM persons WHERE "
	    "id = ? AND rnokpp IS NOT NULL", person_id), 1);
	{
		char a[400];

		iu_db_text(dbf, "SELECT reg_address FROM persons WHERE id = ?",
		    person_id, a, sizeof a);
		assert_string_equal(a, NEW_ADDR);
	}
	/* The new application carries the new address and says it changed
	 * it, old -> new. */
	assert_string_equal(copy_text(sta_id, "reg_address"), NEW_ADDR);
	assert_string_equal(copy_text(sta_id, "rnokpp"), old_rnokpp);
	iu_get(sta, sta_id, &t);
	iu_expect(&t, HR_OK, "sta reads its application");
	{
		const msgpack_object *c = history_change(&t, 0,
		    "applicant.reg_address");

		assert_non_null(c);
		assert_true(tobj_is_str(tobj_get(c, "old"), old_addr));
		assert_true(tobj_is_str(tobj_get(c, "new"), NEW_ADDR));
		assert_null(history_change(&t, 0, "applicant.rnokpp"));
	}
	tcall_free(&t);
	hr_client_free(sta);
	hr_client_free(shal);
}

/* What the back office reads and exports is what it checked. */
static void
test_checked_unchanged(void **state)
{
	struct hr_client *spszn = iu_login(&srv, "spszn");
	const msgpack_object *a, *d;
	struct tcall t;

	(void)state;
	tcall_init(&t);
	iu_get(spszn, checked_id, &t);
	iu_expect(&t, HR_OK, "spszn reads 00004/2026");
	a = tobj_get(iu_app(&t), "applicant");
	assert_true(tobj_is_str(tobj_get(a, "reg_address"), old_addr));
	assert_true(tobj_is_str(tobj_get(a, "rnokpp"), old_rnokpp));
	/* Not editable for the back office: nothing is offered. */
	assert_null(tobj_get(tcall_result(&t), "base_changed"));
	tcall_free(&t);

	tcall_init(&t);
	tdat_call_export(spszn, "asopd", &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "dat.export");
	d = tobj_get(tcall_result(&t), "data");
	assert_non_null(d);
	assert_int_equal(d->type, MSGPACK_OBJECT_BIN);
	assert_non_null(memmem(d->via.bin.ptr, d->via.bin.size, old_addr,
	    strlen(old_addr)));
	assert_non_null(memmem(d->via.bin.ptr, d->via.bin.size, old_rnokpp,
	    strlen(old_rnokpp)));
	assert_null(memmem(d->via.bin.ptr, d->via.bin.size, NEW_ADDR,
	    strlen(NEW_ADDR)));
	tcall_free(&t);
	hr_client_free(spszn);
}

/* The draft of the same person is offered the new data, field by field;
 * once saved, the offer is gone. */
static void
test_draft_offer(void **state)
{
	struct hr_client *shal = iu_login(&srv, "supercnap2");
	const msgpack_object *bc, *e, *fields;
	const char *take[] = { "reg_address", NEW_ADDR, NULL };
	struct tcall t;

	(void)state;
	tcall_init(&t);
	iu_get(shal, draft_id, &t);
	iu_expect(&t, HR_OK, "the draft in Шалигинська");
	/* The draft still carries what it was saved with. */
	assert_true(tobj_is_str(tobj_get(tobj_get(iu_app(&t), "applicant"),
	    "reg_address"), old_addr));
	bc = tobj_get(tcall_result(&t), "base_changed");
	assert_int_equal(iu_len(bc), 1);
	e = &bc->via.array.ptr[0];
	assert_true(tobj_is_str(tobj_get(e, "person"), "applicant"));
	assert_int_equal(tobj_int(tobj_get(e, "id"), 0), person_id);
	fields = tobj_get(e, "fields");
	assert_int_equal(iu_len(fields), 1);
	assert_true(tobj_is_str(tobj_get(&fields->via.array.ptr[0], "field"),
	    "reg_address"));
	assert_true(tobj_is_str(tobj_get(&fields->via.array.ptr[0],
	    "application"), old_addr));
	assert_true(tobj_is_str(tobj_get(&fields->via.array.ptr[0], "base"),
	    NEW_ADDR));
	tcall_free(&t);

	/* Taken and saved: the draft has it and nothing is offered again. */
	save(shal, draft_id, "care_allowance", person_id, take, NULL, &t);
	iu_expect(&t, HR_OK, "take the new address");
	tcall_free(&t);
	assert_string_equal(copy_text(draft_id, "reg_address"), NEW_ADDR);
	iu_get(shal, draft_id, &t);
	iu_expect(&t, HR_OK, "the draft again");
	assert_null(tobj_get(tcall_result(&t), "base_changed"));
	tcall_free(&t);
	hr_client_free(shal);
}

/* ---- what a person map means ---------------------------------------------- */

static void
test_left_out_keeps(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	const char *none[] = { NULL };
	const char *erase[] = { "rnokpp", "", NULL };
	const char *mark[] = { "rnokpp_refused", "", NULL };
	const char *act[] = { "act_address", "м. Глухів, вул. Шевченка, 2",
	    NULL };
	const char *clear_act[] = { "act_address", "", NULL };
	int64_t v;
	struct tcall t;

	(void)state;
	/* Only the id: every field is kept, in the copy and in the base. */
	v = iu_db_int(dbf, "SELECT version FROM persons WHERE id = ?", person_id);
	save(sta, sta_id, "burial", person_id, none, NULL, &t);
	iu_expect(&t, HR_OK, "a person map with the id only");
	tcall_free(&t);
	assert_string_equal(copy_text(sta_id, "rnokpp"), old_rnokpp);
	assert_string_equal(copy_text(sta_id, "reg_address"), NEW_ADDR);
	assert_int_equal(iu_db_int(dbf, "SELECT version FROM persons WHERE id "
	    "= ?", person_id), v);

	/* An empty РНОКПП does not erase it. */
	v = iu_db_int(dbf, "SELECT version FROM applications WHERE id = ?",
	    sta_id);
	save(sta, sta_id, "burial", person_id, erase, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "an empty РНОКПП");
	assert_non_null(strstr(t.msg, "applicant.rnokpp: cannot be erased"));
	tcall_free(&t);
	assert_int_equal(iu_db_int(dbf, "SELECT version FROM applications "
	    "WHERE id = ?", sta_id), v);
	assert_string_equal(copy_text(sta_id, "rnokpp"), old_rnokpp);

	/* An empty string clears an optional field; left out keeps it. */
	save(sta, sta_id, "burial", person_id, act, NULL, &t);
	iu_expect(&t, HR_OK, "an actual address");
	tcall_free(&t);
	save(sta, sta_id, "burial", person_id, none, NULL, &t);
	iu_expect(&t, HR_OK, "kept");
	tcall_free(&t);
	assert_string_equal(copy_text(sta_id, "act_address"),
	    "м. Глухів, вул. Шевченка, 2");
	save(sta, sta_id, "burial", person_id, clear_act, NULL, &t);
	iu_expect(&t, HR_OK, "cleared");
	tcall_free(&t);
	assert_string_equal(copy_text(sta_id, "act_address"), "(null)");

	/* The refusal mark erases it (the person has an ID card). */
	save(sta, sta_id, "burial", person_id, mark, NULL, &t);
	iu_expect(&t, HR_OK, "the refusal mark");
	tcall_free(&t);
	assert_string_equal(copy_text(sta_id, "rnokpp"), "(null)");
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM persons WHERE id "
	    "= ? AND rnokpp IS NULL AND rnokpp_refused = 1", person_id), 1);
	/* ... and the checked application still has it. */
	assert_string_equal(copy_text(checked_id, "rnokpp"), old_rnokpp);
	hr_client_free(sta);
}

/* Without an РНОКПП a person needs the refusal mark; a child with a birth
 * certificate may have none yet. */
static void
test_rnokpp_required(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	const char *adult[] = { "surname", "Безномерний", "name", "Іван",
	    "birth_date", "1970-03-04", "sex", "M", "doc_type", "passport",
	    "doc_number", "ЖЖ120001", NULL };
	const char *child[] = { "surname", "Безномерна", "name", "Ганна",
	    "birth_date", "2024-03-04", "sex", "F", "doc_type", "birth_cert",
	    "doc_number", "I-ЖЖ120002", NULL };
	int64_t persons = iu_db_int(dbf, "SELECT count(*) FROM persons", -1);
	struct tcall t;

	(void)state;
	save(sta, 0, "one_time", 0, adult, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "an adult without an РНОКПП");
	assert_non_null(strstr(t.msg, "applicant.rnokpp: is required"));
	tcall_free(&t);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM persons", -1),
	    persons);
	save(sta, 0, "birth", 0, child, NULL, &t);
	iu_expect(&t, HR_OK, "a child with a birth certificate");
	tcall_free(&t);
	hr_client_free(sta);
}

/* Every edit lists the fields it changed; identifiers masked. */
static void
test_edit_changes(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	const msgpack_object *c;
	char masked[16];
	struct tcall t;

	(void)state;
	save(sta, sta_id, "burial", person_id, (const char *[]){ NULL },
	    "перша примітка", &t);
	iu_expect(&t, HR_OK, "notes");
	tcall_free(&t);
	iu_get(sta, sta_id, &t);
	iu_expect(&t, HR_OK, "get");
	c = history_change(&t, -1, "notes");
	assert_non_null(c);
	assert_true(tobj_get(c, "old")->type == MSGPACK_OBJECT_NIL);
	assert_true(tobj_is_str(tobj_get(c, "new"), "перша примітка"));
	/* The history row of the refusal mark, two edits back, masked. */
	{
		const msgpack_object *h = tobj_get(tcall_result(&t), "history");
		int row = (int)iu_len(h) - 2;

		c = history_change(&t, row, "applicant.rnokpp");
		assert_non_null(c);
		snprintf(masked, sizeof masked, "…%s", old_rnokpp + 6);
		assert_true(tobj_is_str(tobj_get(c, "old"), masked));
		assert_true(tobj_get(c, "new")->type == MSGPACK_OBJECT_NIL);
		c = history_change(&t, row, "applicant.rnokpp_refused");
		assert_non_null(c);
		assert_true(tobj_is_str(tobj_get(c, "new"), "true"));
	}
	tcall_free(&t);
	/* Nothing in the audit log or the history has the number in clear. */
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
	    "application_changes WHERE instr(coalesce(old, '') || "
	    "coalesce(new, ''), (SELECT rnokpp FROM application_persons WHERE "
	    "application_id = ? AND ordinal = 0)) > 0", checked_id), 0);
	hr_client_free(sta);
}

/* PROTOCOL.md's messages as a client meets them (issue 10, point 4). */
static void
test_messages(void **state)
{
	struct hr_client *sta = iu_login(&srv, "sta");
	const char *too_long[] = { "rnokpp", "36525045751234567", NULL };
	struct iu_form f;
	struct tcall t;

	(void)state;
	save(sta, sta_id, "burial", person_id, too_long, NULL, &t);
	iu_expect(&t, HR_E_INVALID, "a too long РНОКПП");
	assert_string_equal(t.msg, "applicant.rnokpp: is too long (17, at most "
	    "16)");
	tcall_free(&t);
	/* A NUL byte is named as such, not as bad UTF-8. */
	{
		msgpack_packer *pk = hr_client_begin(sta, HR_M_APPLICATION_SAVE);

		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "service", "burial");
		hr_pack_str(pk, "applicant");
		msgpack_pack_map(pk, 1);
		hr_pack_str(pk, "surname");
		msgpack_pack_str(pk, 3);
		msgpack_pack_str_body(pk, "a\0b", 3);
		tcall_init(&t);
		tcall_send_wait(sta, &t, IU_CALL_MS);
	}
	iu_expect(&t, HR_E_INVALID, "a NUL byte");
	assert_string_equal(t.msg, "applicant.surname: must not contain a NUL "
	    "byte");
	tcall_free(&t);
	/* An income row of member 1 on an application without a family. */
	memset(&f, 0, sizeof f);
	f.service = "one_time";
	f.applicant.id = person_id;
	f.income[0] = (struct iu_income){ 1, "salary", "2026-01-01",
	    "2026-03-31", 100 };
	f.nincome = 1;
	tcall_init(&t);
	iu_save(sta, &f, &t);
	iu_expect(&t, HR_E_INVALID, "member 1 without a family");
	assert_string_equal(t.msg, "income[1].member: 1 is not on the "
	    "application (0 = the applicant; there are no family members)");
	tcall_free(&t);
	hr_client_free(sta);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cross_hromada),
		cmocka_unit_test(test_checked_unchanged),
		cmocka_unit_test(test_draft_offer),
		cmocka_unit_test(test_left_out_keeps),
		cmocka_unit_test(test_rnokpp_required),
		cmocka_unit_test(test_edit_changes),
		cmocka_unit_test(test_messages),
	};

	return IU_RUN("an application keeps what was sent", tests, &srv, &dbf,
	    3 * TEST_SECS, NULL);
}
