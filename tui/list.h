/*
 * list.h — a scrollable table with a header line and one selected row.
 *
 * The list owns no data: it asks `cell(ud, row, col, buf, n)` for the text
 * of each visible cell while drawing, so a screen keeps its rows in whatever
 * form it received them.  Column widths are fixed, except columns of width
 * 0, which share what is left.
 *
 * Type-to-find: letters and digits typed on a list gather into a search
 * (shown in the header) and select the next row where a word of one of the
 * `find` columns starts with it (case-folded, Cyrillic too; digits also
 * match inside a number, "41" finds "00041/2026"); Backspace shortens it,
 * a pause of two seconds or a movement key ends it.  Domain-free.
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
/* Extra attributes of one cell (a mark that is more than its text);
 * optional: struct list's cell_attr may stay NULL. */
typedef attr_t list_attr_fn(void *ud, size_t row, size_t col);
/* Is `row` marked (a multi-selection)? */
typedef int list_marked_fn(void *ud, size_t row);

/* What a marked row shows after its first column (and it is bold). */
#define LIST_MARK "*"

#define LIST_FIND_MAX 32

struct list {
	const struct list_col *cols;
	size_t        ncols;
	list_cell_fn *cell;
	list_attr_fn *cell_attr;   /* NULL: the row's attributes only */
	list_marked_fn *marked;   /* NULL: no row is marked */
	void         *ud;
	size_t        nrows;
	size_t        sel;     /* selected row (< nrows unless empty) */
	size_t        top;     /* first visible row */
	int           page;    /* visible rows at the last draw */
	unsigned      find_cols;   /* bit per column type-to-find looks in */
	wchar_t       find[LIST_FIND_MAX + 1];
	size_t        nfind;
	long          find_at;     /* ms (monotonic) of the last typed key */
	int           find_miss;   /* the search matches no row */
};

void list_init(struct list *l, const struct list_col *cols, size_t ncols,
    list_cell_fn *cell, void *ud);
void list_set_rows(struct list *l, size_t nrows);

/*
 * Marked rows (the caller keeps the set): each is drawn bold with
 * LIST_MARK between its first and second columns, so the mark shows on
 * any terminal (vt100 too) without changing the columns' layout.
 */
void list_set_marked(struct list *l, list_marked_fn *marked);

/* Is type-to-find gathering a search now (typed keys go to it)? */
int  list_finding(const struct list *l);

/* Columns type-to-find looks in (bit c for column c); 0: none. */
void list_set_find(struct list *l, unsigned cols);

/*
 * Up/Down/Home/End move the cursor; PgUp/PgDn turn the view a page and
 * move the cursor with it; type-to-find when list_set_find was called.
 * Returns 1 when the key was used.
 */
int  list_key(struct list *l, const struct key *k);

/* The search typed so far (UTF-8 into buf), "" when none. */
const char *list_find_text(const struct list *l, char *buf, size_t n);

/* Draw header + rows in the h x width box at (y, x). */
void list_draw(struct list *l, WINDOW *w, int y, int x, int h, int width);

#endif
