/*
 * listsel.c — folding and moving in a list narrowed by typing (listsel.h).
 */
#include "config.h"

#include "tui/listsel.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "tui/tui.h"

wchar_t *
listsel_fold(const char *s)
{
	size_t n = strlen(s), k = 0;
	wchar_t *w = calloc(n + 1, sizeof *w);
	mbstate_t st;

	if (w == NULL)
		return NULL;
	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		wchar_t wc;
		size_t r = mbrtowc(&wc, s, strlen(s), &st);

		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			w[k++] = L'?';
			memset(&st, 0, sizeof st);
			s++;
			continue;
		}
		w[k++] = (wchar_t)towlower((wint_t)wc);
		s += r;
	}
	w[k] = L'\0';
	return w;
}

int
listsel_move(size_t *sel, size_t n, int page, int ch)
{
	long s = (long)*sel, step = page > 1 ? page - 1 : 1;

	switch (ch) {
	case KEY_UP:    s--; break;
	case KEY_DOWN:  s++; break;
	case KEY_PPAGE: s -= step; break;
	case KEY_NPAGE: s += step; break;
	case KEY_HOME:  s = 0; break;
	case KEY_END:   s = (long)n - 1; break;
	default:        return 0;
	}
	if (s >= (long)n)
		s = (long)n - 1;
	*sel = s < 0 ? 0 : (size_t)s;
	return 1;
}
