/*
 * statusbar.c — the status line (see statusbar.h).
 */
#include "config.h"

#include "tui/statusbar.h"

#include "tui/text.h"

void
statusbar_draw(WINDOW *w, int y, int width, const char *left, const char *right)
{
	int rw = right ? text_width(right) : 0;

	if (rw > width - 1)
		rw = width - 1;
	text_put(w, y, 0, "", width, A_REVERSE, 1);
	text_put(w, y, 1, left, width - rw - 3, A_REVERSE, 0);
	if (rw > 0)
		text_put(w, y, width - rw - 1, right, rw, A_REVERSE | A_BOLD, 0);
}
