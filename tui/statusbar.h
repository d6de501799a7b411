/*
 * statusbar.h — one reverse-video line: text on the left, text on the
 * right (the right side wins when space is short).  Domain-free: the caller
 * composes the texts (user, role, territory, connection state).
 */
#ifndef TUI_STATUSBAR_H
#define TUI_STATUSBAR_H

#include "tui/tui.h"

void statusbar_draw(WINDOW *w, int y, int width, const char *left,
    const char *right);

#endif
