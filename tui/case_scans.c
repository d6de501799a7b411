/*
 * case_scans.c — the scans of a case: list, save, attach, detach
 * (case_scans.h).
 *
 * Alike on purpose: case_scans_count is the counting loop of any list
 * (tui/form.c's form_error_count): six lines no helper would shorten.
 */
#include "config.h"

#include "tui/case_scans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/app_fields.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/bytes.h"
#include "tui/dialog.h"
#include "tui/downloads.h"
#include "tui/errmsg.h"
#include "tui/filepicker.h"
#include "tui/mp.h"
#include "tui/refdata.h"
#include "tui/text.h"
#include "tui/uploads.h"

/* application.get's keys (proto/app_fields.h). */
#define K_APP(f) HR_KEY(hr_save_fields, HR_SF_##f)

#define SAVE_PURPOSE "save"
#define SCANS_UPLOADS_MAX 64

enum row_kind { ROW_SCAN, ROW_NONE, ROW_UPLOAD };

struct scan_row {
	enum row_kind kind;
	char          doc[64];
	int           first;            /* the first row of its document */
	int           required;
	int           page;
	int64_t       id;               /* attachment (ROW_SCAN) */
	char          name[256];
	uint64_t      size;
	char          type[8];
	char          who[128];
	int64_t       at;
	struct hr_upload_info up;       /* ROW_UPLOAD */
};

static const struct list_col scan_cols[] = {
	{ N_("Document"), 0 },
	{ N_("No."), 3 },
	{ N_("File"), 18 },
	{ N_("Size"), 8 },
	{ N_("Attached by"), 22 },
};
#define NCOLS (sizeof scan_cols / sizeof scan_cols[0])

/* The titles, translated once (list.h wants them translated). */
static struct list_col scan_cols_tr[NCOLS];

/* ---- rows ---- */

static struct app *cell_app;      /* for document names while drawing */

static const char *
scan_cell(void *ud, size_t row, size_t col, char *buf, size_t n)
{
	const struct case_scans *cs = ud;
	const struct scan_row *r = &cs->rows[row];
	const struct refdata *rd = cell_app ? refdata_get(cell_app) : NULL;
	char b1[32], b2[32];
	struct tm tm;
	time_t t;

	switch (col) {
	case 0:
		if (r->kind == ROW_UPLOAD)
			snprintf(buf, n, "↑ %s", rd ? refdata_doc_name(rd,
			    r->doc) : r->doc);
		else if (!r->first)
			buf[0] = '\0';
		else          /* the mark in front: a long name is cut */
			snprintf(buf, n, "%s%s", r->required ? "* " : "", rd ?
			    refdata_doc_name(rd, r->doc) : r->doc);
		return buf;
	case 1:
		if (r->kind == ROW_SCAN)
			snprintf(buf, n, "%d", r->page);
		else
			snprintf(buf, n, "—");
		return buf;
	case 2:
		if (r->kind == ROW_NONE)
			return _("(none)");
		return r->kind == ROW_SCAN ? r->name : r->up.name;
	case 3:
		return r->kind == ROW_NONE ? "" : bytes_size(r->kind == ROW_SCAN ?
		    r->size : r->up.size, buf, n);
	}
	if (r->kind == ROW_NONE)
		return "";
	if (r->kind == ROW_UPLOAD) {
		if (r->up.state == HR_UP_FAILED)
			return _("NOT attached (Del, R)");
		if (r->up.size > 0 && r->up.acked > 0)
			snprintf(buf, n, _("sending %d%%, %s of %s"),
			    (int)(r->up.acked * 100 / r->up.size), bytes_size(
			    r->up.acked, b1, sizeof b1), bytes_size(r->up.size,
			    b2, sizeof b2));
		else
			snprintf(buf, n, "%s", r->up.state == HR_UP_QUEUED ?
			    _("checking the file") : _("waiting to send"));
		return buf;
	}
	t = (time_t)r->at;
	if (localtime_r(&t, &tm) != NULL)
		strftime(b1, sizeof b1, "%d.%m %H:%M", &tm);
	else
		b1[0] = '\0';
	snprintf(buf, n, "%s %s", b1, r->who);
	return buf;
}

void
case_scans_init(struct case_scans *cs)
{
	memset(cs, 0, sizeof *cs);
	for (size_t i = 0; i < NCOLS; i++) {
		scan_cols_tr[i].title = _(scan_cols[i].title);
		scan_cols_tr[i].width = scan_cols[i].width;
	}
	list_init(&cs->list, scan_cols_tr, NCOLS, scan_cell, cs);
	attach_ui_init(&cs->attach);
}

static void
scans_close_save(struct case_scans *cs)
{
	filepicker_free(cs->save);
	cs->save = NULL;
	free(cs->save_name);
	cs->save_name = NULL;
}

void
case_scans_free(struct case_scans *cs)
{
	free(cs->rows);
	attach_ui_free(&cs->attach);
	scans_close_save(cs);
	dialog_free(cs->confirm);
	memset(cs, 0, sizeof *cs);
}

static struct scan_row *
scans_add(struct case_scans *cs, size_t *cap)
{
	if (cs->nrows == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct scan_row *nr = realloc(cs->rows, nc * sizeof *nr);

		if (nr == NULL)
			return NULL;
		cs->rows = nr;
		*cap = nc;
	}
	memset(&cs->rows[cs->nrows], 0, sizeof cs->rows[0]);
	return &cs->rows[cs->nrows++];
}

/* The scans of document `doc` from the attachments array, as rows. */
static int
scans_of_doc(struct case_scans *cs, size_t *cap, const msgpack_object *att,
    const char *doc, int required)
{
	int page = 0;

	for (uint32_t i = 0; att != NULL && att->type == MSGPACK_OBJECT_ARRAY &&
	    i < att->via.array.size; i++) {
		const msgpack_object *x = &att->via.array.ptr[i];
		char code[64];
		struct scan_row *r;

		if (strcmp(mp_text(mp_get(x, "document"), code, sizeof code),
		    doc) != 0)
			continue;
		if ((r = scans_add(cs, cap)) == NULL)
			return -1;
		r->kind = ROW_SCAN;
		snprintf(r->doc, sizeof r->doc, "%s", doc);
		r->first = page == 0;
		r->required = required;
		r->page = ++page;
		r->id = mp_int(mp_get(x, "id"), 0);
		mp_text(mp_get(x, "name"), r->name, sizeof r->name);
		r->size = (uint64_t)mp_int(mp_get(x, "size"), 0);
		mp_text(mp_get(x, "type"), r->type, sizeof r->type);
		mp_text(mp_get(x, "full_name"), r->who, sizeof r->who);
		r->at = mp_int(mp_get(x, "at"), 0);
		cs->attached += r->size;
	}
	return page;
}

/* Has document `doc` had rows made already? */
static int
scans_has_doc(const struct case_scans *cs, const char *doc)
{
	for (size_t i = 0; i < cs->nrows; i++)
		if (cs->rows[i].kind != ROW_UPLOAD &&
		    strcmp(cs->rows[i].doc, doc) == 0)
			return 1;
	return 0;
}

/* This PC's uploads for the application, not yet attached. */
static void
scans_uploads(struct case_scans *cs, struct app *a, size_t *cap)
{
	struct hr_upload_info up[SCANS_UPLOADS_MAX];
	size_t n = uploads_of(app_uploads(a), cs->app, up, SCANS_UPLOADS_MAX);

	for (size_t i = 0; i < n; i++) {
		struct scan_row *r;

		if (up[i].state == HR_UP_DONE || (r = scans_add(cs, cap)) == NULL)
			continue;
		r->kind = ROW_UPLOAD;
		snprintf(r->doc, sizeof r->doc, "%s", up[i].document);
		r->up = up[i];
		r->up.path = NULL;              /* not kept past this call */
	}
}


void
case_scans_load(struct case_scans *cs, struct app *a, const msgpack_object *app,
    int editable)
{
	const struct refdata *rd = refdata_get(a);
	const msgpack_object *att = mp_get(app, "attachments");
	size_t cap = 0, sel = cs->list.sel;
	int si;

	free(cs->rows);
	cs->rows = NULL;
	cs->nrows = 0;
	cs->attached = 0;
	cs->app = mp_int(mp_get(app, K_APP(ID)), 0);
	cs->editable = editable;
	mp_text(mp_get(app, K_APP(SERVICE)), cs->service, sizeof cs->service);
	si = rd ? refdata_service(rd, cs->service) : -1;
	/* The service's documents, in its order: scans or "none". */
	for (size_t k = 0; si >= 0 && k < rd->svc[si].ndocs; k++) {
		const char *doc = rd->svc[si].docs[k];
		struct scan_row *r;

		if (scans_of_doc(cs, &cap, att, doc, 1) == 0 &&
		    (r = scans_add(cs, &cap)) != NULL) {
			r->kind = ROW_NONE;
			r->first = 1;
			r->required = 1;
			snprintf(r->doc, sizeof r->doc, "%s", doc);
		}
	}
	/* The others, in the order the server gave them. */
	for (uint32_t i = 0; att != NULL && att->type == MSGPACK_OBJECT_ARRAY &&
	    i < att->via.array.size; i++) {
		char doc[64];

		mp_text(mp_get(&att->via.array.ptr[i], "document"), doc,
		    sizeof doc);
		if (!scans_has_doc(cs, doc))
			(void)scans_of_doc(cs, &cap, att, doc, 0);
	}
	scans_uploads(cs, a, &cap);
	cs->list.sel = sel;
	list_set_rows(&cs->list, cs->nrows);
}

void
case_scans_refresh(struct case_scans *cs, struct app *a)
{
	size_t k = 0, cap = cs->nrows;

	/* Keep the server's rows, take the uploads anew. */
	for (size_t i = 0; i < cs->nrows; i++)
		if (cs->rows[i].kind != ROW_UPLOAD)
			cs->rows[k++] = cs->rows[i];
	cs->nrows = k;
	scans_uploads(cs, a, &cap);
	list_set_rows(&cs->list, cs->nrows);
}

size_t
case_scans_count(const struct case_scans *cs)
{
	size_t n = 0;

	for (size_t i = 0; i < cs->nrows; i++)
		n += cs->rows[i].kind != ROW_NONE;
	return n;
}

int
case_scans_modal(const struct case_scans *cs)
{
	return attach_ui_active(&cs->attach) || cs->save != NULL ||
	    cs->confirm != NULL;
}

/* ---- save ---- */

static void
scans_save_start(struct case_scans *cs, const struct scan_row *r)
{
	char *dir = filepicker_last_dir(SAVE_PURPOSE);

	scans_close_save(cs);
	cs->save_id = r->id;
	cs->save_name = strdup(r->name);
	cs->save = filepicker_new(_("Save the scan: choose the directory"),
	    FILEPICKER_DIR, dir, NULL, NULL);
	free(dir);
	if (cs->save_name == NULL)
		scans_close_save(cs);
}

static void
scans_save_key(struct case_scans *cs, struct app *a, const struct key *k)
{
	struct hr_error err;
	char msg[512];
	int r = filepicker_key(cs->save, k);

	if (r == FILEPICKER_CANCEL) {
		scans_close_save(cs);
		return;
	}
	if (r != FILEPICKER_CHOSEN)
		return;
	filepicker_remember(SAVE_PURPOSE, filepicker_path(cs->save));
	if (downloads_add(app_downloads(a), cs->save_id,
	    filepicker_path(cs->save), cs->save_name, &err) < 0)
		app_message(a, _("The scan cannot be saved"), errmsg(&err, msg,
		    sizeof msg));
	else
		app_status(a, "%s", _("The scan is being saved in the background; "
		    "you can go on working"));
	scans_close_save(cs);
}

/* ---- detach ---- */

static void
scans_detach_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	(void)s;
	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_message(a, _("The scan was not detached"), app_error(err));
		return;
	}
	app_status(a, "%s", _("The scan is detached"));
	app_notify(a, APP_EV_UPLOADED);
}

static void
scans_detach_ask(struct case_scans *cs, const struct scan_row *r)
{
	char text[600];

	snprintf(text, sizeof text, _("Detach the scan \"%s\" (page %d)?\nThe "
	    "history of the application will record it."), r->name, r->page);
	dialog_free(cs->confirm);
	cs->confirm = dialog_new(DIALOG_YESNO, _("Detach the scan"), text, 0, 0);
	cs->detach_id = r->id;
}

/* 1 when the question closed on an F-key that is the tab's to act on
 * (dialog.h DIALOG_PASS). */
static int
scans_confirm_key(struct case_scans *cs, struct app *a, const struct key *k)
{
	int r = dialog_key(cs->confirm, k);
	msgpack_packer *pk;

	if (r == DIALOG_OPEN)
		return 0;
	dialog_free(cs->confirm);
	cs->confirm = NULL;
	if (r != DIALOG_YES)
		return r == DIALOG_PASS;
	pk = app_begin(a, HR_M_ATTACHMENT_DETACH);
	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "id", cs->detach_id);
	if (app_send(a, scans_detach_reply) == 0)
		app_status(a, "%s", _("Detaching..."));
	return 0;
}

/* ---- keys ---- */

static void
scans_attach(struct case_scans *cs, struct app *a, const char *doc)
{
	if (!cs->editable) {
		app_status(a, "%s", _("Scans are attached only while the "
		    "application can be edited"));
		return;
	}
	(void)attach_ui_open(&cs->attach, a, cs->app, cs->service,
	    cs->attached, doc);
}

int
case_scans_key(struct case_scans *cs, struct app *a, const struct key *k)
{
	const struct scan_row *r = cs->nrows ? &cs->rows[cs->list.sel] : NULL;

	if (attach_ui_active(&cs->attach)) {
		attach_ui_key(&cs->attach, a, k);
		return 1;
	}
	if (cs->save != NULL) {
		scans_save_key(cs, a, k);
		return 1;
	}
	if (cs->confirm != NULL && !scans_confirm_key(cs, a, k))
		return 1;
	if (list_key(&cs->list, k))
		return 1;
	if ((k->is_key && k->ch == KEY_IC) || (!k->is_key && k->ch == L'+')) {
		scans_attach(cs, a, r != NULL && r->kind != ROW_UPLOAD ? r->doc :
		    NULL);
		return 1;
	}
	if (r == NULL)
		return 0;
	if (key_is_enter(k) || (k->is_key && k->ch == KEY_F(2))) {
		if (r->kind == ROW_SCAN)
			scans_save_start(cs, r);
		else if (r->kind == ROW_NONE)
			scans_attach(cs, a, r->doc);
		return 1;
	}
	if (k->is_key && k->ch == KEY_DC) {
		if (r->kind == ROW_UPLOAD) {
			uploads_cancel(app_uploads(a), r->up.id);
			case_scans_refresh(cs, a);
		} else if (r->kind == ROW_SCAN && cs->editable)
			scans_detach_ask(cs, r);
		else if (r->kind == ROW_SCAN)
			app_status(a, "%s", _("Scans are detached only while the "
			    "application can be edited"));
		return 1;
	}
	if (!k->is_key && (k->ch == L'r' || k->ch == L'R' || k->ch == L'к' ||
	    k->ch == L'К') && r->kind == ROW_UPLOAD &&
	    r->up.state == HR_UP_FAILED) {
		uploads_retry(app_uploads(a), r->up.id);
		case_scans_refresh(cs, a);
		return 1;
	}
	return 0;
}

/* ---- drawing ---- */

void
case_scans_draw(struct case_scans *cs, struct app *a, WINDOW *w, int y, int h,
    int width)
{
	const struct scan_row *r = cs->nrows ? &cs->rows[cs->list.sel] : NULL;
	char why[512];

	cell_app = a;
	if (h < 3)
		return;
	list_draw(&cs->list, w, y, 1, h - 2, width - 2);
	if (cs->nrows == 0)
		text_put(w, y + 1, 2, _("No scans attached"), width - 4, A_DIM, 0);
	if (r != NULL && r->kind == ROW_UPLOAD && r->up.state == HR_UP_FAILED)
		text_put(w, y + h - 2, 1, errmsg(&r->up.err, why, sizeof why),
		    width - 2, A_BOLD, 1);
	text_put(w, y + h - 1, 1, cs->editable ?
	    _("Enter/F2: save on this PC   Ins: attach a scan   Del: detach") :
	    _("Enter/F2: save on this PC"), width - 2, A_DIM, 1);
	cell_app = NULL;
}

void
case_scans_draw_modal(struct case_scans *cs, struct app *a, WINDOW *w)
{
	int cy = -1, cx = -1;

	if (attach_ui_active(&cs->attach))
		attach_ui_draw(&cs->attach, a, w);
	else if (cs->save != NULL) {
		filepicker_draw(cs->save, w, &cy, &cx);
		app_cursor(a, cy, cx);
	} else if (cs->confirm != NULL)
		dialog_draw(cs->confirm, w);
}
