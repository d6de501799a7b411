/*
 * test_notices.c — automatic notices through hromadad.conf's
 * notify_command, against a real hromadad (srvd/notices.h).
 *
 * The command is a script in the test's directory: it appends what it got
 * (environment and standard input) to a file and answers by the phone
 * number — "...0000" refuses (exit 3), "...9999" hangs past notify_timeout
 * (5 s, generous for a loaded machine), any other is accepted.  A notice
 * "sending" when the server starts stands for one a stopped server left.  The back office exports its
 * checked applications and imports their decisions; then:
 *   - each decision with a phone gets one notice; the accepted ones are
 *     sent, count as the applicant told by SMS, and say so in the history;
 *   - the refused one and the hung one fail with the exit status and the
 *     command's words, and with the timeout; the left-over one fails as
 *     "outcome unknown" — none of them runs twice;
 *   - the command got the message (number, decision, the front office's
 *     phone) on stdin and HROMADA_PHONE, HROMADA_REG_NO,
 *     HROMADA_APPLICATION, HROMADA_DECISION in its environment;
 *   - while the hung command runs, the server answers at once.
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
#include <sys/stat.h>
#include <unistd.h>

#include "db/contacts.h"
#include "db/db.h"
#include "db/notify.h"
#include "db/users.h"
#include "proto/dat.h"
#include "proto/method_names.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/tdat.h"

#define WAIT_MS 30000

static struct testsrv srv;
static sqlite3 *dbf;
static char conf[TESTSRV_PATH_MAX + 32], got[TESTSRV_PATH_MAX + 32];
static int64_t orphan_app;

static void
write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, (mode_t)mode), 0);
}

/* The command, the configuration, a left-over notice, the contacts. */
static void
prepare(void)
{
	char script[TESTSRV_PATH_MAX + 32], text[2048];
	struct hr_db *db = NULL;
	struct db_user u;
	struct db_contacts c = { NULL, "+380544212345", NULL, NULL };
	struct hr_error err;

	snprintf(script, sizeof script, "%s/notify.sh", srv.dir);
	snprintf(got, sizeof got, "%s/got.txt", srv.dir);
	snprintf(text, sizeof text, "#!/bin/sh\n"
	    "{ echo \"== $HROMADA_PHONE $HROMADA_REG_NO $HROMADA_APPLICATION "
	    "$HROMADA_DECISION\"; cat; } >>'%s'\n"
	    "case \"$HROMADA_PHONE\" in\n"
	    "*0000) echo 'gateway: number refused'; exit 3 ;;\n"
	    "*9999) exec sleep 30 ;;\n"
	    "esac\n"
	    "echo \"queued id $HROMADA_APPLICATION\"\n", got);
	write_file(script, text, 0755);
	snprintf(conf, sizeof conf, "%s/hromadad.conf", srv.dir);
	snprintf(text, sizeof text, "notify_command = %s\nnotify_timeout = 5s\n"
	    "user = root\n",
	    script);
	write_file(conf, text, 0644);

	hr_error_clear(&err);
	if (db_open(&db, srv.db, 0, &err) < 0 ||
	    db_user_by_name(db, "spszn", &u, &err) < 0 ||
	    db_contacts_set(db, 23, &c, &err) < 0)
		fail_msg("%s", err.msg);
	/* a notice a stopped server left "sending" */
	orphan_app = iu_db_int(dbf, "SELECT min(id) FROM applications WHERE "
	    "status = 'answered' AND spszn_id = ?", u.territory_id);
	if (db_notice_add(db, orphan_app, u.id, "+380670000001", "left over\n",
	    &err) < 0 || db_exec(db, "UPDATE notices SET state = 'sending'",
	    "leave a notice sending", &err) < 0)
		fail_msg("%s", err.msg);
	db_user_free(&u);
	db_close(db);
}

static int
setup(void **state)
{
	struct hr_error err;

	(void)state;
	hr_error_clear(&err);
	if (testsrv_prepare(&srv, &err) < 0)
		fail_msg("prepare: %s", err.msg);
	dbf = iu_db_open(&srv);
	prepare();
	setenv("TESTSRV_CONFIG", conf, 1);
	if (testsrv_launch(&srv, 20000, &err) < 0)
		fail_msg("launch: %s", err.msg);
	unsetenv("TESTSRV_CONFIG");
	return 0;
}

static int
teardown(void **state)
{
	struct hr_error err;

	(void)state;
	sqlite3_close(dbf);
	return testsrv_finish(&srv, "hromadad", &err) < 0 ? -1 : 0;
}

/* ---- the exchange ---- */

struct exported {
	int64_t ids[64];
	char    reg[64][24];
	size_t  n;
	char    office[HR_DAT_OFFICE_MAX];
};

static void
export_checked(struct hr_client *c, struct exported *ex)
{
	struct tcall t;
	const msgpack_object *data;
	struct hr_dat d;
	struct hr_error err;

	tcall_init(&t);
	tdat_call_export(c, "asopd", &t, IU_CALL_MS);
	iu_expect(&t, HR_OK, "export");
	data = tobj_get(tcall_result(&t), "data");
	assert_non_null(data);
	if (hr_dat_parse(data->via.bin.ptr, data->via.bin.size, &d, &err) != 0)
		fail_msg("export: %s", err.msg);
	snprintf(ex->office, sizeof ex->office, "%s", d.hdr.office);
	ex->n = d.hdr.count < 64 ? d.hdr.count : 64;
	for (size_t i = 0; i < ex->n; i++) {
		ex->ids[i] = d.apps[i].id;
		snprintf(ex->reg[i], sizeof ex->reg[i], "%s", d.apps[i].reg_no);
	}
	hr_dat_free(&d);
	tcall_free(&t);
}

static void
import_answers(struct hr_client *c, const struct exported *ex)
{
	struct hr_dat_answer a[64];
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_ANSWER,
	    HR_DAT_UTF8, "asopd", 1, "", 1718000000, 0 } };
	struct hr_error err;
	struct tcall t;

	snprintf(d.hdr.office, sizeof d.hdr.office, "%s", ex->office);
	for (size_t i = 0; i < ex->n; i++)
		a[i] = (struct hr_dat_answer){ ex->ids[i], ex->reg[i],
		    HR_DEC_ASSIGNED, 1, 123456, "2027-01-01", "2027-06-30", "",
		    0 };
	d.hdr.count = (uint32_t)ex->n;
	d.answers = a;
	tcall_init(&t);
	if (tdat_import_dat(c, &d, &t, IU_CALL_MS, &err) < 0)
		fail_msg("answer: %s", err.msg);
	iu_expect(&t, HR_OK, "import");
	tcall_free(&t);
}

static int64_t
open_notices(void)
{
	return iu_db_int(dbf, "SELECT count(*) FROM notices WHERE state IN "
	    "('pending', 'sending')", -1);
}

static void
notice_of(int64_t app, char *state, size_t scap, char *outcome, size_t ocap)
{
	iu_db_text(dbf, "SELECT state FROM notices WHERE application_id = ? "
	    "ORDER BY id DESC LIMIT 1", app, state, scap);
	iu_db_text(dbf, "SELECT coalesce(outcome, '') FROM notices WHERE "
	    "application_id = ? ORDER BY id DESC LIMIT 1", app, outcome, ocap);
}

static void
test_notices(void **state)
{
	struct hr_client *spszn = iu_login(&srv, "spszn");
	struct exported ex;
	char st[32], out[512], how[32], comment[512], sql[256];
	int64_t t0;

	(void)state;
	memset(&ex, 0, sizeof ex);
	export_checked(spszn, &ex);
	assert_true(ex.n >= 3);
	/* phones: the first refuses, the second hangs, the rest accept */
	for (size_t i = 0; i < ex.n; i++) {
		snprintf(sql, sizeof sql, "UPDATE applications SET phone = "
		    "'+38067111%04zu' WHERE id = %lld", i == 0 ? (size_t)0 :
		    i == 1 ? (size_t)9999 : i, (long long)ex.ids[i]);
		assert_int_equal(sqlite3_exec(dbf, sql, NULL, NULL, NULL),
		    SQLITE_OK);
	}
	import_answers(spszn, &ex);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM notices WHERE "
	    "application_id <> ?", orphan_app), (int64_t)ex.n);

	/* while the hung command runs, the server answers at once */
	t0 = testsrv_now_ms();
	while (iu_db_int(dbf, "SELECT count(*) FROM notices WHERE state = "
	    "'sending' AND application_id = ?", ex.ids[1]) == 0 &&
	    testsrv_now_ms() - t0 < WAIT_MS)
		usleep(50000);
	{
		struct tcall t;
		int64_t p0 = testsrv_now_ms();
		tcall_init(&t);
		tcall_empty(spszn, HR_M_PING, &t, IU_CALL_MS);
		iu_expect(&t, HR_OK, "ping while a notice runs");
		assert_true(testsrv_now_ms() - p0 < 1000);
		tcall_free(&t);
	}
	t0 = testsrv_now_ms();
	while (open_notices() > 0 && testsrv_now_ms() - t0 < WAIT_MS)
		usleep(100000);
	assert_int_equal(open_notices(), 0);

	notice_of(ex.ids[0], st, sizeof st, out, sizeof out);
	assert_string_equal(st, "failed");
	assert_string_equal(out, "exit status 3: gateway: number refused");
	notice_of(ex.ids[1], st, sizeof st, out, sizeof out);
	assert_string_equal(st, "failed");
	assert_string_equal(out, "timed out after 5 s");
	notice_of(ex.ids[2], st, sizeof st, out, sizeof out);
	if (strcmp(st, "sent") != 0)
		fail_msg("the accepted notice is %s: %s", st, out);
	snprintf(sql, sizeof sql, "queued id %lld", (long long)ex.ids[2]);
	assert_string_equal(out, sql);
	notice_of(orphan_app, st, sizeof st, out, sizeof out);
	assert_string_equal(st, "failed");
	assert_non_null(strstr(out, "outcome unknown"));

	/* each outcome recorded once, even while its write was committing */
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
	    "application_history WHERE comment LIKE 'automatic notice%'", -1),
	    (int64_t)ex.n + 1);
	assert_int_equal(iu_db_int(dbf, "SELECT count(*) FROM "
	    "application_history WHERE comment LIKE 'automatic notice%' AND "
	    "application_id = ?", orphan_app), 1);

	/* sent: told by SMS, in the history; failed: still untold */
	iu_db_text(dbf, "SELECT coalesce(notified_how, '') FROM applications "
	    "WHERE id = ?", ex.ids[2], how, sizeof how);
	assert_string_equal(how, "sms");
	iu_db_text(dbf, "SELECT coalesce(notified_how, '') FROM applications "
	    "WHERE id = ?", ex.ids[0], how, sizeof how);
	assert_string_equal(how, "");
	iu_db_text(dbf, "SELECT comment FROM application_history WHERE "
	    "application_id = ? ORDER BY id DESC LIMIT 1", ex.ids[2], comment,
	    sizeof comment);
	assert_non_null(strstr(comment, "automatic notice to +380671110002: "
	    "sent"));

	/* what the command got: each once, with the message */
	{
		FILE *f = fopen(got, "r");
		char line[1024], want[128];
		int header = 0, refused = 0, message = 0;
		assert_non_null(f);
		snprintf(want, sizeof want, "== +380671110000 %s %lld assigned",
		    ex.reg[0], (long long)ex.ids[0]);
		while (fgets(line, sizeof line, f) != NULL) {
			header += strncmp(line, "== ", 3) == 0;
			refused += strncmp(line, want, strlen(want)) == 0;
			message += strstr(line, "Рішення за заявою №") != NULL &&
			    strstr(line, "призначено, 1 234,56 грн на місяць "
			    "з 01.01.2027 по 30.06.2027") != NULL;
		}
		fclose(f);
		assert_int_equal(header, (int)ex.n);    /* none twice, no orphan */
		assert_int_equal(refused, 1);
		assert_int_equal(message, (int)ex.n);
	}
	hr_client_free(spszn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notices),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
