/*
 * notify_ui.h — recording that the applicant was told of the decision
 * (application.notify), from the case view of an answered application.
 *
 * A small modal: how (in person, by phone, SMS, letter — Left/Right), when
 * (date and time, now by default; an earlier day can be typed when the
 * applicant was told before it was recorded), and an optional comment.
 * Tab or Up/Down move between them, Enter on the last one or F2 sends,
 * Esc or F9 cancels.  The case screen owns it while it is open; the reply
 * goes to `done` (the case reloads the application).
 */
#ifndef TUI_NOTIFY_UI_H
#define TUI_NOTIFY_UI_H

#include <stdint.h>

#include "tui/app.h"

struct notify_ui;

struct notify_ui *notify_ui_new(int64_t id, int64_t version);
void              notify_ui_free(struct notify_ui *u);

/* A key while open; 0 when the modal has closed (free it then). */
int  notify_ui_key(struct notify_ui *u, struct app *a, const struct key *k,
    app_reply_fn *done);
void notify_ui_draw(struct notify_ui *u, WINDOW *w, int *cy, int *cx);

/* "DD.MM.YYYY HH:MM" (or a date alone: noon) -> seconds, local time;
 * -1 when it is not a time.  For the unit tests too. */
int  notify_ui_parse_time(const char *s, int64_t *out);

#endif
