/*
 * batch_ui.h — an action on the journal's marked set (issue 17): the
 * modal the journal opens with F2 while applications are marked.
 *
 * It offers the actions the user's role has over a set (the back office:
 * check, return to the hromada; the hromada's social unit: send to the
 * back office, return to the front office; super users: send to the
 * hromada or the back office), asks for the one reason of a return,
 * confirms with the count, sends ONE application.batch with the marked
 * ids and the versions they were marked at, shows a progress bar from the
 * server's `progress` notifications, and ends with a summary the user
 * scrolls: how many moved, and each refusal with its reason in Ukrainian
 * (changed by someone else meanwhile, not in a status the action applies
 * to, a partial package, not found).  Moved applications leave the
 * marked set; refused ones stay marked.  A send that refused partial
 * packages offers to send those again with the user's confirmation.
 */
#ifndef TUI_BATCH_UI_H
#define TUI_BATCH_UI_H

#include "tui/tui.h"

struct app;
struct batch_ui;
struct jmarks;

/* Open over `marks` (borrowed: the journal memo's, it outlives the
 * modal).  NULL when the role has no batch action or out of memory. */
struct batch_ui *batch_ui_new(struct app *a, struct jmarks *marks);
void             batch_ui_free(struct batch_ui *u);

/* Does the role of the session have batch actions (the marking keys)? */
int  batch_ui_role_may(int role);

/*
 * A key while open; 0 when the modal has closed (free it then),
 * BATCH_UI_EXPORT when it closed choosing the export of the marked set
 * (free it, then open dat_ui_export_ids over the same marks: the *.DAT
 * exchange has its own dry run, confirmation and files).
 */
#define BATCH_UI_EXPORT 2
int  batch_ui_key(struct batch_ui *u, struct app *a, const struct key *k);
/* Draw over `w`; *cy, *cx get the cursor (-1 when none). */
void batch_ui_draw(struct batch_ui *u, struct app *a, WINDOW *w, int *cy,
    int *cx);
/* Is the batch under way (its reply not here yet)? */
int  batch_ui_running(const struct batch_ui *u);

#endif
