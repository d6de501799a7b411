/*
 * test_dat.c — the *.DAT format (proto/dat.h, man/hromada-dat.5): what the
 * writer writes the parser reads back field for field, in UTF-8 and CP1251;
 * amounts stay exact kopecks; and every malformed file is refused with a
 * message naming the line and the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/dat.h"

/* ---- fixtures ------------------------------------------------------------ */

static const struct hr_dat_person persons[] = {
	{ .member = 0, .relation = "", .surname = "Шевченко",
	  .name = "Тарас", .patronymic = "Григорович",
	  .birth_date = "2000-01-01", .sex = 'M', .rnokpp = "3652504575",
	  .doc_type = "passport", .doc_number = "МК123456",
	  .reg_address = "с. Березівка, вул. Шевченка, 5|кв. 3\\ок",
	  .act_address = "рядок 1\nрядок 2" },
	{ .member = 1, .relation = "spouse", .surname = "Шевченко",
	  .name = "Їжачка", .patronymic = "", .birth_date = "1984-01-01",
	  .sex = 'F', .rnokpp_refused = 1, .doc_type = "id_card",
	  .doc_number = "123456789" },
};

static const struct hr_dat_income income[] = {
	{ 0, "salary", "2024-01-01", "2024-06-30", 123456789012345LL },
	{ 1, "pension", "2024-01-01", "2024-06-30", 1 },
};

#define H1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define H2 "ffffffffffffffffffffffffffffffff00000000000000000000000000000000"

static const struct hr_dat_scan scans[] = {
	{ "id_doc", "jpeg", 204800, H1 },
	{ "id_doc", "png", 1, H2 },
	{ "income_decl", "pdf", 1099511627776LL, H1 },
};

static const struct hr_dat_app apps[] = {
	{ .id = 42, .reg_no = "00012/2024", .service = "low_income",
	  .pay_method = "bank", .iban = "UA213996220000026007233566001",
	  .phone = "+380671234567", .persons = persons, .npersons = 2,
	  .income = income, .nincome = 2, .scans = scans, .nscans = 3 },
	{ .id = 43, .reg_no = "00013/2024", .service = "birth",
	  .pay_method = "post", .post_office = "41400 Глухів",
	  .persons = persons, .npersons = 1 },
};

static struct hr_dat
export_fixture(enum hr_dat_charset cs)
{
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_EXPORT, cs,
	    "asopd", 7, "UA59020000000000000", 1718000000, 2 } };

	d.apps = (struct hr_dat_app *)apps;
	return d;
}

static const struct hr_dat_answer answers[] = {
	{ 42, "00012/2024", HR_DEC_ASSIGNED, 1, 9223372036854775807LL,
	  "2024-07-01", "2024-12-31", "", 0 },
	{ 43, "00013/2024", HR_DEC_REFUSED, 0, 0, "", "",
	  "дохід перевищує | межу", 0 },
	{ 44, "00014/2024", HR_DEC_REGISTERED, 0, 0, "2024-07-01", "", "", 0 },
	{ 45, "00015/2024", HR_DEC_ASSIGNED, 1, 123456, "2024-07-01",
	  "2024-07-31", "", 0 },
};

static struct hr_dat
answer_fixture(void)
{
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_ANSWER,
	    HR_DAT_UTF8, "asopd", 3, "UA59020000000000000", 1718000000, 4 } };

	d.answers = (struct hr_dat_answer *)answers;
	return d;
}

/* Write d; the file's bytes in *out (NUL-terminated copy, caller frees). */
static char *
write_file(const struct hr_dat *d, size_t *len)
{
	struct hr_buf   b;
	struct hr_error err;
	char           *s;

	hr_buf_init(&b, HR_DAT_FILE_MAX);
	if (hr_dat_write(d, &b, &err) != 0)
		fail_msg("write: %s", err.msg);
	*len = hr_buf_used(&b);
	s = malloc(*len + 1);
	assert_non_null(s);
	memcpy(s, hr_buf_head(&b), *len);
	s[*len] = '\0';
	hr_buf_free(&b);
	return s;
}

/* ---- round trips --------------------------------------------------------- */

static void
check_person(const struct hr_dat_person *a, const struct hr_dat_person *b)
{
	assert_int_equal(a->member, b->member);
	assert_string_equal(a->relation, b->relation);
	assert_string_equal(a->surname, b->surname);
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->patronymic, b->patronymic);
	assert_string_equal(a->birth_date, b->birth_date);
	assert_int_equal(a->sex, b->sex);
	assert_int_equal(a->rnokpp_refused, b->rnokpp_refused);
	assert_string_equal(a->rnokpp ? a->rnokpp : "", b->rnokpp);
	assert_string_equal(a->doc_type, b->doc_type);
	assert_string_equal(a->doc_number, b->doc_number);
	assert_string_equal(a->unzr ? a->unzr : "", b->unzr);
	assert_string_equal(a->reg_address ? a->reg_address : "", b->reg_address);
	assert_string_equal(a->act_address ? a->act_address : "", b->act_address);
}

static void
check_export(const struct hr_dat *d)
{
	assert_int_equal(d->hdr.kind, HR_DAT_EXPORT);
	assert_int_equal(d->hdr.number, 7);
	assert_int_equal(d->hdr.count, 2);
	assert_int_equal(d->hdr.created, 1718000000);
	assert_string_equal(d->hdr.system, "asopd");
	assert_string_equal(d->hdr.office, "UA59020000000000000");
	for (size_t i = 0; i < 2; i++) {
		const struct hr_dat_app *a = &apps[i], *b = &d->apps[i];

		assert_int_equal(a->id, b->id);
		assert_string_equal(a->reg_no, b->reg_no);
		assert_string_equal(a->service, b->service);
		assert_string_equal(a->pay_method, b->pay_method);
		assert_string_equal(a->iban ? a->iban : "", b->iban);
		assert_string_equal(a->post_office ? a->post_office : "",
		    b->post_office);
		assert_int_equal(a->npersons, b->npersons);
		assert_int_equal(a->nincome, b->nincome);
		assert_int_equal(a->nscans, b->nscans);
		for (size_t k = 0; k < a->nscans; k++) {
			assert_string_equal(a->scans[k].doc, b->scans[k].doc);
			assert_string_equal(a->scans[k].type, b->scans[k].type);
			assert_true(a->scans[k].size == b->scans[k].size);
			assert_string_equal(a->scans[k].hash, b->scans[k].hash);
		}
		for (size_t k = 0; k < a->npersons; k++)
			check_person(&a->persons[k], &b->persons[k]);
		for (size_t k = 0; k < a->nincome; k++) {
			assert_true(a->income[k].amount == b->income[k].amount);
			assert_string_equal(a->income[k].type, b->income[k].type);
			assert_int_equal(a->income[k].member, b->income[k].member);
		}
	}
	assert_int_equal(d->apps[0].line, 2);
	assert_int_equal(d->apps[1].line, 10);
}

static void
test_export_round_trip(void **state)
{
	struct hr_dat   d = export_fixture(HR_DAT_UTF8), back;
	struct hr_error err;
	size_t          len;
	char           *f = write_file(&d, &len);

	(void)state;
	assert_non_null(strstr(f, "HROMADA-DAT|1|export|UTF-8|asopd|000007|"
	    "UA59020000000000000|2024-06-10T06:13:20Z|2\n"));
	assert_non_null(strstr(f, "вул. Шевченка, 5\\|кв. 3\\\\ок|рядок 1\\nрядок 2\n"));
	assert_non_null(strstr(f, "|REFUSED|id_card|123456789|"));
	assert_non_null(strstr(f, "\nI|0|salary|2024-01-01|2024-06-30|123456789012345\n"));
	assert_non_null(strstr(f, "\nI|1|pension|2024-01-01|2024-06-30|1\n"
	    "S|id_doc|jpeg|204800|" H1 "\nS|id_doc|png|1|" H2 "\n"
	    "S|income_decl|pdf|1099511627776|" H1 "\nA|43|"));
	if (hr_dat_parse(f, len, &back, &err) != 0)
		fail_msg("%s", err.msg);
	check_export(&back);
	hr_dat_free(&back);
	free(f);
}

static void
test_cp1251_round_trip(void **state)
{
	struct hr_dat   d = export_fixture(HR_DAT_CP1251), back;
	struct hr_error err;
	size_t          len;
	char           *f = write_file(&d, &len);

	(void)state;
	/* "Їжачка" in CP1251: AF E6 E0 F7 EA E0 */
	assert_non_null(strstr(f, "|\xAF\xE6\xE0\xF7\xEA\xE0|"));
	assert_null(strstr(f, "Їжачка"));
	if (hr_dat_parse(f, len, &back, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(back.hdr.charset, HR_DAT_CP1251);
	check_export(&back);
	hr_dat_free(&back);
	free(f);
}

static void
test_cp1251_unrepresentable(void **state)
{
	struct hr_dat        d = export_fixture(HR_DAT_CP1251);
	struct hr_dat_person p[1];
	struct hr_dat_app    a[1];
	struct hr_buf        b;
	struct hr_error      err;

	(void)state;
	p[0] = persons[0];
	p[0].name = "Zoë 😀";
	a[0] = apps[1];
	a[0].persons = p;
	d.apps = a;
	d.hdr.count = 1;
	hr_buf_init(&b, HR_DAT_FILE_MAX);
	assert_int_equal(hr_dat_write(&d, &b, &err), -1);
	assert_string_equal(err.msg, "application 00013/2024: line 3, field "
	    "name: character U+00EB has no CP1251 form");
	assert_int_equal(hr_buf_used(&b), 0);
	hr_buf_free(&b);
}

static void
test_answer_amounts_exact(void **state)
{
	struct hr_dat   d = answer_fixture(), back;
	struct hr_error err;
	size_t          len;
	char           *f = write_file(&d, &len);

	(void)state;
	assert_non_null(strstr(f, "\nD|42|00012/2024|assigned|"
	    "9223372036854775807|2024-07-01|2024-12-31|\n"));
	assert_non_null(strstr(f, "\nD|43|00013/2024|refused||||дохід "
	    "перевищує \\| межу\n"));
	if (hr_dat_parse(f, len, &back, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(back.hdr.count, 4);
	assert_true(back.answers[0].amount == INT64_MAX);
	assert_true(back.answers[3].amount == 123456);
	assert_int_equal(back.answers[1].has_amount, 0);
	assert_int_equal(back.answers[1].decision, HR_DEC_REFUSED);
	assert_string_equal(back.answers[1].reason, "дохід перевищує | межу");
	assert_string_equal(back.answers[2].period_to, "");
	assert_int_equal(back.answers[2].line, 4);
	hr_dat_free(&back);
	free(f);
}

static void
test_filename_and_crc(void **state)
{
	struct hr_dat d = answer_fixture();
	char name[HR_DAT_NAME_MAX];

	(void)state;
	assert_int_equal(hr_dat_filename(&d.hdr, name, sizeof name), 0);
	assert_string_equal(name, "asopd_UA59020000000000000_000003.DAT");
	assert_int_equal(hr_dat_filename(&d.hdr, name, 10), -1);
	assert_true(hr_dat_crc32(0, "123456789", 9) == 0xCBF43926u);
	assert_string_equal(hr_decision_name(HR_DEC_REGISTRATION_REFUSED),
	    "registration_refused");
	assert_int_equal(hr_decision_from_name("registered"), HR_DEC_REGISTERED);
	assert_int_equal(hr_decision_from_name("maybe"), -1);
}

/* ---- malformed files ----------------------------------------------------- */

#define HDR "HROMADA-DAT|1|answer|UTF-8|asopd|000003|UA59020000000000000|" \
	"2024-06-10T06:13:20Z|"

/* head + body + an END line with `count` and a correct CRC. */
static char *
with_end(const char *head_body, unsigned count, size_t *len)
{
	size_t n = strlen(head_body);
	char  *s = malloc(n + 40);

	assert_non_null(s);
	memcpy(s, head_body, n);
	*len = n + (size_t)sprintf(s + n, "END|%u|%08x\n", count,
	    hr_dat_crc32(0, head_body, n));
	return s;
}

static void
expect_error(const char *data, size_t len, const char *msg)
{
	struct hr_dat   d;
	struct hr_error err;

	memset(&err, 0, sizeof err);
	assert_int_equal(hr_dat_parse(data, len, &d, &err), -1);
	assert_int_equal(err.code, HR_E_INVALID);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", msg, err.msg);
}

static void
expect_body_error(const char *head_body, unsigned count, const char *msg)
{
	size_t len;
	char  *s = with_end(head_body, count, &len);

	expect_error(s, len, msg);
	free(s);
}

static const char good_d[] = "D|42|00012/2024|assigned|150000|2024-07-01|"
    "2024-12-31|\n";

static void
test_bad_header(void **state)
{
	(void)state;
	expect_error("", 0, "the file is empty");
	expect_body_error("HELLO|1\n", 0, "line 1: not a *.DAT exchange file");
	expect_body_error("HROMADA-DAT|2|answer|UTF-8|asopd|000003|UA59020000"
	    "000000000|2024-06-10T06:13:20Z|0\n", 0,
	    "line 1, field version: version 2 is not supported");
	expect_body_error("HROMADA-DAT|1|answer|KOI8-U|asopd|000003|UA5902000"
	    "0000000000|2024-06-10T06:13:20Z|0\n", 0,
	    "line 1, field charset: \"KOI8-U\" is not one of UTF-8, CP1251");
	expect_body_error("HROMADA-DAT|1|answer|UTF-8|asopd|3|UA59020000000000"
	    "000|2024-06-10T06:13:20Z|0\n", 0,
	    "line 1, field number: the exchange number has 6 digits");
	expect_body_error("HROMADA-DAT|1|answer|UTF-8|asopd|000000|UA590200000"
	    "00000000|2024-06-10T06:13:20Z|0\n", 0,
	    "line 1, field number: 0 is out of range");
	expect_body_error("HROMADA-DAT|1|answer|UTF-8|asopd|000003|UA590200000"
	    "00000000|2024-06-10 06:13:20|0\n", 0, "line 1, field created");
	expect_body_error("HROMADA-DAT|1|answer|UTF-8|asopd|000003|UA590200000"
	    "00000000|2024-06-10T06:13:20Z\n", 0,
	    "line 1: the header has 8 fields, expected 9");
	expect_body_error(HDR "5001\n", 0, "line 1, field count: 5001 is out "
	    "of range");
}

static void
test_wrong_count(void **state)
{
	(void)state;
	/* END disagrees with the records */
	expect_body_error(HDR "1\n" "D|42|00012/2024|refused||||ні\n", 2,
	    "line 3, field count: says 2 records, the file has 1");
	/* header disagrees with records and END */
	expect_body_error(HDR "3\n" "D|42|00012/2024|refused||||ні\n", 1,
	    "line 3, field count: the header says 3 records, the file has 1");
}

static void
test_checksum_and_truncation(void **state)
{
	size_t len;
	char  *s, *p;

	(void)state;
	s = with_end(HDR "1\n" "D|42|00012/2024|assigned|150000|2024-07-01|"
	    "2024-12-31|\n", 1, &len);
	/* A sanity check: the good file parses. */
	{
		struct hr_dat d;
		struct hr_error err;

		assert_int_equal(hr_dat_parse(s, len, &d, &err), 0);
		assert_true(d.answers[0].amount == 150000);
		hr_dat_free(&d);
	}
	/* one digit of the amount altered: 150000 -> 950000 */
	p = strstr(s, "150000");
	*p = '9';
	expect_error(s, len, "line 3, field crc32: checksum mismatch");
	*p = '1';
	/* cut inside the END line, inside a record, before END */
	expect_error(s, len - 3, "line 3: the file is truncated: its last "
	    "line has no end");
	p = strstr(s, "assigned");
	expect_error(s, (size_t)(p - s), "line 2: the file is truncated");
	p = strstr(s, "END|");
	expect_error(s, (size_t)(p - s), "line 3: the file is truncated: no "
	    "END line");
	/* something after END */
	{
		char *t = malloc(len + 8);

		memcpy(t, s, len);
		memcpy(t + len, "D|1|\n", 5);
		expect_error(t, len + 5, "line 4: there is more after the END line");
		free(t);
	}
	free(s);
}

static void
test_long_line(void **state)
{
	size_t n = strlen(HDR "1\n") + 5000;
	char  *s = malloc(n + 2);

	(void)state;
	strcpy(s, HDR "1\n");
	memset(s + strlen(s), 'x', 5000);
	s[n] = '\n';
	expect_error(s, n + 1, "line 2: longer than 4096 bytes");
	expect_error(s, n, "line 2: longer than 4096 bytes");
	free(s);
}

static void
test_bad_fields(void **state)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{ "D|42|00012/2024|assigned|150,00|2024-07-01|2024-12-31|\n",
		  "line 2, field amount: \"150,00\" is not a whole number" },
		{ "D|42|00012/2024|assigned|-5|2024-07-01|2024-12-31|\n",
		  "line 2, field amount: \"-5\" is not a whole number" },
		{ "D|42|00012/2024|assigned|99999999999999999999|2024-07-01|2024-12-31|\n",
		  "line 2, field amount: write a whole number of 1 to 19 digits" },
		{ "D|42|00012/2024|assigned||2024-07-01|2024-12-31|\n",
		  "line 2, field amount: is required for assigned" },
		{ "D|42|00012/2024|refused|100|||ні\n",
		  "line 2, field amount: must be empty for refused" },
		{ "D|42|00012/2024|refused||||\n",
		  "line 2, field reason: is required for refused" },
		{ "D|42|00012/2024|maybe||||\n",
		  "line 2, field decision: \"maybe\" is not one of assigned, "
		  "refused, registered, registration_refused" },
		{ "D|0|00012/2024|refused||||ні\n",
		  "line 2, field id: 0 is out of range" },
		{ "D|42|12-2024|refused||||ні\n",
		  "line 2, field reg_no: \"12-2024\" is not a journal number" },
		{ "D|42|00012/2024|assigned|1|2024-12-31|2024-07-01|\n",
		  "line 2, field period_to: the period ends before it starts" },
		{ "D|42|00012/2024|assigned|1|2024-02-30|2024-07-01|\n",
		  "line 2, field period_from: " },
		{ "D|42|00012/2024|refused||||a\\xb\n",
		  "line 2, field reason: a backslash must start" },
		{ "D|42|00012/2024|refused||||a\tb\n",
		  "line 2, field reason: control character 0x09" },
		{ "D|42|00012/2024|refused||||\xff\xfe\n",
		  "line 2, field reason: not valid UTF-8" },
		{ "D|42|00012/2024|refused|||\n",
		  "line 2: a D record has 7 fields, expected 8" },
		{ "P|0||Шевченко|Тарас||2000-01-01|M|3652504575|||||\n",
		  "line 2: a P line does not belong in an answer file" },
		{ "X|1\n", "line 2: unknown record \"X\"" },
	};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf, sizeof buf, HDR "1\n%s", cases[i].line);
		expect_body_error(buf, 1, cases[i].msg);
	}
}

#define EHDR "HROMADA-DAT|1|export|UTF-8|asopd|000001|7|" \
	"2024-06-10T06:13:20Z|1\n"
#define ALINE "A|42|00012/2024|birth|post||Глухів|\n"
#define PLINE "P|0||Шевченко|Тарас||2000-01-01|M|3652504575|||||\n"

static void
test_bad_export_fields(void **state)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|M|3652504570|||||\n",
		  "line 3, field rnokpp: " },
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|F|3652504575|||||\n",
		  "line 3, field rnokpp: " },
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|M|REFUSED|||||\n",
		  "line 3, field doc_number: a person without an РНОКПП needs "
		  "an identity document" },
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|M||passport|MK123456|||\n",
		  "line 3, field doc_number: write it in canonical form: МК123456" },
		{ ALINE "P|1|spouse|Шевченко|Тарас||2000-01-01|M|3652504575|||||\n",
		  "line 3, field member: expected member 0" },
		{ ALINE "P|0||  |Тарас||2000-01-01|M|3652504575|||||\n",
		  "line 3, field surname: must not be empty" },
		{ ALINE "P|0||Шевченко|Тарас||01.01.2000|M|3652504575|||||\n",
		  "line 3, field birth_date: write the date as YYYY-MM-DD" },
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|M|3652504575|||20000101-00001||\n",
		  "line 3, field unzr: " },
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|M|3652504575|||||\n"
		  "I|1|salary|2024-01-01|2024-06-30|100\n",
		  "line 4, field member: application 00012/2024 has no member 1" },
		{ ALINE "P|0||Шевченко|Тарас||2000-01-01|M|3652504575|||||\n"
		  "I|0|bribe|2024-01-01|2024-06-30|100\n",
		  "line 4, field type: \"bribe\" is not one of" },
		{ ALINE, "line 3: application 00012/2024 has no applicant" },
		{ "A|42|00012/2024|birth|bank|UA213996220000026007233566000||\n",
		  "line 2, field iban: " },
		{ "A|42|00012/2024|birth|post|||\n",
		  "line 2, field post_office: must not be empty" },
		{ "A|42|00012/2024|birth|post||Глухів|0671234567\n",
		  "line 2, field phone: write it in canonical form: +380671234567" },
		{ "A|42|00012/2024|Birth|post||Глухів|\n",
		  "line 2, field service: " },
		{ "P|0||Шевченко|Тарас||2000-01-01|M|3652504575|||||\n",
		  "line 2: P line before the first A line" },
		{ "D|42|00012/2024|refused||||ні\n",
		  "line 2: a D line does not belong in an export file" },
		{ ALINE "S|id_doc|pdf|10|" H1 "\n",
		  "line 3: S lines come after the P lines" },
		{ ALINE PLINE "S|id_doc|pdf|10|" H1 "\n"
		  "I|0|salary|2024-01-01|2024-06-30|100\n",
		  "line 5: I lines come before the S lines" },
		{ ALINE PLINE "S|id_doc|pdf|10|" H1 "\n" PLINE,
		  "line 5: P lines come before the I and S lines" },
		{ ALINE PLINE "S|ID doc|pdf|10|" H1 "\n",
		  "line 4, field doc: a document code is" },
		{ ALINE PLINE "S|id_doc|gif|10|" H1 "\n",
		  "line 4, field type: \"gif\" is not jpeg, png, pdf or tiff" },
		{ ALINE PLINE "S|id_doc|pdf|0|" H1 "\n",
		  "line 4, field size: " },
		{ ALINE PLINE "S|id_doc|pdf|10|" H1 "0\n",
		  "line 4, field hash: a hash is 64 lower-case hex digits" },
		{ ALINE PLINE "S|id_doc|pdf|10|0123456789ABCDEF0123456789abcdef"
		  "0123456789abcdef0123456789abcdef\n",
		  "line 4, field hash: a hash is 64 lower-case hex digits" },
		{ ALINE PLINE "S|id_doc|pdf|10\n",
		  "line 4: an S record has 4 fields, expected 5" },
		{ "S|id_doc|pdf|10|" H1 "\n",
		  "line 2: S line before the first A line" },
	};
	char buf[1024];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf, sizeof buf, EHDR "%s", cases[i].body);
		expect_body_error(buf, 1, cases[i].msg);
	}
}

static void
test_too_big(void **state)
{
	char *s = calloc(1, HR_DAT_FILE_MAX + 1);

	(void)state;
	expect_error(s, HR_DAT_FILE_MAX + 1, "at most 983040 are accepted");
	free(s);
}

static void
test_crlf_accepted(void **state)
{
	char buf[512];
	size_t len;
	char *s;
	struct hr_dat d;
	struct hr_error err;

	(void)state;
	snprintf(buf, sizeof buf, HDR "1\r\n%s", good_d);
	s = with_end(buf, 1, &len);
	assert_int_equal(hr_dat_parse(s, len, &d, &err), 0);
	assert_true(d.answers[0].amount == 150000);
	hr_dat_free(&d);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_cp1251_round_trip),
		cmocka_unit_test(test_cp1251_unrepresentable),
		cmocka_unit_test(test_answer_amounts_exact),
		cmocka_unit_test(test_filename_and_crc),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_wrong_count),
		cmocka_unit_test(test_checksum_and_truncation),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_bad_export_fields),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_crlf_accepted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
