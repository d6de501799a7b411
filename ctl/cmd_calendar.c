/*
 * cmd_calendar.c — hromadactl calendar: the working-day calendar the
 * deadlines of cases are counted over (db/calendar.h, db/deadlines.h).
 *
 * Weekends are days off and weekdays working days unless the calendar
 * says otherwise: `holiday DATE` makes a weekday a day off, `workday DATE`
 * a Saturday or Sunday a working day (a transferred one).  One entry a
 * day; `remove` takes one away.  `import FILE` loads a CSV file
 * date,kind,note in one transaction (--replace empties the calendar
 * first), `export FILE` writes one.  Every change moves the due dates of
 * the running clocks it falls within, in the same transaction as its
 * audit record; the running server counts with the new calendar at its
 * next request.
 */
#include "ctl/ctl.h"
#include "db/calendar.h"
#include "db/csv.h"
#include "proto/ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cal_day(const char *s, int32_t *day, struct hr_error *err)
{
	struct hr_date d;

	if (hr_date_parse(s, strlen(s), NULL, &d, err) < 0)
		return -1;
	*day = hr_date_to_days(&d);
	return 0;
}

static const char *
cal_weekday(int32_t day)
{
	static const char *const names[7] = { N_("Mon"), N_("Tue"),
	    N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun") };

	return _(names[hr_weekday(day)]);
}

struct cal_list {
	int rows;
	FILE *csv;          /* export: write CSV rows here instead */
};

static int
cal_print(void *ud, const struct db_calendar_entry *e)
{
	struct cal_list *l = ud;
	char date[HR_DATE_STR_MAX];

	if (l->csv != NULL) {
		struct hr_date d;
		char iso[16];

		if (hr_date_from_days(e->day, &d) < 0)
			return -1;
		snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.y, d.m, d.d);
		db_csv_put(l->csv, iso, 0);
		db_csv_put(l->csv, e->working ? "workday" : "holiday", 0);
		db_csv_put(l->csv, e->note, 1);
		l->rows++;
		return 0;
	}
	db_day_format(e->day, date, sizeof date);
	printf("%s  ", date);
	ctl_cells(cal_weekday(e->day), 4,
	    e->working ? _("working day") : _("holiday"), 14, NULL);
	printf(" %s\n", e->note);
	l->rows++;
	return 0;
}

static int
cal_list(struct hr_db *db, const char *year, struct hr_error *err)
{
	struct cal_list l = { 0, NULL };
	int32_t from = 0, to = 0;

	if (year != NULL) {
		char *end;
		long y = strtol(year, &end, 10);
		struct hr_date a = { (int)y, 1, 1 }, b = { (int)y, 12, 31 };

		if (*end != '\0' || y < 1900 || y > 9999)
			return hr_errorf(err, HR_E_USAGE, "ctl.year", "--year "
			    "wants a year, like 2027");
		from = hr_date_to_days(&a);
		to = hr_date_to_days(&b);
	}
	printf("%-10s  ", _("DATE"));
	ctl_cells(_("DAY"), 4, _("KIND"), 14, NULL);
	printf(" %s\n", _("NOTE"));
	if (db_calendar_each(db, from, to, cal_print, &l, err) < 0)
		return -1;
	if (l.rows == 0)
		printf("(%s)\n", _("no entries: Monday to Friday work, "
		    "weekends do not"));
	return 0;
}

/* Run `op` and its audit record in one transaction. */
static int
cal_change(struct hr_db *db, const char *action, const char *detail,
    int32_t day, int working, const char *note, struct hr_error *err)
{
	struct db_calendar_entry e = { day, working, note ? note : "" };
	char date[HR_DATE_STR_MAX];
	int moved = 0, rc;

	if (db_begin(db, err) < 0)
		return -1;
	rc = strcmp(action, "calendar.remove") == 0 ?
	    db_calendar_remove(db, day, &moved, err) :
	    db_calendar_add(db, &e, &moved, err);
	if (rc == 0)
		rc = ctl_audit(db, action, "calendar", detail, err);
	if (rc < 0 || db_commit(db, err) < 0) {
		db_rollback(db);
		return -1;
	}
	db_day_format(day, date, sizeof date);
	if (strcmp(action, "calendar.remove") == 0)
		printf(_("Removed %s from the calendar\n"), date);
	else
		printf(working ? _("Added %s as a transferred working day\n") :
		    _("Added %s as a holiday\n"), date);
	printf(_("Due dates moved: %d\n"), moved);
	return 0;
}

static int
cal_import(struct hr_db *db, const char *path, int replace,
    struct hr_error *err)
{
	char detail[512];
	int added = 0, same = 0, moved = 0, rc;

	if (db_begin(db, err) < 0)
		return -1;
	rc = db_calendar_import(db, path, replace, &added, &same, &moved, err);
	snprintf(detail, sizeof detail, "%s%d added, %d already there, from "
	    "%s; %d due dates moved", replace ? "replaced; " : "", added, same,
	    path, moved);
	if (rc == 0)
		rc = ctl_audit(db, "calendar.import", "calendar", detail, err);
	if (rc < 0 || db_commit(db, err) < 0) {
		db_rollback(db);
		return -1;
	}
	printf(_("Imported %d calendar entries from %s (%d already there)\n"),
	    added, path, same);
	printf(_("Due dates moved: %d\n"), moved);
	return 0;
}

static int
cal_export(struct hr_db *db, const char *path, struct hr_error *err)
{
	struct cal_list l = { 0, NULL };
	char tmp[4200];
	int rc;

	if ((l.csv = ctl_out_open(path, tmp, sizeof tmp, err)) == NULL)
		return -1;
	fputs("date,kind,note\n", l.csv);
	rc = db_calendar_each(db, 0, 0, cal_print, &l, err);
	if (ctl_out_close(l.csv, tmp, path, rc, err) < 0)
		return -1;
	printf(_("Exported %d calendar entries to %s\n"), l.rows, path);
	return 0;
}

static int
cmd_calendar_exec(struct ctl_ctx *ctx, int argc, char **argv,
    struct hr_error *err)
{
	static const char *const subs[] = { "list", "holiday", "workday",
	    "remove", "import", "export" };
	const char *sub = argc > 1 ? argv[1] : "", *year = NULL, *arg = NULL,
	    *note = NULL;
	char detail[400];
	struct hr_db *db;
	int32_t day = 0;
	int replace = 0, known = 0, rc;

	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		known |= strcmp(sub, subs[i]) == 0;
	if (!known)
		return hr_errorf(err, HR_E_USAGE, "ctl.subcommand", "calendar "
		    "wants list, holiday, workday, remove, import or export");
	for (int i = 2; i < argc; i++) {
		int r = 0;

		if (strcmp(sub, "list") == 0 && (r = ctl_opt_value(argc, argv,
		    &i, "--year", &year, err)) != 0) {
			if (r < 0)
				return -1;
			continue;
		}
		if (strcmp(sub, "import") == 0 &&
		    strcmp(argv[i], "--replace") == 0) {
			replace = 1;
			continue;
		}
		if (strcmp(sub, "list") != 0 && arg == NULL) {
			arg = argv[i];
			continue;
		}
		if ((strcmp(sub, "holiday") == 0 || strcmp(sub, "workday") ==
		    0) && note == NULL) {
			note = argv[i];
			continue;
		}
		return ctl_unexpected(sub, argv[i], err);
	}
	if (strcmp(sub, "list") != 0 && arg == NULL)
		return hr_errorf(err, HR_E_USAGE, "ctl.arguments", "calendar "
		    "{command} wants {what}", HR_STR("command", sub),
		    HR_STR("what", strcmp(sub, "import") == 0 ||
		    strcmp(sub, "export") == 0 ? "FILE" : "DATE"));
	if ((strcmp(sub, "holiday") == 0 || strcmp(sub, "workday") == 0 ||
	    strcmp(sub, "remove") == 0) && cal_day(arg, &day, err) < 0)
		return -1;
	if (ctl_open(ctx, &db, err) < 0)
		return -1;
	snprintf(detail, sizeof detail, "%s %s%s%s", sub, arg ? arg : "",
	    note ? " " : "", note ? note : "");
	if (strcmp(sub, "list") == 0)
		rc = cal_list(db, year, err);
	else if (strcmp(sub, "import") == 0)
		rc = cal_import(db, arg, replace, err);
	else if (strcmp(sub, "export") == 0)
		rc = cal_export(db, arg, err);
	else
		rc = cal_change(db, strcmp(sub, "remove") == 0 ?
		    "calendar.remove" : "calendar.add", detail, day,
		    strcmp(sub, "workday") == 0, note, err);
	db_close(db);
	return rc;
}

const struct ctl_cmd ctl_cmd_calendar = {
	"calendar", cmd_calendar_exec,
	"list [--year YYYY] | holiday DATE [NOTE] | workday DATE [NOTE] | "
	"remove DATE | import FILE [--replace] | export FILE",
	N_("Keep the working-day calendar the deadlines count over"),
	N_("Monday to Friday are working days and weekends are not, unless\n"
	"the calendar says otherwise.  DATE is DD.MM.YYYY or YYYY-MM-DD.\n"
	"list [--year YYYY]   the entries (of one year)\n"
	"holiday DATE [NOTE]  make a weekday a day off\n"
	"workday DATE [NOTE]  make a Saturday or Sunday a working day (a\n"
	"                     working day transferred to a weekend)\n"
	"remove DATE          take a day's entry away\n"
	"import FILE          load date,kind,note lines (kind holiday or\n"
	"                     workday) after a header line, all or nothing;\n"
	"                     entries already there are skipped\n"
	"  --replace          empty the calendar first\n"
	"export FILE          write the calendar in that form\n"
	"One entry a day: a day that has one is refused until it is removed.\n"
	"Every change moves the due dates of the open cases it falls within.\n"),
};
