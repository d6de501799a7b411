/*
 * test_ident.c — identifier checks, dates and amounts (proto/ident.h).
 *
 * The DOMAIN.md samples first, then the edges each check exists for.  Every
 * input is passed as (pointer, length) into an exact-size heap copy, so
 * AddressSanitizer catches any read past the end of the given bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "proto/ident.h"

/* Exact-size copy without a NUL; freed by the tests' teardown list. */
static char *copies[256];
static size_t ncopies;

static const char *
x(const char *s)
{
	size_t n = strlen(s);
	char *c = malloc(n ? n : 1);

	assert_non_null(c);
	memcpy(c, s, n);
	assert_true(ncopies < sizeof copies / sizeof copies[0]);
	copies[ncopies++] = c;
	return c;
}

static int
free_copies(void **state)
{
	(void)state;
	while (ncopies > 0)
		free(copies[--ncopies]);
	return 0;
}

/* Each call checks one string; the macros keep the tables readable. */
/* An input as (exact-size copy, length). */
#define X(s) x(s), strlen(s)

#define RNOKPP(s, info, err) hr_rnokpp_check(x(s), strlen(s), info, err)

static void
expect_invalid(int rc, const struct hr_error *err, const char *needle)
{
	assert_int_equal(rc, -1);
	assert_int_equal(err->code, HR_E_INVALID);
	if (strstr(err->msg, needle) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", err->msg, needle);
}

/* ---- dates ---------------------------------------------------------------- */

static void
test_date_valid(void **state)
{
	(void)state;
	assert_true(hr_date_valid(2000, 2, 29));    /* divisible by 400 */
	assert_false(hr_date_valid(1900, 2, 29));   /* by 100, not 400 */
	assert_true(hr_date_valid(2024, 2, 29));
	assert_false(hr_date_valid(2023, 2, 29));
	assert_false(hr_date_valid(2023, 4, 31));
	assert_true(hr_date_valid(2023, 12, 31));
	assert_false(hr_date_valid(2023, 13, 1));
	assert_false(hr_date_valid(2023, 0, 1));
	assert_false(hr_date_valid(2023, 1, 0));
	assert_false(hr_date_valid(0, 1, 1));
	assert_false(hr_date_valid(10000, 1, 1));
}

static void
test_date_parse(void **state)
{
	struct hr_date d;
	struct hr_error err;

	(void)state;
	assert_int_equal(hr_date_parse(x("29.02.2000"), 10, NULL, &d, &err), 0);
	assert_int_equal(d.y, 2000);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	assert_int_equal(hr_date_parse(x("1984-01-02"), 10, NULL, &d, &err), 0);
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 19840102);
	assert_int_equal(hr_date_parse(x(" 1.2.2003 "), 10, NULL, &d, &err), 0);
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20030201);

	expect_invalid(hr_date_parse(x("29.02.1900"), 10, "birth date", &d, &err),
	    &err, "birth date: there is no such day");
	expect_invalid(hr_date_parse(x("31.04.2020"), 10, NULL, &d, &err),
	    &err, "date: there is no such day");
	expect_invalid(hr_date_parse(x(""), 0, "birth date", &d, &err),
	    &err, "birth date is empty");
	expect_invalid(hr_date_parse(x("   "), 3, NULL, &d, &err), &err, "empty");
	static const char *const bad[] = {
		"2000-1-01", "01.01.00", "001.01.2000", "01.01.20000",
		"01/01/2000", "01.01.2000x", "1a.01.2000", "2000-01-01T00",
		"01..2000", ".01.2000", "01.01.", "+1.01.2000",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_invalid(hr_date_parse(x(bad[i]), strlen(bad[i]), NULL,
		    &d, &err), &err, "write it as DD.MM.YYYY");
	/* Bytes after len are not part of the input. */
	assert_int_equal(hr_date_parse("01.01.2000999", 10, NULL, &d, &err), 0);
}

static void
test_date_days(void **state)
{
	static const struct { int y, m, d; int32_t days; } cases[] = {
		{ 1899, 12, 31, 0 }, { 1900, 1, 1, 1 }, { 1900, 3, 1, 60 },
		{ 2000, 1, 1, 36525 }, { 1984, 1, 2, 30682 },
		{ 1948, 2, 28, 17590 }, { 2173, 10, 14, 99999 },
		{ 1, 1, 1, -693594 }, { 9999, 12, 31, 2958464 },
		{ 1970, 1, 1, 25568 },
	};
	struct hr_date d, back;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d = (struct hr_date){ cases[i].y, cases[i].m, cases[i].d };
		assert_int_equal(hr_date_to_days(&d), cases[i].days);
		assert_int_equal(hr_date_from_days(cases[i].days, &back), 0);
		assert_int_equal(hr_date_cmp(&d, &back), 0);
	}
	d = (struct hr_date){ 2147483647, 12, 31 };
	assert_int_equal(hr_date_to_days(&d), INT32_MIN);
	assert_int_equal(hr_date_from_days(-693595, &back), -1);
	assert_int_equal(hr_date_from_days(2958465, &back), -1);
	/* Every day of 1896..2104 round-trips and the next day is +1. */
	for (int32_t n = -1461; n < 74000; n++) {
		assert_int_equal(hr_date_from_days(n, &d), 0);
		assert_true(hr_date_valid(d.y, d.m, d.d));
		assert_int_equal(hr_date_to_days(&d), n);
		assert_int_equal(hr_date_from_days(n + 1, &back), 0);
		assert_int_equal(hr_date_cmp(&d, &back), -1);
	}
}

static void
test_date_format(void **state)
{
	struct hr_date d = { 2000, 1, 5 };
	char out[HR_DATE_STR_MAX];

	(void)state;
	assert_int_equal(hr_date_format(&d, out, sizeof out), 0);
	assert_string_equal(out, "05.01.2000");
	assert_int_equal(hr_date_format(&d, out, sizeof out - 1), -1);
	d.d = 32;
	assert_int_equal(hr_date_format(&d, out, sizeof out), -1);
}

/* Local time of a day: the next day's midnight is a whole day later or
 * (summer time) an hour off; a month's end rolls over. */
static void
test_date_local(void **state)
{
	struct hr_date d = { 2026, 10, 31 };
	struct tm      tm;
	time_t         t;
	int64_t        at = hr_date_local(&d, 1, 12, 30);

	(void)state;
	t = (time_t)at;
	assert_non_null(localtime_r(&t, &tm));
	assert_int_equal(tm.tm_year, 126);
	assert_int_equal(tm.tm_mon, 10);       /* November */
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 12);
	assert_int_equal(tm.tm_min, 30);
	at = hr_date_local(&d, 1, 0, 0) - hr_date_local(&d, 0, 0, 0);
	assert_true(at >= 23 * 3600 && at <= 25 * 3600);
}

/* ---- РНОКПП ---------------------------------------------------------------- */

static void
test_rnokpp_domain_samples(void **state)
{
	struct hr_rnokpp_info in;
	struct hr_error err;

	(void)state;
	assert_int_equal(RNOKPP("3652504575", &in, &err), 0);
	assert_int_equal(in.days, 36525);
	assert_int_equal(in.birth.y * 10000 + in.birth.m * 100 + in.birth.d,
	    20000101);
	assert_int_equal(in.sex, HR_SEX_MALE);

	assert_int_equal(RNOKPP("3068208400", &in, &err), 0);
	assert_int_equal(in.sex, HR_SEX_FEMALE);
	assert_int_equal(in.birth.y * 10000 + in.birth.m * 100 + in.birth.d,
	    19840102);

	assert_int_equal(RNOKPP("1759013776", NULL, &err), 0);
	expect_invalid(RNOKPP("1759013770", &in, &err), &err,
	    "РНОКПП: check digit is wrong");
}

static void
test_rnokpp_negative_sum(void **state)
{
	struct hr_error err;

	(void)state;
	/* Σ = -9: C gives -9 % 11 == -9; the right digit is 2, not 9 or 1. */
	assert_int_equal(RNOKPP("9000000002", NULL, &err), 0);
	expect_invalid(RNOKPP("9000000009", NULL, &err), &err, "check digit");
	expect_invalid(RNOKPP("9000000001", NULL, &err), &err, "check digit");
	/* Σ = -1: remainder 10, check digit 0. */
	assert_int_equal(RNOKPP("1000000000", NULL, &err), 0);
	assert_int_equal(RNOKPP("0000000000", NULL, &err), 0);
}

static void
test_rnokpp_form(void **state)
{
	static const char *const bad[] = {
		"365250457", "36525045755", "365250457a", "3652 04575",
		"-652504575", "３652504575",
	};
	struct hr_error err;

	(void)state;
	expect_invalid(RNOKPP("", NULL, &err), &err, "РНОКПП is empty");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_invalid(RNOKPP(bad[i], NULL, &err), &err,
		    "exactly 10 digits");
	/* err may be NULL. */
	assert_int_equal(RNOKPP("1759013770", NULL, NULL), -1);
}

static void
test_rnokpp_match(void **state)
{
	struct hr_date born = { 2000, 1, 1 }, other = { 2000, 1, 2 };
	struct hr_error err;

	(void)state;
	assert_int_equal(hr_rnokpp_match(x("3652504575"), 10, &born,
	    HR_SEX_MALE, &err), 0);
	assert_int_equal(hr_rnokpp_match(x("3652504575"), 10, NULL,
	    HR_SEX_UNKNOWN, &err), 0);
	expect_invalid(hr_rnokpp_match(x("3652504575"), 10, &other,
	    HR_SEX_MALE, &err), &err,
	    "РНОКПП: birth date does not match (the number says 01.01.2000)");
	expect_invalid(hr_rnokpp_match(x("3652504575"), 10, &born,
	    HR_SEX_FEMALE, &err), &err,
	    "РНОКПП: sex does not match (the number says male)");
	expect_invalid(hr_rnokpp_match(x("3652504570"), 10, &born,
	    HR_SEX_MALE, &err), &err, "РНОКПП: check digit is wrong");
}

static void
test_rnokpp_make(void **state)
{
	char out[HR_RNOKPP_LEN + 1];
	struct hr_rnokpp_info in;
	struct hr_error err;

	(void)state;
	/* serial 3045: digits 6-8 "045", digit 9 the fourth odd one, 7. */
	assert_int_equal(hr_rnokpp_make(36525, 3045, HR_SEX_MALE, out), 0);
	assert_string_equal(out, "3652504575");
	assert_int_equal(hr_rnokpp_make(30682, 84, HR_SEX_FEMALE, out), 0);
	assert_string_equal(out, "3068208400");
	/* Every combination is valid and decodes back. */
	for (int32_t days = 0; days <= 99999; days += 997) {
		for (int serial = 0; serial <= 4999; serial += 71) {
			for (int sex = HR_SEX_MALE; sex <= HR_SEX_FEMALE; sex++) {
				assert_int_equal(hr_rnokpp_make(days, serial,
				    sex, out), 0);
				assert_int_equal(hr_rnokpp_check(out, 10, &in,
				    &err), 0);
				assert_int_equal(in.days, days);
				assert_int_equal(in.sex, sex);
			}
		}
	}
	assert_int_equal(hr_rnokpp_make(-1, 0, HR_SEX_MALE, out), -1);
	assert_int_equal(hr_rnokpp_make(100000, 0, HR_SEX_MALE, out), -1);
	assert_int_equal(hr_rnokpp_make(1, 5000, HR_SEX_MALE, out), -1);
	assert_int_equal(hr_rnokpp_make(1, -1, HR_SEX_MALE, out), -1);
	assert_int_equal(hr_rnokpp_make(1, 0, HR_SEX_UNKNOWN, out), -1);
}

/* ---- УНЗР ------------------------------------------------------------------ */

static void
test_unzr(void **state)
{
	struct hr_date d, born = { 2000, 1, 1 }, other = { 2000, 1, 2 };
	struct hr_error err;

	(void)state;
	/* 7·2 + 3·0 + ... + 1·3 = 34: check digit 4. */
	assert_int_equal(hr_unzr_check(x("20000101-01234"), 14, &d, &err), 0);
	assert_int_equal(hr_date_cmp(&d, &born), 0);
	assert_int_equal(hr_unzr_check(x("19870915-00426"), 14, NULL, &err), 0);
	expect_invalid(hr_unzr_check(x("20000101-01235"), 14, &d, &err), &err,
	    "УНЗР: check digit is wrong");
	expect_invalid(hr_unzr_check(x("19000229-00001"), 14, &d, &err), &err,
	    "УНЗР: the first 8 digits are not a real date");
	expect_invalid(hr_unzr_check(x(""), 0, &d, &err), &err, "УНЗР is empty");
	static const char *const bad[] = {
		"2000010101234", "20000101-0123", "20000101-012345",
		"20000101 01234", "2000010a-01234", "20000101-0123x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_invalid(hr_unzr_check(x(bad[i]), strlen(bad[i]), &d,
		    &err), &err, "УНЗР: write it as YYYYMMDD-NNNNN");
	assert_int_equal(hr_unzr_match(x("20000101-01234"), 14, &born, &err), 0);
	expect_invalid(hr_unzr_match(x("20000101-01234"), 14, &other, &err),
	    &err, "УНЗР: birth date does not match (the number says 01.01.2000)");
}

/* hr_unzr_make writes the numbers hr_unzr_check accepts, with the date. */
static void
test_unzr_make(void **state)
{
	struct hr_date born = { 2000, 1, 1 }, d, bad = { 1900, 2, 29 };
	struct hr_error err;
	char out[HR_UNZR_LEN + 1];

	(void)state;
	assert_int_equal(hr_unzr_make(&born, 123, out), 0);
	assert_string_equal(out, "20000101-01234");
	for (int serial = 0; serial <= 9999; serial += 7) {
		struct hr_date b = { 1950 + serial % 70, 1 + serial % 12,
		    1 + serial % 28 };

		assert_int_equal(hr_unzr_make(&b, serial, out), 0);
		assert_int_equal(hr_unzr_check(out, strlen(out), &d, &err), 0);
		assert_int_equal(hr_date_cmp(&d, &b), 0);
	}
	assert_int_equal(hr_unzr_make(&born, -1, out), -1);
	assert_int_equal(hr_unzr_make(&born, 10000, out), -1);
	assert_int_equal(hr_unzr_make(&bad, 0, out), -1);
}

/* ---- documents -------------------------------------------------------------- */

static void
expect_doc(enum hr_doc_kind kind, const char *in, const char *want)
{
	char out[HR_DOCNUM_STR_MAX];
	struct hr_error err;

	if (hr_docnum_normalize(kind, x(in), strlen(in), out, sizeof out,
	    &err) != 0)
		fail_msg("\"%s\": %s", in, err.msg);
	assert_string_equal(out, want);
}

static void
expect_doc_bad(enum hr_doc_kind kind, const char *in, const char *needle)
{
	char out[HR_DOCNUM_STR_MAX];
	struct hr_error err;

	expect_invalid(hr_docnum_normalize(kind, x(in), strlen(in), out,
	    sizeof out, &err), &err, needle);
	assert_string_equal(out, "");
}

static void
test_docnum_passport(void **state)
{
	/* Each Latin look-alike, upper and lower case, and its Cyrillic letter. */
	static const char latin[] = "ABCEHIKMOPTX";
	static const char *const cyr[] = {
		"А", "В", "С", "Е", "Н", "І", "К", "М", "О", "Р", "Т", "Х",
	};
	char in[16], want[16];

	(void)state;
	expect_doc(HR_DOC_PASSPORT, "МК123456", "МК123456");
	expect_doc(HR_DOC_PASSPORT, "мк123456", "МК123456");
	expect_doc(HR_DOC_PASSPORT, "MK123456", "МК123456");      /* Latin */
	expect_doc(HR_DOC_PASSPORT, " mk 123456 ", "МК123456");
	expect_doc(HR_DOC_PASSPORT, "Мk №123456", "МК123456");    /* mixed */
	expect_doc(HR_DOC_PASSPORT, "ії000001", "ІЇ000001");
	expect_doc(HR_DOC_PASSPORT, "ґє000001", "ҐЄ000001");
	for (size_t i = 0; i < sizeof latin - 1; i++) {
		snprintf(in, sizeof in, "%c%c123456", latin[i],
		    latin[i] - 'A' + 'a');
		snprintf(want, sizeof want, "%s%s123456", cyr[i], cyr[i]);
		expect_doc(HR_DOC_PASSPORT, in, want);
	}
	expect_doc_bad(HR_DOC_PASSPORT, "", "passport: number is empty");
	static const char *const bad[] = {
		"МК12345", "МК1234567", "М123456", "МКК123456", "12345678",
		"DK123456",   /* D has no Cyrillic look-alike */
		"ЫЮ12345a", "М-К123456", "МК\xff" "123456", "ΑΒ123456",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_doc_bad(HR_DOC_PASSPORT, bad[i],
		    "passport: write 2 Cyrillic letters and 6 digits");
}

static void
test_docnum_id_card(void **state)
{
	(void)state;
	expect_doc(HR_DOC_ID_CARD, "001234567", "001234567");
	expect_doc(HR_DOC_ID_CARD, "001 234 567", "001234567");
	expect_doc_bad(HR_DOC_ID_CARD, "00123456", "ID card: write the 9 digits");
	expect_doc_bad(HR_DOC_ID_CARD, "0012345678", "ID card: write the 9");
	expect_doc_bad(HR_DOC_ID_CARD, "00123456O", "ID card: write the 9");
	expect_doc_bad(HR_DOC_ID_CARD, "  ", "ID card: number is empty");
}

static void
test_docnum_birth_cert(void **state)
{
	(void)state;
	expect_doc(HR_DOC_BIRTH_CERT, "I-АБ123456", "I-АБ123456");
	expect_doc(HR_DOC_BIRTH_CERT, "І-АБ 123456", "I-АБ123456");  /* Cyr І */
	expect_doc(HR_DOC_BIRTH_CERT, "іі-аб №123456", "II-АБ123456");
	expect_doc(HR_DOC_BIRTH_CERT, "IV-AB123456", "IV-АВ123456");
	expect_doc(HR_DOC_BIRTH_CERT, "Х-ЖР000001", "X-ЖР000001");   /* Cyr Х */
	expect_doc(HR_DOC_BIRTH_CERT, "XXXVIII-ЖР000001", "XXXVIII-ЖР000001");
	expect_doc(HR_DOC_BIRTH_CERT, "xix-жр000001", "XIX-ЖР000001");
	static const char *const bad[] = {
		"IIII-АБ123456", "VV-АБ123456", "IL-АБ123456", "1-АБ123456",
		"АБ123456", "I АБ123456", "I-АБ12345", "I-АБВ123456",
		"-АБ123456", "I-", "I", "IIIIIIIII-АБ123456", "XL-АБ123456",
		"I–АБ123456",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_doc_bad(HR_DOC_BIRTH_CERT, bad[i],
		    "birth certificate: write the series and number");
}

static void
test_docnum_misc(void **state)
{
	char out[HR_DOCNUM_STR_MAX];
	struct hr_error err;

	(void)state;
	assert_int_equal(hr_docnum_guess(X("мк 123456")), HR_DOC_PASSPORT);
	assert_int_equal(hr_docnum_guess(X("123456789")), HR_DOC_ID_CARD);
	assert_int_equal(hr_docnum_guess(X("I-АБ123456")),
	    HR_DOC_BIRTH_CERT);
	assert_int_equal(hr_docnum_guess(X("hello")), HR_DOC_UNKNOWN);
	/* Too small a buffer is the caller's bug, reported as such. */
	assert_int_equal(hr_docnum_normalize(HR_DOC_PASSPORT, X("МК123456"),
	    out, 10, &err), -1);
	assert_int_equal(err.code, HR_E_INTERNAL);
	assert_string_equal(out, "");
	assert_int_equal(hr_docnum_normalize(HR_DOC_PASSPORT, X("МК123456"),
	    out, 11, &err), 0);
	assert_int_equal(hr_docnum_normalize(HR_DOC_UNKNOWN, X("МК123456"),
	    out, sizeof out, &err), -1);
	assert_int_equal(hr_docnum_normalize((enum hr_doc_kind)99, x("1"), 1,
	    out, sizeof out, &err), -1);
	/* Long input is refused without being copied anywhere. */
	{
		size_t n = 100000;
		char *big = malloc(n);
		assert_non_null(big);
		memset(big, '1', n);
		assert_int_equal(hr_docnum_normalize(HR_DOC_ID_CARD, big, n, out,
		    sizeof out, &err), -1);
		free(big);
	}
}

/* ---- IBAN ------------------------------------------------------------------- */

static void
expect_iban(const char *in, const char *want)
{
	char out[HR_IBAN_STR_MAX];
	struct hr_error err;

	if (hr_iban_normalize(x(in), strlen(in), out, sizeof out, &err) != 0)
		fail_msg("\"%s\": %s", in, err.msg);
	assert_string_equal(out, want);
}

static void
expect_iban_bad(const char *in, const char *needle)
{
	char out[HR_IBAN_STR_MAX];
	struct hr_error err;

	expect_invalid(hr_iban_normalize(x(in), strlen(in), out, sizeof out,
	    &err), &err, needle);
	assert_string_equal(out, "");
}

static void
test_iban(void **state)
{
	static const char good[] = "UA213996220000026007233566001";
	char one_off[sizeof good], out[HR_IBAN_STR_MAX];
	struct hr_error err;

	(void)state;
	expect_iban(good, good);
	expect_iban("UA21 3996 2200 0002 6007 2335 6600 1", good);
	expect_iban("ua213996220000026007233566001", good);
	/* Every single-digit change past the prefix is caught. */
	for (size_t i = 2; i < sizeof good - 1; i++) {
		memcpy(one_off, good, sizeof good);
		one_off[i] = (char)('0' + (good[i] - '0' + 1) % 10);
		expect_iban_bad(one_off, "IBAN: check digits are wrong");
	}
	/* A Cyrillic look-alike is refused, not fixed. */
	expect_iban_bad("UА213996220000026007233566001", "Cyrillic");   /* А */
	expect_iban_bad("UA21399622000002600723356600І", "Cyrillic");   /* І */
	expect_iban_bad("", "IBAN is empty");
	expect_iban_bad("   ", "IBAN is empty");
	expect_iban_bad("DE89370400440532013000", "starts with UA");
	expect_iban_bad("U", "starts with UA");
	expect_iban_bad("UA21399622000002600723356600", "too short");
	expect_iban_bad("UA2139962200000260072335660011", "too long");
	expect_iban_bad("UA213996220000026007233566001UA213996220000026007233566001",
	    "too long");
	expect_iban_bad("UA21-3996-2200", "only Latin letters and digits");
	expect_iban_bad("UAXX3996220000026007233566001", "2 check digits");
	expect_iban_bad("UA2139962A0000026007233566001", "6-digit bank code");
	/* Letters in the account are legal and counted as 10..35. */
	expect_iban("ua26 3052 9929 9000 4149 abc1 2345 6",
	    "UA263052992990004149ABC123456");
	assert_int_equal(hr_iban_normalize(x(good), 29, out, 29, &err), -1);
	assert_int_equal(err.code, HR_E_INTERNAL);
}

/* hr_iban_make writes the numbers hr_iban_normalize accepts. */
static void
test_iban_make(void **state)
{
	char out[HR_IBAN_STR_MAX], got[HR_IBAN_STR_MAX], bban[32];
	struct hr_error err;

	(void)state;
	assert_int_equal(hr_iban_make("3996220000026007233566001", out), 0);
	assert_string_equal(out, "UA213996220000026007233566001");
	assert_int_equal(hr_iban_make("3052992990004149ABC123456", out), 0);
	assert_string_equal(out, "UA263052992990004149ABC123456");
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(bban, sizeof bban, "305299%019u", i * 7919u);
		assert_int_equal(hr_iban_make(bban, out), 0);
		assert_int_equal(hr_iban_normalize(out, strlen(out), got,
		    sizeof got, &err), 0);
		assert_string_equal(got, out);
	}
	assert_int_equal(hr_iban_make("399622000002600723356600", out), -1);
	assert_int_equal(hr_iban_make("39962200000260072335660011", out), -1);
	assert_int_equal(hr_iban_make("3996220000026007233566-01", out), -1);
	assert_int_equal(hr_iban_make("3996220000026007233566a01", out), -1);
}

/* ---- КАТОТТГ ---------------------------------------------------------------- */

static void
test_katottg(void **state)
{
	struct hr_error err;

	(void)state;
	assert_int_equal(hr_katottg_check(x("UA05020030010063857"), 19, &err), 0);
	expect_invalid(hr_katottg_check(x(""), 0, &err), &err, "КАТОТТГ is empty");
	static const char *const bad[] = {
		"UA0502003001006385", "UA050200300100638570", "ua05020030010063857",
		"UA0502003001006385x", "XX05020030010063857", "05020030010063857",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_invalid(hr_katottg_check(x(bad[i]), strlen(bad[i]), &err),
		    &err, "КАТОТТГ: must be UA and 17 digits");
}

/* ---- phones ------------------------------------------------------------------ */

static void
test_phone(void **state)
{
	static const char *const same[] = {
		"0671234567", "380671234567", "+380671234567", "80671234567",
		"+38 (067) 123-45-67", "067 123 45 67", "(067)123.45.67",
		" 8 067 1234567 ",
	};
	static const char *const bad[] = {
		"671234567", "06712345678", "+0671234567", "+80671234567",
		"1234567890", "0671234567x", "+", "38067+1234567",
		"+380 67 123 45 67 8", "00380671234567",
	};
	char out[HR_PHONE_STR_MAX];
	struct hr_error err;

	(void)state;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		if (hr_phone_normalize(x(same[i]), strlen(same[i]), out,
		    sizeof out, &err) != 0)
			fail_msg("\"%s\": %s", same[i], err.msg);
		assert_string_equal(out, "+380671234567");
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_invalid(hr_phone_normalize(x(bad[i]), strlen(bad[i]),
		    out, sizeof out, &err), &err, "phone: write a Ukrainian number");
	expect_invalid(hr_phone_normalize(x("0012345678"), 10, out, sizeof out,
	    &err), &err, "cannot start with 0");
	expect_invalid(hr_phone_normalize(x(""), 0, out, sizeof out, &err),
	    &err, "phone is empty");
	assert_int_equal(hr_phone_normalize(x("0671234567"), 10, out, 13, &err),
	    -1);
	assert_int_equal(err.code, HR_E_INTERNAL);
}

/* ---- amounts ------------------------------------------------------------------ */

static void
expect_amount(const char *in, int64_t want)
{
	struct hr_error err;
	int64_t k = -1;

	if (hr_amount_parse(x(in), strlen(in), NULL, &k, &err) != 0)
		fail_msg("\"%s\": %s", in, err.msg);
	assert_int_equal(k, want);
}

static void
expect_amount_bad(const char *in, const char *needle)
{
	struct hr_error err;
	int64_t k = 42;

	expect_invalid(hr_amount_parse(x(in), strlen(in), "benefit", &k, &err),
	    &err, needle);
	assert_int_equal(k, 42);
}

static void
test_amount_parse(void **state)
{
	(void)state;
	expect_amount("0,01", 1);
	expect_amount("1 234,56", 123456);
	expect_amount("1234.56", 123456);
	expect_amount("1234", 123400);
	expect_amount("0,5", 50);
	expect_amount("0", 0);
	expect_amount(" 12 ", 1200);
	expect_amount("1\xc2\xa0" "234\xc2\xa0" "567,89", 123456789);  /* NBSP */
	expect_amount("1\xe2\x80\xaf" "000", 100000);                   /* NNBSP */
	expect_amount("007,00", 700);
	expect_amount("92233720368547758,07", INT64_MAX);
	expect_amount("92 233 720 368 547 758,07", INT64_MAX);

	expect_amount_bad("1.234", "benefit: at most 2 digits after the comma");
	expect_amount_bad("1,234", "at most 2 digits");
	expect_amount_bad("-1", "benefit must not be negative");
	expect_amount_bad("-0,01", "must not be negative");
	expect_amount_bad("92233720368547758,08", "benefit is too large");
	expect_amount_bad("92233720368547759", "too large");
	expect_amount_bad("99999999999999999999999999", "too large");
	expect_amount_bad("", "benefit is empty");
	expect_amount_bad(" ", "benefit is empty");
	expect_amount_bad("12 34", "digit groups are of three");
	expect_amount_bad("1 2345", "digit groups are of three");
	expect_amount_bad("1234 567", "digit groups are of three");
	expect_amount_bad("1  234", "digit groups are of three");
	expect_amount_bad("1 234 ,5", "digit groups are of three");
	static const char *const form[] = {
		"1,", ",5", ".5", "1,2,3", "1.2.3", "1e3", "+1", "abc",
		"1 234,56 грн", "12,3a", "0x10", "1'234",
	};
	for (size_t i = 0; i < sizeof form / sizeof form[0]; i++)
		expect_amount_bad(form[i], "benefit: write a sum like 1234,56");
}

static void
test_amount_format(void **state)
{
	static const struct { int64_t k; const char *s; } cases[] = {
		{ 0, "0,00" }, { 1, "0,01" }, { 50, "0,50" }, { 123456, "1 234,56" },
		{ 100000, "1 000,00" }, { 99999, "999,99" },
		{ 123456789, "1 234 567,89" }, { -123456, "-1 234,56" },
		{ INT64_MAX, "92 233 720 368 547 758,07" },
		{ INT64_MIN, "-92 233 720 368 547 758,08" },
	};
	char out[HR_AMOUNT_STR_MAX];
	struct hr_error err;
	int64_t back;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(hr_amount_format(cases[i].k, out, sizeof out), 0);
		assert_string_equal(out, cases[i].s);
		if (cases[i].k >= 0) {
			assert_int_equal(hr_amount_parse(out, strlen(out), NULL,
			    &back, &err), 0);
			assert_int_equal(back, cases[i].k);
		}
	}
	assert_int_equal(hr_amount_format(123456, out, 9), 0);
	assert_int_equal(hr_amount_format(123456, out, 8), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_date_valid, free_copies),
		cmocka_unit_test_teardown(test_date_local, free_copies),
		cmocka_unit_test_teardown(test_date_parse, free_copies),
		cmocka_unit_test_teardown(test_date_days, free_copies),
		cmocka_unit_test_teardown(test_date_format, free_copies),
		cmocka_unit_test_teardown(test_rnokpp_domain_samples, free_copies),
		cmocka_unit_test_teardown(test_rnokpp_negative_sum, free_copies),
		cmocka_unit_test_teardown(test_rnokpp_form, free_copies),
		cmocka_unit_test_teardown(test_rnokpp_match, free_copies),
		cmocka_unit_test_teardown(test_rnokpp_make, free_copies),
		cmocka_unit_test_teardown(test_unzr, free_copies),
		cmocka_unit_test(test_unzr_make),
		cmocka_unit_test_teardown(test_docnum_passport, free_copies),
		cmocka_unit_test_teardown(test_docnum_id_card, free_copies),
		cmocka_unit_test_teardown(test_docnum_birth_cert, free_copies),
		cmocka_unit_test_teardown(test_docnum_misc, free_copies),
		cmocka_unit_test_teardown(test_iban, free_copies),
		cmocka_unit_test(test_iban_make),
		cmocka_unit_test_teardown(test_katottg, free_copies),
		cmocka_unit_test_teardown(test_phone, free_copies),
		cmocka_unit_test_teardown(test_amount_parse, free_copies),
		cmocka_unit_test_teardown(test_amount_format, free_copies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
