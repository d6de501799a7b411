/*
 * fkeys.c — function-key bar (see fkeys.h).
 */
#include "config.h"

#include "tui/fkeys.h"

#include <stdio.h>

#include "tui/text.h"

void
fkeys_draw(WINDOW *w, int y, int width, const struct fkey *keys, size_t n)
{
	int x = 0;

	text_put(w, y, 0, "", width, A_NORMAL, 1);
	for (size_t i = 0; i < n && x < width; i++) {
		char num[8];
		const char *label = _(keys[i].label);
		int lw = text_width(label) + 1;

		snprintf(num, sizeof num, "%s%d", i ? " " : "", keys[i].num);
		x += text_put(w, y, x, num, width - x, A_BOLD, 0);
		if (x + lw > width)
			lw = width - x;
		x += text_put(w, y, x, label, lw, A_REVERSE, 1);
	}
}

int
fkeys_number(const struct key *k)
{
	if (!k->is_key)
		return 0;
	for (int n = 1; n <= 10; n++)
		if (k->ch == (wint_t)KEY_F(n))
			return n;
	return 0;
}

int
fkeys_translate_esc(struct key *k)
{
	if (k->is_key || k->ch < L'0' || k->ch > L'9')
		return 0;
	k->ch = KEY_F(k->ch == L'0' ? 10 : (int)(k->ch - L'0'));
	k->is_key = 1;
	return 1;
}
