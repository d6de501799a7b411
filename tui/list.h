/*
 * list.h — a scrollable table with a header line and one selected row.
 *
 * The list owns no data: it asks `cell(ud, row, col, buf, n)` for the text
 * of each visible cell while drawing, so a screen keeps its rows in whatever
 * form it received them.  Column widths are fixed, except columns of width
 * 0, which share what is left.  Domain-free.
 */
#ifndef TUI_LIST_H
#define TUI_LIST_H

#include <stddef.h>

#include "tui/tui.h"

struct list_col {
	const char *title;   /* already translated */
	int         width;   /* columns; 0 = share the rest */
};

typedef const char *list_cell_fn(void *ud, size_t row, size_t col,
    char *buf, size_t n);

struct list {
	const struct list_col *cols;
	size_t        ncols;
	list_cell_fn *cell;
	void         *ud;
	size_t        nrows;
	size_t        sel;     /* selected row (< nrows unless empty) */
	size_t        top;     /* first visible row */
	int           page;    /* visible rows at the last draw */
};

void list_init(struct list *l, const struct list_col *cols, size_t ncols,
    list_cell_fn *cell, void *ud);
void list_set_rows(struct list *l, size_t nrows);

/* Up/Down/PgUp/PgDn/Home/End; returns 1 when the key was used. */
int  list_key(struct list *l, const struct key *k);

/* Draw header + rows in the h x width box at (y, x). */
void list_draw(struct list *l, WINDOW *w, int y, int x, int h, int width);

#endif
