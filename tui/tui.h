/*
 * tui.h — what every file of the terminal client includes: the ncurses
 * wide-character API and the gettext shorthands.  Included for what it
 * includes too (IWYU pragma: export): a widget header that only needs
 * WINDOW includes this, not <curses.h>, so the wide API is always on.
 */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#include <libintl.h>    /* IWYU pragma: export */
#include <wchar.h>      /* IWYU pragma: export */

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>     /* IWYU pragma: export */

#define _(s)  gettext(s)
#define N_(s) (s)

/* Keys as the widgets see them: a function key or a character. */
struct key {
	int    is_key;   /* 1: `ch` is a KEY_* code; 0: a character */
	wint_t ch;
};

#define CTRL_KEY(c) ((c) & 0x1f)

/* Enter, as a terminal sends it: CR, LF or the keypad's KEY_ENTER. */
static inline int
key_is_enter(const struct key *k)
{
	return (!k->is_key && (k->ch == L'\r' || k->ch == L'\n')) ||
	    (k->is_key && k->ch == KEY_ENTER);
}

#endif
