/*
 * textarea.h — a text input that wraps over several lines: for a reason,
 * a comment, a note.  One paragraph of wide characters (no line breaks: the
 * text travels as one line), wrapped at the drawn width by characters, with
 * a cursor that Up/Down move between the wrapped lines and a maximum
 * length.  Domain-free.
 */
#ifndef TUI_TEXTAREA_H
#define TUI_TEXTAREA_H

#include <stddef.h>

#include "tui/tui.h"

struct textarea {
	wchar_t *buf;      /* max + 1 wide characters, NUL-terminated */
	size_t   len, max;
	size_t   cur;      /* cursor: 0..len */
	int      top;      /* first wrapped line shown */
	int      width;    /* columns at the last draw (for Up/Down) */
};

int   textarea_init(struct textarea *t, size_t max);   /* 0 or -1 (no memory) */
void  textarea_free(struct textarea *t);
void  textarea_set(struct textarea *t, const char *utf8);

/* The text as UTF-8 with blanks trimmed at both ends (caller frees). */
char *textarea_text(const struct textarea *t);

/* Is there nothing but blanks? */
int   textarea_blank(const struct textarea *t);

/* Wrapped lines the text takes at `width` columns (at least 1). */
int   textarea_lines(const struct textarea *t, int width);

/* Edit and movement keys; 1 when the key was used (Enter is not). */
int   textarea_key(struct textarea *t, const struct key *k);

/*
 * Draw into the h x width box at (y, x), scrolled to keep the cursor
 * visible; *cy, *cx get the cursor's screen position.
 */
void  textarea_draw(struct textarea *t, WINDOW *w, int y, int x, int h,
    int width, int focused, int *cy, int *cx);

#endif
