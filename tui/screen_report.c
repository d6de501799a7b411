/*
 * screen_report.c — the cabinet of the oblast and ministry roles
 * (report.summary): counts of applications per hromada and status, no
 * personal data.  The legend above the list carries the full status labels,
 * numbered, with the totals; the list's columns use those numbers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/method_names.h"
#include "proto/roles.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/screens.h"
#include "tui/status_counts.h"
#include "tui/table.h"
#include "tui/text.h"

#define R_NCOLS (2 + HR_ST__COUNT)     /* name, total, one per status */

struct report {
	struct screen base;
	struct list   list;
	struct table  rows;
	struct list_col cols[R_NCOLS];
	char          numtitle[HR_ST__COUNT][4];
	int64_t       totals[HR_ST__COUNT];
	int           loaded;
};

static const struct fkey report_fkeys[] = {
	{ 1, N_("Help") }, { 5, N_("Refresh") }, { 7, N_("Reports") },
	{ 10, N_("Quit") },
};

static char *
report_num(int64_t n)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)n);
	return strdup(buf);
}

/* counts {status: n} into c[]; returns the sum. */
static int64_t
report_counts(const msgpack_object *m, int64_t c[HR_ST__COUNT])
{
	char name[64];
	int64_t sum = 0;

	memset(c, 0, HR_ST__COUNT * sizeof c[0]);
	for (uint32_t i = 0; m && m->type == MSGPACK_OBJECT_MAP && i < m->via.map.size; i++) {
		int st = hr_status_from_name(mp_key(m, i, name, sizeof name));
		if (st < 0)
			continue;
		c[st] = mp_int(&m->via.map.ptr[i].val, 0);
		sum += c[st];
	}
	return sum;
}

static void
report_add(struct report *r, const msgpack_object *h)
{
	char *row[R_NCOLS];
	int64_t c[HR_ST__COUNT], sum = report_counts(mp_get(h, "counts"), c);

	row[0] = mp_strdup(mp_get(h, "name"));
	row[1] = report_num(sum);
	for (int st = 0; st < HR_ST__COUNT; st++)
		row[2 + st] = report_num(c[st]);
	table_add(&r->rows, row);
}

static void
report_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct report *r = (struct report *)s;
	const msgpack_object *hs;

	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_status(a, "%s", app_error(err));
		return;
	}
	table_clear(&r->rows);
	hs = mp_get(&reply->result, "hromadas");
	for (uint32_t i = 0; hs && hs->type == MSGPACK_OBJECT_ARRAY && i < hs->via.array.size; i++)
		report_add(r, &hs->via.array.ptr[i]);
	report_counts(mp_get(&reply->result, "totals"), r->totals);
	r->loaded = 1;
	list_set_rows(&r->list, r->rows.nrows);
	app_status_clear_if(a, _("Loading..."));
}

static void
report_refresh(struct report *r, struct app *a)
{
	msgpack_packer *pk = app_begin(a, HR_M_REPORT_SUMMARY);

	msgpack_pack_map(pk, 0);
	if (app_send(a, report_reply) == 0)
		app_status(a, "%s", _("Loading..."));
}

static void
report_detail(struct report *r, struct app *a)
{
	char text[2048];
	size_t n = 0, row = r->list.sel;

	if (row >= r->rows.nrows)
		return;
	for (int st = 0; st < HR_ST__COUNT && n < sizeof text; st++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s: %s\n",
		    hr_status_label(st), table_get(&r->rows, row, 2 + (size_t)st));
	if (n < sizeof text)
		snprintf(text + n, sizeof text - n, "%s: %s", _("Total"),
		    table_get(&r->rows, row, 1));
	app_message(a, table_get(&r->rows, row, 0), text);
}

static int
report_key(struct screen *s, struct app *a, const struct key *k)
{
	struct report *r = (struct report *)s;
	int ch = (int)k->ch;

	if (k->is_key && ch == KEY_F(7)) {       /* «Звітність» (issue 16) */
		app_open_reports(a);
		return 1;
	}
	if ((k->is_key && ch == KEY_F(5)) || (!k->is_key && ch == CTRL_KEY('r'))) {
		report_refresh(r, a);
		return 1;
	}
	if ((!k->is_key && (ch == '\r' || ch == '\n')) || (k->is_key && ch == KEY_ENTER)) {
		report_detail(r, a);
		return 1;
	}
	return list_key(&r->list, k);
}

static void
report_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h, int width)
{
	struct report *r = (struct report *)s;
	const struct session *se = app_session(a);
	char buf[256];
	int rows;

	snprintf(buf, sizeof buf, "%s: %s", _("Applications by hromada"),
	    se->territory ? se->territory : "");
	text_put(w, y, 1, buf, width - 2, A_BOLD, 0);
	rows = status_counts_draw(w, y + 1, width, r->totals, 1);
	if (r->loaded && r->rows.nrows == 0) {
		text_center(w, y + rows + 3, 0, width, _("No applications"), A_BOLD);
		return;
	}
	list_draw(&r->list, w, y + rows + 2, 0, h - rows - 2, width);
}

static void
report_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	if (ev == APP_EV_SHOWN || ev == APP_EV_RESUMED)
		report_refresh((struct report *)s, a);
}

static void
report_free(struct screen *s)
{
	struct report *r = (struct report *)s;

	table_free(&r->rows);
	free(r);
}

static const struct screen_ops report_ops = {
	.draw = report_draw,
	.key = report_key,
	.event = report_event,
	.free = report_free,
	.fkeys = report_fkeys,
	.nfkeys = sizeof report_fkeys / sizeof report_fkeys[0],
	.help_topic = HELP_REPORT,
};

struct screen *
screen_report_new(struct app *a)
{
	struct report *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->base.ops = &report_ops;
	r->cols[0] = (struct list_col){ _("Hromada"), 0 };
	r->cols[1] = (struct list_col){ _("Total"), 6 };
	for (int st = 0; st < HR_ST__COUNT; st++) {
		snprintf(r->numtitle[st], sizeof r->numtitle[st], "%d", st + 1);
		r->cols[2 + st] = (struct list_col){ r->numtitle[st], 4 };
	}
	table_init(&r->rows, R_NCOLS);
	list_init(&r->list, r->cols, R_NCOLS, table_cell, &r->rows);
	return &r->base;
}
