/*
 * cmd_report.c — hromadactl report NAME: «Звітність» as CSV for officials
 * and scheduled runs — the same numbers report.get and report.monitor give
 * the client (db/reports.h, db/monitor.h), read straight from the
 * database.
 *
 * CSV is RFC 4180 (commas, CRLF line ends, quotes doubled), UTF-8 with a
 * byte-order mark so that Excel reads Cyrillic right (--no-bom for
 * scripts); the first line names the columns; amounts are hryvnias with a
 * point and two decimals (1234.56), times whole hours.  The report names
 * are a table (reports[] below), documented in hromadactl(8).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl.h"
#include "db/monitor.h"
#include "db/reports.h"
#include "db/territory.h"
#include "proto/csv_write.h"
#include "proto/roles.h"

struct report_opts {
	const char *name;
	const char *territory, *from, *to, *days, *month, *out;
	int         bom;
	int         from_m, to_m, month_m;   /* YYYYMM, checked */
	long        ndays;
};

/* ---- the reports ---- */

#define COUNTER_COLS "created", "formed", "sent", "accepted", "returned", \
	"decided", "assigned", "notified", "assigned_sum"

static void
csv_counts(struct hr_csv *o, const struct db_rep_counts *c)
{
	for (int i = 0; i < DB_REP__COUNTERS; i++)
		hr_csv_int(o, c->n[i]);
	hr_csv_money(o, c->assigned_sum);
}

static void
out_summary(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    "from", "to", COUNTER_COLS, "returned_otg", "returned_spszn",
	    "package_full", "package_partial", "clerks", NULL };

	hr_csv_row(o, cols);
	hr_csv_int(o, r->territory_id);
	hr_csv_str(o, hr_terr_kind_name(r->kind));
	hr_csv_str(o, r->name);
	hr_csv_month(o, r->from);
	hr_csv_month(o, r->to);
	csv_counts(o, &r->totals);
	hr_csv_int(o, r->returned_otg);
	hr_csv_int(o, r->returned_spszn);
	hr_csv_int(o, r->package_full);
	hr_csv_int(o, r->package_partial);
	hr_csv_int(o, r->clerks);
	hr_csv_end(o);
}

static void
out_months(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "month", COUNTER_COLS, NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < r->nmonths; i++) {
		hr_csv_month(o, r->months[i].month);
		csv_counts(o, &r->months[i].c);
		hr_csv_end(o);
	}
}

static void
out_children(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    COUNTER_COLS, NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < r->nchildren; i++) {
		hr_csv_int(o, r->children[i].id);
		hr_csv_str(o, hr_terr_kind_name(r->children[i].kind));
		hr_csv_str(o, r->children[i].name);
		csv_counts(o, &r->children[i].c);
		hr_csv_end(o);
	}
}

static void
out_services(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "service", "name", "formed",
	    "sent", "accepted", "decided", NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < r->nservices; i++) {
		hr_csv_str(o, r->services[i].code);
		hr_csv_str(o, r->services[i].name);
		hr_csv_int(o, r->services[i].formed);
		hr_csv_int(o, r->services[i].sent);
		hr_csv_int(o, r->services[i].accepted);
		hr_csv_int(o, r->services[i].decided);
		hr_csv_end(o);
	}
}

static void
out_decisions(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "decision", "service", "count",
	    "amount", NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < r->ndecisions; i++) {
		hr_csv_str(o, r->decisions[i].kind);
		hr_csv_str(o, r->decisions[i].service);
		hr_csv_int(o, r->decisions[i].n);
		hr_csv_money(o, r->decisions[i].amount);
		hr_csv_end(o);
	}
}

static void
out_times(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "stage", "count", "median_hours",
	    "p90_hours", "mean_seconds", NULL };

	hr_csv_row(o, cols);
	for (int s = 0; s < DB_REP__STAGES; s++) {
		hr_csv_str(o, db_rep_stage_names[s]);
		hr_csv_int(o, r->times[s].count);
		hr_csv_int(o, r->times[s].median_h);
		hr_csv_int(o, r->times[s].p90_h);
		hr_csv_int(o, r->times[s].mean_s);
		hr_csv_end(o);
	}
}

static void
out_reasons(struct hr_csv *o, const struct db_report *r)
{
	static const char *const cols[] = { "stage", "reason", "count", NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < r->nreasons; i++) {
		hr_csv_str(o, r->reasons[i].stage);
		hr_csv_str(o, r->reasons[i].text);
		hr_csv_int(o, r->reasons[i].n);
		hr_csv_end(o);
	}
}

#define MON_COLS "back_offices", "back_offices_connected", \
	"back_offices_using", "hromadas", "hromadas_connected", \
	"hromadas_using", "hromadas_accepting", "accepted"

static void
csv_mon(struct hr_csv *o, const struct db_mon_counts *c)
{
	hr_csv_int(o, c->spszn);
	hr_csv_int(o, c->spszn_connected);
	hr_csv_int(o, c->spszn_using);
	hr_csv_int(o, c->hromadas);
	hr_csv_int(o, c->hromadas_connected);
	hr_csv_int(o, c->hromadas_using);
	hr_csv_int(o, c->hromadas_accepting);
	hr_csv_int(o, c->accepted);
}

static void
out_monitor(struct hr_csv *o, const struct db_monitor *m)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    "rank", MON_COLS, NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < m->nrows; i++) {
		hr_csv_int(o, m->rows[i].id);
		hr_csv_str(o, hr_terr_kind_name(m->rows[i].kind));
		hr_csv_str(o, m->rows[i].name);
		hr_csv_int(o, m->rows[i].rank);
		csv_mon(o, &m->rows[i].c);
		hr_csv_end(o);
	}
	hr_csv_int(o, m->territory_id);
	hr_csv_str(o, hr_terr_kind_name(m->kind));
	hr_csv_str(o, m->name);
	hr_csv_str(o, "");
	csv_mon(o, &m->totals);
	hr_csv_end(o);
}

static void
out_compensation(struct hr_csv *o, const struct db_monitor *m)
{
	static const char *const cols[] = { "hromada_id", "hromada",
	    "back_office", "month", "accepted", "connected", "using",
	    "last_active", NULL };

	hr_csv_row(o, cols);
	for (size_t i = 0; i < m->nhromadas; i++) {
		const struct db_mon_hromada *h = &m->hromadas[i];
		char when[32] = "";

		if (h->last_active > 0) {
			time_t t = (time_t)h->last_active;
			struct tm tm;

			strftime(when, sizeof when, "%Y-%m-%d %H:%M",
			    localtime_r(&t, &tm));
		}
		hr_csv_int(o, h->id);
		hr_csv_str(o, h->name);
		hr_csv_str(o, h->spszn);
		hr_csv_month(o, m->month);
		hr_csv_int(o, h->accepted);
		hr_csv_int(o, h->connected);
		hr_csv_int(o, h->using);
		hr_csv_str(o, when);
		hr_csv_end(o);
	}
}

static const struct {
	const char *name;
	void      (*report)(struct hr_csv *, const struct db_report *);
	void      (*monitor)(struct hr_csv *, const struct db_monitor *);
} reports[] = {
	{ "summary",      out_summary,   NULL },
	{ "months",       out_months,    NULL },
	{ "children",     out_children,  NULL },
	{ "services",     out_services,  NULL },
	{ "decisions",    out_decisions, NULL },
	{ "times",        out_times,     NULL },
	{ "reasons",      out_reasons,   NULL },
	{ "monitor",      NULL,          out_monitor },
	{ "compensation", NULL,          out_compensation },
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
	    "--days", "--month", "--out" };
	const char **dest[] = { &o->territory, &o->from, &o->to, &o->days,
	    &o->month, &o->out };

	o->bom = 1;
	if (argc < 2)
		return hr_errorf(err, HR_E_USAGE, "ctl.report_name",
		    "report: name a report (summary, months, children, "
		    "services, decisions, times, reasons, monitor, "
		    "compensation)");
	o->name = argv[1];
	for (int i = 2; i < argc; i++) {
		int r = 0;

		for (size_t k = 0; k < 6 && r == 0; k++)
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
    int64_t territory, struct hr_csv *out, struct hr_error *err)
{
	if (reports[k].report != NULL) {
		struct db_report r;

		if (db_report_build(db, territory, o->from_m, o->to_m, 1, &r,
		    err) < 0)
			return -1;
		reports[k].report(out, &r);
		db_report_free(&r);
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

static int
cmd_report_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	struct report_opts o = { 0 };
	struct hr_csv out;
	struct hr_db *db;
	int64_t territory = 0;
	char tmp[4096];
	size_t k;
	int rc;

	hr_csv_init(&out, stdout, 0);
	if (report_parse(argc, argv, &o, err) < 0 ||
	    report_values(&o, err) < 0)
		return -1;
	for (k = 0; k < NREPORTS; k++)
		if (strcmp(reports[k].name, o.name) == 0)
			break;
	if (k == NREPORTS)
		return hr_errorf(err, HR_E_USAGE, "ctl.report_unknown",
		    "no report \"{value}\" (summary, months, children, "
		    "services, decisions, times, reasons, monitor, "
		    "compensation)", HR_STR("value", o.name));
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
	/* a file is written under a temporary name and renamed when
	 * complete: a failed run leaves an earlier report as it was */
	if (o.out != NULL && strcmp(o.out, "-") != 0) {
		snprintf(tmp, sizeof tmp, "%s.tmp", o.out);
		if (strlen(o.out) + 5 > sizeof tmp ||
		    (out.f = fopen(tmp, "w")) == NULL) {
			rc = errno ? errno : ENAMETOOLONG;
			db_close(db);
			return hr_errorf(err, HR_E_IO, "ctl.report_write",
			    "cannot write {path}: {reason}", HR_STR("path",
			    o.out), HR_STR("reason", strerror(rc)));
		}
	}
	out.bom = o.bom;
	rc = report_run(db, &o, k, territory, &out, err);
	db_close(db);
	errno = 0;
	if ((fflush(out.f) != 0 || ferror(out.f) ||
	    (out.f != stdout && fclose(out.f) != 0) ||
	    (out.f != stdout && rc == 0 && rename(tmp, o.out) != 0)) &&
	    rc == 0)
		rc = hr_errorf(err, HR_E_IO, "ctl.report_write",
		    "cannot write {path}: {reason}", HR_STR("path",
		    o.out ? o.out : "-"), HR_STR("reason",
		    strerror(errno ? errno : EIO)));
	if (out.f != stdout && rc != 0)
		(void)remove(tmp);
	return rc;
}

const struct ctl_cmd ctl_cmd_report = {
	"report", cmd_report_exec,
	"NAME [--territory SPEC] [--from YYYY-MM] [--to YYYY-MM] "
	"[--month YYYY-MM] [--days N] [--out FILE] [--no-bom]",
	N_("Reports and monitoring as CSV (the numbers of «Звітність»)"),
	N_("NAME is one of: summary (the territory's totals), months (month\n"
	"by month), children (the territories one level down), services,\n"
	"decisions (by kind and service), times (median and 90th percentile\n"
	"per stage), reasons (of returns), monitor (back offices and\n"
	"hromadas connected and using, by child territory, ranked),\n"
	"compensation (each hromada's cases accepted in --month).\n"
	"--territory is an id, a KATOTTG code or an exact name (default: the\n"
	"country); the period is --from..--to (default: the last 12 months);\n"
	"--days is what \"using\" means (default 30); --month defaults to the\n"
	"previous month.  CSV: RFC 4180, UTF-8 with a byte-order mark (Excel);\n"
	"--no-bom leaves it out.  --out FILE writes a file, else stdout.\n"),
};
