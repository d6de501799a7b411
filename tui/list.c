/*
 * list.c — scrollable table with a header (see list.h).
 */
#include "config.h"

#include "tui/list.h"

#include "tui/text.h"

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

int
list_key(struct list *l, const struct key *k)
{
	long page = l->page > 1 ? l->page - 1 : 1;

	if (!k->is_key)
		return 0;
	switch (k->ch) {
	case KEY_UP:    list_move(l, -1); return 1;
	case KEY_DOWN:  list_move(l, 1); return 1;
	case KEY_PPAGE: list_move(l, -page); return 1;
	case KEY_NPAGE: list_move(l, page); return 1;
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

	for (size_t c = 0; c < l->ncols && col < width; c++) {
		int cw = l->cols[c].width ? l->cols[c].width : flex;
		const char *s = row == (size_t)-1 ? l->cols[c].title :
		    l->cell(l->ud, row, c, buf, sizeof buf);

		if (cw > width - col)
			cw = width - col;
		text_put(w, y, x + col, s ? s : "", cw, attr, 1);
		col += cw;
		if (col < width)
			text_put(w, y, x + col++, " ", 1, attr, 1);
	}
	if (col < width)
		text_put(w, y, x + col, "", width - col, attr, 1);
}

void
list_draw(struct list *l, WINDOW *w, int y, int x, int h, int width)
{
	if (h < 2)
		return;
	list_draw_row(l, w, y, x, width, (size_t)-1, A_BOLD | A_UNDERLINE);
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
