/*
 * attach_ui.c — file, then document type, then the queue (attach_ui.h).
 */
#include "config.h"

#include "tui/attach_ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proto/uploader.h"
#include "tui/bytes.h"
#include "tui/errmsg.h"
#include "tui/filepicker.h"
#include "tui/picker.h"
#include "tui/refdata.h"
#include "tui/uploads.h"

#define ATTACH_PURPOSE "scans"

void
attach_ui_init(struct attach_ui *u)
{
	memset(u, 0, sizeof *u);
}

static void
attach_close(struct attach_ui *u)
{
	filepicker_free(u->fp);
	picker_free(u->docs);
	for (size_t i = 0; i < u->ncodes; i++)
		free(u->codes[i]);
	free(u->codes);
	free(u->path);
	u->fp = NULL;
	u->docs = NULL;
	u->codes = NULL;
	u->ncodes = 0;
	u->path = NULL;
}

void
attach_ui_free(struct attach_ui *u)
{
	attach_close(u);
}

int
attach_ui_active(const struct attach_ui *u)
{
	return u->fp != NULL || u->docs != NULL;
}

/* Scans first: the usual extensions lead (the type is judged by the
 * bytes all the same, so nothing is hidden). */
static int
attach_rank(void *ud, const char *name)
{
	static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".pdf",
	    ".tif", ".tiff" };
	const char *dot = strrchr(name, '.');

	(void)ud;
	for (size_t i = 0; dot != NULL && i < sizeof ext / sizeof ext[0]; i++)
		if (strcasecmp(dot, ext[i]) == 0)
			return 1;
	return 0;
}

int
attach_ui_open(struct attach_ui *u, struct app *a, int64_t app_id,
    const char *service, uint64_t attached, const char *doc)
{
	char *dir = filepicker_last_dir(ATTACH_PURPOSE);

	attach_close(u);
	if (refdata_get(a) == NULL) {
		free(dir);
		app_status(a, "%s", _("The reference data are not loaded yet; try "
		    "again in a moment"));
		return -1;
	}
	u->app = app_id;
	u->attached = attached;
	snprintf(u->service, sizeof u->service, "%s", service ? service : "");
	snprintf(u->doc, sizeof u->doc, "%s", doc ? doc : "");
	u->fp = filepicker_new(_("Attach a scan: choose the file"),
	    FILEPICKER_FILE, dir, attach_rank, NULL);
	free(dir);
	return u->fp != NULL ? 0 : -1;
}

/* The document types: the service's required ones first, marked. */
static int
attach_docs_open(struct attach_ui *u, struct app *a)
{
	const struct refdata *rd = refdata_get(a);
	int si = rd ? refdata_service(rd, u->service) : -1;
	char **labels;
	size_t n = 0, sel = 0;

	if (rd == NULL || (u->codes = calloc(rd->ndoc + 1, sizeof *u->codes)) ==
	    NULL || (labels = calloc(rd->ndoc + 1, sizeof *labels)) == NULL)
		return -1;
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < rd->ndoc; i++) {
			char label[512];

			if (refdata_required(rd, si, rd->doc[i].code) != pass)
				continue;
			snprintf(label, sizeof label, "%s%s", rd->doc[i].name,
			    pass ? " *" : "");
			u->codes[n] = strdup(rd->doc[i].code);
			labels[n] = strdup(label);
			if (u->codes[n] == NULL || labels[n] == NULL)
				break;
			if (strcmp(rd->doc[i].code, u->doc) == 0)
				sel = n;
			n++;
		}
	u->ncodes = n;
	u->docs = picker_new(_("Which document is it? (* required)"),
	    (const char *const *)labels, n, sel);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	return u->docs != NULL ? 0 : -1;
}

/* The file and the document are known: check, then queue. */
static void
attach_queue(struct attach_ui *u, struct app *a, const char *doc)
{
	struct uploads *up = app_uploads(a);
	uint64_t size = 0, max = uploads_app_max(up);
	struct hr_error err;
	char msg[512], have[32], lim[32];
	int type;

	if (hr_upload_check_file(u->path, uploads_file_max(up), &type, &size,
	    &err) < 0) {
		app_message(a, _("The scan cannot be attached"), errmsg(&err, msg,
		    sizeof msg));
		return;
	}
	if (max > 0 && u->attached + uploads_pending_bytes(up, u->app) + size >
	    max) {
		snprintf(msg, sizeof msg, _("The application's scans would take "
		    "%s; the server keeps at most %s per application."),
		    bytes_size(u->attached + uploads_pending_bytes(up, u->app) +
		    size, have, sizeof have), bytes_size(max, lim, sizeof lim));
		app_message(a, _("The scan cannot be attached"), msg);
		return;
	}
	if (uploads_add(up, u->path, u->app, doc, &err) < 0) {
		app_message(a, _("The scan cannot be attached"), errmsg(&err, msg,
		    sizeof msg));
		return;
	}
	app_status(a, _("The scan goes up in the background (%s); you can go "
	    "on working"), bytes_size(size, have, sizeof have));
	app_notify(a, APP_EV_UPLOADED);
}

void
attach_ui_key(struct attach_ui *u, struct app *a, const struct key *k)
{
	int r;

	if (u->fp != NULL) {
		r = filepicker_key(u->fp, k);
		if (r == FILEPICKER_CANCEL) {
			attach_close(u);
			return;
		}
		if (r != FILEPICKER_CHOSEN)
			return;
		filepicker_remember(ATTACH_PURPOSE, filepicker_dir(u->fp));
		u->path = strdup(filepicker_path(u->fp));
		filepicker_free(u->fp);
		u->fp = NULL;
		if (u->path == NULL || attach_docs_open(u, a) < 0)
			attach_close(u);
		return;
	}
	if (u->docs == NULL)
		return;
	r = picker_key(u->docs, k);
	if (r == PICKER_CANCEL) {
		attach_close(u);
		return;
	}
	if (r >= 0 && (size_t)r < u->ncodes) {
		attach_queue(u, a, u->codes[r]);
		attach_close(u);
	}
}

void
attach_ui_draw(struct attach_ui *u, struct app *a, WINDOW *w)
{
	int cy = -1, cx = -1;

	if (u->fp != NULL)
		filepicker_draw(u->fp, w, &cy, &cx);
	else if (u->docs != NULL)
		picker_draw(u->docs, w, &cy, &cx);
	if (cy >= 0)
		app_cursor(a, cy, cx);
}
