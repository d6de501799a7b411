/*
 * screen_journal.c — the journal of the user's cabinet (journal.list).
 *
 * A header with the count of applications per status, the filter in one
 * line, then the list of applications, newest first.  Pages of
 * JOURNAL_PAGE rows are fetched with the server's cursor (`before` = the
 * previous page's `next`) as the selection nears the end of what is
 * loaded.  Rows are copied out of the reply (its msgpack objects die with
 * it).
 *
 * Enter opens the case (screen_case.c), F3 or "/" the filter dialog
 * (journal_filter.c; the counters use the same filter), F8 clears the
 * filter, F4 starts a new application for the roles that take them; the
 * back office has F6 «Вивантажити» and F7 «Завантажити відповідь», the
 * *.DAT exchange (dat_ui.c).  The
 * filter and the application last opened live in the journal memo, so
 * the journal comes back the same after a case or the form.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/workflow.h"
#include "tui/dat_ui.h"
#include "tui/journal_filter.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/refdata.h"
#include "tui/screens.h"
#include "tui/status_counts.h"
#include "tui/text.h"

#define JOURNAL_PAGE 50

/* Roles that take applications in (F4 "New application"). */
#define JOURNAL_INTAKE_ROLES (HR_ROLES_FRONT | HR_ROLES_SUPER)

enum jcol { J_REG_NO, J_DATE, J_STATUS, J_SERVICE, J_APPLICANT, J_FRONT,
	J__COUNT };

struct jrow {
	char   *f[J__COUNT];
	int64_t id;
};

struct journal {
	struct screen       base;
	struct screen_ops   ops;         /* own copy: the key bar varies */
	struct list         list;
	struct jrow        *rows;
	size_t              nrows, cap;
	int64_t             next;        /* cursor of the next page; 0 = none */
	int                 loading, loaded;
	int64_t             counts[HR_ST__COUNT];
	int64_t             untold;           /* decisions the applicants
	                                         were not told of (cabinet) */
	int64_t             total;
	struct journal_memo *memo;       /* the session's filter and lists */
	struct jf_dialog   *dlg;         /* the filter dialog, when open */
	int                 lists_wanted;    /* replies awaited before the dialog */
	int                 dlg_focus_q;
	struct dat_ui      *dat;         /* the *.DAT exchange, when open */
};

static const struct list_col journal_cols_msgid[] = {
	{ N_("Reg. no"), 10 }, { N_("Date"), 10 }, { N_("Status"), 19 },
	{ N_("Service"), 0 }, { N_("Applicant"), 0 }, { N_("Front office"), 0 },
};
#define JOURNAL_NCOLS (sizeof journal_cols_msgid / sizeof journal_cols_msgid[0])

static struct list_col journal_cols[JOURNAL_NCOLS];

static const struct fkey journal_fkeys[] = {
	{ 1, N_("Help") }, { 3, N_("Filter") }, { 5, N_("Refresh") },
	{ 8, N_("Clear filter") }, { 9, N_("Registers") }, { 10, N_("Quit") },
};
static const struct fkey journal_fkeys_intake[] = {
	{ 1, N_("Help") }, { 3, N_("Filter") }, { 4, N_("New application") },
	{ 5, N_("Refresh") }, { 8, N_("Clear filter") }, { 9, N_("Registers") },
	{ 10, N_("Quit") },
};
static const struct fkey journal_fkeys_spszn[] = {
	{ 1, N_("Help") }, { 3, N_("Filter") }, { 5, N_("Refresh") },
	{ 6, N_("Export") }, { 7, N_("Import answer") },
	{ 8, N_("Clear filter") }, { 9, N_("Registers") }, { 10, N_("Quit") },
};

/* ---- rows ---- */

static void
journal_clear(struct journal *j)
{
	for (size_t i = 0; i < j->nrows; i++)
		for (int c = 0; c < J__COUNT; c++)
			free(j->rows[i].f[c]);
	j->nrows = 0;
	j->next = 0;
	list_set_rows(&j->list, 0);
}

/* Date for people: dd.mm.yyyy from unix time or an ISO string. */
static char *
journal_date(const msgpack_object *v)
{
	char buf[64], iso[64];
	int64_t t = mp_int(v, -1);

	if (v != NULL && v->type == MSGPACK_OBJECT_STR) {
		mp_text(v, iso, sizeof iso);
		if (strlen(iso) >= 10 && iso[4] == '-' && iso[7] == '-')
			snprintf(buf, sizeof buf, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
		else
			snprintf(buf, sizeof buf, "%s", iso);
		return strdup(buf);
	}
	if (t < 0)
		return strdup("");
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%d.%m.%Y", &tm);
	return strdup(buf);
}

static int
journal_add_row(struct journal *j, const msgpack_object *it)
{
	static const char *const keys[J__COUNT] = {
		[J_REG_NO] = "reg_no", [J_SERVICE] = "service_name",
		[J_APPLICANT] = "applicant", [J_FRONT] = "front_office",
	};
	struct jrow *r;
	char st[64];
	int status;

	if (j->nrows == j->cap) {
		size_t ncap = j->cap ? j->cap * 2 : 64;
		struct jrow *nr = realloc(j->rows, ncap * sizeof *nr);
		if (nr == NULL)
			return -1;
		j->rows = nr;
		j->cap = ncap;
	}
	r = &j->rows[j->nrows++];
	for (int c = 0; c < J__COUNT; c++)
		r->f[c] = keys[c] ? mp_strdup(mp_get(it, keys[c])) : NULL;
	status = hr_status_from_name(mp_text(mp_get(it, "status"), st, sizeof st));
	r->f[J_STATUS] = strdup(status >= 0 ? status_short_label(status) : st);
	r->f[J_DATE] = journal_date(mp_get(it, "created_at"));
	r->id = mp_int(mp_get(it, "id"), 0);
	return 0;
}

static void
journal_read_counts(struct journal *j, const msgpack_object *counts)
{
	char name[64];

	if (counts == NULL || counts->type != MSGPACK_OBJECT_MAP)
		return;
	memset(j->counts, 0, sizeof j->counts);
	j->total = 0;
	for (uint32_t i = 0; i < counts->via.map.size; i++) {
		int st = hr_status_from_name(mp_key(counts, i, name, sizeof name));
		int64_t n = mp_int(&counts->via.map.ptr[i].val, 0);
		if (st >= 0)
			j->counts[st] = n;
		j->total += n;
	}
}

/* ---- requests ---- */

/* Select the application opened last, when this page has it. */
static void
journal_reselect(struct journal *j)
{
	for (size_t i = 0; j->memo->opened_id != 0 && i < j->nrows; i++)
		if (j->rows[i].id == j->memo->opened_id) {
			j->list.sel = i;
			j->memo->opened_id = 0;
			return;
		}
}

static void
journal_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct journal *j = (struct journal *)s;
	const msgpack_object *items;

	j->loading = 0;
	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_status(a, "%s", app_error(err));
		return;
	}
	items = mp_get(&reply->result, "items");
	for (uint32_t i = 0; items && items->type == MSGPACK_OBJECT_ARRAY &&
	    i < items->via.array.size; i++)
		if (journal_add_row(j, &items->via.array.ptr[i]) != 0)
			break;
	j->next = mp_int(mp_get(&reply->result, "next"), 0);
	journal_read_counts(j, mp_get(&reply->result, "counts"));
	if (mp_get(&reply->result, "unnotified") != NULL)
		j->untold = mp_int(mp_get(&reply->result, "unnotified"), 0);
	j->loaded = 1;
	list_set_rows(&j->list, j->nrows);
	journal_reselect(j);
	app_status_clear_if(a, _("Loading..."));
}

static void
journal_fetch(struct journal *j, struct app *a, int64_t before)
{
	const struct journal_filter *f = &j->memo->filter;
	msgpack_packer *pk;

	if (j->loading)
		return;
	pk = app_begin(a, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk, (before ? 3 : 2) + jfilter_nparams(f));
	hr_pack_kv_int(pk, "limit", JOURNAL_PAGE);
	hr_pack_str(pk, "counts");
	msgpack_pack_true(pk);
	if (before)
		hr_pack_kv_int(pk, "before", before);
	jfilter_pack(f, pk);
	if (app_send(a, journal_reply) == 0) {
		j->loading = 1;
		app_status(a, "%s", _("Loading..."));
	}
}

static void
journal_refresh(struct journal *j, struct app *a)
{
	if (!app_online(a)) {
		app_status(a, "%s", _("No connection to the server; try again when it is back"));
		return;
	}
	journal_clear(j);
	j->loaded = 0;
	journal_fetch(j, a, 0);
}

/* ---- the filter dialog ---- */

static void
journal_set_fkeys(struct journal *j, struct app *a)
{
	int role = app_session(a)->role;

	if (j->dlg != NULL) {
		j->ops.fkeys = jf_dialog_fkeys;
		j->ops.nfkeys = jf_dialog_nfkeys;
	} else if (role >= 0 && (JOURNAL_INTAKE_ROLES & HR_ROLE_BIT(role))) {
		j->ops.fkeys = journal_fkeys_intake;
		j->ops.nfkeys = sizeof journal_fkeys_intake / sizeof journal_fkeys_intake[0];
	} else if (role == HR_ROLE_SPSZN) {
		j->ops.fkeys = journal_fkeys_spszn;
		j->ops.nfkeys = sizeof journal_fkeys_spszn / sizeof journal_fkeys_spszn[0];
	} else {
		j->ops.fkeys = journal_fkeys;
		j->ops.nfkeys = sizeof journal_fkeys / sizeof journal_fkeys[0];
	}
}

/* Statuses the user may filter by: those their role ever sees. */
static unsigned
journal_status_mask(struct app *a)
{
	unsigned m = 0;

	for (int st = 0; st < HR_ST__COUNT; st++)
		if (hr_workflow_visible(st, app_session(a)->role))
			m |= 1u << st;
	return m;
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

static const char *
journal_cell(void *ud, size_t row, size_t col, char *buf, size_t n)
{
	struct journal *j = ud;

	(void)buf;
	(void)n;
	return row < j->nrows && col < J__COUNT ? j->rows[row].f[col] : "";
}

static int
journal_is_enter(const struct key *k)
{
	return (!k->is_key && (k->ch == '\r' || k->ch == '\n')) ||
	    (k->is_key && k->ch == KEY_ENTER);
}

static void
journal_open(struct journal *j, struct app *a)
{
	if (j->list.sel >= j->nrows || j->rows[j->list.sel].id == 0)
		return;
	app_open_case(a, j->rows[j->list.sel].id);
}

static int
journal_fkey(struct journal *j, struct app *a, int n)
{
	int role = app_session(a)->role;

	switch (n) {
	case 3:
		journal_filter_start(j, a, 0);
		return 1;
	case 4:
		if (role >= 0 && (JOURNAL_INTAKE_ROLES & HR_ROLE_BIT(role)))
			app_open_form(a, 0);
		return 1;
	case 5:
		journal_refresh(j, a);
		return 1;
	case 6:
	case 7:
		if (role == HR_ROLE_SPSZN)
			j->dat = n == 6 ? dat_ui_export(a, (long long)
			    j->counts[HR_ST_CHECKED]) : dat_ui_import(a);
		return 1;
	case 8:
		jfilter_clear(&j->memo->filter);
		journal_refresh(j, a);
		return 1;
	case 9:                      /* transfer registers (issue 13) */
		app_set_screen(a, screen_registers_new(a));
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
	if (n != 0)
		return journal_fkey(j, a, n);
	if (!k->is_key && k->ch == CTRL_KEY('r'))
		return journal_fkey(j, a, 5);
	if (!k->is_key && k->ch == L'/') {
		journal_filter_start(j, a, 1);
		return 1;
	}
	if (journal_is_enter(k)) {
		journal_open(j, a);
		return 1;
	}
	if (!list_key(&j->list, k))
		return 0;
	if (j->next != 0 && j->list.sel + (size_t)j->list.page >= j->nrows)
		journal_fetch(j, a, j->next);
	return 1;
}

/* The filter in one line: what is shown, or how to filter. */
static void
journal_draw_filter(struct journal *j, WINDOW *w, int y, int width)
{
	char *sum = jfilter_summary(&j->memo->filter);
	char line[1024];

	if (sum != NULL && sum[0] != '\0')
		snprintf(line, sizeof line, "%s: %s", _("Filter"), sum);
	else
		snprintf(line, sizeof line, "%s", _("Filter: none (F3 or /)"));
	text_put(w, y, 1, line, width - 2, sum && sum[0] ? A_BOLD : A_NORMAL, 0);
	free(sum);
}

static void
journal_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct journal *j = (struct journal *)s;
	const struct session *se = app_session(a);
	char title[512];
	int used, cy = -1, cx = -1;

	snprintf(title, sizeof title, "%s: %s (%s %lld)", _("Journal of applications"),
	    se->territory ? se->territory : "", _("total"), (long long)j->total);
	text_put(w, y, 1, title, width - 2, A_BOLD, 0);
	if (j->untold > 0) {
		/* the cabinet's news: decisions to tell (F3: that filter) */
		char news[128];
		int tw = text_width(title) + 2;
		snprintf(news, sizeof news, _("Decisions not told: %lld"),
		    (long long)j->untold);
		if (tw + text_width(news) < width - 1)
			text_put(w, y, 1 + tw, news, width - 1 - tw,
			    A_BOLD | A_REVERSE, 0);
	}
	used = 1 + status_counts_draw(w, y + 1, width, j->counts, 0);
	journal_draw_filter(j, w, y + used, width);
	used++;
	if (j->loaded && j->nrows == 0)
		text_center(w, y + used + (h - used) / 2, 0, width, _("No applications"), A_BOLD);
	else
		list_draw(&j->list, w, y + used, 0, h - used, width);
	if (j->dat != NULL)
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
	if (ev == APP_EV_SHOWN) {
		j->memo = journal_memo(app_session(a)->user);
		journal_set_fkeys(j, a);
	}
	if (ev == APP_EV_SHOWN || ev == APP_EV_RESUMED) {
		j->loading = 0;
		j->lists_wanted = 0;
		journal_refresh(j, a);
	}
}

static void
journal_free(struct screen *s)
{
	struct journal *j = (struct journal *)s;

	journal_clear(j);
	jf_dialog_free(j->dlg);
	dat_ui_free(j->dat);
	free(j->rows);
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
	j->memo = journal_memo(app_session(a)->user);
	for (size_t c = 0; c < JOURNAL_NCOLS; c++) {
		journal_cols[c].title = _(journal_cols_msgid[c].title);
		journal_cols[c].width = journal_cols_msgid[c].width;
	}
	list_init(&j->list, journal_cols, JOURNAL_NCOLS, journal_cell, j);
	/* Typing finds an applicant by surname or an application by number. */
	list_set_find(&j->list, 1u << J_REG_NO | 1u << J_APPLICANT);
	return &j->base;
}
