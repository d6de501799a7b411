/*
 * report.h — aggregated counts for monitoring (DOMAIN.md "Reporting").
 *
 * Aggregates only: nothing here returns a person.  Every hromada within the
 * scope is reported, also those with no applications at all — which
 * hromadas do not use the system is itself what the oblast monitors.
 */
#ifndef HR_DB_REPORT_H
#define HR_DB_REPORT_H

#include <stdint.h>

#include "db/db.h"

/*
 * Called once per (hromada, status) pair that has applications, and once
 * with status -1 and count 0 for a hromada that has none.  Rows come
 * grouped by hromada, hromadas in name order.
 */
typedef int db_report_fn(void *ud, int64_t hromada_id, const char *hromada,
    int status, int64_t count);

/*
 * Counts of applications per hromada and status for the hromadas at or
 * below `scope_territory` (0: the whole country).
 */
int db_report_by_hromada(struct hr_db *db, int64_t scope_territory,
    db_report_fn *fn, void *ud, struct hr_error *err);

#endif
