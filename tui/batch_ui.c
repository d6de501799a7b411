/*
 * batch_ui.c — an action on the journal's marked set (batch_ui.h).
 *
 * States: PICK (which action) -> REASON (a return's one reason) ->
 * CONFIRM (the count) -> RUNNING (the request out; a progress bar from
 * the server's `progress` notifications) -> SUMMARY (a scrolled report).
 * The request is a background one (app_send_bg) addressed to this modal,
 * so that it is cancelled — its reply dropped — if the modal goes away
 * first (the journal closes it only on a new login).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "tui/app.h"
#include "tui/batch_ui.h"
#include "tui/box.h"
#include "tui/case_cache.h"
#include "tui/field.h"
#include "tui/fkeys.h"
#include "tui/journal_marks.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/text.h"
#include "tui/textview.h"

#define BATCH_REASON_MAX 1000

#define BATCH_EXPORT "export"

#define R_SPSZN HR_ROLE_BIT(HR_ROLE_SPSZN)
#define R_UPO   HR_ROLE_BIT(HR_ROLE_UPO_OTG)

/* What each role may do to a marked set (the server checks each row). */
static const struct batch_action {
	unsigned    roles;
	const char *action;       /* application.batch `action` */
	const char *label;
	int         reason;       /* a return: one reason for all */
	int         send;         /* sends up: partial packages are asked */
} actions[] = {
	{ R_SPSZN, "check", N_("Mark checked (ready for export)"), 0, 0 },
	{ R_SPSZN, "return_otg", N_("Return to the hromada (with a reason)"),
	    1, 0 },
	/* not an application.batch action: dat.export takes the set */
	{ R_SPSZN, BATCH_EXPORT, N_("Export to the decision systems (*.DAT)"),
	    0, 0 },
	{ R_UPO, "send_spszn", N_("Send to the back office"), 0, 1 },
	{ R_UPO, "return_front", N_("Return to the front office (with a "
	    "reason)"), 1, 0 },
	{ HR_ROLES_SUPER, "send_otg", N_("Send to the hromada"), 0, 1 },
	{ HR_ROLES_SUPER, "send_spszn", N_("Send to the back office"), 0, 1 },
};
#define NACTIONS (sizeof actions / sizeof actions[0])

enum bu_state { BU_PICK, BU_REASON, BU_CONFIRM, BU_RUNNING, BU_SUMMARY };

struct batch_ui {
	struct app     *app;
	struct jmarks  *marks;          /* borrowed */
	enum bu_state   state;
	struct picker  *picker;
	size_t          offer[NACTIONS];  /* picker item -> actions[] */
	const struct batch_action *act;
	struct field    reason;
	int             partial;        /* this run sends partial packages */
	uint32_t        msgid;          /* the request out, 0 none */
	size_t          sent;           /* applications in it */
	struct textview tv;             /* the summary */
	int64_t        *partials;       /* ids refused as partial packages */
	size_t          npartial;
};

int
batch_ui_role_may(int role)
{
	for (size_t i = 0; i < NACTIONS; i++)
		if (role >= 0 && (actions[i].roles & HR_ROLE_BIT(role)))
			return 1;
	return 0;
}

struct batch_ui *
batch_ui_new(struct app *a, struct jmarks *marks)
{
	const char *items[NACTIONS];
	int role = app_session(a)->role;
	struct batch_ui *u;
	size_t n = 0;

	if (!batch_ui_role_may(role) || (u = calloc(1, sizeof *u)) == NULL)
		return NULL;
	u->app = a;
	u->marks = marks;
	textview_init(&u->tv);
	for (size_t i = 0; i < NACTIONS; i++)
		if (actions[i].roles & HR_ROLE_BIT(role)) {
			u->offer[n] = i;
			items[n++] = _(actions[i].label);
		}
	if (field_init(&u->reason, BATCH_REASON_MAX, 0) < 0 ||
	    (u->picker = picker_new(_("What to do with the marked "
	    "applications?"), items, n, 0)) == NULL) {
		batch_ui_free(u);
		return NULL;
	}
	return u;
}

void
batch_ui_free(struct batch_ui *u)
{
	if (u == NULL)
		return;
	if (u->msgid != 0)
		app_cancel(u->app, u->msgid);   /* its reply is dropped */
	picker_free(u->picker);
	field_free(&u->reason);
	textview_free(&u->tv);
	free(u->partials);
	free(u);
}

int
batch_ui_running(const struct batch_ui *u)
{
	return u != NULL && u->state == BU_RUNNING;
}

/* ---- the reply ---- */

/* One refused row in the summary; a partial package is remembered. */
static void
summary_refusal(struct batch_ui *u, int64_t id, const char *reg_no,
    const struct hr_error *e)
{
	const char *text = app_error(e);

	/* Most refusals name the application themselves; "not found" does
	 * not (it must not: the same bytes for any id). */
	if (reg_no != NULL && reg_no[0] != '\0' && strstr(text, reg_no))
		textview_add(&u->tv, 2, A_NORMAL, "%s", text);
	else if (reg_no != NULL && reg_no[0] != '\0')
		textview_add(&u->tv, 2, A_NORMAL, "%s: %s", reg_no, text);
	else
		textview_add(&u->tv, 2, A_NORMAL, _("Application (id %lld): %s"),
		    (long long)id, text);
	if (u->act->send && strcmp(e->id, "transition.partial") == 0 &&
	    u->partials != NULL)
		u->partials[u->npartial++] = id;
}

/* The rows: the summary, and the moved ones leave the marked set. */
static void
summary_rows(struct batch_ui *u, const msgpack_object *rows)
{
	char *moved = NULL, reg[32], status[64] = "";
	size_t len = 0, cap = 0;

	for (uint32_t i = 0; i < rows->via.array.size; i++) {
		const msgpack_object *r = &rows->via.array.ptr[i];
		const msgpack_object *e;
		struct hr_error err;
		int64_t id;

		if (r->type != MSGPACK_OBJECT_ARRAY || r->via.array.size < 4)
			continue;
		e = r->via.array.ptr;
		id = mp_int(&e[0], 0);
		mp_text(&e[1], reg, sizeof reg);
		hr_error_clear(&err);
		if (e[3].type != MSGPACK_OBJECT_NIL) {
			hr_rpc_error_obj_read(&e[3], &err);
			summary_refusal(u, id, reg, &err);
			continue;
		}
		if (status[0] == '\0' && e[2].type ==
		    MSGPACK_OBJECT_POSITIVE_INTEGER && e[2].via.u64 < HR_ST__COUNT)
			snprintf(status, sizeof status, "%s", app_status_label(
			    hr_status_name((int)e[2].via.u64)));
		jmarks_remove(u->marks, id);
		case_cache_forget(u->app, id);
		if (len + sizeof reg + 2 > cap) {
			char *p = realloc(moved, cap = cap * 2 + 1024);

			if (p == NULL)
				break;
			moved = p;
		}
		len += (size_t)snprintf(moved + len, cap - len, "%s%s",
		    len ? ", " : "", reg[0] ? reg : "?");
	}
	if (moved != NULL) {
		textview_add(&u->tv, 0, A_BOLD, _("Moved to «%s»:"), status);
		textview_add(&u->tv, 2, A_NORMAL, "%s", moved);
	}
	free(moved);
}

static void
batch_reply(void *ud, const struct hr_msg *reply, const struct hr_error *err)
{
	struct batch_ui *u = ud;
	const msgpack_object *rows;
	int64_t moved, refused;

	u->msgid = 0;
	u->state = BU_SUMMARY;
	textview_clear(&u->tv);
	if (reply == NULL || err->code != HR_OK) {
		textview_add(&u->tv, 0, A_BOLD, "%s", reply == NULL ?
		    _("The link dropped before the answer came: some of the "
		    "applications may have moved, each one whole. Refresh the "
		    "journal (F5) to see where they are; the marks are kept.") :
		    app_error(err));
		app_notify(u->app, APP_EV_RESUMED);
		return;
	}
	moved = mp_int(mp_get(&reply->result, "moved"), 0);
	refused = mp_int(mp_get(&reply->result, "refused"), 0);
	rows = mp_get(&reply->result, "rows");
	textview_add(&u->tv, 0, A_BOLD, _("Moved: %lld of %zu. Refused: "
	    "%lld."), (long long)moved, u->sent, (long long)refused);
	free(u->partials);
	u->npartial = 0;
	u->partials = refused > 0 && refused <= HR_BATCH_MAX ?
	    calloc((size_t)refused, sizeof *u->partials) : NULL;
	if (refused > 0)
		textview_add(&u->tv, 0, A_BOLD, "%s", _("Refused (they stay "
		    "marked):"));
	if (rows != NULL && rows->type == MSGPACK_OBJECT_ARRAY)
		summary_rows(u, rows);
	if (u->npartial > 0)
		textview_add(&u->tv, 0, A_BOLD | A_REVERSE, _("F2: send the %zu "
		    "partial packages all the same"), u->npartial);
	app_notify(u->app, APP_EV_RESUMED);     /* the journal reloads */
}

/* ---- sending ---- */

static void
batch_send(struct batch_ui *u, const int64_t *only, size_t nonly)
{
	struct app *a = u->app;
	char *reason = u->act->reason ? field_text(&u->reason) : NULL;
	msgpack_packer *pk = app_begin(a, HR_M_APPLICATION_BATCH);
	size_t n = only != NULL ? nonly : u->marks->n;

	msgpack_pack_map(pk, 3 + (reason != NULL) + u->partial);
	hr_pack_kv_str(pk, "action", u->act->action);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		msgpack_pack_int64(pk, only ? only[i] : u->marks->m[i].id);
	hr_pack_str(pk, "versions");
	msgpack_pack_array(pk, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		int64_t v = 1;

		if (only == NULL)
			v = u->marks->m[i].version;
		else
			for (size_t k = 0; k < u->marks->n; k++)
				if (u->marks->m[k].id == only[i])
					v = u->marks->m[k].version;
		msgpack_pack_int64(pk, v > 0 ? v : 1);
	}
	if (reason != NULL)
		hr_pack_kv_str(pk, "reason", reason);
	if (u->partial)
		hr_pack_kv_bool(pk, "partial", 1);
	free(reason);
	u->sent = n;
	if ((u->msgid = app_send_bg(a, batch_reply, u)) == 0) {
		app_status(a, "%s", _("No connection to the server; try again "
		    "when it is back"));
		u->state = BU_CONFIRM;
		return;
	}
	u->state = BU_RUNNING;
}

/* ---- keys ---- */

static int
is_cancel(const struct key *k)
{
	return (!k->is_key && k->ch == 27) || fkeys_number(k) == 10;
}

/* The reason: not blank. */
static int
reason_given(const struct batch_ui *u)
{
	char *t = field_text(&u->reason);
	int ok = t != NULL && t[strspn(t, " \t")] != '\0';

	free(t);
	return ok;
}

int
batch_ui_key(struct batch_ui *u, struct app *a, const struct key *k)
{
	int r;

	switch (u->state) {
	case BU_PICK:
		if ((r = picker_key(u->picker, k)) == PICKER_OPEN)
			return 1;
		if (r == PICKER_CANCEL)
			return 0;
		u->act = &actions[u->offer[r]];
		if (strcmp(u->act->action, BATCH_EXPORT) == 0)
			return BATCH_UI_EXPORT;   /* the journal hands it on */
		u->state = u->act->reason ? BU_REASON : BU_CONFIRM;
		return 1;
	case BU_REASON:
		if (is_cancel(k))
			return 0;
		if (!key_is_enter(k))
			field_key(&u->reason, k);
		else if (reason_given(u))
			u->state = BU_CONFIRM;
		else
			app_status(a, "%s", _("A return needs the reason the "
			    "next person reads"));
		return 1;
	case BU_CONFIRM:
		if (is_cancel(k))
			return 0;
		if (key_is_enter(k))
			batch_send(u, NULL, 0);
		return 1;
	case BU_RUNNING:
		return 1;            /* the server finishes what it began */
	case BU_SUMMARY:
		if (fkeys_number(k) == 2 && u->npartial > 0) {
			int64_t *ids = u->partials;
			size_t n = u->npartial;

			u->partials = NULL;
			u->npartial = 0;
			u->partial = 1;
			batch_send(u, ids, n);
			free(ids);
			return 1;
		}
		if (is_cancel(k) || key_is_enter(k))
			return 0;
		textview_key(&u->tv, k);
		return 1;
	}
	return 0;
}

/* ---- drawing ---- */

/* [#####.....] done / total */
static void
draw_progress(struct batch_ui *u, WINDOW *w, int y, int x, int width)
{
	int64_t done = 0, total = (int64_t)u->sent;
	char tail[64], bar[256];
	int bw, fill;

	(void)app_progress(u->app, u->msgid, &done, &total);
	if (total <= 0)
		total = 1;
	snprintf(tail, sizeof tail, " %lld / %lld", (long long)done,
	    (long long)total);
	bw = width - text_width(tail) - 2;
	if (bw > (int)sizeof bar - 1)
		bw = (int)sizeof bar - 1;
	if (bw < 1)
		bw = 1;
	fill = (int)(done * bw / total);
	for (int i = 0; i < bw; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[bw] = '\0';
	mvwaddch(w, y, x, '[');
	text_put(w, y, x + 1, bar, bw, A_BOLD, 0);
	mvwaddch(w, y, x + 1 + bw, ']');
	text_put(w, y, x + 2 + bw, tail, width - bw - 2, A_NORMAL, 0);
}

void
batch_ui_draw(struct batch_ui *u, struct app *a, WINDOW *w, int *cy, int *cx)
{
	int y, x, h = 7, width = 70;
	char line[512];

	(void)a;
	*cy = *cx = -1;
	if (u->state == BU_PICK) {
		picker_draw(u->picker, w, cy, cx);
		return;
	}
	if (u->state == BU_SUMMARY) {
		h = getmaxy(w) - 4;
		width = getmaxx(w) - 4;
	}
	box_center(w, &y, &x, &h, &width);
	box_draw(w, y, x, h, width, _(u->act->label), A_NORMAL);
	switch (u->state) {
	case BU_REASON:
		snprintf(line, sizeof line, _("The reason, the same for all %zu "
		    "marked applications:"), u->marks->n);
		text_put(w, y + 1, x + 2, line, width - 4, A_NORMAL, 0);
		*cx = field_draw(&u->reason, w, y + 2, x + 2, width - 4, 1);
		*cy = y + 2;
		text_put(w, y + h - 2, x + 2, _("Enter: go on   Esc: cancel"),
		    width - 4, A_DIM, 0);
		break;
	case BU_CONFIRM:
		snprintf(line, sizeof line, _("Marked applications: %zu. Do "
		    "it for each of them?"), u->marks->n);
		text_put(w, y + 1, x + 2, line, width - 4, A_BOLD, 0);
		text_put(w, y + 2, x + 2, u->act->send ? _("Partial packages "
		    "are not sent without your word: the summary lists them.") :
		    _("Each one the server cannot move is listed with the "
		    "reason."), width - 4, A_NORMAL, 0);
		text_put(w, y + h - 2, x + 2, _("Enter: do it   Esc: cancel"),
		    width - 4, A_DIM, 0);
		break;
	case BU_RUNNING:
		snprintf(line, sizeof line, _("Working on %zu applications..."),
		    u->sent);
		text_put(w, y + 1, x + 2, line, width - 4, A_BOLD, 0);
		draw_progress(u, w, y + 3, x + 2, width - 4);
		break;
	case BU_SUMMARY:
		textview_draw(&u->tv, w, y + 1, x + 2, h - 3, width - 4);
		text_put(w, y + h - 2, x + 2, u->npartial > 0 ? _("Up/Down, "
		    "PgUp/PgDn: scroll   F2: send the partial ones   Enter, "
		    "Esc: close") : _("Up/Down, PgUp/PgDn: scroll   Enter, "
		    "Esc: close"), width - 4, A_DIM, 0);
		break;
	case BU_PICK:
		break;
	}
}
