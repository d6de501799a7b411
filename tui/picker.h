/*
 * picker.h — a modal "choose one of these" list in a framed box.
 *
 * Up/Down/PgUp/PgDn/Home/End move, Enter chooses, Esc cancels.  Typing
 * narrows the list to the items that contain the typed text (case-folded,
 * Cyrillic too), so a long list of services is two letters away;
 * Backspace widens it again.  The picker keeps its own copies of the
 * labels.  Domain-free.
 */
#ifndef TUI_PICKER_H
#define TUI_PICKER_H

#include <stddef.h>

#include "tui/tui.h"

/* picker_key results besides the chosen item's index (>= 0). */
enum { PICKER_OPEN = -1, PICKER_CANCEL = -2 };

struct picker;

/* `sel` is the item selected at first.  NULL when out of memory. */
struct picker *picker_new(const char *title, const char *const *items,
    size_t n, size_t sel);
void picker_free(struct picker *p);

/* PICKER_OPEN, PICKER_CANCEL or the index (into `items`) chosen. */
int  picker_key(struct picker *p, const struct key *k);

/* Draw centred on `w`; *cy, *cx get the cursor (in the search line). */
void picker_draw(struct picker *p, WINDOW *w, int *cy, int *cx);

/* Items shown under the current search (for tests). */
size_t picker_visible(const struct picker *p);

#endif
