/*
 * docs.c — the service and the documents: which document types have
 * scans attached (the server's `documents`), the service's required ones
 * (reference data) marked with "*" and listed first; the heading says
 * whether the package is full or how many required ones are missing.  The
 * marks are read-only: the package follows the scans attached, not a
 * tick.  A button attaches a scan (attach_ui.h: the file picker, the
 * document type, the queue) once the application is saved; each scan that
 * reaches the server brings the marks up to date (docs_refresh).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/intake/form_priv.h"
#include "tui/refdata.h"
#include "tui/mp.h"
#include "tui/uploads.h"

static int
docs_service(const struct fs *s, const struct refdata *rd)
{
	return refdata_service(rd, s->in.service);
}

/* Required documents not ticked. */
static size_t
docs_missing(const struct fs *s, const struct refdata *rd)
{
	int si = docs_service(s, rd);
	size_t n = 0;

	if (si < 0)
		return 0;
	for (size_t k = 0; k < rd->svc[si].ndocs; k++)
		n += !intake_doc_has(&s->in, rd->svc[si].docs[k]);
	return n;
}

static void
docs_head_text(const struct fs *s, const struct refdata *rd, char *buf, size_t n)
{
	size_t miss = docs_missing(s, rd);

	if (docs_service(s, rd) < 0)
		snprintf(buf, n, "%s", _("Documents (choose the service first)"));
	else if (miss == 0)
		snprintf(buf, n, "%s", _("Documents: full package"));
	else
		snprintf(buf, n, _("Documents: partial package, %zu required missing (*)"), miss);
}

static int
docs_add_one(struct fs *s, struct form *f, const struct refdata *rd, size_t i,
    int required)
{
	char label[512];

	snprintf(label, sizeof label, "%s%s", rd->doc[i].name, required ? " *" : "");
	if (form_add_check(f, ID_DOC + (int)i, label,
	    intake_doc_has(&s->in, rd->doc[i].code)) < 0)
		return -1;
	form_set_readonly(f, ID_DOC + (int)i, 1);
	return 0;
}

/* "Attach a scan… (3 attached, 1 on its way)". */
static int
docs_add_button(struct fs *s, struct form *f)
{
	struct hr_upload_info up[32];
	size_t n = s->id > 0 ? uploads_of(app_uploads(s->app), s->id, up, 32) : 0;
	size_t going = 0;
	char label[256];

	for (size_t i = 0; i < n; i++)
		going += up[i].state != HR_UP_DONE && up[i].state != HR_UP_FAILED;
	if (s->id == 0)
		snprintf(label, sizeof label, "%s", _("Attach a scan... (save the "
		    "application first: F2)"));
	else if (going > 0)
		snprintf(label, sizeof label, _("Attach a scan... (%zu attached, "
		    "%zu on the way)"), s->in.nscans, going);
	else
		snprintf(label, sizeof label, _("Attach a scan... (%zu attached)"),
		    s->in.nscans);
	return form_add_button(f, ID_ATTACH, label);
}

void
docs_attach(struct fs *s, struct app *a)
{
	if (s->readonly) {
		app_status(a, "%s", _("Scans are attached only while the "
		    "application can be edited"));
		return;
	}
	if (s->id == 0) {
		app_status(a, "%s", _("Save the application first (F2), then "
		    "attach its scans"));
		return;
	}
	(void)attach_ui_open(&s->attach, a, s->id, s->in.service,
	    s->in.scan_bytes, NULL);
}

static void
docs_refresh_reply(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;

	(void)a;
	if (reply == NULL || err->code != HR_OK || s->mode == FS_LOADING)
		return;
	intake_load_docs(&s->in, mp_get(&reply->result, "application"));
	if (s->mode == FS_MAIN) {
		fs_sync(s);                /* what the clerk typed stays */
		fs_build(s);
	}
}

void
docs_refresh(struct fs *s, struct app *a)
{
	msgpack_packer *pk;

	if (s->id == 0 || s->mode == FS_LOADING)
		return;
	pk = app_begin(a, HR_M_APPLICATION_GET);
	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "id", s->id);
	(void)app_send(a, docs_refresh_reply);
}

int
docs_add_items(struct fs *s, struct form *f)
{
	const struct refdata *rd = refdata_get(s->app);
	char head[256];
	int r = 0, si;

	if (rd == NULL)
		return 0;
	si = docs_service(s, rd);
	docs_head_text(s, rd, head, sizeof head);
	r |= form_add_heading(f, ID_DOCS_HEAD, head);
	r |= docs_add_button(s, f);
	for (int pass = 1; pass >= 0; pass--)           /* required first */
		for (size_t i = 0; i < rd->ndoc; i++)
			if (refdata_required(rd, si, rd->doc[i].code) == pass)
				r |= docs_add_one(s, f, rd, i, pass);
	return r ? -1 : 0;
}

/* The marks are the server's: nothing to read back from the form. */
void
docs_read(struct fs *s, const struct form *f)
{
	(void)s;
	(void)f;
}

void
docs_update_head(struct fs *s, struct form *f)
{
	const struct refdata *rd = refdata_get(s->app);
	char head[256];

	if (rd == NULL)
		return;
	docs_read(s, f);
	docs_head_text(s, rd, head, sizeof head);
	form_set_label(f, ID_DOCS_HEAD, head);
}
