/*
 * screen_registers.c — transfer registers (реєстри передавання
 * документів): the ones the user's office made or received
 * (register.list), printed again with Enter or F2 (register.get: the same
 * document as when it was made); and, for the offices that hand paper
 * on, a new register (F4).
 *
 * A new register starts from the candidates (register.candidates): the
 * applications sent up in a period that are on no register of the stage
 * yet, all ticked.  The clerk narrows the period (the two dates on top;
 * Enter there reloads), unticks with Space what does not go with this
 * batch of paper ('+' ticks all, '-' none), and F2 makes the register of
 * the ticked ones in their order (register.create): the server numbers it
 * for the office and year.  Then it is offered for printing.  A super user
 * switches between handing to the hromada and to the back office with F6.
 * Esc or F9 goes back: from the new register to the list, from the list
 * to the journal.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "tui/field.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/print.h"
#include "tui/screens.h"
#include "tui/table.h"
#include "tui/text.h"

/* Who makes registers, and who may choose the stage (register.candidates). */
#define REG_MAKERS  (HR_ROLES_FRONT | HR_ROLES_SUPER | \
	HR_ROLE_BIT(HR_ROLE_UPO_OTG))
#define REG_CHOOSERS HR_ROLES_SUPER

enum reg_mode { RM_LIST, RM_NEW };
enum { RL_NO, RL_DATE, RL_TO, RL_ROWS, RL_DOCS, RL_BY, RL__COUNT };
enum { RC_MARK, RC_REG, RC_SENT, RC_NAME, RC_SERVICE, RC_DOCS, RC__COUNT };
enum { RF_FROM, RF_TO, RF_LIST };

struct cand {
	int64_t id;
	int     on;
};

struct registers {
	struct screen    base;
	struct screen_ops ops;            /* own copy: the key bar varies */
	enum reg_mode    mode;
	int              loaded;
	/* the list */
	struct list      list;
	struct table     rows;
	int64_t         *ids;             /* register ids by row */
	struct list_col  cols[RL__COUNT];
	/* a new register */
	struct list      clist;
	struct table     crows;
	struct cand     *cands;
	size_t           ncands;
	int              more;            /* the server has more than shown */
	struct list_col  ccols[RC__COUNT];
	struct field     from, to;
	int              focus;           /* RF_* */
	const char      *stage;           /* NULL: the role's default */
	struct print_ui *print;
	int64_t          made;            /* the register just made */
};

/* F7 «Звітність»: the back office's way to it (its journal's F7 is the
 * answer file), and everyone's from here. */
static const struct fkey reg_fk_list[] = {
	{ 1, N_("Help") }, { 2, N_("Print") }, { 5, N_("Refresh") },
	{ 7, N_("Reports") }, { 9, N_("Journal") }, { 10, N_("Quit") },
};
static const struct fkey reg_fk_list_maker[] = {
	{ 1, N_("Help") }, { 2, N_("Print") }, { 4, N_("New register") },
	{ 5, N_("Refresh") }, { 7, N_("Reports") }, { 9, N_("Journal") },
	{ 10, N_("Quit") },
};
static const struct fkey reg_fk_new[] = {
	{ 1, N_("Help") }, { 2, N_("Make the register") }, { 5, N_("Refresh") },
	{ 9, N_("Back") }, { 10, N_("Quit") },
};
static const struct fkey reg_fk_new_choose[] = {
	{ 1, N_("Help") }, { 2, N_("Make the register") }, { 5, N_("Refresh") },
	{ 6, N_("Other stage") }, { 9, N_("Back") }, { 10, N_("Quit") },
};
static const struct fkey reg_fk_modal[] = {
	{ 1, N_("Help") }, { 10, N_("Quit") },
};

static void reg_load_list(struct registers *r, struct app *a);
static void reg_load_cands(struct registers *r, struct app *a);

static int
reg_role_in(struct app *a, unsigned mask)
{
	int role = app_session(a)->role;

	return role >= 0 && (mask & HR_ROLE_BIT(role));
}

static void
reg_fkeys(struct registers *r, struct app *a)
{
	const struct fkey *fk;
	size_t n;

	if (r->print != NULL) {
		fk = reg_fk_modal;
		n = sizeof reg_fk_modal / sizeof reg_fk_modal[0];
	} else if (r->mode == RM_NEW && reg_role_in(a, REG_CHOOSERS)) {
		fk = reg_fk_new_choose;
		n = sizeof reg_fk_new_choose / sizeof reg_fk_new_choose[0];
	} else if (r->mode == RM_NEW) {
		fk = reg_fk_new;
		n = sizeof reg_fk_new / sizeof reg_fk_new[0];
	} else if (reg_role_in(a, REG_MAKERS)) {
		fk = reg_fk_list_maker;
		n = sizeof reg_fk_list_maker / sizeof reg_fk_list_maker[0];
	} else {
		fk = reg_fk_list;
		n = sizeof reg_fk_list / sizeof reg_fk_list[0];
	}
	r->ops.fkeys = fk;
	r->ops.nfkeys = n;
}

/* "YYYY-MM-DD" -> "DD.MM.YYYY" into buf. */
static const char *
reg_day(const char *iso, char *buf, size_t n)
{
	struct hr_date d;

	if (iso != NULL && hr_date_parse(iso, strlen(iso), NULL, &d, NULL) == 0)
		hr_date_format(&d, buf, n);
	else
		snprintf(buf, n, "%s", iso ? iso : "");
	return buf;
}

/* ---- the list ---- */

static void
reg_list_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct registers *r = (struct registers *)s;
	const msgpack_object *items;
	uint32_t n;

	if (reply == NULL)
		return;
	app_status_clear_if(a, _("Loading..."));
	if (err->code != HR_OK) {
		app_message(a, _("Transfer registers"), app_error(err));
		return;
	}
	table_clear(&r->rows);
	items = mp_get(&reply->result, "items");
	n = items && items->type == MSGPACK_OBJECT_ARRAY ? items->via.array.size : 0;
	free(r->ids);
	r->ids = calloc(n ? n : 1, sizeof *r->ids);
	for (uint32_t i = 0; r->ids != NULL && i < n; i++) {
		const msgpack_object *it = &items->via.array.ptr[i];
		char no[32], day[16], iso[16], *row[RL__COUNT];
		snprintf(no, sizeof no, "%lld/%lld",
		    (long long)mp_int(mp_get(it, "number"), 0),
		    (long long)mp_int(mp_get(it, "year"), 0));
		row[RL_NO] = strdup(no);
		row[RL_DATE] = strdup(reg_day(mp_text(mp_get(it, "made_on"), iso,
		    sizeof iso), day, sizeof day));
		row[RL_TO] = mp_strdup(mp_get(it, "to_name"));
		row[RL_ROWS] = mp_strdup(mp_get(it, "rows"));
		row[RL_DOCS] = mp_strdup(mp_get(it, "documents"));
		row[RL_BY] = mp_strdup(mp_get(it, "made_by"));
		r->ids[r->rows.nrows] = mp_int(mp_get(it, "id"), 0);
		table_add(&r->rows, row);
	}
	r->loaded = 1;
	list_set_rows(&r->list, r->rows.nrows);
}

static void
reg_load_list(struct registers *r, struct app *a)
{
	msgpack_packer *pk = app_begin(a, HR_M_REGISTER_LIST);

	(void)r;
	msgpack_pack_map(pk, 1);
	hr_pack_kv_int(pk, "limit", 200);
	if (app_send(a, reg_list_reply) == 0)
		app_status(a, "%s", _("Loading..."));
}

static void
reg_print(struct registers *r, struct app *a, int64_t id)
{
	print_ui_free(r->print);
	if ((r->print = print_ui_register(id)) != NULL)
		reg_fkeys(r, a);
}

/* ---- a new register ---- */

static void
reg_cands_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct registers *r = (struct registers *)s;
	const msgpack_object *items, *res;
	char from[16], to[16], iso[16];
	uint32_t n;

	if (reply == NULL)
		return;
	app_status_clear_if(a, _("Loading..."));
	if (err->code != HR_OK) {
		app_message(a, _("New transfer register"), app_error(err));
		return;
	}
	res = &reply->result;
	field_set(&r->from, reg_day(mp_text(mp_get(res, "date_from"), iso,
	    sizeof iso), from, sizeof from));
	field_set(&r->to, reg_day(mp_text(mp_get(res, "date_to"), iso,
	    sizeof iso), to, sizeof to));
	table_clear(&r->crows);
	items = mp_get(res, "items");
	n = items && items->type == MSGPACK_OBJECT_ARRAY ? items->via.array.size : 0;
	free(r->cands);
	r->ncands = 0;
	r->cands = calloc(n ? n : 1, sizeof *r->cands);
	for (uint32_t i = 0; r->cands != NULL && i < n; i++) {
		const msgpack_object *it = &items->via.array.ptr[i];
		time_t t = (time_t)mp_int(mp_get(it, "sent_at"), 0);
		struct tm tm;
		char sent[16] = "", docs[32], *row[RC__COUNT];
		if (localtime_r(&t, &tm) != NULL)
			strftime(sent, sizeof sent, "%d.%m.%Y", &tm);
		snprintf(docs, sizeof docs, "%lld%s",
		    (long long)mp_int(mp_get(it, "documents"), 0),
		    mp_int(mp_get(it, "missing"), 0) > 0 ? "!" : "");
		row[RC_MARK] = strdup("[x]");
		row[RC_REG] = mp_strdup(mp_get(it, "reg_no"));
		row[RC_SENT] = strdup(sent);
		row[RC_NAME] = mp_strdup(mp_get(it, "applicant"));
		row[RC_SERVICE] = mp_strdup(mp_get(it, "service_name"));
		row[RC_DOCS] = strdup(docs);
		r->cands[r->ncands].id = mp_int(mp_get(it, "id"), 0);
		r->cands[r->ncands].on = 1;
		r->ncands++;
		table_add(&r->crows, row);
	}
	r->more = (int)mp_int(mp_get(res, "more"), 0);
	r->stage = NULL;
	if (mp_get(res, "stage") != NULL) {
		char st[16];
		mp_text(mp_get(res, "stage"), st, sizeof st);
		r->stage = strcmp(st, "otg") == 0 ? "otg" : "spszn";
	}
	list_set_rows(&r->clist, r->crows.nrows);
}

/* A typed day "DD.MM.YYYY" as "YYYY-MM-DD"; -1 if it is not one. */
static int
reg_wire_day(struct field *f, char *out, size_t cap)
{
	char *t = field_text(f);
	struct hr_date d;
	int rc = -1;

	if (t != NULL && hr_date_parse(t, strlen(t), NULL, &d, NULL) == 0) {
		snprintf(out, cap, "%04d-%02d-%02d", d.y, d.m, d.d);
		rc = 0;
	}
	free(t);
	return rc;
}

static void
reg_load_cands(struct registers *r, struct app *a)
{
	char from[16], to[16];
	int have = reg_wire_day(&r->from, from, sizeof from) == 0 &&
	    reg_wire_day(&r->to, to, sizeof to) == 0;
	msgpack_packer *pk;

	if (!have && r->loaded && r->mode == RM_NEW && r->from.len > 0) {
		app_status(a, "%s", _("Write the dates as DD.MM.YYYY"));
		return;
	}
	pk = app_begin(a, HR_M_REGISTER_CANDIDATES);
	msgpack_pack_map(pk, (have ? 2 : 0) + (r->stage != NULL));
	if (have) {
		hr_pack_kv_str(pk, "date_from", from);
		hr_pack_kv_str(pk, "date_to", to);
	}
	if (r->stage != NULL)
		hr_pack_kv_str(pk, "stage", r->stage);
	if (app_send(a, reg_cands_reply) == 0)
		app_status(a, "%s", _("Loading..."));
}

static void
reg_made_print(struct app *a, void *ud, int yes)
{
	struct registers *r = ud;

	if (yes && r->made > 0 && app_online(a))
		reg_print(r, a, r->made);
}

static void
reg_create_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct registers *r = (struct registers *)s;
	char text[512];

	if (reply == NULL)
		return;
	app_status(a, NULL);
	if (err->code != HR_OK) {
		app_message(a, _("The register was not made"), app_error(err));
		reg_load_cands(r, a);
		return;
	}
	r->made = mp_int(mp_get(&reply->result, "id"), 0);
	snprintf(text, sizeof text, _("Transfer register No. %lld/%lld is made: "
	    "%lld applications, %lld documents.\n\nPrint it now (two copies: "
	    "one stays here, one goes with the paper)?"),
	    (long long)mp_int(mp_get(&reply->result, "number"), 0),
	    (long long)mp_int(mp_get(&reply->result, "year"), 0),
	    (long long)mp_int(mp_get(&reply->result, "rows"), 0),
	    (long long)mp_int(mp_get(&reply->result, "documents"), 0));
	r->mode = RM_LIST;
	reg_fkeys(r, a);
	reg_load_list(r, a);
	app_ask(a, _("New transfer register"), text, 0, 1, reg_made_print, r);
}

static void
reg_create_send(struct app *a, void *ud, int yes)
{
	struct registers *r = ud;
	msgpack_packer *pk;
	uint32_t n = 0;

	if (!yes)
		return;
	for (size_t i = 0; i < r->ncands; i++)
		n += r->cands[i].on != 0;
	pk = app_begin(a, HR_M_REGISTER_CREATE);
	msgpack_pack_map(pk, r->stage ? 2 : 1);
	if (r->stage)
		hr_pack_kv_str(pk, "stage", r->stage);
	hr_pack_str(pk, "ids");
	msgpack_pack_array(pk, n);
	for (size_t i = 0; i < r->ncands; i++)
		if (r->cands[i].on)
			msgpack_pack_int64(pk, r->cands[i].id);
	if (app_send(a, reg_create_reply) == 0)
		app_status(a, "%s", _("Sending..."));
}

static void
reg_create_ask(struct registers *r, struct app *a)
{
	char text[512];
	size_t n = 0;

	for (size_t i = 0; i < r->ncands; i++)
		n += r->cands[i].on != 0;
	if (n == 0) {
		app_status(a, "%s", _("Tick at least one application (Space)"));
		return;
	}
	snprintf(text, sizeof text, _("Make a transfer register of %zu "
	    "applications to %s?\nIt gets the next number of your office and "
	    "cannot be changed afterwards."), n, r->stage != NULL &&
	    strcmp(r->stage, "otg") == 0 ? _("the hromada") :
	    _("the back office"));
	app_ask(a, _("New transfer register"), text, 0, 1, reg_create_send, r);
}

static void
reg_mark(struct registers *r, size_t i, int on)
{
	if (i >= r->ncands)
		return;
	r->cands[i].on = on;
	free(r->crows.cells[i * RC__COUNT + RC_MARK]);
	r->crows.cells[i * RC__COUNT + RC_MARK] = strdup(on ? "[x]" : "[ ]");
	if (r->crows.cells[i * RC__COUNT + RC_MARK] == NULL)
		r->crows.cells[i * RC__COUNT + RC_MARK] = strdup("");
}

/* ---- keys ---- */

static void
reg_back(struct registers *r, struct app *a)
{
	if (r->mode == RM_NEW) {
		r->mode = RM_LIST;
		reg_fkeys(r, a);
		return;
	}
	app_home(a);           /* the journal: the registers open from it */
}

static int
reg_new_key(struct registers *r, struct app *a, const struct key *k)
{
	int n = fkeys_number(k);

	switch (n) {
	case 2:
		reg_create_ask(r, a);
		return 1;
	case 5:
		reg_load_cands(r, a);
		return 1;
	case 6:
		if (reg_role_in(a, REG_CHOOSERS)) {
			r->stage = r->stage != NULL && strcmp(r->stage, "otg") == 0 ?
			    "spszn" : "otg";
			reg_load_cands(r, a);
		}
		return 1;
	}
	if (!k->is_key && k->ch == '\t') {
		r->focus = (r->focus + 1) % 3;
		return 1;
	}
	if (r->focus != RF_LIST) {
		if (key_is_enter(k)) {
			reg_load_cands(r, a);
			r->focus = RF_LIST;
			return 1;
		}
		return field_key(r->focus == RF_FROM ? &r->from : &r->to, k);
	}
	if (!k->is_key && (k->ch == ' ' || k->ch == '+' || k->ch == '-')) {
		if (k->ch == ' ') {
			size_t i = r->clist.sel;
			if (i < r->ncands)
				reg_mark(r, i, !r->cands[i].on);
			if (r->clist.sel + 1 < r->clist.nrows)
				r->clist.sel++;
		} else {
			for (size_t i = 0; i < r->ncands; i++)
				reg_mark(r, i, k->ch == '+');
		}
		return 1;
	}
	return list_key(&r->clist, k);
}

static int
reg_key(struct screen *s, struct app *a, const struct key *k)
{
	struct registers *r = (struct registers *)s;
	int n = fkeys_number(k);

	if (r->print != NULL) {
		if (!print_ui_key(r->print, a, k)) {
			print_ui_free(r->print);
			r->print = NULL;
			reg_fkeys(r, a);
		}
		return 1;
	}
	if ((!k->is_key && k->ch == 27) || n == 9) {
		reg_back(r, a);
		return 1;
	}
	if (r->mode == RM_NEW)
		return reg_new_key(r, a, k);
	if (n == 7) {
		app_open_reports(a);
		return 1;
	}
	if (n == 2 || key_is_enter(k)) {
		if (r->list.sel < r->rows.nrows && r->ids != NULL)
			reg_print(r, a, r->ids[r->list.sel]);
		return 1;
	}
	if (n == 4 && reg_role_in(a, REG_MAKERS)) {
		r->mode = RM_NEW;
		r->focus = RF_LIST;
		field_clear(&r->from);
		field_clear(&r->to);
		table_clear(&r->crows);
		r->ncands = 0;
		list_set_rows(&r->clist, 0);
		reg_fkeys(r, a);
		reg_load_cands(r, a);
		return 1;
	}
	if (n == 5 || (!k->is_key && k->ch == CTRL_KEY('r'))) {
		reg_load_list(r, a);
		return 1;
	}
	return list_key(&r->list, k);
}

/* ---- drawing ---- */

static void
reg_draw_new(struct registers *r, struct app *a, WINDOW *w, int y, int h,
    int width)
{
	char buf[512];
	size_t on = 0;
	int x = 1, cx;

	for (size_t i = 0; i < r->ncands; i++)
		on += r->cands[i].on != 0;
	snprintf(buf, sizeof buf, "%s %s", _("New transfer register to"),
	    r->stage != NULL && strcmp(r->stage, "otg") == 0 ?
	    _("the hromada") : _("the back office"));
	text_put(w, y, 1, buf, width - 2, A_BOLD, 0);
	x += text_put(w, y + 1, x, _("Sent from"), width - x, A_NORMAL, 0) + 1;
	cx = field_draw(&r->from, w, y + 1, x, 11, r->focus == RF_FROM);
	if (r->focus == RF_FROM)
		app_cursor(a, y + 1, cx);
	x += 12;
	x += text_put(w, y + 1, x, _("to"), width - x, A_NORMAL, 0) + 1;
	cx = field_draw(&r->to, w, y + 1, x, 11, r->focus == RF_TO);
	if (r->focus == RF_TO)
		app_cursor(a, y + 1, cx);
	x += 12;
	snprintf(buf, sizeof buf, _("ticked %zu of %zu%s"), on, r->ncands,
	    r->more ? _(" (more: narrow the period)") : "");
	text_put(w, y + 1, x + 1, buf, width - x - 2, A_NORMAL, 0);
	text_put(w, y + 2, 1, _("Space: tick/untick   +/-: all/none   Tab: "
	    "dates   Enter on a date: reload"), width - 2, A_DIM, 0);
	if (r->ncands == 0)
		text_center(w, y + h / 2, 0, width, _("No applications to hand "
		    "over in this period"), A_BOLD);
	else
		list_draw(&r->clist, w, y + 3, 0, h - 3, width);
}

static void
reg_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct registers *r = (struct registers *)s;
	char buf[256];
	int cy = -1, cx = -1;

	if (r->mode == RM_NEW) {
		reg_draw_new(r, a, w, y, h, width);
	} else {
		snprintf(buf, sizeof buf, "%s (%zu)", _("Transfer registers"),
		    r->rows.nrows);
		text_put(w, y, 1, buf, width - 2, A_BOLD, 0);
		if (r->loaded && r->rows.nrows == 0)
			text_center(w, y + h / 2, 0, width, reg_role_in(a,
			    REG_MAKERS) ? _("No registers yet: F4 makes one") :
			    _("No registers yet"), A_BOLD);
		else
			list_draw(&r->list, w, y + 2, 0, h - 2, width);
	}
	if (r->print != NULL) {
		print_ui_draw(r->print, w, &cy, &cx);
		if (cy >= 0)
			app_cursor(a, cy, cx);
	}
}

static void
reg_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	struct registers *r = (struct registers *)s;

	(void)err;
	if (ev != APP_EV_SHOWN && ev != APP_EV_RESUMED)
		return;
	reg_fkeys(r, a);
	if (r->mode == RM_NEW)
		reg_load_cands(r, a);
	else
		reg_load_list(r, a);
}

static void
reg_free(struct screen *s)
{
	struct registers *r = (struct registers *)s;

	table_free(&r->rows);
	table_free(&r->crows);
	free(r->ids);
	free(r->cands);
	field_free(&r->from);
	field_free(&r->to);
	print_ui_free(r->print);
	free(r);
}

static const struct screen_ops reg_ops = {
	.draw = reg_draw,
	.key = reg_key,
	.event = reg_event,
	.free = reg_free,
	.fkeys = reg_fk_list,
	.nfkeys = sizeof reg_fk_list / sizeof reg_fk_list[0],
};

struct screen *
screen_registers_new(struct app *a)
{
	struct registers *r = calloc(1, sizeof *r);

	(void)a;
	if (r == NULL)
		return NULL;
	if (field_init(&r->from, 10, 0) < 0 || field_init(&r->to, 10, 0) < 0) {
		field_free(&r->from);
		free(r);
		return NULL;
	}
	r->ops = reg_ops;
	r->base.ops = &r->ops;
	r->cols[RL_NO] = (struct list_col){ _("No."), 9 };
	r->cols[RL_DATE] = (struct list_col){ _("Date"), 10 };
	r->cols[RL_TO] = (struct list_col){ _("To"), 0 };
	r->cols[RL_ROWS] = (struct list_col){ _("Appl."), 5 };
	r->cols[RL_DOCS] = (struct list_col){ _("Docs"), 5 };
	r->cols[RL_BY] = (struct list_col){ _("Made by"), 0 };
	table_init(&r->rows, RL__COUNT);
	list_init(&r->list, r->cols, RL__COUNT, table_cell, &r->rows);
	r->ccols[RC_MARK] = (struct list_col){ "", 3 };
	r->ccols[RC_REG] = (struct list_col){ _("Reg. no"), 10 };
	r->ccols[RC_SENT] = (struct list_col){ _("Sent"), 10 };
	r->ccols[RC_NAME] = (struct list_col){ _("Applicant"), 0 };
	r->ccols[RC_SERVICE] = (struct list_col){ _("Service"), 0 };
	r->ccols[RC_DOCS] = (struct list_col){ _("Docs"), 4 };
	table_init(&r->crows, RC__COUNT);
	list_init(&r->clist, r->ccols, RC__COUNT, table_cell, &r->crows);
	return &r->base;
}
