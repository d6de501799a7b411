/*
 * test_sheet.c — paper/sheet: one sheet of typed cells as CSV and as XLSX.
 *
 * The XLSX is read back by the tests' own reader (tests/lib/xlsx2csv, over
 * `unzip -p`), which knows nothing of the writer: the cells it finds, in
 * the formats the file gives them, are exactly the CSV's (numbers,
 * amounts with two decimals, months, moments, Cyrillic and quotes), the
 * number cells are number cells and the months and moments date cells,
 * the header is bold and frozen, the columns as wide as their cells; the
 * CSV itself is RFC 4180 with a BOM.
 *
 * Alike on purpose: the checks of a saved file's bytes are runs of
 * assert_non_null(strstr(buf, ...)), one a piece of XML the file must
 * hold, as tests/unit/test_paper.c checks a document's text.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "paper/sheet.h"

#ifndef XLSX2CSV
#define XLSX2CSV "tests/lib/xlsx2csv"
#endif

/* 2026-11-20 14:05 local time */
static int64_t
moment(void)
{
	struct tm tm = { 0 };

	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 20;
	tm.tm_hour = 14;
	tm.tm_min = 5;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static struct paper_sheet *
fixture(void)
{
	static const char *const head[] = { "Територія", "Сформ.", "Сума",
	    "Місяць", "Востаннє", NULL };
	struct paper_sheet *s = paper_sheet_new("Звіт");

	assert_non_null(s);
	paper_sheet_note(s, "Звітність: Україна, a long title that sets no "
	    "column's width at all, however long it is");
	paper_sheet_str(s, "Період");
	paper_sheet_month(s, 202512);
	paper_sheet_month(s, 202611);
	paper_sheet_end(s);
	paper_sheet_end(s);                         /* an empty row */
	paper_sheet_header(s, head);
	paper_sheet_str(s, "Сумська область");
	paper_sheet_int(s, 1234);
	paper_sheet_money(s, 123456);
	paper_sheet_month(s, 202611);
	paper_sheet_moment(s, moment());
	paper_sheet_end(s);
	paper_sheet_str(s, "Quote \"and\", comma");
	paper_sheet_int(s, 0);
	paper_sheet_money(s, 5);
	paper_sheet_empty(s);
	paper_sheet_moment(s, 0);                   /* never: empty */
	paper_sheet_end(s);
	return s;
}

static const char want_csv[] =
	"\xEF\xBB\xBF"
	"\"Звітність: Україна, a long title that sets no column's width at "
	"all, however long it is\"\r\n"
	"Період,2025-12,2026-11\r\n"
	"\r\n"
	"Територія,Сформ.,Сума,Місяць,Востаннє\r\n"
	"Сумська область,1234,1234.56,2026-11,2026-11-20 14:05\r\n"
	"\"Quote \"\"and\"\", comma\",0,0.05,,\r\n";

static void
test_csv(void **state)
{
	struct paper_sheet *s = fixture();
	struct hr_error     err;
	char               *data;
	size_t              len;

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(paper_sheet_render(s, PAPER_SHEET_CSV, 1, &data, &len,
	    &err), 0);
	assert_int_equal(len, strlen(want_csv));
	assert_memory_equal(data, want_csv, len);
	free(data);
	paper_sheet_free(s);
}

/* Run the reader on the bytes, into a buffer. */
static char *
read_back(const char *data, size_t len, const char *mode)
{
	char   path[] = "/tmp/test_sheet-XXXXXX", cmd[512], *out;
	size_t n = 0;
	FILE  *p;
	int    fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof cmd, "%s %s %s", XLSX2CSV, mode, path);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(out = calloc(1, 65536));
	while ((n += fread(out + n, 1, 65535 - n, p)) < 65535 && !feof(p))
		;
	assert_int_equal(pclose(p), 0);
	unlink(path);
	return out;
}

/* The CSV without its BOM and the trailing empty cells (not in XLSX). */
static char *
csv_as_xlsx_keeps(const char *csv)
{
	char *out = strdup(csv + 3), *o = out;

	for (const char *p = csv + 3; *p; p++) {
		if (p[0] == ',' ) {
			const char *q = p;

			while (*q == ',')
				q++;
			if (q[0] == '\r')
				p = q - 1;
			else
				*o++ = ',';
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void
test_xlsx(void **state)
{
	struct paper_sheet *s = fixture();
	struct hr_error     err;
	char               *data, *csv, *got, *want;
	size_t              len, clen;

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(paper_sheet_render(s, PAPER_SHEET_XLSX, 1, &data,
	    &len, &err), 0);
	assert_true(len > 1000 && memcmp(data, "PK\x03\x04", 4) == 0);
	assert_int_equal(paper_sheet_render(s, PAPER_SHEET_CSV, 1, &csv, &clen,
	    &err), 0);
	got = read_back(data, len, "");
	want = csv_as_xlsx_keeps(csv);
	assert_string_equal(got, want);
	free(got);
	free(want);
	/* kinds: months and moments are date cells, numbers number cells */
	got = read_back(data, len, "--types");
	assert_string_equal(got,
	    "s\r\n"
	    "s,d,d\r\n"
	    "\r\n"
	    "s,s,s,s,s\r\n"
	    "s,n,n,d,d\r\n"
	    "s,n,n\r\n");
	free(got);
	free(data);
	free(csv);
	paper_sheet_free(s);
}

/* The package's own parts: bold header frozen, widths, the tab's name. */
static void
test_xlsx_layout(void **state)
{
	struct paper_sheet *s = fixture();
	struct hr_error     err;
	char                path[] = "/tmp/test_sheet-XXXXXX", cmd[512];
	char               *data, buf[8192];
	size_t              len, n;
	FILE               *p;
	int                 fd;

	(void)state;
	hr_error_clear(&err);
	assert_int_equal(paper_sheet_render(s, PAPER_SHEET_XLSX, 0, &data,
	    &len, &err), 0);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof cmd, "unzip -p %s xl/worksheets/sheet1.xml "
	    "xl/workbook.xml xl/styles.xml", path);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(buf, 1, sizeof buf - 1, p);
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
	unlink(path);
	/* frozen under the header (row 4), columns set */
	assert_non_null(strstr(buf, "ySplit=\"4\""));
	assert_non_null(strstr(buf, "<col min=\"1\" max=\"1\""));
	assert_non_null(strstr(buf, "name=\"Звіт\""));
	assert_non_null(strstr(buf, "<b/>"));
	assert_non_null(strstr(buf, "formatCode=\"yyyy-mm\""));
	free(data);
	paper_sheet_free(s);
}

static void
test_format_names(void **state)
{
	(void)state;
	assert_int_equal(paper_sheet_format_of("csv"), PAPER_SHEET_CSV);
	assert_int_equal(paper_sheet_format_of("xlsx"), PAPER_SHEET_XLSX);
	assert_int_equal(paper_sheet_format_of("xls"), -1);
	assert_int_equal(paper_sheet_format_of(NULL), -1);
	assert_string_equal(paper_sheet_ext(PAPER_SHEET_XLSX), "xlsx");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xlsx_layout),
		cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
