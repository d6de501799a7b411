/*
 * attach_ui.h — attaching a scan, as a clerk does it from the case view
 * or the form: the keyboard file picker (the directory last used for
 * scans first), then the document type from the service's list (the
 * required ones first, marked "*"), then the file is checked here —
 * readable, not empty, a JPEG/PNG/PDF/TIFF by its bytes, within the
 * server's limits for a file and for the application — and queued to go
 * up in the background (uploads.h).  Every refusal is said before any
 * byte is sent.
 *
 * A screen embeds one: while attach_ui_active() it forwards keys to
 * attach_ui_key and draws with attach_ui_draw on top of itself.
 */
#ifndef TUI_ATTACH_UI_H
#define TUI_ATTACH_UI_H

#include <stddef.h>
#include <stdint.h>

#include "tui/tui.h"

struct app;
struct filepicker;
struct picker;

struct attach_ui {
	struct filepicker *fp;
	struct picker     *docs;
	char              *path;          /* the file picked */
	int64_t            app;           /* the application */
	uint64_t           attached;      /* bytes of its scans already there */
	char               service[64];
	char             **codes;         /* the picker's items, in order */
	size_t             ncodes;
	char               doc[64];       /* selected first in the list */
};

void attach_ui_init(struct attach_ui *u);
void attach_ui_free(struct attach_ui *u);

/*
 * Start attaching to application `app_id` of `service`, whose scans take
 * `attached` bytes now; `doc` (may be NULL) is the document type selected
 * first in the list asked after the file (Enter takes it).  0, or -1 when
 * the reference data are not loaded yet (the status line says so).
 */
int  attach_ui_open(struct attach_ui *u, struct app *a, int64_t app_id,
    const char *service, uint64_t attached, const char *doc);
int  attach_ui_active(const struct attach_ui *u);
/* A key while active; always used. */
void attach_ui_key(struct attach_ui *u, struct app *a, const struct key *k);
void attach_ui_draw(struct attach_ui *u, struct app *a, WINDOW *w);

#endif
