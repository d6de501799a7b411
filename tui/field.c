/*
 * field.c — single-line wide-character text field (see field.h).
 */
#include "config.h"

#include "tui/field.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <sodium.h>

int
field_init(struct field *f, size_t max, int hidden)
{
	memset(f, 0, sizeof *f);
	if ((f->buf = calloc(max + 1, sizeof *f->buf)) == NULL)
		return -1;
	f->max = max;
	f->hidden = hidden;
	return 0;
}

void
field_clear(struct field *f)
{
	if (f->buf != NULL)
		sodium_memzero(f->buf, (f->max + 1) * sizeof *f->buf);
	f->len = f->cur = f->scroll = 0;
}

void
field_free(struct field *f)
{
	field_clear(f);
	free(f->buf);
	f->buf = NULL;
}

void
field_set(struct field *f, const char *utf8)
{
	mbstate_t st;
	size_t r;

	field_clear(f);
	memset(&st, 0, sizeof st);
	while (utf8 != NULL && *utf8 != '\0' && f->len < f->max) {
		wchar_t wc;
		r = mbrtowc(&wc, utf8, strlen(utf8), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
			break;
		if (iswprint(wc))
			f->buf[f->len++] = wc;
		utf8 += r;
	}
	f->buf[f->len] = L'\0';
	f->cur = f->len;
}

char *
field_text(const struct field *f)
{
	size_t cap = f->len * MB_CUR_MAX + 1, n = 0;
	char *out = malloc(cap);
	mbstate_t st;

	if (out == NULL)
		return NULL;
	memset(&st, 0, sizeof st);
	for (size_t i = 0; i < f->len; i++) {
		size_t r = wcrtomb(out + n, f->buf[i], &st);
		if (r != (size_t)-1)
			n += r;
	}
	out[n] = '\0';
	return out;
}

static void
field_insert(struct field *f, wchar_t wc)
{
	if (f->len >= f->max)
		return;
	memmove(&f->buf[f->cur + 1], &f->buf[f->cur],
	    (f->len - f->cur) * sizeof *f->buf);
	f->buf[f->cur++] = wc;
	f->buf[++f->len] = L'\0';
}

/* Delete `n` characters starting at `at`. */
static void
field_delete(struct field *f, size_t at, size_t n)
{
	if (at >= f->len)
		return;
	if (n > f->len - at)
		n = f->len - at;
	memmove(&f->buf[at], &f->buf[at + n], (f->len - at - n) * sizeof *f->buf);
	f->len -= n;
	f->buf[f->len] = L'\0';
	if (f->cur > f->len)
		f->cur = f->len;
}

/* Function keys: movement and deletion. */
static int
field_fkey(struct field *f, int ch)
{
	switch (ch) {
	case KEY_LEFT:      if (f->cur > 0) f->cur--; return 1;
	case KEY_RIGHT:     if (f->cur < f->len) f->cur++; return 1;
	case KEY_HOME:      f->cur = 0; return 1;
	case KEY_END:       f->cur = f->len; return 1;
	case KEY_DC:        field_delete(f, f->cur, 1); return 1;
	case KEY_BACKSPACE:
		if (f->cur > 0) {
			f->cur--;
			field_delete(f, f->cur, 1);
		}
		return 1;
	}
	return 0;
}

int
field_key(struct field *f, const struct key *k)
{
	struct key bs = { 1, KEY_BACKSPACE };

	if (k->is_key)
		return field_fkey(f, (int)k->ch);
	switch (k->ch) {
	case 0x7f: case CTRL_KEY('h'):  return field_key(f, &bs);
	case CTRL_KEY('a'):  f->cur = 0; return 1;
	case CTRL_KEY('e'):  f->cur = f->len; return 1;
	case CTRL_KEY('u'):  field_delete(f, 0, f->cur); f->cur = 0; return 1;
	case CTRL_KEY('k'):  field_delete(f, f->cur, f->len - f->cur); return 1;
	}
	if (!iswprint(k->ch))
		return 0;
	field_insert(f, (wchar_t)k->ch);
	return 1;
}

static int
field_cw(const struct field *f, size_t i)
{
	int w = f->hidden ? 1 : wcwidth(f->buf[i]);

	return w < 0 ? 1 : w;
}

/* Keep the cursor visible: adjust the first shown character. */
static void
field_scroll(struct field *f, int width)
{
	int cols = 0;

	if (f->cur < f->scroll)
		f->scroll = f->cur;
	for (size_t i = f->scroll; i < f->cur; i++)
		cols += field_cw(f, i);
	while (cols >= width && f->scroll < f->cur)
		cols -= field_cw(f, f->scroll++);
}

int
field_draw(struct field *f, WINDOW *w, int y, int x, int width, int focused)
{
	attr_t attr = focused ? A_REVERSE : A_UNDERLINE;
	int col = 0, curx = x;

	if (width < 2)
		return x;
	field_scroll(f, width);
	wattr_on(w, attr, NULL);
	wmove(w, y, x);
	for (size_t i = f->scroll; i < f->len; i++) {
		int cw = field_cw(f, i);
		wchar_t str[2] = { f->hidden ? L'*' : f->buf[i], 0 };
		cchar_t cc;

		if (col + cw > width)
			break;
		if (i == f->cur)
			curx = x + col;
		setcchar(&cc, str, attr, 0, NULL);
		wadd_wch(w, &cc);
		col += cw;
	}
	if (f->cur == f->len)
		curx = x + col;
	for (; col < width; col++)
		waddch(w, ' ');
	wattr_off(w, attr, NULL);
	return curx < x + width ? curx : x + width - 1;
}
