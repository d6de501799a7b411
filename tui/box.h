/*
 * box.h — a framed, cleared rectangle with a centred title: the frame of
 * every modal widget (picker, text area prompt, filter dialog).  Draws
 * with the ACS line characters, which ncurses maps to ASCII where the
 * terminal has none.  Domain-free.
 */
#ifndef TUI_BOX_H
#define TUI_BOX_H

#include "tui/tui.h"

/* Clear [y, y+h) x [x, x+w) with `attr`, frame it, centre " title ". */
void box_draw(WINDOW *win, int y, int x, int h, int w, const char *title,
    attr_t attr);

/* Centre a box of (h, w) on the window, clamped to it; sets *y, *x, *h, *w. */
void box_center(WINDOW *win, int *y, int *x, int *h, int *w);

#endif
