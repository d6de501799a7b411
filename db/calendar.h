/*
 * calendar.h — the working-day calendar an administrator keeps
 * (hromadactl calendar; DOMAIN.md "Deadlines").
 *
 * Monday to Friday are working days and the weekend is not, unless an
 * entry says otherwise: a holiday on a weekday, or a working day
 * transferred to a Saturday or Sunday.  One entry a day: an entry for a
 * day that has one already is refused (remove it first), and so is an
 * entry that would change nothing (a holiday on a Sunday).  Every change
 * moves the due dates of the clocks it falls within (db/deadlines.h), in
 * the same transaction.
 */
#ifndef HR_DB_CALENDAR_H
#define HR_DB_CALENDAR_H

#include <stdint.h>

#include "db/db.h"
#include "db/workdays.h"

struct db_calendar_entry {
	int32_t     day;        /* hr_date_to_days */
	int         working;    /* 1 a transferred working day, 0 a holiday */
	const char *note;       /* "" when none; live during the callback */
};

/* The whole calendar into *cal (empty: weekends only); hr_workcal_free. */
int db_calendar_load(struct hr_db *db, struct hr_workcal *cal,
    struct hr_error *err);

/* Entries of [from, to] (0, 0: all), by day. */
typedef int db_calendar_fn(void *ud, const struct db_calendar_entry *e);
int db_calendar_each(struct hr_db *db, int32_t from, int32_t to,
    db_calendar_fn *fn, void *ud, struct hr_error *err);

/*
 * Add one entry; *moved (may be NULL) gets how many running clocks it
 * moved.  HR_E_CONFLICT "calendar.overlap" when the day has an entry
 * already; HR_E_INVALID "calendar.no_change" when it would change nothing.
 */
int db_calendar_add(struct hr_db *db, const struct db_calendar_entry *e,
    int *moved, struct hr_error *err);

/* Remove the entry of `day`; HR_E_NOT_FOUND "calendar.not_found". */
int db_calendar_remove(struct hr_db *db, int32_t day, int *moved,
    struct hr_error *err);

/*
 * Load a CSV file `date,kind,note` (a header line; date DD.MM.YYYY or
 * YYYY-MM-DD, kind holiday or workday) in one transaction.  An entry the
 * calendar holds already, the same, is skipped (*same); another one for a
 * day that has an entry is an overlap; with `replace` the calendar is
 * emptied first.  The same day twice in the file names both lines.
 */
int db_calendar_import(struct hr_db *db, const char *path, int replace,
    int *added, int *same, int *moved, struct hr_error *err);

/* "DD.MM.YYYY" of a day number into out[HR_DATE_STR_MAX]. */
void db_day_format(int32_t day, char *out, size_t cap);

#endif
