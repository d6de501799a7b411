/*
 * print.c — printing from the client (print.h).
 *
 * States: DOC (which document: the application with its declaration, the
 * receipt, the decision notice; skipped for a register) -> FORMAT (PDF,
 * text, text for a dot-matrix printer) -> the request goes and the modal
 * closes.  The reply (print_reply) builds the document, saves it and
 * answers with one dialog: where the file is, and — when lp is found —
 * whether to send it to the printer.  The format chosen last is offered
 * first next time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paper/file.h"
#include "paper/forms.h"
#include "paper/render.h"
#include "paper/wire.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/app.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/print.h"

#define PRINT_LP_TIMEOUT_MS 15000

enum print_state { PS_DOC, PS_FORMAT };

struct print_ui {
	enum print_state state;
	struct picker   *picker;
	int64_t          id;
	int              kind;          /* enum paper_kind */
	int              kinds[3];      /* the DOC picker's items */
};

static const char *const kind_labels[PAPER_KIND__COUNT] = {
	[PAPER_APPLICATION] = N_("Application with the income declaration"),
	[PAPER_RECEIPT]     = N_("Receipt for the applicant"),
	[PAPER_NOTICE]      = N_("Decision notice"),
	[PAPER_REGISTER]    = N_("Transfer register"),
};

static const char *const format_labels[PAPER_FMT__COUNT] = {
	[PAPER_FMT_PDF]        = N_("PDF (laser or inkjet printer)"),
	[PAPER_FMT_TEXT]       = N_("Plain text, UTF-8"),
	[PAPER_FMT_TEXT_CP866] = N_("Plain text for a dot-matrix printer (CP866)"),
};

/* What the request in flight asked for, and the session's last choices. */
static struct {
	int64_t id;
	int     kind, fmt;
} pending;
static int last_fmt = PAPER_FMT_PDF;
static char last_path[PAPER_PATH_MAX + 256];

static int
print_format_picker(struct print_ui *u)
{
	const char *items[PAPER_FMT__COUNT];

	for (int i = 0; i < PAPER_FMT__COUNT; i++)
		items[i] = _(format_labels[i]);
	picker_free(u->picker);
	u->picker = picker_new(_("Print in which form?"), items,
	    PAPER_FMT__COUNT, (size_t)last_fmt);
	u->state = PS_FORMAT;
	return u->picker != NULL ? 0 : -1;
}

struct print_ui *
print_ui_app(int64_t id, int has_decision)
{
	struct print_ui *u = calloc(1, sizeof *u);
	const char *items[3];
	size_t n = 0;

	if (u == NULL)
		return NULL;
	u->id = id;
	u->kinds[n++] = PAPER_APPLICATION;
	u->kinds[n++] = PAPER_RECEIPT;
	if (has_decision)
		u->kinds[n++] = PAPER_NOTICE;
	for (size_t i = 0; i < n; i++)
		items[i] = _(kind_labels[u->kinds[i]]);
	u->state = PS_DOC;
	u->picker = picker_new(_("Print what?"), items, n, 0);
	if (u->picker == NULL) {
		free(u);
		return NULL;
	}
	return u;
}

struct print_ui *
print_ui_register(int64_t id)
{
	struct print_ui *u = calloc(1, sizeof *u);

	if (u == NULL)
		return NULL;
	u->id = id;
	u->kind = PAPER_REGISTER;
	if (print_format_picker(u) < 0) {
		free(u);
		return NULL;
	}
	return u;
}

void
print_ui_free(struct print_ui *u)
{
	if (u == NULL)
		return;
	picker_free(u->picker);
	free(u);
}

/* ---- the reply: build, save, tell ---- */

static void
print_lp(struct app *a, void *ud, int yes)
{
	char reply[512], text[2048];
	struct hr_error err;

	(void)ud;
	if (!yes)
		return;
	hr_error_clear(&err);
	if (paper_lp_print(last_path, pending.fmt, PRINT_LP_TIMEOUT_MS, reply,
	    sizeof reply, &err) < 0) {
		snprintf(text, sizeof text, "%s\n\n%s\n%s", app_error(&err),
		    _("The file is saved; print it from the folder when the "
		    "printer is ready."), last_path);
		app_message(a, _("Not printed"), text);
		return;
	}
	app_status(a, "%s %s", _("Sent to the printer:"), reply);
}

/* The document of the reply as a paper document. */
static int
print_build(const struct hr_msg *reply, struct paper_doc **d,
    char *number, size_t cap, struct hr_error *err)
{
	const msgpack_object *r = &reply->result;
	int rc;

	if (pending.kind == PAPER_REGISTER) {
		struct paper_register reg;
		rc = paper_wire_read_register(mp_get(r, "register"), &reg, err);
		if (rc == 0)
			rc = paper_form_register(&reg, d, err);
		snprintf(number, cap, "%d/%d", reg.number, reg.year);
		paper_register_free(&reg);
	} else {
		struct paper_app app;
		rc = paper_wire_read_app(mp_get(r, "application"), &app, err);
		if (rc == 0)
			rc = paper_form_app(pending.kind, &app, d, err);
		snprintf(number, cap, "%s", app.reg_no ? app.reg_no : "");
		paper_app_free(&app);
	}
	return rc;
}

static int
print_ssh(void)
{
	return getenv("SSH_CONNECTION") != NULL || getenv("SSH_CLIENT") != NULL;
}

static void
print_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	char number[64], name[256], dir[PAPER_PATH_MAX], text[2048];
	struct paper_bytes out = { 0 };
	struct paper_doc *d = NULL;
	struct hr_error e;
	int n;

	(void)s;
	app_status(a, NULL);
	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_message(a, _("Not printed"), app_error(err));
		return;
	}
	hr_error_clear(&e);
	if (print_build(reply, &d, number, sizeof number, &e) < 0 ||
	    paper_render(d, pending.fmt, NULL, &out, &e) < 0) {
		paper_doc_free(d);
		app_message(a, _("Not printed"), app_error(&e));
		return;
	}
	paper_doc_free(d);
	paper_file_name(pending.kind, number, pending.fmt, name, sizeof name);
	if (paper_file_save(paper_print_dir(dir, sizeof dir), name, out.data,
	    out.len, last_path, sizeof last_path, &e) < 0) {
		paper_bytes_free(&out);
		app_message(a, _("Not printed"), app_error(&e));
		return;
	}
	paper_bytes_free(&out);
	n = snprintf(text, sizeof text, "%s\n%s", _("The document is saved:"),
	    last_path);
	if (print_ssh() && n > 0 && (size_t)n < sizeof text)
		n += snprintf(text + n, sizeof text - (size_t)n, "\n\n%s",
		    _("You work over SSH: the file is on the computer where "
		    "the client runs, not on your own."));
	if (!paper_lp_found()) {
		if (n > 0 && (size_t)n < sizeof text)
			snprintf(text + n, sizeof text - (size_t)n, "\n\n%s",
			    _("No printer queue (lp) here: print the file from "
			    "the folder."));
		app_message(a, _("Printing"), text);
		return;
	}
	if (n > 0 && (size_t)n < sizeof text)
		snprintf(text + n, sizeof text - (size_t)n, "\n\n%s",
		    _("Send it to the default printer now?"));
	app_ask(a, _("Printing"), text, 0, 1, print_lp, NULL);
}

static void
print_send(struct print_ui *u, struct app *a, int fmt)
{
	msgpack_packer *pk;

	pending.id = u->id;
	pending.kind = u->kind;
	pending.fmt = last_fmt = fmt;
	if (u->kind == PAPER_REGISTER) {
		pk = app_begin(a, HR_M_REGISTER_GET);
		msgpack_pack_map(pk, 1);
		hr_pack_kv_int(pk, "id", u->id);
	} else {
		pk = app_begin(a, HR_M_APPLICATION_PRINT);
		msgpack_pack_map(pk, 2);
		hr_pack_kv_int(pk, "id", u->id);
		hr_pack_kv_str(pk, "document", paper_kind_name(u->kind));
	}
	if (app_send(a, print_reply) == 0)
		app_status(a, "%s", _("Preparing the document..."));
}

/* ---- keys and drawing ---- */

int
print_ui_key(struct print_ui *u, struct app *a, const struct key *k)
{
	int r = picker_key(u->picker, k);

	if (r == PICKER_OPEN)
		return 1;
	if (r == PICKER_CANCEL)
		return 0;
	if (u->state == PS_DOC) {
		u->kind = u->kinds[r];
		return print_format_picker(u) == 0;
	}
	if (!app_online(a)) {
		app_status(a, "%s", _("No connection to the server; try again "
		    "when it is back"));
		return 0;
	}
	print_send(u, a, r);
	return 0;
}

void
print_ui_draw(struct print_ui *u, WINDOW *w, int *cy, int *cx)
{
	picker_draw(u->picker, w, cy, cx);
}
