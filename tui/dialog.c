/*
 * dialog.c — modal message and yes/no dialogs (see dialog.h).
 */
#include "config.h"

#include "tui/dialog.h"

#include <stdlib.h>
#include <string.h>

#include "tui/fkeys.h"
#include "tui/text.h"

struct dialog {
	enum dialog_kind kind;
	char *title;
	char *text;
	int   loud;
	int   choice;     /* DIALOG_YES or DIALOG_NO (the highlighted button) */
	int   nudge;      /* a key it does not use came: show its keys */
};

struct dialog *
dialog_new(enum dialog_kind kind, const char *title, const char *text,
    int loud, int default_yes)
{
	struct dialog *d = calloc(1, sizeof *d);

	if (d == NULL)
		return NULL;
	d->title = strdup(title ? title : "");
	d->text = strdup(text ? text : "");
	if (d->title == NULL || d->text == NULL) {
		dialog_free(d);
		return NULL;
	}
	d->kind = kind;
	d->loud = loud;
	d->choice = kind == DIALOG_MESSAGE || (default_yes &&
	    kind != DIALOG_GUARDED) ? DIALOG_YES : DIALOG_NO;
	return d;
}

void
dialog_free(struct dialog *d)
{
	if (d == NULL)
		return;
	free(d->title);
	free(d->text);
	free(d);
}

/* Letters that answer at once (Latin and Ukrainian, either case). */
static int
dialog_letter(wint_t ch)
{
	static const wchar_t yes[] = L"yYтТ", no[] = L"nNнН";

	if (ch != 0 && wcschr(yes, (wchar_t)ch) != NULL)
		return DIALOG_YES;
	if (ch != 0 && wcschr(no, (wchar_t)ch) != NULL)
		return DIALOG_NO;
	return DIALOG_OPEN;
}

/* A key it does not use: beep, and say which keys it takes. */
static int
dialog_unused(struct dialog *d)
{
	d->nudge = 1;
	beep();
	return DIALOG_OPEN;
}

int
dialog_key(struct dialog *d, const struct key *k)
{
	int r, n;

	if (k->is_key && k->ch == KEY_RESIZE)
		return DIALOG_OPEN;
	if (key_is_enter(k))
		return d->choice;
	if (!k->is_key && k->ch == 27)
		return DIALOG_NO;
	if ((n = fkeys_number(k)) >= 2 && n <= 9)
		return DIALOG_PASS;         /* close, then the caller acts */
	if (d->kind == DIALOG_MESSAGE)
		return (!k->is_key && k->ch == L' ') ? DIALOG_YES :
		    dialog_unused(d);
	if ((k->is_key && (k->ch == KEY_LEFT || k->ch == KEY_RIGHT ||
	    k->ch == KEY_BTAB)) || (!k->is_key && k->ch == L'\t')) {
		if (d->kind == DIALOG_GUARDED)
			return dialog_unused(d);
		d->choice = !d->choice;
		return DIALOG_OPEN;
	}
	r = k->is_key ? DIALOG_OPEN : dialog_letter(k->ch);
	return r == DIALOG_OPEN ? dialog_unused(d) : r;
}

struct wrap_ctx {
	WINDOW *w;
	int     y, x, width;
	attr_t  attr;
	int     n, max;
};

static void
dialog_line(void *ud, const char *s, size_t len)
{
	struct wrap_ctx *c = ud;
	char *line;

	if (c->n >= c->max)
		return;
	line = strndup(s, len);
	if (line != NULL)
		text_put(c->w, c->y + c->n, c->x, line, c->width, c->attr, 1);
	c->n++;
	free(line);
}

/* The keys a dialog takes, for its last line after an unused key. */
static const char *
dialog_keys_hint(const struct dialog *d)
{
	switch (d->kind) {
	case DIALOG_MESSAGE:
		return _("Enter or Esc: close");
	case DIALOG_GUARDED:
		return _("Y (Т): yes; N (Н), Enter or Esc: no");
	default:
		return _("Y (Т): yes; N (Н) or Esc: no; Left/Right and Enter");
	}
}

static void
dialog_buttons(struct dialog *d, WINDOW *w, int y, int x, int width, attr_t base)
{
	char buf[128];
	int half = width / 2;

	if (d->kind == DIALOG_MESSAGE) {
		snprintf(buf, sizeof buf, "[ %s ]", _("OK"));
		text_center(w, y, x, width, buf, base ^ A_REVERSE);
		return;
	}
	if (d->kind == DIALOG_GUARDED) {
		snprintf(buf, sizeof buf, "[ %s ]", _("Yes: press Y (Т)"));
		text_center(w, y, x, half, buf, base);
		snprintf(buf, sizeof buf, "[ %s ]", _("No"));
		text_center(w, y, x + half, width - half, buf, base ^ A_REVERSE);
		return;
	}
	snprintf(buf, sizeof buf, "[ %s ]", _("Yes"));
	text_center(w, y, x, half, buf, d->choice == DIALOG_YES ? base ^ A_REVERSE : base);
	snprintf(buf, sizeof buf, "[ %s ]", _("No"));
	text_center(w, y, x + half, width - half, buf,
	    d->choice == DIALOG_NO ? base ^ A_REVERSE : base);
}

void
dialog_draw(struct dialog *d, WINDOW *w)
{
	int sh, sw, inner, lines, bh, bw, y, x;
	attr_t attr = d->loud ? (A_REVERSE | A_BOLD) : A_NORMAL;
	struct wrap_ctx c;

	getmaxyx(w, sh, sw);
	inner = text_max_line_width(d->text);
	if (inner < text_width(d->title) + 2)
		inner = text_width(d->title) + 2;
	if (inner < text_width(dialog_keys_hint(d)))
		inner = text_width(dialog_keys_hint(d));
	if (d->kind == DIALOG_GUARDED && inner < 2 * (text_width(_("Yes: press "
	    "Y (Т)")) + 6))
		inner = 2 * (text_width(_("Yes: press Y (Т)")) + 6);
	if (inner < 24)
		inner = 24;
	if (inner > sw - 6)
		inner = sw - 6;
	lines = text_wrap(d->text, inner, NULL, NULL);
	bh = lines + 4 + (d->nudge ? 1 : 0);
	bw = inner + 4;
	if (bh > sh)
		bh = sh;
	y = (sh - bh) / 2;
	x = (sw - bw) / 2;
	for (int i = 0; i < bh; i++)
		text_put(w, y + i, x, "", bw, attr, 1);
	wattr_on(w, attr, NULL);
	mvwhline(w, y, x + 1, ACS_HLINE, bw - 2);
	mvwhline(w, y + bh - 1, x + 1, ACS_HLINE, bw - 2);
	mvwvline(w, y + 1, x, ACS_VLINE, bh - 2);
	mvwvline(w, y + 1, x + bw - 1, ACS_VLINE, bh - 2);
	mvwaddch(w, y, x, ACS_ULCORNER);
	mvwaddch(w, y, x + bw - 1, ACS_URCORNER);
	mvwaddch(w, y + bh - 1, x, ACS_LLCORNER);
	mvwaddch(w, y + bh - 1, x + bw - 1, ACS_LRCORNER);
	wattr_off(w, attr, NULL);
	if (d->title[0] != '\0') {
		char t[256];
		snprintf(t, sizeof t, " %s ", d->title);
		text_center(w, y, x + 1, bw - 2, t, attr | A_BOLD);
	}
	c = (struct wrap_ctx){ w, y + 1, x + 2, inner, attr, 0,
	    bh - 4 - (d->nudge ? 1 : 0) };
	text_wrap(d->text, inner, dialog_line, &c);
	if (d->nudge)
		text_center(w, y + bh - 3, x + 1, bw - 2, dialog_keys_hint(d),
		    attr ^ A_REVERSE);
	dialog_buttons(d, w, y + bh - 2, x + 1, bw - 2, attr);
}
