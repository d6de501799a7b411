/*
 * nav.c — the client's table of contents: the screen a user lands on by
 * role (DOMAIN.md "Roles"), the login screen, an application's case view
 * and intake form, the help overlay.  main hands it to the app (struct
 * app_nav): the app shell builds no screen itself, and a screen opens
 * another through the app (app_open_case, ...), not by its constructor.
 */
#include "config.h"

#include "tui/nav.h"

#include "proto/roles.h"
#include "tui/screens.h"

static const struct app_cabinet cabinets[] = {
	{ HR_ROLES_CASES,                screen_journal_new },
	{ HR_ROLES_REPORT,               screen_report_new },
	{ HR_ROLE_BIT(HR_ROLE_ADMIN),    screen_users_new },
	{ 0,                             screen_journal_new },  /* otherwise */
};

const struct app_nav hromada_nav = {
	.login       = screen_login_new,
	.cabinets    = cabinets,
	.ncabinets   = sizeof cabinets / sizeof cabinets[0],
	.case_view   = screen_case_new,
	.form        = screen_form_new,
	.reports     = screen_reports_new,
	.registers   = screen_registers_new,
	.help_draw   = help_draw,
	.help_fkeys  = help_fkeys,
	.help_nfkeys = &help_nfkeys,
};
