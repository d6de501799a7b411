/*
 * intake_util.c — helpers of the intake integration tests (intake_util.h).
 *
 * Alike on purpose: the iu_* calls are one-line wrappers of the methods,
 * each packing its method's params (iu_call_id for those taking only an
 * id) as the method's schema names them; the forms' packers (pack_person,
 * pack_income, ...) follow the form's fields one by one, as
 * srvd/method_report_get.c's packers follow their rows'.
 */
#include "tests/integration/intake_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "proto/method_names.h"
#include "proto/rpc.h"

int
iu_server_start_with(struct testsrv *s, sqlite3 **db, int secs,
    void (*prepare)(const char *path))
{
	struct hr_error err;

	testsrv_watchdog(secs);
	hr_error_clear(&err);
	if (testsrv_prepare(s, &err) != 0) {
		fprintf(stderr, "cannot prepare the database: %s\n", err.msg);
		testsrv_free(s);
		return -1;
	}
	if (prepare != NULL)
		prepare(s->db);
	if (testsrv_launch(s, 20000, &err) != 0) {
		fprintf(stderr, "cannot start hromadad: %s\n", err.msg);
		testsrv_dump_log(s, stderr, 3000);
		testsrv_free(s);
		return -1;
	}
	*db = iu_db_open(s);
	return 0;
}

int
iu_server_start(struct testsrv *s, sqlite3 **db, int secs)
{
	return iu_server_start_with(s, db, secs, NULL);
}

int
iu_server_stop(struct testsrv *s, sqlite3 *db)
{
	struct hr_error err;

	sqlite3_close(db);
	hr_error_clear(&err);
	return testsrv_finish(s, "hromadad did not stop cleanly", &err);
}

/* The group of iu_run: one a test program. */
static struct {
	struct testsrv *srv;
	sqlite3       **db;
	int             secs;
	void          (*prepare)(const char *path);
} iu_group;

static int
iu_group_setup(void **state)
{
	(void)state;
	return iu_server_start_with(iu_group.srv, iu_group.db, iu_group.secs,
	    iu_group.prepare);
}

static int
iu_group_teardown(void **state)
{
	(void)state;
	return iu_server_stop(iu_group.srv, *iu_group.db);
}

int
iu_run(const char *name, const struct CMUnitTest *tests, size_t n,
    struct testsrv *srv, sqlite3 **db, int secs,
    void (*prepare)(const char *path))
{
	iu_group.srv = srv;
	iu_group.db = db;
	iu_group.secs = secs;
	iu_group.prepare = prepare;
	if (sodium_init() < 0)
		return 99;
	signal(SIGPIPE, SIG_IGN);
	return _cmocka_run_group_tests(name, tests, n, iu_group_setup,
	    iu_group_teardown) == 0 ? 0 : 1;
}

struct hr_client *
iu_login(const struct testsrv *s, const char *user)
{
	struct hr_error err;
	struct hr_client *c;
	struct tcall t;
	char pw[64];

	hr_error_clear(&err);
	if ((c = tclient_open(s->addr, s->pk, IU_CALL_MS, &err)) == NULL)
		fail_msg("connect %s: %s", s->addr, err.msg);
	snprintf(pw, sizeof pw, "demo-%s-2026", user);
	tcall_init(&t);
	tcall_login(c, user, pw, &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, user);
	tcall_free(&t);
	return c;
}

void
iu_expect(const struct tcall *t, int code, const char *what)
{
	if (t->code != code)
		fail_msg("%s: expected %s, got %s: %s", what, hr_error_name(code),
		    hr_error_name(t->code), t->msg);
}

/* ---- packing ---------------------------------------------------------- */

static void
kv(msgpack_packer *pk, const char *k, const char *v)
{
	if (v != NULL)
		hr_pack_kv_str(pk, k, v);
}

static void
pack_person(msgpack_packer *pk, const struct iu_person *p)
{
	const char *f[][2] = {
		{ "rnokpp", p->rnokpp }, { "surname", p->surname },
		{ "name", p->name }, { "patronymic", p->patronymic },
		{ "birth_date", p->birth_date }, { "sex", p->sex },
		{ "unzr", p->unzr }, { "doc_type", p->doc_type },
		{ "doc_number", p->doc_number }, { "reg_address", p->reg_address },
		{ "phone", p->phone },
	};
	size_t n = (p->id != 0) + (p->refused != 0);

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		n += f[i][1] != NULL;
	msgpack_pack_map(pk, n);
	if (p->id != 0)
		hr_pack_kv_int(pk, "id", p->id);
	if (p->refused) {
		hr_pack_str(pk, "rnokpp_refused");
		msgpack_pack_true(pk);
	}
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		kv(pk, f[i][0], f[i][1]);
}

static void
pack_family(msgpack_packer *pk, const struct iu_form *f)
{
	hr_pack_str(pk, "family");
	msgpack_pack_array(pk, (size_t)f->nfamily);
	for (int i = 0; i < f->nfamily; i++) {
		msgpack_pack_map(pk, 2);
		hr_pack_kv_str(pk, "relation", f->relation[i]);
		hr_pack_str(pk, "person");
		pack_person(pk, &f->family[i]);
	}
}

static void
pack_income(msgpack_packer *pk, const struct iu_form *f)
{
	hr_pack_str(pk, "income");
	msgpack_pack_array(pk, (size_t)f->nincome);
	for (int i = 0; i < f->nincome; i++) {
		const struct iu_income *r = &f->income[i];

		msgpack_pack_map(pk, 5);
		hr_pack_kv_int(pk, "member", r->member);
		hr_pack_kv_str(pk, "type", r->type);
		hr_pack_kv_str(pk, "period_from", r->from);
		hr_pack_kv_str(pk, "period_to", r->to);
		hr_pack_kv_int(pk, "amount", r->amount);
	}
}

static void
pack_payment(msgpack_packer *pk, const struct iu_form *f)
{
	hr_pack_str(pk, "payment");
	msgpack_pack_map(pk, 1 + (f->iban != NULL) + (f->post_office != NULL));
	hr_pack_kv_str(pk, "method", f->pay_method);
	kv(pk, "iban", f->iban);
	kv(pk, "post_office", f->post_office);
}

int
iu_save(struct hr_client *c, const struct iu_form *f, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_SAVE);
	size_t n = 2 + (f->id != 0) * 2 + (f->nfamily > 0) + (f->nincome > 0) +
	    (f->pay_method != NULL) + (f->phone != NULL) + (f->notes != NULL);

	msgpack_pack_map(pk, n);
	if (f->id != 0) {
		hr_pack_kv_int(pk, "id", f->id);
		hr_pack_kv_int(pk, "version", f->version);
	}
	hr_pack_kv_str(pk, "service", f->service);
	hr_pack_str(pk, "applicant");
	pack_person(pk, &f->applicant);
	if (f->nfamily > 0)
		pack_family(pk, f);
	if (f->nincome > 0)
		pack_income(pk, f);
	if (f->pay_method != NULL)
		pack_payment(pk, f);
	kv(pk, "phone", f->phone);
	kv(pk, "notes", f->notes);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_call_id(struct hr_client *c, const char *method, int64_t id,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, method);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "id", id);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_get(struct hr_client *c, int64_t id, struct tcall *t)
{
	return iu_call_id(c, HR_M_APPLICATION_GET, id, t);
}

int
iu_print(struct hr_client *c, int64_t id, const char *document,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_PRINT);

	msgpack_pack_map(pk, 2);
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_str(pk, "document", document);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_notify(struct hr_client *c, int64_t id, int64_t version, const char *how,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_NOTIFY);

	msgpack_pack_map(pk, 3);
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_int(pk, "version", version);
	hr_pack_kv_str(pk, "how", how);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_person_get(struct hr_client *c, int64_t id, struct tcall *t)
{
	return iu_call_id(c, HR_M_PERSON_GET, id, t);
}

int
iu_transition(struct hr_client *c, int64_t id, int64_t version,
    const char *action, const char *reason, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_TRANSITION);

	/* These tests move applications without scans: a partial package is
	 * confirmed (test_upload checks the confirmation itself). */
	msgpack_pack_map(pk, 4 + (reason != NULL));
	hr_pack_kv_int(pk, "id", id);
	hr_pack_kv_int(pk, "version", version);
	hr_pack_kv_str(pk, "action", action);
	hr_pack_kv_bool(pk, "partial", 1);
	kv(pk, "reason", reason);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_person_search(struct hr_client *c, const char *q, int limit,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_PERSON_SEARCH);

	msgpack_pack_map(pk, 1 + (limit > 0));
	hr_pack_kv_str(pk, "q", q);
	if (limit > 0)
		hr_pack_kv_int(pk, "limit", limit);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_batch(struct hr_client *c, const char *action, const int64_t *ids,
    const int64_t *versions, size_t n, const char *reason, int partial,
    struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_APPLICATION_BATCH);

	msgpack_pack_map(pk, 3 + (reason != NULL) + (partial != 0));
	hr_pack_kv_str(pk, "action", action);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, ids[i]);
	hr_pack_str(pk, "versions");
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, versions[i]);
	kv(pk, "reason", reason);
	if (partial)
		hr_pack_kv_bool(pk, "partial", 1);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

int
iu_journal(struct hr_client *c, int64_t front_office, struct tcall *t)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_JOURNAL_LIST);

	msgpack_pack_map(pk, 1 + (front_office != 0));
	hr_pack_kv_int(pk, "limit", 100);
	if (front_office != 0)
		hr_pack_kv_int(pk, "front_office", front_office);
	return tcall_send_wait(c, t, IU_CALL_MS);
}

const msgpack_object *
iu_app(const struct tcall *t)
{
	return tobj_get(tcall_result(t), "application");
}

uint32_t
iu_len(const msgpack_object *o)
{
	return o != NULL && o->type == MSGPACK_OBJECT_ARRAY ? o->via.array.size : 0;
}

int
iu_has_str(const msgpack_object *o, const char *s)
{
	for (uint32_t i = 0; i < iu_len(o); i++)
		if (tobj_is_str(&o->via.array.ptr[i], s))
			return 1;
	return 0;
}

/* ---- the database file ------------------------------------------------ */

sqlite3 *
iu_db_open(const struct testsrv *s)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(s->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("open %s: %s", s->db, db ? sqlite3_errmsg(db) : "?");
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static sqlite3_stmt *
db_query(sqlite3 *db, const char *sql, int64_t param)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (param >= 0)
		sqlite3_bind_int64(st, 1, param);
	return st;
}

int64_t
iu_db_int(sqlite3 *db, const char *sql, int64_t param)
{
	sqlite3_stmt *st = db_query(db, sql, param);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;

	sqlite3_finalize(st);
	return v;
}

void
iu_db_text(sqlite3 *db, const char *sql, int64_t param, char *out, size_t cap)
{
	sqlite3_stmt *st = db_query(db, sql, param);
	const unsigned char *s = sqlite3_step(st) == SQLITE_ROW ?
	    sqlite3_column_text(st, 0) : NULL;

	snprintf(out, cap, "%s", s ? (const char *)s : "");
	sqlite3_finalize(st);
}
