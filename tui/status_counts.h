/*
 * status_counts.h — application statuses as the journal and report screens
 * show them: a short label for narrow columns (the full labels of
 * proto/roles.c all start with "Заяву ..." and say nothing when cut), and
 * a grid of "label: count" counters that fits the width.
 */
#ifndef TUI_STATUS_COUNTS_H
#define TUI_STATUS_COUNTS_H

#include <stdint.h>

#include "tui/tui.h"

/* Translated short label of a status (enum hr_status), "" when unknown. */
const char *status_short_label(int status);

/*
 * Draw one counter per status at row y, in as many columns as fit; with
 * `numbered` each is prefixed by its number (1..) for columns titled so.
 * Returns the rows used.
 */
int status_counts_draw(WINDOW *w, int y, int width, const int64_t counts[],
    int numbered);

/*
 * One more counter ("label: n") in the grid's first free cell after the
 * statuses (at 80 columns the last cell of the third row), or, when the
 * grid is full, on a row of its own below it.  Returns the rows the grid
 * and it use together.
 */
int status_counts_draw_extra(WINDOW *w, int y, int width, const char *label,
    int64_t n, attr_t attr);

/* The rows status_counts_draw takes at `width` (with `extra`: and
 * status_counts_draw_extra's counter). */
int status_counts_rows(int width, int extra);

#endif
