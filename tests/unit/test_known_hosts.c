/*
 * test_known_hosts.c — pinned server keys: path from the environment,
 * lookup in a missing file, add (creating 0700 dir / 0600 file), same key
 * again, a different key refused by add and accepted by replace, other
 * lines and comments kept, a malformed entry reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <sodium.h>

#include "proto/known_hosts.h"

struct fixture {
	char dir[256];
	char path[300];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/hr-kh-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/cfg/hromada/known_hosts", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[400];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void
key(uint8_t pk[HR_PUBKEY_LEN], uint8_t fill)
{
	memset(pk, fill, HR_PUBKEY_LEN);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 4096);

	assert_non_null(fp);
	assert_true(fread(buf, 1, 4095, fp) > 0);
	fclose(fp);
	return buf;
}

static void
test_path_env(void **state)
{
	struct hr_error err;
	char *p;

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	p = hr_known_hosts_path(&err);
	assert_string_equal(p, "/x/cfg/hromada/known_hosts");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/clerk", 1);
	p = hr_known_hosts_path(&err);
	assert_string_equal(p, "/home/clerk/.config/hromada/known_hosts");
	free(p);
	unsetenv("HOME");
	assert_null(hr_known_hosts_path(&err));
	assert_int_equal(err.code, HR_E_IO);
}

static void
test_add_lookup(void **state)
{
	struct fixture *f = *state;
	struct hr_error err;
	uint8_t a[HR_PUBKEY_LEN], got[HR_PUBKEY_LEN];
	struct stat st;
	char dir[300];

	key(a, 0xa1);
	assert_int_equal(hr_known_hosts_lookup(f->path, "h:1", got, &err), 0);
	assert_int_equal(hr_known_hosts_add(f->path, "h:1", a, &err), 0);
	assert_int_equal(hr_known_hosts_lookup(f->path, "h:1", got, &err), 1);
	assert_memory_equal(a, got, HR_PUBKEY_LEN);
	assert_int_equal(hr_known_hosts_lookup(f->path, "h:2", got, &err), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(dir, sizeof dir, "%s/cfg/hromada", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* the same key again changes nothing */
	assert_int_equal(hr_known_hosts_add(f->path, "h:1", a, &err), 0);
}

static void
test_changed_and_replace(void **state)
{
	struct fixture *f = *state;
	struct hr_error err;
	uint8_t a[HR_PUBKEY_LEN], b[HR_PUBKEY_LEN], c[HR_PUBKEY_LEN], got[HR_PUBKEY_LEN];
	char *text;

	key(a, 1);
	key(b, 2);
	key(c, 3);
	assert_int_equal(hr_known_hosts_add(f->path, "h:1", a, &err), 0);
	assert_int_equal(hr_known_hosts_add(f->path, "[::1]:7350", c, &err), 0);
	assert_int_equal(hr_known_hosts_add(f->path, "h:1", b, &err), -1);
	assert_int_equal(err.code, HR_E_KEY_CHANGED);
	assert_int_equal(hr_known_hosts_lookup(f->path, "h:1", got, &err), 1);
	assert_memory_equal(a, got, HR_PUBKEY_LEN);
	assert_int_equal(hr_known_hosts_replace(f->path, "h:1", b, &err), 0);
	assert_int_equal(hr_known_hosts_lookup(f->path, "h:1", got, &err), 1);
	assert_memory_equal(b, got, HR_PUBKEY_LEN);
	assert_int_equal(hr_known_hosts_lookup(f->path, "[::1]:7350", got, &err), 1);
	assert_memory_equal(c, got, HR_PUBKEY_LEN);
	text = slurp(f->path);
	/* one line per host, no temporary file left behind */
	assert_non_null(strstr(text, "h:1 "));
	assert_null(strstr(strstr(text, "h:1 ") + 1, "h:1 "));
	free(text);
}

static void
test_comments_kept_and_malformed(void **state)
{
	struct fixture *f = *state;
	struct hr_error err;
	uint8_t a[HR_PUBKEY_LEN], got[HR_PUBKEY_LEN];
	FILE *fp;
	char *text;

	key(a, 7);
	assert_int_equal(hr_known_hosts_add(f->path, "h:1", a, &err), 0);
	fp = fopen(f->path, "a");
	fputs("# district server\n\nbad:9 not-base64!\nh:10 ", fp);   /* no newline */
	fclose(fp);
	assert_int_equal(hr_known_hosts_lookup(f->path, "bad:9", got, &err), -1);
	assert_int_equal(err.code, HR_E_IO);
	/* "h:1" must not match the line of "h:10" */
	assert_int_equal(hr_known_hosts_replace(f->path, "h:1", a, &err), 0);
	text = slurp(f->path);
	assert_non_null(strstr(text, "# district server\n"));
	assert_non_null(strstr(text, "bad:9 not-base64!\n"));
	free(text);
	assert_int_equal(hr_known_hosts_add(f->path, "bad host", a, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_env),
		cmocka_unit_test_setup_teardown(test_add_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_kept_and_malformed, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
