/*
 * fkeys.h — the htop/mc-style function-key bar on the bottom line:
 * "1Help  5Refresh ... 10Quit", numbers plain, labels in reverse video.
 *
 * Terminals such as vt100 have only F1–F4, so every function key can also
 * be typed as Esc followed by its digit (Esc 0 = F10); fkeys_translate turns
 * those pairs into KEY_F(n).  Domain-free.
 */
#ifndef TUI_FKEYS_H
#define TUI_FKEYS_H

#include <stddef.h>

#include "tui/tui.h"

struct fkey {
	int         num;     /* 1..10 */
	const char *label;   /* gettext msgid; translated when drawn */
};

void fkeys_draw(WINDOW *w, int y, int width, const struct fkey *keys, size_t n);

/* Function key number 1..10 of a key, or 0. */
int  fkeys_number(const struct key *k);

/*
 * The key after a lone Esc: a digit becomes KEY_F(digit) (0 -> F10) and 1
 * is returned; otherwise 0 and `k` is unchanged.
 */
int  fkeys_translate_esc(struct key *k);

#endif
