/*
 * case_scans.h — the scans of a case, as the case view shows them: one
 * row per page of each document (the service's required documents first,
 * in the service's order, with a row saying "none" for a required one
 * that has no scan yet), then the scans still on their way from this PC.
 *
 *   Document                 No. File             Size     Attached by
 *   Паспорт *                1   passport.png     300 KB   Мельник О. 12.03 14:20
 *                            2   page2.jpg        20 KB    Мельник О. 12.03 14:21
 *   Довідка про доходи *     —   (none)
 *   ↑ scan3.pdf              45% 140 KB of 300 KB
 *
 * Keys: Enter or F2 saves the scan under the cursor on this PC (in a
 * directory chosen with the file picker; the last one is remembered);
 * Ins attaches a scan (to the document under the cursor when it is a
 * document's row) and Del detaches one, both only while the case may be
 * edited (Del asks first); on a scan on its way Del gives it up and R
 * tries a refused one again.  Reading and attaching go on in the
 * background (downloads.h, uploads.h).
 */
#ifndef TUI_CASE_SCANS_H
#define TUI_CASE_SCANS_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "tui/attach_ui.h"
#include "tui/list.h"

struct app;
struct filepicker;
struct dialog;

struct scan_row;

struct case_scans {
	int64_t            app;
	char               service[64];
	int                editable;
	uint64_t           attached;      /* bytes of the scans */
	struct scan_row   *rows;
	size_t             nrows;
	struct list        list;
	struct attach_ui   attach;
	struct filepicker *save;          /* choosing where to save */
	int64_t            save_id;
	char              *save_name;
	struct dialog     *confirm;       /* detach? */
	int64_t            detach_id;
	int                busy;          /* a detach on its way */
};

void case_scans_init(struct case_scans *cs);
void case_scans_free(struct case_scans *cs);

/*
 * The application's scans from an application.get result's `application`
 * map, and whether this user may edit it now.  The uploads of this PC
 * for it are merged in (case_scans_refresh does that alone).
 */
void case_scans_load(struct case_scans *cs, struct app *a,
    const msgpack_object *app, int editable);
void case_scans_refresh(struct case_scans *cs, struct app *a);

/* Scans listed (attached and on their way). */
size_t case_scans_count(const struct case_scans *cs);

/* A modal part (picker, dialog) is open: keys go to it. */
int  case_scans_modal(const struct case_scans *cs);
/* A key; 1 when used.  Reloads are asked for with APP_EV_UPLOADED. */
int  case_scans_key(struct case_scans *cs, struct app *a, const struct key *k);
void case_scans_draw(struct case_scans *cs, struct app *a, WINDOW *w, int y,
    int h, int width);
/* The modal parts, over the whole screen. */
void case_scans_draw_modal(struct case_scans *cs, struct app *a, WINDOW *w);

#endif
