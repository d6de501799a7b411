/*
 * fkeys.h — the htop/mc-style function-key bar on the bottom line:
 * "1Help  5Refresh ... 10Quit", numbers plain, labels in reverse video.
 *
 * Terminals such as vt100 have only F1–F4, so every function key can also
 * be typed as Esc followed by its digit (Esc 0 = F10; tui/keys.c reads the
 * pair as the key).  Domain-free.
 */
#ifndef TUI_FKEYS_H
#define TUI_FKEYS_H

#include <stddef.h>

#include "tui/tui.h"

struct fkey {
	int         num;     /* 1..10 */
	const char *label;   /* gettext msgid; translated when drawn (a short
	                        form for narrow screens: fkeys.c's table) */
};

/*
 * Draw the bar: every key stays, with its short label or a shortened one
 * when the full labels do not fit.  It always says that Esc and a digit
 * type an F-key: at its end where there is room, else "Esc+" in front.
 */
void fkeys_draw(WINDOW *w, int y, int width, const struct fkey *keys, size_t n);

/* Does the bar fit `width` with labels of at least 3 columns? */
int  fkeys_fits(const struct fkey *keys, size_t n, int width);

/* A terminal without F5–F10 (tui/keys.h keys_few_fkeys): the bar starts
 * with "Esc+", saying that its numbers are typed after Esc. */
void fkeys_set_esc_prefix(int on);

/* Function key number 1..10 of a key, or 0. */
int  fkeys_number(const struct key *k);

#endif
