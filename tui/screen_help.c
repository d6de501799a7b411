/*
 * screen_help.c — the F1 overlay: the keys of the screen in front of the
 * user, for their role.
 *
 * First the keys of the key bar as it is now (so it is the role's bar:
 * the back office's F6/F7, a front office's F4, nothing an oblast user
 * cannot do), each with its Esc-digit twin for terminals without F-keys;
 * then the screen's other keys (a table: topic, roles, keys, what), then
 * what works everywhere.  The table's rows share one shape, which a
 * duplicates scan lists as repeated blocks: they are data, a row a key,
 * kept as rows so that a screen's help reads like its key list.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "proto/roles.h"
#include "tui/screens.h"
#include "tui/text.h"

/* Roles whose rows a row is for; 0: every role. */
#define HR_ALL 0u

/* Roles that mark applications in the journal (batch_ui.h). */
#define BATCHERS (HR_ROLES_SUPER | HR_ROLE_BIT(HR_ROLE_UPO_OTG) | \
    HR_ROLE_BIT(HR_ROLE_SPSZN))

static const struct {
	unsigned    topics;      /* bit per enum help_topic */
	unsigned    roles;       /* HR_ROLE_BIT set, or HR_ALL */
	const char *keys;
	const char *what;
} help_rows[] = {
	{ 1u << HELP_LOGIN, HR_ALL, N_("Tab, Up, Down"),
	  N_("user name / password") },
	{ 1u << HELP_LOGIN, HR_ALL, N_("Enter"), N_("sign in") },

	{ 1u << HELP_JOURNAL, HR_ALL, N_("Up, Down, PgUp, PgDn"),
	  N_("move in the journal (more rows load by themselves)") },
	{ 1u << HELP_JOURNAL, HR_ALL, N_("Home, End"), N_("first / last row") },
	{ 1u << HELP_JOURNAL, HR_ALL, N_("Enter"), N_("open the application") },
	{ 1u << HELP_JOURNAL, HR_ALL, N_("a letter or digit"),
	  N_("find the next row whose applicant or number starts so") },
	{ 1u << HELP_JOURNAL, HR_ALL, N_("/"),
	  N_("filter: surname or РНОКПП, status, service, dates") },
	{ 1u << HELP_JOURNAL, HR_ALL, N_("Ctrl-R"), N_("refresh") },
	{ 1u << HELP_JOURNAL, HR_ROLES_CASES & ~HR_ROLE_BIT(HR_ROLE_SPSZN),
	  N_("F7"),
	  N_("reports: your office's numbers, month by month, and its clerks") },
	{ 1u << HELP_JOURNAL, HR_ROLE_BIT(HR_ROLE_SPSZN), N_("F9, F7"),
	  N_("reports: your office's numbers, month by month, and its clerks") },
	{ 1u << HELP_JOURNAL, BATCHERS, N_("Space, *, -"),
	  N_("mark the row / all of the filter / none") },
	{ 1u << HELP_JOURNAL, BATCHERS, N_("F2"),
	  N_("act on the marked: check, return, send up") },
	{ 1u << HELP_JOURNAL, HR_ROLES_FRONT | HR_ROLES_SUPER, N_("F4"),
	  N_("a new application for a person who came in") },
	{ 1u << HELP_JOURNAL, HR_ROLE_BIT(HR_ROLE_SPSZN), N_("F6"),
	  N_("write the marked, or the filter's checked, applications to "
	  "*.DAT files") },
	{ 1u << HELP_JOURNAL, HR_ROLE_BIT(HR_ROLE_SPSZN), N_("F7"),
	  N_("load a decision system's answer file") },

	{ 1u << HELP_CASE, HR_ALL, N_("Tab, F3"),
	  N_("the application / its history") },
	{ 1u << HELP_CASE, HR_ALL, N_("Up, Down, PgUp, PgDn"), N_("scroll") },
	{ 1u << HELP_CASE, HR_ALL, N_("F5-F8"),
	  N_("the steps your role may take now (on the key bar)") },
	{ 1u << HELP_CASE, HR_ALL, N_("Esc, F9"), N_("back to the journal") },

	{ 1u << HELP_FORM, HR_ALL, N_("Tab, Down, Enter"), N_("next field") },
	{ 1u << HELP_FORM, HR_ALL, N_("Shift-Tab, Up"), N_("previous field") },
	{ 1u << HELP_FORM, HR_ALL, N_("Home, End, Left, Right"),
	  N_("move in a field (entering one puts the cursor at its end)") },
	{ 1u << HELP_FORM, HR_ALL, N_("Backspace, Delete, Ctrl-U"),
	  N_("delete a character / the whole field") },
	{ 1u << HELP_FORM, HR_ALL, N_("Space, Enter"),
	  N_("tick a document; open a list of choices") },
	{ 1u << HELP_FORM, HR_ALL, N_("Left, Right, a letter"),
	  N_("change a choice") },
	{ 1u << HELP_FORM, HR_ALL, N_("Delete on a row"),
	  N_("remove a family member or an income row") },
	{ 1u << HELP_FORM, HR_ALL, N_("Esc"),
	  N_("leave; with unsaved changes only the letter Т (Y) leaves") },

	{ 1u << HELP_REPORT, HR_ALL, N_("Up, Down, PgUp, PgDn"),
	  N_("move in the table") },
	{ 1u << HELP_REPORT, HR_ALL, N_("Enter"), N_("the row in detail") },
	{ 1u << HELP_REPORT, HR_ALL, N_("F7"), N_("reports and monitoring") },

	{ 1u << HELP_REPORTS, HR_ALL, N_("Enter"),
	  N_("the report of the territory in the row (one level down)") },
	{ 1u << HELP_REPORTS, HR_ALL, N_("Backspace, Esc, F9"),
	  N_("one level up; at the top, back to the cabinet") },
	{ 1u << HELP_REPORTS, HR_ALL, N_("F2"),
	  N_("save what the screen shows as CSV or XLSX") },
	{ 1u << HELP_REPORTS, HR_ALL, N_("Left, Right"),
	  N_("move the period a month back / forward") },
	{ 1u << HELP_REPORTS, HR_ALL, N_("F4"),
	  N_("the period's length: 1, 3, 6, 12 or 24 months") },
	{ 1u << HELP_REPORTS, HR_ALL, N_("F6"),
	  N_("the report / deadlines: on time and late per stage and "
	  "office") },
	{ 1u << HELP_REPORTS, HR_ROLES_REPORT, N_("Tab"),
	  N_("the report / monitoring: offices connected and using") },
	{ 1u << HELP_REPORTS, HR_ROLES_CASES, N_("Tab"),
	  N_("the report / the clerks who sent its cases up") },
	{ 1u << HELP_REPORTS, HR_ALL, N_("Up, Down, a letter"),
	  N_("move in the table; find a territory by name") },
	{ 1u << HELP_USERS, HR_ALL, N_("Up, Down, PgUp, PgDn"),
	  N_("move in the list") },
	{ 1u << HELP_USERS, HR_ALL, N_("Enter"), N_("the user in detail") },

	{ ~0u, HR_ALL, N_("Esc and a digit"),
	  N_("an F-key on terminals without them (Esc 0 = F10)") },
	{ ~0u, HR_ALL, N_("F10, Ctrl-Q"), N_("quit") },
	{ ~0u, HR_ALL, N_("Ctrl-L"), N_("redraw the screen") },
};

static const char *const help_titles[] = {
	[HELP_GENERAL] = N_("Keys"),
	[HELP_LOGIN]   = N_("Keys: signing in"),
	[HELP_JOURNAL] = N_("Keys: the journal"),
	[HELP_CASE]    = N_("Keys: an application"),
	[HELP_FORM]    = N_("Keys: the application form"),
	[HELP_REPORT]  = N_("Keys: the report"),
	[HELP_USERS]   = N_("Keys: the users"),
	[HELP_REPORTS] = N_("Keys: reports"),
};

const struct fkey help_fkeys[] = { { 10, N_("Quit") } };
const size_t help_nfkeys = 1;

/* Is row i for this topic and role? */
static int
help_row_for(size_t i, int topic, unsigned me)
{
	return (help_rows[i].topics & (1u << topic)) &&
	    (help_rows[i].roles == HR_ALL || (help_rows[i].roles & me));
}

/* The explanation of F-key `num` among the topic's rows ("F6"), or NULL. */
static const char *
help_fkey_text(int num, int topic, unsigned me)
{
	char f[8];

	snprintf(f, sizeof f, "F%d", num);
	for (size_t i = 0; i < sizeof help_rows / sizeof help_rows[0]; i++)
		if (help_row_for(i, topic, me) && strcmp(help_rows[i].keys, f) == 0)
			return _(help_rows[i].what);
	return NULL;
}

struct help_wrap {
	WINDOW *w;
	int    *y, last, x, width;
};

static void
help_wrap_line(void *ud, const char *s, size_t len)
{
	struct help_wrap *h = ud;
	char line[256];

	if (*h->y > h->last)
		return;
	snprintf(line, sizeof line, "%.*s", (int)len, s);
	text_put(h->w, *h->y, h->x, line, h->width, A_NORMAL, 0);
	(*h->y)++;
}

/* One row of the overlay, its text wrapped under itself; nothing when
 * the overlay is full. */
static void
help_row(WINDOW *w, int *y, int last, int x, int bw, const char *keys,
    const char *what)
{
	int kw = 24;
	struct help_wrap h = { w, y, last, x + 2 + kw, bw - kw - 3 };

	if (*y > last)
		return;
	text_put(w, *y, x + 2, keys, kw, A_BOLD, 1);
	text_wrap(what, h.width, help_wrap_line, &h);
}

void
help_draw(WINDOW *w, int y, int h, int width, const struct screen_ops *ops,
    int role)
{
	int bw = width, x = 0, row = y + 2;
	int last = y + h - 2, topic = ops != NULL ? ops->help_topic : 0;
	unsigned me = role >= 0 ? HR_ROLE_BIT(role) : 0;
	char keys[64];

	if (topic < 0 || (size_t)topic >= sizeof help_titles /
	    sizeof help_titles[0] || help_titles[topic] == NULL)
		topic = HELP_GENERAL;
	for (int i = 0; i < h; i++)
		text_put(w, y + i, x, "", bw, A_NORMAL, 1);
	text_center(w, y, x, bw, _(help_titles[topic]), A_BOLD | A_UNDERLINE);
	/* The key bar, with the Esc twin of each F-key, explained by the
	 * topic's row for it when there is one. */
	for (size_t i = 0; ops != NULL && i < ops->nfkeys; i++) {
		const struct fkey *k = &ops->fkeys[i];
		const char *what = help_fkey_text(k->num, topic, me);

		if (k->num == 10)
			continue;                   /* below, with Ctrl-Q */
		snprintf(keys, sizeof keys, "F%d, Esc %d", k->num, k->num % 10);
		help_row(w, &row, last, x, bw, keys, what ? what : _(k->label));
	}
	for (size_t i = 0; i < sizeof help_rows / sizeof help_rows[0]; i++) {
		if (!help_row_for(i, topic, me) || (help_rows[i].keys[0] == 'F' &&
		    help_rows[i].keys[1] >= '1' && help_rows[i].keys[1] <= '9' &&
		    strchr(help_rows[i].keys, ',') == NULL &&
		    strchr(help_rows[i].keys, '-') == NULL))
			continue;                   /* an F-key: with the bar */
		help_row(w, &row, last, x, bw, _(help_rows[i].keys),
		    _(help_rows[i].what));
	}
	text_center(w, y + h - 1, x, bw, _("Press any key to close the help"),
	    A_NORMAL);
}
