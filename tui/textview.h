/*
 * textview.h — a scrollable read-only document: paragraphs of UTF-8 text,
 * each with an attribute and an indent, word-wrapped to the width at draw
 * time (so a resize needs nothing).  Continuation lines of a paragraph are
 * indented two more columns, which reads well for "Label: long value".
 * Up/Down/PgUp/PgDn/Home/End scroll.  The view owns its paragraphs.
 * Domain-free.
 */
#ifndef TUI_TEXTVIEW_H
#define TUI_TEXTVIEW_H

#include <stddef.h>

#include "tui/tui.h"

struct tv_para {
	char  *text;
	attr_t attr;
	int    indent;
};

struct textview {
	struct tv_para *p;
	size_t          n, cap;
	int             top;       /* first wrapped line shown */
	int             page;      /* rows at the last draw */
	int             lines;     /* wrapped lines at the last draw */
};

void textview_init(struct textview *tv);
void textview_clear(struct textview *tv);      /* drop the paragraphs */
void textview_free(struct textview *tv);

/* Append a paragraph (printf-style).  0, or -1 when out of memory. */
int  textview_add(struct textview *tv, int indent, attr_t attr,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Scroll keys; 1 when used. */
int  textview_key(struct textview *tv, const struct key *k);

void textview_draw(struct textview *tv, WINDOW *w, int y, int x, int h, int width);

/* Wrapped lines at `width` (for tests and for sizing). */
int  textview_lines(const struct textview *tv, int width);

#endif
