/*
 * intake_util.h — what the integration tests of the methods share
 * (test_intake, test_authz_matrix, test_app_copy, test_person_search,
 * test_reports, ...): one server for a program's tests, logging in as a
 * demo user, packing application.save forms, calling the intake
 * methods, and looking into the test server's database file directly (a
 * second, read-mostly connection: WAL lets it read while hromadad runs).
 *
 * Every helper that talks to the server waits at most IU_CALL_MS.
 */
#ifndef HR_TEST_INTAKE_UTIL_H
#define HR_TEST_INTAKE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>
#include <sqlite3.h>

#include "proto/client.h"
#include "tests/lib/tclient.h"
#include "tests/lib/testsrv.h"

#define IU_CALL_MS 10000

/* A test server on a demo database with its file opened for reading
 * (the group set-up of the intake tests; watchdog `secs`).  -1, said on
 * stderr, when it cannot start. */
int  iu_server_start(struct testsrv *s, sqlite3 **db, int secs);
/* The same, with `prepare` writing into the database file (its path) after
 * the demo data and before the server starts; NULL: nothing. */
int  iu_server_start_with(struct testsrv *s, sqlite3 **db, int secs,
    void (*prepare)(const char *path));
/* Close the file and stop the server cleanly (-1 if it did not). */
int  iu_server_stop(struct testsrv *s, sqlite3 *db);

/*
 * The main of a test program whose tests share one server: run `tests`
 * as the group `name` around iu_server_start_with(srv, db, secs,
 * prepare), libsodium initialised and SIGPIPE ignored.  The exit status:
 * 0 all passed, 1 not, 99 no libsodium.  IU_RUN counts the array.
 */
struct CMUnitTest;
int  iu_run(const char *name, const struct CMUnitTest *tests, size_t n,
    struct testsrv *srv, sqlite3 **db, int secs,
    void (*prepare)(const char *path));
#define IU_RUN(name, tests, srv, db, secs, prepare) \
	iu_run((name), (tests), sizeof (tests) / sizeof (tests)[0], (srv), (db), \
	    (secs), (prepare))

/* Connect and log in as demo user `user` (password demo-USER-2026); the
 * test fails if that does not work. */
struct hr_client *iu_login(const struct testsrv *s, const char *user);

/* Fail the test unless t ended with `code`. */
void iu_expect(const struct tcall *t, int code, const char *what);

/* A person map of application.save; NULL fields are left out. */
struct iu_person {
	int64_t     id;
	const char *rnokpp;
	int         refused;
	const char *surname, *name, *patronymic, *birth_date, *sex;
	const char *unzr, *doc_type, *doc_number, *reg_address, *phone;
};

struct iu_income {
	int         member;
	const char *type, *from, *to;
	int64_t     amount;
};

#define IU_MAX 8

/* The whole form; id 0 creates. */
struct iu_form {
	int64_t          id, version;
	const char      *service;
	struct iu_person applicant;
	const char      *relation[IU_MAX];
	struct iu_person family[IU_MAX];
	int              nfamily;
	struct iu_income income[IU_MAX];
	int              nincome;
	const char      *pay_method, *iban, *post_office;
	const char      *phone, *notes;
};

int iu_save(struct hr_client *c, const struct iu_form *f, struct tcall *t);
int iu_get(struct hr_client *c, int64_t id, struct tcall *t);
/* application.transition with partial: true (a partial package is sent). */
int iu_transition(struct hr_client *c, int64_t id, int64_t version,
    const char *action, const char *reason, struct tcall *t);
int iu_person_get(struct hr_client *c, int64_t id, struct tcall *t);
/* Any method whose params are {id}. */
int iu_call_id(struct hr_client *c, const char *method, int64_t id,
    struct tcall *t);
int iu_person_search(struct hr_client *c, const char *q, int limit,
    struct tcall *t);
/* application.print {id, document}; application.notify {id, version,
 * how}. */
int iu_print(struct hr_client *c, int64_t id, const char *document,
    struct tcall *t);
int iu_notify(struct hr_client *c, int64_t id, int64_t version,
    const char *how, struct tcall *t);
/* application.batch {action, ids, versions[, reason][, partial: true]}. */
int iu_batch(struct hr_client *c, const char *action, const int64_t *ids,
    const int64_t *versions, size_t n, const char *reason, int partial,
    struct tcall *t);
/* journal.list {front_office, limit} (front_office 0: none). */
int iu_journal(struct hr_client *c, int64_t front_office, struct tcall *t);

/* result.application, or NULL */
const msgpack_object *iu_app(const struct tcall *t);
/* Length of an array value (0 if not an array). */
uint32_t iu_len(const msgpack_object *o);
/* Is the string s an element of array o? */
int iu_has_str(const msgpack_object *o, const char *s);

/* ---- the database file ---- */

sqlite3 *iu_db_open(const struct testsrv *s);
/* One integer from a query with one optional int64 parameter (-1: none). */
int64_t iu_db_int(sqlite3 *db, const char *sql, int64_t param);
/* One text value into out ("" if none). */
void iu_db_text(sqlite3 *db, const char *sql, int64_t param, char *out,
    size_t cap);

#endif
