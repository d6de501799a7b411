/*
 * screens.h — constructors of the screens, one file each.
 *
 * Cabinets (what a user lands on after login) depend on the role:
 * the journal for roles that handle applications, aggregated reports for
 * oblast and ministry, the user list for administrators.
 */
#ifndef TUI_SCREENS_H
#define TUI_SCREENS_H

#include "tui/app.h"

/* Login; `message` (may be NULL) is shown as the first error/notice. */
struct screen *screen_login_new(struct app *a, const char *message);

struct screen *screen_journal_new(struct app *a);   /* journal.list */
struct screen *screen_report_new(struct app *a);    /* report.summary */
struct screen *screen_users_new(struct app *a);     /* user.list */

/* The F1 help overlay: the keys of the client. */
void help_draw(WINDOW *w, int y, int h, int width);
extern const struct fkey help_fkeys[];
extern const size_t help_nfkeys;

#endif
