/*
 * textview.c — scrollable wrapped paragraphs (see textview.h).
 */
#include "config.h"

#include "tui/textview.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "tui/text.h"

void
textview_init(struct textview *tv)
{
	memset(tv, 0, sizeof *tv);
	tv->page = 1;
}

void
textview_clear(struct textview *tv)
{
	for (size_t i = 0; i < tv->n; i++)
		free(tv->p[i].text);
	tv->n = 0;
}

void
textview_free(struct textview *tv)
{
	textview_clear(tv);
	free(tv->p);
	textview_init(tv);
}

int
textview_add(struct textview *tv, int indent, attr_t attr, const char *fmt, ...)
{
	va_list ap;
	struct tv_para *np;
	char *s;
	int r;

	if ((np = hr_grow(tv->p, &tv->cap, tv->n, sizeof *np, 32)) == NULL)
		return -1;
	tv->p = np;
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	tv->p[tv->n++] = (struct tv_para){ s, attr, indent };
	return 0;
}

/* Rows a paragraph takes: first line at indent, the rest at indent + 2. */
static int
tv_para_lines(const struct tv_para *p, int width)
{
	int w = width - p->indent - 2;

	return p->text[0] == '\0' ? 1 : text_wrap(p->text, w > 4 ? w : 4, NULL, NULL);
}

int
textview_lines(const struct textview *tv, int width)
{
	int n = 0;

	for (size_t i = 0; i < tv->n; i++)
		n += tv_para_lines(&tv->p[i], width);
	return n;
}

int
textview_key(struct textview *tv, const struct key *k)
{
	int page = tv->page > 1 ? tv->page - 1 : 1, max;

	if (!k->is_key)
		return 0;
	switch (k->ch) {
	case KEY_UP:    tv->top--; break;
	case KEY_DOWN:  tv->top++; break;
	case KEY_PPAGE: tv->top -= page; break;
	case KEY_NPAGE: tv->top += page; break;
	case KEY_HOME:  tv->top = 0; break;
	case KEY_END:   tv->top = tv->lines; break;
	default:        return 0;
	}
	max = tv->lines - tv->page;
	if (tv->top > max)
		tv->top = max;
	if (tv->top < 0)
		tv->top = 0;
	return 1;
}

struct tv_ctx {
	WINDOW *w;
	int     y, x, h, width;   /* the box */
	int     row;              /* wrapped line index within the document */
	int     top;
	const struct tv_para *p;
	int     first;            /* the next line is the paragraph's first */
};

static void
tv_line(void *ud, const char *s, size_t len)
{
	struct tv_ctx *c = ud;
	int ind = c->p->indent + (c->first ? 0 : 2), r = c->row++ - c->top;
	char *line;

	c->first = 0;
	if (r < 0 || r >= c->h || (line = strndup(s, len)) == NULL)
		return;
	text_put(c->w, c->y + r, c->x + ind, line, c->width - ind, c->p->attr, 0);
	free(line);
}

void
textview_draw(struct textview *tv, WINDOW *w, int y, int x, int h, int width)
{
	struct tv_ctx c = { w, y, x, h, width, 0, 0, NULL, 1 };

	tv->page = h > 0 ? h : 1;
	tv->lines = textview_lines(tv, width);
	if (tv->top > tv->lines - tv->page)
		tv->top = tv->lines - tv->page;
	if (tv->top < 0)
		tv->top = 0;
	c.top = tv->top;
	for (size_t i = 0; i < tv->n && c.row - c.top < h; i++) {
		int pw = width - tv->p[i].indent - 2;
		c.p = &tv->p[i];
		c.first = 1;
		if (tv->p[i].text[0] == '\0')
			c.row++;
		else
			text_wrap(tv->p[i].text, pw > 4 ? pw : 4, tv_line, &c);
	}
	if (tv->top + tv->page < tv->lines)
		text_put(w, y + h - 1, x + width - 3, " v ", 3, A_REVERSE, 0);
	if (tv->top > 0)
		text_put(w, y, x + width - 3, " ^ ", 3, A_REVERSE, 0);
}
