/*
 * screen.c — the intake form: a new application or an existing one
 * (application.get; read-only when this user may not edit it now).
 *
 * The main form holds the service, the applicant, the family and income
 * rows, the documents checklist, the payment and notes; a family member or
 * an income row opens in a sub-form; F3 opens the person search over the
 * form.  F2 saves (save.c).  Nothing the clerk typed is dropped
 * without a question: Esc and the quit keys ask when there are unsaved
 * changes.  The parts live beside it in tui/intake/ (see form_priv.h).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/intake/form_priv.h"
#include "tui/refdata.h"
#include "tui/screens.h"
#include "tui/text.h"

#define FS_LABEL_W 23

static struct fs *fs_current;     /* the form screen on, for dialog answers */

static const struct fkey fs_fkeys_main[] = {
	{ 1, N_("Help") }, { 2, N_("Save") }, { 3, N_("Find") },
	{ 6, N_("Addr=reg") }, { 8, N_("Save, print") }, { 10, N_("Close") },
};
static const struct fkey fs_fkeys_sub[] = {
	{ 1, N_("Help") }, { 2, N_("Accept") }, { 3, N_("Find") },
	{ 6, N_("Addr=reg") }, { 10, N_("Cancel") },
};
static const struct fkey fs_fkeys_ro[] = {
	{ 1, N_("Help") }, { 10, N_("Close") },
};

static void fs_draw(struct screen *, struct app *, WINDOW *, int, int, int);
static int  fs_key(struct screen *, struct app *, const struct key *);
static void fs_event(struct screen *, struct app *, enum app_event,
    const struct hr_error *);
static void fs_free(struct screen *);
static int  fs_quit(struct screen *, struct app *);

#define FS_OPS(fk) { .draw = fs_draw, .key = fs_key, .event = fs_event, \
	.free = fs_free, .fkeys = fk, .nfkeys = sizeof fk / sizeof fk[0], \
	.quit = fs_quit, .help_topic = HELP_FORM }
static const struct screen_ops fs_ops_main = FS_OPS(fs_fkeys_main);
static const struct screen_ops fs_ops_sub = FS_OPS(fs_fkeys_sub);
static const struct screen_ops fs_ops_ro = FS_OPS(fs_fkeys_ro);

int
fs_alive(const void *ud)
{
	return ud != NULL && ud == fs_current;
}

struct form *
fs_form(struct fs *s)
{
	return s->mode == FS_MEMBER || s->mode == FS_INCOME ? &s->sub : &s->main;
}

/* Back where the clerk came from: the case (reloaded, so a save shows),
 * or the journal for a new application. */
void
fs_leave(struct fs *s, struct app *a)
{
	if (s->from_case != 0)
		app_open_case(a, s->from_case);
	else
		app_home(a);
}

/* ---- model <-> main form ---- */

void
fs_sync(struct fs *s)
{
	const struct refdata *rd = refdata_get(s->app);
	int si = form_choice(&s->main, ID_SERVICE);

	if (s->main.n == 0)
		return;
	if (rd != NULL && si >= 0 && (size_t)si < rd->nsvc)
		intake_set(&s->in.service, rd->svc[si].code);
	person_read(&s->main, &s->in.applicant);
	docs_read(s, &s->main);
	payment_read(s, &s->main);
}

/* Errors survive a rebuild of the form: those whose message shows, and
 * the marks of fields passed empty (message hidden until the next save). */
struct fs_kept { int id; int shown; char *error; };

static size_t
fs_keep_errors(const struct form *f, struct fs_kept *k, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n && n < max; i++)
		if (f->items[i].error != NULL &&
		    (k[n].error = strdup(f->items[i].error)) != NULL) {
			k[n].shown = f->items[i].err_shown;
			k[n++].id = f->items[i].id;
		}
	return n;
}

static void
fs_build_items(struct fs *s)
{
	const struct refdata *rd = refdata_get(s->app);
	char buf[1200];
	int si = rd ? refdata_service(rd, s->in.service) : -1;

	if (s->in.last_reason != NULL) {
		snprintf(buf, sizeof buf, "%s: %s", _("Returned because"), s->in.last_reason);
		form_add_heading(&s->main, ID_LAST_REASON, buf);
	}
	form_add_heading(&s->main, -1, _("Service"));
	form_add_choice(&s->main, ID_SERVICE, _("Service"),
	    rd ? rd->svc_labels : NULL, rd ? rd->nsvc : 0, si);
	form_add_heading(&s->main, -1, _("Applicant"));
	person_add_fields(s, &s->main, &s->in.applicant);
	family_add_rows(s, &s->main);
	income_add_rows(s, &s->main);
	docs_add_items(s, &s->main);
	payment_add_items(s, &s->main);
}

void
fs_build(struct fs *s)
{
	struct fs_kept kept[64];
	int focus = form_focus_id(&s->main);
	size_t nk = fs_keep_errors(&s->main, kept, 64), top = s->main.top;

	form_clear(&s->main);
	fs_build_items(s);
	s->main.readonly = s->readonly;
	for (size_t i = 0; i < nk; i++) {
		struct form_item *it;

		form_set_error(&s->main, kept[i].id, kept[i].error);
		if (!kept[i].shown &&
		    (it = form_item(&s->main, kept[i].id)) != NULL)
			it->err_shown = 0;
		free(kept[i].error);
	}
	form_recheck(&s->main);         /* notes ("will be saved as") again */
	if (focus >= 0)
		form_focus(&s->main, focus);
	s->main.top = top < s->main.n ? top : 0;
	s->rebuild = 0;
}

void
fs_sub_show(struct fs *s, enum fs_mode mode)
{
	s->mode = mode;
	s->sub_dirty = 0;
	s->sub.readonly = s->readonly;
	s->base.ops = s->readonly ? &fs_ops_ro : &fs_ops_sub;
}

void
fs_main_show(struct fs *s)
{
	s->mode = FS_MAIN;
	s->base.ops = s->readonly ? &fs_ops_ro : &fs_ops_main;
}

/* ---- checks (the form's callback) ---- */

const char *
fs_check(void *ud, struct form *f, int id, int leaving, char *buf, size_t n)
{
	struct fs *s = ud;

	switch (id) {
	case ID_SERVICE:
		s->rebuild = 1;          /* its documents are the required ones */
		return form_choice(f, id) < 0 ? _("Choose the service") : NULL;
	case ID_REL:
		return form_choice(f, id) < 0 ? _("Choose the relation") : NULL;
	case ID_PAY_METHOD: case ID_IBAN: case ID_POST:
		return payment_check(s, f, id, buf, n);
	case ID_INC_FROM: case ID_INC_TO: case ID_INC_AMOUNT:
		return income_check(s, f, id, buf, n);
	}
	if (id >= ID_DOC && id < ID_DOC + 1000) {
		docs_update_head(s, f);
		return NULL;
	}
	return person_check(s, f, id, leaving, buf, n);
}

/* ---- sub-forms ---- */

static void
fs_sub_accept(struct fs *s, struct app *a)
{
	int r = s->mode == FS_MEMBER ? family_accept(s) : income_accept(s);

	if (r != 0) {
		app_status(a, "%s", _("Correct the marked fields first"));
		return;
	}
	fs_main_show(s);
	s->dirty = 1;
	fs_build(s);
}

static void
fs_sub_cancel_answer(struct app *a, void *ud, int yes)
{
	(void)a;
	if (fs_alive(ud) && yes)
		fs_main_show(ud);
}

static void
fs_sub_cancel(struct fs *s, struct app *a)
{
	if (!s->sub_dirty) {
		fs_main_show(s);
		return;
	}
	app_ask_guarded(a, _("Cancel"), _("Drop the changes of this row?"),
	    fs_sub_cancel_answer, s);
}

/* ---- leaving ---- */

static void
fs_leave_answer(struct app *a, void *ud, int yes)
{
	if (fs_alive(ud) && yes)
		fs_leave(ud, a);
}

static void
fs_close(struct fs *s, struct app *a)
{
	if (s->mode == FS_MEMBER || s->mode == FS_INCOME) {
		fs_sub_cancel(s, a);
		return;
	}
	if (!s->dirty) {
		fs_leave(s, a);
		return;
	}
	app_ask_guarded(a, _("Unsaved changes"),
	    _("There are unsaved changes. Leave without saving?"),
	    fs_leave_answer, s);
}

static int
fs_quit(struct screen *sc, struct app *a)
{
	fs_close((struct fs *)sc, a);
	return 1;
}

/* ---- keys ---- */

static void
fs_ps_reply(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;

	if (s->ps != NULL)
		person_search_reply(s->ps, a, reply, err);
}

static void
fs_search_open(struct fs *s, struct app *a)
{
	char *q = form_text(fs_form(s), PERSON_BASE + HR_PF_SURNAME);

	if (s->mode == FS_INCOME || s->readonly)
		return;
	s->ps_for_sub = s->mode == FS_MEMBER;
	s->ps = person_search_new(a, fs_ps_reply, q);
	free(q);
}

static void
fs_search_key(struct fs *s, struct app *a, const struct key *k)
{
	int64_t id = 0;
	int r = person_search_key(s->ps, a, k, &id);

	if (r == PS_OPEN)
		return;
	if (r == PS_PICKED && id > 0)
		person_take(s, a, id, person_search_query(s->ps), s->ps_for_sub);
	person_search_free(s->ps);
	s->ps = NULL;
}

static void
fs_activate(struct fs *s, struct app *a, int id)
{
	if (s->mode != FS_MAIN) {
		if (id == ID_SUB_DONE)
			fs_sub_accept(s, a);
		return;
	}
	fs_sync(s);
	if (id == ID_ATTACH)
		docs_attach(s, a);
	else if (id == ID_FAMILY_ADD)
		family_edit(s, -1);
	else if (id == ID_INCOME_ADD)
		income_edit(s, -1);
	else if (id >= ID_FAMILY_ROW && id < ID_FAMILY_ROW + INTAKE_FAMILY_MAX)
		family_edit(s, id - ID_FAMILY_ROW);
	else if (id >= ID_INCOME_ROW && id < ID_INCOME_ROW + INTAKE_INCOME_MAX)
		income_edit(s, id - ID_INCOME_ROW);
}

static void
fs_delete(struct fs *s, struct app *a, int id)
{
	if (s->mode != FS_MAIN || s->readonly)
		return;
	if (id >= ID_FAMILY_ROW && id < ID_FAMILY_ROW + INTAKE_FAMILY_MAX)
		family_remove(s, a, id - ID_FAMILY_ROW);
	else if (id >= ID_INCOME_ROW && id < ID_INCOME_ROW + INTAKE_INCOME_MAX)
		income_remove(s, a, id - ID_INCOME_ROW);
}

/* F-keys and their Ctrl-letter twins; 1 when used. */
static int
fs_command_key(struct fs *s, struct app *a, const struct key *k)
{
	int fk = fkeys_number(k), ch = k->is_key ? 0 : (int)k->ch;

	if (fk == 2 || ch == CTRL_KEY('s') || (fk == 8 && s->mode == FS_MAIN &&
	    !s->readonly)) {
		s->print_after_save = fk == 8;   /* save, then print (issue 13) */
		if (s->mode == FS_MAIN)
			save_start(s, a);
		else if (!s->readonly)
			fs_sub_accept(s, a);
		return 1;
	}
	if (fk == 3 || ch == CTRL_KEY('f')) {
		fs_search_open(s, a);
		return 1;
	}
	if ((fk == 6 || ch == CTRL_KEY('d')) && s->mode != FS_INCOME && !s->readonly) {
		person_copy_address(fs_form(s));
		return 1;
	}
	if (ch == 27) {
		fs_close(s, a);
		return 1;
	}
	return 0;
}

/* The status line said which fields are wrong: keep it true as the clerk
 * corrects them (or passes a required field empty again), and take it
 * away when none is left. */
static void
fs_error_status(struct fs *s, struct app *a, int changed)
{
	int bad;

	/* the server's words stay until the clerk changes something */
	if (!s->error_status || s->mode != FS_MAIN ||
	    (s->errors_shown < 0 && !changed))
		return;
	bad = form_error_count(&s->main);
	if (bad == 0) {
		app_status(a, NULL);
		s->error_status = 0;
	} else if (bad != s->errors_shown) {
		s->errors_shown = bad;
		app_status(a, _("Not saved: %d field(s) need correcting (marked "
		    "with !)"), bad);
	}
}

static int
fs_key(struct screen *sc, struct app *a, const struct key *k)
{
	struct fs *s = (struct fs *)sc;
	struct form *f = fs_form(s);
	enum form_result r;
	const char *why;
	int changed;

	if (s->ps != NULL) {
		fs_search_key(s, a, k);
		return 1;
	}
	if (attach_ui_active(&s->attach)) {
		attach_ui_key(&s->attach, a, k);
		return 1;
	}
	if (s->mode == FS_LOADING) {
		if (!k->is_key && k->ch == 27)
			fs_leave(s, a);
		return 1;
	}
	/* Esc closes an open choice list before it closes the form. */
	if (!f->pop_open && fs_command_key(s, a, k))
		return 1;
	r = form_key(f, k);
	if ((why = form_refusal(f)) != NULL)
		app_status(a, "%s", why);
	changed = f->changed;
	if (f->changed) {
		*(f == &s->sub ? &s->sub_dirty : &s->dirty) = 1;
		f->changed = 0;
	}
	if (r == FORM_ACTIVATE)
		fs_activate(s, a, form_focus_id(f));
	else if (r == FORM_DELETE)
		fs_delete(s, a, form_focus_id(f));
	if (s->rebuild && s->mode == FS_MAIN) {
		fs_sync(s);
		fs_build(s);
	}
	s->rebuild = 0;
	if (why == NULL && f == &s->main)
		fs_error_status(s, a, changed);
	return r != FORM_UNUSED;
}

/* ---- drawing ---- */

static void
fs_title(struct fs *s, char *buf, size_t n)
{
	const char *ro = s->readonly ? _(" (view only)") : "";
	const char *mark = s->dirty ? " *" : "";

	if (s->in.id == 0)
		snprintf(buf, n, "%s%s", _("New application"), mark);
	else
		snprintf(buf, n, "%s %s, %s%s%s", _("Application No."),
		    s->in.reg_no ? s->in.reg_no : "", s->in.status ?
		    app_status_label(s->in.status) : "", ro, mark);
}

static void
fs_draw(struct screen *sc, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct fs *s = (struct fs *)sc;
	char title[512];
	int cy, cx;

	if (s->ps != NULL) {
		person_search_draw(s->ps, a, w, y, h, width);
		return;
	}
	fs_title(s, title, sizeof title);
	text_put(w, y, 1, title, width - 2, A_BOLD, 0);
	if (s->mode == FS_LOADING) {
		text_center(w, y + h / 2, 0, width, _("Loading..."), A_BOLD);
		return;
	}
	form_draw(fs_form(s), w, y + 1, 0, h - 1, width, &cy, &cx);
	if (cy >= 0)
		app_cursor(a, cy, cx);
	if (attach_ui_active(&s->attach))
		attach_ui_draw(&s->attach, a, w);
}

/* ---- life ---- */

static void
fs_start(struct fs *s, struct app *a)
{
	if (s->id > 0) {
		save_load(s, a);
		return;
	}
	fs_main_show(s);
	fs_build(s);
	app_status_clear_if(a, _("Loading..."));
}

static void
fs_ref_done(struct app *a, struct screen *sc, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;

	if (reply == NULL || err->code != HR_OK) {
		app_status(a, "%s: %s", _("Reference data could not be loaded"),
		    reply == NULL ? app_error_text(HR_E_DISCONNECTED) :
		    app_error(err));
		return;
	}
	fs_start(s, a);
}

static void
fs_event(struct screen *sc, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	struct fs *s = (struct fs *)sc;

	(void)err;
	if (ev == APP_EV_TIMER && s->ps != NULL)
		person_search_timer(s->ps, a);
	if (ev == APP_EV_UPLOADED)
		docs_refresh(s, a);
	if (ev == APP_EV_SHOWN || (ev == APP_EV_RESUMED && s->mode == FS_LOADING)) {
		if (refdata_get(a) != NULL)
			fs_start(s, a);
		else if (refdata_fetch(a, fs_ref_done) == 0)
			app_status(a, "%s", _("Loading..."));
	}
}

static void
fs_free(struct screen *sc)
{
	struct fs *s = (struct fs *)sc;

	if (fs_current == s)
		fs_current = NULL;
	intake_free(&s->in);
	intake_person_free(&s->sub_person);
	base_offer_free(s);
	form_free(&s->main);
	form_free(&s->sub);
	person_search_free(s->ps);
	attach_ui_free(&s->attach);
	income_free_labels(s);
	free(s);
}

static void
fs_labels(struct fs *s)
{
	for (int i = 0; i < 2; i++)
		s->labels_sex[i] = _(hr_sexes[i].label);
	for (int i = 0; i < 3; i++)
		s->labels_doc[i] = _(hr_doc_types[i].label);
	for (int i = 0; i < HR_PAY__COUNT; i++)
		s->labels_pay[i] = _(hr_pay_methods[i].label);
	for (int i = 0; i < HR_REL__COUNT; i++)
		s->labels_rel[i] = _(hr_relations[i].label);
	for (int i = 0; i < HR_INC__COUNT; i++)
		s->labels_inc[i] = _(hr_income_types[i].label);
}

struct screen *
screen_form_new(struct app *a, int64_t application_id)
{
	struct fs *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->base.ops = &fs_ops_main;
	s->app = a;
	s->id = application_id;
	s->from_case = application_id;
	s->mode = FS_LOADING;
	intake_init(&s->in);
	form_init(&s->main, FS_LABEL_W, fs_check, s);
	form_init(&s->sub, FS_LABEL_W, fs_check, s);
	fs_labels(s);
	fs_current = s;
	return &s->base;
}
