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
/*
 * Send the journal's first page for `user` ahead of the login reply (in
 * the same round trip): when the login succeeds and the user lands on the
 * journal, the page is there or on its way.  Sent only for users whose
 * last session here had a journal (refdata_last_role).
 */
void journal_prefetch_first(struct app *a, const char *user);
struct screen *screen_report_new(struct app *a);    /* report.summary */
/* «Звітність»: report.get and report.monitor, drill-down by Enter. */
struct screen *screen_reports_new(struct app *a);
struct screen *screen_users_new(struct app *a);     /* user.list */
/* Transfer registers: the list (register.list), printing one again, a
 * new one from the candidates (F4).  F9 from the journal, F9 back. */
struct screen *screen_registers_new(struct app *a);

/*
 * The intake form: a new application (application_id 0) or an existing one
 * loaded with application.get (read-only when not editable).  F2 saves with
 * application.save; on success or when the clerk leaves, an existing
 * application goes back to its case view (F4 there opened the form), a new
 * one to the journal.
 */
struct screen *screen_form_new(struct app *a, int64_t application_id /* 0: new */);

/*
 * One application, read-only (application.get): its contents, its history,
 * the return reason on top, the actions the server allows as function keys
 * (application.transition), F4 to the form when editable.  Esc or F9 goes
 * back to the journal.
 */
struct screen *screen_case_new(struct app *a, int64_t application_id);
/* The same, with the print choice (F2) open once it is loaded: where the
 * form goes after a save when the clerk wants to print. */
struct screen *screen_case_print(struct app *a, int64_t application_id);

/* The F1 help overlay: the keys of the screen `ops` (its key bar and its
 * help topic) for `role` (enum hr_role, -1 before login). */
void help_draw(WINDOW *w, int y, int h, int width,
    const struct screen_ops *ops, int role);
extern const struct fkey help_fkeys[];
extern const size_t help_nfkeys;

#endif
