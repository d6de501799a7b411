/*
 * test_dat_ctl.c — `hromadactl dat export|import|list|get` against the
 * live database while hromadad serves a back-office clerk (issue 17).
 *
 * In order, as a night's cron run and the next morning go: hromadactl
 * exports the checked АСОПД applications while the clerk's requests keep
 * being answered; the numbering is the server's own (the server's next
 * export takes the next number, and so does hromadactl's after it); a
 * program standing in for the decision system answers the file and
 * hromadactl imports the answer, the clerk sees every application
 * answered; the same answer again is refused (exit 1) and changes
 * nothing; `list` shows the files and `get` saves one again byte for
 * byte; the exit codes cron relies on (2 usage, 3 nothing to export).
 * Every change is in the hash chain in the name of the back-office user,
 * from hromadactl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/dat.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tests/integration/intake_util.h"
#include "tests/lib/tdat.h"

static struct testsrv srv;
static struct hr_client *spszn;
static sqlite3 *db;
static char ctl[TESTSRV_PATH_MAX], out[TESTSRV_PATH_MAX + 8];

/* The first export, for the answer. */
static struct {
	char     path[TESTSRV_PATH_MAX + 128];
	int64_t  ids[64];
	char     reg[64][24];
	size_t   n;
	char     office[HR_DAT_OFFICE_MAX];
} ex;

static const char checked_asopd[] = "SELECT count(*) FROM applications a "
    "JOIN services s ON s.code = a.service_code WHERE a.status = 'checked' "
    "AND s.system = 'asopd' AND a.spszn_id = (SELECT territory_id FROM "
    "users WHERE name = 'spszn') AND ?1 = ?1";

/*
 * Run hromadactl --db DB ARGS... with stdout into so[0..cap) and stderr
 * into se[0..cap); while it runs, the clerk's journal is asked for again
 * and again (*asked, each answered or the test fails).  Exit status.
 */
static int
run_ctl(char *so, char *se, size_t cap, int *asked, const char *arg, ...)
{
	char *argv[24], fo[TESTSRV_PATH_MAX + 16], fe[TESTSRV_PATH_MAX + 16];
	const char *a;
	va_list ap;
	int n = 0, status = -1;
	pid_t pid;

	argv[n++] = ctl;
	argv[n++] = "--db";
	argv[n++] = srv.db;
	va_start(ap, arg);
	for (a = arg; a != NULL && n < 23; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	snprintf(fo, sizeof fo, "%s/ctl.out", srv.dir);
	snprintf(fe, sizeof fe, "%s/ctl.err", srv.dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(fo, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(fe, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LANGUAGE");
		unsetenv("LC_ALL");
		execv(ctl, argv);
		_exit(127);
	}
	for (int64_t end = testsrv_now_ms() + 60000 * testsrv_slow();;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (testsrv_now_ms() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("hromadactl %s did not finish in time", arg);
		}
		if (asked != NULL) {
			struct tcall t;

			tcall_init(&t);
			iu_journal(spszn, 0, &t);
			iu_expect(&t, HR_OK, "journal.list while hromadactl runs");
			tcall_free(&t);
			(*asked)++;
		} else {
			usleep(20000);
		}
	}
	for (int k = 0; k < 2; k++) {
		FILE *f = fopen(k ? fe : fo, "r");
		char *buf = k ? se : so;
		size_t got = f ? fread(buf, 1, cap - 1, f) : 0;

		buf[got] = '\0';
		if (f)
			fclose(f);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int64_t
audit_n(const char *action, const char *actor_like)
{
	char sql[300];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE "
	    "action = '%s' AND actor = 'spszn' AND address LIKE '%s' AND "
	    "?1 = ?1", action, actor_like);
	return iu_db_int(db, sql, 1);
}

static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(HR_DAT_FILE_MAX + 1);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, HR_DAT_FILE_MAX + 1, f);
	fclose(f);
	return buf;
}

/* ---- export while the server serves ------------------------------------ */

static void
test_export_while_serving(void **state)
{
	char so[4096], se[4096], want[64];
	int64_t checked = iu_db_int(db, checked_asopd, 1);
	int64_t before = audit_n("application.export", "hromadactl %");
	int asked = 0, rc;
	struct hr_dat d;
	struct hr_error err;
	struct stat st;
	uint8_t *data;
	size_t len;

	(void)state;
	assert_true(checked > 0);
	rc = run_ctl(so, se, sizeof so, &asked, "dat", "export", "--system",
	    "asopd", "--status", "checked", "--user", "spszn", "--out", out,
	    NULL);
	if (rc != 0)
		fail_msg("dat export: exit %d: %s", rc, se);
	assert_true(asked >= 1);
	/* one line per file: PATH: N applications */
	assert_non_null(strstr(so, "_000001.DAT: "));
	snprintf(want, sizeof want, ": %lld applications\n", (long long)checked);
	assert_non_null(strstr(so, want));
	snprintf(ex.path, sizeof ex.path, "%.*s", (int)(strstr(so, ": ") - so),
	    so);
	assert_int_equal(stat(ex.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	data = slurp(ex.path, &len);
	memset(&d, 0, sizeof d);
	if (hr_dat_parse(data, len, &d, &err) != 0)
		fail_msg("the exported file: %s", err.msg);
	assert_int_equal(d.hdr.kind, HR_DAT_EXPORT);
	assert_int_equal(d.hdr.number, 1);
	assert_int_equal(d.hdr.count, checked);
	snprintf(ex.office, sizeof ex.office, "%s", d.hdr.office);
	for (size_t i = 0; i < d.hdr.count && i < 64; i++) {
		ex.ids[i] = d.apps[i].id;
		snprintf(ex.reg[i], sizeof ex.reg[i], "%s", d.apps[i].reg_no);
		assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
		    "applications WHERE id = ? AND status = 'exported'",
		    ex.ids[i]), 1);
	}
	ex.n = d.hdr.count;
	hr_dat_free(&d);
	free(data);
	assert_int_equal(iu_db_int(db, checked_asopd, 1), 0);
	/* stored like the server's, in the name of the back-office user */
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM dat_files WHERE "
	    "direction = 'export' AND number = 1 AND system = 'asopd' AND "
	    "user_id = (SELECT id FROM users WHERE name = 'spszn') AND ?1 = ?1",
	    1), 1);
	assert_int_equal(audit_n("application.export", "hromadactl %") - before,
	    checked);
	assert_int_equal(audit_n("dat.export", "hromadactl %"), 1);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
	    "application_history WHERE to_status = 'exported' AND comment "
	    "LIKE 'exchange file %_000001.DAT' AND ?1 = ?1", 1), checked);
}

/* The server's next export takes number 2, hromadactl's after it 3. */
static void
test_numbering_shared(void **state)
{
	char so[4096], se[4096];
	int64_t ids[2];
	struct tcall t;
	int rc;

	(void)state;
	for (int k = 0; k < 2; k++) {
		ids[k] = iu_db_int(db, "SELECT a.id FROM applications a JOIN "
		    "services s ON s.code = a.service_code WHERE a.status = "
		    "'at_spszn' AND s.system = 'asopd' AND a.spszn_id = "
		    "(SELECT territory_id FROM users WHERE name = 'spszn') "
		    "AND ?1 = ?1 ORDER BY a.id LIMIT 1", 1);
		assert_true(ids[k] > 0);
		tcall_init(&t);
		iu_transition(spszn, ids[k], iu_db_int(db, "SELECT version "
		    "FROM applications WHERE id = ?", ids[k]), "check", NULL,
		    &t);
		iu_expect(&t, HR_OK, "check");
		tcall_free(&t);
		if (k == 1)
			break;
		tcall_init(&t);
		{
			msgpack_packer *pk = hr_client_begin(spszn,
			    HR_M_DAT_EXPORT);

			msgpack_pack_map(pk, 1);
			hr_pack_kv_str(pk, "system", "asopd");
			tcall_send_wait(spszn, &t, IU_CALL_MS);
		}
		iu_expect(&t, HR_OK, "the server's dat.export");
		assert_int_equal(tobj_int(tobj_get(tcall_result(&t), "number"), 0), 2);
		tcall_free(&t);
	}
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "export", "--system",
	    "asopd", "--back-office", ex.office, "--user", "spszn", "--out",
	    out, NULL);
	if (rc != 0)
		fail_msg("dat export: exit %d: %s", rc, se);
	assert_non_null(strstr(so, "_000003.DAT: 1 applications"));
	/* nothing checked any more: exit 3, nothing numbered */
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "export", "--system",
	    "asopd", "--user", "spszn", "--out", out, NULL);
	assert_int_equal(rc, 3);
	assert_non_null(strstr(so, "no checked applications of asopd"));
	assert_int_equal(iu_db_int(db, "SELECT max(number) FROM dat_files "
	    "WHERE direction = 'export' AND system = 'asopd' AND ?1 = ?1", 1),
	    3);
}

/* ---- the decision system's answer, imported while serving -------------- */

static void
write_answer(const char *path)
{
	static const struct tdat_assign as = { 100000, "2026-12-01",
	    "2027-05-31" };
	struct tdat_export e = { ex.office, ex.ids, ex.reg, ex.n };
	struct hr_error err;
	size_t len = 0;
	uint8_t *a = tdat_answer(&e, &as, NULL, 0, &len, &err);
	FILE *f;

	if (a == NULL)
		fail_msg("answer: %s", err.msg);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(a, 1, len, f), len);
	fclose(f);
	free(a);
}

static void
test_import_while_serving(void **state)
{
	char so[4096], se[4096], path[TESTSRV_PATH_MAX + 32];
	int64_t answers = audit_n("application.answer", "hromadactl %");
	int asked = 0, rc;
	struct tcall t;

	(void)state;
	snprintf(path, sizeof path, "%s/asopd_answer_000001.DAT", srv.dir);
	write_answer(path);
	rc = run_ctl(so, se, sizeof so, &asked, "dat", "import", "--user",
	    "spszn", path, NULL);
	if (rc != 0)
		fail_msg("dat import: exit %d: %s", rc, se);
	assert_true(asked >= 1);
	assert_non_null(strstr(so, "decisions imported"));
	for (size_t i = 0; i < ex.n; i++) {
		assert_int_equal(iu_db_int(db, "SELECT count(*) FROM decisions "
		    "WHERE application_id = ?", ex.ids[i]), 1);
		/* the clerk sees it answered through the server */
		tcall_init(&t);
		iu_get(spszn, ex.ids[i], &t);
		iu_expect(&t, HR_OK, "application.get");
		tcall_free(&t);
		assert_int_equal(iu_db_int(db, "SELECT count(*) FROM "
		    "applications WHERE id = ? AND status = 'answered'",
		    ex.ids[i]), 1);
	}
	assert_int_equal(iu_db_int(db, "SELECT amount FROM decisions WHERE "
	    "application_id = ?", ex.ids[0]), 100000);
	assert_int_equal(audit_n("application.answer", "hromadactl %") -
	    answers, (int64_t)ex.n);
	assert_int_equal(audit_n("dat.import", "hromadactl %"), 1);

	/* the same file again: refused, exit 1, nothing changes */
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "import", "--user",
	    "spszn", path, NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(se, "was already imported"));
	assert_non_null(strstr(se, path));
	/* ... and the refusal is in the chain: who, which file, why */
	assert_int_equal(audit_n("dat.import_refused", "hromadactl %"), 1);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'dat.import_refused' AND object = "
	    "'dat_file:asopd_answer_000001.DAT' AND detail LIKE "
	    "'%was already imported%[dat.answer_imported]' AND ?1 = ?1", 1),
	    1);
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM dat_files WHERE "
	    "direction = 'answer' AND system = 'asopd' AND number = 1 AND "
	    "spszn_id = (SELECT territory_id FROM users WHERE name = "
	    "'spszn') AND ?1 = ?1", 1), 1);   /* beside the demo's, no. 417 */
	assert_int_equal(audit_n("application.answer", "hromadactl %") -
	    answers, (int64_t)ex.n);
}

/* ---- list and get ------------------------------------------------------ */

static void
test_list_get(void **state)
{
	char so[8192], se[4096], dir[TESTSRV_PATH_MAX + 16], id[24];
	char want[TESTSRV_PATH_MAX + 160];
	uint8_t *a, *b;
	size_t la, lb;
	int rc;

	(void)state;
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "list", "--user", "spszn",
	    NULL);
	if (rc != 0)
		fail_msg("dat list: exit %d: %s", rc, se);
	assert_non_null(strstr(so, "_000001.DAT"));
	assert_non_null(strstr(so, "_000002.DAT"));
	assert_non_null(strstr(so, "_000003.DAT"));
	assert_non_null(strstr(so, "asopd_answer_000001.DAT"));
	snprintf(id, sizeof id, "%lld", (long long)iu_db_int(db, "SELECT id "
	    "FROM dat_files WHERE direction = 'export' AND number = 1 AND "
	    "?1 = ?1", 1));
	snprintf(dir, sizeof dir, "%s/again", srv.dir);
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "get", id, "--user",
	    "spszn", "--out", dir, NULL);
	if (rc != 0)
		fail_msg("dat get: exit %d: %s", rc, se);
	snprintf(want, sizeof want, "%s/%s\n", dir, strrchr(ex.path, '/') + 1);
	assert_string_equal(so, want);
	a = slurp(ex.path, &la);
	want[strlen(want) - 1] = '\0';
	b = slurp(want, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	assert_int_equal(audit_n("dat.read", "hromadactl %"), 1);
	/* the same again: the file is there, never overwritten */
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "get", id, "--user",
	    "spszn", "--out", dir, NULL);
	assert_int_equal(rc, 1);
	/* another back office's file reads as missing */
	rc = run_ctl(so, se, sizeof so, NULL, "dat", "get", "999999",
	    "--user", "spszn", "--out", dir, NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(se, "not found"));
}

static void
test_usage(void **state)
{
	char so[4096], se[4096];

	(void)state;
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", NULL), 2);
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "export",
	    "--out", out, NULL), 2);
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "export",
	    "--system", "asopd", "--status", "exported", "--out", out, NULL),
	    2);
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "import",
	    NULL), 2);
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "export",
	    "--system", "nosuch", "--user", "spszn", "--out", out, NULL), 1);
	assert_non_null(strstr(se, "is not the decision system"));
	/* several specialists and none named: who acts must be said */
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "export",
	    "--system", "asopd", "--out", out, NULL), 2);
	assert_non_null(strstr(se, "--user"));
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "import",
	    "/nonexistent/x.DAT", NULL), 1);
	assert_non_null(strstr(se, "/nonexistent/x.DAT"));
	assert_int_equal(iu_db_int(db, "SELECT count(*) FROM audit_log WHERE "
	    "action = 'dat.import_refused' AND actor = 'hromadactl' AND "
	    "object = 'dat_file:x.DAT' AND ?1 = ?1", 1), 1);
	assert_int_equal(run_ctl(so, se, sizeof so, NULL, "dat", "export",
	    "--system", "asopd", "--user", "sta", "--out", out, NULL), 1);
}

static int
setup(void **state)
{
	struct hr_error err;

	(void)state;
	if (iu_server_start(&srv, &db, 600) < 0)
		return -1;
	if (testsrv_program("hromadactl", ctl, sizeof ctl, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	snprintf(out, sizeof out, "%s/out", srv.dir);
	spszn = iu_login(&srv, "spszn");
	return spszn != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	hr_client_free(spszn);
	return iu_server_stop(&srv, db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_while_serving),
		cmocka_unit_test(test_numbering_shared),
		cmocka_unit_test(test_import_while_serving),
		cmocka_unit_test(test_list_get),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
