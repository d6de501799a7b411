/*
 * text.c — UTF-8 to terminal columns (see text.h).
 */
#include "config.h"

#include "tui/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode one character at s (n bytes left); *len gets its byte length. */
static wchar_t
text_decode(const char *s, size_t n, size_t *len)
{
	mbstate_t st;
	wchar_t wc;
	size_t r;

	memset(&st, 0, sizeof st);
	r = mbrtowc(&wc, s, n, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		*len = 1;
		return L'?';
	}
	*len = r;
	if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0))
		return L'?';
	return wc;
}

static int
text_wcwidth(wchar_t wc)
{
	int w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	size_t n = strlen(s), len;
	int w = 0;

	while (n > 0) {
		w += text_wcwidth(text_decode(s, n, &len));
		s += len;
		n -= len;
	}
	return w;
}

int
text_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr, int pad)
{
	size_t n = s ? strlen(s) : 0, len;
	int col = 0;

	wattr_on(w, attr, NULL);
	wmove(w, y, x);
	while (n > 0) {
		wchar_t wc = text_decode(s, n, &len);
		int cw = text_wcwidth(wc);
		cchar_t cc;
		wchar_t str[2] = { wc, 0 };

		if (col + cw > width)
			break;
		if (cw > 0) {
			setcchar(&cc, str, attr, 0, NULL);
			wadd_wch(w, &cc);
		}
		col += cw;
		s += len;
		n -= len;
	}
	for (; pad && col < width; col++)
		waddch(w, ' ');
	wattr_off(w, attr, NULL);
	return col;
}

char *
text_trunc(const char *s, int width, char *buf, size_t n)
{
	size_t len, off = 0, cut = 0;
	int col = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (text_width(s) <= width) {
		snprintf(buf, n, "%s", s);
		return buf;
	}
	while (s[off] != '\0') {          /* room for the ellipsis: width - 1 */
		int cw = text_wcwidth(text_decode(s + off, strlen(s + off), &len));
		if (col + cw > width - 1)
			break;
		col += cw;
		off += len;
		cut = off;
	}
	snprintf(buf, n, "%.*s%s", (int)cut, s, width > 0 ? "\u2026" : "");
	return buf;
}

int
text_max_line_width(const char *s)
{
	int best = 0;

	while (*s != '\0') {
		size_t l = strcspn(s, "\n");
		char *line = strndup(s, l);
		int w = line ? text_width(line) : 0;
		free(line);
		if (w > best)
			best = w;
		s += l;
		if (*s == '\n')
			s++;
	}
	return best;
}

void
text_center(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
	int tw = text_width(s);

	if (tw > width)
		tw = width;
	text_put(w, y, x + (width - tw) / 2, s, tw, attr, 0);
}

/* Length in bytes of the longest prefix of [s, s+n) within `width` columns,
 * preferring to break after a space. */
static size_t
text_fit(const char *s, size_t n, int width, size_t *next)
{
	size_t off = 0, len, last_space = 0;
	int col = 0;

	while (off < n) {
		int cw = text_wcwidth(text_decode(s + off, n - off, &len));
		if (col + cw > width)
			break;
		col += cw;
		off += len;
		if (s[off - 1] == ' ')
			last_space = off;
	}
	if (off < n && last_space > 0) {
		*next = last_space;
		return last_space - 1;
	}
	if (off == 0 && n > 0)
		off = 1;        /* never stall on a character wider than the line */
	*next = off;
	return off;
}

int
text_wrap(const char *s, int width, text_line_fn *line, void *ud)
{
	int count = 0;

	if (width < 1)
		width = 1;
	while (*s != '\0') {
		size_t para = strcspn(s, "\n"), used = 0;
		do {
			size_t next, len = text_fit(s + used, para - used, width, &next);
			if (line != NULL)
				line(ud, s + used, len);
			count++;
			used += next;
		} while (used < para);
		s += para;
		if (*s == '\n')
			s++;
	}
	return count;
}
