/*
 * screen_journal.c — the journal of the user's cabinet (journal.list).
 *
 * A header with the count of applications per status, then the list of
 * applications, newest first.  Pages of JOURNAL_PAGE rows are fetched with
 * the server's cursor (`before` = the previous page's `next`) as the
 * selection nears the end of what is loaded.  Enter shows the row's fields.
 * Rows are copied out of the reply (its msgpack objects die with it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proto/methods.h"
#include "proto/roles.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/screens.h"
#include "tui/status_counts.h"
#include "tui/text.h"

#define JOURNAL_PAGE 50

enum jcol { J_REG_NO, J_DATE, J_STATUS, J_SERVICE, J_APPLICANT, J_FRONT,
	J_RNOKPP, J_UPDATED, J_STATUS_FULL, J__COUNT };

struct jrow {
	char *f[J__COUNT];
	int   package_full;
};

struct journal {
	struct screen base;
	struct list   list;
	struct jrow  *rows;
	size_t        nrows, cap;
	int64_t       next;            /* cursor of the next page; 0 = none */
	int           loading, loaded;
	int64_t       counts[HR_ST__COUNT];
	int64_t       total;
};

static const struct list_col journal_cols_msgid[] = {
	{ N_("Reg. no"), 9 }, { N_("Date"), 10 }, { N_("Status"), 19 },
	{ N_("Service"), 0 }, { N_("Applicant"), 0 }, { N_("Front office"), 0 },
};
#define JOURNAL_NCOLS (sizeof journal_cols_msgid / sizeof journal_cols_msgid[0])

static struct list_col journal_cols[JOURNAL_NCOLS];

static const struct fkey journal_fkeys[] = {
	{ 1, N_("Help") }, { 5, N_("Refresh") }, { 10, N_("Quit") },
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
		[J_RNOKPP] = "rnokpp",
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
	r->f[J_STATUS_FULL] = strdup(app_status_label(st));
	r->f[J_DATE] = journal_date(mp_get(it, "created_at"));
	r->f[J_UPDATED] = journal_date(mp_get(it, "updated_at"));
	r->package_full = (int)mp_int(mp_get(it, "package_full"), 0);
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
		app_status(a, "%s", app_error_text(err->code));
		return;
	}
	items = mp_get(&reply->result, "items");
	for (uint32_t i = 0; items && items->type == MSGPACK_OBJECT_ARRAY &&
	    i < items->via.array.size; i++)
		if (journal_add_row(j, &items->via.array.ptr[i]) != 0)
			break;
	j->next = mp_int(mp_get(&reply->result, "next"), 0);
	journal_read_counts(j, mp_get(&reply->result, "counts"));
	j->loaded = 1;
	list_set_rows(&j->list, j->nrows);
	app_status_clear_if(a, _("Loading..."));
}

static void
journal_fetch(struct journal *j, struct app *a, int64_t before)
{
	msgpack_packer *pk;

	if (j->loading)
		return;
	pk = app_begin(a, HR_M_JOURNAL_LIST);
	msgpack_pack_map(pk, before ? 3 : 2);
	hr_pack_kv_int(pk, "limit", JOURNAL_PAGE);
	hr_pack_str(pk, "counts");
	msgpack_pack_true(pk);
	if (before)
		hr_pack_kv_int(pk, "before", before);
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

/* ---- the detail dialog ---- */

static void
journal_detail(struct journal *j, struct app *a)
{
	const struct jrow *r;
	char text[2048];

	if (j->list.sel >= j->nrows)
		return;
	r = &j->rows[j->list.sel];
	snprintf(text, sizeof text,
	    "%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s",
	    _("Reg. no"), r->f[J_REG_NO] && r->f[J_REG_NO][0] ? r->f[J_REG_NO] : "-",
	    _("Created"), r->f[J_DATE], _("Updated"), r->f[J_UPDATED],
	    _("Status"), r->f[J_STATUS_FULL], _("Service"), r->f[J_SERVICE],
	    _("Applicant"), r->f[J_APPLICANT],
	    _("RNOKPP"), r->f[J_RNOKPP] && r->f[J_RNOKPP][0] ? r->f[J_RNOKPP] : "-",
	    _("Front office"), r->f[J_FRONT],
	    _("Documents"), r->package_full ? _("full package") : _("partial package"));
	app_message(a, _("Application"), text);
}

/* ---- screen ---- */

static const char *
journal_cell(void *ud, size_t row, size_t col, char *buf, size_t n)
{
	struct journal *j = ud;
	static const enum jcol map[JOURNAL_NCOLS] = {
		J_REG_NO, J_DATE, J_STATUS, J_SERVICE, J_APPLICANT, J_FRONT,
	};

	return row < j->nrows ? j->rows[row].f[map[col]] : "";
}

static int
journal_key(struct screen *s, struct app *a, const struct key *k)
{
	struct journal *j = (struct journal *)s;
	int ch = (int)k->ch;

	if ((k->is_key && ch == KEY_F(5)) || (!k->is_key && ch == CTRL_KEY('r'))) {
		journal_refresh(j, a);
		return 1;
	}
	if ((!k->is_key && (ch == '\r' || ch == '\n')) || (k->is_key && ch == KEY_ENTER)) {
		journal_detail(j, a);
		return 1;
	}
	if (!list_key(&j->list, k))
		return 0;
	if (j->next != 0 && j->list.sel + (size_t)j->list.page >= j->nrows)
		journal_fetch(j, a, j->next);
	return 1;
}

static void
journal_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct journal *j = (struct journal *)s;
	const struct session *se = app_session(a);
	char title[512];
	int used;

	snprintf(title, sizeof title, "%s: %s (%s %lld)", _("Journal of applications"),
	    se->territory ? se->territory : "", _("total"), (long long)j->total);
	text_put(w, y, 1, title, width - 2, A_BOLD, 0);
	used = 1 + status_counts_draw(w, y + 1, width, j->counts, 0);
	if (j->loaded && j->nrows == 0) {
		text_center(w, y + used + (h - used) / 2, 0, width, _("No applications"), A_BOLD);
		return;
	}
	list_draw(&j->list, w, y + used + 1, 0, h - used - 1, width);
}

static void
journal_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	struct journal *j = (struct journal *)s;

	if (ev == APP_EV_SHOWN || ev == APP_EV_RESUMED) {
		j->loading = 0;
		journal_refresh(j, a);
	}
}

static void
journal_free(struct screen *s)
{
	struct journal *j = (struct journal *)s;

	journal_clear(j);
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
};

struct screen *
screen_journal_new(struct app *a)
{
	struct journal *j = calloc(1, sizeof *j);

	if (j == NULL)
		return NULL;
	j->base.ops = &journal_ops;
	for (size_t c = 0; c < JOURNAL_NCOLS; c++) {
		journal_cols[c].title = _(journal_cols_msgid[c].title);
		journal_cols[c].width = journal_cols_msgid[c].width;
	}
	list_init(&j->list, journal_cols, JOURNAL_NCOLS, journal_cell, j);
	return &j->base;
}
