/*
 * test_msgids.c — every text the client shows from proto/'s shared tables
 * (error texts, role labels) is in tui/msgids.c, hence in the catalogue;
 * and the client's locale set-up (proto/i18n.c) really yields Ukrainian from
 * the build-tree catalogue under C, C.UTF-8, en_US.UTF-8 and a uk_UA.UTF-8
 * that may not be installed.
 *
 * Alike on purpose: it points gettext at the build tree's catalogue
 * (HROMADA_LOCALEDIR from top_builddir, the locale variables set) as
 * tests/unit/test_journal_cols.c does: a test that reads Ukrainian from
 * the catalogue must set the environment before hr_i18n_init, and each
 * sets the variables its case needs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "proto/error.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "proto/i18n.h"
#include "tui/msgids.h"

static int
listed(const char *s)
{
	for (size_t i = 0; i < tui_shared_nmsgids; i++)
		if (strcmp(tui_shared_msgids[i], s) == 0)
			return 1;
	return 0;
}

static void
test_tables_listed(void **state)
{
	for (int code = 0; code < HR_E__COUNT; code++)
		if (!listed(hr_error_text(code)))
			fail_msg("hr_error_text(%d) \"%s\" missing from tui/msgids.c",
			    code, hr_error_text(code));
	assert_true(listed(hr_error_text(-1)));
	for (int r = 0; r < HR_ROLE__COUNT; r++)
		if (!listed(hr_role_info(r)->label))
			fail_msg("role label \"%s\" missing from tui/msgids.c",
			    hr_role_info(r)->label);
	for (int act = 0; act < HR_ACT__COUNT; act++)
		if (!listed(hr_action_label(act)))
			fail_msg("action label \"%s\" missing from tui/msgids.c",
			    hr_action_label(act));
}

/* In a child: set the environment, run i18n_init, check translations. */
static int
child_translates(const char *lang_env, const char *lc_all)
{
	char dir[1024];
	const char *top = getenv("top_builddir");

	snprintf(dir, sizeof dir, "%s/locale", top ? top : ".");
	setenv("HROMADA_LOCALEDIR", dir, 1);
	unsetenv("LANGUAGE");
	unsetenv("LC_MESSAGES");
	setenv("LANG", lang_env, 1);
	if (lc_all != NULL)
		setenv("LC_ALL", lc_all, 1);
	else
		unsetenv("LC_ALL");
	hr_i18n_init(NULL, "uk");
	for (size_t i = 0; i < tui_shared_nmsgids; i++)
		if (strcmp(gettext(tui_shared_msgids[i]), tui_shared_msgids[i]) == 0) {
			fprintf(stderr, "LANG=%s: \"%s\" not translated\n", lang_env,
			    tui_shared_msgids[i]);
			return 1;
		}
	return strcmp(gettext("Wrong user name or password"),
	    "Неправильне ім'я користувача або пароль") != 0;
}

static void
check_locale(const char *lang_env, const char *lc_all)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_translates(lang_env, lc_all));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("no Ukrainian with LANG=%s LC_ALL=%s", lang_env,
		    lc_all ? lc_all : "(unset)");
}

static void
test_ukrainian_everywhere(void **state)
{
	check_locale("C.UTF-8", NULL);
	check_locale("en_US.UTF-8", NULL);
	check_locale("uk_UA.UTF-8", NULL);
	check_locale("C", NULL);
	check_locale("C.UTF-8", "C");
	check_locale("POSIX", "POSIX");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_listed),
		cmocka_unit_test(test_ukrainian_everywhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
