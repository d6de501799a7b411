/*
 * table.h — rows of owned strings for a list (see list.h): a screen copies
 * each reply row into it, and table_cell feeds the list widget.  Domain-free.
 */
#ifndef TUI_TABLE_H
#define TUI_TABLE_H

#include <stddef.h>

struct table {
	char  **cells;      /* nrows * ncols, each owned (never NULL) */
	size_t  ncols, nrows, cap;
};

void table_init(struct table *t, size_t ncols);
void table_clear(struct table *t);
void table_free(struct table *t);

/* Append a row; takes ownership of the ncols strings (NULL = "").  0 or -1. */
int  table_add(struct table *t, char **row);

const char *table_get(const struct table *t, size_t row, size_t col);

/* list_cell_fn for a list whose columns are the table's. */
const char *table_cell(void *ud, size_t row, size_t col, char *buf, size_t n);

#endif
