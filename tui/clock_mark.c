/*
 * clock_mark.c — a case's clock as text and attributes (clock_mark.h).
 */
#include "config.h"

#include <stdio.h>

#include "proto/workflow.h"
#include "tui/clock_mark.h"
#include "tui/tui.h"

const char *
clock_mark_cell(int has, int left, int state, char *buf, size_t n)
{
	if (!has)
		snprintf(buf, n, "%s", "");
	else if (state == CLOCK_RED)
		snprintf(buf, n, "-%d", left <= -99 ? 99 : -left);
	else if (state == CLOCK_AMBER)
		snprintf(buf, n, "%d!", left > 99 ? 99 : left);
	else
		snprintf(buf, n, "%d", left > 999 ? 999 : left);
	return buf;
}

const char *
clock_mark_words(int left, int state, char *buf, size_t n)
{
	if (state == CLOCK_RED)
		snprintf(buf, n, _("late by %d working days"), -left);
	else if (left == 0)
		snprintf(buf, n, "%s", _("the deadline ends today"));
	else
		snprintf(buf, n, _("%d working days left"), left);
	return buf;
}

/* Colour pairs of the three states, set up once where there are colours
 * (the numbers are the client's only pairs). */
enum { PAIR_GREEN = 1, PAIR_AMBER, PAIR_RED };

static int
clock_colours(void)
{
	static int ready = -1;

	if (ready < 0) {
		ready = has_colors() && start_color() == OK && COLORS >= 8;
		if (ready) {
			(void)use_default_colors();
			init_pair(PAIR_GREEN, COLOR_GREEN, -1);
			init_pair(PAIR_AMBER, COLOR_YELLOW, -1);
			init_pair(PAIR_RED, COLOR_RED, -1);
		}
	}
	return ready;
}

attr_t
clock_mark_attr(int state)
{
	int colour = clock_colours();

	switch (state) {
	case CLOCK_RED:
		return A_BOLD | A_REVERSE | (colour ? COLOR_PAIR(PAIR_RED) : 0);
	case CLOCK_AMBER:
		return A_BOLD | (colour ? COLOR_PAIR(PAIR_AMBER) : 0);
	default:
		return colour ? COLOR_PAIR(PAIR_GREEN) : A_NORMAL;
	}
}

const char *
clock_stage_label(int stage)
{
	static const char *const labels[HR_STAGE__COUNT] = {
		[HR_STAGE_FRONT] = N_("front office"),
		[HR_STAGE_OTG]   = N_("hromada"),
		[HR_STAGE_SPSZN] = N_("back office"),
	};

	return stage >= 0 && stage < HR_STAGE__COUNT && labels[stage] ?
	    _(labels[stage]) : "?";
}
