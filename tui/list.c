/*
 * list.c — scrollable table with a header (see list.h).
 */
#include "config.h"

#include "tui/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wctype.h>

#include "tui/text.h"

#define LIST_FIND_PAUSE_MS 2000

#define LIST_CELL_MAX 512

void
list_init(struct list *l, const struct list_col *cols, size_t ncols,
    list_cell_fn *cell, void *ud)
{
	l->cols = cols;
	l->ncols = ncols;
	l->cell = cell;
	l->ud = ud;
	l->nrows = l->sel = l->top = 0;
	l->page = 1;
	l->find_cols = 0;
	l->nfind = 0;
	l->find[0] = L'\0';
	l->find_miss = 0;
}

void
list_set_find(struct list *l, unsigned cols)
{
	l->find_cols = cols;
}

static long
list_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void
list_set_marked(struct list *l, list_marked_fn *marked)
{
	l->marked = marked;
}

int
list_finding(const struct list *l)
{
	return l->nfind > 0 && list_now_ms() - l->find_at <= LIST_FIND_PAUSE_MS;
}

void
list_set_rows(struct list *l, size_t nrows)
{
	l->nrows = nrows;
	if (l->sel >= nrows)
		l->sel = nrows ? nrows - 1 : 0;
	if (l->top > l->sel)
		l->top = l->sel;
}

static void
list_move(struct list *l, long delta)
{
	long s = (long)l->sel + delta;

	if (l->nrows == 0)
		return;
	if (s < 0)
		s = 0;
	if (s >= (long)l->nrows)
		s = (long)l->nrows - 1;
	l->sel = (size_t)s;
}

/* ---- type-to-find ---- */

/* Does `cell` have a word starting with the search (digits: anywhere in a
 * number)? */
static int
list_cell_matches(const struct list *l, const char *cell)
{
	wchar_t w[LIST_CELL_MAX];
	size_t n = mbstowcs(w, cell, LIST_CELL_MAX - 1);
	int digits = iswdigit((wint_t)l->find[0]);

	if (n == (size_t)-1)
		return 0;
	w[n] = L'\0';
	for (size_t i = 0; i < n; i++) {
		int word_start = i == 0 || !iswalnum((wint_t)w[i - 1]);
		size_t k = 0;

		if (!word_start && !(digits && iswdigit((wint_t)w[i])))
			continue;
		while (k < l->nfind && i + k < n &&
		    towlower((wint_t)w[i + k]) == towlower((wint_t)l->find[k]))
			k++;
		if (k == l->nfind)
			return 1;
	}
	return 0;
}

static int
list_row_matches(const struct list *l, size_t row)
{
	char buf[LIST_CELL_MAX];

	for (size_t c = 0; c < l->ncols && c < 32; c++) {
		const char *s;

		if (!(l->find_cols & (1u << c)))
			continue;
		s = l->cell(l->ud, row, c, buf, sizeof buf);
		if (s != NULL && list_cell_matches(l, s))
			return 1;
	}
	return 0;
}

/* Select the first matching row from `from` on, wrapping round. */
static void
list_find_from(struct list *l, size_t from)
{
	for (size_t i = 0; i < l->nrows; i++) {
		size_t row = (from + i) % l->nrows;

		if (list_row_matches(l, row)) {
			l->sel = row;
			l->find_miss = 0;
			return;
		}
	}
	l->find_miss = 1;
}

static void
list_find_end(struct list *l)
{
	l->nfind = 0;
	l->find[0] = L'\0';
	l->find_miss = 0;
}

/* A key for type-to-find; 1 when used. */
static int
list_find_key(struct list *l, const struct key *k)
{
	long now = list_now_ms();

	if (l->find_cols == 0 || k->is_key)
		return 0;
	if (l->nfind > 0 && now - l->find_at > LIST_FIND_PAUSE_MS)
		list_find_end(l);
	if ((k->ch == 0x7f || k->ch == CTRL_KEY('h')) && l->nfind > 0) {
		l->find[--l->nfind] = L'\0';
		l->find_at = now;
		if (l->nfind > 0)
			list_find_from(l, 0);
		else
			l->find_miss = 0;
		return 1;
	}
	if (!iswalnum(k->ch) && !(l->nfind > 0 && (k->ch == L' ' ||
	    k->ch == L'\'' || k->ch == L'’' || k->ch == L'-' || k->ch == L'/')))
		return 0;
	if (l->nfind == LIST_FIND_MAX)
		return 1;
	l->find[l->nfind++] = (wchar_t)k->ch;
	l->find[l->nfind] = L'\0';
	l->find_at = now;
	/* The same text again: the next match; longer text: from here. */
	list_find_from(l, l->sel);
	return 1;
}

const char *
list_find_text(const struct list *l, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	if (l->nfind == 0 ||
	    list_now_ms() - l->find_at > LIST_FIND_PAUSE_MS) {
		buf[0] = '\0';
		return buf;
	}
	if (wcstombs(buf, l->find, n) == (size_t)-1)
		buf[0] = '\0';
	buf[n - 1] = '\0';
	return buf;
}

/*
 * PgDn/PgUp turn the view a page (keeping one row of the old page in
 * sight) and move the cursor as far, so it keeps its place on the screen,
 * as in mc; near either end the view stops and the cursor goes on to the
 * first or last row.
 */
static void
list_turn(struct list *l, long delta)
{
	long top = (long)l->top + delta;
	long last_top = (long)l->nrows - (l->page > 0 ? l->page : 1);

	list_move(l, delta);
	if (top > last_top)
		top = last_top;
	if (top < 0)
		top = 0;
	l->top = (size_t)top;
	if (l->sel < l->top)
		l->top = l->sel;
}

int
list_key(struct list *l, const struct key *k)
{
	long page = l->page > 1 ? l->page - 1 : 1;

	if (list_find_key(l, k))
		return 1;
	if (!k->is_key)
		return 0;
	list_find_end(l);
	switch (k->ch) {
	case KEY_UP:    list_move(l, -1); return 1;
	case KEY_DOWN:  list_move(l, 1); return 1;
	case KEY_PPAGE: list_turn(l, -page); return 1;
	case KEY_NPAGE: list_turn(l, page); return 1;
	case KEY_HOME:  list_move(l, -(long)l->nrows); return 1;
	case KEY_END:   list_move(l, (long)l->nrows); return 1;
	}
	return 0;
}

/* Widths of the flexible columns: the rest split evenly. */
static int
list_flex_width(const struct list *l, int width)
{
	int fixed = 0, nflex = 0;

	for (size_t c = 0; c < l->ncols; c++) {
		fixed += l->cols[c].width + 1;
		nflex += l->cols[c].width == 0;
	}
	if (nflex == 0)
		return 0;
	return width > fixed ? (width - fixed) / nflex : 1;
}

static void
list_draw_row(struct list *l, WINDOW *w, int y, int x, int width, size_t row,
    attr_t attr)
{
	char buf[LIST_CELL_MAX];
	int flex = list_flex_width(l, width), col = 0;

	int marked = row != (size_t)-1 && l->marked != NULL &&
	    l->marked(l->ud, row);

	if (marked)
		attr |= A_BOLD;
	for (size_t c = 0; c < l->ncols && col < width; c++) {
		int cw = l->cols[c].width ? l->cols[c].width : flex;
		const char *s = row == (size_t)-1 ? l->cols[c].title :
		    l->cell(l->ud, row, c, buf, sizeof buf);

		attr_t ca = row != (size_t)-1 && l->cell_attr != NULL ?
		    l->cell_attr(l->ud, row, c) : 0;

		if (cw > width - col)
			cw = width - col;
		text_put(w, y, x + col, s ? s : "", cw, attr | ca, 1);
		col += cw;
		if (col < width)
			text_put(w, y, x + col++, marked && c == 0 ? LIST_MARK :
			    " ", 1, attr, 1);
	}
	if (col < width)
		text_put(w, y, x + col, "", width - col, attr, 1);
}

void
list_draw(struct list *l, WINDOW *w, int y, int x, int h, int width)
{
	char find[LIST_FIND_MAX * 4 + 1], tag[LIST_FIND_MAX * 4 + 64];

	if (h < 2)
		return;
	list_draw_row(l, w, y, x, width, (size_t)-1, A_BOLD | A_UNDERLINE);
	/* The search typed so far, over the right end of the header. */
	if (list_find_text(l, find, sizeof find)[0] != '\0') {
		int tw;

		snprintf(tag, sizeof tag, l->find_miss ? _(" Find: %s (none) ") :
		    _(" Find: %s "), find);
		tw = text_width(tag);
		if (tw > width)
			tw = width;
		text_put(w, y, x + width - tw, tag, tw, A_REVERSE | A_BOLD, 0);
	}
	l->page = h - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + (size_t)l->page)
		l->top = l->sel - (size_t)l->page + 1;
	for (int i = 0; i < l->page && l->top + (size_t)i < l->nrows; i++) {
		size_t row = l->top + (size_t)i;
		list_draw_row(l, w, y + 1 + i, x, width, row,
		    row == l->sel ? A_REVERSE : A_NORMAL);
	}
}
