/*
 * test_config.c — hromadad.conf parsing (srvd/conf.c): a good file sets
 * every key, and every kind of mistake is refused naming FILE:LINE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "srvd/conf.h"
#include "srvd/log.h"

static char path[64];

static void
write_conf(const char *text)
{
	FILE *fp;
	int   fd;

	snprintf(path, sizeof path, "/tmp/test_config.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Load `text`; return the error message ("" when it loaded). */
static const char *
load(struct srv_config *c, const char *text)
{
	static struct hr_error err;

	hr_error_clear(&err);
	write_conf(text);
	srv_config_init(c);
	srv_config_load(c, path, &err);
	unlink(path);
	return err.msg;
}

static void
test_defaults(void **state)
{
	struct srv_config c;

	srv_config_init(&c);
	assert_string_equal(c.listen, "127.0.0.1:7350");
	assert_int_equal(c.idle_timeout, 900);
	assert_int_equal(c.handshake_timeout, 10);
	assert_int_equal(c.login_timeout, 120);
	assert_int_equal(c.auth_workers, 2);
	assert_int_equal(c.auth_queue, 64);
	assert_int_equal(c.log_target, SRV_LOG_STDERR);
	assert_int_equal(c.log_level, SRV_LOG_INFO);
	assert_int_equal(c.writer_cache, 256 << 20);
	srv_config_free(&c);
}

static void
test_good_file(void **state)
{
	struct srv_config c;
	const char *msg = load(&c,
	    "# hromadad.conf\n"
	    "[hromadad]\n"
	    "listen = 0.0.0.0:7351, [::1]:7351\n"
	    "db = /srv/hromada/h.db\n"
	    "\n"
	    "; comment\n"
	    "log = syslog\n"
	    "log_file = /var/log/hromadad.log\n"
	    "log_level = debug\n"
	    "max_connections = 5000\n"
	    "idle_timeout = 20m\n"
	    "handshake_timeout = 5s\n"
	    "login_timeout = 3m\n"
	    "ticket_ttl = 1d\n"
	    "auth_workers = 4\n"
	    "auth_queue = 128\n"
	    "commit_batch = 50\n"
	    "writer_cache = 1G\n");

	assert_string_equal(msg, "");
	assert_string_equal(c.listen, "0.0.0.0:7351, [::1]:7351");
	assert_string_equal(c.db, "/srv/hromada/h.db");
	assert_int_equal(c.log_target, SRV_LOG_SYSLOG);
	assert_string_equal(c.log_file, "/var/log/hromadad.log");
	assert_int_equal(c.log_level, SRV_LOG_DEBUG);
	assert_int_equal(c.max_connections, 5000);
	assert_int_equal(c.idle_timeout, 1200);
	assert_int_equal(c.handshake_timeout, 5);
	assert_int_equal(c.login_timeout, 180);
	assert_int_equal(c.ticket_ttl, 86400);
	assert_int_equal(c.auth_workers, 4);
	assert_int_equal(c.auth_queue, 128);
	assert_int_equal(c.commit_batch, 50);
	assert_int_equal(c.writer_cache, 1 << 30);
	srv_config_free(&c);
}

/* Each bad file, and what the message must contain after "FILE:". */
static const struct {
	const char *text;
	const char *expect;
} bad_files[] = {
	{ "listen = 1.2.3.4:1\nbogus = 1\n",        ":2: unknown key 'bogus'" },
	{ "\n\n\nmax_connections = 0\n",            ":4: max_connections: 0 is out of range" },
	{ "max_connections = many\n",               ":1: max_connections: 'many' is not a number" },
	{ "auth_workers = 4x\n",                    ":1: auth_workers: '4x' is not a number" },
	{ "idle_timeout = 15q\n",                   ":1: idle_timeout: '15q' is not a duration" },
	{ "idle_timeout = 1s\n",                    ":1: idle_timeout: 1s is out of range" },
	{ "handshake_timeout = 99999999999999\n",   ":1: handshake_timeout: 99999999999999 is out of range" },
	{ "log = file\n",                           ":1: log: 'file' is not stderr or syslog" },
	{ "log_level = loud\n",                     ":1: log_level: 'loud' is not one of" },
	{ "db = \n",                                ":1: db: empty value" },
	{ "db = a\ndb = b\n",                       ":2: key 'db' is set twice" },
	{ "listen 127.0.0.1:7350\n",                ":1: expected key = value" },
	{ "[server]\n",                             ":1: unknown section [server]" },
	{ "auth_queue = -5\n",                      ":1: auth_queue: -5 is out of range" },
	{ "listen = localhost\n",                   ":1: listen: 'localhost' is not host:port" },
	{ "listen = ::1:7350\n",                    ":1: listen: '::1:7350' is not host:port" },
	{ "listen = 1.2.3.4:1, 1.2.3.4:99999\n",    ":1: listen: bad port in '1.2.3.4:99999'" },
	{ "listen = 1.2.3.4:\n",                    ":1: listen: no port in '1.2.3.4:'" },
	{ "listen = ,\n",                           ":1: listen: no address" },
};

static void
test_bad_files(void **state)
{
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		struct srv_config c;
		const char *msg = load(&c, bad_files[i].text);

		if (strncmp(msg, path, strlen(path)) != 0 ||
		    strstr(msg, bad_files[i].expect) == NULL)
			fail_msg("case %zu: got \"%s\", want \"%s%s...\"", i, msg,
			    path, bad_files[i].expect);
		srv_config_free(&c);
	}
}

static void
test_missing_file(void **state)
{
	struct srv_config c;
	struct hr_error   err;

	srv_config_init(&c);
	assert_int_equal(srv_config_load(&c, "/nonexistent/hromadad.conf",
	    &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/hromadad.conf"));
	srv_config_free(&c);
}

/* Command-line options go through the same setter and the same checks. */
static void
test_set(void **state)
{
	struct srv_config c;
	struct hr_error   err;

	srv_config_init(&c);
	assert_int_equal(srv_config_set(&c, "log_level", "warning", &err), 0);
	assert_int_equal(c.log_level, SRV_LOG_WARNING);
	assert_int_equal(srv_config_set(&c, "listen", "[::]:7000", &err), 0);
	assert_string_equal(c.listen, "[::]:7000");
	assert_int_equal(srv_config_set(&c, "log_level", "verbose", &err), -1);
	assert_int_equal(err.code, HR_E_USAGE);
	assert_int_equal(srv_config_set(&c, "nope", "1", &err), -1);
	srv_config_free(&c);
}

/* Milliseconds: bare seconds, s or ms; bounds in milliseconds. */
static void
test_millis(void **state)
{
	struct srv_config c;
	struct hr_error   err;

	(void)state;
	srv_config_init(&c);
	assert_int_equal(c.audit_read_window, 1000);          /* default 1 s */
	assert_int_equal(srv_config_set(&c, "audit_read_window", "250ms",
	    &err), 0);
	assert_int_equal(c.audit_read_window, 250);
	assert_int_equal(srv_config_set(&c, "audit_read_window", "2", &err), 0);
	assert_int_equal(c.audit_read_window, 2000);
	assert_int_equal(srv_config_set(&c, "audit_read_window", "3s", &err), 0);
	assert_int_equal(c.audit_read_window, 3000);
	assert_int_equal(srv_config_set(&c, "audit_read_window", "0", &err), 0);
	assert_int_equal(c.audit_read_window, 0);
	assert_int_equal(srv_config_set(&c, "audit_read_window", "61s", &err),
	    -1);
	assert_non_null(strstr(err.msg, "0..60000 milliseconds"));
	assert_int_equal(srv_config_set(&c, "audit_read_window", "1m", &err),
	    -1);
	assert_non_null(strstr(err.msg, "250ms"));
	/* Seconds keep their units (and refuse ms). */
	assert_int_equal(srv_config_set(&c, "ticket_ttl", "2h", &err), 0);
	assert_int_equal(c.ticket_ttl, 7200);
	assert_int_equal(srv_config_set(&c, "ticket_ttl", "90ms", &err), -1);
	srv_config_free(&c);
}

/* What "using the system" means to monitoring: days, 1..366, default 30. */
static void
test_monitor_days(void **state)
{
	struct srv_config c;
	struct hr_error   err;

	(void)state;
	srv_config_init(&c);
	assert_int_equal(c.monitor_using_days, 30);
	assert_int_equal(srv_config_set(&c, "monitor_using_days", "7", &err),
	    0);
	assert_int_equal(c.monitor_using_days, 7);
	assert_int_equal(srv_config_set(&c, "monitor_using_days", "0", &err),
	    -1);
	assert_int_equal(srv_config_set(&c, "monitor_using_days", "367",
	    &err), -1);
	assert_int_equal(c.monitor_using_days, 7);
	srv_config_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_millis),
		cmocka_unit_test(test_monitor_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
