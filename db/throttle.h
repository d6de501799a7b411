/*
 * throttle.h — login throttling.
 *
 * Throttling counts failed logins per user name and per client address in a
 * sliding window; past the limit the key is locked for a growing delay.
 */
#ifndef HR_DB_THROTTLE_H
#define HR_DB_THROTTLE_H

#include <stdint.h>

#include "db/db.h"

#define DB_THROTTLE_USER_MAX   5     /* failures per user per window */
#define DB_THROTTLE_ADDR_MAX   20    /* failures per address per window */
#define DB_THROTTLE_WINDOW     900   /* seconds */

/* 0 allowed; 1 throttled with *retry_after seconds; -1 error. */
int  db_throttle_check(struct hr_db *db, const char *user, const char *addr,
    int64_t now, int64_t *retry_after, struct hr_error *err);
int  db_throttle_fail(struct hr_db *db, const char *user, const char *addr,
    int64_t now, struct hr_error *err);
/* A successful login clears the user's counter (not the address's). */
int  db_throttle_success(struct hr_db *db, const char *user, int64_t now,
    struct hr_error *err);

#endif
