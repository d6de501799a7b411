/*
 * deadline_report.h — deadline compliance per stage and office, for
 * report.get (`deadlines`, issue 17).
 *
 * Over the clocks of the cases (db/deadlines.h) whose office — the front
 * office, hromada or back office that answers for the stage — lies in a
 * territory's subtree: the clocks stopped in a period of months, on time
 * or late (and by how many working days in all), and those running now,
 * late or not.  Counted per stage for the territory, and per stage and
 * office for its offices, the worst first.
 */
#ifndef HR_DB_DEADLINE_REPORT_H
#define HR_DB_DEADLINE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct db_deadline_row {
	int      stage;                 /* enum hr_stage */
	int64_t  office_id;             /* 0 in the per-stage totals */
	char    *name;                  /* the office's; NULL in the totals */
	int64_t  closed, on_time, late, late_days;
	int64_t  running, running_late;
};

#define DB_DEADLINE_OFFICES_MAX 50

struct db_deadline_report {
	int64_t                 territory_id;  /* the report's (the country's
	                                          root for 0) */
	char                   *name;          /* its name */
	struct db_deadline_row  stages[3];     /* by enum hr_stage */
	struct db_deadline_row *offices;       /* the worst first, at most
	                                          DB_DEADLINE_OFFICES_MAX
	                                          (report.get) or all */
	size_t                  noffices;
	int64_t                 offices_total; /* (office, stage) pairs in all */
};

/*
 * The report of territory `id` (0: the country) for the clocks stopped in
 * months [from, to] (YYYYMM, local time) and those running on day `today`.
 */
int  db_deadline_report(struct hr_db *db, int64_t id, int from, int to,
    int32_t today, struct db_deadline_report *out, struct hr_error *err);
/* The same with every office (hromadactl report deadlines). */
int  db_deadline_report_all(struct hr_db *db, int64_t id, int from, int to,
    int32_t today, struct db_deadline_report *out, struct hr_error *err);
void db_deadline_report_free(struct db_deadline_report *r);

#endif
