/*
 * dat_ui.h — the back office's *.DAT exchange from the journal (role
 * spszn): «Вивантажити» (export) and «Завантажити відповідь» (import).
 *
 * A small modal the journal owns while it is open: export asks for the
 * decision system (picker), confirms, asks for the directory to save into
 * (default ~/hromada-dat/), sends dat.export and saves the returned file
 * there with mode 0600; import asks for the path, checks the file locally
 * with the same parser the server uses (proto/dat.h) so a damaged file is
 * explained at once, then sends dat.import.  Results and errors come as
 * messages; the journal is refreshed after a change.
 */
#ifndef TUI_DAT_UI_H
#define TUI_DAT_UI_H

#include "proto/error.h"
#include "tui/tui.h"

struct app;
struct dat_ui;

struct dat_ui *dat_ui_export(struct app *a, long long checked);
struct dat_ui *dat_ui_import(struct app *a);
void           dat_ui_free(struct dat_ui *u);

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
