/*
 * test_fold.c — search folding (proto/fold.h).
 *
 * The property that matters is that the different ways a clerk or a legacy
 * register writes one name fold to the same bytes; then the exact outputs,
 * cutting at small capacities, bad UTF-8 and the query classifier.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/fold.h"

/* Fold a NUL-terminated test string through an exact-size heap copy, so that
 * AddressSanitizer sees a read past len.  Returns a malloc'd result. */
static char *
fold(const char *s)
{
	size_t n = strlen(s);
	char *c = malloc(n ? n : 1), *r;

	assert_non_null(c);
	memcpy(c, s, n);
	r = hr_fold(c, n);
	free(c);
	assert_non_null(r);
	return r;
}

static void
expect_fold(const char *in, const char *want)
{
	char *got = fold(in);

	if (strcmp(got, want) != 0) {
		char msg[512];
		snprintf(msg, sizeof msg, "fold(\"%s\") = \"%s\", want \"%s\"",
		    in, got, want);
		free(got);
		fail_msg("%s", msg);
	}
	free(got);
}

/* All of in[] fold to the same text. */
static void
expect_same(const char *const *in, size_t n)
{
	char *first = fold(in[0]);

	for (size_t i = 1; i < n; i++)
		expect_fold(in[i], first);
	free(first);
}

#define SAME(...) do { \
	static const char *const v_[] = { __VA_ARGS__ }; \
	expect_same(v_, sizeof v_ / sizeof v_[0]); \
	} while (0)

static void
test_fold_case(void **state)
{
	(void)state;
	SAME("ІВАНЕНКО", "Іваненко", "іваненко", "іВаНеНкО");
	expect_fold("ІВАНЕНКО", "іваненко");
	SAME("Ґудзь", "ґудзь", "ҐУДЗЬ");
	expect_fold("ҐУДЗЬ", "ґудзь");
	expect_fold("ЄВА ЇЖАК", "єва їжак");
	expect_fold("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
	    "абвгдежзийклмнопрстуфхцчшщьюя");
	/* Legacy Russian (and Belarusian Ў) letters. */
	expect_fold("ЁЛКИН ЪЫЭ Ў", "ёлкин ъыэ ў");
	expect_fold("Smith-JONES", "smith-jones");
	/* Already folded text stays as it is. */
	expect_fold("ґудзь мар'яна", "ґудзь мар'яна");
	/* Other scripts and digits pass through. */
	expect_fold("Ωmega 123 №5", "Ωmega 123 №5");
}

static void
test_fold_apostrophes(void **state)
{
	(void)state;
	SAME("Мар'яна",
	    "Марʼяна",        /* U+02BC modifier letter apostrophe */
	    "Мар’яна",        /* U+2019 right single quotation mark */
	    "Мар‘яна",        /* U+2018 left single quotation mark */
	    "Мар`яна",        /* backtick */
	    "МАР´ЯНА",        /* U+00B4 acute accent */
	    "мар'яна");
	expect_fold("Мар’яна", "мар'яна");
	SAME("Петренко-Іваненко", "ПЕТРЕНКО‐ІВАНЕНКО", "петренко–іваненко");
}

static void
test_fold_spaces(void **state)
{
	(void)state;
	expect_fold("  Іваненко \t  Іван\n\nІванович  ", "іваненко іван іванович");
	expect_fold("Іваненко\xc2\xa0Іван", "іваненко іван");        /* NBSP */
	expect_fold("Іваненко\xe2\x80\x83Іван", "іваненко іван");    /* em space */
	expect_fold("", "");
	expect_fold(" \t\r\n ", "");
	/* Invisible characters vanish instead of becoming spaces. */
	expect_fold("Іва\xe2\x80\x8bненко", "іваненко");   /* zero-width space */
	expect_fold("\xef\xbb\xbfІваненко", "іваненко");   /* BOM */
	expect_fold("Іва\xc2\xadненко", "іваненко");       /* soft hyphen */
	expect_fold("a\x01" "b\x7f" "c", "abc");
}

static void
test_fold_compose(void **state)
{
	(void)state;
	/* Decomposed й ї (letter + combining mark) as some editors paste them. */
	SAME("Йосип Їжак", "И\xcc\x86осип І\xcc\x88жак");
	expect_fold("И\xcc\x86", "й");
	expect_fold("е\xcc\x88", "ё");
	/* A mark with nothing to compose with is kept. */
	expect_fold("а\xcc\x86", "а\xcc\x86");
	expect_fold("\xcc\x86", "\xcc\x86");
	/* A blank in between: no composition. */
	expect_fold("и \xcc\x86", "и \xcc\x86");
}

static void
test_fold_invalid_utf8(void **state)
{
	(void)state;
	expect_fold("Іван\xff" "енко", "іваненко");
	expect_fold("\xd0", "");                   /* truncated sequence */
	expect_fold("\xc0\xaf", "");               /* overlong '/' */
	expect_fold("\xed\xa0\x80", "");           /* surrogate */
	expect_fold("\xf4\x90\x80\x80", "");       /* past U+10FFFF */
	expect_fold("\x80\x80Ї", "ї");
	/* Embedded NUL bytes are dropped, so the result is a C string. */
	{
		static const char in[] = { 'A', '\0', 'B' };
		char out[8];
		assert_int_equal(hr_fold_into(in, sizeof in, out, sizeof out), 2);
		assert_string_equal(out, "ab");
	}
}

static void
test_fold_into_cut(void **state)
{
	static const char in[] = "ІВАН Петро";   /* folds to 19 bytes */
	char out[32];

	(void)state;
	assert_int_equal(hr_fold_into(in, strlen(in), out, sizeof out), 19);
	assert_string_equal(out, "іван петро");
	/* Each capacity: the same length is reported, the output is the
	 * longest whole-character prefix that fits with its NUL. */
	for (size_t cap = 1; cap <= 20; cap++) {
		memset(out, 'Z', sizeof out);
		assert_int_equal(hr_fold_into(in, strlen(in), out, cap), 19);
		assert_true(strlen(out) < cap);
		assert_memory_equal(out, "іван петро", strlen(out));
		assert_true(strlen(out) + 2 >= cap || strlen(out) == 19);
	}
	/* cap 0 writes nothing. */
	out[0] = 'Z';
	assert_int_equal(hr_fold_into(in, strlen(in), out, 0), 19);
	assert_int_equal(out[0], 'Z');
	/* Composition near the cut: й is rewritten only if it was written. */
	assert_int_equal(hr_fold_into("аи\xcc\x86", 6, out, 3), 4);
	assert_string_equal(out, "а");
	assert_int_equal(hr_fold_into("аи\xcc\x86", 6, out, 5), 4);
	assert_string_equal(out, "ай");
}

static void
test_query_kind(void **state)
{
	(void)state;
	assert_int_equal(hr_query_kind("3652504575", 10), HR_QUERY_RNOKPP);
	assert_int_equal(hr_query_kind(" 3652504575 ", 12), HR_QUERY_RNOKPP);
	assert_int_equal(hr_query_kind("36525", 5), HR_QUERY_DIGITS);
	assert_int_equal(hr_query_kind("36525045751", 11), HR_QUERY_DIGITS);
	assert_int_equal(hr_query_kind("Іван", strlen("Іван")), HR_QUERY_NAME);
	assert_int_equal(hr_query_kind("365250457а", strlen("365250457а")),
	    HR_QUERY_NAME);
	assert_int_equal(hr_query_kind("", 0), HR_QUERY_EMPTY);
	assert_int_equal(hr_query_kind("  ", 2), HR_QUERY_EMPTY);
	/* Only len bytes count. */
	assert_int_equal(hr_query_kind("3652504575xyz", 10), HR_QUERY_RNOKPP);
}

/*
 * An РНОКПП typed with full-width or other non-ASCII digits, or grouped by
 * blanks, is the number it is (issue 10): never a name, so never looked
 * up or audited as one.
 */
static void
test_query_odd_digits(void **state)
{
	static const struct {
		const char *q;
		int         kind;
		const char *digits;
	} cases[] = {
		{ "\xef\xbc\x93\xef\xbc\x96\xef\xbc\x95\xef\xbc\x92"
		  "\xef\xbc\x95\xef\xbc\x90\xef\xbc\x94\xef\xbc\x95"
		  "\xef\xbc\x97\xef\xbc\x95", HR_QUERY_RNOKPP, "3652504575" },
		{ "٣٦٥٢٥٠٤٥٧٥", HR_QUERY_RNOKPP, "3652504575" },     /* Arabic-Indic */
		{ "3652 504 575", HR_QUERY_RNOKPP, "3652504575" },
		{ "3652\xc2\xa0" "504-575", HR_QUERY_RNOKPP, "3652504575" },
		{ "\xe2\x80\x8b" "3652504575", HR_QUERY_RNOKPP, "3652504575" },
		{ "123 456 789", HR_QUERY_DIGITS, "123456789" },
		{ "Іван 3652504575", HR_QUERY_NAME, "" },
		{ "-", HR_QUERY_NAME, "" },
		{ "\xe2\x80\x8b", HR_QUERY_EMPTY, "" },
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].q);

		if ((int)hr_query_kind(cases[i].q, len) != cases[i].kind)
			fail_msg("case %zu (%s): kind %d", i, cases[i].q,
			    (int)hr_query_kind(cases[i].q, len));
		hr_query_digits(cases[i].q, len, out, sizeof out);
		assert_string_equal(out, cases[i].digits);
	}
	/* Folding keeps them digits, so a stored name never changes. */
	{
		char *f = hr_fold("\xef\xbc\x91\xef\xbc\x92", 6);

		assert_string_equal(f, "12");
		free(f);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_case),
		cmocka_unit_test(test_fold_apostrophes),
		cmocka_unit_test(test_fold_spaces),
		cmocka_unit_test(test_fold_compose),
		cmocka_unit_test(test_fold_invalid_utf8),
		cmocka_unit_test(test_fold_into_cut),
		cmocka_unit_test(test_query_kind),
		cmocka_unit_test(test_query_odd_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
