/*
 * picker.c — modal list to choose one item from (see picker.h).
 *
 * Labels are kept twice: as UTF-8 to draw and as case-folded wide text to
 * match the search against.  `shown` holds the indices that match, in the
 * original order; the selection is a position in `shown`.
 */
#include "config.h"

#include "tui/picker.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/box.h"
#include "tui/field.h"
#include "tui/listsel.h"
#include "tui/text.h"

#define PICKER_SEARCH_MAX 32
#define PICKER_MAX_ROWS   16

struct picker {
	char     *title;
	char    **items;
	wchar_t **folded;
	size_t    n;
	size_t   *shown, nshown;
	size_t    sel, top;
	int       page;
	struct field search;
};

/* Recompute `shown` from the search text; keep the selected item if shown. */
static void
picker_filter(struct picker *p)
{
	size_t keep = p->nshown ? p->shown[p->sel] : 0;
	wchar_t q[PICKER_SEARCH_MAX + 1];

	for (size_t i = 0; i <= p->search.len; i++)
		q[i] = (wchar_t)towlower((wint_t)p->search.buf[i]);
	p->nshown = 0;
	p->sel = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (q[0] != L'\0' && wcsstr(p->folded[i], q) == NULL)
			continue;
		if (i == keep)
			p->sel = p->nshown;
		p->shown[p->nshown++] = i;
	}
	p->top = 0;
}

struct picker *
picker_new(const char *title, const char *const *items, size_t n, size_t sel)
{
	struct picker *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->title = strdup(title ? title : "");
	p->items = calloc(n + 1, sizeof *p->items);
	p->folded = calloc(n + 1, sizeof *p->folded);
	p->shown = calloc(n + 1, sizeof *p->shown);
	if (p->title == NULL || p->items == NULL || p->folded == NULL ||
	    p->shown == NULL || field_init(&p->search, PICKER_SEARCH_MAX, 0) != 0)
		goto fail;
	for (p->n = 0; p->n < n; p->n++) {
		p->items[p->n] = strdup(items[p->n] ? items[p->n] : "");
		p->folded[p->n] = listsel_fold(items[p->n] ? items[p->n] : "");
		if (p->items[p->n] == NULL || p->folded[p->n] == NULL) {
			p->n++;
			goto fail;
		}
	}
	p->nshown = n;
	for (size_t i = 0; i < n; i++)
		p->shown[i] = i;
	p->sel = sel < n ? sel : 0;
	p->page = 1;
	return p;
fail:
	picker_free(p);
	return NULL;
}

void
picker_free(struct picker *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i]);
		free(p->folded[i]);
	}
	free(p->items);
	free(p->folded);
	free(p->shown);
	field_free(&p->search);
	free(p->title);
	free(p);
}

size_t picker_visible(const struct picker *p) { return p->nshown; }

int
picker_key(struct picker *p, const struct key *k)
{
	if (key_is_enter(k))
		return p->nshown ? (int)p->shown[p->sel] : PICKER_OPEN;
	if (!k->is_key && k->ch == 27)
		return PICKER_CANCEL;
	if (k->is_key && listsel_move(&p->sel, p->nshown, p->page,
	    (int)k->ch))
		return PICKER_OPEN;
	if (k->is_key && k->ch != KEY_BACKSPACE && k->ch != KEY_DC)
		return PICKER_OPEN;        /* Left/Right etc. do not edit the search */
	if (field_key(&p->search, k))
		picker_filter(p);
	return PICKER_OPEN;
}

/* Width of the box: the widest label, within the screen. */
static int
picker_width(const struct picker *p, int sw)
{
	int w = text_width(p->title) + 4;

	for (size_t i = 0; i < p->n; i++)
		if (text_width(p->items[i]) + 4 > w)
			w = text_width(p->items[i]) + 4;
	if (w < 30)
		w = 30;
	return w > sw - 2 ? sw - 2 : w;
}

void
picker_draw(struct picker *p, WINDOW *w, int *cy, int *cx)
{
	int sh, sw, y, x, bh, bw, rows;

	getmaxyx(w, sh, sw);
	rows = (int)p->n < PICKER_MAX_ROWS ? (int)p->n : PICKER_MAX_ROWS;
	if (rows < 1)
		rows = 1;
	bh = rows + 4;
	bw = picker_width(p, sw);
	box_center(w, &y, &x, &bh, &bw);
	box_draw(w, y, x, bh, bw, p->title, A_NORMAL);
	p->page = bh - 4 > 0 ? bh - 4 : 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)p->page)
		p->top = p->sel - (size_t)p->page + 1;
	for (int i = 0; i < p->page && p->top + (size_t)i < p->nshown; i++) {
		size_t at = p->top + (size_t)i;
		text_put(w, y + 1 + i, x + 1, p->items[p->shown[at]], bw - 2,
		    at == p->sel ? A_REVERSE : A_NORMAL, 1);
	}
	text_put(w, y + bh - 2, x + 1, "/", 2, A_BOLD, 1);
	*cx = field_draw(&p->search, w, y + bh - 2, x + 3, bw - 4, 1);
	*cy = y + bh - 2;
	(void)sh;
}
