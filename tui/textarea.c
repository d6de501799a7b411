/*
 * textarea.c — wrapped multi-line text input (see textarea.h).
 *
 * Positions are computed, not stored: the text is short (a reason is at
 * most a thousand characters), so a walk over it per key or per draw costs
 * nothing and cannot go stale after a resize.
 */
#include "config.h"

#include "tui/textarea.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

int
textarea_init(struct textarea *t, size_t max)
{
	memset(t, 0, sizeof *t);
	if ((t->buf = calloc(max + 1, sizeof *t->buf)) == NULL)
		return -1;
	t->max = max;
	t->width = 40;
	return 0;
}

void
textarea_free(struct textarea *t)
{
	free(t->buf);
	t->buf = NULL;
	t->len = t->cur = 0;
}

void
textarea_set(struct textarea *t, const char *utf8)
{
	mbstate_t st;

	memset(&st, 0, sizeof st);
	t->len = t->cur = 0;
	t->top = 0;
	while (utf8 != NULL && *utf8 != '\0' && t->len < t->max) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, utf8, strlen(utf8), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
			break;
		t->buf[t->len++] = iswprint(wc) ? wc : L' ';
		utf8 += r;
	}
	t->buf[t->len] = L'\0';
	t->cur = t->len;
}

char *
textarea_text(const struct textarea *t)
{
	size_t a = 0, b = t->len, n = 0;
	char *out;
	mbstate_t st;

	while (a < b && iswspace(t->buf[a]))
		a++;
	while (b > a && iswspace(t->buf[b - 1]))
		b--;
	if ((out = malloc((b - a) * MB_CUR_MAX + 1)) == NULL)
		return NULL;
	memset(&st, 0, sizeof st);
	for (size_t i = a; i < b; i++) {
		size_t r = wcrtomb(out + n, t->buf[i], &st);
		if (r != (size_t)-1)
			n += r;
	}
	out[n] = '\0';
	return out;
}

int
textarea_blank(const struct textarea *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (!iswspace(t->buf[i]))
			return 0;
	return 1;
}

static int
ta_cw(const struct textarea *t, size_t i)
{
	int w = i < t->len ? wcwidth(t->buf[i]) : 1;

	return w < 1 ? 1 : w;
}

/*
 * Walk the layout: call `fn` for every index 0..len (len is the place
 * after the text) with its wrapped row and column; stop when it returns 1.
 */
typedef int ta_pos_fn(void *ud, size_t i, int row, int col);

static void
ta_walk(const struct textarea *t, int width, ta_pos_fn *fn, void *ud)
{
	int row = 0, col = 0;

	if (width < 1)
		width = 1;
	for (size_t i = 0; i <= t->len; i++) {
		int cw = ta_cw(t, i);
		if (col > 0 && col + cw > width) {
			row++;
			col = 0;
		}
		if (fn(ud, i, row, col))
			return;
		col += cw;
	}
}

struct ta_find {
	size_t want;          /* index to locate, or (size_t)-1 */
	int    row, col;      /* in: target (when want is -1); out: position */
	size_t best;
	int    found, last_row;
};

static int
ta_find_pos(void *ud, size_t i, int row, int col)
{
	struct ta_find *f = ud;

	f->last_row = row;
	if (i != f->want)
		return 0;
	f->row = row;
	f->col = col;
	return 1;
}

static int
ta_find_index(void *ud, size_t i, int row, int col)
{
	struct ta_find *f = ud;

	if (row > f->row)
		return 1;
	if (row == f->row && col <= f->col) {
		f->best = i;
		f->found = 1;
	}
	return 0;
}

static void
ta_pos(const struct textarea *t, int width, size_t i, int *row, int *col)
{
	struct ta_find f = { .want = i };

	ta_walk(t, width, ta_find_pos, &f);
	*row = f.row;
	*col = f.col;
}

int
textarea_lines(const struct textarea *t, int width)
{
	struct ta_find f = { .want = (size_t)-1 };

	ta_walk(t, width, ta_find_pos, &f);
	return f.last_row + 1;
}

/* Move the cursor one wrapped line up (-1) or down (+1), keeping the column. */
static void
ta_vertical(struct textarea *t, int dir)
{
	struct ta_find f = { .want = (size_t)-1 };
	int row, col;

	ta_pos(t, t->width, t->cur, &row, &col);
	if (row + dir < 0 || row + dir >= textarea_lines(t, t->width))
		return;
	f.row = row + dir;
	f.col = col;
	ta_walk(t, t->width, ta_find_index, &f);
	if (f.found)
		t->cur = f.best;
}

static void
ta_delete(struct textarea *t, size_t at, size_t n)
{
	if (at >= t->len)
		return;
	if (n > t->len - at)
		n = t->len - at;
	memmove(&t->buf[at], &t->buf[at + n], (t->len - at - n) * sizeof *t->buf);
	t->len -= n;
	t->buf[t->len] = L'\0';
	if (t->cur > t->len)
		t->cur = t->len;
}

static void
ta_insert(struct textarea *t, wchar_t wc)
{
	if (t->len >= t->max)
		return;
	memmove(&t->buf[t->cur + 1], &t->buf[t->cur],
	    (t->len - t->cur) * sizeof *t->buf);
	t->buf[t->cur++] = wc;
	t->buf[++t->len] = L'\0';
}

static int
ta_fkey(struct textarea *t, int ch)
{
	switch (ch) {
	case KEY_LEFT:  if (t->cur > 0) t->cur--; return 1;
	case KEY_RIGHT: if (t->cur < t->len) t->cur++; return 1;
	case KEY_UP:    ta_vertical(t, -1); return 1;
	case KEY_DOWN:  ta_vertical(t, 1); return 1;
	case KEY_HOME:  t->cur = 0; return 1;
	case KEY_END:   t->cur = t->len; return 1;
	case KEY_DC:    ta_delete(t, t->cur, 1); return 1;
	case KEY_BACKSPACE:
		if (t->cur > 0)
			ta_delete(t, --t->cur, 1);
		return 1;
	}
	return 0;
}

int
textarea_key(struct textarea *t, const struct key *k)
{
	struct key bs = { 1, KEY_BACKSPACE };

	if (k->is_key)
		return ta_fkey(t, (int)k->ch);
	switch (k->ch) {
	case 0x7f: case CTRL_KEY('h'): return textarea_key(t, &bs);
	case CTRL_KEY('a'): t->cur = 0; return 1;
	case CTRL_KEY('e'): t->cur = t->len; return 1;
	case CTRL_KEY('u'): ta_delete(t, 0, t->cur); t->cur = 0; return 1;
	case CTRL_KEY('k'): ta_delete(t, t->cur, t->len - t->cur); return 1;
	}
	if (!iswprint(k->ch))
		return 0;
	ta_insert(t, (wchar_t)k->ch);
	return 1;
}

struct ta_paint {
	const struct textarea *t;
	WINDOW *w;
	int     y, x, h;
	attr_t  attr;
};

static int
ta_paint_char(void *ud, size_t i, int row, int col)
{
	struct ta_paint *p = ud;
	wchar_t str[2] = { 0, 0 };
	cchar_t cc;

	if (row - p->t->top >= p->h)
		return 1;
	if (i >= p->t->len || row < p->t->top)
		return 0;
	str[0] = p->t->buf[i];
	setcchar(&cc, str, p->attr, 0, NULL);
	mvwadd_wch(p->w, p->y + row - p->t->top, p->x + col, &cc);
	return 0;
}

void
textarea_draw(struct textarea *t, WINDOW *w, int y, int x, int h,
    int width, int focused, int *cy, int *cx)
{
	struct ta_paint p = { t, w, y, x, h, focused ? A_REVERSE : A_UNDERLINE };
	int row, col;

	if (width < 2 || h < 1)
		return;
	t->width = width;
	ta_pos(t, width, t->cur, &row, &col);
	if (row < t->top)
		t->top = row;
	if (row >= t->top + h)
		t->top = row - h + 1;
	for (int i = 0; i < h; i++)
		mvwhline(w, y + i, x, ' ' | p.attr, width);
	ta_walk(t, width, ta_paint_char, &p);
	*cy = y + row - t->top;
	*cx = x + col;
}
