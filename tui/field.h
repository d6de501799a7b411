/*
 * field.h — a single-line text field of wide characters.
 *
 * Cursor, a maximum length, horizontal scrolling when the text is wider than
 * the field, and a hidden mode that shows '*' for passwords.  The text is
 * wiped from memory when the field is cleared or freed.  Domain-free.
 */
#ifndef TUI_FIELD_H
#define TUI_FIELD_H

#include <stddef.h>

#include "tui/tui.h"

struct field {
	wchar_t *buf;      /* max + 1 wide characters, NUL-terminated */
	size_t   len;      /* characters in use */
	size_t   max;
	size_t   cur;      /* cursor: 0..len */
	size_t   scroll;   /* first character shown */
	int      hidden;
};

int   field_init(struct field *f, size_t max, int hidden);   /* 0 or -1 (no memory) */
void  field_free(struct field *f);
void  field_clear(struct field *f);
void  field_set(struct field *f, const char *utf8);

/* The text as UTF-8, newly allocated (caller frees; wipe a password). */
char *field_text(const struct field *f);

/* Edit keys; returns 1 when the key was used. */
int   field_key(struct field *f, const struct key *k);

/*
 * Draw in `width` columns at (y, x); returns the column where the cursor
 * belongs (for the caller to place it when this field has the focus).
 */
int   field_draw(struct field *f, WINDOW *w, int y, int x, int width, int focused);

#endif
