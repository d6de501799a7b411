/*
 * listsel.h — what a list narrowed by typing needs, shared by the picker
 * (tui/picker.c) and the file picker (tui/filepicker.c): the case-folded
 * wide copy of a label that typed text is matched against, and moving the
 * selection with Up/Down/PgUp/PgDn/Home/End.  Domain-free.
 */
#ifndef TUI_LISTSEL_H
#define TUI_LISTSEL_H

#include <stddef.h>
#include <wchar.h>

/* Lower-cased wide copy of UTF-8 text; a byte that is no UTF-8 (a file
 * name in another encoding) becomes '?'.  NULL when out of memory. */
wchar_t *listsel_fold(const char *s);

/*
 * Move *sel among n rows by the ncurses key `ch` (a page is `page` rows,
 * one row kept in sight); 1 when `ch` is such a key, else 0 and *sel
 * unchanged.
 */
int listsel_move(size_t *sel, size_t n, int page, int ch);

#endif
