/*
 * clock_mark.h — how a case's clock is shown (PROTOCOL.md "Deadlines"):
 * the working days left at its stage, green, amber (a quarter or less
 * left) or red (late).
 *
 * Never by colour alone: the text carries the state on any terminal —
 * "7" (green), "2!" (amber), "-3" (late by three working days) — and the
 * attributes add bold for amber and bold reverse for late, which a vt100
 * shows; a terminal with colours shows green, yellow and red besides.
 */
#ifndef TUI_CLOCK_MARK_H
#define TUI_CLOCK_MARK_H

#include <stddef.h>

#include "tui/tui.h"

enum { CLOCK_GREEN, CLOCK_AMBER, CLOCK_RED };

/* The journal's cell, at most 3 columns: "7", "2!", "-3" ("" no clock). */
const char *clock_mark_cell(int has, int left, int state, char *buf,
    size_t n);

/* The same in words, translated: «лишилось 2 роб. дн.», «прострочено на
 * 3 роб. дн.», «строк спливає сьогодні». */
const char *clock_mark_words(int left, int state, char *buf, size_t n);

/* Attributes of a clock in `state` (colour where the terminal has it). */
attr_t clock_mark_attr(int state);

/* Who answers for a stage's clock (enum hr_stage), translated: «фронт-
 * офіс», «громада», «бек-офіс»; "?" for no stage. */
const char *clock_stage_label(int stage);

#endif
