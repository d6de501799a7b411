/*
 * keys.h — reading keys the way the clerk pressed them, whatever the
 * terminal says it is.
 *
 * ncurses decodes the escape sequences the terminfo entry of $TERM lists.
 * In practice the terminal and $TERM disagree: tmux and screen send
 * "ESC [1~" / "ESC [4~" for Home/End while TERM says xterm, the Linux
 * console sends "ESC [[A" for F1, rxvt "ESC [7~", PuTTY "ESC [11~" or
 * "ESC OT".  An unknown sequence reaches the program as a lone Esc and
 * some letters — and Esc in a form means "leave".  So every common
 * encoding of Home, End, Insert, Delete, PgUp, PgDn, the arrows,
 * Shift-Tab and F1–F12 (xterm, rxvt, the Linux console, screen/tmux,
 * PuTTY, VT100/VT220) is taught to ncurses at start-up (keys_init).
 *
 * Esc followed quickly by a digit is a function key (Esc 1 = F1 …
 * Esc 0 = F10) for terminals without them; keys_read folds the pair.
 * `hromada --keys` (keys_test) shows what each pressed key decodes to.
 */
#ifndef TUI_KEYS_H
#define TUI_KEYS_H

#include <stddef.h>

#include "tui/tui.h"

/* After initscr and keypad(stdscr, TRUE): define the extra encodings. */
void keys_init(void);

/* Does the terminal's own description lack F5–F10?  (Then the key bar
 * says that Esc and a digit stand for them.) */
int  keys_few_fkeys(void);

/* A reader: one key of pushback for the Esc-digit folding. */
struct keys_reader {
	int        has_pushback;
	struct key pushback;
};

/* The next key (non-blocking window: 0 when none is waiting). */
int  keys_read(struct keys_reader *r, struct key *k);

/* "Home", "F5", "Esc", "Ctrl-Q", "'ї'"…: a key's name for people and tests. */
const char *keys_name(const struct key *k, char *buf, size_t cap);

/* The key test: show the name of every key pressed (F10 too) until
 * Ctrl-Q or two Esc in a row.  Returns the exit status. */
int  keys_test(void);

#endif
