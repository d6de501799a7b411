/*
 * screen_journal.c — the journal of the user's cabinet (journal.list).
 *
 * A header with the count of applications per status, the filter in one
 * line, then the list of applications, newest first.  The rows live in
 * the journal memo (journal_rows.h), not in the screen: coming back from
 * a case or the form shows them at once, with the cursor where it was,
 * and the pages held are revalidated by etag in the background.  A page
 * is as many rows as the list shows (the page size follows the screen);
 * the next page is fetched ahead while the user reads this one, so PgDn
 * does not wait.  Rows carry codes and ids; the names come from the
 * reference data (refdata.h).
 *
 * Enter opens the case (screen_case.c), F3 or "/" the filter dialog
 * (journal_filter.c; the counters use the same filter), F8 clears the
 * filter, F4 starts a new application for the roles that take them; the
 * back office has F6 «Вивантажити» and F7 «Завантажити відповідь», the
 * *.DAT exchange (dat_ui.c).  F6 exports the marked set when rows are
 * marked, else what the filter shows: every checked application when it
 * narrows nothing, else the checked ones it names.
 *
 * The back office, the hromada's social unit and super users mark rows
 * for a batch (journal_marks.h): Space marks the row under the cursor and
 * goes down, `*` marks every application of the filter (the server names
 * them: journal.list `marks`), `-` clears; the marked set is the memo's,
 * so it outlives paging, another filter and a visit to a case.  Marked
 * rows are bold with a `*` after the number; the filter line says how
 * many are marked, and F2 «Позначені» (on the key bar while some are)
 * opens the batch (batch_ui.c).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tui/batch_ui.h"
#include "tui/case_cache.h"
#include "tui/clock_mark.h"
#include "tui/dat_ui.h"
#include "tui/journal_cols.h"
#include "tui/journal_filter.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/refdata.h"
#include "tui/screens.h"
#include "tui/status_counts.h"
#include "tui/text.h"

/* Rows a page has before the list was first drawn: the screen's height
 * less what the app and the journal's header take besides the status
 * counters, which take as many rows as the width makes them (80x24: 14
 * rows, as the list will show). */
#define JOURNAL_CHROME_ROWS 7
/* The cursor rests this long on a row: its case is fetched ahead. */
#define JOURNAL_PAUSE_MS    400

/* Roles that take applications in (F4 "New application"). */
#define JOURNAL_INTAKE_ROLES (HR_ROLES_FRONT | HR_ROLES_SUPER)


struct journal {
	struct screen       base;
	struct screen_ops   ops;         /* own copy: the key bar varies */
	struct list         list;
	struct jcols        cols;        /* laid out at the last draw */
	struct app         *app;         /* for the cells' names */
	struct journal_memo *memo;       /* the session's filter and rows */
	struct jf_dialog   *dlg;         /* the filter dialog, when open */
	int                 lists_wanted;    /* replies awaited before the dialog */
	int                 turn_pending;    /* PgDn waits for the next page */
	int                 rested;          /* the cursor rested on its row */
	int                 check_due;       /* revalidate once the user rests */
	int                 dlg_focus_q;
	struct dat_ui      *dat;         /* the *.DAT exchange, when open */
	struct batch_ui    *batch;       /* an action on the marked set */
	uint32_t            marks_gen;   /* marks_reply: for this filter */
};


/* F7 «Звітність» as in the oblast's and ministry's cabinet; the back
 * office's F7 is its answer file: it has «Звітність» on F9's screen. */
static const struct fkey journal_fkeys[] = {
	{ 1, N_("Help") }, { 3, N_("Filter") }, { 5, N_("Refresh") },
	{ 7, N_("Reports") },
	{ 8, N_("Clear filter") }, { 9, N_("Registers") }, { 10, N_("Quit") },
};
static const struct fkey journal_fkeys_intake[] = {
	{ 1, N_("Help") }, { 3, N_("Filter") }, { 4, N_("New application") },
	{ 5, N_("Refresh") }, { 7, N_("Reports") }, { 8, N_("Clear filter") },
	{ 9, N_("Registers") }, { 10, N_("Quit") },
};
static const struct fkey journal_fkeys_spszn[] = {
	{ 1, N_("Help") }, { 3, N_("Filter") }, { 5, N_("Refresh") },
	{ 6, N_("Export") }, { 7, N_("Import answer") },
	{ 8, N_("Clear filter") }, { 9, N_("Registers") }, { 10, N_("Quit") },
};
/* The same while applications are marked: F2 acts on them. */
static const struct fkey journal_fkeys_marked[] = {
	{ 1, N_("Help") }, { 2, N_("Act on marked") }, { 3, N_("Filter") },
	{ 5, N_("Refresh") }, { 8, N_("Clear filter") }, { 9, N_("Registers") },
	{ 10, N_("Quit") },
};
static const struct fkey journal_fkeys_intake_marked[] = {
	{ 1, N_("Help") }, { 2, N_("Act on marked") }, { 3, N_("Filter") },
	{ 4, N_("New application") }, { 5, N_("Refresh") },
	{ 8, N_("Clear filter") }, { 9, N_("Registers") }, { 10, N_("Quit") },
};
static const struct fkey journal_fkeys_spszn_marked[] = {
	{ 1, N_("Help") }, { 2, N_("Act on marked") }, { 3, N_("Filter") },
	{ 5, N_("Refresh") }, { 6, N_("Export") }, { 7, N_("Import answer") },
	{ 8, N_("Clear filter") }, { 9, N_("Registers") }, { 10, N_("Quit") },
};
#define NFK(a) (sizeof (a) / sizeof (a)[0])

/* ---- rows and pages ---- */

/* Rows the list will show, before it was drawn. */
static int
journal_first_limit(void)
{
	int rows = getmaxy(stdscr) - JOURNAL_CHROME_ROWS -
	    status_counts_rows(getmaxx(stdscr), 1);

	return rows < 5 ? 5 : rows;
}

/* Rows one page asks for: what the list shows. */
static int
journal_limit(const struct journal *j)
{
	if (j->list.page > 1)
		return j->list.page;
	return journal_first_limit();
}

/*
 * The list follows the rows held.  After rows came or changed (follow),
 * the cursor goes back to the application it was on, which may have moved
 * (new applications above it): the view moves with it, so the screen does
 * not jump under the user, except at the top of the journal, where the new
 * ones come into sight.  Either way the memo remembers where it is now.
 */
static void
journal_sync(struct journal *j, int follow)
{
	struct jrows *r = &j->memo->rows;
	int64_t want = j->memo->opened_id ? j->memo->opened_id : j->memo->sel_id;
	long i = follow && want ? jrows_find(r, want) : -1;

	list_set_rows(&j->list, r->n);
	if (i >= 0) {
		if (j->list.top == 0)
			;                       /* newest first: show what came */
		else if (j->list.top + (size_t)i >= j->list.sel)
			j->list.top = j->list.top + (size_t)i - j->list.sel;
		else
			j->list.top = 0;
		j->list.sel = (size_t)i;
		j->memo->opened_id = 0;
	}
	j->memo->sel_id = j->list.sel < r->n ? r->row[j->list.sel].id : 0;
	j->memo->top_id = j->list.top < r->n ? r->row[j->list.top].id : 0;
}

/* Would PgDn now turn to rows that are still to come? */
static int
journal_short(const struct journal *j)
{
	const struct jrows *r = &j->memo->rows;
	size_t page = j->list.page > 1 ? (size_t)j->list.page : 1;

	return jrows_more(r) && r->n < j->list.top + 2 * page - 1;
}

/*
 * Fetch ahead while the link is idle: the next page when less than one
 * more screenful is held below the view, so PgDn finds it there.  Never
 * while the user waits for something.
 */
static void
journal_prefetch(struct journal *j, struct app *a)
{
	struct jrows *r = &j->memo->rows;
	size_t page = (size_t)journal_limit(j);
	long age = 0;

	if (!app_online(a) || app_busy(a) || r->msgid != 0 || !r->loaded ||
	    case_cache_pending(0) || j->dlg != NULL || j->dat != NULL ||
	    j->batch != NULL)
		return;                 /* (not drawn yet: the screen's size) */
	if (jrows_more(r) && r->n < j->list.top + 2 * page) {
		(void)jrows_fetch(a, r, &j->memo->filter, (int)page, 1);
		return;
	}
	/* Then the case under the cursor, once it rested there. */
	if (j->rested && j->list.sel < r->n &&
	    (case_cache_get(r->row[j->list.sel].id, &age) == NULL ||
	    age > CASE_FRESH_MS))
		(void)case_cache_fetch(a, r->row[j->list.sel].id, CASE_PREFETCH);
}

/* The check of the pages held that journal_show asked for, once the user
 * rests and no page is on its way (then at the reply: APP_EV_DATA). */
static void
journal_check(struct journal *j, struct app *a)
{
	if (j->check_due && j->rested &&
	    jrows_revalidate(a, &j->memo->rows, &j->memo->filter) == 0)
		j->check_due = 0;
}

/* The cursor moved: the case under it is wanted only if it stays. */
static void
journal_moved(struct journal *j, struct app *a)
{
	j->rested = 0;
	app_timer(a, JOURNAL_PAUSE_MS);
}

void
journal_prefetch_first(struct app *a, const char *user)
{
	const char *role = refdata_last_role();
	struct journal_memo *m;
	int r = role ? hr_role_from_name(role) : -1;

	if (r < 0 || !(HR_ROLES_CASES & HR_ROLE_BIT(r)))
		return;
	m = journal_memo(user);
	if (m->rows.loaded || m->rows.msgid != 0)
		return;
	(void)jrows_fetch(a, &m->rows, &m->filter, journal_first_limit(), 1);
}

static void
journal_refresh(struct journal *j, struct app *a)
{
	if (!app_online(a)) {
		app_status(a, "%s", _("No connection to the server; try again when it is back"));
		return;
	}
	jrows_reset(&j->memo->rows);
	list_set_rows(&j->list, 0);
	j->list.sel = j->list.top = 0;
	j->memo->sel_id = 0;
	(void)jrows_fetch(a, &j->memo->rows, &j->memo->filter, journal_limit(j), 0);
}

/*
 * Shown again (or resumed): the rows held at once, then a check once the
 * user rests (JOURNAL_PAUSE_MS): a clerk who comes back and opens a case
 * at once, or sends the one just saved, must not find their request
 * queued behind the check's replies.
 */
static void
journal_show(struct journal *j, struct app *a)
{
	struct jrows *r = &j->memo->rows;
	int again = r->shown;
	long top, sel;

	r->shown = 1;
	if (!r->loaded && r->msgid == 0) {
		journal_refresh(j, a);
		return;
	}
	if (!r->loaded) {
		jrows_wait(a, r);               /* the page sent with the login */
		return;
	}
	/* The view as it was left: its first row, the cursor on its row
	 * (or on the application opened last). */
	top = jrows_find(r, j->memo->top_id);
	sel = jrows_find(r, j->memo->opened_id ? j->memo->opened_id :
	    j->memo->sel_id);
	list_set_rows(&j->list, r->n);
	j->list.top = top > 0 ? (size_t)top : 0;
	j->list.sel = sel > 0 ? (size_t)sel : 0;
	j->memo->opened_id = 0;
	journal_sync(j, 0);
	/* The pages are checked once the user rests (journal_check).  The
	 * first show keeps the page that came with the login if it is fresh;
	 * coming back from another screen checks every page however fresh
	 * (JROWS_FRESH_MS): the user may have changed a case or told an
	 * applicant there a moment ago, and the counters must say so. */
	if (again)
		jrows_stale(r);
	j->check_due = 1;
}

/* ---- the filter dialog ---- */

static void
journal_set_fkeys(struct journal *j, struct app *a)
{
	int role = app_session(a)->role;
	int marked = j->memo->marks.n > 0 && batch_ui_role_may(role);

	if (j->dlg != NULL) {
		j->ops.fkeys = jf_dialog_fkeys;
		j->ops.nfkeys = jf_dialog_nfkeys;
	} else if (role >= 0 && (JOURNAL_INTAKE_ROLES & HR_ROLE_BIT(role))) {
		j->ops.fkeys = marked ? journal_fkeys_intake_marked :
		    journal_fkeys_intake;
		j->ops.nfkeys = marked ? NFK(journal_fkeys_intake_marked) :
		    NFK(journal_fkeys_intake);
	} else if (role == HR_ROLE_SPSZN) {
		j->ops.fkeys = marked ? journal_fkeys_spszn_marked :
		    journal_fkeys_spszn;
		j->ops.nfkeys = marked ? NFK(journal_fkeys_spszn_marked) :
		    NFK(journal_fkeys_spszn);
	} else {
		j->ops.fkeys = marked ? journal_fkeys_marked : journal_fkeys;
		j->ops.nfkeys = marked ? NFK(journal_fkeys_marked) :
		    NFK(journal_fkeys);
	}
}

/* ---- the marked set ---- */

static int
journal_marked(void *ud, size_t row)
{
	struct journal *j = ud;

	return row < j->memo->rows.n &&
	    jmarks_has(&j->memo->marks, j->memo->rows.row[row].id);
}

/* Space: mark or unmark the row under the cursor, then go down. */
static void
journal_mark_row(struct journal *j, struct app *a)
{
	static const struct key down = { 1, KEY_DOWN };
	const struct jrow *r;

	if (j->list.sel >= j->memo->rows.n)
		return;
	r = &j->memo->rows.row[j->list.sel];
	if (r->version <= 0) {
		app_status(a, "%s", _("This server does not give the versions "
		    "of rows: marking needs a newer server"));
		return;
	}
	if (jmarks_toggle(&j->memo->marks, r->id, r->version) < 0)
		app_status(a, _("At most %d applications can be marked"),
		    HR_BATCH_MAX);
	journal_set_fkeys(j, a);
	list_key(&j->list, &down);
	journal_sync(j, 0);
}

static void
journal_marks_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct journal *j = (struct journal *)s;
	const msgpack_object *m = mp_get(&reply->result, "marks");
	int64_t count = -1;
	long held;
	int over = 0;

	app_status(a, NULL);
	if (err->code != HR_OK) {
		app_message(a, _("Mark all"), app_error(err));
		return;
	}
	if (j->marks_gen != j->memo->rows.gen)
		return;                  /* the filter changed meanwhile */
	held = m != NULL ? jmarks_take(&j->memo->marks, m, &count, &over) : -1;
	if (count > HR_BATCH_MAX || over) {
		char text[400];

		snprintf(text, sizeof text, _("The filter names %s%lld "
		    "applications; at most %d can be marked for one action. "
		    "Narrow the filter (F3), e.g. by status or dates."),
		    over ? _("more than ") : "", (long long)count, HR_BATCH_MAX);
		app_message(a, _("Mark all"), text);
	} else if (held < 0) {
		app_status(a, _("At most %d applications can be marked"),
		    HR_BATCH_MAX);
	} else {
		app_notice(a, _("Marked: %ld (the filter names %lld)"), held,
		    (long long)count);
	}
	journal_set_fkeys(j, a);
}

/* `*`: every application of the filter, all pages (the server names them). */
static void
journal_mark_all(struct journal *j, struct app *a)
{
	msgpack_packer *pk = app_begin(a, HR_M_JOURNAL_LIST);

	msgpack_pack_map(pk, 1 + jfilter_nparams(&j->memo->filter));
	jfilter_pack(&j->memo->filter, pk);
	hr_pack_kv_bool(pk, "marks", 1);
	j->marks_gen = j->memo->rows.gen;
	if (app_send(a, journal_marks_reply) == 0)
		app_status(a, "%s", _("Loading..."));
}

static void
journal_batch_open(struct journal *j, struct app *a)
{
	if (j->memo->marks.n == 0)
		return;
	if (!app_online(a)) {
		app_status(a, "%s", _("No connection to the server; try again when it is back"));
		return;
	}
	j->batch = batch_ui_new(a, &j->memo->marks);
}

/* The marked set to *.DAT: dat_ui's dry run and confirmation take it. */
static void
journal_export_marked(struct journal *j, struct app *a)
{
	const struct jmarks *m = &j->memo->marks;
	int64_t *ids = calloc(m->n, sizeof *ids);
	int64_t *versions = calloc(m->n, sizeof *versions);

	if (ids != NULL && versions != NULL) {
		for (size_t i = 0; i < m->n; i++) {
			ids[i] = m->m[i].id;
			versions[i] = m->m[i].version;
		}
		j->dat = dat_ui_export_ids(a, ids, versions, m->n, NULL);
	}
	if (j->dat == NULL)
		app_status(a, "%s", _("The export could not start: another "
		    "exchange is open, or the memory ran out"));
	free(ids);
	free(versions);
}

/* The checked applications the filter names (journal.list marks) to
 * *.DAT: dat_ui's dry run and confirmation, as for a marked set. */
static void
journal_export_filter_reply(struct app *a, struct screen *s,
    const struct hr_msg *reply, const struct hr_error *err)
{
	struct journal *j = (struct journal *)s;
	const msgpack_object *m = mp_get(&reply->result, "marks");
	struct jmarks set = { NULL, 0, 0 };
	int64_t count = -1, *ids = NULL, *versions = NULL;
	char text[400], *sum;
	int over = 0;
	long held;

	app_status(a, NULL);
	if (err->code != HR_OK) {
		app_message(a, _("Export by the filter"), app_error(err));
		return;
	}
	if (j->marks_gen != j->memo->rows.gen || j->dat != NULL)
		return;                  /* the filter changed meanwhile */
	held = m != NULL ? jmarks_take(&set, m, &count, &over) : -1;
	if (count == 0) {
		app_message(a, _("Nothing to export"), _("The filter shows no "
		    "checked applications."));
	} else if (count > HR_BATCH_MAX || over) {
		snprintf(text, sizeof text, _("The filter names %s%lld checked "
		    "applications; at most %d are exported by a filter at once. "
		    "Narrow the filter (F3), e.g. by front office or dates, or "
		    "clear it (F8) to export every checked application."),
		    over ? _("more than ") : "", (long long)count, HR_BATCH_MAX);
		app_message(a, _("Export by the filter"), text);
	} else if (held <= 0 || (ids = calloc((size_t)held, sizeof *ids)) ==
	    NULL || (versions = calloc((size_t)held, sizeof *versions)) ==
	    NULL) {
		app_status(a, "%s", _("The export could not start: the reply "
		    "was unreadable, or the memory ran out"));
	} else {
		for (size_t i = 0; i < set.n; i++) {
			ids[i] = set.m[i].id;
			versions[i] = set.m[i].version;
		}
		sum = jfilter_summary(&j->memo->filter);
		j->dat = dat_ui_export_ids(a, ids, versions, set.n, sum != NULL ?
		    sum : "");
		free(sum);
		if (j->dat == NULL)
			app_status(a, "%s", _("The export could not start: "
			    "another exchange is open, or the memory ran out"));
	}
	free(ids);
	free(versions);
	jmarks_free(&set);
	journal_set_fkeys(j, a);
}

/* Does the filter narrow the checked applications?  (The order by the
 * clock and the status «checked» do not.) */
static int
journal_filter_narrows(const struct journal_filter *f)
{
	return jfilter_nparams(f) > (uint32_t)(f->status == HR_ST_CHECKED) +
	    (uint32_t)(f->clock == JF_CLOCK_ORDER);
}

/*
 * F6 of the back office: the marked set when rows are marked; else every
 * checked application (dat_ui_export: pick the system) when the filter
 * narrows nothing; else the checked applications of the filter, named by
 * the server as for `*` — the filter's status must allow checked ones.
 */
static void
journal_export(struct journal *j, struct app *a)
{
	const struct journal_filter *f = &j->memo->filter;
	struct journal_filter ff;
	msgpack_packer *pk;

	if (j->memo->marks.n > 0) {
		journal_export_marked(j, a);
		return;
	}
	if (!journal_filter_narrows(f)) {
		j->dat = dat_ui_export(a, (long long)
		    j->memo->rows.counts[HR_ST_CHECKED]);
		return;
	}
	if ((f->status >= 0 && f->status != HR_ST_CHECKED) || f->unnotified) {
		app_message(a, _("Export by the filter"), _("Only checked "
		    "applications are exported, and the filter shows another "
		    "status. Choose \"Checked by back office\" in the filter "
		    "(F3), or clear the filter (F8) to export every checked "
		    "application."));
		return;
	}
	jfilter_init(&ff);
	if (jfilter_copy(&ff, f) < 0) {
		app_status(a, "%s", _("Out of memory"));
		return;
	}
	ff.status = HR_ST_CHECKED;
	pk = app_begin(a, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk, 1 + jfilter_nparams(&ff));
	jfilter_pack(&ff, pk);
	hr_pack_kv_bool(pk, "marks", 1);
	jfilter_clear(&ff);
	j->marks_gen = j->memo->rows.gen;
	if (app_send(a, journal_export_filter_reply) == 0)
		app_status(a, "%s", _("Counting the checked applications of "
		    "the filter..."));
}

/* The marking keys; 1 when k was one of them. */
static int
journal_mark_key(struct journal *j, struct app *a, const struct key *k)
{
	if (k->is_key || !batch_ui_role_may(app_session(a)->role))
		return 0;
	if (k->ch == L'*') {
		journal_mark_all(j, a);
		return 1;
	}
	/* Space and '-' belong to a search being typed (a double surname) */
	if (list_finding(&j->list))
		return 0;
	if (k->ch == L' ') {
		journal_mark_row(j, a);
		return 1;
	}
	if (k->ch == L'-') {
		if (j->memo->marks.n > 0)
			app_notice(a, _("Marks cleared: %zu"), j->memo->marks.n);
		jmarks_clear(&j->memo->marks);
		journal_set_fkeys(j, a);
		return 1;
	}
	return 0;
}

/* Statuses the user may filter by: those their role ever sees. */
static unsigned
journal_status_mask(struct app *a)
{
	return hr_workflow_visible_mask(app_session(a)->role);
}

/* The services picker's items, from the reference cache (none without it). */
static void
journal_services(struct journal *j, struct app *a)
{
	const struct refdata *rd = refdata_get(a);
	size_t n = rd ? rd->nsvc : 0;
	struct jf_item *it = calloc(n + 1, sizeof *it);

	for (size_t i = 0; it != NULL && i < n; i++) {
		it[i].key = strdup(rd->svc[i].code);
		it[i].name = strdup(rd->svc[i].name);
		if (it[i].key == NULL || it[i].name == NULL) {
			jf_lists_set_services(&j->memo->lists, it, i + 1);
			jf_lists_set_services(&j->memo->lists, NULL, 0);
			return;
		}
	}
	jf_lists_set_services(&j->memo->lists, it, n);
}

static void
journal_dialog_open(struct journal *j, struct app *a)
{
	journal_services(j, a);
	jf_dialog_free(j->dlg);
	j->dlg = jf_dialog_new(&j->memo->filter, &j->memo->lists,
	    journal_status_mask(a), j->dlg_focus_q);
	journal_set_fkeys(j, a);
	app_status_clear_if(a, _("Loading..."));
}

/* A reply the dialog waited for: open it when it was the last one. */
static void
journal_list_arrived(struct journal *j, struct app *a, const struct hr_msg *reply)
{
	if (j->lists_wanted > 0 && --j->lists_wanted == 0 && reply != NULL)
		journal_dialog_open(j, a);
}

/* reference.get went through the cache (refdata.c); failure: no services. */
static void
journal_services_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	(void)err;
	journal_list_arrived((struct journal *)s, a, reply);
}

/* The front offices arrived (or failed: the picker offers "all" only). */
static void
journal_offices_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct journal *j = (struct journal *)s;

	if (reply != NULL && err->code == HR_OK && !j->memo->lists.have_offices)
		jf_lists_read_offices(&j->memo->lists, &reply->result);
	if (reply != NULL)
		j->memo->lists.have_offices = 1;
	journal_list_arrived(j, a, reply);
}

/* F3 or "/": the dialog, once the pickers' lists are here. */
static void
journal_filter_start(struct journal *j, struct app *a, int focus_q)
{
	msgpack_packer *pk;

	if (j->lists_wanted > 0)
		return;
	j->dlg_focus_q = focus_q;
	if (!j->memo->lists.have_offices && refdata_offices_result() != NULL)
		(void)jf_lists_read_offices(&j->memo->lists, refdata_offices_result());
	if (refdata_get(a) == NULL && refdata_fetch(a, journal_services_reply) == 0)
		j->lists_wanted++;
	if (!j->memo->lists.have_offices) {
		pk = app_begin(a, HR_M_TERRITORY_FRONT_OFFICES);
		msgpack_pack_map(pk, 0);
		if (app_send(a, journal_offices_reply) == 0)
			j->lists_wanted++;
	}
	if (j->lists_wanted == 0)
		journal_dialog_open(j, a);
	else
		app_status(a, "%s", _("Loading..."));
}

static void
journal_dialog_key(struct journal *j, struct app *a, const struct key *k)
{
	int r = jf_dialog_key(j->dlg, k);

	if (r == JF_OPEN)
		return;
	if (r == JF_APPLY)
		jf_dialog_take(j->dlg, &j->memo->filter);
	jf_dialog_free(j->dlg);
	j->dlg = NULL;
	journal_set_fkeys(j, a);
	if (r == JF_APPLY)
		journal_refresh(j, a);
}

/* ---- screen ---- */

/* A row's cell: codes and ids turned into what people read, fitted to
 * the columns of journal_cols.c. */
static const char *
journal_cell(void *ud, size_t row, size_t col, char *buf, size_t n)
{
	struct journal *j = ud;
	const struct refdata *rd = refdata_get(j->app);
	const struct ref_office *fo;
	const struct jrow *r;
	const char *svc;
	char place[256];
	int w = col < j->cols.n ? j->cols.lc[col].width : 0;

	if (row >= j->memo->rows.n)
		return "";
	r = &j->memo->rows.row[row];
	switch (col) {
	case JC_REG_NO:
		return r->reg_no ? r->reg_no : "";
	case JC_DATE:
		return jcols_date(r->created_at, j->cols.long_date, buf, n);
	case JC_STATUS:
		return jcols_status(r->status, r->decision, r->has_amount,
		    r->amount, w, buf, n);
	case JC_CLOCK:
		return clock_mark_cell(r->has_clock, r->clock_left,
		    r->clock_state, buf, n);
	case JC_APPLICANT:
		return jcols_name(r->applicant, w, buf, n);
	case JC_SERVICE:
		svc = refdata_service_name(rd, r->service);
		return text_width(svc) <= w ? svc :
		    refdata_service_short(rd, r->service);
	case JC_PLACE:
		if ((fo = refdata_office(rd, r->front_office)) == NULL) {
			snprintf(buf, n, "#%lld", (long long)r->front_office);
			return buf;
		}
		jcols_place(j->cols.place == JP_HROMADA ? fo->hromada :
		    fo->name, place, sizeof place);
		return text_trunc(place, w, buf, n);
	}
	return "";
}

/* The clock's cell is marked (bold; bold reverse when late; colour). */
static attr_t
journal_cell_attr(void *ud, size_t row, size_t col)
{
	struct journal *j = ud;
	const struct jrow *r;

	if (col != JC_CLOCK || row >= j->memo->rows.n)
		return 0;
	r = &j->memo->rows.row[row];
	return r->has_clock ? clock_mark_attr(r->clock_state) : 0;
}

/* Lay the columns out for the rows held: a place column only when they
 * name several hromadas (or front offices). */
static void
journal_layout(struct journal *j, int width)
{
	const struct refdata *rd = refdata_get(j->app);
	const struct jrows *rows = &j->memo->rows;
	const struct ref_office *first = NULL, *fo;
	int offices = rows->n > 0, hromadas = rows->n > 0, pw_o = 0, pw_h = 0;
	char buf[256];

	for (size_t i = 0; i < rows->n; i++) {
		if ((fo = refdata_office(rd, rows->row[i].front_office)) == NULL)
			continue;
		if (first == NULL)
			first = fo;
		if (fo->id != first->id)
			offices = 2;
		if (fo->hromada && first->hromada &&
		    strcmp(fo->hromada, first->hromada) != 0)
			hromadas = 2;
		if (text_width(jcols_place(fo->name, buf, sizeof buf)) > pw_o)
			pw_o = text_width(buf);
		if (text_width(jcols_place(fo->hromada, buf, sizeof buf)) > pw_h)
			pw_h = text_width(buf);
	}
	jcols_layout(&j->cols, width, offices, hromadas, hromadas > 1 ? pw_h :
	    pw_o);
	j->list.cols = j->cols.lc;
	j->list.ncols = j->cols.n;
}

/* Under the list, the selected row in full: what the columns shorten. */
static void
journal_draw_detail(struct journal *j, WINDOW *w, int y, int width)
{
	const struct refdata *rd = refdata_get(j->app);
	const struct ref_office *fo;
	const struct jrow *r;
	char line[1024], cut[1024];
	size_t len;

	if (j->list.sel >= j->memo->rows.n) {
		text_put(w, y, 0, "", width, A_NORMAL, 1);
		return;
	}
	r = &j->memo->rows.row[j->list.sel];
	fo = refdata_office(rd, r->front_office);
	/* The deadline before the service's full name: at 80 columns a
	 * long name cut it to "прострочено на 13 р"; what does not fit is
	 * cut with "…". */
	len = (size_t)snprintf(line, sizeof line, " %s",
	    r->applicant ? r->applicant : "");
	if (r->has_clock && len < sizeof line) {
		char words[96];

		len += (size_t)snprintf(line + len, sizeof line - len, " · %s",
		    clock_mark_words(r->clock_left, r->clock_state, words,
		    sizeof words));
	}
	if (len < sizeof line)
		len += (size_t)snprintf(line + len, sizeof line - len, " · %s",
		    refdata_service_name(rd, r->service));
	if (fo != NULL && len < sizeof line)
		snprintf(line + len, sizeof line - len, " · %s%s%s", fo->name,
		    fo->hromada ? ", " : "", fo->hromada ? fo->hromada : "");
	text_put(w, y, 0, text_trunc(line, width, cut, sizeof cut), width,
	    A_DIM, 1);
}

static void
journal_open(struct journal *j, struct app *a)
{
	const struct jrows *r = &j->memo->rows;

	if (j->list.sel >= r->n)
		return;
	case_cache_cancel_prefetch(a, r->row[j->list.sel].id);
	app_open_case(a, r->row[j->list.sel].id);
}

static int
journal_fkey(struct journal *j, struct app *a, int n)
{
	int role = app_session(a)->role;

	switch (n) {
	case 2:
		if (batch_ui_role_may(role))
			journal_batch_open(j, a);
		return 1;
	case 3:
		journal_filter_start(j, a, 0);
		return 1;
	case 4:
		if (role >= 0 && (JOURNAL_INTAKE_ROLES & HR_ROLE_BIT(role))) {
			case_cache_cancel_prefetch(a, 0);   /* off to the form */
			app_open_form(a, 0);
		}
		return 1;
	case 5:
		journal_refresh(j, a);
		return 1;
	case 6:
	case 7:
		if (role == HR_ROLE_SPSZN && n == 6)
			journal_export(j, a);
		else if (role == HR_ROLE_SPSZN)
			j->dat = dat_ui_import(a);
		else if (n == 7)     /* «Звітність» of the user's scope */
			app_open_reports(a);
		return 1;
	case 8:
		jfilter_clear(&j->memo->filter);
		journal_refresh(j, a);
		return 1;
	case 9:                      /* transfer registers (issue 13) */
		app_open_registers(a);
		return 1;
	}
	return 0;
}

static int
journal_key(struct screen *s, struct app *a, const struct key *k)
{
	struct journal *j = (struct journal *)s;
	int n = fkeys_number(k);

	if (j->dlg != NULL) {
		journal_dialog_key(j, a, k);
		return 1;
	}
	if (j->dat != NULL) {
		if (!dat_ui_key(j->dat, a, k)) {
			dat_ui_free(j->dat);
			j->dat = NULL;
		}
		return 1;
	}
	if (j->batch != NULL) {
		int r = batch_ui_key(j->batch, a, k);

		if (r == 0 || r == BATCH_UI_EXPORT) {
			batch_ui_free(j->batch);
			j->batch = NULL;
			if (r == BATCH_UI_EXPORT)
				journal_export_marked(j, a);
			journal_set_fkeys(j, a);
		}
		return 1;
	}
	if (n != 0)
		return journal_fkey(j, a, n);
	if (journal_mark_key(j, a, k))
		return 1;
	if (!k->is_key && k->ch == CTRL_KEY('r'))
		return journal_fkey(j, a, 5);
	if (!k->is_key && k->ch == L'/') {
		journal_filter_start(j, a, 1);
		return 1;
	}
	if (key_is_enter(k)) {
		journal_open(j, a);
		return 1;
	}
	if (k->is_key && k->ch == KEY_NPAGE && journal_short(j)) {
		/* The page it turns to is not here yet: wait for it, then turn. */
		if (jrows_fetch(a, &j->memo->rows, &j->memo->filter,
		    journal_limit(j), 0) == 0) {
			j->turn_pending = 1;
			return 1;
		}
	}
	j->turn_pending = 0;
	if (!list_key(&j->list, k))
		return 0;
	journal_sync(j, 0);
	journal_moved(j, a);
	/* The cursor went past what is held: the user waits for the rest. */
	if (j->list.sel + 1 >= j->memo->rows.n && jrows_more(&j->memo->rows))
		(void)jrows_fetch(a, &j->memo->rows, &j->memo->filter,
		    journal_limit(j), 0);
	journal_prefetch(j, a);
	return 1;
}

/* The filter in one line: what is shown, or how to filter. */
static void
journal_draw_filter(struct journal *j, WINDOW *w, int y, int width)
{
	char *sum = jfilter_summary(&j->memo->filter);
	char line[1024];

	char marks[64] = "";
	int mw = 0;

	if (j->memo->marks.n > 0) {
		snprintf(marks, sizeof marks, _(" Marked: %zu "),
		    j->memo->marks.n);
		mw = text_width(marks);
	}
	if (sum != NULL && sum[0] != '\0')
		snprintf(line, sizeof line, "%s: %s", _("Filter"), sum);
	else
		snprintf(line, sizeof line, "%s", _("Filter: none (F3 or /)"));
	text_put(w, y, 1, line, width - 2 - mw, sum && sum[0] ? A_BOLD :
	    A_NORMAL, 0);
	if (mw > 0 && mw < width - 2)
		text_put(w, y, width - 1 - mw, marks, mw, A_BOLD | A_REVERSE, 0);
	free(sum);
}

/*
 * The title with the cabinet's news: decisions to tell (F3: that filter).
 * Said shorter, then the title cut, rather than left out: at 80 columns a
 * ЦНАП's name left no room for it, and the front office is the one that
 * tells the applicants.
 */
static void
journal_draw_news(struct journal *j, WINDOW *w, int y, int width,
    const char *title)
{
	char news[128], cut[512];
	int tw = text_width(title), nw;

	snprintf(news, sizeof news, _("Decisions not told: %lld"),
	    (long long)j->memo->rows.untold);
	if (tw + 2 + text_width(news) > width - 2)
		snprintf(news, sizeof news, _("Not told: %lld"),
		    (long long)j->memo->rows.untold);
	nw = text_width(news);
	if (nw + 4 > width - 2) {              /* a tiny window: the title */
		text_put(w, y, 1, title, width - 2, A_BOLD, 0);
		return;
	}
	if (tw + 2 + nw > width - 2)
		tw = text_width(text_trunc(title, width - 4 - nw, cut,
		    sizeof cut));
	else
		snprintf(cut, sizeof cut, "%s", title);
	text_put(w, y, 1, cut, tw, A_BOLD, 0);
	text_put(w, y, 3 + tw, news, nw, A_BOLD | A_REVERSE, 0);
}

static void
journal_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct journal *j = (struct journal *)s;
	const struct session *se = app_session(a);
	char title[512];
	int used, cy = -1, cx = -1;

	snprintf(title, sizeof title, "%s: %s (%s %lld)", _("Journal of applications"),
	    se->territory ? se->territory : "", _("total"),
	    (long long)j->memo->rows.total);
	if (j->memo->rows.untold > 0)
		journal_draw_news(j, w, y, width, title);
	else
		text_put(w, y, 1, title, width - 2, A_BOLD, 0);
	status_counts_draw(w, y + 1, width, j->memo->rows.counts, 0);
	/* the cabinet's late cases, marked when there are any */
	used = 1 + status_counts_draw_extra(w, y + 1, width, _("Late cases"),
	    j->memo->rows.late, j->memo->rows.late > 0 ?
	    clock_mark_attr(CLOCK_RED) : A_NORMAL);
	journal_draw_filter(j, w, y + used, width);
	used++;
	list_set_rows(&j->list, j->memo->rows.n);
	journal_layout(j, width);
	if (j->memo->rows.loaded && j->memo->rows.n == 0) {
		text_center(w, y + used + (h - used) / 2, 0, width, _("No applications"), A_BOLD);
	} else {
		list_draw(&j->list, w, y + used, 0, h - used - 1, width);
		journal_draw_detail(j, w, y + h - 1, width);
	}
	if (j->batch != NULL)
		batch_ui_draw(j->batch, a, w, &cy, &cx);
	else if (j->dat != NULL)
		dat_ui_draw(j->dat, w, &cy, &cx);
	else if (j->dlg != NULL)
		jf_dialog_draw(j->dlg, w, &cy, &cx);
	if (cy >= 0)
		app_cursor(a, cy, cx);
}

static void
journal_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	struct journal *j = (struct journal *)s;

	(void)err;
	if (j->dat != NULL && dat_ui_finished(j->dat)) {
		dat_ui_free(j->dat);   /* a reply ended the exchange's modal */
		j->dat = NULL;
	}
	if (ev == APP_EV_SHOWN) {
		j->memo = journal_memo(app_session(a)->user);
		journal_set_fkeys(j, a);
	}
	if (ev == APP_EV_SHOWN || ev == APP_EV_RESUMED) {
		j->lists_wanted = 0;
		journal_show(j, a);
		journal_moved(j, a);
	}
	if (ev == APP_EV_TIMER) {
		j->rested = 1;
		journal_check(j, a);
	}
	if (ev == APP_EV_DATA) {
		journal_sync(j, 1);
		journal_check(j, a);
		if (j->turn_pending && j->memo->rows.msgid == 0) {
			static const struct key pgdn = { 1, KEY_NPAGE };
			j->turn_pending = 0;
			list_key(&j->list, &pgdn);
			journal_sync(j, 0);
		}
	}
	journal_prefetch(j, a);
}

static void
journal_free(struct screen *s)
{
	struct journal *j = (struct journal *)s;

	jf_dialog_free(j->dlg);
	dat_ui_free(j->dat);
	batch_ui_free(j->batch);
	free(j);
}

static const struct screen_ops journal_ops = {
	.draw = journal_draw,
	.key = journal_key,
	.event = journal_event,
	.free = journal_free,
	.fkeys = journal_fkeys,
	.nfkeys = sizeof journal_fkeys / sizeof journal_fkeys[0],
	.help_topic = HELP_JOURNAL,
};

struct screen *
screen_journal_new(struct app *a)
{
	struct journal *j = calloc(1, sizeof *j);

	if (j == NULL)
		return NULL;
	j->ops = journal_ops;
	j->base.ops = &j->ops;
	j->app = a;
	j->memo = journal_memo(app_session(a)->user);
	jcols_layout(&j->cols, getmaxx(stdscr), 1, 1, 0);
	list_init(&j->list, j->cols.lc, j->cols.n, journal_cell, j);
	j->list.cell_attr = journal_cell_attr;
	/* Typing finds an applicant by surname or an application by number
	 * (the applicant's cell is cut to the column: type-to-find reads the
	 * cells, so the surname is always whole). */
	list_set_find(&j->list, 1u << JC_REG_NO | 1u << JC_APPLICANT);
	list_set_marked(&j->list, journal_marked);
	return &j->base;
}
