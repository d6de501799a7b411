/*
 * print.h — printing from the client: choose what to print and in which
 * form, fetch the document's data (application.print, register.get), lay
 * it out with paper/ (PDF, or plain text in UTF-8 or CP866), save it under
 * ~/hromada-print/ (0600, named for the document and its number), say
 * where — on the machine the client runs on, which over SSH is the server
 * side, not the clerk's PC — and, when `lp` is there, offer to send it to
 * the default printer.
 *
 * A small modal its screen owns while it is open (as dat_ui.h): the screen
 * passes keys and drawing here; print_ui_key returns 0 when the modal has
 * closed (free it then).  The request's reply is handled here whatever
 * the modal's state, as long as the screen that sent it is current.
 */
#ifndef TUI_PRINT_H
#define TUI_PRINT_H

#include <stdint.h>

#include "tui/tui.h"

struct app;

struct print_ui;

/* An application's documents; the notice only when it has a decision. */
struct print_ui *print_ui_app(int64_t id, int has_decision);
/* A transfer register. */
struct print_ui *print_ui_register(int64_t id);
void             print_ui_free(struct print_ui *u);

int  print_ui_key(struct print_ui *u, struct app *a, const struct key *k);
void print_ui_draw(struct print_ui *u, WINDOW *w, int *cy, int *cx);

#endif
