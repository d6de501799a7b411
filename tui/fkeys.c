/*
 * fkeys.c — function-key bar (see fkeys.h).
 *
 * Every key of the bar is shown at any width from 40 columns: when the
 * labels do not fit, the short labels are used, then the longest labels
 * give up columns one at a time ("Вивантажити" -> "Виванта…"), so a key
 * never disappears from the bar.
 */
#include "config.h"

#include "tui/fkeys.h"

#include <stdio.h>
#include <string.h>

#include "tui/text.h"

#define FKEYS_MAX       12
#define FKEYS_LABEL_MIN 3      /* columns a label keeps at least */

static int fkeys_esc_prefix;       /* the terminal lacks F5-F10 */
static int fkeys_prefix_now;       /* this bar starts with "Esc+ " */

/* Short forms of long labels, for narrow screens (msgids both). */
static const struct {
	const char *label, *short_label;
} fkeys_short[] = {
	{ N_("Clear filter"),            N_("Reset") },
	{ N_("New application"),         N_("New") },
	{ N_("Refresh"),                 N_("Renew") },
	{ N_("Export"),                  N_("Exp.") },
	{ N_("Import answer"),           N_("Answer") },
	{ N_("Application"),             N_("Appl.") },
	{ N_("History"),                 N_("Hist.") },
	{ N_("Journal"),                 N_("Journ.") },
	{ N_("Addr=reg"),                N_("Addr") },
	{ N_("Reports"),                 N_("Rep.") },
};

void
fkeys_set_esc_prefix(int on)
{
	fkeys_esc_prefix = on;
}

/* The label of a key: its short form when asked and there is one. */
static const char *
fkeys_label(const struct fkey *k, int use_short)
{
	for (size_t i = 0; use_short && i < sizeof fkeys_short /
	    sizeof fkeys_short[0]; i++)
		if (strcmp(fkeys_short[i].label, k->label) == 0)
			return _(fkeys_short[i].short_label);
	return _(k->label);
}

/* Columns of the bar with labels of widths lw[]. */
static int
fkeys_total(const struct fkey *keys, size_t n, const int *lw)
{
	int t = fkeys_prefix_now ? 5 : 0;

	for (size_t i = 0; i < n; i++)
		t += (i ? 1 : 0) + (keys[i].num >= 10 ? 2 : 1) + lw[i];
	return t;
}

/*
 * Label widths that fit `width`: the full labels; else the widest labels
 * that have a short form take it, one at a time; else the widest labels
 * give up columns.  short_of[i] says which take the short form.
 */
static void
fkeys_fit(const struct fkey *keys, size_t n, int width, int *lw, int *short_of)
{
	for (size_t i = 0; i < n; i++) {
		lw[i] = text_width(fkeys_label(&keys[i], 0));
		short_of[i] = 0;
	}
	while (fkeys_total(keys, n, lw) > width) {
		size_t wide = n;

		for (size_t i = 0; i < n; i++)
			if (!short_of[i] && fkeys_label(&keys[i], 1) !=
			    fkeys_label(&keys[i], 0) && (wide == n ||
			    lw[i] > lw[wide]))
				wide = i;
		if (wide == n)
			break;
		short_of[wide] = 1;
		lw[wide] = text_width(fkeys_label(&keys[wide], 1));
	}
	while (fkeys_total(keys, n, lw) > width) {
		size_t wide = 0;

		for (size_t i = 1; i < n; i++)
			if (lw[i] > lw[wide])
				wide = i;
		if (lw[wide] <= FKEYS_LABEL_MIN)
			break;
		lw[wide]--;
	}
}

/*
 * Esc and a digit types an F-key on any terminal, and the bar always says
 * so: at its right end when there is room ("Esc+цифра=F"), else as "Esc+ "
 * in front of the numbers (always on a terminal without F5-F10).
 */
void
fkeys_draw(WINDOW *w, int y, int width, const struct fkey *keys, size_t n)
{
	int lw[FKEYS_MAX], short_of[FKEYS_MAX], x = 0, hw;
	const char *hint = _("Esc+digit=F");

	if (n > FKEYS_MAX)
		n = FKEYS_MAX;
	hw = text_width(hint) + 2;
	fkeys_prefix_now = fkeys_esc_prefix;
	fkeys_fit(keys, n, width - (fkeys_prefix_now ? 0 : hw), lw, short_of);
	if (!fkeys_prefix_now &&
	    fkeys_total(keys, n, lw) > width - hw) {
		fkeys_prefix_now = 1;
		fkeys_fit(keys, n, width, lw, short_of);
	}
	text_put(w, y, 0, "", width, A_NORMAL, 1);
	if (fkeys_prefix_now)
		x += text_put(w, y, x, "Esc+ ", width - x, A_BOLD, 0);
	for (size_t i = 0; i < n && x < width; i++) {
		char num[8], cut[128];
		const char *label = fkeys_label(&keys[i], short_of[i]);

		snprintf(num, sizeof num, "%s%d", i ? " " : "", keys[i].num);
		x += text_put(w, y, x, num, width - x, A_BOLD, 0);
		if (text_width(label) > lw[i])
			label = text_trunc(label, lw[i], cut, sizeof cut);
		x += text_put(w, y, x, label, lw[i] < width - x ? lw[i] :
		    width - x, A_REVERSE, 1);
	}
	if (!fkeys_prefix_now)
		text_put(w, y, width - hw + 2, hint, hw - 2, A_BOLD, 0);
}

int
fkeys_fits(const struct fkey *keys, size_t n, int width)
{
	int lw[FKEYS_MAX], short_of[FKEYS_MAX];

	if (n > FKEYS_MAX)
		n = FKEYS_MAX;
	fkeys_prefix_now = 1;
	fkeys_fit(keys, n, width, lw, short_of);
	return fkeys_total(keys, n, lw) <= width;
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
