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
#include "proto/roles.h"

struct report_opts {
	const char *name;
	const char *territory, *from, *to, *days, *month, *out;
	int         bom;
	int         from_m, to_m, month_m;   /* YYYYMM, checked */
	long        ndays;
};

struct csv_out {
	FILE *f;
	int   col;
	int   bom;       /* the byte-order mark still to write */
};

/* ---- RFC 4180 ---- */

static void
csv_str(struct csv_out *o, const char *s)
{
	if (o->bom) {
		fputs("\xEF\xBB\xBF", o->f);
		o->bom = 0;
	}
	if (o->col++ > 0)
		fputc(',', o->f);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, o->f);
		return;
	}
	fputc('"', o->f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', o->f);
		fputc(*s, o->f);
	}
	fputc('"', o->f);
}

static void
csv_int(struct csv_out *o, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	csv_str(o, buf);
}

static void
csv_money(struct csv_out *o, int64_t kop)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%s%lld.%02lld", kop < 0 ? "-" : "",
	    (long long)(llabs(kop) / 100), (long long)(llabs(kop) % 100));
	csv_str(o, buf);
}

static void
csv_month(struct csv_out *o, int month)
{
	char buf[16];

	snprintf(buf, sizeof buf, "%04d-%02d", month / 100, month % 100);
	csv_str(o, buf);
}

static void
csv_end(struct csv_out *o)
{
	fputs("\r\n", o->f);
	o->col = 0;
}

static void
csv_header(struct csv_out *o, const char *const *cols)
{
	for (; *cols; cols++)
		csv_str(o, *cols);
	csv_end(o);
}

/* ---- the reports ---- */

#define COUNTER_COLS "created", "formed", "sent", "accepted", "returned", \
	"decided", "assigned", "notified", "assigned_sum"

static void
csv_counts(struct csv_out *o, const struct db_rep_counts *c)
{
	for (int i = 0; i < DB_REP__COUNTERS; i++)
		csv_int(o, c->n[i]);
	csv_money(o, c->assigned_sum);
}

static void
out_summary(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    "from", "to", COUNTER_COLS, "returned_otg", "returned_spszn",
	    "package_full", "package_partial", "clerks", NULL };

	csv_header(o, cols);
	csv_int(o, r->territory_id);
	csv_str(o, hr_terr_kind_name(r->kind));
	csv_str(o, r->name);
	csv_month(o, r->from);
	csv_month(o, r->to);
	csv_counts(o, &r->totals);
	csv_int(o, r->returned_otg);
	csv_int(o, r->returned_spszn);
	csv_int(o, r->package_full);
	csv_int(o, r->package_partial);
	csv_int(o, r->clerks);
	csv_end(o);
}

static void
out_months(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "month", COUNTER_COLS, NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < r->nmonths; i++) {
		csv_month(o, r->months[i].month);
		csv_counts(o, &r->months[i].c);
		csv_end(o);
	}
}

static void
out_children(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    COUNTER_COLS, NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < r->nchildren; i++) {
		csv_int(o, r->children[i].id);
		csv_str(o, hr_terr_kind_name(r->children[i].kind));
		csv_str(o, r->children[i].name);
		csv_counts(o, &r->children[i].c);
		csv_end(o);
	}
}

static void
out_services(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "service", "name", "formed",
	    "sent", "accepted", "decided", NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < r->nservices; i++) {
		csv_str(o, r->services[i].code);
		csv_str(o, r->services[i].name);
		csv_int(o, r->services[i].formed);
		csv_int(o, r->services[i].sent);
		csv_int(o, r->services[i].accepted);
		csv_int(o, r->services[i].decided);
		csv_end(o);
	}
}

static void
out_decisions(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "decision", "service", "count",
	    "amount", NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < r->ndecisions; i++) {
		csv_str(o, r->decisions[i].kind);
		csv_str(o, r->decisions[i].service);
		csv_int(o, r->decisions[i].n);
		csv_money(o, r->decisions[i].amount);
		csv_end(o);
	}
}

static void
out_times(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "stage", "count", "median_hours",
	    "p90_hours", "mean_seconds", NULL };

	csv_header(o, cols);
	for (int s = 0; s < DB_REP__STAGES; s++) {
		csv_str(o, db_rep_stage_names[s]);
		csv_int(o, r->times[s].count);
		csv_int(o, r->times[s].median_h);
		csv_int(o, r->times[s].p90_h);
		csv_int(o, r->times[s].mean_s);
		csv_end(o);
	}
}

static void
out_reasons(struct csv_out *o, const struct db_report *r)
{
	static const char *const cols[] = { "stage", "reason", "count", NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < r->nreasons; i++) {
		csv_str(o, r->reasons[i].stage);
		csv_str(o, r->reasons[i].text);
		csv_int(o, r->reasons[i].n);
		csv_end(o);
	}
}

#define MON_COLS "back_offices", "back_offices_connected", \
	"back_offices_using", "hromadas", "hromadas_connected", \
	"hromadas_using", "hromadas_accepting", "accepted"

static void
csv_mon(struct csv_out *o, const struct db_mon_counts *c)
{
	csv_int(o, c->spszn);
	csv_int(o, c->spszn_connected);
	csv_int(o, c->spszn_using);
	csv_int(o, c->hromadas);
	csv_int(o, c->hromadas_connected);
	csv_int(o, c->hromadas_using);
	csv_int(o, c->hromadas_accepting);
	csv_int(o, c->accepted);
}

static void
out_monitor(struct csv_out *o, const struct db_monitor *m)
{
	static const char *const cols[] = { "territory_id", "kind", "name",
	    "rank", MON_COLS, NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < m->nrows; i++) {
		csv_int(o, m->rows[i].id);
		csv_str(o, hr_terr_kind_name(m->rows[i].kind));
		csv_str(o, m->rows[i].name);
		csv_int(o, m->rows[i].rank);
		csv_mon(o, &m->rows[i].c);
		csv_end(o);
	}
	csv_int(o, m->territory_id);
	csv_str(o, hr_terr_kind_name(m->kind));
	csv_str(o, m->name);
	csv_str(o, "");
	csv_mon(o, &m->totals);
	csv_end(o);
}

static void
out_compensation(struct csv_out *o, const struct db_monitor *m)
{
	static const char *const cols[] = { "hromada_id", "hromada",
	    "back_office", "month", "accepted", "connected", "using",
	    "last_active", NULL };

	csv_header(o, cols);
	for (size_t i = 0; i < m->nhromadas; i++) {
		const struct db_mon_hromada *h = &m->hromadas[i];
		char when[32] = "";

		if (h->last_active > 0) {
			time_t t = (time_t)h->last_active;
			struct tm tm;

			strftime(when, sizeof when, "%Y-%m-%d %H:%M",
			    localtime_r(&t, &tm));
		}
		csv_int(o, h->id);
		csv_str(o, h->name);
		csv_str(o, h->spszn);
		csv_month(o, m->month);
		csv_int(o, h->accepted);
		csv_int(o, h->connected);
		csv_int(o, h->using);
		csv_str(o, when);
		csv_end(o);
	}
}

static const struct {
	const char *name;
	void      (*report)(struct csv_out *, const struct db_report *);
	void      (*monitor)(struct csv_out *, const struct db_monitor *);
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
	int y, m, n = 0;

	if (v == NULL) {
		*out = dflt;
		return 0;
	}
	if (sscanf(v, "%4d-%2d%n", &y, &m, &n) != 2 || v[n] != '\0' ||
	    !db_month_valid(y * 100 + m))
		return hr_errorf(err, HR_E_USAGE, "ctl.report_month",
		    "{option} wants a month YYYY-MM, not \"{value}\"",
		    HR_STR("option", opt), HR_STR("value", v));
	*out = y * 100 + m;
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
			return hr_errorf(err, HR_E_USAGE, "ctl.argument",
			    "{command}: unexpected argument \"{value}\"",
			    HR_STR("command", "report"), HR_STR("value",
			    argv[i]));
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
    int64_t territory, struct csv_out *out, struct hr_error *err)
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
	struct csv_out out = { stdout, 0, 0 };
	struct hr_db *db;
	int64_t territory = 0;
	char tmp[4096];
	size_t k;
	int rc;

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
