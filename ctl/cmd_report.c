/*
 * cmd_report.c — hromadactl report NAME: «Звітність» as CSV or XLSX for
 * officials and scheduled runs — the same numbers report.get and
 * report.monitor give the client (db/reports.h, db/monitor.h, and
 * db/deadline_report.h for the deadlines), read straight from the
 * database.
 *
 * Both formats come from one sheet of typed cells (paper/sheet.h).  CSV is
 * RFC 4180 (commas, CRLF line ends, quotes doubled), UTF-8 with a
 * byte-order mark so that Excel reads Cyrillic right (--no-bom for
 * scripts); amounts are hryvnias with a point and two decimals (1234.56),
 * times whole hours.  XLSX has number and date cells, a bold header row
 * and columns as wide as their cells.  The first row names the columns.
 * The report names are a table (reports[] below), documented in
 * hromadactl(8).
 *
 * Alike on purpose: reports[] is a table, a row a report (its name and the
 * writer of each kind of data); its rows look like any small table of rows
 * in the tree (tests/integration/test_authz_matrix.c's roles[]).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "db/deadline_report.h"
#include "db/deadlines.h"
#include "db/monitor.h"
#include "db/reports.h"
#include "db/territory.h"
#include "paper/sheet.h"
#include "proto/roles.h"
#include "proto/workflow.h"

struct report_opts {
	const char *name;
	const char *territory, *from, *to, *days, *month, *out, *format;
	int         bom, fmt;
	int         from_m, to_m, month_m;   /* YYYYMM, checked */
	long        ndays;
};

/* ---- the reports ---- */

#define COUNTER_COLS "created", "formed", "sent", "accepted", "returned", \
	"decided", "assigned", "notified", "assigned_sum"

static void
sheet_counts(struct paper_sheet *o, const struct db_rep_counts *c)
{
	for (int i = 0; i < DB_REP__COUNTERS; i++)
		paper_sheet_int(o, c->n[i]);
	paper_sheet_money(o, c->assigned_sum);
}

static void
out_summary(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    "from", "to", COUNTER_COLS, "returned_otg", "returned_spszn",
	    "package_full", "package_partial", "clerks", NULL };

	paper_sheet_header(o, cols);
	paper_sheet_int(o, r->territory_id);
	paper_sheet_str(o, hr_terr_kind_name(r->kind));
	paper_sheet_str(o, r->name);
	paper_sheet_month(o, r->from);
	paper_sheet_month(o, r->to);
	sheet_counts(o, &r->totals);
	paper_sheet_int(o, r->returned_otg);
	paper_sheet_int(o, r->returned_spszn);
	paper_sheet_int(o, r->package_full);
	paper_sheet_int(o, r->package_partial);
	paper_sheet_int(o, r->clerks);
	paper_sheet_end(o);
}

static void
out_months(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "month", COUNTER_COLS, NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < r->nmonths; i++) {
		paper_sheet_month(o, r->months[i].month);
		sheet_counts(o, &r->months[i].c);
		paper_sheet_end(o);
	}
}

static void
out_children(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    COUNTER_COLS, "clerks", NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < r->nchildren; i++) {
		paper_sheet_int(o, r->children[i].id);
		paper_sheet_str(o, hr_terr_kind_name(r->children[i].kind));
		paper_sheet_str(o, r->children[i].name);
		sheet_counts(o, &r->children[i].c);
		paper_sheet_int(o, r->children[i].clerks);
		paper_sheet_end(o);
	}
}

static void
out_clerks(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "user_id", "login", "full_name",
	    "office_id", "office", "formed", NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < r->nclerk_rows; i++) {
		const struct db_rep_clerk *c = &r->clerk_rows[i];

		paper_sheet_int(o, c->user_id);
		paper_sheet_str(o, c->login);
		paper_sheet_str(o, c->name);
		paper_sheet_int(o, c->office_id);
		paper_sheet_str(o, c->office);
		paper_sheet_int(o, c->formed);
		paper_sheet_end(o);
	}
}

static void
out_services(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "service", "name", "formed",
	    "sent", "accepted", "decided", NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < r->nservices; i++) {
		paper_sheet_str(o, r->services[i].code);
		paper_sheet_str(o, r->services[i].name);
		paper_sheet_int(o, r->services[i].formed);
		paper_sheet_int(o, r->services[i].sent);
		paper_sheet_int(o, r->services[i].accepted);
		paper_sheet_int(o, r->services[i].decided);
		paper_sheet_end(o);
	}
}

static void
out_decisions(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "decision", "service", "count",
	    "amount", NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < r->ndecisions; i++) {
		paper_sheet_str(o, r->decisions[i].kind);
		paper_sheet_str(o, r->decisions[i].service);
		paper_sheet_int(o, r->decisions[i].n);
		paper_sheet_money(o, r->decisions[i].amount);
		paper_sheet_end(o);
	}
}

static void
out_times(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "stage", "count", "median_hours",
	    "p90_hours", "mean_seconds", NULL };

	paper_sheet_header(o, cols);
	for (int s = 0; s < DB_REP__STAGES; s++) {
		paper_sheet_str(o, db_rep_stage_names[s]);
		paper_sheet_int(o, r->times[s].count);
		paper_sheet_int(o, r->times[s].median_h);
		paper_sheet_int(o, r->times[s].p90_h);
		paper_sheet_int(o, r->times[s].mean_s);
		paper_sheet_end(o);
	}
}

static void
out_reasons(struct paper_sheet *o, const struct db_report *r)
{
	static const char *const cols[] = { "stage", "reason", "count", NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < r->nreasons; i++) {
		paper_sheet_str(o, r->reasons[i].stage);
		paper_sheet_str(o, r->reasons[i].text);
		paper_sheet_int(o, r->reasons[i].n);
		paper_sheet_end(o);
	}
}

#define MON_COLS "back_offices", "back_offices_connected", \
	"back_offices_using", "hromadas", "hromadas_connected", \
	"hromadas_using", "hromadas_accepting", "accepted"

static void
sheet_mon(struct paper_sheet *o, const struct db_mon_counts *c)
{
	paper_sheet_int(o, c->spszn);
	paper_sheet_int(o, c->spszn_connected);
	paper_sheet_int(o, c->spszn_using);
	paper_sheet_int(o, c->hromadas);
	paper_sheet_int(o, c->hromadas_connected);
	paper_sheet_int(o, c->hromadas_using);
	paper_sheet_int(o, c->hromadas_accepting);
	paper_sheet_int(o, c->accepted);
}

static void
out_monitor(struct paper_sheet *o, const struct db_monitor *m)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    "rank", MON_COLS, NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < m->nrows; i++) {
		paper_sheet_int(o, m->rows[i].id);
		paper_sheet_str(o, hr_terr_kind_name(m->rows[i].kind));
		paper_sheet_str(o, m->rows[i].name);
		paper_sheet_int(o, m->rows[i].rank);
		sheet_mon(o, &m->rows[i].c);
		paper_sheet_end(o);
	}
	paper_sheet_int(o, m->territory_id);
	paper_sheet_str(o, hr_terr_kind_name(m->kind));
	paper_sheet_str(o, m->name);
	paper_sheet_str(o, "");
	sheet_mon(o, &m->totals);
	paper_sheet_end(o);
}

static void
out_compensation(struct paper_sheet *o, const struct db_monitor *m)
{
	static const char *const cols[] = { "hromada_id", "hromada",
	    "back_office", "month", "accepted", "connected", "using",
	    "last_active", NULL };

	paper_sheet_header(o, cols);
	for (size_t i = 0; i < m->nhromadas; i++) {
		const struct db_mon_hromada *h = &m->hromadas[i];

		paper_sheet_int(o, h->id);
		paper_sheet_str(o, h->name);
		paper_sheet_str(o, h->spszn);
		paper_sheet_month(o, m->month);
		paper_sheet_int(o, h->accepted);
		paper_sheet_int(o, h->connected);
		paper_sheet_int(o, h->using);
		paper_sheet_moment(o, h->last_active);
		paper_sheet_end(o);
	}
}

/* One line of the deadline report: the share on time is of the clocks
 * closed in the period, in whole per cent; empty when none closed. */
static void
sheet_deadline(struct paper_sheet *o, const char *level, int64_t id,
    const char *name, const struct db_deadline_row *d)
{
	int64_t closed = d->on_time + d->late;

	paper_sheet_str(o, level);
	paper_sheet_int(o, id);
	paper_sheet_str(o, name);
	paper_sheet_str(o, hr_stage_name(d->stage));
	paper_sheet_int(o, closed);
	paper_sheet_int(o, d->on_time);
	paper_sheet_int(o, d->late);
	if (closed > 0)
		paper_sheet_int(o, (d->on_time * 100 + closed / 2) / closed);
	else
		paper_sheet_str(o, "");
	paper_sheet_int(o, d->late_days);
	paper_sheet_int(o, d->running);
	paper_sheet_int(o, d->running_late);
	paper_sheet_end(o);
}

static void
out_deadlines(struct paper_sheet *o, const struct db_deadline_report *d)
{
	static const char *const cols[] = { "level", "territory_id", "name",
	    "stage", "closed", "on_time", "late", "on_time_pct", "late_days",
	    "running", "running_late", NULL };

	paper_sheet_header(o, cols);
	for (int s = 0; s < HR_STAGE__COUNT; s++)
		sheet_deadline(o, "territory", d->territory_id, d->name,
		    &d->stages[s]);
	for (size_t i = 0; i < d->noffices; i++)
		sheet_deadline(o, "office", d->offices[i].office_id,
		    d->offices[i].name, &d->offices[i]);
}

static const struct {
	const char *name;
	void      (*report)(struct paper_sheet *, const struct db_report *);
	void      (*monitor)(struct paper_sheet *, const struct db_monitor *);
	void      (*deadlines)(struct paper_sheet *,
	              const struct db_deadline_report *);
} reports[] = {
	{ "summary",      out_summary,   NULL, NULL },
	{ "months",       out_months,    NULL, NULL },
	{ "children",     out_children,  NULL, NULL },
	{ "clerks",       out_clerks,    NULL, NULL },
	{ "services",     out_services,  NULL, NULL },
	{ "decisions",    out_decisions, NULL, NULL },
	{ "times",        out_times,     NULL, NULL },
	{ "reasons",      out_reasons,   NULL, NULL },
	{ "deadlines",    NULL,          NULL, out_deadlines },
	{ "monitor",      NULL,          out_monitor, NULL },
	{ "compensation", NULL,          out_compensation, NULL },
};
#define NREPORTS (sizeof reports / sizeof reports[0])

/* ---- options ---- */

static int
month_opt(const char *opt, const char *v, int dflt, int *out,
    struct hr_error *err)
{
	if (v == NULL) {
		*out = dflt;
		return 0;
	}
	if ((*out = db_month_parse(v, strlen(v))) == 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.report_month",
		    "{option} wants a month YYYY-MM, not \"{value}\"",
		    HR_STR("option", opt), HR_STR("value", v));
	return 0;
}

static int
report_parse(int argc, char **argv, struct report_opts *o,
    struct hr_error *err)
{
	const char *const names[] = { "--territory", "--from", "--to",
	    "--days", "--month", "--out", "--format" };
	const char **dest[] = { &o->territory, &o->from, &o->to, &o->days,
	    &o->month, &o->out, &o->format };

	o->bom = 1;
	if (argc < 2)
		return hr_errorf(err, HR_E_USAGE, "ctl.report_name",
		    "report: name a report (summary, months, children, "
		    "clerks, services, decisions, times, reasons, deadlines, "
		    "monitor, compensation)");
	o->name = argv[1];
	for (int i = 2; i < argc; i++) {
		int r = 0;

		for (size_t k = 0; k < 7 && r == 0; k++)
			r = ctl_opt_value(argc, argv, &i, names[k], dest[k], err);
		if (r == 0 && strcmp(argv[i], "--no-bom") == 0) {
			o->bom = 0;
			r = 1;
		}
		if (r < 0)
			return -1;
		if (r == 0)
			return ctl_unexpected("report", argv[i], err);
	}
	return 0;
}

/* The period, the month and the days, checked before anything is
 * written. */
static int
report_values(struct report_opts *o, struct hr_error *err)
{
	int   now = db_month_of(db_now());
	char *end;

	o->ndays = 30;
	o->fmt = PAPER_SHEET_CSV;
	if (o->format != NULL &&
	    (o->fmt = paper_sheet_format_of(o->format)) < 0)
		return hr_errorf(err, HR_E_USAGE, "ctl.report_format",
		    "--format is csv or xlsx, not \"{value}\"",
		    HR_STR("value", o->format));
	if (o->fmt == PAPER_SHEET_XLSX &&
	    (o->out == NULL || strcmp(o->out, "-") == 0) && isatty(1))
		return hr_errorf(err, HR_E_USAGE, "ctl.report_xlsx_tty",
		    "XLSX is not for a terminal: give --out FILE");
	if (o->days != NULL) {
		o->ndays = strtol(o->days, &end, 10);
		if (*o->days == '\0' || *end != '\0' || o->ndays < 1 ||
		    o->ndays > 366)
			return hr_errorf(err, HR_E_USAGE, "ctl.report_days",
			    "--days wants a number of days 1..366, not "
			    "\"{value}\"", HR_STR("value", o->days));
	}
	if (month_opt("--to", o->to, now, &o->to_m, err) < 0 ||
	    month_opt("--from", o->from, db_month_add(o->to_m, -11),
	    &o->from_m, err) < 0 ||
	    month_opt("--month", o->month, db_month_add(now, -1),
	    &o->month_m, err) < 0)
		return -1;
	return 0;
}

static int
report_run(struct hr_db *db, const struct report_opts *o, size_t k,
    int64_t territory, struct paper_sheet *out, struct hr_error *err)
{
	if (reports[k].report != NULL) {
		struct db_report r;

		if (db_report_build(db, territory, o->from_m, o->to_m,
		    DB_REP_PERSONS, &r, err) < 0)
			return -1;
		reports[k].report(out, &r);
		db_report_free(&r);
	} else if (reports[k].deadlines != NULL) {
		struct db_deadline_report d;

		if (db_deadline_report_all(db, territory, o->from_m, o->to_m,
		    db_today(), &d, err) < 0)
			return -1;
		reports[k].deadlines(out, &d);
		db_deadline_report_free(&d);
	} else {
		struct db_monitor m;

		if (db_monitor_build(db, territory, db_now() - o->ndays * 86400,
		    o->month_m, strcmp(reports[k].name, "compensation") == 0,
		    &m, err) < 0)
			return -1;
		reports[k].monitor(out, &m);
		db_monitor_free(&m);
	}
	return 0;
}

/* The report's bytes to --out (under a temporary name, renamed when
 * complete: a failed run leaves an earlier report as it was) or stdout. */
static int
report_write(const char *out, const char *data, size_t len,
    struct hr_error *err)
{
	char  tmp[4096];
	FILE *f = stdout;
	int   e = 0;

	if (out != NULL && strcmp(out, "-") != 0) {
		if (strlen(out) + 5 > sizeof tmp)
			return hr_errorf(err, HR_E_IO, "ctl.report_write",
			    "cannot write {path}: {reason}", HR_STR("path", out),
			    HR_STR("reason", strerror(ENAMETOOLONG)));
		snprintf(tmp, sizeof tmp, "%s.tmp", out);
		if ((f = fopen(tmp, "wb")) == NULL)
			return hr_errorf(err, HR_E_IO, "ctl.report_write",
			    "cannot write {path}: {reason}", HR_STR("path", out),
			    HR_STR("reason", strerror(errno)));
	}
	errno = 0;
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || ferror(f))
		e = errno ? errno : EIO;
	if (f != stdout) {
		if (fclose(f) != 0 && e == 0)
			e = errno ? errno : EIO;
		if (e == 0 && rename(tmp, out) != 0)
			e = errno;
		if (e != 0)
			(void)remove(tmp);
	}
	if (e != 0)
		return hr_errorf(err, HR_E_IO, "ctl.report_write",
		    "cannot write {path}: {reason}", HR_STR("path",
		    out ? out : "-"), HR_STR("reason", strerror(e)));
	return 0;
}

static int
cmd_report_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct report_opts  o = { 0 };
	struct paper_sheet *sheet;
	struct hr_db       *db;
	int64_t             territory = 0;
	char               *data = NULL;
	size_t              k, len = 0;
	int                 rc;

	if (report_parse(argc, argv, &o, err) < 0 ||
	    report_values(&o, err) < 0)
		return -1;
	for (k = 0; k < NREPORTS; k++)
		if (strcmp(reports[k].name, o.name) == 0)
			break;
	if (k == NREPORTS)
		return hr_errorf(err, HR_E_USAGE, "ctl.report_unknown",
		    "no report \"{value}\" (summary, months, children, "
		    "clerks, services, decisions, times, reasons, deadlines, "
		    "monitor, compensation)", HR_STR("value", o.name));
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	if (o.territory != NULL) {
		struct db_territory t;

		if (db_territory_find(db, o.territory, &t, err) < 0) {
			db_close(db);
			return -1;
		}
		territory = t.id;
		db_territory_free(&t);
	}
	if ((sheet = paper_sheet_new(o.name)) == NULL) {
		db_close(db);
		return hr_error_set(err, HR_E_INTERNAL, "out of memory");
	}
	rc = report_run(db, &o, k, territory, sheet, err);
	db_close(db);
	if (rc == 0)
		rc = paper_sheet_render(sheet, (enum paper_sheet_format)o.fmt,
		    o.bom, &data, &len, err);
	paper_sheet_free(sheet);
	if (rc == 0)
		rc = report_write(o.out, data, len, err);
	free(data);
	return rc;
}

const struct ctl_cmd ctl_cmd_report = {
	"report", cmd_report_exec,
	"NAME [--territory SPEC] [--from YYYY-MM] [--to YYYY-MM] "
	"[--month YYYY-MM] [--days N] [--format FORMAT] [--out FILE] "
	"[--no-bom]",
	N_("Reports and monitoring as CSV or XLSX (the numbers of «Звітність»)"),
	N_("NAME is one of: summary (the territory's totals), months (month\n"
	"by month), children (the territories one level down), clerks (the\n"
	"users who sent cases up, by name, with their office), services,\n"
	"decisions (by kind and service), times (median and 90th percentile\n"
	"per stage), reasons (of returns), deadlines (compliance per stage\n"
	"and per office: clocks closed on time or late, open ones late),\n"
	"monitor (back offices and\n"
	"hromadas connected and using, by child territory, ranked),\n"
	"compensation (each hromada's cases accepted in --month).\n"
	"--territory is an id, a KATOTTG code or an exact name (default: the\n"
	"country); the period is --from..--to (default: the last 12 months);\n"
	"--days is what \"using\" means (default 30); --month defaults to the\n"
	"previous month.  CSV: RFC 4180, UTF-8 with a byte-order mark (Excel);\n"
	"--no-bom leaves it out.  --format xlsx writes a spreadsheet with number\n"
	"and date cells instead.  --out FILE writes a file, else stdout.\n"),
};
