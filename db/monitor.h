/*
 * monitor.h — who uses the system (issue 16 "Monitoring"): the back
 * offices and hromadas under a territory, connected (an enabled user
 * account attached to them, for a hromada also to one of its front
 * offices) and using it (an application worked on by such a user since a
 * given time: territory_activity, migration 019), grouped by the
 * territory's children, and each hromada's count of applications its back
 * office accepted in a month (the basis of a compensation claim under CMU
 * resolution №148).  Aggregates of offices only, no person.
 */
#ifndef HR_DB_MONITOR_H
#define HR_DB_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct db_mon_counts {
	int64_t spszn, spszn_connected, spszn_using;
	int64_t hromadas, hromadas_connected, hromadas_using;
	int64_t hromadas_accepting;   /* with accepted > 0 in the month */
	int64_t accepted;             /* in the month */
};

struct db_mon_row {                   /* one child of the territory */
	int64_t              id;
	int                  kind;
	char                *name;
	struct db_mon_counts c;
	int                  rank;        /* 1 = best covered (see below) */
};

struct db_mon_hromada {
	int64_t  id;
	char    *name, *spszn;            /* its back office's name */
	int      connected, using;
	int64_t  last_active;             /* 0: never */
	int64_t  accepted;                /* in the month */
};

struct db_monitor {
	int64_t                territory_id;
	int                    kind;
	char                  *name;
	int64_t                since;     /* "using" = activity at or after */
	int                    month;     /* YYYYMM of `accepted` */
	struct db_mon_counts   totals;
	struct db_mon_row     *rows;     size_t nrows;
	struct db_mon_hromada *hromadas; size_t nhromadas;
};

/*
 * Monitor `territory_id` (0: the country root).  Rows are its children by
 * name; `rank` orders them by the share of their hromadas using the
 * system, then of back offices connected, then by hromadas using (the
 * seeds' «фактори ризику / успіху»: rank 1 the best covered, the last the
 * riskiest).  With `with_hromadas` every hromada under the territory is
 * listed, most accepted first.  HR_E_NOT_FOUND "territory.not_found" for
 * no such territory or one below a hromada.
 */
int  db_monitor_build(struct hr_db *db, int64_t territory_id, int64_t since,
    int month, int with_hromadas, struct db_monitor *out,
    struct hr_error *err);
void db_monitor_free(struct db_monitor *m);

#endif
