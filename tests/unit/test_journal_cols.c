/*
 * test_journal_cols.c — the journal's columns at 80×24 (tui/journal_cols.c):
 * every layout fills the width exactly; a starosta district's applicant
 * gets 23 columns beside the clock, a back office's (several hromadas) still
 * 14 or more;
 * names shorten the way people shorten them; an answered application shows
 * its decision and sum in the status column; places shorten to a word.
 *
 * Alike on purpose: it points gettext at the build tree's catalogue
 * (HROMADA_LOCALEDIR from top_builddir, the locale variables set) as
 * tests/unit/test_msgids.c does: a test that reads Ukrainian from the
 * catalogue must set the environment before hr_i18n_init, and each sets
 * the variables its case needs.
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

#include "proto/dat.h"
#include "proto/i18n.h"
#include "proto/roles.h"
#include "tui/journal_cols.h"
#include "tui/text.h"

static int
total(const struct jcols *c)
{
	int w = (int)c->n - 1;

	for (size_t i = 0; i < c->n; i++)
		w += c->lc[i].width;
	return w;
}

static void
test_layout(void **state)
{
	struct jcols c;

	(void)state;
	/* a starosta district: one office, one hromada */
	jcols_layout(&c, 80, 1, 1, 0);
	assert_int_equal(c.n, 6);
	assert_int_equal(c.place, JP_NONE);
	assert_int_equal(total(&c), 80);
	assert_int_equal(c.lc[JC_APPLICANT].width, 23);
	assert_int_equal(c.lc[JC_CLOCK].width, 3);
	assert_int_equal(c.lc[JC_STATUS].width, 18);
	assert_int_equal(c.lc[JC_SERVICE].width, 16);
	assert_false(c.long_date);
	/* a hromada's super: several offices */
	jcols_layout(&c, 80, 3, 1, 10);
	assert_int_equal(c.n, 7);
	assert_int_equal(c.place, JP_OFFICE);
	assert_int_equal(total(&c), 80);
	assert_true(c.lc[JC_APPLICANT].width >= 14);
	/* a back office: several hromadas win over several offices */
	jcols_layout(&c, 80, 5, 3, 11);
	assert_int_equal(c.place, JP_HROMADA);
	assert_int_equal(c.lc[JC_PLACE].width, 8);   /* gave way to the clock */
	assert_int_equal(total(&c), 80);
	assert_true(c.lc[JC_APPLICANT].width >= 14);
	/* long places give way to the applicant, down to 8 columns */
	jcols_layout(&c, 80, 3, 1, 17);
	assert_int_equal(total(&c), 80);
	assert_int_equal(c.lc[JC_APPLICANT].width, 14);
	assert_int_equal(c.lc[JC_PLACE].width, 8);
	/* wider: the applicant up to 32, then the service, then the place */
	jcols_layout(&c, 132, 5, 3, 11);
	assert_int_equal(total(&c), 132);
	assert_true(c.long_date);
	assert_int_equal(c.lc[JC_APPLICANT].width, 32);
	assert_true(c.lc[JC_SERVICE].width > 16);
}

static void
test_name(void **state)
{
	char b[128];

	(void)state;
	assert_string_equal(jcols_name("Марченко Людмила Михайлівна", 27, b,
	    sizeof b), "Марченко Людмила Михайлівна");
	assert_string_equal(jcols_name("Марченко Людмила Михайлівна", 26, b,
	    sizeof b), "Марченко Людмила М.");
	assert_string_equal(jcols_name("Марченко Людмила Михайлівна", 16, b,
	    sizeof b), "Марченко Л. М.");
	assert_string_equal(jcols_name("Литвиненко Христина Олександрівна",
	    14, b, sizeof b), "Литвиненко Х.");
	assert_int_equal(text_width(jcols_name("Константинопольський Христофор "
	    "Олександрович", 14, b, sizeof b)), 14);
	/* two words, or one: as they are */
	assert_string_equal(jcols_name("Іван Франко", 20, b, sizeof b),
	    "Іван Франко");
	assert_string_equal(jcols_name("", 20, b, sizeof b), "");
}

static void
test_status(void **state)
{
	char b[128];

	(void)state;
	assert_string_equal(jcols_status(HR_ST_AT_OTG, 0, 0, 0, 18, b,
	    sizeof b), "Передано до ОТГ");
	assert_string_equal(jcols_status(HR_ST_ANSWERED, 0, 0, 0, 18, b,
	    sizeof b), "Отримано відповідь");
	assert_string_equal(jcols_status(HR_ST_ANSWERED, HR_DEC_ASSIGNED, 1,
	    312550, 18, b, sizeof b), "Призначено 3125,50");
	assert_string_equal(jcols_status(HR_ST_ANSWERED, HR_DEC_ASSIGNED, 1,
	    1234567, 18, b, sizeof b), "Призн. 12345,67");
	assert_string_equal(jcols_status(HR_ST_ANSWERED, HR_DEC_REFUSED, 0,
	    0, 18, b, sizeof b), "Відмовлено");
	assert_true(text_width(jcols_status(HR_ST_ANSWERED,
	    HR_DEC_REGISTRATION_REFUSED, 0, 0, 18, b, sizeof b)) <= 18);
}

static void
test_place(void **state)
{
	char b[128];

	(void)state;
	assert_string_equal(jcols_place("Березівська сільська ОТГ", b,
	    sizeof b), "Березівська");
	assert_string_equal(jcols_place("Слоутський старостинський округ", b,
	    sizeof b), "Слоутський");
	assert_string_equal(jcols_place("ЦНАП Шалигинської селищної ради", b,
	    sizeof b), "ЦНАП Шалигинської");
	assert_string_equal(jcols_place("", b, sizeof b), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_place),
	};

	char dir[1024];
	const char *top = getenv("top_builddir");

	/* the Ukrainian catalogue of the build tree, as the client runs */
	snprintf(dir, sizeof dir, "%s/locale", top ? top : ".");
	setenv("HROMADA_LOCALEDIR", dir, 1);
	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	setenv("LANG", "C.UTF-8", 1);
	hr_i18n_init(NULL, "uk");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
