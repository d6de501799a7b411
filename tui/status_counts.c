/*
 * status_counts.c — short status labels and the counters grid
 * (see status_counts.h).
 */
#include "config.h"

#include "tui/status_counts.h"

#include <stdio.h>

#include "proto/roles.h"
#include "tui/text.h"

#define COUNTS_CELL 26     /* columns per counter: the longest short label + count */

static const char *const short_labels[HR_ST__COUNT] = {
	[HR_ST_DRAFT]          = N_("Being formed"),
	[HR_ST_AT_OTG]         = N_("Sent to hromada"),
	[HR_ST_RETURNED_FRONT] = N_("Returned for rework"),
	[HR_ST_AT_SPSZN]       = N_("Sent to back office"),
	[HR_ST_RETURNED_OTG]   = N_("Returned to hromada"),
	[HR_ST_CHECKED]        = N_("Checked by back office"),
	[HR_ST_EXPORTED]       = N_("Exported"),
	[HR_ST_ANSWERED]       = N_("Answer received"),
};

const char *
status_short_label(int status)
{
	if (status < 0 || status >= HR_ST__COUNT)
		return "";
	return _(short_labels[status]);
}

/* The grid at `width`: columns, rows, column width. */
static void
counts_grid(int width, int *ncols, int *rows, int *cw)
{
	*ncols = width / COUNTS_CELL;
	if (*ncols < 1)
		*ncols = 1;
	if (*ncols > HR_ST__COUNT)
		*ncols = HR_ST__COUNT;
	*rows = (HR_ST__COUNT + *ncols - 1) / *ncols;
	*cw = width / *ncols;
}

int
status_counts_draw_extra(WINDOW *w, int y, int width, const char *label,
    int64_t n, attr_t attr)
{
	int ncols, rows, cw, row, col;
	char buf[160];

	counts_grid(width, &ncols, &rows, &cw);
	/* the statuses fill the grid column by column */
	if (rows * ncols > HR_ST__COUNT) {
		row = HR_ST__COUNT % rows;
		col = HR_ST__COUNT / rows;
	} else {
		row = rows++;
		col = 0;
	}
	snprintf(buf, sizeof buf, "%s: %lld", label, (long long)n);
	text_put(w, y + row, col * cw + 1, buf, cw - 2, attr, 0);
	return rows;
}

int
status_counts_rows(int width, int extra)
{
	int ncols, rows, cw;

	counts_grid(width, &ncols, &rows, &cw);
	return rows + (extra && rows * ncols <= HR_ST__COUNT);
}

int
status_counts_draw(WINDOW *w, int y, int width, const int64_t counts[],
    int numbered)
{
	int ncols, rows, cw;
	char buf[160];

	counts_grid(width, &ncols, &rows, &cw);
	for (int st = 0; st < HR_ST__COUNT; st++) {
		int col = st / rows, row = st % rows;
		if (numbered)
			snprintf(buf, sizeof buf, "%d %s: %lld", st + 1,
			    status_short_label(st), (long long)counts[st]);
		else
			snprintf(buf, sizeof buf, "%s: %lld", status_short_label(st),
			    (long long)counts[st]);
		text_put(w, y + row, col * cw + 1, buf, cw - 2,
		    counts[st] ? A_BOLD : A_NORMAL, 0);
	}
	return rows;
}
