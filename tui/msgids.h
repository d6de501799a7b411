/*
 * msgids.h — English texts of proto/'s tables, for the catalogue (msgids.c).
 */
#ifndef TUI_MSGIDS_H
#define TUI_MSGIDS_H

#include <stddef.h>

extern const char *const tui_shared_msgids[];
extern const size_t tui_shared_nmsgids;

#endif
