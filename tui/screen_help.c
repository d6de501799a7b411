/*
 * screen_help.c — the F1 overlay: every key of the client, with the
 * alternatives for terminals that lack function keys (vt100: F1–F4 only).
 */
#include "config.h"

#include "tui/screens.h"
#include "tui/text.h"

static const struct {
	const char *keys;
	const char *what;
} help_rows[] = {
	{ N_("F1, Esc 1"),           N_("this help") },
	{ N_("F10, Esc 0, Ctrl-Q"),  N_("quit") },
	{ N_("Tab, Shift-Tab"),      N_("next / previous field (arrows too)") },
	{ N_("Enter"),               N_("sign in; open the selected row") },
	{ N_("Up, Down"),            N_("move in a list") },
	{ N_("PgUp, PgDn"),          N_("previous / next page") },
	{ N_("Home, End"),           N_("first / last row") },
	{ N_("F5, Esc 5, Ctrl-R"),   N_("journal: refresh") },
	{ N_("F3, /"),               N_("journal: filter; case: application / history") },
	{ N_("F4"),                  N_("journal: new application; case: edit") },
	{ N_("F8"),                  N_("journal: clear the filter") },
	{ N_("F6, F7"),              N_("back office journal: export / import *.DAT") },
	{ N_("F5-F8 in a case"),     N_("workflow actions shown on the key bar") },
	{ N_("F2"),                  N_("form: save") },
	{ N_("Esc, F9"),             N_("cancel, close a dialog") },
	{ N_("Ctrl-L"),              N_("redraw the screen") },
};

const struct fkey help_fkeys[] = { { 10, N_("Quit") } };
const size_t help_nfkeys = 1;

void
help_draw(WINDOW *w, int y, int h, int width)
{
	size_t n = sizeof help_rows / sizeof help_rows[0];
	int kw = 22, bw = width < 76 ? width : 76, x = (width - bw) / 2;

	for (int i = 0; i < h; i++)
		text_put(w, y + i, x, "", bw, A_NORMAL, 1);
	text_center(w, y, x, bw, _("Keys"), A_BOLD | A_UNDERLINE);
	for (size_t i = 0; i < n && (int)i + 2 < h - 1; i++) {
		text_put(w, y + 2 + (int)i, x + 2, _(help_rows[i].keys), kw, A_BOLD, 1);
		text_put(w, y + 2 + (int)i, x + 2 + kw, _(help_rows[i].what),
		    bw - kw - 4, A_NORMAL, 0);
	}
	text_center(w, y + h - 1, x, bw, _("Press any key to close the help"), A_NORMAL);
}
