/*
 * table.c — rows of owned strings (see table.h).
 *
 * Alike on purpose: table_init/clear/free have the shape of every
 * container here (proto/buf.c's hr_buf, tui/form.c's form): set up empty,
 * drop the contents, drop the storage — a reader who knows one knows all.
 */
#include "config.h"

#include "tui/table.h"

#include <stdlib.h>
#include <string.h>

void
table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

void
table_clear(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	t->nrows = 0;
}

void
table_free(struct table *t)
{
	table_clear(t);
	free(t->cells);
	t->cells = NULL;
	t->cap = 0;
}

int
table_add(struct table *t, char **row)
{
	size_t base;

	if (t->nrows == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 32;
		char **nc = realloc(t->cells, ncap * t->ncols * sizeof *nc);
		if (nc == NULL) {
			for (size_t c = 0; c < t->ncols; c++)
				free(row[c]);
			return -1;
		}
		t->cells = nc;
		t->cap = ncap;
	}
	base = t->nrows * t->ncols;
	for (size_t c = 0; c < t->ncols; c++)
		t->cells[base + c] = row[c] ? row[c] : strdup("");
	t->nrows++;
	return 0;
}

const char *
table_get(const struct table *t, size_t row, size_t col)
{
	const char *s;

	if (row >= t->nrows || col >= t->ncols)
		return "";
	s = t->cells[row * t->ncols + col];
	return s ? s : "";
}

const char *
table_cell(void *ud, size_t row, size_t col, char *buf, size_t n)
{
	return table_get(ud, row, col);
}
