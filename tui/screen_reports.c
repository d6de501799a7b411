/*
 * screen_reports.c — «Звітність»: the report of a territory over a period
 * (report.get) and, for the oblast and ministry, the monitoring of who
 * uses the system (report.monitor).  Keyboard only, 80×24 and up.
 *
 * The top lines sum the territory up (what was formed, sent, accepted,
 * returned, decided, the times per stage, the months as a column chart of
 * Unicode blocks, or ASCII on a terminal without them); the list below is
 * its children with the same counters.  Enter goes down into a child,
 * Backspace up, Left/Right move the period by a month, F4 changes its
 * length, Tab switches to monitoring (oblast, ministry) or to the clerks
 * who sent the territory's cases up (the roles that work with cases; the
 * others never see a person).  F6 switches to deadline compliance (issue
 * 17, report.get `deadlines`): per stage, the clocks closed in the period
 * on time or late with the share on time as a bar, and the open ones late
 * now; the list is the offices that answer for a stage, the worst first —
 * counts only, for every role.  Every change asks the server
 * again; the keyboard never waits for the answer (a late answer for an
 * older request is dropped by the app).  F2 saves what the screen shows
 * beside the printed documents, as CSV or XLSX (paper/sheet.h): the
 * title and the summary lines, the period as date cells, the list with
 * its numbers as number cells (a "connected/of" column of monitoring as
 * two), and the territory's own totals under it.
 *
 * Each view is a table of columns (views[]): what a column shows of a row
 * (a name, a text, a number, a share, a ratio, a stage) and its width; one
 * drawer fills the list's cells from it and one writer the saved sheet's,
 * as report.get's packer packs its rows (srvd/method_report_get.c).  The
 * tables' rows share one shape: they are data, a row a column.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paper/file.h"
#include "paper/sheet.h"
#include "proto/ident.h"
#include "proto/method_names.h"
#include "proto/roles.h"
#include "proto/rpc.h"
#include "proto/workflow.h"
#include "tui/clock_mark.h"
#include "tui/list.h"
#include "tui/mp.h"
#include "tui/picker.h"
#include "tui/screens.h"
#include "tui/table.h"
#include "tui/text.h"

#define RP_NCOLS   8        /* at most, of any view */
#define RP_LINES   7        /* summary lines above the list */
#define RP_PATHMAX 8
#define RP_VALS    8        /* numbers behind a row's cells */

enum rp_view { RP_REPORT, RP_MONITOR, RP_CLERKS, RP_DEADLINES };

/* The numbers behind a deadline row (rp_row.v), in column order after the
 * office and its stage. */
enum { DL_ON_TIME, DL_LATE, DL_SHARE, DL_LATE_DAYS, DL_RUNNING,
       DL_RUNNING_LATE, DL_STAGE, DL__COUNT };

struct rp_step {               /* one level of the way down */
	int64_t id;
	char    name[160];
};

struct rp_row {                /* a row's territory and its numbers */
	int64_t id;
	int64_t v[RP_VALS];
};

/* What a column shows of a row: the screen's cell and the saved sheet's
 * cell(s) are both drawn from this. */
enum rp_kind {
	RC_NAME,      /* the row's name */
	RC_TEXT,      /* a text of the row, reply key `key` */
	RC_NUM,       /* v[a] */
	RC_SHARE,     /* v[a], a percentage; "—" (empty when saved) if < 0 */
	RC_RATIO,     /* v[a]/v[b]; saved as v[a], and v[b] under `total` */
	RC_STAGE,     /* the stage v[a] names */
};

struct rp_col {
	const char  *title;        /* msgid */
	int          width;        /* 0: the rest */
	enum rp_kind kind;
	int          a, b;         /* indexes into rp_row.v */
	const char  *key;          /* RC_TEXT */
	const char  *total;        /* RC_RATIO: msgid of v[b]'s saved column */
};

struct reports {
	struct screen   base;
	struct list     list;
	struct table    rows;
	struct list_col cols[RP_NCOLS];
	const struct rp_col *spec;     /* this view's columns (views[]) */
	size_t          ncols;         /* of this view */
	struct rp_row  *ids;           /* the rows' territories and numbers */
	size_t          nids;
	struct rp_row   totals;        /* the territory's own (report view) */
	struct rp_row   stages[HR_STAGE__COUNT];   /* its own (deadlines) */
	struct picker  *save;          /* F2: which format, while open */
	enum rp_view    view;
	int             to, len;       /* last month YYYYMM, months */
	struct rp_step  path[RP_PATHMAX];   /* [0..depth]: where we are */
	int             depth;
	char            title[256];
	char            lines[RP_LINES][512];
	int             loaded;
	int             ascii;         /* no Unicode blocks on this terminal */
};

static const int lengths[] = { 1, 3, 6, 12, 24 };

static const struct fkey reports_fkeys[] = {
	{ 1, N_("Help") }, { 2, N_("Save") }, { 4, N_("Period") },
	{ 5, N_("Refresh") }, { 6, N_("Deadlines") },
	{ 9, N_("Back") }, { 10, N_("Quit") },
};

static int
month_add(int month, int delta)
{
	int m = (month / 100) * 12 + (month % 100 - 1) + delta;

	return (m / 12) * 100 + m % 12 + 1;
}

static void
month_text(int month, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", month / 100, month % 100);
}

static int
may_monitor(const struct app *a)
{
	int role = app_session(a)->role;

	return role >= 0 && (HR_ROLE_BIT(role) & HR_ROLES_REPORT) != 0;
}

/* The view Tab leads to from the report: monitoring for the roles that
 * oversee territories, the clerks for those that work with cases. */
static enum rp_view
tab_view(const struct app *a)
{
	const struct hr_role_info *ri = hr_role_info(app_session(a)->role);

	if (may_monitor(a))
		return RP_MONITOR;
	return ri != NULL && ri->personal_data ? RP_CLERKS : RP_REPORT;
}

static char *
num(int64_t n)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)n);
	return strdup(buf);
}

static int64_t
get(const msgpack_object *m, const char *key)
{
	return mp_int(mp_get(m, key), 0);
}

/* ---- the numbers of a row ---- */

static void
key_vals(const msgpack_object *k, const char *const *keys, size_t n,
    struct rp_row *row)
{
	memset(row->v, 0, sizeof row->v);
	for (size_t i = 0; i < n; i++)
		row->v[i] = get(k, keys[i]);
}

/* The counters of a report's row (a child, or the totals) in column
 * order. */
static void
report_vals(const struct reports *r, const msgpack_object *k,
    struct rp_row *row)
{
	static const char *const keys[] = { "formed", "sent", "accepted",
	    "returned", "decided", "clerks" };

	(void)r;
	key_vals(k, keys, sizeof keys / sizeof keys[0], row);
}

/* A clerk's cases sent up and their share of the territory's formed. */
static void
clerk_vals(const struct reports *r, const msgpack_object *k,
    struct rp_row *row)
{
	int64_t formed = r->totals.v[0];

	memset(row->v, 0, sizeof row->v);
	row->v[0] = get(k, "formed");
	row->v[1] = formed > 0 ? (row->v[0] * 100 + formed / 2) / formed : 0;
}

/* A deadline row's numbers: the share on time is of the clocks closed in
 * the period, rounded; -1 when none closed. */
static void
deadline_vals(const struct reports *r, const msgpack_object *k,
    struct rp_row *row)
{
	char stage[16];
	int64_t closed;

	(void)r;
	memset(row->v, 0, sizeof row->v);
	row->v[DL_ON_TIME] = get(k, "on_time");
	row->v[DL_LATE] = get(k, "late");
	closed = row->v[DL_ON_TIME] + row->v[DL_LATE];
	row->v[DL_SHARE] = closed > 0 ?
	    (row->v[DL_ON_TIME] * 100 + closed / 2) / closed : -1;
	row->v[DL_LATE_DAYS] = get(k, "late_days");
	row->v[DL_RUNNING] = get(k, "running");
	row->v[DL_RUNNING_LATE] = get(k, "running_late");
	row->v[DL_STAGE] = hr_stage_from_name(mp_text(mp_get(k, "stage"),
	    stage, sizeof stage));
}

/* A monitoring row: rank, back offices connected/of, hromadas
 * connected/of, using (of the same hromadas), cases accepted. */
static void
monitor_vals(const struct reports *r, const msgpack_object *k,
    struct rp_row *row)
{
	static const char *const keys[] = { "rank", "spszn_connected",
	    "spszn", "hromadas_connected", "hromadas", "hromadas_using",
	    "accepted" };

	(void)r;
	key_vals(k, keys, sizeof keys / sizeof keys[0], row);
}

/* ---- the columns of each view: the screen's list and the saved sheet ---- */

/* narrow: a front office's full name fits at 80 columns */
static const struct rp_col report_cols[] = {
	{ N_("Territory"),   0, RC_NAME,  0, 0, NULL, NULL },
	{ N_("Formed"),      6, RC_NUM,   0, 0, NULL, NULL },
	{ N_("To b.o."),     8, RC_NUM,   1, 0, NULL, NULL },
	{ N_("Accept."),     6, RC_NUM,   2, 0, NULL, NULL },
	{ N_("Return."),     7, RC_NUM,   3, 0, NULL, NULL },
	{ N_("Decisions"),   6, RC_NUM,   4, 0, NULL, NULL },
	{ N_("Senders"),     5, RC_NUM,   5, 0, NULL, NULL },
};

static const struct rp_col monitor_cols[] = {
	{ N_("Territory"),   0, RC_NAME,  0, 0, NULL, NULL },
	{ N_("Rank"),        5, RC_NUM,   0, 0, NULL, NULL },
	{ N_("B.o. conn."), 10, RC_RATIO, 1, 2, NULL, N_("B.o. total") },
	{ N_("Hrom. conn."), 11, RC_RATIO, 3, 4, NULL, N_("Hrom. total") },
	{ N_("Using"),       9, RC_RATIO, 5, 4, NULL, NULL },
	{ N_("Accepted"),    9, RC_NUM,   6, 0, NULL, NULL },
};

static const struct rp_col clerk_cols[] = {
	{ N_("Clerk"),       0, RC_NAME,  0, 0, NULL, NULL },
	{ N_("Login"),      12, RC_TEXT,  0, 0, "login", NULL },
	{ N_("Office"),     24, RC_TEXT,  0, 0, "office", NULL },
	{ N_("Formed"),      8, RC_NUM,   0, 0, NULL, NULL },
	{ N_("Share, %"),    9, RC_NUM,   1, 0, NULL, NULL },
};

static const struct rp_col deadline_cols[] = {
	{ N_("Office"),      0, RC_NAME,  0, 0, NULL, NULL },
	{ N_("Stage"),      10, RC_STAGE, DL_STAGE, 0, NULL, NULL },
	{ N_("On time"),     6, RC_NUM,   DL_ON_TIME, 0, NULL, NULL },
	{ N_("Closed late"), 5, RC_NUM,   DL_LATE, 0, NULL, NULL },
	{ N_("On time, %"),  6, RC_SHARE, DL_SHARE, 0, NULL, NULL },
	{ N_("Days late"),   6, RC_NUM,   DL_LATE_DAYS, 0, NULL, NULL },
	{ N_("Open"),        6, RC_NUM,   DL_RUNNING, 0, NULL, NULL },
	{ N_("Open, late"),  7, RC_NUM,   DL_RUNNING_LATE, 0, NULL, NULL },
};

typedef void rp_vals_fn(const struct reports *r, const msgpack_object *k,
    struct rp_row *row);

#define VIEW(cols, vals) { cols, sizeof cols / sizeof cols[0], vals }
static const struct {
	const struct rp_col *cols;
	size_t               ncols;
	rp_vals_fn          *vals;        /* a row's numbers from the reply */
} views[] = {
	[RP_REPORT]    = VIEW(report_cols, report_vals),
	[RP_MONITOR]   = VIEW(monitor_cols, monitor_vals),
	[RP_CLERKS]    = VIEW(clerk_cols, clerk_vals),
	[RP_DEADLINES] = VIEW(deadline_cols, deadline_vals),
};
#undef VIEW

static void
set_columns(struct reports *r)
{
	r->spec = views[r->view].cols;
	r->ncols = views[r->view].ncols;
	for (size_t k = 0; k < r->ncols; k++)
		r->cols[k] = (struct list_col){ _(r->spec[k].title),
		    r->spec[k].width };
	list_init(&r->list, r->cols, r->ncols, table_cell, &r->rows);
	list_set_find(&r->list, 1u);
}

static void
rows_reset(struct reports *r)
{
	r->list.nfind = 0;               /* a search ends with its rows */
	r->list.find_miss = 0;
	table_clear(&r->rows);
	free(r->ids);
	r->ids = NULL;
	r->nids = 0;
	list_set_rows(&r->list, 0);
}

static int
add_row(struct reports *r, const struct rp_row *row, char **cells)
{
	struct rp_row *ids = realloc(r->ids, (r->nids + 1) * sizeof *ids);

	if (ids == NULL)
		return -1;
	r->ids = ids;
	r->ids[r->nids++] = *row;
	return table_add(&r->rows, cells);
}

static char *
share_text(int64_t share)
{
	return share < 0 ? strdup("—") : num(share);
}

/* A row's cells on the screen, as the view's columns say. */
static void
row_cells(const struct reports *r, const msgpack_object *k,
    const struct rp_row *row, char **cells)
{
	char buf[48];

	for (size_t c = 0; c < RP_NCOLS; c++) {
		const struct rp_col *col = c < r->ncols ? &r->spec[c] : NULL;

		if (col == NULL) {
			cells[c] = strdup("");
			continue;
		}
		switch (col->kind) {
		case RC_NAME:
			cells[c] = mp_strdup(mp_get(k, "name"));
			break;
		case RC_TEXT:
			cells[c] = mp_strdup(mp_get(k, col->key));
			break;
		case RC_NUM:
			cells[c] = num(row->v[col->a]);
			break;
		case RC_SHARE:
			cells[c] = share_text(row->v[col->a]);
			break;
		case RC_RATIO:
			snprintf(buf, sizeof buf, "%lld/%lld",
			    (long long)row->v[col->a],
			    (long long)row->v[col->b]);
			cells[c] = strdup(buf);
			break;
		case RC_STAGE:
			cells[c] = strdup(clock_stage_label((int)
			    row->v[col->a]));
			break;
		}
	}
}

/* The list's rows: a reply's array of rows, drawn by the view's columns. */
static void
view_rows(struct reports *r, const msgpack_object *rows)
{
	for (uint32_t i = 0; i < mp_len(rows); i++) {
		const msgpack_object *k = &rows->via.array.ptr[i];
		struct rp_row row;
		char *cells[RP_NCOLS];

		row.id = get(k, "id");
		views[r->view].vals(r, k, &row);
		row_cells(r, k, &row, cells);
		add_row(r, &row, cells);
	}
}

/* ---- the months as a column chart ---- */

static void
spark(const struct reports *r, const msgpack_object *months,
    const char *counter, char *out, size_t n)
{
	static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆",
	    "▇", "█" };
	static const char ascii[] = "_.,:-=+#";
	int64_t max = 0;
	size_t  used = 0;
	uint32_t cnt = mp_len(months);

	out[0] = '\0';
	for (uint32_t i = 0; i < cnt; i++)
		if (get(&months->via.array.ptr[i], counter) > max)
			max = get(&months->via.array.ptr[i], counter);
	for (uint32_t i = 0; i < cnt && used + 4 < n; i++) {
		int64_t v = get(&months->via.array.ptr[i], counter);
		int     k = max > 0 ? (int)((v * 7 + max - 1) / max) : 0;

		if (v == 0)
			k = 0;
		if (r->ascii) {
			out[used++] = v == 0 ? ' ' : ascii[k];
			out[used] = '\0';
		} else {
			used += (size_t)snprintf(out + used, n - used, "%s",
			    v == 0 ? " " : blocks[k]);
		}
	}
}

/* ---- report.get ---- */

static void
stage_text(const msgpack_object *times, const char *stage, char *out,
    size_t n)
{
	for (uint32_t i = 0; i < mp_len(times); i++) {
		const msgpack_object *t = &times->via.array.ptr[i];
		char name[16];

		if (strcmp(mp_text(mp_get(t, "stage"), name, sizeof name),
		    stage) != 0)
			continue;
		if (get(t, "count") == 0)
			snprintf(out, n, "—");
		else
			snprintf(out, n, "%lld/%lld",
			    (long long)get(t, "median_h"),
			    (long long)get(t, "p90_h"));
		return;
	}
	snprintf(out, n, "—");
}

static void
report_summary(struct reports *r, const msgpack_object *res)
{
	const msgpack_object *t = mp_get(res, "totals");
	const msgpack_object *g = mp_get(res, "growth");
	const msgpack_object *tm = mp_get(res, "times");
	char money[32], chart[256], s[5][32];

	if (hr_amount_format(get(t, "assigned_sum"), money, sizeof money) != 0)
		snprintf(money, sizeof money, "?");
	snprintf(r->lines[1], sizeof r->lines[1],
	    _("Formed %lld  sent to the back office %lld  accepted %lld  "
	    "returned %lld (by the hromada %lld, by the back office %lld)"),
	    (long long)get(t, "formed"), (long long)get(t, "sent"),
	    (long long)get(t, "accepted"), (long long)get(t, "returned"),
	    (long long)get(t, "returned_otg"),
	    (long long)get(t, "returned_spszn"));
	snprintf(r->lines[2], sizeof r->lines[2],
	    _("Decisions %lld, assigned %lld for %s UAH, applicants told %lld"),
	    (long long)get(t, "decided"), (long long)get(t, "assigned"), money,
	    (long long)get(t, "notified"));
	snprintf(r->lines[5], sizeof r->lines[5],
	    _("Packages full %lld, partial %lld; clerks who sent cases up %lld"),
	    (long long)get(t, "package_full"),
	    (long long)get(t, "package_partial"), (long long)get(t, "clerks"));
	stage_text(tm, "front", s[0], sizeof s[0]);
	stage_text(tm, "otg", s[1], sizeof s[1]);
	stage_text(tm, "spszn", s[2], sizeof s[2]);
	stage_text(tm, "decision", s[3], sizeof s[3]);
	stage_text(tm, "notify", s[4], sizeof s[4]);
	snprintf(r->lines[3], sizeof r->lines[3],
	    _("Hours, median/90%%: front office %s, hromada %s, back office "
	    "%s, decision %s, telling %s"), s[0], s[1], s[2], s[3], s[4]);
	spark(r, mp_get(res, "months"), "formed", chart, sizeof chart);
	snprintf(r->lines[4], sizeof r->lines[4],
	    _("Formed by month: [%s]  last %lld months: +%lld formed, +%lld "
	    "accepted, +%lld decisions"), chart, (long long)get(res, "window"),
	    (long long)get(g, "formed"), (long long)get(g, "accepted"),
	    (long long)get(g, "decided"));
}

/* ---- deadlines (report.get `deadlines`) ---- */

/* The share on time as a bar of `cells` cells, ASCII on a plain terminal. */
static void
share_bar(const struct reports *r, int64_t share, int cells, char *out,
    size_t n)
{
	int full = share < 0 ? 0 : (int)((share * cells + 50) / 100);
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < cells && used + 4 < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s",
		    i < full ? (r->ascii ? "#" : "█") :
		    (r->ascii ? "." : "░"));
}

/* A stage's line: its label padded to the widest, the bar, the numbers. */
static void
deadline_line(struct reports *r, const struct rp_row *t, char *out, size_t n)
{
	char label[64], bar[64], pct[32];
	int pad = 0;

	for (int s = 0; s < HR_STAGE__COUNT; s++)
		if (text_width(clock_stage_label(s)) > pad)
			pad = text_width(clock_stage_label(s));
	snprintf(label, sizeof label, "%s", clock_stage_label((int)t->v[DL_STAGE]));
	for (int w = text_width(label); w < pad && strlen(label) + 2 <
	    sizeof label; w++)
		strcat(label, " ");
	share_bar(r, t->v[DL_SHARE], 8, bar, sizeof bar);
	if (t->v[DL_SHARE] < 0)
		snprintf(pct, sizeof pct, "  —");
	else
		snprintf(pct, sizeof pct, "%3lld%%", (long long)t->v[DL_SHARE]);
	snprintf(out, n, _("%s %s %s on time (%lld of %lld); open %lld, late "
	    "%lld"), label, bar, pct, (long long)t->v[DL_ON_TIME],
	    (long long)(t->v[DL_ON_TIME] + t->v[DL_LATE]),
	    (long long)t->v[DL_RUNNING], (long long)t->v[DL_RUNNING_LATE]);
}

/* The summary (a line per stage) and the offices' rows. */
static void
deadline_report(struct reports *r, const msgpack_object *d)
{
	const msgpack_object *st = mp_get(d, "stages");
	const msgpack_object *of = mp_get(d, "offices");
	uint32_t nst = mp_len(st);
	uint32_t nof = mp_len(of);

	for (int s = 0; s < HR_STAGE__COUNT; s++) {
		memset(&r->stages[s], 0, sizeof r->stages[s]);
		r->stages[s].v[DL_STAGE] = s;
		r->stages[s].v[DL_SHARE] = -1;
	}
	for (uint32_t i = 0; i < nst; i++) {
		struct rp_row t = { 0, { 0 } };

		deadline_vals(r, &st->via.array.ptr[i], &t);
		if (t.v[DL_STAGE] >= 0 && t.v[DL_STAGE] < HR_STAGE__COUNT)
			r->stages[t.v[DL_STAGE]] = t;
	}
	for (int s = 0; s < HR_STAGE__COUNT; s++)
		deadline_line(r, &r->stages[s], r->lines[1 + s],
		    sizeof r->lines[1 + s]);
	snprintf(r->lines[4], sizeof r->lines[4], "%s",
	    _("On time / late: the clocks closed in the period; open: running "
	    "now, late past the due date"));
	snprintf(r->lines[5], sizeof r->lines[5],
	    _("Offices with clocks: %lld; below the %lld with the most late "
	    "first"), (long long)get(d, "offices_total"), (long long)nof);
	view_rows(r, of);
}

/* ---- report.monitor ---- */

static void
monitor_summary(struct reports *r, const msgpack_object *res)
{
	const msgpack_object *t = mp_get(res, "totals");
	char month[16];

	mp_text(mp_get(res, "month"), month, sizeof month);
	snprintf(r->lines[1], sizeof r->lines[1],
	    _("Back offices: %lld, connected %lld, using %lld"),
	    (long long)get(t, "spszn"), (long long)get(t, "spszn_connected"),
	    (long long)get(t, "spszn_using"));
	snprintf(r->lines[2], sizeof r->lines[2],
	    _("Hromadas: %lld, connected %lld, using %lld (activity within %lld "
	    "days)"), (long long)get(t, "hromadas"),
	    (long long)get(t, "hromadas_connected"),
	    (long long)get(t, "hromadas_using"), (long long)get(res, "days"));
	snprintf(r->lines[3], sizeof r->lines[3],
	    _("Compensation basis, %s: %lld hromadas with accepted cases, %lld "
	    "cases accepted"), month, (long long)get(t, "hromadas_accepting"),
	    (long long)get(t, "accepted"));
	snprintf(r->lines[4], sizeof r->lines[4], "%s",
	    _("Rank 1 is the best covered (share of hromadas using, then of "
	    "back offices connected)"));
	r->lines[5][0] = '\0';
}

/* ---- requests ---- */

static const char *
view_title(const struct reports *r)
{
	switch (r->view) {
	case RP_CLERKS:    return _("Clerks");
	case RP_MONITOR:   return _("Monitoring");
	case RP_DEADLINES: return _("Deadlines");
	case RP_REPORT:    break;
	}
	return _("Reports");
}

static void
where_am_i(struct reports *r, const msgpack_object *res)
{
	const msgpack_object *t = mp_get(res, "territory");
	const msgpack_object *path = mp_get(res, "path");
	uint32_t np = mp_len(path);
	char name[160];
	size_t used;

	mp_text(mp_get(t, "name"), name, sizeof name);
	/* the way back up, as the server names it (report.get only) */
	if (path != NULL && np + 1 <= RP_PATHMAX) {
		r->depth = (int)np;
		for (uint32_t i = 0; i < np; i++) {
			r->path[i].id = get(&path->via.array.ptr[i], "id");
			mp_text(mp_get(&path->via.array.ptr[i], "name"),
			    r->path[i].name, sizeof r->path[i].name);
		}
		r->path[np].id = get(t, "id");
		snprintf(r->path[np].name, sizeof r->path[np].name, "%s", name);
	}
	snprintf(r->title, sizeof r->title, "%s: %s", view_title(r), name);
	used = 0;
	r->lines[0][0] = '\0';
	for (int i = 0; i < r->depth && used < sizeof r->lines[0]; i++)
		used += (size_t)snprintf(r->lines[0] + used,
		    sizeof r->lines[0] - used, "%s%s", i ? " › " : "",
		    r->path[i].name);
}

static void
reports_reply(struct app *a, struct screen *s, const struct hr_msg *reply,
    const struct hr_error *err)
{
	struct reports *r = (struct reports *)s;
	char from[16], to[16], period[96];
	size_t used;

	if (reply == NULL)
		return;
	if (err->code != HR_OK) {
		app_status(a, "%s", app_error(err));
		return;
	}
	rows_reset(r);
	where_am_i(r, &reply->result);
	if (r->view != RP_MONITOR) {
		r->totals.id = r->path[r->depth].id;
		report_vals(r, mp_get(&reply->result, "totals"), &r->totals);
		report_summary(r, &reply->result);
		if (r->view == RP_REPORT)
			view_rows(r, mp_get(&reply->result, "children"));
		else if (r->view == RP_DEADLINES)
			deadline_report(r, mp_get(&reply->result,
			    "deadlines"));
		else
			view_rows(r, mp_get(&reply->result, "clerks"));
		month_text(month_add(r->to, 1 - r->len), from, sizeof from);
		month_text(r->to, to, sizeof to);
		snprintf(period, sizeof period, _("Period %s – %s"), from, to);
		used = strlen(r->lines[0]);
		snprintf(r->lines[0] + used, sizeof r->lines[0] - used,
		    "%s%s", used ? "   " : "", period);
	} else {
		monitor_summary(r, &reply->result);
		view_rows(r, mp_get(&reply->result, "rows"));
	}
	r->loaded = 1;
	list_set_rows(&r->list, r->rows.nrows);
	app_status_clear_if(a, _("Loading..."));
}

static void
reports_refresh(struct reports *r, struct app *a)
{
	int64_t here = r->path[r->depth].id;
	msgpack_packer *pk;
	char buf[16];

	if (r->view != RP_MONITOR) {
		pk = app_begin(a, HR_M_REPORT_GET);
		msgpack_pack_map(pk, 2 + (here != 0));
		month_text(month_add(r->to, 1 - r->len), buf, sizeof buf);
		hr_pack_kv_str(pk, "from", buf);
		month_text(r->to, buf, sizeof buf);
		hr_pack_kv_str(pk, "to", buf);
	} else {
		pk = app_begin(a, HR_M_REPORT_MONITOR);
		msgpack_pack_map(pk, 1 + (here != 0));
		month_text(month_add(r->to, -1), buf, sizeof buf);
		hr_pack_kv_str(pk, "month", buf);
	}
	if (here != 0)
		hr_pack_kv_int(pk, "territory", here);
	if (app_send(a, reports_reply) == 0)
		app_status(a, "%s", _("Loading..."));
}

/* ---- export: exactly what the screen shows, as CSV or XLSX ---- */

static const char *const save_labels[] = {
	[PAPER_SHEET_CSV]  = N_("CSV (RFC 4180, UTF-8) — any spreadsheet"),
	[PAPER_SHEET_XLSX] = N_("XLSX (Excel) — numbers and dates as cells"),
};
static int last_save = PAPER_SHEET_CSV;    /* offered first next time */

/* The list's header; a ratio with a `total` as two columns. */
static void
export_header(const struct reports *r, struct paper_sheet *sh)
{
	for (size_t k = 0; k < r->ncols; k++) {
		paper_sheet_head(sh, r->cols[k].title);
		if (r->spec[k].kind == RC_RATIO && r->spec[k].total != NULL)
			paper_sheet_head(sh, _(r->spec[k].total));
	}
	paper_sheet_end(sh);
}

/* A row as the view's columns say, its numbers as number cells: list row
 * `i`, or (i < 0) the territory's own totals named `name`. */
static void
export_row(const struct reports *r, struct paper_sheet *sh, long i,
    const char *name, const struct rp_row *row)
{
	for (size_t c = 0; c < r->ncols; c++) {
		const struct rp_col *col = &r->spec[c];

		switch (col->kind) {
		case RC_NAME:
			paper_sheet_str(sh, name);
			break;
		case RC_TEXT:
			paper_sheet_str(sh, i >= 0 ? table_get(&r->rows,
			    (size_t)i, c) : "");
			break;
		case RC_SHARE:         /* nothing closed: the screen's "—" */
			if (row->v[col->a] < 0)
				paper_sheet_str(sh, "");
			else
				paper_sheet_int(sh, row->v[col->a]);
			break;
		case RC_NUM:
		case RC_RATIO:
			paper_sheet_int(sh, row->v[col->a]);
			if (col->kind == RC_RATIO && col->total != NULL)
				paper_sheet_int(sh, row->v[col->b]);
			break;
		case RC_STAGE:
			paper_sheet_str(sh, clock_stage_label((int)
			    row->v[col->a]));
			break;
		}
	}
	paper_sheet_end(sh);
}

static struct paper_sheet *
export_sheet(const struct reports *r)
{
	struct paper_sheet *sh = paper_sheet_new(view_title(r));

	if (sh == NULL)
		return NULL;
	paper_sheet_note(sh, r->title);
	for (int i = 0; i < RP_LINES - 1; i++)
		if (r->lines[i][0] != '\0')
			paper_sheet_note(sh, r->lines[i]);
	if (r->view != RP_MONITOR) {
		paper_sheet_str(sh, _("Period"));
		paper_sheet_month(sh, month_add(r->to, 1 - r->len));
		paper_sheet_month(sh, r->to);
	} else {
		paper_sheet_str(sh, _("Month"));
		paper_sheet_month(sh, month_add(r->to, -1));
	}
	paper_sheet_end(sh);
	paper_sheet_end(sh);
	export_header(r, sh);
	for (size_t i = 0; i < r->rows.nrows && i < r->nids; i++)
		export_row(r, sh, (long)i, table_get(&r->rows, i, 0),
		    &r->ids[i]);
	if (r->view == RP_REPORT)
		export_row(r, sh, -1, r->path[r->depth].name, &r->totals);
	for (int s = 0; r->view == RP_DEADLINES && s < HR_STAGE__COUNT; s++)
		export_row(r, sh, -1, r->path[r->depth].name, &r->stages[s]);
	return sh;
}

static void
reports_export(struct reports *r, struct app *a, enum paper_sheet_format fmt)
{
	char *data = NULL, dir[PAPER_PATH_MAX], name[96], path[PAPER_PATH_MAX +
	    128];
	size_t len = 0;
	struct hr_error e;
	struct paper_sheet *sh;

	if (!r->loaded)
		return;
	hr_error_clear(&e);
	if ((sh = export_sheet(r)) == NULL) {
		app_status(a, "%s", _("Out of memory"));
		return;
	}
	if (paper_sheet_render(sh, fmt, 1, &data, &len, &e) < 0) {
		paper_sheet_free(sh);
		app_message(a, _("Not saved"), app_error(&e));
		return;
	}
	paper_sheet_free(sh);
	snprintf(name, sizeof name, "%s-%lld-%04d-%02d.%s",
	    r->view == RP_REPORT ? "report" : r->view == RP_CLERKS ?
	    "clerks" : r->view == RP_DEADLINES ? "deadlines" : "monitoring",
	    (long long)r->path[r->depth].id, r->to / 100, r->to % 100,
	    paper_sheet_ext(fmt));
	if (paper_file_save(paper_print_dir(dir, sizeof dir), name, data, len,
	    path, sizeof path, &e) < 0)
		app_message(a, _("Not saved"), app_error(&e));
	else
		app_notice(a, "%s %s", _("Saved:"), path);
	free(data);
}

/* F2: which format; the answer saves. */
static void
export_start(struct reports *r)
{
	const char *items[2];

	if (!r->loaded)
		return;
	items[PAPER_SHEET_CSV] = _(save_labels[PAPER_SHEET_CSV]);
	items[PAPER_SHEET_XLSX] = _(save_labels[PAPER_SHEET_XLSX]);
	picker_free(r->save);
	r->save = picker_new(_("Save the report as?"), items, 2,
	    (size_t)last_save);
}

static void
export_key(struct reports *r, struct app *a, const struct key *k)
{
	int c = picker_key(r->save, k);

	if (c == PICKER_OPEN)
		return;
	picker_free(r->save);
	r->save = NULL;
	if (c >= 0) {
		last_save = c;
		reports_export(r, a, (enum paper_sheet_format)c);
	}
}

/* ---- keys ---- */

static void
go_down(struct reports *r, struct app *a)
{
	size_t sel = r->list.sel;

	if (r->view == RP_CLERKS || sel >= r->nids ||
	    r->depth + 1 >= RP_PATHMAX)
		return;
	r->depth++;
	r->path[r->depth].id = r->ids[sel].id;
	snprintf(r->path[r->depth].name, sizeof r->path[r->depth].name, "%s",
	    table_get(&r->rows, sel, 0));
	r->list.sel = 0;
	r->list.nfind = 0;
	reports_refresh(r, a);
}

static int
go_up(struct reports *r, struct app *a)
{
	if (r->depth == 0)
		return 0;
	r->depth--;
	r->list.sel = 0;
	r->list.nfind = 0;
	reports_refresh(r, a);
	return 1;
}

static int
reports_key(struct screen *s, struct app *a, const struct key *k)
{
	struct reports *r = (struct reports *)s;
	int ch = (int)k->ch;

	if (r->save != NULL) {
		export_key(r, a, k);
		return 1;
	}
	if (k->is_key) {
		switch (ch) {
		case KEY_F(5):
			reports_refresh(r, a);
			return 1;
		case KEY_F(2):
			export_start(r);
			return 1;
		case KEY_F(6):
			r->view = r->view == RP_DEADLINES ? RP_REPORT :
			    RP_DEADLINES;
			set_columns(r);
			rows_reset(r);
			reports_refresh(r, a);
			return 1;
		case KEY_F(4):
			for (size_t i = 0; i < sizeof lengths / sizeof lengths[0];
			    i++)
				if (lengths[i] == r->len) {
					r->len = lengths[(i + 1) % (sizeof lengths /
					    sizeof lengths[0])];
					break;
				}
			reports_refresh(r, a);
			return 1;
		case KEY_LEFT:
		case KEY_RIGHT:
			r->to = month_add(r->to, ch == KEY_LEFT ? -1 : 1);
			reports_refresh(r, a);
			return 1;
		case KEY_BACKSPACE:
			if (r->list.nfind > 0)
				break;
			go_up(r, a);
			return 1;
		case KEY_F(9):
			if (!go_up(r, a))
				app_home(a);
			return 1;
		case KEY_ENTER:
			go_down(r, a);
			return 1;
		default:
			break;
		}
	} else {
		switch (ch) {
		case '\r':
		case '\n':
			go_down(r, a);
			return 1;
		case '\t':
			if (tab_view(a) == RP_REPORT)
				return 1;
			r->view = r->view == RP_REPORT ? tab_view(a) :
			    RP_REPORT;
			set_columns(r);
			rows_reset(r);
			reports_refresh(r, a);
			return 1;
		case 27:                     /* Esc */
			if (!go_up(r, a))
				app_home(a);
			return 1;
		case 127:
		case '\b':
			if (r->list.nfind > 0)
				break;
			go_up(r, a);
			return 1;
		default:
			break;
		}
	}
	return list_key(&r->list, k);
}

static void
reports_draw(struct screen *s, struct app *a, WINDOW *w, int y, int h,
    int width)
{
	struct reports *r = (struct reports *)s;

	text_put(w, y, 1, r->title[0] ? r->title : _("Reports"), width - 2,
	    A_BOLD, 0);
	for (int i = 0; i < RP_LINES - 1; i++)
		text_put(w, y + 1 + i, 1, r->lines[i], width - 2,
		    i == 0 ? A_DIM : A_NORMAL, 1);
	if (r->loaded && r->rows.nrows == 0)
		text_center(w, y + RP_LINES + 2, 0, width,
		    r->view == RP_DEADLINES ? _("No office here has had a "
		    "clock in the period") : _("No territories below this one"),
		    A_BOLD);
	else
		list_draw(&r->list, w, y + RP_LINES + 1, 0, h - RP_LINES - 1,
		    width);
	if (r->save != NULL) {
		int cy = -1, cx = -1;

		picker_draw(r->save, w, &cy, &cx);
		if (cy >= 0)
			app_cursor(a, cy, cx);
	}
}

static void
reports_event(struct screen *s, struct app *a, enum app_event ev,
    const struct hr_error *err)
{
	(void)err;
	if (ev == APP_EV_SHOWN || ev == APP_EV_RESUMED)
		reports_refresh((struct reports *)s, a);
}

static void
reports_free(struct screen *s)
{
	struct reports *r = (struct reports *)s;

	table_free(&r->rows);
	free(r->ids);
	picker_free(r->save);
	free(r);
}

static const struct screen_ops reports_ops = {
	.draw = reports_draw,
	.key = reports_key,
	.event = reports_event,
	.free = reports_free,
	.fkeys = reports_fkeys,
	.nfkeys = sizeof reports_fkeys / sizeof reports_fkeys[0],
	.help_topic = HELP_REPORTS,
};

struct screen *
screen_reports_new(struct app *a)
{
	struct reports *r = calloc(1, sizeof *r);
	const char *term = getenv("TERM");
	time_t now = time(NULL);
	struct tm tm;

	(void)a;
	if (r == NULL)
		return NULL;
	r->base.ops = &reports_ops;
	localtime_r(&now, &tm);
	r->to = (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
	r->len = 12;
	r->ascii = MB_CUR_MAX == 1 || term == NULL ||
	    strncmp(term, "linux", 5) == 0 || strncmp(term, "vt", 2) == 0;
	table_init(&r->rows, RP_NCOLS);
	set_columns(r);
	return &r->base;
}
