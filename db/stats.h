/*
 * stats.h — counts for `hromadactl stats`: what the store holds, by kind.
 */
#ifndef HR_DB_STATS_H
#define HR_DB_STATS_H

#include <stdint.h>

#include "db/db.h"

/*
 * Each count as (group, key, value): ("users", "userSta", 12),
 * ("applications", "draft", 40), ("persons", NULL, 5000), ...  Groups come
 * in a fixed order; keys within a group sorted.  fn returns 0 to go on.
 */
typedef int db_stat_fn(void *ud, const char *group, const char *key,
    int64_t value);
int db_stats(struct hr_db *db, db_stat_fn *fn, void *ud, struct hr_error *err);

#endif
