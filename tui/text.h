/*
 * text.h — drawing UTF-8 text into a fixed number of terminal columns.
 *
 * Everything the client shows comes from the server or the translations, so
 * it is converted here once: UTF-8 to wide characters, control characters
 * (a server must not be able to send terminal escapes) replaced by '?',
 * cut or padded to the exact display width.  Domain-free.
 */
#ifndef TUI_TEXT_H
#define TUI_TEXT_H

#include <stddef.h>

#include "tui/tui.h"

/* Display width of UTF-8 text (invalid bytes count as one column). */
int  text_width(const char *s);

/*
 * Draw `s` at (y, x) in exactly `width` columns with `attr`: cut when too
 * long, padded with spaces when `pad`.  Returns the columns written.
 */
int  text_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr, int pad);

/*
 * Copy `s` into buf (size n), cut to `width` columns with a trailing "…"
 * when it does not fit.  Returns buf.
 */
char *text_trunc(const char *s, int width, char *buf, size_t n);

/* Display width of the widest line of `s` (lines split at '\n'). */
int  text_max_line_width(const char *s);

/* Draw `s` centred within [x, x + width). */
void text_center(WINDOW *w, int y, int x, int width, const char *s, attr_t attr);

/*
 * Word-wrap `s` to `width` columns: calls `line(ud, start, len)` for each
 * line (bytes of `s`; explicit '\n' break lines).  Returns the line count.
 */
typedef void text_line_fn(void *ud, const char *start, size_t len);
int  text_wrap(const char *s, int width, text_line_fn *line, void *ud);

#endif
