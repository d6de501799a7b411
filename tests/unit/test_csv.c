/*
 * test_csv.c — the CSV reader and writer (db/csv.h) that the reference
 * loader and hromadactl share.
 *
 * Quoted fields with commas and "" inside, CRLF line ends, a last line
 * without a newline, the field limit and an unterminated quote named with
 * the line, the line-length bound, and what the writer quotes — read back
 * by the reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/csv.h"

/* A temporary file holding `len` bytes of `text`; its path is malloc'd. */
static char *
csv_file(const char *text, size_t len)
{
	char *path = strdup("/tmp/test_csv.XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static void
csv_done(struct db_csv *c, char *path)
{
	db_csv_close(c);
	unlink(path);
	free(path);
}

static void
test_quoted_fields(void **state)
{
	static const char text[] = "code,name\r\n"
	    "a,\"Іваненко, Петро\"\r\n"
	    "\r\n"
	    "\"b\"\"c\",\"\",last";
	char *path = csv_file(text, sizeof text - 1);
	struct db_csv c;
	struct hr_error err;

	(void)state;
	assert_int_equal(db_csv_open(&c, path, 4, &err), 0);
	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(db_csv_split(&c, &err), 0);
	assert_int_equal(c.nfields, 2);
	assert_string_equal(c.field[1], "name");

	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(c.lineno, 2);
	assert_int_equal(db_csv_split(&c, &err), 0);
	assert_int_equal(c.nfields, 2);
	assert_string_equal(c.field[0], "a");
	assert_string_equal(c.field[1], "Іваненко, Петро");

	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_string_equal(c.line, "");

	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(c.lineno, 4);
	assert_int_equal(db_csv_split(&c, &err), 0);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(c.field[0], "b\"c");
	assert_string_equal(c.field[1], "");
	assert_string_equal(c.field[2], "last");

	assert_int_equal(db_csv_read(&c, &err), 0);
	assert_int_equal(c.lineno, 4);
	csv_done(&c, path);
}

static void
test_errors_name_the_line(void **state)
{
	static const char text[] = "a,b,c\nx,\"open\ny\n";
	char *path = csv_file(text, sizeof text - 1);
	struct db_csv c;
	struct hr_error err;
	char want[4200];

	(void)state;
	assert_int_equal(db_csv_open(&c, path, 2, &err), 0);
	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(db_csv_split(&c, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
	snprintf(want, sizeof want, "%s:1: too many fields", path);
	assert_string_equal(err.msg, want);

	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(db_csv_split(&c, &err), -1);
	snprintf(want, sizeof want, "%s:2: unterminated quote", path);
	assert_string_equal(err.msg, want);

	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(db_csv_split(&c, &err), 0);
	assert_string_equal(c.field[0], "y");
	csv_done(&c, path);
}

static void
test_line_bound(void **state)
{
	size_t len = DB_CSV_LINE_MAX + 1;
	char *text = malloc(2 * len + 2), *path;
	struct db_csv c;
	struct hr_error err;

	(void)state;
	assert_non_null(text);
	/* A line of exactly DB_CSV_LINE_MAX bytes, then one byte longer. */
	memset(text, 'x', len - 1);
	text[len - 1] = '\n';
	memset(text + len, 'y', len);
	text[2 * len] = '\n';
	path = csv_file(text, 2 * len + 1);
	free(text);

	assert_int_equal(db_csv_open(&c, path, 1, &err), 0);
	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(strlen(c.line), DB_CSV_LINE_MAX);
	assert_int_equal(db_csv_read(&c, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
	assert_non_null(strstr(err.msg, ":2: line longer than 65536 bytes"));
	csv_done(&c, path);
}

static void
test_missing_file(void **state)
{
	struct db_csv c;
	struct hr_error err;

	(void)state;
	assert_int_equal(db_csv_open(&c, "/nonexistent/documents.csv", 2,
	    &err), -1);
	assert_int_equal(err.code, HR_E_IO);
	assert_non_null(strstr(err.msg, "cannot open /nonexistent/documents.csv"));
}

/* What the writer quotes, and that the reader gives it back. */
static void
test_put_reads_back(void **state)
{
	static const char *const fields[] = {
		"plain", "a,b", "say \"hi\"", " lead", "trail ", "", NULL
	};
	static const char want[] =
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\" lead\",\"trail \",,\n";
	char buf[256], *path;
	FILE *f = fmemopen(buf, sizeof buf, "w");
	struct db_csv c;
	struct hr_error err;
	int n = (int)(sizeof fields / sizeof fields[0]);

	(void)state;
	assert_non_null(f);
	for (int i = 0; i < n; i++)
		db_csv_put(f, fields[i], i == n - 1);
	fclose(f);
	assert_string_equal(buf, want);

	path = csv_file(buf, strlen(buf));
	assert_int_equal(db_csv_open(&c, path, DB_CSV_MAX_FIELDS, &err), 0);
	assert_int_equal(db_csv_read(&c, &err), 1);
	assert_int_equal(db_csv_split(&c, &err), 0);
	assert_int_equal(c.nfields, n);
	for (int i = 0; i < n; i++)
		assert_string_equal(c.field[i], fields[i] ? fields[i] : "");
	csv_done(&c, path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_fields),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_line_bound),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_put_reads_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
