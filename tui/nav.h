/*
 * nav.h — the terminal client's navigation table (nav.c), for main.
 */
#ifndef TUI_NAV_H
#define TUI_NAV_H

#include "tui/app.h"

extern const struct app_nav hromada_nav;

#endif
