/*
 * box.c — framed rectangles for modal widgets (see box.h).
 */
#include "config.h"

#include "tui/box.h"

#include <stdio.h>

#include "tui/text.h"

void
box_draw(WINDOW *win, int y, int x, int h, int w, const char *title,
    attr_t attr)
{
	char t[256];

	if (h < 2 || w < 2)
		return;
	for (int i = 0; i < h; i++)
		text_put(win, y + i, x, "", w, attr, 1);
	wattr_on(win, attr, NULL);
	mvwhline(win, y, x + 1, ACS_HLINE, w - 2);
	mvwhline(win, y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvwvline(win, y + 1, x, ACS_VLINE, h - 2);
	mvwvline(win, y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvwaddch(win, y, x, ACS_ULCORNER);
	mvwaddch(win, y, x + w - 1, ACS_URCORNER);
	mvwaddch(win, y + h - 1, x, ACS_LLCORNER);
	mvwaddch(win, y + h - 1, x + w - 1, ACS_LRCORNER);
	wattr_off(win, attr, NULL);
	if (title != NULL && title[0] != '\0') {
		snprintf(t, sizeof t, " %s ", title);
		text_center(win, y, x + 1, w - 2, t, attr | A_BOLD);
	}
}

void
box_center(WINDOW *win, int *y, int *x, int *h, int *w)
{
	int sh, sw;

	getmaxyx(win, sh, sw);
	if (*h > sh)
		*h = sh;
	if (*w > sw)
		*w = sw;
	*y = (sh - *h) / 2;
	*x = (sw - *w) / 2;
}
