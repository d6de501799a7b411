/*
 * person_search.c — the person search dialog (see person_search.h).
 *
 * Debounce: every edit re-arms the screen's timer; when it fires the query
 * is sent unless it is what was sent last.  While a search is out, a newer
 * query waits for its reply and goes right after it, so a slow link sees
 * one request per pause, not one per key.
 */
#include "config.h"

#include "tui/person_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/app_fields.h"
#include "proto/fold.h"
#include "proto/method_names.h"
#include "proto/rpc.h"
#include "tui/field.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/table.h"
#include "tui/text.h"

/* person.search's keys, a person's fields (proto/app_fields.h). */
#define K_PERSON(f) HR_KEY(hr_person_fields, HR_PF_##f)

#define PS_LIMIT 20
#define PS_Q_MAX 64

enum { C_NAME, C_BIRTH, C_PLACE, C__COUNT };

struct person_search {
	struct field    q;
	struct list     list;
	struct table    rows;
	struct list_col cols[C__COUNT];
	int64_t        *ids;
	char           *sent;          /* the query out or last answered */
	int             inflight;
	int             more;
	int             answered;
	app_reply_fn   *reply;
};

struct person_search *
person_search_new(struct app *a, app_reply_fn *reply, const char *initial)
{
	struct person_search *ps = calloc(1, sizeof *ps);

	if (ps == NULL)
		return NULL;
	if (field_init(&ps->q, PS_Q_MAX, 0) != 0) {
		free(ps);
		return NULL;
	}
	ps->reply = reply;
	ps->cols[C_NAME] = (struct list_col){ _("Surname, name, patronymic"), 0 };
	ps->cols[C_BIRTH] = (struct list_col){ _("Born"), 10 };
	ps->cols[C_PLACE] = (struct list_col){ _("Settlement"), 0 };
	table_init(&ps->rows, C__COUNT);
	list_init(&ps->list, ps->cols, C__COUNT, table_cell, &ps->rows);
	if (initial != NULL && *initial != '\0') {
		field_set(&ps->q, initial);
		app_timer(a, 0);
	}
	return ps;
}

void
person_search_free(struct person_search *ps)
{
	if (ps == NULL)
		return;
	field_free(&ps->q);
	table_free(&ps->rows);
	free(ps->ids);
	free(ps->sent);
	free(ps);
}

/* Is the query worth a round trip? */
static int
ps_ready(const char *q)
{
	char folded[PS_Q_MAX * 4 + 1];

	switch (hr_query_kind(q, strlen(q))) {
	case HR_QUERY_EMPTY:
		return 0;
	case HR_QUERY_RNOKPP:
		return 1;
	default:
		return hr_fold_into(q, strlen(q), folded, sizeof folded) >= 2;
	}
}

static void
ps_send(struct person_search *ps, struct app *a, char *q)
{
	msgpack_packer *pk = app_begin(a, HR_M_PERSON_SEARCH);

	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "q", q);
	hr_pack_kv_int(pk, "limit", PS_LIMIT);
	if (app_send(a, ps->reply) != 0) {
		free(q);
		return;
	}
	free(ps->sent);
	ps->sent = q;
	ps->inflight = 1;
}

void
person_search_timer(struct person_search *ps, struct app *a)
{
	char *q = field_text(&ps->q);

	if (q == NULL)
		return;
	if (ps->inflight || !ps_ready(q) ||
	    (ps->sent != NULL && strcmp(q, ps->sent) == 0)) {
		free(q);
		return;
	}
	ps_send(ps, a, q);
}

/* "YYYY-MM-DD" shown as "DD.MM.YYYY" (anything else as it is). */
static char *
ps_date(const msgpack_object *v)
{
	char iso[32], out[32];

	mp_text(v, iso, sizeof iso);
	if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-')
		snprintf(out, sizeof out, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, sizeof out, "%s", iso);
	return strdup(out);
}

static void
ps_add(struct person_search *ps, const msgpack_object *it, size_t i)
{
	char sur[128], nm[128], pat[128], name[400];
	char *row[C__COUNT];

	snprintf(name, sizeof name, "%s %s %s",
	    mp_text(mp_get(it, K_PERSON(SURNAME)), sur, sizeof sur),
	    mp_text(mp_get(it, K_PERSON(NAME)), nm, sizeof nm),
	    mp_text(mp_get(it, K_PERSON(PATRONYMIC)), pat, sizeof pat));
	row[C_NAME] = strdup(name);
	row[C_BIRTH] = ps_date(mp_get(it, K_PERSON(BIRTH)));
	/* The list says only what picks the right person (PROTOCOL.md
	 * person.search); the form takes the rest with person.get. */
	row[C_PLACE] = mp_strdup(mp_get(it, "settlement"));
	if (table_add(&ps->rows, row) == 0)
		ps->ids[ps->rows.nrows - 1] =
		    mp_int(mp_get(it, K_PERSON(ID)), 0);
	(void)i;
}

void
person_search_reply(struct person_search *ps, struct app *a,
    const struct hr_msg *reply, const struct hr_error *err)
{
	const msgpack_object *items;
	size_t n;

	ps->inflight = 0;
	if (reply == NULL || err->code != HR_OK) {
		app_status(a, "%s", reply == NULL ?
		    app_error_text(HR_E_DISCONNECTED) : app_error(err));
		return;
	}
	table_clear(&ps->rows);
	items = mp_get(&reply->result, "items");
	n = items && items->type == MSGPACK_OBJECT_ARRAY ? items->via.array.size : 0;
	free(ps->ids);
	ps->ids = calloc(n ? n : 1, sizeof *ps->ids);
	for (size_t i = 0; ps->ids != NULL && i < n; i++)
		ps_add(ps, &items->via.array.ptr[i], i);
	ps->more = mp_bool(mp_get(&reply->result, "more"), 0);
	ps->answered = 1;
	ps->list.sel = ps->list.top = 0;
	list_set_rows(&ps->list, ps->rows.nrows);
	person_search_timer(ps, a);          /* typed on meanwhile? */
}

int
person_search_key(struct person_search *ps, struct app *a,
    const struct key *k, int64_t *id)
{
	int ch = (int)k->ch;

	if (!k->is_key && ch == 27)
		return PS_CANCEL;
	if ((!k->is_key && (ch == '\r' || ch == '\n')) || (k->is_key && ch == KEY_ENTER)) {
		if (ps->rows.nrows == 0 || ps->list.sel >= ps->rows.nrows)
			return PS_OPEN;
		*id = ps->ids[ps->list.sel];
		return PS_PICKED;
	}
	if (list_key(&ps->list, k))
		return PS_OPEN;
	if (field_key(&ps->q, k))
		app_timer(a, PS_DEBOUNCE_MS);
	return PS_OPEN;
}

const char *
person_search_query(const struct person_search *ps)
{
	return ps->sent;
}

void
person_search_draw(struct person_search *ps, struct app *a, WINDOW *w,
    int y, int h, int width)
{
	const char *label = _("Find a person (RNOKPP, document or surname):");
	char info[256];
	int lw = text_width(label) + 2, cx;

	text_put(w, y, 1, label, width - 2, A_BOLD, 0);
	if (lw > width / 2) {            /* a narrow screen: the field below */
		cx = field_draw(&ps->q, w, y + 1, 1, width - 2, 1);
		app_cursor(a, y + 1, cx);
		y++;
		h--;
	} else {
		cx = field_draw(&ps->q, w, y, lw, width - lw - 1, 1);
		app_cursor(a, y, cx);
	}
	if (ps->inflight)
		snprintf(info, sizeof info, "%s", _("Searching..."));
	else if (!ps->answered)
		snprintf(info, sizeof info, "%s", _("Type at least 2 letters; Enter takes the person, Esc goes back"));
	else if (ps->rows.nrows == 0)
		snprintf(info, sizeof info, "%s", _("Nobody found"));
	else
		snprintf(info, sizeof info, _("Found: %zu%s. Enter takes the person, Esc goes back"),
		    ps->rows.nrows, ps->more ? "+" : "");
	text_put(w, y + 1, 1, info, width - 2, A_NORMAL, 0);
	list_draw(&ps->list, w, y + 3, 0, h - 3, width);
}
