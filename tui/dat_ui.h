/*
 * dat_ui.h — the back office's *.DAT exchange from the journal (role
 * spszn): «Вивантажити» (export) and «Завантажити відповідь» (import).
 *
 * A small modal the journal owns while it is open: export shows how many
 * checked applications go to each decision system and how many of them
 * are partial packages (a dry run of dat.export), asks for the system and
 * the directory to save into (default ~/hromada-dat/), confirms with the
 * counts, sends dat.export and saves the returned file there with mode
 * 0600; a marked set, or the checked applications of the journal's
 * filter, is exported the same way, system by system.  Import
 * picks the file with the keyboard file picker (*.DAT first, type to
 * find), checks it locally with the same parser the server uses
 * (proto/dat.h) so a damaged file is explained at once, shows what it
 * will do (a dry run of dat.import: decisions by kind, the applications,
 * the records that cannot be applied) and imports it on Enter.  Results
 * and errors come as messages titled by their kind; the journal is
 * refreshed after a change.
 */
#ifndef TUI_DAT_UI_H
#define TUI_DAT_UI_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"
#include "tui/tui.h"

struct app;
struct dat_ui;

/* Export the checked ones: a dry run first (counts per system). */
struct dat_ui *dat_ui_export(struct app *a, long long checked);
/*
 * Export a set: the journal's marked applications (`filter` NULL), or the
 * checked applications its filter names (`filter` the filter's summary,
 * shown in the confirmation), each with the version it was read at: a
 * dry run, a confirmation with how many go to which system, the partial
 * packages among them and what is refused, then one file per system.
 * NULL when n is 0 or another exchange is open.
 */
struct dat_ui *dat_ui_export_ids(struct app *a, const int64_t *ids,
    const int64_t *versions, size_t n, const char *filter);
/* Import: the file picker, a dry run shown, the import on Enter. */
struct dat_ui *dat_ui_import(struct app *a);
void           dat_ui_free(struct dat_ui *u);
/* Has a reply ended it?  (The journal frees it then.) */
int            dat_ui_finished(const struct dat_ui *u);

/* A key while open; 0 when the modal has closed (free it then). */
int  dat_ui_key(struct dat_ui *u, struct app *a, const struct key *k);
/* Draw over `w`; *cy, *cx get the cursor (-1 when none). */
void dat_ui_draw(struct dat_ui *u, WINDOW *w, int *cy, int *cx);

/* Save data[0..len) as dir/name, mode 0600, creating dir (0700) when
 * missing and never overwriting; "~/" expands to $HOME.  0, or -1 with a
 * message in err. */
int  dat_ui_save(const char *dir, const char *name, const void *data,
    size_t len, char *path, size_t cap, struct hr_error *err);

#endif
